#!/usr/bin/env bash
# Open the report notebooks in JupyterLab: set up .venv with the lab extra if needed (requirements/locked-lab.txt),
# then start JupyterLab from it on notebooks/ (`python -m analysis lab`). Arguments go to JupyterLab, e.g.
#   bash scripts/lab.sh --port 8890 --no-browser
set -euo pipefail
cd "$(dirname "$0")/.."
# Keep the venv's bytecode (.pyc): where PYTHONDONTWRITEBYTECODE is set, as on some machine images, every process
# would compile pandas, statsmodels, ... from source again (build and reports took 50 s instead of 16 s).
unset PYTHONDONTWRITEBYTECODE
bash scripts/setup.sh --lab
exec .venv/bin/python -m analysis lab -- "$@"
