//! Exit codes, rule flags, and the commands that write files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{REFERENCE, cli, json, run, stderr, stdout};
use policygraph::{Format, Limits};

/// The starter programme `init` writes.
const STARTER: &str = include_str!("../src/starter.yaml");

const PG101: &str = "tests/conformance/PG101-unknown-reference.yaml";

fn code(args: &[&str]) -> i32 {
    run(cli().args(args)).status.code().expect("an exit code")
}

#[test]
fn exit_codes_of_check() {
    // the reference programme has warnings only
    assert_eq!(code(&["check", REFERENCE]), 0);
    assert_eq!(code(&["check", REFERENCE, "--deny", "warnings"]), 1);
    // a rule raised to an error fails
    assert_eq!(code(&["check", REFERENCE, "--deny", "PG702"]), 1);
    // errors fail; switched off or re-levelled they do not
    assert_eq!(code(&["check", PG101]), 1);
    assert_eq!(code(&["check", PG101, "--allow", "PG101"]), 0);
    assert_eq!(code(&["check", PG101, "--warn", "unknown-reference"]), 0);
    assert_eq!(
        code(&["check", PG101, "--warn", "PG101", "--deny", "warnings"]),
        1
    );
    // `--deny` wins over `--warn`, which wins over `--allow`
    assert_eq!(
        code(&["check", PG101, "--allow", "PG101", "--deny", "PG101"]),
        1
    );
    // unreadable and bad command lines
    assert_eq!(code(&["check", "missing.yaml"]), 2);
    assert_eq!(code(&["check", "tests/structure/invalid/not-yaml.yaml"]), 2);
    assert_eq!(code(&["check", REFERENCE, "--max-bytes", "100"]), 2);
    assert_eq!(code(&["check", REFERENCE, "--allow", "PG999"]), 2);
    assert_eq!(code(&["check", REFERENCE, "--deny", "warning"]), 2);
}

#[test]
fn exit_codes_of_validate() {
    assert_eq!(code(&["validate", REFERENCE]), 0);
    assert_eq!(code(&["validate", REFERENCE, "--deny", "warnings"]), 1);
    assert_eq!(code(&["validate", REFERENCE, PG101]), 1);
    for format in ["human", "json", "sarif", "github"] {
        assert_eq!(
            code(&["validate", PG101, "--format", format]),
            1,
            "{format}"
        );
        assert_eq!(
            code(&["validate", PG101, "missing.yaml", "--format", format]),
            2,
            "{format}"
        );
    }
    assert_eq!(
        code(&["validate", "crates/policygraph-cli/src/commands"]),
        2
    );
    assert_eq!(code(&["validate", REFERENCE, "--format", "xml"]), 2);
    assert_eq!(code(&["validate"]), 2);
}

#[test]
fn an_unreadable_document_does_not_hide_the_others() {
    let out = run(cli().args([
        "validate",
        "missing.yaml",
        "tests/structure/invalid/not-json.json",
        PG101,
        "--format",
        "json",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let report = json(&stdout(&out));
    let statuses: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["unreadable", "unreadable", "findings"]);
    assert_eq!(report["summary"]["unreadable"], 2);
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "PG008");
    assert_eq!(report["files"][1]["diagnostics"][0]["code"], "PG001");
}

#[test]
fn a_directory_is_validated_recursively_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let doc = policygraph::to_string(
        &policygraph::parse_str(STARTER, Format::Yaml).unwrap(),
        Format::Json,
    )
    .unwrap();
    write("b/two.json", &doc);
    write("a.yaml", STARTER);
    write("b/a/one.YML", STARTER);
    write("b/notes.md", "not a programme");
    write(".hidden/skip.yaml", "not: [valid");
    write("c.toml.bak", "ignored");
    let out = run(cli()
        .current_dir(dir.path())
        .args(["validate", ".", "--format", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&stdout(&out));
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["./a.yaml", "./b/a/one.YML", "./b/two.json"]);
}

/// Below a directory, files that are no programme document at all (a mapping without
/// `format`, like the sidecars of expected findings) are left out with a note; a
/// programme that is broken, or a file named on the command line, is still reported.
#[test]
fn files_without_a_format_field_below_a_directory_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| std::fs::write(dir.path().join(rel), text).unwrap();
    write("a.yaml", STARTER);
    write("a.expected.json", "{\"findings\": []}\n");
    write("settings.toml", "[tool]\nname = \"x\"\n");
    write("broken.yaml", "format: policygraph/v1\n");
    write("syntax.json", "{\"findings\": [");
    let out = run(cli()
        .current_dir(dir.path())
        .args(["validate", ".", "--format", "json"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json(&stdout(&out));
    let files: Vec<(&str, &str)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            ("./a.yaml", "ok"),
            ("./broken.yaml", "unreadable"),
            ("./syntax.json", "unreadable")
        ]
    );
    let note = stderr(&out);
    assert!(note.contains("left out 2 files"), "{note}");
    assert!(
        note.contains("`./a.expected.json`") && note.contains("`./settings.toml`"),
        "{note}"
    );
    // named on the command line, it is reported
    let out = run(cli().current_dir(dir.path()).args([
        "validate",
        "a.expected.json",
        "--format",
        "json",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&stdout(&out))["files"][0]["status"], "unreadable");
    // and a directory of nothing else has nothing to validate
    let only = tempfile::tempdir().unwrap();
    std::fs::write(only.path().join("x.json"), "{}").unwrap();
    let out = run(cli().arg("validate").arg(only.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no programme documents to validate"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_starter_programme_has_no_findings() {
    let doc = policygraph::parse_str(STARTER, Format::Yaml).expect("the starter loads");
    let report = policygraph::check_document(&doc, &Default::default());
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn init_writes_the_starter_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let init = |args: &[&str]| run(cli().current_dir(dir.path()).arg("init").args(args));

    let out = init(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.path().join("programme.yaml")).unwrap();
    assert_eq!(written, STARTER);

    // it validates with zero findings, through the command line too
    let out = run(cli().current_dir(dir.path()).args([
        "validate",
        "programme.yaml",
        "--deny",
        "warnings",
        "--format",
        "json",
    ]));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&stdout(&out))["summary"]["ok"], 1);

    std::fs::write(dir.path().join("programme.yaml"), "mine").unwrap();
    let out = init(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `programme.yaml` already exists (pass `--force` to overwrite it)\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("programme.yaml")).unwrap(),
        "mine"
    );
    assert_eq!(init(&["--force"]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("programme.yaml")).unwrap(),
        STARTER
    );

    // other formats, without the comments
    for name in ["p.json", "p.toml"] {
        assert_eq!(init(&[name]).status.code(), Some(0));
        let loaded = policygraph::load_path(&dir.path().join(name), &Limits::default()).unwrap();
        assert!(
            policygraph::check_document(&loaded.document, &Default::default())
                .diagnostics
                .is_empty()
        );
    }
    assert_eq!(init(&["p.txt"]).status.code(), Some(2));
}

#[test]
fn convert_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let reference = policygraph::load_path(&common::root().join(REFERENCE), &Limits::default())
        .unwrap()
        .document;
    for (to, name) in [("json", "r.json"), ("toml", "r.toml"), ("yaml", "r.yaml")] {
        let path = dir.path().join(name);
        let out = run(cli()
            .args(["convert", REFERENCE, "--to", to, "-o"])
            .arg(&path));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let back = policygraph::load_path(&path, &Limits::default()).unwrap();
        assert_eq!(back.document, reference, "{to}");
    }
    let out = run(cli().args(["convert", REFERENCE, "--to", "json"]));
    assert_eq!(
        policygraph::parse_str(&stdout(&out), Format::Json).unwrap(),
        reference
    );
}

#[test]
fn generate_is_deterministic_and_loads() {
    let a = stdout(&run(cli().args(["generate", "80", "--seed", "7"])));
    let b = stdout(&run(cli().args(["generate", "80", "--seed", "7"])));
    assert_eq!(a, b);
    assert_eq!(
        policygraph::parse_str(&a, Format::Yaml).unwrap(),
        policygraph::generate::generate(80, 7)
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.toml");
    let out = run(cli()
        .args(["generate", "80", "--seed", "7", "-o"])
        .arg(&path));
    assert_eq!(out.status.code(), Some(0));
    let loaded = policygraph::load_path(&path, &Limits::default()).unwrap();
    assert_eq!(loaded.document, policygraph::generate::generate(80, 7));
    let out = run(cli().args(["generate", "80", "--to", "json"]));
    assert!(policygraph::parse_str(&stdout(&out), Format::Json).is_ok());
}

#[test]
fn errors_are_one_line_without_backtraces() {
    for args in [
        vec!["check", "missing.yaml"],
        vec!["trace", REFERENCE, "NOPE"],
        vec!["impact", REFERENCE, "NOPE"],
        vec!["validate", REFERENCE, "--format", "xml"],
        vec!["validate", "crates/policygraph-cli/src/commands"],
        vec!["coverage", REFERENCE, "--format", "pdf"],
        vec!["query", REFERENCE, "--kind", "widget"],
        vec!["rules", "nonsense"],
        vec!["check", REFERENCE, "--max-bytes", "10"],
    ] {
        let out = run(cli().env("RUST_BACKTRACE", "1").args(&args));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        let last = err.lines().last().unwrap_or_default();
        assert!(last.starts_with("error: "), "{args:?}: {err}");
        assert!(
            err.lines().all(|l| l.starts_with("error: ")),
            "{args:?}: {err}"
        );
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
    let out = run(cli().args(["trace", REFERENCE, "A51"]));
    assert_eq!(
        stderr(&out),
        "error: `A51` is not the id of any element (did you mean `A5.1`?)\n"
    );
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let text = STARTER
        .replace(
            "title: Monitor the situation every year",
            "title: \"=HYPERLINK(\\\"x\\\")\"",
        )
        .replace("title: Review what works", "title: \"+1, -2 and @3\"");
    std::fs::write(dir.path().join("p.yaml"), text).unwrap();
    let out = run(cli()
        .current_dir(dir.path())
        .args(["coverage", "p.yaml", "--format", "csv"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = stdout(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "priority,line,title,covered,activities,deliverables,cancelled"
    );
    assert_eq!(
        lines[1],
        "P1,P1.1,\"'=HYPERLINK(\"\"x\"\")\",true,A1,D1.1,false"
    );
    assert_eq!(lines[2], "P1,P1.2,\"'+1, -2 and @3\",true,A2,D2.1,false");
    assert!(csv.ends_with("\r\n"));
}
