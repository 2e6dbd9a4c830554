//! The timeframe and date grammar: any text parses or gives an error, and a parsed
//! timeframe's intervals and span are computed without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policygraph::model::{Date, Timeframe};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Date::parse(text);
    if let Ok(tf) = Timeframe::parse(text) {
        let start = Date::parse("2023-01").ok();
        let _ = tf.span(start);
        let _ = tf.intervals(start).count();
        let _ = tf.to_string();
    }
});
