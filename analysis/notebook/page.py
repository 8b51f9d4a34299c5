"""What runs inside a report kernel (and in JupyterLab): offline plotly set-up, the page header, safe display.

Everything shown from data goes through html.escape: a note holding `<script>` or `<img onerror=...>` is
displayed as text, never run.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.core.selection import filter_data
from analysis.notebook.contract import PAGE_PROVIDES_PLOTLYJS, made_at
from analysis.pipeline.fingerprint import data_fingerprint
from analysis.pipeline.load import load_data, read_manifest
from analysis.present.coverage import coverage_sentence
from analysis.present.quality import coverage_caveats
from analysis.present.tables import headline_html, html_table, trend_result_html
from analysis.present.text import parameter_text

# plotly renderer names: JupyterLab draws the plotly MIME type; nbconvert keeps the offline HTML part.
OFFLINE_HTML_RENDERER = "offline_html"
NOTEBOOK_RENDERERS = f"plotly_mimetype+{OFFLINE_HTML_RENDERER}"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


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
                fig_dict,
                config=self.config,
                include_plotlyjs=False,
                include_mathjax=False,
                full_html=False,
                default_width="100%",
                default_height=525,
                validate=False,
            )
            return {"text/html": figure_html}

    return OfflineHtmlRenderer(config=PLOTLY_CONFIG)


def page_provides_plotlyjs() -> bool:
    """Tell whether this kernel runs under the report runner, whose pages inline plotly.js themselves."""
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


def show_table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    max_rows: int = 50,
    labels: Mapping[str, str] | None = None,
    download: bool = True,
) -> None:
    """Display a frame as an escaped HTML table with a CSV download (labels: {column: header in words})."""
    from IPython.display import HTML, display

    display(HTML(html_table(frame, caption=caption, max_rows=max_rows, labels=labels, download=download)))


def header_html(title: str, parameters: Mapping[str, object], manifest: Mapping | None = None) -> str:
    """Describe a report page: its parameters, the data fingerprint, the package version and when it ran."""
    rows = "".join(
        f"<tr><th>{html.escape(str(k).replace('_', ' '))}</th><td>{html.escape(parameter_text(k, v))}</td></tr>"
        for k, v in parameters.items()
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
    setup_notebook()
    source = parameters.get("data")
    manifest = manifest_for(source)
    everything = load_data(source)
    selection = filter_data(everything, parameters.get("start"), parameters.get("end"), parameters.get("countries"))
    show_header(title, parameters, manifest)
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
    if source in (None, ""):
        return read_manifest()
    source = Path(source)
    if (source / "manifest.json").is_file():
        return read_manifest(source)
    return {"data_fingerprint": data_fingerprint(source)}


def show_headline(figures: Mapping[str, object]) -> None:
    """Display headline figures ({label: value}) as a row of boxes."""
    from IPython.display import HTML, display

    display(HTML(headline_html(figures)))


def show_result(result, caption: str | None = None) -> None:
    """Display a TrendResult: its table and notes, or the sentence saying why the method refused."""
    from IPython.display import HTML, display

    display(HTML(trend_result_html(result, caption)))


def show_findings(findings) -> None:
    """Display the page's key findings first: a list of sentences, each linking to the section that shows it."""
    from IPython.display import HTML, display

    items = "".join(
        f"<li>{html.escape(f.text)}"
        + (f" <a class='finding-link' href='#{html.escape(f.section, quote=True)}'>details</a>" if f.section else "")
        + "</li>"
        for f in findings
    )
    display(HTML(f"<section class='key-findings'><h2>Key findings</h2><ul>{items}</ul></section>"))


def show_section(title: str, anchor: str) -> None:
    """Start a section with a heading that the key findings can link to."""
    from IPython.display import HTML, display

    display(HTML(f"<h2 id='{html.escape(anchor, quote=True)}'>{html.escape(title)}</h2>"))


def show_about(notes, *, title: str = "About these data") -> None:
    """Display the data caveats once, folded away: sentences a reader opens when they want them."""
    from IPython.display import HTML, display

    body = "".join(f"<p>{html.escape(n)}</p>" for n in notes if n)
    display(HTML(f"<details class='about-data'><summary>{html.escape(title)}</summary>{body}</details>"))


def show_coverage(sentence: str) -> None:
    """Display the one-line statement of how much of the officially counted record the selection holds."""
    from IPython.display import HTML, display

    display(HTML(f"<p class='coverage-line'>{html.escape(sentence)}</p>"))


def show_context(everything, selection, parameters: Mapping[str, object], *, notes=()) -> None:
    """Show what every page states once: the coverage line, then the data caveats folded in 'About these data'."""
    start, end, countries = parameters.get("start"), parameters.get("end"), parameters.get("countries")
    show_coverage(coverage_sentence(everything, start, end, countries))
    show_about([*coverage_caveats(everything.events, start, end), *notes])


def show_html(markup: str) -> None:
    """Display markup made by the presentation layer (already escaped there)."""
    from IPython.display import HTML, display

    display(HTML(markup))
