#!/usr/bin/env bash
# Refresh the lock files from the ranges in pyproject.toml: the newest versions that fit them, for every
# platform and for Python 3.11 and later. Commit the two files; scripts/setup.sh installs exactly these versions.
#   requirements/locked.txt      the package's dependencies and its test tools (what setup.sh installs)
#   requirements/locked-lab.txt  the same versions plus JupyterLab (what scripts/lab.sh installs)
set -euo pipefail
cd "$(dirname "$0")/.."
uv="$(bash scripts/uv.sh)"
compile() {
  "$uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes --no-emit-package pip \
    --custom-compile-command "bash scripts/lock.sh" pyproject.toml "$@"
}
compile --extra test -o requirements/locked.txt
# constrained by the first file, so adding JupyterLab never changes a version the reports compute with
compile --extra test --extra lab -c requirements/locked.txt -o requirements/locked-lab.txt
echo "Locked $(grep -c '==' requirements/locked.txt) packages in requirements/locked.txt, $(grep -c '==' requirements/locked-lab.txt) in requirements/locked-lab.txt"
