//! HTML fragments for notebooks (Jupyter's `_repr_html_`): a programme's summary, a
//! report's counts and findings, a coverage overview. Every value from the document is
//! escaped with the report's escaper; the fragments hold no script and no style sheet.

use std::fmt::Write as _;

use policygraph::{Coverage, Diagnostic, Programme, Report, Severity};

use crate::html::escape;

/// Findings shown in full before the table says how many more there are.
pub const MAX_ROWS: usize = 200;

fn table(out: &mut String, head: &[&str], rows: impl Iterator<Item = Vec<String>>, total: usize) {
    out.push_str("<table><thead><tr>");
    for h in head {
        let _ = write!(out, "<th style=\"text-align:left\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows.take(MAX_ROWS) {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td style=\"text-align:left\">{}</td>", escape(&cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    if total > MAX_ROWS {
        let _ = write!(out, "<p>… and {} more</p>", total - MAX_ROWS);
    }
}

/// A programme: its id, title, period, source and what it holds.
pub fn programme(p: &Programme) -> String {
    let doc = p.document();
    let mut out = String::new();
    let _ = write!(
        out,
        "<div><strong>{}</strong> <code>{}</code>",
        escape(&doc.programme.title),
        escape(doc.programme.id.as_ref())
    );
    if let Some(period) = &doc.programme.period {
        let _ = write!(out, " · {}", escape(period.text()));
    }
    if let Some(name) = &p.source().name {
        let _ = write!(out, " · <code>{}</code>", escape(name));
    }
    let summary = p.summary();
    let rows = summary
        .labelled()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| vec![label.to_owned(), n.to_string()]);
    let n = summary.labelled().iter().filter(|(_, n)| *n > 0).count();
    table(&mut out, &["elements", "count"], rows, n);
    out.push_str("</div>");
    out
}

/// The counts of a report by severity, then its findings.
pub fn report(report: &Report) -> String {
    let mut out = String::from("<div>");
    let _ = write!(
        out,
        "<p><strong>{} errors</strong>, {} warnings, {} infos</p>",
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info)
    );
    findings(&mut out, &report.diagnostics);
    out.push_str("</div>");
    out
}

/// Diagnostics as a table: place, severity, code, message, help.
pub fn findings(out: &mut String, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        out.push_str("<p>no findings</p>");
        return;
    }
    let rows = diagnostics.iter().map(|d| {
        let at = match &d.location {
            Some(l) => format!("{}:{}", l.line, l.column),
            None => d.pointer.clone(),
        };
        vec![
            at,
            d.severity.as_str().to_owned(),
            format!("{} {}", d.code, d.name),
            d.message.clone(),
            d.help.clone().unwrap_or_default(),
        ]
    });
    table(
        out,
        &["at", "severity", "code", "message", "help"],
        rows,
        diagnostics.len(),
    );
}

/// Per priority, the lines covered; then the gaps.
pub fn coverage(c: &Coverage) -> String {
    let mut out = String::from("<div>");
    let rows = c.priorities.iter().map(|p| {
        vec![
            p.id.clone(),
            p.title.clone(),
            if p.lines == 0 {
                // no share of nothing
                "—".to_owned()
            } else {
                format!("{}/{}", p.covered_lines, p.lines)
            },
            if p.cancelled {
                "cancelled".to_owned()
            } else if p.lines == 0 {
                // no share of nothing: addressed directly by an activity that is not
                // cancelled (share 1), or not
                if p.addressed_directly() {
                    "addressed directly"
                } else {
                    "none"
                }
                .to_owned()
            } else {
                format!("{:.0}%", p.share * 100.0)
            },
        ]
    });
    table(
        &mut out,
        &["priority", "title", "lines covered", "share"],
        rows,
        c.priorities.len(),
    );
    let ids = |ids: &[policygraph::model::Id]| {
        ids.iter()
            .map(|i| format!("<code>{}</code>", escape(i.as_ref())))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = write!(
        out,
        "<p>{} lines of action that no activity addresses{}{}</p><p>{} activities without a timeframe</p></div>",
        c.uncovered_lines.len(),
        if c.uncovered_lines.is_empty() {
            ""
        } else {
            ": "
        },
        ids(&c.uncovered_lines),
        c.unscheduled.len()
    );
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use policygraph::{CheckOptions, Format, Limits};

    #[test]
    fn document_text_is_escaped() {
        let text = "format: policygraph/v1\nprogramme: {id: p, title: '<script>x</script>', period: 2023-2025}\npriorities:\n  - id: P1\n    title: '<b>&'\n    actions: [{id: P1.1, title: '<i>a</i>'}]\n";
        let p = Programme::from_text(text.into(), Format::Yaml, None, &Limits::default()).unwrap();
        let (r, c) = p.analyse(&CheckOptions::default());
        for html in [programme(&p), report(&r), coverage(&c)] {
            assert!(
                !html.contains("<script>") && !html.contains("<b>") && !html.contains("<i>"),
                "{html}"
            );
        }
        assert!(programme(&p).contains("&lt;script&gt;"));
        assert!(coverage(&c).contains("&lt;b&gt;&amp;"));
        assert!(report(&r).contains("PG702"));
        assert!(report(&r).contains("&lt;i&gt;a&lt;/i&gt;"));
    }

    #[test]
    fn priorities_without_lines_show_no_share_of_nothing() {
        let text = "format: policygraph/v1\nprogramme: {id: p, title: t, period: 2024}\npriorities:\n  - {id: P1, title: a}\n  - {id: P2, title: b}\nactivities:\n  - {id: A1, title: x, timeframe: 2024, addresses: [P1]}\n";
        let p = Programme::from_text(text.into(), Format::Yaml, None, &Limits::default()).unwrap();
        let (_, c) = p.analyse(&CheckOptions::default());
        let html = coverage(&c);
        assert!(!html.contains("0/0"), "{html}");
        assert!(html.contains("addressed directly"), "{html}");
        assert!(html.contains("none"), "{html}");
    }
}
