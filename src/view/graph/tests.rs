//! Tests for the graph layout: determinism, no overlaps in any shipped scenario, everything
//! drawn once, orphans, accessible names and the list view.

use super::place::{NODE_H, NODE_W};
use super::*;
use crate::model::scenario::{SHIPPED, Scenario};
use crate::model::world::{Command, WorldBuilder};
use std::collections::HashSet;

/// The largest graph, in user units, that still reads when the UI fits it into the
/// 940×540 graph region of a 1280×720 screen: a fit scale of at least 0.6, so 14 px labels
/// stay above 8 px.
const MAX_WIDTH: i32 = 1566;
const MAX_HEIGHT: i32 = 900;

fn shipped_worlds() -> Vec<(&'static str, World)> {
    SHIPPED
        .iter()
        .map(|s| {
            let world = Scenario::from_json(s.json)
                .and_then(|sc| sc.build_world())
                .unwrap_or_else(|e| panic!("{}: {e}", s.id));
            (s.id, world)
        })
        .collect()
}

fn shipped_world(id: &str) -> World {
    shipped_worlds()
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, w)| w)
        .unwrap_or_else(|| panic!("no shipped scenario {id}"))
}

/// vm-web (system-assigned) reads kv-prod; one tenant, one subscription, two groups.
fn small_world() -> World {
    WorldBuilder::new(7)
        .tenant("contoso")
        .subscription("Production", "contoso", None)
        .resource_group("Production", "rg-web")
        .resource_group("Production", "rg-data")
        .resource(
            "Production",
            "rg-web",
            "vm-web",
            ResourceKind::VirtualMachine,
        )
        .system_assigned("vm-web")
        .resource("Production", "rg-data", "kv-prod", ResourceKind::KeyVault)
        .assign("vm-web", "Key Vault Secrets User", "kv-prod")
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn node_named<'g>(g: &'g GraphView, kind: NodeKind, name: &str) -> &'g Node {
    g.nodes
        .iter()
        .find(|n| n.kind == kind && n.label.full == name)
        .unwrap_or_else(|| panic!("no {kind:?} node {name}"))
}

/// Every text on the canvas with the rectangle it must stay inside.
fn texts(g: &GraphView) -> Vec<(String, Rect, Rect)> {
    let mut out = Vec::new();
    for c in &g.containers {
        out.push((format!("title of {}", c.id), c.title.bounds(), c.rect));
    }
    for n in &g.nodes {
        out.push((format!("label of {}", n.id), n.label.bounds(), n.rect));
        out.push((
            format!("sub-label of {}", n.id),
            n.sub_label.bounds(),
            n.rect,
        ));
    }
    for e in &g.edges {
        for line in e.chip.iter().flat_map(|c| &c.lines) {
            let chip = e.chip.as_ref().map(|c| c.rect).unwrap_or_default();
            out.push((format!("chip of {}", e.id), line.bounds(), chip));
        }
    }
    out
}

fn badge_rect(b: &Badge) -> Rect {
    Rect {
        x: b.cx - b.r,
        y: b.cy - b.r,
        width: 2 * b.r,
        height: 2 * b.r,
    }
}

/// Whether an axis-parallel segment passes through the inside of `r`.
fn crosses(a: (i32, i32), b: (i32, i32), r: &Rect) -> bool {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    x0 < r.right() && x1 > r.x && y0 < r.bottom() && y1 > r.y
}

/// Everything that would make the picture unreadable, as sentences.
fn problems(g: &GraphView) -> Vec<String> {
    let mut found = Vec::new();
    for (i, a) in g.nodes.iter().enumerate() {
        for b in &g.nodes[i + 1..] {
            if a.rect.intersects(&b.rect) {
                found.push(format!("nodes {} and {} overlap", a.id, b.id));
            }
        }
        match g.container(&a.container) {
            Some(c) if c.rect.contains(&a.rect) => {}
            _ => found.push(format!("node {} is outside its container", a.id)),
        }
        if let Some(badge) = &a.badge {
            let r = badge_rect(badge);
            if !a.rect.contains(&r) || r.intersects(&a.label.bounds()) {
                found.push(format!("badge of {} is misplaced", a.id));
            }
        }
    }
    for (i, a) in g.containers.iter().enumerate() {
        if let Some(parent) = &a.parent {
            match g.container(parent) {
                Some(p) if p.rect.contains(&a.rect) && p.depth + 1 == a.depth => {}
                _ => found.push(format!("container {} is not inside {parent}", a.id)),
            }
        }
        for b in &g.containers[i + 1..] {
            let nested = a.rect.contains(&b.rect) || b.rect.contains(&a.rect);
            if a.rect.intersects(&b.rect) && !nested {
                found.push(format!("containers {} and {} overlap", a.id, b.id));
            }
        }
    }
    let texts = texts(g);
    for (i, (what, bounds, home)) in texts.iter().enumerate() {
        if !home.contains(bounds) {
            found.push(format!("{what} leaves its box"));
        }
        for (other, b2, _) in &texts[i + 1..] {
            if bounds.intersects(b2) {
                found.push(format!("{what} overlaps {other}"));
            }
        }
        for c in &g.containers {
            if bounds.intersects(&c.rect) && !c.rect.contains(bounds) {
                found.push(format!("{what} crosses the edge of {}", c.id));
            }
        }
    }
    let chips: Vec<(&str, Rect)> = g
        .edges
        .iter()
        .filter_map(|e| e.chip.as_ref().map(|c| (e.id.as_str(), c.rect)))
        .collect();
    for (i, (id, chip)) in chips.iter().enumerate() {
        for (other, r) in &chips[i + 1..] {
            if chip.intersects(r) {
                found.push(format!("chips of {id} and {other} overlap"));
            }
        }
        for n in &g.nodes {
            if chip.intersects(&n.rect) {
                found.push(format!("chip of {id} covers node {}", n.id));
            }
        }
        for c in &g.containers {
            if chip.intersects(&c.rect) && !c.rect.contains(chip) {
                found.push(format!("chip of {id} crosses the edge of {}", c.id));
            }
        }
    }
    for e in &g.edges {
        if e.points.len() < 2 {
            found.push(format!("edge {} has no path", e.id));
        }
        for pair in e.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.0 != b.0 && a.1 != b.1 {
                found.push(format!("edge {} has a slanted segment", e.id));
            }
            for n in &g.nodes {
                if n.id != e.from && n.id != e.to && crosses(a, b, &n.rect) {
                    found.push(format!("edge {} runs under node {}", e.id, n.id));
                }
            }
            for (what, bounds, _) in &texts {
                let own = what == &format!("chip of {}", e.id);
                if !own && crosses(a, b, bounds) {
                    found.push(format!("edge {} runs through {what}", e.id));
                }
            }
            for (other, chip) in &chips {
                if *other != e.id && crosses(a, b, chip) {
                    found.push(format!("edge {} runs under the chip of {other}", e.id));
                }
            }
        }
    }
    let all = g
        .containers
        .iter()
        .map(|c| c.rect)
        .chain(g.nodes.iter().map(|n| n.rect))
        .chain(chips.iter().map(|c| c.1));
    let canvas = Rect {
        x: 0,
        y: 0,
        width: g.width,
        height: g.height,
    };
    for r in all {
        if !canvas.contains(&r) {
            found.push(format!(
                "{r:?} is outside the {}×{} canvas",
                g.width, g.height
            ));
        }
    }
    found
}

#[test]
fn layout_is_deterministic() {
    for (id, world) in shipped_worlds() {
        assert_eq!(layout(&world), layout(&world), "{id}");
        assert_eq!(layout(&world), layout(&world.clone()), "{id}");
    }
}

#[test]
fn small_world_has_these_exact_coordinates() {
    let g = layout(&small_world());
    let vm = node_named(&g, NodeKind::Compute, "vm-web");
    let kv = node_named(&g, NodeKind::Target, "kv-prod");
    let sp = node_named(&g, NodeKind::ServicePrincipal, "vm-web");
    let rect = |x, y| Rect {
        x,
        y,
        width: NODE_W,
        height: NODE_H,
    };
    let role = g
        .edges
        .iter()
        .find(|e| e.kind == EdgeKind::RoleAssignment)
        .expect("one role assignment");
    let chip = role.chip.as_ref().expect("a chip");
    let sa = g
        .edges
        .iter()
        .find(|e| e.kind == EdgeKind::SystemAssigned)
        .expect("one system-assigned edge");
    let got = (
        (g.width, g.height),
        vm.rect,
        kv.rect,
        sp.rect,
        vm.badge.as_ref().map(|b| (b.cx, b.cy, b.r)),
        chip.rect,
        role.points.clone(),
        sa.points.clone(),
    );
    let want = (
        (801, 286),
        rect(553, 82),
        rect(553, 194),
        rect(28, 44),
        Some((745, 98, 10)),
        Rect {
            x: 270,
            y: 178,
            width: 231,
            height: 24,
        },
        vec![(236, 76), (256, 76), (256, 190), (645, 190), (645, 194)],
        vec![(745, 88), (745, 78), (509, 78), (509, 63), (236, 63)],
    );
    assert_eq!(got, want);
}

#[test]
fn no_overlaps_and_every_shipped_scenario_fits_the_canvas() {
    for (id, world) in shipped_worlds() {
        let g = layout(&world);
        assert_eq!(problems(&g), Vec::<String>::new(), "{id}");
        assert!(
            g.width <= MAX_WIDTH && g.height <= MAX_HEIGHT,
            "{id} is {}×{}",
            g.width,
            g.height
        );
    }
}

#[test]
fn every_element_of_the_world_is_drawn_exactly_once() {
    for (id, world) in shipped_worlds() {
        let g = layout(&world);
        let count = |node: &str| g.nodes.iter().filter(|n| n.id == node).count();
        for r in world.resources() {
            assert_eq!(count(r.id.as_str()), 1, "{id}: {}", r.name);
        }
        for t in world.tenants() {
            for sp in &t.service_principals {
                assert_eq!(
                    count(&sp.object_id.to_string()),
                    1,
                    "{id}: {}",
                    sp.display_name
                );
            }
            assert_eq!(count(&format!("entra:{}", t.id)), 1, "{id}: {}", t.name);
        }
        for s in world.on_prem_servers() {
            assert_eq!(count(&format!("onprem:{}", s.name)), 1, "{id}: {}", s.name);
        }
        for a in world.role_assignments() {
            let edges = g.edges.iter().filter(|e| e.id == a.id).count();
            assert_eq!(edges, 1, "{id}: {}", a.id);
        }
        let mut ids: Vec<&str> = g
            .nodes
            .iter()
            .map(|n| n.id.as_str())
            .chain(g.edges.iter().map(|e| e.id.as_str()))
            .chain(g.containers.iter().map(|c| c.id.as_str()))
            .collect();
        let total = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), total, "{id}: ids repeat");
        for e in &g.edges {
            assert!(g.node(&e.from).is_some(), "{id}: {} starts nowhere", e.id);
            let ends = g.node(&e.to).is_some() || g.container(&e.to).is_some();
            assert!(ends, "{id}: {} ends nowhere", e.id);
        }
    }
}

#[test]
fn deleting_a_vm_leaves_its_assignments_drawn_from_identity_not_found() {
    let mut world = shipped_world("vm-keyvault-system-assigned");
    let before = layout(&world);
    let principal = node_named(&before, NodeKind::ServicePrincipal, "vm-web")
        .id
        .clone();
    world
        .apply(Command::DeleteResource {
            resource: "vm-web".into(),
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let g = layout(&world);
    assert_eq!(problems(&g), Vec::<String>::new());
    let placeholder = format!("unknown:{principal}");
    let node = g.node(&placeholder).expect("an Identity not found node");
    assert_eq!(
        (node.kind, node.label.text.as_str()),
        (NodeKind::Unknown, "Identity not found")
    );
    let orphans: Vec<&Edge> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::OrphanedRoleAssignment)
        .collect();
    assert_eq!(orphans.len(), world.role_assignments().len());
    assert!(orphans.iter().all(|e| e.from == placeholder));
    let kv = world.id_of("kv-prod").expect("kv-prod");
    let names: Vec<&str> = orphans
        .iter()
        .filter(|e| e.to == kv.as_str())
        .map(|e| e.accessible_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Role assignment for an identity that no longer exists (Identity not found): \
          Key Vault Secrets User on kv-prod"
        ]
    );
    assert!(g.edges.iter().all(|e| e.kind != EdgeKind::SystemAssigned));
}

#[test]
fn deleting_a_scope_draws_its_assignments_to_a_scope_not_found_node() {
    let mut world = shipped_world("vm-keyvault-system-assigned");
    let kv = world.id_of("kv-prod").expect("kv-prod");
    world
        .apply(Command::DeleteResource {
            resource: "kv-prod".into(),
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let g = layout(&world);
    assert_eq!(problems(&g), Vec::<String>::new());
    let ghost = g
        .node(&format!("missing:{kv}"))
        .expect("a node for the deleted vault");
    assert_eq!(
        (
            ghost.kind,
            ghost.label.text.as_str(),
            ghost.sub_label.text.as_str()
        ),
        (NodeKind::Unknown, "kv-prod", "Scope not found")
    );
    assert!(ghost.container.ends_with("/resourceGroups/rg-data"));
    let edge = g
        .edges
        .iter()
        .find(|e| e.to == ghost.id)
        .expect("the orphaned assignment");
    assert_eq!(edge.kind, EdgeKind::OrphanedRoleAssignment);
    assert_eq!(
        edge.accessible_name,
        "Role assignment on a scope that no longer exists: Key Vault Secrets User for vm-web on kv-prod"
    );
    assert_eq!(
        edge.chip.as_ref().map(|c| c.label.as_str()),
        Some("Key Vault Secrets User · scope not found")
    );
}

#[test]
fn accessible_names_say_what_each_element_is() {
    let node = |scenario: &str, kind, name: &str| {
        node_named(&layout(&shipped_world(scenario)), kind, name)
            .accessible_name
            .clone()
    };
    let cases = [
        (
            node("vm-keyvault-system-assigned", NodeKind::Compute, "vm-web"),
            "Virtual machine vm-web, system-assigned identity on",
        ),
        (
            node("vm-keyvault-system-assigned", NodeKind::Target, "kv-prod"),
            "Key vault kv-prod, permission model Azure RBAC",
        ),
        (
            node(
                "functions-shared-uami-storage",
                NodeKind::UserAssignedIdentity,
                "uami-shared",
            ),
            "User-assigned identity uami-shared, attached to func-a, func-b",
        ),
        (
            node("functions-shared-uami-storage", NodeKind::Compute, "func-c"),
            "Function App func-c, system-assigned identity off",
        ),
        (
            node("limitations", NodeKind::OnPremises, "srv-onprem-01"),
            "Server srv-onprem-01 outside Azure, no Azure Arc agent, so no managed identity",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
    let edges = |scenario: &str| -> Vec<String> {
        layout(&shipped_world(scenario))
            .edges
            .iter()
            .filter(|e| e.chip.is_some())
            .map(|e| e.accessible_name.clone())
            .collect()
    };
    assert_eq!(
        edges("vm-keyvault-system-assigned"),
        [
            "Role assignment: Key Vault Secrets User for vm-web on kv-prod (resource scope)",
            "Role assignment: Reader for vm-web on Production (subscription scope)",
        ]
    );
    assert!(
        edges("limitations").contains(
            &"Role assignment: Storage Blob Data Reader for vm-web on reports in stdata \
          (blob container scope), not effective yet (still propagating)"
                .to_string()
        )
    );
}

#[test]
fn chips_name_the_role_and_the_scope_level() {
    let g = layout(&shipped_world("functions-shared-uami-storage"));
    let chips: Vec<(&str, Vec<&str>)> = g
        .edges
        .iter()
        .filter_map(|e| e.chip.as_ref())
        .map(|c| {
            (
                c.label.as_str(),
                c.lines.iter().map(|l| l.text.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        chips,
        [
            (
                "Storage Blob Data Contributor · blob container uploads",
                vec!["Storage Blob Data Contributor", "blob container uploads"]
            ),
            (
                "Storage Queue Data Message Sender · queue jobs",
                vec!["Storage Queue Data Message Sender", "queue jobs"]
            ),
        ]
    );
}

#[test]
fn long_names_are_cut_with_an_ellipsis_and_kept_whole_in_the_accessible_name() {
    let long = "vm-with-a-remarkably-long-name-for-a-demo";
    let world = WorldBuilder::new(3)
        .tenant("contoso")
        .subscription("Production", "contoso", None)
        .resource_group(
            "Production",
            "rg-a-resource-group-with-a-very-long-name-indeed",
        )
        .resource(
            "Production",
            "rg-a-resource-group-with-a-very-long-name-indeed",
            long,
            ResourceKind::VirtualMachine,
        )
        .system_assigned(long)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let g = layout(&world);
    assert_eq!(problems(&g), Vec::<String>::new());
    let vm = node_named(&g, NodeKind::Compute, long);
    assert!(
        vm.label.is_truncated() && vm.label.text.ends_with('…'),
        "{:?}",
        vm.label
    );
    assert!(vm.accessible_name.contains(long));
    let sp = node_named(&g, NodeKind::ServicePrincipal, long);
    assert!(
        sp.label.text.len() > vm.label.text.len(),
        "no badge, more room"
    );
}

#[test]
fn list_view_gives_the_same_world_as_text() {
    let sections = list_view(&shipped_world("vm-keyvault-system-assigned"));
    let text: Vec<(String, Vec<(u8, String)>)> = sections
        .iter()
        .map(|s| {
            let items = s.items.iter().map(|i| (i.level, i.text.clone())).collect();
            (s.title.clone(), items)
        })
        .collect();
    let strip = |t: &str| -> String {
        // Object ids differ per world; keep the words.
        match t.find(", object id") {
            Some(i) => t[..i].to_string(),
            None => t.to_string(),
        }
    };
    let flat: Vec<(String, Vec<(u8, String)>)> = text
        .into_iter()
        .map(|(title, items)| {
            (
                title,
                items.into_iter().map(|(l, t)| (l, strip(&t))).collect(),
            )
        })
        .collect();
    let want: Vec<(String, Vec<(u8, String)>)> = vec![
        (
            "Directory".into(),
            vec![
                (0, "Tenant contoso directory (Entra ID)".into()),
                (1, "Service principal vm-web (ManagedIdentity)".into()),
                (1, "Service principal Microsoft Graph (Application)".into()),
                (
                    1,
                    "Entra ID token service of tenant contoso, issues tokens for its identities"
                        .into(),
                ),
            ],
        ),
        (
            "Resources by resource group".into(),
            vec![
                (0, "Resource group rg-web in subscription Production".into()),
                (
                    1,
                    "Virtual machine vm-web, system-assigned identity on".into(),
                ),
                (
                    0,
                    "Resource group rg-data in subscription Production".into(),
                ),
                (1, "Key vault kv-prod, permission model Azure RBAC".into()),
            ],
        ),
        (
            "Role assignments".into(),
            vec![
                (
                    0,
                    "Role assignment: Key Vault Secrets User for vm-web on kv-prod (resource scope)"
                        .into(),
                ),
                (
                    0,
                    "Role assignment: Reader for vm-web on Production (subscription scope)".into(),
                ),
            ],
        ),
    ];
    assert_eq!(flat, want);
    let ids: Vec<&str> = sections[1].items.iter().map(|i| i.id.as_str()).collect();
    let g = layout(&shipped_world("vm-keyvault-system-assigned"));
    for id in ids {
        assert!(g.node(id).is_some() || g.container(id).is_some(), "{id}");
    }
}

#[test]
fn legend_explains_every_kind_of_node_and_the_chip_and_badge() {
    let entries = legend();
    let kinds = [
        NodeKind::Compute,
        NodeKind::Target,
        NodeKind::UserAssignedIdentity,
        NodeKind::ServicePrincipal,
        NodeKind::TokenService,
        NodeKind::OnPremises,
        NodeKind::Unknown,
    ];
    for kind in kinds {
        assert!(
            entries.iter().any(|e| e.symbol == LegendSymbol::Node(kind)),
            "{kind:?}"
        );
    }
    for symbol in [LegendSymbol::RoleChip, LegendSymbol::SystemAssignedBadge] {
        assert!(entries.iter().any(|e| e.symbol == symbol), "{symbol:?}");
    }
}

#[test]
fn text_is_cut_to_its_room() {
    let cases = [
        ("vm-web", 200, TextSize::Label, "vm-web"),
        ("abcdefghij", 60, TextSize::Label, "abcdefg…"),
        ("abcdefghij", 75, TextSize::Label, "abcdefghij"),
        ("Storage account", 60, TextSize::Small, "Storage …"),
    ];
    for (text, room, size, want) in cases {
        let got = fit(text, room, size);
        assert_eq!(got, want);
        assert!(size.width_of(got.chars().count()) <= room);
    }
}

#[test]
fn the_overlap_check_catches_a_node_moved_onto_another() {
    let mut g = layout(&small_world());
    assert_eq!(problems(&g), Vec::<String>::new());
    let target = g.nodes[1].rect;
    let moved = &mut g.nodes[0];
    let (dx, dy) = (target.x - moved.rect.x, target.y - moved.rect.y);
    moved.rect = target;
    moved.label.x += dx;
    moved.label.y += dy;
    assert!(!problems(&g).is_empty());
}

#[test]
fn a_principal_with_app_roles_says_which_on_its_node() {
    let mut world = shipped_world("appservice-graph-approle");
    let before = layout(&world);
    let sp = before
        .nodes
        .iter()
        .find(|n| n.kind == NodeKind::ServicePrincipal && n.label.full == "app-hr")
        .expect("app-hr's service principal");
    assert_eq!(sp.sub_label.full, "App roles: User.Read.All");
    assert!(
        sp.accessible_name
            .ends_with(", granted app roles Microsoft Graph User.Read.All"),
        "{}",
        sp.accessible_name
    );
    world
        .apply(crate::model::world::Command::RevokeAppRole {
            principal: "app-hr".into(),
            resource_app: "Microsoft Graph".into(),
            app_role: "User.Read.All".into(),
        })
        .expect("revoke");
    let after = layout(&world);
    let sp = after
        .nodes
        .iter()
        .find(|n| n.kind == NodeKind::ServicePrincipal && n.label.full == "app-hr")
        .expect("app-hr's service principal");
    assert!(
        sp.sub_label.full.starts_with("ManagedIdentity · "),
        "{}",
        sp.sub_label.full
    );
}

#[test]
fn the_token_leaves_and_reaches_nodes_by_the_sides_facing_each_other() {
    let rect = |x, y| Rect {
        x,
        y,
        width: 200,
        height: 50,
    };
    let cases = [
        // (what, from, to, path)
        (
            "left to right: right side to left side, arched up",
            rect(0, 100),
            rect(600, 300),
            "M200,125 Q400,25 600,325",
        ),
        (
            "right to left",
            rect(600, 300),
            rect(0, 100),
            "M600,325 Q400,25 200,125",
        ),
        (
            "a short way: arched by 30 at least",
            rect(0, 0),
            rect(220, 0),
            "M200,25 Q210,-5 220,25",
        ),
        (
            "down, one above the other: bottom to top, bowed to the right",
            rect(0, 0),
            rect(50, 400),
            "M100,50 Q237,225 150,400",
        ),
        ("up", rect(50, 400), rect(0, 0), "M150,400 Q237,225 100,50"),
    ];
    for (what, from, to, want) in cases {
        assert_eq!(token_path(&from, &to), want, "{what}");
    }
}

/// The view box a framing gives, rounded to a hundredth of a unit for exact comparison.
fn rounded(v: ViewBox) -> (f64, f64, f64, f64) {
    let r = |x: f64| (x * 100.0).round() / 100.0;
    (r(v.x), r(v.y), r(v.width), r(v.height))
}

#[test]
fn following_a_step_frames_its_parts_as_close_as_allowed_and_inside_the_world() {
    let world = shipped_world("lifecycle");
    let g = layout(&world);
    let vm = node_named(&g, NodeKind::Compute, "vm-web");
    let kv = node_named(&g, NodeKind::Target, "kv-prod");
    let fit = ViewBox::fit(&g);
    let centre = |r: Rect| {
        (
            f64::from(r.x) + f64::from(r.width) / 2.0,
            f64::from(r.y) + f64::from(r.height) / 2.0,
        )
    };
    let lit = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
    let (vm_x, vm_y) = centre(vm.rect);
    let both = (
        f64::from(vm.rect.x.min(kv.rect.x)) - 40.0,
        f64::from(vm.rect.y.min(kv.rect.y)) - 40.0,
        f64::from((vm.rect.x + vm.rect.width).max(kv.rect.x + kv.rect.width)) + 40.0,
        f64::from((vm.rect.y + vm.rect.height).max(kv.rect.y + kv.rect.height)) + 40.0,
    );
    let both_scale = (640.0 / (both.2 - both.0)).min(290.0 / (both.3 - both.1));
    // (what, the parts lit, the pane, the view box framing them)
    type Case<'a> = (&'a str, HashSet<String>, (f64, f64), (f64, f64, f64, f64));
    let cases: [Case; 5] = [
        (
            "nothing lit: the whole world",
            lit(&[]),
            (640.0, 290.0),
            rounded(fit),
        ),
        (
            "one node in a roomy pane: 1.4 pixels a unit at most, centred on it",
            lit(&[&vm.id]),
            (640.0, 290.0),
            rounded(ViewBox {
                x: vm_x - 320.0 / 1.4,
                y: vm_y - 145.0 / 1.4,
                width: 640.0 / 1.4,
                height: 290.0 / 1.4,
            }),
        ),
        (
            "two nodes: both with room around them, the pane's shape about their centre",
            lit(&[&vm.id, &kv.id]),
            (640.0, 290.0),
            rounded(ViewBox {
                x: (both.0 + both.2) / 2.0 - 320.0 / both_scale,
                y: (both.1 + both.3) / 2.0 - 145.0 / both_scale,
                width: 640.0 / both_scale,
                height: 290.0 / both_scale,
            }),
        ),
        (
            "the parts span the world: the whole world",
            g.nodes.iter().map(|n| n.id.clone()).collect(),
            (640.0, 290.0),
            rounded(fit),
        ),
        (
            "the whole world drawn nearly as large as a framing may: no zoom worth taking",
            lit(&[&vm.id]),
            (fit.width * 1.25, fit.height * 1.25),
            rounded(fit),
        ),
    ];
    for (what, lit, pane, want) in cases {
        assert_eq!(rounded(ViewBox::framing(&g, &lit, pane)), want, "{what}");
    }
    // A node at the world's left edge: the view stops at the edge instead of showing
    // empty space beyond it.
    let edge = g
        .nodes
        .iter()
        .min_by_key(|n| n.rect.x)
        .unwrap_or_else(|| panic!("no nodes"));
    let framed = ViewBox::framing(&g, &lit(&[&edge.id]), (640.0, 290.0));
    assert_eq!(
        rounded(ViewBox {
            y: 0.0,
            height: 0.0,
            ..framed
        }),
        rounded(ViewBox {
            x: fit.x,
            y: 0.0,
            width: 640.0 / 1.4,
            height: 0.0
        }),
        "{}",
        edge.id
    );
}

#[test]
fn the_canvas_follows_steps_when_presenting_or_when_the_whole_world_is_too_small_to_read() {
    let g = layout(&shipped_world("lifecycle"));
    let fit = ViewBox::fit(&g);
    let roomy = (fit.width * 1.4, fit.height * 1.4);
    let cramped = (fit.width * 0.5, fit.height * 0.5);
    let cases = [
        (roomy, false, false),
        (roomy, true, true),
        (cramped, false, true),
        (cramped, true, true),
    ];
    for (pane, presenting, follows) in cases {
        assert_eq!(
            ViewBox::follows_steps(&g, pane, presenting),
            follows,
            "{pane:?} presenting={presenting}"
        );
    }
}
