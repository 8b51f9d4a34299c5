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


# What a spreadsheet may run as a formula when a cell starts with it (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix with ' every text cell a spreadsheet would read as a formula (=, +, -, @, tab, carriage return).

    >>> neutralise_formulas(pd.DataFrame({"v": ["=HYPERLINK(1)", "ok", "-3 km"]}))["v"].tolist()
    ["'=HYPERLINK(1)", 'ok', "'-3 km"]
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype):
            text = values.astype("string")
            risky = text.str.startswith(FORMULA_STARTS).fillna(False)
            if risky.any():
                out[column] = text.mask(risky, "'" + text)
    return out
