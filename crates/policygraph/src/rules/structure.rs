//! Structure: the results chain has no cycles, elements are linked, titles are readable.

use petgraph::stable_graph::NodeIndex;

use super::Ctx;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::graph::{EdgeKind, Element, Graph, NodeKind};

/// Cycles among `nodes` following `edge`: each strongly connected component with more
/// than one node, or a node with an edge to itself. Linear (Tarjan).
pub(super) fn cycles(g: &Graph<'_>, nodes: &[NodeIndex], edge: EdgeKind) -> Vec<Vec<NodeIndex>> {
    let mut member = vec![false; g.index_bound()];
    for &n in nodes {
        if let Some(m) = member.get_mut(n.index()) {
            *m = true;
        }
    }
    // only the nodes with an edge of this kind between members can be on a cycle
    let mut sub: petgraph::graphmap::DiGraphMap<NodeIndex, ()> =
        petgraph::graphmap::DiGraphMap::new();
    for &n in nodes {
        for t in g.edges_out(n, edge) {
            if member.get(t.index()).copied().unwrap_or(false) {
                sub.add_edge(n, t, ());
            }
        }
    }
    let mut out: Vec<Vec<NodeIndex>> = petgraph::algo::tarjan_scc(&sub)
        .into_iter()
        .filter(|c| c.len() > 1 || c.first().is_some_and(|&n| sub.contains_edge(n, n)))
        .map(|mut c| {
            c.sort();
            c
        })
        .collect();
    out.sort();
    out
}

/// PG201: outcomes and outputs that lead to each other in a circle.
pub(super) fn hierarchy_cycle(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let mut nodes: Vec<NodeIndex> = ctx.g.indices_of_kind(NodeKind::Outcome).to_vec();
    nodes.extend_from_slice(ctx.g.indices_of_kind(NodeKind::Output));
    for cycle in cycles(ctx.g, &nodes, EdgeKind::ContributesTo) {
        let ids: Vec<&str> = cycle.iter().map(|&n| ctx.id(n)).collect();
        let chain = super::id_list(&ids, " → ");
        let first = cycle[0];
        let mut d = Diagnostic::new(
            Code::HierarchyCycle,
            format!("{}/contributes_to", ctx.pointer(first)),
            format!("the results chain goes round in a circle through {chain}"),
        )
        .with_elements(ids.iter().copied())
        .with_help("each outcome should lead only to longer-term outcomes; remove one `contributes_to` link");
        for &n in cycle.iter().take(super::LISTED_IDS).skip(1) {
            d = d.with_related(
                format!("`{}` is part of the circle", ctx.id(n)),
                format!("{}/contributes_to", ctx.pointer(n)),
            );
        }
        out.push(d);
    }
}

/// The kinds of element PG202 reports when nothing links to them.
pub(crate) const ORPHAN_KINDS: [NodeKind; 6] = [
    NodeKind::Outcome,
    NodeKind::Indicator,
    NodeKind::Output,
    NodeKind::FundingSource,
    NodeKind::Partner,
    NodeKind::Network,
];

/// Whether nothing that `live` keeps links to `n`; an indicator that measures an outcome
/// counts as linked (its missing contributors are PG604's).
pub(crate) fn is_orphan(
    g: &Graph<'_>,
    n: NodeIndex,
    live: impl Fn(NodeIndex) -> bool + Copy,
) -> bool {
    let measures =
        g.kind_of(n) == NodeKind::Indicator && g.edges_out(n, EdgeKind::Measures).any(live);
    let everywhere = matches!(
        g.element(n),
        Element::Indicator(crate::model::Indicator {
            scope: Some(crate::model::Scope::Programme),
            ..
        })
    );
    !g.has_incoming_link(n, live) && !measures && !everywhere
}

/// PG202: an outcome, indicator, output, funding source, partner or network nothing links to.
pub(super) fn orphan_element(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let checks: [(NodeKind, &str); 6] = [
        (
            NodeKind::Outcome,
            "no indicator measures it and no output or outcome contributes to it",
        ),
        (
            NodeKind::Indicator,
            "nothing counts toward it and it measures no outcome",
        ),
        (NodeKind::Output, "no deliverable produces it"),
        (NodeKind::FundingSource, "no activity is funded by it"),
        (
            NodeKind::Partner,
            "no activity, deliverable, line of action, network or focus point names it",
        ),
        (
            NodeKind::Network,
            "no activity runs in it and no focus point names it",
        ),
    ];
    for (kind, why) in checks {
        for &n in ctx.g.indices_of_kind(kind) {
            if is_orphan(ctx.g, n, |_| true) {
                let id = ctx.id(n);
                out.push(
                    Diagnostic::new(
                        Code::OrphanElement,
                        ctx.pointer(n),
                        format!("{} `{id}` is not linked: {why}", kind.noun()),
                    )
                    .with_elements([id])
                    .with_help(format!(
                        "link `{id}` from the elements it belongs with, or remove it"
                    )),
                );
            }
        }
    }
}

/// PG203: an element whose title (or label) is empty.
pub(super) fn empty_title(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for kind in NodeKind::ALL {
        for &n in ctx.g.indices_of_kind(kind) {
            let e = ctx.g.element(n);
            if e.title().trim().is_empty() {
                out.push(
                    Diagnostic::new(
                        Code::EmptyTitle,
                        format!("{}/{}", ctx.pointer(n), e.title_field()),
                        format!(
                            "{} `{}` has an empty {}",
                            kind.noun(),
                            e.id(),
                            e.title_field()
                        ),
                    )
                    .with_elements([e.id()])
                    .with_help(format!("give it the {} the source uses", e.title_field())),
                );
            }
        }
    }
}

/// Whether a status is `cancelled`.
pub(crate) fn is_cancelled(status: Option<&crate::model::Status>) -> bool {
    matches!(status, Some(crate::model::Status::Cancelled))
}

/// Whether an activity is cancelled work: cancelled itself, or nested in a cancelled
/// activity. Cancelled work needs no timeframe and no deliverables.
pub(crate) fn in_cancelled_work(ctx: &Ctx<'_, '_>, n: petgraph::graph::NodeIndex) -> bool {
    let mut at = Some(n);
    while let Some(i) = at.filter(|i| ctx.g.kind_of(*i) == NodeKind::Activity) {
        if let Element::Activity(a) = ctx.g.element(i)
            && is_cancelled(a.status.as_ref())
        {
            return true;
        }
        at = ctx.g.parent_index(i);
    }
    false
}

/// PG204: a sub-activity or milestone with a status of its own other than `cancelled`
/// under a cancelled activity.
pub(super) fn active_under_cancelled(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for kind in [NodeKind::Activity, NodeKind::Milestone] {
        for &n in ctx.g.indices_of_kind(kind) {
            let own = match ctx.g.element(n) {
                Element::Activity(a) => a.status.as_ref(),
                Element::Milestone(m) => m.status.as_ref(),
                _ => None,
            };
            let Some(own) = own.filter(|s| !is_cancelled(Some(s))) else {
                continue;
            };
            let Some(parent) = ctx
                .g
                .parent_index(n)
                .filter(|p| ctx.g.kind_of(*p) == NodeKind::Activity)
            else {
                continue;
            };
            if !is_cancelled(ctx.derived.status(ctx.g, parent)) {
                continue;
            }
            let (id, parent_id) = (ctx.id(n), ctx.id(parent));
            out.push(
                Diagnostic::new(
                    Code::ActiveUnderCancelled,
                    format!("{}/status", ctx.pointer(n)),
                    format!(
                        "{} `{id}` is `{own}`, but `{parent_id}`, which it belongs to, is cancelled",
                        kind.noun()
                    ),
                )
                .with_elements([id, parent_id])
                .with_help(format!(
                    "mark `{id}` cancelled too, or correct the status of `{parent_id}`"
                )),
            );
        }
    }
}
