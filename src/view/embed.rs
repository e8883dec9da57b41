//! Embedding mi-sim in another page: the iframe and `embed.js` snippets a documentation author
//! copies, the link from a frame to the full simulator, and the postMessage protocol between a
//! host page and an embedded frame (see `docs/embedding.md`), as pure functions.
//!
//! ```text
//! host → frame   {"type":"mi-sim:go","step":3}   {"type":"mi-sim:next"}   {"type":"mi-sim:previous"}
//! frame → host   {"type":"mi-sim:ready",…}   {"type":"mi-sim:step",…}   {"type":"mi-sim:resize","height":N}
//! ```
//!
//! Steps and flows count from 1 in URLs and messages, as the stepper shows them; the session
//! counts from 0.

use super::launch::{self, Mode};
use serde_json::{Value, json};
use std::fmt;

/// The smallest height, in CSS pixels, that `embed.js` gives a frame.
pub const MIN_FRAME_HEIGHT: u32 = 400;

/// The size of the frame in the iframe HTML.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FrameSize {
    /// A fixed width and height in CSS pixels.
    Fixed {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
    /// As wide as the column it sits in, this tall.
    FullWidth {
        /// Height.
        height: u32,
    },
}

impl FrameSize {
    /// What the size picker says.
    pub fn label(self) -> String {
        match self {
            FrameSize::Fixed { width, height } => format!("{width} × {height}"),
            FrameSize::FullWidth { height } => format!("100% width × {height}"),
        }
    }

    /// The iframe's `width` attribute.
    fn width_attribute(self) -> String {
        match self {
            FrameSize::Fixed { width, .. } => width.to_string(),
            FrameSize::FullWidth { .. } => "100%".to_string(),
        }
    }

    fn height(self) -> u32 {
        match self {
            FrameSize::Fixed { height, .. } | FrameSize::FullWidth { height } => height,
        }
    }
}

/// The size presets the Copy embed code dialog offers, the first being the default.
pub const SIZES: [FrameSize; 3] = [
    FrameSize::Fixed {
        width: 800,
        height: 500,
    },
    FrameSize::Fixed {
        width: 600,
        height: 400,
    },
    FrameSize::FullWidth { height: 500 },
];

/// What an embed shows: a scenario at a flow and step, on a simulator at `base`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EmbedTarget {
    /// The simulator's address without query or fragment, e.g. `https://host/mi-sim/`.
    pub base: String,
    /// The scenario id.
    pub scenario: String,
    /// The flow (0-based).
    pub flow: usize,
    /// The step (0-based).
    pub step: usize,
    /// Whether the frame hides everything that changes the world.
    pub read_only: bool,
    /// The flow's title, for the frame's accessible title.
    pub title: String,
}

/// The simulator's address from the page's `location.href`: without query or fragment.
pub fn base_url(href: &str) -> String {
    href.split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Text made safe inside HTML text and double-quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A URL made safe inside a double-quoted attribute. `&` is left alone: the query's
/// `&scenario=` and the like are not character references, and authors expect to see the URL
/// as it is.
fn escape_url_attribute(url: &str) -> String {
    url.replace('"', "%22")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// The frame's address: the simulator in embed mode at the target's scenario, flow and step.
pub fn frame_src(target: &EmbedTarget) -> String {
    format!(
        "{}?{}",
        target.base,
        launch::query(
            Mode::Embed,
            &target.scenario,
            target.flow,
            target.step,
            target.read_only
        )
    )
}

/// The iframe HTML for a page, e.g.
/// `<iframe src="https://host/?embed&scenario=lifecycle&step=3" title="mi-sim: …" width="800" height="500" loading="lazy" style="border:0" allow="clipboard-write"></iframe>`.
pub fn iframe_html(target: &EmbedTarget, size: FrameSize) -> String {
    format!(
        "<iframe src=\"{}\" title=\"mi-sim: {}\" width=\"{}\" height=\"{}\" loading=\"lazy\" style=\"border:0\" allow=\"clipboard-write\"></iframe>",
        escape_url_attribute(&frame_src(target)),
        escape_html(&target.title),
        size.width_attribute(),
        size.height(),
    )
}

/// The one-line `embed.js` snippet: a placeholder `div` and the script that turns it into a
/// frame sized to its content.
pub fn script_html(target: &EmbedTarget) -> String {
    let mut div = format!("<div data-mi-sim=\"{}\"", escape_html(&target.scenario));
    if target.flow > 0 {
        div.push_str(&format!(" data-flow=\"{}\"", target.flow + 1));
    }
    div.push_str(&format!(" data-step=\"{}\"", target.step + 1));
    if target.read_only {
        div.push_str(" data-readonly");
    }
    format!(
        "{div}></div><script src=\"{}embed.js\" async></script>",
        escape_url_attribute(&directory_of(&target.base))
    )
}

/// The address up to and including its last `/`: `https://host/mi-sim/index.html` gives
/// `https://host/mi-sim/`.
fn directory_of(base: &str) -> String {
    match base.rfind('/') {
        Some(i) if !base[..i].ends_with('/') && !base[..i].ends_with(':') => base[..=i].to_string(),
        _ if base.ends_with('/') => base.to_string(),
        _ => format!("{base}/"),
    }
}

/// The "Open in mi-sim" link from a frame at `path` (the page's own `location.pathname`): the
/// full simulator at the same scenario, flow and step.
pub fn full_simulator_link(path: &str, scenario: &str, flow: usize, step: usize) -> String {
    format!(
        "{path}?{}",
        launch::query(Mode::Full, scenario, flow, step, false)
    )
}

/// What a host page may ask of a frame.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HostCommand {
    /// Go to this step (0-based, already clamped to the walkthrough).
    Go(usize),
    /// Go to the next step.
    Next,
    /// Go to the previous step.
    Previous,
}

/// Why a message from the host page was ignored.
#[derive(Clone, PartialEq, Debug)]
pub enum BadMessage {
    /// The message has no data that reads as JSON (e.g. `undefined` or a function).
    Unreadable,
    /// The message is not an object (a string, a number, an array, `null`…); names what it is.
    NotAnObject(&'static str),
    /// The object has no `"type"` string.
    NoType,
    /// The `"type"` is not one the frame understands.
    UnknownType(String),
    /// `mi-sim:go` without a `"step"`.
    NoStep,
    /// The `"step"` is not a whole number from 1 up; holds it as JSON.
    BadStep(String),
}

impl fmt::Display for BadMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadMessage::Unreadable => write!(f, "its data cannot be read as JSON"),
            BadMessage::NotAnObject(kind) => {
                write!(
                    f,
                    "it is {kind}, not an object like {{\"type\":\"mi-sim:next\"}}"
                )
            }
            BadMessage::NoType => write!(f, "it has no \"type\" string"),
            BadMessage::UnknownType(t) => write!(
                f,
                "its type \"{t}\" is not one of mi-sim:go, mi-sim:next, mi-sim:previous"
            ),
            BadMessage::NoStep => write!(f, "mi-sim:go needs a \"step\" (1 for the first)"),
            BadMessage::BadStep(s) => write!(
                f,
                "its step {s} is not a whole number from 1 up (1 is the first step)"
            ),
        }
    }
}

/// What a JSON value is, for a message.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// At most 40 characters, for a message.
fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Reads a message from the host page, given as JSON text (`None` when it has none), for a
/// walkthrough of `count` steps. Only the known fields are read; others are ignored. A step
/// beyond the end goes to the last step.
pub fn decode_host_message(text: Option<&str>, count: usize) -> Result<HostCommand, BadMessage> {
    let value: Value = text
        .and_then(|t| serde_json::from_str(t).ok())
        .ok_or(BadMessage::Unreadable)?;
    let Value::Object(fields) = &value else {
        return Err(BadMessage::NotAnObject(kind_of(&value)));
    };
    let kind = fields
        .get("type")
        .and_then(Value::as_str)
        .ok_or(BadMessage::NoType)?;
    match kind {
        "mi-sim:next" => Ok(HostCommand::Next),
        "mi-sim:previous" => Ok(HostCommand::Previous),
        "mi-sim:go" => {
            let step = fields.get("step").ok_or(BadMessage::NoStep)?;
            let n = step
                .as_f64()
                .filter(|n| *n >= 1.0 && n.fract() == 0.0)
                .ok_or_else(|| BadMessage::BadStep(shorten(&step.to_string())))?;
            // `as` saturates: 1e300 becomes usize::MAX, and the clamp takes the last step.
            let index = (n as usize).saturating_sub(1);
            Ok(HostCommand::Go(index.min(count.saturating_sub(1))))
        }
        other => Err(BadMessage::UnknownType(shorten(other))),
    }
}

/// Where a frame is, for the messages it sends its host.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StepReport {
    /// The scenario id.
    pub scenario: String,
    /// The flow (0-based).
    pub flow: usize,
    /// The step (0-based).
    pub step: usize,
    /// The number of steps.
    pub count: usize,
    /// The flow's title.
    pub title: String,
    /// The current step's title.
    pub step_title: String,
}

impl StepReport {
    fn fields(&self, kind: &str) -> serde_json::Map<String, Value> {
        let value = json!({
            "type": kind,
            "scenario": self.scenario,
            "flow": self.flow + 1,
            "step": self.step + 1,
            "count": self.count,
            "title": self.title,
            "stepTitle": self.step_title,
        });
        match value {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        }
    }
}

/// `{"type":"mi-sim:step",…}`: sent whenever the frame's step changes.
pub fn step_message(report: &StepReport) -> String {
    Value::Object(report.fields("mi-sim:step")).to_string()
}

/// `{"type":"mi-sim:ready",…,"version":…}`: sent once, when the frame has drawn its first step.
pub fn ready_message(report: &StepReport, version: &str) -> String {
    let mut fields = report.fields("mi-sim:ready");
    fields.insert("version".to_string(), Value::from(version));
    Value::Object(fields).to_string()
}

/// `{"type":"mi-sim:resize","height":N}`: the height the frame's content needs.
pub fn resize_message(height: u32) -> String {
    json!({ "type": "mi-sim:resize", "height": height }).to_string()
}

/// The height in CSS pixels the frame needs to show everything without scrolling: the page's
/// height, plus what the step panel's scrolling body hides (`content` is its content's
/// height, `visible` the height it shows), or less what it leaves empty.
pub fn content_height(page: f64, content: f64, visible: f64) -> u32 {
    let needed = (page + content - visible).ceil();
    if needed.is_finite() && needed > 0.0 {
        needed.min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(flow: usize, step: usize, read_only: bool, title: &str) -> EmbedTarget {
        EmbedTarget {
            base: "https://host/path/".to_string(),
            scenario: "lifecycle".to_string(),
            flow,
            step,
            read_only,
            title: title.to_string(),
        }
    }

    #[test]
    fn iframe_html_pins_the_state_and_escapes_the_title() {
        let cases: &[(EmbedTarget, FrameSize, &str)] = &[
            (
                target(0, 2, true, "Delete a VM"),
                SIZES[0],
                r#"<iframe src="https://host/path/?embed&scenario=lifecycle&step=3&readonly" title="mi-sim: Delete a VM" width="800" height="500" loading="lazy" style="border:0" allow="clipboard-write"></iframe>"#,
            ),
            (
                target(1, 0, false, "Keys & <secrets> \"quoted\""),
                SIZES[1],
                r#"<iframe src="https://host/path/?embed&scenario=lifecycle&flow=2&step=1" title="mi-sim: Keys &amp; &lt;secrets&gt; &quot;quoted&quot;" width="600" height="400" loading="lazy" style="border:0" allow="clipboard-write"></iframe>"#,
            ),
            (
                target(0, 0, false, "It's"),
                SIZES[2],
                r#"<iframe src="https://host/path/?embed&scenario=lifecycle&step=1" title="mi-sim: It&#39;s" width="100%" height="500" loading="lazy" style="border:0" allow="clipboard-write"></iframe>"#,
            ),
            (
                EmbedTarget {
                    base: "https://host/a\"b/".to_string(),
                    ..target(0, 0, false, "x")
                },
                SIZES[0],
                r#"<iframe src="https://host/a%22b/?embed&scenario=lifecycle&step=1" title="mi-sim: x" width="800" height="500" loading="lazy" style="border:0" allow="clipboard-write"></iframe>"#,
            ),
        ];
        for (t, size, want) in cases {
            assert_eq!(iframe_html(t, *size), *want, "{t:?}");
        }
    }

    #[test]
    fn the_script_snippet_names_only_what_differs_from_the_defaults() {
        let cases: &[(EmbedTarget, &str)] = &[
            (
                target(0, 2, true, "t"),
                r#"<div data-mi-sim="lifecycle" data-step="3" data-readonly></div><script src="https://host/path/embed.js" async></script>"#,
            ),
            (
                target(1, 0, false, "t"),
                r#"<div data-mi-sim="lifecycle" data-flow="2" data-step="1"></div><script src="https://host/path/embed.js" async></script>"#,
            ),
            (
                EmbedTarget {
                    base: "https://host/mi-sim/index.html".to_string(),
                    ..target(0, 0, false, "t")
                },
                r#"<div data-mi-sim="lifecycle" data-step="1"></div><script src="https://host/mi-sim/embed.js" async></script>"#,
            ),
            (
                EmbedTarget {
                    base: "https://host".to_string(),
                    ..target(0, 0, false, "t")
                },
                r#"<div data-mi-sim="lifecycle" data-step="1"></div><script src="https://host/embed.js" async></script>"#,
            ),
        ];
        for (t, want) in cases {
            assert_eq!(script_html(t), *want, "{t:?}");
        }
    }

    #[test]
    fn the_base_url_drops_query_and_fragment() {
        let cases = [
            ("https://host/path/", "https://host/path/"),
            (
                "https://host/path/?scenario=lifecycle&step=2#s=abc",
                "https://host/path/",
            ),
            ("http://127.0.0.1:8080/#x", "http://127.0.0.1:8080/"),
            (
                "https://host/mi-sim/index.html?a",
                "https://host/mi-sim/index.html",
            ),
        ];
        for (href, want) in cases {
            assert_eq!(base_url(href), want, "{href}");
        }
    }

    #[test]
    fn the_full_simulator_link_keeps_scenario_flow_and_step() {
        let cases = [
            ("/", "lifecycle", 0, 2, "/?scenario=lifecycle&step=3"),
            (
                "/mi-sim/",
                "lifecycle",
                1,
                0,
                "/mi-sim/?scenario=lifecycle&flow=2&step=1",
            ),
            (
                "/docs/index.html",
                "least-privilege",
                0,
                0,
                "/docs/index.html?scenario=least-privilege&step=1",
            ),
        ];
        for (path, scenario, flow, step, want) in cases {
            assert_eq!(full_simulator_link(path, scenario, flow, step), want);
        }
    }

    #[test]
    fn host_messages_decode_or_say_what_is_wrong() {
        use HostCommand::*;
        // (JSON text, steps in the walkthrough, result)
        let cases: &[(Option<&str>, usize, Result<HostCommand, BadMessage>)] = &[
            (Some(r#"{"type":"mi-sim:go","step":3}"#), 9, Ok(Go(2))),
            (Some(r#"{"type":"mi-sim:go","step":1}"#), 9, Ok(Go(0))),
            (Some(r#"{"type":"mi-sim:go","step":9}"#), 9, Ok(Go(8))),
            (Some(r#"{"type":"mi-sim:go","step":10}"#), 9, Ok(Go(8))),
            (Some(r#"{"type":"mi-sim:go","step":3.0}"#), 9, Ok(Go(2))),
            (
                Some(r#"{"type":"mi-sim:go","step":18446744073709551615}"#),
                9,
                Ok(Go(8)),
            ),
            (Some(r#"{"type":"mi-sim:go","step":1e300}"#), 9, Ok(Go(8))),
            (
                Some(r#"{"type":"mi-sim:go","step":99999999999999999999999999}"#),
                4,
                Ok(Go(3)),
            ),
            (Some(r#"{"type":"mi-sim:go","step":2}"#), 0, Ok(Go(0))),
            (Some(r#"{"type":"mi-sim:next"}"#), 9, Ok(Next)),
            (Some(r#"{"type":"mi-sim:previous"}"#), 9, Ok(Previous)),
            (
                Some(r#"{"type":"mi-sim:next","step":"x","from":"docs","nested":{"a":[1]}}"#),
                9,
                Ok(Next),
            ),
            (
                Some(r#"{"step":4,"type":"mi-sim:go","extra":true}"#),
                9,
                Ok(Go(3)),
            ),
            (
                Some(r#"{"type":"mi-sim:go","step":0}"#),
                9,
                Err(BadMessage::BadStep("0".into())),
            ),
            (
                Some(r#"{"type":"mi-sim:go","step":-2}"#),
                9,
                Err(BadMessage::BadStep("-2".into())),
            ),
            (
                Some(r#"{"type":"mi-sim:go","step":2.5}"#),
                9,
                Err(BadMessage::BadStep("2.5".into())),
            ),
            (
                Some(r#"{"type":"mi-sim:go","step":"3"}"#),
                9,
                Err(BadMessage::BadStep("\"3\"".into())),
            ),
            (
                Some(r#"{"type":"mi-sim:go","step":null}"#),
                9,
                Err(BadMessage::BadStep("null".into())),
            ),
            (Some(r#"{"type":"mi-sim:go"}"#), 9, Err(BadMessage::NoStep)),
            (
                Some(r#"{"type":"mi-sim:jump","step":3}"#),
                9,
                Err(BadMessage::UnknownType("mi-sim:jump".into())),
            ),
            (
                Some(r#"{"type":"MI-SIM:NEXT"}"#),
                9,
                Err(BadMessage::UnknownType("MI-SIM:NEXT".into())),
            ),
            (Some(r#"{"type":3}"#), 9, Err(BadMessage::NoType)),
            (Some(r#"{"step":3}"#), 9, Err(BadMessage::NoType)),
            (
                Some(r#""mi-sim:next""#),
                9,
                Err(BadMessage::NotAnObject("a string")),
            ),
            (Some("42"), 9, Err(BadMessage::NotAnObject("a number"))),
            (Some("null"), 9, Err(BadMessage::NotAnObject("null"))),
            (
                Some(r#"[{"type":"mi-sim:next"}]"#),
                9,
                Err(BadMessage::NotAnObject("an array")),
            ),
            (Some("true"), 9, Err(BadMessage::NotAnObject("a boolean"))),
            (Some("{not json"), 9, Err(BadMessage::Unreadable)),
            (None, 9, Err(BadMessage::Unreadable)),
        ];
        for (text, count, want) in cases {
            assert_eq!(
                &decode_host_message(*text, *count),
                want,
                "{text:?} with {count} steps"
            );
        }
    }

    #[test]
    fn bad_messages_say_what_is_wrong_in_words() {
        let long = "x".repeat(100);
        let cases = [
            (
                BadMessage::Unreadable,
                "its data cannot be read as JSON".to_string(),
            ),
            (
                BadMessage::NotAnObject("a string"),
                "it is a string, not an object like {\"type\":\"mi-sim:next\"}".to_string(),
            ),
            (BadMessage::NoType, "it has no \"type\" string".to_string()),
            (
                BadMessage::UnknownType("mi-sim:jump".into()),
                "its type \"mi-sim:jump\" is not one of mi-sim:go, mi-sim:next, mi-sim:previous"
                    .to_string(),
            ),
            (
                BadMessage::NoStep,
                "mi-sim:go needs a \"step\" (1 for the first)".to_string(),
            ),
            (
                BadMessage::BadStep("0".into()),
                "its step 0 is not a whole number from 1 up (1 is the first step)".to_string(),
            ),
        ];
        for (problem, want) in cases {
            assert_eq!(problem.to_string(), want);
        }
        let Err(BadMessage::UnknownType(t)) =
            decode_host_message(Some(&format!("{{\"type\":\"{long}\"}}")), 9)
        else {
            panic!("a long type is an unknown type");
        };
        assert_eq!(t, format!("{}…", "x".repeat(40)));
    }

    #[test]
    fn frame_messages_carry_exact_fields_counting_from_one() {
        let report = StepReport {
            scenario: "lifecycle".into(),
            flow: 0,
            step: 2,
            count: 9,
            title: "Delete the \"VM\"".into(),
            step_title: "Entra ID issues the token".into(),
        };
        assert_eq!(
            step_message(&report),
            r#"{"type":"mi-sim:step","scenario":"lifecycle","flow":1,"step":3,"count":9,"title":"Delete the \"VM\"","stepTitle":"Entra ID issues the token"}"#
        );
        assert_eq!(
            ready_message(&report, "0.1.0"),
            r#"{"type":"mi-sim:ready","scenario":"lifecycle","flow":1,"step":3,"count":9,"title":"Delete the \"VM\"","stepTitle":"Entra ID issues the token","version":"0.1.0"}"#
        );
        assert_eq!(
            resize_message(612),
            r#"{"type":"mi-sim:resize","height":612}"#
        );
    }

    #[test]
    fn a_step_the_frame_reports_decodes_back_to_itself_as_a_go() {
        let report = StepReport {
            scenario: "lifecycle".into(),
            flow: 0,
            step: 4,
            count: 9,
            title: "t".into(),
            step_title: "s".into(),
        };
        let text = step_message(&report).replace("mi-sim:step", "mi-sim:go");
        assert_eq!(
            decode_host_message(Some(&text), report.count),
            Ok(HostCommand::Go(4))
        );
    }

    #[test]
    fn the_content_height_adds_what_the_panel_hides_and_drops_what_it_leaves_empty() {
        // (page height, panel content, panel visible, needed)
        let cases = [
            (500.0, 300.0, 300.0, 500),
            (500.0, 420.5, 300.0, 621),
            (500.0, 180.0, 300.0, 380),
            (900.0, 0.0, 0.0, 900),
            (10.0, 0.0, 50.0, 0),
            (f64::NAN, 1.0, 1.0, 0),
            (f64::INFINITY, 1.0, 1.0, 0),
            (1e12, 0.0, 0.0, u32::MAX),
        ];
        for (page, content, visible, want) in cases {
            assert_eq!(
                content_height(page, content, visible),
                want,
                "{page} {content} {visible}"
            );
        }
    }
}
