#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml): builds the portal's Wasm with route-level code splitting and
# adds it to the page Trunk has just assembled. Trunk itself handles the HTML, CSS and copied files; it
# cannot run the split step between the link and wasm-bindgen, so index.html marks the Rust asset
# `data-trunk-skip` and this script does that part:
#   cargo (split feature, relocations kept) -> scripts/split.sh -> the boot tag in index.html.
# `trunk build --release` (scripts/build.sh) gives the size-optimised build; `trunk build` and
# `trunk serve` a debug one, which splits the same way.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$ROOT/scripts/split.sh"
cd "$ROOT"
staging="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
public_url="${TRUNK_PUBLIC_URL:-/}"

if [[ "${TRUNK_PROFILE:-debug}" == "release" ]]; then
  profile=wasm-release level=z
else
  profile=dev level=1
fi
# Relocations only for the final link (extra rustc arguments apply to the last crate alone), so the
# dependencies' artifacts stay shared with every other build.
cargo rustc --quiet --bin rapport-portal --target wasm32-unknown-unknown --profile "$profile" \
  --features split -- -C link-args=--emit-relocs
[[ "$profile" == dev ]] && profile_dir=debug || profile_dir="$profile"
names="$(split_bundle "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile_dir/rapport-portal.wasm" \
  "$staging" rapport-portal "$level")"
js="$(sed -n 's/^js=//p' <<<"$names")"
wasm="$(sed -n 's/^wasm=//p' <<<"$names")"
split_js="$(sed -n 's/^split_js=//p' <<<"$names")"
# Release: the JS glue, the chunk loader and the boot script minified (esbuild, installed when missing).
if [[ "$profile" == wasm-release ]]; then
  bash "$ROOT/scripts/minify-js.sh" "$staging/$js" "$staging/$split_js" "$staging/boot.js"
fi

# The same external loader as before (no inline script: CSP), and preloads for what it needs at once.
tags="<script type=\"module\" src=\"${public_url}boot.js\" data-js=\"${public_url}$js\" data-wasm=\"${public_url}$wasm\"></script>"
tags+="<link rel=\"modulepreload\" href=\"${public_url}$js\">"
tags+="<link rel=\"modulepreload\" href=\"${public_url}$split_js\">"
tags+="<link rel=\"preload\" href=\"${public_url}$wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>"
index="$staging/index.html"
grep -q '</head>' "$index" || { echo "portal-wasm: no </head> in $index" >&2; exit 1; }
sed -i "s#</head>#$tags</head>#" "$index"
