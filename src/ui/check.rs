//! The Check tab: pick a principal, an action and a scope, and see the RBAC engine's
//! decision, its trace and the least-privilege suggestion (`view::check`), with a button
//! that applies the suggestion as an undoable edit. The answer follows the world: after an
//! edit the same question is asked again.

use super::app::Props;
use super::edit::{pick, select, text_input};
use crate::model::flow::DecisionView;
use crate::view::check::{self, CheckView};
use crate::view::edit::{self, Choice, TASKS};
use crate::view::session::Action;
use yew::prelude::*;

/// The question last asked: principal, task index (or `other`), typed operation, scope.
#[derive(Clone, PartialEq)]
struct Question {
    principal: String,
    task: String,
    custom: String,
    scope: String,
}

/// The Check tab.
#[function_component(CheckTool)]
pub fn check_tool(props: &Props) -> Html {
    let s = &props.session;
    let world = &s.sim.world;
    let (default_principal, default_scope, default_task) = {
        let session = s.clone();
        (*use_memo(s.scenario_id.clone(), move |_| {
            check::defaults(
                &session.sim.world,
                session
                    .scenario
                    .flows
                    .get(session.flow)
                    .map(|f| f.from.as_str()),
            )
        }))
        .clone()
    };
    let principal = use_state(|| default_principal.clone());
    let scope = use_state(|| default_scope.clone());
    let task = use_state(|| default_task.map_or_else(|| "other".to_string(), |i| i.to_string()));
    let custom = use_state(String::new);
    let asked = use_state(|| None::<Question>);
    let c = {
        let session = s.clone();
        use_memo(s.world_revision(), move |_| {
            edit::choices(&session.sim.world)
        })
    };
    let tasks: Vec<Choice> = TASKS
        .iter()
        .enumerate()
        .map(|(i, t)| Choice {
            value: i.to_string(),
            label: format!(
                "{} ({})",
                t.label,
                if t.is_data { "data" } else { "control plane" }
            ),
        })
        .chain(std::iter::once(Choice {
            value: "other".to_string(),
            label: "Another operation…".to_string(),
        }))
        .collect();
    let task_value = pick(&task, &tasks);
    let ask = {
        let asked = asked.clone();
        let (principal, scope, custom) = (principal.clone(), scope.clone(), custom.clone());
        let (principals, scopes, task_value) =
            (c.principals.clone(), c.scopes.clone(), task_value.clone());
        Callback::from(move |_: MouseEvent| {
            asked.set(Some(Question {
                principal: pick(&principal, &principals),
                task: task_value.clone(),
                custom: (*custom).clone(),
                scope: pick(&scope, &scopes),
            }))
        })
    };
    let answer: Option<Result<CheckView, String>> = asked.as_ref().map(|q| {
        let action = check::action_for(q.task.parse().ok(), &q.custom)?;
        check::check(world, &q.principal, &action, &q.scope)
    });
    let apply = |fix: crate::model::world::Command| {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::Apply(Box::new(fix.clone()))))
    };
    html! {
        <div class="check-tool">
            <p class="muted small">{ "Ask Azure RBAC a question: may this identity do this, here? The answer shows every assignment considered and the smallest role that would do." }</p>
            <fieldset class="form">
                <legend>{ "Check access" }</legend>
                { select("check-principal", "Principal", &principal, &c.principals) }
                { select("check-action", "Action", &task, &tasks) }
                if task_value == "other" {
                    { text_input("check-custom", "Operation", &custom, "e.g. Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete") }
                }
                { select("check-scope", "Scope", &scope, &c.scopes) }
                <button type="button" class="button primary" onclick={ask}>{ "Check access" }</button>
                if let Some(Err(message)) = &answer {
                    <p class="form-error" role="alert" id="check-error"><span aria-hidden="true">{ "✗ " }</span>{ message.clone() }</p>
                }
            </fieldset>
            if let Some(Ok(view)) = &answer {
                { decision(&view.decision) }
                if let Some(fix) = &view.fix {
                    <button type="button" class="button" onclick={apply(fix.clone())}>{ "Apply the suggestion" }</button>
                    if s.command_error.is_some() {
                        <p class="form-error" role="alert"><span aria-hidden="true">{ "✗ " }</span>{ s.command_error.clone().unwrap_or_default() }</p>
                    }
                }
            }
        </div>
    }
}

fn decision(d: &DecisionView) -> Html {
    html! {
        <section class="check-result access-tab" aria-live="polite" aria-label="Decision">
            { super::panel::decision_view(d) }
        </section>
    }
}
