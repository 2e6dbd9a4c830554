//! Property: any document survives YAML, JSON and TOML, and every chain of them,
//! unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use policygraph::model::*;
use policygraph::{Format, parse_str, to_string};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// Text: mostly short and awkward, sometimes past 64 KiB (a long note on one line, or
/// many lines), where parsers and columns count past 16 bits.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => short_text(),
        1 => ("[A-Za-zé€ ]{1,6}", 65_537usize..70_000, any::<bool>()).prop_map(|(unit, bytes, lines)| {
            let unit = if lines { format!("{unit}\n") } else { unit };
            unit.repeat(bytes / unit.len() + 1)
        }),
    ]
}

fn short_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z ,.()'-]{0,30}",
        "\\PC{0,24}",
        Just("yes".to_owned()),
        Just("null".to_owned()),
        Just("2024".to_owned()),
        Just("- not a list".to_owned()),
        Just("key: value # not a comment".to_owned()),
        Just("line one\nline two\n".to_owned()),
        Just("  leading and trailing  ".to_owned()),
        Just("quotes \" and ' and \\ backslash".to_owned()),
        Just("⇒ Promoting access → 85 % ·".to_owned()),
        Just(String::new()),
    ]
}

fn id() -> impl Strategy<Value = Id> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9_.:/-]{0,10}",
        "[0-9]{1,4}",
        Just("true".to_owned()),
        Just("1.10".to_owned()),
        Just("P1.3.1".to_owned()),
    ]
    .prop_map(|s| Id::new(&s).unwrap())
}

fn ids() -> impl Strategy<Value = Vec<Id>> {
    vec(id(), 0..3)
}

fn timeframe() -> impl Strategy<Value = Timeframe> {
    prop_oneof![
        prop::sample::select(vec![
            "2023-25",
            "2023-2025",
            "2023 and 2025",
            "2024",
            "2024-Q3",
            "2024-05",
            "2024-05-17",
            "M1-M48",
            "M6, M12",
            "annually",
            "every 90 days",
            "annually in 2023-2025",
            "ongoing",
            "ongoing from 2023",
            "2024-Q2 to 2026-Q4",
            "2023 – 2025",
            "by 2020-06",
            "by 2020-12-31",
            "by M12",
            "M0-M48",
            "M1-M48@0.2; M1-M3; M10-M12",
            "M1-M48@20%",
            "2023-25@0.125",
            "2016-07-01 to M48",
            "ongoing from 2016-07-01",
            "ongoing, every 24 months",
            "ongoing from M0, annually",
            "every 12 months in M12-M36",
        ])
        .prop_map(|s| Timeframe::parse(s).unwrap()),
        "[a-z][a-z ]{0,20}[a-z]".prop_map(Timeframe::condition),
    ]
}

fn amount() -> impl Strategy<Value = Amount> {
    use rust_decimal::Decimal;
    prop_oneof![
        any::<i32>().prop_map(|i| Amount::from(i64::from(i))),
        // near the limits of an exact decimal: ±(2^96 - 1) at every scale up to 28
        prop::sample::select(vec![
            Decimal::MAX,
            Decimal::MIN,
            Decimal::MAX - Decimal::ONE,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
            Decimal::from_i128_with_scale((1i128 << 96) - 1, 28),
            Decimal::from_i128_with_scale(-((1i128 << 96) - 1), 14),
        ])
        .prop_map(Amount),
        (-((1i128 << 96) - 1)..(1i128 << 96), 0u32..=28)
            .prop_map(|(m, scale)| Amount(Decimal::from_i128_with_scale(m, scale))),
        (0u64..10_000_000, 0u32..4).prop_map(|(m, scale)| {
            let text = if scale == 0 {
                m.to_string()
            } else {
                let s = format!("{m:0>width$}", width = scale as usize + 1);
                let (a, b) = s.split_at(s.len() - scale as usize);
                format!("{a}.{b}")
            };
            text.parse().unwrap()
        }),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    (1990i32..2040, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::New),
        Just(Status::Ongoing),
        Just(Status::Modernised),
        "[a-z]{3,10}".prop_map(|s| Status::from_text(&s)),
    ]
}

fn kind() -> impl Strategy<Value = DeliverableKind> {
    prop_oneof![
        Just(DeliverableKind::PolicyPaper),
        Just(DeliverableKind::GuidanceDocument),
        Just(DeliverableKind::ReviewAndUpdate),
        Just(DeliverableKind::PlenarySegment),
        text().prop_map(DeliverableKind::Other),
    ]
}

fn deliverable() -> impl Strategy<Value = Deliverable> {
    (
        (id(), text(), option::of(kind()), option::of(text())),
        (
            option::of(amount()),
            option::of(timeframe()),
            option::of(timeframe()),
        ),
        (ids(), ids(), ids(), option::of(text())),
    )
        .prop_map(
            |(
                (id, title, kind, description),
                (quantity, recurrence, due),
                (outputs, counts_toward, partners, notes),
            )| {
                Deliverable {
                    refers_to: Vec::new(),
                    depends_on: Vec::new(),
                    id,
                    title,
                    kind,
                    description,
                    quantity,
                    recurrence: recurrence.map(Box::new),
                    due,
                    outputs,
                    counts_toward,
                    lead: partners.first().cloned(),
                    dissemination: notes.as_ref().map(|_| Dissemination::Sensitive),
                    partners,
                    notes,
                }
            },
        )
}

fn budget() -> impl Strategy<Value = Budget> {
    (
        option::of(
            prop::sample::select(vec!["EUR", "USD", "CHF"]).prop_map(|c| Currency::new(c).unwrap()),
        ),
        option::of(amount()),
        vec((id(), option::of(2020i32..2030), amount()), 0..3),
    )
        .prop_map(|(currency, total, allocs)| Budget {
            currency,
            total,
            allocations: allocs
                .into_iter()
                .map(|(source, year, amount)| Allocation {
                    source,
                    year,
                    amount,
                })
                .collect(),
        })
}

fn leaf_activity() -> impl Strategy<Value = Activity> {
    (
        (
            id(),
            text(),
            option::of(text()),
            option::of(text()),
            option::of(status()),
            option::of(timeframe()),
        ),
        (ids(), option::of(budget()), ids(), option::of(id()), ids()),
        (vec((id(), amount()), 0..2), ids(), ids(), ids()),
        (
            vec(deliverable(), 0..3),
            vec(
                (id(), text(), option::of(timeframe()), option::of(text())),
                0..2,
            ),
            ids(),
            option::of(text()),
        ),
    )
        .prop_map(
            |(
                (id, title, kind, description, status, timeframe),
                (funding, budget, addresses, lead, partners),
                (effort, networks, themes, counts_toward),
                (deliverables, milestones, depends_on, notes),
            )| Activity {
                id,
                title,
                kind,
                description,
                status,
                timeframe,
                funding,
                budget,
                addresses,
                lead,
                partners,
                person_months: effort.first().map(|(_, pm)| *pm),
                effort: effort
                    .into_iter()
                    .map(|(partner, person_months)| Effort {
                        partner,
                        person_months,
                    })
                    .collect(),
                networks,
                themes,
                counts_toward,
                deliverables,
                milestones: milestones
                    .into_iter()
                    .map(|(id, title, due, verification)| Milestone {
                        lead: due.as_ref().map(|_| id.clone()),
                        partners: verification.iter().map(|_| id.clone()).collect(),
                        counts_toward: Vec::new(),
                        also_in: due.iter().map(|_| id.clone()).collect(),
                        status: verification.as_ref().map(|_| Status::Cancelled),
                        measurement: verification.clone(),
                        depends_on: verification
                            .iter()
                            .map(|_| Dependency {
                                id: id.clone(),
                                kind: DependencyType::Informs,
                            })
                            .collect(),
                        refers_to: due.iter().map(|_| id.clone()).collect(),
                        id,
                        title,
                        due,
                        verification,
                        description: None,
                    })
                    .collect(),
                // every type of dependency, and the plain id; cross-references too
                refers_to: depends_on.iter().rev().cloned().collect(),
                depends_on: depends_on
                    .into_iter()
                    .enumerate()
                    .map(|(i, id)| Dependency {
                        id,
                        kind: [
                            DependencyType::FinishToStart,
                            DependencyType::StartToStart,
                            DependencyType::FinishToFinish,
                            DependencyType::Informs,
                        ][i % 4],
                    })
                    .collect(),
                activities: Vec::new(),
                notes,
            },
        )
}

fn activity() -> impl Strategy<Value = Activity> {
    leaf_activity().prop_recursive(3, 12, 3, |inner| {
        (leaf_activity(), vec(inner, 0..3)).prop_map(|(mut a, children)| {
            a.activities = children;
            a
        })
    })
}

fn line_of_action() -> impl Strategy<Value = LineOfAction> {
    let leaf =
        (id(), text(), option::of(text()), ids()).prop_map(|(id, title, description, partners)| {
            LineOfAction {
                refers_to: Vec::new(),
                id,
                title,
                description,
                partners,
                actions: Vec::new(),
            }
        });
    leaf.prop_recursive(2, 8, 3, |inner| {
        (id(), text(), vec(inner, 0..3)).prop_map(|(id, title, actions)| LineOfAction {
            refers_to: Vec::new(),
            id,
            title,
            description: None,
            partners: Vec::new(),
            actions,
        })
    })
}

fn horizon() -> impl Strategy<Value = Horizon> {
    prop::sample::select(vec![
        Horizon::Immediate,
        Horizon::ShortTerm,
        Horizon::MediumTerm,
        Horizon::LongTerm,
    ])
}

fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![
        Just(Unit::Count),
        Just(Unit::Percent),
        "[a-z]{2,8}".prop_map(|s| Unit::from_text(&s))
    ]
}

fn programme() -> impl Strategy<Value = Programme> {
    (
        (
            id(),
            text(),
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(date()),
        ),
        (
            option::of(timeframe()),
            option::of(date()),
            vec(text(), 0..2),
            option::of(text()),
            option::of(text()),
        ),
        (
            option::of(text()),
            vec((id(), text(), ids(), ids(), ids()), 0..3),
            vec(text(), 0..2),
            option::of(text()),
        ),
    )
        .prop_map(
            |(
                (id, title, subtitle, organisation, reference, adopted),
                (period, start, introduction, problem, role),
                (mandate, focus, implementation, notes),
            )| Programme {
                refers_to: Vec::new(),
                id,
                title,
                subtitle,
                organisation,
                reference,
                dated: adopted,
                adopted,
                period,
                start,
                currency: Currency::new("EUR").ok(),
                introduction,
                problem,
                role,
                priorities_source: None,
                mandate,
                focus: focus
                    .into_iter()
                    .map(|(id, title, partners, networks, themes)| FocusPoint {
                        refers_to: Vec::new(),
                        id,
                        title,
                        partners,
                        networks,
                        themes,
                    })
                    .collect(),
                implementation,
                notes,
            },
        )
}

fn document() -> impl Strategy<Value = Document> {
    (
        programme(),
        vec(
            (
                id(),
                text(),
                option::of(text()),
                vec(line_of_action(), 0..3),
            ),
            0..3,
        ),
        vec(activity(), 0..3),
        (
            vec((id(), text(), vec(text(), 0..2), ids()), 0..2),
            vec((id(), text(), horizon(), ids()), 0..3),
            vec(
                (
                    id(),
                    text(),
                    option::of(unit()),
                    option::of(amount()),
                    option::of(amount()),
                    option::of(timeframe()),
                    option::of(id()),
                ),
                0..3,
            ),
        ),
        (
            vec(
                (
                    id(),
                    text(),
                    option::of(amount()),
                    vec((option::of(2020i32..2030), amount()), 0..3),
                ),
                0..3,
            ),
            vec(
                (
                    id(),
                    text(),
                    option::of(text()),
                    option::of(timeframe()),
                    option::of(amount()),
                ),
                0..3,
            ),
            vec((id(), text(), option::of(text()), ids()), 0..2),
            vec((id(), text()), 0..2),
        ),
        (
            option::of((
                option::of(text()),
                vec((id(), text(), option::of(text())), 0..3),
                vec((id(), text(), option::of(timeframe())), 0..2),
            )),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                programme,
                priorities,
                activities,
                (outputs, outcomes, indicators),
                (sources, partners, networks, themes),
                (evaluation, settings),
            )| {
                Document {
                    format: FormatVersion,
                    programme,
                    priorities: priorities
                        .into_iter()
                        .map(|(id, title, label, actions)| Priority {
                            refers_to: Vec::new(),
                            id: id.clone(),
                            title,
                            status: label.as_ref().map(|_| Status::Cancelled),
                            serves: label.iter().map(|_| id.clone()).collect(),
                            label,
                            description: None,
                            actions,
                        })
                        .collect(),
                    activities,
                    outputs: outputs
                        .into_iter()
                        .map(|(id, title, examples, contributes_to)| Output {
                            refers_to: Vec::new(),
                            id,
                            title,
                            description: None,
                            examples,
                            contributes_to,
                        })
                        .collect(),
                    outcomes: outcomes
                        .into_iter()
                        .map(|(id, title, horizon, contributes_to)| Outcome {
                            refers_to: Vec::new(),
                            id,
                            title,
                            horizon: (horizon != Horizon::Immediate).then_some(horizon),
                            description: None,
                            contributes_to,
                        })
                        .collect(),
                    indicators: indicators
                        .into_iter()
                        .map(
                            |(id, label, unit, baseline, target, target_date, measures)| {
                                Indicator {
                                    refers_to: Vec::new(),
                                    id,
                                    label,
                                    unit,
                                    baseline,
                                    target: target.map(|value| Target {
                                        comparator: match value.value().scale() {
                                            0 => Comparator::Exactly,
                                            1 => Comparator::AtLeast,
                                            _ => Comparator::AtMost,
                                        },
                                        value,
                                    }),
                                    target_date,
                                    scope: baseline.map(|_| Scope::Programme),
                                    measures,
                                    verification: None,
                                    description: None,
                                }
                            },
                        )
                        .collect(),
                    funding_sources: sources
                        .into_iter()
                        .map(|(id, title, total, declared)| FundingSource {
                            refers_to: Vec::new(),
                            id,
                            title,
                            description: None,
                            currency: None,
                            total,
                            declared: declared
                                .into_iter()
                                .map(|(year, amount)| Declared { year, amount })
                                .collect(),
                        })
                        .collect(),
                    partners: partners
                        .into_iter()
                        .map(|(id, title, role, participation, person_months)| Partner {
                            refers_to: Vec::new(),
                            linked_to: role.as_ref().map(|_| id.clone()),
                            id,
                            title,
                            acronym: None,
                            kind: None,
                            role,
                            also_known_as: person_months
                                .iter()
                                .map(|_| Id::new("former-id").unwrap())
                                .collect(),
                            participation,
                            person_months,
                            description: None,
                        })
                        .collect(),
                    networks: networks
                        .into_iter()
                        .map(|(id, title, region, partners)| Network {
                            refers_to: Vec::new(),
                            id,
                            title,
                            acronym: None,
                            region,
                            description: None,
                            partners,
                        })
                        .collect(),
                    themes: themes
                        .into_iter()
                        .map(|(id, title)| Theme {
                            refers_to: Vec::new(),
                            scope: title.is_empty().then_some(Scope::Programme),
                            id,
                            title,
                            description: None,
                        })
                        .collect(),
                    evaluation: evaluation.map(|(description, process, reviews)| Evaluation {
                        description,
                        process: process
                            .into_iter()
                            .map(|(id, title, by)| EvaluationMethod {
                                refers_to: Vec::new(),
                                id,
                                title,
                                by,
                                description: None,
                            })
                            .collect(),
                        outcome: Vec::new(),
                        reviews: reviews
                            .into_iter()
                            .map(|(id, title, date)| Review {
                                refers_to: Vec::new(),
                                id,
                                title,
                                date,
                                by: None,
                                description: None,
                            })
                            .collect(),
                        notes: None,
                    }),
                    settings: settings.then(|| Settings {
                        rules: BTreeMap::from([
                            ("PG101".to_owned(), RuleLevel::Off),
                            ("unknown-reference".to_owned(), RuleLevel::Warning),
                        ]),
                    }),
                }
            },
        )
}

fn through(doc: &Document, format: Format) -> Document {
    let text = to_string(doc, format).unwrap_or_else(|e| panic!("write {format}: {e}"));
    parse_str(&text, format)
        .unwrap_or_else(|e| panic!("read back {format}: {e}\n--- text ---\n{text}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn documents_survive_every_format(doc in document()) {
        for format in Format::ALL {
            prop_assert_eq!(&through(&doc, format), &doc, "through {}", format);
        }
        let chained = through(&through(&through(&doc, Format::Yaml), Format::Json), Format::Toml);
        prop_assert_eq!(&chained, &doc);
        let back = through(&through(&through(&doc, Format::Toml), Format::Json), Format::Yaml);
        prop_assert_eq!(&back, &doc);
    }
}
