//! Tests for the token service: keys, documents, token claims, tampering, rollover and
//! federation. Tokens are checked with the independent `jsonwebtoken` crate too.

use super::*;
use crate::model::entra::federation::*;
use crate::model::entra::github::*;
use crate::model::http::{HttpRequest, parse_request};
use crate::model::ids::Guid;
use crate::model::jwt::{self, Validation, b64url_decode};
use jsonwebtoken::{Algorithm, DecodingKey};
use sha2::Sha256;

// The real decoded token of the fidelity reference §3.1, so claims can be compared.
const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT: &str = "2084ae4a-2cb6-495c-8892-e8c5f942cad1";
const OID: &str = "30c7f262-1107-49d2-882a-abeb0050f854";
const VM: &str = "/subscriptions/ce2c696e-9825-44f7-9a68-f34d153e64ba/resourceGroups/ContosoResourceGroup/providers/Microsoft.Compute/virtualMachines/testvmmhsm";
const UAMI: &str = "/subscriptions/ce2c696e-9825-44f7-9a68-f34d153e64ba/resourceGroups/ContosoResourceGroup/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app-id";
// Issued 300 s after the real token's iat, so iat/nbf/exp equal the real ones.
const NOW: i64 = 1_629_759_448;

fn guid(s: &str) -> Guid {
    Guid::parse(s).unwrap()
}

fn tenant() -> TenantId {
    TenantId(guid(TID))
}

fn issuer() -> TokenIssuer {
    TokenIssuer::new(tenant(), 0)
}

fn mi_request(kind: ManagedIdentityKind, roles: &[&str]) -> ManagedIdentityTokenRequest {
    ManagedIdentityTokenRequest {
        resource: "https://management.azure.com/".to_string(),
        client_id: ClientId(guid(CLIENT)),
        object_id: ObjectId(guid(OID)),
        host_resource_id: ResourceId(VM.to_string()),
        kind,
        roles: roles.iter().map(|r| r.to_string()).collect(),
        now: NOW,
    }
}

fn user_assigned() -> ManagedIdentityKind {
    ManagedIdentityKind::UserAssigned {
        identity_resource_id: ResourceId(UAMI.to_string()),
    }
}

fn mi_token(kind: ManagedIdentityKind, roles: &[&str]) -> AccessToken {
    issuer()
        .issue_managed_identity_token(&mi_request(kind, roles), &mut IdGen::new(1))
        .unwrap()
}

/// Verifies with the `jsonwebtoken` crate, given only `n` and `e` from the published JWKS
/// document (as JSON), the way a third-party service would.
fn verify_independently(token: &str, jwks_json: &Value, aud: &str, iss: &str) -> Value {
    let header = jsonwebtoken::decode_header(token).unwrap();
    let kid = header.kid.unwrap();
    let key = jwks_json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .unwrap();
    let decoding =
        DecodingKey::from_rsa_components(key["n"].as_str().unwrap(), key["e"].as_str().unwrap())
            .unwrap();
    let mut v = jsonwebtoken::Validation::new(Algorithm::RS256);
    // Fixed historical timestamps: lifetime is checked by our own tests, not against the
    // machine's clock.
    v.validate_exp = false;
    v.validate_nbf = false;
    v.set_audience(&[aud]);
    v.set_issuer(&[iss]);
    jsonwebtoken::decode::<Value>(token, &decoding, &v)
        .unwrap()
        .claims
}

fn keys(o: &JsonObject) -> Vec<&str> {
    o.keys().map(String::as_str).collect()
}

#[test]
fn demo_keys_parse_and_are_distinct_2048_bit_keys() {
    let mut kids = Vec::new();
    for i in 0..DEMO_KEY_COUNT {
        let k = demo_key(i).unwrap();
        assert_eq!(k.index, i);
        assert_eq!(k.kid, k.x5t);
        assert_eq!(k.x5t.len(), 27, "base64url of a 20-byte SHA-1");
        assert_eq!(k.jwk.e, "AQAB");
        assert_eq!(b64url_decode(&k.jwk.n, "n").unwrap().len(), 256);
        kids.push(k.kid.clone());
    }
    kids.push(github_key().unwrap().kid.clone());
    let mut unique = kids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), DEMO_KEY_COUNT + 1);
    assert_eq!(
        demo_key(DEMO_KEY_COUNT).unwrap_err(),
        KeyError::NoSuchKey { index: 6 }
    );
}

#[test]
fn every_issued_token_verifies_with_an_independent_library() {
    let mut ids = IdGen::new(9);
    for n in 0..3 {
        let t = TokenIssuer::for_tenant_number(TenantId(ids.guid()), n);
        let jwks = t.jwks().unwrap().to_json();
        for kind in [ManagedIdentityKind::SystemAssigned, user_assigned()] {
            let tok = t
                .issue_managed_identity_token(&mi_request(kind, &["Sites.Read.All"]), &mut ids)
                .unwrap();
            let claims = verify_independently(
                &tok.token,
                &jwks,
                "https://management.azure.com/",
                &t.issuer(),
            );
            assert_eq!(Value::Object(tok.claims.clone()), claims);
        }
        let app = t
            .issue_app_token(
                &AppTokenRequest {
                    resource: "https://graph.microsoft.com".into(),
                    client_id: ClientId(ids.guid()),
                    object_id: ObjectId(ids.guid()),
                    authentication: ClientAuthentication::ClientSecret,
                    roles: vec![],
                    now: NOW,
                },
                &mut ids,
            )
            .unwrap();
        verify_independently(
            &app.token,
            &jwks,
            "https://graph.microsoft.com",
            &t.issuer(),
        );
    }
    let gh = GitHubWorkflowRun::example()
        .issue_assertion(NOW, &mut ids)
        .unwrap();
    verify_independently(
        &gh.token,
        &github_jwks().unwrap().to_json(),
        AZURE_AD_TOKEN_EXCHANGE,
        GITHUB_ISSUER,
    );
}

#[test]
fn system_assigned_token_has_the_real_claim_set_in_order() {
    let tok = mi_token(ManagedIdentityKind::SystemAssigned, &[]);
    let key = demo_key(0).unwrap();
    assert_eq!(
        Value::Object(tok.header.clone()),
        json!({"typ": "JWT", "alg": "RS256", "x5t": key.x5t, "kid": key.kid})
    );
    assert_eq!(keys(&tok.header), ["typ", "alg", "x5t", "kid"]);
    assert_eq!(
        keys(&tok.claims),
        [
            "aud",
            "iss",
            "iat",
            "nbf",
            "exp",
            "aio",
            "appid",
            "appidacr",
            "idp",
            "idtyp",
            "oid",
            "rh",
            "sub",
            "tid",
            "uti",
            "ver",
            "xms_mirid"
        ]
    );
    let c = &tok.claims;
    let iss = format!("https://sts.windows.net/{TID}/");
    assert_eq!(c["aud"], "https://management.azure.com/");
    assert_eq!(c["iss"], iss.as_str());
    assert_eq!(c["idp"], iss.as_str());
    // iat, nbf and exp of the real captured token.
    assert_eq!(
        (c["iat"].as_i64(), c["nbf"].as_i64(), c["exp"].as_i64()),
        (Some(1629759148), Some(1629759148), Some(1629845848))
    );
    assert_eq!(tok.expires_on - tok.issued_at, 86_700);
    assert_eq!(tok.expires_in(NOW), 86_400);
    assert_eq!(c["appid"], CLIENT);
    assert_eq!(c["appidacr"], "2");
    assert_eq!(c["idtyp"], "app");
    assert_eq!(c["oid"], OID);
    assert_eq!(c["sub"], OID);
    assert_eq!(c["tid"], TID);
    assert_eq!(c["ver"], "1.0");
    assert_eq!(
        c["xms_mirid"],
        "/subscriptions/ce2c696e-9825-44f7-9a68-f34d153e64ba/resourcegroups/ContosoResourceGroup/providers/Microsoft.Compute/virtualMachines/testvmmhsm"
    );
    assert_eq!(
        jwt::decode_unverified(&tok.token).unwrap().claims,
        tok.claims
    );
}

#[test]
fn user_assigned_token_names_the_identity_and_the_host_and_roles_only_when_granted() {
    let tok = mi_token(user_assigned(), &["Mail.Read", "User.Read.All"]);
    assert_eq!(
        keys(&tok.claims),
        [
            "aud",
            "iss",
            "iat",
            "nbf",
            "exp",
            "aio",
            "appid",
            "appidacr",
            "idp",
            "idtyp",
            "oid",
            "rh",
            "roles",
            "sub",
            "tid",
            "uti",
            "ver",
            "xms_az_rid",
            "xms_mirid"
        ]
    );
    assert_eq!(tok.claims["roles"], json!(["Mail.Read", "User.Read.All"]));
    assert_eq!(tok.claims["xms_mirid"], UAMI);
    assert_eq!(tok.claims["xms_az_rid"], VM);
    assert!(!mi_token(user_assigned(), &[]).claims.contains_key("roles"));
}

#[test]
fn opaque_claims_have_entras_shapes_and_replay_from_the_same_seed() {
    let tok = mi_token(ManagedIdentityKind::SystemAssigned, &[]);
    let c = &tok.claims;
    let aio = c["aio"].as_str().unwrap();
    assert_eq!((aio.len(), aio.ends_with('=')), (44, true));
    let uti = c["uti"].as_str().unwrap();
    assert_eq!(b64url_decode(uti, "uti").unwrap().len(), 16);
    assert_eq!(uti.len(), 22);
    let rh = c["rh"].as_str().unwrap();
    assert!(rh.starts_with("0.A") && rh.ends_with("AAA."), "{rh}");
    // Like the real `rh`: tenant and client ids packed in .NET byte order.
    let inner = b64url_decode(&rh[2..rh.len() - 1], "rh").unwrap();
    let real = b64url_decode("ARoAv4j5cvGGr0GRqy180BHbR0quhCC2LFxJiJLoxflCytEaAAA", "rh").unwrap();
    assert_eq!(inner.len(), real.len());
    assert_eq!(inner[3..35], real[3..35]);
    assert_eq!(tok, mi_token(ManagedIdentityKind::SystemAssigned, &[]));
}

/// Re-encodes a token's header (keeping payload and signature).
fn with_header(token: &str, header: Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!(
        "{}.{}.{}",
        jwt::b64url_encode(header.to_string().as_bytes()),
        parts[1],
        parts[2]
    )
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    use sha2::Digest;
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
    let inner_hash = Sha256::digest(&inner);
    let outer: Vec<u8> = k
        .iter()
        .map(|b| b ^ 0x5c)
        .chain(inner_hash.iter().copied())
        .collect();
    Sha256::digest(&outer).to_vec()
}

#[test]
fn tampered_or_out_of_policy_tokens_are_each_rejected_with_their_own_error() {
    let t = issuer();
    let jwks = t.jwks().unwrap();
    let tok = mi_token(ManagedIdentityKind::SystemAssigned, &[]);
    let parts: Vec<&str> = tok.token.split('.').collect();
    let mut sig = b64url_decode(parts[2], "sig").unwrap();
    sig[10] ^= 0x01;
    let flipped = format!("{}.{}.{}", parts[0], parts[1], jwt::b64url_encode(&sig));
    let kid = demo_key(0).unwrap().kid.clone();
    let none = format!(
        "{}.{}.",
        jwt::b64url_encode(br#"{"typ":"JWT","alg":"none"}"#),
        parts[1]
    );
    let hs_header = jwt::b64url_encode(
        json!({"typ":"JWT","alg":"HS256","kid": kid})
            .to_string()
            .as_bytes(),
    );
    let hs_input = format!("{hs_header}.{}", parts[1]);
    let public_pem = demo_key(0)
        .unwrap()
        .private_key()
        .public_key()
        .to_public_key_pem();
    let hs256 = format!(
        "{hs_input}.{}",
        jwt::b64url_encode(&hmac_sha256(public_pem.as_bytes(), hs_input.as_bytes()))
    );
    let other_kid = with_header(
        &tok.token,
        json!({"typ":"JWT","alg":"RS256","x5t":"nope","kid":"nope"}),
    );
    let mut claims = tok.claims.clone();
    claims.insert("aud".into(), json!("https://vault.azure.net"));
    let swapped_payload = format!(
        "{}.{}.{}",
        parts[0],
        jwt::b64url_encode(Value::Object(claims).to_string().as_bytes()),
        parts[2]
    );
    let ok = Validation::at(NOW)
        .with_issuers(&[&t.issuer()])
        .with_audiences(&[
            "https://management.azure.com/",
            "https://management.core.windows.net/",
        ]);
    let cases: Vec<(&str, String, Validation, JwtError)> = vec![
        (
            "flipped signature bit",
            flipped,
            ok.clone(),
            JwtError::BadSignature,
        ),
        (
            "payload swapped",
            swapped_payload,
            ok.clone(),
            JwtError::BadSignature,
        ),
        ("alg none", none, ok.clone(), JwtError::Unsecured),
        (
            "HS256 with the public key as secret",
            hs256,
            ok.clone(),
            JwtError::AlgorithmNotAllowed {
                alg: "HS256".into(),
            },
        ),
        (
            "unknown kid",
            other_kid,
            ok.clone(),
            JwtError::UnknownKid { kid: "nope".into() },
        ),
        (
            "expired",
            tok.token.clone(),
            Validation {
                now: tok.expires_on + 301,
                ..ok.clone()
            },
            JwtError::Expired {
                exp: tok.expires_on,
                now: tok.expires_on + 301,
            },
        ),
        (
            "not yet valid",
            tok.token.clone(),
            Validation {
                now: tok.issued_at - 301,
                ..ok.clone()
            },
            JwtError::NotYetValid {
                nbf: tok.issued_at,
                now: tok.issued_at - 301,
            },
        ),
        (
            "wrong issuer",
            tok.token.clone(),
            ok.clone()
                .with_issuers(&["https://sts.windows.net/00000000-0000-0000-0000-000000000001/"]),
            JwtError::WrongIssuer {
                expected: vec![
                    "https://sts.windows.net/00000000-0000-0000-0000-000000000001/".into(),
                ],
                found: t.issuer(),
            },
        ),
        (
            "wrong audience",
            tok.token.clone(),
            ok.clone().with_audiences(&["https://vault.azure.net"]),
            JwtError::WrongAudience {
                expected: vec!["https://vault.azure.net".into()],
                found: vec!["https://management.azure.com/".into()],
            },
        ),
    ];
    assert!(jwt::validate(&tok.token, &jwks, &ok).is_ok());
    for (name, token, validation, expected) in cases {
        assert_eq!(
            jwt::validate(&token, &jwks, &validation).map(|_| ()),
            Err(expected),
            "{name}"
        );
    }
}

#[test]
fn signatures_of_the_wrong_length_or_not_below_the_modulus_are_bad_signatures() {
    let jwks = issuer().jwks().unwrap();
    let tok = mi_token(ManagedIdentityKind::SystemAssigned, &[]);
    let parts: Vec<&str> = tok.token.split('.').collect();
    let signature = b64url_decode(parts[2], "signature").unwrap();
    let n = b64url_decode(&jwks.keys[0].n, "n").unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("one byte", vec![1]),
        ("one byte short", signature[1..].to_vec()),
        ("one byte long", [&[0u8][..], &signature].concat()),
        ("oversized", vec![0xab; 4096]),
        ("the modulus", n),
        ("all ones", vec![0xff; 256]),
        ("zero", vec![0; 256]),
    ];
    for (name, bad) in cases {
        let token = format!("{}.{}.{}", parts[0], parts[1], jwt::b64url_encode(&bad));
        assert_eq!(
            jwt::verify_signature(&token, &jwks).map(|_| ()),
            Err(JwtError::BadSignature),
            "{name}"
        );
    }
}

#[test]
fn rolled_over_key_verifies_while_published_and_fails_with_unknown_kid_after_removal() {
    let mut t = issuer();
    let mut ids = IdGen::new(3);
    let req = mi_request(ManagedIdentityKind::SystemAssigned, &[]);
    let old = t.issue_managed_identity_token(&req, &mut ids).unwrap();
    assert_eq!(t.roll_over(), Ok(1));
    assert_eq!(t.published_key_indices(), [0, 1]);
    let new = t.issue_managed_identity_token(&req, &mut ids).unwrap();
    assert_ne!(old.kid, new.kid);
    assert_eq!(new.kid, demo_key(1).unwrap().kid);
    let jwks = t.jwks().unwrap();
    assert!(jwt::verify_signature(&old.token, &jwks).is_ok());
    assert!(jwt::verify_signature(&new.token, &jwks).is_ok());
    assert_eq!(t.retire_key(1), Err(KeyError::StillSigning { index: 1 }));
    assert_eq!(t.retire_key(0), Ok(()));
    let jwks = t.jwks().unwrap();
    assert_eq!(
        jwt::verify_signature(&old.token, &jwks).map(|_| ()),
        Err(JwtError::UnknownKid {
            kid: old.kid.clone()
        })
    );
    assert!(jwt::verify_signature(&new.token, &jwks).is_ok());
    assert_eq!(t.sign_with(4), Err(KeyError::NotPublished { index: 4 }));
    assert_eq!(t.publish_key(9), Err(KeyError::NoSuchKey { index: 9 }));
}

#[test]
fn tenants_get_distinct_keys_and_the_common_jwks_makes_wrong_tenant_an_issuer_error() {
    let mut ids = IdGen::new(5);
    let a = TokenIssuer::for_tenant_number(TenantId(ids.guid()), 0);
    let mut b = TokenIssuer::for_tenant_number(TenantId(ids.guid()), 1);
    assert_eq!((a.signing_key_index(), b.signing_key_index()), (0, 2));
    b.roll_over().unwrap();
    assert_eq!(b.published_key_indices(), [2, 3]);
    let common = common_jwks(&[&a, &b]).unwrap();
    assert_eq!(
        common
            .keys
            .iter()
            .map(|k| k.kid.as_str())
            .collect::<Vec<_>>(),
        [0, 2, 3].map(|i| demo_key(i).unwrap().kid.as_str())
    );
    let tok = a
        .issue_managed_identity_token(
            &mi_request(ManagedIdentityKind::SystemAssigned, &[]),
            &mut ids,
        )
        .unwrap();
    let v = Validation::at(NOW).with_issuers(&[&b.issuer()]);
    assert!(matches!(
        jwt::validate(&tok.token, &common, &v),
        Err(JwtError::WrongIssuer { .. })
    ));
}

#[test]
fn jwks_and_openid_configuration_have_entras_v1_shape() {
    let t = issuer();
    let k = demo_key(0).unwrap();
    assert_eq!(
        t.jwks().unwrap().to_json(),
        json!({"keys": [{"kty": "RSA", "use": "sig", "kid": k.kid, "x5t": k.x5t, "n": k.jwk.n, "e": "AQAB"}]})
    );
    assert_eq!(
        t.jwks().unwrap().to_json().to_string(),
        format!(
            r#"{{"keys":[{{"kty":"RSA","use":"sig","kid":"{0}","x5t":"{0}","n":"{1}","e":"AQAB"}}]}}"#,
            k.kid, k.jwk.n
        )
    );
    let doc = t.openid_configuration();
    let Value::Object(o) = &doc else {
        panic!("not an object")
    };
    assert_eq!(
        keys(o),
        [
            "token_endpoint",
            "token_endpoint_auth_methods_supported",
            "jwks_uri",
            "response_modes_supported",
            "subject_types_supported",
            "id_token_signing_alg_values_supported",
            "response_types_supported",
            "scopes_supported",
            "issuer",
            "microsoft_multi_refresh_token",
            "authorization_endpoint",
            "device_authorization_endpoint",
            "http_logout_supported",
            "frontchannel_logout_supported",
            "end_session_endpoint",
            "claims_supported",
            "check_session_iframe",
            "userinfo_endpoint",
            "kerberos_endpoint",
            "tenant_region_scope",
            "cloud_instance_name",
            "cloud_graph_host_name",
            "msgraph_host",
            "rbac_url"
        ]
    );
    assert_eq!(doc["issuer"], format!("https://sts.windows.net/{TID}/"));
    assert_eq!(
        doc["jwks_uri"],
        "https://login.microsoftonline.com/common/discovery/keys"
    );
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );
    assert_eq!(
        doc["token_endpoint"],
        format!("https://login.microsoftonline.com/{TID}/oauth2/token")
    );
    let gh = github_jwks().unwrap().to_json();
    assert_eq!(gh["keys"][0]["alg"], "RS256");
}

fn app_client() -> ConfidentialClient {
    ConfidentialClient {
        client_id: ClientId(guid("11112222-bbbb-3333-cccc-4444dddd5555")),
        object_id: ObjectId(guid("aaaabbbb-0000-cccc-1111-dddd2222eeee")),
        client_secrets: vec!["s3cr3t~value".to_string()],
        federated_credentials: vec![FederatedIdentityCredential::github_example()],
        app_roles: vec![(
            "https://graph.microsoft.com".to_string(),
            "User.Read.All".to_string(),
        )],
    }
}

fn github_issuer() -> Vec<ExternalIssuer> {
    vec![ExternalIssuer {
        issuer: GITHUB_ISSUER.to_string(),
        jwks: github_jwks().unwrap(),
    }]
}

fn exchange(run: &GitHubWorkflowRun, issued_at: i64, now: i64) -> TokenEndpointOutcome {
    let mut ids = IdGen::new(11);
    let assertion = run.issue_assertion(issued_at, &mut ids).unwrap();
    let client = app_client();
    let req = federated_token_request(
        tenant(),
        client.client_id,
        "https://graph.microsoft.com/.default",
        &assertion.token,
    );
    issuer().token_endpoint(&req, &client, &github_issuer(), now, &mut ids)
}

#[test]
fn token_exchange_request_is_the_documented_form_post() {
    let req = federated_token_request(
        tenant(),
        ClientId(guid("11112222-bbbb-3333-cccc-4444dddd5555")),
        "https://graph.microsoft.com/.default",
        "eyJ.x.y",
    );
    let body = "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_id=11112222-bbbb-3333-cccc-4444dddd5555&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJ.x.y&grant_type=client_credentials";
    assert_eq!(
        req.to_text(),
        format!(
            "POST /{TID}/oauth2/v2.0/token HTTP/1.1\r\nHost: login.microsoftonline.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    );
    assert_eq!(parse_request(&req.to_text()), Ok(req));
}

#[test]
fn matching_federated_subject_gets_an_app_token() {
    let out = exchange(&GitHubWorkflowRun::example(), NOW, NOW + 10);
    assert_eq!(out.response.status, 200);
    let body = out.response.json_body().unwrap();
    let Value::Object(o) = &body else {
        panic!("not an object")
    };
    assert_eq!(keys(o), ["token_type", "expires_in", "access_token"]);
    assert_eq!(
        (body["token_type"].as_str(), body["expires_in"].as_i64()),
        (Some("Bearer"), Some(3599))
    );
    let tok = out.token.unwrap();
    assert_eq!(body["access_token"], tok.token.as_str());
    let claims = verify_independently(
        &tok.token,
        &issuer().jwks().unwrap().to_json(),
        "https://graph.microsoft.com",
        &issuer().issuer(),
    );
    assert_eq!(claims["appidacr"], "2");
    assert_eq!(claims["appid"], "11112222-bbbb-3333-cccc-4444dddd5555");
    assert_eq!(claims["roles"], json!(["User.Read.All"]));
    assert_eq!(tok.expires_on - (NOW + 10), 3599);
}

#[test]
fn unmatched_subject_gets_aadsts700213_in_the_v2_error_body() {
    let run = GitHubWorkflowRun {
        environment: Some("Staging".into()),
        ..GitHubWorkflowRun::example()
    };
    let out = exchange(&run, NOW, NOW);
    assert_eq!((out.response.status, out.token.is_none()), (400, true));
    let err = out.error.unwrap();
    assert_eq!(
        (err.code, err.error.as_str(), err.simulated),
        (700213, "invalid_client", true)
    );
    let body = out.response.json_body().unwrap();
    let Value::Object(o) = &body else {
        panic!("not an object")
    };
    assert_eq!(
        keys(o),
        [
            "error",
            "error_description",
            "error_codes",
            "timestamp",
            "trace_id",
            "correlation_id"
        ]
    );
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_codes"], json!([700213]));
    assert_eq!(body["timestamp"], "2021-08-23 22:57:28Z");
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.starts_with("AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:octo-org/octo-repo:environment:Staging'."),
        "{description}"
    );
    assert!(description.ends_with(&format!(
        " Trace ID: {} Correlation ID: {} Timestamp: 2021-08-23 22:57:28Z",
        body["trace_id"].as_str().unwrap(),
        body["correlation_id"].as_str().unwrap()
    )));
}

#[test]
fn each_failed_federation_check_has_its_own_aadsts_code() {
    let other_issuer_key = {
        // An assertion signed by an Entra demo key, not GitHub's.
        let mut ids = IdGen::new(2);
        let good = GitHubWorkflowRun::example()
            .issue_assertion(NOW, &mut ids)
            .unwrap();
        let mut header = good.header.clone();
        header.insert("kid".into(), json!(demo_key(5).unwrap().kid));
        demo_key(5).unwrap().sign(&header, &good.claims).unwrap()
    };
    let client = app_client();
    let mut ids = IdGen::new(4);
    let send = |assertion: &str, now: i64, ids: &mut IdGen| {
        let req = federated_token_request(
            tenant(),
            client.client_id,
            "https://graph.microsoft.com/.default",
            assertion,
        );
        issuer()
            .token_endpoint(&req, &client, &github_issuer(), now, ids)
            .error
            .map(|e| (e.status, e.code))
    };
    let assertion =
        |run: GitHubWorkflowRun, ids: &mut IdGen| run.issue_assertion(NOW, ids).unwrap().token;
    let wrong_aud = assertion(
        GitHubWorkflowRun {
            audience: "api://other".into(),
            ..GitHubWorkflowRun::example()
        },
        &mut ids,
    );
    let good = assertion(GitHubWorkflowRun::example(), &mut ids);
    let mut foreign = IdGen::new(8);
    let foreign_iss = {
        let tok = TokenIssuer::new(tenant(), 1)
            .issue_managed_identity_token(
                &mi_request(ManagedIdentityKind::SystemAssigned, &[]),
                &mut foreign,
            )
            .unwrap();
        tok.token
    };
    assert_eq!(send(&good, NOW + 60, &mut ids), None);
    assert_eq!(send(&wrong_aud, NOW, &mut ids), Some((400, 700212)));
    assert_eq!(send(&foreign_iss, NOW, &mut ids), Some((400, 700211)));
    assert_eq!(send(&other_issuer_key, NOW, &mut ids), Some((400, 50013)));
    assert_eq!(
        send(&good, NOW + GITHUB_TOKEN_LIFETIME + 301, &mut ids),
        Some((400, 700024))
    );
    assert_eq!(send("not-a-jwt", NOW, &mut ids), Some((400, 50027)));
}

#[test]
fn client_secret_grant_issues_a_one_hour_token_or_aadsts_errors() {
    let client = app_client();
    let t = issuer();
    let mut ids = IdGen::new(6);
    let ok = client_secret_token_request(
        tenant(),
        client.client_id,
        "https://management.azure.com/.default",
        "s3cr3t~value",
    );
    let out = t.token_endpoint(&ok, &client, &[], NOW, &mut ids);
    assert_eq!(out.response.status, 200);
    let tok = out.token.unwrap();
    assert_eq!(tok.claims["appidacr"], "1");
    assert_eq!(tok.claims["aud"], "https://management.azure.com");
    assert!(!tok.claims.contains_key("roles"));
    assert_eq!(
        (tok.expires_in(NOW), tok.expires_on - tok.issued_at),
        (3599, 3899)
    );
    let cases = [
        (
            client_secret_token_request(
                tenant(),
                client.client_id,
                "https://management.azure.com/.default",
                "wrong",
            ),
            401,
            7000215,
        ),
        (
            client_secret_token_request(
                tenant(),
                client.client_id,
                "https://management.azure.com/",
                "s3cr3t~value",
            ),
            400,
            1002012,
        ),
        (
            client_secret_token_request(
                tenant(),
                ClientId(Guid(7)),
                "https://management.azure.com/.default",
                "s3cr3t~value",
            ),
            400,
            700016,
        ),
        (
            HttpRequest::post_form(
                federation::LOGIN_HOST,
                "/t/oauth2/v2.0/token",
                &[("client_id", CLIENT)],
            ),
            400,
            900144,
        ),
        (
            HttpRequest::post_form(
                federation::LOGIN_HOST,
                "/t",
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", "11112222-bbbb-3333-cccc-4444dddd5555"),
                    ("scope", "x/.default"),
                ],
            ),
            401,
            7000218,
        ),
        (
            HttpRequest::new(
                crate::model::http::Method::Get,
                federation::LOGIN_HOST,
                "/t",
            ),
            400,
            900561,
        ),
    ];
    for (req, status, code) in cases {
        let out = t.token_endpoint(&req, &client, &[], NOW, &mut ids);
        let err = out.error.unwrap();
        assert_eq!(
            (out.response.status, err.status, err.code),
            (status, status, code),
            "{}",
            err.message
        );
        assert_eq!(
            out.response.json_body().unwrap()["error_codes"],
            json!([code])
        );
    }
    let wrong = client_secret_token_request(
        tenant(),
        client.client_id,
        "https://management.azure.com/.default",
        "wrong",
    );
    assert_eq!(
        t.token_endpoint(&wrong, &client, &[], NOW, &mut ids)
            .error
            .unwrap()
            .message,
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '11112222-bbbb-3333-cccc-4444dddd5555'."
    );
}

#[test]
fn federated_credential_rules_each_have_their_error() {
    let base = FederatedIdentityCredential::github_example();
    assert_eq!(base.validate(), Ok(()));
    let long = "x".repeat(601);
    let cases: Vec<(FederatedIdentityCredential, FicError)> = vec![
        (
            FederatedIdentityCredential {
                name: "ab".into(),
                ..base.clone()
            },
            FicError::NameLength { len: 2 },
        ),
        (
            FederatedIdentityCredential {
                name: "a".repeat(121),
                ..base.clone()
            },
            FicError::NameLength { len: 121 },
        ),
        (
            FederatedIdentityCredential {
                name: "-abc".into(),
                ..base.clone()
            },
            FicError::NameFirstChar,
        ),
        (
            FederatedIdentityCredential {
                name: "my cred".into(),
                ..base.clone()
            },
            FicError::NameChar { ch: ' ' },
        ),
        (
            FederatedIdentityCredential {
                issuer: " ".into(),
                ..base.clone()
            },
            FicError::Empty { field: "issuer" },
        ),
        (
            FederatedIdentityCredential {
                issuer: long.clone(),
                ..base.clone()
            },
            FicError::TooLong {
                field: "issuer",
                len: 601,
            },
        ),
        (
            FederatedIdentityCredential {
                subject: long.clone(),
                ..base.clone()
            },
            FicError::TooLong {
                field: "subject",
                len: 601,
            },
        ),
        (
            FederatedIdentityCredential {
                subject: "repo:octo-org/*".into(),
                ..base.clone()
            },
            FicError::Wildcard { field: "subject" },
        ),
        (
            FederatedIdentityCredential {
                issuer: "https://*.example".into(),
                ..base.clone()
            },
            FicError::Wildcard { field: "issuer" },
        ),
        (
            FederatedIdentityCredential {
                audiences: vec![],
                ..base.clone()
            },
            FicError::AudienceCount { count: 0 },
        ),
        (
            FederatedIdentityCredential {
                audiences: vec!["a".into(), "b".into()],
                ..base.clone()
            },
            FicError::AudienceCount { count: 2 },
        ),
        (
            FederatedIdentityCredential {
                description: Some(long.clone()),
                ..base.clone()
            },
            FicError::TooLong {
                field: "description",
                len: 601,
            },
        ),
    ];
    for (fic, expected) in cases {
        assert_eq!(fic.validate(), Err(expected.clone()), "{fic:?}");
    }
    assert_eq!(
        FicError::NameFirstChar.to_string(),
        "name must start with a letter or digit"
    );
    assert_eq!(
        FederatedIdentityCredential {
            name: "a".into(),
            subject: "*".into(),
            ..base
        }
        .problems(),
        [
            FicError::NameLength { len: 1 },
            FicError::Wildcard { field: "subject" }
        ]
    );
}

#[test]
fn github_subject_follows_environment_then_pull_request_then_ref() {
    let base = GitHubWorkflowRun::example();
    assert_eq!(
        base.subject(),
        "repo:octo-org/octo-repo:environment:Production"
    );
    let pr = GitHubWorkflowRun {
        environment: None,
        event_name: "pull_request".into(),
        ..base.clone()
    };
    assert_eq!(pr.subject(), "repo:octo-org/octo-repo:pull_request");
    let push = GitHubWorkflowRun {
        environment: None,
        ..base
    };
    assert_eq!(
        push.subject(),
        "repo:octo-org/octo-repo:ref:refs/heads/main"
    );
    let tok = GitHubWorkflowRun::example()
        .issue_assertion(NOW, &mut IdGen::new(1))
        .unwrap();
    assert_eq!(
        tok.claims["exp"].as_i64().unwrap() - tok.claims["iat"].as_i64().unwrap(),
        300
    );
    assert_eq!(tok.claims["iss"], GITHUB_ISSUER);
    assert_eq!(tok.claims["aud"], AZURE_AD_TOKEN_EXCHANGE);
}

#[test]
fn entra_timestamps_render_in_utc() {
    for (unix, text) in [
        (0, "1970-01-01 00:00:00Z"),
        (951_782_400, "2000-02-29 00:00:00Z"),
        (1_629_759_148, "2021-08-23 22:52:28Z"),
        (1_700_000_000, "2023-11-14 22:13:20Z"),
    ] {
        assert_eq!(format_entra_timestamp(unix), text);
    }
}
