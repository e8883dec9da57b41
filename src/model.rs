//! The pure domain: identities, tokens, RBAC, endpoints, targets, flows and scenarios.
//! Nothing here knows about the browser; everything is tested natively.

pub mod clock;
pub mod endpoints;
pub mod entra;
pub mod flow;
pub mod http;
pub mod ids;
pub mod json;
pub mod jwt;
pub mod platform;
pub mod rbac;
pub mod roles;
pub mod rsa;
pub mod scenario;
pub mod targets;
pub mod world;
