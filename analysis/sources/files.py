"""Reading raw files as untyped cells: CSV (any usual encoding and delimiter) and XLSX, rows that do not split named.

Readers take the frames these functions return; nothing here knows an event format. Three rules keep bad files
from turning into tracebacks or silent losses:

* A file's kind comes from its bytes, never its name: a workbook saved as ``.csv`` is read as a workbook, CSV
  text saved as ``.xlsx`` as text; an old ``.xls`` or a password-protected workbook is refused with what to do.
* Text is decoded line by line only when it must be: a UTF-8 file is read as UTF-8; in a file with some lines in
  another encoding, those lines (and only those) are read as Windows-1252, with a warning naming them.
* Records are counted on their own, not taken from the parse: first the physical lines, and where those differ
  from the parsed rows, the quoted records (a quote opens a cell, the next one closes it). A quoted cell that runs
  over lines which look like rows of their own (the header's number of cells, quotes in pairs) is a likely
  unclosed quote: that row is listed with both line numbers and the lines after it are read as rows again.
  ``frame.attrs["record_count"]`` is the count load_file's row accounting starts from.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import mmap
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.core.errors import InputError, describe_os_error
from analysis.core.tables import QUARANTINE_COLUMNS, conform
from analysis.core.text import column_key

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
TABLE_SUFFIXES = (*TEXT_SUFFIXES, ".xlsx", ".xlsm")
WORKBOOK = "workbook"
TEXT = "text"
# The first bytes of the files people save tables as by mistake (ZIP is what .xlsx / .xlsm are made of).
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, and any password-protected workbook
_MAX_CELL_CHARACTERS = 2**31 - 1  # the csv module refuses cells over 131,072 characters unless told otherwise


def read_table(path: Path, *, header: bool = True, header_only: bool = False, leave_out=()) -> pd.DataFrame:
    """Read a CSV or XLSX file as untyped cells with snake_case headers; blank cells become NA.

    Whether a file is a workbook or text is decided by its first bytes (see the module docstring). CSV files may
    be UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or Windows-1252 / Latin-1 in some
    or all lines (those lines are read as such, with a warning); the delimiter (comma, semicolon, tab or bar) is
    taken from the first line. Rows with the wrong number of cells (a truncated file, an unquoted delimiter, an
    unclosed quote) are left out of the table and listed in ``frame.attrs["malformed_rows"]`` so the caller can
    quarantine them; the frame's index is then the row's position in the file (row number - 2), so kept rows keep
    their true row numbers. ``frame.attrs["record_count"]`` is the number of rows the file holds, counted apart
    from the parse.

    ``header_only`` returns the header of a text file as an empty table (its columns, as the full read would
    name them); ``leave_out`` names (snake_case) columns of a text file not to convert: every row is still
    checked for its number of cells.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(path, f"unknown file type {suffix!r}; expected one of {', '.join(TABLE_SUFFIXES)}")
    try:
        if content_kind(path) == WORKBOOK:
            frame = _read_workbook(path, header=header)
        else:
            frame = _read_csv(
                path,
                header=header,
                separator="\t" if suffix == ".tsv" else None,
                header_only=header_only,
                leave_out=set(leave_out),
            )
    except OSError as error:
        raise InputError(path, f"cannot be read: {describe_os_error(error)}") from None
    frame.attrs.setdefault("malformed_rows", [])
    frame.attrs.setdefault("record_count", len(frame) + len(frame.attrs["malformed_rows"]))
    if header:
        frame.attrs["original_columns"] = [str(c) for c in frame.columns]
        frame.columns = [column_key(c) for c in frame.columns]
        frame.attrs["repeated_columns"] = _repeated_columns(frame)
    return frame


def content_kind(path: Path) -> str:
    """Tell from a file's first bytes whether it is a workbook or text; refuse other binary files, naming them."""
    with open(path, "rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    if sample.startswith(_ZIP_MAGIC):
        return WORKBOOK
    if sample.startswith(_OLE2_MAGIC):
        raise InputError(
            path,
            "is an Excel 97-2003 workbook (.xls) or a password-protected one: open it in a spreadsheet and save it "
            "as 'Excel Workbook (.xlsx)' or 'CSV UTF-8', without a password",
        )
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            path,
            f"holds binary data, not a table (it starts with {sample[:8]!r}); if it is UTF-16 text without a "
            "byte-order mark, save it as 'CSV UTF-8'",
        )
    return TEXT


def _read_workbook(path: Path, *, header: bool) -> pd.DataFrame:
    """Read the first sheet of an .xlsx / .xlsm workbook as cells, refusing a damaged one by name."""
    import zipfile

    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            frame = pd.read_excel(book, sheet_name=0, dtype=object, header=0 if header else None)
            sheets = book.sheet_names
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        raise InputError(
            path, f"is a ZIP file but not a readable Excel workbook ({error}); save it again as .xlsx or CSV"
        ) from None
    if len(sheets) > 1:
        warnings.warn(
            f"{path}: has {len(sheets)} sheets; only the first, {sheets[0]!r}, is read (the others: "
            f"{', '.join(map(repr, sheets[1:]))}); move the table to the first sheet if it is elsewhere",
            stacklevel=4,
        )
    if not header:
        frame.columns = [f"column_{i + 1}" for i in range(frame.shape[1])]
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
_SCAN_BYTES = 1 << 22  # the record counter's chunk: small enough to stay in cache
_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class _Text:
    """A text file as the CSV readers see it: its path while its bytes are UTF-8 as they are, else UTF-8 bytes."""

    path: Path
    data: bytes | None = None  # set once the file had to be transcoded or repaired
    encoding: str = "utf-8"

    def source(self):
        """Return what pyarrow reads: the file itself, or the transcoded bytes."""
        import pyarrow as pa

        return self.path if self.data is None else pa.BufferReader(self.data)

    def buffer(self):
        """Return the UTF-8 bytes as a read-only buffer (the file mapped into memory when it was not transcoded)."""
        if self.data is not None:
            return _BytesBuffer(self.data)
        return _MappedFile(self.path)

    def decoded(self) -> str:
        """Return the whole text as str, line ends as they are (byte-order mark removed)."""
        if self.data is None:
            try:
                with open(self.path, encoding="utf-8-sig", newline="") as handle:
                    return handle.read()
            except UnicodeDecodeError:  # invalid bytes in a column the fast read left out
                self.repair()
        try:
            return self.data.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:  # transcoded line ends, but some lines in another encoding
            self.repair()
            return self.data.decode("utf-8").lstrip("\ufeff")

    def repair(self) -> None:
        """Decode line by line: UTF-8 where a line is valid, Windows-1252 (or Latin-1) where it is not; warn once."""
        lines = (self.path.read_bytes() if self.data is None else self.data).split(b"\n")
        fixed, legacy = [], []
        for number, line in enumerate(lines, start=1):
            try:
                line.decode("utf-8")
                fixed.append(line)
            except UnicodeDecodeError:
                legacy.append(number)
                fixed.append(_legacy_decode(line).encode("utf-8"))
        self.data, self.encoding = b"\n".join(fixed), "utf-8 and cp1252"
        listed = ", ".join(map(str, legacy[:10])) + (f" and {len(legacy) - 10} more" if len(legacy) > 10 else "")
        whole = "every line with non-ASCII text" if len(legacy) == sum(1 for ln in lines if not ln.isascii()) else ""
        warnings.warn(
            f"{self.path}: is not UTF-8 text in line{'s' if len(legacy) > 1 else ''} {listed}"
            f"{f' ({whole})' if whole else ''}; read {'them' if len(legacy) > 1 else 'it'} as Windows-1252 / "
            "Latin-1 and every other line as UTF-8. If names look wrong there, save the file as UTF-8 CSV.",
            stacklevel=5,
        )


def _legacy_decode(line: bytes) -> str:
    """Decode one line that is not UTF-8: Windows-1252, or Latin-1 for the five bytes Windows-1252 leaves unused."""
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:
        return line.decode("latin-1")


class _BytesBuffer:
    """A context manager giving bytes as a numpy array (the counterpart of _MappedFile)."""

    def __init__(self, data: bytes):
        self.data = data

    def __enter__(self) -> np.ndarray:
        return np.frombuffer(self.data, dtype=np.uint8)

    def __exit__(self, *exc) -> None:
        return None


class _MappedFile:
    """A context manager mapping a file into memory as a numpy array of bytes (nothing copied)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> np.ndarray:
        self.handle = open(self.path, "rb")
        self.map = mmap.mmap(self.handle.fileno(), 0, access=mmap.ACCESS_READ)
        return np.frombuffer(self.map, dtype=np.uint8)

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(BufferError):  # a caller still holds a view: the map closes when that view goes
            self.map.close()
        self.handle.close()


def _text(path: Path, sample: bytes) -> _Text:
    """Prepare a text file for reading: UTF-16 and bare-CR files are transcoded into UTF-8 (\\n) bytes at once."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = path.read_bytes().decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(path, f"is not valid UTF-16 text ({error}); save it as 'CSV UTF-8'") from None
        return _Text(path, data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), encoding="utf-16")
    if b"\r" in sample and b"\n" not in sample:  # lines ended by CR alone (old Mac files)
        return _Text(path, path.read_bytes().replace(b"\r", b"\n"), encoding="utf-8")
    return _Text(path)


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
    text = _text(path, sample)
    first_line = _first_line(sample if text.data is None else text.data[:_SAMPLE_BYTES])
    if not first_line.strip():
        raise InputError(path, "starts with a blank line; the header row must be the first line")
    separator = separator or _sniff_delimiter(first_line)
    first_cells = next(csv.reader([first_line], delimiter=separator), [])
    names = first_cells if header else [f"column_{i + 1}" for i in range(len(first_cells))]
    if header_only:
        frame = pd.DataFrame(columns=names)
        frame.attrs.update(delimiter=separator, encoding=text.encoding, malformed_rows=[])
        return frame
    read = {"header": header, "separator": separator, "leave_out": leave_out}
    try:
        frame, malformed_count = _read_csv_arrow(text, names, **read)
    except UnicodeDecodeError:
        text.repair()
        frame, malformed_count = _read_csv_arrow(text, names, **read)
    except _NeedsExactRead:
        frame, malformed_count = None, None
    malformed: list[dict] = []
    if frame is None or malformed_count:
        frame, malformed, record_count = _read_csv_records(text, names, header=header, separator=separator)
    else:
        frame, record_count, exact = _counted(text, frame, names, header=header, separator=separator)
        if not exact:
            frame, malformed, record_count = _read_csv_records(text, names, header=header, separator=separator)
    frame.attrs["delimiter"] = separator
    frame.attrs["encoding"] = text.encoding
    frame.attrs["malformed_rows"] = malformed
    frame.attrs["record_count"] = record_count
    return frame


def _first_line(sample: bytes) -> str:
    """Decode the first line of a UTF-8 file sample (without a byte-order mark)."""
    text = sample.decode("utf-8-sig", errors="replace")
    return text.lstrip("\ufeff").split("\n")[0].rstrip("\r") if text.strip() else ""


def _sniff_delimiter(line: str) -> str:
    """Pick the delimiter that splits the first line into the most cells (comma on a tie).

    >>> _sniff_delimiter("id;date;country"), _sniff_delimiter('a,"b;c",d')
    (';', ',')
    """

    def cells(delimiter: str) -> int:
        return len(next(csv.reader([line], delimiter=delimiter), []))

    return max(_DELIMITERS, key=lambda d: (cells(d), d == ","))


class _NeedsExactRead(Exception):
    """pyarrow cannot split this file into rows (an unclosed quote at its end, ...): read it the exact way."""


def _read_csv_arrow(text: _Text, names: list[str], *, header: bool, separator: str, leave_out: set[str]):
    """Read every cell as text with pyarrow's multi-threaded reader; return (frame, malformed-row count).

    Columns whose snake_case name is in ``leave_out`` are parsed (so rows with the wrong number of cells are
    still found) but not converted into the table. Raises UnicodeDecodeError when the text is not UTF-8, and
    _NeedsExactRead when pyarrow cannot parse it at all.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    malformed: list = []

    def collect(row) -> str:
        malformed.append(row)
        return "skip"

    unique_names = _placeholder_names(names)
    kept = [(unique, name) for unique, name in zip(unique_names, names) if column_key(name) not in leave_out]

    def read(newlines_in_values: bool, block_size: int):
        malformed.clear()
        return pa_csv.read_csv(
            text.source(),
            read_options=pa_csv.ReadOptions(
                column_names=unique_names, skip_rows=1 if header else 0, encoding="utf8", block_size=block_size
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

    undecodable: list = []
    try:
        with _undecodable_rows_noted(undecodable):
            table = _read_in_blocks(read, text)
    except pa.ArrowInvalid as error:
        if _is_encoding_error(error) and text.data is None:
            raise UnicodeDecodeError("utf-8", b"", 0, 1, str(error)) from None
        raise _NeedsExactRead(str(error)) from None
    if undecodable and text.data is None:  # a malformed row pyarrow could not show as text: not UTF-8
        raise UnicodeDecodeError("utf-8", b"", 0, 1, str(undecodable[0]))
    frame = table.to_pandas()
    frame.columns = [name for _, name in kept]
    return frame, len(malformed)


def _read_in_blocks(read, text: _Text):
    """Run pyarrow's read the fast way (blocks split at any line end), else the way that allows line breaks."""
    import pyarrow as pa

    block_size = CSV_BLOCK_BYTES
    try:
        # Splitting the file into blocks at any line end is 40% faster. A cell holding a line break still
        # parses right within a block; where a block would end inside one, pyarrow stops with "parser got
        # out of sync with chunker" (it never returns wrong rows), and the file is read again the slow way.
        return read(newlines_in_values=False, block_size=block_size)
    except pa.ArrowInvalid as error:
        if _is_encoding_error(error):  # reading again would fail the same way: go straight to the fallback
            raise
        if "straddl" in str(error):  # one cell longer than a block: read the file as one block
            block_size = min(_size(text) + 1, 2**31 - 1)
    return read(newlines_in_values=True, block_size=block_size)


@contextlib.contextmanager
def _undecodable_rows_noted(found: list):
    """Note, instead of printing, the decoding errors pyarrow meets when it shows a malformed row to its handler.

    pyarrow decodes such a row before calling the handler, out of any caller's reach: a row with bytes that are
    not UTF-8 would print "Exception ignored" with a traceback, and the row would be dropped without a word.
    """
    import sys

    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        if isinstance(unraisable.exc_value, UnicodeDecodeError):
            found.append(unraisable.exc_value)
        else:
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _size(text: _Text) -> int:
    """Return the number of bytes pyarrow reads."""
    return len(text.data) if text.data is not None else text.path.stat().st_size


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


# ---------------------------------------------------------------- counting records apart from the parse


def count_lines(data: np.ndarray) -> int:
    """Count physical lines: line ends, plus a last line without one.

    >>> count_lines(np.frombuffer(b"a,b\\n1,2\\n3,4", dtype=np.uint8))
    3
    """
    newlines = sum(int(np.count_nonzero(data[s : s + _SCAN_BYTES] == 10)) for s in range(0, len(data), _SCAN_BYTES))
    return newlines + (1 if len(data) and data[-1] != 10 else 0)


@dataclass(frozen=True)
class RecordScan:
    """Where each record of a text file starts and ends (0-based line numbers), found from quotes and line ends.

    A quote opens a quoted cell and the next one closes it (a doubled quote opens and closes at once), so a line
    end inside a quoted cell does not end the record. Blank lines are records of one blank line.
    ``delimiters`` counts each line's delimiter bytes (a line read alone has at most that many cells plus one).
    """

    first_lines: np.ndarray
    last_lines: np.ndarray
    is_blank: np.ndarray
    delimiters: np.ndarray

    @property
    def rows(self) -> int:
        """Return the number of non-blank records (header included)."""
        return int(np.count_nonzero(~self.is_blank))


def scan_records(data: np.ndarray, separator: str = ",") -> RecordScan:
    """Split UTF-8 (or any ASCII-compatible) CSV bytes into records by quote parity at each line end.

    >>> scan = scan_records(np.frombuffer(b'id,notes\\n1,"two\\nlines"\\n\\n2,x\\n', dtype=np.uint8))
    >>> scan.first_lines.tolist(), scan.last_lines.tolist(), scan.is_blank.tolist(), scan.delimiters.tolist()
    ([0, 1, 3, 4], [0, 2, 3, 4], [False, False, True, False], [1, 1, 0, 0, 1])
    """
    delimiter = ord(separator)
    inside, blank, delimiters, parity, previous_end = [], [], [], 0, -1
    for start in range(0, len(data), _SCAN_BYTES):
        chunk = data[start : start + _SCAN_BYTES]
        newlines = np.flatnonzero(chunk == 10)
        quotes = (chunk == 34).view(np.uint8)
        if not len(newlines):
            parity ^= int(np.bitwise_xor.reduce(quotes))
            continue
        # each line's segment runs from the byte after the previous line end to its own line end, inclusive
        segment_starts = np.concatenate(([0], newlines[:-1] + 1))
        in_lines = slice(0, int(newlines[-1]) + 1)
        state = np.bitwise_xor.accumulate(np.bitwise_xor.reduceat(quotes[in_lines], segment_starts)) ^ parity
        parity = int(state[-1]) ^ int(np.bitwise_xor.reduce(quotes[int(newlines[-1]) + 1 :]))
        counts = np.add.reduceat((chunk[in_lines] == delimiter).astype(np.int32), segment_starts)
        if delimiters and start > previous_end + 1:  # the first line began in an earlier chunk
            counts[0] += int(np.count_nonzero(data[previous_end + 1 : start] == delimiter))
        ends = newlines + start
        line_starts = np.concatenate(([previous_end + 1], ends[:-1] + 1))
        length = ends - line_starts
        inside.append(state.astype(bool))
        blank.append((length == 0) | ((length == 1) & (data[np.maximum(ends - 1, 0)] == 13)))
        delimiters.append(counts)
        previous_end = int(ends[-1])
    if len(data) and previous_end != len(data) - 1:  # a last line without a line end
        tail = data[previous_end + 1 :]
        inside.append(np.array([bool(parity)]))
        blank.append(np.array([len(tail) == 1 and tail[0] == 13]))
        delimiters.append(np.array([np.count_nonzero(tail == delimiter)], dtype=np.int32))
    if not inside:
        empty = np.array([], dtype=np.int64)
        return RecordScan(empty, empty, np.array([], dtype=bool), empty)
    ends_inside = np.concatenate(inside)
    is_empty_line = np.concatenate(blank)
    starts_inside = np.concatenate(([False], ends_inside[:-1]))
    is_last = ~ends_inside
    is_last[-1] = True  # a quote still open at the end of the file ends its record there
    last_lines = np.flatnonzero(is_last)
    first_lines = np.concatenate(([0], last_lines[:-1] + 1))
    is_blank = (first_lines == last_lines) & is_empty_line[first_lines] & ~starts_inside[first_lines]
    return RecordScan(first_lines, last_lines, is_blank, np.concatenate(delimiters))


def _looks_like_a_row(line: str, separator: str, n_columns: int) -> bool:
    """Tell whether one line, read on its own, is a whole row: the header's number of cells, its quotes in pairs.

    The last line of a cell that rightly spans lines holds that cell's closing quote, an odd one out; a row
    swallowed by an unclosed quote has its own quotes, in pairs (or none).

    >>> _looks_like_a_row('c,2022-08-26,"CENTCOM, release"', ",", 3), _looks_like_a_row('0",2022-08-26,x', ",", 3)
    (True, False)
    """
    if line.count('"') % 2:
        return False
    try:
        return len(next(csv.reader([line.rstrip("\r\n")], delimiter=separator), [])) == n_columns
    except csv.Error:
        return False


def _has_row_like_continuation(scan: RecordScan, lines, n_columns: int, separator: str) -> bool:
    """Tell whether a quoted cell runs over a line that, read alone, looks like a row of its own.

    ``lines(i)`` returns line i as text. Only lines inside a record with enough delimiters are read.
    """
    if n_columns < 3:
        return False
    multi_line = np.flatnonzero(scan.last_lines > scan.first_lines)
    if not len(multi_line):
        return False
    is_continuation = np.zeros(len(scan.delimiters), dtype=bool)
    for record in multi_line:  # usually few; their continuation lines are marked by slices
        is_continuation[scan.first_lines[record] + 1 : scan.last_lines[record] + 1] = True
    candidates = np.flatnonzero(is_continuation & (scan.delimiters >= n_columns - 1))
    return any(_looks_like_a_row(lines(int(i)), separator, n_columns) for i in candidates)


class _LineReader:
    """Return line i of UTF-8 bytes as text (the line ends are found on first use)."""

    def __init__(self, data: np.ndarray):
        self.data = data
        self.ends = None

    def __call__(self, i: int) -> str:
        if self.ends is None:
            chunks = range(0, len(self.data), _SCAN_BYTES)
            found = [np.flatnonzero(self.data[s : s + _SCAN_BYTES] == 10) + s for s in chunks]
            self.ends = np.concatenate([*found, np.array([len(self.data)])])
        begin = 0 if i == 0 else int(self.ends[i - 1]) + 1
        return bytes(self.data[begin : int(self.ends[i])]).decode("utf-8", "replace")


def _counted(text: _Text, frame: pd.DataFrame, names: list[str], *, header: bool, separator: str):
    """Check the fast read's rows against records counted apart from it; return (frame, record count, exact).

    Usually every line is one row and the count is done. Otherwise the records are found from quotes: blank
    lines shift the rows' numbers (a spreadsheet numbers them too), and a quoted cell that runs over lines that
    look like rows of their own, or a count that does not match, sends the file to the exact reader.
    """
    header_rows = 1 if header else 0
    with text.buffer() as data:
        if count_lines(data) == len(frame) + header_rows:
            return frame, len(frame), True
        scan = scan_records(data, separator)
        suspect = _has_row_like_continuation(scan, _LineReader(data), len(names), separator)
    if suspect or scan.rows != len(frame) + header_rows:
        return frame, None, False
    positions = np.flatnonzero(~scan.is_blank[header_rows:])
    frame.index = pd.Index(positions, dtype="int64")
    return frame, len(frame), True


def _read_csv_records(text: _Text, names: list[str], *, header: bool, separator: str):
    """Exact path for files the fast read cannot take whole: keep good rows at their row numbers, list the others.

    A row's number is its record number with the header as row 1, the way a spreadsheet shows it (blank lines
    count). A record whose quoted cell runs over lines that look like rows of their own is a likely unclosed
    quote: its first line is listed as malformed, naming both lines, and reading starts again on the next line.
    Returns (frame, malformed rows, number of rows counted).
    """
    csv.field_size_limit(_MAX_CELL_CHARACTERS)
    lines = text.decoded().split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    good, good_rows, malformed = [], [], []
    first_row = 2 if header else 1  # the row number of the first data row (the index counts from it)
    number = 0  # records seen, header included: a record's number is its row number
    for first, last, record, swallowed in _records(lines, separator, len(names)):
        number += 1
        if header and number == 1:
            continue
        if swallowed:
            malformed.append(
                {
                    "source_row": number,
                    "value": lines[first].rstrip("\r\n")[:200],
                    "reason": _unclosed_quote_reason(first + 1, last + 1, [s + 1 for s in swallowed]),
                }
            )
        elif isinstance(record, str):  # the csv module refused the line
            malformed.append({"source_row": number, "value": lines[first].rstrip("\r\n")[:200], "reason": record})
        elif not record:
            continue  # a blank line is not a row (but keeps its number)
        elif len(record) == len(names):
            good.append([cell if cell != "" else None for cell in record])
            good_rows.append(number - first_row)
        else:
            malformed.append(
                {
                    "source_row": number,
                    "value": separator.join(record)[:200],
                    "reason": _malformed_reason(len(record), len(names), last + 1),
                }
            )
    frame = pd.DataFrame(good, columns=_placeholder_names(names), index=pd.Index(good_rows, dtype="int64"), dtype="str")
    frame.columns = names
    return frame, malformed, len(good) + len(malformed)


def _records(lines: list[str], separator: str, n_columns: int):
    """Yield (first line, last line, cells or a csv error message, swallowed lines) for every record (0-based lines).

    ``swallowed`` lists the lines inside a quoted cell that look like rows of their own; the record is then a
    likely unclosed quote, and the next record starts on the line after its first.
    """
    position = 0
    while position < len(lines):
        reader = csv.reader(itertools.islice(lines, position, None), delimiter=separator)
        consumed = 0
        restart = None
        while True:
            first = position + consumed
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                consumed = reader.line_num
                yield first, position + consumed - 1, f"the line cannot be split into cells: {error}", []
                restart = position + consumed
                break
            consumed = reader.line_num
            last = position + consumed - 1
            swallowed = []
            if last > first and n_columns >= 3:
                swallowed = [i for i in range(first + 1, last + 1) if _looks_like_a_row(lines[i], separator, n_columns)]
            if swallowed:
                yield first, last, record, swallowed
                restart = first + 1
                break
            yield first, last, record, []
        if restart is None:
            return
        position = restart


def _unclosed_quote_reason(opened: int, closed: int, swallowed: list[int]) -> str:
    """Explain a quoted cell that runs over lines which look like rows of their own."""
    rows = ", ".join(map(str, swallowed[:5])) + (" ..." if len(swallowed) > 5 else "")
    return (
        f"likely unclosed quote: the quoted cell opened on line {opened} runs on to line {closed}, over line "
        f"{rows} that {'look' if len(swallowed) > 1 else 'looks'} like {'rows' if len(swallowed) > 1 else 'a row'} "
        f"of {'their' if len(swallowed) > 1 else 'its'} own; line {opened} is left out and line {opened + 1} read "
        f"as the next row: close the quote on line {opened}"
    )


def _malformed_reason(found: int, expected: int, last_line: int) -> str:
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
