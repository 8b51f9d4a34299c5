"""Readers for each kind of raw event table, chosen from a file's columns (never from its name).

A reader is a ``SourceFormat``: the columns that identify it and a function from the raw table to
``EventData``. To support a new kind of file, write a module with one and add it to ``FORMATS``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from .. import paths
from ..errors import InputError
from ..model import ACCOUNTING_COLUMNS, CORRECTION_COLUMNS, EventData, conform
from ..reference import Reference
from ..text import column_key

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


@dataclass(frozen=True)
class SourceFormat:
    """One kind of input file: how to recognise it and how to read it."""

    name: str
    required: tuple[str, ...]
    read: Callable[[pd.DataFrame, Path, Reference], EventData]
    header: bool = True
    id_column: str | None = None  # the record's own id, which corrections.csv refers to

    def missing(self, columns) -> list[str]:
        """Return the required columns absent from columns."""
        present = set(columns)
        return [c for c in self.required if c not in present]


def read_table(path: Path, *, header: bool = True) -> pd.DataFrame:
    """Read a CSV or XLSX file as untyped cells with snake_case headers; blank cells become NA."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=object, header=0 if header else None)
    elif suffix in (".csv", ".tsv", ".txt"):
        frame = _read_csv(path, header=header, separator="\t" if suffix == ".tsv" else ",")
    else:
        raise InputError(path, f"unknown file type {suffix!r}; expected one of {', '.join(TABLE_SUFFIXES)}")
    if header:
        frame.attrs["original_columns"] = [str(c) for c in frame.columns]
        frame.columns = [column_key(c) for c in frame.columns]
    return frame


def _read_csv(path: Path, *, header: bool, separator: str) -> pd.DataFrame:
    """Read a delimited text file as strings, naming the file when its bytes are not UTF-8."""
    try:
        return pd.read_csv(
            path, sep=separator, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig",
            header=0 if header else None,
        )
    except UnicodeDecodeError as error:
        raise InputError(
            path, f"is not UTF-8 text (byte {error.object[error.start:error.start + 1]!r} at offset "
            f"{error.start}); save it as UTF-8 CSV"
        ) from None
    except pd.errors.ParserError as error:
        raise InputError(path, f"is not a well-formed CSV table ({error})") from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "is empty; expected a header row and one row per event") from None


def formats() -> list[SourceFormat]:
    """Return every known input format, most specific first."""
    from . import incident_log

    return [incident_log.FORMAT]


def detect_format(raw: pd.DataFrame, path: Path) -> SourceFormat:
    """Pick the format whose required columns are all present, or explain what each format expects."""
    columns = list(raw.columns)
    original = raw.attrs.get("original_columns", columns)
    candidates = formats()
    for source_format in candidates:
        if source_format.header and not source_format.missing(columns):
            return source_format
    expected = "; ".join(f"{f.name}: {', '.join(f.required)}" for f in candidates if f.header)
    closest = min(candidates, key=lambda f: len(f.missing(columns)) / len(f.required))
    hint = ""
    if len(original) == 1 and any(sep in str(original[0]) for sep in ";\t|"):
        hint = " The file has a single column: is it separated by ';' or tabs instead of commas?"
    elif len(closest.missing(columns)) < len(closest.required):
        hint = f" It looks most like {closest.name} but lacks {', '.join(closest.missing(columns))}."
    raise InputError(
        path, f"is not a known event table. Its columns are: {', '.join(map(str, original)) or '(none)'}. "
        f"Expected the columns of one of: {expected}.{hint}"
    )


def _corrected(raw: pd.DataFrame, path: Path, source_format: SourceFormat, reference: Reference):
    """Apply the declarative corrections that name this file (see analysis.corrections)."""
    from ..corrections import apply_corrections

    if reference.corrections is None:
        return raw, None
    corrections_path = Path(reference.directory or ".") / "corrections.csv"
    return apply_corrections(raw, path, source_format.id_column, reference.corrections, corrections_path)


def display_path(path: Path) -> str:
    """Name a file relative to the project when it lies inside it, so outputs do not depend on the clone's place."""
    try:
        return str(Path(path).resolve().relative_to(paths.PROJECT_DIR))
    except ValueError:
        return str(path)


def load_file(path: Path, reference: Reference) -> EventData:
    """Read one raw file into canonical tables, with its row-accounting line."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "does not exist")
    raw = read_table(path)
    source_format = detect_format(raw, path)
    raw, applied = _corrected(raw, path, source_format, reference)
    data = source_format.read(raw, Path(display_path(path)), reference)
    if applied is not None:
        data.corrections = conform(applied.assign(source_file=display_path(path)), CORRECTION_COLUMNS)
    data.accounting = conform(pd.DataFrame([{
        "source_file": display_path(path),
        "format": source_format.name,
        "raw_rows": len(raw),
        "events": len(data.events),
        "merged": len(data.merges),
        "quarantined": data.quarantine["source_row"].nunique(),
    }]), ACCOUNTING_COLUMNS)
    return data
