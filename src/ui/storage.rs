//! Autosave: the session's saved state in the browser's localStorage, written after every
//! change that matters and read once at start. Anything unreadable (another version, a
//! scenario no longer shipped, a full or blocked storage) falls back to the default scenario.

use crate::view::session::Session;
use gloo::storage::{LocalStorage, Storage};

/// The localStorage key.
pub const KEY: &str = "mi-sim:autosave";

/// The saved session, if there is a readable one.
pub fn load() -> Option<Session> {
    let text = LocalStorage::raw().get_item(KEY).ok()??;
    Session::restore_json(&text)
}

/// Writes the session; a storage that refuses (quota, private mode) is not an error the
/// person can act on, so it is reported on the console only.
pub fn save(session: &Session) {
    write(&session.save_json());
}

/// Writes saved-state text as is (the benchmark uses it to open a large world).
pub fn write(text: &str) {
    if let Err(e) = LocalStorage::raw().set_item(KEY, text) {
        web_sys::console::warn_1(&e);
    }
}
