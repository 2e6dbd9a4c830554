//! Every record of the binding has the fields of the core value it converts, named as
//! in the core's JSON, with the same values: a field added to the core fails here until
//! the record in `src/records.rs` carries it too (and the generated sources are
//! regenerated with `cargo xtask bindings`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use policygraph::{CheckOptions, Limits};
use policygraph_uniffi as ffi;
use serde::Serialize;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

fn load(path: &str) -> policygraph::Programme {
    policygraph::Programme::load(&root().join(path), &Limits::default()).unwrap()
}

/// The JSON of a value with absent values (null, empty lists) left out, as the core's
/// JSON leaves them out.
fn present(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k, present(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(present).collect()),
        other => other,
    }
}

fn json<T: Serialize>(value: &T) -> Value {
    present(serde_json::to_value(value).unwrap())
}

/// The field names of a core type, from its JSON Schema.
fn schema_fields<T: schemars::JsonSchema>() -> BTreeSet<String> {
    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
    schema["properties"]
        .as_object()
        .unwrap_or_else(|| {
            panic!(
                "no properties in the schema of {}",
                std::any::type_name::<T>()
            )
        })
        .keys()
        .cloned()
        .collect()
}

/// The field names of a record, every field serialized (absent ones as null).
fn record_fields<T: Serialize>(record: &T) -> BTreeSet<String> {
    serde_json::to_value(record)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// The record has exactly the core type's fields, and the same values.
fn same<C: Serialize + schemars::JsonSchema, R: Serialize>(core: &[C], records: &[R]) {
    assert!(
        !core.is_empty(),
        "no sample of {}",
        std::any::type_name::<C>()
    );
    assert_eq!(core.len(), records.len());
    assert_eq!(
        schema_fields::<C>(),
        record_fields(&records[0]),
        "the fields of {} against the record {}",
        std::any::type_name::<C>(),
        std::any::type_name::<R>()
    );
    for (c, r) in core.iter().zip(records) {
        assert_eq!(json(c), json(r), "{}", std::any::type_name::<R>());
    }
}

#[test]
fn findings_are_the_core_finding_rows() {
    let p = load("tests/conformance/PG101-unknown-reference.yaml");
    let report = p.check(&CheckOptions::default());
    let rows = policygraph::tables::findings(&report);
    let records: Vec<ffi::Diagnostic> = rows.iter().cloned().map(ffi::Diagnostic::from).collect();
    same(&rows, &records);
    assert!(records.iter().all(|d| d.line.is_some() && d.file.is_some()));
}

#[test]
fn coverage_rows_are_the_core_rows() {
    let p = load("examples/pompidou-2023-2025.yaml");
    let core = p.coverage();
    let c = ffi::Coverage::from(&core);
    same(&core.priorities, &c.priorities);
    same(&core.lines, &c.lines);
    same(&core.years, &c.years);
    same(&core.funding_sources, &c.funding_sources);
    same(&core.partners, &c.partners);
    same(&policygraph::tables::indicators(&core), &c.indicators);
    // the whole, indicators aside (flat in the record, nested in the core)
    let mut core_json = json(&core);
    let mut record_json = json(&c);
    core_json.as_object_mut().unwrap().remove("indicators");
    record_json.as_object_mut().unwrap().remove("indicators");
    assert_eq!(core_json, record_json);
    assert_eq!(schema_fields::<policygraph::Coverage>(), record_fields(&c));
    // a programme in months from an undated start has them, the same in the record
    let p = load("tests/export/month-relative.yaml");
    let core = p.coverage();
    let c = ffi::Coverage::from(&core);
    assert_eq!(c.project_years.len(), 3);
    same(&core.project_years, &c.project_years);
}

#[test]
fn elements_traces_and_impacts_are_the_core_values() {
    let p = load("examples/pompidou-2023-2025.yaml");
    let rows = p.elements(None);
    let records: Vec<ffi::Element> = rows.iter().cloned().map(ffi::Element::from).collect();
    same(&rows, &records);
    assert!(records.iter().any(|e| e.start.is_some()));
    // an activity that addresses a line of action, so that its trace has steps
    let (activity, trace) = rows
        .iter()
        .filter(|r| r.kind == policygraph::NodeKind::Activity)
        .map(|r| (&r.id, p.trace(&r.id).unwrap()))
        .find(|(_, t)| !t.upstream.is_empty())
        .unwrap();
    same(std::slice::from_ref(&trace), &[ffi::Trace::from(&trace)]);
    same(
        std::slice::from_ref(&trace.upstream[0]),
        &[ffi::Trace::from(&trace).upstream[0].clone()],
    );
    let impact = p.impact(activity).unwrap();
    same(std::slice::from_ref(&impact), &[ffi::Impact::from(&impact)]);
    same(&[p.summary()], &[ffi::Summary::from(p.summary())]);
}

#[test]
fn diff_changes_and_rules_are_the_core_rows() {
    let old = load("examples/pompidou-2023-2025.yaml");
    let new = load("tests/diff/target-raised.yaml");
    let diff = old.diff(&new);
    let rows = policygraph::tables::diff_rows(&diff);
    let d = ffi::Diff::from(&diff);
    same(&rows, &d.changes);
    same(&[diff.summary], std::slice::from_ref(&d.summary));
    assert!(!d.is_empty);
    let rules = policygraph::tables::rules();
    same(&rules, &ffi::rules());
}

#[test]
fn the_binding_gives_the_cores_results_and_errors() {
    let path = root().join("examples/pompidou-2023-2025.yaml");
    let p = ffi::Programme::load_file(path.display().to_string()).unwrap();
    let report = p.check(ffi::CheckOptions::default()).unwrap();
    assert!(report.ok);
    assert_eq!(report.warnings, 12);
    match ffi::Programme::load(
        "format: policygraph/v1\nprogramme: {id: p, titel: x}\n".into(),
        ffi::DocumentFormat::Yaml,
        Some("p.yaml".into()),
    ) {
        Err(ffi::PolicygraphError::Load { reason, problems }) => {
            let codes: Vec<&str> = problems.iter().map(|d| d.code.as_str()).collect();
            assert_eq!(codes, ["PG005", "PG002"]);
            assert!(reason.starts_with("`p.yaml` could not be read (2 problems)"));
        }
        other => panic!("expected a load error, got {:?}", other.map(|p| p.id())),
    }
    assert!(matches!(
        p.trace("P9.9".into()),
        Err(ffi::PolicygraphError::NotFound { .. })
    ));
    assert!(matches!(
        p.elements(Some("activty".into())),
        Err(ffi::PolicygraphError::NotFound { .. })
    ));
    assert!(matches!(
        p.check(ffi::CheckOptions {
            allow: vec!["PG999".into()],
            ..Default::default()
        }),
        Err(ffi::PolicygraphError::InvalidArgument { .. })
    ));
    match ffi::panic_for_tests() {
        Err(ffi::PolicygraphError::Internal { reason }) => {
            assert!(reason.contains("a panic raised on purpose"))
        }
        other => panic!("expected an internal error, got {other:?}"),
    }
}
