"""Declarative fixes for known errors in raw files, applied as the file is read (raw files stay untouched).

`data/raw/reference/corrections.csv` has one row per fix: source_file (the raw file's name), record_id (the
record's own id in that file: the log's `id`, ACLED's `event_id_cnty`, GED's `id`), column, expected (the
value the raw file holds now), corrected (the value to use) and reason. A fix whose `expected` no longer
matches the raw cell is refused: the raw file changed and the fix must be reviewed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.cleaning.reference_csv import read_reference_csv
from analysis.core.errors import InputError
from analysis.core.spec import CORRECTIONS
from analysis.core.text import clean_text, column_key

CORRECTION_COLUMNS = list(CORRECTIONS.dtypes)
APPLIED_COLUMNS = CORRECTIONS.dtypes


def load_corrections(reference_dir: Path) -> pd.DataFrame:
    """Read corrections.csv from a reference folder (an absent file means no corrections)."""
    path = Path(reference_dir) / "corrections.csv"
    if not path.exists():
        return pd.DataFrame(columns=CORRECTION_COLUMNS + ["corrections_row"])
    table = read_reference_csv(path, CORRECTION_COLUMNS, what="the corrections table")
    blank_reason = table.index[table["reason"].str.strip() == ""]
    if len(blank_reason):
        raise InputError(path, f"row {blank_reason[0] + 2}, column 'reason' is blank: every correction says why")
    return table.assign(column=table["column"].map(column_key), corrections_row=table.index + 2)


def apply_corrections(
    raw: pd.DataFrame, path: Path, id_column: str | None, corrections: pd.DataFrame, corrections_path: Path
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the raw table with this file's corrections applied, and the list of what was applied."""
    mine = corrections[corrections["source_file"] == Path(path).name]
    if mine.empty:
        return raw, pd.DataFrame(columns=list(APPLIED_COLUMNS)).astype(APPLIED_COLUMNS)
    if id_column is None or id_column not in raw:
        raise InputError(corrections_path, f"corrections name {Path(path).name}, whose format has no record id column")
    corrected = raw.copy()
    ids = corrected[id_column].map(clean_text)
    for fix in mine.itertuples():
        _apply_one(corrected, ids, fix, path, corrections_path)
    return corrected, mine[CORRECTION_COLUMNS].astype(APPLIED_COLUMNS)


def _apply_one(raw: pd.DataFrame, ids: pd.Series, fix, path: Path, corrections_path: Path) -> None:
    """Apply one correction in place, refusing one whose record, column or expected value does not match."""
    where = f"row {fix.corrections_row}"
    rows = ids.index[ids == fix.record_id]
    if fix.column not in raw:
        raise InputError(corrections_path, f"{where}: {Path(path).name} has no column {fix.column!r}")
    if len(rows) != 1:
        raise InputError(
            corrections_path, f"{where}: record {fix.record_id!r} occurs {len(rows)} times in {Path(path).name}"
        )
    current = clean_text(raw.at[rows[0], fix.column]) or ""
    if current != (clean_text(fix.expected) or ""):
        raise InputError(
            corrections_path,
            f"{where}: expected {fix.expected!r} in {Path(path).name}, record {fix.record_id!r}, "
            f"column {fix.column!r}, but the file holds {current!r}; review this correction",
        )
    raw.at[rows[0], fix.column] = fix.corrected if fix.corrected != "" else None
