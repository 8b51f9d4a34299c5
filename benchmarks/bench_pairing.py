"""Benchmark: pairing attacks with responses and time to response, up to a million synthetic events.

Run on demand: `.venv/bin/python benchmarks/bench_pairing.py [--events 1000000] [--repeat 3]`. Prints seconds
per call, how time grows with the number of events (x10 events should cost about x10 time: no quadratic
pairing), and a naive cross join of every response with every attack on small tables for comparison. Machines
here are noisy: compare ratios measured in the same run, not absolute seconds.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np
import pandas as pd

import analysis as an

DAYS = 6 * 365  # 2019 to 2024
COUNTRIES = np.array(["Iraq", "Syria", "Jordan"])


def synthetic_events(count: int, seed: int = 1) -> pd.DataFrame:
    """Make `count` canonical-looking events: 60% attacks, 40% responses, a tenth of responses naming attacks."""
    rng = np.random.default_rng(seed)
    dates = pd.Timestamp("2019-01-01") + pd.to_timedelta(np.sort(rng.integers(0, DAYS, count)), unit="D")
    roles = np.where(rng.random(count) < 0.6, "attack", "response")
    ids = np.char.add("bench:", np.arange(count).astype(str))
    is_timed = rng.random(count) < 0.2
    times = pd.Series(dates + pd.to_timedelta(rng.integers(3 * 3600, 20 * 3600, count), unit="s")).dt.tz_localize("UTC")
    precision = np.where(rng.random(count) < 0.05, "week", "day")
    events = pd.DataFrame(
        {
            "event_id": pd.array(ids, dtype="string"),
            "event_date": dates,
            "date_precision": pd.array(precision, dtype="string"),
            "event_time_utc": times.where(is_timed),
            "country": pd.array(COUNTRIES[rng.integers(0, 3, count)], dtype="string"),
            "site": pd.array(np.char.add("site ", rng.integers(0, 200, count).astype(str)), dtype="string"),
            "role": pd.array(roles, dtype="string"),
        }
    )
    events["date_earliest"], events["date_latest"] = an_date_bounds(events)
    events["location"] = events["site"]
    events["responds_to"] = _responds_to(events, rng)
    return events


def an_date_bounds(events: pd.DataFrame):
    """Date bounds computed the way the readers compute them."""
    from analysis.cleaning.rows import date_bounds

    return date_bounds(events["event_date"], events["date_precision"])


def _responds_to(events: pd.DataFrame, rng) -> pd.Series:
    """Let one response in ten name one to three of the 50 attacks before it."""
    attack_rows = np.flatnonzero(events["role"].to_numpy() == "attack")
    response_rows = np.flatnonzero(events["role"].to_numpy() == "response")
    chosen = response_rows[rng.random(len(response_rows)) < 0.1]
    before = np.searchsorted(attack_rows, chosen)  # attacks listed before this response (rows are date-sorted)
    chosen, before = chosen[before > 0], before[before > 0]
    ids = events["event_id"].to_numpy()
    parts = []
    for extra in range(rng.integers(1, 4)):
        pick = attack_rows[np.clip(before - rng.integers(1, 51, len(before)), 0, None)]
        parts.append(ids[pick].astype(str))
    text = parts[0]
    for more in parts[1:]:
        text = np.char.add(np.char.add(text, "; "), more)
    values = pd.Series(pd.NA, index=events.index, dtype="string")
    values.iloc[chosen] = text
    return values


def timed(function, repeat: int) -> float:
    """Return the median seconds of `repeat` calls."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def naive_nearest(events: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """The quadratic way: cross join every response with every attack, then keep the nearest in the window."""
    attacks = events.loc[events["role"] == "attack", ["event_id", "event_date"]]
    responses = events.loc[events["role"] == "response", ["event_id", "event_date"]]
    both = responses.merge(attacks, how="cross", suffixes=("_response", "_attack"))
    lag = (both["event_date_response"] - both["event_date_attack"]).dt.days
    both = both[(lag >= 0) & (lag <= window_days)]
    return both.sort_values("event_date_attack").groupby("event_id_response").tail(1)


def peak_memory_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Print timings at growing sizes, ratios, and the naive baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sizes = [n for n in (10_000, 100_000, args.events) if n <= args.events]
    print(f"{'events':>10} {'what':44} {'median s':>9} {'pairs':>10}")
    nearest_seconds = {}
    for size in sizes:
        events = synthetic_events(size)
        pairs = an.pair_attacks_responses(events, 14)
        checks = [
            ("pair: nearest_preceding, window 14", lambda: an.pair_attacks_responses(events, 14), len(pairs)),
            (
                "pair: nearest_preceding, same country",
                lambda: an.pair_attacks_responses(events, 14, same="country"),
                None,
            ),
            ("pair: explicit_only", lambda: an.pair_attacks_responses(events, 14, strategy="explicit_only"), None),
            ("time_to_response (pairs given), horizon 30", lambda: an.time_to_response(events, 30, pairs=pairs), None),
        ]
        if size <= 100_000:
            every = an.pair_attacks_responses(events, 1, strategy="all_in_window", same="country")
            checks.append(
                (
                    "pair: all_in_window, 1 day, same country",
                    lambda: an.pair_attacks_responses(events, 1, strategy="all_in_window", same="country"),
                    len(every),
                )
            )
        for name, call, count in checks:
            seconds = timed(call, args.repeat)
            if name.startswith("pair: nearest_preceding, window 14"):
                nearest_seconds[size] = seconds
            print(f"{size:>10,} {name:44} {seconds:9.3f} {'' if count is None else f'{count:,}':>10}")
    ordered = sorted(nearest_seconds)
    for small, large in zip(ordered, ordered[1:]):
        print(
            f"nearest_preceding: x{large // small} events -> x{nearest_seconds[large] / nearest_seconds[small]:.1f} time"
        )

    print("\nNaive cross join (every response x every attack), nearest within 14 days:")
    naive = {}
    for size in (2_000, 4_000, 8_000):
        events = synthetic_events(size)
        naive[size] = timed(lambda: naive_nearest(events, 14), args.repeat)
        ours = timed(lambda: an.pair_attacks_responses(events, 14), args.repeat)
        print(
            f"{size:>10,} naive {naive[size]:.3f} s, pair_attacks_responses {ours:.3f} s, naive / ours x{naive[size] / ours:.1f}"
        )
    print(
        f"naive: x4 events -> x{naive[8_000] / naive[2_000]:.1f} time (quadratic: x16); extrapolated to "
        f"{args.events:,} events: {naive[8_000] * (args.events / 8_000) ** 2 / 3600:,.0f} hours"
    )
    print(f"peak memory of this process: {peak_memory_mb():,.0f} MB")


if __name__ == "__main__":
    main()
