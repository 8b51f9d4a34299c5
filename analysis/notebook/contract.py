"""What the report runner and the notebook kernels both rely on: environment variables and the page's time stamp.

The runner (analysis.reporting) and the code inside a report kernel (analysis.notebook) import this module
and never each other."""

from __future__ import annotations

import datetime as dt

# Set by the report runner for its kernels: the page it writes inlines plotly.js once in its <head>, so the
# kernel need not push plotly.js (4.7 MB) through every executed notebook. Unset (JupyterLab, nbconvert by
# hand): the first figure of a kernel displays plotly.js itself, inlined.
PAGE_PROVIDES_PLOTLYJS = "ANALYSIS_PAGE_PROVIDES_PLOTLYJS"


def made_at() -> str:
    """Return the current time as the pages print it (UTC, to the minute)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
