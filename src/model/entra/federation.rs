//! The v2 token endpoint's client-credentials grant: client secrets and workload identity
//! federation (federated identity credentials, the token-exchange request of §6, and the
//! AADSTS error bodies Entra answers with).
//!
//! Outcomes are data: the endpoint always returns an [`HttpResponse`]; a refusal is a normal
//! 400/401 response with Entra's v2 error body, described by an [`AadstsError`].

use super::{AccessToken, AppTokenRequest, ClientAuthentication, TokenIssuer};
use crate::model::http::{HttpRequest, HttpResponse, Method};
use crate::model::ids::{ClientId, Guid, IdGen, ObjectId, TenantId};
use crate::model::jwt::{self, DEFAULT_CLOCK_SKEW_SECONDS, Jwks};
use serde_json::json;
use std::fmt;

/// The `client_assertion_type` of a JWT client assertion.
pub const JWT_BEARER_ASSERTION_TYPE: &str =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The token endpoint host.
pub const LOGIN_HOST: &str = "login.microsoftonline.com";

/// At most 20 federated identity credentials per app or user-assigned identity.
pub const MAX_FEDERATED_CREDENTIALS: usize = 20;

/// A federated identity credential on an app registration or user-assigned identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FederatedIdentityCredential {
    /// 3–120 URL-friendly characters, first alphanumeric; immutable.
    pub name: String,
    /// Must equal the assertion's `iss` (≤ 600 characters).
    pub issuer: String,
    /// Must equal the assertion's `sub` exactly, case-sensitively (≤ 600 characters).
    pub subject: String,
    /// Exactly one value, normally `api://AzureADTokenExchange`.
    pub audiences: Vec<String>,
    /// Optional, ≤ 600 characters.
    pub description: Option<String>,
}

/// Why a federated identity credential is refused at creation. The rules are §6 of the
/// fidelity reference; the message texts are the simulator's own (Graph's exact wording is
/// not confirmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FicError {
    /// `name` is shorter than 3 or longer than 120 characters.
    NameLength {
        /// The name's length in characters.
        len: usize,
    },
    /// `name` does not start with a letter or digit.
    NameFirstChar,
    /// `name` has a character other than letters, digits, `-` and `_`.
    NameChar {
        /// The character.
        ch: char,
    },
    /// `issuer` or `subject` is empty.
    Empty {
        /// The property.
        field: &'static str,
    },
    /// A property is longer than 600 characters.
    TooLong {
        /// The property.
        field: &'static str,
        /// Its length in characters.
        len: usize,
    },
    /// A property contains `*` (wildcards are not supported).
    Wildcard {
        /// The property.
        field: &'static str,
    },
    /// `audiences` does not hold exactly one value.
    AudienceCount {
        /// How many it holds.
        count: usize,
    },
}

impl fmt::Display for FicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FicError::NameLength { len } => {
                write!(f, "name must be 3 to 120 characters long (it has {len})")
            }
            FicError::NameFirstChar => f.write_str("name must start with a letter or digit"),
            FicError::NameChar { ch } => write!(
                f,
                "name may contain only letters, digits, '-' and '_' (found {ch:?})"
            ),
            FicError::Empty { field } => write!(f, "{field} is required"),
            FicError::TooLong { field, len } => {
                write!(f, "{field} must be at most 600 characters (it has {len})")
            }
            FicError::Wildcard { field } => {
                write!(f, "{field} must not contain wildcard characters ('*')")
            }
            FicError::AudienceCount { count } => {
                write!(f, "audiences must hold exactly one value (it has {count})")
            }
        }
    }
}

impl std::error::Error for FicError {}

impl FederatedIdentityCredential {
    /// The reference's GitHub example: name `Testing`, issuer GitHub Actions, subject
    /// `repo:octo-org/octo-repo:environment:Production`.
    pub fn github_example() -> FederatedIdentityCredential {
        FederatedIdentityCredential {
            name: "Testing".to_string(),
            issuer: super::github::GITHUB_ISSUER.to_string(),
            subject: "repo:octo-org/octo-repo:environment:Production".to_string(),
            audiences: vec![super::github::AZURE_AD_TOKEN_EXCHANGE.to_string()],
            description: Some("Testing".to_string()),
        }
    }

    /// Every rule the credential breaks, in property order (empty when valid).
    pub fn problems(&self) -> Vec<FicError> {
        let mut out = Vec::new();
        let len = self.name.chars().count();
        if !(3..=120).contains(&len) {
            out.push(FicError::NameLength { len });
        }
        if let Some(first) = self.name.chars().next()
            && !first.is_ascii_alphanumeric()
        {
            out.push(FicError::NameFirstChar);
        }
        if let Some(ch) = self
            .name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            out.push(FicError::NameChar { ch });
        }
        let mut text_rule = |field: &'static str, value: &str, required: bool| {
            let len = value.chars().count();
            if required && value.trim().is_empty() {
                out.push(FicError::Empty { field });
            }
            if len > 600 {
                out.push(FicError::TooLong { field, len });
            }
            if value.contains('*') {
                out.push(FicError::Wildcard { field });
            }
        };
        text_rule("issuer", &self.issuer, true);
        text_rule("subject", &self.subject, true);
        for audience in &self.audiences {
            text_rule("audiences", audience, true);
        }
        if let Some(description) = &self.description {
            text_rule("description", description, false);
        }
        if self.audiences.len() != 1 {
            out.push(FicError::AudienceCount {
                count: self.audiences.len(),
            });
        }
        out
    }

    /// The first broken rule, if any.
    pub fn validate(&self) -> Result<(), FicError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The credential as Graph/ARM show it.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "name": self.name,
            "issuer": self.issuer,
            "subject": self.subject,
            "description": self.description,
            "audiences": self.audiences,
        })
    }
}

/// An app registration (or user-assigned identity) as the token endpoint sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfidentialClient {
    /// The app's client id.
    pub client_id: ClientId,
    /// Its service principal's object id in the tenant.
    pub object_id: ObjectId,
    /// Client secret values that are currently valid.
    pub client_secrets: Vec<String>,
    /// Federated identity credentials.
    pub federated_credentials: Vec<FederatedIdentityCredential>,
    /// Granted app roles as `(resource, role value)`: a token for `resource` lists its roles.
    pub app_roles: Vec<(String, String)>,
}

/// An external OIDC issuer Entra trusts for federation, with its published keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalIssuer {
    /// The issuer URL (`iss`).
    pub issuer: String,
    /// Its JWKS.
    pub jwks: Jwks,
}

/// A refusal from the token endpoint: the AADSTS code and Entra's v2 error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AadstsError {
    /// HTTP status (400 or 401).
    pub status: u16,
    /// The OAuth `error` value, e.g. `invalid_client`.
    pub error: String,
    /// The AADSTS number, e.g. 700213.
    pub code: u32,
    /// `AADSTS{code}: {message}`, without the trace suffix the body adds.
    pub message: String,
    /// True when the message text beyond the AADSTS code and its confirmed prefix is the
    /// simulator's reconstruction (UNCONFIRMED); the UI should say it is simulated.
    pub simulated: bool,
}

fn aadsts(status: u16, error: &str, code: u32, text: String, simulated: bool) -> AadstsError {
    AadstsError {
        status,
        error: error.to_string(),
        code,
        message: format!("AADSTS{code}: {text}"),
        simulated,
    }
}

/// The token endpoint's answer: the response, plus the token or the error it carries.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenEndpointOutcome {
    /// The HTTP response as sent.
    pub response: HttpResponse,
    /// The issued token, on success.
    pub token: Option<AccessToken>,
    /// The refusal, on failure.
    pub error: Option<AadstsError>,
}

/// `YYYY-MM-DD HH:MM:SSZ`, the format of Entra error timestamps.
pub fn format_entra_timestamp(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The token-exchange request of §6: a client-credentials POST with a JWT client assertion.
pub fn federated_token_request(
    tenant: TenantId,
    client_id: ClientId,
    scope: &str,
    assertion: &str,
) -> HttpRequest {
    HttpRequest::post_form(
        LOGIN_HOST,
        &format!("/{tenant}/oauth2/v2.0/token"),
        &[
            ("scope", scope),
            ("client_id", &client_id.to_string()),
            ("client_assertion_type", JWT_BEARER_ASSERTION_TYPE),
            ("client_assertion", assertion),
            ("grant_type", "client_credentials"),
        ],
    )
}

/// A client-credentials POST authenticated with a client secret.
pub fn client_secret_token_request(
    tenant: TenantId,
    client_id: ClientId,
    scope: &str,
    secret: &str,
) -> HttpRequest {
    HttpRequest::post_form(
        LOGIN_HOST,
        &format!("/{tenant}/oauth2/v2.0/token"),
        &[
            ("client_id", &client_id.to_string()),
            ("scope", scope),
            ("client_secret", secret),
            ("grant_type", "client_credentials"),
        ],
    )
}

impl TokenIssuer {
    /// Handles a v2 token-endpoint request for `client` (client credentials with a secret or
    /// a federated assertion) at `now`. Checks, in order: POST, form body, `grant_type`,
    /// `client_id`, `scope` ending in `/.default`, then the credential; for an assertion:
    /// structure, a credential with the same issuer, then subject, then audience, then the
    /// signature (against the issuer's JWKS in `external`), then its lifetime.
    pub fn token_endpoint(
        &self,
        request: &HttpRequest,
        client: &ConfidentialClient,
        external: &[ExternalIssuer],
        now: i64,
        ids: &mut IdGen,
    ) -> TokenEndpointOutcome {
        let correlation = request
            .header("client-request-id")
            .map(str::to_string)
            .unwrap_or_else(|| ids.guid().to_string());
        match self.authenticate(request, client, external, now) {
            Ok((resource, authentication)) => {
                let roles = client
                    .app_roles
                    .iter()
                    .filter(|(r, _)| *r == resource)
                    .map(|(_, v)| v.clone())
                    .collect();
                let req = AppTokenRequest {
                    resource,
                    client_id: client.client_id,
                    object_id: client.object_id,
                    authentication,
                    roles,
                    now,
                };
                match self.issue_app_token(&req, ids) {
                    Ok(token) => {
                        let body = json!({
                            "token_type": "Bearer",
                            "expires_in": super::APP_TOKEN_EXPIRES_IN,
                            "access_token": token.token,
                        });
                        TokenEndpointOutcome {
                            response: HttpResponse::json(200, &body),
                            token: Some(token),
                            error: None,
                        }
                    }
                    Err(e) => self.refuse(
                        aadsts(
                            500,
                            "server_error",
                            50000,
                            format!("There was an error issuing a token: {e}."),
                            true,
                        ),
                        &correlation,
                        now,
                        ids,
                    ),
                }
            }
            Err(e) => self.refuse(e, &correlation, now, ids),
        }
    }

    fn refuse(
        &self,
        error: AadstsError,
        correlation: &str,
        now: i64,
        ids: &mut IdGen,
    ) -> TokenEndpointOutcome {
        let trace = ids.guid().to_string();
        let timestamp = format_entra_timestamp(now);
        let body = json!({
            "error": error.error,
            "error_description": format!(
                "{} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {timestamp}",
                error.message
            ),
            "error_codes": [error.code],
            "timestamp": timestamp,
            "trace_id": trace,
            "correlation_id": correlation,
        });
        TokenEndpointOutcome {
            response: HttpResponse::json(error.status, &body),
            token: None,
            error: Some(error),
        }
    }

    /// The resource and authentication method, or the refusal.
    fn authenticate(
        &self,
        request: &HttpRequest,
        client: &ConfidentialClient,
        external: &[ExternalIssuer],
        now: i64,
    ) -> Result<(String, ClientAuthentication), AadstsError> {
        if request.method != Method::Post {
            return Err(aadsts(
                400,
                "invalid_request",
                900561,
                format!(
                    "The endpoint only accepts POST, OPTIONS requests. Received a {} request.",
                    request.method
                ),
                true,
            ));
        }
        let fields = request.form_fields().map_err(|e| {
            aadsts(
                400,
                "invalid_request",
                900144,
                format!("The request body is not valid form data: {e}."),
                true,
            )
        })?;
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let required = |name: &str| {
            field(name).ok_or_else(|| {
                aadsts(
                    400,
                    "invalid_request",
                    900144,
                    format!("The request body must contain the following parameter: '{name}'."),
                    true,
                )
            })
        };
        let grant_type = required("grant_type")?;
        if grant_type != "client_credentials" {
            return Err(aadsts(
                400,
                "unsupported_grant_type",
                70003,
                format!("The app requested an unsupported grant type '{grant_type}'."),
                true,
            ));
        }
        let client_id = required("client_id")?;
        if Guid::parse(client_id).ok().map(ClientId) != Some(client.client_id) {
            return Err(aadsts(
                400,
                "unauthorized_client",
                700016,
                format!(
                    "Application with identifier '{client_id}' was not found in the directory '{}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
                    self.tenant_id
                ),
                true,
            ));
        }
        let scope = required("scope")?;
        let Some(resource) = scope.strip_suffix("/.default") else {
            return Err(aadsts(
                400,
                "invalid_scope",
                1002012,
                format!(
                    "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
                ),
                true,
            ));
        };
        let resource = resource.to_string();

        if let Some(secret) = field("client_secret") {
            if client.client_secrets.iter().any(|s| s == secret) {
                return Ok((resource, ClientAuthentication::ClientSecret));
            }
            return Err(aadsts(
                401,
                "invalid_client",
                7000215,
                format!(
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{}'.",
                    client.client_id
                ),
                true,
            ));
        }
        let Some(assertion_type) = field("client_assertion_type") else {
            return Err(aadsts(
                401,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.".to_string(),
                true,
            ));
        };
        if assertion_type != JWT_BEARER_ASSERTION_TYPE {
            return Err(aadsts(
                400,
                "invalid_request",
                50027,
                format!(
                    "client_assertion_type must be '{JWT_BEARER_ASSERTION_TYPE}', found '{assertion_type}'."
                ),
                true,
            ));
        }
        let assertion = required("client_assertion")?;
        self.check_assertion(assertion, client, external, now)?;
        Ok((resource, ClientAuthentication::ClientAssertion))
    }

    fn check_assertion(
        &self,
        assertion: &str,
        client: &ConfidentialClient,
        external: &[ExternalIssuer],
        now: i64,
    ) -> Result<(), AadstsError> {
        let malformed = || {
            aadsts(
                400,
                "invalid_request",
                50027,
                "JWT token is invalid or malformed.".to_string(),
                true,
            )
        };
        let decoded = jwt::decode_unverified(assertion).map_err(|_| malformed())?;
        let iss = decoded.claim_str("iss").ok_or_else(malformed)?;
        let sub = decoded.claim_str("sub").ok_or_else(malformed)?;
        let auds = jwt::audiences(&decoded.claims);
        let same_issuer: Vec<&FederatedIdentityCredential> = client
            .federated_credentials
            .iter()
            .filter(|f| f.issuer == iss)
            .collect();
        if same_issuer.is_empty() {
            return Err(aadsts(
                400,
                "invalid_client",
                700211,
                format!(
                    "No matching federated identity record found for presented assertion issuer '{iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation"
                ),
                true,
            ));
        }
        let same_subject: Vec<&&FederatedIdentityCredential> =
            same_issuer.iter().filter(|f| f.subject == sub).collect();
        if same_subject.is_empty() {
            return Err(aadsts(
                400,
                "invalid_client",
                700213,
                format!(
                    "No matching federated identity record found for presented assertion subject '{sub}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation"
                ),
                true,
            ));
        }
        if !same_subject
            .iter()
            .any(|f| f.audiences.iter().any(|a| auds.contains(a)))
        {
            return Err(aadsts(
                400,
                "invalid_client",
                700212,
                format!(
                    "No matching federated identity record found for presented assertion audience '{}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
                    auds.join(", ")
                ),
                true,
            ));
        }
        let empty = Jwks::default();
        let jwks = external
            .iter()
            .find(|e| e.issuer == iss)
            .map_or(&empty, |e| &e.jwks);
        jwt::verify_signature(assertion, jwks).map_err(|e| {
            aadsts(
                400,
                "invalid_client",
                50013,
                format!("Assertion failed signature validation. [Reason - {e}.]"),
                true,
            )
        })?;
        jwt::check_lifetime(&decoded.claims, now, DEFAULT_CLOCK_SKEW_SECONDS).map_err(|_| {
            let exp = decoded.claim_i64("exp").unwrap_or(0);
            let nbf = decoded.claim_i64("nbf").unwrap_or(exp);
            aadsts(
                400,
                "invalid_client",
                700024,
                format!(
                    "Client assertion is not within its valid time range. Current time: {}, assertion valid from {}, expiry time of assertion {}.",
                    format_entra_timestamp(now),
                    format_entra_timestamp(nbf),
                    format_entra_timestamp(exp)
                ),
                true,
            )
        })?;
        Ok(())
    }
}
