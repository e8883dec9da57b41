//! The world graph: containers, resources, identities, service principals and role
//! assignments as drawn by `view::graph::layout`, with pan and zoom (a pointer or a finger, a
//! pinch with two, the wheel, the keyboard), selection by click or Tab then Enter, the current
//! step's elements lit, a legend, and a list view of the same world as text.
//!
//! Where the canvas looks is kept outside yew's state: a pan or a zoom sets the SVG's
//! `viewBox` directly, and the graph is drawn anew only when the view leaves what the last
//! drawing holds (`view::graph::Cover`), so a pan over a large world moves an existing drawing
//! instead of rendering thousands of elements every frame. While the whole graph is on screen a
//! drag moves the drawn canvas itself (a CSS transform, composited without drawing anew) and
//! sets the view box once, when the pointer lets go.

use super::app::{Dispatch, Props};
use super::icons;
use crate::view::graph::{
    self, Cover, Detail, Direction, Edge, GraphView, LegendSymbol, Node, NodeKind, ScreenMap,
    TextLine, TextSize, ViewBox, WheelUnit,
};
use crate::view::launch::{Launch, Mode};
use crate::view::overview::ActorKind;
use crate::view::session::{Action, Session};
use std::collections::HashSet;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn text(line: &TextLine, class: &'static str) -> Html {
    let size = match line.size {
        TextSize::Title => "t-title",
        TextSize::Label => "t-label",
        TextSize::Small => "t-small",
    };
    html! {
        <text class={classes!(class, size)} x={line.x.to_string()} y={line.y.to_string()}>
            if line.is_truncated() { <title>{ line.full.clone() }</title> }
            { line.text.clone() }
        </text>
    }
}

fn actor_kind(kind: NodeKind) -> ActorKind {
    match kind {
        NodeKind::Compute | NodeKind::OnPremises => ActorKind::Compute,
        NodeKind::Target => ActorKind::Target,
        NodeKind::TokenService => ActorKind::Endpoint,
        NodeKind::UserAssignedIdentity | NodeKind::ServicePrincipal | NodeKind::Unknown => {
            ActorKind::Directory
        }
    }
}

/// The token's journey in the current step, drawn over the graph: Entra ID to the code's host
/// when the token is issued (not when the platform answers from its cache), the host to the
/// target when it is sent, and the answer back.
fn token_hop(s: &Session, view: &GraphView) -> Html {
    use crate::model::flow::StepStatus;
    let Some((from, to)) = s.token_hop() else {
        return html! {};
    };
    let failed = s
        .walkthrough
        .as_ref()
        .and_then(|w| w.steps.get(s.step))
        .is_some_and(|st| st.status == StepStatus::Failed);
    let rect = |id: &str| view.node(id).map(|n| n.rect);
    let (Some(from), Some(to)) = (rect(&from), rect(&to)) else {
        return html! {};
    };
    let d = graph::token_path(&from, &to);
    html! {
        <g class={classes!("token-hop", failed.then_some("failed"))} key={format!("hop-{}", s.step)}
           aria-hidden="true">
            <path id="world-token-path" {d} fill="none" />
            <circle class="token-dot" r="9">
                { super::token_motion("world-token-path", "1.1s") }
            </circle>
        </g>
    }
}

/// How long the wheel hint stays after the last turn of the wheel that scrolled past the graph.
const HINT_MS: u32 = 1500;

/// Whether a turn of the wheel over the graph should scroll the page rather than zoom: when
/// the page sits in a frame (a documentation page around an embed scrolls) or is taller than
/// the window (narrow layouts). The graph then zooms with Ctrl (or ⌘) held, and with a
/// touchpad's pinch, which browsers send as a wheel with Ctrl.
fn wheel_scrolls_page() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let framed = window.top().ok().flatten().is_some_and(|top| top != window);
    framed
        || window
            .document()
            .and_then(|d| d.scrolling_element())
            .is_some_and(|e| e.scroll_height() > e.client_height())
}

/// The pointers down on the canvas (at most two), and the drag one makes or the pinch two make.
#[derive(Default)]
struct Gesture {
    /// Each pointer down, in the order they went down: its id and where it is now, in screen
    /// pixels.
    down: Vec<(i32, (f64, f64))>,
    /// One pointer down: a drag.
    drag: Option<Drag>,
    /// Two pointers down: a pinch.
    pinch: Option<Pinch>,
}

/// A pointer drag on the canvas.
struct Drag {
    /// Where the pointer went down, in screen pixels.
    start: (f64, f64),
    /// Where the canvas looked then.
    from: ViewBox,
    /// Screen pixels per graph unit as drawn.
    scale: f64,
    /// Whether the whole graph was on screen: then the drawing itself moves during the drag.
    glide: bool,
    /// How far the pointer has moved, once it has moved more than a click does.
    moved: Option<(f64, f64)>,
}

impl Drag {
    /// A drag from the screen position `at`, with the canvas looking at `from`, of a graph
    /// `whole` (width, height) units in a pane of `pane` pixels.
    fn begin(
        at: (f64, f64),
        from: ViewBox,
        svg_ref: &NodeRef,
        whole: (f64, f64),
        pane: (f64, f64),
    ) -> Drag {
        Drag {
            start: at,
            from,
            // What the canvas really draws at (its padding makes the pane's own size a little
            // off), so the graph stays under the pointer.
            scale: screen_map(svg_ref).map_or_else(|| from.scale(pane), |m| m.scale),
            glide: from.shows_whole(whole.0, whole.1, pane),
            moved: None,
        }
    }

    /// Ends the drag: the view box it leaves the canvas at, if the drawing itself moved and
    /// the view box is still to follow (the transform is taken off here).
    fn end(self, svg_ref: &NodeRef) -> Option<ViewBox> {
        let (true, Some((dx, dy))) = (self.glide, self.moved) else {
            return None;
        };
        glide(svg_ref, None);
        Some(self.from.dragged(dx, dy, self.scale))
    }
}

/// Two fingers on the canvas.
struct Pinch {
    /// Where they went down, in screen pixels.
    start: [(f64, f64); 2],
    /// Where the canvas looked then.
    from: ViewBox,
    /// How the canvas drew the graph then.
    map: ScreenMap,
}

/// How the canvas draws the graph on screen now (its screen transformation matrix).
fn screen_map(svg_ref: &NodeRef) -> Option<ScreenMap> {
    let m = svg_ref
        .cast::<web_sys::SvgGraphicsElement>()?
        .get_screen_ctm()?;
    (m.a() > 0.0).then(|| ScreenMap {
        scale: f64::from(m.a()),
        origin: (f64::from(m.e()), f64::from(m.f())),
    })
}

/// Moves the drawn canvas by (`dx`, `dy`) screen pixels as it is (a transform the browser
/// applies without drawing anew), or puts it back.
fn glide(svg_ref: &NodeRef, by: Option<(f64, f64)>) {
    let Some(svg) = svg_ref.cast::<web_sys::SvgElement>() else {
        return;
    };
    let style = svg.style();
    match by {
        Some((dx, dy)) => {
            let _ = style.set_property("will-change", "transform");
            let _ = style.set_property("transform", &format!("translate({dx}px, {dy}px)"));
        }
        None => {
            let _ = style.remove_property("transform");
            let _ = style.remove_property("will-change");
        }
    }
}

/// How long the view takes to sweep to a step's framing, in milliseconds.
const SWEEP_MS: f64 = 450.0;

/// Moves the canvas's view box from `from` to `to` over [`SWEEP_MS`], a frame at a time,
/// easing in and out; `started` is the first frame's time. The frame to come is kept in
/// `sweeping` (taking it out stops the sweep) and each view box drawn in `drawn_at`.
fn sweep_view(
    svg: web_sys::Element,
    from: ViewBox,
    to: ViewBox,
    sweeping: Rc<std::cell::RefCell<Option<gloo::render::AnimationFrame>>>,
    drawn_at: Rc<std::cell::RefCell<Option<ViewBox>>>,
    started: Option<f64>,
) {
    let next = sweeping.clone();
    let frame = gloo::render::request_animation_frame(move |now| {
        let start = started.unwrap_or(now);
        let t = ((now - start) / SWEEP_MS).clamp(0.0, 1.0);
        let vb = from.towards(to, t);
        let _ = svg.set_attribute("viewBox", &vb.attribute());
        *drawn_at.borrow_mut() = Some(vb);
        if t < 1.0 {
            sweep_view(svg, from, to, next, drawn_at, Some(start));
        } else {
            next.borrow_mut().take();
        }
    });
    *sweeping.borrow_mut() = Some(frame);
}

/// Selects `id` on a click.
fn select(dispatch: &Dispatch, id: &str) -> Callback<MouseEvent> {
    let (d, id) = (dispatch.clone(), id.to_string());
    Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        d.emit(Action::Select(Some(id.clone())));
    })
}

/// Selects `id` on Enter or Space.
fn select_key(dispatch: &Dispatch, id: &str) -> Callback<KeyboardEvent> {
    let (d, id) = (dispatch.clone(), id.to_string());
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            e.stop_propagation();
            d.emit(Action::Select(Some(id.clone())));
        }
    })
}

/// Which element of the laid-out graph a [`GraphPart`] draws.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// `GraphView::nodes[i]`.
    Node(usize),
    /// `GraphView::edges[i]`.
    Edge(usize),
}

/// Properties of [`GraphPart`].
#[derive(Properties)]
struct PartProps {
    /// The laid-out graph.
    view: Rc<GraphView>,
    /// The element of it to draw.
    part: Part,
    /// Whether the current step involves it.
    lit: bool,
    /// Whether the current step involves a node's system-assigned identity.
    lit_badge: bool,
    /// Whether it is selected.
    selected: bool,
    /// Acts on the session.
    dispatch: Dispatch,
}

impl PartProps {
    /// What is drawn, to compare by value when the graph was laid out again.
    fn drawn(&self) -> (Option<&Node>, Option<&Edge>) {
        match self.part {
            Part::Node(i) => (self.view.nodes.get(i), None),
            Part::Edge(i) => (None, self.view.edges.get(i)),
        }
    }
}

/// Drawn again only when something it shows changed: on a step, only what the step lights or
/// stops lighting; after an edit, only what the new layout moved or changed.
impl PartialEq for PartProps {
    fn eq(&self, other: &Self) -> bool {
        self.lit == other.lit
            && self.lit_badge == other.lit_badge
            && self.selected == other.selected
            && self.dispatch == other.dispatch
            && ((Rc::ptr_eq(&self.view, &other.view) && self.part == other.part)
                || self.drawn() == other.drawn())
    }
}

/// A node or an edge drawn in full, selectable by click or by Enter.
#[function_component(GraphPart)]
fn graph_part(props: &PartProps) -> Html {
    let d = &props.dispatch;
    let selected = props.selected;
    match props.drawn() {
        (Some(n), _) => {
            let class = classes!(
                "node",
                n.kind.css_class(),
                props.lit.then_some("lit"),
                selected.then_some("selected"),
                props.lit_badge.then_some("lit-badge"),
            );
            let r = &n.rect;
            html! {
                <g {class} tabindex="0" role="button" aria-label={n.accessible_name.clone()}
                   aria-pressed={selected.to_string()}
                   onclick={select(d, &n.id)} onkeydown={select_key(d, &n.id)}>
                    <rect class="node-box" x={r.x.to_string()} y={r.y.to_string()}
                          width={r.width.to_string()} height={r.height.to_string()} rx="8" />
                    <svg x={n.icon.x.to_string()} y={n.icon.y.to_string()} width={n.icon.width.to_string()}
                         height={n.icon.height.to_string()} viewBox="0 0 32 32" class="node-icon">
                        { icons::for_kind(actor_kind(n.kind)) }
                    </svg>
                    { text(&n.label, "node-label") }
                    { text(&n.sub_label, "node-sub") }
                    if let Some(b) = &n.badge {
                        <g class="badge-sa">
                            <circle cx={b.cx.to_string()} cy={b.cy.to_string()} r={b.r.to_string()} />
                            <text x={b.cx.to_string()} y={(b.cy + 4).to_string()} text-anchor="middle">{ b.text }</text>
                        </g>
                    }
                </g>
            }
        }
        (_, Some(e)) => {
            let d_attr = e
                .points
                .iter()
                .enumerate()
                .map(|(i, (x, y))| format!("{}{x},{y}", if i == 0 { "M" } else { " L" }))
                .collect::<String>();
            let class = classes!(
                "edge",
                e.kind.css_class(),
                e.kind.dashed().then_some("dashed"),
                (!e.effective).then_some("pending"),
                props.lit.then_some("lit"),
                selected.then_some("selected"),
            );
            html! {
                <g {class} tabindex={e.chip.as_ref().map(|_| "0")} role={e.chip.as_ref().map(|_| "button")}
                   aria-label={e.accessible_name.clone()}
                   onclick={select(d, &e.id)} onkeydown={select_key(d, &e.id)}>
                    <path d={d_attr} fill="none" />
                    if let Some(chip) = &e.chip {
                        <g class="chip">
                            <rect x={chip.rect.x.to_string()} y={chip.rect.y.to_string()}
                                  width={chip.rect.width.to_string()} height={chip.rect.height.to_string()} rx="10" />
                            { for chip.lines.iter().map(|l| text(l, "chip-text")) }
                        </g>
                    }
                </g>
            }
        }
        (None, None) => html! {},
    }
}

/// The world graph with its controls.
#[function_component(WorldGraph)]
pub fn world_graph(props: &Props) -> Html {
    let s = &props.session;
    let d = &props.dispatch;
    // Laid out again only when the world changes (its revision), not on every step.
    let view = {
        let session = s.clone();
        use_memo(s.world_revision(), move |_| {
            graph::layout(&session.sim.world)
        })
    };
    // Where the canvas looks (`None`: the whole world, fitted), what the last drawing holds,
    // and a way to draw anew when a new view needs it.
    let looking = use_mut_ref(|| None::<ViewBox>);
    let cover = use_mut_ref(|| None::<Cover>);
    let redraw = use_force_update();
    // The drawing's size on screen (the canvas inside its padding), for deciding what is in
    // view and how much detail to draw.
    let pane = use_state_eq(|| None::<(f64, f64)>);
    let list = use_state(|| false);
    let gesture = use_mut_ref(Gesture::default);
    // "Hold Ctrl and scroll to zoom", shown a moment after the wheel scrolled past the graph.
    let wheel_hint = use_state_eq(|| false);
    let hint_timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let wheel_handler = use_mut_ref(|| None::<Callback<WheelEvent>>);
    let svg_ref = use_node_ref();
    // A view box sweeping to where a step is framed, frame by frame.
    let sweeping = use_mut_ref(|| None::<gloo::render::AnimationFrame>);
    // The view box the canvas was last drawn at (a sweep's start).
    let drawn_at = use_mut_ref(|| None::<ViewBox>);
    let lit: HashSet<String> = s
        .walkthrough
        .as_ref()
        .and_then(|w| w.steps.get(s.step))
        .map(|st| st.elements.iter().cloned().collect())
        .unwrap_or_default();
    let pane_size = pane.unwrap_or((1000.0, 600.0));
    // A presentation or an embedded frame follows the steps, and so does a canvas too small
    // for the whole world to be read: each step frames the parts it lights. Another step
    // ends a pan or zoom of the person's own there.
    let presenting =
        use_context::<Rc<Launch>>().is_some_and(|l| matches!(l.mode, Mode::Present | Mode::Embed));
    // Until the canvas is measured (and in the prerendered first view), only a presentation
    // or a frame follows.
    let follows = match *pane {
        Some(measured) => ViewBox::follows_steps(&view, measured, presenting),
        None => presenting,
    };
    // What a step frames: the parts it lights and the two ends of the token's hop.
    let framed: HashSet<String> = lit
        .iter()
        .cloned()
        .chain(s.token_hop().into_iter().flat_map(|(from, to)| [from, to]))
        .collect();
    let fit = ViewBox::fit(&view);
    let auto = if follows {
        ViewBox::framing(&view, &framed, pane_size)
    } else {
        fit
    };
    let followed = use_mut_ref(|| None::<(usize, usize, Vec<String>)>);
    let new_step = {
        let mut parts: Vec<String> = framed.iter().cloned().collect();
        parts.sort_unstable();
        let key = (s.flow, s.step, parts);
        let changed = followed.borrow().as_ref() != Some(&key);
        *followed.borrow_mut() = Some(key);
        changed
    };
    if follows && new_step {
        *looking.borrow_mut() = None;
    }
    // The canvas begins to follow the steps (measured small on a phone once the app runs, or
    // a window made smaller): it sweeps to the step from the whole world it showed.
    let was_following = use_mut_ref(|| false);
    let begins_to_follow = follows
        && !std::mem::replace(&mut *was_following.borrow_mut(), follows)
        && looking.borrow().is_none();
    let current = {
        let looking = looking.clone();
        move || looking.borrow().unwrap_or(auto)
    };
    let vb = current();
    let selected = s.selected.clone();
    {
        // The canvas's size, measured when it is laid out and whenever it changes size (the
        // window, the panes), never by forcing a layout in the middle of a render.
        let (svg_ref, pane) = (svg_ref.clone(), pane.clone());
        use_effect_with(*list, move |_| {
            let observer = svg_ref.cast::<web_sys::Element>().and_then(|svg| {
                let measured = svg.clone();
                let on_resize = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                    // The drawing fills the canvas inside its padding.
                    let rect = measured.get_bounding_client_rect();
                    let style = web_sys::window()
                        .and_then(|w| w.get_computed_style(&measured).ok().flatten());
                    let padding = |side: &str| {
                        style
                            .as_ref()
                            .and_then(|s| s.get_property_value(side).ok())
                            .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
                            .unwrap_or(0.0)
                    };
                    let (width, height) = (
                        rect.width() - padding("padding-left") - padding("padding-right"),
                        rect.height() - padding("padding-top") - padding("padding-bottom"),
                    );
                    if width > 0.0 && height > 0.0 {
                        pane.set(Some((width, height)));
                    }
                });
                let observer =
                    web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&svg);
                Some((observer, on_resize))
            });
            move || {
                if let Some((observer, _on_resize)) = observer {
                    observer.disconnect();
                }
            }
        });
    }
    let viewport = vb.viewport(pane_size);
    let always: HashSet<String> = lit.iter().cloned().chain(selected.clone()).collect();
    let shown = graph::visible(&view, &viewport, &always);
    *cover.borrow_mut() = Some(shown.cover(&viewport));
    // The merged drawings (outlines, or lines passing through), remembered while the world,
    // the drawn area and their members stay the same: a selection or a step draws nothing new.
    let merged = {
        let view = view.clone();
        use_memo(
            (
                s.world_revision(),
                shown.detail,
                shown.area,
                shown.merged(&view),
            ),
            move |(_, _, area, merged)| {
                merged
                    .iter()
                    .map(|m| {
                        let d = graph::merged_path(&view, &m.members, area.as_ref());
                        (m.kind, m.effective, AttrValue::from(d))
                    })
                    .collect::<Vec<_>>()
            },
        )
    };

    {
        // After every render: the canvas shows where it looks (a pan may have moved it since
        // yew last wrote the attribute). Written only when it differs: writing the same view
        // box again still makes the browser lay the drawing out anew. When a step moved the
        // framing and the whole graph is drawn, the view sweeps there from where it was,
        // unless motion is reduced.
        let sweep_from = (follows && (new_step || begins_to_follow) && shown.area.is_none())
            .then(|| *drawn_at.borrow())
            .flatten()
            .filter(|from| *from != vb);
        let (svg_ref, current, sweeping, drawn_at) = (
            svg_ref.clone(),
            current.clone(),
            sweeping.clone(),
            drawn_at.clone(),
        );
        use_effect(move || {
            let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            let to = current();
            match sweep_from.filter(|_| !super::reduced_motion()) {
                Some(from) => {
                    let _ = svg.set_attribute("viewBox", &from.attribute());
                    sweep_view(svg, from, to, sweeping, drawn_at, None);
                }
                None if sweeping.borrow().is_none() => {
                    *drawn_at.borrow_mut() = Some(to);
                    let attribute = to.attribute();
                    if svg.get_attribute("viewBox").as_deref() != Some(attribute.as_str()) {
                        let _ = svg.set_attribute("viewBox", &attribute);
                    }
                }
                None => {}
            }
        });
    }

    // Looks somewhere else: moves the drawing there at once, and draws anew only if the last
    // drawing does not hold the new view.
    let look = {
        let (looking, cover, svg_ref, sweeping, drawn_at) = (
            looking.clone(),
            cover.clone(),
            svg_ref.clone(),
            sweeping.clone(),
            drawn_at.clone(),
        );
        Rc::new(move |next: Option<ViewBox>| {
            // Leaving the step's framing, or going back to it, changes the tools.
            let tools_change = follows && looking.borrow().is_none() != next.is_none();
            *looking.borrow_mut() = next;
            let vb = next.unwrap_or(auto);
            sweeping.borrow_mut().take();
            *drawn_at.borrow_mut() = Some(vb);
            if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                let _ = svg.set_attribute("viewBox", &vb.attribute());
            }
            let holds = cover
                .borrow()
                .is_some_and(|c| c.holds(&vb.viewport(pane_size)));
            if !holds || tools_change {
                redraw.force_update();
            }
        })
    };
    let zoom_by = |f: f64| {
        let (look, current) = (look.clone(), current.clone());
        Callback::from(move |_: MouseEvent| look(Some(current().zoom(f))))
    };
    // The whole world: while the canvas follows the steps, until the next step.
    let whole_world = follows.then_some(fit);
    let fit_cb = {
        let look = look.clone();
        Callback::from(move |_: MouseEvent| look(whole_world))
    };
    // Back to the step's framing after a pan or zoom, while the canvas follows the steps.
    let reframe = (follows && looking.borrow().is_some() && auto != fit).then(|| {
        let look = look.clone();
        Callback::from(move |_: MouseEvent| look(None))
    });
    // The graph's size, for telling whether a drag can move the drawing as it is.
    let whole = (f64::from(view.width), f64::from(view.height));
    // What the pointer handlers share.
    let pointer = (
        gesture.clone(),
        current.clone(),
        look.clone(),
        svg_ref.clone(),
    );
    let on_down = {
        let (gesture, current, look, svg_ref) = pointer.clone();
        Callback::from(move |e: PointerEvent| {
            let (id, at) = (
                e.pointer_id(),
                (f64::from(e.client_x()), f64::from(e.client_y())),
            );
            let mut g = gesture.borrow_mut();
            // A third finger, or a pointer already down, changes nothing.
            if g.down.len() >= 2 || g.down.iter().any(|(i, _)| *i == id) {
                return;
            }
            g.down.push((id, at));
            if g.down.len() == 1 {
                g.drag = Some(Drag::begin(at, current(), &svg_ref, whole, pane_size));
                return;
            }
            // A second finger: what the first one dragged stays, and a pinch begins there.
            let dragged = g.drag.take().and_then(|d| d.end(&svg_ref));
            let start = [g.down[0].1, g.down[1].1];
            drop(g);
            if let Some(view_box) = dragged {
                look(Some(view_box));
            }
            // The canvas the fingers are on is drawn, so its screen map is there.
            if let Some(map) = screen_map(&svg_ref) {
                gesture.borrow_mut().pinch = Some(Pinch {
                    start,
                    from: current(),
                    map,
                });
            }
        })
    };
    let on_move = {
        let (gesture, look, svg_ref) = (gesture.clone(), look.clone(), svg_ref.clone());
        Callback::from(move |e: PointerEvent| {
            let (id, at) = (
                e.pointer_id(),
                (f64::from(e.client_x()), f64::from(e.client_y())),
            );
            let mut g = gesture.borrow_mut();
            let Some(pointer) = g.down.iter_mut().find(|(i, _)| *i == id) else {
                return;
            };
            pointer.1 = at;
            let next = if let Some(p) = &g.pinch {
                p.from.pinched(p.map, p.start, [g.down[0].1, g.down[1].1])
            } else {
                let Some(d) = g.drag.as_mut() else {
                    return;
                };
                let (dx, dy) = (at.0 - d.start.0, at.1 - d.start.1);
                if dx.abs() + dy.abs() <= 3.0 && d.moved.is_none() {
                    return;
                }
                d.moved = Some((dx, dy));
                if d.glide {
                    // The whole graph is on screen, so nothing comes into view: the drawing
                    // moves as it is, which the browser does without drawing it again.
                    glide(&svg_ref, Some((dx, dy)));
                    return;
                }
                d.from.dragged(dx, dy, d.scale)
            };
            drop(g);
            look(Some(next));
        })
    };
    // A pointer let go, was cancelled or left the canvas.
    let on_up = {
        let (gesture, current, look, svg_ref) = pointer.clone();
        Callback::from(move |e: PointerEvent| {
            let mut g = gesture.borrow_mut();
            let Some(i) = g.down.iter().position(|(id, _)| *id == e.pointer_id()) else {
                return;
            };
            g.down.remove(i);
            if g.pinch.take().is_some() {
                // One finger is left: it drags on from where the pinch left the view.
                if let Some(&(_, at)) = g.down.first() {
                    g.drag = Some(Drag::begin(at, current(), &svg_ref, whole, pane_size));
                }
                return;
            }
            let dragged = g.drag.take().and_then(|d| d.end(&svg_ref));
            drop(g);
            if let Some(view_box) = dragged {
                look(Some(view_box));
            }
        })
    };
    let on_wheel = {
        let (look, current, svg_ref) = (look.clone(), current.clone(), svg_ref.clone());
        let (wheel_hint, hint_timer) = (wheel_hint.clone(), hint_timer.clone());
        Callback::from(move |e: WheelEvent| {
            let held = e.ctrl_key() || e.meta_key();
            if !held && wheel_scrolls_page() {
                // The wheel scrolls the page past the graph; say how to zoom instead.
                wheel_hint.set(true);
                let wheel_hint = wheel_hint.clone();
                *hint_timer.borrow_mut() =
                    Some(gloo::timers::callback::Timeout::new(HINT_MS, move || {
                        wheel_hint.set(false)
                    }));
                return;
            }
            e.prevent_default();
            let unit = match e.delta_mode() {
                web_sys::WheelEvent::DOM_DELTA_LINE => WheelUnit::Line,
                web_sys::WheelEvent::DOM_DELTA_PAGE => WheelUnit::Page,
                _ => WheelUnit::Pixel,
            };
            let doublings = graph::wheel_doublings(e.delta_y(), unit, e.ctrl_key());
            let factor = web_sys::js_sys::Math::pow(2.0, doublings);
            let from = current();
            // The graph point under the pointer stays under it.
            let under = screen_map(&svg_ref)
                .map(|m| m.to_graph((f64::from(e.client_x()), f64::from(e.client_y()))));
            look(Some(match under {
                Some(point) => from.zoom_about(factor, point),
                None => from.zoom(factor),
            }));
        })
    };
    {
        // The wheel is listened to on the canvas itself, not through yew's listener on the
        // page's root: that root has no box of its own (`display: contents`), so the browser
        // would take the canvas for an area without a wheel listener, scroll at once, and
        // ignore the zoom's `preventDefault`. The listener calls the latest handler.
        *wheel_handler.borrow_mut() = Some(on_wheel);
        let (svg_ref, wheel_handler) = (svg_ref.clone(), wheel_handler.clone());
        use_effect_with(*list, move |_| {
            let listener = svg_ref.cast::<web_sys::Element>().map(|svg| {
                gloo::events::EventListener::new_with_options(
                    &svg,
                    "wheel",
                    gloo::events::EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let handler = wheel_handler.borrow().clone();
                        if let (Some(handler), Some(e)) = (handler, e.dyn_ref::<WheelEvent>()) {
                            handler.emit(e.clone());
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }
    let on_key = {
        let (look, current) = (look.clone(), current.clone());
        Callback::from(move |e: KeyboardEvent| {
            let vb = current();
            let next = match e.key().as_str() {
                "+" | "=" => Some(vb.zoom(1.0 / 1.2)),
                "-" | "_" => Some(vb.zoom(1.2)),
                "0" => whole_world,
                "ArrowLeft" => Some(vb.stepped(Direction::Left, pane_size)),
                "ArrowRight" => Some(vb.stepped(Direction::Right, pane_size)),
                "ArrowUp" => Some(vb.stepped(Direction::Up, pane_size)),
                "ArrowDown" => Some(vb.stepped(Direction::Down, pane_size)),
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            look(next);
        })
    };
    let select = |id: &str| select(d, id);
    let select_key = |id: &str| select_key(d, id);
    let toggle_list = {
        let list = list.clone();
        Callback::from(move |_: MouseEvent| list.set(!*list))
    };

    // A node or an edge drawn in full: a part of its own, drawn again only when it, its being
    // lit or its being selected changes, so a step redraws the few parts it lights.
    let node = |i: usize| {
        let n = &view.nodes[i];
        html! {
            <GraphPart key={n.id.clone()} view={view.clone()} part={Part::Node(i)} dispatch={d.clone()}
                       lit={lit.contains(&n.id)}
                       lit_badge={n.badge.as_ref().is_some_and(|b| lit.contains(&b.principal_id))}
                       selected={selected.as_deref() == Some(n.id.as_str())} />
        }
    };
    // A node as one box, for a zoomed-out large world: still focusable and selectable.
    let outline_node = |n: &Node| {
        let is_selected = selected.as_deref() == Some(n.id.as_str());
        let class = classes!(
            "node",
            "outline",
            n.kind.css_class(),
            is_selected.then_some("selected")
        );
        let r = &n.rect;
        html! {
            <rect key={n.id.clone()} {class} x={r.x.to_string()} y={r.y.to_string()}
                  width={r.width.to_string()} height={r.height.to_string()} rx="8"
                  tabindex="0" role="button" aria-label={n.accessible_name.clone()}
                  aria-pressed={is_selected.to_string()}
                  onclick={select(&n.id)} onkeydown={select_key(&n.id)} />
        }
    };
    let edge = |i: usize| {
        let e = &view.edges[i];
        html! {
            <GraphPart key={e.id.clone()} view={view.clone()} part={Part::Edge(i)} dispatch={d.clone()}
                       lit={lit.contains(&e.id)} lit_badge=false
                       selected={selected.as_deref() == Some(e.id.as_str())} />
        }
    };

    html! {
        <div class="world">
            <div class="graph-tools" role="toolbar" aria-label="Graph view">
                <button type="button" class="button small" onclick={zoom_by(1.0 / 1.25)} aria-label="Zoom in">{ "+" }</button>
                <button type="button" class="button small" onclick={zoom_by(1.25)} aria-label="Zoom out">{ "−" }</button>
                <button type="button" class="button small" onclick={fit_cb}>{ "Fit" }</button>
                if let Some(reframe) = reframe {
                    <button type="button" class="button small" onclick={reframe}>{ "Frame step" }</button>
                }
                <button type="button" class="button small" onclick={toggle_list} aria-pressed={list.to_string()}>
                    { if *list { "Graph view" } else { "List view" } }
                </button>
                if !*list && shown.detail == Detail::Outline {
                    <span class="graph-note">{ "Zoomed out: zoom in to read labels" }</span>
                }
            </div>
            if *wheel_hint && !*list {
                <p class="graph-hint" role="status">{ "Hold Ctrl and scroll to zoom" }</p>
            }
            if *list {
                <div class="world-list" tabindex="0">
                    { for graph::list_view(&s.sim.world).iter().map(|section| html! {
                        <section>
                            <h3>{ section.title.clone() }</h3>
                            <ul>
                                { for section.items.iter().map(|item| html! {
                                    <li class={format!("level-{}", item.level)}>
                                        <button type="button" class="link" onclick={select(&item.id)}>{ item.text.clone() }</button>
                                    </li>
                                }) }
                            </ul>
                        </section>
                    }) }
                </div>
            } else {
                // The frame holds the canvas's background and clips it while a drag moves it.
                <div class="graph-frame">
                    <svg class={classes!("graph", "world-graph", (shown.hidden > 0 || shown.detail == Detail::Outline).then_some("partial"))} ref={svg_ref} role="group" aria-label={format!("World graph. {}", view.summary)}
                         viewBox={vb.attribute()} preserveAspectRatio="xMidYMid meet"
                         tabindex="0" onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up.clone()}
                         onpointercancel={on_up.clone()} onpointerleave={on_up} onkeydown={on_key}>
                        { for shown.containers.iter().map(|&i| &view.containers[i]).map(|c| html! {
                            <g class={classes!("container", format!("container-{:?}", c.kind).to_ascii_lowercase(), lit.contains(&c.id).then_some("lit"))}
                               aria-label={c.accessible_name.clone()}>
                                <rect x={c.rect.x.to_string()} y={c.rect.y.to_string()} width={c.rect.width.to_string()}
                                      height={c.rect.height.to_string()} rx="10" />
                                { text(&c.title, "container-title") }
                            </g>
                        }) }
                        if shown.detail == Detail::Full {
                            if !shown.passing.is_empty() {
                                // Lines that only pass through: one path per kind, cut to what is drawn.
                                <g class="passing" aria-hidden="true">
                                    { for merged.iter().map(|(kind, effective, d)| html! {
                                        <path class={classes!("edge-pass", kind.css_class(), kind.dashed().then_some("dashed"), (!effective).then_some("pending"))}
                                              d={d.clone()} fill="none" />
                                    }) }
                                </g>
                            }
                            { for shown.edges.iter().copied().filter(|&i| view.edges[i].chip.is_none()).map(edge) }
                            { for shown.nodes.iter().copied().map(node) }
                            { for shown.edges.iter().copied().filter(|&i| view.edges[i].chip.is_some()).map(edge) }
                        } else {
                            <g class="outlines" aria-hidden="true">
                                { for merged.iter().map(|(kind, effective, d)| html! {
                                    <path class={classes!("edge-outline", kind.css_class(), kind.dashed().then_some("dashed"), (!effective).then_some("pending"))}
                                          d={d.clone()} fill="none" />
                                }) }
                            </g>
                            { for shown.nodes.iter().map(|&i| &view.nodes[i]).map(outline_node) }
                            { for shown.full_edges.iter().copied().map(edge) }
                            { for shown.full_nodes.iter().copied().map(node) }
                        }
                        { token_hop(s, &view) }
                    </svg>
                </div>
            }
            <Legend />
        </div>
    }
}

/// What the graph's shapes and lines mean: the same in every render, so drawn once.
#[function_component(Legend)]
fn legend() -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            { for graph::legend().iter().map(|entry| {
                let swatch = match entry.symbol {
                    LegendSymbol::Node(k) => format!("swatch {}", k.css_class()),
                    LegendSymbol::Edge(k) => format!("swatch line {}", k.css_class()),
                    LegendSymbol::RoleChip => "swatch chip".to_string(),
                    LegendSymbol::SystemAssignedBadge => "swatch badge-dot".to_string(),
                };
                html! { <li title={entry.meaning}><span class={swatch} aria-hidden="true"></span>{ entry.label }</li> }
            }) }
        </ul>
    }
}
