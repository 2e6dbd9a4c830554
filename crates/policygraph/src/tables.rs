//! Flat rows for tables: every table-shaped result of the library as a list of records
//! with one value a column, for DataFrames, spreadsheets and SQL.
//!
//! The bindings turn any list of these rows into a typed columnar table (Arrow) with one
//! generic conversion, so a field added here is a new column everywhere. Rows that the
//! analyses already return flat are used as they are ([`crate::QueryRow`],
//! [`crate::coverage::LineCoverage`], [`crate::coverage::PriorityCoverage`],
//! [`crate::coverage::YearCoverage`], [`crate::coverage::GroupCoverage`]); the others
//! are flattened here:
//!
//! - [`FindingRow`]: a [`Diagnostic`] with its location spread into columns;
//! - [`IndicatorRow`]: an indicator's coverage with its target status spread out;
//! - [`DiffRow`]: one change of a [`Diff`] a row;
//! - [`RuleRow`]: one diagnostic code a row.
//!
//! Amounts in rows are floating-point numbers, for analysis; the exact decimals are in
//! the records the analyses return.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::check::Report;
use crate::codes::Code;
use crate::coverage::{Coverage, IndicatorCoverage, TargetStatus};
use crate::diagnostic::Diagnostic;
use crate::diff::{Diff, FieldChange};
use crate::model::Amount;

/// One finding, flat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FindingRow {
    /// The stable code (`PG702`).
    pub code: String,
    /// The rule's name (`uncovered-action`).
    pub name: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// What is wrong.
    pub message: String,
    /// The JSON Pointer of the value concerned.
    pub pointer: String,
    /// The file, when the document came from one.
    pub file: Option<String>,
    /// The line, from 1, when the document came from text.
    pub line: Option<u32>,
    /// The column, from 1, in characters.
    pub column: Option<u32>,
    /// How to fix it.
    pub help: Option<String>,
    /// The ids of the elements involved.
    pub elements: Vec<String>,
    /// The JSON Pointers of the other places it concerns.
    pub related: Vec<String>,
}

impl From<&Diagnostic> for FindingRow {
    fn from(d: &Diagnostic) -> FindingRow {
        FindingRow {
            code: d.code.as_str().to_owned(),
            name: d.name.clone(),
            severity: d.severity.as_str().to_owned(),
            message: d.message.clone(),
            pointer: d.pointer.clone(),
            file: d.location.as_ref().and_then(|l| l.file.clone()),
            line: d.location.as_ref().map(|l| l.line),
            column: d.location.as_ref().map(|l| l.column),
            help: d.help.clone(),
            elements: d.elements.clone(),
            related: d.related.iter().map(|r| r.pointer.clone()).collect(),
        }
    }
}

/// Every finding of a report, a row each.
pub fn findings(report: &Report) -> Vec<FindingRow> {
    findings_of(&report.diagnostics)
}

/// Diagnostics (a report's, or the problems of a document that could not be read), a
/// row each.
pub fn findings_of(diagnostics: &[Diagnostic]) -> Vec<FindingRow> {
    diagnostics.iter().map(FindingRow::from).collect()
}

/// One indicator's coverage, flat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndicatorRow {
    /// The indicator's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its unit.
    pub unit: Option<String>,
    /// Its target value.
    pub target: Option<f64>,
    /// `at_least` or `at_most` when the target is a bound (`{at_least: 2}`).
    pub comparator: Option<String>,
    /// When the target is due, as written.
    pub target_date: Option<String>,
    /// The outcome it measures.
    pub measures: Option<String>,
    /// `programme` when it is measured across every activity (`scope: programme`).
    pub scope: Option<String>,
    /// The planned quantity, when every contributor states one.
    pub planned: Option<f64>,
    /// The plan against the target: `met`, `short`, `over_limit` (over an `at_most`
    /// bound), `unknown`, `not_comparable`, `no_contributors`, `no_target` or
    /// `programme_wide`.
    pub status: String,
    /// How far the plan goes past the target (`met`; for an `at_most` bound, the room
    /// left), falls short of it (`short`, negative) or goes over the bound (`over_limit`).
    pub gap: Option<f64>,
    /// Why the plan cannot be compared (`unknown`).
    pub reason: Option<String>,
    /// Activities counting toward it directly.
    pub activities: Vec<String>,
    /// Deliverables counting toward it.
    pub deliverables: Vec<String>,
}

fn float(a: Amount) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    a.value().to_f64().unwrap_or(f64::NAN)
}

impl From<&IndicatorCoverage> for IndicatorRow {
    fn from(i: &IndicatorCoverage) -> IndicatorRow {
        let (status, gap, reason) = match &i.status {
            // the plan minus the target, whatever the comparator: a plan within an
            // `at_most` limit is below it (its surplus is the room left)
            TargetStatus::Met { surplus }
                if i.comparator == Some(crate::model::Comparator::AtMost) =>
            {
                ("met", Some(-float(*surplus)), None)
            }
            TargetStatus::Met { surplus } => ("met", Some(float(*surplus)), None),
            TargetStatus::Short { by } => ("short", Some(-float(*by)), None),
            TargetStatus::OverLimit { by } => ("over_limit", Some(float(*by)), None),
            TargetStatus::Unknown { reason, .. } => ("unknown", None, Some(reason.clone())),
            TargetStatus::NotComparable { .. } => ("not_comparable", None, None),
            TargetStatus::NoContributors => ("no_contributors", None, None),
            TargetStatus::NoTarget => ("no_target", None, None),
            TargetStatus::ProgrammeWide => ("programme_wide", None, None),
        };
        IndicatorRow {
            id: i.id.clone(),
            label: i.label.clone(),
            unit: i.unit.clone(),
            target: i.target.map(float),
            comparator: i.comparator.map(|c| {
                match c {
                    crate::model::Comparator::AtLeast => "at_least",
                    crate::model::Comparator::AtMost => "at_most",
                    crate::model::Comparator::Exactly => "exactly",
                }
                .to_owned()
            }),
            target_date: i.target_date.clone(),
            measures: i.measures.clone(),
            scope: i.programme_wide().then(|| "programme".to_owned()),
            planned: i.planned.map(float),
            status: status.to_owned(),
            gap,
            reason,
            activities: i.activities.iter().map(ToString::to_string).collect(),
            deliverables: i.deliverables.iter().map(ToString::to_string).collect(),
        }
    }
}

/// Every indicator's coverage, a row each.
pub fn indicators(coverage: &Coverage) -> Vec<IndicatorRow> {
    coverage.indicators.iter().map(IndicatorRow::from).collect()
}

/// One change between two versions, flat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DiffRow {
    /// What sort of change: `programme` (a programme-level field), `added`, `removed`,
    /// `renamed`, `moved`, `reordered`, `changed` (one field of an element),
    /// `link_added` or `link_removed`.
    pub change: String,
    /// The element changed (the list's parent for `reordered`, the referring element
    /// for links; absent for programme-level fields and top-level lists).
    pub id: Option<String>,
    /// Its kind.
    pub kind: Option<String>,
    /// Its title (the new one, if it changed).
    pub title: Option<String>,
    /// The field (`timeframe`, `budget/total`), the list reordered, or the field holding
    /// the link.
    pub field: Option<String>,
    /// What the field is about: `timeframe`, `target`, `funding`, `status`, `links` or
    /// `other`.
    pub category: Option<String>,
    /// The old value (JSON text for field changes; the old title, place or order).
    pub old: Option<String>,
    /// The new value.
    pub new: Option<String>,
}

fn json(v: Option<&serde_json::Value>) -> Option<String> {
    v.map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn as_str<T: Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}

fn field_row(
    change: &str,
    id: Option<&str>,
    kind: Option<String>,
    title: Option<&str>,
    f: &FieldChange,
) -> DiffRow {
    DiffRow {
        change: change.to_owned(),
        id: id.map(str::to_owned),
        kind,
        title: title.map(str::to_owned),
        field: Some(f.path.clone()),
        category: as_str(&f.category),
        old: json(f.old.as_ref()),
        new: json(f.new.as_ref()),
    }
}

fn place(p: &crate::diff::Place) -> String {
    match &p.parent {
        Some(parent) => format!("{parent}/{}", p.list),
        None => p.list.clone(),
    }
}

/// Every change of a diff, a row each, in the diff's order: programme fields, added,
/// removed, renamed, moved, reordered, changed fields, links.
pub fn diff_rows(diff: &Diff) -> Vec<DiffRow> {
    let mut rows = Vec::with_capacity(
        diff.summary.programme + diff.summary.fields + diff.added.len() + diff.removed.len(),
    );
    let row = |change: &str, id: &str, kind: Option<String>, title: &str| DiffRow {
        change: change.to_owned(),
        id: Some(id.to_owned()),
        kind,
        title: Some(title.to_owned()),
        field: None,
        category: None,
        old: None,
        new: None,
    };
    for f in &diff.programme {
        rows.push(field_row("programme", None, None, None, f));
    }
    for (change, list) in [("added", &diff.added), ("removed", &diff.removed)] {
        for e in list {
            let mut r = row(change, &e.id, Some(e.kind.as_str().to_owned()), &e.title);
            let parent = e.parent.clone();
            if change == "added" {
                r.new = parent;
            } else {
                r.old = parent;
            }
            rows.push(r);
        }
    }
    for e in &diff.renamed {
        let mut r = row("renamed", &e.id, Some(e.kind.as_str().to_owned()), &e.new);
        r.field = Some("title".to_owned());
        r.old = Some(e.old.clone());
        r.new = Some(e.new.clone());
        rows.push(r);
    }
    for e in &diff.moved {
        let mut r = row("moved", &e.id, Some(e.kind.as_str().to_owned()), &e.title);
        r.old = Some(place(&e.from));
        r.new = Some(place(&e.to));
        rows.push(r);
    }
    for e in &diff.reordered {
        rows.push(DiffRow {
            change: "reordered".to_owned(),
            id: e.place.parent.clone(),
            kind: None,
            title: None,
            field: Some(e.place.list.clone()),
            category: None,
            old: Some(e.old.join(" ")),
            new: Some(e.new.join(" ")),
        });
    }
    for e in &diff.changed {
        let kind = e.kind.as_str().to_owned();
        for f in &e.fields {
            rows.push(field_row(
                "changed",
                Some(&e.id),
                Some(kind.clone()),
                Some(&e.title),
                f,
            ));
        }
    }
    for l in &diff.links {
        let added = matches!(l.change, crate::diff::Change::Added);
        rows.push(DiffRow {
            change: if added { "link_added" } else { "link_removed" }.to_owned(),
            id: Some(l.source.clone()),
            kind: Some(l.source_kind.as_str().to_owned()),
            title: None,
            field: Some(l.field.clone()),
            category: Some("links".to_owned()),
            old: (!added).then(|| l.target.clone()),
            new: added.then(|| l.target.clone()),
        });
    }
    rows
}

/// One diagnostic code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RuleRow {
    /// The code (`PG702`).
    pub code: String,
    /// Its name (`uncovered-action`).
    pub name: String,
    /// The group: `reading` (a problem reading the document), `references`,
    /// `structure`, `time`, `money`, `people`, `targets` or `coverage`.
    pub group: String,
    /// The severity it has unless re-levelled.
    pub severity: String,
    /// Whether it is a validation rule (which `allow`, `warn` and `deny` can change).
    pub rule: bool,
    /// One line saying what it reports.
    pub summary: String,
    /// What it checks.
    pub what: String,
    /// Why that matters.
    pub why: String,
    /// A document fragment that triggers it.
    pub example: String,
}

/// Every diagnostic code, in order.
pub fn rules() -> Vec<RuleRow> {
    Code::ALL
        .iter()
        .map(|&c| {
            let docs = c.docs();
            RuleRow {
                code: c.as_str().to_owned(),
                name: c.name().to_owned(),
                group: c.group().to_owned(),
                severity: c.default_severity().as_str().to_owned(),
                rule: c.is_rule(),
                summary: c.summary().to_owned(),
                what: docs.what.to_owned(),
                why: docs.why.to_owned(),
                example: docs.example.to_owned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn every_code_is_a_row_in_its_group() {
        let rows = rules();
        assert_eq!(rows.len(), Code::ALL.len());
        let row = |code: &str| rows.iter().find(|r| r.code == code).unwrap();
        assert_eq!(row("PG001").group, "reading");
        assert!(!row("PG001").rule);
        assert_eq!(row("PG101").group, "references");
        assert_eq!(row("PG306").group, "time");
        assert_eq!(row("PG702").group, "coverage");
        assert_eq!(row("PG702").name, "uncovered-action");
        assert!(row("PG702").rule);
    }
}
