//! Scenario files in and out of the page: the file a person downloads (the open scenario's
//! flows, what-ifs, notes, expectations and exercises around the world as edited, and what
//! the format could not carry) and the checks a file goes through before it opens (size,
//! text encoding, JSON, the scenario format, the world it builds).

use crate::model::scenario::Scenario;
use crate::model::world::World;
use serde_json::Value;

/// The largest file that may be opened: 5 MB.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// A scenario file ready to download.
#[derive(Clone, PartialEq, Debug)]
pub struct Download {
    /// `<scenario-id>.json`.
    pub file_name: String,
    /// The file's text: pretty JSON.
    pub json: String,
    /// What the file does not carry, one sentence each (empty when it says everything).
    pub left_out: Vec<String>,
}

/// The file name for a scenario id: `<id>.json`, with anything but letters, digits, `.`,
/// `_` and `-` turned into `-`.
pub fn file_name_for(id: &str) -> String {
    let safe: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let safe = safe.trim_matches(|c| c == '.' || c == '-');
    if safe.is_empty() {
        "scenario.json".to_string()
    } else {
        format!("{safe}.json")
    }
}

/// The open scenario with its world part replaced by `world`: title, description, tags, seed,
/// flows (with their what-ifs and speaker notes), expectations and exercises are kept; tenants
/// to clock come from the world; client secrets and SQL contained users, which the world does
/// not hold, are carried over by name.
pub fn merged(scenario: &Scenario, world: &World) -> Scenario {
    let mut out = Scenario::from_world(world);
    out.id = scenario.id.clone();
    out.title = scenario.title.clone();
    out.description = scenario.description.clone();
    out.tags = scenario.tags.clone();
    out.seed = scenario.seed;
    out.flows = scenario.flows.clone();
    out.expectations = scenario.expectations.clone();
    out.exercises = scenario.exercises.clone();
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    for r in &mut out.resources {
        if let Some(before) = scenario.resources.iter().find(|b| same(&b.name, &r.name)) {
            r.contained_users = before
                .contained_users
                .iter()
                .filter(|u| r.databases.iter().any(|d| same(d, &u.database)))
                .cloned()
                .collect();
        }
    }
    for a in &mut out.app_registrations {
        if let Some(before) = scenario
            .app_registrations
            .iter()
            .find(|b| same(&b.name, &a.name))
        {
            a.client_secret = before.client_secret.clone();
        }
    }
    out
}

/// The file to download for the open scenario `id` and the world as edited. Parts of the
/// scenario that no longer fit the world (a flow from a deleted resource, an expectation on a
/// removed flow, ...) are left out so that the file opens, and said so in `left_out`.
pub fn download(id: &str, scenario: &Scenario, world: &World) -> Download {
    let (file, left_out) = export(id, scenario, world);
    Download {
        file_name: file_name_for(id),
        json: crate::model::json::pretty(&file),
        left_out,
    }
}

/// What [`download`] writes, as a JSON value (fields in format order), and what it leaves out.
pub fn export(id: &str, scenario: &Scenario, world: &World) -> (Value, Vec<String>) {
    let mut left_out = Scenario::export_left_out(world);
    let mut file = merged(scenario, world);
    if file.id.is_none() && !id.is_empty() {
        file.id = Some(id.to_string());
    }
    let mut value = crate::model::json::to_value(&file);
    // Each round removes one item, so the loop ends; the bound is a second guard.
    for _ in 0..1000 {
        let text = serde_json::to_string(&value).unwrap_or_default();
        let problem = match Scenario::from_json(&text) {
            Ok(s) => match s.build_world() {
                Ok(_) => break,
                Err(e) => e,
            },
            Err(e) => e,
        };
        let message = problem.to_string();
        let why = message
            .strip_prefix(&format!("{}: ", problem.path))
            .unwrap_or(&message);
        // The decoder's advice to a file's author ("(set ... on it)") does not apply here.
        let why = match why.find(" (set ") {
            Some(at) if why.ends_with(')') => &why[..at],
            _ => why,
        };
        match remove_item(&mut value, &problem.path) {
            Some(what) => left_out.push(format!("{what}: {why}")),
            None => {
                left_out.push(format!("the file will not open as it is: {message}"));
                break;
            }
        }
    }
    // Read back as a scenario, the fields come out in format order.
    let file = crate::model::json::FromJson::from_json(&value)
        .map(|s: Scenario| crate::model::json::to_value(&s))
        .unwrap_or(value);
    (file, left_out)
}

/// One step of a JSON path: a field or a list index.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Step {
    Field(String),
    Index(usize),
}

/// `$.flows[0].whatIfs[2]` as steps; `None` for anything else.
fn parse_path(path: &str) -> Option<Vec<Step>> {
    let rest = path.strip_prefix('$')?;
    let mut steps = Vec::new();
    for part in rest.split('.').skip(1) {
        let (field, mut indexes) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        steps.push(Step::Field(field.to_string()));
        while let Some(tail) = indexes.strip_prefix('[') {
            let (n, after) = tail.split_once(']')?;
            steps.push(Step::Index(n.parse().ok()?));
            indexes = after;
        }
    }
    Some(steps)
}

/// Removes the item of `flows`, `flows[i].whatIfs`, `resources[i].containedUsers`,
/// `expectations` or `exercises` that `path` points into, and says what it was.
fn remove_item(value: &mut Value, path: &str) -> Option<String> {
    use Step::{Field, Index};
    let steps = parse_path(path)?;
    let field = |s: &Step, name: &str| matches!(s, Field(f) if f == name);
    let at = |s: &Step| match s {
        Index(i) => Some(*i),
        Field(_) => None,
    };
    let name_of = |item: &Value, key: &str| {
        item.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let take = |list: &mut Value, i: usize| -> Option<Value> {
        let list = list.as_array_mut()?;
        (i < list.len()).then(|| list.remove(i))
    };
    let top = steps.first()?;
    let i = steps.get(1).and_then(at)?;
    if field(top, "flows") {
        let deeper = steps.get(2).is_some_and(|s| field(s, "whatIfs"));
        if let (true, Some(j)) = (deeper, steps.get(3).and_then(at)) {
            let flow = value.get_mut("flows")?.get_mut(i)?;
            let flow_name = name_of(flow, "name");
            let what_if = take(flow.get_mut("whatIfs")?, j)?;
            return Some(format!(
                "the what-if \"{}\" of the flow \"{flow_name}\"",
                name_of(&what_if, "title")
            ));
        }
        let flow = take(value.get_mut("flows")?, i)?;
        return Some(format!("the flow \"{}\"", name_of(&flow, "name")));
    }
    if field(top, "resources") {
        let deeper = steps.get(2).is_some_and(|s| field(s, "containedUsers"));
        let j = steps.get(3).and_then(at).filter(|_| deeper)?;
        let resource = value.get_mut("resources")?.get_mut(i)?;
        let server = name_of(resource, "name");
        let user = take(resource.get_mut("containedUsers")?, j)?;
        return Some(format!(
            "the SQL user {} in {server}/{}",
            name_of(&user, "principal"),
            name_of(&user, "database")
        ));
    }
    if field(top, "expectations") {
        let e = take(value.get_mut("expectations")?, i)?;
        return Some(match e.get("check") {
            Some(check) => {
                let what = [name_of(check, "action"), name_of(check, "appRole")].concat();
                let scope = name_of(check, "scope");
                let on = if scope.is_empty() {
                    String::new()
                } else {
                    format!(" on {scope}")
                };
                format!(
                    "the expectation \"{}: {what}{on}\"",
                    name_of(check, "principal")
                )
            }
            None => format!("the expectation on the flow \"{}\"", name_of(&e, "flow")),
        });
    }
    if field(top, "exercises") {
        let exercise = take(value.get_mut("exercises")?, i)?;
        return Some(format!("the exercise \"{}\"", name_of(&exercise, "id")));
    }
    None
}

/// A scenario file that opened: its id, the scenario and the world it builds.
#[derive(Clone, PartialEq, Debug)]
pub struct Opened {
    /// The scenario's `id`, or else the file name without `.json`.
    pub id: String,
    /// The scenario.
    pub scenario: Scenario,
    /// Its world.
    pub world: World,
}

/// The id an opened file goes by: its `id` field, else its file name without `.json`.
pub fn id_for(file_name: &str, scenario: &Scenario) -> String {
    if let Some(id) = scenario.id.as_deref().filter(|id| !id.trim().is_empty()) {
        return id.trim().to_string();
    }
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = match base.len().checked_sub(5) {
        Some(at) if base.is_char_boundary(at) && base[at..].eq_ignore_ascii_case(".json") => {
            &base[..at]
        }
        _ => base,
    };
    let id = file_name_for(stem);
    id.trim_end_matches(".json").to_string()
}

/// Reads a file of `size` bytes (as the browser reports it; `bytes` may be left empty when
/// it is over the limit) as a scenario. The error names the file and says what is wrong:
/// `bad.json: $.resources[0].kind: unknown kind "vm2" (expected one of ...)`,
/// `bad.json: line 3, column 5: ...`, `big.json: not a scenario file (too large: 6.0 MB, the
/// limit is 5 MB)`, `x.json: not UTF-8 text`, `x.json: empty file`.
pub fn open_file(file_name: &str, size: u64, bytes: &[u8]) -> Result<Opened, String> {
    let fail = |why: String| format!("{file_name}: {why}");
    let size = size.max(bytes.len() as u64);
    if size > MAX_FILE_BYTES {
        return Err(fail(format!(
            "not a scenario file (too large: {:.1} MB, the limit is 5 MB)",
            size as f64 / (1024.0 * 1024.0)
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".to_string()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(fail("empty file".to_string()));
    }
    open_text(file_name, text)
}

/// Reads scenario text (already within the size limit and decoded): the scenario format,
/// then the world it builds. The error names the file.
pub fn open_text(file_name: &str, text: &str) -> Result<Opened, String> {
    let fail = |why: String| format!("{file_name}: {why}");
    let scenario = Scenario::from_json(text).map_err(|e| fail(e.to_string()))?;
    let world = scenario.build_world().map_err(|e| fail(e.to_string()))?;
    Ok(Opened {
        id: id_for(file_name, &scenario),
        scenario,
        world,
    })
}

/// What the scenario picker shows for a scenario opened from a file.
pub fn picker_title(title: &str, file_name: &str) -> String {
    format!("{title} (from file {file_name})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::{SHIPPED, shipped};

    fn world_part(s: &Scenario) -> Scenario {
        Scenario {
            id: None,
            title: String::new(),
            description: String::new(),
            tags: Vec::new(),
            seed: None,
            flows: Vec::new(),
            expectations: Vec::new(),
            exercises: Vec::new(),
            ..s.clone()
        }
    }

    #[test]
    fn json_paths_parse_into_fields_and_indexes() {
        use Step::{Field, Index};
        let f = |s: &str| Field(s.to_string());
        let cases = [
            ("$", Some(vec![])),
            ("$.flows[0]", Some(vec![f("flows"), Index(0)])),
            (
                "$.flows[2].whatIfs[11].args",
                Some(vec![
                    f("flows"),
                    Index(2),
                    f("whatIfs"),
                    Index(11),
                    f("args"),
                ]),
            ),
            ("$.expectations[x]", None),
            ("", None),
            ("line 1, column 2", None),
        ];
        for (path, want) in cases {
            assert_eq!(parse_path(path), want, "{path}");
        }
    }

    #[test]
    fn file_names_come_from_the_scenario_id() {
        let cases = [
            ("lifecycle", "lifecycle.json"),
            ("my world (2)", "my-world--2.json"),
            ("../etc/passwd", "etc-passwd.json"),
            ("", "scenario.json"),
            ("  ", "scenario.json"),
        ];
        for (id, want) in cases {
            assert_eq!(file_name_for(id), want, "{id:?}");
        }
    }

    #[test]
    fn an_opened_file_goes_by_its_id_or_its_file_name() {
        let with_id = Scenario::from_json(r#"{"version":1,"id":"mine","title":"T"}"#).unwrap();
        let without = Scenario::from_json(r#"{"version":1,"title":"T"}"#).unwrap();
        let cases = [
            ("x.json", &with_id, "mine"),
            ("team demo.JSON", &without, "team-demo"),
            ("C:\\fakepath\\world.json", &without, "world"),
            ("noext", &without, "noext"),
            (".json", &without, "scenario"),
        ];
        for (file, s, want) in cases {
            assert_eq!(id_for(file, s), want, "{file}");
        }
    }

    #[test]
    fn an_unedited_shipped_scenario_downloads_as_the_same_world_and_walkthroughs() {
        for sh in SHIPPED {
            let original = Scenario::from_json(sh.json).unwrap();
            let world = original.build_world().unwrap();
            let d = download(sh.id, &original, &world);
            assert_eq!(d.file_name, format!("{}.json", sh.id));
            assert_eq!(d.left_out, Vec::<String>::new(), "{}", sh.id);
            let opened = open_file(&d.file_name, d.json.len() as u64, d.json.as_bytes()).unwrap();
            assert_eq!(opened.id, sh.id);
            assert!(opened.world == world, "{}: world changed", sh.id);
            let s = &opened.scenario;
            assert_eq!(
                (&s.title, &s.description, &s.tags, &s.flows),
                (
                    &original.title,
                    &original.description,
                    &original.tags,
                    &original.flows
                ),
                "{}",
                sh.id
            );
            assert_eq!(s.expectations, original.expectations, "{}", sh.id);
            assert_eq!(s.exercises, original.exercises, "{}", sh.id);
        }
    }

    #[test]
    fn a_download_is_pretty_json_in_format_order() {
        let sh = shipped("vm-keyvault-system-assigned").unwrap();
        let s = Scenario::from_json(sh.json).unwrap();
        let d = download(sh.id, &s, &s.build_world().unwrap());
        assert!(
            d.json.starts_with(
                "{\n  \"version\": 1,\n  \"id\": \"vm-keyvault-system-assigned\",\n  \"title\": "
            ),
            "{}",
            &d.json[..80]
        );
    }

    #[test]
    fn merging_keeps_secrets_and_contained_users_the_world_does_not_hold() {
        let with_secret = SHIPPED
            .iter()
            .map(|sh| Scenario::from_json(sh.json).unwrap())
            .find(|s| {
                s.app_registrations
                    .iter()
                    .any(|a| a.client_secret.is_some())
            })
            .expect("a shipped scenario with a client secret");
        let m = merged(&with_secret, &with_secret.build_world().unwrap());
        let secrets = |s: &Scenario| -> Vec<_> {
            s.app_registrations
                .iter()
                .map(|a| (a.name.clone(), a.client_secret.clone()))
                .collect()
        };
        assert_eq!(secrets(&m), secrets(&with_secret));
    }

    #[test]
    fn edits_survive_download_and_open() {
        use crate::model::world::Command;
        let sh = shipped("vm-keyvault-system-assigned").unwrap();
        let original = Scenario::from_json(sh.json).unwrap();
        let base = original.build_world().unwrap();
        let kv = base.resource_named("kv-prod").unwrap().id.0.clone();
        type Check = fn(&World) -> bool;
        // (what, commands, a check on the re-opened world, what the file leaves out)
        let cases: Vec<(&str, Vec<Command>, Check, Vec<&str>)> = vec![
            (
                "a new role assignment",
                vec![Command::AddRoleAssignment {
                    principal: "vm-web".into(),
                    role: "Key Vault Reader".into(),
                    scope: kv.clone(),
                    condition: None,
                }],
                |w| w.role_assignments().len() == 3,
                vec![],
            ),
            (
                "a disabled identity",
                vec![Command::DisableSystemAssigned {
                    resource: "vm-web".into(),
                }],
                |w| {
                    w.resource_named("vm-web")
                        .is_some_and(|r| r.system_assigned.is_none())
                },
                vec![
                    "the role assignment \"Key Vault Secrets User\" on kv-prod of an identity that no longer exists",
                    "the role assignment \"Reader\" on sub:Production of an identity that no longer exists",
                    "the expectation \"vm-web: Microsoft.KeyVault/vaults/secrets/getSecret/action on kv-prod/secrets/db-password\": vm-web has no system-assigned identity",
                    "the expectation \"vm-web: Microsoft.KeyVault/vaults/secrets/setSecret/action on kv-prod/secrets/db-password\": vm-web has no system-assigned identity",
                    "the expectation \"vm-web: Microsoft.KeyVault/vaults/read on kv-prod\": vm-web has no system-assigned identity",
                    "the expectation \"vm-web: Microsoft.KeyVault/vaults/write on kv-prod\": vm-web has no system-assigned identity",
                    "the exercise \"one-secret-only\": vm-web has no system-assigned identity",
                ],
            ),
            (
                "a deleted resource",
                vec![Command::DeleteResource {
                    resource: "kv-prod".into(),
                }],
                |w| w.resource_named("kv-prod").is_none(),
                vec![
                    "the role assignment \"Key Vault Secrets User\" of vm-web on a scope that no longer exists (/subscriptions/71bb54d8-d101-45b9-834d-0bff90150280/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-prod)",
                    "the flow \"read-secret\": no resource named \"kv-prod\"",
                    "the expectation on the flow \"read-secret\": no flow named \"read-secret\"",
                    "the expectation \"vm-web: Microsoft.KeyVault/vaults/secrets/getSecret/action on kv-prod/secrets/db-password\": no resource named \"kv-prod\"",
                    "the expectation \"vm-web: Microsoft.KeyVault/vaults/secrets/setSecret/action on kv-prod/secrets/db-password\": no resource named \"kv-prod\"",
                    "the expectation \"vm-web: Microsoft.KeyVault/vaults/read on kv-prod\": no scope named \"kv-prod\"",
                    "the expectation \"vm-web: Microsoft.KeyVault/vaults/write on kv-prod\": no scope named \"kv-prod\"",
                    "the exercise \"one-secret-only\": no resource named \"kv-prod\"",
                ],
            ),
            (
                "a clock advance",
                vec![Command::AdvanceClock { seconds: 3600 }],
                |w| w.now().iso8601() == "2026-01-05T10:10:00Z",
                vec![],
            ),
        ];
        for (what, commands, check, left_out) in cases {
            let mut w = base.clone();
            for c in commands {
                w.apply(c).unwrap_or_else(|e| panic!("{what}: {e}"));
            }
            let d = download(sh.id, &original, &w);
            let opened =
                open_file("x.json", 0, d.json.as_bytes()).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(check(&opened.world), "{what}");
            assert_eq!(
                world_part(&Scenario::from_world(&opened.world)),
                world_part(&Scenario::from_world(&w)),
                "{what}"
            );
            assert_eq!(d.left_out, left_out, "{what}");
        }
    }
}
