//! Percent-encoding (RFC 3986) and `application/x-www-form-urlencoded` pairs, keeping
//! duplicates and reporting bad escapes with their position.

use std::fmt;

/// Why percent-decoding failed, with the position of the offending text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PercentError {
    /// A `%` not followed by two hex digits.
    BadEscape {
        /// 0-based character offset of the `%` in the decoded text.
        offset: usize,
        /// The `%` and up to two following characters, as written.
        found: String,
    },
    /// The escapes decode to bytes that are not UTF-8.
    NotUtf8 {
        /// 0-based character offset of the first escape of the offending value.
        offset: usize,
    },
}

impl PercentError {
    /// The 0-based character offset the error points at.
    pub fn offset(&self) -> usize {
        match self {
            PercentError::BadEscape { offset, .. } | PercentError::NotUtf8 { offset } => *offset,
        }
    }

    /// The same error with its offset moved by `by` characters (for embedding in a line).
    pub fn shifted(self, by: usize) -> PercentError {
        match self {
            PercentError::BadEscape { offset, found } => PercentError::BadEscape {
                offset: offset + by,
                found,
            },
            PercentError::NotUtf8 { offset } => PercentError::NotUtf8 {
                offset: offset + by,
            },
        }
    }
}

impl fmt::Display for PercentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PercentError::BadEscape { found, .. } => write!(
                f,
                "bad percent escape \"{found}\" ('%' must be followed by two hex digits)"
            ),
            PercentError::NotUtf8 { .. } => f.write_str("percent escapes do not decode to UTF-8"),
        }
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Encodes every byte except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`), so
/// `https://vault.azure.net` becomes `https%3A%2F%2Fvault.azure.net`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for &b in text.as_bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; with `plus_is_space`, `+` becomes a space (form encoding).
/// Offsets in errors count characters of `text` from 0.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Result<String, PercentError> {
    let chars: Vec<char> = text.chars().collect();
    let mut bytes = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '%' {
            let hex = |k: usize| chars.get(k).and_then(|c| c.to_digit(16));
            match (hex(i + 1), hex(i + 2)) {
                (Some(hi), Some(lo)) => {
                    // Both digits are < 16, so the value fits a byte.
                    bytes.push(u8::try_from(hi * 16 + lo).unwrap_or(0));
                    i += 3;
                }
                _ => {
                    let found: String = chars[i..chars.len().min(i + 3)].iter().collect();
                    return Err(PercentError::BadEscape { offset: i, found });
                }
            }
        } else {
            let c = if plus_is_space && c == '+' { ' ' } else { c };
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            i += 1;
        }
    }
    let first_escape = chars.iter().position(|c| *c == '%').unwrap_or(0);
    String::from_utf8(bytes).map_err(|_| PercentError::NotUtf8 {
        offset: first_escape,
    })
}

/// Splits `a=1&b=2&a=3` into decoded pairs, duplicates kept in order. `+` means space; a
/// field without `=` has an empty value; empty fields (`a=1&&b=2`) are skipped.
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, PercentError> {
    let mut out = Vec::new();
    let mut offset = 0;
    for field in query.split('&') {
        let len = field.chars().count();
        if !field.is_empty() {
            let (key, value, value_at) = match field.split_once('=') {
                Some((k, v)) => (k, v, k.chars().count() + 1),
                None => (field, "", len),
            };
            let key = percent_decode(key, true).map_err(|e| e.shifted(offset))?;
            let value = percent_decode(value, true).map_err(|e| e.shifted(offset + value_at))?;
            out.push((key, value));
        }
        offset += len + 1;
    }
    Ok(out)
}

/// Decodes an `application/x-www-form-urlencoded` body; the same rules as [`parse_query`].
/// Line breaks around `&` (as in documentation samples) are ignored.
pub fn parse_form(body: &str) -> Result<Vec<(String, String)>, PercentError> {
    let joined: String = body.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    parse_query(&joined)
}
