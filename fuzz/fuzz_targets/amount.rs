//! Amounts: text and numbers in any format read as an exact decimal or give an error;
//! what is read writes back as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policygraph::model::Amount;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(a) = text.parse::<Amount>() {
        let json = serde_json::to_string(&a).unwrap_or_default();
        let back: Option<Amount> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(a), "{text} -> {json}");
    }
    let _ = serde_json::from_str::<Amount>(text);
});
