//! The access matrix: every managed identity × every resource for one action, computed in
//! one sweep (assignments by principal, resources sorted by id so a scope covers a
//! contiguous range) rather than a million separate checks. Agrees with `check_access`.

use super::Action;
use super::index::covers;
use super::keyvault::{PolicyCategory, required_permission};
use crate::model::ids::{ObjectId, ResourceId};
use crate::model::roles::is_management_group_scope;
use crate::model::world::{KeyVaultPermissionModel, ServicePrincipalType, World};
use std::collections::HashMap;

/// Who may do one action where.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AccessMatrix {
    /// The action checked.
    pub action: Action,
    /// Rows: every live managed identity.
    pub principals: Vec<ObjectId>,
    /// Columns: every ARM resource.
    pub resources: Vec<ResourceId>,
    allowed: Vec<bool>,
}

impl AccessMatrix {
    /// Whether row `principal` may act on column `resource`.
    pub fn allowed(&self, principal: usize, resource: usize) -> bool {
        self.allowed
            .get(principal * self.resources.len() + resource)
            .copied()
            .unwrap_or(false)
    }

    /// One principal's row.
    pub fn row(&self, principal: usize) -> &[bool] {
        let n = self.resources.len();
        self.allowed
            .get(principal * n..(principal + 1) * n)
            .unwrap_or(&[])
    }

    /// How many cells are allowed.
    pub fn allowed_count(&self) -> usize {
        self.allowed.iter().filter(|a| **a).count()
    }
}

/// Computes the matrix for `action` over every live managed identity and every resource.
pub fn access_matrix(world: &World, action: &Action) -> AccessMatrix {
    let index = world.index();
    let principals: Vec<ObjectId> = world
        .tenants()
        .iter()
        .flat_map(|t| &t.service_principals)
        .filter(|sp| sp.service_principal_type == ServicePrincipalType::ManagedIdentity)
        .map(|sp| sp.object_id)
        .collect();
    let resources: Vec<ResourceId> = world.resources().iter().map(|r| r.id.clone()).collect();
    let n = resources.len();
    let mut allowed = vec![false; principals.len() * n];

    // Columns sorted by lower-cased id: the resources within scope S are S itself plus the
    // contiguous run of ids starting with "S/".
    let lower: Vec<String> = resources
        .iter()
        .map(|r| r.as_str().to_ascii_lowercase())
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| lower[*a].cmp(&lower[*b]));
    let sorted: Vec<&str> = order.iter().map(|&i| lower[i].as_str()).collect();
    let chains: Vec<&[String]> = lower.iter().map(|l| index.chain_of(l)).collect();
    let covered = |scope: &str, exact_only: bool| -> Vec<usize> {
        if is_management_group_scope(scope) {
            return (0..n)
                .filter(|&c| covers(scope, &lower[c], chains[c]))
                .collect();
        }
        let mut cols = Vec::new();
        if let Ok(pos) = sorted.binary_search(&scope) {
            cols.push(order[pos]);
        }
        if !exact_only {
            let start = format!("{scope}/");
            let end = format!("{scope}0"); // '0' follows '/' in ASCII
            let from = sorted.partition_point(|s| *s < start.as_str());
            let to = sorted.partition_point(|s| *s < end.as_str());
            cols.extend(order[from..to].iter().copied());
        }
        cols
    };

    let mut grants_role: HashMap<crate::model::ids::Guid, bool> = HashMap::new();
    let now = world.now();
    let delay = world.propagation_delay();
    let assignments = world.role_assignments();
    for (row, principal) in principals.iter().enumerate() {
        let Some(positions) = index.by_principal.get(principal) else {
            continue;
        };
        for &i in positions {
            let a = &assignments[i];
            if now < a.created_at.plus(delay) {
                continue;
            }
            let grants = *grants_role.entry(a.role_definition_id).or_insert_with(|| {
                world
                    .role_definition(a.role_definition_id)
                    .is_some_and(|r| r.grants(&action.name, action.is_data))
            });
            if grants {
                for col in covered(&index.scope_lower[i], false) {
                    allowed[row * n + col] = true;
                }
            }
        }
    }

    for deny in world.deny_assignments() {
        if deny.denying_pattern(&action.name, action.is_data).is_none() {
            continue;
        }
        let scope = deny
            .scope
            .as_str()
            .trim_end_matches('/')
            .to_ascii_lowercase();
        let cols = covered(&scope, deny.do_not_apply_to_child_scopes);
        for (row, principal) in principals.iter().enumerate() {
            if deny.names(*principal) {
                for &col in &cols {
                    allowed[row * n + col] = false;
                }
            }
        }
    }

    if action.is_data {
        if let Some((category, permission)) = required_permission(&action.name) {
            for (col, r) in world.resources().iter().enumerate() {
                let Some(kv) = r.key_vault.as_ref() else {
                    continue;
                };
                if kv.permission_model != KeyVaultPermissionModel::AccessPolicies {
                    continue;
                }
                for (row, principal) in principals.iter().enumerate() {
                    let has = kv
                        .access_policies
                        .iter()
                        .find(|p| p.object_id == *principal)
                        .is_some_and(|p| {
                            let list = match category {
                                PolicyCategory::Keys => &p.keys,
                                PolicyCategory::Secrets => &p.secrets,
                                PolicyCategory::Certificates => &p.certificates,
                            };
                            list.iter().any(|x| x.eq_ignore_ascii_case(permission))
                        });
                    allowed[row * n + col] = has;
                }
            }
        } else if action.name.len() > 26
            && action.name[..26].eq_ignore_ascii_case("Microsoft.KeyVault/vaults/")
        {
            for (col, r) in world.resources().iter().enumerate() {
                if r.key_vault.as_ref().is_some_and(|kv| {
                    kv.permission_model == KeyVaultPermissionModel::AccessPolicies
                }) {
                    for row in 0..principals.len() {
                        allowed[row * n + col] = false;
                    }
                }
            }
        }
    }

    AccessMatrix {
        action: action.clone(),
        principals,
        resources,
        allowed,
    }
}
