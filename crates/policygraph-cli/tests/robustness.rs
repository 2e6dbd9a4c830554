//! Hostile documents and command lines (issue #14): every command answers them with
//! findings or a clear error, never a panic, an abort or the document's own control
//! sequences on the terminal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{cli, json, run, stdout};

/// The largest exact decimal.
const MAX: &str = "79228162514264337593543950335";

/// Writes `text` as `name` in `dir` and returns its path.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A programme of a period and a currency, then `rest`.
fn programme(rest: &str) -> String {
    format!(
        "format: policygraph/v1\nprogramme: {{ id: p, title: t, period: 2023-2025, currency: EUR }}\n{rest}"
    )
}

/// Each way of adding figures past the range of an exact decimal, with the message of
/// the PG407 finding it gives.
fn overflowing() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "two allocations on one source",
            programme(&format!(
                "activities:\n  - id: A1\n    title: a\n    timeframe: 2024-2025\n    funding: [VC]\n    budget:\n      allocations:\n        - {{ source: VC, year: 2024, amount: \"{MAX}\" }}\n        - {{ source: VC, year: 2024, amount: 1 }}\nfunding_sources:\n  - {{ id: VC, title: v }}\n"
            )),
            "the allocations from `VC` add up to more than an exact decimal holds",
        ),
        (
            "a total and its allocations",
            programme(&format!(
                "activities:\n  - id: A1\n    title: a\n    funding: [VC, EU]\n    budget:\n      total: \"{MAX}\"\n      allocations:\n        - {{ source: VC, amount: \"{MAX}\" }}\n        - {{ source: EU, amount: \"{MAX}\" }}\nfunding_sources:\n  - {{ id: VC, title: v }}\n  - {{ id: EU, title: e }}\n"
            )),
            "the allocations of `A1` add up to more than an exact decimal holds",
        ),
        (
            "a funding total and its declared amounts",
            programme(&format!(
                "funding_sources:\n  - id: VC\n    title: v\n    total: \"{MAX}\"\n    declared:\n      - {{ year: 2024, amount: \"{MAX}\" }}\n      - {{ year: 2025, amount: \"{MAX}\" }}\n"
            )),
            "the amounts `VC` declares add up to more than an exact decimal holds",
        ),
        (
            "effort summed over activities",
            programme(&format!(
                "partners:\n  - {{ id: NGO, title: n, person_months: 5 }}\nactivities:\n  - {{ id: A1, title: a, effort: [{{ partner: NGO, person_months: \"{MAX}\" }}] }}\n  - {{ id: A2, title: b, effort: [{{ partner: NGO, person_months: \"{MAX}\" }}] }}\n"
            )),
            "the effort of `NGO` on activities adds up to more than an exact decimal holds",
        ),
        (
            "two deliverable quantities toward one indicator",
            programme(&format!(
                "indicators:\n  - {{ id: I1, label: l, unit: count, target: 4 }}\nactivities:\n  - id: A1\n    title: a\n    timeframe: 2023-2025\n    deliverables:\n      - {{ id: D1, title: d, quantity: \"{MAX}\", counts_toward: [I1] }}\n      - {{ id: D2, title: d, quantity: \"{MAX}\", counts_toward: [I1] }}\n"
            )),
            "the quantities planned toward indicator `I1` add up to more than an exact decimal holds",
        ),
        (
            "a quantity times `recurrence: annually`",
            programme(&format!(
                "indicators:\n  - {{ id: I1, label: l, unit: count, target: 4 }}\nactivities:\n  - id: A1\n    title: a\n    timeframe: 2023-2025\n    deliverables:\n      - {{ id: D1, title: d, quantity: \"{MAX}\", recurrence: annually, counts_toward: [I1] }}\n"
            )),
            "the quantities planned toward indicator `I1` add up to more than an exact decimal holds",
        ),
    ]
}

#[test]
fn sums_past_the_decimal_range_are_findings_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let clean = "tests/conformance/clean.yaml";
    for (i, (case, text, message)) in overflowing().into_iter().enumerate() {
        let file = write(dir.path(), &format!("overflow{i}.yaml"), &text);
        let f = file.to_str().unwrap();
        // check and validate report PG407 and fail, in every format
        let out = run(cli().args(["validate", f, "--format", "json"]));
        assert_eq!(out.status.code(), Some(1), "{case}: validate");
        let report = stdout(&out);
        assert!(
            report.contains("\"PG407\"") && report.contains(message),
            "{case}: validate does not report `{message}`: {report}"
        );
        json(&report);
        for args in [
            vec!["check", f],
            vec!["check", f, "--format", "concise"],
            vec!["validate", f],
            vec!["validate", f, "--format", "sarif"],
            vec!["validate", f, "--format", "github"],
        ] {
            let out = run(cli().args(&args));
            assert_eq!(out.status.code(), Some(1), "{case}: {args:?}");
            assert!(stdout(&out).contains("PG407"), "{case}: {args:?}");
        }
        // the analyses and every export finish
        let out_dir = dir.path().join(format!("csv{i}"));
        let mut commands: Vec<Vec<&str>> = vec![
            vec!["coverage", f],
            vec!["coverage", f, "--format", "json"],
            vec!["coverage", f, "--format", "markdown"],
            vec!["diff", clean, f],
            vec!["diff", f, clean, "--format", "json"],
            vec!["diff", f, f],
        ];
        for to in ["html", "markdown", "dot", "mermaid", "jsonld"] {
            commands.push(vec!["export", f, "--to", to]);
        }
        commands.push(vec![
            "export",
            f,
            "--to",
            "csv",
            "-o",
            out_dir.to_str().unwrap(),
        ]);
        for args in commands {
            let out = run(cli().args(&args));
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{case}: {args:?} exits {:?}",
                out.status.code()
            );
        }
    }
}

#[test]
fn an_overflowing_plan_is_unknown_coverage_not_a_rounded_figure() {
    let dir = tempfile::tempdir().unwrap();
    for (case, text, _) in overflowing().into_iter().skip(4) {
        let file = write(dir.path(), "planned.yaml", &text);
        let out = run(cli().args(["coverage", file.to_str().unwrap(), "--format", "json"]));
        assert_eq!(out.status.code(), Some(0), "{case}");
        let coverage = json(&stdout(&out));
        let indicator = &coverage["indicators"][0];
        assert_eq!(
            indicator["status"]["status"], "unknown",
            "{case}: {indicator}"
        );
        assert!(indicator.get("planned").is_none(), "{case}: {indicator}");
        assert_eq!(
            indicator["status"]["reason"],
            "the planned quantities add up to more than an exact decimal holds"
        );
    }
}

#[test]
fn generate_refuses_more_elements_than_it_makes() {
    for n in ["99999999999999", "10000001", "18446744073709551615"] {
        let out = run(cli().args(["generate", n]));
        assert_eq!(out.status.code(), Some(2), "{n}");
        assert!(out.stdout.is_empty(), "{n}");
        let err = common::stderr(&out);
        assert_eq!(
            err,
            format!(
                "error: `{n}` elements is more than the generator makes (at most {})\n",
                policygraph::generate::MAX_ELEMENTS
            ),
            "{n}"
        );
    }
    // a number too large for the argument is refused by the command line itself
    let out = run(cli().args(["generate", "18446744073709551616"]));
    assert_eq!(out.status.code(), Some(2));
    // the bound itself is accepted (not run here: about 3 GB); a small size works
    assert!(policygraph::generate::check_size(policygraph::generate::MAX_ELEMENTS).is_ok());
    let out = run(cli().args(["generate", "100", "--to", "json"]));
    assert_eq!(out.status.code(), Some(0));
    json(&stdout(&out));
}

/// The one finding of `code` in a `validate --format json` report of `file`.
fn finding(file: &str, code: &str) -> serde_json::Value {
    let out = run(cli().args(["validate", file, "--format", "json"]));
    let report = json(&stdout(&out));
    let found: Vec<serde_json::Value> = report["files"][0]["diagnostics"]
        .as_array()
        .expect("a list of findings")
        .iter()
        .filter(|f| f["code"] == code)
        .cloned()
        .collect();
    assert_eq!(found.len(), 1, "{code}: {} findings", found.len());
    found[0].clone()
}

#[test]
fn long_cycles_and_lists_are_named_in_short_messages() {
    let dir = tempfile::tempdir().unwrap();
    let n = 4000;
    // A1 -> A2 -> ... -> A4000 -> A1
    let mut text = programme("activities:\n");
    for i in 1..=n {
        let next = i % n + 1;
        text.push_str(&format!(
            "  - {{ id: A{i}, title: a, timeframe: \"2024\", depends_on: [A{next}] }}\n"
        ));
    }
    let file = write(dir.path(), "cycle.yaml", &text);
    let f = file.to_str().unwrap();
    let d = finding(f, "PG307");
    let message = d["message"].as_str().unwrap();
    assert_eq!(
        message,
        "activities `A1`, `A2`, `A3`, `A4`, `A5`, `A6`, … and 3994 more depend on each other in a circle, so none can start"
    );
    assert_eq!(d["related"].as_array().unwrap().len(), 5);
    assert_eq!(d["elements"].as_array().unwrap().len(), n);
    // the human listing of the finding stays short too
    let out = run(cli().args(["check", f, "--allow", "PG703", "--allow", "PG306"]));
    let human = stdout(&out);
    let start = human.find("PG307/dependency-cycle").unwrap();
    let block = &human[start..];
    let block = &block[..block.find("\n\n").map_or(block.len(), |e| e)];
    assert!(block.len() < 600, "{} bytes: {block}", block.len());
    let out = run(cli().args([
        "check", f, "--allow", "PG703", "--allow", "PG306", "--format", "concise",
    ]));
    let line = stdout(&out)
        .lines()
        .find(|l| l.contains("PG307"))
        .unwrap()
        .to_owned();
    assert!(line.len() < 300, "{line}");

    // a circle of outcomes (PG201) and an activity whose sub-activities have no
    // timeframe (PG305)
    let mut text = programme("outcomes:\n");
    for i in 1..=100 {
        let next = i % 100 + 1;
        text.push_str(&format!(
            "  - {{ id: OC{i}, title: o, horizon: short_term, contributes_to: [OC{next}] }}\n"
        ));
    }
    text.push_str("activities:\n  - id: A\n    title: a\n    activities:\n");
    for i in 1..=100 {
        text.push_str(&format!("      - {{ id: A.{i}, title: s }}\n"));
    }
    let file = write(dir.path(), "lists.yaml", &text);
    let f = file.to_str().unwrap();
    let d = finding(f, "PG201");
    assert_eq!(
        d["message"],
        "the results chain goes round in a circle through `OC1` → `OC2` → `OC3` → `OC4` → `OC5` → `OC6` → … and 94 more"
    );
    assert_eq!(d["related"].as_array().unwrap().len(), 5);
    let out = run(cli().args(["validate", f, "--format", "json"]));
    let report = json(&stdout(&out));
    let pg305 = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "PG305" && f["pointer"] == "/activities/0")
        .cloned()
        .unwrap();
    assert_eq!(
        pg305["message"],
        "activity `A` has no timeframe, and neither have its sub-activities `A.1`, `A.10`, `A.100`, `A.11`, `A.12`, `A.13`, … and 94 more (nothing to inherit)"
    );
}

#[test]
fn coverage_markdown_escapes_titles_with_the_markdown_exporter() {
    let dir = tempfile::tempdir().unwrap();
    let text = programme(
        "priorities:\n  - id: P1\n    title: \"<img src=x onerror=alert(1)> [link](http://evil.invalid) | pipe\"\n    actions:\n      - { id: L1, title: \"**bold** <b>x</b>\" }\nactivities:\n  - { id: A1, title: \"<script>alert(1)</script>\", timeframe: \"2024\", addresses: [L1] }\n",
    );
    let file = write(dir.path(), "md.yaml", &text);
    let out = run(cli().args(["coverage", file.to_str().unwrap(), "--format", "markdown"]));
    assert_eq!(out.status.code(), Some(0));
    let md = stdout(&out);
    // no `<`, `*` or `[` that is not backslash-escaped
    for (i, c) in md.char_indices() {
        if matches!(c, '<' | '*' | '[') {
            assert!(md[..i].ends_with('\\'), "raw `{c}` at {i} in: {md}");
        }
    }
    assert!(
        md.contains(&policygraph_export::markdown::escape(
            "<img src=x onerror=alert(1)> [link](http://evil.invalid) | pipe"
        )),
        "{md}"
    );
    // the diff's Markdown: a renamed priority, its titles escaped by the same escaper
    let renamed = write(
        dir.path(),
        "md2.yaml",
        &text.replace("| pipe", "| pipe <b>renamed</b>"),
    );
    let out = run(cli().args([
        "diff",
        file.to_str().unwrap(),
        renamed.to_str().unwrap(),
        "--format",
        "markdown",
    ]));
    let md = stdout(&out);
    assert!(md.contains("renamed"), "{md}");
    for (i, c) in md.char_indices() {
        if c == '<' {
            assert!(md[..i].ends_with('\\'), "raw `<` at {i} in: {md}");
        }
    }
}

/// Escape sequences a document hides in its text: conceal, a 24-bit colour (the same as
/// a background would hide text), clear the screen, set the window title.
const HOSTILE_ESCAPES: [&str; 4] = [
    "\u{1b}[8m",
    "\u{1b}[38;2;1;2;3m",
    "\u{1b}[2J",
    "\u{1b}]0;pwned\u{7}",
];

/// The reference programme with escape sequences appended to every text a person reads
/// (titles, labels, descriptions, notes, units, …), as JSON.
fn programme_with_escapes(extra: &str) -> String {
    fn walk(v: &mut serde_json::Value, extra: &str) {
        match v {
            serde_json::Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    let text = matches!(
                        key.as_str(),
                        "title"
                            | "subtitle"
                            | "label"
                            | "description"
                            | "notes"
                            | "unit"
                            | "organisation"
                            | "reference"
                            | "acronym"
                            | "role"
                            | "region"
                            | "name"
                    );
                    match value {
                        serde_json::Value::String(s) if text => {
                            s.push_str(&HOSTILE_ESCAPES.concat());
                            s.push_str(extra);
                        }
                        _ => walk(value, extra),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, extra)),
            _ => {}
        }
    }
    let out = run(cli().args(["convert", common::REFERENCE, "--to", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    walk(&mut doc, extra);
    serde_json::to_string_pretty(&doc).unwrap()
}

#[test]
fn a_documents_escape_sequences_never_reach_the_output_for_people() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.json", &programme_with_escapes(""));
    let new = write(
        dir.path(),
        "new.json",
        &programme_with_escapes(" (revised)"),
    );
    // the loader's own messages quote the document too: an unknown field, a wrong type
    let bad = write(
        dir.path(),
        "bad.yaml",
        "format: policygraph/v1\nprogramme: {id: p, title: t}\n\"x\\e[8my\": 1\nactivities:\n  - {id: A1, title: [\"\\e[2J\"], timeframe: \"2024\\e[8m\"}\n",
    );
    let (old, new, bad) = (
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        bad.to_str().unwrap(),
    );
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", old],
        vec!["check", bad],
        vec!["validate", old],
        vec!["validate", bad],
        vec!["coverage", old],
        vec!["trace", old, "P1"],
        vec!["trace", old, "P1.1"],
        vec!["impact", old, "P1"],
        vec!["query", old],
        vec!["diff", old, new],
    ];
    for command in &commands {
        // in colour, as a terminal gets it: the program's own sequences only
        let out = run(cli()
            .args(command)
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1"));
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(
            text.contains('\u{fffd}'),
            "`{}` shows none of the document's text: {text}",
            command.join(" ")
        );
        for hostile in HOSTILE_ESCAPES {
            assert!(
                !text.contains(hostile),
                "`{}` passes the document's {hostile:?}: {text}",
                command.join(" ")
            );
        }
        // every escape left is a colour sequence
        for (i, _) in text.match_indices('\u{1b}') {
            let rest = &text[i + 1..];
            let body = rest.strip_prefix('[').unwrap_or("!");
            let params = body
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b';')
                .count();
            assert_eq!(
                body.as_bytes().get(params),
                Some(&b'm'),
                "`{}` writes an escape that is no colour at {i}: {:?}",
                command.join(" "),
                &text[i..(i + 16).min(text.len())]
            );
        }
        // without colour, into a pipe: no escape character at all
        let out = run(cli().args(command));
        for (name, bytes) in [("output", &out.stdout), ("error output", &out.stderr)] {
            assert!(
                !bytes.contains(&0x1b),
                "`{}` writes an escape character to its {name}: {}",
                command.join(" "),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}
