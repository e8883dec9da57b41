//! A large world (500 resources, 2,000 role assignments) in the app: drawn zoomed out as
//! boxes without labels (each still selectable), and in full, only what is in view, once
//! zoomed in.

use crate::harness::{Driver, SiteServer, dist_dir};
use crate::open;
use crate::page::{run, severe_errors};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

const COUNTS: &str = "({
    outlined: document.querySelectorAll('.world-graph .node.outline').length,
    full: document.querySelectorAll('.world-graph g.node').length,
    merged: document.querySelectorAll('.world-graph .edge-outline').length,
    edges: document.querySelectorAll('.world-graph g.edge').length,
    note: document.querySelector('.graph-note') ? document.querySelector('.graph-note').textContent : null,
})";

/// What the graph draws now.
async fn counts(client: &Client) -> Value {
    run(client, &format!("return {COUNTS};")).await
}

#[tokio::test]
async fn a_large_world_is_drawn_as_boxes_zoomed_out_and_in_full_zoomed_in() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    run(&client, "return window.wasmBindings.benchOpenLargeWorld()").await;
    client.refresh().await.unwrap();
    client
        .wait()
        .for_element(Locator::Css(".world-graph .node.outline"))
        .await
        .unwrap();

    // Zoomed out: every node a box (the step's lit ones in full), each kind of edge one path.
    let out = counts(&client).await;
    let outlined = out["outlined"].as_u64().unwrap();
    let full = out["full"].as_u64().unwrap();
    assert_eq!(outlined + full, 702, "{out}");
    assert!(out["merged"].as_u64().unwrap() <= 4, "{out}");
    assert!(out["edges"].as_u64().unwrap() < 10, "{out}");
    assert_eq!(out["note"], json!("Zoomed out: zoom in to read labels"));

    // A box is still a button with its accessible name: Enter on it inspects the VM.
    run(
        &client,
        "document.querySelector(\"[aria-label^='Virtual machine vm-3,']\").focus(); return true",
    )
    .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::XPath(
            "//*[contains(@class,'inspect-tab')]//h2[contains(., 'vm-3')]",
        ))
        .await
        .unwrap();

    // Zoomed in: everything in full, and only what is in view.
    let canvas = client.find(Locator::Css("svg.world-graph")).await.unwrap();
    for _ in 0..30 {
        canvas.send_keys("+").await.unwrap();
    }
    // Wait (by asking the page, a frame at a time) until the zoomed-in drawing is there.
    let inside = client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1];
                 const counts = () => {};
                 const poll = () => {{ const c = counts(); if (c.outlined === 0) done(c); else requestAnimationFrame(poll); }};
                 poll();",
                COUNTS
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(inside["outlined"], json!(0), "{inside}");
    assert_eq!(inside["note"], Value::Null, "{inside}");
    // In the middle of the world long assignment runs cross the view; the rest is not drawn.
    let drawn = inside["full"].as_u64().unwrap() + inside["edges"].as_u64().unwrap();
    assert!(drawn > 0 && drawn < (702 + 2300) / 2, "{inside}");

    // Fit goes back to the whole world, outlined.
    client
        .find(Locator::XPath("//button[normalize-space()='Fit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css(".graph-note"))
        .await
        .unwrap();
    let errors = severe_errors(&client).await;
    assert!(errors.is_empty(), "{errors:?}");
    run(&client, "localStorage.clear(); return true").await;
    client.close().await.unwrap();
}
