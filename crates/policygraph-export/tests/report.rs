//! The HTML and Markdown reports: snapshots of the reference programme and of the
//! hostile-titles fixture, the reference programme's known gaps asserted in the right
//! sections, escaping checked tag by tag (HTML) and cell by cell (Markdown), and the caps
//! that keep a large programme's report usable.
//!
//! Review snapshot changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test
//! -p policygraph-export --test report` and read the diff). The HTML snapshots hold a
//! placeholder for the results-chain SVG, which `svg.rs` renders and tests itself.
//! Each run writes the reports to `target/test-artifacts/report-*.{html,md}` to look at.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use policygraph::{CheckOptions, Graph, Limits, Loaded};
use policygraph_export::report::{
    MAX_COVERAGE_ROWS, MAX_MATRIX_COLUMNS, MAX_TIMELINE_ROWS, ReportData, TargetState,
};
use policygraph_export::{Input, html, markdown};

const REFERENCE: &str = "examples/pompidou-2023-2025.yaml";
const HOSTILE: &str = "tests/export/hostile.yaml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(path: &str) -> Loaded {
    let mut loaded = policygraph::load_path(&root().join(path), &Limits::default())
        .unwrap_or_else(|e| panic!("{path}: {:?}", e.diagnostics));
    loaded.source.name = Some(path.to_owned());
    loaded
}

/// The HTML report, the Markdown report and the report data of a fixture.
fn reports(path: &str) -> (String, String, ReportData) {
    let loaded = load(path);
    let graph = Graph::build(&loaded.document);
    let (report, coverage) =
        policygraph::analyse_loaded(&loaded, &CheckOptions::default(), &Limits::default());
    let input = Input {
        graph: &graph,
        report: &report,
        coverage: &coverage,
        source_name: Some(path),
    };
    let html = html::render(&input);
    let markdown = markdown::render(&input);
    let data = ReportData::of(&input);
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".yaml");
    let dir = root().join("target/test-artifacts");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join(format!("report-{stem}.html")), &html);
        let _ = std::fs::write(dir.join(format!("report-{stem}.md")), &markdown);
    }
    (html, markdown, data)
}

/// The HTML with the results-chain SVG replaced by a placeholder.
fn without_svg(html: &str) -> String {
    let figure = html
        .find("<figure class=\"diagram\">")
        .expect("the diagram is drawn");
    let start = html[figure..].find("<svg").expect("an svg") + figure;
    let end = html[start..].rfind("</svg>").expect("the svg is closed") + start + "</svg>".len();
    format!(
        "{}[the results-chain SVG: see svg.rs]{}",
        &html[..start],
        &html[end..]
    )
}

/// The text of one `<section id="…">` of the HTML report.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let open = format!("<section id=\"{id}\">");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").expect("closed") + start;
    &html[start..end]
}

/// The text of one `## …` section of the Markdown report.
fn md_section<'m>(markdown: &'m str, heading: &str) -> &'m str {
    let open = format!("\n## {heading}\n");
    let start = markdown
        .find(&open)
        .unwrap_or_else(|| panic!("no section {heading}"));
    let end = markdown[start + open.len()..]
        .find("\n## ")
        .map_or(markdown.len(), |e| e + start + open.len());
    &markdown[start..end]
}

// ---------------------------------------------------------------------------------
// snapshots
// ---------------------------------------------------------------------------------

#[test]
fn reference_html() {
    let (html, _, _) = reports(REFERENCE);
    insta::assert_snapshot!("reference_html", without_svg(&html));
}

#[test]
fn reference_markdown() {
    let (_, markdown, _) = reports(REFERENCE);
    insta::assert_snapshot!("reference_markdown", markdown);
}

#[test]
fn hostile_html_snapshot() {
    let (html, _, _) = reports(HOSTILE);
    insta::assert_snapshot!("hostile_html", without_svg(&html));
}

#[test]
fn hostile_markdown_snapshot() {
    let (_, markdown, _) = reports(HOSTILE);
    insta::assert_snapshot!("hostile_markdown", markdown);
}

#[test]
fn reports_are_deterministic() {
    let (html_a, md_a, _) = reports(REFERENCE);
    let (html_b, md_b, _) = reports(REFERENCE);
    assert_eq!(html_a, html_b);
    assert_eq!(md_a, md_b);
}

// ---------------------------------------------------------------------------------
// the reference programme's known gaps, in the sections that show them
// ---------------------------------------------------------------------------------

const UNCOVERED: [&str; 6] = ["P1.5", "P1.6.1", "P1.6.2", "P1.7", "P3.1", "P4.1"];
const NO_CONTRIBUTORS: [&str; 2] = ["I4", "I8"];
const NO_TIMEFRAME: [&str; 2] = ["A7", "A11"];

#[test]
fn reference_data_holds_the_known_gaps() {
    let (_, _, data) = reports(REFERENCE);
    let uncovered: Vec<&str> = data
        .coverage
        .uncovered
        .items
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(uncovered, UNCOVERED);
    let no_contributors: Vec<&str> = data
        .targets
        .items
        .iter()
        .filter(|t| t.state == TargetState::NoContributors)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(no_contributors, NO_CONTRIBUTORS);
    let unscheduled: Vec<&str> = data
        .timeline
        .unscheduled
        .items
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(unscheduled, ["A7", "A7.1", "A7.2", "A11", "A11.1"]);
    assert!(
        data.timeline
            .rows
            .items
            .iter()
            .all(|r| !NO_TIMEFRAME.contains(&r.id.as_str()))
    );
    // the summary and the CLI's `check` say the same
    let s = &data.summary;
    assert_eq!((s.errors, s.warnings, s.infos), (0, 12, 8));
    assert_eq!((s.covered_lines, s.lines), (20, 26));
    assert_eq!(
        s.indicator_states,
        [
            (TargetState::Unknown, 5),
            (TargetState::NoContributors, 2),
            (TargetState::ProgrammeWide, 1)
        ]
    );
    let shares: Vec<(&str, u32)> = data
        .coverage
        .priorities
        .iter()
        .map(|p| (p.id.as_str(), p.percent))
        .collect();
    assert_eq!(shares, [("P1", 64), ("P2", 100), ("P3", 80), ("P4", 83)]);
    assert_eq!(
        data.timeline
            .years
            .iter()
            .map(|y| y.year)
            .collect::<Vec<_>>(),
        [2023, 2024, 2025]
    );
    assert!(data.coverage.matrix);
    assert_eq!(data.coverage.columns.len(), 11);
    // A1.2 (a topic of A1) addresses P1.3: a tick in A1's column naming the topic
    let p13 = data.coverage.priorities[0]
        .rows
        .iter()
        .find(|r| r.id == "P1.3")
        .unwrap();
    assert_eq!(p13.cells[0].column, 0);
    assert_eq!(p13.cells[0].via, ["A1.2"]);
}

#[test]
fn reference_html_shows_the_known_gaps() {
    let (html, _, _) = reports(REFERENCE);
    assert!(html.contains("<h1>2023 – 2025 Work Programme</h1>"));
    assert_eq!(html.matches("<h1>").count(), 1);
    let coverage = section(&html, "coverage");
    for id in UNCOVERED {
        assert!(
            coverage.contains(&format!("<li><code>{id}</code> ")),
            "{id} not listed as uncovered"
        );
        assert!(
            coverage.contains(&format!(
                "<tr class=\"gap\"><th scope=\"row\" class=\"depth-{}\"><code>{id}</code>",
                id.matches('.').count() - 1
            )),
            "{id} not highlighted in the matrix"
        );
    }
    let targets = section(&html, "targets");
    for id in NO_CONTRIBUTORS {
        assert!(
            targets.contains(&format!(
                "<tr class=\"st-no-contributors\"><th scope=\"row\"><code>{id}</code>"
            )),
            "{id} not shown without contributors"
        );
    }
    // the questionnaires' indicator applies everywhere
    assert!(
        targets.contains("<tr class=\"st-programme-wide\"><th scope=\"row\"><code>I6</code>"),
        "I6 not shown as programme-wide"
    );
    let timeline = section(&html, "timeline");
    let apart = &timeline[timeline.find("Activities without a timeframe").unwrap()..];
    for id in NO_TIMEFRAME {
        assert!(apart.contains(&format!("<li><code>{id}</code> ")), "{id}");
    }
    assert!(section(&html, "findings").contains("line 888:5"));
    assert!(section(&html, "summary").contains("<b>12</b> <span class=\"badge sev-warning\">"));
}

#[test]
fn reference_markdown_shows_the_known_gaps() {
    let (_, markdown, _) = reports(REFERENCE);
    assert!(markdown.starts_with("# 2023 – 2025 Work Programme\n"));
    let coverage = md_section(&markdown, "Coverage of the lines of action");
    for id in UNCOVERED {
        assert!(coverage.contains(&format!("- `{id}` ")), "{id}");
    }
    let targets = md_section(&markdown, "Targets against the plan");
    for id in NO_CONTRIBUTORS {
        let row = targets
            .lines()
            .find(|l| l.starts_with(&format!("| `{id}` ")))
            .unwrap_or_else(|| panic!("{id}"));
        assert!(row.contains("**no contributors**"), "{row}");
    }
    let timeline = md_section(&markdown, "Timeline");
    let apart = &timeline[timeline.find("### Activities without a timeframe").unwrap()..];
    for id in NO_TIMEFRAME {
        assert!(apart.contains(&format!("- `{id}` ")), "{id}");
    }
}

// ---------------------------------------------------------------------------------
// HTML: self-contained, and no document text outside its escaped form
// ---------------------------------------------------------------------------------

/// Every tag of an HTML text (outside the one style element), as (name, attribute names).
fn tags(html: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = &comment[comment.find("-->").expect("comment closed") + 3..];
            continue;
        }
        let close = rest.find('>').expect("tag closed");
        let tag = &rest[..close];
        rest = &rest[close + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        // attribute names: what stands before each `=` outside quotes
        let mut attributes = Vec::new();
        let mut quote = None;
        let mut word = String::new();
        for c in tag.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '=' => attributes.push(std::mem::take(&mut word).to_ascii_lowercase()),
                None if c.is_whitespace() => word.clear(),
                None => word.push(c),
            }
        }
        if name == "style" && !tag.starts_with('/') {
            // the stylesheet holds no tag
            let end = rest.find("</style>").expect("style closed");
            rest = &rest[end..];
        }
        out.push((name, attributes));
    }
    out
}

fn assert_safe_html(html: &str) {
    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    );
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
    ));
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script element");
    assert!(!lower.contains("<img"), "an img element");
    assert!(!lower.contains("<link"), "a link element");
    assert!(!lower.contains("<iframe"), "an iframe");
    assert_eq!(lower.matches("<style").count(), 1, "one style element only");
    assert_eq!(
        lower.matches("</style").count(),
        1,
        "one style element only"
    );
    // no attribute value is a URL (the SVG namespace is a name, never fetched; `url(#…)`
    // names a marker of the same document)
    let values = lower
        .replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace("\"url(#", "");
    for url in ["http:", "https:", "//", "url(", "data:", "javascript:"] {
        assert!(
            !values.contains(&format!("\"{url}")),
            "an attribute holds a URL ({url})"
        );
    }
    for (name, attributes) in tags(html) {
        for a in &attributes {
            assert!(!a.starts_with("on"), "event handler `{a}` on <{name}>");
            assert!(
                !matches!(
                    a.as_str(),
                    "src" | "srcset" | "action" | "formaction" | "background" | "xlink:href"
                ),
                "`{a}` on <{name}>"
            );
        }
        assert!(
            !matches!(
                name.as_str(),
                "script"
                    | "img"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "link"
                    | "base"
                    | "form"
                    | "input"
            ),
            "<{name}>"
        );
    }
    // the only links are to the report's own sections
    for (i, _) in html.match_indices("href=\"") {
        assert!(html[i + 6..].starts_with('#'), "{}", &html[i..i + 40]);
    }
}

#[test]
fn html_reports_are_self_contained() {
    for path in [REFERENCE, HOSTILE] {
        let (html, _, _) = reports(path);
        assert_safe_html(&html);
        for id in [
            "summary", "findings", "coverage", "targets", "timeline", "diagram",
        ] {
            assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
        }
        assert!(section(&html, "diagram").contains("class=\"results-chain\""));
        assert!(html.contains(concat!(
            "Generated by policygraph-export ",
            env!("CARGO_PKG_VERSION")
        )));
    }
}

/// Every title and label of the hostile fixture.
const HOSTILE_TITLES: [&str; 12] = [
    "<script>window.__pwned = 1</script>Hostile & \"quoted\" programme",
    "</title><img src=x onerror=\"window.__pwned=2\">",
    "=HYPERLINK(\"http://evil.invalid\",\"click\")",
    "+1+2 and -3 and @SUM(A1) line",
    "\"]; evil -> injected; [label=\"",
    "end\n  click D1 call alert(1)\n%%{init: {'theme':'dark'}}%%",
    "\ttab-led title with \r carriage return",
    "<svg onload=alert(1)>]]></svg> -- > ` ${x} }} {{",
    "<style>body{display:none}</style>",
    "javascript:alert(1) @prefix ex: <http://evil.invalid/> .",
    "-cmd|' /C calc'!A0",
    "@import url(http://evil.invalid/x.css);",
];

#[test]
fn hostile_titles_appear_escaped_exactly() {
    let (html, _, _) = reports(HOSTILE);
    assert_eq!(
        html.matches("<h1>").count(),
        1,
        "one heading, the programme title"
    );
    assert!(html.contains(
        "<h1>&lt;script&gt;window.__pwned = 1&lt;/script&gt;Hostile &amp; &quot;quoted&quot; programme</h1>"
    ));
    assert!(html.contains(
        "<title>&lt;script&gt;window.__pwned = 1&lt;/script&gt;Hostile &amp; &quot;quoted&quot; programme — programme report</title>"
    ));
    for title in HOSTILE_TITLES {
        let escaped = html::escape(title);
        assert!(
            html.contains(&escaped),
            "{title:?} not shown as {escaped:?}"
        );
    }
    assert!(html.contains("&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;"));
    assert!(html.contains("&lt;svg onload=alert(1)&gt;]]&gt;&lt;/svg&gt; -- &gt; ` ${x} }} {{"));
    assert!(html.contains("&lt;style&gt;body{display:none}&lt;/style&gt;"));
    assert!(html.contains("-cmd|&#39; /C calc&#39;!A0"));
    // attribute context: the matrix column titles
    assert!(html.contains(
        "<th class=\"col\" title=\"&quot;]; evil -&gt; injected; [label=&quot;\"><span>A1</span></th>"
    ));
}

#[test]
fn html_escape_covers_the_five_characters() {
    assert_eq!(
        html::escape(r#"<a href='x'>"Tom" & Jerry</a>"#),
        "&lt;a href=&#39;x&#39;&gt;&quot;Tom&quot; &amp; Jerry&lt;/a&gt;"
    );
    assert_eq!(html::escape("plain – text"), "plain – text");
    assert_eq!(html::escape("a\r\nb\tc\u{1}d"), "a \nb\tc d");
}

// ---------------------------------------------------------------------------------
// Markdown: no document text can become syntax
// ---------------------------------------------------------------------------------

/// The cells of a Markdown table row, split on unescaped pipes.
fn cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            cell.push(c);
            escaped = false;
        } else if c == '\\' {
            cell.push(c);
            escaped = true;
        } else if c == '|' {
            cells.push(std::mem::take(&mut cell));
        } else {
            cell.push(c);
        }
    }
    cells.push(cell);
    cells
}

fn assert_safe_markdown(markdown: &str) {
    // every `<` is escaped: no tag, no autolink
    for (i, _) in markdown.match_indices('<') {
        assert!(
            markdown[..i].ends_with('\\'),
            "raw `<` at {}",
            &markdown[i.saturating_sub(20)..(i + 20).min(markdown.len())]
        );
    }
    // tables keep their shape: each row has as many cells as its header
    let mut columns = None;
    for line in markdown.lines() {
        if line.starts_with('|') {
            let n = cells(line).len();
            match columns {
                None => columns = Some(n),
                Some(c) => assert_eq!(c, n, "row with a different cell count: {line}"),
            }
        } else {
            columns = None;
        }
    }
}

#[test]
fn markdown_reports_are_safe() {
    for path in [REFERENCE, HOSTILE] {
        let (_, markdown, _) = reports(path);
        assert_safe_markdown(&markdown);
    }
}

#[test]
fn hostile_titles_are_escaped_in_markdown() {
    let (_, markdown, _) = reports(HOSTILE);
    assert!(markdown.starts_with(
        "# \\<script\\>window.\\_\\_pwned = 1\\</script\\>Hostile \\& \"quoted\" programme\n"
    ));
    for title in HOSTILE_TITLES {
        let escaped = markdown::escape(title);
        assert!(
            markdown.contains(&escaped),
            "{title:?} not shown as {escaped:?}"
        );
        assert!(!escaped.contains('\n') && !escaped.contains('\r') && !escaped.contains('\t'));
    }
    assert!(markdown.contains("end click D1 call alert(1) %%{init: {'theme':'dark'}}%%"));
    assert!(
        markdown.contains("\\<svg onload=alert(1)\\>\\]\\]\\>\\</svg\\> -- \\> \\` \\${x} }} {{")
    );
}

#[test]
fn markdown_escape() {
    assert_eq!(
        markdown::escape("a|b\\c`d*e_f[g]h<i>j#k~l&m$n!o"),
        "a\\|b\\\\c\\`d\\*e\\_f\\[g\\]h\\<i\\>j\\#k\\~l\\&m\\$n\\!o"
    );
    assert_eq!(
        markdown::escape("  two\nlines\r\n\tand tab "),
        "two lines and tab"
    );
    assert_eq!(
        markdown::escape("see http://evil.invalid/x"),
        "see http\\://evil.invalid/x"
    );
    assert_eq!(markdown::code("P1.2"), "`P1.2`");
    assert_eq!(markdown::code("a`b"), "a\\`b");
    assert_eq!(markdown::code("a|b"), "a\\|b");
}

// ---------------------------------------------------------------------------------
// a large programme: the caps keep the report usable
// ---------------------------------------------------------------------------------

#[test]
fn large_programme_reports_are_capped() {
    let doc = policygraph::generate::generate(100_000, 7);
    let graph = Graph::build(&doc);
    let (report, coverage) = policygraph::analyse(&graph, &CheckOptions::default());
    let input = Input {
        graph: &graph,
        report: &report,
        coverage: &coverage,
        source_name: None,
    };
    let data = ReportData::of(&input);
    assert!(data.coverage.columns.len() > MAX_MATRIX_COLUMNS);
    assert!(!data.coverage.matrix, "the list form beyond the column cap");
    assert!(data.coverage.rows_more > 0);
    let shown: usize = data.coverage.priorities.iter().map(|p| p.rows.len()).sum();
    assert_eq!(shown, MAX_COVERAGE_ROWS);
    assert_eq!(data.timeline.rows.items.len(), MAX_TIMELINE_ROWS);
    assert!(data.timeline.rows.more > 0);
    let html = html::render_data(&data);
    let markdown = markdown::render_data(&data);
    let dir = root().join("target/test-artifacts");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("report-generated-100000.html"), &html);
        let _ = std::fs::write(dir.join("report-generated-100000.md"), &markdown);
    }
    assert_safe_html(&html);
    assert_safe_markdown(&markdown);
    assert!(html.len() < 3_000_000, "{} bytes of HTML", html.len());
    assert!(
        markdown.len() < 2_000_000,
        "{} bytes of Markdown",
        markdown.len()
    );
    assert!(html.contains("more lines of action."));
    assert!(html.contains("more activities."));
    assert!(section(&html, "diagram").contains("class=\"results-chain\""));
}

#[test]
fn a_cancelled_priority_is_out_of_the_lines_covered_and_shown_cancelled() {
    let (html, markdown, data) = reports("tests/export/cancelled-priority.yaml");
    // P2's two lines need no activity: the programme covers 1 of P1's 2 lines
    let s = &data.summary;
    assert_eq!((s.covered_lines, s.lines), (1, 2));
    let p2 = data
        .coverage
        .priorities
        .iter()
        .find(|p| p.id == "P2")
        .expect("P2 is in the table");
    assert!(p2.cancelled);
    assert_eq!(p2.lines_covered(), "cancelled: 2 lines needing no activity");
    assert!(
        p2.rows
            .iter()
            .all(|r| r.status == policygraph_export::report::LineStatus::Cancelled),
        "{:?}",
        p2.rows
    );
    // and none of its lines is listed as a gap
    assert_eq!(
        data.coverage
            .uncovered
            .items
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>(),
        ["P1.2"]
    );
    let coverage = section(&html, "coverage");
    assert!(coverage.contains("1 of 2 lines of action"), "{coverage}");
    assert!(coverage.contains("ln-cancelled"), "{coverage}");
    assert!(coverage.contains("cancelled: 2 lines needing no activity"));
    assert!(markdown.contains("cancelled: 2 lines needing no activity"));
}

const MONTH_RELATIVE: &str = "tests/export/month-relative.yaml";

#[test]
fn a_programme_in_months_from_an_undated_start_is_drawn_in_project_years() {
    let (html, markdown, data) = reports(MONTH_RELATIVE);
    let t = &data.timeline;
    assert!(t.in_project_years);
    let labels: Vec<&str> = t.years.iter().map(|y| y.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Year 1 (M1–M12)", "Year 2 (M13–M24)", "Year 3 (M25–M36)"]
    );
    assert!(t.years.iter().all(|y| y.in_period));
    let row = |id: &str| {
        t.rows
            .items
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id} is in the timeline"))
    };
    // WP1 runs M0-M18: year 1 with its deliverable and milestone, and year 2
    let wp1 = row("WP1");
    assert_eq!(
        wp1.cells
            .iter()
            .map(|c| (c.running, c.deliverables, c.live_milestones()))
            .collect::<Vec<_>>(),
        [(true, 1, 1), (true, 0, 0), (false, 0, 0)]
    );
    // WP2 states no timeframe: it runs when its tasks do
    assert_eq!(
        row("WP2")
            .cells
            .iter()
            .map(|c| c.running)
            .collect::<Vec<_>>(),
        [false, true, true]
    );
    // the cancelled task is in no year
    let dropped = row("WP1.T2");
    assert!(dropped.cancelled && dropped.cells.iter().all(|c| !c.running));
    assert_eq!(t.per_year[1].label, "Year 2 (M13–M24)");
    assert_eq!(t.per_year[1].activities, 4);
    let timeline = section(&html, "timeline");
    assert!(
        timeline.contains("<th class=\"year\">Year 1 (M1–M12)</th>"),
        "{timeline}"
    );
    assert!(timeline.contains("<h4>Year 3 (M25–M36)</h4>"), "{timeline}");
    let timeline = md_section(&markdown, "Timeline");
    assert!(
        timeline.contains(
            "| Activity | Timeframe | Year 1 (M1–M12) | Year 2 (M13–M24) | Year 3 (M25–M36) |"
        ),
        "{timeline}"
    );
    assert!(timeline.contains("#### Year 1 (M1–M12)"), "{timeline}");
}

#[test]
fn programme_wide_indicators_and_themes_apply_to_every_activity_in_the_report() {
    let (html, markdown, data) = reports(MONTH_RELATIVE);
    let kpi4 = data
        .targets
        .items
        .iter()
        .find(|r| r.id == "KPI4")
        .expect("KPI4 is a target row");
    assert_eq!(
        kpi4.contributors,
        "applies to every activity (scope: programme)"
    );
    let themes = data
        .groups
        .iter()
        .find(|g| g.heading == "Cross-cutting themes")
        .expect("a themes table");
    let counts: Vec<(&str, &str)> = themes
        .rows
        .items
        .iter()
        .map(|r| (r.id.as_str(), r.activities_count.as_str()))
        .collect();
    assert_eq!(counts, [("TH1", "all"), ("TH2", "1")]);
    let targets = section(&html, "targets");
    assert!(
        targets.contains("<td class=\"num\">applies to every activity (scope: programme)</td>"),
        "{targets}"
    );
    let funding = section(&html, "funding");
    assert!(
        funding.contains("<code>TH1</code> Gender equality</th><td class=\"num\">all</td>"),
        "{funding}"
    );
    assert!(markdown.contains("| — | applies to every activity (scope: programme) |"));
    assert!(markdown.contains("| `TH1` Gender equality | all |"));
}

#[test]
fn target_rows_say_the_bound_in_words_and_a_plan_over_it_is_over_the_limit() {
    let (html, markdown, data) = reports(MONTH_RELATIVE);
    let row = |id: &str| {
        data.targets
            .items
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id} is a target row"))
    };
    assert_eq!(row("KPI1").target.as_deref(), Some("at least 2"));
    assert_eq!(row("KPI1").state, TargetState::Met);
    let kpi2 = row("KPI2");
    assert_eq!(kpi2.target.as_deref(), Some("at most 2"));
    assert_eq!(kpi2.state, TargetState::OverLimit);
    assert_eq!(kpi2.detail, "over the limit: the plan exceeds it by 1");
    let kpi3 = row("KPI3");
    assert_eq!(
        (kpi3.target.as_deref(), kpi3.state),
        (Some("at most 5"), TargetState::Met)
    );
    assert_eq!(kpi3.detail, "within the limit, 3 to spare");
    let targets = section(&html, "targets");
    assert!(
        targets.contains("<tr class=\"st-over-limit\">"),
        "{targets}"
    );
    assert!(
        targets.contains("<td class=\"num\">at most 2</td>"),
        "{targets}"
    );
    assert!(markdown.contains(
        "| at most 2 | — | 3 | 1 | **over the limit** | over the limit: the plan exceeds it by 1 |"
    ));
}

#[test]
fn coverage_without_lines_counts_the_priorities_addressed_directly() {
    // no lines at all: the card and the text count priorities, not `0 of 0` lines
    let (html, markdown, data) = reports("tests/export/direct-priorities.yaml");
    assert_eq!(data.summary.lines, 0);
    assert_eq!(
        (
            data.summary.addressed_directly,
            data.summary.direct_priorities
        ),
        (1, 2),
        "P1 by A1; P2 only by a cancelled activity; P3 cancelled, left out"
    );
    let sentence = "The programme has no lines of action: 1 of 2 priorities with no lines of action are addressed directly by an activity.";
    assert!(html.contains(sentence), "{}", section(&html, "coverage"));
    assert!(markdown.contains(sentence));
    assert!(html.contains("<h3>Priorities addressed</h3><p class=\"big\">1 of 2"));
    assert!(markdown.contains("- Priorities addressed: 1 of 2 (50%)"));
    for text in [&html, &markdown] {
        assert!(!text.contains("0 of 0"), "a share of nothing");
        assert!(!text.contains("0/0"), "a share of nothing");
    }
    // lines and priorities without lines side by side: both counted, each of its own
    let (html, markdown, _) = reports("tests/structure/valid/action-plan.json");
    let sentence = "1 of 1 line of action is addressed by an activity (100%); 1 of 1 priority with no lines of action is addressed directly by an activity.";
    assert!(html.contains(sentence), "{}", section(&html, "coverage"));
    assert!(markdown.contains(sentence));
    assert!(!html.contains("0 of 0") && !markdown.contains("0 of 0"));
}

// ---------------------------------------------------------------------------------
// cancelled work struck through, milestones in the timeline
// ---------------------------------------------------------------------------------

const CANCELLED: &str = "tests/export/cancelled-report.yaml";

/// The year card of one year in the HTML timeline section.
fn year_card<'h>(timeline: &'h str, year: &str) -> &'h str {
    let card = &timeline[timeline.find(&format!("<h4>{year}</h4>")).unwrap()..];
    &card[..card.find("</div>").unwrap()]
}

#[test]
fn cancelled_priorities_are_struck_through_in_the_shares_table_and_the_matrix() {
    let (html, markdown, data) = reports(CANCELLED);
    let p2 = data
        .coverage
        .priorities
        .iter()
        .find(|p| p.id == "P2")
        .unwrap();
    assert!(p2.cancelled);
    let coverage = section(&html, "coverage");
    let shares = &coverage[coverage.find("<table class=\"shares\">").unwrap()..];
    let shares = &shares[..shares.find("</table>").unwrap()];
    assert!(
        shares.contains(
            "<th scope=\"row\"><s><code>P2</code> Dropped priority</s> \
             <span class=\"of\">cancelled</span></th>"
        ),
        "{shares}"
    );
    assert!(shares.contains("<th scope=\"row\"><code>P1</code> Live priority</th>"));
    let matrix = &coverage[coverage.find("<table class=\"matrix\">").unwrap()..];
    assert!(
        matrix.contains(
            "<th scope=\"rowgroup\" colspan=\"2\"><s><code>P2</code> Dropped priority</s>"
        ),
        "{matrix}"
    );
    let coverage = md_section(&markdown, "Coverage of the lines of action");
    assert!(
        coverage.contains("| ~~`P2` Dropped priority~~ (cancelled) | — |"),
        "{coverage}"
    );
    assert!(
        coverage.contains("### ~~`P2` Dropped priority~~ (cancelled)\n"),
        "{coverage}"
    );
    assert!(coverage.contains("### `P1` Live priority\n"), "{coverage}");
}

#[test]
fn cancelled_activities_are_struck_through_in_the_matrix_and_its_key() {
    let (html, markdown, data) = reports(CANCELLED);
    let cancelled: Vec<(&str, bool)> = data
        .coverage
        .columns
        .iter()
        .map(|c| (c.id.as_str(), c.cancelled))
        .collect();
    assert_eq!(cancelled, [("A1", false), ("A2", true), ("A3", false)]);
    let coverage = section(&html, "coverage");
    assert!(
        coverage.contains(
            "<th class=\"col\" title=\"Dropped activity (cancelled)\"><span><s>A2</s></span></th>"
        ),
        "{coverage}"
    );
    assert!(coverage.contains("<th class=\"col\" title=\"Live activity\"><span>A1</span></th>"));
    assert!(
        coverage.contains(
            "<li><s><code>A2</code> Dropped activity</s> <span class=\"of\">cancelled</span></li>"
        ),
        "{coverage}"
    );
    let coverage = md_section(&markdown, "Coverage of the lines of action");
    assert!(
        coverage.contains("| Line of action | Status | `A1` | ~~`A2`~~ | `A3` |"),
        "{coverage}"
    );
    assert!(
        coverage.contains("- ~~`A2` Dropped activity~~ (cancelled)\n"),
        "{coverage}"
    );
    assert!(coverage.contains("- `A1` Live activity\n"), "{coverage}");
}

#[test]
fn activities_nested_in_a_cancelled_activity_are_struck_through_in_the_timeline() {
    let (html, markdown, data) = reports(CANCELLED);
    let row = data
        .timeline
        .rows
        .items
        .iter()
        .find(|r| r.id == "A2.1")
        .unwrap();
    assert!(row.cancelled, "A2.1 is cancelled with A2");
    assert_eq!(row.depth, 1, "under A2, which has a row");
    let timeline = section(&html, "timeline");
    assert!(
        timeline.contains(
            "<th scope=\"row\" class=\"depth-1\"><s><code>A2.1</code> Dropped sub-task</s> \
             <span class=\"of\">cancelled</span></th>"
        ),
        "{timeline}"
    );
    let timeline = md_section(&markdown, "Timeline");
    assert!(
        timeline.contains("| ~~↳ `A2.1` Dropped sub-task~~ (cancelled) |"),
        "{timeline}"
    );
}

#[test]
fn cancelled_priorities_and_activities_are_struck_through_in_the_results_chain() {
    let (html, _, data) = reports(CANCELLED);
    let cancelled: Vec<&str> = data
        .chain
        .chain
        .nodes
        .iter()
        .filter(|n| n.cancelled)
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(cancelled, ["P2", "A2", "A2.1"]);
    let diagram = section(&html, "diagram");
    for (id, title) in [
        ("P2", "Dropped priority"),
        ("A2", "Dropped activity"),
        ("A2.1", "Dropped sub-task"),
    ] {
        let tooltip = format!("<g><title>{id} — {title} (cancelled)</title>");
        let at = diagram
            .find(&tooltip)
            .unwrap_or_else(|| panic!("{tooltip}: {diagram}"));
        let element = &diagram[at..at + diagram[at..].find("</g>").unwrap()];
        assert!(
            element.contains(" text-decoration=\"line-through\">"),
            "{element}"
        );
    }
    let live = diagram
        .find("<g><title>A1 — Live activity</title>")
        .unwrap();
    let element = &diagram[live..live + diagram[live..].find("</g>").unwrap()];
    assert!(!element.contains("line-through"), "{element}");
}

#[test]
fn cancelled_milestones_are_in_the_timeline_struck_through_and_in_no_count() {
    let (html, markdown, data) = reports(CANCELLED);
    let t = &data.timeline;
    let a1 = t.rows.items.iter().find(|r| r.id == "A1").unwrap();
    // 2023: MS1; 2024: MS2, cancelled
    let milestones: Vec<(usize, usize)> = a1
        .cells
        .iter()
        .map(|c| (c.milestones.len(), c.live_milestones()))
        .collect();
    assert_eq!(milestones, [(1, 1), (1, 0), (0, 0)]);
    let y2024 = &t.per_year[1];
    assert_eq!((y2024.milestones.total(), y2024.milestones_due), (1, 0));
    let timeline = section(&html, "timeline");
    assert!(
        timeline.contains(
            "<s class=\"ms\" title=\"MS2 — Dropped review, due 2024-06 (cancelled)\">◆</s>"
        ),
        "{timeline}"
    );
    let card = year_card(timeline, "2024");
    assert!(card.contains(", 0 milestones</p>"), "{card}");
    assert!(
        card.contains(
            "<li>◆ <s><code>MS2</code> Dropped review</s> <span class=\"of\">cancelled</span> \
             <span class=\"of\">due 2024-06</span></li>"
        ),
        "{card}"
    );
    let timeline = md_section(&markdown, "Timeline");
    assert!(timeline.contains("| ■ ~~◆~~ |"), "{timeline}");
    assert!(
        timeline.contains("1 activity running, 0 deliverables, 0 milestones.\n"),
        "{timeline}"
    );
    assert!(
        timeline.contains("- ◆ ~~`MS2` Dropped review~~ (cancelled), due 2024-06\n"),
        "{timeline}"
    );
}

#[test]
fn milestone_markers_name_their_milestone() {
    let (html, markdown, _) = reports(CANCELLED);
    let timeline = section(&html, "timeline");
    assert!(
        timeline.contains("<span class=\"ms\" title=\"MS1 — Kick-off held, due 2023-03\">◆</span>"),
        "{timeline}"
    );
    assert!(md_section(&markdown, "Timeline").contains("| ■ ◆1 |"));
}

#[test]
fn year_cards_list_the_milestones_due_that_year() {
    let (html, markdown, data) = reports(CANCELLED);
    let y2023 = &data.timeline.per_year[0];
    assert_eq!(y2023.milestones.items[0].item.id, "MS1");
    assert_eq!(y2023.milestones.items[0].due.as_deref(), Some("2023-03"));
    let timeline = section(&html, "timeline");
    let card = year_card(timeline, "2023");
    assert!(card.contains(", 1 milestone</p>"), "{card}");
    assert!(
        card.contains(
            "<ul class=\"milestones\"><li>◆ <code>MS1</code> Kick-off held \
             <span class=\"of\">due 2023-03</span></li></ul>"
        ),
        "{card}"
    );
    // a year with no milestone says nothing of them
    let card = year_card(timeline, "2025");
    assert!(!card.contains("milestone"), "{card}");
    let timeline = md_section(&markdown, "Timeline");
    assert!(
        timeline.contains(
            "#### 2023\n\n1 activity running, 0 deliverables, 1 milestone.\n\n\
             - ◆ `MS1` Kick-off held, due 2023-03\n"
        ),
        "{timeline}"
    );
}

#[test]
fn the_timeline_legend_shows_the_milestone_marker() {
    let (html, markdown, _) = reports(CANCELLED);
    assert!(
        section(&html, "timeline").contains("◆ marks a milestone due that year"),
        "{html}"
    );
    assert!(md_section(&markdown, "Timeline").contains("◆ marks the milestones due that year"));
}

#[test]
fn a_timed_sub_activity_of_an_untimed_parent_is_not_indented() {
    let (html, markdown, data) = reports(CANCELLED);
    let t = &data.timeline;
    assert!(t.rows.items.iter().all(|r| r.id != "A3"), "A3 has no row");
    let a31 = t.rows.items.iter().find(|r| r.id == "A3.1").unwrap();
    assert_eq!(a31.depth, 0);
    let timeline = section(&html, "timeline");
    assert!(
        timeline.contains(
            "<tr class=\"depth-0\"><th scope=\"row\" class=\"depth-0\"><code>A3.1</code> Timed child</th>"
        ),
        "{timeline}"
    );
    let timeline = md_section(&markdown, "Timeline");
    assert!(
        timeline.contains("\n| `A3.1` Timed child | 2025 |"),
        "{timeline}"
    );
}

#[test]
fn linked_third_parties_are_marked_in_the_effort_table() {
    let (html, markdown, data) = reports(CANCELLED);
    let effort = data.effort.as_ref().expect("the fixture states effort");
    let ltp = effort
        .rows
        .items
        .iter()
        .find(|r| r.partner.id == "LTP")
        .expect("LTP puts in effort");
    assert_eq!(ltp.linked_to.as_deref(), Some("COORD"));
    let table = section(&html, "effort");
    assert!(
        table.contains(
            "<th scope=\"row\"><code>LTP</code> Example University Hospital \
             <span class=\"of\">(linked third party of <code>COORD</code>)</span></th>"
        ),
        "{table}"
    );
    assert!(!table.contains("linked third party of <code>LTP</code>"));
    let table = md_section(&markdown, "Effort per partner and work package");
    assert!(
        table.contains("| `LTP` Example University Hospital (linked third party of `COORD`) |"),
        "{table}"
    );
}

#[test]
fn cancelled_activities_are_struck_through_in_the_lists_of_activities() {
    let (html, markdown, data) = reports(CANCELLED);
    // a cancelled activity serves no line: A2.1 addresses P1.1 but is no tick of the
    // matrix (its column is struck through, see the test above)
    let line = &data.coverage.priorities[0].rows[0];
    assert!(
        line.cells
            .iter()
            .all(|c| c.via.iter().all(|v| v.id != "A2.1")),
        "{:?}",
        line.cells
    );
    let coverage = section(&html, "coverage");
    assert!(
        !coverage.contains("<small><s title=\"cancelled\">A2.1</s></small>"),
        "{coverage}"
    );
    let funding = section(&html, "funding");
    assert!(
        funding.contains("<s title=\"cancelled\"><code>A2</code></s>"),
        "{funding}"
    );
    assert!(!funding.contains("<s title=\"cancelled\"><code>A1</code></s>"));
    assert!(
        !md_section(&markdown, "Coverage of the lines of action").contains("~~A2.1~~ |"),
        "{markdown}"
    );
    assert!(
        md_section(&markdown, "Funding, partners, networks and themes").contains("~~`A2`~~"),
        "{markdown}"
    );
}

#[test]
fn milestones_in_project_years_are_placed_by_the_core_and_cancelled_ones_by_their_due_date() {
    let (html, markdown, data) = reports("tests/export/cancelled-milestone-months.yaml");
    let t = &data.timeline;
    assert!(t.in_project_years);
    let wp1 = &t.rows.items[0];
    let ids: Vec<Vec<(&str, bool)>> = wp1
        .cells
        .iter()
        .map(|c| {
            c.milestones
                .iter()
                .map(|m| (m.item.id.as_str(), m.item.cancelled))
                .collect()
        })
        .collect();
    assert_eq!(
        ids,
        [
            vec![("MS1", false), ("MS2", false)],
            vec![("MS2", false), ("MS3", true)]
        ]
    );
    assert_eq!(
        t.per_year
            .iter()
            .map(|y| (y.milestones.total(), y.milestones_due))
            .collect::<Vec<_>>(),
        [(2, 2), (2, 1)]
    );
    let timeline = section(&html, "timeline");
    assert!(
        timeline.contains("<span class=\"ms\" title=\"MS1 — Started, due M6\">◆</span>"),
        "{timeline}"
    );
    assert!(timeline.contains("<span class=\"ms\" title=\"MS2 — Whenever\">◆</span>"));
    assert!(
        timeline
            .contains("<s class=\"ms\" title=\"MS3 — Dropped check, due M14 (cancelled)\">◆</s>"),
        "{timeline}"
    );
    assert!(
        md_section(&markdown, "Timeline").contains("| ■ 1 ◆1 ~~◆~~ |"),
        "{markdown}"
    );
}
