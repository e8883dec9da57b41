//! The first pass of the layout: what is drawn, without geometry. Walks the world into bands
//! (one per tenant), each with its directory and its management group → subscription →
//! resource group tree, resolves every role assignment's principal and scope, and writes the
//! labels and accessible names.

use super::{ContainerKind, EdgeKind, ListItem, ListSection, NodeKind};
use crate::model::ids::{ObjectId, SubscriptionId, TenantId};
use crate::model::rbac::RoleAssignment;
use crate::model::world::{ChildKind, KeyVaultPermissionModel, Resource, ResourceKind, World};
use std::collections::{HashMap, HashSet};

/// A node before placement.
#[derive(Clone, Debug)]
pub(super) struct LNode {
    pub id: String,
    pub kind: NodeKind,
    pub resource_kind: Option<ResourceKind>,
    pub label: String,
    pub sub_label: String,
    /// The object id of the system-assigned identity, for the badge.
    pub badge: Option<String>,
    pub accessible: String,
}

/// A container before placement: a resource group holds nodes, the others hold boxes
/// (directories and the outside box hold nodes too).
#[derive(Clone, Debug)]
pub(super) struct LBox {
    pub kind: ContainerKind,
    pub id: String,
    pub title: String,
    pub accessible: String,
    pub boxes: Vec<LBox>,
    pub nodes: Vec<usize>,
}

impl LBox {
    fn new(kind: ContainerKind, id: String, title: String, accessible: String) -> LBox {
        LBox {
            kind,
            id,
            title,
            accessible,
            boxes: Vec::new(),
            nodes: Vec::new(),
        }
    }
}

/// One tenant's band: its directory on the left, its tree on the right.
#[derive(Clone, Debug)]
pub(super) struct LBand {
    pub directory: LBox,
    pub tree: Vec<LBox>,
}

/// Where an edge starts or ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum LEnd {
    /// A node's box.
    Node(usize),
    /// The system-assigned badge of a resource node.
    Badge(usize),
    /// A container, by id.
    Container(String),
}

/// An edge before routing.
#[derive(Clone, Debug)]
pub(super) struct LEdge {
    pub id: String,
    pub kind: EdgeKind,
    pub from: LEnd,
    pub to: LEnd,
    /// The chip's role name and scope level.
    pub chip: Option<(String, String)>,
    pub effective: bool,
    pub accessible: String,
}

/// Everything to draw.
#[derive(Clone, Debug, Default)]
pub(super) struct Structure {
    pub nodes: Vec<LNode>,
    pub bands: Vec<LBand>,
    pub outside: Option<LBox>,
    pub edges: Vec<LEdge>,
}

/// What a role assignment's scope turned out to be.
enum ScopeRef {
    ManagementGroup(usize),
    Subscription(usize),
    ResourceGroup(usize),
    Resource(usize),
    Child(usize, ChildKind, String),
    /// Gone; the resource group key it would sit in, if that group still exists.
    Missing(Option<usize>),
}

type RgKey = (SubscriptionId, String);

/// Lookup tables from lower-case scope text.
struct Index<'w> {
    world: &'w World,
    mgs: HashMap<String, usize>,
    subs: HashMap<String, usize>,
    /// Resource groups: world ones first, then ones only resources name.
    rgs: Vec<RgKey>,
    rg_by_scope: HashMap<String, usize>,
    rg_by_key: HashMap<RgKey, usize>,
    resources: HashMap<String, usize>,
}

fn rg_scope(key: &RgKey) -> String {
    format!("/subscriptions/{}/resourcegroups/{}", key.0, key.1)
}

impl<'w> Index<'w> {
    fn new(world: &'w World) -> Index<'w> {
        let mut index = Index {
            world,
            mgs: HashMap::default(),
            subs: HashMap::default(),
            rgs: Vec::new(),
            rg_by_scope: HashMap::default(),
            rg_by_key: HashMap::default(),
            resources: HashMap::default(),
        };
        for (i, mg) in world.management_groups().iter().enumerate() {
            index
                .mgs
                .entry(mg.scope().as_str().to_ascii_lowercase())
                .or_insert(i);
        }
        for (i, sub) in world.subscriptions().iter().enumerate() {
            index
                .subs
                .entry(sub.scope().as_str().to_ascii_lowercase())
                .or_insert(i);
        }
        let keys = world
            .resource_groups()
            .iter()
            .map(|g| (g.subscription_id, g.name.to_ascii_lowercase()))
            .chain(
                world
                    .resources()
                    .iter()
                    .map(|r| (r.subscription_id, r.resource_group.to_ascii_lowercase())),
            );
        for key in keys {
            if !index.rg_by_key.contains_key(&key) {
                let i = index.rgs.len();
                index.rg_by_scope.insert(rg_scope(&key), i);
                index.rg_by_key.insert(key.clone(), i);
                index.rgs.push(key);
            }
        }
        for (i, r) in world.resources().iter().enumerate() {
            index
                .resources
                .entry(r.id.as_str().to_ascii_lowercase())
                .or_insert(i);
        }
        index
    }

    fn resolve(&self, scope: &str) -> ScopeRef {
        let key = scope.trim().trim_end_matches('/').to_ascii_lowercase();
        if let Some(&i) = self.mgs.get(&key) {
            return ScopeRef::ManagementGroup(i);
        }
        if let Some(&i) = self.subs.get(&key) {
            return ScopeRef::Subscription(i);
        }
        if let Some(&i) = self.rg_by_scope.get(&key) {
            return ScopeRef::ResourceGroup(i);
        }
        if let Some(&i) = self.resources.get(&key) {
            return ScopeRef::Resource(i);
        }
        let mut prefix = key.as_str();
        while let Some(cut) = prefix.rfind('/') {
            prefix = &prefix[..cut];
            if let Some(&i) = self.resources.get(prefix) {
                let rest = &key[prefix.len() + 1..];
                let r = &self.world.resources()[i];
                let child = r.children.iter().find(|c| {
                    let segment = c.kind.path_segment();
                    rest.len() == segment.len() + 1 + c.name.len()
                        && rest[..segment.len()].eq_ignore_ascii_case(segment)
                        && rest[segment.len() + 1..].eq_ignore_ascii_case(&c.name)
                });
                return match child {
                    Some(c) => ScopeRef::Child(i, c.kind, c.name.clone()),
                    None => ScopeRef::Missing(self.rg_of_scope(&key)),
                };
            }
        }
        ScopeRef::Missing(self.rg_of_scope(&key))
    }

    /// The resource group a scope lies in, if that group is still there.
    fn rg_of_scope(&self, key: &str) -> Option<usize> {
        let parts: Vec<&str> = key.split('/').collect();
        if parts.len() >= 5 && parts[1] == "subscriptions" && parts[3] == "resourcegroups" {
            let scope = format!("/subscriptions/{}/resourcegroups/{}", parts[2], parts[4]);
            self.rg_by_scope.get(&scope).copied()
        } else {
            None
        }
    }
}

/// The short form of an object id shown under a service principal's name.
fn short_id(id: ObjectId) -> String {
    let text = id.to_string();
    format!("{}…", &text[..4.min(text.len())])
}

/// The sub-label of a resource: its kind, and the permission model of a key vault.
fn kind_text(r: &Resource) -> String {
    match r.key_vault.as_ref().map(|kv| kv.permission_model) {
        Some(KeyVaultPermissionModel::Rbac) => format!("{} · RBAC", r.kind.display_name()),
        Some(KeyVaultPermissionModel::AccessPolicies) => {
            format!("{} · access policy", r.kind.display_name())
        }
        None if r.kind == ResourceKind::UserAssignedIdentity => "User-assigned identity".into(),
        None => r.kind.display_name().to_string(),
    }
}

fn join_names(names: &[String]) -> String {
    names.join(", ")
}

struct Collector<'w> {
    world: &'w World,
    index: Index<'w>,
    out: Structure,
    /// Node index of each world resource.
    resource_node: Vec<Option<usize>>,
    /// Node index of each service principal or placeholder, by object id.
    principal_node: HashMap<ObjectId, usize>,
    /// Names of the resources each user-assigned identity is attached to.
    attached_to: HashMap<String, Vec<String>>,
    /// Resources by resource group index, in world order.
    rg_resources: Vec<Vec<usize>>,
    /// Ghost scope nodes to add to each resource group, and those with no group left.
    rg_ghosts: Vec<Vec<usize>>,
    homeless_ghosts: Vec<usize>,
    /// Order in which resources were met in the trees (to order service principals).
    tree_order: Vec<usize>,
    /// Object ids of every live service principal.
    live_principals: HashSet<ObjectId>,
}

/// Collects the structure of the graph.
pub(super) fn collect(world: &World) -> Structure {
    let index = Index::new(world);
    let rg_count = index.rgs.len();
    let mut rg_resources = vec![Vec::new(); rg_count];
    for (i, r) in world.resources().iter().enumerate() {
        let key = (r.subscription_id, r.resource_group.to_ascii_lowercase());
        if let Some(&g) = index.rg_by_key.get(&key) {
            rg_resources[g].push(i);
        }
    }
    let mut attached_to: HashMap<String, Vec<String>> = HashMap::default();
    let mut out = Structure::default();
    let principals: usize = world
        .tenants()
        .iter()
        .map(|t| t.service_principals.len())
        .sum();
    out.nodes
        .reserve(world.resources().len() + principals + world.tenants().len() + 8);
    out.edges
        .reserve(world.role_assignments().len() + 3 * world.resources().len());
    for r in world.resources() {
        for u in &r.user_assigned {
            attached_to
                .entry(u.as_str().to_ascii_lowercase())
                .or_default()
                .push(r.name.clone());
        }
    }
    let mut c = Collector {
        world,
        index,
        out,
        resource_node: vec![None; world.resources().len()],
        principal_node: HashMap::default(),
        attached_to,
        rg_resources,
        rg_ghosts: vec![Vec::new(); rg_count],
        homeless_ghosts: Vec::new(),
        tree_order: Vec::new(),
        live_principals: world
            .tenants()
            .iter()
            .flat_map(|t| t.service_principals.iter().map(|sp| sp.object_id))
            .collect(),
    };
    let scopes: Vec<ScopeRef> = world
        .role_assignments()
        .iter()
        .map(|a| c.index.resolve(a.scope.as_str()))
        .collect();
    let ghosts = c.ghost_nodes(&scopes);
    c.bands();
    c.directories();
    c.outside();
    c.identity_edges();
    c.role_edges(&scopes, &ghosts);
    c.out
}

impl<'w> Collector<'w> {
    fn add(&mut self, node: LNode) -> usize {
        self.out.nodes.push(node);
        self.out.nodes.len() - 1
    }

    fn band_of(&self, tenant: TenantId) -> usize {
        self.world
            .tenants()
            .iter()
            .position(|t| t.id == tenant)
            .unwrap_or(0)
    }

    /// One placeholder node per scope that no longer exists, filed under its resource group.
    fn ghost_nodes(&mut self, scopes: &[ScopeRef]) -> Vec<Option<usize>> {
        let mut by_scope: HashMap<String, usize> = HashMap::default();
        let mut out = Vec::with_capacity(scopes.len());
        for (a, scope) in self.world.role_assignments().iter().zip(scopes) {
            let ScopeRef::Missing(rg) = scope else {
                out.push(None);
                continue;
            };
            let key = a.scope.as_str().trim_end_matches('/').to_ascii_lowercase();
            if let Some(&n) = by_scope.get(&key) {
                out.push(Some(n));
                continue;
            }
            let name = a.scope.name().to_string();
            let n = self.add(LNode {
                id: format!("missing:{}", a.scope.as_str()),
                kind: NodeKind::Unknown,
                resource_kind: None,
                label: name.clone(),
                sub_label: "Scope not found".into(),
                badge: None,
                accessible: format!(
                    "{name}: scope not found, it was deleted ({})",
                    a.scope.as_str()
                ),
            });
            by_scope.insert(key, n);
            match rg {
                Some(g) => self.rg_ghosts[*g].push(n),
                None => self.homeless_ghosts.push(n),
            }
            out.push(Some(n));
        }
        out
    }

    fn bands(&mut self) {
        let world = self.world;
        let count = world.tenants().len().max(1);
        let mut trees: Vec<Vec<LBox>> = vec![Vec::new(); count];
        let mut placed_subs = vec![false; world.subscriptions().len()];
        // Management groups, rooted under each tenant.
        for (i, mg) in world.management_groups().iter().enumerate() {
            let parent_known = mg.parent.as_deref().is_some_and(|p| {
                world
                    .management_groups()
                    .iter()
                    .any(|m| m.tenant_id == mg.tenant_id && m.name.eq_ignore_ascii_case(p))
            });
            if !parent_known {
                let mut seen = vec![false; world.management_groups().len()];
                let b = self.mg_box(i, &mut seen, &mut placed_subs);
                trees[self.band_of(mg.tenant_id)].push(b);
            }
        }
        for (i, sub) in world.subscriptions().iter().enumerate() {
            if !placed_subs[i] {
                placed_subs[i] = true;
                let b = self.sub_box(i);
                trees[self.band_of(sub.tenant_id)].push(b);
            }
        }
        // Resource groups whose subscription is unknown.
        let known: Vec<bool> = self
            .index
            .rgs
            .iter()
            .map(|(s, _)| world.subscription(*s).is_some())
            .collect();
        for (g, ok) in known.into_iter().enumerate() {
            if !ok {
                let b = self.rg_box(g);
                trees[0].push(b);
            }
        }
        for (t, tree) in trees.into_iter().enumerate() {
            let (id, title, accessible) = match world.tenants().get(t) {
                Some(tenant) => (
                    format!("directory:{}", tenant.id),
                    format!("Tenant: {} (Entra ID)", tenant.name),
                    format!("Tenant {} directory (Entra ID)", tenant.name),
                ),
                None => (
                    "directory:none".into(),
                    "No tenant".into(),
                    "No tenant".into(),
                ),
            };
            self.out.bands.push(LBand {
                directory: LBox::new(ContainerKind::Directory, id, title, accessible),
                tree,
            });
        }
        if !self.homeless_ghosts.is_empty() {
            let mut b = LBox::new(
                ContainerKind::NotFound,
                "not-found".into(),
                "Scopes not found".into(),
                "Scopes that no longer exist but still have role assignments".into(),
            );
            b.nodes = std::mem::take(&mut self.homeless_ghosts);
            if let Some(band) = self.out.bands.first_mut() {
                band.tree.push(b);
            }
        }
    }

    fn mg_box(&mut self, i: usize, seen: &mut Vec<bool>, placed_subs: &mut [bool]) -> LBox {
        let world = self.world;
        seen[i] = true;
        let mg = &world.management_groups()[i];
        let mut b = LBox::new(
            ContainerKind::ManagementGroup,
            mg.scope().as_str().to_string(),
            format!("Management group: {}", mg.name),
            format!("Management group {}", mg.name),
        );
        for (j, child) in world.management_groups().iter().enumerate() {
            let is_child = !seen[j]
                && child.tenant_id == mg.tenant_id
                && child
                    .parent
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case(&mg.name));
            if is_child {
                let inner = self.mg_box(j, seen, placed_subs);
                b.boxes.push(inner);
            }
        }
        for (s, sub) in world.subscriptions().iter().enumerate() {
            let inside = !placed_subs[s]
                && sub.tenant_id == mg.tenant_id
                && sub
                    .management_group
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case(&mg.name));
            if inside {
                placed_subs[s] = true;
                let inner = self.sub_box(s);
                b.boxes.push(inner);
            }
        }
        b
    }

    fn sub_box(&mut self, s: usize) -> LBox {
        let world = self.world;
        let sub = &world.subscriptions()[s];
        let tenant = world
            .tenant(sub.tenant_id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| sub.tenant_id.to_string());
        let mut b = LBox::new(
            ContainerKind::Subscription,
            sub.scope().as_str().to_string(),
            format!("Subscription: {}", sub.name),
            format!("Subscription {} (trusts tenant {tenant})", sub.name),
        );
        let groups: Vec<usize> = (0..self.index.rgs.len())
            .filter(|&g| self.index.rgs[g].0 == sub.id)
            .collect();
        for g in groups {
            let inner = self.rg_box(g);
            b.boxes.push(inner);
        }
        b
    }

    fn rg_box(&mut self, g: usize) -> LBox {
        let world = self.world;
        let (sub_id, _) = self.index.rgs[g].clone();
        let name = world
            .resource_groups()
            .iter()
            .find(|rg| {
                rg.subscription_id == sub_id && rg.name.eq_ignore_ascii_case(&self.index.rgs[g].1)
            })
            .map(|rg| rg.name.clone())
            .or_else(|| {
                self.rg_resources[g]
                    .first()
                    .map(|&r| world.resources()[r].resource_group.clone())
            })
            .unwrap_or_else(|| self.index.rgs[g].1.clone());
        let sub_name = world
            .subscription(sub_id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| sub_id.to_string());
        let mut b = LBox::new(
            ContainerKind::ResourceGroup,
            format!("/subscriptions/{sub_id}/resourceGroups/{name}"),
            format!("Resource group: {name}"),
            format!("Resource group {name} in subscription {sub_name}"),
        );
        for r in self.rg_resources[g].clone() {
            let n = self.resource_node(r);
            b.nodes.push(n);
        }
        b.nodes.extend(self.rg_ghosts[g].iter().copied());
        b
    }

    /// What [`World::broken_identities`] says, with lookups through the index (the world's
    /// own walk scans every resource per identity).
    fn broken_identities(&self, r: &Resource) -> Vec<String> {
        if r.system_assigned.is_none() && r.user_assigned.is_empty() && r.identity.is_none() {
            return Vec::new();
        }
        let Some(sub) = self.world.subscription(r.subscription_id) else {
            return Vec::new();
        };
        let mut broken = Vec::new();
        if let Some(sa) = &r.system_assigned
            && (sa.tenant_id != sub.tenant_id || !self.live_principals.contains(&sa.principal_id))
        {
            broken.push("system-assigned".to_string());
        }
        if let Some(uami) = &r.identity
            && uami.tenant_id != sub.tenant_id
        {
            broken.push(r.name.clone());
        }
        for id in &r.user_assigned {
            let ok = self
                .index
                .resources
                .get(&id.as_str().to_ascii_lowercase())
                .and_then(|&u| self.world.resources()[u].identity.as_ref())
                .is_some_and(|props| props.tenant_id == sub.tenant_id);
            if !ok {
                broken.push(id.name().to_string());
            }
        }
        broken
    }

    fn resource_node(&mut self, i: usize) -> usize {
        let world = self.world;
        let r = &world.resources()[i];
        let kind = match r.kind.role() {
            crate::model::world::KindRole::Compute(_) => NodeKind::Compute,
            crate::model::world::KindRole::Target => NodeKind::Target,
            crate::model::world::KindRole::Identity => NodeKind::UserAssignedIdentity,
        };
        let mut accessible = if kind == NodeKind::UserAssignedIdentity {
            match self.attached_to.get(&r.id.as_str().to_ascii_lowercase()) {
                Some(names) => format!(
                    "User-assigned identity {}, attached to {}",
                    r.name,
                    join_names(names)
                ),
                None => format!(
                    "User-assigned identity {}, not attached to any resource",
                    r.name
                ),
            }
        } else {
            format!("{} {}", r.kind.display_name(), r.name)
        };
        if let Some(kv) = &r.key_vault {
            accessible.push_str(match kv.permission_model {
                KeyVaultPermissionModel::Rbac => ", permission model Azure RBAC",
                KeyVaultPermissionModel::AccessPolicies => ", permission model access policies",
            });
        }
        if kind == NodeKind::Compute || r.system_assigned.is_some() {
            let on = if r.system_assigned.is_some() {
                "on"
            } else {
                "off"
            };
            accessible.push_str(&format!(", system-assigned identity {on}"));
        }
        if !r.user_assigned.is_empty() {
            let names: Vec<String> = r
                .user_assigned
                .iter()
                .map(|u| u.name().to_string())
                .collect();
            accessible.push_str(&format!(", uses {}", join_names(&names)));
        }
        let broken = self.broken_identities(r);
        if !broken.is_empty() {
            accessible.push_str(&format!(", broken identity: {}", join_names(&broken)));
        }
        let n = self.add(LNode {
            id: r.id.as_str().to_string(),
            kind,
            resource_kind: Some(r.kind),
            label: r.name.clone(),
            sub_label: kind_text(r),
            badge: r.system_assigned.map(|sa| sa.principal_id.to_string()),
            accessible,
        });
        self.resource_node[i] = Some(n);
        self.tree_order.push(i);
        n
    }

    /// Each tenant's service principals, ordered as their resources appear in the tree, then
    /// placeholders for deleted principals that still hold role assignments, then the token
    /// service.
    fn directories(&mut self) {
        let world = self.world;
        let mut rank: HashMap<ObjectId, usize> = HashMap::default();
        for (k, &r) in self.tree_order.iter().enumerate() {
            let res = &world.resources()[r];
            if let Some(sa) = res.system_assigned {
                rank.entry(sa.principal_id).or_insert(k);
            }
            if let Some(u) = &res.identity {
                rank.entry(u.principal_id).or_insert(k);
            }
        }
        for (t, tenant) in world.tenants().iter().enumerate() {
            let mut sps: Vec<(usize, usize)> = tenant
                .service_principals
                .iter()
                .enumerate()
                .map(|(i, sp)| (rank.get(&sp.object_id).copied().unwrap_or(usize::MAX), i))
                .collect();
            sps.sort();
            for (_, i) in sps {
                let sp = &tenant.service_principals[i];
                let kind = sp.service_principal_type.to_string();
                // App roles granted to it (a Graph permission is not an Azure role
                // assignment, so it has no edge: the principal says what it holds).
                let granted: Vec<(String, String)> = tenant
                    .app_role_assignments
                    .iter()
                    .filter(|g| g.principal_id == sp.object_id)
                    .filter_map(|g| {
                        let api = tenant
                            .service_principals
                            .iter()
                            .find(|a| a.object_id == g.resource_id)?;
                        let role = api.app_roles.iter().find(|r| r.id == g.app_role_id)?;
                        Some((api.display_name.clone(), role.value.clone()))
                    })
                    .collect();
                let sub_label = if granted.is_empty() {
                    format!("{kind} · {}", short_id(sp.object_id))
                } else {
                    let roles: Vec<&str> = granted.iter().map(|(_, r)| r.as_str()).collect();
                    format!("App roles: {}", roles.join(", "))
                };
                let mut accessible = format!(
                    "Service principal {} ({kind}), object id {}",
                    sp.display_name, sp.object_id
                );
                if !granted.is_empty() {
                    let list: Vec<String> = granted
                        .iter()
                        .map(|(api, r)| format!("{api} {r}"))
                        .collect();
                    accessible.push_str(&format!(", granted app roles {}", list.join(", ")));
                }
                let n = self.add(LNode {
                    id: sp.object_id.to_string(),
                    kind: NodeKind::ServicePrincipal,
                    resource_kind: None,
                    label: sp.display_name.clone(),
                    sub_label,
                    badge: None,
                    accessible,
                });
                self.principal_node.insert(sp.object_id, n);
                if let Some(band) = self.out.bands.get_mut(t) {
                    band.directory.nodes.push(n);
                }
            }
        }
        // Deleted principals that still hold role assignments.
        for a in world.role_assignments() {
            let id = a.principal_id;
            if self.principal_node.contains_key(&id) {
                continue;
            }
            let band = match world.deleted_principal(id) {
                Some((tenant, _)) => self.band_of(tenant.id),
                None => match world.resolve_scope(a.scope.as_str()) {
                    Ok(scope) => self.band_of(scope.tenant_id),
                    Err(_) => 0,
                },
            };
            let n = self.add(LNode {
                id: format!("unknown:{id}"),
                kind: NodeKind::Unknown,
                resource_kind: None,
                label: "Identity not found".into(),
                sub_label: format!("Unknown · {}", short_id(id)),
                badge: None,
                accessible: format!("Identity not found: a deleted principal, object id {id}"),
            });
            self.principal_node.insert(id, n);
            if let Some(b) = self.out.bands.get_mut(band) {
                b.directory.nodes.push(n);
            }
        }
        for (t, tenant) in world.tenants().iter().enumerate() {
            let n = self.add(LNode {
                id: format!("entra:{}", tenant.id),
                kind: NodeKind::TokenService,
                resource_kind: None,
                label: "Token service".into(),
                sub_label: format!("Entra ID · {}", tenant.name),
                badge: None,
                accessible: format!(
                    "Entra ID token service of tenant {}, issues tokens for its identities",
                    tenant.name
                ),
            });
            if let Some(band) = self.out.bands.get_mut(t) {
                band.directory.nodes.push(n);
            }
        }
    }

    fn outside(&mut self) {
        let servers = self.world.on_prem_servers();
        if servers.is_empty() {
            return;
        }
        let mut b = LBox::new(
            ContainerKind::OutsideAzure,
            "outside-azure".into(),
            "Outside Azure".into(),
            "Outside Azure: servers without Azure Arc".into(),
        );
        for s in servers {
            let n = self.add(LNode {
                id: format!("onprem:{}", s.name),
                kind: NodeKind::OnPremises,
                resource_kind: None,
                label: s.name.clone(),
                sub_label: "Server, no Azure Arc".into(),
                badge: None,
                accessible: format!(
                    "Server {} outside Azure, no Azure Arc agent, so no managed identity",
                    s.name
                ),
            });
            b.nodes.push(n);
        }
        self.out.outside = Some(b);
    }

    fn identity_edges(&mut self) {
        let world = self.world;
        for &i in &self.tree_order {
            let r = &world.resources()[i];
            let Some(node) = self.resource_node[i] else {
                continue;
            };
            if let Some(sa) = r.system_assigned
                && let Some(&sp) = self.principal_node.get(&sa.principal_id)
                && self.out.nodes[sp].kind == NodeKind::ServicePrincipal
            {
                self.out.edges.push(LEdge {
                    id: format!("sa:{}", r.id),
                    kind: EdgeKind::SystemAssigned,
                    from: LEnd::Badge(node),
                    to: LEnd::Node(sp),
                    chip: None,
                    effective: true,
                    accessible: format!(
                        "System-assigned identity of {}: service principal {}",
                        r.name, self.out.nodes[sp].label
                    ),
                });
            }
            for u in &r.user_assigned {
                let Some(&ui) = self.index.resources.get(&u.as_str().to_ascii_lowercase()) else {
                    continue;
                };
                let Some(un) = self.resource_node[ui] else {
                    continue;
                };
                let uname = &world.resources()[ui].name;
                self.out.edges.push(LEdge {
                    id: format!("attach:{}|{}", r.id, world.resources()[ui].id),
                    kind: EdgeKind::Attachment,
                    from: LEnd::Node(node),
                    to: LEnd::Node(un),
                    chip: None,
                    effective: true,
                    accessible: format!("User-assigned identity {uname} attached to {}", r.name),
                });
            }
            if let Some(props) = &r.identity
                && let Some(&sp) = self.principal_node.get(&props.principal_id)
                && self.out.nodes[sp].kind == NodeKind::ServicePrincipal
            {
                self.out.edges.push(LEdge {
                    id: format!("uami:{}", r.id),
                    kind: EdgeKind::UserAssigned,
                    from: LEnd::Node(node),
                    to: LEnd::Node(sp),
                    chip: None,
                    effective: true,
                    accessible: format!(
                        "User-assigned identity {}: service principal {}",
                        r.name, self.out.nodes[sp].label
                    ),
                });
            }
        }
    }

    fn role_name(&self, a: &RoleAssignment) -> String {
        self.world
            .role_definition(a.role_definition_id)
            .map(|d| d.role_name.clone())
            .unwrap_or_else(|| format!("Role {}", a.role_definition_id))
    }

    fn role_edges(&mut self, scopes: &[ScopeRef], ghosts: &[Option<usize>]) {
        let world = self.world;
        let now = world.now();
        let delay = world.propagation_delay();
        for (k, a) in world.role_assignments().iter().enumerate() {
            let Some(&from) = self.principal_node.get(&a.principal_id) else {
                continue;
            };
            let principal_gone = self.out.nodes[from].kind == NodeKind::Unknown;
            let role = self.role_name(a);
            // (where it ends, chip level, name of the scope, level for the accessible name)
            let (to, level, name, level_name) = match &scopes[k] {
                ScopeRef::ManagementGroup(i) => {
                    let mg = &world.management_groups()[*i];
                    let lvl = "management group".to_string();
                    (
                        LEnd::Container(mg.scope().as_str().to_string()),
                        lvl.clone(),
                        mg.name.clone(),
                        lvl,
                    )
                }
                ScopeRef::Subscription(i) => {
                    let sub = &world.subscriptions()[*i];
                    let lvl = "subscription".to_string();
                    (
                        LEnd::Container(sub.scope().as_str().to_string()),
                        lvl.clone(),
                        sub.name.clone(),
                        lvl,
                    )
                }
                ScopeRef::ResourceGroup(g) => {
                    let (sub_id, lower) = &self.index.rgs[*g];
                    let name = world
                        .resource_groups()
                        .iter()
                        .find(|rg| {
                            rg.subscription_id == *sub_id && rg.name.eq_ignore_ascii_case(lower)
                        })
                        .map(|rg| rg.name.clone())
                        .unwrap_or_else(|| lower.clone());
                    let lvl = "resource group".to_string();
                    (
                        LEnd::Container(format!("/subscriptions/{sub_id}/resourceGroups/{name}")),
                        lvl.clone(),
                        name,
                        lvl,
                    )
                }
                ScopeRef::Resource(i) => {
                    let Some(n) = self.resource_node[*i] else {
                        continue;
                    };
                    let lvl = "resource".to_string();
                    (
                        LEnd::Node(n),
                        lvl.clone(),
                        world.resources()[*i].name.clone(),
                        lvl,
                    )
                }
                ScopeRef::Child(i, kind, child) => {
                    let Some(n) = self.resource_node[*i] else {
                        continue;
                    };
                    (
                        LEnd::Node(n),
                        format!("{} {child}", kind.display_name()),
                        format!("{child} in {}", world.resources()[*i].name),
                        kind.display_name().to_string(),
                    )
                }
                ScopeRef::Missing(_) => {
                    let Some(n) = ghosts[k] else {
                        continue;
                    };
                    (
                        LEnd::Node(n),
                        "scope not found".to_string(),
                        a.scope.name().to_string(),
                        "deleted".to_string(),
                    )
                }
            };
            let scope_gone = matches!(scopes[k], ScopeRef::Missing(_));
            let principal = &self.out.nodes[from].label;
            let mut accessible = if principal_gone {
                format!(
                    "Role assignment for an identity that no longer exists (Identity not found): {role} on {name}"
                )
            } else if scope_gone {
                format!(
                    "Role assignment on a scope that no longer exists: {role} for {principal} on {name}"
                )
            } else {
                format!("Role assignment: {role} for {principal} on {name} ({level_name} scope)")
            };
            if principal_gone && scope_gone {
                accessible.push_str(" (scope not found)");
            }
            let effective = a.created_at.0 + delay <= now.0;
            if !effective {
                accessible.push_str(", not effective yet (still propagating)");
            }
            if a.condition.is_some() {
                accessible.push_str(", with a condition");
            }
            let kind = if principal_gone || scope_gone {
                EdgeKind::OrphanedRoleAssignment
            } else {
                EdgeKind::RoleAssignment
            };
            self.out.edges.push(LEdge {
                id: a.id.clone(),
                kind,
                from: LEnd::Node(from),
                to,
                chip: Some((role, level)),
                effective,
                accessible,
            });
        }
    }
}

impl Structure {
    /// The same world as text.
    pub(super) fn list_view(&self) -> Vec<ListSection> {
        let item = |id: &str, text: &str, level| ListItem {
            id: id.to_string(),
            text: text.to_string(),
            level,
        };
        let mut directory = Vec::new();
        for band in &self.bands {
            let d = &band.directory;
            directory.push(item(&d.id, &d.accessible, 0));
            for &n in &d.nodes {
                let node = &self.nodes[n];
                directory.push(item(&node.id, &node.accessible, 1));
            }
        }
        let mut resources = Vec::new();
        fn walk(b: &LBox, nodes: &[LNode], out: &mut Vec<ListItem>) {
            if b.kind == ContainerKind::ResourceGroup || b.kind == ContainerKind::NotFound {
                out.push(ListItem {
                    id: b.id.clone(),
                    text: b.accessible.clone(),
                    level: 0,
                });
                for &n in &b.nodes {
                    out.push(ListItem {
                        id: nodes[n].id.clone(),
                        text: nodes[n].accessible.clone(),
                        level: 1,
                    });
                }
            }
            for inner in &b.boxes {
                walk(inner, nodes, out);
            }
        }
        for band in &self.bands {
            for b in &band.tree {
                walk(b, &self.nodes, &mut resources);
            }
        }
        if let Some(b) = &self.outside {
            resources.push(item(&b.id, &b.accessible, 0));
            for &n in &b.nodes {
                resources.push(item(&self.nodes[n].id, &self.nodes[n].accessible, 1));
            }
        }
        let assignments = self
            .edges
            .iter()
            .filter(|e| e.chip.is_some())
            .map(|e| item(&e.id, &e.accessible, 0))
            .collect();
        vec![
            ListSection {
                title: "Directory".into(),
                items: directory,
            },
            ListSection {
                title: "Resources by resource group".into(),
                items: resources,
            },
            ListSection {
                title: "Role assignments".into(),
                items: assignments,
            },
        ]
    }
}
