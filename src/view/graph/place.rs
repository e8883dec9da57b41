//! The second pass of the layout: sizes boxes to their content, places bands, columns and
//! rows on the integer grid, then routes every edge orthogonally through corridors, lanes and
//! the chip column so that no line runs under a node or a piece of text.

use super::collect::{LBox, LEdge, LEnd, Structure};
use super::{
    Badge, Chip, Container, ContainerKind, Edge, EdgeKind, GraphView, Node, NodeKind, Rect,
    TextLine, TextSize, fit,
};
use std::collections::HashMap;

/// Space around the whole graph.
pub(super) const MARGIN: i32 = 16;
/// Inner padding of a container.
pub(super) const PAD: i32 = 12;
/// Height of a container's title band.
pub(super) const TITLE_H: i32 = 28;
/// Node size.
pub(super) const NODE_W: i32 = 208;
/// Node size.
pub(super) const NODE_H: i32 = 52;
/// Gap between nodes in a row.
const H_GAP: i32 = 16;
/// Gap between stacked boxes and between directory nodes.
const V_GAP: i32 = 10;
/// Gap between tenant bands.
const BAND_GAP: i32 = 20;
/// Resources side by side in a resource group.
const COLS: usize = 2;
/// Distance between parallel lines in a corridor or a lane.
const TRACK: i32 = 5;
/// Corridors stop growing after this many tracks (further edges share tracks).
const MAX_TRACKS: usize = 24;
/// Distance between vertical lanes.
const LANE: i32 = 6;
/// Lane regions stop growing at this width (lanes then squeeze together).
const MAX_LANE_W: i32 = 96;
/// Space kept free around lane regions and the chip column.
const GUTTER_PAD: i32 = 8;
/// Vertical space between chips, and around lines crossing the chip column.
const CHIP_GAP: i32 = 6;
/// Labels up to this many characters go on one chip line; longer ones split at the "·".
const CHIP_ONE_LINE: usize = 34;
/// Chip lines are cut beyond this many characters.
const CHIP_MAX_CHARS: usize = 36;
/// Where text starts inside a node (after the icon).
const TEXT_X: i32 = 34;
/// Room the badge takes at the right of a node's first line.
const BADGE_ROOM: i32 = 30;
/// Titles widen their box up to this width before they are cut.
const TITLE_CAP: i32 = 360;

fn corridor_height(tracks: usize) -> i32 {
    let used = i32::try_from(tracks.clamp(1, MAX_TRACKS)).unwrap_or(1);
    10 + TRACK * (used - 1)
}

fn title_room(title: &str) -> i32 {
    (TextSize::Title.width_of(title.chars().count()) + 2 * PAD).min(TITLE_CAP)
}

/// Spacing and width of a region holding `n` lanes.
fn lanes(n: usize) -> (i32, i32) {
    let n = i32::try_from(n).unwrap_or(i32::MAX / LANE);
    if n * LANE <= MAX_LANE_W {
        (LANE, n * LANE)
    } else {
        ((MAX_LANE_W / n).max(1), MAX_LANE_W)
    }
}

fn lane_x(start: i32, spacing: i32, i: usize) -> i32 {
    start + spacing * i32::try_from(i).unwrap_or(0) % (MAX_LANE_W + 1)
}

/// The lines of a chip: one if short, else role and level on two, each cut to fit.
fn chip_lines(role: &str, level: &str) -> (String, Vec<String>) {
    let label = format!("{role} · {level}");
    let lines = if label.chars().count() <= CHIP_ONE_LINE {
        vec![label.clone()]
    } else {
        vec![role.to_string(), level.to_string()]
    };
    let room = TextSize::Small.width_of(CHIP_MAX_CHARS);
    let lines = lines
        .iter()
        .map(|l| fit(l, room, TextSize::Small))
        .collect();
    (label, lines)
}

fn chip_size(lines: &[String]) -> (i32, i32) {
    let chars = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let count = i32::try_from(lines.len()).unwrap_or(1);
    (TextSize::Small.width_of(chars) + 16, 8 + 16 * count)
}

#[derive(Clone, Copy, Default)]
struct Corridor {
    top: i32,
    tracks: usize,
}

/// A port: which slot of how many on a side.
#[derive(Clone, Copy, Default)]
struct Slot {
    index: usize,
}

struct Placer {
    s: Structure,
    node_rect: Vec<Rect>,
    node_container: Vec<String>,
    node_corridor: Vec<Option<usize>>,
    corridors: Vec<Corridor>,
    containers: Vec<Container>,
    container_rect: HashMap<String, Rect>,
    /// Port counts per node top, per node right side, per container left side.
    top_ports: Vec<usize>,
    right_ports: Vec<usize>,
    container_ports: HashMap<String, usize>,
}

/// Per edge: the tracks it takes (source side, target side) and its port slots.
#[derive(Clone, Default)]
struct EdgePlan {
    from_track: Option<(usize, usize)>,
    to_track: Option<(usize, usize)>,
    from_slot: Slot,
    to_slot: Slot,
}

pub(super) fn place(s: Structure) -> GraphView {
    let n = s.nodes.len();
    let mut p = Placer {
        s,
        node_rect: vec![Rect::default(); n],
        node_container: vec![String::new(); n],
        node_corridor: vec![None; n],
        corridors: Vec::new(),
        containers: Vec::new(),
        container_rect: HashMap::new(),
        top_ports: vec![0; n],
        right_ports: vec![0; n],
        container_ports: HashMap::new(),
    };
    p.allocate_corridors();
    let plans = p.plan_edges();
    p.run(plans)
}

impl Placer {
    fn allocate_corridors(&mut self) {
        fn walk(b: &LBox, corridors: &mut Vec<Corridor>, node_corridor: &mut [Option<usize>]) {
            for (k, &n) in b.nodes.iter().enumerate() {
                if k % COLS == 0 {
                    corridors.push(Corridor::default());
                }
                node_corridor[n] = Some(corridors.len() - 1);
            }
            for inner in &b.boxes {
                walk(inner, corridors, node_corridor);
            }
        }
        for band in &self.s.bands {
            for b in &band.tree {
                walk(b, &mut self.corridors, &mut self.node_corridor);
            }
        }
    }

    fn take_track(&mut self, node: usize) -> Option<(usize, usize)> {
        let c = self.node_corridor[node]?;
        let k = self.corridors[c].tracks;
        self.corridors[c].tracks += 1;
        Some((c, k))
    }

    fn take_top(&mut self, node: usize) -> Slot {
        let index = self.top_ports[node];
        self.top_ports[node] += 1;
        Slot { index }
    }

    fn take_right(&mut self, node: usize) -> Slot {
        let index = self.right_ports[node];
        self.right_ports[node] += 1;
        Slot { index }
    }

    fn plan_edges(&mut self) -> Vec<EdgePlan> {
        let edges = std::mem::take(&mut self.s.edges);
        let mut plans = Vec::with_capacity(edges.len());
        for e in &edges {
            let mut plan = EdgePlan::default();
            match (e.kind, &e.from, &e.to) {
                (EdgeKind::Attachment, LEnd::Node(a), LEnd::Node(b)) => {
                    plan.from_track = self.take_track(*a);
                    plan.from_slot = self.take_top(*a);
                    let same = self.node_corridor[*a] == self.node_corridor[*b];
                    plan.to_track = if same {
                        plan.from_track
                    } else {
                        self.take_track(*b)
                    };
                    plan.to_slot = self.take_top(*b);
                }
                (_, LEnd::Badge(a), LEnd::Node(sp)) => {
                    plan.from_track = self.take_track(*a);
                    plan.to_slot = self.take_right(*sp);
                }
                (_, LEnd::Node(a), LEnd::Node(b)) if e.chip.is_none() => {
                    plan.from_track = self.take_track(*a);
                    plan.from_slot = self.take_top(*a);
                    plan.to_slot = self.take_right(*b);
                }
                (_, LEnd::Node(sp), to) => {
                    plan.from_slot = self.take_right(*sp);
                    match to {
                        LEnd::Node(t) | LEnd::Badge(t) => {
                            plan.to_track = self.take_track(*t);
                            plan.to_slot = self.take_top(*t);
                        }
                        LEnd::Container(id) => {
                            let count = self.container_ports.entry(id.clone()).or_insert(0);
                            plan.to_slot = Slot { index: *count };
                            *count += 1;
                        }
                    }
                }
                _ => {}
            }
            plans.push(plan);
        }
        self.s.edges = edges;
        plans
    }

    /// Width and height of a tree box.
    fn size(&self, b: &LBox) -> (i32, i32) {
        let title = title_room(&b.title);
        if b.boxes.is_empty()
            && (b.kind == ContainerKind::ResourceGroup || b.kind == ContainerKind::NotFound)
        {
            let cols = i32::try_from(b.nodes.len().clamp(1, COLS)).unwrap_or(1);
            let w = 2 * PAD + cols * NODE_W + (cols - 1) * H_GAP;
            let mut h = TITLE_H + PAD;
            for row in b.nodes.chunks(COLS) {
                let tracks = self.node_corridor[row[0]]
                    .map(|c| self.corridors[c].tracks)
                    .unwrap_or(0);
                h += corridor_height(tracks) + NODE_H;
            }
            if b.nodes.is_empty() {
                h = TITLE_H + 8;
            }
            return (w.max(title), h);
        }
        let mut w = 0;
        let mut h = TITLE_H + PAD;
        for (k, inner) in b.boxes.iter().enumerate() {
            let (iw, ih) = self.size(inner);
            w = w.max(iw);
            h += ih + if k > 0 { V_GAP } else { 0 };
        }
        if b.boxes.is_empty() {
            h = TITLE_H + 8;
        }
        ((w + 2 * PAD).max(title).max(NODE_W + 2 * PAD), h)
    }

    fn push_container(&mut self, b: &LBox, rect: Rect, parent: Option<&str>, depth: u8) {
        let room = rect.width - 2 * PAD;
        let title = TextLine {
            text: fit(&b.title, room, TextSize::Title),
            full: b.title.clone(),
            x: rect.x + PAD,
            y: rect.y + 19,
            size: TextSize::Title,
        };
        self.container_rect.insert(b.id.clone(), rect);
        self.containers.push(Container {
            id: b.id.clone(),
            kind: b.kind,
            rect,
            title,
            parent: parent.map(str::to_string),
            depth,
            accessible_name: b.accessible.clone(),
        });
    }

    /// Places a tree box at (x, y); returns its height.
    fn place_box(&mut self, b: &LBox, x: i32, y: i32, parent: Option<&str>, depth: u8) -> i32 {
        let (w, h) = self.size(b);
        let rect = Rect {
            x,
            y,
            width: w,
            height: h,
        };
        self.push_container(b, rect, parent, depth);
        let mut cursor = y + TITLE_H;
        for row in b.nodes.chunks(COLS) {
            let Some(c) = self.node_corridor[row[0]] else {
                continue;
            };
            self.corridors[c].top = cursor;
            cursor += corridor_height(self.corridors[c].tracks);
            let mut nx = x + PAD;
            for &n in row {
                self.node_rect[n] = Rect {
                    x: nx,
                    y: cursor,
                    width: NODE_W,
                    height: NODE_H,
                };
                self.node_container[n] = b.id.clone();
                nx += NODE_W + H_GAP;
            }
            cursor += NODE_H;
        }
        for inner in &b.boxes {
            let ih = self.place_box(inner, x + PAD, cursor, Some(&b.id), depth + 1);
            cursor += ih + V_GAP;
        }
        h
    }

    /// Places a column of nodes (a directory or the outside box) at (x, y); returns its height.
    fn place_column(&mut self, b: &LBox, x: i32, y: i32) -> i32 {
        let count = i32::try_from(b.nodes.len()).unwrap_or(0);
        let h = if count == 0 {
            TITLE_H + 8
        } else {
            TITLE_H + count * NODE_H + (count - 1) * V_GAP + PAD
        };
        let rect = Rect {
            x,
            y,
            width: NODE_W + 2 * PAD,
            height: h,
        };
        self.push_container(b, rect, None, 0);
        let mut cursor = y + TITLE_H;
        for &n in &b.nodes {
            self.node_rect[n] = Rect {
                x: x + PAD,
                y: cursor,
                width: NODE_W,
                height: NODE_H,
            };
            self.node_container[n] = b.id.clone();
            cursor += NODE_H + V_GAP;
        }
        h
    }

    fn top_port(&self, n: usize, slot: Slot) -> (i32, i32) {
        let r = self.node_rect[n];
        let (x0, x1) = (r.x + 12, r.right() - 36);
        let total = i32::try_from(self.top_ports[n]).unwrap_or(1);
        let i = i32::try_from(slot.index).unwrap_or(0);
        (x0 + (i + 1) * (x1 - x0) / (total + 1), r.y)
    }

    fn right_port(&self, n: usize, slot: Slot) -> (i32, i32) {
        let r = self.node_rect[n];
        let total = i32::try_from(self.right_ports[n]).unwrap_or(1);
        let i = i32::try_from(slot.index).unwrap_or(0);
        (r.right(), r.y + 6 + (i + 1) * (NODE_H - 12) / (total + 1))
    }

    fn container_port(&self, id: &str, slot: Slot) -> Option<(i32, i32)> {
        let r = self.container_rect.get(id)?;
        let total = i32::try_from(*self.container_ports.get(id).unwrap_or(&1)).unwrap_or(1);
        let i = i32::try_from(slot.index).unwrap_or(0);
        let (y0, y1) = (r.y + 6, r.y + TITLE_H - 6);
        Some((r.x, y0 + (i + 1) * (y1 - y0) / (total + 1)))
    }

    fn track_y(&self, track: Option<(usize, usize)>, fallback: i32) -> i32 {
        match track {
            Some((c, k)) => {
                let k = i32::try_from(k % MAX_TRACKS).unwrap_or(0);
                self.corridors[c].top + 6 + TRACK * k
            }
            None => fallback,
        }
    }

    fn badge_of(&self, n: usize) -> (i32, i32, i32) {
        let r = self.node_rect[n];
        (r.right() - 16, r.y + 16, 10)
    }

    fn run(mut self, plans: Vec<EdgePlan>) -> GraphView {
        let edges = std::mem::take(&mut self.s.edges);
        // Chips and lanes decide the gutter's width.
        let chips: Vec<Option<(String, Vec<String>)>> = edges
            .iter()
            .map(|e| e.chip.as_ref().map(|(role, level)| chip_lines(role, level)))
            .collect();
        let chip_w = chips
            .iter()
            .flatten()
            .map(|(_, lines)| chip_size(lines).0)
            .max()
            .unwrap_or(0);
        let left_count = chips.iter().flatten().count();
        let right_count = edges
            .iter()
            .filter(|e| e.kind != EdgeKind::Attachment)
            .count();
        let (left_spacing, left_w) = lanes(left_count);
        let (right_spacing, right_w) = lanes(right_count);
        let dir_x = MARGIN;
        let gutter_x = dir_x + NODE_W + 2 * PAD;
        let left_x = gutter_x + GUTTER_PAD;
        let chip_x = left_x + left_w + GUTTER_PAD;
        let right_x = chip_x + chip_w + GUTTER_PAD;
        let tree_x = right_x + right_w + GUTTER_PAD;

        // Bands.
        let bands = std::mem::take(&mut self.s.bands);
        let mut y = MARGIN;
        let mut tree_right = tree_x;
        for band in &bands {
            let dir_h = self.place_column(&band.directory, dir_x, y);
            let mut ty = y;
            for b in &band.tree {
                let h = self.place_box(b, tree_x, ty, None, 0);
                if let Some(r) = self.container_rect.get(&b.id) {
                    tree_right = tree_right.max(r.right());
                }
                ty += h + V_GAP;
            }
            let tree_h = (ty - y - V_GAP).max(0);
            y += dir_h.max(tree_h) + BAND_GAP;
        }
        if let Some(outside) = self.s.outside.take() {
            let h = self.place_column(&outside, dir_x, y);
            y += h + BAND_GAP;
        }
        let _ = y;
        let highway_x = tree_right + GUTTER_PAD;
        let attachments = edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Attachment)
            .count();
        let (highway_spacing, _) = lanes(attachments);

        // Lines that cross the chip column: chips keep clear of them.
        let mut crossings: Vec<i32> = Vec::new();
        let mut routes: Vec<Vec<(i32, i32)>> = vec![Vec::new(); edges.len()];
        let mut wanted: Vec<(i32, usize)> = Vec::new();
        let (mut left_i, mut right_i, mut highway_i) = (0, 0, 0);
        let mut lane_of: Vec<(i32, i32)> = vec![(0, 0); edges.len()];
        for (k, (e, plan)) in edges.iter().zip(&plans).enumerate() {
            match (e.kind, &e.from, &e.to) {
                (EdgeKind::Attachment, LEnd::Node(a), LEnd::Node(b)) => {
                    let ps = self.top_port(*a, plan.from_slot);
                    let pd = self.top_port(*b, plan.to_slot);
                    let t1 = self.track_y(plan.from_track, ps.1 - 6);
                    let t2 = self.track_y(plan.to_track, pd.1 - 6);
                    routes[k] = if plan.from_track == plan.to_track {
                        vec![ps, (ps.0, t1), (pd.0, t1), pd]
                    } else {
                        let hw = lane_x(highway_x, highway_spacing, highway_i);
                        highway_i += 1;
                        vec![ps, (ps.0, t1), (hw, t1), (hw, t2), (pd.0, t2), pd]
                    };
                }
                (_, from, LEnd::Node(sp)) if e.chip.is_none() => {
                    let start = match from {
                        LEnd::Badge(a) => {
                            let (cx, cy, r) = self.badge_of(*a);
                            (cx, cy - r)
                        }
                        LEnd::Node(a) => self.top_port(*a, plan.from_slot),
                        LEnd::Container(_) => (0, 0),
                    };
                    let t = self.track_y(plan.from_track, start.1 - 6);
                    let lane = lane_x(right_x, right_spacing, right_i);
                    right_i += 1;
                    let end = self.right_port(*sp, plan.to_slot);
                    crossings.push(end.1);
                    routes[k] = vec![start, (start.0, t), (lane, t), (lane, end.1), end];
                }
                (_, LEnd::Node(_), to) => {
                    let entry = match to {
                        LEnd::Node(t) | LEnd::Badge(t) => {
                            let port = self.top_port(*t, plan.to_slot);
                            self.track_y(plan.to_track, port.1 - 6)
                        }
                        LEnd::Container(id) => self
                            .container_port(id, plan.to_slot)
                            .map(|p| p.1)
                            .unwrap_or(MARGIN),
                    };
                    wanted.push((entry, k));
                    lane_of[k] = (
                        lane_x(left_x, left_spacing, left_i),
                        lane_x(right_x, right_spacing, right_i),
                    );
                    left_i += 1;
                    right_i += 1;
                }
                _ => {}
            }
        }

        // Chips: in order of where their edge enters the tree, pushed down past each other
        // and past lines crossing the column.
        crossings.sort_unstable();
        wanted.sort_unstable();
        let mut chip_rects: Vec<Option<Rect>> = vec![None; edges.len()];
        let mut floor = MARGIN;
        for &(entry, k) in &wanted {
            let Some((_, lines)) = &chips[k] else {
                continue;
            };
            let (w, h) = chip_size(lines);
            let mut top = (entry - h / 2).max(floor);
            let mut i = crossings.partition_point(|&c| c < top - CHIP_GAP);
            while i < crossings.len() && crossings[i] <= top + h + CHIP_GAP {
                top = crossings[i] + CHIP_GAP + 1;
                i += 1;
            }
            chip_rects[k] = Some(Rect {
                x: chip_x,
                y: top,
                width: w,
                height: h,
            });
            floor = top + h + CHIP_GAP;
        }
        for &(entry, k) in &wanted {
            let (Some(chip), LEnd::Node(sp)) = (chip_rects[k], &edges[k].from) else {
                continue;
            };
            let plan = &plans[k];
            let start = self.right_port(*sp, plan.from_slot);
            let (ll, rl) = lane_of[k];
            let cy = chip.y + chip.height / 2;
            let mut pts = vec![start, (ll, start.1), (ll, cy), (rl, cy), (rl, entry)];
            match &edges[k].to {
                LEnd::Node(t) | LEnd::Badge(t) => {
                    let port = self.top_port(*t, plan.to_slot);
                    pts.push((port.0, entry));
                    pts.push(port);
                }
                LEnd::Container(id) => {
                    if let Some(r) = self.container_rect.get(id) {
                        pts.push((r.x, entry));
                    }
                }
            }
            routes[k] = pts;
        }

        self.finish(edges, routes, chips, chip_rects)
    }

    fn finish(
        mut self,
        edges: Vec<LEdge>,
        routes: Vec<Vec<(i32, i32)>>,
        chips: Vec<Option<(String, Vec<String>)>>,
        chip_rects: Vec<Option<Rect>>,
    ) -> GraphView {
        let id_of = |end: &LEnd| match end {
            LEnd::Node(n) | LEnd::Badge(n) => self.s.nodes[*n].id.clone(),
            LEnd::Container(id) => id.clone(),
        };
        let mut out_edges = Vec::with_capacity(edges.len());
        for (k, ((e, chip), route)) in edges.into_iter().zip(chips).zip(routes).enumerate() {
            let chip = match (chip, chip_rects[k]) {
                (Some((label, lines)), Some(rect)) => Some(Chip {
                    rect,
                    lines: lines
                        .into_iter()
                        .zip(0..)
                        .map(|(l, i)| TextLine {
                            full: l.clone(),
                            text: l,
                            x: rect.x + 8,
                            y: rect.y + 16 + 16 * i,
                            size: TextSize::Small,
                        })
                        .collect(),
                    label,
                }),
                _ => None,
            };
            out_edges.push(Edge {
                from: id_of(&e.from),
                to: id_of(&e.to),
                id: e.id,
                kind: e.kind,
                points: simplify(&route),
                chip,
                effective: e.effective,
                accessible_name: e.accessible,
            });
        }
        let mut nodes = Vec::with_capacity(self.s.nodes.len());
        let lnodes = std::mem::take(&mut self.s.nodes);
        for (n, l) in lnodes.into_iter().enumerate() {
            let rect = self.node_rect[n];
            let badge = l.badge.map(|principal| {
                let (cx, cy, r) = self.badge_of(n);
                Badge {
                    cx,
                    cy,
                    r,
                    text: "SA",
                    principal_id: principal,
                }
            });
            let room = NODE_W - TEXT_X - 8 - if badge.is_some() { BADGE_ROOM } else { 0 };
            nodes.push(Node {
                id: l.id,
                kind: l.kind,
                resource_kind: l.resource_kind,
                rect,
                icon: Rect {
                    x: rect.x + 8,
                    y: rect.y + 16,
                    width: 20,
                    height: 20,
                },
                label: TextLine {
                    text: fit(&l.label, room, TextSize::Label),
                    full: l.label,
                    x: rect.x + TEXT_X,
                    y: rect.y + 22,
                    size: TextSize::Label,
                },
                sub_label: TextLine {
                    text: fit(&l.sub_label, NODE_W - TEXT_X - 8, TextSize::Small),
                    full: l.sub_label,
                    x: rect.x + TEXT_X,
                    y: rect.y + 40,
                    size: TextSize::Small,
                },
                badge,
                container: std::mem::take(&mut self.node_container[n]),
                accessible_name: l.accessible,
            });
        }
        let mut right = 0;
        let mut bottom = 0;
        let mut grow = |r: &Rect| {
            right = right.max(r.right());
            bottom = bottom.max(r.bottom());
        };
        self.containers.iter().for_each(|c| grow(&c.rect));
        nodes.iter().for_each(|n| grow(&n.rect));
        for e in &out_edges {
            if let Some(c) = &e.chip {
                grow(&c.rect);
            }
            for &(x, y) in &e.points {
                grow(&Rect {
                    x,
                    y,
                    width: 0,
                    height: 0,
                });
            }
        }
        let count = |kind: NodeKind| nodes.iter().filter(|n| n.kind == kind).count();
        let assignments = out_edges.iter().filter(|e| e.chip.is_some()).count();
        let orphans = out_edges
            .iter()
            .filter(|e| e.kind == EdgeKind::OrphanedRoleAssignment)
            .count();
        let summary = format!(
            "{} service principals, {} resources and {} role assignments ({} orphaned)",
            count(NodeKind::ServicePrincipal),
            count(NodeKind::Compute)
                + count(NodeKind::Target)
                + count(NodeKind::UserAssignedIdentity),
            assignments,
            orphans
        );
        GraphView {
            width: right + MARGIN,
            height: bottom + MARGIN,
            containers: self.containers,
            nodes,
            edges: out_edges,
            summary,
        }
    }
}

/// Drops repeated points and points in the middle of a straight run.
fn simplify(points: &[(i32, i32)]) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(points.len());
    for &p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let straight = (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}
