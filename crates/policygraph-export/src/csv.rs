//! One CSV table per element kind plus the link table.
//!
//! Every table is UTF-8 without a byte-order mark, RFC 4180: a header row always, records
//! ended by `\r\n`, a field quoted when it holds a comma, a quote or a line break (its
//! quotes doubled). The columns of each table are fixed (`id,title,parent` first, then the
//! kind's own fields, see `docs/exports.md`) whatever the document holds, so scripts can
//! rely on them. Lists of ids are joined with `;` (ids never contain one).
//!
//! Cells are escaped for spreadsheets: a text cell starting with `=`, `+`, `-`, `@` (or
//! their full-width forms, or any of them after leading spaces, tabs or line breaks), a
//! tab or a carriage return gets a leading `'` so that no spreadsheet runs it as a formula
//! (OWASP's CSV-injection guidance). Numeric columns hold numbers the library writes from
//! exact decimals and integers (`-5`, `12000`, `2024`); they are quoted when needed but
//! never prefixed, so a negative amount stays a number.
//!
//! [`cell`] is the one implementation of CSV cell escaping: the command line's own CSV
//! tables call it too.

use policygraph::model::{Comparator, DeliverableKind, Horizon, Timeframe};
use policygraph::{Element, Graph, NodeKind, NodeRef};

use crate::ExportFile;

/// The record separator.
pub const LINE_END: &str = "\r\n";

/// The characters that start a formula in a spreadsheet: `=`, `+`, `-`, `@` and their
/// full-width forms (`＝`, `＋`, `－`, `＠`), which some spreadsheets read as the same.
const FORMULA_STARTS: [char; 8] = [
    '=', '+', '-', '@', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
];

/// One CSV text field: a cell a spreadsheet would run as a formula (starting with `=`,
/// `+`, `-`, `@` or their full-width forms, also after leading spaces, tabs or line
/// breaks, or starting with a tab or a carriage return) gets a leading `'`; a field with
/// a comma, quote or line break is quoted, its quotes doubled.
pub fn cell(text: &str) -> String {
    let first = text
        .trim_start_matches([' ', '\t', '\r', '\n'])
        .chars()
        .next();
    if text.starts_with(['\t', '\r']) || first.is_some_and(|c| FORMULA_STARTS.contains(&c)) {
        quote(&format!("'{text}"))
    } else {
        quote(text)
    }
}

/// One CSV field as it is (for numbers the library wrote): quoted, its quotes doubled,
/// only when it holds a comma, quote or line break.
pub fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    /// Text (from the document, or ids): neutralised by [`cell`].
    Text,
    /// A number the library wrote: written as it is.
    Number,
}

use Col::{Number as N, Text as T};

/// The columns every table starts with.
const COMMON: [(&str, Col); 3] = [("id", T), ("title", T), ("parent", T)];

/// The column every table ends with.
const LAST: [(&str, Col); 1] = [("refers_to", T)];

/// The columns after `id,title,parent`, per kind.
fn columns(kind: NodeKind) -> &'static [(&'static str, Col)] {
    match kind {
        NodeKind::Programme => &[
            ("subtitle", T),
            ("organisation", T),
            ("reference", T),
            ("dated", T),
            ("adopted", T),
            ("period", T),
            ("start_year", N),
            ("end_year", N),
            ("start", T),
            ("currency", T),
        ],
        NodeKind::FocusPoint => &[("partners", T), ("networks", T), ("themes", T)],
        NodeKind::Priority => &[
            ("label", T),
            ("description", T),
            ("status", T),
            ("serves", T),
        ],
        NodeKind::Action => &[("partners", T), ("description", T)],
        NodeKind::Activity => &[
            ("kind", T),
            ("status", T),
            ("timeframe", T),
            ("start_year", N),
            ("end_year", N),
            ("funding", T),
            ("addresses", T),
            ("lead", T),
            ("partners", T),
            ("networks", T),
            ("themes", T),
            ("counts_toward", T),
            ("depends_on", T),
            ("budget_currency", T),
            ("budget_total", N),
            ("budget_allocations", T),
            ("effort", T),
            ("description", T),
            ("notes", T),
            ("person_months", N),
        ],
        NodeKind::Deliverable => &[
            ("kind", T),
            ("quantity", N),
            ("recurrence", T),
            ("due", T),
            ("outputs", T),
            ("counts_toward", T),
            ("partners", T),
            ("description", T),
            ("notes", T),
            ("lead", T),
            ("dissemination", T),
            ("depends_on", T),
        ],
        NodeKind::Milestone => &[
            ("due", T),
            ("verification", T),
            ("description", T),
            ("status", T),
            ("measurement", T),
            ("lead", T),
            ("partners", T),
            ("counts_toward", T),
            ("also_in", T),
            ("depends_on", T),
        ],
        NodeKind::Output => &[("contributes_to", T), ("examples", T), ("description", T)],
        NodeKind::Outcome => &[("horizon", T), ("contributes_to", T), ("description", T)],
        NodeKind::Indicator => &[
            ("unit", T),
            ("baseline", N),
            ("target", N),
            ("target_date", T),
            ("measures", T),
            ("verification", T),
            ("description", T),
            ("scope", T),
            ("comparator", T),
        ],
        NodeKind::FundingSource => &[
            ("currency", T),
            ("total", N),
            ("declared", T),
            ("description", T),
        ],
        NodeKind::Partner => &[
            ("acronym", T),
            ("kind", T),
            ("role", T),
            ("participation", T),
            ("person_months", N),
            ("description", T),
            ("linked_to", T),
            ("also_known_as", T),
        ],
        NodeKind::Network => &[
            ("acronym", T),
            ("region", T),
            ("partners", T),
            ("description", T),
        ],
        NodeKind::Theme => &[("description", T), ("scope", T)],
        NodeKind::Evaluation => &[("stage", T), ("by", T), ("description", T)],
        NodeKind::Review => &[("date", T), ("by", T), ("description", T)],
    }
}

/// The header of a kind's table: its column names.
pub fn header(kind: NodeKind) -> Vec<&'static str> {
    all_columns(kind).map(|(name, _)| *name).collect()
}

/// Every column of a kind's table: `id,title,parent`, the kind's own, then `refers_to`.
fn all_columns(kind: NodeKind) -> impl Iterator<Item = &'static (&'static str, Col)> {
    COMMON.iter().chain(columns(kind)).chain(&LAST)
}

/// The header of `links.csv`.
pub const LINKS_HEADER: [&str; 3] = ["source", "kind", "target"];

/// The CSV tables of a programme: `<kind>.csv` for every kind with elements, in the
/// graph's kind order, then `links.csv`.
pub fn tables(graph: &Graph<'_>) -> Vec<ExportFile> {
    let mut files = Vec::new();
    for kind in NodeKind::ALL {
        if graph.nodes_of_kind(kind).len() == 0 {
            continue;
        }
        let cols: Vec<(&str, Col)> = all_columns(kind).copied().collect();
        let mut content = record(cols.iter().map(|(name, _)| cell(name)));
        for node in graph.nodes_of_kind(kind) {
            let values = row(graph, node);
            content.push_str(&record(cols.iter().zip(&values).map(
                |((_, col), v)| match col {
                    Col::Text => cell(v),
                    Col::Number => quote(v),
                },
            )));
        }
        files.push(ExportFile {
            name: format!("{}.csv", kind.as_str()),
            content,
        });
    }
    let mut links = record(LINKS_HEADER.iter().map(|h| cell(h)));
    for (source, kind, target) in graph.edges() {
        links.push_str(&record(
            [source.id(), kind.as_str(), target.id()]
                .map(cell)
                .into_iter(),
        ));
    }
    files.push(ExportFile {
        name: "links.csv".to_owned(),
        content: links,
    });
    files
}

/// One record from its escaped fields.
fn record(fields: impl Iterator<Item = String>) -> String {
    let mut line = fields.collect::<Vec<_>>().join(",");
    line.push_str(LINE_END);
    line
}

/// The unescaped values of one element's row, in the order of [`header`].
fn row(graph: &Graph<'_>, node: NodeRef<'_, '_>) -> Vec<String> {
    let start = graph.document().programme.start_date();
    let parent = node.parent().map(|p| p.id().to_owned()).unwrap_or_default();
    let mut v = vec![node.id().to_owned(), node.title().to_owned(), parent];
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let ids = |list: &[policygraph::model::Id]| {
        list.iter()
            .map(|i| i.as_str())
            .collect::<Vec<_>>()
            .join(";")
    };
    // the ids, as the column says; the type of a dependency is in the document
    let dependencies = |list: &[policygraph::model::Dependency]| {
        list.iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>()
            .join(";")
    };
    let timeframe = |t: Option<&Timeframe>| t.map(|t| t.text().to_owned()).unwrap_or_default();
    let years = |t: &Option<Timeframe>| {
        let years = t.as_ref().map(|t| t.years(start)).unwrap_or_default();
        (
            years.first().map(i32::to_string).unwrap_or_default(),
            years.last().map(i32::to_string).unwrap_or_default(),
        )
    };
    match node.element() {
        Element::Programme(p) => {
            let (first, last) = years(&p.period);
            v.extend([
                text(&p.subtitle),
                text(&p.organisation),
                text(&p.reference),
                shown(p.dated.as_ref()),
                shown(p.adopted.as_ref()),
                timeframe(p.period.as_ref()),
                first,
                last,
                shown(p.start.as_ref()),
                shown(p.currency.as_ref()),
            ]);
        }
        Element::FocusPoint(f) => v.extend([ids(&f.partners), ids(&f.networks), ids(&f.themes)]),
        Element::Priority(p) => v.extend([
            text(&p.label),
            text(&p.description),
            shown(p.status.as_ref()),
            ids(&p.serves),
        ]),
        Element::Action(a) => v.extend([ids(&a.partners), text(&a.description)]),
        Element::Activity(a) => {
            let (first, last) = years(&a.timeframe);
            let budget = a.budget.as_ref();
            let allocations = budget
                .map(|b| {
                    b.allocations
                        .iter()
                        .map(|al| match al.year {
                            Some(y) => format!("{} {y}={}", al.source, al.amount),
                            None => format!("{}={}", al.source, al.amount),
                        })
                        .collect::<Vec<_>>()
                        .join(";")
                })
                .unwrap_or_default();
            let effort = a
                .effort
                .iter()
                .map(|e| format!("{}={}", e.partner, e.person_months))
                .collect::<Vec<_>>()
                .join(";");
            v.extend([
                text(&a.kind),
                shown(a.status.as_ref()),
                timeframe(a.timeframe.as_ref()),
                first,
                last,
                ids(&a.funding),
                ids(&a.addresses),
                shown(a.lead.as_ref()),
                ids(&a.partners),
                ids(&a.networks),
                ids(&a.themes),
                ids(&a.counts_toward),
                dependencies(&a.depends_on),
                shown(budget.and_then(|b| b.currency.as_ref())),
                shown(budget.and_then(|b| b.total.as_ref())),
                allocations,
                effort,
                text(&a.description),
                text(&a.notes),
                shown(a.person_months.as_ref()),
            ]);
        }
        Element::Deliverable(d) => v.extend([
            d.kind.as_ref().map(deliverable_kind).unwrap_or_default(),
            shown(d.quantity.as_ref()),
            timeframe(d.recurrence.as_deref()),
            timeframe(d.due.as_ref()),
            ids(&d.outputs),
            ids(&d.counts_toward),
            ids(&d.partners),
            text(&d.description),
            text(&d.notes),
            shown(d.lead.as_ref()),
            shown(d.dissemination.as_ref()),
            dependencies(&d.depends_on),
        ]),
        Element::Milestone(m) => v.extend([
            timeframe(m.due.as_ref()),
            text(&m.verification),
            text(&m.description),
            shown(m.status.as_ref()),
            text(&m.measurement),
            shown(m.lead.as_ref()),
            ids(&m.partners),
            ids(&m.counts_toward),
            ids(&m.also_in),
            dependencies(&m.depends_on),
        ]),
        Element::Output(o) => v.extend([
            ids(&o.contributes_to),
            o.examples.join("; "),
            text(&o.description),
        ]),
        Element::Outcome(o) => v.extend([
            o.horizon.map(horizon).unwrap_or_default().to_owned(),
            ids(&o.contributes_to),
            text(&o.description),
        ]),
        Element::Indicator(i) => v.extend([
            shown(i.unit.as_ref()),
            shown(i.baseline.as_ref()),
            shown(i.target.as_ref().map(|t| &t.value)),
            timeframe(i.target_date.as_ref()),
            shown(i.measures.as_ref()),
            text(&i.verification),
            text(&i.description),
            scope(i.scope),
            i.target
                .map(|t| comparator(t.comparator))
                .unwrap_or_default()
                .to_owned(),
        ]),
        Element::FundingSource(f) => {
            let declared = f
                .declared
                .iter()
                .map(|d| match d.year {
                    Some(y) => format!("{y}={}", d.amount),
                    None => d.amount.to_string(),
                })
                .collect::<Vec<_>>()
                .join(";");
            v.extend([
                shown(f.currency.as_ref()),
                shown(f.total.as_ref()),
                declared,
                text(&f.description),
            ]);
        }
        Element::Partner(p) => v.extend([
            text(&p.acronym),
            text(&p.kind),
            text(&p.role),
            timeframe(p.participation.as_ref()),
            shown(p.person_months.as_ref()),
            text(&p.description),
            shown(p.linked_to.as_ref()),
            ids(&p.also_known_as),
        ]),
        Element::Network(n) => v.extend([
            text(&n.acronym),
            text(&n.region),
            ids(&n.partners),
            text(&n.description),
        ]),
        Element::Theme(t) => v.extend([text(&t.description), scope(t.scope)]),
        Element::Evaluation(e) => v.extend([
            evaluation_stage(node).to_owned(),
            text(&e.by),
            text(&e.description),
        ]),
        Element::Review(r) => v.extend([
            timeframe(r.date.as_ref()),
            text(&r.by),
            text(&r.description),
        ]),
    }
    v.push(ids(node.element().refers_to()));
    v
}

/// A target's comparator as the document writes it (`at_least`, `at_most`), empty for a
/// value to reach exactly.
fn comparator(c: Comparator) -> &'static str {
    match c {
        Comparator::Exactly => "",
        Comparator::AtLeast => "at_least",
        Comparator::AtMost => "at_most",
    }
}

/// A value written with its `Display`, or nothing.
/// `programme` for `scope: programme`, empty otherwise.
fn scope(scope: Option<policygraph::model::Scope>) -> String {
    match scope {
        Some(policygraph::model::Scope::Programme) => "programme".to_owned(),
        None => String::new(),
    }
}

fn shown<T: std::fmt::Display>(value: Option<&T>) -> String {
    value.map(T::to_string).unwrap_or_default()
}

/// Whether an evaluation method is one of the process or the outcome evaluation.
pub(crate) fn evaluation_stage(node: NodeRef<'_, '_>) -> &'static str {
    if node.pointer().starts_with("/evaluation/outcome/") {
        "outcome"
    } else {
        "process"
    }
}

/// A deliverable's kind as the document writes it (`report`, or the label of `{other: …}`).
pub(crate) fn deliverable_kind(kind: &DeliverableKind) -> String {
    if let DeliverableKind::Other(label) = kind {
        return label.clone();
    }
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// An outcome's horizon as the document writes it.
pub(crate) fn horizon(h: Horizon) -> &'static str {
    match h {
        Horizon::Immediate => "immediate",
        Horizon::ShortTerm => "short_term",
        Horizon::MediumTerm => "medium_term",
        Horizon::LongTerm => "long_term",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_fields_quoted() {
        assert_eq!(cell("=1+2"), "'=1+2");
        assert_eq!(cell("+33 1"), "'+33 1");
        assert_eq!(cell("-5"), "'-5");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(cell("\u{ff1d}1+2"), "'\u{ff1d}1+2");
        assert_eq!(cell("\u{ff0b}1"), "'\u{ff0b}1");
        assert_eq!(cell("\u{ff0d}1"), "'\u{ff0d}1");
        assert_eq!(cell("\u{ff20}SUM(A1)"), "'\u{ff20}SUM(A1)");
        assert_eq!(cell("  =1+2"), "'  =1+2");
        assert_eq!(cell(" \t-1"), "' \t-1");
        assert_eq!(cell("\n@x"), "\"'\n@x\"");
        assert_eq!(cell("a=b"), "a=b");
        assert_eq!(cell("  plain"), "  plain");
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell(""), "");
        assert_eq!(quote("-5"), "-5");
        assert_eq!(quote("1,5"), "\"1,5\"");
    }

    #[test]
    fn every_kind_has_a_header() {
        for kind in NodeKind::ALL {
            let h = header(kind);
            assert_eq!(&h[..3], ["id", "title", "parent"]);
        }
    }

    #[test]
    fn deliverable_kinds_read_as_written() {
        assert_eq!(
            deliverable_kind(&DeliverableKind::PolicyPaper),
            "policy_paper"
        );
        assert_eq!(deliverable_kind(&DeliverableKind::Other("=x".into())), "=x");
    }
}
