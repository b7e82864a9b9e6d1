#!/usr/bin/env bash
# Benchmark (issue #7): the analyst view imports 1M SERVQUAL responses from a CSV file in headless
# Chromium. Prints the time from choosing the file to the first full report, the longest main-thread
# task meanwhile, and the same computation by a plain-JS reference in the same page; writes the figures
# to bench/out/analyst.json and replaces the analyst section of BENCHMARKS.md (scripts/bench.sh, which
# rewrites the whole file, passes --no-benchmarks-md). Goal: ≤ 2 s, no main-thread task over 50 ms.
# The input (~110 MB) is generated once and cached in ~/.cache/rapport/bench/ (bench/analyst-data.mjs).
# usage: scripts/bench-analyst.sh [--no-build] [--no-benchmarks-md]
#   --no-build          measure the portal and server that are already built (skip set-up and build)
#   --no-benchmarks-md  leave BENCHMARKS.md alone (only print and write bench/out/analyst.json)
#   ANALYST_ROWS (1000000), ANALYST_RUNS (3), ANALYST_REF_RUNS (3)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
build=true
update=--update-benchmarks
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    --no-benchmarks-md) update= ;;
    *) echo "usage: scripts/bench-analyst.sh [--no-build] [--no-benchmarks-md]" >&2; exit 2 ;;
  esac
done
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
rm -f "$OUT/analyst.json"
server_bin="$CARGO_TARGET_DIR/release/rapport-server"

if $build; then
  "$ROOT/scripts/setup.sh" --test
  say "Building the release bundles and the server"
  "$ROOT/scripts/build.sh" >/dev/null
fi
for f in "$ROOT/dist/index.html" "$server_bin" "$ROOT/e2e/node_modules/@playwright/test/package.json"; do
  [[ -e "$f" ]] || { echo "missing $f: run scripts/bench-analyst.sh without --no-build" >&2; exit 1; }
done

log="$(mktemp)"
RAPPORT_PORT=0 RAPPORT_DB=:memory: RAPPORT_PORTAL_DIR="$ROOT/dist" RAPPORT_WIDGET_DIR="$ROOT/dist-widget" \
  "$server_bin" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log"' EXIT
base=""
for _ in $(seq 50); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
  [[ -n "$base" ]] && curl -sf "$base/api/v1/health" >/dev/null && break
  base=""
  sleep 0.2
done
[[ -n "$base" ]] || { echo "the reference server did not start:" >&2; cat "$log" >&2; exit 1; }

say "Analyst view: ${ANALYST_ROWS:-1000000} SERVQUAL responses, ${ANALYST_RUNS:-3} runs (headless Chromium)"
node "$ROOT/bench/analyst.mjs" "$base" "$OUT/analyst.json" $update
