//! The Share menu in the top bar: Copy link (the whole state in the URL fragment, see
//! `view::share`), Copy embed code, Download scenario file and Open scenario file; and, under
//! the top bar's row, the messages these leave (a link or a file that did not open, what a
//! download or a link leaves out).

use super::app::Props;
use super::embed::EmbedCodeButton;
use super::icons;
use super::import::FileControls;
use crate::view::session::Action;
use crate::view::share;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The page's address without its query and fragment.
fn page_address() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    crate::view::embed::base_url(&href)
}

/// The Share menu and its messages.
#[function_component(ShareMenu)]
pub fn share_menu(props: &Props) -> Html {
    let s = &props.session;
    let d = &props.dispatch;
    let open = use_state(|| false);
    let note = use_state(|| None::<(String, Vec<String>, String)>);
    // The last link copied: its address, what it leaves out, and the state it was made from.
    let link = use_state(|| None::<(String, Vec<String>, String)>);
    let root = use_node_ref();
    let key = format!("{:?}", s.save_key());
    {
        // A press outside the menu closes it.
        let (open, root) = (open.clone(), root.clone());
        use_effect_with(*open, move |is_open| {
            let listener = (*is_open).then(|| {
                let document = web_sys::window().and_then(|w| w.document());
                document.map(|doc| {
                    gloo::events::EventListener::new(&doc, "pointerdown", move |e| {
                        let inside = e
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                            .zip(root.cast::<web_sys::Node>())
                            .is_some_and(|(t, r)| r.contains(Some(&t)));
                        if !inside {
                            open.set(false);
                        }
                    })
                })
            });
            move || drop(listener)
        });
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    // The embed code's dialog closes the menu as it opens, and gives focus back to Share.
    let share_button = use_node_ref();
    let close_menu = {
        let open = open.clone();
        Callback::from(move |()| open.set(false))
    };
    let on_key = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *open {
                e.stop_propagation();
                open.set(false);
            }
        })
    };
    let copy_link = {
        let (session, link, key) = (s.clone(), link.clone(), key.clone());
        Callback::from(move |_: MouseEvent| {
            let made = share::encode(&session);
            let url = format!("{}#{}", page_address(), made.fragment);
            super::clipboard::copy(&url);
            link.set(Some((url, made.left_out, key.clone())));
        })
    };
    let dismiss_link_error = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::DismissLinkError))
    };
    let dismiss_autosave_error = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::DismissAutosaveError))
    };
    let current = link.as_ref().filter(|(_, _, k)| *k == key);
    html! {
        <>
        <div class="share" ref={root} onkeydown={on_key}>
            <button type="button" class="button" onclick={toggle} aria-expanded={open.to_string()} ref={share_button.clone()}
                    aria-controls="share-menu">
                { icons::share() }{ "Share" }
            </button>
            <div id="share-menu" class="share-menu" role="group" aria-label="Share" hidden={!*open}>
                <button type="button" class="menu-item" onclick={copy_link}>
                    <span aria-hidden="true" class="menu-icon">
                        if current.is_some() { { "✓" } } else { { icons::copy() } }
                    </span>
                    <span>{ if current.is_some() { "Link copied" } else { "Copy link" } }</span>
                </button>
                if let Some((url, left_out, _)) = current {
                    <div class="share-link">
                        <label for="share-link" class="field-label">{ "Link to this view" }</label>
                        <input id="share-link" class="input" readonly=true value={url.clone()}
                               onfocus={Callback::from(|e: FocusEvent| {
                                   let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                                   input.select();
                               })} />
                        <p class="small muted" role="status">
                            { "Anyone who opens it sees this scenario, world, flow and step. Nothing is stored on a server." }
                        </p>
                        if !left_out.is_empty() {
                            <p class="small">{ "The link leaves out what a scenario file cannot hold:" }</p>
                            <ul class="file-message-list">
                                { for left_out.iter().map(|l| html! { <li>{ l.clone() }</li> }) }
                            </ul>
                        }
                    </div>
                }
                <EmbedCodeButton session={s.clone()} on_open={close_menu}
                                 focus_after={share_button.clone()} />
                <FileControls session={s.clone()} dispatch={d.clone()} note={note.clone()} messages=false />
            </div>
        </div>
        <FileControls session={s.clone()} dispatch={d.clone()} note={note} messages=true />
        if let Some(message) = &s.link_error {
            <div class="file-message error" role="alert">
                <div class="file-message-text">
                    <strong>{ "The link did not open; here is the default scenario instead." }</strong>
                    <span class="file-message-detail">{ message.clone() }</span>
                </div>
                <button type="button" class="button small" onclick={dismiss_link_error}>{ "Dismiss" }</button>
            </div>
        }
        if let Some(message) = &s.autosave_error {
            <div class="file-message error autosave-message" role="alert">
                <div class="file-message-text">
                    <strong>{ "Your latest changes are not saved in this browser." }</strong>
                    <span>{ message.clone() }</span>
                </div>
                <button type="button" class="button small" onclick={dismiss_autosave_error}>{ "Dismiss" }</button>
            </div>
        }
        </>
    }
}
