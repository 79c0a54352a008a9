#!/usr/bin/env bash
# Copy the front-end files the templates use from node_modules (installed by npm from
# package-lock.json) into $TELEPATI_VAR_DIR/vendor, which settings serve as static `vendor/`.
# Add a line to FILES when a template needs another file.
set -euo pipefail
cd "$(dirname "$0")/.."

# <directory under vendor/>  <file under node_modules/>
FILES=(
  "htmx htmx.org/dist/htmx.min.js"
  "htmx htmx.org/LICENSE"
  "leaflet leaflet/dist/leaflet.js"
  "leaflet leaflet/dist/leaflet.css"
  "leaflet leaflet/LICENSE"
  "chartjs chart.js/dist/chart.umd.min.js"
  "chartjs chart.js/LICENSE.md"
  "leaflet/images leaflet/dist/images/marker-icon.png"
  "leaflet/images leaflet/dist/images/marker-icon-2x.png"
  "leaflet/images leaflet/dist/images/marker-shadow.png"
  "leaflet/images leaflet/dist/images/layers.png"
  "leaflet/images leaflet/dist/images/layers-2x.png"
)

vendor="${TELEPATI_VAR_DIR:-var}/vendor"
rm -rf "$vendor"
for entry in "${FILES[@]}"; do
  read -r target source <<<"$entry"
  mkdir -p "$vendor/$target"
  cp "node_modules/$source" "$vendor/$target/"
done
echo "Front-end files copied to $vendor/"
