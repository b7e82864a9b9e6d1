#!/usr/bin/env bash
# Prints the gzip transfer size (wasm + js + css) of the portal's first load and of the widget, one line
# each. With --check, fails when a bundle exceeds its budget (bytes, gzip -9). The budgets sit just above
# the measured sizes so that growth is a decision, not an accident; most of the portal is Leptos' generic
# reactive and rendering code instantiated per page (reactive_graph + tachys: about 36 % of the code).
# The portal's budget grew with the analyst view (its report types, charts and serde for them: ~138 KB)
# and the runtime backend configuration (~50 KB); splitting the staff-only analyst view into its own
# bundle would give most of that back to customers. Reading other backends record by record (the notice
# of left-out records, the sources behind the data layer, the blocked-call message: ~16 KB) moved it to
# 786 KB.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
PORTAL_BUDGET=${PORTAL_BUDGET:-790000}
WIDGET_BUDGET=${WIDGET_BUDGET:-275000}

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
  ((portal <= PORTAL_BUDGET)) || { echo "portal bundle over budget ($PORTAL_BUDGET bytes)" >&2; status=1; }
  ((widget <= WIDGET_BUDGET)) || { echo "widget bundle over budget ($WIDGET_BUDGET bytes)" >&2; status=1; }
  exit $status
fi
