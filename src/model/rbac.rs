//! The Azure RBAC engine: `check_access` evaluates deny assignments, then role assignments
//! inherited down management group > subscription > resource group > resource > child
//! (reference §4.3), keeps control and data planes apart, honours the propagation delay and
//! Key Vault's permission model, and explains itself in a trace a person can follow. A
//! denied check carries a least-privilege suggestion.

mod assignments;
mod index;
pub mod keyvault;
mod matrix;
mod suggest;
#[cfg(test)]
mod tests;

pub use assignments::{DenyAssignment, RoleAssignment};
pub(crate) use index::{IndexCache, RbacIndex};
pub use matrix::{AccessMatrix, access_matrix};
pub use suggest::least_privilege_role;

use crate::model::clock::describe_duration;
use crate::model::ids::{ClientId, Guid, ObjectId, ResourceId};
use crate::model::roles::{RoleMatch, builtin_roles, pattern_matches};
use crate::model::world::{KeyVaultPermissionModel, Resource, World};
use index::covers;
use keyvault::{PolicyCategory, required_permission};
use std::fmt;

/// An operation to check: its name and whether it is a data action (the two planes never
/// mix: `actions` cannot grant a data action, even `*`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Action {
    /// The operation, e.g. `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read`.
    pub name: String,
    /// Whether it is a data-plane action.
    pub is_data: bool,
}

impl Action {
    /// A control-plane (management) action.
    pub fn control(name: &str) -> Action {
        Action {
            name: name.to_string(),
            is_data: false,
        }
    }

    /// A data-plane action.
    pub fn data(name: &str) -> Action {
        Action {
            name: name.to_string(),
            is_data: true,
        }
    }

    /// Classifies by the built-in roles: listed literally as a data action → data; listed
    /// literally as an action → control; else matching any data-action pattern → data.
    /// A few operation names exist on both planes (`Microsoft.KeyVault/vaults/keys/read`);
    /// prefer [`Action::data`] / [`Action::control`] where the plane is known.
    pub fn classify(name: &str) -> Action {
        let blocks = || builtin_roles().iter().flat_map(|r| &r.permissions);
        let literal = |list: &Vec<String>| {
            list.iter()
                .any(|p| !p.contains('*') && p.eq_ignore_ascii_case(name))
        };
        let is_data = if blocks().any(|b| literal(&b.data_actions)) {
            true
        } else if blocks().any(|b| literal(&b.actions)) {
            false
        } else {
            blocks().any(|b| b.data_actions.iter().any(|p| pattern_matches(p, name)))
        };
        Action {
            name: name.to_string(),
            is_data,
        }
    }

    fn plane(&self) -> &'static str {
        if self.is_data {
            "data"
        } else {
            "control-plane"
        }
    }
}

/// What kind of step a trace line records.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TraceKind {
    /// The question being asked.
    Question,
    /// Which Key Vault permission model applies.
    PermissionModel,
    /// A deny assignment considered.
    DenyAssignment,
    /// A role assignment considered.
    RoleAssignment,
    /// A permission pattern matched or failed.
    Pattern,
    /// A notActions / notDataActions subtraction.
    Subtraction,
    /// An assignment not yet effective.
    Propagation,
    /// A condition on an assignment.
    Condition,
    /// A Key Vault access policy considered.
    AccessPolicy,
    /// An app-role assignment considered.
    AppRole,
    /// Assignments not relevant here.
    Skipped,
    /// The final answer.
    Result,
}

/// One line of a decision trace.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TraceLine {
    /// What the line is about.
    pub kind: TraceKind,
    /// The sentence.
    pub text: String,
    /// Whether this line decided the outcome.
    pub decisive: bool,
}

impl TraceLine {
    fn new(kind: TraceKind, text: String) -> TraceLine {
        TraceLine {
            kind,
            text,
            decisive: false,
        }
    }
}

/// Why access was granted or refused.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum DecisionReason {
    /// A role assignment grants the action.
    AllowedByRoleAssignment {
        /// The assignment id.
        assignment_id: String,
        /// The role.
        role_name: String,
        /// The matching pattern.
        pattern: String,
    },
    /// A Key Vault access policy grants it (access-policy vaults).
    AllowedByAccessPolicy {
        /// The vault.
        vault: String,
        /// `secrets get`, ...
        permission: String,
    },
    /// The principal holds the app role.
    AllowedByAppRole {
        /// The app role value.
        app_role: String,
    },
    /// A deny assignment blocks it.
    DeniedByDenyAssignment {
        /// The deny assignment id.
        deny_assignment_id: String,
        /// Its name.
        name: String,
    },
    /// A role assignment would grant it but has not propagated yet.
    NotYetPropagated {
        /// The assignment id.
        assignment_id: String,
        /// Seconds until it takes effect.
        seconds_left: i64,
    },
    /// No role assignment grants it (Key Vault says `DeniedWithNoValidRBAC`).
    NoRoleAssignment,
    /// The access-policy vault has no policy for the principal.
    NoAccessPolicy {
        /// The vault.
        vault: String,
    },
    /// The principal's access policy lacks the permission.
    AccessPolicyLacksPermission {
        /// The vault.
        vault: String,
        /// `secrets get`, ...
        permission: String,
    },
    /// The action is not one access policies can grant.
    NotGrantableByAccessPolicy {
        /// The vault.
        vault: String,
    },
    /// The principal does not hold the app role.
    NoAppRole {
        /// The app role value.
        app_role: String,
    },
}

impl fmt::Display for DecisionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DecisionReason::*;
        match self {
            AllowedByRoleAssignment {
                role_name, pattern, ..
            } => {
                write!(
                    f,
                    "Allowed: the {role_name} role assignment grants it ('{pattern}')"
                )
            }
            AllowedByAccessPolicy { vault, permission } => {
                write!(
                    f,
                    "Allowed: the access policy on {vault} grants {permission}"
                )
            }
            AllowedByAppRole { app_role } => write!(
                f,
                "Allowed: the service principal holds the app role {app_role}"
            ),
            DeniedByDenyAssignment { name, .. } => {
                write!(
                    f,
                    "Denied: deny assignment '{name}' blocks it, whatever roles are assigned"
                )
            }
            NotYetPropagated { seconds_left, .. } => write!(
                f,
                "Denied for now: the granting role assignment takes effect in {}",
                describe_duration(*seconds_left)
            ),
            NoRoleAssignment => {
                f.write_str("Denied: no role assignment grants this action at this scope")
            }
            NoAccessPolicy { vault } => write!(
                f,
                "Denied: key vault {vault} uses access policies and has none for this principal"
            ),
            AccessPolicyLacksPermission { vault, permission } => {
                write!(
                    f,
                    "Denied: the access policy on {vault} does not include {permission}"
                )
            }
            NotGrantableByAccessPolicy { vault } => {
                write!(
                    f,
                    "Denied: key vault {vault} uses access policies, which cannot grant this action"
                )
            }
            NoAppRole { app_role } => write!(
                f,
                "Denied: the service principal does not hold the app role {app_role}"
            ),
        }
    }
}

/// What would fix a denial with the least privilege.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Suggestion {
    /// Assign this built-in role at this scope.
    AssignRole {
        /// The role's GUID.
        role_id: Guid,
        /// The role's name.
        role_name: String,
        /// The narrowest existing scope covering the target.
        scope: ResourceId,
        /// That scope as a person reads it.
        scope_label: String,
    },
    /// Add the permission to the principal's access policy (access-policy vaults).
    AddAccessPolicy {
        /// The vault.
        vault: String,
        /// `keys`, `secrets` or `certificates`.
        category: String,
        /// The permission.
        permission: String,
    },
    /// Grant the app role.
    GrantAppRole {
        /// The app role value.
        app_role: String,
    },
    /// Nothing to change: wait for propagation.
    WaitForPropagation {
        /// Seconds left.
        seconds: i64,
    },
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Suggestion::AssignRole {
                role_name,
                scope_label,
                ..
            } => {
                write!(f, "Assign {role_name} at {scope_label}")
            }
            Suggestion::AddAccessPolicy {
                vault,
                category,
                permission,
            } => {
                write!(
                    f,
                    "Add {category} {permission} to this principal's access policy on {vault}"
                )
            }
            Suggestion::GrantAppRole { app_role } => write!(f, "Grant the app role {app_role}"),
            Suggestion::WaitForPropagation { seconds } => {
                write!(
                    f,
                    "Wait {} for the role assignment to propagate",
                    describe_duration(*seconds)
                )
            }
        }
    }
}

/// The answer to an access check.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Decision {
    /// Whether the action is allowed.
    pub allowed: bool,
    /// Why.
    pub reason: DecisionReason,
    /// Every step considered, the deciding one marked.
    pub trace: Vec<TraceLine>,
    /// For a denial, the least-privilege fix.
    pub suggestion: Option<Suggestion>,
}

impl Decision {
    /// The line that decided, if one is marked.
    pub fn decisive_line(&self) -> Option<&TraceLine> {
        self.trace.iter().find(|l| l.decisive)
    }

    fn finish(mut self) -> Decision {
        if !self.trace.iter().any(|l| l.decisive) {
            self.trace.push(TraceLine {
                kind: TraceKind::Result,
                text: self.reason.to_string(),
                decisive: true,
            });
        } else {
            self.trace
                .push(TraceLine::new(TraceKind::Result, self.reason.to_string()));
        }
        self
    }
}

/// The name to print for a principal: its display name, `name (deleted)`, or its id.
fn principal_label(world: &World, index: &RbacIndex, principal: ObjectId) -> String {
    if let Some(name) = index.names.get(&principal) {
        return name.clone();
    }
    match world.deleted_principal(principal) {
        Some((_, d)) => format!("{} (deleted)", d.display_name),
        None => format!("principal {principal}"),
    }
}

/// A scope as a person reads it: `subscription Production`, `Key vault kv-prod`,
/// `blob container reports`, `management group mg-corp`.
fn scope_label(world: &World, index: &RbacIndex, scope_lower: &str, scope: &str) -> String {
    if let Some(&i) = index.resource_by_id.get(scope_lower) {
        let r = &world.resources()[i];
        return format!("{} {}", r.kind.display_name(), r.name);
    }
    if crate::model::roles::is_management_group_scope(scope) {
        return format!("management group {}", ResourceId(scope.to_string()).name());
    }
    let segments: Vec<&str> = scope.trim_end_matches('/').split('/').collect();
    match segments.len() {
        3 => {
            let name = index
                .sub_names
                .get(&segments[2].to_ascii_lowercase())
                .cloned();
            format!(
                "subscription {}",
                name.unwrap_or_else(|| segments[2].to_string())
            )
        }
        5 => format!("resource group {}", segments[4]),
        n if n >= 2 => {
            let kind = match segments[n - 2].to_ascii_lowercase().as_str() {
                "containers" => "blob container",
                "queues" => "queue",
                "tables" => "table",
                "secrets" => "secret",
                "keys" => "key",
                "certificates" => "certificate",
                "databases" => "database",
                "topics" => "topic",
                "eventhubs" => "event hub",
                _ => "resource",
            };
            format!("{kind} {}", segments[n - 1])
        }
        _ => scope.to_string(),
    }
}

/// Whether `principal` may perform `action` on `scope`, and why (reference §4.3).
pub fn check_access(
    world: &World,
    principal: ObjectId,
    action: &Action,
    scope: &ResourceId,
) -> Decision {
    let index = world.index();
    let target = scope.as_str().trim_end_matches('/').to_ascii_lowercase();
    let chain = index.chain_of(&target);
    let who = principal_label(world, &index, principal);
    let mut trace = vec![TraceLine::new(
        TraceKind::Question,
        format!(
            "May {who} perform '{}' ({} action) on {}?",
            action.name,
            action.plane(),
            scope_label(world, &index, &target, scope.as_str())
        ),
    )];

    if action.is_data
        && action.name.len() > 26
        && action.name[..26].eq_ignore_ascii_case("Microsoft.KeyVault/vaults/")
    {
        let vault = index
            .resource_containing(&target)
            .map(|i| &world.resources()[i]);
        if let Some(vault) = vault.filter(|r| r.key_vault.is_some()) {
            let (model, policies) = vault
                .key_vault
                .as_ref()
                .map(|kv| (kv.permission_model, kv.access_policies.len()))
                .unwrap_or((KeyVaultPermissionModel::Rbac, 0));
            if model == KeyVaultPermissionModel::AccessPolicies {
                return access_policy_decision(vault, principal, action, &who, trace);
            }
            trace.push(TraceLine::new(
                TraceKind::PermissionModel,
                format!(
                    "Key vault {} uses the Azure RBAC permission model: its {policies} access {} ignored",
                    vault.name,
                    if policies == 1 { "policy is" } else { "policies are" }
                ),
            ));
        }
    }

    let mut denies_seen = 0;
    for deny in world.deny_assignments() {
        let deny_scope = deny
            .scope
            .as_str()
            .trim_end_matches('/')
            .to_ascii_lowercase();
        let applies = if deny.do_not_apply_to_child_scopes {
            deny_scope == target
        } else {
            covers(&deny_scope, &target, chain)
        };
        if !applies || !deny.names(principal) {
            continue;
        }
        denies_seen += 1;
        let label = scope_label(world, &index, &deny_scope, deny.scope.as_str());
        if let Some(pattern) = deny.denying_pattern(&action.name, action.is_data) {
            trace.push(TraceLine {
                kind: TraceKind::DenyAssignment,
                text: format!(
                    "Deny assignment '{}' at {label} denies '{pattern}' to {who}: deny assignments take precedence over role assignments",
                    deny.deny_assignment_name
                ),
                decisive: true,
            });
            let reason = DecisionReason::DeniedByDenyAssignment {
                deny_assignment_id: deny.id.clone(),
                name: deny.deny_assignment_name.clone(),
            };
            return Decision {
                allowed: false,
                reason,
                trace,
                suggestion: None,
            }
            .finish();
        }
        trace.push(TraceLine::new(
            TraceKind::DenyAssignment,
            format!(
                "Deny assignment '{}' at {label} applies to {who} but does not deny '{}'",
                deny.deny_assignment_name, action.name
            ),
        ));
    }
    if denies_seen == 0 {
        trace.push(TraceLine::new(
            TraceKind::DenyAssignment,
            "No deny assignment applies".to_string(),
        ));
    }

    let (field, not_field) = if action.is_data {
        ("dataActions", "notDataActions")
    } else {
        ("actions", "notActions")
    };
    let now = world.now();
    let delay = world.propagation_delay();
    let mut granted: Option<(usize, DecisionReason)> = None;
    let mut pending: Option<(usize, String, i64)> = None;
    let mut elsewhere = 0usize;
    let positions: &[usize] = index
        .by_principal
        .get(&principal)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let assignments = world.role_assignments();
    for &i in positions {
        let a = &assignments[i];
        let a_scope = &index.scope_lower[i];
        if !covers(a_scope, &target, chain) {
            elsewhere += 1;
            continue;
        }
        let Some(role) = world.role_definition(a.role_definition_id) else {
            trace.push(TraceLine::new(
                TraceKind::RoleAssignment,
                format!(
                    "Role assignment {} refers to a role definition that no longer exists",
                    a.id
                ),
            ));
            continue;
        };
        let label = scope_label(world, &index, a_scope, a.scope.as_str());
        let whence = if *a_scope == target {
            "direct"
        } else {
            "inherited"
        };
        trace.push(TraceLine::new(
            TraceKind::RoleAssignment,
            format!("{who} has {} at {label} ({whence})", role.role_name),
        ));
        match role.evaluate(&action.name, action.is_data) {
            RoleMatch::Granted { pattern } => {
                let effective_at = a.created_at.plus(delay);
                if now < effective_at {
                    let left = effective_at.since(now);
                    trace.push(TraceLine::new(
                        TraceKind::Propagation,
                        format!(
                            "{field} pattern '{pattern}' matches, but the assignment is still propagating: effective in {}",
                            describe_duration(left)
                        ),
                    ));
                    if pending.as_ref().is_none_or(|(_, _, l)| left < *l) {
                        pending = Some((trace.len() - 1, a.id.clone(), left));
                    }
                } else {
                    trace.push(TraceLine::new(
                        TraceKind::Pattern,
                        format!("{field} pattern '{pattern}' matches '{}'", action.name),
                    ));
                    let line = trace.len() - 1;
                    if let Some(condition) = &a.condition {
                        trace.push(TraceLine::new(
                            TraceKind::Condition,
                            format!("The assignment carries a condition (treated as met by the simulator): {condition}"),
                        ));
                    }
                    if granted.is_none() {
                        let reason = DecisionReason::AllowedByRoleAssignment {
                            assignment_id: a.id.clone(),
                            role_name: role.role_name.clone(),
                            pattern,
                        };
                        granted = Some((line, reason));
                    }
                }
            }
            RoleMatch::Subtracted { pattern, not_pattern } => trace.push(TraceLine::new(
                TraceKind::Subtraction,
                format!(
                    "{field} pattern '{pattern}' matches, but {not_field} '{not_pattern}' subtracts it within this role (not a deny: another role may still grant it)"
                ),
            )),
            RoleMatch::ControlPatternOnly { pattern } => trace.push(TraceLine::new(
                TraceKind::Pattern,
                format!(
                    "actions pattern '{pattern}' matches the name, but actions never grant data actions, and no dataActions pattern matches"
                ),
            )),
            RoleMatch::NoMatch => trace.push(TraceLine::new(
                TraceKind::Pattern,
                format!("No {field} pattern of {} matches '{}'", role.role_name, action.name),
            )),
        }
    }
    if positions.is_empty() {
        trace.push(TraceLine::new(
            TraceKind::Skipped,
            format!("{who} has no role assignments"),
        ));
    } else if elsewhere > 0 {
        trace.push(TraceLine::new(
            TraceKind::Skipped,
            format!(
                "{elsewhere} other role assignment{} of {who} {} at scopes that do not contain the target",
                if elsewhere == 1 { "" } else { "s" },
                if elsewhere == 1 { "is" } else { "are" }
            ),
        ));
    }

    if let Some((line, reason)) = granted {
        trace[line].decisive = true;
        return Decision {
            allowed: true,
            reason,
            trace,
            suggestion: None,
        }
        .finish();
    }
    if let Some((line, assignment_id, seconds_left)) = pending {
        trace[line].decisive = true;
        return Decision {
            allowed: false,
            reason: DecisionReason::NotYetPropagated {
                assignment_id,
                seconds_left,
            },
            trace,
            suggestion: Some(Suggestion::WaitForPropagation {
                seconds: seconds_left,
            }),
        }
        .finish();
    }
    let suggestion = suggest::suggest_role(world, action, scope);
    Decision {
        allowed: false,
        reason: DecisionReason::NoRoleAssignment,
        trace,
        suggestion,
    }
    .finish()
}

/// The decision for a Key Vault data action on an access-policy vault (RBAC ignored).
fn access_policy_decision(
    vault: &Resource,
    principal: ObjectId,
    action: &Action,
    who: &str,
    mut trace: Vec<TraceLine>,
) -> Decision {
    trace.push(TraceLine::new(
        TraceKind::PermissionModel,
        format!(
            "Key vault {} uses the access-policy permission model: Azure RBAC role assignments are ignored for its data plane",
            vault.name
        ),
    ));
    let vault_name = vault.name.clone();
    let Some((category, permission)) = required_permission(&action.name) else {
        let reason = DecisionReason::NotGrantableByAccessPolicy { vault: vault_name };
        return Decision {
            allowed: false,
            reason,
            trace,
            suggestion: None,
        }
        .finish();
    };
    let wanted = format!("{category} {permission}");
    let suggestion = Some(Suggestion::AddAccessPolicy {
        vault: vault_name.clone(),
        category: category.to_string(),
        permission: permission.to_string(),
    });
    let policy = vault
        .key_vault
        .as_ref()
        .and_then(|kv| kv.access_policies.iter().find(|p| p.object_id == principal));
    let Some(policy) = policy else {
        trace.push(TraceLine {
            kind: TraceKind::AccessPolicy,
            text: format!("{who} has no access policy on {vault_name}"),
            decisive: true,
        });
        return Decision {
            allowed: false,
            reason: DecisionReason::NoAccessPolicy { vault: vault_name },
            trace,
            suggestion,
        }
        .finish();
    };
    let list = match category {
        PolicyCategory::Keys => &policy.keys,
        PolicyCategory::Secrets => &policy.secrets,
        PolicyCategory::Certificates => &policy.certificates,
    };
    let has = list.iter().any(|p| p.eq_ignore_ascii_case(permission));
    trace.push(TraceLine {
        kind: TraceKind::AccessPolicy,
        text: format!(
            "{who}'s access policy on {vault_name} grants {category} [{}]: {} {permission}",
            list.join(", "),
            if has { "includes" } else { "lacks" }
        ),
        decisive: true,
    });
    if has {
        let reason = DecisionReason::AllowedByAccessPolicy {
            vault: vault_name,
            permission: wanted,
        };
        Decision {
            allowed: true,
            reason,
            trace,
            suggestion: None,
        }
        .finish()
    } else {
        let reason = DecisionReason::AccessPolicyLacksPermission {
            vault: vault_name,
            permission: wanted,
        };
        Decision {
            allowed: false,
            reason,
            trace,
            suggestion,
        }
        .finish()
    }
}

/// The app-role values a principal holds on the API with app id `resource_app` (what the
/// `roles` claim of its token for that API carries), in the principal's tenant.
pub fn app_roles_for(world: &World, principal: ObjectId, resource_app: ClientId) -> Vec<String> {
    let Some((tenant, _)) = world.service_principal(principal) else {
        return Vec::new();
    };
    let Some(api) = tenant
        .service_principals
        .iter()
        .find(|sp| sp.app_id == resource_app)
    else {
        return Vec::new();
    };
    tenant
        .app_role_assignments
        .iter()
        .filter(|a| a.principal_id == principal && a.resource_id == api.object_id)
        .filter_map(|a| api.app_roles.iter().find(|r| r.id == a.app_role_id))
        .map(|r| r.value.clone())
        .collect()
}

/// Whether a principal holds app role `app_role` (value, e.g. `User.Read.All`) on the API
/// with app id `resource_app` (e.g. Microsoft Graph).
pub fn check_app_role(
    world: &World,
    principal: ObjectId,
    resource_app: ClientId,
    app_role: &str,
) -> Decision {
    let index = world.index();
    let who = principal_label(world, &index, principal);
    let api_name = world
        .service_principal(principal)
        .and_then(|(t, _)| {
            t.service_principals
                .iter()
                .find(|sp| sp.app_id == resource_app)
        })
        .map(|sp| sp.display_name.clone())
        .unwrap_or_else(|| resource_app.to_string());
    let mut trace = vec![TraceLine::new(
        TraceKind::Question,
        format!("Does {who} hold the app role {app_role} on {api_name}?"),
    )];
    let held = app_roles_for(world, principal, resource_app);
    let has = held.iter().any(|r| r.eq_ignore_ascii_case(app_role));
    trace.push(TraceLine {
        kind: TraceKind::AppRole,
        text: if held.is_empty() {
            format!("{who} holds no app roles on {api_name}")
        } else {
            format!("{who} holds {} on {api_name}", held.join(", "))
        },
        decisive: true,
    });
    if has {
        let reason = DecisionReason::AllowedByAppRole {
            app_role: app_role.to_string(),
        };
        Decision {
            allowed: true,
            reason,
            trace,
            suggestion: None,
        }
        .finish()
    } else {
        let reason = DecisionReason::NoAppRole {
            app_role: app_role.to_string(),
        };
        let suggestion = Some(Suggestion::GrantAppRole {
            app_role: app_role.to_string(),
        });
        Decision {
            allowed: false,
            reason,
            trace,
            suggestion,
        }
        .finish()
    }
}
