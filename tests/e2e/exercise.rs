//! End-to-end journeys of the Exercises tab: each shipped exercise shows Not yet with what is
//! still wrong, the learner solves it through the Edit tab (or the clock, the Check tool's
//! suggestion, a flow's Fix it), and it turns Solved; a too-broad solution shows Too broad
//! first; the tab is reachable by keyboard; screenshots at four sizes.

use crate::harness::{Driver, SiteServer, dist_dir};
use crate::open;
use crate::page::{click, wait_for};
use fantoccini::{Client, Locator, key::Key};

async fn start(scenario: &str, width: u32, height: u32) -> (SiteServer, Driver, Client) {
    let site = SiteServer::start(dist_dir(), "/");
    let driver = Driver::start();
    let client = driver.browser(width, height).await;
    open(&client, &format!("{}?scenario={scenario}", site.url())).await;
    (site, driver, client)
}

async fn button(client: &Client, text: &str) {
    click(client, &format!("//button[normalize-space(.)='{text}']")).await;
}

async fn tab(client: &Client, name: &str) {
    click(client, &format!("//button[@role='tab' and .='{name}']")).await;
}

async fn exercises_tab(client: &Client) {
    click(client, "//button[@id='tab-exercises']").await;
    wait_for(client, "//ol[contains(@class,'exercise-list')]").await;
}

async fn choose(client: &Client, select_id: &str, value: &str) {
    client
        .wait()
        .for_element(Locator::Id(select_id))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{select_id} = {value}: {e}"));
}

/// Chooses, in a select, the option whose text is exactly `label`.
async fn choose_label(client: &Client, select_id: &str, label: &str) {
    click(
        client,
        &format!("//select[@id='{select_id}']/option[normalize-space(.)='{label}']"),
    )
    .await;
}

/// Waits until exercise 1 shows `word`, then returns what it says is still wrong.
async fn state_of_first(client: &Client, word: &str) -> Option<String> {
    let item = "//li[@aria-labelledby='exercise-1-title']";
    wait_for(
        client,
        &format!("{item}//span[contains(@class,'exercise-state') and contains(., '{word}')]"),
    )
    .await;
    let badge = client
        .find(Locator::XPath(&format!(
            "{item}//span[contains(@class,'exercise-state')]"
        )))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let icon = match word {
        "Solved" => "✓",
        "Too broad" => "⚠",
        _ => "○",
    };
    assert_eq!(badge, format!("{icon} {word}"));
    match client
        .find(Locator::XPath(&format!(
            "{item}//p[@class='exercise-detail']"
        )))
        .await
    {
        Ok(p) => Some(p.text().await.unwrap()),
        Err(_) => None,
    }
}

async fn count_badge(client: &Client, text: &str) {
    wait_for(
        client,
        &format!("//button[@id='tab-exercises' and normalize-space(.)='{text}']"),
    )
    .await;
}

/// Adds a role assignment with the Edit tab's form, choosing the role by its name.
async fn assign(client: &Client, principal: &str, role: &str, scope: &str) {
    choose(client, "assign-principal", principal).await;
    choose(client, "assign-scope", scope).await;
    let search = client.find(Locator::Id("role-search")).await.unwrap();
    search.clear().await.unwrap();
    search.send_keys(role).await.unwrap();
    click(
        client,
        &format!("//label[contains(@class,'role-option')][.//span[contains(@class,'role-name') and starts-with(normalize-space(.), '{role}')]]//input"),
    )
    .await;
    button(client, &format!("Assign {role}")).await;
}

/// Removes the role assignment shown as `label` with the Edit tab's form.
async fn remove(client: &Client, label: &str) {
    let open = client
        .find(Locator::XPath("//details[summary[.='Remove and delete']]"))
        .await
        .unwrap();
    if open.attr("open").await.unwrap().is_none() {
        click(client, "//summary[.='Remove and delete']").await;
    }
    choose_label(client, "remove-assignment", label).await;
    button(client, "Remove assignment").await;
    wait_for(
        client,
        &format!("//select[@id='remove-assignment' and not(option[normalize-space(.)='{label}'])]"),
    )
    .await;
}

async fn screenshot(client: &Client, name: &str) {
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join(format!("mi-sim-{name}.png")), png);
    }
}

async fn wait_ten_minutes(client: &Client) {
    click(
        client,
        "//button[@aria-label='Advance the clock 10 minutes']",
    )
    .await;
}

async fn announced(client: &Client, text: &str) {
    wait_for(
        client,
        &format!("//*[@id='exercise-announcer' and contains(., \"{text}\")]"),
    )
    .await;
}

#[tokio::test]
async fn one_secret_only_is_too_broad_until_reader_goes_then_solved() {
    let (site, _driver, client) = start("vm-keyvault-system-assigned", 1280, 720).await;
    count_badge(&client, "Exercises 0/1").await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Not yet").await.as_deref(),
        Some(
            "vm-web reading secrets at kv-prod/secrets/api-key is still allowed (AllowedByRoleAssignment)"
        )
    );
    tab(&client, "Edit").await;
    assign(
        &client,
        "vm-web",
        "Key Vault Secrets User",
        "kv-prod/secrets/db-password",
    )
    .await;
    wait_ten_minutes(&client).await;
    remove(
        &client,
        "Key Vault Secrets User → vm-web at Key vault kv-prod",
    )
    .await;
    announced(
        &client,
        "Exercise 1: Too broad. vm-web has Reader, broader than Key Vault Secrets User.",
    )
    .await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Too broad").await.as_deref(),
        Some("vm-web has Reader, broader than Key Vault Secrets User")
    );
    screenshot(&client, "exercises-too-broad").await;
    tab(&client, "Edit").await;
    remove(&client, "Reader → vm-web at subscription Production").await;
    announced(&client, "Exercise 1: Solved. All exercises solved.").await;
    count_badge(&client, "Exercises 1/1").await;
    exercises_tab(&client).await;
    assert_eq!(state_of_first(&client, "Solved").await, None);
    let done = client
        .find(Locator::Css(".exercises-done"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        done,
        "✓ All exercises solved. Well done: every goal holds, with no role broader than it needs."
    );
    screenshot(&client, "exercises-solved").await;
    crate::assert_clean_load(&client, &site).await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn shared_identity_for_func_c_is_solved_by_attaching_the_shared_identity() {
    let (_site, _driver, client) = start("functions-shared-uami-storage", 1280, 720).await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Not yet").await.as_deref(),
        Some("func-c-upload still fails at the endpoint with 400")
    );
    tab(&client, "Edit").await;
    choose(&client, "identity-host", "func-c").await;
    choose(&client, "attach-identity", "uami-shared").await;
    button(&client, "Attach identity").await;
    exercises_tab(&client).await;
    assert_eq!(state_of_first(&client, "Solved").await, None);
    client.close().await.unwrap();
}

#[tokio::test]
async fn graph_needs_no_azure_role_is_solved_by_removing_reader() {
    let (_site, _driver, client) = start("appservice-graph-approle", 1280, 720).await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Not yet").await.as_deref(),
        Some("app-hr reading sites at app-hr is still allowed (AllowedByRoleAssignment)")
    );
    // The hint is a disclosure, closed until asked for.
    let hint = client
        .find(Locator::XPath("//li[@aria-labelledby='exercise-1-title']//details[contains(@class,'exercise-hint')]/p"))
        .await
        .unwrap();
    assert!(!hint.is_displayed().await.unwrap());
    click(
        &client,
        "//li[@aria-labelledby='exercise-1-title']//summary[.='Show hint']",
    )
    .await;
    assert!(hint.is_displayed().await.unwrap());
    assert!(
        hint.text()
            .await
            .unwrap()
            .starts_with("Edit, Remove a role assignment: Reader → app-hr at rg-web.")
    );
    tab(&client, "Edit").await;
    remove(&client, "Reader → app-hr at resource group rg-web").await;
    exercises_tab(&client).await;
    assert_eq!(state_of_first(&client, "Solved").await, None);
    client.close().await.unwrap();
}

#[tokio::test]
async fn identity_that_survives_is_not_yet_while_its_role_propagates_then_solved() {
    let (_site, _driver, client) = start("lifecycle", 1280, 720).await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Not yet").await.as_deref(),
        Some(
            "uami-app reading secrets at kv-prod/secrets/db-password is still denied (NoRoleAssignment)"
        )
    );
    tab(&client, "Edit").await;
    assign(
        &client,
        "uami-app",
        "Key Vault Secrets User",
        "kv-prod/secrets/db-password",
    )
    .await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Not yet").await.as_deref(),
        Some(
            "uami-app reading secrets at kv-prod/secrets/db-password is still denied (NotYetPropagated)"
        )
    );
    wait_ten_minutes(&client).await;
    assert_eq!(state_of_first(&client, "Solved").await, None);
    client.close().await.unwrap();
}

#[tokio::test]
async fn cross_tenant_wall_refuses_the_partner_and_is_solved_when_the_reader_role_has_propagated() {
    let (_site, _driver, client) = start("limitations", 1280, 720).await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Not yet").await.as_deref(),
        Some(
            "vm-web reading blobs at stdata/containers/reports is still denied (NotYetPropagated)"
        )
    );
    // Azure refuses a Contoso role assignment for Fabrikam's vm-partner.
    tab(&client, "Edit").await;
    assign(
        &client,
        "vm-partner",
        "Storage Blob Data Reader",
        "stdata/containers/reports",
    )
    .await;
    wait_for(&client, "//p[@id='assignment-error' and .=\"✗ Principal 'vm-partner' does not exist in the directory of tenant contoso. (code: PrincipalNotFound)\"]").await;
    exercises_tab(&client).await;
    state_of_first(&client, "Not yet").await;
    wait_ten_minutes(&client).await;
    assert_eq!(state_of_first(&client, "Solved").await, None);
    client.close().await.unwrap();
}

#[tokio::test]
async fn least_privilege_reader_through_the_check_tools_suggestion_then_without_contributor() {
    let (_site, _driver, client) = start("least-privilege", 1280, 720).await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Not yet").await.as_deref(),
        Some(
            "func-report reading blobs at stdata/containers/reports is still denied (NoRoleAssignment); contributor-reads-blob still fails at the access check with 403"
        )
    );
    tab(&client, "Check").await;
    choose(&client, "check-principal", "func-report").await;
    choose_label(&client, "check-action", "Read blobs (data)").await;
    choose(&client, "check-scope", "stdata/containers/reports").await;
    button(&client, "Check access").await;
    button(&client, "Apply the suggestion").await;
    wait_ten_minutes(&client).await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Too broad").await.as_deref(),
        Some("func-report has Contributor, broader than Storage Blob Data Reader")
    );
    tab(&client, "Edit").await;
    remove(
        &client,
        "Contributor → func-report at Storage account stdata",
    )
    .await;
    exercises_tab(&client).await;
    assert_eq!(state_of_first(&client, "Solved").await, None);
    client.close().await.unwrap();
}

#[tokio::test]
async fn fix_legacy_vault_is_solved_by_the_flows_fix_it() {
    let (_site, _driver, client) = start("keyvault-permission-models", 1280, 720).await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Not yet").await.as_deref(),
        Some(
            "app-portal reading secrets at kv-legacy/secrets/db-password is still denied (NoAccessPolicy); role-ignored still fails at the access check with 403"
        )
    );
    choose(&client, "flow-picker", "2").await;
    // Go to the step where the flow fails: its Fix it adds the access policy.
    click(
        &client,
        "//ol[@aria-label='Jump to a step']//button[contains(@class,'status-failed')]",
    )
    .await;
    tab(&client, "Step").await;
    button(&client, "Fix it").await;
    exercises_tab(&client).await;
    assert_eq!(state_of_first(&client, "Solved").await, None);
    client.close().await.unwrap();
}

#[tokio::test]
async fn retire_the_secret_is_solved_by_removing_the_secret_apps_role() {
    let (_site, _driver, client) = start("secret-vs-federation", 1280, 720).await;
    exercises_tab(&client).await;
    assert_eq!(
        state_of_first(&client, "Not yet").await.as_deref(),
        Some(
            "app-deploy-secret writing blobs at stdata/containers/releases is still allowed (AllowedByRoleAssignment)"
        )
    );
    tab(&client, "Edit").await;
    remove(
        &client,
        "Storage Blob Data Contributor → app-deploy-secret at blob container releases",
    )
    .await;
    exercises_tab(&client).await;
    assert_eq!(state_of_first(&client, "Solved").await, None);
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_exercises_tab_is_reachable_by_keyboard() {
    let (_site, _driver, client) = start("least-privilege", 1280, 720).await;
    client
        .execute("document.getElementById('tab-check').focus()", vec![])
        .await
        .unwrap();
    let active = client.active_element().await.unwrap();
    active.send_keys(&Key::Tab.to_string()).await.unwrap();
    let focused = client.active_element().await.unwrap();
    assert_eq!(
        focused.attr("id").await.unwrap().as_deref(),
        Some("tab-exercises")
    );
    assert_eq!(
        focused.attr("aria-label").await.unwrap().as_deref(),
        Some("Exercises, 0 of 1 solved")
    );
    focused.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for(
        &client,
        "//button[@id='tab-exercises' and @aria-selected='true']",
    )
    .await;
    wait_for(&client, "//div[@role='tabpanel' and @aria-labelledby='tab-exercises']//ol[contains(@class,'exercise-list')]").await;

    client.close().await.unwrap();
}

#[tokio::test]
async fn the_exercises_tab_fits_each_screen() {
    for (w, h) in [(1440, 900), (1280, 720), (800, 500), (390, 844)] {
        let (_site, _driver, client) = start("least-privilege", w, h).await;
        exercises_tab(&client).await;
        click(
            &client,
            "//li[@aria-labelledby='exercise-1-title']//summary[.='Show hint']",
        )
        .await;
        let overflow = client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(overflow.as_i64(), Some(0), "{w}x{h}");
        screenshot(&client, &format!("exercises-{w}x{h}")).await;
        client.close().await.unwrap();
    }
}
