//! Facts derived once per graph and shared by coverage, queries and traces: what each
//! activity inherits from the activities it belongs to.

use petgraph::stable_graph::NodeIndex;

use crate::graph::{EdgeKind, Element, Graph, NodeKind};
use crate::model::{Activity, Interval, Timeframe};

/// No node (the `u32` slots below use it for "none").
const NONE: u32 = u32::MAX;

/// How many anchors a chain of anchored timeframes follows before it gives up (a cycle
/// of anchors never resolves).
pub(crate) const ANCHOR_DEPTH: usize = 32;

/// Per-activity inherited facts. Stored per activity, not per node (activities are about a
/// third of a programme's elements), with one `u32` per node to find an activity's slot.
pub(crate) struct Derived<'d> {
    /// Each node's slot among the activities (`NONE` for other kinds).
    slot: Vec<u32>,
    /// Per activity slot: the effective timeframe (own or inherited).
    timeframe: Vec<Option<&'d Timeframe>>,
    /// Per activity slot: the activity that states the effective timeframe.
    timeframe_from: Vec<u32>,
    /// Per activity slot: whether it has no timeframe of its own or inherited but one
    /// derived from its sub-activities (it has some, and each has a timeframe of its own
    /// or one derived in the same way).
    from_children: Vec<bool>,
    /// Per activity slot, for one whose timeframe is derived from its sub-activities:
    /// the time they cover together (`None` when one of them has no span that compares,
    /// such as a condition or an anchored timeframe, or they count in days and months).
    span: Vec<Option<Interval>>,
    /// Per activity slot: the activity whose funding list applies (own if non-empty, else
    /// the nearest ancestor's).
    funding_from: Vec<u32>,
    /// Per activity slot: the activity whose status applies.
    status_from: Vec<u32>,
    /// Per activity slot: where its priorities start in `priorities` (one more entry than
    /// activities, so that slot `i` owns `priorities[starts[i]..starts[i + 1]]`).
    priority_starts: Vec<u32>,
    /// The priorities each activity serves (through its own or an ancestor's `addresses`),
    /// sorted, one run per activity.
    priorities: Vec<NodeIndex>,
}

fn index_of(raw: u32) -> Option<NodeIndex> {
    (raw != NONE).then(|| NodeIndex::new(raw as usize))
}

fn raw(n: Option<NodeIndex>) -> u32 {
    n.map_or(NONE, |n| u32::try_from(n.index()).unwrap_or(NONE))
}

impl<'d> Derived<'d> {
    pub(crate) fn new(g: &Graph<'d>) -> Derived<'d> {
        let bound = g.index_bound();
        let activities = g.indices_of_kind(NodeKind::Activity);
        let count = activities.len();
        let mut d = Derived {
            slot: vec![NONE; bound],
            timeframe: Vec::with_capacity(count),
            timeframe_from: Vec::with_capacity(count),
            from_children: vec![false; count],
            span: vec![None; count],
            funding_from: Vec::with_capacity(count),
            status_from: Vec::with_capacity(count),
            priority_starts: Vec::with_capacity(count + 1),
            priorities: Vec::new(),
        };
        // the priority of each line of action (lines come after their priority, sub-lines
        // after their line, in index order)
        let mut line_priority: Vec<u32> = vec![NONE; bound];
        for &p in g.indices_of_kind(NodeKind::Priority) {
            line_priority[p.index()] = raw(Some(p));
        }
        for &l in g.indices_of_kind(NodeKind::Action) {
            line_priority[l.index()] = g.parent_index(l).map_or(NONE, |p| line_priority[p.index()]);
        }
        d.priority_starts.push(0);
        let mut served: Vec<NodeIndex> = Vec::new();
        // activities are added parent before child: one pass in index order
        for &n in activities {
            let Element::Activity(a) = g.element(n) else {
                continue;
            };
            let parent = g
                .parent_index(n)
                .filter(|p| g.kind_of(*p) == NodeKind::Activity)
                .map(|p| d.slot[p.index()] as usize);
            let me = d.timeframe.len();
            d.slot[n.index()] = u32::try_from(me).unwrap_or(NONE);
            let (tf, tf_from) = match (&a.timeframe, parent) {
                (Some(tf), _) => (Some(tf), raw(Some(n))),
                (None, Some(p)) => (d.timeframe[p], d.timeframe_from[p]),
                (None, None) => (None, NONE),
            };
            d.timeframe.push(tf);
            d.timeframe_from.push(tf_from);
            d.funding_from.push(match parent {
                _ if !a.funding.is_empty() => raw(Some(n)),
                Some(p) => d.funding_from[p],
                None => NONE,
            });
            d.status_from.push(match parent {
                _ if a.status.is_some() => raw(Some(n)),
                Some(p) => d.status_from[p],
                None => NONE,
            });
            served.clear();
            served.extend(
                g.edges_out(n, EdgeKind::Addresses)
                    .filter_map(|l| index_of(line_priority[l.index()])),
            );
            if let Some(p) = parent {
                let (from, to) = (
                    d.priority_starts[p] as usize,
                    d.priority_starts[p + 1] as usize,
                );
                served.extend_from_slice(&d.priorities[from..to]);
            }
            served.sort();
            served.dedup();
            d.priorities.extend_from_slice(&served);
            d.priority_starts
                .push(u32::try_from(d.priorities.len()).unwrap_or(u32::MAX));
        }
        d.priorities.shrink_to_fit();
        // children before parents (a parent's index is below its children's): per slot,
        // whether it has sub-activities and whether one of them has no timeframe to give
        let mut children = vec![false; count];
        let mut gap = vec![false; count];
        // per slot: the hull of its sub-activities' spans so far, and whether one of
        // them has none
        let start = g.document().programme.start_date();
        let mut hull: Vec<Option<Interval>> = vec![None; count];
        let mut unknown = vec![false; count];
        for &n in activities.iter().rev() {
            let Element::Activity(a) = g.element(n) else {
                continue;
            };
            let Some(me) = d.slot_of(n) else { continue };
            d.from_children[me] = a.timeframe.is_none() && children[me] && !gap[me];
            let own_span = match &a.timeframe {
                Some(tf) if tf.anchor().is_none() => tf.span(start),
                Some(_) => None,
                None if d.from_children[me] && !unknown[me] => hull[me],
                None => None,
            };
            if d.from_children[me] {
                d.span[me] = own_span;
            }
            let parent = g
                .parent_index(n)
                .filter(|p| g.kind_of(*p) == NodeKind::Activity)
                .and_then(|p| d.slot_of(p));
            // a cancelled sub-activity with no timeframe takes no time: it neither gives
            // its parent a timeframe nor keeps it from deriving one
            let cancelled = a.timeframe.is_none()
                && !d.from_children[me]
                && crate::rules::is_cancelled(d.status(g, n));
            if let Some(p) = parent
                && !cancelled
            {
                children[p] = true;
                gap[p] |= a.timeframe.is_none() && !d.from_children[me];
                match (own_span, hull[p]) {
                    (None, _) => unknown[p] = true,
                    (Some(s), None) => hull[p] = Some(s),
                    (Some(s), Some(h)) => match h.hull(&s) {
                        Some(both) => hull[p] = Some(both),
                        None => unknown[p] = true,
                    },
                }
            }
        }
        // an activity that inherits a timeframe needs none derived
        for (s, tf) in d.timeframe.iter().enumerate() {
            if tf.is_some() {
                d.from_children[s] = false;
                d.span[s] = None;
            }
        }
        d
    }

    /// Whether an activity has no timeframe of its own or inherited, but one derived from
    /// its sub-activities, which all have one (of their own or derived in the same way):
    /// it runs when they do.
    pub(crate) fn timeframe_from_children(&self, activity: NodeIndex) -> bool {
        self.slot_of(activity)
            .is_some_and(|s| self.from_children[s])
    }

    /// The time an activity whose timeframe is derived from its sub-activities covers:
    /// the hull of theirs (`None` for every other activity, and when theirs do not
    /// compare).
    pub(crate) fn derived_span(&self, activity: NodeIndex) -> Option<Interval> {
        self.slot_of(activity).and_then(|s| self.span[s])
    }

    /// Whether an activity is scheduled: it has a timeframe of its own, inherited, or
    /// derived from its sub-activities.
    pub(crate) fn scheduled(&self, activity: NodeIndex) -> bool {
        self.timeframe(activity).is_some() || self.timeframe_from_children(activity)
    }

    fn slot_of(&self, activity: NodeIndex) -> Option<usize> {
        self.slot
            .get(activity.index())
            .copied()
            .filter(|&s| s != NONE)
            .map(|s| s as usize)
    }

    /// An activity's effective timeframe (own or inherited) and the activity that states it.
    pub(crate) fn timeframe(&self, activity: NodeIndex) -> Option<(&'d Timeframe, NodeIndex)> {
        let s = self.slot_of(activity)?;
        Some((self.timeframe[s]?, index_of(self.timeframe_from[s])?))
    }

    /// The activity whose funding list applies to an activity.
    pub(crate) fn funding_from(&self, activity: NodeIndex) -> Option<NodeIndex> {
        index_of(self.funding_from[self.slot_of(activity)?])
    }

    /// The priorities an activity serves (through its own or an ancestor's `addresses`).
    pub(crate) fn priorities(&self, activity: NodeIndex) -> &[NodeIndex] {
        let Some(s) = self.slot_of(activity) else {
            return &[];
        };
        let (from, to) = (
            self.priority_starts[s] as usize,
            self.priority_starts[s + 1] as usize,
        );
        self.priorities.get(from..to).unwrap_or(&[])
    }

    /// The activity an element belongs to: itself for an activity, its parent for a
    /// deliverable or milestone.
    pub(crate) fn activity_of(g: &Graph<'d>, n: NodeIndex) -> Option<NodeIndex> {
        match g.kind_of(n) {
            NodeKind::Activity => Some(n),
            NodeKind::Deliverable | NodeKind::Milestone => g.parent_index(n),
            _ => None,
        }
    }

    /// The effective funding list of an activity.
    pub(crate) fn funding(&self, g: &Graph<'d>, activity: NodeIndex) -> &'d [crate::model::Id] {
        match self.funding_from(activity).map(|n| g.element(n)) {
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
        let from = self
            .slot_of(activity)
            .and_then(|s| index_of(self.status_from[s]));
        match from.map(|n| g.element(n)) {
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
        let mut years = Vec::new();
        self.years_into(g, n, start, &mut years);
        years
    }

    /// The timeframe or due date of a scheduled element: an activity's own or inherited
    /// timeframe, a milestone's or deliverable's due date.
    pub(crate) fn scheduled_timeframe(&self, g: &Graph<'d>, n: NodeIndex) -> Option<&'d Timeframe> {
        match g.element(n) {
            Element::Activity(_) => self.timeframe(n).map(|(t, _)| t),
            Element::Milestone(m) => m.due.as_ref(),
            Element::Deliverable(d) => d.due.as_ref(),
            _ => None,
        }
    }

    /// The window an anchored timeframe covers, derived from its anchor's dates
    /// (following anchored anchors up to [`ANCHOR_DEPTH`]); `None` when the anchor is
    /// unknown, of another kind, undated, or the anchors form a cycle.
    pub(crate) fn anchored(
        &self,
        g: &Graph<'d>,
        anchor: &crate::model::Anchor,
        start: Option<crate::model::Date>,
    ) -> Option<crate::model::Interval> {
        let mut chain: Vec<&crate::model::Anchor> = vec![anchor];
        let base = loop {
            let last = chain.last()?;
            let node = g.node(last.id.as_str())?.index();
            let tf = self.scheduled_timeframe(g, node)?;
            match tf.anchor() {
                Some(next) if chain.len() < ANCHOR_DEPTH => chain.push(next),
                Some(_) => return None,
                None => break tf.span(start)?,
            }
        };
        chain
            .iter()
            .rev()
            .try_fold(base, |interval, a| a.derive(&interval))
    }

    /// The timeframe that places an element in time: an activity's effective timeframe,
    /// a deliverable's or milestone's due date (else its activity's), an indicator's
    /// target date, a review's date.
    fn time_of(&self, g: &Graph<'d>, n: NodeIndex) -> Option<&'d Timeframe> {
        match g.element(n) {
            Element::Activity(_) => self.timeframe(n).map(|(t, _)| t),
            Element::Deliverable(d) => d.due.as_ref().or_else(|| {
                g.parent_index(n)
                    .and_then(|p| self.timeframe(p))
                    .map(|(t, _)| t)
            }),
            Element::Milestone(m) => m.due.as_ref().or_else(|| {
                g.parent_index(n)
                    .and_then(|p| self.timeframe(p))
                    .map(|(t, _)| t)
            }),
            Element::Indicator(i) => i.target_date.as_ref(),
            Element::Review(r) => r.date.as_ref(),
            _ => None,
        }
    }

    /// The project years (year 1 is `M1`–`M12`, `M0` in it) an element's time touches,
    /// as [`Derived::years_into`] gives calendar years, into a buffer (cleared first):
    /// only for a programme with no calendar start, whose months are no dates. Open-ended
    /// work (`ongoing from M6`) runs to the end of a period in months (`period: M1-M48`).
    ///
    /// An activity whose timeframe is derived from its sub-activities gets nothing here:
    /// [`Derived::activity_project_years`] gives every activity's, in one pass.
    pub(crate) fn project_years_into(
        &self,
        g: &Graph<'d>,
        n: NodeIndex,
        start: Option<crate::model::Date>,
        years: &mut Vec<u32>,
    ) {
        years.clear();
        if start.is_some() {
            return;
        }
        let Some(tf) = self.time_of(g, n) else {
            return;
        };
        if let Some(a) = tf.anchor() {
            // counted from another element: the project years of the derived window
            if let Some(r) = self.anchored(g, a, None).and_then(|i| i.project_years()) {
                years.extend(r);
            }
            return;
        }
        tf.project_years_into(None, years);
        if let crate::model::TimeSpec::Ongoing { from: Some(_), .. } = tf.spec()
            && let Some(first) = tf.span(None).and_then(|i| i.first_project_year())
            && let Some(last) = g.document().programme.period.as_ref().and_then(|p| {
                let mut period = Vec::new();
                p.project_years_into(None, &mut period);
                period.last().copied()
            })
        {
            years.extend(first..=last.max(first));
            years.sort_unstable();
            years.dedup();
        }
    }

    /// Per activity, in index order (as [`Graph::indices_of_kind`] lists them): the project
    /// years it runs in (see [`Derived::project_years_into`]); an activity whose timeframe
    /// is derived from its sub-activities runs in theirs. One pass, children before
    /// parents: linear in the number of activities.
    pub(crate) fn activity_project_years(
        &self,
        g: &Graph<'d>,
        start: Option<crate::model::Date>,
    ) -> Vec<Vec<u32>> {
        let activities = g.indices_of_kind(NodeKind::Activity);
        let mut out: Vec<Vec<u32>> = vec![Vec::new(); activities.len()];
        if start.is_some() {
            return out;
        }
        // a parent's index is below its children's: walking backwards, each sub-activity
        // is done before its parent
        for (i, &n) in activities.iter().enumerate().rev() {
            let mut years = std::mem::take(&mut out[i]);
            if self.timeframe_from_children(n) {
                // the children's years were gathered into this slot as they were done
                years.sort_unstable();
                years.dedup();
            } else {
                self.project_years_into(g, n, start, &mut years);
            }
            let parent = g
                .parent_index(n)
                .filter(|p| g.kind_of(*p) == NodeKind::Activity)
                .and_then(|p| self.slot_of(p));
            if let Some(p) = parent
                && self.from_children[p]
            {
                out[p].extend_from_slice(&years);
            }
            out[i] = years;
        }
        out
    }

    /// [`Derived::years`] into a buffer (cleared first).
    pub(crate) fn years_into(
        &self,
        g: &Graph<'d>,
        n: NodeIndex,
        start: Option<crate::model::Date>,
        years: &mut Vec<i32>,
    ) {
        match self.time_of(g, n) {
            // counted from another element: the years of the window derived from it
            Some(tf) if tf.anchor().is_some() => {
                years.clear();
                if let Some(r) = tf
                    .anchor()
                    .and_then(|a| self.anchored(g, a, start))
                    .and_then(|i| i.years())
                {
                    years.extend(r);
                }
            }
            Some(tf) => {
                tf.years_into(start, years);
                // open-ended work (`ongoing from 2016-07-01`) runs from its start to the
                // end of the programme period, when the period is on the calendar
                if let crate::model::TimeSpec::Ongoing { from: Some(_), .. } = tf.spec()
                    && let Some(first) = tf.span(start).and_then(|i| i.first_year())
                    && let Some(last) = g
                        .document()
                        .programme
                        .period
                        .as_ref()
                        .and_then(|p| p.years(start).last().copied())
                {
                    years.extend(first..=last.max(first));
                }
            }
            None => years.clear(),
        }
        if matches!(g.element(n), Element::Activity(_)) && self.timeframe_from_children(n) {
            // the years of the sub-activities that state a timeframe (the others derive
            // theirs from those)
            let mut own = Vec::new();
            for &c in g.of_kind_within(n, NodeKind::Activity) {
                if let Element::Activity(Activity {
                    timeframe: Some(tf),
                    ..
                }) = g.element(c)
                {
                    match tf.anchor() {
                        Some(a) => own.extend(
                            self.anchored(g, a, start)
                                .and_then(|i| i.years())
                                .into_iter()
                                .flatten(),
                        ),
                        None => tf.years_into(start, &mut own),
                    }
                    years.extend_from_slice(&own);
                    own.clear();
                }
            }
            years.sort_unstable();
            years.dedup();
        }
    }
}
