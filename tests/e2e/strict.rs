//! The strict page: a Content-Security-Policy that allows only the site's own files and its
//! wasm, no inline event handlers anywhere in the DOM, and user text (here a scenario file whose
//! title, description and flow title are script) shown as text, never run.

use crate::harness::{Driver, SiteServer, dist_dir};
use crate::open;
use crate::page::{run, severe_errors};
use fantoccini::Locator;
use serde_json::{Value, json};

/// Attributes whose names start with "on" (inline event handlers) anywhere in the document.
const INLINE_HANDLERS: &str = "return [...document.querySelectorAll('*')]
    .flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name));";

#[tokio::test]
async fn the_page_allows_only_its_own_files_and_shows_hostile_text_as_text() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;

    // The policy, as the page declares it.
    let policy = run(
        &client,
        "return document.querySelector('meta[http-equiv=Content-Security-Policy]').content",
    )
    .await;
    let policy = policy.as_str().unwrap().to_string();
    for part in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
        "style-src 'self';",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(policy.contains(part), "{part} in {policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    run(
        &client,
        "window.__violations = [];
         document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));
         return true;",
    )
    .await;
    assert_eq!(run(&client, INLINE_HANDLERS).await, json!([]));

    // A scenario file whose free text is script.
    let mut scenario: Value = serde_json::from_str(
        &std::fs::read_to_string("static/scenarios/vm-keyvault-system-assigned.json").unwrap(),
    )
    .unwrap();
    let title = "<script>window.__pwned=1</script> Hostile";
    let description = "javascript:window.__pwned=2 <img src=x onerror=window.__pwned=3>";
    let flow_title = "<b onmouseover=window.__pwned=4>flow</b>";
    scenario["title"] = json!(title);
    scenario["description"] = json!(description);
    scenario["flows"][0]["title"] = json!(flow_title);
    let dir = std::env::temp_dir().join(format!("mi-sim-strict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hostile.json");
    std::fs::write(&file, serde_json::to_vec(&scenario).unwrap()).unwrap();
    client
        .find(Locator::Id("scenario-file-input"))
        .await
        .unwrap()
        .send_keys(&file.to_string_lossy())
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::XPath(
            "//select[@id='scenario-picker']/option[contains(., 'hostile.json')]",
        ))
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let shown = run(
        &client,
        "return {
             option: document.querySelector('#scenario-picker option:checked').textContent,
             description: document.getElementById('scenario-description').textContent,
             flow: document.getElementById('flow-title').textContent,
             pwned: window.__pwned === undefined ? null : window.__pwned,
             images: document.querySelectorAll('img').length,
         };",
    )
    .await;
    assert_eq!(
        shown,
        json!({
            "option": format!("{title} (from file hostile.json)"),
            "description": description,
            "flow": flow_title,
            "pwned": null,
            "images": 0,
        })
    );
    assert_eq!(run(&client, INLINE_HANDLERS).await, json!([]));
    assert_eq!(run(&client, "return window.__violations").await, json!([]));

    // The policy is in force: an inline script put into the page does not run.
    run(
        &client,
        "const s = document.createElement('script');
         s.textContent = 'window.__inline = 1';
         document.body.appendChild(s);
         return true;",
    )
    .await;
    assert_eq!(
        run(
            &client,
            "return [window.__inline === undefined, window.__violations]"
        )
        .await,
        json!([true, ["script-src-elem"]])
    );
    let errors = severe_errors(&client).await;
    assert_eq!(
        errors.len(),
        1,
        "only the refused inline script: {errors:?}"
    );
    assert!(errors[0].contains("Content Security Policy"), "{errors:?}");
    client.close().await.unwrap();
}
