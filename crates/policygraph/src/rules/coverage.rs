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
        if let Element::Priority(p) = ctx.g.element(n)
            && p.actions.is_empty()
        {
            out.push(
                Diagnostic::new(
                    Code::PriorityWithoutActions,
                    ctx.pointer(n),
                    format!("priority `{}` has no lines of action", p.id),
                )
                .with_elements([p.id.as_str()])
                .with_help("add the lines of action that carry the priority out"),
            );
        }
    }
}

/// Per node index: whether the line of action is covered, directly or through a sub-line.
pub(crate) fn covered_lines(g: &crate::graph::Graph<'_>) -> Vec<bool> {
    covered_lines_where(g, |_| true)
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
        if covered[n.index()] {
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
        if delivers[n.index()] || served[n.index()] {
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
