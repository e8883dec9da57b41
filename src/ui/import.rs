//! Scenario files in the browser: a button that downloads the open scenario with the world as
//! edited, a button that opens a file through the file picker, the page-wide drop target with
//! its overlay, and the messages saying what a download left out or why a file did not open.
//! What goes in the file and whether a file opens is decided in `view::import` and the session.

use super::app::{Dispatch, Props, SessionRef};
use super::icons;
use crate::view::import::MAX_FILE_BYTES;
use crate::view::launch::{Launch, Mode};
use crate::view::session::Action;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The id of the hidden file input the Open button clicks.
const FILE_INPUT: &str = "scenario-file-input";

/// Reads a chosen or dropped file and hands its bytes to the reducer, which decides whether it
/// opens. A file over the size limit is not read at all.
fn read_and_open(file: web_sys::File, dispatch: Dispatch) {
    let file_name = file.name();
    let size = file.size().max(0.0) as u64;
    if size > MAX_FILE_BYTES {
        dispatch.emit(Action::Import {
            file_name,
            size,
            bytes: Vec::new(),
        });
        return;
    }
    let blob = gloo::file::Blob::from(file);
    yew::platform::spawn_local(async move {
        let action = match gloo::file::futures::read_as_bytes(&blob).await {
            Ok(bytes) => Action::Import {
                file_name,
                size,
                bytes,
            },
            Err(_) => Action::ImportUnreadable { file_name },
        };
        dispatch.emit(action);
    });
}

/// Saves `text` as a file named `file_name` through a temporary link to an object URL; the
/// URL is released a minute later.
fn save_file(file_name: &str, text: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let blob = gloo::file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo::file::ObjectUrl::from(blob);
    let link: web_sys::HtmlElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_attribute("href", &url).ok()?;
    link.set_attribute("download", file_name).ok()?;
    link.set_attribute("hidden", "").ok()?;
    let body = document.body()?;
    body.append_child(&link).ok()?;
    link.click();
    let _ = body.remove_child(&link);
    gloo::timers::callback::Timeout::new(60_000, move || drop(url)).forget();
    Some(())
}

/// The file name and left-out list of the last download, with the session key it was taken
/// at: shared by the Share menu's buttons and the note under the top bar.
pub type DownloadNote = UseStateHandle<Option<(String, Vec<String>, String)>>;

/// Properties of [`FileControls`].
#[derive(Properties, PartialEq)]
pub struct FileProps {
    /// The session.
    pub session: SessionRef,
    /// Acts on it.
    pub dispatch: Dispatch,
    /// What the last download left out.
    pub note: DownloadNote,
    /// The buttons (in the Share menu) or the messages (under the top bar's row).
    pub messages: bool,
}

/// Whether this page may open files: the full simulator, not read-only.
fn can_open(launch: Option<&Launch>) -> bool {
    launch.is_none_or(|l| l.mode == Mode::Full && !l.read_only)
}

/// "Download scenario file" and "Open scenario file" with the hidden file input, and below the
/// top bar's row the message saying why a file did not open or what a download left out.
#[function_component(FileControls)]
pub fn file_controls(props: &FileProps) -> Html {
    let launch = use_context::<Rc<Launch>>();
    let s = &props.session;
    let d = &props.dispatch;
    // The left-out list of the last download, and the session it was taken from.
    let downloaded = props.note.clone();
    let current_key = format!("{:?}", s.save_key());
    let on_download = {
        let (session, downloaded, key) = (s.clone(), downloaded.clone(), current_key.clone());
        Callback::from(move |_: MouseEvent| {
            let file = session.download();
            if save_file(&file.file_name, &file.json).is_some() {
                downloaded.set(Some((file.file_name, file.left_out, key.clone())));
            }
        })
    };
    let on_open = Callback::from(|_: MouseEvent| {
        let input = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(FILE_INPUT))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(input) = input {
            input.click();
        }
    });
    let on_file = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                read_and_open(file, d.clone());
            }
            // The same file can be chosen again after it is fixed.
            input.set_value("");
        })
    };
    let dismiss_error = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::DismissImportError))
    };
    let dismiss_note = {
        let downloaded = downloaded.clone();
        Callback::from(move |_: MouseEvent| downloaded.set(None))
    };
    let just_downloaded = downloaded
        .as_ref()
        .is_some_and(|(_, _, key)| *key == current_key);
    let (file_name, left_out) = downloaded
        .as_ref()
        .map(|(f, l, _)| (f.clone(), l.clone()))
        .unwrap_or_default();
    let may_open = can_open(launch.as_deref());
    if !props.messages {
        return html! {
            <>
            <button type="button" class="menu-item" onclick={on_download}
                    title="The scenario with the world as edited, as a file">
                if just_downloaded {
                    <span aria-hidden="true" class="menu-icon file-done">{ "✓" }</span>
                    <span>{ "Downloaded scenario file" }</span>
                } else {
                    <span aria-hidden="true" class="menu-icon">{ icons::download() }</span>
                    <span>{ "Download scenario file" }</span>
                }
            </button>
            if may_open {
                <button type="button" class="menu-item" onclick={on_open}
                        title="Open a scenario file (or drop one on the page)">
                    <span aria-hidden="true" class="menu-icon">{ icons::open_folder() }</span>
                    <span>{ "Open scenario file" }</span>
                </button>
            }
            </>
        };
    }
    html! {
        <>
        if may_open {
            // Outside the menu, so a file chosen after the menu closed still opens.
            <input type="file" id={FILE_INPUT} class="visually-hidden" tabindex="-1"
                   accept=".json,application/json" aria-label="Scenario file to open"
                   onchange={on_file} />
        }
        if let Some(message) = &s.import_error {
            <div class="file-message error" role="alert">
                <div class="file-message-text">
                    <strong>{ "The file did not open; nothing changed." }</strong>
                    <span class="file-message-detail">{ message.clone() }</span>
                </div>
                <button type="button" class="button small" onclick={dismiss_error}>{ "Dismiss" }</button>
            </div>
        }
        if !left_out.is_empty() {
            <div class="file-message" role="status">
                <div class="file-message-text">
                    <strong>{ format!("{file_name} leaves out what a scenario file cannot hold:") }</strong>
                    <ul class="file-message-list">
                        { for left_out.iter().map(|l| html! { <li>{ l.clone() }</li> }) }
                    </ul>
                </div>
                <button type="button" class="button small" onclick={dismiss_note}>{ "Dismiss" }</button>
            </div>
        }
        </>
    }
}

/// The whole page as a drop target for scenario files: an overlay while files are dragged
/// over it; dropping one opens it; leaving the window or Esc cancels.
#[function_component(DropTarget)]
pub fn drop_target(props: &Props) -> Html {
    let launch = use_context::<Rc<Launch>>();
    let dragging = use_state_eq(|| false);
    let enabled = can_open(launch.as_deref());
    {
        let (dragging, dispatch) = (dragging.clone(), props.dispatch.clone());
        use_effect_with(enabled, move |&enabled| {
            let listeners = enabled.then(|| drop_listeners(dragging, dispatch));
            move || drop(listeners)
        });
    }
    if !*dragging {
        return html! {};
    }
    html! {
        <div class="drop-overlay" role="status" aria-live="polite">
            <div class="drop-card">
                <p class="drop-title">{ "Drop a scenario file to open it" }</p>
                <p class="drop-hint">{ "A .json scenario file, up to 5 MB. Esc cancels." }</p>
            </div>
        </div>
    }
}

/// Whether a drag carries files (not text or a link dragged from the page).
fn carries_files(event: &web_sys::DragEvent) -> bool {
    event.data_transfer().is_some_and(|t| {
        t.types()
            .iter()
            .any(|v| v.as_string().as_deref() == Some("Files"))
    })
}

fn drop_listeners(
    dragging: UseStateHandle<bool>,
    dispatch: Dispatch,
) -> Option<Vec<gloo::events::EventListener>> {
    use gloo::events::{EventListener, EventListenerOptions};
    let document = web_sys::window()?.document()?;
    let active = EventListenerOptions::enable_prevent_default();
    let on = |name: &'static str, f: Box<dyn Fn(&web_sys::DragEvent)>| {
        EventListener::new_with_options(&document, name, active, move |e| {
            if let Some(e) = e.dyn_ref::<web_sys::DragEvent>() {
                f(e)
            }
        })
    };
    let show = {
        let dragging = dragging.clone();
        move |e: &web_sys::DragEvent| {
            if carries_files(e) {
                e.prevent_default();
                if let Some(t) = e.data_transfer() {
                    t.set_drop_effect("copy");
                }
                dragging.set(true);
            }
        }
    };
    let leave = {
        let dragging = dragging.clone();
        move |e: &web_sys::DragEvent| {
            // Leaving the window: no element is entered next.
            if e.related_target().is_none() {
                dragging.set(false);
            }
        }
    };
    let dropped = {
        let dragging = dragging.clone();
        move |e: &web_sys::DragEvent| {
            if !carries_files(e) {
                return;
            }
            e.prevent_default();
            dragging.set(false);
            let file = e
                .data_transfer()
                .and_then(|t| t.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                read_and_open(file, dispatch.clone());
            }
        }
    };
    let escape = EventListener::new(&document, "keydown", move |e| {
        if let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>()
            && e.key() == "Escape"
        {
            dragging.set(false);
        }
    });
    Some(vec![
        on("dragenter", Box::new(show.clone())),
        on("dragover", Box::new(show)),
        on("dragleave", Box::new(leave)),
        on("drop", Box::new(dropped)),
        escape,
    ])
}
