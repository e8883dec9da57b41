//! End-to-end journeys of the Edit and Check tabs: select then inspect, each kind of edit
//! with its visible consequence on the graph, a refused edit's message beside its control,
//! undo and redo, autosave across a reload (and a change the browser will not keep), Reset
//! scenario, and Check access.

use crate::open;
use crate::page::{click, node, run, start, text_of, wait_for};
use fantoccini::{Client, Locator, key::Key};

async fn button(client: &Client, text: &str) {
    click(client, &format!("//button[normalize-space(.)='{text}']")).await;
}

async fn tab(client: &Client, name: &str) {
    click(client, &format!("//button[@role='tab' and .='{name}']")).await;
}

async fn count(client: &Client, xpath: &str) -> usize {
    client.find_all(Locator::XPath(xpath)).await.unwrap().len()
}

async fn choose(client: &Client, select_id: &str, value: &str) {
    client
        .find(Locator::Id(select_id))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{select_id} = {value}: {e}"));
}

async fn type_into(client: &Client, input_id: &str, text: &str) {
    let input = client.find(Locator::Id(input_id)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

const SP_VM: &str = "Service principal vm-web";
const ORPHAN: &str = "Role assignment for an identity that no longer exists";

#[tokio::test]
async fn selecting_a_node_opens_it_in_the_inspector() {
    let (_site, _driver, client) = start(1280, 720).await;
    click(&client, &node("Virtual machine vm-web")).await;
    wait_for(
        &client,
        "//button[@role='tab' and .='Inspect' and @aria-selected='true']",
    )
    .await;
    let title = client
        .find(Locator::Css(".inspect-tab h2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(title, "Virtual machine vm-web");
    client.close().await.unwrap();
}

#[tokio::test]
async fn disabling_an_identity_removes_its_principal_and_orphans_its_assignment_undo_and_redo() {
    let (_site, _driver, client) = start(1280, 720).await;
    assert_eq!(count(&client, &node(SP_VM)).await, 1);
    assert_eq!(count(&client, &node(ORPHAN)).await, 0);
    tab(&client, "Edit").await;
    choose(&client, "identity-host", "vm-web").await;
    button(&client, "Disable system-assigned").await;
    wait_for(&client, &node(ORPHAN)).await;
    assert_eq!(count(&client, &node(SP_VM)).await, 0);
    let orphans = count(&client, &node(ORPHAN)).await;
    wait_for(
        &client,
        "//span[contains(@class,'badge') and .='System-assigned: off']",
    )
    .await;

    button(&client, "↶ Undo").await;
    wait_for(&client, &node(SP_VM)).await;
    assert_eq!(count(&client, &node(ORPHAN)).await, 0);
    button(&client, "↷ Redo").await;
    wait_for(&client, &node(ORPHAN)).await;
    assert_eq!(count(&client, &node(SP_VM)).await, 0);

    // Enabling again creates a new service principal; the old assignment stays an orphan.
    button(&client, "Enable system-assigned").await;
    wait_for(&client, &node(SP_VM)).await;
    assert_eq!(count(&client, &node(ORPHAN)).await, orphans);
    client.close().await.unwrap();
}

#[tokio::test]
async fn adding_identities_resources_and_role_assignments_shows_them_on_the_graph() {
    let (_site, _driver, client) = start(1280, 720).await;
    tab(&client, "Edit").await;
    // A world without a user-assigned identity offers none to attach, and says how to make one.
    choose(&client, "identity-host", "vm-web").await;
    assert_eq!(
        text_of(&client, ".no-identities").await,
        "No user-assigned identity to attach: create one under Add, with Create identity."
    );
    assert_eq!(count(&client, "//button[.='Attach identity']").await, 0);
    choose(&client, "add-kind", "KeyVault").await;
    type_into(&client, "add-name", "kv-reports").await;
    button(&client, "Add resource").await;
    wait_for(&client, &node("Key vault kv-reports")).await;

    type_into(&client, "uami-name", "id-reports").await;
    button(&client, "Create identity").await;
    wait_for(
        &client,
        &node("User-assigned identity id-reports, not attached"),
    )
    .await;
    wait_for(&client, &node("Service principal id-reports")).await;

    choose(&client, "identity-host", "vm-web").await;
    choose(&client, "attach-identity", "id-reports").await;
    button(&client, "Attach identity").await;
    wait_for(
        &client,
        &node("User-assigned identity id-reports, attached to vm-web"),
    )
    .await;

    // The picker defaults the task from the scope and flags roles broader than it needs.
    choose(&client, "assign-principal", "id-reports").await;
    choose(&client, "assign-scope", "kv-reports").await;
    type_into(&client, "role-search", "key vault secrets").await;
    wait_for(&client, "//label[contains(@class,'role-option') and contains(@class,'checked') and contains(., 'Key Vault Secrets User') and contains(., 'Least privilege for this task')]").await;
    wait_for(&client, "//label[contains(@class,'role-option') and contains(., 'Key Vault Secrets Officer') and contains(., 'Broader than the task needs (Key Vault Secrets User is enough)')]").await;
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join("mi-sim-edit-desktop.png"), png);
    }
    button(&client, "Assign Key Vault Secrets User").await;
    let edge = node("Role assignment: Key Vault Secrets User for id-reports on kv-reports");
    wait_for(&client, &edge).await;

    client
        .find(Locator::XPath("//summary[.='Remove and delete']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(
        &client,
        "//select[@id='remove-assignment']/option[contains(., 'id-reports')]",
    )
    .await;
    button(&client, "Remove assignment").await;
    wait_for(
        &client,
        "//select[@id='remove-assignment' and not(option[contains(., 'id-reports')])]",
    )
    .await;
    assert_eq!(count(&client, &edge).await, 0);

    choose(&client, "delete-identity", "id-reports").await;
    button(&client, "Delete identity").await;
    wait_for(
        &client,
        "//select[@id='delete-identity' and not(option[@value='id-reports'])]",
    )
    .await;
    assert_eq!(
        count(&client, &node("Service principal id-reports")).await,
        0
    );

    choose(&client, "delete-resource", "kv-reports").await;
    button(&client, "Delete resource").await;
    wait_for(
        &client,
        "//select[@id='delete-resource' and not(option[@value='kv-reports'])]",
    )
    .await;
    assert_eq!(count(&client, &node("Key vault kv-reports")).await, 0);
    client.close().await.unwrap();
}

#[tokio::test]
async fn moving_a_resource_changes_its_group_and_refused_edits_show_the_model_message() {
    let (_site, _driver, client) = start(1280, 720).await;
    let graph_label = || async {
        client
            .find(Locator::Css("svg.graph"))
            .await
            .unwrap()
            .attr("aria-label")
            .await
            .unwrap()
            .unwrap_or_default()
    };
    let before = graph_label().await;
    tab(&client, "Edit").await;
    // A name already taken: the model refuses, the message sits beside the form, nothing changes.
    choose(&client, "add-kind", "KeyVault").await;
    type_into(&client, "add-name", "kv-prod").await;
    button(&client, "Add resource").await;
    let error = client
        .wait()
        .for_element(Locator::Css("#add-resource-error[role='alert']"))
        .await
        .unwrap();
    let message = error.text().await.unwrap();
    assert!(message.contains("kv-prod"), "{message}");
    assert_eq!(graph_label().await, before);
    let undo = client
        .find(Locator::XPath("//button[normalize-space(.)='↶ Undo']"))
        .await
        .unwrap();
    assert!(!undo.is_enabled().await.unwrap());

    // A subscription cannot be transferred to the tenant it already trusts.
    client
        .find(Locator::XPath("//summary[.='Move and transfer']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    button(&client, "Transfer subscription").await;
    let error = client
        .wait()
        .for_element(Locator::Css("#move-error[role='alert']"))
        .await
        .unwrap();
    assert_eq!(
        error.text().await.unwrap(),
        "✗ The subscription already trusts that tenant."
    );
    assert_eq!(graph_label().await, before);

    choose(&client, "move-resource", "kv-prod").await;
    choose(&client, "move-group", "Production/rg-web").await;
    button(&client, "Move resource").await;
    // The vault's id changed: its role assignment is left on a scope that no longer exists.
    wait_for(
        &client,
        &node("Role assignment on a scope that no longer exists"),
    )
    .await;
    client
        .wait()
        .for_element(Locator::XPath(
            "//button[normalize-space(.)='↶ Undo' and not(@disabled)]",
        ))
        .await
        .unwrap();
    assert_eq!(count(&client, "//*[@id='move-error']").await, 0);
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_edit_survives_a_reload_and_reset_scenario_restores_the_shipped_world() {
    let (site, _driver, client) = start(1280, 720).await;
    tab(&client, "Edit").await;
    choose(&client, "identity-host", "vm-web").await;
    button(&client, "Disable system-assigned").await;
    wait_for(&client, &node(ORPHAN)).await;
    open(&client, &site.url()).await;
    wait_for(&client, &node(ORPHAN)).await;
    assert_eq!(count(&client, &node(SP_VM)).await, 0);
    button(&client, "Reset scenario").await;
    wait_for(&client, &node(SP_VM)).await;
    assert_eq!(count(&client, &node(ORPHAN)).await, 0);
    // The reset is saved too.
    open(&client, &site.url()).await;
    wait_for(&client, &node(SP_VM)).await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_change_the_browser_does_not_keep_is_announced_and_stays_on_screen() {
    let (site, _driver, client) = start(1280, 720).await;
    // The site's storage filled almost to the brim (by other data, or a far larger world).
    let filled = run(
        &client,
        "let n = 5 * 1024 * 1024;
         for (;;) { try { localStorage.setItem('filler', 'x'.repeat(n)); return n; } catch (e) { n -= 1024; } }",
    )
    .await;
    assert!(filled.as_u64().unwrap() > 5_000_000, "{filled}");
    let message = "//*[@role='alert' and contains(@class, 'autosave-message')]";
    tab(&client, "Edit").await;
    choose(&client, "identity-host", "vm-web").await;
    button(&client, "Disable system-assigned").await;
    wait_for(&client, &format!("{message}[contains(., 'Your latest changes are not saved in this browser.') and contains(., 'its storage for this site is full or turned off') and contains(., 'Download scenario file')]")).await;
    // The work stays on screen.
    assert!(count(&client, &node(ORPHAN)).await > 0);
    assert_eq!(count(&client, &node(SP_VM)).await, 0);
    // Dismissed, it stays away until the next refused write.
    click(&client, &format!("{message}//button[.='Dismiss']")).await;
    assert_eq!(count(&client, message).await, 0);
    button(&client, "↶ Undo").await;
    wait_for(&client, message).await;
    // With room again, the next change is kept and the message goes.
    run(&client, "localStorage.removeItem('filler'); return true").await;
    button(&client, "↷ Redo").await;
    wait_for(&client, &node(ORPHAN)).await;
    client
        .wait()
        .for_element(Locator::XPath(
            "//main[not(//*[contains(@class, 'autosave-message')])]",
        ))
        .await
        .unwrap();
    open(&client, &site.url()).await;
    wait_for(&client, &node(ORPHAN)).await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn check_access_explains_the_denial_and_applies_the_least_privilege_fix() {
    let (_site, _driver, client) = start(1280, 720).await;
    client
        .find(Locator::Css("#scenario-picker"))
        .await
        .unwrap()
        .select_by_value("least-privilege")
        .await
        .unwrap();
    tab(&client, "Check").await;
    button(&client, "Check access").await;
    let badge = client
        .wait()
        .for_element(Locator::Css(".check-result .badge"))
        .await
        .unwrap();
    assert_eq!(badge.text().await.unwrap(), "✗ Denied");
    assert_eq!(
        count(
            &client,
            "//ol[@class='trace']/li[contains(@class,'decisive')]"
        )
        .await,
        1
    );
    let suggestion = client
        .find(Locator::Css(".check-result .suggestion"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        suggestion.starts_with("Least privilege: Assign Storage Blob Data Reader"),
        "{suggestion}"
    );
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join("mi-sim-check-desktop.png"), png);
    }
    button(&client, "Apply the suggestion").await;
    wait_for(&client, "//section[contains(@class,'check-result')]//p[contains(@class,'badge') and contains(., 'Not yet')]").await;
    // Keyboard: Ctrl+Z is the same Undo.
    client
        .find(Locator::Css("main svg.graph"))
        .await
        .unwrap()
        .send_keys(&format!("{}z", char::from(Key::Control)))
        .await
        .unwrap();
    wait_for(&client, "//section[contains(@class,'check-result')]//p[contains(@class,'badge') and contains(., 'Denied')]").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_edit_tab_fits_a_phone() {
    let (_site, _driver, client) = start(390, 844).await;
    tab(&client, "Edit").await;
    wait_for(&client, "//button[normalize-space(.)='Add resource']").await;
    let overflow = client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflow.as_i64(), Some(0));
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join("mi-sim-edit-phone.png"), png);
    }
    client.close().await.unwrap();
}
