"""Notebook display helpers shared by every report: offline plotly set-up, headers and safe tables."""
from __future__ import annotations

import datetime as dt
import html
from typing import Mapping

import pandas as pd


def setup_notebook() -> None:
    """Make plotly figures show in JupyterLab and survive nbconvert, offline, with plotly.js embedded once.

    The mimetype bundle is what JupyterLab draws; the 'notebook' part adds a text/html rendering that
    nbconvert keeps (it drops plotly's own MIME type), with plotly.js inlined once per page, no CDN.
    """
    import plotly.io as pio

    pio.renderers.default = "plotly_mimetype+notebook"


def html_table(frame: pd.DataFrame, *, caption: str | None = None, max_rows: int = 200) -> str:
    """Render a frame as an HTML table whose cells are escaped text (a note holding markup is shown, not run)."""
    shown = frame.head(max_rows)
    table = shown.to_html(index=False, escape=True, na_rep="", border=0, classes="data-table")
    more = f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>" if len(frame) > max_rows else ""
    title = f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""
    return title + table + more


def show_table(frame: pd.DataFrame, *, caption: str | None = None, max_rows: int = 200) -> None:
    """Display a frame as an escaped HTML table in a notebook."""
    from IPython.display import HTML, display

    display(HTML(html_table(frame, caption=caption, max_rows=max_rows)))


def header_html(title: str, parameters: Mapping[str, object], manifest: Mapping | None = None) -> str:
    """Describe a report page: its parameters, the data fingerprint, the package version and when it ran."""
    from . import __version__

    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(repr(v))}</td></tr>" for k, v in parameters.items()
    )
    fingerprint = html.escape(str((manifest or {}).get("data_fingerprint", "not built")))
    made = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<h1>{html.escape(title)}</h1>"
        f"<p class='report-meta'>Data fingerprint <code>{fingerprint}</code> &middot; package version "
        f"<code>{html.escape(__version__)}</code> &middot; made {made}</p>"
        f"<details class='report-parameters'><summary>Parameters</summary><table>{rows}</table></details>"
    )


def show_header(title: str, parameters: Mapping[str, object], manifest: Mapping | None = None) -> None:
    """Display the report header in a notebook."""
    from IPython.display import HTML, display

    display(HTML(header_html(title, parameters, manifest)))


def show_text(message: str) -> None:
    """Display a sentence (e.g. why a statistic was not computed) as escaped HTML."""
    from IPython.display import HTML, display

    display(HTML(f"<p>{html.escape(message)}</p>"))
