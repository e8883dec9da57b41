//! The top bar: product name, scenario picker, undo and redo, the simulated clock, reset.

use super::app::{Dispatch, Props, on_click};
use super::icons;
use crate::model::clock::{DAY, HOUR, MINUTE, SimTime};
use crate::view::session::{Action, scenario_entries};
use yew::prelude::*;

/// The top bar. Its parts get only what they show, so a step redraws none of them but the
/// Share menu and the Present link, which carry the step.
#[function_component(TopBar)]
pub fn top_bar(props: &Props) -> Html {
    let s = &props.session;
    let d = &props.dispatch;
    let (can_undo, can_redo) = s.can_undo();
    let imported = s
        .imported_from
        .as_ref()
        .map(|file| AttrValue::from(crate::view::import::picker_title(&s.scenario.title, file)));
    let description = match &s.imported_from {
        Some(_) => s.scenario.description.clone(),
        None => scenario_entries()
            .iter()
            .find(|e| e.id == s.scenario_id)
            .map(|e| e.description.clone())
            .unwrap_or_default(),
    };
    html! {
        <header class="topbar">
            <a class="brand" href="./" aria-label="mi-sim home">
                { icons::logo() }
                <span class="brand-name">{ "mi-sim" }</span>
            </a>
            <ScenarioPicker scenario_id={AttrValue::from(s.scenario_id.clone())} {imported}
                            description={AttrValue::from(description)} dispatch={d.clone()} />
            <History {can_undo} {can_redo} dispatch={d.clone()} />
            <Clock now={s.sim.world.now()} start={s.sim.world.start()} dispatch={d.clone()} />
            <div class="toolbar" role="group" aria-label="Share and present">
                <super::share::ShareMenu session={s.clone()} dispatch={d.clone()} />
                <super::present::PresentButton session={s.clone()} />
            </div>
        </header>
    }
}

/// Properties of [`ScenarioPicker`].
#[derive(Properties, PartialEq)]
struct PickerProps {
    /// The open shipped scenario's id.
    scenario_id: AttrValue,
    /// The picker's entry for a scenario opened from a file.
    imported: Option<AttrValue>,
    /// What the open scenario is about.
    description: AttrValue,
    /// Acts on the session.
    dispatch: Dispatch,
}

/// The scenario picker, its description and the list to browse.
#[function_component(ScenarioPicker)]
fn scenario_picker(props: &PickerProps) -> Html {
    let d = &props.dispatch;
    let entries = scenario_entries();
    let browsing = use_state(|| false);
    let toggle_browse = {
        let browsing = browsing.clone();
        Callback::from(move |_: MouseEvent| browsing.set(!*browsing))
    };
    let close_on_escape = {
        let browsing = browsing.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                browsing.set(false);
            }
        })
    };
    let choose = |id: String| {
        let (d, browsing) = (d.clone(), browsing.clone());
        Callback::from(move |_: MouseEvent| {
            browsing.set(false);
            d.emit(Action::OpenScenario(id.clone()));
        })
    };
    let on_scenario = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            d.emit(Action::OpenScenario(select.value()));
        })
    };
    let current = |id: &str| props.imported.is_none() && id == props.scenario_id.as_str();
    html! {
        <div class="picker">
            <label class="visually-hidden" for="scenario-picker">{ "Scenario" }</label>
            <select id="scenario-picker" class="select" onchange={on_scenario}
                    aria-describedby="scenario-description">
                if let Some(title) = &props.imported {
                    <option value="" selected=true disabled=true>{ title.clone() }</option>
                }
                { for entries.iter().map(|e| html! {
                    <option value={e.id.clone()} selected={current(&e.id)}>
                        { e.title.clone() }
                    </option>
                }) }
            </select>
            <div class="picker-meta browse" onkeydown={close_on_escape}>
            <span id="scenario-description" class="picker-description">{ props.description.clone() }</span>
            <button type="button" class="link small" onclick={toggle_browse}
                    aria-expanded={browsing.to_string()} aria-controls="scenario-list">
                { "Browse scenarios" }
            </button>
            if *browsing {
                <div id="scenario-list" class="scenario-list" role="dialog" aria-label="Scenarios">
                    <ul>
                        { for entries.iter().map(|e| html! {
                            <li>
                                <button type="button" class={classes!("scenario-choice", current(&e.id).then_some("current"))}
                                        onclick={choose(e.id.clone())}
                                        aria-current={current(&e.id).then_some("true")}>
                                    <span class="choice-title">{ e.title.clone() }</span>
                                    <span class="choice-description">{ e.description.clone() }</span>
                                </button>
                            </li>
                        }) }
                    </ul>
                </div>
            }
            </div>
        </div>
    }
}

/// Properties of [`History`].
#[derive(Properties, PartialEq)]
struct HistoryProps {
    can_undo: bool,
    can_redo: bool,
    /// Acts on the session.
    dispatch: Dispatch,
}

/// Undo, redo and reset.
#[function_component(History)]
fn history(props: &HistoryProps) -> Html {
    let act = |a: Action| on_click(&props.dispatch, a);
    html! {
        <div class="toolbar" role="group" aria-label="History">
            // Arrows only on screen (the words are read out), so the row fits at 1280 px.
            <button type="button" class="button icon-only" onclick={act(Action::Undo)} disabled={!props.can_undo}
                    title="Undo (Ctrl+Z)">
                <span aria-hidden="true">{ "↶" }</span><span class="visually-hidden">{ " Undo" }</span>
            </button>
            <button type="button" class="button icon-only" onclick={act(Action::Redo)} disabled={!props.can_redo}
                    title="Redo (Ctrl+Shift+Z)">
                <span aria-hidden="true">{ "↷" }</span><span class="visually-hidden">{ " Redo" }</span>
            </button>
            <button type="button" class="button" onclick={act(Action::Reset)}>{ "Reset scenario" }</button>
        </div>
    }
}

/// Properties of [`Clock`].
#[derive(Properties, PartialEq)]
struct ClockProps {
    /// The simulated time.
    now: SimTime,
    /// When the scenario's clock started.
    start: SimTime,
    /// Acts on the session.
    dispatch: Dispatch,
}

/// The simulated clock and the buttons that advance it.
#[function_component(Clock)]
fn clock(props: &ClockProps) -> Html {
    let act = |a: Action| on_click(&props.dispatch, a);
    html! {
        <div class="clock" role="group" aria-label="Simulated clock">
            <span class="clock-now" title={props.now.iso8601()}>
                { icons::clock() }
                <span class="visually-hidden">{ "Simulated time: " }</span>
                { props.now.day_label(props.start) }
            </span>
            <button type="button" class="button small" onclick={act(Action::AdvanceClock(10 * MINUTE))}
                    aria-label="Advance the clock 10 minutes">{ "+10 min" }</button>
            <button type="button" class="button small" onclick={act(Action::AdvanceClock(HOUR))}
                    aria-label="Advance the clock 1 hour">{ "+1 h" }</button>
            <button type="button" class="button small" onclick={act(Action::AdvanceClock(DAY))}
                    aria-label="Advance the clock 24 hours">{ "+24 h" }</button>
        </div>
    }
}
