//! A token as a person reads it: the decoded header and claims, each with a one-line
//! explanation, times as dates, and whether the signature verifies against the published keys.

use crate::model::clock::SimTime;
use crate::model::json::ToJson;
use crate::model::jwt::{self, Jwks};
use serde_json::Value;

/// One header field or claim.
#[derive(Clone, PartialEq, Debug, ToJson)]
pub struct ClaimView {
    /// The claim's name, e.g. `aud`.
    pub name: String,
    /// Its value as in the token.
    pub value: Value,
    /// What it means, in one line.
    pub explanation: String,
    /// For time claims: the value as an ISO 8601 date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// Whether the signature verifies against the shown JWKS.
#[derive(Clone, PartialEq, Debug, ToJson)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum SignatureStatus {
    /// RS256 signature checked with the key `kid` from the JWKS.
    Verified {
        /// The key id used.
        kid: String,
    },
    /// The signature does not verify; why.
    Invalid {
        /// The verifier's message.
        reason: String,
    },
}

/// A decoded token.
#[derive(Clone, PartialEq, Debug, ToJson)]
pub struct TokenView {
    /// The compact JWT (`header.payload.signature`).
    pub raw: String,
    /// The header fields.
    pub header: Vec<ClaimView>,
    /// The payload's claims, in token order.
    pub claims: Vec<ClaimView>,
    /// The signature check.
    pub signature: SignatureStatus,
}

/// The one-line meaning of a header field or claim (reference §3.2).
pub fn explain(name: &str) -> &'static str {
    match name {
        "typ" => "Token type: always JWT.",
        "alg" => "Signing algorithm: RS256, an RSA signature over SHA-256.",
        "kid" => "Which of Entra ID's published keys signed the token (find it in the JWKS).",
        "x5t" => "The signing certificate's thumbprint; same use and value as kid in v1 tokens.",
        "aud" => "Audience: the resource the token is for, exactly as the code requested it.",
        "iss" => "Issuer: the Entra ID tenant's token service (v1 form).",
        "iat" => "Issued at.",
        "nbf" => "Not valid before this time.",
        "exp" => "Expires at: managed-identity tokens live about 24 hours.",
        "aio" => "Opaque value Entra ID uses internally; resources must ignore it.",
        "appid" => "The client (application) id: for a managed identity, its client id.",
        "appidacr" => {
            "How the client authenticated: 2 = certificate (managed identities), 1 = secret."
        }
        "idp" => "Identity provider that authenticated the subject: here the same tenant.",
        "idtyp" => "Token for an application (app), not a user.",
        "oid" => "Object id of the service principal: what role assignments name.",
        "rh" => "Opaque value Entra ID uses to revalidate tokens; resources must ignore it.",
        "roles" => "App roles granted to the service principal on this API (e.g. Graph).",
        "sub" => "Subject: for app tokens, the service principal's object id again.",
        "tid" => "The tenant that issued the token.",
        "uti" => "Token identifier (like jti); opaque.",
        "ver" => "Token format version: 1.0.",
        "xms_mirid" => {
            "ARM id of the managed identity: the host resource (system-assigned) or the identity resource (user-assigned)."
        }
        "xms_az_rid" => "ARM id of the Azure resource that used a user-assigned identity.",
        "xms_tcdt" => "Tenant creation time (believed; undocumented).",
        _ => "A claim the simulator does not explain.",
    }
}

fn view(name: &str, value: &Value, times: bool) -> ClaimView {
    let date = match (times, name, value.as_i64()) {
        (true, "iat" | "nbf" | "exp", Some(t)) => Some(SimTime(t).iso8601()),
        _ => None,
    };
    ClaimView {
        name: name.to_string(),
        value: value.clone(),
        explanation: explain(name).to_string(),
        date,
    }
}

/// Decodes `token` for display and checks its signature against `jwks`. `None` if the text is
/// not a JWT at all.
pub fn token_view(token: &str, jwks: &Jwks) -> Option<TokenView> {
    let decoded = jwt::decode_unverified(token).ok()?;
    let header = decoded
        .header
        .iter()
        .map(|(k, v)| view(k, v, false))
        .collect();
    let claims = decoded
        .claims
        .iter()
        .map(|(k, v)| view(k, v, true))
        .collect();
    let signature = match jwt::verify_signature(token, jwks) {
        Ok(_) => SignatureStatus::Verified {
            kid: decoded
                .header
                .get("kid")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        },
        Err(e) => SignatureStatus::Invalid {
            reason: e.to_string(),
        },
    };
    Some(TokenView {
        raw: token.to_string(),
        header,
        claims,
        signature,
    })
}
