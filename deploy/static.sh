#!/usr/bin/env bash
# Install the pinned front-end packages (package-lock.json) and copy them into server/static/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
dest=server/static/vendor
mkdir -p "$dest"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/"
cp node_modules/@picocss/pico/css/pico.classless.min.css "$dest/"
cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css "$dest/"
