//! The Exercises tab: each exercise of the open scenario with its task, its grade (an icon and
//! a word, and what is still wrong) and a "Show hint" disclosure, graded again whenever the
//! simulation changes (memoised on the session's revision), and a polite announcement of every
//! change of grade, whichever tab is open.

use crate::view::exercise::{ALL_SOLVED_NOTE, ExercisesView, announcement, exercises, grade_key};
use crate::view::session::Session;
use std::rc::Rc;
use yew::prelude::*;

/// The open scenario's exercises, graded; computed again only when the scenario or its
/// simulation changes (not on every render, not when a step or a what-if changes).
#[hook]
pub fn use_exercises(session: &Rc<Session>) -> Rc<Option<ExercisesView>> {
    let s = session.clone();
    use_memo(grade_key(session), move |_| exercises(&s))
}

/// The graded exercises, as the tab and the announcer take them.
#[derive(Properties, PartialEq)]
pub struct ViewProps {
    /// From [`use_exercises`].
    pub view: Rc<Option<ExercisesView>>,
}

/// A visually hidden live region that says, politely, which exercise changed state.
#[function_component(ExerciseAnnouncer)]
pub fn exercise_announcer(props: &ViewProps) -> Html {
    let previous = use_mut_ref(|| (*props.view).clone());
    let message = use_state(String::new);
    {
        let (previous, message) = (previous.clone(), message.clone());
        use_effect_with(props.view.clone(), move |view| {
            let mut before = previous.borrow_mut();
            match (before.as_ref(), view.as_ref().as_ref()) {
                (Some(b), Some(a)) => {
                    if let Some(m) = announcement(b, a) {
                        message.set(m);
                    } else if b.rows.first().map(|r| &r.id) != a.rows.first().map(|r| &r.id) {
                        message.set(String::new());
                    }
                }
                _ => message.set(String::new()),
            }
            *before = (**view).clone();
        });
    }
    html! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"
             id="exercise-announcer">{ (*message).clone() }</div>
    }
}

/// The tab's body.
#[function_component(ExercisesTab)]
pub fn exercises_tab(props: &ViewProps) -> Html {
    let Some(v) = props.view.as_ref() else {
        return html! { <p class="muted">{ "This scenario has no exercises." }</p> };
    };
    html! {
        <div class="exercises-tab">
            <p class="exercises-intro">
                { "Change the world with the Edit tab, the clock, the Check tool or a flow's Fix it. \
                   Each exercise is checked again after every change; what-ifs do not count." }
            </p>
            if v.all_solved() {
                <p class="exercises-done"><span aria-hidden="true">{ "✓ " }</span>{ ALL_SOLVED_NOTE }</p>
            }
            <ol class="exercise-list">
                { for v.rows.iter().map(|r| {
                    let title = format!("exercise-{}-title", r.number);
                    html! {
                        <li class={classes!("exercise", format!("state-{}", r.state.class()))}
                            aria-labelledby={title.clone()}>
                            <div class="exercise-head">
                                <h3 class="exercise-title" id={title}>{ format!("Exercise {}", r.number) }</h3>
                                <span class={classes!("badge", r.state.class(), "exercise-state")}>
                                    <span aria-hidden="true">{ r.state.icon() }{ " " }</span>{ r.state.word() }
                                </span>
                            </div>
                            <p class="exercise-task">{ r.task.clone() }</p>
                            if let Some(d) = &r.detail {
                                <p class="exercise-detail">{ d.clone() }</p>
                            }
                            if let Some(h) = &r.hint {
                                <details class="exercise-hint">
                                    <summary>{ "Show hint" }</summary>
                                    <p>{ h.clone() }</p>
                                </details>
                            }
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}
