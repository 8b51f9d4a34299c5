"""Benchmark the report runner: the default report set against as many trivial notebooks, same runner.

    .venv/bin/python benchmarks/bench_reports.py [--repeats 2] [--jobs N]

Prints, in one run:
  1. wall time of the default set of reports.yml (data built beforehand, so the build is not counted) and of
     the same number of trivial notebooks (a parameters cell and a print) through the same runner, same
     jobs; ratio = default / trivial, target <= 2 (best of --repeats runs each, alternating).
     Also, for context: the default set with every kernel started afresh (--fresh-kernels) instead of forked
     from the run's warm fork server, and as many notebooks that run only the common preamble.
  2. where the default set's time goes: each page's own time (from the run's run.json) and the statistics
     imports (scipy, statsmodels) that the lags and trends pages pay on top of the preloaded modules.
  3. start-up cost per notebook that the runner avoids:
     a. papermill and nbconvert imported once per worker instead of once per notebook: the command-line
        route (`papermill` + `jupyter nbconvert` per notebook) against the runner's per-notebook time;
     b. rfc3987_syntax (pulled in by jsonschema's format checkers when JupyterLab is installed): `import
        nbformat` with the module available vs marked unavailable as the runner's processes do;
     c. plotly.js inlined once by the page instead of sent by every kernel through the executed notebook:
        the overview page both ways.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent


PREAMBLE = """import analysis as an
from analysis.notebook.page import manifest_for, setup_notebook, show_header
setup_notebook()
manifest = manifest_for(data)
data = an.filter_data(an.load_data(data), start, end, countries)
show_header("Preamble only", {"start": start, "end": end, "countries": countries}, manifest)
"""


def trivial_notebook(body: str = "print(start, end, countries)") -> dict:
    """Return a notebook that declares the common parameters and runs one cell (by default: prints them)."""
    parameters = 'data = ""\nstart = "2019-01-01"\nend = "2024-12-31"\ncountries = ["Iraq", "Syria", "Jordan"]\n'
    cells = [
        {
            "cell_type": "code",
            "id": "parameters",
            "metadata": {"tags": ["parameters"]},
            "source": parameters,
            "outputs": [],
            "execution_count": None,
        },
        {"cell_type": "code", "id": "body", "metadata": {}, "source": body, "outputs": [], "execution_count": None},
    ]
    return {
        "cells": cells,
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    }


def write_trivial_set(folder: Path, count: int, parameters: dict, body: str = "print(start, end, countries)") -> Path:
    """Write `count` one-cell notebooks and a reports.yml listing them (set 'trivial'); return the config path."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    names = [f"trivial_{i}" for i in range(count)]
    for name in names:
        (folder / f"{name}.ipynb").write_text(json.dumps(trivial_notebook(body)), encoding="utf-8")
    config = {
        "default_set": "trivial",
        "pages": names,
        "sets": {"trivial": {"title": "Trivial notebooks", "parameters": parameters}},
    }
    path = folder / "reports.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def timed_run(report_set, options) -> tuple[float, int]:
    """Run one set through the runner; return wall seconds and the number of failed pages."""
    from analysis.reporting.runner import run_reports

    started = time.perf_counter()
    summary = run_reports([report_set], options, progress=lambda message: None)
    return time.perf_counter() - started, sum(len(s.failed_pages) for s in summary.sets)


def median_command_seconds(command: list[str], repeats: int = 3, env: dict | None = None) -> float:
    """Run a command several times and return its median wall time."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def command_line_route_seconds(notebook: Path, folder: Path) -> float:
    """Time papermill's and nbconvert's command lines on one notebook (what a shell script would do)."""
    executed = folder / "executed.ipynb"
    started = time.perf_counter()
    subprocess.run(
        [str(VENV_BIN / "papermill"), str(notebook), str(executed), "-k", "python3", "--no-progress-bar"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [str(VENV_BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


STATISTICS_IMPORTS = {
    "lags": "import statsmodels.duration.survfunc, statsmodels.stats.proportion",
    "trends": "import statsmodels.tsa.seasonal, statsmodels.tsa.stattools, statsmodels.discrete.discrete_model, "
    "statsmodels.stats.diagnostic, statsmodels.stats.proportion",
}


def statistics_import_seconds(code: str) -> float:
    """Time an import in a fresh process that has already imported what the fork server preloads."""
    from analysis.reporting.kernels import ANALYSIS_MODULES, KERNEL_MODULES

    preload = "; ".join(f"import {name}" for name in (*KERNEL_MODULES, *ANALYSIS_MODULES))
    timed = f"{preload}; import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    times = [
        float(subprocess.run([PYTHON, "-c", timed], check=True, capture_output=True, text=True).stdout.split()[-1])
        for _ in range(3)
    ]
    return sorted(times)[1]


def page_seconds(out_dir: Path, set_name: str) -> dict[str, float]:
    """Return each page's time in the latest run of a set (its run.json)."""
    record = json.loads((out_dir / set_name / "latest" / "run.json").read_text(encoding="utf-8"))
    return {page["name"]: page["seconds"] for page in record["pages"]}


def rfc3987_saving() -> str:
    """Measure `import nbformat` with rfc3987_syntax importable and with it marked unavailable."""
    import importlib.util

    if importlib.util.find_spec("rfc3987_syntax") is None:
        return (
            "rfc3987_syntax is not installed in this environment (it arrives with JupyterLab through "
            "jupyter-events): nothing to save here; with it installed, every nbformat import pays its ~1 s"
        )
    lines = []
    for code, role in (
        ("import nbformat", "the runner: papermill, nbconvert"),
        ("from analysis.notebook.page import setup_notebook; setup_notebook()", "every report kernel"),
    ):
        plain = median_command_seconds([PYTHON, "-c", code], repeats=5)
        guarded = median_command_seconds(
            [PYTHON, "-c", f"import sys; sys.modules['rfc3987_syntax'] = None; {code}"], repeats=5
        )
        lines.append(
            f"`{code}` ({role}): {plain:.2f} s with rfc3987_syntax, {guarded:.2f} s marked unavailable: "
            f"{plain - guarded:.2f} s saved per process"
        )
    return "\n     ".join(lines)


def plotlyjs_saving(options, report_set, repeats: int) -> str:
    """Time the overview page with plotly.js sent by the kernel vs inlined by the page."""
    from dataclasses import replace

    from analysis.notebook.page import PAGE_PROVIDES_PLOTLYJS
    from analysis.reporting import worker
    from analysis.reporting.config import select_pages
    from analysis.reporting.runner import plan_jobs, resolve_data

    worker.prepare_runner()
    overview = select_pages(report_set, ["overview"])
    fingerprint, data_path = resolve_data([overview], options, lambda message: None)[overview.name]
    results = {}
    for mode in ("kernel", "page"):
        times = []
        for _ in range(repeats):
            staging = Path(tempfile.mkdtemp(prefix="bench-page-"))
            (staging / "kernels").mkdir()
            job = plan_jobs(overview, options, fingerprint, data_path, staging, staging / "kernels")[0]
            job = replace(job, kernel_dir=staging / "kernels")
            # "0": the kernel's first figure displays plotly.js itself (the page then adds none)
            flag = "1" if mode == "page" else "0"
            worker.kernel_environment = lambda: {**os.environ, PAGE_PROVIDES_PLOTLYJS: flag}
            outcome = worker.run_page(job)
            if outcome.status != "ok":
                raise SystemExit(f"overview failed while benchmarking: {outcome.error}")
            times.append(outcome.seconds)
            shutil.rmtree(staging)
        results[mode] = min(times)
    return (
        f"overview page: {results['kernel']:.2f} s with plotly.js sent by the kernel, {results['page']:.2f} s "
        f"with it inlined by the page: {results['kernel'] - results['page']:.2f} s saved per page with figures"
    )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each set; the best is reported")
    parser.add_argument("--jobs", type=int, default=None, help="parallel notebooks (default: number of cores)")
    args = parser.parse_args()

    sys.path.insert(0, str(PROJECT_DIR))
    from analysis import paths
    from analysis.pipeline.build import build
    from analysis.reporting.config import load_report_config
    from analysis.reporting.runner import RunOptions, default_jobs

    folder = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        started = time.perf_counter()
        build(paths.RAW_DIR, folder / "processed")
        print(f"data build (not counted below): {time.perf_counter() - started:.2f} s")
        config = load_report_config()
        default_set = config.get(config.default_set)
        jobs = args.jobs or default_jobs()
        real_options = RunOptions(out_dir=folder / "out-default", processed_dir=folder / "processed", jobs=jobs)
        parameters = {k: v for k, v in default_set.parameters.items() if k in ("start", "end", "countries")}
        trivial_config = load_report_config(write_trivial_set(folder / "trivial", len(default_set.pages), parameters))
        trivial_set = trivial_config.get("trivial")
        trivial_options = replace_options(
            real_options, out_dir=folder / "out-trivial", notebooks_dir=folder / "trivial"
        )

        preamble_set = load_report_config(
            write_trivial_set(folder / "preamble", len(default_set.pages), parameters, PREAMBLE)
        ).get("trivial")
        preamble_options = replace_options(
            real_options, out_dir=folder / "out-preamble", notebooks_dir=folder / "preamble"
        )

        fresh_options = replace_options(real_options, out_dir=folder / "out-fresh", fork_kernels=False)

        real_times, trivial_times, preamble_times, fresh_times = [], [], [], []
        for _ in range(args.repeats):
            seconds, failed = timed_run(default_set, real_options)
            real_times.append(seconds)
            if failed:
                print(f"warning: {failed} pages of the default set failed; see {real_options.out_dir}")
            trivial_times.append(timed_run(trivial_set, trivial_options)[0])
            preamble_times.append(timed_run(preamble_set, preamble_options)[0])
            fresh_times.append(timed_run(default_set, fresh_options)[0])
        real, trivial, preamble, fresh = min(real_times), min(trivial_times), min(preamble_times), min(fresh_times)
        pages = len(default_set.pages)
        print(
            f"default set '{default_set.name}' ({pages} pages, {jobs} jobs): "
            + ", ".join(f"{t:.2f}" for t in real_times)
            + f" s; best {real:.2f} s"
        )
        print(
            f"{pages} trivial notebooks ({jobs} jobs): "
            + ", ".join(f"{t:.2f}" for t in trivial_times)
            + f" s; best {trivial:.2f} s"
        )
        print(f"ratio default / trivial: {real / trivial:.2f} (target <= 2)")
        print(
            f"context: {pages} notebooks running only the common preamble (import analysis, setup_notebook, "
            f"load_data, show_header): best {preamble:.2f} s; default / preamble: {real / preamble:.2f}"
        )
        print(
            "context: default set with every kernel started afresh (--fresh-kernels): "
            + ", ".join(f"{t:.2f}" for t in fresh_times)
            + f" s; best {fresh:.2f} s; forked from the fork server: "
            f"{real:.2f} s ({fresh - real:.2f} s saved)"
        )

        print(f"where the default set's time goes (its last run, {jobs} pages at a time):")
        seconds = page_seconds(real_options.out_dir, default_set.name)
        print(
            "  pages: "
            + ", ".join(f"{name} {value:.2f} s" for name, value in seconds.items())
            + f"; sum {sum(seconds.values()):.2f} s (trivial notebooks: {trivial / pages * jobs:.2f} s each)"
        )
        for page, code in STATISTICS_IMPORTS.items():
            print(
                f"  {page}: its statistics imports alone take {statistics_import_seconds(code):.2f} s "
                "(scipy and statsmodels, on top of what the fork server preloads)"
            )
        print(
            f"  floor: notebooks running only the common preamble are already {preamble / trivial:.2f}x the trivial ones"
        )

        print("start-up cost avoided per notebook:")
        per_notebook_runner = trivial / pages * jobs
        command_line = min(command_line_route_seconds(folder / "trivial" / "trivial_0.ipynb", folder) for _ in range(2))
        print(
            f"  a. papermill + nbconvert command lines: {command_line:.2f} s per trivial notebook; through the "
            f"runner: {per_notebook_runner:.2f} s (busy time per notebook, {jobs} at a time)"
        )
        print(f"  b. {rfc3987_saving()}")
        print(f"  c. {plotlyjs_saving(real_options, default_set, args.repeats)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def replace_options(options, **changes):
    """Return a copy of RunOptions with some fields changed."""
    from dataclasses import replace

    return replace(options, **changes)


if __name__ == "__main__":
    main()
