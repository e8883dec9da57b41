//! JSON Web Tokens as Entra ID uses them: base64url, RS256 signing with claim order preserved,
//! decoding for display, and verification against a JWKS with typed, distinct errors.
//!
//! Verification is split into steps so that each target service can produce its own error
//! for each failure: [`verify_signature`] (structure, `alg`, `kid`, signature), then
//! [`check_lifetime`], [`check_audience`] and [`check_issuer`]. [`validate`] runs them all in
//! the order Microsoft.IdentityModel does (signature first, then lifetime, audience, issuer).

use crate::model::rsa::{RsaPrivateKey, RsaPublicKey};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use std::fmt;

/// A JSON object whose keys keep their insertion order (serde_json `preserve_order`).
pub type JsonObject = serde_json::Map<String, Value>;

/// The clock skew allowed when checking `exp` and `nbf`: 300 seconds, the default
/// `ClockSkew` of Microsoft.IdentityModel's `TokenValidationParameters`, which Azure services
/// use. A token is expired when `now > exp + skew` and not yet valid when `nbf > now + skew`.
pub const DEFAULT_CLOCK_SKEW_SECONDS: i64 = 300;

/// Base64url without padding (RFC 7515 §2), as in every JWT segment and JWK number.
pub fn b64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding; `what` names the part for the error message.
pub fn b64url_decode(text: &str, what: &str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| JwtError::Malformed {
            what: format!("{what} is not base64url"),
        })
}

/// Standard base64 with padding (used for opaque claims such as `aio`).
pub fn b64_standard_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Why a token could not be signed, decoded or verified. Each variant is a distinct outcome a
/// target service can map to its own error text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwtError {
    /// The text is not a well-formed JWT (parts, base64url, JSON); `what` says which part.
    Malformed {
        /// What is wrong, e.g. "payload is not a JSON object".
        what: String,
    },
    /// `alg` is `none`: an unsigned token, always rejected.
    Unsecured,
    /// `alg` is something other than RS256 (for example HS256, the key-confusion attack).
    AlgorithmNotAllowed {
        /// The `alg` header value.
        alg: String,
    },
    /// The header names no `kid` (nor `x5t`).
    MissingKid,
    /// No published key has this `kid` (never published, or removed after a rollover).
    UnknownKid {
        /// The `kid` header value.
        kid: String,
    },
    /// The published key with this `kid` is not a usable RSA key.
    BadKey {
        /// The key's `kid`.
        kid: String,
    },
    /// The signature does not match the header and payload.
    BadSignature,
    /// A required claim is absent or has the wrong type.
    MissingClaim {
        /// The claim name.
        name: String,
    },
    /// `exp` (plus clock skew) is in the past.
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The time of the check.
        now: i64,
    },
    /// `nbf` is in the future (beyond clock skew).
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
        /// The time of the check.
        now: i64,
    },
    /// `iss` is not one the service accepts.
    WrongIssuer {
        /// The accepted issuers.
        expected: Vec<String>,
        /// The token's `iss`.
        found: String,
    },
    /// No `aud` value is one the service accepts.
    WrongAudience {
        /// The accepted audiences.
        expected: Vec<String>,
        /// The token's `aud` values.
        found: Vec<String>,
    },
    /// RSA signing failed (only with a broken key).
    SigningFailed {
        /// The underlying error text.
        reason: String,
    },
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwtError::Malformed { what } => write!(f, "malformed token: {what}"),
            JwtError::Unsecured => f.write_str("the token is unsigned (alg \"none\")"),
            JwtError::AlgorithmNotAllowed { alg } => {
                write!(f, "algorithm \"{alg}\" is not allowed (only RS256 is)")
            }
            JwtError::MissingKid => f.write_str("the token header names no signing key (kid)"),
            JwtError::UnknownKid { kid } => {
                write!(f, "no published signing key has kid \"{kid}\"")
            }
            JwtError::BadKey { kid } => write!(f, "published key \"{kid}\" is not a valid RSA key"),
            JwtError::BadSignature => f.write_str("the signature does not match the token"),
            JwtError::MissingClaim { name } => write!(f, "the token has no valid \"{name}\" claim"),
            JwtError::Expired { exp, now } => {
                write!(
                    f,
                    "the token expired at {exp} (now {now}, {}s ago)",
                    now - exp
                )
            }
            JwtError::NotYetValid { nbf, now } => {
                write!(f, "the token is not valid before {nbf} (now {now})")
            }
            JwtError::WrongIssuer { expected, found } => write!(
                f,
                "issuer \"{found}\" is not accepted (expected {})",
                expected.join(" or ")
            ),
            JwtError::WrongAudience { expected, found } => write!(
                f,
                "audience \"{}\" is not accepted (expected {})",
                found.join("\", \""),
                expected.join(" or ")
            ),
            JwtError::SigningFailed { reason } => write!(f, "signing failed: {reason}"),
        }
    }
}

impl std::error::Error for JwtError {}

/// One RSA public key in JWKS form (RFC 7517), shaped like Entra's and GitHub's keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jwk {
    /// Key type: `RSA`.
    pub kty: String,
    /// Public key use: `sig`.
    pub key_use: String,
    /// Key id, matched against the token header's `kid`.
    pub kid: String,
    /// Base64url SHA-1 thumbprint, when the issuer publishes one.
    pub x5t: Option<String>,
    /// Modulus, base64url big-endian.
    pub n: String,
    /// Public exponent, base64url big-endian (`AQAB` = 65537).
    pub e: String,
    /// Algorithm, when the issuer publishes one (GitHub does, Entra does not).
    pub alg: Option<String>,
}

impl Jwk {
    /// The JWK of `key` with the given `kid` and optional `x5t`.
    pub fn from_public_key(key: &RsaPublicKey, kid: &str, x5t: Option<&str>) -> Jwk {
        Jwk {
            kty: "RSA".to_string(),
            key_use: "sig".to_string(),
            kid: kid.to_string(),
            x5t: x5t.map(str::to_string),
            n: b64url_encode(&key.n_bytes()),
            e: b64url_encode(&key.e_bytes()),
            alg: None,
        }
    }

    /// The RSA public key this JWK describes.
    pub fn to_public_key(&self) -> Result<RsaPublicKey, JwtError> {
        let bad = || JwtError::BadKey {
            kid: self.kid.clone(),
        };
        if self.kty != "RSA" {
            return Err(bad());
        }
        let n = b64url_decode(&self.n, "n").map_err(|_| bad())?;
        let e = b64url_decode(&self.e, "e").map_err(|_| bad())?;
        RsaPublicKey::from_be_bytes(&n, &e).map_err(|_| bad())
    }

    /// The key as JSON, members in Entra's order: `kty`, `use`, `kid`, `x5t`, `n`, `e`, then
    /// `alg` if set.
    pub fn to_json(&self) -> Value {
        let mut o = JsonObject::new();
        o.insert("kty".into(), json!(self.kty));
        o.insert("use".into(), json!(self.key_use));
        o.insert("kid".into(), json!(self.kid));
        if let Some(x5t) = &self.x5t {
            o.insert("x5t".into(), json!(x5t));
        }
        o.insert("n".into(), json!(self.n));
        o.insert("e".into(), json!(self.e));
        if let Some(alg) = &self.alg {
            o.insert("alg".into(), json!(alg));
        }
        Value::Object(o)
    }
}

/// A JSON Web Key Set: the keys an issuer currently publishes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Jwks {
    /// The published keys, in publication order.
    pub keys: Vec<Jwk>,
}

impl Jwks {
    /// The key with this `kid`, if published.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// The document: `{"keys":[…]}`.
    pub fn to_json(&self) -> Value {
        json!({ "keys": self.keys.iter().map(Jwk::to_json).collect::<Vec<_>>() })
    }
}

/// A token split into its parts, not verified: for display and for the checks below.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedJwt {
    /// The header, members in token order.
    pub header: JsonObject,
    /// The payload claims, in token order.
    pub claims: JsonObject,
    /// The raw signature bytes (empty for `alg: none`).
    pub signature: Vec<u8>,
    /// `base64url(header) + "." + base64url(payload)`: the signed bytes.
    pub signing_input: String,
}

impl DecodedJwt {
    /// A header member as a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// A claim as a string.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// A claim as an integer (Unix seconds for `iat`, `nbf`, `exp`).
    pub fn claim_i64(&self, name: &str) -> Option<i64> {
        self.claims.get(name).and_then(Value::as_i64)
    }
}

/// Signs `header` and `claims` with RS256 (RSASSA-PKCS1-v1_5 with SHA-256), keeping member
/// order, and returns the compact serialization `header.payload.signature`.
pub fn sign_rs256(
    header: &JsonObject,
    claims: &JsonObject,
    key: &RsaPrivateKey,
) -> Result<String, JwtError> {
    let header_json = Value::Object(header.clone()).to_string();
    let claims_json = Value::Object(claims.clone()).to_string();
    let signing_input = format!(
        "{}.{}",
        b64url_encode(header_json.as_bytes()),
        b64url_encode(claims_json.as_bytes())
    );
    let signature = key
        .sign_pkcs1v15_sha256(signing_input.as_bytes())
        .map_err(|e| JwtError::SigningFailed {
            reason: e.to_string(),
        })?;
    Ok(format!("{signing_input}.{}", b64url_encode(&signature)))
}

fn json_object(bytes: &[u8], what: &str) -> Result<JsonObject, JwtError> {
    match crate::model::json::from_bytes::<Value>(bytes) {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(JwtError::Malformed {
            what: format!("{what} is not a JSON object"),
        }),
    }
}

/// Splits and decodes a compact JWT without checking anything but its structure.
pub fn decode_unverified(token: &str) -> Result<DecodedJwt, JwtError> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err(JwtError::Malformed {
            what: format!(
                "a JWT has 3 parts separated by '.', this has {}",
                parts.len()
            ),
        });
    };
    Ok(DecodedJwt {
        header: json_object(&b64url_decode(header, "header")?, "header")?,
        claims: json_object(&b64url_decode(payload, "payload")?, "payload")?,
        signature: b64url_decode(signature, "signature")?,
        signing_input: format!("{header}.{payload}"),
    })
}

/// Checks structure, `alg` (RS256 only: `none` → [`JwtError::Unsecured`], anything else →
/// [`JwtError::AlgorithmNotAllowed`]), `kid` (falling back to `x5t`) against `jwks`, and the
/// RS256 signature. Claims are not looked at.
pub fn verify_signature(token: &str, jwks: &Jwks) -> Result<DecodedJwt, JwtError> {
    let decoded = decode_unverified(token)?;
    let alg = decoded
        .header_str("alg")
        .ok_or_else(|| JwtError::Malformed {
            what: "header has no \"alg\"".to_string(),
        })?;
    if alg.eq_ignore_ascii_case("none") {
        return Err(JwtError::Unsecured);
    }
    if alg != "RS256" {
        return Err(JwtError::AlgorithmNotAllowed {
            alg: alg.to_string(),
        });
    }
    let kid = decoded
        .header_str("kid")
        .or_else(|| decoded.header_str("x5t"))
        .ok_or(JwtError::MissingKid)?;
    let jwk = jwks.find(kid).ok_or_else(|| JwtError::UnknownKid {
        kid: kid.to_string(),
    })?;
    jwk.to_public_key()?
        .verify_pkcs1v15_sha256(decoded.signing_input.as_bytes(), &decoded.signature)
        .map_err(|_| JwtError::BadSignature)?;
    Ok(decoded)
}

fn time_claim(claims: &JsonObject, name: &str) -> Result<Option<i64>, JwtError> {
    match claims.get(name) {
        None => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or_else(|| JwtError::MissingClaim {
            name: name.to_string(),
        }),
    }
}

/// Checks `exp` (required) and `nbf` (if present) against `now`, allowing `skew` seconds
/// either way (see [`DEFAULT_CLOCK_SKEW_SECONDS`]).
pub fn check_lifetime(claims: &JsonObject, now: i64, skew: i64) -> Result<(), JwtError> {
    let exp = time_claim(claims, "exp")?.ok_or_else(|| JwtError::MissingClaim {
        name: "exp".to_string(),
    })?;
    if let Some(nbf) = time_claim(claims, "nbf")?
        && nbf > now + skew
    {
        return Err(JwtError::NotYetValid { nbf, now });
    }
    if now > exp + skew {
        return Err(JwtError::Expired { exp, now });
    }
    Ok(())
}

/// Checks that `iss` is exactly one of `accepted` (case-sensitive, as Entra issuers are
/// compared).
pub fn check_issuer(claims: &JsonObject, accepted: &[String]) -> Result<(), JwtError> {
    let found =
        claims
            .get("iss")
            .and_then(Value::as_str)
            .ok_or_else(|| JwtError::MissingClaim {
                name: "iss".to_string(),
            })?;
    if accepted.iter().any(|a| a == found) {
        Ok(())
    } else {
        Err(JwtError::WrongIssuer {
            expected: accepted.to_vec(),
            found: found.to_string(),
        })
    }
}

/// The `aud` values of a token: a string or an array of strings (RFC 7519 §4.1.3).
pub fn audiences(claims: &JsonObject) -> Vec<String> {
    match claims.get("aud") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Checks that some `aud` value is exactly one of `accepted`. Exact match: Azure services
/// list each accepted form (with and without trailing slash) explicitly.
pub fn check_audience(claims: &JsonObject, accepted: &[String]) -> Result<(), JwtError> {
    let found = audiences(claims);
    if found.is_empty() {
        return Err(JwtError::MissingClaim {
            name: "aud".to_string(),
        });
    }
    if found.iter().any(|f| accepted.contains(f)) {
        Ok(())
    } else {
        Err(JwtError::WrongAudience {
            expected: accepted.to_vec(),
            found,
        })
    }
}

/// What [`validate`] checks besides the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validation {
    /// The time of the check, Unix seconds.
    pub now: i64,
    /// Allowed clock skew in seconds.
    pub skew: i64,
    /// Accepted issuers; empty means the issuer is not checked.
    pub issuers: Vec<String>,
    /// Accepted audiences; empty means the audience is not checked.
    pub audiences: Vec<String>,
}

impl Validation {
    /// Checks lifetime at `now` with the default skew; no issuer or audience check yet.
    pub fn at(now: i64) -> Validation {
        Validation {
            now,
            skew: DEFAULT_CLOCK_SKEW_SECONDS,
            issuers: Vec::new(),
            audiences: Vec::new(),
        }
    }

    /// Also require one of these issuers.
    pub fn with_issuers(mut self, issuers: &[&str]) -> Validation {
        self.issuers = issuers.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Also require one of these audiences.
    pub fn with_audiences(mut self, audiences: &[&str]) -> Validation {
        self.audiences = audiences.iter().map(|s| s.to_string()).collect();
        self
    }
}

/// Runs every check: [`verify_signature`], [`check_lifetime`], [`check_audience`],
/// [`check_issuer`], stopping at the first failure.
pub fn validate(token: &str, jwks: &Jwks, v: &Validation) -> Result<DecodedJwt, JwtError> {
    let decoded = verify_signature(token, jwks)?;
    check_lifetime(&decoded.claims, v.now, v.skew)?;
    if !v.audiences.is_empty() {
        check_audience(&decoded.claims, &v.audiences)?;
    }
    if !v.issuers.is_empty() {
        check_issuer(&decoded.claims, &v.issuers)?;
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests;
