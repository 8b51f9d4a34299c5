"""Cell checks shared by the ACLED, UCDP GED and ACLED weekly readers, written for million-row files.

Each check works once per distinct value (``parse_distinct``) or with vectorised pandas operations and
returns the cleaned values with a reason (or None) per row; ``Problems`` turns the reasons into quarantine
rows that name file, row, column and value.
"""

from __future__ import annotations

import math
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.cleaning.cells import (
    MAX_PLAUSIBLE_COUNT,
    CellError,
    DistinctParse,
    check_plausible_count,
    distinct_values,
    parse_distinct,
)
from analysis.cleaning.rows import problem_rows
from analysis.core.arrays import pa_array
from analysis.core.tables import QUARANTINE_COLUMNS, UNKNOWN_NAME_COLUMNS, conform
from analysis.core.text import clean_text


class Problems:
    """Collect per-row reasons from several columns into one quarantine table."""

    def __init__(self, source_file: str, rows: pd.Series):
        self.source_file = source_file
        self.rows = rows
        self.parts: list[pd.DataFrame] = []
        self.is_bad = np.zeros(len(rows), dtype=bool)

    def add(self, column: str, values, reasons) -> None:
        """Record the non-empty reasons found in one column."""
        has_reason = ~pd.isna(np.asarray(reasons, dtype=object))  # usually none: then no Series is built
        if not has_reason.any():
            return
        self.is_bad |= has_reason
        reasons = pd.Series(reasons, index=self.rows.index, dtype=object)
        values = pd.Series(values, index=self.rows.index)
        self.parts.append(problem_rows(self.source_file, self.rows, column, values, reasons))

    def add_parsed(self, column: str, values, parsed: DistinctParse) -> None:
        """Record the reasons of a column parsed once per distinct value (spread to rows only when there are any)."""
        if parsed.has_reasons():
            self.add(column, values, parsed.row_reasons())

    def table(self) -> pd.DataFrame:
        """Return the quarantine rows, ordered by row and column."""
        if not self.parts:
            return conform(pd.DataFrame(), QUARANTINE_COLUMNS)
        table = pd.concat(self.parts, ignore_index=True)
        return table.sort_values(["source_row", "column"], kind="stable").reset_index(drop=True)


def warn_extra_columns(raw: pd.DataFrame, known, path: Path, format_name: str) -> None:
    """Warn about columns the reader does not use (the file is still read)."""
    extra = [c for c in raw.columns if c not in set(known)]
    if extra:
        warnings.warn(
            f"{path}: ignoring columns that the {format_name} layout does not define: {', '.join(extra)}", stacklevel=3
        )


def text_column(
    raw: pd.DataFrame,
    column: str,
    *,
    mostly_distinct: bool = False,
    rows: np.ndarray | None = None,
    function=None,
    distinct: tuple[np.ndarray, object] | None = None,
) -> pd.Series:
    """Return a text column cleaned like text.clean_text (NA when blank or absent), without a per-row Python call.

    Names repeat, so they are cleaned once per distinct value; ``mostly_distinct`` columns (ids) are cleaned
    in one vectorised pass instead. With ``rows`` (positions), only those rows are returned, in that order,
    on a fresh 0..n-1 index. ``function`` (text or None -> text or None) is applied to each cleaned
    distinct value, so a derived column costs one pass too. ``distinct``: distinct_values(raw[column]), when
    already worked out (for instance on another thread): the raw column is then not read, and may be gone.
    """
    index = raw.index if rows is None else pd.RangeIndex(len(rows))
    if distinct is None and column not in raw:
        value = function(None) if function else None
        return pd.Series(pd.NA if value is None else value, index=index, dtype="string")
    if mostly_distinct:
        cleaned = single_chunk(clean_strings(raw[column]))  # ids are taken from more than once
        return cleaned if rows is None else cleaned.iloc[rows].reset_index(drop=True)
    codes, uniques = distinct if distinct is not None else distinct_values(raw[column])
    picked = codes if rows is None else codes[rows]
    cleaned = clean_strings(pd.Series(uniques))
    if function is not None:
        cleaned = pd.Series([function(None if pd.isna(v) else v) for v in cleaned], dtype=object)
    cleaned = pd.array(
        list(cleaned.astype(object).where(cleaned.notna(), None)) + [function(None) if function else None],
        dtype="string",
    )
    return pd.Series(cleaned.take(picked), index=index)


def coded_column(
    raw: pd.DataFrame, column: str, *, rows: np.ndarray | None = None, distinct: tuple[np.ndarray, object] | None = None
) -> pd.Series:
    """Return a text column cleaned like text.clean_text as a categorical Series: a code per row, each value once.

    For columns a reader only groups rows by or looks values up in (actor names, event types), never writes
    out: a million rows then cost a million small integers instead of a million strings. Blank cells are NA.
    With ``rows`` (positions), only those rows, in that order, on a fresh 0..n-1 index; ``distinct`` as in text_column.
    """
    index = raw.index if rows is None else pd.RangeIndex(len(rows))
    if distinct is None and column not in raw:
        return pd.Series(
            pd.Categorical.from_codes(np.full(len(index), -1), categories=pd.Index([], dtype="string")), index=index
        )
    codes, uniques = distinct if distinct is not None else distinct_values(raw[column])
    # cleaning can turn two spellings into one value, or a value into a blank: number the cleaned values again
    category_codes, categories = pd.factorize(clean_strings(pd.Series(uniques)), use_na_sentinel=True)
    row_codes = np.append(category_codes, -1)[codes if rows is None else codes[rows]]
    return pd.Series(
        pd.Categorical.from_codes(row_codes, categories=categories, validate=False), index=index
    )  # valid by construction


def decoded_text(coded: pd.Series) -> pd.Series:
    """Turn a categorical text Series (coded_column) back into a 'string' Series, one take from its values.

    >>> decoded_text(pd.Series(pd.Categorical(["b", None, "b"]))).tolist()
    ['b', <NA>, 'b']
    """
    categories = pd.array(list(coded.cat.categories) + [None], dtype="string")
    codes = coded.cat.codes.to_numpy()
    return pd.Series(categories.take(np.where(codes < 0, len(categories) - 1, codes)), index=coded.index, copy=False)


def derived_text_columns(
    raw: pd.DataFrame,
    column: str,
    functions: dict,
    *,
    rows: np.ndarray,
    distinct: tuple[np.ndarray, object] | None = None,
) -> dict[str, pd.Series]:
    """Derive several text columns from one raw column: each function maps a cleaned value (or None) to text.

    The column is read once: one pass to find its distinct values, one spread per derived column; ``distinct``
    as in text_column.
    """
    index = pd.RangeIndex(len(rows))
    if distinct is None and column not in raw:
        return {name: pd.Series(f(None), index=index, dtype="string") for name, f in functions.items()}
    codes, uniques = distinct if distinct is not None else distinct_values(raw[column])
    cleaned = [None if pd.isna(v) else v for v in clean_strings(pd.Series(uniques))] + [None]
    picked = codes[rows]
    return {
        name: pd.Series(pd.array([f(v) for v in cleaned], dtype="string").take(picked), index=index)
        for name, f in functions.items()
    }


def id_order(ids: pd.Series) -> np.ndarray:
    """Return the positions of ids in sorted order (a stable sort: equal ids keep their row order; blanks last)."""
    import pyarrow.compute as pc

    return pc.sort_indices(pa_array(ids)).to_numpy()


def sorted_positions(is_kept: np.ndarray, dates, by_id: np.ndarray) -> np.ndarray:
    """Return the positions of the kept rows ordered by (date, id): the order load_events gives its events.

    ``by_id`` is id_order(ids) over every row. Two passes, each faster than one two-key sort: the kept rows
    in id order, then a stable sort by date (numpy).
    """
    day_numbers = np.asarray(dates, dtype="datetime64[ns]").view("int64")
    kept = by_id if is_kept.all() else by_id[is_kept[by_id]]
    return kept[_stable_argsort_dates(day_numbers[kept])]


_DAY_NANOSECONDS = 86_400_000_000_000


def _stable_argsort_dates(nanoseconds: np.ndarray) -> np.ndarray:
    """Return np.argsort(nanoseconds, kind="stable"), radix-sorted as 16-bit day numbers when it can be.

    Dates that are whole days less than 179 years apart fit in 16 bits, which numpy sorts in linear time.
    """
    if len(nanoseconds):
        lowest = nanoseconds.min()
        if (nanoseconds.max() - lowest) // _DAY_NANOSECONDS < 2**16 and not (nanoseconds % _DAY_NANOSECONDS).any():
            return np.argsort(((nanoseconds - lowest) // _DAY_NANOSECONDS).astype(np.uint16), kind="stable")
    return np.argsort(nanoseconds, kind="stable")


def clean_strings(values: pd.Series) -> pd.Series:
    """Apply clean_text's rules (NFKC, whitespace collapsed, blank -> NA) to a whole column at once."""
    import pyarrow.compute as pc

    if values.dtype == object or not isinstance(values.dtype, pd.StringDtype):
        if values.dtype == object:
            return values.map(clean_text, na_action="ignore").astype("string")
        values = values.astype("string")
    arrow = pa_array(values)
    if not pc.any(pc.match_substring_regex(arrow, _NEEDS_CLEANING)).as_py():
        return values.astype("string")  # already clean: the usual case for ids, kept without a copy
    cleaned = _blank_as_null(
        pc.utf8_trim_whitespace(pc.replace_substring_regex(pc.utf8_normalize(arrow, "NFKC"), _WHITESPACE_RUN, " "))
    )
    return pd.Series(pd.arrays.ArrowStringArray(cleaned), index=values.index).astype("string")


# What Python's str regex \s matches (clean_text's rule) and RE2's \s does not: vertical tab, the separators \x1c-\x1f,
# NEL, ogham space, line and paragraph separators (other Unicode spaces become " " under NFKC first).
_OTHER_WHITESPACE = r"\x0b\x1c-\x1f\x{85}\x{1680}\x{2028}\x{2029}"
_WHITESPACE_RUN = rf"[\s{_OTHER_WHITESPACE}]+"
# Text that clean_text would change: outer or doubled whitespace, other whitespace, any non-ASCII (NFKC), or blank.
_NEEDS_CLEANING = rf"^\s|\s$|\s\s|[\t\n\r\f\v{_OTHER_WHITESPACE}]|[^\x00-\x7f]|^$"


def _blank_as_null(text):
    """Turn empty strings into nulls (a cheap check first: files rarely hold whitespace-only cells)."""
    import pyarrow.compute as pc

    is_blank = pc.equal(text, "")
    return pc.if_else(is_blank, None, text) if pc.any(is_blank).as_py() else text


@contextmanager
def background_thread(name: str):
    """Yield a one-thread executor for column work that releases the GIL (pyarrow kernels, numpy takes).

    A job's exception reaches whoever asks for its result, unchanged (file, row and column in its message);
    should the caller fail, jobs not yet started are dropped instead of run.
    """
    from concurrent.futures import ThreadPoolExecutor

    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    try:
        yield worker
    except BaseException:
        worker.shutdown(wait=True, cancel_futures=True)
        raise
    worker.shutdown(wait=True)


def release_columns(raw: pd.DataFrame, keep=()) -> None:
    """Drop a raw table's columns (all but `keep`) once a reader has read them, freeing their memory for reuse.

    Only for readers of big files, whose caller needs nothing of the raw table but its row count.
    """
    for column in [c for c in raw.columns if c not in keep]:
        del raw[column]


def single_chunk(values: pd.Series) -> pd.Series:
    """Return a text Series held in one pyarrow chunk.

    The CSV reader gives a column in one chunk per block it read; pyarrow's take (reordering, filtering) first
    concatenates a chunked column, so a column taken from more than once is better concatenated once.
    """
    data = pa_array(values)
    if data.num_chunks <= 1:
        return values
    return pd.Series(pd.arrays.ArrowStringArray(data.combine_chunks()), index=values.index, copy=False)


def free_text_column(raw: pd.DataFrame, column: str, *, rows: np.ndarray | None = None) -> pd.Series:
    """Return a long free-text column (notes) as written, blank cells as NA, without copying it cell by cell.

    With ``rows`` (positions), only those rows, in that order, on a fresh 0..n-1 index.
    """
    index = raw.index if rows is None else pd.RangeIndex(len(rows))
    if column not in raw:
        return pd.Series(pd.NA, index=index, dtype="string")
    return free_text(raw[column] if rows is None else raw[column].iloc[rows], index)


def free_text(values: pd.Series, index: pd.Index) -> pd.Series:
    """Return text cells as written, blank cells as NA, on the given index (see free_text_column)."""
    import pyarrow.compute as pc

    if values.dtype == object:
        return pd.Series(
            values.map(clean_text, na_action="ignore").astype("string").to_numpy(), index=index, dtype="string"
        )
    text = pa_array(values)
    is_blank = pc.or_(pc.equal(text, ""), pc.utf8_is_space(text))
    if pc.any(is_blank).as_py():
        text = pc.if_else(is_blank, None, text)
    return pd.Series(pd.arrays.ArrowStringArray(text), index=index, dtype="string")


def whole_number(value, *, what: str, low: int | None = 0, high: int | None = None) -> int:
    """Read one whole-number cell ('3', '3.0', 3) within [low, high]; raise CellError otherwise.

    Without ``high`` the cell is a count, and a count beyond MAX_PLAUSIBLE_COUNT is refused.
    """
    text = clean_text(value)
    if text is None:
        raise CellError(f"{what} is blank")
    try:
        number = float(text.replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        raise CellError(f"{what} {text!r} is not a whole number") from None
    if not math.isfinite(number) or number != int(number):
        raise CellError(f"{what} {text!r} is not a whole number")
    if high is None and number > MAX_PLAUSIBLE_COUNT:
        check_plausible_count(int(number), text)
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise CellError(f"{what} {text!r} is out of range: it must be {bounds}")
    return int(number)


def whole_numbers(
    raw: pd.DataFrame, column: str, *, low: int | None = 0, high: int | None = None, required: bool = False
) -> tuple[pd.Series, np.ndarray]:
    """Return a column as Int64 with a reason per bad cell (blank: NA, or a reason when required)."""
    if column not in raw:
        return pd.Series(pd.NA, index=raw.index, dtype="Int64"), np.full(len(raw), None, dtype=object)
    parsed = parse_whole_numbers(raw[column], column, low=low, high=high)
    numbers, reasons = (
        pd.Series(parsed.spread(), index=raw.index, copy=False),
        parsed.row_reasons(),
    )  # no copy of a million cells
    if required:
        reasons = np.where(pd.isna(raw[column]).to_numpy() & pd.isna(reasons), f"{column} is blank (required)", reasons)
    return numbers, reasons


def parse_whole_numbers(
    values: pd.Series,
    column: str,
    *,
    low: int | None = 0,
    high: int | None = None,
    distinct: tuple[np.ndarray, object] | None = None,
) -> DistinctParse:
    """Read a column of whole numbers within [low, high] once per distinct value (blank cells: NA, no reason)."""
    return parse_distinct(
        values, lambda v: whole_number(v, what=column, low=low, high=high), dtype="Int64", distinct=distinct
    )


def decimal_numbers(raw: pd.DataFrame, column: str, *, low: float, high: float) -> tuple[pd.Series, np.ndarray]:
    """Return a column as Float64 with a reason per cell that is not a number or lies outside [low, high]."""
    if column not in raw:
        return pd.Series(pd.NA, index=raw.index, dtype="Float64"), np.full(len(raw), None, dtype=object)
    values = raw[column]
    numbers = _fast_float(values)
    if numbers is None:
        numbers = pd.to_numeric(values if values.dtype != object else values.map(_number_text), errors="coerce")
    numbers = pd.Series(numbers, index=raw.index).astype("Float64")
    # a cell that gave no number is a problem unless it is blank (only those few cells are looked at)
    no_number = np.flatnonzero(numbers.isna().to_numpy())
    written = values.iloc[no_number]
    is_given = written.notna().to_numpy() & ~written.astype("string").str.strip().eq("").fillna(False).to_numpy()
    outside = (~numbers.between(low, high)).fillna(False).to_numpy()
    reasons = np.full(len(raw), None, dtype=object)
    reasons[no_number[is_given]] = f"{column} is not a number"
    reasons[outside] = f"{column} is outside {low}..{high}"
    return (numbers.where(~outside) if outside.any() else numbers), reasons


def _fast_float(values: pd.Series):
    """Cast a text column of clean numbers to float in one pyarrow pass (None when some cell is not a number)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.dtype == object or not isinstance(values.dtype, pd.StringDtype):
        return None
    try:
        numbers = pc.cast(pc.utf8_trim_whitespace(pa_array(values)), pa.float64()).to_numpy(zero_copy_only=False)
        return pd.Series(numbers, index=values.index, copy=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _number_text(value):
    """Pass numbers through and clean text, so object columns from XLSX convert like CSV text."""
    return value if isinstance(value, (int, float)) else clean_text(value)


def blank_reasons(values: pd.Series, column: str) -> np.ndarray:
    """Return a reason for every blank cell of a required column."""
    return np.where(values.isna().to_numpy(), f"{column} is blank (required)", None).astype(object)


def duplicate_reasons(ids: pd.Series, rows: pd.Series, column: str, *, order: np.ndarray | None = None) -> np.ndarray:
    """Return a reason for every repeat of an id, naming the row that used it first.

    With ``order`` (id_order(ids), which a reader needs anyway to sort its rows), repeats are found as equal
    neighbours in that order instead of by hashing every id once more.
    """
    reasons = np.full(len(ids), None, dtype=object)
    is_repeat = (
        _repeats_in_order(ids, order) if order is not None else (ids.duplicated(keep="first") & ids.notna()).to_numpy()
    )
    if is_repeat.any():
        first_row = rows.groupby(ids.to_numpy(), sort=False).transform("min")
        for position in np.flatnonzero(is_repeat):
            reasons[position] = f"duplicate {column} {ids.iat[position]!r}: already on row {first_row.iat[position]}"
    return reasons


def _repeats_in_order(ids: pd.Series, order: np.ndarray) -> np.ndarray:
    """Flag every id equal to the one before it in a stable sorted order: each repeat after its first row."""
    import pyarrow.compute as pc

    is_repeat = np.zeros(len(ids), dtype=bool)
    if len(ids) < 2:
        return is_repeat
    in_order = pa_array(ids).take(order)
    same_as_previous = pc.fill_null(
        pc.equal(in_order.slice(1), in_order.slice(0, len(ids) - 1)), False
    )  # blanks never repeat
    is_repeat[order[1:][same_as_previous.to_numpy(zero_copy_only=False)]] = True
    return is_repeat


def first_unknown_names(
    source_file: str, rows: pd.Series, unlisted: list[tuple[int, int, str]], labels: tuple[str, str]
) -> pd.DataFrame:
    """List each actor name no reference table knows once per column, at the first row it appears in.

    unlisted holds (party 0 or 1, row position, name), as roles.infer_roles reports them.
    """
    first: dict[tuple[str, str], int] = {}
    for party, position, name in unlisted:
        key = (labels[party], name)
        first[key] = min(first.get(key, position), position)
    records = [
        {"source_file": source_file, "source_row": rows.iat[position], "column": column, "value": name}
        for (column, name), position in sorted(first.items(), key=lambda item: item[1])
    ]
    return conform(pd.DataFrame(records), UNKNOWN_NAME_COLUMNS)


def place_lookup(places: pd.DataFrame):
    """Return a function: place name as written -> (canonical name or the name itself, base name or None)."""
    from analysis.core.text import name_key

    def lookup(name):
        if name is None:
            return (None, None)
        key = name_key(name)
        if key is None or key not in places.index:
            return (name, None)
        row = places.loc[key]
        return (str(row["name"]), str(row["name"]) if row["kind"] == "base" else None)

    return lookup


def resolve_unique(values: pd.Series, table: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, pd.Series]:
    """Look names up in a keyed reference table once per distinct value; return the wanted columns as Series."""
    from analysis.core.text import name_key

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    matched = table.reindex(pd.Index([name_key(u) for u in uniques] + [None], dtype=object))
    slots = np.where(codes < 0, len(uniques), codes)
    return {
        column: pd.Series(
            pd.array(matched[column].to_numpy(dtype=object), dtype="string").take(slots), index=values.index
        )
        for column in columns
    }


def typed_frame(columns: dict[str, str], values: dict, index: pd.Index) -> pd.DataFrame:
    """Build a table with exactly these columns and dtypes; absent columns are NA (made without per-row work).

    Scalars fill the whole column; Series are cast only when their dtype differs, and are not copied.
    """
    built = {}
    for name, dtype in columns.items():
        value = values.get(name, pd.NA)
        if isinstance(value, pd.Series):
            built[name] = value if str(value.dtype) == dtype else value.astype(dtype)
        else:
            built[name] = pd.Series(constant_array(value, dtype, len(index)), index=index)
    return pd.DataFrame(built, index=index, copy=False)  # copy=False: no copy of each column, no consolidation


def constant_array(value, dtype: str, length: int):
    """Return an array of `length` copies of one value (NA allowed), built in one step for text columns.

    >>> list(constant_array("acled", "string", 2)), list(constant_array(pd.NA, "Int64", 1))
    (['acled', 'acled'], [<NA>])
    """
    import pyarrow as pa

    if dtype == "string":  # pandas would first make a million-slot index array to take from
        return pd.arrays.ArrowStringArray(
            pa.repeat(pa.scalar(None if value is pd.NA else value, pa.large_string()), length)
        )
    if value is pd.NA and dtype in ("Int64", "Float64"):  # all masked: no million-cell object array on the way
        array_type = pd.arrays.IntegerArray if dtype == "Int64" else pd.arrays.FloatingArray
        return array_type(
            np.zeros(length, dtype="int64" if dtype == "Int64" else "float64"), np.ones(length, dtype=bool)
        )
    if value is pd.NA and dtype.startswith("datetime"):
        value = pd.NaT
    return pd.Series(value, index=pd.RangeIndex(length), dtype=dtype).array
