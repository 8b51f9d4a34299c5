"""Read the hand-kept reference CSVs (gazetteer, actors, weapons, corrections, official counts) with one reader.

Every refusal names the file, and for a bad cell its row, column and value, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError, describe_cell, describe_os_error


def read_reference_csv(path: Path, required, *, what: str = "reference table") -> pd.DataFrame:
    """Read one hand-kept CSV as text cells and check its header, naming the file in every refusal.

    An absent, unreadable, non-UTF-8, binary or badly quoted file is an InputError saying what to do, never
    a traceback; a row with more cells than the header is refused with its line number, and missing cells of a
    short row are blank.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, f"{what} is missing; expected columns: {', '.join(required)}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").fillna("")
    except OSError as error:
        raise InputError(path, f"cannot be read: {describe_os_error(error)}") from None
    except UnicodeDecodeError as error:
        raise InputError(
            path,
            f"is not UTF-8 text (byte {error.object[error.start : error.start + 1]!r} at offset {error.start}): "
            "save it as 'CSV UTF-8'",
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError(path, f"is empty; expected a header row with: {', '.join(required)}") from None
    except (pd.errors.ParserError, ValueError) as error:
        raise InputError(path, f"is not a well-formed CSV table: {_first_uneven_row(path) or error}") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(path, f"{what} lacks columns {missing}; expected: {', '.join(required)}")
    return frame


def _first_uneven_row(path: Path) -> str | None:
    """Describe the first row whose number of cells differs from the header's (None when every row fits)."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = csv.reader(handle)
        header = next(records, [])
        for number, record in enumerate(records, start=2):
            if record and len(record) != len(header):
                return (
                    f"row {number} has {len(record)} cells where the header has {len(header)}; quote a cell that "
                    "holds a comma, or remove the extra cell"
                )
    return None


def numeric_cells(frame: pd.DataFrame, column: str, path: Path, *, low: float, high: float, whole: bool = False):
    """Return a column of numbers, raising an InputError that names file, row, column and value for the first bad cell.

    Blank cells are NA; a cell that is not a number, lies outside [low, high] or (``whole``) has a fraction is bad.
    """
    numbers = pd.to_numeric(frame[column].str.strip().replace("", None), errors="coerce")
    given = frame[column].str.strip() != ""
    bad = given & (numbers.isna() | ~numbers.between(low, high) | ((numbers % 1 != 0) if whole else False))
    if bad.any():
        row = int(bad.idxmax())
        value = frame[column].iloc[row]
        expected = f"a {'whole ' if whole else ''}number between {low:g} and {high:g}"
        raise InputError(path, f"{describe_cell('', row + 2, column, value)[2:]}: must be {expected}")
    return numbers.astype("Int64") if whole else numbers.astype("float64")
