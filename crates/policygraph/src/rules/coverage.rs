//! Coverage: every priority has lines of action, every line an activity, every activity
//! a deliverable.

use petgraph::stable_graph::NodeIndex;

use super::Ctx;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::graph::{EdgeKind, Element, NodeKind};

/// PG701: a priority without lines of action.
pub(super) fn priority_without_actions(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for &n in ctx.g.indices_of_kind(NodeKind::Priority) {
        // a priority addressed directly by activities is covered without lines of action
        if let Element::Priority(p) = ctx.g.element(n)
            && p.actions.is_empty()
            && !super::structure::is_cancelled(p.status.as_ref())
            // a cancelled activity carries nothing out
            && !ctx
                .g
                .edges_in(n, EdgeKind::Addresses)
                .any(|a| !ctx.g.at(a).is_cancelled())
        {
            out.push(
                Diagnostic::new(
                    Code::PriorityWithoutActions,
                    ctx.pointer(n),
                    format!("priority `{}` has no lines of action and no active activity addresses it", p.id),
                )
                .with_elements([p.id.as_str()])
                .with_help("add the lines of action that carry the priority out, or `addresses` on the activities that serve it"),
            );
        }
    }
}

/// Per node index: whether the line of action is covered, directly or through a sub-line,
/// by an activity that is not cancelled.
pub(crate) fn covered_lines(g: &crate::graph::Graph<'_>) -> Vec<bool> {
    covered_lines_where(g, |a| !g.at(a).is_cancelled())
}

/// Whether a node lies within a cancelled priority (or is one): such priorities and their
/// lines are left out of coverage.
pub(crate) fn in_cancelled_priority(g: &crate::graph::Graph<'_>, n: NodeIndex) -> bool {
    let mut cur = Some(n);
    while let Some(c) = cur {
        match g.element(c) {
            Element::Priority(p) => return super::structure::is_cancelled(p.status.as_ref()),
            Element::Action(_) => cur = g.parent_index(c),
            _ => return false,
        }
    }
    false
}

/// [`covered_lines`] counting only the activities `live` keeps (for impact analysis).
pub(crate) fn covered_lines_where(
    g: &crate::graph::Graph<'_>,
    live: impl Fn(NodeIndex) -> bool,
) -> Vec<bool> {
    let mut covered = vec![false; g.index_bound()];
    // sub-lines come after their parents in index order: walk backwards so children are done first
    for &n in g.indices_of_kind(NodeKind::Action).iter().rev() {
        let direct = g.edges_in(n, EdgeKind::Addresses).any(&live);
        let through_sub = g.hierarchy_children(n).any(|c| covered[c.index()]);
        covered[n.index()] = direct || through_sub;
    }
    covered
}

/// PG702: a line of action no activity addresses, directly or through a sub-line.
pub(super) fn uncovered_action(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let covered = covered_lines(ctx.g);
    for &n in ctx.g.indices_of_kind(NodeKind::Action) {
        if covered[n.index()] || in_cancelled_priority(ctx.g, n) {
            continue;
        }
        let Element::Action(line) = ctx.g.element(n) else {
            continue;
        };
        let priority = ctx
            .g
            .ancestors(line.id.as_str(), Some(NodeKind::Priority))
            .first()
            .map(|p| p.id())
            .unwrap_or("");
        let mut title: String = line.title.chars().take(70).collect();
        if title.len() < line.title.len() {
            title.push('…');
        }
        out.push(
            Diagnostic::new(
                Code::UncoveredAction,
                ctx.pointer(n),
                format!("no activity addresses line of action `{}` of priority `{priority}` (`{title}`)", line.id),
            )
            .with_elements([line.id.as_str()])
            .with_help(format!("add `{}` to the `addresses` of the activities that serve it, or plan one", line.id)),
        );
    }
}

/// PG703: an activity with no deliverables in itself, its sub-activities or the activities it belongs to.
pub(super) fn activity_without_deliverables(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let bound = ctx.g.index_bound();
    // delivers[n]: the subtree of n has a deliverable
    let mut delivers = vec![false; bound];
    let activities = ctx.g.indices_of_kind(NodeKind::Activity);
    for &n in activities.iter().rev() {
        let Element::Activity(a) = ctx.g.element(n) else {
            continue;
        };
        let sub = ctx.g.hierarchy_children(n).any(|c| delivers[c.index()]);
        delivers[n.index()] = !a.deliverables.is_empty() || sub;
    }
    // an ancestor's own deliverables serve its topics too
    let mut served = vec![false; bound];
    for &n in activities {
        let parent: Option<NodeIndex> = ctx
            .g
            .parent_index(n)
            .filter(|p| ctx.g.kind_of(*p) == NodeKind::Activity);
        served[n.index()] = parent.is_some_and(|p| {
            served[p.index()]
                || matches!(ctx.g.element(p), Element::Activity(pa) if !pa.deliverables.is_empty())
        });
    }
    for &n in activities {
        if delivers[n.index()] || served[n.index()] || super::structure::in_cancelled_work(ctx, n) {
            continue;
        }
        let Element::Activity(a) = ctx.g.element(n) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::ActivityWithoutDeliverables,
                ctx.pointer(n),
                format!("activity `{}` has no deliverables", a.id),
            )
            .with_elements([a.id.as_str()])
            .with_help("add what the activity delivers, as the source states it"),
        );
    }
}

/// PG704: a top-level activity that, with all its sub-activities, addresses nothing.
pub(super) fn unaligned_activity(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    if ctx.doc.priorities.is_empty() {
        return;
    }
    let root = ctx.g.root().index();
    for &n in ctx.g.indices_of_kind(NodeKind::Activity) {
        if ctx.g.parent_index(n) != Some(root) {
            continue;
        }
        let Element::Activity(a) = ctx.g.element(n) else {
            continue;
        };
        if super::structure::is_cancelled(a.status.as_ref()) {
            continue;
        }
        let states = |m: NodeIndex| matches!(ctx.g.element(m), Element::Activity(s) if !s.addresses.is_empty());
        if states(n)
            || ctx
                .g
                .of_kind_within(n, NodeKind::Activity)
                .iter()
                // a cancelled sub-activity aligns nothing
                .any(|&m| states(m) && !ctx.g.at(m).is_cancelled())
        {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::UnalignedActivity,
                ctx.pointer(n),
                format!(
                    "activity `{}` addresses no priority or line of action, and neither do its sub-activities",
                    a.id
                ),
            )
            .with_elements([a.id.as_str()])
            .with_help("add `addresses:` with the lines of action or priorities the activity serves"),
        );
    }
}

/// PG705: an activity that is not cancelled addresses a cancelled priority or one of its lines.
pub(super) fn addresses_cancelled_priority(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let cancelled: Vec<NodeIndex> = ctx
        .g
        .indices_of_kind(NodeKind::Priority)
        .iter()
        .copied()
        .filter(|&p| {
            matches!(ctx.g.element(p), Element::Priority(pr) if super::structure::is_cancelled(pr.status.as_ref()))
        })
        .collect();
    if cancelled.is_empty() {
        return;
    }
    // the cancelled priority a node lies within, if any (a subtree is one run of indices,
    // and `cancelled` is in index order)
    let priority_of = |t: NodeIndex| {
        let before = cancelled.partition_point(|p| p.index() <= t.index());
        before
            .checked_sub(1)
            .and_then(|i| cancelled.get(i).copied())
            .filter(|&p| t.index() < ctx.g.subtree_end(p))
    };
    for &n in ctx.g.indices_of_kind(NodeKind::Activity) {
        let Element::Activity(a) = ctx.g.element(n) else {
            continue;
        };
        if a.addresses.is_empty() || super::structure::is_cancelled(ctx.derived.status(ctx.g, n)) {
            continue;
        }
        for (i, target) in a.addresses.iter().enumerate() {
            let Some(t) = ctx.g.node(target.as_str()) else {
                continue;
            };
            let Some(p) = priority_of(t.index()) else {
                continue;
            };
            let pid = ctx.id(p);
            let through = if t.index() == p {
                String::new()
            } else {
                format!(" (through line of action `{target}`)")
            };
            out.push(
                Diagnostic::new(
                    Code::AddressesCancelledPriority,
                    format!("{}/addresses/{i}", ctx.pointer(n)),
                    format!(
                        "activity `{}` addresses priority `{pid}`{through}, which is cancelled",
                        a.id
                    ),
                )
                .with_elements([a.id.as_str(), pid])
                .with_related(
                    format!("`{pid}` is cancelled"),
                    format!("{}/status", ctx.pointer(p)),
                )
                .with_help(format!(
                    "cancel `{}` too, or address a priority that stands",
                    a.id
                )),
            );
        }
    }
}
