"""Readers for each kind of raw event table, chosen from a file's columns (never from its name).

A reader is a ``SourceFormat``: the columns that identify it and a function from the raw table to
``EventData``. To support a new kind of file, write a module with one and add it to ``FORMATS``.
"""
from __future__ import annotations

import csv
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from analysis import paths
from analysis.core.errors import InputError
from analysis.core.tables import ACCOUNTING_COLUMNS, CORRECTION_COLUMNS, QUARANTINE_COLUMNS, EventData, conform
from analysis.cleaning.reference import Reference
from analysis.core.text import column_key

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
TABLE_SUFFIXES = (*TEXT_SUFFIXES, ".xlsx", ".xlsm")


@dataclass(frozen=True)
class SourceFormat:
    """One kind of input file: how to recognise it and how to read it."""

    name: str
    required: tuple[str, ...]
    read: Callable[[pd.DataFrame, Path, Reference], EventData]
    header: bool = True
    id_column: str | None = None  # the record's own id, which corrections.csv refers to
    columns: tuple[str, ...] = ()  # for a format without a header row: every column, in order
    looks_like: Callable[[list[str]], bool] | None = None  # for a format without a header row: does a first row fit?
    unread: tuple[str, ...] = ()  # layout columns the reader never looks at: a text file is read without them

    def missing(self, columns) -> list[str]:
        """Return the required columns absent from columns."""
        present = set(columns)
        return [c for c in self.required if c not in present]


def read_table(path: Path, *, header: bool = True, header_only: bool = False, leave_out=()) -> pd.DataFrame:
    """Read a CSV or XLSX file as untyped cells with snake_case headers; blank cells become NA.

    CSV files may be UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or Windows-1252 /
    Latin-1 (read with a warning); the delimiter (comma, semicolon, tab or bar) is taken from the first line.
    Rows with the wrong number of cells (a truncated file, an unquoted delimiter) are left out of the table and
    listed in ``frame.attrs["malformed_rows"]`` so the caller can quarantine them; the frame's index is then the
    row's position in the file (row number - 2), so kept rows keep their true row numbers.

    ``header_only`` returns the header of a text file as an empty table (its columns, as the full read would
    name them); ``leave_out`` names (snake_case) columns of a text file not to convert: every row is still
    checked for its number of cells.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=object, header=0 if header else None)
        if not header:
            frame.columns = [f"column_{i + 1}" for i in range(frame.shape[1])]
    elif suffix in TEXT_SUFFIXES:
        frame = _read_csv(path, header=header, separator="\t" if suffix == ".tsv" else None, header_only=header_only,
                          leave_out=set(leave_out))
    else:
        raise InputError(path, f"unknown file type {suffix!r}; expected one of {', '.join(TABLE_SUFFIXES)}")
    frame.attrs.setdefault("malformed_rows", [])
    if header:
        frame.attrs["original_columns"] = [str(c) for c in frame.columns]
        frame.columns = [column_key(c) for c in frame.columns]
        frame.attrs["repeated_columns"] = _repeated_columns(frame)
    return frame


def _repeated_columns(frame: pd.DataFrame) -> str | None:
    """Describe headers that name the same column once case and punctuation are folded away (None: none do)."""
    repeated = frame.columns[frame.columns.duplicated()].unique().tolist()
    if not repeated:
        return None
    original = frame.attrs["original_columns"]
    clashes = "; ".join(" and ".join(repr(o) for o, key in zip(original, frame.columns) if key == name) for name in repeated)
    return f"has the same column twice: {clashes}; rename or delete one of them"


_SAMPLE_BYTES = 1 << 16
CSV_BLOCK_BYTES = 1 << 20  # pyarrow's default: the unit its reader splits a file into for its threads
_DELIMITERS = (",", ";", "\t", "|")


def _read_csv(path: Path, *, header: bool, separator: str | None = None, header_only: bool = False,
              leave_out: set[str] = frozenset()) -> pd.DataFrame:
    """Read a delimited text file as strings (pyarrow), naming the file when it cannot be read as a table."""
    with open(path, "rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    if not sample.strip():
        raise InputError(path, "is empty; expected a header row and one row per event")
    encoding = _sniff_encoding(sample)
    first_line = _first_line(sample, encoding)
    separator = separator or _sniff_delimiter(first_line)
    first_cells = next(csv.reader([first_line], delimiter=separator), [])
    names = first_cells if header else [f"column_{i + 1}" for i in range(len(first_cells))]
    if header_only:
        frame = pd.DataFrame(columns=names)
        frame.attrs.update(delimiter=separator, encoding=encoding, malformed_rows=[])
        return frame
    read = {"header": header, "separator": separator, "leave_out": leave_out}
    try:
        frame, malformed_count = _read_csv_arrow(path, names, encoding=encoding, **read)
    except UnicodeDecodeError as error:
        encoding = "cp1252"
        warnings.warn(
            f"{path}: is not UTF-8 text (byte {error.object[error.start:error.start + 1]!r} at offset "
            f"{error.start}); read it as Windows-1252 / Latin-1. If names look wrong, save the file as UTF-8 CSV.",
            stacklevel=3,
        )
        frame, malformed_count = _read_csv_arrow(path, names, encoding=encoding, **read)
    malformed: list[dict] = []
    if malformed_count:
        frame, malformed = _read_csv_records(path, names, header=header, separator=separator, encoding=encoding)
    frame.attrs["delimiter"] = separator
    frame.attrs["encoding"] = encoding
    frame.attrs["malformed_rows"] = malformed
    return frame


def _sniff_encoding(sample: bytes) -> str:
    """Return the encoding a byte-order mark announces (UTF-8 when there is none)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8"


def _first_line(sample: bytes, encoding: str) -> str:
    """Decode the first line of a file sample (without a byte-order mark)."""
    text = sample.decode("utf-8-sig" if encoding == "utf-8" else encoding, errors="replace")
    return text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""


def _sniff_delimiter(line: str) -> str:
    """Pick the delimiter that splits the first line into the most cells (comma on a tie).

    >>> _sniff_delimiter("id;date;country"), _sniff_delimiter('a,"b;c",d')
    (';', ',')
    """
    def cells(delimiter: str) -> int:
        return len(next(csv.reader([line], delimiter=delimiter), []))

    return max(_DELIMITERS, key=lambda d: (cells(d), d == ","))


def _read_csv_arrow(path: Path, names: list[str], *, header: bool, separator: str, encoding: str, leave_out: set[str]):
    """Read every cell as text with pyarrow's multi-threaded reader; return (frame, malformed-row count).

    Columns whose snake_case name is in ``leave_out`` are parsed (so rows with the wrong number of cells are
    still found) but not converted into the table.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    malformed: list = []

    def collect(row) -> str:
        malformed.append(row)
        return "skip"

    unique_names = _placeholder_names(names)
    kept = [(unique, name) for unique, name in zip(unique_names, names) if column_key(name) not in leave_out]

    def read(newlines_in_values: bool):
        malformed.clear()
        return pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(column_names=unique_names, skip_rows=1 if header else 0, encoding=encoding,
                                            block_size=CSV_BLOCK_BYTES),
            parse_options=pa_csv.ParseOptions(delimiter=separator, newlines_in_values=newlines_in_values,
                                              invalid_row_handler=collect),
            convert_options=pa_csv.ConvertOptions(  # large_string: what pandas keeps text in, so no copy follows
                include_columns=[unique for unique, _ in kept],
                column_types={unique: pa.large_string() for unique, _ in kept}, strings_can_be_null=True,
                quoted_strings_can_be_null=True, null_values=[""],
            ),
        )

    try:
        try:
            # Splitting the file into blocks at any line end is 40% faster. A cell holding a line break still
            # parses right within a block; where a block would end inside one, pyarrow stops with "parser got
            # out of sync with chunker" (it never returns wrong rows), and the file is read again the slow way.
            table = read(newlines_in_values=False)
        except pa.ArrowInvalid as error:
            if _is_encoding_error(error):  # reading again would fail the same way: go straight to the fallback
                raise
            table = read(newlines_in_values=True)
    except pa.ArrowInvalid as error:
        if _is_encoding_error(error):
            with open(path, "rb") as handle:
                raw_bytes = handle.read()
            raw_bytes.decode("utf-8")  # raises UnicodeDecodeError with the offending byte and offset
        raise InputError(path, f"is not a well-formed CSV table ({error})") from None
    frame = table.to_pandas()
    frame.columns = [name for _, name in kept]
    return frame, len(malformed)


def _is_encoding_error(error: Exception) -> bool:
    """Tell whether pyarrow refused a file because it is not UTF-8 text."""
    return "UTF8" in str(error) or "UTF-8" in str(error)


def _placeholder_names(names: list[str]) -> list[str]:
    """Make header cells unique for the reader (repeated ones are refused later, by their written names)."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}\x00{seen[name]}")
    return unique


def _read_csv_records(path: Path, names: list[str], *, header: bool, separator: str, encoding: str):
    """Slow, exact path for files with malformed rows: keep good rows at their row numbers, list the others.

    A row's number is its record number with the header as row 1, the way a spreadsheet shows it.
    """
    good, good_rows, malformed = [], [], []
    with open(path, newline="", encoding="utf-8-sig" if encoding == "utf-8" else encoding) as handle:
        records = csv.reader(handle, delimiter=separator)
        for number, record in enumerate(records, start=1 if header else 2):
            if header and number == 1:
                continue
            if not record:
                continue  # a blank line is not a row
            if len(record) == len(names):
                good.append([cell if cell != "" else None for cell in record])
                good_rows.append(number - 2)
            else:
                malformed.append({"source_row": number, "value": separator.join(record)[:200],
                                  "reason": _malformed_reason(len(record), len(names), number, records.line_num)})
    frame = pd.DataFrame(good, columns=_placeholder_names(names), index=pd.Index(good_rows, dtype="int64"), dtype="str")
    frame.columns = names
    return frame, malformed


def _malformed_reason(found: int, expected: int, number: int, last_line: int) -> str:
    """Explain a row with the wrong number of cells."""
    if found < expected:
        return (f"row has {found} cells, the header has {expected}: the file may be truncated or the row cut short "
                f"(ends on line {last_line})")
    return (f"row has {found} cells, the header has {expected}: a cell may hold an unquoted delimiter "
            f"(ends on line {last_line})")


def formats() -> list[SourceFormat]:
    """Return every known input format, most specific first."""
    from analysis.sources import acled, ged, incident_log, weekly

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
                    path, f"looks like {source_format.name} (its first row is data), but has {len(original)} columns "
                    f"where that layout has {len(source_format.columns)}: {', '.join(source_format.columns)}"
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
        hint = f" It looks most like {closest.name} but lacks {_missing_with_guesses(closest.missing(columns), columns)}."
    if delimiter != ",":
        hint += f" (The file was read as separated by {delimiter!r}.)"
    raise InputError(
        path, f"is not a known event table. Its columns are: {', '.join(map(str, original)) or '(none)'}. "
        f"Expected the columns of one of: {expected}.{hint}"
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


def malformed_row_quarantine(raw: pd.DataFrame, source_file: str) -> pd.DataFrame:
    """Turn the rows read_table could not split into cells into quarantine rows."""
    rows = raw.attrs.get("malformed_rows", [])
    return conform(pd.DataFrame([{**row, "source_file": source_file, "column": "(whole row)"} for row in rows]),
                   QUARANTINE_COLUMNS)


def _corrected(raw: pd.DataFrame, path: Path, source_format: SourceFormat, reference: Reference):
    """Apply the declarative corrections that name this file (see analysis.cleaning.corrections)."""
    from analysis.cleaning.corrections import apply_corrections

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


def _read_detected(path: Path, reference: Reference) -> tuple[SourceFormat, pd.DataFrame]:
    """Read a file and pick its format; a text file's header names the format first, so that the columns the
    format never uses are left out of the read (a correction naming one keeps it)."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raw = read_table(path)
        return detect_format(raw, path), raw
    header = read_table(path, header_only=True)
    source_format = detect_format(header, path)
    if not source_format.header:
        return source_format, header  # the caller reads it again, without a header row
    if not source_format.unread:
        return source_format, read_table(path)
    corrected = set() if reference.corrections is None else {column_key(c) for c in reference.corrections["column"].dropna()}
    return source_format, read_table(path, leave_out=set(source_format.unread) - corrected)


def load_file(path: Path, reference: Reference) -> EventData:
    """Read one raw file into canonical tables, with its row-accounting line."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "does not exist")
    source_format, raw = _read_detected(path, reference)
    if not source_format.header:
        raw = read_table(path, header=False)
        raw.columns = list(source_format.columns)
    raw, applied = _corrected(raw, path, source_format, reference)
    malformed = malformed_row_quarantine(raw, display_path(path))
    raw_rows = len(raw) + len(malformed)  # counted first: a reader of big files may release raw's columns
    data = source_format.read(raw, Path(display_path(path)), reference)
    if len(malformed):
        data.quarantine = pd.concat([malformed, data.quarantine], ignore_index=True)
    if applied is not None:
        data.corrections = conform(applied.assign(source_file=display_path(path)), CORRECTION_COLUMNS)
    data.accounting = conform(pd.DataFrame([{
        "source_file": display_path(path),
        "format": source_format.name,
        "raw_rows": raw_rows,
        "events": len(data.events),
        "merged": len(data.merges),
        "quarantined": data.quarantine["source_row"].nunique(),
    }]), ACCOUNTING_COLUMNS)
    return data
