//! Raw HTTP requests typed by the user: parsed or refused with a position, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_sim::model::http::parse_request;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_request(text);
    }
});
