//! Properties that hold for any sequence of edits, checked with generated cases (proptest):
//! an edit then Undo gives back the same world; worlds, autosaved states and share links
//! survive a round trip through their text; an access decision (its answer, its reason and
//! every line of its trace) does not depend on the order in which role assignments were made.
#![cfg(not(target_arch = "wasm32"))]

use mi_sim::model::json;
use mi_sim::model::rbac::{Action as RbacAction, check_access};
use mi_sim::model::world::{Command, World};
use mi_sim::view::session::{Action, Session};
use mi_sim::view::share;
use proptest::prelude::*;

/// Scenarios whose worlds the edits are drawn against.
const SCENARIOS: [&str; 3] = [
    "vm-keyvault-system-assigned",
    "functions-shared-uami-storage",
    "lifecycle",
];

const ROLES: [&str; 6] = [
    "Reader",
    "Contributor",
    "Key Vault Secrets User",
    "Storage Blob Data Reader",
    "Storage Blob Data Contributor",
    "Owner",
];

/// One edit, as numbers turned into a command against the world as it is then (so most
/// edits name things that exist; the rest are refused, which must change nothing).
#[derive(Clone, Debug)]
struct Edit {
    kind: u8,
    a: usize,
    b: usize,
    c: usize,
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        (0u8..9, 0usize..64, 0usize..64, 0usize..64).prop_map(|(kind, a, b, c)| Edit {
            kind,
            a,
            b,
            c,
        }),
        1..8,
    )
}

fn command(world: &World, e: &Edit) -> Command {
    let resources = world.resources();
    let name = |i: usize| {
        resources
            .get(i % resources.len().max(1))
            .map(|r| r.name.clone())
            .unwrap_or_else(|| "nothing".to_string())
    };
    match e.kind {
        0 => Command::EnableSystemAssigned {
            resource: name(e.a),
        },
        1 => Command::DisableSystemAssigned {
            resource: name(e.a),
        },
        2 => Command::AddRoleAssignment {
            principal: name(e.a),
            role: ROLES[e.b % ROLES.len()].to_string(),
            scope: name(e.c),
            condition: None,
        },
        3 => Command::RemoveRoleAssignment {
            assignment: world
                .role_assignments()
                .get(e.a % world.role_assignments().len().max(1))
                .map(|a| a.id.clone())
                .unwrap_or_default(),
        },
        4 => Command::DeleteResource {
            resource: name(e.a),
        },
        5 => Command::AttachUserAssigned {
            resource: name(e.a),
            identity: name(e.b),
        },
        6 => Command::DetachUserAssigned {
            resource: name(e.a),
            identity: name(e.b),
        },
        7 => Command::AdvanceClock {
            seconds: (e.a as i64 + 1) * 60,
        },
        _ => Command::CreateUserAssigned {
            subscription: world
                .subscriptions()
                .first()
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            resource_group: resources
                .get(e.a % resources.len().max(1))
                .map(|r| r.resource_group.clone())
                .unwrap_or_default(),
            name: format!("id-gen-{}", e.b),
            location: "westeurope".to_string(),
        },
    }
}

/// The session after the edits, and the session before the last accepted one with it.
fn play(scenario: &str, list: &[Edit]) -> (Session, Vec<(Session, Session)>) {
    let mut s = Session::open(scenario);
    let mut accepted = Vec::new();
    for e in list {
        let c = command(&s.sim.world, e);
        let next = s.reduce(Action::Apply(Box::new(c)));
        if next.command_error.is_none() {
            accepted.push((s.clone(), next.clone()));
        } else {
            assert_eq!(next.sim, s.sim, "a refused command changed the world");
        }
        s = next;
    }
    (s, accepted)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn an_edit_then_undo_gives_back_the_same_world(
        scenario in 0usize..SCENARIOS.len(),
        list in edits(),
    ) {
        let (_, accepted) = play(SCENARIOS[scenario], &list);
        for (before, after) in accepted {
            let undone = after.reduce(Action::Undo);
            prop_assert_eq!(&undone.sim, &before.sim);
            prop_assert_eq!(&undone.walkthrough, &before.walkthrough);
            prop_assert_eq!(&undone.reduce(Action::Redo).sim, &after.sim);
        }
    }

    #[test]
    fn worlds_and_saved_states_survive_their_text(
        scenario in 0usize..SCENARIOS.len(),
        list in edits(),
    ) {
        let (s, _) = play(SCENARIOS[scenario], &list);
        let text = json::to_text(&s.sim.world);
        let back: World = json::from_text(&text).unwrap();
        prop_assert_eq!(&back, &s.sim.world);
        let restored = Session::restore_json(&s.save_json()).unwrap();
        prop_assert_eq!(&restored.sim, &s.sim);
        prop_assert_eq!(restored.step, s.step);
    }

    #[test]
    fn share_links_survive_their_text(
        scenario in 0usize..SCENARIOS.len(),
        list in edits(),
        what_if in proptest::option::of(0usize..4),
        step in 0usize..12,
    ) {
        let (mut s, _) = play(SCENARIOS[scenario], &list);
        if let Some(i) = what_if {
            s = s.reduce(Action::ToggleWhatIf(i));
        }
        s = s.reduce(Action::GoToStep(step));
        let opened = share::decode(&share::encode(&s).fragment).unwrap();
        prop_assert_eq!(&opened.sim.world, &s.sim.world);
        prop_assert_eq!(
            (opened.scenario_id.as_str(), opened.flow, opened.step, &opened.what_ifs),
            (s.scenario_id.as_str(), s.flow, s.step, &s.what_ifs)
        );
        prop_assert_eq!(&opened.walkthrough, &s.walkthrough);
    }

    #[test]
    fn an_access_decision_does_not_depend_on_assignment_order(
        scenario in 0usize..SCENARIOS.len(),
        list in edits(),
        order in Just(()).prop_perturb(|_, mut rng| rng.next_u64()),
    ) {
        let (s, _) = play(SCENARIOS[scenario], &list);
        let world = &s.sim.world;
        let mut value = json::to_value(world);
        if let Some(list) = value.get_mut("role_assignments").and_then(|v| v.as_array_mut()) {
            // A permutation from the generated seed (a simple LCG shuffle).
            let mut seed = order;
            for i in (1..list.len()).rev() {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                list.swap(i, (seed >> 33) as usize % (i + 1));
            }
        }
        let shuffled: World = json::FromJson::from_json(&value).unwrap();
        let actions = [
            RbacAction::data("Microsoft.KeyVault/vaults/secrets/getSecret/action"),
            RbacAction::data("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"),
            RbacAction::control("Microsoft.Web/sites/write"),
            RbacAction::control("Microsoft.Storage/storageAccounts/read"),
        ];
        let principals: Vec<_> = world.role_assignments().iter().map(|a| a.principal_id).collect();
        for principal in principals {
            for resource in world.resources() {
                for action in &actions {
                    let a = check_access(world, principal, action, &resource.id);
                    let b = check_access(&shuffled, principal, action, &resource.id);
                    prop_assert_eq!(a, b);
                }
            }
        }
    }
}
