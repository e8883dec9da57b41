//! HTTP/1.1 requests and responses as plain data: rendering to wire text, a forgiving but
//! precise parser for requests a person types, query strings, forms and percent-encoding.
//!
//! Every endpoint in the simulator takes an [`HttpRequest`] and returns an [`HttpResponse`], so
//! a walkthrough can show the exact bytes that would travel. Rendering uses CRLF line endings
//! (what goes on the wire); [`parse_request`] accepts CRLF or bare LF.

mod parse;
mod percent;

pub use parse::{HttpParseError, HttpParseErrorKind, parse_request};
pub use percent::{PercentError, parse_form, parse_query, percent_decode, percent_encode};

use std::fmt;

/// The request methods the simulator understands (RFC 9110 methods minus CONNECT and TRACE).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: IMDS, App Service and Arc token requests.
    Get,
    /// `POST`: the Entra token endpoint, Cloud Shell.
    Post,
    /// `PUT`: ARM writes.
    Put,
    /// `PATCH`: ARM partial updates.
    Patch,
    /// `DELETE`: ARM deletes.
    Delete,
    /// `HEAD`: like GET without a body.
    Head,
    /// `OPTIONS`: capability probes.
    Options,
}

impl Method {
    /// Every method, in the order error messages list them.
    pub const ALL: [Method; 7] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
    ];

    /// The method's name as it appears on the wire (upper case).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// The method with exactly this name; methods are case-sensitive (RFC 9110 §9.1).
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Headers in the order they were written; names compare case-insensitively on lookup.
pub type Headers = Vec<(String, String)>;

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// An HTTP/1.1 request. The target is in origin form (`/path?query`); the host travels in
/// the `Host` header, as on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// The request method.
    pub method: Method,
    /// The request target in origin form: path plus optional `?query`, still percent-encoded.
    pub target: String,
    /// Header lines in order, names as written.
    pub headers: Headers,
    /// The body text (empty for none).
    pub body: String,
}

impl HttpRequest {
    /// A request with a `Host` header and no body. `target` must be in origin form.
    pub fn new(method: Method, host: &str, target: &str) -> HttpRequest {
        HttpRequest {
            method,
            target: target.to_string(),
            headers: vec![("Host".to_string(), host.to_string())],
            body: String::new(),
        }
    }

    /// A GET to `host` for `path` with the query built from `params` (percent-encoded).
    pub fn get(host: &str, path: &str, params: &[(&str, &str)]) -> HttpRequest {
        HttpRequest::new(Method::Get, host, &build_target(path, params))
    }

    /// A POST with an `application/x-www-form-urlencoded` body built from `fields`, with
    /// `Content-Type` and `Content-Length` set.
    pub fn post_form(host: &str, path: &str, fields: &[(&str, &str)]) -> HttpRequest {
        HttpRequest::new(Method::Post, host, path)
            .with_header("Content-Type", "application/x-www-form-urlencoded")
            .with_body(&encode_pairs(fields))
    }

    /// The request with one more header appended.
    pub fn with_header(mut self, name: &str, value: &str) -> HttpRequest {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The request with `body` and a matching `Content-Length` header (replacing any other).
    pub fn with_body(mut self, body: &str) -> HttpRequest {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("Content-Length"));
        self.headers
            .push(("Content-Length".to_string(), body.len().to_string()));
        self.body = body.to_string();
        self
    }

    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Every value of headers called `name` (case-insensitive), in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Host` header, if any.
    pub fn host(&self) -> Option<&str> {
        self.header("Host")
    }

    /// The path part of the target (before `?`), still percent-encoded.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The raw query string (after the first `?`), if the target has one.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The decoded query parameters, duplicates kept in order (IMDS rejects duplicates, so
    /// endpoints need to see them).
    pub fn query_params(&self) -> Result<Vec<(String, String)>, PercentError> {
        parse_query(self.query().unwrap_or(""))
    }

    /// The decoded form fields of an `application/x-www-form-urlencoded` body.
    pub fn form_fields(&self) -> Result<Vec<(String, String)>, PercentError> {
        parse_form(&self.body)
    }

    /// The request as HTTP/1.1 wire text with CRLF line endings. Headers are written as
    /// given; nothing is added, so `parse_request(&r.to_text()) == Ok(r)` for well-formed `r`.
    pub fn to_text(&self) -> String {
        let mut out = format!("{} {} HTTP/1.1\r\n", self.method, self.target);
        write_headers(&mut out, &self.headers);
        out.push_str(&self.body);
        out
    }
}

fn write_headers(out: &mut String, headers: &[(String, String)]) {
    for (name, value) in headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
}

/// An HTTP/1.1 response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code, e.g. 200.
    pub status: u16,
    /// The reason phrase, e.g. `OK`.
    pub reason: String,
    /// Header lines in order.
    pub headers: Headers,
    /// The body text.
    pub body: String,
}

impl HttpResponse {
    /// A response with the standard reason phrase for `status`, no headers and no body.
    pub fn new(status: u16) -> HttpResponse {
        HttpResponse {
            status,
            reason: reason_phrase(status).to_string(),
            headers: Vec::new(),
            body: String::new(),
        }
    }

    /// A response whose body is `body` serialized compactly (key order preserved), with
    /// `Content-Type: application/json; charset=utf-8` and `Content-Length`.
    pub fn json(status: u16, body: &serde_json::Value) -> HttpResponse {
        HttpResponse::json_text(status, &body.to_string())
    }

    /// A JSON response whose body is given as exact text (for bodies the reference quotes
    /// byte for byte), with the same headers as [`HttpResponse::json`].
    pub fn json_text(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status)
            .with_header("Content-Type", "application/json; charset=utf-8")
            .with_body(body)
    }

    /// The response with one more header appended.
    pub fn with_header(mut self, name: &str, value: &str) -> HttpResponse {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The response with `body` and a matching `Content-Length` header (replacing any other).
    pub fn with_body(mut self, body: &str) -> HttpResponse {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("Content-Length"));
        self.headers
            .push(("Content-Length".to_string(), body.len().to_string()));
        self.body = body.to_string();
        self
    }

    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The response as HTTP/1.1 wire text with CRLF line endings.
    pub fn to_text(&self) -> String {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason);
        write_headers(&mut out, &self.headers);
        out.push_str(&self.body);
        out
    }
}

/// The standard reason phrase for a status code (RFC 9110), or `Unknown`.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// `key=value` pairs joined with `&`, each side percent-encoded with [`percent_encode`].
pub fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// An origin-form target: `path`, then `?` and the encoded `params` if there are any.
pub fn build_target(path: &str, params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", encode_pairs(params))
    }
}

/// An absolute `http`/`https` URL split into what an [`HttpRequest`] needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`.
    pub scheme: String,
    /// Host, with `:port` when one was written (the `Host` header value).
    pub host: String,
    /// Origin-form target: path (at least `/`) and optional `?query`.
    pub target: String,
}

/// Why a URL could not be split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// The URL does not start with `http://` or `https://`.
    UnsupportedScheme {
        /// The URL as given.
        url: String,
    },
    /// Nothing between the scheme and the path.
    MissingHost {
        /// The URL as given.
        url: String,
    },
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::UnsupportedScheme { url } => {
                write!(f, "\"{url}\" does not start with http:// or https://")
            }
            UrlError::MissingHost { url } => write!(f, "\"{url}\" has no host"),
        }
    }
}

impl Url {
    /// Splits `http://host[:port]/path?query` (e.g. an `IDENTITY_ENDPOINT` value).
    pub fn parse(url: &str) -> Result<Url, UrlError> {
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("http://") {
            ("http", rest)
        } else if let Some(rest) = url.strip_prefix("https://") {
            ("https", rest)
        } else {
            return Err(UrlError::UnsupportedScheme {
                url: url.to_string(),
            });
        };
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (host, tail) = rest.split_at(split);
        if host.is_empty() {
            return Err(UrlError::MissingHost {
                url: url.to_string(),
            });
        }
        let target = if tail.starts_with('/') {
            tail.to_string()
        } else {
            format!("/{tail}")
        };
        Ok(Url {
            scheme: scheme.to_string(),
            host: host.to_string(),
            target,
        })
    }

    /// The URL with `params` appended to its query (joined with `&` if it already has one).
    pub fn with_params(mut self, params: &[(&str, &str)]) -> Url {
        if !params.is_empty() {
            let sep = if self.target.contains('?') { '&' } else { '?' };
            self.target = format!("{}{sep}{}", self.target, encode_pairs(params));
        }
        self
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.host, self.target)
    }
}

#[cfg(test)]
mod tests;
