//! `policygraph diff OLD NEW`: snapshots of each format on versions of the reference
//! programme (`tests/diff/`), exit codes, and document text that must not break the
//! output.
//!
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test -p
//! policygraph-cli --test diff` and read the diff).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{REFERENCE, cli, json, run, stderr, stdout};
use insta_cmd::assert_cmd_snapshot;

const LINE_DROPPED: &str = "tests/diff/line-dropped.yaml";
const RENAMED_AND_MOVED: &str = "tests/diff/renamed-and-moved.yaml";

#[test]
fn line_dropped_in_every_format() {
    assert_cmd_snapshot!(
        "diff_line_dropped_human",
        cli().args(["diff", REFERENCE, LINE_DROPPED])
    );
    assert_cmd_snapshot!(
        "diff_line_dropped_markdown",
        cli().args(["diff", REFERENCE, LINE_DROPPED, "--format", "markdown"])
    );
    assert_cmd_snapshot!(
        "diff_line_dropped_json",
        cli().args(["diff", REFERENCE, LINE_DROPPED, "--format", "json"])
    );
}

#[test]
fn renamed_and_moved_in_every_format() {
    assert_cmd_snapshot!(
        "diff_renamed_and_moved_human",
        cli().args(["diff", REFERENCE, RENAMED_AND_MOVED])
    );
    assert_cmd_snapshot!(
        "diff_renamed_and_moved_markdown",
        cli().args(["diff", REFERENCE, RENAMED_AND_MOVED, "--format", "markdown"])
    );
    assert_cmd_snapshot!(
        "diff_renamed_and_moved_json",
        cli().args(["diff", REFERENCE, RENAMED_AND_MOVED, "--format", "json"])
    );
}

#[test]
fn target_and_timeframe_changes_for_people() {
    assert_cmd_snapshot!(
        "diff_target_raised_human",
        cli().args(["diff", REFERENCE, "tests/diff/target-raised.yaml"])
    );
    assert_cmd_snapshot!(
        "diff_activity_moved_human",
        cli().args(["diff", REFERENCE, "tests/diff/activity-moved-to-2025.yaml"])
    );
}

#[test]
fn equal_versions_exit_0_in_every_format() {
    for format in ["human", "markdown", "json"] {
        let out = run(cli().args([
            "diff",
            REFERENCE,
            "tests/diff/reformatted.json",
            "--format",
            format,
        ]));
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let text = stdout(&out);
        match format {
            "json" => {
                let v = json(&text);
                assert_eq!(v["added"], serde_json::json!([]));
                assert_eq!(v["summary"]["changed"], 0);
            }
            _ => assert!(text.to_lowercase().contains("no differences"), "{text}"),
        }
    }
    assert_cmd_snapshot!(
        "diff_equal_human",
        cli().args(["diff", REFERENCE, "tests/diff/reformatted.json"])
    );
}

#[test]
fn different_versions_exit_1_in_every_format() {
    for format in ["human", "markdown", "json"] {
        let out = run(cli().args([
            "diff",
            REFERENCE,
            "tests/diff/target-raised.yaml",
            "--format",
            format,
        ]));
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{format}: {}", stderr(&out));
    }
}

#[test]
fn json_is_the_diff_and_ends_with_a_newline() {
    let out = run(cli().args(["diff", REFERENCE, LINE_DROPPED, "--format", "json"]));
    let text = stdout(&out);
    assert!(text.ends_with("}\n"));
    let d: policygraph::Diff = serde_json::from_str(&text).unwrap();
    assert_eq!(d.removed[0].id, "P1.8");
    assert_eq!(d.summary.removed, 1);
}

#[test]
fn a_missing_or_unreadable_file_exits_2() {
    let out = run(cli().args(["diff", REFERENCE, "tests/diff/no-such-file.yaml"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("no-such-file.yaml"),
        "{}",
        stderr(&out)
    );
    let out = run(cli().args(["diff", "tests/diff/no-such-file.yaml", REFERENCE]));
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "format: policygraph/v1\nprogramme: {titel: x}\n").unwrap();
    let out = run(cli().arg("diff").arg(REFERENCE).arg(&broken));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("could not be read"),
        "{}",
        stderr(&out)
    );
}

const OLD: &str = r#"
format: policygraph/v1
programme: {id: p, title: Programme, period: 2023-2025}
priorities:
  - id: P1
    title: One
    actions: [{id: L1, title: Line}]
activities:
  - {id: A1, title: Plain, timeframe: "2023", addresses: [L1]}
"#;

const NEW: &str = r#"
format: policygraph/v1
programme: {id: p, title: Programme, period: 2023-2025}
priorities:
  - id: P1
    title: One
    actions: [{id: L1, title: Line}]
activities:
  - id: A1
    title: "Pipes | and `ticks` and *stars*\nand a second line"
    timeframe: "2023"
    addresses: [L1]
    description: "a | b\n## not a heading"
  - {id: A2, title: "New <b>bold</b> | activity", addresses: [L1]}
"#;

#[test]
fn document_text_does_not_break_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&old, OLD).unwrap();
    std::fs::write(&new, NEW).unwrap();
    let diff = |format: &str| {
        let out = run(cli()
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(["--format", format]));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        stdout(&out)
    };

    let markdown = diff("markdown");
    for line in markdown.lines() {
        // every item is one line; no heading but ours; document text escaped
        assert!(
            line.is_empty()
                || line.starts_with("## Changes")
                || line.starts_with("### ")
                || line.starts_with("- **")
                || line.starts_with('|')
                || line.ends_with('.'),
            "stray line: {line:?}\n{markdown}"
        );
        if line.starts_with("- **") {
            // outside code spans, document text is escaped
            let prose: String = line.replace("\\`", "").split('`').step_by(2).collect();
            assert!(!prose.replace("\\|", "").contains('|'), "{line}");
            assert!(!prose.replace("\\<", "").contains('<'), "{line}");
        }
    }
    assert!(markdown.contains(r"Pipes \| and \`ticks\` and \*stars\* and a second line"));
    assert!(markdown.contains("`A2`"));

    let human = diff("human");
    assert!(
        human.contains(r#""Pipes | and `ticks` and *stars* and a second line""#),
        "{human}"
    );
    assert!(human.contains("+ added activity A2"), "{human}");
    assert!(
        human.contains("~ A1 description: none → a | b ## not a heading"),
        "{human}"
    );
    for line in human.lines().skip(2) {
        assert!(
            line.is_empty() || !line.starts_with(' ') || line.starts_with("  "),
            "{line}"
        );
    }
}

#[test]
fn losing_direct_coverage_is_a_change_and_no_share_of_nothing_is_printed() {
    let old = "tests/export/direct-priorities.yaml";
    let text = std::fs::read_to_string(common::root().join(old)).unwrap();
    // A1, the only activity addressing P1, is cancelled in the new version, and P4 is
    // new with no lines and nothing addressing it
    let new_text = text
        .replace(
            "    title: Publish datasets\n",
            "    title: Publish datasets\n    status: cancelled\n",
        )
        .replace(
            "  - { id: P3, title: Open budgets, status: cancelled }\n",
            "  - { id: P3, title: Open budgets, status: cancelled }\n  - { id: P4, title: Open lobbying }\n",
        );
    assert_ne!(text, new_text);
    let dir = std::env::temp_dir().join(format!("pg-direct-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let new = dir.join("direct-priorities-new.yaml");
    std::fs::write(&new, new_text).unwrap();
    let out = run(cli().args(["diff", old]).arg(&new));
    let human = stdout(&out);
    assert!(
        human.contains(
            "no lines of action, addressed directly by activities → no lines of action and no activity addressing it"
        ),
        "{human}"
    );
    assert!(
        human.contains("is new: no lines of action and no activity addressing it"),
        "{human}"
    );
    assert!(!human.contains("0 of 0"), "{human}");
    let out = run(cli()
        .args(["diff", old])
        .arg(&new)
        .args(["--format", "json"]));
    let d: policygraph::Diff = serde_json::from_str(&stdout(&out)).unwrap();
    let p1 = d.coverage.priorities.iter().find(|p| p.id == "P1").unwrap();
    assert_eq!(p1.before.map(|s| s.share), Some(1.0));
    assert_eq!(p1.after.map(|s| s.share), Some(0.0));
    let _ = std::fs::remove_dir_all(&dir);
}
