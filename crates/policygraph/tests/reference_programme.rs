//! The reference programme (`examples/pompidou-2023-2025.yaml`, the Council of Europe
//! Pompidou Group Work Programme 2023–2025) loads and holds what the source states.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use policygraph::Format;
use policygraph::model::{
    Activity, Amount, Deliverable, Document, Horizon, LineOfAction, Status, Unit,
};

fn load() -> Document {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/pompidou-2023-2025.yaml"
    );
    let text = std::fs::read_to_string(path).expect("read the reference programme");
    match policygraph::load::parse_str(&text, Format::Yaml) {
        Ok(doc) => doc,
        Err(e) => panic!("the reference programme does not load: {e}"),
    }
}

fn walk_lines<'a>(lines: &'a [LineOfAction], out: &mut Vec<&'a LineOfAction>) {
    for l in lines {
        out.push(l);
        walk_lines(&l.actions, out);
    }
}

fn walk_activities<'a>(acts: &'a [Activity], out: &mut Vec<&'a Activity>) {
    for a in acts {
        out.push(a);
        walk_activities(&a.activities, out);
    }
}

fn all_activities(doc: &Document) -> Vec<&Activity> {
    let mut out = Vec::new();
    walk_activities(&doc.activities, &mut out);
    out
}

fn all_deliverables(doc: &Document) -> Vec<&Deliverable> {
    all_activities(doc)
        .into_iter()
        .flat_map(|a| a.deliverables.iter())
        .collect()
}

#[test]
fn programme_block() {
    let doc = load();
    let p = &doc.programme;
    assert_eq!(p.id.as_str(), "pompidou-wp-2023-2025");
    assert_eq!(p.title, "2023 – 2025 Work Programme");
    assert_eq!(
        p.subtitle.as_deref(),
        Some("Human Rights at the heart of drug and addiction policies")
    );
    assert_eq!(p.reference.as_deref(), Some("P-PG (2022) 6 final"));
    assert_eq!(p.dated.unwrap().to_string(), "2022-11-16");
    assert!(
        p.adopted.is_none(),
        "the text does not say when it was adopted"
    );
    assert_eq!(p.period.as_ref().unwrap().text(), "2023-2025");
    assert_eq!(p.introduction.len(), 4);
    assert!(p.problem.is_some() && p.role.is_some());
    assert!(p.priorities_source.is_some() && p.mandate.is_some());
    assert_eq!(p.implementation.len(), 3);

    let focus: Vec<&str> = p.focus.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(focus, ["F1", "F2", "F3", "F4", "F5", "F6"]);
    let f2: Vec<&str> = p.focus[1].partners.iter().map(|i| i.as_str()).collect();
    assert_eq!(f2, ["EMCDDA", "WHO", "UNODC", "CICAD"]);
    let f4: Vec<&str> = p.focus[3].themes.iter().map(|i| i.as_str()).collect();
    assert_eq!(f4, ["T-HR", "T-GENDER", "T-CIVIL"]);
    let f6: Vec<&str> = p.focus[5].networks.iter().map(|i| i.as_str()).collect();
    assert_eq!(f6, ["MedNET", "CJHP", "SEE"]);
}

#[test]
fn priorities_and_lines_of_action() {
    let doc = load();
    assert_eq!(doc.priorities.len(), 4);
    let labels: Vec<&str> = doc
        .priorities
        .iter()
        .map(|p| p.label.as_deref().expect("every priority has a label"))
        .collect();
    assert!(labels.iter().all(|l| !l.is_empty()));
    assert_eq!(
        labels,
        [
            "PROMOTING HUMAN RIGHTS IN DRUG POLICY",
            "SAFEGUARDING DEMOCRACY Addressing ADDICTIONS",
            "PROTECTING RIGHTS OF PERSONS BELONGING TO VULNERABLE AND RISK GROUPS",
            "REDUCING ILLICIT DRUG AND PRECURSOR TRAFFICKING",
        ]
    );
    let titles: Vec<&str> = doc.priorities.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Promoting sustainable drug and addiction policies in conformity with human rights",
            "Safeguarding democratic societies by addressing addictions that impact human autonomy",
            "Protecting the rights of persons belonging to vulnerable and risk groups",
            "Reducing trafficking of illicit drugs and preventing the diversion of precursors",
        ]
    );

    // Lines of action, as the section 3 table gives them:
    //   P1 (8): Aligning policy responses…; Supporting implementation…; Improving access
    //           to and quality of drug treatment services; Reducing stigma…; Creating
    //           opportunities…; Applying alternative options; Application of
    //           court-ordered detention…; Prerequisites for … cannabis legal frameworks…
    //   P2 (3): Addressing new forms of addictions; Understanding addictions facilitated
    //           by technologies…; Presenting and promoting new prevention practices…
    //   P3 (4): Reducing vulnerability…; Ensuring health and treatment in prisons;
    //           Defining needs for prevention…; Promoting and exploring targeted harm
    //           reduction interventions…
    //   P4 (5): Exploring new responses to illicit drug production…; Improving law
    //           enforcement … general aviation; Preventing and countering the diversion
    //           of precursor chemicals…; Analyse ways to combat money laundering … with
    //           MONEYVAL; Promoting action against online sale…
    // Sub-lines ("⇒"), 6: P1.3.1 controlled substances for medical purposes; P1.6.1
    //   legal responses to acts under the influence; P1.6.2 alternatives to coercive
    //   sanctions; P2.2.1 on-line interventions and tools; P3.3.1 children whose parents
    //   use drugs; P4.3.1 new trafficking developments by air, sea, land and waterways.
    let per_priority: Vec<usize> = doc.priorities.iter().map(|p| p.actions.len()).collect();
    assert_eq!(per_priority, [8, 3, 4, 5]);
    let lines: usize = per_priority.iter().sum();
    assert_eq!(lines, 20);

    let mut all = Vec::new();
    for p in &doc.priorities {
        walk_lines(&p.actions, &mut all);
    }
    let sub: Vec<&str> = doc
        .priorities
        .iter()
        .flat_map(|p| p.actions.iter())
        .flat_map(|l| l.actions.iter())
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        sub,
        ["P1.3.1", "P1.6.1", "P1.6.2", "P2.2.1", "P3.3.1", "P4.3.1"]
    );
    assert_eq!(all.len(), 20 + 6, "no deeper nesting than sub-lines");

    let moneyval = all.iter().find(|l| l.id.as_str() == "P4.4").unwrap();
    assert!(moneyval.title.contains("MONEYVAL"));
    let partners: Vec<&str> = moneyval.partners.iter().map(|i| i.as_str()).collect();
    assert_eq!(partners, ["MONEYVAL"]);
}

#[test]
fn activities() {
    let doc = load();
    let titles: Vec<&str> = doc.activities.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Expert Group on Human Rights and Drug Policy",
            "Expert group elaborating responses to new forms of addictions",
            "Annual Conference of Drug Control Networks",
            "Law enforcement resource management",
            "International Drug Policy Academy",
            "3rd Symposium on evolution of drug policies",
            "Vulnerable and risk groups: children and addictions",
            "Harm reduction symposium",
            "MedNET network",
            "South-East Europe Cooperation Network",
            "Criminal Justice and Health in Prison Programme",
        ]
    );
    let top_ids: Vec<&str> = doc.activities.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        top_ids,
        [
            "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", "A11"
        ]
    );

    // Topics per activity: 3, 3, 5, 3, 6, 1, 2, 3, 3, 3, 1.
    let topics: Vec<usize> = doc.activities.iter().map(|a| a.activities.len()).collect();
    assert_eq!(topics, [3, 3, 5, 3, 6, 1, 2, 3, 3, 3, 1]);
    let nested: Vec<&Activity> = all_activities(&doc)
        .into_iter()
        .filter(|a| !doc.activities.iter().any(|t| t.id == a.id))
        .collect();
    assert_eq!(nested.len(), 33);
    assert!(
        nested.iter().all(|a| a.kind.as_deref() == Some("topic")),
        "every nested activity is a topic"
    );
    assert!(
        nested.iter().all(|a| a.activities.is_empty()),
        "topics have no sub-topics"
    );

    use Status::{Modernised, New, Ongoing};
    let status: Vec<Status> = doc
        .activities
        .iter()
        .map(|a| a.status.clone().expect("every activity states its status"))
        .collect();
    assert_eq!(
        status,
        [
            Ongoing, New, Modernised, Ongoing, Modernised, New, New, New, Ongoing, Ongoing, Ongoing
        ]
    );
    assert!(nested.iter().all(|a| a.status.is_none()));

    let timeframes: Vec<Option<&str>> = doc
        .activities
        .iter()
        .map(|a| a.timeframe.as_ref().map(|t| t.text()))
        .collect();
    assert_eq!(
        timeframes,
        [
            Some("2023-25"),
            Some("2023-25"),
            Some("2023-25"),
            Some("2023-25"),
            Some("2023-25"),
            Some("2025"),
            None, // A7, children and addictions: the source gives no timeframe
            Some("2023 and 2025"),
            Some("2023-25"),
            Some("2023-25"),
            None, // A11, Criminal Justice and Health in Prison Programme: none given
        ]
    );

    let funding: Vec<Vec<&str>> = doc
        .activities
        .iter()
        .map(|a| a.funding.iter().map(|i| i.as_str()).collect())
        .collect();
    let expected: Vec<Vec<&str>> = vec![
        vec!["OB"],
        vec!["OB"],
        vec!["OB"],
        vec!["OB"],
        vec!["OB", "VC"],
        vec!["OB"],
        vec!["OB"],
        vec!["OB"],
        vec!["VC", "EBR"],
        vec!["VC"],
        vec!["VC"],
    ];
    assert_eq!(funding, expected);

    // The Academy's topics have their own timeframes and budget cells ("Thematic
    // Training | OB" merged over the second to fourth rows; the sixth row has none).
    let academy = &doc.activities[4];
    let tf: Vec<Option<&str>> = academy
        .activities
        .iter()
        .map(|a| a.timeframe.as_ref().map(|t| t.text()))
        .collect();
    assert_eq!(
        tf,
        [
            Some("2023-24"),
            Some("2023"),
            Some("2024"),
            Some("2025"),
            Some("2024"),
            Some("2023")
        ]
    );
    let academy_funding: Vec<Vec<&str>> = academy
        .activities
        .iter()
        .map(|a| a.funding.iter().map(|i| i.as_str()).collect())
        .collect();
    let expected: Vec<Vec<&str>> = vec![
        vec!["VC"],
        vec!["OB"],
        vec!["OB"],
        vec!["OB"],
        vec!["OB"],
        vec![],
    ];
    assert_eq!(academy_funding, expected);

    // No amounts in the source: no budget anywhere.
    assert!(all_activities(&doc).iter().all(|a| a.budget.is_none()));
}

#[test]
fn deliverables() {
    let doc = load();
    let all = all_deliverables(&doc);
    assert_eq!(all.len(), 35);
    assert!(
        all.iter().all(|d| d.quantity.is_none()),
        "the source states no quantities"
    );
    assert!(all.iter().all(|d| d.kind.is_some()));
    // Deliverables shared by a whole activity (merged cells, or the symposium itself).
    let activity_level: Vec<&str> = doc
        .activities
        .iter()
        .flat_map(|a| a.deliverables.iter())
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(
        activity_level,
        [
            "A6.D1", "A8.D1", "A9.D1", "A9.D2", "A9.D3", "A10.D1", "A10.D2", "A10.D3", "A10.D4"
        ]
    );
    let harm = &doc.activities[7];
    assert_eq!(harm.timeframe.as_ref().unwrap().text(), "2023 and 2025");
}

#[test]
fn outputs_and_outcomes() {
    let doc = load();
    let outputs: Vec<&str> = doc.outputs.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(outputs, ["OUT1", "OUT2", "OUT3", "OUT4"]);
    assert!(doc.outputs.iter().all(|o| !o.examples.is_empty()));

    assert_eq!(doc.outcomes.len(), 6);
    let count = |h: Horizon| doc.outcomes.iter().filter(|o| o.horizon == Some(h)).count();
    assert_eq!(count(Horizon::Immediate), 2);
    assert_eq!(count(Horizon::ShortTerm), 2);
    assert_eq!(count(Horizon::MediumTerm), 1);
    assert_eq!(count(Horizon::LongTerm), 1);
    let titles: Vec<&str> = doc.outcomes.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(titles[0], "Immediate outcome 1");
    assert_eq!(titles[1], "Immediate outcome 2");
    assert_eq!(
        titles[3],
        "Public authorities and non-state actors cooperate across sectors and disciplines."
    );
}

#[test]
fn indicators() {
    let doc = load();
    assert_eq!(doc.indicators.len(), 8);
    let ids: Vec<&str> = doc.indicators.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8"]);
    let targets: Vec<Amount> = doc
        .indicators
        .iter()
        .map(|i| i.target.expect("every indicator has a target").value)
        .collect();
    let expected: Vec<Amount> = [4, 16, 20, 3, 35, 85, 10, 40]
        .into_iter()
        .map(Amount::from)
        .collect();
    assert_eq!(targets, expected);
    let units: Vec<Unit> = doc
        .indicators
        .iter()
        .map(|i| i.unit.clone().unwrap())
        .collect();
    assert_eq!(units[5], Unit::Percent);
    assert_eq!(units[7], Unit::Percent);
    let others = [0, 1, 2, 3, 4, 6];
    assert!(others.iter().all(|&i| units[i] == Unit::Count));
    assert!(
        doc.indicators
            .iter()
            .all(|i| i.target_date.as_ref().map(|t| t.text()) == Some("2025"))
    );
    let measures: Vec<&str> = doc
        .indicators
        .iter()
        .map(|i| i.measures.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(
        measures,
        [
            "OC-I1", "OC-I1", "OC-I1", "OC-I1", "OC-I2", "OC-I2", "OC-I2", "OC-I2"
        ]
    );
    assert_eq!(
        doc.indicators[0].label,
        "Policy papers, guidance documents and cooperation Arrangements"
    );
}

#[test]
fn funding_partners_networks_themes() {
    let doc = load();
    let funding: Vec<&str> = doc.funding_sources.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(funding, ["OB", "VC", "EBR"]);
    assert!(
        doc.funding_sources
            .iter()
            .all(|f| f.total.is_none() && f.declared.is_empty())
    );

    let partners: Vec<&str> = doc.partners.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(partners, ["EMCDDA", "WHO", "UNODC", "CICAD", "MONEYVAL"]);
    let acronyms: Vec<&str> = doc
        .partners
        .iter()
        .map(|p| p.acronym.as_deref().unwrap())
        .collect();
    assert_eq!(acronyms, partners);

    let networks: Vec<&str> = doc.networks.iter().map(|n| n.title.as_str()).collect();
    for name in [
        "MedNET",
        "South-East Europe Cooperation Network",
        "Criminal Justice and Health in Prisons Programme",
    ] {
        assert!(networks.contains(&name), "network {name} is missing");
    }
    let themes: Vec<&str> = doc.themes.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(themes, ["T-HR", "T-GENDER", "T-CIVIL"]);
}

#[test]
fn evaluation() {
    let doc = load();
    let ev = doc.evaluation.as_ref().expect("section 6 is encoded");
    assert!(ev.description.is_some());
    assert_eq!(ev.process.len(), 4);
    let by: Vec<&str> = ev
        .process
        .iter()
        .map(|m| m.by.as_deref().unwrap())
        .collect();
    assert_eq!(
        by,
        [
            "participants feedback",
            "Secretariat",
            "Secretariat",
            "Permanent Correspondents"
        ]
    );
    assert_eq!(ev.outcome.len(), 1);
    assert_eq!(ev.reviews.len(), 1);
    assert_eq!(ev.reviews[0].date.as_ref().unwrap().text(), "2024");
    assert!(
        ev.notes
            .as_deref()
            .unwrap()
            .contains("conflicts of interest")
    );
}

#[test]
fn ids_are_unique() {
    let doc = load();
    let mut seen: Vec<String> = Vec::new();
    let mut push = |id: &str| seen.push(id.to_owned());

    push(doc.programme.id.as_str());
    doc.programme.focus.iter().for_each(|f| push(f.id.as_str()));
    for p in &doc.priorities {
        push(p.id.as_str());
        let mut lines = Vec::new();
        walk_lines(&p.actions, &mut lines);
        lines.iter().for_each(|l| push(l.id.as_str()));
    }
    for a in all_activities(&doc) {
        push(a.id.as_str());
        a.deliverables.iter().for_each(|d| push(d.id.as_str()));
        a.milestones.iter().for_each(|m| push(m.id.as_str()));
    }
    doc.outputs.iter().for_each(|o| push(o.id.as_str()));
    doc.outcomes.iter().for_each(|o| push(o.id.as_str()));
    doc.indicators.iter().for_each(|i| push(i.id.as_str()));
    doc.funding_sources.iter().for_each(|f| push(f.id.as_str()));
    doc.partners.iter().for_each(|p| push(p.id.as_str()));
    doc.networks.iter().for_each(|n| push(n.id.as_str()));
    doc.themes.iter().for_each(|t| push(t.id.as_str()));
    if let Some(ev) = &doc.evaluation {
        ev.process.iter().for_each(|m| push(m.id.as_str()));
        ev.outcome.iter().for_each(|m| push(m.id.as_str()));
        ev.reviews.iter().for_each(|r| push(r.id.as_str()));
    }

    let mut unique = BTreeSet::new();
    let dups: Vec<&String> = seen.iter().filter(|id| !unique.insert(*id)).collect();
    assert!(dups.is_empty(), "duplicate ids: {dups:?}");
    // 1 programme + 6 focus + 4 priorities + 26 lines + 44 activities + 35 deliverables
    // + 4 outputs + 6 outcomes + 8 indicators + 3 funding + 5 partners + 5 networks
    // + 3 themes + 6 evaluation = 156
    assert_eq!(seen.len(), 156);

    // Every reference resolves to a declared id.
    let mut refs: Vec<&str> = Vec::new();
    for f in &doc.programme.focus {
        refs.extend(
            f.partners
                .iter()
                .chain(&f.networks)
                .chain(&f.themes)
                .map(|i| i.as_str()),
        );
    }
    for p in &doc.priorities {
        let mut lines = Vec::new();
        walk_lines(&p.actions, &mut lines);
        for l in lines {
            refs.extend(l.partners.iter().map(|i| i.as_str()));
        }
    }
    for a in all_activities(&doc) {
        refs.extend(
            a.funding
                .iter()
                .chain(&a.addresses)
                .chain(&a.partners)
                .chain(&a.networks)
                .chain(&a.themes)
                .chain(&a.counts_toward)
                .chain(a.depends_on.iter().map(|d| &d.id))
                .map(|i| i.as_str()),
        );
        for d in &a.deliverables {
            refs.extend(
                d.outputs
                    .iter()
                    .chain(&d.counts_toward)
                    .chain(&d.partners)
                    .map(|i| i.as_str()),
            );
        }
    }
    for o in &doc.outputs {
        refs.extend(o.contributes_to.iter().map(|i| i.as_str()));
    }
    for o in &doc.outcomes {
        refs.extend(o.contributes_to.iter().map(|i| i.as_str()));
    }
    for i in &doc.indicators {
        refs.extend(i.measures.iter().map(|i| i.as_str()));
    }
    let missing: Vec<&str> = refs
        .into_iter()
        .filter(|r| !unique.contains(&(*r).to_owned()))
        .collect();
    assert!(missing.is_empty(), "unresolved references: {missing:?}");
}
