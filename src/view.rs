//! Pure view models: plain functions from the model to data the UI draws.

pub mod autosave;
pub mod check;
pub mod edit;
pub mod embed;
pub mod exercise;
pub mod graph;
pub mod import;
pub mod inspect;
pub mod lane;
pub mod launch;
pub mod overview;
pub mod present;
pub mod session;
pub mod share;
