//! IMDS at `http://169.254.169.254/metadata/identity/oauth2/token` (reference §1): reachable
//! only from code on a VM, scale set, AKS node or container instance; checks in order the
//! path, the verb, `X-Forwarded-For`, `Metadata: true`, the query (duplicates, api-version,
//! resource, selectors), then picks the identity and serves a cached or new token.

use super::{
    HostIdentity, IMDS_API_VERSIONS, IMDS_HOST, IMDS_TOKEN_PATH, Selection, Selector,
    duplicate_param, imds_token_body, is_broken, oauth_error, obtain_token, param, select,
};
use crate::model::http::{HttpRequest, HttpResponse, Method};
use crate::model::platform::{ConnectionError, Exchange, Origin, Platform};
use crate::model::world::{IdentityEndpoint, World};
use serde_json::json;

/// `Required metadata header not specified` (reference §1.3, as SDK tests and captures show).
pub const METADATA_HEADER_MISSING: &str =
    r#"{"error":"invalid_request","error_description":"Required metadata header not specified"}"#;
/// `Identity not found` (reference §1.3).
pub const IDENTITY_NOT_FOUND: &str =
    r#"{"error":"invalid_request","error_description":"Identity not found"}"#;
/// Several user-assigned identities and no selector (reference §1.1, MIFAQ).
pub const MULTIPLE_USER_ASSIGNED: &str = r#"{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}"#;
/// A verb other than GET (IMDS spec example).
pub const METHOD_NOT_ALLOWED: &str =
    r#"{"error":"method_not_allowed","error_description":"Not allowed"}"#;
/// No api-version: the body IMDS's instance endpoint returns (reference §1.3); whether the
/// identity endpoint returns the same is UNCONFIRMED.
pub const API_VERSION_MISSING: &str = r#"{"error":"Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds","newest-versions":["2020-10-01","2020-09-01","2020-07-15"]}"#;

/// Answers a request sent to 169.254.169.254 from `origin`.
pub(crate) fn handle(
    world: &World,
    platform: &mut Platform,
    origin: Origin<'_>,
    request: HttpRequest,
) -> Exchange {
    let host = match origin {
        Origin::Resource(r, IdentityEndpoint::Imds) => r,
        Origin::Resource(r, endpoint) => {
            let why = match endpoint {
                IdentityEndpoint::AppService => format!(
                    "{} is an App Service-style host: its identity endpoint is IDENTITY_ENDPOINT (localhost:4141), not IMDS, and 169.254.169.254 does not answer there.",
                    r.name
                ),
                IdentityEndpoint::ArcHimds => format!(
                    "{} is an Arc-enabled server outside Azure: no IMDS answers at 169.254.169.254; its agent listens at localhost:40342.",
                    r.name
                ),
                _ => format!("{} offers no IMDS endpoint to code.", r.name),
            };
            return Exchange::failed(request, timed_out()).simulated(&why);
        }
        Origin::Outside => {
            return Exchange::failed(request, timed_out()).simulated(
                "169.254.169.254 is a link-local address answered only inside Azure; off Azure the connection times out (the exact client error text is simulated).",
            );
        }
    };
    if !request.path().eq_ignore_ascii_case(IMDS_TOKEN_PATH) {
        let response = oauth_error(404, "not_found", "Not found");
        return Exchange::answered(request, response)
            .simulated("The 404 body is IMDS's specification example.");
    }
    if request.method != Method::Get {
        let response = HttpResponse::json_text(405, METHOD_NOT_ALLOWED);
        return Exchange::answered(request, response)
            .note("IMDS supports only GET.")
            .simulated("The 405 body is IMDS's specification example.");
    }
    if request.header("X-Forwarded-For").is_some() {
        let response = HttpResponse::json_text(400, METADATA_HEADER_MISSING);
        return Exchange::answered(request, response).simulated(
            "IMDS rejects any request carrying X-Forwarded-For (it must not be used behind a proxy); the body returned is a guess.",
        );
    }
    if request.header("Metadata") != Some("true") {
        let response = HttpResponse::json_text(400, METADATA_HEADER_MISSING);
        return Exchange::answered(request, response)
            .note("The Metadata header must be present and exactly \"true\", in lower case.");
    }
    let params = match request.query_params() {
        Ok(p) => p,
        Err(e) => {
            let response = oauth_error(400, "invalid_request", "Bad request");
            return Exchange::answered(request, response)
                .simulated(&format!("The query string does not decode: {e}."));
        }
    };
    if let Some(name) = duplicate_param(&params) {
        let description = format!("Duplicate query parameter '{name}'");
        let response = oauth_error(400, "invalid_request", &description);
        return Exchange::answered(request, response).simulated(
            "IMDS rejects requests with duplicate query parameter names; the body is a guess.",
        );
    }
    let Some(version) = param(&params, "api-version") else {
        let response = HttpResponse::json_text(400, API_VERSION_MISSING);
        return Exchange::answered(request, response).simulated(
            "This is the body IMDS's instance endpoint returns without api-version; the identity endpoint's is unconfirmed.",
        );
    };
    if !IMDS_API_VERSIONS.contains(&version) {
        let body = json!({
            "error": "Bad request. api-version is invalid or was not specified in the request. For more information refer to aka.ms/azureimds",
            "newest-versions": ["2020-10-01", "2020-09-01", "2020-07-15"],
        });
        return Exchange::answered(request, HttpResponse::json(400, &body)).simulated(
            "Token requests need api-version 2018-02-01 or later from the supported list; the body is a guess.",
        );
    }
    let resource = match param(&params, "resource") {
        Some(r) if !r.trim().is_empty() => r.to_string(),
        _ => {
            let response = oauth_error(
                400,
                "invalid_request",
                "Required query variable 'resource' is missing",
            );
            return Exchange::answered(request, response)
                .simulated("The body for a missing resource is a guess.");
        }
    };
    let bypass_cache = match param(&params, "bypass_cache") {
        None => false,
        Some("true") => true,
        Some(_) => {
            let response = oauth_error(
                400,
                "invalid_request",
                "bypass_cache, if provided, must be 'true'",
            );
            return Exchange::answered(request, response).simulated(
                "bypass_cache is in the 2023-07-01 specification only; the body is a guess.",
            );
        }
    };
    let selectors: Vec<Selector> = [
        param(&params, "client_id").map(|v| Selector::Client(v.to_string())),
        param(&params, "object_id").map(|v| Selector::Object(v.to_string())),
        param(&params, "msi_res_id").map(|v| Selector::Resource(v.to_string())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if selectors.len() > 1 {
        let response = oauth_error(
            400,
            "invalid_request",
            "Only one of client_id, object_id or msi_res_id may be specified",
        );
        return Exchange::answered(request, response).simulated(
            "client_id, object_id and msi_res_id are mutually exclusive; the body is a guess.",
        );
    }
    let mut notes = Vec::new();
    if param(&params, "mi_res_id").is_some() {
        notes.push("IMDS documents msi_res_id; mi_res_id is App Service's name and is ignored here, so the default identity rules apply.".to_string());
    }
    let identity = match select(world, host, selectors.first(), true) {
        Selection::Found(i) => i,
        Selection::NotFound => {
            let why = if selectors.is_empty() {
                format!("{} has no managed identity assigned.", host.name)
            } else {
                format!("The requested identity is not assigned to {}.", host.name)
            };
            return with_notes(
                Exchange::answered(request, HttpResponse::json_text(400, IDENTITY_NOT_FOUND)),
                notes,
            )
            .note(&why);
        }
        Selection::Multiple => {
            return with_notes(
                Exchange::answered(request, HttpResponse::json_text(400, MULTIPLE_USER_ASSIGNED)),
                notes,
            )
            .note("No system-assigned identity and several user-assigned ones: the request must name one.");
        }
    };
    if is_broken(world, host, &identity) {
        return broken(request, &identity);
    }
    let (token, source) =
        match obtain_token(world, platform, host, &identity, &resource, bypass_cache) {
            Ok(t) => t,
            Err(e) => {
                let response = oauth_error(500, "server_error", "Server error");
                return Exchange::answered(request, response)
                    .simulated(&format!("Entra ID could not sign the token: {e}."));
            }
        };
    let now = world.now().0;
    let body = imds_token_body(&token, identity.client_id, &resource, now);
    let mut exchange = with_notes(
        Exchange::answered(request, HttpResponse::json(200, &body)),
        notes,
    );
    exchange.token = Some(token);
    exchange.token_source = Some(source);
    if bypass_cache {
        exchange = exchange.simulated(
            "bypass_cache=true fetched a new token from Entra ID; the reference marks whether IMDS honours it as unconfirmed.",
        );
    }
    exchange
}

fn timed_out() -> ConnectionError {
    ConnectionError::TimedOut {
        address: format!("{IMDS_HOST}:80"),
    }
}

fn with_notes(mut exchange: Exchange, notes: Vec<String>) -> Exchange {
    for n in notes {
        exchange = exchange.note(&n);
    }
    exchange
}

/// The answer for an identity left behind by a tenant transfer: Entra ID no longer issues
/// its tokens. The body is VMTOKEN's documented 500 (UNCONFIRMED for this case).
pub(crate) fn broken(request: HttpRequest, identity: &HostIdentity) -> Exchange {
    let response = oauth_error(
        500,
        "unknown",
        "Failed to retrieve token from the Active directory. For details see logs in /var/lib/waagent/ManagedIdentity-Settings",
    );
    let remedy = if identity.label == "system-assigned" {
        "disable and re-enable the system-assigned identity"
    } else {
        "delete the user-assigned identity, re-create it and re-attach it"
    };
    Exchange::answered(request, response).simulated(&format!(
        "This identity is broken: its subscription moved to another directory (or its service principal is gone). To fix it, {remedy}."
    ))
}
