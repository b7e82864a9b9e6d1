#!/usr/bin/env bash
# A throw-away PostgreSQL for the tests and the load benchmark: Debian's server binaries, a data folder
# under /tmp, loopback only, trust authentication, its own port and socket folder.
#
#   scripts/postgres.sh start   initialise (first time) and start; does nothing if it already runs
#   scripts/postgres.sh stop    stop it and remove its data; does nothing if it is not running
#   scripts/postgres.sh env     print `export RAPPORT_TEST_DATABASE_URL=…` for the running server
#   scripts/postgres.sh socket-url  print a URL of the same server over its Unix socket (no TCP), as a
#                               server on the same machine would connect (the load benchmark does)
#
# RAPPORT_PG_PORT (default 55432) and RAPPORT_PG_DIR (default /tmp/rapport-pg-$PORT) choose another
# instance, so that several worktrees can each have their own.
set -euo pipefail

PORT="${RAPPORT_PG_PORT:-55432}"
DIR="${RAPPORT_PG_DIR:-/tmp/rapport-pg-$PORT}"
DATA="$DIR/data"
SOCKETS="$DIR/sockets"
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
# `host` names the socket's folder; the port names the socket file in it (.s.PGSQL.PORT).
SOCKET_URL="postgres://postgres@localhost/postgres?host=$SOCKETS&port=$PORT"

bin_dir() {
  local dir
  if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir
    return
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && echo "$dir"
  done | sort -V | tail -n 1
}

BIN="$(bin_dir)"
if [[ -z "$BIN" ]]; then
  echo "PostgreSQL server binaries not found (Debian: apt-get install postgresql)" >&2
  exit 1
fi

# initdb and postgres refuse to run as root: as root, run them as the `postgres` system user.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [[ -f "$DATA/postmaster.pid" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
  if running; then
    return
  fi
  mkdir -p "$DIR" "$SOCKETS"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$DIR" "$SOCKETS"
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    # C collation: text sorts by code point, as in SQLite, so both databases order rows alike.
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      --no-sync >/dev/null
  fi
  # fsync off: the data is disposable, and it keeps many small test transactions fast on one disk.
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $PORT -k $SOCKETS -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c max_connections=300" >/dev/null
}

stop() {
  if running; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -w -t 60 -m fast stop >/dev/null
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "export RAPPORT_TEST_DATABASE_URL=$URL" ;;
  socket-url) echo "$SOCKET_URL" ;;
  *)
    echo "usage: $0 start|stop|env|socket-url" >&2
    exit 2
    ;;
esac
