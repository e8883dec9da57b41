//! End-to-end journeys through the guided token flow, found the way a person finds things:
//! by labels, roles and visible text.

use crate::harness::{Driver, SiteServer, dist_dir};
use crate::open;
use crate::page::{click, node, run, save_screenshot, start, text_of, wait_for};
use fantoccini::{Client, Locator};
use serde_json::Value;

const NEXT: &str = "//button[@aria-label='Next step']";

async fn step_label(client: &Client) -> String {
    text_of(client, ".step-count").await
}

async fn open_scenario(client: &Client, id: &str) {
    client
        .find(Locator::Css("#scenario-picker"))
        .await
        .unwrap()
        .select_by_value(id)
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::XPath(&format!(
            "//select[@id='scenario-picker']/option[@value='{id}' and @selected]"
        )))
        .await
        .unwrap();
}

async fn walk_to_end(client: &Client) {
    for _ in 0..12 {
        let next = client.find(Locator::XPath(NEXT)).await.unwrap();
        if !next.is_enabled().await.unwrap() {
            return;
        }
        next.click().await.unwrap();
    }
    panic!("Next step never became disabled");
}

/// A scenario id, its first flow, and where that flow fails (step name and status), if it does.
type Outcome = (String, String, Option<(String, Option<u64>)>);

/// The shipped scenarios' first flows and their expected outcomes, read from the files.
fn expected_outcomes() -> Vec<Outcome> {
    let dir = format!("{}/static/scenarios", env!("CARGO_MANIFEST_DIR"));
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/index.json")).unwrap())
            .unwrap();
    let mut out = Vec::new();
    for entry in index.as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        let scenario: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{file}")).unwrap())
                .unwrap();
        let flow = scenario["flows"][0]["name"].as_str().unwrap().to_string();
        let expectation = scenario["expectations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["flow"].as_str() == Some(&flow))
            .unwrap_or_else(|| panic!("{file}: no expectation for flow {flow}"))
            .clone();
        let failure = (expectation["outcome"] == "failure").then(|| {
            (
                expectation["failsAt"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                expectation["status"].as_u64(),
            )
        });
        out.push((entry["id"].as_str().unwrap().to_string(), flow, failure));
    }
    out
}

#[tokio::test]
async fn every_shipped_scenario_walks_to_its_expected_end() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    open(&client, &site.url()).await;
    let outcomes = expected_outcomes();
    assert_eq!(outcomes.len(), 8);
    for (id, flow, failure) in outcomes {
        open_scenario(&client, &id).await;
        assert!(step_label(&client).await.starts_with("Step 1 of "), "{id}");
        walk_to_end(&client).await;
        let label = step_label(&client).await;
        let (n, m) = label
            .trim_start_matches("Step ")
            .split_once(" of ")
            .unwrap();
        assert_eq!(n, m, "{id}/{flow}: {label}");
        let badge = text_of(&client, ".step-head .badge").await;
        match failure {
            None => {
                assert_eq!(badge, "✓ Done", "{id}/{flow}");
                let title = text_of(&client, ".step-title").await;
                assert!(
                    title.contains("answers 200") || title.contains("answers 201"),
                    "{id}/{flow}: {title}"
                );
            }
            Some((_, status)) => {
                assert_eq!(badge, "✗ Fails here", "{id}/{flow}");
                let failure = text_of(&client, ".failure-title").await;
                let expected = match status {
                    Some(code) => format!("✗ Fails here with HTTP {code}"),
                    None => "✗ Fails here".to_string(),
                };
                assert_eq!(failure, expected, "{id}/{flow}");
            }
        }
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn what_ifs_show_the_real_error_and_fix_it_restores_the_flow() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    open(&client, &site.url()).await;
    let cases = [
        (
            "the Metadata header were missing",
            "Step 4 of 4",
            "HTTP 400",
            "Required metadata header not specified",
        ),
        (
            "the role assignment were missing",
            "Step 8 of 8",
            "HTTP 403",
            "ForbiddenByRbac",
        ),
        (
            "the role were Contributor on the vault",
            "Step 8 of 8",
            "HTTP 403",
            "DeniedWithNoValidRBAC",
        ),
        (
            "the token had expired",
            "Step 7 of 7",
            "HTTP 401",
            "Token validation failed: the token expired",
        ),
        (
            "the token were for storage.azure.com",
            "Step 7 of 7",
            "HTTP 401",
            "AKV10022: Invalid audience",
        ),
        (
            "the same code ran on a laptop",
            "Step 2 of 2",
            "Fails here",
            "connect ETIMEDOUT 169.254.169.254:80",
        ),
    ];
    for (what_if, label, status, error) in cases {
        let toggle = format!("//label[contains(., '{what_if}')]/input");
        click(&client, &toggle).await;
        assert_eq!(step_label(&client).await, label, "{what_if}");
        let title = text_of(&client, ".failure-title").await;
        assert!(title.contains(status), "{what_if}: {title}");
        let body = text_of(&client, ".failure pre").await;
        assert!(body.contains(error), "{what_if}: {body}");
        save_screenshot(&client, &format!("mi-sim-what-if-{}.png", label.len())).await;
        // Fix it applies the smallest fix: here, turning the what-if off again.
        let fix = text_of(&client, ".fix p").await;
        assert!(fix.starts_with("Undo the change"), "{what_if}: {fix}");
        click(&client, "//button[normalize-space()='Fix it']").await;
        assert!(
            client.find(Locator::Css(".failure")).await.is_err(),
            "{what_if}: still failing"
        );
        assert!(step_label(&client).await.ends_with(" of 9"), "{what_if}");
        let checked = client
            .find(Locator::XPath(&toggle))
            .await
            .unwrap()
            .prop("checked")
            .await
            .unwrap();
        assert_eq!(checked.as_deref(), Some("false"), "{what_if}");
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_what_if_turned_off_again_returns_to_the_step_it_sent_the_person_from() {
    let (_site, _driver, client) = start(1440, 900).await;
    click(
        &client,
        "//button[@aria-label='Step 7: Key vault kv-prod validates the token']",
    )
    .await;
    assert_eq!(step_label(&client).await, "Step 7 of 9");
    let toggle = "//label[contains(., 'the Metadata header were missing')]/input";
    click(&client, toggle).await;
    assert_eq!(step_label(&client).await, "Step 4 of 4");
    click(&client, toggle).await;
    assert_eq!(step_label(&client).await, "Step 7 of 9");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_panel_read_further_down_opens_the_next_step_at_its_title() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    // (where, window, the scrolling panel, what brings another step)
    let cases = [
        (
            "the page, Next",
            "",
            (1280, 720),
            ".tab-panel",
            "//button[@aria-label='Next step']",
        ),
        (
            "the page, a what-if",
            "",
            (1280, 720),
            ".tab-panel",
            "//label[contains(., 'the Metadata header were missing')]/input",
        ),
        (
            "the page, another tab",
            "",
            (1280, 720),
            ".tab-panel",
            "//button[@role='tab' and .='HTTP']",
        ),
        (
            "an embed, Next",
            "?embed&scenario=lifecycle&step=5",
            (800, 500),
            ".embed-body",
            "//button[@aria-label='Next step']",
        ),
        (
            "an embed, a what-if",
            "?embed&scenario=lifecycle&step=5",
            (800, 500),
            ".embed-body",
            "//label[contains(@class, 'what-if')]/input",
        ),
    ];
    for (what, query, (width, height), panel, action) in cases {
        let client = driver.browser(width, height).await;
        open(&client, &format!("{}{query}", site.url())).await;
        let scrolled = run(
            &client,
            &format!("const p = document.querySelector('{panel}'); p.scrollTop = p.scrollHeight; return p.scrollTop > 0;"),
        )
        .await;
        assert_eq!(scrolled, Value::Bool(true), "{what}: the panel scrolls");
        client
            .find(Locator::XPath(action))
            .await
            .unwrap_or_else(|e| panic!("{what}: {action}: {e}"))
            .click()
            .await
            .unwrap();
        let top = run(
            &client,
            &format!("return document.querySelector('{panel}').scrollTop;"),
        )
        .await;
        assert_eq!(top, Value::from(0), "{what}");
        client.close().await.unwrap();
    }
}

#[tokio::test]
async fn fix_it_assigns_the_least_privileged_role_and_undo_takes_it_back() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    open_scenario(&client, "least-privilege").await;
    walk_to_end(&client).await;
    assert_eq!(step_label(&client).await, "Step 8 of 8");
    let fix = text_of(&client, ".fix p").await;
    assert_eq!(
        fix,
        "Assign Storage Blob Data Reader to func-report at blob container reports, then wait 10 min for it to propagate"
    );
    click(&client, "//button[normalize-space()='Fix it']").await;
    assert_eq!(step_label(&client).await, "Step 8 of 9");
    walk_to_end(&client).await;
    assert_eq!(text_of(&client, ".step-head .badge").await, "✓ Done");
    click(&client, "//button[contains(., 'Undo')]").await;
    walk_to_end(&client).await;
    assert_eq!(step_label(&client).await, "Step 8 of 8");
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_clock_lets_a_new_role_assignment_propagate() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    open_scenario(&client, "limitations").await;
    walk_to_end(&client).await;
    assert_eq!(text_of(&client, ".step-head .badge").await, "✗ Fails here");
    let clock = text_of(&client, ".clock-now").await;
    click(
        &client,
        "//button[@aria-label='Advance the clock 10 minutes']",
    )
    .await;
    assert_ne!(text_of(&client, ".clock-now").await, clock);
    walk_to_end(&client).await;
    assert_eq!(text_of(&client, ".step-head .badge").await, "✓ Done");
    client.close().await.unwrap();
}

#[tokio::test]
async fn arrow_keys_step_and_the_narration_is_announced() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    let body = client.find(Locator::Css("body")).await.unwrap();
    body.send_keys("\u{e014}").await.unwrap(); // ArrowRight
    body.send_keys("\u{e014}").await.unwrap();
    assert_eq!(step_label(&client).await, "Step 3 of 9");
    body.send_keys("\u{e012}").await.unwrap(); // ArrowLeft
    assert_eq!(step_label(&client).await, "Step 2 of 9");
    let narration = client.find(Locator::Css(".narration")).await.unwrap();
    assert_eq!(
        narration.attr("aria-live").await.unwrap().as_deref(),
        Some("polite")
    );
    assert!(
        narration
            .text()
            .await
            .unwrap()
            .contains("service principal")
    );
    let panel = client.find(Locator::Css("[role=tabpanel]")).await.unwrap();
    assert_eq!(panel.attr("tabindex").await.unwrap().as_deref(), Some("0"));
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_raw_request_editor_sends_edits_and_rejects_malformed_text() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    open(&client, &site.url()).await;
    click(
        &client,
        "//button[@aria-label='Step 4: Code on vm-web asks IMDS for a token']",
    )
    .await;
    click(
        &client,
        "//button[@role='tab' and normalize-space()='HTTP']",
    )
    .await;
    click(&client, "//button[normalize-space()='Edit and send']").await;
    let editor = client.find(Locator::Css("#raw-request")).await.unwrap();
    let original = editor.prop("value").await.unwrap().unwrap_or_default();
    assert!(original.contains("Metadata: true"), "{original}");
    let without = original.replace("Metadata: true\n", "");
    editor.clear().await.unwrap();
    editor.send_keys(&without).await.unwrap();
    click(&client, "//button[normalize-space()='Send']").await;
    let result = text_of(&client, ".raw-result pre").await;
    assert!(result.starts_with("HTTP/1.1 400 Bad Request"), "{result}");
    assert!(
        result.contains("Required metadata header not specified"),
        "{result}"
    );
    editor.clear().await.unwrap();
    editor
        .send_keys("GETT /metadata HTTP/1.1\nHost: 169.254.169.254\n")
        .await
        .unwrap();
    click(&client, "//button[normalize-space()='Send']").await;
    let error = text_of(&client, ".parse-error").await;
    assert!(error.starts_with("Not sent: line 1"), "{error}");
    // Nothing else changed: the flow still succeeds and the step is the same.
    assert_eq!(step_label(&client).await, "Step 4 of 9");
    client.close().await.unwrap();
}

#[tokio::test]
async fn copied_token_verifies_against_the_copied_jwks() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1440, 900).await;
    open(&client, &site.url()).await;
    // Record what the page writes to the clipboard (headless Chromium has no clipboard).
    client
        .execute(
            "window.__copied = [];
             navigator.clipboard.writeText = t => { window.__copied.push(t); return Promise.resolve(); };",
            vec![],
        )
        .await
        .unwrap();
    walk_to_end(&client).await;
    click(
        &client,
        "//button[@role='tab' and normalize-space()='Token']",
    )
    .await;
    save_screenshot(&client, "mi-sim-token-tab.png").await;
    let status = text_of(&client, ".signature .badge").await;
    assert!(
        status.starts_with("✓ Signature verified (RS256) with key "),
        "{status}"
    );
    click(&client, "//button[@aria-label='Copy token']").await;
    click(&client, "//button[@aria-label='Copy JWKS']").await;
    let copied = client
        .execute("return window.__copied", vec![])
        .await
        .unwrap();
    let [token, jwks] = [&copied[0], &copied[1]].map(|v| v.as_str().unwrap().to_string());
    let jwks: Value = serde_json::from_str(&jwks).unwrap();
    let header = jsonwebtoken::decode_header(&token).unwrap();
    let kid = header.kid.unwrap();
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .unwrap();
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(
        key["n"].as_str().unwrap(),
        key["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["https://vault.azure.net"]);
    validation.validate_exp = false; // the simulated clock is not today's
    let claims = jsonwebtoken::decode::<Value>(&token, &decoding, &validation)
        .unwrap()
        .claims;
    assert_eq!(claims["idtyp"], "app");
    assert_eq!(claims["appidacr"], "2");
    client.close().await.unwrap();
}

#[tokio::test]
async fn browsing_scenarios_shows_each_with_its_description_and_opens_one() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    click(&client, "//button[normalize-space()='Browse scenarios']").await;
    let choices = client
        .find_all(Locator::Css("#scenario-list .scenario-choice"))
        .await
        .unwrap();
    assert_eq!(choices.len(), 8);
    for choice in &choices {
        let description = choice
            .find(Locator::Css(".choice-description"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(description.ends_with('.'), "{description}");
    }
    click(
        &client,
        "//button[contains(@class,'scenario-choice')][contains(., 'Microsoft Graph')]",
    )
    .await;
    assert!(client.find(Locator::Css("#scenario-list")).await.is_err());
    let title = text_of(&client, "#flow-title").await;
    assert_eq!(title, "app-hr lists users from Microsoft Graph");
    assert_eq!(step_label(&client).await, "Step 1 of 9");
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_token_travels_on_the_graph_when_it_is_issued_and_sent() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    assert!(
        client
            .find(Locator::Css(".world-graph .token-hop"))
            .await
            .is_err()
    );
    click(&client, "//button[starts-with(@aria-label, 'Step 6:')]").await;
    let path = client
        .find(Locator::Css(".world-graph .token-hop path"))
        .await
        .unwrap();
    let d = path.attr("d").await.unwrap().unwrap_or_default();
    assert!(d.starts_with('M') && d.contains(" Q"), "{d}");
    // The lit elements are the code's host and the target.
    let lit = client
        .find_all(Locator::Css(".world-graph .node.lit"))
        .await
        .unwrap();
    let mut names = Vec::new();
    for node in lit {
        names.push(node.attr("aria-label").await.unwrap().unwrap_or_default());
    }
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("Key vault kv-prod"), "{names:?}");
    assert!(names[1].starts_with("Virtual machine vm-web"), "{names:?}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_token_from_the_cache_does_not_travel_from_entra_id_on_the_graph() {
    let (site, _driver, client) = start(1280, 720).await;
    open(&client, &format!("{}?scenario=lifecycle", site.url())).await;
    // (cached or issued, whether the token travels, the lit nodes)
    let cases = [
        (
            "issued",
            true,
            vec![
                "Entra ID token service of tenant contoso",
                "Service principal vm-web (ManagedIdentity)",
            ],
        ),
        (
            "from the cache",
            false,
            vec![
                "Service principal vm-web (ManagedIdentity)",
                "Virtual machine vm-web",
            ],
        ),
    ];
    for (what, travels, lit) in cases {
        if !travels {
            click(
                &client,
                "//label[contains(., 'the code still held a token issued before the deletion')]/input",
            )
            .await;
        }
        click(&client, "//button[starts-with(@aria-label, 'Step 5:')]").await;
        assert_eq!(step_label(&client).await, "Step 5 of 9", "{what}");
        let hops = client
            .find_all(Locator::Css(".world-graph .token-hop"))
            .await
            .unwrap();
        assert_eq!(hops.len(), usize::from(travels), "{what}");
        let mut names = Vec::new();
        for node in client
            .find_all(Locator::Css(".world-graph .node.lit"))
            .await
            .unwrap()
        {
            let name = node.attr("aria-label").await.unwrap().unwrap_or_default();
            names.push(name.split(',').next().unwrap_or_default().to_string());
        }
        names.sort();
        assert_eq!(names, lit, "{what}");
    }
    client.close().await.unwrap();
}

/// What the world graph marks, by accessible name: the lit elements, the nodes whose
/// system-assigned badge is lit, and the selected element.
async fn graph_marks(client: &Client) -> Value {
    run(
        client,
        "const names = css => [...document.querySelectorAll(css)]
           .map(e => e.getAttribute('aria-label')).sort();
         return [names('.world-graph .lit'), names('.world-graph .lit-badge'),
                 names('.world-graph .selected')];",
    )
    .await
}

/// Waits for the stepper to show step `k` of `of`.
async fn at_step(client: &Client, k: usize, of: usize) {
    wait_for(
        client,
        &format!("//span[@class='step-count' and .='Step {k} of {of}']"),
    )
    .await;
}

#[tokio::test]
async fn each_step_marks_the_same_graph_elements_however_it_is_reached() {
    const STEPS: usize = 9;
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    let mut forward = vec![graph_marks(&client).await];
    for k in 2..=STEPS {
        click(&client, NEXT).await;
        at_step(&client, k, STEPS).await;
        forward.push(graph_marks(&client).await);
    }
    // The walk lights something, and not the same things at every step.
    let lit: Vec<&Value> = forward.iter().map(|m| &m[0]).collect();
    assert!(
        lit.iter()
            .all(|l| l.as_array().is_some_and(|a| !a.is_empty())),
        "{lit:?}"
    );
    let mut distinct = lit.clone();
    distinct.sort_by_key(|l| l.to_string());
    distinct.dedup();
    assert!(distinct.len() >= 4, "{distinct:?}");
    for k in (1..STEPS).rev() {
        click(&client, "//button[@aria-label='Previous step']").await;
        at_step(&client, k, STEPS).await;
        assert_eq!(
            graph_marks(&client).await,
            forward[k - 1],
            "step {k}, stepping back"
        );
    }
    // Each step opened from a link is drawn from nothing: the same marks.
    for (k, marks) in forward.iter().enumerate().map(|(i, m)| (i + 1, m)) {
        open(
            &client,
            &format!(
                "{}?scenario=vm-keyvault-system-assigned&step={k}",
                site.url()
            ),
        )
        .await;
        at_step(&client, k, STEPS).await;
        assert_eq!(
            &graph_marks(&client).await,
            marks,
            "step {k}, opened from a link"
        );
    }
    client.close().await.unwrap();
}

/// The accessible names of the graph's selected elements (pressed and marked selected).
async fn selected_names(client: &Client) -> Vec<String> {
    let names = run(
        client,
        "return [...document.querySelectorAll('.world-graph .selected[aria-pressed=\"true\"]')]
           .map(e => e.getAttribute('aria-label'));",
    )
    .await;
    serde_json::from_value(names).unwrap()
}

/// Clicks the graph element whose accessible name starts with `name` and answers what is then
/// selected, which must be that element alone.
async fn select(client: &Client, name: &str) -> Vec<String> {
    click(client, &node(name)).await;
    wait_for(
        client,
        &format!("//*[@aria-pressed='true' and starts-with(@aria-label, '{name}')]"),
    )
    .await;
    let selected = selected_names(client).await;
    assert!(
        matches!(selected.as_slice(), [one] if one.starts_with(name)),
        "{selected:?}"
    );
    selected
}

#[tokio::test]
async fn a_selection_stays_through_steps_and_moves_with_the_next_click() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    assert_eq!(selected_names(&client).await, Vec::<String>::new());
    let vm = select(&client, "Virtual machine vm-web").await;
    for k in 2..=4 {
        click(&client, NEXT).await;
        at_step(&client, k, 9).await;
        assert_eq!(selected_names(&client).await, vm, "step {k}");
    }
    select(&client, "Key vault kv-prod").await;
    client.close().await.unwrap();
}

/// What the shown lane draws once the page has drawn a frame (a width change reaches the page's
/// media queries in the next frame): its orientation, its active actors and the label of the hop
/// the token takes.
async fn lane_shown(client: &Client) -> Value {
    client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => {
               const lane = [...document.querySelectorAll('svg.lane')]
                 .find(l => getComputedStyle(l).display !== 'none');
               done([lane.classList.contains('lane-row') ? 'row' : 'column',
                     [...lane.querySelectorAll('.actor.active .actor-name')].map(t => t.textContent),
                     lane.querySelector('.hop text')?.textContent ?? null]);
             }));",
            vec![],
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_lane_shown_after_the_window_changes_width_draws_the_current_step() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(390, 844).await;
    open(&client, &site.url()).await;
    let mut seen = Vec::new();
    for (k, width, height) in [(3, 1280, 800), (6, 390, 844), (8, 1280, 800)] {
        while step_label(&client).await != format!("Step {k} of 9") {
            click(&client, NEXT).await;
        }
        let before = lane_shown(&client).await;
        client.set_window_size(width, height).await.unwrap();
        let after = lane_shown(&client).await;
        let orientation = if width > 640 { "row" } else { "column" };
        assert_eq!(after[0], orientation, "step {k}");
        assert_ne!(before[0], after[0], "step {k}");
        // The other orientation, drawn anew, shows the same step.
        assert_eq!(after[1], before[1], "step {k}: active actors");
        assert_eq!(after[2], before[2], "step {k}: the hop");
        seen.push(after);
    }
    // The three steps look different in the lane.
    seen.dedup_by(|a, b| a[1] == b[1] && a[2] == b[2]);
    assert_eq!(seen.len(), 3, "{seen:?}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_scenario_with_several_flows_switches_between_them() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    assert!(client.find(Locator::Css("#flow-picker")).await.is_err());
    open_scenario(&client, "least-privilege").await;
    let picker = client.find(Locator::Css("#flow-picker")).await.unwrap();
    assert_eq!(
        picker.find_all(Locator::Css("option")).await.unwrap().len(),
        3
    );
    picker.select_by_value("1").await.unwrap();
    let title = text_of(&client, "#flow-title").await;
    assert_eq!(title, "func-report reads a report with uami-reader");
    walk_to_end(&client).await;
    assert_eq!(text_of(&client, ".step-head .badge").await, "✓ Done");
    // The top bar stays one row at the projector size.
    let height = client
        .execute(
            "return document.querySelector('.topbar').getBoundingClientRect().height",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        height.as_f64().unwrap_or(999.0) < 80.0,
        "top bar height {height}"
    );
    client.close().await.unwrap();
}

/// A Graph app role is not an Azure role assignment: the principal's node says which it holds.
#[tokio::test]
async fn a_principal_shows_the_graph_app_roles_it_holds() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    open(&client, &site.url()).await;
    open_scenario(&client, "appservice-graph-approle").await;
    let node = client
        .find(Locator::Css(
            "[aria-label$=', granted app roles Microsoft Graph User.Read.All']",
        ))
        .await
        .unwrap();
    assert!(
        node.attr("aria-label")
            .await
            .unwrap()
            .unwrap()
            .starts_with("Service principal app-hr (ManagedIdentity)")
    );
    assert_eq!(
        node.find(Locator::Css(".node-sub"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "App roles: User.Read.All"
    );
    client.close().await.unwrap();
}

/// Edges are coloured by kind (an identity's link in the identity colour, role assignments
/// grey) and the step that checks access lights its role assignment, in the full page and in
/// the dark audience view a presenter projects.
#[tokio::test]
async fn edges_are_coloured_by_kind_and_the_access_step_lights_its_assignment_in_both_themes() {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(1280, 720).await;
    // (page, identity edge, lit role assignment, other role assignment, legend's dashed line)
    let cases = [
        (
            "",
            "rgb(106, 75, 184)",
            "rgb(26, 127, 69)",
            "rgb(123, 133, 144)",
            Some("dashed rgb(106, 75, 184)"),
        ),
        (
            "?present",
            "rgb(183, 156, 255)",
            "rgb(95, 211, 141)",
            "rgb(141, 152, 165)",
            None,
        ),
    ];
    for (query, identity, lit, role, legend) in cases {
        open(&client, &format!("{}{query}", site.url())).await;
        click(&client, "//button[normalize-space()='8']").await;
        client
            .wait()
            .for_element(Locator::Css(".world-graph g.edge.lit"))
            .await
            .unwrap();
        let strokes = crate::page::run(
            &client,
            "const stroke = css => getComputedStyle(document.querySelector(css)).stroke;
             const swatch = document.querySelector('.legend .swatch.line');
             return [
               stroke('.world-graph g.edge.edge-identity path'),
               stroke('.world-graph g.edge.lit path'),
               stroke('.world-graph g.edge.edge-role:not(.lit) path'),
               swatch && swatch.checkVisibility()
                 ? getComputedStyle(swatch).borderTopStyle + ' ' + getComputedStyle(swatch).borderTopColor
                 : null,
             ];",
        )
        .await;
        assert_eq!(
            strokes,
            serde_json::json!([identity, lit, role, legend]),
            "page {query:?}"
        );
    }
    client.close().await.unwrap();
}
