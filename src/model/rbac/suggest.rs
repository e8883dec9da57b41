//! Least-privilege suggestions: the built-in role with the fewest permissions that grants
//! an action, at the narrowest existing scope that covers the target.

use super::{Action, Suggestion};
use crate::model::ids::ResourceId;
use crate::model::roles::{RoleDefinition, builtin_roles};
use crate::model::world::World;

/// The narrowest built-in role granting `action` (roles carrying conditions are skipped);
/// ties go to the alphabetically first name.
pub fn least_privilege_role(action: &Action) -> Option<&'static RoleDefinition> {
    builtin_roles()
        .iter()
        .filter(|r| r.permissions.iter().all(|p| p.condition.is_none()))
        .filter(|r| r.grants(&action.name, action.is_data))
        .min_by(|a, b| {
            a.breadth()
                .cmp(&b.breadth())
                .then_with(|| a.role_name.cmp(&b.role_name))
        })
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
