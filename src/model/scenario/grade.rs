//! Grading an exercise fully against a simulation: the goal's access answer, the outcome of
//! its flow (walked by the walkthrough engine with no what-ifs) and the least-privilege limit.
//! A "not yet" names every part that is still wrong, in plain words.

use super::expect::{access_part, too_broad};
use super::{Exercise, ExerciseGrade, Scenario};
use crate::model::flow::{self, StepKind, Walkthrough};
use crate::model::platform::Simulation;

/// Where a flow fails, as a person says it: `at the endpoint`, `at the access check`.
pub fn failure_place(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Enable => "when the identity is enabled",
        StepKind::ServicePrincipal => "at the service principal",
        StepKind::Credential => "at the credential",
        StepKind::Endpoint => "at the endpoint",
        StepKind::Issue => "when the token is issued",
        StepKind::Call => "at the call to the target",
        StepKind::Validate => "when the target validates the token",
        StepKind::Access => "at the access check",
        StepKind::Answer => "at the answer",
    }
}

/// How a walked flow stands against a wanted outcome: `None` when it ends as wanted.
fn flow_wrong(name: &str, walked: &Walkthrough, wanted: &str) -> Option<String> {
    match (&walked.failure, wanted) {
        (None, "failure") => Some(format!("{name} still succeeds")),
        (None, _) => None,
        (Some(_), "failure") => None,
        (Some(f), _) => Some(match f.status {
            Some(status) => format!("{name} still fails {} with {status}", failure_place(f.at)),
            None => format!("{name} still fails {}", failure_place(f.at)),
        }),
    }
}

/// The flow part of a goal: `None` when it holds (or there is none), else what is wrong.
fn flow_part(sim: &Simulation, scenario: &Scenario, exercise: &Exercise) -> Option<String> {
    let name = exercise.goal.flow.as_ref()?;
    let wanted = exercise.goal.outcome.as_deref().unwrap_or("success");
    let Some(flow) = scenario.flow(name) else {
        return Some(format!("the scenario has no flow named {name}"));
    };
    match flow::walk(sim, flow, &[]) {
        Ok(walked) => flow_wrong(name, &walked, wanted),
        Err(e) => Some(format!("{name} cannot be walked: {e}")),
    }
}

/// Grades `exercise` against `sim`: the access part and the flow part must both hold when both
/// are given (a "not yet" lists what is wrong, access first, joined by `; `); then no role of
/// the goal's principal may be broader than the limit. Never changes `sim`.
pub fn grade_exercise(sim: &Simulation, scenario: &Scenario, exercise: &Exercise) -> ExerciseGrade {
    let wrong: Vec<String> = [
        access_part(&sim.world, exercise),
        flow_part(sim, scenario, exercise),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !wrong.is_empty() {
        return ExerciseGrade::NotYet {
            actual: wrong.join("; "),
        };
    }
    too_broad(&sim.world, exercise).unwrap_or(ExerciseGrade::Solved)
}
