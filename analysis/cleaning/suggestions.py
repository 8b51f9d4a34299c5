"""'Did you mean': for a name the reference tables do not know, the closest name they do know.

A misspelt base or group is kept as written and listed in unknown_names; the suggestion says which reference
name it probably means, so the fix (an alias in data/raw/reference/) takes a glance. Matching is on the folded
name keys (case, accents, punctuation and spaces ignored), with rapidfuzz's plain ratio (a partial match of a longer name would over-guess).
"""

from __future__ import annotations

import pandas as pd

from analysis.cleaning.reference import Reference
from analysis.core.text import name_key

MIN_SCORE = 85  # below this, no suggestion: a wrong guess costs more than none
# unknown-name column -> the reference table and the column of its canonical names
TABLE_OF_COLUMN = {
    "location": ("places", "name"),
    "actor": ("actors", "name"),
    "target": ("actors", "name"),
    "actor1": ("actors", "name"),
    "actor2": ("actors", "name"),
    "side_a": ("actors", "name"),
    "side_b": ("actors", "name"),
    "weapon": ("weapons", "weapon"),
}


def closest_name(value: str, table: pd.DataFrame, name_column: str, min_score: int = MIN_SCORE) -> str | None:
    """Return the canonical name whose key is closest to value's, when it scores at least min_score (0-100).

    >>> places = pd.DataFrame({"name": ["Al-Asad Air Base"]}, index=["alasadairbase"])
    >>> closest_name("Al-Assad Airbase", places, "name"), closest_name("Paris", places, "name")
    ('Al-Asad Air Base', None)
    """
    from rapidfuzz import fuzz, process

    key = name_key(value)
    if key is None or table.empty:
        return None
    found = process.extractOne(key, list(table.index), scorer=fuzz.ratio, score_cutoff=min_score)
    return None if found is None else str(table[name_column].iloc[found[2]])


def with_suggestions(unknown_names: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Fill the suggestion column of unknown_names (once per distinct column and value)."""
    if unknown_names.empty:
        return unknown_names
    suggestions = {}
    for column, value in unknown_names[["column", "value"]].drop_duplicates().itertuples(index=False):
        table_name, name_column = TABLE_OF_COLUMN.get(column, (None, None))
        table = getattr(reference, table_name) if table_name else None
        suggestions[(column, value)] = closest_name(value, table, name_column) if table is not None else None
    keys = list(zip(unknown_names["column"], unknown_names["value"]))
    return unknown_names.assign(suggestion=pd.array([suggestions.get(k) for k in keys], dtype="string"))
