//! `mi-sim walk`: walks one flow of a scenario file, with what-ifs chosen from the flow's list,
//! and prints the walkthrough as text (steps, HTTP exchanges, decoded token, access decision,
//! failure and fix, JWKS) or as JSON.

use crate::cli::print_stdout;
use crate::load::load;
use mi_sim::model::clock::SimTime;
use mi_sim::model::flow::{
    self, ClaimView, DecisionView, Failure, HttpText, SignatureStatus, Step, StepStatus, TokenView,
    Walkthrough,
};
use mi_sim::model::scenario::{self, Flow};
use std::fmt::Write;

/// Walks the flow and prints it; returns the exit code: 0 when the walkthrough was printed
/// (whether or not the flow succeeds), 2 when the file, the flow or a what-if is wrong.
pub fn run(path: &str, flow_name: Option<&str>, what_if_names: &[String], json: bool) -> u8 {
    match render(path, flow_name, what_if_names, json) {
        Ok(text) => {
            print_stdout(&text);
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn render(
    path: &str,
    flow_name: Option<&str>,
    what_if_names: &[String],
    json: bool,
) -> Result<String, String> {
    let loaded = load(path).map_err(|e| e.to_string())?;
    let scenario = &loaded.scenario;
    let flow = pick_flow(scenario, flow_name).map_err(|e| format!("{path}: {e}"))?;
    let specs = what_if_names
        .iter()
        .map(|name| pick_what_if(flow, name))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{path}: {e}"))?;
    let what_ifs = specs
        .iter()
        .map(|spec| flow::WhatIf::from_spec(spec))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{path}: flow {}: {e}", flow.name))?;
    let walkthrough = flow::walk(&loaded.sim, flow, &what_ifs)
        .map_err(|e| format!("{path}: flow {}: {e}", flow.name))?;
    if json {
        let id = scenario.id.clone().unwrap_or_else(|| {
            loaded
                .name
                .strip_suffix(".json")
                .unwrap_or(&loaded.name)
                .to_string()
        });
        let value = serde_json::json!({
            "scenario": id,
            "flow": flow.name,
            "walkthrough": mi_sim::model::json::to_value(&walkthrough),
        });
        let text = serde_json::to_string_pretty(&value)
            .map_err(|e| format!("{path}: cannot write the walkthrough as JSON: {e}"))?;
        return Ok(text + "\n");
    }
    Ok(text(&loaded.name, scenario, &specs, &walkthrough))
}

/// The flow named `name`, or the first one; the error lists the flows there are.
fn pick_flow<'s>(scenario: &'s scenario::Scenario, name: Option<&str>) -> Result<&'s Flow, String> {
    let names: Vec<&str> = scenario.flows.iter().map(|f| f.name.as_str()).collect();
    match name {
        Some(name) => scenario.flow(name).ok_or_else(|| {
            if names.is_empty() {
                format!("no flow named \"{name}\": the scenario has no flows")
            } else {
                format!("no flow named \"{name}\" (available: {})", names.join(", "))
            }
        }),
        None => scenario
            .flows
            .first()
            .ok_or_else(|| "the scenario has no flows to walk".to_string()),
    }
}

/// The flow's what-if whose `change` is `name`; the error lists the flow's what-ifs.
fn pick_what_if<'f>(flow: &'f Flow, name: &str) -> Result<&'f scenario::WhatIf, String> {
    flow.what_ifs
        .iter()
        .find(|w| w.change == name)
        .ok_or_else(|| {
            if flow.what_ifs.is_empty() {
                format!(
                    "flow {} has no what-if \"{name}\": it has no what-ifs",
                    flow.name
                )
            } else {
                let changes: Vec<&str> = flow.what_ifs.iter().map(|w| w.change.as_str()).collect();
                format!(
                    "flow {} has no what-if \"{name}\" (available: {})",
                    flow.name,
                    changes.join(", ")
                )
            }
        })
}

/// The walkthrough as text a person reads in a terminal.
fn text(
    file: &str,
    scenario: &scenario::Scenario,
    what_ifs: &[&scenario::WhatIf],
    w: &Walkthrough,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Scenario: {} ({file})", scenario.title);
    let _ = writeln!(out, "Flow: {} ({})", w.title, w.flow);
    for what_if in what_ifs {
        let _ = writeln!(out, "What if {} ({})", what_if.title, what_if.change);
    }
    // The target's steps (call, validate, access, answer) share one exchange: print it once.
    let mut shown: Vec<(&HttpText, usize)> = Vec::new();
    for (i, step) in w.steps.iter().enumerate() {
        out.push('\n');
        step_text(&mut out, i + 1, step, &mut shown);
    }
    out.push('\n');
    match &w.failure {
        None => out.push_str("Result: success\n"),
        Some(failure) => failure_text(&mut out, failure),
    }
    out.push('\n');
    out.push_str("JWKS (the keys that verify the tokens above):\n");
    let jwks = serde_json::to_string_pretty(&w.jwks).unwrap_or_else(|_| w.jwks.to_string());
    indent(&mut out, "  ", &jwks);
    out
}

fn status_word(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Done => "done",
        StepStatus::Cached => "cached",
        StepStatus::Skipped => "skipped",
        StepStatus::Failed => "failed",
    }
}

fn step_text<'w>(
    out: &mut String,
    number: usize,
    step: &'w Step,
    shown: &mut Vec<(&'w HttpText, usize)>,
) {
    let _ = writeln!(
        out,
        "Step {number}. {} [{}, {}, {}]",
        step.title,
        step.kind.name(),
        status_word(step.status),
        SimTime(step.time).iso8601()
    );
    indent(out, "  ", &step.narration);
    let count = step.http.len();
    for (i, http) in step.http.iter().enumerate() {
        let position = (count > 1).then_some((i + 1, count));
        match shown.iter().find(|(seen, _)| *seen == http) {
            Some((_, first)) => {
                let which = position.map_or(String::new(), |(i, n)| format!(" {i} of {n}"));
                let _ = writeln!(out, "  Request and response{which}: as in step {first}");
            }
            None => {
                http_text(out, position, http);
                shown.push((http, number));
            }
        }
    }
    if let Some(token) = &step.token {
        token_text(out, token);
    }
    if let Some(decision) = &step.decision {
        decision_text(out, decision);
    }
    if !step.notes.is_empty() {
        out.push_str("  Notes:\n");
        for note in &step.notes {
            let flag = if note.simulated { " (simulated)" } else { "" };
            indent(out, "    - ", &format!("{}{flag}", note.text));
        }
    }
}

fn http_text(out: &mut String, position: Option<(usize, usize)>, http: &HttpText) {
    let which = match position {
        Some((i, n)) => format!(" {i} of {n}"),
        None => String::new(),
    };
    let _ = writeln!(out, "  Request{which}:");
    indent(out, "    ", &http.request);
    let mut about = Vec::new();
    if let Some(status) = http.status {
        about.push(format!("status {status}"));
    } else {
        about.push("no response".to_string());
    }
    if http.simulated {
        about.push("exact form simulated".to_string());
    }
    let _ = writeln!(out, "  Response{which} ({}):", about.join(", "));
    indent(out, "    ", &http.response);
}

fn claim_line(claim: &ClaimView) -> String {
    let value = serde_json::to_string(&claim.value).unwrap_or_default();
    match &claim.date {
        Some(date) => format!("{}: {value} ({date}): {}", claim.name, claim.explanation),
        None => format!("{}: {value}: {}", claim.name, claim.explanation),
    }
}

fn token_text(out: &mut String, token: &TokenView) {
    out.push_str("  Token:\n");
    let _ = writeln!(out, "    {}", token.raw);
    out.push_str("    Header:\n");
    for claim in &token.header {
        indent(out, "      ", &claim_line(claim));
    }
    out.push_str("    Claims:\n");
    for claim in &token.claims {
        indent(out, "      ", &claim_line(claim));
    }
    match &token.signature {
        SignatureStatus::Verified { kid } => {
            let _ = writeln!(out, "    Signature: verified with key {kid} from the JWKS");
        }
        SignatureStatus::Invalid { reason } => {
            let _ = writeln!(out, "    Signature: does not verify: {reason}");
        }
    }
}

fn decision_text(out: &mut String, decision: &DecisionView) {
    let answer = if decision.allowed {
        "allowed"
    } else {
        "denied"
    };
    // The reason usually opens with the answer ("Denied: no role assignment …").
    if decision.reason.to_lowercase().starts_with(answer) {
        let _ = writeln!(out, "  Access: {}", decision.reason);
    } else {
        let _ = writeln!(out, "  Access: {answer}: {}", decision.reason);
    }
    out.push_str("  Trace (→ marks the decisive line):\n");
    for line in &decision.trace {
        let mark = if line.decisive { "  → " } else { "    " };
        indent(out, mark, &line.text);
    }
    if let Some(suggestion) = &decision.suggestion {
        let _ = writeln!(out, "  Least privilege: {suggestion}");
    }
}

fn failure_text(out: &mut String, failure: &Failure) {
    let status = match failure.status {
        Some(s) => format!(" ({s})"),
        None => String::new(),
    };
    let _ = writeln!(out, "Result: failure at {}{status}", failure.at.name());
    indent(out, "  ", &failure.error);
    match &failure.fix {
        Some(fix) => {
            let _ = writeln!(out, "Fix: {}", fix.title);
        }
        None => out.push_str("Fix: none the simulator knows\n"),
    }
}

/// Appends `text` with `prefix` before its first line and as many spaces before the others,
/// dropping carriage returns and trailing blank lines.
fn indent(out: &mut String, prefix: &str, text: &str) {
    let rest = " ".repeat(prefix.chars().count());
    for (i, line) in text.trim_end().lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let lead = if i == 0 { prefix } else { rest.as_str() };
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{lead}{line}");
        }
    }
}
