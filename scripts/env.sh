# Shared settings for the scripts in this folder (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Build output lives outside the clone so that a fresh clone (as in CI) reuses a warm cache.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rapport/target}"
# Tools installed from npm (wasm-opt from binaryen) live here, outside the clone too.
TOOLS_DIR="${RAPPORT_TOOLS_DIR:-$HOME/.cache/rapport/tools}"
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"
# Never let a test tool fetch its own browser: Debian's Chromium is used everywhere.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
# The code-splitting tool (scripts/split.sh): the wasm-split-cli binary of this crates.io crate.
WASM_SPLIT_VERSION=0.2.4
BINARYEN_VERSION=132
# Minifies the portal's and the widget's JavaScript in release builds (scripts/minify-js.sh,
# scripts/widget-wasm.sh); bench/package.json pins the same.
ESBUILD_VERSION=0.28.2
SCHEMATHESIS_VERSION=4.32.5

say() { printf '\n==> %s\n' "$*"; }

# Installs esbuild from npm into the tools folder when it is missing or another version.
ensure_esbuild() {
  if [[ "$(esbuild --version 2>/dev/null)" != "$ESBUILD_VERSION" ]]; then
    say "Installing esbuild $ESBUILD_VERSION (npm) to minify the portal's JavaScript" >&2
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "esbuild@$ESBUILD_VERSION" >&2
  fi
}

# Starts the release server on a free port with an in-memory database and the built bundles; sets
# SERVER_PID, and SERVER_BASE to its address once it answers (empty if it never did). Output goes to $1.
start_server() {
  RAPPORT_PORT=0 RAPPORT_DB=:memory: RAPPORT_PORTAL_DIR="$ROOT/dist" RAPPORT_WIDGET_DIR="$ROOT/dist-widget" \
    "$CARGO_TARGET_DIR/release/rapport-server" >"$1" 2>&1 &
  SERVER_PID=$!
  SERVER_BASE=""
  local _attempt
  for _attempt in $(seq 100); do
    SERVER_BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$1" | head -1 || true)
    [[ -n "$SERVER_BASE" ]] && curl -sf "$SERVER_BASE/api/v1/health" >/dev/null && return 0
    SERVER_BASE=""
    sleep 0.2
  done
}
