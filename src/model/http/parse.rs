//! The parser for raw HTTP/1.1 requests typed or pasted by a person: strict where a real
//! server is strict, and every error says what is wrong and where (line, and column when a
//! single spot is to blame).
//!
//! Leniencies, each deliberate: bare LF line ends are accepted; blank lines before the
//! request line are skipped (RFC 9112 §2.2 allows it); a missing final blank line ends the
//! headers; line breaks after a body of exactly `Content-Length` bytes are ignored (a server
//! reads `Content-Length` bytes and would skip the rest as empty lines). A body on GET is
//! syntactically legal and is accepted; endpoints decide what they make of it.

use super::{HttpRequest, Method};
use std::fmt;

/// A parse failure: what went wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpParseError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column (in characters) when one spot is to blame.
    pub column: Option<usize>,
    /// What went wrong.
    pub kind: HttpParseErrorKind,
}

/// What went wrong while parsing a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpParseErrorKind {
    /// Nothing but blank space.
    Empty,
    /// The first line is not three space-separated parts.
    RequestLine {
        /// The line as written.
        found: String,
    },
    /// The method is not one the simulator knows (methods are case-sensitive).
    UnknownMethod {
        /// The method as written.
        found: String,
    },
    /// The target does not start with `/`.
    TargetNotOriginForm {
        /// The target as written.
        found: String,
    },
    /// A character that must be percent-encoded appears in the target.
    InvalidTargetChar {
        /// The character.
        ch: char,
    },
    /// A `%` in the target is not followed by two hex digits.
    BadPercentEscape {
        /// The `%` and up to two following characters.
        found: String,
    },
    /// The protocol is not `HTTP/1.1`.
    UnsupportedVersion {
        /// The version as written.
        found: String,
    },
    /// A header line starts with a space or tab (obsolete line folding).
    ObsoleteLineFolding,
    /// A header line has no `:`.
    HeaderWithoutColon,
    /// A header line starts with `:`.
    EmptyHeaderName,
    /// Space or tab between the header name and `:` (RFC 9112 §5.1 requires rejection).
    WhitespaceBeforeColon,
    /// A character that is not allowed in a header name.
    InvalidHeaderNameChar {
        /// The character.
        ch: char,
    },
    /// A control character in a header value.
    InvalidHeaderValueChar {
        /// The character.
        ch: char,
    },
    /// No `Host` header.
    MissingHost,
    /// More than one `Host` header.
    DuplicateHost,
    /// `Content-Length` is not a decimal number.
    BadContentLength {
        /// The value as written.
        value: String,
    },
    /// Two `Content-Length` headers disagree.
    ConflictingContentLength,
    /// `Transfer-Encoding` (chunked bodies) is not simulated.
    TransferEncodingUnsupported,
    /// The body length differs from `Content-Length`.
    ContentLengthMismatch {
        /// What `Content-Length` says.
        declared: usize,
        /// The body's length in bytes.
        actual: usize,
    },
    /// A body without `Content-Length`, which a server would not read.
    BodyWithoutContentLength {
        /// The body's length in bytes.
        actual: usize,
    },
}

impl fmt::Display for HttpParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use HttpParseErrorKind as K;
        match self {
            K::Empty => f.write_str("the request is empty (expected \"METHOD TARGET HTTP/1.1\")"),
            K::RequestLine { found } => {
                write!(f, "expected \"METHOD TARGET HTTP/1.1\", found \"{found}\"")
            }
            K::UnknownMethod { found } => match Method::from_name(&found.to_ascii_uppercase()) {
                Some(m) => write!(
                    f,
                    "unknown method \"{found}\" (methods are case-sensitive: write \"{m}\")"
                ),
                None => write!(
                    f,
                    "unknown method \"{found}\" (expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)"
                ),
            },
            K::TargetNotOriginForm { found } => {
                if found.starts_with("http://") || found.starts_with("https://") {
                    write!(
                        f,
                        "request target \"{found}\" is a full URL; write only the path and query here and the host in a Host header"
                    )
                } else {
                    write!(f, "request target \"{found}\" must start with '/'")
                }
            }
            K::InvalidTargetChar { ch } => write!(
                f,
                "character {ch:?} is not allowed in the request target (percent-encode it)"
            ),
            K::BadPercentEscape { found } => write!(
                f,
                "bad percent escape \"{found}\" ('%' must be followed by two hex digits)"
            ),
            K::UnsupportedVersion { found } => {
                write!(
                    f,
                    "unsupported protocol version \"{found}\" (expected HTTP/1.1)"
                )
            }
            K::ObsoleteLineFolding => f.write_str(
                "header line starts with whitespace (obsolete line folding is not allowed)",
            ),
            K::HeaderWithoutColon => f.write_str("header line has no ':'"),
            K::EmptyHeaderName => f.write_str("header name is empty"),
            K::WhitespaceBeforeColon => f.write_str("whitespace between header name and ':'"),
            K::InvalidHeaderNameChar { ch } => {
                write!(f, "character {ch:?} is not allowed in a header name")
            }
            K::InvalidHeaderValueChar { ch } => {
                write!(f, "control character {ch:?} in header value")
            }
            K::MissingHost => f.write_str("no Host header (HTTP/1.1 requires one)"),
            K::DuplicateHost => f.write_str("second Host header (a request has exactly one)"),
            K::BadContentLength { value } => {
                write!(f, "Content-Length \"{value}\" is not a number of bytes")
            }
            K::ConflictingContentLength => {
                f.write_str("second Content-Length header with a different value")
            }
            K::TransferEncodingUnsupported => f.write_str(
                "Transfer-Encoding is not simulated; send the body with a Content-Length instead",
            ),
            K::ContentLengthMismatch { declared, actual } => write!(
                f,
                "Content-Length says {declared} bytes but the body has {actual} bytes"
            ),
            K::BodyWithoutContentLength { actual } => write!(
                f,
                "body of {actual} bytes but no Content-Length header (a server would not read it)"
            ),
        }
    }
}

impl fmt::Display for HttpParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.kind),
            None => write!(f, "line {}: {}", self.line, self.kind),
        }
    }
}

impl std::error::Error for HttpParseError {}

fn err(line: usize, column: Option<usize>, kind: HttpParseErrorKind) -> HttpParseError {
    HttpParseError { line, column, kind }
}

/// Walks lines ending in LF or CRLF, remembering where the unread rest begins.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    number: usize,
}

impl<'a> Lines<'a> {
    /// The next line without its line ending, and its 1-based number.
    fn next_line(&mut self) -> Option<(usize, &'a str)> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        self.number += 1;
        Some((self.number, line.strip_suffix('\r').unwrap_or(line)))
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Parses one HTTP/1.1 request. Never panics; see the module notes for what is accepted.
pub fn parse_request(text: &str) -> Result<HttpRequest, HttpParseError> {
    use HttpParseErrorKind as K;
    let mut lines = Lines {
        text,
        pos: 0,
        number: 0,
    };
    let (number, request_line) = loop {
        match lines.next_line() {
            None => return Err(err(1, None, K::Empty)),
            Some((_, l)) if l.trim().is_empty() => continue,
            Some(found) => break found,
        }
    };
    let (method, target) = parse_request_line(number, request_line)?;

    let mut headers: Vec<(String, String)> = Vec::new();
    let mut host_seen = false;
    let mut content_length: Option<usize> = None;
    let mut end_line = number + 1;
    while let Some((n, line)) = lines.next_line() {
        end_line = n;
        if line.is_empty() {
            break;
        }
        let (name, value) = parse_header_line(n, line)?;
        if name.eq_ignore_ascii_case("Host") {
            if host_seen {
                return Err(err(n, Some(1), K::DuplicateHost));
            }
            host_seen = true;
        } else if name.eq_ignore_ascii_case("Content-Length") {
            let leading_blank = line.split_once(':').map_or(0, |(_, v)| {
                v.chars().take_while(|c| *c == ' ' || *c == '\t').count()
            });
            let column = name.chars().count() + 2 + leading_blank;
            let parsed = if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) {
                value.parse::<usize>().ok()
            } else {
                None
            };
            let Some(declared) = parsed else {
                return Err(err(
                    n,
                    Some(column),
                    K::BadContentLength {
                        value: value.clone(),
                    },
                ));
            };
            if content_length.is_some_and(|c| c != declared) {
                return Err(err(n, Some(1), K::ConflictingContentLength));
            }
            content_length = Some(declared);
        } else if name.eq_ignore_ascii_case("Transfer-Encoding") {
            return Err(err(n, Some(1), K::TransferEncodingUnsupported));
        }
        headers.push((name, value));
    }
    if !host_seen {
        return Err(err(end_line, None, K::MissingHost));
    }

    let rest = lines.rest();
    let body_line = lines.number + 1;
    let only_line_breaks = |s: &str| s.chars().all(|c| c == '\r' || c == '\n');
    let body = match content_length {
        Some(declared) => match rest.get(..declared) {
            Some(body) if only_line_breaks(&rest[declared..]) => body.to_string(),
            _ => {
                let actual = if rest.len() > declared {
                    rest.trim_end_matches(['\r', '\n']).len()
                } else {
                    rest.len()
                };
                return Err(err(
                    body_line,
                    None,
                    K::ContentLengthMismatch { declared, actual },
                ));
            }
        },
        None if only_line_breaks(rest) => String::new(),
        None => {
            return Err(err(
                body_line,
                None,
                K::BodyWithoutContentLength { actual: rest.len() },
            ));
        }
    };
    Ok(HttpRequest {
        method,
        target,
        headers,
        body,
    })
}

fn parse_request_line(n: usize, line: &str) -> Result<(Method, String), HttpParseError> {
    use HttpParseErrorKind as K;
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(err(
            n,
            None,
            K::RequestLine {
                found: line.to_string(),
            },
        ));
    };
    if method.is_empty() || target.is_empty() || version.is_empty() {
        return Err(err(
            n,
            None,
            K::RequestLine {
                found: line.to_string(),
            },
        ));
    }
    let Some(method_value) = Method::from_name(method) else {
        return Err(err(
            n,
            Some(1),
            K::UnknownMethod {
                found: method.to_string(),
            },
        ));
    };
    let target_column = method.chars().count() + 2;
    if !target.starts_with('/') {
        return Err(err(
            n,
            Some(target_column),
            K::TargetNotOriginForm {
                found: target.to_string(),
            },
        ));
    }
    let chars: Vec<char> = target.chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        let column = target_column + i;
        if ch.is_control() || !ch.is_ascii() || "\"<>\\^`{|}".contains(ch) {
            return Err(err(n, Some(column), K::InvalidTargetChar { ch }));
        }
        if ch == '%' {
            let hex = |k: usize| chars.get(k).is_some_and(|c| c.is_ascii_hexdigit());
            if !(hex(i + 1) && hex(i + 2)) {
                let found: String = chars[i..chars.len().min(i + 3)].iter().collect();
                return Err(err(n, Some(column), K::BadPercentEscape { found }));
            }
        }
    }
    if version != "HTTP/1.1" {
        return Err(err(
            n,
            Some(target_column + chars.len() + 1),
            K::UnsupportedVersion {
                found: version.to_string(),
            },
        ));
    }
    Ok((method_value, target.to_string()))
}

fn parse_header_line(n: usize, line: &str) -> Result<(String, String), HttpParseError> {
    use HttpParseErrorKind as K;
    if line.starts_with([' ', '\t']) {
        return Err(err(n, Some(1), K::ObsoleteLineFolding));
    }
    let Some((name, raw_value)) = line.split_once(':') else {
        return Err(err(n, Some(1), K::HeaderWithoutColon));
    };
    if name.is_empty() {
        return Err(err(n, Some(1), K::EmptyHeaderName));
    }
    for (i, ch) in name.chars().enumerate() {
        if ch == ' ' || ch == '\t' {
            let rest_blank = name.chars().skip(i).all(|c| c == ' ' || c == '\t');
            let kind = if rest_blank {
                K::WhitespaceBeforeColon
            } else {
                K::InvalidHeaderNameChar { ch }
            };
            return Err(err(n, Some(i + 1), kind));
        }
        if !is_tchar(ch) {
            return Err(err(n, Some(i + 1), K::InvalidHeaderNameChar { ch }));
        }
    }
    let value_start = name.chars().count() + 2;
    for (i, ch) in raw_value.chars().enumerate() {
        if ch.is_control() && ch != '\t' {
            return Err(err(
                n,
                Some(value_start + i),
                K::InvalidHeaderValueChar { ch },
            ));
        }
    }
    let value = raw_value.trim_matches([' ', '\t']);
    Ok((name.to_string(), value.to_string()))
}
