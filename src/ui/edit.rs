//! The Edit tab: forms that change the world through the model's commands (add resources,
//! switch system-assigned identities, create, attach and detach user-assigned identities,
//! add and remove role assignments with a role picker, delete, move, transfer). Each form
//! lists its names from the world (`view::edit`), dispatches `Action::Apply`, and shows a
//! refused command's message beside its button.

use super::app::{Props, SessionRef};
use crate::model::world::{Command, ResourceKind};
use crate::view::edit::{self, Choice, EditChoices, Fit, TASKS};
use crate::view::session::Action;
use std::rc::Rc;
use yew::prelude::*;

/// The value a picker holds: what the person chose if it is still offered, else the first
/// option (so a form always has a sensible default, also after an edit removes the choice).
pub(crate) fn pick(state: &str, options: &[Choice]) -> String {
    options
        .iter()
        .find(|c| c.value == state)
        .or_else(|| options.first())
        .map(|c| c.value.clone())
        .unwrap_or_default()
}

/// A labelled `<select>` bound to a state.
pub(crate) fn select(
    id: &str,
    label: &str,
    state: &UseStateHandle<String>,
    options: &[Choice],
) -> Html {
    let current = pick(state, options);
    let mut seen = std::collections::HashSet::new();
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            state.set(el.value());
        })
    };
    html! {
        <div class="field">
            <label class="field-label" for={id.to_string()}>{ label }</label>
            <select id={id.to_string()} class="input" {onchange} disabled={options.is_empty()}>
                // Keyed by value, so removing one entry of a long list updates one option, not
                // every one after it; two entries with one value could not be told apart anyway.
                { for options.iter()
                    .filter(|c| seen.insert(c.value.as_str()))
                    .map(|c| html! {
                    <option key={c.value.clone()} value={c.value.clone()} selected={c.value == current}>{ c.label.clone() }</option>
                }) }
            </select>
        </div>
    }
}

/// A labelled text input bound to a state.
pub(crate) fn text_input(
    id: &str,
    label: &str,
    state: &UseStateHandle<String>,
    placeholder: &str,
) -> Html {
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            state.set(el.value());
        })
    };
    html! {
        <div class="field">
            <label class="field-label" for={id.to_string()}>{ label }</label>
            <input id={id.to_string()} class="input" type="text" value={(**state).clone()}
                   placeholder={placeholder.to_string()} spellcheck="false" autocomplete="off" {oninput} />
        </div>
    }
}

/// Which form last submitted, and the message it got, for showing errors beside it.
#[derive(Clone, PartialEq, Default)]
struct Outcome {
    form: &'static str,
    /// A message from the form itself (before the model saw anything).
    local: Option<String>,
}

/// The Edit tab.
#[function_component(EditTool)]
pub fn edit_tool(props: &Props) -> Html {
    let s = &props.session;
    let c = {
        let session = s.clone();
        use_memo(s.world_revision(), move |_| {
            edit::choices(&session.sim.world)
        })
    };
    let outcome = use_state(Outcome::default);
    // Apply a command built by a form, or show why the form could not build one.
    let submit = {
        let (d, outcome) = (props.dispatch.clone(), outcome.clone());
        move |form: &'static str, built: Result<Command, String>| match built {
            Ok(command) => {
                outcome.set(Outcome { form, local: None });
                d.emit(Action::Apply(Box::new(command)));
            }
            Err(message) => outcome.set(Outcome {
                form,
                local: Some(message),
            }),
        }
    };
    let error_for = |form: &'static str| -> Html {
        if outcome.form != form {
            return html! {};
        }
        let message = outcome.local.clone().or_else(|| s.command_error.clone());
        match message {
            Some(m) => html! {
                <p class="form-error" role="alert" id={format!("{form}-error")}>
                    <span aria-hidden="true">{ "✗ " }</span>{ m }
                </p>
            },
            None => html! {},
        }
    };
    html! {
        <div class="edit-tool">
            <p class="muted small">{ "Change the world and watch the graph and the flow follow. Every edit can be undone (Ctrl+Z) and is saved in this browser." }</p>
            <AddResource choices={c.clone()} submit={Callback::from({ let submit = submit.clone(); move |b| submit("add-resource", b) })} error={error_for("add-resource")} session={s.clone()} />
            <Identities choices={c.clone()} submit={Callback::from({ let submit = submit.clone(); move |b| submit("identity", b) })} error={error_for("identity")} session={s.clone()} />
            <RoleAssignments choices={c.clone()} submit={Callback::from({ let submit = submit.clone(); move |b| submit("assignment", b) })} error={error_for("assignment")} session={s.clone()} />
            <Removals choices={c.clone()} submit={Callback::from({ let submit = submit.clone(); move |b| submit("remove", b) })} error={error_for("remove")} session={s.clone()} />
            <MoveAndTransfer choices={c.clone()} submit={Callback::from(move |b| submit("move", b))} error={error_for("move")} session={s.clone()} />
        </div>
    }
}

/// Properties of one group of forms.
#[derive(Properties, PartialEq)]
struct FormProps {
    choices: Rc<EditChoices>,
    submit: Callback<Result<Command, String>>,
    error: Html,
    session: SessionRef,
}

fn button(label: &str, onclick: Callback<MouseEvent>) -> Html {
    html! { <button type="button" class="button primary" {onclick}>{ label.to_string() }</button> }
}

#[function_component(AddResource)]
fn add_resource(p: &FormProps) -> Html {
    let group = use_state(String::new);
    let kind = use_state(String::new);
    let name = use_state(String::new);
    let uami_group = use_state(String::new);
    let uami_name = use_state(String::new);
    let kinds: Vec<Choice> = edit::addable_kinds()
        .into_iter()
        .map(|k| Choice {
            value: format!("{k:?}"),
            label: k.display_name().to_string(),
        })
        .collect();
    let add = {
        let (p_submit, session, groups) = (
            p.submit.clone(),
            p.session.clone(),
            p.choices.resource_groups.clone(),
        );
        let (group, kind, name, kinds) = (group.clone(), kind.clone(), name.clone(), kinds.clone());
        Callback::from(move |_: MouseEvent| {
            let chosen = pick(&kind, &kinds);
            let k = edit::addable_kinds()
                .into_iter()
                .find(|k| format!("{k:?}") == chosen)
                .unwrap_or(ResourceKind::VirtualMachine);
            p_submit.emit(edit::add_resource(
                &session.sim.world,
                &pick(&group, &groups),
                &name,
                k,
            ));
        })
    };
    let create = {
        let (p_submit, session, groups) = (
            p.submit.clone(),
            p.session.clone(),
            p.choices.resource_groups.clone(),
        );
        let (group, name) = (uami_group.clone(), uami_name.clone());
        Callback::from(move |_: MouseEvent| {
            p_submit.emit(edit::create_user_assigned(
                &session.sim.world,
                &pick(&group, &groups),
                &name,
            ));
        })
    };
    html! {
        <details class="edit-group" open=true>
            <summary>{ "Add" }</summary>
            <fieldset class="form">
                <legend>{ "Add a resource" }</legend>
                { select("add-kind", "Kind", &kind, &kinds) }
                { select("add-group", "Resource group", &group, &p.choices.resource_groups) }
                { text_input("add-name", "Name", &name, "e.g. kv-reports") }
                { button("Add resource", add) }
            </fieldset>
            <fieldset class="form">
                <legend>{ "Create a user-assigned identity" }</legend>
                { select("uami-group", "Resource group", &uami_group, &p.choices.resource_groups) }
                { text_input("uami-name", "Identity name", &uami_name, "e.g. id-reports") }
                { button("Create identity", create) }
            </fieldset>
            { p.error.clone() }
        </details>
    }
}

#[function_component(Identities)]
fn identities(p: &FormProps) -> Html {
    let host = use_state(String::new);
    let identity = use_state(String::new);
    let hosts: Vec<Choice> = p
        .choices
        .hosts
        .iter()
        .map(|h| Choice {
            value: h.name.clone(),
            label: h.label.clone(),
        })
        .collect();
    let current = pick(&host, &hosts);
    let chosen = p.choices.hosts.iter().find(|h| h.name == current).cloned();
    let emit = |command: Command| {
        let submit = p.submit.clone();
        Callback::from(move |_: MouseEvent| submit.emit(Ok(command.clone())))
    };
    let attach = {
        let (submit, identity, options, current) = (
            p.submit.clone(),
            identity.clone(),
            p.choices.identities.clone(),
            current.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            submit.emit(Ok(Command::AttachUserAssigned {
                resource: current.clone(),
                identity: pick(&identity, &options),
            }))
        })
    };
    html! {
        <details class="edit-group" open=true>
            <summary>{ "Managed identities" }</summary>
            <fieldset class="form">
                <legend>{ "Identities of a resource" }</legend>
                { select("identity-host", "Resource", &host, &hosts) }
                if let Some(h) = chosen {
                    if h.supports_system_assigned {
                        <div class="row">
                            <span class={classes!("badge", if h.system_assigned { "ok" } else { "muted" })}>
                                { if h.system_assigned { "System-assigned: on" } else { "System-assigned: off" } }
                            </span>
                            if h.system_assigned {
                                <button type="button" class="button" onclick={emit(Command::DisableSystemAssigned { resource: h.name.clone() })}>{ "Disable system-assigned" }</button>
                            } else {
                                <button type="button" class="button primary" onclick={emit(Command::EnableSystemAssigned { resource: h.name.clone() })}>{ "Enable system-assigned" }</button>
                            }
                        </div>
                    }
                    if h.supports_user_assigned {
                        <p class="field-label">{ "User-assigned identities attached" }</p>
                        if h.attached.is_empty() {
                            <p class="muted small">{ "None." }</p>
                        } else {
                            <ul class="plain attached">
                                { for h.attached.iter().map(|a| html! {
                                    <li>
                                        <span>{ a.clone() }</span>
                                        <button type="button" class="button small" aria-label={format!("Detach {a}")}
                                                onclick={emit(Command::DetachUserAssigned { resource: h.name.clone(), identity: a.clone() })}>{ "Detach" }</button>
                                    </li>
                                }) }
                            </ul>
                        }
                        if p.choices.identities.is_empty() {
                            <p class="muted small no-identities">
                                { "No user-assigned identity to attach: create one under Add, with Create identity." }
                            </p>
                        } else {
                            { select("attach-identity", "Identity to attach", &identity, &p.choices.identities) }
                            { button("Attach identity", attach) }
                        }
                    }
                }
            </fieldset>
            { p.error.clone() }
        </details>
    }
}

/// How many roles the picker lists at once (the search narrows the rest).
const SHOWN_ROLES: usize = 8;

#[function_component(RoleAssignments)]
fn role_assignments(p: &FormProps) -> Html {
    let principal = use_state(String::new);
    let scope = use_state(String::new);
    let task = use_state(|| None::<String>);
    let query = use_state(String::new);
    let role = use_state(String::new);
    let world = &p.session.sim.world;
    let scope_value = pick(&scope, &p.choices.scopes);
    // The task defaults to what the scope is usually for, until the person picks one.
    let task_index: Option<usize> = match &*task {
        Some(t) => t.parse().ok(),
        None => edit::task_for_scope(world, &scope_value),
    };
    let needed = task_index.and_then(|i| TASKS.get(i)).map(|t| t.action());
    let options = edit::role_options(world, &query, needed.as_ref());
    let recommended = options
        .iter()
        .find(|o| o.fit == Fit::LeastPrivilege)
        .map(|o| o.name.clone());
    let chosen = if options.iter().any(|o| o.name == *role) {
        (*role).clone()
    } else {
        recommended.clone().unwrap_or_default()
    };
    let tasks: Vec<Choice> = std::iter::once(Choice {
        value: "none".to_string(),
        label: "Not specified".to_string(),
    })
    .chain(TASKS.iter().enumerate().map(|(i, t)| Choice {
        value: i.to_string(),
        label: t.label.to_string(),
    }))
    .collect();
    let task_state_value = task_index.map_or_else(|| "none".to_string(), |i| i.to_string());
    let on_task = {
        let task = task.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            task.set(Some(el.value()));
        })
    };
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            query.set(el.value());
        })
    };
    let add = {
        let (submit, session, principals) = (
            p.submit.clone(),
            p.session.clone(),
            p.choices.principals.clone(),
        );
        let (principal, chosen, scope_value) =
            (principal.clone(), chosen.clone(), scope_value.clone());
        Callback::from(move |_: MouseEvent| {
            submit.emit(edit::add_role_assignment(
                &session.sim.world,
                &pick(&principal, &principals),
                &chosen,
                &scope_value,
            ))
        })
    };
    let more = options.len().saturating_sub(SHOWN_ROLES);
    html! {
        <details class="edit-group" open=true>
            <summary>{ "Role assignments" }</summary>
            <fieldset class="form">
                <legend>{ "Add a role assignment" }</legend>
                { select("assign-principal", "Principal", &principal, &p.choices.principals) }
                { select("assign-scope", "Scope", &scope, &p.choices.scopes) }
                <div class="field">
                    <label class="field-label" for="assign-task">{ "The task needs" }</label>
                    <select id="assign-task" class="input" onchange={on_task}>
                        { for tasks.iter().map(|c| html! {
                            <option value={c.value.clone()} selected={c.value == task_state_value}>{ c.label.clone() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field-label" for="role-search">{ "Role" }</label>
                    <input id="role-search" class="input" type="search" placeholder="Search roles, e.g. blob reader"
                           value={(*query).clone()} oninput={on_query} autocomplete="off"
                           aria-controls="role-list" />
                </div>
                <div class="role-list" id="role-list" role="radiogroup" aria-label="Roles">
                    if options.is_empty() {
                        <p class="muted small">{ "No role matches the search." }</p>
                    }
                    { for options.iter().take(SHOWN_ROLES).map(|o| {
                        let checked = o.name == chosen;
                        let onchange = { let role = role.clone(); let name = o.name.clone(); Callback::from(move |_: Event| role.set(name.clone())) };
                        let flag_class = match o.fit { Fit::LeastPrivilege => "ok", Fit::Broader { .. } => "pending", Fit::DoesNotGrant => "bad", Fit::NoTask => "muted" };
                        html! {
                            <label class={classes!("role-option", checked.then_some("checked"))}>
                                <input type="radio" name="role" value={o.name.clone()} {checked} {onchange} />
                                <span class="role-body">
                                    <span class="role-name">{ o.name.clone() }
                                        <span class="tag" title={format!("Breadth score {}", o.breadth)}>{ o.breadth_label }</span>
                                    </span>
                                    if let Some(flag) = o.flag() {
                                        <span class={classes!("badge", "small", flag_class)}>{ flag }</span>
                                    }
                                    <span class="role-desc small muted">{ o.description.clone() }</span>
                                    <span class="role-grants small">{ for o.grants.iter().map(|g| html! { <span>{ g.clone() }</span> }) }</span>
                                </span>
                            </label>
                        }
                    }) }
                    if more > 0 {
                        <p class="muted small">{ format!("{more} more roles: refine the search.") }</p>
                    }
                </div>
                <button type="button" class="button primary" onclick={add} disabled={chosen.is_empty()}>
                    { if chosen.is_empty() { "Add role assignment".to_string() } else { format!("Assign {chosen}") } }
                </button>
            </fieldset>
            { p.error.clone() }
        </details>
    }
}

#[function_component(Removals)]
fn removals(p: &FormProps) -> Html {
    let assignment = use_state(String::new);
    let resource = use_state(String::new);
    let identity = use_state(String::new);
    let remove = {
        let (submit, state, options) = (
            p.submit.clone(),
            assignment.clone(),
            p.choices.assignments.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            submit.emit(Ok(Command::RemoveRoleAssignment {
                assignment: pick(&state, &options),
            }))
        })
    };
    let delete_resource = {
        let (submit, state, options) = (
            p.submit.clone(),
            resource.clone(),
            p.choices.resources.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            submit.emit(Ok(Command::DeleteResource {
                resource: pick(&state, &options),
            }))
        })
    };
    let delete_identity = {
        let (submit, state, options) = (
            p.submit.clone(),
            identity.clone(),
            p.choices.identities.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            submit.emit(Ok(Command::DeleteUserAssigned {
                name: pick(&state, &options),
            }))
        })
    };
    html! {
        <details class="edit-group">
            <summary>{ "Remove and delete" }</summary>
            <fieldset class="form">
                <legend>{ "Remove a role assignment" }</legend>
                { select("remove-assignment", "Role assignment", &assignment, &p.choices.assignments) }
                { button("Remove assignment", remove) }
            </fieldset>
            <fieldset class="form">
                <legend>{ "Delete a resource" }</legend>
                { select("delete-resource", "Resource", &resource, &p.choices.resources) }
                { button("Delete resource", delete_resource) }
            </fieldset>
            <fieldset class="form">
                <legend>{ "Delete a user-assigned identity" }</legend>
                { select("delete-identity", "Identity", &identity, &p.choices.identities) }
                { button("Delete identity", delete_identity) }
            </fieldset>
            { p.error.clone() }
        </details>
    }
}

#[function_component(MoveAndTransfer)]
fn move_and_transfer(p: &FormProps) -> Html {
    let resource = use_state(String::new);
    let group = use_state(String::new);
    let subscription = use_state(String::new);
    let tenant = use_state(String::new);
    let tenants: Vec<Choice> = p
        .choices
        .tenants
        .iter()
        .map(|t| Choice {
            value: t.clone(),
            label: t.clone(),
        })
        .collect();
    let move_cb = {
        let (submit, c) = (p.submit.clone(), p.choices.clone());
        let (resource, group) = (resource.clone(), group.clone());
        Callback::from(move |_: MouseEvent| {
            let target = pick(&group, &c.resource_groups);
            let command = edit::split_group(&target)
                .map(|(sub, rg)| Command::MoveResource {
                    resource: pick(&resource, &c.resources),
                    subscription: sub.to_string(),
                    resource_group: rg.to_string(),
                })
                .ok_or_else(|| "Choose a resource group.".to_string());
            submit.emit(command)
        })
    };
    let transfer = {
        let (submit, c) = (p.submit.clone(), p.choices.clone());
        let (subscription, tenant, tenants) =
            (subscription.clone(), tenant.clone(), tenants.clone());
        Callback::from(move |_: MouseEvent| {
            submit.emit(Ok(Command::TransferSubscription {
                subscription: pick(&subscription, &c.subscriptions),
                tenant: pick(&tenant, &tenants),
            }))
        })
    };
    html! {
        <details class="edit-group">
            <summary>{ "Move and transfer" }</summary>
            <fieldset class="form">
                <legend>{ "Move a resource" }</legend>
                { select("move-resource", "Resource", &resource, &p.choices.resources) }
                { select("move-group", "To resource group", &group, &p.choices.resource_groups) }
                { button("Move resource", move_cb) }
            </fieldset>
            <fieldset class="form">
                <legend>{ "Transfer a subscription to another directory" }</legend>
                { select("transfer-subscription", "Subscription", &subscription, &p.choices.subscriptions) }
                { select("transfer-tenant", "To tenant", &tenant, &tenants) }
                { button("Transfer subscription", transfer) }
            </fieldset>
            { p.error.clone() }
        </details>
    }
}
