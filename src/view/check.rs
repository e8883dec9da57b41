//! The Check access tool as a pure view model: a principal, an action and a scope (written
//! the way scenario files write them) in, the RBAC engine's decision, its trace and the
//! least-privilege suggestion out, with the suggestion as a command the person can apply.

use crate::model::flow::DecisionView;
use crate::model::rbac::{self, Suggestion, check_access};
use crate::model::scenario::{principal_id, resolve_scope_path};
use crate::model::world::{Command, World};
use crate::view::edit::{TASKS, task_for_scope};

/// The check's answer.
#[derive(Clone, PartialEq, Debug)]
pub struct CheckView {
    /// The decision, its reason, its trace and the suggestion as text.
    pub decision: DecisionView,
    /// The least-privilege suggestion as a command, when it is a role assignment.
    pub fix: Option<Command>,
}

/// The action to check: one of [`TASKS`] by index, or a typed operation name (classified
/// as data or control plane by the built-in roles).
pub fn action_for(task: Option<usize>, custom: &str) -> Result<rbac::Action, String> {
    match task.and_then(|i| TASKS.get(i)) {
        Some(t) => Ok(t.action()),
        None if custom.trim().is_empty() => Err("Enter an operation to check.".to_string()),
        None => Ok(rbac::Action::classify(custom.trim())),
    }
}

/// Asks the RBAC engine whether `principal` may perform `action` on `scope`. A principal or
/// scope that does not exist is an input error with a message, not a denial.
pub fn check(
    world: &World,
    principal: &str,
    action: &rbac::Action,
    scope: &str,
) -> Result<CheckView, String> {
    let principal = principal.trim();
    let pid = principal_id(world, principal).ok_or_else(|| {
        if world.resource_named(principal).is_some() {
            format!("{principal} has no managed identity: enable one first.")
        } else {
            format!("No identity or application named '{principal}'.")
        }
    })?;
    crate::model::scenario::ScopePath::parse(scope)?;
    let id = resolve_scope_path(world, scope)
        .ok_or_else(|| format!("'{scope}' is not a scope path."))?;
    world
        .resolve_scope(id.as_str())
        .map_err(|e| e.to_string())?;
    let decision = check_access(world, pid, action, &id);
    let fix = match &decision.suggestion {
        Some(Suggestion::AssignRole {
            role_name, scope, ..
        }) => Some(Command::AddRoleAssignment {
            principal: principal.to_string(),
            role: role_name.clone(),
            scope: scope.0.clone(),
            condition: None,
        }),
        _ => None,
    };
    Ok(CheckView {
        decision: DecisionView::from(&decision),
        fix,
    })
}

/// The form's starting values: the flow's code as the principal when it has an identity,
/// the first target as the scope, and that target's usual task.
pub fn defaults(world: &World, flow_from: Option<&str>) -> (String, String, Option<usize>) {
    let principals = crate::view::edit::choices(world).principals;
    let principal = flow_from
        .filter(|f| principal_id(world, f).is_some())
        .map(str::to_string)
        .or_else(|| principals.first().map(|p| p.value.clone()))
        .unwrap_or_default();
    let scope = world
        .resources()
        .iter()
        .find(|r| r.kind.is_target())
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let task = task_for_scope(world, &scope).or(Some(0));
    (principal, scope, task)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::session::Session;

    #[test]
    fn the_check_answers_with_trace_and_an_applicable_fix() {
        let s = Session::open("least-privilege");
        let w = &s.sim.world;
        let (principal, scope, task) =
            defaults(w, s.scenario.flows.first().map(|f| f.from.as_str()));
        let action = action_for(task, "").unwrap();
        let view = check(w, &principal, &action, &scope).unwrap();
        assert!(!view.decision.allowed, "{:?}", view.decision);
        assert!(view.decision.trace.iter().any(|l| l.decisive));
        let fix = view.fix.clone().unwrap();
        let mut sim = crate::model::platform::Simulation::clone(&s.sim);
        sim.apply(fix).unwrap();
        sim.apply(Command::AdvanceClock { seconds: 3600 }).unwrap();
        assert!(
            check(&sim.world, &principal, &action, &scope)
                .unwrap()
                .decision
                .allowed
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_denial() {
        let s = Session::open("vm-keyvault-system-assigned");
        let w = &s.sim.world;
        let read = action_for(Some(0), "").unwrap();
        let cases: [(&str, &str, &str); 3] = [
            (
                "nobody",
                "kv-prod",
                "No identity or application named 'nobody'.",
            ),
            (
                "vm-web",
                "a/b/c/d",
                "\"a/b/c/d\" is not a scope path (expected a name, resource/kind/name such as stdata/containers/uploads, rg:, sub:, mg: or an id starting with /)",
            ),
            ("vm-web", "", "empty scope"),
        ];
        for (principal, scope, message) in cases {
            assert_eq!(check(w, principal, &read, scope), Err(message.to_string()));
        }
        assert!(check(w, "vm-web", &read, "kv-nope").is_err());
        assert_eq!(
            action_for(None, " "),
            Err("Enter an operation to check.".to_string())
        );
        assert!(
            action_for(
                None,
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
            )
            .unwrap()
            .is_data
        );
    }

    #[test]
    fn the_shipped_vm_may_read_its_secret() {
        let s = Session::open("vm-keyvault-system-assigned");
        let read = action_for(Some(0), "").unwrap();
        let view = check(&s.sim.world, "vm-web", &read, "kv-prod").unwrap();
        assert!(view.decision.allowed);
        assert_eq!(view.fix, None);
    }
}
