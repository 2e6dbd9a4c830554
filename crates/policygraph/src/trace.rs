//! Traceability: the chain from an element up to the priorities it serves and forward to
//! the outcomes and indicators it serves; and the impact of dropping an element.

use std::collections::VecDeque;

use petgraph::stable_graph::NodeIndex;
use rustc_hash::FxHashSet;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::did_you_mean;
use crate::graph::{EdgeKind, Graph, NodeKind};
use crate::rules::{ORPHAN_KINDS, covered_lines_where, is_orphan};

/// One element, as plain data.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct ElementInfo {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its title.
    pub title: String,
    /// Its JSON Pointer in the document.
    pub pointer: String,
}

impl ElementInfo {
    pub(crate) fn of(g: &Graph<'_>, n: NodeIndex) -> ElementInfo {
        let e = g.element(n);
        ElementInfo {
            id: e.id().to_owned(),
            kind: e.kind(),
            title: e.title().to_owned(),
            pointer: g.pointer(n),
        }
    }
}

/// How one step of a trace is reached from the previous element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The previous element nests in this one (a topic in its activity, a sub-line in its line).
    PartOf,
    /// This element nests in the previous one.
    Contains,
    /// The previous activity addresses this line of action or priority.
    Addresses,
    /// This activity addresses the previous line of action or priority.
    AddressedBy,
    /// The previous deliverable produces this output.
    Produces,
    /// The previous deliverable or activity counts toward this indicator.
    CountsToward,
    /// The previous indicator measures this outcome.
    Measures,
    /// The previous output or outcome leads to this outcome.
    ContributesTo,
    /// A milestone → a further activity it belongs to (`also_in`).
    AlsoIn,
    /// An element → an activity, milestone or deliverable it depends on in time
    /// (`depends_on`, any type but `informs`).
    DependsOn,
    /// An element → an element that depends on it.
    DependedOnBy,
    /// An element → the partner that leads it (`lead`).
    LedBy,
    /// An element → a partner taking part in it (`partners`, `effort`).
    PartnersWith,
    /// An activity → a funding source (`funding`).
    FundedBy,
    /// An activity → a network it runs in (`networks`).
    Runs,
    /// An activity → a cross-cutting theme, or a priority → an outcome (`themes`, `serves`).
    Serves,
    /// A linked third party → its principal partner (`linked_to`).
    LinkedTo,
    /// An element → an activity, milestone or deliverable whose results inform it, with
    /// no timing implied (`depends_on` with `type: informs`).
    InformedBy,
    /// An element → an element it informs (the other side of [`Via::InformedBy`]).
    Informs,
    /// An element → the element its timeframe or due date is counted from
    /// (`{after: A8.M1, within: 12 months}`).
    AnchoredTo,
    /// An element → an element whose timeframe or due date is counted from it.
    AnchorOf,
    /// An element → an element it refers to (`refers_to`).
    RefersTo,
    /// An element → an element that refers to it.
    ReferredToBy,
    /// A partner → an activity, deliverable or milestone it leads (the other side of
    /// [`Via::LedBy`]).
    Leads,
    /// A partner → an element it takes part in (the other side of [`Via::PartnersWith`]).
    PartnerIn,
    /// A principal partner → a linked third party whose effort counts toward its share
    /// (the other side of [`Via::LinkedTo`]).
    LinkedThirdParty,
    /// An activity → a milestone of another activity that it shares (the other side of
    /// [`Via::AlsoIn`]).
    SharesMilestone,
    /// An outcome → a priority that serves it (the other side of `serves`).
    ServedBy,
    /// An outcome, output, deliverable or milestone → an indicator that measures it
    /// (the other side of [`Via::Measures`]).
    MeasuredBy,
}

/// One step of a trace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TraceStep {
    /// The element reached.
    pub element: ElementInfo,
    /// The element it was reached from.
    pub from: String,
    /// How it was reached.
    pub via: Via,
    /// How many steps from the traced element.
    pub depth: usize,
    /// For a dependency (`depends_on`, `depended_on_by`, `informed_by`, `informs`), its
    /// type as the document states it (`finish_to_start` when it states none); `null`
    /// for every other step.
    #[serde(default)]
    pub dependency: Option<crate::model::DependencyType>,
}

/// The chain through an element.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Trace {
    /// The traced element.
    pub element: ElementInfo,
    /// Up to the priorities: enclosing activities, the lines of action addressed, their
    /// parent lines, the priorities. Breadth-first, nearest first.
    pub upstream: Vec<TraceStep>,
    /// Forward to results: sub-activities and deliverables, the outputs they produce,
    /// the indicators they count toward, the outcomes those measure and what they lead
    /// to. Breadth-first, nearest first.
    pub downstream: Vec<TraceStep>,
    /// The priorities reached upstream (ids).
    pub priorities: Vec<String>,
    /// The indicators reached downstream (ids).
    pub indicators: Vec<String>,
    /// The outcomes reached downstream (ids).
    pub outcomes: Vec<String>,
    /// The element's own links beside the chain (dependencies both ways, what informs it
    /// and what it informs, lead, partners, funding, networks, themes, outcomes served,
    /// principal, cross-references both ways), each kind in document order.
    pub links: Vec<TraceStep>,
}

/// An id that names no element.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("`{id}` is not the id of any element{}", hint.as_ref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default())]
pub struct UnknownId {
    /// The id asked for.
    pub id: String,
    /// The nearest existing id, if one is close.
    pub hint: Option<String>,
}

pub(crate) fn find<'d>(g: &Graph<'d>, id: &str) -> Result<NodeIndex, UnknownId> {
    match g.node(id) {
        Some(n) => Ok(n.index()),
        None => Err(UnknownId {
            id: id.to_owned(),
            hint: did_you_mean(id, g.all_ids().map(|(i, _)| i)).map(str::to_owned),
        }),
    }
}

fn up(g: &Graph<'_>, n: NodeIndex) -> Vec<(NodeIndex, Via)> {
    let mut out = Vec::new();
    let kind = g.kind_of(n);
    if let Some(p) = g.parent_index(n)
        && g.kind_of(p) != NodeKind::Programme
    {
        out.push((p, Via::PartOf));
    }
    if kind == NodeKind::Activity {
        out.extend(
            g.edges_out(n, EdgeKind::Addresses)
                .map(|t| (t, Via::Addresses)),
        );
    }
    if kind == NodeKind::Milestone {
        out.extend(g.edges_out(n, EdgeKind::AlsoIn).map(|t| (t, Via::AlsoIn)));
    }
    out
}

/// The element's own links beside the results chain, each kind in document order: what
/// it depends on and what informs it, its lead and partners, funding, networks, themes,
/// the outcomes a priority serves, a linked third party's principal, what it refers to;
/// then the other sides: what depends on it, what it informs, what is counted from it,
/// what refers to it, for a partner what it leads, takes part in and its linked third
/// parties, and for an activity the milestones of others it shares (`also_in`).
fn links(g: &Graph<'_>, n: NodeIndex) -> Vec<TraceStep> {
    let mut out: Vec<(NodeIndex, Via)> = Vec::new();
    for (kind, via) in [
        (EdgeKind::DependsOn, Via::DependsOn),
        (EdgeKind::InformedBy, Via::InformedBy),
        (EdgeKind::LedBy, Via::LedBy),
        (EdgeKind::PartnersWith, Via::PartnersWith),
        (EdgeKind::FundedBy, Via::FundedBy),
        (EdgeKind::Runs, Via::Runs),
        (EdgeKind::Serves, Via::Serves),
        (EdgeKind::LinkedTo, Via::LinkedTo),
        (EdgeKind::AnchoredTo, Via::AnchoredTo),
        (EdgeKind::RefersTo, Via::RefersTo),
    ] {
        let mut targets: Vec<NodeIndex> = g.edges_out(n, kind).collect();
        targets.sort();
        targets.dedup();
        out.extend(targets.into_iter().map(|t| (t, via)));
    }
    for (kind, via) in [
        (EdgeKind::DependsOn, Via::DependedOnBy),
        (EdgeKind::InformedBy, Via::Informs),
        (EdgeKind::AnchoredTo, Via::AnchorOf),
        (EdgeKind::RefersTo, Via::ReferredToBy),
        (EdgeKind::LedBy, Via::Leads),
        (EdgeKind::PartnersWith, Via::PartnerIn),
        (EdgeKind::LinkedTo, Via::LinkedThirdParty),
        (EdgeKind::AlsoIn, Via::SharesMilestone),
        (EdgeKind::Serves, Via::ServedBy),
        (EdgeKind::Measures, Via::MeasuredBy),
    ] {
        let mut sources: Vec<NodeIndex> = g.edges_in(n, kind).collect();
        sources.sort();
        sources.dedup();
        out.extend(sources.into_iter().map(|s| (s, via)));
    }
    let from = g.element(n).id().to_owned();
    out.into_iter()
        .map(|(m, via)| TraceStep {
            element: ElementInfo::of(g, m),
            from: from.clone(),
            via,
            depth: 1,
            dependency: match via {
                Via::DependsOn | Via::InformedBy => dependency_type(g, n, m),
                Via::DependedOnBy | Via::Informs => dependency_type(g, m, n),
                _ => None,
            },
        })
        .collect()
}

/// The type of the first dependency of `from` on `to` in `from`'s `depends_on`.
fn dependency_type(
    g: &Graph<'_>,
    from: NodeIndex,
    to: NodeIndex,
) -> Option<crate::model::DependencyType> {
    let deps: &[crate::model::Dependency] = match g.element(from) {
        crate::graph::Element::Activity(a) => &a.depends_on,
        crate::graph::Element::Milestone(m) => &m.depends_on,
        crate::graph::Element::Deliverable(d) => &d.depends_on,
        _ => return None,
    };
    deps.iter()
        .find(|d| g.node(d.id.as_str()).is_some_and(|t| t.index() == to))
        .map(|d| d.kind)
}

fn down(g: &Graph<'_>, n: NodeIndex) -> Vec<(NodeIndex, Via)> {
    let mut out = Vec::new();
    match g.kind_of(n) {
        NodeKind::Priority | NodeKind::Action => {
            out.extend(g.hierarchy_children(n).map(|c| (c, Via::Contains)));
            out.extend(
                g.edges_in(n, EdgeKind::Addresses)
                    .map(|s| (s, Via::AddressedBy)),
            );
        }
        NodeKind::Activity => {
            out.extend(g.hierarchy_children(n).map(|c| (c, Via::Contains)));
            out.extend(
                g.edges_out(n, EdgeKind::CountsToward)
                    .map(|t| (t, Via::CountsToward)),
            );
        }
        NodeKind::Milestone => {
            out.extend(
                g.edges_out(n, EdgeKind::CountsToward)
                    .map(|t| (t, Via::CountsToward)),
            );
        }
        NodeKind::Deliverable => {
            out.extend(
                g.edges_out(n, EdgeKind::Produces)
                    .map(|t| (t, Via::Produces)),
            );
            out.extend(
                g.edges_out(n, EdgeKind::CountsToward)
                    .map(|t| (t, Via::CountsToward)),
            );
        }
        NodeKind::Indicator => out.extend(
            g.edges_out(n, EdgeKind::Measures)
                .map(|t| (t, Via::Measures)),
        ),
        NodeKind::Output | NodeKind::Outcome => {
            out.extend(
                g.edges_out(n, EdgeKind::ContributesTo)
                    .map(|t| (t, Via::ContributesTo)),
            );
        }
        _ => {}
    }
    out.sort_by_key(|(n, _)| *n);
    out
}

fn walk(
    g: &Graph<'_>,
    start: NodeIndex,
    next: fn(&Graph<'_>, NodeIndex) -> Vec<(NodeIndex, Via)>,
) -> Vec<TraceStep> {
    let mut seen: FxHashSet<NodeIndex> = FxHashSet::default();
    seen.insert(start);
    let mut queue = VecDeque::from([(start, 0usize)]);
    let mut steps = Vec::new();
    while let Some((n, depth)) = queue.pop_front() {
        for (m, via) in next(g, n) {
            if seen.insert(m) {
                steps.push(TraceStep {
                    element: ElementInfo::of(g, m),
                    from: g.element(n).id().to_owned(),
                    via,
                    depth: depth + 1,
                    dependency: None,
                });
                queue.push_back((m, depth + 1));
            }
        }
    }
    steps
}

/// The chain from an element up to its priorities and forward to the outcomes and
/// indicators it serves.
pub fn trace(g: &Graph<'_>, id: &str) -> Result<Trace, UnknownId> {
    let n = find(g, id)?;
    let upstream = walk(g, n, up);
    let downstream = walk(g, n, down);
    let ids = |steps: &[TraceStep], kind: NodeKind| -> Vec<String> {
        steps
            .iter()
            .filter(|s| s.element.kind == kind)
            .map(|s| s.element.id.clone())
            .collect()
    };
    // in document order, not in the order the walk met them
    let mut priority_nodes: Vec<NodeIndex> = Vec::new();
    for s in upstream
        .iter()
        .filter(|s| s.element.kind == NodeKind::Priority)
    {
        if let Ok(p) = find(g, &s.element.id) {
            priority_nodes.push(p);
        }
    }
    if g.kind_of(n) == NodeKind::Priority {
        priority_nodes.push(n);
    }
    priority_nodes.sort();
    priority_nodes.dedup();
    let priorities = priority_nodes
        .into_iter()
        .map(|p| g.id_of(p).to_string())
        .collect();
    Ok(Trace {
        element: ElementInfo::of(g, n),
        priorities,
        indicators: ids(&downstream, NodeKind::Indicator),
        outcomes: ids(&downstream, NodeKind::Outcome),
        links: links(g, n),
        upstream,
        downstream,
    })
}

/// What would be left uncovered or orphaned if an element (and everything nested in it)
/// were dropped.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Impact {
    /// The element dropped.
    pub element: Option<ElementInfo>,
    /// The element and everything nested in it, in document order.
    pub removed: Vec<ElementInfo>,
    /// Lines of action covered now that would no longer be covered.
    pub uncovered_lines: Vec<ElementInfo>,
    /// Indicators that something counts toward now and nothing would.
    pub indicators_without_contributors: Vec<ElementInfo>,
    /// Outcomes, outputs, funding sources, partners, networks and indicators linked now
    /// that nothing would link to.
    pub orphaned: Vec<ElementInfo>,
    /// References elsewhere in the document that would name a missing element:
    /// (the referring element, the field).
    pub broken_references: Vec<BrokenReference>,
}

/// A reference that dropping an element would break.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BrokenReference {
    /// The element holding the reference.
    pub from: ElementInfo,
    /// The kind of link.
    pub via: EdgeKind,
    /// The id it names.
    pub target: String,
}

struct Gaps {
    uncovered: FxHashSet<NodeIndex>,
    unplanned: FxHashSet<NodeIndex>,
    orphans: FxHashSet<NodeIndex>,
}

fn gaps(g: &Graph<'_>, removed: &FxHashSet<NodeIndex>) -> Gaps {
    let live = |n: NodeIndex| !removed.contains(&n);
    let covered = covered_lines_where(g, live);
    let uncovered = g
        .indices_of_kind(NodeKind::Action)
        .iter()
        .filter(|l| !covered[l.index()] && live(**l))
        .copied()
        .collect();
    let unplanned = g
        .indices_of_kind(NodeKind::Indicator)
        .iter()
        .filter(|n| live(**n) && !g.edges_in(**n, EdgeKind::CountsToward).any(live))
        .copied()
        .collect();
    let orphans = ORPHAN_KINDS
        .iter()
        .flat_map(|&kind| g.indices_of_kind(kind).iter().copied())
        .filter(|&n| live(n) && is_orphan(g, n, live))
        .collect();
    Gaps {
        uncovered,
        unplanned,
        orphans,
    }
}

/// What dropping an element (with everything nested in it) would leave uncovered,
/// unplanned or orphaned, and which references would break.
pub fn impact(g: &Graph<'_>, id: &str) -> Result<Impact, UnknownId> {
    let n = find(g, id)?;
    let mut removed: FxHashSet<NodeIndex> = FxHashSet::default();
    removed.insert(n);
    for d in g.descendants(id, None) {
        removed.insert(d.index());
    }
    let before = gaps(g, &FxHashSet::default());
    let after = gaps(g, &removed);
    let new = |a: &FxHashSet<NodeIndex>, b: &FxHashSet<NodeIndex>| -> Vec<ElementInfo> {
        let mut v: Vec<NodeIndex> = a.difference(b).copied().collect();
        v.sort();
        v.into_iter().map(|x| ElementInfo::of(g, x)).collect()
    };
    let mut removed_sorted: Vec<NodeIndex> = removed.iter().copied().collect();
    removed_sorted.sort();
    let mut broken = Vec::new();
    for &r in &removed_sorted {
        for kind in EdgeKind::ALL.into_iter().filter(|k| !k.is_hierarchy()) {
            for s in g.edges_in(r, kind) {
                if !removed.contains(&s) {
                    broken.push(BrokenReference {
                        from: ElementInfo::of(g, s),
                        via: kind,
                        target: g.element(r).id().to_owned(),
                    });
                }
            }
        }
    }
    broken.sort_by(|a, b| (&a.from.pointer, &a.target).cmp(&(&b.from.pointer, &b.target)));
    Ok(Impact {
        element: Some(ElementInfo::of(g, n)),
        removed: removed_sorted
            .into_iter()
            .map(|x| ElementInfo::of(g, x))
            .collect(),
        uncovered_lines: new(&after.uncovered, &before.uncovered),
        indicators_without_contributors: new(&after.unplanned, &before.unplanned),
        orphaned: new(&after.orphans, &before.orphans),
        broken_references: broken,
    })
}
