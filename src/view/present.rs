//! Presenter mode as plain data: what each key does in the audience view and the presenter
//! window (including the number typed before Enter), the messages the two windows exchange to
//! stay in step, what the presenter window shows (speaker note, next step), and the timer's text.
//!
//! Keys and buttons run the same [`Command`]s; the ones that move through the flow wrap the
//! session's own [`Action`]s, so a key, a button and the other window all step the same way.

use crate::model::scenario::shipped;
use crate::view::launch::{self, Mode};
use crate::view::session::{Action, Session};
use serde_json::{Value, json};

/// The BroadcastChannel both windows of a presentation listen on.
pub const CHANNEL: &str = "mi-sim-present";

/// The name `window.open` gives the presenter window, so a second click reuses it.
pub const PRESENTER_TARGET: &str = "mi-sim-presenter";

/// At most this many digits are kept before Enter (no flow has 1,000 steps).
pub const MAX_DIGITS: usize = 3;

/// Which window of the presentation a key was pressed in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Window {
    /// The audience view (`?present`), projected to the room.
    Audience,
    /// The presenter's own window (`?presenter`).
    Presenter,
}

/// What had the keyboard focus when the key was pressed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Focus {
    /// The page itself (nothing in particular).
    Page,
    /// A button, link or checkbox: Space and Enter belong to it.
    Control,
    /// A text field or a list box: every key belongs to it.
    TextField,
}

/// What a key or a button asks for.
#[derive(Clone, PartialEq, Debug)]
pub enum Command {
    /// Act on the session (step through the flow).
    Session(Action),
    /// Enter fullscreen, or leave it.
    ToggleFullscreen,
    /// Leave fullscreen (Esc, where the browser lets the page see it).
    ExitFullscreen,
    /// Leave the presentation for the full simulator and the person's own work.
    Leave,
    /// Open (or bring back) the presenter window.
    OpenPresenter,
    /// Show or hide the list of keys.
    ToggleHelp,
    /// Hide the list of keys.
    CloseHelp,
}

/// One key press, as the page saw it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Press<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    /// Ctrl, Alt or Meta was held: the browser's shortcut, not ours.
    pub modified: bool,
    /// What had the focus.
    pub focus: Focus,
    /// The page is in fullscreen.
    pub fullscreen: bool,
    /// The list of keys is open.
    pub help_open: bool,
    /// Which window.
    pub window: Window,
}

/// What a key press does.
#[derive(Clone, PartialEq, Debug)]
pub struct Outcome {
    /// The command to run, if any.
    pub command: Option<Command>,
    /// The digits typed so far (shown in a small overlay until Enter).
    pub digits: String,
    /// The page handled the key (so the browser's default must not run).
    pub handled: bool,
}

/// What the key `press` does, given the digits typed before it.
pub fn press(digits: &str, press: &Press) -> Outcome {
    let keep = |handled| Outcome {
        command: None,
        digits: digits.to_string(),
        handled,
    };
    let run = |command: Command| Outcome {
        command: Some(command),
        digits: String::new(),
        handled: true,
    };
    if press.modified || press.focus == Focus::TextField {
        return keep(false);
    }
    let step = |a: Action| run(Command::Session(a));
    match press.key {
        d if d.len() == 1 && d.as_bytes()[0].is_ascii_digit() => {
            let mut digits = digits.to_string();
            if digits.len() < MAX_DIGITS {
                digits.push_str(d);
            }
            Outcome {
                command: None,
                digits,
                handled: true,
            }
        }
        "Enter" if !digits.is_empty() => match digits.parse::<usize>() {
            Ok(n) if n >= 1 => step(Action::GoToStep(n - 1)),
            _ => Outcome {
                command: None,
                digits: String::new(),
                handled: true,
            },
        },
        "Backspace" if !digits.is_empty() => Outcome {
            command: None,
            digits: digits[..digits.len() - 1].to_string(),
            handled: true,
        },
        "Escape" if !digits.is_empty() => Outcome {
            command: None,
            digits: String::new(),
            handled: true,
        },
        "Escape" if press.help_open => run(Command::CloseHelp),
        "Escape" if press.fullscreen => run(Command::ExitFullscreen),
        "Escape" if press.window == Window::Audience => run(Command::Leave),
        " " if press.focus == Focus::Control => keep(false),
        "ArrowRight" | "PageDown" | " " => step(Action::NextStep),
        "ArrowLeft" | "PageUp" => step(Action::PreviousStep),
        "Home" => step(Action::FirstStep),
        "End" => step(Action::LastStep),
        "f" | "F" => run(Command::ToggleFullscreen),
        "p" | "P" if press.window == Window::Audience => run(Command::OpenPresenter),
        "?" => run(Command::ToggleHelp),
        _ => keep(false),
    }
}

/// The keys, as the help lists them: (keys, what they do).
pub const KEYS: &[(&str, &str)] = &[
    ("→  Space  Page Down", "Next step"),
    ("←  Page Up", "Previous step"),
    ("Home  End", "First step, last step"),
    ("a number, then Enter", "Go to that step"),
    ("F", "Fullscreen on or off"),
    ("P", "Open the presenter window"),
    ("?", "Show or hide these keys"),
    ("Esc", "Leave the presentation"),
];

/// The short line of keys shown at the foot of the audience view.
pub const HELP_LINE: &str =
    "→ Space next · ← back · Home End · 3 Enter: step 3 · F fullscreen · Esc exit · ? keys";

/// The same line in the presenter window (no Esc or P there).
pub const PRESENTER_HELP_LINE: &str =
    "→ Space next · ← back · Home End · 3 Enter: step 3 · F fullscreen · ? keys";

/// What both windows agree on: the scenario, the flow, the what-ifs and the step.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Shared {
    /// The scenario id.
    pub scenario: String,
    /// The flow (0-based).
    pub flow: usize,
    /// The active what-ifs, in the order they were turned on.
    pub what_ifs: Vec<usize>,
    /// The step (0-based).
    pub step: usize,
}

impl Shared {
    /// What `session` shows.
    pub fn of(session: &Session) -> Shared {
        Shared {
            scenario: session.scenario_id.clone(),
            flow: session.flow,
            what_ifs: session.what_ifs.clone(),
            step: session.step,
        }
    }
}

/// A message between the two windows.
#[derive(Clone, PartialEq, Debug)]
pub enum Message {
    /// A window has just opened and asks for the current state.
    Hello,
    /// This is where the presentation is; `started_at` (ms since 1970) is when the audience
    /// view opened, for the presenter's timer.
    State {
        /// The state.
        state: Shared,
        /// When the presentation started, if the sender knows.
        started_at: Option<f64>,
    },
}

/// The message as the text posted on the channel.
pub fn encode(message: &Message) -> String {
    match message {
        Message::Hello => json!({ "type": "hello" }).to_string(),
        Message::State { state, started_at } => {
            let mut v = json!({
                "type": "state",
                "scenario": state.scenario,
                "flow": state.flow,
                "whatIfs": state.what_ifs,
                "step": state.step,
            });
            if let Some(t) = started_at {
                v["startedAt"] = json!(t);
            }
            v.to_string()
        }
    }
}

/// Reads a message from the other window; anything else gets a sentence saying what is wrong.
/// Only known fields are read; a scenario that is not shipped is refused.
pub fn decode(text: &str) -> Result<Message, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("a presentation message that is not JSON ({e}) was ignored"))?;
    let kind = v
        .get("type")
        .and_then(Value::as_str)
        .ok_or("a presentation message without a \"type\" was ignored")?;
    match kind {
        "hello" => Ok(Message::Hello),
        "state" => {
            let scenario = v
                .get("scenario")
                .and_then(Value::as_str)
                .ok_or("a presentation message without a scenario was ignored")?;
            if shipped(scenario).is_none() {
                return Err(format!(
                    "a presentation message for the unknown scenario \"{}\" was ignored",
                    scenario.chars().take(40).collect::<String>()
                ));
            }
            let number = |field: &str| {
                v.get(field)
                    .and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or(format!(
                        "a presentation message whose {field} is not a number from 0 up was ignored"
                    ))
            };
            let mut what_ifs: Vec<usize> = Vec::new();
            for w in v
                .get("whatIfs")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                match w.as_u64().and_then(|n| usize::try_from(n).ok()) {
                    Some(n) if !what_ifs.contains(&n) => what_ifs.push(n),
                    Some(_) => {}
                    None => {
                        return Err(
                            "a presentation message with a what-if that is not a number was ignored"
                                .to_string(),
                        );
                    }
                }
            }
            Ok(Message::State {
                state: Shared {
                    scenario: scenario.to_string(),
                    flow: number("flow")?,
                    what_ifs,
                    step: number("step")?,
                },
                started_at: v
                    .get("startedAt")
                    .and_then(Value::as_f64)
                    .filter(|t| t.is_finite()),
            })
        }
        other => Err(format!(
            "a presentation message of the unknown type \"{}\" was ignored",
            other.chars().take(40).collect::<String>()
        )),
    }
}

/// The actions that bring `session` to `target`: open its scenario if it is another, pick its
/// flow, set its what-ifs, go to its step (the session clamps a step past the end). Empty when
/// the session already shows it.
pub fn follow(session: &Session, target: &Shared) -> Vec<Action> {
    let mut actions = Vec::new();
    let (mut flow, mut what_ifs) = (session.flow, session.what_ifs.as_slice());
    if target.scenario != session.scenario_id {
        actions.push(Action::OpenScenario(target.scenario.clone()));
        (flow, what_ifs) = (0, &[]);
    }
    if target.flow != flow {
        actions.push(Action::SelectFlow(target.flow));
        what_ifs = &[];
    }
    if what_ifs != target.what_ifs.as_slice() {
        // Turn every what-if off, then the target's on in its order, so Fix it drops the same one.
        actions.extend(what_ifs.iter().map(|&i| Action::ToggleWhatIf(i)));
        actions.extend(target.what_ifs.iter().map(|&i| Action::ToggleWhatIf(i)));
    }
    if !actions.is_empty() || target.step != session.step {
        actions.push(Action::GoToStep(target.step));
    }
    actions
}

/// One window's side of the conversation: it remembers the last state it sent or received, so
/// a state it has just followed is not sent back (no echo) and an unchanged one is not resent.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Link {
    last: Option<Shared>,
}

/// What to do with a message from the other window.
#[derive(Clone, PartialEq, Debug)]
pub enum Incoming {
    /// The other window has just opened: the audience view answers with its state.
    Hello,
    /// Follow the other window.
    Follow {
        /// The actions to dispatch (none when already there).
        actions: Vec<Action>,
        /// When the presentation started, if the sender said.
        started_at: Option<f64>,
    },
}

impl Link {
    /// A link that already counts `state` as known: the presenter window does not announce the
    /// state its address opened, it asks for the audience's.
    pub fn knowing(state: Shared) -> Link {
        Link { last: Some(state) }
    }

    /// The message to send now that the window shows `current`, unless the other window
    /// already knows it.
    pub fn outgoing(&mut self, current: &Shared, started_at: Option<f64>) -> Option<String> {
        if self.last.as_ref() == Some(current) {
            return None;
        }
        Some(self.answer(current, started_at))
    }

    /// The message that tells the other window where this one is, sent even if unchanged
    /// (the answer to a hello).
    pub fn answer(&mut self, current: &Shared, started_at: Option<f64>) -> String {
        self.last = Some(current.clone());
        encode(&Message::State {
            state: current.clone(),
            started_at,
        })
    }

    /// Reads a message from the other window, for a window showing `session`.
    pub fn incoming(&mut self, text: &str, session: &Session) -> Result<Incoming, String> {
        match decode(text)? {
            Message::Hello => Ok(Incoming::Hello),
            Message::State { state, started_at } => {
                let actions = follow(session, &state);
                self.last = Some(state);
                Ok(Incoming::Follow {
                    actions,
                    started_at,
                })
            }
        }
    }
}

/// The next step, as the presenter window previews it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct NextStep {
    /// "Step n of m".
    pub label: String,
    /// "n. Title".
    pub title: String,
    /// The first sentence of its narration.
    pub line: String,
}

/// What the presenter window shows.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PresenterView {
    /// The scenario's title.
    pub scenario: String,
    /// The flow's title.
    pub flow: String,
    /// "Step n of m".
    pub label: String,
    /// "n. Title" of the current step.
    pub title: String,
    /// The speaker note for the step, if the scenario has one.
    pub note: Option<String>,
    /// The next step, or `None` on the last step.
    pub next: Option<NextStep>,
}

/// What the presenter window shows for `session`.
pub fn presenter_view(session: &Session) -> PresenterView {
    let steps = session
        .walkthrough
        .as_ref()
        .map(|w| w.steps.as_slice())
        .unwrap_or_default();
    let count = steps.len();
    let numbered = |i: usize| {
        steps
            .get(i)
            .map(|s| format!("{}. {}", i + 1, s.title))
            .unwrap_or_default()
    };
    PresenterView {
        scenario: session.scenario.title.clone(),
        flow: session
            .walkthrough
            .as_ref()
            .map(|w| w.title.clone())
            .unwrap_or_default(),
        label: session.step_label(),
        title: numbered(session.step),
        note: session.speaker_note().map(str::to_string),
        next: steps.get(session.step + 1).map(|s| NextStep {
            label: format!("Step {} of {count}", session.step + 2),
            title: numbered(session.step + 1),
            line: first_sentence(&s.narration).to_string(),
        }),
    }
}

/// The first sentence (or first line) of `text`.
pub fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    let line = text.lines().next().unwrap_or_default();
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends = matches!(b, b'.' | b'!' | b'?' | b':');
        let followed = bytes.get(i + 1).is_none_or(|n| *n == b' ');
        // "e.g." or "v1.0" do not end a sentence: the next word must start with a capital.
        let capital_next = bytes.get(i + 2).is_none_or(|n| n.is_ascii_uppercase());
        if ends && b != b':' && followed && capital_next {
            return &line[..=i];
        }
    }
    line
}

/// Elapsed time as `mm:ss` (minutes keep counting past 59).
pub fn elapsed_label(ms: f64) -> String {
    let seconds = if ms.is_finite() && ms > 0.0 {
        (ms / 1000.0).floor() as u64
    } else {
        0
    };
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// The address (query string with its `?`) of `mode` for what `session` shows.
pub fn address(mode: Mode, session: &Session) -> String {
    format!(
        "?{}",
        launch::query(
            mode,
            &session.scenario_id,
            session.flow,
            session.step,
            false
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: &str) -> Press<'_> {
        Press {
            key,
            modified: false,
            focus: Focus::Page,
            fullscreen: false,
            help_open: false,
            window: Window::Audience,
        }
    }

    #[test]
    fn each_key_runs_its_command_and_keeps_or_clears_the_digits() {
        use Action::*;
        let step = |a| Some(Command::Session(a));
        // (digits before, key, command, digits after, handled)
        let cases: Vec<(&str, Press, Option<Command>, &str, bool)> = vec![
            ("", key("ArrowRight"), step(NextStep), "", true),
            ("", key(" "), step(NextStep), "", true),
            ("", key("PageDown"), step(NextStep), "", true),
            ("", key("ArrowLeft"), step(PreviousStep), "", true),
            ("", key("PageUp"), step(PreviousStep), "", true),
            ("", key("Home"), step(FirstStep), "", true),
            ("", key("End"), step(LastStep), "", true),
            ("", key("3"), None, "3", true),
            ("1", key("2"), None, "12", true),
            ("123", key("4"), None, "123", true),
            ("3", key("Enter"), step(GoToStep(2)), "", true),
            ("12", key("Enter"), step(GoToStep(11)), "", true),
            ("0", key("Enter"), None, "", true),
            ("", key("Enter"), None, "", false),
            ("12", key("Backspace"), None, "1", true),
            ("", key("Backspace"), None, "", false),
            ("4", key("Escape"), None, "", true),
            ("4", key("ArrowRight"), step(NextStep), "", true),
            ("4", key("Shift"), None, "4", false),
            ("", key("f"), Some(Command::ToggleFullscreen), "", true),
            ("", key("F"), Some(Command::ToggleFullscreen), "", true),
            ("", key("p"), Some(Command::OpenPresenter), "", true),
            ("", key("?"), Some(Command::ToggleHelp), "", true),
            ("", key("Escape"), Some(Command::Leave), "", true),
            ("", key("x"), None, "", false),
        ];
        for (before, p, command, after, handled) in cases {
            assert_eq!(
                press(before, &p),
                Outcome {
                    command,
                    digits: after.to_string(),
                    handled
                },
                "{before:?} then {:?}",
                p.key
            );
        }
    }

    #[test]
    fn keys_depend_on_the_focus_the_window_and_what_is_open() {
        let base = key("Escape");
        // (press, command, handled)
        let cases: Vec<(Press, Option<Command>, bool)> = vec![
            (
                Press {
                    fullscreen: true,
                    ..base
                },
                Some(Command::ExitFullscreen),
                true,
            ),
            (
                Press {
                    help_open: true,
                    fullscreen: true,
                    ..base
                },
                Some(Command::CloseHelp),
                true,
            ),
            (
                Press {
                    window: Window::Presenter,
                    ..base
                },
                None,
                false,
            ),
            (
                Press {
                    window: Window::Presenter,
                    ..key("p")
                },
                None,
                false,
            ),
            (
                Press {
                    window: Window::Presenter,
                    ..key("ArrowRight")
                },
                Some(Command::Session(Action::NextStep)),
                true,
            ),
            (
                Press {
                    focus: Focus::Control,
                    ..key(" ")
                },
                None,
                false,
            ),
            (
                Press {
                    focus: Focus::Control,
                    ..key("ArrowRight")
                },
                Some(Command::Session(Action::NextStep)),
                true,
            ),
            (
                Press {
                    focus: Focus::TextField,
                    ..key("ArrowRight")
                },
                None,
                false,
            ),
            (
                Press {
                    modified: true,
                    ..key("f")
                },
                None,
                false,
            ),
        ];
        for (p, command, handled) in cases {
            let out = press("", &p);
            assert_eq!((out.command, out.handled), (command, handled), "{p:?}");
        }
        // A number typed before a focused control's Enter is ours; a bare Enter is the control's.
        let control = |k| Press {
            focus: Focus::Control,
            ..key(k)
        };
        assert_eq!(
            press("2", &control("Enter")).command,
            Some(Command::Session(Action::GoToStep(1)))
        );
        assert!(!press("", &control("Enter")).handled);
    }

    #[test]
    fn messages_round_trip() {
        let state = Shared {
            scenario: "lifecycle".into(),
            flow: 1,
            what_ifs: vec![2, 0],
            step: 4,
        };
        let cases = [
            (Message::Hello, r#"{"type":"hello"}"#.to_string()),
            (
                Message::State {
                    state: state.clone(),
                    started_at: Some(1_700_000_000_000.0),
                },
                r#"{"type":"state","scenario":"lifecycle","flow":1,"whatIfs":[2,0],"step":4,"startedAt":1700000000000.0}"#.to_string(),
            ),
            (
                Message::State {
                    state,
                    started_at: None,
                },
                r#"{"type":"state","scenario":"lifecycle","flow":1,"whatIfs":[2,0],"step":4}"#
                    .to_string(),
            ),
        ];
        for (message, text) in cases {
            assert_eq!(encode(&message), text);
            assert_eq!(decode(&text), Ok(message));
        }
    }

    #[test]
    fn bad_messages_are_refused_with_a_reason() {
        let cases = [
            (
                "not json",
                "a presentation message that is not JSON (expected ident at line 1 column 2) was ignored",
            ),
            (
                "{}",
                "a presentation message without a \"type\" was ignored",
            ),
            (
                r#"{"type":"wave"}"#,
                "a presentation message of the unknown type \"wave\" was ignored",
            ),
            (
                r#"{"type":"state","flow":0,"step":0}"#,
                "a presentation message without a scenario was ignored",
            ),
            (
                r#"{"type":"state","scenario":"nope","flow":0,"step":0}"#,
                "a presentation message for the unknown scenario \"nope\" was ignored",
            ),
            (
                r#"{"type":"state","scenario":"lifecycle","flow":0,"step":-1}"#,
                "a presentation message whose step is not a number from 0 up was ignored",
            ),
            (
                r#"{"type":"state","scenario":"lifecycle","step":1}"#,
                "a presentation message whose flow is not a number from 0 up was ignored",
            ),
            (
                r#"{"type":"state","scenario":"lifecycle","flow":0,"step":1,"whatIfs":["a"]}"#,
                "a presentation message with a what-if that is not a number was ignored",
            ),
        ];
        for (text, reason) in cases {
            assert_eq!(decode(text), Err(reason.to_string()), "{text}");
        }
        // Repeated what-ifs count once; a missing list means none.
        let text = r#"{"type":"state","scenario":"lifecycle","flow":0,"step":1,"whatIfs":[1,1]}"#;
        let Ok(Message::State { state, .. }) = decode(text) else {
            panic!("{text}");
        };
        assert_eq!(state.what_ifs, vec![1]);
    }

    fn after(session: &Session, actions: Vec<Action>) -> Session {
        actions
            .into_iter()
            .fold(session.clone(), |s, a| s.reduce(a))
    }

    #[test]
    fn following_a_state_opens_its_scenario_flow_what_ifs_and_step() {
        let here = Session::open_at("lifecycle", None, Some(1));
        let shared = |scenario: &str, flow, what_ifs: Vec<usize>, step| Shared {
            scenario: scenario.into(),
            flow,
            what_ifs,
            step,
        };
        // (target, actions, resulting scenario, flow, what-ifs, step label)
        type Case = (
            Shared,
            Vec<Action>,
            &'static str,
            usize,
            Vec<usize>,
            &'static str,
        );
        let cases: Vec<Case> = vec![
            (
                shared("lifecycle", 0, vec![], 1),
                vec![],
                "lifecycle",
                0,
                vec![],
                "Step 2 of 9",
            ),
            (
                shared("lifecycle", 0, vec![], 4),
                vec![Action::GoToStep(4)],
                "lifecycle",
                0,
                vec![],
                "Step 5 of 9",
            ),
            (
                shared("lifecycle", 0, vec![], 99),
                vec![Action::GoToStep(99)],
                "lifecycle",
                0,
                vec![],
                "Step 9 of 9",
            ),
            (
                shared("least-privilege", 0, vec![], 2),
                vec![
                    Action::OpenScenario("least-privilege".into()),
                    Action::GoToStep(2),
                ],
                "least-privilege",
                0,
                vec![],
                "Step 3 of 8",
            ),
            (
                shared("lifecycle", 1, vec![], 0),
                vec![Action::SelectFlow(1), Action::GoToStep(0)],
                "lifecycle",
                1,
                vec![],
                "Step 1 of 9",
            ),
            (
                shared("lifecycle", 0, vec![0], 0),
                vec![Action::ToggleWhatIf(0), Action::GoToStep(0)],
                "lifecycle",
                0,
                vec![0],
                "Step 1 of 1",
            ),
        ];
        for (target, actions, scenario, flow, what_ifs, label) in cases {
            let got = follow(&here, &target);
            assert_eq!(got, actions, "{target:?}");
            let s = after(&here, got);
            assert_eq!(
                (
                    s.scenario_id.as_str(),
                    s.flow,
                    s.what_ifs.clone(),
                    s.step_label().as_str()
                ),
                (scenario, flow, what_ifs, label),
                "{target:?}"
            );
        }
        // What-ifs in another order are turned off and on again in the target's order.
        let two = after(
            &here,
            vec![Action::ToggleWhatIf(1), Action::ToggleWhatIf(0)],
        );
        let target = shared("lifecycle", 0, vec![0, 1], 0);
        let s = after(&two, follow(&two, &target));
        assert_eq!(s.what_ifs, vec![0, 1]);
    }

    #[test]
    fn a_followed_state_is_not_sent_back_and_an_unchanged_one_not_resent() {
        let s = Session::open_at("lifecycle", None, Some(1));
        let mut link = Link::default();
        let here = Shared::of(&s);
        assert!(link.outgoing(&here, None).is_some(), "first state is sent");
        assert_eq!(link.outgoing(&here, None), None, "unchanged");
        // The other window stepped: follow it, and do not echo.
        let text = encode(&Message::State {
            state: Shared {
                step: 5,
                ..here.clone()
            },
            started_at: Some(5.0),
        });
        let incoming = link.incoming(&text, &s).unwrap();
        assert_eq!(
            incoming,
            Incoming::Follow {
                actions: vec![Action::GoToStep(5)],
                started_at: Some(5.0)
            }
        );
        let followed = s.reduce(Action::GoToStep(5));
        assert_eq!(link.outgoing(&Shared::of(&followed), None), None);
        // This window steps: send it.
        let stepped = Shared::of(&followed.reduce(Action::NextStep));
        assert_eq!(
            link.outgoing(&stepped, None),
            Some(
                r#"{"type":"state","scenario":"lifecycle","flow":0,"whatIfs":[],"step":6}"#.into()
            )
        );
        // A hello is answered even when nothing changed.
        assert_eq!(
            link.incoming(r#"{"type":"hello"}"#, &s),
            Ok(Incoming::Hello)
        );
        assert!(link.answer(&stepped, None).contains("\"step\":6"));
        // The presenter window does not announce the state its address opened.
        let mut presenter = Link::knowing(here.clone());
        assert_eq!(presenter.outgoing(&here, None), None);
        // Garbage changes nothing.
        assert!(presenter.incoming("garbage", &s).is_err());
        assert_eq!(presenter.outgoing(&here, None), None);
    }

    #[test]
    fn the_presenter_sees_the_note_and_the_next_step() {
        let lifecycle = |step| Session::open_at("lifecycle", None, Some(step));
        let view = presenter_view(&lifecycle(0));
        assert_eq!(view.label, "Step 1 of 9");
        assert_eq!(
            view.scenario,
            "Life cycle: what goes when a resource is deleted"
        );
        assert_eq!(
            view.note.as_deref(),
            Some(
                "The system-assigned identity shares the VM's life: created with the switch, deleted with the VM."
            )
        );
        let next = view.next.unwrap();
        assert_eq!(next.label, "Step 2 of 9");
        assert!(next.title.starts_with("2. "), "{}", next.title);
        assert!(!next.line.is_empty());
        // The credential step has no note in this scenario.
        assert_eq!(presenter_view(&lifecycle(2)).note, None);
        let last = presenter_view(&lifecycle(8));
        assert_eq!(last.label, "Step 9 of 9");
        assert_eq!(last.next, None);
    }

    #[test]
    fn the_first_sentence_ends_at_a_full_stop_before_a_capital() {
        let cases = [
            ("One. Two.", "One."),
            ("Only one", "Only one"),
            ("Ends here.", "Ends here."),
            ("Line one\nLine two", "Line one"),
            ("Call v1.0 of it. Then", "Call v1.0 of it."),
            ("Use e.g. this. Next", "Use e.g. this."),
            ("Why? Because", "Why?"),
            ("  padded. Yes", "padded."),
            ("", ""),
        ];
        for (text, first) in cases {
            assert_eq!(first_sentence(text), first, "{text:?}");
        }
    }

    #[test]
    fn elapsed_time_reads_as_minutes_and_seconds() {
        let cases = [
            (0.0, "00:00"),
            (999.0, "00:00"),
            (1_000.0, "00:01"),
            (61_500.0, "01:01"),
            (3_599_000.0, "59:59"),
            (4_500_000.0, "75:00"),
            (-5_000.0, "00:00"),
            (f64::NAN, "00:00"),
        ];
        for (ms, label) in cases {
            assert_eq!(elapsed_label(ms), label, "{ms}");
        }
    }

    #[test]
    fn the_address_opens_the_same_scenario_flow_and_step() {
        let s = Session::open_at("lifecycle", Some(1), Some(3));
        assert_eq!(
            address(Mode::Present, &s),
            "?present&scenario=lifecycle&flow=2&step=4"
        );
        assert_eq!(
            address(Mode::Presenter, &Session::open("lifecycle")),
            "?presenter&scenario=lifecycle&step=1"
        );
    }
}
