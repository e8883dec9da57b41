//! Prints the HTML of the page's first view: the app as it opens on the plain address, with
//! the default scenario. `scripts/prerender.py` puts it into `dist/index.html`, so a visitor
//! sees the simulator while its wasm is still on the way.

fn main() {
    print!("{}", mi_sim::ui::prerender());
}
