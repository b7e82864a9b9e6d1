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
SCHEMATHESIS_VERSION=4.32.5

say() { printf '\n==> %s\n' "$*"; }
