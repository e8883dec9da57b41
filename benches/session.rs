//! Benchmarks for the session on the large world (500 resources, 200 identities, 2,000 role
//! assignments), natively: what the app does on a reload (restore the autosaved state), on a
//! step, on a selection and on an edit, and what autosave writes.
//! Run with `cargo bench --bench session`.
// Criterion runs natively only; on wasm32 (linted by `clippy --all-targets`) this is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mi_sim::model::platform::Simulation;
use mi_sim::model::world::{Command, SampleWorld};
use mi_sim::view::session::{Action, DEFAULT_SCENARIO, Session};
use std::hint::black_box;

/// The default scenario's session with its world replaced by the large one, as the page
/// benchmark's `benchOpenLargeWorld` hook saves it.
fn large_session() -> (Session, String) {
    let world = match SampleWorld::large_graph() {
        Ok(world) => world,
        Err(e) => panic!("the benchmark world builds: {e}"),
    };
    let mut saved = Session::open(DEFAULT_SCENARIO).save();
    saved.sim = Simulation::new(world);
    let text = mi_sim::model::json::to_text(&saved);
    match Session::restore_json(&text) {
        Some(session) => (session, text),
        None => panic!("the saved state restores"),
    }
}

fn session_benches(c: &mut Criterion) {
    let (session, text) = large_session();
    eprintln!("saved state: {} bytes", text.len());
    c.bench_function("restore_saved_large_world", |b| {
        b.iter(|| Session::restore_json(black_box(&text)))
    });
    c.bench_function("save_large_world", |b| {
        b.iter(|| black_box(&session).save_json())
    });
    c.bench_function("next_step_on_large_world", |b| {
        b.iter(|| black_box(&session).reduce(Action::NextStep))
    });
    c.bench_function("select_on_large_world", |b| {
        b.iter(|| black_box(&session).reduce(Action::Select(Some("x".into()))))
    });
    let disable = Action::Apply(Box::new(Command::DisableSystemAssigned {
        resource: "vm-7".into(),
    }));
    c.bench_function("edit_on_large_world", |b| {
        b.iter(|| black_box(&session).reduce(disable.clone()))
    });
    let edited = session.reduce(disable.clone());
    c.bench_function("undo_on_large_world", |b| {
        b.iter(|| black_box(&edited).reduce(Action::Undo))
    });
    c.bench_function("edit_choices_on_large_world", |b| {
        b.iter(|| mi_sim::view::edit::choices(black_box(&session.sim.world)))
    });
    c.bench_function("compare_large_sessions", |b| {
        b.iter_batched(
            || session.clone(),
            |copy| black_box(&copy) == black_box(&session),
            BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, session_benches);
criterion_main!(benches);
