//! The geometry of the four actors of a managed-identity token flow and the hops
//! between them, laid out for the graph canvas.

/// What an actor is, which decides its colour and icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    /// Code running on an Azure resource.
    Compute,
    /// The local token endpoint (IMDS on a VM).
    Endpoint,
    /// Microsoft Entra ID, the token issuer.
    Directory,
    /// The service the code calls with the token.
    Target,
}

impl ActorKind {
    /// The CSS class that colours this kind.
    pub fn css_class(self) -> &'static str {
        match self {
            ActorKind::Compute => "kind-compute",
            ActorKind::Endpoint => "kind-endpoint",
            ActorKind::Directory => "kind-identity",
            ActorKind::Target => "kind-target",
        }
    }
}

/// One box on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    /// Colour and icon.
    pub kind: ActorKind,
    /// The name in bold.
    pub name: String,
    /// The line under the name.
    pub detail: String,
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Box width.
    pub width: i32,
    /// Box height.
    pub height: i32,
}

/// One labelled arrow from one actor to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    /// The step number shown before the label.
    pub number: u8,
    /// What travels along the arrow.
    pub label: &'static str,
    /// Where the arrow starts.
    pub from: (i32, i32),
    /// Where the arrow ends.
    pub to: (i32, i32),
    /// Where the label's anchor point is.
    pub label_at: (i32, i32),
    /// The SVG `text-anchor` of the label: `middle` above a horizontal arrow, `start` beside a
    /// vertical one.
    pub label_anchor: &'static str,
}

/// Which way the actors are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orientation {
    /// In a row, for wide screens.
    Row,
    /// In a column, for phones.
    Column,
}

/// The whole picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// The heading above the canvas.
    pub title: &'static str,
    /// A sentence describing the picture, for screen readers.
    pub summary: &'static str,
    /// Canvas width in user units.
    pub width: i32,
    /// Canvas height in user units.
    pub height: i32,
    /// The boxes.
    pub actors: Vec<Actor>,
    /// The arrows.
    pub hops: Vec<Hop>,
}

const ACTOR_WIDTH: i32 = 230;
const ACTOR_HEIGHT: i32 = 76;
const MARGIN: i32 = 20;
/// Room between boxes in a row: the longest hop label (22 monospace characters at 12 px).
const ROW_GAP: i32 = 170;
/// Room between boxes in a column: enough for an arrow a reader can see.
pub(super) const COLUMN_GAP: i32 = 64;

const ACTORS: [(ActorKind, &str, &str); 4] = [
    (ActorKind::Compute, "Code on vm-web", "Virtual machine"),
    (ActorKind::Endpoint, "IMDS", "169.254.169.254"),
    (ActorKind::Directory, "Entra ID", "Token service"),
    (ActorKind::Target, "kv-prod", "Key Vault"),
];

const HOP_LABELS: [&str; 3] = [
    "GET …/oauth2/token",
    "certificate → token",
    "Bearer eyJ0eXAi…",
];

/// The four actors of the flow, with a hop from each to the next.
pub fn token_flow(orientation: Orientation) -> Scene {
    let step = match orientation {
        Orientation::Row => (ACTOR_WIDTH + ROW_GAP, 0),
        Orientation::Column => (0, ACTOR_HEIGHT + COLUMN_GAP),
    };
    let actors: Vec<Actor> = ACTORS
        .iter()
        .zip(0..)
        .map(|(&(kind, name, detail), i)| Actor {
            kind,
            name: name.to_string(),
            detail: detail.to_string(),
            x: MARGIN + i * step.0,
            y: MARGIN + i * step.1,
            width: ACTOR_WIDTH,
            height: ACTOR_HEIGHT,
        })
        .collect();
    let hops = actors
        .windows(2)
        .zip(HOP_LABELS)
        .zip(1..)
        .map(|((pair, label), number)| {
            let (a, b) = (&pair[0], &pair[1]);
            match orientation {
                Orientation::Row => {
                    let y = a.y + a.height / 2;
                    Hop {
                        number,
                        label,
                        from: (a.x + a.width + 8, y),
                        to: (b.x - 8, y),
                        label_at: ((a.x + a.width + b.x) / 2, y - 12),
                        label_anchor: "middle",
                    }
                }
                Orientation::Column => {
                    let x = a.x + 40;
                    Hop {
                        number,
                        label,
                        from: (x, a.y + a.height + 6),
                        to: (x, b.y - 6),
                        label_at: (x + 16, (a.y + a.height + b.y) / 2 + 4),
                        label_anchor: "start",
                    }
                }
            }
        })
        .collect();
    let last = &actors[actors.len() - 1];
    Scene {
        title: "How code on an Azure resource gets a token without a secret",
        summary: "Code on vm-web asks IMDS for a token, Entra ID issues it, and the code \
                  presents it to Key Vault kv-prod.",
        width: last.x + last.width + MARGIN,
        height: last.y + last.height + MARGIN,
        actors,
        hops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: [Orientation; 2] = [Orientation::Row, Orientation::Column];

    #[test]
    fn token_flow_has_four_actors_in_order_and_a_hop_between_each_pair() {
        for orientation in BOTH {
            let scene = token_flow(orientation);
            let names: Vec<_> = scene.actors.iter().map(|a| a.name.as_str()).collect();
            assert_eq!(names, ["Code on vm-web", "IMDS", "Entra ID", "kv-prod"]);
            let numbers: Vec<_> = scene.hops.iter().map(|h| h.number).collect();
            assert_eq!(numbers, [1, 2, 3]);
        }
    }

    #[test]
    fn canvas_sizes_are_fixed_per_orientation() {
        let sizes: Vec<_> = BOTH
            .iter()
            .map(|&o| (token_flow(o).width, token_flow(o).height))
            .collect();
        assert_eq!(sizes, [(1470, 116), (270, 536)]);
    }

    #[test]
    fn arrows_run_in_the_gaps_between_boxes_and_everything_fits_the_canvas() {
        for orientation in BOTH {
            let scene = token_flow(orientation);
            for (hop, pair) in scene.hops.iter().zip(scene.actors.windows(2)) {
                let (a, b) = (&pair[0], &pair[1]);
                let inside = |p: (i32, i32), r: &Actor| {
                    p.0 >= r.x && p.0 <= r.x + r.width && p.1 >= r.y && p.1 <= r.y + r.height
                };
                assert!(!inside(hop.from, a) && !inside(hop.to, b), "{hop:?}");
                assert!(hop.from.0 <= hop.to.0 && hop.from.1 <= hop.to.1, "{hop:?}");
            }
            for actor in &scene.actors {
                assert!(
                    actor.x >= 0 && actor.x + actor.width <= scene.width,
                    "{actor:?}"
                );
                assert!(
                    actor.y >= 0 && actor.y + actor.height <= scene.height,
                    "{actor:?}"
                );
            }
        }
    }

    #[test]
    fn row_labels_fit_between_their_boxes() {
        // 12 px monospace is at most 7.3 px a character; number and a space come first.
        let scene = token_flow(Orientation::Row);
        for hop in &scene.hops {
            let width = (hop.label.chars().count() + 2) as f64 * 7.3;
            assert!(
                width <= f64::from(ROW_GAP),
                "{} is {width} px wide",
                hop.label
            );
        }
    }
}
