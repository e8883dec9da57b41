//! End-to-end journeys of scenario files: downloading the open scenario with the world as
//! edited, opening a file through the file picker and by dropping it on the page, each kind of
//! bad file with its exact message (and nothing changed), Reset and a reload of an opened file.

use crate::harness::{Driver, SiteServer, console, dist_dir};
use crate::open;
use crate::page::{node, save_screenshot, wait_for};
use fantoccini::{Client, Locator};
use mi_sim::view::session::{Action, DEFAULT_SCENARIO, Session};
use serde_json::{Value, json};
use std::path::PathBuf;

/// A small scenario file, as a person might write one.
const MY_FILE: &str = r#"{
  "version": 1,
  "title": "My own world",
  "description": "A virtual machine reads a token from its own vault.",
  "tenants": [{ "name": "fabrikam" }],
  "subscriptions": [{ "name": "Dev" }],
  "resourceGroups": [{ "name": "rg-app" }],
  "resources": [
    { "name": "vm-app", "kind": "virtualMachine", "resourceGroup": "rg-app", "identity": { "systemAssigned": true } },
    { "name": "kv-app", "kind": "keyVault", "resourceGroup": "rg-app", "secrets": ["token"] }
  ],
  "roleAssignments": [{ "principal": "vm-app", "role": "Key Vault Secrets User", "scope": "kv-app" }],
  "flows": [
    { "name": "read", "title": "vm-app reads token from kv-app", "from": "vm-app", "identity": "system",
      "target": "kv-app", "operation": "getSecret token" }
  ]
}"#;

const MY_TITLE: &str = "My own world (from file my-world.json)";
const DEFAULT_TITLE: &str = "VM reads a Key Vault secret (system-assigned)";

async fn start(width: u32, height: u32) -> (SiteServer, Driver, Client) {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(width, height).await;
    open(&client, &site.url()).await;
    (site, driver, client)
}

async fn button(client: &Client, name: &str) {
    // The file entries live in the top bar's Share menu: open it first.
    if name.ends_with("scenario file") {
        let closed = js(
            client,
            "return document.getElementById('share-menu').hidden",
            vec![],
        )
        .await;
        if closed == Value::Bool(true) {
            client
                .find(Locator::XPath("//button[@aria-controls='share-menu']"))
                .await
                .expect("the Share button")
                .click()
                .await
                .expect("open the Share menu");
        }
    }
    let xpath = format!("//button[normalize-space(.)='{name}' or @aria-label='{name}']");
    client
        .wait()
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {xpath}: {e}"));
}

async fn js(client: &Client, script: &str, args: Vec<Value>) -> Value {
    client
        .execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// What the scenario picker shows.
async fn picker(client: &Client) -> String {
    js(
        client,
        "const s = document.getElementById('scenario-picker'); return s.selectedOptions[0].textContent;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

async fn clock(client: &Client) -> String {
    text_of(client, ".clock-now").await
}

/// A file in a fresh temporary directory, removed with it when dropped.
struct TempFile(PathBuf);

impl TempFile {
    /// Writes `bytes` to a fresh temporary directory as `name`.
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let dir = std::env::temp_dir().join(format!(
            "mi-sim-import-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
        TempFile(dir.join(name))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Chooses a file in the page's file input, as the file picker would; the file lives as long
/// as the returned value.
#[must_use]
async fn choose_file(client: &Client, name: &str, bytes: &[u8]) -> TempFile {
    let file = TempFile::new(name, bytes);
    client
        .find(Locator::Id("scenario-file-input"))
        .await
        .unwrap()
        .send_keys(&file.0.to_string_lossy())
        .await
        .unwrap_or_else(|e| panic!("choose {name}: {e}"));
    file
}

/// Dispatches a drag event carrying a file on the page's body.
async fn drag(client: &Client, kind: &str, name: &str, text: &str) {
    js(
        client,
        "const [kind, name, text] = arguments;
         const dt = new DataTransfer();
         dt.items.add(new File([text], name, { type: 'application/json' }));
         document.body.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: dt }));",
        vec![json!(kind), json!(name), json!(text)],
    )
    .await;
}

/// Makes downloads land in `window.__downloads` (name and text) instead of on disk.
async fn capture_downloads(client: &Client) {
    js(
        client,
        "window.__downloads = [];
         // The page's policy lets it fetch only its own files, so the file is read from the
         // Blob its object URL was made from.
         const blobs = new Map();
         const make = URL.createObjectURL;
         URL.createObjectURL = function (blob) { const url = make.call(URL, blob); blobs.set(url, blob); return url; };
         HTMLAnchorElement.prototype.click = function () {
           const name = this.download;
           const blob = blobs.get(this.href);
           if (blob) { blob.text().then(text => window.__downloads.push({ name, text })); }
         };",
        vec![],
    )
    .await;
}

async fn downloads(client: &Client, count: usize) -> Vec<Value> {
    let script = format!("return window.__downloads.length >= {count}");
    until(client, &script).await;
    js(client, "return window.__downloads", vec![])
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn download_gives_the_open_scenario_with_the_world_as_edited() {
    let (_site, _driver, client) = start(1280, 720).await;
    capture_downloads(&client).await;
    button(&client, "Advance the clock 1 hour").await;
    wait_for(
        &client,
        "//span[contains(@class,'clock-now') and contains(., 'Day 0 10:10')]",
    )
    .await;
    button(&client, "Download scenario file").await;
    let files = downloads(&client, 1).await;
    let expected = Session::open(DEFAULT_SCENARIO)
        .reduce(Action::AdvanceClock(3600))
        .download();
    assert_eq!(files[0]["name"], json!("vm-keyvault-system-assigned.json"));
    let text = files[0]["text"].as_str().unwrap();
    assert_eq!(text, expected.json);
    let got: Value = serde_json::from_str(text).unwrap();
    let shipped: Value = serde_json::from_str(include_str!(
        "../../static/scenarios/vm-keyvault-system-assigned.json"
    ))
    .unwrap();
    for field in [
        "id",
        "title",
        "description",
        "tags",
        "flows",
        "expectations",
        "exercises",
    ] {
        assert_eq!(got[field], shipped[field], "{field}");
    }
    // The clock advance is carried: the file opens an hour later (its role assignments are
    // an hour older).
    let reopened = mi_sim::view::import::open_text("x.json", text).unwrap();
    assert_eq!(reopened.world.now().iso8601(), "2026-01-05T10:10:00Z");
    assert_eq!(got["roleAssignments"][0]["createdMinutesAgo"], json!(70));
    assert_eq!(
        got["resources"],
        json!([
            { "name": "vm-web", "kind": "virtualMachine", "resourceGroup": "rg-web",
              "identity": { "systemAssigned": true } },
            { "name": "kv-prod", "kind": "keyVault", "resourceGroup": "rg-data",
              "secrets": ["db-password", "api-key"] }
        ])
    );
    // Nothing was left out, so no note; the button says it is done.
    assert!(
        client
            .find_all(Locator::Css(".file-message"))
            .await
            .unwrap()
            .is_empty()
    );
    wait_for(&client, "//button[.//span[.='Downloaded scenario file']]").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_download_that_leaves_something_out_says_what() {
    let (_site, _driver, client) = start(1280, 720).await;
    capture_downloads(&client).await;
    button(&client, "Edit").await;
    client
        .find(Locator::Id("identity-host"))
        .await
        .unwrap()
        .select_by_value("vm-web")
        .await
        .unwrap();
    button(&client, "Disable system-assigned").await;
    button(&client, "Download scenario file").await;
    downloads(&client, 1).await;
    let note = text_of(&client, "[role=status].file-message").await;
    let expected = Session::open(DEFAULT_SCENARIO)
        .reduce(Action::Apply(Box::new(
            mi_sim::model::world::Command::DisableSystemAssigned {
                resource: "vm-web".into(),
            },
        )))
        .download();
    assert_eq!(
        note,
        format!(
            "vm-keyvault-system-assigned.json leaves out what a scenario file cannot hold:\n{}\nDismiss",
            expected.left_out.join("\n")
        )
    );
    assert_eq!(expected.left_out.len(), 7);
    save_screenshot(&client, "mi-sim-import-left-out-1280x720.png").await;
    button(&client, "Dismiss").await;
    assert!(
        client
            .find_all(Locator::Css(".file-message"))
            .await
            .unwrap()
            .is_empty()
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_chosen_file_opens_resets_to_itself_and_survives_a_reload() {
    let (site, _driver, client) = start(1280, 720).await;
    let _file = choose_file(&client, "my-world.json", MY_FILE.as_bytes()).await;
    wait_for(&client, &node("Virtual machine vm-app")).await;
    assert_eq!(picker(&client).await, MY_TITLE);
    assert_eq!(
        text_of(&client, "#scenario-description").await,
        "A virtual machine reads a token from its own vault."
    );
    assert_eq!(text_of(&client, ".step-count").await, "Step 1 of 9");
    assert_eq!(
        text_of(&client, ".pane-title").await,
        "vm-app reads token from kv-app"
    );
    save_screenshot(&client, "mi-sim-import-opened-1280x720.png").await;
    // Its flow walks.
    button(&client, "Next ▶").await;
    assert_eq!(text_of(&client, ".step-count").await, "Step 2 of 9");

    // An edit, then a reload: the opened scenario and the edit are still there.
    button(&client, "Advance the clock 1 hour").await;
    wait_for(
        &client,
        "//span[contains(@class,'clock-now') and contains(., 'Day 0 10:10')]",
    )
    .await;
    open(&client, &site.url()).await;
    wait_for(&client, &node("Virtual machine vm-app")).await;
    assert_eq!(picker(&client).await, MY_TITLE);
    assert!(clock(&client).await.contains("Day 0 10:10"));

    // Undo is empty after a reload; Reset goes back to the file as opened.
    button(&client, "Reset scenario").await;
    wait_for(
        &client,
        "//span[contains(@class,'clock-now') and contains(., 'Day 0 09:10')]",
    )
    .await;
    assert_eq!(picker(&client).await, MY_TITLE);
    button(&client, "↶ Undo").await;
    wait_for(
        &client,
        "//span[contains(@class,'clock-now') and contains(., 'Day 0 10:10')]",
    )
    .await;

    // Choosing a shipped scenario leaves the file behind.
    client
        .find(Locator::Id("scenario-picker"))
        .await
        .unwrap()
        .select_by_value(DEFAULT_SCENARIO)
        .await
        .unwrap();
    wait_for(&client, &node("Virtual machine vm-web")).await;
    assert_eq!(picker(&client).await, DEFAULT_TITLE);
    let errors: Vec<_> = console(&client)
        .await
        .into_iter()
        .filter(|e| e.level == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_dropped_file_opens_and_the_overlay_shows_while_dragging() {
    let (_site, _driver, client) = start(1280, 720).await;
    let overlay =
        "//div[contains(@class,'drop-overlay') and contains(., 'Drop a scenario file to open it')]";
    // Esc cancels a drag; so does leaving the window.
    drag(&client, "dragenter", "my-world.json", MY_FILE).await;
    wait_for(&client, overlay).await;
    js(
        &client,
        "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))",
        vec![],
    )
    .await;
    wait_gone(&client, ".drop-overlay").await;
    drag(&client, "dragenter", "my-world.json", MY_FILE).await;
    wait_for(&client, overlay).await;
    drag(&client, "dragleave", "my-world.json", MY_FILE).await;
    wait_gone(&client, ".drop-overlay").await;
    assert_eq!(picker(&client).await, DEFAULT_TITLE);

    drag(&client, "dragenter", "my-world.json", MY_FILE).await;
    drag(&client, "dragover", "my-world.json", MY_FILE).await;
    wait_for(&client, overlay).await;
    drag(&client, "drop", "my-world.json", MY_FILE).await;
    wait_for(&client, &node("Virtual machine vm-app")).await;
    wait_gone(&client, ".drop-overlay").await;
    assert_eq!(picker(&client).await, MY_TITLE);
    assert_eq!(text_of(&client, ".step-count").await, "Step 1 of 9");
    client.close().await.unwrap();
}

async fn wait_gone(client: &Client, css: &str) {
    let script = format!("return document.querySelector('{css}') === null");
    until(client, &script).await;
}

/// Polls `script` until it returns true (for up to 10 seconds).
async fn until(client: &Client, script: &str) {
    for _ in 0..200 {
        if js(client, script, vec![]).await == json!(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("never true: {script}");
}

#[tokio::test]
async fn each_kind_of_bad_file_says_what_is_wrong_and_changes_nothing() {
    let (_site, _driver, client) = start(1280, 720).await;
    // An edit made before: it must survive every bad file.
    button(&client, "Advance the clock 1 hour").await;
    wait_for(
        &client,
        "//span[contains(@class,'clock-now') and contains(., 'Day 0 10:10')]",
    )
    .await;
    let kinds = MY_FILE.replace("\"kind\": \"keyVault\"", "\"kind\": \"vm2\"");
    let reference = MY_FILE.replace("\"principal\": \"vm-app\"", "\"principal\": \"vm-ap\"");
    let big = vec![b' '; 6 * 1024 * 1024];
    let cases: Vec<(&str, &[u8], &str)> = vec![
        (
            "notes.json",
            b"hello",
            "notes.json: line 1, column 1: expected value",
        ),
        (
            "syntax.json",
            b"{\n  \"version\": 1,\n  \"title\": \"x\"\n  \"resources\": []\n}",
            "syntax.json: line 4, column 3: expected ',' or '}'",
        ),
        (
            "bad.json",
            kinds.as_bytes(),
            "bad.json: $.resources[1].kind: unknown kind \"vm2\" (expected one of virtualMachine, virtualMachineScaleSet, appService, functionApp, logicApp, dataFactory, aksCluster, apiManagement, containerInstance, automationAccount, arcServer, keyVault, storageAccount, sqlServer, serviceBusNamespace, eventHubsNamespace)",
        ),
        (
            "ref.json",
            reference.as_bytes(),
            "ref.json: $.roleAssignments[0].principal: no identity named \"vm-ap\" (did you mean \"vm-app\"?)",
        ),
        ("empty.json", b"", "empty.json: empty file"),
        (
            "latin1.json",
            b"{\"title\": \"caf\xe9\"}",
            "latin1.json: not UTF-8 text",
        ),
        (
            "big.json",
            &big,
            "big.json: not a scenario file (too large: 6.0 MB, the limit is 5 MB)",
        ),
    ];
    for (name, bytes, message) in cases {
        let _file = choose_file(&client, name, bytes).await;
        let alert = text_of(&client, "[role=alert] .file-message-detail").await;
        assert_eq!(alert, message, "{name}");
        assert_eq!(
            text_of(&client, "[role=alert] strong").await,
            "The file did not open; nothing changed."
        );
        assert_eq!(picker(&client).await, DEFAULT_TITLE, "{name}");
        assert!(clock(&client).await.contains("Day 0 10:10"), "{name}");
        assert_eq!(
            client
                .find_all(Locator::XPath(&node("Virtual machine vm-web")))
                .await
                .unwrap()
                .len(),
            1,
            "{name}"
        );
        button(&client, "Dismiss").await;
        wait_gone(&client, "[role=alert]").await;
    }
    // The edit is still undoable: the bad files did not touch the history.
    button(&client, "↶ Undo").await;
    wait_for(
        &client,
        "//span[contains(@class,'clock-now') and contains(., 'Day 0 09:10')]",
    )
    .await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn file_controls_overlay_and_messages_fit_every_screen() {
    for (w, h) in [(1440, 900), (1280, 720), (800, 500), (390, 844)] {
        let (_site, _driver, client) = start(w, h).await;
        let overflow =
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth";
        save_screenshot(&client, &format!("mi-sim-import-controls-{w}x{h}.png")).await;
        let _file = choose_file(&client, "bad.json", b"{\"version\": 1, \"title\": 3}").await;
        let alert = text_of(&client, "[role=alert] .file-message-detail").await;
        assert_eq!(
            alert,
            "bad.json: $.title: expected a string, found a number"
        );
        assert_eq!(js(&client, overflow, vec![]).await, json!(0), "{w}x{h}");
        save_screenshot(&client, &format!("mi-sim-import-error-{w}x{h}.png")).await;
        button(&client, "Dismiss").await;
        drag(&client, "dragenter", "my-world.json", MY_FILE).await;
        wait_for(&client, "//div[contains(@class,'drop-overlay')]").await;
        until(&client, "return document.getAnimations().length === 0").await;
        save_screenshot(&client, &format!("mi-sim-import-overlay-{w}x{h}.png")).await;
        client.close().await.unwrap();
    }
}
