//! Key Vault's data plane (`https://{vault}.vault.azure.net`): secrets, keys and
//! certificates, each operation mapped to its `Microsoft.KeyVault/vaults/…` data action;
//! the 401 `AKV…` errors, and the 403 bodies of the RBAC (`ForbiddenByRbac`) and
//! access-policy (`AccessDenied`) models exactly as reference §4.10 gives them.

use super::{TokenProblem, ValidToken, tenant_issuers, unresolved, validate_bearer, with_token};
use crate::model::entra::v1_issuer;
use crate::model::http::{HttpRequest, HttpResponse, Method};
use crate::model::ids::{ResourceId, TenantId};
use crate::model::jwt::{JwtError, b64url_encode};
use crate::model::platform::{Exchange, Platform};
use crate::model::rbac::keyvault::required_permission;
use crate::model::rbac::{Action, Decision, DecisionReason, check_access};
use crate::model::world::{ChildKind, KeyVaultPermissionModel, Resource, ResourceKind, World};
use serde_json::{Value, json};

/// Key Vault's first-party application id, also accepted as an audience.
pub const KEY_VAULT_APP_ID: &str = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093";

/// The audiences Key Vault accepts.
pub fn audiences() -> Vec<String> {
    vec![
        "https://vault.azure.net".to_string(),
        "https://vault.azure.net/".to_string(),
        KEY_VAULT_APP_ID.to_string(),
    ]
}

/// A Key Vault data-plane operation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Operation {
    /// The data action, e.g. `Microsoft.KeyVault/vaults/secrets/getSecret/action`.
    pub action: &'static str,
    /// The object kind, or `None` for vault-wide operations (list).
    pub kind: Option<ChildKind>,
    /// The object's name.
    pub name: String,
    /// What the operation returns on success.
    pub verb: Verb,
}

/// What an operation does, for its success body.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verb {
    /// Reads an object.
    Get,
    /// Writes an object.
    Set,
    /// Lists objects.
    List,
    /// A cryptographic operation with a key (sign, wrapKey, …).
    Crypto,
}

/// Maps method and path to the operation and its action string.
pub fn operation(method: Method, path: &str) -> Option<Operation> {
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let op = |action, kind, name: &str, verb| {
        Some(Operation {
            action,
            kind,
            name: name.to_string(),
            verb,
        })
    };
    match (method, segs.as_slice()) {
        (Method::Get, ["secrets"]) => op(
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
            None,
            "",
            Verb::List,
        ),
        (Method::Get, ["secrets", name] | ["secrets", name, _]) => op(
            "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            Some(ChildKind::Secret),
            name,
            Verb::Get,
        ),
        (Method::Put, ["secrets", name]) => op(
            "Microsoft.KeyVault/vaults/secrets/setSecret/action",
            Some(ChildKind::Secret),
            name,
            Verb::Set,
        ),
        (Method::Delete, ["secrets", name]) => op(
            "Microsoft.KeyVault/vaults/secrets/delete",
            Some(ChildKind::Secret),
            name,
            Verb::Get,
        ),
        (Method::Get, ["keys"]) => op("Microsoft.KeyVault/vaults/keys/read", None, "", Verb::List),
        (Method::Get, ["keys", name] | ["keys", name, _]) => op(
            "Microsoft.KeyVault/vaults/keys/read",
            Some(ChildKind::Key),
            name,
            Verb::Get,
        ),
        (Method::Post, ["keys", name, _, crypto] | ["keys", name, crypto]) => {
            let action = match crypto.to_ascii_lowercase().as_str() {
                "sign" => "Microsoft.KeyVault/vaults/keys/sign/action",
                "verify" => "Microsoft.KeyVault/vaults/keys/verify/action",
                "wrapkey" => "Microsoft.KeyVault/vaults/keys/wrap/action",
                "unwrapkey" => "Microsoft.KeyVault/vaults/keys/unwrap/action",
                "encrypt" => "Microsoft.KeyVault/vaults/keys/encrypt/action",
                "decrypt" => "Microsoft.KeyVault/vaults/keys/decrypt/action",
                _ => return None,
            };
            op(action, Some(ChildKind::Key), name, Verb::Crypto)
        }
        (Method::Get, ["certificates"]) => op(
            "Microsoft.KeyVault/vaults/certificates/read",
            None,
            "",
            Verb::List,
        ),
        (Method::Get, ["certificates", name] | ["certificates", name, _]) => op(
            "Microsoft.KeyVault/vaults/certificates/read",
            Some(ChildKind::Certificate),
            name,
            Verb::Get,
        ),
        _ => None,
    }
}

fn error_body(code: &str, message: &str) -> Value {
    json!({ "error": { "code": code, "message": message } })
}

fn unauthorized(tenant: TenantId, message: &str) -> HttpResponse {
    HttpResponse::json(401, &error_body("Unauthorized", message)).with_header(
        "WWW-Authenticate",
        &format!(
            "Bearer authorization=\"https://login.windows.net/{tenant}\", resource=\"https://vault.azure.net\""
        ),
    )
}

/// The 401 for a token problem, and whether its text is simulated.
pub fn token_error(
    tenant: TenantId,
    problem: &TokenProblem,
    raw_header: Option<&str>,
) -> (HttpResponse, bool) {
    let (message, simulated) = match problem {
        TokenProblem::Missing => (
            "AKV10000: Request is missing a Bearer or PoP token.".to_string(),
            false,
        ),
        TokenProblem::Invalid(JwtError::WrongIssuer { found, .. }) => (
            format!(
                "AKV10032: Invalid issuer. Expected one of {}, found {found}.",
                v1_issuer(tenant)
            ),
            false,
        ),
        TokenProblem::Invalid(JwtError::WrongAudience { found, .. }) => (
            format!(
                "AKV10022: Invalid audience. Expected https://vault.azure.net, found: {}.",
                found.join(", ")
            ),
            false,
        ),
        TokenProblem::Invalid(JwtError::UnknownKid { .. }) => (
            format!(
                "AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '{}'.",
                raw_header.unwrap_or_default()
            ),
            true,
        ),
        TokenProblem::Invalid(e) => (format!("Token validation failed: {e}."), true),
    };
    (unauthorized(tenant, &message), simulated)
}

/// `/subscriptions/…/resourcegroups/…/providers/microsoft.keyvault/vaults/…` as Key Vault
/// prints a resource in its 403 message.
pub fn printed_resource(id: &ResourceId) -> String {
    id.as_str()
        .split('/')
        .map(|s| {
            if s.eq_ignore_ascii_case("resourceGroups")
                || s.eq_ignore_ascii_case("Microsoft.KeyVault")
            {
                s.to_ascii_lowercase()
            } else {
                s.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The RBAC-model 403 body (reference §4.10).
pub fn forbidden_by_rbac(
    caller: &str,
    action: &str,
    resource: &str,
    vault: &Resource,
    decision: &Decision,
) -> (Value, bool) {
    let (deny, reason, simulated) = match &decision.reason {
        DecisionReason::DeniedByDenyAssignment {
            deny_assignment_id, ..
        } => (deny_assignment_id.clone(), "DeniedWithDenyAssignment", true),
        _ => ("null".to_string(), "DeniedWithNoValidRBAC", false),
    };
    let message = format!(
        "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: {caller}\r\nAction: '{action}'\r\nResource: '{resource}'\r\nAssignment: (not found)\r\nDenyAssignmentId: {deny}\r\nDecisionReason: '{reason}' \r\nVault: {};location={}\r\n",
        vault.name, vault.location
    );
    let body = json!({
        "error": {
            "code": "Forbidden",
            "message": message,
            "innererror": { "code": "ForbiddenByRbac" }
        }
    });
    (body, simulated)
}

/// The access-policy-model 403 body (reference §4.10).
pub fn access_denied(caller: &str, action: &str, vault: &Resource) -> Value {
    let permission = match required_permission(action) {
        Some((category, permission)) => format!("{category} {permission}"),
        None => action.to_string(),
    };
    let message = format!(
        "The user, group or application '{caller}' does not have {permission} permission on key vault '{};location={}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
        vault.name, vault.location
    );
    json!({
        "error": { "code": "Forbidden", "message": message, "innererror": { "code": "AccessDenied" } }
    })
}

/// A stable 32-hex-digit object version derived from the names (FNV-1a).
fn version(vault: &str, name: &str) -> String {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in vault
        .bytes()
        .chain([b'/'])
        .chain(name.to_ascii_lowercase().bytes())
    {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    format!("{h:032x}")
}

/// Answers a request to `https://{vault}.vault.azure.net`.
pub(crate) fn handle(
    world: &World,
    platform: &mut Platform,
    vault_name: &str,
    request: HttpRequest,
) -> Exchange {
    let host = format!("{vault_name}.vault.azure.net");
    let Some(vault) = world
        .resources()
        .iter()
        .find(|r| r.kind == ResourceKind::KeyVault && r.name.eq_ignore_ascii_case(vault_name))
    else {
        return unresolved(request, &host);
    };
    let Some(tenant) = world
        .subscription(vault.subscription_id)
        .map(|s| s.tenant_id)
    else {
        return unresolved(request, &host);
    };
    let token = match validate_bearer(
        world,
        platform,
        &request,
        &tenant_issuers(tenant),
        &audiences(),
    ) {
        Ok(t) => t,
        Err(problem) => {
            let header = super::bearer(&request)
                .and_then(|t| t.split('.').next())
                .map(str::to_string);
            let (response, simulated) = token_error(tenant, &problem, header.as_deref());
            let exchange = Exchange::answered(request, response);
            return if simulated {
                exchange.simulated("This Key Vault 401 message is the simulator's best guess.")
            } else {
                exchange
            };
        }
    };
    authorize(world, vault, request, &token)
}

fn authorize(
    world: &World,
    vault: &Resource,
    request: HttpRequest,
    token: &ValidToken,
) -> Exchange {
    let Some(op) = operation(request.method, request.path()) else {
        let body = error_body(
            "BadParameter",
            "The operation is not supported by this simulator.",
        );
        return with_token(
            Exchange::answered(request, HttpResponse::json(400, &body)),
            token,
        )
        .simulated("This Key Vault operation is not modelled.");
    };
    let has_version = request
        .query_params()
        .ok()
        .is_some_and(|p| p.iter().any(|(k, _)| k == "api-version"));
    if !has_version {
        let body = error_body(
            "BadParameter",
            "The request URI contains an invalid or missing api-version parameter.",
        );
        return with_token(
            Exchange::answered(request, HttpResponse::json(400, &body)),
            token,
        )
        .simulated("Key Vault's body for a missing api-version is a guess.");
    }
    let scope = match op.kind {
        Some(kind) => vault.child_scope(kind, &op.name),
        None => vault.id.clone(),
    };
    let decision = check_access(world, token.object_id, &Action::data(op.action), &scope);
    let model = vault
        .key_vault
        .as_ref()
        .map(|k| k.permission_model)
        .unwrap_or(KeyVaultPermissionModel::Rbac);
    let caller = token.caller();
    let mut exchange = if !decision.allowed {
        match model {
            KeyVaultPermissionModel::Rbac => {
                let (body, simulated) = forbidden_by_rbac(
                    &caller,
                    op.action,
                    &printed_resource(&scope),
                    vault,
                    &decision,
                );
                let e = Exchange::answered(request, HttpResponse::json(403, &body));
                if simulated {
                    e.simulated(
                        "The DecisionReason Key Vault prints for a deny assignment is a guess.",
                    )
                } else {
                    e
                }
            }
            KeyVaultPermissionModel::AccessPolicies => {
                let body = access_denied(&caller, op.action, vault);
                Exchange::answered(request, HttpResponse::json(403, &body))
            }
        }
    } else {
        success(vault, &op, request)
    };
    exchange = with_token(exchange, token);
    exchange.decision = Some(decision);
    exchange
}

fn success(vault: &Resource, op: &Operation, request: HttpRequest) -> Exchange {
    let base = format!("https://{}.vault.azure.net", vault.name);
    let created = vault.created_at.0;
    let attributes = json!({
        "enabled": true,
        "created": created,
        "updated": created,
        "recoveryLevel": "Recoverable+Purgeable",
        "recoverableDays": 90
    });
    let exists = |kind| vault.has_child(kind, &op.name);
    let ver = version(&vault.name, &op.name);
    let body = match (op.kind, op.verb) {
        (None, _) => {
            let segment = request.path().trim_matches('/').to_string();
            let items: Vec<Value> = vault
                .children
                .iter()
                .filter(|c| c.kind.path_segment() == segment)
                .map(|c| json!({ "id": format!("{base}/{segment}/{}", c.name), "attributes": attributes }))
                .collect();
            json!({ "value": items, "nextLink": null })
        }
        (Some(ChildKind::Secret), Verb::Set) => {
            let value = serde_json::from_str::<Value>(&request.body)
                .ok()
                .and_then(|v| v.get("value").and_then(Value::as_str).map(str::to_string))
                .unwrap_or_default();
            json!({ "value": value, "id": format!("{base}/secrets/{}/{ver}", op.name), "attributes": attributes })
        }
        (Some(kind), _) if !exists(kind) => {
            let (code, what, link) = match kind {
                ChildKind::Key => ("KeyNotFound", "key", "2125182"),
                ChildKind::Certificate => ("CertificateNotFound", "certificate", "2125182"),
                _ => ("SecretNotFound", "secret", "2125182"),
            };
            let message = format!(
                "A {what} with (name/id) {} was not found in this key vault. If you recently deleted this {what} you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid={link}",
                op.name
            );
            return Exchange::answered(
                request,
                HttpResponse::json(404, &error_body(code, &message)),
            )
            .simulated("Key Vault's not-found message is quoted from memory of real responses.");
        }
        (Some(ChildKind::Secret), _) => json!({
            "value": format!("simulated-secret-value-of-{}", op.name),
            "id": format!("{base}/secrets/{}/{ver}", op.name),
            "attributes": attributes
        }),
        (Some(ChildKind::Key), Verb::Crypto) => json!({
            "kid": format!("{base}/keys/{}/{ver}", op.name),
            "value": b64url_encode(format!("simulated result of {}", op.action).as_bytes())
        }),
        (Some(ChildKind::Key), _) => json!({
            "key": {
                "kid": format!("{base}/keys/{}/{ver}", op.name),
                "kty": "RSA",
                "key_ops": ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
                "n": "simulated-modulus",
                "e": "AQAB"
            },
            "attributes": attributes
        }),
        (Some(_), _) => json!({
            "id": format!("{base}/certificates/{}/{ver}", op.name),
            "kid": format!("{base}/keys/{}/{ver}", op.name),
            "sid": format!("{base}/secrets/{}/{ver}", op.name),
            "x5t": "simulated-thumbprint",
            "cer": "simulated-certificate",
            "attributes": attributes
        }),
    };
    Exchange::answered(request, HttpResponse::json(200, &body))
        .note("Secret values and key material are placeholders.")
}
