#!/usr/bin/env bash
# Runs every benchmark, prints one set of tables and writes them, with the date and the machine, to
# BENCHMARKS.md: transfer sizes (widget, portal, and a minimal SurveyJS survey bundled in the same run),
# what a cold load of each portal page downloads (requests, code-split chunks, bytes as served),
# Lighthouse on the portal's pages and the widget demo, history rendering and scoring (Wasm vs plain
# JavaScript), server load (the order list under wrk, beside json-server serving the same orders), the
# analyst view importing 1M SERVQUAL responses (beside a plain-JS reference in the same page), and the
# cluster of scripts/cluster.sh through HAProxy with a failover run (scripts/bench-cluster.sh).
# usage: scripts/bench.sh [--no-build]
#   --no-build      skip scripts/setup.sh --test and scripts/build.sh; measure what is already built
#   LIGHTHOUSE_RUNS Lighthouse runs per page, the median is kept (default 3)
# Its npm tools (esbuild, SurveyJS, Lighthouse, json-server) live in bench/, installed from
# bench/package-lock.json; wrk comes from Debian (scripts/bench-load.sh installs it when missing).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
build=true
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    *) echo "usage: scripts/bench.sh [--no-build]" >&2; exit 2 ;;
  esac
done
BENCH="$ROOT/bench"
OUT="$BENCH/out"

if $build; then
  "$ROOT/scripts/setup.sh" --test
  say "Building the release bundles and the server"
  "$ROOT/scripts/build.sh" >/dev/null
fi
for f in "$ROOT/dist/index.html" "$ROOT/dist-widget/rapport-survey.js" "$CARGO_TARGET_DIR/release/rapport-server"; do
  [[ -e "$f" ]] || { echo "missing $f: run scripts/bench.sh without --no-build" >&2; exit 1; }
done

# The benchmark's own npm tools, reinstalled only when the lock file changed. Lighthouse drives
# Debian's Chromium (CHROME_PATH): no package may fetch a browser.
stamp="$BENCH/node_modules/.rapport-lock"
lock_sum="$(sha256sum "$BENCH/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  say "Installing the benchmark tools (npm: esbuild, SurveyJS, Lighthouse, json-server; no browser download)"
  (cd "$BENCH" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  echo "$lock_sum" >"$stamp"
fi

rm -rf "$OUT" && mkdir -p "$OUT"
# A part that fails leaves <part>.error with the reason; the report says "not measured" for it.
fail() { printf '%s\n' "$2" >"$OUT/$1.error"; echo "$1: not measured: $2" >&2; }

say "1/6 Transfer sizes (widget, portal, SurveyJS bundled now)"
node "$BENCH/sizes.mjs" "$ROOT" "$OUT/sizes.json" || fail sizes "the size measurement failed (see above)"

say "2/6 Cold loads per page, and Lighthouse (mobile preset, ${LIGHTHOUSE_RUNS:-3} runs per page)"
log="$OUT/server.log"
RAPPORT_PORT=0 RAPPORT_DB=:memory: RAPPORT_PORTAL_DIR="$ROOT/dist" RAPPORT_WIDGET_DIR="$ROOT/dist-widget" \
  "$CARGO_TARGET_DIR/release/rapport-server" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
base=""
for _ in $(seq 50); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
  [[ -n "$base" ]] && curl -sf "$base/api/v1/health" >/dev/null && break
  base=""
  sleep 0.2
done
if [[ -z "$base" ]]; then
  fail lighthouse "the reference server did not start"
else
  cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
    -d '{"email":"demo@rapport.test","password":"rapport-demo"}' "$base/api/v1/session" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | head -1)
  order=$(curl -s -H "Cookie: $cookie" "$base/api/v1/history?kind=order" |
    grep -o '"order_id":[0-9]*' | head -1 | cut -d: -f2 || true)
  if [[ -z "$cookie" || -z "$order" ]]; then
    fail lighthouse "could not sign in as the demo customer or find an order"
  else
    # Cold loads per page (requests, chunks, bytes as served), in the end-to-end tests' Playwright.
    node "$BENCH/route-loads.mjs" "$base" "$cookie" "$order" "$ROOT/dist" "$OUT/route-loads.json" ||
      fail route-loads "the per-page load measurement failed (see above)"
    node "$BENCH/lighthouse.mjs" "$base" "$cookie" "$order" "$OUT/lighthouse.json" "$OUT/lighthouse" ||
      fail lighthouse "Lighthouse failed (see above)"
  fi
fi
kill $server 2>/dev/null || true
wait $server 2>/dev/null || true
trap - EXIT

say "3/6 History rendering and scoring"
# bench.sh has built (or was told not to): the history benchmark never builds again here.
"$ROOT/scripts/bench-history.sh" --no-build | tee "$OUT/history.txt" ||
  fail history "scripts/bench-history.sh failed (see above)"
scoring_args=()
$build || scoring_args=(--no-build)
if ! "$ROOT/scripts/bench-scoring.sh" "${scoring_args[@]}" >"$OUT/scoring.txt" 2>"$OUT/scoring.stderr"; then
  fail scoring "$(tail -1 "$OUT/scoring.stderr")"
fi
cat "$OUT/scoring.txt"

say "4/6 Server load (the order list under wrk, beside json-server)"
# Writes $OUT/load.json; like the history benchmark it never builds here.
"$ROOT/scripts/bench-load.sh" --no-build | tee "$OUT/load.txt" ||
  fail load "scripts/bench-load.sh failed (see above)"

say "5/6 Analyst view (1M SERVQUAL responses from a CSV file, beside a plain-JS reference)"
# Writes $OUT/analyst.json, which report.mjs turns into section 5; it never builds here.
"$ROOT/scripts/bench-analyst.sh" --no-build --no-benchmarks-md | tee "$OUT/analyst.txt" ||
  fail analyst "scripts/bench-analyst.sh failed (see above)"

say "6/6 The cluster through HAProxy, and failover (kill -9 of an instance under load)"
# Writes $OUT/cluster.md, appended to BENCHMARKS.md below; it never builds the release server here.
"$ROOT/scripts/bench-cluster.sh" || fail cluster "scripts/bench-cluster.sh failed (see above)"

say "Results"
node "$BENCH/report.mjs" "$ROOT" "$OUT"
if [[ -f "$OUT/cluster.md" ]]; then
  printf '\n%s\n' "$(cat "$OUT/cluster.md")" >>"$ROOT/BENCHMARKS.md"
  cat "$OUT/cluster.md"
fi
