//! End-to-end tests: the release `dist/` in headless Chromium, driven through chromedriver,
//! finding elements the way a person does (by role, label and text).
#![cfg(not(target_arch = "wasm32"))]

mod editing;
mod embed;
mod exercise;
mod first_view;
mod follow;
mod guided;
mod harness;
mod import;
mod large;
mod page;
mod present;
mod share;
mod strict;
mod zoom;

use fantoccini::{Client, Locator};
use harness::{Driver, SiteServer, console, dist_dir, loaded_urls};

/// Loads the front page and waits until the app has rendered its graph canvas: the page's root
/// is no longer inert (it holds the prerendered first view until the app takes it over).
pub(crate) async fn open(client: &Client, url: &str) {
    client.goto(url).await.expect("navigate to the site");
    client
        .wait()
        .for_element(Locator::Css("#root:not([inert]) > .app main svg.graph"))
        .await
        .expect("the app renders its graph canvas");
}

/// Asserts that the page logged no console error and fetched nothing but its own files.
async fn assert_clean_load(client: &Client, site: &SiteServer) {
    let errors: Vec<_> = console(client)
        .await
        .into_iter()
        .filter(|e| e.level == "SEVERE")
        .map(|e| e.message)
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    let urls = loaded_urls(client).await;
    assert!(
        urls.len() >= 3,
        "expected the page, its script and its wasm, got {urls:?}"
    );
    let foreign: Vec<_> = urls
        .iter()
        .filter(|u| !u.starts_with(&site.url()))
        .collect();
    assert!(foreign.is_empty(), "requests to other hosts: {foreign:?}");
}

#[tokio::test]
async fn front_page_shows_title_canvas_and_version_with_a_clean_load() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    open(&client, &site.url()).await;

    assert_eq!(
        client.title().await.unwrap(),
        "mi-sim — Managed Identity Simulator"
    );
    let brand = client
        .find(Locator::Css(".topbar .brand-name"))
        .await
        .unwrap();
    assert_eq!(brand.text().await.unwrap(), "mi-sim");
    let canvas = client.find(Locator::Css("main svg.graph")).await.unwrap();
    assert_eq!(canvas.attr("role").await.unwrap().as_deref(), Some("group"));
    let label = canvas.attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(label.starts_with("World graph."), "{label}");
    assert!(canvas.is_displayed().await.unwrap());
    let footer = client.find(Locator::Css("footer")).await.unwrap();
    let footer_text = footer.text().await.unwrap();
    assert!(
        footer_text.contains(&format!("mi-sim v{}", env!("CARGO_PKG_VERSION"))),
        "footer: {footer_text}"
    );
    assert_clean_load(&client, &site).await;
    // The stylesheet and the favicon come from static/, so the page is not browser-default.
    let font = client
        .execute("return getComputedStyle(document.body).fontFamily", vec![])
        .await
        .unwrap();
    assert!(
        font.as_str().unwrap_or_default().contains("system-ui"),
        "body font: {font}"
    );
    let requested = site.requests();
    assert!(
        requested.iter().any(|p| p.ends_with(".css")),
        "{requested:?}"
    );
    assert!(
        requested.iter().any(|p| p.ends_with(".svg")),
        "favicon not requested: {requested:?}"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn site_works_when_served_from_a_sub_path() {
    let site = SiteServer::start(dist_dir(), "/mi-sim/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;

    let requested = site.requests();
    assert!(
        requested.iter().all(|p| p.starts_with("/mi-sim/")),
        "requests outside the sub-path: {requested:?}"
    );
    assert_clean_load(&client, &site).await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn page_fits_a_phone_screen_without_horizontal_scrolling() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(390, 844).await;
    open(&client, &site.url()).await;

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
               .filter(e => e.getBoundingClientRect().right > w + 1)
               .slice(0, 8)
               .map(e => e.tagName + '.' + e.className.baseVal + e.className + ' ' +
                         Math.round(e.getBoundingClientRect().right));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow.as_i64(),
        Some(0),
        "elements past the right edge: {wide}"
    );
    // On a phone the sequence lane is drawn as a column; the row version is hidden.
    let column = client.find(Locator::Css("svg.lane-column")).await.unwrap();
    let row = client.find(Locator::Css("svg.lane-row")).await.unwrap();
    assert!(column.is_displayed().await.unwrap());
    assert!(!row.is_displayed().await.unwrap());
    client.close().await.unwrap();
}
