//! The simulated Microsoft Entra ID token service: per-tenant RS256 signing keys (fixed demo
//! keys shipped in `data/demo-keys/`), the v1 OpenID configuration and JWKS documents, key
//! rollover, managed-identity access tokens, app tokens via the client-credentials grant, and
//! workload identity federation (see [`federation`]).
//!
//! Architecture invariant: no RSA key is ever generated here; every key is parsed once from
//! the PEM text compiled into the binary and cached for the life of the program.

pub mod federation;
pub mod github;

use crate::model::ids::{ClientId, IdGen, ObjectId, ResourceId, TenantId};
use crate::model::jwt::{
    JsonObject, Jwk, Jwks, JwtError, b64_standard_encode, b64url_encode, sign_rs256,
};
use crate::model::rsa::RsaPrivateKey;
use serde_json::{Value, json};
use sha1::{Digest, Sha1};
use std::fmt;
use std::sync::OnceLock;

/// The number of demo Entra signing keys shipped in `data/demo-keys/entra-*.pem`.
pub const DEMO_KEY_COUNT: usize = 6;

const ENTRA_KEY_PEMS: [&str; DEMO_KEY_COUNT] = [
    include_str!("../../data/demo-keys/entra-0.pem"),
    include_str!("../../data/demo-keys/entra-1.pem"),
    include_str!("../../data/demo-keys/entra-2.pem"),
    include_str!("../../data/demo-keys/entra-3.pem"),
    include_str!("../../data/demo-keys/entra-4.pem"),
    include_str!("../../data/demo-keys/entra-5.pem"),
];

/// Seconds between a managed-identity token's `iat` and `exp`: 24 h 5 min (EMPIRICAL:
/// `expires_on − not_before = 86700` in every captured IMDS response).
pub const MANAGED_IDENTITY_TOKEN_LIFETIME: i64 = 86_700;

/// How far Entra back-dates `iat`/`nbf` before the moment of issue: 300 s. Derived from the
/// captures: a fresh IMDS token reports `expires_in = 86400` while `exp − nbf = 86700`.
pub const BACKDATE_SECONDS: i64 = 300;

/// `expires_in` of an app token from the v2 token endpoint (client credentials, federation).
pub const APP_TOKEN_EXPIRES_IN: i64 = 3_599;

/// The JWKS address every v1 tenant configuration points to.
pub const COMMON_JWKS_URI: &str = "https://login.microsoftonline.com/common/discovery/keys";

/// Why a demo key could not be loaded or a key operation was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// There is no demo key with this index.
    NoSuchKey {
        /// The requested index.
        index: usize,
    },
    /// The compiled-in PEM did not parse (a broken build, never user input).
    BadPem {
        /// Which key file.
        file: String,
        /// The decoder's message.
        reason: String,
    },
    /// The key to sign with is not published in the tenant's JWKS.
    NotPublished {
        /// The key index.
        index: usize,
    },
    /// The key cannot be removed from the JWKS while it still signs new tokens.
    StillSigning {
        /// The key index.
        index: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::NoSuchKey { index } => write!(f, "there is no demo key {index}"),
            KeyError::BadPem { file, reason } => {
                write!(f, "demo key {file} does not parse: {reason}")
            }
            KeyError::NotPublished { index } => {
                write!(f, "key {index} must be published before it signs tokens")
            }
            KeyError::StillSigning { index } => {
                write!(f, "key {index} still signs new tokens; roll over first")
            }
        }
    }
}

impl std::error::Error for KeyError {}

/// Why a token could not be issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntraError {
    /// A signing key problem.
    Key(KeyError),
    /// Signing failed.
    Jwt(JwtError),
}

impl fmt::Display for EntraError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntraError::Key(e) => e.fmt(f),
            EntraError::Jwt(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for EntraError {}

impl From<KeyError> for EntraError {
    fn from(e: KeyError) -> Self {
        EntraError::Key(e)
    }
}

impl From<JwtError> for EntraError {
    fn from(e: JwtError) -> Self {
        EntraError::Jwt(e)
    }
}

/// An RS256 signing key with its published identity.
///
/// `x5t` is *simulated*: Entra's is the base64url SHA-1 thumbprint of the key's X.509
/// certificate; there is no certificate here, so it is the base64url SHA-1 of the
/// DER-encoded SubjectPublicKeyInfo. `kid` equals `x5t`, as in Entra v1 tokens.
#[derive(Debug)]
pub struct SigningKey {
    /// The key's index among the demo keys of its kind.
    pub index: usize,
    /// Key id (= `x5t`).
    pub kid: String,
    /// Simulated SHA-1 thumbprint, base64url.
    pub x5t: String,
    /// The public half as a JWK.
    pub jwk: Jwk,
    private: RsaPrivateKey,
}

impl SigningKey {
    /// Parses a PKCS#8 PEM private key and derives `x5t`, `kid` and the JWK.
    pub fn from_pkcs8_pem(index: usize, file: &str, pem: &str) -> Result<SigningKey, KeyError> {
        let bad = |reason: String| KeyError::BadPem {
            file: file.to_string(),
            reason,
        };
        let private = RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| bad(e.to_string()))?;
        let public = private.public_key();
        let x5t = b64url_encode(&Sha1::digest(public.to_public_key_der()));
        let jwk = Jwk::from_public_key(public, &x5t, Some(&x5t));
        Ok(SigningKey {
            index,
            kid: x5t.clone(),
            x5t,
            jwk,
            private,
        })
    }

    /// The private key (for signing).
    pub fn private_key(&self) -> &RsaPrivateKey {
        &self.private
    }

    /// Signs `header` + `claims` with RS256.
    pub fn sign(&self, header: &JsonObject, claims: &JsonObject) -> Result<String, JwtError> {
        sign_rs256(header, claims, &self.private)
    }
}

static ENTRA_KEYS: [OnceLock<Result<SigningKey, KeyError>>; DEMO_KEY_COUNT] =
    [const { OnceLock::new() }; DEMO_KEY_COUNT];

/// Demo Entra signing key `index` (0..[`DEMO_KEY_COUNT`]), parsed on first use and cached.
pub fn demo_key(index: usize) -> Result<&'static SigningKey, KeyError> {
    let (Some(cell), Some(pem)) = (ENTRA_KEYS.get(index), ENTRA_KEY_PEMS.get(index)) else {
        return Err(KeyError::NoSuchKey { index });
    };
    cell.get_or_init(|| SigningKey::from_pkcs8_pem(index, &format!("entra-{index}.pem"), pem))
        .as_ref()
        .map_err(Clone::clone)
}

/// The v1 issuer of a tenant: `https://sts.windows.net/{tid}/`.
pub fn v1_issuer(tenant: TenantId) -> String {
    format!("https://sts.windows.net/{tenant}/")
}

/// A tenant's token service: which demo key signs its new tokens and which keys it publishes.
///
/// Fidelity note: real Entra signs every tenant's tokens with one global key set published at
/// [`COMMON_JWKS_URI`]. Here tenants get distinct keys so rollovers are visible per tenant;
/// target services should verify against [`common_jwks`] of all tenants, so a token from the
/// wrong tenant fails on its issuer, as in Azure, not on its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenIssuer {
    /// The tenant.
    pub tenant_id: TenantId,
    signing: usize,
    published: Vec<usize>,
}

/// Which managed identity a token is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManagedIdentityKind {
    /// The host resource's own identity.
    SystemAssigned,
    /// A user-assigned identity attached to the host.
    UserAssigned {
        /// The identity's resource id
        /// (`…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`).
        identity_resource_id: ResourceId,
    },
}

/// Everything a managed-identity token says, as plain values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedIdentityTokenRequest {
    /// The `resource` exactly as the caller sent it; becomes `aud`.
    pub resource: String,
    /// The identity's client (app) id: `appid`.
    pub client_id: ClientId,
    /// The identity's service principal object id: `oid` and `sub`.
    pub object_id: ObjectId,
    /// The compute resource using the identity (VM, app, cluster).
    pub host_resource_id: ResourceId,
    /// System- or user-assigned.
    pub kind: ManagedIdentityKind,
    /// App role values granted to the identity on the audience's service principal; the
    /// `roles` claim appears only when this is non-empty.
    pub roles: Vec<String>,
    /// The moment of issue, Unix seconds.
    pub now: i64,
}

/// How an app authenticated to the token endpoint; sets `appidacr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// A client secret: `appidacr` "1".
    ClientSecret,
    /// A certificate or signed assertion (federated credential, managed identity): "2".
    ClientAssertion,
}

impl ClientAuthentication {
    /// The `appidacr` value.
    pub fn appidacr(self) -> &'static str {
        match self {
            ClientAuthentication::ClientSecret => "1",
            ClientAuthentication::ClientAssertion => "2",
        }
    }
}

/// An app-only token request that passed authentication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppTokenRequest {
    /// The audience: the scope without `/.default`.
    pub resource: String,
    /// The app's client id.
    pub client_id: ClientId,
    /// The app's service principal object id in this tenant.
    pub object_id: ObjectId,
    /// How the app authenticated.
    pub authentication: ClientAuthentication,
    /// App role values granted on the audience (empty: no `roles` claim).
    pub roles: Vec<String>,
    /// The moment of issue, Unix seconds.
    pub now: i64,
}

/// A signed access token and its parts, for display and for the endpoint responses.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessToken {
    /// The compact JWT.
    pub token: String,
    /// The header, in order.
    pub header: JsonObject,
    /// The claims, in order.
    pub claims: JsonObject,
    /// `iat` (= `nbf`, the endpoints' `not_before`).
    pub issued_at: i64,
    /// `exp` (the endpoints' `expires_on`).
    pub expires_on: i64,
    /// The signing key's `kid`.
    pub kid: String,
}

impl AccessToken {
    /// Seconds left at `now` (the endpoints' `expires_in`), never negative.
    pub fn expires_in(&self, now: i64) -> i64 {
        (self.expires_on - now).max(0)
    }
}

/// A GUID's bytes in .NET `Guid.ToByteArray()` order (first three groups little-endian), as
/// Entra packs tenant and app ids into `rh`.
fn dotnet_guid_bytes(g: crate::model::ids::Guid) -> [u8; 16] {
    let b = g.0.to_be_bytes();
    [
        b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13],
        b[14], b[15],
    ]
}

/// A resource id with its `resourceGroups` segment in lower case, as `xms_mirid` shows a
/// system-assigned identity's host.
pub fn lowercase_resource_groups_segment(id: &ResourceId) -> String {
    id.as_str()
        .split('/')
        .map(|s| {
            if s.eq_ignore_ascii_case("resourcegroups") {
                "resourcegroups"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl TokenIssuer {
    /// A tenant signing with demo key `key_index` (taken modulo [`DEMO_KEY_COUNT`]) and
    /// publishing only that key.
    pub fn new(tenant_id: TenantId, key_index: usize) -> TokenIssuer {
        let k = key_index % DEMO_KEY_COUNT;
        TokenIssuer {
            tenant_id,
            signing: k,
            published: vec![k],
        }
    }

    /// The `n`-th tenant of a world (0-based) gets key `2n mod 6`, so that up to three
    /// tenants each have a distinct key and a distinct rollover key (`2n + 1`).
    pub fn for_tenant_number(tenant_id: TenantId, n: usize) -> TokenIssuer {
        TokenIssuer::new(tenant_id, (2 * n) % DEMO_KEY_COUNT)
    }

    /// `https://sts.windows.net/{tid}/`.
    pub fn issuer(&self) -> String {
        v1_issuer(self.tenant_id)
    }

    /// The index of the key that signs new tokens.
    pub fn signing_key_index(&self) -> usize {
        self.signing
    }

    /// The indices of the published keys, in publication order.
    pub fn published_key_indices(&self) -> &[usize] {
        &self.published
    }

    /// The key that signs new tokens.
    pub fn signing_key(&self) -> Result<&'static SigningKey, KeyError> {
        demo_key(self.signing)
    }

    /// Publishes demo key `index` in the JWKS (idempotent); it does not sign yet.
    pub fn publish_key(&mut self, index: usize) -> Result<(), KeyError> {
        demo_key(index)?;
        if !self.published.contains(&index) {
            self.published.push(index);
        }
        Ok(())
    }

    /// Signs new tokens with published key `index`.
    pub fn sign_with(&mut self, index: usize) -> Result<(), KeyError> {
        if !self.published.contains(&index) {
            return Err(KeyError::NotPublished { index });
        }
        self.signing = index;
        Ok(())
    }

    /// Removes key `index` from the JWKS; tokens it signed then fail with an unknown `kid`.
    pub fn retire_key(&mut self, index: usize) -> Result<(), KeyError> {
        if index == self.signing {
            return Err(KeyError::StillSigning { index });
        }
        self.published.retain(|k| *k != index);
        Ok(())
    }

    /// A rollover: publishes the next demo key and signs with it; the old key stays
    /// published until [`TokenIssuer::retire_key`]. Returns the new key's index.
    pub fn roll_over(&mut self) -> Result<usize, KeyError> {
        let next = (self.signing + 1) % DEMO_KEY_COUNT;
        self.publish_key(next)?;
        self.sign_with(next)?;
        Ok(next)
    }

    /// This tenant's published keys.
    pub fn jwks(&self) -> Result<Jwks, KeyError> {
        let keys = self
            .published
            .iter()
            .map(|&i| demo_key(i).map(|k| k.jwk.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Jwks { keys })
    }

    /// The v1 OpenID configuration document served at
    /// `https://login.microsoftonline.com/{tid}/.well-known/openid-configuration`.
    /// `issuer`, `jwks_uri` and `id_token_signing_alg_values_supported` are from §3.3 of the
    /// fidelity reference; the other members follow the shape of Entra's live v1 document.
    pub fn openid_configuration(&self) -> Value {
        let t = self.tenant_id;
        let base = format!("https://login.microsoftonline.com/{t}");
        json!({
            "token_endpoint": format!("{base}/oauth2/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": COMMON_JWKS_URI,
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "token id_token", "token"],
            "scopes_supported": ["openid"],
            "issuer": self.issuer(),
            "microsoft_multi_refresh_token": true,
            "authorization_endpoint": format!("{base}/oauth2/authorize"),
            "device_authorization_endpoint": format!("{base}/oauth2/devicecode"),
            "http_logout_supported": true,
            "frontchannel_logout_supported": true,
            "end_session_endpoint": format!("{base}/oauth2/logout"),
            "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce", "email", "given_name", "family_name", "nickname"],
            "check_session_iframe": format!("{base}/oauth2/checksession"),
            "userinfo_endpoint": format!("{base}/openid/userinfo"),
            "kerberos_endpoint": format!("{base}/kerberos"),
            "tenant_region_scope": "NA",
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
            "rbac_url": "https://pas.windows.net"
        })
    }

    /// The v1 app-only claims shared by managed-identity and app tokens, in Entra's order
    /// (`aud`, `iss`, `iat`, `nbf`, `exp`, then alphabetical), ending with `ver`.
    #[allow(clippy::too_many_arguments)]
    fn app_claims(
        &self,
        aud: &str,
        client_id: ClientId,
        appidacr: &str,
        object_id: ObjectId,
        roles: &[String],
        iat: i64,
        exp: i64,
        ids: &mut IdGen,
    ) -> JsonObject {
        let iss = self.issuer();
        // Opaque values drawn in a fixed order so walkthroughs replay identically.
        let aio = b64_standard_encode(&ids.bytes(32));
        let region = ids.bytes(1).first().copied().unwrap_or(0);
        let mut rh = vec![0x01, region, 0x00];
        rh.extend_from_slice(&dotnet_guid_bytes(self.tenant_id.0));
        rh.extend_from_slice(&dotnet_guid_bytes(client_id.0));
        rh.extend_from_slice(&[region, 0x00, 0x00]);
        let uti = b64url_encode(&ids.bytes(16));

        let mut c = JsonObject::new();
        c.insert("aud".into(), json!(aud));
        c.insert("iss".into(), json!(iss));
        c.insert("iat".into(), json!(iat));
        c.insert("nbf".into(), json!(iat));
        c.insert("exp".into(), json!(exp));
        c.insert("aio".into(), json!(aio));
        c.insert("appid".into(), json!(client_id.to_string()));
        c.insert("appidacr".into(), json!(appidacr));
        c.insert("idp".into(), json!(iss));
        c.insert("idtyp".into(), json!("app"));
        c.insert("oid".into(), json!(object_id.to_string()));
        c.insert("rh".into(), json!(format!("0.{}.", b64url_encode(&rh))));
        if !roles.is_empty() {
            c.insert("roles".into(), json!(roles));
        }
        c.insert("sub".into(), json!(object_id.to_string()));
        c.insert("tid".into(), json!(self.tenant_id.to_string()));
        c.insert("uti".into(), json!(uti));
        c.insert("ver".into(), json!("1.0"));
        c
    }

    fn sign(&self, claims: JsonObject, iat: i64, exp: i64) -> Result<AccessToken, EntraError> {
        let key = self.signing_key()?;
        let mut header = JsonObject::new();
        header.insert("typ".into(), json!("JWT"));
        header.insert("alg".into(), json!("RS256"));
        header.insert("x5t".into(), json!(key.x5t));
        header.insert("kid".into(), json!(key.kid));
        let token = key.sign(&header, &claims)?;
        Ok(AccessToken {
            token,
            header,
            claims,
            issued_at: iat,
            expires_on: exp,
            kid: key.kid.clone(),
        })
    }

    /// A managed-identity access token (v1, §3.1–3.2): `iat = nbf = now − 300`,
    /// `exp = iat + 86700`, `appidacr` "2", `idtyp` "app", `xms_mirid` (system-assigned: the
    /// host id with a lower-case `resourcegroups` segment; user-assigned: the identity's
    /// resource id as given) and, for user-assigned only, `xms_az_rid` (the host id).
    /// Claims after `exp` are alphabetical as in real tokens, so `xms_az_rid` precedes
    /// `xms_mirid`. Opaque `aio`, `rh`, `uti` come from `ids`.
    pub fn issue_managed_identity_token(
        &self,
        req: &ManagedIdentityTokenRequest,
        ids: &mut IdGen,
    ) -> Result<AccessToken, EntraError> {
        let iat = req.now - BACKDATE_SECONDS;
        let exp = iat + MANAGED_IDENTITY_TOKEN_LIFETIME;
        let mut claims = self.app_claims(
            &req.resource,
            req.client_id,
            ClientAuthentication::ClientAssertion.appidacr(),
            req.object_id,
            &req.roles,
            iat,
            exp,
            ids,
        );
        match &req.kind {
            ManagedIdentityKind::SystemAssigned => {
                claims.insert(
                    "xms_mirid".into(),
                    json!(lowercase_resource_groups_segment(&req.host_resource_id)),
                );
            }
            ManagedIdentityKind::UserAssigned {
                identity_resource_id,
            } => {
                claims.insert("xms_az_rid".into(), json!(req.host_resource_id.as_str()));
                claims.insert("xms_mirid".into(), json!(identity_resource_id.as_str()));
            }
        }
        self.sign(claims, iat, exp)
    }

    /// An app-only access token from the v2 token endpoint (client credentials or federated
    /// assertion): v1 claims as Graph and ARM receive them, `expires_in` 3599 at issue
    /// (`iat = nbf = now − 300`, `exp = now + 3599`).
    pub fn issue_app_token(
        &self,
        req: &AppTokenRequest,
        ids: &mut IdGen,
    ) -> Result<AccessToken, EntraError> {
        let iat = req.now - BACKDATE_SECONDS;
        let exp = req.now + APP_TOKEN_EXPIRES_IN;
        let claims = self.app_claims(
            &req.resource,
            req.client_id,
            req.authentication.appidacr(),
            req.object_id,
            &req.roles,
            iat,
            exp,
            ids,
        );
        self.sign(claims, iat, exp)
    }
}

/// The global JWKS served at [`COMMON_JWKS_URI`]: every tenant's published keys, each once,
/// in first-seen order.
pub fn common_jwks(issuers: &[&TokenIssuer]) -> Result<Jwks, KeyError> {
    let mut seen: Vec<usize> = Vec::new();
    for issuer in issuers {
        for &k in issuer.published_key_indices() {
            if !seen.contains(&k) {
                seen.push(k);
            }
        }
    }
    let keys = seen
        .iter()
        .map(|&i| demo_key(i).map(|k| k.jwk.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Jwks { keys })
}

#[cfg(test)]
mod tests;
