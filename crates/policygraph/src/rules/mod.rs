//! The validation rules. Each rule is one function with a stable code; the codes, names,
//! default severities and documentation are in the one table in [`crate::codes`].
//!
//! Every rule is linear in the size of the document (or close to it): a rule looks at each
//! element and its edges a bounded number of times. Rules share derived data (each
//! activity's effective timeframe) computed once in [`Ctx`].

mod coverage;
pub(crate) use coverage::{
    covered_lines as coverage_lines, covered_lines_where, in_cancelled_priority,
};
pub(crate) use structure::is_cancelled;
pub(crate) use structure::{ORPHAN_KINDS, is_orphan};
mod money;
mod people;
mod references;
mod structure;
mod targets;
mod time;

use petgraph::stable_graph::NodeIndex;

use crate::check::Levels;
use crate::codes::Code;
use crate::derive::Derived;
use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::model::{Date, Document, Timeframe};

type RuleFn = fn(&Ctx<'_, '_>, &mut Vec<Diagnostic>);

/// How many ids a message lists before it says how many more there are.
pub(crate) const LISTED_IDS: usize = 6;

/// The first [`LISTED_IDS`] ids, each in backticks, joined by `sep`, then `… and N more`
/// when there are more: a message stays short however long the list (every id is in the
/// finding's `elements`).
pub(crate) fn id_list(ids: &[&str], sep: &str) -> String {
    let mut out = String::new();
    for (i, id) in ids.iter().take(LISTED_IDS).enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push('`');
        out.push_str(id);
        out.push('`');
    }
    if ids.len() > LISTED_IDS {
        out.push_str(&format!("{sep}… and {} more", ids.len() - LISTED_IDS));
    }
    out
}

/// Every rule with its code, in code order.
const RULES: &[(Code, RuleFn)] = &[
    (Code::UnknownReference, references::unknown_reference),
    (Code::DuplicateId, references::duplicate_id),
    (Code::WrongKindReference, references::wrong_kind_reference),
    (Code::UndatedAnchor, time::undated_anchor),
    (Code::HierarchyCycle, structure::hierarchy_cycle),
    (Code::OrphanElement, structure::orphan_element),
    (Code::EmptyTitle, structure::empty_title),
    (
        Code::ActiveUnderCancelled,
        structure::active_under_cancelled,
    ),
    (Code::TimeframeOutsidePeriod, time::timeframe_outside_period),
    (Code::ChildOutsideParent, time::child_outside_parent),
    (Code::DueOutsideActivity, time::due_outside_activity),
    (
        Code::TargetDateOutsidePeriod,
        time::target_date_outside_period,
    ),
    (Code::MissingTimeframe, time::missing_timeframe),
    (Code::DependencyStartsEarly, time::dependency_starts_early),
    (Code::DependencyCycle, time::dependency_cycle),
    (Code::DependencyEndsEarly, time::dependency_ends_early),
    (Code::MonthZero, time::month_zero),
    (
        Code::MixedRangeWithoutStart,
        time::mixed_range_without_start,
    ),
    (Code::ReversedRange, time::reversed_range),
    (Code::UndeclaredFunding, money::undeclared_funding),
    (Code::FundingNotInParent, money::funding_not_in_parent),
    (Code::NegativeAmount, money::negative_amount),
    (
        Code::AllocationExceedsDeclared,
        money::allocation_exceeds_declared,
    ),
    (Code::TotalMismatch, money::total_mismatch),
    (Code::MixedCurrencies, money::mixed_currencies),
    (Code::PersonMonthsMismatch, money::person_months_mismatch),
    (Code::AmountOverflow, money::amount_overflow),
    (
        Code::EffortOutsideParticipation,
        people::effort_outside_participation,
    ),
    (
        Code::RoleOutsideParticipation,
        people::role_outside_participation,
    ),
    (
        Code::RolePartlyOutsideParticipation,
        people::role_partly_outside_participation,
    ),
    (Code::PercentOutOfRange, targets::percent_out_of_range),
    (Code::TargetWithoutUnit, targets::target_without_unit),
    (
        Code::IndicatorWithoutOutcome,
        targets::indicator_without_outcome,
    ),
    (
        Code::IndicatorWithoutContributors,
        targets::indicator_without_contributors,
    ),
    (
        Code::IndicatorWithoutTarget,
        targets::indicator_without_target,
    ),
    (
        Code::IndicatorWithoutBaseline,
        targets::indicator_without_baseline,
    ),
    (Code::EmptyMeasurement, targets::empty_measurement),
    (
        Code::PriorityWithoutActions,
        coverage::priority_without_actions,
    ),
    (Code::UncoveredAction, coverage::uncovered_action),
    (
        Code::ActivityWithoutDeliverables,
        coverage::activity_without_deliverables,
    ),
    (Code::UnalignedActivity, coverage::unaligned_activity),
    (
        Code::AddressesCancelledPriority,
        coverage::addresses_cancelled_priority,
    ),
];

/// The codes of every validation rule.
pub fn rule_codes() -> impl Iterator<Item = Code> {
    RULES.iter().map(|(c, _)| *c)
}

/// Runs the enabled rules; large graphs (`parallel::FROM`) are checked on two threads.
pub(crate) fn run(graph: &Graph<'_>, levels: &Levels, out: &mut Vec<Diagnostic>) {
    let ctx = Ctx::new(graph, levels);
    let enabled: Vec<RuleFn> = RULES
        .iter()
        .filter(|(c, _)| levels.enabled(*c))
        .map(|(_, r)| *r)
        .collect();
    // alternate rules between two threads; findings are sorted afterwards (a rule's own
    // findings keep their order, so the result is the same on one thread)
    let ctx = &ctx;
    let (found, ()) = crate::parallel::join_from(
        graph.node_count(),
        || {
            let mut found = Vec::new();
            for rule in enabled.iter().skip(1).step_by(2) {
                rule(ctx, &mut found);
            }
            found
        },
        || {
            for rule in enabled.iter().step_by(2) {
                rule(ctx, out);
            }
        },
    );
    out.extend(found);
}

/// Data the rules share, derived once.
pub(crate) struct Ctx<'g, 'd> {
    pub g: &'g Graph<'d>,
    pub doc: &'d Document,
    /// The programme's start date, which relative months count from.
    pub start: Option<Date>,
    /// What activities inherit from the activities they belong to.
    pub derived: &'g Derived<'d>,
    /// Whether PG301 runs: a date outside both the period and its activity is then
    /// reported once, by PG301 naming both, and not by PG302 or PG303 as well.
    pub period_rule: bool,
}

impl<'g, 'd> Ctx<'g, 'd> {
    pub(crate) fn new(g: &'g Graph<'d>, levels: &Levels) -> Ctx<'g, 'd> {
        let doc = g.document();
        let start = doc.programme.start_date();
        Ctx {
            g,
            doc,
            start,
            derived: g.derived(),
            period_rule: levels.enabled(Code::TimeframeOutsidePeriod),
        }
    }

    /// An activity's effective timeframe and the activity that states it.
    pub fn timeframe_of(&self, activity: NodeIndex) -> Option<(&'d Timeframe, NodeIndex)> {
        self.derived.timeframe(activity)
    }

    pub fn id(&self, n: NodeIndex) -> &'d str {
        self.g.element(n).id()
    }

    pub fn pointer(&self, n: NodeIndex) -> String {
        self.g.pointer(n)
    }
}
