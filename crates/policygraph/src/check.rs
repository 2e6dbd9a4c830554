//! Running the validation rules: which rules run at which level, and the report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity, escape_token};
use crate::graph::Graph;
use crate::load::{Limits, Loaded, locate_all};
use crate::model::{Document, RuleLevel};
use crate::rules;

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
                match Code::find(key) {
                    Some(code) if code.is_rule() || code == Code::UnknownRuleSetting => {
                        levels.insert(code, *level);
                    }
                    Some(code) => out.push(
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
                    None => {
                        let names = Code::ALL
                            .iter()
                            .filter(|c| c.is_rule())
                            .flat_map(|c| [c.as_str(), c.name()]);
                        let help = match crate::diagnostic::did_you_mean(key, names) {
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
    locate_all(&mut report.diagnostics, &loaded.source, limits);
    // in the order a reader meets them in the file
    report
        .diagnostics
        .sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
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
    locate_in(&mut report, loaded, limits);
    (report, coverage)
}

/// Gives findings their line and column, and puts them in the order a reader meets them.
fn locate_in(report: &mut Report, loaded: &Loaded, limits: &Limits) {
    locate_all(&mut report.diagnostics, &loaded.source, limits);
    report
        .diagnostics
        .sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
}
