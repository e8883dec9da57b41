//! The graph follows the steps where the whole world is too small to read or a room follows
//! one step at a time (a presentation, an embedded frame): each step frames the parts it
//! lights and the two ends of the token's hop, gliding there; Fit shows the whole world until
//! the next step, and Frame step goes back. A roomy full page keeps the whole world in view.
//! Where motion is reduced, neither the view nor the token travels.

use crate::harness::{Driver, SiteServer, dist_dir};
use crate::page::{after_frames, click, run, severe_errors, wait_for};
use fantoccini::Client;
use serde_json::Value;

/// The canvas's view box, screen pixels per graph unit, and for each named graph element
/// (by the start of its accessible name) whether its box is wholly inside the canvas.
const VIEW: &str = "const svg = document.querySelector('svg.world-graph');
     const c = svg.getBoundingClientRect();
     const inside = prefix => {
       const n = svg.querySelector(`.node[aria-label^=\"${prefix}\"]`);
       if (!n) return null;
       const r = n.getBoundingClientRect();
       return r.left >= c.left - 0.5 && r.right <= c.right + 0.5
           && r.top >= c.top - 0.5 && r.bottom <= c.bottom + 0.5;
     };
     return { viewBox: svg.getAttribute('viewBox'), scale: svg.getScreenCTM().a,
              vm: inside('Virtual machine vm-web'),
              principal: inside('Service principal vm-web'),
              entra: inside('Entra ID token service'),
              kv: inside('Key vault kv-prod'),
              frameStep: [...document.querySelectorAll('.graph-tools button')]
                  .some(b => b.textContent === 'Frame step') };";

/// The view once it has stopped moving (a glide takes a few hundred milliseconds): two reads
/// a couple of frames apart that agree.
async fn settled(client: &Client) -> Value {
    let mut last = after_frames(client, VIEW).await;
    for _ in 0..200 {
        let now = after_frames(client, VIEW).await;
        if now == last {
            return now;
        }
        last = now;
    }
    panic!("the view never settled; last {last}");
}

async fn open_at(width: u32, height: u32, query: &str) -> (SiteServer, Driver, Client) {
    open_with(width, height, query, &[]).await
}

async fn open_with(
    width: u32,
    height: u32,
    query: &str,
    args: &[&str],
) -> (SiteServer, Driver, Client) {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser_with(width, height, args).await;
    crate::open(&client, &format!("{}{query}", site.url())).await;
    (site, driver, client)
}

/// The lifecycle world's view box fitted whole.
const WHOLE: &str = "-8 -8 1085 461";

/// How far, in screen pixels, each token dot (the graph's and the lane's) is from the end of the
/// path it travels.
const DOT_FROM_END: &str = "const away = (dot, path) => {
       dot = document.querySelector(dot); path = document.querySelector(path);
       const end = path.getPointAtLength(path.getTotalLength()), m = path.getScreenCTM();
       const r = dot.getBoundingClientRect();
       return Math.hypot(r.x + r.width / 2 - (m.a * end.x + m.c * end.y + m.e),
                         r.y + r.height / 2 - (m.b * end.x + m.d * end.y + m.f));
     };
     return { graph: away('.world-graph .token-dot', '#world-token-path'),
              lane: away('.lane-row .token-dot', '#lane-lane-row-hop') };";

/// Starts recording every view box the canvas is drawn at.
const RECORD: &str = "const svg = document.querySelector('svg.world-graph');
     window.__views = [];
     new MutationObserver(() => window.__views.push(svg.getAttribute('viewBox')))
         .observe(svg, { attributes: true, attributeFilter: ['viewBox'] });
     return true;";

/// The view boxes drawn since `RECORD`, without repeats.
async fn recorded(client: &Client) -> Vec<String> {
    let views: Vec<String> =
        serde_json::from_value(run(client, "return window.__views").await).unwrap_or_default();
    let mut distinct = views;
    distinct.dedup();
    distinct
}

/// Asserts that since `RECORD` the view glided to `view`: through views between, ending there.
async fn assert_glided_to(client: &Client, view: &Value) {
    let glide = recorded(client).await;
    assert!(glide.len() >= 4, "{glide:?}");
    assert_eq!(glide.last().map(String::as_str), view["viewBox"].as_str());
}

fn scale(v: &Value) -> f64 {
    v["scale"].as_f64().unwrap_or(0.0)
}

#[tokio::test]
async fn a_presentation_frames_each_step_and_fit_shows_the_whole_world_until_the_next() {
    let (_site, _driver, client) = open_at(1280, 720, "?present&scenario=lifecycle").await;
    // The whole world, for comparison.
    click(&client, "//div[@class='graph-tools']/button[.='Fit']").await;
    let whole = settled(&client).await;
    assert_eq!(whole["viewBox"], WHOLE, "{whole}");
    assert_eq!(whole["frameStep"], true, "{whole}");
    click(
        &client,
        "//div[@class='graph-tools']/button[.='Frame step']",
    )
    .await;
    let first = settled(&client).await;
    // Step 1 lights vm-web: drawn 1.4 pixels a unit (labels at 19.6 px), well over the whole
    // world's scale, and in view.
    assert!((scale(&first) - 1.4).abs() < 0.01, "{first}");
    assert!(scale(&whole) < 0.7, "{whole}");
    assert_eq!(
        (&first["vm"], &first["frameStep"]),
        (&Value::Bool(true), &Value::Bool(false)),
        "{first}"
    );

    // Step 5: Entra ID issues the token, which travels to vm-web. Both ends of the hop and the
    // service principal are in view, larger than in the whole world. The view glides there
    // through views between the two.
    run(&client, RECORD).await;
    click(&client, "//button[starts-with(@aria-label, 'Step 5:')]").await;
    let issue = settled(&client).await;
    assert_glided_to(&client, &issue).await;
    assert_ne!(issue["viewBox"], first["viewBox"]);
    for part in ["vm", "principal", "entra"] {
        assert_eq!(issue[part], true, "{part}: {issue}");
    }
    assert!(scale(&issue) > scale(&whole) * 1.2, "{issue} vs {whole}");

    // A zoom of one's own holds until the next step, which frames that step again.
    click(&client, "//button[@aria-label='Zoom in']").await;
    let zoomed = settled(&client).await;
    assert_eq!(zoomed["frameStep"], true, "{zoomed}");
    click(&client, "//button[@aria-label='Next step']").await;
    let access = settled(&client).await;
    assert_ne!(access["viewBox"], zoomed["viewBox"]);
    assert_eq!(
        (&access["vm"], &access["kv"]),
        (&Value::Bool(true), &Value::Bool(true)),
        "{access}"
    );
    assert_eq!(access["frameStep"], false, "{access}");
    // Fit shows the whole world until the next step.
    click(&client, "//div[@class='graph-tools']/button[.='Fit']").await;
    assert_eq!(settled(&client).await["viewBox"], WHOLE);
    click(&client, "//button[@aria-label='Previous step']").await;
    assert_eq!(settled(&client).await["viewBox"], issue["viewBox"]);
    assert!(severe_errors(&client).await.is_empty());
    client.close().await.unwrap();
}

#[tokio::test]
async fn with_motion_reduced_the_view_moves_at_once_and_the_token_does_not_travel() {
    let (_site, _driver, client) = open_with(
        1280,
        720,
        "?present&scenario=lifecycle",
        &["--force-prefers-reduced-motion"],
    )
    .await;
    let first = settled(&client).await;
    run(&client, RECORD).await;
    click(&client, "//button[@aria-label='Next step']").await;
    let second = settled(&client).await;
    assert_ne!(first["viewBox"], second["viewBox"]);
    assert_eq!(
        recorded(&client).await,
        vec![second["viewBox"].as_str().unwrap_or_default().to_string()]
    );
    // The token does not travel either: on the graph and in the lane its dot is where the
    // hop ends from the first frame (screen pixels away from the end of its path).
    click(&client, "//button[starts-with(@aria-label, 'Step 5:')]").await;
    let away = after_frames(&client, DOT_FROM_END).await;
    for part in ["graph", "lane"] {
        let d = away[part].as_f64().unwrap_or(f64::MAX);
        assert!(d < 2.0, "{part}: {away}");
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_embedded_frame_opens_framed_on_its_step() {
    let (_site, _driver, client) = open_at(800, 500, "?embed&scenario=lifecycle&step=1").await;
    let first = settled(&client).await;
    assert_ne!(first["viewBox"], WHOLE);
    assert_eq!(first["vm"], true, "{first}");
    assert!(scale(&first) > 0.9, "{first}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_window_made_too_small_to_read_the_whole_world_glides_to_the_step() {
    let (_site, _driver, client) = open_at(1440, 900, "?scenario=lifecycle").await;
    let roomy = settled(&client).await;
    assert_eq!(roomy["viewBox"], WHOLE, "{roomy}");
    run(&client, RECORD).await;
    client.set_window_size(390, 844).await.unwrap();
    let small = settled(&client).await;
    assert_glided_to(&client, &small).await;
    assert_eq!(small["vm"], true, "{small}");
    assert!(scale(&small) > 0.9, "{small}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_roomy_full_page_keeps_the_whole_world_in_view_as_it_steps() {
    let (_site, _driver, client) = open_at(1440, 900, "?scenario=lifecycle").await;
    let first = settled(&client).await;
    for _ in 0..4 {
        click(&client, "//button[@aria-label='Next step']").await;
    }
    wait_for(
        &client,
        "//*[contains(@class, 'step-count') and .='Step 5 of 9']",
    )
    .await;
    let later = settled(&client).await;
    assert_eq!(
        (&first["viewBox"], &later["viewBox"], &later["frameStep"]),
        (
            &Value::from(WHOLE),
            &Value::from(WHOLE),
            &Value::Bool(false)
        )
    );
    assert!(
        run(
            &client,
            "return document.querySelector('.graph-tools').textContent"
        )
        .await
        .as_str()
        .is_some_and(|t| !t.contains("Frame step"))
    );
    client.close().await.unwrap();
}
