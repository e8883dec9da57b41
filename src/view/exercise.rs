//! The Exercises tab as a pure view model: each exercise of the open scenario with its task,
//! hint and grade (Solved, Not yet with what is still wrong, Too broad), the tab's count
//! badge, the note when all are solved, and what to announce when a grade changes.

use crate::model::scenario::ExerciseGrade;
use crate::view::session::Session;

/// How an exercise stands, as the tab shows it: each state has an icon and a word, never a
/// colour alone.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    /// The goal holds.
    Solved,
    /// Part of the goal does not hold yet.
    NotYet,
    /// The goal holds with a role broader than the limit.
    TooBroad,
}

impl State {
    /// The word: `Solved`, `Not yet`, `Too broad`.
    pub fn word(self) -> &'static str {
        match self {
            State::Solved => "Solved",
            State::NotYet => "Not yet",
            State::TooBroad => "Too broad",
        }
    }

    /// The icon beside the word (decorative; the word carries the meaning).
    pub fn icon(self) -> &'static str {
        match self {
            State::Solved => "✓",
            State::NotYet => "○",
            State::TooBroad => "⚠",
        }
    }

    /// The badge class (`ok`, `muted`, `pending`) the stylesheet colours.
    pub fn class(self) -> &'static str {
        match self {
            State::Solved => "ok",
            State::NotYet => "muted",
            State::TooBroad => "pending",
        }
    }
}

/// One exercise as the tab lists it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExerciseRow {
    /// The exercise's id.
    pub id: String,
    /// Its number in the list, from 1.
    pub number: usize,
    /// The task.
    pub task: String,
    /// The hint, shown on request.
    pub hint: Option<String>,
    /// How it stands.
    pub state: State,
    /// What is still wrong (Not yet) or which role is too broad (Too broad); none when solved.
    pub detail: Option<String>,
}

/// Every exercise of the open scenario, graded against the session's simulation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExercisesView {
    /// The exercises, in file order.
    pub rows: Vec<ExerciseRow>,
}

/// What the tab says once every exercise is solved.
pub const ALL_SOLVED_NOTE: &str =
    "All exercises solved. Well done: every goal holds, with no role broader than it needs.";

impl ExercisesView {
    /// How many are solved.
    pub fn solved(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.state == State::Solved)
            .count()
    }

    /// The count badge: `0/2`.
    pub fn count(&self) -> String {
        format!("{}/{}", self.solved(), self.rows.len())
    }

    /// The tab's accessible name: `Exercises, 0 of 2 solved`.
    pub fn tab_name(&self) -> String {
        format!("Exercises, {} of {} solved", self.solved(), self.rows.len())
    }

    /// Whether every exercise is solved.
    pub fn all_solved(&self) -> bool {
        !self.rows.is_empty() && self.solved() == self.rows.len()
    }
}

fn row(number: usize, x: &crate::model::scenario::Exercise, grade: ExerciseGrade) -> ExerciseRow {
    let (state, detail) = match grade {
        ExerciseGrade::Solved => (State::Solved, None),
        g @ ExerciseGrade::TooBroad { .. } => (State::TooBroad, Some(g.to_string())),
        g => (State::NotYet, Some(g.to_string())),
    };
    ExerciseRow {
        id: x.id.clone(),
        number,
        task: x.task.clone(),
        hint: x.hint.clone(),
        state,
        detail,
    }
}

/// What the graded exercises depend on: the open scenario and the simulation's revision (not
/// the step, the selection or the what-ifs). The UI recomputes [`exercises`] only when it changes.
pub fn grade_key(session: &Session) -> (String, u64) {
    (session.scenario_id.clone(), session.world_revision())
}

/// The open scenario's exercises graded against the session's simulation (walking each goal's
/// flow with no what-ifs: the learner's what-ifs do not count); `None` when it has none.
pub fn exercises(session: &Session) -> Option<ExercisesView> {
    let s = &session.scenario;
    if s.exercises.is_empty() {
        return None;
    }
    let rows = s
        .exercises
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let grade = crate::model::scenario::grade_exercise(&session.sim, s, x);
            row(i + 1, x, grade)
        })
        .collect();
    Some(ExercisesView { rows })
}

/// What to announce (politely) when grades change from `before` to `after`: one sentence per
/// exercise whose state or whose "still wrong" changed, then the all-solved note when that just became true. Nothing
/// when nothing changed or another scenario was opened (the exercises differ).
pub fn announcement(before: &ExercisesView, after: &ExercisesView) -> Option<String> {
    let same_set = before.rows.len() == after.rows.len()
        && before
            .rows
            .iter()
            .zip(&after.rows)
            .all(|(a, b)| a.id == b.id);
    if !same_set {
        return None;
    }
    let mut parts: Vec<String> = before
        .rows
        .iter()
        .zip(&after.rows)
        .filter(|(a, b)| a.state != b.state || a.detail != b.detail)
        .map(|(_, b)| match &b.detail {
            Some(d) => format!("Exercise {}: {}. {}.", b.number, b.state.word(), d),
            None => format!("Exercise {}: {}.", b.number, b.state.word()),
        })
        .collect();
    if after.all_solved() && !before.all_solved() {
        parts.push(ALL_SOLVED_NOTE.to_string());
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::world::Command;
    use crate::view::session::Action;

    fn assign(s: &Session, principal: &str, role: &str, scope: &str) -> Action {
        let scope = crate::model::scenario::resolve_scope_path(&s.sim.world, scope)
            .unwrap()
            .0;
        Action::Apply(Box::new(Command::AddRoleAssignment {
            principal: principal.into(),
            role: role.into(),
            scope,
            condition: None,
        }))
    }

    fn remove(s: &Session, role: &str) -> Action {
        let w = &s.sim.world;
        let id = w
            .role_assignments()
            .iter()
            .find(|a| w.role_definition(a.role_definition_id).unwrap().role_name == role)
            .unwrap()
            .id
            .clone();
        Action::Apply(Box::new(Command::RemoveRoleAssignment { assignment: id }))
    }

    #[test]
    fn the_grade_key_changes_with_the_world_and_the_scenario_only() {
        let s = Session::open("least-privilege");
        let cases: [(&str, Action, bool); 6] = [
            ("next step", Action::NextStep, false),
            ("what-if", Action::ToggleWhatIf(0), false),
            ("selection", Action::Select(Some("x".into())), false),
            ("clock", Action::AdvanceClock(600), true),
            ("edit", remove(&s, "Contributor"), true),
            (
                "another scenario",
                Action::OpenScenario("lifecycle".into()),
                true,
            ),
        ];
        for (name, action, changes) in cases {
            let after = s.reduce(action);
            assert_eq!(grade_key(&after) != grade_key(&s), changes, "{name}");
        }
    }

    #[test]
    fn a_scenario_without_exercises_has_no_tab() {
        let mut s = Session::open("least-privilege");
        std::rc::Rc::make_mut(&mut s.scenario).exercises.clear();
        assert_eq!(exercises(&s), None);
    }

    #[test]
    fn the_tab_follows_the_learner_from_not_yet_through_too_broad_to_solved() {
        let s0 = Session::open("least-privilege");
        let v0 = exercises(&s0).unwrap();
        let s1 = s0
            .reduce(assign(
                &s0,
                "func-report",
                "Storage Blob Data Reader",
                "stdata/containers/reports",
            ))
            .reduce(Action::AdvanceClock(600));
        let v1 = exercises(&s1).unwrap();
        let s2 = s1.reduce(remove(&s1, "Contributor"));
        let v2 = exercises(&s2).unwrap();
        type Row<'a> = (
            &'a ExercisesView,
            State,
            Option<&'a str>,
            &'a str,
            &'a str,
            bool,
        );
        let cases: [Row; 3] = [
            (
                &v0,
                State::NotYet,
                Some(
                    "func-report reading blobs at stdata/containers/reports is still denied (NoRoleAssignment); contributor-reads-blob still fails at the access check with 403",
                ),
                "0/1",
                "Exercises, 0 of 1 solved",
                false,
            ),
            (
                &v1,
                State::TooBroad,
                Some("func-report has Contributor, broader than Storage Blob Data Reader"),
                "0/1",
                "Exercises, 0 of 1 solved",
                false,
            ),
            (
                &v2,
                State::Solved,
                None,
                "1/1",
                "Exercises, 1 of 1 solved",
                true,
            ),
        ];
        for (v, state, detail, count, name, all) in cases {
            let r = &v.rows[0];
            assert_eq!(
                (r.id.as_str(), r.number, r.state, r.detail.as_deref()),
                ("least-privilege-reader", 1, state, detail)
            );
            assert_eq!(
                r.hint.as_deref(),
                Some(
                    "Storage Blob Data Reader at stdata/containers/reports, and remove Contributor."
                )
            );
            assert_eq!(
                (v.count().as_str(), v.tab_name().as_str(), v.all_solved()),
                (count, name, all)
            );
        }
        assert_eq!(
            announcement(&v0, &v1).as_deref(),
            Some(
                "Exercise 1: Too broad. func-report has Contributor, broader than Storage Blob Data Reader."
            )
        );
        assert_eq!(
            announcement(&v1, &v2).as_deref(),
            Some(
                "Exercise 1: Solved. All exercises solved. Well done: every goal holds, with no role broader than it needs."
            )
        );
        assert_eq!(
            announcement(&v2, &v0).as_deref(),
            Some(
                "Exercise 1: Not yet. func-report reading blobs at stdata/containers/reports is still denied (NoRoleAssignment); contributor-reads-blob still fails at the access check with 403."
            )
        );
        assert_eq!(announcement(&v1, &v1), None);
    }

    #[test]
    fn a_change_in_what_is_still_wrong_is_announced() {
        let s0 = Session::open("lifecycle");
        let s1 = s0.reduce(assign(
            &s0,
            "uami-app",
            "Key Vault Secrets User",
            "kv-prod/secrets/db-password",
        ));
        let s2 = s1.reduce(Action::NextStep);
        let (v0, v1, v2) = (
            exercises(&s0).unwrap(),
            exercises(&s1).unwrap(),
            exercises(&s2).unwrap(),
        );
        assert_eq!(
            announcement(&v0, &v1).as_deref(),
            Some(
                "Exercise 1: Not yet. uami-app reading secrets at kv-prod/secrets/db-password is still denied (NotYetPropagated)."
            )
        );
        assert_eq!(announcement(&v1, &v2), None);
    }

    #[test]
    fn another_scenarios_exercises_are_not_announced() {
        let a = exercises(&Session::open("least-privilege")).unwrap();
        let b = exercises(&Session::open("lifecycle")).unwrap();
        assert_eq!(announcement(&a, &b), None);
    }

    #[test]
    fn what_ifs_do_not_count_toward_a_grade() {
        let s = Session::open("functions-shared-uami-storage");
        let before = exercises(&s).unwrap();
        let with_what_if = s.reduce(Action::ToggleWhatIf(0));
        assert_eq!(exercises(&with_what_if), Some(before));
    }

    #[test]
    fn each_state_has_an_icon_a_word_and_a_class() {
        let cases = [
            (State::Solved, "✓", "Solved", "ok"),
            (State::NotYet, "○", "Not yet", "muted"),
            (State::TooBroad, "⚠", "Too broad", "pending"),
        ];
        for (state, icon, word, class) in cases {
            assert_eq!(
                (state.icon(), state.word(), state.class()),
                (icon, word, class)
            );
        }
    }
}
