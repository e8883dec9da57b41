//! What the Azure platform keeps at run time beside the [`World`]: each tenant's token
//! service, the managed-identity token cache, App Service `IDENTITY_HEADER` secrets, Arc
//! key files and SQL contained users; and [`Simulation`], which sends an HTTP request from
//! code running on a host and returns the whole [`Exchange`] as data.
//!
//! Outcomes are data: a 400, 401 or 403 is a normal [`HttpResponse`]; an unreachable
//! address is a [`ConnectionError`]. `Err` ([`SendError`]) only means the input was not a
//! request at all, or names a host that does not exist.

use crate::model::clock::SimTime;
use crate::model::endpoints;
use crate::model::entra::{AccessToken, TokenIssuer, common_jwks};
use crate::model::http::{HttpParseError, HttpRequest, HttpResponse, parse_request};
use crate::model::ids::{ClientId, Guid, IdGen, ObjectId, ResourceId, TenantId};
use crate::model::json::{FromJson, ToJson};
use crate::model::jwt::{Jwks, decode_unverified};
use crate::model::rbac::Decision;
use crate::model::targets;
use crate::model::world::{Command, CommandError, Event, IdentityEndpoint, Resource, World};
use std::fmt;

/// How long before `exp` the platform stops serving a cached managed-identity token and
/// fetches a new one: 5 minutes. The reference (§1.5) only says the back-end caches "per
/// resource URI for around 24 hours"; this threshold mirrors MSAL's client-side rule
/// (a cached token is treated as expired when less than 5 minutes remain). Simulated.
pub const CACHE_REFRESH_THRESHOLD_SECONDS: i64 = 300;

/// A tenant's signing-key state, kept as plain numbers so the platform stays a cheap value.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct IssuerState {
    /// The tenant.
    pub tenant_id: TenantId,
    /// The demo key that signs new tokens.
    pub signing: usize,
    /// The demo keys published in the JWKS, in publication order.
    pub published: Vec<usize>,
}

impl IssuerState {
    /// The token issuer this state describes. Unknown key indices are skipped, so a state
    /// decoded from untrusted input cannot panic.
    pub fn issuer(&self) -> TokenIssuer {
        let first = self.published.first().copied().unwrap_or(self.signing);
        let mut issuer = TokenIssuer::new(self.tenant_id, first);
        for &k in &self.published {
            let _ = issuer.publish_key(k);
        }
        let _ = issuer.sign_with(self.signing);
        issuer
    }

    fn of(issuer: &TokenIssuer) -> IssuerState {
        IssuerState {
            tenant_id: issuer.tenant_id,
            signing: issuer.signing_key_index(),
            published: issuer.published_key_indices().to_vec(),
        }
    }
}

/// A managed-identity token the platform has cached, per identity and `resource` string.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct CachedToken {
    /// The identity's service principal object id.
    pub object_id: ObjectId,
    /// The `resource` exactly as requested (the cache key is case- and slash-sensitive).
    pub resource: String,
    /// The compact JWT.
    pub token: String,
    /// `iat` = `nbf`.
    pub issued_at: i64,
    /// `exp`.
    pub expires_on: i64,
}

impl CachedToken {
    /// The token with its decoded header and claims.
    pub fn access_token(&self) -> Option<AccessToken> {
        let decoded = decode_unverified(&self.token).ok()?;
        let kid = decoded.header_str("kid").unwrap_or_default().to_string();
        Some(AccessToken {
            token: self.token.clone(),
            header: decoded.header,
            claims: decoded.claims,
            issued_at: self.issued_at,
            expires_on: self.expires_on,
            kid,
        })
    }
}

/// The key file HIMDS wrote for the last challenge on an Arc-enabled server.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct ArcKeyFile {
    /// The Arc machine.
    pub machine: ResourceId,
    /// `/var/opt/azcmagent/tokens/<guid>.key`.
    pub path: String,
    /// The file's contents: the secret to send as `Authorization: Basic <secret>`.
    pub secret: String,
}

/// A contained database user created with `CREATE USER [name] FROM EXTERNAL PROVIDER`.
/// SQL stores the principal's app id as the user's SID, so a re-created identity with the
/// same name does not match it.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct ContainedUser {
    /// The SQL server.
    pub server: ResourceId,
    /// The database.
    pub database: String,
    /// The user name (the identity's display name).
    pub name: String,
    /// The app id resolved when the user was created.
    pub app_id: ClientId,
}

/// Run-time platform state beside the world.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct Platform {
    ids: IdGen,
    issuers: Vec<IssuerState>,
    token_cache: Vec<CachedToken>,
    identity_headers: Vec<(ResourceId, String)>,
    arc_key_files: Vec<ArcKeyFile>,
    contained_users: Vec<ContainedUser>,
}

impl Platform {
    /// Empty platform state whose secrets and opaque token values come from `seed`.
    pub fn new(seed: u64) -> Platform {
        Platform {
            ids: IdGen::new(seed),
            issuers: Vec::new(),
            token_cache: Vec::new(),
            identity_headers: Vec::new(),
            arc_key_files: Vec::new(),
            contained_users: Vec::new(),
        }
    }

    /// The platform's id generator (opaque token values, request ids, secrets).
    pub(crate) fn ids(&mut self) -> &mut IdGen {
        &mut self.ids
    }

    /// The token service of `tenant`: its stored state, or else the default for the
    /// tenant's position in the world ([`TokenIssuer::for_tenant_number`]).
    pub fn issuer(&self, world: &World, tenant: TenantId) -> TokenIssuer {
        if let Some(state) = self.issuers.iter().find(|s| s.tenant_id == tenant) {
            return state.issuer();
        }
        let n = world
            .tenants()
            .iter()
            .position(|t| t.id == tenant)
            .unwrap_or(0);
        TokenIssuer::for_tenant_number(tenant, n)
    }

    /// Replaces a tenant's issuer state (after a key rollover, say).
    pub fn set_issuer(&mut self, issuer: &TokenIssuer) {
        let state = IssuerState::of(issuer);
        match self
            .issuers
            .iter_mut()
            .find(|s| s.tenant_id == issuer.tenant_id)
        {
            Some(s) => *s = state,
            None => self.issuers.push(state),
        }
    }

    /// Every tenant's token service, in the world's tenant order.
    pub fn issuers(&self, world: &World) -> Vec<TokenIssuer> {
        world
            .tenants()
            .iter()
            .map(|t| self.issuer(world, t.id))
            .collect()
    }

    /// The global JWKS (`common/discovery/keys`) of every tenant's published keys, which
    /// target services verify against. Empty if a demo key fails to load (a broken build).
    pub fn jwks(&self, world: &World) -> Jwks {
        let issuers = self.issuers(world);
        let refs: Vec<&TokenIssuer> = issuers.iter().collect();
        common_jwks(&refs).unwrap_or_default()
    }

    /// Every cached managed-identity token.
    pub fn token_cache(&self) -> &[CachedToken] {
        &self.token_cache
    }

    /// The cached token for an identity and resource string, if any.
    pub fn cached_token(&self, object_id: ObjectId, resource: &str) -> Option<&CachedToken> {
        self.token_cache
            .iter()
            .find(|c| c.object_id == object_id && c.resource == resource)
    }

    pub(crate) fn store_token(&mut self, object_id: ObjectId, resource: &str, t: &AccessToken) {
        self.token_cache
            .retain(|c| !(c.object_id == object_id && c.resource == resource));
        self.token_cache.push(CachedToken {
            object_id,
            resource: resource.to_string(),
            token: t.token.clone(),
            issued_at: t.issued_at,
            expires_on: t.expires_on,
        });
    }

    /// Empties the token cache (what a restart of the identity service would do).
    pub fn clear_token_cache(&mut self) {
        self.token_cache.clear();
    }

    /// The `IDENTITY_HEADER` secret of an App Service site, created on first use.
    pub fn identity_header(&mut self, site: &ResourceId) -> String {
        if let Some((_, secret)) = self.identity_headers.iter().find(|(s, _)| s.same_as(site)) {
            return secret.clone();
        }
        let secret = self.ids.guid().to_string();
        self.identity_headers.push((site.clone(), secret.clone()));
        secret
    }

    /// Rotates a site's `IDENTITY_HEADER` ("The value is rotated by the platform"); returns
    /// the new value.
    pub fn rotate_identity_header(&mut self, site: &ResourceId) -> String {
        self.identity_headers.retain(|(s, _)| !s.same_as(site));
        self.identity_header(site)
    }

    /// The key file of an Arc machine's last challenge, if one was issued.
    pub fn arc_key_file(&self, machine: &ResourceId) -> Option<&ArcKeyFile> {
        self.arc_key_files
            .iter()
            .find(|k| k.machine.same_as(machine))
    }

    /// Writes a fresh key file for a new challenge (HIMDS writes one per challenge; the
    /// previous secret stops working).
    pub(crate) fn new_arc_key_file(&mut self, machine: &ResourceId) -> ArcKeyFile {
        let name = self.ids.guid();
        let secret = {
            let bytes = self.ids.bytes(32);
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        };
        let file = ArcKeyFile {
            machine: machine.clone(),
            path: format!("/var/opt/azcmagent/tokens/{name}.key"),
            secret,
        };
        self.arc_key_files.retain(|k| !k.machine.same_as(machine));
        self.arc_key_files.push(file.clone());
        file
    }

    /// Contained database users.
    pub fn contained_users(&self) -> &[ContainedUser] {
        &self.contained_users
    }

    /// A fresh GUID (request ids and the like).
    pub(crate) fn guid(&mut self) -> Guid {
        self.ids.guid()
    }
}

/// Where the code sending a request runs.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum CallSite {
    /// Code on an Azure resource (VM, App Service, AKS, Arc-enabled server…), by id. A
    /// resource in another tenant is simply a resource of that tenant's subscription.
    Resource(ResourceId),
    /// A server outside Azure without the Arc agent, by name.
    OnPremises(String),
    /// A laptop or any machine on the internet.
    Internet,
}

/// Why a request could not even be delivered: what the client library reports instead of
/// an HTTP response. The texts follow Node.js's wording; they are simulated.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum ConnectionError {
    /// Nothing answers at the address (a link-local address off Azure): the connect times
    /// out.
    TimedOut {
        /// `address:port`.
        address: String,
    },
    /// The port is closed on this machine (no local token service here).
    Refused {
        /// `address:port`.
        address: String,
    },
    /// The host name does not resolve.
    NameNotResolved {
        /// The host name.
        host: String,
    },
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionError::TimedOut { address } => write!(f, "connect ETIMEDOUT {address}"),
            ConnectionError::Refused { address } => write!(f, "connect ECONNREFUSED {address}"),
            ConnectionError::NameNotResolved { host } => write!(f, "getaddrinfo ENOTFOUND {host}"),
        }
    }
}

/// What came back: an HTTP response, or a connection failure.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Reply {
    /// The server answered.
    Response(HttpResponse),
    /// Nothing answered.
    ConnectionFailed(ConnectionError),
}

impl Reply {
    /// The HTTP response, if there was one.
    pub fn http(&self) -> Option<&HttpResponse> {
        match self {
            Reply::Response(r) => Some(r),
            Reply::ConnectionFailed(_) => None,
        }
    }

    /// The status code, if there was a response.
    pub fn status(&self) -> Option<u16> {
        self.http().map(|r| r.status)
    }
}

/// A remark on an exchange for the walkthrough to show.
#[derive(Clone, PartialEq, Eq, Debug, ToJson, FromJson)]
pub struct Note {
    /// The sentence.
    pub text: String,
    /// Whether it flags behaviour the reference marks UNCONFIRMED (the simulator's best
    /// guess).
    pub simulated: bool,
}

/// Where a token in an exchange came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson, FromJson)]
pub enum TokenSource {
    /// Freshly issued by Entra ID.
    Issued,
    /// Served from the platform's cache.
    Cache,
    /// Presented by the caller to a target service.
    Presented,
}

/// One request and everything that came of it.
#[derive(Clone, PartialEq, Debug)]
pub struct Exchange {
    /// The request as sent.
    pub request: HttpRequest,
    /// The response, or the connection failure.
    pub response: Reply,
    /// The token issued (identity endpoints) or presented and valid (targets).
    pub token: Option<AccessToken>,
    /// Where the token came from.
    pub token_source: Option<TokenSource>,
    /// The authorization decision a target service took, with its trace.
    pub decision: Option<Decision>,
    /// Whether the response's exact form is the simulator's best guess (UNCONFIRMED in the
    /// reference) rather than a confirmed Azure string.
    pub simulated: bool,
    /// Remarks for the walkthrough.
    pub notes: Vec<Note>,
}

impl Exchange {
    /// An exchange that got `response`.
    pub fn answered(request: HttpRequest, response: HttpResponse) -> Exchange {
        Exchange {
            request,
            response: Reply::Response(response),
            token: None,
            token_source: None,
            decision: None,
            simulated: false,
            notes: Vec::new(),
        }
    }

    /// An exchange that failed to connect (always simulated text).
    pub fn failed(request: HttpRequest, error: ConnectionError) -> Exchange {
        Exchange {
            request,
            response: Reply::ConnectionFailed(error),
            token: None,
            token_source: None,
            decision: None,
            simulated: true,
            notes: Vec::new(),
        }
    }

    /// Marks the response as simulated and adds a note saying why.
    pub fn simulated(mut self, why: &str) -> Exchange {
        self.simulated = true;
        self.notes.push(Note {
            text: why.to_string(),
            simulated: true,
        });
        self
    }

    /// Adds a plain note.
    pub fn note(mut self, text: &str) -> Exchange {
        self.notes.push(Note {
            text: text.to_string(),
            simulated: false,
        });
        self
    }

    /// The HTTP response, if there was one.
    pub fn http(&self) -> Option<&HttpResponse> {
        self.response.http()
    }

    /// The status code, if there was a response.
    pub fn status(&self) -> Option<u16> {
        self.response.status()
    }

    /// The response body parsed as JSON, if any.
    pub fn json(&self) -> Option<serde_json::Value> {
        self.http().and_then(HttpResponse::json_body)
    }
}

/// Why a request could not be sent at all.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SendError {
    /// The text is not an HTTP request.
    Parse(HttpParseError),
    /// The request has no `Host` header, so it goes nowhere.
    NoHost,
    /// The call site names a resource that does not exist.
    UnknownResource {
        /// The id given.
        id: ResourceId,
    },
    /// The call site names an on-premises server that does not exist.
    UnknownServer {
        /// The name given.
        name: String,
    },
    /// The resource does not run code (a key vault, a storage account, an identity).
    NotACodeHost {
        /// The resource's name.
        name: String,
    },
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Parse(e) => write!(f, "not an HTTP request: {e}"),
            SendError::NoHost => f.write_str("the request has no Host header"),
            SendError::UnknownResource { id } => write!(f, "no resource with id {id}"),
            SendError::UnknownServer { name } => write!(f, "no on-premises server named {name}"),
            SendError::NotACodeHost { name } => write!(f, "{name} does not run code"),
        }
    }
}

impl std::error::Error for SendError {}

/// The host a request is sent from, resolved against the world.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin<'a> {
    /// An Azure (or Arc) resource that runs code, with its identity endpoint.
    Resource(&'a Resource, IdentityEndpoint),
    /// Anywhere off Azure without Arc.
    Outside,
}

/// The world and the platform together: what a walkthrough drives.
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
pub struct Simulation {
    /// The world (change it with [`Simulation::apply`] or [`World::apply`]).
    pub world: World,
    /// The platform's run-time state.
    pub platform: Platform,
}

impl Simulation {
    /// A simulation of `world` with fresh platform state seeded from the world's generator.
    pub fn new(world: World) -> Simulation {
        let seed = world.id_gen().clone().next_u64() ^ 0x5EED_F00D_CAFE_0001;
        Simulation {
            world,
            platform: Platform::new(seed),
        }
    }

    /// Applies a command to the world.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, CommandError> {
        self.world.apply(command)
    }

    /// The simulated time now.
    pub fn now(&self) -> SimTime {
        self.world.now()
    }

    /// Parses `text` as an HTTP request and sends it from `from`.
    pub fn send_text(&mut self, from: &CallSite, text: &str) -> Result<Exchange, SendError> {
        let request = parse_request(text).map_err(SendError::Parse)?;
        self.send(from, request)
    }

    /// Sends `request` from code running at `from` and returns what happened: the identity
    /// endpoint's or target service's response (or a connection failure), the token issued
    /// or presented, and the authorization decision with its trace.
    pub fn send(&mut self, from: &CallSite, request: HttpRequest) -> Result<Exchange, SendError> {
        let host = request.host().ok_or(SendError::NoHost)?.trim().to_string();
        let world = &self.world;
        let origin = match from {
            CallSite::Resource(id) => {
                let r = world
                    .resource(id)
                    .ok_or_else(|| SendError::UnknownResource { id: id.clone() })?;
                let endpoint =
                    r.kind
                        .identity_endpoint()
                        .ok_or_else(|| SendError::NotACodeHost {
                            name: r.name.clone(),
                        })?;
                Origin::Resource(r, endpoint)
            }
            CallSite::OnPremises(name) => {
                if !world
                    .on_prem_servers()
                    .iter()
                    .any(|s| s.name.eq_ignore_ascii_case(name))
                {
                    return Err(SendError::UnknownServer { name: name.clone() });
                }
                Origin::Outside
            }
            CallSite::Internet => Origin::Outside,
        };
        let (name, port) = split_host(&host);
        let exchange = match (name.as_str(), port) {
            (endpoints::IMDS_HOST, None | Some(80)) => {
                endpoints::imds::handle(world, &mut self.platform, origin, request)
            }
            ("localhost" | "127.0.0.1", Some(endpoints::APP_SERVICE_PORT)) => {
                endpoints::app_service::handle(world, &mut self.platform, origin, request)
            }
            ("localhost" | "127.0.0.1", Some(endpoints::ARC_PORT)) => {
                endpoints::arc::handle(world, &mut self.platform, origin, request)
            }
            ("localhost" | "127.0.0.1", port) => {
                let address = format!("127.0.0.1:{}", port.unwrap_or(80));
                Exchange::failed(request, ConnectionError::Refused { address })
                    .note("Nothing listens on this port here.")
            }
            _ => targets::handle(world, &mut self.platform, &name, request),
        };
        Ok(exchange)
    }

    /// Reads a file on the machine at `from`: the Arc key file named in a challenge is
    /// readable only on that Arc machine (by a member of the `himds` group).
    pub fn read_file(&self, from: &CallSite, path: &str) -> Option<String> {
        let CallSite::Resource(id) = from else {
            return None;
        };
        self.platform
            .arc_key_file(id)
            .filter(|k| k.path == path)
            .map(|k| k.secret.clone())
    }

    /// Runs `CREATE USER [identity] FROM EXTERNAL PROVIDER` in `database` on SQL server
    /// `server`: the identity (a resource with a system-assigned identity, or a user-assigned
    /// identity, by name) becomes a contained user. Returns the user name.
    pub fn create_contained_user(
        &mut self,
        server: &str,
        database: &str,
        identity: &str,
    ) -> Result<String, CommandError> {
        let server =
            self.world
                .resource_named(server)
                .ok_or_else(|| CommandError::ResourceNotFound {
                    name: server.to_string(),
                })?;
        let principal = self.world.identity_principal(identity).ok_or_else(|| {
            CommandError::ResourceNotFound {
                name: identity.to_string(),
            }
        })?;
        let (_, sp) = self.world.service_principal(principal).ok_or_else(|| {
            CommandError::ResourceNotFound {
                name: identity.to_string(),
            }
        })?;
        let user = ContainedUser {
            server: server.id.clone(),
            database: database.to_string(),
            name: sp.display_name.clone(),
            app_id: sp.app_id,
        };
        let name = user.name.clone();
        self.platform.contained_users.retain(|u| {
            !(u.server.same_as(&user.server)
                && u.database.eq_ignore_ascii_case(database)
                && u.name.eq_ignore_ascii_case(&name))
        });
        self.platform.contained_users.push(user);
        Ok(name)
    }
}

/// `host[:port]` split, the name lower-cased.
fn split_host(host: &str) -> (String, Option<u16>) {
    match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => {
            (name.to_ascii_lowercase(), port.parse().ok())
        }
        _ => (host.to_ascii_lowercase(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_headers_split_into_name_and_port() {
        let cases = [
            ("169.254.169.254", ("169.254.169.254", None)),
            ("localhost:4141", ("localhost", Some(4141))),
            ("KV-Prod.vault.azure.net", ("kv-prod.vault.azure.net", None)),
            (
                "x.database.windows.net:1433",
                ("x.database.windows.net", Some(1433)),
            ),
        ];
        for (host, (name, port)) in cases {
            assert_eq!(split_host(host), (name.to_string(), port), "{host}");
        }
    }

    #[test]
    fn connection_errors_read_like_node() {
        let cases = [
            (
                ConnectionError::TimedOut {
                    address: "169.254.169.254:80".into(),
                },
                "connect ETIMEDOUT 169.254.169.254:80",
            ),
            (
                ConnectionError::Refused {
                    address: "127.0.0.1:4141".into(),
                },
                "connect ECONNREFUSED 127.0.0.1:4141",
            ),
            (
                ConnectionError::NameNotResolved {
                    host: "nope.vault.azure.net".into(),
                },
                "getaddrinfo ENOTFOUND nope.vault.azure.net",
            ),
        ];
        for (e, text) in cases {
            assert_eq!(e.to_string(), text);
        }
    }

    #[test]
    fn issuer_state_round_trips_a_rollover() {
        let tenant = TenantId(Guid(7));
        let mut issuer = TokenIssuer::for_tenant_number(tenant, 1);
        issuer.roll_over().unwrap();
        let state = IssuerState::of(&issuer);
        assert_eq!(state.issuer(), issuer);
    }
}
