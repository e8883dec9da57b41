//! The managed-identity token endpoints code calls: IMDS on Azure VMs and friends
//! ([`imds`]), the App Service / Functions local endpoint ([`app_service`]) and Azure Arc's
//! HIMDS with its challenge file ([`arc`]); plus what they share (identity selection, the
//! token cache, response bodies) and [`default_token_request`], the request a well-behaved
//! SDK builds on a given host.

pub mod app_service;
pub mod arc;
pub mod imds;
mod plan;
#[cfg(test)]
mod tests;

pub use plan::{
    IdentitySelector, PlanError, TokenRequestPlan, arc_challenge_path, default_token_request,
    with_arc_secret,
};

use crate::model::entra::{
    AccessToken, EntraError, ManagedIdentityKind, ManagedIdentityTokenRequest,
};
use crate::model::http::HttpResponse;
use crate::model::ids::{ClientId, Guid, ObjectId, ResourceId, TenantId};
use crate::model::platform::{CACHE_REFRESH_THRESHOLD_SECONDS, Platform, TokenSource};
use crate::model::rbac::app_roles_for;
use crate::model::world::{GRAPH_APP_ID, Resource, World};
use serde_json::{Map, Value, json};

/// IMDS's link-local address.
pub const IMDS_HOST: &str = "169.254.169.254";
/// The token path on IMDS and on Arc's HIMDS.
pub const IMDS_TOKEN_PATH: &str = "/metadata/identity/oauth2/token";
/// The IMDS api-version every SDK sends for tokens.
pub const IMDS_API_VERSION: &str = "2018-02-01";
/// The port of App Service's local token service in this simulator.
pub const APP_SERVICE_PORT: u16 = 4141;
/// App Service's `IDENTITY_ENDPOINT`.
pub const APP_SERVICE_ENDPOINT: &str = "http://localhost:4141/MSI/token";
/// The App Service token path.
pub const APP_SERVICE_PATH: &str = "/MSI/token";
/// The App Service api-version.
pub const APP_SERVICE_API_VERSION: &str = "2019-08-01";
/// The port of Arc's HIMDS.
pub const ARC_PORT: u16 = 40342;
/// Arc's `IDENTITY_ENDPOINT`.
pub const ARC_IDENTITY_ENDPOINT: &str = "http://localhost:40342/metadata/identity/oauth2/token";
/// Arc's `IMDS_ENDPOINT`.
pub const ARC_IMDS_ENDPOINT: &str = "http://localhost:40342";
/// The api-version Python and MSAL send to Arc.
pub const ARC_API_VERSION: &str = "2020-06-01";
/// `ext_expires_in` in every captured IMDS response.
pub const EXT_EXPIRES_IN: &str = "86399";

/// IMDS api-versions (reference §1.1); the identity category needs 2018-02-01 or later.
pub const IMDS_API_VERSIONS: &[&str] = &[
    "2023-07-01",
    "2021-12-13",
    "2021-11-15",
    "2021-11-01",
    "2021-10-01",
    "2021-08-01",
    "2021-05-01",
    "2021-03-01",
    "2021-02-01",
    "2021-01-01",
    "2020-12-01",
    "2020-10-01",
    "2020-09-01",
    "2020-07-15",
    "2020-06-01",
    "2019-11-01",
    "2019-08-15",
    "2019-08-01",
    "2019-06-04",
    "2019-06-01",
    "2019-04-30",
    "2019-03-11",
    "2019-02-01",
    "2018-10-01",
    "2018-04-02",
    "2018-02-01",
];

/// One managed identity a host can use.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct HostIdentity {
    pub object_id: ObjectId,
    pub client_id: ClientId,
    pub tenant_id: TenantId,
    pub kind: ManagedIdentityKind,
    /// `system-assigned` or the identity's name (as [`World::broken_identities`] names it).
    pub label: String,
}

/// How a request names an identity.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Selector {
    Client(String),
    Object(String),
    Resource(String),
}

/// The result of picking an identity on a host.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Selection {
    Found(HostIdentity),
    /// None assigned, or the named one is not assigned.
    NotFound,
    /// No selector, no system-assigned and several user-assigned.
    Multiple,
}

/// The host's system-assigned identity and its attached user-assigned identities.
pub(crate) fn identities(
    world: &World,
    host: &Resource,
) -> (Option<HostIdentity>, Vec<HostIdentity>) {
    let system = host.system_assigned.map(|sa| HostIdentity {
        object_id: sa.principal_id,
        client_id: sa.client_id,
        tenant_id: sa.tenant_id,
        kind: ManagedIdentityKind::SystemAssigned,
        label: "system-assigned".to_string(),
    });
    let users = host
        .user_assigned
        .iter()
        .filter_map(|id| {
            let uami = world.resource(id)?;
            let props = uami.identity.as_ref()?;
            Some(HostIdentity {
                object_id: props.principal_id,
                client_id: props.client_id,
                tenant_id: props.tenant_id,
                kind: ManagedIdentityKind::UserAssigned {
                    identity_resource_id: uami.id.clone(),
                },
                label: uami.name.clone(),
            })
        })
        .collect();
    (system, users)
}

fn guid_eq(text: &str, g: Guid) -> bool {
    Guid::parse(text.trim()).is_ok_and(|t| t == g)
}

/// Picks an identity: by selector, else system-assigned, else (if `single_user_default`)
/// the only user-assigned one.
pub(crate) fn select(
    world: &World,
    host: &Resource,
    selector: Option<&Selector>,
    single_user_default: bool,
) -> Selection {
    let (system, users) = identities(world, host);
    let all = system.iter().chain(users.iter());
    let found = match selector {
        Some(Selector::Client(c)) => all.clone().find(|i| guid_eq(c, i.client_id.0)),
        Some(Selector::Object(o)) => all.clone().find(|i| guid_eq(o, i.object_id.0)),
        Some(Selector::Resource(r)) => {
            let wanted = ResourceId(r.trim().to_string());
            users.iter().find(|i| match &i.kind {
                ManagedIdentityKind::UserAssigned {
                    identity_resource_id,
                } => identity_resource_id.same_as(&wanted),
                ManagedIdentityKind::SystemAssigned => false,
            })
        }
        None => {
            if let Some(sa) = &system {
                return Selection::Found(sa.clone());
            }
            if !single_user_default {
                return Selection::NotFound;
            }
            return match users.len() {
                0 => Selection::NotFound,
                1 => Selection::Found(users[0].clone()),
                _ => Selection::Multiple,
            };
        }
    };
    match found {
        Some(i) => Selection::Found(i.clone()),
        None => Selection::NotFound,
    }
}

/// Whether the identity stopped working (subscription moved to another tenant, or its
/// service principal is gone).
pub(crate) fn is_broken(world: &World, host: &Resource, identity: &HostIdentity) -> bool {
    world
        .broken_identities(host)
        .iter()
        .any(|b| b.eq_ignore_ascii_case(&identity.label))
        || world.service_principal(identity.object_id).is_none()
}

/// The app id of the API a `resource` string names in `tenant`: Microsoft Graph by URL or
/// app id, or an app registration's service principal by app id or `api://{app id}`.
pub(crate) fn audience_app(world: &World, principal: ObjectId, resource: &str) -> Option<ClientId> {
    let r = resource.trim().trim_end_matches('/').to_ascii_lowercase();
    if r == "https://graph.microsoft.com" || r == GRAPH_APP_ID.to_string() {
        return Some(GRAPH_APP_ID);
    }
    let (tenant, _) = world.service_principal(principal)?;
    let guid = Guid::parse(r.strip_prefix("api://").unwrap_or(&r)).ok()?;
    tenant
        .service_principals
        .iter()
        .find(|sp| sp.app_id.0 == guid)
        .map(|sp| sp.app_id)
}

/// The `roles` a token for `resource` carries: the app roles the identity holds on that
/// API now (a cached token keeps the roles of when it was issued).
pub(crate) fn roles_for_audience(
    world: &World,
    principal: ObjectId,
    resource: &str,
) -> Vec<String> {
    match audience_app(world, principal, resource) {
        Some(app) => app_roles_for(world, principal, app),
        None => Vec::new(),
    }
}

/// A token for `identity` on `host` for `resource`: the cached one while more than
/// [`CACHE_REFRESH_THRESHOLD_SECONDS`] remain (unless `bypass_cache`), else a new one,
/// which replaces the cache entry.
pub(crate) fn obtain_token(
    world: &World,
    platform: &mut Platform,
    host: &Resource,
    identity: &HostIdentity,
    resource: &str,
    bypass_cache: bool,
) -> Result<(AccessToken, TokenSource), EntraError> {
    let now = world.now().0;
    if !bypass_cache
        && let Some(cached) = platform.cached_token(identity.object_id, resource)
        && cached.expires_on - now > CACHE_REFRESH_THRESHOLD_SECONDS
        && let Some(token) = cached.access_token()
    {
        return Ok((token, TokenSource::Cache));
    }
    let issuer = platform.issuer(world, identity.tenant_id);
    let request = ManagedIdentityTokenRequest {
        resource: resource.to_string(),
        client_id: identity.client_id,
        object_id: identity.object_id,
        host_resource_id: host.id.clone(),
        kind: identity.kind.clone(),
        roles: roles_for_audience(world, identity.object_id, resource),
        now,
    };
    let token = issuer.issue_managed_identity_token(&request, platform.ids())?;
    platform.store_token(identity.object_id, resource, &token);
    Ok((token, TokenSource::Issued))
}

/// An OAuth-style error body `{"error":…,"error_description":…}`.
pub(crate) fn oauth_error(status: u16, error: &str, description: &str) -> HttpResponse {
    HttpResponse::json(
        status,
        &json!({ "error": error, "error_description": description }),
    )
}

/// The IMDS (and HIMDS) token body: every value a string, keys in the real order.
pub(crate) fn imds_token_body(
    token: &AccessToken,
    client_id: ClientId,
    resource: &str,
    now: i64,
) -> Value {
    let mut body = Map::new();
    body.insert("access_token".into(), json!(token.token));
    body.insert("client_id".into(), json!(client_id.to_string()));
    body.insert(
        "expires_in".into(),
        json!(token.expires_in(now).to_string()),
    );
    body.insert("expires_on".into(), json!(token.expires_on.to_string()));
    body.insert("ext_expires_in".into(), json!(EXT_EXPIRES_IN));
    body.insert("not_before".into(), json!(token.issued_at.to_string()));
    body.insert("resource".into(), json!(resource));
    body.insert("token_type".into(), json!("Bearer"));
    Value::Object(body)
}

/// The first parameter name that appears twice, if any.
pub(crate) fn duplicate_param(params: &[(String, String)]) -> Option<&str> {
    params.iter().enumerate().find_map(|(i, (name, _))| {
        params[..i]
            .iter()
            .any(|(n, _)| n == name)
            .then_some(name.as_str())
    })
}

/// The value of query parameter `name`.
pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
