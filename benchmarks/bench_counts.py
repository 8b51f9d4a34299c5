"""Time event_counts and response_share on a large synthetic event table against a plain pandas groupby.

Run on demand: .venv/bin/python benchmarks/bench_counts.py [rows]   (default 1,000,000 events)
Prints seconds per call and the ratio to the plain groupby measured in the same run.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from analysis.analyses.counts import event_counts
from analysis.analyses.pairing import response_share
from analysis.cleaning.rows import date_bounds
from analysis.core.tables import EVENT_COLUMNS, conform


def synthetic_events(rows: int, seed: int = 1) -> pd.DataFrame:
    """Make a canonical events table with random dates (2019-2024), roles, countries, groups and weapons."""
    rng = np.random.default_rng(seed)
    days = pd.to_datetime("2019-01-01") + pd.to_timedelta(rng.integers(0, 6 * 365, rows), unit="D")
    roles = rng.choice(["attack", "response", "other"], rows, p=[0.5, 0.3, 0.2])
    groups = rng.choice(
        ["Kata'ib Hizballah", "Harakat al-Nujaba", "Kata'ib Sayyid al-Shuhada", "Islamic Resistance in Iraq"], rows
    )
    is_attack = roles == "attack"
    frame = pd.DataFrame(
        {
            "event_id": [f"bench:{i}" for i in range(rows)],
            "event_date": days,
            "role": roles,
            "country": rng.choice(["Iraq", "Syria", "Jordan"], rows),
            "initiator": np.where(is_attack, groups, "United States Armed Forces"),
            "initiator_side": np.where(is_attack, "militia", "us"),
            "target": np.where(is_attack, "United States Armed Forces", groups),
            "target_side": np.where(is_attack, "us", "militia"),
            "weapon": rng.choice(["rocket", "drone", "airstrike", "unknown"], rows),
            "intercepted": rng.choice(["yes", "no", "partial", None], rows),
            "date_precision": rng.choice(["day", "week", "month"], rows, p=[0.9, 0.07, 0.03]),
        }
    )
    events = conform(frame, EVENT_COLUMNS)
    events["date_earliest"], events["date_latest"] = date_bounds(events["event_date"], events["date_precision"])
    return events


def timed(function, repeats: int = 3) -> float:
    """Return the best wall-clock time of a few calls, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - began)
    return best


def main(rows: int) -> None:
    """Print the timings and ratios."""
    events = synthetic_events(rows)
    baseline = timed(lambda: events.groupby([events["event_date"].dt.to_period("W-FRI"), "country", "role"]).size())
    print(f"{rows:,} events; plain groupby (week x country x role): {baseline:.2f} s")
    for label, call in (
        ("event_counts(freq='W', by='country')", lambda: event_counts(events, freq="W", by="country")),
        ("event_counts(freq='M', by='group')", lambda: event_counts(events, freq="M", by="group")),
        ("response_share(by='group', window_days=14)", lambda: response_share(events, by="group", window_days=14)),
    ):
        seconds = timed(call)
        print(f"{label}: {seconds:.2f} s ({seconds / baseline:.1f}x the plain groupby)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
