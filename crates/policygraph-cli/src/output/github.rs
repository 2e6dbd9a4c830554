//! `validate --format github`: GitHub Actions workflow commands, one per finding, so
//! findings show as annotations on the pull request.
//!
//! `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=CODE name::message`, with
//! `%`, CR and LF escaped in the message, and `:` and `,` too in the properties.

use std::fmt::Write;

use policygraph::Severity;

use super::{Checked, Totals};
use crate::render::counts;

pub fn render(results: &[Checked]) -> String {
    let mut out = String::new();
    for r in results {
        for d in &r.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut props = vec![format!("file={}", property(&r.repo_path))];
            if let Some(l) = &d.location {
                props.push(format!("line={}", l.line));
                props.push(format!("col={}", l.column));
                if let (Some(lines), true) = (&r.lines, l.length > 0) {
                    let (line, column) = lines.line_column(l.offset.saturating_add(l.length));
                    props.push(format!("endLine={line}"));
                    props.push(format!("endColumn={column}"));
                }
            }
            props.push(format!(
                "title={}",
                property(&format!("{} {}", d.code, d.name))
            ));
            let mut message = d.message.clone();
            if !d.pointer.is_empty() {
                let _ = write!(message, " (at `{}`)", d.pointer);
            }
            if let Some(help) = &d.help {
                let _ = write!(message, "\nhelp: {help}");
            }
            let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
        }
    }
    let t = Totals::of(results);
    let _ = writeln!(
        out,
        "{} validated: {} ok, {} with findings, {} unreadable; {}",
        crate::render::count(t.files, "file", "files"),
        t.ok,
        t.findings,
        t.unreadable,
        counts(t.errors, t.warnings, t.infos)
    );
    out
}

/// Escapes a command's message.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_documents() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
