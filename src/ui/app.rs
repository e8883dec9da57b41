//! The top-level component: one session state, the top bar, the flow picture with the sequence
//! lane and the stepper, and the side panel.

use super::panel::Panel;
use super::stage::Stage;
use super::topbar::TopBar;
use crate::view::launch::{self, Launch, Mode};
use crate::view::session::{Action, DEFAULT_SCENARIO, Session};
use crate::view::share;
use std::rc::Rc;
use yew::prelude::*;

/// The session inside yew's reducer.
#[derive(Clone, PartialEq)]
pub struct State(pub Rc<Session>);

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(State(Rc::new(self.0.reduce(action))))
    }
}

/// How long autosave waits after a change before writing.
const AUTOSAVE_DELAY_MS: u32 = 250;

/// A way to act on the session. The app makes it once, so it is the same in every render.
pub type Dispatch = Callback<Action>;

/// A click handler that takes `action`.
pub fn on_click(dispatch: &Dispatch, action: Action) -> Callback<MouseEvent> {
    let d = dispatch.clone();
    Callback::from(move |_: MouseEvent| d.emit(action.clone()))
}

/// A ref for a scrolling panel that goes back to its top whenever `shown` changes: a new step,
/// the failure a what-if jumps to, another tab. Read further down, the next step would
/// otherwise open below its own title.
#[hook]
pub fn use_top_when<K: PartialEq + 'static>(shown: K) -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(shown, move |_| {
            if let Some(panel) = node.cast::<web_sys::Element>() {
                panel.set_scroll_top(0);
            }
        });
    }
    node
}

/// What a step panel shows, as [`use_top_when`] compares it: the scenario, flow, step and the
/// what-ifs that shape the walkthrough.
pub fn step_shown(s: &Session) -> (String, usize, usize, Vec<usize>, usize) {
    (
        s.scenario_id.clone(),
        s.flow,
        s.step,
        s.what_ifs.clone(),
        s.extra_what_ifs.len(),
    )
}

/// The session as the screen's parts get it, compared by identity. Every action makes a new
/// session, so two renders hold the same one exactly when nothing changed: a part learns
/// whether to render again without comparing two worlds field by field.
#[derive(Clone)]
pub struct SessionRef(pub Rc<Session>);

impl std::ops::Deref for SessionRef {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.0
    }
}

impl PartialEq for SessionRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl yew::html::IntoPropValue<SessionRef> for Rc<Session> {
    fn into_prop_value(self) -> SessionRef {
        SessionRef(self)
    }
}

/// What the screen's parts get: the session and a way to act on it.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The session.
    pub session: SessionRef,
    /// Acts on it.
    pub dispatch: Dispatch,
}

/// How the page was opened, read once from `location`.
pub fn current_launch() -> Launch {
    let location = super::location();
    let search = location.as_ref().and_then(|l| l.search().ok());
    let hash = location.as_ref().and_then(|l| l.hash().ok());
    launch::parse(
        search.as_deref().unwrap_or_default(),
        hash.as_deref().unwrap_or_default(),
    )
}

/// The session the page opens with: a pinned scenario as asked; otherwise, in the full
/// simulator, where the person left off (anything unreadable opens the default).
/// Embedded frames and presentations start clean.
fn initial_session(launch: &Launch) -> Session {
    if launch.mode == Mode::Full
        && let Some(fragment) = launch.fragment.as_deref().filter(|f| share::is_link(f))
    {
        return share::decode(fragment).unwrap_or_else(share::fallback);
    }
    if let Some(id) = &launch.scenario {
        return Session::open_at(id, launch.flow, launch.step);
    }
    let saved = launch
        .mode
        .uses_autosave()
        .then(super::storage::load)
        .flatten();
    saved.unwrap_or_else(|| Session::open_at(DEFAULT_SCENARIO, launch.flow, launch.step))
}

/// The whole screen.
#[function_component(App)]
pub fn app() -> Html {
    let launch = use_memo((), |_| current_launch());
    let state = {
        let launch = launch.clone();
        use_reducer(move || State(Rc::new(initial_session(&launch))))
    };
    {
        // In the full simulator, a link's state or pinned place is read once and then taken
        // off the address, so a reload shows the work done since (from autosave), and a link
        // pasted into this tab later opens too.
        let dispatch = state.dispatcher();
        let full = launch.mode == Mode::Full;
        use_effect_with((), move |_| {
            let listener = full.then(|| {
                forget_address_state();
                web_sys::window().map(|w| {
                    gloo::events::EventListener::new(&w, "hashchange", move |_| {
                        let hash = current_launch().fragment.unwrap_or_default();
                        if share::is_link(&hash) {
                            dispatch.dispatch(Action::OpenLink(hash));
                            forget_address_state();
                        }
                    })
                })
            });
            move || drop(listener)
        });
    }
    {
        // Autosave after every change to the world, the scenario, the flow or the step, in
        // the full simulator only.
        // The first render saves nothing: what was just opened is already saved or shipped.
        // Later changes are written a moment after the last one (a large world takes a while
        // to write, and a burst of edits needs one write), and at once when the page goes
        // away, so nothing is lost on a reload.
        let session = state.0.clone();
        let dispatch = state.dispatcher();
        let autosave = launch.mode.uses_autosave();
        let first = use_mut_ref(|| true);
        let pending = use_mut_ref(|| None::<Rc<Session>>);
        let timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
        {
            let pending = pending.clone();
            use_effect_with((), move |_| {
                let listener = web_sys::window().map(|w| {
                    gloo::events::EventListener::new(&w, "pagehide", move |_| {
                        if let Some(s) = pending.borrow_mut().take() {
                            let _ = super::storage::save(&s);
                        }
                    })
                });
                move || drop(listener)
            });
        }
        use_effect_with(state.0.save_key(), move |_| {
            if autosave && !std::mem::replace(&mut *first.borrow_mut(), false) {
                *pending.borrow_mut() = Some(session);
                let write = gloo::timers::callback::Timeout::new(AUTOSAVE_DELAY_MS, move || {
                    let Some(s) = pending.borrow_mut().take() else {
                        return;
                    };
                    // A refusal is shown until a later write is kept or the person closes it.
                    match super::storage::save(&s) {
                        Err(chars) => dispatch.dispatch(Action::AutosaveRefused { chars }),
                        Ok(_) if s.autosave_error.is_some() => {
                            dispatch.dispatch(Action::DismissAutosaveError);
                        }
                        Ok(_) => {}
                    }
                });
                *timer.borrow_mut() = Some(write);
            }
        });
    }
    // Made once: a callback that held this render's state would keep every old session
    // alive until the last part let go of it, and would differ in every render.
    let dispatch: Dispatch = {
        let dispatcher = state.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |action| dispatcher.dispatch(action))
        }))
        .clone()
    };
    use_effect_with((), |_| {
        open_root();
        mark_first_render();
    });
    {
        // The first moment a step can be taken: a scenario's walkthrough is on screen with its
        // stepper (the effect runs after the DOM is committed, so Next already listens).
        let ready = state.0.walkthrough.is_some();
        let marked = use_mut_ref(|| false);
        use_effect_with(ready, move |ready| {
            if *ready && !std::mem::replace(&mut *marked.borrow_mut(), true) {
                mark("mi-sim:ready-to-step");
            }
        });
    }
    {
        // Read-only pages (embedded frames) step with the arrows but do not undo; a
        // presentation has keys of its own (ui::present).
        let (dispatch, undo) = (dispatch.clone(), !launch.read_only);
        let presenting = is_presentation(launch.mode);
        use_effect_with((), move |_| {
            let listener = (!presenting).then(|| keyboard(dispatch, undo)).flatten();
            move || drop(listener)
        });
    }
    let session = state.0.clone();
    let mode_class = match launch.mode {
        Mode::Full => None,
        Mode::Embed => Some("mode-embed"),
        Mode::Present => Some("mode-present"),
        Mode::Presenter => Some("mode-presenter"),
    };
    if launch.mode == Mode::Embed {
        return html! {
            <ContextProvider<Rc<Launch>> context={launch.clone()}>
            <div class={classes!("app", mode_class, launch.read_only.then_some("read-only"))}>
                <super::embed::EmbedView session={session} dispatch={dispatch} />
            </div>
            </ContextProvider<Rc<Launch>>>
        };
    }
    html! {
        <ContextProvider<Rc<Launch>> context={launch.clone()}>
        <div class={classes!("app", mode_class)}
             data-theme={is_presentation(launch.mode).then_some("dark")}>
            if launch.mode == Mode::Presenter {
                // The presenter's window: notes, the next step and the time (ui::present).
                <super::present::PresenterWindow session={session.clone()} dispatch={dispatch.clone()} />
            } else {
                if launch.mode == Mode::Present {
                    <super::present::AudienceBar session={session.clone()} dispatch={dispatch.clone()} />
                } else {
                    <TopBar session={session.clone()} dispatch={dispatch.clone()} />
                    <super::import::DropTarget session={session.clone()} dispatch={dispatch.clone()} />
                }
                <main class="workspace">
                    <Stage session={session.clone()} dispatch={dispatch.clone()} />
                    <Panel session={session} dispatch={dispatch} />
                </main>
            }
            <footer class="footer">
                <span>{ format!("mi-sim v{}", crate::VERSION) }</span>
                <span class="footer-note">
                    { "Runs entirely in your browser. Tokens are signed with demo keys and are simulated." }
                </span>
            </footer>
        </div>
        </ContextProvider<Rc<Launch>>>
    }
}

/// The audience view and the presenter window: dark, large, keyboard driven.
fn is_presentation(mode: Mode) -> bool {
    matches!(mode, Mode::Present | Mode::Presenter)
}

/// Arrow keys step through the flow and Ctrl+Z / Ctrl+Shift+Z undo and redo (when `undo`),
/// unless the person is typing in a field.
fn keyboard(dispatch: Dispatch, undo: bool) -> Option<gloo::events::EventListener> {
    let document = web_sys::window()?.document()?;
    // Not passive: the arrows' default (scrolling) is prevented.
    Some(gloo::events::EventListener::new_with_options(
        &document,
        "keydown",
        gloo::events::EventListenerOptions::enable_prevent_default(),
        move |event| {
            use wasm_bindgen::JsCast;
            let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            let typing = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
            if typing || event.alt_key() {
                return;
            }
            if event.ctrl_key() || event.meta_key() {
                if !undo {
                    return;
                }
                // Ctrl+Z undoes, Ctrl+Shift+Z (or Ctrl+Y) redoes: the same actions as the buttons.
                let action = match (event.key().to_ascii_lowercase().as_str(), event.shift_key()) {
                    ("z", false) => Action::Undo,
                    ("z", true) | ("y", false) => Action::Redo,
                    _ => return,
                };
                event.prevent_default();
                dispatch.emit(action);
                return;
            }
            let action = match event.key().as_str() {
                "ArrowRight" => Action::NextStep,
                "ArrowLeft" => Action::PreviousStep,
                _ => return,
            };
            event.prevent_default();
            dispatch.emit(action);
        },
    ))
}

/// Replaces the address with the page's own path, dropping the query and the fragment, without
/// reloading or adding a history entry.
fn forget_address_state() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (search, hash) = (
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default(),
    );
    if search.is_empty() && hash.is_empty() {
        return;
    }
    if let (Ok(history), Ok(path)) = (window.history(), location.pathname()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

/// Sets a performance mark for the page benchmark (`benches/page.rs` reads them with
/// `performance.getEntriesByName`).
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Makes the root usable now that the app is on screen: the first view it took over is no
/// longer inert, and the line saying the simulator is starting goes (scripts/prerender.py).
fn open_root() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = document.get_element_by_id("root") {
        let _ = root.remove_attribute("inert");
    }
    if let Some(starting) = document.get_element_by_id("starting") {
        starting.remove();
    }
    if let Some(html) = document.document_element() {
        let _ = html.class_list().remove_1("no-first-view");
    }
}

/// Marks the moment the first render reached the DOM (`mi-sim:first-render`) and, once the
/// browser has drawn that frame, `mi-sim:first-frame`.
fn mark_first_render() {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    mark("mi-sim:first-render");
    // An animation frame runs just before the browser draws; a task queued from it runs once
    // that frame is done.
    let after_frame = wasm_bindgen::closure::Closure::once_into_js(|| {
        gloo::timers::callback::Timeout::new(0, || {
            mark("mi-sim:first-frame");
        })
        .forget();
    });
    let _ = window.request_animation_frame(after_frame.unchecked_ref());
}
