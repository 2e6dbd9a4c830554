//! A document (the first byte chooses the format) exported in every format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policygraph_export::{ExportFormat, export_programme};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Some(p) = policygraph_fuzz::programme(rest, policygraph_fuzz::format_of(first)) else {
        return;
    };
    for format in ExportFormat::ALL {
        let _ = export_programme(&p, format);
    }
});
