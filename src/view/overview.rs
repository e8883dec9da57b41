//! The opening picture: the four actors of a managed-identity token flow and the hops
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
    pub name: &'static str,
    /// The line under the name.
    pub detail: &'static str,
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Box width.
    pub width: i32,
    /// Box height.
    pub height: i32,
}

/// One labelled arrow between two actors, left to right.
#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    /// The step number shown before the label.
    pub number: u8,
    /// What travels along the arrow.
    pub label: &'static str,
    /// Where the arrow starts.
    pub x1: i32,
    /// Where the arrow ends.
    pub x2: i32,
    /// The arrow's height on the canvas.
    pub y: i32,
}

/// The whole picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// The heading above the canvas.
    pub title: &'static str,
    /// A sentence describing the picture, for screen readers.
    pub summary: String,
    /// Canvas width in user units.
    pub width: i32,
    /// Canvas height in user units.
    pub height: i32,
    /// The boxes.
    pub actors: Vec<Actor>,
    /// The arrows.
    pub hops: Vec<Hop>,
}

const ACTOR_WIDTH: i32 = 190;
const ACTOR_HEIGHT: i32 = 76;
const GAP: i32 = 60;
const MARGIN: i32 = 20;

/// The four actors of the flow in a row, with the three hops between neighbours.
pub fn token_flow() -> Scene {
    let specs = [
        (ActorKind::Compute, "Code on vm-web", "Virtual machine"),
        (ActorKind::Endpoint, "IMDS", "169.254.169.254"),
        (ActorKind::Directory, "Entra ID", "Token service"),
        (ActorKind::Target, "kv-prod", "Key Vault"),
    ];
    let actors: Vec<Actor> = specs
        .iter()
        .enumerate()
        .map(|(i, &(kind, name, detail))| Actor {
            kind,
            name,
            detail,
            x: MARGIN + i as i32 * (ACTOR_WIDTH + GAP),
            y: 110,
            width: ACTOR_WIDTH,
            height: ACTOR_HEIGHT,
        })
        .collect();
    let labels = ["GET /metadata/identity/oauth2/token", "certificate → token", "Bearer eyJ0…"];
    let hops = actors
        .windows(2)
        .zip(labels)
        .enumerate()
        .map(|(i, (pair, label))| Hop {
            number: i as u8 + 1,
            label,
            x1: pair[0].x + pair[0].width,
            x2: pair[1].x,
            y: 110 + ACTOR_HEIGHT + 60,
        })
        .collect();
    let width = 2 * MARGIN + 4 * ACTOR_WIDTH + 3 * GAP;
    Scene {
        title: "How code on an Azure resource gets a token without a secret",
        summary: "Code on vm-web asks IMDS for a token, Entra ID issues it, and the code \
                  presents it to Key Vault kv-prod."
            .to_string(),
        width,
        height: 300,
        actors,
        hops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_flow_has_four_actors_in_order_and_three_hops_between_neighbours() {
        let scene = token_flow();
        let names: Vec<_> = scene.actors.iter().map(|a| a.name).collect();
        assert_eq!(names, ["Code on vm-web", "IMDS", "Entra ID", "kv-prod"]);
        assert_eq!(scene.hops.len(), 3);
        for (hop, pair) in scene.hops.iter().zip(scene.actors.windows(2)) {
            assert_eq!(hop.x1, pair[0].x + pair[0].width);
            assert_eq!(hop.x2, pair[1].x);
        }
    }

    #[test]
    fn token_flow_fits_its_canvas() {
        let scene = token_flow();
        assert_eq!(scene.width, 940);
        for actor in &scene.actors {
            assert!(actor.x >= 0 && actor.x + actor.width <= scene.width, "{actor:?}");
            assert!(actor.y >= 0 && actor.y + actor.height <= scene.height, "{actor:?}");
        }
    }
}
