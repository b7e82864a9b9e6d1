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
# The widget's figures are per host page, as a firm's respondent meets them: the NPS page and the SERVQUAL
# page each load the loader, the Wasm, its glue and the stylesheet, then the instrument from the API; the
# question can be answered once all of it has arrived (the definitions as the server compresses them on
# the fly: 487 B for NPS, 4,440 B for SERVQUAL). History of the widget's own files as served: 217,864 B
# (budget 220,000) before issue 17; 220,391 B after it split the survey form into components over one form
# state and made saving, queueing and sending Leptos actions (the first action brings about 2 KB of
# reactive machinery; components with `into_any()` cost 3.4 KB more in this build and were not kept) and
# reset the styles a host page would pass down (+240 B of CSS). So the page budgets start 1,000 B above
# the old widget budget, by decision; the diet of issue 17 (the browser's JSON parser instead of serde)
# is what brings them down.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# Bytes as served (brotli 11; the instrument definitions as the server compresses them).
PORTAL_BUDGET=${PORTAL_BUDGET:-630000}
NPS_PAGE_BUDGET=${NPS_PAGE_BUDGET:-221000}
SERVQUAL_PAGE_BUDGET=${SERVQUAL_PAGE_BUDGET:-225000}

gz() { gzip -9 -c "$1" | wc -c; }
total() {
  local sum=0 f
  for f in "$@"; do sum=$((sum + $(gz "$f"))); done
  echo "$sum"
}
shopt -s nullglob
portal_files=("$ROOT"/dist/*.wasm "$ROOT"/dist/*.js "$ROOT"/dist/*.css)
# The loader keeps its name; what it loads carries its content hash (scripts/version-widget.mjs).
widget_files=("$ROOT"/dist-widget/rapport-survey.js "$ROOT"/dist-widget/rapport_survey_kit-*_bg.wasm
  "$ROOT"/dist-widget/rapport_survey_kit-*.js "$ROOT"/dist-widget/rapport-survey-*.css)
if ((${#portal_files[@]} < 3)) || ((${#widget_files[@]} != 4)); then
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

# The instrument definitions as the reference server sends them (brotli, else gzip, on the fly).
server_bin="$CARGO_TARGET_DIR/release/rapport-server"
[[ -x "$server_bin" ]] || { echo "No server at $server_bin: run scripts/build.sh first" >&2; exit 1; }
log=$(mktemp)
start_server "$log"
trap 'kill $SERVER_PID 2>/dev/null; rm -f "$log"' EXIT
[[ -n "$SERVER_BASE" ]] || { echo "the reference server did not start" >&2; exit 1; }
base=$SERVER_BASE
definition() { curl -sf -H "Accept-Encoding: $2" "$base/api/v1/instruments/$1" | wc -c; }
nps_def_br=$(definition nps br)
nps_def_gz=$(definition nps gzip)
sq_def_br=$(definition servqual br)
sq_def_gz=$(definition servqual gzip)
kill $SERVER_PID 2>/dev/null || true
wait $SERVER_PID 2>/dev/null || true
trap 'rm -f "$log"' EXIT

nps_br=$((widget_br + nps_def_br))
nps_gz=$((widget + nps_def_gz))
sq_br=$((widget_br + sq_def_br))
sq_gz=$((widget + sq_def_gz))
awk -v p="$portal" -v w="$widget" -v pb="$portal_br" -v wb="$widget_br" \
  -v ng="$nps_gz" -v nb="$nps_br" -v sg="$sq_gz" -v sb="$sq_br" 'BEGIN {
  printf "portal gzip: %d bytes (%.1f KiB); as served (brotli 11): %d bytes (%.1f KiB)\n", p, p / 1024, pb, pb / 1024
  printf "widget gzip: %d bytes (%.1f KiB); as served (brotli 11): %d bytes (%.1f KiB)\n", w, w / 1024, wb, wb / 1024
  printf "NPS host page (widget + definition) gzip: %d bytes (%.1f KiB); as served: %d bytes (%.1f KiB)\n", ng, ng / 1024, nb, nb / 1024
  printf "SERVQUAL host page (widget + definition) gzip: %d bytes (%.1f KiB); as served: %d bytes (%.1f KiB)\n", sg, sg / 1024, sb, sb / 1024
}'
if [[ "${1:-}" == "--check" ]]; then
  status=0
  ((portal_br <= PORTAL_BUDGET)) || { echo "portal bundle over budget ($PORTAL_BUDGET bytes as served)" >&2; status=1; }
  ((nps_br <= NPS_PAGE_BUDGET)) || { echo "NPS host page over budget ($NPS_PAGE_BUDGET bytes as served)" >&2; status=1; }
  ((sq_br <= SERVQUAL_PAGE_BUDGET)) || { echo "SERVQUAL host page over budget ($SERVQUAL_PAGE_BUDGET bytes as served)" >&2; status=1; }
  exit $status
fi
