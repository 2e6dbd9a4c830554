//! The programme graph: every element of a document as a typed node, every nesting
//! and reference as a typed edge.
//!
//! petgraph stays private: the public API speaks in ids (`"A3.1"`), [`NodeKind`]s,
//! [`EdgeKind`]s and borrowed [`NodeRef`] handles. Hierarchy edges ([`EdgeKind::Contains`],
//! [`EdgeKind::Refines`]) point from the broader element to the narrower one; link
//! edges point from the element that holds the reference to the element it names.

use std::fmt;

use petgraph::Direction;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::{Deserialize, Serialize};

use crate::model::*;

/// The kinds of node.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// The programme itself (the root).
    Programme,
    /// A focus point of the mandate.
    FocusPoint,
    /// A strategic priority.
    Priority,
    /// A line of action or sub-line (`line_of_action`; `action` is read as well).
    #[serde(rename = "line_of_action", alias = "action")]
    Action,
    /// An activity, topic, work package or task.
    Activity,
    /// A deliverable.
    Deliverable,
    /// A milestone.
    Milestone,
    /// An output type.
    Output,
    /// An outcome.
    Outcome,
    /// An indicator.
    Indicator,
    /// A funding source.
    FundingSource,
    /// A partner.
    Partner,
    /// A network.
    Network,
    /// A cross-cutting theme.
    Theme,
    /// An evaluation method.
    Evaluation,
    /// A dated review.
    Review,
}

impl NodeKind {
    /// Every kind.
    pub const ALL: [NodeKind; 16] = [
        NodeKind::Programme,
        NodeKind::FocusPoint,
        NodeKind::Priority,
        NodeKind::Action,
        NodeKind::Activity,
        NodeKind::Deliverable,
        NodeKind::Milestone,
        NodeKind::Output,
        NodeKind::Outcome,
        NodeKind::Indicator,
        NodeKind::FundingSource,
        NodeKind::Partner,
        NodeKind::Network,
        NodeKind::Theme,
        NodeKind::Evaluation,
        NodeKind::Review,
    ];

    /// The kind's name (`funding_source`).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Programme => "programme",
            NodeKind::FocusPoint => "focus_point",
            NodeKind::Priority => "priority",
            NodeKind::Action => "line_of_action",
            NodeKind::Activity => "activity",
            NodeKind::Deliverable => "deliverable",
            NodeKind::Milestone => "milestone",
            NodeKind::Output => "output",
            NodeKind::Outcome => "outcome",
            NodeKind::Indicator => "indicator",
            NodeKind::FundingSource => "funding_source",
            NodeKind::Partner => "partner",
            NodeKind::Network => "network",
            NodeKind::Theme => "theme",
            NodeKind::Evaluation => "evaluation",
            NodeKind::Review => "review",
        }
    }

    /// The kind in words (`funding source`, `line of action`).
    pub fn noun(self) -> &'static str {
        match self {
            NodeKind::Action => "line of action",
            NodeKind::FocusPoint => "focus point",
            NodeKind::FundingSource => "funding source",
            NodeKind::Evaluation => "evaluation method",
            other => other.as_str(),
        }
    }

    /// The kind with this name, or an error that lists the kinds (with the nearest one
    /// when a name is close), as the command line and the bindings report it.
    pub fn find(name: &str) -> Result<NodeKind, UnknownKind> {
        NodeKind::parse(name).ok_or_else(|| {
            let names = NodeKind::ALL.iter().map(|k| k.as_str());
            let message = match crate::diagnostic::did_you_mean(name, names) {
                Some(near) => format!("`{name}` is not a kind of element (did you mean `{near}`?)"),
                None => {
                    let kinds: Vec<String> = NodeKind::ALL
                        .iter()
                        .map(|k| format!("`{}`", k.as_str()))
                        .collect();
                    format!(
                        "`{name}` is not a kind of element (the kinds are {})",
                        kinds.join(", ")
                    )
                }
            };
            UnknownKind {
                name: name.to_owned(),
                message,
            }
        })
    }

    /// The kind with this name (`activity`, `funding_source`, `funding-source`,
    /// `line_of_action`, `line of action`, and the older spelling `action`).
    pub fn parse(name: &str) -> Option<NodeKind> {
        let norm = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let norm = match norm.as_str() {
            "line_of_action" | "lines_of_action" | "actions" | "action" => "line_of_action",
            "activities" => "activity",
            "priorities" => "priority",
            other => other.trim_end_matches('s'),
        }
        .to_owned();
        NodeKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == norm || k.as_str().trim_end_matches('s') == norm)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of edge.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// Nesting: programme → its elements, priority → line, activity → sub-activity,
    /// deliverable or milestone, evaluation methods and reviews under the programme.
    Contains,
    /// A line of action → its sub-line.
    Refines,
    /// An activity → the line of action or priority it addresses.
    Addresses,
    /// A deliverable → the output type it produces.
    Produces,
    /// A deliverable, milestone or activity → the indicator it counts toward.
    CountsToward,
    /// An indicator → the outcome, output, deliverable or milestone it measures.
    Measures,
    /// An outcome or output → the longer-term outcome it leads to.
    ContributesTo,
    /// An activity → a funding source it draws on.
    FundedBy,
    /// An activity, deliverable, milestone or line of action → a partner taking part.
    PartnersWith,
    /// An activity, deliverable or milestone → the partner that leads it or is responsible for it.
    LedBy,
    /// An activity → a network it runs in or through.
    Runs,
    /// An activity → a cross-cutting theme it serves; a priority → an outcome it serves.
    Serves,
    /// An activity, milestone or deliverable → an activity, milestone or deliverable it
    /// depends on in time (`depends_on`, any type but `informs`).
    DependsOn,
    /// A focus point → a partner, network or theme it names.
    Names,
    /// A network → a partner that belongs to it.
    Includes,
    /// A milestone → a further activity it belongs to (a milestone shared by work packages).
    AlsoIn,
    /// A linked third party → the partner whose share its effort counts toward.
    LinkedTo,
    /// An activity, milestone or deliverable → one whose results inform it, with no
    /// timing implied (`depends_on` with `type: informs`).
    InformedBy,
    /// An activity, milestone or deliverable → the element its timeframe or due date is
    /// counted from (`{after: A8.M1, within: 12 months}`).
    AnchoredTo,
    /// Any element → an element it refers to (`refers_to`, a cross-reference).
    RefersTo,
}

impl EdgeKind {
    /// Every edge kind.
    pub const ALL: [EdgeKind; 20] = [
        EdgeKind::Contains,
        EdgeKind::Refines,
        EdgeKind::Addresses,
        EdgeKind::Produces,
        EdgeKind::CountsToward,
        EdgeKind::Measures,
        EdgeKind::ContributesTo,
        EdgeKind::FundedBy,
        EdgeKind::PartnersWith,
        EdgeKind::LedBy,
        EdgeKind::Runs,
        EdgeKind::Serves,
        EdgeKind::DependsOn,
        EdgeKind::Names,
        EdgeKind::Includes,
        EdgeKind::AlsoIn,
        EdgeKind::LinkedTo,
        EdgeKind::InformedBy,
        EdgeKind::AnchoredTo,
        EdgeKind::RefersTo,
    ];

    /// The edge kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Contains => "contains",
            EdgeKind::Refines => "refines",
            EdgeKind::Addresses => "addresses",
            EdgeKind::Produces => "produces",
            EdgeKind::CountsToward => "counts_toward",
            EdgeKind::Measures => "measures",
            EdgeKind::ContributesTo => "contributes_to",
            EdgeKind::FundedBy => "funded_by",
            EdgeKind::PartnersWith => "partners_with",
            EdgeKind::LedBy => "led_by",
            EdgeKind::Runs => "runs",
            EdgeKind::Serves => "serves",
            EdgeKind::DependsOn => "depends_on",
            EdgeKind::Names => "names",
            EdgeKind::Includes => "includes",
            EdgeKind::AlsoIn => "also_in",
            EdgeKind::LinkedTo => "linked_to",
            EdgeKind::InformedBy => "informed_by",
            EdgeKind::AnchoredTo => "anchored_to",
            EdgeKind::RefersTo => "refers_to",
        }
    }

    /// Whether the edge is part of the nesting hierarchy.
    pub fn is_hierarchy(self) -> bool {
        matches!(self, EdgeKind::Contains | EdgeKind::Refines)
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A borrowed view of one element of the document.
#[derive(Clone, Copy, Debug)]
pub enum Element<'d> {
    /// The programme.
    Programme(&'d Programme),
    /// A focus point.
    FocusPoint(&'d FocusPoint),
    /// A priority.
    Priority(&'d Priority),
    /// A line of action.
    Action(&'d LineOfAction),
    /// An activity.
    Activity(&'d Activity),
    /// A deliverable.
    Deliverable(&'d Deliverable),
    /// A milestone.
    Milestone(&'d Milestone),
    /// An output type.
    Output(&'d Output),
    /// An outcome.
    Outcome(&'d Outcome),
    /// An indicator.
    Indicator(&'d Indicator),
    /// A funding source.
    FundingSource(&'d FundingSource),
    /// A partner.
    Partner(&'d Partner),
    /// A network.
    Network(&'d Network),
    /// A theme.
    Theme(&'d Theme),
    /// An evaluation method.
    Evaluation(&'d EvaluationMethod),
    /// A review.
    Review(&'d Review),
}

/// Applies `$body` to the element inside whichever variant `$element` is.
macro_rules! each_element {
    ($element:expr, $e:ident => $body:expr) => {
        match $element {
            Element::Programme($e) => $body,
            Element::FocusPoint($e) => $body,
            Element::Priority($e) => $body,
            Element::Action($e) => $body,
            Element::Activity($e) => $body,
            Element::Deliverable($e) => $body,
            Element::Milestone($e) => $body,
            Element::Output($e) => $body,
            Element::Outcome($e) => $body,
            Element::Indicator($e) => $body,
            Element::FundingSource($e) => $body,
            Element::Partner($e) => $body,
            Element::Network($e) => $body,
            Element::Theme($e) => $body,
            Element::Evaluation($e) => $body,
            Element::Review($e) => $body,
        }
    };
}

impl<'d> Element<'d> {
    /// The element's id.
    pub fn id(&self) -> &'d str {
        self.id_ref().as_str()
    }

    /// The element's id, typed.
    pub fn id_ref(&self) -> &'d Id {
        each_element!(*self, e => &e.id)
    }

    /// The element's title (an indicator's label).
    pub fn title(&self) -> &'d str {
        each_element!(*self, e => title_of(e))
    }

    /// The ids the element refers to (`refers_to`: what its prose says "see …" about).
    pub fn refers_to(&self) -> &'d [Id] {
        each_element!(*self, e => &e.refers_to)
    }

    /// The field that holds the title (`title`, or `label` for indicators).
    pub fn title_field(&self) -> &'static str {
        match self {
            Element::Indicator(_) => "label",
            _ => "title",
        }
    }

    /// The element as JSON, as the document writes it (the elements nested in it too).
    pub(crate) fn to_json(self) -> serde_json::Result<serde_json::Value> {
        each_element!(self, e => serde_json::to_value(e))
    }

    /// The fields of the element that hold elements nested in it, each a node of its own
    /// (the lists `Graph::build` walks below it: a priority's `actions`, an activity's
    /// `activities`, `deliverables` and `milestones`, the programme's `focus`). The
    /// top-level lists of the document are not fields of the programme.
    pub(crate) fn nested_lists(&self) -> &'static [Field] {
        match self {
            Element::Programme(_) => &[Field::Focus],
            Element::Priority(_) | Element::Action(_) => &[Field::Actions],
            Element::Activity(_) => &[Field::Activities, Field::Deliverables, Field::Milestones],
            _ => &[],
        }
    }

    /// Whether two elements are of the same kind and equal, the elements nested in them
    /// included.
    pub(crate) fn equals(&self, other: &Element<'_>) -> bool {
        use Element as E;
        match (self, other) {
            (E::Programme(a), E::Programme(b)) => a == b,
            (E::FocusPoint(a), E::FocusPoint(b)) => a == b,
            (E::Priority(a), E::Priority(b)) => a == b,
            (E::Action(a), E::Action(b)) => a == b,
            (E::Activity(a), E::Activity(b)) => a == b,
            (E::Deliverable(a), E::Deliverable(b)) => a == b,
            (E::Milestone(a), E::Milestone(b)) => a == b,
            (E::Output(a), E::Output(b)) => a == b,
            (E::Outcome(a), E::Outcome(b)) => a == b,
            (E::Indicator(a), E::Indicator(b)) => a == b,
            (E::FundingSource(a), E::FundingSource(b)) => a == b,
            (E::Partner(a), E::Partner(b)) => a == b,
            (E::Network(a), E::Network(b)) => a == b,
            (E::Theme(a), E::Theme(b)) => a == b,
            (E::Evaluation(a), E::Evaluation(b)) => a == b,
            (E::Review(a), E::Review(b)) => a == b,
            _ => false,
        }
    }

    /// The element's kind.
    pub fn kind(&self) -> NodeKind {
        match self {
            Element::Programme(_) => NodeKind::Programme,
            Element::FocusPoint(_) => NodeKind::FocusPoint,
            Element::Priority(_) => NodeKind::Priority,
            Element::Action(_) => NodeKind::Action,
            Element::Activity(_) => NodeKind::Activity,
            Element::Deliverable(_) => NodeKind::Deliverable,
            Element::Milestone(_) => NodeKind::Milestone,
            Element::Output(_) => NodeKind::Output,
            Element::Outcome(_) => NodeKind::Outcome,
            Element::Indicator(_) => NodeKind::Indicator,
            Element::FundingSource(_) => NodeKind::FundingSource,
            Element::Partner(_) => NodeKind::Partner,
            Element::Network(_) => NodeKind::Network,
            Element::Theme(_) => NodeKind::Theme,
            Element::Evaluation(_) => NodeKind::Evaluation,
            Element::Review(_) => NodeKind::Review,
        }
    }
}

/// Every element but an indicator has a `title`.
trait Titled {
    fn title_text(&self) -> &str;
}

macro_rules! titled {
    ($($t:ty),+) => { $(impl Titled for $t { fn title_text(&self) -> &str { &self.title } })+ };
}

titled!(
    Programme,
    FocusPoint,
    Priority,
    LineOfAction,
    Activity,
    Deliverable,
    Milestone,
    Output,
    Outcome,
    FundingSource,
    Partner,
    Network,
    Theme,
    EvaluationMethod,
    Review
);

impl Titled for Indicator {
    fn title_text(&self) -> &str {
        &self.label
    }
}

fn title_of<T: Titled>(e: &T) -> &str {
    e.title_text()
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Node<'d> {
    pub element: Element<'d>,
    /// The node whose list holds this element (the programme for top-level lists).
    pub parent: Option<NodeIndex>,
    /// The list field in the parent and the position in it; `None` for the programme.
    pub slot: Option<(Field, u32)>,
}

/// The list field that holds an element, in its parent or at the top of the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Focus,
    Priorities,
    Actions,
    Activities,
    Deliverables,
    Milestones,
    Outputs,
    Outcomes,
    Indicators,
    FundingSources,
    Partners,
    Networks,
    Themes,
    EvaluationProcess,
    EvaluationOutcome,
    EvaluationReviews,
}

impl Field {
    /// The field's path below its parent, as a JSON Pointer writes it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Field::Focus => "focus",
            Field::Priorities => "priorities",
            Field::Actions => "actions",
            Field::Activities => "activities",
            Field::Deliverables => "deliverables",
            Field::Milestones => "milestones",
            Field::Outputs => "outputs",
            Field::Outcomes => "outcomes",
            Field::Indicators => "indicators",
            Field::FundingSources => "funding_sources",
            Field::Partners => "partners",
            Field::Networks => "networks",
            Field::Themes => "themes",
            Field::EvaluationProcess => "evaluation/process",
            Field::EvaluationOutcome => "evaluation/outcome",
            Field::EvaluationReviews => "evaluation/reviews",
        }
    }
}

/// A reference that does not resolve to an element of the kind its field takes.
#[derive(Clone, Debug)]
pub(crate) struct BadReference<'d> {
    pub from: NodeIndex,
    /// The path below the element to the reference (`addresses/2`, `lead`).
    pub path: String,
    pub target: &'d str,
    /// The kind of the element the id names, when it names one.
    pub found: Option<NodeIndex>,
    pub expected: &'static [NodeKind],
}

/// Lists of nodes grouped by a slot (a position in a kind's list), stored flat.
pub(crate) struct Grouped {
    /// Slot `i` owns `items[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    items: Vec<NodeIndex>,
}

impl Grouped {
    /// The nodes of slot `i`.
    pub(crate) fn get(&self, i: usize) -> &[NodeIndex] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&from), Some(&to)) => self.items.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Sorts each group by index and removes repeats, compacting the storage. Edges are
    /// added in source order, so groups are usually sorted already (checked in one pass).
    fn sort_and_dedup(&mut self) {
        let mut write = 0usize;
        let mut from = 0usize;
        for i in 0..self.starts.len().saturating_sub(1) {
            let to = self.starts[i + 1] as usize;
            let group = &mut self.items[from..to];
            if !group.is_sorted() {
                group.sort_unstable();
            }
            self.starts[i] = u32::try_from(write).unwrap_or(u32::MAX);
            let mut last = None;
            for k in from..to {
                let n = self.items[k];
                if last != Some(n) {
                    self.items[write] = n;
                    write += 1;
                    last = Some(n);
                }
            }
            from = to;
        }
        if let Some(end) = self.starts.last_mut() {
            *end = u32::try_from(write).unwrap_or(u32::MAX);
        }
        self.items.truncate(write);
    }
}

/// A name that is no kind of element.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct UnknownKind {
    /// The name as given.
    pub name: String,
    /// What is wrong, with the nearest kind or the list of kinds.
    pub message: String,
}

/// The programme as a typed graph, borrowing the document it was built from.
pub struct Graph<'d> {
    doc: &'d Document,
    g: StableDiGraph<Node<'d>, EdgeKind, u32>,
    ids: IdIndex,
    by_kind: Vec<Vec<NodeIndex>>,
    /// Per node: one past the last index of its subtree. The graph is built depth first,
    /// so an element and everything nested in it are one run of indices.
    subtree_end: Vec<u32>,
    /// Per node: its id, in index order, so that lists of ids are read from one dense
    /// table rather than from elements spread over the document.
    id_table: Vec<Id>,
    /// Per node: its kind (one byte each, so that checking the kind of a reference's
    /// target does not fetch the node).
    kinds: Vec<NodeKind>,
    pub(crate) duplicates: Vec<(NodeIndex, NodeIndex)>,
    pub(crate) bad_references: Vec<BadReference<'d>>,
    /// Former ids of partners (`also_known_as`) that are no element's id, to the partner.
    aliases: Aliases,
    root: NodeIndex,
    /// One past the largest node index (nodes are never removed).
    bound: usize,
    /// Inherited facts, derived on first use.
    derived: std::sync::OnceLock<crate::derive::Derived<'d>>,
}

/// A borrowed handle on one node of a [`Graph`].
#[derive(Clone, Copy)]
pub struct NodeRef<'g, 'd> {
    graph: &'g Graph<'d>,
    index: NodeIndex,
}

impl fmt::Debug for NodeRef<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.kind(), self.id())
    }
}

impl PartialEq for NodeRef<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.graph, other.graph) && self.index == other.index
    }
}

impl<'g, 'd> NodeRef<'g, 'd> {
    /// The element's id.
    pub fn id(&self) -> &'d str {
        self.element().id()
    }

    /// The element's kind.
    pub fn kind(&self) -> NodeKind {
        self.element().kind()
    }

    /// The element's title.
    pub fn title(&self) -> &'d str {
        self.element().title()
    }

    /// The element itself.
    pub fn element(&self) -> Element<'d> {
        self.graph.g[self.index].element
    }

    /// The JSON Pointer of the element in the document (`/activities/2/deliverables/0`).
    pub fn pointer(&self) -> String {
        self.graph.pointer(self.index)
    }

    /// The element that nests it (`None` for the programme).
    pub fn parent(&self) -> Option<NodeRef<'g, 'd>> {
        self.graph.g[self.index].parent.map(|index| NodeRef {
            graph: self.graph,
            index,
        })
    }

    /// Whether the element is cancelled, as coverage, year counts and the rules count it:
    /// a priority or milestone with `status: cancelled`; an activity whose effective
    /// status (its own, else that of the nearest activity above it that states one) is
    /// `cancelled`; a milestone or deliverable of such an activity. Coverage, the rules
    /// and the reports read this one notion.
    pub fn is_cancelled(&self) -> bool {
        let cancelled = crate::rules::is_cancelled;
        match self.element() {
            Element::Priority(p) => cancelled(p.status.as_ref()),
            Element::Activity(_) => cancelled(self.graph.derived().status(self.graph, self.index)),
            Element::Milestone(m) => {
                cancelled(m.status.as_ref()) || self.parent().is_some_and(|p| p.is_cancelled())
            }
            Element::Deliverable(_) => self.parent().is_some_and(|p| p.is_cancelled()),
            _ => false,
        }
    }

    /// Elements it points to by edges of this kind.
    pub fn outgoing(&self, kind: EdgeKind) -> impl Iterator<Item = NodeRef<'g, 'd>> + 'g {
        let graph = self.graph;
        graph
            .g
            .edges_directed(self.index, Direction::Outgoing)
            .filter(move |e| *e.weight() == kind)
            .map(move |e| NodeRef {
                graph,
                index: e.target(),
            })
    }

    /// Elements that point to it by edges of this kind.
    pub fn incoming(&self, kind: EdgeKind) -> impl Iterator<Item = NodeRef<'g, 'd>> + 'g {
        let graph = self.graph;
        graph
            .g
            .edges_directed(self.index, Direction::Incoming)
            .filter(move |e| *e.weight() == kind)
            .map(move |e| NodeRef {
                graph,
                index: e.source(),
            })
    }

    pub(crate) fn index(&self) -> NodeIndex {
        self.index
    }
}

impl<'d> Graph<'d> {
    /// Builds the graph of a document. References that do not resolve are kept aside for
    /// the validation rules; they make no edge.
    pub fn build(doc: &'d Document) -> Graph<'d> {
        let s = doc.summary();
        let nodes = 1
            + doc.programme.focus.len()
            + s.priorities
            + s.lines_of_action
            + s.activities
            + s.sub_activities
            + s.deliverables
            + s.milestones
            + s.outputs
            + s.outcomes
            + s.indicators
            + s.funding_sources
            + s.partners
            + s.networks
            + s.themes
            + s.evaluation;
        let mut b = Builder {
            // nesting makes one edge per node; links average about two more
            g: StableDiGraph::with_capacity(nodes, nodes * 3),
            ids: IdIndex::with_capacity(nodes),
            duplicates: Vec::new(),
            by_kind: vec![Vec::new(); NodeKind::ALL.len()],
            subtree_end: Vec::with_capacity(nodes),
            id_table: Vec::with_capacity(nodes),
            kinds: Vec::with_capacity(nodes),
        };
        b.by_kind[NodeKind::Activity.index()].reserve(s.activities + s.sub_activities);
        b.by_kind[NodeKind::Deliverable.index()].reserve(s.deliverables);
        b.by_kind[NodeKind::Action.index()].reserve(s.lines_of_action);
        let root = b.add(Element::Programme(&doc.programme), None, None);
        for (i, f) in doc.programme.focus.iter().enumerate() {
            b.add(Element::FocusPoint(f), Some(root), Some((Field::Focus, i)));
        }
        for (i, p) in doc.priorities.iter().enumerate() {
            let pn = b.add(
                Element::Priority(p),
                Some(root),
                Some((Field::Priorities, i)),
            );
            b.actions(&p.actions, pn, EdgeKind::Contains);
            b.close(pn);
        }
        for (i, a) in doc.activities.iter().enumerate() {
            b.activity(a, root, i);
        }
        macro_rules! top {
            ($list:expr, $variant:ident, $field:ident) => {
                for (i, e) in $list.iter().enumerate() {
                    b.add(Element::$variant(e), Some(root), Some((Field::$field, i)));
                }
            };
        }
        top!(doc.outputs, Output, Outputs);
        top!(doc.outcomes, Outcome, Outcomes);
        top!(doc.indicators, Indicator, Indicators);
        top!(doc.funding_sources, FundingSource, FundingSources);
        top!(doc.partners, Partner, Partners);
        top!(doc.networks, Network, Networks);
        top!(doc.themes, Theme, Themes);
        if let Some(ev) = &doc.evaluation {
            top!(ev.process, Evaluation, EvaluationProcess);
            top!(ev.outcome, Evaluation, EvaluationOutcome);
            top!(ev.reviews, Review, EvaluationReviews);
        }
        b.close(root);
        let bound = b.g.node_count();
        let mut graph = Graph {
            doc,
            g: b.g,
            ids: b.ids,
            by_kind: b.by_kind,
            subtree_end: b.subtree_end,
            id_table: b.id_table,
            kinds: b.kinds,
            duplicates: b.duplicates,
            bad_references: Vec::new(),
            aliases: Aliases::default(),
            root,
            bound,
            derived: std::sync::OnceLock::new(),
        };
        graph.aliases = graph.collect_aliases();
        graph.link();
        graph
    }

    /// The former ids partners declare (`also_known_as`) that name no element: an id in
    /// use wins over an alias, and of two partners claiming one alias the first wins.
    fn collect_aliases(&self) -> Aliases {
        let mut aliases = Aliases::default();
        for &n in self.indices_of_kind(NodeKind::Partner) {
            if let Element::Partner(p) = self.element(n) {
                for alias in &p.also_known_as {
                    if self.ids.get(alias.as_str(), &self.id_table).is_none() {
                        aliases.entry(alias.as_str().into()).or_insert(n);
                    }
                }
            }
        }
        aliases
    }

    /// Adds the link edges, resolving every reference.
    fn link(&mut self) {
        // resolving is lookups only: on a large programme the two halves of the nodes are
        // resolved on two threads, and their edges joined in node order as one thread
        // would give them
        let bound = self.bound;
        let this = &*self;
        let half = bound / 2;
        let (second, first) = crate::parallel::join_from(
            bound,
            || this.resolve(half..bound),
            || this.resolve(0..half),
        );
        let (mut edges, mut bad) = (first.edges, first.bad);
        edges.extend(second.edges);
        bad.extend(second.bad);
        self.g.reserve_edges(edges.len());
        for (a, b, kind) in edges {
            if kind == EdgeKind::PartnersWith && self.g.contains_edge(a, b) {
                continue; // a partner listed and given effort is one link
            }
            self.g.add_edge(a, b, kind);
        }
        self.bad_references = bad;
    }

    /// Resolves the references of the nodes in a range of indices.
    fn resolve(&self, range: std::ops::Range<usize>) -> Resolver<'_, 'd> {
        let mut r = Resolver {
            aliases: &self.aliases,
            ids: &self.ids,
            id_table: &self.id_table,
            kinds: &self.kinds,
            edges: Vec::new(),
            bad: Vec::new(),
        };
        for index in range.map(NodeIndex::new) {
            let Some(node) = self.g.node_weight(index) else {
                continue;
            };
            references(node.element, |reference| r.resolve(index, &reference));
        }
        r
    }

    /// The document the graph was built from.
    pub fn document(&self) -> &'d Document {
        self.doc
    }

    /// The node at an index of this graph.
    pub(crate) fn at(&self, index: NodeIndex) -> NodeRef<'_, 'd> {
        NodeRef { graph: self, index }
    }

    /// The programme node.
    pub fn root(&self) -> NodeRef<'_, 'd> {
        NodeRef {
            graph: self,
            index: self.root,
        }
    }

    /// The element with this id (the first one, if the id is duplicated), or the partner
    /// that names it among its former ids (`also_known_as`).
    pub fn node(&self, id: &str) -> Option<NodeRef<'_, 'd>> {
        self.ids
            .get(id, &self.id_table)
            .or_else(|| self.aliases.get(id).copied())
            .map(|index| NodeRef { graph: self, index })
    }

    /// Every element of a kind, in document order.
    pub fn nodes_of_kind(
        &self,
        kind: NodeKind,
    ) -> impl ExactSizeIterator<Item = NodeRef<'_, 'd>> + '_ {
        self.by_kind[kind.index()]
            .iter()
            .map(move |&index| NodeRef { graph: self, index })
    }

    /// Every element, in document order within each kind.
    pub fn nodes(&self) -> impl Iterator<Item = NodeRef<'_, 'd>> + '_ {
        NodeKind::ALL
            .iter()
            .flat_map(move |&k| self.nodes_of_kind(k))
    }

    /// Every edge as (source, kind, target), in the order the graph was built (document
    /// order): nesting first met, then the links each element declares.
    pub fn edges(&self) -> impl Iterator<Item = (NodeRef<'_, 'd>, EdgeKind, NodeRef<'_, 'd>)> + '_ {
        self.g.edge_references().map(move |e| {
            (
                NodeRef {
                    graph: self,
                    index: e.source(),
                },
                *e.weight(),
                NodeRef {
                    graph: self,
                    index: e.target(),
                },
            )
        })
    }

    /// How many elements the graph holds.
    pub fn node_count(&self) -> usize {
        self.g.node_count()
    }

    /// How many edges the graph holds.
    pub fn edge_count(&self) -> usize {
        self.g.edge_count()
    }

    /// The elements directly nested in `id`, optionally only of one kind.
    pub fn children(&self, id: &str, kind: Option<NodeKind>) -> Vec<NodeRef<'_, 'd>> {
        let Some(n) = self.ids.get(id, &self.id_table) else {
            return Vec::new();
        };
        let mut out: Vec<NodeRef<'_, 'd>> = self
            .g
            .edges_directed(n, Direction::Outgoing)
            .filter(|e| e.weight().is_hierarchy())
            .map(|e| NodeRef {
                graph: self,
                index: e.target(),
            })
            .filter(|r| kind.is_none_or(|k| r.kind() == k))
            .collect();
        out.sort_by_key(|r| r.index);
        out
    }

    /// The element that nests `id`, as a list (empty for the programme), optionally only of one kind.
    pub fn parents(&self, id: &str, kind: Option<NodeKind>) -> Vec<NodeRef<'_, 'd>> {
        self.node(id)
            .and_then(|n| n.parent())
            .filter(|p| kind.is_none_or(|k| p.kind() == k))
            .into_iter()
            .collect()
    }

    /// Every element that nests `id`, nearest first, optionally only of one kind.
    pub fn ancestors(&self, id: &str, kind: Option<NodeKind>) -> Vec<NodeRef<'_, 'd>> {
        let mut out = Vec::new();
        let mut cur = self.node(id).and_then(|n| n.parent());
        while let Some(p) = cur {
            if kind.is_none_or(|k| p.kind() == k) {
                out.push(p);
            }
            cur = p.parent();
        }
        out
    }

    /// Every element nested in `id` at any depth, in depth-first document order,
    /// optionally only of one kind.
    pub fn descendants(&self, id: &str, kind: Option<NodeKind>) -> Vec<NodeRef<'_, 'd>> {
        let Some(start) = self.ids.get(id, &self.id_table) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            let mut kids: Vec<NodeIndex> = self
                .g
                .edges_directed(n, Direction::Outgoing)
                .filter(|e| e.weight().is_hierarchy())
                .map(|e| e.target())
                .collect();
            kids.sort();
            for &k in kids.iter().rev() {
                stack.push(k);
            }
            if n != start {
                let r = NodeRef {
                    graph: self,
                    index: n,
                };
                if kind.is_none_or(|k| r.kind() == k) {
                    out.push(r);
                }
            }
        }
        out
    }

    pub(crate) fn element(&self, index: NodeIndex) -> Element<'d> {
        self.g[index].element
    }

    pub(crate) fn parent_index(&self, index: NodeIndex) -> Option<NodeIndex> {
        self.g[index].parent
    }

    /// The list that holds a node, as a path below its parent (`activities`,
    /// `evaluation/process`); `None` for the programme.
    pub(crate) fn list_of(&self, index: NodeIndex) -> Option<&'static str> {
        self.g[index].slot.map(|(field, _)| field.as_str())
    }

    pub(crate) fn indices_of_kind(&self, kind: NodeKind) -> &[NodeIndex] {
        &self.by_kind[kind.index()]
    }

    /// A node's kind, from the dense table (one byte per node).
    pub(crate) fn kind_of(&self, index: NodeIndex) -> NodeKind {
        self.kinds
            .get(index.index())
            .copied()
            .unwrap_or_else(|| self.g[index].element.kind())
    }

    /// A node's id, from the dense table (cheaper than through the element when many are read).
    pub(crate) fn id_of(&self, index: NodeIndex) -> &Id {
        self.id_table
            .get(index.index())
            .unwrap_or_else(|| self.g[index].element.id_ref())
    }

    /// One past the last index of the subtree of `n`.
    pub(crate) fn subtree_end(&self, n: NodeIndex) -> usize {
        self.subtree_end
            .get(n.index())
            .map_or(n.index() + 1, |&e| e as usize)
    }

    /// The elements of a kind nested (at any depth) in `n`, in index order: a slice of the
    /// kind's list, since a subtree is one run of indices.
    pub(crate) fn of_kind_within(&self, n: NodeIndex, kind: NodeKind) -> &[NodeIndex] {
        let end = self.subtree_end(n);
        let all = &self.by_kind[kind.index()];
        let from = all.partition_point(|m| m.index() <= n.index());
        let to = all.partition_point(|m| m.index() < end);
        all.get(from..to).unwrap_or(&[])
    }

    /// For every element of the `target` kind (by its position in [`Graph::nodes_of_kind`]),
    /// the sources of its incoming edges of the given kinds, in index order, each once.
    ///
    /// One pass over the edges in the order they were added, which is sequential in
    /// memory; walking each target's list of incoming edges instead costs a random
    /// access per edge, which dominates on large programmes.
    pub(crate) fn incoming_grouped(&self, kinds: &[EdgeKind], target: NodeKind) -> Grouped {
        let targets = &self.by_kind[target.index()];
        let mut slot = vec![u32::MAX; self.bound];
        for (i, t) in targets.iter().enumerate() {
            slot[t.index()] = u32::try_from(i).unwrap_or(u32::MAX);
        }
        let mut pairs: Vec<(u32, NodeIndex)> = Vec::new();
        for e in self.g.edge_references() {
            if !kinds.contains(e.weight()) {
                continue;
            }
            match slot.get(e.target().index()) {
                Some(&s) if s != u32::MAX => pairs.push((s, e.source())),
                _ => {}
            }
        }
        drop(slot);
        // counting sort by target, stable: sources keep the order the edges were added in
        let mut starts = vec![0u32; targets.len() + 1];
        for &(s, _) in &pairs {
            starts[s as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut items = vec![NodeIndex::end(); pairs.len()];
        for (s, source) in pairs {
            let at = &mut next[s as usize];
            items[*at as usize] = source;
            *at += 1;
        }
        let mut grouped = Grouped { starts, items };
        grouped.sort_and_dedup();
        grouped
    }

    /// Upper bound of node indices, for dense per-node tables.
    pub(crate) fn index_bound(&self) -> usize {
        self.bound
    }

    /// What activities inherit from the activities they belong to, derived once.
    pub(crate) fn derived(&self) -> &crate::derive::Derived<'d> {
        self.derived
            .get_or_init(|| crate::derive::Derived::new(self))
    }

    pub(crate) fn edges_out(
        &self,
        index: NodeIndex,
        kind: EdgeKind,
    ) -> impl Iterator<Item = NodeIndex> + '_ {
        self.g
            .edges_directed(index, Direction::Outgoing)
            .filter(move |e| *e.weight() == kind)
            .map(|e| e.target())
    }

    pub(crate) fn edges_in(
        &self,
        index: NodeIndex,
        kind: EdgeKind,
    ) -> impl Iterator<Item = NodeIndex> + '_ {
        self.g
            .edges_directed(index, Direction::Incoming)
            .filter(move |e| *e.weight() == kind)
            .map(|e| e.source())
    }

    /// Whether an element that `live` keeps links to this one (nesting aside).
    pub(crate) fn has_incoming_link(
        &self,
        index: NodeIndex,
        live: impl Fn(NodeIndex) -> bool,
    ) -> bool {
        self.g
            .edges_directed(index, Direction::Incoming)
            // a cross-reference says where to look, and links nothing in
            .any(|e| {
                !e.weight().is_hierarchy() && *e.weight() != EdgeKind::RefersTo && live(e.source())
            })
    }

    pub(crate) fn hierarchy_children(
        &self,
        index: NodeIndex,
    ) -> impl Iterator<Item = NodeIndex> + '_ {
        self.g
            .edges_directed(index, Direction::Outgoing)
            .filter(|e| e.weight().is_hierarchy())
            .map(|e| e.target())
    }

    /// The ids of every element (for "did you mean" hints).
    pub(crate) fn all_ids(&self) -> impl Iterator<Item = (&'d str, NodeKind)> + '_ {
        self.g
            .node_weights()
            .map(|node| (node.element.id(), node.element.kind()))
    }

    /// The JSON Pointer of a node.
    pub(crate) fn pointer(&self, index: NodeIndex) -> String {
        let mut parts: Vec<(Field, u32)> = Vec::new();
        let mut cur = index;
        loop {
            let node = &self.g[cur];
            match (node.slot, node.parent) {
                (Some(slot), Some(parent)) => {
                    parts.push(slot);
                    cur = parent;
                }
                _ => break,
            }
        }
        let mut out = String::new();
        for (i, (field, pos)) in parts.iter().rev().enumerate() {
            if i == 0 && *field == Field::Focus {
                out.push_str("/programme");
            }
            out.push('/');
            out.push_str(field.as_str());
            out.push('/');
            out.push_str(&pos.to_string());
        }
        if out.is_empty() {
            out.push_str("/programme");
        }
        out
    }
}

impl BadReference<'_> {
    /// The name of the field that holds the reference (`source` in `budget/allocations/1/source`).
    pub(crate) fn field(&self) -> &str {
        // an anchor is named with its timeframe (`timeframe/after`)
        if self.path.ends_with("/after") || self.path.ends_with("/before") {
            return &self.path;
        }
        self.path
            .rsplit('/')
            .find(|t| t.parse::<usize>().is_err())
            .unwrap_or(&self.path)
    }
}

/// Where a reference sits below the element that makes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum At {
    /// The field holds one id (`lead`, `measures`).
    One,
    /// Position `i` of the field's list of ids (`addresses/2`).
    Item(usize),
    /// The source of budget allocation `i` (`budget/allocations/1/source`).
    Allocation(usize),
    /// The partner of effort `i` (`effort/0/partner`).
    Effort(usize),
    /// The anchor of an anchored timeframe (`timeframe/after`, `due/before`).
    Anchor(crate::model::Side),
}

/// One reference an element makes to another element by id.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reference<'d> {
    /// The element's field that holds it (`addresses`, `lead`; `budget` and `effort` for
    /// the ids nested in them).
    pub field: &'static str,
    /// Where in that field.
    pub at: At,
    /// The id referred to.
    pub target: &'d Id,
    /// The kinds of element it may name.
    pub expected: &'static [NodeKind],
    /// The edge it makes when it resolves.
    pub edge: Option<EdgeKind>,
}

impl Reference<'_> {
    /// The path below the element to the reference (`addresses/2`, `lead`).
    pub(crate) fn path(&self) -> String {
        match self.at {
            At::One => self.field.to_owned(),
            At::Item(i) => format!("{}/{i}", self.field),
            At::Allocation(i) => format!("budget/allocations/{i}/source"),
            At::Effort(i) => format!("effort/{i}/partner"),
            At::Anchor(side) => format!("{}/{}", self.field, side.key()),
        }
    }

    /// Whether the field itself holds the id, or the list of ids (`addresses`), rather
    /// than a value nested in it (a budget allocation's source, an effort's partner).
    pub(crate) fn is_direct(&self) -> bool {
        matches!(self.at, At::One | At::Item(_) | At::Anchor(_))
    }
}

/// Every reference an element makes to other elements, in field order: the one walk of
/// the reference fields, from which the graph makes its links (and reports those that do
/// not resolve) and the diff compares links. A new reference field is added here.
pub(crate) fn references<'d>(element: Element<'d>, mut visit: impl FnMut(Reference<'d>)) {
    use NodeKind as K;
    const ACTIONS: &[NodeKind] = &[K::Action, K::Priority];
    const MEASURED: &[NodeKind] = &[K::Outcome, K::Output, K::Deliverable, K::Milestone];
    const SCHEDULED: &[NodeKind] = &[K::Activity, K::Milestone, K::Deliverable];
    let list = |field: &'static str,
                ids: &'d [Id],
                expected: &'static [NodeKind],
                edge: EdgeKind,
                visit: &mut dyn FnMut(Reference<'d>)| {
        for (i, target) in ids.iter().enumerate() {
            visit(Reference {
                field,
                at: At::Item(i),
                target,
                expected,
                edge: Some(edge),
            });
        }
    };
    let one = |field: &'static str,
               id: &'d Option<Id>,
               expected: &'static [NodeKind],
               edge: EdgeKind,
               visit: &mut dyn FnMut(Reference<'d>)| {
        if let Some(target) = id {
            visit(Reference {
                field,
                at: At::One,
                target,
                expected,
                edge: Some(edge),
            });
        }
    };
    let deps = |ids: &'d [Dependency], visit: &mut dyn FnMut(Reference<'d>)| {
        for (i, dep) in ids.iter().enumerate() {
            visit(Reference {
                field: "depends_on",
                at: At::Item(i),
                target: &dep.id,
                expected: SCHEDULED,
                edge: Some(if dep.kind.is_timing() {
                    EdgeKind::DependsOn
                } else {
                    EdgeKind::InformedBy
                }),
            });
        }
    };
    let anchor = |field: &'static str,
                  tf: &'d Option<crate::model::Timeframe>,
                  visit: &mut dyn FnMut(Reference<'d>)| {
        if let Some(a) = tf.as_ref().and_then(|t| t.anchor()) {
            visit(Reference {
                field,
                at: At::Anchor(a.side),
                target: &a.id,
                expected: SCHEDULED,
                edge: Some(EdgeKind::AnchoredTo),
            });
        }
    };
    let v = &mut visit;
    match element {
        Element::FocusPoint(f) => {
            list("partners", &f.partners, &[K::Partner], EdgeKind::Names, v);
            list("networks", &f.networks, &[K::Network], EdgeKind::Names, v);
            list("themes", &f.themes, &[K::Theme], EdgeKind::Names, v);
        }
        Element::Action(a) => {
            list(
                "partners",
                &a.partners,
                &[K::Partner],
                EdgeKind::PartnersWith,
                v,
            );
        }
        Element::Activity(a) => {
            list(
                "funding",
                &a.funding,
                &[K::FundingSource],
                EdgeKind::FundedBy,
                v,
            );
            list("addresses", &a.addresses, ACTIONS, EdgeKind::Addresses, v);
            one("lead", &a.lead, &[K::Partner], EdgeKind::LedBy, v);
            list(
                "partners",
                &a.partners,
                &[K::Partner],
                EdgeKind::PartnersWith,
                v,
            );
            list("networks", &a.networks, &[K::Network], EdgeKind::Runs, v);
            list("themes", &a.themes, &[K::Theme], EdgeKind::Serves, v);
            list(
                "counts_toward",
                &a.counts_toward,
                &[K::Indicator],
                EdgeKind::CountsToward,
                v,
            );
            deps(&a.depends_on, v);
            anchor("timeframe", &a.timeframe, v);
            if let Some(b) = &a.budget {
                for (i, al) in b.allocations.iter().enumerate() {
                    v(Reference {
                        field: "budget",
                        at: At::Allocation(i),
                        target: &al.source,
                        expected: &[K::FundingSource],
                        edge: None,
                    });
                }
            }
            for (i, e) in a.effort.iter().enumerate() {
                v(Reference {
                    field: "effort",
                    at: At::Effort(i),
                    target: &e.partner,
                    expected: &[K::Partner],
                    edge: Some(EdgeKind::PartnersWith),
                });
            }
        }
        Element::Priority(p) => list("serves", &p.serves, &[K::Outcome], EdgeKind::Serves, v),
        Element::Milestone(m) => {
            one("lead", &m.lead, &[K::Partner], EdgeKind::LedBy, v);
            list(
                "partners",
                &m.partners,
                &[K::Partner],
                EdgeKind::PartnersWith,
                v,
            );
            list(
                "counts_toward",
                &m.counts_toward,
                &[K::Indicator],
                EdgeKind::CountsToward,
                v,
            );
            list("also_in", &m.also_in, &[K::Activity], EdgeKind::AlsoIn, v);
            deps(&m.depends_on, v);
            anchor("due", &m.due, v);
        }
        Element::Partner(p) => {
            one(
                "linked_to",
                &p.linked_to,
                &[K::Partner],
                EdgeKind::LinkedTo,
                v,
            );
            anchor("participation", &p.participation, v);
        }
        Element::Deliverable(d) => {
            one("lead", &d.lead, &[K::Partner], EdgeKind::LedBy, v);
            list("outputs", &d.outputs, &[K::Output], EdgeKind::Produces, v);
            list(
                "counts_toward",
                &d.counts_toward,
                &[K::Indicator],
                EdgeKind::CountsToward,
                v,
            );
            list(
                "partners",
                &d.partners,
                &[K::Partner],
                EdgeKind::PartnersWith,
                v,
            );
            deps(&d.depends_on, v);
            anchor("due", &d.due, v);
        }
        Element::Output(o) => {
            list(
                "contributes_to",
                &o.contributes_to,
                &[K::Outcome],
                EdgeKind::ContributesTo,
                v,
            );
        }
        Element::Outcome(o) => {
            list(
                "contributes_to",
                &o.contributes_to,
                &[K::Outcome],
                EdgeKind::ContributesTo,
                v,
            );
        }
        Element::Indicator(ind) => {
            one("measures", &ind.measures, MEASURED, EdgeKind::Measures, v);
            anchor("target_date", &ind.target_date, v);
        }
        Element::Network(n) => {
            list(
                "partners",
                &n.partners,
                &[K::Partner],
                EdgeKind::Includes,
                v,
            );
        }
        Element::Programme(_)
        | Element::Theme(_)
        | Element::FundingSource(_)
        | Element::Evaluation(_) => {}
        Element::Review(r) => anchor("date", &r.date, v),
    }
    // last, as the field comes last in every element
    let refers_to: &'d [Id] = element.refers_to();
    list(
        "refers_to",
        refers_to,
        &NodeKind::ALL,
        EdgeKind::RefersTo,
        v,
    );
}

struct Resolver<'a, 'd> {
    aliases: &'a Aliases,
    ids: &'a IdIndex,
    id_table: &'a [Id],
    kinds: &'a [NodeKind],
    edges: Vec<(NodeIndex, NodeIndex, EdgeKind)>,
    bad: Vec<BadReference<'d>>,
}

impl<'d> Resolver<'_, 'd> {
    fn one(
        &mut self,
        from: NodeIndex,
        path: impl FnOnce() -> String,
        target: &'d Id,
        expected: &'static [NodeKind],
        edge: Option<EdgeKind>,
    ) {
        let found = self
            .ids
            .get(target.as_str(), self.id_table)
            .or_else(|| self.aliases.get(target.as_str()).copied());
        match found {
            Some(t)
                if self
                    .kinds
                    .get(t.index())
                    .is_some_and(|k| expected.contains(k)) =>
            {
                if let Some(kind) = edge {
                    self.edges.push((from, t, kind));
                }
            }
            _ => self.bad.push(BadReference {
                from,
                path: path(),
                target: target.as_str(),
                found,
                expected,
            }),
        }
    }

    fn resolve(&mut self, from: NodeIndex, reference: &Reference<'d>) {
        self.one(
            from,
            || reference.path(),
            reference.target,
            reference.expected,
            reference.edge,
        );
    }
}

/// Former ids of partners to the partner (few: a plain map).
type Aliases = std::collections::HashMap<Box<str>, NodeIndex, foldhash::fast::RandomState>;

/// Id to node, for the first element with each id: a hash table of node indices, each
/// hashed by the id it names in the graph's id table, so that the ids are stored once (a
/// slot is 5 bytes, where a map from borrowed ids would take 25). The hash is seeded at
/// random, so that a document cannot be written to make its ids collide (with a fixed
/// hash, ids chosen to collide would make building the graph quadratic).
struct IdIndex {
    table: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl IdIndex {
    fn with_capacity(n: usize) -> IdIndex {
        IdIndex {
            table: hashbrown::HashTable::with_capacity(n),
            hasher: foldhash::fast::RandomState::default(),
        }
    }

    fn hash(&self, id: &str) -> u64 {
        use std::hash::BuildHasher;
        self.hasher.hash_one(id)
    }

    /// The first node with this id.
    fn get(&self, id: &str, id_table: &[Id]) -> Option<NodeIndex> {
        let same = |&i: &u32| id_table.get(i as usize).is_some_and(|t| t.as_str() == id);
        self.table
            .find(self.hash(id), same)
            .map(|&i| NodeIndex::new(i as usize))
    }

    /// Records the node at `index`, whose id is already in `id_table`; if an earlier node
    /// has the same id, returns that node and records nothing.
    fn insert(&mut self, index: NodeIndex, id_table: &[Id]) -> Option<NodeIndex> {
        let id = id_table.get(index.index())?.as_str();
        let raw = u32::try_from(index.index()).ok()?;
        let id_of = |&i: &u32| id_table.get(i as usize).map_or("", Id::as_str);
        let hash = self.hash(id);
        let hasher = &self.hasher;
        let rehash = |i: &u32| {
            use std::hash::BuildHasher;
            hasher.hash_one(id_of(i))
        };
        match self.table.entry(hash, |i| id_of(i) == id, rehash) {
            hashbrown::hash_table::Entry::Occupied(first) => {
                Some(NodeIndex::new(*first.get() as usize))
            }
            hashbrown::hash_table::Entry::Vacant(v) => {
                v.insert(raw);
                None
            }
        }
    }
}

struct Builder<'d> {
    g: StableDiGraph<Node<'d>, EdgeKind, u32>,
    ids: IdIndex,
    duplicates: Vec<(NodeIndex, NodeIndex)>,
    by_kind: Vec<Vec<NodeIndex>>,
    subtree_end: Vec<u32>,
    id_table: Vec<Id>,
    kinds: Vec<NodeKind>,
}

impl<'d> Builder<'d> {
    fn add(
        &mut self,
        element: Element<'d>,
        parent: Option<NodeIndex>,
        slot: Option<(Field, usize)>,
    ) -> NodeIndex {
        let slot = slot.map(|(f, i)| (f, u32::try_from(i).unwrap_or(u32::MAX)));
        let index = self.g.add_node(Node {
            element,
            parent,
            slot,
        });
        if let Some(p) = parent {
            let kind = match (element, self.g[p].element) {
                (Element::Action(_), Element::Action(_)) => EdgeKind::Refines,
                _ => EdgeKind::Contains,
            };
            self.g.add_edge(p, index, kind);
        }
        self.id_table.push(element.id_ref().clone());
        if let Some(first) = self.ids.insert(index, &self.id_table) {
            self.duplicates.push((first, index));
        }
        self.by_kind[element.kind().index()].push(index);
        self.kinds.push(element.kind());
        // a leaf until `close` says otherwise
        self.subtree_end
            .push(u32::try_from(index.index() + 1).unwrap_or(u32::MAX));
        index
    }

    /// Records that everything nested in `n` has been added.
    fn close(&mut self, n: NodeIndex) {
        if let Some(end) = self.subtree_end.get_mut(n.index()) {
            *end = u32::try_from(self.g.node_count()).unwrap_or(u32::MAX);
        }
    }

    fn actions(&mut self, actions: &'d [LineOfAction], parent: NodeIndex, _edge: EdgeKind) {
        for (i, a) in actions.iter().enumerate() {
            let n = self.add(Element::Action(a), Some(parent), Some((Field::Actions, i)));
            self.actions(&a.actions, n, EdgeKind::Refines);
            self.close(n);
        }
    }

    fn activity(&mut self, a: &'d Activity, parent: NodeIndex, i: usize) {
        let n = self.add(
            Element::Activity(a),
            Some(parent),
            Some((Field::Activities, i)),
        );
        for (j, d) in a.deliverables.iter().enumerate() {
            self.add(
                Element::Deliverable(d),
                Some(n),
                Some((Field::Deliverables, j)),
            );
        }
        for (j, m) in a.milestones.iter().enumerate() {
            self.add(Element::Milestone(m), Some(n), Some((Field::Milestones, j)));
        }
        for (j, c) in a.activities.iter().enumerate() {
            self.activity(c, n, j);
        }
        self.close(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, parse_str};

    const DOC: &str = r#"
format: policygraph/v1
programme: {id: p, title: P, period: "2023-2025"}
priorities:
  - id: P1
    title: One
    actions:
      - id: L1
        title: Line
        actions: [{id: L1.1, title: Sub}]
activities:
  - id: A1
    title: Act
    addresses: [L1.1, nope]
    activities: [{id: A1.1, title: Topic, deliverables: [{id: D1, title: Paper, counts_toward: [I1]}]}]
indicators: [{id: I1, label: Papers, measures: OC1}]
outcomes: [{id: OC1, title: Better, horizon: immediate}]
"#;

    /// Every element nested below another (not at the top of the document) sits in one of
    /// the lists its parent's `nested_lists` names: the diff leaves those out of the
    /// parent's own fields by that list.
    #[test]
    fn nested_lists_name_every_list_the_walk_takes() {
        let text = r#"
format: policygraph/v1
programme: {id: p, title: P, focus: [{id: F1, title: Focus}]}
priorities:
  - {id: P1, title: One, actions: [{id: L1, title: Line, actions: [{id: L1.1, title: Sub}]}]}
activities:
  - id: A1
    title: Act
    activities: [{id: A1.1, title: Topic}]
    deliverables: [{id: D1, title: Paper}]
    milestones: [{id: M1, title: Done}]
"#;
        let doc = parse_str(text, Format::Yaml).unwrap();
        let g = Graph::build(&doc);
        let mut seen = std::collections::HashSet::new();
        for n in g.g.node_indices() {
            let node = &g.g[n];
            let (Some(parent), Some((field, _))) = (node.parent, node.slot) else {
                continue;
            };
            let parent_element = g.g[parent].element;
            if matches!(parent_element, Element::Programme(_)) && field != Field::Focus {
                continue;
            }
            assert!(
                parent_element.nested_lists().contains(&field),
                "{} holds {} in `{}`",
                parent_element.id(),
                node.element.id(),
                field.as_str()
            );
            seen.insert(field.as_str());
        }
        for f in [
            "focus",
            "actions",
            "activities",
            "deliverables",
            "milestones",
        ] {
            assert!(seen.contains(f), "no element nested in `{f}`");
        }
    }

    /// On a programme large enough to resolve on two threads, the edges and the
    /// unresolved references are those one thread gives, in the same order.
    #[test]
    fn resolving_on_two_threads_equals_one() {
        let mut doc = crate::generate::generate(crate::parallel::FROM + 5_000, 3);
        // unresolved references in both halves
        let last = doc.activities.len() - 1;
        doc.activities[1]
            .addresses
            .push(Id::new("nowhere").unwrap());
        doc.activities[last].funding.push(Id::new("P1").unwrap());
        let g = Graph::build(&doc);
        assert!(g.node_count() >= crate::parallel::FROM);
        let one = g.resolve(0..g.bound);
        // as `link` adds them: a partner link is dropped when any edge joins the two
        let mut joined: std::collections::HashSet<(NodeIndex, NodeIndex)> =
            g.g.edge_references()
                .filter(|e| e.weight().is_hierarchy())
                .map(|e| (e.source(), e.target()))
                .collect();
        let mut expected = Vec::new();
        for (a, b, kind) in one.edges {
            if kind == EdgeKind::PartnersWith && joined.contains(&(a, b)) {
                continue;
            }
            joined.insert((a, b));
            expected.push((a, b, kind));
        }
        let links: Vec<(NodeIndex, NodeIndex, EdgeKind)> =
            g.g.edge_references()
                .filter(|e| !e.weight().is_hierarchy())
                .map(|e| (e.source(), e.target(), *e.weight()))
                .collect();
        assert_eq!(links.len(), expected.len());
        let first_difference = links.iter().zip(&expected).position(|(x, y)| x != y);
        assert_eq!(first_difference, None);
        let bad = |b: &[BadReference<'_>]| -> Vec<(NodeIndex, String, String)> {
            b.iter()
                .map(|b| (b.from, b.path.clone(), b.target.to_owned()))
                .collect()
        };
        assert_eq!(bad(&g.bad_references), bad(&one.bad));
        assert_eq!(g.bad_references.len(), 2);
    }

    /// The id index finds every id, the first of a duplicated id, nothing for an unknown
    /// one, also when it grows past the capacity it was made with (rehashing by the ids
    /// in the table).
    #[test]
    fn id_index_finds_first_of_each_id_and_grows() {
        let ids: Vec<Id> = (0..5_000)
            .map(|i| Id::new(&format!("A{}", i % 4_000)).unwrap())
            .collect();
        let mut index = IdIndex::with_capacity(0);
        let mut duplicates = Vec::new();
        for i in 0..ids.len() {
            if let Some(first) = index.insert(NodeIndex::new(i), &ids) {
                duplicates.push((first.index(), i));
            }
        }
        assert_eq!(duplicates.len(), 1_000);
        assert!(duplicates.iter().all(|&(first, dup)| first + 4_000 == dup));
        for (i, id) in ids.iter().enumerate().take(4_000) {
            assert_eq!(index.get(id.as_str(), &ids), Some(NodeIndex::new(i)));
        }
        assert_eq!(index.get("A4000", &ids), None);
        assert_eq!(index.get("", &ids), None);
    }

    #[test]
    fn builds_nodes_edges_and_pointers() {
        let doc = parse_str(DOC, Format::Yaml).unwrap();
        let g = Graph::build(&doc);
        assert_eq!(g.node_count(), 9);
        let d1 = g.node("D1").unwrap();
        assert_eq!(d1.kind(), NodeKind::Deliverable);
        assert_eq!(d1.pointer(), "/activities/0/activities/0/deliverables/0");
        assert_eq!(
            g.node("L1.1").unwrap().pointer(),
            "/priorities/0/actions/0/actions/0"
        );
        assert_eq!(g.root().pointer(), "/programme");
        let ancestors: Vec<&str> = g.ancestors("D1", None).iter().map(|n| n.id()).collect();
        assert_eq!(ancestors, ["A1.1", "A1", "p"]);
        assert_eq!(g.ancestors("D1", Some(NodeKind::Activity)).len(), 2);
        let desc: Vec<&str> = g.descendants("A1", None).iter().map(|n| n.id()).collect();
        assert_eq!(desc, ["A1.1", "D1"]);
        assert_eq!(g.children("L1", Some(NodeKind::Action)).len(), 1);
        assert_eq!(g.parents("L1.1", None)[0].id(), "L1");
        let addressed: Vec<&str> = g
            .node("A1")
            .unwrap()
            .outgoing(EdgeKind::Addresses)
            .map(|n| n.id())
            .collect();
        assert_eq!(addressed, ["L1.1"]);
        assert_eq!(
            g.node("I1")
                .unwrap()
                .incoming(EdgeKind::CountsToward)
                .count(),
            1
        );
        assert_eq!(g.bad_references.len(), 1);
        assert_eq!(g.bad_references[0].target, "nope");
        assert_eq!(g.nodes_of_kind(NodeKind::Activity).count(), 2);
    }

    #[test]
    fn kinds_parse_from_names_people_write() {
        assert_eq!(NodeKind::parse("activity"), Some(NodeKind::Activity));
        assert_eq!(NodeKind::parse("activities"), Some(NodeKind::Activity));
        assert_eq!(
            NodeKind::parse("funding-source"),
            Some(NodeKind::FundingSource)
        );
        assert_eq!(NodeKind::parse("line of action"), Some(NodeKind::Action));
        assert_eq!(NodeKind::parse("indicators"), Some(NodeKind::Indicator));
        assert_eq!(NodeKind::parse("bogus"), None);
    }
}
