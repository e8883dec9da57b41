//! The centre of the screen: the flow's actors with the current hop (the token travels along
//! it), and the stepper.

use super::app::{Props, SessionRef, on_click};
use super::graph::WorldGraph;
use super::icons;
use crate::view::lane::{LaneView, lane};
use crate::view::overview::{Actor, Orientation};
use crate::view::session::Action;
use yew::prelude::*;

/// The flow picture and the stepper.
#[function_component(Stage)]
pub fn stage(props: &Props) -> Html {
    let s = &props.session;
    let d = &props.dispatch;
    let act = |a: Action| on_click(d, a);
    let count = s.step_count();
    let narrow = use_narrow();
    let on_flow = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = select.value().parse() {
                d.emit(Action::SelectFlow(i));
            }
        })
    };
    let title = s
        .walkthrough
        .as_ref()
        .map(|w| w.title.clone())
        .unwrap_or_default();
    html! {
        <section class="stage" aria-labelledby="flow-title">
            <div class="graph-pane">
                <div class="pane-head">
                    <h1 id="flow-title" class="pane-title">{ title }</h1>
                    if s.scenario.flows.len() > 1 {
                        <label class="flow-picker">
                            <span class="field-label">{ "Flow" }</span>
                            <select id="flow-picker" class="select" onchange={on_flow}>
                                { for s.scenario.flows.iter().enumerate().map(|(i, f)| html! {
                                    <option value={i.to_string()} selected={i == s.flow}>{ f.title.clone() }</option>
                                }) }
                            </select>
                        </label>
                    }
                </div>
                if let Some(error) = &s.error {
                    <p class="error-banner" role="alert">{ error.clone() }</p>
                }
                <WorldGraph session={s.clone()} dispatch={d.clone()} />
            </div>
            <div class="lane-pane" aria-label="Sequence lane">
                <Lane session={s.clone()} orientation={Orientation::Row}
                      live={narrow != Some(true)} />
                <Lane session={s.clone()} orientation={Orientation::Column}
                      live={narrow != Some(false)} />
            </div>
            <nav class="stepper" aria-label="Steps">
                <button type="button" class="button" onclick={act(Action::PreviousStep)}
                        disabled={s.step == 0} aria-label="Previous step">
                    <span aria-hidden="true">{ "◀ " }</span>{ "Previous" }
                </button>
                <span class="step-count" aria-live="polite">{ s.step_label() }</span>
                <button type="button" class="button primary" onclick={act(Action::NextStep)}
                        disabled={s.step + 1 >= count} aria-label="Next step">
                    { "Next" }<span aria-hidden="true">{ " ▶" }</span>
                </button>
                <ol class="step-dots" aria-label="Jump to a step">
                    { for s.walkthrough.iter().flat_map(|w| w.steps.iter().enumerate()).map(|(i, step)| {
                        let class = classes!(
                            "step-dot",
                            (i == s.step).then_some("current"),
                            format!("status-{:?}", step.status).to_ascii_lowercase()
                        );
                        html! {
                            <li>
                                <button type="button" {class} onclick={act(Action::GoToStep(i))}
                                        aria-label={format!("Step {}: {}", i + 1, step.title)}
                                        aria-current={(i == s.step).then_some("step")}>
                                    { i + 1 }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            </nav>
        </section>
    }
}

/// The style sheet's phone layout, where the lane is drawn as a column (`static/style.css`).
const NARROW: &str = "(max-width: 640px)";

/// Whether the page is in the phone layout: `None` until the browser has said (the first render,
/// which must match the prerendered page, draws both lanes), then as the window changes.
#[hook]
fn use_narrow() -> Option<bool> {
    let narrow = use_state_eq(|| None::<bool>);
    {
        let narrow = narrow.clone();
        use_effect_with((), move |_| {
            let query = web_sys::window().and_then(|w| w.match_media(NARROW).ok().flatten());
            let listener = query.map(|query| {
                narrow.set(Some(query.matches()));
                let watched = query.clone();
                gloo::events::EventListener::new(&query, "change", move |_| {
                    narrow.set(Some(watched.matches()));
                })
            });
            move || drop(listener)
        });
    }
    *narrow
}

/// Properties of [`Lane`].
#[derive(Properties)]
struct LaneProps {
    session: SessionRef,
    orientation: Orientation,
    /// Whether the style sheet shows this orientation now (or may: not yet known).
    live: bool,
}

/// A lane the style sheet hides is left as it is: it is drawn again, with the session of the
/// moment, when it is shown.
impl PartialEq for LaneProps {
    fn eq(&self, other: &Self) -> bool {
        self.orientation == other.orientation
            && self.live == other.live
            && (!self.live || self.session == other.session)
    }
}

/// One orientation of the lane; CSS shows the one that suits the screen.
#[function_component(Lane)]
fn lane_picture(props: &LaneProps) -> Html {
    let s = &props.session;
    let class = match props.orientation {
        Orientation::Row => "lane lane-row",
        Orientation::Column => "lane lane-column",
    };
    picture(&lane(s, props.orientation), class, s.step)
}

/// One orientation of the picture.
fn picture(view: &LaneView, class: &'static str, step: usize) -> Html {
    let id = class.replace(' ', "-");
    html! {
        <svg class={class} role="img" aria-labelledby={format!("{id}-title")}
             viewBox={format!("0 0 {} {}", view.width, view.height)}
             preserveAspectRatio="xMidYMid meet">
            <title id={format!("{id}-title")}>{ view.summary.clone() }</title>
            <defs>
                <marker id={format!("{id}-arrow")} viewBox="0 0 10 10" refX="9" refY="5"
                        markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
                </marker>
            </defs>
            { for view.actors.iter().zip(&view.active).map(|(a, on)| actor(a, *on)) }
            if let Some(hop) = &view.hop {
                // Keyed by step so the token's journey replays on every step change.
                <g class={classes!("hop", "live", hop.failed.then_some("failed"))} key={step.to_string()}>
                    <path id={format!("{id}-hop")} d={hop.d.clone()} fill="none"
                          marker-end={format!("url(#{id}-arrow)")} />
                    <circle class="token-dot" r="7">
                        { super::token_motion(&format!("{id}-hop"), "0.9s") }
                    </circle>
                    <text x={hop.label_at.0.to_string()} y={hop.label_at.1.to_string()}
                          text-anchor="middle">{ hop.label.clone() }</text>
                </g>
            }
        </svg>
    }
}

fn actor(actor: &Actor, active: bool) -> Html {
    html! {
        <g class={classes!("actor", actor.kind.css_class(), active.then_some("active"))}
           transform={format!("translate({} {})", actor.x, actor.y)}>
            <rect width={actor.width.to_string()} height={actor.height.to_string()} rx="10" />
            <g transform="translate(16 22)">{ icons::for_kind(actor.kind) }</g>
            <text class="actor-name" x="60" y="34">{ actor.name.clone() }</text>
            <text class="actor-detail" x="60" y="56">{ actor.detail.clone() }</text>
        </g>
    }
}
