//! Tests of the RBAC engine: inheritance, planes, notActions, wildcards, deny assignments,
//! propagation, Key Vault permission models, app roles, suggestions and the access matrix.

use super::*;
use crate::model::clock::MINUTE;
use crate::model::ids::ResourceId;
use crate::model::roles::Permission;
use crate::model::world::{
    ChildKind, Command, GRAPH_APP_ID, KeyVaultPermissionModel, SampleWorld, World,
};

const BLOB_READ: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
const GET_SECRET: &str = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
const ROLE_WRITE: &str = "Microsoft.Authorization/roleAssignments/write";

/// The sample world plus `grants` (principal, role, scope), with the clock moved past the
/// propagation delay.
fn world_with(grants: &[(&str, &str, &str)]) -> World {
    let mut b = SampleWorld::contoso_builder();
    for (principal, role, scope) in grants {
        b = b.assign(principal, role, scope);
    }
    b.advance(10 * MINUTE).build().unwrap()
}

fn container(w: &World) -> ResourceId {
    w.resource_named("stprod")
        .unwrap()
        .child_scope(ChildKind::BlobContainer, "reports")
}

fn secret(w: &World) -> ResourceId {
    w.resource_named("kv-prod")
        .unwrap()
        .child_scope(ChildKind::Secret, "db-password")
}

fn vm(w: &World) -> ObjectId {
    w.identity_principal("vm-web").unwrap()
}

fn texts(d: &Decision) -> Vec<String> {
    d.trace.iter().map(|l| l.text.clone()).collect()
}

#[test]
fn role_assignments_are_additive() {
    let w = world_with(&[
        ("vm-web", "Reader", "rg-data"),
        ("vm-web", "Storage Blob Data Reader", "stprod"),
    ]);
    let read_kv = check_access(
        &w,
        vm(&w),
        &Action::control("Microsoft.KeyVault/vaults/read"),
        &w.id_of("kv-prod").unwrap(),
    );
    let read_blob = check_access(&w, vm(&w), &Action::data(BLOB_READ), &container(&w));
    assert!(read_kv.allowed && read_blob.allowed);
    let only_reader = world_with(&[("vm-web", "Reader", "rg-data")]);
    assert!(
        !check_access(
            &only_reader,
            vm(&only_reader),
            &Action::data(BLOB_READ),
            &container(&only_reader)
        )
        .allowed
    );
}

#[test]
fn assignments_are_inherited_from_every_level_above_the_target() {
    let cases = [
        ("mg-corp", "inherited"),
        ("Production", "inherited"),
        ("rg-data", "inherited"),
        ("stprod", "inherited"),
        ("reports", "direct"),
    ];
    for (scope, whence) in cases {
        let scope_text = if scope == "reports" {
            container(&SampleWorld::contoso().unwrap()).0
        } else {
            scope.to_string()
        };
        let w = world_with(&[("vm-web", "Storage Blob Data Reader", &scope_text)]);
        let d = check_access(&w, vm(&w), &Action::data(BLOB_READ), &container(&w));
        assert!(d.allowed, "{scope}");
        let line = format!(
            "vm-web has Storage Blob Data Reader at {} ({whence})",
            match scope {
                "mg-corp" => "management group mg-corp",
                "Production" => "subscription Production",
                "rg-data" => "resource group rg-data",
                "stprod" => "Storage account stprod",
                _ => "blob container reports",
            }
        );
        assert!(texts(&d).contains(&line), "{scope}: {:#?}", texts(&d));
    }
}

#[test]
fn an_assignment_below_or_beside_the_target_does_not_apply() {
    let w = world_with(&[("vm-web", "Reader", "rg-web")]);
    let d = check_access(
        &w,
        vm(&w),
        &Action::control("Microsoft.KeyVault/vaults/read"),
        &w.id_of("kv-prod").unwrap(),
    );
    assert!(!d.allowed);
    assert_eq!(d.reason, DecisionReason::NoRoleAssignment);
    assert!(
        texts(&d).contains(
            &"1 other role assignment of vm-web is at scopes that do not contain the target"
                .to_string()
        )
    );
}

#[test]
fn not_actions_subtract_within_a_role_but_never_deny_across_roles() {
    let w = world_with(&[("vm-web", "Contributor", "Production")]);
    let d = check_access(
        &w,
        vm(&w),
        &Action::control(ROLE_WRITE),
        &w.id_of("stprod").unwrap(),
    );
    assert!(!d.allowed);
    assert!(texts(&d).contains(&"actions pattern '*' matches, but notActions 'Microsoft.Authorization/*/Write' subtracts it within this role (not a deny: another role may still grant it)".to_string()));

    let w = world_with(&[
        ("vm-web", "Contributor", "Production"),
        ("vm-web", "User Access Administrator", "rg-data"),
    ]);
    let d = check_access(
        &w,
        vm(&w),
        &Action::control(ROLE_WRITE),
        &w.id_of("stprod").unwrap(),
    );
    assert!(d.allowed);
    assert_eq!(
        d.decisive_line().unwrap().text,
        format!("actions pattern 'Microsoft.Authorization/*' matches '{ROLE_WRITE}'")
    );
}

#[test]
fn owner_cannot_read_blobs_but_a_data_role_on_the_container_can() {
    let w = world_with(&[("vm-web", "Owner", "stprod")]);
    let d = check_access(&w, vm(&w), &Action::data(BLOB_READ), &container(&w));
    assert!(!d.allowed);
    assert!(texts(&d).contains(&"actions pattern '*' matches the name, but actions never grant data actions, and no dataActions pattern matches".to_string()));
    assert_eq!(d.reason, DecisionReason::NoRoleAssignment);

    let scope = container(&SampleWorld::contoso().unwrap()).0;
    let w = world_with(&[("vm-web", "Storage Blob Data Reader", &scope)]);
    let d = check_access(&w, vm(&w), &Action::data(BLOB_READ), &container(&w));
    assert!(d.allowed);
    match &d.reason {
        DecisionReason::AllowedByRoleAssignment {
            role_name, pattern, ..
        } => {
            assert_eq!(
                (role_name.as_str(), pattern.as_str()),
                ("Storage Blob Data Reader", BLOB_READ)
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_denied_check_suggests_the_narrowest_role_at_the_narrowest_scope() {
    let w = world_with(&[("vm-web", "Owner", "Production")]);
    let d = check_access(&w, vm(&w), &Action::data(BLOB_READ), &container(&w));
    assert_eq!(
        d.suggestion,
        Some(Suggestion::AssignRole {
            role_id: crate::model::roles::well_known::STORAGE_BLOB_DATA_READER,
            role_name: "Storage Blob Data Reader".into(),
            scope: container(&w),
            scope_label: "blob container reports".into(),
        })
    );
    assert_eq!(
        d.suggestion.unwrap().to_string(),
        "Assign Storage Blob Data Reader at blob container reports"
    );
    let cases = [
        (Action::data(GET_SECRET), "Key Vault Secrets User"),
        (
            Action::control(ROLE_WRITE),
            "Role Based Access Control Administrator",
        ),
        (
            Action::data("Microsoft.ServiceBus/namespaces/messages/send/action"),
            "Azure Service Bus Data Sender",
        ),
    ];
    for (action, role) in cases {
        assert_eq!(
            least_privilege_role(&action).unwrap().role_name,
            role,
            "{}",
            action.name
        );
    }
    let blob_path = ResourceId(format!("{}/blobs/report.csv", container(&w)));
    let d = check_access(&w, vm(&w), &Action::data(BLOB_READ), &blob_path);
    assert!(
        matches!(d.suggestion, Some(Suggestion::AssignRole { ref scope, .. }) if *scope == container(&w))
    );
}

#[test]
fn actions_match_case_insensitively_and_with_wildcards_mid_string() {
    let w = world_with(&[
        ("vm-web", "Key Vault Reader", "kv-prod"),
        ("vm-web", "Storage Blob Data Reader", "stprod"),
    ]);
    let cases = [
        (
            Action::data("MICROSOFT.STORAGE/storageaccounts/BLOBSERVICES/containers/blobs/READ"),
            container(&w),
            true,
            BLOB_READ,
        ),
        (
            Action::control("Microsoft.KeyVault/vaults/secrets/read"),
            secret(&w),
            true,
            "Microsoft.KeyVault/vaults/*/read",
        ),
        (
            Action::control("microsoft.keyvault/VAULTS/keys/versions/read"),
            w.id_of("kv-prod").unwrap(),
            true,
            "Microsoft.KeyVault/vaults/*/read",
        ),
        (
            Action::control("Microsoft.KeyVault/vaults/write"),
            w.id_of("kv-prod").unwrap(),
            false,
            "",
        ),
    ];
    for (action, scope, allowed, pattern) in cases {
        let d = check_access(&w, vm(&w), &action, &scope);
        assert_eq!(d.allowed, allowed, "{}", action.name);
        if allowed {
            assert!(
                matches!(&d.reason, DecisionReason::AllowedByRoleAssignment { pattern: p, .. } if p == pattern),
                "{:?}",
                d.reason
            );
        }
    }
}

fn deny(principals: Vec<String>, exclude: Vec<String>, child_scopes_too: bool) -> Command {
    Command::AddDenyAssignment {
        name: "stack-lock".into(),
        scope: "rg-data".into(),
        principals,
        exclude_principals: exclude,
        permissions: Permission {
            actions: vec!["*/delete".into()],
            ..Permission::default()
        },
        do_not_apply_to_child_scopes: !child_scopes_too,
    }
}

#[test]
fn a_deny_assignment_beats_owner() {
    let everyone = vec!["00000000-0000-0000-0000-000000000000".to_string()];
    let mut w = world_with(&[("vm-web", "Owner", "Production")]);
    w.apply(deny(everyone.clone(), vec![], true)).unwrap();
    let delete = Action::control("Microsoft.Storage/storageAccounts/delete");
    let d = check_access(&w, vm(&w), &delete, &w.id_of("stprod").unwrap());
    assert!(!d.allowed);
    assert!(
        matches!(&d.reason, DecisionReason::DeniedByDenyAssignment { name, .. } if name == "stack-lock")
    );
    assert_eq!(
        d.decisive_line().unwrap().text,
        "Deny assignment 'stack-lock' at resource group rg-data denies '*/delete' to vm-web: deny assignments take precedence over role assignments"
    );
    assert_eq!(d.suggestion, None);
    assert!(
        check_access(
            &w,
            vm(&w),
            &Action::control("Microsoft.Storage/storageAccounts/write"),
            &w.id_of("stprod").unwrap()
        )
        .allowed
    );

    let cases = [
        (deny(everyone.clone(), vec!["vm-web".into()], true), true),
        (deny(everyone.clone(), vec![], false), true),
        (deny(vec!["id-shared".into()], vec![], true), true),
    ];
    for (command, allowed) in cases {
        let mut w = world_with(&[("vm-web", "Owner", "Production")]);
        w.apply(command.clone()).unwrap();
        assert_eq!(
            check_access(&w, vm(&w), &delete, &w.id_of("stprod").unwrap()).allowed,
            allowed,
            "{command:?}"
        );
    }
}

#[test]
fn an_assignment_takes_effect_only_after_the_propagation_delay() {
    let mut w = SampleWorld::contoso_builder()
        .assign("vm-web", "Key Vault Secrets User", "kv-prod")
        .build()
        .unwrap();
    let action = Action::data(GET_SECRET);
    w.apply(Command::AdvanceClock {
        seconds: 5 * MINUTE,
    })
    .unwrap();
    let d = check_access(&w, vm(&w), &action, &secret(&w));
    assert!(!d.allowed);
    assert!(matches!(
        d.reason,
        DecisionReason::NotYetPropagated {
            seconds_left: 300,
            ..
        }
    ));
    assert_eq!(
        d.decisive_line().unwrap().text,
        format!(
            "dataActions pattern '{GET_SECRET}' matches, but the assignment is still propagating: effective in 5 min"
        )
    );
    assert_eq!(
        d.suggestion,
        Some(Suggestion::WaitForPropagation { seconds: 300 })
    );
    w.apply(Command::AdvanceClock {
        seconds: 5 * MINUTE,
    })
    .unwrap();
    assert!(check_access(&w, vm(&w), &action, &secret(&w)).allowed);

    let mut instant = SampleWorld::contoso_builder()
        .run(Command::SetPropagationDelay { seconds: 0 })
        .assign("vm-web", "Key Vault Secrets User", "kv-prod")
        .build()
        .unwrap();
    assert!(check_access(&instant, vm(&instant), &action, &secret(&instant)).allowed);
    instant
        .apply(Command::SetPropagationDelay { seconds: 3600 })
        .unwrap();
    assert!(!check_access(&instant, vm(&instant), &action, &secret(&instant)).allowed);
}

#[test]
fn access_policy_vaults_ignore_rbac_and_rbac_vaults_ignore_access_policies() {
    let mut w = world_with(&[("vm-web", "Key Vault Secrets User", "kv-prod")]);
    w.apply(Command::SetAccessPolicy {
        vault: "kv-prod".into(),
        principal: "func-api-missing".into(),
        keys: vec![],
        secrets: vec![],
        certificates: vec![],
    })
    .unwrap_err();
    w.apply(Command::EnableSystemAssigned {
        resource: "func-api".into(),
    })
    .unwrap();
    w.apply(Command::SetAccessPolicy {
        vault: "kv-prod".into(),
        principal: "func-api".into(),
        keys: vec![],
        secrets: vec!["Get".into(), "list".into()],
        certificates: vec![],
    })
    .unwrap();
    let func = w.identity_principal("func-api").unwrap();
    let action = Action::data(GET_SECRET);

    // RBAC model: the role assignment counts, the access policy does not.
    let d = check_access(&w, vm(&w), &action, &secret(&w));
    assert!(d.allowed);
    assert!(texts(&d).contains(&"Key vault kv-prod uses the Azure RBAC permission model: its 1 access policy is ignored".to_string()));
    assert!(!check_access(&w, func, &action, &secret(&w)).allowed);

    w.apply(Command::SetKeyVaultPermissionModel {
        vault: "kv-prod".into(),
        model: KeyVaultPermissionModel::AccessPolicies,
    })
    .unwrap();
    let d = check_access(&w, func, &action, &secret(&w));
    assert!(d.allowed);
    assert_eq!(
        d.reason,
        DecisionReason::AllowedByAccessPolicy {
            vault: "kv-prod".into(),
            permission: "secrets get".into()
        }
    );
    let d = check_access(&w, vm(&w), &action, &secret(&w));
    assert!(!d.allowed);
    assert_eq!(
        d.reason,
        DecisionReason::NoAccessPolicy {
            vault: "kv-prod".into()
        }
    );
    assert_eq!(
        d.suggestion.unwrap().to_string(),
        "Add secrets get to this principal's access policy on kv-prod"
    );
    let d = check_access(
        &w,
        func,
        &Action::data("Microsoft.KeyVault/vaults/secrets/setSecret/action"),
        &secret(&w),
    );
    assert_eq!(
        d.reason,
        DecisionReason::AccessPolicyLacksPermission {
            vault: "kv-prod".into(),
            permission: "secrets set".into()
        }
    );
    // The control plane stays RBAC.
    assert!(
        !check_access(
            &w,
            func,
            &Action::control("Microsoft.KeyVault/vaults/read"),
            &w.id_of("kv-prod").unwrap()
        )
        .allowed
    );
}

#[test]
fn graph_app_role_checks_say_whether_the_principal_holds_the_role() {
    let mut w = world_with(&[]);
    let d = check_app_role(&w, vm(&w), GRAPH_APP_ID, "User.Read.All");
    assert!(!d.allowed);
    assert_eq!(
        texts(&d)[0],
        "Does vm-web hold the app role User.Read.All on Microsoft Graph?"
    );
    assert_eq!(
        d.suggestion,
        Some(Suggestion::GrantAppRole {
            app_role: "User.Read.All".into()
        })
    );
    w.apply(Command::GrantAppRole {
        principal: "vm-web".into(),
        resource_app: "Microsoft Graph".into(),
        app_role: "User.Read.All".into(),
    })
    .unwrap();
    let d = check_app_role(&w, vm(&w), GRAPH_APP_ID, "User.Read.All");
    assert!(d.allowed);
    assert_eq!(
        d.decisive_line().unwrap().text,
        "vm-web holds User.Read.All on Microsoft Graph"
    );
}

#[test]
fn a_deleted_principal_keeps_its_orphaned_assignments_until_removed() {
    let mut w = world_with(&[("vm-web", "Storage Blob Data Reader", "stprod")]);
    let oid = vm(&w);
    w.apply(Command::DisableSystemAssigned {
        resource: "vm-web".into(),
    })
    .unwrap();
    let d = check_access(&w, oid, &Action::data(BLOB_READ), &container(&w));
    assert!(
        d.allowed,
        "tokens issued before deletion are still honoured by RBAC"
    );
    assert!(texts(&d)[0].starts_with("May vm-web (deleted) perform"));
    let id = w.role_assignments()[0].id.clone();
    w.apply(Command::RemoveRoleAssignment { assignment: id })
        .unwrap();
    assert!(!check_access(&w, oid, &Action::data(BLOB_READ), &container(&w)).allowed);
}

#[test]
fn custom_roles_are_assignable_only_within_their_scopes() {
    let mut w = world_with(&[]);
    let rg_data = w.resolve_scope("rg-data").unwrap().id.0;
    w.apply(Command::AddCustomRole {
        name: "Blob peeker".into(),
        description: "Reads blobs".into(),
        permissions: vec![Permission {
            data_actions: vec![BLOB_READ.into()],
            ..Permission::default()
        }],
        assignable_scopes: vec![rg_data],
    })
    .unwrap();
    let before = w.clone();
    assert_eq!(
        w.apply(Command::AddRoleAssignment {
            principal: "vm-web".into(),
            role: "Blob peeker".into(),
            scope: "rg-web".into(),
            condition: None
        }),
        Err(
            crate::model::world::CommandError::RoleNotAssignableAtScope {
                role: "Blob peeker".into(),
                scope: w.resolve_scope("rg-web").unwrap().id.0
            }
        )
    );
    assert_eq!(w, before);
    w.apply(Command::AddRoleAssignment {
        principal: "vm-web".into(),
        role: "blob PEEKER".into(),
        scope: "stprod".into(),
        condition: Some("@Resource[x] StringEquals 'y'".into()),
    })
    .unwrap();
    w.apply(Command::AdvanceClock { seconds: 600 }).unwrap();
    let d = check_access(&w, vm(&w), &Action::data(BLOB_READ), &container(&w));
    assert!(d.allowed);
    assert!(texts(&d).contains(&"The assignment carries a condition (treated as met by the simulator): @Resource[x] StringEquals 'y'".to_string()));
}

#[test]
fn actions_are_classified_into_data_and_control_planes() {
    let cases = [
        (BLOB_READ, true),
        (GET_SECRET, true),
        (
            "Microsoft.ServiceBus/namespaces/queues/messages/send/action",
            true,
        ),
        ("Microsoft.Compute/virtualMachines/read", false),
        (ROLE_WRITE, false),
        (
            "Microsoft.Storage/storageAccounts/blobServices/containers/read",
            false,
        ),
    ];
    for (name, is_data) in cases {
        assert_eq!(Action::classify(name).is_data, is_data, "{name}");
    }
}

#[test]
fn every_trace_marks_exactly_one_decisive_line_and_ends_with_the_reason() {
    let w = world_with(&[
        ("vm-web", "Reader", "Production"),
        ("vm-web", "Storage Blob Data Reader", "stprod"),
    ]);
    for action in [
        Action::data(BLOB_READ),
        Action::data(GET_SECRET),
        Action::control(ROLE_WRITE),
    ] {
        let d = check_access(&w, vm(&w), &action, &container(&w));
        assert_eq!(
            d.trace.iter().filter(|l| l.decisive).count(),
            1,
            "{}",
            action.name
        );
        let last = d.trace.last().unwrap();
        assert_eq!(
            (last.kind, last.text.clone()),
            (TraceKind::Result, d.reason.to_string())
        );
    }
}

#[test]
fn the_access_matrix_agrees_with_check_access_cell_by_cell() {
    let mut b = SampleWorld::contoso_builder()
        .resource(
            "Production",
            "rg-web",
            "vm-two",
            crate::model::world::ResourceKind::VirtualMachine,
        )
        .system_assigned("vm-two")
        .system_assigned("func-api")
        .assign("vm-web", "Storage Blob Data Reader", "rg-data")
        .assign("vm-two", "Owner", "Production")
        .assign("id-shared", "Storage Blob Data Owner", "mg-corp")
        .assign("func-api", "Key Vault Secrets User", "kv-prod")
        .run(deny(
            vec!["00000000-0000-0000-0000-000000000000".into()],
            vec!["id-shared".into()],
            true,
        ))
        .advance(10 * MINUTE)
        .assign("func-api", "Storage Blob Data Contributor", "stprod");
    b = b.run(Command::SetAccessPolicy {
        vault: "kv-prod".into(),
        principal: "vm-two".into(),
        keys: vec![],
        secrets: vec!["get".into()],
        certificates: vec![],
    });
    let mut w = b.build().unwrap();
    let actions = [
        Action::data(BLOB_READ),
        Action::data(GET_SECRET),
        Action::control("Microsoft.Storage/storageAccounts/delete"),
        Action::control("Microsoft.Compute/virtualMachines/read"),
    ];
    for round in 0..2 {
        if round == 1 {
            w.apply(Command::SetKeyVaultPermissionModel {
                vault: "kv-prod".into(),
                model: KeyVaultPermissionModel::AccessPolicies,
            })
            .unwrap();
        }
        for action in &actions {
            let m = access_matrix(&w, action);
            assert_eq!(m.principals.len(), 4);
            for (p, principal) in m.principals.iter().enumerate() {
                for (r, resource) in m.resources.iter().enumerate() {
                    let d = check_access(&w, *principal, action, resource);
                    assert_eq!(
                        m.allowed(p, r),
                        d.allowed,
                        "{} {principal} {resource} round {round}",
                        action.name
                    );
                }
            }
            assert!(m.allowed_count() > 0, "{}", action.name);
        }
    }
}

#[test]
fn the_nearest_granting_assignment_decides_whatever_order_they_were_made_in() {
    // Each grants blob reads; the trace lists them nearest first and the nearest decides.
    let grants = [
        ("vm-web", "Storage Blob Data Reader", "mg-corp"),
        ("vm-web", "Storage Blob Data Contributor", "Production"),
        ("vm-web", "Storage Blob Data Owner", "rg-data"),
        ("vm-web", "Storage Blob Data Reader", "stprod"),
        ("vm-web", "Storage Blob Data Contributor", "stprod"),
    ];
    let expected_lines = [
        "vm-web has Storage Blob Data Contributor at Storage account stprod (inherited)",
        "vm-web has Storage Blob Data Reader at Storage account stprod (inherited)",
        "vm-web has Storage Blob Data Owner at resource group rg-data (inherited)",
        "vm-web has Storage Blob Data Contributor at subscription Production (inherited)",
        "vm-web has Storage Blob Data Reader at management group mg-corp (inherited)",
    ];
    let orders: [[usize; 5]; 4] = [
        [0, 1, 2, 3, 4],
        [4, 3, 2, 1, 0],
        [2, 0, 4, 1, 3],
        [3, 4, 1, 0, 2],
    ];
    let mut decisions = Vec::new();
    for order in orders {
        let w = world_with(&order.map(|i| grants[i]));
        let d = check_access(&w, vm(&w), &Action::data(BLOB_READ), &container(&w));
        let lines: Vec<String> = texts(&d)
            .into_iter()
            .filter(|t| t.starts_with("vm-web has "))
            .collect();
        assert_eq!(lines, expected_lines, "{order:?}");
        let DecisionReason::AllowedByRoleAssignment {
            assignment_id,
            role_name,
            pattern,
        } = &d.reason
        else {
            panic!("{order:?}: {:?}", d.reason);
        };
        let decisive = w
            .role_assignments()
            .iter()
            .find(|a| &a.id == assignment_id)
            .map(|a| a.scope.as_str().to_string());
        assert_eq!(
            (role_name.as_str(), pattern.as_str(), decisive),
            (
                "Storage Blob Data Contributor",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
                w.id_of("stprod").map(|id| id.as_str().to_string())
            ),
            "{order:?}"
        );
        decisions.push((d.allowed, texts(&d)));
    }
    assert!(decisions.windows(2).all(|w| w[0] == w[1]));
}
