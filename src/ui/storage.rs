//! Autosave: the session's saved state in the browser's localStorage, written after every
//! change that matters and read once at start; a large state is stored packed
//! (`view::autosave`). Anything unreadable (another version, a scenario no longer shipped, a
//! damaged packed state) falls back to the default scenario; a write the browser refuses
//! (too large, storage full or turned off) leaves what was stored before.

use crate::view::autosave;
use crate::view::session::Session;
use gloo::storage::{LocalStorage, Storage};

/// The localStorage key.
pub const KEY: &str = "mi-sim:autosave";

/// The saved session, if there is a readable one. Prerendering (natively) has none: it stands
/// for a first visit.
pub fn load() -> Option<Session> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    let text = LocalStorage::raw().get_item(KEY).ok()??;
    Session::restore_json(&autosave::unpack(&text)?)
}

/// Writes the session, packed when large. The stored text's length in UTF-16 code units (what
/// the browser counts), as `Err` when the browser refused to keep it.
pub fn save(session: &Session) -> Result<usize, usize> {
    let text = autosave::pack(&session.save_json());
    let chars = text.encode_utf16().count();
    if write(&text) { Ok(chars) } else { Err(chars) }
}

/// Writes saved-state text as is (the benchmark uses it to open a large world); whether the
/// storage kept it. A refusal is also reported on the console.
pub fn write(text: &str) -> bool {
    match LocalStorage::raw().set_item(KEY, text) {
        Ok(()) => true,
        Err(e) => {
            web_sys::console::warn_1(&e);
            false
        }
    }
}
