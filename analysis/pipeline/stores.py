"""Fetched stores in the raw folder: which file of a store the build reads, and what the build manifest records.

A store is a folder holding ``store.json`` (written by ``python -m analysis fetch``, analysis.fetch). It keeps
the snapshots of several pulls; ``store.json`` names the current one (``snapshot``, a path inside the folder),
and only that one is read: by the build, by ``load_events("data/raw")`` and by ``load_events("data/raw/acled")``
alike. Stores are found directly under the raw folder (``data/raw/acled/``, ``data/raw/ged/``), never deeper.

``changes.jsonl`` beside it is the store's change log, one JSON object per pull. Each entry names the snapshot
it made and the one it was compared with (``previous``); the log is read as the chain that leads back from the
current snapshot, so an entry left by a pull that was interrupted before ``store.json`` was replaced (its
snapshot never became current) is never counted.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from analysis.core.errors import InputError

STORE_MANIFEST = "store.json"
CHANGE_LOG = "changes.jsonl"
CHANGE_COUNTS = ("added", "revised", "deleted")


def is_store(folder: Path) -> bool:
    """Tell whether a folder is a fetched store (it holds store.json)."""
    return (Path(folder) / STORE_MANIFEST).is_file()


def find_stores(directory: Path) -> list[Path]:
    """Return the stores a folder names: itself when it is one, else its direct subfolders that are."""
    directory = Path(directory)
    if is_store(directory):
        return [directory]
    return sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith((".", "_")) and is_store(p))


def read_store(store_dir: Path) -> dict:
    """Return a store's manifest, or raise InputError naming store.json and what is wrong with it."""
    path = Path(store_dir) / STORE_MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(path, f"is not a readable store manifest ({error}); fetch again to rewrite it") from None
    missing = [key for key in ("source", "snapshot", "pulled_at") if not manifest.get(key)]
    if missing:
        raise InputError(path, f"lacks {', '.join(missing)}; fetch again to rewrite it")
    return manifest


def current_snapshot(store_dir: Path, manifest: dict | None = None) -> Path:
    """Return the path of the snapshot a store's manifest names as current (it must exist)."""
    manifest = manifest or read_store(store_dir)
    path = Path(store_dir) / manifest["snapshot"]
    if not path.is_file():
        raise InputError(
            Path(store_dir) / STORE_MANIFEST, f"names snapshot {manifest['snapshot']!r}, which does not exist"
        )
    return path


def snapshot_files(store_dir: Path) -> list[Path]:
    """Return the current snapshot of every store in a folder (the files the build reads from stores)."""
    return [current_snapshot(store) for store in find_stores(store_dir)]


def read_change_log(store_dir: Path) -> list[dict]:
    """Return the change log's entries, in the order written (lines that are not JSON are left out).

    Only the last line can be cut short (a pull interrupted while appending it), and such an entry's
    snapshot never became current: change_chain never reaches it.
    """
    path = Path(store_dir) / CHANGE_LOG
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("snapshot"):
            entries.append(entry)
    return entries


def change_chain(entries: list[dict], current: str) -> list[dict]:
    """Return the entries leading to the current snapshot, oldest first, following each entry's `previous`.

    >>> log = [{"snapshot": "a", "previous": None}, {"snapshot": "x", "previous": "a"}, {"snapshot": "b", "previous": "a"}]
    >>> [e["snapshot"] for e in change_chain(log, "b")]
    ['a', 'b']
    """
    by_snapshot = {entry["snapshot"]: entry for entry in entries}
    chain, seen, name = [], set(), current
    while name is not None and name in by_snapshot and name not in seen:
        seen.add(name)
        chain.append(by_snapshot[name])
        name = by_snapshot[name].get("previous")
    return chain[::-1]


def store_record(store_dir: Path, raw_dir: Path) -> dict:
    """Describe the snapshot a build reads from a store: where, when pulled, which version, and each pull's counts.

    Snapshot names are relative to the raw folder (`acled/snapshots/acled-20250106T030000Z.csv`), in the
    record and in its `changes` (the change chain, oldest first) alike.
    """
    from analysis.pipeline.storage import relative_to_raw

    store_dir = Path(store_dir)
    manifest = read_store(store_dir)
    snapshot = current_snapshot(store_dir, manifest)
    chain = change_chain(read_change_log(store_dir), manifest["snapshot"])
    named = {name: relative_to_raw(store_dir / name, Path(raw_dir)) for entry in chain for name in _names(entry)}
    return {
        "store": relative_to_raw(store_dir, Path(raw_dir)),
        "source": manifest["source"],
        "version": manifest.get("version"),
        "snapshot": relative_to_raw(snapshot, Path(raw_dir)),
        "pulled_at": manifest["pulled_at"],
        "rows": manifest.get("rows"),
        "watermark": manifest.get("watermark"),
        "older_snapshots": max(len(manifest.get("snapshots", [])) - 1, 0),
        "changes": [
            {
                "snapshot": named[entry["snapshot"]],
                "previous": named.get(entry.get("previous")),
                "pulled_at": entry.get("pulled_at"),
                "kind": entry.get("kind"),
                "version": entry.get("version"),
                **{count: int(entry.get(count) or 0) for count in CHANGE_COUNTS},
            }
            for entry in chain
        ],
    }


def _names(entry: dict) -> list[str]:
    """Return the snapshot names a change log entry holds (its own and the one before it)."""
    return [name for name in (entry["snapshot"], entry.get("previous")) if name]


def store_records(raw_dir: Path) -> list[dict]:
    """Describe every store directly under a raw folder (what a build manifest lists under `stores`)."""
    return [store_record(store, raw_dir) for store in find_stores(raw_dir)]


def source_label(record: dict) -> str:
    """Name a store's data for readers: 'ACLED', or 'UCDP GED 25.1' with its version.

    >>> source_label({"source": "UCDP GED", "version": "25.1"}), source_label({"source": "ACLED", "version": None})
    ('UCDP GED 25.1', 'ACLED')
    """
    return f"{record['source']} {record['version']}" if record.get("version") else str(record["source"])


def pull_date(record: dict) -> str:
    """Return the UTC day of a store's pull, YYYY-MM-DD.

    >>> pull_date({"pulled_at": "2025-01-06T03:00:00+00:00"})
    '2025-01-06'
    """
    return dt.datetime.fromisoformat(record["pulled_at"]).astimezone(dt.UTC).strftime("%Y-%m-%d")


def describe_store(record: dict) -> str:
    """Describe in one line what a build read from a store (for its printed accounting)."""
    pulled = dt.datetime.fromisoformat(record["pulled_at"]).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    older = record.get("older_snapshots") or 0
    kept = f"; {older} older snapshot{'s' if older != 1 else ''} kept, not read" if older else ""
    return f"{record['store']}: {source_label(record)} pulled {pulled}, {record['rows']} rows -> {record['snapshot']}{kept}"
