//! The `mi-sim` command-line tool: checks scenario files against their own expectations
//! (`mi-sim check`) and prints a flow's walkthrough as text or JSON (`mi-sim walk`), natively,
//! with the same model the page runs.
//!
//! The modules live in `src/bin/mi-sim/`, named with `#[path]` because a binary's root file
//! looks for its modules beside itself. They are native only: on wasm32 the binary is an empty
//! `main`, as the page has its own entry point (`src/main.rs`) and this one only has to
//! compile there because CI lints every target for wasm32.

#[cfg(not(target_arch = "wasm32"))]
#[path = "mi-sim/check.rs"]
mod check;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mi-sim/cli.rs"]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mi-sim/load.rs"]
mod load;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mi-sim/walk.rs"]
mod walk;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::run()
}

/// A trivial entry point: the command-line tool has nothing to do in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}
