//! What the journeys do on a page, shared by every module: find by XPath or CSS, click, wait,
//! read text, run a script (now, or once what a change drew is on screen), collect console
//! errors, save a screenshot.

use crate::harness::{Driver, SiteServer, console, dist_dir};
use fantoccini::{Client, Locator};
use serde_json::Value;

/// An XPath for the graph element (node or edge) whose accessible name starts with `prefix`.
pub(crate) fn node(prefix: &str) -> String {
    format!("//*[@role='button' and starts-with(@aria-label, \"{prefix}\")]")
}

/// The site served, a browser of `width` × `height` and the front page open in it (the server
/// and the driver stop when dropped, so the caller holds them).
pub(crate) async fn start(width: u32, height: u32) -> (SiteServer, Driver, Client) {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(width, height).await;
    crate::open(&client, &site.url()).await;
    (site, driver, client)
}

/// Waits for the element at `xpath`, then clicks it.
pub(crate) async fn click(client: &Client, xpath: &str) {
    client
        .wait()
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {xpath}: {e}"));
}

/// Waits until an element matches `xpath`.
pub(crate) async fn wait_for(client: &Client, xpath: &str) {
    client
        .wait()
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("never appeared: {xpath}: {e}"));
}

/// The text of the element matching `css` now.
pub(crate) async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

/// Runs `script` in the page and returns what it returns.
pub(crate) async fn run(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Runs `script` after the next two animation frames (whatever a change drew is on screen).
pub(crate) async fn after_frames(client: &Client, script: &str) -> Value {
    client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done((() => {{ {script} }})())));"
            ),
            vec![],
        )
        .await
        .unwrap()
}

/// The console's errors so far.
pub(crate) async fn severe_errors(client: &Client) -> Vec<String> {
    console(client)
        .await
        .into_iter()
        .filter(|e| e.level == "SEVERE")
        .map(|e| e.message)
        .collect()
}

/// Saves what the page shows into the temp directory as `name`, for a person to look at.
pub(crate) async fn save_screenshot(client: &Client, name: &str) {
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join(name), png);
    }
}
