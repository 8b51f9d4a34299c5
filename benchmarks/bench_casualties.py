"""Benchmark casualty tallies on a large synthetic table (ACLED-sized), against a plain groupby sum.

Run on demand: `.venv/bin/python benchmarks/bench_casualties.py [claims]` (default 1,000,000 claims). Prints the
wall time of each step and its ratio to the plain sum measured in the same run.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

import analysis as an
from analysis.core.tables import CASUALTY_COLUMNS, EVENT_COLUMNS, EventData, conform

SIDES = ["militia", "us", "civilian", "unknown", "partner"]
CLAIMANTS = [f"claimant {i}" for i in range(40)]


def synthetic(claims: int, seed: int = 7) -> EventData:
    """Return EventData with about claims / 1.5 events and claims rows, a third of cells contested."""
    rng = np.random.default_rng(seed)
    events_count = int(claims / 1.5)
    dates = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, events_count), unit="D")
    events = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(events_count)],
            "source": "synthetic",
            "event_date": dates,
            "date_earliest": dates,
            "date_latest": dates,
            "date_precision": "day",
            "country": rng.choice(["Iraq", "Syria", "Jordan"], events_count),
            "role": rng.choice(["attack", "response", "other"], events_count),
            "initiator": rng.choice([f"actor {i}" for i in range(200)], events_count),
        }
    )
    event_of_claim = rng.integers(0, events_count, claims)
    low = rng.integers(0, 30, claims)
    high = (low + rng.integers(0, 5, claims)).astype("float64")
    high[rng.random(claims) < 0.2] = np.nan
    casualties = pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy()[event_of_claim],
            "side": rng.choice(SIDES, claims),
            "outcome": rng.choice(["killed", "wounded"], claims),
            "low": low,
            "best": low,
            "high": pd.array(high, dtype="Float64").astype("Int64"),
            "claimant": rng.choice(CLAIMANTS, claims),
        }
    ).drop_duplicates(["event_id", "side", "outcome", "claimant"])
    return EventData(events=conform(events, EVENT_COLUMNS), casualties=conform(casualties, CASUALTY_COLUMNS))


def timed(label: str, function, baseline: float | None = None) -> float:
    """Run function once, print its wall time (and ratio to the baseline), return the seconds."""
    started = time.perf_counter()
    function()
    seconds = time.perf_counter() - started
    ratio = f"  ({seconds / baseline:.1f}x the plain sum)" if baseline else ""
    print(f"{label:<55} {seconds:7.2f} s{ratio}")
    return seconds


def main(claims: int) -> None:
    """Build the table, then time the plain sum and each casualty function on it."""
    data = synthetic(claims)
    print(f"{len(data.casualties):,} claims on {len(data.events):,} events")
    plain = timed(
        "plain groupby sum of low/best/high by side, outcome",
        lambda: data.casualties.groupby(["side", "outcome"])[["low", "best", "high"]].sum(),
    )
    timed("casualty_tally(by=side, outcome)", lambda: an.casualty_tally(data), plain)
    timed("casualty_views(by=side, outcome, freq=M)", lambda: an.casualty_views(data, freq="M"), plain)
    timed(
        "casualty_tally(by=country, actor, freq=W)",
        lambda: an.casualty_tally(data, by=["country", "actor"], freq="W"),
        plain,
    )
    timed("casualty_tally(claimant='each')", lambda: an.casualty_tally(data, claimant="each"), plain)
    timed("deadliest_incidents(n=10)", lambda: an.deadliest_incidents(data, n=10), plain)
    tracemalloc.start()
    an.casualty_views(data, freq="M")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak memory traced by casualty_views(freq=M): {peak / 1e6:,.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
