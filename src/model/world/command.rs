//! Commands (every change to the world, serde-serializable so a session can be replayed),
//! the events they produce (plain sentences via `Display`) and the errors they can fail with.

use super::resources::{ChildKind, KeyVaultPermissionModel, ResourceKind};
use crate::model::clock::{SimTime, describe_duration};
use crate::model::ids::{ClientId, ObjectId, ResourceId, SubscriptionId, TenantId};
use crate::model::json::{FromJson, ToJson};
use crate::model::roles::{CustomRoleError, Permission};
use std::fmt;

/// One change to the world. Names (of tenants, subscriptions, resources, identities) are
/// resolved case-insensitively; principals may be written as an identity's name or an
/// object id; scopes as an id or a name.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(tag = "command")]
pub enum Command {
    /// Creates an Entra tenant (with Microsoft Graph's service principal in it).
    AddTenant {
        /// Short name, e.g. `contoso`.
        name: String,
    },
    /// Creates a management group.
    AddManagementGroup {
        /// The tenant it belongs to.
        tenant: String,
        /// The group id.
        name: String,
        /// The parent group (none: tenant root group).
        parent: Option<String>,
    },
    /// Creates a subscription trusting a tenant.
    AddSubscription {
        /// Display name.
        name: String,
        /// The tenant it trusts.
        tenant: String,
        /// The management group to place it in.
        management_group: Option<String>,
    },
    /// Creates a resource group.
    AddResourceGroup {
        /// The subscription (name or id).
        subscription: String,
        /// The group's name.
        name: String,
        /// Its region.
        location: String,
    },
    /// Creates a resource (use [`Command::CreateUserAssigned`] for identities).
    AddResource {
        /// The subscription (name or id).
        subscription: String,
        /// The resource group.
        resource_group: String,
        /// The resource's name (unique in the world).
        name: String,
        /// What it is.
        kind: ResourceKind,
        /// Its region.
        location: String,
    },
    /// Creates a child object: a secret, a blob container, a database, ...
    AddChildObject {
        /// The parent resource.
        resource: String,
        /// What the child is.
        kind: ChildKind,
        /// Its name.
        name: String,
    },
    /// Registers a server outside Azure without Arc (no ARM resource, no identity).
    AddOnPremServer {
        /// Its host name.
        name: String,
    },
    /// Deletes a resource (its system-assigned identity goes with it).
    DeleteResource {
        /// The resource.
        resource: String,
    },
    /// Enables the system-assigned identity of a resource.
    EnableSystemAssigned {
        /// The resource.
        resource: String,
    },
    /// Disables the system-assigned identity (its service principal is deleted).
    DisableSystemAssigned {
        /// The resource.
        resource: String,
    },
    /// Creates a user-assigned identity.
    CreateUserAssigned {
        /// The subscription (name or id).
        subscription: String,
        /// The resource group.
        resource_group: String,
        /// The identity's name (unique in the world).
        name: String,
        /// Its region.
        location: String,
    },
    /// Deletes a user-assigned identity (its role assignments become orphans).
    DeleteUserAssigned {
        /// The identity.
        name: String,
    },
    /// Attaches a user-assigned identity to a resource.
    AttachUserAssigned {
        /// The resource.
        resource: String,
        /// The identity.
        identity: String,
    },
    /// Detaches a user-assigned identity from a resource.
    DetachUserAssigned {
        /// The resource.
        resource: String,
        /// The identity.
        identity: String,
    },
    /// Creates a role assignment.
    AddRoleAssignment {
        /// The principal (identity name or object id).
        principal: String,
        /// The role (name or GUID).
        role: String,
        /// The scope (id or name).
        scope: String,
        /// An optional ABAC condition, kept for display.
        condition: Option<String>,
    },
    /// Removes a role assignment by its full id or GUID (works for orphans too).
    RemoveRoleAssignment {
        /// The assignment id or GUID.
        assignment: String,
    },
    /// Creates a deny assignment (as Azure does for deployment stacks and managed apps).
    AddDenyAssignment {
        /// `DenyAssignmentName`.
        name: String,
        /// The scope (id or name).
        scope: String,
        /// Principals denied; `00000000-0000-0000-0000-000000000000` means everyone.
        principals: Vec<String>,
        /// Principals exempt.
        exclude_principals: Vec<String>,
        /// What is denied.
        permissions: Permission,
        /// Applies to the scope itself only.
        do_not_apply_to_child_scopes: bool,
    },
    /// Creates a custom role.
    AddCustomRole {
        /// The role name.
        name: String,
        /// The description.
        description: String,
        /// Its permission blocks.
        permissions: Vec<Permission>,
        /// Where it may be assigned.
        assignable_scopes: Vec<String>,
    },
    /// Switches a key vault between Azure RBAC and access policies.
    SetKeyVaultPermissionModel {
        /// The vault.
        vault: String,
        /// The model.
        model: KeyVaultPermissionModel,
    },
    /// Sets (replaces) a principal's access policy on a key vault.
    SetAccessPolicy {
        /// The vault.
        vault: String,
        /// The principal.
        principal: String,
        /// Key permissions.
        keys: Vec<String>,
        /// Secret permissions.
        secrets: Vec<String>,
        /// Certificate permissions.
        certificates: Vec<String>,
    },
    /// Removes a principal's access policy from a key vault.
    RemoveAccessPolicy {
        /// The vault.
        vault: String,
        /// The principal (name or object id).
        principal: String,
    },
    /// Registers an application (and its service principal) exposing app roles.
    AddAppRegistration {
        /// The tenant.
        tenant: String,
        /// Display name.
        name: String,
        /// App role values it defines.
        app_roles: Vec<String>,
    },
    /// Grants an app role (application permission) to a service principal.
    GrantAppRole {
        /// The principal.
        principal: String,
        /// The API: `Microsoft Graph`, an app's name or its app id.
        resource_app: String,
        /// The app role's value (`User.Read.All`) or id.
        app_role: String,
    },
    /// Revokes an app role.
    RevokeAppRole {
        /// The principal.
        principal: String,
        /// The API.
        resource_app: String,
        /// The app role.
        app_role: String,
    },
    /// Adds a federated identity credential to a user-assigned identity or app registration.
    AddFederatedCredential {
        /// The identity or app name.
        identity: String,
        /// The credential's name.
        name: String,
        /// The external issuer.
        issuer: String,
        /// The external subject.
        subject: String,
        /// The audiences (exactly one).
        audiences: Vec<String>,
    },
    /// Moves a resource to another resource group (possibly in another subscription).
    MoveResource {
        /// The resource.
        resource: String,
        /// The target subscription (name or id).
        subscription: String,
        /// The target resource group.
        resource_group: String,
    },
    /// Transfers a subscription to another tenant (directory).
    TransferSubscription {
        /// The subscription.
        subscription: String,
        /// The new tenant.
        tenant: String,
    },
    /// Moves the simulated clock forward.
    AdvanceClock {
        /// Seconds to advance (positive).
        seconds: i64,
    },
    /// Changes the role-assignment propagation delay.
    SetPropagationDelay {
        /// Seconds (zero or more).
        seconds: i64,
    },
}

/// Why a role assignment is an orphan.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum OrphanReason {
    /// The principal was deleted: the portal shows "Identity not found", type "Unknown".
    PrincipalDeleted,
    /// The scope no longer exists (the resource was deleted or moved away).
    ScopeGone,
}

impl fmt::Display for OrphanReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OrphanReason::PrincipalDeleted => {
                "its principal was deleted (shown as \"Identity not found\", type \"Unknown\")"
            }
            OrphanReason::ScopeGone => "its scope no longer exists",
        })
    }
}

/// Something that happened, said plainly.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(tag = "event")]
pub enum Event {
    /// A tenant was created.
    TenantCreated {
        /// Its name.
        name: String,
        /// Its id.
        tenant_id: TenantId,
    },
    /// A management group was created.
    ManagementGroupCreated {
        /// Its name.
        name: String,
    },
    /// A subscription was created.
    SubscriptionCreated {
        /// Its name.
        name: String,
        /// Its id.
        subscription_id: SubscriptionId,
        /// The tenant it trusts.
        tenant: String,
    },
    /// A resource group was created.
    ResourceGroupCreated {
        /// Its name.
        name: String,
    },
    /// A resource was created.
    ResourceCreated {
        /// Its name.
        name: String,
        /// Its kind.
        kind: ResourceKind,
        /// Its id.
        id: ResourceId,
    },
    /// A child object was created.
    ChildObjectCreated {
        /// What it is.
        kind: ChildKind,
        /// Its scope.
        scope: ResourceId,
    },
    /// An on-premises server was registered.
    OnPremServerAdded {
        /// Its name.
        name: String,
    },
    /// A resource was deleted.
    ResourceDeleted {
        /// Its name.
        name: String,
        /// Its id.
        id: ResourceId,
    },
    /// Entra ID created a service principal.
    ServicePrincipalCreated {
        /// Display name.
        display_name: String,
        /// Object id.
        object_id: ObjectId,
        /// App (client) id.
        app_id: ClientId,
    },
    /// Entra ID deleted a service principal.
    ServicePrincipalDeleted {
        /// Display name.
        display_name: String,
        /// Object id.
        object_id: ObjectId,
    },
    /// A user-assigned identity was attached.
    IdentityAttached {
        /// The resource.
        resource: String,
        /// The identity.
        identity: String,
    },
    /// A user-assigned identity was detached.
    IdentityDetached {
        /// The resource.
        resource: String,
        /// The identity.
        identity: String,
    },
    /// A user-assigned identity outlived a deleted resource it was attached to.
    IdentityLeftAlone {
        /// The identity.
        identity: String,
    },
    /// An identity stopped working (subscription moved to another tenant).
    IdentityBroken {
        /// The resource.
        resource: String,
        /// What to do about it.
        remedy: String,
    },
    /// A role assignment was created.
    RoleAssignmentCreated {
        /// The principal's name.
        principal: String,
        /// The role.
        role: String,
        /// The scope.
        scope: ResourceId,
        /// When it becomes effective.
        effective_in: i64,
    },
    /// A role assignment was deleted.
    RoleAssignmentDeleted {
        /// The principal's name.
        principal: String,
        /// The role.
        role: String,
        /// The scope.
        scope: ResourceId,
    },
    /// A role assignment was left behind as an orphan.
    RoleAssignmentOrphaned {
        /// The assignment id.
        assignment_id: String,
        /// The role.
        role: String,
        /// Why it is an orphan.
        reason: OrphanReason,
    },
    /// A deny assignment was created.
    DenyAssignmentCreated {
        /// Its name.
        name: String,
        /// Its scope.
        scope: ResourceId,
    },
    /// A custom role was created.
    CustomRoleCreated {
        /// Its name.
        name: String,
        /// Its GUID.
        id: crate::model::ids::Guid,
    },
    /// A key vault's permission model changed.
    PermissionModelChanged {
        /// The vault.
        vault: String,
        /// The new model.
        model: KeyVaultPermissionModel,
    },
    /// An access policy was set.
    AccessPolicySet {
        /// The vault.
        vault: String,
        /// The principal's name.
        principal: String,
    },
    /// An access policy was removed.
    AccessPolicyRemoved {
        /// The vault.
        vault: String,
        /// The principal's name.
        principal: String,
    },
    /// An app registration was created.
    AppRegistrationCreated {
        /// Its name.
        name: String,
        /// Its app id.
        app_id: ClientId,
    },
    /// An app role was granted.
    AppRoleGranted {
        /// The principal.
        principal: String,
        /// The app role value.
        app_role: String,
        /// The API.
        resource_app: String,
    },
    /// An app role was revoked.
    AppRoleRevoked {
        /// The principal.
        principal: String,
        /// The app role value.
        app_role: String,
        /// The API.
        resource_app: String,
    },
    /// A federated credential was added.
    FederatedCredentialAdded {
        /// The identity.
        identity: String,
        /// The credential name.
        name: String,
    },
    /// A resource moved.
    ResourceMoved {
        /// Its name.
        name: String,
        /// Its old id.
        from: ResourceId,
        /// Its new id.
        to: ResourceId,
    },
    /// A subscription moved to another tenant.
    SubscriptionTransferred {
        /// Its name.
        name: String,
        /// The new tenant.
        tenant: String,
    },
    /// The clock moved.
    ClockAdvanced {
        /// The new time.
        now: SimTime,
        /// `Day N hh:mm`.
        label: String,
    },
    /// The propagation delay changed.
    PropagationDelayChanged {
        /// Seconds.
        seconds: i64,
    },
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Event::*;
        match self {
            TenantCreated { name, tenant_id } => {
                write!(f, "Entra ID tenant {name} created (tenant id {tenant_id})")
            }
            ManagementGroupCreated { name } => write!(f, "Management group {name} created"),
            SubscriptionCreated {
                name,
                subscription_id,
                tenant,
            } => {
                write!(
                    f,
                    "Subscription {name} ({subscription_id}) created, trusting tenant {tenant}"
                )
            }
            ResourceGroupCreated { name } => write!(f, "Resource group {name} created"),
            ResourceCreated { name, kind, id } => write!(f, "{kind} {name} created ({id})"),
            ChildObjectCreated { kind, scope } => {
                write!(
                    f,
                    "{} {} created ({scope})",
                    capitalize(kind.display_name()),
                    scope.name()
                )
            }
            OnPremServerAdded { name } => {
                write!(
                    f,
                    "On-premises server {name} added (outside Azure, no managed identity)"
                )
            }
            ResourceDeleted { name, id } => write!(f, "Resource {name} deleted ({id})"),
            ServicePrincipalCreated {
                display_name,
                object_id,
                app_id,
            } => write!(
                f,
                "Entra ID created service principal {display_name} (object id {object_id}, client id {app_id})"
            ),
            ServicePrincipalDeleted {
                display_name,
                object_id,
            } => write!(
                f,
                "Entra ID deleted service principal {display_name} (object id {object_id}); tokens already issued stay valid until they expire"
            ),
            IdentityAttached { resource, identity } => {
                write!(
                    f,
                    "User-assigned identity {identity} attached to {resource}"
                )
            }
            IdentityDetached { resource, identity } => {
                write!(
                    f,
                    "User-assigned identity {identity} detached from {resource}"
                )
            }
            IdentityLeftAlone { identity } => write!(
                f,
                "User-assigned identity {identity} is left alone: it has its own life cycle"
            ),
            IdentityBroken { resource, remedy } => {
                write!(f, "The managed identity of {resource} is broken: {remedy}")
            }
            RoleAssignmentCreated {
                principal,
                role,
                scope,
                effective_in,
            } => write!(
                f,
                "Role assignment created: {principal} has {role} at {scope} (effective in {})",
                describe_duration(*effective_in)
            ),
            RoleAssignmentDeleted {
                principal,
                role,
                scope,
            } => {
                write!(
                    f,
                    "Role assignment deleted: {principal} no longer has {role} at {scope}"
                )
            }
            RoleAssignmentOrphaned {
                assignment_id,
                role,
                reason,
            } => {
                write!(
                    f,
                    "Role assignment {assignment_id} ({role}) is now an orphan: {reason}"
                )
            }
            DenyAssignmentCreated { name, scope } => {
                write!(f, "Deny assignment {name} created at {scope}")
            }
            CustomRoleCreated { name, id } => write!(f, "Custom role {name} created ({id})"),
            PermissionModelChanged { vault, model } => match model {
                KeyVaultPermissionModel::Rbac => write!(
                    f,
                    "Key vault {vault} now uses Azure RBAC; its access policies are ignored"
                ),
                KeyVaultPermissionModel::AccessPolicies => write!(
                    f,
                    "Key vault {vault} now uses access policies; Azure RBAC no longer governs its data plane"
                ),
            },
            AccessPolicySet { vault, principal } => {
                write!(f, "Access policy for {principal} set on key vault {vault}")
            }
            AccessPolicyRemoved { vault, principal } => {
                write!(
                    f,
                    "Access policy for {principal} removed from key vault {vault}"
                )
            }
            AppRegistrationCreated { name, app_id } => {
                write!(f, "App registration {name} created (client id {app_id})")
            }
            AppRoleGranted {
                principal,
                app_role,
                resource_app,
            } => {
                write!(
                    f,
                    "Entra ID granted {principal} the app role {app_role} on {resource_app}"
                )
            }
            AppRoleRevoked {
                principal,
                app_role,
                resource_app,
            } => {
                write!(
                    f,
                    "Entra ID revoked the app role {app_role} on {resource_app} from {principal}"
                )
            }
            FederatedCredentialAdded { identity, name } => {
                write!(f, "Federated credential {name} added to {identity}")
            }
            ResourceMoved { name, from, to } => {
                write!(f, "Resource {name} moved from {from} to {to}")
            }
            SubscriptionTransferred { name, tenant } => write!(
                f,
                "Subscription {name} transferred to tenant {tenant}; all its role assignments were deleted"
            ),
            ClockAdvanced { label, .. } => write!(f, "Clock advanced to {label}"),
            PropagationDelayChanged { seconds } => write!(
                f,
                "Role assignments now take {} to propagate",
                describe_duration(*seconds)
            ),
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Why a command was refused. The world is unchanged after any of these.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum CommandError {
    /// A name is already used by another object of the same sort.
    NameTaken {
        /// What sort of object.
        what: String,
        /// The name.
        name: String,
    },
    /// A name matches several objects; use an id.
    AmbiguousName {
        /// The name.
        name: String,
    },
    /// No tenant by that name or id.
    TenantNotFound {
        /// The name asked for.
        name: String,
    },
    /// No management group by that name.
    ManagementGroupNotFound {
        /// The name asked for.
        name: String,
    },
    /// A management group from another tenant was named.
    ManagementGroupInOtherTenant {
        /// The group.
        name: String,
    },
    /// No subscription by that name or id.
    SubscriptionNotFound {
        /// The name asked for.
        name: String,
    },
    /// No resource group by that name in the subscription.
    ResourceGroupNotFound {
        /// The name asked for.
        name: String,
    },
    /// No resource by that name.
    ResourceNotFound {
        /// The name asked for.
        name: String,
    },
    /// The scope does not exist.
    ScopeNotFound {
        /// The scope asked for.
        scope: String,
    },
    /// Use the identity commands for user-assigned identities.
    UseIdentityCommand {
        /// The command to use instead.
        instead: String,
    },
    /// The resource kind cannot hold that child object.
    ChildKindNotSupported {
        /// The resource.
        resource: String,
        /// The child kind.
        kind: ChildKind,
    },
    /// The resource kind cannot have a managed identity of that type.
    IdentityNotSupported {
        /// The resource.
        resource: String,
        /// Its kind.
        kind: ResourceKind,
        /// `system-assigned` or `user-assigned`.
        identity_type: String,
    },
    /// The system-assigned identity is already enabled.
    SystemAssignedAlreadyEnabled {
        /// The resource.
        resource: String,
    },
    /// The system-assigned identity is not enabled.
    SystemAssignedNotEnabled {
        /// The resource.
        resource: String,
    },
    /// The named resource is not a user-assigned identity.
    NotAUserAssignedIdentity {
        /// The name.
        name: String,
    },
    /// The identity is already attached.
    AlreadyAttached {
        /// The resource.
        resource: String,
        /// The identity.
        identity: String,
    },
    /// The identity is not attached.
    NotAttached {
        /// The resource.
        resource: String,
        /// The identity.
        identity: String,
    },
    /// The identity's service principal lives in another tenant than the resource's
    /// subscription trusts.
    IdentityFromOtherTenant {
        /// The identity.
        identity: String,
        /// The resource.
        resource: String,
    },
    /// No live service principal by that name or object id in the tenant.
    PrincipalNotFound {
        /// The principal asked for.
        principal: String,
        /// The tenant searched.
        tenant: String,
    },
    /// No role by that name or id.
    RoleNotFound {
        /// The role asked for.
        role: String,
    },
    /// The custom role's assignable scopes do not cover the scope.
    RoleNotAssignableAtScope {
        /// The role.
        role: String,
        /// The scope.
        scope: String,
    },
    /// A custom role with data actions cannot be assigned at management-group scope.
    DataActionsRoleAtManagementGroup {
        /// The role.
        role: String,
    },
    /// The same principal already has the same role at the same scope.
    RoleAssignmentExists,
    /// No role assignment with that id.
    RoleAssignmentNotFound {
        /// The id asked for.
        assignment: String,
    },
    /// The subscription already holds 4,000 role assignments.
    RoleAssignmentLimitExceeded,
    /// The management group already holds 500 role assignments.
    ManagementGroupAssignmentLimitExceeded,
    /// A condition longer than 8 KB.
    ConditionTooLong,
    /// A deny assignment that denies nothing or names nobody.
    EmptyDenyAssignment,
    /// The custom role is invalid.
    InvalidCustomRole(CustomRoleError),
    /// The named resource is not a key vault.
    NotAKeyVault {
        /// The name.
        name: String,
    },
    /// An access-policy permission that Key Vault does not know.
    UnknownAccessPolicyPermission {
        /// `keys`, `secrets` or `certificates`.
        category: String,
        /// The permission.
        permission: String,
    },
    /// The vault already has 1,024 access policies.
    AccessPolicyLimitExceeded,
    /// The principal has no access policy on the vault.
    AccessPolicyNotFound {
        /// The vault.
        vault: String,
        /// The principal.
        principal: String,
    },
    /// No API (service principal exposing app roles) by that name or app id.
    ResourceAppNotFound {
        /// The name asked for.
        name: String,
    },
    /// The API has no app role by that value or id.
    AppRoleNotFound {
        /// The API.
        resource_app: String,
        /// The role asked for.
        app_role: String,
    },
    /// The principal already holds the app role.
    AppRoleAssignmentExists,
    /// The principal does not hold the app role.
    AppRoleAssignmentNotFound,
    /// A federated credential name breaks the naming rules.
    InvalidFederatedCredentialName {
        /// The name.
        name: String,
    },
    /// A federated credential property contains `*`.
    WildcardInFederatedCredential,
    /// A federated credential must have exactly one audience.
    FederatedCredentialAudienceCount,
    /// A federated credential property is longer than 600 characters.
    FederatedCredentialValueTooLong,
    /// Issuer and subject (or name) already used on this identity.
    FederatedCredentialExists,
    /// The identity already has 20 federated credentials.
    FederatedCredentialLimitExceeded,
    /// The named object cannot hold federated credentials.
    NotAFederationTarget {
        /// The name.
        name: String,
    },
    /// User-assigned identities cannot move across resource groups or subscriptions.
    UserAssignedIdentityMoveNotSupported,
    /// Resources cannot move to a subscription of another tenant.
    MoveAcrossTenants,
    /// The resource is already in that resource group.
    MoveToSameResourceGroup,
    /// The subscription already trusts that tenant.
    SameTenant,
    /// A duration must be positive (clock) or not negative (delay).
    InvalidDuration {
        /// The seconds given.
        seconds: i64,
    },
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CommandError::*;
        match self {
            NameTaken { what, name } => write!(f, "A {what} named '{name}' already exists."),
            AmbiguousName { name } => write!(f, "The name '{name}' matches more than one object; use its full id."),
            TenantNotFound { name } => write!(f, "There is no tenant '{name}'."),
            ManagementGroupNotFound { name } => write!(f, "There is no management group '{name}'."),
            ManagementGroupInOtherTenant { name } => {
                write!(f, "Management group '{name}' belongs to another tenant.")
            }
            SubscriptionNotFound { name } => write!(f, "There is no subscription '{name}'."),
            ResourceGroupNotFound { name } => write!(
                f,
                "Resource group '{name}' could not be found. (code: ResourceGroupNotFound)"
            ),
            ResourceNotFound { name } => write!(f, "There is no resource '{name}'. (code: ResourceNotFound)"),
            ScopeNotFound { scope } => write!(f, "The scope '{scope}' does not exist."),
            UseIdentityCommand { instead } => {
                write!(f, "User-assigned identities have their own commands: use {instead}.")
            }
            ChildKindNotSupported { resource, kind } => {
                write!(f, "'{resource}' cannot hold a {}.", kind.display_name())
            }
            IdentityNotSupported { resource, kind, identity_type } => write!(
                f,
                "A {} ('{resource}') does not support {identity_type} managed identities.",
                kind.display_name()
            ),
            SystemAssignedAlreadyEnabled { resource } => {
                write!(f, "The system-assigned identity of '{resource}' is already enabled.")
            }
            SystemAssignedNotEnabled { resource } => {
                write!(f, "'{resource}' has no system-assigned identity enabled.")
            }
            NotAUserAssignedIdentity { name } => {
                write!(f, "'{name}' is not a user-assigned managed identity.")
            }
            AlreadyAttached { resource, identity } => {
                write!(f, "'{identity}' is already attached to '{resource}'.")
            }
            NotAttached { resource, identity } => write!(f, "'{identity}' is not attached to '{resource}'."),
            IdentityFromOtherTenant { identity, resource } => write!(
                f,
                "'{identity}' belongs to another tenant than the subscription of '{resource}' trusts; managed identities cannot be used across tenants."
            ),
            PrincipalNotFound { principal, tenant } => write!(
                f,
                "Principal '{principal}' does not exist in the directory of tenant {tenant}. (code: PrincipalNotFound)"
            ),
            RoleNotFound { role } => write!(f, "The role definition '{role}' could not be found. (code: RoleDefinitionDoesNotExist)"),
            RoleNotAssignableAtScope { role, scope } => write!(
                f,
                "The role '{role}' is not available to be assigned at the scope '{scope}'. (code: InvalidRoleDefinitionScope)"
            ),
            DataActionsRoleAtManagementGroup { role } => write!(
                f,
                "Custom roles with DataActions can't be assigned at the management group scope ('{role}')."
            ),
            RoleAssignmentExists => f.write_str("The role assignment already exists. (code: RoleAssignmentExists)"),
            RoleAssignmentNotFound { assignment } => {
                write!(f, "The role assignment '{assignment}' is not found. (code: RoleAssignmentNotFound)")
            }
            RoleAssignmentLimitExceeded => f.write_str(
                "No more role assignments can be created (code: RoleAssignmentLimitExceeded)",
            ),
            ManagementGroupAssignmentLimitExceeded => f.write_str(
                "No more role assignments can be created at this management group: the limit is 500 (code: RoleAssignmentLimitExceeded)",
            ),
            ConditionTooLong => f.write_str("The condition is longer than the 8 KB limit."),
            EmptyDenyAssignment => {
                f.write_str("A deny assignment must name at least one principal and deny at least one action.")
            }
            InvalidCustomRole(e) => fmt::Display::fmt(e, f),
            NotAKeyVault { name } => write!(f, "'{name}' is not a key vault."),
            UnknownAccessPolicyPermission { category, permission } => {
                write!(f, "'{permission}' is not a valid {category} permission for a key vault access policy.")
            }
            AccessPolicyLimitExceeded => f.write_str("Key vault supports up to 1024 access policy entries."),
            AccessPolicyNotFound { vault, principal } => {
                write!(f, "Key vault '{vault}' has no access policy for '{principal}'.")
            }
            ResourceAppNotFound { name } => write!(f, "There is no API '{name}' with app roles in this tenant."),
            AppRoleNotFound { resource_app, app_role } => {
                write!(f, "'{resource_app}' has no app role '{app_role}'.")
            }
            AppRoleAssignmentExists => f.write_str("Permission being assigned already exists on the object"),
            AppRoleAssignmentNotFound => f.write_str("The principal does not hold this app role."),
            InvalidFederatedCredentialName { name } => write!(
                f,
                "Federated credential name '{name}' is invalid: use 3 to 120 letters, digits, dashes or underscores, starting with a letter or digit."
            ),
            WildcardInFederatedCredential => f.write_str(
                "Wildcard characters aren't supported in any federated identity credential property value.",
            ),
            FederatedCredentialAudienceCount => {
                f.write_str("A federated identity credential must have exactly one audience.")
            }
            FederatedCredentialValueTooLong => {
                f.write_str("Issuer, subject and audience are limited to 600 characters.")
            }
            FederatedCredentialExists => f.write_str(
                "A federated identity credential with this name, or with this issuer and subject, already exists.",
            ),
            FederatedCredentialLimitExceeded => f.write_str(
                "An application or user-assigned managed identity can have at most 20 federated identity credentials.",
            ),
            NotAFederationTarget { name } => write!(
                f,
                "'{name}' is neither a user-assigned identity nor an app registration."
            ),
            UserAssignedIdentityMoveNotSupported => f.write_str(
                "Moving a user-assigned managed identity to a different resource group isn't supported.",
            ),
            MoveAcrossTenants => f.write_str(
                "Resources can only move between subscriptions that trust the same tenant.",
            ),
            MoveToSameResourceGroup => f.write_str("The resource is already in that resource group."),
            SameTenant => f.write_str("The subscription already trusts that tenant."),
            InvalidDuration { seconds } => write!(f, "{seconds} seconds is not a valid duration here."),
        }
    }
}

impl std::error::Error for CommandError {}
