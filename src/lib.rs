//! mi-sim, the Managed Identity Simulator: a faithful model of Azure managed identities,
//! Entra ID tokens and Azure RBAC (`model`), pure view models over it (`view`), and the
//! browser shell that draws them (`ui`: wasm32, and natively with the `prerender` feature,
//! which renders the first view into the page at build time).

pub mod model;
pub mod view;

#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod ui;

/// The crate version, shown in the page footer and printed by the command-line tool.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
