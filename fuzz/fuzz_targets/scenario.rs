//! Scenario files: any text is either a scenario whose world builds, or an error; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_sim::model::scenario::Scenario;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(scenario) = Scenario::from_json(text)
    {
        let _ = scenario.build_world();
    }
});
