"""Accuracy of the assisted-coding extractor on the hand-coded gold set (tests/data/extract_gold_*).

    .venv/bin/python benchmarks/extract_accuracy.py [--show-misses]

Reads the source texts from ../shared/sources (beside the project); prints a clear message and exits 0 when they
are absent. Prints event precision and recall (same local date, kind and place) and per-field accuracy (date,
place, kind, casualties with claimant) over the events found, with the targets of issue 18.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SOURCES = PROJECT.parent / "shared" / "sources"
GOLD_DOCUMENTS = PROJECT / "tests" / "data" / "extract_gold_documents.csv"
GOLD_EVENTS = PROJECT / "tests" / "data" / "extract_gold_events.csv"
TARGETS = {"recall": 0.85, "precision": 0.80, "date": 0.90, "place": 0.90, "kind": 0.90}


def main(argv: list[str]) -> int:
    """Run the evaluation and print its figures."""
    if not SOURCES.exists():
        print(f"skipped: {SOURCES} is absent (the gold set's source texts live in ../shared/sources)")
        return 0
    sys.path.insert(0, str(PROJECT))
    from analysis.extract.evaluation import evaluate

    started = time.perf_counter()
    result = evaluate(GOLD_DOCUMENTS, GOLD_EVENTS, SOURCES)
    seconds = time.perf_counter() - started
    print(f"gold events {result.n_gold}, candidates {result.n_candidates}, exact matches {result.n_exact}, "
          f"aligned {result.n_aligned}  ({seconds:.1f} s)")  # fmt: skip
    figures = {"recall": result.recall, "precision": result.precision}
    figures |= {name: result.field_accuracy(name) for name in ("date", "place", "kind", "casualties")}
    for name, value in figures.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("  ok" if value >= target else f"  BELOW target {target:.2f}")
        print(f"  {name:<11} {value:.3f}{verdict}")
    if "--show-misses" in argv:
        import pandas as pd

        with pd.option_context("display.width", 250, "display.max_rows", 500, "display.max_colwidth", 40):
            table = result.pairs.assign(doc=result.pairs["doc"].str.rsplit("/", n=1).str[-1].str[:28])
            print(table[(table["match"] != "exact") | ~table.get("casualties_ok", True).astype(bool)].to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
