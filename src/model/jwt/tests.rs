//! Tests for JWT encoding, decoding and the claim checks (signature tests live with the
//! token service, which owns the keys).

use super::*;

fn obj(v: Value) -> JsonObject {
    match v {
        Value::Object(o) => o,
        _ => JsonObject::new(),
    }
}

#[test]
fn base64url_has_no_padding_and_uses_the_url_alphabet() {
    assert_eq!(b64url_encode(&[0xfb, 0xff]), "-_8");
    assert_eq!(b64url_decode("-_8", "x"), Ok(vec![0xfb, 0xff]));
    assert_eq!(
        b64url_decode("-_8=", "signature"),
        Err(JwtError::Malformed {
            what: "signature is not base64url".into()
        })
    );
    assert_eq!(b64_standard_encode(&[0xfb, 0xff]), "+/8=");
}

#[test]
fn malformed_tokens_say_which_part_is_wrong() {
    let header = b64url_encode(br#"{"alg":"RS256"}"#);
    let payload = b64url_encode(br#"{"aud":"x"}"#);
    let cases = [
        ("", "a JWT has 3 parts separated by '.', this has 1"),
        ("a.b", "a JWT has 3 parts separated by '.', this has 2"),
        ("a.b.c.d", "a JWT has 3 parts separated by '.', this has 4"),
        ("a*.b.c", "header is not base64url"),
        (
            &*format!("{}.{payload}.", b64url_encode(b"[1]")),
            "header is not a JSON object",
        ),
        (
            &*format!("{header}.{}.", b64url_encode(b"nope")),
            "payload is not a JSON object",
        ),
        (
            &*format!("{header}.{payload}.%%"),
            "signature is not base64url",
        ),
    ];
    for (token, what) in cases {
        assert_eq!(
            decode_unverified(token),
            Err(JwtError::Malformed { what: what.into() }),
            "{token}"
        );
    }
}

#[test]
fn decoding_keeps_header_and_claim_order() {
    let token = format!(
        "{}.{}.{}",
        b64url_encode(br#"{"typ":"JWT","alg":"RS256","kid":"k"}"#),
        b64url_encode(br#"{"zeta":1,"aud":"a","iat":5}"#),
        b64url_encode(&[1, 2, 3])
    );
    let d = decode_unverified(&format!(" {token}\n")).unwrap();
    assert_eq!(d.header.keys().collect::<Vec<_>>(), ["typ", "alg", "kid"]);
    assert_eq!(d.claims.keys().collect::<Vec<_>>(), ["zeta", "aud", "iat"]);
    assert_eq!(d.signature, vec![1, 2, 3]);
    assert_eq!(
        (d.claim_str("aud"), d.claim_i64("iat")),
        (Some("a"), Some(5))
    );
}

#[test]
fn lifetime_checks_allow_five_minutes_of_clock_skew() {
    let claims = obj(json!({"nbf": 1000, "exp": 2000}));
    let s = DEFAULT_CLOCK_SKEW_SECONDS;
    let cases = [
        (1500, Ok(())),
        (700, Ok(())),
        (
            699,
            Err(JwtError::NotYetValid {
                nbf: 1000,
                now: 699,
            }),
        ),
        (2300, Ok(())),
        (
            2301,
            Err(JwtError::Expired {
                exp: 2000,
                now: 2301,
            }),
        ),
    ];
    for (now, expected) in cases {
        assert_eq!(check_lifetime(&claims, now, s), expected, "now={now}");
    }
    assert_eq!(
        check_lifetime(&obj(json!({"nbf": 1})), 1, s),
        Err(JwtError::MissingClaim { name: "exp".into() })
    );
    assert_eq!(
        check_lifetime(&obj(json!({"exp": "soon"})), 1, s),
        Err(JwtError::MissingClaim { name: "exp".into() })
    );
}

#[test]
fn issuer_and_audience_must_match_exactly() {
    let claims =
        obj(json!({"iss": "https://sts.windows.net/t/", "aud": ["https://vault.azure.net", "x"]}));
    let accept = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        check_issuer(&claims, &accept(&["https://sts.windows.net/t/"])),
        Ok(())
    );
    assert_eq!(
        check_issuer(&claims, &accept(&["https://sts.windows.net/u/"])),
        Err(JwtError::WrongIssuer {
            expected: accept(&["https://sts.windows.net/u/"]),
            found: "https://sts.windows.net/t/".into()
        })
    );
    assert_eq!(check_audience(&claims, &accept(&["x"])), Ok(()));
    let err = check_audience(&claims, &accept(&["https://vault.azure.net/"])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "audience \"https://vault.azure.net\", \"x\" is not accepted (expected https://vault.azure.net/)"
    );
    assert_eq!(
        check_audience(&obj(json!({})), &accept(&["x"])),
        Err(JwtError::MissingClaim { name: "aud".into() })
    );
}

#[test]
fn published_keys_that_are_not_usable_rsa_keys_are_bad_keys() {
    // A 2,048-bit odd modulus, and variants of it.
    let modulus = [vec![0xc5; 255], vec![0x01]].concat();
    let n = b64url_encode(&modulus);
    let even = b64url_encode(&[vec![0xc5; 255], vec![0x02]].concat());
    let short = b64url_encode(&[vec![0x7f; 127], vec![0x01]].concat());
    let header = b64url_encode(br#"{"alg":"RS256","kid":"k"}"#);
    let token = format!("{header}.{}.AAAA", b64url_encode(b"{}"));
    let jwk = |kty: &str, n: &str, e: &str| Jwk {
        kty: kty.to_string(),
        key_use: "sig".to_string(),
        kid: "k".to_string(),
        x5t: None,
        n: n.to_string(),
        e: e.to_string(),
        alg: None,
    };
    let bad_key = JwtError::BadKey { kid: "k".into() };
    let cases = [
        ("not RSA", jwk("EC", &n, "AQAB"), bad_key.clone()),
        ("n not base64url", jwk("RSA", "%%", "AQAB"), bad_key.clone()),
        ("n empty", jwk("RSA", "", "AQAB"), bad_key.clone()),
        ("n even", jwk("RSA", &even, "AQAB"), bad_key.clone()),
        (
            "n of 1,023 bits",
            jwk("RSA", &short, "AQAB"),
            bad_key.clone(),
        ),
        ("e empty", jwk("RSA", &n, ""), bad_key.clone()),
        ("e = 1", jwk("RSA", &n, "AQ"), bad_key.clone()),
        ("e even", jwk("RSA", &n, "AQAA"), bad_key.clone()),
        ("e above 2^33", jwk("RSA", &n, "AgAAAAE"), bad_key.clone()),
        // A usable key: the three-byte signature is then simply wrong.
        ("usable", jwk("RSA", &n, "AQAB"), JwtError::BadSignature),
    ];
    for (name, key, expected) in cases {
        let jwks = Jwks { keys: vec![key] };
        assert_eq!(
            verify_signature(&token, &jwks).map(|_| ()),
            Err(expected),
            "{name}"
        );
    }
}
