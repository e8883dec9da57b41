//! Azure Resource Manager (`https://management.azure.com`): control-plane actions derived
//! from method and path (`…/read`, `…/write`, `…/delete`, POST `…/{action}/action`), and
//! the `AuthorizationFailed` 403 with its "refresh your credentials" suffix (§4.10).

use super::{TokenProblem, all_issuers, tenant_issuers, validate_bearer, with_token};
use crate::model::http::{HttpRequest, HttpResponse, Method};
use crate::model::ids::ResourceId;
use crate::model::jwt::JwtError;
use crate::model::platform::{Exchange, Platform};
use crate::model::rbac::{Action, check_access};
use crate::model::world::{World, resource_json};
use serde_json::{Value, json};

/// The audiences ARM accepts.
pub const AUDIENCES: [&str; 4] = [
    "https://management.core.windows.net/",
    "https://management.core.windows.net",
    "https://management.azure.com/",
    "https://management.azure.com",
];

/// The control-plane action and scope of an ARM request path.
pub fn operation(method: Method, path: &str) -> Option<(String, ResourceId)> {
    let trimmed = path.trim_end_matches('/');
    let segs: Vec<&str> = trimmed.split('/').skip(1).collect();
    let verb = match method {
        Method::Get | Method::Head => "read",
        Method::Put | Method::Patch => "write",
        Method::Delete => "delete",
        _ => "action",
    };
    if segs.len() < 2 || !segs[0].eq_ignore_ascii_case("subscriptions") {
        return None;
    }
    let providers = segs
        .iter()
        .position(|s| s.eq_ignore_ascii_case("providers"));
    let Some(p) = providers else {
        return match segs.len() {
            2 if verb == "read" => Some((
                "Microsoft.Resources/subscriptions/read".into(),
                ResourceId(trimmed.into()),
            )),
            4 if segs[2].eq_ignore_ascii_case("resourceGroups") && verb != "action" => Some((
                format!("Microsoft.Resources/subscriptions/resourceGroups/{verb}"),
                ResourceId(trimmed.into()),
            )),
            _ => None,
        };
    };
    let rest = &segs[p + 1..];
    let namespace = rest.first()?;
    let tail = &rest[1..];
    let mut types = vec![namespace.to_string()];
    let mut i = 0;
    let mut scope_len = p + 2;
    while i < tail.len() {
        let remaining = tail.len() - i;
        if remaining == 1 && verb == "action" {
            types.push(tail[i].to_string());
            let action = format!("{}/action", types.join("/"));
            let scope = format!("/{}", segs[..scope_len].join("/"));
            return Some((action, ResourceId(scope)));
        }
        types.push(tail[i].to_string());
        scope_len += if remaining >= 2 { 2 } else { 1 };
        i += 2;
    }
    if verb == "action" {
        return None;
    }
    let scope = if tail.len() % 2 == 1 {
        // A list: the scope is the parent.
        format!("/{}", segs[..p].join("/"))
    } else {
        trimmed.to_string()
    };
    Some((format!("{}/{verb}", types.join("/")), ResourceId(scope)))
}

fn arm_error(status: u16, code: &str, message: &str) -> HttpResponse {
    HttpResponse::json(
        status,
        &json!({ "error": { "code": code, "message": message } }),
    )
}

fn token_error(problem: &TokenProblem, now_label: &str) -> HttpResponse {
    match problem {
        TokenProblem::Missing => arm_error(
            401,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.",
        ),
        TokenProblem::Invalid(JwtError::WrongAudience { found, .. }) => arm_error(
            401,
            "InvalidAuthenticationTokenAudience",
            &format!(
                "The access token has been obtained for wrong audience or resource '{}'. It should exactly match with one of the allowed audiences '{}'.",
                found.join(","),
                AUDIENCES.join("','")
            ),
        ),
        TokenProblem::Invalid(JwtError::WrongIssuer { expected, found }) => arm_error(
            401,
            "InvalidAuthenticationTokenTenant",
            &format!(
                "The access token is from the wrong issuer '{found}'. It must match the tenant '{}' associated with this subscription. Please use the authority (URL) '{}' to get the token.",
                expected.first().cloned().unwrap_or_default(),
                expected
                    .first()
                    .map(|i| i
                        .replace("https://sts.windows.net/", "https://login.windows.net/")
                        .trim_end_matches('/')
                        .to_string())
                    .unwrap_or_default()
            ),
        ),
        TokenProblem::Invalid(JwtError::Expired { .. }) => arm_error(
            401,
            "ExpiredAuthenticationToken",
            &format!(
                "The access token expiry UTC time is earlier than current UTC time '{now_label}'."
            ),
        ),
        TokenProblem::Invalid(_) => arm_error(
            401,
            "InvalidAuthenticationToken",
            "The access token is invalid.",
        ),
    }
}

/// Answers a request to `https://management.azure.com`.
pub(crate) fn handle(world: &World, platform: &mut Platform, request: HttpRequest) -> Exchange {
    let path = request.path().to_string();
    let sub = path.split('/').nth(2).and_then(|id| {
        world
            .subscriptions()
            .iter()
            .find(|s| s.id.to_string().eq_ignore_ascii_case(id))
    });
    let issuers = match sub {
        Some(s) => tenant_issuers(s.tenant_id),
        None => all_issuers(world),
    };
    let audiences: Vec<String> = AUDIENCES.iter().map(|s| s.to_string()).collect();
    let token = match validate_bearer(world, platform, &request, &issuers, &audiences) {
        Ok(t) => t,
        Err(problem) => {
            let response = token_error(&problem, &world.now().iso8601());
            let e = Exchange::answered(request, response);
            return match problem {
                TokenProblem::Missing => e,
                _ => e.simulated("ARM's 401 texts here are recalled from real responses, not from the reference."),
            };
        }
    };
    let has_version = request
        .query_params()
        .ok()
        .is_some_and(|p| p.iter().any(|(k, _)| k == "api-version"));
    if !has_version {
        let response = arm_error(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        );
        return with_token(Exchange::answered(request, response), &token)
            .simulated("ARM's missing api-version text is recalled, not from the reference.");
    }
    let Some((action, scope)) = operation(request.method, &path) else {
        let response = arm_error(
            400,
            "InvalidRequestUri",
            "The request URI is not a resource path the simulator models.",
        );
        return with_token(Exchange::answered(request, response), &token)
            .simulated("This ARM path is not modelled.");
    };
    let decision = check_access(world, token.object_id, &Action::control(&action), &scope);
    let mut exchange = if !decision.allowed {
        let message = format!(
            "The client '{oid}' with object id '{oid}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
            oid = token.object_id
        );
        Exchange::answered(request, arm_error(403, "AuthorizationFailed", &message))
    } else {
        success(world, request, &scope)
    };
    exchange = with_token(exchange, &token);
    exchange.decision = Some(decision);
    exchange
}

fn success(world: &World, request: HttpRequest, scope: &ResourceId) -> Exchange {
    if request.method != Method::Get {
        return Exchange::answered(request, HttpResponse::json(200, &json!({})))
            .simulated("ARM writes through HTTP do not change the simulated world; use commands.");
    }
    if let Some(r) = world.resource(scope) {
        return Exchange::answered(request, HttpResponse::json(200, &resource_json(world, r)));
    }
    match world.resolve_scope(scope.as_str()) {
        Ok(resolved) => {
            let body: Value = json!({ "id": resolved.id.to_string(), "name": resolved.id.name(), "properties": { "provisioningState": "Succeeded" } });
            Exchange::answered(request, HttpResponse::json(200, &body))
                .simulated("The simulator returns a short body for this scope.")
        }
        Err(_) => {
            let message = format!(
                "The Resource '{}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
                scope.name()
            );
            Exchange::answered(request, arm_error(404, "ResourceNotFound", &message))
                .simulated("ARM's not-found text is abbreviated.")
        }
    }
}
