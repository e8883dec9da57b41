//! The Azure Resource Manager side of the world: management groups, subscriptions,
//! resource groups, resources (compute that hosts code, targets that hold data, user-assigned
//! identities), their child objects, and on-premises machines outside Azure.

use super::directory::FederatedCredential;
use crate::model::clock::SimTime;
use crate::model::ids::{ClientId, ObjectId, ResourceId, SubscriptionId, TenantId};
use crate::model::json::{FromJson, ToJson};
use std::fmt;

/// A management group (`/providers/Microsoft.Management/managementGroups/{name}`).
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct ManagementGroup {
    /// The group id, used in its scope.
    pub name: String,
    /// The tenant it belongs to.
    pub tenant_id: TenantId,
    /// The parent group; `None` means directly under the tenant root group.
    pub parent: Option<String>,
}

impl ManagementGroup {
    /// The group's scope.
    pub fn scope(&self) -> ResourceId {
        ResourceId(format!(
            "{}{}",
            crate::model::roles::MANAGEMENT_GROUP_PREFIX,
            self.name
        ))
    }
}

/// A subscription; it trusts exactly one tenant.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct Subscription {
    /// The subscription id.
    pub id: SubscriptionId,
    /// Display name, e.g. `Production`.
    pub name: String,
    /// The tenant it trusts.
    pub tenant_id: TenantId,
    /// The management group it sits in (`None`: the tenant root group).
    pub management_group: Option<String>,
}

impl Subscription {
    /// `/subscriptions/{id}`.
    pub fn scope(&self) -> ResourceId {
        ResourceId(format!("/subscriptions/{}", self.id))
    }
}

/// A resource group.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct ResourceGroup {
    /// The subscription it lives in.
    pub subscription_id: SubscriptionId,
    /// Its name, e.g. `rg-web`.
    pub name: String,
    /// Its location, e.g. `westeurope`.
    pub location: String,
}

impl ResourceGroup {
    /// `/subscriptions/{sub}/resourceGroups/{name}`.
    pub fn scope(&self) -> ResourceId {
        ResourceId(format!(
            "/subscriptions/{}/resourceGroups/{}",
            self.subscription_id, self.name
        ))
    }
}

/// How code on a compute resource reaches its managed identity.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum IdentityEndpoint {
    /// IMDS at `http://169.254.169.254/metadata/identity/oauth2/token`.
    Imds,
    /// The App Service style local endpoint (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`).
    AppService,
    /// Azure Arc HIMDS at `http://localhost:40342`, with the challenge file.
    ArcHimds,
    /// The platform fetches tokens itself (pipelines, gateway policies); no endpoint for code.
    ServiceManaged,
}

/// What a kind of resource is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum KindRole {
    /// Hosts code or a workload that uses an identity.
    Compute(IdentityEndpoint),
    /// Holds data an identity is granted access to.
    Target,
    /// A user-assigned managed identity.
    Identity,
}

/// The kinds of ARM resources the simulator models.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, ToJson, FromJson)]
pub enum ResourceKind {
    /// `Microsoft.Compute/virtualMachines`.
    VirtualMachine,
    /// `Microsoft.Compute/virtualMachineScaleSets`.
    VirtualMachineScaleSet,
    /// `Microsoft.Web/sites` (kind `app`).
    AppService,
    /// `Microsoft.Web/sites` (kind `functionapp`).
    FunctionApp,
    /// `Microsoft.Web/sites` (kind `functionapp,workflowapp`: Logic Apps Standard).
    LogicApp,
    /// `Microsoft.DataFactory/factories`.
    DataFactory,
    /// `Microsoft.ContainerService/managedClusters`.
    AksCluster,
    /// `Microsoft.ApiManagement/service`.
    ApiManagement,
    /// `Microsoft.ContainerInstance/containerGroups`.
    ContainerInstance,
    /// `Microsoft.Automation/automationAccounts`.
    AutomationAccount,
    /// `Microsoft.HybridCompute/machines`: a server outside Azure with the Arc agent.
    ArcServer,
    /// `Microsoft.KeyVault/vaults`.
    KeyVault,
    /// `Microsoft.Storage/storageAccounts`.
    StorageAccount,
    /// `Microsoft.Sql/servers` (databases are its child objects).
    SqlServer,
    /// `Microsoft.ServiceBus/namespaces`.
    ServiceBusNamespace,
    /// `Microsoft.EventHub/namespaces`.
    EventHubsNamespace,
    /// `Microsoft.ManagedIdentity/userAssignedIdentities`.
    UserAssignedIdentity,
}

impl ResourceKind {
    /// Every kind, in display order.
    pub const ALL: [ResourceKind; 17] = [
        ResourceKind::VirtualMachine,
        ResourceKind::VirtualMachineScaleSet,
        ResourceKind::AppService,
        ResourceKind::FunctionApp,
        ResourceKind::LogicApp,
        ResourceKind::DataFactory,
        ResourceKind::AksCluster,
        ResourceKind::ApiManagement,
        ResourceKind::ContainerInstance,
        ResourceKind::AutomationAccount,
        ResourceKind::ArcServer,
        ResourceKind::KeyVault,
        ResourceKind::StorageAccount,
        ResourceKind::SqlServer,
        ResourceKind::ServiceBusNamespace,
        ResourceKind::EventHubsNamespace,
        ResourceKind::UserAssignedIdentity,
    ];

    /// The ARM resource type, e.g. `Microsoft.Compute/virtualMachines`.
    pub fn arm_type(self) -> &'static str {
        match self {
            ResourceKind::VirtualMachine => "Microsoft.Compute/virtualMachines",
            ResourceKind::VirtualMachineScaleSet => "Microsoft.Compute/virtualMachineScaleSets",
            ResourceKind::AppService | ResourceKind::FunctionApp | ResourceKind::LogicApp => {
                "Microsoft.Web/sites"
            }
            ResourceKind::DataFactory => "Microsoft.DataFactory/factories",
            ResourceKind::AksCluster => "Microsoft.ContainerService/managedClusters",
            ResourceKind::ApiManagement => "Microsoft.ApiManagement/service",
            ResourceKind::ContainerInstance => "Microsoft.ContainerInstance/containerGroups",
            ResourceKind::AutomationAccount => "Microsoft.Automation/automationAccounts",
            ResourceKind::ArcServer => "Microsoft.HybridCompute/machines",
            ResourceKind::KeyVault => "Microsoft.KeyVault/vaults",
            ResourceKind::StorageAccount => "Microsoft.Storage/storageAccounts",
            ResourceKind::SqlServer => "Microsoft.Sql/servers",
            ResourceKind::ServiceBusNamespace => "Microsoft.ServiceBus/namespaces",
            ResourceKind::EventHubsNamespace => "Microsoft.EventHub/namespaces",
            ResourceKind::UserAssignedIdentity => {
                "Microsoft.ManagedIdentity/userAssignedIdentities"
            }
        }
    }

    /// ARM's `kind` property where it tells kinds of one type apart.
    pub fn arm_kind(self) -> Option<&'static str> {
        match self {
            ResourceKind::AppService => Some("app"),
            ResourceKind::FunctionApp => Some("functionapp"),
            ResourceKind::LogicApp => Some("functionapp,workflowapp"),
            _ => None,
        }
    }

    /// The portal's name for the kind.
    pub fn display_name(self) -> &'static str {
        match self {
            ResourceKind::VirtualMachine => "Virtual machine",
            ResourceKind::VirtualMachineScaleSet => "Virtual machine scale set",
            ResourceKind::AppService => "App Service",
            ResourceKind::FunctionApp => "Function App",
            ResourceKind::LogicApp => "Logic App",
            ResourceKind::DataFactory => "Data factory",
            ResourceKind::AksCluster => "Kubernetes service",
            ResourceKind::ApiManagement => "API Management service",
            ResourceKind::ContainerInstance => "Container instance",
            ResourceKind::AutomationAccount => "Automation account",
            ResourceKind::ArcServer => "Arc-enabled server",
            ResourceKind::KeyVault => "Key vault",
            ResourceKind::StorageAccount => "Storage account",
            ResourceKind::SqlServer => "SQL server",
            ResourceKind::ServiceBusNamespace => "Service Bus namespace",
            ResourceKind::EventHubsNamespace => "Event Hubs namespace",
            ResourceKind::UserAssignedIdentity => "Managed identity",
        }
    }

    /// Compute (with its identity endpoint), target or identity.
    pub fn role(self) -> KindRole {
        use IdentityEndpoint::*;
        match self {
            ResourceKind::VirtualMachine
            | ResourceKind::VirtualMachineScaleSet
            | ResourceKind::AksCluster
            | ResourceKind::ContainerInstance => KindRole::Compute(Imds),
            ResourceKind::AppService
            | ResourceKind::FunctionApp
            | ResourceKind::LogicApp
            | ResourceKind::AutomationAccount => KindRole::Compute(AppService),
            ResourceKind::ArcServer => KindRole::Compute(ArcHimds),
            ResourceKind::DataFactory | ResourceKind::ApiManagement => {
                KindRole::Compute(ServiceManaged)
            }
            ResourceKind::KeyVault
            | ResourceKind::StorageAccount
            | ResourceKind::SqlServer
            | ResourceKind::ServiceBusNamespace
            | ResourceKind::EventHubsNamespace => KindRole::Target,
            ResourceKind::UserAssignedIdentity => KindRole::Identity,
        }
    }

    /// Whether the kind hosts code or a workload that uses an identity.
    pub fn is_compute(self) -> bool {
        matches!(self.role(), KindRole::Compute(_))
    }

    /// Whether the kind holds data identities are granted access to.
    pub fn is_target(self) -> bool {
        self.role() == KindRole::Target
    }

    /// The identity endpoint code on this kind calls, if it is compute.
    pub fn identity_endpoint(self) -> Option<IdentityEndpoint> {
        match self.role() {
            KindRole::Compute(endpoint) => Some(endpoint),
            _ => None,
        }
    }

    /// Whether the kind can have a system-assigned identity.
    pub fn supports_system_assigned(self) -> bool {
        !matches!(
            self,
            ResourceKind::KeyVault | ResourceKind::UserAssignedIdentity
        )
    }

    /// Whether user-assigned identities can be attached (Arc supports system-assigned only).
    pub fn supports_user_assigned(self) -> bool {
        self.supports_system_assigned() && self != ResourceKind::ArcServer
    }

    /// The token audience (`resource`) for a target's data plane, e.g. `https://vault.azure.net`.
    pub fn token_audience(self) -> Option<&'static str> {
        match self {
            ResourceKind::KeyVault => Some("https://vault.azure.net"),
            ResourceKind::StorageAccount => Some("https://storage.azure.com/"),
            ResourceKind::SqlServer => Some("https://database.windows.net/"),
            ResourceKind::ServiceBusNamespace => Some("https://servicebus.azure.net"),
            ResourceKind::EventHubsNamespace => Some("https://eventhubs.azure.net"),
            _ => None,
        }
    }

    /// The child objects this kind can hold.
    pub fn child_kinds(self) -> &'static [ChildKind] {
        match self {
            ResourceKind::KeyVault => &[ChildKind::Secret, ChildKind::Key, ChildKind::Certificate],
            ResourceKind::StorageAccount => {
                &[ChildKind::BlobContainer, ChildKind::Queue, ChildKind::Table]
            }
            ResourceKind::SqlServer => &[ChildKind::Database],
            ResourceKind::ServiceBusNamespace => {
                &[ChildKind::ServiceBusQueue, ChildKind::ServiceBusTopic]
            }
            ResourceKind::EventHubsNamespace => &[ChildKind::EventHub],
            _ => &[],
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// Child objects below a target resource; each has its own scope for role assignments.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, ToJson, FromJson)]
pub enum ChildKind {
    /// A Key Vault secret: `{vault}/secrets/{name}`.
    Secret,
    /// A Key Vault key: `{vault}/keys/{name}`.
    Key,
    /// A Key Vault certificate: `{vault}/certificates/{name}`.
    Certificate,
    /// A blob container: `{account}/blobServices/default/containers/{name}`.
    BlobContainer,
    /// A storage queue: `{account}/queueServices/default/queues/{name}`.
    Queue,
    /// A storage table: `{account}/tableServices/default/tables/{name}`.
    Table,
    /// A SQL database: `{server}/databases/{name}`.
    Database,
    /// A Service Bus queue: `{namespace}/queues/{name}`.
    ServiceBusQueue,
    /// A Service Bus topic: `{namespace}/topics/{name}`.
    ServiceBusTopic,
    /// An event hub: `{namespace}/eventhubs/{name}`.
    EventHub,
}

impl ChildKind {
    /// The path between the parent id and the child's name.
    pub fn path_segment(self) -> &'static str {
        match self {
            ChildKind::Secret => "secrets",
            ChildKind::Key => "keys",
            ChildKind::Certificate => "certificates",
            ChildKind::BlobContainer => "blobServices/default/containers",
            ChildKind::Queue => "queueServices/default/queues",
            ChildKind::Table => "tableServices/default/tables",
            ChildKind::Database => "databases",
            ChildKind::ServiceBusQueue => "queues",
            ChildKind::ServiceBusTopic => "topics",
            ChildKind::EventHub => "eventhubs",
        }
    }

    /// What a person calls it.
    pub fn display_name(self) -> &'static str {
        match self {
            ChildKind::Secret => "secret",
            ChildKind::Key => "key",
            ChildKind::Certificate => "certificate",
            ChildKind::BlobContainer => "blob container",
            ChildKind::Queue => "queue",
            ChildKind::Table => "table",
            ChildKind::Database => "database",
            ChildKind::ServiceBusQueue => "Service Bus queue",
            ChildKind::ServiceBusTopic => "Service Bus topic",
            ChildKind::EventHub => "event hub",
        }
    }
}

/// A child object of a resource.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct ChildObject {
    /// What it is.
    pub kind: ChildKind,
    /// Its name.
    pub name: String,
}

/// A system-assigned identity as the resource records it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct SystemAssigned {
    /// The service principal's object id (`identity.principalId`).
    pub principal_id: ObjectId,
    /// The service principal's app id.
    pub client_id: ClientId,
    /// The tenant the service principal was created in (`identity.tenantId`).
    pub tenant_id: TenantId,
}

/// What a user-assigned identity resource holds.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct UserAssignedProps {
    /// Its service principal's object id.
    pub principal_id: ObjectId,
    /// Its client id.
    pub client_id: ClientId,
    /// The tenant its service principal lives in.
    pub tenant_id: TenantId,
    /// Federated identity credentials (at most 20).
    pub federated_credentials: Vec<FederatedCredential>,
}

/// Key Vault's data-plane authorization system (`enableRbacAuthorization`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum KeyVaultPermissionModel {
    /// `enableRbacAuthorization: true`: access policies are ignored.
    Rbac,
    /// The legacy vault access policy model: RBAC is ignored for the data plane.
    AccessPolicies,
}

/// One Key Vault access policy entry.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct AccessPolicy {
    /// The principal it grants to.
    pub object_id: ObjectId,
    /// Permissions on keys (`get`, `wrapKey`, ...).
    pub keys: Vec<String>,
    /// Permissions on secrets (`get`, `list`, ...).
    pub secrets: Vec<String>,
    /// Permissions on certificates.
    pub certificates: Vec<String>,
}

/// Key Vault settings.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct KeyVaultSettings {
    /// Which permission model the data plane uses.
    pub permission_model: KeyVaultPermissionModel,
    /// Access policies (kept but ignored in RBAC mode).
    pub access_policies: Vec<AccessPolicy>,
}

/// An ARM resource.
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
pub struct Resource {
    /// Its ARM resource id.
    pub id: ResourceId,
    /// Its name (unique in a world, so commands can name it).
    pub name: String,
    /// What it is.
    pub kind: ResourceKind,
    /// The subscription it lives in.
    pub subscription_id: SubscriptionId,
    /// The resource group it lives in.
    pub resource_group: String,
    /// Its region.
    pub location: String,
    /// When it was created.
    pub created_at: SimTime,
    /// Its system-assigned identity, if enabled.
    pub system_assigned: Option<SystemAssigned>,
    /// Resource ids of the user-assigned identities attached to it.
    pub user_assigned: Vec<ResourceId>,
    /// Child objects (secrets, containers, databases, ...).
    pub children: Vec<ChildObject>,
    /// Key Vault settings (key vaults only).
    pub key_vault: Option<KeyVaultSettings>,
    /// Identity properties (user-assigned identities only).
    pub identity: Option<UserAssignedProps>,
}

impl Resource {
    /// The scope of one of its child objects.
    pub fn child_scope(&self, kind: ChildKind, name: &str) -> ResourceId {
        ResourceId(format!("{}/{}/{}", self.id, kind.path_segment(), name))
    }

    /// Whether it has a child object of this kind and name (names compare case-insensitively).
    pub fn has_child(&self, kind: ChildKind, name: &str) -> bool {
        self.children
            .iter()
            .any(|c| c.kind == kind && c.name.eq_ignore_ascii_case(name))
    }
}

/// Builds `/subscriptions/{sub}/resourceGroups/{rg}/providers/{type}/{name}`.
pub fn resource_id(sub: SubscriptionId, rg: &str, kind: ResourceKind, name: &str) -> ResourceId {
    ResourceId(format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/{}/{name}",
        kind.arm_type()
    ))
}

/// A server outside Azure without the Arc agent: no ARM resource, no managed identity.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct OnPremServer {
    /// Its host name.
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_know_their_arm_type_role_and_name() {
        let cases = [
            (
                ResourceKind::VirtualMachine,
                "Microsoft.Compute/virtualMachines",
                KindRole::Compute(IdentityEndpoint::Imds),
                "Virtual machine",
            ),
            (
                ResourceKind::FunctionApp,
                "Microsoft.Web/sites",
                KindRole::Compute(IdentityEndpoint::AppService),
                "Function App",
            ),
            (
                ResourceKind::LogicApp,
                "Microsoft.Web/sites",
                KindRole::Compute(IdentityEndpoint::AppService),
                "Logic App",
            ),
            (
                ResourceKind::ArcServer,
                "Microsoft.HybridCompute/machines",
                KindRole::Compute(IdentityEndpoint::ArcHimds),
                "Arc-enabled server",
            ),
            (
                ResourceKind::AksCluster,
                "Microsoft.ContainerService/managedClusters",
                KindRole::Compute(IdentityEndpoint::Imds),
                "Kubernetes service",
            ),
            (
                ResourceKind::KeyVault,
                "Microsoft.KeyVault/vaults",
                KindRole::Target,
                "Key vault",
            ),
            (
                ResourceKind::StorageAccount,
                "Microsoft.Storage/storageAccounts",
                KindRole::Target,
                "Storage account",
            ),
            (
                ResourceKind::UserAssignedIdentity,
                "Microsoft.ManagedIdentity/userAssignedIdentities",
                KindRole::Identity,
                "Managed identity",
            ),
        ];
        for (kind, arm, role, name) in cases {
            assert_eq!(kind.arm_type(), arm);
            assert_eq!(kind.role(), role);
            assert_eq!(kind.to_string(), name);
        }
        assert_eq!(ResourceKind::FunctionApp.arm_kind(), Some("functionapp"));
        assert!(ResourceKind::ArcServer.supports_system_assigned());
        assert!(!ResourceKind::ArcServer.supports_user_assigned());
        assert!(!ResourceKind::KeyVault.supports_system_assigned());
    }
}
