//! RBAC benchmarks at Azure's limits: 4,000 role assignments in one subscription, 2,000
//! resources and 500 managed identities. Measures one `check_access` (allowed, and denied with
//! its least-privilege suggestion) and the full access matrix for one data action.
//! Run with `cargo bench --bench rbac`.

use criterion::{Criterion, criterion_group, criterion_main};
use mi_sim::model::clock::MINUTE;
use mi_sim::model::ids::ObjectId;
use mi_sim::model::rbac::{Action, access_matrix, check_access};
use mi_sim::model::world::{ChildKind, Command, ResourceKind, World, WorldBuilder};
use std::hint::black_box;

const BLOB_READ: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";

/// 20 resource groups; 250 VMs with system-assigned identities, 250 user-assigned identities,
/// 500 storage accounts (one container each), 500 key vaults, 500 function apps; every
/// identity holds 8 role assignments (4,000 in all).
fn world_at_limits() -> World {
    let mut b = WorldBuilder::new(2026)
        .tenant("contoso")
        .management_group("contoso", "mg-corp", None)
        .subscription("Production", "contoso", Some("mg-corp"));
    for g in 0..20 {
        b = b.resource_group("Production", &format!("rg-{g}"));
    }
    for i in 0..250 {
        let rg = format!("rg-{}", i % 20);
        b = b
            .resource(
                "Production",
                &rg,
                &format!("vm-{i}"),
                ResourceKind::VirtualMachine,
            )
            .system_assigned(&format!("vm-{i}"))
            .resource(
                "Production",
                &rg,
                &format!("id-{i}"),
                ResourceKind::UserAssignedIdentity,
            );
    }
    for i in 0..500 {
        let rg = format!("rg-{}", i % 20);
        b = b
            .resource(
                "Production",
                &rg,
                &format!("st{i}"),
                ResourceKind::StorageAccount,
            )
            .child(&format!("st{i}"), ChildKind::BlobContainer, "data")
            .resource(
                "Production",
                &rg,
                &format!("kv-{i}"),
                ResourceKind::KeyVault,
            )
            .resource(
                "Production",
                &rg,
                &format!("func-{i}"),
                ResourceKind::FunctionApp,
            );
    }
    let identities: Vec<String> = (0..250)
        .map(|i| format!("vm-{i}"))
        .chain((0..250).map(|i| format!("id-{i}")))
        .collect();
    for (n, who) in identities.iter().enumerate() {
        let grants = [
            ("Storage Blob Data Reader", format!("st{n}")),
            (
                "Storage Blob Data Contributor",
                format!("st{}", (n + 7) % 500),
            ),
            ("Key Vault Secrets User", format!("kv-{n}")),
            ("Key Vault Reader", format!("kv-{}", (n + 3) % 500)),
            ("Reader", format!("rg-{}", n % 20)),
            ("Website Contributor", format!("func-{n}")),
            ("Storage Queue Data Reader", format!("st{}", (n + 11) % 500)),
            ("Contributor", format!("func-{}", (n + 1) % 500)),
        ];
        for (role, scope) in grants {
            b = b.run(Command::AddRoleAssignment {
                principal: who.clone(),
                role: role.into(),
                scope,
                condition: None,
            });
        }
    }
    match b.advance(10 * MINUTE).build() {
        Ok(world) => world,
        Err(e) => panic!("benchmark world does not build: {e}"),
    }
}

fn bench(c: &mut Criterion) {
    let world = world_at_limits();
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
