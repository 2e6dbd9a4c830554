//! The pipeline at 10^3 to 10^6 elements: load (each format), graph build, validation,
//! coverage and the whole pipeline, with a parse-only baseline (serde_json to a `Value`
//! on the same bytes) in the same run.
//!
//! `cargo bench -p policygraph --bench pipeline` (sizes: `POLICYGRAPH_BENCH_SIZES=1000,10000`).
//! `cargo xtask bench` runs it and reports the figures against the targets.
//! Under `cargo test` each benchmark runs once, at 1000 elements only.

/// The allocator the command line ships with (see `policygraph-cli`'s `main.rs`), unless
/// the `bench-system-allocator` feature asks for the system one.
#[cfg(not(feature = "bench-system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use policygraph::{Format, Graph, Limits, Source};

fn sizes() -> Vec<usize> {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    if !benchmarking {
        return vec![1_000];
    }
    std::env::var("POLICYGRAPH_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000, 1_000_000])
}

fn configure(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    n: usize,
) {
    // a group runs every size, so each size sets all three (the small ones to
    // criterion's defaults)
    if n >= 100_000 {
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(if n >= 1_000_000 { 40 } else { 8 }));
    } else {
        group.sample_size(100);
        group.warm_up_time(Duration::from_secs(3));
        group.measurement_time(Duration::from_secs(5));
    }
}

/// One size's inputs, made once before anything is measured.
struct Input {
    n: usize,
    elements: u64,
    doc: policygraph::Document,
    json: String,
}

fn inputs() -> Vec<Input> {
    sizes()
        .into_iter()
        .map(|n| {
            let doc = policygraph::generate::generate(n, 1);
            let elements = Graph::build(&doc).node_count() as u64;
            let json = policygraph::to_string(&doc, Format::Json).unwrap_or_default();
            Input {
                n,
                elements,
                doc,
                json,
            }
        })
        .collect()
}

/// Each group runs every size in turn, the whole pipeline first: the sizes it compares
/// (time per element at 10^4 and 10^6) are measured minutes apart, not half an hour, so
/// that a change in the machine's load between them moves the ratio less.
fn pipeline(c: &mut Criterion) {
    let inputs = inputs();
    let limits = Limits::large();

    let mut group = c.benchmark_group("pipeline");
    for input in &inputs {
        configure(&mut group, input.n);
        group.throughput(Throughput::Elements(input.elements));
        let source = Source::new(None, Format::Json, input.json.clone());
        group.bench_function(BenchmarkId::new("json", input.n), |b| {
            b.iter(|| {
                let doc = policygraph::parse_source(black_box(&source), &limits).ok()?;
                let graph = Graph::build(&doc);
                let (report, coverage) = policygraph::analyse(&graph, &Default::default());
                Some((report.diagnostics.len(), coverage.lines.len()))
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("baseline");
    for input in &inputs {
        configure(&mut group, input.n);
        group.throughput(Throughput::Elements(input.elements));
        group.bench_function(BenchmarkId::new("json_value", input.n), |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&input.json)).map(drop))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("analysis");
    for input in &inputs {
        configure(&mut group, input.n);
        group.throughput(Throughput::Elements(input.elements));
        group.bench_function(BenchmarkId::new("graph_build", input.n), |b| {
            b.iter(|| Graph::build(black_box(&input.doc)).node_count())
        });
        let graph = Graph::build(&input.doc);
        group.bench_function(BenchmarkId::new("validate", input.n), |b| {
            b.iter(|| {
                policygraph::check_graph(black_box(&graph), &Default::default())
                    .diagnostics
                    .len()
            })
        });
        group.bench_function(BenchmarkId::new("coverage", input.n), |b| {
            b.iter(|| policygraph::coverage(black_box(&graph)).lines.len())
        });
    }
    group.finish();

    let mut group = c.benchmark_group("load");
    for input in &inputs {
        configure(&mut group, input.n);
        group.throughput(Throughput::Elements(input.elements));
        for format in Format::ALL {
            let text = if format == Format::Json {
                input.json.clone()
            } else {
                policygraph::to_string(&input.doc, format).unwrap_or_default()
            };
            let source = Source::new(None, format, text);
            group.bench_function(BenchmarkId::new(format.name(), input.n), |b| {
                b.iter(|| policygraph::parse_source(black_box(&source), &limits).map(drop))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
