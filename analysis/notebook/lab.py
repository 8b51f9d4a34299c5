"""Start JupyterLab on the report notebooks with the interpreter this package runs in (`python -m analysis lab`).

Each notebook is listed once: its jupytext pair (`notebooks/<name>.py`, kept in step by jupytext when the
notebook is saved) is hidden from JupyterLab's file browser.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from analysis.core.errors import AnalysisError

# JupyterLab's own defaults, then the jupytext pairs of the notebooks and their configuration
HIDDEN_FILES = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "*.py", "jupytext.toml")
ROOT_NOTE = (
    "note: running as root, so JupyterLab is started with --allow-root (it refuses root otherwise); "
    "as an ordinary user it is not needed"
)


def is_root() -> bool:
    """Tell whether this process runs as root (never on Windows)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(notebooks_dir: Path, *, as_root: bool, jupyter_args: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Return the command that starts JupyterLab on a notebook folder, jupytext pairs hidden.

    >>> lab_command(Path("/p/notebooks"), as_root=True)[1:]  # doctest: +NORMALIZE_WHITESPACE
    ['-m', 'jupyterlab', '--ServerApp.root_dir=/p/notebooks',
     "--ContentsManager.hide_globs=['__pycache__', '*.pyc', '*.pyo', '.DS_Store', '*~', '*.py', 'jupytext.toml']",
     '--allow-root']
    """
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={notebooks_dir}",
        f"--ContentsManager.hide_globs={list(HIDDEN_FILES)}",
    ]
    if as_root and "--allow-root" not in jupyter_args:
        command.append("--allow-root")
    return command + list(jupyter_args)


def check_jupyterlab_installed() -> None:
    """Raise a clear error when JupyterLab is not installed in this environment."""
    if importlib.util.find_spec("jupyterlab") is None:
        raise AnalysisError(
            f"JupyterLab is not installed for {sys.executable}: run `bash scripts/lab.sh`, which adds it "
            "(requirements/locked-lab.txt), or `pip install -e '.[lab]'` in your own environment"
        )


def start_lab(notebooks_dir: Path, jupyter_args: list[str] | tuple[str, ...] = ()) -> int:
    """Replace this process with JupyterLab on the notebooks (a child process on Windows); return its exit status."""
    check_jupyterlab_installed()
    if not Path(notebooks_dir).is_dir():
        raise AnalysisError(f"{notebooks_dir} is not a folder of notebooks")
    if is_root():
        print(ROOT_NOTE, file=sys.stderr, flush=True)
    command = lab_command(Path(notebooks_dir).resolve(), as_root=is_root(), jupyter_args=jupyter_args)
    if os.name == "nt":
        import subprocess

        return subprocess.call(command)
    os.execv(sys.executable, command)  # Ctrl-C and signals go straight to JupyterLab
    return 0  # not reached
