//! The top-level component: top bar, the graph canvas and the footer.

use super::icons;
use crate::view::overview::{self, Actor, Orientation, Scene};
use yew::prelude::*;

/// The whole screen.
#[function_component(App)]
pub fn app() -> Html {
    use_effect_with((), |_| mark_first_render());
    html! {
        <div class="app">
            <header class="topbar">
                <a class="brand" href="./" aria-label="mi-sim home">
                    { icons::logo() }
                    <span class="brand-name">{ "mi-sim" }</span>
                </a>
                <span class="brand-tagline">{ "Managed Identity Simulator" }</span>
            </header>
            <main class="workspace">
                <section class="graph-pane" aria-labelledby="graph-title">
                    <h1 id="graph-title" class="pane-title">{ overview::token_flow(Orientation::Row).title }</h1>
                    { scene(&overview::token_flow(Orientation::Row), "graph graph-row") }
                    { scene(&overview::token_flow(Orientation::Column), "graph graph-column") }
                </section>
            </main>
            <footer class="footer">
                <span>{ format!("mi-sim v{}", crate::VERSION) }</span>
                <span class="footer-note">
                    { "Runs entirely in your browser. Tokens are signed with demo keys and are simulated." }
                </span>
            </footer>
        </div>
    }
}

/// One orientation of the picture. Both are rendered; CSS shows the one that suits the screen.
fn scene(scene: &Scene, class: &'static str) -> Html {
    let title_id = format!("{}-title", class.replace(' ', "-"));
    html! {
        <svg class={class} role="img" aria-labelledby={title_id.clone()}
             viewBox={format!("0 0 {} {}", scene.width, scene.height)}
             preserveAspectRatio="xMidYMid meet">
            <title id={title_id}>{ scene.summary }</title>
            <defs>
                <marker id={format!("{}-arrow", class.replace(' ', "-"))} viewBox="0 0 10 10"
                        refX="9" refY="5" markerWidth="7" markerHeight="7"
                        orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
                </marker>
            </defs>
            { for scene.hops.iter().map(|hop| html! {
                <g class="hop">
                    <line x1={hop.from.0.to_string()} y1={hop.from.1.to_string()}
                          x2={hop.to.0.to_string()} y2={hop.to.1.to_string()}
                          marker-end={format!("url(#{}-arrow)", class.replace(' ', "-"))} />
                    <text x={hop.label_at.0.to_string()} y={hop.label_at.1.to_string()}
                          text-anchor={hop.label_anchor}>
                        { format!("{} {}", hop.number, hop.label) }
                    </text>
                </g>
            }) }
            { for scene.actors.iter().map(actor) }
        </svg>
    }
}

fn actor(actor: &Actor) -> Html {
    html! {
        <g class={classes!("actor", actor.kind.css_class())}
           transform={format!("translate({} {})", actor.x, actor.y)}>
            <rect width={actor.width.to_string()} height={actor.height.to_string()} rx="10" />
            <g transform="translate(16 18)">{ icons::for_kind(actor.kind) }</g>
            <text class="actor-name" x="60" y="34">{ actor.name }</text>
            <text class="actor-detail" x="60" y="56">{ actor.detail }</text>
        </g>
    }
}

/// Marks the moment the first render reached the DOM, for the page benchmark
/// (`benches/page.rs` reads it with `performance.getEntriesByName`).
fn mark_first_render() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("mi-sim:first-render");
    }
}
