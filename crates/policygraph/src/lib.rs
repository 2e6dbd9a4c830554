//! policygraph: work programmes as typed, queryable graphs, with the checks that find
//! where a programme is inconsistent or leaves gaps.
//!
//! The library returns data and never prints: loading gives a [`model::Document`] or
//! a [`LoadError`] listing every located [`Diagnostic`].

pub mod check;
pub mod codes;
pub mod coverage;
mod derive;
pub mod diagnostic;
pub mod diff;
pub mod format;
pub mod generate;
pub mod graph;
pub mod load;
pub mod model;
mod parallel;
pub mod programme;
pub mod query;
pub mod rules;
pub mod schema;
pub mod source;
mod strict;
pub mod tables;
pub mod trace;

pub use check::{
    CheckOptions, Report, RuleSelection, analyse, analyse_loaded, check_document, check_files,
    check_graph, check_loaded,
};
pub use codes::Code;
pub use coverage::{Coverage, coverage};
pub use diagnostic::{Diagnostic, Location, Related, Severity};
pub use diff::{Diff, diff};
pub use format::Format;
pub use graph::{EdgeKind, Element, Graph, NodeKind, NodeRef};
pub use load::{Limits, LoadError, Loaded, load_path, parse_source, parse_str, to_string};
pub use model::Document;
pub use programme::Programme;
pub use query::{Query, QueryRow, query};
pub use source::Source;
pub use trace::{Impact, Trace, impact, trace};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
