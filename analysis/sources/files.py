"""Reading raw files as untyped cells: CSV (any usual encoding and delimiter) and XLSX, rows that do not split named.

Readers take the frames these functions return; nothing here knows an event format.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.core.errors import InputError
from analysis.core.tables import QUARANTINE_COLUMNS, conform
from analysis.core.text import column_key

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
TABLE_SUFFIXES = (*TEXT_SUFFIXES, ".xlsx", ".xlsm")


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
        frame = _read_csv(
            path,
            header=header,
            separator="\t" if suffix == ".tsv" else None,
            header_only=header_only,
            leave_out=set(leave_out),
        )
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
    clashes = "; ".join(
        " and ".join(repr(o) for o, key in zip(original, frame.columns) if key == name) for name in repeated
    )
    return f"has the same column twice: {clashes}; rename or delete one of them"


_SAMPLE_BYTES = 1 << 16
CSV_BLOCK_BYTES = 1 << 20  # pyarrow's default: the unit its reader splits a file into for its threads
_DELIMITERS = (",", ";", "\t", "|")


def _read_csv(
    path: Path,
    *,
    header: bool,
    separator: str | None = None,
    header_only: bool = False,
    leave_out: set[str] = frozenset(),
) -> pd.DataFrame:
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
            f"{path}: is not UTF-8 text (byte {error.object[error.start : error.start + 1]!r} at offset "
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
            read_options=pa_csv.ReadOptions(
                column_names=unique_names, skip_rows=1 if header else 0, encoding=encoding, block_size=CSV_BLOCK_BYTES
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=separator, newlines_in_values=newlines_in_values, invalid_row_handler=collect
            ),
            convert_options=pa_csv.ConvertOptions(  # large_string: what pandas keeps text in, so no copy follows
                include_columns=[unique for unique, _ in kept],
                column_types={unique: pa.large_string() for unique, _ in kept},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
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
                malformed.append(
                    {
                        "source_row": number,
                        "value": separator.join(record)[:200],
                        "reason": _malformed_reason(len(record), len(names), number, records.line_num),
                    }
                )
    frame = pd.DataFrame(good, columns=_placeholder_names(names), index=pd.Index(good_rows, dtype="int64"), dtype="str")
    frame.columns = names
    return frame, malformed


def _malformed_reason(found: int, expected: int, number: int, last_line: int) -> str:
    """Explain a row with the wrong number of cells."""
    if found < expected:
        return (
            f"row has {found} cells, the header has {expected}: the file may be truncated or the row cut short "
            f"(ends on line {last_line})"
        )
    return (
        f"row has {found} cells, the header has {expected}: a cell may hold an unquoted delimiter "
        f"(ends on line {last_line})"
    )


def malformed_row_quarantine(raw: pd.DataFrame, source_file: str) -> pd.DataFrame:
    """Turn the rows read_table could not split into cells into quarantine rows."""
    rows = raw.attrs.get("malformed_rows", [])
    return conform(
        pd.DataFrame([{**row, "source_file": source_file, "column": "(whole row)"} for row in rows]), QUARANTINE_COLUMNS
    )


def display_path(path: Path) -> str:
    """Name a file relative to the project when it lies inside it, so outputs do not depend on the clone's place."""
    try:
        return str(Path(path).resolve().relative_to(paths.PROJECT_DIR))
    except ValueError:
        return str(path)
