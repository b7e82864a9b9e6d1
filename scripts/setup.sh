#!/usr/bin/env bash
# Installs whatever is missing, idempotently, from crates.io, npm, PyPI and Debian only.
#   scripts/setup.sh          what building and running needs
#   scripts/setup.sh --test   plus what the tests need (Chromium, chromedriver, Playwright, schemathesis,
#                             PostgreSQL for the server tests' second run, aiosmtpd for the SMTP sink)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

apt_updated=false
apt_install() {
  if ! $apt_updated; then
    apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ! command -v cargo >/dev/null; then
  echo "Rust (cargo) is not installed; see https://rustup.rs" >&2
  exit 1
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
fi
if ! command -v npm >/dev/null; then
  say "Installing Node.js and npm (Debian) for wasm-opt and the browser tests"
  as_root bash -c "$(declare -f apt_install); apt_updated=false; apt_install nodejs npm"
fi
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (compiles from source: about 6 minutes on 2 cores)"
  # Not --locked: the registry mirror lacks one of its locked dependencies.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  say "Installing trunk $TRUNK_VERSION (compiles from source: about 10 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force \
    || cargo install trunk --version "$TRUNK_VERSION" --force
fi
# No --version flag: ask cargo which version it installed.
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "Installing wasm-split-cli (crate wasm_split_cli_support $WASM_SPLIT_VERSION) for the portal's code splitting (compiles from source: about 5 minutes on 2 cores)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force \
    || cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --force
fi
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "Installing wasm-opt (npm binaryen@$BINARYEN_VERSION; Debian's older binaryen breaks the Wasm)"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi
# The release build minifies the portal's and the widget's JavaScript with esbuild.
ensure_esbuild
# Trunk runs offline: every crate must be in the local registry before it builds.
(cd "$ROOT" && cargo fetch --quiet)

if $want_test; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "Installing Debian's Chromium and chromedriver for the browser tests (a few minutes)"
    as_root bash -c "$(declare -f apt_install); apt_updated=false; apt_install chromium chromium-driver"
  fi
  if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    say "Installing Debian's PostgreSQL for the server tests on PostgreSQL"
    as_root bash -c "$(declare -f apt_install); apt_updated=false; apt_install postgresql"
  fi
  stamp="$ROOT/e2e/node_modules/.rapport-lock"
  lock_sum="$(sha256sum "$ROOT/e2e/package-lock.json" | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
    say "Installing Playwright and axe-core for the end-to-end tests (npm, no browser download)"
    (cd "$ROOT/e2e" && npm ci --no-audit --no-fund --silent)
    echo "$lock_sum" >"$stamp"
  fi
  # The local SMTP sink of the cluster tests and the cluster demo (aiosmtpd, PyPI).
  "$ROOT/scripts/smtp-sink.sh" install
  st_venv="$TOOLS_DIR/schemathesis-venv"
  if [[ "$("$st_venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]]; then
    say "Installing schemathesis $SCHEMATHESIS_VERSION (PyPI, in its own virtualenv) for the contract fuzzing"
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
      as_root bash -c "$(declare -f apt_install); apt_updated=false; apt_install python3 python3-venv"
    fi
    rm -rf "$st_venv"
    python3 -m venv "$st_venv"
    "$st_venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
fi
