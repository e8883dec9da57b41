//! `mi-sim check`: evaluates every expectation a scenario file carries — access checks, flow
//! outcomes, and the expected outcome of each what-if — and prints one PASS or FAIL line each,
//! then `N passed, M failed`.

use crate::load::{Loaded, is_index, load};
use mi_sim::model::flow::{self, Walkthrough};
use mi_sim::model::scenario::{Expectation, Flow, FlowExpectation, FlowOutcome, WhatIf};
use std::io::Write;

/// One evaluated expectation.
struct Line {
    passed: bool,
    /// What was checked and how it came out, without the file name.
    text: String,
}

/// Checks every file (skipping a scenario index, see [`is_index`]); returns the exit code: 2 if a file could not be loaded, else 1 if an
/// expectation failed, else 0.
pub fn run(files: &[String]) -> u8 {
    let (mut passed, mut failed, mut invalid) = (0usize, 0usize, false);
    let mut out = std::io::stdout().lock();
    for path in files {
        if is_index(path) {
            continue;
        }
        let loaded = match load(path) {
            Ok(loaded) => loaded,
            Err(e) => {
                // Flush first so that the error lands after the lines of earlier files.
                let _ = out.flush();
                eprintln!("error: {e}");
                invalid = true;
                continue;
            }
        };
        for line in check(&loaded) {
            let word = if line.passed { "PASS" } else { "FAIL" };
            let _ = writeln!(out, "{word} {}: {}", loaded.name, line.text);
            if line.passed {
                passed += 1;
            } else {
                failed += 1;
            }
        }
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    let _ = out.flush();
    if invalid {
        2
    } else if failed > 0 {
        1
    } else {
        0
    }
}

/// The scenario's expectations in file order, then each flow's what-ifs that say how the flow
/// should end.
fn check(loaded: &Loaded) -> Vec<Line> {
    let scenario = &loaded.scenario;
    let mut access = scenario
        .check_expectations_access(&loaded.sim.world)
        .into_iter();
    let mut lines = Vec::new();
    for expectation in &scenario.expectations {
        match expectation {
            Expectation::Flow(e) => lines.push(check_flow(loaded, e)),
            // `check_expectations_access` answers the access expectations in file order.
            Expectation::Access(_) => {
                if let Some(r) = access.next() {
                    lines.push(Line {
                        passed: r.passed,
                        text: if r.passed {
                            format!("{}: {}", r.question, r.actual)
                        } else {
                            format!("{}: expected {}, got {}", r.question, r.expected, r.actual)
                        },
                    });
                }
            }
        }
    }
    for f in &scenario.flows {
        for what_if in &f.what_ifs {
            if let Some(expect) = &what_if.expect {
                lines.push(check_what_if(loaded, f, what_if, expect));
            }
        }
    }
    lines
}

/// How a flow should end, from a flow expectation or a what-if's `expect`.
struct Wanted<'a> {
    outcome: &'a str,
    fails_at: Option<&'a str>,
    status: Option<u16>,
}

impl Wanted<'_> {
    /// `success`, `failure`, `failure at endpoint`, `failure at endpoint (400)`.
    fn text(&self) -> String {
        let mut text = self.outcome.to_string();
        if let Some(at) = self.fails_at {
            text.push_str(&format!(" at {at}"));
        }
        if let Some(status) = self.status {
            text.push_str(&format!(" ({status})"));
        }
        text
    }

    /// What a PASS line says: `succeeds`, `fails at access (403)`.
    fn verb(&self) -> String {
        if self.outcome == "success" {
            return "succeeds".into();
        }
        let text = self.text();
        match text.strip_prefix("failure") {
            Some(rest) => format!("fails{rest}"),
            None => text,
        }
    }

    fn holds(&self, walkthrough: &Walkthrough) -> bool {
        match (&walkthrough.failure, self.outcome) {
            (None, "success") => true,
            (Some(failure), "failure") => {
                self.fails_at.is_none_or(|at| at == failure.at.name())
                    && self.status.is_none_or(|s| Some(s) == failure.status)
            }
            _ => false,
        }
    }
}

/// How a walk ended, in the words of [`Wanted::text`]: `success`, `failure at validate (401)`.
fn outcome_text(walkthrough: &Walkthrough) -> String {
    match &walkthrough.failure {
        None => "success".into(),
        Some(failure) => match failure.status {
            Some(status) => format!("failure at {} ({status})", failure.at.name()),
            None => format!("failure at {}", failure.at.name()),
        },
    }
}

fn check_flow(loaded: &Loaded, e: &FlowExpectation) -> Line {
    let subject = format!("flow {}", e.flow);
    let wanted = Wanted {
        outcome: &e.outcome,
        fails_at: e.fails_at.as_deref(),
        status: e.status,
    };
    match loaded.scenario.flow(&e.flow) {
        Some(f) => judge(&subject, &wanted, flow::walk(&loaded.sim, f, &[])),
        None => Line {
            passed: false,
            text: format!("{subject}: the scenario has no flow named \"{}\"", e.flow),
        },
    }
}

fn check_what_if(loaded: &Loaded, f: &Flow, what_if: &WhatIf, expect: &FlowOutcome) -> Line {
    let subject = format!("flow {} with \"{}\"", f.name, what_if.title);
    let wanted = Wanted {
        outcome: &expect.outcome,
        fails_at: expect.fails_at.as_deref(),
        status: expect.status,
    };
    let walked = flow::WhatIf::from_spec(what_if)
        .map_err(|e| e.to_string())
        .and_then(|w| flow::walk(&loaded.sim, f, &[w]).map_err(|e| e.to_string()));
    judge(&subject, &wanted, walked)
}

fn judge<E: ToString>(subject: &str, wanted: &Wanted, walked: Result<Walkthrough, E>) -> Line {
    match walked {
        Ok(w) if wanted.holds(&w) => Line {
            passed: true,
            text: format!("{subject} {}", wanted.verb()),
        },
        Ok(w) => Line {
            passed: false,
            text: format!(
                "{subject}: expected {}, got {}",
                wanted.text(),
                outcome_text(&w)
            ),
        },
        Err(e) => Line {
            passed: false,
            text: format!(
                "{subject}: expected {}, but the flow cannot be walked: {}",
                wanted.text(),
                e.to_string()
            ),
        },
    }
}
