#!/usr/bin/env bash
# Builds the embeddable widget into dist-widget/ (called by scripts/build.sh; on its own it is the quick
# way to rebuild just the widget). The code only some kinds of survey need is cut into chunks of its
# own (crates/survey-kit/src/survey/on_demand.rs, scripts/split.sh), and every file the stable loader
# rapport-survey.js pulls in carries its content hash (scripts/version-widget.mjs).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$ROOT/scripts/split.sh"
cd "$ROOT"
# Without the erase_components cfg of .cargo/config.toml: type erasure shrinks the many-page portal but
# grows the one-screen widget (70 vs 59 KiB gzip). Its own target folder, so that the two flag sets do not
# keep invalidating each other's cached artifacts. Relocations only for the final link (extra rustc
# arguments apply to the last crate alone), for the split step.
widget_target="$CARGO_TARGET_DIR/widget"
RUSTFLAGS="" CARGO_TARGET_DIR="$widget_target" cargo rustc --quiet -p rapport-survey-kit --lib \
  --features embed,split --target wasm32-unknown-unknown --profile wasm-release -- -C link-args=--emit-relocs
# After wasm-bindgen, inside split_bundle, before the files get their content hashes: the imports and
# exports get short names (scripts/short-names.mjs).
wasm-bindgen() {
  command wasm-bindgen "$@"
  local dir="" name="" prev=""
  for arg in "$@"; do
    case "$prev" in --out-dir) dir="$arg" ;; --out-name) name="$arg" ;; esac
    prev="$arg"
  done
  node "$ROOT/scripts/short-names.mjs" "$dir/${name}_bg.wasm" "$dir/$name.js"
}
out="$ROOT/dist-widget"
rm -rf "$out" && mkdir -p "$out"
# wasm-opt repeats its passes until they stop shrinking the module (--converge): 230 B less as served
# for a few seconds more; the portal's far larger modules keep one round.
names="$(SPLIT_OPT_FLAGS="--converge" split_bundle "$widget_target/wasm32-unknown-unknown/wasm-release/rapport_survey_kit.wasm" \
  "$out" rapport_survey_kit z)"
cp crates/survey-kit/embed/* "$out/"
node "$ROOT/scripts/version-widget.mjs" "$out" "$(sed -n 's/^js=//p' <<<"$names")" \
  "$(sed -n 's/^wasm=//p' <<<"$names")"
# The glue, the chunk loader and the stylesheet minified (esbuild, installed here when missing):
# wasm-bindgen writes readable JS with comments (48 KB, 7.7 KB as served; 5.7 KB minified). Import
# paths, exports and the import object's keys stay as they are. After the names are final, so the
# content hashes in the names are those of the readable files, which the minified ones follow one to
# one. The stable loader rapport-survey.js stays as written: it is the file a firm reads and pastes.
ensure_esbuild
for f in "$out"/rapport_survey_kit-*.js "$out"/__wasm_split-*.js "$out"/rapport-survey-*.css; do
  esbuild "$f" --minify --format=esm --log-level=warning --outfile="$f.min" && mv "$f.min" "$f"
done
# Precompressed beside each file (brotli 11, gzip 9), which the server sends as they are.
node "$ROOT/scripts/precompress.mjs" "$out"
