"""What runs each report page: execute one notebook with papermill and write its HTML page.

Pages run in threads of the runner's process (papermill and nbconvert are imported once per run, not once
per notebook); each page gets its own fresh kernel process (analysis.reporting.kernel), reached over IPC
sockets in a private folder (no TCP port is chosen, so parallel kernels cannot clash). A page that fails still gets a page: the error, the
cell, the traceback and the outputs produced before the failure.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.notebook.contract import PAGE_PROVIDES_PLOTLYJS
from analysis.reporting import pages
from analysis.reporting.kernel import report_kernel_manager_class

# jsonschema imports rfc3987_syntax when it is installed (JupyterLab brings it through jupyter-events) and
# that import builds Lark parsers for about a second. nbformat never checks the 'iri' formats it serves,
# so report processes mark it unavailable: Python then raises ImportError for it, and jsonschema leaves
# those two format checkers out, as it does for any optional format library that is not installed.
SLOW_OPTIONAL_MODULES = ("rfc3987_syntax",)
KERNEL_STARTUP_CODE = "; ".join(
    f"__import__('sys').modules.setdefault({name!r}, None)" for name in SLOW_OPTIONAL_MODULES
)
REMOVED_CELL_TAGS = {"remove-cell", "remove_cell", "papermill-error-cell-tag"}
REMOVED_OUTPUT_TAGS = {"remove-output", "remove_output"}
PLOTLYJS_BANNER = "* plotly.js v"  # first comment line of the plotly.js bundle
# Output types the HTML exporter never shows (not in its display_data_priority): plotly's figure JSON, which
# JupyterLab draws and the page replaces with the figure's HTML. Dropped before conversion, which copies the
# notebook: the JSON is most of a page's output (6,400 of 6,800 nodes on the trends page).
UNSHOWN_MIME_TYPES = {"application/vnd.plotly.v1+json"}

EXPORTER_LOCK = threading.Lock()


def skip_slow_optional_imports() -> None:
    """Mark slow optional modules as unavailable in this process (see SLOW_OPTIONAL_MODULES).

    Only the command line calls this (it owns its process); kernels get the same line at start-up.
    """
    for name in SLOW_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)


def prepare_runner() -> None:
    """Import papermill and set up the HTML exporter once, before pages start in threads."""
    import papermill  # noqa: F401

    exporter()


@functools.cache
def exporter():
    """Return the run's HTML exporter (code hidden, no prompts, the plain 'basic' template).

    Setting one up (templates, Jinja environment, filters) takes about 0.3 s: it is made once per process
    and shared by the pages' threads, one conversion at a time (EXPORTER_LOCK).
    """
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )


@dataclass(frozen=True)
class PageJob:
    """Everything needed to run one page of one report set."""

    set_name: str
    set_title: str
    page_name: str
    page_title: str
    notebook: Path
    parameters: dict[str, Any]
    data_fingerprint: str
    package_version: str
    staging_dir: Path
    kernel_dir: Path
    navigation: tuple[tuple[str, str], ...]
    kernel_name: str = "python3"
    timeout_seconds: int = 600
    keep_notebook: bool = False
    # "data vintage: ACLED pulled 2025-01-06" when the data hold fetched stores (analysis.fetch.vintage)
    data_vintage: str = ""
    versions: dict[str, str] = field(default_factory=dict)  # analysis.core.versions.library_versions()


@dataclass
class PageOutcome:
    """What became of one page: its status, time taken and, when it failed, why."""

    set_name: str
    page_name: str
    title: str
    status: str  # ok / failed / missing
    seconds: float
    html: str
    error: str | None = None
    notebook: str | None = None
    made_at: str = ""
    messages: int = 0
    highlights: str = ""  # the page's key findings and set summary, for the set's index


# What a page shows that its set's index repeats: the key findings list and the set summary (small multiples),
# as the presentation layer rendered them (escaped there). Matched by class, from the page's own output.
HIGHLIGHT_PATTERN = re.compile(
    r"<section class=[\"'](?:key-findings|set-summary)[\"']>.*?</section>|<details class=[\"']about-data[\"']>.*?</details>",
    re.S,
)


def page_highlights(body: str, page_html: str) -> str:
    """Return the page's key findings, set summary and caveats, their section links pointing into the page."""
    found = HIGHLIGHT_PATTERN.findall(body)
    return re.sub(r"href=([\"'])#", lambda m: f"href={m.group(1)}{page_html}#", "".join(found))


def kernel_environment() -> dict[str, str]:
    """Return the environment of report kernels: ours, plus the flag that the page provides plotly.js."""
    return {**os.environ, PAGE_PROVIDES_PLOTLYJS: "1"}


def kernel_manager(job: PageJob):
    """Return a kernel manager whose kernel listens on IPC sockets in the job's private folder."""
    manager_class = report_kernel_manager_class()
    if os.name == "nt":  # no IPC transport on Windows: TCP with jupyter_client's own port choice
        manager = manager_class(kernel_name=job.kernel_name)
    else:
        manager = manager_class(
            kernel_name=job.kernel_name,
            transport="ipc",
            ip=str(job.kernel_dir / job.page_name),
            connection_file=str(job.kernel_dir / f"{job.page_name}.json"),
        )
    manager.environment = kernel_environment()
    return manager


def execute(job: PageJob, output_notebook: Path):
    """Run the notebook with papermill into output_notebook and return the executed notebook.

    The kernel starts in the notebook's folder (resources path) rather than through papermill's cwd option,
    which changes the working directory of the whole process and so of every other page's thread.
    """
    import papermill

    manager = kernel_manager(job)
    try:
        return papermill.execute_notebook(
            str(job.notebook),
            str(output_notebook),
            parameters=job.parameters,
            kernel_name=job.kernel_name,
            language="python",
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=job.timeout_seconds,
            km=manager,
            resources={"metadata": {"path": str(job.notebook.parent)}},
            extra_arguments=[f"--IPKernelApp.exec_lines={KERNEL_STARTUP_CODE}"],
        )
    finally:  # nbclient leaves a kernel it did not create running: stop it (and remove its sockets) here
        from jupyter_core.utils import run_sync

        if manager.has_kernel:
            run_sync(manager.shutdown_kernel)(now=True)
        else:
            run_sync(manager.cleanup_resources)()


def _tags(cell) -> set[str]:
    """Return a cell's tags."""
    return set(cell.get("metadata", {}).get("tags", []))


def strip_for_page(nb, *, drop_errors: bool = False) -> list[str]:
    """Remove what a reader should not see (removed cells, stderr, errors, unshown types); return the stderr texts."""
    messages = []
    nb.cells = [cell for cell in nb.cells if not (_tags(cell) & REMOVED_CELL_TAGS)]
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        if _tags(cell) & REMOVED_OUTPUT_TAGS:
            cell.outputs = []
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                messages.append(output.get("text", ""))
            elif not (drop_errors and output.get("output_type") == "error"):
                for mime_type in UNSHOWN_MIME_TYPES & set(output.get("data", {})):
                    del output["data"][mime_type]
                kept.append(output)
        cell.outputs = kept
    return messages


def messages_html(messages: list[str]) -> str:
    """Render what the code printed to stderr (warnings) as a collapsed, escaped block."""
    if not messages:
        return ""
    text = "".join(messages)
    return (
        f"<details class='code-messages'><summary>{len(messages)} message(s) printed by the code "
        f"(warnings)</summary><pre>{pages.escape(text)}</pre></details>"
    )


def notebook_body(nb, *, drop_errors: bool = False) -> tuple[str, int]:
    """Convert an executed notebook to an HTML body with code hidden; return it and the number of messages."""
    messages = strip_for_page(nb, drop_errors=drop_errors)
    with EXPORTER_LOCK:
        body, _ = exporter().from_notebook_node(nb)
    return body + messages_html(messages), len(messages)


def _strip_ansi(text: str) -> str:
    """Remove terminal colour codes from a traceback."""
    from nbconvert.filters import strip_ansi

    return strip_ansi(text)


def page_facts(job: PageJob, made_at: str) -> dict[str, Any]:
    """Collect the facts printed at the foot of every page."""
    from analysis import paths

    try:
        notebook = str(job.notebook.relative_to(paths.PROJECT_DIR))
    except ValueError:  # a notebook from another folder (--notebooks)
        notebook = str(job.notebook)
    return {
        "set_title": job.set_title,
        "page_title": job.page_title,
        "parameters": job.parameters,
        "data_fingerprint": job.data_fingerprint,
        "package_version": job.package_version,
        "versions": job.versions,
        "made_at": made_at,
        "notebook": notebook,
        "data_vintage": job.data_vintage,
    }


def needs_plotlyjs(body: str) -> bool:
    """Tell whether an HTML body draws plotly figures (Plotly.newPlot) without carrying plotly.js itself.

    A kernel that was not started by the runner (or a notebook with its own renderer) may have inlined
    plotly.js already; the page must not carry it twice.
    """
    return "Plotly.newPlot(" in body and PLOTLYJS_BANNER not in body


def write_page(job: PageJob, body: str, made_at: str) -> str:
    """Write the page's HTML file into the staging folder and return its file name.

    A page with figures gets plotly.js once, inlined in its <head> (the kernels do not send it).
    """
    from analysis.pipeline.storage import write_text_atomic

    name = f"{job.page_name}.html"
    html_text = pages.document(
        f"{job.page_title} - {job.set_title}",
        body + pages.page_facts_html(page_facts(job, made_at)),
        navigation=pages.navigation_html(job.set_title, job.navigation, job.page_name),
        generator=f"militia-response-analysis {job.package_version}",
        head=pages.plotlyjs_script() if needs_plotlyjs(body) else "",
    )
    write_text_atomic(job.staging_dir / name, html_text)
    return name


def _made_at() -> str:
    """Return the current UTC time, to the second, ISO formatted."""
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def run_page(job: PageJob, on_start: Callable[[PageJob], None] | None = None) -> PageOutcome:
    """Execute one page and write its HTML (an error page when it fails); never raises for a notebook error."""
    started = time.perf_counter()
    if on_start is not None:
        on_start(job)
    made_at = _made_at()
    if not job.notebook.is_file():
        message = f"{job.notebook} does not exist (listed for set {job.set_name!r} in the report configuration)"
        html_name = write_page(job, pages.error_html(job.page_title, message), made_at)
        return PageOutcome(
            job.set_name,
            job.page_name,
            job.page_title,
            "missing",
            time.perf_counter() - started,
            html_name,
            error=message,
            made_at=made_at,
        )
    from papermill.exceptions import PapermillExecutionError

    notebooks_dir = job.staging_dir / "notebooks"
    notebooks_dir.mkdir(parents=True, exist_ok=True)
    output_notebook = notebooks_dir / job.notebook.name
    status, error, body, keep, messages = "ok", None, "", job.keep_notebook, 0
    try:
        nb = execute(job, output_notebook)
        body, messages = notebook_body(nb)
    except PapermillExecutionError as failure:
        status, keep = "failed", True
        error = f"{failure.ename}: {failure.evalue}"
        import nbformat

        partial, messages = notebook_body(nbformat.read(output_notebook, as_version=4), drop_errors=True)
        body = (
            pages.error_html(
                job.page_title,
                f"The notebook raised {error} in cell {failure.exec_count}.",
                cell_source=failure.source,
                traceback=_strip_ansi("\n".join(failure.traceback)),
                notebook_link=f"notebooks/{output_notebook.name}",
            )
            + "<h2>Output before the failure</h2>"
            + partial
        )
    except Exception as failure:  # kernel died, timed out, never started, or conversion failed: say so, go on
        status, keep = "failed", output_notebook.exists()
        details = _strip_ansi(str(failure)).strip() or "no message"
        error = f"{type(failure).__name__}: {details.splitlines()[0]}"
        if isinstance(failure, TimeoutError):
            error += f" (the limit is --timeout {job.timeout_seconds} seconds per cell)"
        link = f"notebooks/{output_notebook.name}" if keep else None
        body = pages.error_html(
            job.page_title,
            f"The page could not be made: {error}",
            notebook_link=link,
            traceback=details if "\n" in details else None,
        )
    if not keep:
        output_notebook.unlink(missing_ok=True)
    html_name = write_page(job, body, made_at)
    return PageOutcome(
        job.set_name,
        job.page_name,
        job.page_title,
        status,
        time.perf_counter() - started,
        html_name,
        error=error,
        notebook=f"notebooks/{output_notebook.name}" if keep else None,
        made_at=made_at,
        messages=messages,
        highlights=page_highlights(body, html_name) if status == "ok" else "",
    )
