//! `policygraph coverage FILE`: what serves each priority, line and indicator.

use std::fmt::Write;
use std::path::Path;

use policygraph::coverage::{GroupCoverage, IndicatorCoverage, TargetStatus};
use policygraph::model::{Amount, Comparator};
use policygraph::{Coverage, Graph, Limits, coverage};

use super::check::percent;
use crate::args::CoverageFormat;
use crate::exit::{Outcome, print};
use crate::output::table::Table;
use crate::render::{Style, clip};

const TITLE_WIDTH: usize = 60;

pub fn run(file: &Path, format: CoverageFormat, limits: &Limits, style: &Style) -> Outcome {
    let loaded = super::load(file, limits, style)?;
    let graph = Graph::build(&loaded.document);
    let cov = coverage(&graph);
    let text = match format {
        CoverageFormat::Json => {
            let mut t = serde_json::to_string_pretty(&cov).unwrap_or_default();
            t.push('\n');
            t
        }
        CoverageFormat::Csv => csv(&cov),
        CoverageFormat::Table => sections(&cov, false),
        CoverageFormat::Markdown => sections(&cov, true),
    };
    print(&text)
}

/// One row per line of action: priority, line, title, covered, activities, deliverables.
fn csv(cov: &Coverage) -> String {
    let mut t = Table::new(&[
        "priority",
        "line",
        "title",
        "covered",
        "activities",
        "deliverables",
        "cancelled",
    ]);
    for l in &cov.lines {
        t.row(vec![
            l.priority.clone(),
            l.id.clone(),
            l.title.clone(),
            l.covered.to_string(),
            l.activities.join(" "),
            l.deliverables.join(" "),
            l.cancelled.to_string(),
        ]);
    }
    t.csv()
}

fn ids<T: AsRef<str>>(list: &[T]) -> String {
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.iter()
            .map(AsRef::as_ref)
            .collect::<Vec<&str>>()
            .join(", ")
    }
}

/// The plan against the target, in a few words.
fn status(i: &IndicatorCoverage) -> String {
    match &i.status {
        TargetStatus::Met { surplus } if *surplus == Amount::ZERO => "met".to_owned(),
        TargetStatus::Met { surplus } if i.comparator == Some(Comparator::AtMost) => {
            format!("met, {surplus} below the limit")
        }
        TargetStatus::Met { surplus } => format!("met, {surplus} above"),
        TargetStatus::Short { by } => format!("short by {by}"),
        TargetStatus::OverLimit { by } => format!("over the limit by {by}"),
        TargetStatus::Unknown { .. } => "unknown".to_owned(),
        TargetStatus::NotComparable { unit } => format!("not comparable ({unit})"),
        TargetStatus::NoContributors => "nothing counts toward it".to_owned(),
        TargetStatus::NoTarget => "no target".to_owned(),
        TargetStatus::ProgrammeWide => "measured across every activity".to_owned(),
    }
}

/// Why the plan cannot be compared with the targets, per indicator.
fn unknown_reasons(cov: &Coverage) -> Option<String> {
    let reasons: Vec<String> = cov
        .indicators
        .iter()
        .filter_map(|i| match &i.status {
            TargetStatus::Unknown {
                reason,
                missing_quantities,
            } => Some(if missing_quantities.is_empty() {
                format!("{}: {reason}", i.id)
            } else {
                format!("{}: {reason} ({})", i.id, missing_quantities.join(", "))
            }),
            _ => None,
        })
        .collect();
    (!reasons.is_empty()).then(|| {
        let mut lines = vec!["targets the plan cannot be compared with:".to_owned()];
        lines.extend(reasons.into_iter().map(|r| format!("  {r}")));
        lines.join("\n")
    })
}

/// Every section, as aligned plain text or as Markdown.
fn sections(cov: &Coverage, markdown: bool) -> String {
    // Markdown viewers wrap long titles; terminals need them clipped
    let width = if markdown { usize::MAX } else { TITLE_WIDTH };
    let mut out = String::new();
    let mut section = |title: &str, table: Table, note: Option<String>| {
        if markdown {
            let _ = writeln!(out, "## {}\n", capitalise(title));
            if table.is_empty() {
                let _ = writeln!(out, "None.\n");
            } else {
                out.push_str(&table.markdown_text());
                out.push('\n');
            }
            if let Some(n) = note {
                for line in n.lines() {
                    match line.strip_prefix("  ") {
                        Some(item) => {
                            let _ =
                                writeln!(out, "- {}", policygraph_export::markdown::escape(item));
                        }
                        None => {
                            let _ = writeln!(out, "{}\n", capitalise(line));
                        }
                    }
                }
                out.push('\n');
            }
        } else {
            let _ = writeln!(out, "{title}");
            if table.is_empty() {
                let _ = writeln!(out, "  none");
            } else {
                out.push_str(&table.plain(2));
            }
            if let Some(n) = note {
                for line in n.lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
            out.push('\n');
        }
    };

    let mut t = Table::new(&[
        "priority",
        "lines",
        "covered",
        "share",
        "activities",
        "deliverables",
        "title",
    ])
    .right(&[1, 2, 3, 4, 5]);
    for p in &cov.priorities {
        t.row(vec![
            p.id.clone(),
            p.lines.to_string(),
            p.covered_lines.to_string(),
            if p.cancelled {
                "cancelled".to_owned()
            } else if p.lines == 0 {
                // no share of nothing: addressed directly by an activity that is not
                // cancelled (share 1), or not
                if p.addressed_directly() {
                    "direct"
                } else {
                    "-"
                }
                .to_owned()
            } else {
                percent(p.share)
            },
            p.activities.len().to_string(),
            p.deliverables.len().to_string(),
            clip(&p.title, width),
        ]);
    }
    section("strategic priorities", t, None);

    let mut t = Table::new(&[
        "line",
        "priority",
        "covered",
        "activities",
        "through sub-lines",
        "deliverables",
        "title",
    ])
    .right(&[3, 4, 5]);
    for l in &cov.lines {
        t.row(vec![
            l.id.clone(),
            l.priority.clone(),
            if l.cancelled {
                "cancelled"
            } else if l.covered {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
            l.activities.len().to_string(),
            l.through_sub_lines.len().to_string(),
            l.deliverables.len().to_string(),
            clip(&l.title, width),
        ]);
    }
    let note = format!(
        "not addressed by any activity ({}): {}",
        cov.uncovered_lines.len(),
        ids(&cov.uncovered_lines)
    );
    section("lines of action", t, Some(note));

    let mut t = Table::new(&[
        "indicator",
        "unit",
        "target",
        "planned",
        "contributors",
        "status",
        "label",
    ])
    .right(&[2, 3, 4]);
    for i in &cov.indicators {
        t.row(vec![
            i.id.clone(),
            i.unit.clone().unwrap_or_default(),
            i.target_text().unwrap_or_default(),
            match i.status {
                TargetStatus::NoContributors | TargetStatus::ProgrammeWide => String::new(),
                _ => i.planned.map(|a| a.to_string()).unwrap_or_default(),
            },
            i.contributors_text(),
            status(i),
            clip(&i.label, width),
        ]);
    }
    section("indicators", t, unknown_reasons(cov));

    let mut t = Table::new(&["year", "activities", "deliverables"]).right(&[1, 2]);
    for y in &cov.years {
        t.row(vec![
            y.year.to_string(),
            y.activities.len().to_string(),
            y.deliverables.len().to_string(),
        ]);
    }
    let note = format!(
        "activities without a timeframe ({}): {}",
        cov.unscheduled.len(),
        ids(&cov.unscheduled)
    );
    section("years", t, Some(note));

    if !cov.project_years.is_empty() {
        let mut t = Table::new(&["project year", "activities", "deliverables", "milestones"])
            .right(&[1, 2, 3]);
        for y in &cov.project_years {
            t.row(vec![
                y.label(),
                y.activities.len().to_string(),
                y.deliverables.len().to_string(),
                y.milestones.len().to_string(),
            ]);
        }
        section("project years", t, None);
    }

    for (title, groups, with_deliverables) in [
        ("funding sources", &cov.funding_sources, false),
        ("partners", &cov.partners, true),
        ("networks", &cov.networks, false),
        ("cross-cutting themes", &cov.themes, false),
    ] {
        section(title, group_table(groups, with_deliverables, width), None);
    }
    // one blank line between sections, none at the end
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn group_table(groups: &[GroupCoverage], with_deliverables: bool, width: usize) -> Table {
    let mut headers = vec!["id", "activities"];
    if with_deliverables {
        headers.push("deliverables");
    }
    headers.push("title");
    let mut t = Table::new(&headers).right(if with_deliverables { &[1, 2] } else { &[1] });
    for g in groups {
        let mut row = vec![g.id.clone(), g.activities_text()];
        if with_deliverables {
            row.push(g.deliverables.len().to_string());
        }
        row.push(clip(&g.title, width));
        t.row(row);
    }
    t
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
