//! The side panel: tabs for the step (narration, what-ifs, Fix it), the HTTP exchange (with a
//! raw request editor), the decoded token, the access check, and the scenario's exercises.

use super::app::Props;
use super::clipboard::CopyButton;
use crate::model::flow::WhatIf;
use crate::model::flow::whatif::affects;
use crate::model::flow::{DecisionView, HttpText, SignatureStatus, Step, StepStatus, TokenView};
use crate::view::launch::Launch;
use crate::view::session::{Action, Session};
use std::rc::Rc;
use yew::prelude::*;

/// The tabs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tab {
    Step,
    Http,
    Token,
    Access,
    Inspect,
    Edit,
    Check,
    Exercises,
}

const TABS: [(Tab, &str); 7] = [
    (Tab::Step, "Step"),
    (Tab::Http, "HTTP"),
    (Tab::Token, "Token"),
    (Tab::Access, "Access"),
    (Tab::Inspect, "Inspect"),
    (Tab::Edit, "Edit"),
    (Tab::Check, "Check"),
];

/// The panel.
#[function_component(Panel)]
pub fn panel(props: &Props) -> Html {
    let tab = use_state(|| Tab::Step);
    let launch = use_context::<Rc<Launch>>().unwrap_or_default();
    let s = &props.session;
    let exercises = super::exercise::use_exercises(&props.session.0);
    // The Exercises tab is there only when the scenario has exercises.
    let current = match *tab {
        Tab::Exercises if exercises.is_none() => Tab::Step,
        t => t,
    };
    // Selecting something on the graph opens the inspector.
    {
        let tab = tab.clone();
        use_effect_with(s.selected.clone(), move |selected| {
            if selected.is_some() {
                tab.set(Tab::Inspect);
            }
        });
    }
    let step = s.walkthrough.as_ref().and_then(|w| w.steps.get(s.step));
    let top = super::app::use_top_when((current, super::app::step_shown(s)));
    let body = match (current, step) {
        (Tab::Exercises, _) => html! { <super::exercise::ExercisesTab view={exercises.clone()} /> },
        (Tab::Inspect, _) => inspect_tab(s),
        (Tab::Edit, _) => html! {
            <super::edit::EditTool session={props.session.clone()} dispatch={props.dispatch.clone()} />
        },
        (Tab::Check, _) => html! {
            <super::check::CheckTool session={props.session.clone()} dispatch={props.dispatch.clone()} />
        },
        (_, None) => html! { <p class="muted">{ "Nothing to show." }</p> },
        (Tab::Step, Some(step)) => step_tab(props, step, launch.read_only),
        (Tab::Http, Some(step)) => html! {
            <>
                <HttpTab session={props.session.clone()} dispatch={props.dispatch.clone()}
                         key={format!("{}-{}", s.step, s.flow)} />
                { http_list(step) }
            </>
        },
        (Tab::Token, Some(_)) => token_tab(s),
        (Tab::Access, Some(step)) => access_tab(step),
    };
    html! {
        <aside class="panel" aria-label="Details">
            <div class="tabs" role="tablist" aria-label="Details">
                { for TABS.iter().map(|(t, label)| {
                    let selected = current == *t;
                    let onclick = { let tab = tab.clone(); let t = *t; Callback::from(move |_| tab.set(t)) };
                    html! {
                        <button type="button" role="tab" class={classes!("tab", selected.then_some("selected"))}
                                id={format!("tab-{}", label.to_ascii_lowercase())}
                                aria-selected={selected.to_string()}
                                aria-controls="tab-panel" {onclick}>{ *label }</button>
                    }
                }) }
                if let Some(v) = exercises.as_ref() {
                    { exercises_tab_button(&tab, current, v) }
                }
            </div>
            <div class="tab-panel" id="tab-panel" role="tabpanel" tabindex="0" ref={top}
                 aria-labelledby={match current {
                     Tab::Exercises => "tab-exercises".to_string(),
                     _ => format!("tab-{}", TABS.iter().find(|(t, _)| *t == current).map(|(_, l)| l.to_ascii_lowercase()).unwrap_or_default()),
                 }}>
                { body }
            </div>
            <super::exercise::ExerciseAnnouncer view={exercises.clone()} />
        </aside>
    }
}

/// The Exercises tab's button, with its count badge (`Exercises 0/2`).
fn exercises_tab_button(
    tab: &UseStateHandle<Tab>,
    current: Tab,
    v: &crate::view::exercise::ExercisesView,
) -> Html {
    let selected = current == Tab::Exercises;
    let onclick = {
        let tab = tab.clone();
        Callback::from(move |_| tab.set(Tab::Exercises))
    };
    html! {
        <button type="button" role="tab" class={classes!("tab", "tab-exercises", selected.then_some("selected"))}
                id="tab-exercises" aria-selected={selected.to_string()} aria-controls="tab-panel"
                aria-label={v.tab_name()} {onclick}>
            { "Exercises " }
            <span class={classes!("tab-count", v.all_solved().then_some("all-solved"))}>{ v.count() }</span>
        </button>
    }
}

fn status_badge(status: StepStatus) -> Html {
    let (class, icon, text) = match status {
        StepStatus::Done => ("ok", "✓", "Done"),
        StepStatus::Cached => ("pending", "⟳", "From cache"),
        StepStatus::Skipped => ("muted", "–", "Does not apply"),
        StepStatus::Failed => ("bad", "✗", "Fails here"),
    };
    html! {
        <span class={classes!("badge", class)}><span aria-hidden="true">{ icon }{ " " }</span>{ text }</span>
    }
}

/// The Step tab's content: the step's title and status, narration, failure and fix, and the
/// what-ifs. Read-only hides what changes the world (the what-ifs and Fix it).
pub(super) fn step_tab(props: &Props, step: &Step, read_only: bool) -> Html {
    let s = &props.session;
    let d = &props.dispatch;
    let failure = s
        .walkthrough
        .as_ref()
        .and_then(|w| w.failure.clone())
        .filter(|_| step.status == StepStatus::Failed);
    let flow = s.scenario.flows.get(s.flow);
    let kind = step.kind.name();
    let mut here = Vec::new();
    let mut elsewhere = Vec::new();
    for (i, spec) in flow
        .map(|f| f.what_ifs.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let at = WhatIf::from_spec(spec)
            .map(|w| affects(&w))
            .unwrap_or("endpoint");
        if at == kind {
            here.push((i, spec))
        } else {
            elsewhere.push((i, spec))
        }
    }
    let toggle = |i: usize, title: &str| {
        let on = s.what_ifs.contains(&i);
        let d = d.clone();
        let onchange = Callback::from(move |_: Event| d.emit(Action::ToggleWhatIf(i)));
        html! {
            <li>
                <label class="what-if">
                    <input type="checkbox" checked={on} {onchange} />
                    <span>{ format!("What if {title}?") }</span>
                </label>
            </li>
        }
    };
    let fix = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::ApplyFix))
    };
    html! {
        <div class="step-tab">
            <div class="step-head">
                <h2 class="step-title">{ format!("{}. {}", s.step + 1, step.title) }</h2>
                { status_badge(step.status) }
            </div>
            <p class="narration" aria-live="polite">{ step.narration.clone() }</p>
            { for step.notes.iter().filter(|n| n.simulated).map(|n| html! {
                <p class="note simulated"><span class="tag">{ "Simulated" }</span>{ " " }{ n.text.clone() }</p>
            }) }
            if let Some(f) = failure {
                <div class="failure" role="alert">
                    <p class="failure-title"><span aria-hidden="true">{ "✗ " }</span>
                        { match f.status { Some(code) => format!("Fails here with HTTP {code}"), None => "Fails here".to_string() } }
                    </p>
                    <pre class="code small">{ f.error.clone() }</pre>
                    if let Some(fx) = f.fix {
                        <div class="fix">
                            <p>{ fx.title.clone() }</p>
                            if fx.action != crate::model::flow::FixAction::Explain && !read_only {
                                <button type="button" class="button primary" onclick={fix}>{ "Fix it" }</button>
                            }
                        </div>
                    }
                </div>
            }
            if !read_only && (!here.is_empty() || !elsewhere.is_empty()) {
                <section class="what-ifs" aria-labelledby="what-if-title">
                    <h3 id="what-if-title">{ "What if…" }</h3>
                    if !here.is_empty() {
                        <p class="what-if-group">{ "At this step" }</p>
                        <ul class="plain">{ for here.iter().map(|(i, spec)| toggle(*i, &spec.title)) }</ul>
                    }
                    if !elsewhere.is_empty() {
                        <p class="what-if-group">{ if here.is_empty() { "Elsewhere in the flow" } else { "At other steps" } }</p>
                        <ul class="plain">{ for elsewhere.iter().map(|(i, spec)| toggle(*i, &spec.title)) }</ul>
                    }
                </section>
            }
        </div>
    }
}

fn http_block(h: &HttpText, n: usize) -> Html {
    html! {
        <div class="exchange">
            <div class="exchange-head">
                <h3>{ if n == 0 { "Request".to_string() } else { format!("Request {}", n + 1) } }</h3>
                <CopyButton label="Copy request" text={h.request.clone()} />
            </div>
            <pre class="code" tabindex="0" aria-label="HTTP request">{ h.request.clone() }</pre>
            <div class="exchange-head">
                <h3>{ "Response" }
                    if h.simulated { <span class="tag" title="The exact text is the simulator's best guess">{ "Simulated" }</span> }
                </h3>
                <CopyButton label="Copy response" text={h.response.clone()} />
            </div>
            <pre class={classes!("code", h.status.filter(|s| *s >= 400).map(|_| "bad"), h.status.is_none().then_some("bad"))}
                 tabindex="0" aria-label="HTTP response">{ h.response.clone() }</pre>
        </div>
    }
}

fn http_list(step: &Step) -> Html {
    if step.http.is_empty() {
        return html! { <p class="muted">{ "No HTTP exchange in this step." }</p> };
    }
    html! { <>{ for step.http.iter().enumerate().map(|(i, h)| http_block(h, i)) }</> }
}

/// The raw request editor, shown above the exchanges on steps whose request can be re-sent.
#[function_component(HttpTab)]
fn http_tab(props: &Props) -> Html {
    let s = &props.session;
    let editing = use_state(|| false);
    let node = use_node_ref();
    if !s.step_is_editable() {
        return html! {};
    }
    let step = s.walkthrough.as_ref().and_then(|w| w.steps.get(s.step));
    let request = step
        .and_then(|st| st.http.last())
        .map(|h| h.request.clone())
        .unwrap_or_default();
    let open = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    let send = {
        let (d, node, step) = (props.dispatch.clone(), node.clone(), s.step);
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = node.cast::<web_sys::HtmlTextAreaElement>() {
                d.emit(Action::SendRaw {
                    step,
                    text: area.value(),
                });
            }
        })
    };
    let raw = s.raw.as_ref().filter(|r| r.step == s.step);
    html! {
        <div class="raw-editor">
            <button type="button" class="button" onclick={open} aria-expanded={editing.to_string()}>
                { if *editing { "Close the editor" } else { "Edit and send" } }
            </button>
            if *editing {
                <label for="raw-request" class="field-label">{ "HTTP request (edit, then send from the code's host)" }</label>
                <textarea id="raw-request" class="code editor" ref={node} rows="8" spellcheck="false"
                          value={request.replace("\r\n", "\n")} />
                <button type="button" class="button primary" onclick={send}>{ "Send" }</button>
                if let Some(r) = raw {
                    { match &r.outcome {
                        Ok(h) => html! { <div class="raw-result"><h3>{ "Result" }</h3><pre class={classes!("code", h.status.filter(|c| *c >= 400).map(|_| "bad"))} aria-label="Edited request's response">{ h.response.clone() }</pre></div> },
                        Err(e) => html! { <p class="parse-error" role="alert">{ format!("Not sent: {e}") }</p> },
                    } }
                }
            }
        </div>
    }
}

fn token_table(title: &str, rows: &[crate::model::flow::ClaimView]) -> Html {
    html! {
        <table class="claims">
            <caption>{ title }</caption>
            <thead><tr><th scope="col">{ "Claim" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "Meaning" }</th></tr></thead>
            <tbody>
                { for rows.iter().map(|c| html! {
                    <tr>
                        <th scope="row"><code>{ c.name.clone() }</code></th>
                        <td><code class="value">{ match &c.value { serde_json::Value::String(s) => s.clone(), v => v.to_string() } }</code>
                            if let Some(date) = &c.date { <div class="muted small">{ date.clone() }</div> }
                        </td>
                        <td class="small">{ c.explanation.clone() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn token_tab(s: &Session) -> Html {
    let Some(w) = &s.walkthrough else {
        return html! {};
    };
    let token: Option<&TokenView> = w
        .steps
        .iter()
        .take(s.step + 1)
        .rev()
        .find_map(|st| st.token.as_ref());
    let Some(t) = token else {
        return html! { <p class="muted">{ "No token yet: the code gets one at the endpoint step." }</p> };
    };
    let jwks = crate::model::json::to_pretty(&w.jwks);
    html! {
        <div class="token-tab">
            <div class="signature">
                { match &t.signature {
                    SignatureStatus::Verified { kid } => html! { <p class="badge ok"><span aria-hidden="true">{ "✓ " }</span>{ format!("Signature verified (RS256) with key {kid} from the JWKS below") }</p> },
                    SignatureStatus::Invalid { reason } => html! { <p class="badge bad"><span aria-hidden="true">{ "✗ " }</span>{ format!("Signature does not verify: {reason}") }</p> },
                } }
                <div class="button-row">
                    <CopyButton label="Copy token" text={t.raw.clone()} />
                    <CopyButton label="Copy JWKS" text={jwks.clone()} />
                </div>
            </div>
            { token_table("Header", &t.header) }
            { token_table("Claims", &t.claims) }
            <details>
                <summary>{ "The token as sent" }</summary>
                <pre class="code wrap" tabindex="0">{ t.raw.clone() }</pre>
            </details>
            <details>
                <summary>{ "Entra ID's published keys (JWKS, demo keys)" }</summary>
                <pre class="code" tabindex="0">{ jwks }</pre>
            </details>
        </div>
    }
}

fn inspect_tab(s: &Session) -> Html {
    let Some(id) = &s.selected else {
        return html! { <p class="muted">{ "Select a resource, identity, service principal or role assignment on the graph (click it, or Tab to it and press Enter)." }</p> };
    };
    let Some(i) = crate::view::inspect::inspect(&s.sim.world, id) else {
        return html! { <p class="muted">{ "This element has no details to show." }</p> };
    };
    html! {
        <div class="inspect-tab">
            <h2 class="step-title">{ i.title.clone() }</h2>
            <p class="muted small">{ i.source.clone() }</p>
            { for i.remarks.iter().map(|r| html! { <p class="note">{ r.clone() }</p> }) }
            <div class="exchange-head"><h3>{ "JSON" }</h3><CopyButton label="Copy JSON" text={i.json.clone()} /></div>
            <pre class="code" tabindex="0" aria-label="JSON">{ i.json.clone() }</pre>
        </div>
    }
}

fn access_tab(step: &Step) -> Html {
    let Some(d): Option<&DecisionView> = step.decision.as_ref() else {
        return html! { <p class="muted">{ "No access check in this step: the target checks access after it validates the token." }</p> };
    };
    html! { <div class="access-tab">{ decision_view(d) }</div> }
}

/// A decision as the Access tab and the Check tool show it: the verdict (Allowed, Denied, or
/// Not yet while the granting assignment propagates), the reason, the trace with the deciding
/// line marked, and the least-privilege suggestion.
pub(super) fn decision_view(d: &DecisionView) -> Html {
    // The reason of `DecisionReason::NotYetPropagated`.
    let propagating = !d.allowed && d.reason.starts_with("Denied for now");
    let (class, icon, word) = match (d.allowed, propagating) {
        (true, _) => ("ok", "✓ ", "Allowed"),
        (false, true) => ("pending", "⏳ ", "Not yet"),
        (false, false) => ("bad", "✗ ", "Denied"),
    };
    html! {
        <>
            <p class={classes!("badge", class)}><span aria-hidden="true">{ icon }</span>{ word }</p>
            <p class="check-reason">{ d.reason.clone() }</p>
            <ol class="trace">
                { for d.trace.iter().map(|l| html! {
                    <li class={classes!(l.kind, l.decisive.then_some("decisive"))}
                        aria-current={l.decisive.then_some("true")}>
                        if l.decisive { <span class="tag">{ "Decides" }</span>{ " " } }
                        { l.text.clone() }
                    </li>
                }) }
            </ol>
            if let Some(sug) = &d.suggestion {
                <p class="suggestion"><strong>{ "Least privilege: " }</strong>{ sug.clone() }</p>
            }
        </>
    }
}
