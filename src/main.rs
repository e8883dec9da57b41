//! Browser entry point: mounts the app into the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    mi_sim::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("mi-sim-web runs in the browser: build it with `trunk build --release`.");
    std::process::exit(2);
}
