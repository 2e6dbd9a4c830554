//! `policygraph check FILE`: the findings and summaries a person reads in a terminal.

use std::fmt::Write;
use std::path::Path;

use policygraph::coverage::TargetStatus;
use policygraph::load::locate_all;
use policygraph::{Coverage, Graph, Limits, Severity, analyse};

use crate::args::{CheckFormat, ListArgs, RuleArgs};
use crate::exit::{CLEAN, FINDINGS, Outcome, print};
use crate::findings::{self, Item, Layout};
use crate::progress;
use crate::render::{self, Style, clip, count, counts};

pub fn run(
    file: &Path,
    format: CheckFormat,
    list: &ListArgs,
    rules: &RuleArgs,
    limits: &Limits,
    style: &Style,
) -> Outcome {
    let threshold = rules.threshold()?;
    let loaded = super::load(file, limits, style)?;
    progress::stage("checking");
    let graph = Graph::build(&loaded.document);
    let (mut report, cov) = analyse(&graph, &threshold.options);
    locate_all(&mut report.diagnostics, &loaded.source, limits);

    progress::stage("writing the findings");
    let shown = file.display().to_string();
    let items = report
        .diagnostics
        .iter()
        .enumerate()
        .map(|(index, diagnostic)| Item {
            file: &shown,
            file_index: 0,
            index,
            diagnostic,
        })
        .collect();
    let layout = match format {
        CheckFormat::Human => Layout::Full,
        CheckFormat::Concise => Layout::Concise,
    };
    let text = &loaded.source.text;
    let full = |item: &Item<'_>| render::diagnostic(item.diagnostic, Some(text), style);
    let (listing, long) = findings::list(items, layout, list, style, &full, &|_| None);

    let (errors, warnings, infos) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let fails = threshold.fails(errors, warnings);
    let label = if fails {
        style.error("failed")
    } else if warnings + infos > 0 {
        style.warning("checked")
    } else {
        style.good("ok")
    };
    let status = format!(
        "{label}: `{}` ({}): {}\n",
        file.display(),
        loaded.source.format,
        counts(errors, warnings, infos)
    );
    let mut out = String::new();
    if long {
        // more than a screen of findings: the counts first as well as last
        out.push_str(&status);
        out.push('\n');
    }
    out.push_str(&listing);
    if format == CheckFormat::Human {
        out.push_str(&render::summary(&loaded, style));
        out.push('\n');
        out.push_str(&coverage_summary(&cov, style));
        out.push('\n');
    }
    out.push_str(&status);
    print(&out)?;
    Ok(if fails { FINDINGS } else { CLEAN })
}

/// Per priority, the lines covered; the uncovered lines; the indicators by target
/// status; the activities with no timeframe.
pub fn coverage_summary(cov: &Coverage, style: &Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style.bold("coverage"));
    let id_width = cov
        .priorities
        .iter()
        .map(|p| p.id.chars().count())
        .max()
        .unwrap_or(0);
    for p in &cov.priorities {
        if p.cancelled {
            let _ = writeln!(
                out,
                "  {:<id_width$}  cancelled: {} needing no activity  {}",
                p.id,
                count(p.lines, "line", "lines"),
                clip(&p.title, 60)
            );
            continue;
        }
        if p.lines == 0 {
            // no share of nothing: say how the priority is reached instead
            let how = if p.activities.is_empty() {
                "no lines of action, and no activity addresses it".to_owned()
            } else {
                format!(
                    "no lines of action; {} directly",
                    count(
                        p.activities.len(),
                        "activity addresses it",
                        "activities address it"
                    )
                )
            };
            let _ = writeln!(out, "  {:<id_width$}  {how}  {}", p.id, clip(&p.title, 60));
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<id_width$}  {:>3}/{:<3} lines covered  {:>4}  {}",
            p.id,
            p.covered_lines,
            p.lines,
            percent(p.share),
            clip(&p.title, 60),
        );
    }
    if cov.priorities.is_empty() {
        let _ = writeln!(out, "  no strategic priorities");
    }
    let uncovered = cov.uncovered_lines.len();
    let _ = writeln!(
        out,
        "  {} that no activity addresses",
        count(uncovered, "line of action", "lines of action")
    );
    let _ = writeln!(out, "  indicators: {}", indicator_statuses(cov));
    let _ = writeln!(
        out,
        "  {} without a timeframe",
        count(cov.unscheduled.len(), "activity", "activities")
    );
    out
}

/// A share as a whole percentage (`62%`).
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// `4 met, 1 short, 2 not comparable`, or `none`.
fn indicator_statuses(cov: &Coverage) -> String {
    let mut n = [0usize; 8];
    for i in &cov.indicators {
        n[status_index(&i.status)] += 1;
    }
    let labels = [
        "met",
        "short",
        "unknown",
        "not comparable",
        "with no contributors",
        "with no target",
        "measured across every activity",
        "over the limit",
    ];
    let parts: Vec<String> = n
        .iter()
        .zip(labels)
        .filter(|(k, _)| **k > 0)
        .map(|(k, l)| format!("{k} {l}"))
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

fn status_index(s: &TargetStatus) -> usize {
    match s {
        TargetStatus::Met { .. } => 0,
        TargetStatus::Short { .. } => 1,
        TargetStatus::Unknown { .. } => 2,
        TargetStatus::NotComparable { .. } => 3,
        TargetStatus::NoContributors => 4,
        TargetStatus::NoTarget => 5,
        TargetStatus::ProgrammeWide => 6,
        TargetStatus::OverLimit { .. } => 7,
    }
}
