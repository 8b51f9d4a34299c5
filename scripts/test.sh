#!/usr/bin/env bash
# Set up .venv if needed, then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# Keep the venv's bytecode (.pyc): where PYTHONDONTWRITEBYTECODE is set, as on some machine images, every process
# would compile pandas, statsmodels, ... from source again (build and reports took 50 s instead of 16 s).
unset PYTHONDONTWRITEBYTECODE
bash scripts/setup.sh
# The layers (import-linter contracts in pyproject.toml) and the lint rules are part of the tests.
.venv/bin/lint-imports --no-cache >/dev/null || .venv/bin/lint-imports --no-cache
.venv/bin/ruff check --quiet .
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" "$@"
