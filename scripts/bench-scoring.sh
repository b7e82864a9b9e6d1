#!/usr/bin/env bash
# Benchmark (not a test): alpha + dimension gaps over 1M synthetic SERVQUAL responses, natively, as
# Wasm in node (with and without SIMD128) and as plain JavaScript in the same node process, as one
# table; then the sizes of the kernel Wasm and of the whole scoring core as Wasm.
# usage: scripts/bench-scoring.sh [--no-build] [ROWS] [REPS]
#   --no-build: run what an earlier run built (fails when nothing is built yet)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
build=true
[[ "${1:-}" == "--no-build" ]] && { build=false; shift; }
ROWS=${1:-1000000}
REPS=${2:-7}
CRATE="$ROOT/crates/core-bench-wasm"
# Own target dir: the bench crate is standalone (not a workspace member) and uses other RUSTFLAGS.
T="${CARGO_TARGET_DIR}/core-bench"
M="--manifest-path $CRATE/Cargo.toml"

if $build; then
  say "building (native, Wasm, Wasm+simd128)"
  CARGO_TARGET_DIR="$T/native" cargo build -q --release $M --bin bench-native
  CARGO_TARGET_DIR="$T/wasm" cargo build -q --release $M --lib --target wasm32-unknown-unknown
  CARGO_TARGET_DIR="$T/simd" RUSTFLAGS="-C target-feature=+simd128" \
    cargo build -q --release $M --lib --target wasm32-unknown-unknown
  CARGO_TARGET_DIR="$T/full" cargo build -q --profile size $M --lib --features full --target wasm32-unknown-unknown
fi
kernel="$T/wasm/wasm32-unknown-unknown/release/rapport_core_bench_wasm.wasm"
simd="$T/simd/wasm32-unknown-unknown/release/rapport_core_bench_wasm.wasm"
full="$T/full/wasm32-unknown-unknown/size/rapport_core_bench_wasm.wasm"
for f in "$T/native/release/bench-native" "$kernel" "$simd" "$full"; do
  [[ -f "$f" ]] || { echo "not built: $f (run scripts/bench-scoring.sh without --no-build once)" >&2; exit 2; }
done

say "running"
native_json=$("$T/native/release/bench-native" "$ROWS" "$REPS")
node "$ROOT/scripts/bench-scoring.mjs" "$kernel" "$simd" "$native_json" "$ROWS" "$REPS"

say "sizes"
size() {
  local f=$1 label=$2 opt
  printf '%-44s %8d bytes raw, %7d gzip -9' "$label" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
  if command -v wasm-opt >/dev/null; then
    opt=$(mktemp --suffix=.wasm)
    wasm-opt -Oz --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals "$f" -o "$opt" 2>/dev/null &&
      printf ' | wasm-opt -Oz: %d raw, %d gzip -9' "$(wc -c <"$opt")" "$(gzip -9 -c "$opt" | wc -c)"
    rm -f "$opt"
  fi
  echo
}
size "$simd" "kernel Wasm (alpha + gaps, simd128, O3)"
size "$full" "whole scoring core as Wasm (opt-level z)"
