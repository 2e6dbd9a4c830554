//! How `check` and `validate` list findings for people: `--format concise`,
//! `--statistics`, `--sort`, `--max-findings`, the counts first when the findings take
//! more than a screen, long lines and many findings.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write;

use common::{REFERENCE, cli, run, stderr, stdout};
use insta_cmd::assert_cmd_snapshot;

#[test]
fn check_reference_concise() {
    assert_cmd_snapshot!(
        "check_reference_concise",
        cli().args(["check", REFERENCE, "--format", "concise"])
    );
}

#[test]
fn check_reference_statistics() {
    assert_cmd_snapshot!(
        "check_reference_statistics",
        cli().args(["check", REFERENCE, "--statistics"])
    );
}

#[test]
fn check_reference_sorted() {
    for by in ["severity", "file", "code"] {
        assert_cmd_snapshot!(
            format!("check_reference_sort_{by}"),
            cli().args(["check", REFERENCE, "--format", "concise", "--sort", by])
        );
    }
}

#[test]
fn check_reference_max_findings() {
    // the default format keeps its snippets; the line after them says what was left out
    assert_cmd_snapshot!(
        "check_reference_max_findings",
        cli().args(["check", REFERENCE, "--max-findings", "2", "--sort", "code"])
    );
}

#[test]
fn validate_reference_concise_and_statistics() {
    assert_cmd_snapshot!(
        "validate_reference_concise",
        cli().args([
            "validate",
            REFERENCE,
            "--format",
            "concise",
            "--max-findings",
            "5"
        ])
    );
    assert_cmd_snapshot!(
        "validate_reference_statistics",
        cli().args(["validate", REFERENCE, "tests/conformance", "--statistics"])
    );
}

#[test]
fn listing_flags_are_refused_with_machine_formats() {
    assert_cmd_snapshot!(
        "validate_statistics_json",
        cli().args(["validate", REFERENCE, "--format", "json", "--statistics"])
    );
}

#[test]
fn the_counts_come_first_when_the_findings_take_more_than_a_screen() {
    // 20 findings with their snippets are longer than a screen; one line each is not
    let full = stdout(&run(cli().args(["check", REFERENCE])));
    let status =
        "checked: `examples/pompidou-2023-2025.yaml` (yaml): 0 errors, 12 warnings, 8 info";
    assert!(full.starts_with(&format!("{status}\n\n")), "{full}");
    assert!(full.ends_with(&format!("{status}\n")));
    let concise = stdout(&run(cli().args(["check", REFERENCE, "--format", "concise"])));
    assert!(concise.starts_with("examples/"), "{concise}");
}

#[test]
fn a_finding_on_a_very_long_line_is_quoted_clipped() {
    // valid minified JSON with a 65,536-character note before the findings: miette
    // panicked past column 65,535
    let reference = stdout(&run(cli().args(["convert", REFERENCE, "--to", "json"])));
    let mut doc: serde_json::Value = serde_json::from_str(&reference).unwrap();
    doc["programme"]["notes"] = serde_json::Value::String("x".repeat(65_536));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minified.json");
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();

    let out = run(cli().arg("check").arg(&path));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let quoted: Vec<&str> = text.lines().filter(|l| l.starts_with(" 1 │ ")).collect();
    assert_eq!(quoted.len(), 20, "{text}");
    for line in quoted {
        assert!(line.starts_with(" 1 │ …") && line.ends_with('…'), "{line}");
        assert!(line.chars().count() < 300, "{line}");
    }
    assert!(text.contains("minified.json:1:"), "{text}");
    assert!(text.contains("`P1.5`"));
}

/// A programme of `n` activities, each without deliverables: `n` findings PG703.
fn many_findings(n: usize) -> String {
    let mut doc = String::from(
        "format: policygraph/v1\nprogramme: {id: p, title: Large programme, period: 2023-2025}\n\
         priorities:\n  - id: P1\n    title: Priority\n    actions: [{id: P1.1, title: Line}]\n\
         activities:\n",
    );
    for i in 0..n {
        let _ = writeln!(
            doc,
            "  - id: A{i}\n    title: Activity {i}\n    timeframe: 2024\n    addresses: [P1.1]"
        );
    }
    doc
}

#[test]
fn ten_thousand_findings_are_all_rendered() {
    const N: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.yaml");
    std::fs::write(&path, many_findings(N)).unwrap();
    let shown = path.display().to_string();

    let out = run(cli().arg("check").arg(&path));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let status = format!("checked: `{shown}` (json): 0 errors, {N} warnings, 0 info")
        .replace("(json)", "(yaml)");
    assert!(text.starts_with(&format!("{status}\n\n")));
    assert!(text.ends_with(&format!("{status}\n")));
    assert_eq!(
        text.matches("PG703/activity-without-deliverables").count(),
        N
    );
    // each with its own lines: activity i starts on line 8 + 4i
    for i in [0, 1, 4_999, N - 1] {
        let line = 8 + 4 * i;
        assert!(
            text.contains(&format!("╭─[{shown}:{line}:5]")),
            "activity {i} at line {line}"
        );
        assert!(text.contains(&format!(" │   - id: A{i}\n")), "activity {i}");
        assert!(text.contains(&format!("╰── at `/activities/{i}`")));
    }

    let out = run(cli()
        .arg("validate")
        .arg(&path)
        .args(["--format", "concise", "--sort", "code"]));
    let text = stdout(&out);
    assert_eq!(
        text.lines().count(),
        N + 3,
        "status, blank line, findings, status"
    );
    let last = N - 1;
    let line = 8 + 4 * last;
    assert!(text.contains(&format!(
        "{shown}:{line}:5: warning PG703/activity-without-deliverables activity `A{last}` has no deliverables\n"
    )));

    let out = run(cli()
        .arg("check")
        .arg(&path)
        .args(["--statistics", "--max-findings", "3"]));
    assert!(stdout(&out).contains(&format!(
        "  {N}  PG703/activity-without-deliverables  warning"
    )));
}
