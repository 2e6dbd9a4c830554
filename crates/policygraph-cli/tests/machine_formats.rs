//! The machine formats of `validate`: SARIF against the SARIF 2.1.0 schema, the JSON
//! report against its committed schema, GitHub annotations; and a batch of hundreds of
//! documents in one call.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::{REFERENCE, cli, conformance, json, root, run, stderr, stdout, structure};
use policygraph::{Code, Severity};
use serde_json::Value;

const REGENERATE: &str =
    "cargo run -p policygraph-cli -- schema --report > schema/report.schema.json";

fn validator(schema_path: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join(schema_path)).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(20)
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid:\n{}",
        errors.join("\n")
    );
}

/// How many findings a conformance fixture's `*.expected.json` lists (every entry of
/// its arrays, whatever the layout).
fn expected_findings(fixture: &str) -> usize {
    let path = root().join(fixture.replace(".yaml", ".expected.json"));
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    fn count(v: &Value) -> usize {
        match v {
            Value::Array(a) => a.len(),
            Value::Object(m) => m.values().map(count).sum(),
            _ => 0,
        }
    }
    count(&json(&text))
}

/// Every kind of input: the reference programme, every conformance and structure
/// fixture (readable or not), and a file that does not exist.
fn everything() -> Vec<String> {
    let mut files = vec![REFERENCE.to_owned()];
    files.extend(conformance());
    files.extend(structure());
    files.push("missing.yaml".to_owned());
    files
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let out = run(cli()
        .arg("validate")
        .args(everything())
        .args(["--format", "sarif"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let log = json(&stdout(&out));
    assert_valid(
        &validator("tests/sarif/sarif-2.1.0.schema.json"),
        &log,
        "the SARIF log",
    );

    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    // every code, in table order, with its documentation
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(ids, codes);
    for (rule, code) in rules.iter().zip(Code::ALL) {
        let docs = code.docs();
        assert_eq!(rule["name"], code.name());
        assert_eq!(rule["shortDescription"]["text"], code.summary());
        assert_eq!(rule["fullDescription"]["text"], docs.what);
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(help.contains(docs.why) && help.contains(docs.example.trim_end()));
        let level = match code.default_severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
    }

    let results = run0["results"].as_array().unwrap();
    assert!(results.len() > 50);
    let mut seen = BTreeSet::new();
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        seen.insert(id.to_owned());
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains('\\'),
            "repo-relative: {uri}"
        );
        assert!(root().join(uri).exists() || uri == "missing.yaml", "{uri}");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        let pointer = r["properties"]["pointer"].as_str().unwrap();
        if !pointer.is_empty() {
            assert_eq!(
                r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
                pointer
            );
        }
    }
    // every rule with a conformance fixture that triggers it fired, and so did the
    // reading problems
    for file in conformance() {
        let name = file.rsplit('/').next().unwrap();
        if let Some(code) = name.get(..5).filter(|c| c.starts_with("PG"))
            && expected_findings(&file) > 0
        {
            assert!(seen.contains(code), "{code} from {file}");
        }
    }
    for code in ["PG001", "PG002", "PG008"] {
        assert!(seen.contains(code), "{code}");
    }
    // related locations carry their messages
    let dup = results
        .iter()
        .find(|r| r["ruleId"] == "PG102")
        .expect("a duplicate id");
    assert!(dup["relatedLocations"][0]["message"]["text"].is_string());
}

#[test]
fn json_report_matches_its_schema_and_the_schema_is_current() {
    let committed =
        std::fs::read_to_string(root().join("schema/report.schema.json")).unwrap_or_default();
    let generated = stdout(&run(cli().args(["schema", "--report"])));
    assert!(
        committed == generated,
        "schema/report.schema.json is stale; regenerate it with `{REGENERATE}`"
    );

    let out = run(cli()
        .arg("validate")
        .args(everything())
        .args(["--format", "json"]));
    assert_eq!(out.status.code(), Some(2));
    let report = json(&stdout(&out));
    assert_valid(
        &validator("schema/report.schema.json"),
        &report,
        "the JSON report",
    );
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), everything().len());
    let summary = &report["summary"];
    let count = |status: &str| files.iter().filter(|f| f["status"] == status).count();
    assert_eq!(summary["ok"], count("ok"));
    assert_eq!(summary["findings"], count("findings"));
    assert_eq!(summary["unreadable"], count("unreadable"));
    let severity = |s: &str| {
        files
            .iter()
            .flat_map(|f| f["diagnostics"].as_array().unwrap())
            .filter(|d| d["severity"] == s)
            .count()
    };
    assert_eq!(summary["errors"], severity("error"));
    assert_eq!(summary["warnings"], severity("warning"));
    assert_eq!(summary["infos"], severity("info"));
    // a conformance fixture has findings exactly when its expectation lists some
    for (f, path) in files.iter().zip(everything()) {
        assert_eq!(f["path"], path);
        if path.starts_with("tests/conformance/") {
            let status = if expected_findings(&path) == 0 {
                "ok"
            } else {
                "findings"
            };
            assert_eq!(f["status"], status, "{path}");
        }
    }
}

#[test]
fn github_annotations_escape_what_they_must() {
    let out = run(cli().args(["validate", REFERENCE, "--format", "github"]));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let (last, annotations) = lines.split_last().unwrap();
    assert!(last.starts_with("1 file validated"), "{last}");
    for line in annotations {
        assert!(
            line.starts_with("::warning file=examples/pompidou-2023-2025.yaml,line=")
                || line.starts_with("::notice file=examples/pompidou-2023-2025.yaml,line="),
            "{line}"
        );
        let (props, message) = line[2..].split_once("::").unwrap();
        assert!(!message.contains('\n') && !message.contains('\r'));
        // properties are `key=value` pairs whose values hold no `,` or `:`
        for prop in props.split_once(' ').unwrap().1.split(',') {
            let (_, value) = prop.split_once('=').unwrap();
            assert!(!value.contains(':'), "{prop}");
        }
        assert!(props.contains(",title=PG"));
    }
}

/// A few hundred small generated programmes validated in one call (in parallel), with
/// the summary checked against the library run on each.
#[test]
fn a_batch_of_hundreds_of_documents() {
    const N: u64 = 300;
    let dir = tempfile::tempdir().unwrap();
    let (mut errors, mut warnings, mut infos, mut with_findings) = (0, 0, 0, 0);
    for seed in 0..N {
        let doc = policygraph::generate::generate(60, seed);
        let report = policygraph::check_document(&doc, &Default::default());
        errors += report.count(Severity::Error);
        warnings += report.count(Severity::Warning);
        infos += report.count(Severity::Info);
        with_findings += usize::from(!report.diagnostics.is_empty());
        let format = [
            policygraph::Format::Yaml,
            policygraph::Format::Json,
            policygraph::Format::Toml,
        ][(seed % 3) as usize];
        let text = policygraph::to_string(&doc, format).unwrap();
        let sub = dir.path().join(format!("batch-{}", seed % 7));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join(format!("programme-{seed:03}.{}", format.name())),
            text,
        )
        .unwrap();
    }
    let out = run(cli()
        .current_dir(dir.path())
        .args(["validate", ".", "--format", "json"]));
    let report = json(&stdout(&out));
    let summary = &report["summary"];
    assert_eq!(summary["files"], N);
    assert_eq!(summary["unreadable"], 0);
    assert_eq!(summary["errors"], errors);
    assert_eq!(summary["warnings"], warnings);
    assert_eq!(summary["infos"], infos);
    assert_eq!(summary["findings"], with_findings);
    assert_eq!(summary["ok"], N as usize - with_findings);
    let expected_code = if errors > 0 { 1 } else { 0 };
    assert_eq!(out.status.code(), Some(expected_code), "{}", stderr(&out));
    // sorted, whatever order the threads finished in
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths[0].starts_with("./batch-0/programme-000."));
}
