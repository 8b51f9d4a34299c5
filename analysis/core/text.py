"""Text normalisation shared by every reader: whitespace, Unicode variants and matching keys."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

_WHITESPACE = re.compile(r"\s+")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+", re.UNICODE)


def clean_text(value) -> str | None:
    """Return value as NFKC text with whitespace collapsed, or None when blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()
    return text or None


def name_key(value) -> str | None:
    """Return the matching key of a name: case, accents, apostrophes, hyphens and spaces folded away.

    >>> name_key("Kata'ib  Hizballah") == name_key("KATAIB HIZBALLAH")
    True
    >>> name_key("Deir ez-Zor") == name_key("Deir Ezzor")
    True
    """
    text = clean_text(value)
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALPHANUMERIC.sub("", without_marks.casefold()) or None


def column_key(name) -> str:
    """Return a header as snake_case so 'Local time', 'local_time' and 'LOCAL TIME' match."""
    text = clean_text(name) or ""
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's list for CSV injection). Such a
# cell is written with a leading apostrophe, which a spreadsheet shows as text; so is one that already starts
# with apostrophes before such a character, so that restore_formula_cells takes exactly one apostrophe off and
# gets the true value back.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = r"'*[=+\-@\t\r]"


def neutralise_formula_cells(values: pd.Series) -> pd.Series:
    """Return text cells as written for people: with a leading apostrophe where a spreadsheet would run them.

    >>> neutralise_formula_cells(pd.Series(["=HYPERLINK(A1)", "-3", "Conoco", "'@x"])).tolist()
    ["'=HYPERLINK(A1)", "'-3", 'Conoco', "''@x"]
    """
    return _text_cells(values).str.replace(rf"^({_FORMULA_START})", r"'\1", regex=True)


def restore_formula_cells(values: pd.Series) -> pd.Series:
    """Undo neutralise_formula_cells: every value survives the round trip.

    >>> values = pd.Series(["=1+1", "'=1+1", "''@x", "'quoted'", "a-b", "\tx"])
    >>> restore_formula_cells(neutralise_formula_cells(values)).tolist() == values.tolist()
    True
    """
    return _text_cells(values).str.replace(rf"^'({_FORMULA_START})", r"\1", regex=True)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Neutralise every text column of a table (neutralise_formula_cells); numbers and dates stay as they are.

    >>> neutralise_formulas(pd.DataFrame({"v": ["=HYPERLINK(1)", "ok", "-3 km"]}))["v"].tolist()
    ["'=HYPERLINK(1)", 'ok', "'-3 km"]
    """
    return frame.assign(**{column: neutralise_formula_cells(frame[column]) for column in text_columns(frame)})


def text_columns(frame: pd.DataFrame) -> list[str]:
    """Return the columns that hold text (where a formula could hide)."""
    return [c for c in frame.columns if frame[c].dtype == object or isinstance(frame[c].dtype, pd.StringDtype)]


def _text_cells(values: pd.Series) -> pd.Series:
    """Return a column as pandas text (NA kept), so the string methods apply to every cell."""
    return values if isinstance(values.dtype, pd.StringDtype) else values.astype("string")
