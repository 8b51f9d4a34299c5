"""`python -m analysis lab`: JupyterLab from this environment on the notebooks, pairs hidden, root handled."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from analysis.core.errors import AnalysisError
from analysis.notebook import lab


def test_lab_command__hides_the_py_pairs_and_allows_root_only_as_root():
    as_user = lab.lab_command(Path("/p/notebooks"), as_root=False, jupyter_args=["--port", "8890"])
    assert as_user[:4] == [sys.executable, "-m", "jupyterlab", "--ServerApp.root_dir=/p/notebooks"]
    assert "'*.py'" in as_user[4] and as_user[4].startswith("--ContentsManager.hide_globs=")
    assert as_user[5:] == ["--port", "8890"]
    assert lab.lab_command(Path("/p"), as_root=True)[-1] == "--allow-root"
    assert lab.lab_command(Path("/p"), as_root=True, jupyter_args=["--allow-root"]).count("--allow-root") == 1


def test_check_jupyterlab_installed__names_the_command_that_adds_it(monkeypatch):
    monkeypatch.setattr(lab.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(AnalysisError, match=r"JupyterLab is not installed .*bash scripts/lab.sh"):
        lab.check_jupyterlab_installed()


def test_start_lab__as_root_prints_a_note_and_starts_jupyterlab_with_allow_root(monkeypatch, tmp_path, capsys):
    started = []
    monkeypatch.setattr(lab.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(lab, "is_root", lambda: True)
    monkeypatch.setattr(lab.os, "name", "posix")
    monkeypatch.setattr(lab.os, "execv", lambda program, command: started.append(command))
    lab.start_lab(tmp_path, ["--no-browser"])
    assert capsys.readouterr().err == lab.ROOT_NOTE + "\n"
    assert started[0][3] == f"--ServerApp.root_dir={tmp_path.resolve()}"
    assert started[0][-2:] == ["--allow-root", "--no-browser"]


def test_start_lab__missing_folder_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(lab.importlib.util, "find_spec", lambda name: object())
    with pytest.raises(AnalysisError, match="is not a folder of notebooks"):
        lab.start_lab(tmp_path / "nowhere")


def test_gitignore__executed_copies_and_checkpoints_of_notebooks_are_ignored():
    import subprocess

    from tests.conftest import PROJECT_DIR

    names = [
        "notebooks/lags.nbconvert.ipynb",
        "notebooks/.ipynb_checkpoints/lags-checkpoint.ipynb",
        "notebooks/lags.html",
    ]
    result = subprocess.run(["git", "check-ignore", *names], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert result.stdout.splitlines() == names
    assert subprocess.run(["git", "check-ignore", "notebooks/lags.ipynb"], cwd=PROJECT_DIR).returncode == 1
