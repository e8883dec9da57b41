//! End-to-end journeys of share links: Copy link, then the link opened in a new page shows the
//! same scenario, world, step and what-if; and each kind of broken or hostile link gets its
//! message and the default scenario, runs no script and logs no error.

use crate::harness::{Driver, SiteServer, dist_dir};
use crate::open;
use crate::page::{click, run, severe_errors};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

const NEXT: &str = "//button[@aria-label='Next step']";

/// Share → Copy link, and the link the menu shows.
async fn copy_link(client: &Client) -> String {
    click(client, "//button[@aria-controls='share-menu']").await;
    click(client, "//button[normalize-space(.)='Copy link']").await;
    client
        .wait()
        .for_element(Locator::Id("share-link"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap()
}

/// Opens a new window of the same browser and switches to it.
async fn to_new_window(client: &Client) {
    client.new_window(true).await.unwrap();
    let handles = client.windows().await.unwrap();
    client.switch_to_window(handles[1].clone()).await.unwrap();
}

/// What the screen shows of the state a link carries.
async fn state(client: &Client) -> Value {
    run(
        client,
        "const checked = [...document.querySelectorAll('.what-if input:checked')]
             .map(i => i.closest('label').textContent.trim());
         return {
             scenario: document.getElementById('scenario-picker').value,
             step: document.querySelector('.step-count').textContent,
             clock: document.querySelector('.clock-now').textContent,
             title: document.getElementById('flow-title').textContent,
             whatIfs: checked,
             undo: !document.querySelector('button[title^=\"Undo\"]').disabled,
         };",
    )
    .await
}

#[tokio::test]
async fn a_copied_link_opened_in_a_new_page_shows_the_same_state() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    client
        .find(Locator::Css("#scenario-picker"))
        .await
        .unwrap()
        .select_by_value("least-privilege")
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::XPath(
            "//select[@id='scenario-picker']/option[@value='least-privilege' and @selected]",
        ))
        .await
        .unwrap();
    let shipped_clock = state(&client).await["clock"].clone();
    // An edit to the world (the clock) and a step.
    click(&client, "//button[@aria-label='Advance the clock 1 hour']").await;
    click(&client, NEXT).await;
    click(&client, NEXT).await;
    assert_eq!(state(&client).await["step"], json!("Step 3 of 8"));
    // A what-if (which jumps to where the flow now fails), then one step back.
    click(&client, "(//label[contains(@class,'what-if')]/input)[1]").await;
    click(&client, "//button[@aria-label='Previous step']").await;
    let before = state(&client).await;
    assert_eq!(
        before["whatIfs"].as_array().map(Vec::len),
        Some(1),
        "{before}"
    );
    assert_ne!(before["clock"], shipped_clock, "{before}");

    let link = copy_link(&client).await;
    assert!(link.starts_with(&format!("{}#v1.", site.url())), "{link}");
    assert!(
        client
            .find(Locator::XPath("//button[contains(., 'Link copied')]"))
            .await
            .is_ok()
    );

    // The link in a new page: the same state, and the address loses its fragment so that a
    // reload shows the work done since.
    to_new_window(&client).await;
    open(&client, &link).await;
    let after = state(&client).await;
    assert_eq!(after, before);
    assert_eq!(
        run(&client, "return location.hash").await,
        json!(""),
        "the fragment is taken off the address"
    );
    // The link's edit can be undone like any other.
    click(&client, "//button[@title='Undo (Ctrl+Z)']").await;
    assert_eq!(state(&client).await["clock"], shipped_clock);
    assert!(severe_errors(&client).await.is_empty());

    // A link pasted into the address bar of an open page opens too.
    run(
        &client,
        &format!(
            "location.hash = {}; return true",
            json!(link.split_once('#').unwrap().1)
        ),
    )
    .await;
    let clock = before["clock"].as_str().unwrap().to_string();
    client
        .wait()
        .for_element(Locator::XPath(&format!(
            "//span[contains(@class,'clock-now') and contains(., '{}')]",
            &clock[clock.len() - 5..]
        )))
        .await
        .unwrap();
    assert_eq!(state(&client).await, after);
    client.close().await.unwrap();
}

#[tokio::test]
async fn broken_or_hostile_links_get_a_message_and_the_default_scenario() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    // A good link to cut short.
    open(&client, &site.url()).await;
    let good = copy_link(&client).await;
    let fragment = good.split_once('#').unwrap().1.to_string();
    let huge = format!("v1.{}", "A".repeat(1_200_000));
    let not_ours =
        "The link's state (after #) is not one mi-sim can read: it should start with \"v1.\".";
    let cases: Vec<(String, String)> = vec![
        ("<script>window.__pwned=1</script>".into(), not_ours.into()),
        ("javascript:window.__pwned=1".into(), not_ours.into()),
        (
            "v1.<img src=x onerror=window.__pwned=1>".into(),
            "The link is damaged: character 1 after \"v1.\" is not base64url.".into(),
        ),
        (
            fragment[..fragment.len() - 8].to_string(),
            "The link is damaged: it was cut short or changed.".into(),
        ),
        (
            "v9.abc".into(),
            "The link was made by a newer mi-sim (link format 9); this page reads format 1.".into(),
        ),
        (
            huge,
            "The link is too long to be a mi-sim link (1200003 characters after #; the limit is 1000000).".into(),
        ),
    ];
    for (fragment, message) in cases {
        // A fresh load each time (a change of fragment alone would not reload the page).
        client.goto("about:blank").await.unwrap();
        open(&client, &format!("{}#{fragment}", site.url())).await;
        let alert = client
            .wait()
            .for_element(Locator::Css(
                ".file-message.error[role=alert] .file-message-detail",
            ))
            .await
            .unwrap_or_else(|e| panic!("{:.40}: no message: {e}", fragment));
        assert_eq!(alert.text().await.unwrap(), message, "{:.40}", fragment);
        let shown = state(&client).await;
        assert_eq!(
            shown["scenario"],
            json!("vm-keyvault-system-assigned"),
            "{:.40}",
            fragment
        );
        assert_eq!(shown["step"], json!("Step 1 of 9"));
        assert_eq!(
            run(&client, "return window.__pwned === undefined").await,
            json!(true),
            "{:.40}: script ran",
            fragment
        );
        assert_eq!(
            severe_errors(&client).await,
            Vec::<String>::new(),
            "{:.40}",
            fragment
        );
    }
    // Dismiss closes the message and leaves the default scenario as it is.
    click(
        &client,
        "//div[@role='alert']//button[normalize-space(.)='Dismiss']",
    )
    .await;
    assert!(
        client
            .find(Locator::Css(".file-message.error"))
            .await
            .is_err()
    );
    client.close().await.unwrap();
}

/// The newcomer's journey in one go: the page, the VM → Key Vault scenario, every step, a
/// what-if that breaks it, Fix it, and a link that shows the same state in a new page.
#[tokio::test]
async fn the_newcomers_journey_from_first_visit_to_a_shared_link() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    client
        .find(Locator::Css("#scenario-picker"))
        .await
        .unwrap()
        .select_by_value("vm-keyvault-system-assigned")
        .await
        .unwrap();
    assert_eq!(state(&client).await["step"], json!("Step 1 of 9"));
    for n in 2..=9 {
        click(&client, NEXT).await;
        assert_eq!(
            state(&client).await["step"],
            json!(format!("Step {n} of 9"))
        );
    }
    // Break it: without the role assignment Key Vault answers 403 at the access check.
    click(
        &client,
        "//label[contains(@class,'what-if')][contains(., 'role assignment were missing')]/input",
    )
    .await;
    let broken = state(&client).await;
    assert_eq!(broken["step"], json!("Step 8 of 8"), "{broken}");
    let failure = client
        .find(Locator::Css(".failure-title"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(failure.contains("HTTP 403"), "{failure}");
    // Fix it: the smallest fix turns the what-if off again, and the flow succeeds.
    click(&client, "//button[normalize-space()='Fix it']").await;
    let fixed = state(&client).await;
    assert!(client.find(Locator::Css(".failure")).await.is_err());
    assert_eq!(fixed["whatIfs"], json!([]), "{fixed}");
    assert_eq!(
        fixed["step"].as_str().map(|s| s.ends_with("of 9")),
        Some(true),
        "{fixed}"
    );

    let link = copy_link(&client).await;
    to_new_window(&client).await;
    open(&client, &link).await;
    assert_eq!(state(&client).await, fixed);
    assert!(severe_errors(&client).await.is_empty());
    client.close().await.unwrap();
}
