//! How the page was opened. The query string picks the mode (the full simulator, an embedded
//! frame, the audience view of a presentation, or the presenter's own window), may pin a
//! scenario, a flow and a step, and may ask for a read-only view; the fragment may carry a
//! shared state. Parsing never fails: anything it does not understand is ignored and listed in
//! `problems`, so the page can say so and open as usual.
//!
//! ```text
//! ./                                            the full simulator (autosave, share fragment)
//! ./?embed&scenario=lifecycle&step=3&readonly   an embedded frame, pinned
//! ./?present&scenario=lifecycle                 the audience view of a presentation
//! ./?presenter&scenario=lifecycle               the presenter's window (notes, next step, time)
//! ```
//!
//! Steps in URLs count from 1, as the stepper shows them.

use crate::model::http::parse_query;

/// What the page is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Mode {
    /// The whole simulator.
    #[default]
    Full,
    /// Inside another page's iframe: the graph, the step panel and a link to the full simulator.
    Embed,
    /// The audience view of a presentation: fullscreen, large type, keyboard driven.
    Present,
    /// The presenter's window: speaker notes, the next step and the elapsed time, kept in
    /// step with the audience view.
    Presenter,
}

impl Mode {
    /// Whether this mode starts clean and leaves the person's autosaved work alone (it neither
    /// reads nor writes it).
    pub fn uses_autosave(self) -> bool {
        self == Mode::Full
    }
}

/// Everything the address asks for.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Launch {
    /// The mode.
    pub mode: Mode,
    /// No edits: the world is shown and stepped through, not changed.
    pub read_only: bool,
    /// A pinned scenario id.
    pub scenario: Option<String>,
    /// A pinned flow (0-based index).
    pub flow: Option<usize>,
    /// A pinned step (0-based; the URL says `step=1` for the first).
    pub step: Option<usize>,
    /// The fragment without its `#`, if there is one.
    pub fragment: Option<String>,
    /// Parts of the address that were ignored, and why.
    pub problems: Vec<String>,
}

/// Reads `location.search` (with or without its `?`) and `location.hash` (with or without
/// its `#`).
pub fn parse(search: &str, hash: &str) -> Launch {
    let mut launch = Launch::default();
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if !hash.is_empty() {
        launch.fragment = Some(hash.to_string());
    }
    let search = search.strip_prefix('?').unwrap_or(search);
    let pairs = match parse_query(search) {
        Ok(pairs) => pairs,
        Err(e) => {
            launch
                .problems
                .push(format!("the query string cannot be read: {e}"));
            return launch;
        }
    };
    for (key, value) in pairs {
        match key.as_str() {
            "embed" => launch.mode = Mode::Embed,
            "present" => launch.mode = Mode::Present,
            "presenter" => launch.mode = Mode::Presenter,
            "readonly" | "read-only" => launch.read_only = flag(&value),
            "scenario" if is_scenario_id(&value) => launch.scenario = Some(value),
            "scenario" => launch
                .problems
                .push(format!("\"{}\" is not a scenario id", shorten(&value))),
            "flow" | "step" => match value.parse::<usize>() {
                Ok(n) if n >= 1 && key == "step" => launch.step = Some(n - 1),
                Ok(n) if n >= 1 => launch.flow = Some(n - 1),
                _ => launch.problems.push(format!(
                    "{key}=\"{}\" is not a number from 1 up",
                    shorten(&value)
                )),
            },
            _ => {}
        }
    }
    launch
}

/// `readonly`, `readonly=1`, `readonly=true` and `readonly=yes` turn it on; `0`, `false`,
/// `no` turn it off.
fn flag(value: &str) -> bool {
    !matches!(value, "0" | "false" | "no" | "off")
}

/// Scenario ids are short lowercase words joined by hyphens.
fn is_scenario_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 80
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// At most 40 characters of something the person typed, for a message.
fn shorten(value: &str) -> String {
    let mut out: String = value.chars().take(40).collect();
    if value.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// The query string (without `?`) that opens `scenario` at `step` (0-based) in `mode`.
pub fn query(mode: Mode, scenario: &str, flow: usize, step: usize, read_only: bool) -> String {
    let mut parts = Vec::new();
    match mode {
        Mode::Full => {}
        Mode::Embed => parts.push("embed".to_string()),
        Mode::Present => parts.push("present".to_string()),
        Mode::Presenter => parts.push("presenter".to_string()),
    }
    parts.push(format!("scenario={scenario}"));
    if flow > 0 {
        parts.push(format!("flow={}", flow + 1));
    }
    parts.push(format!("step={}", step + 1));
    if read_only {
        parts.push("readonly".to_string());
    }
    parts.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_picks_mode_pins_and_read_only() {
        // (query, mode, scenario, flow, step, read-only)
        type Case<'a> = (
            &'a str,
            Mode,
            Option<&'a str>,
            Option<usize>,
            Option<usize>,
            bool,
        );
        let cases: &[Case] = &[
            ("", Mode::Full, None, None, None, false),
            ("?", Mode::Full, None, None, None, false),
            (
                "?embed&scenario=lifecycle&step=3",
                Mode::Embed,
                Some("lifecycle"),
                None,
                Some(2),
                false,
            ),
            (
                "embed&scenario=lifecycle&flow=2&step=1&readonly",
                Mode::Embed,
                Some("lifecycle"),
                Some(1),
                Some(0),
                true,
            ),
            ("?embed&readonly=0", Mode::Embed, None, None, None, false),
            ("?present", Mode::Present, None, None, None, false),
            (
                "?presenter&scenario=least-privilege",
                Mode::Presenter,
                Some("least-privilege"),
                None,
                None,
                false,
            ),
            (
                "?utm_source=x&scenario=limitations",
                Mode::Full,
                Some("limitations"),
                None,
                None,
                false,
            ),
        ];
        for &(search, mode, scenario, flow, step, read_only) in cases {
            let l = parse(search, "");
            assert_eq!(
                (l.mode, l.scenario.as_deref(), l.flow, l.step, l.read_only),
                (mode, scenario, flow, step, read_only),
                "{search}"
            );
            assert!(l.problems.is_empty(), "{search}: {:?}", l.problems);
        }
    }

    #[test]
    fn bad_values_are_ignored_and_named() {
        let cases: &[(&str, &str)] = &[
            (
                "?scenario=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "\"<script>alert(1)</script>\" is not a scenario id",
            ),
            ("?step=0", "step=\"0\" is not a number from 1 up"),
            ("?step=three", "step=\"three\" is not a number from 1 up"),
            ("?flow=-1", "flow=\"-1\" is not a number from 1 up"),
            (
                "?step=%ZZ",
                "the query string cannot be read: bad percent escape \"%ZZ\" ('%' must be followed by two hex digits)",
            ),
        ];
        for &(search, problem) in cases {
            let l = parse(search, "");
            assert_eq!(l.problems, vec![problem.to_string()], "{search}");
            assert_eq!((l.scenario, l.step, l.flow), (None, None, None), "{search}");
        }
    }

    #[test]
    fn the_fragment_is_kept_without_its_hash() {
        assert_eq!(parse("", "#s=abc").fragment.as_deref(), Some("s=abc"));
        assert_eq!(parse("", "#").fragment, None);
        assert_eq!(parse("", "").fragment, None);
    }

    #[test]
    fn a_query_built_for_a_mode_parses_back() {
        for mode in [Mode::Full, Mode::Embed, Mode::Present, Mode::Presenter] {
            for (flow, step, read_only) in [(0, 0, false), (1, 4, true)] {
                let q = query(mode, "lifecycle", flow, step, read_only);
                let l = parse(&q, "");
                assert_eq!(
                    (
                        l.mode,
                        l.scenario.as_deref(),
                        l.flow.unwrap_or(0),
                        l.step,
                        l.read_only
                    ),
                    (mode, Some("lifecycle"), flow, Some(step), read_only),
                    "{q}"
                );
            }
        }
        assert_eq!(
            query(Mode::Embed, "lifecycle", 0, 2, true),
            "embed&scenario=lifecycle&step=3&readonly"
        );
    }

    #[test]
    fn only_the_full_simulator_touches_autosave() {
        assert!(Mode::Full.uses_autosave());
        for mode in [Mode::Embed, Mode::Present, Mode::Presenter] {
            assert!(!mode.uses_autosave(), "{mode:?}");
        }
    }
}
