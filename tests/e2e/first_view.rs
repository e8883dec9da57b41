//! The prerendered first view (scripts/prerender.py): a first visit sees the simulator before
//! its wasm arrives, inert; the app then takes it over, the same page to the byte, and it
//! works; an address or saved work that opens something else hides it and says the simulator
//! is starting.

use crate::harness::{Driver, SiteServer, dist_dir};
use crate::open;
use crate::page::{click, run, wait_for};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::path::PathBuf;

/// A copy of the built site without its wasm: the page as it is before the wasm has arrived
/// (and stays, since it never does).
fn site_without_wasm(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mi-sim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the copy's folder");
    for entry in std::fs::read_dir(dist_dir()).expect("read dist/").flatten() {
        let path = entry.path();
        if path.is_file() && path.extension().is_none_or(|e| e != "wasm") {
            std::fs::copy(&path, dir.join(entry.file_name())).expect("copy a built file");
        }
    }
    dir
}

/// Whether the element `css` is displayed, and its text.
async fn shown(client: &Client, css: &str) -> (bool, String) {
    let element = client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    (
        element.is_displayed().await.unwrap(),
        element.text().await.unwrap(),
    )
}

#[tokio::test]
async fn a_first_visit_sees_the_default_scenario_before_the_wasm_arrives_inert() {
    let site = SiteServer::start(site_without_wasm("first-view"), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    client.goto(&site.url()).await.unwrap();

    let graph = client
        .find(Locator::Css("#root[inert] > .app main svg.graph"))
        .await
        .expect("the first view draws the world graph");
    assert!(graph.is_displayed().await.unwrap());
    let label = graph.attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(label.starts_with("World graph."), "{label}");
    assert_eq!(
        shown(&client, "#root #flow-title").await,
        (true, "vm-web reads db-password from kv-prod".to_string())
    );
    let (stepper_shown, stepper) = shown(&client, "#root .stepper").await;
    assert!(
        stepper_shown && stepper.contains("Step 1 of 9"),
        "{stepper}"
    );
    assert!(
        shown(&client, "#scenario-picker").await.0,
        "the scenario picker is on screen"
    );
    // Nothing in it can be used yet, and the line for other addresses stays hidden.
    assert_eq!(
        run(
            &client,
            "return [document.getElementById('root').inert,
                     document.documentElement.classList.contains('no-first-view')]"
        )
        .await,
        json!([true, false])
    );
    assert!(
        !shown(&client, "#starting").await.0,
        "the starting line is hidden"
    );
}

#[tokio::test]
async fn the_app_takes_the_first_view_over_unchanged_and_it_works() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    open(&client, &site.url()).await;

    // The page as served, parsed apart from the live one: the first view is the app's own
    // markup, element for element and byte for byte (the served copy also carries the
    // server renderer's comments that mark where each component starts), so nothing on
    // screen moves when the app takes over.
    let compared = run(
        &client,
        "const served = await (await fetch('./')).text();
         const html = root => {
           const copy = root.cloneNode(true);
           const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
           const comments = [];
           while (walker.nextNode()) comments.push(walker.currentNode);
           comments.forEach(c => c.remove());
           return copy.innerHTML;
         };
         const first = new DOMParser().parseFromString(served, 'text/html')
           .getElementById('root');
         const live = document.getElementById('root');
         return [first.inert, live.inert, document.getElementById('starting'),
                 html(first) === html(live), first.querySelectorAll('*').length > 200];",
    )
    .await;
    assert_eq!(compared, json!([true, false, null, true, true]));
    // And it is the app now: Next takes a step.
    click(&client, "//button[@aria-label='Next step']").await;
    wait_for(
        &client,
        "//*[contains(@class, 'stepper') and contains(., 'Step 2 of 9')]",
    )
    .await;
}

#[tokio::test]
async fn a_link_an_embed_a_presentation_or_saved_work_hides_the_first_view_and_says_it_is_starting()
{
    let site = SiteServer::start(site_without_wasm("first-view-hidden"), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    let base = site.url();
    let cases = [
        (
            "a share link",
            format!("{base}#s=1.eJwrSS0u0S0uKcrMSwcAIY4Euw"),
        ),
        (
            "an embed",
            format!("{base}?embed=1&scenario=vm-keyvault-system-assigned"),
        ),
        ("a presentation", format!("{base}?present")),
        ("saved work", base.clone()),
        ("the plain address", base.clone()),
    ];
    for (what, url) in &cases {
        client.goto(&base).await.unwrap();
        let saved = *what == "saved work";
        run(
            &client,
            if saved {
                "localStorage.setItem('mi-sim:autosave', '{}')"
            } else {
                "localStorage.clear()"
            },
        )
        .await;
        client.goto("about:blank").await.unwrap();
        client.goto(url).await.unwrap();
        let first_view = shown(&client, "#root > .app").await.0;
        let starting = shown(&client, "#starting").await;
        if *what == "the plain address" {
            assert!(first_view && !starting.0, "{what}: the first view is shown");
        } else {
            assert_eq!(
                (first_view, starting),
                (false, (true, "Starting the simulator…".to_string())),
                "{what}"
            );
        }
    }
}
