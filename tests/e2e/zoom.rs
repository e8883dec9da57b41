//! Zooming the world graph with the wheel: about the point under the pointer, by how far the
//! wheel turned; and, where the page scrolls (a narrow window, a frame in a documentation
//! page), the wheel scrolls the page and says how to zoom, while Ctrl and the wheel zoom.
//! Zooming with two fingers: a pinch about the point between them, and a drag with the finger
//! left.

use crate::embed::example_frame;
use crate::harness::{Driver, SiteServer, dist_dir};
use crate::page::{after_frames, run, severe_errors, start, wait_for};
use fantoccini::actions::{
    Actions, InputSource, KeyAction, KeyActions, PointerAction, TouchActions, WheelAction,
    WheelActions,
};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;
use std::time::Duration;

/// What the graph shows and where: its view box, where vm-web's box is on screen (its centre,
/// in the window's pixels), how far the page is scrolled, the hint, and the wheel events heard
/// since `RECORD` (deltaY, Ctrl held, cancelled).
const STATE: &str = "const svg = document.querySelector('svg.world-graph');
     const node = svg.querySelector(\".node[aria-label^='Virtual machine vm-web'], .node[aria-label^='Function App func-report']\");
     const r = node.getBoundingClientRect();
     const hint = document.querySelector('.graph-hint');
     return { viewBox: svg.getAttribute('viewBox').split(' ').map(Number),
              node: [r.x + r.width / 2, r.y + r.height / 2],
              scrollY: window.scrollY, hint: hint ? hint.textContent : null,
              heard: window.__wheel || [] };";

/// Starts recording the wheel events that reach the window (after the canvas had them).
const RECORD: &str = "window.__wheel = [];
     window.addEventListener('wheel', e => window.__wheel.push([e.deltaY, e.ctrlKey, e.defaultPrevented]));
     return true;";

/// `STATE` two frames from now, when what the last input changed is drawn.
async fn state(client: &Client) -> Value {
    after_frames(client, STATE).await
}

/// Polls `STATE` until `ready` holds of it, and returns it.
async fn state_when(client: &Client, what: &str, ready: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let now = state(client).await;
        if ready(&now) {
            return now;
        }
    }
    panic!("never: {what}; last {}", state(client).await);
}

/// Turns the wheel by `delta_y` pixels at (`x`, `y`) in the window, with Ctrl held or not.
async fn wheel(client: &Client, (x, y): (f64, f64), delta_y: i64, ctrl: bool) {
    let turn = WheelAction::Scroll {
        duration: None,
        x: x.round() as i64,
        y: y.round() as i64,
        delta_x: 0,
        delta_y,
    };
    let wheel = WheelActions::new("wheel".into());
    if ctrl {
        // Ctrl goes down in the first tick, the wheel turns in the second, Ctrl goes up after.
        let keys = KeyActions::new("keys".into())
            .then(KeyAction::Down {
                value: Key::Control.into(),
            })
            .pause(Duration::ZERO)
            .then(KeyAction::Up {
                value: Key::Control.into(),
            });
        let wheel = wheel.pause(Duration::ZERO).then(turn);
        client
            .perform_actions(Actions::from(keys).and(wheel))
            .await
            .unwrap();
    } else {
        client.perform_actions(wheel.then(turn)).await.unwrap();
    }
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// Asserts that the view box was zoomed by `factor` and that vm-web stayed under the pointer.
fn assert_zoomed(what: &str, before: &Value, after: &Value, factor: f64) {
    let (b, a) = (numbers(&before["viewBox"]), numbers(&after["viewBox"]));
    for axis in [2, 3] {
        assert!(
            (a[axis] / b[axis] - factor).abs() < 1e-9,
            "{what}: view box {b:?} → {a:?}, not zoomed by {factor}"
        );
    }
    let (b, a) = (numbers(&before["node"]), numbers(&after["node"]));
    assert!(
        (a[0] - b[0]).abs() < 1.0 && (a[1] - b[1]).abs() < 1.0,
        "{what}: the node under the pointer moved from {b:?} to {a:?}"
    );
}

#[tokio::test]
async fn the_wheel_zooms_about_the_pointer_where_the_page_fits_the_window() {
    let (_site, _driver, client) = start(1440, 900).await;
    run(&client, RECORD).await;
    // (what, deltaY, the zoom: 2 to the power of deltaY × 0.002, at most √2 either way)
    let cases = [
        ("towards the reader: in", -200, (-0.4f64).exp2()),
        ("away: out", 100, 0.2f64.exp2()),
        ("a long turn: in by √2 at most", -1000, 0.5f64.sqrt()),
    ];
    for (what, delta, factor) in cases {
        let before = state(&client).await;
        wheel(
            &client,
            (numbers(&before["node"])[0], numbers(&before["node"])[1]),
            delta,
            false,
        )
        .await;
        let after = state_when(&client, what, |s| s["viewBox"] != before["viewBox"]).await;
        assert_zoomed(what, &before, &after, factor);
        assert_eq!(after["scrollY"], 0.0, "{what}");
        assert_eq!(after["hint"], Value::Null, "{what}");
    }
    // Every turn reached the canvas, and each was cancelled so that nothing else scrolled.
    let heard = state(&client).await["heard"].clone();
    assert_eq!(
        heard,
        serde_json::json!([
            [-200, false, true],
            [100, false, true],
            [-1000, false, true]
        ])
    );
    assert_eq!(severe_errors(&client).await, Vec::<String>::new());
}

#[tokio::test]
async fn where_the_page_scrolls_the_wheel_scrolls_it_and_ctrl_with_the_wheel_zooms() {
    // A narrow window, where the page is taller than the window.
    let (_site, _driver, client) = start(800, 500).await;
    run(&client, RECORD).await;
    let before = state(&client).await;
    let at = (numbers(&before["node"])[0], numbers(&before["node"])[1]);
    wheel(&client, at, 100, false).await;
    let scrolled = state_when(&client, "the page scrolls", |s| s["scrollY"] != 0.0).await;
    assert_eq!(scrolled["scrollY"], 100.0);
    assert_eq!(
        scrolled["viewBox"], before["viewBox"],
        "the graph did not zoom"
    );
    assert_eq!(scrolled["hint"], "Hold Ctrl and scroll to zoom");

    let at = (numbers(&scrolled["node"])[0], numbers(&scrolled["node"])[1]);
    wheel(&client, at, -100, true).await;
    let zoomed = state_when(&client, "Ctrl and the wheel zoom", |s| {
        s["viewBox"] != scrolled["viewBox"]
    })
    .await;
    // With Ctrl (as a touchpad's pinch sends it) a turn counts ten times: at most √2.
    assert_zoomed("Ctrl and the wheel", &scrolled, &zoomed, 0.5f64.sqrt());
    assert_eq!(zoomed["scrollY"], 100.0, "the page stayed where it was");
    assert_eq!(
        zoomed["heard"],
        serde_json::json!([[100, false, false], [-100, true, true]])
    );
    // The hint goes a moment after the last turn that scrolled.
    state_when(&client, "the hint goes", |s| s["hint"].is_null()).await;
    assert_eq!(severe_errors(&client).await, Vec::<String>::new());
}

#[tokio::test]
async fn in_a_documentation_page_the_wheel_scrolls_past_a_frame_and_ctrl_with_it_zooms() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 900).await;
    let frame = example_frame(&client, &site, "#driven-frame").await;
    // The frame in the middle of the window, with the page free to scroll either way.
    let host =
        |script: &str| format!("const f = document.getElementById('driven-frame'); {script}");
    run(
        &client,
        &host("window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 200); return true;"),
    )
    .await;
    frame.clone().enter_frame().await.unwrap();
    wait_for(&client, "//span[@class='step-count' and .='Step 1 of 8']").await;
    client
        .wait()
        .for_element(Locator::Css("#root:not([inert]) svg.world-graph"))
        .await
        .unwrap();
    run(&client, RECORD).await;
    let before = state(&client).await;
    client.enter_parent_frame().await.unwrap();
    let host_state = || {
        host(
            "const r = f.getBoundingClientRect(); return { top: r.top, left: r.left, scrollY: window.scrollY };",
        )
    };
    let place = run(&client, &host_state()).await;
    // The node's centre in the window: the frame's place plus the node's place in the frame.
    let at = |inner: &Value, outer: &Value| {
        let node = numbers(&inner["node"]);
        (
            node[0] + outer["left"].as_f64().unwrap(),
            node[1] + outer["top"].as_f64().unwrap(),
        )
    };

    // The wheel alone scrolls the documentation page past the frame.
    wheel(&client, at(&before, &place), -100, false).await;
    let start = place["scrollY"].as_f64().unwrap();
    for _ in 0..100 {
        if run(&client, &host_state()).await["scrollY"].as_f64() != Some(start) {
            break;
        }
    }
    let scrolled = run(&client, &host_state()).await;
    assert_eq!(scrolled["scrollY"].as_f64(), Some(start - 100.0));
    frame.clone().enter_frame().await.unwrap();
    let inside = state(&client).await;
    assert_eq!(
        inside["viewBox"], before["viewBox"],
        "the frame's graph did not zoom"
    );
    assert_eq!(inside["hint"], "Hold Ctrl and scroll to zoom");
    client.enter_parent_frame().await.unwrap();

    // Ctrl and the wheel zoom the frame's graph and leave the page where it is.
    wheel(&client, at(&inside, &scrolled), -100, true).await;
    frame.clone().enter_frame().await.unwrap();
    let zoomed = state_when(&client, "Ctrl and the wheel zoom the frame", |s| {
        s["viewBox"] != inside["viewBox"]
    })
    .await;
    assert_zoomed("in the frame", &inside, &zoomed, 0.5f64.sqrt());
    assert_eq!(
        zoomed["heard"],
        serde_json::json!([[-100, false, false], [-100, true, true]])
    );
    assert_eq!(severe_errors(&client).await, Vec::<String>::new());
    client.enter_parent_frame().await.unwrap();
    assert_eq!(
        run(&client, &host_state()).await["scrollY"],
        scrolled["scrollY"]
    );
}

#[tokio::test]
async fn two_fingers_pinch_about_the_point_between_them_and_the_finger_left_drags_on() {
    let (_site, _driver, client) = start(800, 500).await;
    let before = state(&client).await;
    let (x, y) = (numbers(&before["node"])[0], numbers(&before["node"])[1]);
    // Two fingers 80 px apart either side of vm-web spread to 160 px apart while moving 20 px
    // down; then the right one lifts and the left one moves 30 px right.
    let finger = |id: &str, side: f64, last: bool| {
        let touch = TouchActions::new(id.into())
            .then(PointerAction::MoveTo {
                duration: None,
                x: x + side * 40.0,
                y,
            })
            .then(PointerAction::Down { button: 0 })
            .then(PointerAction::MoveTo {
                duration: Some(Duration::from_millis(200)),
                x: x + side * 80.0,
                y: y + 20.0,
            });
        if last {
            touch
                .pause(Duration::ZERO)
                .then(PointerAction::MoveTo {
                    duration: Some(Duration::from_millis(100)),
                    x: x + side * 80.0 + 30.0,
                    y: y + 20.0,
                })
                .then(PointerAction::Up { button: 0 })
        } else {
            touch.then(PointerAction::Up { button: 0 })
        }
    };
    client
        .perform_actions(Actions::from(finger("left", -1.0, true)).and(finger("right", 1.0, false)))
        .await
        .unwrap();
    let after = state_when(&client, "the pinch zooms", |s| {
        s["viewBox"] != before["viewBox"]
    })
    .await;
    let (b, a) = (numbers(&before["viewBox"]), numbers(&after["viewBox"]));
    assert!(
        (a[2] / b[2] - 0.5).abs() < 1e-9 && (a[3] / b[3] - 0.5).abs() < 1e-9,
        "fingers twice as far apart halve the view box: {b:?} → {a:?}"
    );
    let node = numbers(&after["node"]);
    assert!(
        (node[0] - (x + 30.0)).abs() < 1.0 && (node[1] - (y + 20.0)).abs() < 1.0,
        "vm-web moved with the fingers to ({}, {}): {node:?}",
        x + 30.0,
        y + 20.0
    );
    assert_eq!(after["scrollY"], 0.0, "the page did not move");
    assert_eq!(severe_errors(&client).await, Vec::<String>::new());
}
