//! The services tokens are for: Key Vault, Storage (blob, queue, table), Azure Resource
//! Manager, Azure SQL, Microsoft Graph, Service Bus and Event Hubs. Each takes a request with
//! `Authorization: Bearer …`, validates the token first (signature against the published
//! JWKS, known `kid`, RS256 only, issuer of the resource's tenant, the service's audience,
//! `nbf`/`exp` on the simulated clock), then authorizes the operation's real action string
//! (Azure RBAC, Key Vault access policies, app roles or contained users) and answers with the
//! service's own success or error body, the decision alongside.

pub mod arm;
pub mod graph;
pub mod keyvault;
pub mod messaging;
pub mod sql;
pub mod storage;
#[cfg(test)]
mod tests;

use crate::model::entra::{AccessToken, v1_issuer};
use crate::model::http::HttpRequest;
use crate::model::ids::{ClientId, Guid, ObjectId, TenantId};
use crate::model::jwt::{
    DEFAULT_CLOCK_SKEW_SECONDS, DecodedJwt, JwtError, check_audience, check_issuer, check_lifetime,
    verify_signature,
};
use crate::model::platform::{ConnectionError, Exchange, Platform, TokenSource};
use crate::model::world::World;

/// Why a presented token was not accepted.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum TokenProblem {
    /// No `Authorization: Bearer …` header.
    Missing,
    /// The token failed a check (signature, `kid`, `alg`, issuer, audience, lifetime).
    Invalid(JwtError),
}

/// A token that passed validation, with the claims services use.
#[derive(Clone, PartialEq, Debug)]
pub struct ValidToken {
    /// The decoded token.
    pub decoded: DecodedJwt,
    /// The compact token.
    pub raw: String,
    /// `oid`.
    pub object_id: ObjectId,
    /// `appid` (or `azp`), as written.
    pub app_id: String,
    /// `tid`, as written.
    pub tenant: String,
    /// `iss`.
    pub issuer: String,
}

impl ValidToken {
    /// The token as an [`AccessToken`] for the exchange.
    pub fn access_token(&self) -> AccessToken {
        AccessToken {
            token: self.raw.clone(),
            header: self.decoded.header.clone(),
            claims: self.decoded.claims.clone(),
            issued_at: self.decoded.claim_i64("iat").unwrap_or(0),
            expires_on: self.decoded.claim_i64("exp").unwrap_or(0),
            kid: self
                .decoded
                .header_str("kid")
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// `appid=…;oid=…;iss=…`, as Key Vault names a caller.
    pub fn caller(&self) -> String {
        format!(
            "appid={};oid={};iss={}",
            self.app_id, self.object_id, self.issuer
        )
    }

    /// The `roles` claim values.
    pub fn roles(&self) -> Vec<String> {
        match self.decoded.claims.get("roles") {
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The app id as a [`ClientId`], if it is a GUID.
    pub fn client_id(&self) -> Option<ClientId> {
        Guid::parse(&self.app_id).ok().map(ClientId)
    }
}

/// The issuers a resource in `tenant` accepts: v1 and v2.
pub fn tenant_issuers(tenant: TenantId) -> Vec<String> {
    vec![
        v1_issuer(tenant),
        format!("https://login.microsoftonline.com/{tenant}/v2.0"),
    ]
}

/// The bearer token of a request, if it has one.
pub fn bearer(request: &HttpRequest) -> Option<&str> {
    let value = request.header("Authorization")?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("Bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// Validates the request's bearer token in the documented order: signature (structure,
/// `alg` RS256 only, known `kid`, RS256 signature) against the published keys of every
/// tenant, then issuer (if `issuers` is not empty), audience, and lifetime on the simulated
/// clock with the usual 5-minute skew.
pub fn validate_bearer(
    world: &World,
    platform: &Platform,
    request: &HttpRequest,
    issuers: &[String],
    audiences: &[String],
) -> Result<ValidToken, TokenProblem> {
    let raw = bearer(request).ok_or(TokenProblem::Missing)?;
    let jwks = platform.jwks(world);
    let decoded = verify_signature(raw, &jwks).map_err(TokenProblem::Invalid)?;
    if !issuers.is_empty() {
        check_issuer(&decoded.claims, issuers).map_err(TokenProblem::Invalid)?;
    }
    check_audience(&decoded.claims, audiences).map_err(TokenProblem::Invalid)?;
    check_lifetime(&decoded.claims, world.now().0, DEFAULT_CLOCK_SKEW_SECONDS)
        .map_err(TokenProblem::Invalid)?;
    let missing = |name: &str| {
        TokenProblem::Invalid(JwtError::MissingClaim {
            name: name.to_string(),
        })
    };
    let object_id = decoded
        .claim_str("oid")
        .and_then(|o| Guid::parse(o).ok())
        .map(ObjectId)
        .ok_or_else(|| missing("oid"))?;
    let app_id = decoded
        .claim_str("appid")
        .or_else(|| decoded.claim_str("azp"))
        .unwrap_or_default()
        .to_string();
    let tenant = decoded.claim_str("tid").unwrap_or_default().to_string();
    let issuer = decoded.claim_str("iss").unwrap_or_default().to_string();
    Ok(ValidToken {
        decoded,
        raw: raw.to_string(),
        object_id,
        app_id,
        tenant,
        issuer,
    })
}

/// The issuers of every tenant in the world (services such as Graph accept any tenant).
pub fn all_issuers(world: &World) -> Vec<String> {
    world
        .tenants()
        .iter()
        .flat_map(|t| tenant_issuers(t.id))
        .collect()
}

/// Marks a valid token on an exchange.
pub(crate) fn with_token(mut exchange: Exchange, token: &ValidToken) -> Exchange {
    exchange.token = Some(token.access_token());
    exchange.token_source = Some(TokenSource::Presented);
    exchange
}

/// Storage and Service Bus timestamps: ISO 8601 with a 7-digit fraction.
pub(crate) fn time_7(world: &World) -> String {
    let iso = world.now().iso8601();
    format!("{}.0000000Z", iso.trim_end_matches('Z'))
}

/// Routes a request to the service its host names; an unknown host does not resolve.
pub(crate) fn handle(
    world: &World,
    platform: &mut Platform,
    host: &str,
    request: HttpRequest,
) -> Exchange {
    if let Some(vault) = host.strip_suffix(".vault.azure.net") {
        return keyvault::handle(world, platform, vault, request);
    }
    for (suffix, service) in [
        (".blob.core.windows.net", storage::StorageService::Blob),
        (".queue.core.windows.net", storage::StorageService::Queue),
        (".table.core.windows.net", storage::StorageService::Table),
    ] {
        if let Some(account) = host.strip_suffix(suffix) {
            return storage::handle(world, platform, account, service, request);
        }
    }
    if host == "management.azure.com" {
        return arm::handle(world, platform, request);
    }
    if host == "graph.microsoft.com" {
        return graph::handle(world, platform, request);
    }
    if let Some(server) = host.strip_suffix(".database.windows.net") {
        return sql::handle(world, platform, server, request);
    }
    if let Some(namespace) = host.strip_suffix(".servicebus.windows.net") {
        return messaging::handle(world, platform, namespace, request);
    }
    unresolved(request, host)
}

/// The exchange for a host name that does not resolve.
pub(crate) fn unresolved(request: HttpRequest, host: &str) -> Exchange {
    Exchange::failed(
        request,
        ConnectionError::NameNotResolved {
            host: host.to_string(),
        },
    )
    .note("No such host: nothing in this world answers at that name.")
}
