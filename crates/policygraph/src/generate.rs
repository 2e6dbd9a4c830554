//! A deterministic generator of realistic synthetic programmes of a given size, for
//! benchmarks and scale tests.
//!
//! The shape follows real work programmes: a few priorities with lines and sub-lines;
//! activities with topics, deliverables and milestones; indicators with targets that
//! deliverables count toward; outcomes in a chain; funding sources with declared
//! amounts per year and activity budgets that respect them; partners with effort;
//! networks and themes. About one element in a hundred carries a realistic gap (an
//! unscheduled activity, an uncovered line, an indicator nothing counts toward), so
//! the rules have findings to report. The same size and seed always give the same
//! document.

use rust_decimal::Decimal;

use crate::model::*;

/// A small deterministic random number generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, per_thousand: u64) -> bool {
        self.next() % 1000 < per_thousand
    }
}

fn id(text: String) -> Id {
    // generated ids are built from letters, digits and dots only
    Id::trusted(text)
}

fn tf(text: &str) -> Option<Timeframe> {
    Timeframe::parse(text).ok()
}

const WORDS: &[&str] = &[
    "policy",
    "treatment",
    "prevention",
    "human rights",
    "capacity",
    "prisons",
    "trafficking",
    "precursors",
    "online",
    "addictions",
    "harm reduction",
    "children",
    "stigma",
    "evaluation",
    "networks",
    "aviation",
    "cooperation",
    "evidence",
    "training",
    "guidance",
];

fn title(rng: &mut Rng, what: &str, n: usize) -> String {
    let a = WORDS[rng.below(WORDS.len())];
    let b = WORDS[rng.below(WORDS.len())];
    format!("{what} {n} on {a} and {b}")
}

/// The most elements [`generate`] is asked for by the command line and the bindings
/// (about 3 GB of JSON).
pub const MAX_ELEMENTS: usize = 10_000_000;

/// Whether [`generate`] may be asked for `elements` elements: at most [`MAX_ELEMENTS`].
/// The error is the message callers show (the command line, the bindings).
pub fn check_size(elements: usize) -> Result<(), String> {
    if elements > MAX_ELEMENTS {
        Err(format!(
            "`{elements}` elements is more than the generator makes (at most {MAX_ELEMENTS})"
        ))
    } else {
        Ok(())
    }
}

/// A synthetic programme of about `elements` elements (at least a few dozen).
pub fn generate(elements: usize, seed: u64) -> Document {
    let mut rng = Rng(seed ^ 0x5EED_0F90_11C7);
    // one "group" is an activity with its topics, deliverables, milestone and line: ~9.5 elements
    let groups = (elements * 10 / 95).max(4);
    let n_priorities = (groups / 100).clamp(2, 40);
    let n_indicators = (groups / 10).max(2);
    let n_outcomes = (groups / 20).max(2);
    let n_partners = (groups / 10).max(2);
    let n_networks = (groups / 50).max(1);
    let years: Vec<i32> = (2024..=2029).collect();

    let sources = ["OB", "VC", "EBR"];
    let mut declared: Vec<Vec<Decimal>> = vec![vec![Decimal::ZERO; years.len()]; sources.len()];

    // priorities and lines: one line per group, one sub-line per ten lines
    let mut lines: Vec<Id> = Vec::new();
    let mut priorities: Vec<Priority> = (0..n_priorities)
        .map(|p| Priority {
            refers_to: Vec::new(),
            id: id(format!("P{}", p + 1)),
            title: title(&mut rng, "Priority", p + 1),
            label: Some(format!("PRIORITY {}", p + 1)),
            description: None,
            status: None,
            serves: Vec::new(),
            actions: Vec::new(),
        })
        .collect();
    for l in 0..groups {
        let p = l % n_priorities;
        let line_id = id(format!("P{}.{}", p + 1, l / n_priorities + 1));
        let mut line = LineOfAction {
            refers_to: Vec::new(),
            id: line_id.clone(),
            title: title(&mut rng, "Line", l + 1),
            description: None,
            partners: Vec::new(),
            actions: Vec::new(),
        };
        if l % 10 == 0 {
            let sub = id(format!("{line_id}.1"));
            line.actions.push(LineOfAction {
                refers_to: Vec::new(),
                id: sub.clone(),
                title: title(&mut rng, "Sub-line", l + 1),
                description: None,
                partners: Vec::new(),
                actions: Vec::new(),
            });
            lines.push(sub);
        }
        lines.push(line_id);
        priorities[p].actions.push(line);
    }

    let mut activities = Vec::with_capacity(groups);
    let mut effort_sum: Vec<Decimal> = vec![Decimal::ZERO; n_partners];
    for a in 0..groups {
        let aid = format!("A{}", a + 1);
        let first = rng.below(years.len() - 1);
        let last = (first + 1 + rng.below(3)).min(years.len() - 1);
        let timeframe = if rng.chance(10) {
            None
        } else {
            tf(&format!("{}-{}", years[first], years[last]))
        };
        let src = rng.below(sources.len());
        let funding = vec![id(sources[src].to_owned())];
        // budget: an amount per year of the timeframe
        let mut allocations = Vec::new();
        let mut total = Decimal::ZERO;
        if timeframe.is_some() {
            for (yi, &y) in years.iter().enumerate().take(last + 1).skip(first) {
                let amount = Decimal::from(5_000 + rng.below(50) as i64 * 1_000);
                declared[src][yi] += amount;
                total += amount;
                allocations.push(Allocation {
                    source: id(sources[src].to_owned()),
                    year: Some(y),
                    amount: Amount(amount),
                });
            }
        }
        // addresses: usually the group's own line; one in a hundred lines stays uncovered
        let addresses = if rng.chance(10) {
            Vec::new()
        } else {
            vec![lines[(a * 7) % lines.len()].clone()]
        };
        let partner = rng.below(n_partners);
        let pm = Decimal::from(1 + rng.below(12) as i64);
        effort_sum[partner] += pm;
        let mut topics = Vec::new();
        for t in 0..2 {
            let tid = format!("{aid}.{}", t + 1);
            let deliverables = (0..2)
                .map(|d| Deliverable {
                    refers_to: Vec::new(),
                    depends_on: Vec::new(),
                    id: id(format!("{tid}.D{}", d + 1)),
                    title: title(&mut rng, "Deliverable", d + 1),
                    kind: Some(if d == 0 {
                        DeliverableKind::Report
                    } else {
                        DeliverableKind::Training
                    }),
                    description: None,
                    quantity: rng
                        .chance(800)
                        .then(|| Amount::from(1 + rng.below(3) as i64)),
                    recurrence: None,
                    due: timeframe.as_ref().and(tf(&years[last].to_string())),
                    outputs: vec![id(format!("OUT{}", d + 1))],
                    counts_toward: if rng.chance(990) {
                        vec![id(format!("I{}", rng.below(n_indicators) + 1))]
                    } else {
                        Vec::new()
                    },
                    lead: None,
                    partners: Vec::new(),
                    dissemination: None,
                    notes: None,
                })
                .collect();
            topics.push(Activity {
                refers_to: Vec::new(),
                id: id(tid),
                title: title(&mut rng, "Topic", t + 1),
                kind: Some("topic".to_owned()),
                description: None,
                status: None,
                timeframe: None,
                funding: Vec::new(),
                budget: None,
                addresses: if t == 0 {
                    Vec::new()
                } else {
                    vec![lines[(a * 7 + 3) % lines.len()].clone()]
                },
                lead: None,
                partners: Vec::new(),
                effort: Vec::new(),
                person_months: None,
                networks: Vec::new(),
                themes: Vec::new(),
                counts_toward: Vec::new(),
                deliverables,
                milestones: Vec::new(),
                depends_on: Vec::new(),
                activities: Vec::new(),
                notes: None,
            });
        }
        activities.push(Activity {
            refers_to: Vec::new(),
            id: id(aid.clone()),
            title: title(&mut rng, "Activity", a + 1),
            kind: None,
            description: None,
            status: Some(match a % 3 {
                0 => Status::New,
                1 => Status::Ongoing,
                _ => Status::Modernised,
            }),
            timeframe: timeframe.clone(),
            funding,
            budget: (!allocations.is_empty()).then_some(Budget {
                currency: None,
                total: Some(Amount(total)),
                allocations,
            }),
            addresses,
            lead: Some(id(format!("ORG{}", partner + 1))),
            partners: Vec::new(),
            effort: vec![Effort {
                partner: id(format!("ORG{}", partner + 1)),
                person_months: Amount(pm),
            }],
            person_months: Some(Amount(pm)),
            networks: if a % 5 == 0 {
                vec![id(format!("NET{}", a / 5 % n_networks + 1))]
            } else {
                Vec::new()
            },
            themes: if a % 4 == 0 {
                vec![id(format!("T{}", a % 3 + 1))]
            } else {
                Vec::new()
            },
            counts_toward: Vec::new(),
            deliverables: Vec::new(),
            milestones: vec![Milestone {
                refers_to: Vec::new(),
                depends_on: Vec::new(),
                id: id(format!("{aid}.M1")),
                title: title(&mut rng, "Milestone", 1),
                due: timeframe.as_ref().and(tf(&years[first].to_string())),
                status: None,
                verification: Some("minutes of the steering committee".to_owned()),
                measurement: Some("terms of reference adopted".to_owned()),
                lead: Some(id(format!("ORG{}", partner + 1))),
                partners: Vec::new(),
                counts_toward: Vec::new(),
                also_in: Vec::new(),
                description: None,
            }],
            depends_on: if a > 0 && a % 10 == 0 {
                vec![id(format!("A{a}")).into()]
            } else {
                Vec::new()
            },
            activities: topics,
            notes: None,
        });
    }

    let outcomes = (0..n_outcomes)
        .map(|o| Outcome {
            refers_to: Vec::new(),
            id: id(format!("OC{}", o + 1)),
            title: title(&mut rng, "Outcome", o + 1),
            horizon: if o + 1 == n_outcomes {
                Some(Horizon::LongTerm)
            } else {
                Some(Horizon::Immediate)
            },
            description: None,
            contributes_to: if o + 1 == n_outcomes {
                Vec::new()
            } else {
                vec![id(format!("OC{n_outcomes}"))]
            },
        })
        .collect();
    let indicators = (0..n_indicators)
        .map(|i| Indicator {
            refers_to: Vec::new(),
            id: id(format!("I{}", i + 1)),
            label: title(&mut rng, "Indicator", i + 1),
            unit: Some(if i % 7 == 6 {
                Unit::Percent
            } else {
                Unit::Count
            }),
            baseline: Some(Amount::ZERO),
            target: Some(Target::exactly(Amount::from(if i % 7 == 6 {
                80
            } else {
                10 + rng.below(30) as i64
            }))),
            target_date: tf("2029"),
            measures: Some(id(format!("OC{}", i % (n_outcomes - 1).max(1) + 1))),
            scope: None,
            verification: None,
            description: None,
        })
        .collect();
    let funding_sources = sources
        .iter()
        .enumerate()
        .map(|(s, name)| FundingSource {
            refers_to: Vec::new(),
            id: id((*name).to_owned()),
            title: format!("Funding source {name}"),
            description: None,
            currency: None,
            total: None,
            declared: years
                .iter()
                .enumerate()
                .map(|(yi, y)| Declared {
                    year: Some(*y),
                    amount: Amount(declared[s][yi] + Decimal::from(100_000)),
                })
                .collect(),
        })
        .collect();
    let partners = (0..n_partners)
        .map(|p| Partner {
            refers_to: Vec::new(),
            id: id(format!("ORG{}", p + 1)),
            title: format!("Organisation {}", p + 1),
            acronym: None,
            kind: Some("international organisation".to_owned()),
            role: Some("partner".to_owned()),
            participation: None,
            person_months: Some(Amount(effort_sum[p])),
            linked_to: None,
            also_known_as: Vec::new(),
            description: None,
        })
        .collect();
    let networks = (0..n_networks)
        .map(|n| Network {
            refers_to: Vec::new(),
            id: id(format!("NET{}", n + 1)),
            title: format!("Network {}", n + 1),
            acronym: None,
            region: Some("Europe".to_owned()),
            description: None,
            partners: vec![id(format!("ORG{}", n % n_partners + 1))],
        })
        .collect();
    let themes = (1..=3)
        .map(|t| Theme {
            refers_to: Vec::new(),
            id: id(format!("T{t}")),
            title: format!("Theme {t}"),
            description: None,
            scope: None,
        })
        .collect();
    let outputs = (1..=2)
        .map(|o| Output {
            refers_to: Vec::new(),
            id: id(format!("OUT{o}")),
            title: format!("Output {o}"),
            description: None,
            examples: Vec::new(),
            contributes_to: vec![id("OC1".to_owned())],
        })
        .collect();

    Document {
        format: FormatVersion,
        programme: Programme {
            refers_to: Vec::new(),
            id: id(format!("synthetic-{elements}-{seed}")),
            title: format!("Synthetic programme of about {elements} elements"),
            subtitle: None,
            organisation: Some("policygraph generator".to_owned()),
            reference: None,
            dated: None,
            adopted: None,
            period: tf("2024-2029"),
            start: None,
            currency: Currency::new("EUR").ok(),
            introduction: Vec::new(),
            problem: None,
            role: None,
            priorities_source: None,
            mandate: None,
            focus: Vec::new(),
            implementation: Vec::new(),
            notes: None,
        },
        priorities,
        activities,
        outputs,
        outcomes,
        indicators,
        funding_sources,
        partners,
        networks,
        themes,
        evaluation: None,
        settings: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;

    #[test]
    fn sizes_are_close_to_the_request_and_deterministic() {
        for n in [100, 1_000, 10_000] {
            let doc = generate(n, 7);
            let count = Graph::build(&doc).node_count();
            assert!(count * 10 >= n * 9 && count * 10 <= n * 11, "{n}: {count}");
            assert_eq!(doc, generate(n, 7));
        }
        assert_ne!(generate(1_000, 1), generate(1_000, 2));
    }

    #[test]
    fn generated_programmes_are_valid_and_have_some_findings() {
        let doc = generate(5_000, 3);
        let text = crate::to_string(&doc, crate::Format::Json).unwrap();
        let back = crate::parse_str(&text, crate::Format::Json).unwrap();
        assert_eq!(back, doc);
        let report = crate::check_document(&doc, &Default::default());
        assert!(!report.diagnostics.is_empty());
        assert!(
            report.diagnostics.len() < 500,
            "{}",
            report.diagnostics.len()
        );
        assert!(
            report
                .diagnostics
                .iter()
                .all(|d| d.code != crate::Code::UnknownReference
                    && d.code != crate::Code::DuplicateId)
        );
    }
}
