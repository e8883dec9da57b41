//! From a world back to a scenario file, writing names and readable scope paths. What a
//! scenario cannot say (orphaned assignments, creation times of resources, ids) is left out;
//! `docs/scenario-format.md` lists the differences.

use super::build::staging;
use super::names::short_segment;
use super::shape::kind_name;
use super::*;
use crate::model::clock::MINUTE;
use crate::model::entra::github::AZURE_AD_TOKEN_EXCHANGE;
use crate::model::ids::{Guid, ObjectId, ResourceId};
use crate::model::world::{
    DEFAULT_PROPAGATION_DELAY, FederatedCredential, KeyVaultPermissionModel, ResourceKind,
    ScopeLevel,
};

const DEFAULT_LOCATION: &str = "westeurope";

fn fics(list: &[FederatedCredential]) -> Vec<FederatedCredentialSpec> {
    list.iter()
        .map(|f| FederatedCredentialSpec {
            name: f.name.clone(),
            issuer: f.issuer.clone(),
            subject: f.subject.clone(),
            audiences: if f.audiences == [AZURE_AD_TOKEN_EXCHANGE] {
                Vec::new()
            } else {
                f.audiences.clone()
            },
        })
        .collect()
}

/// A scope id as the shortest scope path that resolves back to it.
pub(super) fn readable_scope(w: &World, id: &ResourceId) -> Option<String> {
    let resolved = w.resolve_scope(id.as_str()).ok()?;
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    Some(match resolved.level {
        ScopeLevel::ManagementGroup => format!("mg:{}", resolved.id.name()),
        ScopeLevel::Subscription => {
            let sub = w
                .subscriptions()
                .iter()
                .find(|s| s.scope().same_as(&resolved.id))?;
            format!("sub:{}", sub.name)
        }
        ScopeLevel::ResourceGroup => {
            let name = resolved.id.name();
            let groups = w
                .resource_groups()
                .iter()
                .filter(|g| same(&g.name, name))
                .count();
            if groups > 1 {
                resolved.id.0
            } else if w.resource_named(name).is_some() {
                format!("rg:{name}")
            } else {
                name.to_string()
            }
        }
        ScopeLevel::Resource => w.resource(&resolved.id)?.name.clone(),
        ScopeLevel::ChildResource => {
            let r = w
                .resources()
                .iter()
                .find(|r| resolved.id.is_within(&r.id) && !resolved.id.same_as(&r.id))?;
            let rest = resolved.id.as_str().get(r.id.as_str().len() + 1..)?;
            let child = r
                .children
                .iter()
                .find(|c| same(&format!("{}/{}", c.kind.path_segment(), c.name), rest))?;
            format!("{}/{}/{}", r.name, short_segment(child.kind), child.name)
        }
    })
}

fn live_name(w: &World, id: ObjectId) -> Option<String> {
    w.service_principal(id)
        .map(|(_, sp)| sp.display_name.clone())
}

pub(super) fn from_world(w: &World) -> Scenario {
    let first_tenant = w.tenants().first().map(|t| t.id);
    let first_sub = w.subscriptions().first().map(|s| s.id);
    let tenant_name = |id| w.tenant(id).map(|t| t.name.clone());
    let not_first_tenant = |id| {
        (Some(id) != first_tenant)
            .then(|| tenant_name(id))
            .flatten()
    };
    let sub_name = |id| w.subscription(id).map(|s| s.name.clone());
    let not_first_sub = |id| (Some(id) != first_sub).then(|| sub_name(id)).flatten();
    let rg_location = |sub, rg: &str| {
        w.resource_groups()
            .iter()
            .find(|g| g.subscription_id == sub && g.name.eq_ignore_ascii_case(rg))
            .map(|g| g.location.clone())
            .unwrap_or_else(|| DEFAULT_LOCATION.to_string())
    };

    let tenants = w
        .tenants()
        .iter()
        .map(|t| TenantSpec {
            name: t.name.clone(),
        })
        .collect();
    let management_groups = w
        .management_groups()
        .iter()
        .map(|m| {
            let parent_tenant = m.parent.as_ref().and_then(|p| {
                w.management_groups()
                    .iter()
                    .find(|g| g.name.eq_ignore_ascii_case(p))
                    .map(|g| g.tenant_id)
            });
            let default = parent_tenant.or(first_tenant);
            ManagementGroupSpec {
                name: m.name.clone(),
                tenant: (Some(m.tenant_id) != default)
                    .then(|| tenant_name(m.tenant_id))
                    .flatten(),
                parent: m.parent.clone(),
            }
        })
        .collect();
    let subscriptions = w
        .subscriptions()
        .iter()
        .map(|s| SubscriptionSpec {
            name: s.name.clone(),
            tenant: not_first_tenant(s.tenant_id),
            management_group: s.management_group.clone(),
        })
        .collect();
    let resource_groups = w
        .resource_groups()
        .iter()
        .map(|g| ResourceGroupSpec {
            name: g.name.clone(),
            subscription: not_first_sub(g.subscription_id),
            location: (g.location != DEFAULT_LOCATION).then(|| g.location.clone()),
        })
        .collect();

    let mut user_assigned_identities = Vec::new();
    let mut resources = Vec::new();
    for r in w.resources() {
        let subscription = not_first_sub(r.subscription_id);
        let location = (r.location != rg_location(r.subscription_id, &r.resource_group))
            .then(|| r.location.clone());
        if let Some(props) = &r.identity {
            user_assigned_identities.push(UserAssignedSpec {
                name: r.name.clone(),
                resource_group: r.resource_group.clone(),
                subscription,
                location,
                federated_credentials: fics(&props.federated_credentials),
            });
            continue;
        }
        let Some(kind) = kind_name(r.kind) else {
            continue;
        };
        let user_assigned: Vec<String> = r
            .user_assigned
            .iter()
            .map(|id| {
                w.resource(id)
                    .map(|u| u.name.clone())
                    .unwrap_or_else(|| id.name().to_string())
            })
            .collect();
        let identity =
            (r.system_assigned.is_some() || !user_assigned.is_empty()).then(|| IdentitySpec {
                system_assigned: r.system_assigned.is_some(),
                user_assigned,
            });
        let children = |segment: &str| -> Vec<String> {
            r.children
                .iter()
                .filter(|c| {
                    short_segment(c.kind) == segment && r.kind.child_kinds().contains(&c.kind)
                })
                .map(|c| c.name.clone())
                .collect()
        };
        let permission_model = r
            .key_vault
            .as_ref()
            .filter(|kv| kv.permission_model == KeyVaultPermissionModel::AccessPolicies)
            .map(|_| "accessPolicies".to_string());
        resources.push(ResourceSpec {
            name: r.name.clone(),
            kind: kind.to_string(),
            resource_group: r.resource_group.clone(),
            subscription,
            location,
            identity,
            permission_model,
            secrets: children("secrets"),
            keys: children("keys"),
            certificates: children("certificates"),
            containers: children("containers"),
            queues: children("queues"),
            tables: children("tables"),
            databases: children("databases"),
            topics: children("topics"),
            event_hubs: children("eventhubs"),
            contained_users: Vec::new(),
        });
    }
    let on_prem_servers = w
        .on_prem_servers()
        .iter()
        .map(|o| OnPremSpec {
            name: o.name.clone(),
        })
        .collect();
    let app_registrations = w
        .tenants()
        .iter()
        .flat_map(|t| t.applications.iter().map(move |a| (t.id, a)))
        .map(|(tid, a)| AppRegistrationSpec {
            name: a.display_name.clone(),
            tenant: not_first_tenant(tid),
            app_roles: a.app_roles.iter().map(|r| r.value.clone()).collect(),
            client_secret: None,
            federated_credentials: fics(&a.federated_credentials),
        })
        .collect();
    let custom_roles = w
        .custom_roles()
        .iter()
        .map(|r| {
            let block = r.permissions.first().cloned().unwrap_or_default();
            CustomRoleSpec {
                name: r.role_name.clone(),
                description: r.description.clone(),
                actions: block.actions,
                not_actions: block.not_actions,
                data_actions: block.data_actions,
                not_data_actions: block.not_data_actions,
                assignable_scopes: r
                    .assignable_scopes
                    .iter()
                    .map(|s| readable_scope(w, &ResourceId(s.clone())).unwrap_or_else(|| s.clone()))
                    .collect(),
            }
        })
        .collect();

    let propagation = w.propagation_delay() / MINUTE;
    let mut role_assignments: Vec<RoleAssignmentSpec> = Vec::new();
    let mut ages = Vec::new();
    for a in w.role_assignments() {
        let (Some(principal), Some(role), Some(scope)) = (
            live_name(w, a.principal_id),
            w.role_definition(a.role_definition_id),
            readable_scope(w, &a.scope),
        ) else {
            continue;
        };
        ages.push(u64::try_from(w.now().since(a.created_at) / MINUTE).unwrap_or(0));
        role_assignments.push(RoleAssignmentSpec {
            principal,
            role: role.role_name.clone(),
            scope,
            condition: a.condition.clone(),
            created_minutes_ago: None,
        });
    }
    let p = u64::try_from(propagation).unwrap_or(0);
    let implicit = ages.iter().all(|&a| a <= p);
    for (spec, age) in role_assignments.iter_mut().zip(&ages) {
        if !(implicit && *age == p) {
            spec.created_minutes_ago = Some(*age);
        }
    }

    let deny_assignments = w
        .deny_assignments()
        .iter()
        .filter_map(|d| {
            let names = |ids: &[ObjectId]| -> Vec<String> {
                ids.iter()
                    .filter_map(|id| {
                        if id.0 == Guid::NIL {
                            Some("everyone".to_string())
                        } else {
                            live_name(w, *id)
                        }
                    })
                    .collect()
            };
            let principals = names(&d.principals);
            (!principals.is_empty()).then(|| DenyAssignmentSpec {
                name: d.deny_assignment_name.clone(),
                scope: readable_scope(w, &d.scope).unwrap_or_else(|| d.scope.0.clone()),
                principals,
                exclude_principals: names(&d.exclude_principals),
                actions: d.permissions.actions.clone(),
                not_actions: d.permissions.not_actions.clone(),
                data_actions: d.permissions.data_actions.clone(),
                not_data_actions: d.permissions.not_data_actions.clone(),
                do_not_apply_to_child_scopes: d.do_not_apply_to_child_scopes,
            })
        })
        .collect();
    let access_policies = w
        .resources()
        .iter()
        .filter(|r| r.kind == ResourceKind::KeyVault)
        .flat_map(|r| {
            r.key_vault
                .iter()
                .flat_map(move |kv| kv.access_policies.iter().map(move |p| (r, p)))
        })
        .filter_map(|(r, p)| {
            Some(AccessPolicySpec {
                vault: r.name.clone(),
                principal: live_name(w, p.object_id)?,
                keys: p.keys.clone(),
                secrets: p.secrets.clone(),
                certificates: p.certificates.clone(),
            })
        })
        .collect();
    let app_role_grants = w
        .tenants()
        .iter()
        .flat_map(|t| t.app_role_assignments.iter().map(move |a| (t, a)))
        .filter_map(|(t, a)| {
            let api = t.service_principal(a.resource_id)?;
            let role = api.app_roles.iter().find(|r| r.id == a.app_role_id)?;
            Some(AppRoleGrantSpec {
                principal: live_name(w, a.principal_id)?,
                api: api.display_name.clone(),
                role: role.value.clone(),
            })
        })
        .collect();

    let mut scenario = Scenario {
        version: FORMAT_VERSION,
        id: None,
        title: "Exported world".to_string(),
        description: String::new(),
        tags: Vec::new(),
        seed: None,
        tenants,
        management_groups,
        subscriptions,
        resource_groups,
        user_assigned_identities,
        resources,
        on_prem_servers,
        app_registrations,
        custom_roles,
        role_assignments,
        deny_assignments,
        access_policies,
        app_role_grants,
        clock: ClockSpec {
            start: None,
            propagation_minutes: (w.propagation_delay() != DEFAULT_PROPAGATION_DELAY).then_some(p),
        },
        flows: Vec::new(),
        expectations: Vec::new(),
        exercises: Vec::new(),
    };
    let (_, default_open) = staging(&scenario);
    if w.now() != default_open {
        scenario.clock.start = Some(w.now().iso8601());
    }
    scenario
}

/// What [`from_world`] cannot write for this world, one sentence each, in world order: the
/// assignments, policies and grants of identities that no longer exist, assignments on scopes
/// that are gone, and custom roles' permission blocks after the first.
pub(super) fn left_out(w: &World) -> Vec<String> {
    let mut out = Vec::new();
    let role_name = |id| {
        w.role_definition(id)
            .map_or_else(|| id.to_string(), |r| r.role_name.clone())
    };
    let scope_text = |id: &ResourceId| readable_scope(w, id).unwrap_or_else(|| id.0.clone());
    for a in w.role_assignments() {
        let role = role_name(a.role_definition_id);
        match (live_name(w, a.principal_id), readable_scope(w, &a.scope)) {
            (None, _) => out.push(format!(
                "the role assignment \"{role}\" on {} of an identity that no longer exists",
                scope_text(&a.scope)
            )),
            (Some(principal), None) => out.push(format!(
                "the role assignment \"{role}\" of {principal} on a scope that no longer exists ({})",
                a.scope.0
            )),
            (Some(_), Some(_)) if w.role_definition(a.role_definition_id).is_none() => out.push(
                format!("a role assignment of a role that no longer exists ({role})"),
            ),
            _ => {}
        }
    }
    for d in w.deny_assignments() {
        let gone = d
            .principals
            .iter()
            .chain(&d.exclude_principals)
            .filter(|id| id.0 != Guid::NIL && live_name(w, **id).is_none())
            .count();
        if gone > 0 {
            out.push(format!(
                "{gone} {} of the deny assignment \"{}\" that no longer {}",
                if gone == 1 { "identity" } else { "identities" },
                d.deny_assignment_name,
                if gone == 1 { "exists" } else { "exist" }
            ));
        }
    }
    for r in w.resources() {
        let Some(kv) = &r.key_vault else { continue };
        for p in &kv.access_policies {
            if live_name(w, p.object_id).is_none() {
                out.push(format!(
                    "an access policy on {} of an identity that no longer exists",
                    r.name
                ));
            }
        }
    }
    for t in w.tenants() {
        for a in &t.app_role_assignments {
            let api = t.service_principal(a.resource_id);
            let role = api.and_then(|api| api.app_roles.iter().find(|r| r.id == a.app_role_id));
            let (Some(api), Some(role)) = (api, role) else {
                out.push("an app role grant on an API or app role that no longer exists".into());
                continue;
            };
            if live_name(w, a.principal_id).is_none() {
                out.push(format!(
                    "the app role grant \"{}\" on {} of an identity that no longer exists",
                    role.value, api.display_name
                ));
            }
        }
    }
    for r in w.custom_roles() {
        if r.permissions.len() > 1 {
            out.push(format!(
                "the custom role \"{}\": its permission blocks after the first",
                r.role_name
            ));
        }
    }
    out
}
