#!/usr/bin/env bash
# Minifies JavaScript modules in place with esbuild (npm), installing it first when it is missing.
#   scripts/minify-js.sh FILE...
# The release build runs it on the portal's JS glue, chunk loader and boot script (scripts/portal-wasm.sh).
# Their names keep the hash of the content before minifying, which determines the minified content.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_esbuild
for file in "$@"; do
  # ES modules: imports, exports and `import.meta` stay as they are; only the code inside shrinks. The
  # glue's import object repeats a key (the same chunk loader module, once per import), which esbuild
  # warns about and leaves as it is.
  esbuild "$file" --minify --format=esm --log-level=error --allow-overwrite --outfile="$file"
done
