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
