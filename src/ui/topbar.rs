//! The top bar: product name, scenario picker, undo and redo, the simulated clock, reset.

use super::app::Dispatch;
use super::icons;
use crate::model::clock::{DAY, HOUR, MINUTE};
use crate::view::session::{Action, Session, scenario_entries};
use std::rc::Rc;
use yew::prelude::*;

/// Properties shared by the screen's parts.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The session.
    pub session: Rc<Session>,
    /// Acts on it.
    pub dispatch: Dispatch,
}

/// The top bar.
#[function_component(TopBar)]
pub fn top_bar(props: &Props) -> Html {
    let s = &props.session;
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
    let act = |a: Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(a.clone()))
    };
    let (can_undo, can_redo) = s.can_undo();
    let description = match &s.imported_from {
        Some(_) => s.scenario.description.clone(),
        None => entries
            .iter()
            .find(|e| e.id == s.scenario_id)
            .map(|e| e.description.clone())
            .unwrap_or_default(),
    };
    let now = s.sim.world.now();
    let clock = now.day_label(s.sim.world.start());
    html! {
        <header class="topbar">
            <a class="brand" href="./" aria-label="mi-sim home">
                { icons::logo() }
                <span class="brand-name">{ "mi-sim" }</span>
            </a>
            <div class="picker">
                <label class="visually-hidden" for="scenario-picker">{ "Scenario" }</label>
                <select id="scenario-picker" class="select" onchange={on_scenario}
                        aria-describedby="scenario-description">
                    if let Some(file) = &s.imported_from {
                        <option value="" selected=true disabled=true>
                            { crate::view::import::picker_title(&s.scenario.title, file) }
                        </option>
                    }
                    { for entries.iter().map(|e| html! {
                        <option value={e.id.clone()} selected={s.imported_from.is_none() && e.id == s.scenario_id}>
                            { e.title.clone() }
                        </option>
                    }) }
                </select>
                <div class="picker-meta browse" onkeydown={close_on_escape}>
                <span id="scenario-description" class="picker-description">{ description }</span>
                <button type="button" class="link small" onclick={toggle_browse}
                        aria-expanded={browsing.to_string()} aria-controls="scenario-list">
                    { "Browse scenarios" }
                </button>
                if *browsing {
                    <div id="scenario-list" class="scenario-list" role="dialog" aria-label="Scenarios">
                        <ul>
                            { for entries.iter().map(|e| html! {
                                <li>
                                    <button type="button" class={classes!("scenario-choice", (s.imported_from.is_none() && e.id == s.scenario_id).then_some("current"))}
                                            onclick={choose(e.id.clone())}
                                            aria-current={(s.imported_from.is_none() && e.id == s.scenario_id).then_some("true")}>
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
            <div class="toolbar" role="group" aria-label="History">
                // Arrows only on screen (the words are read out), so the row fits at 1280 px.
                <button type="button" class="button icon-only" onclick={act(Action::Undo)} disabled={!can_undo}
                        title="Undo (Ctrl+Z)">
                    <span aria-hidden="true">{ "↶" }</span><span class="visually-hidden">{ " Undo" }</span>
                </button>
                <button type="button" class="button icon-only" onclick={act(Action::Redo)} disabled={!can_redo}
                        title="Redo (Ctrl+Shift+Z)">
                    <span aria-hidden="true">{ "↷" }</span><span class="visually-hidden">{ " Redo" }</span>
                </button>
                <button type="button" class="button" onclick={act(Action::Reset)}>{ "Reset scenario" }</button>
            </div>
            <div class="clock" role="group" aria-label="Simulated clock">
                <span class="clock-now" title={now.iso8601()}>
                    { icons::clock() }
                    <span class="visually-hidden">{ "Simulated time: " }</span>
                    { clock }
                </span>
                <button type="button" class="button small" onclick={act(Action::AdvanceClock(10 * MINUTE))}
                        aria-label="Advance the clock 10 minutes">{ "+10 min" }</button>
                <button type="button" class="button small" onclick={act(Action::AdvanceClock(HOUR))}
                        aria-label="Advance the clock 1 hour">{ "+1 h" }</button>
                <button type="button" class="button small" onclick={act(Action::AdvanceClock(DAY))}
                        aria-label="Advance the clock 24 hours">{ "+24 h" }</button>
            </div>
            <div class="toolbar" role="group" aria-label="Share and present">
                <super::share::ShareMenu session={s.clone()} dispatch={d.clone()} />
                <super::present::PresentButton session={s.clone()} />
            </div>
        </header>
    }
}
