//! End-to-end journeys of embedding: the embed-mode frame (what it shows, read-only, the sizes
//! it fits), the example page driving a frame through postMessage, embed.js making and sizing
//! a frame, the Copy embed code dialog, and malformed messages.

use crate::harness::{Driver, SiteServer, console, dist_dir};
use crate::open;
use crate::page::{click, run, save_screenshot, severe_errors, text_of, wait_for};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use std::time::Duration;

const LIFECYCLE_FLOW: &str = "vm-web reads db-password with its system-assigned identity";
const LEAST_PRIVILEGE_FLOW: &str = "func-report reads a report with its Contributor identity";
/// The least-privilege scenario's steps, as the frame names them.
const LEAST_PRIVILEGE_STEPS: [&str; 8] = [
    "Enable the system-assigned identity on func-report",
    "Entra ID creates the service principal func-report",
    "The platform provisions the identity's credential",
    "Code on func-report asks the App Service token endpoint",
    "Entra ID issues the token",
    "Code calls Storage account stdata with the token",
    "Storage account stdata validates the token",
    "Storage account stdata checks access",
];

async fn count(client: &Client, css: &str) -> usize {
    client.find_all(Locator::Css(css)).await.unwrap().len()
}

/// Polls `script` until it returns something other than `null` or `false`, and returns it.
async fn until(client: &Client, script: &str, what: &str) -> Value {
    for _ in 0..150 {
        let v = run(client, script).await;
        if !v.is_null() && v != Value::Bool(false) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn press(client: &Client, key: &str) {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

const RIGHT: &str = "\u{e014}";
const LEFT: &str = "\u{e012}";
const ESCAPE: &str = "\u{e00c}";

/// The frame's `mi-sim:step` message for least-privilege at `step` (1-based).
fn least_privilege_step(step: usize) -> Value {
    json!({
        "type": "mi-sim:step",
        "scenario": "least-privilege",
        "flow": 1,
        "step": step,
        "count": 8,
        "title": LEAST_PRIVILEGE_FLOW,
        "stepTitle": LEAST_PRIVILEGE_STEPS[step - 1],
    })
}

/// What the example page's live line says when the frame reports `step` (1-based).
fn report_line(step: usize) -> String {
    format!(
        "The frame is at step {step} of 8: {} ({LEAST_PRIVILEGE_FLOW})",
        LEAST_PRIVILEGE_STEPS[step - 1]
    )
}

async fn wait_for_report(client: &Client, step: usize) {
    wait_for(
        client,
        &format!("//p[@id='host-report' and .=\"{}\"]", report_line(step)),
    )
    .await;
}

/// Opens the example page and records, in `window.__heard`, every message the driven frame
/// sends from now on.
async fn open_example(client: &Client, site: &SiteServer) {
    client
        .goto(&format!("{}embed-example.html", site.url()))
        .await
        .unwrap();
    wait_for_report(client, 1).await;
    run(
        client,
        "window.__heard = [];
         const driven = document.getElementById('driven-frame');
         window.addEventListener('message', e => {
           if (e.source === driven.contentWindow) window.__heard.push(e.data);
         });",
    )
    .await;
}

/// Opens the example page and waits for the frame at `css` (the page makes some of its frames
/// with a script).
pub(crate) async fn example_frame(
    client: &Client,
    site: &SiteServer,
    css: &str,
) -> fantoccini::elements::Element {
    client
        .goto(&format!("{}embed-example.html", site.url()))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

async fn heard_steps(client: &Client) -> Vec<Value> {
    let heard = run(
        client,
        "return window.__heard.filter(m => m.type === 'mi-sim:step')",
    )
    .await;
    heard.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn embed_mode_shows_only_the_graph_the_step_panel_and_a_link_at_the_pinned_step() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(800, 500).await;
    // The full simulator saves where the person is; an embedded frame must leave that alone.
    open(&client, &site.url()).await;
    press(&client, RIGHT).await;
    let saved = until(
        &client,
        "return localStorage.length > 0 && JSON.stringify(Object.entries(localStorage))",
        "the full simulator's autosave",
    )
    .await;

    open(
        &client,
        &format!("{}?embed&scenario=lifecycle&step=3", site.url()),
    )
    .await;
    save_screenshot(&client, "mi-sim-embed-800x500.png").await;
    for absent in [
        ".topbar",
        "footer",
        "[role=tab]",
        ".lane-pane",
        "#scenario-picker",
        "#flow-picker",
        ".step-dots",
    ] {
        assert_eq!(count(&client, absent).await, 0, "{absent} is shown");
    }
    assert_eq!(count(&client, ".embed > *").await, 2);
    assert!(
        client
            .find(Locator::Css(".embed-graph svg.graph"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    assert_eq!(text_of(&client, ".embed-panel h1").await, LIFECYCLE_FLOW);
    assert_eq!(text_of(&client, ".step-count").await, "Step 3 of 9");
    assert_eq!(
        text_of(&client, ".step-title").await,
        "3. The platform provisions the identity's credential"
    );
    assert!(count(&client, ".what-if input[type=checkbox]").await > 0);
    let link = client
        .find(Locator::LinkText("Open in mi-sim ↗"))
        .await
        .unwrap();
    assert_eq!(
        link.prop("href").await.unwrap().as_deref(),
        Some(format!("{}?scenario=lifecycle&step=3", site.url()).as_str())
    );
    assert_eq!(
        link.attr("target").await.unwrap().as_deref(),
        Some("_blank")
    );
    assert_eq!(link.attr("rel").await.unwrap().as_deref(), Some("noopener"));

    // The arrows step, and the link follows the step.
    press(&client, RIGHT).await;
    assert_eq!(text_of(&client, ".step-count").await, "Step 4 of 9");
    assert_eq!(
        link.prop("href").await.unwrap().as_deref(),
        Some(format!("{}?scenario=lifecycle&step=4", site.url()).as_str())
    );
    press(&client, LEFT).await;
    press(&client, LEFT).await;
    assert_eq!(text_of(&client, ".step-count").await, "Step 2 of 9");
    click(&client, "//button[@aria-label='Next step']").await;
    assert_eq!(text_of(&client, ".step-count").await, "Step 3 of 9");

    let after = run(
        &client,
        "return JSON.stringify(Object.entries(localStorage))",
    )
    .await;
    assert_eq!(after, saved, "embed mode touched the autosave");
    assert_eq!(severe_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test]
async fn embed_mode_fits_its_frame_from_600_by_400_up() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    for (w, h) in [(600, 400), (800, 500), (1280, 720)] {
        let client = driver.browser(w, h).await;
        open(
            &client,
            &format!("{}?embed&scenario=least-privilege&step=8", site.url()),
        )
        .await;
        save_screenshot(&client, &format!("mi-sim-embed-{w}x{h}.png")).await;
        let fit = run(
            &client,
            "const d = document.documentElement;
             const bottom = s => document.querySelector(s).getBoundingClientRect().bottom;
             return [d.scrollWidth - d.clientWidth, d.scrollHeight - d.clientHeight,
                     bottom('.embed-open') <= innerHeight, bottom('[aria-label=\"Next step\"]') <= innerHeight,
                     document.querySelector('.embed-graph svg').getBoundingClientRect().height];",
        )
        .await;
        assert_eq!(fit[0], 0, "{w}×{h}: horizontal scrollbar");
        assert_eq!(fit[1], 0, "{w}×{h}: vertical scrollbar");
        assert_eq!(fit[2], true, "{w}×{h}: link below the fold");
        assert_eq!(fit[3], true, "{w}×{h}: Next below the fold");
        assert!(
            fit[4].as_f64().unwrap_or(0.0) >= 150.0,
            "{w}×{h}: graph {}",
            fit[4]
        );
        assert_eq!(text_of(&client, ".step-count").await, "Step 8 of 8");
        assert_eq!(
            severe_errors(&client).await,
            Vec::<String>::new(),
            "{w}×{h}"
        );
        client.close().await.unwrap();
    }
}

#[tokio::test]
async fn read_only_hides_what_changes_the_world_and_still_steps() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    // The same failing step, first editable: what-ifs and Fix it are there.
    open(
        &client,
        &format!("{}?embed&scenario=least-privilege&step=8", site.url()),
    )
    .await;
    assert!(count(&client, ".what-if input").await > 0);
    wait_for(&client, "//button[normalize-space()='Fix it']").await;

    open(
        &client,
        &format!(
            "{}?embed&scenario=least-privilege&step=8&readonly",
            site.url()
        ),
    )
    .await;
    save_screenshot(&client, "mi-sim-embed-readonly.png").await;
    assert_eq!(text_of(&client, ".step-count").await, "Step 8 of 8");
    assert_eq!(text_of(&client, ".step-head .badge").await, "✗ Fails here");
    for absent in [
        ".what-ifs",
        ".what-if input",
        ".clock",
        ".toolbar",
        "textarea",
        "select",
    ] {
        assert_eq!(count(&client, absent).await, 0, "{absent} is shown");
    }
    let buttons = run(
        &client,
        "return [...document.querySelectorAll('button')].map(b => b.getAttribute('aria-label') || b.textContent.trim())",
    )
    .await;
    assert_eq!(
        buttons,
        json!([
            "Zoom in",
            "Zoom out",
            "Fit",
            "List view",
            "Previous step",
            "Next step"
        ])
    );
    click(&client, "//button[@aria-label='Previous step']").await;
    assert_eq!(text_of(&client, ".step-count").await, "Step 7 of 8");
    press(&client, RIGHT).await;
    assert_eq!(text_of(&client, ".step-count").await, "Step 8 of 8");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_host_page_steps_a_frame_and_hears_where_it_is() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 900).await;
    open_example(&client, &site).await;
    save_screenshot(&client, "mi-sim-embed-example.png").await;

    let step_input = client.find(Locator::Id("host-step")).await.unwrap();
    step_input.clear().await.unwrap();
    step_input.send_keys("5").await.unwrap();
    click(&client, "//button[normalize-space()='Go to step']").await;
    wait_for_report(&client, 5).await;
    click(&client, "//button[normalize-space()='Next ▶']").await;
    wait_for_report(&client, 6).await;
    click(&client, "//button[normalize-space()='◀ Previous']").await;
    wait_for_report(&client, 5).await;
    assert_eq!(
        heard_steps(&client).await,
        vec![
            least_privilege_step(5),
            least_privilege_step(6),
            least_privilege_step(5)
        ]
    );
    // A step beyond the end, even a huge one, goes to the last.
    run(
        &client,
        "document.getElementById('driven-frame').contentWindow.postMessage({type: 'mi-sim:go', step: 1e300}, '*')",
    )
    .await;
    wait_for_report(&client, 8).await;
    assert_eq!(
        heard_steps(&client).await.last(),
        Some(&least_privilege_step(8))
    );

    // The frame itself shows the step it reports.
    client
        .find(Locator::Id("driven-frame"))
        .await
        .unwrap()
        .enter_frame()
        .await
        .unwrap();
    assert_eq!(text_of(&client, ".step-count").await, "Step 8 of 8");
    client.enter_parent_frame().await.unwrap();
    assert_eq!(severe_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test]
async fn embed_js_turns_a_div_into_a_frame_sized_to_its_content() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 900).await;
    let frame = example_frame(&client, &site, "#script-embed iframe").await;
    assert_eq!(
        frame.attr("src").await.unwrap().as_deref(),
        Some(format!("{}?embed&scenario=lifecycle&step=3&readonly", site.url()).as_str())
    );
    assert_eq!(
        frame.attr("title").await.unwrap().as_deref(),
        Some("mi-sim: what goes when a VM is deleted")
    );
    assert_eq!(count(&client, "#script-embed .fallback").await, 0);
    run(
        &client,
        "const f = document.querySelector('#script-embed iframe');
         f.scrollIntoView();
         window.__sizes = [];
         window.addEventListener('message', e => {
           if (e.source === f.contentWindow && e.data.type === 'mi-sim:resize') window.__sizes.push(e.data.height);
         });",
    )
    .await;
    // Wait until the frame has drawn, then make its content change height.
    frame.clone().enter_frame().await.unwrap();
    wait_for(&client, "//span[@class='step-count' and .='Step 3 of 9']").await;
    client.enter_parent_frame().await.unwrap();
    // Step 2 needs more than the frame has, step 6 less than the smallest frame.
    let mut expected = 0;
    for (step, tall) in [(2, true), (6, false)] {
        run(
            &client,
            &format!("window.__sizes = []; document.querySelector('#script-embed iframe').contentWindow.postMessage({{type: 'mi-sim:go', step: {step}}}, '*')"),
        )
        .await;
        let reported = until(
            &client,
            "return window.__sizes.length > 0 && window.__sizes[window.__sizes.length - 1]",
            "a mi-sim:resize from the embed.js frame",
        )
        .await
        .as_u64()
        .unwrap();
        assert_eq!(reported > 400, tall, "step {step}: {reported}");
        expected = reported.max(400);
        until(
            &client,
            &format!(
                "return Math.round(document.querySelector('#script-embed iframe').getBoundingClientRect().height) === {expected}"
            ),
            &format!("the frame to be {expected} px tall"),
        )
        .await;
        // At that height the frame shows its whole step panel without scrolling.
        frame.clone().enter_frame().await.unwrap();
        assert_eq!(
            text_of(&client, ".step-count").await,
            format!("Step {step} of 9")
        );
        let overflow = run(
            &client,
            "const b = document.querySelector('.embed-body');
             return [b.scrollHeight - b.clientHeight, document.documentElement.scrollHeight - innerHeight];",
        )
        .await;
        assert_eq!(
            overflow,
            json!([0, 0]),
            "step {step} in a frame {expected} px tall"
        );
        client.enter_parent_frame().await.unwrap();
        assert_eq!(
            run(&client, "return window.__sizes.length").await,
            json!(1),
            "step {step}: one change, one message"
        );
    }
    // A resize message from anything but the frame changes nothing. This page's listener
    // runs after embed.js's, so once it has seen the message, embed.js has too.
    run(
        &client,
        "window.addEventListener('message', e => { if (e.data && e.data.fake) window.__fakeSeen = true; });
         window.postMessage({type: 'mi-sim:resize', height: 2000, fake: true}, '*');",
    )
    .await;
    until(
        &client,
        "return window.__fakeSeen === true",
        "the forged message",
    )
    .await;
    let height = run(
        &client,
        "return Math.round(document.querySelector('#script-embed iframe').getBoundingClientRect().height)",
    )
    .await;
    assert_eq!(height.as_u64(), Some(expected));
    save_screenshot(&client, "mi-sim-embed-example-script.png").await;
    assert_eq!(severe_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test]
async fn malformed_messages_change_nothing_and_log_no_error() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 900).await;
    open_example(&client, &site).await;
    let _ = console(&client).await;
    run(
        &client,
        "const w = document.getElementById('driven-frame').contentWindow;
         for (const m of ['mi-sim:next', 42, null, undefined, true, [{type: 'mi-sim:next'}],
                          {step: 3}, {type: 7}, {type: 'mi-sim:jump', step: 3}, {type: 'MI-SIM:NEXT'},
                          {type: 'mi-sim:go'}, {type: 'mi-sim:go', step: 0}, {type: 'mi-sim:go', step: -2},
                          {type: 'mi-sim:go', step: 2.5}, {type: 'mi-sim:go', step: '3'},
                          {type: 'mi-sim:go', step: null}]) {
           w.postMessage(m, '*');
         }",
    )
    .await;
    // A message the frame sends itself is not from its host: ignored without a word.
    client
        .find(Locator::Id("driven-frame"))
        .await
        .unwrap()
        .enter_frame()
        .await
        .unwrap();
    run(&client, "window.postMessage({type: 'mi-sim:next'}, '*')").await;
    client.enter_parent_frame().await.unwrap();
    // Messages arrive in order: once this one is obeyed, all those before were handled.
    run(
        &client,
        "document.getElementById('driven-frame').contentWindow.postMessage({type: 'mi-sim:go', step: 3, note: 'extra fields are fine'}, '*')",
    )
    .await;
    wait_for_report(&client, 3).await;
    assert_eq!(heard_steps(&client).await, vec![least_privilege_step(3)]);

    let logs = console(&client).await;
    let severe: Vec<_> = logs.iter().filter(|e| e.level == "SEVERE").collect();
    assert!(severe.is_empty(), "console errors: {severe:?}");
    let warnings: Vec<_> = logs
        .iter()
        .filter(|e| {
            e.message
                .contains("mi-sim: ignored a message from the host page")
        })
        .map(|e| e.message.clone())
        .collect();
    assert_eq!(warnings.len(), 16, "{warnings:#?}");
    for (expected, warning) in [
        "it is a string, not an object like {\\\"type\\\":\\\"mi-sim:next\\\"}",
        "it is a number, not an object",
        "it is null, not an object",
        "its data cannot be read as JSON",
        "it is a boolean, not an object",
        "it is an array, not an object",
        "it has no \\\"type\\\" string",
        "it has no \\\"type\\\" string",
        "its type \\\"mi-sim:jump\\\" is not one of mi-sim:go, mi-sim:next, mi-sim:previous",
        "its type \\\"MI-SIM:NEXT\\\" is not one of",
        "mi-sim:go needs a \\\"step\\\" (1 for the first)",
        "its step 0 is not a whole number from 1 up",
        "its step -2 is not a whole number from 1 up",
        "its step 2.5 is not a whole number from 1 up",
        "its step \\\"3\\\" is not a whole number from 1 up",
        "its step null is not a whole number from 1 up",
    ]
    .iter()
    .zip(&warnings)
    {
        assert!(
            warning.contains(expected),
            "{warning} should say {expected}"
        );
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_copy_embed_code_dialog_gives_the_exact_html_for_the_state() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    open(&client, &site.url()).await;
    run(
        &client,
        "window.__copied = [];
         navigator.clipboard.writeText = t => { window.__copied.push(t); return Promise.resolve(); };",
    )
    .await;
    client
        .find(Locator::Css("#scenario-picker"))
        .await
        .unwrap()
        .select_by_value("lifecycle")
        .await
        .unwrap();
    wait_for(
        &client,
        "//select[@id='scenario-picker']/option[@value='lifecycle' and @selected]",
    )
    .await;
    press(&client, RIGHT).await;
    press(&client, RIGHT).await;
    assert_eq!(text_of(&client, ".step-count").await, "Step 3 of 9");

    click(&client, "//button[@aria-controls='share-menu']").await;
    let opener = "//button[@aria-haspopup='dialog' and contains(., 'Copy embed code')]";
    click(&client, opener).await;
    let dialog = client
        .wait()
        .for_element(Locator::Css("[role=dialog][aria-modal=true]"))
        .await
        .unwrap();
    let title_id = dialog.attr("aria-labelledby").await.unwrap().unwrap();
    assert_eq!(
        text_of(&client, &format!("#{title_id}")).await,
        "Copy embed code"
    );
    let focus_inside = run(
        &client,
        "return document.activeElement.closest('[role=dialog]') !== null && document.activeElement.id",
    )
    .await;
    assert_eq!(focus_inside, json!("embed-iframe-code"));
    let code = || async {
        run(
            &client,
            "return [document.getElementById('embed-iframe-code').value, document.getElementById('embed-script-code').value]",
        )
        .await
    };
    let url = site.url();
    assert_eq!(
        code().await,
        json!([
            format!(
                "<iframe src=\"{url}?embed&scenario=lifecycle&step=3\" title=\"mi-sim: {LIFECYCLE_FLOW}\" width=\"800\" height=\"500\" loading=\"lazy\" style=\"border:0\" allow=\"clipboard-write\"></iframe>"
            ),
            format!(
                "<div data-mi-sim=\"lifecycle\" data-step=\"3\"></div><script src=\"{url}embed.js\" async></script>"
            ),
        ])
    );
    save_screenshot(&client, "mi-sim-embed-dialog-1440x900.png").await;
    click(
        &client,
        "//label[normalize-space()='Read-only (no what-ifs, edits or Fix it)']",
    )
    .await;
    click(&client, "//label[normalize-space()='600 × 400']").await;
    let iframe = format!(
        "<iframe src=\"{url}?embed&scenario=lifecycle&step=3&readonly\" title=\"mi-sim: {LIFECYCLE_FLOW}\" width=\"600\" height=\"400\" loading=\"lazy\" style=\"border:0\" allow=\"clipboard-write\"></iframe>"
    );
    let script = format!(
        "<div data-mi-sim=\"lifecycle\" data-step=\"3\" data-readonly></div><script src=\"{url}embed.js\" async></script>"
    );
    assert_eq!(code().await, json!([iframe, script]));
    click(&client, "//label[normalize-space()='100% width × 500']").await;
    let full_width = iframe.replace(
        "width=\"600\" height=\"400\"",
        "width=\"100%\" height=\"500\"",
    );
    assert_eq!(code().await, json!([full_width, script]));
    click(&client, "//button[normalize-space()='Copy']").await;
    click(&client, "//button[normalize-space()='Copy snippet']").await;
    assert_eq!(
        run(&client, "return window.__copied").await,
        json!([full_width, script])
    );
    wait_for(
        &client,
        "//button[@aria-label='Copy' and normalize-space()='✓ Copied']",
    )
    .await;

    // Tab stays in the dialog: from its last control to its first, and back with Shift.
    run(
        &client,
        "[...document.querySelectorAll('[role=dialog] a[href]')].pop().focus()",
    )
    .await;
    let active = || async {
        run(
            &client,
            "const a = document.activeElement; return a.closest('[role=dialog]') ? a.textContent.trim() : 'outside'",
        )
        .await
    };
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{e004}")
        .await
        .unwrap();
    assert_eq!(active().await, json!("Close"));
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{e008}\u{e004}")
        .await
        .unwrap();
    assert_eq!(active().await, json!("See an example page ↗"));

    // Keys typed in the dialog stay in it; Esc closes it and focus goes back to Share (the
    // menu closed when the dialog opened: nothing of it stays over the dialog).
    client
        .find(Locator::Css("[role=dialog] .button-row button"))
        .await
        .unwrap()
        .send_keys(RIGHT)
        .await
        .unwrap();
    assert_eq!(text_of(&client, ".step-count").await, "Step 3 of 9");
    client
        .find(Locator::Id("embed-iframe-code"))
        .await
        .unwrap()
        .send_keys(ESCAPE)
        .await
        .unwrap();
    assert_eq!(count(&client, "[role=dialog][aria-modal]").await, 0);
    let focused = run(
        &client,
        "return [document.activeElement.getAttribute('aria-controls'),
                 document.getElementById('share-menu').hidden]",
    )
    .await;
    assert_eq!(focused, json!(["share-menu", true]));
    // The Close button closes it too; the options are kept while the page is open.
    click(&client, "//button[@aria-controls='share-menu']").await;
    click(&client, opener).await;
    assert_eq!(
        run(
            &client,
            "return document.getElementById('share-menu').hidden"
        )
        .await,
        json!(true),
        "the menu closes as the dialog opens"
    );
    wait_for(&client, "//*[@role='dialog']").await;
    assert_eq!(code().await, json!([full_width, script]));
    click(
        &client,
        "//*[@role='dialog']//button[normalize-space()='Close']",
    )
    .await;
    assert_eq!(count(&client, "[role=dialog][aria-modal]").await, 0);
    assert_eq!(severe_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();

    // On a phone the dialog fits the screen.
    let client = driver.browser(390, 844).await;
    open(&client, &format!("{url}?scenario=lifecycle&step=3")).await;
    click(&client, "//button[@aria-controls='share-menu']").await;
    click(&client, opener).await;
    wait_for(&client, "//*[@role='dialog']").await;
    save_screenshot(&client, "mi-sim-embed-dialog-390x844.png").await;
    let fits = run(
        &client,
        "const r = document.querySelector('[role=dialog]').getBoundingClientRect();
         return [r.left >= 0, r.right <= innerWidth, document.documentElement.scrollWidth - document.documentElement.clientWidth];",
    )
    .await;
    assert_eq!(fits, json!([true, true, 0]));
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_frame_on_another_origin_is_driven_and_heard_too() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 900).await;
    // The host page is on localhost, the frame on 127.0.0.1: two origins, as on a real
    // documentation site. The host is a plain page of the test server (the simulator's own
    // page would not do: its policy allows frames of itself only).
    let host = site.url().replace("127.0.0.1", "localhost");
    client.goto(&format!("{host}host-page")).await.unwrap();
    let frame_origin = site.origin.clone();
    run(
        &client,
        &format!(
            "window.__heard = [];
             const f = document.createElement('iframe');
             f.id = 'cross'; f.width = 800; f.height = 500;
             f.src = '{frame_origin}/?embed&scenario=least-privilege&step=2&readonly';
             window.addEventListener('message', e => {{
               if (e.source === f.contentWindow && e.origin === '{frame_origin}') window.__heard.push(e.data);
             }});
             document.body.appendChild(f);"
        ),
    )
    .await;
    let ready = until(
        &client,
        "return window.__heard.find(m => m.type === 'mi-sim:ready') || null",
        "mi-sim:ready from the frame",
    )
    .await;
    let mut expected = least_privilege_step(2);
    expected["type"] = json!("mi-sim:ready");
    expected["version"] = json!(env!("CARGO_PKG_VERSION"));
    assert_eq!(ready, expected);
    run(
        &client,
        &format!(
            "document.getElementById('cross').contentWindow.postMessage({{type: 'mi-sim:next'}}, '{frame_origin}')"
        ),
    )
    .await;
    let step = until(
        &client,
        "return window.__heard.find(m => m.type === 'mi-sim:step') || null",
        "mi-sim:step from the frame",
    )
    .await;
    assert_eq!(step, least_privilege_step(3));
    // The plain host page is the server's "not found" answer; nothing else may log an error.
    let errors: Vec<String> = severe_errors(&client)
        .await
        .into_iter()
        .filter(|e| !(e.starts_with(&host) && e.ends_with("404 (Not Found)")))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    client.close().await.unwrap();
}
