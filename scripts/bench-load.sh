#!/usr/bin/env bash
# Benchmark: the order list (GET /api/v1/history?kind=order&limit=50, signed in as the demo customer)
# under load, beside json-server serving the same orders in the same run. Both servers listen on
# 127.0.0.1 only and are loaded one after the other by wrk with the same settings; the run takes about
# half a minute. Prints a Markdown table (requests/s, p50, p99, body bytes, ratio) and writes the
# figures to bench/out/load.json, which scripts/bench.sh turns into section 4 of BENCHMARKS.md.
# Goal (issue #8): at least 5× json-server's requests/s with a p99 of at most 10 ms.
# To show where the reference server's time goes, two shorter runs load GET /api/v1/me (the session
# lookup alone) and the order list with limit=1 (the same queries, one row).
# usage: scripts/bench-load.sh [--no-build]
#   --no-build            measure the server that is already built (skip scripts/build.sh)
#   LOAD_CONNECTIONS (16), LOAD_THREADS (2), LOAD_SECONDS (10), LOAD_WARMUP_SECONDS (2)
# Installs wrk (Debian) when it is missing, and json-server with the other tools of bench/ from
# bench/package-lock.json.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
build=true
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    *) echo "usage: scripts/bench-load.sh [--no-build]" >&2; exit 2 ;;
  esac
done
connections=${LOAD_CONNECTIONS:-16}
threads=${LOAD_THREADS:-2}
seconds=${LOAD_SECONDS:-10}
warmup=${LOAD_WARMUP_SECONDS:-2}
BENCH="$ROOT/bench"
OUT="$BENCH/out"
server_bin="$CARGO_TARGET_DIR/release/rapport-server"
mkdir -p "$OUT"
rm -f "$OUT/load.json"

if $build; then
  say "Building the release bundles and the server"
  "$ROOT/scripts/build.sh" >/dev/null
fi
[[ -x "$server_bin" ]] || { echo "missing $server_bin: run scripts/bench-load.sh without --no-build" >&2; exit 1; }

if ! command -v wrk >/dev/null; then
  say "Installing wrk (Debian)"
  as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
  as_root bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null'
fi
# Same stamp as scripts/bench.sh: bench/ is reinstalled from its lock file only when that changed.
stamp="$BENCH/node_modules/.rapport-lock"
lock_sum="$(sha256sum "$BENCH/package-lock.json" | cut -d' ' -f1)"
if [[ ! -x "$BENCH/node_modules/.bin/json-server" || ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  say "Installing the benchmark tools (npm: json-server and the others of bench/; no browser download)"
  (cd "$BENCH" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  echo "$lock_sum" >"$stamp"
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# Gives up (with the server's log) when a server does not answer within 10 s.
wait_for() {
  local url=$1 log=$2
  for _ in $(seq 50); do
    curl -sf -o /dev/null "$url" && return 0
    sleep 0.2
  done
  echo "no answer from $url; its log:" >&2
  cat "$log" >&2
  exit 1
}

say "Starting the reference server and json-server on 127.0.0.1"
# A database file rather than :memory:, whose single pooled connection is the whole database: when a
# request is cancelled mid-query (wrk closing its connections at the end of a run), the pool can
# replace that connection with a new, empty database, and every later request fails (no such table).
RAPPORT_PORT=0 RAPPORT_DB="$work/rapport.sqlite3" RAPPORT_PORTAL_DIR="$ROOT/dist" RAPPORT_WIDGET_DIR="$ROOT/dist-widget" \
  "$server_bin" >"$work/rapport.log" 2>&1 &
pids+=($!)
base=""
for _ in $(seq 50); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/rapport.log" | head -1 || true)
  [[ -n "$base" ]] && break
  sleep 0.2
done
[[ -n "$base" ]] || { echo "the reference server did not start:" >&2; cat "$work/rapport.log" >&2; exit 1; }
wait_for "$base/api/v1/health" "$work/rapport.log"
cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"email":"demo@rapport.test","password":"rapport-demo"}' "$base/api/v1/session" |
  tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | head -1)
[[ -n "$cookie" ]] || { echo "could not sign in as the demo customer" >&2; exit 1; }

node "$BENCH/load.mjs" db "$base" "$cookie" "$work/db.json"
jport=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# Logging off and no gzip (wrk asks for none anyway): json-server at its fastest. Run from the work
# folder so that no public/ folder of the clone is served.
(cd "$work" && exec "$BENCH/node_modules/.bin/json-server" --host 127.0.0.1 --port "$jport" \
  --quiet --read-only --no-gzip db.json >"$work/json-server.log" 2>&1) &
pids+=($!)
jbase="http://127.0.0.1:$jport"
wait_for "$jbase/orders?_page=1&_limit=1" "$work/json-server.log"
node "$BENCH/load.mjs" check "$base" "$cookie" "$jbase" "$work/check.json"

# One server at a time, each with a warm-up run whose figures are dropped; the page must still answer
# 200 after it. timeout bounds each run.
run_wrk() { # NAME SECONDS URL [wrk options]
  local name=$1 secs=$2 url=$3
  shift 3
  timeout $((secs + 10)) wrk -t"$threads" -c"$connections" -d"${secs}s" --latency "$@" "$url" >"$work/$name.wrk"
}
load() { # NAME URL [wrk options]
  local name=$1 url=$2
  shift 2
  run_wrk warmup "$warmup" "$url" "$@"
  curl -sf -o /dev/null "$@" "$url" || { echo "$url fails after the warm-up" >&2; exit 1; }
  run_wrk "$name" "$seconds" "$url" "$@"
}
say "Loading the reference server: ${seconds} s (after ${warmup} s of warm-up)"
load rapport "$base/api/v1/history?kind=order&limit=50" -H "Cookie: $cookie"
say "Loading json-server: ${seconds} s (after ${warmup} s of warm-up)"
load json-server "$jbase/orders?_page=1&_limit=50"
say "Where the reference server's time goes: 2 s each on /api/v1/me and on the order list with limit=1"
run_wrk me 2 "$base/api/v1/me" -H "Cookie: $cookie"
run_wrk one-row 2 "$base/api/v1/history?kind=order&limit=1" -H "Cookie: $cookie"

wrk_version=$(wrk -v 2>&1 | head -1 | awk '{print $2}' | sed 's|^debian/||' || true)
js_version=$(node -p 'require(process.argv[1]).version' "$BENCH/node_modules/json-server/package.json")
cat >"$work/settings.json" <<EOF
{"wrk": "${wrk_version:-?}", "jsonServerVersion": "$js_version", "node": "$(node --version)",
 "threads": $threads, "connections": $connections, "seconds": $seconds, "warmupSeconds": $warmup,
 "cores": $(nproc)}
EOF
say "Order list under load"
node "$BENCH/load.mjs" report "$work/check.json" "$work/settings.json" "$OUT/load.json" \
  "$work/rapport.wrk" "$work/json-server.wrk" "$work/me.wrk" "$work/one-row.wrk"
