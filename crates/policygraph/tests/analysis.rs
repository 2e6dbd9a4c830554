//! Coverage, trace, impact and query on a small programme whose figures are worked out
//! by hand in `tests/analysis/small.yaml`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use policygraph::coverage::TargetStatus;
use policygraph::model::Amount;
use policygraph::query::QueryError;
use policygraph::trace::Via;
use policygraph::{Graph, Limits, NodeKind, Query, coverage, impact, load_path, query, trace};

fn doc() -> policygraph::Document {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/analysis/small.yaml");
    load_path(&path, &Limits::default()).unwrap().document
}

fn ids<T, F: Fn(&T) -> &str>(items: &[T], f: F) -> Vec<&str> {
    items.iter().map(f).collect()
}

#[test]
fn coverage_of_priorities_and_lines() {
    let doc = doc();
    let g = Graph::build(&doc);
    let c = coverage(&g);
    let p1 = &c.priorities[0];
    assert_eq!((p1.id.as_str(), p1.lines, p1.covered_lines), ("P1", 3, 2));
    assert!((p1.share - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(p1.activities, ["A1"]);
    assert_eq!(p1.deliverables, ["D1", "D2", "D3"]);
    let p2 = &c.priorities[1];
    assert_eq!((p2.lines, p2.covered_lines, p2.share), (1, 1, 1.0));
    assert_eq!(c.uncovered_lines, ["L2"]);
    let l1 = c.lines.iter().find(|l| l.id == "L1").unwrap();
    assert!(l1.covered && l1.activities.is_empty());
    assert_eq!(l1.through_sub_lines, ["A1"]);
    let l11 = c.lines.iter().find(|l| l.id == "L1.1").unwrap();
    assert_eq!(
        (l11.parent.as_deref(), l11.priority.as_str()),
        (Some("L1"), "P1")
    );
    assert_eq!(l11.deliverables, ["D1", "D2", "D3"]);
}

#[test]
fn targets_against_plans() {
    let doc = doc();
    let g = Graph::build(&doc);
    let c = coverage(&g);
    let status = |id: &str| {
        c.indicators
            .iter()
            .find(|i| i.id == id)
            .unwrap()
            .status
            .clone()
    };
    // D1 plans 2 and D4 plans 1: exactly the target of 3
    assert_eq!(
        status("I1"),
        TargetStatus::Met {
            surplus: Amount::from(0)
        }
    );
    assert_eq!(c.indicators[0].planned, Some(Amount::from(3)));
    // D2 recurs annually over A1's 2023-24: 2 against a target of 5
    assert_eq!(
        status("I2"),
        TargetStatus::Short {
            by: Amount::from(3)
        }
    );
    match status("I3") {
        TargetStatus::Unknown {
            missing_quantities, ..
        } => assert_eq!(missing_quantities, ["D3"]),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        status("I4"),
        TargetStatus::NotComparable {
            unit: "percent".into()
        }
    );
    assert_eq!(status("I5"), TargetStatus::NoContributors);
    assert_eq!(status("I6"), TargetStatus::NoTarget);
}

#[test]
fn coverage_per_year_and_group() {
    let doc = doc();
    let g = Graph::build(&doc);
    let c = coverage(&g);
    let years: Vec<(i32, Vec<&str>, Vec<&str>)> = c
        .years
        .iter()
        .map(|y| {
            (
                y.year,
                ids(&y.activities, |s| s.as_str()),
                ids(&y.deliverables, |s| s.as_str()),
            )
        })
        .collect();
    assert_eq!(
        years,
        [
            (2023, vec!["A1", "A1.1"], vec!["D2", "D3"]),
            (2024, vec!["A1", "A1.1"], vec!["D1", "D2", "D3"]),
            (2025, vec!["A2"], vec!["D4"]),
        ]
    );
    assert_eq!(c.unscheduled, ["A3"]);
    let funding: Vec<(&str, Vec<&str>)> = c
        .funding_sources
        .iter()
        .map(|f| (f.id.as_str(), ids(&f.activities, |s| s.as_str())))
        .collect();
    assert_eq!(
        funding,
        [("OB", vec!["A1", "A3"]), ("VC", vec!["A1.1", "A2"])]
    );
    assert_eq!(c.partners[0].activities, ["A1"]);
    assert_eq!(c.themes[0].activities, ["A1"]);
}

#[test]
fn trace_runs_up_to_priorities_and_down_to_outcomes() {
    let doc = doc();
    let g = Graph::build(&doc);
    let t = trace(&g, "D1").unwrap();
    let up: Vec<(&str, Via)> = t
        .upstream
        .iter()
        .map(|s| (s.element.id.as_str(), s.via))
        .collect();
    assert_eq!(
        up,
        [
            ("A1", Via::PartOf),
            ("L1.1", Via::Addresses),
            ("L1", Via::PartOf),
            ("P1", Via::PartOf)
        ]
    );
    assert_eq!(t.priorities, ["P1"]);
    assert_eq!(t.indicators, ["I1"]);
    assert_eq!(t.outcomes, ["OC1", "OC2"]);
    let down: Vec<(&str, &str, Via)> = t
        .downstream
        .iter()
        .map(|s| (s.from.as_str(), s.element.id.as_str(), s.via))
        .collect();
    assert_eq!(
        down,
        [
            ("D1", "OUT1", Via::Produces),
            ("D1", "I1", Via::CountsToward),
            ("OUT1", "OC1", Via::ContributesTo),
            ("OC1", "OC2", Via::ContributesTo)
        ]
    );
    let from_priority = trace(&g, "P2").unwrap();
    assert_eq!(from_priority.priorities, ["P2"]);
    let reached: Vec<&str> = from_priority
        .downstream
        .iter()
        .map(|s| s.element.id.as_str())
        .collect();
    assert!(reached.contains(&"A2") && reached.contains(&"D4") && reached.contains(&"I4"));
    let err = trace(&g, "D9").unwrap_err();
    assert_eq!(err.hint.as_deref(), Some("D1"));
}

#[test]
fn impact_of_dropping_an_element() {
    let doc = doc();
    let g = Graph::build(&doc);
    let i = impact(&g, "A1").unwrap();
    assert_eq!(ids(&i.removed, |e| &e.id), ["A1", "D1", "D2", "A1.1", "D3"]);
    assert_eq!(ids(&i.uncovered_lines, |e| &e.id), ["L1", "L1.1"]);
    assert_eq!(
        ids(&i.indicators_without_contributors, |e| &e.id),
        ["I2", "I3"]
    );
    assert_eq!(ids(&i.orphaned, |e| &e.id), ["OUT1", "ORG"]);
    assert_eq!(i.broken_references.len(), 1);
    assert_eq!(
        (
            i.broken_references[0].from.id.as_str(),
            i.broken_references[0].target.as_str()
        ),
        ("A2", "A1")
    );

    let i = impact(&g, "A2").unwrap();
    assert_eq!(ids(&i.uncovered_lines, |e| &e.id), ["L3"]);
    assert_eq!(
        ids(&i.indicators_without_contributors, |e| &e.id),
        ["I4", "I6"]
    );
    assert!(
        i.orphaned.is_empty(),
        "VC still funds A1.1: {:?}",
        i.orphaned
    );
}

fn q(query_json: &str) -> Result<Vec<String>, QueryError> {
    let doc = doc();
    let g = Graph::build(&doc);
    let q: Query = serde_json::from_str(query_json).unwrap();
    query(&g, &q).map(|rows| rows.into_iter().map(|r| r.id).collect())
}

#[test]
fn queries_filter_by_every_field() {
    assert_eq!(
        q(r#"{"priority": "P1", "kind": "activity"}"#).unwrap(),
        ["A1", "A1.1"]
    );
    assert_eq!(
        q(r#"{"priority": "P1", "kind": "action"}"#).unwrap(),
        ["L1", "L1.1", "L2"]
    );
    assert_eq!(
        q(r#"{"year": 2025}"#).unwrap(),
        ["A2", "D4", "I1", "I2", "I3", "I4"]
    );
    assert_eq!(
        q(r#"{"funding": "OB", "kind": "activity"}"#).unwrap(),
        ["A1", "A3"]
    );
    assert_eq!(
        q(r#"{"funding": "VC"}"#).unwrap(),
        ["A1.1", "A2", "D3", "D4"]
    );
    assert_eq!(
        q(r#"{"funding": "VC", "year": 2024}"#).unwrap(),
        ["A1.1", "D3"]
    );
    assert_eq!(q(r#"{"status": "new"}"#).unwrap(), ["A2", "D4"]);
    assert_eq!(q(r#"{"partner": "ORG"}"#).unwrap(), ["A1"]);
    assert_eq!(q(r#"{"theme": "HR"}"#).unwrap(), ["A1", "A1.1"]);
    assert_eq!(q(r#"{"kind": "outcome"}"#).unwrap(), ["OC1", "OC2"]);
    assert!(matches!(
        q(r#"{"priority": "L1"}"#),
        Err(QueryError::WrongKind { .. })
    ));
    match q(r#"{"funding": "OBB"}"#) {
        Err(QueryError::Unknown(u)) => assert_eq!(u.hint.as_deref(), Some("OB")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn graph_api_by_id_and_kind() {
    let doc = doc();
    let g = Graph::build(&doc);
    assert_eq!(
        g.nodes_of_kind(NodeKind::Activity)
            .map(|n| n.id())
            .collect::<Vec<_>>(),
        ["A1", "A1.1", "A2", "A3"]
    );
    assert_eq!(g.node("D3").unwrap().parent().unwrap().id(), "A1.1");
    assert_eq!(
        g.descendants("A1", Some(NodeKind::Deliverable))
            .iter()
            .map(|n| n.id())
            .collect::<Vec<_>>(),
        ["D1", "D2", "D3"]
    );
    assert_eq!(
        g.ancestors("D3", Some(NodeKind::Activity))
            .iter()
            .map(|n| n.id())
            .collect::<Vec<_>>(),
        ["A1.1", "A1"]
    );
    assert!(g.node("nope").is_none());
}

/// Coverage's lists, gathered in bulk (edges grouped by target in one pass, subtrees as
/// runs of indices), against a plain walk of the public graph API, on generated
/// programmes given the shapes the generator does not make: nested sub-activities with
/// deliverables, a sub-activity addressing its parent's line, an address written twice,
/// a partner who both leads and partners, deliverables counting toward indicators.
#[test]
fn coverage_agrees_with_a_walk_of_the_graph() {
    use policygraph::model::{Activity, Deliverable, Id};
    use policygraph::{EdgeKind, NodeRef};
    // the largest runs coverage on two threads
    for (n, seed) in [(300, 1), (2_000, 7), (5_000, 3), (60_000, 5)] {
        let mut doc = policygraph::generate::generate(n, seed);
        let line = |doc: &policygraph::Document, i: usize| {
            doc.priorities[i % doc.priorities.len()].actions[0]
                .id
                .clone()
        };
        for (k, i) in (0..doc.activities.len()).step_by(7).enumerate() {
            let l = line(&doc, k);
            let a = &mut doc.activities[i];
            a.addresses.push(l.clone());
            a.addresses.push(l.clone());
            if let Some(p) = a.lead.clone() {
                a.partners.push(p);
            }
            let topic = &mut a.activities[0];
            topic.addresses.push(l);
            let mut deeper: Activity = topic.clone();
            deeper.id = Id::new(&format!("{}.deep", topic.id)).unwrap();
            deeper.activities.clear();
            deeper.deliverables = vec![Deliverable {
                id: Id::new(&format!("{}.deep.D", topic.id)).unwrap(),
                ..topic.deliverables[0].clone()
            }];
            topic.activities.push(deeper);
        }
        let g = Graph::build(&doc);
        let c = coverage(&g);
        let position = |kind: NodeKind| -> std::collections::HashMap<String, usize> {
            g.nodes_of_kind(kind)
                .enumerate()
                .map(|(i, r)| (r.id().to_owned(), i))
                .collect()
        };
        let (act_pos, del_pos) = (
            position(NodeKind::Activity),
            position(NodeKind::Deliverable),
        );
        let in_order = |mut v: Vec<String>, pos: &std::collections::HashMap<String, usize>| {
            v.sort_by_key(|id| pos[id]);
            v.dedup();
            v
        };
        let strings = |v: &[Id]| v.iter().map(|i| i.to_string()).collect::<Vec<_>>();
        let deliverables_of = |acts: &[String]| -> Vec<String> {
            let all = acts
                .iter()
                .flat_map(|a| g.descendants(a, Some(NodeKind::Deliverable)))
                .map(|d| d.id().to_owned())
                .collect();
            in_order(all, &del_pos)
        };
        let sources = |r: NodeRef<'_, '_>, kinds: &[EdgeKind], of: NodeKind| -> Vec<String> {
            kinds
                .iter()
                .flat_map(|&k| r.incoming(k))
                .filter(|s| s.kind() == of)
                .map(|s| s.id().to_owned())
                .collect()
        };
        for lc in &c.lines {
            let r = g.node(&lc.id).unwrap();
            let acts = in_order(
                sources(r, &[EdgeKind::Addresses], NodeKind::Activity),
                &act_pos,
            );
            assert_eq!(strings(&lc.activities), acts, "line {}", lc.id);
            assert_eq!(
                strings(&lc.deliverables),
                deliverables_of(&acts),
                "line {}",
                lc.id
            );
        }
        for pc in &c.priorities {
            let mut acts = sources(
                g.node(&pc.id).unwrap(),
                &[EdgeKind::Addresses],
                NodeKind::Activity,
            );
            let lines = g.descendants(&pc.id, Some(NodeKind::Action));
            for l in &lines {
                acts.extend(sources(*l, &[EdgeKind::Addresses], NodeKind::Activity));
            }
            let acts = in_order(acts, &act_pos);
            assert_eq!(pc.lines, lines.len());
            assert_eq!(strings(&pc.activities), acts, "priority {}", pc.id);
            assert_eq!(
                strings(&pc.deliverables),
                deliverables_of(&acts),
                "priority {}",
                pc.id
            );
        }
        for ic in &c.indicators {
            let r = g.node(&ic.id).unwrap();
            let acts = in_order(
                sources(r, &[EdgeKind::CountsToward], NodeKind::Activity),
                &act_pos,
            );
            let dels = in_order(
                sources(r, &[EdgeKind::CountsToward], NodeKind::Deliverable),
                &del_pos,
            );
            assert_eq!(
                (strings(&ic.activities), strings(&ic.deliverables)),
                (acts, dels)
            );
        }
        for pc in &c.partners {
            let r = g.node(&pc.id).unwrap();
            let kinds = [EdgeKind::LedBy, EdgeKind::PartnersWith];
            let acts = in_order(sources(r, &kinds, NodeKind::Activity), &act_pos);
            let dels = in_order(sources(r, &kinds, NodeKind::Deliverable), &del_pos);
            assert_eq!(
                (strings(&pc.activities), strings(&pc.deliverables)),
                (acts, dels)
            );
        }
        for (groups, edge) in [(&c.networks, EdgeKind::Runs), (&c.themes, EdgeKind::Serves)] {
            for gc in groups {
                let r = g.node(&gc.id).unwrap();
                let acts = in_order(sources(r, &[edge], NodeKind::Activity), &act_pos);
                assert_eq!(strings(&gc.activities), acts, "{}", gc.id);
            }
        }
        // the shapes above are really there
        assert!(c.lines.iter().any(|l| {
            l.deliverables
                .iter()
                .any(|d| d.as_str().ends_with(".deep.D"))
        }));
        assert!(c.partners.iter().any(|p| !p.activities.is_empty()));
    }
}

/// A priority with no lines of action that activities address directly is covered in
/// full, one that nothing addresses not at all (never a share of nothing).
#[test]
fn a_priority_addressed_directly_is_covered() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/conformance/PG701-priority-without-actions-addressed-directly.yaml");
    let doc = load_path(&path, &Limits::default()).unwrap().document;
    let g = Graph::build(&doc);
    let c = coverage(&g);
    let p2 = c.priorities.iter().find(|p| p.id == "P2").unwrap();
    assert_eq!((p2.lines, p2.covered_lines, p2.share), (0, 0, 1.0));
    assert_eq!(p2.activities, ["A2"]);
    let p3 = c.priorities.iter().find(|p| p.id == "P3").unwrap();
    assert_eq!((p3.lines, p3.share), (0, 0.0));
    assert!(p3.activities.is_empty());
}

/// A target bound `{at_most: …}` is met by planning no more than it.
#[test]
fn an_at_most_target_is_met_by_planning_less() {
    let text = "format: policygraph/v1\nprogramme: {id: p, title: P}\nactivities:\n  - id: A1\n    title: One\n    deliverables:\n      - {id: D1, title: Reports, quantity: 3, counts_toward: [I1, I2]}\nindicators:\n  - {id: I1, label: At most, unit: count, target: {at_most: 5}}\n  - {id: I2, label: At least, unit: count, target: {at_least: 5}}\n";
    let doc = policygraph::parse_str(text, policygraph::Format::Yaml).unwrap();
    let g = Graph::build(&doc);
    let c = coverage(&g);
    assert_eq!(
        c.indicators[0].status,
        TargetStatus::Met {
            surplus: Amount::from(2)
        }
    );
    // the rows' gap is the plan minus the target whatever the comparator: 3 - 5, 3 - 5
    let rows = policygraph::tables::indicators(&c);
    assert_eq!((rows[0].status.as_str(), rows[0].gap), ("met", Some(-2.0)));
    assert_eq!(
        (rows[1].status.as_str(), rows[1].gap),
        ("short", Some(-2.0))
    );
    assert_eq!(
        c.indicators[1].status,
        TargetStatus::Short {
            by: Amount::from(2)
        }
    );
    // the bound survives writing the document back
    let again = policygraph::to_string(&doc, policygraph::Format::Yaml).unwrap();
    assert!(
        again.contains("at_most: 5") && again.contains("at_least: 5"),
        "{again}"
    );
}

/// A plan over an `{at_most: …}` bound is over the limit, not short nor met; the bound is
/// in the coverage (`comparator`) and in words (`at most 2`).
#[test]
fn a_plan_over_an_at_most_target_is_over_the_limit() {
    use policygraph::coverage::against_target;
    use policygraph::model::{Comparator, Target};
    use rust_decimal::Decimal;
    let text = "format: policygraph/v1\nprogramme: {id: p, title: P}\nactivities:\n  - id: A1\n    title: One\n    deliverables:\n      - {id: D1, title: Reports, quantity: 3, counts_toward: [I1, I2, I3]}\nindicators:\n  - {id: I1, label: At most, unit: count, target: {at_most: 2}}\n  - {id: I2, label: At least, unit: count, target: {at_least: 2}}\n  - {id: I3, label: Exactly, unit: count, target: 2}\n";
    let doc = policygraph::parse_str(text, policygraph::Format::Yaml).unwrap();
    let c = coverage(&Graph::build(&doc));
    let (i1, i2, i3) = (&c.indicators[0], &c.indicators[1], &c.indicators[2]);
    assert_eq!(
        i1.status,
        TargetStatus::OverLimit {
            by: Amount::from(1)
        }
    );
    assert_eq!(
        i2.status,
        TargetStatus::Met {
            surplus: Amount::from(1)
        }
    );
    assert_eq!(i2.status, i3.status);
    assert_eq!(
        (i1.comparator, i2.comparator, i3.comparator),
        (Some(Comparator::AtMost), Some(Comparator::AtLeast), None)
    );
    assert_eq!(i1.target_text().as_deref(), Some("at most 2"));
    assert_eq!(i2.target_text().as_deref(), Some("at least 2"));
    assert_eq!(i3.target_text().as_deref(), Some("2"));
    assert_eq!(i1.target_in_words("2 %"), "at most 2 %");
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["indicators"][0]["comparator"], "at_most");
    assert_eq!(json["indicators"][0]["status"]["status"], "over_limit");
    assert!(json["indicators"][2].get("comparator").is_none());
    // the one function that reads a comparator against a plan
    let at_most = Target {
        comparator: Comparator::AtMost,
        value: Amount::from(5),
    };
    assert_eq!(
        against_target(at_most, Decimal::from(5)),
        TargetStatus::Met {
            surplus: Amount::ZERO
        }
    );
    assert_eq!(
        against_target(at_most, Decimal::from(7)),
        TargetStatus::OverLimit {
            by: Amount::from(2)
        }
    );
    assert_eq!(
        against_target(Target::exactly(Amount::from(5)), Decimal::from(4)),
        TargetStatus::Short {
            by: Amount::from(1)
        }
    );
    // and in the flat rows of the bindings
    let rows = policygraph::tables::indicators(&c);
    assert_eq!(
        (
            rows[0].status.as_str(),
            rows[0].gap,
            rows[0].comparator.as_deref()
        ),
        ("over_limit", Some(1.0), Some("at_most"))
    );
}

/// The new references resolve like the others: a former id of a partner, a milestone's
/// lead, partners, indicators and further work packages, a deliverable's lead, a linked
/// third party, a priority's outcomes; each is an edge, and a broken one is PG101.
#[test]
fn new_references_are_edges_and_former_ids_resolve() {
    use policygraph::EdgeKind;
    let text = r#"format: policygraph/v1
programme: {id: p, title: P}
priorities:
  - {id: P1, title: One, serves: [OC1]}
activities:
  - id: WP1
    title: One
    lead: OLDUNI
    addresses: [P1]
    deliverables:
      - {id: D1, title: Report, lead: UNI, dissemination: public, kind: websites_patents_videos}
    milestones:
      - {id: MS1, title: Done, lead: NGO, partners: [OLDUNI], counts_toward: [I1], also_in: [WP2], measurement: reports filed}
  - {id: WP2, title: Two, addresses: [P1], milestones: [{id: MS2, title: Bad, also_in: [WP9]}]}
outcomes:
  - {id: OC1, title: Better}
indicators:
  - {id: I1, label: Reports, unit: count, baseline: 0, target: {at_least: 2}, measures: MS1}
partners:
  - {id: UNI, title: University, also_known_as: [OLDUNI]}
  - {id: NGO, title: Linked NGO, linked_to: UNI}
"#;
    let doc = policygraph::parse_str(text, policygraph::Format::Yaml).unwrap();
    let g = Graph::build(&doc);
    let edges: Vec<(String, EdgeKind, String)> = g
        .edges()
        .filter(|(_, k, _)| !k.is_hierarchy())
        .map(|(a, k, b)| (a.id().to_owned(), k, b.id().to_owned()))
        .collect();
    for want in [
        ("WP1", EdgeKind::LedBy, "UNI"),
        ("D1", EdgeKind::LedBy, "UNI"),
        ("MS1", EdgeKind::LedBy, "NGO"),
        ("MS1", EdgeKind::PartnersWith, "UNI"),
        ("MS1", EdgeKind::CountsToward, "I1"),
        ("MS1", EdgeKind::AlsoIn, "WP2"),
        ("NGO", EdgeKind::LinkedTo, "UNI"),
        ("P1", EdgeKind::Serves, "OC1"),
        ("I1", EdgeKind::Measures, "MS1"),
    ] {
        assert!(
            edges.contains(&(want.0.to_owned(), want.1, want.2.to_owned())),
            "{want:?} not in {edges:?}"
        );
    }
    assert_eq!(g.node("OLDUNI").map(|n| n.id()), Some("UNI"));
    let report = policygraph::check::check_document(&doc, &Default::default());
    let broken: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .filter(|d| d.code.is_rule() && d.code.as_str().starts_with("PG1"))
        .map(|d| (d.code.as_str(), d.pointer.as_str()))
        .collect();
    assert_eq!(broken, [("PG101", "/activities/1/milestones/0/also_in/0")]);
    // trace follows the new links: the milestone leads to the indicator that measures it
    let t = trace(&g, "MS1").unwrap();
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.contains("\"I1\""), "{json}");
    // and from a partner the other sides: what it leads, takes part in, its linked
    // third parties
    let t = trace(&g, "UNI").unwrap();
    let links: Vec<(String, String)> = t
        .links
        .iter()
        .map(|s| {
            let via = serde_json::to_value(s.via).unwrap();
            (via.as_str().unwrap().to_owned(), s.element.id.clone())
        })
        .collect();
    // the other sides of `serves` and `measures`
    let t = trace(&g, "OC1").unwrap();
    assert!(
        t.links
            .iter()
            .any(|s| s.via == policygraph::trace::Via::ServedBy && s.element.id == "P1"),
        "{:?}",
        t.links
    );
    let t = trace(&g, "MS1").unwrap();
    assert!(
        t.links
            .iter()
            .any(|s| s.via == policygraph::trace::Via::MeasuredBy && s.element.id == "I1"),
        "{:?}",
        t.links
    );
    let t = trace(&g, "WP2").unwrap();
    assert!(
        t.links
            .iter()
            .any(|s| s.via == policygraph::trace::Via::SharesMilestone && s.element.id == "MS1"),
        "{:?}",
        t.links
    );
    for want in [
        ("leads", "WP1"),
        ("leads", "D1"),
        ("partner_in", "MS1"),
        ("linked_third_party", "NGO"),
    ] {
        assert!(
            links.contains(&(want.0.to_owned(), want.1.to_owned())),
            "{want:?} not in {links:?}"
        );
    }
}

/// Cancelled work is left out: it covers no line, is in no year and needs no timeframe;
/// a cancelled priority's lines are not reported uncovered, nor the priority as empty.
#[test]
fn cancelled_elements_are_left_out_of_coverage() {
    let text = r#"format: policygraph/v1
programme: {id: p, title: P, period: 2023-2025}
priorities:
  - {id: P1, title: One, actions: [{id: P1.1, title: Line}]}
  - {id: P2, title: Dropped, status: cancelled, actions: [{id: P2.1, title: Dropped line}]}
  - {id: P3, title: Dropped too, status: cancelled}
activities:
  - id: A1
    title: Live
    timeframe: "2023"
    addresses: [P1]
    deliverables: [{id: D1, title: Report, due: "2023"}]
  - id: A2
    title: Dropped
    status: cancelled
    timeframe: "2024"
    addresses: [P1.1]
    deliverables: [{id: D2, title: Report, due: "2024"}]
    activities: [{id: A2.1, title: Dropped topic}]
"#;
    let doc = policygraph::parse_str(text, policygraph::Format::Yaml).unwrap();
    let g = Graph::build(&doc);
    let c = coverage(&g);
    assert_eq!(c.uncovered_lines, ["P1.1"]);
    assert!(c.unscheduled.is_empty(), "{:?}", c.unscheduled);
    let years: Vec<(i32, Vec<&str>, Vec<&str>)> = c
        .years
        .iter()
        .map(|y| {
            (
                y.year,
                y.activities.iter().map(|i| i.as_str()).collect(),
                y.deliverables.iter().map(|i| i.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(years, [(2023, vec!["A1"], vec!["D1"])]);
    let report = policygraph::check::check_document(&doc, &Default::default());
    let codes: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.pointer.as_str()))
        .collect();
    assert_eq!(codes, [("PG702", "/priorities/0/actions/0")]);
}

/// Year counts read only what a timeframe states: a deadline (`by 2024-06`) counts in the
/// year it ends, open-ended work (`ongoing from 2024-03`) from its start to the end of
/// the period, month zero as the start, a share of full time changes nothing; a
/// timeframe counted from another element in the years of its derived window.
#[test]
fn year_counts_read_deadlines_and_open_ends() {
    let text = r#"format: policygraph/v1
programme: {id: p, title: P, period: 2023-2025, start: 2023-01-01}
activities:
  - {id: A1, title: Deadline, timeframe: by 2024-06}
  - {id: A2, title: Open, timeframe: "ongoing from 2024-03, every 24 months"}
  - {id: A3, title: Months, timeframe: "M0-M12@0.2; M1-M3"}
  - {id: A4, title: Mixed, timeframe: 2025-01-01 to M36}
  - {id: A5, title: Anchored, timeframe: {after: A1, within: 12 months}}
  - {id: A6, title: Undated anchor, timeframe: {after: A7, within: 12 months}}
  - {id: A7, title: Unscheduled}
"#;
    let doc = policygraph::parse_str(text, policygraph::Format::Yaml).unwrap();
    let g = Graph::build(&doc);
    let c = coverage(&g);
    let years: Vec<(i32, Vec<&str>)> = c
        .years
        .iter()
        .map(|y| (y.year, y.activities.iter().map(|i| i.as_str()).collect()))
        .collect();
    assert_eq!(
        years,
        [
            (2023, vec!["A3"]),
            (2024, vec!["A1", "A2", "A5"]),
            (2025, vec!["A2", "A4", "A5"])
        ]
    );
}

/// A programme in months from a start it does not date has no calendar years but project
/// years (year 1 is `M1`–`M12`, `M0` in it): activities (a parent with no timeframe runs
/// when its sub-activities do), deliverables and milestones; cancelled work in none.
#[test]
fn project_years_for_a_programme_with_no_calendar_start() {
    let text = r#"format: policygraph/v1
programme: {id: p, title: P, period: M1-M36}
activities:
  - id: WP1
    title: Evidence
    timeframe: M0-M18
    deliverables:
      - {id: D1, title: Review, due: M6}
      - {id: D2, title: Undated, quantity: 1}
    milestones:
      - {id: MS1, title: Agreed, due: M12}
      - {id: MS2, title: Dropped, due: M13, status: cancelled}
    activities:
      - {id: WP1.T1, title: Dropped, timeframe: M1-M6, status: cancelled}
  - id: WP2
    title: Training
    activities:
      - {id: WP2.T1, title: Courses, timeframe: M19-M30}
      - id: WP2.T2
        title: Group
        activities:
          - {id: WP2.T2.a, title: Follow-up, timeframe: by M37}
  - {id: WP3, title: Open, timeframe: ongoing from M30}
  - {id: WP4, title: Anchored, timeframe: {after: MS1, within: 6 months}}
"#;
    let doc = policygraph::parse_str(text, policygraph::Format::Yaml).unwrap();
    let g = Graph::build(&doc);
    let c = coverage(&g);
    assert!(c.years.is_empty(), "{:?}", c.years);
    type Row<'a> = (u32, Vec<&'a str>, Vec<&'a str>, Vec<&'a str>);
    let years: Vec<Row<'_>> = c
        .project_years
        .iter()
        .map(|y| {
            (
                y.year,
                y.activities.iter().map(|i| i.as_str()).collect(),
                y.deliverables.iter().map(|i| i.as_str()).collect(),
                y.milestones.iter().map(|i| i.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        years,
        [
            (1, vec!["WP1", "WP4"], vec!["D1", "D2"], vec!["MS1"]),
            (2, vec!["WP1", "WP2", "WP2.T1", "WP4"], vec!["D2"], vec![]),
            (3, vec!["WP2", "WP2.T1", "WP3"], vec![], vec![]),
            (4, vec!["WP2", "WP2.T2", "WP2.T2.a"], vec![], vec![]),
        ]
    );
    assert_eq!(c.project_years[0].label(), "Year 1 (M1–M12)");
    assert_eq!(c.project_years[3].months(), (37, 48));
    // a programme that dates its start has calendar years and no project years
    let dated = text.replace("period: M1-M36}", "period: M1-M36, start: 2024-01-01}");
    let doc = policygraph::parse_str(&dated, policygraph::Format::Yaml).unwrap();
    let c = coverage(&Graph::build(&doc));
    assert!(c.project_years.is_empty());
    assert_eq!(
        c.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2024, 2025, 2026, 2027]
    );
    // and the JSON of a calendar programme has no `project_years`
    assert!(!serde_json::to_string(&c).unwrap().contains("project_years"));
}

/// An indicator and a theme with `scope: programme` apply to every activity: their rows
/// say so in place of a count (the same words in coverage, the report and the exports).
#[test]
fn programme_wide_indicators_and_themes_say_they_apply_everywhere() {
    let text = r#"format: policygraph/v1
programme: {id: p, title: P}
activities:
  - {id: A1, title: One, themes: [TH2], deliverables: [{id: D1, title: D, quantity: 1, counts_toward: [I2, I3]}]}
indicators:
  - {id: I1, label: Satisfied, unit: percent, target: 80, scope: programme}
  - {id: I2, label: Reports, unit: count, target: 1}
  - {id: I3, label: Trained, unit: count, target: 2, scope: programme}
themes:
  - {id: TH1, title: Gender, scope: programme}
  - {id: TH2, title: Open science}
"#;
    let doc = policygraph::parse_str(text, policygraph::Format::Yaml).unwrap();
    let c = coverage(&Graph::build(&doc));
    let (i1, i2) = (&c.indicators[0], &c.indicators[1]);
    assert!(i1.programme_wide() && !i2.programme_wide());
    assert_eq!(i1.status, TargetStatus::ProgrammeWide);
    assert_eq!(
        i1.contributors_text(),
        "applies to every activity (scope: programme)"
    );
    assert_eq!(i2.contributors_text(), "1");
    // programme-wide and with a contributor of its own: the cell says both, and the
    // status compares that contributor's plan with the target
    let i3 = &c.indicators[2];
    assert_eq!(
        i3.contributors_text(),
        "applies to every activity (scope: programme); 1 counts toward its target"
    );
    assert!(matches!(i3.status, TargetStatus::Short { ref by } if by.to_string() == "1"));
    let (t1, t2) = (&c.themes[0], &c.themes[1]);
    assert!(t1.programme_wide() && !t2.programme_wide());
    assert_eq!(
        (t1.activities_text().as_str(), t2.activities_text().as_str()),
        ("all", "1")
    );
    // the scope is in the JSON of those that state it only
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["indicators"][0]["scope"], "programme");
    assert!(json["indicators"][1].get("scope").is_none());
    assert_eq!(json["themes"][0]["scope"], "programme");
    assert!(json["themes"][1].get("scope").is_none());
}

/// Kinds have one spelling, `line_of_action` like `funding_source`; the older `action`
/// is still read.
#[test]
fn line_of_action_is_spelt_one_way_and_action_is_read() {
    assert_eq!(NodeKind::Action.as_str(), "line_of_action");
    assert_eq!(
        serde_json::to_string(&NodeKind::Action).unwrap(),
        "\"line_of_action\""
    );
    for name in [
        "line_of_action",
        "action",
        "lines of action",
        "line-of-action",
    ] {
        assert_eq!(NodeKind::parse(name), Some(NodeKind::Action), "{name}");
    }
    let old: NodeKind = serde_json::from_str("\"action\"").unwrap();
    assert_eq!(old, NodeKind::Action);
    for k in NodeKind::ALL {
        assert_eq!(NodeKind::parse(k.as_str()), Some(k));
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            format!("\"{}\"", k.as_str())
        );
    }
}

#[test]
fn trace_shows_dependencies_of_each_type_and_cross_references_both_ways() {
    let doc = policygraph::parse_str(
        r#"
format: policygraph/v1
programme: {id: p, title: P}
priorities:
  - {id: P1, title: One, refers_to: [A2]}
activities:
  - id: A1
    title: Guidance
    milestones:
      - {id: M1, title: Guidance issued, depends_on: [{id: A2, type: informs}]}
  - id: A2
    title: Training
    addresses: [P1]
    depends_on: [{id: A1, type: start_to_start}, {id: M1, type: informs}]
    refers_to: [A1]
"#,
        policygraph::Format::Yaml,
    )
    .unwrap();
    let g = Graph::build(&doc);
    let steps = |id: &str| -> Vec<(String, Via)> {
        trace(&g, id)
            .unwrap()
            .links
            .into_iter()
            .map(|s| (s.element.id, s.via))
            .collect()
    };
    let owned = |v: &[(&str, Via)]| -> Vec<(String, Via)> {
        v.iter().map(|(i, via)| ((*i).to_owned(), *via)).collect()
    };
    assert_eq!(
        steps("A2"),
        owned(&[
            ("A1", Via::DependsOn),
            ("M1", Via::InformedBy),
            ("A1", Via::RefersTo),
            ("M1", Via::Informs),
            ("P1", Via::ReferredToBy),
        ])
    );
    assert_eq!(
        steps("A1"),
        owned(&[("A2", Via::DependedOnBy), ("A2", Via::ReferredToBy)])
    );
    assert_eq!(
        steps("M1"),
        owned(&[("A2", Via::InformedBy), ("A2", Via::Informs)])
    );
    // each dependency step carries its type, from either side; no other step has one
    let types = |id: &str| -> Vec<(String, Option<&'static str>)> {
        trace(&g, id)
            .unwrap()
            .links
            .into_iter()
            .map(|s| (s.element.id, s.dependency.map(|d| d.as_str())))
            .collect()
    };
    let typed = |v: &[(&str, Option<&'static str>)]| -> Vec<(String, Option<&'static str>)> {
        v.iter().map(|(i, t)| ((*i).to_owned(), *t)).collect()
    };
    assert_eq!(
        types("A2"),
        typed(&[
            ("A1", Some("start_to_start")),
            ("M1", Some("informs")),
            ("A1", None),
            ("M1", Some("informs")),
            ("P1", None),
        ])
    );
    assert_eq!(
        types("A1"),
        typed(&[("A2", Some("start_to_start")), ("A2", None)])
    );
    let json = serde_json::to_value(trace(&g, "A1").unwrap()).unwrap();
    assert_eq!(json["links"][0]["dependency"], "start_to_start");
    assert!(json["links"][1]["dependency"].is_null());
}

#[test]
fn trace_follows_anchored_timeframes_both_ways() {
    let doc = policygraph::parse_str(
        r#"
format: policygraph/v1
programme: {id: p, title: P, period: 2024-2026}
activities:
  - id: A1
    title: Guidance
    timeframe: "2024"
    milestones:
      - {id: M1, title: Guidance issued, due: 2024-06-30}
  - id: A2
    title: Training
    timeframe: {after: M1, within: 12 months}
"#,
        policygraph::Format::Yaml,
    )
    .unwrap();
    let g = Graph::build(&doc);
    let steps = |id: &str| -> Vec<(String, Via)> {
        trace(&g, id)
            .unwrap()
            .links
            .into_iter()
            .map(|s| (s.element.id, s.via))
            .collect()
    };
    assert_eq!(steps("A2"), vec![("M1".to_owned(), Via::AnchoredTo)]);
    assert_eq!(steps("M1"), vec![("A2".to_owned(), Via::AnchorOf)]);
}
