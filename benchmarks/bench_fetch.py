"""Time an ACLED full pull and an update into a store, against the loopback fake API, and the store's own share.

Run on demand: .venv/bin/python benchmarks/bench_fetch.py [rows]   (default 100,000 generated rows, pages of 5000)
Prints seconds for the full pull and for an update (1% revised, 0.1% deleted, 0.5% added), and the part of each
spent reading and writing snapshot files, measured in the same run. The rest is HTTP and JSON on both ends of the
loopback connection (the fake server's own work included) and comparing rows.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))  # tests.fake_api and tests.factories serve the generated rows

from analysis.fetch import store as store_module  # noqa: E402
from analysis.fetch.acled import AcledClient, AcledQuery, fetch_acled, update_acled  # noqa: E402
from analysis.fetch.credentials import Credentials  # noqa: E402
from tests.factories import acled_api_rows  # noqa: E402
from tests.fake_api import PASSWORD, USERNAME, FakeApi, FakeApiState  # noqa: E402


def main(rows: int) -> None:
    """Pull, change the served rows, update; print the timings."""
    state = FakeApiState()
    generated = acled_api_rows(rows, first_day="2019-01-01")
    for i, row in enumerate(generated):  # dates within 2019-2024, so the query keeps every row
        row["event_date"] = (dt.date(2019, 1, 1) + dt.timedelta(days=i % 2190)).isoformat()
    state.set_acled(generated)
    spent_in_store = [0.0]
    for name in ("read_snapshot", "write_snapshot"):
        original = getattr(store_module, name)

        def timed(*args, _original=original, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent_in_store[0] += time.perf_counter() - started

        setattr(store_module, name, timed)
    with FakeApi(state) as api, tempfile.TemporaryDirectory() as folder:
        client = AcledClient(api.url, Credentials(USERNAME, PASSWORD), progress=lambda line: None)
        query = AcledQuery(("Iraq", "Syria", "Jordan"), "2019-01-01")
        monday = dt.datetime(2025, 1, 6, 3, 0, tzinfo=dt.UTC)
        started = time.perf_counter()
        first = fetch_acled(Path(folder) / "acled", query, client, now=monday)
        full_seconds, full_store = time.perf_counter() - started, spent_in_store[0]
        state.change_acled(added=rows // 200, revised=rows // 100, deleted=rows // 1000)
        spent_in_store[0] = 0.0
        started = time.perf_counter()
        update = update_acled(Path(folder) / "acled", client, now=monday + dt.timedelta(days=7))
        update_seconds, update_store = time.perf_counter() - started, spent_in_store[0]
        size = first.snapshot.stat().st_size / 1e6
    print(f"full pull of {first.rows:,} rows in {-(-rows // 5000)} pages ({size:.1f} MB CSV): {full_seconds:.2f} s")
    print(f"  of which reading / writing snapshots: {full_store:.2f} s")
    print(f"update ({update.changes.describe()}; {update.fetched:,} rows fetched): {update_seconds:.2f} s")
    print(f"  of which reading / writing snapshots: {update_store:.2f} s ({update_store / update_seconds:.0%})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
