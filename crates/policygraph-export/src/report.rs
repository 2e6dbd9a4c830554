//! The content of the HTML and Markdown reports, as plain data.
//!
//! [`ReportData::of`] reads an analysed programme ([`Input`]: graph, findings, coverage)
//! once; both renderers ([`crate::html`], [`crate::markdown`]) draw the same data, so they
//! say the same things in the same order. Strings here are as the document wrote them:
//! every renderer escapes them for its own language.
//!
//! Long tables are capped so that a programme of 10^5 elements still gives a file a
//! person can open; whatever is left out is counted (`… and 1,234 more`):
//!
//! | what | cap |
//! | --- | --- |
//! | finding rows (errors first; the per-rule tally is never capped) | [`MAX_FINDINGS`] |
//! | coverage matrix columns (top-level activities); beyond, each line lists its activities | [`MAX_MATRIX_COLUMNS`] |
//! | coverage rows (lines of action) | [`MAX_COVERAGE_ROWS`] |
//! | uncovered lines listed | [`MAX_LISTED`] |
//! | ids listed in one cell | [`MAX_IDS`] |
//! | indicator rows | [`MAX_TARGETS`] |
//! | timeline rows (activities) and year columns | [`MAX_TIMELINE_ROWS`], [`MAX_TIMELINE_YEARS`] |
//! | deliverables and milestones listed per year, each | [`MAX_YEAR_DELIVERABLES`] |
//! | output types and outcomes listed, each | [`MAX_RESULTS`] |
//! | rows per funding / partner / network / theme table | [`MAX_GROUP_ROWS`] |
//!
//! The results-chain diagram has its own cap ([`crate::svg::MAX_DRAWN`] elements).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use policygraph::coverage::{GroupCoverage, TargetStatus};
use policygraph::model::{Activity, Amount, Comparator, Horizon, Unit};
use policygraph::{EdgeKind, Element, NodeKind, Severity};

use crate::Input;
use crate::chain::{Layer, ResultsChain};

/// At most this many findings are listed one by one.
pub const MAX_FINDINGS: usize = 200;
/// The coverage matrix has at most this many activity columns; a programme with more
/// top-level activities gets the list form (each line with the activities addressing it).
pub const MAX_MATRIX_COLUMNS: usize = 60;
/// At most this many lines of action are shown in the coverage table.
pub const MAX_COVERAGE_ROWS: usize = 400;
/// At most this many uncovered lines and activities without a timeframe are listed.
pub const MAX_LISTED: usize = 200;
/// At most this many ids are listed in one cell.
pub const MAX_IDS: usize = 12;
/// At most this many indicators are shown.
pub const MAX_TARGETS: usize = 300;
/// At most this many activities are shown in the timeline.
pub const MAX_TIMELINE_ROWS: usize = 300;
/// At most this many years are shown in the timeline.
pub const MAX_TIMELINE_YEARS: usize = 40;
/// At most this many deliverables are listed per year.
pub const MAX_YEAR_DELIVERABLES: usize = 50;
/// At most this many funding sources, partners, networks or themes are listed, each.
pub const MAX_GROUP_ROWS: usize = 100;
/// At most this many output types and outcomes are listed, each.
pub const MAX_RESULTS: usize = 200;

/// The first items of a list, and how many were left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capped<T> {
    /// The items shown.
    pub items: Vec<T>,
    /// How many more there are.
    pub more: usize,
}

impl<T> Capped<T> {
    fn new(all: impl IntoIterator<Item = T>, cap: usize) -> Capped<T> {
        let mut items = Vec::new();
        let mut more = 0;
        for item in all {
            if items.len() < cap {
                items.push(item);
            } else {
                more += 1;
            }
        }
        Capped { items, more }
    }

    /// Whether there is nothing at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.more == 0
    }

    /// How many there are in all.
    pub fn total(&self) -> usize {
        self.items.len() + self.more
    }
}

/// A number with its noun: `1 activity`, `3 activities`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An element named in the report: its id and title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The id.
    pub id: String,
    /// The title (an indicator's label).
    pub title: String,
    /// Whether it is cancelled ([`policygraph::NodeRef::is_cancelled`]): shown struck through.
    pub cancelled: bool,
}

impl Item {
    /// An element of the graph by id: its title, and whether it is cancelled (nothing
    /// known of an id the graph lacks).
    fn of(graph: &policygraph::Graph<'_>, id: &str) -> Item {
        let node = graph.node(id);
        Item {
            id: id.to_owned(),
            title: node.map(|n| n.title().to_owned()).unwrap_or_default(),
            cancelled: node.is_some_and(|n| n.is_cancelled()),
        }
    }
}

/// An activity named by id in a list (the activities addressing a line, those under a
/// tick of the matrix, a partner's): whether it is cancelled, to strike it through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    /// The id.
    pub id: String,
    /// Whether it is cancelled ([`policygraph::NodeRef::is_cancelled`]).
    pub cancelled: bool,
}

impl PartialEq<&str> for Ref {
    fn eq(&self, other: &&str) -> bool {
        self.id == *other
    }
}

/// What a list of ids shows of each: its id, and whether it is struck through.
pub trait Named {
    /// The id.
    fn id(&self) -> &str;
    /// Whether it is cancelled.
    fn cancelled(&self) -> bool;
}

impl Named for String {
    fn id(&self) -> &str {
        self
    }
    fn cancelled(&self) -> bool {
        false
    }
}

impl Named for Ref {
    fn id(&self) -> &str {
        &self.id
    }
    fn cancelled(&self) -> bool {
        self.cancelled
    }
}

/// A milestone of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Milestone {
    /// The milestone (cancelled when it is, or its activity is).
    pub item: Item,
    /// Its due date, as written.
    pub due: Option<String>,
}

/// Everything the reports show.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportData {
    /// The programme and its counts.
    pub summary: Summary,
    /// The findings.
    pub findings: Findings,
    /// Lines of action against activities.
    pub coverage: CoverageTable,
    /// Indicators' targets against the plan.
    pub targets: Capped<TargetRow>,
    /// The work year by year.
    pub timeline: Timeline,
    /// Output types and outcomes with what leads to them.
    pub results: Results,
    /// Funding sources, partners, networks and themes with their activities (non-empty
    /// tables only).
    pub groups: Vec<GroupTable>,
    /// The results chain.
    pub chain: ChainSummary,
    /// Person-months per partner and top-level activity (work package), when the
    /// programme states effort.
    pub effort: Option<EffortTable>,
}

/// Person-months per partner (rows) and top-level activity (columns): each cell adds
/// the partner's effort on the activity and everything nested in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffortTable {
    /// The top-level activities with effort, in document order.
    pub columns: Capped<Item>,
    /// One row per partner with effort, in the order partners are listed.
    pub rows: Capped<EffortRow>,
    /// Per column: the activity's planned `person_months`, when it states them.
    pub planned: Vec<Option<String>>,
    /// Per column: the sum of the partners' effort.
    pub totals: Vec<String>,
}

/// One partner of the effort table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffortRow {
    /// The partner.
    pub partner: Item,
    /// The partner it is a linked third party of (`linked_to`), if any.
    pub linked_to: Option<String>,
    /// Per column: its person-months there, if any.
    pub cells: Vec<Option<String>>,
    /// Its effort over all columns.
    pub total: String,
}

/// The programme, what it holds and the headline figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The programme's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its subtitle.
    pub subtitle: Option<String>,
    /// The organisation whose programme it is.
    pub organisation: Option<String>,
    /// The document reference.
    pub reference: Option<String>,
    /// The period, as written.
    pub period: Option<String>,
    /// The file it came from.
    pub source_name: Option<String>,
    /// How many elements of each kind it holds, in the document's order.
    pub counts: Vec<(&'static str, usize)>,
    /// Findings that are errors.
    pub errors: usize,
    /// Findings that are warnings.
    pub warnings: usize,
    /// Findings that are information.
    pub infos: usize,
    /// Lines of action (sub-lines included).
    pub lines: usize,
    /// Of which some activity addresses.
    pub covered_lines: usize,
    /// Priorities with no lines of action (and not cancelled): activities address them
    /// directly.
    pub direct_priorities: usize,
    /// Of which some activity that is not cancelled addresses.
    pub addressed_directly: usize,
    /// How many indicators have each status (statuses present only, in [`TargetState`] order).
    pub indicator_states: Vec<(TargetState, usize)>,
    /// Activities with no timeframe of their own or inherited.
    pub unscheduled: usize,
}

/// The findings: a tally per rule and the first [`MAX_FINDINGS`] one by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Findings {
    /// Per rule: code, name, severity and count, most serious first, then by code.
    pub by_code: Vec<CodeCount>,
    /// The findings, errors first, then warnings, then information; in document order
    /// within a severity.
    pub rows: Capped<Finding>,
}

/// How many findings one rule gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeCount {
    /// The code (`PG702`).
    pub code: String,
    /// The rule's name (`uncovered-action`).
    pub name: String,
    /// Its severity.
    pub severity: Severity,
    /// How many.
    pub count: usize,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// The code.
    pub code: String,
    /// The rule's name.
    pub name: String,
    /// The message.
    pub message: String,
    /// The elements involved.
    pub elements: Vec<String>,
    /// The JSON Pointer of the value concerned.
    pub pointer: String,
    /// Line and column, when the document came from text.
    pub line_column: Option<(u32, u32)>,
    /// How to fix it.
    pub help: Option<String>,
}

/// Lines of action against the activities addressing them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageTable {
    /// The matrix's columns: the top-level activities, in document order.
    pub columns: Vec<Item>,
    /// Whether to draw the matrix (at most [`MAX_MATRIX_COLUMNS`] columns); otherwise
    /// each line lists its activities.
    pub matrix: bool,
    /// Per priority, its lines.
    pub priorities: Vec<PriorityBlock>,
    /// Lines left out of the table beyond [`MAX_COVERAGE_ROWS`].
    pub rows_more: usize,
    /// The lines of action no activity addresses.
    pub uncovered: Capped<UncoveredLine>,
}

/// One priority of the coverage table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorityBlock {
    /// The priority's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its short label.
    pub label: Option<String>,
    /// Its lines (sub-lines included).
    pub lines: usize,
    /// Of which covered.
    pub covered: usize,
    /// Whether the priority is cancelled: its lines need no activity.
    pub cancelled: bool,
    /// The covered share, in whole percent (see [`percent`]).
    pub percent: u32,
    /// Activities addressing the priority itself, not one of its lines.
    pub direct: Capped<Ref>,
    /// Whether one of them is not cancelled: a priority with no lines is covered then.
    pub addressed_directly: bool,
    /// The matrix cells of those activities.
    pub cells: Vec<Cell>,
    /// Its lines, in document order (sub-lines after their line).
    pub rows: Vec<LineRow>,
}

impl PriorityBlock {
    /// How its lines are covered, in words (`2 of 3 lines covered, 67%`); a priority with no
    /// lines says whether activities address it directly, never `0 of 0 … 0%`.
    pub fn lines_covered(&self) -> String {
        if self.cancelled {
            return match self.lines {
                0 => "cancelled".to_owned(),
                n => format!(
                    "cancelled: {} needing no activity",
                    count(n, "line", "lines")
                ),
            };
        }
        match (self.lines, self.addressed_directly) {
            (0, false) if self.direct.items.is_empty() => {
                "no lines of action, and no activity addresses it".to_owned()
            }
            (0, false) => "no lines of action, and only cancelled activities address it".to_owned(),
            (0, true) => "no lines of action; addressed directly by activities".to_owned(),
            _ => format!(
                "{} of {} lines covered, {}%",
                self.covered, self.lines, self.percent
            ),
        }
    }
}

/// One line of action of the coverage table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineRow {
    /// The line's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// 0 for a line, 1 for a sub-line, and so on.
    pub depth: usize,
    /// Whether and how it is covered.
    pub status: LineStatus,
    /// The activities addressing it directly, in document order.
    pub activities: Capped<Ref>,
    /// The matrix cells that are ticked, by column.
    pub cells: Vec<Cell>,
}

/// A ticked cell of the coverage matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The column (index in [`CoverageTable::columns`]).
    pub column: usize,
    /// Whether the column's activity itself addresses the line.
    pub itself: bool,
    /// Its sub-activities (at any depth) that address the line.
    pub via: Vec<Ref>,
}

/// Whether a line of action is covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStatus {
    /// An activity addresses it.
    Covered,
    /// Only activities addressing its sub-lines cover it.
    ThroughSubLines,
    /// No activity addresses it or its sub-lines.
    Uncovered,
    /// It lies within a cancelled priority: it needs no activity.
    Cancelled,
}

impl LineStatus {
    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            LineStatus::Covered => "covered",
            LineStatus::ThroughSubLines => "covered through sub-lines",
            LineStatus::Uncovered => "not covered",
            LineStatus::Cancelled => "cancelled",
        }
    }
}

/// A line of action no activity addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UncoveredLine {
    /// The line's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its priority.
    pub priority: String,
}

/// The plan against an indicator's target, in a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetState {
    /// The planned quantity reaches the target.
    Met,
    /// It falls short.
    Short,
    /// It goes over an `at_most` bound.
    OverLimit,
    /// Unknown: quantities are missing.
    Unknown,
    /// The target is not a count (percent, ratio).
    NotComparable,
    /// Nothing counts toward the indicator.
    NoContributors,
    /// The indicator states no target.
    NoTarget,
    /// Measured across every activity (`scope: programme`).
    ProgrammeWide,
}

impl TargetState {
    /// The state in a word or two.
    pub fn label(self) -> &'static str {
        match self {
            TargetState::Met => "met",
            TargetState::Short => "short",
            TargetState::OverLimit => "over the limit",
            TargetState::Unknown => "unknown",
            TargetState::NotComparable => "not comparable",
            TargetState::NoContributors => "no contributors",
            TargetState::NoTarget => "no target",
            TargetState::ProgrammeWide => "every activity",
        }
    }

    /// A name for style classes (`no-contributors`).
    pub fn slug(self) -> &'static str {
        match self {
            TargetState::Met => "met",
            TargetState::Short => "short",
            TargetState::OverLimit => "over-limit",
            TargetState::Unknown => "unknown",
            TargetState::NotComparable => "not-comparable",
            TargetState::NoContributors => "no-contributors",
            TargetState::NoTarget => "no-target",
            TargetState::ProgrammeWide => "programme-wide",
        }
    }

    fn of(status: &TargetStatus) -> TargetState {
        match status {
            TargetStatus::Met { .. } => TargetState::Met,
            TargetStatus::Short { .. } => TargetState::Short,
            TargetStatus::OverLimit { .. } => TargetState::OverLimit,
            TargetStatus::Unknown { .. } => TargetState::Unknown,
            TargetStatus::NotComparable { .. } => TargetState::NotComparable,
            TargetStatus::NoContributors => TargetState::NoContributors,
            TargetStatus::NoTarget => TargetState::NoTarget,
            TargetStatus::ProgrammeWide => TargetState::ProgrammeWide,
        }
    }
}

/// One indicator against its target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetRow {
    /// The indicator's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// The target with its unit and bound in words (`16`, `85 %`, `at least 2`,
    /// `at most 5`), if stated.
    pub target: Option<String>,
    /// When the target is due.
    pub target_date: Option<String>,
    /// The outcome it measures.
    pub measures: Option<String>,
    /// The planned quantity with its unit, when every contributor states one.
    pub planned: Option<String>,
    /// How many deliverables and activities count toward it, in words for the cell:
    /// `3`, or `applies to every activity (scope: programme)` for an indicator measured
    /// across the programme (see [`policygraph::coverage::IndicatorCoverage::contributors_text`]).
    pub contributors: String,
    /// The status.
    pub state: TargetState,
    /// The status in a sentence (`short by 3`, `2 of its 5 contributors state no quantity`).
    pub detail: String,
    /// The contributors that state no quantity (status unknown).
    pub missing: Capped<String>,
}

/// The work year by year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    /// The programme period, as written.
    pub period: Option<String>,
    /// Whether the columns are project years (`Year 1 (M1–M12)`), for a programme in
    /// months from a start it does not date, rather than calendar years.
    pub in_project_years: bool,
    /// The year columns: the period's years and any other year work is planned in.
    pub years: Vec<YearColumn>,
    /// Years left out beyond [`MAX_TIMELINE_YEARS`].
    pub years_more: usize,
    /// The activities with a timeframe (own or inherited), in document order.
    pub rows: Capped<TimelineRow>,
    /// Per year column: what runs and what is due.
    pub per_year: Vec<YearWork>,
    /// Activities with no timeframe, own or inherited.
    pub unscheduled: Capped<Item>,
}

/// A year of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearColumn {
    /// The year: a calendar year, or the project year's number (1 for `M1`–`M12`).
    pub year: i32,
    /// The year in words: `2024`, or `Year 1 (M1–M12)`.
    pub label: String,
    /// Whether it is in the programme period (always true when the period is unknown).
    pub in_period: bool,
}

/// One activity of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineRow {
    /// The activity's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// 0 for a top-level activity, 1 for a sub-activity or topic, and so on.
    pub depth: usize,
    /// Its timeframe as written (its own, or the one it inherits).
    pub timeframe: String,
    /// The activity it inherits the timeframe from, when it has none of its own.
    pub inherited_from: Option<String>,
    /// Per year column: whether it runs, and how many of its own deliverables fall in it.
    pub cells: Vec<YearCell>,
    /// Whether it is cancelled (its own status or one it inherits): shown struck through.
    pub cancelled: bool,
}

/// One activity in one year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearCell {
    /// Whether the activity runs in the year.
    pub running: bool,
    /// How many of its own deliverables are due in the year (or run with it when they
    /// have no due date).
    pub deliverables: usize,
    /// Its own milestones due in the year, in document order: cancelled ones too, shown
    /// struck through and left out of every count ([`YearCell::live_milestones`]).
    pub milestones: Vec<Milestone>,
}

impl YearCell {
    /// How many of its milestones due in the year are not cancelled.
    pub fn live_milestones(&self) -> usize {
        self.milestones.iter().filter(|m| !m.item.cancelled).count()
    }
}

/// What one year holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearWork {
    /// The year: a calendar year, or the project year's number (1 for `M1`–`M12`).
    pub year: i32,
    /// The year in words: `2024`, or `Year 1 (M1–M12)`.
    pub label: String,
    /// Whether it is in the programme period.
    pub in_period: bool,
    /// How many activities run in it.
    pub activities: usize,
    /// The deliverables due in it (or, with no due date, whose activity runs in it).
    pub deliverables: Capped<Item>,
    /// The milestones of the timeline's activities due in it, in document order:
    /// cancelled ones too (struck through, in no count).
    pub milestones: Capped<Milestone>,
    /// How many of them are not cancelled.
    pub milestones_due: usize,
}

/// Output types and outcomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Results {
    /// The output types, in document order.
    pub outputs: Capped<ResultRow>,
    /// The outcomes, in document order.
    pub outcomes: Capped<ResultRow>,
}

/// One output type or outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    /// The id.
    pub id: String,
    /// The title (an outcome's statement).
    pub title: String,
    /// An outcome's horizon, in words (`short term`).
    pub horizon: Option<&'static str>,
    /// What leads to it: the deliverables producing an output type; the indicators
    /// measuring an outcome, then the outputs and outcomes contributing to it.
    pub from: Capped<String>,
    /// The outcomes it contributes to.
    pub contributes_to: Vec<String>,
}

/// Funding sources, partners, networks or themes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupTable {
    /// The heading (`Funding sources`).
    pub heading: &'static str,
    /// Whether the rows count deliverables (partners).
    pub with_deliverables: bool,
    /// The rows.
    pub rows: Capped<GroupRow>,
}

/// One funding source, partner, network or theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRow {
    /// The id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The activities connected with it.
    pub activities: Capped<Ref>,
    /// How many activities, in words for the cell: `3`, or `all` for a theme with
    /// `scope: programme` (see [`policygraph::coverage::GroupCoverage::activities_text`]).
    pub activities_count: String,
    /// How many deliverables are connected with it.
    pub deliverables: usize,
}

/// The results chain: how many elements each layer has, and the chain itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainSummary {
    /// Per layer, left to right: its heading and how many elements it has.
    pub layers: Vec<(&'static str, usize)>,
    /// How many links it has.
    pub links: usize,
    /// The chain (the HTML report draws it with [`crate::svg::render`]).
    pub chain: ResultsChain,
}

impl ChainSummary {
    /// How many elements the chain has.
    pub fn nodes(&self) -> usize {
        self.layers.iter().map(|(_, n)| n).sum()
    }
}

impl ReportData {
    /// Reads the report's content from an analysed programme.
    pub fn of(input: &Input<'_, '_>) -> ReportData {
        let activities = Activities::of(input);
        ReportData {
            summary: summary(input),
            findings: findings(input),
            coverage: coverage_table(input, &activities),
            targets: targets(input),
            timeline: timeline(input, &activities),
            results: results(input),
            groups: groups(input, &activities),
            chain: chain(input),
            effort: effort(input),
        }
    }
}

/// Where each activity sits: its position in document order, depth and top-level column.
struct Activities<'d> {
    order: Vec<(&'d str, &'d str)>,
    position: HashMap<&'d str, usize>,
    depth: Vec<usize>,
    top: Vec<usize>,
    /// For each activity, the nearest activity (itself included) with its own timeframe.
    timeframe_from: Vec<Option<usize>>,
    timeframes: Vec<Option<&'d str>>,
    columns: Vec<usize>,
    /// The activity each one is nested in, if any.
    parent: Vec<Option<usize>>,
    /// Whether each activity is cancelled ([`policygraph::NodeRef::is_cancelled`]).
    cancelled: Vec<bool>,
}

impl<'d> Activities<'d> {
    fn of(input: &Input<'_, 'd>) -> Activities<'d> {
        let graph = input.graph;
        let mut acts = Activities {
            order: Vec::new(),
            position: HashMap::new(),
            depth: Vec::new(),
            top: Vec::new(),
            timeframe_from: Vec::new(),
            timeframes: Vec::new(),
            columns: Vec::new(),
            cancelled: Vec::new(),
            parent: Vec::new(),
        };
        // activities are numbered depth-first: a parent always comes before its children
        for node in graph.nodes_of_kind(NodeKind::Activity) {
            let i = acts.order.len();
            let parent = node
                .parent()
                .filter(|p| p.kind() == NodeKind::Activity)
                .and_then(|p| acts.position.get(p.id()).copied());
            let own = match node.element() {
                Element::Activity(a) => a.timeframe.as_ref().map(|t| t.text()),
                _ => None,
            };
            acts.order.push((node.id(), node.title()));
            acts.cancelled.push(node.is_cancelled());
            acts.parent.push(parent);
            // the first of a duplicated id keeps its place
            acts.position.entry(node.id()).or_insert(i);
            acts.timeframes.push(own);
            match parent {
                Some(p) => {
                    acts.depth.push(acts.depth[p] + 1);
                    acts.top.push(acts.top[p]);
                    acts.timeframe_from.push(if own.is_some() {
                        Some(i)
                    } else {
                        acts.timeframe_from[p]
                    });
                }
                None => {
                    acts.depth.push(0);
                    acts.top.push(acts.columns.len());
                    acts.columns.push(i);
                    acts.timeframe_from.push(own.is_some().then_some(i));
                }
            }
        }
        acts
    }

    /// Sorts activity ids into document order (unknown ids last, by id).
    fn sorted<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        let mut v: Vec<&str> = ids.into_iter().collect();
        v.sort_by_key(|id| (self.position.get(id).copied().unwrap_or(usize::MAX), *id));
        v.dedup();
        v
    }

    /// An activity by id, with whether it is cancelled (unknown ids are not).
    fn named(&self, id: &str) -> Ref {
        Ref {
            id: id.to_owned(),
            cancelled: self.position.get(id).is_some_and(|&i| self.cancelled[i]),
        }
    }

    /// Activities by id, capped at [`MAX_IDS`].
    fn refs<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Capped<Ref> {
        Capped::new(ids.into_iter().map(|id| self.named(id)), MAX_IDS)
    }

    /// The ticked cells for a list of addressing activities.
    fn cells(&self, ids: &[&str]) -> Vec<Cell> {
        let mut cells: BTreeMap<usize, Cell> = BTreeMap::new();
        for id in ids {
            let Some(&i) = self.position.get(id) else {
                continue;
            };
            let column = self.top[i];
            let cell = cells.entry(column).or_insert_with(|| Cell {
                column,
                itself: false,
                via: Vec::new(),
            });
            if self.columns.get(column) == Some(&i) {
                cell.itself = true;
            } else {
                cell.via.push(self.named(id));
            }
        }
        cells.into_values().collect()
    }
}

fn summary(input: &Input<'_, '_>) -> Summary {
    let doc = input.graph.document();
    let p = &doc.programme;
    let s = doc.summary();
    let counts = s.labelled().to_vec();
    let cov = input.coverage;
    let mut states: BTreeMap<TargetState, usize> = BTreeMap::new();
    for i in &cov.indicators {
        *states.entry(TargetState::of(&i.status)).or_default() += 1;
    }
    Summary {
        id: p.id.to_string(),
        title: p.title.clone(),
        subtitle: p.subtitle.clone(),
        organisation: p.organisation.clone(),
        reference: p.reference.clone(),
        period: p.period.as_ref().map(|t| t.text().to_owned()),
        source_name: input.source_name.map(str::to_owned),
        counts,
        errors: input.report.count(Severity::Error),
        warnings: input.report.count(Severity::Warning),
        infos: input.report.count(Severity::Info),
        // lines of a cancelled priority need no activity: they are in neither count
        lines: cov.lines.iter().filter(|l| !l.cancelled).count(),
        covered_lines: cov
            .lines
            .iter()
            .filter(|l| l.covered && !l.cancelled)
            .count(),
        direct_priorities: cov
            .priorities
            .iter()
            .filter(|p| p.lines == 0 && !p.cancelled)
            .count(),
        addressed_directly: cov
            .priorities
            .iter()
            .filter(|p| !p.cancelled && p.addressed_directly())
            .count(),
        indicator_states: states.into_iter().collect(),
        unscheduled: cov.unscheduled.len(),
    }
}

impl Summary {
    /// The coverage of the programme in a sentence, for the report's text: the lines of
    /// action an activity addresses (`12 of 14 lines of action are addressed by an
    /// activity (86%)`), and the priorities with no lines that activities address
    /// directly; never a share of nothing (`0 of 0 … 0%`).
    pub fn coverage_in_words(&self) -> String {
        // the verb agrees with the whole, as `1 of 2 priorities … are`
        let are = |n: usize| if n == 1 { "is" } else { "are" };
        let direct = format!(
            "{} of {} with no lines of action {} addressed directly by an activity",
            self.addressed_directly,
            count(self.direct_priorities, "priority", "priorities"),
            are(self.direct_priorities),
        );
        match (self.lines, self.direct_priorities) {
            (0, 0) => "The programme has no lines of action and no priorities to cover".to_owned(),
            (0, _) => format!("The programme has no lines of action: {direct}"),
            (lines, d) => {
                let mut text = format!(
                    "{} of {} {} addressed by an activity ({}%)",
                    self.covered_lines,
                    count(lines, "line of action", "lines of action"),
                    are(self.covered_lines),
                    percent(self.covered_lines, lines)
                );
                if d > 0 {
                    text.push_str("; ");
                    text.push_str(&direct);
                }
                text
            }
        }
    }

    /// What the coverage card counts: lines of action, or, for a programme without
    /// lines, the priorities activities address directly. (heading, part, whole)
    pub fn coverage_figures(&self) -> (&'static str, usize, usize) {
        if self.lines == 0 && self.direct_priorities > 0 {
            (
                "Priorities addressed",
                self.addressed_directly,
                self.direct_priorities,
            )
        } else {
            ("Lines of action covered", self.covered_lines, self.lines)
        }
    }
}

fn findings(input: &Input<'_, '_>) -> Findings {
    let diagnostics = &input.report.diagnostics;
    let mut tally: BTreeMap<(std::cmp::Reverse<Severity>, &str), (String, usize)> = BTreeMap::new();
    for d in diagnostics {
        tally
            .entry((std::cmp::Reverse(d.severity), d.code.as_str()))
            .or_insert_with(|| (d.name.clone(), 0))
            .1 += 1;
    }
    let by_code = tally
        .into_iter()
        .map(|((severity, code), (name, count))| CodeCount {
            code: code.to_owned(),
            name,
            severity: severity.0,
            count,
        })
        .collect();
    // most serious first; the report's order (document or file order) within a severity
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(diagnostics[i].severity));
    let rows = Capped::new(
        order.into_iter().map(|i| {
            let d = &diagnostics[i];
            Finding {
                severity: d.severity,
                code: d.code.as_str().to_owned(),
                name: d.name.clone(),
                message: d.message.clone(),
                elements: d.elements.clone(),
                pointer: d.pointer.clone(),
                line_column: d.location.as_ref().map(|l| (l.line, l.column)),
                help: d.help.clone(),
            }
        }),
        MAX_FINDINGS,
    );
    Findings { by_code, rows }
}

/// `part` of `whole` in whole percent, rounded half up, except that only all of it is
/// 100% and only none of it 0% (0 when `whole` is 0).
pub fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 || part == 0 {
        return 0;
    }
    let rounded = u32::try_from((part * 200 + whole) / (whole * 2)).unwrap_or(100);
    if part < whole {
        rounded.clamp(1, 99)
    } else {
        rounded
    }
}

fn coverage_table(input: &Input<'_, '_>, acts: &Activities<'_>) -> CoverageTable {
    let graph = input.graph;
    let cov = input.coverage;
    let columns: Vec<Item> = acts
        .columns
        .iter()
        .map(|&i| Item {
            id: acts.order[i].0.to_owned(),
            title: acts.order[i].1.to_owned(),
            cancelled: acts.cancelled[i],
        })
        .collect();
    let matrix = !columns.is_empty() && columns.len() <= MAX_MATRIX_COLUMNS;
    // depth of each line: a sub-line comes after the line it refines
    let mut depth: HashMap<&str, usize> = HashMap::new();
    let mut rows_by_priority: HashMap<&str, Vec<LineRow>> = HashMap::new();
    let mut shown = 0;
    let mut rows_more = 0;
    for line in &cov.lines {
        let d = line
            .parent
            .as_deref()
            .and_then(|p| depth.get(p))
            .map_or(0, |d| d + 1);
        depth.entry(line.id.as_str()).or_insert(d);
        if shown >= MAX_COVERAGE_ROWS {
            rows_more += 1;
            continue;
        }
        shown += 1;
        let ids = acts.sorted(line.activities.iter().map(|a| a.as_str()));
        let status = if line.cancelled {
            LineStatus::Cancelled
        } else if !line.covered {
            LineStatus::Uncovered
        } else if ids.is_empty() {
            LineStatus::ThroughSubLines
        } else {
            LineStatus::Covered
        };
        rows_by_priority
            .entry(line.priority.as_str())
            .or_default()
            .push(LineRow {
                id: line.id.clone(),
                title: line.title.clone(),
                depth: d,
                status,
                cells: if matrix { acts.cells(&ids) } else { Vec::new() },
                activities: acts.refs(ids.iter().copied()),
            });
    }
    let priorities = cov
        .priorities
        .iter()
        .map(|p| {
            let direct: Vec<&str> = graph
                .node(&p.id)
                .map(|n| {
                    acts.sorted(
                        n.incoming(EdgeKind::Addresses)
                            .filter(|a| a.kind() == NodeKind::Activity)
                            .map(|a| a.id()),
                    )
                })
                .unwrap_or_default();
            PriorityBlock {
                id: p.id.clone(),
                title: p.title.clone(),
                label: p.label.clone(),
                lines: p.lines,
                covered: p.covered_lines,
                cancelled: p.cancelled,
                percent: percent(p.covered_lines, p.lines),
                cells: if matrix {
                    acts.cells(&direct)
                } else {
                    Vec::new()
                },
                direct: acts.refs(direct.iter().copied()),
                addressed_directly: p.addressed_directly(),
                rows: rows_by_priority.remove(p.id.as_str()).unwrap_or_default(),
            }
        })
        .collect();
    let titles: HashMap<&str, (&str, &str)> = cov
        .lines
        .iter()
        .map(|l| (l.id.as_str(), (l.title.as_str(), l.priority.as_str())))
        .collect();
    let uncovered = Capped::new(
        cov.uncovered_lines.iter().map(|id| {
            let (title, priority) = titles.get(id.as_str()).copied().unwrap_or_default();
            UncoveredLine {
                id: id.to_string(),
                title: title.to_owned(),
                priority: priority.to_owned(),
            }
        }),
        MAX_LISTED,
    );
    CoverageTable {
        columns,
        matrix,
        priorities,
        rows_more,
        uncovered,
    }
}

/// An amount with its unit: `16`, `85 %`, `12 person-months`, `5000 EUR`.
fn with_unit(amount: Amount, unit: Option<&str>, currency: Option<&str>) -> String {
    match unit.map(Unit::from_text) {
        None | Some(Unit::Count) => amount.to_string(),
        Some(Unit::Percent) => format!("{amount} %"),
        Some(Unit::Money) => match currency {
            Some(c) => format!("{amount} {c}"),
            None => format!("{amount} (money)"),
        },
        Some(u) => format!("{amount} {}", u.as_str()),
    }
}

fn targets(input: &Input<'_, '_>) -> Capped<TargetRow> {
    // contributors are listed in document order
    let mut position: HashMap<&str, usize> = HashMap::new();
    for kind in [NodeKind::Activity, NodeKind::Deliverable] {
        for n in input.graph.nodes_of_kind(kind) {
            let next = position.len();
            position.entry(n.id()).or_insert(next);
        }
    }
    let in_order = |ids: &[policygraph::model::Id]| -> Vec<String> {
        let mut v: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
        v.sort_by_key(|id| (position.get(id).copied().unwrap_or(usize::MAX), *id));
        v.into_iter().map(str::to_owned).collect()
    };
    let currency = input
        .graph
        .document()
        .programme
        .currency
        .as_ref()
        .map(|c| c.code().to_owned());
    let currency = currency.as_deref();
    Capped::new(
        input.coverage.indicators.iter().map(|i| {
            let unit = i.unit.as_deref();
            let fmt = |a: Amount| with_unit(a, unit, currency);
            let state = TargetState::of(&i.status);
            let (detail, missing) = match &i.status {
                TargetStatus::Met { surplus } if *surplus == Amount::ZERO => {
                    ("the plan meets the target exactly".to_owned(), Vec::new())
                }
                TargetStatus::Met { surplus } if i.comparator == Some(Comparator::AtMost) => (
                    format!("within the limit, {} to spare", fmt(*surplus)),
                    Vec::new(),
                ),
                TargetStatus::Met { surplus } => (
                    format!("the plan exceeds the target by {}", fmt(*surplus)),
                    Vec::new(),
                ),
                TargetStatus::Short { by } => (format!("short by {}", fmt(*by)), Vec::new()),
                TargetStatus::OverLimit { by } => (
                    format!("over the limit: the plan exceeds it by {}", fmt(*by)),
                    Vec::new(),
                ),
                TargetStatus::Unknown {
                    reason,
                    missing_quantities,
                } => (format!("unknown: {reason}"), in_order(missing_quantities)),
                TargetStatus::NotComparable { unit } => (
                    format!(
                        "not comparable: a target in {unit} is not a sum of planned quantities"
                    ),
                    Vec::new(),
                ),
                TargetStatus::NoContributors => (
                    "nothing in the plan of work counts toward it".to_owned(),
                    Vec::new(),
                ),
                TargetStatus::NoTarget => ("no target is stated".to_owned(), Vec::new()),
                TargetStatus::ProgrammeWide => (
                    "measured across every activity of the programme".to_owned(),
                    Vec::new(),
                ),
            };
            TargetRow {
                id: i.id.clone(),
                label: i.label.clone(),
                target: i.target.map(|t| i.target_in_words(fmt(t))),
                target_date: i.target_date.clone(),
                measures: i.measures.clone(),
                planned: match i.status {
                    TargetStatus::NoContributors | TargetStatus::ProgrammeWide => None,
                    _ => i.planned.map(fmt),
                },
                contributors: i.contributors_text(),
                state,
                detail,
                missing: Capped::new(missing, MAX_IDS),
            }
        }),
        MAX_TARGETS,
    )
}

/// One column of the timeline as coverage gives it: a calendar year, or a project year
/// for a programme in months from an undated start (with its milestones).
struct ColumnWork<'c> {
    key: i32,
    label: String,
    activities: &'c [policygraph::model::Id],
    deliverables: &'c [policygraph::model::Id],
}

fn timeline(input: &Input<'_, '_>, acts: &Activities<'_>) -> Timeline {
    let graph = input.graph;
    let cov = input.coverage;
    let doc = graph.document();
    let start = doc.programme.start_date();
    // with no calendar year, a programme in months from an undated start is drawn in
    // project years (coverage's `project_years`)
    let in_project_years = cov.years.is_empty() && !cov.project_years.is_empty();
    let work: Vec<ColumnWork<'_>> = if in_project_years {
        cov.project_years
            .iter()
            .map(|y| ColumnWork {
                key: i32::try_from(y.year).unwrap_or(i32::MAX),
                label: y.label(),
                activities: &y.activities,
                deliverables: &y.deliverables,
            })
            .collect()
    } else {
        cov.years
            .iter()
            .map(|y| ColumnWork {
                key: y.year,
                label: y.year.to_string(),
                activities: &y.activities,
                deliverables: &y.deliverables,
            })
            .collect()
    };
    let period_years: BTreeSet<i32> = match doc.programme.period.as_ref() {
        Some(p) if in_project_years => {
            let mut ys = Vec::new();
            p.project_years_into(None, &mut ys);
            ys.into_iter()
                .filter_map(|y| i32::try_from(y).ok())
                .collect()
        }
        Some(p) => p.years(start).into_iter().collect(),
        None => BTreeSet::new(),
    };
    let label_of = |key: i32| {
        if in_project_years {
            policygraph::coverage::ProjectYearCoverage {
                year: u32::try_from(key).unwrap_or_default(),
                ..Default::default()
            }
            .label()
        } else {
            key.to_string()
        }
    };
    let all_years: BTreeSet<i32> = period_years
        .iter()
        .copied()
        .chain(work.iter().map(|y| y.key))
        .collect();
    let years: Vec<YearColumn> = all_years
        .iter()
        .take(MAX_TIMELINE_YEARS)
        .map(|&year| YearColumn {
            year,
            label: label_of(year),
            in_period: period_years.is_empty() || period_years.contains(&year),
        })
        .collect();
    let years_more = all_years.len().saturating_sub(years.len());
    let column: HashMap<i32, usize> = years.iter().enumerate().map(|(i, y)| (y.year, i)).collect();

    // per activity (by position): the year columns it runs in and its deliverables' years
    let mut cells: Vec<Vec<YearCell>> = vec![Vec::new(); acts.order.len()];
    let mut per_year = Vec::new();
    for y in &work {
        let Some(&c) = column.get(&y.key) else {
            continue;
        };
        for a in y.activities {
            if let Some(&i) = acts.position.get(a.as_str()) {
                let row = &mut cells[i];
                row.resize(years.len(), YearCell::default());
                row[c].running = true;
            }
        }
        for d in y.deliverables {
            let parent = graph.node(d.as_str()).and_then(|n| n.parent());
            if let Some(&i) = parent.and_then(|p| acts.position.get(p.id())) {
                let row = &mut cells[i];
                row.resize(years.len(), YearCell::default());
                row[c].deliverables += 1;
            }
        }
        per_year.push((
            c,
            YearWork {
                year: y.key,
                label: y.label.clone(),
                in_period: years[c].in_period,
                activities: y.activities.len(),
                deliverables: Capped::new(
                    y.deliverables.iter().map(|d| Item::of(graph, d.as_str())),
                    MAX_YEAR_DELIVERABLES,
                ),
                milestones: Capped::new(Vec::new(), 0),
                milestones_due: 0,
            },
        ));
    }
    // every year column gets an entry, empty when nothing is planned in it
    let per_year = years
        .iter()
        .enumerate()
        .map(|(c, y)| {
            per_year
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, w)| w.clone())
                .unwrap_or(YearWork {
                    year: y.year,
                    label: y.label.clone(),
                    in_period: y.in_period,
                    activities: 0,
                    deliverables: Capped::new(Vec::new(), 0),
                    milestones: Capped::new(Vec::new(), 0),
                    milestones_due: 0,
                })
        })
        .collect::<Vec<_>>();

    let unscheduled_ids: BTreeSet<&str> = cov.unscheduled.iter().map(|a| a.as_str()).collect();
    // an activity with no row (no timeframe) leaves its place to its sub-activities: each
    // row is indented under the rows above it, not under one that is not there
    let mut level = vec![0; acts.order.len()];
    for i in 0..acts.order.len() {
        if let Some(p) = acts.parent[i] {
            let shown = !unscheduled_ids.contains(acts.order[p].0);
            level[i] = level[p] + usize::from(shown);
        }
    }
    let mut year_milestones: Vec<Vec<Milestone>> = vec![Vec::new(); years.len()];
    // in project years, the core's years of each milestone that is not cancelled (its
    // due date, else its activity's time; anchors resolved)
    let mut project_milestones: HashMap<&str, Vec<i32>> = HashMap::new();
    for y in cov.project_years.iter().filter(|_| in_project_years) {
        for m in &y.milestones {
            let key = i32::try_from(y.year).unwrap_or(i32::MAX);
            project_milestones.entry(m.as_str()).or_default().push(key);
        }
    }
    let rows: Vec<TimelineRow> = acts
        .order
        .iter()
        .enumerate()
        .filter(|(_, (id, _))| !unscheduled_ids.contains(id))
        .map(|(i, (id, title))| {
            let from = acts.timeframe_from[i];
            let mut row_cells = std::mem::take(&mut cells[i]);
            row_cells.resize(years.len(), YearCell::default());
            // its milestones, by due date, in each year column (cancelled ones too)
            if let Some(Element::Activity(a)) = graph.node(id).map(|n| n.element()) {
                let mut ys = Vec::new();
                for m in &a.milestones {
                    let milestone = Milestone {
                        item: Item::of(graph, m.id.as_str()),
                        due: m.due.as_ref().map(|d| d.text().to_owned()),
                    };
                    ys.clear();
                    match &m.due {
                        // the core places those that are not cancelled; a cancelled one
                        // is shown in the project years its due date names
                        _ if in_project_years && !milestone.item.cancelled => {
                            if let Some(placed) = project_milestones.get(m.id.as_str()) {
                                ys.extend_from_slice(placed);
                            }
                        }
                        Some(due) if in_project_years => {
                            let mut project = Vec::new();
                            due.project_years_into(start, &mut project);
                            ys.extend(project.into_iter().filter_map(|y| i32::try_from(y).ok()));
                        }
                        Some(due) => due.years_into(start, &mut ys),
                        None => {}
                    }
                    for y in &ys {
                        if let Some(&c) = column.get(y) {
                            row_cells[c].milestones.push(milestone.clone());
                            year_milestones[c].push(milestone.clone());
                        }
                    }
                }
            }
            TimelineRow {
                id: (*id).to_owned(),
                title: (*title).to_owned(),
                depth: level[i],
                timeframe: from
                    .and_then(|f| acts.timeframes[f])
                    .unwrap_or_default()
                    .to_owned(),
                inherited_from: from.filter(|f| *f != i).map(|f| acts.order[f].0.to_owned()),
                cells: row_cells,
                cancelled: acts.cancelled[i],
            }
        })
        .collect();
    let rows = Capped::new(rows, MAX_TIMELINE_ROWS);
    let mut per_year = per_year;
    for (w, ms) in per_year.iter_mut().zip(year_milestones) {
        w.milestones_due = ms.iter().filter(|m| !m.item.cancelled).count();
        w.milestones = Capped::new(ms, MAX_YEAR_DELIVERABLES);
    }
    let unscheduled = Capped::new(
        acts.sorted(unscheduled_ids.iter().copied())
            .into_iter()
            .map(|id| Item::of(graph, id)),
        MAX_LISTED,
    );
    Timeline {
        period: doc.programme.period.as_ref().map(|p| p.text().to_owned()),
        in_project_years,
        years,
        years_more,
        rows,
        per_year,
        unscheduled,
    }
}

/// How many columns the effort table shows.
pub const MAX_EFFORT_COLUMNS: usize = 40;

fn effort(input: &Input<'_, '_>) -> Option<EffortTable> {
    let graph = input.graph;
    let doc = graph.document();
    let partner_row: HashMap<&str, usize> = doc
        .partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let add = |a: Amount, b: Amount| a.0.checked_add(b.0).map(Amount).unwrap_or(a);
    // per top-level activity: the sum per partner that puts effort in it, by partner row
    // (sparse: a subtree is walked once, and a column holds only its own partners)
    let mut columns: Vec<(&Activity, BTreeMap<usize, Amount>)> = Vec::new();
    // per partner: the sum over every column
    let mut row_totals: Vec<Option<Amount>> = vec![None; doc.partners.len()];
    for a in &doc.activities {
        let mut sums: BTreeMap<usize, Amount> = BTreeMap::new();
        let mut stack = vec![a];
        while let Some(x) = stack.pop() {
            for e in &x.effort {
                let row = graph
                    .node(e.partner.as_str())
                    .and_then(|p| partner_row.get(p.id()).copied());
                if let Some(r) = row {
                    let sum = sums.entry(r).or_insert(Amount::ZERO);
                    *sum = sum
                        .0
                        .checked_add(e.person_months.0)
                        .map(Amount)
                        .unwrap_or(*sum);
                }
            }
            stack.extend(x.activities.iter());
        }
        if sums.is_empty() {
            continue;
        }
        for (&r, &v) in &sums {
            if let Some(t) = row_totals.get_mut(r) {
                *t = Some(t.map_or(v, |t| add(t, v)));
            }
        }
        columns.push((a, sums));
    }
    if columns.is_empty() {
        return None;
    }
    let shown = columns.len().min(MAX_EFFORT_COLUMNS);
    let rows = doc.partners.iter().enumerate().filter_map(|(r, p)| {
        let total = row_totals.get(r).copied().flatten()?;
        let cells: Vec<Option<String>> = columns
            .iter()
            .take(shown)
            .map(|(_, s)| s.get(&r).map(ToString::to_string))
            .collect();
        Some(EffortRow {
            partner: Item::of(graph, p.id.as_str()),
            linked_to: p.linked_to.as_ref().map(|l| l.to_string()),
            cells,
            total: total.to_string(),
        })
    });
    let rows: Vec<EffortRow> = rows.collect();
    Some(EffortTable {
        planned: columns
            .iter()
            .take(shown)
            .map(|(a, _)| a.person_months.map(|v| v.to_string()))
            .collect(),
        totals: columns
            .iter()
            .take(shown)
            .map(|(_, s)| s.values().fold(Amount::ZERO, |t, v| add(t, *v)).to_string())
            .collect(),
        columns: Capped::new(
            columns.iter().map(|(a, _)| Item::of(graph, a.id.as_str())),
            MAX_EFFORT_COLUMNS,
        ),
        rows: Capped::new(rows, MAX_GROUP_ROWS),
    })
}

fn results(input: &Input<'_, '_>) -> Results {
    let graph = input.graph;
    // positions in document order, to list linked elements in that order
    let positions = |kind: NodeKind| -> HashMap<&str, usize> {
        graph
            .nodes_of_kind(kind)
            .enumerate()
            .map(|(i, n)| (n.id(), i))
            .collect()
    };
    let deliverables = positions(NodeKind::Deliverable);
    let indicators = positions(NodeKind::Indicator);
    // outputs before outcomes, as the document lists them
    let mut results = positions(NodeKind::Output);
    let outputs_len = results.len();
    results.extend(
        positions(NodeKind::Outcome)
            .into_iter()
            .map(|(id, i)| (id, i + outputs_len)),
    );
    let in_order = |position: &HashMap<&str, usize>, ids: Vec<&str>| -> Vec<String> {
        let mut ids = ids;
        ids.sort_by_key(|id| (position.get(id).copied().unwrap_or(usize::MAX), *id));
        ids.dedup();
        ids.into_iter().map(str::to_owned).collect()
    };
    let outputs = Capped::new(
        graph.nodes_of_kind(NodeKind::Output).map(|n| {
            let from: Vec<&str> = n.incoming(EdgeKind::Produces).map(|d| d.id()).collect();
            let contributes_to = match n.element() {
                Element::Output(o) => o.contributes_to.iter().map(|c| c.to_string()).collect(),
                _ => Vec::new(),
            };
            ResultRow {
                id: n.id().to_owned(),
                title: n.title().to_owned(),
                horizon: None,
                from: Capped::new(in_order(&deliverables, from), MAX_IDS),
                contributes_to,
            }
        }),
        MAX_RESULTS,
    );
    let outcomes = Capped::new(
        graph.nodes_of_kind(NodeKind::Outcome).map(|n| {
            let mut from = in_order(
                &indicators,
                n.incoming(EdgeKind::Measures).map(|i| i.id()).collect(),
            );
            from.extend(in_order(
                &results,
                n.incoming(EdgeKind::ContributesTo)
                    .map(|r| r.id())
                    .collect(),
            ));
            let (horizon, contributes_to) = match n.element() {
                Element::Outcome(o) => (
                    o.horizon.map(|h| match h {
                        Horizon::Immediate => "immediate",
                        Horizon::ShortTerm => "short term",
                        Horizon::MediumTerm => "medium term",
                        Horizon::LongTerm => "long term",
                    }),
                    o.contributes_to.iter().map(|c| c.to_string()).collect(),
                ),
                _ => (None, Vec::new()),
            };
            ResultRow {
                id: n.id().to_owned(),
                title: n.title().to_owned(),
                horizon,
                from: Capped::new(from, MAX_IDS),
                contributes_to,
            }
        }),
        MAX_RESULTS,
    );
    Results { outputs, outcomes }
}

fn groups(input: &Input<'_, '_>, acts: &Activities<'_>) -> Vec<GroupTable> {
    let cov = input.coverage;
    let table =
        |heading: &'static str, list: &[GroupCoverage], with_deliverables: bool| GroupTable {
            heading,
            with_deliverables,
            rows: Capped::new(
                list.iter().map(|g| GroupRow {
                    id: g.id.clone(),
                    title: g.title.clone(),
                    activities: acts.refs(g.activities.iter().map(|a| a.as_str())),
                    activities_count: g.activities_text(),
                    deliverables: g.deliverables.len(),
                }),
                MAX_GROUP_ROWS,
            ),
        };
    [
        table("Funding sources", &cov.funding_sources, false),
        table("Partners", &cov.partners, true),
        table("Networks", &cov.networks, false),
        table("Cross-cutting themes", &cov.themes, false),
    ]
    .into_iter()
    .filter(|t| !t.rows.is_empty())
    .collect()
}

fn chain(input: &Input<'_, '_>) -> ChainSummary {
    let chain = ResultsChain::of(input.graph);
    let layers = Layer::ALL
        .iter()
        .map(|&l| (l.heading(), chain.layer(l).count()))
        .collect();
    let links = chain.edges.len();
    ChainSummary {
        layers,
        links,
        chain,
    }
}
