//! What the fuzz targets share: reading a programme from fuzzed bytes.

use policygraph::{Format, Limits, Programme};

/// The command line's human rendering of findings (miette-style), compiled in here so
/// that the fuzz targets render findings exactly as `policygraph check` does.
#[path = "../../crates/policygraph-cli/src/render.rs"]
#[allow(dead_code, clippy::all)]
pub mod render;

/// How the command line renders for people: plain (a pipe), or in colour with the
/// terminal filter applied to what it writes (a terminal).
pub fn style(colour: bool) -> render::Style {
    render::Style {
        colour,
        width: colour.then_some(80),
        screen: render::SCREEN_LINES,
    }
}

/// The text a terminal gets of a rendering: the command line's output filter applied.
pub fn on_terminal(text: &str) -> String {
    render::terminal_safe(text).into_owned()
}

/// Small limits, so that a run explores documents instead of big allocations.
pub fn limits() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        ..Limits::default()
    }
}

/// The format chosen by a fuzzed byte.
pub fn format_of(b: u8) -> Format {
    match b % 3 {
        0 => Format::Yaml,
        1 => Format::Json,
        _ => Format::Toml,
    }
}

/// A programme from bytes in a format (any failure is a located error, never a panic).
pub fn programme(data: &[u8], format: Format) -> Option<Programme> {
    Programme::from_bytes(data.to_vec(), format, Some("fuzz".to_owned()), &limits()).ok()
}
