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

/// Mounts the app into the page's `<body>`.
pub fn start() {
    // The moment the wasm starts running, for the page benchmark: first render minus this is
    // the app's own time, without download and compilation.
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("mi-sim:start");
    }
    yew::Renderer::<App>::new().render();
}
