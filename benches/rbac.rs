//! RBAC benchmarks at Azure's limits: 4,000 role assignments in one subscription, 2,000
//! resources and 500 managed identities. Measures one `check_access` (allowed, and denied with
//! its least-privilege suggestion) and the full access matrix for one data action.
//! Run with `cargo bench --bench rbac`.
// Criterion runs natively only; on wasm32 (linted by `clippy --all-targets`) this is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use criterion::{Criterion, criterion_group, criterion_main};
use mi_sim::model::ids::ObjectId;
use mi_sim::model::rbac::{Action, access_matrix, check_access};
use mi_sim::model::world::{ChildKind, SampleWorld};
use std::hint::black_box;

const BLOB_READ: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";

fn bench(c: &mut Criterion) {
    let world = SampleWorld::at_azure_limits().expect("the world at limits builds");
    assert_eq!(world.role_assignments().len(), 4_000);
    assert_eq!(world.resources().len(), 2_000);
    let principal: ObjectId = world
        .identity_principal("vm-42")
        .unwrap_or(ObjectId(mi_sim::model::ids::Guid::NIL));
    let own = world
        .resource_named("st42")
        .map(|r| r.child_scope(ChildKind::BlobContainer, "data"));
    let other = world
        .resource_named("st300")
        .map(|r| r.child_scope(ChildKind::BlobContainer, "data"));
    let (Some(own), Some(other)) = (own, other) else {
        panic!("benchmark world lacks st42/st300")
    };
    let action = Action::data(BLOB_READ);
    assert!(check_access(&world, principal, &action, &own).allowed);
    assert!(!check_access(&world, principal, &action, &other).allowed);
    let _ = check_access(&world, principal, &action, &own); // build the index once

    c.bench_function("check_access allowed (4,000 assignments)", |b| {
        b.iter(|| {
            check_access(
                black_box(&world),
                black_box(principal),
                black_box(&action),
                black_box(&own),
            )
        })
    });
    c.bench_function(
        "check_access denied with suggestion (4,000 assignments)",
        |b| {
            b.iter(|| {
                check_access(
                    black_box(&world),
                    black_box(principal),
                    black_box(&action),
                    black_box(&other),
                )
            })
        },
    );
    let matrix = access_matrix(&world, &action);
    assert_eq!(
        (matrix.principals.len(), matrix.resources.len()),
        (500, 2_000)
    );
    c.bench_function(
        "access matrix 500 identities x 2,000 resources (blob read)",
        |b| b.iter(|| access_matrix(black_box(&world), black_box(&action))),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
