//! Reading a scenario file from disk into a scenario and a fresh simulation of its world, with
//! errors that name the file and the JSON path of the mistake.

use mi_sim::model::platform::Simulation;
use mi_sim::model::scenario::{Scenario, ScenarioError};
use std::fmt;
use std::path::Path;

/// A scenario file, read, checked and built.
pub struct Loaded {
    /// The file's name without its directory, for PASS and FAIL lines.
    pub name: String,
    /// The scenario.
    pub scenario: Scenario,
    /// A simulation of the scenario's world, as the scenario opens.
    pub sim: Simulation,
}

/// Why a file could not be loaded.
pub enum LoadError {
    /// The file cannot be read.
    Read {
        /// The path as given.
        path: String,
        /// The operating system's reason.
        error: std::io::Error,
    },
    /// The file is not a valid scenario, or its world cannot be built.
    Invalid {
        /// The path as given.
        path: String,
        /// What is wrong and where (boxed: the error is large and rare).
        error: Box<ScenarioError>,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Read { path, error } => write!(f, "{path}: cannot read: {error}"),
            LoadError::Invalid { path, error } => write!(f, "{path}: {error}"),
        }
    }
}

/// Whether `path` is a scenario index (`static/scenarios/index.json`, the picker's list of
/// scenarios), which `check` skips so that `mi-sim check static/scenarios/*.json` works.
pub fn is_index(path: &str) -> bool {
    Path::new(path)
        .file_name()
        .is_some_and(|n| n == "index.json")
        && std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .is_some_and(|v| v.is_array())
}

/// Reads, checks and builds the scenario at `path`.
pub fn load(path: &str) -> Result<Loaded, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|error| LoadError::Read {
        path: path.to_string(),
        error,
    })?;
    let invalid = |error| LoadError::Invalid {
        path: path.to_string(),
        error: Box::new(error),
    };
    let scenario = Scenario::from_json(&text).map_err(invalid)?;
    let world = scenario.build_world().map_err(invalid)?;
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string());
    Ok(Loaded {
        name,
        scenario,
        sim: Simulation::new(world),
    })
}
