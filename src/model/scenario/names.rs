//! Names in a scenario file: the readable scope path syntax, the table of what a scenario
//! declares (to check references before any world exists), and "did you mean" suggestions.

use super::shape::kind_from_name;
use super::{ResourceSpec, Scenario, ScenarioError, ScenarioErrorKind};
use crate::model::roles::{MANAGEMENT_GROUP_PREFIX, builtin_roles};
use crate::model::world::{ChildKind, GRAPH_APP_ROLES, GRAPH_DISPLAY_NAME, ResourceKind};

/// A scope as a scenario file writes it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ScopePath {
    /// A full ARM id: `/subscriptions/...` or `/providers/Microsoft.Management/...`.
    ArmId(String),
    /// `mg:contoso-root`.
    ManagementGroup(String),
    /// `sub:Production`.
    Subscription(String),
    /// `rg:rg-data`.
    ResourceGroup(String),
    /// A bare name: a resource, else a resource group, else a subscription, else a management
    /// group (`kv-prod`, `rg-data`).
    Name(String),
    /// An object below a resource: `kv-prod/secrets/db-password`, `stdata/containers/uploads`.
    Child {
        /// The resource.
        resource: String,
        /// `secrets`, `keys`, `certificates`, `containers`, `queues`, `tables`, `databases`,
        /// `topics` or `eventhubs`.
        segment: String,
        /// The object's name.
        name: String,
    },
}

impl ScopePath {
    /// Parses a scope path; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<ScopePath, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty scope".to_string());
        }
        if text.starts_with('/') {
            return Ok(ScopePath::ArmId(text.to_string()));
        }
        let prefixed = |p: &str| text.strip_prefix(p).map(|rest| rest.trim().to_string());
        if let Some(n) = prefixed("mg:") {
            return non_empty(n, ScopePath::ManagementGroup);
        }
        if let Some(n) = prefixed("sub:") {
            return non_empty(n, ScopePath::Subscription);
        }
        if let Some(n) = prefixed("rg:") {
            return non_empty(n, ScopePath::ResourceGroup);
        }
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [name] => Ok(ScopePath::Name((*name).to_string())),
            [resource, segment, name]
                if !resource.is_empty() && !segment.is_empty() && !name.is_empty() =>
            {
                Ok(ScopePath::Child {
                    resource: (*resource).to_string(),
                    segment: (*segment).to_string(),
                    name: (*name).to_string(),
                })
            }
            _ => Err(format!(
                "\"{text}\" is not a scope path (expected a name, resource/kind/name such as stdata/containers/uploads, rg:, sub:, mg: or an id starting with /)"
            )),
        }
    }

    /// The path as a scenario file writes it.
    pub fn render(&self) -> String {
        match self {
            ScopePath::ArmId(id) => id.clone(),
            ScopePath::ManagementGroup(n) => format!("mg:{n}"),
            ScopePath::Subscription(n) => format!("sub:{n}"),
            ScopePath::ResourceGroup(n) => format!("rg:{n}"),
            ScopePath::Name(n) => n.clone(),
            ScopePath::Child {
                resource,
                segment,
                name,
            } => format!("{resource}/{segment}/{name}"),
        }
    }
}

fn non_empty(name: String, make: fn(String) -> ScopePath) -> Result<ScopePath, String> {
    if name.is_empty() {
        Err("a name must follow the prefix".to_string())
    } else {
        Ok(make(name))
    }
}

/// The short segment a scope path uses for a child kind.
pub fn short_segment(kind: ChildKind) -> &'static str {
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

/// The child kind a segment names below a resource of `kind`.
pub fn child_kind(kind: ResourceKind, segment: &str) -> Option<ChildKind> {
    kind.child_kinds()
        .iter()
        .copied()
        .find(|c| short_segment(*c).eq_ignore_ascii_case(segment))
}

/// The children a resource spec declares, with their kinds.
pub fn declared_children<'a>(r: &'a ResourceSpec) -> Vec<(ChildKind, &'a str)> {
    let kind = kind_from_name(&r.kind);
    let lists: [(&str, &'a [String]); 9] = [
        ("secrets", &r.secrets),
        ("keys", &r.keys),
        ("certificates", &r.certificates),
        ("containers", &r.containers),
        ("queues", &r.queues),
        ("tables", &r.tables),
        ("databases", &r.databases),
        ("topics", &r.topics),
        ("eventhubs", &r.event_hubs),
    ];
    let mut out = Vec::new();
    for (segment, list) in lists {
        if let Some(c) = kind.and_then(|k| child_kind(k, segment)) {
            out.extend(list.iter().map(|n| (c, n.as_str())));
        }
    }
    out
}

/// The declared name closest to `wanted`, if it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let w = wanted.to_ascii_lowercase();
    let limit = 1 + w.chars().count() / 4;
    candidates
        .into_iter()
        .map(|c| (distance(&w, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

/// Edit distance counting a swap of neighbours as one edit (optimal string alignment).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// What a scenario declares, for checking references.
pub struct Names<'a> {
    /// The scenario.
    pub s: &'a Scenario,
}

impl<'a> Names<'a> {
    /// An error for a missing name, with a suggestion from `candidates`.
    pub fn unknown<'b>(
        path: &str,
        what: &str,
        name: &str,
        candidates: impl IntoIterator<Item = &'b str>,
    ) -> ScenarioError {
        ScenarioError::new(
            path,
            ScenarioErrorKind::UnknownName {
                what: what.to_string(),
                name: name.to_string(),
                suggestion: closest(name, candidates),
            },
        )
    }

    /// The declared tenant named `name`.
    pub fn tenant(&self, name: &str, path: &str) -> Result<(), ScenarioError> {
        let names = self.s.tenants.iter().map(|t| t.name.as_str());
        if self.s.tenants.iter().any(|t| same(&t.name, name)) {
            Ok(())
        } else {
            Err(Self::unknown(path, "tenant", name, names))
        }
    }

    /// The tenant a management group belongs to (following parents for the default).
    pub fn management_group_tenant(&self, name: &str) -> Option<String> {
        let mut current = self
            .s
            .management_groups
            .iter()
            .find(|m| same(&m.name, name))?;
        for _ in 0..self.s.management_groups.len() {
            if let Some(t) = &current.tenant {
                return Some(t.clone());
            }
            match &current.parent {
                Some(p) => current = self.s.management_groups.iter().find(|m| same(&m.name, p))?,
                None => break,
            }
        }
        self.s.tenants.first().map(|t| t.name.clone())
    }

    /// The declared management group named `name`.
    pub fn management_group(&self, name: &str, path: &str) -> Result<(), ScenarioError> {
        if self.s.management_groups.iter().any(|m| same(&m.name, name)) {
            Ok(())
        } else {
            let names = self.s.management_groups.iter().map(|m| m.name.as_str());
            Err(Self::unknown(path, "management group", name, names))
        }
    }

    /// The declared subscription named `name`.
    pub fn subscription(&self, name: &str, path: &str) -> Result<(), ScenarioError> {
        if self.s.subscriptions.iter().any(|m| same(&m.name, name)) {
            Ok(())
        } else {
            let names = self.s.subscriptions.iter().map(|m| m.name.as_str());
            Err(Self::unknown(path, "subscription", name, names))
        }
    }

    /// The subscription a resource group reference means (`subscription` given, or the only
    /// group of that name).
    pub fn resource_group(
        &self,
        name: &str,
        subscription: Option<&str>,
        path: &str,
    ) -> Result<String, ScenarioError> {
        let default_sub = self.s.subscriptions.first().map(|s| s.name.as_str());
        let hits: Vec<String> = self
            .s
            .resource_groups
            .iter()
            .filter(|g| same(&g.name, name))
            .filter_map(|g| {
                g.subscription
                    .as_deref()
                    .or(default_sub)
                    .map(str::to_string)
            })
            .filter(|sub| subscription.is_none_or(|want| same(want, sub)))
            .collect();
        match hits.as_slice() {
            [one] => Ok(one.clone()),
            [] => {
                let names = self.s.resource_groups.iter().map(|g| g.name.as_str());
                Err(Self::unknown(path, "resource group", name, names))
            }
            _ => Err(ScenarioError::invalid(
                path,
                format!(
                    "resource group \"{name}\" exists in several subscriptions; add \"subscription\""
                ),
            )),
        }
    }

    /// The declared resource named `name` (not user-assigned identities).
    pub fn resource(&self, name: &str) -> Option<&'a ResourceSpec> {
        self.s.resources.iter().find(|r| same(&r.name, name))
    }

    /// Whether a user-assigned identity of that name is declared.
    pub fn is_uami(&self, name: &str) -> bool {
        self.s
            .user_assigned_identities
            .iter()
            .any(|u| same(&u.name, name))
    }

    /// The declared user-assigned identity named `name`.
    pub fn uami(&self, name: &str, path: &str) -> Result<(), ScenarioError> {
        if self.is_uami(name) {
            Ok(())
        } else {
            let names = self
                .s
                .user_assigned_identities
                .iter()
                .map(|u| u.name.as_str());
            Err(Self::unknown(path, "user-assigned identity", name, names))
        }
    }

    /// Whether an app registration of that name is declared.
    pub fn is_app(&self, name: &str) -> bool {
        self.s.app_registrations.iter().any(|a| same(&a.name, name))
    }

    fn principal_candidates(&self) -> Vec<&'a str> {
        let s = self.s;
        s.resources
            .iter()
            .filter(|r| r.identity.as_ref().is_some_and(|i| i.system_assigned))
            .map(|r| r.name.as_str())
            .chain(s.user_assigned_identities.iter().map(|u| u.name.as_str()))
            .chain(s.app_registrations.iter().map(|a| a.name.as_str()))
            .collect()
    }

    /// An identity a role, policy or grant can be given to: a resource with its
    /// system-assigned identity enabled, a user-assigned identity or an app registration.
    pub fn principal(&self, name: &str, path: &str) -> Result<(), ScenarioError> {
        if self.is_uami(name) || self.is_app(name) {
            return Ok(());
        }
        if let Some(r) = self.resource(name) {
            if r.identity.as_ref().is_some_and(|i| i.system_assigned) {
                return Ok(());
            }
            return Err(ScenarioError::invalid(
                path,
                format!(
                    "{} has no system-assigned identity (set \"identity\": {{\"systemAssigned\": true}} on it)",
                    r.name
                ),
            ));
        }
        Err(Self::unknown(
            path,
            "identity",
            name,
            self.principal_candidates(),
        ))
    }

    /// A built-in or custom role name, or a GUID.
    pub fn role(&self, name: &str, path: &str) -> Result<(), ScenarioError> {
        let builtin = builtin_roles().iter().any(|r| same(&r.role_name, name))
            || builtin_roles()
                .iter()
                .any(|r| same(&r.id.to_string(), name));
        if builtin || self.s.custom_roles.iter().any(|r| same(&r.name, name)) {
            return Ok(());
        }
        let names = builtin_roles()
            .iter()
            .map(|r| r.role_name.as_str())
            .chain(self.s.custom_roles.iter().map(|r| r.name.as_str()));
        Err(Self::unknown(path, "role", name, names))
    }

    /// A scope path naming something declared.
    pub fn scope(&self, text: &str, path: &str) -> Result<ScopePath, ScenarioError> {
        let scope = ScopePath::parse(text).map_err(|m| ScenarioError::invalid(path, m))?;
        match &scope {
            ScopePath::ArmId(id) => {
                if let Some(name) = id.strip_prefix(MANAGEMENT_GROUP_PREFIX) {
                    self.management_group(name, path)?;
                } else if !id.to_ascii_lowercase().starts_with("/subscriptions/") {
                    return Err(ScenarioError::invalid(
                        path,
                        format!("\"{id}\" is not a subscription, resource or management group id"),
                    ));
                }
            }
            ScopePath::ManagementGroup(n) => self.management_group(n, path)?,
            ScopePath::Subscription(n) => self.subscription(n, path)?,
            ScopePath::ResourceGroup(n) => {
                self.resource_group(n, None, path)?;
            }
            ScopePath::Name(n) => {
                let known = self.resource(n).is_some()
                    || self.is_uami(n)
                    || self.s.resource_groups.iter().any(|g| same(&g.name, n))
                    || self.s.subscriptions.iter().any(|g| same(&g.name, n))
                    || self.s.management_groups.iter().any(|g| same(&g.name, n));
                if !known {
                    let s = self.s;
                    let names = s
                        .resources
                        .iter()
                        .map(|r| r.name.as_str())
                        .chain(s.user_assigned_identities.iter().map(|u| u.name.as_str()))
                        .chain(s.resource_groups.iter().map(|g| g.name.as_str()))
                        .chain(s.subscriptions.iter().map(|g| g.name.as_str()))
                        .chain(s.management_groups.iter().map(|g| g.name.as_str()));
                    return Err(Self::unknown(path, "scope", n, names));
                }
            }
            ScopePath::Child {
                resource,
                segment,
                name,
            } => self.child(resource, segment, name, path)?,
        }
        Ok(scope)
    }

    /// `resource/segment/name`: the resource exists, holds that kind of object, and declares it.
    pub fn child(
        &self,
        resource: &str,
        segment: &str,
        name: &str,
        path: &str,
    ) -> Result<(), ScenarioError> {
        let names = self.s.resources.iter().map(|r| r.name.as_str());
        let r = self
            .resource(resource)
            .ok_or_else(|| Self::unknown(path, "resource", resource, names))?;
        let kind = kind_from_name(&r.kind);
        let Some(child) = kind.and_then(|k| child_kind(k, segment)) else {
            let segments: Vec<&str> = kind
                .map(|k| k.child_kinds().iter().map(|c| short_segment(*c)).collect())
                .unwrap_or_default();
            let expected = if segments.is_empty() {
                "nothing".to_string()
            } else {
                segments.join(", ")
            };
            return Err(ScenarioError::invalid(
                path,
                format!("a {} holds no \"{segment}\" (it holds {expected})", r.kind),
            ));
        };
        let declared = declared_children(r);
        if declared.iter().any(|(c, n)| *c == child && same(n, name)) {
            return Ok(());
        }
        let what = format!("{} in {}", child.display_name(), r.name);
        let candidates = declared
            .iter()
            .filter(|(c, _)| *c == child)
            .map(|(_, n)| *n);
        Err(Self::unknown(path, &what, name, candidates))
    }

    /// An API with app roles: Microsoft Graph or an app registration; returns its role values.
    pub fn api_roles(&self, api: &str, path: &str) -> Result<Vec<String>, ScenarioError> {
        if same(api, GRAPH_DISPLAY_NAME) {
            return Ok(GRAPH_APP_ROLES
                .iter()
                .map(|(v, _, _)| (*v).to_string())
                .collect());
        }
        match self.s.app_registrations.iter().find(|a| same(&a.name, api)) {
            Some(app) => Ok(app.app_roles.clone()),
            None => {
                let names = std::iter::once(GRAPH_DISPLAY_NAME)
                    .chain(self.s.app_registrations.iter().map(|a| a.name.as_str()));
                Err(Self::unknown(path, "API", api, names))
            }
        }
    }
}
