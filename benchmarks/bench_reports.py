"""Benchmark the default report set over a large ACLED-format build, against the load it rests on, in one run.

    .venv/bin/python benchmarks/bench_reports.py [--rows 1000000] [--jobs 2] [--keep DIR]

Generates an ACLED-format file of --rows rows once (benchmarks/generate_acled.py), puts it beside the shipped
incident log, and prints, measured in this one run:
  1. build seconds: the ACLED file alone, and the log + the ACLED file with cross-source merging on (target:
     within 2x);
  2. load_events seconds on log + file (validated, duplicates merged), in a fresh process;
  3. the default report set (reports.yml) over that build: set seconds and the ratio to the load (target: <= 10x),
     each page's seconds and size (target: every page <= 5 MB), and the peak memory of the run, report kernels
     included (target: < 2.5 GB);
  4. the same set over the shipped log alone, for comparison.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TARGET_RATIO, TARGET_PAGE_MB, TARGET_PEAK_GB, TARGET_BUILD_RATIO = 10.0, 5.0, 2.5, 2.0


def run(command: list[str], **options) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak memory in GB of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=PROJECT_DIR, **options)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak_kb, before) / 1024**2


def peak_gb_of(command: list[str]) -> tuple[float, float]:
    """Run a command under /usr/bin/time when present to read its own peak memory (children included)."""
    timer = shutil.which("time") or "/usr/bin/time"
    if Path(timer).exists():
        with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
            started = time.perf_counter()
            subprocess.run([timer, "-f", "%M", "-o", report.name, *command], check=True, cwd=PROJECT_DIR,
                           stdout=subprocess.DEVNULL)  # fmt: skip
            seconds = time.perf_counter() - started
            return seconds, int(report.read().strip().splitlines()[-1]) / 1024**2
    return run(command, stdout=subprocess.DEVNULL)


def raw_folder(folder: Path, acled: Path | None, with_log: bool) -> Path:
    """Make a raw folder holding the shipped reference tables, the log and / or the ACLED file (linked)."""
    folder.mkdir(parents=True)
    shutil.copytree(PROJECT_DIR / "data" / "raw" / "reference", folder / "reference")
    if with_log:
        shutil.copy(PROJECT_DIR / "data" / "raw" / "incidents.csv", folder)
    if acled is not None:
        (folder / acled.name).symlink_to(acled)
    return folder


def build_seconds(raw: Path, out: Path) -> float:
    """Time `python -m analysis build` in a fresh process."""
    seconds, _ = run(
        [PYTHON, "-m", "analysis", "build", "--raw", str(raw), "--out", str(out)], stdout=subprocess.DEVNULL
    )
    return seconds


def load_seconds(raw: Path) -> float:
    """Time load_events over a raw folder in a fresh process (imports not counted)."""
    code = (
        "import time, analysis as an, analysis.pipeline.validation, analysis.sources.acled, pandera.pandas\n"
        f"started = time.perf_counter(); an.load_events({str(raw)!r}); print(time.perf_counter() - started)"
    )
    out = subprocess.run([PYTHON, "-c", code], check=True, capture_output=True, text=True, cwd=PROJECT_DIR)
    return float(out.stdout.strip().splitlines()[-1])


def report(raw: Path, processed: Path, out: Path, jobs: int) -> tuple[float, float, dict]:
    """Run the default report set; return (seconds, peak GB, {page: (seconds, MB)})."""
    command = [PYTHON, "-m", "analysis", "report", "--raw", str(raw), "--processed", str(processed), "--out", str(out),
               "--jobs", str(jobs), "--timeout", "1800"]  # fmt: skip
    seconds, peak = peak_gb_of(command)
    run_dirs = sorted((out).glob("*/latest"))
    pages = {}
    for latest in run_dirs:
        record = json.loads((latest / "run.json").read_text(encoding="utf-8"))
        for page in record["pages"]:
            size = (latest / page["html"]).stat().st_size / 1024**2 if (latest / page["html"]).exists() else 0.0
            pages[page["name"]] = (page["seconds"], size, page["status"])
    return seconds, peak, pages


def main() -> None:
    """Generate, build, load and report; print the figures and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--keep", type=Path, default=None, help="work in this folder and keep it (default: a temporary one)"
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-reports-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        acled = work / f"acled_{args.rows}.csv"
        if not acled.exists():
            started = time.perf_counter()
            subprocess.run([PYTHON, str(PROJECT_DIR / "benchmarks" / "generate_acled.py"), str(acled), "--rows",
                            str(args.rows)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            print(
                f"generated {args.rows:,} rows ({acled.stat().st_size / 1024**2:.0f} MB) in {time.perf_counter() - started:.1f} s"
            )
        for name in (
            "raw-acled",
            "raw-both",
            "raw-log",
            "built-acled",
            "built-both",
            "built-log",
            "reports-big",
            "reports-log",
        ):
            shutil.rmtree(work / name, ignore_errors=True)
        alone = raw_folder(work / "raw-acled", acled, with_log=False)
        both = raw_folder(work / "raw-both", acled, with_log=True)
        log = raw_folder(work / "raw-log", None, with_log=True)

        build_alone = build_seconds(alone, work / "built-acled")
        build_both = build_seconds(both, work / "built-both")
        print(f"build: ACLED alone {build_alone:.1f} s; log + ACLED with merging {build_both:.1f} s; "
              f"ratio {build_both / build_alone:.2f}x (target <= {TARGET_BUILD_RATIO:.0f}x)")  # fmt: skip
        load = load_seconds(both)
        print(f"load_events (log + ACLED, validated, merged): {load:.1f} s")

        build_seconds(log, work / "built-log")
        set_seconds, peak, pages = report(both, work / "built-both", work / "reports-big", args.jobs)
        print(f"default report set over {args.rows:,} rows: {set_seconds:.1f} s; ratio to load_events "
              f"{set_seconds / load:.1f}x (target <= {TARGET_RATIO:.0f}x); peak memory {peak:.2f} GB "
              f"(target < {TARGET_PEAK_GB} GB)")  # fmt: skip
        for name, (seconds, size, status) in pages.items():
            flag = "" if size <= TARGET_PAGE_MB else f"  OVER {TARGET_PAGE_MB:.0f} MB"
            print(f"  {name:14} {status:6} {seconds:6.1f} s  {size:5.2f} MB{flag}")
        log_seconds, log_peak, log_pages = report(log, work / "built-log", work / "reports-log", args.jobs)
        print(f"default report set over the shipped log: {log_seconds:.1f} s, peak {log_peak:.2f} GB; pages "
              + ", ".join(f"{n} {s:.1f} s / {m:.2f} MB" for n, (s, m, _) in log_pages.items()))  # fmt: skip
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
