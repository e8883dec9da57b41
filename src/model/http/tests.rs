//! Tests for HTTP rendering, parsing, query strings and URLs.

use super::*;
use crate::model::ids::IdGen;

fn imds_request() -> HttpRequest {
    HttpRequest::get(
        "169.254.169.254",
        "/metadata/identity/oauth2/token",
        &[
            ("api-version", "2018-02-01"),
            ("resource", "https://vault.azure.net"),
        ],
    )
    .with_header("Metadata", "true")
}

#[test]
fn imds_request_renders_as_exact_http_text() {
    assert_eq!(
        imds_request().to_text(),
        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1\r\nHost: 169.254.169.254\r\nMetadata: true\r\n\r\n"
    );
}

#[test]
fn response_renders_status_line_headers_and_body() {
    let r = HttpResponse::json(400, &serde_json::json!({"error": "invalid_request"}));
    assert_eq!(
        r.to_text(),
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 27\r\n\r\n{\"error\":\"invalid_request\"}"
    );
    assert_eq!(r.header("content-length"), Some("27"));
}

#[test]
fn well_formed_requests_round_trip_through_text() {
    let requests = [
        imds_request(),
        HttpRequest::post_form(
            "login.microsoftonline.com",
            "/tenant/oauth2/v2.0/token",
            &[
                ("scope", "https://graph.microsoft.com/.default"),
                ("grant_type", "client_credentials"),
            ],
        ),
        HttpRequest::new(
            Method::Delete,
            "management.azure.com",
            "/subscriptions/1?api-version=2022-01-01",
        )
        .with_header("Authorization", "Bearer abc.def.ghi"),
        HttpRequest::new(Method::Get, "localhost:40342", "/").with_header("X-Empty", ""),
        HttpRequest::new(Method::Put, "h", "/x").with_body("é and \r\n lines"),
    ];
    for r in requests {
        assert_eq!(
            parse_request(&r.to_text()),
            Ok(r.clone()),
            "{}",
            r.to_text()
        );
    }
}

#[test]
fn parser_accepts_lf_line_ends_leading_blank_lines_and_a_missing_final_blank_line() {
    let expected =
        HttpRequest::new(Method::Get, "169.254.169.254", "/x?a=1").with_header("Metadata", "true");
    for text in [
        "GET /x?a=1 HTTP/1.1\nHost: 169.254.169.254\nMetadata: true\n\n",
        "\r\n\nGET /x?a=1 HTTP/1.1\r\nHost: 169.254.169.254\r\nMetadata:   true  \r\n",
        "GET /x?a=1 HTTP/1.1\nHost:169.254.169.254\nMetadata: true",
        "GET /x?a=1 HTTP/1.1\nHost: 169.254.169.254\nMetadata: true\n\n\n\n",
    ] {
        assert_eq!(parse_request(text), Ok(expected.clone()), "{text:?}");
    }
}

#[test]
fn body_of_exactly_content_length_bytes_may_be_followed_by_line_breaks() {
    let r = parse_request("POST /t HTTP/1.1\nHost: h\nContent-Length: 3\n\na=1\n").unwrap();
    assert_eq!(r.body, "a=1");
    assert_eq!(r.form_fields(), Ok(vec![("a".into(), "1".into())]));
}

#[test]
fn body_on_get_with_content_length_is_accepted() {
    let r = parse_request("GET /t HTTP/1.1\nHost: h\nContent-Length: 2\n\nhi").unwrap();
    assert_eq!((r.method, r.body.as_str()), (Method::Get, "hi"));
}

#[test]
fn malformed_requests_get_a_message_saying_what_and_where() {
    let cases = [
        (
            "",
            "line 1: the request is empty (expected \"METHOD TARGET HTTP/1.1\")",
        ),
        (
            "\n\n  \n",
            "line 1: the request is empty (expected \"METHOD TARGET HTTP/1.1\")",
        ),
        (
            "GETT /x",
            "line 1: expected \"METHOD TARGET HTTP/1.1\", found \"GETT /x\"",
        ),
        (
            "GET  /x HTTP/1.1",
            "line 1: expected \"METHOD TARGET HTTP/1.1\", found \"GET  /x HTTP/1.1\"",
        ),
        (
            "GET /a b HTTP/1.1",
            "line 1: expected \"METHOD TARGET HTTP/1.1\", found \"GET /a b HTTP/1.1\"",
        ),
        (
            "GETT /x HTTP/1.1\nHost: h\n\n",
            "line 1, column 1: unknown method \"GETT\" (expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)",
        ),
        (
            "get /x HTTP/1.1\nHost: h\n\n",
            "line 1, column 1: unknown method \"get\" (methods are case-sensitive: write \"GET\")",
        ),
        (
            "GET x HTTP/1.1\nHost: h\n\n",
            "line 1, column 5: request target \"x\" must start with '/'",
        ),
        (
            "GET http://169.254.169.254/x HTTP/1.1\nHost: h\n\n",
            "line 1, column 5: request target \"http://169.254.169.254/x\" is a full URL; write only the path and query here and the host in a Host header",
        ),
        (
            "GET /token?resource=https%3A%2Fvault%zz HTTP/1.1\nHost: h\n\n",
            "line 1, column 37: bad percent escape \"%zz\" ('%' must be followed by two hex digits)",
        ),
        (
            "GET /token?a=%4 HTTP/1.1\nHost: h\n\n",
            "line 1, column 14: bad percent escape \"%4\" ('%' must be followed by two hex digits)",
        ),
        (
            "GET /token?a=é HTTP/1.1\nHost: h\n\n",
            "line 1, column 14: character 'é' is not allowed in the request target (percent-encode it)",
        ),
        (
            "GET /x HTTP/1.0\nHost: h\n\n",
            "line 1, column 8: unsupported protocol version \"HTTP/1.0\" (expected HTTP/1.1)",
        ),
        (
            "GET /x HTTP/1.1\nHost: h\nMetadata true\n\n",
            "line 3, column 1: header line has no ':'",
        ),
        (
            "GET /x HTTP/1.1\nHost: h\n: true\n\n",
            "line 3, column 1: header name is empty",
        ),
        (
            "GET /x HTTP/1.1\nHost: h\nMetadata : true\n\n",
            "line 3, column 9: whitespace between header name and ':'",
        ),
        (
            "GET /x HTTP/1.1\nHost: h\nMeta data: true\n\n",
            "line 3, column 5: character ' ' is not allowed in a header name",
        ),
        (
            "GET /x HTTP/1.1\nHost: h\nMeta(data): true\n\n",
            "line 3, column 5: character '(' is not allowed in a header name",
        ),
        (
            "GET /x HTTP/1.1\nHost: h\nMetadata: tr\u{7}ue\n\n",
            "line 3, column 13: control character '\\u{7}' in header value",
        ),
        (
            "GET /x HTTP/1.1\nHost: h\n  folded\n\n",
            "line 3, column 1: header line starts with whitespace (obsolete line folding is not allowed)",
        ),
        (
            "GET /x HTTP/1.1\nMetadata: true\n\n",
            "line 3: no Host header (HTTP/1.1 requires one)",
        ),
        (
            "GET /x HTTP/1.1\nMetadata: true",
            "line 2: no Host header (HTTP/1.1 requires one)",
        ),
        (
            "GET /x HTTP/1.1\nHost: a\nhost: b\n\n",
            "line 3, column 1: second Host header (a request has exactly one)",
        ),
        (
            "POST /x HTTP/1.1\nHost: h\nContent-Length:  12a\n\n",
            "line 3, column 18: Content-Length \"12a\" is not a number of bytes",
        ),
        (
            "POST /x HTTP/1.1\nHost: h\nContent-Length: 1\nContent-Length: 2\n\nab",
            "line 4, column 1: second Content-Length header with a different value",
        ),
        (
            "POST /x HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n",
            "line 3, column 1: Transfer-Encoding is not simulated; send the body with a Content-Length instead",
        ),
        (
            "POST /x HTTP/1.1\nHost: h\nContent-Length: 5\n\nresource=x",
            "line 5: Content-Length says 5 bytes but the body has 10 bytes",
        ),
        (
            "POST /x HTTP/1.1\nHost: h\nContent-Length: 50\n\nresource=x\n",
            "line 5: Content-Length says 50 bytes but the body has 11 bytes",
        ),
        (
            "POST /x HTTP/1.1\r\nHost: h\r\n\r\nresource=x",
            "line 4: body of 10 bytes but no Content-Length header (a server would not read it)",
        ),
    ];
    for (text, expected) in cases {
        let got = parse_request(text).map_err(|e| e.to_string());
        assert_eq!(got, Err(expected.to_string()), "{text:?}");
    }
}

#[test]
fn parser_never_panics_on_prefixes_or_random_input() {
    let valid = HttpRequest::post_form(
        "login.microsoftonline.com",
        "/t/oauth2/v2.0/token?x=%41é",
        &[
            ("scope", "https://graph.microsoft.com/.default"),
            ("é", "ü"),
        ],
    )
    .with_header("Métadata", "true")
    .to_text();
    for (i, _) in valid.char_indices() {
        let _ = parse_request(&valid[..i]);
        let _ = parse_request(&valid[i..]);
    }
    let alphabet: Vec<char> =
        "GET POST/ HTTP/1.1\r\n:%Host Content-Length0123456789 \t?&=aé\u{0}\u{7f}"
            .chars()
            .collect();
    let mut ids = IdGen::new(42);
    for round in 0..3000 {
        let len = (ids.next_u64() % 120) as usize;
        let text: String = if round % 2 == 0 {
            String::from_utf8_lossy(&ids.bytes(len)).into_owned()
        } else {
            (0..len)
                .map(|_| alphabet[(ids.next_u64() % alphabet.len() as u64) as usize])
                .collect()
        };
        let _ = parse_request(&text);
        let _ = parse_query(&text);
        let _ = Url::parse(&text);
    }
}

#[test]
fn query_parameters_are_decoded_in_order_with_duplicates_kept() {
    let r = HttpRequest::new(
        Method::Get,
        "h",
        "/t?resource=https%3A%2F%2Fvault.azure.net&api-version=2018-02-01&resource=x+y&flag&&e=",
    );
    assert_eq!(
        r.query_params(),
        Ok(vec![
            ("resource".into(), "https://vault.azure.net".into()),
            ("api-version".into(), "2018-02-01".into()),
            ("resource".into(), "x y".into()),
            ("flag".into(), "".into()),
            ("e".into(), "".into()),
        ])
    );
    assert_eq!(r.path(), "/t");
}

#[test]
fn bad_query_escapes_report_their_offset() {
    let cases = [
        (
            "a=%zz",
            PercentError::BadEscape {
                offset: 2,
                found: "%zz".into(),
            },
        ),
        (
            "ok=1&b%2=1",
            PercentError::BadEscape {
                offset: 6,
                found: "%2".into(),
            },
        ),
        (
            "a=1&b=%",
            PercentError::BadEscape {
                offset: 6,
                found: "%".into(),
            },
        ),
        ("a=%FF", PercentError::NotUtf8 { offset: 2 }),
    ];
    for (query, expected) in cases {
        assert_eq!(parse_query(query), Err(expected), "{query}");
    }
}

#[test]
fn percent_encoding_keeps_only_unreserved_characters() {
    assert_eq!(
        percent_encode("https://vault.azure.net"),
        "https%3A%2F%2Fvault.azure.net"
    );
    assert_eq!(
        percent_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
    );
    assert_eq!(percent_encode("a b~é"), "a%20b~%C3%A9");
    assert_eq!(percent_decode("a%20b~%C3%A9+", false), Ok("a b~é+".into()));
}

#[test]
fn urls_split_into_host_and_origin_form_target() {
    let url = Url::parse("http://localhost:40342/metadata/identity/oauth2/token").unwrap();
    assert_eq!(url.host, "localhost:40342");
    assert_eq!(url.target, "/metadata/identity/oauth2/token");
    let with = url.with_params(&[
        ("api-version", "2020-06-01"),
        ("resource", "https://management.azure.com/"),
    ]);
    assert_eq!(
        with.to_string(),
        "http://localhost:40342/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https%3A%2F%2Fmanagement.azure.com%2F"
    );
    assert_eq!(Url::parse("https://h?x=1").unwrap().target, "/?x=1");
    assert_eq!(
        Url::parse("ftp://h").unwrap_err().to_string(),
        "\"ftp://h\" does not start with http:// or https://"
    );
    assert_eq!(
        Url::parse("http:///x").unwrap_err().to_string(),
        "\"http:///x\" has no host"
    );
}
