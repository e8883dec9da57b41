//! Tests of scenario files: every shipped scenario loads, builds and meets its access
//! expectations; each kind of mistake gets its exact message; export round-trips; no input
//! makes the loader panic.

use super::*;
use crate::model::world::{Command, SampleWorld};
use serde_json::Value;

/// A small valid scenario that the error cases below break one field at a time.
const BASE: &str = r#"{
  "version": 1,
  "title": "Base",
  "tenants": [{ "name": "contoso" }],
  "subscriptions": [{ "name": "Production" }],
  "resourceGroups": [{ "name": "rg-web" }, { "name": "rg-data" }],
  "userAssignedIdentities": [{ "name": "uami-shared", "resourceGroup": "rg-web" }],
  "resources": [
    { "name": "vm-web", "kind": "virtualMachine", "resourceGroup": "rg-web", "identity": { "systemAssigned": true } },
    { "name": "func-a", "kind": "functionApp", "resourceGroup": "rg-web", "identity": { "userAssigned": ["uami-shared"] } },
    { "name": "kv-prod", "kind": "keyVault", "resourceGroup": "rg-data", "secrets": ["db-password"] },
    { "name": "stdata", "kind": "storageAccount", "resourceGroup": "rg-data", "containers": ["uploads"] }
  ],
  "roleAssignments": [
    { "principal": "vm-web", "role": "Key Vault Secrets User", "scope": "kv-prod" },
    { "principal": "uami-shared", "role": "Storage Blob Data Contributor", "scope": "stdata/containers/uploads" }
  ],
  "flows": [
    { "name": "read-secret", "title": "Read", "from": "vm-web", "identity": "system", "target": "kv-prod", "operation": "getSecret db-password" }
  ],
  "expectations": [
    { "flow": "read-secret", "outcome": "success" },
    { "check": { "principal": "vm-web", "action": "Microsoft.KeyVault/vaults/secrets/getSecret/action", "scope": "kv-prod/secrets/db-password" }, "allowed": true }
  ]
}"#;

fn base() -> Value {
    serde_json::from_str(BASE).unwrap()
}

/// Applies `edit` to the base scenario and returns the loader's message.
fn error_after(edit: impl FnOnce(&mut Value)) -> String {
    let mut v = base();
    edit(&mut v);
    match Scenario::from_json(&v.to_string()) {
        Ok(_) => "loaded without error".to_string(),
        Err(e) => e.to_string(),
    }
}

fn load(text: &str) -> Scenario {
    match Scenario::from_json(text) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_base_scenario_loads_and_builds() {
    let s = load(BASE);
    let w = s.build_world().unwrap();
    assert!(w.identity_principal("vm-web").is_some());
    assert!(w.identity_principal("uami-shared").is_some());
    let results = s.check_expectations_access(&w);
    assert_eq!(results.len(), 1);
    assert!(results[0].passed, "{}", results[0]);
}

#[test]
fn each_kind_of_mistake_names_its_json_path() {
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "user-assigned identity that does not exist",
            |v| v["resources"][1]["identity"]["userAssigned"][0] = "uami-shard".into(),
            "$.resources[1].identity.userAssigned[0]: no user-assigned identity named \"uami-shard\" (did you mean \"uami-shared\"?)",
        ),
        (
            "misspelt role",
            |v| v["roleAssignments"][0]["role"] = "Key Vault Secret User".into(),
            "$.roleAssignments[0].role: no role named \"Key Vault Secret User\" (did you mean \"Key Vault Secrets User\"?)",
        ),
        (
            "unknown resource kind",
            |v| v["resources"][0]["kind"] = "vm".into(),
            "$.resources[0].kind: unknown kind \"vm\" (expected one of virtualMachine, virtualMachineScaleSet, appService, functionApp, logicApp, dataFactory, aksCluster, apiManagement, containerInstance, automationAccount, arcServer, keyVault, storageAccount, sqlServer, serviceBusNamespace, eventHubsNamespace)",
        ),
        (
            "newer format version",
            |v| v["version"] = 2.into(),
            "$: unsupported version 2 (this simulator reads version 1)",
        ),
        (
            "missing version",
            |v| {
                v.as_object_mut().unwrap().remove("version");
            },
            "$: missing field \"version\"",
        ),
        (
            "version as text",
            |v| v["version"] = "1".into(),
            "$.version: expected a whole number, found a string",
        ),
        (
            "unknown field in a flow",
            |v| {
                let flow = v["flows"][0].as_object_mut().unwrap();
                let from = flow.remove("from").unwrap();
                flow.insert("form".into(), from);
            },
            "$.flows[0]: unknown field \"form\" (did you mean \"from\"?)",
        ),
        (
            "unknown top-level field",
            |v| v["resouces"] = Value::Array(vec![]),
            "$: unknown field \"resouces\" (did you mean \"resources\"?)",
        ),
        (
            "missing required field",
            |v| {
                v["resources"][2]
                    .as_object_mut()
                    .unwrap()
                    .remove("resourceGroup");
            },
            "$.resources[2]: missing field \"resourceGroup\"",
        ),
        (
            "wrong type",
            |v| v["resources"][0]["identity"]["systemAssigned"] = "yes".into(),
            "$.resources[0].identity.systemAssigned: expected true or false, found a string",
        ),
        (
            "list where an object belongs",
            |v| v["clock"] = Value::Array(vec![]),
            "$.clock: expected an object, found a list",
        ),
        (
            "unknown resource group",
            |v| v["resources"][0]["resourceGroup"] = "rg-wbe".into(),
            "$.resources[0].resourceGroup: no resource group named \"rg-wbe\" (did you mean \"rg-web\"?)",
        ),
        (
            "principal without a system-assigned identity",
            |v| v["roleAssignments"][0]["principal"] = "kv-prod".into(),
            "$.roleAssignments[0].principal: kv-prod has no system-assigned identity (set \"identity\": {\"systemAssigned\": true} on it)",
        ),
        (
            "unknown principal",
            |v| v["roleAssignments"][0]["principal"] = "vm-webb".into(),
            "$.roleAssignments[0].principal: no identity named \"vm-webb\" (did you mean \"vm-web\"?)",
        ),
        (
            "scope naming a missing secret",
            |v| v["roleAssignments"][0]["scope"] = "kv-prod/secrets/db-pasword".into(),
            "$.roleAssignments[0].scope: no secret in kv-prod named \"db-pasword\" (did you mean \"db-password\"?)",
        ),
        (
            "scope with a child kind the resource cannot hold",
            |v| v["roleAssignments"][0]["scope"] = "kv-prod/containers/uploads".into(),
            "$.roleAssignments[0].scope: a keyVault holds no \"containers\" (it holds secrets, keys, certificates)",
        ),
        (
            "malformed scope path",
            |v| v["roleAssignments"][0]["scope"] = "kv-prod/secrets".into(),
            "$.roleAssignments[0].scope: \"kv-prod/secrets\" is not a scope path (expected a name, resource/kind/name such as stdata/containers/uploads, rg:, sub:, mg: or an id starting with /)",
        ),
        (
            "unknown subscription in a scope",
            |v| v["roleAssignments"][0]["scope"] = "sub:Prodution".into(),
            "$.roleAssignments[0].scope: no subscription named \"Prodution\" (did you mean \"Production\"?)",
        ),
        (
            "children on the wrong kind",
            |v| v["resources"][3]["secrets"] = serde_json::json!(["x"]),
            "$.resources[3].secrets: a storageAccount holds no secrets",
        ),
        (
            "duplicate resource name",
            |v| v["resources"][3]["name"] = "kv-prod".into(),
            "$.resources[3].name: a resource named \"kv-prod\" is declared twice",
        ),
        (
            "flow from a target",
            |v| v["flows"][0]["from"] = "kv-prod".into(),
            "$.flows[0].from: kv-prod is a keyVault: code runs on compute resources",
        ),
        (
            "unknown operation",
            |v| v["flows"][0]["operation"] = "readSecret db-password".into(),
            "$.flows[0].operation: unknown operation \"readSecret\" (expected one of getSecret, setSecret, listSecrets, getKey, getCertificate, readBlob, writeBlob, deleteBlob, listBlobs, sendMessage, readMessages, readEntities, listKeys, query, getResource, listUsers, getUser, listGroups)",
        ),
        (
            "operation on the wrong target",
            |v| v["flows"][0]["operation"] = "readBlob uploads/a.csv".into(),
            "$.flows[0].operation: readBlob needs a storageAccount target, and kv-prod is a keyVault",
        ),
        (
            "unknown step in speaker notes",
            |v| v["flows"][0]["speakerNotes"] = serde_json::json!({ "isue": "x" }),
            "$.flows[0].speakerNotes: unknown field \"isue\" (did you mean \"issue\"?)",
        ),
        (
            "unknown failsAt step",
            |v| v["expectations"][0] = serde_json::json!({ "flow": "read-secret", "outcome": "failure", "failsAt": "acess" }),
            "$.expectations[0].failsAt: unknown failsAt \"acess\" (expected one of enable, servicePrincipal, credential, endpoint, issue, call, validate, access, answer)",
        ),
        (
            "failure without failsAt",
            |v| {
                v["expectations"][0] =
                    serde_json::json!({ "flow": "read-secret", "outcome": "failure" })
            },
            "$.expectations[0]: missing field \"failsAt\"",
        ),
        (
            "expectation of an unknown flow",
            |v| v["expectations"][0]["flow"] = "read-secrets".into(),
            "$.expectations[0].flow: no flow named \"read-secrets\" (did you mean \"read-secret\"?)",
        ),
        (
            "expectation that is neither kind",
            |v| v["expectations"][0] = serde_json::json!({ "allowed": true }),
            "$.expectations[0]: expected an object with \"flow\" or \"check\"",
        ),
        (
            "check without a scope",
            |v| {
                v["expectations"][1]["check"]
                    .as_object_mut()
                    .unwrap()
                    .remove("scope");
            },
            "$.expectations[1].check: a check needs \"action\" and \"scope\", or \"appRole\"",
        ),
        (
            "unknown reason code",
            |v| v["expectations"][1]["reason"] = "NoRoleAsignment".into(),
            "$.expectations[1].reason: unknown reason \"NoRoleAsignment\" (expected one of AllowedByRoleAssignment, AllowedByAccessPolicy, AllowedByAppRole, DeniedByDenyAssignment, NotYetPropagated, NoRoleAssignment, NoAccessPolicy, AccessPolicyLacksPermission, NotGrantableByAccessPolicy, NoAppRole, IdentityNotFound)",
        ),
        (
            "identity selector with two keys",
            |v| {
                v["flows"][0]["identity"] =
                    serde_json::json!({ "clientId": "uami-shared", "objectId": "uami-shared" })
            },
            "$.flows[0].identity: name exactly one of \"clientId\", \"objectId\" or \"resourceId\"",
        ),
        (
            "identity selector naming an unknown identity",
            |v| v["flows"][0]["identity"] = serde_json::json!({ "resourceId": "uami-x" }),
            "$.flows[0].identity: no user-assigned identity named \"uami-x\"",
        ),
        (
            "app role not exposed by Graph",
            |v| v["appRoleGrants"] = serde_json::json!([{ "principal": "vm-web", "api": "Microsoft Graph", "role": "User.Read.Al" }]),
            "$.appRoleGrants[0].role: no app role of Microsoft Graph named \"User.Read.Al\" (did you mean \"User.Read.All\"?)",
        ),
        (
            "clock start that is not a time",
            |v| v["clock"] = serde_json::json!({ "start": "Monday 9am" }),
            "$.clock.start: \"Monday 9am\" is not a UTC time like 2026-01-05T09:30:00Z",
        ),
        (
            "clock start before the world starts",
            |v| v["clock"] = serde_json::json!({ "start": "2025-01-01T00:00:00Z" }),
            "$.clock.start: the simulated clock starts at 2026-01-05T09:00:00Z and cannot go back to 2025-01-01T00:00:00Z",
        ),
        (
            "negative minutes",
            |v| v["roleAssignments"][0]["createdMinutesAgo"] = (-5).into(),
            "$.roleAssignments[0].createdMinutesAgo: expected a whole number, found a number",
        ),
        (
            "management group parent declared later",
            |v| {
                v["managementGroups"] =
                    serde_json::json!([{ "name": "child", "parent": "root" }, { "name": "root" }])
            },
            "$.managementGroups[0].parent: management group \"root\" must be declared before \"child\"",
        ),
        (
            "exercise goal without an answer",
            |v| v["exercises"] = serde_json::json!([{ "id": "x", "task": "t", "goal": { "check": { "principal": "vm-web", "appRole": "User.Read.All" } } }]),
            "$.exercises[0].goal: missing field \"allowed\"",
        ),
        (
            "no tenant to default to",
            |v| v["tenants"] = Value::Array(vec![]),
            "$.subscriptions[0]: no tenant to default to: declare one in $.tenants",
        ),
    ];
    let mut failures = Vec::new();
    for (what, edit, expected) in cases {
        let got = error_after(edit);
        if got != expected {
            failures.push(format!("{what}:\n  expected {expected}\n  got      {got}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn malformed_json_is_reported_by_line_and_column() {
    let cases = [
        (
            "{\n  \"version\": 1,\n  \"title\": \"x\"\n  \"tags\": []\n}",
            "line 4, column 3: expected ',' or '}'",
        ),
        ("", "line 1, column 0: EOF while parsing a value"),
        (
            "{\"version\": 1,",
            "line 1, column 14: EOF while parsing a value",
        ),
        ("[1, 2]", "$: expected an object, found a list"),
    ];
    for (text, expected) in cases {
        assert_eq!(Scenario::from_json(text).unwrap_err().to_string(), expected);
    }
}

#[test]
fn world_refusals_carry_the_path_of_the_item_that_caused_them() {
    let mut v = base();
    v["roleAssignments"][1] = v["roleAssignments"][0].clone();
    let s = load(&v.to_string());
    assert_eq!(
        s.build_world().unwrap_err().to_string(),
        "$.roleAssignments[1]: The role assignment already exists. (code: RoleAssignmentExists)"
    );
}

#[test]
fn every_shipped_scenario_loads_builds_and_meets_its_access_expectations() {
    assert_eq!(SHIPPED.len(), 8);
    for shipped in SHIPPED {
        let s = Scenario::from_json(shipped.json).unwrap_or_else(|e| panic!("{}: {e}", shipped.id));
        assert_eq!(s.id.as_deref(), Some(shipped.id), "id of {}", shipped.id);
        assert!(
            !s.title.is_empty() && !s.description.is_empty(),
            "{}",
            shipped.id
        );
        assert!(!s.flows.is_empty(), "{} has no flow", shipped.id);
        assert!(
            s.flows.iter().all(|f| !f.speaker_notes.is_empty()),
            "{}: a flow without speaker notes",
            shipped.id
        );
        let world = s
            .build_world()
            .unwrap_or_else(|e| panic!("{}: {e}", shipped.id));
        let results = s.check_expectations_access(&world);
        assert!(
            results.iter().any(|r| r.expected.starts_with("allowed"))
                && results.iter().any(|r| r.expected.starts_with("denied")),
            "{} needs allowed and denied access expectations",
            shipped.id
        );
        let failed: Vec<String> = results
            .iter()
            .filter(|r| !r.passed)
            .map(ToString::to_string)
            .collect();
        assert!(failed.is_empty(), "{}:\n{}", shipped.id, failed.join("\n"));
        assert!(s.flow_expectations().count() >= 1, "{}", shipped.id);
    }
}

#[test]
fn shipped_scenarios_carry_at_least_six_exercises_covering_the_exam_themes() {
    let all: Vec<(String, Exercise)> = SHIPPED
        .iter()
        .flat_map(|sh| {
            let s = load(sh.json);
            s.exercises.into_iter().map(move |e| (sh.id.to_string(), e))
        })
        .collect();
    assert!(all.len() >= 6, "{} exercises", all.len());
    // The seed's exam tips, each with the exercise that practises it.
    let themes = [
        (
            "system- versus user-assigned",
            "functions-shared-uami-storage",
            "shared-identity-for-func-c",
        ),
        (
            "least privilege",
            "least-privilege",
            "least-privilege-reader",
        ),
        (
            "least privilege at the narrowest scope",
            "vm-keyvault-system-assigned",
            "one-secret-only",
        ),
        ("life cycle", "lifecycle", "identity-that-survives"),
        ("cross-tenant", "limitations", "cross-tenant-wall"),
        (
            "Graph app roles, not Azure RBAC",
            "appservice-graph-approle",
            "graph-needs-no-azure-role",
        ),
        (
            "no secrets in code",
            "secret-vs-federation",
            "retire-the-secret",
        ),
        (
            "access policies versus Azure RBAC",
            "keyvault-permission-models",
            "fix-legacy-vault",
        ),
    ];
    for (theme, scenario, id) in themes {
        assert!(
            all.iter()
                .any(|(s, x)| s == scenario && x.id == id && x.hint.is_some()),
            "{theme}: no exercise {id} with a hint in {scenario}"
        );
    }
}

#[test]
fn exercises_start_unsolved_where_the_model_can_grade_them() {
    for sh in SHIPPED {
        let s = load(sh.json);
        let world = s.build_world().unwrap();
        for x in &s.exercises {
            let g = s.grade_exercise(&world, &x.id).unwrap();
            assert_ne!(
                g,
                ExerciseGrade::Solved,
                "{}: exercise {} is solved from the start",
                sh.id,
                x.id
            );
        }
    }
}

#[test]
fn the_index_lists_every_shipped_scenario_with_its_title() {
    let index: Value = serde_json::from_str(shipped_index()).unwrap();
    let entries = index.as_array().unwrap();
    assert_eq!(entries.len(), SHIPPED.len());
    for (entry, sh) in entries.iter().zip(SHIPPED) {
        let s = load(sh.json);
        assert_eq!(entry["id"], sh.id);
        assert_eq!(entry["file"], format!("{}.json", sh.id));
        assert_eq!(entry["title"], s.title.as_str());
        let line = entry["description"].as_str().unwrap();
        assert!(!line.is_empty() && !line.contains('\n'), "{}", sh.id);
    }
}

#[test]
fn shipped_files_use_only_keys_the_schema_names() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenario.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut named = Vec::new();
    collect_property_names(&schema, &mut named);
    for sh in SHIPPED {
        let v: Value = serde_json::from_str(sh.json).unwrap();
        let mut used = Vec::new();
        collect_keys(&v, &mut used);
        // `args` of a what-if is a free map.
        for key in used {
            assert!(
                named.contains(&key) || key.starts_with("args."),
                "{}: key {key} is not in the schema",
                sh.id
            );
        }
    }
}

fn collect_property_names(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            map.values().for_each(|v| collect_property_names(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_property_names(v, out)),
        _ => {}
    }
}

fn collect_keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "args" {
                    if let Value::Object(args) = child {
                        out.extend(args.keys().map(|a| format!("args.{a}")));
                    }
                    out.push(k.clone());
                    continue;
                }
                out.push(k.clone());
                collect_keys(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|c| collect_keys(c, out)),
        _ => {}
    }
}

#[test]
fn the_shipped_schema_is_the_one_the_format_table_generates() {
    let generated = json_schema();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenario.schema.json");
    if std::env::var_os("MI_SIM_WRITE_SCHEMA").is_some() {
        let text = serde_json::to_string_pretty(&generated).unwrap() + "\n";
        std::fs::write(path, text).unwrap();
    }
    let shipped: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(
        shipped == generated,
        "static/scenario.schema.json is stale: run MI_SIM_WRITE_SCHEMA=1 cargo test --lib scenario"
    );
}

#[test]
fn kind_names_cover_every_resource_kind_but_identities() {
    use crate::model::world::ResourceKind;
    for kind in ResourceKind::ALL {
        let name = kind_name(kind);
        assert_eq!(
            name.is_none(),
            kind == ResourceKind::UserAssignedIdentity,
            "{kind:?}"
        );
        if let Some(n) = name {
            assert_eq!(kind_from_name(n), Some(kind));
        }
    }
}

#[test]
fn build_export_build_gives_an_equal_world_for_every_shipped_scenario() {
    for sh in SHIPPED.iter().map(|s| s.json).chain([BASE]) {
        let s = load(sh);
        let first = s.build_world().unwrap();
        let exported = Scenario::from_world(&first);
        let reread = load(&exported.to_json());
        assert_eq!(reread, exported, "export must survive its own JSON");
        let second = reread.build_world().unwrap();
        assert!(
            first == second,
            "round trip changed the world of {}",
            s.title
        );
    }
}

#[test]
fn scenario_json_round_trips_through_to_json() {
    for sh in SHIPPED {
        let s = load(sh.json);
        assert_eq!(load(&s.to_json()), s, "{}", sh.id);
    }
}

#[test]
fn export_of_an_edited_world_drops_orphans_and_rebuilds() {
    let mut w = SampleWorld::contoso_builder()
        .assign("vm-web", "Key Vault Secrets User", "kv-prod")
        .advance(30 * 60)
        .build()
        .unwrap();
    w.apply(Command::DeleteResource {
        resource: "vm-web".into(),
    })
    .unwrap();
    let exported = Scenario::from_world(&w);
    assert!(
        exported.role_assignments.is_empty(),
        "the orphan is dropped"
    );
    assert_eq!(
        exported.clock.start.as_deref(),
        Some("2026-01-05T09:30:00Z")
    );
    let rebuilt = exported.build_world().unwrap();
    assert!(rebuilt.resource_named("vm-web").is_none());
    assert_eq!(rebuilt.now(), w.now());
    assert_eq!(rebuilt.resources().len(), w.resources().len());
}

#[test]
fn a_role_assignment_can_be_staged_to_be_still_propagating() {
    let mut v = base();
    v["roleAssignments"][0]["createdMinutesAgo"] = 4.into();
    v["expectations"][1]["allowed"] = false.into();
    v["expectations"][1]["reason"] = "NotYetPropagated".into();
    let s = load(&v.to_string());
    let w = s.build_world().unwrap();
    assert_eq!(w.now().iso8601(), "2026-01-05T09:10:00Z");
    let r = s.check_expectations_access(&w);
    assert!(r[0].passed, "{}", r[0]);
    assert_eq!(
        r[0].to_string(),
        "PASS $.expectations[1]: vm-web: Microsoft.KeyVault/vaults/secrets/getSecret/action on kv-prod/secrets/db-password: expected denied (NotYetPropagated), got denied (NotYetPropagated)"
    );
}

#[test]
fn a_failed_expectation_says_what_happened() {
    let mut v = base();
    v["expectations"][1]["check"]["scope"] = "stdata/containers/uploads".into();
    let s = load(&v.to_string());
    let r = s.check_expectations_access(&s.build_world().unwrap());
    assert_eq!(
        r[0].to_string(),
        "FAIL $.expectations[1]: vm-web: Microsoft.KeyVault/vaults/secrets/getSecret/action on stdata/containers/uploads: expected allowed, got denied (NoRoleAssignment)"
    );
}

#[test]
fn scope_paths_parse_and_render() {
    let cases = [
        ("kv-prod", ScopePath::Name("kv-prod".into())),
        (
            "sub:Production",
            ScopePath::Subscription("Production".into()),
        ),
        (
            "mg:contoso-root",
            ScopePath::ManagementGroup("contoso-root".into()),
        ),
        ("rg:rg-data", ScopePath::ResourceGroup("rg-data".into())),
        (
            "stdata/containers/uploads",
            ScopePath::Child {
                resource: "stdata".into(),
                segment: "containers".into(),
                name: "uploads".into(),
            },
        ),
        (
            "/subscriptions/x",
            ScopePath::ArmId("/subscriptions/x".into()),
        ),
    ];
    for (text, expected) in cases {
        let parsed = ScopePath::parse(text).unwrap();
        assert_eq!(parsed, expected);
        assert_eq!(parsed.render(), text);
    }
    assert!(ScopePath::parse("").is_err());
    assert!(ScopePath::parse("sub:").is_err());
}

#[test]
fn flows_expose_operations_notes_and_what_ifs_as_data() {
    let s = load(shipped("vm-keyvault-system-assigned").unwrap().json);
    let flow = s.flow("read-secret").unwrap();
    assert_eq!(flow.operation_parts(), ("getSecret", Some("db-password")));
    assert_eq!(flow.identity, Some(IdentitySelector::SystemAssigned));
    assert!(
        flow.speaker_note("endpoint")
            .unwrap()
            .contains("169.254.169.254")
    );
    let op = operation("getSecret").unwrap();
    assert_eq!(
        op.action,
        "Microsoft.KeyVault/vaults/secrets/getSecret/action"
    );
    let missing = flow
        .what_ifs
        .iter()
        .find(|w| w.change == "removeRoleAssignment")
        .unwrap();
    let expect = missing.expect.as_ref().unwrap();
    assert_eq!(
        (expect.fails_at.as_deref(), expect.status),
        (Some("access"), Some(403))
    );
}

#[test]
fn no_input_makes_the_loader_panic() {
    let mut inputs: Vec<String> = Vec::new();
    for sh in SHIPPED {
        let text = sh.json;
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                inputs.push(text[..cut].to_string());
            }
            cut += 7;
        }
    }
    let garbage = [
        "null",
        "true",
        "1e999",
        "\"\"",
        "{}",
        "{\"version\": 1}",
        "{\"version\": -1}",
        "{\"version\": 1.5}",
        "{\"version\": 18446744073709551616}",
        "\u{feff}{}",
        "{\"version\":1,\"title\":\"t\",\"resources\":[null]}",
        "{\"version\":1,\"title\":\"t\",\"flows\":[{\"identity\":7}]}",
        "{\"version\":1,\"title\":\"t\",\"roleAssignments\":[{\"principal\":\"a\",\"role\":\"b\",\"scope\":\"c\",\"createdMinutesAgo\":99999999999999}]}",
    ];
    inputs.extend(garbage.iter().map(|g| g.to_string()));
    inputs.push("[".repeat(10_000));
    inputs.push(format!(
        "{{\"version\":1,\"title\":\"{}\"}}",
        "\u{1F600}".repeat(100)
    ));
    for input in &inputs {
        if let Ok(s) = Scenario::from_json(input) {
            let _ = s.build_world().map(|w| s.check_expectations_access(&w));
        }
    }
}

#[test]
fn the_loader_never_panics_on_mutated_shipped_files() {
    // Flip each value of every shipped file to other JSON types, one at a time.
    for sh in SHIPPED {
        let s: Value = serde_json::from_str(sh.json).unwrap();
        let mut paths = Vec::new();
        value_paths(&s, String::new(), &mut paths);
        for p in &paths {
            for replacement in [
                Value::Null,
                Value::Bool(true),
                0.into(),
                "".into(),
                serde_json::json!([]),
                serde_json::json!({}),
            ] {
                let mut v = s.clone();
                if let Some(slot) = v.pointer_mut(p) {
                    *slot = replacement;
                }
                if let Ok(s) = Scenario::from_json(&v.to_string()) {
                    let _ = s.build_world();
                }
            }
        }
    }
}

fn value_paths(v: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, c)| value_paths(c, format!("{here}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| value_paths(c, format!("{here}/{i}"), out)),
        _ => {}
    }
}

/// One edit a learner makes in the Edit tab (or with Fix it / the clock), as a model command
/// built against the current world.
#[derive(Clone, Copy)]
enum Edit {
    /// Add a role assignment: principal, role, scope path.
    Assign(&'static str, &'static str, &'static str),
    /// Remove the assignment of this role to this principal.
    Remove(&'static str, &'static str),
    /// Let minutes pass.
    Wait(i64),
    /// Attach a user-assigned identity: resource, identity.
    Attach(&'static str, &'static str),
    /// Give secrets get in a vault's access policy: vault, principal.
    SecretsGet(&'static str, &'static str),
}

fn apply_edit(sim: &mut crate::model::platform::Simulation, edit: Edit) {
    let w = &sim.world;
    let command = match edit {
        Edit::Assign(principal, role, scope) => Command::AddRoleAssignment {
            principal: principal.into(),
            role: role.into(),
            scope: resolve_scope_path(w, scope).unwrap().0,
            condition: None,
        },
        Edit::Remove(principal, role) => {
            let pid = principal_id(w, principal).unwrap();
            let assignment = w
                .role_assignments()
                .iter()
                .find(|a| {
                    a.principal_id == pid
                        && w.role_definition(a.role_definition_id).unwrap().role_name == role
                })
                .unwrap_or_else(|| panic!("{principal} has no {role}"))
                .id
                .clone();
            Command::RemoveRoleAssignment { assignment }
        }
        Edit::Wait(minutes) => Command::AdvanceClock {
            seconds: minutes * 60,
        },
        Edit::Attach(resource, identity) => Command::AttachUserAssigned {
            resource: resource.into(),
            identity: identity.into(),
        },
        Edit::SecretsGet(vault, principal) => Command::SetAccessPolicy {
            vault: vault.into(),
            principal: principal.into(),
            keys: Vec::new(),
            secrets: vec!["get".into()],
            certificates: Vec::new(),
        },
    };
    sim.apply(command).unwrap();
}

/// A shipped exercise: its message at the start, the smallest correct edits, and (where it has
/// a limit) a too-broad solution with its message.
struct ExerciseCase {
    scenario: &'static str,
    id: &'static str,
    at_start: &'static str,
    solution: &'static [Edit],
    too_broad: Option<(&'static [Edit], &'static str)>,
}

const EXERCISE_CASES: &[ExerciseCase] = &[
    ExerciseCase {
        scenario: "vm-keyvault-system-assigned",
        id: "one-secret-only",
        at_start: "vm-web reading secrets at kv-prod/secrets/api-key is still allowed (AllowedByRoleAssignment)",
        solution: &[
            Edit::Assign(
                "vm-web",
                "Key Vault Secrets User",
                "kv-prod/secrets/db-password",
            ),
            Edit::Wait(10),
            Edit::Remove("vm-web", "Key Vault Secrets User"),
            Edit::Remove("vm-web", "Reader"),
        ],
        too_broad: Some((
            &[
                Edit::Assign(
                    "vm-web",
                    "Key Vault Secrets User",
                    "kv-prod/secrets/db-password",
                ),
                Edit::Wait(10),
                Edit::Remove("vm-web", "Key Vault Secrets User"),
            ],
            "vm-web has Reader, broader than Key Vault Secrets User",
        )),
    },
    ExerciseCase {
        scenario: "functions-shared-uami-storage",
        id: "shared-identity-for-func-c",
        at_start: "func-c-upload still fails at the endpoint with 400",
        solution: &[Edit::Attach("func-c", "uami-shared")],
        too_broad: None,
    },
    ExerciseCase {
        scenario: "appservice-graph-approle",
        id: "graph-needs-no-azure-role",
        at_start: "app-hr reading sites at app-hr is still allowed (AllowedByRoleAssignment)",
        solution: &[Edit::Remove("app-hr", "Reader")],
        too_broad: None,
    },
    ExerciseCase {
        scenario: "lifecycle",
        id: "identity-that-survives",
        at_start: "uami-app reading secrets at kv-prod/secrets/db-password is still denied (NoRoleAssignment)",
        solution: &[
            Edit::Assign(
                "uami-app",
                "Key Vault Secrets User",
                "kv-prod/secrets/db-password",
            ),
            Edit::Wait(10),
        ],
        too_broad: Some((
            &[
                Edit::Assign("uami-app", "Key Vault Administrator", "kv-prod"),
                Edit::Wait(10),
            ],
            "uami-app has Key Vault Administrator, broader than Key Vault Secrets User",
        )),
    },
    ExerciseCase {
        scenario: "limitations",
        id: "cross-tenant-wall",
        at_start: "vm-web reading blobs at stdata/containers/reports is still denied (NotYetPropagated)",
        solution: &[Edit::Wait(10)],
        too_broad: Some((
            &[
                Edit::Assign("vm-web", "Storage Blob Data Contributor", "stdata"),
                Edit::Wait(10),
            ],
            "vm-web has Storage Blob Data Contributor, broader than Storage Blob Data Reader",
        )),
    },
    ExerciseCase {
        scenario: "least-privilege",
        id: "least-privilege-reader",
        at_start: "func-report reading blobs at stdata/containers/reports is still denied (NoRoleAssignment); contributor-reads-blob still fails at the access check with 403",
        solution: &[
            Edit::Assign(
                "func-report",
                "Storage Blob Data Reader",
                "stdata/containers/reports",
            ),
            Edit::Wait(10),
            Edit::Remove("func-report", "Contributor"),
        ],
        too_broad: Some((
            &[
                Edit::Assign(
                    "func-report",
                    "Storage Blob Data Reader",
                    "stdata/containers/reports",
                ),
                Edit::Wait(10),
            ],
            "func-report has Contributor, broader than Storage Blob Data Reader",
        )),
    },
    ExerciseCase {
        scenario: "keyvault-permission-models",
        id: "fix-legacy-vault",
        at_start: "app-portal reading secrets at kv-legacy/secrets/db-password is still denied (NoAccessPolicy); role-ignored still fails at the access check with 403",
        solution: &[Edit::SecretsGet("kv-legacy", "app-portal")],
        too_broad: None,
    },
    ExerciseCase {
        scenario: "secret-vs-federation",
        id: "retire-the-secret",
        at_start: "app-deploy-secret writing blobs at stdata/containers/releases is still allowed (AllowedByRoleAssignment)",
        solution: &[Edit::Remove(
            "app-deploy-secret",
            "Storage Blob Data Contributor",
        )],
        too_broad: None,
    },
];

fn graded_after(case: &ExerciseCase, edits: &[Edit]) -> ExerciseGrade {
    let s = load(shipped(case.scenario).unwrap().json);
    let mut sim = crate::model::platform::Simulation::new(s.build_world().unwrap());
    for e in edits {
        apply_edit(&mut sim, *e);
    }
    s.grade_in(&sim, case.id)
        .unwrap_or_else(|| panic!("{}: no exercise {}", case.scenario, case.id))
}

#[test]
fn every_shipped_exercise_is_graded_by_the_table() {
    let mut listed: Vec<(String, String)> = EXERCISE_CASES
        .iter()
        .map(|c| (c.scenario.to_string(), c.id.to_string()))
        .collect();
    let mut shipped_ids: Vec<(String, String)> = SHIPPED
        .iter()
        .flat_map(|sh| {
            load(sh.json)
                .exercises
                .into_iter()
                .map(|x| (sh.id.to_string(), x.id))
        })
        .collect();
    listed.sort();
    shipped_ids.sort();
    assert_eq!(listed, shipped_ids);
}

#[test]
fn each_shipped_exercise_starts_not_yet_with_what_is_still_wrong() {
    for case in EXERCISE_CASES {
        assert_eq!(
            graded_after(case, &[]),
            ExerciseGrade::NotYet {
                actual: case.at_start.to_string()
            },
            "{}",
            case.id
        );
    }
}

#[test]
fn each_shipped_exercise_is_solved_by_the_smallest_correct_edits() {
    for case in EXERCISE_CASES {
        assert_eq!(
            graded_after(case, case.solution),
            ExerciseGrade::Solved,
            "{}",
            case.id
        );
    }
}

#[test]
fn a_solution_broader_than_the_limit_is_too_broad() {
    for case in EXERCISE_CASES {
        let limited = load(shipped(case.scenario).unwrap().json)
            .exercises
            .iter()
            .any(|x| x.id == case.id && x.no_role_broader_than.is_some());
        assert_eq!(limited, case.too_broad.is_some(), "{}", case.id);
        if let Some((edits, message)) = case.too_broad {
            let grade = graded_after(case, edits);
            assert!(
                matches!(grade, ExerciseGrade::TooBroad { .. }),
                "{}: {grade:?}",
                case.id
            );
            assert_eq!(grade.to_string(), message, "{}", case.id);
        }
    }
}

#[test]
fn grading_names_both_parts_a_failure_goal_and_a_missing_flow() {
    let s = load(shipped("least-privilege").unwrap().json);
    let sim = crate::model::platform::Simulation::new(s.build_world().unwrap());
    let base = s.exercises[0].clone();
    let with = |f: &dyn Fn(&mut Exercise)| {
        let mut x = base.clone();
        f(&mut x);
        grade_exercise(&sim, &s, &x).to_string()
    };
    type Change = dyn Fn(&mut Exercise);
    let cases: [(&str, &Change, &str); 4] = [
        (
            "flow only, wanted to fail and it does",
            &|x| {
                x.goal.check = None;
                x.goal.outcome = Some("failure".into());
            },
            "solved",
        ),
        (
            "flow wanted to fail but succeeds",
            &|x| {
                x.goal.check = None;
                x.goal.flow = Some("contributor-lists-keys".into());
                x.goal.outcome = Some("failure".into());
            },
            "contributor-lists-keys still succeeds",
        ),
        (
            "unknown flow",
            &|x| {
                x.goal.check = None;
                x.goal.flow = Some("nope".into());
            },
            "the scenario has no flow named nope",
        ),
        (
            "access only, world-level grade agrees",
            &|x| x.goal.flow = None,
            "func-report reading blobs at stdata/containers/reports is still denied (NoRoleAssignment)",
        ),
    ];
    for (name, change, message) in cases {
        assert_eq!(with(change), message, "{name}");
    }
    let mut flow_only = base.clone();
    flow_only.goal.check = None;
    assert_eq!(grade(&sim.world, &flow_only), ExerciseGrade::NeedsFlow);
}
