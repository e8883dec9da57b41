//! What to draw of a laid-out graph at the current pan and zoom. A shipped scenario is drawn
//! whole, every element in full. A large world (hundreds of resources, thousands of role
//! assignments) is drawn the way a map is: only what lies in view, and, while the view is
//! zoomed out so far that labels could not be read, each node as a plain box and the edges of
//! each kind as one line drawing. The elements of the current step and the selection are
//! always drawn in full, so the flow stays visible at any zoom.

use super::{EdgeKind, GraphView, Rect};
use std::collections::HashSet;

/// At most this many nodes and edges together are drawn in full whatever the zoom; a graph at
/// or under it is always drawn whole (every shipped scenario is far under it).
pub const FULL_DETAIL_BUDGET: usize = 600;

/// Screen pixels per graph unit from which labels are drawn (12-unit text at 0.55 px a unit
/// is about 6.5 px tall: the smallest that still reads as text).
pub const READABLE_SCALE: f64 = 0.55;

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
    /// Nodes drawn in full although the rest is outlined (lit or selected).
    pub full_nodes: Vec<usize>,
    /// Edges drawn in full although the rest is outlined (lit or selected).
    pub full_edges: Vec<usize>,
    /// How many nodes and edges lie outside the view and are not drawn.
    pub hidden: usize,
}

impl Visible {
    /// Edges drawn as outlines, grouped by kind (kinds in first-seen order), for merging into
    /// one path each.
    pub fn outlined_edges_by_kind(&self, view: &GraphView) -> Vec<(EdgeKind, Vec<usize>)> {
        let mut groups: Vec<(EdgeKind, Vec<usize>)> = Vec::new();
        if self.detail == Detail::Full {
            return groups;
        }
        for &i in &self.edges {
            let kind = view.edges[i].kind;
            match groups.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, members)) => members.push(i),
                None => groups.push((kind, vec![i])),
            }
        }
        groups
    }
}

/// Whether an edge shows in `area`: one of its straight runs or its chip meets it (an edge's
/// bounding box would be far too coarse for the long L-shaped runs of a large world).
fn edge_meets(view: &GraphView, i: usize, area: &Rect) -> bool {
    let e = &view.edges[i];
    if e.chip.as_ref().is_some_and(|c| c.rect.intersects(area)) {
        return true;
    }
    let run = |(x0, y0): (i32, i32), (x1, y1): (i32, i32)| Rect {
        x: x0.min(x1),
        y: y0.min(y1),
        width: (x1 - x0).abs().max(1),
        height: (y1 - y0).abs().max(1),
    };
    match e.points.as_slice() {
        [only] => run(*only, *only).intersects(area),
        points => points.windows(2).any(|w| run(w[0], w[1]).intersects(area)),
    }
}

/// The bounding box of an edge: its points and its chip.
#[cfg(test)]
fn edge_bounds(view: &GraphView, i: usize) -> Rect {
    let e = &view.edges[i];
    let xs = e.points.iter().map(|p| p.0);
    let ys = e.points.iter().map(|p| p.1);
    let (mut x0, mut x1) = (xs.clone().min().unwrap_or(0), xs.max().unwrap_or(0));
    let (mut y0, mut y1) = (ys.clone().min().unwrap_or(0), ys.max().unwrap_or(0));
    if let Some(chip) = &e.chip {
        x0 = x0.min(chip.rect.x);
        y0 = y0.min(chip.rect.y);
        x1 = x1.max(chip.rect.right());
        y1 = y1.max(chip.rect.bottom());
    }
    // A straight horizontal or vertical run has no area; give it one unit so it can meet
    // the view.
    Rect {
        x: x0,
        y: y0,
        width: (x1 - x0).max(1),
        height: (y1 - y0).max(1),
    }
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
            full_nodes: Vec::new(),
            full_edges: Vec::new(),
            hidden: 0,
        };
    }
    // A margin of a tenth of the view on every side, so a small pan shows no empty border
    // before the next frame.
    let (mx, my) = (viewport.width / 10.0, viewport.height / 10.0);
    let area = Rect {
        x: (viewport.x - mx).floor() as i32,
        y: (viewport.y - my).floor() as i32,
        width: (viewport.width + 2.0 * mx).ceil() as i32,
        height: (viewport.height + 2.0 * my).ceil() as i32,
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
    let (edges, full_edges): (Vec<usize>, Vec<usize>) = match detail {
        Detail::Full => (edges, Vec::new()),
        Detail::Outline => edges
            .into_iter()
            .partition(|&i| !always.contains(&view.edges[i].id)),
    };
    Visible {
        detail,
        containers,
        nodes,
        edges,
        full_nodes,
        full_edges,
        hidden,
    }
}

/// One SVG path drawing every edge in `members`: `M x,y L x,y …` per edge.
pub fn merged_path(view: &GraphView, members: &[usize]) -> String {
    let mut d = String::with_capacity(members.len() * 24);
    for &i in members {
        for (n, (x, y)) in view.edges[i].points.iter().enumerate() {
            if !d.is_empty() {
                d.push(' ');
            }
            d.push(if n == 0 { 'M' } else { 'L' });
            d.push_str(&x.to_string());
            d.push(',');
            d.push_str(&y.to_string());
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::world::SampleWorld;
    use crate::view::graph::layout;

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
        }
    }

    #[test]
    fn the_large_world_zoomed_out_is_outlined_with_lit_elements_in_full() {
        let view = large();
        let lit_node = view.nodes[3].id.clone();
        let lit_edge = view.edges[5].id.clone();
        let always: HashSet<String> = [lit_node.clone(), lit_edge.clone()].into();
        let v = visible(&view, &whole(&view, 1000.0), &always);
        assert_eq!(v.detail, Detail::Outline);
        assert_eq!(v.hidden, 0);
        assert_eq!(v.nodes.len() + v.full_nodes.len(), view.nodes.len());
        assert_eq!(v.edges.len() + v.full_edges.len(), view.edges.len());
        assert_eq!(v.full_nodes, vec![3]);
        assert_eq!(v.full_edges, vec![5]);
        let merged: usize = v
            .outlined_edges_by_kind(&view)
            .iter()
            .map(|(_, m)| m.len())
            .sum();
        assert_eq!(merged, view.edges.len() - 1);
    }

    #[test]
    fn the_large_world_zoomed_in_draws_only_what_is_in_view_in_full() {
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
        assert!(v.nodes.contains(&0));
        assert!(
            v.nodes.len() + v.edges.len() < 400,
            "{} drawn",
            v.nodes.len() + v.edges.len()
        );
        assert_eq!(
            v.hidden,
            view.nodes.len() + view.edges.len() - v.nodes.len() - v.edges.len()
        );
        let area = Rect {
            x: first.x - 180,
            y: first.y - 150,
            width: 960,
            height: 600,
        };
        for &i in &v.nodes {
            assert!(view.nodes[i].rect.intersects(&area), "{}", view.nodes[i].id);
        }
        assert!(v.outlined_edges_by_kind(&view).is_empty());
        // Edges whose box meets the view but none of whose runs do are not drawn.
        let coarse = (0..view.edges.len())
            .filter(|&i| edge_bounds(&view, i).intersects(&area))
            .count();
        assert!(v.edges.len() < coarse, "{} of {coarse}", v.edges.len());
        for &i in &v.edges {
            assert!(
                edge_bounds(&view, i).intersects(&area),
                "{}",
                view.edges[i].id
            );
        }
    }

    #[test]
    fn merged_paths_move_to_each_edge_then_draw_its_lines() {
        let view = layout(&SampleWorld::contoso().expect("contoso builds"));
        let e = &view.edges[0];
        let d = merged_path(&view, &[0, 0]);
        let one: Vec<String> = e
            .points
            .iter()
            .enumerate()
            .map(|(n, (x, y))| format!("{}{x},{y}", if n == 0 { "M" } else { "L" }))
            .collect();
        let one = one.join(" ");
        assert_eq!(d, format!("{one} {one}"));
        assert_eq!(merged_path(&view, &[]), "");
    }
}
