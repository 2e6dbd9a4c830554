//! The diff of two documents (the first byte chooses the format; a NUL byte separates
//! the old from the new): never a panic, and a document compared with itself is empty.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let format = policygraph_fuzz::format_of(first);
    let (old, new) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, rest),
    };
    let (Some(a), Some(b)) = (
        policygraph_fuzz::programme(old, format),
        policygraph_fuzz::programme(new, format),
    ) else {
        return;
    };
    let d = a.diff(&b);
    let _ = serde_json::to_string(&d).unwrap_or_default();
    assert!(a.diff(&a).is_empty());
});
