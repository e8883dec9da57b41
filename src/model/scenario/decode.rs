//! Reading a scenario file: JSON syntax (line and column), the version, the structure (via the
//! shape table), then every reference between the file's parts, each error naming its path.

use super::names::{Names, child_kind};
use super::shape::{self, ROOT, kind_from_name};
use super::{
    AccessCheck, Expectation, FORMAT_VERSION, Flow, IdentitySelector, Scenario, ScenarioError,
    ScenarioErrorKind, SelectBy,
};
use crate::model::clock::{DEFAULT_START, SimTime};
use crate::model::json::FromJson;
use crate::model::world::{GRAPH_DISPLAY_NAME, ResourceKind};
use serde_json::Value;

/// What a flow's target must be for an operation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OperationTarget {
    /// A resource of this kind.
    Kind(ResourceKind),
    /// Any resource (an ARM call on it).
    AnyResource,
    /// Microsoft Graph.
    Graph,
}

/// What an operation's argument names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OperationArg {
    /// No argument.
    None,
    /// A declared child of the target (`secrets`, `containers`, ...).
    Child(&'static str),
    /// `container/blob`, the container declared on the target.
    BlobPath,
    /// Any text (a new secret's name, a user's UPN).
    Free,
}

/// An operation a flow can perform on its target.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Operation {
    /// The verb as written, e.g. `getSecret`.
    pub verb: &'static str,
    /// What the target must be.
    pub target: OperationTarget,
    /// What the argument names.
    pub arg: OperationArg,
    /// The Azure operation it needs (empty for Graph and SQL, which use app roles and
    /// contained users; for `getResource`, the resource type's `/read`).
    pub action: &'static str,
    /// Whether `action` is a data action.
    pub data: bool,
    /// The app role a Graph call needs.
    pub app_role: &'static str,
}

const fn op(
    verb: &'static str,
    target: OperationTarget,
    arg: OperationArg,
    action: &'static str,
    data: bool,
) -> Operation {
    Operation {
        verb,
        target,
        arg,
        action,
        data,
        app_role: "",
    }
}

const fn graph(verb: &'static str, arg: OperationArg, app_role: &'static str) -> Operation {
    Operation {
        verb,
        target: OperationTarget::Graph,
        arg,
        action: "",
        data: false,
        app_role,
    }
}

use OperationArg as A;
use OperationTarget as T;
const KV: T = T::Kind(ResourceKind::KeyVault);
const ST: T = T::Kind(ResourceKind::StorageAccount);

/// Every operation a flow may name.
pub const OPERATIONS: &[Operation] = &[
    op(
        "getSecret",
        KV,
        A::Child("secrets"),
        "Microsoft.KeyVault/vaults/secrets/getSecret/action",
        true,
    ),
    op(
        "setSecret",
        KV,
        A::Free,
        "Microsoft.KeyVault/vaults/secrets/setSecret/action",
        true,
    ),
    op(
        "listSecrets",
        KV,
        A::None,
        "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
        true,
    ),
    op(
        "getKey",
        KV,
        A::Child("keys"),
        "Microsoft.KeyVault/vaults/keys/read",
        true,
    ),
    op(
        "getCertificate",
        KV,
        A::Child("certificates"),
        "Microsoft.KeyVault/vaults/certificates/read",
        true,
    ),
    op(
        "readBlob",
        ST,
        A::BlobPath,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
        true,
    ),
    op(
        "writeBlob",
        ST,
        A::BlobPath,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
        true,
    ),
    op(
        "deleteBlob",
        ST,
        A::BlobPath,
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
        true,
    ),
    op(
        "listBlobs",
        ST,
        A::Child("containers"),
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
        true,
    ),
    op(
        "sendMessage",
        ST,
        A::Child("queues"),
        "Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action",
        true,
    ),
    op(
        "readMessages",
        ST,
        A::Child("queues"),
        "Microsoft.Storage/storageAccounts/queueServices/queues/messages/read",
        true,
    ),
    op(
        "readEntities",
        ST,
        A::Child("tables"),
        "Microsoft.Storage/storageAccounts/tableServices/tables/entities/read",
        true,
    ),
    op(
        "listKeys",
        ST,
        A::None,
        "Microsoft.Storage/storageAccounts/listkeys/action",
        false,
    ),
    op(
        "query",
        T::Kind(ResourceKind::SqlServer),
        A::Child("databases"),
        "",
        true,
    ),
    op("getResource", T::AnyResource, A::None, "", false),
    graph("listUsers", A::None, "User.Read.All"),
    graph("getUser", A::Free, "User.Read.All"),
    graph("listGroups", A::None, "Group.Read.All"),
];

/// The operation a verb names.
pub fn operation(verb: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.verb == verb)
}

pub(super) fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
    let value: Value = serde_json::from_str(text).map_err(syntax_error)?;
    let root = value.as_object().ok_or_else(|| {
        ScenarioError::new(
            "$",
            ScenarioErrorKind::WrongType {
                expected: "an object".into(),
                found: shape::type_name(&value).into(),
            },
        )
    })?;
    match root.get("version") {
        None => {
            return Err(ScenarioError::new(
                "$",
                ScenarioErrorKind::MissingField {
                    field: "version".into(),
                },
            ));
        }
        Some(v) if v.as_u64() == Some(FORMAT_VERSION) => {}
        Some(v @ Value::Number(_)) => {
            return Err(ScenarioError::new(
                "$",
                ScenarioErrorKind::UnsupportedVersion {
                    found: v.to_string(),
                },
            ));
        }
        Some(_) => {}
    }
    shape::check(&value, &shape::Shape::Obj(ROOT), "$")?;
    if let Some(flows) = root.get("flows").and_then(Value::as_array) {
        for (i, flow) in flows.iter().enumerate() {
            if let Some(sel) = flow.get("identity") {
                identity_selector(sel)
                    .map_err(|m| ScenarioError::invalid(format!("$.flows[{i}].identity"), m))?;
            }
        }
    }
    let scenario = <Scenario as FromJson>::from_json(&value)
        .map_err(|e| ScenarioError::invalid(e.path(), e.message()))?;
    validate(&scenario)?;
    Ok(scenario)
}

fn syntax_error(e: serde_json::Error) -> ScenarioError {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    ScenarioError::new(
        "",
        ScenarioErrorKind::Syntax {
            line: e.line(),
            column: e.column(),
            message: message.replace('`', "'"),
        },
    )
}

/// Reads a flow's `identity`: `"system"`, a user-assigned identity's name, or an object with
/// exactly one of `clientId`, `objectId`, `resourceId`.
pub(super) fn identity_selector(value: &Value) -> Result<IdentitySelector, String> {
    match value {
        Value::String(s) if s == "system" => Ok(IdentitySelector::SystemAssigned),
        Value::String(s) => Ok(IdentitySelector::UserAssigned {
            name: s.clone(),
            by: SelectBy::ClientId,
        }),
        Value::Object(map) if map.len() == 1 => {
            let (key, v) = map.iter().next().ok_or("an empty object")?;
            let by = match key.as_str() {
                "clientId" => SelectBy::ClientId,
                "objectId" => SelectBy::ObjectId,
                "resourceId" => SelectBy::ResourceId,
                other => return Err(format!("unknown field \"{other}\"")),
            };
            let name = v
                .as_str()
                .ok_or("expected the identity's name as a string")?;
            Ok(IdentitySelector::UserAssigned {
                name: name.to_string(),
                by,
            })
        }
        Value::Object(_) => {
            Err("name exactly one of \"clientId\", \"objectId\" or \"resourceId\"".to_string())
        }
        _ => Err("expected \"system\", an identity's name or an object".to_string()),
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ`.
pub(super) fn parse_time(text: &str) -> Option<SimTime> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z';
    if !shape_ok {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(SimTime(days * 86_400 + h * 3_600 + mi * 60 + s))
}

fn dup<'a>(
    items: impl Iterator<Item = &'a str>,
    list: &str,
    what: &str,
    seen: &mut Vec<String>,
) -> Result<(), ScenarioError> {
    for (i, name) in items.enumerate() {
        let lower = name.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(ScenarioError::new(
                format!("$.{list}[{i}].name"),
                ScenarioErrorKind::DuplicateName {
                    what: what.to_string(),
                    name: name.to_string(),
                },
            ));
        }
        seen.push(lower);
    }
    Ok(())
}

fn validate(s: &Scenario) -> Result<(), ScenarioError> {
    let n = Names { s };
    let first_tenant = |path: &str| {
        s.tenants.first().map(|_| ()).ok_or_else(|| {
            ScenarioError::invalid(path, "no tenant to default to: declare one in $.tenants")
        })
    };

    dup(
        s.tenants.iter().map(|t| t.name.as_str()),
        "tenants",
        "tenant",
        &mut Vec::new(),
    )?;

    let mg_names = || s.management_groups.iter().map(|m| m.name.as_str());
    dup(
        mg_names(),
        "managementGroups",
        "management group",
        &mut Vec::new(),
    )?;
    for (i, m) in s.management_groups.iter().enumerate() {
        let p = format!("$.managementGroups[{i}]");
        match &m.tenant {
            Some(t) => n.tenant(t, &format!("{p}.tenant"))?,
            None => first_tenant(&p)?,
        }
        if let Some(parent) = &m.parent {
            let earlier = s.management_groups[..i]
                .iter()
                .any(|g| g.name.eq_ignore_ascii_case(parent));
            if !earlier {
                n.management_group(parent, &format!("{p}.parent"))?;
                return Err(ScenarioError::invalid(
                    format!("{p}.parent"),
                    format!(
                        "management group \"{parent}\" must be declared before \"{}\"",
                        m.name
                    ),
                ));
            }
        }
    }

    dup(
        s.subscriptions.iter().map(|x| x.name.as_str()),
        "subscriptions",
        "subscription",
        &mut Vec::new(),
    )?;
    for (i, sub) in s.subscriptions.iter().enumerate() {
        let p = format!("$.subscriptions[{i}]");
        let tenant = match &sub.tenant {
            Some(t) => {
                n.tenant(t, &format!("{p}.tenant"))?;
                t.clone()
            }
            None => {
                first_tenant(&p)?;
                s.tenants[0].name.clone()
            }
        };
        if let Some(mg) = &sub.management_group {
            n.management_group(mg, &format!("{p}.managementGroup"))?;
            if let Some(mg_tenant) = n.management_group_tenant(mg)
                && !mg_tenant.eq_ignore_ascii_case(&tenant)
            {
                return Err(ScenarioError::invalid(
                    format!("{p}.managementGroup"),
                    format!(
                        "management group \"{mg}\" belongs to tenant {mg_tenant}, not {tenant}"
                    ),
                ));
            }
        }
    }

    for (i, g) in s.resource_groups.iter().enumerate() {
        let p = format!("$.resourceGroups[{i}]");
        let sub = match &g.subscription {
            Some(sub) => {
                n.subscription(sub, &format!("{p}.subscription"))?;
                sub.as_str()
            }
            None => match s.subscriptions.first() {
                Some(sub) => sub.name.as_str(),
                None => {
                    return Err(ScenarioError::invalid(
                        p,
                        "no subscription to default to: declare one in $.subscriptions",
                    ));
                }
            },
        };
        let twice = s.resource_groups[..i].iter().any(|o| {
            o.name.eq_ignore_ascii_case(&g.name)
                && o.subscription
                    .as_deref()
                    .or(s.subscriptions.first().map(|x| x.name.as_str()))
                    .is_some_and(|x| x.eq_ignore_ascii_case(sub))
        });
        if twice {
            return Err(ScenarioError::new(
                format!("{p}.name"),
                ScenarioErrorKind::DuplicateName {
                    what: "resource group".into(),
                    name: g.name.clone(),
                },
            ));
        }
    }

    let mut taken = Vec::new();
    let uami_names = s.user_assigned_identities.iter().map(|u| u.name.as_str());
    dup(uami_names, "userAssignedIdentities", "resource", &mut taken)?;
    for (i, u) in s.user_assigned_identities.iter().enumerate() {
        let p = format!("$.userAssignedIdentities[{i}]");
        if let Some(sub) = &u.subscription {
            n.subscription(sub, &format!("{p}.subscription"))?;
        }
        n.resource_group(
            &u.resource_group,
            u.subscription.as_deref(),
            &format!("{p}.resourceGroup"),
        )?;
    }

    dup(
        s.resources.iter().map(|r| r.name.as_str()),
        "resources",
        "resource",
        &mut taken,
    )?;
    for i in 0..s.resources.len() {
        validate_resource(&n, i)?;
    }
    dup(
        s.on_prem_servers.iter().map(|r| r.name.as_str()),
        "onPremServers",
        "machine",
        &mut taken,
    )?;

    dup(
        s.app_registrations.iter().map(|a| a.name.as_str()),
        "appRegistrations",
        "app registration",
        &mut Vec::new(),
    )?;
    for (i, a) in s.app_registrations.iter().enumerate() {
        if let Some(t) = &a.tenant {
            n.tenant(t, &format!("$.appRegistrations[{i}].tenant"))?;
        } else {
            first_tenant(&format!("$.appRegistrations[{i}]"))?;
        }
    }

    dup(
        s.custom_roles.iter().map(|r| r.name.as_str()),
        "customRoles",
        "custom role",
        &mut Vec::new(),
    )?;
    for (i, r) in s.custom_roles.iter().enumerate() {
        for (j, scope) in r.assignable_scopes.iter().enumerate() {
            n.scope(scope, &format!("$.customRoles[{i}].assignableScopes[{j}]"))?;
        }
    }

    for (i, a) in s.role_assignments.iter().enumerate() {
        let p = format!("$.roleAssignments[{i}]");
        n.principal(&a.principal, &format!("{p}.principal"))?;
        n.role(&a.role, &format!("{p}.role"))?;
        n.scope(&a.scope, &format!("{p}.scope"))?;
    }

    for (i, d) in s.deny_assignments.iter().enumerate() {
        let p = format!("$.denyAssignments[{i}]");
        n.scope(&d.scope, &format!("{p}.scope"))?;
        for (j, who) in d.principals.iter().enumerate() {
            if !who.eq_ignore_ascii_case("everyone") {
                n.principal(who, &format!("{p}.principals[{j}]"))?;
            }
        }
        for (j, who) in d.exclude_principals.iter().enumerate() {
            n.principal(who, &format!("{p}.excludePrincipals[{j}]"))?;
        }
    }

    for (i, a) in s.access_policies.iter().enumerate() {
        let p = format!("$.accessPolicies[{i}]");
        let vault = n.resource(&a.vault).filter(|r| r.kind == "keyVault");
        if vault.is_none() {
            let vaults = s
                .resources
                .iter()
                .filter(|r| r.kind == "keyVault")
                .map(|r| r.name.as_str());
            return Err(Names::unknown(
                &format!("{p}.vault"),
                "key vault",
                &a.vault,
                vaults,
            ));
        }
        n.principal(&a.principal, &format!("{p}.principal"))?;
    }

    for (i, g) in s.app_role_grants.iter().enumerate() {
        let p = format!("$.appRoleGrants[{i}]");
        n.principal(&g.principal, &format!("{p}.principal"))?;
        let roles = n.api_roles(&g.api, &format!("{p}.api"))?;
        if !roles.iter().any(|r| r.eq_ignore_ascii_case(&g.role)) {
            let what = format!("app role of {}", g.api);
            return Err(Names::unknown(
                &format!("{p}.role"),
                &what,
                &g.role,
                roles.iter().map(String::as_str),
            ));
        }
    }

    if let Some(start) = &s.clock.start {
        match parse_time(start) {
            None => {
                return Err(ScenarioError::invalid(
                    "$.clock.start",
                    format!("\"{start}\" is not a UTC time like 2026-01-05T09:30:00Z"),
                ));
            }
            Some(t) if t < DEFAULT_START => {
                return Err(ScenarioError::invalid(
                    "$.clock.start",
                    format!(
                        "the simulated clock starts at {DEFAULT_START} and cannot go back to {start}"
                    ),
                ));
            }
            Some(_) => {}
        }
    }

    let mut flow_names = Vec::new();
    for (i, f) in s.flows.iter().enumerate() {
        let p = format!("$.flows[{i}]");
        if flow_names.contains(&f.name.as_str()) {
            return Err(ScenarioError::new(
                format!("{p}.name"),
                ScenarioErrorKind::DuplicateName {
                    what: "flow".into(),
                    name: f.name.clone(),
                },
            ));
        }
        flow_names.push(f.name.as_str());
        validate_flow(&n, f, &p)?;
    }

    let flow_ref = |name: &str, path: String| {
        if s.flows.iter().any(|f| f.name == name) {
            Ok(())
        } else {
            Err(Names::unknown(
                &path,
                "flow",
                name,
                s.flows.iter().map(|f| f.name.as_str()),
            ))
        }
    };
    for (i, e) in s.expectations.iter().enumerate() {
        let p = format!("$.expectations[{i}]");
        match e {
            Expectation::Flow(f) => {
                flow_ref(&f.flow, format!("{p}.flow"))?;
                outcome_rules(&f.outcome, f.fails_at.as_deref(), f.status, &p)?;
            }
            Expectation::Access(a) => validate_check(&n, &a.check, &format!("{p}.check"))?,
        }
    }

    let mut ids = Vec::new();
    for (i, x) in s.exercises.iter().enumerate() {
        let p = format!("$.exercises[{i}]");
        if ids.contains(&x.id.as_str()) {
            return Err(ScenarioError::new(
                format!("{p}.id"),
                ScenarioErrorKind::DuplicateName {
                    what: "exercise".into(),
                    name: x.id.clone(),
                },
            ));
        }
        ids.push(x.id.as_str());
        let g = &x.goal;
        if g.check.is_none() && g.flow.is_none() {
            return Err(ScenarioError::invalid(
                format!("{p}.goal"),
                "a goal needs \"check\" (with \"allowed\") or \"flow\" (with \"outcome\")",
            ));
        }
        if let Some(c) = &g.check {
            validate_check(&n, c, &format!("{p}.goal.check"))?;
            if g.allowed.is_none() {
                return Err(ScenarioError::new(
                    format!("{p}.goal"),
                    ScenarioErrorKind::MissingField {
                        field: "allowed".into(),
                    },
                ));
            }
        }
        if let Some(f) = &g.flow {
            flow_ref(f, format!("{p}.goal.flow"))?;
            if g.outcome.is_none() {
                return Err(ScenarioError::new(
                    format!("{p}.goal"),
                    ScenarioErrorKind::MissingField {
                        field: "outcome".into(),
                    },
                ));
            }
        }
        if let Some(role) = &x.no_role_broader_than {
            n.role(role, &format!("{p}.noRoleBroaderThan"))?;
            if g.check.is_none() {
                return Err(ScenarioError::invalid(
                    format!("{p}.noRoleBroaderThan"),
                    "needs a goal with \"check\" (it limits the roles of that check's principal)",
                ));
            }
        }
    }
    Ok(())
}

fn outcome_rules(
    outcome: &str,
    fails_at: Option<&str>,
    status: Option<u16>,
    p: &str,
) -> Result<(), ScenarioError> {
    if outcome == "success" && (fails_at.is_some() || status.is_some()) {
        return Err(ScenarioError::invalid(
            p,
            "\"failsAt\" and \"status\" belong to a \"failure\" outcome",
        ));
    }
    if outcome == "failure" && fails_at.is_none() {
        return Err(ScenarioError::new(
            p,
            ScenarioErrorKind::MissingField {
                field: "failsAt".into(),
            },
        ));
    }
    Ok(())
}

fn validate_resource(n: &Names<'_>, i: usize) -> Result<(), ScenarioError> {
    let r = &n.s.resources[i];
    let p = format!("$.resources[{i}]");
    let kind = kind_from_name(&r.kind)
        .ok_or_else(|| ScenarioError::invalid(format!("{p}.kind"), "unknown kind"))?;
    if let Some(sub) = &r.subscription {
        n.subscription(sub, &format!("{p}.subscription"))?;
    }
    n.resource_group(
        &r.resource_group,
        r.subscription.as_deref(),
        &format!("{p}.resourceGroup"),
    )?;
    if let Some(id) = &r.identity {
        if id.system_assigned && !kind.supports_system_assigned() {
            return Err(ScenarioError::invalid(
                format!("{p}.identity.systemAssigned"),
                format!("a {} cannot have a system-assigned identity", r.kind),
            ));
        }
        if !id.user_assigned.is_empty() && !kind.supports_user_assigned() {
            return Err(ScenarioError::invalid(
                format!("{p}.identity.userAssigned"),
                format!("a {} cannot have user-assigned identities", r.kind),
            ));
        }
        for (j, u) in id.user_assigned.iter().enumerate() {
            n.uami(u, &format!("{p}.identity.userAssigned[{j}]"))?;
        }
    }
    if r.permission_model.is_some() && kind != ResourceKind::KeyVault {
        return Err(ScenarioError::invalid(
            format!("{p}.permissionModel"),
            format!("only a keyVault has a permission model, not a {}", r.kind),
        ));
    }
    let lists: [(&str, &str, &Vec<String>); 9] = [
        ("secrets", "secrets", &r.secrets),
        ("keys", "keys", &r.keys),
        ("certificates", "certificates", &r.certificates),
        ("containers", "containers", &r.containers),
        ("queues", "queues", &r.queues),
        ("tables", "tables", &r.tables),
        ("databases", "databases", &r.databases),
        ("topics", "topics", &r.topics),
        ("eventHubs", "eventhubs", &r.event_hubs),
    ];
    for (field, segment, list) in lists {
        if !list.is_empty() && child_kind(kind, segment).is_none() {
            return Err(ScenarioError::invalid(
                format!("{p}.{field}"),
                format!("a {} holds no {field}", r.kind),
            ));
        }
        for (j, name) in list.iter().enumerate() {
            let twice = list[..j].iter().any(|o| o.eq_ignore_ascii_case(name));
            if twice {
                return Err(ScenarioError::new(
                    format!("{p}.{field}[{j}]"),
                    ScenarioErrorKind::DuplicateName {
                        what: field.trim_end_matches('s').to_string(),
                        name: name.clone(),
                    },
                ));
            }
        }
    }
    if !r.contained_users.is_empty() && kind != ResourceKind::SqlServer {
        return Err(ScenarioError::invalid(
            format!("{p}.containedUsers"),
            format!(
                "only a sqlServer has contained database users, not a {}",
                r.kind
            ),
        ));
    }
    for (j, u) in r.contained_users.iter().enumerate() {
        let q = format!("{p}.containedUsers[{j}]");
        n.child(&r.name, "databases", &u.database, &format!("{q}.database"))?;
        n.principal(&u.principal, &format!("{q}.principal"))?;
    }
    Ok(())
}

fn validate_flow(n: &Names<'_>, f: &Flow, p: &str) -> Result<(), ScenarioError> {
    let s = n.s;
    let credential = f.credential.as_deref().unwrap_or("managedIdentity");
    if credential == "managedIdentity" {
        let on_prem = s
            .on_prem_servers
            .iter()
            .any(|o| o.name.eq_ignore_ascii_case(&f.from));
        match n.resource(&f.from) {
            Some(r) if kind_from_name(&r.kind).is_some_and(ResourceKind::is_compute) => {}
            Some(r) => {
                return Err(ScenarioError::invalid(
                    format!("{p}.from"),
                    format!("{} is a {}: code runs on compute resources", r.name, r.kind),
                ));
            }
            None if on_prem => {}
            None => {
                let names = s
                    .resources
                    .iter()
                    .filter(|r| kind_from_name(&r.kind).is_some_and(ResourceKind::is_compute))
                    .map(|r| r.name.as_str())
                    .chain(s.on_prem_servers.iter().map(|o| o.name.as_str()));
                return Err(Names::unknown(
                    &format!("{p}.from"),
                    "compute resource or on-premises server",
                    &f.from,
                    names,
                ));
            }
        }
        if let Some(IdentitySelector::UserAssigned { name, .. }) = &f.identity {
            n.uami(name, &format!("{p}.identity"))?;
        }
        for field in [
            ("app", f.app.is_some()),
            ("assertion", f.assertion.is_some()),
        ] {
            if field.1 {
                return Err(ScenarioError::invalid(
                    format!("{p}.{}", field.0),
                    format!(
                        "\"{}\" belongs to clientSecret and federated flows",
                        field.0
                    ),
                ));
            }
        }
    } else {
        let Some(app) = &f.app else {
            return Err(ScenarioError::new(
                p,
                ScenarioErrorKind::MissingField {
                    field: "app".into(),
                },
            ));
        };
        let app_spec = s
            .app_registrations
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(app));
        let federated = credential == "federated";
        if app_spec.is_none() && !(federated && n.is_uami(app)) {
            let names: Vec<&str> = s
                .app_registrations
                .iter()
                .map(|a| a.name.as_str())
                .chain(
                    s.user_assigned_identities
                        .iter()
                        .filter(|_| federated)
                        .map(|u| u.name.as_str()),
                )
                .collect();
            let what = if federated {
                "app registration or user-assigned identity"
            } else {
                "app registration"
            };
            return Err(Names::unknown(&format!("{p}.app"), what, app, names));
        }
        if !federated && app_spec.is_some_and(|a| a.client_secret.is_none()) {
            return Err(ScenarioError::invalid(
                format!("{p}.app"),
                format!("app registration {app} has no clientSecret"),
            ));
        }
        if federated && f.assertion.is_none() {
            return Err(ScenarioError::new(
                p,
                ScenarioErrorKind::MissingField {
                    field: "assertion".into(),
                },
            ));
        }
    }
    let (verb, arg) = f.operation_parts();
    let Some(operation) = operation(verb) else {
        let verbs: Vec<String> = OPERATIONS.iter().map(|o| o.verb.to_string()).collect();
        return Err(ScenarioError::new(
            format!("{p}.operation"),
            ScenarioErrorKind::UnknownValue {
                what: "operation".into(),
                value: verb.to_string(),
                expected: verbs,
            },
        ));
    };
    let target_path = format!("{p}.target");
    let target = if operation.target == OperationTarget::Graph {
        if !f.target.eq_ignore_ascii_case(GRAPH_DISPLAY_NAME) {
            return Err(ScenarioError::invalid(
                target_path,
                format!(
                    "{verb} is a Microsoft Graph call: set \"target\" to \"{GRAPH_DISPLAY_NAME}\""
                ),
            ));
        }
        None
    } else {
        let names = s.resources.iter().map(|r| r.name.as_str());
        let r = n
            .resource(&f.target)
            .ok_or_else(|| Names::unknown(&target_path, "resource", &f.target, names))?;
        if let OperationTarget::Kind(k) = operation.target
            && kind_from_name(&r.kind) != Some(k)
        {
            return Err(ScenarioError::invalid(
                format!("{p}.operation"),
                format!(
                    "{verb} needs a {} target, and {} is a {}",
                    super::shape::kind_name(k).unwrap_or("other"),
                    r.name,
                    r.kind
                ),
            ));
        }
        Some(r)
    };
    let op_path = format!("{p}.operation");
    match (operation.arg, arg) {
        (OperationArg::None, None) => {}
        (OperationArg::None, Some(_)) => {
            return Err(ScenarioError::invalid(
                op_path,
                format!("{verb} takes no argument"),
            ));
        }
        (_, None) => {
            return Err(ScenarioError::invalid(
                op_path,
                format!("{verb} needs an argument"),
            ));
        }
        (OperationArg::Free, Some(_)) => {}
        (OperationArg::Child(segment), Some(name)) => {
            if let Some(r) = target {
                n.child(&r.name, segment, name, &op_path)?;
            }
        }
        (OperationArg::BlobPath, Some(path)) => {
            let Some((container, _blob)) = path
                .split_once('/')
                .filter(|(c, b)| !c.is_empty() && !b.is_empty())
            else {
                return Err(ScenarioError::invalid(
                    op_path,
                    format!("{verb} needs container/blob, e.g. uploads/report.csv"),
                ));
            };
            if let Some(r) = target {
                n.child(&r.name, "containers", container, &op_path)?;
            }
        }
    }
    for (j, w) in f.what_ifs.iter().enumerate() {
        if let Some(e) = &w.expect {
            outcome_rules(
                &e.outcome,
                e.fails_at.as_deref(),
                e.status,
                &format!("{p}.whatIfs[{j}].expect"),
            )?;
        }
    }
    Ok(())
}

fn validate_check(n: &Names<'_>, c: &AccessCheck, p: &str) -> Result<(), ScenarioError> {
    n.principal(&c.principal, &format!("{p}.principal"))?;
    match (&c.action, &c.scope, &c.app_role) {
        (Some(_), Some(scope), None) => {
            if c.api.is_some() {
                return Err(ScenarioError::invalid(
                    format!("{p}.api"),
                    "\"api\" goes with \"appRole\"",
                ));
            }
            n.scope(scope, &format!("{p}.scope"))?;
        }
        (None, None, Some(role)) => {
            if c.plane.is_some() {
                return Err(ScenarioError::invalid(
                    format!("{p}.plane"),
                    "\"plane\" goes with \"action\"",
                ));
            }
            let api = c.api.as_deref().unwrap_or(GRAPH_DISPLAY_NAME);
            let roles = n.api_roles(api, &format!("{p}.api"))?;
            if !roles.iter().any(|r| r.eq_ignore_ascii_case(role)) {
                let what = format!("app role of {api}");
                return Err(Names::unknown(
                    &format!("{p}.appRole"),
                    &what,
                    role,
                    roles.iter().map(String::as_str),
                ));
            }
        }
        _ => {
            return Err(ScenarioError::invalid(
                p,
                "a check needs \"action\" and \"scope\", or \"appRole\"",
            ));
        }
    }
    Ok(())
}
