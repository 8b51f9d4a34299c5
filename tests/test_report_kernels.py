"""Tests of the report kernels: forked from a warm process (analysis.reporting.kernels), or started afresh."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from analysis.reporting import kernels, worker
from analysis.reporting.kernels import (
    ANALYSIS_MODULES, KERNEL_MODULES, KernelForkServer, forkable_command, notebook_imports, preload_modules,
)
from analysis.reporting.worker import PageJob
from tests.test_report import write_notebook

needs_fork = pytest.mark.skipif(not kernels.can_fork(), reason="kernels are forked only where os.fork exists (POSIX)")

# What a kernel reports about itself: its process, parent, folder, path, environment, random state and
# whether pandas was imported before the notebook asked for it.
REPORT_SELF = """\
import json, os, sys
pandas_preloaded = 'pandas' in sys.modules
import numpy
with open('/proc/%d/cmdline' % os.getppid(), 'rb') as f:
    parent = f.read().replace(b'\\0', b' ').decode()
print('REPORT' + json.dumps({'pid': os.getpid(), 'parent': parent, 'cwd': os.getcwd(), 'cwd_on_path': '' in sys.path,
                              'flag': os.environ.get('ANALYSIS_PAGE_PROVIDES_PLOTLYJS'), 'random': numpy.random.rand(),
                              'pandas_preloaded': pandas_preloaded}))
"""


def test_notebook_imports__import_forms_magics_and_relative_imports(tmp_path):
    source = "%matplotlib inline\nimport os.path, numpy as np\nfrom plotly import io\nfrom . import local\n!ls\n"
    path = write_notebook(tmp_path / "n.ipynb", body=source)
    assert notebook_imports(path) == {"os", "numpy", "plotly"}


def test_preload_modules__analysis_pages_bring_the_report_stack_others_only_what_they_import(tmp_path):
    report = write_notebook(tmp_path / "report.ipynb", body="import analysis as an\nfrom analysis.notebook.page import show_text")
    trivial = write_notebook(tmp_path / "trivial.ipynb", body="print(start)")
    assert preload_modules([trivial]) == list(KERNEL_MODULES)
    assert preload_modules([trivial, report, tmp_path / "missing.ipynb"]) == [*KERNEL_MODULES, *ANALYSIS_MODULES]
    other = write_notebook(tmp_path / "other.ipynb", body="import json\nimport analysis")
    assert preload_modules([other])[len(KERNEL_MODULES):] == [*ANALYSIS_MODULES, "json"]


def test_forkable_command__only_this_python_running_ipykernel():
    assert forkable_command([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    # the kernel spec `ipykernel install` writes on Python 3.11+
    assert forkable_command([sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not forkable_command([sys.executable, "-c", "-m", "ipykernel_launcher"])
    assert not forkable_command(["/usr/bin/python3-other", "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not forkable_command([sys.executable, "-m", "other_kernel", "-f", "k.json"])
    assert not forkable_command(["R", "--slave"])


def run_notebooks(tmp_path: Path, count: int, fork_server) -> list[dict]:
    """Run `count` copies of the self-reporting notebook through run_page; return what each kernel said."""
    notebook = write_notebook(tmp_path / "nbs" / "self.ipynb", body=REPORT_SELF)
    said = []
    for index in range(count):
        staging = tmp_path / f"staging{index}"
        (staging / "kernels").mkdir(parents=True)
        job = PageJob(set_name="s", set_title="S", page_name="self", page_title="Self", notebook=notebook,
                      parameters={}, data_fingerprint="f", package_version="0", staging_dir=staging,
                      kernel_dir=staging / "kernels", navigation=(), keep_notebook=True)
        outcome = worker.run_page(job, fork_server=fork_server)
        assert outcome.status == "ok", outcome.error
        executed = json.loads((staging / "notebooks" / "self.ipynb").read_text())
        text = "".join("".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", []))
        said.append(json.loads(text.split("REPORT", 1)[1]))
    return said


@pytest.mark.notebooks
@needs_fork
def test_kernel_fork_server__kernels_are_fresh_processes_like_started_ones(tmp_path):
    server = KernelForkServer([*KERNEL_MODULES, "pandas"], env=worker.kernel_environment())
    try:
        ready = server.wait_ready()
        forked = run_notebooks(tmp_path, 2, server)
    finally:
        server.close()
    started = run_notebooks(tmp_path / "fresh", 1, None)
    assert ready["failed"] == [] and forked[0]["pid"] != forked[1]["pid"]
    assert all("analysis.reporting.kernels" in k["parent"] for k in forked)  # children of the server...
    assert "analysis.reporting.kernels" not in started[0]["parent"]  # ...and without it, of the runner
    for kernel, folder in [(k, tmp_path) for k in forked] + [(started[0], tmp_path / "fresh")]:
        assert kernel["cwd"] == str((folder / "nbs").resolve()) and kernel["cwd_on_path"] and kernel["flag"] == "1"
    assert forked[0]["pandas_preloaded"] and not started[0]["pandas_preloaded"]
    assert forked[0]["random"] != forked[1]["random"]  # numpy's generator is reseeded in every kernel


@pytest.mark.notebooks
@needs_fork
def test_kernel_fork_server__close_stops_the_kernels_still_running(tmp_path):
    from jupyter_core.utils import run_sync

    server = KernelForkServer(list(KERNEL_MODULES), env=worker.kernel_environment())
    job = PageJob(set_name="s", set_title="S", page_name="p", page_title="P", notebook=tmp_path / "p.ipynb",
                  parameters={}, data_fingerprint="f", package_version="0", staging_dir=tmp_path, kernel_dir=tmp_path,
                  navigation=())
    manager = worker.kernel_manager(job, server)
    try:
        run_sync(manager.start_kernel)()
        pid = manager.provisioner.pid
        assert run_sync(manager.is_alive)() and manager.provisioner.process.poll() is None
    finally:
        server.close()
    deadline = time.monotonic() + 10
    while process_running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not process_running(pid)
    assert manager.provisioner.process.poll() is not None  # the provisioner sees it gone
    run_sync(manager.cleanup_resources)()


def process_running(pid: int) -> bool:
    """Tell whether a process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_kernel_fork_server__not_ready_when_the_server_cannot_start(monkeypatch):
    monkeypatch.setattr(kernels, "__name__", "analysis.reporting.no_such_module")
    server = KernelForkServer([], env=dict(os.environ))
    try:
        with pytest.raises(kernels.ForkServerUnavailable, match="did not start"):
            server.wait_ready(timeout=30)
        with pytest.raises(kernels.ForkServerUnavailable):
            server.launch([sys.executable, "-m", "ipykernel_launcher"], {}, None)
    finally:
        server.close()
