//! Embedding: the embed-mode screen (the graph, the step panel and a link to the full
//! simulator) with its postMessage bridge to the host page, and the Copy embed code dialog.
//! The HTML it offers and the messages it reads and writes come from `view::embed`.

use super::app::{Dispatch, Props, SessionRef, on_click};
use super::clipboard::CopyButton;
use super::graph::WorldGraph;
use super::panel::step_tab;
use crate::view::embed::{self, EmbedTarget, HostCommand, SIZES, StepReport, decode_host_message};
use crate::view::launch::Launch;
use crate::view::session::{Action, Session};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::JSON;
use yew::prelude::*;

/// The flow's title as the stepper and the embed code name it.
fn flow_title(s: &Session) -> String {
    s.walkthrough
        .as_ref()
        .map(|w| w.title.clone())
        .or_else(|| s.scenario.flows.get(s.flow).map(|f| f.title.clone()))
        .unwrap_or_default()
}

/// Where the frame is, for its messages to the host.
fn report(s: &Session) -> StepReport {
    StepReport {
        scenario: s.scenario_id.clone(),
        flow: s.flow,
        step: s.step,
        count: s.step_count(),
        title: flow_title(s),
        step_title: s
            .walkthrough
            .as_ref()
            .and_then(|w| w.steps.get(s.step))
            .map(|st| st.title.clone())
            .unwrap_or_default(),
    }
}

/// The window that framed this page, if it is framed.
fn host_window() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    (JsValue::from(&parent) != JsValue::from(&window)).then_some(parent)
}

/// Posts a message (JSON text from `view::embed`) to the host page as an object. What a frame
/// says (the scenario and the step) is no secret, so any host may hear it.
fn tell_host(text: &str) {
    if let (Some(host), Ok(message)) = (host_window(), JSON::parse(text)) {
        let _ = host.post_message(&message, "*");
    }
}

fn warn(text: &str) {
    web_sys::console::warn_1(&JsValue::from_str(text));
}

/// Obeys the host page's messages: only those from `window.parent`; anything malformed is
/// ignored with a console warning that says what is wrong.
fn listen_to_host(
    dispatch: Dispatch,
    count: Rc<RefCell<usize>>,
) -> Option<gloo::events::EventListener> {
    let window = web_sys::window()?;
    Some(gloo::events::EventListener::new(
        &window,
        "message",
        move |event| {
            let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                return;
            };
            let from_host = match (host_window(), event.source()) {
                (Some(host), Some(source)) => JsValue::from(&host) == JsValue::from(&source),
                _ => false,
            };
            if !from_host {
                return;
            }
            let text = JSON::stringify(&event.data())
                .ok()
                .and_then(|s| s.as_string());
            // Read the count first: obeying renders at once, and the render updates the count.
            let steps = *count.borrow();
            match decode_host_message(text.as_deref(), steps) {
                Ok(HostCommand::Go(step)) => dispatch.emit(Action::GoToStep(step)),
                Ok(HostCommand::Next) => dispatch.emit(Action::NextStep),
                Ok(HostCommand::Previous) => dispatch.emit(Action::PreviousStep),
                Err(problem) => warn(&format!(
                    "mi-sim: ignored a message from the host page: {problem}"
                )),
            }
        },
    ))
}

/// The height the frame's content needs, measured on the page as it is laid out now.
fn measure_content_height() -> Option<u32> {
    let document = web_sys::window()?.document()?;
    let page = document.document_element()?.scroll_height();
    let body = document.query_selector(".embed-body").ok()??;
    let inner = document.query_selector(".embed-inner").ok()??;
    Some(embed::content_height(
        f64::from(page),
        inner.get_bounding_client_rect().height(),
        f64::from(body.client_height()),
    ))
}

/// Tells the host the content's height when it changed since the last time.
fn report_height(last: &RefCell<u32>) {
    if host_window().is_none() {
        return;
    }
    if let Some(height) = measure_content_height().filter(|h| *h != *last.borrow()) {
        *last.borrow_mut() = height;
        tell_host(&embed::resize_message(height));
    }
}

/// The embedded screen: the world graph beside the step panel (the flow's title, the stepper,
/// the step's narration and, unless read-only, its what-ifs) and a link to the full simulator.
#[function_component(EmbedView)]
pub fn embed_view(props: &Props) -> Html {
    let s = &props.session;
    let d = &props.dispatch;
    let launch = use_context::<Rc<Launch>>().unwrap_or_default();
    let read_only = launch.read_only;

    // Host → frame: the listener reads the current step count when a message comes.
    let count = use_mut_ref(|| 0usize);
    *count.borrow_mut() = s.step_count();
    {
        let (dispatch, count) = (d.clone(), count.clone());
        use_effect_with((), move |_| {
            let listener = listen_to_host(dispatch, count);
            move || drop(listener)
        });
    }
    {
        let problems = launch.problems.clone();
        use_effect_with((), move |_| {
            for p in problems {
                warn(&format!("mi-sim: ignored part of the address: {p}"));
            }
        });
    }
    // Frame → host: ready once, then every change of step.
    let announced = use_mut_ref(|| false);
    {
        let r = report(s);
        let key = (r.scenario.clone(), r.flow, r.step, r.count);
        use_effect_with(key, move |_| {
            let first = !*announced.borrow();
            *announced.borrow_mut() = true;
            tell_host(&if first {
                embed::ready_message(&r, crate::VERSION)
            } else {
                embed::step_message(&r)
            });
        });
    }
    // Frame → host: the content's height after every render and every resize.
    let last_height = use_mut_ref(|| 0u32);
    {
        let last = last_height.clone();
        use_effect(move || report_height(&last));
    }
    {
        let last = last_height.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "resize", move |_| report_height(&last))
            });
            move || drop(listener)
        });
    }

    let top = super::app::use_top_when(super::app::step_shown(s));
    let act = |a: Action| on_click(d, a);
    let count = s.step_count();
    let path = super::location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_else(|| "./".to_string());
    let link = embed::full_simulator_link(&path, &s.scenario_id, s.flow, s.step);
    let step = s.walkthrough.as_ref().and_then(|w| w.steps.get(s.step));
    html! {
        <main class="embed" aria-label="mi-sim, embedded">
            <div class="embed-graph">
                if let Some(error) = &s.error {
                    <p class="error-banner" role="alert">{ error.clone() }</p>
                }
                <WorldGraph session={s.clone()} dispatch={d.clone()} />
            </div>
            <section class="embed-panel" aria-labelledby="flow-title">
                <div class="embed-head">
                    <h1 id="flow-title" class="pane-title">{ flow_title(s) }</h1>
                    <nav class="embed-stepper" aria-label="Steps">
                        <button type="button" class="button small" onclick={act(Action::PreviousStep)}
                                disabled={s.step == 0} aria-label="Previous step">
                            <span aria-hidden="true">{ "◀" }</span><span class="word">{ " Previous" }</span>
                        </button>
                        <span class="step-count" aria-live="polite">{ s.step_label() }</span>
                        <button type="button" class="button small primary" onclick={act(Action::NextStep)}
                                disabled={s.step + 1 >= count} aria-label="Next step">
                            <span class="word">{ "Next " }</span><span aria-hidden="true">{ "▶" }</span>
                        </button>
                    </nav>
                </div>
                <div class="embed-body" tabindex="0" aria-label="Step details" ref={top}>
                    <div class="embed-inner">
                        { match step {
                            Some(step) => step_tab(props, step, read_only),
                            None => html! { <p class="muted">{ "Nothing to show." }</p> },
                        } }
                    </div>
                </div>
                <p class="embed-foot">
                    <a class="embed-open" href={link} target="_blank" rel="noopener"
                       title="The full simulator at this step, in a new tab">{ "Open in mi-sim ↗" }</a>
                </p>
            </section>
        </main>
    }
}

/// Draws a dialog over the whole page: in the app's own element (whose theme it takes), not
/// where its button is, so that no menu around the button stays above it or hides it.
fn over_the_page(dialog: Html) -> Html {
    let host = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector(".app")
            .ok()
            .flatten()
            .or_else(|| d.body().map(Into::into))
    });
    match host {
        Some(host) => yew::create_portal(dialog, host),
        None => dialog,
    }
}

/// Properties of [`EmbedCodeButton`].
#[derive(Properties, PartialEq)]
pub struct EmbedCodeProps {
    /// The session: the code embeds its scenario, flow and step.
    pub session: SessionRef,
    /// Called when the dialog opens: the menu the entry is in closes.
    pub on_open: Callback<()>,
    /// Where focus goes when the dialog closes (the closed menu hides the entry itself).
    pub focus_after: NodeRef,
}

/// The elements Tab can reach inside `root`, in order.
fn focusable(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(
        "button:not([disabled]), input:not([disabled]), textarea, select, a[href], [tabindex='0']",
    ) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// "Copy embed code…": a Share menu entry that opens a dialog with the iframe HTML and the
/// `embed.js` snippet for the current scenario, flow and step, with a read-only option and size
/// presets.
#[function_component(EmbedCodeButton)]
pub fn embed_code_button(props: &EmbedCodeProps) -> Html {
    let s = &props.session;
    let open = use_state(|| false);
    let read_only = use_state(|| false);
    let size = use_state(|| 0usize);
    let dialog = use_node_ref();
    let code = use_node_ref();
    {
        // Focus moves into the dialog when it opens and where the props say when it closes.
        let (after, code, was_open) = (
            props.focus_after.clone(),
            code.clone(),
            use_mut_ref(|| false),
        );
        use_effect_with(*open, move |open| {
            if *open {
                if let Some(area) = code.cast::<web_sys::HtmlTextAreaElement>() {
                    let _ = area.focus();
                    area.select();
                }
            } else if *was_open.borrow()
                && let Some(button) = after.cast::<web_sys::HtmlElement>()
            {
                let _ = button.focus();
            }
            *was_open.borrow_mut() = *open;
        });
    }
    let show = {
        let (open, on_open) = (open.clone(), props.on_open.clone());
        Callback::from(move |_: MouseEvent| {
            open.set(true);
            on_open.emit(());
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    let close_on_backdrop = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            if e.target() == e.current_target() {
                open.set(false);
            }
        })
    };
    let on_key = {
        let (open, dialog) = (open.clone(), dialog.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Keys typed in the dialog do not step the flow behind it.
            e.stop_propagation();
            match e.key().as_str() {
                "Escape" => {
                    e.prevent_default();
                    open.set(false);
                }
                "Tab" => {
                    let Some(root) = dialog.cast::<web_sys::Element>() else {
                        return;
                    };
                    let items = focusable(&root);
                    let active = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.active_element())
                        .map(JsValue::from);
                    let (Some(first), Some(last)) = (items.first(), items.last()) else {
                        return;
                    };
                    let wrap_to = match (e.shift_key(), &active) {
                        (true, Some(a)) if *a == JsValue::from(first) => Some(last),
                        (false, Some(a)) if *a == JsValue::from(last) => Some(first),
                        _ => None,
                    };
                    if let Some(target) = wrap_to {
                        e.prevent_default();
                        let _ = target.focus();
                    }
                }
                _ => {}
            }
        })
    };
    let toggle_read_only = {
        let read_only = read_only.clone();
        Callback::from(move |_: Event| read_only.set(!*read_only))
    };
    let href = super::location()
        .and_then(|l| l.href().ok())
        .unwrap_or_default();
    let target = EmbedTarget {
        base: embed::base_url(&href),
        scenario: s.scenario_id.clone(),
        flow: s.flow,
        step: s.step,
        read_only: *read_only,
        title: flow_title(s),
    };
    let chosen = SIZES.get(*size).copied().unwrap_or(SIZES[0]);
    let iframe = embed::iframe_html(&target, chosen);
    let script = embed::script_html(&target);
    html! {
        <>
            <button type="button" class="menu-item" onclick={show}
                    aria-haspopup="dialog" aria-expanded={open.to_string()}>
                <span aria-hidden="true" class="menu-icon">{ "</>" }</span>
                <span>{ "Copy embed code…" }</span>
            </button>
            if *open {
                { over_the_page(html! {
                <div class="embed-backdrop" onclick={close_on_backdrop}>
                    <div class="embed-dialog" role="dialog" aria-modal="true" ref={dialog}
                         aria-labelledby="embed-dialog-title" aria-describedby="embed-dialog-what"
                         onkeydown={on_key}>
                        <div class="embed-dialog-head">
                            <h2 id="embed-dialog-title">{ "Copy embed code" }</h2>
                            <button type="button" class="button small" onclick={close.clone()}>{ "Close" }</button>
                        </div>
                        <p id="embed-dialog-what" class="embed-what">
                            { "Shows " }<strong>{ target.title.clone() }</strong>
                            { format!(" at step {} of {} in a frame on your page; readers step through it there.", s.step + 1, s.step_count()) }
                        </p>
                        <div class="embed-options">
                            <label class="what-if">
                                <input type="checkbox" checked={*read_only} onchange={toggle_read_only} />
                                <span>{ "Read-only (no what-ifs, edits or Fix it)" }</span>
                            </label>
                            <fieldset class="embed-sizes">
                                <legend class="field-label">{ "Size" }</legend>
                                { for SIZES.iter().enumerate().map(|(i, preset)| {
                                    let onchange = { let size = size.clone(); Callback::from(move |_: Event| size.set(i)) };
                                    html! {
                                        <label class="embed-size">
                                            <input type="radio" name="embed-size" checked={*size == i} {onchange} />
                                            <span>{ preset.label() }</span>
                                        </label>
                                    }
                                }) }
                            </fieldset>
                        </div>
                        <label for="embed-iframe-code" class="field-label">{ "iframe HTML" }</label>
                        <textarea id="embed-iframe-code" class="code embed-code" ref={code} readonly=true
                                  rows="4" spellcheck="false" value={iframe.clone()} />
                        <div class="button-row"><CopyButton label="Copy" text={iframe} /></div>
                        <label for="embed-script-code" class="field-label">
                            { "Or one line with embed.js, which sizes the frame to its content" }
                        </label>
                        <textarea id="embed-script-code" class="code embed-code" readonly=true
                                  rows="3" spellcheck="false" value={script.clone()} />
                        <div class="button-row"><CopyButton label="Copy snippet" text={script} /></div>
                        <p class="small muted">
                            { "A host page can also step the frame with postMessage. " }
                            <a href="embed-example.html" target="_blank" rel="noopener">{ "See an example page ↗" }</a>
                        </p>
                    </div>
                </div>
                }) }
            }
        </>
    }
}
