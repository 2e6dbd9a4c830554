//! The reference programme analysed: its findings and coverage are snapshot-tested, and
//! the gaps the seed text really has are asserted one by one (each checked by hand
//! against `../shared/seed/pompidou-group-work-programme-2023-2025.txt`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use policygraph::coverage::TargetStatus;
use policygraph::{Code, Graph, Limits, Loaded, check_loaded, coverage, load_path};

fn reference() -> Loaded {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut loaded = load_path(
        &root.join("examples/pompidou-2023-2025.yaml"),
        &Limits::default(),
    )
    .unwrap();
    loaded.source.name = Some("examples/pompidou-2023-2025.yaml".into());
    loaded
}

fn with_code(report: &policygraph::Report, code: Code) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .flat_map(|d| d.elements.first().cloned())
        .collect()
}

#[test]
fn findings_surface_the_real_gaps() {
    let loaded = reference();
    let report = check_loaded(&loaded, &Default::default(), &Limits::default());
    // no error: the encoding is consistent; every finding is a gap the text has
    assert_eq!(
        report.count(policygraph::Severity::Error),
        0,
        "{:#?}",
        report.diagnostics
    );
    // lines of action no activity of the plan of work addresses
    assert_eq!(
        with_code(&report, Code::UncoveredAction),
        ["P1.5", "P1.6.1", "P1.6.2", "P1.7", "P3.1", "P4.1"]
    );
    // the immediate-outcome indicators nothing in the plan counts toward:
    // reviewed national strategies (3), civil society engagement (40 %); knowledge gained
    // (85 %) is measured after every activity (`scope: programme`), so nothing need count
    assert_eq!(
        with_code(&report, Code::IndicatorWithoutContributors),
        ["I4", "I8"]
    );
    // "Vulnerable and risk groups: children and addictions" and the Criminal Justice and
    // Health in Prison Programme have an empty TIMEFRAME cell, and so have their topics
    let unscheduled: Vec<Vec<String>> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingTimeframe)
        .map(|d| d.elements.clone())
        .collect();
    assert_eq!(
        unscheduled,
        [vec!["A7", "A7.1", "A7.2"], vec!["A11", "A11.1"]]
    );
    // "⇒ Role of police in drug prevention" (2023) has no deliverable in its row
    assert_eq!(
        with_code(&report, Code::ActivityWithoutDeliverables),
        ["A5.6"]
    );
    // the fourth output type (multimedia and online resources) is produced by nothing
    assert_eq!(with_code(&report, Code::OrphanElement), ["OUT4"]);
    // the source states targets but no baselines: one info per indicator
    assert_eq!(
        with_code(&report, Code::IndicatorWithoutBaseline),
        ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8"]
    );
    assert_eq!(report.diagnostics.len(), 6 + 2 + 2 + 1 + 1 + 8);
    let rendered: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{d}\n  help: {}", d.help.as_deref().unwrap_or("")))
        .collect();
    insta::assert_snapshot!("reference_findings", rendered.join("\n"));
}

#[test]
fn coverage_reads_true_against_the_seed() {
    let loaded = reference();
    let g = Graph::build(&loaded.document);
    let c = coverage(&g);
    let shares: Vec<(&str, usize, usize)> = c
        .priorities
        .iter()
        .map(|p| (p.id.as_str(), p.covered_lines, p.lines))
        .collect();
    assert_eq!(
        shares,
        [("P1", 7, 11), ("P2", 4, 4), ("P3", 4, 5), ("P4", 5, 6)]
    );
    assert_eq!(
        c.uncovered_lines,
        ["P1.5", "P1.6.1", "P1.6.2", "P1.7", "P3.1", "P4.1"]
    );
    // the seed states no quantity for any deliverable: no count target can be reconciled
    for i in &c.indicators {
        match (&i.id[..], &i.status) {
            ("I4" | "I8", TargetStatus::NoContributors) => {}
            ("I6", TargetStatus::ProgrammeWide) => {}
            (
                "I1" | "I2" | "I3" | "I5" | "I7",
                TargetStatus::Unknown {
                    missing_quantities, ..
                },
            ) => {
                assert!(!missing_quantities.is_empty())
            }
            (id, status) => panic!("{id}: {status:?}"),
        }
    }
    let years: Vec<i32> = c.years.iter().map(|y| y.year).collect();
    assert_eq!(years, [2023, 2024, 2025]);
    assert_eq!(c.unscheduled, ["A7", "A7.1", "A7.2", "A11", "A11.1"]);
    insta::assert_json_snapshot!("reference_coverage", c);
}
