"""Public loaders: raw files to canonical tables (load_events) and the built tables (load_processed)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.core.errors import AnalysisError, InputError
from analysis.core.tables import (
    ACCOUNTING_COLUMNS,
    CASUALTY_COLUMNS,
    CORRECTION_COLUMNS,
    EVENT_COLUMNS,
    MERGE_COLUMNS,
    QUARANTINE_COLUMNS,
    UNKNOWN_NAME_COLUMNS,
    EventData,
    conform,
)
from analysis.pipeline.progress import BuildProgress, silent_progress
from analysis.pipeline.storage import file_sha256, read_people_csv

PROCESSED_TABLES = {
    "events": ("events.parquet", EVENT_COLUMNS),
    "casualties": ("casualties.parquet", CASUALTY_COLUMNS),
    "quarantine": ("quarantine.csv", QUARANTINE_COLUMNS),
    "unknown_names": ("unknown_names.csv", UNKNOWN_NAME_COLUMNS),
    "merges": ("merges.csv", MERGE_COLUMNS),
    "accounting": ("accounting.csv", ACCOUNTING_COLUMNS),
    "corrections": ("corrections_applied.csv", CORRECTION_COLUMNS),
}


def reference_dir_for(raw_dir: Path) -> Path:
    """Return raw_dir's own reference/ folder, or the shipped tables (data/raw/reference) when it has none."""
    own = Path(raw_dir) / "reference"
    return own if own.is_dir() else paths.REFERENCE_DIR


def raw_files(directory: Path) -> list[Path]:
    """List the event tables in a folder: its top-level tables, then the current snapshot of each fetched store.

    Names starting with '.' or '_' are skipped. A store (a subfolder holding store.json, written by
    `python -m analysis fetch`) contributes only the snapshot its store.json names, never older snapshots
    (analysis.pipeline.stores); a store folder given itself yields its current snapshot. Any other file that is
    not read (an .xls, a .json, ...) is named in a warning.
    """
    tables, unread = _sort_folder(Path(directory))
    _warn_unread(unread)
    return tables


def _sort_folder(directory: Path) -> tuple[list[Path], list[Path]]:
    """Split a raw folder's files into the event tables read and the other files, which are not read."""
    from analysis.pipeline.stores import is_store, snapshot_files
    from analysis.sources.files import TABLE_SUFFIXES

    if not directory.is_dir():
        raise InputError(directory, "is not a folder")
    if is_store(directory):
        return snapshot_files(directory), []
    files = sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith((".", "_")))
    tables = [p for p in files if p.suffix.lower() in TABLE_SUFFIXES]
    unread = [p for p in files if p.suffix.lower() not in (*TABLE_SUFFIXES, *NOTE_SUFFIXES)]
    return tables + snapshot_files(directory), unread


def table_files(directory: Path) -> list[Path]:
    """List the event tables raw_files reads, without a word about the rest (for fingerprints)."""
    return _sort_folder(Path(directory))[0]


# Files a raw folder holds for people (its README, coding notes); any other file it does not read is named.
NOTE_SUFFIXES = (".md", ".pdf")


def _warn_unread(files: list[Path]) -> None:
    """Name each file of a raw folder that is not read, so a table saved in another format is never lost unseen."""
    import warnings

    from analysis.sources.files import TABLE_SUFFIXES

    for path in files:
        warnings.warn(
            f"{path}: not read: {path.suffix or 'a file without a suffix'} is not an event table format "
            f"({', '.join(TABLE_SUFFIXES)}); save it as CSV or XLSX to include it, or start its name with '_' "
            "to keep it there unread",
            stacklevel=3,
        )


def _expand(paths_or_dirs: str | Path | Iterable[str | Path]) -> list[Path]:
    """Turn one path, several paths or folders into a list of files."""
    if isinstance(paths_or_dirs, (str, Path)):
        paths_or_dirs = [paths_or_dirs]
    files: list[Path] = []
    for item in paths_or_dirs:
        item = Path(item)
        files.extend(raw_files(item) if item.is_dir() else [item])
    if not files:
        raise AnalysisError(f"no event tables found in {[str(p) for p in paths_or_dirs]}")
    return files


def load_events(
    paths_or_dirs=None,
    *,
    reference_dir: Path | None = None,
    validate: bool = True,
    merge_duplicates: bool = True,
    progress: BuildProgress | None = None,
    place_rule_km: float | None = None,
) -> EventData:
    """Read any mix of event tables (files or folders; default data/raw) into one validated EventData.

    Incident logs, ACLED exports and UCDP GED files are told apart by their columns. With
    ``merge_duplicates`` (the default) the same incident found in two sources becomes one event listing
    every record in ``source_records``, and ``data.merges`` says what was merged and why
    (analysis.cleaning.merging); pass False to keep them apart (``an.find_duplicates(data.events)`` still lists them).
    ``progress`` (analysis.pipeline.progress.BuildProgress) shows large files being read, as the build does.
    ``place_rule_km`` sets how close to a US / coalition site unattributed fire in ACLED and GED rows must land
    to be presumed a militia attack (default ``analysis.cleaning.roles.PLACE_RULE_KM``, 5 km; docs/sources.md).

    >>> data = load_events()
    >>> bool(len(data.events)), data.quarantine.empty
    (True, True)
    """
    from analysis.cleaning.reference import load_reference
    from analysis.pipeline.validation import check_unique_event_ids
    from analysis.pipeline.validation import validate as validate_tables
    from analysis.sources.registry import load_file

    progress = progress or silent_progress()
    reference = load_reference(reference_dir)
    if place_rule_km is not None:
        from dataclasses import replace

        from analysis.core.errors import ParameterError

        if not place_rule_km >= 0:
            raise ParameterError(f"place_rule_km={place_rule_km!r}: give a distance in km, 0 or more")
        reference = replace(reference, place_rule_km=float(place_rule_km))
    files = _expand(paths.RAW_DIR if paths_or_dirs is None else paths_or_dirs)
    from analysis.cleaning.merging import drop_superseded_records
    from analysis.cleaning.suggestions import with_suggestions

    parts = []
    for path in files:
        progress.file_started(path)
        parts.append(load_file(path, reference))
        progress.file_done(path, int(parts[-1].accounting["raw_rows"].sum()))
    data = EventData.concat(drop_superseded_records(parts))
    if len(files) > 1:  # within one file, each reader already quarantines a repeated id
        check_unique_event_ids(data.events)
    data.events["source_records"] = data.events["source_records"].fillna(data.events["event_id"])
    data.unknown_names = with_suggestions(data.unknown_names, reference)
    if merge_duplicates:
        progress.step("merging records of the same incident")
        data = _merged(data)
    data.events = _sorted_events(data.events)
    if not validate:
        return data
    progress.step("validating the tables")
    return validate_tables(data)


def _merged(data: EventData) -> EventData:
    """Merge the same incident found in several sources, moving each merged row from `events` to `merged`."""
    from analysis.cleaning.merging import merge_duplicates as merge

    before = len(data.merges)
    data = merge(data)
    merged_per_file = data.merges.iloc[before:]["source_file"].value_counts()
    moved = data.accounting["source_file"].map(merged_per_file).fillna(0).astype("Int64")
    data.accounting = data.accounting.assign(
        events=data.accounting["events"] - moved, merged=data.accounting["merged"] + moved
    )
    return data


def _sorted_events(events: pd.DataFrame) -> pd.DataFrame:
    """Order events by date, then id (readers of big files already deliver them so: then nothing moves)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from analysis.core.arrays import pa_array

    if events.empty or _is_sorted(events):
        return events.reset_index(drop=True)
    keys = pa.table({"event_date": pa.array(events["event_date"].to_numpy()), "event_id": pa_array(events["event_id"])})
    order = pc.sort_indices(keys, sort_keys=[("event_date", "ascending"), ("event_id", "ascending")]).to_numpy()
    return events.iloc[order].reset_index(drop=True)


def _is_sorted(events: pd.DataFrame) -> bool:
    """Tell, in two vectorised passes, whether events are already ordered by date, then id."""
    import pyarrow.compute as pc

    from analysis.core.arrays import pa_array

    dates = events["event_date"].to_numpy()
    if (dates[1:] < dates[:-1]).any():
        return False
    ids = pa_array(events["event_id"])
    in_order = pc.less_equal(ids.slice(0, len(ids) - 1), ids.slice(1)).to_numpy(zero_copy_only=False)
    return bool(in_order[dates[1:] == dates[:-1]].all())


def read_manifest(directory: Path | None = None) -> dict:
    """Return the build manifest of a processed folder."""
    manifest_path = Path(directory or paths.PROCESSED_DIR) / "manifest.json"
    if not manifest_path.exists():
        raise AnalysisError(f"{manifest_path} does not exist: run `python -m analysis build` first")
    return json.loads(manifest_path.read_text(encoding="utf-8"))


def load_processed(directory: Path | None = None) -> EventData:
    """Read what `python -m analysis build` wrote, refusing files that do not match their manifest."""
    directory = Path(directory or paths.PROCESSED_DIR)
    manifest = read_manifest(directory)
    tables = {}
    for name, (file_name, columns) in PROCESSED_TABLES.items():
        path = directory / file_name
        expected = manifest["outputs"][file_name]["sha256"]
        if not path.exists() or file_sha256(path) != expected:
            raise AnalysisError(
                f"{path} does not match {directory / 'manifest.json'}: rebuild with `python -m analysis build`"
            )
        frame = pd.read_parquet(path) if file_name.endswith(".parquet") else read_people_csv(path)
        tables[name] = conform(frame, columns)
    return EventData(**tables)


def load_data(source: str | Path | None = None) -> EventData:
    """Load what a notebook's `data` parameter names: blank -> data/processed; a built folder; raw files.

    A folder holding manifest.json is read with load_processed; any other file or folder with load_events.
    """
    if source in (None, ""):
        return load_processed()
    source = Path(source)
    if source.is_dir() and (source / "manifest.json").exists():
        return load_processed(source)
    return load_events(source)
