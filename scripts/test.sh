#!/usr/bin/env bash
# Runs every test: formatting, lints (native and wasm32), native unit/property/integration tests (the
# server's once more on a throw-away PostgreSQL), the attack table against a release server, component tests in headless Chromium, the bundle-size budget, contract fuzzing of the API with
# schemathesis, and the Playwright end-to-end journeys against the real reference server. Installs
# whatever is missing first.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
started=$SECONDS
step() {
  say "$1 (at $((SECONDS - started)) s)"
}

"$ROOT/scripts/setup.sh" --test
cd "$ROOT"

step "Formatting"
cargo fmt --all --check

step "Lints, native"
cargo clippy --quiet --workspace --all-targets -- -D warnings

step "Lints, wasm32"
# With the portal's split feature, as the release build compiles it (the component tests build without).
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets \
  -p rapport-portal -p rapport-survey-kit -p rapport-api -p rapport-connect -p rapport-core -p rapport-analyst -p rapport-analyst-worker -p rapport-intl \
  --features rapport-survey-kit/embed,rapport-survey-kit/split,rapport-portal/split -- -D warnings

step "Native tests"
cargo test --quiet --workspace

step "Server tests on PostgreSQL (a throw-away local server)"
# Its own port and data folder; stopped and removed however the step ends.
export RAPPORT_PG_PORT="${RAPPORT_PG_PORT:-55432}"
trap '"$ROOT/scripts/postgres.sh" stop' EXIT
"$ROOT/scripts/postgres.sh" start
(eval "$("$ROOT/scripts/postgres.sh" env)" && cargo test --quiet -p rapport-server)
"$ROOT/scripts/postgres.sh" stop
trap - EXIT

step "Two server instances on PostgreSQL behind HAProxy with an SMTP sink: shared state, the outbox, failover (scripts/cluster.sh, about 2 min)"
cargo test --quiet -p rapport-server --test cluster -- --ignored

step "Attacks against a release build of the server (issue 18's table)"
"$ROOT/scripts/attack.sh"

# No --quiet here: cargo would pass it on to wasm-bindgen-test-runner, which rejects it.
step "Component tests in headless Chromium (wasm-bindgen-test)"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/webdriver.json"
cargo test --target wasm32-unknown-unknown -p rapport-portal -p rapport-survey-kit -p rapport-intl --test web

step "Scoring core tests compiled to Wasm (node)"
cargo test --target wasm32-unknown-unknown -p rapport-core

step "Release bundles and size budget"
"$ROOT/scripts/build.sh"
"$ROOT/scripts/sizes.sh" --check

step "Contract fuzzing (schemathesis)"
"$ROOT/scripts/contract.sh"

step "End-to-end tests (Playwright + axe, real server, Debian Chromium)"
# A free port, so that a server left running elsewhere cannot collide with the test server.
E2E_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$ROOT/e2e" && E2E_PORT="$E2E_PORT" RAPPORT_SERVER_BIN="$CARGO_TARGET_DIR/release/rapport-server" \
  RAPPORT_CLI_BIN="$CARGO_TARGET_DIR/release/rapport" npx playwright test)

say "All tests passed in $((SECONDS - started)) s"
