//! The autosaved state as the browser keeps it. A session's saved JSON is stored as it is
//! while it is small; once it is large it is stored deflated and base64url-encoded after
//! [`PACKED_PREFIX`], so a world at Azure's limits (3.2 million characters of JSON) takes about
//! half a million of the 5 million characters a browser keeps per site. When even that does not
//! fit, the browser refuses the write, the person's work stays on screen, and
//! [`refused_message`] says what that means and how to keep the world.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Saved JSON from this many characters on is stored packed.
pub const PACK_FROM: usize = 256 * 1024;

/// What starts a packed saved state (JSON never starts with it).
pub const PACKED_PREFIX: &str = "mi-sim-z1.";

/// How many characters a browser keeps per site in localStorage (Chromium and Firefox: 5 Mi
/// UTF-16 code units, key and value together).
pub const STORAGE_CHARS: usize = 5 * 1024 * 1024;

/// A packed state is never unpacked to more than this many bytes.
pub const MAX_UNPACKED_BYTES: usize = 64 * 1024 * 1024;

/// The text to store for a session's saved JSON.
pub fn pack(json: &str) -> String {
    if json.len() < PACK_FROM {
        return json.to_string();
    }
    // The fastest level: a world at Azure's limits still shrinks sixfold or more, and the
    // write happens on the page's one thread.
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 1);
    format!("{PACKED_PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The saved JSON a stored text holds: the text itself when it was stored as it is, or
/// `None` when a packed one is damaged.
pub fn unpack(text: &str) -> Option<String> {
    let Some(payload) = text.strip_prefix(PACKED_PREFIX) else {
        return Some(text.to_string());
    };
    let packed = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_UNPACKED_BYTES).ok()?;
    String::from_utf8(json).ok()
}

/// What to tell the person when the browser refused to keep `chars` characters of saved
/// state.
pub fn refused_message(chars: usize) -> String {
    let why = if chars >= STORAGE_CHARS {
        format!(
            "This world is too large to keep in the browser: saving it takes {:.1} million \
             characters, and the browser keeps about {:.1} million per site.",
            millions(chars),
            millions(STORAGE_CHARS)
        )
    } else {
        "The browser did not keep your work: its storage for this site is full or turned off."
            .to_string()
    };
    format!(
        "{why} Everything on screen stays as it is until you reload or close the page; a reload \
         opens the last state that was kept. To keep this world, use Share → Download scenario \
         file."
    )
}

fn millions(chars: usize) -> f64 {
    // Exact for any size a browser could hold.
    chars as f64 / 1_000_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_state_is_stored_as_it_is_and_a_large_one_packed() {
        let small = r#"{"version":1,"scenario_id":"x"}"#.to_string();
        let large = format!(r#"{{"filler":"{}"}}"#, "ab".repeat(PACK_FROM));
        let cases = [(small.as_str(), false), (large.as_str(), true)];
        for (json, packed) in cases {
            let text = pack(json);
            assert_eq!(text.starts_with(PACKED_PREFIX), packed, "{}", json.len());
            assert_eq!(text == json, !packed);
            assert_eq!(unpack(&text).as_deref(), Some(json));
        }
        // Repetitive JSON, as a large world's is, packs to a small share of its size.
        assert!(pack(&large).len() < large.len() / 20);
    }

    #[test]
    fn a_damaged_packed_state_unpacks_to_nothing() {
        let cases = [
            format!("{PACKED_PREFIX}not base64!"),
            format!("{PACKED_PREFIX}{}", URL_SAFE_NO_PAD.encode(b"not deflated")),
            format!(
                "{PACKED_PREFIX}{}",
                URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 1))
            ),
        ];
        for text in cases {
            assert_eq!(unpack(&text), None, "{text}");
        }
    }

    #[test]
    fn a_refused_save_says_why_and_how_to_keep_the_world() {
        let keep = " Everything on screen stays as it is until you reload or close the page; a \
                    reload opens the last state that was kept. To keep this world, use Share → \
                    Download scenario file.";
        let cases = [
            (
                6_400_000,
                "This world is too large to keep in the browser: saving it takes 6.4 million \
                 characters, and the browser keeps about 5.2 million per site.",
            ),
            (
                480_000,
                "The browser did not keep your work: its storage for this site is full or \
                 turned off.",
            ),
        ];
        for (chars, why) in cases {
            assert_eq!(refused_message(chars), format!("{why}{keep}"));
        }
    }
}
