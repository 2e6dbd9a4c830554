//! Conformance: one fixture per validation rule, readable from any language.
//!
//! `tests/conformance/PGNNN-rule-name.yaml` is a small, valid programme that triggers
//! rule PGNNN (further fixtures `PGNNN-rule-name-VARIANT.yaml` cover particular cases;
//! `settings-*.yaml` cover switching rules off and re-levelling them in a document).
//! Beside each, `PGNNN-rule-name.expected.json` lists every finding the check reports
//! on it, in the order the engine reports them:
//!
//! ```json
//! {"findings": [{"code": "PG101", "pointer": "/activities/0/addresses/1", "severity": "error"}]}
//! ```
//!
//! `tests/conformance/clean.yaml` is a complete programme on which no rule fires.
//!
//! `POLICYGRAPH_BLESS=1 cargo test -p policygraph --test conformance` rewrites the
//! sidecars from what the check reports. Review every change against the fixture and
//! the rule's documentation before keeping it: some sidecars state what the
//! documentation calls for where the rule does otherwise (their fixtures say so in a
//! `KNOWN DISCREPANCY` comment), and blessing would overwrite them.
//!
//! The rendered findings (message, location, help, related places) are insta
//! snapshots in `tests/snapshots/conformance__*.snap`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use policygraph::check::{CheckOptions, Report, check_loaded};
use policygraph::model::RuleLevel;
use policygraph::{Code, Limits, Loaded, Severity, load_path};
use serde_json::{Value, json};

const DIR: &str = "tests/conformance";
const CLEAN: &str = "clean.yaml";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The file names of every fixture, sorted.
fn fixture_names() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join(DIR))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    out.sort();
    assert!(
        out.len() > 28,
        "expected the conformance fixtures, found {out:?}"
    );
    out
}

/// Every fixture that has a sidecar (all but the clean programme).
fn checked_fixtures() -> Vec<String> {
    fixture_names().into_iter().filter(|n| n != CLEAN).collect()
}

fn stem(name: &str) -> &str {
    name.strip_suffix(".yaml").unwrap()
}

fn sidecar_path(name: &str) -> PathBuf {
    root()
        .join(DIR)
        .join(format!("{}.expected.json", stem(name)))
}

/// Loads a fixture, naming it by its repository-relative path so locations are stable.
fn load(name: &str) -> Loaded {
    let mut loaded = load_path(&root().join(DIR).join(name), &Limits::default())
        .unwrap_or_else(|e| panic!("{DIR}/{name} must be a valid document: {e}"));
    loaded.source.name = Some(format!("{DIR}/{name}"));
    loaded
}

fn check_with(name: &str, options: &CheckOptions) -> Report {
    check_loaded(&load(name), options, &Limits::default())
}

fn check(name: &str) -> Report {
    check_with(name, &CheckOptions::default())
}

/// Every code a fixture must exist for: the validation rules, and PG009 (settings).
fn covered_codes() -> Vec<Code> {
    let mut codes: Vec<Code> = policygraph::rules::rule_codes().collect();
    codes.push(Code::UnknownRuleSetting);
    codes.sort();
    codes
}

fn findings(report: &Report) -> Value {
    let findings: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| json!({"code": d.code, "pointer": d.pointer, "severity": d.severity}))
        .collect();
    json!({ "findings": findings })
}

fn read_sidecar(name: &str) -> Value {
    let path = sidecar_path(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing sidecar {}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lines(v: &Value) -> Vec<String> {
    let findings = v["findings"].as_array().unwrap();
    if findings.is_empty() {
        return vec!["(no findings)".to_owned()];
    }
    findings
        .iter()
        .map(|f| {
            let field = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            format!(
                "{} {} {}",
                field("code"),
                field("severity"),
                field("pointer")
            )
        })
        .collect()
}

#[test]
fn fixtures_report_what_their_sidecars_expect() {
    let bless = std::env::var_os("POLICYGRAPH_BLESS").is_some();
    let mut failures = Vec::new();
    for name in checked_fixtures() {
        let actual = findings(&check(&name));
        if bless {
            let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
            std::fs::write(sidecar_path(&name), text).unwrap();
            continue;
        }
        let expected = read_sidecar(&name);
        if actual != expected {
            failures.push(format!(
                "{DIR}/{name}:\n  expected:\n    {}\n  actual:\n    {}",
                lines(&expected).join("\n    "),
                lines(&actual).join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ from their sidecars:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it() {
    let names: BTreeSet<String> = fixture_names().into_iter().collect();
    let mut missing = Vec::new();
    for code in covered_codes() {
        let name = format!("{}-{}.yaml", code.as_str(), code.name());
        if !names.contains(&name) {
            missing.push(format!("{code} ({}): no fixture {DIR}/{name}", code.name()));
            continue;
        }
        let expected = read_sidecar(&name);
        let triggered = expected["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == code.as_str());
        if !triggered {
            missing.push(format!(
                "{code} ({}): {DIR}/{name} expects no {code} finding",
                code.name()
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "rules without a conformance fixture:\n{}",
        missing.join("\n")
    );
}

#[test]
fn fixtures_are_named_after_their_rule_and_say_what_they_trigger() {
    let names: BTreeSet<String> = fixture_names().into_iter().collect();
    for entry in std::fs::read_dir(root().join(DIR)).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(fixture) = file.strip_suffix(".expected.json") {
            let fixture = format!("{fixture}.yaml");
            assert!(
                names.contains(&fixture) && fixture != CLEAN,
                "{DIR}/{file} is the sidecar of no fixture"
            );
        } else {
            assert!(
                file.ends_with(".yaml"),
                "{DIR}/{file} is neither a fixture nor a sidecar"
            );
        }
    }
    for name in names {
        let text = std::fs::read_to_string(root().join(DIR).join(&name)).unwrap();
        assert!(
            text.starts_with("# "),
            "{name} must start with a comment saying what it triggers"
        );
        if let Some(rest) = name.strip_prefix("PG") {
            let code = Code::find(&format!("PG{}", &rest[..3]))
                .unwrap_or_else(|| panic!("{name} does not start with a known code"));
            let prefix = format!("{}-{}", code.as_str(), code.name());
            assert!(
                name.starts_with(&prefix) && matches!(name.as_bytes()[prefix.len()], b'.' | b'-'),
                "{name} should be named `{prefix}.yaml` or `{prefix}-VARIANT.yaml`"
            );
            assert!(
                covered_codes().contains(&code),
                "{name}: {code} is not a validation rule"
            );
        } else {
            assert!(
                name == CLEAN || name.starts_with("settings-"),
                "{name}: fixtures are `PGNNN-rule-name*.yaml`, `settings-*.yaml` or `{CLEAN}`"
            );
        }
    }
}

#[test]
fn the_clean_programme_triggers_no_rule() {
    let report = check(CLEAN);
    let mut fired = Vec::new();
    for code in covered_codes() {
        let hits: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| format!("    {d}"))
            .collect();
        if !hits.is_empty() {
            fired.push(format!(
                "{code} ({}) fires on {DIR}/{CLEAN}:\n{}",
                code.name(),
                hits.join("\n")
            ));
        }
    }
    assert!(fired.is_empty(), "{}", fired.join("\n"));
    assert!(
        report.diagnostics.is_empty(),
        "{DIR}/{CLEAN} must produce no finding at all: {:?}",
        report.diagnostics
    );
}

/// The clean programme only proves something if it sets what the rules look at.
#[test]
fn the_clean_programme_sets_every_field_a_rule_looks_at() {
    let doc = load(CLEAN).document;
    let s = doc.summary();
    for (what, n) in [
        ("priorities", s.priorities),
        ("lines of action", s.lines_of_action),
        ("activities", s.activities),
        ("sub-activities", s.sub_activities),
        ("deliverables", s.deliverables),
        ("milestones", s.milestones),
        ("outputs", s.outputs),
        ("outcomes", s.outcomes),
        ("indicators", s.indicators),
        ("funding sources", s.funding_sources),
        ("partners", s.partners),
        ("networks", s.networks),
        ("themes", s.themes),
        ("evaluation methods and reviews", s.evaluation),
    ] {
        assert!(n > 0, "{CLEAN} has no {what}");
    }
    let p = &doc.programme;
    assert!(p.period.is_some() && p.start.is_some() && p.currency.is_some());
    assert!(p.focus.iter().any(|f| !f.partners.is_empty()));
    assert!(p.focus.iter().any(|f| !f.networks.is_empty()));
    assert!(
        doc.priorities
            .iter()
            .flat_map(|pr| &pr.actions)
            .any(|l| !l.actions.is_empty())
    );

    let mut all = Vec::new();
    let mut stack: Vec<(&policygraph::model::Activity, bool)> =
        doc.activities.iter().map(|a| (a, true)).collect();
    while let Some((a, top)) = stack.pop() {
        all.push((a, top));
        stack.extend(a.activities.iter().map(|c| (c, false)));
    }
    let any = |f: &dyn Fn(&policygraph::model::Activity, bool) -> bool| {
        all.iter().any(|(a, top)| f(a, *top))
    };
    assert!(
        any(&|a, _| a.timeframe.as_ref().is_some_and(|t| t.is_relative())),
        "relative months"
    );
    assert!(
        any(&|a, top| !top && a.timeframe.is_none()),
        "a topic inheriting its timeframe"
    );
    assert!(
        any(&|a, top| !top && a.timeframe.is_some()),
        "a topic with its own timeframe"
    );
    assert!(
        any(&|a, top| !top && !a.funding.is_empty()),
        "a funded topic"
    );
    assert!(
        any(&|a, _| a.budget.as_ref().is_some_and(|b| b.currency.is_some())),
        "a budget in another currency"
    );
    assert!(any(&|a, _| a
        .budget
        .as_ref()
        .is_some_and(|b| b.total.is_some() && b.allocations.len() > 1)));
    assert!(
        any(&|a, _| a.effort.len() > 1),
        "effort of several partners"
    );
    assert!(any(&|a, _| !a.depends_on.is_empty()), "depends_on");
    assert!(any(&|a, _| a.lead.is_some()
        && !a.partners.is_empty()
        && !a.networks.is_empty()));
    assert!(any(
        &|a, _| !a.counts_toward.is_empty() && !a.themes.is_empty()
    ));
    assert!(any(&|a, _| a
        .deliverables
        .iter()
        .any(|d| d.due.is_some() && d.quantity.is_some())));
    assert!(any(&|a, _| a.milestones.iter().any(|m| m.due.is_some())));
    assert!(doc.outcomes.iter().any(|o| !o.contributes_to.is_empty()));
    assert!(doc.outputs.iter().all(|o| !o.contributes_to.is_empty()));
    assert!(doc.indicators.iter().any(|i| {
        i.unit == Some(policygraph::model::Unit::Percent)
            && i.baseline.is_some()
            && i.target.is_some()
    }));
    assert!(
        doc.indicators
            .iter()
            .all(|i| i.target_date.is_some() && i.measures.is_some())
    );
    assert!(doc.funding_sources.iter().any(|f| f.currency.is_some()));
    assert!(
        doc.funding_sources
            .iter()
            .all(|f| f.total.is_some() && f.declared.iter().all(|d| d.year.is_some()))
    );
    assert!(
        doc.partners
            .iter()
            .all(|pt| pt.participation.is_some() && pt.person_months.is_some())
    );
    assert!(doc.networks.iter().any(|n| !n.partners.is_empty()));
    let ev = doc.evaluation.as_ref().unwrap();
    assert!(!ev.process.is_empty() && !ev.outcome.is_empty());
    assert!(ev.reviews.iter().any(|r| r.date.is_some()));
    assert!(doc.settings.as_ref().is_some_and(|st| !st.rules.is_empty()));
}

/// One edit away from each rule: the clean programme sets what every rule looks at,
/// so changing one value there makes that rule fire.
#[test]
fn the_clean_programme_is_one_edit_away_from_each_rule() {
    let clean = std::fs::read_to_string(root().join(DIR).join(CLEAN)).unwrap();
    let edits: &[(Code, &str, &str)] = &[
        (
            Code::UnknownRuleSetting,
            "priority-without-actions: warning",
            "priority-without-action: warning",
        ),
        (
            Code::UnknownReference,
            "addresses: [P1.1]",
            "addresses: [P1.9]",
        ),
        (Code::DuplicateId, "id: D2.3", "id: D2.2"),
        (
            Code::WrongKindReference,
            "addresses: [P2.2]",
            "addresses: [P2.2, I4]",
        ),
        (
            Code::UndatedAnchor,
            "due: M30",
            "due: {after: MS-W2, within: 6 months}",
        ),
        (
            Code::HierarchyCycle,
            "contributes_to: [OC4]",
            "contributes_to: [OC4, OC1]",
        ),
        (
            Code::OrphanElement,
            "contributes_to: [OC4]",
            "contributes_to: []",
        ),
        (Code::EmptyTitle, "title: Mid-term review", "title: \" \""),
        (
            Code::TimeframeOutsidePeriod,
            "date: 2026-06",
            "date: 2028-06",
        ),
        (
            Code::ChildOutsideParent,
            "timeframe: \"2026\"",
            "timeframe: \"2027\"",
        ),
        (Code::DueOutsideActivity, "due: M12", "due: M24"),
        (
            Code::TargetDateOutsidePeriod,
            "target_date: M36",
            "target_date: M40",
        ),
        (Code::MissingTimeframe, "    timeframe: 2025-2027\n", ""),
        (
            Code::DependencyStartsEarly,
            "depends_on: [WP1, A2.1]",
            "depends_on: [WP1, A2.2]",
        ),
        (
            Code::DependencyCycle,
            "    lead: UNI\n",
            "    lead: UNI\n    depends_on: [WP2]\n",
        ),
        (Code::MonthZero, "timeframe: M1-M18", "timeframe: M0-M18"),
        (
            Code::MixedRangeWithoutStart,
            "period: 2025-2027\n  start: 2025-01-01",
            "period: 2025-01 to M36",
        ),
        (
            Code::ReversedRange,
            "timeframe: M1-M6\n",
            "timeframe: 2025-09-01 to M6\n",
        ),
        (
            Code::DependencyEndsEarly,
            "        due: M30\n",
            "        due: M30\n        depends_on: [{ id: DW2.1, type: finish_to_finish }]\n",
        ),
        (
            Code::UndeclaredFunding,
            "funding: [OB]\n    budget:\n      total: 90000",
            "funding: [EU]\n    budget:\n      total: 90000",
        ),
        (
            Code::FundingNotInParent,
            "        funding: [OB]\n",
            "        funding: [OB, EU]\n",
        ),
        (
            Code::NegativeAmount,
            "{ partner: RHA, person_months: 6 }",
            "{ partner: RHA, person_months: -6 }",
        ),
        (
            Code::AllocationExceedsDeclared,
            "{ year: 2025, amount: 60000 }",
            "{ year: 2025, amount: 50000 }",
        ),
        (Code::TotalMismatch, "total: 90000", "total: 95000"),
        (
            Code::MixedCurrencies,
            "          currency: CHF\n",
            "          currency: USD\n",
        ),
        (
            Code::AmountOverflow,
            "quantity: 12",
            "quantity: \"79228162514264337593543950335\"",
        ),
        (
            Code::EffortOutsideParticipation,
            "participation: M7-M36",
            "participation: M25-M36",
        ),
        (
            Code::PercentOutOfRange,
            "target: \"75.5\"",
            "target: \"175.5\"",
        ),
        (Code::TargetWithoutUnit, "    unit: percent\n", ""),
        (Code::IndicatorWithoutOutcome, "    measures: OC3\n", ""),
        (
            Code::IndicatorWithoutContributors,
            "counts_toward: [I3]",
            "counts_toward: []",
        ),
        (
            Code::PriorityWithoutActions,
            "  - id: P2\n",
            "  - id: P0\n    title: A new priority\n  - id: P2\n",
        ),
        (Code::UncoveredAction, "addresses: [P2.2]", "addresses: []"),
        (
            Code::ActivityWithoutDeliverables,
            "\noutputs:\n",
            "\n  - id: A4\n    title: Role of police in prevention\n    timeframe: \"2025\"\n\noutputs:\n",
        ),
        (
            Code::ActiveUnderCancelled,
            "    status: new\n    timeframe: 2025-26\n    funding: [OB, VC]\n    partners: [UNI]\n    activities:\n      - id: A2.1\n",
            "    status: cancelled\n    timeframe: 2025-26\n    funding: [OB, VC]\n    partners: [UNI]\n    activities:\n      - id: A2.1\n        status: ongoing\n",
        ),
        (
            Code::PersonMonthsMismatch,
            "    lead: UNI\n    effort:",
            "    lead: UNI\n    person_months: 20\n    effort:",
        ),
        (
            Code::RoleOutsideParticipation,
            "participation: 2025-2027",
            "participation: \"2030\"",
        ),
        (
            Code::RolePartlyOutsideParticipation,
            "participation: 2025-2027",
            "participation: 2026-2027",
        ),
        (Code::IndicatorWithoutTarget, "    target: 240\n", ""),
        (
            Code::IndicatorWithoutBaseline,
            "    baseline: 0\n    target: 240",
            "    target: 240",
        ),
        (
            Code::EmptyMeasurement,
            "verification: Attendance lists",
            "verification: \"\"",
        ),
        (Code::UnalignedActivity, "    addresses: [P2.2]\n", ""),
        (
            Code::AddressesCancelledPriority,
            "  - id: P2\n",
            "  - id: P2\n    status: cancelled\n",
        ),
    ];
    let edited: BTreeSet<Code> = edits.iter().map(|(c, _, _)| *c).collect();
    let missing: Vec<Code> = covered_codes()
        .into_iter()
        .filter(|c| !edited.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "no edit of {CLEAN} makes these rules fire: {missing:?}"
    );
    let mut failures = Vec::new();
    for (code, from, to) in edits {
        assert_eq!(
            clean.matches(from).count(),
            1,
            "`{from}` must occur once in {CLEAN}"
        );
        let text = clean.replacen(from, to, 1);
        let doc = policygraph::parse_str(&text, policygraph::Format::Yaml)
            .unwrap_or_else(|e| panic!("{CLEAN} with `{to}` for `{from}` does not load: {e}"));
        let report = policygraph::check::check_document(&doc, &CheckOptions::default());
        if !report.diagnostics.iter().any(|d| d.code == *code) {
            failures.push(format!(
                "{code} ({}) does not fire on {CLEAN} with `{to}` for `{from}`; it reports {:?}",
                code.name(),
                report
                    .diagnostics
                    .iter()
                    .map(|d| d.code.as_str())
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn render(report: &Report) -> String {
    if report.diagnostics.is_empty() {
        return "(no findings)\n".to_owned();
    }
    let mut out = String::new();
    for d in &report.diagnostics {
        writeln!(out, "{d}").unwrap();
        if let Some(help) = &d.help {
            writeln!(out, "  help: {help}").unwrap();
        }
        for r in &d.related {
            match &r.location {
                Some(loc) => writeln!(out, "  related: {loc}: {} (at `{}`)", r.message, r.pointer),
                None => writeln!(out, "  related: {} (at `{}`)", r.message, r.pointer),
            }
            .unwrap();
        }
    }
    out
}

#[test]
fn rendered_findings_match_their_snapshots() {
    let mut failed = Vec::new();
    for name in fixture_names() {
        let rendered = render(&check(&name));
        let snapshot = stem(&name).to_owned();
        let description = format!("{DIR}/{name}");
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({description => description, omit_expression => true}, {
                insta::assert_snapshot!(snapshot, rendered);
            });
        });
        if result.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "snapshots differ for: {failed:?}");
}

/// Messages are lowercase, have no final period and speak of the document, not of
/// the library's types.
#[test]
fn messages_follow_the_conventions() {
    const RUST_WORDS: &[&str] = &[
        "Activity",
        "Deliverable",
        "Milestone",
        "Output",
        "Outcome",
        "Indicator",
        "FundingSource",
        "Partner",
        "Network",
        "Theme",
        "Review",
        "EvaluationMethod",
        "LineOfAction",
        "Priority",
        "Programme",
        "FocusPoint",
        "Timeframe",
        "Amount",
        "Currency",
        "Decimal",
        "Interval",
        "Instant",
        "NodeKind",
        "EdgeKind",
        "Code",
        "Some",
        "None",
        "Option",
        "Vec",
        "String",
        "Id",
    ];
    let mut bad = Vec::new();
    for name in fixture_names() {
        for d in check(&name).diagnostics {
            let m = &d.message;
            // what the user wrote is quoted in backticks and may be anything
            let outside: String = m.split('`').step_by(2).collect::<Vec<_>>().join(" ");
            let first = m.chars().next().unwrap_or(' ');
            let rust = outside
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| RUST_WORDS.contains(&w))
                || outside.contains("::");
            if first.is_uppercase() || m.ends_with('.') || rust {
                bad.push(format!("{name}: {d}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "messages breaking the conventions:\n{}",
        bad.join("\n")
    );
}

#[test]
fn per_call_levels_switch_a_rule_off_or_relevel_it() {
    const FIXTURE: &str = "PG702-uncovered-action.yaml";
    let count = |r: &Report| {
        r.diagnostics
            .iter()
            .filter(|d| d.code == Code::UncoveredAction)
            .count()
    };

    let default = check(FIXTURE);
    let n = count(&default);
    assert!(n > 0, "{FIXTURE} must trigger PG702");
    assert!(
        default
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::UncoveredAction)
            .all(|d| d.severity == Severity::Warning)
    );

    let off = check_with(
        FIXTURE,
        &CheckOptions::default().with(Code::UncoveredAction, RuleLevel::Off),
    );
    assert_eq!(
        count(&off),
        0,
        "PG702 switched off still reports: {:?}",
        off.diagnostics
    );
    assert_eq!(off.diagnostics.len(), default.diagnostics.len() - n);

    let error = check_with(
        FIXTURE,
        &CheckOptions::default().with(Code::UncoveredAction, RuleLevel::Error),
    );
    assert_eq!(count(&error), n);
    let pointers = |r: &Report| -> Vec<String> {
        r.diagnostics
            .iter()
            .filter(|d| d.code == Code::UncoveredAction)
            .map(|d| d.pointer.clone())
            .collect()
    };
    assert_eq!(pointers(&error), pointers(&default));
    for d in error
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UncoveredAction)
    {
        assert_eq!(d.severity, Severity::Error, "{d}");
    }
    assert_eq!(error.max_severity(), Some(Severity::Error));

    let info = check_with(
        FIXTURE,
        &CheckOptions::default().with(Code::UncoveredAction, RuleLevel::Info),
    );
    assert_eq!(info.count(Severity::Info), n);
}

#[test]
fn a_date_outside_the_period_and_its_activity_is_one_finding_whichever_rules_run() {
    const FIXTURE: &str = "PG301-timeframe-outside-period-and-parent.yaml";
    let codes = |r: &Report| -> Vec<(Code, String)> {
        r.diagnostics
            .iter()
            .map(|d| (d.code, d.pointer.clone()))
            .collect()
    };
    let both = check(FIXTURE);
    for d in &both.diagnostics {
        assert!(
            d.message.contains("programme period") && d.message.contains("`2023-2024`"),
            "{d}"
        );
    }
    // with PG301 switched off, its activity's rule reports each date instead: still once
    let off = check_with(
        FIXTURE,
        &CheckOptions::default().with(Code::TimeframeOutsidePeriod, RuleLevel::Off),
    );
    assert_eq!(
        codes(&off),
        [
            (
                Code::DueOutsideActivity,
                "/activities/0/deliverables/0/due".to_owned()
            ),
            (
                Code::DueOutsideActivity,
                "/activities/0/milestones/0/due".to_owned()
            ),
            (
                Code::ChildOutsideParent,
                "/activities/0/activities/0/timeframe".to_owned()
            ),
        ]
    );
}

#[test]
fn per_call_levels_override_the_documents_settings() {
    // the document raises PG305 to an error; the call lowers it to a warning
    let options = CheckOptions::default().with(Code::MissingTimeframe, RuleLevel::Warning);
    let report = check_with("settings-relevel.yaml", &options);
    let pg305: Vec<Severity> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingTimeframe)
        .map(|d| d.severity)
        .collect();
    assert_eq!(pg305, [Severity::Warning]);
}

#[test]
fn the_settings_off_fixture_would_trigger_its_rules_without_its_settings() {
    let mut loaded = load("settings-off.yaml");
    let rules = &loaded.document.settings.as_ref().unwrap().rules;
    assert_eq!(rules.len(), 3);
    loaded.document.settings = None;
    let report = check_loaded(&loaded, &CheckOptions::default(), &Limits::default());
    let codes: BTreeSet<Code> = report.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        BTreeSet::from([
            Code::MissingTimeframe,
            Code::UncoveredAction,
            Code::ActivityWithoutDeliverables
        ])
    );
}
