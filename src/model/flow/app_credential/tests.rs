//! Native tests of client-secret and federated walkthroughs against the shipped
//! `secret-vs-federation` scenario.

use super::*;
use crate::model::flow::walk;
use crate::model::jwt::{Jwk, verify_signature};
use crate::model::scenario::Scenario;

const SCENARIO: &str = "secret-vs-federation";
const SECRET_FLOW: &str = "upload-with-secret";
const FEDERATED_FLOW: &str = "upload-with-federation";

fn load() -> (Scenario, Simulation) {
    let path = format!(
        "{}/static/scenarios/{SCENARIO}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let scenario = Scenario::from_json(&text).unwrap();
    let world = scenario.build_world().unwrap();
    (scenario, Simulation::new(world))
}

fn flow<'a>(scenario: &'a Scenario, name: &str) -> &'a Flow {
    scenario.flows.iter().find(|f| f.name == name).unwrap()
}

/// The walkthrough's JWKS document read back into keys.
fn jwks_of(w: &Walkthrough) -> Jwks {
    let keys = w.jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| Jwk {
            kty: k["kty"].as_str().unwrap().to_string(),
            key_use: k["use"].as_str().unwrap().to_string(),
            kid: k["kid"].as_str().unwrap().to_string(),
            x5t: k["x5t"].as_str().map(str::to_string),
            n: k["n"].as_str().unwrap().to_string(),
            e: k["e"].as_str().unwrap().to_string(),
            alg: k["alg"].as_str().map(str::to_string),
        })
        .collect();
    Jwks { keys }
}

fn claim_value(step: &Step, name: &str) -> serde_json::Value {
    step.token
        .as_ref()
        .unwrap()
        .claims
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.value.clone())
        .unwrap_or_default()
}

fn app_client_id(sim: &Simulation, app: &str) -> ClientId {
    signer(&sim.world, app).unwrap().client_id
}

#[test]
fn both_flows_walk_from_credential_to_answer() {
    use StepKind::*;
    let (scenario, sim) = load();
    for name in [SECRET_FLOW, FEDERATED_FLOW] {
        let w = walk(&sim, flow(&scenario, name), &[]).unwrap();
        assert!(w.succeeded(), "{name}: {:?}", w.failure);
        assert_eq!(
            w.step_kinds(),
            [Credential, Endpoint, Issue, Call, Validate, Access, Answer],
            "{name}"
        );
        assert!(
            w.steps.iter().all(|s| s.status == StepStatus::Done),
            "{name}"
        );
        let answer = w.step(Answer).unwrap();
        assert_eq!(answer.http[0].status, Some(201), "{name}");
    }
}

#[test]
fn each_what_if_ends_as_the_scenario_expects() {
    let (scenario, sim) = load();
    // (flow, change, error code the failure names)
    let codes = [
        (SECRET_FLOW, "leakSecret", None),
        (FEDERATED_FLOW, "wrongSubject", Some("AADSTS700213")),
        (FEDERATED_FLOW, "expiredToken", Some("AADSTS700024")),
    ];
    for (name, change, code) in codes {
        let f = flow(&scenario, name);
        let spec = f.what_ifs.iter().find(|w| w.change == change).unwrap();
        let expect = spec.expect.as_ref().unwrap();
        let what_if = WhatIf::from_spec(spec).unwrap();
        let w = walk(&sim, f, &[what_if]).unwrap();
        let label = format!("{name} + {change}");
        match &w.failure {
            None => {
                assert_eq!(expect.outcome, "success", "{label}");
                assert_eq!(code, None, "{label}");
            }
            Some(failure) => {
                assert_eq!(expect.outcome, "failure", "{label}");
                assert_eq!(
                    Some(failure.at.name()),
                    expect.fails_at.as_deref(),
                    "{label}"
                );
                assert_eq!(failure.status, expect.status, "{label}");
                let code = code.unwrap();
                assert!(failure.error.contains(code), "{label}: {}", failure.error);
                assert_eq!(w.steps.last().unwrap().status, StepStatus::Failed);
            }
        }
    }
}

#[test]
fn issued_tokens_verify_against_the_walkthrough_jwks() {
    let (scenario, sim) = load();
    // (flow, appidacr)
    for (name, appidacr) in [(SECRET_FLOW, "1"), (FEDERATED_FLOW, "2")] {
        let w = walk(&sim, flow(&scenario, name), &[]).unwrap();
        let issue = w.step(StepKind::Issue).unwrap();
        let token = issue.token.as_ref().unwrap();
        assert!(verify_signature(&token.raw, &jwks_of(&w)).is_ok(), "{name}");
        assert!(matches!(
            token.signature,
            super::super::SignatureStatus::Verified { .. }
        ));
        assert_eq!(claim_value(issue, "appidacr"), json!(appidacr), "{name}");
        assert_eq!(
            claim_value(issue, "aud"),
            json!("https://storage.azure.com"),
            "{name}"
        );
        let iat = claim_value(issue, "iat").as_i64().unwrap();
        let exp = claim_value(issue, "exp").as_i64().unwrap();
        assert_eq!(exp - iat, 3_599 + 300, "{name}: about an hour");
        // The token names the app's service principal, which the target checked.
        let app = flow(&scenario, name).app.clone().unwrap();
        let oid = signer(&sim.world, &app).unwrap().object_id;
        assert_eq!(claim_value(issue, "oid"), json!(oid.to_string()), "{name}");
        let access = w.step(StepKind::Access).unwrap();
        assert!(access.decision.as_ref().unwrap().allowed, "{name}");
        assert!(access.elements.contains(&oid.to_string()), "{name}");
    }
}

#[test]
fn the_secret_is_masked_everywhere_but_its_first_three_characters() {
    let (scenario, sim) = load();
    let secret = client_secret(app_client_id(&sim, "app-deploy-secret"));
    assert_eq!(secret.len(), 40);
    assert_eq!(&secret[3..6], "8Q~");
    for what_ifs in [vec![], vec![WhatIf::LeakSecret]] {
        let w = walk(&sim, flow(&scenario, SECRET_FLOW), &what_ifs).unwrap();
        let all = crate::model::json::to_text(&w);
        assert!(
            !all.contains(&secret),
            "the secret leaks into the walkthrough"
        );
        let endpoint = w.step(StepKind::Endpoint).unwrap();
        let masked = format!("client_secret={}{}", &secret[..3], "*".repeat(37));
        assert!(
            endpoint.http[0].request.contains(&masked),
            "{}",
            endpoint.http[0].request
        );
        for field in [
            "grant_type=client_credentials",
            "scope=https%3A%2F%2Fstorage.azure.com%2F.default",
            "client_id=",
        ] {
            assert!(endpoint.http[0].request.contains(field), "{field}");
        }
        assert!(
            endpoint.http[0].request.starts_with("POST /"),
            "{}",
            endpoint.http[0].request
        );
        let credential = w.step(StepKind::Credential).unwrap();
        assert!(credential.narration.contains("AZURE_CLIENT_SECRET"));
    }
}

#[test]
fn masking_keeps_the_rest_of_the_request_intact() {
    let request = client_secret_token_request(
        TenantId(crate::model::ids::Guid(1)),
        ClientId(crate::model::ids::Guid(2)),
        "https://storage.azure.com/.default",
        "abc8Q~secret",
    );
    let text = masked_request_text(&request);
    assert_eq!(
        text,
        request.to_text().replace("abc8Q~secret", "abc*********")
    );
    let no_secret = HttpRequest::get("example.com", "/", &[]);
    assert_eq!(masked_request_text(&no_secret), no_secret.to_text());
}

#[test]
fn a_leaked_secret_works_from_an_attackers_laptop() {
    let (scenario, sim) = load();
    let w = walk(&sim, flow(&scenario, SECRET_FLOW), &[WhatIf::LeakSecret]).unwrap();
    assert!(w.succeeded(), "{:?}", w.failure);
    let credential = w.step(StepKind::Credential).unwrap();
    assert!(credential.narration.contains("leaked"));
    assert!(
        credential
            .notes
            .iter()
            .any(|n| !n.simulated && n.text.contains("works from anywhere"))
    );
    assert!(
        w.step(StepKind::Endpoint)
            .unwrap()
            .title
            .contains("attacker")
    );
    assert!(
        w.step(StepKind::Call)
            .unwrap()
            .narration
            .starts_with("The attacker's laptop")
    );
    assert!(w.steps.iter().all(|s| s.status != StepStatus::Failed));
}

#[test]
fn the_github_token_is_short_lived_verified_and_carries_the_flows_subject() {
    let (scenario, sim) = load();
    let f = flow(&scenario, FEDERATED_FLOW);
    let w = walk(&sim, f, &[]).unwrap();
    let credential = w.step(StepKind::Credential).unwrap();
    let token = credential.token.as_ref().unwrap();
    assert!(verify_signature(&token.raw, &github_jwks().unwrap()).is_ok());
    assert!(matches!(
        token.signature,
        super::super::SignatureStatus::Verified { .. }
    ));
    let subject = &f.assertion.as_ref().unwrap().subject;
    assert_eq!(claim_value(credential, "sub"), json!(subject));
    assert_eq!(claim_value(credential, "iss"), json!(GITHUB_ISSUER));
    assert_eq!(
        claim_value(credential, "aud"),
        json!(AZURE_AD_TOKEN_EXCHANGE)
    );
    let iat = claim_value(credential, "iat").as_i64().unwrap();
    let exp = claim_value(credential, "exp").as_i64().unwrap();
    assert_eq!(exp - iat, 300);
    assert!(credential.narration.contains("nothing to leak"));
    let endpoint = &w.step(StepKind::Endpoint).unwrap().http[0].request;
    for field in [
        "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer",
        &format!("client_assertion={}", token.raw),
        "grant_type=client_credentials",
        "scope=https%3A%2F%2Fstorage.azure.com%2F.default",
    ] {
        assert!(endpoint.contains(field), "{field}");
    }
    assert!(!endpoint.contains("client_secret"));
}

#[test]
fn a_wrong_subject_fails_with_aadsts700213_and_a_new_credential_fixes_it() {
    let (scenario, sim) = load();
    let f = flow(&scenario, FEDERATED_FLOW);
    let subject = "repo:contoso/web:ref:refs/heads/main";
    let what_ifs = [WhatIf::WrongSubject {
        subject: Some(subject.to_string()),
    }];
    let w = walk(&sim, f, &what_ifs).unwrap();
    let failure = w.failure.as_ref().unwrap();
    assert_eq!(
        (failure.at, failure.status),
        (StepKind::Endpoint, Some(400))
    );
    assert!(failure.error.contains("\"error\":\"invalid_client\""));
    assert!(failure.error.contains(&format!(
        "AADSTS700213: No matching federated identity record found for presented assertion subject '{subject}'"
    )));
    let endpoint = w.step(StepKind::Endpoint).unwrap();
    assert!(endpoint.http[0].simulated);
    assert!(endpoint.notes.iter().any(|n| n.simulated));
    assert_eq!(
        claim_value(w.step(StepKind::Credential).unwrap(), "sub"),
        json!(subject)
    );
    let fix = failure.fix.as_ref().unwrap();
    let FixAction::Apply { commands } = &fix.action else {
        panic!("{fix:?}");
    };
    assert_eq!(
        commands,
        &vec![Command::AddFederatedCredential {
            identity: "app-deploy-github".into(),
            name: "contoso-web-ref-refs-heads-main".into(),
            issuer: GITHUB_ISSUER.into(),
            subject: subject.into(),
            audiences: vec![AZURE_AD_TOKEN_EXCHANGE.into()],
        }]
    );
    let mut fixed = sim.clone();
    for c in commands {
        fixed.apply(c.clone()).unwrap();
    }
    assert!(walk(&fixed, f, &what_ifs).unwrap().succeeded());
}

#[test]
fn an_expired_github_token_fails_the_exchange_and_a_fresh_one_fixes_it() {
    let (scenario, sim) = load();
    let f = flow(&scenario, FEDERATED_FLOW);
    let w = walk(&sim, f, &[WhatIf::ExpiredToken]).unwrap();
    let failure = w.failure.as_ref().unwrap();
    assert_eq!(
        (failure.at, failure.status),
        (StepKind::Endpoint, Some(400))
    );
    assert!(failure.error.contains("AADSTS700024"), "{}", failure.error);
    let credential = w.step(StepKind::Credential).unwrap();
    assert_eq!(credential.time, sim.now().0 - EXPIRED_ASSERTION_AGE);
    assert_eq!(
        failure.fix.as_ref().map(|x| &x.action),
        Some(&FixAction::DropWhatIf { index: 0 })
    );
}

#[test]
fn an_expired_app_token_is_refused_by_the_target() {
    let (scenario, sim) = load();
    let w = walk(&sim, flow(&scenario, SECRET_FLOW), &[WhatIf::ExpiredToken]).unwrap();
    let failure = w.failure.as_ref().unwrap();
    assert_eq!(
        (failure.at, failure.status),
        (StepKind::Validate, Some(401))
    );
}

#[test]
fn the_secret_expires_after_180_days() {
    let (scenario, sim) = load();
    let what_ifs = [WhatIf::AdvanceClock {
        minutes: 181 * 24 * 60,
    }];
    let w = walk(&sim, flow(&scenario, SECRET_FLOW), &what_ifs).unwrap();
    let failure = w.failure.as_ref().unwrap();
    assert_eq!(
        (failure.at, failure.status),
        (StepKind::Endpoint, Some(401))
    );
    assert!(failure.error.contains("AADSTS7000215"), "{}", failure.error);
}

#[test]
fn a_user_assigned_identity_can_be_the_federation_target() {
    let (scenario, sim) = load();
    let f = Flow {
        app: Some("uami-deploy".into()),
        assertion: Some(crate::model::scenario::AssertionSpec {
            issuer: GITHUB_ISSUER.into(),
            subject: "repo:contoso/web:environment:Release".into(),
        }),
        ..flow(&scenario, FEDERATED_FLOW).clone()
    };
    let w = walk(&sim, &f, &[]).unwrap();
    assert!(w.succeeded(), "{:?}", w.failure);
    assert!(
        w.step(StepKind::Credential)
            .unwrap()
            .narration
            .contains("a user-assigned identity")
    );
}

#[test]
fn what_ifs_and_flows_that_do_not_fit_are_errors() {
    let (scenario, sim) = load();
    let secret = flow(&scenario, SECRET_FLOW);
    let federated = flow(&scenario, FEDERATED_FLOW);
    let cases: Vec<(Flow, Vec<WhatIf>, &str)> = vec![
        (
            federated.clone(),
            vec![WhatIf::LeakSecret],
            "what-if \"leakSecret\" does not apply to a federated flow",
        ),
        (
            secret.clone(),
            vec![WhatIf::WrongSubject { subject: None }],
            "what-if \"wrongSubject\" does not apply to a clientSecret flow",
        ),
        (
            secret.clone(),
            vec![WhatIf::NoMetadataHeader],
            "what-if \"noMetadataHeader\" does not apply to a clientSecret flow",
        ),
        (
            Flow {
                app: Some("app-nope".into()),
                ..secret.clone()
            },
            vec![],
            "the host has no identity named \"app-nope\"",
        ),
        (
            Flow {
                app: Some("uami-deploy".into()),
                ..secret.clone()
            },
            vec![],
            "credential \"clientSecret on the user-assigned identity uami-deploy\" is not one the walkthrough knows",
        ),
        (
            Flow {
                assertion: Some(crate::model::scenario::AssertionSpec {
                    issuer: "https://accounts.google.com".into(),
                    subject: "1234".into(),
                }),
                ..federated.clone()
            },
            vec![],
            "credential \"federated with issuer https://accounts.google.com\" is not one the walkthrough knows",
        ),
    ];
    for (f, what_ifs, message) in cases {
        assert_eq!(walk(&sim, &f, &what_ifs).unwrap_err().to_string(), message);
    }
}

#[test]
fn github_subjects_become_the_matching_workflow_run() {
    // (subject, environment, git ref, event)
    let cases = [
        (
            "repo:contoso/web:environment:Production",
            Some("Production"),
            "refs/heads/main",
            "push",
        ),
        (
            "repo:contoso/web:ref:refs/tags/v1",
            None,
            "refs/tags/v1",
            "push",
        ),
        (
            "repo:contoso/web:pull_request",
            None,
            "refs/pull/1/merge",
            "pull_request",
        ),
    ];
    for (subject, environment, git_ref, event) in cases {
        let run = workflow_run(subject);
        assert_eq!(run.subject(), subject);
        assert_eq!(run.repository, "contoso/web");
        assert_eq!(run.environment.as_deref(), environment);
        assert_eq!(run.git_ref, git_ref);
        assert_eq!(run.event_name, event);
    }
    let mut ids = IdGen::new(1);
    let odd = github_assertion("not-a-github-subject", 1_000, &mut ids).unwrap();
    assert_eq!(claim(&odd, "sub"), "not-a-github-subject");
    assert!(verify_signature(&odd.token, &github_jwks().unwrap()).is_ok());
}

#[test]
fn walking_leaves_the_simulation_unchanged() {
    let (scenario, sim) = load();
    let before = sim.clone();
    let _ = walk(&sim, flow(&scenario, SECRET_FLOW), &[WhatIf::LeakSecret]);
    let _ = walk(
        &sim,
        flow(&scenario, FEDERATED_FLOW),
        &[WhatIf::WrongSubject { subject: None }],
    );
    assert_eq!(sim, before);
}
