//! The app's state and its one reducer, as plain data: which scenario and flow are open, the
//! simulation (world and platform), the active what-ifs, the current step, undo and redo, and
//! the raw-request editor's last result. The UI holds one `Session` and dispatches `Action`s;
//! every rule about what an action does lives here and is tested natively.

use crate::model::flow::{self, FixAction, HttpText, StepKind, Walkthrough, WhatIf};
use crate::model::http::parse_request;
use crate::model::platform::{CallSite, Simulation};
use crate::model::scenario::{SHIPPED, Scenario, shipped};
use crate::model::world::Command;
use serde::{Deserialize, Serialize};

/// One entry of the scenario picker.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct ScenarioEntry {
    /// The scenario id (its file name without `.json`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// One line saying what it shows.
    pub description: String,
}

/// The shipped scenarios, in picker order.
pub fn scenario_entries() -> Vec<ScenarioEntry> {
    serde_json::from_str(crate::model::scenario::shipped_index()).unwrap_or_default()
}

/// The scenario opened when nothing else is asked for.
pub const DEFAULT_SCENARIO: &str = "vm-keyvault-system-assigned";

/// What the person did.
#[derive(Clone, PartialEq, Debug)]
pub enum Action {
    /// Open a shipped scenario by id, at its first flow and first step.
    OpenScenario(String),
    /// Switch to the flow at this index.
    SelectFlow(usize),
    /// Go to the next step.
    NextStep,
    /// Go to the previous step.
    PreviousStep,
    /// Go to the first step.
    FirstStep,
    /// Go to the last step.
    LastStep,
    /// Go to step `n` (0-based), clamped.
    GoToStep(usize),
    /// Turn the flow's what-if at this index on or off.
    ToggleWhatIf(usize),
    /// Apply the failing walkthrough's fix.
    ApplyFix,
    /// Let simulated time pass.
    AdvanceClock(i64),
    /// Undo the last change to the world.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Restore the scenario as shipped.
    Reset,
    /// Send an edited HTTP request from where the flow's code runs.
    SendRaw {
        /// The step whose request was edited.
        step: usize,
        /// The request text.
        text: String,
    },
    /// Close the raw editor's result.
    ClearRaw,
    /// Select a graph element by id (or clear the selection).
    Select(Option<String>),
    /// Apply a command to the world (an edit); a rejected command changes nothing and its
    /// message goes to `command_error`.
    Apply(Box<Command>),
}

/// The version of the autosave format; a saved state of another version is ignored.
pub const SAVE_VERSION: u32 = 1;

/// What autosave keeps: enough to put the screen back as it was after a reload (undo
/// history is not kept; Reset still restores the scenario as shipped).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Saved {
    /// [`SAVE_VERSION`] when written.
    pub version: u32,
    /// The open scenario's id.
    pub scenario_id: String,
    /// The simulation as the person changed it.
    pub sim: Simulation,
    /// The selected flow.
    pub flow: usize,
    /// The current step.
    pub step: usize,
    /// The active what-ifs.
    pub what_ifs: Vec<usize>,
}

/// The result of sending an edited request.
#[derive(Clone, PartialEq, Debug)]
pub struct RawResult {
    /// The step it belongs to.
    pub step: usize,
    /// The exchange, or the reason the text could not be sent.
    pub outcome: Result<HttpText, String>,
}

/// Everything the screen shows.
#[derive(Clone, PartialEq, Debug)]
pub struct Session {
    /// The open scenario's id.
    pub scenario_id: String,
    /// The open scenario.
    pub scenario: Scenario,
    /// The simulation as the person has changed it.
    pub sim: Simulation,
    /// The simulation as shipped, for Reset.
    shipped: Simulation,
    /// The selected flow's index.
    pub flow: usize,
    /// Indexes (into the flow's `whatIfs`) of the active what-ifs, in the order turned on.
    pub what_ifs: Vec<usize>,
    /// Extra what-ifs a fix added (e.g. naming the identity).
    pub extra_what_ifs: Vec<WhatIf>,
    /// The current step (0-based).
    pub step: usize,
    /// The walkthrough for the current state.
    pub walkthrough: Option<Walkthrough>,
    /// Why there is no walkthrough, if there is none.
    pub error: Option<String>,
    /// The raw editor's last result.
    pub raw: Option<RawResult>,
    /// The selected graph element's id.
    pub selected: Option<String>,
    /// Why the last edit was refused.
    pub command_error: Option<String>,
    undo: Vec<Simulation>,
    redo: Vec<Simulation>,
    revision: u64,
}

impl Session {
    /// Opens a shipped scenario; an unknown id opens the default one and says so in `error`.
    pub fn open(id: &str) -> Session {
        match Session::try_open(id) {
            Ok(s) => s,
            Err(message) => {
                let mut s = Session::try_open(DEFAULT_SCENARIO)
                    .or_else(|_| Session::try_open(SHIPPED[0].id))
                    .unwrap_or_else(|_| Session::empty());
                s.error = Some(message);
                s
            }
        }
    }

    fn empty() -> Session {
        let scenario = Scenario::from_json(r#"{"version":1}"#).unwrap_or_else(|_| {
            // The minimal document always parses; this keeps the UI alive regardless.
            Scenario::from_world(&crate::model::world::World::new(0))
        });
        let sim = Simulation::new(crate::model::world::World::new(0));
        Session::fresh(String::new(), scenario, sim)
    }

    /// A session on `sim` as shipped: first flow, first step, no what-ifs, empty history.
    fn fresh(scenario_id: String, scenario: Scenario, sim: Simulation) -> Session {
        Session {
            scenario_id,
            scenario,
            shipped: sim.clone(),
            sim,
            flow: 0,
            what_ifs: Vec::new(),
            extra_what_ifs: Vec::new(),
            step: 0,
            walkthrough: None,
            error: None,
            raw: None,
            selected: None,
            command_error: None,
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
        }
    }

    /// Opens a shipped scenario at a pinned flow and step (0-based, clamped); an unknown
    /// scenario opens the default one and says so in `error`.
    pub fn open_at(id: &str, flow: Option<usize>, step: Option<usize>) -> Session {
        let mut s = Session::open(id);
        if let Some(flow) = flow.filter(|&f| f < s.scenario.flows.len() && f != s.flow) {
            let error = s.error.take();
            s = s.reduce(Action::SelectFlow(flow));
            s.error = s.error.take().or(error);
        }
        if let Some(step) = step {
            s.step = step.min(s.step_count().saturating_sub(1));
        }
        s
    }

    /// Opens a shipped scenario, or says why it cannot.
    pub fn try_open(id: &str) -> Result<Session, String> {
        let file = shipped(id).ok_or_else(|| format!("no shipped scenario \"{id}\""))?;
        let scenario = Scenario::from_json(file.json).map_err(|e| format!("{id}: {e}"))?;
        let world = scenario.build_world().map_err(|e| format!("{id}: {e}"))?;
        let mut session = Session::fresh(id.to_string(), scenario, Simulation::new(world));
        session.recompute();
        Ok(session)
    }

    /// The active what-ifs as values.
    pub fn active_what_ifs(&self) -> Vec<WhatIf> {
        let Some(flow) = self.scenario.flows.get(self.flow) else {
            return Vec::new();
        };
        self.what_ifs
            .iter()
            .filter_map(|&i| flow.what_ifs.get(i))
            .filter_map(|spec| WhatIf::from_spec(spec).ok())
            .chain(self.extra_what_ifs.iter().cloned())
            .collect()
    }

    /// The number of steps of the current walkthrough.
    pub fn step_count(&self) -> usize {
        self.walkthrough.as_ref().map_or(0, |w| w.steps.len())
    }

    /// "Step n of m".
    pub fn step_label(&self) -> String {
        format!(
            "Step {} of {}",
            (self.step + 1).min(self.step_count()),
            self.step_count()
        )
    }

    /// Whether Undo and Redo have something to do.
    pub fn can_undo(&self) -> (bool, bool) {
        (!self.undo.is_empty(), !self.redo.is_empty())
    }

    /// The speaker note for the current step, if the scenario has one.
    pub fn speaker_note(&self) -> Option<&str> {
        let kind = self.walkthrough.as_ref()?.steps.get(self.step)?.kind;
        self.scenario
            .flows
            .get(self.flow)?
            .speaker_notes
            .get(kind.name())
            .map(String::as_str)
    }

    fn recompute(&mut self) {
        self.raw = None;
        let what_ifs = self.active_what_ifs();
        match self.scenario.flows.get(self.flow) {
            None => {
                self.walkthrough = None;
                self.error = Some("this scenario has no flow to walk".to_string());
            }
            Some(flow) => match flow::walk(&self.sim, flow, &what_ifs) {
                Ok(w) => {
                    self.walkthrough = Some(w);
                    self.error = None;
                }
                Err(e) => {
                    self.walkthrough = None;
                    self.error = Some(e.to_string());
                }
            },
        }
        self.step = self.step.min(self.step_count().saturating_sub(1));
    }

    /// Jumps to where the walkthrough fails, so a change shows its effect at once.
    fn show_failure(&mut self) {
        if let Some(w) = &self.walkthrough {
            self.step = if w.failure.is_some() {
                w.steps.len().saturating_sub(1)
            } else {
                self.step.min(w.steps.len().saturating_sub(1))
            };
        }
    }

    fn change_world(&mut self, commands: &[Command]) -> Result<(), String> {
        let mut next = self.sim.clone();
        for c in commands {
            next.apply(c.clone()).map_err(|e| e.to_string())?;
        }
        self.undo.push(std::mem::replace(&mut self.sim, next));
        self.redo.clear();
        self.revision += 1;
        Ok(())
    }

    /// Applies one action and returns the new session (the old one is left as it was).
    pub fn reduce(&self, action: Action) -> Session {
        let mut s = self.clone();
        s.command_error = None;
        match action {
            Action::OpenScenario(id) => {
                let mut opened = Session::open(&id);
                opened.revision = s.revision + 1;
                return opened;
            }
            Action::SelectFlow(i) if i < s.scenario.flows.len() => {
                s.flow = i;
                s.what_ifs.clear();
                s.extra_what_ifs.clear();
                s.step = 0;
                s.recompute();
            }
            Action::SelectFlow(_) => {}
            Action::NextStep => s.step = (s.step + 1).min(s.step_count().saturating_sub(1)),
            Action::PreviousStep => s.step = s.step.saturating_sub(1),
            Action::FirstStep => s.step = 0,
            Action::LastStep => s.step = s.step_count().saturating_sub(1),
            Action::GoToStep(n) => s.step = n.min(s.step_count().saturating_sub(1)),
            Action::ToggleWhatIf(i) => {
                let exists = s
                    .scenario
                    .flows
                    .get(s.flow)
                    .is_some_and(|f| i < f.what_ifs.len());
                if exists {
                    if let Some(pos) = s.what_ifs.iter().position(|&x| x == i) {
                        s.what_ifs.remove(pos);
                    } else {
                        s.what_ifs.push(i);
                    }
                    s.extra_what_ifs.clear();
                    s.recompute();
                    s.show_failure();
                }
            }
            Action::ApplyFix => {
                let fix = s
                    .walkthrough
                    .as_ref()
                    .and_then(|w| w.failure.as_ref())
                    .and_then(|f| f.fix.clone());
                if let Some(fix) = fix {
                    match fix.action {
                        FixAction::DropWhatIf { index } => {
                            let user = s.what_ifs.len();
                            if index < user {
                                s.what_ifs.remove(index);
                            } else if index - user < s.extra_what_ifs.len() {
                                s.extra_what_ifs.remove(index - user);
                            }
                        }
                        FixAction::AddWhatIf { what_if } => s.extra_what_ifs.push(what_if),
                        FixAction::Apply { commands } => {
                            if let Err(e) = s.change_world(&commands) {
                                s.error = Some(e);
                                return s;
                            }
                        }
                        FixAction::Explain => return s,
                    }
                    s.recompute();
                    s.show_failure();
                }
            }
            Action::AdvanceClock(seconds) => {
                if s.change_world(&[Command::AdvanceClock { seconds }]).is_ok() {
                    s.recompute();
                }
            }
            Action::Undo => {
                if let Some(previous) = s.undo.pop() {
                    s.redo.push(std::mem::replace(&mut s.sim, previous));
                    s.revision += 1;
                    s.recompute();
                }
            }
            Action::Redo => {
                if let Some(next) = s.redo.pop() {
                    s.undo.push(std::mem::replace(&mut s.sim, next));
                    s.revision += 1;
                    s.recompute();
                }
            }
            Action::Reset => {
                if s.sim != s.shipped {
                    let shipped = s.shipped.clone();
                    s.undo.push(std::mem::replace(&mut s.sim, shipped));
                    s.redo.clear();
                    s.revision += 1;
                }
                s.what_ifs.clear();
                s.extra_what_ifs.clear();
                s.step = 0;
                s.recompute();
            }
            Action::SendRaw { step, text } => {
                s.raw = Some(RawResult {
                    step,
                    outcome: s.send_raw(&text),
                });
            }
            Action::ClearRaw => s.raw = None,
            Action::Select(id) => s.selected = id,
            Action::Apply(command) => match s.change_world(&[*command]) {
                Ok(()) => s.recompute(),
                Err(e) => s.command_error = Some(e),
            },
        }
        s
    }

    /// Sends `text` from where the flow's code runs, on a copy of the simulation: the world
    /// does not change, and a malformed request gets its parse error.
    fn send_raw(&self, text: &str) -> Result<HttpText, String> {
        let request = parse_request(text).map_err(|e| e.to_string())?;
        let flow = self
            .scenario
            .flows
            .get(self.flow)
            .ok_or_else(|| "no flow".to_string())?;
        let site = match self.sim.world.resource_named(&flow.from) {
            Some(r) => CallSite::Resource(r.id.clone()),
            None => CallSite::OnPremises(flow.from.clone()),
        };
        let mut sim = self.sim.clone();
        let exchange = sim.send(&site, request).map_err(|e| e.to_string())?;
        let (response, status) = match exchange.http() {
            Some(r) => (r.to_text(), Some(r.status)),
            None => match &exchange.response {
                crate::model::platform::Reply::ConnectionFailed(e) => (e.to_string(), None),
                crate::model::platform::Reply::Response(r) => (r.to_text(), Some(r.status)),
            },
        };
        Ok(HttpText {
            request: exchange.request.to_text(),
            response,
            status,
            simulated: exchange.simulated,
        })
    }

    /// What autosave compares to decide whether to write: it changes whenever the world,
    /// the scenario, the flow, the step or the what-ifs do, and not on selection.
    pub fn save_key(&self) -> (u64, String, usize, usize, Vec<usize>) {
        (
            self.revision,
            self.scenario_id.clone(),
            self.flow,
            self.step,
            self.what_ifs.clone(),
        )
    }

    /// What autosave writes.
    pub fn save(&self) -> Saved {
        Saved {
            version: SAVE_VERSION,
            scenario_id: self.scenario_id.clone(),
            sim: self.sim.clone(),
            flow: self.flow,
            step: self.step,
            what_ifs: self.what_ifs.clone(),
        }
    }

    /// The session a saved state describes, or `None` when it is of another version or its
    /// scenario is no longer shipped. Unknown flows and what-ifs are dropped, the step clamped.
    pub fn restore(saved: Saved) -> Option<Session> {
        if saved.version != SAVE_VERSION {
            return None;
        }
        let mut s = Session::try_open(&saved.scenario_id).ok()?;
        s.sim = saved.sim;
        if saved.flow < s.scenario.flows.len() {
            s.flow = saved.flow;
        }
        let count = s.scenario.flows.get(s.flow).map_or(0, |f| f.what_ifs.len());
        s.what_ifs = saved.what_ifs.into_iter().filter(|&i| i < count).collect();
        s.what_ifs.dedup();
        s.recompute();
        s.step = saved.step.min(s.step_count().saturating_sub(1));
        Some(s)
    }

    /// The saved state as JSON text.
    pub fn save_json(&self) -> String {
        serde_json::to_string(&self.save()).unwrap_or_default()
    }

    /// Restores from JSON text; anything unreadable gives `None` (the caller opens the default).
    pub fn restore_json(text: &str) -> Option<Session> {
        serde_json::from_str::<Saved>(text)
            .ok()
            .and_then(Session::restore)
    }

    /// A number that changes whenever the simulation does (edits, undo, redo, reset, opening a
    /// scenario): what views derived from the world alone are memoised on.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Whether the current step is one whose request can be edited and re-sent.
    pub fn step_is_editable(&self) -> bool {
        self.walkthrough
            .as_ref()
            .and_then(|w| w.steps.get(self.step))
            .is_some_and(|s| {
                matches!(s.kind, StepKind::Endpoint | StepKind::Call) && !s.http.is_empty()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_scenario_opens_with_a_walkthrough() {
        let entries = scenario_entries();
        assert_eq!(entries.len(), SHIPPED.len());
        for entry in entries {
            let s = Session::try_open(&entry.id).unwrap();
            assert!(s.walkthrough.is_some(), "{}: {:?}", entry.id, s.error);
            assert_eq!(s.step, 0);
        }
    }

    #[test]
    fn an_unknown_scenario_opens_the_default_and_says_why() {
        let s = Session::open("nope");
        assert_eq!(s.scenario_id, DEFAULT_SCENARIO);
        assert_eq!(s.error.as_deref(), Some("no shipped scenario \"nope\""));
    }

    #[test]
    fn a_pinned_scenario_opens_at_its_flow_and_step() {
        // (scenario, flow, step, opened scenario, opened flow, step label)
        type Case<'a> = (
            &'a str,
            Option<usize>,
            Option<usize>,
            &'a str,
            usize,
            &'a str,
        );
        let cases: &[Case] = &[
            ("lifecycle", None, Some(2), "lifecycle", 0, "Step 3 of 9"),
            ("lifecycle", None, Some(99), "lifecycle", 0, "Step 9 of 9"),
            ("lifecycle", Some(99), None, "lifecycle", 0, "Step 1 of 9"),
            (
                "functions-shared-uami-storage",
                Some(1),
                Some(1),
                "functions-shared-uami-storage",
                1,
                "Step 2 of 9",
            ),
            ("nope", None, Some(1), DEFAULT_SCENARIO, 0, "Step 2 of 9"),
        ];
        for &(id, flow, step, opened, want_flow, label) in cases {
            let s = Session::open_at(id, flow, step);
            assert_eq!(
                (s.scenario_id.as_str(), s.flow, s.step_label().as_str()),
                (opened, want_flow, label),
                "{id} {flow:?} {step:?}"
            );
        }
    }

    #[test]
    fn stepping_stays_within_the_walkthrough() {
        let s = Session::open(DEFAULT_SCENARIO);
        assert_eq!(s.step_label(), "Step 1 of 9");
        let s = s.reduce(Action::PreviousStep);
        assert_eq!(s.step, 0);
        let s = s.reduce(Action::LastStep).reduce(Action::NextStep);
        assert_eq!(s.step_label(), "Step 9 of 9");
        let s = s.reduce(Action::GoToStep(3));
        assert_eq!(s.step_label(), "Step 4 of 9");
    }

    #[test]
    fn a_what_if_jumps_to_the_failure_and_fix_it_restores_success() {
        let s = Session::open(DEFAULT_SCENARIO);
        let metadata = s.scenario.flows[0]
            .what_ifs
            .iter()
            .position(|w| w.change == "noMetadataHeader")
            .unwrap();
        let broken = s.reduce(Action::ToggleWhatIf(metadata));
        let w = broken.walkthrough.as_ref().unwrap();
        assert_eq!(
            w.failure.as_ref().map(|f| (f.at, f.status)),
            Some((StepKind::Endpoint, Some(400)))
        );
        assert_eq!(broken.step_label(), "Step 4 of 4");
        let fixed = broken.reduce(Action::ApplyFix);
        assert!(fixed.walkthrough.as_ref().unwrap().succeeded());
        assert!(fixed.what_ifs.is_empty());
    }

    #[test]
    fn a_world_fix_is_undoable() {
        let s = Session::open("least-privilege");
        assert!(!s.walkthrough.as_ref().unwrap().succeeded());
        let fixed = s.reduce(Action::ApplyFix);
        assert!(fixed.walkthrough.as_ref().unwrap().succeeded());
        assert_eq!(fixed.can_undo(), (true, false));
        let undone = fixed.reduce(Action::Undo);
        assert_eq!(undone.sim, s.sim);
        assert!(!undone.walkthrough.as_ref().unwrap().succeeded());
        let redone = undone.reduce(Action::Redo);
        assert_eq!(redone.sim, fixed.sim);
        assert_eq!(redone.reduce(Action::Reset).sim, s.sim);
    }

    #[test]
    fn edits_change_the_world_and_refused_ones_change_nothing() {
        let s = Session::open(DEFAULT_SCENARIO);
        let ok = s.reduce(Action::Apply(Box::new(Command::DisableSystemAssigned {
            resource: "vm-web".into(),
        })));
        assert!(ok.command_error.is_none());
        assert!(
            ok.sim
                .world
                .resource_named("vm-web")
                .unwrap()
                .system_assigned
                .is_none()
        );
        assert!(!ok.walkthrough.as_ref().unwrap().succeeded());
        assert_eq!(ok.reduce(Action::Undo).sim, s.sim);
        let refused = s.reduce(Action::Apply(Box::new(Command::DeleteResource {
            resource: "vm-nope".into(),
        })));
        assert!(refused.command_error.is_some());
        assert_eq!(refused.sim, s.sim);
        assert_eq!(refused.can_undo(), (false, false));
    }

    #[test]
    fn a_saved_session_restores_after_a_reload() {
        let s = Session::open("least-privilege")
            .reduce(Action::ApplyFix)
            .reduce(Action::GoToStep(2));
        let restored = Session::restore_json(&s.save_json()).unwrap();
        assert_eq!(restored.scenario_id, "least-privilege");
        assert_eq!(restored.sim, s.sim);
        assert_eq!(restored.step, 2);
        assert_eq!(restored.walkthrough, s.walkthrough);
        assert_eq!(restored.can_undo(), (false, false));
        assert_eq!(
            restored.reduce(Action::Reset).sim,
            Session::open("least-privilege").sim
        );
    }

    #[test]
    fn garbage_or_old_saves_fall_back_cleanly() {
        let current = Session::open(DEFAULT_SCENARIO).save();
        let old = serde_json::to_string(&Saved {
            version: SAVE_VERSION + 1,
            ..current.clone()
        })
        .unwrap();
        let gone = serde_json::to_string(&Saved {
            scenario_id: "no-such-scenario".into(),
            ..current.clone()
        })
        .unwrap();
        for text in [
            "",
            "null",
            "{\"version\":1}",
            "not json",
            old.as_str(),
            gone.as_str(),
        ] {
            assert!(Session::restore_json(text).is_none(), "{text}");
        }
        let odd = Saved {
            flow: 99,
            step: 99,
            what_ifs: vec![0, 0, 99],
            ..current
        };
        let s = Session::restore(odd).unwrap();
        assert_eq!((s.flow, s.what_ifs.clone()), (0, vec![0]));
        assert_eq!(s.step, s.step_count() - 1);
    }

    #[test]
    fn the_clock_lets_propagation_finish() {
        let s = Session::open("limitations");
        assert!(!s.walkthrough.as_ref().unwrap().succeeded());
        let later = s.reduce(Action::AdvanceClock(600));
        assert!(later.walkthrough.as_ref().unwrap().succeeded());
        assert_eq!(later.sim.world.now().0, s.sim.world.now().0 + 600);
    }

    #[test]
    fn raw_requests_are_sent_or_rejected_without_changing_anything() {
        let s = Session::open(DEFAULT_SCENARIO).reduce(Action::GoToStep(3));
        assert!(s.step_is_editable());
        let text = "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n";
        let sent = s.reduce(Action::SendRaw {
            step: 3,
            text: text.to_string(),
        });
        let result = sent.raw.as_ref().unwrap().outcome.as_ref().unwrap();
        assert_eq!(result.status, Some(400));
        assert!(
            result
                .response
                .contains("Required metadata header not specified")
        );
        assert_eq!(sent.sim, s.sim);
        assert_eq!(sent.walkthrough, s.walkthrough);
        let bad = s.reduce(Action::SendRaw {
            step: 3,
            text: "GETT /x".to_string(),
        });
        let err = bad.raw.as_ref().unwrap().outcome.clone().unwrap_err();
        assert!(err.starts_with("line 1"), "{err}");
        assert_eq!(bad.sim, s.sim);
    }
}
