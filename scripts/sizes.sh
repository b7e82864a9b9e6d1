#!/usr/bin/env bash
# Prints the transfer size (wasm + js + css) of the portal's first load and of the widget: gzip -9, and as
# served (the brotli-11 files scripts/build.sh writes beside each file, which the server sends as they
# are). With --check, fails when a bundle as served exceeds its budget. The budgets sit just above the
# measured sizes so that growth is a decision, not an accident; most of the portal is Leptos' generic
# reactive and rendering code instantiated per page (reactive_graph + tachys: about 36 % of the code).
# History of the portal's figure: the analyst view (~138 KB gzip) and the runtime backend configuration
# (~50 KB) brought it to 770 KB gzip; the browser's Intl formats and translated codes, sessions and the
# password form, and reading other backends record by record brought it to 834 KB gzip. The budget then
# moved from gzip (no longer what is sent) to the bytes as served: 611 KiB, against 699 KB that the
# server's on-the-fly brotli sent for the Wasm alone before. Route-level splitting (issue 16) is what
# gives most of it back to customers.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# Bytes as served (brotli 11).
PORTAL_BUDGET=${PORTAL_BUDGET:-630000}
WIDGET_BUDGET=${WIDGET_BUDGET:-220000}

gz() { gzip -9 -c "$1" | wc -c; }
total() {
  local sum=0 f
  for f in "$@"; do sum=$((sum + $(gz "$f"))); done
  echo "$sum"
}
shopt -s nullglob
portal_files=("$ROOT"/dist/*.wasm "$ROOT"/dist/*.js "$ROOT"/dist/*.css)
widget_files=("$ROOT"/dist-widget/rapport_survey_kit_bg.wasm "$ROOT"/dist-widget/rapport_survey_kit.js
  "$ROOT"/dist-widget/rapport-survey.js "$ROOT"/dist-widget/rapport-survey.css)
if ((${#portal_files[@]} < 3)) || [[ ! -f "${widget_files[0]}" ]]; then
  echo "No bundles found: run scripts/build.sh first" >&2
  exit 1
fi
portal=$(total "${portal_files[@]}")
widget=$(total "${widget_files[@]}")
# As served: the brotli files that scripts/build.sh wrote beside each file (the plain file where none).
served() {
  local sum=0 f
  for f in "$@"; do
    if [[ -f "$f.br" ]]; then sum=$((sum + $(wc -c <"$f.br"))); else sum=$((sum + $(wc -c <"$f"))); fi
  done
  echo "$sum"
}
portal_br=$(served "${portal_files[@]}")
widget_br=$(served "${widget_files[@]}")
awk -v p="$portal" -v w="$widget" -v pb="$portal_br" -v wb="$widget_br" 'BEGIN {
  printf "portal gzip: %d bytes (%.1f KiB); as served (brotli 11): %d bytes (%.1f KiB)\n", p, p / 1024, pb, pb / 1024
  printf "widget gzip: %d bytes (%.1f KiB); as served (brotli 11): %d bytes (%.1f KiB)\n", w, w / 1024, wb, wb / 1024
}'
if [[ "${1:-}" == "--check" ]]; then
  status=0
  ((portal_br <= PORTAL_BUDGET)) || { echo "portal bundle over budget ($PORTAL_BUDGET bytes as served)" >&2; status=1; }
  ((widget_br <= WIDGET_BUDGET)) || { echo "widget bundle over budget ($WIDGET_BUDGET bytes as served)" >&2; status=1; }
  exit $status
fi
