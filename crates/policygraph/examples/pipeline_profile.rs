//! Runs the whole pipeline on a JSON programme file once and reports the time of each
//! stage and the peak memory against the file size. Used by `cargo xtask bench`.
//!
//! `cargo run --release -p policygraph --example pipeline_profile -- FILE.json [baseline|located|stages [RUNS]]`
//!
//! Without a mode: the pipeline (read, parse, graph, every rule, coverage), with the text
//! dropped once parsed. `located`: what `policygraph check` does (text kept, findings
//! located in it). `baseline`: serde_json to a `Value` on the same bytes. `stages`: each
//! stage timed apart, RUNS times (default 5), the median (the fastest with `PG_MIN` set).
//! `... -- SMALL.json interleaved LARGE.json [ROUNDS]`: the time per element of the whole
//! pipeline on the large file against the small one, measured in alternation (each round
//! the mean of 20 small runs, then one large run) so that both see the same machine; the
//! median, lowest and highest ratio over the rounds (default 9).
//! `cargo run --release -p policygraph --example pipeline_profile -- --generate N FILE.json`

/// The allocator the command line ships with (see `policygraph-cli`'s `main.rs`), unless
/// the `bench-system-allocator` feature asks for the system one.
#[cfg(not(feature = "bench-system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::time::Instant;

/// Prints a line, ignoring a closed pipe (`| head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib * 1024.0 / 1e6)
}

/// Times each stage apart, `repeat` times, and prints the median of each, in
/// microseconds per element: parse, graph build, rules (with the derived facts), coverage,
/// freeing, and the whole pipeline as the benchmark runs it.
fn stages(path: &str, repeat: usize) -> Result<(), String> {
    use std::time::Duration;
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let limits = policygraph::Limits::large();
    let names = [
        "parse", "graph", "rules", "coverage", "free", "pipeline", "baseline",
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
    let mut elements = 0;
    for _ in 0..repeat {
        let t = Instant::now();
        let document = policygraph::load::parse_bytes(&bytes, policygraph::Format::Json, &limits)
            .map_err(|e| e.to_string())?;
        times[0].push(t.elapsed());
        let t = Instant::now();
        let g = policygraph::Graph::build(&document);
        times[1].push(t.elapsed());
        elements = g.node_count();
        let t = Instant::now();
        let report = policygraph::check_graph(&g, &Default::default());
        times[2].push(t.elapsed());
        let t = Instant::now();
        let cov = policygraph::coverage(&g);
        times[3].push(t.elapsed());
        let t = Instant::now();
        drop((report, cov));
        drop(g);
        drop(document);
        times[4].push(t.elapsed());
        times[5].push(pipeline_once(&bytes)?.1);
        let t = Instant::now();
        let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        drop(v);
        times[6].push(t.elapsed());
    }
    let allocator = if cfg!(feature = "bench-system-allocator") {
        "system allocator"
    } else {
        "mimalloc"
    };
    let pick = if std::env::var_os("PG_MIN").is_some() {
        "fastest"
    } else {
        "median"
    };
    let mut line = format!("{elements} elements, {allocator}, {pick} of {repeat}:");
    for (name, mut ts) in names.iter().zip(times) {
        ts.sort();
        // the median, or with PG_MIN set the fastest run (steadier on a busy machine)
        let pick = if std::env::var_os("PG_MIN").is_some() {
            0
        } else {
            ts.len() / 2
        };
        let median = ts[pick].as_secs_f64();
        line.push_str(&format!(
            " {name} {:.3} ms ({:.3} us/el)",
            median * 1e3,
            median * 1e6 / elements.max(1) as f64
        ));
    }
    say!("{line}");
    Ok(())
}

/// One run of the whole pipeline (parse, graph, every rule, coverage, freeing) on bytes
/// already read; the elements and the time.
fn pipeline_once(bytes: &[u8]) -> Result<(usize, std::time::Duration), String> {
    let t = Instant::now();
    let document = policygraph::load::parse_bytes(
        bytes,
        policygraph::Format::Json,
        &policygraph::Limits::large(),
    )
    .map_err(|e| e.to_string())?;
    let g = policygraph::Graph::build(&document);
    let (report, cov) = policygraph::analyse(&g, &Default::default());
    let elements = g.node_count();
    std::hint::black_box((report.diagnostics.len(), cov.lines.len()));
    drop((report, cov));
    drop(g);
    drop(document);
    Ok((elements, t.elapsed()))
}

/// The per-element ratio of a large file to a small one, measured in alternation.
fn interleaved(small: &str, large: &str, rounds: usize) -> Result<(), String> {
    const SMALL_RUNS: u32 = 20;
    let small_bytes = std::fs::read(small).map_err(|e| e.to_string())?;
    let large_bytes = std::fs::read(large).map_err(|e| e.to_string())?;
    let (mut small_n, mut large_n) = (0, 0);
    let mut ratios = Vec::new();
    let (mut small_sum, mut large_sum) = (0.0, 0.0);
    for _ in 0..rounds.max(1) {
        let mut total = std::time::Duration::ZERO;
        for _ in 0..SMALL_RUNS {
            let (n, t) = pipeline_once(&small_bytes)?;
            small_n = n;
            total += t;
        }
        let small_per = total.as_secs_f64() / f64::from(SMALL_RUNS) / small_n.max(1) as f64;
        let (n, t) = pipeline_once(&large_bytes)?;
        large_n = n;
        let large_per = t.as_secs_f64() / large_n.max(1) as f64;
        small_sum += small_per;
        large_sum += large_per;
        ratios.push(large_per / small_per);
    }
    ratios.sort_by(f64::total_cmp);
    let rounds = ratios.len() as f64;
    say!(
        "interleaved, {} rounds: {small_n} elements {:.2} us/el (mean), {large_n} elements {:.2} us/el (mean); ratio per round median {:.2}x, lowest {:.2}x, highest {:.2}x",
        ratios.len(),
        small_sum / rounds * 1e6,
        large_sum / rounds * 1e6,
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
    Ok(())
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, n, out] = args.as_slice()
        && flag == "--generate"
    {
        let n: usize = n.parse().map_err(|_| format!("`{n}` is not a number"))?;
        let doc = policygraph::generate::generate(n, 1);
        let text =
            policygraph::to_string(&doc, policygraph::Format::Json).map_err(|e| e.to_string())?;
        return std::fs::write(out, text).map_err(|e| e.to_string());
    }
    let path = args
        .first()
        .ok_or("usage: pipeline_profile FILE.json [baseline|located]")?;
    if let (Some(mode), Some(large)) = (args.get(1), args.get(2))
        && mode == "interleaved"
    {
        let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(9);
        return interleaved(path, large, rounds);
    }
    if let Some(mode) = args.get(1)
        && mode == "stages"
    {
        let repeat: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
        return stages(path, repeat);
    }
    let baseline = args.get(1).is_some_and(|a| a == "baseline");
    let located = args.get(1).is_some_and(|a| a == "located");
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len() as f64;
    let t = Instant::now();
    if baseline {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        say!(
            "baseline read and parse to a JSON value: {:.3}s",
            t.elapsed().as_secs_f64()
        );
        drop(v);
    } else if located {
        // what `policygraph check` does: keep the text, then locate the findings in it
        let loaded =
            policygraph::load_path(std::path::Path::new(path), &policygraph::Limits::large())
                .map_err(|e| e.to_string())?;
        let parse = t.elapsed();
        let t2 = Instant::now();
        let (report, cov) = policygraph::analyse_loaded(
            &loaded,
            &Default::default(),
            &policygraph::Limits::large(),
        );
        say!(
            "with located findings: findings {} ({} located) uncovered lines {} | read+parse {:.3}s graph+rules+coverage+locate {:.3}s | total {:.3}s",
            report.diagnostics.len(),
            report
                .diagnostics
                .iter()
                .filter(|d| d.location.is_some())
                .count(),
            cov.uncovered_lines.len(),
            parse.as_secs_f64(),
            t2.elapsed().as_secs_f64(),
            t.elapsed().as_secs_f64()
        );
    } else {
        // the pipeline: read, parse (the text is dropped once the document holds it),
        // graph, every rule, coverage
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let document = policygraph::load::parse_bytes(
            &bytes,
            policygraph::Format::Json,
            &policygraph::Limits::large(),
        )
        .map_err(|e| e.to_string())?;
        drop(bytes);
        let parse = t.elapsed();
        let after_load = rss_mb();
        let t2 = Instant::now();
        let g = policygraph::Graph::build(&document);
        let build = t2.elapsed();
        let after_graph = rss_mb();
        let t3 = Instant::now();
        let (report, cov) = policygraph::analyse(&g, &Default::default());
        let analysis = t3.elapsed();
        say!(
            "memory in use: {after_load:.1} MB after loading, {after_graph:.1} MB with the graph, {:.1} MB with findings and coverage",
            rss_mb()
        );
        say!(
            "elements {} findings {} uncovered lines {} | read+parse {:.3}s graph {:.3}s rules+coverage {:.3}s | total {:.3}s",
            g.node_count(),
            report.diagnostics.len(),
            cov.uncovered_lines.len(),
            parse.as_secs_f64(),
            build.as_secs_f64(),
            analysis.as_secs_f64(),
            t.elapsed().as_secs_f64()
        );
    }
    if let Some(kib) = peak_rss_kib() {
        say!(
            "file {:.1} MB, peak memory {:.1} MB ({:.2}x the file)",
            size / 1e6,
            kib as f64 * 1024.0 / 1e6,
            kib as f64 * 1024.0 / size
        );
    }
    Ok(())
}
