//! Facts derived once per graph and shared by coverage, queries and traces: what each
//! activity inherits from the activities it belongs to.

use petgraph::stable_graph::NodeIndex;

use crate::graph::{EdgeKind, Element, Graph, NodeKind};
use crate::model::{Activity, Interval, Timeframe};

/// Per-activity inherited facts, indexed by node index.
pub(crate) struct Derived<'d> {
    /// The effective timeframe (own or inherited) and the activity that states it.
    pub timeframe: Vec<Option<(&'d Timeframe, NodeIndex)>>,
    /// The effective timeframe as one interval, when it is bounded.
    pub span: Vec<Option<Interval>>,
    /// The activity whose funding list applies (own if non-empty, else the nearest ancestor's).
    pub funding_from: Vec<Option<NodeIndex>>,
    /// The activity whose status applies.
    pub status_from: Vec<Option<NodeIndex>>,
    /// The priorities each activity serves (through its own or an ancestor's `addresses`).
    pub priorities: Vec<Vec<NodeIndex>>,
}

impl<'d> Derived<'d> {
    pub(crate) fn new(g: &Graph<'d>) -> Derived<'d> {
        let bound = g.index_bound();
        let start = g.document().programme.start;
        let mut d = Derived {
            timeframe: vec![None; bound],
            span: vec![None; bound],
            funding_from: vec![None; bound],
            status_from: vec![None; bound],
            priorities: vec![Vec::new(); bound],
        };
        // the priority of each line of action
        let mut line_priority: Vec<Option<NodeIndex>> = vec![None; bound];
        for &p in g.indices_of_kind(NodeKind::Priority) {
            line_priority[p.index()] = Some(p);
        }
        for &l in g.indices_of_kind(NodeKind::Action) {
            line_priority[l.index()] = g.parent_index(l).and_then(|p| line_priority[p.index()]);
        }
        // activities are added parent before child: one pass in index order
        for &n in g.indices_of_kind(NodeKind::Activity) {
            let Element::Activity(a) = g.element(n) else {
                continue;
            };
            let parent = g
                .parent_index(n)
                .filter(|p| g.element(*p).kind() == NodeKind::Activity);
            let inherit = |table: &Vec<Option<NodeIndex>>| parent.and_then(|p| table[p.index()]);
            d.timeframe[n.index()] = match &a.timeframe {
                Some(tf) => Some((tf, n)),
                None => parent.and_then(|p| d.timeframe[p.index()]),
            };
            d.span[n.index()] = match &a.timeframe {
                Some(tf) => tf.span(start),
                None => parent.and_then(|p| d.span[p.index()]),
            };
            d.funding_from[n.index()] = if a.funding.is_empty() {
                inherit(&d.funding_from)
            } else {
                Some(n)
            };
            d.status_from[n.index()] = if a.status.is_none() {
                inherit(&d.status_from)
            } else {
                Some(n)
            };
            let mut served: Vec<NodeIndex> = g
                .edges_out(n, EdgeKind::Addresses)
                .filter_map(|l| line_priority[l.index()])
                .collect();
            if let Some(p) = parent {
                served.extend(d.priorities[p.index()].iter().copied());
            }
            served.sort();
            served.dedup();
            d.priorities[n.index()] = served;
        }
        d
    }

    /// The activity an element belongs to: itself for an activity, its parent for a
    /// deliverable or milestone.
    pub(crate) fn activity_of(g: &Graph<'d>, n: NodeIndex) -> Option<NodeIndex> {
        match g.element(n).kind() {
            NodeKind::Activity => Some(n),
            NodeKind::Deliverable | NodeKind::Milestone => g.parent_index(n),
            _ => None,
        }
    }

    /// The effective funding list of an activity.
    pub(crate) fn funding(&self, g: &Graph<'d>, activity: NodeIndex) -> &'d [crate::model::Id] {
        match self.funding_from[activity.index()].map(|n| g.element(n)) {
            Some(Element::Activity(a)) => &a.funding,
            _ => &[],
        }
    }

    /// The effective status of an activity.
    pub(crate) fn status(
        &self,
        g: &Graph<'d>,
        activity: NodeIndex,
    ) -> Option<&'d crate::model::Status> {
        match self.status_from[activity.index()].map(|n| g.element(n)) {
            Some(Element::Activity(Activity { status, .. })) => status.as_ref(),
            _ => None,
        }
    }

    /// The calendar years an element's time touches: an activity's effective timeframe,
    /// a deliverable's or milestone's due date (else its activity's), an indicator's
    /// target date, a review's date.
    pub(crate) fn years(
        &self,
        g: &Graph<'d>,
        n: NodeIndex,
        start: Option<crate::model::Date>,
    ) -> Vec<i32> {
        let tf: Option<&Timeframe> = match g.element(n) {
            Element::Activity(_) => self.timeframe[n.index()].map(|(t, _)| t),
            Element::Deliverable(d) => d.due.as_ref().or_else(|| {
                g.parent_index(n)
                    .and_then(|p| self.timeframe[p.index()])
                    .map(|(t, _)| t)
            }),
            Element::Milestone(m) => m.due.as_ref().or_else(|| {
                g.parent_index(n)
                    .and_then(|p| self.timeframe[p.index()])
                    .map(|(t, _)| t)
            }),
            Element::Indicator(i) => i.target_date.as_ref(),
            Element::Review(r) => r.date.as_ref(),
            _ => None,
        };
        tf.map(|tf| tf.years(start)).unwrap_or_default()
    }
}
