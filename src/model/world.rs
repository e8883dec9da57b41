//! The world: one plain value holding tenants and their directories, management groups,
//! subscriptions, resource groups, resources with their managed identities, role and deny
//! assignments, custom roles and the simulated clock. It changes only through
//! [`World::apply`], which takes a serde-serializable [`Command`] and returns [`Event`]s.

mod apply;
mod arm;
mod builder;
mod command;
mod directory;
mod resources;
#[cfg(test)]
mod tests;

pub use arm::{identity_block, resource_json};
pub use builder::{SampleWorld, WorldBuilder};
pub use command::{Command, CommandError, Event, OrphanReason};
pub use directory::{
    AppRole, AppRoleAssignment, Application, DeletedPrincipal, FederatedCredential, GRAPH_APP_ID,
    GRAPH_APP_ROLES, GRAPH_DISPLAY_NAME, ServicePrincipal, ServicePrincipalType, Tenant,
    graph_app_roles,
};
pub use resources::{
    AccessPolicy, ChildKind, ChildObject, IdentityEndpoint, KeyVaultPermissionModel,
    KeyVaultSettings, KindRole, ManagementGroup, OnPremServer, Resource, ResourceGroup,
    ResourceKind, Subscription, SystemAssigned, UserAssignedProps, resource_id,
};

use crate::model::clock::{DEFAULT_START, MINUTE, SimTime};
use crate::model::ids::{Guid, IdGen, ObjectId, ResourceId, SubscriptionId, TenantId};
use crate::model::json::{FromJson, ToJson};
use crate::model::rbac::{DenyAssignment, IndexCache, RbacIndex, RoleAssignment};
use crate::model::roles::{self, MANAGEMENT_GROUP_PREFIX, RoleDefinition};
use std::sync::Arc;

/// The default role-assignment propagation delay: "up to 10 minutes" (reference §4.7).
pub const DEFAULT_PROPAGATION_DELAY: i64 = 10 * MINUTE;
/// Role assignments per subscription (reference §4.8).
pub const MAX_ROLE_ASSIGNMENTS_PER_SUBSCRIPTION: usize = 4_000;
/// Role assignments per management group.
pub const MAX_ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP: usize = 500;
/// Federated identity credentials per user-assigned identity or app.
pub const MAX_FEDERATED_CREDENTIALS: usize = 20;
/// Custom roles per tenant.
pub const MAX_CUSTOM_ROLES_PER_TENANT: usize = 5_000;
/// Access policy entries per key vault.
pub const MAX_ACCESS_POLICIES: usize = 1_024;

/// The whole simulated world. Read it through the accessors; change it only with
/// [`World::apply`] (derived indexes are rebuilt lazily after every change).
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
pub struct World {
    ids: IdGen,
    start: SimTime,
    now: SimTime,
    propagation_delay: i64,
    tenants: Vec<Tenant>,
    management_groups: Vec<ManagementGroup>,
    subscriptions: Vec<Subscription>,
    resource_groups: Vec<ResourceGroup>,
    resources: Vec<Resource>,
    on_prem_servers: Vec<OnPremServer>,
    custom_roles: Vec<RoleDefinition>,
    role_assignments: Vec<RoleAssignment>,
    deny_assignments: Vec<DenyAssignment>,
    #[serde(skip)]
    cache: IndexCache,
}

impl Default for World {
    fn default() -> World {
        World::new(1)
    }
}

/// The level of a scope in the hierarchy.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum ScopeLevel {
    /// A management group.
    ManagementGroup,
    /// A subscription.
    Subscription,
    /// A resource group.
    ResourceGroup,
    /// A resource.
    Resource,
    /// An object below a resource (container, secret, database, ...).
    ChildResource,
}

/// A scope that exists in the world.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ResolvedScope {
    /// The scope id in canonical casing.
    pub id: ResourceId,
    /// Its level.
    pub level: ScopeLevel,
    /// The tenant whose directory holds the principals that may be granted here.
    pub tenant_id: TenantId,
    /// The subscription it lies in (none for management groups).
    pub subscription_id: Option<SubscriptionId>,
    /// A readable label: `subscription Production`, `blob container c`, ...
    pub label: String,
}

/// What the portal shows for a role assignment's principal.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PrincipalInfo {
    /// The display name, or `Identity not found` for a deleted principal.
    pub display_name: String,
    /// `ServicePrincipal`-style type, or `Unknown` for a deleted principal.
    pub principal_type: String,
    /// Whether the principal still exists.
    pub exists: bool,
}

impl World {
    /// An empty world whose ids come from `seed`, starting at [`DEFAULT_START`].
    pub fn new(seed: u64) -> World {
        World {
            ids: IdGen::new(seed),
            start: DEFAULT_START,
            now: DEFAULT_START,
            propagation_delay: DEFAULT_PROPAGATION_DELAY,
            tenants: Vec::new(),
            management_groups: Vec::new(),
            subscriptions: Vec::new(),
            resource_groups: Vec::new(),
            resources: Vec::new(),
            on_prem_servers: Vec::new(),
            custom_roles: Vec::new(),
            role_assignments: Vec::new(),
            deny_assignments: Vec::new(),
            cache: IndexCache::default(),
        }
    }

    /// The simulated time now.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// When the world started (for `Day N hh:mm` labels).
    pub fn start(&self) -> SimTime {
        self.start
    }

    /// How long a new role assignment takes to become effective, in seconds.
    pub fn propagation_delay(&self) -> i64 {
        self.propagation_delay
    }

    /// The id generator's current state (to mint ids elsewhere reproducibly, clone it).
    pub fn id_gen(&self) -> &IdGen {
        &self.ids
    }

    /// All tenants.
    pub fn tenants(&self) -> &[Tenant] {
        &self.tenants
    }

    /// All management groups.
    pub fn management_groups(&self) -> &[ManagementGroup] {
        &self.management_groups
    }

    /// All subscriptions.
    pub fn subscriptions(&self) -> &[Subscription] {
        &self.subscriptions
    }

    /// All resource groups.
    pub fn resource_groups(&self) -> &[ResourceGroup] {
        &self.resource_groups
    }

    /// All ARM resources (including user-assigned identities).
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// Servers outside Azure without Arc.
    pub fn on_prem_servers(&self) -> &[OnPremServer] {
        &self.on_prem_servers
    }

    /// Custom role definitions.
    pub fn custom_roles(&self) -> &[RoleDefinition] {
        &self.custom_roles
    }

    /// All role assignments, including orphaned ones.
    pub fn role_assignments(&self) -> &[RoleAssignment] {
        &self.role_assignments
    }

    /// All deny assignments.
    pub fn deny_assignments(&self) -> &[DenyAssignment] {
        &self.deny_assignments
    }

    /// The derived lookup index, built on first use after a change.
    pub(crate) fn index(&self) -> Arc<RbacIndex> {
        self.cache.get_or_build(self)
    }

    /// A tenant by id.
    pub fn tenant(&self, id: TenantId) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == id)
    }

    /// A tenant by name (case-insensitive) or id text.
    pub fn tenant_named(&self, name: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| {
            t.name.eq_ignore_ascii_case(name) || t.id.to_string().eq_ignore_ascii_case(name)
        })
    }

    /// A subscription by id.
    pub fn subscription(&self, id: SubscriptionId) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| s.id == id)
    }

    /// A subscription by name (case-insensitive) or id text.
    pub fn subscription_named(&self, name: &str) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| {
            s.name.eq_ignore_ascii_case(name) || s.id.to_string().eq_ignore_ascii_case(name)
        })
    }

    /// A resource by id (case-insensitive, as ARM compares ids).
    pub fn resource(&self, id: &ResourceId) -> Option<&Resource> {
        self.resources.iter().find(|r| r.id.same_as(id))
    }

    /// A resource by name; names are unique in a world.
    pub fn resource_named(&self, name: &str) -> Option<&Resource> {
        self.resources
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    }

    /// The resource id of the resource with this name (handy in tests and scenarios).
    pub fn id_of(&self, name: &str) -> Option<ResourceId> {
        self.resource_named(name).map(|r| r.id.clone())
    }

    /// A live service principal anywhere, with its tenant.
    pub fn service_principal(&self, id: ObjectId) -> Option<(&Tenant, &ServicePrincipal)> {
        self.tenants
            .iter()
            .find_map(|t| t.service_principal(id).map(|sp| (t, sp)))
    }

    /// A deleted service principal, with its tenant (tokens issued before `deleted_at` stay
    /// valid until they expire).
    pub fn deleted_principal(&self, id: ObjectId) -> Option<(&Tenant, &DeletedPrincipal)> {
        self.tenants.iter().find_map(|t| {
            t.deleted_principals
                .iter()
                .find(|d| d.object_id == id)
                .map(|d| (t, d))
        })
    }

    /// The live service principal of a named identity: a resource's system-assigned
    /// identity (by resource name) or a user-assigned identity (by its name).
    pub fn identity_principal(&self, name: &str) -> Option<ObjectId> {
        let resource = self.resource_named(name)?;
        match (&resource.identity, &resource.system_assigned) {
            (Some(uami), _) => Some(uami.principal_id),
            (None, Some(sa)) => Some(sa.principal_id),
            (None, None) => None,
        }
    }

    /// What the portal shows for a principal: its name and type, or `Identity not found`
    /// and `Unknown` once it has been deleted.
    pub fn principal_info(&self, id: ObjectId) -> PrincipalInfo {
        match self.service_principal(id) {
            Some((_, sp)) => PrincipalInfo {
                display_name: sp.display_name.clone(),
                principal_type: "ServicePrincipal".to_string(),
                exists: true,
            },
            None => PrincipalInfo {
                display_name: "Identity not found".to_string(),
                principal_type: "Unknown".to_string(),
                exists: false,
            },
        }
    }

    /// A role definition (built-in or custom) by GUID.
    pub fn role_definition(&self, id: Guid) -> Option<&RoleDefinition> {
        roles::builtin_by_id(id).or_else(|| self.custom_roles.iter().find(|r| r.id == id))
    }

    /// A role definition by name (case-insensitive) or GUID text.
    pub fn role_named(&self, name: &str) -> Option<&RoleDefinition> {
        if let Ok(guid) = Guid::parse(name) {
            return self.role_definition(guid);
        }
        roles::builtin_by_name(name).or_else(|| {
            self.custom_roles
                .iter()
                .find(|r| r.role_name.eq_ignore_ascii_case(name))
        })
    }

    /// Whether a role assignment's principal no longer exists or its scope no longer exists.
    pub fn orphan_reason(&self, assignment: &RoleAssignment) -> Option<OrphanReason> {
        if self.service_principal(assignment.principal_id).is_none() {
            Some(OrphanReason::PrincipalDeleted)
        } else if self.resolve_scope(assignment.scope.as_str()).is_err() {
            Some(OrphanReason::ScopeGone)
        } else {
            None
        }
    }

    /// Whether a resource's identities are broken because its subscription moved to another
    /// tenant: returns the names of broken identities (`system-assigned` or the identity
    /// resource's name).
    pub fn broken_identities(&self, resource: &Resource) -> Vec<String> {
        let Some(sub) = self.subscription(resource.subscription_id) else {
            return Vec::new();
        };
        let mut broken = Vec::new();
        if let Some(sa) = &resource.system_assigned
            && (sa.tenant_id != sub.tenant_id || self.service_principal(sa.principal_id).is_none())
        {
            broken.push("system-assigned".to_string());
        }
        if let Some(uami) = &resource.identity
            && uami.tenant_id != sub.tenant_id
        {
            broken.push(resource.name.clone());
        }
        for id in &resource.user_assigned {
            let ok = self
                .resource(id)
                .and_then(|u| u.identity.as_ref())
                .is_some_and(|props| props.tenant_id == sub.tenant_id);
            if !ok {
                broken.push(id.name().to_string());
            }
        }
        broken
    }

    /// Resolves a scope written as an id (`/subscriptions/...`, a management group, a child
    /// object path) or as a name (resource, resource group, subscription, management group).
    pub fn resolve_scope(&self, text: &str) -> Result<ResolvedScope, CommandError> {
        let text = text.trim();
        if !text.starts_with('/') {
            return self.resolve_scope_name(text);
        }
        let trimmed = text.trim_end_matches('/');
        let not_found = || CommandError::ScopeNotFound {
            scope: text.to_string(),
        };
        if roles::is_management_group_scope(trimmed) {
            let name = &trimmed[MANAGEMENT_GROUP_PREFIX.len()..];
            let mg = self
                .management_groups
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(name))
                .ok_or_else(not_found)?;
            return Ok(ResolvedScope {
                id: mg.scope(),
                level: ScopeLevel::ManagementGroup,
                tenant_id: mg.tenant_id,
                subscription_id: None,
                label: format!("management group {}", mg.name),
            });
        }
        let segments: Vec<&str> = trimmed.split('/').skip(1).collect();
        if segments.len() < 2 || !segments[0].eq_ignore_ascii_case("subscriptions") {
            return Err(not_found());
        }
        let sub = self
            .subscriptions
            .iter()
            .find(|s| s.id.to_string().eq_ignore_ascii_case(segments[1]))
            .ok_or_else(not_found)?;
        let base = |level, id: ResourceId, label: String| ResolvedScope {
            id,
            level,
            tenant_id: sub.tenant_id,
            subscription_id: Some(sub.id),
            label,
        };
        if segments.len() == 2 {
            return Ok(base(
                ScopeLevel::Subscription,
                sub.scope(),
                format!("subscription {}", sub.name),
            ));
        }
        if segments.len() < 4 || !segments[2].eq_ignore_ascii_case("resourceGroups") {
            return Err(not_found());
        }
        let rg = self
            .resource_groups
            .iter()
            .find(|g| g.subscription_id == sub.id && g.name.eq_ignore_ascii_case(segments[3]))
            .ok_or_else(not_found)?;
        if segments.len() == 4 {
            return Ok(base(
                ScopeLevel::ResourceGroup,
                rg.scope(),
                format!("resource group {}", rg.name),
            ));
        }
        let wanted = ResourceId(trimmed.to_string());
        // With the lookup index already built (during access checks) walk up the id;
        // otherwise scan without allocating.
        let found = match self.cache.peek() {
            Some(index) => index
                .resource_containing(&trimmed.to_ascii_lowercase())
                .and_then(|i| self.resources.get(i)),
            None => self
                .resources
                .iter()
                .find(|r| id_within(trimmed, r.id.as_str())),
        };
        let resource = found
            .filter(|r| {
                r.subscription_id == sub.id && r.resource_group.eq_ignore_ascii_case(&rg.name)
            })
            .ok_or_else(not_found)?;
        if wanted.same_as(&resource.id) {
            let label = format!("{} {}", resource.kind.display_name(), resource.name);
            return Ok(base(ScopeLevel::Resource, resource.id.clone(), label));
        }
        let rest = &trimmed[resource.id.as_str().len() + 1..];
        let child = resource
            .children
            .iter()
            .find(|c| {
                let path = format!("{}/{}", c.kind.path_segment(), c.name);
                path.eq_ignore_ascii_case(rest)
            })
            .ok_or_else(not_found)?;
        Ok(base(
            ScopeLevel::ChildResource,
            resource.child_scope(child.kind, &child.name),
            format!("{} {}", child.kind.display_name(), child.name),
        ))
    }

    fn resolve_scope_name(&self, name: &str) -> Result<ResolvedScope, CommandError> {
        if let Some(r) = self.resource_named(name) {
            return self.resolve_scope(&r.id.0.clone());
        }
        let groups: Vec<&ResourceGroup> = self
            .resource_groups
            .iter()
            .filter(|g| g.name.eq_ignore_ascii_case(name))
            .collect();
        match groups.len() {
            1 => return self.resolve_scope(groups[0].scope().as_str()),
            0 => {}
            _ => {
                return Err(CommandError::AmbiguousName {
                    name: name.to_string(),
                });
            }
        }
        if let Some(s) = self.subscription_named(name) {
            return self.resolve_scope(s.scope().as_str());
        }
        if let Some(m) = self
            .management_groups
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(name))
        {
            return self.resolve_scope(m.scope().as_str());
        }
        Err(CommandError::ScopeNotFound {
            scope: name.to_string(),
        })
    }

    /// Management groups above a subscription, nearest first.
    pub fn management_group_chain<'a>(&'a self, mut group: Option<&'a str>) -> Vec<String> {
        let mut chain = Vec::new();
        while let Some(name) = group {
            if chain.iter().any(|c: &String| c.eq_ignore_ascii_case(name)) {
                break;
            }
            chain.push(name.to_string());
            group = self
                .management_groups
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(name))
                .and_then(|m| m.parent.as_deref());
        }
        chain
    }
}

/// Case-insensitive "is `scope` `ancestor` or below it", without allocating. The segment
/// boundary is checked first and the ids compared from the end back: ids under one parent
/// share a long prefix and differ in their last segment, so a mismatch shows within a few
/// bytes (finding a resource by id among thousands stays cheap).
pub(crate) fn id_within(scope: &str, ancestor: &str) -> bool {
    let (s, a) = (scope.as_bytes(), ancestor.as_bytes());
    s.len() >= a.len()
        && (s.len() == a.len() || s[a.len()] == b'/')
        && s[..a.len()]
            .iter()
            .rev()
            .zip(a.iter().rev())
            .all(|(x, y)| x.eq_ignore_ascii_case(y))
}
