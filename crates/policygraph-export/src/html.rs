//! The self-contained HTML report.

use crate::Input;

/// Renders the HTML report.
pub fn render(_input: &Input<'_, '_>) -> String {
    String::from("html export is being written")
}
