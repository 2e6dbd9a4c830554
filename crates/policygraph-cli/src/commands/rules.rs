//! `policygraph rules [CODE]`: the table of diagnostic codes, or one code explained.

use std::fmt::Write;

use policygraph::Code;

use crate::exit::{Failure, Outcome, print};
use crate::output::table::Table;

pub fn run(code: Option<&str>) -> Outcome {
    match code {
        None => print(&list()),
        Some(text) => {
            let code = policygraph::check::code_named(text).map_err(|e| Failure::new(e.message))?;
            print(&explain(code))
        }
    }
}

fn list() -> String {
    let mut out = String::new();
    for (heading, rules) in [
        ("problems reading a document", false),
        ("validation rules", true),
    ] {
        let mut t = Table::new(&["code", "name", "severity", "summary"]);
        for c in Code::ALL.iter().filter(|c| c.is_rule() == rules) {
            t.row(vec![
                c.as_str().to_owned(),
                c.name().to_owned(),
                c.default_severity().to_string(),
                c.summary().to_owned(),
            ]);
        }
        let _ = writeln!(out, "{heading}");
        out.push_str(&t.plain(2));
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "run `policygraph rules CODE` to explain one; switch a rule off with `--allow CODE`, or in a document's `settings.rules`"
    );
    out
}

fn explain(code: Code) -> String {
    let docs = code.docs();
    let mut out = String::new();
    let _ = writeln!(out, "{} {}: {}", code.as_str(), code.name(), code.summary());
    let _ = writeln!(out, "default severity: {}", code.default_severity());
    let _ = writeln!(out, "\nwhat it reports\n{}", indent(&wrap(docs.what, 84)));
    let _ = writeln!(out, "\nwhy it matters\n{}", indent(&wrap(docs.why, 84)));
    let _ = writeln!(out, "\nexample\n{}", indent(docs.example.trim_end()));
    if code.is_settable() {
        let _ = writeln!(
            out,
            "\nswitch it off with `--allow {c}` or `settings: {{rules: {{{c}: off}}}}`; re-level it with `--warn {c}` or `--deny {c}`",
            c = code.as_str()
        );
    }
    out
}

/// Prose wrapped at `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
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
    lines.join("\n")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
