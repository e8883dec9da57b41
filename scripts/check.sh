#!/usr/bin/env bash
# Sets up everything and runs every check: formatting, lints (native and wasm32), native tests,
# the release build, end-to-end tests in headless Chromium and wasm-bindgen component tests.
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"

ensure_build_tools
ensure_chromium
cd "$ROOT"

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native)"
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings

step "cargo clippy (wasm32)"
cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings

build_site

step "Native tests, including end-to-end tests against dist/ in headless Chromium"
cargo test --locked

step "Component tests in headless Chromium (wasm-bindgen-test)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --locked --target wasm32-unknown-unknown --test web

step "All checks passed"
