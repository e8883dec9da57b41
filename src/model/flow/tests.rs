//! Native tests of walkthroughs.

use super::*;
use crate::model::platform::Simulation;
use crate::model::scenario::Scenario;

fn load(file: &str) -> (Scenario, Simulation) {
    let path = format!("{}/static/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let world = scenario
        .build_world()
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    (scenario, Simulation::new(world))
}

#[test]
fn explore() {
    let dir = format!("{}/static/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n != "index.json")
        .collect();
    names.sort();
    for name in names {
        let (scenario, sim) = load(&name);
        for flow in &scenario.flows {
            let base = walk(&sim, flow, &[]);
            match &base {
                Ok(w) => println!(
                    "{name} {}: {:?} fail={:?}",
                    flow.name,
                    w.step_kinds(),
                    w.failure.as_ref().map(|f| (
                        f.at,
                        f.status,
                        f.error.chars().take(120).collect::<String>(),
                        f.fix.as_ref().map(|x| x.title.clone())
                    ))
                ),
                Err(e) => println!("{name} {}: ERROR {e}", flow.name),
            }
            for wi in &flow.what_ifs {
                let w = WhatIf::from_spec(wi);
                match w {
                    Err(e) => println!("   whatif {}: BAD {e}", wi.change),
                    Ok(w) => match walk(&sim, flow, &[w]) {
                        Ok(r) => println!(
                            "   whatif {} expect={:?}: fail={:?}",
                            wi.change,
                            wi.expect
                                .as_ref()
                                .map(|e| (&e.outcome, &e.fails_at, e.status)),
                            r.failure.as_ref().map(|f| (
                                f.at,
                                f.status,
                                f.error.chars().take(100).collect::<String>(),
                                f.fix.as_ref().map(|x| x.title.clone())
                            ))
                        ),
                        Err(e) => println!("   whatif {}: ERROR {e}", wi.change),
                    },
                }
            }
        }
    }
}
