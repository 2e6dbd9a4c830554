//! The results chain as a Graphviz Mermaid flowchart.

use crate::chain::ResultsChain;

/// Renders the results chain as Mermaid.
pub fn render(_chain: &ResultsChain) -> String {
    todo_owned("mermaid")
}

fn todo_owned(what: &str) -> String {
    format!("{what} export is being written")
}
