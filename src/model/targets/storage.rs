//! Azure Storage data planes (blob, queue, table) with Entra ID tokens: operations mapped to
//! `Microsoft.Storage/storageAccounts/…` data actions, the XML `AuthorizationPermissionMismatch`
//! 403 with `x-ms-error-code`, and the 401 `InvalidAuthenticationInfo` with its
//! `AuthenticationErrorDetail` (reference §4.10).

use super::{
    TokenProblem, ValidToken, tenant_issuers, time_7, unresolved, validate_bearer, with_token,
};
use crate::model::http::{HttpRequest, HttpResponse, Method};
use crate::model::ids::TenantId;
use crate::model::jwt::JwtError;
use crate::model::platform::{Exchange, Platform};
use crate::model::rbac::{Action, check_access};
use crate::model::world::{ChildKind, Resource, ResourceKind, World};
use serde_json::json;

/// Which storage service a host names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StorageService {
    /// `{account}.blob.core.windows.net`.
    Blob,
    /// `{account}.queue.core.windows.net`.
    Queue,
    /// `{account}.table.core.windows.net`.
    Table,
}

impl StorageService {
    fn host_part(self) -> &'static str {
        match self {
            StorageService::Blob => "blob",
            StorageService::Queue => "queue",
            StorageService::Table => "table",
        }
    }

    fn child(self) -> ChildKind {
        match self {
            StorageService::Blob => ChildKind::BlobContainer,
            StorageService::Queue => ChildKind::Queue,
            StorageService::Table => ChildKind::Table,
        }
    }
}

/// The audiences Storage accepts for an account and service.
pub fn audiences(account: &str, service: StorageService) -> Vec<String> {
    let host = format!("https://{account}.{}.core.windows.net", service.host_part());
    vec![
        "https://storage.azure.com/".to_string(),
        "https://storage.azure.com".to_string(),
        format!("{host}/"),
        host,
    ]
}

/// The data action and the container/queue/table an operation needs.
pub fn operation(
    service: StorageService,
    method: Method,
    path: &str,
) -> Option<(&'static str, String)> {
    let path = path.trim_start_matches('/');
    let (first, rest) = path.split_once('/').unwrap_or((path, ""));
    if first.is_empty() {
        return None;
    }
    let action = match service {
        StorageService::Blob => match method {
            Method::Get | Method::Head => {
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
            }
            Method::Put => "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
            Method::Delete => {
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"
            }
            _ => return None,
        },
        StorageService::Queue => {
            if !rest.starts_with("messages") {
                return None;
            }
            match method {
                Method::Get => {
                    "Microsoft.Storage/storageAccounts/queueServices/queues/messages/read"
                }
                Method::Post => {
                    "Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action"
                }
                Method::Delete => {
                    "Microsoft.Storage/storageAccounts/queueServices/queues/messages/delete"
                }
                _ => return None,
            }
        }
        StorageService::Table => match method {
            Method::Get => "Microsoft.Storage/storageAccounts/tableServices/tables/entities/read",
            Method::Post | Method::Put | Method::Patch => {
                "Microsoft.Storage/storageAccounts/tableServices/tables/entities/write"
            }
            Method::Delete => {
                "Microsoft.Storage/storageAccounts/tableServices/tables/entities/delete"
            }
            _ => return None,
        },
    };
    let name = first.split('(').next().unwrap_or(first).to_string();
    Some((action, name))
}

/// The XML error body Storage returns.
pub fn xml_error(code: &str, message: &str, detail: Option<&str>) -> String {
    let detail = detail
        .map(|d| format!("<AuthenticationErrorDetail>{d}</AuthenticationErrorDetail>"))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}</Message>{detail}</Error>"
    )
}

fn error_response(
    service: StorageService,
    status: u16,
    code: &str,
    text: &str,
    detail: Option<&str>,
    request_id: &str,
    time: &str,
) -> HttpResponse {
    let message = format!("{text}\nRequestId:{request_id}\nTime:{time}");
    let (content_type, body) = match service {
        StorageService::Table => (
            "application/json;odata=minimalmetadata;streaming=true;charset=utf-8",
            json!({ "odata.error": { "code": code, "message": { "lang": "en-US", "value": message } } }).to_string(),
        ),
        _ => ("application/xml", xml_error(code, &message, detail)),
    };
    HttpResponse::new(status)
        .with_header("Content-Type", content_type)
        .with_header("x-ms-request-id", request_id)
        .with_header("x-ms-error-code", code)
        .with_body(&body)
}

/// The `AuthenticationErrorDetail` for a token problem, and whether it is simulated.
pub fn auth_detail(problem: &TokenProblem) -> (String, bool) {
    match problem {
        TokenProblem::Invalid(JwtError::WrongAudience { .. }) => (
            "Audience validation failed. Audience did not match.".into(),
            false,
        ),
        TokenProblem::Invalid(JwtError::WrongIssuer { .. }) => (
            "Issuer validation failed. Issuer did not match.".into(),
            true,
        ),
        TokenProblem::Invalid(JwtError::Expired { .. }) => (
            "Lifetime validation failed. The token is expired.".into(),
            true,
        ),
        TokenProblem::Invalid(JwtError::NotYetValid { .. }) => (
            "Lifetime validation failed. The token is not yet valid.".into(),
            true,
        ),
        TokenProblem::Invalid(JwtError::UnknownKid { kid }) => (
            format!("Signature validation failed. Unable to match key: kid: '{kid}'."),
            true,
        ),
        TokenProblem::Invalid(e) => (format!("Signature validation failed. {e}."), true),
        TokenProblem::Missing => (String::new(), true),
    }
}

fn www_authenticate(tenant: TenantId) -> String {
    format!(
        "Bearer authorization_uri=https://login.microsoftonline.com/{tenant}/oauth2/authorize resource_id=https://storage.azure.com"
    )
}

/// Answers a request to `https://{account}.{service}.core.windows.net`.
pub(crate) fn handle(
    world: &World,
    platform: &mut Platform,
    account_name: &str,
    service: StorageService,
    request: HttpRequest,
) -> Exchange {
    let host = format!("{account_name}.{}.core.windows.net", service.host_part());
    let Some(account) = world.resources().iter().find(|r| {
        r.kind == ResourceKind::StorageAccount && r.name.eq_ignore_ascii_case(account_name)
    }) else {
        return unresolved(request, &host);
    };
    let Some(tenant) = world
        .subscription(account.subscription_id)
        .map(|s| s.tenant_id)
    else {
        return unresolved(request, &host);
    };
    let request_id = platform.guid().to_string();
    let time = time_7(world);
    let fail = |request: HttpRequest, status, code: &str, text: &str, detail: Option<&str>| {
        Exchange::answered(
            request,
            error_response(service, status, code, text, detail, &request_id, &time),
        )
    };
    let token = match validate_bearer(
        world,
        platform,
        &request,
        &tenant_issuers(tenant),
        &audiences(&account.name, service),
    ) {
        Ok(t) => t,
        Err(TokenProblem::Missing) => {
            let response = error_response(service, 401, "NoAuthenticationInformation", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.", None, &request_id, &time)
                .with_header("WWW-Authenticate", &www_authenticate(tenant));
            return Exchange::answered(request, response)
                .simulated("Storage's answer to a request without credentials is a guess.");
        }
        Err(problem) => {
            let (detail, simulated) = auth_detail(&problem);
            let response = error_response(service, 401, "InvalidAuthenticationInfo", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.", Some(&detail), &request_id, &time)
                .with_header("WWW-Authenticate", &www_authenticate(tenant));
            let e = Exchange::answered(request, response);
            return if simulated {
                e.simulated("This AuthenticationErrorDetail text is the simulator's best guess.")
            } else {
                e
            };
        }
    };
    if request.header("x-ms-version").is_none() {
        let e = fail(
            request,
            403,
            "AuthenticationFailed",
            "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
            Some("Authentication scheme Bearer is not supported in this version."),
        );
        return with_token(e, &token).simulated(
            "Bearer tokens need x-ms-version 2017-11-09 or later; this body is a guess.",
        );
    }
    let Some((action, container)) = operation(service, request.method, request.path()) else {
        let e = fail(
            request,
            400,
            "InvalidUri",
            "The requested URI does not represent any resource on the server.",
            None,
        );
        return with_token(e, &token).simulated("This storage operation is not modelled.");
    };
    authorize(
        world, account, service, request, &token, action, &container, fail,
    )
}

#[allow(clippy::too_many_arguments)]
fn authorize(
    world: &World,
    account: &Resource,
    service: StorageService,
    request: HttpRequest,
    token: &ValidToken,
    action: &str,
    container: &str,
    fail: impl Fn(HttpRequest, u16, &str, &str, Option<&str>) -> Exchange,
) -> Exchange {
    let kind = service.child();
    let scope = account.child_scope(kind, container);
    let decision = check_access(world, token.object_id, &Action::data(action), &scope);
    let mut exchange = if !decision.allowed {
        let e = fail(
            request,
            403,
            "AuthorizationPermissionMismatch",
            "This request is not authorized to perform this operation using this permission.",
            None,
        );
        if service == StorageService::Table {
            e.simulated("The Table service's JSON error shape is a guess.")
        } else {
            e
        }
    } else if !account.has_child(kind, container) {
        let (code, text) = match service {
            StorageService::Blob => (
                "ContainerNotFound",
                "The specified container does not exist.",
            ),
            StorageService::Queue => ("QueueNotFound", "The specified queue does not exist."),
            StorageService::Table => ("TableNotFound", "The table specified does not exist."),
        };
        fail(request, 404, code, text, None)
    } else {
        success(account, service, request, container)
    };
    exchange = with_token(exchange, token);
    exchange.decision = Some(decision);
    exchange
}

fn success(
    account: &Resource,
    service: StorageService,
    request: HttpRequest,
    container: &str,
) -> Exchange {
    let version = request
        .header("x-ms-version")
        .unwrap_or_default()
        .to_string();
    let response = match (service, request.method) {
        (StorageService::Blob, Method::Get | Method::Head) => {
            let blob = request.path().trim_start_matches('/').to_string();
            HttpResponse::new(200)
                .with_header("Content-Type", "text/plain")
                .with_header("x-ms-blob-type", "BlockBlob")
                .with_header("x-ms-version", &version)
                .with_body(&format!("Simulated contents of {blob}\n"))
        }
        (StorageService::Queue, Method::Get) => HttpResponse::new(200)
            .with_header("Content-Type", "application/xml")
            .with_header("x-ms-version", &version)
            .with_body(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList></QueueMessagesList>",
            ),
        (StorageService::Table, Method::Get) => {
            let body = json!({
                "odata.metadata": format!("https://{}.table.core.windows.net/$metadata#{container}", account.name),
                "value": []
            });
            HttpResponse::json(200, &body).with_header("x-ms-version", &version)
        }
        (_, Method::Delete) => HttpResponse::new(204)
            .with_header("x-ms-version", &version)
            .with_body(""),
        _ => HttpResponse::new(201)
            .with_header("x-ms-version", &version)
            .with_body(""),
    };
    Exchange::answered(request, response).note("Blob contents and queue messages are placeholders.")
}
