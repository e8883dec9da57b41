//! The little DER and PEM the RSA keys need: reading a PKCS#8 `PrivateKeyInfo` that wraps a
//! PKCS#1 `RSAPrivateKey`, and writing a `SubjectPublicKeyInfo`. Definite lengths only, as DER
//! requires; every malformed input is an error naming what is wrong, never a panic.

use super::uint::Uint;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// ASN.1 tags used by the key formats.
pub const INTEGER: u8 = 0x02;
/// BIT STRING.
pub const BIT_STRING: u8 = 0x03;
/// OCTET STRING.
pub const OCTET_STRING: u8 = 0x04;
/// NULL.
pub const NULL: u8 = 0x05;
/// OBJECT IDENTIFIER.
pub const OID: u8 = 0x06;
/// SEQUENCE (constructed).
pub const SEQUENCE: u8 = 0x30;

/// The content octets of the OID 1.2.840.113549.1.1.1, `rsaEncryption`.
pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// Reads DER elements one after another from a byte string.
#[derive(Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    /// Whether every element has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element as (tag, content).
    pub fn element(&mut self) -> Result<(u8, &'a [u8]), String> {
        let [tag, first, rest @ ..] = self.rest else {
            return Err("truncated element header".to_string());
        };
        let (len, rest) = match *first {
            short @ 0..=0x7f => (usize::from(short), rest),
            0x80 => return Err("indefinite length (not DER)".to_string()),
            long => {
                let count = usize::from(long & 0x7f);
                if count > 4 || rest.len() < count {
                    return Err("bad length".to_string());
                }
                let (digits, rest) = rest.split_at(count);
                if digits.first() == Some(&0) {
                    return Err("length not minimally encoded (not DER)".to_string());
                }
                let len = digits
                    .iter()
                    .fold(0usize, |acc, &d| (acc << 8) | usize::from(d));
                if len < 0x80 {
                    return Err("length not minimally encoded (not DER)".to_string());
                }
                (len, rest)
            }
        };
        if rest.len() < len {
            return Err("element runs past the end of its container".to_string());
        }
        let (content, rest) = rest.split_at(len);
        self.rest = rest;
        Ok((*tag, content))
    }

    /// The content of the next element, which must have tag `tag`; `what` names it in errors.
    pub fn expect(&mut self, tag: u8, what: &str) -> Result<&'a [u8], String> {
        let (found, content) = self.element().map_err(|e| format!("{what}: {e}"))?;
        if found != tag {
            return Err(format!(
                "{what}: expected tag 0x{tag:02x}, found 0x{found:02x}"
            ));
        }
        Ok(content)
    }

    /// The next element, an INTEGER that must not be negative.
    pub fn unsigned(&mut self, what: &str) -> Result<Uint, String> {
        let content = self.expect(INTEGER, what)?;
        match content {
            [] => Err(format!("{what}: empty INTEGER")),
            [first, ..] if first & 0x80 != 0 => Err(format!("{what}: negative")),
            [0, second, ..] if second & 0x80 == 0 => {
                Err(format!("{what}: INTEGER not minimally encoded (not DER)"))
            }
            _ => Ok(Uint::from_be_bytes(content)),
        }
    }

    /// Fails unless everything has been read.
    pub fn finish(&self, what: &str) -> Result<(), String> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(format!("{what}: unexpected data after the last field"))
        }
    }
}

/// One DER element: `tag`, definite length, `content`.
pub fn element(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let digits: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&d| d == 0)
            .collect();
        out.push(0x80 | digits.len() as u8);
        out.extend(digits);
    }
    out.extend_from_slice(content);
    out
}

/// A non-negative INTEGER (a zero byte in front when the top bit is set).
pub fn unsigned(x: &Uint) -> Vec<u8> {
    let mut content = x.to_be_bytes();
    if content.first().is_none_or(|b| b & 0x80 != 0) {
        content.insert(0, 0);
    }
    element(INTEGER, &content)
}

/// The DER bytes of a PEM block labelled `label` (`-----BEGIN {label}-----`).
pub fn pem_decode(pem: &str, label: &str) -> Result<Vec<u8>, String> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem
        .find(&begin)
        .ok_or_else(|| format!("no \"{begin}\" line"))?
        + begin.len();
    let body = &pem[start..];
    let stop = body
        .find(&end)
        .ok_or_else(|| format!("no \"{end}\" line"))?;
    let text: String = body[..stop]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    STANDARD
        .decode(text)
        .map_err(|_| format!("the {label} block is not base64"))
}

/// A PEM block labelled `label`: base64 in lines of 64 characters, each ending in `\n`.
pub fn pem_encode(label: &str, der: &[u8]) -> String {
    let text = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
