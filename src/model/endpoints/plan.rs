//! The token request a well-behaved SDK builds on a given host (azure-identity's endpoint
//! detection, reference §2.6), with the environment variables the platform sets there, so a
//! walkthrough can show where the request goes and why.

use super::{
    APP_SERVICE_API_VERSION, APP_SERVICE_ENDPOINT, ARC_API_VERSION, ARC_IDENTITY_ENDPOINT,
    ARC_IMDS_ENDPOINT, IMDS_API_VERSION, IMDS_HOST, IMDS_TOKEN_PATH,
};
use crate::model::http::{HttpRequest, HttpResponse, Url};
use crate::model::ids::{ClientId, ObjectId, ResourceId};
use crate::model::platform::Simulation;
use crate::model::world::IdentityEndpoint;
use std::fmt;

/// How code names the identity it wants.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum IdentitySelector {
    /// By client (app) id.
    ClientId(ClientId),
    /// By service principal object id.
    ObjectId(ObjectId),
    /// By the user-assigned identity's resource id.
    ResourceId(ResourceId),
}

/// The request an SDK would send for a token, and the environment that led it there.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TokenRequestPlan {
    /// Which endpoint the host offers.
    pub endpoint: IdentityEndpoint,
    /// Environment variables the platform sets for code on the host (none for IMDS: the SDK
    /// falls back to it when none of the variables is set).
    pub env: Vec<(String, String)>,
    /// The full URL requested.
    pub url: String,
    /// The request (for Arc: the first, unauthenticated one that draws the challenge).
    pub request: HttpRequest,
}

/// Why no token request can be planned.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PlanError {
    /// No resource has this id.
    UnknownResource {
        /// The id given.
        id: ResourceId,
    },
    /// The resource does not run code.
    NotACodeHost {
        /// Its name.
        name: String,
    },
    /// The service fetches tokens itself (Data Factory, API Management): no endpoint for
    /// code.
    ServiceManaged {
        /// Its name.
        name: String,
    },
    /// Azure Arc supports the system-assigned identity only (the SDKs refuse before
    /// sending).
    UserAssignedNotSupported {
        /// The machine's name.
        name: String,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::UnknownResource { id } => write!(f, "no resource with id {id}"),
            PlanError::NotACodeHost { name } => write!(f, "{name} does not run code"),
            PlanError::ServiceManaged { name } => write!(
                f,
                "{name} fetches its tokens itself; code cannot call an identity endpoint there"
            ),
            PlanError::UserAssignedNotSupported { name } => write!(
                f,
                "User assigned managed identities are not supported by Azure Arc ({name})"
            ),
        }
    }
}

impl std::error::Error for PlanError {}

/// The default token request for `resource` from code on `host`, optionally naming an
/// identity, as azure-identity builds it (IMDS: `api-version=2018-02-01`, `Metadata: true`,
/// `msi_res_id`; App Service: `api-version=2019-08-01`, `X-IDENTITY-HEADER`, `principal_id`,
/// `mi_res_id`; Arc: `api-version=2020-06-01`, `Metadata: true`). Creates the site's
/// `IDENTITY_HEADER` if it has none yet.
pub fn default_token_request(
    sim: &mut Simulation,
    host: &ResourceId,
    resource: &str,
    selector: Option<&IdentitySelector>,
) -> Result<TokenRequestPlan, PlanError> {
    let r = sim
        .world
        .resource(host)
        .ok_or_else(|| PlanError::UnknownResource { id: host.clone() })?;
    let name = r.name.clone();
    let id = r.id.clone();
    let endpoint = r
        .kind
        .identity_endpoint()
        .ok_or_else(|| PlanError::NotACodeHost { name: name.clone() })?;
    let mut params: Vec<(&str, String)> = Vec::new();
    match endpoint {
        IdentityEndpoint::Imds => {
            params.push(("api-version", IMDS_API_VERSION.into()));
            params.push(("resource", resource.into()));
            match selector {
                Some(IdentitySelector::ClientId(c)) => params.push(("client_id", c.to_string())),
                Some(IdentitySelector::ObjectId(o)) => params.push(("object_id", o.to_string())),
                Some(IdentitySelector::ResourceId(r)) => params.push(("msi_res_id", r.to_string())),
                None => {}
            }
            let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let request = HttpRequest::get(IMDS_HOST, IMDS_TOKEN_PATH, &pairs)
                .with_header("Metadata", "true");
            Ok(TokenRequestPlan {
                endpoint,
                env: Vec::new(),
                url: format!("http://{IMDS_HOST}{}", request.target),
                request,
            })
        }
        IdentityEndpoint::AppService => {
            let secret = sim.platform.identity_header(&id);
            params.push(("resource", resource.into()));
            params.push(("api-version", APP_SERVICE_API_VERSION.into()));
            match selector {
                Some(IdentitySelector::ClientId(c)) => params.push(("client_id", c.to_string())),
                Some(IdentitySelector::ObjectId(o)) => params.push(("principal_id", o.to_string())),
                Some(IdentitySelector::ResourceId(r)) => params.push(("mi_res_id", r.to_string())),
                None => {}
            }
            let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let url = url_with(APP_SERVICE_ENDPOINT, &pairs);
            let request = HttpRequest::new(crate::model::http::Method::Get, &url.host, &url.target)
                .with_header("X-IDENTITY-HEADER", &secret);
            Ok(TokenRequestPlan {
                endpoint,
                env: vec![
                    ("IDENTITY_ENDPOINT".into(), APP_SERVICE_ENDPOINT.into()),
                    ("IDENTITY_HEADER".into(), secret),
                ],
                url: url.to_string(),
                request,
            })
        }
        IdentityEndpoint::ArcHimds => {
            if selector.is_some() {
                return Err(PlanError::UserAssignedNotSupported { name });
            }
            let pairs = [("api-version", ARC_API_VERSION), ("resource", resource)];
            let url = url_with(ARC_IDENTITY_ENDPOINT, &pairs);
            let request = HttpRequest::new(crate::model::http::Method::Get, &url.host, &url.target)
                .with_header("Metadata", "true");
            Ok(TokenRequestPlan {
                endpoint,
                env: vec![
                    ("IDENTITY_ENDPOINT".into(), ARC_IDENTITY_ENDPOINT.into()),
                    ("IMDS_ENDPOINT".into(), ARC_IMDS_ENDPOINT.into()),
                ],
                url: url.to_string(),
                request,
            })
        }
        IdentityEndpoint::ServiceManaged => Err(PlanError::ServiceManaged { name }),
    }
}

fn url_with(base: &str, pairs: &[(&str, &str)]) -> Url {
    match Url::parse(base) {
        Ok(u) => u.with_params(pairs),
        // The bases are constants that parse; fall back to a bare localhost URL regardless.
        Err(_) => Url {
            scheme: "http".into(),
            host: "localhost".into(),
            target: "/".into(),
        },
    }
}

/// The key-file path in an Arc challenge's `WWW-Authenticate: Basic realm=<path>`.
pub fn arc_challenge_path(response: &HttpResponse) -> Option<String> {
    let value = response.header("WWW-Authenticate")?;
    let realm = value.trim().strip_prefix("Basic realm=")?;
    Some(realm.trim().to_string())
}

/// The Arc request repeated with `Authorization: Basic <secret>` (the key file's contents).
pub fn with_arc_secret(request: &HttpRequest, secret: &str) -> HttpRequest {
    let mut again = request.clone();
    again
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("Authorization"));
    again.with_header("Authorization", &format!("Basic {secret}"))
}
