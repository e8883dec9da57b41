//! Large worlds in the app: 500 resources and 2,000 role assignments drawn zoomed out as
//! boxes without labels (each still selectable), and in full, only what is in view, once
//! zoomed in; the world at Azure's limits (2,000 resources, 4,000 assignments) kept packed by
//! autosave, reopened on a reload, and panned with the mouse and the keyboard, drawing and
//! letting the person select what comes into view.

use crate::harness::{Driver, SiteServer, dist_dir};
use crate::open;
use crate::page::{after_frames, click, run, severe_errors};
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
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
    reload_zoomed_out(&client).await;

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

/// The names of the nodes drawn in full and of those wholly on screen, and what else is drawn.
const DRAWN: &str = "const svg = document.querySelector('svg.world-graph').getBoundingClientRect();
    const nodes = [...document.querySelectorAll('.world-graph g.node')];
    const onScreen = nodes.filter(n => { const r = n.getBoundingClientRect();
        return r.left >= svg.left && r.right <= svg.right && r.top >= svg.top && r.bottom <= svg.bottom; });
    return { names: nodes.map(n => n.getAttribute('aria-label').split(',')[0]),
             onScreen: onScreen.map(n => n.getAttribute('aria-label').split(',')[0]),
             edges: document.querySelectorAll('.world-graph g.edge').length,
             passing: document.querySelectorAll('.world-graph .passing path').length,
             outlined: document.querySelectorAll('.world-graph .node.outline').length,
             viewBox: document.querySelector('svg.world-graph').getAttribute('viewBox') };";

/// A mouse pressed on the canvas, `y` pixels below its middle, then moved by (`dx`, `dy`) over
/// `ms` milliseconds, still pressed.
fn press_and_move(
    canvas: &fantoccini::elements::Element,
    y: f64,
    (dx, dy): (f64, f64),
    ms: u64,
) -> MouseActions {
    MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: canvas.clone(),
            duration: None,
            x: 0.0,
            y,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: Some(std::time::Duration::from_millis(ms)),
            x: dx,
            y: dy,
        })
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_world_at_azure_limits_reopens_packed_and_a_pan_draws_what_comes_into_view() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    open(&client, &site.url()).await;
    let opened = run(
        &client,
        "return JSON.parse(window.wasmBindings.benchOpenWorldAtLimits())",
    )
    .await;
    assert_eq!(opened["stored"], json!(true), "{opened}");
    // Autosave keeps it packed: a small share of the 5 million characters the browser allows.
    let stored = run(
        &client,
        "const t = localStorage.getItem('mi-sim:autosave'); return [t.slice(0, 10), t.length]",
    )
    .await;
    assert_eq!(stored[0], json!("mi-sim-z1."), "{stored}");
    assert!(stored[1].as_u64().unwrap() < 1_000_000, "{stored}");
    assert!(
        opened["jsonChars"].as_u64().unwrap() > 3_000_000,
        "{opened}"
    );

    // A reload opens it again, zoomed out: every node a box.
    reload_zoomed_out(&client).await;
    let out = counts(&client).await;
    assert_eq!(
        out["outlined"].as_u64().unwrap() + out["full"].as_u64().unwrap(),
        2502,
        "{out}"
    );

    // Zoomed in on the middle of the world until labels are drawn.
    let canvas = client.find(Locator::Css("svg.world-graph")).await.unwrap();
    let mut shown = after_frames(&client, DRAWN).await;
    for _ in 0..40 {
        if shown["outlined"] == json!(0) && !names(&shown["onScreen"]).is_empty() {
            break;
        }
        canvas.send_keys("+").await.unwrap();
        shown = after_frames(&client, DRAWN).await;
    }
    let before = names(&shown["onScreen"]);
    assert!(!before.is_empty(), "{shown}");
    // Hundreds of assignment lines cross the middle: they are drawn merged, a path or two,
    // and only the edges that start, end or have their chip nearby one by one.
    assert!(shown["passing"].as_u64().unwrap() >= 1, "{shown}");
    assert!(shown["edges"].as_u64().unwrap() < 300, "{shown}");

    // Three drags with the mouse, each pulling the graph 300 px down: the view moves up the
    // resource tree by more than a screen, and what comes into view is drawn.
    for _ in 0..3 {
        let drag = press_and_move(&canvas, -150.0, (0.0, 300.0), 300).then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        client.perform_actions(drag).await.unwrap();
    }
    let dragged = after_frames(&client, DRAWN).await;
    assert_ne!(dragged["viewBox"], shown["viewBox"]);
    let after = names(&dragged["onScreen"]);
    assert!(!after.is_empty(), "{dragged}");
    let new: Vec<&String> = after.iter().filter(|n| !before.contains(n)).collect();
    assert!(
        !new.is_empty(),
        "nothing new in view: {before:?} then {after:?}"
    );

    // A node that came into view is selectable: a click inspects it.
    let name = new[0].clone();
    client
        .find(Locator::XPath(&format!(
            "//*[@role='button' and (@aria-label='{name}' or starts-with(@aria-label, '{name},'))]"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::XPath(&format!(
            "//*[contains(@class,'inspect-tab')]//h2[.='{name}']"
        )))
        .await
        .unwrap();

    // The arrow keys move the view a tenth of the screen at a time: ten of them, a screen.
    let canvas = client.find(Locator::Css("svg.world-graph")).await.unwrap();
    for _ in 0..10 {
        canvas.send_keys("\u{E013}").await.unwrap();
    }
    let keyed = after_frames(&client, DRAWN).await;
    let moved = names(&keyed["onScreen"]);
    assert!(!moved.is_empty(), "{keyed}");
    assert!(
        moved.iter().any(|n| !after.contains(n)),
        "nothing new in view after ↑: {after:?} then {moved:?}"
    );

    let errors = severe_errors(&client).await;
    assert!(errors.is_empty(), "{errors:?}");
    run(&client, "localStorage.clear(); return true").await;
    client.close().await.unwrap();
}

/// Reloads the page and waits for the large world it restores, drawn zoomed out as boxes.
async fn reload_zoomed_out(client: &fantoccini::Client) {
    client.refresh().await.unwrap();
    client
        .wait()
        .for_element(Locator::Css(".world-graph .node.outline"))
        .await
        .unwrap();
}

/// Where the virtual machine vm-web is on screen, and the canvas's transform.
const PLACE: &str = "const r = document.querySelector(\".world-graph .node[aria-label^='Virtual machine vm-web']\")
       .getBoundingClientRect();
     return { x: r.x, y: r.y, transform: document.querySelector('svg.world-graph').style.transform };";

#[tokio::test]
async fn a_drag_keeps_the_graph_under_the_pointer_whether_the_drawing_or_the_view_moves() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    open(&client, &site.url()).await;
    let canvas = client.find(Locator::Css("svg.world-graph")).await.unwrap();
    // (what, zoom-ins from the fitted graph, the canvas's transform during the drag)
    let cases = [
        // The whole graph is on screen: nothing can come into view, so the drawing itself
        // moves, and the view box follows when the pointer lets go.
        ("fitted", 0, "translate(120px, 40px)"),
        // Zoomed in: the view box moves with the pointer and what comes into view is drawn.
        ("zoomed in", 2, ""),
    ];
    for (what, zoom_ins, transform) in cases {
        click(&client, "//button[.='Fit']").await;
        for _ in 0..zoom_ins {
            click(&client, "//button[@aria-label='Zoom in']").await;
        }
        let before = after_frames(&client, PLACE).await;
        let down = press_and_move(&canvas, 0.0, (120.0, 40.0), 200);
        client.perform_actions(down).await.unwrap();
        let during = after_frames(&client, PLACE).await;
        let up = MouseActions::new("mouse".into()).then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        client.perform_actions(up).await.unwrap();
        let after = after_frames(&client, PLACE).await;
        assert_eq!(during["transform"], json!(transform), "{what}: {during}");
        assert_eq!(after["transform"], json!(""), "{what}: {after}");
        for (place, when) in [(&during, "during"), (&after, "after")] {
            let moved = (
                place["x"].as_f64().unwrap() - before["x"].as_f64().unwrap(),
                place["y"].as_f64().unwrap() - before["y"].as_f64().unwrap(),
            );
            assert!(
                (moved.0 - 120.0).abs() < 0.5 && (moved.1 - 40.0).abs() < 0.5,
                "{what}, {when} the drag: the node moved {moved:?}, not (120, 40)"
            );
        }
    }
    assert_eq!(severe_errors(&client).await, Vec::<String>::new());
}
