//! Loading raw bytes as json: a document or located errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policygraph::Format;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = policygraph::Programme::from_bytes(
        data.to_vec(),
        Format::Json,
        Some("fuzz.json".to_owned()),
        &policygraph_fuzz::limits(),
    ) {
        // every problem is rendered as the command line renders it
        let text = std::str::from_utf8(data).ok();
        for d in &e.diagnostics {
            let _ = policygraph_fuzz::render::diagnostic(d, text, &policygraph_fuzz::style(false));
        }
    }
});
