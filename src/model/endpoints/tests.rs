//! Tests of the managed-identity endpoints: IMDS's every error case with its exact status
//! and body, the 200 body's shape, default identity rules, the token cache, reachability,
//! App Service's header and Arc's challenge.

use super::imds::{
    IDENTITY_NOT_FOUND, METADATA_HEADER_MISSING, METHOD_NOT_ALLOWED, MULTIPLE_USER_ASSIGNED,
};
use super::*;
use crate::model::clock::HOUR;
use crate::model::http::{HttpRequest, Method};
use crate::model::platform::{CallSite, ConnectionError, Exchange, Reply, Simulation, TokenSource};
use crate::model::world::{Command, ResourceKind, SampleWorld, World};

const KV: &str = "https://vault.azure.net";

fn world() -> World {
    SampleWorld::contoso_builder()
        .resource(
            "Production",
            "rg-web",
            "id-two",
            ResourceKind::UserAssignedIdentity,
        )
        .resource(
            "Production",
            "rg-web",
            "vm-ua1",
            ResourceKind::VirtualMachine,
        )
        .attach("vm-ua1", "id-shared")
        .resource(
            "Production",
            "rg-web",
            "vm-ua2",
            ResourceKind::VirtualMachine,
        )
        .attach("vm-ua2", "id-shared")
        .attach("vm-ua2", "id-two")
        .resource(
            "Production",
            "rg-web",
            "vm-none",
            ResourceKind::VirtualMachine,
        )
        .system_assigned("func-api")
        .resource("Production", "rg-web", "arc-01", ResourceKind::ArcServer)
        .system_assigned("arc-01")
        .run(Command::AddOnPremServer {
            name: "onprem-01".into(),
        })
        .build()
        .unwrap()
}

fn sim() -> Simulation {
    Simulation::new(world())
}

fn site(sim: &Simulation, name: &str) -> CallSite {
    CallSite::Resource(sim.world.id_of(name).unwrap())
}

fn imds_request(params: &[(&str, &str)]) -> HttpRequest {
    HttpRequest::get(IMDS_HOST, IMDS_TOKEN_PATH, params).with_header("Metadata", "true")
}

fn send(sim: &mut Simulation, host: &str, request: HttpRequest) -> Exchange {
    let from = site(sim, host);
    sim.send(&from, request).unwrap()
}

fn client_id_of(sim: &Simulation, name: &str) -> String {
    sim.world
        .resource_named(name)
        .unwrap()
        .identity
        .as_ref()
        .unwrap()
        .client_id
        .to_string()
}

#[test]
fn imds_error_cases_have_their_exact_status_and_body() {
    let mut s = sim();
    let ua = client_id_of(&s, "id-shared");
    let two_selectors = imds_request(&[
        ("api-version", "2018-02-01"),
        ("resource", KV),
        ("client_id", &ua),
        ("object_id", &ua),
    ]);
    let cases: Vec<(&str, &str, HttpRequest, u16, Option<&str>)> = vec![
        (
            "wrong verb",
            "vm-web",
            HttpRequest::new(
                Method::Post,
                IMDS_HOST,
                "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x",
            )
            .with_header("Metadata", "true"),
            405,
            Some(METHOD_NOT_ALLOWED),
        ),
        (
            "no Metadata header",
            "vm-web",
            HttpRequest::get(
                IMDS_HOST,
                IMDS_TOKEN_PATH,
                &[("api-version", "2018-02-01"), ("resource", KV)],
            ),
            400,
            Some(METADATA_HEADER_MISSING),
        ),
        (
            "Metadata: True",
            "vm-web",
            HttpRequest::get(
                IMDS_HOST,
                IMDS_TOKEN_PATH,
                &[("api-version", "2018-02-01"), ("resource", KV)],
            )
            .with_header("Metadata", "True"),
            400,
            Some(METADATA_HEADER_MISSING),
        ),
        (
            "X-Forwarded-For",
            "vm-web",
            imds_request(&[("api-version", "2018-02-01"), ("resource", KV)])
                .with_header("X-Forwarded-For", "10.0.0.1"),
            400,
            None,
        ),
        (
            "no api-version",
            "vm-web",
            imds_request(&[("resource", KV)]),
            400,
            Some(super::imds::API_VERSION_MISSING),
        ),
        (
            "duplicate resource",
            "vm-web",
            imds_request(&[
                ("api-version", "2018-02-01"),
                ("resource", KV),
                ("resource", KV),
            ]),
            400,
            None,
        ),
        (
            "no resource",
            "vm-web",
            imds_request(&[("api-version", "2018-02-01")]),
            400,
            None,
        ),
        ("two selectors", "vm-web", two_selectors, 400, None),
        (
            "no identity at all",
            "vm-none",
            imds_request(&[("api-version", "2018-02-01"), ("resource", KV)]),
            400,
            Some(IDENTITY_NOT_FOUND),
        ),
        (
            "unassigned client id",
            "vm-web",
            imds_request(&[
                ("api-version", "2018-02-01"),
                ("resource", KV),
                ("client_id", &ua),
            ]),
            400,
            Some(IDENTITY_NOT_FOUND),
        ),
        (
            "two user-assigned, no selector",
            "vm-ua2",
            imds_request(&[("api-version", "2018-02-01"), ("resource", KV)]),
            400,
            Some(MULTIPLE_USER_ASSIGNED),
        ),
    ];
    for (what, host, request, status, body) in cases {
        let e = send(&mut s, host, request);
        assert_eq!(e.status(), Some(status), "{what}");
        if let Some(body) = body {
            assert_eq!(e.http().unwrap().body, body, "{what}");
        }
        assert!(e.token.is_none(), "{what}");
    }
}

#[test]
fn exact_identity_error_bodies_match_the_reference() {
    assert_eq!(
        IDENTITY_NOT_FOUND,
        r#"{"error":"invalid_request","error_description":"Identity not found"}"#
    );
    assert_eq!(
        METADATA_HEADER_MISSING,
        r#"{"error":"invalid_request","error_description":"Required metadata header not specified"}"#
    );
    assert_eq!(
        MULTIPLE_USER_ASSIGNED,
        r#"{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}"#
    );
}

#[test]
fn imds_200_body_has_the_real_keys_in_order_and_only_strings() {
    let mut s = sim();
    let e = send(
        &mut s,
        "vm-web",
        imds_request(&[
            ("api-version", "2018-02-01"),
            ("resource", "https://management.azure.com/"),
        ]),
    );
    assert_eq!(e.status(), Some(200));
    let body = e.json().unwrap();
    let obj = body.as_object().unwrap();
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "access_token",
            "client_id",
            "expires_in",
            "expires_on",
            "ext_expires_in",
            "not_before",
            "resource",
            "token_type"
        ]
    );
    assert!(obj.values().all(|v| v.is_string()));
    assert_eq!(obj["expires_in"], "86400");
    assert_eq!(obj["ext_expires_in"], "86399");
    assert_eq!(obj["resource"], "https://management.azure.com/");
    assert_eq!(obj["token_type"], "Bearer");
    let token = e.token.unwrap();
    assert_eq!(obj["not_before"], token.issued_at.to_string());
    assert_eq!(token.expires_on - token.issued_at, 86_700);
    assert_eq!(e.token_source, Some(TokenSource::Issued));
}

#[test]
fn default_identity_rules_pick_system_then_the_only_user_assigned() {
    let mut s = sim();
    let sa = s
        .world
        .resource_named("vm-web")
        .unwrap()
        .system_assigned
        .unwrap()
        .client_id
        .to_string();
    let ua = client_id_of(&s, "id-shared");
    let two = client_id_of(&s, "id-two");
    let cases = [
        ("vm-web", vec![], Some(sa.clone())),
        ("vm-ua1", vec![], Some(ua.clone())),
        (
            "vm-ua2",
            vec![("client_id", two.clone())],
            Some(two.clone()),
        ),
        (
            "vm-ua2",
            vec![(
                "msi_res_id",
                s.world.id_of("id-shared").unwrap().to_string(),
            )],
            Some(ua.clone()),
        ),
        ("vm-ua2", vec![], None),
    ];
    for (host, selector, expected) in cases {
        let mut params = vec![
            ("api-version", "2018-02-01".to_string()),
            ("resource", KV.to_string()),
        ];
        params.extend(selector.iter().map(|(k, v)| (*k, v.clone())));
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let e = send(&mut s, host, imds_request(&pairs));
        match expected {
            Some(client) => assert_eq!(e.json().unwrap()["client_id"], client, "{host}"),
            None => assert_eq!(e.status(), Some(400), "{host}"),
        }
    }
}

#[test]
fn cached_token_is_reused_with_expires_in_counting_down_until_near_expiry() {
    let mut s = sim();
    let req = imds_request(&[("api-version", "2018-02-01"), ("resource", KV)]);
    let first = send(&mut s, "vm-web", req.clone());
    s.apply(Command::AdvanceClock { seconds: 2 * HOUR })
        .unwrap();
    let second = send(&mut s, "vm-web", req.clone());
    assert_eq!(second.token_source, Some(TokenSource::Cache));
    assert_eq!(
        first.json().unwrap()["access_token"],
        second.json().unwrap()["access_token"]
    );
    assert_eq!(
        second.json().unwrap()["expires_in"],
        (86_400 - 2 * HOUR).to_string()
    );
    // A different resource string (trailing slash) is a different cache entry.
    let slash = send(
        &mut s,
        "vm-web",
        imds_request(&[
            ("api-version", "2018-02-01"),
            ("resource", "https://vault.azure.net/"),
        ]),
    );
    assert_eq!(slash.token_source, Some(TokenSource::Issued));
    // Within 5 minutes of exp a new token is fetched.
    s.apply(Command::AdvanceClock {
        seconds: 86_400 - 2 * HOUR - 200,
    })
    .unwrap();
    let third = send(&mut s, "vm-web", req.clone());
    assert_eq!(third.token_source, Some(TokenSource::Issued));
    assert_eq!(third.json().unwrap()["expires_in"], "86400");
    let bypass = send(
        &mut s,
        "vm-web",
        imds_request(&[
            ("api-version", "2018-02-01"),
            ("resource", KV),
            ("bypass_cache", "true"),
        ]),
    );
    assert_eq!(bypass.token_source, Some(TokenSource::Issued));
    assert!(bypass.simulated);
}

#[test]
fn imds_is_unreachable_from_on_premises_and_other_hosts() {
    let mut s = sim();
    let req = imds_request(&[("api-version", "2018-02-01"), ("resource", KV)]);
    for from in [
        CallSite::OnPremises("onprem-01".into()),
        CallSite::Internet,
        site(&s, "func-api"),
        site(&s, "arc-01"),
    ] {
        let e = s.send(&from, req.clone()).unwrap();
        assert_eq!(
            e.response,
            Reply::ConnectionFailed(ConnectionError::TimedOut {
                address: "169.254.169.254:80".into()
            }),
            "{from:?}"
        );
        assert!(e.simulated);
    }
}

#[test]
fn broken_identity_after_tenant_transfer_gets_no_token() {
    let mut s = sim();
    s.apply(Command::TransferSubscription {
        subscription: "Production".into(),
        tenant: "fabrikam".into(),
    })
    .unwrap();
    let e = send(
        &mut s,
        "vm-web",
        imds_request(&[("api-version", "2018-02-01"), ("resource", KV)]),
    );
    assert_eq!(e.status(), Some(500));
    assert!(e.simulated);
    assert!(e.token.is_none());
}

#[test]
fn app_service_needs_its_identity_header() {
    let mut s = sim();
    let id = s.world.id_of("func-api").unwrap();
    let plan = default_token_request(&mut s, &id, KV, None).unwrap();
    assert_eq!(
        plan.env[0],
        (
            "IDENTITY_ENDPOINT".to_string(),
            APP_SERVICE_ENDPOINT.to_string()
        )
    );
    let ok = send(&mut s, "func-api", plan.request.clone());
    assert_eq!(ok.status(), Some(200));
    let keys: Vec<String> = ok
        .json()
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_on",
            "resource",
            "token_type",
            "client_id"
        ]
    );
    let mut missing = plan.request.clone();
    missing.headers.retain(|(n, _)| n != "X-IDENTITY-HEADER");
    assert_eq!(
        send(&mut s, "func-api", missing.clone()).status(),
        Some(400)
    );
    let wrong = missing.with_header("X-IDENTITY-HEADER", "not-the-secret");
    assert_eq!(send(&mut s, "func-api", wrong).status(), Some(401));
    // From a VM, nothing listens on localhost:4141.
    let e = send(&mut s, "vm-web", plan.request);
    assert!(matches!(
        e.response,
        Reply::ConnectionFailed(ConnectionError::Refused { .. })
    ));
}

#[test]
fn arc_challenge_then_key_file_then_token_and_user_assigned_refused() {
    let mut s = sim();
    let id = s.world.id_of("arc-01").unwrap();
    let plan = default_token_request(&mut s, &id, KV, None).unwrap();
    assert!(
        plan.env
            .contains(&("IMDS_ENDPOINT".to_string(), ARC_IMDS_ENDPOINT.to_string()))
    );
    let challenge = send(&mut s, "arc-01", plan.request.clone());
    assert_eq!(challenge.status(), Some(401));
    let path = arc_challenge_path(challenge.http().unwrap()).unwrap();
    assert!(
        path.starts_with("/var/opt/azcmagent/tokens/") && path.ends_with(".key"),
        "{path}"
    );
    let from = site(&s, "arc-01");
    let secret = s.read_file(&from, &path).unwrap();
    assert_eq!(s.read_file(&site(&s, "vm-web"), &path), None);
    let wrong = send(&mut s, "arc-01", with_arc_secret(&plan.request, "guess"));
    assert_eq!(wrong.status(), Some(401));
    let ok = send(&mut s, "arc-01", with_arc_secret(&plan.request, &secret));
    assert_eq!(ok.status(), Some(200));
    assert!(ok.token.is_some());
    let ua = HttpRequest::get(
        "localhost:40342",
        IMDS_TOKEN_PATH,
        &[
            ("api-version", ARC_API_VERSION),
            ("resource", KV),
            ("client_id", "x"),
        ],
    )
    .with_header("Metadata", "true");
    assert_eq!(send(&mut s, "arc-01", ua).status(), Some(400));
    let sel = IdentitySelector::ClientId(crate::model::ids::ClientId(crate::model::ids::Guid(1)));
    assert!(matches!(
        default_token_request(&mut s, &id, KV, Some(&sel)),
        Err(PlanError::UserAssignedNotSupported { .. })
    ));
}

#[test]
fn imds_plan_is_what_the_sdk_sends() {
    let mut s = sim();
    let id = s.world.id_of("vm-web").unwrap();
    let plan = default_token_request(&mut s, &id, KV, None).unwrap();
    assert!(plan.env.is_empty());
    assert_eq!(
        plan.url,
        "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net"
    );
    assert_eq!(send(&mut s, "vm-web", plan.request).status(), Some(200));
}
