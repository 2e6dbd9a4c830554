//! policygraph: work programmes as typed, queryable graphs, with the checks that find
//! where a programme is inconsistent or leaves gaps.
//!
//! The library returns data and never prints: loading gives a [`model::Document`] or
//! a list of located [`Diagnostic`]s.

pub mod format;
pub mod load;
pub mod model;
pub mod schema;

pub use format::Format;
pub use load::{Limits, LoadError};
pub use model::Document;
