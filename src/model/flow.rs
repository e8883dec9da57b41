//! Walkthroughs: a flow (which code on which host calls which operation on which target,
//! through which identity and endpoint, with which what-ifs) turned into the steps a person
//! follows — enable the identity, Entra ID creates the service principal, the platform
//! provisions its credential, code calls the endpoint, Entra ID issues the token (or the cache
//! answers), code calls the target, the target validates the token, the access check, the
//! answer. A flow that fails stops where real Azure fails, with the real error and, where there
//! is one, the smallest fix.

pub mod operation;
pub mod token_view;
pub mod whatif;

mod app_credential;
mod engine;
#[cfg(test)]
mod tests;

pub use engine::walk;
pub use operation::{GRAPH, Operation, OperationError};
pub use token_view::{ClaimView, SignatureStatus, TokenView, explain, token_view};
pub use whatif::{PickBy, WhatIf};

use crate::model::json::ToJson;
use crate::model::platform::Note;
use crate::model::rbac::{Decision, TraceKind};
use crate::model::world::Command;
use std::fmt;

/// The kinds of step, in flow order. Their names are the ones scenario files use for speaker
/// notes and expectations.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson)]
#[serde(rename_all = "camelCase")]
pub enum StepKind {
    /// The identity is enabled on the resource (an ARM PUT with the `identity` block).
    Enable,
    /// Entra ID creates the service principal.
    ServicePrincipal,
    /// The platform provisions the identity's credential (a certificate code never sees).
    Credential,
    /// Code calls the local identity endpoint (IMDS, App Service or Arc).
    Endpoint,
    /// Entra ID issues the token, or the platform's cache answers.
    Issue,
    /// Code calls the target with the token.
    Call,
    /// The target validates the token.
    Validate,
    /// The target checks access.
    Access,
    /// The target answers.
    Answer,
}

impl StepKind {
    /// Every kind, in order.
    pub const ALL: [StepKind; 9] = [
        StepKind::Enable,
        StepKind::ServicePrincipal,
        StepKind::Credential,
        StepKind::Endpoint,
        StepKind::Issue,
        StepKind::Call,
        StepKind::Validate,
        StepKind::Access,
        StepKind::Answer,
    ];

    /// The name scenario files use, e.g. `servicePrincipal`.
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Enable => "enable",
            StepKind::ServicePrincipal => "servicePrincipal",
            StepKind::Credential => "credential",
            StepKind::Endpoint => "endpoint",
            StepKind::Issue => "issue",
            StepKind::Call => "call",
            StepKind::Validate => "validate",
            StepKind::Access => "access",
            StepKind::Answer => "answer",
        }
    }

    /// The kind with this scenario-file name.
    pub fn from_name(name: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a step went.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ToJson)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    /// It happened as it should.
    Done,
    /// It happened, answered from a cache.
    Cached,
    /// It does not apply here (no identity to enable, code not on Azure) and is explained.
    Skipped,
    /// The flow fails here.
    Failed,
}

/// An HTTP exchange as text, exactly as it goes over the wire.
#[derive(Clone, PartialEq, Eq, Debug, ToJson)]
pub struct HttpText {
    /// The request.
    pub request: String,
    /// The response, or the connection error the client reports.
    pub response: String,
    /// The response status, if there was a response.
    pub status: Option<u16>,
    /// Whether the response's exact form is the simulator's best guess.
    pub simulated: bool,
}

/// One line of an access-check trace, for display.
#[derive(Clone, PartialEq, Eq, Debug, ToJson)]
pub struct TraceLineView {
    /// What the line is about (`roleAssignment`, `pattern`, `result`…).
    pub kind: &'static str,
    /// The sentence.
    pub text: String,
    /// Whether this line decided the outcome.
    pub decisive: bool,
}

/// An access decision, for display.
#[derive(Clone, PartialEq, Eq, Debug, ToJson)]
pub struct DecisionView {
    /// The answer.
    pub allowed: bool,
    /// Why, in one sentence.
    pub reason: String,
    /// The trace.
    pub trace: Vec<TraceLineView>,
    /// The least-privilege suggestion, for a denial.
    pub suggestion: Option<String>,
}

fn trace_kind(kind: TraceKind) -> &'static str {
    match kind {
        TraceKind::Question => "question",
        TraceKind::PermissionModel => "permissionModel",
        TraceKind::DenyAssignment => "denyAssignment",
        TraceKind::RoleAssignment => "roleAssignment",
        TraceKind::Pattern => "pattern",
        TraceKind::Subtraction => "subtraction",
        TraceKind::Propagation => "propagation",
        TraceKind::Condition => "condition",
        TraceKind::AccessPolicy => "accessPolicy",
        TraceKind::AppRole => "appRole",
        TraceKind::Skipped => "skipped",
        TraceKind::Result => "result",
    }
}

impl From<&Decision> for DecisionView {
    fn from(d: &Decision) -> DecisionView {
        DecisionView {
            allowed: d.allowed,
            reason: d.reason.to_string(),
            trace: d
                .trace
                .iter()
                .map(|l| TraceLineView {
                    kind: trace_kind(l.kind),
                    text: l.text.clone(),
                    decisive: l.decisive,
                })
                .collect(),
            suggestion: d.suggestion.as_ref().map(ToString::to_string),
        }
    }
}

/// One step of a walkthrough.
#[derive(Clone, PartialEq, Debug, ToJson)]
pub struct Step {
    /// Which step.
    pub kind: StepKind,
    /// A short title.
    pub title: String,
    /// What happens, why, and what would go wrong, in plain words.
    pub narration: String,
    /// Ids of the graph elements taking part: ARM resource ids, service principal object
    /// ids, role assignment ids, `entra:{tenant id}` for a tenant's token service.
    pub elements: Vec<String>,
    /// The HTTP exchanges of the step (Arc has two: the challenge and the real request).
    pub http: Vec<HttpText>,
    /// The token, decoded and explained.
    pub token: Option<TokenView>,
    /// The access decision and its trace.
    pub decision: Option<DecisionView>,
    /// The simulated time of the step (Unix seconds).
    pub time: i64,
    /// How it went.
    pub status: StepStatus,
    /// Remarks, some flagging simulated behaviour.
    pub notes: Vec<Note>,
}

/// What a fix does.
#[derive(Clone, PartialEq, Debug, ToJson)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FixAction {
    /// Turn off the what-if at this index in the list the walk was given.
    DropWhatIf {
        /// Its index.
        index: usize,
    },
    /// Add this what-if (e.g. name the identity in the request).
    AddWhatIf {
        /// The what-if.
        what_if: WhatIf,
    },
    /// Apply these commands to the world.
    Apply {
        /// The commands, in order.
        commands: Vec<Command>,
    },
    /// Nothing the simulator can change: the title says what to do in real life.
    Explain,
}

/// The smallest change that makes a failing flow succeed.
#[derive(Clone, PartialEq, Debug, ToJson)]
pub struct Fix {
    /// What it does, in one sentence ("Assign Key Vault Secrets User on kv-prod").
    pub title: String,
    /// How to apply it.
    pub action: FixAction,
}

/// Where and how a flow failed.
#[derive(Clone, PartialEq, Debug, ToJson)]
pub struct Failure {
    /// The step that failed.
    pub at: StepKind,
    /// The HTTP status of the failing response, if there was one.
    pub status: Option<u16>,
    /// The error, as the caller sees it.
    pub error: String,
    /// The smallest fix, if there is one.
    pub fix: Option<Fix>,
}

/// A computed walkthrough.
#[derive(Clone, PartialEq, Debug, ToJson)]
pub struct Walkthrough {
    /// The flow's name.
    pub flow: String,
    /// The flow's title.
    pub title: String,
    /// Where the code runs after the what-ifs: a resource's name, an on-premises server's name,
    /// or "a laptop" for code outside Azure.
    pub origin: String,
    /// The steps, up to the failing one.
    pub steps: Vec<Step>,
    /// How it failed, if it did.
    pub failure: Option<Failure>,
    /// The JWKS of every tenant's token service, to verify the tokens shown.
    pub jwks: serde_json::Value,
}

/// A call site as the walkthrough names it.
pub(crate) fn origin_name(
    world: &crate::model::world::World,
    site: &crate::model::platform::CallSite,
) -> String {
    use crate::model::platform::CallSite;
    match site {
        CallSite::Resource(id) => world
            .resource(id)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| id.name().to_string()),
        CallSite::OnPremises(name) => name.clone(),
        CallSite::Internet => "a laptop".to_string(),
    }
}

impl Walkthrough {
    /// Whether the flow reached the answer.
    pub fn succeeded(&self) -> bool {
        self.failure.is_none()
    }

    /// The step kinds walked, in order.
    pub fn step_kinds(&self) -> Vec<StepKind> {
        self.steps.iter().map(|s| s.kind).collect()
    }

    /// The step of this kind, if walked.
    pub fn step(&self, kind: StepKind) -> Option<&Step> {
        self.steps.iter().find(|s| s.kind == kind)
    }
}

/// Why a flow cannot be walked at all (its definition is wrong, not its outcome).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FlowError {
    /// `from` names no resource or on-premises server.
    UnknownHost {
        /// The name.
        name: String,
    },
    /// `target` names no resource (and is not `Microsoft Graph`).
    UnknownTarget {
        /// The name.
        name: String,
    },
    /// The operation text is wrong.
    Operation(OperationError),
    /// `identity` names no identity of the host.
    UnknownIdentity {
        /// The name.
        name: String,
    },
    /// A what-if cannot be applied to this flow.
    WhatIf {
        /// Why.
        message: String,
    },
    /// The flow uses a credential this engine does not walk.
    UnsupportedCredential {
        /// The credential kind.
        credential: String,
    },
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::UnknownHost { name } => {
                write!(f, "no resource or on-premises server named \"{name}\"")
            }
            FlowError::UnknownTarget { name } => write!(f, "no target named \"{name}\""),
            FlowError::Operation(e) => write!(f, "{e}"),
            FlowError::UnknownIdentity { name } => {
                write!(f, "the host has no identity named \"{name}\"")
            }
            FlowError::WhatIf { message } => write!(f, "{message}"),
            FlowError::UnsupportedCredential { credential } => {
                write!(
                    f,
                    "credential \"{credential}\" is not one the walkthrough knows"
                )
            }
        }
    }
}

impl std::error::Error for FlowError {}
