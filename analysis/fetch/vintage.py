"""What a report says about the fetched data behind it: when it was pulled, and what changed since the last run.

The build manifest lists, under ``stores``, the snapshot it read from each store with the counts of every pull
that led to it (analysis.pipeline.stores.store_record). A report run records the snapshots it showed
(``run_stores``); the next run compares: the counts of the pulls between the two snapshots are added up (an
event added in one pull and revised in the next counts in both).
"""

from __future__ import annotations

from pathlib import Path

from analysis.pipeline.load import read_manifest
from analysis.pipeline.stores import CHANGE_COUNTS, pull_date, source_label, store_records


def stores_behind(source: Path) -> list[dict]:
    """Return the store snapshots behind a data source: a built folder's (its manifest), a raw folder's, or none."""
    source = Path(source)
    if (source / "manifest.json").is_file():
        return list(read_manifest(source).get("stores") or [])
    if source.is_dir():
        return store_records(source)
    return []


def vintage_text(stores: list[dict]) -> str:
    """Say which pull of each store the data come from ('' when no fetched data were read).

    >>> vintage_text([{"source": "ACLED", "version": None, "pulled_at": "2025-01-06T03:00:00+00:00"}])
    'data vintage: ACLED pulled 2025-01-06'
    """
    if not stores:
        return ""
    return "data vintage: " + "; ".join(f"{source_label(s)} pulled {pull_date(s)}" for s in stores)


def run_stores(stores: list[dict]) -> list[dict]:
    """Return what a report run records of the snapshots it read (the next run compares with it)."""
    keys = ("store", "source", "version", "snapshot", "pulled_at", "rows")
    return [{key: record.get(key) for key in keys} for record in stores]


def _change_since(record: dict, before: dict | None) -> str | None:
    """Describe how one store moved from the previous run's snapshot to this one (None: it did not)."""
    label = source_label(record)
    if before is None:
        return f"{label} read for the first time ({record.get('rows')} events)"
    if before["snapshot"] == record["snapshot"]:
        return None
    if before.get("version") != record.get("version"):
        label = f"{source_label(before)} -> {record.get('version')}"
    names = [entry["snapshot"] for entry in record.get("changes", [])]
    if before["snapshot"] not in names:
        return f"{label}: a new pull whose changes since the previous run's are not in the change log"
    pulls = record["changes"][names.index(before["snapshot"]) + 1 :]
    sums = {count: sum(int(entry.get(count) or 0) for entry in pulls) for count in CHANGE_COUNTS}
    over = f", over {len(pulls)} pulls" if len(pulls) > 1 else ""
    return f"{sums['added']} new, {sums['revised']} revised, {sums['deleted']} deleted ({label}{over})"


def changes_text(stores: list[dict], previous: list[dict] | None) -> str:
    """Say what changed in the fetched data since the previous run ('' for a first run or when nothing changed).

    >>> now = [{"store": "acled", "source": "ACLED", "version": None, "snapshot": "acled/b.csv", "rows": 9,
    ...         "changes": [{"snapshot": "acled/a.csv", "added": 8, "revised": 0, "deleted": 0},
    ...                     {"snapshot": "acled/b.csv", "added": 2, "revised": 3, "deleted": 1}]}]
    >>> changes_text(now, [{"store": "acled", "source": "ACLED", "version": None, "snapshot": "acled/a.csv"}])
    'since the previous run: 2 new, 3 revised, 1 deleted (ACLED)'
    """
    if previous is None:
        return ""
    before = {record["store"]: record for record in previous}
    parts = [_change_since(record, before.get(record["store"])) for record in stores]
    parts = [part for part in parts if part]
    return "since the previous run: " + "; ".join(parts) if parts else ""
