//! A document (the first byte chooses YAML, JSON or TOML) checked, its findings located
//! and written in every output of the library and of the command line's renderer:
//! human (miette-style), concise, JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policygraph::CheckOptions;
use policygraph_fuzz::render;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Some(p) = policygraph_fuzz::programme(rest, policygraph_fuzz::format_of(first)) else {
        return;
    };
    let report = p.check(&CheckOptions::default());
    let text = p.source().text.as_str();
    for d in &report.diagnostics {
        let _ = render::diagnostic(d, Some(text), &policygraph_fuzz::style(false));
        // in colour, as a terminal gets it: the document's escapes never survive
        let shown = policygraph_fuzz::on_terminal(&render::diagnostic(
            d,
            Some(text),
            &policygraph_fuzz::style(true),
        ));
        assert!(
            !shown.contains("\u{1b}[8m"),
            "a document's escape reached the terminal: {shown}"
        );
        let _ = policygraph_export::text::concise(d);
    }
    let _ = serde_json::to_string(&report).unwrap_or_default();
    let _ = p.coverage();
});
