//! Targets: indicators have sensible values and units, measure outcomes and are planned for.

use rust_decimal::Decimal;

use super::Ctx;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::graph::{EdgeKind, Element, NodeKind};
use crate::model::{Indicator, Unit};

fn indicators<'a, 'd>(
    ctx: &'a Ctx<'_, 'd>,
) -> impl Iterator<Item = (petgraph::stable_graph::NodeIndex, &'d Indicator)> + 'a {
    ctx.g
        .indices_of_kind(NodeKind::Indicator)
        .iter()
        .filter_map(|&n| match ctx.g.element(n) {
            Element::Indicator(i) => Some((n, i)),
            _ => None,
        })
}

/// PG601: a percentage target or baseline outside 0–100.
pub(super) fn percent_out_of_range(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, ind) in indicators(ctx) {
        if ind.unit != Some(Unit::Percent) {
            continue;
        }
        for (field, value) in [
            ("target", ind.target.map(|t| t.value)),
            ("baseline", ind.baseline),
        ] {
            let Some(v) = value else { continue };
            if v.value() < Decimal::ZERO || v.value() > Decimal::ONE_HUNDRED {
                out.push(
                    Diagnostic::new(
                        Code::PercentOutOfRange,
                        format!("{}/{field}", ctx.pointer(n)),
                        format!(
                            "indicator `{}` is in percent, but its {field} is `{v}`",
                            ind.id
                        ),
                    )
                    .with_elements([ind.id.as_str()])
                    .with_help("a percentage is between 0 and 100"),
                );
            }
        }
    }
}

/// PG602: a target or baseline without a unit.
pub(super) fn target_without_unit(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, ind) in indicators(ctx) {
        if ind.unit.is_none() && (ind.target.is_some() || ind.baseline.is_some()) {
            let field = if ind.target.is_some() {
                "target"
            } else {
                "baseline"
            };
            out.push(
                Diagnostic::new(
                    Code::TargetWithoutUnit,
                    format!("{}/{field}", ctx.pointer(n)),
                    format!("indicator `{}` has a {field} but no unit", ind.id),
                )
                .with_elements([ind.id.as_str()])
                .with_help("add `unit: count`, `unit: percent` or the unit the source uses"),
            );
        }
    }
}

/// PG603: an indicator that measures nothing (no outcome, output, deliverable or milestone).
pub(super) fn indicator_without_outcome(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, ind) in indicators(ctx) {
        if ind.measures.is_none() {
            out.push(
                Diagnostic::new(
                    Code::IndicatorWithoutOutcome,
                    ctx.pointer(n),
                    format!("indicator `{}` measures nothing", ind.id),
                )
                .with_elements([ind.id.as_str()])
                .with_help("add `measures:` with the id of the outcome, output, deliverable or milestone it measures"),
            );
        }
    }
}

/// PG604: an indicator no deliverable or activity counts toward.
pub(super) fn indicator_without_contributors(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, ind) in indicators(ctx) {
        // a limit not to exceed (`at_most`) needs nothing to produce it
        let limit = ind
            .target
            .is_some_and(|t| t.comparator == crate::model::Comparator::AtMost);
        if ind.scope.is_none()
            && !limit
            // cancelled work counts toward nothing
            && !ctx
                .g
                .edges_in(n, EdgeKind::CountsToward)
                .any(|c| !ctx.g.at(c).is_cancelled())
        {
            let target = match (ind.target, &ind.unit) {
                (Some(t), Some(Unit::Percent)) => format!(" (target `{t} %`)"),
                (Some(t), _) => format!(" (target `{t}`)"),
                _ => String::new(),
            };
            out.push(
                Diagnostic::new(
                    Code::IndicatorWithoutContributors,
                    ctx.pointer(n),
                    format!(
                        "nothing in the plan of work counts toward indicator `{}`{target}",
                        ind.id
                    ),
                )
                .with_elements([ind.id.as_str()])
                .with_help(format!(
                    "add `counts_toward: [{}]` to the deliverables or activities meant to move it",
                    ind.id
                )),
            );
        }
    }
}

/// PG605: an indicator with no target.
pub(super) fn indicator_without_target(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, ind) in indicators(ctx) {
        if ind.target.is_none() {
            out.push(
                Diagnostic::new(
                    Code::IndicatorWithoutTarget,
                    ctx.pointer(n),
                    format!("indicator `{}` has no target", ind.id),
                )
                .with_elements([ind.id.as_str()])
                .with_help(
                    "add the `target` the source states (`target: 4`, `target: {at_least: 2}`)",
                ),
            );
        }
    }
}

/// PG606: an indicator with a target but no baseline.
pub(super) fn indicator_without_baseline(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, ind) in indicators(ctx) {
        if let Some(target) = ind.target
            && ind.baseline.is_none()
        {
            out.push(
                Diagnostic::new(
                    Code::IndicatorWithoutBaseline,
                    ctx.pointer(n),
                    format!(
                        "indicator `{}` has a target (`{target}`) but no baseline",
                        ind.id
                    ),
                )
                .with_elements([ind.id.as_str()])
                .with_help("add the `baseline` the source states (`baseline: 0` when it starts from nothing)"),
            );
        }
    }
}

/// PG607: a milestone's measurement or verification, or an indicator's verification, left blank.
pub(super) fn empty_measurement(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let blank = |t: &Option<String>| t.as_ref().is_some_and(|t| t.trim().is_empty());
    let mut report = |n, field: &str, what: &str, id: &str| {
        out.push(
            Diagnostic::new(
                Code::EmptyMeasurement,
                format!("{}/{field}", ctx.pointer(n)),
                format!("{what} `{id}` has an empty `{field}`"),
            )
            .with_elements([id])
            .with_help(format!(
                "state how `{id}` is measured, as the source does, or remove the empty field"
            )),
        );
    };
    for &n in ctx.g.indices_of_kind(NodeKind::Milestone) {
        if let Element::Milestone(m) = ctx.g.element(n) {
            if blank(&m.measurement) {
                report(n, "measurement", "milestone", m.id.as_str());
            }
            if blank(&m.verification) {
                report(n, "verification", "milestone", m.id.as_str());
            }
        }
    }
    for (n, ind) in indicators(ctx) {
        if blank(&ind.verification) {
            report(n, "verification", "indicator", ind.id.as_str());
        }
    }
}
