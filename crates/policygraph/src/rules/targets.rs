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
        for (field, value) in [("target", ind.target.map(|t| t.value)), ("baseline", ind.baseline)] {
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

/// PG603: an indicator that measures no outcome.
pub(super) fn indicator_without_outcome(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, ind) in indicators(ctx) {
        if ind.measures.is_none() {
            out.push(
                Diagnostic::new(
                    Code::IndicatorWithoutOutcome,
                    ctx.pointer(n),
                    format!("indicator `{}` measures no outcome", ind.id),
                )
                .with_elements([ind.id.as_str()])
                .with_help("add `measures:` with the id of the outcome it measures"),
            );
        }
    }
}

/// PG604: an indicator no deliverable or activity counts toward.
pub(super) fn indicator_without_contributors(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, ind) in indicators(ctx) {
        if ctx.g.edges_in(n, EdgeKind::CountsToward).next().is_none() {
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
