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


def raw_files(directory: Path) -> list[Path]:
    """List the event tables in a folder (top level; names starting with '.' or '_' are skipped)."""
    from analysis.sources.files import TABLE_SUFFIXES

    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "is not a folder")
    return sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES and not p.name.startswith((".", "_"))
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
    paths_or_dirs=None, *, reference_dir: Path | None = None, validate: bool = True, merge_duplicates: bool = True
) -> EventData:
    """Read any mix of event tables (files or folders; default data/raw) into one validated EventData.

    Incident logs, ACLED exports and UCDP GED files are told apart by their columns. With
    ``merge_duplicates`` (the default) the same incident found in two sources becomes one event listing
    every record in ``source_records``, and ``data.merges`` says what was merged and why
    (analysis.cleaning.merging); pass False to keep them apart (``an.find_duplicates(data.events)`` still lists them).

    >>> data = load_events()
    >>> bool(len(data.events)), data.quarantine.empty
    (True, True)
    """
    from analysis.cleaning.reference import load_reference
    from analysis.pipeline.validation import check_unique_event_ids
    from analysis.pipeline.validation import validate as validate_tables
    from analysis.sources.registry import load_file

    reference = load_reference(reference_dir)
    files = _expand(paths.RAW_DIR if paths_or_dirs is None else paths_or_dirs)
    data = EventData.concat([load_file(path, reference) for path in files])
    if len(files) > 1:  # within one file, each reader already quarantines a repeated id
        check_unique_event_ids(data.events)
    data.events["source_records"] = data.events["source_records"].fillna(data.events["event_id"])
    if merge_duplicates:
        data = _merged(data)
    data.events = _sorted_events(data.events)
    return validate_tables(data) if validate else data


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
