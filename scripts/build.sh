#!/usr/bin/env bash
# Builds the release bundles: the portal into dist/, the widget into dist-widget/, and the server.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

say "Building the portal (Wasm, size-optimised release profile)"
trunk build --release

say "Building the survey widget"
cargo build --quiet -p rapport-survey-kit --lib --features embed \
  --target wasm32-unknown-unknown --profile wasm-release
out="$ROOT/dist-widget"
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/rapport_survey_kit.wasm"
wasm-opt -Oz "$out/rapport_survey_kit_bg.wasm" -o "$out/rapport_survey_kit_bg.wasm"
cp crates/survey-kit/embed/* "$out/"

say "Building the reference server"
cargo build --quiet --release -p rapport-server
