//! The graph as JSON-LD.

use policygraph::Graph;

/// Renders the graph as JSON-LD.
pub fn render(_graph: &Graph<'_>) -> String {
    String::from("jsonld export is being written")
}
