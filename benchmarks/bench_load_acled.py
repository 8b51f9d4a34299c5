"""Benchmark: load_events on a 1,000,000-row ACLED export against pyarrow's plain CSV read of the same file.

    .venv/bin/python benchmarks/bench_load_acled.py                 # 1,000,000 rows, 3 rounds
    .venv/bin/python benchmarks/bench_load_acled.py --rows 200000 --rounds 1

Targets: load_events at most 3x the plain read, peak memory under 4 GB. Each measurement runs in a fresh
Python process (so peak memory is that step's own, and caches do not carry over); plain reads and loads
alternate, so a noisy neighbour slows both alike. The figures printed are medians over the rounds, and the
ratio is taken within each round before the median; the best round of each is printed too.

Imports are not timed, on either side (pyarrow.csv for the plain read; analysis and pandera, which
load_events imports on first use, for the load); their time is printed so it is not hidden. What a first
validation does once per process beyond the import (pandera registering its backends) is timed.
Mind the machine: the plain read uses every core and load_events mostly one, so on an idle machine the ratio
is at its highest, and on a busy one lower.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 3.0
TARGET_PEAK_GB = 4.0

PLAIN_READ = """
import json, resource, time, sys
import pyarrow.csv
start, cpu = time.perf_counter(), time.process_time()
table = pyarrow.csv.read_csv(sys.argv[1])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "rows": table.num_rows,
                  "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2}))
"""
LOAD_EVENTS = """
import json, resource, time, sys, warnings
import analysis as an
import analysis.sources.acled, analysis.pipeline.validation  # imports are not part of the timed load
pandera_import = time.perf_counter()
import pandera.pandas  # imported by load_events' first validation: an import, so not timed either (printed)
pandera_import = time.perf_counter() - pandera_import
start, cpu = time.perf_counter(), time.process_time()
data = an.load_events([sys.argv[1]])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
totals = data.accounting[["raw_rows", "events", "merged", "quarantined"]].sum().astype(int).to_dict()
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "pandera_import_seconds": pandera_import, "rows": len(data.events), "casualties": len(data.casualties),
                  "roles": data.events["role"].value_counts().astype(int).to_dict(), "accounting": totals,
                  "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2}))
"""

# Where load_events spends its time, measured in a separate process after the timed rounds (not in the ratio).
BREAKDOWN = """
import json, time, sys, warnings
import analysis as an
import analysis.sources.acled, analysis.pipeline.validation, pandera.pandas
from analysis.pipeline.validation import validate
start = time.perf_counter()
data = an.load_events([sys.argv[1]], validate=False)
loaded = time.perf_counter()
validate(data)
done = time.perf_counter()
print(json.dumps({"load_without_validation": loaded - start, "validation": done - loaded}))
"""


def run_child(code: str, path: Path) -> dict:
    """Run one measurement in a fresh interpreter and return what it printed."""
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Generate (or reuse) the file, measure, print the figures; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--path", type=Path, help="an existing ACLED CSV to use instead of generating one")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from generate_acled import write_acled

    with tempfile.TemporaryDirectory() as scratch:
        path = args.path or write_acled(Path(scratch) / "acled.csv", args.rows, seed=1)
        size_mb = path.stat().st_size / 1e6
        rounds = []
        for _ in range(args.rounds):
            plain, load = run_child(PLAIN_READ, path), run_child(LOAD_EVENTS, path)
            rounds.append((plain, load))
            print(
                f"  round: plain read {plain['seconds']:.2f} s, load_events {load['seconds']:.2f} s, "
                f"ratio {load['seconds'] / plain['seconds']:.2f}, peak {load['peak_gb']:.2f} GB",
                flush=True,
            )
        breakdown = run_child(BREAKDOWN, path)
    plain_seconds = statistics.median(p["seconds"] for p, _ in rounds)
    load_seconds = statistics.median(l["seconds"] for _, l in rounds)
    ratio = statistics.median(l["seconds"] / p["seconds"] for p, l in rounds)
    peak_gb = max(l["peak_gb"] for _, l in rounds)
    last = rounds[-1][1]
    print(f"file: {path.name if args.path else 'generated'}, {rounds[0][0]['rows']:,} rows, {size_mb:.0f} MB")
    print(f"pyarrow plain read: {plain_seconds:.2f} s (median of {len(rounds)})")
    print(f"load_events:        {load_seconds:.2f} s (median of {len(rounds)}; validated, duplicates merged)")
    print(f"ratio:              {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x)")
    cpu_plain = statistics.median(p["cpu_seconds"] for p, _ in rounds)
    cpu_load = statistics.median(l["cpu_seconds"] for _, l in rounds)
    print(
        f"CPU time:           plain read {cpu_plain:.2f} s (multi-threaded), load_events {cpu_load:.2f} s, "
        f"ratio {cpu_load / cpu_plain:.2f}x (less sensitive to a busy machine than wall time)"
    )
    best_plain, best_load = min(p["seconds"] for p, _ in rounds), min(l["seconds"] for _, l in rounds)
    print(
        f"best round:         plain read {best_plain:.2f} s, load_events {best_load:.2f} s, ratio {best_load / best_plain:.2f}x "
        f"(each the least disturbed of {len(rounds)})"
    )
    print(f"peak memory:        {peak_gb:.2f} GB in load_events' process (target < {TARGET_PEAK_GB:.0f} GB)")
    print(
        f"not timed:          pandera's import {statistics.median(l['pandera_import_seconds'] for _, l in rounds):.2f} s "
        "(once per process, like the imports of analysis and pyarrow.csv)"
    )
    print(
        f"breakdown (one more run): load_events(validate=False) {breakdown['load_without_validation']:.2f} s, "
        f"then schema validation {breakdown['validation']:.2f} s"
    )
    print(
        f"accounting: {last['accounting']}; events {last['rows']:,}, casualty rows {last['casualties']:,}; roles {last['roles']}"
    )
    return 0 if ratio <= TARGET_RATIO and peak_gb < TARGET_PEAK_GB else 1


if __name__ == "__main__":
    sys.exit(main())
