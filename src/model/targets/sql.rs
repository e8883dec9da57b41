//! Azure SQL with an Entra token. SQL speaks TDS on port 1433, not HTTP; the simulator shows
//! the login as a request to `https://{server}.database.windows.net/{database}` so it fits
//! the same exchange. A login succeeds when the database has a contained user created for
//! the token's principal; otherwise SQL's error 18456 (simulated).

use super::{tenant_issuers, validate_bearer, with_token};
use crate::model::http::{HttpRequest, HttpResponse};
use crate::model::platform::{Exchange, Platform};
use crate::model::rbac::{Decision, DecisionReason, TraceKind, TraceLine};
use crate::model::world::{ChildKind, ResourceKind, World};
use serde_json::json;

/// The audiences Azure SQL accepts.
pub const AUDIENCES: [&str; 2] = [
    "https://database.windows.net/",
    "https://database.windows.net",
];

/// The login failure SQL reports for a token it cannot map to a user.
pub const LOGIN_FAILED: &str = "Login failed for user '<token-identified principal>'.";

fn sql_error(number: u32, message: &str) -> HttpResponse {
    HttpResponse::json(
        401,
        &json!({ "error": { "number": number, "state": 1, "class": 14, "message": message } }),
    )
}

/// Answers a login to `{server}.database.windows.net` for the database named by the path.
pub(crate) fn handle(
    world: &World,
    platform: &mut Platform,
    server_name: &str,
    request: HttpRequest,
) -> Exchange {
    let host = format!("{server_name}.database.windows.net");
    let Some(server) = world
        .resources()
        .iter()
        .find(|r| r.kind == ResourceKind::SqlServer && r.name.eq_ignore_ascii_case(server_name))
    else {
        return super::unresolved(request, &host);
    };
    let Some(tenant) = world
        .subscription(server.subscription_id)
        .map(|s| s.tenant_id)
    else {
        return super::unresolved(request, &host);
    };
    let simulated = "SQL speaks TDS, not HTTP: this login is drawn as an HTTP exchange and its error shape is simulated.";
    let audiences: Vec<String> = AUDIENCES.iter().map(|s| s.to_string()).collect();
    let token = match validate_bearer(
        world,
        platform,
        &request,
        &tenant_issuers(tenant),
        &audiences,
    ) {
        Ok(t) => t,
        Err(problem) => {
            let e =
                Exchange::answered(request, sql_error(18456, LOGIN_FAILED)).simulated(simulated);
            return e.note(&format!("The token was refused: {problem:?}."));
        }
    };
    let database = request.path().trim_matches('/').to_string();
    if !server.has_child(ChildKind::Database, &database) {
        let message = format!(
            "Cannot open database \"{database}\" requested by the login. The login failed."
        );
        return with_token(
            Exchange::answered(request, sql_error(4060, &message)),
            &token,
        )
        .simulated(simulated);
    }
    let user = platform.contained_users().iter().find(|u| {
        u.server.same_as(&server.id)
            && u.database.eq_ignore_ascii_case(&database)
            && Some(u.app_id) == token.client_id()
    });
    let question = TraceLine {
        kind: TraceKind::Question,
        text: format!(
            "Is there a contained user in {database} for app id {}?",
            token.app_id
        ),
        decisive: false,
    };
    let (allowed, text) = match user {
        Some(u) => (true, format!("Contained user [{}] was created FROM EXTERNAL PROVIDER for this app id", u.name)),
        None => (false, "No contained user maps to this principal: run CREATE USER [<identity name>] FROM EXTERNAL PROVIDER in the database".to_string()),
    };
    let decision = Decision {
        allowed,
        reason: if allowed {
            DecisionReason::AllowedByAppRole {
                app_role: "contained database user".into(),
            }
        } else {
            DecisionReason::NoRoleAssignment
        },
        trace: vec![
            question,
            TraceLine {
                kind: TraceKind::Result,
                text,
                decisive: true,
            },
        ],
        suggestion: None,
    };
    let response = match user {
        Some(u) => HttpResponse::json(
            200,
            &json!({ "database": database, "user": u.name, "result": "Login succeeded" }),
        ),
        None => sql_error(18456, LOGIN_FAILED),
    };
    let mut exchange =
        with_token(Exchange::answered(request, response), &token).simulated(simulated);
    exchange.decision = Some(decision);
    exchange
}
