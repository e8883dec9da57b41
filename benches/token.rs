//! Benchmarks for the simulated Entra token service, natively: issuing and RS256-signing one
//! managed-identity token, and verifying one against the tenant's JWKS.
//! Run with `cargo bench --bench token`.
// Criterion runs natively only; on wasm32 (linted by `clippy --all-targets`) this is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use criterion::{Criterion, criterion_group, criterion_main};
use mi_sim::model::entra::{ManagedIdentityKind, ManagedIdentityTokenRequest, TokenIssuer};
use mi_sim::model::ids::{ClientId, IdGen, ObjectId, ResourceId, TenantId};
use mi_sim::model::jwt::{self, Validation};
use std::hint::black_box;

const NOW: i64 = 1_629_759_448;

fn request(ids: &mut IdGen) -> ManagedIdentityTokenRequest {
    ManagedIdentityTokenRequest {
        resource: "https://vault.azure.net".to_string(),
        client_id: ClientId(ids.guid()),
        object_id: ObjectId(ids.guid()),
        host_resource_id: ResourceId(
            "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
                .to_string(),
        ),
        kind: ManagedIdentityKind::SystemAssigned,
        roles: Vec::new(),
        now: NOW,
    }
}

fn token_benches(c: &mut Criterion) {
    let mut ids = IdGen::new(1);
    let issuer = TokenIssuer::new(TenantId(ids.guid()), 0);
    let req = request(&mut ids);
    // Parse the demo key outside the measurement, as the page does once.
    let first = issuer
        .issue_managed_identity_token(&req, &mut ids)
        .expect("demo key signs");
    c.bench_function("issue_and_sign_managed_identity_token", |b| {
        b.iter(|| {
            issuer
                .issue_managed_identity_token(black_box(&req), &mut ids)
                .expect("demo key signs")
        })
    });
    let jwks = issuer.jwks().expect("demo key parses");
    let validation = Validation::at(NOW)
        .with_issuers(&[&issuer.issuer()])
        .with_audiences(&["https://vault.azure.net"]);
    c.bench_function("verify_token_against_jwks", |b| {
        b.iter(|| jwt::validate(black_box(&first.token), &jwks, &validation).expect("valid"))
    });
}

criterion_group!(benches, token_benches);
criterion_main!(benches);
