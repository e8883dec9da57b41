//! The scenarios shipped with the simulator, compiled in so that the page and the command-line
//! tool need no file access; `static/scenarios/index.json` lists them for the picker.

/// One shipped scenario file.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ShippedScenario {
    /// Its id, the file name without `.json`.
    pub id: &'static str,
    /// The file's text.
    pub json: &'static str,
}

macro_rules! shipped {
    ($($id:literal),* $(,)?) => {
        &[$(ShippedScenario {
            id: $id,
            json: include_str!(concat!("../../../static/scenarios/", $id, ".json")),
        }),*]
    };
}

/// Every shipped scenario, in picker order.
pub const SHIPPED: &[ShippedScenario] = shipped!(
    "vm-keyvault-system-assigned",
    "functions-shared-uami-storage",
    "appservice-graph-approle",
    "lifecycle",
    "limitations",
    "least-privilege",
    "keyvault-permission-models",
    "secret-vs-federation",
);

/// The shipped scenario with this id.
pub fn shipped(id: &str) -> Option<&'static ShippedScenario> {
    SHIPPED.iter().find(|s| s.id == id)
}

/// `static/scenarios/index.json`: id, title, one-line description and file of each.
pub fn shipped_index() -> &'static str {
    include_str!("../../../static/scenarios/index.json")
}
