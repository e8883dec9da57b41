//! Azure Arc's HIMDS at `localhost:40342` (reference §2.2): a first GET with
//! `Metadata: true` gets 401 and `WWW-Authenticate: Basic realm=<key file>`; the caller reads
//! the file and repeats the GET with `Authorization: Basic <contents>`. System-assigned only.

use super::imds::{API_VERSION_MISSING, IDENTITY_NOT_FOUND, METADATA_HEADER_MISSING};
use super::{
    ARC_PORT, IMDS_TOKEN_PATH, Selection, duplicate_param, imds_token_body, is_broken, oauth_error,
    obtain_token, param, select,
};
use crate::model::http::{HttpRequest, HttpResponse, Method};
use crate::model::platform::{ConnectionError, Exchange, Origin, Platform};
use crate::model::world::{IdentityEndpoint, World};

/// Answers a request sent to `localhost:40342` from `origin`.
pub(crate) fn handle(
    world: &World,
    platform: &mut Platform,
    origin: Origin<'_>,
    request: HttpRequest,
) -> Exchange {
    let Origin::Resource(host, IdentityEndpoint::ArcHimds) = origin else {
        return Exchange::failed(
            request,
            ConnectionError::Refused {
                address: format!("127.0.0.1:{ARC_PORT}"),
            },
        )
        .simulated("Only an Arc-enabled server runs HIMDS on port 40342.");
    };
    if !request.path().eq_ignore_ascii_case(IMDS_TOKEN_PATH) {
        return Exchange::answered(request, oauth_error(404, "not_found", "Not found"))
            .simulated("HIMDS's 404 body is a guess.");
    }
    if request.method != Method::Get {
        return Exchange::answered(
            request,
            oauth_error(405, "method_not_allowed", "Not allowed"),
        )
        .simulated("HIMDS's 405 body is a guess (IMDS's).");
    }
    if request.header("Metadata") != Some("true") {
        return Exchange::answered(
            request,
            HttpResponse::json_text(400, METADATA_HEADER_MISSING),
        )
        .simulated("HIMDS, like IMDS, requires Metadata: true; its body is assumed to be IMDS's.");
    }
    let params = match request.query_params() {
        Ok(p) => p,
        Err(e) => {
            return Exchange::answered(request, oauth_error(400, "invalid_request", "Bad request"))
                .simulated(&format!("The query does not decode: {e}."));
        }
    };
    if let Some(name) = duplicate_param(&params) {
        let description = format!("Duplicate query parameter '{name}'");
        return Exchange::answered(request, oauth_error(400, "invalid_request", &description))
            .simulated("The body for duplicate parameters is a guess.");
    }
    if param(&params, "api-version").is_none() {
        return Exchange::answered(request, HttpResponse::json_text(400, API_VERSION_MISSING))
            .simulated("HIMDS's body without api-version is assumed to be IMDS's.");
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
    if ["client_id", "object_id", "msi_res_id", "mi_res_id"]
        .iter()
        .any(|p| param(&params, p).is_some())
    {
        let response = oauth_error(
            400,
            "invalid_request",
            "User assigned managed identities are not supported by Azure Arc",
        );
        return Exchange::answered(request, response)
            .note("Azure Arc supports the machine's system-assigned identity only; the SDKs refuse a user-assigned id before sending.")
            .simulated("HIMDS's answer to an identity selector is a guess.");
    }
    let Some(authorization) = request.header("Authorization") else {
        let file = platform.new_arc_key_file(&host.id);
        let response = HttpResponse::new(401)
            .with_header("WWW-Authenticate", &format!("Basic realm={}", file.path))
            .with_body("");
        return Exchange::answered(request, response)
            .note(&format!(
                "The challenge: HIMDS wrote a secret to {}; read it (root or the himds group) and send it back as Authorization: Basic <contents>.",
                file.path
            ))
            .simulated("The 401 challenge's body (empty here) is unconfirmed; the WWW-Authenticate header is documented.");
    };
    let secret = platform.arc_key_file(&host.id).map(|k| k.secret.clone());
    let given = authorization.strip_prefix("Basic ").map(str::trim);
    if secret.is_none() || given != secret.as_deref() {
        let response = oauth_error(401, "unauthorized_client", "Invalid Authorization header");
        return Exchange::answered(request, response)
            .note("The Authorization header must carry the contents of the key file named by the latest challenge.")
            .simulated("HIMDS's body for a wrong secret is a guess.");
    }
    let identity = match select(world, host, None, false) {
        Selection::Found(i) => i,
        _ => {
            return Exchange::answered(request, HttpResponse::json_text(400, IDENTITY_NOT_FOUND))
                .note(&format!("{} has no system-assigned identity.", host.name))
                .simulated("HIMDS's body for a machine without identity is assumed to be IMDS's.");
        }
    };
    if is_broken(world, host, &identity) {
        return super::imds::broken(request, &identity);
    }
    let (token, source) = match obtain_token(world, platform, host, &identity, &resource, false) {
        Ok(t) => t,
        Err(e) => {
            return Exchange::answered(request, oauth_error(500, "server_error", "Server error"))
                .simulated(&format!("Entra ID could not sign the token: {e}."));
        }
    };
    let now = world.now().0;
    let body = imds_token_body(&token, identity.client_id, &resource, now);
    let mut exchange = Exchange::answered(request, HttpResponse::json(200, &body))
        .simulated("HIMDS's token body is assumed to have IMDS's members and order.");
    exchange.token = Some(token);
    exchange.token_source = Some(source);
    exchange
}
