//! Semantic diff between two versions of a programme.
//!
//! `tests/diff/NAME.{yaml,json}` are versions of the reference programme
//! (`examples/pompidou-2023-2025.yaml`), each with the edit its opening comment states
//! (`reformatted.json` is the same programme as JSON with every object's keys in reverse
//! order). Beside each, `NAME.expected.json` lists what a diff from the reference to it
//! must report, in a shape any language can read:
//!
//! ```json
//! {"old": "examples/…", "new": "tests/diff/…", "equal": false,
//!  "added": [{"kind": "line_of_action", "id": "P1.8", "parent": "P1"}], "removed": [],
//!  "renamed": [], "moved": [], "reordered": [], "programme": [],
//!  "changed": [{"id": "I2", "path": "target", "category": "target", "old": 16, "new": 20}],
//!  "links": [{"change": "removed", "source": "A6.1", "kind": "addresses", "target": "P1.8"}],
//!  "deliverables": [], "coverage": {"lines": [], "priorities": [], "indicators": [], "timeframes": []}}
//! ```
//!
//! `POLICYGRAPH_BLESS=1 cargo test -p policygraph --test diff` rewrites the sidecars from
//! what the diff reports; check every change against the fixture's edit before keeping
//! it. The whole diff of each pair is an insta snapshot (`tests/snapshots/diff__*.snap`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use policygraph::coverage::TargetStatus;
use policygraph::diff::{Change, FieldCategory};
use policygraph::model::Amount;
use policygraph::{Diff, Document, Format, Graph, Limits, diff, load_path, parse_str, to_string};
use serde_json::{Value, json};

const REFERENCE: &str = "examples/pompidou-2023-2025.yaml";
const DIR: &str = "tests/diff";
const FIXTURES: &[&str] = &[
    "target-raised.yaml",
    "activity-moved-to-2025.yaml",
    "line-dropped.yaml",
    "renamed-and-moved.yaml",
    "reformatted.json",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(rel: &str) -> Document {
    load_path(&root().join(rel), &Limits::default())
        .unwrap_or_else(|e| panic!("{rel} must be a valid document: {e}"))
        .document
}

fn diff_docs(old: &Document, new: &Document) -> Diff {
    diff(&Graph::build(old), &Graph::build(new))
}

fn yaml(text: &str) -> Document {
    parse_str(text, Format::Yaml).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').unwrap().0
}

/// What a sidecar states about a diff: every change with its ids, without the titles
/// and coverage details the snapshots hold.
fn expected_view(old: &str, new: &str, d: &Diff) -> Value {
    let element = |e: &policygraph::diff::DiffElement| {
        let mut v = json!({"kind": e.kind, "id": e.id});
        if let Some(p) = &e.parent {
            v["parent"] = json!(p);
        }
        v
    };
    let place = |p: &policygraph::diff::Place| match &p.parent {
        Some(parent) => format!("{parent}/{}", p.list),
        None => p.list.clone(),
    };
    let field = |id: Option<&str>, f: &policygraph::diff::FieldChange| {
        let mut v = json!({"path": f.path, "category": f.category});
        if let Some(id) = id {
            v = json!({"id": id, "path": f.path, "category": f.category});
        }
        v["old"] = f.old.clone().unwrap_or(Value::Null);
        v["new"] = f.new.clone().unwrap_or(Value::Null);
        v
    };
    let share = |s: &Option<policygraph::diff::Share>| match s {
        Some(s) => json!(format!("{}/{}", s.covered_lines, s.lines)),
        None => Value::Null,
    };
    let plan = |p: &Option<policygraph::diff::IndicatorPlan>| match p {
        Some(p) => json!({
            "target": p.target,
            "planned": p.planned,
            "status": serde_json::to_value(&p.status).unwrap()["status"],
        }),
        None => Value::Null,
    };
    json!({
        "old": old,
        "new": new,
        "equal": d.is_empty(),
        "programme": d.programme.iter().map(|f| field(None, f)).collect::<Vec<_>>(),
        "added": d.added.iter().map(element).collect::<Vec<_>>(),
        "removed": d.removed.iter().map(element).collect::<Vec<_>>(),
        "renamed": d.renamed.iter().map(|r| json!({"id": r.id, "old": r.old, "new": r.new})).collect::<Vec<_>>(),
        "moved": d.moved.iter().map(|m| json!({"id": m.id, "from": place(&m.from), "to": place(&m.to)})).collect::<Vec<_>>(),
        "reordered": d.reordered.iter().map(|r| json!({"list": place(&r.place), "old": r.old, "new": r.new})).collect::<Vec<_>>(),
        "changed": d.changed.iter().flat_map(|c| c.fields.iter().map(|f| field(Some(&c.id), f))).collect::<Vec<_>>(),
        "links": d.links.iter().map(|l| json!({"change": l.change, "source": l.source, "kind": l.kind, "target": l.target})).collect::<Vec<_>>(),
        "deliverables": d.deliverables.iter().map(|a| json!({
            "activity": a.activity,
            "added": a.added.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
            "removed": a.removed.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "coverage": {
            "lines": d.coverage.lines.iter().map(|l| json!({"id": l.id, "before": l.before, "after": l.after, "activities": l.activities})).collect::<Vec<_>>(),
            "priorities": d.coverage.priorities.iter().map(|p| json!({"id": p.id, "before": share(&p.before), "after": share(&p.after)})).collect::<Vec<_>>(),
            "indicators": d.coverage.indicators.iter().map(|i| json!({"id": i.id, "before": plan(&i.before), "after": plan(&i.after)})).collect::<Vec<_>>(),
            "timeframes": d.coverage.timeframes.iter().map(|t| json!({"id": t.id, "before": t.before, "after": t.after})).collect::<Vec<_>>(),
        },
    })
}

#[test]
fn fixtures_diff_as_their_sidecars_expect() {
    let bless = std::env::var_os("POLICYGRAPH_BLESS").is_some();
    let reference = load(REFERENCE);
    let mut failures = Vec::new();
    for name in FIXTURES {
        let new_rel = format!("{DIR}/{name}");
        let d = diff_docs(&reference, &load(&new_rel));
        let actual = expected_view(REFERENCE, &new_rel, &d);
        let sidecar = root()
            .join(DIR)
            .join(format!("{}.expected.json", stem(name)));
        if bless {
            let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
            std::fs::write(&sidecar, text).unwrap();
            continue;
        }
        let text = std::fs::read_to_string(&sidecar)
            .unwrap_or_else(|_| panic!("missing sidecar {}", sidecar.display()));
        let expected: Value = serde_json::from_str(&text).unwrap();
        if actual != expected {
            failures.push(format!(
                "{new_rel}:\n  expected:\n{}\n  actual:\n{}",
                serde_json::to_string_pretty(&expected).unwrap(),
                serde_json::to_string_pretty(&actual).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_has_a_sidecar_and_every_sidecar_a_fixture() {
    let names: BTreeSet<String> = std::fs::read_dir(root().join(DIR))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for name in &names {
        match name.strip_suffix(".expected.json") {
            Some(s) => assert!(
                FIXTURES.iter().any(|f| stem(f) == s),
                "{DIR}/{name} is the sidecar of no fixture"
            ),
            None => assert!(
                FIXTURES.contains(&name.as_str()),
                "{DIR}/{name} is not listed in FIXTURES"
            ),
        }
    }
    for f in FIXTURES {
        assert!(
            names.contains(&format!("{}.expected.json", stem(f))),
            "{f} has no sidecar"
        );
    }
}

#[test]
fn full_diffs_are_snapshotted() {
    let reference = load(REFERENCE);
    for name in FIXTURES {
        let d = diff_docs(&reference, &load(&format!("{DIR}/{name}")));
        insta::assert_json_snapshot!(stem(name), d);
    }
}

#[test]
fn empty_exactly_when_the_documents_are_equal() {
    let reference = load(REFERENCE);
    for name in FIXTURES {
        let new = load(&format!("{DIR}/{name}"));
        let d = diff_docs(&reference, &new);
        assert_eq!(d.is_empty(), reference == new, "{name}");
        assert_eq!(d.is_empty(), *name == "reformatted.json", "{name}");
    }
}

#[test]
fn the_edits_are_reported_as_made() {
    let reference = load(REFERENCE);
    let d = |name: &str| diff_docs(&reference, &load(&format!("{DIR}/{name}")));

    // I2's target 16 → 20, nothing else; the plan against it stays unknown
    let t = d("target-raised.yaml");
    assert_eq!(t.summary.changed, 1);
    assert_eq!(t.summary.fields, 1);
    let f = &t.changed[0];
    assert_eq!((f.id.as_str(), f.fields[0].path.as_str()), ("I2", "target"));
    assert_eq!(f.fields[0].category, FieldCategory::Target);
    assert_eq!(
        (f.fields[0].old.clone(), f.fields[0].new.clone()),
        (Some(json!(16)), Some(json!(20)))
    );
    let i2 = &t.coverage.indicators[0];
    assert_eq!(i2.before.as_ref().unwrap().target, Some(Amount::from(16)));
    assert_eq!(i2.after.as_ref().unwrap().target, Some(Amount::from(20)));
    assert!(matches!(
        i2.after.as_ref().unwrap().status,
        TargetStatus::Unknown { .. }
    ));
    assert!(t.added.is_empty() && t.removed.is_empty() && t.links.is_empty());

    // A3's timeframe, and only that: its topics inherit it, so none gains or loses one
    let a = d("activity-moved-to-2025.yaml");
    assert_eq!(a.changed.len(), 1);
    assert_eq!(a.changed[0].id, "A3");
    let f = &a.changed[0].fields[0];
    assert_eq!(f.category, FieldCategory::Timeframe);
    assert_eq!(
        (f.old.clone(), f.new.clone()),
        (Some(json!("2023-25")), Some(json!("2025")))
    );
    assert!(a.coverage.is_empty());

    // P1.8 removed; A6.1 no longer addresses it; P1 goes from 7 of 11 lines covered to 6 of 10
    let l = d("line-dropped.yaml");
    assert_eq!(l.removed.len(), 1);
    assert_eq!(
        (l.removed[0].id.as_str(), l.removed[0].parent.as_deref()),
        ("P1.8", Some("P1"))
    );
    assert_eq!(l.links.len(), 1);
    let link = &l.links[0];
    assert_eq!(
        (link.change, link.source.as_str(), link.target.as_str()),
        (Change::Removed, "A6.1", "P1.8")
    );
    let p1 = &l.coverage.priorities[0];
    let (before, after) = (p1.before.unwrap(), p1.after.unwrap());
    assert_eq!((before.covered_lines, before.lines), (7, 11));
    assert_eq!((after.covered_lines, after.lines), (6, 10));
    let line = &l.coverage.lines[0];
    assert_eq!(
        (line.id.as_str(), line.before, line.after),
        ("P1.8", Some(true), None)
    );
    assert_eq!(line.activities, ["A6.1"]);

    // A4.2 retitled; P3.3.1 moved from P3.3 to P3.1, which it now covers
    let r = d("renamed-and-moved.yaml");
    assert_eq!(r.renamed.len(), 1);
    assert_eq!(r.renamed[0].id, "A4.2");
    assert_eq!(
        r.renamed[0].new,
        "Handbook on General and Business Aviation"
    );
    assert_eq!(r.moved.len(), 1);
    let m = &r.moved[0];
    assert_eq!(
        (
            m.id.as_str(),
            m.from.parent.as_deref(),
            m.to.parent.as_deref()
        ),
        ("P3.3.1", Some("P3.3"), Some("P3.1"))
    );
    assert!(r.changed.is_empty() && r.added.is_empty() && r.removed.is_empty());
    let p31 = &r.coverage.lines[0];
    assert_eq!(
        (p31.id.as_str(), p31.before, p31.after),
        ("P3.1", Some(false), Some(true))
    );
    assert_eq!(p31.activities, ["A7.1"]);
    // so P3 goes from 4 of its 5 lines covered to all 5 (P3.3 stays covered by A5.2)
    let p3 = &r.coverage.priorities[0];
    assert_eq!(p3.id, "P3");
    assert_eq!(
        (
            p3.before.unwrap().covered_lines,
            p3.after.unwrap().covered_lines
        ),
        (4, 5)
    );
    assert!(r.coverage.lines.iter().all(|l| l.id != "P3.3"));
}

#[test]
fn a_document_diffed_with_itself_is_empty() {
    for rel in
        std::iter::once(REFERENCE.to_owned()).chain(FIXTURES.iter().map(|f| format!("{DIR}/{f}")))
    {
        let doc = load(&rel);
        let d = diff_docs(&doc, &doc);
        assert!(d.is_empty(), "{rel}: {d:#?}");
        assert_eq!(d.summary, Default::default());
    }
}

#[test]
fn the_same_programme_in_every_format_is_equal() {
    let reference = load(REFERENCE);
    for format in [Format::Json, Format::Toml, Format::Yaml] {
        let text = to_string(&reference, format).unwrap();
        let back = parse_str(&text, format).unwrap();
        let d = diff_docs(&reference, &back);
        assert!(d.is_empty(), "{format:?}: {d:#?}");
        assert!(diff_docs(&back, &reference).is_empty());
    }
}

#[test]
fn swapping_old_and_new_swaps_the_diff() {
    let reference = load(REFERENCE);
    for name in FIXTURES {
        let new = load(&format!("{DIR}/{name}"));
        let forward = diff_docs(&reference, &new);
        let back = diff_docs(&new, &reference);
        assert_eq!(forward.added, back.removed, "{name}");
        assert_eq!(forward.removed, back.added, "{name}");
        assert_eq!(forward.summary.added, back.summary.removed);
        assert_eq!(forward.summary.links_added, back.summary.links_removed);
        assert_eq!(forward.summary.links_removed, back.summary.links_added);
        for (f, b) in forward.renamed.iter().zip(&back.renamed) {
            assert_eq!((&f.id, &f.old, &f.new), (&b.id, &b.new, &b.old));
        }
        for (f, b) in forward.moved.iter().zip(&back.moved) {
            assert_eq!((&f.id, &f.from, &f.to), (&b.id, &b.to, &b.from));
        }
        for (f, b) in forward.changed.iter().zip(&back.changed) {
            for (ff, bf) in f.fields.iter().zip(&b.fields) {
                assert_eq!((&ff.path, &ff.old, &ff.new), (&bf.path, &bf.new, &bf.old));
            }
        }
        let flip = |l: &policygraph::diff::LinkChange| {
            let change = match l.change {
                Change::Added => Change::Removed,
                Change::Removed => Change::Added,
            };
            (change, l.source.clone(), l.kind, l.target.clone())
        };
        let f: BTreeSet<_> = forward.links.iter().map(flip).collect();
        let b: BTreeSet<_> = back
            .links
            .iter()
            .map(|l| (l.change, l.source.clone(), l.kind, l.target.clone()))
            .collect();
        assert_eq!(f, b, "{name}");
        for (f, b) in forward.coverage.lines.iter().zip(&back.coverage.lines) {
            assert_eq!((&f.id, f.before, f.after), (&b.id, b.after, b.before));
        }
        for (f, b) in forward
            .coverage
            .indicators
            .iter()
            .zip(&back.coverage.indicators)
        {
            assert_eq!((&f.id, &f.before, &f.after), (&b.id, &b.after, &b.before));
        }
        for (f, b) in forward
            .coverage
            .priorities
            .iter()
            .zip(&back.coverage.priorities)
        {
            assert_eq!((&f.id, &f.before, &f.after), (&b.id, &b.after, &b.before));
        }
        assert_eq!(forward.coverage.len(), back.coverage.len());
    }
}

const SMALL: &str = r#"
format: policygraph/v1
programme: {id: p, title: Programme, period: 2023-2025, currency: EUR}
priorities:
  - id: P1
    title: One
    actions: [{id: L1, title: Line one}, {id: L2, title: Line two}]
activities:
  - id: A1
    title: Training
    status: new
    timeframe: 2023-24
    funding: [OB]
    budget: {total: 1000, allocations: [{source: OB, amount: 1000}]}
    addresses: [L1]
    deliverables:
      - {id: D1, title: Courses, quantity: 3, counts_toward: [I1]}
      - {id: D2, title: Manual}
  - id: A2
    title: Seminar
    addresses: [L1]
indicators:
  - {id: I1, label: Courses held, unit: count, target: 3}
funding_sources:
  - {id: OB, title: Ordinary budget}
  - {id: VC, title: Voluntary contributions}
"#;

fn small_with(edit: &str, with: &str) -> Document {
    assert!(SMALL.contains(edit), "{edit}");
    yaml(&SMALL.replacen(edit, with, 1))
}

#[test]
fn a_raised_target_turns_a_met_plan_short() {
    let old = yaml(SMALL);
    let new = small_with("target: 3}", "target: 5}");
    let d = diff_docs(&old, &new);
    let i1 = &d.coverage.indicators[0];
    assert_eq!(
        i1.before.as_ref().unwrap().status,
        TargetStatus::Met {
            surplus: Amount::ZERO
        }
    );
    assert_eq!(
        i1.after.as_ref().unwrap().status,
        TargetStatus::Short {
            by: Amount::from(2)
        }
    );
    assert_eq!(i1.after.as_ref().unwrap().planned, Some(Amount::from(3)));
}

#[test]
fn fields_are_categorised() {
    let old = yaml(SMALL);
    let cases = [
        (
            "status: new",
            "status: ongoing",
            "status",
            FieldCategory::Status,
        ),
        (
            "timeframe: 2023-24",
            "timeframe: 2025",
            "timeframe",
            FieldCategory::Timeframe,
        ),
        (
            "total: 1000",
            "total: 1200",
            "budget/total",
            FieldCategory::Funding,
        ),
        (
            "funding: [OB]",
            "funding: [OB, VC]",
            "funding",
            FieldCategory::Funding,
        ),
        (
            "quantity: 3",
            "quantity: 4",
            "quantity",
            FieldCategory::Target,
        ),
        (
            "unit: count",
            "unit: percent",
            "unit",
            FieldCategory::Target,
        ),
        (
            "addresses: [L1]\n    deliverables",
            "addresses: [L1, L2]\n    deliverables",
            "addresses",
            FieldCategory::Links,
        ),
        (
            "{id: D2, title: Manual}",
            "{id: D2, title: Manual, kind: manual}",
            "kind",
            FieldCategory::Other,
        ),
        (
            "currency: EUR",
            "currency: USD",
            "currency",
            FieldCategory::Funding,
        ),
        (
            "{id: D2, title: Manual}",
            "{id: D2, title: Manual, refers_to: [D1]}",
            "refers_to",
            FieldCategory::References,
        ),
        (
            "title: Seminar\n    addresses: [L1]",
            "title: Seminar\n    addresses: [L1]\n    depends_on: [{id: A1, type: informs}]",
            "depends_on",
            FieldCategory::Links,
        ),
    ];
    for (edit, with, path, category) in cases {
        let d = diff_docs(&old, &small_with(edit, with));
        let fields: Vec<_> = d
            .changed
            .iter()
            .flat_map(|c| &c.fields)
            .chain(&d.programme)
            .collect();
        assert_eq!(fields.len(), 1, "{with}: {d:#?}");
        assert_eq!(
            (fields[0].path.as_str(), fields[0].category),
            (path, category),
            "{with}"
        );
    }
}

#[test]
fn a_new_line_of_action_is_a_link_and_a_coverage_gain() {
    let old = yaml(SMALL);
    let new = small_with(
        "addresses: [L1]\n    deliverables",
        "addresses: [L1, L2]\n    deliverables",
    );
    let d = diff_docs(&old, &new);
    assert_eq!(d.links.len(), 1);
    assert_eq!(
        (d.links[0].change, d.links[0].target.as_str()),
        (Change::Added, "L2")
    );
    assert_eq!(d.coverage.lines.len(), 1);
    assert_eq!(
        (
            d.coverage.lines[0].id.as_str(),
            d.coverage.lines[0].before,
            d.coverage.lines[0].after
        ),
        ("L2", Some(false), Some(true))
    );
    let p1 = &d.coverage.priorities[0];
    assert_eq!(p1.before.unwrap().covered_lines, 1);
    assert_eq!(p1.after.unwrap().covered_lines, 2);
}

/// The links a diff compares are the references the graph walks: the fields added with
/// the action plans and grant work plans (a priority's `serves`, a deliverable's and a
/// milestone's `lead`, a milestone's `also_in`, a partner's `linked_to`) are links, in
/// the links category, with nothing in the diff naming them.
#[test]
fn every_reference_field_the_graph_walks_is_a_link() {
    const LINKED: &str = r#"
format: policygraph/v1
programme: {id: p, title: Programme, period: 2023-2025}
priorities:
  - {id: P1, title: One}
activities:
  - id: A1
    title: Training
    timeframe: 2023-24
    addresses: [P1]
    deliverables:
      - {id: D1, title: Courses}
    milestones:
      - {id: M1, title: Courses held, due: 2024-06}
  - id: A2
    title: Seminar
    timeframe: "2024"
    addresses: [P1]
    deliverables:
      - {id: D2, title: Seminar}
outcomes:
  - {id: OC1, title: Better training}
partners:
  - {id: PA, title: Agency}
  - {id: PB, title: Linked body}
"#;
    let old = yaml(LINKED);
    let new = yaml(
        &LINKED
            .replace(
                "{id: P1, title: One}",
                "{id: P1, title: One, serves: [OC1]}",
            )
            .replace(
                "{id: D1, title: Courses}",
                "{id: D1, title: Courses, lead: PA}",
            )
            .replace("due: 2024-06}", "due: 2024-06, lead: PA, also_in: [A2]}")
            .replace(
                "{id: PB, title: Linked body}",
                "{id: PB, title: Linked body, linked_to: PA}",
            ),
    );
    let d = diff_docs(&old, &new);
    let links: Vec<(&str, &str, &str)> = d
        .links
        .iter()
        .filter(|l| l.change == Change::Added)
        .map(|l| (l.source.as_str(), l.field.as_str(), l.target.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("P1", "serves", "OC1"),
            ("D1", "lead", "PA"),
            ("M1", "lead", "PA"),
            ("M1", "also_in", "A2"),
            ("PB", "linked_to", "PA"),
        ],
        "{d:#?}"
    );
    for c in &d.changed {
        for f in &c.fields {
            assert_eq!(f.category, FieldCategory::Links, "{} {}", c.id, f.path);
        }
    }
    assert_eq!(d.summary.fields, 5, "{d:#?}");
}

#[test]
fn deliverables_are_summarised_per_activity_and_timeframes_gained() {
    let old = yaml(SMALL);
    let new = small_with(
        "  - id: A2\n    title: Seminar\n",
        "  - id: A2\n    title: Seminar\n    timeframe: 2025\n    deliverables: [{id: D2, title: Manual}]\n",
    );
    let new = {
        // D2 leaves A1 for A2
        let text = serde_json::to_string(&new).unwrap();
        let text = text.replacen(r#",{"id":"D2","title":"Manual"}"#, "", 1);
        parse_str(&text, Format::Json).unwrap()
    };
    let d = diff_docs(&old, &new);
    assert_eq!(d.moved.len(), 1, "{d:#?}");
    assert_eq!(d.moved[0].id, "D2");
    let per: Vec<(&str, Vec<&str>, Vec<&str>)> = d
        .deliverables
        .iter()
        .map(|a| {
            (
                a.activity.as_str(),
                a.added.iter().map(|e| e.id.as_str()).collect(),
                a.removed.iter().map(|e| e.id.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        per,
        [("A1", vec![], vec!["D2"]), ("A2", vec!["D2"], vec![])]
    );
    assert_eq!(d.coverage.timeframes.len(), 1);
    let t = &d.coverage.timeframes[0];
    assert_eq!(
        (t.id.as_str(), t.before, t.after),
        ("A2", Some(false), Some(true))
    );
}

#[test]
fn reordering_is_a_difference() {
    let old = yaml(SMALL);
    let mut v = serde_json::to_value(&old).unwrap();
    v["activities"].as_array_mut().unwrap().reverse();
    let new: Document = serde_json::from_value(v).unwrap();
    let d = diff_docs(&old, &new);
    assert_eq!(d.reordered.len(), 1);
    assert_eq!(d.reordered[0].old, ["A1", "A2"]);
    assert_eq!(d.reordered[0].new, ["A2", "A1"]);
    assert!(d.changed.is_empty());
    // the order of references counts too, though no link changes
    let new = small_with("funding: [OB]", "funding: [OB, OB]");
    let d = diff_docs(&old, &new);
    assert!(d.links.is_empty() && !d.is_empty());
}

#[test]
fn settings_evaluation_and_programme_fields_count() {
    let old = yaml(SMALL);
    let with_eval = yaml(&format!("{SMALL}evaluation: {{}}\n"));
    let d = diff_docs(&old, &with_eval);
    assert_eq!(d.programme.len(), 1);
    assert_eq!(d.programme[0].path, "evaluation");
    let with_settings = yaml(&format!("{SMALL}settings: {{rules: {{PG702: off}}}}\n"));
    let d = diff_docs(&old, &with_settings);
    assert_eq!(d.programme[0].path, "settings");
    let renamed = small_with("title: Programme", "title: The programme");
    assert_eq!(diff_docs(&old, &renamed).programme[0].path, "title");
}

#[test]
fn duplicated_ids_are_matched_in_order() {
    let old = small_with("indicators:", "  - {id: A2, title: Again}\nindicators:");
    let new = small_with(
        "indicators:",
        "  - {id: A2, title: Again, status: new}\nindicators:",
    );
    let d = diff_docs(&old, &new);
    assert_eq!(d.changed.len(), 1);
    assert_eq!(d.changed[0].title, "Again");
    assert!(diff_docs(&old, &old).is_empty());
}

/// Single edits of the reference programme that still give a valid document are all
/// seen: strings, numbers and lists changed, optional fields and list items dropped.
#[test]
fn no_single_edit_goes_unseen() {
    let reference = load(REFERENCE);
    let base = serde_json::to_value(&reference).unwrap();
    let mut paths = Vec::new();
    collect(&base, &mut Vec::new(), &mut paths);
    let (mut tried, mut seen) = (0, 0);
    // every third value, the three kinds of edit in turn (all of them take a minute)
    for (n, path) in paths.iter().enumerate().step_by(3) {
        for edit in [(n / 3 % 3) as u8] {
            let mut v = base.clone();
            if !mutate(&mut v, path, edit) {
                continue;
            }
            let Ok(doc) = serde_json::from_value::<Document>(v) else {
                continue;
            };
            if doc == reference {
                continue;
            }
            tried += 1;
            let d = diff_docs(&reference, &doc);
            assert!(
                !d.is_empty(),
                "edit {edit} at /{} went unseen",
                path.join("/")
            );
            seen += 1;
        }
    }
    assert!(tried > 200, "only {tried} edits tried");
    assert_eq!(tried, seen);
}

fn collect(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                at.push(k.clone());
                collect(c, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                at.push(i.to_string());
                collect(c, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// Edits the value at `path`: 0 changes it, 1 drops it (or its list's last item), 2
/// reverses a list or swaps in another value.
fn mutate(root: &mut Value, path: &[String], edit: u8) -> bool {
    let Some((last, parent_path)) = path.split_last() else {
        return false;
    };
    let mut parent = root;
    for p in parent_path {
        parent = match parent {
            Value::Object(m) => m.get_mut(p).unwrap(),
            Value::Array(a) => &mut a[p.parse::<usize>().unwrap()],
            _ => return false,
        };
    }
    if edit == 1 {
        return match parent {
            Value::Object(m) => m.shift_remove(last).is_some(),
            Value::Array(a) => {
                a.remove(last.parse::<usize>().unwrap());
                true
            }
            _ => false,
        };
    }
    let target = match parent {
        Value::Object(m) => m.get_mut(last).unwrap(),
        Value::Array(a) => &mut a[last.parse::<usize>().unwrap()],
        _ => return false,
    };
    match (target, edit) {
        (Value::String(s), 0) => s.push('x'),
        (Value::String(s), _) => *s = "2024".to_owned(),
        (Value::Number(n), 0) => *n = (n.as_i64().unwrap_or(0) + 1).into(),
        (Value::Number(n), _) => *n = 0.into(),
        (Value::Array(a), 0) => a.push(a.first().cloned().unwrap_or(Value::Null)),
        (Value::Array(a), _) if a.len() > 1 => a.reverse(),
        (Value::Object(m), 0) => {
            m.insert("description".to_owned(), json!("added"));
        }
        _ => return false,
    }
    true
}

#[test]
fn dependencies_and_cross_references_are_links_of_their_own() {
    let old = yaml(SMALL);
    let new = small_with(
        "title: Seminar\n    addresses: [L1]",
        "title: Seminar\n    addresses: [L1]\n    depends_on: [D1, {id: A1, type: informs}]\n    refers_to: [A1]",
    );
    let d = diff_docs(&old, &new);
    let links: Vec<(&str, &str, &str, &str)> = d
        .links
        .iter()
        .filter(|l| l.change == Change::Added)
        .map(|l| {
            (
                l.source.as_str(),
                l.field.as_str(),
                l.kind.as_str(),
                l.target.as_str(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("A2", "depends_on", "depends_on", "D1"),
            ("A2", "depends_on", "informed_by", "A1"),
            ("A2", "refers_to", "refers_to", "A1"),
        ],
        "{d:#?}"
    );
    let categories: Vec<(&str, FieldCategory)> = d
        .changed
        .iter()
        .flat_map(|c| c.fields.iter().map(|f| (f.path.as_str(), f.category)))
        .collect();
    assert_eq!(
        categories,
        [
            ("depends_on", FieldCategory::Links),
            ("refers_to", FieldCategory::References),
        ]
    );
}

#[test]
fn an_anchored_timeframe_is_a_link_and_a_change_of_timing() {
    let old = yaml(SMALL);
    let new = small_with(
        "title: Seminar\n    addresses: [L1]",
        "title: Seminar\n    addresses: [L1]\n    timeframe: {after: D1, within: 12 months}",
    );
    let d = diff_docs(&old, &new);
    let links: Vec<(&str, &str, &str, &str)> = d
        .links
        .iter()
        .map(|l| {
            (
                l.source.as_str(),
                l.field.as_str(),
                l.kind.as_str(),
                l.target.as_str(),
            )
        })
        .collect();
    assert_eq!(links, [("A2", "timeframe", "anchored_to", "D1")], "{d:#?}");
    let paths: Vec<&str> = d
        .changed
        .iter()
        .flat_map(|c| c.fields.iter().map(|f| f.path.as_str()))
        .collect();
    assert_eq!(paths, ["timeframe"], "{d:#?}");
    assert!(
        d.changed[0].fields[0].category != FieldCategory::Links,
        "{d:#?}"
    );
}
