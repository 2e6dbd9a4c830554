//! [`Programme`]: a loaded document that owns its source and its graph, for callers
//! that keep a programme across calls (the Python and mobile bindings, services).
//!
//! Every analysis of the library takes a borrowed [`Graph`]; a `Programme` builds the
//! graph once, when it is loaded, and keeps it beside the document it borrows from, so
//! that each method is one call of the analysis it names. It is `Send + Sync`: one
//! programme can be analysed from several threads at once.

use std::path::Path;

use crate::check::{CheckOptions, Report, analyse, check_graph, locate_findings};
use crate::coverage::{Coverage, coverage};
use crate::diff::{Diff, diff};
use crate::format::Format;
use crate::graph::{Graph, NodeKind};
use crate::load::{Limits, LoadError, Loaded, WriteError, load_path, parse_source, to_string};
use crate::model::{Document, Summary};
use crate::query::{Query, QueryError, QueryRow, query};
use crate::source::Source;
use crate::trace::{Impact, Trace, UnknownId, impact, trace};

self_cell::self_cell!(
    struct Cell {
        owner: Loaded,
        #[not_covariant]
        dependent: Graph,
    }
);

/// A loaded programme: its document, the source it was read from, the limits it was
/// read with, and its graph.
pub struct Programme {
    cell: Cell,
    limits: Limits,
}

impl std::fmt::Debug for Programme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Programme")
            .field("id", &self.document().programme.id)
            .field("source", &self.source().name)
            .field("format", &self.source().format)
            .finish_non_exhaustive()
    }
}

impl Programme {
    /// Reads a programme from a file, the format chosen by its extension.
    pub fn load(path: &Path, limits: &Limits) -> Result<Programme, LoadError> {
        Ok(Programme::from_loaded(load_path(path, limits)?, limits))
    }

    /// Reads a programme from text in a format; `name` names it in locations.
    pub fn from_text(
        text: String,
        format: Format,
        name: Option<String>,
        limits: &Limits,
    ) -> Result<Programme, LoadError> {
        let source = Source::new(name, format, text);
        let document = parse_source(&source, limits)?;
        Ok(Programme::from_loaded(Loaded { document, source }, limits))
    }

    /// Reads a programme from bytes (UTF-8) in a format; `name` names it in locations.
    pub fn from_bytes(
        bytes: Vec<u8>,
        format: Format,
        name: Option<String>,
        limits: &Limits,
    ) -> Result<Programme, LoadError> {
        let text = crate::load::text_of_bytes(bytes, name.as_deref(), limits)?;
        Programme::from_text(text, format, name, limits)
    }

    /// A programme from a document already loaded.
    pub fn from_loaded(loaded: Loaded, limits: &Limits) -> Programme {
        Programme {
            cell: Cell::new(loaded, |loaded| Graph::build(&loaded.document)),
            limits: limits.clone(),
        }
    }

    /// The document.
    pub fn document(&self) -> &Document {
        &self.cell.borrow_owner().document
    }

    /// The source text, its format and its name.
    pub fn source(&self) -> &Source {
        &self.cell.borrow_owner().source
    }

    /// The limits it was read with (also used to locate findings).
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs `f` on the graph (the graph borrows the document this programme owns, so it
    /// is lent to a closure rather than returned).
    pub fn with_graph<R>(&self, f: impl for<'g, 'd> FnOnce(&'g Graph<'d>) -> R) -> R {
        self.cell.with_dependent(|_, graph| f(graph))
    }

    /// How many elements of each kind it holds.
    pub fn summary(&self) -> Summary {
        self.document().summary()
    }

    /// Every rule, with the findings located in the source and in the order a reader
    /// meets them (as `policygraph check` reports them).
    pub fn check(&self, options: &CheckOptions) -> Report {
        let mut report = self.with_graph(|g| check_graph(g, options));
        locate_findings(&mut report, self.source(), &self.limits);
        report
    }

    /// The findings (located, as [`Programme::check`]) and the coverage, computed side
    /// by side.
    pub fn analyse(&self, options: &CheckOptions) -> (Report, Coverage) {
        let (mut report, coverage) = self.with_graph(|g| analyse(g, options));
        locate_findings(&mut report, self.source(), &self.limits);
        (report, coverage)
    }

    /// The coverage.
    pub fn coverage(&self) -> Coverage {
        self.with_graph(coverage)
    }

    /// An element traced up to the priorities and forward to the results.
    pub fn trace(&self, id: &str) -> Result<Trace, UnknownId> {
        self.with_graph(|g| trace(g, id))
    }

    /// What dropping an element would leave uncovered or orphaned.
    pub fn impact(&self, id: &str) -> Result<Impact, UnknownId> {
        self.with_graph(|g| impact(g, id))
    }

    /// The elements matching every filter of a query.
    pub fn query(&self, q: &Query) -> Result<Vec<QueryRow>, QueryError> {
        self.with_graph(|g| query(g, q))
    }

    /// Every element, or those of one kind, in document order within each kind.
    pub fn elements(&self, kind: Option<NodeKind>) -> Vec<QueryRow> {
        // a query with no id filter names nothing that could be unknown
        self.query(&Query {
            kind,
            ..Query::default()
        })
        .unwrap_or_default()
    }

    /// What changed from this version to `new`.
    pub fn diff(&self, new: &Programme) -> Diff {
        self.with_graph(|old| new.with_graph(|new| diff(old, new)))
    }

    /// The document written in a format.
    pub fn to_text(&self, format: Format) -> Result<String, WriteError> {
        to_string(self.document(), format)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    const TEXT: &str = "format: policygraph/v1\nprogramme: {id: p, title: P, period: 2023-2025}\npriorities:\n  - id: P1\n    title: One\n    actions: [{id: P1.1, title: a}, {id: P1.2, title: b}]\nactivities:\n  - {id: A1, title: Course, timeframe: 2024, addresses: [P1.1]}\n";

    fn programme() -> Programme {
        Programme::from_text(
            TEXT.to_owned(),
            Format::Yaml,
            Some("p.yaml".into()),
            &Limits::default(),
        )
        .unwrap()
    }

    #[test]
    fn a_programme_is_shared_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Programme>();
        let p = programme();
        let reports: Vec<Report> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| p.check(&CheckOptions::default())))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(reports.windows(2).all(|w| w[0] == w[1]));
        let d = reports[0]
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "PG702")
            .unwrap();
        let at = d.location.as_ref().unwrap();
        assert_eq!((at.file.as_deref(), at.line), (Some("p.yaml"), 6));
    }

    #[test]
    fn many_files_are_checked_in_input_order_on_any_number_of_workers() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        paths.sort();
        paths.insert(2, dir.join("missing.yaml"));
        let options = CheckOptions::default();
        let limits = Limits::default();
        let serial: Vec<_> = paths
            .iter()
            .map(|p| {
                crate::load::load_path(p, &limits)
                    .map(|l| crate::check::check_loaded(&l, &options, &limits))
            })
            .collect();
        for workers in [Some(1), Some(2), Some(3), Some(1000), None] {
            let got = crate::check::check_files(&paths, &options, &limits, workers);
            assert_eq!(got, serial, "{workers:?} workers");
        }
        assert!(serial[2].is_err());
        assert!(crate::check::check_files::<&str>(&[], &options, &limits, None).is_empty());
    }

    #[test]
    fn each_method_is_the_analysis_it_names() {
        let p = programme();
        assert_eq!(p.coverage().uncovered_lines, ["P1.2"]);
        assert_eq!(p.trace("A1").unwrap().priorities, ["P1"]);
        assert_eq!(p.trace("A9").unwrap_err().id, "A9");
        let ids: Vec<String> = p
            .elements(Some(NodeKind::Action))
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, ["P1.1", "P1.2"]);
        assert_eq!(p.elements(None).len(), 5);
        assert!(p.diff(&programme()).is_empty());
        assert_eq!(p.summary().lines_of_action, 2);
        let json = p.to_text(Format::Json).unwrap();
        let again = Programme::from_text(json, Format::Json, None, &Limits::default()).unwrap();
        assert!(p.diff(&again).is_empty());
        let bytes =
            Programme::from_bytes(TEXT.into(), Format::Yaml, None, &Limits::default()).unwrap();
        assert!(p.diff(&bytes).is_empty());
        let bad = Programme::from_bytes(
            b"format: \xff".to_vec(),
            Format::Yaml,
            None,
            &Limits::default(),
        )
        .unwrap_err();
        let at = bad.diagnostics[0].location.as_ref().unwrap();
        assert_eq!(
            (bad.diagnostics[0].code.as_str(), at.line, at.column),
            ("PG008", 1, 9)
        );
        let small = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let big = Programme::from_bytes(TEXT.into(), Format::Yaml, None, &small).unwrap_err();
        assert_eq!(big.diagnostics[0].code, crate::Code::LimitExceeded);
    }
}
