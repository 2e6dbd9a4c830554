//! Diagnostics as plain text, one line each, as linters write them
//! (`file:line:col: severity CODE/name message`), with the help on the line after.

use std::fmt::Write as _;

use policygraph::Diagnostic;

/// One diagnostic: `file:line:col: severity CODE/name message (at `pointer`)`, then
/// `  help: …` when it has help. Without a location, the place is the pointer alone.
pub fn concise(d: &Diagnostic) -> String {
    let mut out = String::new();
    if let Some(l) = &d.location {
        let _ = write!(out, "{l}: ");
    }
    let _ = write!(out, "{} {}/{} {}", d.severity, d.code, d.name, d.message);
    if !d.pointer.is_empty() {
        let _ = write!(out, " (at `{}`)", d.pointer);
    }
    if let Some(help) = &d.help {
        let _ = write!(out, "\n  help: {help}");
    }
    out
}

/// Why a document could not be read: a line naming it and the number of problems, then
/// each problem.
pub fn load_failure(name: Option<&str>, diagnostics: &[Diagnostic]) -> String {
    let what = match name {
        Some(name) => format!("`{name}`"),
        None => "the document".to_owned(),
    };
    let n = diagnostics.len();
    let mut out = format!(
        "{what} could not be read ({n} {})",
        if n == 1 { "problem" } else { "problems" }
    );
    for d in diagnostics {
        out.push('\n');
        out.push_str(&concise(d));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use policygraph::{Format, Limits, Programme};

    #[test]
    fn every_problem_is_one_line_with_its_help() {
        let text = "format: policygraph/v1\nprogramme:\n  id: p\n  titel: x\n";
        let e = Programme::from_text(
            text.into(),
            Format::Yaml,
            Some("p.yaml".into()),
            &Limits::default(),
        )
        .unwrap_err();
        let shown = load_failure(Some("p.yaml"), &e.diagnostics);
        assert!(shown.starts_with("`p.yaml` could not be read ("), "{shown}");
        assert!(
            shown.contains("p.yaml:4:3: error PG002/unknown-field unknown field `titel`"),
            "{shown}"
        );
        assert!(shown.contains("\n  help: did you mean `title`?"), "{shown}");
    }
}
