"""Benchmark: `import analysis` time and the build of the shipped incident log.

Run on demand: `.venv/bin/python benchmarks/bench_build.py [--repeat N]`. Prints medians and ratios measured
in one run (machines here are noisy: compare ratios, not absolute seconds).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


def time_command(code: str, repeat: int) -> list[float]:
    """Time a fresh interpreter running code, repeat times."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_DIR)
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    """Print import and build timings with their ratios to a bare interpreter start."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        bare = time_command("pass", args.repeat)
        import_analysis = time_command("import analysis", args.repeat)
        import_pandas = time_command("import pandas", args.repeat)
        build = time_command(f"import analysis; analysis.build(out_dir={str(Path(scratch) / 'out')!r})", args.repeat)
    rows = [
        ("python start (bare)", bare),
        ("import analysis", import_analysis),
        ("import pandas", import_pandas),
        ("build shipped log (fresh process)", build),
    ]
    base = statistics.median(bare)
    print(f"{'what':38} {'median s':>9} {'min s':>7} {'x bare':>7}")
    for name, timings in rows:
        print(
            f"{name:38} {statistics.median(timings):9.3f} {min(timings):7.3f} {statistics.median(timings) / base:7.2f}"
        )
    print(f"build minus python start: {statistics.median(build) - base:.3f} s (repeat={args.repeat})")


if __name__ == "__main__":
    main()
