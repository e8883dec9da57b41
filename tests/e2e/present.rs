//! End-to-end journeys of presenter mode: the Present button, a clean start that leaves the
//! person's autosaved work alone, every key of the audience view, the presenter window kept in
//! step both ways through the BroadcastChannel, speaker notes as the scenario file says them,
//! and Esc back to the full simulator.

use crate::harness::{Driver, SiteServer, console, dist_dir};
use crate::open;
use crate::page::{click, node, save_screenshot, severe_errors, text_of, wait_for};
use fantoccini::{Client, Locator, key::Key};
use serde_json::Value;

/// The speaker notes of a shipped scenario's first flow, by step name, read from its file.
fn speaker_notes(id: &str) -> Value {
    let path = format!("{}/static/scenarios/{id}.json", env!("CARGO_MANIFEST_DIR"));
    let scenario: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    scenario["flows"][0]["speakerNotes"].clone()
}

/// Opens `url` and waits for the mode's own part of the page.
async fn open_mode(client: &Client, url: &str) {
    client.goto(url).await.expect("navigate");
    client
        .wait()
        .for_element(Locator::Css(
            ".mode-present main svg.graph, .mode-presenter .presenter",
        ))
        .await
        .expect("the presentation renders");
}

/// Waits until the step label (`.step-count`) reads exactly `label`.
async fn wait_for_label(client: &Client, label: &str) {
    wait_for(
        client,
        &format!("//*[contains(@class,'step-count') and normalize-space(.)='{label}']"),
    )
    .await;
}

async fn press(client: &Client, keys: &str) {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

fn key(k: Key) -> String {
    char::from(k).to_string()
}

async fn count(client: &Client, xpath: &str) -> usize {
    client.find_all(Locator::XPath(xpath)).await.unwrap().len()
}

async fn no_console_errors(client: &Client) {
    let errors = severe_errors(client).await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[tokio::test]
async fn present_opens_the_same_scenario_and_step_in_large_dark_type() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(
        &client,
        &format!("{}?scenario=lifecycle&step=3", site.url()),
    )
    .await;
    click(&client, "//button[@aria-label='Next step']").await;
    wait_for_label(&client, "Step 4 of 9").await;
    let normal = client
        .execute(
            "return parseFloat(getComputedStyle(document.querySelector('.narration')).fontSize)",
            vec![],
        )
        .await
        .unwrap();
    click(&client, "//a[normalize-space(.)='Present']").await;
    wait_for(
        &client,
        "//div[contains(@class,'app') and contains(@class,'mode-present')]",
    )
    .await;
    wait_for_label(&client, "Step 4 of 9").await;
    let url = client.current_url().await.unwrap();
    assert_eq!(url.query(), Some("present&scenario=lifecycle&step=4"));
    let app = client.find(Locator::Css(".app")).await.unwrap();
    assert_eq!(
        app.attr("data-theme").await.unwrap().as_deref(),
        Some("dark")
    );
    assert_eq!(
        text_of(&client, ".pane-title").await,
        "vm-web reads db-password with its system-assigned identity"
    );
    // The type is scaled up for the back row: the narration at least half as large again.
    let large = client
        .execute(
            "return parseFloat(getComputedStyle(document.querySelector('.narration')).fontSize)",
            vec![],
        )
        .await
        .unwrap();
    let (normal, large) = (normal.as_f64().unwrap(), large.as_f64().unwrap());
    assert!(large >= normal * 1.5, "narration {normal}px → {large}px");
    // No editing clutter: no top bar, no Edit or Check tab, no footer.
    for gone in [
        ".topbar",
        "#tab-edit",
        "#tab-check",
        ".footer",
        "#flow-picker",
    ] {
        let shown = match client.find(Locator::Css(gone)).await {
            Ok(e) => e.is_displayed().await.unwrap(),
            Err(_) => false,
        };
        assert!(!shown, "{gone} is shown in the audience view");
    }
    wait_for(
        &client,
        "//button[normalize-space(.)='Open presenter window']",
    )
    .await;
    assert_eq!(
        text_of(&client, ".present-help").await,
        "→ Space next · ← back · Home End · 3 Enter: step 3 · F fullscreen · Esc exit · ? keys"
    );
    save_screenshot(&client, "mi-sim-present-audience-1280x720.png").await;
    // The back row reads a claim name: the token's claims in large type too.
    press(&client, &key(Key::End)).await;
    wait_for_label(&client, "Step 9 of 9").await;
    click(&client, "//button[@role='tab' and .='Token']").await;
    wait_for(
        &client,
        "//table[contains(@class,'claims')]//th/code[.='aud']",
    )
    .await;
    let claim = client
        .execute(
            "return parseFloat(getComputedStyle(document.querySelector('.claims th code')).fontSize)",
            vec![],
        )
        .await
        .unwrap();
    assert!(claim.as_f64().unwrap() >= 16.0, "claim names at {claim}px");
    save_screenshot(&client, "mi-sim-present-token-1280x720.png").await;
    no_console_errors(&client).await;

    // Open presenter window: a second window at the same step.
    let audience = client.window().await.unwrap();
    click(
        &client,
        "//button[normalize-space(.)='Open presenter window']",
    )
    .await;
    let mut windows = Vec::new();
    // Poll the window list (each call is a round trip to the browser) until the second appears.
    for _ in 0..1000 {
        windows = client.windows().await.unwrap();
        if windows.len() == 2 {
            break;
        }
    }
    let presenter = windows
        .into_iter()
        .find(|w| *w != audience)
        .expect("the presenter window opens");
    client.switch_to_window(presenter).await.unwrap();
    client
        .wait()
        .for_element(Locator::Css(".mode-presenter .presenter"))
        .await
        .unwrap();
    wait_for_label(&client, "Step 9 of 9").await;
    let url = client.current_url().await.unwrap();
    assert_eq!(url.query(), Some("presenter&scenario=lifecycle&step=9"));
    assert_eq!(
        text_of(&client, ".presenter-next .next-title").await,
        "Last step"
    );
    no_console_errors(&client).await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_presentation_starts_clean_and_esc_returns_to_the_persons_own_work() {
    const SP_VM: &str = "Service principal vm-web";
    const ORPHAN: &str = "Role assignment for an identity that no longer exists";
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    // An edit in the full simulator, autosaved.
    click(&client, "//button[@role='tab' and .='Edit']").await;
    client
        .find(Locator::Id("identity-host"))
        .await
        .unwrap()
        .select_by_value("vm-web")
        .await
        .unwrap();
    click(
        &client,
        "//button[normalize-space(.)='Disable system-assigned']",
    )
    .await;
    wait_for(&client, &node(ORPHAN)).await;
    assert_eq!(count(&client, &node(SP_VM)).await, 0);

    // The presentation shows the scenario as shipped.
    click(&client, "//a[normalize-space(.)='Present']").await;
    wait_for(&client, "//div[contains(@class,'mode-present')]").await;
    wait_for(&client, &node(SP_VM)).await;
    assert_eq!(count(&client, &node(ORPHAN)).await, 0);
    wait_for_label(&client, "Step 1 of 9").await;
    press(&client, &key(Key::Right)).await;
    wait_for_label(&client, "Step 2 of 9").await;

    // Esc leaves for the full simulator, where the edit still is.
    press(&client, &key(Key::Escape)).await;
    wait_for(&client, "//header[contains(@class,'topbar')]").await;
    wait_for(&client, &node(ORPHAN)).await;
    assert_eq!(count(&client, &node(SP_VM)).await, 0);
    let url = client.current_url().await.unwrap();
    assert_eq!((url.path(), url.query()), ("/", None));
    no_console_errors(&client).await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn every_key_of_the_audience_view_moves_to_its_step() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open_mode(
        &client,
        &format!("{}?present&scenario=lifecycle", site.url()),
    )
    .await;
    wait_for_label(&client, "Step 1 of 9").await;
    let digits_overlay = "//div[@class='present-digits']";
    // (keys, step label after)
    let cases: Vec<(String, &str)> = vec![
        (key(Key::Right), "Step 2 of 9"),
        (" ".to_string(), "Step 3 of 9"),
        (key(Key::PageDown), "Step 4 of 9"),
        (key(Key::Left), "Step 3 of 9"),
        (key(Key::PageUp), "Step 2 of 9"),
        (key(Key::End), "Step 9 of 9"),
        (key(Key::Right), "Step 9 of 9"),
        (key(Key::Home), "Step 1 of 9"),
        (key(Key::Left), "Step 1 of 9"),
        ("3".to_string(), "Step 1 of 9"),
    ];
    for (keys, label) in cases {
        press(&client, &keys).await;
        wait_for_label(&client, label).await;
    }
    // The number typed so far shows in a small overlay until Enter.
    wait_for(&client, digits_overlay).await;
    assert_eq!(
        text_of(&client, ".present-digits").await,
        "Go to step 3 · Enter"
    );
    save_screenshot(&client, "mi-sim-present-digits-1280x720.png").await;
    press(&client, &key(Key::Enter)).await;
    wait_for_label(&client, "Step 3 of 9").await;
    assert_eq!(count(&client, digits_overlay).await, 0);
    // Two digits, then Enter; a number past the end goes to the last step.
    press(&client, &format!("7{}", key(Key::Enter))).await;
    wait_for_label(&client, "Step 7 of 9").await;
    press(&client, &format!("42{}", key(Key::Enter))).await;
    wait_for_label(&client, "Step 9 of 9").await;
    // Esc with a number half typed forgets the number and stays.
    press(&client, &format!("2{}", key(Key::Escape))).await;
    client
        .wait()
        .for_element(Locator::XPath(
            "//div[contains(@class,'present-digits-live') and not(*)]",
        ))
        .await
        .unwrap();
    assert!(client.current_url().await.unwrap().query().is_some());
    wait_for_label(&client, "Step 9 of 9").await;
    // ? opens the list of keys; Esc closes it.
    press(&client, "?").await;
    wait_for(&client, "//div[@role='dialog']/h2[.='Keys']").await;
    save_screenshot(&client, "mi-sim-present-keys-1280x720.png").await;
    press(&client, &key(Key::Escape)).await;
    wait_for(
        &client,
        "//button[@aria-label='Keys' and @aria-expanded='false']",
    )
    .await;
    assert_eq!(count(&client, "//div[@role='dialog']").await, 0);
    // F turns fullscreen on and off, as the button does.
    press(&client, "f").await;
    wait_for(
        &client,
        "//button[@aria-pressed='true' and normalize-space(.)='Exit fullscreen']",
    )
    .await;
    press(&client, "F").await;
    wait_for(
        &client,
        "//button[@aria-pressed='false' and normalize-space(.)='Fullscreen']",
    )
    .await;
    // The Previous button does what ← does.
    click(&client, "//button[@aria-label='Previous step']").await;
    wait_for_label(&client, "Step 8 of 9").await;
    no_console_errors(&client).await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_presenter_window_and_the_audience_stay_in_step_both_ways() {
    let notes = speaker_notes("lifecycle");
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open_mode(
        &client,
        &format!("{}?present&scenario=lifecycle", site.url()),
    )
    .await;
    let audience = client.window().await.unwrap();
    press(&client, &format!("2{}", key(Key::Enter))).await;
    wait_for_label(&client, "Step 2 of 9").await;

    // The presenter window opens at step 1 of its address, asks, and follows the audience.
    let presenter = client.new_window(false).await.unwrap().handle;
    client.switch_to_window(presenter.clone()).await.unwrap();
    open_mode(
        &client,
        &format!("{}?presenter&scenario=lifecycle", site.url()),
    )
    .await;
    wait_for_label(&client, "Step 2 of 9").await;
    assert_eq!(
        text_of(&client, ".speaker-note").await,
        notes["servicePrincipal"].as_str().unwrap()
    );
    assert_eq!(
        text_of(&client, ".presenter-step-title").await,
        "2. Entra ID creates the service principal vm-web"
    );
    assert_eq!(text_of(&client, ".next-label").await, "Step 3 of 9");
    let elapsed = text_of(&client, ".presenter-elapsed").await;
    assert!(
        elapsed.len() == 5 && elapsed.as_bytes()[2] == b':',
        "elapsed time: {elapsed}"
    );
    save_screenshot(&client, "mi-sim-presenter-1280x720.png").await;

    // The presenter steps; the audience follows.
    press(&client, &key(Key::Right)).await;
    wait_for_label(&client, "Step 3 of 9").await;
    assert_eq!(
        text_of(&client, ".speaker-note").await,
        "No speaker notes for this step."
    );
    client.switch_to_window(audience.clone()).await.unwrap();
    wait_for_label(&client, "Step 3 of 9").await;

    // The audience steps; the presenter follows, with that step's note.
    press(&client, &key(Key::Home)).await;
    wait_for_label(&client, "Step 1 of 9").await;
    client.switch_to_window(presenter.clone()).await.unwrap();
    wait_for_label(&client, "Step 1 of 9").await;
    assert_eq!(
        text_of(&client, ".speaker-note").await,
        notes["enable"].as_str().unwrap()
    );
    // The presenter's Next button, then End: the last step has no next one.
    click(&client, "//button[@aria-label='Next step']").await;
    wait_for_label(&client, "Step 2 of 9").await;
    press(&client, &key(Key::End)).await;
    wait_for_label(&client, "Step 9 of 9").await;
    assert_eq!(
        text_of(&client, ".presenter-next .next-title").await,
        "Last step"
    );
    assert_eq!(
        text_of(&client, ".speaker-note").await,
        notes["answer"].as_str().unwrap()
    );
    click(&client, "//button[normalize-space(.)='Restart timer']").await;
    let elapsed = text_of(&client, ".presenter-elapsed").await;
    assert!(elapsed.starts_with("00:0"), "after a restart: {elapsed}");
    client.switch_to_window(audience.clone()).await.unwrap();
    wait_for_label(&client, "Step 9 of 9").await;

    // A what-if turned on in the audience view is turned on in the presenter window too.
    click(
        &client,
        "//label[normalize-space(.)='What if vm-web were deleted?']",
    )
    .await;
    wait_for_label(&client, "Step 1 of 1").await;
    client.switch_to_window(presenter.clone()).await.unwrap();
    wait_for_label(&client, "Step 1 of 1").await;
    assert_eq!(
        client.title().await.unwrap(),
        "Presenter · Step 1 of 1 · mi-sim"
    );
    client.switch_to_window(audience.clone()).await.unwrap();

    // A message for another scenario opens it in both windows; garbage is ignored with a warning.
    client
        .execute(
            "const c = new BroadcastChannel('mi-sim-present');
             c.postMessage('not json');
             c.postMessage(JSON.stringify({type: 'state', scenario: 'least-privilege', flow: 0, step: 99}));
             c.close();",
            vec![],
        )
        .await
        .unwrap();
    wait_for_label(&client, "Step 8 of 8").await;
    assert_eq!(
        text_of(&client, ".present-scenario").await,
        "Least privilege: Contributor is not a data role"
    );
    let log = console(&client).await;
    assert!(
        log.iter().any(|e| e.level == "WARNING"
            && e.message
                .contains("a presentation message that is not JSON")),
        "{log:?}"
    );
    assert!(log.iter().all(|e| e.level != "SEVERE"), "{log:?}");
    client.switch_to_window(presenter).await.unwrap();
    wait_for_label(&client, "Step 8 of 8").await;
    no_console_errors(&client).await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_audience_view_and_the_presenter_window_fit_a_phone() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(390, 844).await;
    for mode in ["present", "presenter"] {
        open_mode(
            &client,
            &format!("{}?{mode}&scenario=lifecycle&step=2", site.url()),
        )
        .await;
        wait_for_label(&client, "Step 2 of 9").await;
        let overflow = client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
                vec![],
            )
            .await
            .unwrap();
        let wide = client
            .execute(
                "const w = document.documentElement.clientWidth;
                 return [...document.querySelectorAll('body *')]
                   .filter(e => !e.parentElement.closest('svg') && e.getBoundingClientRect().right > w + 1)
                   .slice(0, 8)
                   .map(e => e.tagName + '.' + (e.className.baseVal ?? e.className) + ' ' +
                             Math.round(e.getBoundingClientRect().right));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            overflow.as_i64(),
            Some(0),
            "{mode}: wider than the phone: {wide}"
        );
        let next = client
            .find(Locator::XPath("//button[@aria-label='Next step']"))
            .await
            .unwrap();
        assert!(next.is_displayed().await.unwrap(), "{mode}: no Next button");
        save_screenshot(&client, &format!("mi-sim-{mode}-390x844.png")).await;
    }
    no_console_errors(&client).await;
    client.close().await.unwrap();
}
