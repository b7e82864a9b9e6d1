#!/usr/bin/env bash
# Benchmark: 10,000-entry account history in headless Chromium (time to interactive list, DOM rows).
# Builds the release bundles, starts the reference server on a spare port, runs e2e/bench/history.mjs.
# usage: scripts/bench-history.sh [--no-build]   (--no-build: skip set-up and build, use what is built)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
if [[ "${1:-}" != "--no-build" ]]; then
  "$ROOT/scripts/setup.sh" --test
  "$ROOT/scripts/build.sh" >/dev/null
fi
port=18191
RAPPORT_PORT=$port RAPPORT_DB=:memory: RAPPORT_PORTAL_DIR="$ROOT/dist" RAPPORT_WIDGET_DIR="$ROOT/dist-widget" \
  "$CARGO_TARGET_DIR/release/rapport-server" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
(cd "$ROOT/e2e" && BASE_URL="http://127.0.0.1:$port" node bench/history.mjs)
