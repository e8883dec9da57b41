//! From a checked scenario to a world: world commands applied in a fixed order, with the clock
//! staged so that each role assignment has the age the file gives it.

use super::decode::parse_time;
use super::names::{Names, ScopePath, child_kind, declared_children};
use super::{FederatedCredentialSpec, Scenario, ScenarioError, ScenarioErrorKind};
use crate::model::clock::{DEFAULT_START, MINUTE, SimTime};
use crate::model::entra::github::AZURE_AD_TOKEN_EXCHANGE;
use crate::model::ids::Guid;
use crate::model::roles::{MANAGEMENT_GROUP_PREFIX, Permission};
use crate::model::world::{
    Command, DEFAULT_PROPAGATION_DELAY, KeyVaultPermissionModel, ResourceKind, World,
};

/// The seed of a scenario that names none.
pub const DEFAULT_SEED: u64 = 1;

/// A scope path as the id (or name) a world command takes.
pub(super) fn scope_id(world: &World, scope: &ScopePath) -> String {
    match scope {
        ScopePath::ArmId(id) => id.clone(),
        ScopePath::ManagementGroup(n) => format!("{MANAGEMENT_GROUP_PREFIX}{n}"),
        ScopePath::Subscription(n) => world
            .subscription_named(n)
            .map(|s| s.scope().0)
            .unwrap_or_else(|| n.clone()),
        ScopePath::ResourceGroup(n) => world
            .resource_groups()
            .iter()
            .find(|g| g.name.eq_ignore_ascii_case(n))
            .map(|g| g.scope().0)
            .unwrap_or_else(|| n.clone()),
        ScopePath::Name(n) => world
            .resolve_scope(n)
            .map(|s| s.id.0)
            .unwrap_or_else(|_| n.clone()),
        ScopePath::Child {
            resource,
            segment,
            name,
        } => match world.resource_named(resource) {
            Some(r) => match child_kind(r.kind, segment) {
                Some(kind) => r.child_scope(kind, name).0,
                None => format!("{}/{segment}/{name}", r.id),
            },
            None => scope.render(),
        },
    }
}

fn scope_text(world: &World, text: &str) -> String {
    match ScopePath::parse(text) {
        Ok(p) => scope_id(world, &p),
        Err(_) => text.to_string(),
    }
}

/// The minutes a role assignment without `createdMinutesAgo` is given, and the time the
/// scenario opens: just long enough for every assignment to have propagated.
pub(super) fn staging(s: &Scenario) -> (u64, SimTime) {
    let propagation = s
        .clock
        .propagation_minutes
        .unwrap_or((DEFAULT_PROPAGATION_DELAY / MINUTE) as u64);
    let oldest = s
        .role_assignments
        .iter()
        .filter_map(|a| a.created_minutes_ago)
        .max()
        .unwrap_or(0);
    let default_age = propagation.max(oldest);
    let open = if s.role_assignments.is_empty() {
        DEFAULT_START
    } else {
        DEFAULT_START.plus(minutes(default_age))
    };
    (default_age, open)
}

fn minutes(m: u64) -> i64 {
    i64::try_from(m)
        .unwrap_or(i64::MAX / MINUTE)
        .saturating_mul(MINUTE)
}

struct Builder {
    world: World,
}

impl Builder {
    fn run(&mut self, path: &str, command: Command) -> Result<(), ScenarioError> {
        self.world
            .apply(command)
            .map(|_| ())
            .map_err(|e| ScenarioError::new(path, ScenarioErrorKind::World(e)))
    }

    fn advance_to(&mut self, path: &str, time: SimTime) -> Result<(), ScenarioError> {
        let seconds = time.since(self.world.now());
        if seconds > 0 {
            self.run(path, Command::AdvanceClock { seconds })?;
        }
        Ok(())
    }

    fn federated(
        &mut self,
        path: &str,
        identity: &str,
        fics: &[FederatedCredentialSpec],
    ) -> Result<(), ScenarioError> {
        for (j, f) in fics.iter().enumerate() {
            let audiences = if f.audiences.is_empty() {
                vec![AZURE_AD_TOKEN_EXCHANGE.to_string()]
            } else {
                f.audiences.clone()
            };
            self.run(
                &format!("{path}.federatedCredentials[{j}]"),
                Command::AddFederatedCredential {
                    identity: identity.to_string(),
                    name: f.name.clone(),
                    issuer: f.issuer.clone(),
                    subject: f.subject.clone(),
                    audiences,
                },
            )?;
        }
        Ok(())
    }
}

pub(super) fn build_world(s: &Scenario) -> Result<World, ScenarioError> {
    let names = Names { s };
    let mut b = Builder {
        world: World::new(s.seed.unwrap_or(DEFAULT_SEED)),
    };
    let first_tenant = s
        .tenants
        .first()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let first_sub = s
        .subscriptions
        .first()
        .map(|t| t.name.clone())
        .unwrap_or_default();

    for (i, t) in s.tenants.iter().enumerate() {
        let command = Command::AddTenant {
            name: t.name.clone(),
        };
        b.run(&format!("$.tenants[{i}]"), command)?;
    }
    for (i, m) in s.management_groups.iter().enumerate() {
        let tenant = names
            .management_group_tenant(&m.name)
            .unwrap_or_else(|| first_tenant.clone());
        let command = Command::AddManagementGroup {
            tenant,
            name: m.name.clone(),
            parent: m.parent.clone(),
        };
        b.run(&format!("$.managementGroups[{i}]"), command)?;
    }
    for (i, sub) in s.subscriptions.iter().enumerate() {
        let command = Command::AddSubscription {
            name: sub.name.clone(),
            tenant: sub.tenant.clone().unwrap_or_else(|| first_tenant.clone()),
            management_group: sub.management_group.clone(),
        };
        b.run(&format!("$.subscriptions[{i}]"), command)?;
    }
    for (i, g) in s.resource_groups.iter().enumerate() {
        let command = Command::AddResourceGroup {
            subscription: g.subscription.clone().unwrap_or_else(|| first_sub.clone()),
            name: g.name.clone(),
            location: g.location.clone().unwrap_or_else(|| "westeurope".into()),
        };
        b.run(&format!("$.resourceGroups[{i}]"), command)?;
    }
    let rg_location = |name: &str, sub: &str| {
        s.resource_groups
            .iter()
            .find(|g| {
                g.name.eq_ignore_ascii_case(name)
                    && g.subscription
                        .as_deref()
                        .unwrap_or(&first_sub)
                        .eq_ignore_ascii_case(sub)
            })
            .and_then(|g| g.location.clone())
            .unwrap_or_else(|| "westeurope".into())
    };
    for (i, u) in s.user_assigned_identities.iter().enumerate() {
        let path = format!("$.userAssignedIdentities[{i}]");
        let sub = names.resource_group(&u.resource_group, u.subscription.as_deref(), &path)?;
        let command = Command::CreateUserAssigned {
            location: u
                .location
                .clone()
                .unwrap_or_else(|| rg_location(&u.resource_group, &sub)),
            subscription: sub,
            resource_group: u.resource_group.clone(),
            name: u.name.clone(),
        };
        b.run(&path, command)?;
        b.federated(&path, &u.name, &u.federated_credentials)?;
    }
    for (i, r) in s.resources.iter().enumerate() {
        let path = format!("$.resources[{i}]");
        let kind = super::shape::kind_from_name(&r.kind)
            .ok_or_else(|| ScenarioError::invalid(format!("{path}.kind"), "unknown kind"))?;
        let sub = names.resource_group(&r.resource_group, r.subscription.as_deref(), &path)?;
        let command = Command::AddResource {
            location: r
                .location
                .clone()
                .unwrap_or_else(|| rg_location(&r.resource_group, &sub)),
            subscription: sub,
            resource_group: r.resource_group.clone(),
            name: r.name.clone(),
            kind,
        };
        b.run(&path, command)?;
        for (kind, name) in declared_children(r) {
            let command = Command::AddChildObject {
                resource: r.name.clone(),
                kind,
                name: name.to_string(),
            };
            b.run(&path, command)?;
        }
        if kind == ResourceKind::KeyVault && r.permission_model.as_deref() == Some("accessPolicies")
        {
            let command = Command::SetKeyVaultPermissionModel {
                vault: r.name.clone(),
                model: KeyVaultPermissionModel::AccessPolicies,
            };
            b.run(&format!("{path}.permissionModel"), command)?;
        }
        if let Some(identity) = &r.identity {
            if identity.system_assigned {
                let command = Command::EnableSystemAssigned {
                    resource: r.name.clone(),
                };
                b.run(&format!("{path}.identity.systemAssigned"), command)?;
            }
            for (j, u) in identity.user_assigned.iter().enumerate() {
                let command = Command::AttachUserAssigned {
                    resource: r.name.clone(),
                    identity: u.clone(),
                };
                b.run(&format!("{path}.identity.userAssigned[{j}]"), command)?;
            }
        }
    }
    for (i, o) in s.on_prem_servers.iter().enumerate() {
        let command = Command::AddOnPremServer {
            name: o.name.clone(),
        };
        b.run(&format!("$.onPremServers[{i}]"), command)?;
    }
    for (i, a) in s.app_registrations.iter().enumerate() {
        let path = format!("$.appRegistrations[{i}]");
        let command = Command::AddAppRegistration {
            tenant: a.tenant.clone().unwrap_or_else(|| first_tenant.clone()),
            name: a.name.clone(),
            app_roles: a.app_roles.clone(),
        };
        b.run(&path, command)?;
        b.federated(&path, &a.name, &a.federated_credentials)?;
    }
    for (i, r) in s.custom_roles.iter().enumerate() {
        let command = Command::AddCustomRole {
            name: r.name.clone(),
            description: r.description.clone(),
            permissions: vec![Permission {
                actions: r.actions.clone(),
                not_actions: r.not_actions.clone(),
                data_actions: r.data_actions.clone(),
                not_data_actions: r.not_data_actions.clone(),
                condition: None,
                condition_version: None,
            }],
            assignable_scopes: r
                .assignable_scopes
                .iter()
                .map(|x| scope_text(&b.world, x))
                .collect(),
        };
        b.run(&format!("$.customRoles[{i}]"), command)?;
    }
    if let Some(m) = s.clock.propagation_minutes {
        let command = Command::SetPropagationDelay {
            seconds: minutes(m),
        };
        b.run("$.clock.propagationMinutes", command)?;
    }

    let (default_age, default_open) = staging(s);
    let open = s
        .clock
        .start
        .as_deref()
        .and_then(parse_time)
        .unwrap_or(default_open);
    let ages: Vec<u64> = s
        .role_assignments
        .iter()
        .map(|a| a.created_minutes_ago.unwrap_or(default_age))
        .collect();
    let oldest = ages.iter().copied().max().unwrap_or(0);
    if open.plus(-minutes(oldest)) < DEFAULT_START {
        return Err(ScenarioError::invalid(
            "$.clock.start",
            format!(
                "the scenario opens at {open}, but a role assignment created {oldest} minutes earlier would predate the simulated world's start ({DEFAULT_START})"
            ),
        ));
    }
    let mut order: Vec<usize> = (0..s.role_assignments.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(ages[i]));
    for i in order {
        let a = &s.role_assignments[i];
        let path = format!("$.roleAssignments[{i}]");
        b.advance_to(&path, open.plus(-minutes(ages[i])))?;
        let command = Command::AddRoleAssignment {
            principal: a.principal.clone(),
            role: a.role.clone(),
            scope: scope_text(&b.world, &a.scope),
            condition: a.condition.clone(),
        };
        b.run(&path, command)?;
    }
    b.advance_to("$.clock.start", open)?;

    for (i, d) in s.deny_assignments.iter().enumerate() {
        let who = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|p| {
                    if p.eq_ignore_ascii_case("everyone") {
                        Guid::NIL.to_string()
                    } else {
                        p.clone()
                    }
                })
                .collect()
        };
        let command = Command::AddDenyAssignment {
            name: d.name.clone(),
            scope: scope_text(&b.world, &d.scope),
            principals: who(&d.principals),
            exclude_principals: who(&d.exclude_principals),
            permissions: Permission {
                actions: d.actions.clone(),
                not_actions: d.not_actions.clone(),
                data_actions: d.data_actions.clone(),
                not_data_actions: d.not_data_actions.clone(),
                condition: None,
                condition_version: None,
            },
            do_not_apply_to_child_scopes: d.do_not_apply_to_child_scopes,
        };
        b.run(&format!("$.denyAssignments[{i}]"), command)?;
    }
    for (i, a) in s.access_policies.iter().enumerate() {
        let command = Command::SetAccessPolicy {
            vault: a.vault.clone(),
            principal: a.principal.clone(),
            keys: a.keys.clone(),
            secrets: a.secrets.clone(),
            certificates: a.certificates.clone(),
        };
        b.run(&format!("$.accessPolicies[{i}]"), command)?;
    }
    for (i, g) in s.app_role_grants.iter().enumerate() {
        let command = Command::GrantAppRole {
            principal: g.principal.clone(),
            resource_app: g.api.clone(),
            app_role: g.role.clone(),
        };
        b.run(&format!("$.appRoleGrants[{i}]"), command)?;
    }
    Ok(b.world)
}
