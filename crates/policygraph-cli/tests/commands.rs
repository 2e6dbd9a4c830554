//! Snapshots of every command on the reference programme and the fixtures, as a person
//! or a machine sees them (no colour, paths relative to the repository root).
//!
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test -p
//! policygraph-cli` and read the diff).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{REFERENCE, cli, conformance, structure};
use insta_cmd::assert_cmd_snapshot;

/// Snapshots with the crate version replaced, so a release does not touch them.
fn stable<F: FnOnce()>(f: F) {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&regex_escape(env!("CARGO_PKG_VERSION")), "[VERSION]");
    settings.bind(f);
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_ascii_alphanumeric() {
                vec![c]
            } else {
                vec!['\\', c]
            }
        })
        .collect()
}

#[test]
fn help() {
    stable(|| assert_cmd_snapshot!("help", cli().arg("--help")));
}

#[test]
fn every_command_has_help() {
    for command in [
        "check", "validate", "coverage", "trace", "impact", "query", "rules", "init", "convert",
        "schema", "generate", "diff", "export",
    ] {
        let out = common::run(cli().args([command, "--help"]));
        assert!(out.status.success(), "{command} --help");
        let text = common::stdout(&out);
        assert!(
            text.contains(&format!("Usage: policygraph {command}")),
            "{command}: {text}"
        );
    }
}

#[test]
fn check_reference() {
    assert_cmd_snapshot!("check_reference", cli().args(["check", REFERENCE]));
}

#[test]
fn check_reference_with_rules_switched_off() {
    // switched off, the uncovered lines disappear from the findings and the counts
    assert_cmd_snapshot!(
        "check_reference_allow",
        cli().args([
            "check",
            REFERENCE,
            "--allow",
            "PG702",
            "--allow",
            "indicator-without-contributors",
            "--allow",
            "PG703",
        ])
    );
}

#[test]
fn validate_reference_human() {
    assert_cmd_snapshot!(
        "validate_reference_human",
        cli().args(["validate", REFERENCE])
    );
}

#[test]
fn validate_reference_json() {
    assert_cmd_snapshot!(
        "validate_reference_json",
        cli().args(["validate", REFERENCE, "--format", "json"])
    );
}

#[test]
fn validate_reference_github() {
    assert_cmd_snapshot!(
        "validate_reference_github",
        cli().args(["validate", REFERENCE, "--format", "github"])
    );
}

#[test]
fn validate_sarif_small() {
    stable(|| {
        assert_cmd_snapshot!(
            "validate_sarif_eu_grant",
            cli().args([
                "validate",
                "tests/structure/valid/eu-grant-work-plan.yaml",
                "--format",
                "sarif"
            ])
        )
    });
}

#[test]
fn validate_structure_fixtures_human() {
    assert_cmd_snapshot!(
        "validate_structure_human",
        cli().arg("validate").args(structure())
    );
}

#[test]
fn validate_structure_fixtures_json() {
    assert_cmd_snapshot!(
        "validate_structure_json",
        cli()
            .arg("validate")
            .args(structure())
            .args(["--format", "json"])
    );
}

#[test]
fn validate_conformance_fixtures_github() {
    assert_cmd_snapshot!(
        "validate_conformance_github",
        cli()
            .arg("validate")
            .args(conformance())
            .args(["--format", "github"])
    );
}

#[test]
fn coverage_reference_table() {
    assert_cmd_snapshot!(
        "coverage_reference_table",
        cli().args(["coverage", REFERENCE])
    );
}

#[test]
fn coverage_reference_markdown() {
    assert_cmd_snapshot!(
        "coverage_reference_markdown",
        cli().args(["coverage", REFERENCE, "--format", "markdown"])
    );
}

#[test]
fn coverage_reference_csv() {
    assert_cmd_snapshot!(
        "coverage_reference_csv",
        cli().args(["coverage", REFERENCE, "--format", "csv"])
    );
}

#[test]
fn coverage_reference_json() {
    assert_cmd_snapshot!(
        "coverage_reference_json",
        cli().args(["coverage", REFERENCE, "--format", "json"])
    );
}

#[test]
fn coverage_of_a_conformance_fixture() {
    assert_cmd_snapshot!(
        "coverage_clean_fixture",
        cli().args(["coverage", "tests/conformance/clean.yaml"])
    );
}

#[test]
fn trace_reference() {
    assert_cmd_snapshot!("trace_reference", cli().args(["trace", REFERENCE, "A5.1"]));
    assert_cmd_snapshot!(
        "trace_reference_line",
        cli().args(["trace", REFERENCE, "P2.2"])
    );
    assert_cmd_snapshot!(
        "trace_reference_json",
        cli().args(["trace", REFERENCE, "D1.1", "--format", "json"])
    );
}

/// Dependencies of each type, what informs an element and cross-references, both ways,
/// with the type of a dependency that is not finish to start.
#[test]
fn trace_dependencies_and_cross_references() {
    const ACTION_PLAN: &str = "tests/structure/valid/action-plan.json";
    assert_cmd_snapshot!(
        "trace_action_plan_dependant",
        cli().args(["trace", ACTION_PLAN, "ACT2"])
    );
    assert_cmd_snapshot!(
        "trace_action_plan_dependency",
        cli().args(["trace", ACTION_PLAN, "ACT1"])
    );
}

#[test]
fn impact_reference() {
    assert_cmd_snapshot!("impact_reference", cli().args(["impact", REFERENCE, "A5"]));
    assert_cmd_snapshot!(
        "impact_reference_json",
        cli().args(["impact", REFERENCE, "OUT1", "--format", "json"])
    );
    assert_cmd_snapshot!(
        "impact_reference_nothing",
        cli().args(["impact", REFERENCE, "A5.6"])
    );
}

#[test]
fn query_reference() {
    assert_cmd_snapshot!(
        "query_reference_table",
        cli().args([
            "query",
            REFERENCE,
            "--kind",
            "activity",
            "--year",
            "2024",
            "--funding",
            "VC"
        ])
    );
    assert_cmd_snapshot!(
        "query_reference_json",
        cli().args(["query", REFERENCE, "--priority", "P2", "--format", "json"])
    );
    assert_cmd_snapshot!(
        "query_reference_csv",
        cli().args([
            "query",
            REFERENCE,
            "--kind",
            "deliverable",
            "--status",
            "new",
            "--format",
            "csv"
        ])
    );
    assert_cmd_snapshot!(
        "query_reference_empty",
        cli().args(["query", REFERENCE, "--kind", "milestone"])
    );
}

#[test]
fn rules() {
    assert_cmd_snapshot!("rules_list", cli().arg("rules"));
    assert_cmd_snapshot!("rules_explain", cli().args(["rules", "PG101"]));
    assert_cmd_snapshot!(
        "rules_explain_by_name",
        cli().args(["rules", "orphan-element"])
    );
}

#[test]
fn bad_input_is_one_line() {
    for (name, args) in [
        ("missing_file", vec!["check", "missing.yaml"]),
        (
            "missing_file_validate",
            vec![
                "validate",
                "missing.yaml",
                "tests/structure/valid/minimal.yaml",
            ],
        ),
        (
            "empty_directory",
            vec!["validate", "crates/policygraph-cli/src/commands"],
        ),
        ("unknown_id", vec!["trace", REFERENCE, "A51"]),
        ("unknown_id_impact", vec!["impact", REFERENCE, "P1.99"]),
        (
            "unknown_format",
            vec!["validate", REFERENCE, "--format", "xml"],
        ),
        (
            "unknown_kind",
            vec!["query", REFERENCE, "--kind", "activties"],
        ),
        (
            "unknown_filter_id",
            vec!["query", REFERENCE, "--funding", "XB"],
        ),
        (
            "wrong_kind_filter",
            vec!["query", REFERENCE, "--priority", "OB"],
        ),
        ("unknown_rule", vec!["rules", "PG10"]),
        (
            "unknown_rule_flag",
            vec!["check", REFERENCE, "--allow", "orphan-elements"],
        ),
        (
            "reading_code_flag",
            vec!["check", REFERENCE, "--warn", "PG002"],
        ),
        ("too_large", vec!["check", REFERENCE, "--max-bytes", "1000"]),
        ("unknown_extension", vec!["check", "README.md"]),
        ("missing_argument", vec!["trace", REFERENCE]),
        ("unknown_command", vec!["chek", REFERENCE]),
        (
            "unknown_option",
            vec!["check", REFERENCE, "--max-byte", "3"],
        ),
    ] {
        assert_cmd_snapshot!(format!("error_{name}"), cli().args(args));
    }
}

#[test]
fn a_document_that_cannot_be_read_shows_where() {
    assert_cmd_snapshot!(
        "error_syntax",
        cli().args(["check", "tests/structure/invalid/three-problems.yaml"])
    );
}

#[test]
fn schema_commands() {
    let out = common::run(cli().arg("schema"));
    assert!(out.status.success());
    assert_eq!(
        common::stdout(&out),
        policygraph::schema::document_schema_text()
    );
}
