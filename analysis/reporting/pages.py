"""The HTML around report pages: page frame, error pages, the index of a run, and the lists of runs and sets.

Everything that comes from data, parameters or errors is escaped. Pages load nothing from the network: the
style sheet is inlined and plotly.js arrives inlined in the notebook's first figure output.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.present.text import parameter_text

CSS_PATH = paths.PACKAGE_DIR / "assets" / "report.css"
STATUS_WORDS = {"ok": "built", "failed": "failed", "missing": "notebook missing"}


@functools.lru_cache(maxsize=1)
def css() -> str:
    """Return the shipped style sheet."""
    return CSS_PATH.read_text(encoding="utf-8")


def escape(value: Any) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape(str(value), quote=True)


def facts_table(facts: Mapping[str, Any]) -> str:
    """Render {label: value} as a two-column table (values already HTML where the label ends in '_html')."""
    rows = []
    for label, value in facts.items():
        if label.endswith("_html"):
            rows.append(f"<tr><th>{escape(label[:-5])}</th><td>{value}</td></tr>")
        else:
            rows.append(f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


def parameters_table(parameters: Mapping[str, Any]) -> str:
    """Render parameters as `name = value` rows."""
    rows = "".join(
        f"<tr><th>{escape(k.replace('_', ' '))}</th><td>{escape(parameter_text(k, v))}</td></tr>"
        for k, v in parameters.items()
    )
    return f"<table class='parameters'>{rows}</table>" if rows else "<p>none (the notebook's defaults)</p>"


def versions_text(versions: Mapping[str, str]) -> str:
    """List library versions as one line.

    >>> versions_text({"pandas": "2.3.1", "numpy": "2.1.0"})
    'pandas 2.3.1, numpy 2.1.0'
    """
    return ", ".join(f"{name} {version}" for name, version in versions.items())


def time_text(stamp: str) -> str:
    """Write an ISO time as the pages do ('2026-12-07 09:41 UTC'); anything else as it is.

    >>> time_text("2026-12-07T09:41:12+00:00"), time_text("not a time")
    ('2026-12-07 09:41 UTC', 'not a time')
    """
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def provenance_rows(facts: Mapping[str, Any]) -> dict[str, str]:
    """Return the facts rows (as HTML) that say which data, package and library versions and time made a page or run."""
    rows = {
        "Data fingerprint_html": f"<code class='data-fingerprint'>{escape(facts['data_fingerprint'])}</code>",
        "Package version_html": f"<code class='package-version'>{escape(facts['package_version'])}</code>",
    }
    if facts.get("versions"):  # runs made before versions were recorded have none
        rows["Computed with_html"] = f"<code class='library-versions'>{escape(versions_text(facts['versions']))}</code>"
    rows["Made_html"] = f"<time datetime='{escape(facts['made_at'])}'>{escape(time_text(facts['made_at']))}</time>"
    return rows


def version_change_text(run: Mapping[str, Any]) -> str:
    """Say whether the libraries changed since the set's previous run (empty when there is nothing to compare).

    >>> version_change_text({"previous_run": "2024-01-01", "versions_changed": {"pandas": ["2.2.3", "2.3.1"]}})
    'changed since the previous run (2024-01-01): pandas 2.2.3 -> 2.3.1'
    >>> version_change_text({"previous_run": "2024-01-01", "versions_changed": {}})
    'the same as in the previous run (2024-01-01)'
    """
    if run.get("versions_changed") is None:
        return ""
    previous = run.get("previous_run")
    if not run["versions_changed"]:
        return f"the same as in the previous run ({previous})"
    changes = ", ".join(f"{name} {before} -> {now}" for name, (before, now) in run["versions_changed"].items())
    return f"changed since the previous run ({previous}): {changes}"


def vintage_rows(facts: Mapping[str, Any]) -> dict[str, str]:
    """Return the facts rows saying when fetched data were pulled and, on an index, what changed since the last run.

    Empty when the data hold no fetched store (analysis.fetch.vintage writes the sentences).
    """
    rows = {}
    if facts.get("data_vintage"):
        rows["Data vintage_html"] = f"<span class='data-vintage'>{escape(facts['data_vintage'])}</span>"
    if facts.get("data_changes"):
        rows["Data changes_html"] = f"<span class='data-changes'>{escape(facts['data_changes'])}</span>"
    return rows


def page_facts_html(facts: Mapping[str, Any]) -> str:
    """Render what every page states: report set, parameters, data fingerprint, package version, time made."""
    parameters = parameters_table(facts["parameters"])
    rows = {
        "Report set": facts["set_title"],
        "Page": facts["page_title"],
        "Parameters_html": parameters,
        **provenance_rows(facts),
        **vintage_rows(facts),
        "Notebook": facts["notebook"],
    }
    return f"<footer class='page-facts'><h2>About this page</h2>{facts_table(rows)}</footer>"


def navigation_html(set_title: str, pages: Iterable[tuple[str, str]], current: str | None) -> str:
    """Render the bar linking the run's index and every page (the current one marked)."""
    links = []
    for name, title in pages:
        marker = " aria-current='page'" if name == current else ""
        links.append(f"<a class='page-link' href='{escape(name)}.html'{marker}>{escape(title)}</a>")
    index_marker = " aria-current='page'" if current is None else ""
    return (
        f"<header class='report-nav'><a class='set-title' href='index.html'{index_marker}>{escape(set_title)}</a>"
        f"<nav>{''.join(links)}</nav></header>"
    )


@functools.lru_cache(maxsize=1)
def plotlyjs_script() -> str:
    """Return plotly.js (the installed plotly's copy) as one inline <script> element, no CDN."""
    from plotly.offline import get_plotlyjs

    # the bundle holds no "</script>", so it can be inlined as is; the config line is the one plotly.s notebook renderer writes
    return (
        "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>\n"
        f"<script class='plotlyjs'>{get_plotlyjs()}</script>"
    )


def document(title: str, body: str, *, navigation: str = "", generator: str = "", head: str = "") -> str:
    """Wrap a body in a complete, self-contained HTML document (inline style and scripts, nothing external)."""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<meta name='generator' content='{escape(generator)}'>"
        f"<title>{escape(title)}</title><style>{css()}</style>{head}</head>\n"
        f"<body>{navigation}<main>\n{body}\n</main></body></html>\n"
    )


def error_html(
    page_title: str,
    message: str,
    *,
    cell_source: str | None = None,
    traceback: str | None = None,
    notebook_link: str | None = None,
) -> str:
    """Render the box a failed page shows instead of its content: what failed, where, and the traceback."""
    parts = [
        "<section class='page-error' role='alert'>",
        f"<h1>{escape(page_title)}: this page failed</h1>",
        f"<p class='error-message'>{escape(message)}</p>",
        "<p>The other pages of this report were still built. Fix the notebook or its parameters and run the "
        "report again.</p>",
    ]
    if notebook_link:
        parts.append(
            f"<p>Executed notebook, with outputs up to the failure: <a href='{escape(notebook_link)}'>"
            f"{escape(notebook_link)}</a></p>"
        )
    if cell_source:
        parts.append(f"<h2>The cell that failed</h2><pre class='error-cell'>{escape(cell_source)}</pre>")
    if traceback:
        parts.append(f"<h2>Traceback</h2><pre class='error-traceback'>{escape(traceback)}</pre>")
    parts.append("</section>")
    return "".join(parts)


def duration_text(seconds: float | None) -> str:
    """Format a duration for people.

    >>> duration_text(3.04), duration_text(95)
    ('3.0 s', '1 min 35 s')
    """
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(round(seconds % 60))} s"


def highlights_html(page_records) -> str:
    """Lead the index with the set's headline figures: each page's key findings, the first page's summary and
    caveats (shown once here, folded away on each page)."""
    import re

    parts, summary, caveats = [], "", ""
    for page in page_records:
        found = page.get("highlights") or ""
        findings = re.search(r"<section class=[\"']key-findings[\"']>.*?</section>", found, re.S)
        if findings:
            items = findings.group(0).replace("<h2>Key findings</h2>", "")
            parts.append(f"<h3><a href='{escape(page['html'])}'>{escape(page['title'])}</a></h3>{items}")
        summary = summary or "".join(re.findall(r"<section class=[\"']set-summary[\"']>.*?</section>", found, re.S))
        caveats = caveats or "".join(re.findall(r"<details class=[\"']about-data[\"']>.*?</details>", found, re.S))
    if not parts:
        return ""
    return f"<h2>Key findings of this set</h2>{''.join(parts)}{summary}{caveats}"


def index_body(run: Mapping[str, Any]) -> str:
    """Render a run's index: the set, its parameters and data, and every page with its status."""
    rows = []
    for page in run["pages"]:
        status = page["status"]
        link = f"<a href='{escape(page['html'])}'>{escape(page['title'])}</a>"
        detail = escape(page.get("error") or "")
        rows.append(
            f"<tr class='page-{escape(status)}'><td>{link}</td><td class='status-{escape(status)}'>"
            f"{escape(STATUS_WORDS.get(status, status))}</td><td>{duration_text(page.get('seconds'))}</td>"
            f"<td>{detail}</td></tr>"
        )
    failed = sum(p["status"] != "ok" for p in run["pages"])
    summary = (
        f"All {len(run['pages'])} pages built."
        if not failed
        else f"{failed} of {len(run['pages'])} pages failed; the others were built."
    )
    facts = {
        "Set": f"{run['set_title']} ({run['set']})",
        "Parameters_html": parameters_table(run["parameters"]),
        **provenance_rows(run),
        **vintage_rows(run),
        "Took": duration_text(run.get("seconds")),
    }
    if version_change_text(run):
        changed = "changed" if run["versions_changed"] else "same"
        facts["Library versions_html"] = f"<span class='versions-{changed}'>{escape(version_change_text(run))}</span>"
    description = f"<p>{escape(run['description'])}</p>" if run.get("description") else ""
    return (
        f"<h1>{escape(run['set_title'])}</h1>{description}{highlights_html(run['pages'])}"
        f"<h2>Pages</h2><p class='run-summary'>{escape(summary)}</p>"
        "<table class='pages'><thead><tr><th>Page</th><th>Status</th><th>Time</th><th>Problem</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<h2>About this report</h2>{facts_table(facts)}"
        "<p><a href='../index.html'>Earlier runs of this set</a> &middot; <a href='../../index.html'>All report sets</a></p>"
    )


def read_run(run_dir: Path) -> dict | None:
    """Return a published run's run.json, or None when the folder holds no readable run."""
    try:
        return json.loads((Path(run_dir) / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def published_runs(set_dir: Path) -> list[tuple[Path, dict]]:
    """List a set's published runs (folders holding run.json), newest first."""
    if not Path(set_dir).is_dir():
        return []
    runs = [
        (d, read_run(d))
        for d in sorted(Path(set_dir).iterdir(), reverse=True)
        if d.is_dir() and not d.is_symlink() and not d.name.startswith(".")
    ]
    return [(d, run) for d, run in runs if run is not None]


def _run_row(folder: str, run: Mapping[str, Any]) -> str:
    """Render one run as a table row: date, status, fingerprint."""
    failed = sum(p["status"] != "ok" for p in run["pages"])
    status = "all pages built" if not failed else f"{failed} of {len(run['pages'])} pages failed"
    css_class = "status-ok" if not failed else "status-failed"
    return (
        f"<tr><td><a href='{escape(folder)}/index.html'>{escape(run['run_date'])}</a></td>"
        f"<td class='{css_class}'>{escape(status)}</td><td><code>{escape(run['data_fingerprint'])}</code></td>"
        f"<td>{escape(time_text(run['made_at']))}</td></tr>"
    )


def history_body(set_dir: Path) -> str:
    """Render the list of a set's runs, newest first, with a link to the latest."""
    runs = published_runs(set_dir)
    title = runs[0][1]["set_title"] if runs else Path(set_dir).name
    rows = "".join(_run_row(d.name, run) for d, run in runs)
    return (
        f"<h1>{escape(title)}: all runs</h1><p><a href='latest/index.html'>Latest run</a> &middot; "
        "<a href='../index.html'>All report sets</a></p>"
        "<table><thead><tr><th>Run</th><th>Status</th><th>Data fingerprint</th><th>Made</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def sets_body(out_dir: Path) -> str:
    """Render the list of report sets found in an output folder, each with its latest run."""
    rows = []
    for set_dir in sorted(p for p in Path(out_dir).iterdir() if p.is_dir() and not p.name.startswith(".")):
        runs = published_runs(set_dir)
        if not runs:
            continue
        _, latest = runs[0]
        failed = sum(p["status"] != "ok" for p in latest["pages"])
        status = "all pages built" if not failed else f"{failed} pages failed"
        rows.append(
            f"<tr><td><a href='{escape(set_dir.name)}/latest/index.html'>{escape(latest['set_title'])}</a></td>"
            f"<td>{escape(latest['run_date'])}</td><td class='{'status-ok' if not failed else 'status-failed'}'>"
            f"{escape(status)}</td><td><a href='{escape(set_dir.name)}/index.html'>{len(runs)} {'run' if len(runs) == 1 else 'runs'}</a></td></tr>"
        )
    return (
        "<h1>Reports</h1><table><thead><tr><th>Report set</th><th>Latest run</th><th>Status</th>"
        f"<th>History</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
