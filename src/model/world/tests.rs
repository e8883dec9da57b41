//! Tests of the world: identities, life cycle, moves, tenant transfer, commands and errors.

use super::*;
use crate::model::ids::ClientId;
use crate::model::roles::Permission;

fn sample() -> World {
    SampleWorld::contoso().unwrap()
}

fn apply(world: &mut World, command: Command) -> Vec<String> {
    world
        .apply(command)
        .unwrap()
        .iter()
        .map(|e| e.to_string())
        .collect()
}

fn assign(principal: &str, role: &str, scope: &str) -> Command {
    Command::AddRoleAssignment {
        principal: principal.into(),
        role: role.into(),
        scope: scope.into(),
        condition: None,
    }
}

fn sp_of(world: &World, name: &str) -> ServicePrincipal {
    let id = world.identity_principal(name).unwrap();
    world.service_principal(id).unwrap().1.clone()
}

#[test]
fn sample_world_has_the_documented_shape() {
    let w = sample();
    assert_eq!(w.tenants().len(), 2);
    assert_eq!(w.subscriptions()[0].name, "Production");
    let vm = w.resource_named("vm-web").unwrap();
    assert_eq!(
        vm.id.as_str(),
        format!(
            "/subscriptions/{}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-web",
            w.subscriptions()[0].id
        )
    );
    assert_eq!(
        w.resolve_scope("reports").unwrap_err(),
        CommandError::ScopeNotFound {
            scope: "reports".into()
        }
    );
    let container = w
        .resource_named("stprod")
        .unwrap()
        .child_scope(ChildKind::BlobContainer, "reports");
    assert!(container.as_str().ends_with("/providers/Microsoft.Storage/storageAccounts/stprod/blobServices/default/containers/reports"));
    let resolved = w.resolve_scope(container.as_str()).unwrap();
    assert_eq!(
        (resolved.level, resolved.label.as_str()),
        (ScopeLevel::ChildResource, "blob container reports")
    );
    let graph = w.tenants()[0].graph().unwrap();
    assert_eq!(
        graph.app_id.to_string(),
        "00000003-0000-0000-c000-000000000000"
    );
    assert_eq!(graph.app_roles[0].value, "User.Read.All");
    assert_eq!(
        graph.app_roles[0].id.to_string(),
        "df021288-bdef-4463-88db-98f22de89214"
    );
}

#[test]
fn scopes_resolve_by_id_or_name_at_every_level() {
    let w = sample();
    let sub = w.subscriptions()[0].id;
    let cases = [
        (
            "mg-corp",
            ScopeLevel::ManagementGroup,
            "management group mg-corp".to_string(),
        ),
        (
            "Production",
            ScopeLevel::Subscription,
            "subscription Production".to_string(),
        ),
        (
            "rg-data",
            ScopeLevel::ResourceGroup,
            "resource group rg-data".to_string(),
        ),
        (
            "kv-prod",
            ScopeLevel::Resource,
            "Key vault kv-prod".to_string(),
        ),
        (
            &*format!("/SUBSCRIPTIONS/{sub}/resourcegroups/RG-DATA"),
            ScopeLevel::ResourceGroup,
            "resource group rg-data".to_string(),
        ),
        (
            &*format!(
                "/subscriptions/{sub}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-prod/secrets/db-password"
            ),
            ScopeLevel::ChildResource,
            "secret db-password".to_string(),
        ),
    ];
    for (text, level, label) in cases {
        let resolved = w.resolve_scope(text).unwrap();
        assert_eq!((resolved.level, resolved.label), (level, label), "{text}");
    }
    let missing = format!(
        "/subscriptions/{sub}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-prod/secrets/nope"
    );
    assert_eq!(
        w.resolve_scope(&missing),
        Err(CommandError::ScopeNotFound {
            scope: missing.clone()
        })
    );
}

#[test]
fn enabling_system_assigned_creates_a_managed_identity_service_principal() {
    let w = sample();
    let vm = w.resource_named("vm-web").unwrap();
    let sa = vm.system_assigned.unwrap();
    let sp = sp_of(&w, "vm-web");
    assert_eq!(sp.object_id, sa.principal_id);
    assert_eq!(sp.app_id, sa.client_id);
    assert_eq!(sp.display_name, "vm-web");
    assert_eq!(
        sp.service_principal_type,
        ServicePrincipalType::ManagedIdentity
    );
    assert_eq!(
        sp.alternative_names,
        vec!["isExplicit=False".to_string(), vm.id.0.clone()]
    );
    assert_eq!(sa.tenant_id, w.tenants()[0].id);

    let uami = w.resource_named("id-shared").unwrap();
    let usp = sp_of(&w, "id-shared");
    assert_eq!(
        usp.alternative_names,
        vec!["isExplicit=True".to_string(), uami.id.0.clone()]
    );
    assert!(uami.id.as_str().ends_with("/resourceGroups/rg-data/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-shared"));
}

#[test]
fn events_say_what_happened_in_plain_words() {
    let mut w = sample();
    let events = apply(
        &mut w,
        Command::EnableSystemAssigned {
            resource: "func-api".into(),
        },
    );
    let sa = w
        .resource_named("func-api")
        .unwrap()
        .system_assigned
        .unwrap();
    assert_eq!(
        events,
        vec![format!(
            "Entra ID created service principal func-api (object id {}, client id {})",
            sa.principal_id, sa.client_id
        )]
    );
    let events = apply(&mut w, Command::AdvanceClock { seconds: 10 * 60 });
    assert_eq!(events, vec!["Clock advanced to Day 0 09:10".to_string()]);
    let events = apply(
        &mut w,
        assign("func-api", "Key Vault Secrets User", "kv-prod"),
    );
    let kv = w.id_of("kv-prod").unwrap();
    assert_eq!(
        events,
        vec![format!(
            "Role assignment created: func-api has Key Vault Secrets User at {kv} (effective in 10 min)"
        )]
    );
}

#[test]
fn identity_block_renders_exactly_as_arm_returns_it() {
    let mut w = sample();
    let kv = w.resource_named("kv-prod").unwrap().clone();
    assert_eq!(
        serde_json::to_string(&identity_block(&w, &kv)).unwrap(),
        r#"{"type":"None"}"#
    );

    let vm = w.resource_named("vm-web").unwrap().clone();
    let sa = vm.system_assigned.unwrap();
    assert_eq!(
        serde_json::to_string(&identity_block(&w, &vm)).unwrap(),
        format!(
            r#"{{"type":"SystemAssigned","principalId":"{}","tenantId":"{}"}}"#,
            sa.principal_id, sa.tenant_id
        )
    );

    apply(
        &mut w,
        Command::AttachUserAssigned {
            resource: "vm-web".into(),
            identity: "id-shared".into(),
        },
    );
    apply(
        &mut w,
        Command::AttachUserAssigned {
            resource: "func-api".into(),
            identity: "id-shared".into(),
        },
    );
    let uami = w.resource_named("id-shared").unwrap().clone();
    let props = uami.identity.clone().unwrap();
    let vm = w.resource_named("vm-web").unwrap().clone();
    assert_eq!(
        serde_json::to_string(&identity_block(&w, &vm)).unwrap(),
        format!(
            r#"{{"type":"SystemAssigned, UserAssigned","principalId":"{}","tenantId":"{}","userAssignedIdentities":{{"{}":{{"principalId":"{}","clientId":"{}"}}}}}}"#,
            sa.principal_id, sa.tenant_id, uami.id, props.principal_id, props.client_id
        )
    );
    let func = w.resource_named("func-api").unwrap().clone();
    assert_eq!(
        serde_json::to_string(&identity_block(&w, &func)).unwrap(),
        format!(
            r#"{{"type":"UserAssigned","userAssignedIdentities":{{"{}":{{"principalId":"{}","clientId":"{}"}}}}}}"#,
            uami.id, props.principal_id, props.client_id
        )
    );
    let json = resource_json(&w, &func);
    assert_eq!(json["type"], "Microsoft.Web/sites");
    assert_eq!(json["kind"], "functionapp");
    assert_eq!(json["name"], "func-api");
    assert_eq!(json["location"], "westeurope");
    assert_eq!(json["identity"]["type"], "UserAssigned");
    let kv_json = resource_json(&w, &kv);
    assert!(kv_json.get("identity").is_none());
    assert_eq!(kv_json["properties"]["enableRbacAuthorization"], true);
}

#[test]
fn replaying_the_same_commands_gives_the_same_world_and_it_round_trips_through_json() {
    let (a, b) = (sample(), sample());
    assert_eq!(a, b);
    let text = crate::model::json::to_text(&a);
    let back: World = crate::model::json::from_text(&text).unwrap();
    assert_eq!(back, a);
    let command = assign("vm-web", "Reader", "rg-web");
    let json = crate::model::json::to_text(&command);
    assert_eq!(
        crate::model::json::from_text::<Command>(&json).unwrap(),
        command
    );
}

#[test]
fn deleting_a_resource_deletes_its_identity_and_orphans_its_assignments() {
    let mut w = sample();
    apply(
        &mut w,
        Command::AttachUserAssigned {
            resource: "vm-web".into(),
            identity: "id-shared".into(),
        },
    );
    apply(&mut w, assign("vm-web", "Reader", "rg-data"));
    apply(&mut w, assign("id-shared", "Reader", "vm-web"));
    let oid = w.identity_principal("vm-web").unwrap();
    apply(&mut w, Command::AdvanceClock { seconds: 3600 });
    let events = apply(
        &mut w,
        Command::DeleteResource {
            resource: "vm-web".into(),
        },
    );
    assert_eq!(events.len(), 5, "{events:#?}");
    assert!(events[0].starts_with("Resource vm-web deleted"));
    assert!(events[1].starts_with(&format!(
        "Entra ID deleted service principal vm-web (object id {oid})"
    )));
    assert!(events[2].ends_with("(Reader) is now an orphan: its principal was deleted (shown as \"Identity not found\", type \"Unknown\")"));
    assert_eq!(
        events[3],
        "User-assigned identity id-shared is left alone: it has its own life cycle"
    );
    assert!(events[4].ends_with("(Reader) is now an orphan: its scope no longer exists"));

    assert!(w.service_principal(oid).is_none());
    let (_, deleted) = w.deleted_principal(oid).unwrap();
    assert_eq!(deleted.deleted_at, w.now());
    assert_eq!(w.role_assignments().len(), 2);
    let orphans: Vec<Option<OrphanReason>> = w
        .role_assignments()
        .iter()
        .map(|a| w.orphan_reason(a))
        .collect();
    assert_eq!(
        orphans,
        vec![
            Some(OrphanReason::PrincipalDeleted),
            Some(OrphanReason::ScopeGone)
        ]
    );
    let info = w.principal_info(oid);
    assert_eq!(
        (
            info.display_name.as_str(),
            info.principal_type.as_str(),
            info.exists
        ),
        ("Identity not found", "Unknown", false)
    );
    assert!(w.resource_named("id-shared").is_some());
}

#[test]
fn disabling_system_assigned_deletes_the_principal_and_reenabling_mints_a_new_one() {
    let mut w = sample();
    apply(&mut w, assign("vm-web", "Reader", "rg-web"));
    let old = w.identity_principal("vm-web").unwrap();
    let events = apply(
        &mut w,
        Command::DisableSystemAssigned {
            resource: "vm-web".into(),
        },
    );
    assert_eq!(events.len(), 2);
    assert!(
        w.resource_named("vm-web")
            .unwrap()
            .system_assigned
            .is_none()
    );
    assert_eq!(
        w.orphan_reason(&w.role_assignments()[0]),
        Some(OrphanReason::PrincipalDeleted)
    );
    apply(
        &mut w,
        Command::EnableSystemAssigned {
            resource: "vm-web".into(),
        },
    );
    let new = w.identity_principal("vm-web").unwrap();
    assert_ne!(old, new);
    assert_eq!(
        w.orphan_reason(&w.role_assignments()[0]),
        Some(OrphanReason::PrincipalDeleted)
    );
}

#[test]
fn deleting_a_user_assigned_identity_detaches_it_and_orphans_its_assignments() {
    let mut w = sample();
    apply(
        &mut w,
        Command::AttachUserAssigned {
            resource: "vm-web".into(),
            identity: "id-shared".into(),
        },
    );
    apply(
        &mut w,
        assign("id-shared", "Storage Blob Data Reader", "stprod"),
    );
    let oid = w.identity_principal("id-shared").unwrap();
    apply(&mut w, Command::AdvanceClock { seconds: 120 });
    let events = apply(
        &mut w,
        Command::DeleteUserAssigned {
            name: "id-shared".into(),
        },
    );
    assert_eq!(
        events[1],
        "User-assigned identity id-shared detached from vm-web"
    );
    assert!(events[2].starts_with("Entra ID deleted service principal id-shared"));
    assert!(w.resource_named("vm-web").unwrap().user_assigned.is_empty());
    assert_eq!(
        w.deleted_principal(oid).unwrap().1.deleted_at,
        w.start().plus(120)
    );
    assert_eq!(
        w.orphan_reason(&w.role_assignments()[0]),
        Some(OrphanReason::PrincipalDeleted)
    );
}

#[test]
fn moving_a_resource_leaves_its_assignments_behind_as_orphans() {
    let mut w = sample();
    apply(
        &mut w,
        assign("vm-web", "Key Vault Secrets User", "kv-prod"),
    );
    apply(&mut w, assign("vm-web", "Reader", "rg-data"));
    let old = w.id_of("kv-prod").unwrap();
    let events = apply(
        &mut w,
        Command::MoveResource {
            resource: "kv-prod".into(),
            subscription: "Production".into(),
            resource_group: "rg-web".into(),
        },
    );
    let new = w.id_of("kv-prod").unwrap();
    assert_eq!(
        events[0],
        format!("Resource kv-prod moved from {old} to {new}")
    );
    assert!(
        events[1]
            .ends_with("(Key Vault Secrets User) is now an orphan: its scope no longer exists")
    );
    assert_eq!(events.len(), 2);
    assert!(
        new.as_str()
            .contains("/resourceGroups/rg-web/providers/Microsoft.KeyVault/vaults/kv-prod")
    );
    let reasons: Vec<_> = w
        .role_assignments()
        .iter()
        .map(|a| w.orphan_reason(a))
        .collect();
    assert_eq!(reasons, vec![Some(OrphanReason::ScopeGone), None]);
}

#[test]
fn transferring_a_subscription_deletes_assignments_and_breaks_identities_until_recreated() {
    let mut w = sample();
    apply(
        &mut w,
        Command::AttachUserAssigned {
            resource: "vm-web".into(),
            identity: "id-shared".into(),
        },
    );
    apply(&mut w, assign("vm-web", "Reader", "Production"));
    apply(&mut w, assign("id-shared", "Reader", "rg-data"));
    let events = apply(
        &mut w,
        Command::TransferSubscription {
            subscription: "Production".into(),
            tenant: "fabrikam".into(),
        },
    );
    assert_eq!(
        events[0],
        "Subscription Production transferred to tenant fabrikam; all its role assignments were deleted"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.starts_with("Role assignment deleted"))
            .count(),
        2
    );
    assert!(w.role_assignments().is_empty());
    let vm = w.resource_named("vm-web").unwrap().clone();
    assert_eq!(
        w.broken_identities(&vm),
        vec!["system-assigned".to_string(), "id-shared".to_string()]
    );
    let fabrikam = w.tenant_named("fabrikam").unwrap().id;
    assert_eq!(w.subscriptions()[0].tenant_id, fabrikam);
    assert_eq!(w.subscriptions()[0].management_group, None);

    // The old principal cannot be granted roles in the new tenant.
    let before = w.clone();
    assert_eq!(
        w.apply(assign("vm-web", "Reader", "rg-web")),
        Err(CommandError::PrincipalNotFound {
            principal: "vm-web".into(),
            tenant: "fabrikam".into()
        })
    );
    assert_eq!(w, before);

    apply(
        &mut w,
        Command::DisableSystemAssigned {
            resource: "vm-web".into(),
        },
    );
    apply(
        &mut w,
        Command::EnableSystemAssigned {
            resource: "vm-web".into(),
        },
    );
    apply(
        &mut w,
        Command::DetachUserAssigned {
            resource: "vm-web".into(),
            identity: "id-shared".into(),
        },
    );
    apply(
        &mut w,
        Command::DeleteUserAssigned {
            name: "id-shared".into(),
        },
    );
    apply(
        &mut w,
        Command::CreateUserAssigned {
            subscription: "Production".into(),
            resource_group: "rg-data".into(),
            name: "id-shared".into(),
            location: "westeurope".into(),
        },
    );
    apply(
        &mut w,
        Command::AttachUserAssigned {
            resource: "vm-web".into(),
            identity: "id-shared".into(),
        },
    );
    let vm = w.resource_named("vm-web").unwrap().clone();
    assert_eq!(w.broken_identities(&vm), Vec::<String>::new());
    assert_eq!(vm.system_assigned.unwrap().tenant_id, fabrikam);
    apply(&mut w, assign("vm-web", "Reader", "rg-web"));
}

fn fic(name: &str, subject: &str) -> Command {
    Command::AddFederatedCredential {
        identity: "id-shared".into(),
        name: name.into(),
        issuer: "https://token.actions.githubusercontent.com".into(),
        subject: subject.into(),
        audiences: vec!["api://AzureADTokenExchange".into()],
    }
}

#[test]
fn a_user_assigned_identity_holds_at_most_20_federated_credentials() {
    let mut w = sample();
    for i in 0..20 {
        apply(
            &mut w,
            fic(
                &format!("env-{i}"),
                &format!("repo:octo-org/octo-repo:environment:e{i}"),
            ),
        );
    }
    let before = w.clone();
    assert_eq!(
        w.apply(fic("env-20", "repo:octo-org/octo-repo:environment:e20")),
        Err(CommandError::FederatedCredentialLimitExceeded)
    );
    assert_eq!(w, before);
    assert_eq!(
        w.resource_named("id-shared")
            .unwrap()
            .identity
            .as_ref()
            .unwrap()
            .federated_credentials
            .len(),
        20
    );
}

#[test]
fn the_4001st_role_assignment_in_a_subscription_is_refused() {
    let mut b = SampleWorld::contoso_builder();
    for i in 0..40 {
        b = b.resource(
            "Production",
            "rg-data",
            &format!("id-{i}"),
            ResourceKind::UserAssignedIdentity,
        );
    }
    let mut w = b.build().unwrap();
    let roles: Vec<String> = crate::model::roles::builtin_roles()
        .iter()
        .map(|r| r.role_name.clone())
        .collect();
    let mut count = 0;
    'outer: for i in 0..40 {
        for scope in ["Production", "rg-data"] {
            for role in &roles {
                if count == MAX_ROLE_ASSIGNMENTS_PER_SUBSCRIPTION {
                    break 'outer;
                }
                w.apply(assign(&format!("id-{i}"), role, scope)).unwrap();
                count += 1;
            }
        }
    }
    let before = w.clone();
    let err = w.apply(assign("vm-web", "Reader", "kv-prod")).unwrap_err();
    assert_eq!(err, CommandError::RoleAssignmentLimitExceeded);
    assert_eq!(
        err.to_string(),
        "No more role assignments can be created (code: RoleAssignmentLimitExceeded)"
    );
    assert_eq!(w, before);
}

fn deny_all() -> Command {
    Command::AddDenyAssignment {
        name: "stack-deny".into(),
        scope: "rg-data".into(),
        principals: vec![],
        exclude_principals: vec![],
        permissions: Permission {
            actions: vec!["*/delete".into()],
            ..Permission::default()
        },
        do_not_apply_to_child_scopes: false,
    }
}

#[test]
fn every_bad_command_gives_its_error_and_leaves_the_world_unchanged() {
    let mut base = sample();
    apply(&mut base, assign("vm-web", "Reader", "rg-web"));
    apply(&mut base, fic("gh-main", "repo:o/r:ref:refs/heads/main"));
    let sub = base.subscriptions()[0].id;
    let cr =
        |name: &str, actions: &[&str], data: &[&str], scopes: &[&str]| Command::AddCustomRole {
            name: name.into(),
            description: String::new(),
            permissions: vec![Permission {
                actions: actions.iter().map(|s| s.to_string()).collect(),
                data_actions: data.iter().map(|s| s.to_string()).collect(),
                ..Permission::default()
            }],
            assignable_scopes: scopes.iter().map(|s| s.to_string()).collect(),
        };
    let sub_scope = format!("/subscriptions/{sub}");
    let mg_scope = "/providers/Microsoft.Management/managementGroups/mg-corp";
    let cases: Vec<(Command, CommandError)> = vec![
        (
            Command::AddTenant {
                name: "Contoso".into(),
            },
            CommandError::NameTaken {
                what: "tenant".into(),
                name: "Contoso".into(),
            },
        ),
        (
            Command::AddSubscription {
                name: "Dev".into(),
                tenant: "nowhere".into(),
                management_group: None,
            },
            CommandError::TenantNotFound {
                name: "nowhere".into(),
            },
        ),
        (
            Command::AddSubscription {
                name: "Dev".into(),
                tenant: "fabrikam".into(),
                management_group: Some("mg-corp".into()),
            },
            CommandError::ManagementGroupInOtherTenant {
                name: "mg-corp".into(),
            },
        ),
        (
            Command::AddResource {
                subscription: "Production".into(),
                resource_group: "rg-nope".into(),
                name: "vm2".into(),
                kind: ResourceKind::VirtualMachine,
                location: "westeurope".into(),
            },
            CommandError::ResourceGroupNotFound {
                name: "rg-nope".into(),
            },
        ),
        (
            Command::AddResource {
                subscription: "Production".into(),
                resource_group: "rg-web".into(),
                name: "VM-WEB".into(),
                kind: ResourceKind::VirtualMachine,
                location: "westeurope".into(),
            },
            CommandError::NameTaken {
                what: "resource".into(),
                name: "VM-WEB".into(),
            },
        ),
        (
            Command::AddChildObject {
                resource: "vm-web".into(),
                kind: ChildKind::Secret,
                name: "s".into(),
            },
            CommandError::ChildKindNotSupported {
                resource: "vm-web".into(),
                kind: ChildKind::Secret,
            },
        ),
        (
            Command::DeleteResource {
                resource: "vm-nope".into(),
            },
            CommandError::ResourceNotFound {
                name: "vm-nope".into(),
            },
        ),
        (
            Command::EnableSystemAssigned {
                resource: "vm-web".into(),
            },
            CommandError::SystemAssignedAlreadyEnabled {
                resource: "vm-web".into(),
            },
        ),
        (
            Command::EnableSystemAssigned {
                resource: "kv-prod".into(),
            },
            CommandError::IdentityNotSupported {
                resource: "kv-prod".into(),
                kind: ResourceKind::KeyVault,
                identity_type: "system-assigned".into(),
            },
        ),
        (
            Command::DisableSystemAssigned {
                resource: "func-api".into(),
            },
            CommandError::SystemAssignedNotEnabled {
                resource: "func-api".into(),
            },
        ),
        (
            Command::DeleteUserAssigned {
                name: "vm-web".into(),
            },
            CommandError::NotAUserAssignedIdentity {
                name: "vm-web".into(),
            },
        ),
        (
            Command::DetachUserAssigned {
                resource: "vm-web".into(),
                identity: "id-shared".into(),
            },
            CommandError::NotAttached {
                resource: "vm-web".into(),
                identity: "id-shared".into(),
            },
        ),
        (
            assign("vm-web", "Reader", "rg-nope"),
            CommandError::ScopeNotFound {
                scope: "rg-nope".into(),
            },
        ),
        (
            assign("vm-web", "Astronaut", "rg-web"),
            CommandError::RoleNotFound {
                role: "Astronaut".into(),
            },
        ),
        (
            assign("vm-nobody", "Reader", "rg-web"),
            CommandError::PrincipalNotFound {
                principal: "vm-nobody".into(),
                tenant: "contoso".into(),
            },
        ),
        (
            assign("vm-web", "reader", "rg-web"),
            CommandError::RoleAssignmentExists,
        ),
        (
            Command::RemoveRoleAssignment {
                assignment: "nope".into(),
            },
            CommandError::RoleAssignmentNotFound {
                assignment: "nope".into(),
            },
        ),
        (
            Command::AddDenyAssignment {
                name: "d".into(),
                scope: "rg-data".into(),
                principals: vec![],
                exclude_principals: vec![],
                permissions: Permission::default(),
                do_not_apply_to_child_scopes: false,
            },
            CommandError::EmptyDenyAssignment,
        ),
        (deny_all(), CommandError::EmptyDenyAssignment),
        (
            cr("Two stars", &["Microsoft.Compute/*/*"], &[], &[&sub_scope]),
            CommandError::InvalidCustomRole(
                crate::model::roles::CustomRoleError::MoreThanOneWildcard {
                    action: "Microsoft.Compute/*/*".into(),
                },
            ),
        ),
        (
            cr("Root", &["Microsoft.Compute/*/read"], &[], &["/"]),
            CommandError::InvalidCustomRole(
                crate::model::roles::CustomRoleError::RootAssignableScope,
            ),
        ),
        (
            cr("Data MG", &[], &["Microsoft.Storage/*/read"], &[mg_scope]),
            CommandError::InvalidCustomRole(
                crate::model::roles::CustomRoleError::DataActionsAtManagementGroup {
                    scope: mg_scope.into(),
                },
            ),
        ),
        (
            cr(
                "Ghost",
                &["Microsoft.Compute/*/read"],
                &[],
                &["/subscriptions/00000000-0000-0000-0000-000000000009"],
            ),
            CommandError::InvalidCustomRole(
                crate::model::roles::CustomRoleError::AssignableScopeNotFound {
                    scope: "/subscriptions/00000000-0000-0000-0000-000000000009".into(),
                },
            ),
        ),
        (
            Command::SetKeyVaultPermissionModel {
                vault: "stprod".into(),
                model: KeyVaultPermissionModel::AccessPolicies,
            },
            CommandError::NotAKeyVault {
                name: "stprod".into(),
            },
        ),
        (
            Command::SetAccessPolicy {
                vault: "kv-prod".into(),
                principal: "vm-web".into(),
                keys: vec![],
                secrets: vec!["read".into()],
                certificates: vec![],
            },
            CommandError::UnknownAccessPolicyPermission {
                category: "secrets".into(),
                permission: "read".into(),
            },
        ),
        (
            Command::RemoveAccessPolicy {
                vault: "kv-prod".into(),
                principal: "vm-web".into(),
            },
            CommandError::AccessPolicyNotFound {
                vault: "kv-prod".into(),
                principal: "vm-web".into(),
            },
        ),
        (
            Command::GrantAppRole {
                principal: "vm-web".into(),
                resource_app: "Microsoft Graph".into(),
                app_role: "Moon.Land".into(),
            },
            CommandError::AppRoleNotFound {
                resource_app: "Microsoft Graph".into(),
                app_role: "Moon.Land".into(),
            },
        ),
        (
            Command::RevokeAppRole {
                principal: "vm-web".into(),
                resource_app: "Microsoft Graph".into(),
                app_role: "User.Read.All".into(),
            },
            CommandError::AppRoleAssignmentNotFound,
        ),
        (
            fic("-bad", "x"),
            CommandError::InvalidFederatedCredentialName {
                name: "-bad".into(),
            },
        ),
        (
            fic("star", "repo:o/*"),
            CommandError::WildcardInFederatedCredential,
        ),
        (
            fic("gh2", "repo:o/r:ref:refs/heads/main"),
            CommandError::FederatedCredentialExists,
        ),
        (
            Command::MoveResource {
                resource: "id-shared".into(),
                subscription: "Production".into(),
                resource_group: "rg-web".into(),
            },
            CommandError::UserAssignedIdentityMoveNotSupported,
        ),
        (
            Command::MoveResource {
                resource: "vm-web".into(),
                subscription: "Production".into(),
                resource_group: "rg-web".into(),
            },
            CommandError::MoveToSameResourceGroup,
        ),
        (
            Command::TransferSubscription {
                subscription: "Production".into(),
                tenant: "contoso".into(),
            },
            CommandError::SameTenant,
        ),
        (
            Command::AdvanceClock { seconds: 0 },
            CommandError::InvalidDuration { seconds: 0 },
        ),
        (
            Command::SetPropagationDelay { seconds: -1 },
            CommandError::InvalidDuration { seconds: -1 },
        ),
        (
            Command::AddResource {
                subscription: "Production".into(),
                resource_group: "rg-web".into(),
                name: "uami".into(),
                kind: ResourceKind::UserAssignedIdentity,
                location: "westeurope".into(),
            },
            CommandError::UseIdentityCommand {
                instead: "CreateUserAssigned".into(),
            },
        ),
    ];
    for (command, expected) in cases {
        let mut w = base.clone();
        let label = format!("{command:?}");
        assert_eq!(w.apply(command), Err(expected), "{label}");
        assert_eq!(w, base, "{label}");
    }
}

#[test]
fn attaching_an_identity_from_another_tenant_is_refused() {
    let mut w = WorldBuilder::new(3)
        .tenant("contoso")
        .tenant("fabrikam")
        .subscription("Production", "contoso", None)
        .subscription("Partner", "fabrikam", None)
        .resource_group("Production", "rg")
        .resource_group("Partner", "rg-p")
        .resource("Production", "rg", "vm", ResourceKind::VirtualMachine)
        .resource(
            "Partner",
            "rg-p",
            "id-partner",
            ResourceKind::UserAssignedIdentity,
        )
        .resource("Production", "rg", "arc-1", ResourceKind::ArcServer)
        .resource(
            "Production",
            "rg",
            "id-local",
            ResourceKind::UserAssignedIdentity,
        )
        .build()
        .unwrap();
    let before = w.clone();
    let cases = [
        (
            Command::AttachUserAssigned {
                resource: "vm".into(),
                identity: "id-partner".into(),
            },
            CommandError::IdentityFromOtherTenant {
                identity: "id-partner".into(),
                resource: "vm".into(),
            },
        ),
        (
            Command::AttachUserAssigned {
                resource: "arc-1".into(),
                identity: "id-local".into(),
            },
            CommandError::IdentityNotSupported {
                resource: "arc-1".into(),
                kind: ResourceKind::ArcServer,
                identity_type: "user-assigned".into(),
            },
        ),
        (
            Command::MoveResource {
                resource: "vm".into(),
                subscription: "Partner".into(),
                resource_group: "rg-p".into(),
            },
            CommandError::MoveAcrossTenants,
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(w.apply(command), Err(expected.clone()));
        assert_eq!(w, before, "{expected:?}");
    }
    assert_eq!(
        CommandError::IdentityFromOtherTenant {
            identity: "id-partner".into(),
            resource: "vm".into()
        }
        .to_string(),
        "'id-partner' belongs to another tenant than the subscription of 'vm' trusts; managed identities cannot be used across tenants."
    );
}

#[test]
fn ambiguous_resource_group_names_ask_for_an_id() {
    let w = WorldBuilder::new(5)
        .tenant("contoso")
        .subscription("A", "contoso", None)
        .subscription("B", "contoso", None)
        .resource_group("A", "rg-shared")
        .resource_group("B", "rg-shared")
        .build()
        .unwrap();
    assert_eq!(
        w.resolve_scope("rg-shared"),
        Err(CommandError::AmbiguousName {
            name: "rg-shared".into()
        })
    );
}

#[test]
fn app_registrations_expose_app_roles_that_can_be_granted_and_revoked() {
    let mut w = sample();
    let events = apply(
        &mut w,
        Command::AddAppRegistration {
            tenant: "contoso".into(),
            name: "orders-api".into(),
            app_roles: vec!["Orders.Read".into()],
        },
    );
    assert!(events[0].starts_with("App registration orders-api created (client id "));
    let events = apply(
        &mut w,
        Command::GrantAppRole {
            principal: "vm-web".into(),
            resource_app: "orders-api".into(),
            app_role: "Orders.Read".into(),
        },
    );
    assert_eq!(
        events,
        vec!["Entra ID granted vm-web the app role Orders.Read on orders-api".to_string()]
    );
    let events = apply(
        &mut w,
        Command::GrantAppRole {
            principal: "vm-web".into(),
            resource_app: GRAPH_APP_ID.to_string(),
            app_role: "df021288-bdef-4463-88db-98f22de89214".into(),
        },
    );
    assert_eq!(
        events,
        vec!["Entra ID granted vm-web the app role User.Read.All on Microsoft Graph".to_string()]
    );
    let before = w.clone();
    assert_eq!(
        w.apply(Command::GrantAppRole {
            principal: "vm-web".into(),
            resource_app: "Microsoft Graph".into(),
            app_role: "User.Read.All".into()
        }),
        Err(CommandError::AppRoleAssignmentExists)
    );
    assert_eq!(w, before);
    let oid = w.identity_principal("vm-web").unwrap();
    assert_eq!(
        crate::model::rbac::app_roles_for(&w, oid, GRAPH_APP_ID),
        vec!["User.Read.All".to_string()]
    );
    apply(
        &mut w,
        Command::RevokeAppRole {
            principal: "vm-web".into(),
            resource_app: "Microsoft Graph".into(),
            app_role: "User.Read.All".into(),
        },
    );
    assert!(crate::model::rbac::app_roles_for(&w, oid, GRAPH_APP_ID).is_empty());
    assert!(
        crate::model::rbac::app_roles_for(&w, oid, ClientId(crate::model::ids::Guid(7))).is_empty()
    );
}

#[test]
fn on_prem_servers_live_outside_azure() {
    let mut w = sample();
    let events = apply(
        &mut w,
        Command::AddOnPremServer {
            name: "srv-legacy".into(),
        },
    );
    assert_eq!(
        events,
        vec![
            "On-premises server srv-legacy added (outside Azure, no managed identity)".to_string()
        ]
    );
    assert_eq!(w.on_prem_servers().len(), 1);
    assert!(w.resource_named("srv-legacy").is_none());
}
