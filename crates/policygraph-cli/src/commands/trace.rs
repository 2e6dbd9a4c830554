//! `policygraph trace FILE ID` and `policygraph impact FILE ID`.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use policygraph::model::DependencyType;
use policygraph::trace::{ElementInfo, TraceStep};
use policygraph::{Graph, Impact, Limits, Trace, impact, trace};
use serde::Serialize;

use crate::args::TextOrJson;
use crate::exit::{Failure, Outcome, print};
use crate::render::{Style, clip};

const TITLE_WIDTH: usize = 70;

pub fn run_trace(
    file: &Path,
    id: &str,
    format: TextOrJson,
    limits: &Limits,
    style: &Style,
) -> Outcome {
    let loaded = super::load(file, limits, style)?;
    let graph = Graph::build(&loaded.document);
    let t = trace(&graph, id).map_err(|e| Failure::new(e.to_string()))?;
    print(&match format {
        TextOrJson::Json => json(&t),
        TextOrJson::Human => trace_text(&t, style),
    })
}

pub fn run_impact(
    file: &Path,
    id: &str,
    format: TextOrJson,
    limits: &Limits,
    style: &Style,
) -> Outcome {
    let loaded = super::load(file, limits, style)?;
    let graph = Graph::build(&loaded.document);
    let i = impact(&graph, id).map_err(|e| Failure::new(e.to_string()))?;
    print(&match format {
        TextOrJson::Json => json(&i),
        TextOrJson::Human => impact_text(&i, style),
    })
}

fn json<T: Serialize>(value: &T) -> String {
    let mut t = serde_json::to_string_pretty(value).unwrap_or_default();
    t.push('\n');
    t
}

/// `activity `A1` Expert group on …`
fn element(e: &ElementInfo, style: &Style) -> String {
    format!(
        "{} {} {}",
        e.kind.noun(),
        style.bold(&format!("`{}`", e.id)),
        clip(&e.title, TITLE_WIDTH)
    )
}

/// A serialized name in words: `counts_toward` → `counts toward`.
fn words<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        _ => String::new(),
    }
}

fn trace_text(t: &Trace, style: &Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", element(&t.element, style));
    let _ = writeln!(out, "  at `{}`", t.element.pointer);
    for (title, steps) in [
        ("upstream, to the priorities", &t.upstream),
        ("downstream, to results", &t.downstream),
    ] {
        let _ = writeln!(out, "\n{}", style.bold(title));
        if steps.is_empty() {
            let _ = writeln!(out, "  nothing");
        } else {
            tree(&mut out, &t.element.id, steps, style);
        }
    }
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let _ = writeln!(out, "\n{}", style.bold("links"));
    if t.links.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for l in &t.links {
        // the type of a timing dependency, when not the default
        let kind = match l.dependency {
            Some(DependencyType::FinishToStart | DependencyType::Informs) | None => None,
            Some(kind) => Some(kind.as_str().replace('_', " ")),
        };
        let via = match kind {
            Some(kind) => format!("{} ({kind})", words(&l.via)),
            None => words(&l.via),
        };
        let _ = writeln!(out, "  {via}: {}", element(&l.element, style));
    }
    let _ = writeln!(out, "\npriorities: {}", list(&t.priorities));
    let _ = writeln!(out, "outcomes: {}", list(&t.outcomes));
    let _ = writeln!(out, "indicators: {}", list(&t.indicators));
    out
}

/// The steps of a breadth-first walk drawn as the tree they form: each step hangs
/// under the element it was reached from.
fn tree(out: &mut String, root: &str, steps: &[TraceStep], style: &Style) {
    let mut children: HashMap<&str, Vec<&TraceStep>> = HashMap::new();
    for s in steps {
        children.entry(s.from.as_str()).or_default().push(s);
    }
    // (step, prefix for its line, prefix for its children)
    let mut stack: Vec<(&TraceStep, String, String)> = Vec::new();
    push_children(&mut stack, &children, root, "  ");
    while let Some((step, line_prefix, child_prefix)) = stack.pop() {
        let _ = writeln!(
            out,
            "{line_prefix}{} {}",
            style.dim(&words(&step.via)),
            element(&step.element, style)
        );
        push_children(&mut stack, &children, &step.element.id, &child_prefix);
    }
}

type Pending<'s> = Vec<(&'s TraceStep, String, String)>;

fn push_children<'s>(
    stack: &mut Pending<'s>,
    children: &HashMap<&str, Vec<&'s TraceStep>>,
    id: &str,
    prefix: &str,
) {
    if let Some(kids) = children.get(id) {
        for (i, k) in kids.iter().enumerate().rev() {
            let last = i + 1 == kids.len();
            let (branch, rest) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            stack.push((k, format!("{prefix}{branch}"), format!("{prefix}{rest}")));
        }
    }
}

fn impact_text(i: &Impact, style: &Style) -> String {
    let mut out = String::new();
    match &i.element {
        Some(e) => {
            let _ = writeln!(out, "dropping {}", element(e, style));
        }
        None => {
            let _ = writeln!(out, "dropping nothing");
        }
    }
    let mut said = false;
    let mut list = |out: &mut String, heading: String, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        said = true;
        let _ = writeln!(out, "\n{}", style.bold(&heading));
        for it in items {
            let _ = writeln!(out, "  {it}");
        }
    };
    let elements = |v: &[ElementInfo]| v.iter().map(|e| element(e, style)).collect::<Vec<_>>();
    // `removed` holds the element itself too
    let nested: Vec<ElementInfo> = i
        .removed
        .iter()
        .filter(|r| i.element.as_ref().is_none_or(|e| e.pointer != r.pointer))
        .cloned()
        .collect();
    list(
        &mut out,
        format!(
            "would drop with it {}",
            crate::render::count(nested.len(), "nested element", "nested elements")
        ),
        elements(&nested),
    );
    list(
        &mut out,
        format!(
            "would leave {} uncovered",
            crate::render::count(i.uncovered_lines.len(), "line of action", "lines of action")
        ),
        elements(&i.uncovered_lines),
    );
    list(
        &mut out,
        format!(
            "would leave {} with nothing counting toward it",
            crate::render::count(
                i.indicators_without_contributors.len(),
                "indicator",
                "indicators"
            )
        ),
        elements(&i.indicators_without_contributors),
    );
    list(
        &mut out,
        format!(
            "would leave {} that nothing links to",
            crate::render::count(i.orphaned.len(), "element", "elements")
        ),
        elements(&i.orphaned),
    );
    list(
        &mut out,
        format!(
            "would break {}",
            crate::render::count(i.broken_references.len(), "reference", "references")
        ),
        i.broken_references
            .iter()
            .map(|b| {
                format!(
                    "{} `{}` {} `{}` (at `{}`)",
                    b.from.kind.noun(),
                    b.from.id,
                    words(&b.via),
                    b.target,
                    b.from.pointer
                )
            })
            .collect(),
    );
    if !said {
        let _ = writeln!(
            out,
            "\nnothing else would be left uncovered, unplanned or orphaned, and no reference would break"
        );
    }
    out
}
