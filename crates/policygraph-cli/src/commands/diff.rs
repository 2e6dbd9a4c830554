//! `policygraph diff OLD NEW`: what changed between two versions of a programme.

use std::fmt::Write;
use std::path::Path;

use policygraph::coverage::TargetStatus;
use policygraph::diff::{
    Change, DiffElement, FieldCategory, FieldChange, IndicatorPlan, LinkChange, Place, Share,
};
use policygraph::model::Amount;
use policygraph::{Diff, Graph, Limits, NodeKind, diff};
use serde_json::Value;

use super::check::percent;
use crate::args::DiffFormat;
use crate::exit::{CLEAN, FINDINGS, Outcome, print};
use crate::output::table::Table;
use crate::render::{Style, clip, count};

/// How much of a title or value a line shows in the terminal.
const TITLE_WIDTH: usize = 70;
const VALUE_WIDTH: usize = 60;

pub fn run(old: &Path, new: &Path, format: DiffFormat, limits: &Limits, style: &Style) -> Outcome {
    if super::is_stdin(old) && super::is_stdin(new) {
        return Err(crate::exit::Failure::new(
            "standard input (`-`) can be read once: give one of the two versions as a file",
        ));
    }
    // the two versions are loaded and built on two threads; their texts are dropped
    // once parsed (a diff quotes no source line)
    let (before, after) = rayon::join(
        || super::load(old, limits, style).map(|l| l.document),
        || super::load(new, limits, style).map(|l| l.document),
    );
    let (before, after) = (before?, after?);
    crate::progress::stage("comparing");
    let (old_graph, new_graph) = rayon::join(|| Graph::build(&before), || Graph::build(&after));
    let d = diff(&old_graph, &new_graph);
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    let text = match format {
        DiffFormat::Json => {
            let mut t = serde_json::to_string_pretty(&d).unwrap_or_default();
            t.push('\n');
            t
        }
        DiffFormat::Human => human(&report(&d), &d, &old_name, &new_name, style),
        DiffFormat::Markdown => markdown(&report(&d), &d, &old_name, &new_name),
    };
    print(&text)?;
    Ok(if d.is_empty() { CLEAN } else { FINDINGS })
}

/// A piece of a line: rendered differently for the terminal and for Markdown.
enum Seg {
    /// Words of ours.
    Text(String),
    /// An element id.
    Id(String),
    /// A title from the document.
    Title(String),
    /// A field value from the document.
    Value(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Added,
    Removed,
    Changed,
}

struct Item {
    mark: Mark,
    segs: Vec<Seg>,
}

struct Section {
    title: &'static str,
    items: Vec<Item>,
}

fn text(s: impl Into<String>) -> Seg {
    Seg::Text(s.into())
}

fn id(s: impl Into<String>) -> Seg {
    Seg::Id(s.into())
}

fn title(s: impl Into<String>) -> Seg {
    Seg::Title(s.into())
}

/// Which section an element of this kind belongs to.
fn section_of(kind: NodeKind) -> usize {
    match kind {
        NodeKind::Programme => PROGRAMME,
        NodeKind::Priority | NodeKind::Action => PRIORITIES,
        NodeKind::Activity | NodeKind::Milestone => ACTIVITIES,
        NodeKind::Deliverable => DELIVERABLES,
        NodeKind::Indicator => TARGETS,
        NodeKind::FundingSource => FUNDING,
        NodeKind::Output | NodeKind::Outcome => RESULTS,
        NodeKind::Partner | NodeKind::Network | NodeKind::Theme | NodeKind::FocusPoint => PEOPLE,
        NodeKind::Evaluation | NodeKind::Review => EVALUATION,
    }
}

const PROGRAMME: usize = 0;
const PRIORITIES: usize = 1;
const ACTIVITIES: usize = 2;
const DELIVERABLES: usize = 3;
const TARGETS: usize = 4;
const FUNDING: usize = 5;
const RESULTS: usize = 6;
const PEOPLE: usize = 7;
const EVALUATION: usize = 8;
const COVERAGE: usize = 9;

const TITLES: [&str; 10] = [
    "programme",
    "priorities and lines of action",
    "activities",
    "deliverables",
    "targets and indicators",
    "funding",
    "outputs and outcomes",
    "partners, networks and themes",
    "evaluation",
    "coverage",
];

/// A JSON value as the document would show it.
fn value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "none".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let parts: Vec<String> = items.iter().map(|i| value(Some(i))).collect();
            format!("[{}]", parts.join(", "))
        }
        Some(other) => other.to_string(),
    }
}

fn place(p: &Place) -> Vec<Seg> {
    match (&p.parent, p.list.starts_with("evaluation/")) {
        (Some(parent), _) => vec![id(parent.clone())],
        (None, true) => vec![text(p.list.replace('/', " "))],
        (None, false) => vec![text("the top level")],
    }
}

fn element_item(mark: Mark, e: &DiffElement) -> Item {
    let mut segs = vec![
        text(if mark == Mark::Added {
            "added "
        } else {
            "removed "
        }),
        text(format!("{} ", e.kind.noun())),
        id(e.id.clone()),
        text(" "),
        title(e.title.clone()),
    ];
    if let Some(p) = &e.parent {
        segs.push(text(if mark == Mark::Added {
            " under "
        } else {
            " (was under "
        }));
        segs.push(id(p.clone()));
        if mark == Mark::Removed {
            segs.push(text(")"));
        }
    }
    Item { mark, segs }
}

fn field_item(element: &str, f: &FieldChange) -> Item {
    let mut segs = Vec::new();
    if !element.is_empty() {
        segs.push(id(element));
        segs.push(text(" "));
    }
    segs.push(text(format!("{}: ", f.path)));
    segs.push(Seg::Value(value(f.old.as_ref())));
    segs.push(text(" → "));
    segs.push(Seg::Value(value(f.new.as_ref())));
    Item {
        mark: Mark::Changed,
        segs,
    }
}

/// `+ P1.5, − P1.7`: the links one field of one element gained and lost.
fn links_item(source: &str, field: &str, links: &[&LinkChange]) -> Item {
    let mut segs = vec![id(source), text(format!(" {field}: "))];
    for (i, l) in links.iter().enumerate() {
        if i > 0 {
            segs.push(text(", "));
        }
        segs.push(text(if l.change == Change::Added {
            "+ "
        } else {
            "− "
        }));
        segs.push(id(l.target.clone()));
    }
    Item {
        mark: Mark::Changed,
        segs,
    }
}

/// The plan against a target, in a few words.
fn plan(p: &IndicatorPlan) -> String {
    match &p.status {
        TargetStatus::Met { surplus } if *surplus == Amount::ZERO => "met".to_owned(),
        TargetStatus::Met { surplus } => format!("met, {surplus} above"),
        TargetStatus::Short { by } => format!("short by {by}"),
        TargetStatus::OverLimit { by } => format!("over the limit by {by}"),
        TargetStatus::Unknown { reason, .. } => format!("unknown: {reason}"),
        TargetStatus::NotComparable { unit } => format!("not comparable ({unit})"),
        TargetStatus::NoContributors => "nothing counts toward it".to_owned(),
        TargetStatus::NoTarget => "no target".to_owned(),
        TargetStatus::ProgrammeWide => "measured across every activity".to_owned(),
    }
}

fn target(p: &IndicatorPlan) -> String {
    p.target
        .map_or_else(|| "none".to_owned(), |t| t.to_string())
}

fn share(s: &Share) -> String {
    if s.lines == 0 {
        // no share of nothing: say how the priority stands
        return if s.addressed_directly() {
            "no lines of action, addressed directly by activities".to_owned()
        } else {
            "no lines of action and no activity addressing it".to_owned()
        };
    }
    format!(
        "{} of {} lines covered ({})",
        s.covered_lines,
        s.lines,
        percent(s.share)
    )
}

/// Every change, grouped by what it is about.
fn report(d: &Diff) -> Vec<Section> {
    let mut sections: Vec<Section> = TITLES
        .iter()
        .map(|t| Section {
            title: t,
            items: Vec::new(),
        })
        .collect();
    let mut add = |s: usize, item: Item| sections[s].items.push(item);

    for f in &d.programme {
        add(PROGRAMME, field_item("", f));
    }
    for e in &d.added {
        if e.kind != NodeKind::Deliverable {
            add(section_of(e.kind), element_item(Mark::Added, e));
        }
    }
    for e in &d.removed {
        if e.kind != NodeKind::Deliverable {
            add(section_of(e.kind), element_item(Mark::Removed, e));
        }
    }
    for a in &d.deliverables {
        let mut segs = vec![id(a.activity.clone()), text(" deliverables: ")];
        let all = a
            .added
            .iter()
            .map(|e| (Change::Added, e))
            .chain(a.removed.iter().map(|e| (Change::Removed, e)));
        for (i, (change, e)) in all.enumerate() {
            if i > 0 {
                segs.push(text(", "));
            }
            segs.push(text(if change == Change::Added {
                "+ "
            } else {
                "− "
            }));
            segs.push(id(e.id.clone()));
            segs.push(text(" "));
            segs.push(title(e.title.clone()));
        }
        let mark = match (a.added.is_empty(), a.removed.is_empty()) {
            (false, true) => Mark::Added,
            (true, false) => Mark::Removed,
            _ => Mark::Changed,
        };
        add(DELIVERABLES, Item { mark, segs });
    }
    for r in &d.renamed {
        add(
            section_of(r.kind),
            Item {
                mark: Mark::Changed,
                segs: vec![
                    text(format!("{} ", r.kind.noun())),
                    id(r.id.clone()),
                    text(" renamed: "),
                    title(r.old.clone()),
                    text(" → "),
                    title(r.new.clone()),
                ],
            },
        );
    }
    for m in &d.moved {
        let mut segs = vec![
            text(format!("{} ", m.kind.noun())),
            id(m.id.clone()),
            text(" moved from "),
        ];
        segs.extend(place(&m.from));
        segs.push(text(" to "));
        segs.extend(place(&m.to));
        add(
            section_of(m.kind),
            Item {
                mark: Mark::Changed,
                segs,
            },
        );
    }
    for r in &d.reordered {
        // the list's section: that of its parent's children, by list name
        let s = match r.place.list.as_str() {
            "priorities" | "actions" => PRIORITIES,
            "activities" | "milestones" => ACTIVITIES,
            "deliverables" => DELIVERABLES,
            "indicators" => TARGETS,
            "funding_sources" => FUNDING,
            "outputs" | "outcomes" => RESULTS,
            "partners" | "networks" | "themes" | "focus" => PEOPLE,
            _ => EVALUATION,
        };
        let mut segs = vec![text(format!("{} ", r.place.list.replace('_', " ")))];
        if let Some(p) = &r.place.parent {
            segs.push(text("of "));
            segs.push(id(p.clone()));
            segs.push(text(" "));
        }
        segs.push(text("reordered: "));
        segs.push(Seg::Value(r.old.join(", ")));
        segs.push(text(" → "));
        segs.push(Seg::Value(r.new.join(", ")));
        add(
            s,
            Item {
                mark: Mark::Changed,
                segs,
            },
        );
    }
    for c in &d.changed {
        let mut shown_links: Vec<&str> = Vec::new();
        for f in &c.fields {
            let s = if f.category == FieldCategory::Funding {
                FUNDING
            } else {
                section_of(c.kind)
            };
            let links: Vec<&LinkChange> = d
                .links
                .iter()
                .filter(|l| l.source == c.id && l.field == f.path)
                .collect();
            if !links.is_empty() {
                if !shown_links.contains(&f.path.as_str()) {
                    shown_links.push(&f.path);
                    add(s, links_item(&c.id, &f.path, &links));
                }
                continue;
            }
            let covered = c.kind == NodeKind::Indicator
                && f.path == "target"
                && d.coverage.indicators.iter().any(|i| i.id == c.id);
            if !covered {
                add(s, field_item(&c.id, f));
            }
        }
    }
    for i in &d.coverage.indicators {
        let mut segs = vec![text("indicator "), id(i.id.clone())];
        let mark = match (&i.before, &i.after) {
            (Some(b), Some(a)) => {
                if b.target != a.target {
                    segs.push(text(format!(" target {} → {}", target(b), target(a))));
                }
                if b.status == a.status {
                    segs.push(text(format!(" (plan still {})", plan(a))));
                } else {
                    segs.push(text(format!(" (plan {} → now {})", plan(b), plan(a))));
                }
                Mark::Changed
            }
            (None, Some(a)) => {
                segs.push(text(format!(
                    " is new: target {}, plan {}",
                    target(a),
                    plan(a)
                )));
                Mark::Added
            }
            (Some(b), None) => {
                segs.push(text(format!(
                    " removed (target was {}, plan {})",
                    target(b),
                    plan(b)
                )));
                Mark::Removed
            }
            (None, None) => continue,
        };
        add(TARGETS, Item { mark, segs });
    }
    for l in &d.coverage.lines {
        let by = |segs: &mut Vec<Seg>| {
            for (n, a) in l.activities.iter().enumerate() {
                segs.push(text(if n == 0 { " by " } else { ", " }));
                segs.push(id(a.clone()));
            }
        };
        let mut segs = Vec::new();
        let mark = match (l.before, l.after) {
            (_, Some(true)) => {
                segs.push(text(if l.before.is_none() {
                    "new line "
                } else {
                    "line "
                }));
                segs.push(id(l.id.clone()));
                segs.push(text(if l.before.is_none() {
                    " covered"
                } else {
                    " now covered"
                }));
                by(&mut segs);
                Mark::Added
            }
            (Some(true), Some(false)) => {
                segs.extend([
                    text("line "),
                    id(l.id.clone()),
                    text(" no longer covered (was covered"),
                ]);
                by(&mut segs);
                segs.push(text(")"));
                Mark::Removed
            }
            (None, Some(false)) => {
                segs.extend([
                    text("new line "),
                    id(l.id.clone()),
                    text(" not covered by any activity"),
                ]);
                Mark::Removed
            }
            (Some(true), None) => {
                segs.extend([
                    text("line "),
                    id(l.id.clone()),
                    text(" removed (was covered"),
                ]);
                by(&mut segs);
                segs.push(text(")"));
                Mark::Removed
            }
            (Some(false), None) => {
                segs.extend([text("uncovered line "), id(l.id.clone()), text(" removed")]);
                Mark::Added
            }
            _ => continue,
        };
        add(COVERAGE, Item { mark, segs });
    }
    for p in &d.coverage.priorities {
        let mut segs = vec![text("priority "), id(p.id.clone())];
        let mark = match (&p.before, &p.after) {
            (Some(b), Some(a)) => {
                segs.push(text(format!(": {} → {}", share(b), share(a))));
                if a.share > b.share {
                    Mark::Added
                } else if a.share < b.share {
                    Mark::Removed
                } else {
                    Mark::Changed
                }
            }
            (None, Some(a)) => {
                segs.push(text(format!(" is new: {}", share(a))));
                Mark::Added
            }
            (Some(b), None) => {
                segs.push(text(format!(" removed (had {})", share(b))));
                Mark::Removed
            }
            (None, None) => continue,
        };
        add(COVERAGE, Item { mark, segs });
    }
    for t in &d.coverage.timeframes {
        let (words, mark) = match (t.before, t.after) {
            (Some(false), Some(true)) => (" now has a timeframe", Mark::Added),
            (Some(true), Some(false)) => (" no longer has a timeframe", Mark::Removed),
            (None, Some(false)) => (" is new and has no timeframe", Mark::Removed),
            (Some(false), None) => (", which had no timeframe, was removed", Mark::Added),
            _ => continue,
        };
        add(
            COVERAGE,
            Item {
                mark,
                segs: vec![text("activity "), id(t.id.clone()), text(words)],
            },
        );
    }
    sections
}

/// `1 added, 2 removed, 3 changed, 1 link added, 2 coverage changes`.
fn counts(d: &Diff) -> String {
    let s = &d.summary;
    let parts = [
        (
            s.programme,
            "programme field changed",
            "programme fields changed",
        ),
        (s.added, "element added", "elements added"),
        (s.removed, "element removed", "elements removed"),
        (s.renamed, "renamed", "renamed"),
        (s.moved, "moved", "moved"),
        (s.reordered, "list reordered", "lists reordered"),
        (s.changed, "element changed", "elements changed"),
        (s.links_added, "link added", "links added"),
        (s.links_removed, "link removed", "links removed"),
        (s.coverage, "coverage change", "coverage changes"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| count(*n, one, many))
        .collect();
    words.join(", ")
}

fn human(sections: &[Section], d: &Diff, old: &str, new: &str, style: &Style) -> String {
    if d.is_empty() {
        return format!(
            "{}: `{old}` and `{new}` hold the same programme\n",
            style.good("no differences")
        );
    }
    let mut out = String::new();
    let _ = writeln!(out, "{}", style.bold(&format!("{old} → {new}")));
    let _ = writeln!(out, "{}", counts(d));
    for s in sections.iter().filter(|s| !s.items.is_empty()) {
        let _ = writeln!(out, "\n{}", style.bold(s.title));
        for item in &s.items {
            let mark = match item.mark {
                Mark::Added => style.good("+"),
                Mark::Removed => style.error("-"),
                Mark::Changed => style.warning("~"),
            };
            let mut line = String::new();
            for seg in &item.segs {
                match seg {
                    Seg::Text(t) | Seg::Id(t) => line.push_str(t),
                    Seg::Title(t) => {
                        let _ = write!(line, "\"{}\"", printable(&clip(t, TITLE_WIDTH)));
                    }
                    Seg::Value(v) => line.push_str(&printable(&clip(v, VALUE_WIDTH))),
                }
            }
            let _ = writeln!(out, "  {mark} {line}");
        }
    }
    out
}

/// Text from a document without control characters (which could drive the terminal).
fn printable(t: &str) -> String {
    t.chars().filter(|c| !c.is_control()).collect()
}

/// Text from a document, safe in a Markdown paragraph, list item or table cell: the
/// Markdown exporter's escaper, the one escaper of document text for Markdown.
/// White space at either end (which joins segments) is kept as one space.
fn md_text(t: &str) -> String {
    let inner = policygraph_export::markdown::escape(t);
    let space = |yes: bool| if yes { " " } else { "" };
    if inner.is_empty() {
        return space(t.starts_with(char::is_whitespace)).to_owned();
    }
    format!(
        "{}{inner}{}",
        space(t.starts_with(char::is_whitespace)),
        space(t.ends_with(char::is_whitespace))
    )
}

/// A value in a code span, or escaped text if it holds a backtick.
fn md_code(t: &str) -> String {
    let flat = clip(t, usize::MAX);
    if flat.is_empty() || flat.contains('`') {
        md_text(&flat)
    } else {
        format!("`{flat}`")
    }
}

fn markdown(sections: &[Section], d: &Diff, old: &str, new: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Changes from {} to {}\n",
        md_code(old),
        md_code(new)
    );
    if d.is_empty() {
        let _ = writeln!(out, "No differences: both hold the same programme.");
        return out;
    }
    let _ = writeln!(out, "{}.", capitalise(&counts(d)));
    for s in sections.iter().filter(|s| !s.items.is_empty()) {
        let _ = writeln!(out, "\n### {}\n", capitalise(s.title));
        if s.title == TITLES[COVERAGE] && !d.coverage.priorities.is_empty() {
            let mut t = Table::new(&["priority", "title", "before", "after"]);
            for p in &d.coverage.priorities {
                let cell = |s: &Option<Share>| s.as_ref().map_or_else(|| "none".to_owned(), share);
                t.row(vec![
                    md_code(&p.id),
                    md_text(&p.title),
                    cell(&p.before),
                    cell(&p.after),
                ]);
            }
            out.push_str(&t.markdown());
            out.push('\n');
        }
        for item in &s.items {
            if s.title == TITLES[COVERAGE]
                && matches!(item.segs.first(), Some(Seg::Text(t)) if t == "priority ")
            {
                continue; // in the table above
            }
            let mark = match item.mark {
                Mark::Added => "**+**",
                Mark::Removed => "**−**",
                Mark::Changed => "**~**",
            };
            let mut line = String::new();
            for seg in &item.segs {
                match seg {
                    Seg::Text(t) => line.push_str(&md_text(t)),
                    Seg::Id(t) => {
                        let _ = write!(line, "`{t}`");
                    }
                    Seg::Title(t) => {
                        let _ = write!(line, "“{}”", md_text(&clip(t, usize::MAX)));
                    }
                    Seg::Value(v) => line.push_str(&md_code(v)),
                }
            }
            let _ = writeln!(out, "- {mark} {line}");
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
