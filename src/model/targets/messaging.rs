//! Service Bus and Event Hubs (`https://{namespace}.servicebus.windows.net`): send and
//! receive mapped to their `messages/send/action` and `messages/receive/action` data actions;
//! errors in the REST API's `<Error><Code>401</Code><Detail>…` shape (simulated).

use super::{TokenProblem, tenant_issuers, time_7, validate_bearer, with_token};
use crate::model::http::{HttpRequest, HttpResponse, Method};
use crate::model::jwt::JwtError;
use crate::model::platform::{Exchange, Platform};
use crate::model::rbac::{Action, check_access};
use crate::model::world::{ChildKind, ResourceKind, World};

fn error(status: u16, detail: &str) -> HttpResponse {
    HttpResponse::new(status)
        .with_header("Content-Type", "application/xml; charset=utf-8")
        .with_body(&format!(
            "<Error><Code>{status}</Code><Detail>{detail}</Detail></Error>"
        ))
}

/// Answers a request to a Service Bus or Event Hubs namespace.
pub(crate) fn handle(
    world: &World,
    platform: &mut Platform,
    namespace: &str,
    request: HttpRequest,
) -> Exchange {
    let host = format!("{namespace}.servicebus.windows.net");
    let Some(ns) = world.resources().iter().find(|r| {
        matches!(
            r.kind,
            ResourceKind::ServiceBusNamespace | ResourceKind::EventHubsNamespace
        ) && r.name.eq_ignore_ascii_case(namespace)
    }) else {
        return super::unresolved(request, &host);
    };
    let Some(tenant) = world.subscription(ns.subscription_id).map(|s| s.tenant_id) else {
        return super::unresolved(request, &host);
    };
    let event_hubs = ns.kind == ResourceKind::EventHubsNamespace;
    let mut audiences = vec![
        "https://servicebus.azure.net".to_string(),
        "https://servicebus.azure.net/".to_string(),
    ];
    if event_hubs {
        audiences.push("https://eventhubs.azure.net".into());
        audiences.push("https://eventhubs.azure.net/".into());
    }
    let tracking = format!(
        "TrackingId:{}_G0, SystemTracker:{host}, Timestamp:{}",
        platform.guid(),
        time_7(world)
    );
    let simulated = "Service Bus and Event Hubs error texts are simulated.";
    let token = match validate_bearer(
        world,
        platform,
        &request,
        &tenant_issuers(tenant),
        &audiences,
    ) {
        Ok(t) => t,
        Err(problem) => {
            let what = match &problem {
                TokenProblem::Missing => {
                    "MissingToken: The authorization header was not found.".to_string()
                }
                TokenProblem::Invalid(JwtError::Expired { .. }) => {
                    "ExpiredToken: The token is expired.".to_string()
                }
                TokenProblem::Invalid(JwtError::WrongIssuer { .. }) => {
                    "InvalidIssuer: Token issuer is invalid.".to_string()
                }
                TokenProblem::Invalid(JwtError::WrongAudience { found, .. }) => format!(
                    "InvalidAudience: The audience '{}' is invalid.",
                    found.join(", ")
                ),
                TokenProblem::Invalid(e) => format!("InvalidSignature: {e}."),
            };
            return Exchange::answered(request, error(401, &format!("{what} {tracking}")))
                .simulated(simulated);
        }
    };
    let path = request.path().trim_matches('/').to_string();
    let segs: Vec<&str> = path.split('/').collect();
    let (entity, verb) = match (request.method, segs.as_slice()) {
        (Method::Post, [entity, "messages"]) => (entity.to_string(), "send"),
        (Method::Post | Method::Delete, [entity, "messages", "head"]) => {
            (entity.to_string(), "receive")
        }
        _ => {
            return with_token(
                Exchange::answered(
                    request,
                    error(400, &format!("The request is not modelled. {tracking}")),
                ),
                &token,
            )
            .simulated(simulated);
        }
    };
    let provider = if event_hubs {
        "Microsoft.EventHub"
    } else {
        "Microsoft.ServiceBus"
    };
    let action = format!("{provider}/namespaces/messages/{verb}/action");
    let kind = if event_hubs {
        ChildKind::EventHub
    } else if ns.has_child(ChildKind::ServiceBusTopic, &entity) {
        ChildKind::ServiceBusTopic
    } else {
        ChildKind::ServiceBusQueue
    };
    let scope = ns.child_scope(kind, &entity);
    let decision = check_access(world, token.object_id, &Action::data(&action), &scope);
    let response = if !decision.allowed {
        let claim = if verb == "send" { "Send" } else { "Listen" };
        error(
            401,
            &format!(
                "Unauthorized access. '{claim}' claim(s) are required to perform this operation. Resource: 'sb://{host}/{entity}'. {tracking}"
            ),
        )
    } else if !ns.has_child(kind, &entity) {
        error(
            404,
            &format!("The messaging entity 'sb://{host}/{entity}' could not be found. {tracking}"),
        )
    } else if verb == "send" {
        HttpResponse::new(201).with_body("")
    } else {
        HttpResponse::new(204).with_body("")
    };
    let mut exchange =
        with_token(Exchange::answered(request, response), &token).simulated(simulated);
    exchange.decision = Some(decision);
    exchange
}
