//! Coverage analysis: what serves each priority and line of action, whether the planned
//! deliverables can meet each indicator's target, and the work per year, funding source,
//! partner, network and theme. Returned as plain, serializable data.

use std::collections::BTreeMap;

use petgraph::stable_graph::NodeIndex;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::derive::Derived;
use crate::graph::{EdgeKind, Element, Graph, NodeKind};
use crate::model::{Amount, Comparator, Id, Scope, TimeSpec, Unit};
use crate::rules::coverage_lines;

/// The coverage of a programme.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Coverage {
    /// Per strategic priority.
    pub priorities: Vec<PriorityCoverage>,
    /// Per line of action (sub-lines included), in document order.
    pub lines: Vec<LineCoverage>,
    /// The lines of action no activity addresses, directly or through a sub-line.
    pub uncovered_lines: Vec<Id>,
    /// Per indicator: what counts toward it, and the plan against the target.
    pub indicators: Vec<IndicatorCoverage>,
    /// Per calendar year: the activities and deliverables planned in it.
    pub years: Vec<YearCoverage>,
    /// Per project year (year 1 is `M1`–`M12`, `M0` in it), for a programme written in
    /// months from a start it does not date (`M1-M48`, no `start`): the activities,
    /// deliverables and milestones planned in it. Empty when the programme states its
    /// start (see `years`) or writes no months from the start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub project_years: Vec<ProjectYearCoverage>,
    /// Activities with no timeframe of their own or inherited, nor one derived from
    /// sub-activities that all have one (so in no year).
    pub unscheduled: Vec<Id>,
    /// Per funding source: the activities funded by it (directly or through their parent).
    pub funding_sources: Vec<GroupCoverage>,
    /// Per partner: the activities and deliverables it leads, takes part in or puts effort into.
    pub partners: Vec<GroupCoverage>,
    /// Per network: the activities run in or through it.
    pub networks: Vec<GroupCoverage>,
    /// Per cross-cutting theme: the activities that serve it.
    pub themes: Vec<GroupCoverage>,
}

/// Coverage of one strategic priority.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PriorityCoverage {
    /// The priority's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its short label, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How many lines of action (sub-lines included) it has.
    pub lines: usize,
    /// Whether it is cancelled (`status: cancelled`): its lines are left out of every
    /// count of lines covered of the programme.
    pub cancelled: bool,
    /// How many of them are covered.
    pub covered_lines: usize,
    /// `covered_lines / lines`; for a priority with no lines, 1 when activities address
    /// it directly and 0 when none does.
    pub share: f64,
    /// The activities serving it (addressing it or one of its lines; not cancelled), in
    /// document order.
    pub activities: Vec<Id>,
    /// The deliverables of those activities and their sub-activities.
    pub deliverables: Vec<Id>,
}

/// Coverage of one line of action.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LineCoverage {
    /// The line's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The priority it belongs to.
    pub priority: String,
    /// The line it refines, for a sub-line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Whether an activity addresses it, directly or through one of its sub-lines.
    pub covered: bool,
    /// The activities that address it directly (not cancelled).
    pub activities: Vec<Id>,
    /// The activities that address one of its sub-lines.
    pub through_sub_lines: Vec<Id>,
    /// The deliverables of the activities addressing it directly, and of their sub-activities.
    pub deliverables: Vec<Id>,
    /// Whether it lies within a cancelled priority: it needs no activity, and it is left
    /// out of every count of lines covered.
    pub cancelled: bool,
}

/// Whether the planned deliverables can meet an indicator's target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TargetStatus {
    /// The planned quantity reaches the target.
    Met {
        /// How far above the target the plan goes.
        surplus: Amount,
    },
    /// The planned quantity falls short of the target.
    Short {
        /// By how much.
        by: Amount,
    },
    /// The planned quantity goes over a bound the target sets (`{at_most: 5}`).
    OverLimit {
        /// By how much.
        by: Amount,
    },
    /// The plan cannot be compared with the target.
    Unknown {
        /// Why, in words.
        reason: String,
        /// The contributing deliverables and activities that state no quantity.
        missing_quantities: Vec<Id>,
    },
    /// The indicator is not a count (a percentage, a ratio): quantities do not add up to it.
    NotComparable {
        /// The unit.
        unit: String,
    },
    /// Nothing counts toward the indicator.
    NoContributors,
    /// The indicator states no target.
    NoTarget,
    /// The indicator is measured across every activity (`scope: programme`), and nothing
    /// in particular counts toward it.
    ProgrammeWide,
}

/// Coverage of one indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndicatorCoverage {
    /// The indicator's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Its target value (see `comparator` for a bound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Amount>,
    /// How the plan compares with the target, when it is a bound: `at_least`
    /// (`{at_least: 2}`) or `at_most` (`{at_most: 5}`); absent for a value to reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparator: Option<Comparator>,
    /// When the target is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<String>,
    /// The outcome it measures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<String>,
    /// `programme` when it is measured across every activity (`scope: programme`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Activities counting toward it directly.
    pub activities: Vec<Id>,
    /// Deliverables counting toward it.
    pub deliverables: Vec<Id>,
    /// The planned quantity, when every contributor states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned: Option<Amount>,
    /// The plan against the target.
    pub status: TargetStatus,
}

/// The work planned in one calendar year.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct YearCoverage {
    /// The year.
    pub year: i32,
    /// Activities whose timeframe (own or inherited) touches the year.
    pub activities: Vec<Id>,
    /// Deliverables due in the year (or, with no due date, whose activity runs in it).
    pub deliverables: Vec<Id>,
}

/// The work planned in one project year, for a programme in months from an undated start.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProjectYearCoverage {
    /// The project year: 1 for `M1`–`M12` (and `M0`), 2 for `M13`–`M24`, and so on.
    pub year: u32,
    /// Activities whose timeframe (own, inherited or derived from sub-activities) touches
    /// the year.
    pub activities: Vec<Id>,
    /// Deliverables due in the year (or, with no due date, whose activity runs in it).
    pub deliverables: Vec<Id>,
    /// Milestones due in the year (or, with no due date, whose activity runs in it).
    pub milestones: Vec<Id>,
}

impl ProjectYearCoverage {
    /// The first and last month of the year (`M1` and `M12` for year 1).
    pub fn months(&self) -> (u32, u32) {
        let last = self.year.saturating_mul(12);
        (last.saturating_sub(11), last)
    }

    /// The year in words: `Year 1 (M1–M12)`.
    pub fn label(&self) -> String {
        let (first, last) = self.months();
        format!("Year {} (M{first}–M{last})", self.year)
    }
}

/// The work connected with one funding source, partner, network or theme.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GroupCoverage {
    /// The element's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The activities connected with it.
    pub activities: Vec<Id>,
    /// The deliverables connected with it (partners only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliverables: Vec<Id>,
    /// `programme` for a theme transversal to every activity (`scope: programme`): it
    /// applies to all activities, whichever list it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
}

/// What a row with `scope: programme` says in place of counting what counts toward an
/// indicator (coverage, reports and exports all say it so).
pub const APPLIES_TO_EVERY_ACTIVITY: &str = "applies to every activity (scope: programme)";

/// What a theme row with `scope: programme` says in place of counting its activities.
pub const ALL_ACTIVITIES: &str = "all";

impl IndicatorCoverage {
    /// The target in words, with `value` written as the caller writes it (with a unit,
    /// say): `2`, `at least 2`, `at most 5`.
    pub fn target_in_words(&self, value: impl std::fmt::Display) -> String {
        self.comparator
            .unwrap_or(Comparator::Exactly)
            .describe(value)
    }

    /// The target in words, as the document writes its value (`at least 2`).
    pub fn target_text(&self) -> Option<String> {
        self.target.map(|t| self.target_in_words(t))
    }

    /// Whether it is measured across every activity (`scope: programme`).
    pub fn programme_wide(&self) -> bool {
        self.scope == Some(Scope::Programme)
    }

    /// What counts toward it, in words for a table cell: how many deliverables and
    /// activities, or [`APPLIES_TO_EVERY_ACTIVITY`] with `scope: programme`. A
    /// programme-wide indicator that also lists contributors says both
    /// (`applies to every activity (scope: programme); 2 count toward its target`): its
    /// status compares their plan with the target.
    pub fn contributors_text(&self) -> String {
        let count = self.activities.len() + self.deliverables.len();
        match (self.scope, count) {
            (Some(Scope::Programme), 0) => APPLIES_TO_EVERY_ACTIVITY.to_owned(),
            (Some(Scope::Programme), 1) => {
                format!("{APPLIES_TO_EVERY_ACTIVITY}; 1 counts toward its target")
            }
            (Some(Scope::Programme), n) => {
                format!("{APPLIES_TO_EVERY_ACTIVITY}; {n} count toward its target")
            }
            (None, n) => n.to_string(),
        }
    }
}

impl PriorityCoverage {
    /// Whether it has no lines of action and an activity that is not cancelled addresses
    /// it directly (its share is 1 then): covered without lines.
    pub fn addressed_directly(&self) -> bool {
        self.lines == 0 && self.share > 0.0
    }
}

impl GroupCoverage {
    /// Whether it applies to every activity (a theme with `scope: programme`).
    pub fn programme_wide(&self) -> bool {
        self.scope == Some(Scope::Programme)
    }

    /// Its activities, in words for a table cell: how many, or [`ALL_ACTIVITIES`] with
    /// `scope: programme`.
    pub fn activities_text(&self) -> String {
        match self.scope {
            Some(Scope::Programme) => ALL_ACTIVITIES.to_owned(),
            None => self.activities.len().to_string(),
        }
    }
}

/// Computes the coverage of a programme.
pub fn coverage(g: &Graph<'_>) -> Coverage {
    // derived once, before the threads share it
    let derived = g.derived();
    // the results chain (lines and priorities) and the rest (indicators, years, groups)
    // are independent: on a large programme they run on two threads
    let ((lines, uncovered_lines, priorities), rest) = crate::parallel::join_from(
        g.node_count(),
        || lines_and_priorities(g),
        || indicators_years_and_groups(g, derived),
    );
    Coverage {
        priorities,
        lines,
        uncovered_lines,
        ..rest
    }
}

/// The ids of nodes, in index order, each once.
fn sorted_ids_of(g: &Graph<'_>, mut v: Vec<NodeIndex>) -> Vec<Id> {
    v.sort();
    v.dedup();
    v.into_iter().map(|n| g.id_of(n).clone()).collect()
}

/// What serves each line of action and priority, and the lines nothing serves.
fn lines_and_priorities(g: &Graph<'_>) -> (Vec<LineCoverage>, Vec<Id>, Vec<PriorityCoverage>) {
    let id = |n: NodeIndex| g.id_of(n).clone();
    let sorted_ids = |v: Vec<NodeIndex>| sorted_ids_of(g, v);
    // the deliverables of activities (sorted) and of their sub-activities: a subtree is one
    // run of indices, so its deliverables are one run of the deliverables' list, found by
    // how many deliverables come before each index
    let all_deliverables = g.indices_of_kind(NodeKind::Deliverable);
    let mut before = vec![0u32; g.index_bound() + 1];
    {
        let mut count = 0u32;
        let mut next = all_deliverables.iter().peekable();
        for (i, b) in before.iter_mut().enumerate() {
            while next.next_if(|d| d.index() < i).is_some() {
                count += 1;
            }
            *b = count;
        }
    }
    let deliverables_under = |roots: &[NodeIndex]| -> Vec<NodeIndex> {
        let mut out = Vec::new();
        let mut done_to = 0usize;
        for &r in roots {
            if r.index() < done_to {
                continue; // nested in an activity already taken
            }
            done_to = g.subtree_end(r);
            let (from, to) = (before[r.index()] as usize, before[done_to] as usize);
            out.extend_from_slice(all_deliverables.get(from..to).unwrap_or(&[]));
        }
        out
    };
    // what links to each line, priority, indicator, partner, network and theme, gathered
    // in one pass over the edges each (see `Graph::incoming_grouped`)
    let addressing_lines = g.incoming_grouped(&[EdgeKind::Addresses], NodeKind::Action);
    let addressing_priorities = g.incoming_grouped(&[EdgeKind::Addresses], NodeKind::Priority);
    // a cancelled activity carries nothing out: it serves no line or priority
    let live = |a: &NodeIndex| !g.at(*a).is_cancelled();

    let covered = coverage_lines(g);
    let mut lines = Vec::new();
    let mut uncovered_lines = Vec::new();
    // per line of action, by its position among the lines (not per node: lines are a
    // fraction of the elements)
    let actions = g.indices_of_kind(NodeKind::Action);
    let mut slot = vec![u32::MAX; g.index_bound()];
    for (i, &l) in actions.iter().enumerate() {
        slot[l.index()] = u32::try_from(i).unwrap_or(u32::MAX);
    }
    let slot_of = |n: NodeIndex| {
        slot.get(n.index())
            .copied()
            .filter(|&s| s != u32::MAX)
            .map(|s| s as usize)
    };
    let mut line_activities: Vec<Vec<NodeIndex>> = vec![Vec::new(); actions.len()];
    // sub-lines after parents in index order: walk backwards to gather activities through sub-lines
    let mut through: Vec<Vec<NodeIndex>> = vec![Vec::new(); actions.len()];
    for (i, &l) in actions.iter().enumerate().rev() {
        let direct: Vec<NodeIndex> = addressing_lines
            .get(i)
            .iter()
            .copied()
            .filter(live)
            .collect();
        let mut via: Vec<NodeIndex> = Vec::new();
        for c in g.hierarchy_children(l).filter_map(slot_of) {
            via.extend(line_activities[c].iter().copied());
            via.extend(through[c].iter().copied());
        }
        line_activities[i] = direct;
        through[i] = via;
    }
    for (i, &l) in actions.iter().enumerate() {
        let Element::Action(line) = g.element(l) else {
            continue;
        };
        let mut up = g.parent_index(l);
        while let Some(p) = up.filter(|p| g.kind_of(*p) == NodeKind::Action) {
            up = g.parent_index(p);
        }
        let priority = up
            .filter(|p| g.kind_of(*p) == NodeKind::Priority)
            .map(|p| g.element(p).id().to_owned())
            .unwrap_or_default();
        let parent = g
            .parent_index(l)
            .filter(|p| g.kind_of(*p) == NodeKind::Action)
            .map(|p| id(p).to_string());
        let direct = &line_activities[i];
        let cancelled = crate::rules::in_cancelled_priority(g, l);
        if !covered[l.index()] && !cancelled {
            uncovered_lines.push(line.id.clone());
        }
        lines.push(LineCoverage {
            id: line.id.to_string(),
            title: line.title.clone(),
            priority,
            parent,
            covered: covered[l.index()],
            activities: sorted_ids(direct.clone()),
            through_sub_lines: sorted_ids(std::mem::take(&mut through[i])),
            // the activities' own deliverables and their sub-activities'
            deliverables: sorted_ids(deliverables_under(direct)),
            cancelled,
        });
    }

    let mut priorities = Vec::new();
    for (pi, &p) in g.indices_of_kind(NodeKind::Priority).iter().enumerate() {
        let Element::Priority(pr) = g.element(p) else {
            continue;
        };
        let under = g.of_kind_within(p, NodeKind::Action);
        let n_lines = under.len();
        let n_covered = under.iter().filter(|r| covered[r.index()]).count();
        let direct: Vec<NodeIndex> = addressing_priorities
            .get(pi)
            .iter()
            .copied()
            .filter(live)
            .collect();
        let mut acts = direct.clone();
        for r in under.iter().filter_map(|r| slot_of(*r)) {
            acts.extend(line_activities[r].iter().copied());
        }
        acts.sort();
        acts.dedup();
        let dels = deliverables_under(&acts);
        priorities.push(PriorityCoverage {
            id: pr.id.to_string(),
            title: pr.title.clone(),
            label: pr.label.clone(),
            lines: n_lines,
            cancelled: crate::rules::in_cancelled_priority(g, p),
            covered_lines: n_covered,
            // a priority with no lines is reached, or not, by the activities addressing
            // it that are not cancelled
            share: if n_lines == 0 {
                if direct.is_empty() { 0.0 } else { 1.0 }
            } else {
                n_covered as f64 / n_lines as f64
            },
            activities: sorted_ids(acts),
            deliverables: sorted_ids(dels),
        });
    }
    (lines, uncovered_lines, priorities)
}

/// Per indicator, per year, and per funding source, partner, network and theme; the
/// other fields are left to [`lines_and_priorities`].
fn indicators_years_and_groups<'d>(g: &Graph<'d>, derived: &Derived<'d>) -> Coverage {
    let start = g.document().programme.start_date();
    let id = |n: NodeIndex| g.id_of(n).clone();
    let sorted_ids = |v: Vec<NodeIndex>| sorted_ids_of(g, v);

    let counting = g.incoming_grouped(&[EdgeKind::CountsToward], NodeKind::Indicator);
    let indicators = g
        .indices_of_kind(NodeKind::Indicator)
        .iter()
        .enumerate()
        .filter_map(|(i, &n)| match g.element(n) {
            Element::Indicator(ind) => {
                // cancelled work counts toward nothing
                let live: Vec<NodeIndex> = counting
                    .get(i)
                    .iter()
                    .copied()
                    .filter(|&c| !g.at(c).is_cancelled())
                    .collect();
                Some(indicator_coverage(g, derived, &live, ind, start))
            }
            _ => None,
        })
        .collect();

    let mut by_year: BTreeMap<i32, (Vec<NodeIndex>, Vec<NodeIndex>)> = BTreeMap::new();
    let mut unscheduled = Vec::new();
    let mut ys = Vec::new();
    // cancelled work is in no year and needs no timeframe
    let cancelled = |a: NodeIndex| g.at(a).is_cancelled();
    for &a in g.indices_of_kind(NodeKind::Activity) {
        if cancelled(a) {
            continue;
        }
        if !derived.scheduled(a) {
            unscheduled.push(id(a));
        }
        derived.years_into(g, a, start, &mut ys);
        for &y in &ys {
            by_year.entry(y).or_default().0.push(a);
        }
    }
    for &d in g.indices_of_kind(NodeKind::Deliverable) {
        if g.parent_index(d).is_some_and(cancelled) {
            continue;
        }
        derived.years_into(g, d, start, &mut ys);
        for &y in &ys {
            by_year.entry(y).or_default().1.push(d);
        }
    }
    let years = by_year
        .into_iter()
        .map(|(year, (a, d))| YearCoverage {
            year,
            activities: sorted_ids(a),
            deliverables: sorted_ids(d),
        })
        .collect();
    let project_years = project_years(g, derived, start);

    let group = |kind: NodeKind,
                 f: &dyn Fn(usize, NodeIndex) -> (Vec<NodeIndex>, Vec<NodeIndex>)|
     -> Vec<GroupCoverage> {
        g.indices_of_kind(kind)
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let (a, d) = f(i, n);
                GroupCoverage {
                    id: id(n).to_string(),
                    title: g.element(n).title().to_owned(),
                    activities: sorted_ids(a),
                    deliverables: sorted_ids(d),
                    scope: match g.element(n) {
                        Element::Theme(t) => t.scope,
                        _ => None,
                    },
                }
            })
            .collect()
    };
    // activities funded by a source, directly or through the parent whose funding they inherit
    let mut funded: BTreeMap<NodeIndex, Vec<NodeIndex>> = BTreeMap::new();
    for &a in g.indices_of_kind(NodeKind::Activity) {
        if let Some(from) = derived.funding_from(a) {
            for s in g.edges_out(from, EdgeKind::FundedBy) {
                funded.entry(s).or_default().push(a);
            }
        }
    }
    let funding_sources = group(NodeKind::FundingSource, &|_, n| {
        (funded.get(&n).cloned().unwrap_or_default(), Vec::new())
    });
    let working = g.incoming_grouped(
        &[EdgeKind::LedBy, EdgeKind::PartnersWith],
        NodeKind::Partner,
    );
    let partners = group(NodeKind::Partner, &|i, _| {
        let mut acts = Vec::new();
        let mut dels = Vec::new();
        for &s in working.get(i) {
            match g.kind_of(s) {
                NodeKind::Activity => acts.push(s),
                NodeKind::Deliverable => dels.push(s),
                _ => {}
            }
        }
        (acts, dels)
    });
    let running = g.incoming_grouped(&[EdgeKind::Runs], NodeKind::Network);
    let networks = group(NodeKind::Network, &|i, _| {
        (running.get(i).to_vec(), Vec::new())
    });
    let serving = g.incoming_grouped(&[EdgeKind::Serves], NodeKind::Theme);
    let themes = group(NodeKind::Theme, &|i, _| {
        (serving.get(i).to_vec(), Vec::new())
    });
    Coverage {
        indicators,
        years,
        project_years,
        unscheduled,
        funding_sources,
        partners,
        networks,
        themes,
        ..Coverage::default()
    }
}

/// Per project year, for a programme in months from an undated start: what runs or is
/// due in it (cancelled work, and what lies under it, left out as in the calendar years).
/// Empty when the programme dates its start.
fn project_years<'d>(
    g: &Graph<'d>,
    derived: &Derived<'d>,
    start: Option<crate::model::Date>,
) -> Vec<ProjectYearCoverage> {
    if start.is_some() {
        return Vec::new();
    }
    type Work = (Vec<NodeIndex>, Vec<NodeIndex>, Vec<NodeIndex>);
    let mut by_year: BTreeMap<u32, Work> = BTreeMap::new();
    let cancelled = |a: NodeIndex| g.at(a).is_cancelled();
    let activities = g.indices_of_kind(NodeKind::Activity);
    for (&a, years) in activities
        .iter()
        .zip(derived.activity_project_years(g, start))
    {
        if cancelled(a) {
            continue;
        }
        for y in years {
            by_year.entry(y).or_default().0.push(a);
        }
    }
    let mut ys = Vec::new();
    for &d in g.indices_of_kind(NodeKind::Deliverable) {
        if g.parent_index(d).is_some_and(cancelled) {
            continue;
        }
        derived.project_years_into(g, d, start, &mut ys);
        for &y in &ys {
            by_year.entry(y).or_default().1.push(d);
        }
    }
    for &m in g.indices_of_kind(NodeKind::Milestone) {
        let own = matches!(g.element(m), Element::Milestone(ms) if crate::rules::is_cancelled(ms.status.as_ref()));
        if own || g.parent_index(m).is_some_and(cancelled) {
            continue;
        }
        derived.project_years_into(g, m, start, &mut ys);
        for &y in &ys {
            by_year.entry(y).or_default().2.push(m);
        }
    }
    by_year
        .into_iter()
        .map(|(year, (a, d, m))| ProjectYearCoverage {
            year,
            activities: sorted_ids_of(g, a),
            deliverables: sorted_ids_of(g, d),
            milestones: sorted_ids_of(g, m),
        })
        .collect()
}

/// How many times a recurring deliverable occurs: within the segments its recurrence
/// states (`annually in 2023-2025`), else within its activity's timeframe.
fn occurrences(
    recurrence: &crate::model::Timeframe,
    activity_timeframe: Option<&crate::model::Timeframe>,
    start: Option<crate::model::Date>,
) -> Option<u64> {
    let (r, within) = match recurrence.spec() {
        TimeSpec::Recurring(r) => (*r, activity_timeframe?),
        TimeSpec::Segments {
            recurrence: Some(r),
            ..
        } => (*r, recurrence),
        _ => return None,
    };
    let mut total = 0;
    for interval in within.intervals(start) {
        total += interval.occurrences(r)?;
    }
    (total > 0).then_some(total)
}

/// The quantity planned by `deliverables` (in index order): each one's quantity times its
/// occurrences. Those that state no quantity, or whose occurrences are unknown, are added
/// to `missing`; `Err` holds the deliverable at which the sum leaves the range of an exact
/// decimal (the rest are still looked at for `missing`).
fn planned_quantity(
    g: &Graph<'_>,
    derived: &Derived<'_>,
    deliverables: &[NodeIndex],
    start: Option<crate::model::Date>,
    missing: &mut Vec<Id>,
) -> Result<Decimal, NodeIndex> {
    let mut planned = Ok(Decimal::ZERO);
    for &d in deliverables {
        let Element::Deliverable(del) = g.element(d) else {
            continue;
        };
        match del.quantity {
            Some(q) => {
                let times = match &del.recurrence {
                    None => Some(1),
                    Some(r) => {
                        let activity_tf = g
                            .parent_index(d)
                            .and_then(|a| derived.timeframe(a))
                            .map(|(t, _)| t);
                        occurrences(r, activity_tf, start)
                    }
                };
                match times {
                    Some(t) => {
                        if let Ok(sum) = planned {
                            planned = q
                                .value()
                                .checked_mul(Decimal::from(t))
                                .and_then(|v| sum.checked_add(v))
                                .ok_or(d);
                        }
                    }
                    None => missing.push(g.id_of(d).clone()),
                }
            }
            None => missing.push(g.id_of(d).clone()),
        }
    }
    planned
}

/// Every indicator whose planned quantity leaves the range of an exact decimal, with the
/// deliverable at which it does (for PG407), in index order.
pub(crate) fn planned_overflows(
    g: &Graph<'_>,
    derived: &Derived<'_>,
) -> Vec<(NodeIndex, NodeIndex)> {
    let start = g.document().programme.start_date();
    let counting = g.incoming_grouped(&[EdgeKind::CountsToward], NodeKind::Indicator);
    let mut out = Vec::new();
    let mut deliverables = Vec::new();
    let mut missing = Vec::new();
    for (i, &n) in g.indices_of_kind(NodeKind::Indicator).iter().enumerate() {
        deliverables.clear();
        deliverables.extend(
            counting
                .get(i)
                .iter()
                .copied()
                .filter(|&c| g.kind_of(c) == NodeKind::Deliverable && !g.at(c).is_cancelled()),
        );
        deliverables.sort();
        missing.clear();
        if let Err(d) = planned_quantity(g, derived, &deliverables, start, &mut missing) {
            out.push((n, d));
        }
    }
    out
}

/// The planned quantity against a target: a value to reach or `{at_least: …}` is met
/// by planning as much or more (`surplus` above it) and short otherwise; `{at_most: …}`
/// is met by planning no more (`surplus` is the room left) and over the limit otherwise.
/// The one place the comparators are read against a plan: coverage, the report and the
/// exports take the status from here.
pub fn against_target(target: crate::model::Target, planned: Decimal) -> TargetStatus {
    let value = target.value.value();
    // a target and a plan of opposite signs can be further apart than a decimal holds
    let apart = |a: Decimal, b: Decimal, f: fn(Amount) -> TargetStatus| {
        a.checked_sub(b).map_or_else(
            || TargetStatus::Unknown {
                reason: "the plan and the target are further apart than an exact decimal holds"
                    .to_owned(),
                missing_quantities: Vec::new(),
            },
            |d| f(Amount(d.normalize())),
        )
    };
    let met = |surplus| TargetStatus::Met { surplus };
    match target.comparator {
        Comparator::AtMost if planned <= value => apart(value, planned, met),
        Comparator::AtMost => apart(planned, value, |by| TargetStatus::OverLimit { by }),
        _ if planned >= value => apart(planned, value, met),
        _ => apart(value, planned, |by| TargetStatus::Short { by }),
    }
}

/// `contributors`: what counts toward the indicator, in index order.
fn indicator_coverage(
    g: &Graph<'_>,
    derived: &Derived<'_>,
    contributors: &[NodeIndex],
    ind: &crate::model::Indicator,
    start: Option<crate::model::Date>,
) -> IndicatorCoverage {
    let mut activities = Vec::new();
    let mut deliverables = Vec::new();
    for &c in contributors {
        match g.kind_of(c) {
            NodeKind::Activity => activities.push(c),
            _ => deliverables.push(c),
        }
    }
    activities.sort();
    deliverables.sort();
    let mut missing: Vec<Id> = activities.iter().map(|&a| g.id_of(a).clone()).collect();
    let planned = planned_quantity(g, derived, &deliverables, start, &mut missing);
    missing.sort();
    let unit = ind.unit.as_ref().map(|u| u.as_str().to_owned());
    let comparable = !matches!(ind.unit, Some(Unit::Percent) | Some(Unit::Ratio));
    let status = if activities.is_empty() && deliverables.is_empty() && ind.scope.is_some() {
        TargetStatus::ProgrammeWide
    } else if activities.is_empty() && deliverables.is_empty() {
        TargetStatus::NoContributors
    } else if ind.target.is_none() {
        TargetStatus::NoTarget
    } else if !comparable {
        TargetStatus::NotComparable {
            unit: unit.clone().unwrap_or_default(),
        }
    } else if planned.is_err() {
        TargetStatus::Unknown {
            reason: "the planned quantities add up to more than an exact decimal holds".to_owned(),
            missing_quantities: missing.clone(),
        }
    } else if !missing.is_empty() {
        let reason = if deliverables.is_empty() {
            "only activities count toward it, and activities state no quantity".to_owned()
        } else {
            format!(
                "{} of its {} contributors state no quantity",
                missing.len(),
                activities.len() + deliverables.len()
            )
        };
        TargetStatus::Unknown {
            reason,
            missing_quantities: missing.clone(),
        }
    } else {
        let target = ind
            .target
            .unwrap_or_else(|| crate::model::Target::exactly(Amount::ZERO));
        against_target(target, planned.unwrap_or_default())
    };
    let planned = planned.ok().filter(|_| missing.is_empty());
    IndicatorCoverage {
        id: ind.id.to_string(),
        label: ind.label.clone(),
        unit,
        target: ind.target.map(|t| t.value),
        comparator: ind
            .target
            .map(|t| t.comparator)
            .filter(|c| *c != Comparator::Exactly),
        target_date: ind.target_date.as_ref().map(|t| t.text().to_owned()),
        measures: ind.measures.as_ref().map(ToString::to_string),
        scope: ind.scope,
        activities: activities.iter().map(|&a| g.id_of(a).clone()).collect(),
        deliverables: deliverables.iter().map(|&d| g.id_of(d).clone()).collect(),
        planned: planned.map(|p| Amount(p.normalize())),
        status,
    }
}
