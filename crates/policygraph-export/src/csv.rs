//! One CSV table per element kind plus the link table.

use policygraph::Graph;

use crate::ExportFile;

/// The CSV tables of a programme.
pub fn tables(_graph: &Graph<'_>) -> Vec<ExportFile> {
    Vec::new()
}
