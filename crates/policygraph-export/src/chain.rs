//! The results chain: the part of the graph a diagram shows.
//!
//! Priorities are pursued through lines of action, which activities address; activities
//! produce deliverables, which produce outputs and count toward indicators; outputs and
//! indicators lead to outcomes. [`ResultsChain::of`] picks those elements and links, in
//! document order, and gives each element a [`Layer`] (a column of the diagram, left to
//! right). Renderers (DOT, Mermaid, SVG) draw it; none of them decides what is in it.

use policygraph::{EdgeKind, Graph, NodeKind};

/// A column of the results-chain diagram, left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// Strategic priorities.
    Priority = 0,
    /// Lines of action and sub-lines.
    Action = 1,
    /// Activities, topics and sub-activities.
    Activity = 2,
    /// Deliverables.
    Deliverable = 3,
    /// Outputs and indicators.
    Result = 4,
    /// Outcomes.
    Outcome = 5,
}

impl Layer {
    /// Every layer, left to right.
    pub const ALL: [Layer; 6] = [
        Layer::Priority,
        Layer::Action,
        Layer::Activity,
        Layer::Deliverable,
        Layer::Result,
        Layer::Outcome,
    ];

    /// The layer's heading in a diagram.
    pub fn heading(self) -> &'static str {
        match self {
            Layer::Priority => "Priorities",
            Layer::Action => "Lines of action",
            Layer::Activity => "Activities",
            Layer::Deliverable => "Deliverables",
            Layer::Result => "Outputs and indicators",
            Layer::Outcome => "Outcomes",
        }
    }

    /// The layer of an element kind, `None` for kinds outside the chain.
    pub fn of(kind: NodeKind) -> Option<Layer> {
        Some(match kind {
            NodeKind::Priority => Layer::Priority,
            NodeKind::Action => Layer::Action,
            NodeKind::Activity => Layer::Activity,
            NodeKind::Deliverable => Layer::Deliverable,
            NodeKind::Output | NodeKind::Indicator => Layer::Result,
            NodeKind::Outcome => Layer::Outcome,
            _ => return None,
        })
    }

    /// The column number, 0 for the leftmost.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One element of the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainNode {
    /// The element's id (as written in the document: escape it before use).
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its title or label (as written: escape it before use).
    pub title: String,
    /// Its column.
    pub layer: Layer,
    /// Whether it is cancelled ([`policygraph::NodeRef::is_cancelled`]): drawn struck through.
    pub cancelled: bool,
}

/// One link of the chain, between two elements of [`ResultsChain::nodes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainEdge {
    /// Index in [`ResultsChain::nodes`] of the element the link starts from.
    pub from: usize,
    /// Index in [`ResultsChain::nodes`] of the element it points to.
    pub to: usize,
    /// What the link means.
    pub kind: EdgeKind,
}

/// The elements and links of the results chain, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResultsChain {
    /// The elements, grouped by kind in the graph's kind order, in document order within a
    /// kind.
    pub nodes: Vec<ChainNode>,
    /// The links, each once, in the order the graph holds them.
    pub edges: Vec<ChainEdge>,
}

/// The links the chain shows.
const CHAIN_EDGES: [EdgeKind; 7] = [
    EdgeKind::Contains,
    EdgeKind::Refines,
    EdgeKind::Addresses,
    EdgeKind::Produces,
    EdgeKind::CountsToward,
    EdgeKind::Measures,
    EdgeKind::ContributesTo,
];

impl ResultsChain {
    /// The results chain of a programme.
    pub fn of(graph: &Graph<'_>) -> ResultsChain {
        let mut nodes = Vec::new();
        let mut index = std::collections::HashMap::new();
        for node in graph.nodes() {
            if let Some(layer) = Layer::of(node.kind()) {
                index.insert(node.id(), nodes.len());
                nodes.push(ChainNode {
                    id: node.id().to_owned(),
                    kind: node.kind(),
                    title: node.title().to_owned(),
                    layer,
                    cancelled: node.is_cancelled(),
                });
            }
        }
        let mut edges = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (source, kind, target) in graph.edges() {
            if !CHAIN_EDGES.contains(&kind) {
                continue;
            }
            let (Some(&from), Some(&to)) = (index.get(source.id()), index.get(target.id())) else {
                continue;
            };
            if seen.insert((from, to, kind)) {
                edges.push(ChainEdge { from, to, kind });
            }
        }
        ResultsChain { nodes, edges }
    }

    /// The elements of one layer, in order, with their indices in [`ResultsChain::nodes`].
    pub fn layer(&self, layer: Layer) -> impl Iterator<Item = (usize, &ChainNode)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.layer == layer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_of_a_small_programme() {
        let doc = policygraph::parse_str(
            "format: policygraph/v1\nprogramme: {id: p, title: P, period: 2023-2025}\n\
             priorities:\n  - {id: P1, title: One, actions: [{id: L1, title: Line}]}\n\
             activities:\n  - {id: A1, title: Act, addresses: [L1], funding: [F], timeframe: 2023,\n     \
             deliverables: [{id: D1, title: Del, kind: report, counts_toward: [I1]}]}\n\
             outcomes: [{id: OC1, title: Better, horizon: immediate}]\n\
             indicators: [{id: I1, label: Count, unit: count, target: 1, measures: OC1}]\n\
             funding_sources: [{id: F, title: Fund}]\n",
            policygraph::Format::Yaml,
        )
        .expect("valid");
        let graph = Graph::build(&doc);
        let chain = ResultsChain::of(&graph);
        let ids: Vec<&str> = chain.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["P1", "L1", "A1", "D1", "OC1", "I1"]);
        let links: Vec<(&str, EdgeKind, &str)> = chain
            .edges
            .iter()
            .map(|e| (ids[e.from], e.kind, ids[e.to]))
            .collect();
        assert!(links.contains(&("P1", EdgeKind::Contains, "L1")));
        assert!(links.contains(&("A1", EdgeKind::Addresses, "L1")));
        assert!(links.contains(&("A1", EdgeKind::Contains, "D1")));
        assert!(links.contains(&("D1", EdgeKind::CountsToward, "I1")));
        assert!(links.contains(&("I1", EdgeKind::Measures, "OC1")));
        // the funding source is not part of the chain
        assert!(!ids.contains(&"F"));
        assert_eq!(chain.layer(Layer::Result).count(), 1);
    }
}
