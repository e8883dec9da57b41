//! Share links: any fragment opens a session or says what is wrong, never a panic. The input is
//! used twice: as the fragment itself, and as the state inside a well-formed `v1.` link, so the
//! fuzzer reaches past the base64url and deflate layers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_sim::view::share;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = share::decode(text);
    }
    let _ = share::decode(&share::wrap_state(data));
});
