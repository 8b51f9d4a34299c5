"""Tables for readers: escaped HTML (a note holding markup is shown, never run), blank missing values, numbers
rounded for reading, headline boxes."""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from analysis.core.text import neutralise_formulas

# inline, so the boxes look the same in JupyterLab (no report style sheet there) and in the HTML pages
_BOX_STYLE = "border:1px solid #d5d0c4;border-radius:4px;padding:0.4em 0.8em;min-width:8em;background:#faf9f6"


def readable_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy for display: every missing value blank (pandas' nullable NA too), flags as yes / no.

    to_html's na_rep blanks NaN and NaT but prints pandas' nullable NA (Int64, Float64, string, boolean
    columns) as "<NA>", which a reader takes for a value.

    >>> readable_cells(pd.DataFrame({"days": pd.array([3, None], dtype="Int64"),
    ...                              "answered": pd.array([True, None], dtype="boolean")})).to_dict("list")
    {'days': [3, ''], 'answered': ['yes', '']}
    """
    columns = []
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        missing = column.isna()
        if pd.api.types.is_bool_dtype(column.dtype):
            column = column.astype(object).map({True: "yes", False: "no"}).where(~missing, "")
        elif not missing.any() or pd.api.types.is_datetime64_any_dtype(column.dtype):
            pass  # nothing missing, or NaT, which na_rep blanks
        elif pd.api.types.is_float_dtype(column.dtype):
            column = column.astype("float64")  # NaN keeps the float formatting and na_rep blanks it
        else:
            column = column.astype(object).where(~missing, "")
        columns.append(column)
    shown = pd.concat(columns, axis=1) if columns else frame.copy()
    shown.columns = frame.columns
    return shown


def readable_number(value: float) -> str:
    """Write a decimal for reading: whole numbers whole, about three significant digits, never 1e-17.

    >>> [readable_number(v) for v in (0.0, 19.5, 1223.7, 0.0667, 5.55e-17, -0.25, 2.0)]
    ['0', '19.5', '1,224', '0.067', '<0.001', '-0.25', '2']
    """
    if value != value:  # NaN: blank, as na_rep would
        return ""
    size = abs(value)
    if size == int(size) and size < 1e15:
        return f"{value:,.0f}"
    if size < 0.001:
        return "<0.001" if value > 0 else ">-0.001"
    decimals = 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 1 else 3
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:,.0f}"


def readable_header(name) -> str:
    """Write a column name as words: underscores become spaces ('lag_days' -> 'lag days')."""
    return str(name).replace("_", " ")


DOWNLOAD_MAX_ROWS = 1_000  # a page embeds at most this many rows in a table's CSV download (pages stay small)


def csv_download_link(frame: pd.DataFrame, name: str) -> str:
    """Return a link that downloads the frame as a CSV embedded in the page (offline; formulas neutralised)."""
    import base64

    shown = frame.head(DOWNLOAD_MAX_ROWS)
    payload = base64.b64encode(neutralise_formulas(shown).to_csv(index=False).encode("utf-8")).decode("ascii")
    note = f" (the first {DOWNLOAD_MAX_ROWS:,} of {len(frame):,} rows)" if len(frame) > DOWNLOAD_MAX_ROWS else ""
    file_name = html.escape(name if name.endswith(".csv") else f"{name}.csv", quote=True)
    return (
        f"<p class='download'><a download='{file_name}' href='data:text/csv;charset=utf-8;base64,{payload}'>"
        f"Download this table as CSV</a>{html.escape(note)}</p>"
    )


def download_name(caption: str | None) -> str:
    """Make a file name from a table's caption ('Events by country' -> 'events-by-country.csv')."""
    import re

    stem = re.sub(r"[^a-z0-9]+", "-", (caption or "table").casefold()).strip("-")[:60] or "table"
    return f"{stem}.csv"


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    max_rows: int = 50,
    labels: Mapping[str, str] | None = None,
    download: bool = True,
) -> str:
    """Render a frame as an HTML table whose cells are escaped text (a note holding markup is shown, not run).

    Missing values are blank (never "<NA>", "nan" or "NaT"), flags read yes / no, and column names are shown
    as words: labels ({column: header}) where given, else the name with underscores as spaces. The first
    max_rows are shown, with a note of how many more there are; ``download`` adds a CSV of the table (headers as
    shown), embedded so it works offline.

    >>> "&lt;script&gt;" in html_table(pd.DataFrame({"notes": ["<script>alert(1)</script>"]}))
    True
    >>> "<th>date</th>" in html_table(pd.DataFrame({"event_date": ["2024-01-28"]}), labels={"event_date": "date"})
    True
    """
    headers = [(labels or {}).get(name) or readable_header(name) for name in frame.columns]
    shown = readable_cells(frame.head(max_rows))
    if not isinstance(shown.columns, pd.MultiIndex):
        shown.columns = headers
    table = shown.to_html(
        index=False, escape=True, na_rep="", border=0, classes="data-table", float_format=readable_number
    )
    table = f"<div class='table-scroll'>{table}</div>"
    more = (
        f"<p class='more-rows'><em>{len(frame) - max_rows:,} more rows not shown.</em></p>"
        if len(frame) > max_rows
        else ""
    )
    title = f"<p class='table-caption'><strong>{html.escape(caption)}</strong></p>" if caption else ""
    link = ""
    if download and len(frame) and not isinstance(frame.columns, pd.MultiIndex):
        link = csv_download_link(
            readable_cells(frame.head(DOWNLOAD_MAX_ROWS)).set_axis(headers, axis=1), download_name(caption)
        )
    return title + table + more + link


def headline_html(figures: Mapping[str, object]) -> str:
    """Render headline figures as a row of labelled boxes (labels and values escaped).

    >>> "12</strong><span>attacks</span>" in headline_html({"attacks": 12})
    True
    """
    boxes = "".join(
        f"<div class='headline-figure' style='{_BOX_STYLE}'><strong style='display:block;font-size:1.6em'>"
        f"{html.escape(str(value))}</strong><span>{html.escape(str(label))}</span></div>"
        for label, value in figures.items()
    )
    return f"<div class='headline-figures' style='display:flex;flex-wrap:wrap;gap:0.6em'>{boxes}</div>"


def readable_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy for display: floats to three significant digits, missing values blank.

    >>> readable_table(pd.DataFrame({"x": [0.000123456, 2.71828, 1234.5]}))["x"].tolist()
    ['0.000123', '2.72', '1,234']
    """

    def text(value) -> str:
        if pd.isna(value):
            return ""
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"

    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    gaps = [c for c in frame.columns if c not in floats and frame[c].isna().any()]
    return frame.assign(
        **{c: frame[c].map(text) for c in floats},
        **{c: frame[c].astype(object).where(frame[c].notna(), "") for c in gaps},
    )


def trend_result_html(result, caption: str | None = None) -> str:
    """Render a TrendResult (analysis.analyses.trends): its table rounded for reading and its notes, or its refusal."""
    if not result.ok:
        return f"<p>{html.escape(result.refusal)}</p>"
    notes = "".join(f"<p>{html.escape(n)}</p>" for n in result.notes)
    return html_table(readable_table(result.table), caption=caption or result.method) + notes
