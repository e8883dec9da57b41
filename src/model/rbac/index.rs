//! Derived lookup tables over a world (assignments by principal, lower-cased scopes,
//! management-group chains, resources by id) so access checks stay in microseconds. They are
//! rebuilt lazily after every change; the world itself stays a plain value.

use crate::model::ids::ObjectId;
use crate::model::roles::{MANAGEMENT_GROUP_PREFIX, is_management_group_scope};
use crate::model::world::World;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Lookup tables derived from a [`World`].
#[derive(Debug, Default)]
pub struct RbacIndex {
    /// Role-assignment positions per principal, in the order a check considers them: the
    /// nearest scope first (a resource, then its group, its subscription, then management
    /// groups from the nearest up), then by scope, role name and assignment id. The order in
    /// which assignments were made never shows in a decision or its trace.
    pub(crate) by_principal: HashMap<ObjectId, Vec<usize>>,
    /// Each role assignment's scope, lower-cased (parallel to the world's assignments).
    pub(crate) scope_lower: Vec<String>,
    /// Each subscription (lower-cased id) → its management groups, nearest first, lower-cased.
    pub(crate) sub_chain: HashMap<String, Vec<String>>,
    /// Each management group (lower-cased name) → itself and its ancestors, lower-cased.
    pub(crate) mg_chain: HashMap<String, Vec<String>>,
    /// Resource position by lower-cased id.
    pub(crate) resource_by_id: HashMap<String, usize>,
    /// Live service principal display names.
    pub(crate) names: HashMap<ObjectId, String>,
    /// Subscription names by lower-cased id.
    pub(crate) sub_names: HashMap<String, String>,
}

impl RbacIndex {
    /// Builds the tables.
    pub fn build(world: &World) -> RbacIndex {
        let mut index = RbacIndex::default();
        for (i, a) in world.role_assignments().iter().enumerate() {
            index
                .by_principal
                .entry(a.principal_id)
                .or_default()
                .push(i);
            index
                .scope_lower
                .push(a.scope.as_str().trim_end_matches('/').to_ascii_lowercase());
        }
        let lower = |v: Vec<String>| {
            v.into_iter()
                .map(|s| s.to_ascii_lowercase())
                .collect::<Vec<_>>()
        };
        for mg in world.management_groups() {
            let chain = lower(world.management_group_chain(Some(&mg.name)));
            index.mg_chain.insert(mg.name.to_ascii_lowercase(), chain);
        }
        for sub in world.subscriptions() {
            let key = sub.id.to_string();
            let chain = lower(world.management_group_chain(sub.management_group.as_deref()));
            index.sub_chain.insert(key.clone(), chain);
            index.sub_names.insert(key, sub.name.clone());
        }
        for (i, r) in world.resources().iter().enumerate() {
            index
                .resource_by_id
                .insert(r.id.as_str().to_ascii_lowercase(), i);
        }
        for t in world.tenants() {
            for sp in &t.service_principals {
                index.names.insert(sp.object_id, sp.display_name.clone());
            }
        }
        let assignments = world.role_assignments();
        let key = |i: usize| {
            let scope = index.scope_lower[i].as_str();
            let depth = if is_management_group_scope(scope) {
                let name = &scope[MANAGEMENT_GROUP_PREFIX.len()..];
                index.mg_chain.get(name).map_or(0, Vec::len)
            } else {
                MANAGEMENT_GROUP_DEPTH_LIMIT + scope.matches('/').count()
            };
            let a = &assignments[i];
            let role = world
                .role_definition(a.role_definition_id)
                .map_or("", |r| r.role_name.as_str());
            (
                std::cmp::Reverse(depth),
                scope,
                role,
                a.id.to_ascii_lowercase(),
            )
        };
        for positions in index.by_principal.values_mut() {
            positions.sort_by_cached_key(|&i| key(i));
        }
        index
    }

    /// The management groups above a (lower-cased) target scope, nearest first.
    pub(crate) fn chain_of(&self, target_lower: &str) -> &[String] {
        if is_management_group_scope(target_lower) {
            let name = &target_lower[MANAGEMENT_GROUP_PREFIX.len()..];
            return self.mg_chain.get(name).map(Vec::as_slice).unwrap_or(&[]);
        }
        match subscription_part(target_lower) {
            Some(sub) => self.sub_chain.get(sub).map(Vec::as_slice).unwrap_or(&[]),
            None => &[],
        }
    }

    /// The resource containing a (lower-cased) scope, walking up from the scope itself.
    pub(crate) fn resource_containing(&self, target_lower: &str) -> Option<usize> {
        let mut end = target_lower.len();
        loop {
            if let Some(&i) = self.resource_by_id.get(&target_lower[..end]) {
                return Some(i);
            }
            end = target_lower[..end].rfind('/')?;
            if end == 0 {
                return None;
            }
        }
    }
}

/// More than any management-group chain is long (Azure allows six levels below the root),
/// so every subscription scope sorts as nearer than every management group.
const MANAGEMENT_GROUP_DEPTH_LIMIT: usize = 16;

/// The subscription id (lower-cased) in a lower-cased scope, if any.
pub(crate) fn subscription_part(scope_lower: &str) -> Option<&str> {
    let rest = scope_lower.strip_prefix("/subscriptions/")?;
    Some(rest.split('/').next().unwrap_or(rest))
}

/// Whether a lower-cased assignment scope covers a lower-cased target whose management-group
/// chain is `chain`.
pub(crate) fn covers(scope_lower: &str, target_lower: &str, chain: &[String]) -> bool {
    if is_management_group_scope(scope_lower) {
        let name = &scope_lower[MANAGEMENT_GROUP_PREFIX.len()..];
        return chain.iter().any(|m| m == name);
    }
    target_lower == scope_lower
        || (target_lower.starts_with(scope_lower)
            && target_lower.as_bytes().get(scope_lower.len()) == Some(&b'/'))
}

/// A lazily built [`RbacIndex`]. It never takes part in equality or serialization, and a
/// clone shares the tables already built.
#[derive(Default)]
pub struct IndexCache(OnceLock<Arc<RbacIndex>>);

impl IndexCache {
    /// The index for `world`, built on first use.
    pub(crate) fn get_or_build(&self, world: &World) -> Arc<RbacIndex> {
        Arc::clone(self.0.get_or_init(|| Arc::new(RbacIndex::build(world))))
    }
}

impl IndexCache {
    /// The index if it is already built.
    pub(crate) fn peek(&self) -> Option<&Arc<RbacIndex>> {
        self.0.get()
    }
}

impl Clone for IndexCache {
    fn clone(&self) -> IndexCache {
        let cache = IndexCache::default();
        if let Some(index) = self.0.get() {
            let _ = cache.0.set(Arc::clone(index));
        }
        cache
    }
}

impl PartialEq for IndexCache {
    fn eq(&self, _: &IndexCache) -> bool {
        true
    }
}

impl fmt::Debug for IndexCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IndexCache")
    }
}
