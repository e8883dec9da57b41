//! Benchmark hooks for the page benchmark (`benches/page.rs`): the release build exports them
//! on `window.wasmBindings`, so timings come from the real shipped code in a real browser. They
//! change nothing on the page.

use crate::model::entra::{ManagedIdentityKind, ManagedIdentityTokenRequest, TokenIssuer};
use crate::model::ids::{ClientId, IdGen, ObjectId, ResourceId, TenantId};
use crate::model::jwt::{self, Validation};
use crate::model::rbac::{Action, access_matrix};
use crate::model::world::SampleWorld;
use wasm_bindgen::prelude::*;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

/// Issues, signs and verifies `iterations` managed-identity tokens with a demo key. Returns
/// JSON: `{"keyLoadMs": …, "issueMs": [..], "verifyMs": [..]}` (one entry per iteration).
#[wasm_bindgen(js_name = benchToken)]
pub fn bench_token(iterations: u32) -> Result<String, JsError> {
    let now = 1_629_759_448;
    let mut ids = IdGen::new(1);
    let issuer = TokenIssuer::new(TenantId(ids.guid()), 0);
    let request = ManagedIdentityTokenRequest {
        resource: "https://vault.azure.net".to_string(),
        client_id: ClientId(ids.guid()),
        object_id: ObjectId(ids.guid()),
        host_resource_id: ResourceId(
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-web\
             /providers/Microsoft.Compute/virtualMachines/vm-web"
                .to_string(),
        ),
        kind: ManagedIdentityKind::SystemAssigned,
        roles: Vec::new(),
        now,
    };
    let start = now_ms();
    let jwks = issuer.jwks().map_err(|e| JsError::new(&e.to_string()))?;
    let key_load = now_ms() - start;
    let validation = Validation::at(now)
        .with_issuers(&[&issuer.issuer()])
        .with_audiences(&["https://vault.azure.net"]);
    let (mut issue, mut verify) = (Vec::new(), Vec::new());
    for _ in 0..iterations {
        let t0 = now_ms();
        let token = issuer
            .issue_managed_identity_token(&request, &mut ids)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let t1 = now_ms();
        jwt::validate(&token.token, &jwks, &validation)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let t2 = now_ms();
        issue.push(t1 - t0);
        verify.push(t2 - t1);
    }
    Ok(
        serde_json::json!({ "keyLoadMs": key_load, "issueMs": issue, "verifyMs": verify })
            .to_string(),
    )
}

/// Builds the world at Azure's limits (4,000 role assignments, 2,000 resources, 500
/// identities) and computes the full access matrix for blob read `iterations` times. Returns
/// JSON: `{"buildMs": …, "cells": …, "matrixMs": [..]}`.
#[wasm_bindgen(js_name = benchAccessMatrix)]
pub fn bench_access_matrix(iterations: u32) -> Result<String, JsError> {
    let start = now_ms();
    let world = SampleWorld::at_azure_limits().map_err(|e| JsError::new(&e.to_string()))?;
    let build = now_ms() - start;
    let action =
        Action::data("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read");
    let mut times = Vec::new();
    let mut cells = 0;
    for _ in 0..iterations {
        let t0 = now_ms();
        let matrix = access_matrix(&world, &action);
        times.push(now_ms() - t0);
        cells = matrix.principals.len() * matrix.resources.len();
    }
    Ok(serde_json::json!({ "buildMs": build, "cells": cells, "matrixMs": times }).to_string())
}

/// The large world of the graph benchmark (as `benches/layout.rs` builds it): one
/// subscription with 20 resource groups; per group 5 VMs with system-assigned identities, 5
/// user-assigned identities each attached to a Function App, 5 storage accounts and 5 key
/// vaults: 500 resources, 200 identities, 10 role assignments per identity (2,000).
fn large_world() -> Result<crate::model::world::World, JsError> {
    use crate::model::world::{ChildKind, Command, ResourceKind, WorldBuilder};
    let err = |e: crate::model::world::CommandError| JsError::new(&e.to_string());
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
        let (st, kv) = (format!("st{i}"), format!("kv-{i}"));
        b = b
            .resource("Production", &rg, &vm, ResourceKind::VirtualMachine)
            .system_assigned(&vm)
            .resource("Production", &rg, &id, ResourceKind::UserAssignedIdentity)
            .resource("Production", &rg, &func, ResourceKind::FunctionApp)
            .attach(&func, &id)
            .resource("Production", &rg, &st, ResourceKind::StorageAccount)
            .child(&st, ChildKind::BlobContainer, "data")
            .resource("Production", &rg, &kv, ResourceKind::KeyVault);
    }
    let mut world = b.build().map_err(err)?;
    let who: Vec<String> = (0..100)
        .map(|i| format!("vm-{i}"))
        .chain((0..100).map(|i| format!("id-{i}")))
        .collect();
    for (n, principal) in who.iter().enumerate() {
        let grants = [
            ("Storage Blob Data Reader", format!("st{}", n % 100)),
            (
                "Storage Blob Data Contributor",
                format!("st{}", (n + 7) % 100),
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
            world
                .apply(Command::AddRoleAssignment {
                    principal: principal.clone(),
                    role: role.to_string(),
                    scope,
                    condition: None,
                })
                .map_err(err)?;
        }
    }
    Ok(world)
}

/// Builds the large world and lays out its graph `iterations` times. Returns JSON:
/// `{"buildMs": …, "resources": …, "assignments": …, "nodes": …, "layoutMs": [..]}`.
#[wasm_bindgen(js_name = benchLargeWorld)]
pub fn bench_large_world(iterations: u32) -> Result<String, JsError> {
    let start = now_ms();
    let world = large_world()?;
    let build = now_ms() - start;
    let mut times = Vec::new();
    let mut nodes = 0;
    for _ in 0..iterations {
        let t0 = now_ms();
        let view = crate::view::graph::layout(&world);
        times.push(now_ms() - t0);
        nodes = view.nodes.len();
    }
    Ok(serde_json::json!({
        "buildMs": build,
        "resources": world.resources().len(),
        "assignments": world.role_assignments().len(),
        "nodes": nodes,
        "layoutMs": times,
    })
    .to_string())
}

/// Saves the large world as the autosaved session, so that the next load of the page opens
/// it (the benchmark then measures first render, selection and edits in the real app).
/// Returns the saved state's size in bytes.
#[wasm_bindgen(js_name = benchOpenLargeWorld)]
pub fn bench_open_large_world() -> Result<usize, JsError> {
    let world = large_world()?;
    let mut saved =
        crate::view::session::Session::open(crate::view::session::DEFAULT_SCENARIO).save();
    saved.sim = crate::model::platform::Simulation::new(world);
    let text = serde_json::to_string(&saved).map_err(|e| JsError::new(&e.to_string()))?;
    super::storage::write(&text);
    Ok(text.len())
}
