"""Notebook display helpers shared by every report: offline plotly set-up, headers and safe tables.

Everything shown from data goes through html.escape: a note holding `<script>` or `<img onerror=...>` is
displayed as text, never run.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Mapping

import pandas as pd

# plotly renderer names: JupyterLab draws the plotly MIME type; nbconvert keeps the offline HTML part.
OFFLINE_HTML_RENDERER = "offline_html"
NOTEBOOK_RENDERERS = f"plotly_mimetype+{OFFLINE_HTML_RENDERER}"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
# Set by the report runner for its kernels: the page it writes inlines plotly.js once in its <head>, so the
# kernel need not push plotly.js (4.7 MB) through every executed notebook. Unset (JupyterLab, nbconvert by
# hand): the first figure of a kernel displays plotly.js itself, inlined.
PAGE_PROVIDES_PLOTLYJS = "ANALYSIS_PAGE_PROVIDES_PLOTLYJS"
# inline, so the boxes look the same in JupyterLab (no report style sheet there) and in the HTML pages
_BOX_STYLE = "border:1px solid #d5d0c4;border-radius:4px;padding:0.4em 0.8em;min-width:8em;background:#faf9f6"


def _offline_html_renderer(page_provides_plotlyjs: bool = False):
    """Build a renderer like plotly's 'notebook' one, minus its MathJax <script> from a CDN on every figure.

    On first use in a kernel it displays plotly.js once (inlined, no CDN) unless the report runner's page
    provides it; each figure is then a <div> and a short script calling Plotly.newPlot, which nbconvert keeps.
    """
    from plotly.io import to_html
    from plotly.io._base_renderers import NotebookRenderer

    class OfflineHtmlRenderer(NotebookRenderer):
        """plotly.js inlined once per kernel, figures as HTML, no MathJax and no other external request."""

        def activate(self):
            if not page_provides_plotlyjs:
                super().activate()

        def to_mimebundle(self, fig_dict):
            figure_html = to_html(
                fig_dict, config=self.config, include_plotlyjs=False, include_mathjax=False, full_html=False,
                default_width="100%", default_height=525, validate=False,
            )
            return {"text/html": figure_html}

    return OfflineHtmlRenderer(config=PLOTLY_CONFIG)


def page_provides_plotlyjs() -> bool:
    """Tell whether this kernel runs under the report runner, whose pages inline plotly.js themselves."""
    import os

    return os.environ.get(PAGE_PROVIDES_PLOTLYJS) == "1"


def setup_notebook() -> None:
    """Make plotly figures show in JupyterLab and survive nbconvert, offline, with plotly.js embedded once.

    The MIME-type part is what JupyterLab draws; the HTML part is what nbconvert keeps (it drops plotly's
    own MIME type), with plotly.js inlined once per page and no CDN request (not even MathJax). Under the
    report runner the page itself carries plotly.js (see PAGE_PROVIDES_PLOTLYJS).
    """
    import plotly.io as pio

    if OFFLINE_HTML_RENDERER not in pio.renderers:
        pio.renderers[OFFLINE_HTML_RENDERER] = _offline_html_renderer(page_provides_plotlyjs())
    pio.renderers.default = NOTEBOOK_RENDERERS
    pio.templates.default = "plotly_white"


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


def readable_header(name) -> str:
    """Write a column name as words: underscores become spaces ('lag_days' -> 'lag days')."""
    return str(name).replace("_", " ")


def html_table(frame: pd.DataFrame, *, caption: str | None = None, max_rows: int = 200,
               labels: Mapping[str, str] | None = None) -> str:
    """Render a frame as an HTML table whose cells are escaped text (a note holding markup is shown, not run).

    Missing values are blank (never "<NA>", "nan" or "NaT"), flags read yes / no, and column names are shown
    as words: labels ({column: header}) where given, else the name with underscores as spaces.

    >>> "&lt;script&gt;" in html_table(pd.DataFrame({"notes": ["<script>alert(1)</script>"]}))
    True
    >>> "<th>date</th>" in html_table(pd.DataFrame({"event_date": ["2024-01-28"]}), labels={"event_date": "date"})
    True
    """
    shown = readable_cells(frame.head(max_rows))
    if not isinstance(shown.columns, pd.MultiIndex):
        shown.columns = [(labels or {}).get(name) or readable_header(name) for name in shown.columns]
    table = shown.to_html(index=False, escape=True, na_rep="", border=0, classes="data-table")
    more = f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>" if len(frame) > max_rows else ""
    title = f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""
    return title + table + more


def show_table(frame: pd.DataFrame, *, caption: str | None = None, max_rows: int = 200,
               labels: Mapping[str, str] | None = None) -> None:
    """Display a frame as an escaped HTML table in a notebook (labels: {column: header in words})."""
    from IPython.display import HTML, display

    display(HTML(html_table(frame, caption=caption, max_rows=max_rows, labels=labels)))


def made_at() -> str:
    """Return the current time as the pages print it (UTC, to the minute)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def header_html(title: str, parameters: Mapping[str, object], manifest: Mapping | None = None) -> str:
    """Describe a report page: its parameters, the data fingerprint, the package version and when it ran."""
    from analysis import __version__

    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(repr(v))}</td></tr>" for k, v in parameters.items()
    )
    fingerprint = html.escape(str((manifest or {}).get("data_fingerprint", "not built")))
    return (
        f"<h1>{html.escape(title)}</h1>"
        f"<p class='report-meta'>Data fingerprint <code>{fingerprint}</code> &middot; package version "
        f"<code>{html.escape(__version__)}</code> &middot; made {made_at()}</p>"
        f"<details class='report-parameters'><summary>Parameters</summary><table>{rows}</table></details>"
    )


def show_header(title: str, parameters: Mapping[str, object], manifest: Mapping | None = None) -> None:
    """Display the report header in a notebook."""
    from IPython.display import HTML, display

    display(HTML(header_html(title, parameters, manifest)))


def open_report(title: str, parameters: Mapping[str, object]):
    """Start a report page: offline charts, its data loaded and selected, its header shown.

    `parameters` holds the page's parameters, including the common `data`, `start`, `end` and `countries`.
    Returns (everything, selection, manifest): the whole data set, the EventData restricted to the period
    and countries, and the build manifest the header cites.
    """
    from analysis.pipeline.load import load_data
    from analysis.core.selection import filter_data

    setup_notebook()
    source = parameters.get("data")
    manifest = manifest_for(source)
    everything = load_data(source)
    selection = filter_data(everything, parameters.get("start"), parameters.get("end"), parameters.get("countries"))
    show_header(title, {**parameters, "data": source or "data/processed"}, manifest)
    return everything, selection, manifest


def show_text(message: str) -> None:
    """Display a sentence (e.g. why a statistic was not computed) as escaped HTML."""
    from IPython.display import HTML, display

    display(HTML(f"<p>{html.escape(message)}</p>"))


def manifest_for(source: str | Path | None) -> dict:
    """Return the build manifest behind a notebook's `data` parameter (what show_header cites).

    "" or None means data/processed; a folder holding manifest.json is a built folder. Raw files have no
    manifest: the result then holds only their data fingerprint (the files and reference tables read), the
    same one the report runner prints on the page.
    """
    from analysis.pipeline.load import read_manifest

    if source in (None, ""):
        return read_manifest()
    source = Path(source)
    if (source / "manifest.json").is_file():
        return read_manifest(source)
    from analysis.reporting.runner import data_fingerprint

    return {"data_fingerprint": data_fingerprint(source)}


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


def show_headline(figures: Mapping[str, object]) -> None:
    """Display headline figures ({label: value}) as a row of boxes."""
    from IPython.display import HTML, display

    display(HTML(headline_html(figures)))
