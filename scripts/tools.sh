# shellcheck shell=bash
# Installs what building and testing mi-sim needs, skipping whatever is already present at the
# right version. Sourced by scripts/serve.sh and scripts/check.sh; safe to run again and again.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${MI_SIM_TOOLS:-$HOME/.cache/mi-sim-tools}"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\n\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs an install command; on failure says which tool could not be installed and why.
install_or_fail() {
  local what="$1"; shift
  if ! "$@"; then
    fail "installing $what failed (command: $*). Check the output above; the package registries must be reachable."
  fi
}

ensure_rust() {
  command -v cargo >/dev/null || fail "cargo is not on PATH: install Rust with rustup first."
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown target"
    install_or_fail "the wasm32 target" rustup target add wasm32-unknown-unknown
  fi
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      step "Adding the $component component"
      install_or_fail "$component" rustup component add "$component"
    fi
  done
}

ensure_trunk() {
  if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
    step "Installing trunk $TRUNK_VERSION (builds from source, several minutes)"
    install_or_fail "trunk" cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
}

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  [[ -n "$want" ]] || fail "could not read the wasm-bindgen version from Cargo.lock."
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]] \
    || ! command -v wasm-bindgen-test-runner >/dev/null; then
    step "Installing wasm-bindgen-cli $want (the version in Cargo.lock)"
    # Not --locked: the CLI's own lock file names a crate version the registry no longer has.
    install_or_fail "wasm-bindgen-cli $want" cargo install --force wasm-bindgen-cli --version "$want"
  fi
}

ensure_wasm_opt() {
  if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    command -v npm >/dev/null || fail "npm is needed to install wasm-opt (npm package binaryen)."
    step "Installing wasm-opt from the npm package binaryen@$BINARYEN_VERSION"
    mkdir -p "$TOOLS_DIR"
    install_or_fail "binaryen@$BINARYEN_VERSION" \
      npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR" "binaryen@$BINARYEN_VERSION"
  fi
}

ensure_chromium() {
  if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
    step "Installing Debian's chromium and chromium-driver"
    local sudo=""
    [[ "$(id -u)" == 0 ]] || sudo="sudo"
    install_or_fail "the apt package lists" $sudo apt-get update -qq
    install_or_fail "chromium and chromium-driver" \
      env DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
  fi
  local browser driver
  browser="$(/usr/bin/chromium --version | grep -oE '[0-9]+\.[0-9.]+' | head -n1)"
  driver="$(/usr/bin/chromedriver --version | grep -oE '[0-9]+\.[0-9.]+' | head -n1)"
  [[ "$browser" == "$driver" ]] \
    || fail "chromium ($browser) and chromedriver ($driver) differ: apt-get install --only-upgrade chromium chromium-driver"
}

ensure_build_tools() {
  ensure_rust
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_opt
}

# Builds the release site into dist/ through wasm-opt, with no network access.
build_site() {
  step "Building the release site into dist/"
  (cd "$ROOT" && trunk build --release --offline)
}
