#!/usr/bin/env bash
# Benchmark: the cluster of scripts/cluster.sh (two release instances on one PostgreSQL behind HAProxy).
# The order list (GET /api/v1/history?kind=order&limit=50, signed in as the demo customer) under wrk
# through HAProxy, beside one instance of the same cluster loaded directly, with bench-load.sh's wrk
# settings; then the failover run: the cluster test that kills one instance (kill -9) under a load of
# survey answers, service requests and preference saves through HAProxy, and counts the acknowledged
# writes against the rows in the database. Prints Markdown and writes it to bench/out/cluster.md.
# usage: scripts/bench-cluster.sh
#   LOAD_CONNECTIONS (16), LOAD_THREADS (2), LOAD_SECONDS (10), LOAD_WARMUP_SECONDS (2),
#   CLUSTER_BENCH_PORT (18890: HAProxy; the instances and the SMTP sink take the next three),
#   CLUSTER_BENCH_PG_PORT (55434), RAPPORT_FAILOVER_SECONDS (8: the failover run's load)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
connections=${LOAD_CONNECTIONS:-16}
threads=${LOAD_THREADS:-2}
seconds=${LOAD_SECONDS:-10}
warmup=${LOAD_WARMUP_SECONDS:-2}
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
server_bin="$CARGO_TARGET_DIR/release/rapport-server"
[[ -x "$server_bin" ]] || { echo "missing $server_bin: build the release server first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing (scripts/bench-load.sh installs it)" >&2; exit 1; }

export RAPPORT_CLUSTER_PORT="${CLUSTER_BENCH_PORT:-18890}"
export RAPPORT_PG_PORT="${CLUSTER_BENCH_PG_PORT:-55434}"
export RAPPORT_SERVER_BIN="$server_bin"
work="$(mktemp -d)"
trap '"$ROOT/scripts/cluster.sh" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$ROOT/scripts/cluster.sh" stop >/dev/null 2>&1 || true # one left over from an interrupted run
say "Starting the cluster (PostgreSQL, two release instances, HAProxy)"
"$ROOT/scripts/cluster.sh" start
eval "$("$ROOT/scripts/cluster.sh" env)"
front="$RAPPORT_CLUSTER_URL"
one="http://${RAPPORT_CLUSTER_INSTANCES%%,*}"
cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"email":"demo@rapport.test","password":"rapport-demo"}' "$front/api/v1/session" |
  tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | head -1)
[[ -n "$cookie" ]] || { echo "could not sign in as the demo customer" >&2; exit 1; }

run_wrk() { # NAME SECONDS URL
  timeout $(($2 + 10)) wrk -t"$threads" -c"$connections" -d"${2}s" --latency -H "Cookie: $cookie" "$3" >"$work/$1.wrk"
}
load() { # NAME URL
  run_wrk warmup "$warmup" "$2"
  curl -sf -o /dev/null -H "Cookie: $cookie" "$2" || { echo "$2 fails after the warm-up" >&2; exit 1; }
  run_wrk "$1" "$seconds" "$2"
}
row() { # LABEL NAME: requests/s, p50, p99 and non-2xx answers from wrk's output
  local file="$work/$2.wrk" rps p50 p99 bad
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$file")
  p50=$(awk '$1 == "50%" {print $2}' "$file")
  p99=$(awk '$1 == "99%" {print $2}' "$file")
  bad=$(awk '/Non-2xx/ {print $NF}' "$file")
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "${bad:-0}"
}
path="/api/v1/history?kind=order&limit=50"
say "Loading one instance directly: ${seconds} s (after ${warmup} s of warm-up)"
load one "$one$path"
say "Loading the cluster through HAProxy: ${seconds} s (after ${warmup} s of warm-up)"
load front "$front$path"
"$ROOT/scripts/cluster.sh" stop >/dev/null

say "Failover: kill -9 of one instance under load through HAProxy (the cluster test, about 30 s)"
failover="$work/failover.txt"
(cd "$ROOT" && RAPPORT_FAILOVER_SECONDS="${RAPPORT_FAILOVER_SECONDS:-8}" cargo test --quiet -p rapport-server \
  --test cluster killing_an_instance -- --ignored --nocapture 2>&1) | tee "$failover" | grep '^failover:' || true
verdict="passed"
grep -q "test result: ok. 1 passed" "$failover" || verdict="FAILED (see the test's output above)"

{
  echo "### The cluster: two instances on PostgreSQL behind HAProxy ($(nproc) cores, wrk -t$threads -c$connections, ${seconds} s)"
  echo
  echo "| order list (50 orders) | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|"
  row "one instance, directly" one
  row "two instances through HAProxy" front
  echo
  echo "Failover (kill -9 of one instance under load, counted in the database): $verdict"
  echo
  echo '```'
  grep '^failover:' "$failover" | sed 's/^failover: //'
  echo '```'
} | tee "$OUT/cluster.md"
