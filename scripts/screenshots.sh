#!/usr/bin/env bash
# Screenshot report pages in headless Chromium at desktop (1400 px) and phone (390 px) width, so a person can
# look at them:   bash scripts/screenshots.sh reports/all-theatres/latest [OUT_DIR]
# Writes <page>-1400.png and <page>-390.png for every .html page of the folder (default OUT_DIR: <folder>/screenshots).
set -euo pipefail
folder="${1:?usage: bash scripts/screenshots.sh REPORT_FOLDER [OUT_DIR]}"
out="${2:-$folder/screenshots}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "error: no Chromium found (Debian: apt-get install chromium)" >&2; exit 2; }
mkdir -p "$out"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
shoot() {  # shoot URL WIDTH HEIGHT PNG
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars --virtual-time-budget=8000 \
    --window-size="$2,$3" --screenshot="$4" "$1" >/dev/null 2>&1
}
for page in "$folder"/*.html; do
  name="$(basename "$page" .html)"
  shoot "file://$(realpath "$page")" 1400 2600 "$out/$name-1400.png"
  echo "$out/$name-1400.png"
  # Chromium will not make a window narrower than about 500 px: a 390 px frame inside a wider page is the phone.
  frame="$profile/$name-phone.html"
  printf '<!doctype html><body style="margin:0;background:#888"><iframe src="%s" style="width:390px;height:3600px;border:0;background:#fff"></iframe></body>' \
    "file://$(realpath "$page")" > "$frame"
  shoot "file://$frame" 390 3600 "$out/$name-390.png"
  echo "$out/$name-390.png"
done
