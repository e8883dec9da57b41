//! The format's shape as data: every object, its fields, their types and fixed value lists.
//! One table drives the structural check (unknown fields, missing fields, wrong types, each
//! named by its JSON path) and generates the JSON Schema shipped as `static/scenario.schema.json`.

use super::names::closest;
use super::{ScenarioError, ScenarioErrorKind};
use crate::model::world::ResourceKind;
use serde_json::{Map, Value, json};

/// Resource kind names as written in scenario files, in [`ResourceKind::ALL`] order (user-assigned
/// identities excepted: they have their own list).
pub const KIND_NAMES: &[(&str, ResourceKind)] = &[
    ("virtualMachine", ResourceKind::VirtualMachine),
    (
        "virtualMachineScaleSet",
        ResourceKind::VirtualMachineScaleSet,
    ),
    ("appService", ResourceKind::AppService),
    ("functionApp", ResourceKind::FunctionApp),
    ("logicApp", ResourceKind::LogicApp),
    ("dataFactory", ResourceKind::DataFactory),
    ("aksCluster", ResourceKind::AksCluster),
    ("apiManagement", ResourceKind::ApiManagement),
    ("containerInstance", ResourceKind::ContainerInstance),
    ("automationAccount", ResourceKind::AutomationAccount),
    ("arcServer", ResourceKind::ArcServer),
    ("keyVault", ResourceKind::KeyVault),
    ("storageAccount", ResourceKind::StorageAccount),
    ("sqlServer", ResourceKind::SqlServer),
    ("serviceBusNamespace", ResourceKind::ServiceBusNamespace),
    ("eventHubsNamespace", ResourceKind::EventHubsNamespace),
];

/// The scenario-file name of a kind (`virtualMachine`), or `None` for user-assigned identities.
pub fn kind_name(kind: ResourceKind) -> Option<&'static str> {
    KIND_NAMES.iter().find(|(_, k)| *k == kind).map(|(n, _)| *n)
}

/// The kind a scenario-file name stands for.
pub fn kind_from_name(name: &str) -> Option<ResourceKind> {
    KIND_NAMES.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// The steps of a flow, in order: the keys of `speakerNotes` and the values of `failsAt`.
pub const STEP_KINDS: &[&str] = &[
    "enable",
    "servicePrincipal",
    "credential",
    "endpoint",
    "issue",
    "call",
    "validate",
    "access",
    "answer",
];

/// The changes a what-if may make (the walkthrough engine interprets them; add new ones here).
pub const WHAT_IF_CHANGES: &[&str] = &[
    "noMetadataHeader",
    "wrongAudience",
    "noClientId",
    "pickIdentity",
    "removeRoleAssignment",
    "roleAtWrongScope",
    "controlPlaneRoleOnly",
    "addRoleAssignment",
    "advanceClock",
    "expiredToken",
    "cachedToken",
    "deleteResource",
    "deleteIdentity",
    "detachIdentity",
    "disableSystemAssigned",
    "transferSubscription",
    "runOnPremises",
    "callFromOutside",
    "switchPermissionModel",
    "removeAccessPolicy",
    "revokeAppRole",
    "leakSecret",
    "wrongSubject",
    "crossTenant",
];

/// Flow credentials.
pub const CREDENTIALS: &[&str] = &["managedIdentity", "clientSecret", "federated"];
/// Flow endpoints.
pub const ENDPOINTS: &[&str] = &["auto", "imds", "appService", "arc"];
/// Flow outcomes.
pub const OUTCOMES: &[&str] = &["success", "failure"];
/// Key Vault permission models.
pub const PERMISSION_MODELS: &[&str] = &["rbac", "accessPolicies"];
/// Action planes.
pub const PLANES: &[&str] = &["data", "control"];

/// The type of a value in the format.
pub enum Shape {
    /// `1`, the format version.
    Version,
    /// A string.
    Str,
    /// `true` or `false`.
    Bool,
    /// A whole number in a range.
    Int {
        /// Smallest allowed.
        min: u64,
        /// Largest allowed.
        max: u64,
    },
    /// One string of a fixed list.
    Enum(&'static [&'static str]),
    /// A list of strings, each one of a fixed list (kind names are checked later).
    List(&'static Shape),
    /// An object with known fields only.
    Obj(&'static [Field]),
    /// An object of free keys with string, number or boolean values.
    ScalarMap,
    /// A string or an object with known fields.
    StrOrObj(&'static [Field]),
    /// One of several objects, told apart by which key it has.
    Variants(&'static [(&'static str, &'static [Field])]),
}

/// A field of an object.
pub struct Field {
    /// Its name.
    pub name: &'static str,
    /// Its type.
    pub shape: &'static Shape,
    /// Whether it must be present.
    pub required: bool,
    /// What it means (the schema's `description`).
    pub doc: &'static str,
}

const fn req(name: &'static str, shape: &'static Shape, doc: &'static str) -> Field {
    Field {
        name,
        shape,
        required: true,
        doc,
    }
}

const fn opt(name: &'static str, shape: &'static Shape, doc: &'static str) -> Field {
    Field {
        name,
        shape,
        required: false,
        doc,
    }
}

const STR: &Shape = &Shape::Str;
const BOOL: &Shape = &Shape::Bool;
const STRS: &Shape = &Shape::List(STR);
const MINUTES: &Shape = &Shape::Int {
    min: 0,
    max: 1_000_000,
};
const STATUS: &Shape = &Shape::Int { min: 100, max: 599 };
const OUTCOME: &Shape = &Shape::Enum(OUTCOMES);
const STEP: &Shape = &Shape::Enum(STEP_KINDS);

const FIC: &[Field] = &[
    req("name", STR, "3-120 letters, digits, dashes or underscores"),
    req("issuer", STR, "the external token's iss"),
    req("subject", STR, "the external token's sub, matched exactly"),
    opt(
        "audiences",
        STRS,
        "exactly one; default api://AzureADTokenExchange",
    ),
];
const FICS: &Shape = &Shape::List(&Shape::Obj(FIC));

const TENANT: &[Field] = &[req("name", STR, "short name, e.g. contoso")];
const MANAGEMENT_GROUP: &[Field] = &[
    req("name", STR, "the group id"),
    opt(
        "tenant",
        STR,
        "default: the parent's tenant, else the first tenant",
    ),
    opt("parent", STR, "default: the tenant root group"),
];
const SUBSCRIPTION: &[Field] = &[
    req("name", STR, "display name, e.g. Production"),
    opt(
        "tenant",
        STR,
        "the tenant it trusts; default: the first tenant",
    ),
    opt("managementGroup", STR, "default: the tenant root group"),
];
const RESOURCE_GROUP: &[Field] = &[
    req("name", STR, "e.g. rg-web"),
    opt("subscription", STR, "default: the first subscription"),
    opt("location", STR, "default westeurope"),
];
const USER_ASSIGNED: &[Field] = &[
    req("name", STR, "e.g. uami-shared"),
    req("resourceGroup", STR, "its resource group"),
    opt("subscription", STR, "when resource group names repeat"),
    opt("location", STR, "default: the resource group's"),
    opt(
        "federatedCredentials",
        FICS,
        "external identities it trusts",
    ),
];
const IDENTITY: &[Field] = &[
    opt(
        "systemAssigned",
        BOOL,
        "enable the system-assigned identity",
    ),
    opt(
        "userAssigned",
        STRS,
        "names of attached user-assigned identities",
    ),
];
const CONTAINED_USER: &[Field] = &[
    req("database", STR, "the database"),
    req("principal", STR, "the identity it maps to"),
    opt("roles", STRS, "database roles, e.g. db_datareader"),
];
const RESOURCE: &[Field] = &[
    req("name", STR, "unique in the scenario"),
    req("kind", &Shape::Enum(KIND_NAMES_ONLY), "what it is"),
    req("resourceGroup", STR, "its resource group"),
    opt("subscription", STR, "when resource group names repeat"),
    opt("location", STR, "default: the resource group's"),
    opt("identity", &Shape::Obj(IDENTITY), "its managed identities"),
    opt(
        "permissionModel",
        &Shape::Enum(PERMISSION_MODELS),
        "key vaults: rbac (default) or accessPolicies",
    ),
    opt("secrets", STRS, "key vault secrets"),
    opt("keys", STRS, "key vault keys"),
    opt("certificates", STRS, "key vault certificates"),
    opt("containers", STRS, "storage blob containers"),
    opt("queues", STRS, "storage or Service Bus queues"),
    opt("tables", STRS, "storage tables"),
    opt("databases", STRS, "SQL databases"),
    opt("topics", STRS, "Service Bus topics"),
    opt("eventHubs", STRS, "event hubs"),
    opt(
        "containedUsers",
        &Shape::List(&Shape::Obj(CONTAINED_USER)),
        "SQL contained database users",
    ),
];
const ON_PREM: &[Field] = &[req("name", STR, "its host name")];
const CLIENT_SECRET: &[Field] = &[
    req("value", STR, "a fake secret value"),
    opt("storedIn", STR, "where the secret is kept"),
];
const APP_REGISTRATION: &[Field] = &[
    req("name", STR, "display name"),
    opt("tenant", STR, "default: the first tenant"),
    opt("appRoles", STRS, "app role values it exposes"),
    opt(
        "clientSecret",
        &Shape::Obj(CLIENT_SECRET),
        "a client secret and where it is kept",
    ),
    opt(
        "federatedCredentials",
        FICS,
        "external identities it trusts",
    ),
];
const CUSTOM_ROLE: &[Field] = &[
    req("name", STR, "the role name"),
    opt("description", STR, "what it is for"),
    opt("actions", STRS, "control-plane operations"),
    opt("notActions", STRS, "subtracted from actions"),
    opt("dataActions", STRS, "data-plane operations"),
    opt("notDataActions", STRS, "subtracted from dataActions"),
    req(
        "assignableScopes",
        STRS,
        "scope paths where it may be assigned",
    ),
];
const ROLE_ASSIGNMENT: &[Field] = &[
    req(
        "principal",
        STR,
        "a resource (its system-assigned identity), a user-assigned identity or an app registration",
    ),
    req("role", STR, "a built-in or custom role name"),
    req(
        "scope",
        STR,
        "a scope path: kv-prod, stdata/containers/uploads, rg-data, sub:Production, mg:contoso-root or an ARM id",
    ),
    opt("condition", STR, "an ABAC condition, kept for display"),
    opt(
        "createdMinutesAgo",
        MINUTES,
        "created this long before the scenario opens",
    ),
];
const DENY_ASSIGNMENT: &[Field] = &[
    req("name", STR, "DenyAssignmentName"),
    req("scope", STR, "a scope path"),
    req(
        "principals",
        STRS,
        "identities denied; everyone for all principals",
    ),
    opt("excludePrincipals", STRS, "identities exempt"),
    opt("actions", STRS, "denied control-plane operations"),
    opt("notActions", STRS, "subtracted from actions"),
    opt("dataActions", STRS, "denied data-plane operations"),
    opt("notDataActions", STRS, "subtracted from dataActions"),
    opt(
        "doNotApplyToChildScopes",
        BOOL,
        "applies to the scope itself only",
    ),
];
const ACCESS_POLICY: &[Field] = &[
    req("vault", STR, "the key vault"),
    req("principal", STR, "the identity it grants to"),
    opt("keys", STRS, "key permissions"),
    opt("secrets", STRS, "secret permissions"),
    opt("certificates", STRS, "certificate permissions"),
];
const APP_ROLE_GRANT: &[Field] = &[
    req("principal", STR, "the identity granted the role"),
    req("api", STR, "Microsoft Graph or an app registration"),
    req("role", STR, "the app role value, e.g. User.Read.All"),
];
const CLOCK: &[Field] = &[
    opt(
        "start",
        STR,
        "when the scenario opens, ISO 8601 UTC, not before 2026-01-05T09:00:00Z",
    ),
    opt(
        "propagationMinutes",
        MINUTES,
        "role-assignment propagation delay; default 10",
    ),
];
const SELECT_BY: &[Field] = &[
    opt(
        "clientId",
        STR,
        "a user-assigned identity, asked for by client_id",
    ),
    opt(
        "objectId",
        STR,
        "a user-assigned identity, asked for by object_id",
    ),
    opt(
        "resourceId",
        STR,
        "a user-assigned identity, asked for by its resource id",
    ),
];
const ASSERTION: &[Field] = &[
    req("issuer", STR, "the external token's iss"),
    req("subject", STR, "the external token's sub"),
];
const FLOW_OUTCOME: &[Field] = &[
    req("outcome", OUTCOME, "success or failure"),
    opt("failsAt", STEP, "the step that fails"),
    opt("status", STATUS, "the failing step's HTTP status"),
];
const WHAT_IF: &[Field] = &[
    req("change", &Shape::Enum(WHAT_IF_CHANGES), "what changes"),
    req("title", STR, "what the button says"),
    opt("args", &Shape::ScalarMap, "arguments of the change"),
    opt(
        "expect",
        &Shape::Obj(FLOW_OUTCOME),
        "how the flow then ends",
    ),
];
const SPEAKER_NOTES: &[Field] = &[
    opt("enable", STR, "the identity is enabled"),
    opt(
        "servicePrincipal",
        STR,
        "Entra ID creates the service principal",
    ),
    opt("credential", STR, "the platform provisions the credential"),
    opt("endpoint", STR, "the code calls the identity endpoint"),
    opt("issue", STR, "Entra ID issues the token"),
    opt("call", STR, "the code calls the target"),
    opt("validate", STR, "the target validates the token"),
    opt("access", STR, "the target checks access"),
    opt("answer", STR, "the target answers"),
];
const FLOW: &[Field] = &[
    req("name", STR, "a short id"),
    req("title", STR, "what the stepper shows"),
    req("from", STR, "where the code runs"),
    opt(
        "identity",
        &Shape::StrOrObj(SELECT_BY),
        "system, a user-assigned identity's name, or {clientId|objectId|resourceId: name}",
    ),
    opt(
        "credential",
        &Shape::Enum(CREDENTIALS),
        "managedIdentity (default), clientSecret or federated",
    ),
    opt(
        "app",
        STR,
        "the app registration or user-assigned identity signed in as (clientSecret, federated)",
    ),
    opt(
        "assertion",
        &Shape::Obj(ASSERTION),
        "the external token a federated flow presents",
    ),
    opt(
        "endpoint",
        &Shape::Enum(ENDPOINTS),
        "auto (default), imds, appService or arc",
    ),
    req("target", STR, "a resource's name or Microsoft Graph"),
    req(
        "operation",
        STR,
        "e.g. getSecret db-password, readBlob uploads/report.csv, listUsers",
    ),
    opt("resource", STR, "audience override for the token request"),
    opt(
        "whatIfs",
        &Shape::List(&Shape::Obj(WHAT_IF)),
        "ways to break the flow",
    ),
    opt(
        "speakerNotes",
        &Shape::Obj(SPEAKER_NOTES),
        "presenter notes per step",
    ),
];
const CHECK: &[Field] = &[
    req("principal", STR, "the identity"),
    opt("action", STR, "an Azure operation"),
    opt(
        "plane",
        &Shape::Enum(PLANES),
        "data or control; default: classified from the built-in roles",
    ),
    opt("scope", STR, "a scope path"),
    opt(
        "appRole",
        STR,
        "an app role value, instead of action and scope",
    ),
    opt("api", STR, "the app role's API; default Microsoft Graph"),
];
const FLOW_EXPECTATION: &[Field] = &[
    req("flow", STR, "the flow's name"),
    req("outcome", OUTCOME, "success or failure"),
    opt("failsAt", STEP, "the step that fails"),
    opt("status", STATUS, "the failing step's HTTP status"),
];
const ACCESS_EXPECTATION: &[Field] = &[
    req("check", &Shape::Obj(CHECK), "the access question"),
    req("allowed", BOOL, "the expected answer"),
    opt(
        "reason",
        &Shape::Enum(super::expect::REASON_CODES),
        "the expected reason code",
    ),
];
const GOAL: &[Field] = &[
    opt("check", &Shape::Obj(CHECK), "an access question"),
    opt("allowed", BOOL, "its wanted answer"),
    opt("flow", STR, "a flow's name"),
    opt("outcome", OUTCOME, "its wanted outcome"),
];
const EXERCISE: &[Field] = &[
    req("id", STR, "a short id"),
    req("task", STR, "the task as the audience reads it"),
    opt("hint", STR, "shown on request"),
    req("goal", &Shape::Obj(GOAL), "what counts as solved"),
    opt(
        "noRoleBroaderThan",
        STR,
        "least privilege: no role of the goal's principal may be broader",
    ),
];

const KIND_NAMES_ONLY: &[&str] = &[
    "virtualMachine",
    "virtualMachineScaleSet",
    "appService",
    "functionApp",
    "logicApp",
    "dataFactory",
    "aksCluster",
    "apiManagement",
    "containerInstance",
    "automationAccount",
    "arcServer",
    "keyVault",
    "storageAccount",
    "sqlServer",
    "serviceBusNamespace",
    "eventHubsNamespace",
];

/// The root object.
pub const ROOT: &[Field] = &[
    req("version", &Shape::Version, "the format version: 1"),
    opt("id", STR, "a short stable id, the file name without .json"),
    req("title", STR, "what the scenario picker shows"),
    opt("description", STR, "what the scenario shows"),
    opt("tags", STRS, "free tags"),
    opt(
        "seed",
        &Shape::Int {
            min: 0,
            max: u64::MAX,
        },
        "the id generator's seed; default 1",
    ),
    opt(
        "tenants",
        &Shape::List(&Shape::Obj(TENANT)),
        "Entra tenants; the first is the default",
    ),
    opt(
        "managementGroups",
        &Shape::List(&Shape::Obj(MANAGEMENT_GROUP)),
        "management groups, parents first",
    ),
    opt(
        "subscriptions",
        &Shape::List(&Shape::Obj(SUBSCRIPTION)),
        "subscriptions; the first is the default",
    ),
    opt(
        "resourceGroups",
        &Shape::List(&Shape::Obj(RESOURCE_GROUP)),
        "resource groups",
    ),
    opt(
        "userAssignedIdentities",
        &Shape::List(&Shape::Obj(USER_ASSIGNED)),
        "user-assigned managed identities",
    ),
    opt(
        "resources",
        &Shape::List(&Shape::Obj(RESOURCE)),
        "compute resources and targets",
    ),
    opt(
        "onPremServers",
        &Shape::List(&Shape::Obj(ON_PREM)),
        "servers outside Azure without Arc",
    ),
    opt(
        "appRegistrations",
        &Shape::List(&Shape::Obj(APP_REGISTRATION)),
        "app registrations",
    ),
    opt(
        "customRoles",
        &Shape::List(&Shape::Obj(CUSTOM_ROLE)),
        "custom role definitions",
    ),
    opt(
        "roleAssignments",
        &Shape::List(&Shape::Obj(ROLE_ASSIGNMENT)),
        "Azure role assignments",
    ),
    opt(
        "denyAssignments",
        &Shape::List(&Shape::Obj(DENY_ASSIGNMENT)),
        "deny assignments",
    ),
    opt(
        "accessPolicies",
        &Shape::List(&Shape::Obj(ACCESS_POLICY)),
        "Key Vault access policies",
    ),
    opt(
        "appRoleGrants",
        &Shape::List(&Shape::Obj(APP_ROLE_GRANT)),
        "app roles granted to service principals",
    ),
    opt("clock", &Shape::Obj(CLOCK), "the simulated clock"),
    opt(
        "flows",
        &Shape::List(&Shape::Obj(FLOW)),
        "token flows to walk through",
    ),
    opt(
        "expectations",
        &Shape::List(&Shape::Variants(&[
            ("flow", FLOW_EXPECTATION),
            ("check", ACCESS_EXPECTATION),
        ])),
        "what must hold: flow outcomes and access answers",
    ),
    opt(
        "exercises",
        &Shape::List(&Shape::Obj(EXERCISE)),
        "tasks the model grades",
    ),
];

/// `a string`, `a number`, ... for error messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn wrong(path: &str, expected: &str, value: &Value) -> ScenarioError {
    ScenarioError::new(
        path,
        ScenarioErrorKind::WrongType {
            expected: expected.to_string(),
            found: type_name(value).to_string(),
        },
    )
}

/// Appends `.field` (or `["field"]` when it is not a plain name) to a path.
pub fn field_path(path: &str, field: &str) -> String {
    if !field.is_empty() && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{field}")
    } else {
        format!("{path}[{}]", Value::String(field.to_string()))
    }
}

/// Checks `value` against `shape`, naming the first mistake's path.
pub fn check(value: &Value, shape: &Shape, path: &str) -> Result<(), ScenarioError> {
    match shape {
        Shape::Version | Shape::Int { .. } => {
            let (min, max) = match shape {
                Shape::Int { min, max } => (*min, *max),
                _ => (1, 1),
            };
            let n = value
                .as_u64()
                .ok_or_else(|| wrong(path, "a whole number", value))?;
            if n < min || n > max {
                return Err(ScenarioError::invalid(
                    path,
                    format!("{n} is out of range ({min} to {max})"),
                ));
            }
            Ok(())
        }
        Shape::Str => value
            .as_str()
            .map(|_| ())
            .ok_or_else(|| wrong(path, "a string", value)),
        Shape::Bool => value
            .as_bool()
            .map(|_| ())
            .ok_or_else(|| wrong(path, "true or false", value)),
        Shape::Enum(allowed) => {
            let text = value
                .as_str()
                .ok_or_else(|| wrong(path, "a string", value))?;
            if allowed.contains(&text) {
                return Ok(());
            }
            let what = path.rsplit('.').next().unwrap_or("value").to_string();
            Err(ScenarioError::new(
                path,
                ScenarioErrorKind::UnknownValue {
                    what,
                    value: text.to_string(),
                    expected: allowed.iter().map(|s| (*s).to_string()).collect(),
                },
            ))
        }
        Shape::List(item) => {
            let items = value
                .as_array()
                .ok_or_else(|| wrong(path, "a list", value))?;
            for (i, v) in items.iter().enumerate() {
                check(v, item, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        Shape::Obj(fields) => {
            let map = value
                .as_object()
                .ok_or_else(|| wrong(path, "an object", value))?;
            check_object(map, fields, path)
        }
        Shape::ScalarMap => {
            let map = value
                .as_object()
                .ok_or_else(|| wrong(path, "an object", value))?;
            for (k, v) in map {
                if !matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
                    return Err(wrong(
                        &field_path(path, k),
                        "a string, number or boolean",
                        v,
                    ));
                }
            }
            Ok(())
        }
        Shape::StrOrObj(fields) => match value {
            Value::String(_) => Ok(()),
            Value::Object(map) => check_object(map, fields, path),
            other => Err(wrong(path, "a string or an object", other)),
        },
        Shape::Variants(variants) => {
            let map = value
                .as_object()
                .ok_or_else(|| wrong(path, "an object", value))?;
            match variants.iter().find(|(key, _)| map.contains_key(*key)) {
                Some((_, fields)) => check_object(map, fields, path),
                None => {
                    let keys: Vec<String> =
                        variants.iter().map(|(k, _)| format!("\"{k}\"")).collect();
                    Err(ScenarioError::invalid(
                        path,
                        format!("expected an object with {}", keys.join(" or ")),
                    ))
                }
            }
        }
    }
}

fn check_object(
    map: &Map<String, Value>,
    fields: &[Field],
    path: &str,
) -> Result<(), ScenarioError> {
    for key in map.keys() {
        if !fields.iter().any(|f| f.name == key) {
            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            return Err(ScenarioError::new(
                path,
                ScenarioErrorKind::UnknownField {
                    field: key.clone(),
                    suggestion: closest(key, names.iter().copied()),
                },
            ));
        }
    }
    for f in fields.iter().filter(|f| f.required) {
        if !map.contains_key(f.name) {
            return Err(ScenarioError::new(
                path,
                ScenarioErrorKind::MissingField {
                    field: f.name.to_string(),
                },
            ));
        }
    }
    for f in fields {
        if let Some(v) = map.get(f.name) {
            check(v, f.shape, &field_path(path, f.name))?;
        }
    }
    Ok(())
}

fn schema_of(shape: &Shape) -> Value {
    match shape {
        Shape::Version => json!({ "const": 1 }),
        Shape::Str => json!({ "type": "string" }),
        Shape::Bool => json!({ "type": "boolean" }),
        Shape::Int { min, max } if *max == u64::MAX => json!({ "type": "integer", "minimum": min }),
        Shape::Int { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Shape::Enum(values) => json!({ "enum": values }),
        Shape::List(item) => json!({ "type": "array", "items": schema_of(item) }),
        Shape::Obj(fields) => object_schema(fields),
        Shape::ScalarMap => json!({
            "type": "object",
            "additionalProperties": { "type": ["string", "number", "boolean"] }
        }),
        Shape::StrOrObj(fields) => {
            json!({ "oneOf": [{ "type": "string" }, object_schema(fields)] })
        }
        Shape::Variants(variants) => {
            let options: Vec<Value> = variants.iter().map(|(_, f)| object_schema(f)).collect();
            json!({ "oneOf": options })
        }
    }
}

fn object_schema(fields: &[Field]) -> Value {
    let mut properties = Map::new();
    for f in fields {
        let mut s = schema_of(f.shape);
        if let Value::Object(m) = &mut s {
            m.insert("description".into(), Value::String(f.doc.to_string()));
        }
        properties.insert(f.name.to_string(), s);
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let mut schema = json!({ "type": "object", "properties": properties });
    if let Value::Object(m) = &mut schema {
        if !required.is_empty() {
            m.insert("required".into(), json!(required));
        }
        m.insert("additionalProperties".into(), Value::Bool(false));
    }
    schema
}

/// The JSON Schema (draft 2020-12) of the format, as shipped in `static/scenario.schema.json`.
pub fn json_schema() -> Value {
    let mut schema = object_schema(ROOT);
    if let Value::Object(m) = &mut schema {
        let mut head = Map::new();
        head.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        head.insert(
            "$id".into(),
            json!("https://mi-sim.example/scenario.schema.json"),
        );
        head.insert("title".into(), json!("mi-sim scenario file, version 1"));
        head.insert(
            "description".into(),
            json!("A simulated Azure world, token flows through it, expectations and exercises. See docs/scenario-format.md."),
        );
        for (k, v) in std::mem::take(m) {
            head.insert(k, v);
        }
        *m = head;
    }
    schema
}
