//! The one conversion from the core's results to the FFI records.
//!
//! Each record has the fields, and the field names, of the core value it comes from:
//! findings are `policygraph::tables::FindingRow` (the JSON report's finding with its
//! location spread out), element rows are `QueryRow`, coverage rows are the core's
//! coverage rows (indicators flattened as `tables::IndicatorRow`), diff changes are
//! `tables::DiffRow`, rules are `tables::RuleRow`. Ids and enums become strings as in
//! the JSON (`kind: "activity"`), except the severity, which is an enum; counts, lines
//! and columns become `Int` (`i32`) for Kotlin's and Swift's sake.
//!
//! The records derive `Serialize` so that a test can hold each one equal, field for
//! field, to the JSON of the core value it converts (`tests/fields.rs`): a field added
//! to the core fails that test until it is added here.

use serde::Serialize;

use policygraph::tables::{DiffRow, FindingRow, IndicatorRow, RuleRow};

/// A count or position as a foreign `Int` (saturating: no document comes near).
fn int<T: TryInto<i32>>(n: T) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

fn strings<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// An enum of the core as the string its JSON gives (`part_of`, `activity`).
fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Probably a gap or an inconsistency.
    Warning,
    /// The document is wrong or cannot be read.
    Error,
}

impl From<policygraph::Severity> for Severity {
    fn from(s: policygraph::Severity) -> Severity {
        match s {
            policygraph::Severity::Info => Severity::Info,
            policygraph::Severity::Warning => Severity::Warning,
            policygraph::Severity::Error => Severity::Error,
        }
    }
}

/// A document format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum DocumentFormat {
    Yaml,
    Json,
    Toml,
}

impl From<DocumentFormat> for policygraph::Format {
    fn from(f: DocumentFormat) -> policygraph::Format {
        match f {
            DocumentFormat::Yaml => policygraph::Format::Yaml,
            DocumentFormat::Json => policygraph::Format::Json,
            DocumentFormat::Toml => policygraph::Format::Toml,
        }
    }
}

impl From<policygraph::Format> for DocumentFormat {
    fn from(f: policygraph::Format) -> DocumentFormat {
        match f {
            policygraph::Format::Yaml => DocumentFormat::Yaml,
            policygraph::Format::Json => DocumentFormat::Json,
            policygraph::Format::Toml => DocumentFormat::Toml,
        }
    }
}

/// One finding of a check, or one problem of a document that could not be read: the
/// fields of a finding in the JSON report, with its location spread out.
#[derive(Clone, Debug, PartialEq, Serialize, uniffi::Record)]
pub struct Diagnostic {
    /// The stable code (`PG702`).
    pub code: String,
    /// The rule's name (`uncovered-action`).
    pub name: String,
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The JSON Pointer of the value concerned.
    pub pointer: String,
    /// The file, when the document came from one.
    pub file: Option<String>,
    /// The line, from 1, when the document came from text.
    pub line: Option<i32>,
    /// The column, from 1, in characters.
    pub column: Option<i32>,
    /// How to fix it.
    pub help: Option<String>,
    /// The ids of the elements involved.
    pub elements: Vec<String>,
    /// The JSON Pointers of the other places it concerns.
    pub related: Vec<String>,
}

impl From<FindingRow> for Diagnostic {
    fn from(r: FindingRow) -> Diagnostic {
        let severity = match r.severity.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        };
        Diagnostic {
            code: r.code,
            name: r.name,
            severity,
            message: r.message,
            pointer: r.pointer,
            file: r.file,
            line: r.line.map(int),
            column: r.column.map(int),
            help: r.help,
            elements: r.elements,
            related: r.related,
        }
    }
}

/// The rule settings of a check, each by code or name (`PG702`, `uncovered-action`).
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct CheckOptions {
    /// Rules switched off.
    #[uniffi(default)]
    pub allow: Vec<String>,
    /// Rules made warnings.
    #[uniffi(default)]
    pub warn: Vec<String>,
    /// Rules made errors; `warnings` makes every warning fail `Report.ok`.
    #[uniffi(default)]
    pub deny: Vec<String>,
}

/// The findings of a check.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Report {
    /// Every finding, located, in the order a reader meets them.
    pub findings: Vec<Diagnostic>,
    /// How many are errors.
    pub errors: i32,
    /// How many are warnings.
    pub warnings: i32,
    /// How many are infos.
    pub infos: i32,
    /// Whether nothing fails: no error (nor, with `deny = listOf("warnings")`, any
    /// warning).
    pub ok: bool,
}

impl Report {
    pub fn new(report: &policygraph::Report, selection: &policygraph::RuleSelection) -> Report {
        use policygraph::Severity as S;
        let (errors, warnings) = (report.count(S::Error), report.count(S::Warning));
        Report {
            findings: policygraph::tables::findings(report)
                .into_iter()
                .map(Diagnostic::from)
                .collect(),
            errors: int(errors),
            warnings: int(warnings),
            infos: int(report.count(S::Info)),
            ok: !selection.fails(errors, warnings),
        }
    }
}

/// The filters of a query; every filter given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct QueryFilter {
    /// A kind of element (`activity`, `deliverable`, `line_of_action`; the older
    /// spellings `line of action` and `action` are read too).
    #[uniffi(default = None)]
    pub kind: Option<String>,
    /// Active in this calendar year.
    #[uniffi(default = None)]
    pub year: Option<i32>,
    /// Funded by this funding source (by id).
    #[uniffi(default = None)]
    pub funding: Option<String>,
    /// Serving this priority or line of action (by id).
    #[uniffi(default = None)]
    pub priority: Option<String>,
    /// With this status.
    #[uniffi(default = None)]
    pub status: Option<String>,
    /// Led by or involving this partner (by id).
    #[uniffi(default = None)]
    pub partner: Option<String>,
    /// Serving this theme (by id).
    #[uniffi(default = None)]
    pub theme: Option<String>,
}

/// One element: a row of `query` and `elements`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Element {
    pub id: String,
    /// Its kind (`activity`, `funding_source`).
    pub kind: String,
    pub title: String,
    /// The id of the element it nests in.
    pub parent: Option<String>,
    /// Its timeframe as written (or inherited).
    pub timeframe: Option<String>,
    /// The first day of its timeframe (`2024-01-01`), when it is on the calendar.
    pub start: Option<String>,
    /// The last day of its timeframe.
    pub end: Option<String>,
    pub status: Option<String>,
    /// The funding sources, own or inherited.
    pub funding: Vec<String>,
    /// Its JSON Pointer in the document.
    pub pointer: String,
}

impl From<policygraph::QueryRow> for Element {
    fn from(r: policygraph::QueryRow) -> Element {
        Element {
            id: r.id,
            kind: r.kind.as_str().to_owned(),
            title: r.title,
            parent: r.parent,
            timeframe: r.timeframe,
            start: r.start.map(|d| d.to_string()),
            end: r.end.map(|d| d.to_string()),
            status: r.status,
            funding: r.funding,
            pointer: r.pointer,
        }
    }
}

/// One strategic priority's coverage.
#[derive(Clone, Debug, PartialEq, Serialize, uniffi::Record)]
pub struct PriorityCoverage {
    pub id: String,
    pub title: String,
    pub label: Option<String>,
    /// Its lines of action.
    pub lines: i32,
    /// How many of them some activity addresses.
    pub covered_lines: i32,
    /// `covered_lines / lines` (0 to 1).
    pub share: f64,
    pub activities: Vec<String>,
    pub deliverables: Vec<String>,
    /// Whether it is cancelled: its lines need no activity.
    pub cancelled: bool,
}

impl From<&policygraph::coverage::PriorityCoverage> for PriorityCoverage {
    fn from(p: &policygraph::coverage::PriorityCoverage) -> PriorityCoverage {
        PriorityCoverage {
            id: p.id.clone(),
            title: p.title.clone(),
            label: p.label.clone(),
            lines: int(p.lines),
            covered_lines: int(p.covered_lines),
            share: p.share,
            activities: strings(&p.activities),
            deliverables: strings(&p.deliverables),
            cancelled: p.cancelled,
        }
    }
}

/// One line of action's coverage.
#[derive(Clone, Debug, PartialEq, Serialize, uniffi::Record)]
pub struct LineCoverage {
    pub id: String,
    pub title: String,
    /// The priority it belongs to.
    pub priority: String,
    /// The line it is a sub-line of.
    pub parent: Option<String>,
    /// Whether some activity addresses it (or one of its sub-lines).
    pub covered: bool,
    pub activities: Vec<String>,
    pub through_sub_lines: Vec<String>,
    pub deliverables: Vec<String>,
    /// Whether it lies within a cancelled priority: it needs no activity.
    pub cancelled: bool,
}

impl From<&policygraph::coverage::LineCoverage> for LineCoverage {
    fn from(l: &policygraph::coverage::LineCoverage) -> LineCoverage {
        LineCoverage {
            id: l.id.clone(),
            title: l.title.clone(),
            priority: l.priority.clone(),
            parent: l.parent.clone(),
            covered: l.covered,
            activities: strings(&l.activities),
            through_sub_lines: strings(&l.through_sub_lines),
            deliverables: strings(&l.deliverables),
            cancelled: l.cancelled,
        }
    }
}

/// One indicator's plan against its target (`tables::IndicatorRow`).
#[derive(Clone, Debug, PartialEq, Serialize, uniffi::Record)]
pub struct IndicatorCoverage {
    pub id: String,
    pub label: String,
    pub unit: Option<String>,
    pub target: Option<f64>,
    /// `at_least` or `at_most` when the target is a bound.
    pub comparator: Option<String>,
    /// When the target is due, as written.
    pub target_date: Option<String>,
    /// The outcome it measures.
    pub measures: Option<String>,
    /// `programme` when it is measured across every activity (`scope: programme`).
    pub scope: Option<String>,
    /// The planned quantity, when every contributor states one.
    pub planned: Option<f64>,
    /// `met`, `short`, `over_limit`, `unknown`, `not_comparable`, `no_contributors`,
    /// `no_target` or `programme_wide`.
    pub status: String,
    /// How far the plan goes past the target (`met`) or falls short (`short`, negative).
    pub gap: Option<f64>,
    /// Why the plan cannot be compared (`unknown`).
    pub reason: Option<String>,
    pub activities: Vec<String>,
    pub deliverables: Vec<String>,
}

impl From<IndicatorRow> for IndicatorCoverage {
    fn from(r: IndicatorRow) -> IndicatorCoverage {
        IndicatorCoverage {
            id: r.id,
            label: r.label,
            unit: r.unit,
            target: r.target,
            comparator: r.comparator,
            target_date: r.target_date,
            measures: r.measures,
            scope: r.scope,
            planned: r.planned,
            status: r.status,
            gap: r.gap,
            reason: r.reason,
            activities: r.activities,
            deliverables: r.deliverables,
        }
    }
}

/// The work planned in one calendar year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct YearCoverage {
    pub year: i32,
    pub activities: Vec<String>,
    pub deliverables: Vec<String>,
}

impl From<&policygraph::coverage::YearCoverage> for YearCoverage {
    fn from(y: &policygraph::coverage::YearCoverage) -> YearCoverage {
        YearCoverage {
            year: y.year,
            activities: strings(&y.activities),
            deliverables: strings(&y.deliverables),
        }
    }
}

/// The work planned in one project year (1 for `M1`–`M12`), for a programme in months
/// from a start it does not date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ProjectYearCoverage {
    pub year: u32,
    pub activities: Vec<String>,
    pub deliverables: Vec<String>,
    pub milestones: Vec<String>,
}

impl From<&policygraph::coverage::ProjectYearCoverage> for ProjectYearCoverage {
    fn from(y: &policygraph::coverage::ProjectYearCoverage) -> ProjectYearCoverage {
        ProjectYearCoverage {
            year: y.year,
            activities: strings(&y.activities),
            deliverables: strings(&y.deliverables),
            milestones: strings(&y.milestones),
        }
    }
}

/// The work connected with one funding source, partner, network or theme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct GroupCoverage {
    pub id: String,
    pub title: String,
    pub activities: Vec<String>,
    pub deliverables: Vec<String>,
    /// `programme` for a theme transversal to every activity (`scope: programme`).
    pub scope: Option<String>,
}

impl From<&policygraph::coverage::GroupCoverage> for GroupCoverage {
    fn from(g: &policygraph::coverage::GroupCoverage) -> GroupCoverage {
        GroupCoverage {
            id: g.id.clone(),
            title: g.title.clone(),
            activities: strings(&g.activities),
            deliverables: strings(&g.deliverables),
            scope: g.programme_wide().then(|| "programme".to_owned()),
        }
    }
}

/// What a programme covers (`Programme.coverageJson()` gives the whole, with the
/// indicators' status details).
#[derive(Clone, Debug, PartialEq, Serialize, uniffi::Record)]
pub struct Coverage {
    pub priorities: Vec<PriorityCoverage>,
    pub lines: Vec<LineCoverage>,
    /// The lines of action no activity addresses.
    pub uncovered_lines: Vec<String>,
    pub indicators: Vec<IndicatorCoverage>,
    pub years: Vec<YearCoverage>,
    /// Per project year, for a programme in months from a start it does not date (empty
    /// otherwise).
    pub project_years: Vec<ProjectYearCoverage>,
    /// The activities with no timeframe, own or inherited.
    pub unscheduled: Vec<String>,
    pub funding_sources: Vec<GroupCoverage>,
    pub partners: Vec<GroupCoverage>,
    pub networks: Vec<GroupCoverage>,
    pub themes: Vec<GroupCoverage>,
}

impl From<&policygraph::Coverage> for Coverage {
    fn from(c: &policygraph::Coverage) -> Coverage {
        fn all<'a, T: 'a, U: From<&'a T>>(items: &'a [T]) -> Vec<U> {
            items.iter().map(U::from).collect()
        }
        Coverage {
            priorities: all(&c.priorities),
            lines: all(&c.lines),
            uncovered_lines: strings(&c.uncovered_lines),
            indicators: policygraph::tables::indicators(c)
                .into_iter()
                .map(IndicatorCoverage::from)
                .collect(),
            years: all(&c.years),
            project_years: all(&c.project_years),
            unscheduled: strings(&c.unscheduled),
            funding_sources: all(&c.funding_sources),
            partners: all(&c.partners),
            networks: all(&c.networks),
            themes: all(&c.themes),
        }
    }
}

/// An element named in a trace or an impact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ElementInfo {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub pointer: String,
}

impl From<&policygraph::trace::ElementInfo> for ElementInfo {
    fn from(e: &policygraph::trace::ElementInfo) -> ElementInfo {
        ElementInfo {
            id: e.id.clone(),
            kind: e.kind.as_str().to_owned(),
            title: e.title.clone(),
            pointer: e.pointer.clone(),
        }
    }
}

fn infos(items: &[policygraph::trace::ElementInfo]) -> Vec<ElementInfo> {
    items.iter().map(ElementInfo::from).collect()
}

/// One step of a trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct TraceStep {
    /// The element reached.
    pub element: ElementInfo,
    /// The id of the element it was reached from.
    pub from: String,
    /// How: `part_of`, `contains`, `addresses`, `addressed_by`, `produces`,
    /// `counts_toward`, `measures`, `contributes_to`, `also_in`; for links, `depends_on`,
    /// `depended_on_by`, `informed_by`, `informs`, `led_by`, `partners_with`, `funded_by`,
    /// `runs`, `serves`, `linked_to`, `anchored_to`, `anchor_of`, `refers_to`,
    /// `referred_to_by`, `leads`, `partner_in`, `linked_third_party`,
    /// `shares_milestone`, `served_by` or `measured_by`.
    pub via: String,
    /// How many steps from the traced element.
    pub depth: i32,
    /// For a dependency step (`depends_on`, `depended_on_by`, `informed_by`, `informs`),
    /// its type: `finish_to_start`, `start_to_start`, `finish_to_finish` or `informs`.
    pub dependency: Option<String>,
}

/// The chain through an element: up to the priorities it serves, forward to its results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Trace {
    pub element: ElementInfo,
    pub upstream: Vec<TraceStep>,
    pub downstream: Vec<TraceStep>,
    pub priorities: Vec<String>,
    pub indicators: Vec<String>,
    pub outcomes: Vec<String>,
    /// The element's own links beside the chain: dependencies both ways, lead, partners,
    /// funding, networks, themes, outcomes served, principal, cross-references both ways.
    pub links: Vec<TraceStep>,
}

impl From<&policygraph::Trace> for Trace {
    fn from(t: &policygraph::Trace) -> Trace {
        let steps = |steps: &[policygraph::trace::TraceStep]| {
            steps
                .iter()
                .map(|s| TraceStep {
                    element: ElementInfo::from(&s.element),
                    from: s.from.clone(),
                    via: name_of(&s.via),
                    depth: int(s.depth),
                    dependency: s.dependency.as_ref().map(name_of),
                })
                .collect()
        };
        Trace {
            element: ElementInfo::from(&t.element),
            upstream: steps(&t.upstream),
            downstream: steps(&t.downstream),
            priorities: t.priorities.clone(),
            indicators: t.indicators.clone(),
            outcomes: t.outcomes.clone(),
            links: steps(&t.links),
        }
    }
}

/// A reference that dropping an element would leave pointing at nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct BrokenReference {
    pub from: ElementInfo,
    /// The kind of link (`addresses`, `counts_toward`).
    pub via: String,
    /// The id it names.
    pub target: String,
}

/// What dropping an element (with everything nested in it) would leave uncovered,
/// orphaned or broken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Impact {
    pub element: Option<ElementInfo>,
    pub removed: Vec<ElementInfo>,
    pub uncovered_lines: Vec<ElementInfo>,
    pub indicators_without_contributors: Vec<ElementInfo>,
    pub orphaned: Vec<ElementInfo>,
    pub broken_references: Vec<BrokenReference>,
}

impl From<&policygraph::Impact> for Impact {
    fn from(i: &policygraph::Impact) -> Impact {
        Impact {
            element: i.element.as_ref().map(ElementInfo::from),
            removed: infos(&i.removed),
            uncovered_lines: infos(&i.uncovered_lines),
            indicators_without_contributors: infos(&i.indicators_without_contributors),
            orphaned: infos(&i.orphaned),
            broken_references: i
                .broken_references
                .iter()
                .map(|b| BrokenReference {
                    from: ElementInfo::from(&b.from),
                    via: name_of(&b.via),
                    target: b.target.clone(),
                })
                .collect(),
        }
    }
}

/// One change between two versions (`tables::DiffRow`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct DiffChange {
    /// `programme`, `added`, `removed`, `renamed`, `moved`, `reordered`, `changed`,
    /// `link_added` or `link_removed`.
    pub change: String,
    pub id: Option<String>,
    pub kind: Option<String>,
    pub title: Option<String>,
    /// The field (`timeframe`, `budget/total`), the list reordered, or the field holding
    /// the link.
    pub field: Option<String>,
    /// `timeframe`, `target`, `funding`, `status`, `links`, `references` or `other`.
    pub category: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl From<DiffRow> for DiffChange {
    fn from(r: DiffRow) -> DiffChange {
        DiffChange {
            change: r.change,
            id: r.id,
            kind: r.kind,
            title: r.title,
            field: r.field,
            category: r.category,
            old: r.old,
            new: r.new,
        }
    }
}

/// How many changes of each sort a diff holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct DiffSummary {
    pub programme: i32,
    pub added: i32,
    pub removed: i32,
    pub renamed: i32,
    pub moved: i32,
    pub reordered: i32,
    pub changed: i32,
    pub fields: i32,
    pub links_added: i32,
    pub links_removed: i32,
    pub coverage: i32,
}

impl From<&policygraph::diff::DiffSummary> for DiffSummary {
    fn from(s: &policygraph::diff::DiffSummary) -> DiffSummary {
        DiffSummary {
            programme: int(s.programme),
            added: int(s.added),
            removed: int(s.removed),
            renamed: int(s.renamed),
            moved: int(s.moved),
            reordered: int(s.reordered),
            changed: int(s.changed),
            fields: int(s.fields),
            links_added: int(s.links_added),
            links_removed: int(s.links_removed),
            coverage: int(s.coverage),
        }
    }
}

/// What changed between two versions (`Programme.diffJson(other)` gives the whole,
/// with the deliverables and coverage effects).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Diff {
    /// Whether the two versions are the same programme (formatting, key order and file
    /// format aside).
    pub is_empty: bool,
    pub summary: DiffSummary,
    /// Every change, one a row.
    pub changes: Vec<DiffChange>,
}

impl From<&policygraph::Diff> for Diff {
    fn from(d: &policygraph::Diff) -> Diff {
        Diff {
            is_empty: d.is_empty(),
            summary: DiffSummary::from(&d.summary),
            changes: policygraph::tables::diff_rows(d)
                .into_iter()
                .map(DiffChange::from)
                .collect(),
        }
    }
}

/// How many elements of each kind a programme holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Summary {
    pub priorities: i32,
    pub lines_of_action: i32,
    pub activities: i32,
    pub sub_activities: i32,
    pub deliverables: i32,
    pub milestones: i32,
    pub outputs: i32,
    pub outcomes: i32,
    pub indicators: i32,
    pub funding_sources: i32,
    pub partners: i32,
    pub networks: i32,
    pub themes: i32,
    pub evaluation: i32,
}

impl From<policygraph::model::Summary> for Summary {
    fn from(s: policygraph::model::Summary) -> Summary {
        Summary {
            priorities: int(s.priorities),
            lines_of_action: int(s.lines_of_action),
            activities: int(s.activities),
            sub_activities: int(s.sub_activities),
            deliverables: int(s.deliverables),
            milestones: int(s.milestones),
            outputs: int(s.outputs),
            outcomes: int(s.outcomes),
            indicators: int(s.indicators),
            funding_sources: int(s.funding_sources),
            partners: int(s.partners),
            networks: int(s.networks),
            themes: int(s.themes),
            evaluation: int(s.evaluation),
        }
    }
}

/// One diagnostic code (`tables::RuleRow`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Rule {
    pub code: String,
    pub name: String,
    /// `reading`, `references`, `structure`, `time`, `money`, `people`, `targets` or
    /// `coverage`.
    pub group: String,
    /// The severity it has unless re-levelled.
    pub severity: String,
    /// Whether it is a validation rule (which `allow`, `warn` and `deny` can change).
    pub rule: bool,
    pub summary: String,
    pub what: String,
    pub why: String,
    pub example: String,
}

impl From<RuleRow> for Rule {
    fn from(r: RuleRow) -> Rule {
        Rule {
            code: r.code,
            name: r.name,
            group: r.group,
            severity: r.severity,
            rule: r.rule,
            summary: r.summary,
            what: r.what,
            why: r.why,
            example: r.example,
        }
    }
}

/// One file of an export (`csv` gives one a kind plus `links.csv`; the others one).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ExportFile {
    /// Its file name (`report.html`, `activities.csv`).
    pub name: String,
    pub content: String,
}
