//! Role assignments and deny assignments as ARM stores them.

use crate::model::clock::SimTime;
use crate::model::ids::{Guid, ObjectId, ResourceId};
use crate::model::json::{FromJson, ToJson};
use crate::model::roles::Permission;

/// A role assignment (`Microsoft.Authorization/roleAssignments`).
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    /// `{scope}/providers/Microsoft.Authorization/roleAssignments/{name}`.
    pub id: String,
    /// The assignment's GUID.
    pub name: Guid,
    /// Who is granted.
    pub principal_id: ObjectId,
    /// The role definition's GUID.
    pub role_definition_id: Guid,
    /// Where it is granted.
    pub scope: ResourceId,
    /// When it was created; it takes effect after the world's propagation delay.
    pub created_at: SimTime,
    /// An ABAC condition, kept for display (the simulator treats it as met).
    pub condition: Option<String>,
}

impl RoleAssignment {
    /// Builds the ARM id from a scope and a GUID.
    pub fn make_id(scope: &ResourceId, name: Guid) -> String {
        format!(
            "{}/providers/Microsoft.Authorization/roleAssignments/{name}",
            scope.as_str().trim_end_matches('/')
        )
    }
}

/// A deny assignment (`Microsoft.Authorization/denyAssignments`): created by Azure
/// (deployment stacks, managed applications); it beats every role assignment.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct DenyAssignment {
    /// `{scope}/providers/Microsoft.Authorization/denyAssignments/{guid}`.
    pub id: String,
    /// `DenyAssignmentName`.
    pub deny_assignment_name: String,
    /// Where it applies.
    pub scope: ResourceId,
    /// Who is denied; [`Guid::NIL`] means all principals.
    pub principals: Vec<ObjectId>,
    /// Who is exempt.
    pub exclude_principals: Vec<ObjectId>,
    /// The denied actions and data actions (minus their not-lists).
    pub permissions: Permission,
    /// Applies to the scope itself only, not below it.
    pub do_not_apply_to_child_scopes: bool,
    /// When it was created.
    pub created_at: SimTime,
}

impl DenyAssignment {
    /// Whether the deny names this principal (directly or as "all principals") and does not
    /// exclude it.
    pub fn names(&self, principal: ObjectId) -> bool {
        let included = self
            .principals
            .iter()
            .any(|p| *p == principal || p.0 == Guid::NIL);
        included && !self.exclude_principals.contains(&principal)
    }

    /// The pattern that denies `action`, if any.
    pub fn denying_pattern(&self, action: &str, is_data: bool) -> Option<&str> {
        let p = &self.permissions;
        let (list, nots) = if is_data {
            (&p.data_actions, &p.not_data_actions)
        } else {
            (&p.actions, &p.not_actions)
        };
        let hit = list
            .iter()
            .find(|pat| crate::model::roles::pattern_matches(pat, action))?;
        if nots
            .iter()
            .any(|pat| crate::model::roles::pattern_matches(pat, action))
        {
            None
        } else {
            Some(hit.as_str())
        }
    }
}
