#!/usr/bin/env bash
# Print the path of a uv executable: .venv-tools/bin/uv, installed there from PyPI with this Python's own pip
# on first use. Exits non-zero (pip's error on stderr) when uv cannot be had; scripts/setup.sh then uses pip.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv-tools/bin/uv ]; then
  rm -rf .venv-tools
  "$PYTHON" -m pip install --quiet --quiet --disable-pip-version-check --no-warn-script-location \
    --target .venv-tools "uv>=0.6,<1" >&2
fi
echo "$(pwd)/.venv-tools/bin/uv"
