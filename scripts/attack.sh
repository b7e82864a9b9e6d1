#!/usr/bin/env bash
# Runs issue 18's attacks (parallel guessing, memory exhaustion, lock-outs through a proxy, e-mail
# spellings, survey flood, CSRF, idle and slow connections, cookie tossing, caching, HSTS, mail bombing,
# long texts) against a release build of the reference server and prints a table: attack, expected,
# observed. Fails if any attack gets through. About a minute.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
cargo build --quiet --release -p rapport-server
python3 "$ROOT/scripts/attack.py" "$CARGO_TARGET_DIR/release/rapport-server"
