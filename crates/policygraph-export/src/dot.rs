//! The results chain as a Graphviz DOT digraph.
//!
//! Left to right, one cluster per [`Layer`] (its heading as the cluster's label, its
//! elements on one rank). Node ids are generated from positions in the chain (`n0`,
//! `n1`, …), never taken from the document; ids and titles appear only inside quoted
//! strings, escaped by [`escape::dot_text`], and labels are never HTML-like (`<…>`).
//! `dot -Tsvg chain.dot > chain.svg` draws it.

use std::fmt::Write;

use policygraph::{EdgeKind, NodeKind};

use crate::chain::{Layer, ResultsChain};
use crate::escape;

/// How wide a line of a node's label may grow before it wraps, in characters.
const WRAP: usize = 40;

/// Renders the results chain as DOT.
pub fn render(chain: &ResultsChain) -> String {
    let mut out = String::new();
    out.push_str(
        "// The results chain of a policygraph programme, for Graphviz (dot -Tsvg).\n\
         // Columns, left to right: priorities, lines of action, activities, deliverables,\n\
         // outputs and indicators, outcomes. Node ids (n0, n1, ...) are positions in the\n\
         // chain; each label starts with the element's id.\n",
    );
    out.push_str("digraph results_chain {\n");
    out.push_str(
        "  graph [rankdir=LR, newrank=true, nodesep=0.25, ranksep=1.0, fontname=\"Helvetica\"];\n",
    );
    out.push_str(
        "  node [shape=box, style=\"filled\", fontname=\"Helvetica\", fontsize=10, color=\"#555555\"];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];\n");
    for layer in Layer::ALL {
        let mut members = chain.layer(layer).peekable();
        if members.peek().is_none() {
            continue;
        }
        let _ = writeln!(out, "\n  subgraph cluster_{} {{", layer.index());
        let _ = writeln!(out, "    label=\"{}\";", escape::dot_text(layer.heading()));
        out.push_str("    rank=same;\n");
        out.push_str("    style=\"rounded,filled\";\n");
        out.push_str("    color=\"#cccccc\";\n");
        out.push_str("    fillcolor=\"#f8f8f8\";\n");
        for (i, node) in members {
            let (shape, fill) = node_style(node.kind);
            let _ = writeln!(
                out,
                "    n{i} [label=\"{}\\n{}\", tooltip=\"{} {}\", shape={shape}, fillcolor=\"{fill}\"];",
                escape::dot_text(&node.id),
                wrap(&node.title),
                escape::dot_text(node.kind.noun()),
                escape::dot_text(&node.id),
            );
        }
        out.push_str("  }\n");
    }
    if !chain.edges.is_empty() {
        out.push('\n');
    }
    for edge in &chain.edges {
        let _ = writeln!(
            out,
            "  n{} -> n{} [{}];",
            edge.from,
            edge.to,
            edge_style(edge.kind)
        );
    }
    out.push_str("}\n");
    out
}

/// The shape and fill colour of an element kind.
fn node_style(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Priority => ("box", "#c6dbef"),
        NodeKind::Action => ("box", "#deebf7"),
        NodeKind::Activity => ("box", "#fdd0a2"),
        NodeKind::Deliverable => ("note", "#fee6ce"),
        NodeKind::Output => ("component", "#c7e9c0"),
        NodeKind::Indicator => ("hexagon", "#e5f5e0"),
        NodeKind::Outcome => ("ellipse", "#dadaeb"),
        _ => ("box", "#ffffff"),
    }
}

/// The attributes of an edge kind: hierarchy grey and unlabelled, links styled and
/// labelled with what they mean.
fn edge_style(kind: EdgeKind) -> String {
    let (style, color) = match kind {
        EdgeKind::Contains => return "color=\"#999999\"".to_owned(),
        EdgeKind::Refines => return "color=\"#999999\", arrowhead=empty".to_owned(),
        EdgeKind::Addresses => ("bold", "#d94801"),
        EdgeKind::Produces => ("dashed", "#238b45"),
        EdgeKind::CountsToward => ("dashed", "#2171b5"),
        EdgeKind::Measures => ("dotted", "#6a51a3"),
        EdgeKind::ContributesTo => ("dotted", "#238b45"),
        _ => ("solid", "#555555"),
    };
    format!(
        "style={style}, color=\"{color}\", fontcolor=\"{color}\", label=\"{}\"",
        kind.as_str().replace('_', " ")
    )
}

/// A title escaped for a DOT string and wrapped at word boundaries with `\n` (the
/// escape is generated here, never taken from the title).
fn wrap(title: &str) -> String {
    let text = escape::one_line(title);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WRAP {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
        .iter()
        .map(|l| escape::dot_text(l))
        .collect::<Vec<_>>()
        .join("\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_on_words_and_stay_escaped() {
        assert_eq!(wrap("a \"b\" c"), "a \\\"b\\\" c");
        let long = "word ".repeat(20);
        let wrapped = wrap(&long);
        assert!(wrapped.split("\\n").all(|l| l.chars().count() <= WRAP));
        assert_eq!(wrap(""), "");
        assert_eq!(wrap("back\\slash\nn"), "back\\\\slash n");
    }
}
