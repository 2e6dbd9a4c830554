//! `validate --format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it.
//!
//! One run; the driver lists every diagnostic code as a rule (its summary, what it
//! checks, why and an example, its default level); each finding is a result located by
//! the file's path relative to the repository root, a line and a column (counted in
//! Unicode code points, as `columnKind` says), and logically by its JSON Pointer.

use serde_json::{Map, Value, json};

use policygraph::{Code, Diagnostic, Location, Severity};

use super::paths::uri;
use super::{Checked, LineIndex};

/// The schema a SARIF 2.1.0 log names.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The log as pretty-printed JSON with a final newline.
pub fn render(results: &[Checked]) -> String {
    let mut text = serde_json::to_string_pretty(&log(results)).unwrap_or_default();
    text.push('\n');
    text
}

/// The SARIF log of a batch.
pub fn log(results: &[Checked]) -> Value {
    let rules: Vec<Value> = Code::ALL.iter().map(|c| rule(*c)).collect();
    let findings: Vec<Value> = results
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(move |d| result(r, d)))
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "policygraph",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": findings,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(code: Code) -> Value {
    let docs = code.docs();
    let severity = code.default_severity();
    json!({
        "id": code.as_str(),
        "name": code.name(),
        "shortDescription": { "text": code.summary() },
        "fullDescription": { "text": docs.what },
        "help": {
            "text": format!("{}\n\nExample:\n{}", docs.why, docs.example),
            "markdown": format!("{}\n\nExample:\n\n```yaml\n{}```\n", docs.why, docs.example),
        },
        "defaultConfiguration": { "level": level(severity) },
        "properties": {
            "tags": ["policygraph", code.group()],
            "precision": "very-high",
            "problem.severity": match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "recommendation",
            },
        },
    })
}

fn rule_index(code: Code) -> usize {
    Code::ALL.iter().position(|c| *c == code).unwrap_or(0)
}

fn result(file: &Checked, d: &Diagnostic) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut out = Map::new();
    out.insert("ruleId".into(), d.code.as_str().into());
    out.insert("ruleIndex".into(), rule_index(d.code).into());
    out.insert("level".into(), level(d.severity).into());
    out.insert("message".into(), json!({ "text": text }));
    out.insert(
        "locations".into(),
        json!([location(file, d.location.as_ref(), &d.pointer)]),
    );
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut l = location(file, r.location.as_ref(), &r.pointer);
                if let Value::Object(m) = &mut l {
                    m.insert("id".into(), i.into());
                    m.insert("message".into(), json!({ "text": r.message }));
                }
                l
            })
            .collect();
        out.insert("relatedLocations".into(), related.into());
    }
    let mut properties = Map::new();
    properties.insert("name".into(), d.name.clone().into());
    properties.insert("pointer".into(), d.pointer.clone().into());
    if !d.elements.is_empty() {
        properties.insert("elements".into(), d.elements.clone().into());
    }
    out.insert("properties".into(), properties.into());
    Value::Object(out)
}

fn location(file: &Checked, at: Option<&Location>, pointer: &str) -> Value {
    let mut region = Map::new();
    match at {
        Some(l) => {
            region.insert("startLine".into(), l.line.into());
            region.insert("startColumn".into(), l.column.into());
            if let (Some(lines), true) = (&file.lines, l.length > 0) {
                let (line, column) = end(lines, l);
                region.insert("endLine".into(), line.into());
                region.insert("endColumn".into(), column.into());
            }
        }
        None => {
            // code scanning wants a line; the finding concerns the document as a whole
            region.insert("startLine".into(), 1.into());
        }
    }
    let mut l = Map::new();
    l.insert(
        "physicalLocation".into(),
        json!({
            "artifactLocation": { "uri": uri(&file.repo_path) },
            "region": region,
        }),
    );
    if !pointer.is_empty() {
        l.insert(
            "logicalLocations".into(),
            json!([{ "fullyQualifiedName": pointer, "kind": "value" }]),
        );
    }
    l.insert("properties".into(), json!({ "pointer": pointer }));
    Value::Object(l)
}

/// The line and column just past the end of a located span.
fn end(lines: &LineIndex, l: &Location) -> (usize, usize) {
    lines.line_column(l.offset.saturating_add(l.length))
}
