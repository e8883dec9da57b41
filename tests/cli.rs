//! The `mi-sim` command run as a process: `check` on shipped, failing and invalid scenario
//! files, `walk` as text and JSON, what-ifs, usage errors and exit codes; tokens printed by
//! `walk --json` verify against the printed JWKS with an independent JWT library.
#![cfg(not(target_arch = "wasm32"))]

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of the command gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `mi-sim` with `args` from the crate root, so that relative paths name shipped files.
fn mi_sim(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_mi-sim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the mi-sim binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

const VM: &str = "static/scenarios/vm-keyvault-system-assigned.json";

/// A directory of its own under the system's temporary directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("mi-sim-cli-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A small scenario whose every expectation holds: a VM reads a Key Vault secret.
const MINI: &str = r#"{
  "version": 1,
  "title": "Mini",
  "tenants": [{ "name": "contoso" }],
  "subscriptions": [{ "name": "Production" }],
  "resourceGroups": [{ "name": "rg-web" }],
  "resources": [
    { "name": "vm-web", "kind": "virtualMachine", "resourceGroup": "rg-web",
      "identity": { "systemAssigned": true } },
    { "name": "kv-prod", "kind": "keyVault", "resourceGroup": "rg-web", "secrets": ["db-password"] }
  ],
  "roleAssignments": [{ "principal": "vm-web", "role": "Key Vault Secrets User", "scope": "kv-prod" }],
  "flows": [
    {
      "name": "read-secret",
      "title": "vm-web reads db-password",
      "from": "vm-web",
      "target": "kv-prod",
      "operation": "getSecret db-password",
      "whatIfs": [
        {
          "change": "noMetadataHeader",
          "title": "the Metadata header were missing",
          "expect": { "outcome": "failure", "failsAt": "endpoint", "status": 400 }
        },
        {
          "change": "advanceClock",
          "title": "a minute had passed",
          "args": { "minutes": 1 },
          "expect": { "outcome": "success" }
        }
      ]
    }
  ],
  "expectations": [
    { "flow": "read-secret", "outcome": "success" },
    {
      "check": { "principal": "vm-web", "scope": "kv-prod/secrets/db-password",
                 "action": "Microsoft.KeyVault/vaults/secrets/getSecret/action" },
      "allowed": true
    }
  ]
}"#;

const MINI_ACCESS: &str = "vm-web: Microsoft.KeyVault/vaults/secrets/getSecret/action on \
                           kv-prod/secrets/db-password";

/// [`MINI`] with one change made to its JSON.
fn mini_with(change: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(MINI).unwrap();
    change(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

fn shipped_files() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .map(|name| format!("static/scenarios/{name}"))
        .collect();
    files.sort();
    files
}

#[test]
fn check_passes_every_shipped_scenario() {
    // Like `mi-sim check static/scenarios/*.json`: the index among them is skipped.
    let files = shipped_files();
    assert!(
        files.iter().any(|f| f.ends_with("/index.json")),
        "{files:?}"
    );
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let run = mi_sim(&args);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let failing: Vec<&&str> = lines.iter().filter(|l| l.starts_with("FAIL")).collect();
    assert!(failing.is_empty(), "failing expectations:\n{failing:#?}");
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", run.stdout);
    let (summary, results) = lines.split_last().unwrap();
    assert_eq!(*summary, format!("{} passed, 0 failed", results.len()));
    assert!(
        results.iter().all(|l| l.starts_with("PASS ")),
        "{results:#?}"
    );
    // Every shipped scenario (not the index) says something.
    for file in files.iter().filter(|f| !f.ends_with("/index.json")) {
        let name = file.rsplit('/').next().unwrap();
        let prefix = format!("PASS {name}: ");
        assert!(
            results.iter().any(|l| l.starts_with(&prefix)),
            "{name}: no lines"
        );
    }
    for line in [
        "PASS vm-keyvault-system-assigned.json: flow read-secret succeeds",
        "PASS vm-keyvault-system-assigned.json: flow read-secret with \"the Metadata header \
         were missing\" fails at endpoint (400)",
    ] {
        assert!(lines.contains(&line), "missing {line}");
    }
}

#[test]
fn check_prints_a_line_per_expectation_and_exits_by_the_outcome() {
    let scratch = Scratch::new("check-outcomes");
    let passing = [
        "PASS case.json: flow read-secret succeeds".to_string(),
        format!("PASS case.json: {MINI_ACCESS}: allowed (AllowedByRoleAssignment)"),
        "PASS case.json: flow read-secret with \"the Metadata header were missing\" fails at \
         endpoint (400)"
            .to_string(),
        "PASS case.json: flow read-secret with \"a minute had passed\" succeeds".to_string(),
    ];
    type Change = fn(&mut Value);
    /// The line at this index now fails with this text.
    type Failing = Option<(usize, String)>;
    let cases: Vec<(&str, Change, Failing)> = vec![
        ("every expectation holds", |_| {}, None),
        (
            "an access expectation flipped",
            |v| v["expectations"][1]["allowed"] = Value::Bool(false),
            Some((
                1,
                format!(
                    "FAIL case.json: {MINI_ACCESS}: expected denied, got allowed \
                     (AllowedByRoleAssignment)"
                ),
            )),
        ),
        (
            "a flow expected to fail at access",
            |v| {
                v["expectations"][0] = serde_json::json!({
                    "flow": "read-secret", "outcome": "failure", "failsAt": "access", "status": 403
                })
            },
            Some((
                0,
                "FAIL case.json: flow read-secret: expected failure at access (403), got success"
                    .to_string(),
            )),
        ),
        (
            "a what-if expected to succeed",
            |v| v["flows"][0]["whatIfs"][0]["expect"] = serde_json::json!({"outcome": "success"}),
            Some((
                2,
                "FAIL case.json: flow read-secret with \"the Metadata header were missing\": \
                 expected success, got failure at endpoint (400)"
                    .to_string(),
            )),
        ),
        (
            "a what-if that does not break the flow, expected to",
            |v| {
                v["flows"][0]["whatIfs"][1]["expect"] = serde_json::json!({
                    "outcome": "failure", "failsAt": "endpoint", "status": 400
                })
            },
            Some((
                3,
                "FAIL case.json: flow read-secret with \"a minute had passed\": expected \
                 failure at endpoint (400), got success"
                    .to_string(),
            )),
        ),
    ];
    for (name, change, failing) in cases {
        let path = scratch.write("case.json", &mini_with(change));
        let mut expected = passing.to_vec();
        let code = match failing {
            None => {
                expected.push("4 passed, 0 failed".into());
                0
            }
            Some((index, line)) => {
                expected[index] = line;
                expected.push("3 passed, 1 failed".into());
                1
            }
        };
        let run = mi_sim(&["check", &path]);
        assert_eq!((run.code, run.stderr.as_str()), (code, ""), "{name}");
        assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected, "{name}");
    }
}

#[test]
fn check_names_the_file_and_json_path_of_an_invalid_scenario() {
    let scratch = Scratch::new("check-invalid");
    let cases: &[(&str, String, &str)] = &[
        (
            "bad JSON",
            "{\"version\": 1,\n  \"title\": ".to_string(),
            ": line 2, column ",
        ),
        (
            "unknown field",
            mini_with(|v| v["colour"] = Value::from("blue")),
            ": $: unknown field \"colour\"",
        ),
        (
            "unknown kind",
            mini_with(|v| v["resources"][0]["kind"] = Value::from("vm")),
            ": $.resources[0].kind: unknown kind \"vm\" (expected one of virtualMachine, ",
        ),
        (
            "bad reference",
            mini_with(|v| v["roleAssignments"][0]["principal"] = Value::from("vm-wbe")),
            ": $.roleAssignments[0].principal: no identity named \"vm-wbe\" (did you mean \
             \"vm-web\"?)",
        ),
        (
            "unknown flow in an expectation",
            mini_with(|v| v["expectations"][0]["flow"] = Value::from("read-secrets")),
            ": $.expectations[0].flow: ",
        ),
    ];
    for (name, text, message) in cases {
        let path = scratch.write("invalid.json", text);
        let run = mi_sim(&["check", &path]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        let wanted = format!("error: {path}{message}");
        assert!(
            run.stderr.starts_with(&wanted),
            "{name}: wanted {wanted}\ngot {}",
            run.stderr
        );
        assert_eq!(run.stdout, "0 passed, 0 failed\n", "{name}");
    }
}

#[test]
fn check_goes_on_after_an_invalid_file_and_still_exits_2() {
    let scratch = Scratch::new("check-mixed");
    let missing = scratch
        .0
        .join("missing.json")
        .to_string_lossy()
        .into_owned();
    let good = scratch.write("good.json", MINI);
    let bad = scratch.write("bad.json", "[1, 2");
    let run = mi_sim(&["check", &missing, &bad, &good]);
    assert_eq!(run.code, 2);
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].starts_with(&format!("error: {missing}: cannot read: ")),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with(&format!("error: {bad}: line 1, column ")),
        "{}",
        errors[1]
    );
    assert!(
        run.stdout.ends_with("\n4 passed, 0 failed\n"),
        "{}",
        run.stdout
    );
}

/// `walk --json` on a shipped scenario, parsed.
fn walk_json(file: &str, extra: &[&str]) -> Value {
    let mut args = vec!["walk", file, "--json"];
    args.extend_from_slice(extra);
    let run = mi_sim(&args);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{args:?}");
    serde_json::from_str(&run.stdout).expect("walk --json prints JSON")
}

#[test]
fn walk_json_has_the_scenario_flow_steps_and_jwks() {
    let json = walk_json(VM, &[]);
    assert_eq!(json["scenario"], "vm-keyvault-system-assigned");
    assert_eq!(json["flow"], "read-secret");
    let walkthrough = &json["walkthrough"];
    let kinds: Vec<&str> = walkthrough["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "enable",
            "servicePrincipal",
            "credential",
            "endpoint",
            "issue",
            "call",
            "validate",
            "access",
            "answer"
        ]
    );
    assert_eq!(walkthrough["failure"], Value::Null);
    assert!(!walkthrough["jwks"]["keys"].as_array().unwrap().is_empty());
}

#[test]
fn walk_text_shows_the_steps_in_order_the_token_and_the_decisive_trace_line() {
    let json = walk_json(VM, &[]);
    let titles: Vec<String> = json["walkthrough"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_string())
        .collect();
    let run = mi_sim(&["walk", VM]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let out = &run.stdout;
    let mut at = 0;
    for (i, title) in titles.iter().enumerate() {
        let heading = format!("\nStep {}. {title} [", i + 1);
        let found = out[at..]
            .find(&heading)
            .unwrap_or_else(|| panic!("missing or out of order: {heading}\n{out}"));
        at += found + heading.len();
    }
    for part in [
        "Flow: vm-web reads db-password from kv-prod (read-secret)\n",
        "  Request:\n    GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=",
        "    Metadata: true\n",
        "  Response (status 200):\n    HTTP/1.1 200 OK\n",
        "      aud: \"https://vault.azure.net\": Audience: ",
        "    Signature: verified with key ",
        "  Access: Allowed: ",
        "\n  → ",
        "\nResult: success\n",
        "\nJWKS (the keys that verify the tokens above):\n  {\n    \"keys\": [\n",
    ] {
        assert!(out.contains(part), "missing {part:?}\n{out}");
    }
}

#[test]
fn walk_with_a_what_if_shows_the_real_error_and_the_fix() {
    let cases: &[(&str, &[&str])] = &[
        (
            "noMetadataHeader",
            &[
                "What if the Metadata header were missing (noMetadataHeader)\n",
                "[endpoint, failed, ",
                "  Response (status 400):\n    HTTP/1.1 400 Bad Request\n",
                "Required metadata header not specified",
                "\nResult: failure at endpoint (400)\n",
                "\nFix: Undo the change: ",
            ],
        ),
        (
            "removeRoleAssignment",
            &[
                "[access, failed, ",
                "  Access: Denied: ",
                "\nResult: failure at access (403)\n",
            ],
        ),
    ];
    for (change, parts) in cases {
        let run = mi_sim(&["walk", VM, "--what-if", change]);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{change}");
        for part in *parts {
            assert!(run.stdout.contains(part), "{change}: missing {part:?}");
        }
        assert!(!run.stdout.contains("Result: success"), "{change}");
    }
    let json = walk_json(VM, &["--what-if=noMetadataHeader"]);
    assert_eq!(json["walkthrough"]["failure"]["at"], "endpoint");
    assert_eq!(json["walkthrough"]["failure"]["status"], 400);
}

#[test]
fn usage_mistakes_and_unknown_names_exit_2_with_a_message() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "error: no command given\n"),
        (&["frob"], "error: unknown command \"frob\"\n"),
        (&["--frob"], "error: unknown option \"--frob\"\n"),
        (&["check"], "error: check: no scenario file given\n"),
        (
            &["check", "--json", VM],
            "error: check: unknown option \"--json\"\n",
        ),
        (&["walk"], "error: walk: no scenario file given\n"),
        (
            &["walk", VM, "--flow"],
            "error: walk: --flow needs a value\n",
        ),
        (&["walk", VM, VM], "error: walk: one scenario file only"),
        (
            &["walk", VM, "--flow", "nope"],
            "error: static/scenarios/vm-keyvault-system-assigned.json: no flow named \"nope\" \
             (available: read-secret)\n",
        ),
        (
            &["walk", VM, "--what-if", "nope"],
            "error: static/scenarios/vm-keyvault-system-assigned.json: flow read-secret has no \
             what-if \"nope\" (available: noMetadataHeader, ",
        ),
        (
            &["walk", "static/scenarios/no-such-file.json"],
            "error: static/scenarios/no-such-file.json: cannot read: ",
        ),
    ];
    for (args, message) in cases {
        let run = mi_sim(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.starts_with(message),
            "{args:?}: wanted {message}\ngot {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{args:?}");
    }
    // Argument mistakes show the usage too; name mistakes just list what there is.
    assert!(mi_sim(&["frob"]).stderr.contains("\nUsage:\n"));
}

#[test]
fn help_and_version_print_to_stdout() {
    let run = mi_sim(&["--version"]);
    assert_eq!(
        (run.code, run.stdout, run.stderr),
        (
            0,
            format!("mi-sim {}\n", env!("CARGO_PKG_VERSION")),
            String::new()
        )
    );
    for args in [
        &["--help"][..],
        &["-h"],
        &["check", "--help"],
        &["walk", "--help"],
    ] {
        let run = mi_sim(args);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{args:?}");
        assert!(
            run.stdout.contains("\nUsage:\n  mi-sim check FILE...\n"),
            "{args:?}"
        );
        assert!(run.stdout.contains("\n  mi-sim walk FILE "), "{args:?}");
    }
}

/// Verifies `token` with the `jsonwebtoken` crate given only the `n` and `e` of the JWKS key
/// its `kid` names.
fn verify(token: &str, jwks: &Value) -> Value {
    let header = jsonwebtoken::decode_header(token).unwrap();
    let kid = header.kid.expect("the token names its key");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .unwrap_or_else(|| panic!("no key {kid} in {jwks}"));
    let decoding =
        DecodingKey::from_rsa_components(key["n"].as_str().unwrap(), key["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    // Simulated timestamps: lifetime is the simulator's to check, not the machine clock's.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, &decoding, &validation)
        .unwrap_or_else(|e| panic!("token does not verify: {e}"))
        .claims
}

#[test]
fn tokens_from_walk_json_verify_against_the_printed_jwks() {
    let cases = [
        (VM, "read-secret", "https://vault.azure.net"),
        (
            "static/scenarios/appservice-graph-approle.json",
            "list-users",
            "https://graph.microsoft.com",
        ),
    ];
    for (file, flow, audience) in cases {
        let json = walk_json(file, &["--flow", flow]);
        let walkthrough = &json["walkthrough"];
        let tokens: Vec<&Value> = walkthrough["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s.get("token").filter(|t| !t.is_null()))
            .collect();
        assert!(!tokens.is_empty(), "{file}: no token shown");
        for token in tokens {
            assert_eq!(token["signature"]["status"], "verified", "{file}");
            let claims = verify(token["raw"].as_str().unwrap(), &walkthrough["jwks"]);
            assert_eq!(claims["aud"], audience, "{file}");
        }
    }
}

#[test]
fn the_command_uses_no_web_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin");
    let mut files = vec![root.join("mi-sim.rs")];
    if let Ok(entries) = std::fs::read_dir(root.join("mi-sim")) {
        files.extend(entries.flatten().map(|e| e.path()));
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                assert!(
                    !["yew", "web_sys", "js_sys", "gloo", "wasm_bindgen"].contains(&word),
                    "{} uses {word}",
                    file.display()
                );
            }
        }
    }
}
