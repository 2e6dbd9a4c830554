//! `policygraph export`: the formats this command writes to standard output and to
//! files, and its failures.
//!
//! Review snapshot changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test
//! -p policygraph-cli --test export` and read the diff).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{REFERENCE, cli, run, stderr, stdout};
use insta_cmd::assert_cmd_snapshot;

const HOSTILE: &str = "tests/export/hostile.yaml";

#[test]
fn export_dot_to_stdout() {
    assert_cmd_snapshot!(
        "export_hostile_dot",
        cli().args(["export", HOSTILE, "--to", "dot"])
    );
}

#[test]
fn export_mermaid_to_stdout() {
    assert_cmd_snapshot!(
        "export_hostile_mermaid",
        cli().args(["export", HOSTILE, "--to", "mermaid"])
    );
}

#[test]
fn export_csv_to_stdout_names_every_table() {
    let out = run(cli().args(["export", HOSTILE, "--to", "csv"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# file: "))
        .collect();
    assert_eq!(
        names,
        [
            "programme.csv",
            "priority.csv",
            "line_of_action.csv",
            "activity.csv",
            "deliverable.csv",
            "output.csv",
            "outcome.csv",
            "indicator.csv",
            "funding_source.csv",
            "links.csv"
        ]
    );
    assert!(text.starts_with("# file: programme.csv\nid,title,parent,"));
}

#[test]
fn export_csv_to_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("tables");
    let out = run(cli()
        .args(["export", REFERENCE, "--to", "csv", "-o"])
        .arg(&target));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let mut names: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    insta::assert_snapshot!("export_reference_csv_files", names.join("\n"));
    // the files are the tables the library renders
    let loaded =
        policygraph::load_path(&common::root().join(REFERENCE), &Default::default()).unwrap();
    let graph = policygraph::Graph::build(&loaded.document);
    for table in policygraph_export::csv::tables(&graph) {
        let written = std::fs::read_to_string(target.join(&table.name)).unwrap();
        assert_eq!(written, table.content, "{}", table.name);
    }
}

#[test]
fn export_jsonld_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("graph.jsonld");
    let out = run(cli()
        .args(["export", HOSTILE, "--to", "jsonld", "-o"])
        .arg(&path));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&path).unwrap();
    let value = common::json(&text);
    assert!(value["@graph"].as_array().is_some_and(|g| !g.is_empty()));
}

#[test]
fn export_succeeds_on_a_programme_with_findings() {
    // the reference programme has findings; `check` exits 1 on it, `export` 0
    let out = run(cli().args(["export", REFERENCE, "--to", "mermaid"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("flowchart LR"));
}

#[test]
fn export_missing_file() {
    assert_cmd_snapshot!(
        "export_error_missing_file",
        cli().args(["export", "missing.yaml", "--to", "dot"])
    );
}

#[test]
fn export_unreadable_document() {
    let out = run(cli().args([
        "export",
        "tests/structure/invalid/three-problems.yaml",
        "--to",
        "csv",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("could not be read"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_to_an_unwritable_path() {
    let dir = tempfile::tempdir().unwrap();
    // a directory cannot be written as a file, a file cannot become a directory
    let out = run(cli()
        .args(["export", HOSTILE, "--to", "dot", "-o"])
        .arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: cannot write `"),
        "{}",
        stderr(&out)
    );
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let out = run(cli()
        .args(["export", HOSTILE, "--to", "csv", "-o"])
        .arg(&file));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: cannot write `"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_unknown_format() {
    assert_cmd_snapshot!(
        "export_error_unknown_format",
        cli().args(["export", REFERENCE, "--to", "pdf"])
    );
}
