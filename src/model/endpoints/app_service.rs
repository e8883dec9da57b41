//! The App Service / Azure Functions local token endpoint (reference §2.1):
//! `GET {IDENTITY_ENDPOINT}?resource=…&api-version=2019-08-01` with `X-IDENTITY-HEADER`,
//! selectors `client_id`, `principal_id` (alias `object_id`) and `mi_res_id`, and the
//! five-member response. Error bodies are UNCONFIRMED and marked simulated.

use super::{
    APP_SERVICE_API_VERSION, APP_SERVICE_PATH, APP_SERVICE_PORT, Selection, Selector,
    duplicate_param, is_broken, obtain_token, param, select,
};
use crate::model::http::{HttpRequest, HttpResponse, Method};
use crate::model::platform::{ConnectionError, Exchange, Origin, Platform};
use crate::model::world::{IdentityEndpoint, World};
use serde_json::{Map, Value, json};

/// App Service's error shape as MSAL Python reads it (`statusCode`, `message`); simulated.
fn error(platform: &mut Platform, status: u16, message: &str) -> HttpResponse {
    let body = json!({
        "statusCode": status,
        "message": message,
        "correlationId": platform.guid().to_string(),
    });
    HttpResponse::json(status, &body)
}

/// Answers a request sent to `localhost:4141` from `origin`.
pub(crate) fn handle(
    world: &World,
    platform: &mut Platform,
    origin: Origin<'_>,
    request: HttpRequest,
) -> Exchange {
    let Origin::Resource(host, IdentityEndpoint::AppService) = origin else {
        return Exchange::failed(
            request,
            ConnectionError::Refused {
                address: format!("127.0.0.1:{APP_SERVICE_PORT}"),
            },
        )
        .simulated("Only App Service, Functions, Logic Apps and Automation hosts run the local token service.");
    };
    let fail = |platform: &mut Platform,
                request: HttpRequest,
                status: u16,
                message: &str,
                why: &str| {
        let response = error(platform, status, message);
        Exchange::answered(request, response)
            .note(why)
            .simulated("App Service's exact error bodies are unconfirmed; this shape (statusCode, message) is what MSAL Python parses.")
    };
    if !request.path().eq_ignore_ascii_case(APP_SERVICE_PATH) {
        return fail(
            platform,
            request,
            404,
            "Not Found",
            "The token path is /MSI/token.",
        );
    }
    if request.method != Method::Get {
        return fail(
            platform,
            request,
            405,
            "Method Not Allowed",
            "The token endpoint takes GET only.",
        );
    }
    let expected = platform.identity_header(&host.id);
    match request.header("X-IDENTITY-HEADER") {
        None => {
            return fail(
                platform,
                request,
                400,
                "Missing X-IDENTITY-HEADER header",
                "Requests must carry X-IDENTITY-HEADER with the IDENTITY_HEADER value (an SSRF defence).",
            );
        }
        Some(given) if given != expected => {
            return fail(
                platform,
                request,
                401,
                "Invalid X-IDENTITY-HEADER header",
                "X-IDENTITY-HEADER does not match this site's IDENTITY_HEADER (the platform rotates it).",
            );
        }
        Some(_) => {}
    }
    let params = match request.query_params() {
        Ok(p) => p,
        Err(e) => {
            return fail(
                platform,
                request,
                400,
                "Bad Request",
                &format!("The query does not decode: {e}."),
            );
        }
    };
    if let Some(name) = duplicate_param(&params) {
        let why = format!("The parameter {name} appears twice.");
        return fail(platform, request, 400, "Bad Request", &why);
    }
    if param(&params, "api-version") != Some(APP_SERVICE_API_VERSION) {
        return fail(
            platform,
            request,
            400,
            "api-version must be 2019-08-01",
            "IDENTITY_ENDPOINT takes api-version 2019-08-01.",
        );
    }
    let resource = match param(&params, "resource") {
        Some(r) if !r.trim().is_empty() => r.to_string(),
        _ => {
            return fail(
                platform,
                request,
                400,
                "resource is required",
                "The request names no resource.",
            );
        }
    };
    let object = param(&params, "principal_id").or_else(|| param(&params, "object_id"));
    let selectors: Vec<Selector> = [
        param(&params, "client_id").map(|v| Selector::Client(v.to_string())),
        object.map(|v| Selector::Object(v.to_string())),
        param(&params, "mi_res_id").map(|v| Selector::Resource(v.to_string())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if selectors.len() > 1 {
        return fail(
            platform,
            request,
            400,
            "Only one of client_id, principal_id or mi_res_id may be specified",
            "client_id, principal_id (object_id) and mi_res_id are mutually exclusive.",
        );
    }
    let identity = match select(world, host, selectors.first(), false) {
        Selection::Found(i) => i,
        Selection::NotFound | Selection::Multiple => {
            let why = if selectors.is_empty() {
                format!(
                    "{} has no system-assigned identity, and the request names no user-assigned one.",
                    host.name
                )
            } else {
                format!("The requested identity is not assigned to {}.", host.name)
            };
            return fail(
                platform,
                request,
                400,
                "Unable to load the proper Managed Identity.",
                &why,
            );
        }
    };
    if is_broken(world, host, &identity) {
        return super::imds::broken(request, &identity);
    }
    let (token, source) = match obtain_token(world, platform, host, &identity, &resource, false) {
        Ok(t) => t,
        Err(e) => {
            return fail(
                platform,
                request,
                500,
                "Internal Server Error",
                &e.to_string(),
            );
        }
    };
    let mut body = Map::new();
    body.insert("access_token".into(), json!(token.token));
    body.insert("expires_on".into(), json!(token.expires_on.to_string()));
    body.insert("resource".into(), json!(resource));
    body.insert("token_type".into(), json!("Bearer"));
    body.insert("client_id".into(), json!(identity.client_id.to_string()));
    let mut exchange = Exchange::answered(request, HttpResponse::json(200, &Value::Object(body)));
    exchange.token = Some(token);
    exchange.token_source = Some(source);
    exchange
}
