//! The Python package `policygraph`: a thin layer over the Rust core.
//!
//! Each function and method is one call of the core (`policygraph::Programme`,
//! `policygraph::check_files`, `policygraph_export::*`) plus conversion: results become
//! records through `records` (the one conversion of serializable data), tables through
//! `table` (typed Arrow columns), errors through `errors` (the one mapping to
//! exceptions). Long calls release the GIL; no panic reaches Python.

mod errors;
mod records;
mod table;

/// The allocator of the package's Rust side, as of the command line: loading and freeing
/// a large programme makes millions of small allocations. Python's own objects keep
/// Python's allocator; Arrow buffers handed to Python are freed through their own
/// release callbacks, by this allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::sync::Arc;

use policygraph::check::{RuleSelection, SelectorNames};
use policygraph::{Format, Limits, NodeKind, Query, Severity};
use policygraph_export::ExportFormat;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::{Error, InternalError, LoadError, Result, detached, guard};
use crate::table::Table;

/// How the settings of `check` are named in messages.
const SETTINGS: SelectorNames = SelectorNames {
    allow: "allow=",
    warn: "warn=",
    deny: "deny=",
};

fn limits(max_bytes: Option<usize>) -> Limits {
    let mut limits = Limits::default();
    if let Some(n) = max_bytes {
        limits.max_bytes = n;
    }
    limits
}

fn format_named(name: &str) -> Result<Format> {
    Format::from_name(name).ok_or_else(|| {
        Error::Invalid(format!(
            "`{name}` is not a document format (the formats are `yaml`, `json` and `toml`)"
        ))
    })
}

/// A path argument: `str` or `os.PathLike`.
fn path_of(path: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    path.extract::<PathBuf>().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "expected a path (`str` or `os.PathLike`), got `{}`",
            path.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

fn load_error(e: policygraph::LoadError, name: Option<String>) -> Error {
    Error::Load {
        name,
        problems: e.diagnostics,
    }
}

fn load_file(path: &std::path::Path, limits: &Limits) -> Result<policygraph::Programme> {
    if let Err(e) = std::fs::metadata(path)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        return Err(Error::NoSuchFile(path.display().to_string()));
    }
    policygraph::Programme::load(path, limits)
        .map_err(|e| load_error(e, Some(path.display().to_string())))
}

/// A loaded programme: its document, its source and its graph.
#[pyclass(module = "policygraph", frozen)]
struct Programme {
    inner: Arc<policygraph::Programme>,
}

#[pymethods]
impl Programme {
    /// The programme's id.
    #[getter]
    fn id(&self) -> String {
        self.inner.document().programme.id.to_string()
    }

    /// The programme's title.
    #[getter]
    fn title(&self) -> String {
        self.inner.document().programme.title.clone()
    }

    /// The file it was read from (`None` when it came from text without a name).
    #[getter]
    fn path(&self) -> Option<String> {
        self.inner.source().name.clone()
    }

    /// The format it was read in (`yaml`, `json` or `toml`).
    #[getter]
    fn format(&self) -> &'static str {
        self.inner.source().format.name()
    }

    /// How many elements of each kind it holds.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_python(py, &self.inner.summary())
    }

    /// Runs every rule. `allow` switches rules off, `warn` makes them warnings, `deny`
    /// makes them errors (`"warnings"` there makes warnings fail `Report.ok`); each takes
    /// codes or names (`"PG702"`, `"uncovered-action"`).
    #[pyo3(signature = (*, deny = Vec::new(), allow = Vec::new(), warn = Vec::new()))]
    fn check(
        &self,
        py: Python<'_>,
        deny: Vec<String>,
        allow: Vec<String>,
        warn: Vec<String>,
    ) -> PyResult<Report> {
        let selection = RuleSelection::new(&allow, &warn, &deny, SETTINGS)
            .map_err(|e| Error::Invalid(e.message))?;
        let inner = &self.inner;
        let report = detached(py, || Ok(inner.check(&selection.options)))?;
        Ok(Report {
            inner: report,
            path: inner.source().name.clone(),
            readable: true,
            deny_warnings: selection.deny_warnings,
        })
    }

    /// What the programme covers: per priority, line of action, indicator and year.
    fn coverage(&self, py: Python<'_>) -> PyResult<Coverage> {
        let inner = &self.inner;
        Ok(Coverage {
            inner: detached(py, || Ok(inner.coverage()))?,
        })
    }

    /// An element traced up to the priorities it serves and forward to its results.
    fn trace<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        let trace = detached(py, || Ok(inner.trace(id)?))?;
        records::to_python(py, &trace)
    }

    /// What dropping an element (with everything nested in it) would leave uncovered,
    /// orphaned or broken.
    fn impact<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        let impact = detached(py, || Ok(inner.impact(id)?))?;
        records::to_python(py, &impact)
    }

    /// The elements that match every filter given, as a table.
    #[pyo3(signature = (*, kind = None, year = None, funding = None, priority = None, status = None, partner = None, theme = None))]
    #[allow(clippy::too_many_arguments)]
    fn query(
        &self,
        py: Python<'_>,
        kind: Option<&str>,
        year: Option<i32>,
        funding: Option<String>,
        priority: Option<String>,
        status: Option<String>,
        partner: Option<String>,
        theme: Option<String>,
    ) -> PyResult<Table> {
        let kind = kind.map(node_kind).transpose()?;
        let q = Query {
            kind,
            year,
            funding,
            priority,
            status,
            partner,
            theme,
        };
        let inner = &self.inner;
        let rows = detached(py, || Ok(inner.query(&q)?))?;
        Ok(Table::new("elements", rows))
    }

    /// Every element, or those of one kind, as a table.
    #[pyo3(signature = (kind = None))]
    fn elements(&self, py: Python<'_>, kind: Option<&str>) -> PyResult<Table> {
        let kind = kind.map(node_kind).transpose()?;
        let inner = &self.inner;
        let rows = detached(py, || Ok(inner.elements(kind)))?;
        Ok(Table::new("elements", rows))
    }

    /// What changed from this version to `other`.
    fn diff(&self, py: Python<'_>, other: &Programme) -> PyResult<Diff> {
        let (old, new) = (&self.inner, &other.inner);
        Ok(Diff {
            inner: detached(py, || Ok(old.diff(new)))?,
        })
    }

    /// The programme rendered as `html` (a self-contained report), `markdown`, `dot`,
    /// `mermaid` or `jsonld`.
    fn export(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let format = ExportFormat::find(format).map_err(Error::Invalid)?;
        if format == ExportFormat::Csv {
            return Err(Error::Invalid(
                "`csv` is one table per kind: use `elements(kind).to_pandas()` or the command line's `export --to csv`".to_owned(),
            )
            .into());
        }
        let inner = &self.inner;
        detached(py, || {
            Ok(policygraph_export::export_programme(inner, format)
                .into_iter()
                .map(|f| f.content)
                .collect())
        })
    }

    /// The document as plain dicts and lists (the shape of its JSON).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_plain(py, self.inner.document())
    }

    /// The document written as JSON (or `yaml`, `toml`).
    #[pyo3(signature = (format = "json"))]
    fn to_json(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let format = format_named(format)?;
        let inner = &self.inner;
        detached(py, || {
            inner.to_text(format).map_err(|e| Error::Invalid(e.0))
        })
    }

    fn __repr__(&self) -> String {
        let doc = self.inner.document();
        format!(
            "<policygraph.Programme `{}` ({} elements{})>",
            doc.programme.id,
            self.inner.with_graph(|g| g.node_count()),
            self.inner
                .source()
                .name
                .as_ref()
                .map(|n| format!(", from `{n}`"))
                .unwrap_or_default()
        )
    }

    fn _repr_html_(&self) -> String {
        policygraph_export::notebook::programme(&self.inner)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let p = &slf.get().inner;
        let restore = py.import("policygraph")?.getattr("_restore_programme")?;
        let source = p.source();
        let args = (
            source.text.as_str(),
            source.format.name(),
            source.name.clone(),
            p.limits().max_bytes,
        );
        PyTuple::new(py, [restore, args.into_pyobject(py)?.into_any()])
    }
}

fn node_kind(name: &str) -> Result<NodeKind> {
    NodeKind::find(name).map_err(|e| Error::Invalid(e.message))
}

/// The findings of a check (or, for a file that could not be read, its problems).
#[pyclass(module = "policygraph", frozen)]
struct Report {
    inner: policygraph::Report,
    path: Option<String>,
    readable: bool,
    deny_warnings: bool,
}

impl Report {
    fn of(&self, severity: Severity) -> Vec<&policygraph::Diagnostic> {
        self.inner
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .collect()
    }
}

#[pymethods]
impl Report {
    /// Whether nothing fails: the document was read and has no error (nor, with
    /// `deny=["warnings"]`, any warning).
    #[getter]
    fn ok(&self) -> bool {
        let selection = RuleSelection {
            deny_warnings: self.deny_warnings,
            ..RuleSelection::default()
        };
        self.readable
            && !selection.fails(
                self.inner.count(Severity::Error),
                self.inner.count(Severity::Warning),
            )
    }

    /// Whether the document could be read (`validate_many` reports files that could not
    /// be, with their problems as findings).
    #[getter]
    fn readable(&self) -> bool {
        self.readable
    }

    /// The file checked, when there was one.
    #[getter]
    fn path(&self) -> Option<String> {
        self.path.clone()
    }

    /// Every finding, in the order a reader meets them.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_python(py, &self.inner.diagnostics)
    }

    /// The findings of severity `error`.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_python(py, &self.of(Severity::Error))
    }

    /// The findings of severity `warning`.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_python(py, &self.of(Severity::Warning))
    }

    /// The findings of severity `info`.
    #[getter]
    fn infos<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_python(py, &self.of(Severity::Info))
    }

    /// The findings as a table (one row each, location spread into columns).
    fn table(&self) -> Table {
        Table::new("findings", policygraph::tables::findings(&self.inner))
    }

    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Table::to_pandas(&Bound::new(py, self.table())?)
    }

    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Table::to_polars(&Bound::new(py, self.table())?)
    }

    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Table::to_arrow(&Bound::new(py, self.table())?)
    }

    /// The report as plain dicts (`{"diagnostics": [...]}`, the JSON report's shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_plain(py, &self.inner)
    }

    /// The report as JSON.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| Error::Internal(e.to_string()).into())
    }

    fn __len__(&self) -> usize {
        self.inner.diagnostics.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(records::to_python(py, &self.inner.diagnostics)?
            .try_iter()?
            .into_any())
    }

    fn __repr__(&self) -> String {
        format!(
            "<policygraph.Report{} {}: {} errors, {} warnings, {} infos>",
            self.path
                .as_ref()
                .map(|p| format!(" `{p}`"))
                .unwrap_or_default(),
            if self.ok() {
                "ok"
            } else if self.readable {
                "failed"
            } else {
                "unreadable"
            },
            self.inner.count(Severity::Error),
            self.inner.count(Severity::Warning),
            self.inner.count(Severity::Info)
        )
    }

    fn _repr_html_(&self) -> String {
        policygraph_export::notebook::report(&self.inner)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("policygraph")?.getattr("_restore_report")?;
        let args = (
            self.to_json()?,
            self.path.clone(),
            self.readable,
            self.deny_warnings,
        );
        PyTuple::new(py, [restore, args.into_pyobject(py)?.into_any()])
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Report>().is_ok_and(|o| {
            let o = o.get();
            o.inner == self.inner
                && o.path == self.path
                && o.readable == self.readable
                && o.deny_warnings == self.deny_warnings
        })
    }
}

/// The coverage of a programme.
#[pyclass(module = "policygraph", frozen)]
struct Coverage {
    inner: policygraph::Coverage,
}

#[pymethods]
impl Coverage {
    /// Per strategic priority: lines, lines covered, share, activities, deliverables.
    #[getter]
    fn priorities(&self) -> Table {
        Table::new("priorities", self.inner.priorities.clone())
    }

    /// Per line of action: whether covered, and by what.
    #[getter]
    fn lines(&self) -> Table {
        Table::new("lines", self.inner.lines.clone())
    }

    /// Per indicator: the plan against the target.
    #[getter]
    fn indicators(&self) -> Table {
        Table::new("indicators", policygraph::tables::indicators(&self.inner))
    }

    /// Per calendar year: the activities and deliverables planned in it.
    #[getter]
    fn years(&self) -> Table {
        Table::new("years", self.inner.years.clone())
    }

    /// Per project year (1 for `M1`–`M12`), for a programme in months from a start it
    /// does not date: the activities, deliverables and milestones planned in it (empty
    /// when the programme dates its start).
    #[getter]
    fn project_years(&self) -> Table {
        Table::new("project_years", self.inner.project_years.clone())
    }

    /// Per funding source: the activities it funds.
    #[getter]
    fn funding_sources(&self) -> Table {
        Table::new("funding_sources", self.inner.funding_sources.clone())
    }

    /// Per partner: the work it leads, takes part in or puts effort into.
    #[getter]
    fn partners(&self) -> Table {
        Table::new("partners", self.inner.partners.clone())
    }

    /// Per network: the activities run in or through it.
    #[getter]
    fn networks(&self) -> Table {
        Table::new("networks", self.inner.networks.clone())
    }

    /// Per cross-cutting theme: the activities serving it.
    #[getter]
    fn themes(&self) -> Table {
        Table::new("themes", self.inner.themes.clone())
    }

    /// The lines of action no activity addresses.
    #[getter]
    fn uncovered_lines(&self) -> Vec<String> {
        self.inner
            .uncovered_lines
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The activities with no timeframe, own or inherited.
    #[getter]
    fn unscheduled(&self) -> Vec<String> {
        self.inner
            .unscheduled
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The coverage as plain dicts (the JSON of `policygraph coverage --format json`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_plain(py, &self.inner)
    }

    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| Error::Internal(e.to_string()).into())
    }

    fn __repr__(&self) -> String {
        format!(
            "<policygraph.Coverage: {} priorities, {} lines of action ({} uncovered), {} indicators>",
            self.inner.priorities.len(),
            self.inner.lines.len(),
            self.inner.uncovered_lines.len(),
            self.inner.indicators.len()
        )
    }

    fn _repr_html_(&self) -> String {
        policygraph_export::notebook::coverage(&self.inner)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Coverage>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("policygraph")?.getattr("_restore_coverage")?;
        let args = (self.to_json()?,);
        PyTuple::new(py, [restore, args.into_pyobject(py)?.into_any()])
    }
}

/// What changed between two versions of a programme.
#[pyclass(module = "policygraph", frozen)]
struct Diff {
    inner: policygraph::Diff,
}

#[pymethods]
impl Diff {
    /// Whether the two versions are the same programme.
    #[getter]
    fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// How many changes of each sort.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_python(py, &self.inner.summary)
    }

    /// Every change, one a row.
    fn table(&self) -> Table {
        Table::new("changes", policygraph::tables::diff_rows(&self.inner))
    }

    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Table::to_pandas(&Bound::new(py, self.table())?)
    }

    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Table::to_polars(&Bound::new(py, self.table())?)
    }

    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Table::to_arrow(&Bound::new(py, self.table())?)
    }

    /// The diff as plain dicts (the JSON of `policygraph diff --format json`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        records::to_plain(py, &self.inner)
    }

    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| Error::Internal(e.to_string()).into())
    }

    fn __bool__(&self) -> bool {
        !self.inner.is_empty()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Diff>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("policygraph")?.getattr("_restore_diff")?;
        let args = (self.to_json()?,);
        PyTuple::new(py, [restore, args.into_pyobject(py)?.into_any()])
    }

    fn __repr__(&self) -> String {
        let s = &self.inner.summary;
        format!(
            "<policygraph.Diff: {} added, {} removed, {} renamed, {} moved, {} changed>",
            s.added, s.removed, s.renamed, s.moved, s.changed
        )
    }
}

/// Reads a programme from a file; the format comes from the extension.
#[pyfunction]
#[pyo3(signature = (path, *, max_bytes = None))]
fn load(py: Python<'_>, path: &Bound<'_, PyAny>, max_bytes: Option<usize>) -> PyResult<Programme> {
    let path = path_of(path)?;
    let limits = limits(max_bytes);
    let inner = detached(py, || load_file(&path, &limits))?;
    Ok(Programme {
        inner: Arc::new(inner),
    })
}

/// Reads a programme from text (`str`, or UTF-8 `bytes`) in `yaml`, `json` or `toml`.
#[pyfunction]
#[pyo3(signature = (text, format = "yaml", *, name = None, max_bytes = None))]
fn loads(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    format: &str,
    name: Option<String>,
    max_bytes: Option<usize>,
) -> PyResult<Programme> {
    let format = format_named(format)?;
    let limits = limits(max_bytes);
    let bytes: Vec<u8> = if let Ok(s) = text.extract::<String>() {
        s.into_bytes()
    } else if let Ok(b) = text.extract::<Vec<u8>>() {
        b
    } else {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected the document's text as `str` or `bytes`, got `{}`",
            text.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        )));
    };
    let inner = detached(py, || {
        policygraph::Programme::from_bytes(bytes, format, name.clone(), &limits)
            .map_err(|e| load_error(e, name.clone()))
    })?;
    Ok(Programme {
        inner: Arc::new(inner),
    })
}

/// Loads and checks many files, `workers` at a time (one a core by default), with the
/// GIL released: one report each, in the order given. A file that cannot be read gives
/// a report with `readable == False` and its problems as findings.
#[pyfunction]
#[pyo3(signature = (paths, *, workers = None, deny = Vec::new(), allow = Vec::new(), warn = Vec::new(), max_bytes = None))]
#[allow(clippy::too_many_arguments)]
fn validate_many(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    workers: Option<usize>,
    deny: Vec<String>,
    allow: Vec<String>,
    warn: Vec<String>,
    max_bytes: Option<usize>,
) -> PyResult<Vec<Report>> {
    if paths.is_instance_of::<pyo3::types::PyString>() {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "expected a list of paths, got one `str` (wrap it in a list)",
        ));
    }
    let paths: Vec<PathBuf> = paths
        .try_iter()?
        .map(|p| path_of(&p?))
        .collect::<PyResult<_>>()?;
    if workers == Some(0) {
        return Err(Error::Invalid("`workers` must be at least 1".to_owned()).into());
    }
    let selection = RuleSelection::new(&allow, &warn, &deny, SETTINGS)
        .map_err(|e| Error::Invalid(e.message))?;
    let limits = limits(max_bytes);
    let results = detached(py, || {
        Ok(policygraph::check_files(
            &paths,
            &selection.options,
            &limits,
            workers,
        ))
    })?;
    Ok(paths
        .iter()
        .zip(results)
        .map(|(path, result)| {
            let (inner, readable) = match result {
                Ok(report) => (report, true),
                Err(e) => (
                    policygraph::Report {
                        diagnostics: e.diagnostics,
                    },
                    false,
                ),
            };
            Report {
                inner,
                path: Some(path.display().to_string()),
                readable,
                deny_warnings: selection.deny_warnings,
            }
        })
        .collect())
}

/// The JSON Schema of programme documents, as a dict.
#[pyfunction]
fn schema<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
    records::to_plain(py, &policygraph::schema::document_schema())
}

/// Every diagnostic code: code, name, group, severity, whether it is a rule, and its
/// documentation.
#[pyfunction]
fn rules() -> Table {
    Table::new("rules", policygraph::tables::rules())
}

/// A synthetic programme of about `n` elements (deterministic for a `seed`).
#[pyfunction]
#[pyo3(signature = (n, *, seed = 0))]
fn generate(py: Python<'_>, n: usize, seed: u64) -> PyResult<Programme> {
    policygraph::generate::check_size(n).map_err(Error::Invalid)?;
    let inner = detached(py, || {
        let doc = policygraph::generate::generate(n, seed);
        let text = policygraph::to_string(&doc, Format::Json).map_err(|e| Error::Invalid(e.0))?;
        policygraph::Programme::from_text(text, Format::Json, None, &Limits::large())
            .map_err(|e| load_error(e, None))
    })?;
    Ok(Programme {
        inner: Arc::new(inner),
    })
}

#[pyfunction]
fn _restore_report_inner(
    json: &str,
    path: Option<String>,
    readable: bool,
    deny_warnings: bool,
) -> PyResult<Report> {
    let inner: policygraph::Report = serde_json::from_str(json)
        .map_err(|e| Error::Invalid(format!("not a pickled report: {e}")))?;
    Ok(Report {
        inner,
        path,
        readable,
        deny_warnings,
    })
}

#[pyfunction]
fn _restore_diff_inner(json: &str) -> PyResult<Diff> {
    let inner: policygraph::Diff = serde_json::from_str(json)
        .map_err(|e| Error::Invalid(format!("not a pickled diff: {e}")))?;
    Ok(Diff { inner })
}

#[pyfunction]
fn _restore_coverage_inner(json: &str) -> PyResult<Coverage> {
    let inner: policygraph::Coverage = serde_json::from_str(json)
        .map_err(|e| Error::Invalid(format!("not a pickled coverage: {e}")))?;
    Ok(Coverage { inner })
}

/// Raises `InternalError` as a panic inside the core would: the boundary's own test.
#[pyfunction]
fn _panic_for_tests() -> PyResult<()> {
    #[allow(clippy::panic)]
    let r: Result<()> = guard(|| panic!("a panic raised on purpose"));
    r.map_err(PyErr::from)
}

#[pymodule]
fn _policygraph(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("LoadError", py.get_type::<LoadError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    m.add_class::<Programme>()?;
    m.add_class::<Report>()?;
    m.add_class::<Coverage>()?;
    m.add_class::<Diff>()?;
    m.add_class::<Table>()?;
    for f in [
        wrap_pyfunction!(load, m)?,
        wrap_pyfunction!(loads, m)?,
        wrap_pyfunction!(validate_many, m)?,
        wrap_pyfunction!(schema, m)?,
        wrap_pyfunction!(rules, m)?,
        wrap_pyfunction!(generate, m)?,
        wrap_pyfunction!(_restore_report_inner, m)?,
        wrap_pyfunction!(_restore_coverage_inner, m)?,
        wrap_pyfunction!(_restore_diff_inner, m)?,
        wrap_pyfunction!(_panic_for_tests, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
