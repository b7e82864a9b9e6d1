#!/usr/bin/env bash
# The local SMTP sink (scripts/smtp-sink.py, Python aiosmtpd from PyPI in a virtualenv of its own under
# the tools folder, installed when missing).
#
#   scripts/smtp-sink.sh install          install aiosmtpd when missing
#   scripts/smtp-sink.sh start PORT DIR   start a sink on 127.0.0.1:PORT writing messages to DIR
#   scripts/smtp-sink.sh stop DIR         stop the sink started with DIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
AIOSMTPD_VERSION=1.4.6
VENV="$TOOLS_DIR/smtp-sink-venv"

install() {
  if "$VENV/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    return 0
  fi
  say "Installing aiosmtpd $AIOSMTPD_VERSION (PyPI, in its own virtualenv) for the local SMTP sink"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
}

start() {
  local port="$1" dir="$2"
  install
  mkdir -p "$dir"
  nohup "$VENV/bin/python" "$ROOT/scripts/smtp-sink.py" "$port" "$dir" >"$dir/.sink.log" 2>&1 &
  echo $! >"$dir/.sink.pid"
  for _ in $(seq 1 100); do
    grep -q "SMTP sink on" "$dir/.sink.log" 2>/dev/null && return 0
    kill -0 "$(cat "$dir/.sink.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "the SMTP sink did not start; its log: $dir/.sink.log" >&2
  return 1
}

stop() {
  local dir="$1" pid
  [[ -f "$dir/.sink.pid" ]] || return 0
  pid="$(cat "$dir/.sink.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$dir/.sink.pid"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?port}" "${3:?folder}" ;;
  stop) stop "${2:?folder}" ;;
  *)
    echo "usage: $0 install | start PORT DIR | stop DIR" >&2
    exit 2
    ;;
esac
