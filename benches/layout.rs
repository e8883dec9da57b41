//! Benchmarks for the graph layout, natively: laying out a large world (500 resources, 200
//! identities, 2,000 role assignments) and its list view.
//! Run with `cargo bench --bench layout`.
// Criterion runs natively only; on wasm32 (linted by `clippy --all-targets`) this is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use criterion::{Criterion, criterion_group, criterion_main};
use mi_sim::model::world::{ChildKind, Command, ResourceKind, World, WorldBuilder};
use mi_sim::view::graph;
use std::hint::black_box;

/// One tenant, a management group, one subscription with 20 resource groups; per group 5 VMs
/// with system-assigned identities, 5 user-assigned identities each attached to a Function
/// App, 5 storage accounts and 5 key vaults: 500 resources, 200 identities, and 10 role
/// assignments per identity (2,000 in all).
fn large_world() -> World {
    let mut b = WorldBuilder::new(2027)
        .tenant("contoso")
        .management_group("contoso", "mg-corp", None)
        .subscription("Production", "contoso", Some("mg-corp"));
    for g in 0..20 {
        b = b.resource_group("Production", &format!("rg-{g}"));
    }
    for i in 0..100 {
        let rg = format!("rg-{}", i % 20);
        let (vm, id, func) = (format!("vm-{i}"), format!("id-{i}"), format!("func-{i}"));
        b = b
            .resource("Production", &rg, &vm, ResourceKind::VirtualMachine)
            .system_assigned(&vm)
            .resource("Production", &rg, &id, ResourceKind::UserAssignedIdentity)
            .resource("Production", &rg, &func, ResourceKind::FunctionApp)
            .attach(&func, &id)
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
            );
    }
    let mut world = match b.build() {
        Ok(world) => world,
        Err(e) => panic!("the benchmark world builds: {e}"),
    };
    let container = |world: &World, account: String| match world.id_of(&account) {
        Some(id) => format!("{id}/blobServices/default/containers/data"),
        None => panic!("{account} exists"),
    };
    let identities: Vec<String> = (0..100)
        .map(|i| format!("vm-{i}"))
        .chain((0..100).map(|i| format!("id-{i}")))
        .collect();
    for (n, who) in identities.iter().enumerate() {
        let grants = [
            ("Storage Blob Data Reader", format!("st{}", n % 100)),
            (
                "Storage Blob Data Contributor",
                container(&world, format!("st{}", (n + 7) % 100)),
            ),
            ("Key Vault Secrets User", format!("kv-{}", n % 100)),
            ("Key Vault Reader", format!("kv-{}", (n + 3) % 100)),
            ("Reader", format!("rg-{}", n % 20)),
            ("Website Contributor", format!("func-{}", n % 100)),
            ("Storage Queue Data Reader", format!("st{}", (n + 11) % 100)),
            ("Contributor", format!("func-{}", (n + 1) % 100)),
            (
                "Virtual Machine Contributor",
                format!("vm-{}", (n + 5) % 100),
            ),
            ("Reader", "Production".to_string()),
        ];
        for (role, scope) in grants {
            let added = world.apply(Command::AddRoleAssignment {
                principal: who.clone(),
                role: role.into(),
                scope,
                condition: None,
            });
            if let Err(e) = added {
                panic!("the benchmark world builds: {e}");
            }
        }
    }
    world
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
