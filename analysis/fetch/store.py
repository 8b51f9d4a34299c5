"""Writing a store: each pull becomes a new snapshot, committed by replacing store.json, with its change log entry.

A pull writes, in this order: the new snapshot (a CSV the readers recognise by its columns) atomically, its
provenance file beside it, one line appended to ``changes.jsonl``, and last ``store.json`` naming the new
snapshot. That last rename is the commit: a pull that fails or is interrupted before it leaves ``store.json``
naming the previous snapshot, which nothing has touched, and the next pull removes what the failed one left
(analysis.pipeline.stores explains how readers ignore its change log line). Only the newest
``KEEP_SNAPSHOTS`` snapshots are kept. A lock file keeps two pulls from writing one store at once.

Rows are compared as the text the store holds. A row counts as *added* when its id is new, *revised* when its
id was there and any cell of the columns both versions have differs (for ACLED a revision comes with a new
``timestamp``), *deleted* when the source says so (ACLED's deleted endpoint) or, for a full pull or a new GED
version, when its id is no longer served.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.fetch.http import FetchError
from analysis.pipeline.storage import file_sha256, replaced_atomically, write_json
from analysis.pipeline.stores import CHANGE_LOG, STORE_MANIFEST, current_snapshot, is_store, read_store

KEEP_SNAPSHOTS = 3
LOCK_NAME = ".fetch.lock"
PROVENANCE_SUFFIX = ".provenance.json"
STORE_FORMAT = 1
_SNAPSHOT_NAME = re.compile(r"^(acled|ged)-.*\d{8}T\d{6}Z(?:-\d+)?\.csv$")
_TEMPORARY_NAME = re.compile(r"^\..+\.(csv|json|jsonl)\.\w+$")  # what replaced_atomically leaves if killed


@dataclass
class Changes:
    """The ids a pull added, revised and deleted, compared with the snapshot before it."""

    added: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return {added, revised, deleted: count}."""
        return {"added": len(self.added), "revised": len(self.revised), "deleted": len(self.deleted)}

    def describe(self) -> str:
        """Say the counts in words.

        >>> Changes(["a", "b"], ["c"], []).describe()
        '2 added, 1 revised, 0 deleted'
        """
        counts = self.counts()
        return f"{counts['added']} added, {counts['revised']} revised, {counts['deleted']} deleted"


def cell_text(value) -> str:
    """Write one JSON value as the text a CSV cell holds (null -> empty, true -> 'true', numbers as JSON writes them).

    >>> [cell_text(v) for v in (None, True, 645, 35.39, "Iraq")]
    ['', 'true', '645', '35.39', 'Iraq']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def rows_frame(rows: Iterable[dict], id_column: str, where: str) -> pd.DataFrame:
    """Turn fetched JSON rows into a table of text cells; refuse a row without an id, naming where it came from.

    A row served twice (the data moved between pages) is kept once, as last served.
    """
    rows = list(rows)
    if not rows:
        return pd.DataFrame(columns=[id_column], dtype=object)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if id_column not in columns:
        raise FetchError(f"{where}: the rows have no {id_column!r} column (columns: {', '.join(columns)})")
    frame = pd.DataFrame(
        {c: [v if type(v) is str else cell_text(v) for v in (row.get(c) for row in rows)] for c in columns},
        dtype=object,  # plain Python strings: building pandas' pyarrow strings here costs more than it saves later
    )
    blank = frame.index[frame[id_column].str.strip() == ""]
    if len(blank):
        raise FetchError(f"{where}: row {blank[0] + 1}, column {id_column!r}, value '': every row needs an id")
    return frame.drop_duplicates(subset=id_column, keep="last").reset_index(drop=True)


def read_snapshot(path: Path) -> pd.DataFrame:
    """Read a snapshot back as text cells (empty cells as ''), with pyarrow's reader."""
    import csv

    import pyarrow as pa
    import pyarrow.csv as pa_csv

    with open(path, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle), [])
    table = pa_csv.read_csv(
        path,
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(column_types={name: pa.string() for name in header}),
    )
    return table.to_pandas()


def row_hashes(frame: pd.DataFrame, id_column: str, columns: list[str]) -> pd.Series:
    """Return one 64-bit hash of each row's cells in `columns`, indexed by id (equal rows, equal hashes)."""
    hashes = pd.util.hash_pandas_object(frame[columns], index=False).to_numpy()
    return pd.Series(hashes, index=pd.Index(frame[id_column]))


def revised_ids(old: pd.DataFrame, new: pd.DataFrame, id_column: str) -> list[str]:
    """Return the ids in both tables whose rows differ in any column both have (in new's order).

    Rows are compared by a hash of their cells: two different rows share one with a chance of 1 in 2**64.
    """
    columns = [c for c in new.columns if c in old.columns and c != id_column]
    in_both = new[id_column].isin(old[id_column])
    if not in_both.any():
        return []
    before = row_hashes(old[old[id_column].isin(new[id_column])], id_column, columns)
    after = row_hashes(new[in_both], id_column, columns)
    differs = after.to_numpy() != before.reindex(after.index).to_numpy()
    return after.index[differs].tolist()


def compare_snapshots(old: pd.DataFrame | None, new: pd.DataFrame, id_column: str) -> Changes:
    """Compare two whole snapshots: ids only in new are added, in both and different revised, only in old deleted."""
    if old is None:
        return Changes(added=new[id_column].tolist())
    return Changes(
        added=new[id_column][~new[id_column].isin(old[id_column])].tolist(),
        revised=revised_ids(old, new, id_column),
        deleted=old[id_column][~old[id_column].isin(new[id_column])].tolist(),
    )


def apply_update(
    old: pd.DataFrame, fetched: pd.DataFrame, deleted: Iterable[str], id_column: str
) -> tuple[pd.DataFrame, Changes]:
    """Replace revised rows by id, add new ones, drop deleted ones; return the new snapshot and what changed."""
    deleted = set(deleted)
    fetched = fetched[~fetched[id_column].isin(deleted)]
    changes = Changes(
        added=fetched[id_column][~fetched[id_column].isin(old[id_column])].tolist(),
        revised=revised_ids(old, fetched, id_column),
        deleted=old[id_column][old[id_column].isin(deleted)].tolist(),
    )
    kept = old[~old[id_column].isin(fetched[id_column]) & ~old[id_column].isin(deleted)]
    columns = list(old.columns) + [c for c in fetched.columns if c not in old.columns]
    merged = pd.concat([kept, fetched], ignore_index=True).reindex(columns=columns).fillna("")
    return merged, changes


def sorted_snapshot(frame: pd.DataFrame, date_column: str, id_column: str) -> pd.DataFrame:
    """Order rows by date, then id, so snapshots of the same data are the same file (and readers find them sorted)."""
    keys = [c for c in (date_column, id_column) if c in frame.columns]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True) if keys else frame


def watermark(frame: pd.DataFrame, column: str = "timestamp") -> int | None:
    """Return the largest value of a Unix-time column (ACLED's `timestamp`), or None when there is none."""
    if column not in frame.columns or frame.empty:
        return None
    largest = pd.to_numeric(frame[column], errors="coerce").max()
    return None if pd.isna(largest) else int(largest)


@contextmanager
def locked(store_dir: Path):
    """Hold the store's lock for a pull, or stop at once when another pull holds it."""
    import filelock

    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(store_dir / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise FetchError(
            f"another fetch is writing {store_dir} (it holds {lock.lock_file}); not starting a second one"
        ) from None
    try:
        yield
    finally:
        lock.release()


def previous_state(store_dir: Path) -> tuple[dict | None, pd.DataFrame | None]:
    """Return a store's manifest and current snapshot, or (None, None) for a store not yet written."""
    if not is_store(store_dir):
        return None, None
    manifest = read_store(store_dir)
    return manifest, read_snapshot(current_snapshot(store_dir, manifest))


def remove_leftovers(store_dir: Path, manifest: dict | None) -> list[Path]:
    """Delete what an interrupted pull left: snapshots store.json never named, and half-written temporary files."""
    store_dir = Path(store_dir)
    committed = set((manifest or {}).get("snapshots", []))
    removed = []
    for path in store_dir.rglob("*"):
        if not path.is_file():
            continue
        name = path.name.removesuffix(PROVENANCE_SUFFIX)
        relative = str(path.relative_to(store_dir).with_name(name))
        if (_SNAPSHOT_NAME.match(name) and relative not in committed) or _TEMPORARY_NAME.match(path.name):
            path.unlink()
            removed.append(path)
    for folder in {path.parent for path in removed} - {store_dir}:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # a version folder a failed GED pull made
    return removed


def unchanged_note(store_dir: Path, manifest: dict | None) -> str:
    """Say what a failed pull left: the store as it was (naming its current pull), or nothing written."""
    if manifest is None:
        return f"Nothing was written to {store_dir}"
    return f"The store {store_dir} is unchanged (still the pull of {manifest['pulled_at']})"


def snapshot_name(folder: str, prefix: str, pulled_at: dt.datetime, store_dir: Path) -> str:
    """Return a new snapshot's path inside the store, `<folder>/<prefix>-<UTC time>.csv`, never an existing one."""
    stamp = pulled_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name, number = f"{folder}/{prefix}-{stamp}.csv", 1
    while (Path(store_dir) / name).exists():
        number += 1
        name = f"{folder}/{prefix}-{stamp}-{number}.csv"
    return name


def write_snapshot(path: Path, frame: pd.DataFrame) -> None:
    """Write a snapshot CSV atomically (UTF-8, one header row, text cells quoted), with pyarrow's writer."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    table = pa.Table.from_pandas(frame.astype(str), preserve_index=False)
    with replaced_atomically(path) as temporary:
        pa_csv.write_csv(table, temporary, write_options=pa_csv.WriteOptions(quoting_style="needed"))


def append_change(store_dir: Path, entry: dict) -> None:
    """Append one JSON line to the store's change log (after a newline if a cut-short line ends the file)."""
    path = Path(store_dir) / CHANGE_LOG
    line = (json.dumps(entry, sort_keys=True, default=str) + "\n").encode("utf-8")
    if path.is_file() and path.stat().st_size:
        with open(path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                line = b"\n" + line
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


def prune_snapshots(store_dir: Path, snapshots: list[str]) -> list[str]:
    """Delete all but the newest KEEP_SNAPSHOTS snapshots (with their provenance); return the names kept."""
    kept, dropped = snapshots[-KEEP_SNAPSHOTS:], snapshots[:-KEEP_SNAPSHOTS]
    for name in dropped:
        path = Path(store_dir) / name
        path.unlink(missing_ok=True)
        path.with_name(path.name + PROVENANCE_SUFFIX).unlink(missing_ok=True)
        if path.parent != Path(store_dir) and path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()
    return kept


@dataclass
class Pull:
    """One finished pull: what it wrote and what changed (the command line prints it)."""

    store_dir: Path
    snapshot: Path
    kind: str
    rows: int
    fetched: int
    changes: Changes
    manifest: dict

    def describe(self) -> str:
        """Say what the pull did, in two lines."""
        return (
            f"{self.kind} pull: {self.fetched} rows fetched; the store now holds {self.rows} rows in {self.snapshot}\n"
            f"changes: {self.changes.describe()} (logged in {Path(self.store_dir) / CHANGE_LOG})"
        )


def commit_pull(
    store_dir: Path,
    frame: pd.DataFrame,
    *,
    name: str,
    kind: str,
    changes: Changes,
    fetched: int,
    pulled_at: dt.datetime,
    previous: dict | None,
    fields: dict,
    origin: dict,
) -> Pull:
    """Write a pull into the store: snapshot, provenance, change log line, then store.json (the commit); prune.

    `fields` are the source's own manifest fields (source, query, version, watermark, api_url); `origin` says
    where the data come from, for the provenance file.
    """
    store_dir = Path(store_dir)
    path = store_dir / name
    write_snapshot(path, frame)
    digest, size = file_sha256(path), path.stat().st_size
    pulled = pulled_at.astimezone(dt.UTC).isoformat(timespec="seconds")
    write_json(
        path.with_name(path.name + PROVENANCE_SUFFIX),
        {
            "file": path.name,
            "sha256": digest,
            "bytes": size,
            "rows": len(frame),
            "date_accessed": pulled[:10],
            "pulled_at": pulled,
            "origin": origin,
            "query": fields.get("query"),
            "fetched_with": f"militia-response-analysis {__version__} (python -m analysis fetch)",
        },
    )
    append_change(
        store_dir,
        {
            "pulled_at": pulled,
            "kind": kind,
            "snapshot": name,
            "previous": (previous or {}).get("snapshot"),
            "version": fields.get("version"),
            "previous_version": (previous or {}).get("version"),
            "query": fields.get("query"),
            "fetched": fetched,
            "rows": len(frame),
            **changes.counts(),
            "added_ids": changes.added,
            "revised_ids": changes.revised,
            "deleted_ids": changes.deleted,
            "package_version": __version__,
        },
    )
    snapshots = [s for s in (previous or {}).get("snapshots", []) if (store_dir / s).is_file()] + [name]
    manifest = {
        **fields,
        "store_format": STORE_FORMAT,
        "snapshot": name,
        "snapshots": snapshots[-KEEP_SNAPSHOTS:],
        "sha256": digest,
        "bytes": size,
        "rows": len(frame),
        "pulled_at": pulled,
        "first_pulled_at": (previous or {}).get("first_pulled_at", pulled),
        "package_version": __version__,
        "last_change": {"kind": kind, **changes.counts()},
    }
    write_json(store_dir / STORE_MANIFEST, manifest)
    prune_snapshots(store_dir, snapshots)
    return Pull(store_dir, path, kind, len(frame), fetched, changes, manifest)
