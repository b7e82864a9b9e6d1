#!/usr/bin/env bash
# Code splitting of a Leptos/wasm-bindgen Wasm binary (issue 16), reusable by any bundle:
#
#   source scripts/split.sh
#   split_bundle <input.wasm> <out dir> <name> [wasm-opt level, default z]
#   scripts/split.sh <input.wasm> <out dir> <name> [level]      (the same, as a command)
#
# The input must be linked with `-C link-args=--emit-relocs` and built with split points
# (`#[wasm_split]`, here through the portal's `split` feature). wasm-split-cli cuts it into a main
# module and chunks, wasm-bindgen (--keep-lld-exports, so that the chunks find what they import from
# the main module) writes the JS glue, wasm-opt shrinks every module, and every file gets a content hash
# in its name so that the server may send it as immutable. Each split's module and the shared chunks it
# needs travel as one pack, `split_<name>-<hash>.wasm` (scripts/pack-chunks.mjs), so that a page group
# is one download. Prints the main JS and Wasm names (relative to the out dir) as `js=...` and
# `wasm=...`, plus `split_js=...` for the chunk loader.
#
# The glue and the chunk loader import each other (the loader needs the main module's exports), so
# their names share one hash over both contents; the chunks' own hashes are part of the loader's
# content, so a changed chunk renames both.

SPLIT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
split_hash() { sha256sum "$@" | cut -c1-16; }
# wasm-opt, without its warning about each chunk's name section (wasm-split-cli writes a subsection
# binaryen does not know; the names are dropped from the output anyway).
split_opt() { wasm-opt "$@" 2> >(grep -v 'unknown name subsection' >&2); }

split_bundle() {
  local input="$1" out="$2" name="$3" level="${4:-z}"
  local work
  work="$(mktemp -d)"
  mkdir -p "$out"
  # 1. Cut: $work/main.wasm plus split_<name>.wasm / chunk_<n>.wasm and the loader __wasm_split.js.
  wasm-split-cli "$input" "$work" --target web --out-name "$name" >&2
  # 2. Glue for the main module. --keep-lld-exports: the chunks import the main module's functions.
  wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$work/bg" --out-name "$name" \
    "$work/$name.wasm"
  # 3. Shrink every module.
  # SPLIT_OPT_FLAGS: extra wasm-opt flags for a bundle that wants them (the widget: scripts/widget-wasm.sh).
  # shellcheck disable=SC2086
  split_opt "-O$level" ${SPLIT_OPT_FLAGS:-} "$work/bg/${name}_bg.wasm" -o "$work/bg/${name}_bg.wasm"
  local loader="$work/__wasm_split.js" chunk base hashed
  shopt -s nullglob
  for chunk in "$work"/split_*.wasm "$work"/chunk_*.wasm; do
    # shellcheck disable=SC2086
    split_opt "-O$level" ${SPLIT_OPT_FLAGS:-} "$chunk" -o "$chunk"
  done
  # 4. One download per split: its module and the shared chunks it needs, in one pack.
  node "$SPLIT_DIR/pack-chunks.mjs" "$work" >&2
  for chunk in "$work"/split_*.wasm; do
    base="$(basename "$chunk" .wasm)"
    hashed="$base-$(split_hash "$chunk").wasm"
    mv "$chunk" "$out/$hashed"
    # The loader names each pack as "./<base>.wasm".
    sed -i "s#\"\\./$base\\.wasm\"#\"./$hashed\"#g" "$loader"
  done
  shopt -u nullglob
  # 5. Names. The main Wasm by its own content; the glue and the loader by both of theirs.
  local wasm_name js_name loader_name group
  wasm_name="$name-$(split_hash "$work/bg/${name}_bg.wasm")_bg.wasm"
  group="$(cat "$work/bg/$name.js" "$loader" | split_hash)"
  js_name="$name-$group.js"
  loader_name="__wasm_split-$group.js"
  sed -i "s#\"\\./$name\\.js\"#\"./$js_name\"#g" "$loader"
  # Only the import statements: the import object's keys are the Wasm's module name and stay as they are.
  sed -i -e "s#^\\(import .* from \"\\)\\./__wasm_split\\.js\"#\\1./$loader_name\"#" \
    -e "s#${name}_bg\\.wasm#$wasm_name#g" "$work/bg/$name.js"
  if grep -q 'from "\./__wasm_split\.js"' "$work/bg/$name.js" || ! grep -q "$loader_name" "$work/bg/$name.js"; then
    echo "split: the glue does not import the chunk loader as expected" >&2
    return 1
  fi
  mv "$work/bg/${name}_bg.wasm" "$out/$wasm_name"
  mv "$work/bg/$name.js" "$out/$js_name"
  mv "$loader" "$out/$loader_name"
  # wasm-bindgen's snippets (inline JS of dependencies), if any, keep their folder.
  if [[ -d "$work/bg/snippets" ]]; then cp -r "$work/bg/snippets" "$out/"; fi
  rm -rf "$work"
  echo "js=$js_name"
  echo "wasm=$wasm_name"
  echo "split_js=$loader_name"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  split_bundle "$@"
fi
