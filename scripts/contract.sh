#!/usr/bin/env bash
# Contract fuzzing: schemathesis generates requests from the OpenAPI document and sends them to the real
# release server, which must never answer with a 5xx and whose every answer must match the document
# (a documented status code, content type and headers, and a body that fits the documented schema).
#
#   scripts/contract.sh
#
# Settings (environment):
#   RAPPORT_SERVER_BIN       the server binary (default: $CARGO_TARGET_DIR/release/rapport-server)
#   CONTRACT_MAX_EXAMPLES    generated cases per operation and phase (default 50: about a minute)
#   CONTRACT_SEED            random seed, so that a run can be repeated exactly (default: a fixed one)
#
# Three passes, one after another against one server and its fresh in-memory database:
#   1. anonymous: every operation, without a session (mostly 401s, plus the public endpoints);
#   2. customer:  every operation with the demo customer's session cookie;
#   3. staff:     the /staff operations with the staff member's session cookie.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

SCHEMATHESIS="$TOOLS_DIR/schemathesis-venv/bin/schemathesis"
SERVER_BIN="${RAPPORT_SERVER_BIN:-$CARGO_TARGET_DIR/release/rapport-server}"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-50}"
SEED="${CONTRACT_SEED:-20260508}"

if [[ ! -x "$SCHEMATHESIS" ]]; then
  echo "schemathesis is missing: run scripts/setup.sh --test" >&2
  exit 1
fi
if [[ ! -x "$SERVER_BIN" ]]; then
  echo "no server binary at $SERVER_BIN: run scripts/build.sh (or set RAPPORT_SERVER_BIN)" >&2
  exit 1
fi

# A free loopback port, so that a server left running elsewhere cannot collide with this one.
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

RAPPORT_PORT="$PORT" RAPPORT_DB=:memory: \
  RAPPORT_PORTAL_DIR="$ROOT/dist" RAPPORT_WIDGET_DIR="$ROOT/dist-widget" \
  "$SERVER_BIN" >"$WORK/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  curl -fsS -o /dev/null "$BASE/api/v1/health" 2>/dev/null && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server did not start:" >&2
    cat "$WORK/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
curl -fsS -o /dev/null "$BASE/api/v1/health"

# Signs in and prints "rapport_session=TOKEN" for a Cookie header. Done before any fuzzing: the fuzzed
# sign-ins fail on purpose and soon trip the per-address throttle, after which no sign-in would work.
session_cookie() {
  local headers
  headers="$(curl -fsS -o /dev/null -D - -H 'content-type: application/json' \
    --data "{\"email\":\"$1\",\"password\":\"rapport-demo\"}" "$BASE/api/v1/session")"
  local cookie
  cookie="$(printf '%s\n' "$headers" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *\(rapport_session=[^;]*\).*/\1/p')"
  if [[ -z "$cookie" ]]; then
    echo "signing in as $1 gave no session cookie" >&2
    exit 1
  fi
  printf '%s' "$cookie"
}
CUSTOMER_COOKIE="$(session_cookie demo@rapport.test)"
STAFF_COOKIE="$(session_cookie staff@rapport.test)"

# What the server itself can get wrong: a 5xx, or an answer that differs from the document (a status
# code, content type, response header or body it does not describe). Checks that judge the API's design
# by schemathesis' own expectations (e.g. that every input the schema would not allow is rejected) are
# left out.
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance

failed=0
fuzz() {
  local name="$1"
  shift
  say "schemathesis: $name"
  # From the scratch folder: schemathesis and Hypothesis leave caches in the current directory.
  if ! (cd "$WORK" && "$SCHEMATHESIS" --config-file "$ROOT/scripts/contract.toml" run "$BASE/api/v1/openapi.json" \
    --url "$BASE/api/v1" \
    --checks "$CHECKS" \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers 2 \
    --request-timeout 10 \
    --generation-database none \
    --no-color \
    "$@"); then
    failed=1
  fi
}

# Anonymous: everything. Signing out without a session is harmless, and the fuzzed sign-ins are what
# exercise the throttle (429 after 5 failures per account, 50 per address: both documented).
fuzz anonymous

# Customer: everything but the session's own operations. DELETE /session would end the session that
# the rest of the pass relies on, and POST /session was covered above (a success here would only open
# sessions nobody uses).
fuzz customer \
  --header "Cookie: $CUSTOMER_COOKIE" \
  --exclude-path /session

# Staff: the staff operations (a customer gets 403 for these, covered above).
fuzz staff \
  --header "Cookie: $STAFF_COOKIE" \
  --include-path-regex '^/staff/'

if [[ "$(grep -c 'panicked' "$WORK/server.log" || true)" != 0 ]]; then
  echo "the server panicked during the run:" >&2
  grep -A3 panicked "$WORK/server.log" >&2
  failed=1
fi
if [[ $failed != 0 ]]; then
  echo "contract fuzzing found problems; the server's log (last lines):" >&2
  tail -n 40 "$WORK/server.log" >&2
  echo "(the same cases come back with CONTRACT_SEED=$SEED CONTRACT_MAX_EXAMPLES=$MAX_EXAMPLES)" >&2
  exit 1
fi
say "Contract fuzzing passed"
