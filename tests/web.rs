//! Component tests in headless Chromium (wasm-bindgen-test): the app mounted into a page.
#![cfg(target_arch = "wasm32")]

use mi_sim::ui::App;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app into a fresh element and lets yew render it.
async fn mount() -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document
        .create_element("div")
        .expect("create a root element");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("attach the root");
    yew::Renderer::<App>::with_root(root.clone()).render();
    // Rendering is scheduled; yield once to the event loop so it runs.
    gloo::timers::future::TimeoutFuture::new(0).await;
    root
}

#[wasm_bindgen_test]
async fn app_renders_product_name_canvas_and_version() {
    let root = mount().await;
    let brand = root.query_selector(".brand-name").unwrap().expect("brand");
    assert_eq!(brand.text_content().as_deref(), Some("mi-sim"));
    let canvas = root
        .query_selector("svg.graph")
        .unwrap()
        .expect("graph canvas");
    assert_eq!(canvas.get_attribute("role").as_deref(), Some("group"));
    let footer = root.query_selector("footer").unwrap().expect("footer");
    let text = footer.text_content().unwrap_or_default();
    assert!(
        text.contains(&format!("mi-sim v{}", mi_sim::VERSION)),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn lane_names_the_four_actors_of_the_token_flow() {
    let root = mount().await;
    let names = root.query_selector_all("svg.lane-row .actor-name").unwrap();
    let texts: Vec<String> = (0..names.length())
        .filter_map(|i| names.item(i).and_then(|n| n.text_content()))
        .collect();
    assert_eq!(texts, ["Code on vm-web", "IMDS", "Entra ID", "kv-prod"]);
}
