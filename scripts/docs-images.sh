#!/usr/bin/env bash
# Regenerates the README's pictures (page 1 of each document) from `bangban demo` output.
# Needs poppler-utils (pdftoppm) — a maintainer's tool, not a dependency of bangban.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build >/dev/null
node bin/bangban.js demo -o out >/dev/null
for pdf in out/*.pdf; do
  name=$(basename "$pdf" .pdf)
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$pdf" "docs/$name"
done
ls docs/*.png
