//! Copying text to the clipboard, and a button that says when it has.

use yew::prelude::*;

/// Writes `text` to the system clipboard (best effort: the browser may refuse silently).
pub fn copy(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Properties of [`CopyButton`].
#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// What the button says ("Copy token").
    pub label: AttrValue,
    /// What it copies.
    pub text: AttrValue,
}

/// A button that copies `text` and then reads "Copied" until `text` changes.
#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| None::<AttrValue>);
    let done = copied.as_ref() == Some(&props.text);
    let onclick = {
        let (copied, text) = (copied.clone(), props.text.clone());
        Callback::from(move |_| {
            copy(&text);
            copied.set(Some(text.clone()));
        })
    };
    html! {
        <button type="button" class="button small" {onclick} aria-label={props.label.clone()}>
            { if done { html!{ <><span aria-hidden="true">{ "✓ " }</span>{ "Copied" }</> } }
              else { html!{ { props.label.clone() } } } }
        </button>
    }
}
