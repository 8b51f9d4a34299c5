#!/usr/bin/env bash
# Set up .venv if needed, clean data/raw into data/processed, then write the HTML reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m analysis build
if .venv/bin/python -m analysis report --help >/dev/null 2>&1; then
  .venv/bin/python -m analysis report "$@"
fi
