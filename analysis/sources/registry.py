"""The formats the package reads, chosen from a file's columns (never from its name), and load_file.

A reader is a ``SourceFormat`` (analysis.sources.format): the columns that identify it and a function from the
raw table to ``EventData``. To support a new kind of file, write a module with one and add it to ``formats``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.cleaning.corrections import apply_corrections
from analysis.cleaning.reference import Reference
from analysis.core.errors import InputError, describe_os_error
from analysis.core.tables import ACCOUNTING_COLUMNS, CORRECTION_COLUMNS, EventData, conform
from analysis.core.text import column_key
from analysis.sources import acled, ged, incident_log, weekly
from analysis.sources.files import WORKBOOK, content_kind, display_path, malformed_row_quarantine, read_table
from analysis.sources.format import SourceFormat


def formats() -> list[SourceFormat]:
    """Return every known input format, most specific first."""
    return [incident_log.FORMAT, acled.FORMAT, ged.FORMAT, weekly.FORMAT, ged.HEADERLESS_FORMAT]


def detect_format(raw: pd.DataFrame, path: Path) -> SourceFormat:
    """Pick the format whose required columns are all present, or explain what each format expects.

    A file whose first row is data (no header) is matched against the formats that can come without one,
    by the shape of that row; the caller then re-reads it with ``header=False``.
    """
    columns = list(raw.columns)
    original = raw.attrs.get("original_columns", columns)
    candidates = formats()
    repeated = raw.attrs.get("repeated_columns")
    for source_format in candidates:
        if source_format.header and not source_format.missing(columns):
            if repeated:
                raise InputError(path, repeated)
            return source_format
    for source_format in candidates:
        if not source_format.header and source_format.looks_like and source_format.looks_like(original):
            if len(original) != len(source_format.columns):
                raise InputError(
                    path,
                    f"looks like {source_format.name} (its first row is data), but has {len(original)} columns "
                    f"where that layout has {len(source_format.columns)}: {', '.join(source_format.columns)}",
                )
            return source_format
    if repeated:
        raise InputError(path, repeated)
    expected = "; ".join(f"{f.name}: {', '.join(f.required)}" for f in candidates if f.header)
    with_header = [f for f in candidates if f.header]
    closest = min(with_header, key=lambda f: len(f.missing(columns)) / len(f.required))
    hint = ""
    delimiter = raw.attrs.get("delimiter", ",")
    if len(original) == 1 and any(sep in str(original[0]) for sep in ";\t|"):
        hint = " The file has a single column: is it separated by ';' or tabs instead of commas?"
    elif len(closest.missing(columns)) < len(closest.required):
        hint = (
            f" It looks most like {closest.name} but lacks {_missing_with_guesses(closest.missing(columns), columns)}."
        )
    if delimiter != ",":
        hint += f" (The file was read as separated by {delimiter!r}.)"
    raise InputError(
        path,
        f"is not a known event table. Its columns are: {', '.join(map(str, original)) or '(none)'}. "
        f"Expected the columns of one of: {expected}.{hint}",
    )


def _missing_with_guesses(missing: list[str], present: list[str]) -> str:
    """List missing columns, each with the present column it was probably renamed to.

    >>> _missing_with_guesses(["event_date"], ["eventdate", "notes"])
    "event_date (renamed 'eventdate'?)"
    """
    import difflib

    parts = []
    for name in missing:
        guess = difflib.get_close_matches(name, [c for c in present if c not in missing], n=1, cutoff=0.75)
        parts.append(f"{name} (renamed {guess[0]!r}?)" if guess else name)
    return ", ".join(parts)


def _corrected(raw: pd.DataFrame, path: Path, source_format: SourceFormat, reference: Reference):
    """Apply the declarative corrections that name this file (see analysis.cleaning.corrections)."""
    if reference.corrections is None:
        return raw, None
    corrections_path = Path(reference.directory or ".") / "corrections.csv"
    return apply_corrections(raw, path, source_format.id_column, reference.corrections, corrections_path)


def _read_detected(path: Path, reference: Reference) -> tuple[SourceFormat, pd.DataFrame]:
    """Read a file and pick its format; a text file's header names the format first, so that the columns the
    format never uses are left out of the read (a correction naming one keeps it)."""
    if content_kind(path) == WORKBOOK:
        raw = read_table(path)
        return detect_format(raw, path), raw
    header = read_table(path, header_only=True)
    source_format = detect_format(header, path)
    if not source_format.header:
        return source_format, header  # the caller reads it again, without a header row
    if not source_format.unread:
        return source_format, read_table(path)
    corrected = (
        set() if reference.corrections is None else {column_key(c) for c in reference.corrections["column"].dropna()}
    )
    return source_format, read_table(path, leave_out=set(source_format.unread) - corrected)


def load_file(path: Path, reference: Reference) -> EventData:
    """Read one raw file into canonical tables, with its row-accounting line.

    The line's raw_rows is the number of rows read_table counted in the file apart from its parse, so a row
    that no reader turned into an event or a quarantine row shows as unaccounted.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "does not exist")
    if path.is_dir():
        raise InputError(path, "is a folder, not a table")
    try:
        source_format, raw = _read_detected(path, reference)
    except OSError as error:
        raise InputError(path, f"cannot be read: {describe_os_error(error)}") from None
    if not source_format.header:
        raw = read_table(path, header=False)
        raw.columns = list(source_format.columns)
    raw, applied = _corrected(raw, path, source_format, reference)
    malformed = malformed_row_quarantine(raw, display_path(path))
    raw_rows = raw.attrs.get("record_count", len(raw) + len(malformed))  # taken first: a reader may release raw
    data = source_format.read(raw, Path(display_path(path)), reference)
    if len(malformed):
        data.quarantine = pd.concat([malformed, data.quarantine], ignore_index=True)
    if applied is not None:
        data.corrections = conform(applied.assign(source_file=display_path(path)), CORRECTION_COLUMNS)
    data.accounting = conform(
        pd.DataFrame(
            [
                {
                    "source_file": display_path(path),
                    "format": source_format.name,
                    "raw_rows": raw_rows,
                    "events": len(data.events),
                    "merged": len(data.merges),
                    "quarantined": data.quarantine["source_row"].nunique(),
                }
            ]
        ),
        ACCOUNTING_COLUMNS,
    )
    return data
