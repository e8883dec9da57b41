//! Tests of the target services: success for each, every tampered or out-of-policy token
//! rejected by Key Vault and Storage with the right status and body, the RBAC and
//! access-policy models, data roles versus Owner, and Graph's roles claim.

use crate::model::clock::{DAY, HOUR};
use crate::model::endpoints::{IMDS_HOST, IMDS_TOKEN_PATH};
use crate::model::entra::{demo_key, v1_issuer};
use crate::model::http::{HttpRequest, Method};
use crate::model::jwt::{self, JsonObject};
use crate::model::platform::{CallSite, Exchange, Simulation};
use crate::model::world::{ChildKind, Command, KeyVaultPermissionModel, ResourceKind, SampleWorld};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn sim() -> Simulation {
    let world = SampleWorld::contoso_builder()
        .resource("Production", "rg-data", "sql-prod", ResourceKind::SqlServer)
        .child("sql-prod", ChildKind::Database, "orders")
        .resource(
            "Production",
            "rg-data",
            "sb-prod",
            ResourceKind::ServiceBusNamespace,
        )
        .child("sb-prod", ChildKind::ServiceBusQueue, "jobs")
        .resource(
            "Production",
            "rg-data",
            "eh-prod",
            ResourceKind::EventHubsNamespace,
        )
        .child("eh-prod", ChildKind::EventHub, "telemetry")
        .run(Command::SetPropagationDelay { seconds: 0 })
        .build()
        .unwrap();
    Simulation::new(world)
}

fn vm(s: &Simulation) -> CallSite {
    CallSite::Resource(s.world.id_of("vm-web").unwrap())
}

fn token(s: &mut Simulation, resource: &str) -> String {
    let from = vm(s);
    let req = HttpRequest::get(
        IMDS_HOST,
        IMDS_TOKEN_PATH,
        &[("api-version", "2018-02-01"), ("resource", resource)],
    )
    .with_header("Metadata", "true");
    let e = s.send(&from, req).unwrap();
    e.token.unwrap().token
}

fn call(s: &mut Simulation, method: Method, url: &str, bearer: Option<&str>) -> Exchange {
    let u = crate::model::http::Url::parse(url).unwrap();
    let mut req =
        HttpRequest::new(method, &u.host, &u.target).with_header("x-ms-version", "2023-11-03");
    if let Some(t) = bearer {
        req = req.with_header("Authorization", &format!("Bearer {t}"));
    }
    let from = vm(s);
    s.send(&from, req).unwrap()
}

fn assign(s: &mut Simulation, role: &str, scope: &str) {
    s.apply(Command::AddRoleAssignment {
        principal: "vm-web".into(),
        role: role.into(),
        scope: scope.into(),
        condition: None,
    })
    .unwrap();
}

const SECRET_URL: &str = "https://kv-prod.vault.azure.net/secrets/db-password?api-version=7.4";
const BLOB_URL: &str = "https://stprod.blob.core.windows.net/reports/q1.csv";

fn b64(v: &Value) -> String {
    jwt::b64url_encode(v.to_string().as_bytes())
}

fn parts(t: &str) -> Vec<String> {
    t.split('.').map(str::to_string).collect()
}

fn claims_of(t: &str) -> JsonObject {
    jwt::decode_unverified(t).unwrap().claims
}

fn resign(claims: &JsonObject, key_index: usize) -> String {
    let key = demo_key(key_index).unwrap();
    let mut header = JsonObject::new();
    header.insert("typ".into(), json!("JWT"));
    header.insert("alg".into(), json!("RS256"));
    header.insert("x5t".into(), json!(key.x5t));
    header.insert("kid".into(), json!(key.kid));
    key.sign(&header, claims).unwrap()
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let inner: Vec<u8> = k
        .iter()
        .map(|b| b ^ 0x36)
        .chain(msg.iter().copied())
        .collect();
    let outer: Vec<u8> = k
        .iter()
        .map(|b| b ^ 0x5c)
        .chain(Sha256::digest(&inner))
        .collect();
    Sha256::digest(&outer).to_vec()
}

/// (name, token) pairs: each tampered or out of policy for `aud`.
fn bad_tokens(s: &mut Simulation, aud: &str) -> Vec<(&'static str, String)> {
    let good = token(s, aud);
    let p = parts(&good);
    let mut sig = jwt::b64url_decode(&p[2], "sig").unwrap();
    sig[7] ^= 0x01;
    let flipped = format!("{}.{}.{}", p[0], p[1], jwt::b64url_encode(&sig));
    let none = format!("{}.{}.", b64(&json!({"typ":"JWT","alg":"none"})), p[1]);
    let kid = demo_key(0).unwrap().kid.clone();
    let hs_header = b64(&json!({"typ":"JWT","alg":"HS256","kid": kid}));
    let pem = demo_key(0)
        .unwrap()
        .private_key()
        .public_key()
        .to_public_key_pem();
    let input = format!("{hs_header}.{}", p[1]);
    let hs256 = format!(
        "{input}.{}",
        jwt::b64url_encode(&hmac_sha256(pem.as_bytes(), input.as_bytes()))
    );
    let claims = claims_of(&good);
    let unknown_kid = resign(&claims, 5);
    let mut future = claims.clone();
    let now = s.now().0;
    future.insert("nbf".into(), json!(now + HOUR));
    future.insert("iat".into(), json!(now + HOUR));
    let not_yet = resign(&future, 0);
    let fabrikam = s.world.tenant_named("fabrikam").unwrap().id;
    let mut foreign = claims.clone();
    foreign.insert("iss".into(), json!(v1_issuer(fabrikam)));
    foreign.insert("tid".into(), json!(fabrikam.to_string()));
    let wrong_issuer = resign(&foreign, 2);
    let wrong_audience = token(s, "https://management.azure.com/");
    vec![
        ("flipped signature bit", flipped),
        ("alg none", none),
        ("HS256 with the public key", hs256),
        ("unknown kid", unknown_kid),
        ("not yet valid", not_yet),
        ("wrong issuer", wrong_issuer),
        ("wrong audience", wrong_audience),
    ]
}

#[test]
fn key_vault_rejects_each_tampered_token_with_401_and_its_message() {
    let mut s = sim();
    assign(&mut s, "Key Vault Secrets User", "kv-prod");
    let tid = s.world.tenant_named("contoso").unwrap().id;
    let fabrikam = s.world.tenant_named("fabrikam").unwrap().id;
    for (what, bad) in bad_tokens(&mut s, "https://vault.azure.net") {
        let e = call(&mut s, Method::Get, SECRET_URL, Some(&bad));
        assert_eq!(e.status(), Some(401), "{what}");
        let r = e.http().unwrap();
        assert_eq!(
            r.header("WWW-Authenticate"),
            Some(format!("Bearer authorization=\"https://login.windows.net/{tid}\", resource=\"https://vault.azure.net\"").as_str()),
            "{what}"
        );
        let message = e.json().unwrap()["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(e.json().unwrap()["error"]["code"], "Unauthorized", "{what}");
        let expected_prefix = match what {
            "unknown kid" => "AKV10046: Unable to resolve the key used for signature validation.".to_string(),
            "wrong issuer" => format!("AKV10032: Invalid issuer. Expected one of https://sts.windows.net/{tid}/, found https://sts.windows.net/{fabrikam}/."),
            "wrong audience" => "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.".to_string(),
            _ => "Token validation failed: ".to_string(),
        };
        assert!(message.starts_with(&expected_prefix), "{what}: {message}");
        assert!(e.decision.is_none() && e.token.is_none(), "{what}");
    }
    let none = call(&mut s, Method::Get, SECRET_URL, None);
    assert_eq!(none.status(), Some(401));
    assert_eq!(
        none.http().unwrap().body,
        r#"{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer or PoP token."}}"#
    );
}

#[test]
fn storage_rejects_each_tampered_token_with_invalid_authentication_info() {
    let mut s = sim();
    assign(&mut s, "Storage Blob Data Reader", "stprod");
    for (what, bad) in bad_tokens(&mut s, "https://storage.azure.com/") {
        let e = call(&mut s, Method::Get, BLOB_URL, Some(&bad));
        assert_eq!(e.status(), Some(401), "{what}");
        let r = e.http().unwrap();
        assert_eq!(
            r.header("x-ms-error-code"),
            Some("InvalidAuthenticationInfo"),
            "{what}"
        );
        let detail = match what {
            "wrong audience" => "Audience validation failed. Audience did not match.",
            "wrong issuer" => "Issuer validation failed. Issuer did not match.",
            "not yet valid" => "Lifetime validation failed. The token is not yet valid.",
            "unknown kid" => "Signature validation failed. Unable to match key: kid:",
            _ => "Signature validation failed.",
        };
        assert!(r.body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>InvalidAuthenticationInfo</Code><Message>Server failed to authenticate the request. Please refer to the information in the www-authenticate header.\nRequestId:"), "{what}");
        assert!(
            r.body
                .contains(&format!("<AuthenticationErrorDetail>{detail}")),
            "{what}: {}",
            r.body
        );
        assert_eq!(what == "wrong audience", !e.simulated, "{what}");
    }
}

#[test]
fn expired_tokens_are_rejected_by_key_vault_and_storage() {
    let mut s = sim();
    let kv = token(&mut s, "https://vault.azure.net");
    let st = token(&mut s, "https://storage.azure.com/");
    s.apply(Command::AdvanceClock {
        seconds: DAY + HOUR,
    })
    .unwrap();
    let e = call(&mut s, Method::Get, SECRET_URL, Some(&kv));
    assert_eq!(e.status(), Some(401));
    assert!(
        e.json().unwrap()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    let e = call(&mut s, Method::Get, BLOB_URL, Some(&st));
    assert_eq!(e.status(), Some(401));
    assert!(e.http().unwrap().body.contains("<AuthenticationErrorDetail>Lifetime validation failed. The token is expired.</AuthenticationErrorDetail>"));
}

#[test]
fn owner_on_the_account_cannot_read_blobs_but_blob_data_reader_on_the_container_can() {
    let mut s = sim();
    assign(&mut s, "Owner", "stprod");
    let t = token(&mut s, "https://storage.azure.com/");
    let e = call(&mut s, Method::Get, BLOB_URL, Some(&t));
    assert_eq!(e.status(), Some(403));
    let r = e.http().unwrap();
    assert_eq!(
        r.header("x-ms-error-code"),
        Some("AuthorizationPermissionMismatch")
    );
    assert_eq!(r.header("Content-Type"), Some("application/xml"));
    let request_id = r.header("x-ms-request-id").unwrap();
    assert_eq!(
        r.body,
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.\nRequestId:{request_id}\nTime:2026-01-05T09:00:00.0000000Z</Message></Error>"
        )
    );
    assert!(!e.decision.as_ref().unwrap().allowed);
    let container = format!(
        "{}/blobServices/default/containers/reports",
        s.world.id_of("stprod").unwrap()
    );
    assign(&mut s, "Storage Blob Data Reader", &container);
    let e = call(&mut s, Method::Get, BLOB_URL, Some(&t));
    assert_eq!(e.status(), Some(200));
    assert!(e.decision.unwrap().allowed);
    let write = call(&mut s, Method::Put, BLOB_URL, Some(&t));
    assert_eq!(write.status(), Some(403));
}

#[test]
fn key_vault_rbac_denial_has_the_exact_forbidden_by_rbac_body() {
    let mut s = sim();
    let t = token(&mut s, "https://vault.azure.net");
    let e = call(&mut s, Method::Get, SECRET_URL, Some(&t));
    assert_eq!(e.status(), Some(403));
    let sa = s
        .world
        .resource_named("vm-web")
        .unwrap()
        .system_assigned
        .unwrap();
    let sub = s.world.subscription_named("Production").unwrap().id;
    let tid = sa.tenant_id;
    let expected = format!(
        r#"{{"error":{{"code":"Forbidden","message":"Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid={};oid={};iss=https://sts.windows.net/{tid}/\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nResource: '/subscriptions/{sub}/resourcegroups/rg-data/providers/microsoft.keyvault/vaults/kv-prod/secrets/db-password'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: kv-prod;location=westeurope\r\n","innererror":{{"code":"ForbiddenByRbac"}}}}}}"#,
        sa.client_id, sa.principal_id
    );
    assert_eq!(e.http().unwrap().body, expected);
    assert!(!e.simulated);
    assign(&mut s, "Key Vault Secrets User", "kv-prod");
    let ok = call(&mut s, Method::Get, SECRET_URL, Some(&t));
    assert_eq!(ok.status(), Some(200));
    let keys: Vec<String> = ok
        .json()
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["value", "id", "attributes"]);
}

#[test]
fn key_vault_access_policy_model_ignores_rbac_and_answers_access_denied() {
    let mut s = sim();
    assign(&mut s, "Key Vault Administrator", "kv-prod");
    s.apply(Command::SetKeyVaultPermissionModel {
        vault: "kv-prod".into(),
        model: KeyVaultPermissionModel::AccessPolicies,
    })
    .unwrap();
    let t = token(&mut s, "https://vault.azure.net");
    let e = call(&mut s, Method::Get, SECRET_URL, Some(&t));
    assert_eq!(e.status(), Some(403));
    let sa = s
        .world
        .resource_named("vm-web")
        .unwrap()
        .system_assigned
        .unwrap();
    let expected = format!(
        r#"{{"error":{{"code":"Forbidden","message":"The user, group or application 'appid={};oid={};iss=https://sts.windows.net/{}/' does not have secrets get permission on key vault 'kv-prod;location=westeurope'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287","innererror":{{"code":"AccessDenied"}}}}}}"#,
        sa.client_id, sa.principal_id, sa.tenant_id
    );
    assert_eq!(e.http().unwrap().body, expected);
    s.apply(Command::SetAccessPolicy {
        vault: "kv-prod".into(),
        principal: "vm-web".into(),
        keys: vec![],
        secrets: vec!["get".into()],
        certificates: vec![],
    })
    .unwrap();
    assert_eq!(
        call(&mut s, Method::Get, SECRET_URL, Some(&t)).status(),
        Some(200)
    );
}

#[test]
fn arm_denies_with_authorization_failed_and_allows_a_reader() {
    let mut s = sim();
    let t = token(&mut s, "https://management.azure.com/");
    let id = s.world.id_of("kv-prod").unwrap();
    let url = format!("https://management.azure.com{id}?api-version=2023-07-01");
    let e = call(&mut s, Method::Get, &url, Some(&t));
    assert_eq!(e.status(), Some(403));
    let oid = s
        .world
        .resource_named("vm-web")
        .unwrap()
        .system_assigned
        .unwrap()
        .principal_id;
    assert_eq!(
        e.json().unwrap()["error"]["message"],
        format!(
            "The client '{oid}' with object id '{oid}' does not have authorization to perform action 'Microsoft.KeyVault/vaults/read' over scope '{id}' or the scope is invalid. If access was recently granted, please refresh your credentials."
        )
    );
    assert_eq!(e.json().unwrap()["error"]["code"], "AuthorizationFailed");
    assign(&mut s, "Reader", "rg-data");
    let ok = call(&mut s, Method::Get, &url, Some(&t));
    assert_eq!(ok.status(), Some(200));
    assert_eq!(ok.json().unwrap()["name"], "kv-prod");
}

#[test]
fn graph_needs_user_read_all_in_the_roles_claim_and_a_cached_token_has_none() {
    let mut s = sim();
    let before = token(&mut s, "https://graph.microsoft.com");
    let url = "https://graph.microsoft.com/v1.0/users";
    let e = call(&mut s, Method::Get, url, Some(&before));
    assert_eq!(e.status(), Some(403));
    let body = e.json().unwrap();
    assert_eq!(body["error"]["code"], "Authorization_RequestDenied");
    assert_eq!(
        body["error"]["message"],
        "Insufficient privileges to complete the operation."
    );
    s.apply(Command::GrantAppRole {
        principal: "vm-web".into(),
        resource_app: "Microsoft Graph".into(),
        app_role: "User.Read.All".into(),
    })
    .unwrap();
    // IMDS serves the cached token: still no roles claim.
    let cached = token(&mut s, "https://graph.microsoft.com");
    assert_eq!(cached, before);
    assert!(!claims_of(&cached).contains_key("roles"));
    assert_eq!(
        call(&mut s, Method::Get, url, Some(&cached)).status(),
        Some(403)
    );
    // A different resource string is another cache entry, so a fresh token carries the role.
    let fresh = token(&mut s, "https://graph.microsoft.com/");
    assert_eq!(claims_of(&fresh)["roles"], json!(["User.Read.All"]));
    let ok = call(&mut s, Method::Get, url, Some(&fresh));
    assert_eq!(ok.status(), Some(200));
    assert!(ok.decision.unwrap().allowed);
}

#[test]
fn sql_login_needs_a_contained_user() {
    let mut s = sim();
    let t = token(&mut s, "https://database.windows.net/");
    let url = "https://sql-prod.database.windows.net/orders";
    let e = call(&mut s, Method::Get, url, Some(&t));
    assert_eq!(
        e.json().unwrap()["error"]["message"],
        "Login failed for user '<token-identified principal>'."
    );
    assert!(e.simulated);
    s.create_contained_user("sql-prod", "orders", "vm-web")
        .unwrap();
    let ok = call(&mut s, Method::Get, url, Some(&t));
    assert_eq!(ok.status(), Some(200));
    assert!(ok.decision.unwrap().allowed);
}

#[test]
fn service_bus_and_event_hubs_send_needs_the_sender_role() {
    let mut s = sim();
    let sb = token(&mut s, "https://servicebus.azure.net");
    let eh = token(&mut s, "https://eventhubs.azure.net");
    let cases = [
        (
            "https://sb-prod.servicebus.windows.net/jobs/messages",
            sb.clone(),
            "Azure Service Bus Data Sender",
            "sb-prod",
        ),
        (
            "https://eh-prod.servicebus.windows.net/telemetry/messages",
            eh.clone(),
            "Azure Event Hubs Data Sender",
            "eh-prod",
        ),
    ];
    for (url, t, role, scope) in cases {
        let denied = call(&mut s, Method::Post, url, Some(&t));
        assert_eq!(denied.status(), Some(401), "{url}");
        assert!(
            denied
                .http()
                .unwrap()
                .body
                .contains("'Send' claim(s) are required"),
            "{url}"
        );
        assign(&mut s, role, scope);
        assert_eq!(
            call(&mut s, Method::Post, url, Some(&t)).status(),
            Some(201),
            "{url}"
        );
    }
}

#[test]
fn unknown_hosts_do_not_resolve() {
    let mut s = sim();
    let e = call(
        &mut s,
        Method::Get,
        "https://nope.vault.azure.net/secrets/x?api-version=7.4",
        None,
    );
    assert_eq!(e.status(), None);
    assert!(e.simulated);
}

#[test]
fn a_deleted_identitys_token_still_validates_until_it_expires() {
    let mut s = sim();
    s.apply(Command::AttachUserAssigned {
        resource: "vm-web".into(),
        identity: "id-shared".into(),
    })
    .unwrap();
    s.apply(Command::AddRoleAssignment {
        principal: "id-shared".into(),
        role: "Key Vault Secrets User".into(),
        scope: "kv-prod".into(),
        condition: None,
    })
    .unwrap();
    let client = s
        .world
        .resource_named("id-shared")
        .unwrap()
        .identity
        .as_ref()
        .unwrap()
        .client_id
        .to_string();
    let req = HttpRequest::get(
        IMDS_HOST,
        IMDS_TOKEN_PATH,
        &[
            ("api-version", "2018-02-01"),
            ("resource", "https://vault.azure.net"),
            ("client_id", &client),
        ],
    )
    .with_header("Metadata", "true");
    let from = vm(&s);
    let t = s.send(&from, req).unwrap().token.unwrap().token;
    s.apply(Command::DeleteUserAssigned {
        name: "id-shared".into(),
    })
    .unwrap();
    let e = call(&mut s, Method::Get, SECRET_URL, Some(&t));
    assert_ne!(e.status(), Some(401));
    assert!(e.token.is_some() && e.decision.is_some());
}
