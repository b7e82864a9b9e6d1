#!/usr/bin/env bash
# Several instances of the reference server on one PostgreSQL behind HAProxy, all on loopback:
# a throw-away PostgreSQL (scripts/postgres.sh), two server instances and Debian's HAProxy in front
# (round robin, health checks on /api/v1/health). Prints the address to open.
#
#   scripts/cluster.sh start   start everything (HAProxy is installed with apt-get when missing)
#   scripts/cluster.sh stop    stop everything and remove the cluster's files
#   scripts/cluster.sh env     print the addresses of the running cluster as `export …` lines
#
# RAPPORT_CLUSTER_PORT (default 8090) is HAProxy's port; the instances listen on the next two ports and
# the local SMTP sink (scripts/smtp-sink.sh) on the one after, writing every e-mail the instances send
# to $DIR/mail as a file. Other RAPPORT_* settings in the environment reach the instances as they are.
# RAPPORT_PG_PORT (default 55433) is PostgreSQL's. RAPPORT_SERVER_BIN names the server binary (default:
# the release build, built when missing).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

PORT="${RAPPORT_CLUSTER_PORT:-8090}"
export RAPPORT_PG_PORT="${RAPPORT_PG_PORT:-55433}"
export RAPPORT_PG_DIR="${RAPPORT_PG_DIR:-/tmp/rapport-cluster-$PORT/pg}"
DIR="/tmp/rapport-cluster-$PORT"
INSTANCES=($((PORT + 1)) $((PORT + 2)))
SMTP_PORT=$((PORT + 3))
MAIL_DIR="$DIR/mail"
DATABASE="postgres://postgres@127.0.0.1:$RAPPORT_PG_PORT/postgres"

healthy() {
  python3 - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v1/health", timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

wait_healthy() {
  local port="$1" what="$2"
  for _ in $(seq 1 150); do
    healthy "$port" && return 0
    sleep 0.2
  done
  echo "$what on port $port did not become healthy; its log: $DIR/$what.log" >&2
  return 1
}

start() {
  if ! command -v haproxy >/dev/null 2>&1; then
    echo "HAProxy is missing: installing Debian's package" >&2
    apt-get install -y haproxy >/dev/null || { apt-get update >/dev/null && apt-get install -y haproxy >/dev/null; }
  fi
  local bin="${RAPPORT_SERVER_BIN:-$CARGO_TARGET_DIR/release/rapport-server}"
  if [[ ! -x "$bin" ]]; then
    (cd "$ROOT" && cargo build --quiet --release -p rapport-server)
  fi
  mkdir -p "$DIR"
  "$ROOT/scripts/postgres.sh" start
  "$ROOT/scripts/smtp-sink.sh" start "$SMTP_PORT" "$MAIL_DIR"
  local i=0
  for port in "${INSTANCES[@]}"; do
    i=$((i + 1))
    # Loopback only; HAProxy (127.0.0.1) is the trusted proxy whose X-Forwarded-For names the client.
    # Plain HTTP here, so no Secure cookie: behind TLS set RAPPORT_SECURE_COOKIE=1.
    RAPPORT_BIND=127.0.0.1 RAPPORT_PORT="$port" RAPPORT_DB="$DATABASE" \
      RAPPORT_TRUSTED_PROXIES=127.0.0.1 RAPPORT_SECURE_COOKIE=0 \
      RAPPORT_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" \
      RAPPORT_PORTAL_DIR="$ROOT/dist" RAPPORT_WIDGET_DIR="$ROOT/dist-widget" \
      nohup "$bin" >"$DIR/instance$i.log" 2>&1 &
    echo $! >"$DIR/instance$i.pid"
    # One after the other: the first creates the schema and the demo data.
    wait_healthy "$port" "instance$i"
  done
  cat >"$DIR/haproxy.cfg" <<EOF
global
    maxconn 4096
    pidfile $DIR/haproxy.pid

defaults
    mode http
    option forwardfor
    # A connection an instance refuses (it just died) is tried again, on the other instance.
    retries 3
    option redispatch
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s

frontend rapport
    bind 127.0.0.1:$PORT
    # One id per request in HAProxy's and the instances' logs alike (a client's own is kept).
    unique-id-format %{+X}o\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
    http-request set-header X-Request-Id %[unique-id] unless { req.hdr(x-request-id) -m found }
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /api/v1/health
    http-check expect status 200
    server one 127.0.0.1:${INSTANCES[0]} check inter 1s fall 2 rise 1
    server two 127.0.0.1:${INSTANCES[1]} check inter 1s fall 2 rise 1
EOF
  haproxy -c -q -f "$DIR/haproxy.cfg"
  haproxy -D -f "$DIR/haproxy.cfg"
  wait_healthy "$PORT" haproxy
  {
    echo "export RAPPORT_CLUSTER_URL=http://127.0.0.1:$PORT"
    echo "export RAPPORT_CLUSTER_INSTANCES=127.0.0.1:${INSTANCES[0]},127.0.0.1:${INSTANCES[1]}"
    echo "export RAPPORT_CLUSTER_DATABASE_URL=$DATABASE"
    echo "export RAPPORT_CLUSTER_MAIL_DIR=$MAIL_DIR"
  } >"$DIR/env"
  echo "Rapport cluster at http://127.0.0.1:$PORT/ (instances on ${INSTANCES[*]}, PostgreSQL on $RAPPORT_PG_PORT)"
  echo "  E-mail goes to the SMTP sink on 127.0.0.1:$SMTP_PORT: one file per message in $MAIL_DIR"
}

stop_pid() {
  local file="$1"
  [[ -f "$file" ]] || return 0
  local pid
  pid="$(cat "$file")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$file"
}

stop() {
  stop_pid "$DIR/haproxy.pid"
  stop_pid "$DIR/instance1.pid"
  stop_pid "$DIR/instance2.pid"
  "$ROOT/scripts/smtp-sink.sh" stop "$MAIL_DIR"
  "$ROOT/scripts/postgres.sh" stop
  rm -rf "$DIR"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  env) cat "$DIR/env" ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
