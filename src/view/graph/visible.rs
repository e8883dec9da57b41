//! What to draw of a laid-out graph at the current pan and zoom. A shipped scenario is drawn
//! whole, every element in full. A large world (hundreds of resources, thousands of role
//! assignments) is drawn the way a map is: only what lies in and around the view, and, while
//! the view is zoomed out so far that labels could not be read, each node as a plain box and
//! the edges of each kind as one line drawing. Zoomed in, the long runs of edges that only pass
//! through (neither end nor chip in reach) are drawn the same way, one path per kind cut to the
//! drawn area. The elements of the current step and the selection are always drawn in full, so
//! the flow stays visible at any zoom.
//!
//! The drawn area reaches half a view beyond the view on every side, so a pan within it moves
//! the drawing without drawing anew: [`Cover::holds`] says when a new view needs a new drawing.

use super::{EdgeKind, GraphView, Rect};
use std::collections::HashSet;

/// At most this many nodes and edges together are drawn in full whatever the zoom; a graph at
/// or under it is always drawn whole (every shipped scenario is far under it).
pub const FULL_DETAIL_BUDGET: usize = 600;

/// Screen pixels per graph unit from which labels are drawn (12-unit text at 0.55 px a unit
/// is about 6.5 px tall: the smallest that still reads as text).
pub const READABLE_SCALE: f64 = 0.55;

/// How far a large world's drawing reaches beyond the view on every side, as a share of the
/// view's width and height.
pub const DRAWN_MARGIN: f64 = 0.5;

/// The part of the graph on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Left edge, in graph units.
    pub x: f64,
    /// Top edge, in graph units.
    pub y: f64,
    /// Width, in graph units.
    pub width: f64,
    /// Height, in graph units.
    pub height: f64,
    /// Screen pixels per graph unit.
    pub scale: f64,
}

/// How much of an element is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Boxes, icons, labels, chips: everything.
    Full,
    /// Boxes only; edges merged into one drawing per kind.
    Outline,
}

/// The elements to draw, by index into the [`GraphView`]'s lists, in drawing order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visible {
    /// How nodes and edges not in `full_*` are drawn.
    pub detail: Detail,
    /// Containers to draw (always with their boxes; titles too when `detail` is full).
    pub containers: Vec<usize>,
    /// Nodes to draw at `detail`.
    pub nodes: Vec<usize>,
    /// Edges to draw at `detail` (merged per kind when outlined).
    pub edges: Vec<usize>,
    /// Edges only passing through the drawn area at full detail: merged per kind like
    /// outlines, but drawn as edges are.
    pub passing: Vec<usize>,
    /// Nodes drawn in full although the rest is outlined (lit or selected).
    pub full_nodes: Vec<usize>,
    /// Edges drawn in full although the rest is outlined (lit or selected).
    pub full_edges: Vec<usize>,
    /// How many nodes and edges lie outside the drawn area and are not drawn.
    pub hidden: usize,
    /// The part of the graph the drawing holds; `None` when it holds the whole graph.
    pub area: Option<Rect>,
    /// Whether the drawing is the same at every zoom (a graph small enough to draw whole).
    pub any_zoom: bool,
}

/// Edges drawn as one path: of one kind, all in effect or all still propagating.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// Their kind.
    pub kind: EdgeKind,
    /// Whether they are in effect (false: still propagating, drawn as pending).
    pub effective: bool,
    /// The edges, by index into the view's list.
    pub members: Vec<usize>,
}

/// What a drawing holds, to tell whether a new view needs a new drawing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cover {
    /// The part of the graph drawn; `None`: all of it.
    pub area: Option<Rect>,
    /// The zoom it was drawn for; `None`: the drawing is the same at every zoom.
    pub scale: Option<f64>,
}

impl Cover {
    /// Whether `viewport` shows nothing the drawing lacks: the same zoom (or a drawing for
    /// every zoom), and all of it inside the drawn area (or the whole graph drawn).
    pub fn holds(&self, viewport: &Viewport) -> bool {
        let same_zoom = self
            .scale
            .is_none_or(|s| (s - viewport.scale).abs() <= s * 1e-9);
        let inside = self.area.is_none_or(|a| {
            f64::from(a.x) <= viewport.x
                && f64::from(a.y) <= viewport.y
                && viewport.x + viewport.width <= f64::from(a.right())
                && viewport.y + viewport.height <= f64::from(a.bottom())
        });
        same_zoom && inside
    }
}

impl Visible {
    /// Edges drawn merged, grouped by kind and whether they are in effect (in first-seen
    /// order): every outlined edge when zoomed out, the passing ones at full detail.
    pub fn merged(&self, view: &GraphView) -> Vec<Merged> {
        let source = match self.detail {
            Detail::Outline => &self.edges,
            Detail::Full => &self.passing,
        };
        let mut groups: Vec<Merged> = Vec::new();
        for &i in source {
            let (kind, effective) = (view.edges[i].kind, view.edges[i].effective);
            match groups
                .iter_mut()
                .find(|g| g.kind == kind && g.effective == effective)
            {
                Some(g) => g.members.push(i),
                None => groups.push(Merged {
                    kind,
                    effective,
                    members: vec![i],
                }),
            }
        }
        groups
    }

    /// What this drawing holds, drawn for `viewport`.
    pub fn cover(&self, viewport: &Viewport) -> Cover {
        Cover {
            area: self.area,
            scale: (!self.any_zoom).then_some(viewport.scale),
        }
    }
}

/// A straight run as a rectangle at least one unit wide and high, so that a horizontal or
/// vertical run can meet an area.
fn run_rect((x0, y0): (i32, i32), (x1, y1): (i32, i32)) -> Rect {
    Rect {
        x: x0.min(x1),
        y: y0.min(y1),
        width: (x1 - x0).abs().max(1),
        height: (y1 - y0).abs().max(1),
    }
}

/// Whether an edge shows in `area`: one of its straight runs or its chip meets it (an edge's
/// bounding box would be far too coarse for the long L-shaped runs of a large world).
fn edge_meets(view: &GraphView, i: usize, area: &Rect) -> bool {
    let e = &view.edges[i];
    if e.chip.as_ref().is_some_and(|c| c.rect.intersects(area)) {
        return true;
    }
    match e.points.as_slice() {
        [only] => run_rect(*only, *only).intersects(area),
        points => points
            .windows(2)
            .any(|w| run_rect(w[0], w[1]).intersects(area)),
    }
}

/// Whether a point lies in `area` (its border included).
fn holds_point(area: &Rect, (x, y): (i32, i32)) -> bool {
    area.x <= x && x <= area.right() && area.y <= y && y <= area.bottom()
}

/// Whether only an edge's runs reach `area`: not its chip, not either end.
fn only_passes(view: &GraphView, i: usize, area: &Rect) -> bool {
    let e = &view.edges[i];
    !e.chip.as_ref().is_some_and(|c| c.rect.intersects(area))
        && !e.points.first().is_some_and(|&p| holds_point(area, p))
        && !e.points.last().is_some_and(|&p| holds_point(area, p))
}

/// Chooses what to draw. `always` holds the ids of the lit and selected elements.
pub fn visible(view: &GraphView, viewport: &Viewport, always: &HashSet<String>) -> Visible {
    let total = view.nodes.len() + view.edges.len();
    if total <= FULL_DETAIL_BUDGET {
        return Visible {
            detail: Detail::Full,
            containers: (0..view.containers.len()).collect(),
            nodes: (0..view.nodes.len()).collect(),
            edges: (0..view.edges.len()).collect(),
            passing: Vec::new(),
            full_nodes: Vec::new(),
            full_edges: Vec::new(),
            hidden: 0,
            area: None,
            any_zoom: true,
        };
    }
    let (mx, my) = (
        viewport.width * DRAWN_MARGIN,
        viewport.height * DRAWN_MARGIN,
    );
    let area = Rect {
        x: (viewport.x - mx).floor() as i32,
        y: (viewport.y - my).floor() as i32,
        width: (viewport.width + 2.0 * mx).ceil() as i32,
        height: (viewport.height + 2.0 * my).ceil() as i32,
    };
    let graph = Rect {
        x: 0,
        y: 0,
        width: view.width,
        height: view.height,
    };
    let containers = (0..view.containers.len())
        .filter(|&i| view.containers[i].rect.intersects(&area))
        .collect();
    let nodes: Vec<usize> = (0..view.nodes.len())
        .filter(|&i| view.nodes[i].rect.intersects(&area))
        .collect();
    let edges: Vec<usize> = (0..view.edges.len())
        .filter(|&i| edge_meets(view, i, &area))
        .collect();
    let hidden = total - nodes.len() - edges.len();
    let detail =
        if viewport.scale >= READABLE_SCALE || nodes.len() + edges.len() <= FULL_DETAIL_BUDGET {
            Detail::Full
        } else {
            Detail::Outline
        };
    let (nodes, full_nodes): (Vec<usize>, Vec<usize>) = match detail {
        Detail::Full => (nodes, Vec::new()),
        Detail::Outline => nodes
            .into_iter()
            .partition(|&i| !always.contains(&view.nodes[i].id)),
    };
    let (edges, passing, full_edges): (Vec<usize>, Vec<usize>, Vec<usize>) = match detail {
        Detail::Full => {
            let (passing, edges) = edges
                .into_iter()
                .partition(|&i| !always.contains(&view.edges[i].id) && only_passes(view, i, &area));
            (edges, passing, Vec::new())
        }
        Detail::Outline => {
            let (edges, full) = edges
                .into_iter()
                .partition(|&i| !always.contains(&view.edges[i].id));
            (edges, Vec::new(), full)
        }
    };
    Visible {
        detail,
        containers,
        nodes,
        edges,
        passing,
        full_nodes,
        full_edges,
        hidden,
        area: (!area.contains(&graph)).then_some(area),
        any_zoom: false,
    }
}

/// The part of the run from `a` to `b` inside `area`, if any (Liang–Barsky).
fn clip(a: (i32, i32), b: (i32, i32), area: &Rect) -> Option<((i32, i32), (i32, i32))> {
    let (x0, y0) = (f64::from(a.0), f64::from(a.1));
    let (dx, dy) = (f64::from(b.0) - x0, f64::from(b.1) - y0);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, x0 - f64::from(area.x)),
        (dx, f64::from(area.right()) - x0),
        (-dy, y0 - f64::from(area.y)),
        (dy, f64::from(area.bottom()) - y0),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| ((x0 + t * dx).round() as i32, (y0 + t * dy).round() as i32);
    Some((at(t0), at(t1)))
}

/// Runs as (line, from, to), sorted, with the overlapping and touching ones on a line joined.
fn joined(mut runs: Vec<(i32, i32, i32)>) -> Vec<(i32, i32, i32)> {
    runs.sort_unstable();
    let mut out: Vec<(i32, i32, i32)> = Vec::with_capacity(runs.len());
    for (at, from, to) in runs {
        match out.last_mut() {
            Some(last) if last.0 == at && from <= last.2 => last.2 = last.2.max(to),
            _ => out.push((at, from, to)),
        }
    }
    out
}

/// One SVG path drawing the runs of every edge in `members`, cut to `area` when given, as
/// `M x,y L x,y` per line. Runs on one vertical or horizontal line that overlap or touch are
/// drawn as one line (a large world's lanes put hundreds of runs on a few dozen lines, and
/// drawing each would cost the browser far more than the picture needs): vertical lines
/// first, left to right, then horizontal ones, top to bottom, then any other run as it comes.
pub fn merged_path(view: &GraphView, members: &[usize], area: Option<&Rect>) -> String {
    use std::fmt::Write;
    // (line, from, to): x and the y span of a vertical run, y and the x span of a horizontal one.
    let mut vertical: Vec<(i32, i32, i32)> = Vec::new();
    let mut horizontal: Vec<(i32, i32, i32)> = Vec::new();
    let mut other: Vec<((i32, i32), (i32, i32))> = Vec::new();
    for &i in members {
        for w in view.edges[i].points.windows(2) {
            let Some((a, b)) = area.map_or(Some((w[0], w[1])), |r| clip(w[0], w[1], r)) else {
                continue;
            };
            if a == b {
                continue;
            }
            if a.0 == b.0 {
                vertical.push((a.0, a.1.min(b.1), a.1.max(b.1)));
            } else if a.1 == b.1 {
                horizontal.push((a.1, a.0.min(b.0), a.0.max(b.0)));
            } else {
                other.push((a, b));
            }
        }
    }
    let mut d = String::with_capacity(24 * (vertical.len() + horizontal.len() + other.len()));
    let mut line = |(x0, y0): (i32, i32), (x1, y1): (i32, i32)| {
        if !d.is_empty() {
            d.push(' ');
        }
        // Writing to a String cannot fail.
        let _ = write!(d, "M{x0},{y0} L{x1},{y1}");
    };
    for (x, y0, y1) in joined(vertical) {
        line((x, y0), (x, y1));
    }
    for (y, x0, x1) in joined(horizontal) {
        line((x0, y), (x1, y));
    }
    for (a, b) in other {
        line(a, b);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::world::SampleWorld;
    use crate::view::graph::{Chip, Edge, layout};

    fn large() -> GraphView {
        layout(&SampleWorld::large_graph().expect("the large world builds"))
    }

    /// The whole graph fitted into a pane `px_wide` by 600 pixels.
    fn whole(view: &GraphView, px_wide: f64) -> Viewport {
        let (w, h) = (f64::from(view.width), f64::from(view.height));
        Viewport {
            x: 0.0,
            y: 0.0,
            width: w,
            height: h,
            scale: (px_wide / w).min(600.0 / h),
        }
    }

    fn edge(id: &str, points: &[(i32, i32)]) -> Edge {
        Edge {
            id: id.to_string(),
            kind: EdgeKind::RoleAssignment,
            from: String::new(),
            to: String::new(),
            points: points.to_vec(),
            chip: None,
            effective: true,
            accessible_name: id.to_string(),
        }
    }

    /// A graph 6000 units square holding `edges`, then enough short edges far away in the
    /// bottom-right corner to make it a large world.
    fn synthetic(edges: Vec<Edge>) -> GraphView {
        let filler = (0..FULL_DETAIL_BUDGET)
            .map(|i| edge(&format!("far-{i}"), &[(5000, 5000), (5010, 5000)]));
        GraphView {
            width: 6000,
            height: 6000,
            containers: Vec::new(),
            nodes: Vec::new(),
            edges: edges.into_iter().chain(filler).collect(),
            summary: String::new(),
        }
    }

    /// A view 100 units square at (100, 100), at full size: the drawn area reaches from 50
    /// to 250 on both axes.
    const SMALL_VIEW: Viewport = Viewport {
        x: 100.0,
        y: 100.0,
        width: 100.0,
        height: 100.0,
        scale: 1.0,
    };

    #[test]
    fn a_shipped_scenario_is_drawn_whole_and_in_full_at_any_zoom() {
        let view = layout(&SampleWorld::contoso().expect("contoso builds"));
        let tiny = Viewport {
            x: 10.0,
            y: 10.0,
            width: 5.0,
            height: 5.0,
            scale: 0.01,
        };
        for viewport in [whole(&view, 100.0), tiny] {
            let v = visible(&view, &viewport, &HashSet::new());
            assert_eq!(v.detail, Detail::Full);
            assert_eq!(
                (v.containers.len(), v.nodes.len(), v.edges.len(), v.hidden),
                (view.containers.len(), view.nodes.len(), view.edges.len(), 0)
            );
            assert_eq!(
                v.cover(&viewport),
                Cover {
                    area: None,
                    scale: None
                }
            );
        }
    }

    #[test]
    fn the_large_world_zoomed_out_is_outlined_with_lit_elements_in_full() {
        let view = large();
        let lit_node = view.nodes[3].id.clone();
        let lit_edge = view.edges[5].id.clone();
        let always: HashSet<String> = [lit_node.clone(), lit_edge.clone()].into();
        let fitted = whole(&view, 1000.0);
        let v = visible(&view, &fitted, &always);
        assert_eq!(v.detail, Detail::Outline);
        assert_eq!(v.hidden, 0);
        assert_eq!(v.nodes.len() + v.full_nodes.len(), view.nodes.len());
        assert_eq!(v.edges.len() + v.full_edges.len(), view.edges.len());
        assert_eq!(v.full_nodes, vec![3]);
        assert_eq!(v.full_edges, vec![5]);
        assert!(v.passing.is_empty());
        let merged: usize = v.merged(&view).iter().map(|m| m.members.len()).sum();
        assert_eq!(merged, view.edges.len() - 1);
        // Everything is drawn: a pan at this zoom needs no new drawing; a zoom does.
        assert_eq!(v.area, None);
        let cover = v.cover(&fitted);
        assert!(cover.holds(&Viewport {
            y: 5000.0,
            ..fitted
        }));
        assert!(!cover.holds(&Viewport {
            scale: fitted.scale * 1.2,
            ..fitted
        }));
    }

    #[test]
    fn the_large_world_zoomed_in_draws_only_what_is_within_half_a_view_in_full() {
        let view = large();
        let first = &view.nodes[0].rect;
        let viewport = Viewport {
            x: f64::from(first.x - 100),
            y: f64::from(first.y - 100),
            width: 800.0,
            height: 500.0,
            scale: 1.0,
        };
        let v = visible(&view, &viewport, &HashSet::new());
        assert_eq!(v.detail, Detail::Full);
        let area = Rect {
            x: first.x - 500,
            y: first.y - 350,
            width: 1600,
            height: 1000,
        };
        assert_eq!(v.area, Some(area));
        assert!(v.nodes.contains(&0));
        assert_eq!(
            v.hidden,
            view.nodes.len() + view.edges.len() - v.nodes.len() - v.edges.len() - v.passing.len()
        );
        assert!(v.hidden > view.nodes.len(), "{} hidden", v.hidden);
        for &i in &v.nodes {
            assert!(view.nodes[i].rect.intersects(&area), "{}", view.nodes[i].id);
        }
        for &i in v.edges.iter().chain(&v.passing) {
            assert!(edge_meets(&view, i, &area), "{}", view.edges[i].id);
        }
        for &i in &v.passing {
            assert!(only_passes(&view, i, &area), "{}", view.edges[i].id);
        }
        assert!(v.full_nodes.is_empty() && v.full_edges.is_empty());
    }

    #[test]
    fn zoomed_in_on_the_middle_the_lines_passing_through_are_merged_per_kind() {
        let view = large();
        let (cx, cy) = (f64::from(view.width) / 2.0, f64::from(view.height) / 2.0);
        let viewport = Viewport {
            x: cx - 500.0,
            y: cy - 300.0,
            width: 1000.0,
            height: 600.0,
            scale: 1.0,
        };
        let v = visible(&view, &viewport, &HashSet::new());
        assert_eq!(v.detail, Detail::Full);
        // Hundreds of assignments cross the middle; few start, end or have a chip there.
        assert!(
            v.passing.len() > 4 * v.edges.len(),
            "{} passing, {} drawn",
            v.passing.len(),
            v.edges.len()
        );
        let merged = v.merged(&view);
        assert!(merged.len() <= 4, "{merged:?}");
        assert_eq!(
            merged.iter().map(|m| m.members.len()).sum::<usize>(),
            v.passing.len()
        );
        // Cut to the drawn area: every point of the merged drawing lies in it, and runs on
        // one lane are drawn as one line.
        let area = v.area.expect("a part of the world is drawn");
        let lines: usize = merged
            .iter()
            .map(|m| {
                merged_path(&view, &m.members, Some(&area))
                    .matches('M')
                    .count()
            })
            .sum();
        assert!(
            lines * 4 < v.passing.len(),
            "{lines} lines for {} edges",
            v.passing.len()
        );
        for m in &merged {
            let d = merged_path(&view, &m.members, Some(&area));
            for point in d.split(' ') {
                let (x, y) = point[1..].split_once(',').expect("x,y");
                let (x, y): (i32, i32) = (x.parse().expect("x"), y.parse().expect("y"));
                assert!(holds_point(&area, (x, y)), "{point} outside {area:?}");
            }
        }
    }

    #[test]
    fn an_edge_is_drawn_in_full_when_an_end_or_its_chip_is_in_reach_and_merged_when_it_only_passes()
    {
        let mut chipped = edge("chip-in-reach", &[(0, 300), (0, 120), (-50, 120)]);
        chipped.chip = Some(Chip {
            rect: Rect {
                x: 60,
                y: 100,
                width: 40,
                height: 20,
            },
            lines: Vec::new(),
            label: String::new(),
        });
        let edges = vec![
            edge("passes-down", &[(150, 0), (150, 1000)]),
            edge("ends-in-reach", &[(0, 100), (100, 100)]),
            edge("starts-in-reach", &[(240, 240), (240, 900)]),
            edge("misses", &[(300, 0), (300, 1000)]),
            edge(
                "passes-across-then-down",
                &[(0, 150), (400, 150), (400, 1000)],
            ),
            edge("lit-passing", &[(200, 0), (200, 1000)]),
            chipped,
        ];
        let view = synthetic(edges);
        let always: HashSet<String> = ["lit-passing".to_string()].into();
        let v = visible(&view, &SMALL_VIEW, &always);
        assert_eq!(v.detail, Detail::Full);
        assert_eq!(v.edges, vec![1, 2, 5, 6]);
        assert_eq!(v.passing, vec![0, 4]);
        assert_eq!(v.hidden, view.edges.len() - 6);
        assert_eq!(
            v.area,
            Some(Rect {
                x: 50,
                y: 50,
                width: 200,
                height: 200
            })
        );
        assert_eq!(
            v.merged(&view),
            vec![Merged {
                kind: EdgeKind::RoleAssignment,
                effective: true,
                members: vec![0, 4]
            }]
        );
        assert_eq!(
            merged_path(&view, &[0, 4], v.area.as_ref()),
            "M150,50 L150,250 M50,150 L250,150"
        );
    }

    #[test]
    fn merged_edges_are_grouped_by_kind_and_by_whether_they_are_in_effect() {
        let kinds = [
            (EdgeKind::RoleAssignment, true),
            (EdgeKind::Attachment, true),
            (EdgeKind::RoleAssignment, false),
            (EdgeKind::RoleAssignment, true),
            (EdgeKind::Attachment, true),
        ];
        let edges = kinds
            .iter()
            .enumerate()
            .map(|(i, &(kind, effective))| Edge {
                kind,
                effective,
                ..edge(
                    &format!("e{i}"),
                    &[(100 + 10 * i as i32, 0), (100 + 10 * i as i32, 1000)],
                )
            })
            .collect();
        let view = synthetic(edges);
        let v = visible(&view, &SMALL_VIEW, &HashSet::new());
        let groups: Vec<(EdgeKind, bool, Vec<usize>)> = v
            .merged(&view)
            .into_iter()
            .map(|m| (m.kind, m.effective, m.members))
            .collect();
        assert_eq!(
            groups,
            vec![
                (EdgeKind::RoleAssignment, true, vec![0, 3]),
                (EdgeKind::Attachment, true, vec![1, 4]),
                (EdgeKind::RoleAssignment, false, vec![2]),
            ]
        );
    }

    #[test]
    fn a_drawing_holds_a_view_at_its_zoom_that_stays_inside_its_area() {
        let area = Some(Rect {
            x: 50,
            y: 50,
            width: 200,
            height: 200,
        });
        let at = |x: f64, y: f64, scale: f64| Viewport {
            x,
            y,
            width: 100.0,
            height: 100.0,
            scale,
        };
        let cases = [
            // (what was drawn, the new view, holds)
            (
                Cover {
                    area,
                    scale: Some(1.0),
                },
                at(100.0, 100.0, 1.0),
                true,
            ),
            (
                Cover {
                    area,
                    scale: Some(1.0),
                },
                at(50.0, 150.0, 1.0),
                true,
            ),
            (
                Cover {
                    area,
                    scale: Some(1.0),
                },
                at(49.0, 100.0, 1.0),
                false,
            ),
            (
                Cover {
                    area,
                    scale: Some(1.0),
                },
                at(100.0, 151.0, 1.0),
                false,
            ),
            (
                Cover {
                    area,
                    scale: Some(1.0),
                },
                at(100.0, 100.0, 1.25),
                false,
            ),
            (
                Cover {
                    area: None,
                    scale: Some(1.0),
                },
                at(-900.0, 7000.0, 1.0),
                true,
            ),
            (
                Cover {
                    area: None,
                    scale: Some(1.0),
                },
                at(100.0, 100.0, 0.5),
                false,
            ),
            (
                Cover {
                    area: None,
                    scale: None,
                },
                at(-900.0, 7000.0, 0.01),
                true,
            ),
        ];
        for (cover, viewport, holds) in cases {
            assert_eq!(cover.holds(&viewport), holds, "{cover:?} {viewport:?}");
        }
    }

    #[test]
    fn merged_paths_draw_each_line_once_however_many_runs_lie_on_it() {
        // (each edge's points, the path)
        type Case<'a> = (&'a [&'a [(i32, i32)]], &'a str);
        let cases: [Case; 6] = [
            (&[], ""),
            (
                &[&[(10, 0), (10, 50), (30, 50)]],
                "M10,0 L10,50 M10,50 L30,50",
            ),
            // Two runs on one vertical line, overlapping: one line.
            (
                &[&[(10, 0), (10, 50)], &[(10, 80), (10, 20)]],
                "M10,0 L10,80",
            ),
            // Touching: one line; apart: two.
            (
                &[&[(0, 5), (40, 5)], &[(40, 5), (90, 5)], &[(95, 5), (99, 5)]],
                "M0,5 L90,5 M95,5 L99,5",
            ),
            // Vertical lines left to right, then horizontal ones top to bottom, then slanted.
            (
                &[
                    &[(0, 0), (7, 9)],
                    &[(0, 9), (5, 9)],
                    &[(20, 0), (20, 3)],
                    &[(3, 0), (3, 3)],
                    &[(0, 1), (5, 1)],
                ],
                "M3,0 L3,3 M20,0 L20,3 M0,1 L5,1 M0,9 L5,9 M0,0 L7,9",
            ),
            // A point draws nothing.
            (&[&[(4, 4)], &[(4, 4), (4, 4)]], ""),
        ];
        for (edges, want) in cases {
            let view = synthetic(
                edges
                    .iter()
                    .enumerate()
                    .map(|(i, points)| edge(&format!("e{i}"), points))
                    .collect(),
            );
            let members: Vec<usize> = (0..edges.len()).collect();
            assert_eq!(merged_path(&view, &members, None), want, "{edges:?}");
        }
    }

    #[test]
    fn merged_paths_cut_to_an_area_keep_what_lies_inside_it() {
        let area = Rect {
            x: 0,
            y: 0,
            width: 100,
            height: 100,
        };
        let cases: [(&[(i32, i32)], &str); 7] = [
            (&[(10, 10), (90, 10)], "M10,10 L90,10"),
            (&[(50, -500), (50, 500)], "M50,0 L50,100"),
            (
                &[(-20, 50), (50, 50), (50, 200)],
                "M50,50 L50,100 M0,50 L50,50",
            ),
            (&[(200, 50), (300, 50)], ""),
            // Out, back in, out again: two pieces.
            (
                &[(10, -50), (10, 200), (90, 200), (90, 50)],
                "M10,0 L10,100 M90,50 L90,100",
            ),
            (&[(-100, -100), (200, 200)], "M0,0 L100,100"),
            (&[(40, 40)], ""),
        ];
        for (points, want) in cases {
            let view = synthetic(vec![edge("e", points)]);
            assert_eq!(merged_path(&view, &[0], Some(&area)), want, "{points:?}");
        }
    }
}
