//! Least-privilege suggestions: the built-in role with the fewest permissions that grants
//! an action, at the narrowest existing scope that covers the target.

use super::{Action, Suggestion};
use crate::model::ids::ResourceId;
use crate::model::roles::{RoleDefinition, builtin_roles};
use crate::model::world::World;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// (lower-cased action, is data) → position of the least-privilege built-in role.
type RoleCache = HashMap<(String, bool), Option<usize>>;

/// The narrowest built-in role granting `action` (roles carrying conditions are skipped);
/// ties go to the alphabetically first name.
pub fn least_privilege_role(action: &Action) -> Option<&'static RoleDefinition> {
    // The answer depends only on the action and the (static) built-in roles: remember it.
    static CACHE: OnceLock<Mutex<RoleCache>> = OnceLock::new();
    let key = (action.name.to_ascii_lowercase(), action.is_data);
    let cache = CACHE.get_or_init(Default::default);
    if let Ok(map) = cache.lock()
        && let Some(hit) = map.get(&key)
    {
        return hit.and_then(|i| builtin_roles().get(i));
    }
    let found = scan(action);
    if let Ok(mut map) = cache.lock() {
        let position = found.and_then(|r| builtin_roles().iter().position(|b| std::ptr::eq(b, r)));
        map.insert(key, position);
    }
    found
}

fn scan(action: &Action) -> Option<&'static RoleDefinition> {
    builtin_roles()
        .iter()
        .filter(|r| r.permissions.iter().all(|p| p.condition.is_none()))
        .filter(|r| r.grants(&action.name, action.is_data))
        .map(|r| (r.breadth(), r))
        .min_by(|(wa, a), (wb, b)| wa.cmp(wb).then_with(|| a.role_name.cmp(&b.role_name)))
        .map(|(_, r)| r)
}

/// The suggestion for a denial with no granting assignment.
pub(crate) fn suggest_role(
    world: &World,
    action: &Action,
    scope: &ResourceId,
) -> Option<Suggestion> {
    let role = least_privilege_role(action)?;
    let mut text = scope.as_str().trim_end_matches('/');
    let resolved = loop {
        if let Ok(resolved) = world.resolve_scope(text) {
            break resolved;
        }
        let cut = text.rfind('/')?;
        if cut == 0 {
            return None;
        }
        text = &text[..cut];
    };
    Some(Suggestion::AssignRole {
        role_id: role.id,
        role_name: role.role_name.clone(),
        scope: resolved.id,
        scope_label: resolved.label,
    })
}
