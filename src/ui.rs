//! The browser shell: yew components that draw the view models and dispatch commands.
//! Everything clever lives in `model` and `view`; this layer only renders and wires events.

mod app;
mod bench;
mod check;
mod clipboard;
mod edit;
mod graph;
mod icons;
mod panel;
mod present;
mod stage;
mod storage;
mod topbar;

pub use app::App;

/// Mounts the app into the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
