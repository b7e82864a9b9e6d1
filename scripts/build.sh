#!/usr/bin/env bash
# Builds the release bundles: the portal into dist/, the widget into dist-widget/, and the server.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

say "Building the portal (Wasm, size-optimised release profile)"
trunk build --release

say "Building the survey widget"
bash "$ROOT/scripts/widget-wasm.sh"

say "Building the analyst worker (Wasm with SIMD, speed-optimised)"
# Its own target folder and flags: SIMD128 for the scoring kernels, and no component type erasure (the
# worker has no components).
worker_target="$CARGO_TARGET_DIR/analyst-worker"
RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR="$worker_target" cargo build --quiet \
  -p rapport-analyst-worker --lib --target wasm32-unknown-unknown --profile wasm-worker
# Not dist/analyst/: a folder there would shadow the /analyst route for the static file server.
out="$ROOT/dist/workers/analyst"
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  "$worker_target/wasm32-unknown-unknown/wasm-worker/rapport_analyst_worker.wasm"
wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  "$out/rapport_analyst_worker_bg.wasm" -o "$out/rapport_analyst_worker_bg.wasm"
cp crates/analyst-worker/js/worker.js "$out/"

say "Precompressing the portal (brotli 11, gzip 9; scripts/widget-wasm.sh did the widget's)"
node "$ROOT/scripts/precompress.mjs" "$ROOT/dist"

say "Building the reference server and the CLI"
# The CLI too: the end-to-end tests hold the analyst view's numbers to its report.
cargo build --quiet --release -p rapport-server -p rapport-cli
