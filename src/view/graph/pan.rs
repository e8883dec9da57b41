//! Where the canvas looks: the view box (the SVG `viewBox`), fitted to the world or framed on
//! a step's parts, zoomed about its centre (buttons, keys) or about the pointer (the wheel, by
//! how far it turned), moved by a pointer drag or an arrow key, eased from one view to another,
//! and the part of the graph a pane of a given size then shows. The canvas keeps the graph's
//! proportions (`xMidYMid meet`), so along one axis it shows more than the view box asks for;
//! every move here is measured in what is actually on screen.

use super::{GraphView, Rect, Viewport};
use std::collections::HashSet;

/// The narrowest and widest view box, in graph units (zooming stops there).
const WIDTH_RANGE: (f64, f64) = (120.0, 8000.0);
/// The lowest and tallest view box, in graph units.
const HEIGHT_RANGE: (f64, f64) = (80.0, 6000.0);

/// Room around a step's parts when the canvas frames them, in graph units: enough for the
/// title of the box they sit in and a glimpse of what is beside them.
const FRAME_MARGIN: f64 = 40.0;
/// The closest a step's framing comes: screen pixels per graph unit (a label, 14 units high,
/// then draws at 19.6 pixels, large enough for the back of a room).
const FRAME_MAX_SCALE: f64 = 1.4;
/// A framing that would draw the graph less than this much larger than the whole world
/// fitted shows the whole world instead: the context is worth more than so little zoom.
const FRAME_MIN_GAIN: f64 = 1.2;
/// Screen pixels per graph unit below which the whole world, fitted, is too small to read
/// (its labels, 14 units high, would draw under 8.4 pixels and its smaller lines under 7.2):
/// the canvas then frames each step's parts instead. Shipped worlds fit above it in the
/// graph pane of a 1280×720 screen, so there the whole world stays in view.
pub const LEGIBLE_SCALE: f64 = 0.6;

/// The part of the graph the canvas is asked to show, in graph units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewBox {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// Where the canvas draws the graph on screen when a gesture begins (the SVG's screen
/// transformation matrix): screen pixels per graph unit, and where the graph's origin is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenMap {
    /// Screen pixels per graph unit.
    pub scale: f64,
    /// The screen position, in pixels, of the graph's point (0, 0).
    pub origin: (f64, f64),
}

impl ScreenMap {
    /// The graph point drawn at the screen position `at`.
    pub fn to_graph(self, at: (f64, f64)) -> (f64, f64) {
        (
            (at.0 - self.origin.0) / self.scale,
            (at.1 - self.origin.1) / self.scale,
        )
    }
}

/// What a wheel's `deltaY` counts (the DOM's `deltaMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WheelUnit {
    /// Pixels (`DOM_DELTA_PIXEL`): a mouse wheel's notch is about 100, a touchpad's stroke a few.
    Pixel,
    /// Lines (`DOM_DELTA_LINE`): a notch is about 3.
    Line,
    /// Pages (`DOM_DELTA_PAGE`).
    Page,
}

/// How far a wheel turned by `delta` (`deltaY`: positive away from the reader, which zooms
/// out) in `unit`s zooms, in doublings of the view box: the zoom factor [`ViewBox::zoom`] takes
/// is 2 to this power (the page computes it with the browser's `Math.pow`, which keeps a table
/// of powers of two out of the download). It grows with how far the wheel turned, so a mouse's
/// notch zooms by about 15% and a touchpad's many small strokes add up to the same; a pinch on
/// a touchpad (which browsers report as a wheel with Ctrl held) counts ten times as much, since
/// its deltas are small. One event zooms by at most a factor of √2 (half a doubling), so a
/// mouse's notch with Ctrl held does not jump.
pub fn wheel_doublings(delta: f64, unit: WheelUnit, pinch: bool) -> f64 {
    // Doublings per unit turned.
    let per_unit = match unit {
        WheelUnit::Pixel => 0.002,
        WheelUnit::Line => 0.05,
        WheelUnit::Page => 1.0,
    };
    let doublings = delta * per_unit * if pinch { 10.0 } else { 1.0 };
    if doublings.is_finite() {
        doublings.clamp(-0.5, 0.5)
    } else {
        0.0
    }
}

/// A direction an arrow key moves the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// ←: the view moves left.
    Left,
    /// →
    Right,
    /// ↑
    Up,
    /// ↓
    Down,
}

impl ViewBox {
    /// The whole graph with a little room around it.
    pub fn fit(view: &GraphView) -> ViewBox {
        ViewBox {
            x: -8.0,
            y: -8.0,
            width: f64::from(view.width) + 16.0,
            height: f64::from(view.height) + 16.0,
        }
    }

    /// What a pane of `pane` pixels shows to follow a step that lights `lit` (ids of nodes,
    /// edges and boxes): their parts with room around them, as close as that allows but no
    /// closer than [`FRAME_MAX_SCALE`], kept inside the world where the pane is smaller than
    /// it. The whole world, fitted, when nothing is lit or the framing would hardly zoom in.
    pub fn framing(view: &GraphView, lit: &HashSet<String>, pane: (f64, f64)) -> ViewBox {
        let fit = ViewBox::fit(view);
        let rects = view
            .nodes
            .iter()
            .filter(|n| lit.contains(&n.id))
            .map(|n| n.rect)
            .chain(
                view.containers
                    .iter()
                    .filter(|c| lit.contains(&c.id))
                    .map(|c| c.rect),
            )
            .chain(
                view.edges
                    .iter()
                    .filter(|e| lit.contains(&e.id))
                    .flat_map(|e| {
                        let ends = e.points.iter().map(|&(x, y)| Rect {
                            x,
                            y,
                            width: 0,
                            height: 0,
                        });
                        ends.chain(e.chip.as_ref().map(|c| c.rect))
                    }),
            );
        let mut bounds: Option<(f64, f64, f64, f64)> = None;
        for r in rects {
            let (x0, y0) = (f64::from(r.x), f64::from(r.y));
            let (x1, y1) = (x0 + f64::from(r.width), y0 + f64::from(r.height));
            bounds = Some(match bounds {
                None => (x0, y0, x1, y1),
                Some(b) => (b.0.min(x0), b.1.min(y0), b.2.max(x1), b.3.max(y1)),
            });
        }
        let Some((x0, y0, x1, y1)) = bounds else {
            return fit;
        };
        if !(pane.0 > 0.0 && pane.1 > 0.0) {
            return fit;
        }
        let (width, height) = (x1 - x0 + 2.0 * FRAME_MARGIN, y1 - y0 + 2.0 * FRAME_MARGIN);
        let scale = (pane.0 / width).min(pane.1 / height).min(FRAME_MAX_SCALE);
        if scale < fit.scale(pane) * FRAME_MIN_GAIN {
            return fit;
        }
        // What the pane shows at that scale, about the parts' centre, moved back inside the
        // world along each axis where it is smaller than the world.
        let (seen_w, seen_h) = (pane.0 / scale, pane.1 / scale);
        let inside = |centre: f64, seen: f64, start: f64, length: f64| {
            let x = centre - seen / 2.0;
            if seen >= length {
                start + (length - seen) / 2.0
            } else {
                x.clamp(start, start + length - seen)
            }
        };
        ViewBox {
            x: inside((x0 + x1) / 2.0, seen_w, fit.x, fit.width),
            y: inside((y0 + y1) / 2.0, seen_h, fit.y, fit.height),
            width: seen_w,
            height: seen_h,
        }
    }

    /// Whether a canvas of `pane` pixels should frame each step's parts rather than show the
    /// whole world: when `presenting` (a presentation or an embedded frame, where a room or
    /// a reader follows one step at a time), or when the whole world fitted would be too small
    /// to read.
    pub fn follows_steps(view: &GraphView, pane: (f64, f64), presenting: bool) -> bool {
        presenting || ViewBox::fit(view).scale(pane) < LEGIBLE_SCALE
    }

    /// Zoomed about its centre: `factor` below 1 zooms in, above 1 out, within the limits.
    pub fn zoom(self, factor: f64) -> ViewBox {
        let centre = (self.x + self.width / 2.0, self.y + self.height / 2.0);
        self.zoom_about(factor, centre)
    }

    /// Zoomed about `point` (in graph units), which stays where it is on screen: `factor`
    /// below 1 zooms in, above 1 out, within the limits. Where a limit stops one axis, that
    /// axis keeps `point` at the same fraction of the view box.
    pub fn zoom_about(self, factor: f64, point: (f64, f64)) -> ViewBox {
        let width = (self.width * factor).clamp(WIDTH_RANGE.0, WIDTH_RANGE.1);
        let height = (self.height * factor).clamp(HEIGHT_RANGE.0, HEIGHT_RANGE.1);
        ViewBox {
            x: point.0 - (point.0 - self.x) * width / self.width,
            y: point.1 - (point.1 - self.y) * height / self.height,
            width,
            height,
        }
    }

    /// Screen pixels per graph unit in a pane of `pane` (width, height) pixels.
    pub fn scale(self, pane: (f64, f64)) -> f64 {
        (pane.0 / self.width).min(pane.1 / self.height)
    }

    /// What a pane of `pane` pixels shows of the graph with this view box: the view box, grown
    /// along the axis the pane has room to spare, about its centre.
    pub fn viewport(self, pane: (f64, f64)) -> Viewport {
        let scale = self.scale(pane);
        let (width, height) = (pane.0 / scale, pane.1 / scale);
        Viewport {
            x: self.x + (self.width - width) / 2.0,
            y: self.y + (self.height - height) / 2.0,
            width,
            height,
            scale,
        }
    }

    /// The view box after the pointer moved (`dx`, `dy`) screen pixels since the drag began
    /// at this view box, drawn at `scale` screen pixels per unit: the graph follows the pointer.
    pub fn dragged(self, dx: f64, dy: f64, scale: f64) -> ViewBox {
        let units = 1.0 / scale;
        ViewBox {
            x: self.x - dx * units,
            y: self.y - dy * units,
            ..self
        }
    }

    /// The view box after two fingers moved from `start` to `now` (screen pixels) since a pinch
    /// began at this view box, drawn as `map` says: the graph zooms by how much the fingers
    /// spread or closed, about the point between them, and moves with that point, so what was
    /// between the fingers stays between them.
    pub fn pinched(self, map: ScreenMap, start: [(f64, f64); 2], now: [(f64, f64); 2]) -> ViewBox {
        let apart = |f: [(f64, f64); 2]| (f[1].0 - f[0].0).hypot(f[1].1 - f[0].1);
        let between = |f: [(f64, f64); 2]| ((f[0].0 + f[1].0) / 2.0, (f[0].1 + f[1].1) / 2.0);
        let (was, is) = (apart(start), apart(now));
        // Fingers on the same spot: nothing to measure a zoom by.
        let factor = if was >= 1.0 && is >= 1.0 {
            was / is
        } else {
            1.0
        };
        let (mid_was, mid_is) = (between(start), between(now));
        let zoomed = self.zoom_about(factor, map.to_graph(mid_was));
        let scale = map.scale * self.width / zoomed.width;
        zoomed.dragged(mid_is.0 - mid_was.0, mid_is.1 - mid_was.1, scale)
    }

    /// Whether a pane of `pane` pixels shows the whole graph (`width` × `height` units) with
    /// this view box: then a drag can move the drawing as it is, since nothing comes into view.
    pub fn shows_whole(self, width: f64, height: f64, pane: (f64, f64)) -> bool {
        let seen = self.viewport(pane);
        seen.x <= 0.0
            && seen.y <= 0.0
            && seen.x + seen.width >= width
            && seen.y + seen.height >= height
    }

    /// The view box after an arrow key: a tenth of what is on screen along that axis.
    pub fn stepped(self, direction: Direction, pane: (f64, f64)) -> ViewBox {
        let seen = self.viewport(pane);
        let (dx, dy) = match direction {
            Direction::Left => (-seen.width / 10.0, 0.0),
            Direction::Right => (seen.width / 10.0, 0.0),
            Direction::Up => (0.0, -seen.height / 10.0),
            Direction::Down => (0.0, seen.height / 10.0),
        };
        ViewBox {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }

    /// The view box a fraction `t` (0 to 1) of the way from this one to `to`, eased in and
    /// out (slow at both ends, a cubic), for a sweep from one view to another.
    pub fn towards(self, to: ViewBox, t: f64) -> ViewBox {
        let t = t.clamp(0.0, 1.0);
        let eased = if t < 0.5 {
            4.0 * t * t * t
        } else {
            let u = 2.0 - 2.0 * t;
            1.0 - u * u * u / 2.0
        };
        let mix = |a: f64, b: f64| a + (b - a) * eased;
        ViewBox {
            x: mix(self.x, to.x),
            y: mix(self.y, to.y),
            width: mix(self.width, to.width),
            height: mix(self.height, to.height),
        }
    }

    /// The SVG `viewBox` attribute.
    pub fn attribute(self) -> String {
        format!("{} {} {} {}", self.x, self.y, self.width, self.height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn vb(x: f64, y: f64, width: f64, height: f64) -> ViewBox {
        ViewBox {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn zooming_keeps_the_centre_and_stops_at_the_limits() {
        let cases = [
            // (view box, factor, result)
            (
                vb(0.0, 0.0, 1000.0, 600.0),
                0.5,
                vb(250.0, 150.0, 500.0, 300.0),
            ),
            (
                vb(0.0, 0.0, 1000.0, 600.0),
                2.0,
                vb(-500.0, -300.0, 2000.0, 1200.0),
            ),
            (vb(0.0, 0.0, 200.0, 100.0), 0.5, vb(40.0, 10.0, 120.0, 80.0)),
            // A very tall world fitted: the height jumps to the zoom limit at once.
            (
                vb(-8.0, -8.0, 1239.0, 157_127.0),
                0.8,
                vb(115.9, 75_555.5, 991.2, 6000.0),
            ),
        ];
        for (from, factor, want) in cases {
            let got = from.zoom(factor);
            for (g, w) in [
                (got.x, want.x),
                (got.y, want.y),
                (got.width, want.width),
                (got.height, want.height),
            ] {
                assert!(
                    (g - w).abs() < 1e-6,
                    "{from:?} × {factor}: {got:?}, want {want:?}"
                );
            }
        }
    }

    #[test]
    fn zooming_about_a_point_keeps_it_where_it_is_on_screen() {
        let pane = (1000.0, 600.0);
        let cases = [
            // (view box, factor, point, result)
            (
                vb(0.0, 0.0, 1000.0, 600.0),
                0.5,
                (100.0, 60.0),
                vb(50.0, 30.0, 500.0, 300.0),
            ),
            (
                vb(0.0, 0.0, 1000.0, 600.0),
                2.0,
                (1000.0, 600.0),
                vb(-1000.0, -600.0, 2000.0, 1200.0),
            ),
            // About the centre it is the centred zoom.
            (
                vb(0.0, 0.0, 1000.0, 600.0),
                0.5,
                (500.0, 300.0),
                vb(250.0, 150.0, 500.0, 300.0),
            ),
            // A point outside the view box (seen beside it, where the pane has room) too.
            (
                vb(0.0, 0.0, 300.0, 600.0),
                0.5,
                (-200.0, 0.0),
                vb(-100.0, 0.0, 150.0, 300.0),
            ),
        ];
        for (from, factor, point, want) in cases {
            let got = from.zoom_about(factor, point);
            assert_eq!(got, want, "{from:?} × {factor} about {point:?}");
            // Where the point is drawn, in pixels from the pane's top left corner.
            let on_screen = |v: ViewBox| {
                let seen = v.viewport(pane);
                (
                    (point.0 - seen.x) * seen.scale,
                    (point.1 - seen.y) * seen.scale,
                )
            };
            let (before, after) = (on_screen(from), on_screen(got));
            assert!(
                (before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9,
                "{point:?} moved on screen from {before:?} to {after:?}"
            );
        }
        // At the narrowest view box nothing changes; at a limit on one axis only, the point
        // keeps its place along the other.
        let narrowest = vb(10.0, 20.0, 120.0, 80.0);
        assert_eq!(narrowest.zoom_about(0.5, (40.0, 40.0)), narrowest);
        assert_eq!(
            vb(0.0, 0.0, 200.0, 90.0).zoom_about(0.5, (100.0, 45.0)),
            vb(40.0, 5.0, 120.0, 80.0)
        );
    }

    #[test]
    fn a_pinch_zooms_by_the_fingers_spread_and_keeps_what_was_between_them_between_them() {
        // A pane of 1000 × 600 pixels at (50, 100) on screen, showing this view box at 1 pixel
        // per unit.
        let from = vb(0.0, 0.0, 1000.0, 600.0);
        let map = ScreenMap {
            scale: 1.0,
            origin: (50.0, 100.0),
        };
        let cases = [
            // (what, fingers at the start, fingers now, result)
            (
                "spread to twice as far apart about (550, 400): in, about that point",
                [(500.0, 400.0), (600.0, 400.0)],
                [(450.0, 400.0), (650.0, 400.0)],
                vb(250.0, 150.0, 500.0, 300.0),
            ),
            (
                "closed to half as far: out",
                [(450.0, 400.0), (650.0, 400.0)],
                [(500.0, 400.0), (600.0, 400.0)],
                vb(-500.0, -300.0, 2000.0, 1200.0),
            ),
            (
                "both moved 30 px right and 40 px down: the graph follows",
                [(100.0, 200.0), (200.0, 300.0)],
                [(130.0, 240.0), (230.0, 340.0)],
                vb(-30.0, -40.0, 1000.0, 600.0),
            ),
            (
                "spread and moved: zoomed about where they began, then moved with them",
                [(150.0, 100.0), (250.0, 100.0)],
                [(100.0, 150.0), (300.0, 150.0)],
                vb(75.0, -25.0, 500.0, 300.0),
            ),
            (
                "fingers on one spot: only the move counts",
                [(300.0, 300.0), (300.0, 300.0)],
                [(310.0, 300.0), (310.0, 300.0)],
                vb(-10.0, 0.0, 1000.0, 600.0),
            ),
        ];
        for (what, start, now, want) in cases {
            let got = from.pinched(map, start, now);
            assert_eq!(got, want, "{what}");
            // The graph point that was between the fingers is between them now.
            let mid = |f: [(f64, f64); 2]| ((f[0].0 + f[1].0) / 2.0, (f[0].1 + f[1].1) / 2.0);
            let point = map.to_graph(mid(start));
            let scale = map.scale * from.width / got.width;
            let drawn_at = (
                map.origin.0 + (point.0 - got.x) * scale,
                map.origin.1 + (point.1 - got.y) * scale,
            );
            assert_eq!(drawn_at, mid(now), "{what}");
        }
    }

    #[test]
    fn the_screen_map_finds_the_graph_point_under_a_screen_position() {
        let map = ScreenMap {
            scale: 2.0,
            origin: (100.0, -40.0),
        };
        assert_eq!(map.to_graph((100.0, -40.0)), (0.0, 0.0));
        assert_eq!(map.to_graph((300.0, 60.0)), (100.0, 50.0));
    }

    #[test]
    fn the_wheel_zooms_by_how_far_it_turned() {
        let cases = [
            // (deltaY, unit, pinch, doublings of the view box)
            (100.0, WheelUnit::Pixel, false, 0.2),
            (-100.0, WheelUnit::Pixel, false, -0.2),
            (4.0, WheelUnit::Pixel, false, 0.008),
            (2.0, WheelUnit::Line, false, 0.1),
            (-0.25, WheelUnit::Page, false, -0.25),
            (-4.0, WheelUnit::Pixel, true, -0.08),
            (0.0, WheelUnit::Pixel, false, 0.0),
            // One event zooms by a factor of √2 at most: a mouse's notch with Ctrl held too.
            (5000.0, WheelUnit::Pixel, false, 0.5),
            (-3.0, WheelUnit::Page, true, -0.5),
            (-100.0, WheelUnit::Pixel, true, -0.5),
            (f64::NAN, WheelUnit::Pixel, false, 0.0),
            (f64::INFINITY, WheelUnit::Line, false, 0.0),
        ];
        for (delta, unit, pinch, want) in cases {
            assert_eq!(
                wheel_doublings(delta, unit, pinch),
                want,
                "{delta} {unit:?}, pinch {pinch}"
            );
        }
    }

    #[test]
    fn the_pane_shows_more_than_the_view_box_along_the_axis_it_has_room_on() {
        let cases = [
            // (view box, pane, what is seen)
            (
                vb(0.0, 0.0, 1000.0, 500.0),
                (1000.0, 500.0),
                Viewport {
                    x: 0.0,
                    y: 0.0,
                    width: 1000.0,
                    height: 500.0,
                    scale: 1.0,
                },
            ),
            // A tall view box in a wide pane: more is seen on either side.
            (
                vb(0.0, 0.0, 100.0, 1000.0),
                (500.0, 500.0),
                Viewport {
                    x: -450.0,
                    y: 0.0,
                    width: 1000.0,
                    height: 1000.0,
                    scale: 0.5,
                },
            ),
            // A wide view box in a tall pane: more above and below.
            (
                vb(10.0, 10.0, 400.0, 100.0),
                (200.0, 400.0),
                Viewport {
                    x: 10.0,
                    y: -340.0,
                    width: 400.0,
                    height: 800.0,
                    scale: 0.5,
                },
            ),
        ];
        for (from, pane, want) in cases {
            assert_eq!(from.viewport(pane), want, "{from:?} in {pane:?}");
        }
    }

    #[test]
    fn a_drag_moves_the_graph_with_the_pointer_along_the_axis_that_limits_the_scale() {
        let cases = [
            // (view box, pane, pointer moved, result)
            (
                vb(0.0, 0.0, 1000.0, 500.0),
                (1000.0, 500.0),
                (10.0, -20.0),
                vb(-10.0, 20.0, 1000.0, 500.0),
            ),
            (
                vb(0.0, 0.0, 500.0, 250.0),
                (1000.0, 500.0),
                (10.0, 10.0),
                vb(-5.0, -5.0, 500.0, 250.0),
            ),
            // A tall world fitted into a wide pane: 2 units a pixel (its height decides), not
            // 0.2 (its width would): the graph still follows the pointer.
            (
                vb(0.0, 0.0, 100.0, 1000.0),
                (500.0, 500.0),
                (0.0, 50.0),
                vb(0.0, -100.0, 100.0, 1000.0),
            ),
        ];
        for (from, pane, (dx, dy), want) in cases {
            let scale = from.scale(pane);
            assert_eq!(
                from.dragged(dx, dy, scale),
                want,
                "{from:?} by ({dx}, {dy})"
            );
        }
    }

    #[test]
    fn the_whole_graph_is_shown_when_fitted_and_not_once_zoomed_in_or_moved_off() {
        // A graph 1,000 × 400 units, mostly in a pane of 800 × 400 pixels.
        let (width, height, pane) = (1000.0, 400.0, (800.0, 400.0));
        let fitted = vb(-8.0, -8.0, 1016.0, 416.0);
        let cases = [
            ("fitted", fitted, pane, true),
            (
                "fitted, moved up a little: the pane has height to spare",
                vb(-8.0, -30.0, 1016.0, 416.0),
                pane,
                true,
            ),
            (
                "fitted, moved left a little: the pane's width is all used",
                vb(-30.0, -8.0, 1016.0, 416.0),
                pane,
                false,
            ),
            ("zoomed in", fitted.zoom(0.5), pane, false),
            ("zoomed out", fitted.zoom(2.0), pane, true),
            (
                "moved half off to the right",
                vb(500.0, -8.0, 1016.0, 416.0),
                pane,
                false,
            ),
            // A wide pane grows the view sideways: a view box narrower than the graph can
            // still show all of it.
            (
                "a narrow box in a wide pane",
                vb(0.0, -8.0, 900.0, 416.0),
                (1600.0, 400.0),
                true,
            ),
        ];
        for (what, view_box, pane, want) in cases {
            assert_eq!(view_box.shows_whole(width, height, pane), want, "{what}");
        }
    }

    #[test]
    fn an_arrow_key_moves_a_tenth_of_what_is_on_screen() {
        let tall = vb(0.0, 0.0, 100.0, 1000.0);
        let pane = (500.0, 500.0);
        let cases = [
            (Direction::Left, vb(-100.0, 0.0, 100.0, 1000.0)),
            (Direction::Right, vb(100.0, 0.0, 100.0, 1000.0)),
            (Direction::Up, vb(0.0, -100.0, 100.0, 1000.0)),
            (Direction::Down, vb(0.0, 100.0, 100.0, 1000.0)),
        ];
        for (direction, want) in cases {
            assert_eq!(tall.stepped(direction, pane), want, "{direction:?}");
        }
    }

    #[test]
    fn a_glide_eases_from_one_view_to_the_other() {
        let (from, to) = (vb(0.0, 0.0, 1000.0, 600.0), vb(200.0, 100.0, 500.0, 300.0));
        let cases = [
            (-1.0, from),
            (0.0, from),
            (0.25, vb(12.5, 6.25, 968.75, 581.25)),
            (0.5, vb(100.0, 50.0, 750.0, 450.0)),
            (0.75, vb(187.5, 93.75, 531.25, 318.75)),
            (1.0, to),
            (2.0, to),
        ];
        for (t, want) in cases {
            assert_eq!(from.towards(to, t), want, "t = {t}");
        }
    }

    #[test]
    fn the_attribute_lists_x_y_width_height() {
        assert_eq!(vb(-8.0, -8.5, 1239.0, 80.0).attribute(), "-8 -8.5 1239 80");
    }
}
