#!/usr/bin/env bash
# Set up .venv if needed, clean data/raw into data/processed, then write the HTML reports of the default
# report set (reports.yml) to reports/. Extra arguments go to the report command, e.g.
#   bash scripts/run.sh --all-sets        bash scripts/run.sh --set syria-2022
set -euo pipefail
cd "$(dirname "$0")/.."
# Keep the venv's bytecode (.pyc): where PYTHONDONTWRITEBYTECODE is set, as on some machine images, every process
# would compile pandas, statsmodels, ... from source again (build and reports took 50 s instead of 16 s).
unset PYTHONDONTWRITEBYTECODE
bash scripts/setup.sh
.venv/bin/python -m analysis build
.venv/bin/python -m analysis report "$@"
echo "Reports: $(pwd)/reports/index.html"
