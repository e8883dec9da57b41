//! A simulated external identity provider for workload identity federation: GitHub Actions'
//! OIDC issuer, signing short-lived assertions with its own demo key and JWKS.

use super::{AccessToken, EntraError, KeyError, SigningKey};
use crate::model::ids::IdGen;
use crate::model::jwt::{JsonObject, Jwks};
use serde_json::json;
use std::sync::OnceLock;

/// GitHub Actions' OIDC issuer, the assertion's `iss`.
pub const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";

/// Where GitHub publishes its signing keys.
pub const GITHUB_JWKS_URI: &str = "https://token.actions.githubusercontent.com/.well-known/jwks";

/// The audience Entra expects in federated assertions (recommended FIC audience).
pub const AZURE_AD_TOKEN_EXCHANGE: &str = "api://AzureADTokenExchange";

/// Lifetime of a GitHub Actions OIDC token: 5 minutes (`exp − iat`; EMPIRICAL, Azure/login#441).
pub const GITHUB_TOKEN_LIFETIME: i64 = 300;

const GITHUB_KEY_PEM: &str = include_str!("../../../data/demo-keys/github-actions.pem");

static GITHUB_KEY: OnceLock<Result<SigningKey, KeyError>> = OnceLock::new();

/// The demo key standing in for GitHub's signing key (parsed once, cached).
pub fn github_key() -> Result<&'static SigningKey, KeyError> {
    GITHUB_KEY
        .get_or_init(|| SigningKey::from_pkcs8_pem(0, "github-actions.pem", GITHUB_KEY_PEM))
        .as_ref()
        .map_err(Clone::clone)
}

/// GitHub's JWKS as served at [`GITHUB_JWKS_URI`] (its keys carry `alg` "RS256").
pub fn github_jwks() -> Result<Jwks, KeyError> {
    let mut jwk = github_key()?.jwk.clone();
    jwk.alg = Some("RS256".to_string());
    Ok(Jwks { keys: vec![jwk] })
}

/// A GitHub Actions job that asks for an OIDC token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitHubWorkflowRun {
    /// `owner/repo`.
    pub repository: String,
    /// The deployment environment, if the job has one (it decides the subject).
    pub environment: Option<String>,
    /// The git ref, e.g. `refs/heads/main`.
    pub git_ref: String,
    /// The triggering event, e.g. `push`, `pull_request`, `workflow_dispatch`.
    pub event_name: String,
    /// The requested audience.
    pub audience: String,
}

impl GitHubWorkflowRun {
    /// The reference's example: `octo-org/octo-repo`, environment `Production`, audience
    /// `api://AzureADTokenExchange`.
    pub fn example() -> GitHubWorkflowRun {
        GitHubWorkflowRun {
            repository: "octo-org/octo-repo".to_string(),
            environment: Some("Production".to_string()),
            git_ref: "refs/heads/main".to_string(),
            event_name: "push".to_string(),
            audience: AZURE_AD_TOKEN_EXCHANGE.to_string(),
        }
    }

    /// The `sub` claim: `repo:R:environment:E` when there is an environment, else
    /// `repo:R:pull_request` for pull requests, else `repo:R:ref:REF`.
    pub fn subject(&self) -> String {
        let repo = &self.repository;
        match &self.environment {
            Some(env) => format!("repo:{repo}:environment:{env}"),
            None if self.event_name == "pull_request" => format!("repo:{repo}:pull_request"),
            None => format!("repo:{repo}:ref:{}", self.git_ref),
        }
    }

    /// The signed OIDC token: `iat = now`, `exp = now + 300`, `nbf = now − 600` (as in
    /// GitHub's documented example token), claims in GitHub's order.
    pub fn issue_assertion(&self, now: i64, ids: &mut IdGen) -> Result<AccessToken, EntraError> {
        let key = github_key()?;
        let owner = self.repository.split('/').next().unwrap_or("");
        let sha: String = ids.bytes(20).iter().map(|b| format!("{b:02x}")).collect();
        let run_id = 1_000_000_000 + ids.next_u64() % 9_000_000_000;
        let ref_type = if self.git_ref.starts_with("refs/tags/") {
            "tag"
        } else {
            "branch"
        };
        let mut c = JsonObject::new();
        c.insert("jti".into(), json!(ids.guid().to_string()));
        c.insert("sub".into(), json!(self.subject()));
        if let Some(env) = &self.environment {
            c.insert("environment".into(), json!(env));
        }
        c.insert("aud".into(), json!(self.audience));
        c.insert("ref".into(), json!(self.git_ref));
        c.insert("sha".into(), json!(sha));
        c.insert("repository".into(), json!(self.repository));
        c.insert("repository_owner".into(), json!(owner));
        c.insert("run_id".into(), json!(run_id.to_string()));
        c.insert("run_number".into(), json!("1"));
        c.insert("run_attempt".into(), json!("1"));
        c.insert("runner_environment".into(), json!("github-hosted"));
        c.insert("actor".into(), json!(owner));
        c.insert("workflow".into(), json!("deploy"));
        c.insert("event_name".into(), json!(self.event_name));
        c.insert("ref_type".into(), json!(ref_type));
        c.insert("iss".into(), json!(GITHUB_ISSUER));
        c.insert("nbf".into(), json!(now - 600));
        c.insert("exp".into(), json!(now + GITHUB_TOKEN_LIFETIME));
        c.insert("iat".into(), json!(now));
        let mut header = JsonObject::new();
        header.insert("typ".into(), json!("JWT"));
        header.insert("alg".into(), json!("RS256"));
        header.insert("x5t".into(), json!(key.x5t));
        header.insert("kid".into(), json!(key.kid));
        let token = key.sign(&header, &c)?;
        Ok(AccessToken {
            token,
            header,
            claims: c,
            issued_at: now,
            expires_on: now + GITHUB_TOKEN_LIFETIME,
            kid: key.kid.clone(),
        })
    }
}
