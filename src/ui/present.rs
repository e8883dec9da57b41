//! Presenter mode in the browser: the Present button of the full simulator, the audience
//! view's bar (keys, fullscreen, the presenter window, the number being typed), the presenter
//! window (speaker notes, next step, elapsed time), and the BroadcastChannel that keeps the two
//! in step. Every rule (keys, messages, what the presenter sees) is in `view::present`.

use super::app::{Dispatch, Props, SessionRef};
use crate::view::launch::{Launch, Mode};
use crate::view::present::{
    self, CHANNEL, Command, Focus, HELP_LINE, Incoming, KEYS, Link, Press, Shared, Window,
};
use crate::view::session::{Action, Session};
use gloo::events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Properties of [`PresentButton`].
#[derive(Properties, PartialEq)]
pub struct ButtonProps {
    /// The session whose scenario, flow and step are presented.
    pub session: SessionRef,
}

/// The full simulator's Present button: opens the audience view of the current scenario, flow
/// and step, as shipped (a presentation neither reads nor writes the person's autosave).
#[function_component(PresentButton)]
pub fn present_button(props: &ButtonProps) -> Html {
    let launch = use_context::<Rc<Launch>>();
    if launch.is_some_and(|l| l.mode != Mode::Full) {
        return html! {};
    }
    html! {
        <a class="button present-button" href={present::address(Mode::Present, &props.session)}
           title="Present this step to a room: large type, dark theme, keyboard stepping, a presenter window">
            { "Present" }
        </a>
    }
}

/// Milliseconds since 1970, the same clock in every window (Performance's origin plus now).
fn epoch_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.time_origin() + p.now())
}

fn is_fullscreen() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.fullscreen_element())
        .is_some()
}

fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}

#[wasm_bindgen]
extern "C" {
    /// The promise `requestFullscreen` and `exitFullscreen` return (web-sys drops it, and a
    /// refusal would then be an uncaught error on the console).
    type FullscreenPromise;
    /// An element, for its promise-returning `requestFullscreen`.
    type FullscreenElement;
    #[wasm_bindgen(method, js_name = requestFullscreen)]
    fn request_fullscreen(this: &FullscreenElement) -> FullscreenPromise;
    /// The document, for its promise-returning `exitFullscreen`.
    type FullscreenDocument;
    #[wasm_bindgen(method, js_name = exitFullscreen)]
    fn exit_fullscreen(this: &FullscreenDocument) -> FullscreenPromise;
    #[wasm_bindgen(method, js_name = catch)]
    fn catch(this: &FullscreenPromise, on_error: &JsValue) -> FullscreenPromise;
}

/// A refused fullscreen request is said on the console, not thrown.
fn on_refusal(promise: FullscreenPromise) {
    if promise.is_undefined() || promise.is_null() {
        return;
    }
    let handler = Closure::once_into_js(|e: JsValue| {
        warn("fullscreen was refused by the browser");
        web_sys::console::warn_1(&e);
    });
    let _ = promise.catch(&handler);
}

fn set_fullscreen(on: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    match (on, document.fullscreen_element().is_some()) {
        (true, false) => {
            if let Some(root) = document.document_element() {
                on_refusal(
                    root.unchecked_ref::<FullscreenElement>()
                        .request_fullscreen(),
                );
            }
        }
        (false, true) => on_refusal(
            document
                .unchecked_ref::<FullscreenDocument>()
                .exit_fullscreen(),
        ),
        _ => {}
    }
}

/// Back to the full simulator, where the person's own autosaved work opens.
fn leave() {
    if let Some(w) = web_sys::window()
        && w.location().set_href("./").is_err()
    {
        warn("could not leave the presentation");
    }
}

fn open_presenter(session: &Session) {
    let Some(w) = web_sys::window() else { return };
    let url = present::address(Mode::Presenter, session);
    match w.open_with_url_and_target_and_features(
        &url,
        present::PRESENTER_TARGET,
        "popup,width=1000,height=700",
    ) {
        Ok(Some(opened)) => {
            let _ = opened.focus();
        }
        _ => warn("the browser blocked the presenter window; allow pop-ups for this page"),
    }
}

/// What had the focus when a key was pressed.
fn focus_of(target: Option<web_sys::EventTarget>) -> Focus {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return Focus::Page;
    };
    let editable = element
        .dyn_ref::<web_sys::HtmlElement>()
        .is_some_and(|e| e.is_content_editable());
    match element.tag_name().as_str() {
        _ if editable => Focus::TextField,
        "TEXTAREA" | "SELECT" => Focus::TextField,
        "INPUT" => match element.get_attribute("type").as_deref() {
            Some("checkbox" | "radio" | "button" | "submit" | "reset") => Focus::Control,
            _ => Focus::TextField,
        },
        "BUTTON" | "A" | "SUMMARY" => Focus::Control,
        _ if element.get_attribute("role").as_deref() == Some("button") => Focus::Control,
        _ => Focus::Page,
    }
}

/// One window's side of a presentation: its keys, the number being typed, the list of keys,
/// fullscreen, and the channel to the other window.
struct Presentation {
    /// Runs a command (keys and buttons both come here).
    run: Callback<Command>,
    /// The digits typed so far.
    digits: String,
    /// The list of keys is open.
    help_open: bool,
    /// The page is in fullscreen.
    fullscreen: bool,
    /// When the presentation started (ms since 1970), for the presenter's timer.
    started_at: f64,
    /// Starts the timer again.
    restart: Callback<MouseEvent>,
}

/// Posts `text` on the channel, if it is open.
fn post(channel: &RefCell<Option<web_sys::BroadcastChannel>>, text: &str) {
    if let Some(channel) = channel.borrow().as_ref()
        && let Err(e) = channel.post_message(&JsValue::from_str(text))
    {
        web_sys::console::warn_1(&e);
    }
}

#[hook]
fn use_presentation(window: Window, session: &Rc<Session>, dispatch: &Dispatch) -> Presentation {
    let digits = use_state(String::new);
    let digits_now = use_mut_ref(String::new);
    let help = use_state(|| false);
    let help_now = use_mut_ref(|| false);
    let fullscreen = use_state(is_fullscreen);
    let opened_at = *use_memo((), |_| epoch_ms());
    let started_at = use_state(|| opened_at);
    let adopted = use_mut_ref(|| false);
    let current = use_mut_ref(|| session.clone());
    *current.borrow_mut() = session.clone();
    let link = {
        let first = Shared::of(session);
        use_mut_ref(move || match window {
            // The audience view announces where it is; the presenter window asks.
            Window::Audience => Link::default(),
            Window::Presenter => Link::knowing(first),
        })
    };
    let channel = use_mut_ref(|| None::<web_sys::BroadcastChannel>);
    // The audience's messages carry when the presentation started.
    let announced = (window == Window::Audience).then_some(opened_at);

    let run = {
        let (dispatch, current) = (dispatch.clone(), current.clone());
        let (help, help_now) = (help.clone(), help_now.clone());
        Callback::from(move |command: Command| {
            let set_help = |open: bool| {
                *help_now.borrow_mut() = open;
                help.set(open);
            };
            match command {
                Command::Session(action) => dispatch.emit(action),
                Command::ToggleFullscreen => set_fullscreen(!is_fullscreen()),
                Command::ExitFullscreen => set_fullscreen(false),
                Command::Leave => leave(),
                Command::OpenPresenter => open_presenter(&current.borrow()),
                Command::ToggleHelp => {
                    let open = !*help_now.borrow();
                    set_help(open)
                }
                Command::CloseHelp => set_help(false),
            }
        })
    };

    {
        // The keys: the same commands as the buttons.
        let (run, digits, digits_now, help_now) = (
            run.clone(),
            digits.clone(),
            digits_now.clone(),
            help_now.clone(),
        );
        use_effect_with((), move |_| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
                // Not passive: a key the presentation handles must not also scroll the page.
                let options = gloo::events::EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&doc, "keydown", options, move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    let key = event.key();
                    let outcome = present::press(
                        &digits_now.borrow(),
                        &Press {
                            key: &key,
                            modified: event.ctrl_key() || event.alt_key() || event.meta_key(),
                            focus: focus_of(event.target()),
                            fullscreen: is_fullscreen(),
                            help_open: *help_now.borrow(),
                            window,
                        },
                    );
                    if outcome.handled {
                        event.prevent_default();
                    }
                    if *digits_now.borrow() != outcome.digits {
                        digits_now.borrow_mut().clone_from(&outcome.digits);
                        digits.set(outcome.digits);
                    }
                    if let Some(command) = outcome.command {
                        run.emit(command);
                    }
                })
            });
            move || drop(listener)
        });
    }
    {
        // The Fullscreen button says whether the page is in fullscreen (Esc may leave it).
        let fullscreen = fullscreen.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
                EventListener::new(&doc, "fullscreenchange", move |_| {
                    fullscreen.set(is_fullscreen())
                })
            });
            move || drop(listener)
        });
    }
    let adopt = {
        let (started_at, adopted) = (started_at.clone(), adopted.clone());
        move |t: f64| {
            if !*adopted.borrow() {
                *adopted.borrow_mut() = true;
                started_at.set(t);
            }
        }
    };
    {
        // The channel: follow the other window, answer its hello.
        let (link, channel, current, dispatch) = (
            link.clone(),
            channel.clone(),
            current.clone(),
            dispatch.clone(),
        );
        use_effect_with((), move |_| {
            let opened = match web_sys::BroadcastChannel::new(CHANNEL) {
                Ok(c) => Some(c),
                Err(e) => {
                    warn("this browser cannot keep two windows in step (no BroadcastChannel)");
                    web_sys::console::warn_1(&e);
                    None
                }
            };
            let listener = opened.as_ref().map(|c| {
                let (link, channel) = (link.clone(), channel.clone());
                EventListener::new(c, "message", move |event| {
                    let text = event
                        .dyn_ref::<web_sys::MessageEvent>()
                        .and_then(|m| m.data().as_string());
                    let Some(text) = text else {
                        warn("a presentation message that is not text was ignored");
                        return;
                    };
                    let session = current.borrow().clone();
                    let incoming = link.borrow_mut().incoming(&text, &session);
                    match incoming {
                        Ok(Incoming::Hello) if window == Window::Audience => {
                            let answer = link.borrow_mut().answer(&Shared::of(&session), announced);
                            post(&channel, &answer);
                        }
                        Ok(Incoming::Hello) => {}
                        Ok(Incoming::Follow {
                            actions,
                            started_at,
                        }) => {
                            if let Some(t) = started_at.filter(|_| window == Window::Presenter) {
                                adopt(t);
                            }
                            for action in actions {
                                dispatch.emit(action);
                            }
                        }
                        Err(reason) => warn(&reason),
                    }
                })
            });
            *channel.borrow_mut() = opened;
            if window == Window::Presenter {
                post(&channel, &present::encode(&present::Message::Hello));
            }
            move || {
                drop(listener);
                if let Some(c) = channel.borrow_mut().take() {
                    c.close();
                }
            }
        });
    }
    {
        // Tell the other window when this one moves (not when it followed the other).
        let (link, channel) = (link.clone(), channel.clone());
        use_effect_with(Shared::of(session), move |shared| {
            if let Some(text) = link.borrow_mut().outgoing(shared, announced) {
                post(&channel, &text);
            }
        });
    }
    let restart = {
        let (started_at, adopted) = (started_at.clone(), adopted.clone());
        Callback::from(move |_: MouseEvent| {
            *adopted.borrow_mut() = true;
            started_at.set(epoch_ms());
        })
    };
    Presentation {
        run,
        digits: (*digits).clone(),
        help_open: *help,
        fullscreen: *fullscreen,
        started_at: *started_at,
        restart,
    }
}

fn button(run: &Callback<Command>, command: Command) -> Callback<MouseEvent> {
    let run = run.clone();
    Callback::from(move |_: MouseEvent| run.emit(command.clone()))
}

/// The number being typed, until Enter.
fn digits_overlay(digits: &str) -> Html {
    html! {
        <div class="present-digits-live" role="status" aria-live="polite">
            if !digits.is_empty() {
                <div class="present-digits">
                    { "Go to step " }<strong>{ digits.to_string() }</strong>
                    <span class="present-digits-hint">{ " · Enter" }</span>
                </div>
            }
        </div>
    }
}

/// The list of keys.
fn keys_dialog(run: &Callback<Command>, window: Window) -> Html {
    html! {
        <div class="present-keys" role="dialog" aria-modal="false" aria-labelledby="present-keys-title">
            <h2 id="present-keys-title">{ "Keys" }</h2>
            <dl>
                { for KEYS.iter()
                    .filter(|(k, _)| window == Window::Audience || !matches!(*k, "P" | "Esc"))
                    .map(|(k, what)| html! {
                    <><dt>{ *k }</dt><dd>{ *what }</dd></>
                }) }
            </dl>
            <button type="button" class="button small" onclick={button(run, Command::CloseHelp)}>{ "Close" }</button>
        </div>
    }
}

/// The audience view's bar: the scenario, the keys, fullscreen, the presenter window, exit.
#[function_component(AudienceBar)]
pub fn audience_bar(props: &Props) -> Html {
    let p = use_presentation(Window::Audience, &props.session.0, &props.dispatch);
    let run = &p.run;
    html! {
        <header class="present-bar">
            <span class="present-scenario">{ props.session.scenario.title.clone() }</span>
            <p class="present-help" id="present-help">{ HELP_LINE }</p>
            <div class="present-actions" role="group" aria-label="Presentation">
                <button type="button" class="button small" onclick={button(run, Command::OpenPresenter)}
                        title="Speaker notes, the next step and the time, in a window of its own (P)">
                    { "Open presenter window" }
                </button>
                <button type="button" class="button small" onclick={button(run, Command::ToggleFullscreen)}
                        aria-pressed={p.fullscreen.to_string()} title="F">
                    { if p.fullscreen { "Exit fullscreen" } else { "Fullscreen" } }
                </button>
                <button type="button" class="button small" onclick={button(run, Command::ToggleHelp)}
                        aria-expanded={p.help_open.to_string()} aria-label="Keys" title="Keys (?)">{ "?" }</button>
                <button type="button" class="button small" onclick={button(run, Command::Leave)}
                        title="Back to the simulator and your own work (Esc)">{ "Exit" }</button>
            </div>
            { digits_overlay(&p.digits) }
            if p.help_open { { keys_dialog(run, Window::Audience) } }
        </header>
    }
}

/// The presenter's window: the step, its speaker note, the next step, the elapsed time, and
/// Previous and Next.
#[function_component(PresenterWindow)]
pub fn presenter_window(props: &Props) -> Html {
    let p = use_presentation(Window::Presenter, &props.session.0, &props.dispatch);
    let now = use_state(epoch_ms);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let tick = gloo::timers::callback::Interval::new(1_000, move || now.set(epoch_ms()));
            move || drop(tick)
        });
    }
    let restart = {
        let (restart, now) = (p.restart.clone(), now.clone());
        Callback::from(move |e: MouseEvent| {
            restart.emit(e);
            now.set(epoch_ms());
        })
    };
    let s = &props.session;
    let view = present::presenter_view(s);
    // The window's title tells it apart from the audience view in the task bar.
    use_effect_with(view.label.clone(), |label| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&format!("Presenter · {label} · mi-sim"));
        }
    });
    let run = &p.run;
    let count = s.step_count();
    html! {
        <div class="presenter">
            <header class="presenter-head">
                <div class="presenter-what">
                    <p class="presenter-kicker">{ "Presenter view" }</p>
                    <h1 class="presenter-scenario">{ view.scenario.clone() }</h1>
                    <p class="presenter-flow">{ view.flow.clone() }</p>
                </div>
                <div class="presenter-timer" role="group" aria-label="Elapsed time">
                    <span class="presenter-elapsed" role="timer" aria-label="Elapsed time">
                        { present::elapsed_label(*now - p.started_at) }
                    </span>
                    <button type="button" class="button small" onclick={restart}>{ "Restart timer" }</button>
                </div>
            </header>
            if let Some(error) = &s.error {
                <p class="error-banner" role="alert">{ error.clone() }</p>
            }
            <section class="presenter-now" aria-label="Current step">
                <p class="step-count" aria-live="polite">{ view.label.clone() }</p>
                <h2 class="presenter-step-title">{ view.title.clone() }</h2>
            </section>
            <section class="presenter-notes" aria-labelledby="presenter-notes-title">
                <h2 id="presenter-notes-title" class="presenter-label">{ "Speaker notes" }</h2>
                { match &view.note {
                    Some(note) => html! { <p class="speaker-note">{ note.clone() }</p> },
                    None => html! { <p class="speaker-note none">{ "No speaker notes for this step." }</p> },
                } }
            </section>
            <section class="presenter-next" aria-labelledby="presenter-next-title">
                <h2 id="presenter-next-title" class="presenter-label">{ "Next" }</h2>
                { match &view.next {
                    Some(next) => html! {
                        <>
                            <p class="next-label">{ next.label.clone() }</p>
                            <p class="next-title">{ next.title.clone() }</p>
                            <p class="next-line">{ next.line.clone() }</p>
                        </>
                    },
                    None => html! { <p class="next-title">{ "Last step" }</p> },
                } }
            </section>
            <nav class="presenter-nav" aria-label="Steps">
                <button type="button" class="button" onclick={button(run, Command::Session(Action::PreviousStep))}
                        disabled={s.step == 0} aria-label="Previous step">
                    <span aria-hidden="true">{ "◀ " }</span>{ "Previous" }
                </button>
                <button type="button" class="button primary" onclick={button(run, Command::Session(Action::NextStep))}
                        disabled={s.step + 1 >= count} aria-label="Next step">
                    { "Next" }<span aria-hidden="true">{ " ▶" }</span>
                </button>
                <button type="button" class="button small" onclick={button(run, Command::ToggleHelp)}
                        aria-expanded={p.help_open.to_string()} aria-label="Keys" title="Keys (?)">{ "?" }</button>
            </nav>
            <p class="present-help">{ present::PRESENTER_HELP_LINE }</p>
            { digits_overlay(&p.digits) }
            if p.help_open { { keys_dialog(run, Window::Presenter) } }
        </div>
    }
}
