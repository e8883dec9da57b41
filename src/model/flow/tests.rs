//! Native tests of walkthroughs: every what-if's exact outcome, fixes that really fix, and
//! golden summaries of every shipped scenario's walkthroughs (`tests/golden/walkthroughs.txt`;
//! regenerate with `MI_SIM_BLESS=1 cargo test --lib flow`).

use super::*;
use crate::model::platform::Simulation;
use crate::model::scenario::{Flow, Scenario};

fn scenarios_dir() -> String {
    format!("{}/static/scenarios", env!("CARGO_MANIFEST_DIR"))
}

fn load(id: &str) -> (Scenario, Simulation) {
    let path = format!("{}/{id}.json", scenarios_dir());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
    let world = scenario
        .build_world()
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    (scenario, Simulation::new(world))
}

fn flow<'a>(scenario: &'a Scenario, name: &str) -> &'a Flow {
    scenario
        .flows
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no flow {name}"))
}

/// (scenario, flow, what-ifs, expected: None = success, Some((step, status, text in error))).
type Case = (
    &'static str,
    &'static str,
    Vec<WhatIf>,
    Option<(StepKind, Option<u16>, &'static str)>,
);

fn cases() -> Vec<Case> {
    use StepKind::*;
    const VM: &str = "vm-keyvault-system-assigned";
    const LIMITS: &str = "limitations";
    const FUNCS: &str = "functions-shared-uami-storage";
    const MODELS: &str = "keyvault-permission-models";
    vec![
        (VM, "read-secret", vec![], None),
        (
            VM,
            "read-secret",
            vec![WhatIf::NoMetadataHeader],
            Some((
                Endpoint,
                Some(400),
                "Required metadata header not specified",
            )),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::WrongAudience { resource: None }],
            Some((Validate, Some(401), "AKV10022")),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::RemoveRoleAssignment],
            Some((Access, Some(403), "ForbiddenByRbac")),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::ControlPlaneRoleOnly { role: None }],
            Some((Access, Some(403), "ForbiddenByRbac")),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::ControlPlaneRoleOnly {
                role: Some("Owner".into()),
            }],
            Some((Access, Some(403), "DeniedWithNoValidRBAC")),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::ExpiredToken],
            Some((Validate, Some(401), "expired")),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::DeleteResource { resource: None }],
            Some((Enable, None, "vm-web no longer exists")),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::DisableSystemAssigned],
            Some((Endpoint, Some(400), "Identity not found")),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::DeleteIdentity],
            Some((Endpoint, Some(400), "Identity not found")),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::CallFromOutside],
            Some((Endpoint, None, "connect ETIMEDOUT 169.254.169.254:80")),
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::PickIdentity {
                by: PickBy::ObjectId,
                identity: None,
            }],
            None,
        ),
        (
            VM,
            "read-secret",
            vec![WhatIf::AdvanceClock { minutes: 60 }],
            None,
        ),
        (
            LIMITS,
            "cached-token",
            vec![WhatIf::RunOnPremises { arc: false }],
            Some((Endpoint, None, "connect ETIMEDOUT 169.254.169.254:80")),
        ),
        (
            LIMITS,
            "cached-token",
            vec![WhatIf::RunOnPremises { arc: true }],
            None,
        ),
        (
            LIMITS,
            "new-assignment",
            vec![],
            Some((Access, Some(403), "AuthorizationPermissionMismatch")),
        ),
        (
            LIMITS,
            "new-assignment",
            vec![WhatIf::AdvanceClock { minutes: 10 }],
            None,
        ),
        (
            LIMITS,
            "new-assignment",
            vec![WhatIf::CrossTenant { from: None }],
            Some((Validate, Some(401), "InvalidAuthenticationInfo")),
        ),
        (
            "appservice-graph-approle",
            "list-users",
            vec![WhatIf::CachedToken],
            Some((Access, Some(403), "Authorization_RequestDenied")),
        ),
        (
            "appservice-graph-approle",
            "list-users",
            vec![WhatIf::RevokeAppRole],
            Some((Access, Some(403), "Authorization_RequestDenied")),
        ),
        (
            MODELS,
            "rbac-vault",
            vec![WhatIf::SwitchPermissionModel],
            Some((Access, Some(403), "AccessDenied")),
        ),
        (
            MODELS,
            "policy-vault",
            vec![WhatIf::RemoveAccessPolicy],
            Some((Access, Some(403), "AccessDenied")),
        ),
        (
            MODELS,
            "role-ignored",
            vec![],
            Some((Access, Some(403), "AccessDenied")),
        ),
        (FUNCS, "func-a-upload", vec![], None),
        (
            FUNCS,
            "func-a-upload",
            vec![WhatIf::NoClientId],
            Some((
                Endpoint,
                Some(400),
                "Unable to load the proper Managed Identity",
            )),
        ),
        (
            FUNCS,
            "func-a-upload",
            vec![WhatIf::DetachIdentity],
            Some((
                Endpoint,
                Some(400),
                "Unable to load the proper Managed Identity",
            )),
        ),
        (
            FUNCS,
            "func-a-upload",
            vec![WhatIf::PickIdentity {
                by: PickBy::ResourceId,
                identity: None,
            }],
            None,
        ),
        (
            FUNCS,
            "func-c-upload",
            vec![],
            Some((
                Endpoint,
                Some(400),
                "Unable to load the proper Managed Identity",
            )),
        ),
        (
            "least-privilege",
            "contributor-reads-blob",
            vec![],
            Some((Access, Some(403), "AuthorizationPermissionMismatch")),
        ),
        ("least-privilege", "contributor-lists-keys", vec![], None),
    ]
}

#[test]
fn each_what_if_ends_where_real_azure_fails() {
    for (id, name, what_ifs, expected) in cases() {
        let (scenario, sim) = load(id);
        let w = walk(&sim, flow(&scenario, name), &what_ifs)
            .unwrap_or_else(|e| panic!("{id}/{name} {what_ifs:?}: {e}"));
        let got = w.failure.as_ref().map(|f| (f.at, f.status));
        let want = expected.map(|(at, status, _)| (at, status));
        assert_eq!(got, want, "{id}/{name} {what_ifs:?}: {:?}", w.failure);
        if let (Some(f), Some((_, _, text))) = (&w.failure, expected) {
            assert!(
                f.error.contains(text),
                "{id}/{name} {what_ifs:?}: {}",
                f.error
            );
            assert_eq!(w.steps.last().map(|s| s.kind), Some(f.at));
            assert_eq!(w.steps.last().map(|s| s.status), Some(StepStatus::Failed));
        } else {
            assert_eq!(w.step_kinds(), StepKind::ALL, "{id}/{name} {what_ifs:?}");
        }
    }
}

/// Applies a fix the way the UI's "Fix it" does.
fn apply_fix(sim: &Simulation, what_ifs: &[WhatIf], fix: &Fix) -> (Simulation, Vec<WhatIf>) {
    let (mut sim, mut what_ifs) = (sim.clone(), what_ifs.to_vec());
    match &fix.action {
        FixAction::DropWhatIf { index } => {
            what_ifs.remove(*index);
        }
        FixAction::AddWhatIf { what_if } => what_ifs.push(what_if.clone()),
        FixAction::Apply { commands } => {
            for c in commands {
                sim.apply(c.clone()).unwrap();
            }
        }
        FixAction::Explain => {}
    }
    (sim, what_ifs)
}

#[test]
fn every_offered_fix_makes_the_flow_succeed() {
    let mut checked = 0;
    for (id, name, what_ifs, _) in cases() {
        let (scenario, sim) = load(id);
        let flow = flow(&scenario, name);
        let w = walk(&sim, flow, &what_ifs).unwrap();
        let Some(fix) = w.failure.and_then(|f| f.fix) else {
            continue;
        };
        if fix.action == FixAction::Explain {
            continue;
        }
        let (fixed, what_ifs_after) = apply_fix(&sim, &what_ifs, &fix);
        let again = walk(&fixed, flow, &what_ifs_after).unwrap();
        assert!(
            again.succeeded(),
            "{id}/{name}: fix {:?} left {:?}",
            fix,
            again.failure
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixes checked");
}

#[test]
fn world_fixes_are_the_smallest_change() {
    let cases = [
        (
            "least-privilege",
            "contributor-reads-blob",
            "Assign Storage Blob Data Reader to func-report at blob container reports, then wait 10 min for it to propagate",
        ),
        (
            "limitations",
            "new-assignment",
            "Wait 7 min for the role assignment to propagate",
        ),
        (
            "functions-shared-uami-storage",
            "func-c-upload",
            "Attach the user-assigned identity uami-shared to func-c",
        ),
        (
            "keyvault-permission-models",
            "role-ignored",
            "Add an access policy on kv-legacy giving app-portal secrets get",
        ),
        (
            "limitations",
            "on-premises",
            "Onboard the server to Azure Arc: the Connected Machine agent gives it a system-assigned identity and a local token endpoint",
        ),
    ];
    for (id, name, title) in cases {
        let (scenario, sim) = load(id);
        let w = walk(&sim, flow(&scenario, name), &[]).unwrap();
        let fix = w.failure.and_then(|f| f.fix).map(|f| f.title);
        assert_eq!(fix.as_deref(), Some(title), "{id}/{name}");
    }
}

#[test]
fn tokens_shown_verify_against_the_walkthrough_jwks() {
    let (scenario, sim) = load("vm-keyvault-system-assigned");
    let w = walk(&sim, flow(&scenario, "read-secret"), &[]).unwrap();
    let token = w
        .step(StepKind::Issue)
        .and_then(|s| s.token.clone())
        .unwrap();
    assert!(matches!(token.signature, SignatureStatus::Verified { .. }));
    let jwks = sim.platform.jwks(&sim.world);
    assert_eq!(w.jwks, jwks.to_json());
    assert!(crate::model::jwt::verify_signature(&token.raw, &jwks).is_ok());
    let names: Vec<&str> = token.claims.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "aud",
            "iss",
            "iat",
            "nbf",
            "exp",
            "aio",
            "appid",
            "appidacr",
            "idp",
            "idtyp",
            "oid",
            "rh",
            "sub",
            "tid",
            "uti",
            "ver",
            "xms_mirid"
        ]
    );
    assert!(
        token
            .claims
            .iter()
            .all(|c| !c.explanation.contains("does not explain"))
    );
    let exp = token.claims.iter().find(|c| c.name == "exp").unwrap();
    assert!(
        exp.date.as_deref().is_some_and(|d| d.ends_with('Z')),
        "{exp:?}"
    );
}

#[test]
fn the_cache_answers_the_second_request_with_the_same_token() {
    let (scenario, sim) = load("appservice-graph-approle");
    let w = walk(&sim, flow(&scenario, "list-users"), &[WhatIf::CachedToken]).unwrap();
    let issue = w.step(StepKind::Issue).unwrap();
    assert_eq!(issue.status, StepStatus::Cached);
    // The answer comes from the platform on the host, not from Entra ID: the host, its
    // endpoint and the identity take part, as in the request before it.
    let asked = &w.step(StepKind::Endpoint).unwrap().elements;
    assert_eq!(issue.elements[..asked.len()], asked[..]);
    assert!(
        !issue.elements.iter().any(|e| e.starts_with("entra:")),
        "{:?}",
        issue.elements
    );
    assert_eq!(issue.elements.len(), asked.len() + 1);
    let claims = &issue.token.as_ref().unwrap().claims;
    assert!(
        !claims.iter().any(|c| c.name == "roles"),
        "cached token predates the grant"
    );
    let fresh = walk(&sim, flow(&scenario, "list-users"), &[]).unwrap();
    let claims = &fresh
        .step(StepKind::Issue)
        .unwrap()
        .token
        .as_ref()
        .unwrap()
        .claims;
    let roles = claims
        .iter()
        .find(|c| c.name == "roles")
        .map(|c| c.value.clone());
    assert_eq!(roles, Some(serde_json::json!(["User.Read.All"])));
}

#[test]
fn walking_never_changes_the_simulation_it_is_given() {
    let (scenario, sim) = load("vm-keyvault-system-assigned");
    let before = sim.clone();
    let _ = walk(
        &sim,
        flow(&scenario, "read-secret"),
        &[
            WhatIf::RemoveRoleAssignment,
            WhatIf::DeleteResource { resource: None },
        ],
    );
    assert_eq!(sim, before);
}

#[test]
fn flows_that_name_unknown_things_are_errors_not_outcomes() {
    let (scenario, sim) = load("vm-keyvault-system-assigned");
    let base = flow(&scenario, "read-secret").clone();
    let cases: Vec<(Flow, &str)> = vec![
        (
            Flow {
                from: "vm-nope".into(),
                ..base.clone()
            },
            "no resource or on-premises server named \"vm-nope\"",
        ),
        (
            Flow {
                target: "kv-nope".into(),
                ..base.clone()
            },
            "no target named \"kv-nope\"",
        ),
        (
            Flow {
                operation: "readBlob c/b".into(),
                ..base.clone()
            },
            "operation \"readBlob\" does not apply to a key vault",
        ),
        (
            Flow {
                credential: Some("password".into()),
                ..base.clone()
            },
            "credential \"password\" is not one the walkthrough knows",
        ),
    ];
    for (flow, message) in cases {
        assert_eq!(walk(&sim, &flow, &[]).unwrap_err().to_string(), message);
    }
}

/// A compact, stable summary of a walkthrough for the golden file.
fn summary(w: &Walkthrough) -> String {
    let mut out = String::new();
    for (i, s) in w.steps.iter().enumerate() {
        let status = format!("{:?}", s.status).to_lowercase();
        out.push_str(&format!("  {} {} [{status}] {}\n", i + 1, s.kind, s.title));
        for h in &s.http {
            let first = h.response.lines().next().unwrap_or_default();
            out.push_str(&format!("      -> {first}\n"));
        }
    }
    match &w.failure {
        None => out.push_str("  result: success\n"),
        Some(f) => {
            let status = f.status.map(|s| format!(" ({s})")).unwrap_or_default();
            out.push_str(&format!(
                "  result: fails at {}{status}: {}\n",
                f.at, f.error
            ));
            if let Some(fix) = &f.fix {
                out.push_str(&format!("  fix: {}\n", fix.title));
            }
        }
    }
    out
}

#[test]
fn shipped_walkthroughs_match_the_golden_file() {
    let mut ids: Vec<String> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json") && n != "index.json")
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    ids.sort();
    let mut golden = String::new();
    for id in ids {
        let (scenario, sim) = load(&id);
        for f in &scenario.flows {
            let mut runs: Vec<(String, Vec<WhatIf>)> = vec![(String::new(), Vec::new())];
            for spec in &f.what_ifs {
                let what_if =
                    WhatIf::from_spec(spec).unwrap_or_else(|e| panic!("{id}/{}: {e}", f.name));
                runs.push((format!(" + {}", spec.change), vec![what_if]));
            }
            for (label, what_ifs) in runs {
                golden.push_str(&format!("== {id} / {}{label}\n", f.name));
                match walk(&sim, f, &what_ifs) {
                    Ok(w) => golden.push_str(&summary(&w)),
                    Err(e) => golden.push_str(&format!("  error: {e}\n")),
                }
            }
        }
    }
    let path = format!(
        "{}/tests/golden/walkthroughs.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("MI_SIM_BLESS").is_some() {
        std::fs::write(&path, &golden).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == golden,
        "walkthroughs differ from {path}; review and re-bless with MI_SIM_BLESS=1\n{}",
        first_difference(&expected, &golden)
    );
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  golden: {x}\n  now:    {y}", i + 1);
        }
    }
    format!(
        "lengths differ: {} vs {} lines",
        a.lines().count(),
        b.lines().count()
    )
}
