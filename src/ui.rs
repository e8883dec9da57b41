//! The browser shell: yew components that draw the view models and dispatch commands.
//! Everything clever lives in `model` and `view`; this layer only renders and wires events.

mod app;
mod bench;
mod check;
mod clipboard;
mod edit;
mod embed;
mod exercise;
mod graph;
mod icons;
mod import;
mod panel;
mod present;
mod share;
mod stage;
mod storage;
mod topbar;

pub use app::App;

/// The page's address; none while prerendering, which stands for the plain address.
fn location() -> Option<web_sys::Location> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window().map(|w| w.location())
    } else {
        None
    }
}

/// Starts the app in the page's `#root`. Where the page shows the prerendered first view, the
/// app takes over its elements as they are (hydration: the same markup, nothing redrawn);
/// where the page hid it, because the address or an autosave opens something else, the app
/// renders afresh. Either way the root is made usable in the app's first effect (`App`).
#[cfg(target_arch = "wasm32")]
pub fn start() {
    let window = web_sys::window();
    // The moment the wasm starts running, for the page benchmark: first render minus this is
    // the app's own time, without download and compilation.
    if let Some(performance) = window.as_ref().and_then(|w| w.performance()) {
        let _ = performance.mark("mi-sim:start");
    }
    let document = window.and_then(|w| w.document());
    let root = document.as_ref().and_then(|d| d.get_element_by_id("root"));
    let first_view_shown = document
        .and_then(|d| d.document_element())
        .is_some_and(|html| !html.class_list().contains("no-first-view"));
    match root {
        Some(root) if first_view_shown => {
            yew::Renderer::<App>::with_root(root).hydrate();
        }
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        // A page without the prerender hook's root (none is built that way).
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

/// The first view as HTML: the app on the plain address with nothing saved, which is what a
/// first visit opens. The page shows it until the app has rendered (scripts/prerender.py).
#[cfg(not(target_arch = "wasm32"))]
pub fn prerender() -> String {
    let renderer = yew::LocalServerRenderer::<App>::new();
    futures::executor::block_on(renderer.render())
}

/// Whether the person asked for less motion (`prefers-reduced-motion: reduce`); never while
/// prerendering.
fn reduced_motion() -> bool {
    cfg!(target_arch = "wasm32")
        && web_sys::window()
            .and_then(|w| {
                w.match_media("(prefers-reduced-motion: reduce)")
                    .ok()
                    .flatten()
            })
            .is_some_and(|q| q.matches())
}

/// The token's journey along the path `#path_id` over `duration` (an SVG clock value), for a
/// dot to hold. The style sheet cannot stop an SVG animation, so where motion is reduced the
/// dot stays where the journey ends from the start: the token has arrived.
fn token_motion(path_id: &str, duration: &'static str) -> yew::Html {
    let held = reduced_motion();
    yew::html! {
        <animateMotion dur={duration} fill="freeze" repeatCount="1"
                       calcMode={held.then_some("linear")} keyPoints={held.then_some("1;1")}
                       keyTimes={held.then_some("0;1")}>
            <mpath href={format!("#{path_id}")} />
        </animateMotion>
    }
}
