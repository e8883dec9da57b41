//! Microsoft Graph (`https://graph.microsoft.com`): app-only calls authorized by the
//! token's `roles` claim, so a token cached before an app role was granted still fails with
//! `Authorization_RequestDenied`.

use super::{TokenProblem, ValidToken, all_issuers, validate_bearer, with_token};
use crate::model::http::{HttpRequest, HttpResponse, Method};
use crate::model::jwt::JwtError;
use crate::model::platform::{Exchange, Platform};
use crate::model::rbac::{Decision, DecisionReason, Suggestion, TraceKind, TraceLine};
use crate::model::world::{GRAPH_APP_ID, World};
use serde_json::{Value, json};

/// The audiences Graph accepts.
pub fn audiences() -> Vec<String> {
    vec![
        "https://graph.microsoft.com".to_string(),
        "https://graph.microsoft.com/".to_string(),
        GRAPH_APP_ID.to_string(),
    ]
}

/// The application permissions that allow a collection read (the first is least privilege).
pub fn required_roles(collection: &str) -> Option<&'static [&'static str]> {
    match collection.to_ascii_lowercase().as_str() {
        "users" => Some(&["User.Read.All", "Directory.Read.All"]),
        "groups" => Some(&["Group.Read.All", "Directory.Read.All"]),
        "serviceprincipals" | "applications" => {
            Some(&["Application.Read.All", "Directory.Read.All"])
        }
        _ => None,
    }
}

fn graph_error(
    platform: &mut Platform,
    world: &World,
    status: u16,
    code: &str,
    message: &str,
) -> HttpResponse {
    let date = world.now().iso8601().trim_end_matches('Z').to_string();
    let body = json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": date,
                "request-id": platform.guid().to_string(),
                "client-request-id": platform.guid().to_string()
            }
        }
    });
    HttpResponse::json(status, &body)
}

/// The decision Graph takes from the token's `roles` claim.
pub fn roles_decision(token: &ValidToken, needed: &[&str]) -> Decision {
    let held = token.roles();
    let found = needed
        .iter()
        .find(|n| held.iter().any(|h| h.eq_ignore_ascii_case(n)));
    let question = TraceLine {
        kind: TraceKind::Question,
        text: format!(
            "Does the token's roles claim hold one of {}?",
            needed.join(", ")
        ),
        decisive: false,
    };
    let line = TraceLine {
        kind: TraceKind::AppRole,
        text: if held.is_empty() {
            "The token has no roles claim (app roles are read when the token is issued: a token cached before a grant has none)".to_string()
        } else {
            format!("The token's roles claim holds {}", held.join(", "))
        },
        decisive: true,
    };
    let first = needed.first().copied().unwrap_or_default().to_string();
    match found {
        Some(role) => Decision {
            allowed: true,
            reason: DecisionReason::AllowedByAppRole {
                app_role: role.to_string(),
            },
            trace: vec![question, line],
            suggestion: None,
        },
        None => Decision {
            allowed: false,
            reason: DecisionReason::NoAppRole {
                app_role: first.clone(),
            },
            trace: vec![question, line],
            suggestion: Some(Suggestion::GrantAppRole { app_role: first }),
        },
    }
}

/// Answers a request to `https://graph.microsoft.com`.
pub(crate) fn handle(world: &World, platform: &mut Platform, request: HttpRequest) -> Exchange {
    let token = match validate_bearer(world, platform, &request, &all_issuers(world), &audiences())
    {
        Ok(t) => t,
        Err(problem) => {
            let message = match &problem {
                TokenProblem::Missing => "Access token is empty.".to_string(),
                TokenProblem::Invalid(JwtError::WrongAudience { .. }) => {
                    "Access token validation failure. Invalid audience.".to_string()
                }
                TokenProblem::Invalid(JwtError::Expired { .. } | JwtError::NotYetValid { .. }) => {
                    "Lifetime validation failed, the token is expired.".to_string()
                }
                TokenProblem::Invalid(_) => "Access token validation failure.".to_string(),
            };
            let response =
                graph_error(platform, world, 401, "InvalidAuthenticationToken", &message);
            return Exchange::answered(request, response).simulated(
                "Graph's 401 messages are recalled from real responses, not from the reference.",
            );
        }
    };
    let path = request.path().trim_matches('/').to_string();
    let mut segs = path.split('/');
    let version = segs.next().unwrap_or_default().to_string();
    let collection = segs.next().unwrap_or_default().to_string();
    let needed = match (request.method, required_roles(&collection)) {
        (Method::Get, Some(n)) if version == "v1.0" || version == "beta" => n,
        _ => {
            let message = format!("Resource not found for the segment '{collection}'.");
            let response = graph_error(platform, world, 400, "BadRequest", &message);
            return with_token(Exchange::answered(request, response), &token)
                .simulated("This Graph call is not modelled.");
        }
    };
    let decision = roles_decision(&token, needed);
    let mut exchange = if decision.allowed {
        let value: Vec<Value> = if collection.eq_ignore_ascii_case("servicePrincipals") {
            world
                .tenants()
                .iter()
                .filter(|t| t.id.to_string() == token.tenant)
                .flat_map(|t| t.service_principals.iter())
                .map(|sp| json!({ "id": sp.object_id.to_string(), "appId": sp.app_id.to_string(), "displayName": sp.display_name, "servicePrincipalType": sp.service_principal_type.to_string() }))
                .collect()
        } else {
            Vec::new()
        };
        let body = json!({ "@odata.context": format!("https://graph.microsoft.com/{version}/$metadata#{collection}"), "value": value });
        Exchange::answered(request, HttpResponse::json(200, &body))
    } else {
        let response = graph_error(
            platform,
            world,
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        );
        Exchange::answered(request, response)
    };
    exchange = with_token(exchange, &token);
    exchange.decision = Some(decision);
    exchange
}
