//! Azure role definitions: the 51 real built-in roles (same GUIDs and action strings as
//! `az role definition list`), custom roles validated the way Azure validates them, and the
//! case-insensitive wildcard matching of permission strings.

use super::ids::Guid;
use crate::model::json::{FromJson, ToJson};
use std::fmt;
use std::sync::OnceLock;

/// Built-in or custom, as `roleType` says.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum RoleType {
    /// Defined by Microsoft; assignable everywhere (`assignableScopes` `["/"]`).
    BuiltInRole,
    /// Defined in a tenant; assignable only within its `assignableScopes`.
    CustomRole,
}

/// One `permissions[]` block of a role definition.
#[derive(Clone, PartialEq, Eq, Debug, Default, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    /// Control-plane operations granted (wildcards allowed); never grant data actions.
    #[serde(default)]
    pub actions: Vec<String>,
    /// Control-plane operations subtracted from `actions` of this block (not a deny).
    #[serde(default)]
    pub not_actions: Vec<String>,
    /// Data-plane operations granted.
    #[serde(default)]
    pub data_actions: Vec<String>,
    /// Data-plane operations subtracted from `data_actions` of this block (not a deny).
    #[serde(default)]
    pub not_data_actions: Vec<String>,
    /// An ABAC condition attached to the definition, kept for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The condition language version (`"2.0"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition_version: Option<String>,
}

/// A role definition (`Microsoft.Authorization/roleDefinitions`).
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinition {
    /// The role's GUID (`name` in ARM); built-in GUIDs are the same in every cloud.
    pub id: Guid,
    /// The display name, e.g. `Storage Blob Data Reader`.
    pub role_name: String,
    /// What the role is for.
    #[serde(default)]
    pub description: String,
    /// Built-in or custom.
    pub role_type: RoleType,
    /// The permission blocks (built-ins have exactly one).
    pub permissions: Vec<Permission>,
    /// Where the role may be assigned; `["/"]` for built-ins.
    pub assignable_scopes: Vec<String>,
}

/// How one role definition relates to one action, for the decision trace.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RoleMatch {
    /// A pattern grants the action and no not-pattern of the same block removes it.
    Granted {
        /// The granting pattern from `actions` or `dataActions`.
        pattern: String,
    },
    /// A pattern matches but a `notActions`/`notDataActions` pattern of the same block
    /// subtracts it (which is not a deny: another role may still grant it).
    Subtracted {
        /// The pattern that would have granted.
        pattern: String,
        /// The not-pattern that removed it.
        not_pattern: String,
    },
    /// The action is a data action and only an `actions` pattern matches it: control-plane
    /// wildcards never grant data actions.
    ControlPatternOnly {
        /// The `actions` pattern that matches the text but cannot grant data.
        pattern: String,
    },
    /// Nothing in the role matches.
    NoMatch,
}

impl RoleDefinition {
    /// The fully qualified id `/providers/Microsoft.Authorization/roleDefinitions/{guid}`.
    pub fn full_id(&self) -> String {
        format!(
            "/providers/Microsoft.Authorization/roleDefinitions/{}",
            self.id
        )
    }

    /// Whether any block has data actions.
    pub fn has_data_actions(&self) -> bool {
        self.permissions.iter().any(|p| !p.data_actions.is_empty())
    }

    /// How this role relates to `action` (`is_data` picks dataActions or actions).
    pub fn evaluate(&self, action: &str, is_data: bool) -> RoleMatch {
        let mut best = RoleMatch::NoMatch;
        for block in &self.permissions {
            let (grants, nots) = if is_data {
                (&block.data_actions, &block.not_data_actions)
            } else {
                (&block.actions, &block.not_actions)
            };
            if let Some(pattern) = grants.iter().find(|p| pattern_matches(p, action)) {
                match nots.iter().find(|p| pattern_matches(p, action)) {
                    None => {
                        return RoleMatch::Granted {
                            pattern: pattern.clone(),
                        };
                    }
                    Some(not_pattern) => {
                        best = RoleMatch::Subtracted {
                            pattern: pattern.clone(),
                            not_pattern: not_pattern.clone(),
                        }
                    }
                }
            } else if is_data
                && best == RoleMatch::NoMatch
                && let Some(pattern) = block.actions.iter().find(|p| pattern_matches(p, action))
            {
                best = RoleMatch::ControlPatternOnly {
                    pattern: pattern.clone(),
                };
            }
        }
        best
    }

    /// Whether the role grants `action` (the fast path of [`RoleDefinition::evaluate`]).
    pub fn grants(&self, action: &str, is_data: bool) -> bool {
        self.permissions.iter().any(|block| {
            let (grants, nots) = if is_data {
                (&block.data_actions, &block.not_data_actions)
            } else {
                (&block.actions, &block.not_actions)
            };
            grants.iter().any(|p| pattern_matches(p, action))
                && !nots.iter().any(|p| pattern_matches(p, action))
        })
    }

    /// How broad the role is, for least-privilege suggestions: a literal action weighs 1;
    /// a wildcard in the middle with a provider prefix (`Microsoft.ServiceBus/*/send/action`)
    /// 3; an open-ended pattern (`Microsoft.ServiceBus/*`, which also covers future actions)
    /// 50 and more the shorter its prefix; a leading wildcard (`*/read`) 1,000; a bare `*`
    /// 100,000.
    pub fn breadth(&self) -> u64 {
        let weigh = |p: &String| -> u64 {
            match p.find('*') {
                None => 1,
                Some(_) if p == "*" => 100_000,
                Some(0) => 1_000,
                Some(star) if p.ends_with('*') => 50 + 990 / (star as u64 + 1),
                Some(_) => 3,
            }
        };
        self.permissions
            .iter()
            .flat_map(|b| b.actions.iter().chain(&b.data_actions))
            .map(weigh)
            .sum()
    }
}

/// Case-insensitive match of an Azure permission pattern against an action; `*` matches
/// any run of characters, including `/` (so `*/read` covers every provider's reads).
pub fn pattern_matches(pattern: &str, action: &str) -> bool {
    let (p, a) = (pattern.as_bytes(), action.as_bytes());
    let (mut pi, mut ai) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ai < a.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ai));
            pi += 1;
        } else if pi < p.len() && p[pi].eq_ignore_ascii_case(&a[ai]) {
            pi += 1;
            ai += 1;
        } else if let Some((sp, sa)) = star {
            pi = sp + 1;
            ai = sa + 1;
            star = Some((sp, sa + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// The raw shape of `data/builtin-roles.json` (the `az role definition list` output).
#[derive(FromJson)]
#[serde(rename_all = "camelCase")]
struct RawRole {
    role_name: String,
    id: Guid,
    #[serde(default)]
    description: String,
    permissions: Vec<Permission>,
    assignable_scopes: Vec<String>,
}

/// The built-in roles file, compiled in.
const BUILTIN_ROLES_JSON: &str = include_str!("../../data/builtin-roles.json");

fn parse_builtin_roles(text: &str) -> Result<Vec<RoleDefinition>, crate::model::json::Error> {
    let raw: Vec<RawRole> = crate::model::json::from_text(text)?;
    Ok(raw
        .into_iter()
        .map(|r| RoleDefinition {
            id: r.id,
            role_name: r.role_name,
            description: r.description,
            role_type: RoleType::BuiltInRole,
            permissions: r.permissions,
            assignable_scopes: r.assignable_scopes,
        })
        .collect())
}

/// The 51 built-in role definitions, parsed once. (A test proves the file parses; were it
/// ever broken, the list would be empty rather than the page crashing.)
pub fn builtin_roles() -> &'static [RoleDefinition] {
    static ROLES: OnceLock<Vec<RoleDefinition>> = OnceLock::new();
    ROLES.get_or_init(|| parse_builtin_roles(BUILTIN_ROLES_JSON).unwrap_or_default())
}

/// A built-in role by exact GUID.
pub fn builtin_by_id(id: Guid) -> Option<&'static RoleDefinition> {
    builtin_roles().iter().find(|r| r.id == id)
}

/// A built-in role by name (case-insensitive, as the portal and CLI accept).
pub fn builtin_by_name(name: &str) -> Option<&'static RoleDefinition> {
    builtin_roles()
        .iter()
        .find(|r| r.role_name.eq_ignore_ascii_case(name))
}

/// Well-known built-in role GUIDs, for tests and scenarios.
pub mod well_known {
    use super::Guid;
    /// Owner.
    pub const OWNER: Guid = Guid(0x8e3af657_a8ff_443c_a75c_2fe8c4bcb635);
    /// Contributor.
    pub const CONTRIBUTOR: Guid = Guid(0xb24988ac_6180_42a0_ab88_20f7382dd24c);
    /// Reader.
    pub const READER: Guid = Guid(0xacdd72a7_3385_48ef_bd42_f606fba81ae7);
    /// User Access Administrator.
    pub const USER_ACCESS_ADMINISTRATOR: Guid = Guid(0x18d7d88d_d35e_4fb5_a5c3_7773c20a72d9);
    /// Key Vault Secrets User.
    pub const KEY_VAULT_SECRETS_USER: Guid = Guid(0x4633458b_17de_408a_b874_0445c86b69e6);
    /// Key Vault Reader.
    pub const KEY_VAULT_READER: Guid = Guid(0x21090545_7ca7_4776_b22c_e363652d74d2);
    /// Storage Blob Data Reader.
    pub const STORAGE_BLOB_DATA_READER: Guid = Guid(0x2a2b9908_6ea1_4ae2_8e65_a410df84e7d1);
    /// Storage Blob Data Contributor.
    pub const STORAGE_BLOB_DATA_CONTRIBUTOR: Guid = Guid(0xba92f5b4_2d11_453d_a403_e96b0029c9fe);
}

/// Why Azure refuses a custom role definition. Messages follow Azure's wording where it is
/// documented (reference §4.1 and §4.8); the codes are the ARM error codes.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum CustomRoleError {
    /// The role name is empty.
    EmptyRoleName,
    /// The role name is longer than 512 characters.
    RoleNameTooLong {
        /// The name's length.
        length: usize,
    },
    /// A built-in or custom role with this name already exists.
    RoleNameTaken {
        /// The name asked for.
        name: String,
    },
    /// The definition grants nothing: no actions and no data actions.
    NoPermissions,
    /// An action string has more than one `*`.
    MoreThanOneWildcard {
        /// The offending action string.
        action: String,
    },
    /// No assignable scopes were given.
    NoAssignableScopes,
    /// An assignable scope contains `*`.
    WildcardInAssignableScope {
        /// The offending scope.
        scope: String,
    },
    /// An assignable scope is the root scope `/`.
    RootAssignableScope,
    /// More than one management group in the assignable scopes.
    MoreThanOneManagementGroup,
    /// A role with data actions lists a management group as assignable scope.
    DataActionsAtManagementGroup {
        /// The management-group scope.
        scope: String,
    },
    /// An assignable scope does not exist in the world.
    AssignableScopeNotFound {
        /// The missing scope.
        scope: String,
    },
    /// The tenant already holds 5,000 custom roles.
    RoleDefinitionLimitExceeded,
}

impl fmt::Display for CustomRoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomRoleError::EmptyRoleName => {
                f.write_str("The role name must not be empty. (code: InvalidRoleDefinition)")
            }
            CustomRoleError::RoleNameTooLong { length } => write!(
                f,
                "The role name is {length} characters long; the maximum is 512. (code: InvalidRoleDefinition)"
            ),
            CustomRoleError::RoleNameTaken { name } => write!(
                f,
                "A role definition named '{name}' already exists. (code: RoleDefinitionWithSameNameExists)"
            ),
            CustomRoleError::NoPermissions => f.write_str(
                "The role definition must grant at least one action or data action. (code: InvalidRoleDefinition)",
            ),
            CustomRoleError::MoreThanOneWildcard { action } => write!(
                f,
                "The action '{action}' contains more than one wildcard. You can have only one wildcard in an action string. (code: InvalidActionOrNotAction)"
            ),
            CustomRoleError::NoAssignableScopes => f.write_str(
                "A custom role must have at least one assignable scope. (code: InvalidAssignableScopes)",
            ),
            CustomRoleError::WildcardInAssignableScope { scope } => write!(
                f,
                "The assignable scope '{scope}' contains a wildcard. You cannot use wildcards (*) in AssignableScopes. (code: InvalidAssignableScopes)"
            ),
            CustomRoleError::RootAssignableScope => f.write_str(
                "You cannot set AssignableScopes to the root scope (\"/\"). (code: InvalidAssignableScopes)",
            ),
            CustomRoleError::MoreThanOneManagementGroup => f.write_str(
                "Only one management group can be defined in AssignableScopes of a custom role. (code: InvalidAssignableScopes)",
            ),
            CustomRoleError::DataActionsAtManagementGroup { scope } => write!(
                f,
                "Custom roles with DataActions can't be assigned at the management group scope ('{scope}'). (code: InvalidAssignableScopes)"
            ),
            CustomRoleError::AssignableScopeNotFound { scope } => write!(
                f,
                "The assignable scope '{scope}' does not exist. (code: InvalidAssignableScopes)"
            ),
            CustomRoleError::RoleDefinitionLimitExceeded => f.write_str(
                "Role definition limit exceeded. No more role definitions can be created (code: RoleDefinitionLimitExceeded)",
            ),
        }
    }
}

/// The prefix of management-group scopes.
pub const MANAGEMENT_GROUP_PREFIX: &str = "/providers/Microsoft.Management/managementGroups/";

/// Checks a proposed custom role the way Azure does, apart from scope existence and limits
/// (which need the world). Returns the first violation.
pub fn validate_custom_role(
    role_name: &str,
    permissions: &[Permission],
    assignable_scopes: &[String],
    existing: &[RoleDefinition],
) -> Result<(), CustomRoleError> {
    if role_name.trim().is_empty() {
        return Err(CustomRoleError::EmptyRoleName);
    }
    let length = role_name.chars().count();
    if length > 512 {
        return Err(CustomRoleError::RoleNameTooLong { length });
    }
    let taken = builtin_roles()
        .iter()
        .chain(existing)
        .any(|r| r.role_name.eq_ignore_ascii_case(role_name));
    if taken {
        return Err(CustomRoleError::RoleNameTaken {
            name: role_name.to_string(),
        });
    }
    if permissions
        .iter()
        .all(|p| p.actions.is_empty() && p.data_actions.is_empty())
    {
        return Err(CustomRoleError::NoPermissions);
    }
    for block in permissions {
        let all = block
            .actions
            .iter()
            .chain(&block.not_actions)
            .chain(&block.data_actions)
            .chain(&block.not_data_actions);
        if let Some(action) = all.into_iter().find(|a| a.matches('*').count() > 1) {
            return Err(CustomRoleError::MoreThanOneWildcard {
                action: action.clone(),
            });
        }
    }
    if assignable_scopes.is_empty() {
        return Err(CustomRoleError::NoAssignableScopes);
    }
    if let Some(scope) = assignable_scopes.iter().find(|s| s.contains('*')) {
        return Err(CustomRoleError::WildcardInAssignableScope {
            scope: scope.clone(),
        });
    }
    if assignable_scopes
        .iter()
        .any(|s| s.trim_end_matches('/').is_empty())
    {
        return Err(CustomRoleError::RootAssignableScope);
    }
    let groups: Vec<&String> = assignable_scopes
        .iter()
        .filter(|s| is_management_group_scope(s))
        .collect();
    if groups.len() > 1 {
        return Err(CustomRoleError::MoreThanOneManagementGroup);
    }
    if let Some(scope) = groups.first()
        && permissions.iter().any(|p| !p.data_actions.is_empty())
    {
        return Err(CustomRoleError::DataActionsAtManagementGroup {
            scope: (*scope).clone(),
        });
    }
    Ok(())
}

/// Whether a scope string is a management group's.
pub fn is_management_group_scope(scope: &str) -> bool {
    scope.len() > MANAGEMENT_GROUP_PREFIX.len()
        && scope.as_bytes()[..MANAGEMENT_GROUP_PREFIX.len()]
            .eq_ignore_ascii_case(MANAGEMENT_GROUP_PREFIX.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_roles_file_parses_into_51_roles_with_real_guids() {
        let roles = parse_builtin_roles(BUILTIN_ROLES_JSON).unwrap();
        assert_eq!(roles.len(), 51);
        assert_eq!(builtin_roles().len(), 51);
        let cases = [
            ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
            ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
            (
                "Storage Blob Data Reader",
                "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            ),
            (
                "Key Vault Secrets User",
                "4633458b-17de-408a-b874-0445c86b69e6",
            ),
            ("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d"),
        ];
        for (name, guid) in cases {
            let role = builtin_by_name(name).unwrap();
            assert_eq!(role.id.to_string(), guid);
            assert_eq!(builtin_by_id(role.id).unwrap().role_name, name);
            assert_eq!(role.role_type, RoleType::BuiltInRole);
            assert_eq!(role.assignable_scopes, vec!["/".to_string()]);
        }
        assert_eq!(builtin_by_id(well_known::OWNER).unwrap().role_name, "Owner");
        assert_eq!(
            builtin_by_name("contributor").unwrap().full_id(),
            "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
        );
    }

    #[test]
    fn patterns_match_case_insensitively_with_wildcards_anywhere() {
        let cases = [
            ("*", "Microsoft.Compute/virtualMachines/read", true),
            (
                "*/read",
                "Microsoft.Network/virtualNetworks/subnets/read",
                true,
            ),
            ("*/read", "Microsoft.Network/virtualNetworks/write", false),
            (
                "Microsoft.KeyVault/vaults/*/read",
                "Microsoft.KeyVault/vaults/secrets/read",
                true,
            ),
            (
                "Microsoft.KeyVault/vaults/*/read",
                "microsoft.keyvault/VAULTS/keys/versions/READ",
                true,
            ),
            (
                "Microsoft.KeyVault/vaults/*/read",
                "Microsoft.KeyVault/vaults/read",
                false,
            ),
            (
                "Microsoft.Authorization/*/Write",
                "Microsoft.Authorization/roleAssignments/write",
                true,
            ),
            (
                "Microsoft.Compute/*",
                "Microsoft.Compute/virtualMachines/start/action",
                true,
            ),
            ("Microsoft.Compute/*", "Microsoft.ComputeX/foo", false),
            (
                "microsoft.web/sites/restart/Action",
                "Microsoft.Web/sites/restart/action",
                true,
            ),
            ("Microsoft.Storage/a", "Microsoft.Storage/ab", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXcYYb", false),
        ];
        for (pattern, action, expected) in cases {
            assert_eq!(
                pattern_matches(pattern, action),
                expected,
                "{pattern} vs {action}"
            );
        }
    }

    #[test]
    fn evaluate_explains_grant_subtraction_and_control_only_matches() {
        let contributor = builtin_by_id(well_known::CONTRIBUTOR).unwrap();
        assert_eq!(
            contributor.evaluate("Microsoft.Authorization/roleAssignments/write", false),
            RoleMatch::Subtracted {
                pattern: "*".into(),
                not_pattern: "Microsoft.Authorization/*/Write".into()
            }
        );
        let owner = builtin_by_id(well_known::OWNER).unwrap();
        let blob_read = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
        assert_eq!(
            owner.evaluate(blob_read, true),
            RoleMatch::ControlPatternOnly {
                pattern: "*".into()
            }
        );
        assert!(!owner.grants(blob_read, true));
        let reader = builtin_by_id(well_known::STORAGE_BLOB_DATA_READER).unwrap();
        assert_eq!(
            reader.evaluate(blob_read, true),
            RoleMatch::Granted {
                pattern: blob_read.into()
            }
        );
        assert_eq!(
            reader.evaluate("Microsoft.Compute/virtualMachines/read", false),
            RoleMatch::NoMatch
        );
    }

    #[test]
    fn breadth_ranks_narrow_data_roles_below_wildcard_roles() {
        let reader = builtin_by_id(well_known::STORAGE_BLOB_DATA_READER)
            .unwrap()
            .breadth();
        let contrib = builtin_by_id(well_known::STORAGE_BLOB_DATA_CONTRIBUTOR)
            .unwrap()
            .breadth();
        let owner = builtin_by_id(well_known::OWNER).unwrap().breadth();
        let blob_owner = builtin_by_name("Storage Blob Data Owner")
            .unwrap()
            .breadth();
        assert_eq!(reader, 3);
        assert!(
            reader < contrib && reader < blob_owner && contrib < owner,
            "{reader} {contrib} {blob_owner} {owner}"
        );
    }

    fn perms(actions: &[&str], data: &[&str]) -> Vec<Permission> {
        vec![Permission {
            actions: actions.iter().map(|s| s.to_string()).collect(),
            data_actions: data.iter().map(|s| s.to_string()).collect(),
            ..Permission::default()
        }]
    }

    #[test]
    fn custom_role_validation_reports_each_violation() {
        let sub = "/subscriptions/00000000-0000-0000-0000-000000000001".to_string();
        let mg = format!("{MANAGEMENT_GROUP_PREFIX}mg-corp");
        let mg2 = format!("{MANAGEMENT_GROUP_PREFIX}mg-other");
        let read = perms(&["Microsoft.Compute/*/read"], &[]);
        let data = perms(
            &[],
            &["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
        );
        let long = "x".repeat(513);
        let cases: Vec<(&str, Vec<Permission>, Vec<String>, CustomRoleError)> = vec![
            (
                "",
                read.clone(),
                vec![sub.clone()],
                CustomRoleError::EmptyRoleName,
            ),
            (
                &long,
                read.clone(),
                vec![sub.clone()],
                CustomRoleError::RoleNameTooLong { length: 513 },
            ),
            (
                "owner",
                read.clone(),
                vec![sub.clone()],
                CustomRoleError::RoleNameTaken {
                    name: "owner".into(),
                },
            ),
            (
                "Empty",
                perms(&[], &[]),
                vec![sub.clone()],
                CustomRoleError::NoPermissions,
            ),
            (
                "Two stars",
                perms(&["Microsoft.Compute/*/*"], &[]),
                vec![sub.clone()],
                CustomRoleError::MoreThanOneWildcard {
                    action: "Microsoft.Compute/*/*".into(),
                },
            ),
            (
                "No scopes",
                read.clone(),
                vec![],
                CustomRoleError::NoAssignableScopes,
            ),
            (
                "Star scope",
                read.clone(),
                vec!["/subscriptions/*".into()],
                CustomRoleError::WildcardInAssignableScope {
                    scope: "/subscriptions/*".into(),
                },
            ),
            (
                "Root",
                read.clone(),
                vec!["/".into()],
                CustomRoleError::RootAssignableScope,
            ),
            (
                "Two MGs",
                read.clone(),
                vec![mg.clone(), mg2],
                CustomRoleError::MoreThanOneManagementGroup,
            ),
            (
                "Data at MG",
                data.clone(),
                vec![mg.clone()],
                CustomRoleError::DataActionsAtManagementGroup { scope: mg.clone() },
            ),
        ];
        for (name, permissions, scopes, expected) in cases {
            assert_eq!(
                validate_custom_role(name, &permissions, &scopes, &[]),
                Err(expected),
                "{name}"
            );
        }
        assert_eq!(validate_custom_role("VM reader", &read, &[mg], &[]), Ok(()));
        assert_eq!(
            validate_custom_role("Blob reader", &data, &[sub], &[]),
            Ok(())
        );
    }

    #[test]
    fn custom_role_errors_read_like_azure() {
        assert_eq!(
            CustomRoleError::RootAssignableScope.to_string(),
            "You cannot set AssignableScopes to the root scope (\"/\"). (code: InvalidAssignableScopes)"
        );
        assert_eq!(
            CustomRoleError::RoleDefinitionLimitExceeded.to_string(),
            "Role definition limit exceeded. No more role definitions can be created (code: RoleDefinitionLimitExceeded)"
        );
    }
}
