//! Pure view models for the Edit tool: the names each form offers (listed from the world),
//! the commands the forms build, and the role picker (search, what a role grants, how broad
//! it is, and whether it is broader than the task needs compared with the least-privilege
//! role the RBAC engine suggests).

use crate::model::rbac::{self, least_privilege_role};
use crate::model::roles::{RoleDefinition, builtin_roles};
use crate::model::world::{ChildKind, Command, ResourceKind, ServicePrincipalType, World};

/// One option of a picker: the value a command takes and the text a person reads.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Choice {
    /// What the command is given (a name, a scope path, an assignment id).
    pub value: String,
    /// What the picker shows.
    pub label: String,
}

impl Choice {
    fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A resource that can carry managed identities, with its identity state.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IdentityHost {
    /// The resource's name.
    pub name: String,
    /// `vm-web (Virtual machine)`.
    pub label: String,
    /// Whether its system-assigned identity is on.
    pub system_assigned: bool,
    /// Whether the kind supports a system-assigned identity.
    pub supports_system_assigned: bool,
    /// Whether the kind supports user-assigned identities.
    pub supports_user_assigned: bool,
    /// The user-assigned identities attached to it, by name.
    pub attached: Vec<String>,
}

/// Everything the edit forms list, read from the world.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct EditChoices {
    /// Tenants by name.
    pub tenants: Vec<String>,
    /// Subscriptions by name, with the tenant they trust.
    pub subscriptions: Vec<Choice>,
    /// Resource groups; the value is `subscription/group` (see [`split_group`]).
    pub resource_groups: Vec<Choice>,
    /// Resources that can carry identities.
    pub hosts: Vec<IdentityHost>,
    /// Every resource except user-assigned identities (for delete and move).
    pub resources: Vec<Choice>,
    /// User-assigned identities by name.
    pub identities: Vec<Choice>,
    /// Principals that can be granted a role or checked: identities by their name,
    /// applications by display name.
    pub principals: Vec<Choice>,
    /// Scopes as scenario files write them (`sub:Production`, `rg:rg-data`, `kv-prod`,
    /// `stdata/containers/uploads`).
    pub scopes: Vec<Choice>,
    /// Role assignments (orphans included); the value is the assignment id.
    pub assignments: Vec<Choice>,
}

/// The kinds a person may add with "Add a resource" (identities have their own form).
pub fn addable_kinds() -> Vec<ResourceKind> {
    ResourceKind::ALL
        .into_iter()
        .filter(|k| *k != ResourceKind::UserAssignedIdentity)
        .collect()
}

/// The short segment a scope path uses for a child kind (`containers`, `secrets`, ...).
pub fn child_segment(kind: ChildKind) -> &'static str {
    match kind {
        ChildKind::Secret => "secrets",
        ChildKind::Key => "keys",
        ChildKind::Certificate => "certificates",
        ChildKind::BlobContainer => "containers",
        ChildKind::Queue | ChildKind::ServiceBusQueue => "queues",
        ChildKind::Table => "tables",
        ChildKind::Database => "databases",
        ChildKind::ServiceBusTopic => "topics",
        ChildKind::EventHub => "eventhubs",
    }
}

/// Splits a resource-group choice value into (subscription, group).
pub fn split_group(value: &str) -> Option<(&str, &str)> {
    value
        .rsplit_once('/')
        .filter(|(s, g)| !s.is_empty() && !g.is_empty())
}

/// Lists everything the edit forms offer.
pub fn choices(world: &World) -> EditChoices {
    let tenant_name = |id| {
        world
            .tenant(id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let sub_name = |id| {
        world
            .subscription(id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut c = EditChoices {
        tenants: world.tenants().iter().map(|t| t.name.clone()).collect(),
        ..EditChoices::default()
    };
    for s in world.subscriptions() {
        c.subscriptions.push(Choice::new(
            s.name.clone(),
            format!("{} (trusts {})", s.name, tenant_name(s.tenant_id)),
        ));
    }
    for g in world.resource_groups() {
        let sub = sub_name(g.subscription_id);
        c.resource_groups.push(Choice::new(
            format!("{sub}/{}", g.name),
            format!("{} ({sub})", g.name),
        ));
    }
    for mg in world.management_groups() {
        c.scopes.push(Choice::new(
            format!("mg:{}", mg.name),
            format!("Management group {}", mg.name),
        ));
    }
    for s in world.subscriptions() {
        c.scopes.push(Choice::new(
            format!("sub:{}", s.name),
            format!("Subscription {}", s.name),
        ));
    }
    for g in world.resource_groups() {
        c.scopes.push(Choice::new(
            format!("rg:{}", g.name),
            format!("Resource group {}", g.name),
        ));
    }
    for r in world.resources() {
        let label = format!("{} ({})", r.name, r.kind.display_name());
        c.scopes.push(Choice::new(r.name.clone(), label.clone()));
        for child in &r.children {
            let path = format!("{}/{}/{}", r.name, child_segment(child.kind), child.name);
            c.scopes.push(Choice::new(
                path.clone(),
                format!("{path} ({})", child.kind.display_name()),
            ));
        }
        if let Some(uami) = &r.identity {
            let _ = uami;
            c.identities
                .push(Choice::new(r.name.clone(), r.name.clone()));
            c.principals.push(Choice::new(
                r.name.clone(),
                format!("{} (user-assigned identity)", r.name),
            ));
            continue;
        }
        c.resources.push(Choice::new(r.name.clone(), label.clone()));
        if r.system_assigned.is_some() {
            c.principals.push(Choice::new(
                r.name.clone(),
                format!("{} (system-assigned identity)", r.name),
            ));
        }
        let (sys, user) = (
            r.kind.supports_system_assigned(),
            r.kind.supports_user_assigned(),
        );
        if sys || user {
            c.hosts.push(IdentityHost {
                name: r.name.clone(),
                label,
                system_assigned: r.system_assigned.is_some(),
                supports_system_assigned: sys,
                supports_user_assigned: user,
                attached: r
                    .user_assigned
                    .iter()
                    .filter_map(|id| world.resource(id))
                    .map(|u| u.name.clone())
                    .collect(),
            });
        }
    }
    for t in world.tenants() {
        for sp in &t.service_principals {
            if sp.service_principal_type == ServicePrincipalType::Application
                && !sp
                    .display_name
                    .eq_ignore_ascii_case(crate::model::world::GRAPH_DISPLAY_NAME)
            {
                c.principals.push(Choice::new(
                    sp.display_name.clone(),
                    format!("{} (application)", sp.display_name),
                ));
            }
        }
    }
    // Thousands of assignments share a few hundred principals and scopes: look each up once,
    // with the world's lookup index built (resolving a scope then walks up its id instead of
    // scanning every resource).
    let _ = world.index();
    let mut names = std::collections::HashMap::new();
    let mut scopes = std::collections::HashMap::new();
    for a in world.role_assignments() {
        let role = world
            .role_definition(a.role_definition_id)
            .map(|r| r.role_name.clone())
            .unwrap_or_else(|| a.role_definition_id.to_string());
        let who = names
            .entry(a.principal_id)
            .or_insert_with(|| world.principal_info(a.principal_id).display_name);
        let scope = scopes
            .entry(a.scope.as_str())
            .or_insert_with(|| scope_text(world, a.scope.as_str()));
        c.assignments.push(Choice::new(
            a.id.clone(),
            format!("{role} → {who} at {scope}"),
        ));
    }
    c
}

/// A scope id as a person reads it: the resource's name, `rg-data`, `subscription X`.
fn scope_text(world: &World, scope: &str) -> String {
    match world.resolve_scope(scope) {
        Ok(s) => s.label,
        Err(_) => {
            let name = scope.rsplit('/').next().unwrap_or(scope);
            format!("{name} (gone)")
        }
    }
}

/// The command "Add a resource" builds: the group's region is the resource's region.
pub fn add_resource(
    world: &World,
    group: &str,
    name: &str,
    kind: ResourceKind,
) -> Result<Command, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Enter a name for the resource.".to_string());
    }
    let (subscription, resource_group) =
        split_group(group).ok_or_else(|| "Choose a resource group.".to_string())?;
    let location = world
        .resource_groups()
        .iter()
        .find(|g| g.name.eq_ignore_ascii_case(resource_group))
        .map_or_else(|| "westeurope".to_string(), |g| g.location.clone());
    Ok(Command::AddResource {
        subscription: subscription.to_string(),
        resource_group: resource_group.to_string(),
        name: name.to_string(),
        kind,
        location,
    })
}

/// The command "Create a user-assigned identity" builds.
pub fn create_user_assigned(world: &World, group: &str, name: &str) -> Result<Command, String> {
    match add_resource(world, group, name, ResourceKind::UserAssignedIdentity)? {
        Command::AddResource {
            subscription,
            resource_group,
            name,
            location,
            ..
        } => Ok(Command::CreateUserAssigned {
            subscription,
            resource_group,
            name,
            location,
        }),
        other => Ok(other),
    }
}

/// The command "Add a role assignment" builds: the scope path is resolved to its id.
pub fn add_role_assignment(
    world: &World,
    principal: &str,
    role: &str,
    scope: &str,
) -> Result<Command, String> {
    if principal.trim().is_empty() {
        return Err("Choose a principal.".to_string());
    }
    if role.trim().is_empty() {
        return Err("Choose a role.".to_string());
    }
    Ok(Command::AddRoleAssignment {
        principal: principal.trim().to_string(),
        role: role.trim().to_string(),
        scope: scope_id(world, scope)?,
        condition: None,
    })
}

/// A scope path (or id) as the id the model takes; a malformed path says why.
pub fn scope_id(world: &World, scope: &str) -> Result<String, String> {
    crate::model::scenario::ScopePath::parse(scope)?;
    Ok(crate::model::scenario::resolve_scope_path(world, scope)
        .map_or_else(|| scope.trim().to_string(), |id| id.0))
}

/// A job a role assignment is for, as the role picker's "the task needs" offers it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Task {
    /// What a person would call it.
    pub label: &'static str,
    /// The operation.
    pub action: &'static str,
    /// Whether it is a data action.
    pub is_data: bool,
}

impl Task {
    /// The operation as the RBAC engine takes it.
    pub fn action(&self) -> rbac::Action {
        rbac::Action {
            name: self.action.to_string(),
            is_data: self.is_data,
        }
    }
}

const fn task(label: &'static str, action: &'static str, is_data: bool) -> Task {
    Task {
        label,
        action,
        is_data,
    }
}

/// The tasks the role picker and the access check offer.
pub const TASKS: [Task; 10] = [
    task(
        "Read a Key Vault secret",
        "Microsoft.KeyVault/vaults/secrets/getSecret/action",
        true,
    ),
    task(
        "Write a Key Vault secret",
        "Microsoft.KeyVault/vaults/secrets/setSecret/action",
        true,
    ),
    task(
        "Read blobs",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
        true,
    ),
    task(
        "Write blobs",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
        true,
    ),
    task(
        "Add queue messages",
        "Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action",
        true,
    ),
    task(
        "Send Service Bus messages",
        "Microsoft.ServiceBus/namespaces/messages/send/action",
        true,
    ),
    task(
        "Send Event Hubs events",
        "Microsoft.EventHub/namespaces/messages/send/action",
        true,
    ),
    task(
        "Read a key vault's properties",
        "Microsoft.KeyVault/vaults/read",
        false,
    ),
    task(
        "List storage account keys",
        "Microsoft.Storage/storageAccounts/listkeys/action",
        false,
    ),
    task("Change a web app", "Microsoft.Web/sites/write", false),
];

/// The task a scope most likely serves: reading secrets from a vault, blobs from storage.
pub fn task_for_scope(world: &World, scope: &str) -> Option<usize> {
    let resource = scope.split('/').next().unwrap_or(scope);
    let kind = world.resource_named(resource)?.kind;
    let wanted = match kind {
        ResourceKind::KeyVault => "Read a Key Vault secret",
        ResourceKind::StorageAccount => "Read blobs",
        ResourceKind::ServiceBusNamespace => "Send Service Bus messages",
        ResourceKind::EventHubsNamespace => "Send Event Hubs events",
        k if k.is_compute() => "Change a web app",
        _ => return None,
    };
    TASKS.iter().position(|t| t.label == wanted)
}

/// How a role compares with what the task needs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Fit {
    /// No task chosen: nothing to compare with.
    NoTask,
    /// The least-privilege role for the task.
    LeastPrivilege,
    /// Grants the task, but more broadly than the least-privilege role.
    Broader {
        /// The least-privilege role's name.
        than: String,
    },
    /// Does not grant the task at all.
    DoesNotGrant,
}

/// One role in the picker.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RoleOption {
    /// The role's name (what the command takes).
    pub name: String,
    /// What the role is for.
    pub description: String,
    /// What it grants, a line per kind of permission.
    pub grants: Vec<String>,
    /// [`RoleDefinition::breadth`].
    pub breadth: u64,
    /// `Narrow`, `Moderate`, `Broad` or `Very broad`.
    pub breadth_label: &'static str,
    /// How it fits the task.
    pub fit: Fit,
}

impl RoleOption {
    /// The flag the picker shows, if any.
    pub fn flag(&self) -> Option<String> {
        match &self.fit {
            Fit::NoTask => None,
            Fit::LeastPrivilege => Some("Least privilege for this task".to_string()),
            Fit::Broader { than } => {
                Some(format!("Broader than the task needs ({than} is enough)"))
            }
            Fit::DoesNotGrant => Some("Does not grant this task".to_string()),
        }
    }
}

/// A breadth in words.
pub fn breadth_label(breadth: u64) -> &'static str {
    match breadth {
        0..10 => "Narrow",
        10..100 => "Moderate",
        100..1_000 => "Broad",
        _ => "Very broad",
    }
}

fn list(patterns: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = patterns
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if patterns.len() > SHOWN {
        text.push_str(&format!(" and {} more", patterns.len() - SHOWN));
    }
    text
}

/// What a role grants, in a few lines: management actions, data actions, exceptions, and a
/// plain warning when it grants no data access (the classic Owner-cannot-read-blobs trap).
pub fn grants_summary(role: &RoleDefinition) -> Vec<String> {
    let mut lines = Vec::new();
    let collect = |f: fn(&crate::model::roles::Permission) -> &Vec<String>| -> Vec<String> {
        role.permissions.iter().flat_map(|p| f(p).clone()).collect()
    };
    let actions = collect(|p| &p.actions);
    let data = collect(|p| &p.data_actions);
    let not_actions = collect(|p| &p.not_actions);
    let not_data = collect(|p| &p.not_data_actions);
    if actions.iter().any(|a| a == "*") {
        lines.push("Manage: everything (*)".to_string());
    } else if !actions.is_empty() {
        lines.push(format!("Manage: {}", list(&actions)));
    }
    if !not_actions.is_empty() {
        lines.push(format!("Except: {}", list(&not_actions)));
    }
    if data.is_empty() {
        lines.push("No data access (cannot read secrets, blobs or messages)".to_string());
    } else {
        lines.push(format!("Data: {}", list(&data)));
    }
    if !not_data.is_empty() {
        lines.push(format!("Except data: {}", list(&not_data)));
    }
    lines
}

fn matches(role: &RoleDefinition, terms: &[String]) -> bool {
    terms.iter().all(|term| {
        role.role_name.to_ascii_lowercase().contains(term)
            || role.description.to_ascii_lowercase().contains(term)
            || role.permissions.iter().any(|p| {
                p.actions
                    .iter()
                    .chain(&p.data_actions)
                    .any(|a| a.to_ascii_lowercase().contains(term))
            })
    })
}

/// The roles matching `query` (every word must appear in the name, the description or a
/// permission), with what each grants and how it fits `task`. With a task, the roles that
/// grant it come first, narrowest first; without one, by name.
pub fn role_options(world: &World, query: &str, task: Option<&rbac::Action>) -> Vec<RoleOption> {
    let terms: Vec<String> = query
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let least = task.and_then(least_privilege_role);
    let mut out: Vec<(bool, RoleOption)> = builtin_roles()
        .iter()
        .chain(world.custom_roles())
        .filter(|r| matches(r, &terms))
        .map(|r| {
            let breadth = r.breadth();
            let grants = task.is_some_and(|t| r.grants(&t.name, t.is_data));
            let fit = match (task, least) {
                (None, _) => Fit::NoTask,
                (Some(_), _) if !grants => Fit::DoesNotGrant,
                (Some(_), Some(l)) if l.id == r.id => Fit::LeastPrivilege,
                (Some(_), Some(l)) if breadth > l.breadth() => Fit::Broader {
                    than: l.role_name.clone(),
                },
                (Some(_), _) => Fit::LeastPrivilege,
            };
            (
                grants,
                RoleOption {
                    name: r.role_name.clone(),
                    description: r.description.clone(),
                    grants: grants_summary(r),
                    breadth,
                    breadth_label: breadth_label(breadth),
                    fit,
                },
            )
        })
        .collect();
    out.sort_by(|(ga, a), (gb, b)| {
        let by_name = a
            .name
            .to_ascii_lowercase()
            .cmp(&b.name.to_ascii_lowercase());
        if task.is_some() {
            gb.cmp(ga)
                .then_with(|| {
                    if *ga {
                        a.breadth.cmp(&b.breadth)
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .then(by_name)
        } else {
            by_name
        }
    });
    out.into_iter().map(|(_, o)| o).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::session::Session;

    fn world(id: &str) -> World {
        Session::open(id).sim.world.clone()
    }

    #[test]
    fn choices_list_the_worlds_names() {
        let w = world("vm-keyvault-system-assigned");
        let c = choices(&w);
        assert!(c.principals.iter().any(|p| p.value == "vm-web"));
        assert!(c.scopes.iter().any(|s| s.value == "kv-prod"));
        assert!(c.scopes.iter().any(|s| s.value.starts_with("sub:")));
        assert!(
            c.hosts
                .iter()
                .any(|h| h.name == "vm-web" && h.system_assigned)
        );
        assert!(!c.resource_groups.is_empty());
        assert!(c.assignments.iter().any(|a| a.label.contains("vm-web")));
        assert!(c.resources.iter().all(|r| !c.identities.contains(r)));
    }

    #[test]
    fn forms_build_the_models_commands() {
        let w = world("vm-keyvault-system-assigned");
        let group = choices(&w).resource_groups[0].value.clone();
        let (sub, rg) = split_group(&group).unwrap();
        let cases: Vec<(Result<Command, String>, Result<Command, String>)> = vec![
            (
                add_resource(&w, &group, "  kv-new ", ResourceKind::KeyVault),
                Ok(Command::AddResource {
                    subscription: sub.into(),
                    resource_group: rg.into(),
                    name: "kv-new".into(),
                    kind: ResourceKind::KeyVault,
                    location: w.resource_groups()[0].location.clone(),
                }),
            ),
            (
                add_resource(&w, &group, " ", ResourceKind::KeyVault),
                Err("Enter a name for the resource.".into()),
            ),
            (
                create_user_assigned(&w, "", "id-x"),
                Err("Choose a resource group.".into()),
            ),
            (
                add_role_assignment(&w, "vm-web", "Reader", "kv-prod"),
                Ok(Command::AddRoleAssignment {
                    principal: "vm-web".into(),
                    role: "Reader".into(),
                    scope: w.id_of("kv-prod").unwrap().0,
                    condition: None,
                }),
            ),
            (
                add_role_assignment(&w, "vm-web", "", "kv-prod"),
                Err("Choose a role.".into()),
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn every_form_command_is_accepted_by_the_model() {
        let w = world("vm-keyvault-system-assigned");
        let group = choices(&w).resource_groups[0].value.clone();
        let mut sim = (*Session::open("vm-keyvault-system-assigned").sim).clone();
        for command in [
            add_resource(&w, &group, "app-new", ResourceKind::AppService).unwrap(),
            create_user_assigned(&w, &group, "id-new").unwrap(),
            Command::AttachUserAssigned {
                resource: "app-new".into(),
                identity: "id-new".into(),
            },
            add_role_assignment(&w, "id-new", "Key Vault Secrets User", "kv-prod").unwrap(),
        ] {
            assert!(sim.apply(command.clone()).is_ok(), "{command:?}");
        }
    }

    #[test]
    fn the_picker_ranks_roles_for_the_task_and_flags_broader_ones() {
        let w = world("least-privilege");
        let read_blobs = TASKS[2].action();
        let options = role_options(&w, "", Some(&read_blobs));
        assert_eq!(options[0].name, "Storage Blob Data Reader");
        assert_eq!(options[0].fit, Fit::LeastPrivilege);
        let contributor = options
            .iter()
            .find(|o| o.name == "Storage Blob Data Contributor")
            .unwrap();
        assert_eq!(
            contributor.flag().as_deref(),
            Some("Broader than the task needs (Storage Blob Data Reader is enough)")
        );
        let owner = options.iter().find(|o| o.name == "Owner").unwrap();
        assert_eq!(owner.fit, Fit::DoesNotGrant);
        assert_eq!(owner.breadth_label, "Very broad");
        assert_eq!(
            owner.grants,
            vec![
                "Manage: everything (*)".to_string(),
                "No data access (cannot read secrets, blobs or messages)".to_string()
            ]
        );
    }

    #[test]
    fn the_picker_searches_names_descriptions_and_permissions() {
        let w = world("least-privilege");
        let cases: [(&str, &str); 3] = [
            ("blob data reader", "Storage Blob Data Reader"),
            ("getSecret", "Key Vault Secrets User"),
            ("KEY VAULT secrets officer", "Key Vault Secrets Officer"),
        ];
        for (query, expected) in cases {
            let names: Vec<String> = role_options(&w, query, None)
                .into_iter()
                .map(|o| o.name)
                .collect();
            assert!(names.contains(&expected.to_string()), "{query}: {names:?}");
        }
        assert!(role_options(&w, "no-such-role-xyz", None).is_empty());
        let all = role_options(&w, "", None);
        assert_eq!(all.len(), builtin_roles().len() + w.custom_roles().len());
        assert!(
            all.iter()
                .all(|o| o.fit == Fit::NoTask && o.flag().is_none())
        );
    }

    #[test]
    fn a_scope_suggests_its_usual_task() {
        let w = world("vm-keyvault-system-assigned");
        assert_eq!(task_for_scope(&w, "kv-prod"), Some(0));
        assert_eq!(task_for_scope(&w, "rg:rg-nope"), None);
        assert_eq!(
            scope_id(&w, "a/b/c/d"),
            Err("\"a/b/c/d\" is not a scope path (expected a name, resource/kind/name such as stdata/containers/uploads, rg:, sub:, mg: or an id starting with /)".to_string())
        );
    }
}
