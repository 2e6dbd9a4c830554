//! Running the validation rules: which rules run at which level, and the report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes::{Code, Unselectable};
use crate::diagnostic::{Diagnostic, Severity, escape_token};
use crate::graph::Graph;
use crate::load::{Limits, Loaded, locate_all};
use crate::model::{Document, RuleLevel};
use crate::rules;
use crate::source::Source;

/// Per-call rule levels, applied after the document's own `settings.rules`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Levels by code.
    pub levels: BTreeMap<Code, RuleLevel>,
}

impl CheckOptions {
    /// Sets a rule's level.
    pub fn with(mut self, code: Code, level: RuleLevel) -> CheckOptions {
        self.levels.insert(code, level);
        self
    }
}

/// The findings of a check, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    /// The findings.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The most serious severity present.
    pub fn max_severity(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }
}

/// The level each rule runs at for a document and call.
pub(crate) struct Levels {
    levels: BTreeMap<Code, RuleLevel>,
}

impl Levels {
    fn resolve(doc: &Document, options: &CheckOptions, out: &mut Vec<Diagnostic>) -> Levels {
        let mut levels = BTreeMap::new();
        if let Some(settings) = &doc.settings {
            for (key, level) in &settings.rules {
                match Code::select(key, true, &[]) {
                    Ok(code) => {
                        levels.insert(code, *level);
                    }
                    Err(Unselectable::Reading(code)) => out.push(
                        Diagnostic::new(
                            Code::UnknownRuleSetting,
                            format!("/settings/rules/{}", escape_token(key)),
                            format!(
                                "`{key}` reports a problem reading the document and cannot be set"
                            ),
                        )
                        .with_help(format!(
                            "remove it: `{}` ({}) is not a validation rule",
                            code.as_str(),
                            code.name()
                        )),
                    ),
                    Err(Unselectable::Unknown { near }) => {
                        let help = match near {
                            Some(near) => format!("did you mean `{near}`?"),
                            None => "run `policygraph rules` to list the rules".to_owned(),
                        };
                        out.push(
                            Diagnostic::new(
                                Code::UnknownRuleSetting,
                                format!("/settings/rules/{}", escape_token(key)),
                                format!("`{key}` is not a rule"),
                            )
                            .with_help(help),
                        );
                    }
                }
            }
        }
        levels.extend(options.levels.iter().map(|(c, l)| (*c, *l)));
        Levels { levels }
    }

    pub(crate) fn enabled(&self, code: Code) -> bool {
        self.levels.get(&code) != Some(&RuleLevel::Off)
    }

    fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| match self.levels.get(&d.code) {
                Some(RuleLevel::Off) => None,
                Some(RuleLevel::Info) => {
                    d.severity = Severity::Info;
                    Some(d)
                }
                Some(RuleLevel::Warning) => {
                    d.severity = Severity::Warning;
                    Some(d)
                }
                Some(RuleLevel::Error) => {
                    d.severity = Severity::Error;
                    Some(d)
                }
                None => Some(d),
            })
            .collect()
    }
}

/// Runs every rule on a graph. Findings carry JSON Pointers but no source locations.
/// Large graphs are checked on two threads.
pub fn check_graph(graph: &Graph<'_>, options: &CheckOptions) -> Report {
    let mut out = Vec::new();
    let levels = Levels::resolve(graph.document(), options, &mut out);
    rules::run(graph, &levels, &mut out);
    let mut diagnostics = levels.apply(out);
    sort(&mut diagnostics);
    Report { diagnostics }
}

/// Runs every rule on a document.
pub fn check_document(doc: &Document, options: &CheckOptions) -> Report {
    check_graph(&Graph::build(doc), options)
}

/// Runs every rule on a loaded document and locates the findings in its source.
pub fn check_loaded(loaded: &Loaded, options: &CheckOptions, limits: &Limits) -> Report {
    let mut report = check_document(&loaded.document, options);
    locate_findings(&mut report, &loaded.source, limits);
    report
}

fn sort(diagnostics: &mut [Diagnostic]) {
    // document order: by pointer, numerically for list positions; then by code
    diagnostics.sort_by(|a, b| {
        pointer_key(&a.pointer)
            .cmp(&pointer_key(&b.pointer))
            .then(a.code.cmp(&b.code))
    });
}

fn pointer_key(pointer: &str) -> Vec<(u8, u64, &str)> {
    // sections in the order a document is written
    const ORDER: [&str; 13] = [
        "format",
        "programme",
        "priorities",
        "activities",
        "outputs",
        "outcomes",
        "indicators",
        "funding_sources",
        "partners",
        "networks",
        "themes",
        "evaluation",
        "settings",
    ];
    pointer
        .split('/')
        .skip(1)
        .enumerate()
        .map(|(i, t)| match t.parse::<u64>() {
            Ok(n) => (0, n, ""),
            Err(_) if i == 0 => (
                1,
                ORDER.iter().position(|s| *s == t).unwrap_or(99) as u64,
                t,
            ),
            Err(_) => (1, 0, t),
        })
        .collect()
}

/// Runs every rule and computes the coverage, side by side on two threads for a large
/// programme: the whole analysis of a loaded document.
pub fn analyse(graph: &Graph<'_>, options: &CheckOptions) -> (Report, crate::coverage::Coverage) {
    // both need the derived facts; derive them once, before the threads share them
    graph.derived();
    let (coverage, report) = crate::parallel::join_from(
        graph.node_count(),
        || crate::coverage::coverage(graph),
        || check_graph(graph, options),
    );
    (report, coverage)
}

/// [`analyse`] for a loaded document, with the findings located in its source and in
/// the order a reader meets them.
pub fn analyse_loaded(
    loaded: &Loaded,
    options: &CheckOptions,
    limits: &Limits,
) -> (Report, crate::coverage::Coverage) {
    let graph = Graph::build(&loaded.document);
    let (mut report, coverage) = analyse(&graph, options);
    locate_findings(&mut report, &loaded.source, limits);
    (report, coverage)
}

/// Gives findings their line and column in the source they were found in, and puts them
/// in the order a reader meets them.
pub fn locate_findings(report: &mut Report, source: &Source, limits: &Limits) {
    locate_all(&mut report.diagnostics, source, limits);
    report
        .diagnostics
        .sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
}

/// How a caller names the three rule settings in its messages (`--allow` on the command
/// line, `allow=` in Python).
#[derive(Clone, Copy, Debug)]
pub struct SelectorNames {
    /// The setting that switches rules off.
    pub allow: &'static str,
    /// The setting that makes rules warnings.
    pub warn: &'static str,
    /// The setting that makes rules errors (and takes `warnings`: warnings fail too).
    pub deny: &'static str,
}

impl SelectorNames {
    /// The command line's flags.
    pub const FLAGS: SelectorNames = SelectorNames {
        allow: "--allow",
        warn: "--warn",
        deny: "--deny",
    };
}

/// Rule levels asked for by code or name (`PG702`, `uncovered-action`), and whether
/// warnings fail too (`deny warnings`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSelection {
    /// The levels, for [`check_graph`] and the functions beside it.
    pub options: CheckOptions,
    /// Whether warnings count as failures.
    pub deny_warnings: bool,
}

/// A rule setting names no rule, or a code that no setting can change.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SelectorError {
    /// The text as given.
    pub selector: String,
    /// What is wrong with it, with a "did you mean" when a rule is close.
    pub message: String,
}

impl RuleSelection {
    /// Reads the three settings: `allow` switches rules off, `warn` makes them warnings,
    /// `deny` makes them errors (`warnings` there makes every warning fail). A later
    /// setting wins over an earlier one for the same rule, in that order.
    pub fn new<A, W, D>(
        allow: A,
        warn: W,
        deny: D,
        names: SelectorNames,
    ) -> Result<RuleSelection, SelectorError>
    where
        A: IntoIterator,
        A::Item: AsRef<str>,
        W: IntoIterator,
        W::Item: AsRef<str>,
        D: IntoIterator,
        D::Item: AsRef<str>,
    {
        let mut selection = RuleSelection::default();
        for code in allow {
            let code = settable_rule(code.as_ref(), names.allow, false)?;
            selection.options.levels.insert(code, RuleLevel::Off);
        }
        for code in warn {
            let code = settable_rule(code.as_ref(), names.warn, false)?;
            selection.options.levels.insert(code, RuleLevel::Warning);
        }
        for code in deny {
            if code.as_ref() == "warnings" {
                selection.deny_warnings = true;
            } else {
                let code = settable_rule(code.as_ref(), names.deny, true)?;
                selection.options.levels.insert(code, RuleLevel::Error);
            }
        }
        Ok(selection)
    }

    /// Whether findings with these counts fail the check.
    pub fn fails(&self, errors: usize, warnings: usize) -> bool {
        errors > 0 || (self.deny_warnings && warnings > 0)
    }
}

/// The code `policygraph rules CODE` explains, by code or name (any code, reading
/// problems included), through the same lookup as the rule settings.
pub fn code_named(text: &str) -> Result<Code, SelectorError> {
    selected(text, None)
}

/// The rule a setting names, by code or name.
fn settable_rule(text: &str, setting: &str, takes_warnings: bool) -> Result<Code, SelectorError> {
    selected(text, Some((setting, takes_warnings)))
}

/// [`Code::select`] with the message a person reads: for a setting (its name, and whether
/// it takes `warnings`), or for any code with `None`.
fn selected(text: &str, setting: Option<(&str, bool)>) -> Result<Code, SelectorError> {
    let also: &[&'static str] = match setting {
        Some((_, true)) => &["warnings"],
        _ => &[],
    };
    let message = match Code::select(text, setting.is_some(), also) {
        Ok(code) => return Ok(code),
        Err(Unselectable::Reading(code)) => format!(
            "`{text}` ({}) is a problem reading the document, which `{}` cannot change",
            code.name(),
            setting.map_or("a setting", |(s, _)| s)
        ),
        Err(Unselectable::Unknown { near: Some(near) }) => {
            format!("`{text}` is not a rule (did you mean `{near}`?)")
        }
        Err(Unselectable::Unknown { near: None }) => {
            format!("`{text}` is not a rule (run `policygraph rules` to list them)")
        }
    };
    Err(SelectorError {
        selector: text.to_owned(),
        message,
    })
}

/// Loads and checks many files, `workers` at a time (one a core when `None`): each
/// file's located report, or why it could not be read, in the order of `paths`.
pub fn check_files<P: AsRef<std::path::Path> + Sync>(
    paths: &[P],
    options: &CheckOptions,
    limits: &Limits,
    workers: Option<usize>,
) -> Vec<Result<Report, crate::load::LoadError>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let one = |path: &P| {
        crate::load::load_path(path.as_ref(), limits)
            .map(|loaded| check_loaded(&loaded, options, limits))
    };
    let workers = workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .clamp(1, paths.len().max(1));
    // every worker, even a single one, is a thread of its own with a stack large enough
    // for parsing, so that no document maps a fresh stack (mapping and unmapping take a
    // process-wide lock, which made two workers little faster than one)
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Report, crate::load::LoadError>)> = std::thread::scope(|s| {
        let work = || {
            let mut mine = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                mine.push((i, one(path)));
            }
            mine
        };
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(crate::load::PARSING_THREAD_STACK)
                    .spawn_scoped(s, work)
            })
            .collect();
        let mut all = Vec::with_capacity(paths.len());
        for handle in handles {
            match handle {
                Ok(h) => all.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
                // no thread could be started: this one does what is left
                Err(_) => all.extend(work()),
            }
        }
        all
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
