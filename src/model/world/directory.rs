//! The Entra ID side of the world: tenants and their directories (service principals,
//! app registrations, app roles and app-role assignments), including Microsoft Graph as a
//! tenant-wide API with its real app roles.

use crate::model::clock::SimTime;
use crate::model::ids::{ClientId, Guid, ObjectId, TenantId};
use crate::model::json::{FromJson, ToJson};
use std::fmt;

/// Microsoft Graph's application id, the same in every tenant.
pub const GRAPH_APP_ID: ClientId = ClientId(Guid(0x00000003_0000_0000_c000_000000000000));
/// Microsoft Graph's display name.
pub const GRAPH_DISPLAY_NAME: &str = "Microsoft Graph";

/// Microsoft Graph application permissions (app roles) the simulator knows, with their real
/// ids: (value, id, display name).
pub const GRAPH_APP_ROLES: &[(&str, u128, &str)] = &[
    (
        "User.Read.All",
        0xdf021288_bdef_4463_88db_98f22de89214,
        "Read all users' full profiles",
    ),
    (
        "Group.Read.All",
        0x5b567255_7703_4780_807c_7be8301ae99b,
        "Read all groups",
    ),
    (
        "Directory.Read.All",
        0x7ab1d382_f21e_4acd_a863_ba3e13f7da61,
        "Read directory data",
    ),
    (
        "Application.Read.All",
        0x9a5d68dd_52b0_4cc2_bd40_abcf44ac3a30,
        "Read all applications",
    ),
    (
        "Mail.Send",
        0xb633e1c5_b582_4048_a93e_9f11b44c7e96,
        "Send mail as any user",
    ),
    (
        "Sites.Read.All",
        0x332a536c_c7ef_4017_ab91_336970924f0d,
        "Read items in all site collections",
    ),
];

/// A Microsoft Entra tenant and its directory.
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
pub struct Tenant {
    /// The tenant id (`tid`).
    pub id: TenantId,
    /// A short name used in commands, e.g. `contoso`.
    pub name: String,
    /// The default domain, e.g. `contoso.onmicrosoft.com`.
    pub default_domain: String,
    /// Live service principals (managed identities, applications, Microsoft Graph).
    pub service_principals: Vec<ServicePrincipal>,
    /// App registrations (application objects). Managed identities have none.
    pub applications: Vec<Application>,
    /// App-role assignments (application permissions granted to service principals).
    pub app_role_assignments: Vec<AppRoleAssignment>,
    /// Soft-deleted service principals, kept so tokens already issued can be explained and
    /// orphaned role assignments shown as "Identity not found".
    pub deleted_principals: Vec<DeletedPrincipal>,
}

/// `servicePrincipalType`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum ServicePrincipalType {
    /// A system- or user-assigned managed identity.
    ManagedIdentity,
    /// The service principal of an application (including Microsoft Graph).
    Application,
}

impl fmt::Display for ServicePrincipalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ServicePrincipalType::ManagedIdentity => "ManagedIdentity",
            ServicePrincipalType::Application => "Application",
        })
    }
}

/// A service principal (enterprise application) in a tenant.
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    /// `id` in Graph; the `oid` claim; ARM's `principalId`.
    pub object_id: ObjectId,
    /// `appId`; for a managed identity its client id.
    pub app_id: ClientId,
    /// `displayName`; a system-assigned identity takes its resource's name.
    pub display_name: String,
    /// `servicePrincipalType`.
    pub service_principal_type: ServicePrincipalType,
    /// `alternativeNames`: `["isExplicit=False", "<resource id>"]` for system-assigned,
    /// `["isExplicit=True", "<identity resource id>"]` for user-assigned.
    pub alternative_names: Vec<String>,
    /// App roles this principal's API exposes (Microsoft Graph, custom APIs).
    pub app_roles: Vec<AppRole>,
    /// When it was created.
    pub created_at: SimTime,
}

/// An app role an API exposes (`appRoles[]`).
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct AppRole {
    /// The role's id (`appRoleId` in assignments).
    pub id: Guid,
    /// The value that appears in the `roles` claim, e.g. `User.Read.All`.
    pub value: String,
    /// What the role is called in the portal.
    pub display_name: String,
    /// `allowedMemberTypes`, e.g. `["Application"]`.
    pub allowed_member_types: Vec<String>,
}

/// An app registration (application object).
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// The application object's id (not the service principal's).
    pub object_id: ObjectId,
    /// The application (client) id.
    pub app_id: ClientId,
    /// Display name.
    pub display_name: String,
    /// App roles the application defines.
    pub app_roles: Vec<AppRole>,
    /// Federated identity credentials trusted by this application.
    pub federated_credentials: Vec<FederatedCredential>,
}

/// An app-role assignment: `principalId` holds `appRoleId` on the API `resourceId`.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct AppRoleAssignment {
    /// The assignment id.
    pub id: Guid,
    /// The service principal granted the role.
    pub principal_id: ObjectId,
    /// The API's service principal object id (e.g. Microsoft Graph's in this tenant).
    pub resource_id: ObjectId,
    /// The app role granted.
    pub app_role_id: Guid,
    /// When it was granted.
    pub created_at: SimTime,
}

/// A federated identity credential (on a user-assigned identity or an app registration).
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct FederatedCredential {
    /// 3–120 URL-friendly characters, immutable.
    pub name: String,
    /// Must equal the external token's `iss`.
    pub issuer: String,
    /// Must equal the external token's `sub` exactly.
    pub subject: String,
    /// Exactly one audience, usually `api://AzureADTokenExchange`.
    pub audiences: Vec<String>,
}

/// A service principal that was deleted (soft-deleted for 30 days in Entra ID).
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
pub struct DeletedPrincipal {
    /// The object id it had.
    pub object_id: ObjectId,
    /// The app (client) id it had.
    pub app_id: ClientId,
    /// The display name it had.
    pub display_name: String,
    /// Its type.
    pub service_principal_type: ServicePrincipalType,
    /// When it was deleted; tokens issued before stay valid until they expire.
    pub deleted_at: SimTime,
}

impl Tenant {
    /// A live service principal by object id.
    pub fn service_principal(&self, id: ObjectId) -> Option<&ServicePrincipal> {
        self.service_principals.iter().find(|sp| sp.object_id == id)
    }

    /// Microsoft Graph's service principal in this tenant.
    pub fn graph(&self) -> Option<&ServicePrincipal> {
        self.service_principals
            .iter()
            .find(|sp| sp.app_id == GRAPH_APP_ID)
    }
}

/// Microsoft Graph's app roles as [`AppRole`] values.
pub fn graph_app_roles() -> Vec<AppRole> {
    GRAPH_APP_ROLES
        .iter()
        .map(|(value, id, display)| AppRole {
            id: Guid(*id),
            value: (*value).to_string(),
            display_name: (*display).to_string(),
            allowed_member_types: vec!["Application".to_string()],
        })
        .collect()
}
