//! The sequence lane: the four actors of a token flow — the code on its host, the identity
//! endpoint, Entra ID and the target — named for the open flow, with the current step's hop as
//! a path on the canvas (the token travels along it).

use super::overview::{self, Actor, ActorKind, Orientation};
use crate::model::flow::{StepKind, StepStatus};
use crate::model::world::IdentityEndpoint;
use crate::view::session::Session;

/// The hop of the current step.
#[derive(Clone, Debug, PartialEq)]
pub struct HopPath {
    /// The SVG path from one actor to another (`M … L …` or a quadratic curve).
    pub d: String,
    /// What travels.
    pub label: String,
    /// Where the label sits.
    pub label_at: (i32, i32),
    /// Whether the step failed.
    pub failed: bool,
}

/// The lane for the current step.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneView {
    /// Canvas size.
    pub width: i32,
    /// Canvas height.
    pub height: i32,
    /// The four actors.
    pub actors: Vec<Actor>,
    /// Which actors take part in the current step.
    pub active: Vec<bool>,
    /// The arrow, if the step moves something between actors.
    pub hop: Option<HopPath>,
    /// A sentence for screen readers.
    pub summary: String,
}

fn names(session: &Session) -> [(ActorKind, String, String); 4] {
    let world = &session.sim.world;
    let flow = session.scenario.flows.get(session.flow);
    let from = session
        .walkthrough
        .as_ref()
        .map(|w| w.origin.clone())
        .or_else(|| flow.map(|f| f.from.clone()))
        .unwrap_or_default();
    let host = world.resource_named(&from);
    let credential = flow
        .and_then(|f| f.credential.as_deref())
        .unwrap_or("managedIdentity");
    let (endpoint, detail) = match (credential, host.and_then(|h| h.kind.identity_endpoint())) {
        ("clientSecret" | "federated", _) => ("Token endpoint", "login.microsoftonline.com"),
        (_, Some(IdentityEndpoint::AppService)) => ("App Service endpoint", "localhost:4141"),
        (_, Some(IdentityEndpoint::ArcHimds)) => ("Arc agent (HIMDS)", "localhost:40342"),
        _ => ("IMDS", "169.254.169.254"),
    };
    let target = flow.map(|f| f.target.clone()).unwrap_or_default();
    let target_detail = world
        .resource_named(&target)
        .map(|r| r.kind.display_name().to_string())
        .unwrap_or_else(|| "API".to_string());
    let host_detail = host
        .map(|h| h.kind.display_name().to_string())
        .unwrap_or_else(|| "Outside Azure".to_string());
    let tenant = host
        .and_then(|h| world.subscription(h.subscription_id))
        .and_then(|s| world.tenant(s.tenant_id))
        .or_else(|| world.tenants().first())
        .map(|t| format!("Tenant {}", t.name))
        .unwrap_or_default();
    [
        (ActorKind::Compute, format!("Code on {from}"), host_detail),
        (
            ActorKind::Endpoint,
            endpoint.to_string(),
            detail.to_string(),
        ),
        (ActorKind::Directory, "Entra ID".to_string(), tenant),
        (ActorKind::Target, target, target_detail),
    ]
}

/// The lane for the session's current step, laid out in `orientation`.
pub fn lane(session: &Session, orientation: Orientation) -> LaneView {
    let scene = overview::token_flow(orientation);
    let named = names(session);
    let actors: Vec<Actor> = scene
        .actors
        .iter()
        .zip(named.iter())
        .map(|(a, (kind, name, detail))| Actor {
            kind: *kind,
            name: name.clone(),
            detail: detail.clone(),
            ..a.clone()
        })
        .collect();
    let step = session
        .walkthrough
        .as_ref()
        .and_then(|w| w.steps.get(session.step));
    let (active, hop): (&[usize], Option<(usize, usize, String)>) = match step.map(|s| s.kind) {
        Some(StepKind::Enable) => (&[0], None),
        Some(StepKind::ServicePrincipal) => (&[2], None),
        Some(StepKind::Credential) => (&[1, 2], Some((1, 2, "certificate".into()))),
        Some(StepKind::Endpoint) => (&[0, 1], Some((0, 1, "token request".into()))),
        Some(StepKind::Issue) if step.is_some_and(|s| s.status == StepStatus::Cached) => {
            (&[0, 1], Some((1, 0, "cached token".into())))
        }
        Some(StepKind::Issue) => (&[0, 1, 2], Some((2, 0, "access token".into()))),
        Some(StepKind::Call) => (&[0, 3], Some((0, 3, "Bearer eyJ0eXAi…".into()))),
        Some(StepKind::Validate) => (&[2, 3], None),
        Some(StepKind::Access) => (&[3], None),
        Some(StepKind::Answer) => {
            let status = step
                .and_then(|s| s.http.last())
                .and_then(|h| h.status)
                .map(|s| s.to_string())
                .unwrap_or_default();
            (&[0, 3], Some((3, 0, status)))
        }
        None => (&[], None),
    };
    let failed = step.is_some_and(|s| s.status == StepStatus::Failed);
    let hop = hop.map(|(from, to, label)| {
        let (a, b) = (&actors[from], &actors[to]);
        path(orientation, a, b, from.abs_diff(to) == 1, label, failed)
    });
    let summary = match step {
        Some(s) => format!(
            "Step {}: {}. Taking part: {}.",
            session.step + 1,
            s.title,
            active
                .iter()
                .map(|&i| actors[i].name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "No step".to_string(),
    };
    LaneView {
        // A column has room on the right for the arcs past a box.
        width: scene.width
            + match orientation {
                Orientation::Row => 0,
                Orientation::Column => COLUMN_ARC + 12,
            },
        height: scene.height + 2 * ARC,
        active: (0..4).map(|i| active.contains(&i)).collect(),
        actors: actors
            .into_iter()
            .map(|a| Actor { y: a.y + ARC, ..a })
            .collect(),
        hop: hop.map(|h| HopPath {
            d: h.d,
            label_at: (h.label_at.0, h.label_at.1),
            ..h
        }),
        summary,
    }
}

/// Room above and below the row for arcs between actors that are not neighbours.
const ARC: i32 = 44;
/// How far right of the boxes of a column an arc between actors that are not neighbours
/// reaches.
const COLUMN_ARC: i32 = 18;

fn path(
    o: Orientation,
    a: &Actor,
    b: &Actor,
    neighbours: bool,
    label: String,
    failed: bool,
) -> HopPath {
    let (ax, ay) = (a.x + a.width / 2, a.y + ARC + a.height / 2);
    let (bx, by) = (b.x + b.width / 2, b.y + ARC + b.height / 2);
    let forward = (bx, by) > (ax, ay);
    match o {
        Orientation::Row if neighbours => {
            let (x1, x2) = if forward {
                (a.x + a.width + 8, b.x - 8)
            } else {
                (a.x - 8, b.x + b.width + 8)
            };
            HopPath {
                d: format!("M{x1},{ay} L{x2},{by}"),
                label,
                label_at: ((x1 + x2) / 2, ay - 12),
                failed,
            }
        }
        Orientation::Row => {
            // Forward arcs go over the row, backward ones under it.
            let (y, cy) = if forward {
                (a.y + ARC - 6, a.y - 10)
            } else {
                (a.y + ARC + a.height + 6, a.y + 2 * ARC + a.height + 10)
            };
            HopPath {
                d: format!("M{ax},{y} Q{},{cy} {bx},{y}", (ax + bx) / 2),
                label,
                label_at: ((ax + bx) / 2, if forward { a.y + 12 } else { cy - 4 }),
                failed,
            }
        }
        Orientation::Column if neighbours => {
            let (y1, y2) = if forward {
                (a.y + ARC + a.height + 6, b.y + ARC - 6)
            } else {
                (a.y + ARC - 6, b.y + ARC + b.height + 6)
            };
            let x = a.x + 40;
            HopPath {
                d: format!("M{x},{y1} L{x},{y2}"),
                label,
                label_at: (x + 16, (y1 + y2) / 2 + 4),
                failed,
            }
        }
        Orientation::Column => {
            // The arc runs down (or up) beside the boxes' right edge; its label sits in the gap
            // next to where it starts, clear of the boxes it passes and of the arc.
            let x = a.x + a.width + 4;
            let (y1, y2) = (ay, by);
            let gap = if forward {
                a.y + ARC + a.height + overview::COLUMN_GAP / 2
            } else {
                a.y + ARC - overview::COLUMN_GAP / 2
            };
            HopPath {
                d: format!(
                    "M{x},{y1} Q{},{} {x},{y2}",
                    x + 2 * COLUMN_ARC,
                    (y1 + y2) / 2
                ),
                label,
                label_at: (a.x + 90, gap + 4),
                failed,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::session::{Action, DEFAULT_SCENARIO};

    #[test]
    fn actors_are_named_for_the_open_flow() {
        let cases = [
            (
                DEFAULT_SCENARIO,
                ["Code on vm-web", "IMDS", "Entra ID", "kv-prod"],
            ),
            (
                "appservice-graph-approle",
                [
                    "Code on app-hr",
                    "App Service endpoint",
                    "Entra ID",
                    "Microsoft Graph",
                ],
            ),
        ];
        for (id, expected) in cases {
            let lane = lane(&Session::open(id), Orientation::Row);
            let names: Vec<_> = lane.actors.iter().map(|a| a.name.as_str()).collect();
            assert_eq!(names, expected, "{id}");
        }
    }

    #[test]
    fn the_code_actor_follows_a_what_if_that_moves_the_code() {
        let s = Session::open(DEFAULT_SCENARIO);
        let laptop = s.scenario.flows[0]
            .what_ifs
            .iter()
            .position(|w| w.change == "callFromOutside")
            .unwrap();
        let lane = lane(&s.reduce(Action::ToggleWhatIf(laptop)), Orientation::Row);
        assert_eq!(lane.actors[0].name, "Code on a laptop");
        assert_eq!(lane.actors[0].detail, "Outside Azure");
    }

    #[test]
    fn each_step_marks_its_actors_and_hop() {
        let s = Session::open(DEFAULT_SCENARIO);
        let expected: [(&[bool; 4], Option<&str>); 9] = [
            (&[true, false, false, false], None),
            (&[false, false, true, false], None),
            (&[false, true, true, false], Some("certificate")),
            (&[true, true, false, false], Some("token request")),
            (&[true, true, true, false], Some("access token")),
            (&[true, false, false, true], Some("Bearer eyJ0eXAi…")),
            (&[false, false, true, true], None),
            (&[false, false, false, true], None),
            (&[true, false, false, true], Some("200")),
        ];
        for (i, (active, hop)) in expected.iter().enumerate() {
            let lane = lane(&s.reduce(Action::GoToStep(i)), Orientation::Row);
            assert_eq!(lane.active, active.to_vec(), "step {}", i + 1);
            assert_eq!(
                lane.hop.as_ref().map(|h| h.label.as_str()),
                *hop,
                "step {}",
                i + 1
            );
        }
    }

    #[test]
    fn a_long_hop_in_a_column_is_labelled_in_a_gap_not_over_a_box() {
        // Step 5: Entra ID (third) answers the code (first), past the endpoint (second).
        let s = Session::open(DEFAULT_SCENARIO).reduce(Action::GoToStep(4));
        let lane = lane(&s, Orientation::Column);
        let hop = lane.hop.unwrap();
        assert_eq!(hop.label, "access token");
        let (x, y) = hop.label_at;
        // The label's text, about 8 px a character at 13 px, centred on x; its box from 12 px
        // above the baseline to 4 below.
        let half = 4 * i32::try_from(hop.label.len()).unwrap();
        for actor in &lane.actors {
            let (top, bottom) = (actor.y, actor.y + actor.height);
            let clear = y + 4 < top || y - 12 > bottom;
            let beside = x + half < actor.x || x - half > actor.x + actor.width;
            assert!(
                clear || beside,
                "the label at {:?} is over {}",
                (x, y),
                actor.name
            );
        }
        // Between the endpoint and Entra ID, where the arc starts.
        let (endpoint, entra) = (&lane.actors[1], &lane.actors[2]);
        assert!(y > endpoint.y + endpoint.height && y < entra.y, "{y}");
        assert!(x + half < entra.x + entra.width, "left of the arc: {x}");
        // The arc starts and ends beside the boxes, within the drawing.
        let right = entra.x + entra.width;
        assert_eq!(
            hop.d,
            format!(
                "M{},{} Q{},{} {},{}",
                right + 4,
                entra.y + entra.height / 2,
                right + 4 + 2 * COLUMN_ARC,
                (entra.y + lane.actors[0].y + entra.height) / 2,
                right + 4,
                lane.actors[0].y + entra.height / 2
            )
        );
        assert!(
            right + 4 + COLUMN_ARC + 7 < lane.width,
            "the token's dot fits"
        );
    }

    #[test]
    fn hops_run_between_their_actors() {
        let s = Session::open(DEFAULT_SCENARIO).reduce(Action::GoToStep(5));
        let lane = lane(&s, Orientation::Row);
        let hop = lane.hop.unwrap();
        let (code, target) = (&lane.actors[0], &lane.actors[3]);
        assert_eq!(
            hop.d,
            format!(
                "M{},{} Q{},{} {},{}",
                code.x + code.width / 2,
                code.y - 6,
                (code.x + code.width / 2 + target.x + target.width / 2) / 2,
                code.y - ARC - 10,
                target.x + target.width / 2,
                code.y - 6
            )
        );
        assert!(!hop.failed);
    }
}
