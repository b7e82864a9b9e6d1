#!/usr/bin/env bash
# Benchmark: the order list (GET /api/v1/history?kind=order&limit=50, signed in as the demo customer)
# under load, beside json-server serving the same orders in the same run. Both servers listen on
# 127.0.0.1 only and are loaded one after the other by wrk with the same settings; the run takes about
# half a minute. Prints a Markdown table (requests/s, p50, p99, body bytes, ratio) and writes the
# figures to bench/out/load.json, which scripts/bench.sh turns into section 4 of BENCHMARKS.md.
# Goal (issue #8): at least 5× json-server's requests/s with a p99 of at most 10 ms.
# To show where the reference server's time goes, two shorter runs load GET /api/v1/me (the session
# lookup alone) and the order list with limit=1 (the same queries, one row).
# The same server is then loaded a second time on PostgreSQL (a throw-away local server started by
# scripts/postgres.sh, seeded by the server like the SQLite file, reached over its Unix socket as a
# server on the same machine would be), printed beside the first.
# A load run writes nothing, so the order list mostly resends pages it already answered (README, "Reads
# and writes"). To show what reads cost while data changes, each database gets a second run of the
# order list during which the demo customer also answers a survey LOAD_WRITES times a second (every
# answer is a commit, after which no kept page is used); those rows are printed beside the best case.
# usage: scripts/bench-load.sh [--no-build] [--no-postgres]
#   --no-build            measure the server that is already built (skip scripts/build.sh)
#   --no-postgres         leave out the PostgreSQL run
#   LOAD_CONNECTIONS (16), LOAD_THREADS (2), LOAD_SECONDS (10), LOAD_WARMUP_SECONDS (2), LOAD_WRITES (200),
#   LOAD_PG_PORT (55433: the benchmark's own PostgreSQL, apart from the tests' one),
#   LOAD_SERVER_BIN (the server to measure; default the release build in $CARGO_TARGET_DIR: naming an
#   older copy measures before and after in the same time window)
# Installs wrk and PostgreSQL (Debian) when they are missing, and json-server with the other tools of
# bench/ from bench/package-lock.json.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
build=true
postgres=true
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    --no-postgres) postgres=false ;;
    *) echo "usage: scripts/bench-load.sh [--no-build] [--no-postgres]" >&2; exit 2 ;;
  esac
done
connections=${LOAD_CONNECTIONS:-16}
threads=${LOAD_THREADS:-2}
seconds=${LOAD_SECONDS:-10}
warmup=${LOAD_WARMUP_SECONDS:-2}
writes=${LOAD_WRITES:-200}
BENCH="$ROOT/bench"
OUT="$BENCH/out"
server_bin="${LOAD_SERVER_BIN:-$CARGO_TARGET_DIR/release/rapport-server}"
mkdir -p "$OUT"
rm -f "$OUT/load.json"

if $build; then
  say "Building the release bundles and the server"
  "$ROOT/scripts/build.sh" >/dev/null
fi
[[ -x "$server_bin" ]] || { echo "missing $server_bin: run scripts/bench-load.sh without --no-build" >&2; exit 1; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null; then
  say "Installing wrk (Debian)"
  as_root bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null'
fi
if $postgres && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  say "Installing PostgreSQL (Debian)"
  as_root bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null'
fi
export RAPPORT_PG_PORT="${LOAD_PG_PORT:-55433}"
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
  if $postgres; then "$ROOT/scripts/postgres.sh" stop || true; fi
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

# Starts the reference server on DATABASE (a file or a postgres:// URL) with its log in LOG_NAME.log,
# waits for it and signs in as the demo customer; sets `base` and `cookie`.
start_rapport() { # DATABASE LOG_NAME
  local database=$1 log="$work/$2.log"
  RAPPORT_PORT=0 RAPPORT_DB="$database" RAPPORT_PORTAL_DIR="$ROOT/dist" RAPPORT_WIDGET_DIR="$ROOT/dist-widget" \
    "$server_bin" >"$log" 2>&1 &
  pids+=($!)
  base=""
  for _ in $(seq 100); do
    base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
    [[ -n "$base" ]] && break
    sleep 0.2
  done
  [[ -n "$base" ]] || { echo "the reference server did not start:" >&2; cat "$log" >&2; exit 1; }
  wait_for "$base/api/v1/health" "$log"
  cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
    -d '{"email":"demo@rapport.test","password":"rapport-demo"}' "$base/api/v1/session" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | head -1)
  [[ -n "$cookie" ]] || { echo "could not sign in as the demo customer" >&2; exit 1; }
}

say "Starting the reference server and json-server on 127.0.0.1"
# A database file rather than :memory:, whose single pooled connection is the whole database: when a
# request is cancelled mid-query (wrk closing its connections at the end of a run), the pool can
# replace that connection with a new, empty database, and every later request fails (no such table).
start_rapport "$work/rapport.sqlite3" rapport
if $postgres; then
  sqlite_base=$base sqlite_cookie=$cookie
  say "Starting a throw-away PostgreSQL (port $RAPPORT_PG_PORT) and the reference server on it"
  "$ROOT/scripts/postgres.sh" stop # a cluster left over from an interrupted run
  "$ROOT/scripts/postgres.sh" start
  pg_url="$("$ROOT/scripts/postgres.sh" socket-url)"
  start_rapport "$pg_url" rapport-postgres
  pg_base=$base pg_cookie=$cookie
  node "$BENCH/load.mjs" same "$sqlite_base" "$sqlite_cookie" "$pg_base" "$pg_cookie"
  base=$sqlite_base cookie=$sqlite_cookie
fi

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
if $postgres; then
  say "Loading the reference server on PostgreSQL: ${seconds} s (after ${warmup} s of warm-up)"
  load rapport-postgres "$pg_base/api/v1/history?kind=order&limit=50" -H "Cookie: $pg_cookie"
fi
# Survey answers by the demo customer at a fixed rate (a timer tick every 10 ms sends what is due), from
# its start until it is stopped; then writes how many were sent and answered 201 to FILE.
start_writer() { # BASE COOKIE FILE
  node --input-type=module - "$1" "$2" "$writes" "$3" <<'JS' &
import { writeFileSync } from 'node:fs';
const [base, cookie, perSecond, out] = process.argv.slice(2);
const list = await (await fetch(`${base}/api/v1/instruments`)).json();
const nps = list.find((i) => i.id === 'nps');
const instrument = { id: nps.id, version: nps.version, hash: nps.hash };
const counts = { perSecond: Number(perSecond), sent: 0, created: 0, other: 0 };
const started = Date.now();
const pending = new Set();
const answer = (n) => fetch(`${base}/api/v1/survey-responses`, {
  method: 'POST',
  headers: { cookie, 'content-type': 'application/json', 'idempotency-key': `load-${started}-${n}` },
  body: JSON.stringify({ instrument, answers: { NPS: n % 11 } }),
}).then(async (r) => { await r.arrayBuffer(); counts[r.status === 201 ? 'created' : 'other'] += 1; },
  () => { counts.other += 1; });
const timer = setInterval(() => {
  const due = Math.floor(((Date.now() - started) * counts.perSecond) / 1000);
  while (counts.sent < due) {
    const p = answer(counts.sent++);
    pending.add(p);
    p.finally(() => pending.delete(p));
  }
}, 10);
process.on('SIGTERM', async () => {
  clearInterval(timer);
  await Promise.all(pending);
  counts.seconds = (Date.now() - started) / 1000;
  writeFileSync(out, JSON.stringify(counts));
  process.exit(0);
});
JS
  writer=$!
}
stop_writer() {
  kill -TERM "$writer"
  wait "$writer" || { echo "the survey answers writer failed" >&2; exit 1; }
}
# The order list again while survey answers are written: NAME BASE COOKIE
load_with_writes() {
  local name=$1 url="$2/api/v1/history?kind=order&limit=50" cookie=$3
  start_writer "$2" "$cookie" "$work/$name.writer.json"
  load "$name" "$url" -H "Cookie: $cookie"
  stop_writer
}
say "Loading the reference server again while it takes $writes survey answers a second"
load_with_writes writes "$base" "$cookie"
if $postgres; then
  say "The same on PostgreSQL"
  load_with_writes postgres-writes "$pg_base" "$pg_cookie"
fi
say "Loading json-server: ${seconds} s (after ${warmup} s of warm-up)"
load json-server "$jbase/orders?_page=1&_limit=50"
say "Where the reference server's time goes: 2 s each on /api/v1/me and on the order list with limit=1"
run_wrk me 2 "$base/api/v1/me" -H "Cookie: $cookie"
run_wrk one-row 2 "$base/api/v1/history?kind=order&limit=1" -H "Cookie: $cookie"

postgres_version() {
  local bin
  bin=$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n 1)
  "$bin" --version | awk '{print $3}'
}
wrk_version=$(wrk -v 2>&1 | head -1 | awk '{print $2}' | sed 's|^debian/||' || true)
js_version=$(node -p 'require(process.argv[1]).version' "$BENCH/node_modules/json-server/package.json")
cat >"$work/settings.json" <<EOF
{"wrk": "${wrk_version:-?}", "jsonServerVersion": "$js_version", "node": "$(node --version)",
 "threads": $threads, "connections": $connections, "seconds": $seconds, "warmupSeconds": $warmup,
 "cores": $(nproc)$($postgres && printf ', "postgres": "%s"' "$(postgres_version)")}
EOF
say "Order list under load"
node "$BENCH/load.mjs" report "$work/check.json" "$work/settings.json" "$OUT/load.json" \
  "$work/rapport.wrk" "$work/json-server.wrk" "$work/me.wrk" "$work/one-row.wrk" \
  "$($postgres && echo "$work/rapport-postgres.wrk" || echo -)" "$work/writes.wrk" "$work/writes.writer.json" \
  "$($postgres && echo "$work/postgres-writes.wrk" || echo -)" \
  "$($postgres && echo "$work/postgres-writes.writer.json" || echo -)"
