"""Tables to take away: events, casualties and any analysis table written to CSV or XLSX for a spreadsheet.

    an.export(data, "tables.xlsx")                        # one sheet per table, and a sheet of column meanings
    an.export(data, "tables/", tables={"pairs": pairs})   # a folder of CSV files, plus columns.csv

Times with a zone (event_time_utc) are written as UTC without the zone, which Excel cannot hold, and the
column sheet says so; cells a spreadsheet would run as a formula are neutralised (analysis.core.text); the
canonical tables' columns are described from the table spec (analysis.core.spec).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.core.errors import ParameterError
from analysis.core.spec import TABLES
from analysis.core.tables import EventData
from analysis.core.text import neutralise_formulas
from analysis.pipeline.storage import replaced_atomically, write_text_atomic

DATA_TABLES = ("events", "casualties", "quarantine", "unknown_names", "merges", "accounting")


def spreadsheet_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy a spreadsheet can hold: zoned times as UTC without zone, formula-like text neutralised."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return neutralise_formulas(out)


def column_descriptions(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per table and column: its type and meaning (from the table spec where the table is canonical)."""
    rows = []
    for name, frame in tables.items():
        spec = TABLES.get(name)
        declared = {f.name: f for f in spec.fields} if spec else {}
        for column in frame.columns:
            field = declared.get(column)
            zoned = isinstance(frame[column].dtype, pd.DatetimeTZDtype)
            meaning = field.description if field else ""
            if zoned:
                meaning = (meaning + "; " if meaning else "") + "written as UTC without a time zone"
            rows.append({"table": name, "column": column, "type": str(frame[column].dtype), "meaning": meaning})
    return pd.DataFrame(rows, columns=["table", "column", "type", "meaning"])


def export(data: EventData | None, path, *, tables: Mapping[str, pd.DataFrame] | None = None) -> Path:
    """Write the data's tables and any further tables to an .xlsx workbook or a folder of CSV files.

    data: an EventData (its events, casualties, quarantine, unknown names, merges and accounting), or None to
    write only ``tables`` ({name: frame}, e.g. {"pairs": an.pair_attacks_responses(data)}). Returns the path.
    """
    chosen: dict[str, pd.DataFrame] = {}
    if data is not None:
        chosen |= {name: getattr(data, name) for name in DATA_TABLES}
    chosen |= dict(tables or {})
    if not chosen:
        raise ParameterError("nothing to export: pass EventData and / or tables={name: frame}")
    path = Path(path)
    descriptions = column_descriptions(chosen)
    if path.suffix.lower() == ".xlsx":
        _write_workbook({**{n: spreadsheet_ready(f) for n, f in chosen.items()}, "columns": descriptions}, path)
    elif path.suffix == "":
        path.mkdir(parents=True, exist_ok=True)
        for name, frame in {**chosen, "columns": descriptions}.items():
            write_text_atomic(path / f"{name}.csv", spreadsheet_ready(frame).to_csv(index=False))
    else:
        raise ParameterError(f"export path {str(path)!r}: use a .xlsx file or a folder (no suffix) for CSV files")
    return path


def _write_workbook(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    """Write sheets to an .xlsx file beside the target, then move it into place (never a half-written workbook)."""
    with replaced_atomically(path, suffix=".xlsx") as temporary, pd.ExcelWriter(temporary, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
