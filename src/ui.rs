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

/// Mounts the app into the page's `<body>`. The app takes the prerendered first view's place
/// once it has rendered (`App`).
#[cfg(target_arch = "wasm32")]
pub fn start() {
    // The moment the wasm starts running, for the page benchmark: first render minus this is
    // the app's own time, without download and compilation.
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("mi-sim:start");
    }
    yew::Renderer::<App>::new().render();
}

/// The first view as HTML: the app on the plain address with nothing saved, which is what a
/// first visit opens. The page shows it until the app has rendered (scripts/prerender.py).
#[cfg(not(target_arch = "wasm32"))]
pub fn prerender() -> String {
    let renderer = yew::LocalServerRenderer::<App>::new().hydratable(false);
    futures::executor::block_on(renderer.render())
}
