//! The share link: the whole state (the scenario, the world as edited or opened from a file,
//! the flow, the step, the what-ifs) in the URL fragment, so a link never expires and needs no
//! server. The fragment is `v1.` followed by the state as JSON, deflated and base64url-encoded.
//!
//! A link is untrusted input. Decoding checks every layer (length, prefix and version,
//! base64url, deflate with a size limit, JSON, then the scenario format and the world it builds,
//! exactly as an opened file is checked) and copies only known fields; each failure is a
//! sentence that says what is wrong, and the caller opens the default scenario beside it.
//! A world travels as a scenario file, never as internal state, so a hostile link cannot hand
//! the model a world that breaks its rules.

use super::import;
use super::session::{DEFAULT_SCENARIO, Session};
use crate::model::json;
use crate::model::json::{FromJson, ToJson};
use crate::model::scenario::shipped;
use crate::model::world::Command;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The link format this version writes and reads.
pub const LINK_VERSION: u32 = 1;

/// The longest fragment read, in characters (a shipped scenario's link is well under 100; an
/// edited world a few thousand).
pub const MAX_FRAGMENT_CHARS: usize = 1_000_000;

/// The most the state may inflate to.
pub const MAX_STATE_BYTES: usize = 8 * 1024 * 1024;

/// What a link carries.
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
#[serde(rename_all = "camelCase")]
struct Shared {
    /// The scenario's id (a shipped one unless `file_name` is set).
    scenario: String,
    /// The scenario file the world comes from, when it is not the shipped one as shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<serde_json::Value>,
    /// The edits made since it was opened, replayed through the model's commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edits: Option<Vec<Command>>,
    /// Set when the scenario was opened from a file of this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file_name: Option<String>,
    /// The flow (0-based).
    #[serde(default)]
    flow: usize,
    /// The step (0-based).
    #[serde(default)]
    step: usize,
    /// The active what-ifs, as indexes into the flow's list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    what_ifs: Vec<usize>,
}

/// A link's fragment and what the scenario format could not carry of the world.
#[derive(Clone, PartialEq, Debug)]
pub struct Link {
    /// The fragment, without `#`.
    pub fragment: String,
    /// Parts of the edited world the link leaves out (see [`import::download`]).
    pub left_out: Vec<String>,
}

/// The fragment for the session's state.
pub fn encode(session: &Session) -> Link {
    // The edits themselves when they are known (exact, and small); otherwise the world as a
    // scenario file (which cannot hold everything, and says what it leaves out).
    let edits = session
        .edits()
        .filter(|e| !e.is_empty() && session.is_edited())
        .map(<[Command]>::to_vec);
    let imported = session.imported_from.is_some();
    let (file, left_out) = if edits.is_some() || !session.is_edited() {
        let file = imported.then(|| crate::model::json::to_value(&*session.scenario));
        (file, Vec::new())
    } else {
        let (file, left_out) =
            import::export(&session.scenario_id, &session.scenario, &session.sim.world);
        (Some(file), left_out)
    };
    let shared = Shared {
        scenario: session.scenario_id.clone(),
        file,
        edits,
        file_name: session.imported_from.clone(),
        flow: session.flow,
        step: session.step,
        what_ifs: session.what_ifs.clone(),
    };
    let json = json::to_text(&shared).into_bytes();
    Link {
        fragment: wrap_state(&json),
        left_out,
    }
}

/// A fragment carrying `state` (the link's JSON) in the current format: deflated, base64url,
/// after `v1.`.
pub fn wrap_state(state: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(state, 9);
    format!("v{LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Whether a fragment is meant as a share link at all (rather than, say, empty).
pub fn is_link(fragment: &str) -> bool {
    !fragment.trim_start_matches('#').is_empty()
}

/// The session a link's fragment (with or without `#`) describes, or what is wrong with it.
pub fn decode(fragment: &str) -> Result<Session, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let chars = fragment.chars().count();
    if chars > MAX_FRAGMENT_CHARS {
        return Err(format!(
            "The link is too long to be a mi-sim link ({chars} characters after #; the limit is {MAX_FRAGMENT_CHARS})."
        ));
    }
    let not_a_link = || {
        "The link's state (after #) is not one mi-sim can read: it should start with \"v1.\"."
            .to_string()
    };
    let (version, payload) = fragment.split_once('.').ok_or_else(not_a_link)?;
    let version = version
        .strip_prefix('v')
        .and_then(|v| v.parse::<u32>().ok())
        .ok_or_else(not_a_link)?;
    if version > LINK_VERSION {
        return Err(format!(
            "The link was made by a newer mi-sim (link format {version}); this page reads format {LINK_VERSION}."
        ));
    }
    if version < LINK_VERSION {
        return Err(format!(
            "The link uses link format {version}, which this mi-sim no longer reads (it reads format {LINK_VERSION})."
        ));
    }
    // The first character outside base64url is named by its place among characters (the
    // decoder reports bytes, and not always the first bad one).
    let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if let Some(at) = payload.chars().position(|c| !base64url(c)) {
        return Err(format!(
            "The link is damaged: character {} after \"v1.\" is not base64url.",
            at + 1
        ));
    }
    let packed = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| "The link is damaged: it was cut short or changed.".to_string())?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_STATE_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                "The link's state is too large (over {} MB unpacked).",
                MAX_STATE_BYTES / (1024 * 1024)
            ),
            _ => "The link is damaged: it was cut short or changed.".to_string(),
        })?;
    let shared: Shared =
        json::from_bytes(&json).map_err(|e| format!("The link's state is not valid: {e}."))?;
    open(shared)
}

/// Builds the session a decoded link describes.
fn open(shared: Shared) -> Result<Session, String> {
    let mut session = match (&shared.file, &shared.file_name) {
        (None, Some(_)) => {
            return Err("The link's state is not valid: a file name without its file.".to_string());
        }
        (Some(file), Some(file_name)) => {
            let opened = import::open_text(file_name, &file.to_string())
                .map_err(|e| format!("The link's scenario does not open: {e}"))?;
            Session::from_file(file_name, opened)
        }
        (file, None) => {
            if shipped(&shared.scenario).is_none() {
                return Err(format!(
                    "The link names a scenario this mi-sim does not ship: \"{}\".",
                    shared.scenario.chars().take(60).collect::<String>()
                ));
            }
            let mut s = Session::try_open(&shared.scenario)?;
            if let Some(file) = file {
                let opened = import::open_text("link", &file.to_string())
                    .map_err(|e| format!("The link's world does not open: {e}"))?;
                s.replace_world(opened.world);
            }
            s
        }
    };
    if let Some(edits) = &shared.edits {
        session
            .apply_edits(edits)
            .map_err(|e| format!("The link's edits do not apply: {e}."))?;
    }
    session.restore_position(shared.flow, shared.step, shared.what_ifs);
    Ok(session)
}

/// What opens when a link cannot: the default scenario, with the reason shown.
pub fn fallback(reason: String) -> Session {
    let mut s = Session::open(DEFAULT_SCENARIO);
    s.link_error = Some(reason);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::world::Command;
    use crate::view::session::Action;

    fn deflated(json: &str) -> String {
        wrap_state(json.as_bytes())
    }

    #[test]
    fn a_shipped_scenario_link_is_short_and_opens_at_the_same_place() {
        let stepped = Session::open("lifecycle").reduce(Action::GoToStep(2));
        let broken = Session::open("lifecycle").reduce(Action::ToggleWhatIf(0));
        let several = Session::open("functions-shared-uami-storage")
            .reduce(Action::SelectFlow(1))
            .reduce(Action::GoToStep(3));
        for (s, want) in [
            (stepped, ("lifecycle", 0, 2, vec![])),
            (broken.clone(), ("lifecycle", 0, broken.step, vec![0])),
            (several, ("functions-shared-uami-storage", 1, 3, vec![])),
        ] {
            let link = encode(&s);
            assert!(link.fragment.starts_with("v1."), "{}", link.fragment);
            assert!(link.fragment.len() < 120, "{}", link.fragment.len());
            assert!(link.left_out.is_empty());
            let opened = decode(&format!("#{}", link.fragment)).unwrap();
            assert_eq!(
                (
                    opened.scenario_id.as_str(),
                    opened.flow,
                    opened.step,
                    opened.what_ifs.clone()
                ),
                want
            );
            assert_eq!(opened.sim, s.sim);
            assert_eq!(opened.walkthrough, s.walkthrough);
        }
    }

    #[test]
    fn an_edited_world_travels_in_the_link_and_reset_still_restores_the_shipped_one() {
        let shipped = Session::open(DEFAULT_SCENARIO);
        let s = shipped
            .reduce(Action::Apply(Box::new(Command::DisableSystemAssigned {
                resource: "vm-web".into(),
            })))
            .reduce(Action::AdvanceClock(3600));
        let link = encode(&s);
        let opened = decode(&link.fragment).unwrap();
        assert_eq!(opened.sim.world, s.sim.world);
        assert_eq!(opened.walkthrough, s.walkthrough);
        assert_eq!(opened.step, s.step);
        assert_eq!(opened.reduce(Action::Reset).sim, shipped.sim);
    }

    #[test]
    fn a_link_from_an_edited_world_of_unknown_history_carries_the_world_as_a_file() {
        let shipped = Session::open(DEFAULT_SCENARIO);
        let mut s = shipped.reduce(Action::Apply(Box::new(Command::AdvanceClock {
            seconds: 7200,
        })));
        let world = s.sim.world.clone();
        s.replace_world(world);
        assert_eq!(s.edits(), None);
        let opened = decode(&encode(&s).fragment).unwrap();
        assert_eq!(opened.sim.world.now(), s.sim.world.now());
        assert_eq!(opened.walkthrough, s.walkthrough);
    }

    #[test]
    fn a_link_whose_edits_do_not_apply_says_which() {
        let json = r#"{"scenario":"lifecycle","edits":[{"command":"AdvanceClock","seconds":60},{"command":"DeleteResource","resource":"vm-nope"}]}"#;
        let got = decode(&deflated(json)).map(|s| s.scenario_id).unwrap_err();
        assert!(
            got.starts_with("The link's edits do not apply: edit 2 of 2: "),
            "{got}"
        );
    }

    #[test]
    fn every_shipped_scenario_round_trips_at_its_last_step() {
        for file in crate::model::scenario::SHIPPED {
            let s = Session::open(file.id).reduce(Action::LastStep);
            let opened = decode(&encode(&s).fragment).unwrap();
            assert_eq!(
                (opened.scenario_id.as_str(), opened.step),
                (file.id, s.step),
                "{}",
                file.id
            );
        }
    }

    #[test]
    fn broken_or_hostile_links_say_what_is_wrong() {
        let good = encode(&Session::open(DEFAULT_SCENARIO)).fragment;
        let truncated = &good[..good.len() - 6];
        let huge = format!("v1.{}", "A".repeat(MAX_FRAGMENT_CHARS));
        let bomb = wrap_state(&vec![b' '; MAX_STATE_BYTES + 10]);
        let cases: Vec<(String, String)> = vec![
            (
                "<script>alert(1)</script>".into(),
                "The link's state (after #) is not one mi-sim can read: it should start with \"v1.\".".into(),
            ),
            (
                "javascript:alert(1)".into(),
                "The link's state (after #) is not one mi-sim can read: it should start with \"v1.\".".into(),
            ),
            (
                "v2.abc".into(),
                "The link was made by a newer mi-sim (link format 2); this page reads format 1.".into(),
            ),
            (
                "v0.abc".into(),
                "The link uses link format 0, which this mi-sim no longer reads (it reads format 1).".into(),
            ),
            (
                "v1.ab<c".into(),
                "The link is damaged: character 3 after \"v1.\" is not base64url.".into(),
            ),
            (
                "v1.\u{e9}t\u{e9}".into(),
                "The link is damaged: character 1 after \"v1.\" is not base64url.".into(),
            ),
            (
                // Found by fuzzing: base64's offset fell inside a two-byte character.
                "v1.q1+qSs5OL,Uk\"cenario\"1YqSs5Oq1L\u{52a}".into(),
                "The link is damaged: character 3 after \"v1.\" is not base64url.".into(),
            ),
            (
                truncated.to_string(),
                "The link is damaged: it was cut short or changed.".into(),
            ),
            (
                huge.clone(),
                format!(
                    "The link is too long to be a mi-sim link ({} characters after #; the limit is 1000000).",
                    huge.len()
                ),
            ),
            (bomb, "The link's state is too large (over 8 MB unpacked).".into()),
            (
                deflated("[1,2]"),
                "The link's state is not valid: invalid type: sequence, expected struct Shared.".into(),
            ),
            (
                deflated(r#"{"scenario":"lifecycle","flow":"two"}"#),
                "The link's state is not valid: invalid type: string \"two\", expected usize at $.flow.".into(),
            ),
            (
                deflated(r#"{"scenario":"<img src=x onerror=alert(1)>"}"#),
                "The link names a scenario this mi-sim does not ship: \"<img src=x onerror=alert(1)>\".".into(),
            ),
            (
                deflated(r#"{"scenario":"lifecycle","file":{"version":1,"title":"x","resources":[{"name":"x","kind":"vm2"}]}}"#),
                "The link's world does not open: link: $.resources[0]: missing field \"resourceGroup\"".into(),
            ),
        ];
        for (fragment, message) in cases {
            let got = decode(&fragment).map(|s| s.scenario_id).unwrap_err();
            assert_eq!(got, message, "{fragment:.60}");
        }
    }

    #[test]
    fn unknown_fields_are_ignored_and_positions_clamped() {
        let s = decode(&deflated(
            r#"{"scenario":"lifecycle","step":99,"flow":7,"whatIfs":[0,0,99],"evil":"<script>"}"#,
        ))
        .unwrap();
        assert_eq!(
            (s.flow, s.step_label().as_str(), &s.what_ifs),
            (0, s.step_label().as_str(), &vec![0])
        );
        assert_eq!(s.step, s.step_count() - 1);
    }

    #[test]
    fn a_bad_link_opens_the_default_scenario_with_the_reason() {
        let s = fallback("The link is damaged: it was cut short or changed.".into());
        assert_eq!(s.scenario_id, DEFAULT_SCENARIO);
        assert_eq!(
            s.link_error.as_deref(),
            Some("The link is damaged: it was cut short or changed.")
        );
        assert!(s.walkthrough.is_some());
    }
}
