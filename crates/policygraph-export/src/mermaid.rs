//! The results chain as a Mermaid flowchart.
//!
//! `flowchart LR` with one subgraph per [`Layer`]. Node ids are generated from positions
//! in the chain (`n0`, `n1`, …), never taken from the document; ids and titles appear
//! only inside quoted labels (`n0["P1: title"]`), written by [`escape::mermaid_text`]
//! with entity codes for every character Mermaid or HTML gives a meaning, so a title
//! cannot close its label, start a statement (`click`), carry a `%%{init}%%` directive
//! or inject HTML. Links are styled per kind (`-->` for nesting, `==>` for what an
//! activity addresses, `-.->` for results), each kind has a `classDef`.

use std::fmt::Write;

use policygraph::{EdgeKind, NodeKind};

use crate::chain::{Layer, ResultsChain};
use crate::escape;

/// The kinds of the chain, with their class name and colours, in the order the
/// `classDef` lines are written.
const CLASSES: [(NodeKind, &str); 7] = [
    (
        NodeKind::Priority,
        "fill:#c6dbef,stroke:#4a7fb5,color:#000000",
    ),
    (
        NodeKind::Action,
        "fill:#deebf7,stroke:#4a7fb5,color:#000000",
    ),
    (
        NodeKind::Activity,
        "fill:#fdd0a2,stroke:#d94801,color:#000000",
    ),
    (
        NodeKind::Deliverable,
        "fill:#fee6ce,stroke:#d94801,color:#000000",
    ),
    (
        NodeKind::Output,
        "fill:#c7e9c0,stroke:#238b45,color:#000000",
    ),
    (
        NodeKind::Indicator,
        "fill:#e5f5e0,stroke:#238b45,color:#000000",
    ),
    (
        NodeKind::Outcome,
        "fill:#dadaeb,stroke:#6a51a3,color:#000000",
    ),
];

/// Renders the results chain as Mermaid.
pub fn render(chain: &ResultsChain) -> String {
    let mut out = String::new();
    out.push_str(
        "%% The results chain of a policygraph programme. Columns, left to right:\n\
         %% priorities, lines of action, activities, deliverables, outputs and indicators,\n\
         %% outcomes. Node ids (n0, n1, ...) are positions in the chain; each label starts\n\
         %% with the element's id.\n",
    );
    out.push_str("flowchart LR\n");
    for layer in Layer::ALL {
        let mut members = chain.layer(layer).peekable();
        if members.peek().is_none() {
            continue;
        }
        let _ = writeln!(
            out,
            "  subgraph layer{}[\"{}\"]",
            layer.index(),
            escape::mermaid_text(layer.heading())
        );
        out.push_str("    direction TB\n");
        for (i, node) in members {
            let _ = writeln!(
                out,
                "    n{i}[\"{}: {}\"]",
                escape::mermaid_text(&node.id),
                escape::mermaid_text(&node.title)
            );
        }
        out.push_str("  end\n");
    }
    for edge in &chain.edges {
        let _ = writeln!(out, "  n{} {} n{}", edge.from, arrow(edge.kind), edge.to);
    }
    for (kind, style) in CLASSES {
        let members: Vec<String> = chain
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == kind)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        let _ = writeln!(out, "  classDef {} {style}", kind.as_str());
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {}", members.join(","), kind.as_str());
        }
    }
    // link colours, one line per kind present (links are numbered in the order written)
    let mut kinds: Vec<EdgeKind> = Vec::new();
    for edge in &chain.edges {
        if !kinds.contains(&edge.kind) {
            kinds.push(edge.kind);
        }
    }
    kinds.sort();
    for kind in kinds {
        let positions: Vec<String> = chain
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == kind)
            .map(|(i, _)| i.to_string())
            .collect();
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{}",
            positions.join(","),
            link_colour(kind)
        );
    }
    out
}

/// The arrow of a link kind, with its meaning as the link's text.
fn arrow(kind: EdgeKind) -> String {
    let text = kind.as_str().replace('_', " ");
    match kind {
        EdgeKind::Contains => "-->".to_owned(),
        EdgeKind::Refines => format!("-->|{text}|"),
        EdgeKind::Addresses => format!("==>|{text}|"),
        _ => format!("-.->|{text}|"),
    }
}

/// The colour of a link kind.
fn link_colour(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Contains | EdgeKind::Refines => "#999999",
        EdgeKind::Addresses => "#d94801",
        EdgeKind::Produces | EdgeKind::ContributesTo => "#238b45",
        EdgeKind::CountsToward => "#2171b5",
        EdgeKind::Measures => "#6a51a3",
        _ => "#555555",
    }
}
