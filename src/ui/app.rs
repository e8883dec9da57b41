//! The top-level component: top bar, the graph canvas and the footer.

use super::icons;
use crate::view::overview::{self, Actor};
use yew::prelude::*;

/// The whole screen.
#[function_component(App)]
pub fn app() -> Html {
    let scene = overview::token_flow();
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
                    <h1 id="graph-title" class="pane-title">{ scene.title }</h1>
                    <svg class="graph" role="img" aria-labelledby="graph-svg-title"
                         viewBox={format!("0 0 {} {}", scene.width, scene.height)}
                         preserveAspectRatio="xMidYMid meet">
                        <title id="graph-svg-title">{ scene.summary.clone() }</title>
                        <defs>
                            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5"
                                    markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                                <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
                            </marker>
                        </defs>
                        { for scene.hops.iter().map(|hop| html! {
                            <g class="hop">
                                <line x1={hop.x1.to_string()} y1={hop.y.to_string()}
                                      x2={hop.x2.to_string()} y2={hop.y.to_string()}
                                      marker-end="url(#arrow)" />
                                <text x={((hop.x1 + hop.x2) / 2).to_string()}
                                      y={(hop.y - 10).to_string()} text-anchor="middle">
                                    { format!("{}  {}", hop.number, hop.label) }
                                </text>
                            </g>
                        }) }
                        { for scene.actors.iter().map(actor) }
                    </svg>
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
