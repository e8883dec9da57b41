//! The app's state and its one reducer, as plain data: which scenario and flow are open, the
//! simulation (world and platform), the active what-ifs, the current step, undo and redo, and
//! the raw-request editor's last result. The UI holds one `Session` and dispatches `Action`s;
//! every rule about what an action does lives here and is tested natively.

use crate::model::flow::{self, FixAction, HttpText, StepKind, Walkthrough, WhatIf};
use crate::model::http::parse_request;
use crate::model::json::{FromJson, ToJson};
use crate::model::platform::{CallSite, Simulation};
use crate::model::scenario::{SHIPPED, Scenario, shipped};
use crate::model::world::Command;
use crate::view::import;
use std::rc::Rc;

/// One entry of the scenario picker.
#[derive(Clone, PartialEq, Eq, Debug, FromJson)]
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
    crate::model::json::from_text(crate::model::scenario::shipped_index()).unwrap_or_default()
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
    /// Open a scenario file the person chose or dropped. A file that is too large, not UTF-8,
    /// empty, not JSON or not a valid scenario changes nothing; why goes to `import_error`.
    Import {
        /// The file's name, as the browser gives it.
        file_name: String,
        /// Its size in bytes, as the browser reports it (checked before `bytes`).
        size: u64,
        /// Its contents (left empty when `size` is over the limit).
        bytes: Vec<u8>,
    },
    /// The browser could not read a chosen file; nothing changes but the message.
    ImportUnreadable {
        /// The file's name.
        file_name: String,
    },
    /// Close the message saying why a file did not open.
    DismissImportError,
    /// Open the state a share link's fragment carries (the page's address changed to one); a
    /// link that cannot be read changes nothing but `link_error`.
    OpenLink(String),
    /// Close the message saying why a link did not open.
    DismissLinkError,
    /// The browser refused to keep the autosaved state, `chars` characters long (too large,
    /// or its storage full or turned off); nothing changes but `autosave_error`.
    AutosaveRefused {
        /// The length of the text it refused.
        chars: usize,
    },
    /// The autosaved state was kept again, or the person closed the message: no message.
    DismissAutosaveError,
}

/// The version of the autosave format; a saved state of another version is ignored.
pub const SAVE_VERSION: u32 = 1;

/// What autosave keeps: enough to put the screen back as it was after a reload (undo
/// history is not kept; Reset still restores the scenario as shipped).
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
pub struct Saved {
    /// [`SAVE_VERSION`] when written.
    pub version: u32,
    /// The open scenario's id.
    pub scenario_id: String,
    /// The simulation as the person changed it.
    pub sim: Simulation,
    /// The commands that made it from the scenario as shipped or opened, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edits: Option<Vec<Command>>,
    /// The selected flow.
    pub flow: usize,
    /// The current step.
    pub step: usize,
    /// The active what-ifs.
    pub what_ifs: Vec<usize>,
    /// The scenario, when it was opened from a file rather than shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<ImportedScenario>,
}

/// A scenario opened from a file, as autosave (and a share link) carries it.
#[derive(Clone, PartialEq, Debug, ToJson, FromJson)]
pub struct ImportedScenario {
    /// The file's name.
    pub file_name: String,
    /// The scenario as opened.
    pub scenario: Scenario,
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
    /// The open scenario (shared: a step or a selection copies no scenario).
    pub scenario: Rc<Scenario>,
    /// The simulation as the person has changed it.
    pub sim: Rc<Simulation>,
    /// The simulation as shipped, for Reset.
    shipped: Rc<Simulation>,
    /// The selected flow's index.
    pub flow: usize,
    /// Indexes (into the flow's `whatIfs`) of the active what-ifs, in the order turned on.
    pub what_ifs: Vec<usize>,
    /// Extra what-ifs a fix added (e.g. naming the identity).
    pub extra_what_ifs: Vec<WhatIf>,
    /// The current step (0-based).
    pub step: usize,
    /// The step the person was on when a what-if sent them to the failure it causes: turning
    /// the what-ifs off again brings them back there, unless they have stepped since.
    step_before_what_if: Option<usize>,
    /// The walkthrough for the current state (shared, like the scenario).
    pub walkthrough: Option<Rc<Walkthrough>>,
    /// Why there is no walkthrough, if there is none.
    pub error: Option<String>,
    /// The raw editor's last result.
    pub raw: Option<RawResult>,
    /// The selected graph element's id.
    pub selected: Option<String>,
    /// Why the last edit was refused.
    pub command_error: Option<String>,
    /// The name of the file the scenario was opened from (`None` for a shipped one).
    pub imported_from: Option<String>,
    /// Why the share link the page was opened with did not open.
    pub link_error: Option<String>,
    /// Why the last file did not open.
    pub import_error: Option<String>,
    /// Why the browser did not keep the work (see [`crate::view::autosave`]).
    pub autosave_error: Option<String>,
    /// The commands applied since the scenario was opened as shipped (or from its file), when
    /// known (a world restored from an older save has none): what a share link carries.
    log: Option<Vec<Command>>,
    undo: Vec<Rc<Version>>,
    redo: Vec<Rc<Version>>,
    revision: u64,
}

/// A world the person can go back or forward to, with the commands that led to it. Shared
/// between the sessions of one history, so acting on a session does not copy its history.
#[derive(Clone, PartialEq, Debug)]
struct Version {
    sim: Rc<Simulation>,
    log: Option<Vec<Command>>,
}

/// The source of world revisions: every world a session holds gets a number no other world
/// in this program has had, so "same revision" means "same world" and a view can be
/// remembered by it.
static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_revision() -> u64 {
    REVISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
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
        let sim = Rc::new(sim);
        Session {
            scenario_id,
            scenario: Rc::new(scenario),
            shipped: sim.clone(),
            sim,
            flow: 0,
            what_ifs: Vec::new(),
            extra_what_ifs: Vec::new(),
            step: 0,
            step_before_what_if: None,
            walkthrough: None,
            error: None,
            raw: None,
            selected: None,
            command_error: None,
            imported_from: None,
            import_error: None,
            link_error: None,
            autosave_error: None,
            log: Some(Vec::new()),
            undo: Vec::new(),
            redo: Vec::new(),
            revision: next_revision(),
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

    /// Opens a scenario read from a file (see [`import::open_file`]): first flow, first step,
    /// empty history; Reset goes back to the file as opened.
    /// Whether the world differs from the scenario as shipped (or as opened from its file).
    pub fn is_edited(&self) -> bool {
        self.sim != self.shipped
    }

    /// Puts `world` in place of the current one, as a change that cannot be undone (a link
    /// opening); Reset still restores the scenario as shipped.
    pub fn replace_world(&mut self, world: crate::model::world::World) {
        self.sim = Rc::new(Simulation::new(world));
        self.log = None;
        self.revision = next_revision();
        self.recompute();
    }

    /// Puts back a saved or shared position: the flow, the what-ifs (unknown ones dropped)
    /// and the step (clamped).
    pub fn restore_position(&mut self, flow: usize, step: usize, what_ifs: Vec<usize>) {
        if flow < self.scenario.flows.len() {
            self.flow = flow;
        }
        let count = self
            .scenario
            .flows
            .get(self.flow)
            .map_or(0, |f| f.what_ifs.len());
        let mut kept: Vec<usize> = Vec::new();
        for i in what_ifs {
            if i < count && !kept.contains(&i) {
                kept.push(i);
            }
        }
        self.what_ifs = kept;
        self.recompute();
        self.step = step.min(self.step_count().saturating_sub(1));
    }

    /// A session on a scenario file that opened (see [`import::open_text`]).
    pub fn from_file(file_name: &str, opened: import::Opened) -> Session {
        let mut s = Session::fresh(opened.id, opened.scenario, Simulation::new(opened.world));
        s.imported_from = Some(file_name.to_string());
        s.recompute();
        s
    }

    /// The scenario file to download: the open scenario around the world as edited.
    pub fn download(&self) -> import::Download {
        import::download(&self.scenario_id, &self.scenario, &self.sim.world)
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

    /// A number that changes whenever the world does (an edit, undo, redo, reset, another
    /// scenario) and never comes back: views computed from the world are remembered by it.
    pub fn world_revision(&self) -> u64 {
        self.revision
    }

    /// Whether Undo and Redo have something to do.
    pub fn can_undo(&self) -> (bool, bool) {
        (!self.undo.is_empty(), !self.redo.is_empty())
    }

    /// Where the token travels on the graph at the current step, as the ids of the node it
    /// leaves and the node it reaches: from Entra ID's token service to the code's host when
    /// a token is issued (not when the platform hands out one from its cache), and from the
    /// caller to the target and back when it is sent and answered.
    pub fn token_hop(&self) -> Option<(String, String)> {
        use crate::model::flow::{StepKind, StepStatus};
        let w = self.walkthrough.as_ref()?;
        let step = w.steps.get(self.step)?;
        match (step.kind, step.elements.as_slice()) {
            (StepKind::Issue, [entra, ..]) if step.status != StepStatus::Cached => {
                let host = self.sim.world.resource_named(&w.origin)?;
                Some((entra.clone(), host.id.to_string()))
            }
            (StepKind::Call | StepKind::Answer, [a, b, ..]) => Some((a.clone(), b.clone())),
            _ => None,
        }
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
                    self.walkthrough = Some(Rc::new(w));
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
        let mut next = Simulation::clone(&self.sim);
        for c in commands {
            next.apply(c.clone()).map_err(|e| e.to_string())?;
        }
        let mut log = self.log.clone();
        if let Some(log) = &mut log {
            log.extend(commands.iter().cloned());
        }
        self.push_version(Rc::new(next), log);
        self.redo.clear();
        Ok(())
    }

    /// Makes `sim` the current world, keeping the one it replaces for Undo.
    fn push_version(&mut self, sim: Rc<Simulation>, log: Option<Vec<Command>>) {
        let previous = Version {
            sim: std::mem::replace(&mut self.sim, sim),
            log: std::mem::replace(&mut self.log, log),
        };
        self.undo.push(Rc::new(previous));
        self.revision = next_revision();
    }

    /// Applies a link's edits one by one, each kept for Undo; the first refused one stops
    /// it and says which it was and why (the session is then to be dropped).
    pub fn apply_edits(&mut self, commands: &[Command]) -> Result<(), String> {
        for (i, c) in commands.iter().enumerate() {
            self.change_world(std::slice::from_ref(c))
                .map_err(|e| format!("edit {} of {}: {e}", i + 1, commands.len()))?;
        }
        self.recompute();
        Ok(())
    }

    /// The commands that turn the scenario as shipped (or as opened) into the current world,
    /// when known.
    pub fn edits(&self) -> Option<&[Command]> {
        self.log.as_deref()
    }

    /// Applies one action and returns the new session (the old one is left as it was).
    pub fn reduce(&self, action: Action) -> Session {
        let mut s = self.clone();
        s.command_error = None;
        if matches!(
            action,
            Action::NextStep
                | Action::PreviousStep
                | Action::FirstStep
                | Action::LastStep
                | Action::GoToStep(_)
                | Action::SelectFlow(_)
                | Action::Reset
                | Action::ApplyFix
        ) {
            // The person chose where to be: a what-if turned off leaves them there.
            s.step_before_what_if = None;
        }
        match action {
            Action::OpenScenario(id) => {
                return Session::open(&id);
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
                    let was = s.step;
                    s.recompute();
                    s.show_failure();
                    let fails = s.walkthrough.as_ref().is_some_and(|w| w.failure.is_some());
                    if fails {
                        s.step_before_what_if.get_or_insert(was);
                    } else if let Some(before) = s.step_before_what_if.take() {
                        s.step = before.min(s.step_count().saturating_sub(1));
                    }
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
                    let current = Version {
                        sim: std::mem::replace(&mut s.sim, previous.sim.clone()),
                        log: std::mem::replace(&mut s.log, previous.log.clone()),
                    };
                    s.redo.push(Rc::new(current));
                    s.revision = next_revision();
                    s.recompute();
                }
            }
            Action::Redo => {
                if let Some(next) = s.redo.pop() {
                    s.push_version(next.sim.clone(), next.log.clone());
                    s.recompute();
                }
            }
            Action::Reset => {
                if s.sim != s.shipped {
                    let shipped = s.shipped.clone();
                    s.push_version(shipped, Some(Vec::new()));
                    s.redo.clear();
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
            Action::Import {
                file_name,
                size,
                bytes,
            } => match import::open_file(&file_name, size, &bytes) {
                Ok(opened) => return Session::from_file(&file_name, opened),
                Err(message) => s.import_error = Some(message),
            },
            Action::ImportUnreadable { file_name } => {
                s.import_error = Some(format!("{file_name}: the browser could not read the file"));
            }
            Action::DismissImportError => s.import_error = None,
            Action::OpenLink(fragment) => match super::share::decode(&fragment) {
                Ok(opened) => return opened,
                Err(message) => s.link_error = Some(message),
            },
            Action::DismissLinkError => s.link_error = None,
            Action::AutosaveRefused { chars } => {
                s.autosave_error = Some(crate::view::autosave::refused_message(chars));
            }
            Action::DismissAutosaveError => s.autosave_error = None,
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
        let mut sim = Simulation::clone(&self.sim);
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
            sim: Simulation::clone(&self.sim),
            edits: self.log.clone(),
            flow: self.flow,
            step: self.step,
            what_ifs: self.what_ifs.clone(),
            imported: self
                .imported_from
                .as_ref()
                .map(|file_name| ImportedScenario {
                    file_name: file_name.clone(),
                    scenario: Scenario::clone(&self.scenario),
                }),
        }
    }

    /// The session a saved state describes, or `None` when it is of another version, its
    /// scenario is no longer shipped, or its imported scenario no longer opens. Unknown flows
    /// and what-ifs are dropped, the step clamped.
    pub fn restore(saved: Saved) -> Option<Session> {
        if saved.version != SAVE_VERSION {
            return None;
        }
        let mut s = match saved.imported {
            Some(imported) => {
                // Checked again as a file would be: the saved text may have been tampered with.
                let json = imported.scenario.to_json();
                let mut opened = import::open_text(&imported.file_name, &json).ok()?;
                opened.id = saved.scenario_id.clone();
                Session::from_file(&imported.file_name, opened)
            }
            None => Session::try_open(&saved.scenario_id).ok()?,
        };
        s.sim = Rc::new(saved.sim);
        s.log = saved.edits;
        s.revision = next_revision();
        s.restore_position(saved.flow, saved.step, saved.what_ifs);
        Some(s)
    }

    /// The saved state as JSON text.
    pub fn save_json(&self) -> String {
        crate::model::json::to_text(&self.save())
    }

    /// Restores from JSON text; anything unreadable gives `None` (the caller opens the default).
    pub fn restore_json(text: &str) -> Option<Session> {
        crate::model::json::from_text::<Saved>(text)
            .ok()
            .and_then(Session::restore)
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
    fn the_token_travels_from_entra_id_to_the_host_and_from_the_caller_to_the_target() {
        let s = Session::open("lifecycle");
        let world = &s.sim.world;
        let id = |name: &str| {
            world
                .resource_named(name)
                .map(|r| r.id.to_string())
                .unwrap_or_else(|| panic!("no {name}"))
        };
        let entra = s
            .reduce(Action::GoToStep(4))
            .walkthrough
            .and_then(|w| w.steps.get(4).and_then(|st| st.elements.first().cloned()))
            .unwrap_or_else(|| panic!("no issue step"));
        assert!(entra.starts_with("entra:"), "{entra}");
        // (step, what-if, the hop); what-if 2 hands out a token from the cache.
        let cases = [
            (0, None, None),
            (3, None, None),
            (4, None, Some((entra.clone(), id("vm-web")))),
            (4, Some(2), None),
            (5, None, Some((id("vm-web"), id("kv-prod")))),
        ];
        for (step, what_if, want) in cases {
            let mut at = s.clone();
            if let Some(i) = what_if {
                at = at.reduce(Action::ToggleWhatIf(i));
            }
            let at = at.reduce(Action::GoToStep(step));
            assert_eq!(at.step, step, "what-if {what_if:?}");
            assert_eq!(at.token_hop(), want, "step {step}, what-if {what_if:?}");
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
    fn turning_what_ifs_off_returns_to_the_step_they_sent_the_person_from() {
        let s = Session::open(DEFAULT_SCENARIO);
        let what_if = |change: &str| {
            s.scenario.flows[0]
                .what_ifs
                .iter()
                .position(|w| w.change == change)
                .unwrap()
        };
        let (metadata, expired) = (what_if("noMetadataHeader"), what_if("expiredToken"));
        let cases = [
            // (what, actions after opening at step 7, the step label after them)
            (
                "on and off",
                vec![ToggleWhatIf(metadata), ToggleWhatIf(metadata)],
                "Step 7 of 9",
            ),
            (
                "two on, both off, in any order",
                vec![
                    ToggleWhatIf(expired),
                    ToggleWhatIf(metadata),
                    ToggleWhatIf(expired),
                    ToggleWhatIf(metadata),
                ],
                "Step 7 of 9",
            ),
            (
                "one of two off: still failing, at the failure",
                vec![
                    ToggleWhatIf(expired),
                    ToggleWhatIf(metadata),
                    ToggleWhatIf(metadata),
                ],
                "Step 7 of 7",
            ),
            (
                "stepped while it failed: the step chosen stays",
                vec![ToggleWhatIf(metadata), PreviousStep, ToggleWhatIf(metadata)],
                "Step 3 of 9",
            ),
            (
                "fixed with Fix it: at the step the fix shows",
                vec![ToggleWhatIf(metadata), ApplyFix],
                "Step 4 of 9",
            ),
        ];
        use Action::{ApplyFix, PreviousStep, ToggleWhatIf};
        for (what, actions, want) in cases {
            let end = actions
                .into_iter()
                .fold(s.reduce(Action::GoToStep(6)), |s, a| s.reduce(a));
            assert_eq!(end.step_label(), want, "{what}");
        }
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
        let old = crate::model::json::to_text(&Saved {
            version: SAVE_VERSION + 1,
            ..current.clone()
        });
        let gone = crate::model::json::to_text(&Saved {
            scenario_id: "no-such-scenario".into(),
            ..current.clone()
        });
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

    /// A small valid scenario file, as a person might write one.
    const MY_FILE: &str = r#"{
  "version": 1,
  "title": "My own world",
  "tenants": [{ "name": "fabrikam" }],
  "subscriptions": [{ "name": "Dev" }],
  "resourceGroups": [{ "name": "rg-app" }],
  "resources": [
    { "name": "vm-app", "kind": "virtualMachine", "resourceGroup": "rg-app", "identity": { "systemAssigned": true } },
    { "name": "kv-app", "kind": "keyVault", "resourceGroup": "rg-app", "secrets": ["token"] }
  ],
  "roleAssignments": [{ "principal": "vm-app", "role": "Key Vault Secrets User", "scope": "kv-app" }],
  "flows": [
    { "name": "read", "title": "vm-app reads token", "from": "vm-app", "identity": "system",
      "target": "kv-app", "operation": "getSecret token" }
  ]
}"#;

    fn import(file_name: &str, text: &str) -> Action {
        Action::Import {
            file_name: file_name.to_string(),
            size: text.len() as u64,
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_scenario_file_opens_as_the_current_scenario() {
        let before = Session::open("lifecycle").reduce(Action::GoToStep(2));
        let s = before.reduce(import("my-world.json", MY_FILE));
        assert_eq!(s.import_error, None);
        assert_eq!(s.imported_from.as_deref(), Some("my-world.json"));
        assert_eq!(s.scenario_id, "my-world");
        assert_eq!(s.scenario.title, "My own world");
        assert_eq!(s.step_label(), "Step 1 of 9");
        assert!(s.walkthrough.as_ref().unwrap().succeeded());
        assert!(s.sim.world.resource_named("vm-app").is_some());
        assert_eq!(s.can_undo(), (false, false));
        assert_ne!(s.save_key(), before.save_key());
        // Opening a shipped scenario afterwards leaves the file behind.
        let back = s.reduce(Action::OpenScenario("lifecycle".into()));
        assert_eq!(back.imported_from, None);
        assert_eq!(back.save().imported, None);
    }

    #[test]
    fn a_bad_file_changes_nothing_and_says_what_is_wrong() {
        let before = Session::open(DEFAULT_SCENARIO)
            .reduce(Action::Apply(Box::new(Command::DisableSystemAssigned {
                resource: "vm-web".into(),
            })))
            .reduce(Action::GoToStep(1));
        let big = 6 * 1024 * 1024 + 1;
        let cases: Vec<(Action, &str)> = vec![
            (import("notes.json", "hello"), "notes.json: line 1, column 1: expected value"),
            (
                import("syntax.json", "{\n  \"version\": 1,\n  \"title\": \"x\"\n  \"resources\": []\n}"),
                "syntax.json: line 4, column 3: expected ',' or '}'",
            ),
            (
                import(
                    "bad.json",
                    r#"{"version":1,"title":"x","resourceGroups":[{"name":"rg"}],"resources":[{"name":"a","kind":"vm2","resourceGroup":"rg"}]}"#,
                ),
                "bad.json: $.resources[0].kind: unknown kind \"vm2\" (expected one of virtualMachine, virtualMachineScaleSet, appService, functionApp, logicApp, dataFactory, aksCluster, apiManagement, containerInstance, automationAccount, arcServer, keyVault, storageAccount, sqlServer, serviceBusNamespace, eventHubsNamespace)",
            ),
            (
                import("ref.json", &MY_FILE.replace("\"principal\": \"vm-app\"", "\"principal\": \"vm-ap\"")),
                "ref.json: $.roleAssignments[0].principal: no identity named \"vm-ap\" (did you mean \"vm-app\"?)",
            ),
            (
                import(
                    "twice.json",
                    &MY_FILE.replace(
                        "\"roleAssignments\": [",
                        "\"roleAssignments\": [{ \"principal\": \"vm-app\", \"role\": \"Key Vault Secrets User\", \"scope\": \"kv-app\" },",
                    ),
                ),
                "twice.json: $.roleAssignments[1]: The role assignment already exists. (code: RoleAssignmentExists)",
            ),
            (import("empty.json", ""), "empty.json: empty file"),
            (import("blank.json", " \n\t"), "blank.json: empty file"),
            (
                Action::Import {
                    file_name: "latin1.json".into(),
                    size: 3,
                    bytes: vec![b'{', 0xe9, b'}'],
                },
                "latin1.json: not UTF-8 text",
            ),
            (
                Action::Import {
                    file_name: "big.json".into(),
                    size: big,
                    bytes: Vec::new(),
                },
                "big.json: not a scenario file (too large: 6.0 MB, the limit is 5 MB)",
            ),
            (import("[].json", "[]"), "[].json: $: expected an object, found a list"),
            (
                Action::ImportUnreadable {
                    file_name: "gone.json".into(),
                },
                "gone.json: the browser could not read the file",
            ),
        ];
        for (action, message) in cases {
            let after = before.reduce(action);
            assert_eq!(after.import_error.as_deref(), Some(message));
            let dismissed = after.reduce(Action::DismissImportError);
            assert_eq!(dismissed, before, "{message}");
        }
    }

    #[test]
    fn a_refused_autosave_changes_nothing_but_the_message_until_dismissed_or_kept() {
        let before = Session::open(DEFAULT_SCENARIO)
            .reduce(Action::Apply(Box::new(Command::DisableSystemAssigned {
                resource: "vm-web".into(),
            })))
            .reduce(Action::GoToStep(1));
        let cases = [
            (6_400_000, crate::view::autosave::refused_message(6_400_000)),
            (1_000, crate::view::autosave::refused_message(1_000)),
        ];
        for (chars, message) in cases {
            let after = before.reduce(Action::AutosaveRefused { chars });
            assert_eq!(after.autosave_error.as_deref(), Some(message.as_str()));
            assert_eq!(
                after.save_key(),
                before.save_key(),
                "no new write for a message"
            );
            assert_eq!(after.reduce(Action::DismissAutosaveError), before);
            // Opening another scenario starts without it (its own save may well fit).
            let other = after.reduce(Action::OpenScenario(DEFAULT_SCENARIO.into()));
            assert_eq!(other.autosave_error, None);
        }
    }

    #[test]
    fn an_imported_scenario_survives_a_reload_and_resets_to_the_file() {
        let opened = Session::open(DEFAULT_SCENARIO).reduce(import("my-world.json", MY_FILE));
        let edited = opened
            .reduce(Action::Apply(Box::new(Command::DisableSystemAssigned {
                resource: "vm-app".into(),
            })))
            .reduce(Action::AdvanceClock(600));
        assert!(!edited.walkthrough.as_ref().unwrap().succeeded());
        let text = edited.save_json();
        let restored = Session::restore_json(&text).unwrap();
        // (what, value after the reload, value before it)
        let cases = [
            (
                "id",
                restored.scenario_id.clone(),
                edited.scenario_id.clone(),
            ),
            (
                "file",
                format!("{:?}", restored.imported_from),
                format!("{:?}", edited.imported_from),
            ),
            (
                "title",
                restored.scenario.title.clone(),
                edited.scenario.title.clone(),
            ),
            ("step", restored.step_label(), edited.step_label()),
        ];
        for (what, after, before) in cases {
            assert_eq!(after, before, "{what}");
        }
        assert_eq!(restored.sim, edited.sim);
        assert_eq!(restored.walkthrough, edited.walkthrough);
        // Reset goes back to the file as opened, both before and after the reload.
        for s in [&edited, &restored] {
            let reset = s.reduce(Action::Reset);
            assert_eq!(reset.sim, opened.sim);
            assert_eq!(reset.imported_from.as_deref(), Some("my-world.json"));
            assert!(reset.walkthrough.as_ref().unwrap().succeeded());
        }
        // Undo works on an imported scenario as on a shipped one.
        assert_eq!(
            edited.reduce(Action::Undo).reduce(Action::Undo).sim,
            opened.sim
        );
        // A shipped scenario's save has no imported scenario in it.
        assert!(
            !Session::open(DEFAULT_SCENARIO)
                .save_json()
                .contains("\"imported\"")
        );
        // A saved imported scenario that no longer opens falls back like any unreadable save.
        let broken = text.replace("\"kind\":\"keyVault\"", "\"kind\":\"vault\"");
        assert_ne!(broken, text);
        assert!(Session::restore_json(&broken).is_none());
    }

    #[test]
    fn a_downloaded_scenario_reopens_with_the_same_world_and_walkthroughs() {
        for entry in scenario_entries() {
            let shipped = Session::open(&entry.id);
            let file = shipped.download();
            assert_eq!(file.file_name, format!("{}.json", entry.id));
            let opened = shipped.reduce(import(&file.file_name, &file.json));
            assert_eq!(opened.import_error, None, "{}", entry.id);
            assert_eq!(opened.sim, shipped.sim, "{}", entry.id);
            for flow in 0..shipped.scenario.flows.len() {
                let (a, b) = (
                    shipped.reduce(Action::SelectFlow(flow)),
                    opened.reduce(Action::SelectFlow(flow)),
                );
                assert_eq!(a.walkthrough, b.walkthrough, "{} flow {flow}", entry.id);
            }
        }
    }
}
