//! Evaluating a scenario's access-check expectations and exercise goals against a world: each
//! gives one line saying what was expected, what happened, and whether that passes.

use super::build::scope_id;
use super::names::ScopePath;
use super::{AccessCheck, Exercise, Expectation, Scenario};
use crate::model::ids::{ObjectId, ResourceId};
use crate::model::rbac::{Action, Decision, DecisionReason, check_access, check_app_role};
use crate::model::world::{GRAPH_DISPLAY_NAME, ServicePrincipalType, World};
use std::fmt;

/// The reason codes an access expectation may name: [`DecisionReason`]'s variants, plus
/// `IdentityNotFound` for a principal that no longer exists.
pub const REASON_CODES: &[&str] = &[
    "AllowedByRoleAssignment",
    "AllowedByAccessPolicy",
    "AllowedByAppRole",
    "DeniedByDenyAssignment",
    "NotYetPropagated",
    "NoRoleAssignment",
    "NoAccessPolicy",
    "AccessPolicyLacksPermission",
    "NotGrantableByAccessPolicy",
    "NoAppRole",
    "IdentityNotFound",
];

/// The code of a decision's reason, e.g. `NoRoleAssignment`.
pub fn reason_code(reason: &DecisionReason) -> &'static str {
    use DecisionReason::*;
    match reason {
        AllowedByRoleAssignment { .. } => "AllowedByRoleAssignment",
        AllowedByAccessPolicy { .. } => "AllowedByAccessPolicy",
        AllowedByAppRole { .. } => "AllowedByAppRole",
        DeniedByDenyAssignment { .. } => "DeniedByDenyAssignment",
        NotYetPropagated { .. } => "NotYetPropagated",
        NoRoleAssignment => "NoRoleAssignment",
        NoAccessPolicy { .. } => "NoAccessPolicy",
        AccessPolicyLacksPermission { .. } => "AccessPolicyLacksPermission",
        NotGrantableByAccessPolicy { .. } => "NotGrantableByAccessPolicy",
        NoAppRole { .. } => "NoAppRole",
    }
}

/// One evaluated expectation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExpectationResult {
    /// Where it is in the file, e.g. `$.expectations[2]`.
    pub path: String,
    /// The question, e.g. `vm-web: Microsoft.KeyVault/.../getSecret/action on kv-prod/secrets/db-password`.
    pub question: String,
    /// What the file expects, e.g. `allowed` or `denied (NoRoleAssignment)`.
    pub expected: String,
    /// What the world answered, e.g. `denied (NoRoleAssignment)`.
    pub actual: String,
    /// Whether the answer is the expected one.
    pub passed: bool,
    /// The decision, with its trace (none when the principal does not exist).
    pub decision: Option<Decision>,
}

impl fmt::Display for ExpectationResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}: expected {}, got {}",
            if self.passed { "PASS" } else { "FAIL" },
            self.path,
            self.question,
            self.expected,
            self.actual
        )
    }
}

/// A check's answer in a world.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CheckAnswer {
    /// Whether it is allowed.
    pub allowed: bool,
    /// Its reason code (see [`REASON_CODES`]).
    pub reason: &'static str,
    /// The decision, with its trace (none when the principal does not exist).
    pub decision: Option<Decision>,
}

/// The object id of a named identity in a world: a resource's system-assigned identity, a
/// user-assigned identity, or an app registration's service principal.
pub fn principal_id(world: &World, name: &str) -> Option<ObjectId> {
    world.identity_principal(name).or_else(|| {
        world
            .tenants()
            .iter()
            .flat_map(|t| &t.service_principals)
            .find(|sp| {
                sp.service_principal_type == ServicePrincipalType::Application
                    && sp.display_name.eq_ignore_ascii_case(name)
                    && sp.display_name != GRAPH_DISPLAY_NAME
            })
            .map(|sp| sp.object_id)
    })
}

/// A scope path (`kv-prod/secrets/db-password`, `sub:Production`, ...) as an id in `world`;
/// `None` when the text is not a scope path.
pub fn resolve_scope_path(world: &World, scope: &str) -> Option<ResourceId> {
    ScopePath::parse(scope)
        .ok()
        .map(|p| ResourceId(scope_id(world, &p)))
}

/// Asks `world` the check's question.
pub fn evaluate(world: &World, check: &AccessCheck) -> CheckAnswer {
    let Some(principal) = principal_id(world, &check.principal) else {
        return CheckAnswer {
            allowed: false,
            reason: "IdentityNotFound",
            decision: None,
        };
    };
    let decision = match (&check.app_role, &check.action, &check.scope) {
        (Some(role), _, _) => {
            let api = check.api.as_deref().unwrap_or(GRAPH_DISPLAY_NAME);
            let app_id = world.service_principal(principal).and_then(|(t, _)| {
                t.service_principals
                    .iter()
                    .find(|sp| {
                        sp.display_name.eq_ignore_ascii_case(api) && !sp.app_roles.is_empty()
                    })
                    .map(|sp| sp.app_id)
            });
            match app_id {
                Some(app) => check_app_role(world, principal, app, role),
                None => check_app_role(world, principal, crate::model::world::GRAPH_APP_ID, role),
            }
        }
        (None, Some(action), Some(scope)) => {
            let action = match check.plane.as_deref() {
                Some("data") => Action::data(action),
                Some("control") => Action::control(action),
                _ => Action::classify(action),
            };
            let scope =
                resolve_scope_path(world, scope).unwrap_or_else(|| ResourceId(scope.clone()));
            check_access(world, principal, &action, &scope)
        }
        _ => {
            return CheckAnswer {
                allowed: false,
                reason: "NoRoleAssignment",
                decision: None,
            };
        }
    };
    CheckAnswer {
        allowed: decision.allowed,
        reason: reason_code(&decision.reason),
        decision: Some(decision),
    }
}

fn question(check: &AccessCheck) -> String {
    match (&check.app_role, &check.action, &check.scope) {
        (Some(role), _, _) => format!(
            "{}: app role {role} on {}",
            check.principal,
            check.api.as_deref().unwrap_or(GRAPH_DISPLAY_NAME)
        ),
        (None, Some(action), Some(scope)) => format!("{}: {action} on {scope}", check.principal),
        _ => check.principal.clone(),
    }
}

fn answer_text(allowed: bool, reason: Option<&str>) -> String {
    let word = if allowed { "allowed" } else { "denied" };
    match reason {
        Some(r) => format!("{word} ({r})"),
        None => word.to_string(),
    }
}

pub(super) fn check_all(s: &Scenario, world: &World) -> Vec<ExpectationResult> {
    s.expectations
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Expectation::Access(a) => Some((i, a)),
            Expectation::Flow(_) => None,
        })
        .map(|(i, a)| {
            let answer = evaluate(world, &a.check);
            let passed = answer.allowed == a.allowed
                && a.reason.as_deref().is_none_or(|r| r == answer.reason);
            ExpectationResult {
                path: format!("$.expectations[{i}]"),
                question: question(&a.check),
                expected: answer_text(a.allowed, a.reason.as_deref()),
                actual: answer_text(answer.allowed, Some(answer.reason)),
                passed,
                decision: answer.decision,
            }
        })
        .collect()
}

/// How an exercise stands in a world.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ExerciseGrade {
    /// The goal holds (and no role is broader than allowed).
    Solved,
    /// Part of the goal does not hold yet.
    NotYet {
        /// What is still wrong, in plain words, e.g. `vm-web reading secrets at
        /// kv-prod/secrets/db-password is still denied (NoRoleAssignment)` or
        /// `func-c-upload still fails at the endpoint with 400`; several parts joined by `; `.
        actual: String,
    },
    /// The goal holds, but a role assigned to the principal is broader than allowed.
    TooBroad {
        /// The goal's principal.
        principal: String,
        /// The broader role.
        role: String,
        /// The limit.
        limit: String,
    },
    /// The goal is a flow outcome only: [`grade_exercise`](super::grade_exercise) walks it.
    NeedsFlow,
}

impl fmt::Display for ExerciseGrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExerciseGrade::Solved => f.write_str("solved"),
            ExerciseGrade::NotYet { actual } => f.write_str(actual),
            ExerciseGrade::TooBroad {
                principal,
                role,
                limit,
            } => write!(f, "{principal} has {role}, broader than {limit}"),
            ExerciseGrade::NeedsFlow => f.write_str("the flow outcome needs a walk to grade"),
        }
    }
}

/// What a check's action does, as a phrase: `reading secrets`, `writing blobs`.
fn doing(action: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("/secrets/getSecret/action", "reading secrets"),
        ("/secrets/setSecret/action", "writing secrets"),
        ("/listKeys/action", "listing keys of"),
        ("/blobs/read", "reading blobs"),
        ("/blobs/write", "writing blobs"),
        ("/blobs/delete", "deleting blobs"),
    ];
    if let Some((_, phrase)) = KNOWN.iter().find(|(end, _)| action.ends_with(end)) {
        return (*phrase).to_string();
    }
    let mut parts = action.rsplit('/');
    match (parts.next(), parts.next()) {
        (Some("read"), Some(thing)) => format!("reading {thing}"),
        (Some("write"), Some(thing)) => format!("writing {thing}"),
        (Some("delete"), Some(thing)) => format!("deleting {thing}"),
        _ => format!("doing {action}"),
    }
}

/// The goal's access part in plain words when it does not hold, e.g. `vm-web reading secrets
/// at kv-prod/secrets/api-key is still allowed (AllowedByRoleAssignment)`.
fn access_wrong(check: &AccessCheck, answer: &CheckAnswer) -> String {
    let what = match (&check.app_role, &check.action, &check.scope) {
        (Some(role), _, _) => format!(
            "{} using the app role {role} of {}",
            check.principal,
            check.api.as_deref().unwrap_or(GRAPH_DISPLAY_NAME)
        ),
        (None, Some(action), Some(scope)) => {
            format!("{} {} at {scope}", check.principal, doing(action))
        }
        _ => check.principal.clone(),
    };
    format!(
        "{what} is still {}",
        answer_text(answer.allowed, Some(answer.reason))
    )
}

/// The access part of a goal: `None` when it holds (or there is none), else what is wrong.
pub(super) fn access_part(world: &World, exercise: &Exercise) -> Option<String> {
    let check = exercise.goal.check.as_ref()?;
    let answer = evaluate(world, check);
    (Some(answer.allowed) != exercise.goal.allowed).then(|| access_wrong(check, &answer))
}

/// The least-privilege part: the first role assigned to the goal's principal that is broader
/// than the exercise's limit.
pub(super) fn too_broad(world: &World, exercise: &Exercise) -> Option<ExerciseGrade> {
    let limit_name = exercise.no_role_broader_than.as_ref()?;
    let check = exercise.goal.check.as_ref()?;
    let limit = world.role_named(limit_name)?;
    let principal = principal_id(world, &check.principal)?;
    world
        .role_assignments()
        .iter()
        .filter(|a| a.principal_id == principal)
        .filter_map(|a| world.role_definition(a.role_definition_id))
        .find(|r| r.breadth() > limit.breadth())
        .map(|r| ExerciseGrade::TooBroad {
            principal: check.principal.clone(),
            role: r.role_name.clone(),
            limit: limit.role_name.clone(),
        })
}

/// Grades an exercise's access goal and least-privilege limit in `world` only; a goal with a
/// flow and no check is [`ExerciseGrade::NeedsFlow`]. [`grade_exercise`](super::grade_exercise)
/// grades both parts against a simulation.
pub fn grade(world: &World, exercise: &Exercise) -> ExerciseGrade {
    if exercise.goal.check.is_none() {
        return ExerciseGrade::NeedsFlow;
    }
    if let Some(actual) = access_part(world, exercise) {
        return ExerciseGrade::NotYet { actual };
    }
    too_broad(world, exercise).unwrap_or(ExerciseGrade::Solved)
}
