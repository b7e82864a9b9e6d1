#!/usr/bin/env bash
# Runs the whole product: installs what is missing, builds, and starts the reference server with demo
# data. Prints the URL and the demo login. Stop with Ctrl-C.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
say "Starting Rapport"
export RAPPORT_PORTAL_DIR="$ROOT/dist" RAPPORT_WIDGET_DIR="$ROOT/dist-widget"
export RAPPORT_DB="${RAPPORT_DB:-$ROOT/rapport.sqlite3}"
exec "$CARGO_TARGET_DIR/release/rapport-server" "$@"
