//! Scenario files: a JSON description of a world (tenants, subscriptions, resources, identities,
//! role assignments, ...), the token flows to walk through it, the expectations that make every
//! scenario a test fixture, and exercises for workshops. See `docs/scenario-format.md`.
//!
//! [`Scenario::from_json`] reads and checks a file, naming the JSON path of every mistake;
//! [`Scenario::build_world`] turns it into a [`World`] by applying world [`Command`]s in order;
//! [`Scenario::from_world`] exports an edited world back into a scenario file.
//!
//! Architecture invariant: flows, what-ifs, speaker notes and flow expectations are kept here as
//! plain data; executing them is the walkthrough engine's job, not this module's.
//!
//! [`Command`]: crate::model::world::Command

mod build;
mod decode;
mod expect;
mod export;
mod grade;
mod names;
mod shape;
mod shipped;
#[cfg(test)]
mod tests;

pub use decode::{OPERATIONS, Operation, OperationArg, OperationTarget, operation};
pub use expect::{
    CheckAnswer, ExerciseGrade, ExpectationResult, REASON_CODES, evaluate, grade, principal_id,
    reason_code, resolve_scope_path,
};
pub use grade::{failure_place, grade_exercise};
pub use names::ScopePath;
pub use shape::json_schema;
pub use shape::{STEP_KINDS, WHAT_IF_CHANGES, kind_from_name, kind_name};
pub use shipped::{SHIPPED, ShippedScenario, shipped, shipped_index};

use crate::model::json::{FromJson, ToJson};
use crate::model::world::{CommandError, World};
use std::collections::BTreeMap;
use std::fmt;

/// The only format version this simulator reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// A whole scenario file.
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// Always [`FORMAT_VERSION`].
    pub version: u64,
    /// A short stable id, e.g. `vm-keyvault-system-assigned` (the file name without `.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What the picker shows.
    pub title: String,
    /// A paragraph saying what the scenario shows.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Free tags (`sc-300`, `key-vault`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The seed of the world's id generator (default 1): the same file always gives the same ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Entra tenants; the first one is the default wherever a tenant may be left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tenants: Vec<TenantSpec>,
    /// Management groups, parents before children.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub management_groups: Vec<ManagementGroupSpec>,
    /// Subscriptions; the first one is the default wherever a subscription may be left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<SubscriptionSpec>,
    /// Resource groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_groups: Vec<ResourceGroupSpec>,
    /// User-assigned managed identities (created before the resources they attach to).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_assigned_identities: Vec<UserAssignedSpec>,
    /// Compute resources and targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceSpec>,
    /// Servers outside Azure without Arc.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_prem_servers: Vec<OnPremSpec>,
    /// App registrations (with their service principals).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app_registrations: Vec<AppRegistrationSpec>,
    /// Custom role definitions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_roles: Vec<CustomRoleSpec>,
    /// Azure role assignments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role_assignments: Vec<RoleAssignmentSpec>,
    /// Deny assignments (as Azure creates for deployment stacks and managed apps).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny_assignments: Vec<DenyAssignmentSpec>,
    /// Key Vault access policies (for vaults on the access-policy model).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_policies: Vec<AccessPolicySpec>,
    /// App roles (application permissions) granted to service principals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app_role_grants: Vec<AppRoleGrantSpec>,
    /// The simulated clock.
    #[serde(default, skip_serializing_if = "ClockSpec::is_default")]
    pub clock: ClockSpec,
    /// Token flows to walk through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<Flow>,
    /// What must hold in this scenario's world.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<Expectation>,
    /// Tasks for an audience, graded by the model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exercises: Vec<Exercise>,
}

/// An Entra tenant. Its id comes from the world's seed.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TenantSpec {
    /// Short name, e.g. `contoso`.
    pub name: String,
}

/// A management group.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManagementGroupSpec {
    /// The group id, e.g. `contoso-root`.
    pub name: String,
    /// Its tenant (default: the parent's tenant, else the first tenant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Its parent group (default: the tenant root group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A subscription.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubscriptionSpec {
    /// Display name, e.g. `Production`.
    pub name: String,
    /// The tenant it trusts (default: the first tenant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The management group it sits in (default: the tenant root group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_group: Option<String>,
}

/// A resource group.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceGroupSpec {
    /// Its name, e.g. `rg-web`.
    pub name: String,
    /// Its subscription (default: the first subscription).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
    /// Its region (default `westeurope`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// A user-assigned managed identity.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserAssignedSpec {
    /// Its name, e.g. `uami-shared`.
    pub name: String,
    /// Its resource group.
    pub resource_group: String,
    /// The resource group's subscription, when group names repeat across subscriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
    /// Its region (default: the resource group's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Federated identity credentials it trusts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub federated_credentials: Vec<FederatedCredentialSpec>,
}

/// A federated identity credential.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FederatedCredentialSpec {
    /// 3–120 letters, digits, dashes or underscores.
    pub name: String,
    /// The external issuer, e.g. `https://token.actions.githubusercontent.com`.
    pub issuer: String,
    /// The external subject, e.g. `repo:contoso/web:environment:Production`.
    pub subject: String,
    /// Exactly one audience (default `api://AzureADTokenExchange`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
}

/// The managed identities of a resource.
#[derive(Clone, PartialEq, Eq, Debug, Default, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentitySpec {
    /// Whether the system-assigned identity is enabled.
    #[serde(default, skip_serializing_if = "is_false")]
    pub system_assigned: bool,
    /// Names of attached user-assigned identities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_assigned: Vec<String>,
}

/// A resource (compute or target); user-assigned identities have their own list.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceSpec {
    /// Its name, unique in the scenario.
    pub name: String,
    /// Its kind, e.g. `virtualMachine` (see [`shape::KIND_NAMES`]).
    pub kind: String,
    /// Its resource group.
    pub resource_group: String,
    /// The resource group's subscription, when group names repeat across subscriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
    /// Its region (default: the resource group's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Its managed identities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentitySpec>,
    /// Key vaults: `rbac` (default) or `accessPolicies`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_model: Option<String>,
    /// Key vault secrets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    /// Key vault keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// Key vault certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<String>,
    /// Storage blob containers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<String>,
    /// Storage queues, or Service Bus queues.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<String>,
    /// Storage tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<String>,
    /// SQL databases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub databases: Vec<String>,
    /// Service Bus topics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// Event hubs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_hubs: Vec<String>,
    /// SQL contained database users mapped to identities (`CREATE USER [x] FROM EXTERNAL
    /// PROVIDER`). Kept as data for the SQL target; the world does not model them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contained_users: Vec<ContainedUserSpec>,
}

/// A contained database user in an Azure SQL database.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainedUserSpec {
    /// The database.
    pub database: String,
    /// The identity it maps to.
    pub principal: String,
    /// Database roles, e.g. `db_datareader`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

/// A server outside Azure without the Arc agent.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OnPremSpec {
    /// Its host name.
    pub name: String,
}

/// An app registration and its service principal.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppRegistrationSpec {
    /// Display name.
    pub name: String,
    /// Its tenant (default: the first tenant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// App role values it exposes (when it is an API).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app_roles: Vec<String>,
    /// A client secret, with where it is kept (the leak the scenario shows). Kept as data for
    /// the token endpoint; the world's app registrations do not hold secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<ClientSecretSpec>,
    /// Federated identity credentials it trusts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub federated_credentials: Vec<FederatedCredentialSpec>,
}

/// A client secret of an app registration.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientSecretSpec {
    /// The secret value (a fake one: scenario files are public).
    pub value: String,
    /// Where the secret is kept, e.g. `appsettings.json, committed to git`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_in: Option<String>,
}

/// A custom role (one permission block).
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomRoleSpec {
    /// The role name.
    pub name: String,
    /// What it is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Control-plane operations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// Subtracted from `actions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_actions: Vec<String>,
    /// Data-plane operations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_actions: Vec<String>,
    /// Subtracted from `dataActions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_data_actions: Vec<String>,
    /// Where it may be assigned (scope paths).
    pub assignable_scopes: Vec<String>,
}

/// A role assignment.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleAssignmentSpec {
    /// The identity: a resource name (its system-assigned identity), a user-assigned
    /// identity's name or an app registration's name.
    pub principal: String,
    /// A built-in or custom role name (or GUID).
    pub role: String,
    /// A scope path (see [`ScopePath`]).
    pub scope: String,
    /// An ABAC condition, kept for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// How long before the scenario opens it was created; less than the propagation delay
    /// means it is still propagating. Default: just long enough to have propagated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_minutes_ago: Option<u64>,
}

/// A deny assignment.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DenyAssignmentSpec {
    /// `DenyAssignmentName`.
    pub name: String,
    /// A scope path.
    pub scope: String,
    /// Identities denied; `everyone` means all principals.
    pub principals: Vec<String>,
    /// Identities exempt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_principals: Vec<String>,
    /// Denied control-plane operations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// Subtracted from `actions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_actions: Vec<String>,
    /// Denied data-plane operations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_actions: Vec<String>,
    /// Subtracted from `dataActions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_data_actions: Vec<String>,
    /// Applies to the scope itself only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub do_not_apply_to_child_scopes: bool,
}

/// A Key Vault access policy entry.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessPolicySpec {
    /// The key vault.
    pub vault: String,
    /// The identity it grants to.
    pub principal: String,
    /// Key permissions (`get`, `wrapKey`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// Secret permissions (`get`, `list`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    /// Certificate permissions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<String>,
}

/// An app role granted to a service principal (done with Graph, CLI or PowerShell).
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppRoleGrantSpec {
    /// The identity granted the role.
    pub principal: String,
    /// The API: `Microsoft Graph` or an app registration's name.
    pub api: String,
    /// The app role's value, e.g. `User.Read.All`.
    pub role: String,
}

/// The simulated clock.
#[derive(Clone, PartialEq, Eq, Debug, Default, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClockSpec {
    /// When the scenario opens, ISO 8601 UTC (`2026-01-05T09:30:00Z`); not before
    /// 2026-01-05T09:00:00Z, where every world starts. Default: as soon as the role
    /// assignments have propagated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Role-assignment propagation delay in minutes (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagation_minutes: Option<u64>,
}

impl ClockSpec {
    fn is_default(&self) -> bool {
        *self == ClockSpec::default()
    }
}

/// Which identity the code asks the endpoint for.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum IdentitySelector {
    /// The system-assigned identity (`"system"`).
    SystemAssigned,
    /// A user-assigned identity, by the parameter the request names it with.
    UserAssigned {
        /// The identity's name in the scenario.
        name: String,
        /// `client_id` (a bare name), `object_id` or `msi_res_id`.
        by: SelectBy,
    },
}

/// How a request names a user-assigned identity.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SelectBy {
    /// `client_id=...` (written as a bare name or `{"clientId": name}`).
    ClientId,
    /// `object_id=...` (`{"objectId": name}`).
    ObjectId,
    /// `msi_res_id=...` / `mi_res_id=...` (`{"resourceId": name}`).
    ResourceId,
}

impl ToJson for IdentitySelector {
    fn to_json(&self) -> serde_json::Value {
        use crate::model::json::{single, text};
        match self {
            IdentitySelector::SystemAssigned => text("system"),
            IdentitySelector::UserAssigned {
                name,
                by: SelectBy::ClientId,
            } => text(name),
            IdentitySelector::UserAssigned { name, by } => {
                let key = if *by == SelectBy::ObjectId {
                    "objectId"
                } else {
                    "resourceId"
                };
                single(key, text(name))
            }
        }
    }
}

impl FromJson for IdentitySelector {
    fn from_json(value: &serde_json::Value) -> Result<Self, crate::model::json::Error> {
        decode::identity_selector(value).map_err(crate::model::json::Error::new)
    }
}

/// A token flow to walk through: code on `from` gets a token and calls `target`.
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Flow {
    /// A short id, e.g. `read-secret`; expectations and exercises refer to it.
    pub name: String,
    /// What the stepper shows.
    pub title: String,
    /// Where the code runs: a compute resource, an on-premises server, or (for client-secret
    /// and federated flows) a free label such as `GitHub Actions`.
    pub from: String,
    /// Which identity the code asks for (default: what the SDK picks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentitySelector>,
    /// `managedIdentity` (default), `clientSecret` or `federated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// The app registration (or user-assigned identity, for `federated`) the code signs in as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// The external token a federated flow presents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assertion: Option<AssertionSpec>,
    /// `auto` (default: from the host's kind), `imds`, `appService` or `arc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The target: a resource's name or `Microsoft Graph`.
    pub target: String,
    /// What the code does, e.g. `getSecret db-password`, `readBlob uploads/report.csv`.
    pub operation: String,
    /// Audience override for the token request (default: the target's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Ways to break the flow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub what_ifs: Vec<WhatIf>,
    /// Presenter notes per step kind.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub speaker_notes: BTreeMap<String, String>,
}

/// The external token of a federated flow.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssertionSpec {
    /// Its `iss`.
    pub issuer: String,
    /// Its `sub`.
    pub subject: String,
}

/// One way to break a flow, as plain data for the walkthrough engine.
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WhatIf {
    /// What changes (see [`shape::WHAT_IF_CHANGES`]).
    pub change: String,
    /// What the button says: "the Metadata header were missing".
    pub title: String,
    /// Arguments of the change (`{"role": "Contributor", "scope": "kv-prod"}`).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub args: serde_json::Map<String, serde_json::Value>,
    /// How the flow then ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<FlowOutcome>,
}

/// How a flow ends.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FlowOutcome {
    /// `success` or `failure`.
    pub outcome: String,
    /// For a failure: the step that fails (see [`shape::STEP_KINDS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fails_at: Option<String>,
    /// For a failure: the HTTP status the failing step answers with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

/// Something that must hold in the scenario.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(untagged)]
pub enum Expectation {
    /// A flow ends a given way (evaluated by the walkthrough engine).
    Flow(FlowExpectation),
    /// An access check gives a given answer (evaluated by [`Scenario::check_expectations_access`]).
    Access(AccessExpectation),
}

/// A flow's expected outcome.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FlowExpectation {
    /// The flow's name.
    pub flow: String,
    /// `success` or `failure`.
    pub outcome: String,
    /// For a failure: the step that fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fails_at: Option<String>,
    /// For a failure: the HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

/// An access check's expected answer.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessExpectation {
    /// The question.
    pub check: AccessCheck,
    /// The expected answer.
    pub allowed: bool,
    /// The expected reason code (see [`REASON_CODES`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An access question: may `principal` do `action` on `scope`, or does it hold `appRole`?
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessCheck {
    /// The identity.
    pub principal: String,
    /// An Azure operation, e.g. `Microsoft.KeyVault/vaults/secrets/getSecret/action`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// `data` or `control` (default: classified from the built-in roles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plane: Option<String>,
    /// A scope path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// An app role value, e.g. `User.Read.All` (instead of action and scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_role: Option<String>,
    /// The API of `appRole` (default `Microsoft Graph`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
}

/// A task for the audience.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Exercise {
    /// A short id.
    pub id: String,
    /// The task as the audience reads it.
    pub task: String,
    /// A hint shown on request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// What counts as solved.
    pub goal: Goal,
    /// Solved only if no role assigned to the goal's principal is broader than this one
    /// (least privilege).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_role_broader_than: Option<String>,
}

/// What an exercise's world must satisfy: an access answer, a flow outcome, or both.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Goal {
    /// An access question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<AccessCheck>,
    /// Its wanted answer (required with `check`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<bool>,
    /// A flow's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    /// Its wanted outcome (required with `flow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A mistake in a scenario file: where (a JSON path such as `$.resources[3].kind`, or a line
/// and column for malformed JSON) and what.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScenarioError {
    /// `$`, `$.resources[3].identity.userAssigned[0]`, ...; empty for syntax errors.
    pub path: String,
    /// What is wrong.
    pub kind: ScenarioErrorKind,
}

/// What is wrong with a scenario file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ScenarioErrorKind {
    /// The text is not JSON.
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The file is for another format version.
    UnsupportedVersion {
        /// The version found, as written.
        found: String,
    },
    /// A field the format does not have.
    UnknownField {
        /// The field.
        field: String,
        /// The closest known field, if any is close.
        suggestion: Option<String>,
    },
    /// A required field is missing.
    MissingField {
        /// The field.
        field: String,
    },
    /// A value of the wrong JSON type.
    WrongType {
        /// What the format wants: `a string`, `a list`, ...
        expected: String,
        /// What was found: `a number`, ...
        found: String,
    },
    /// A value outside a fixed list (a kind, a step name, an outcome, ...).
    UnknownValue {
        /// What the value names: `kind`, `failsAt`, ...
        what: String,
        /// The value.
        value: String,
        /// The allowed values.
        expected: Vec<String>,
    },
    /// A reference to something the scenario does not declare.
    UnknownName {
        /// What was looked for: `user-assigned identity`, `role`, ...
        what: String,
        /// The name.
        name: String,
        /// The closest declared name, if any is close.
        suggestion: Option<String>,
    },
    /// Two things of one sort share a name.
    DuplicateName {
        /// What sort of thing.
        what: String,
        /// The name.
        name: String,
    },
    /// A rule of the format is broken (the message says which).
    Invalid {
        /// What is wrong, in a sentence.
        message: String,
    },
    /// The world refused a command the scenario led to.
    World(CommandError),
}

impl ScenarioError {
    pub(crate) fn new(path: impl Into<String>, kind: ScenarioErrorKind) -> ScenarioError {
        ScenarioError {
            path: path.into(),
            kind,
        }
    }

    pub(crate) fn invalid(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::new(
            path,
            ScenarioErrorKind::Invalid {
                message: message.into(),
            },
        )
    }
}

fn did_you_mean(f: &mut fmt::Formatter<'_>, suggestion: &Option<String>) -> fmt::Result {
    match suggestion {
        Some(s) => write!(f, " (did you mean \"{s}\"?)"),
        None => Ok(()),
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ScenarioErrorKind::*;
        if let Syntax {
            line,
            column,
            message,
        } = &self.kind
        {
            return write!(f, "line {line}, column {column}: {message}");
        }
        write!(f, "{}: ", self.path)?;
        match &self.kind {
            Syntax { .. } => Ok(()),
            UnsupportedVersion { found } => {
                write!(
                    f,
                    "unsupported version {found} (this simulator reads version {FORMAT_VERSION})"
                )
            }
            UnknownField { field, suggestion } => {
                write!(f, "unknown field \"{field}\"")?;
                did_you_mean(f, suggestion)
            }
            MissingField { field } => write!(f, "missing field \"{field}\""),
            WrongType { expected, found } => write!(f, "expected {expected}, found {found}"),
            UnknownValue {
                what,
                value,
                expected,
            } => write!(
                f,
                "unknown {what} \"{value}\" (expected one of {})",
                expected.join(", ")
            ),
            UnknownName {
                what,
                name,
                suggestion,
            } => {
                write!(f, "no {what} named \"{name}\"")?;
                did_you_mean(f, suggestion)
            }
            DuplicateName { what, name } => {
                write!(f, "a {what} named \"{name}\" is declared twice")
            }
            Invalid { message } => f.write_str(message),
            World(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Reads and checks a scenario file: JSON syntax, the version, every field's name and type,
    /// and every reference between its parts. Never panics.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        decode::from_json(text)
    }

    /// The scenario as pretty-printed JSON (two-space indent, fields in format order).
    pub fn to_json(&self) -> String {
        crate::model::json::to_pretty(self)
    }

    /// Builds the world by applying world commands in order: tenants, management groups,
    /// subscriptions, resource groups, user-assigned identities, resources (children,
    /// system-assigned identity, attachments), on-premises servers, app registrations, custom
    /// roles, the propagation delay, role assignments (oldest first, with the clock advanced
    /// between them), deny assignments, access policies, app-role grants, and the clock.
    pub fn build_world(&self) -> Result<World, ScenarioError> {
        build::build_world(self)
    }

    /// Exports a world as a scenario file (title `Exported world`, no flows, expectations or
    /// exercises). Building the export gives back an equal world for worlds built from a
    /// scenario; for edited worlds see "Export" in `docs/scenario-format.md` for what is not
    /// carried over (deleted identities' orphaned assignments, creation times, ids).
    pub fn from_world(world: &World) -> Scenario {
        export::from_world(world)
    }

    /// What [`Scenario::from_world`] leaves out of this world, one sentence each (empty when
    /// the export says everything): assignments, access policies and grants of identities that
    /// no longer exist, assignments on scopes that are gone, custom roles' extra permission
    /// blocks.
    pub fn export_left_out(world: &World) -> Vec<String> {
        export::left_out(world)
    }

    /// Grades the exercise with this id in `world` (access goal and least-privilege limit;
    /// a flow-only goal is [`ExerciseGrade::NeedsFlow`]; [`Scenario::grade_in`] walks flows).
    pub fn grade_exercise(&self, world: &World, id: &str) -> Option<ExerciseGrade> {
        self.exercises
            .iter()
            .find(|x| x.id == id)
            .map(|x| expect::grade(world, x))
    }

    /// Grades the exercise with this id fully against `sim`: access goal, flow outcome (walked
    /// with no what-ifs) and least-privilege limit.
    pub fn grade_in(
        &self,
        sim: &crate::model::platform::Simulation,
        id: &str,
    ) -> Option<ExerciseGrade> {
        self.exercises
            .iter()
            .find(|x| x.id == id)
            .map(|x| grade::grade_exercise(sim, self, x))
    }

    /// Evaluates every access-check expectation against `world`, in file order.
    pub fn check_expectations_access(&self, world: &World) -> Vec<ExpectationResult> {
        expect::check_all(self, world)
    }

    /// The flow named `name`.
    pub fn flow(&self, name: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.name == name)
    }

    /// The flow expectations, for the walkthrough engine to evaluate.
    pub fn flow_expectations(&self) -> impl Iterator<Item = &FlowExpectation> {
        self.expectations.iter().filter_map(|e| match e {
            Expectation::Flow(f) => Some(f),
            Expectation::Access(_) => None,
        })
    }

    /// The access-check expectations.
    pub fn access_expectations(&self) -> impl Iterator<Item = &AccessExpectation> {
        self.expectations.iter().filter_map(|e| match e {
            Expectation::Access(a) => Some(a),
            Expectation::Flow(_) => None,
        })
    }
}

impl Flow {
    /// The speaker note for a step kind (`enable`, `servicePrincipal`, `credential`,
    /// `endpoint`, `issue`, `call`, `validate`, `access`, `answer`).
    pub fn speaker_note(&self, step: &str) -> Option<&str> {
        self.speaker_notes.get(step).map(String::as_str)
    }

    /// The operation's verb (`getSecret`) and argument (`db-password`), if any.
    pub fn operation_parts(&self) -> (&str, Option<&str>) {
        let op = self.operation.trim();
        match op.split_once(char::is_whitespace) {
            Some((verb, arg)) => (verb, Some(arg.trim())),
            None => (op, None),
        }
    }
}
