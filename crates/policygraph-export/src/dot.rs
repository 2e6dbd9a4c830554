//! The results chain as a Graphviz DOT digraph.

use crate::chain::ResultsChain;

/// Renders the results chain as DOT.
pub fn render(_chain: &ResultsChain) -> String {
    todo_owned("dot")
}

fn todo_owned(what: &str) -> String {
    format!("{what} export is being written")
}
