//! Benchmarks for the graph layout, natively: laying out a large world (500 resources, 200
//! identities, 2,000 role assignments) and its list view.
//! Run with `cargo bench --bench layout`.
// Criterion runs natively only; on wasm32 (linted by `clippy --all-targets`) this is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use criterion::{Criterion, criterion_group, criterion_main};
use mi_sim::model::world::{SampleWorld, World};
use mi_sim::view::graph;
use std::hint::black_box;

fn large_world() -> World {
    match SampleWorld::large_graph() {
        Ok(world) => world,
        Err(e) => panic!("the benchmark world builds: {e}"),
    }
}

fn layout_benches(c: &mut Criterion) {
    let world = large_world();
    assert_eq!(world.resources().len(), 500);
    assert_eq!(world.role_assignments().len(), 2_000);
    let g = graph::layout(&world);
    eprintln!(
        "large world: {} nodes, {} edges, {}×{} units",
        g.nodes.len(),
        g.edges.len(),
        g.width,
        g.height
    );
    c.bench_function("layout_500_resources_2000_assignments", |b| {
        b.iter(|| graph::layout(black_box(&world)))
    });
    c.bench_function("list_view_500_resources_2000_assignments", |b| {
        b.iter(|| graph::list_view(black_box(&world)))
    });
}

criterion_group!(benches, layout_benches);
criterion_main!(benches);
