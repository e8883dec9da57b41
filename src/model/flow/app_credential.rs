//! Walkthroughs of flows that sign in as an app instead of a managed identity: an app
//! registration's client secret, and workload identity federation (a GitHub Actions OIDC token
//! exchanged at Entra ID's v2 token endpoint). Steps: credential, endpoint, issue, then the
//! same call, validate, access and answer as managed identities, through the real target code.

use super::engine::{app_target_steps, describe};
use super::operation::{GRAPH, Operation};
use super::token_view::{TokenView, token_view};
use super::whatif::WhatIf;
use super::{
    Failure, Fix, FixAction, FlowError, HttpText, Step, StepKind, StepStatus, Walkthrough,
};
use crate::model::clock::{DAY, SimTime};
use crate::model::entra::federation::{
    ConfidentialClient, ExternalIssuer, FederatedIdentityCredential, TokenEndpointOutcome,
    client_secret_token_request, federated_token_request,
};
use crate::model::entra::github::{
    AZURE_AD_TOKEN_EXCHANGE, GITHUB_ISSUER, GITHUB_TOKEN_LIFETIME, GitHubWorkflowRun, github_jwks,
    github_key,
};
use crate::model::entra::{APP_TOKEN_EXPIRES_IN, AccessToken, EntraError};
use crate::model::http::{HttpRequest, HttpResponse};
use crate::model::ids::{ClientId, IdGen, ObjectId, TenantId};
use crate::model::jwt::{DEFAULT_CLOCK_SKEW_SECONDS, Jwks};
use crate::model::platform::{CallSite, Note, Simulation};
use crate::model::rbac::app_roles_for;
use crate::model::scenario::Flow;
use crate::model::world::{Command, FederatedCredential, GRAPH_APP_ID, ResourceKind, World};
use serde_json::json;

#[cfg(test)]
mod tests;

/// How long the simulated client secret is valid: the portal's recommended 180 days.
const SECRET_LIFETIME: i64 = 180 * DAY;

/// The subject of GitHub's example workflow, for a federated flow without an `assertion`.
const DEFAULT_SUBJECT: &str = "repo:octo-org/octo-repo:environment:Production";

/// How old the GitHub token is at the exchange under `expiredToken`: past its 5 minutes and
/// Entra ID's 5 minutes of clock skew.
const EXPIRED_ASSERTION_AGE: i64 = GITHUB_TOKEN_LIFETIME + DEFAULT_CLOCK_SKEW_SECONDS + 60;

/// Which app credential a flow uses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum AppCredential {
    /// An app registration's client secret (`clientSecret`).
    ClientSecret,
    /// A federated identity credential trusting GitHub Actions (`federated`).
    Federated,
}

impl AppCredential {
    /// The credential a scenario file names, if it is one of these.
    pub(super) fn from_name(name: &str) -> Option<AppCredential> {
        match name {
            "clientSecret" => Some(AppCredential::ClientSecret),
            "federated" => Some(AppCredential::Federated),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            AppCredential::ClientSecret => "clientSecret",
            AppCredential::Federated => "federated",
        }
    }
}

/// Whoever the code signs in as: an app registration or (federated only) a user-assigned
/// identity.
#[derive(Clone, Debug)]
struct Signer {
    name: String,
    uami: bool,
    tenant: TenantId,
    tenant_name: String,
    client_id: ClientId,
    object_id: ObjectId,
    /// When its service principal was created (the secret's start date).
    created: i64,
    federated: Vec<FederatedCredential>,
}

impl Signer {
    fn kind(&self) -> &'static str {
        if self.uami {
            "a user-assigned identity"
        } else {
            "an app registration"
        }
    }
}

/// Everything a walk needs besides the simulation, after the what-ifs.
#[derive(Clone, Debug)]
struct Setup {
    credential: AppCredential,
    signer: Signer,
    audience: String,
    call_site: CallSite,
    /// Where the code runs, in words.
    from: String,
    leaked: bool,
    /// The subject of the GitHub token.
    subject: String,
    /// How many seconds before the exchange GitHub issued its token.
    assertion_age: i64,
    /// Whether the Entra ID token has expired by the time it reaches the target.
    expired_at_target: bool,
}

/// Walks a client-secret or federated flow on a copy of `sim`, with the smallest fix for a
/// failure (verified by walking again).
pub(super) fn walk_once(
    sim: &Simulation,
    flow: &Flow,
    credential: AppCredential,
    what_ifs: &[WhatIf],
) -> Result<Walkthrough, FlowError> {
    let mut walkthrough = walk_plain(sim, flow, credential, what_ifs)?;
    if let Some(failure) = walkthrough.failure.as_mut() {
        failure.fix = find_fix(sim, flow, credential, what_ifs, failure);
    }
    Ok(walkthrough)
}

fn walk_plain(
    sim: &Simulation,
    flow: &Flow,
    credential: AppCredential,
    what_ifs: &[WhatIf],
) -> Result<Walkthrough, FlowError> {
    let mut sim = sim.clone();
    let mut setup = setup(&sim.world, flow, credential)?;
    for what_if in what_ifs {
        apply_what_if(&mut sim, &mut setup, what_if)?;
    }
    let jwks = sim.platform.jwks(&sim.world);
    let origin = super::origin_name(&sim.world, &setup.call_site);
    let mut steps = Vec::new();
    let got = match credential {
        AppCredential::ClientSecret => secret_steps(&mut sim, &setup, &jwks, &mut steps),
        AppCredential::Federated => federated_steps(&mut sim, &setup, &jwks, &mut steps),
    };
    let (steps, failure) = match got {
        Err(failure) => (steps, Some(failure)),
        Ok(token) => {
            if setup.expired_at_target {
                // Past the 5 minutes of clock skew targets tolerate.
                let wait = token.expires_on - sim.now().0 + 10 * 60;
                let _ = sim.apply(Command::AdvanceClock {
                    seconds: wait.max(0),
                });
            }
            let world = sim.world.clone();
            let (mut steps, failure) = app_target_steps(
                sim,
                flow,
                setup.call_site.clone(),
                setup.signer.object_id,
                setup.signer.client_id,
                &token,
                steps,
            )?;
            retell_target_steps(&world, flow, &setup, &mut steps);
            (steps, failure)
        }
    };
    Ok(Walkthrough {
        flow: flow.name.clone(),
        title: flow.title.clone(),
        origin,
        steps,
        failure,
        jwks: jwks.to_json(),
    })
}

/// Resolves the flow's names against the world.
fn setup(world: &World, flow: &Flow, credential: AppCredential) -> Result<Setup, FlowError> {
    let operation = Operation::parse(&flow.operation).map_err(FlowError::Operation)?;
    if flow.target != GRAPH && world.resource_named(&flow.target).is_none() {
        return Err(FlowError::UnknownTarget {
            name: flow.target.clone(),
        });
    }
    operation
        .request(world, &flow.target)
        .map_err(FlowError::Operation)?;
    let app = flow.app.as_deref().unwrap_or_default();
    let signer = signer(world, app)?;
    if credential == AppCredential::ClientSecret && signer.uami {
        return Err(FlowError::UnsupportedCredential {
            credential: format!("clientSecret on the user-assigned identity {app}"),
        });
    }
    let (issuer, subject) = match &flow.assertion {
        Some(a) => (a.issuer.as_str(), a.subject.clone()),
        None => (GITHUB_ISSUER, DEFAULT_SUBJECT.to_string()),
    };
    if credential == AppCredential::Federated && issuer != GITHUB_ISSUER {
        // GitHub Actions is the only external identity provider simulated.
        return Err(FlowError::UnsupportedCredential {
            credential: format!("federated with issuer {issuer}"),
        });
    }
    let call_site = match world.resource_named(&flow.from) {
        Some(r) if r.kind.identity_endpoint().is_some() => CallSite::Resource(r.id.clone()),
        _ if world.on_prem_servers().iter().any(|s| s.name == flow.from) => {
            CallSite::OnPremises(flow.from.clone())
        }
        _ => CallSite::Internet,
    };
    Ok(Setup {
        credential,
        signer,
        audience: flow
            .resource
            .clone()
            .unwrap_or_else(|| operation.audience(world, &flow.target)),
        call_site,
        from: flow.from.clone(),
        leaked: false,
        subject,
        assertion_age: 0,
        expired_at_target: false,
    })
}

/// The app registration (any tenant) or user-assigned identity named `name`.
fn signer(world: &World, name: &str) -> Result<Signer, FlowError> {
    let unknown = || FlowError::UnknownIdentity {
        name: name.to_string(),
    };
    for tenant in world.tenants() {
        if let Some(app) = tenant
            .applications
            .iter()
            .find(|a| a.display_name.eq_ignore_ascii_case(name))
        {
            let sp = tenant
                .service_principals
                .iter()
                .find(|sp| sp.app_id == app.app_id)
                .ok_or_else(unknown)?;
            return Ok(Signer {
                name: app.display_name.clone(),
                uami: false,
                tenant: tenant.id,
                tenant_name: tenant.name.clone(),
                client_id: app.app_id,
                object_id: sp.object_id,
                created: sp.created_at.0,
                federated: app.federated_credentials.clone(),
            });
        }
    }
    let r = world
        .resource_named(name)
        .filter(|r| r.kind == ResourceKind::UserAssignedIdentity)
        .ok_or_else(unknown)?;
    let props = r.identity.as_ref().ok_or_else(unknown)?;
    Ok(Signer {
        name: r.name.clone(),
        uami: true,
        tenant: props.tenant_id,
        tenant_name: world
            .tenant(props.tenant_id)
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        client_id: props.client_id,
        object_id: props.principal_id,
        created: world
            .service_principal(props.principal_id)
            .map_or(world.now().0, |(_, sp)| sp.created_at.0),
        federated: props.federated_credentials.clone(),
    })
}

/// The what-if's scenario-file name (`leakSecret`).
fn change_name(what_if: &WhatIf) -> String {
    use crate::model::json::ToJson;
    what_if
        .to_json()
        .get("change")
        .and_then(|c| c.as_str())
        .map(str::to_string)
        .unwrap_or_default()
}

fn apply_what_if(
    sim: &mut Simulation,
    setup: &mut Setup,
    what_if: &WhatIf,
) -> Result<(), FlowError> {
    use AppCredential::*;
    match (what_if, setup.credential) {
        (WhatIf::LeakSecret, ClientSecret) => {
            setup.leaked = true;
            setup.call_site = CallSite::Internet;
        }
        (WhatIf::WrongSubject { subject }, Federated) => {
            setup.subject = subject
                .clone()
                .unwrap_or_else(|| pull_request_subject(&setup.subject));
        }
        (WhatIf::ExpiredToken, Federated) => setup.assertion_age = EXPIRED_ASSERTION_AGE,
        (WhatIf::ExpiredToken, ClientSecret) => setup.expired_at_target = true,
        (WhatIf::AdvanceClock { minutes }, _) => {
            sim.apply(Command::AdvanceClock {
                seconds: minutes * 60,
            })
            .map_err(|e| FlowError::WhatIf {
                message: e.to_string(),
            })?;
        }
        (WhatIf::WrongAudience { resource }, _) => {
            setup.audience = resource.clone().unwrap_or_else(|| {
                if setup.audience.contains("storage") {
                    "https://vault.azure.net".to_string()
                } else {
                    "https://storage.azure.com/".to_string()
                }
            });
        }
        _ => {
            return Err(FlowError::WhatIf {
                message: format!(
                    "what-if \"{}\" does not apply to a {} flow",
                    change_name(what_if),
                    setup.credential.name()
                ),
            });
        }
    }
    Ok(())
}

/// The pull-request subject of the same repository.
fn pull_request_subject(subject: &str) -> String {
    let repo = subject
        .strip_prefix("repo:")
        .and_then(|rest| rest.split(':').next())
        .unwrap_or("octo-org/octo-repo");
    format!("repo:{repo}:pull_request")
}

/// The GitHub Actions job whose token carries `subject` (environment, pull request or ref).
fn workflow_run(subject: &str) -> GitHubWorkflowRun {
    let mut run = GitHubWorkflowRun::example();
    if let Some((repo, kind)) = subject
        .strip_prefix("repo:")
        .and_then(|rest| rest.split_once(':'))
    {
        run.repository = repo.to_string();
        if let Some(env) = kind.strip_prefix("environment:") {
            run.environment = Some(env.to_string());
        } else if kind == "pull_request" {
            run.environment = None;
            run.event_name = "pull_request".to_string();
            run.git_ref = "refs/pull/1/merge".to_string();
        } else if let Some(git_ref) = kind.strip_prefix("ref:") {
            run.environment = None;
            run.git_ref = git_ref.to_string();
        }
    }
    run
}

/// GitHub's token for `subject`, issued at `issued`. A subject GitHub would not produce (a
/// what-if may present anything) is signed as given.
fn github_assertion(
    subject: &str,
    issued: i64,
    ids: &mut IdGen,
) -> Result<AccessToken, EntraError> {
    let mut token = workflow_run(subject).issue_assertion(issued, ids)?;
    if token.claims.get("sub").and_then(|v| v.as_str()) != Some(subject) {
        token.claims.insert("sub".into(), json!(subject));
        token.token = github_key()?.sign(&token.header, &token.claims)?;
    }
    Ok(token)
}

/// The simulated client secret of an app: 40 characters in Entra's shape (3 characters, the
/// `8Q~` version marker, 34 more), the same for the same app id. Scenario files may give a
/// value, but walkthroughs see only the world, which keeps no secrets.
fn client_secret(client: ClientId) -> String {
    const HEAD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const TAIL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    let mut ids = secret_ids(client);
    let pick = |alphabet: &[u8], b: u8| char::from(alphabet[usize::from(b) % alphabet.len()]);
    let mut secret: String = ids.bytes(3).into_iter().map(|b| pick(HEAD, b)).collect();
    secret.push_str("8Q~");
    secret.extend(ids.bytes(34).into_iter().map(|b| pick(TAIL, b)));
    secret
}

fn secret_ids(client: ClientId) -> IdGen {
    let g = client.0.0;
    IdGen::new((g as u64) ^ ((g >> 64) as u64) ^ 0x5EC2_E7C0_FFEE_0001)
}

/// The secret with all but its first 3 characters (Graph's `hint`) masked.
fn mask(secret: &str) -> String {
    secret
        .chars()
        .enumerate()
        .map(|(i, c)| if i < 3 { c } else { '*' })
        .collect()
}

/// A request's text with the `client_secret` form value masked.
fn masked_request_text(request: &HttpRequest) -> String {
    let text = request.to_text();
    let key = "client_secret=";
    let Some(start) = text.find(key).map(|i| i + key.len()) else {
        return text;
    };
    let len = text[start..]
        .find(['&', '\r', '\n'])
        .unwrap_or(text.len() - start);
    format!(
        "{}{}{}",
        &text[..start],
        mask(&text[start..start + len]),
        &text[start + len..]
    )
}

/// The token endpoint's view of the signer, holding `secret` while it is valid.
fn confidential_client(
    world: &World,
    signer: &Signer,
    secret: Option<String>,
) -> ConfidentialClient {
    let graph_roles = app_roles_for(world, signer.object_id, GRAPH_APP_ID);
    ConfidentialClient {
        client_id: signer.client_id,
        object_id: signer.object_id,
        client_secrets: secret.into_iter().collect(),
        federated_credentials: signer
            .federated
            .iter()
            .map(|f| FederatedIdentityCredential {
                name: f.name.clone(),
                issuer: f.issuer.clone(),
                subject: f.subject.clone(),
                audiences: f.audiences.clone(),
                description: None,
            })
            .collect(),
        app_roles: graph_roles
            .into_iter()
            .map(|r| ("https://graph.microsoft.com".to_string(), r))
            .collect(),
    }
}

/// `{resource}/.default`, as client credentials require.
fn scope(audience: &str) -> String {
    format!("{}/.default", audience.trim_end_matches('/'))
}

fn new_step(
    kind: StepKind,
    title: String,
    narration: String,
    elements: Vec<String>,
    time: i64,
) -> Step {
    Step {
        kind,
        title,
        narration,
        elements,
        http: Vec::new(),
        token: None,
        decision: None,
        time,
        status: StepStatus::Done,
        notes: Vec::new(),
    }
}

/// Marks the last step failed and describes the failure.
fn fail(steps: &mut [Step], at: StepKind, status: Option<u16>, error: String) -> Failure {
    if let Some(step) = steps.last_mut() {
        step.status = StepStatus::Failed;
    }
    Failure {
        at,
        status,
        error,
        fix: None,
    }
}

/// Claim explanations for GitHub's OIDC token.
const GITHUB_CLAIMS: &[(&str, &str)] = &[
    ("kid", "Which of GitHub's published keys signed the token."),
    ("x5t", "Thumbprint of GitHub's signing key."),
    ("jti", "Unique token id."),
    (
        "sub",
        "Subject: the repository and environment (or branch, tag, pull request) of the job; must equal a federated credential's subject exactly.",
    ),
    ("environment", "The deployment environment the job runs in."),
    (
        "aud",
        "Audience: api://AzureADTokenExchange, what Entra ID expects for a token exchange.",
    ),
    ("ref", "The git ref the workflow ran on."),
    ("sha", "The commit the workflow ran on."),
    ("repository", "The repository the workflow belongs to."),
    ("repository_owner", "The repository's owner."),
    ("run_id", "The workflow run."),
    ("run_number", "The run's number in this workflow."),
    ("run_attempt", "Which attempt of the run."),
    (
        "runner_environment",
        "Whether the job ran on a GitHub-hosted or self-hosted runner.",
    ),
    ("actor", "Who triggered the run."),
    ("workflow", "The workflow's name."),
    ("event_name", "The event that triggered the run."),
    ("ref_type", "Branch or tag."),
    (
        "iss",
        "Issuer: GitHub Actions' OIDC provider; must equal the federated credential's issuer.",
    ),
    ("exp", "Expires at: 5 minutes after it was issued."),
];

/// Claim explanations that differ for app tokens from the token endpoint.
const APP_TOKEN_CLAIMS: &[(&str, &str)] = &[
    (
        "exp",
        "Expires at: tokens from the token endpoint live about an hour (expires_in 3599).",
    ),
    (
        "appid",
        "The client (application) id the app signed in with.",
    ),
    (
        "appidacr",
        "How the app authenticated: 1 = client secret, 2 = certificate or signed assertion (a federated token), 0 = public client.",
    ),
    (
        "sub",
        "Subject: for app tokens, the service principal's object id again.",
    ),
];

fn explained(view: Option<TokenView>, overrides: &[(&str, &str)]) -> Option<TokenView> {
    view.map(|mut v| {
        for c in v.header.iter_mut().chain(v.claims.iter_mut()) {
            if let Some((_, text)) = overrides.iter().find(|(n, _)| *n == c.name) {
                c.explanation = (*text).to_string();
            }
        }
        v
    })
}

fn claim(token: &AccessToken, name: &str) -> String {
    token
        .claims
        .get(name)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// The token endpoint's exchange as text, and the failure if it refused.
fn endpoint_exchange(
    displayed: String,
    outcome: &TokenEndpointOutcome,
) -> (HttpText, Vec<Note>, Option<(u16, String)>) {
    let r = &outcome.response;
    let simulated = outcome.error.as_ref().is_some_and(|e| e.simulated);
    let text = HttpText {
        request: displayed,
        response: r.to_text(),
        status: Some(r.status),
        simulated,
    };
    let mut notes = Vec::new();
    if let Some(e) = &outcome.error
        && e.simulated
    {
        notes.push(Note {
            text: format!(
                "AADSTS{} is Entra ID's code for this; the wording after it is the simulator's \
                 reconstruction.",
                e.code
            ),
            simulated: true,
        });
    }
    let failure = outcome.token.is_none().then(|| {
        let body = r.body.trim();
        (r.status, format!("{} {}: {body}", r.status, r.reason))
    });
    (text, notes, failure)
}

/// The issue step: Entra ID's token, decoded and verified against `jwks`.
fn issue_step(setup: &Setup, token: &AccessToken, jwks: &Jwks, now: i64) -> Step {
    let how = match setup.credential {
        AppCredential::ClientSecret => format!(
            "Entra ID finds the secret among {}'s valid client secrets and signs an app token",
            setup.signer.name
        ),
        AppCredential::Federated => format!(
            "Entra ID finds a federated credential of {} whose issuer, subject and audience \
             match the GitHub token, verifies the token's signature with GitHub's published \
             keys and its lifetime, and signs an app token",
            setup.signer.name
        ),
    };
    let narration = format!(
        "{how} with its key {}: audience {}, object id {} (the service principal role \
         assignments name), app id {}, appidacr {} ({}), valid until {} — about an hour \
         (expires_in {APP_TOKEN_EXPIRES_IN}), where a managed identity's token lives 24 hours. \
         Any service verifies it with Entra ID's published keys.",
        token.kid,
        claim(token, "aud"),
        claim(token, "oid"),
        claim(token, "appid"),
        claim(token, "appidacr"),
        match claim(token, "appidacr").as_str() {
            "1" => "it authenticated with a client secret",
            _ => "it authenticated with a signed assertion, not a secret",
        },
        SimTime(token.expires_on).iso8601(),
    );
    let mut step = new_step(
        StepKind::Issue,
        "Entra ID issues the token".to_string(),
        narration,
        vec![
            format!("entra:{}", setup.signer.tenant),
            setup.signer.object_id.to_string(),
        ],
        now,
    );
    step.token = explained(token_view(&token.token, jwks), APP_TOKEN_CLAIMS);
    step
}

/// Credential, endpoint and issue with a client secret. The token, or where it failed.
fn secret_steps(
    sim: &mut Simulation,
    setup: &Setup,
    jwks: &Jwks,
    steps: &mut Vec<Step>,
) -> Result<AccessToken, Failure> {
    let s = &setup.signer;
    let now = sim.now().0;
    let secret = client_secret(s.client_id);
    let masked = mask(&secret);
    let hint: String = secret.chars().take(3).collect();
    let (start, end) = (s.created, s.created + SECRET_LIFETIME);
    let expired = now >= end;

    // Credential: the app registration, its secret, and where the code keeps it.
    let mut narration = format!(
        "{} is an app registration (app id {}) with a service principal in tenant {} (object \
         id {}, which role assignments name). It proves who it is with a client secret: a \
         password Entra ID generated once and showed once. The code on {} reads it from the \
         app setting AZURE_CLIENT_SECRET={masked} (beside AZURE_TENANT_ID and \
         AZURE_CLIENT_ID), the environment variables the Azure SDK's EnvironmentCredential \
         uses. That is the risk: the value is a string that can be copied, committed to a \
         repository, pasted into a chat or printed in a log, and whoever holds it is the app, \
         from anywhere. It expires {} and must be rotated by hand before then, everywhere it \
         is used.",
        s.name,
        s.client_id,
        s.tenant_name,
        s.object_id,
        setup.from,
        SimTime(end).iso8601(),
    );
    if setup.leaked {
        narration.push_str(
            " Here it leaked: someone copied it out of the repository and sends the same \
             request from a laptop on the internet. Entra ID cannot tell the two apart.",
        );
    }
    if expired {
        narration.push_str(" The secret has expired: Entra ID no longer accepts it.");
    }
    let mut step = new_step(
        StepKind::Credential,
        format!("{} has a client secret", s.name),
        narration,
        vec![s.object_id.to_string(), format!("entra:{}", s.tenant)],
        now,
    );
    let key_id = secret_ids(s.client_id).guid();
    let request = HttpRequest::get(
        "graph.microsoft.com",
        &format!("/v1.0/applications(appId='{}')", s.client_id),
        &[("$select", "displayName,appId,passwordCredentials")],
    )
    .with_header(
        "Authorization",
        "Bearer eyJ0eXAiOiJKV1Qi… (an administrator's token)",
    );
    let body = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications(displayName,appId,passwordCredentials)/$entity",
        "displayName": s.name,
        "appId": s.client_id.to_string(),
        "passwordCredentials": [{
            "customKeyIdentifier": null,
            "displayName": "deploy",
            "endDateTime": SimTime(end).iso8601(),
            "hint": hint,
            "keyId": key_id.to_string(),
            "secretText": null,
            "startDateTime": SimTime(start).iso8601(),
        }],
    });
    step.http.push(HttpText {
        request: request.to_text(),
        response: HttpResponse::json(200, &body).to_text(),
        status: Some(200),
        simulated: true,
    });
    step.notes.push(Note {
        text: "Graph never returns a secret's value after it is created (secretText is null), \
               only its first three characters as hint. The secret's name, key id and dates \
               are the simulator's (the portal recommends 180 days)."
            .to_string(),
        simulated: true,
    });
    if setup.leaked {
        step.notes.push(Note {
            text: "A leaked secret works from anywhere: this walkthrough succeeds, and that is \
                   the lesson."
                .to_string(),
            simulated: false,
        });
    }
    steps.push(step);

    // Endpoint: the client-credentials POST.
    let scope = scope(&setup.audience);
    let request = client_secret_token_request(s.tenant, s.client_id, &scope, &secret);
    let displayed = masked_request_text(&request);
    let issuer = sim.platform.issuer(&sim.world, s.tenant);
    let client = confidential_client(&sim.world, s, (!expired).then(|| secret.clone()));
    let outcome = issuer.token_endpoint(&request, &client, &[], now, sim.platform.ids());
    let (title, mut narration) = if setup.leaked {
        (
            "An attacker's laptop asks Entra ID for a token with the leaked secret".to_string(),
            format!(
                "The attacker sends exactly what the code on {} sends: ",
                setup.from
            ),
        )
    } else {
        (
            format!(
                "Code on {} asks Entra ID for a token with the secret",
                setup.from
            ),
            "The code posts ".to_string(),
        )
    };
    narration.push_str(&format!(
        "the client-credentials form to Entra ID's v2 token endpoint for tenant {}: client_id, \
         client_secret (masked here except its first 3 characters), scope {scope} (the \
         resource followed by /.default, which client credentials require) and \
         grant_type=client_credentials. There is no local endpoint and nothing ties the \
         request to a machine: login.microsoftonline.com answers anyone on the internet who \
         has the secret.",
        s.tenant_name
    ));
    let (text, notes, refused) = endpoint_exchange(displayed, &outcome);
    let mut step = new_step(
        StepKind::Endpoint,
        title,
        narration,
        vec![format!("entra:{}", s.tenant)],
        now,
    );
    step.http.push(text);
    step.notes = notes;
    steps.push(step);
    let Some(token) = outcome.token.filter(|_| refused.is_none()) else {
        let (status, error) = refused.unwrap_or((0, String::new()));
        return Err(fail(steps, StepKind::Endpoint, Some(status), error));
    };
    steps.push(issue_step(setup, &token, jwks, now));
    Ok(token)
}

/// Credential, endpoint and issue with a federated GitHub token. The token, or where it
/// failed.
fn federated_steps(
    sim: &mut Simulation,
    setup: &Setup,
    jwks: &Jwks,
    steps: &mut Vec<Step>,
) -> Result<AccessToken, Failure> {
    let s = &setup.signer;
    let now = sim.now().0;
    let issued = now - setup.assertion_age;
    let elements = vec![s.object_id.to_string(), format!("entra:{}", s.tenant)];
    let title = format!("GitHub Actions gives the job a token {} trusts", s.name);
    let assertion = match github_assertion(&setup.subject, issued, sim.platform.ids()) {
        Ok(t) => t,
        Err(e) => {
            steps.push(new_step(
                StepKind::Credential,
                title,
                e.to_string(),
                elements,
                issued,
            ));
            return Err(fail(steps, StepKind::Credential, None, e.to_string()));
        }
    };

    // Credential: GitHub's token and the federated credentials that trust it.
    let fics: Vec<String> = s
        .federated
        .iter()
        .map(|f| {
            format!(
                "{} (issuer {}, subject {}, audience {})",
                f.name,
                f.issuer,
                f.subject,
                f.audiences.join(", ")
            )
        })
        .collect();
    let matching = s
        .federated
        .iter()
        .find(|f| f.issuer == GITHUB_ISSUER && f.subject == setup.subject);
    let mut narration = format!(
        "No secret here, so nothing to leak: the GitHub token lives 5 minutes and only this \
         workflow gets it. The job (with permission id-token: write) asks GitHub Actions, the \
         external identity provider, for an OIDC token with audience {AZURE_AD_TOKEN_EXCHANGE}. \
         GitHub signs it with its own key: iss {GITHUB_ISSUER}, sub {} (the repository and \
         where the job runs), valid from {} until {}. {} ({}, app id {}) trusts such tokens \
         through its federated identity credentials: {}. Entra ID compares issuer, subject \
         and audience exactly; wildcards are not allowed, so every environment or branch \
         needs its own credential.",
        setup.subject,
        SimTime(issued).iso8601(),
        SimTime(assertion.expires_on).iso8601(),
        s.name,
        s.kind(),
        s.client_id,
        if fics.is_empty() {
            "none".to_string()
        } else {
            fics.join("; ")
        },
    );
    match matching {
        Some(f) => narration.push_str(&format!(" This token matches {}.", f.name)),
        None => narration.push_str(&format!(
            " This run presents subject {}, which no federated credential names.",
            setup.subject
        )),
    }
    if setup.assertion_age > 0 {
        narration.push_str(&format!(
            " The job holds on to the token for {} minutes before exchanging it (a long \
             build step in between): by the exchange it has expired.",
            setup.assertion_age / 60
        ));
    }
    let mut step = new_step(StepKind::Credential, title, narration, elements, issued);
    let github = github_jwks().unwrap_or_default();
    step.token = explained(token_view(&assertion.token, &github), GITHUB_CLAIMS);
    let request = HttpRequest::get(
        "pipelines.actions.githubusercontent.com",
        "/_apis/distributedtask/hubs/Actions/idtoken",
        &[
            ("api-version", "2.0"),
            ("audience", AZURE_AD_TOKEN_EXCHANGE),
        ],
    )
    .with_header(
        "Authorization",
        "Bearer eyJ0eXAiOiJKV1Qi… (ACTIONS_ID_TOKEN_REQUEST_TOKEN, given to the job by the runner)",
    );
    step.http.push(HttpText {
        request: request.to_text(),
        response: HttpResponse::json(200, &json!({ "value": assertion.token })).to_text(),
        status: Some(200),
        simulated: true,
    });
    step.notes.push(Note {
        text: "The job finds the address in ACTIONS_ID_TOKEN_REQUEST_URL, different for every \
               job; this one is shortened. GitHub's key here is a demo key."
            .to_string(),
        simulated: true,
    });
    steps.push(step);

    // Endpoint: the token exchange.
    let scope = scope(&setup.audience);
    let request = federated_token_request(s.tenant, s.client_id, &scope, &assertion.token);
    let external = [ExternalIssuer {
        issuer: GITHUB_ISSUER.to_string(),
        jwks: github,
    }];
    let issuer = sim.platform.issuer(&sim.world, s.tenant);
    let client = confidential_client(&sim.world, s, None);
    let outcome = issuer.token_endpoint(&request, &client, &external, now, sim.platform.ids());
    let narration = format!(
        "The job posts the token exchange to Entra ID's v2 token endpoint for tenant {}: \
         client_id ({}'s), client_assertion_type=urn:ietf:params:oauth:client-assertion-type:\
         jwt-bearer, client_assertion (the GitHub token, in place of a secret), scope {scope} \
         and grant_type=client_credentials. Entra ID looks for a federated credential with the \
         token's issuer, then its subject, then its audience, verifies the signature against \
         GitHub's published keys and checks that the token has not expired.",
        s.tenant_name, s.name
    );
    let (text, notes, refused) = endpoint_exchange(request.to_text(), &outcome);
    let mut step = new_step(
        StepKind::Endpoint,
        format!(
            "The job exchanges GitHub's token at Entra ID for {}",
            s.name
        ),
        narration,
        vec![format!("entra:{}", s.tenant)],
        now,
    );
    step.http.push(text);
    step.notes = notes;
    steps.push(step);
    let Some(token) = outcome.token.filter(|_| refused.is_none()) else {
        let (status, error) = refused.unwrap_or((0, String::new()));
        return Err(fail(steps, StepKind::Endpoint, Some(status), error));
    };
    steps.push(issue_step(setup, &token, jwks, now));
    Ok(token)
}

/// Retells the shared call and answer steps for code that signs in as an app.
fn retell_target_steps(world: &World, flow: &Flow, setup: &Setup, steps: &mut [Step]) {
    let service = match world.resource_named(&flow.target) {
        Some(t) => format!("{} {}", t.kind.display_name(), t.name),
        None => GRAPH.to_string(),
    };
    let verb = Operation::parse(&flow.operation)
        .map(|o| o.verb())
        .unwrap_or_default();
    let app = &setup.signer.name;
    for step in steps.iter_mut() {
        match step.kind {
            StepKind::Call => {
                if setup.leaked {
                    step.title = format!("The attacker calls {service} with the token");
                }
                let who = if setup.leaked {
                    "The attacker's laptop".to_string()
                } else {
                    format!("Code on {}", setup.from)
                };
                step.narration = format!(
                    "{who} calls {service} ({verb}) and sends the token in the Authorization \
                     header as a bearer token. {service} never sees the {}: the token alone \
                     says the caller is {app}.",
                    match setup.credential {
                        AppCredential::ClientSecret => "secret",
                        AppCredential::Federated => "GitHub token",
                    }
                );
            }
            StepKind::Answer => {
                let status = step
                    .http
                    .first()
                    .and_then(|h| h.status)
                    .map(|s| format!("{s} {}", crate::model::http::reason_phrase(s)))
                    .unwrap_or_default();
                step.narration = match (setup.credential, setup.leaked) {
                    (AppCredential::ClientSecret, false) => format!(
                        "{service} answers {status} and the code has what it asked for. It \
                         works with a secret, and it works the same for anyone who has the \
                         secret, until it expires or someone rotates it."
                    ),
                    (AppCredential::ClientSecret, true) => format!(
                        "{service} answers {status} to the attacker: to {service} the call \
                         came from {app}, with all of its access. A leaked secret works from \
                         anywhere until someone notices and rotates it."
                    ),
                    (AppCredential::Federated, _) => format!(
                        "{service} answers {status} and the job has what it asked for — \
                         without a secret anywhere: nothing to leak, nothing to rotate."
                    ),
                };
            }
            _ => {}
        }
    }
}

/// A federated credential name for `subject`: URL-friendly, 3–120 characters, not taken.
fn credential_name(subject: &str, taken: &[FederatedCredential]) -> String {
    let base: String = subject
        .strip_prefix("repo:")
        .unwrap_or(subject)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let mut base: String = base.chars().take(110).collect();
    if base.len() < 3 {
        base = format!("github-{base}");
    }
    let base = base.trim_end_matches('-').to_string();
    let free = |n: &str| !taken.iter().any(|f| f.name.eq_ignore_ascii_case(n));
    (1..)
        .map(|i| {
            if i == 1 {
                base.clone()
            } else {
                format!("{base}-{i}")
            }
        })
        .find(|n| free(n))
        .unwrap_or(base)
}

/// The smallest change that makes the flow succeed, verified by walking again.
fn find_fix(
    sim: &Simulation,
    flow: &Flow,
    credential: AppCredential,
    what_ifs: &[WhatIf],
    failure: &Failure,
) -> Option<Fix> {
    let succeeds = |sim: &Simulation, what_ifs: &[WhatIf]| {
        walk_plain(sim, flow, credential, what_ifs).is_ok_and(|w| w.succeeded())
    };
    // A subject no federated credential names: trust that subject too (it must match
    // exactly, so this is one credential per branch or environment).
    if failure.at == StepKind::Endpoint && failure.error.contains("AADSTS700213") {
        let mut setup = setup(&sim.world, flow, credential).ok()?;
        let mut probe = sim.clone();
        for what_if in what_ifs {
            apply_what_if(&mut probe, &mut setup, what_if).ok()?;
        }
        let command = Command::AddFederatedCredential {
            identity: setup.signer.name.clone(),
            name: credential_name(&setup.subject, &setup.signer.federated),
            issuer: GITHUB_ISSUER.to_string(),
            subject: setup.subject.clone(),
            audiences: vec![AZURE_AD_TOKEN_EXCHANGE.to_string()],
        };
        let mut fixed = sim.clone();
        if fixed.apply(command.clone()).is_ok() && succeeds(&fixed, what_ifs) {
            return Some(Fix {
                title: format!(
                    "Add a federated credential to {} for subject {} (or run the job where \
                     an existing credential expects)",
                    setup.signer.name, setup.subject
                ),
                action: FixAction::Apply {
                    commands: vec![command],
                },
            });
        }
    }
    // A what-if broke it: turning that one off is the smallest fix.
    for (index, what_if) in what_ifs.iter().enumerate() {
        let mut without = what_ifs.to_vec();
        without.remove(index);
        if succeeds(sim, &without) {
            let title = match (what_if, credential) {
                (WhatIf::ExpiredToken, AppCredential::Federated) => {
                    "Exchange the GitHub token within its 5 minutes: ask for it right before \
                     signing in"
                        .to_string()
                }
                _ => format!("Undo the change: {}", describe(what_if)),
            };
            return Some(Fix {
                title,
                action: FixAction::DropWhatIf { index },
            });
        }
    }
    None
}
