#!/usr/bin/env bash
# Create .venv and install the package with its test tools, at the exact versions of requirements/locked.txt
# (refreshed by scripts/lock.sh). Installs with uv (from PyPI, kept in .venv-tools/) when it can be had, else
# with pip. Re-runs are instant: nothing is installed while pyproject.toml and the lock file are unchanged.
#   bash scripts/setup.sh          set up (or bring .venv in step with the lock file)
#   bash scripts/setup.sh --lab    also JupyterLab (requirements/locked-lab.txt); later runs keep it
#   SETUP_WITH_PIP=1 bash scripts/setup.sh    use pip even where uv can be had
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: Python 3.11+ is required (found $("$PYTHON" --version))" >&2; exit 1; }
lock=requirements/locked.txt
if [ "${1:-}" = "--lab" ] || [ -f .venv/.with-lab ]; then lock=requirements/locked-lab.txt; fi
stamp=".venv/.installed-$(cat pyproject.toml "$lock" | sha256sum | cut -c1-16)"
[ -f "$stamp" ] && exit 0

uv="" why="SETUP_WITH_PIP=1"
if [ "${SETUP_WITH_PIP:-0}" != 1 ]; then
  uv="$(PYTHON="$PYTHON" bash scripts/uv.sh 2>/dev/null)" || { uv=""; why="uv could not be installed from PyPI with $PYTHON -m pip"; }
fi
if [ -n "$uv" ]; then
  echo "Installing the locked dependencies into .venv with uv ($lock)..."
  export UV_PYTHON_DOWNLOADS=never  # use this machine's Python, never a downloaded one
  [ -x .venv/bin/python ] || "$uv" venv --quiet --seed --python "$PYTHON" .venv
  "$uv" pip sync --quiet --python .venv/bin/python "$lock"
  "$uv" pip install --quiet --python .venv/bin/python --no-deps -e .
else
  echo "$why: installing with pip instead, which is slower ($lock)..."
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$lock"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
fi
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
if [ "$lock" = requirements/locked-lab.txt ]; then touch .venv/.with-lab; fi
rm -f .venv/.installed-* && touch "$stamp"
