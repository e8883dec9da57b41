//! Commands: any JSON list of commands applied to a shipped world is accepted or refused
//! one by one, never a panic; a refused command leaves the world as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_sim::model::platform::Simulation;
use mi_sim::model::world::Command;
use mi_sim::view::session::Session;

fuzz_target!(|data: &[u8]| {
    let Ok(commands) = mi_sim::model::json::from_bytes::<Vec<Command>>(data) else {
        return;
    };
    let mut sim: Simulation = (*Session::open("limitations").sim).clone();
    for command in commands {
        let before = sim.clone();
        if sim.apply(command).is_err() {
            assert!(sim == before, "a refused command changed the world");
        }
    }
});
