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

/// The large world of the graph benchmark ([`SampleWorld::large_graph`]).
fn large_world() -> Result<crate::model::world::World, JsError> {
    SampleWorld::large_graph().map_err(|e| JsError::new(&e.to_string()))
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
    let text = crate::model::json::to_text(&saved);
    super::storage::write(&text);
    Ok(text.len())
}

/// Builds the world at Azure's limits ([`SampleWorld::at_azure_limits`]: 4,000 role
/// assignments, 2,000 resources, 500 identities) and saves it as the autosaved session the way
/// the app does, so that the next load of the page opens it. Returns JSON:
/// `{"buildMs": …, "jsonChars": …, "chars": …, "stored": …, "saveMs": …}`: the saved JSON's
/// length, the stored text's length in characters, whether the browser kept it, and how long
/// the app's autosave write took.
#[wasm_bindgen(js_name = benchOpenWorldAtLimits)]
pub fn bench_open_world_at_limits() -> Result<String, JsError> {
    let start = now_ms();
    let world = SampleWorld::at_azure_limits().map_err(|e| JsError::new(&e.to_string()))?;
    let build = now_ms() - start;
    let mut saved =
        crate::view::session::Session::open(crate::view::session::DEFAULT_SCENARIO).save();
    saved.sim = crate::model::platform::Simulation::new(world);
    // The commands that made this world are not those of the scenario: a share link carries
    // the world itself.
    saved.edits = None;
    let session = crate::view::session::Session::restore(saved)
        .ok_or_else(|| JsError::new("the world at Azure's limits does not restore"))?;
    let json = session.save_json().len();
    let t0 = now_ms();
    let saved = super::storage::save(&session);
    let save = now_ms() - t0;
    let (chars, stored) = match saved {
        Ok(chars) => (chars, true),
        Err(chars) => (chars, false),
    };
    Ok(serde_json::json!({
        "buildMs": build,
        "jsonChars": json,
        "chars": chars,
        "stored": stored,
        "saveMs": save,
    })
    .to_string())
}

/// Opens the world at Azure's limits the way a person does, as a scenario file (what
/// Share → Open scenario file does once the browser has read the file), and saves the session
/// as autosave does, so that the next load restores it. Returns JSON:
/// `{"fileChars": …, "openMs": …, "chars": …, "stored": …}`: the file's length, how long
/// opening it took, the stored text's length and whether the browser kept it.
#[wasm_bindgen(js_name = benchOpenWorldAtLimitsAsFile)]
pub fn bench_open_world_at_limits_as_file() -> Result<String, JsError> {
    use crate::view::session::{Action, DEFAULT_SCENARIO, Session};
    let world = SampleWorld::at_azure_limits().map_err(|e| JsError::new(&e.to_string()))?;
    let file = crate::model::scenario::Scenario::from_world(&world).to_json();
    let before = Session::open(DEFAULT_SCENARIO);
    let t0 = now_ms();
    let session = before.reduce(Action::Import {
        file_name: "azure-limits.json".to_string(),
        size: file.len() as u64,
        bytes: file.clone().into_bytes(),
    });
    let open = now_ms() - t0;
    if let Some(e) = &session.import_error {
        return Err(JsError::new(e));
    }
    let (chars, stored) = match super::storage::save(&session) {
        Ok(chars) => (chars, true),
        Err(chars) => (chars, false),
    };
    Ok(serde_json::json!({
        "fileChars": file.len(),
        "openMs": open,
        "chars": chars,
        "stored": stored,
    })
    .to_string())
}
