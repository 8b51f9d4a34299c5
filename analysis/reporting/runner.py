"""Run report sets: check parameters, lock, build the data if stale, execute pages in parallel, publish.

Output layout (one folder per set, one per run day):

    <out>/index.html                    every set, with its latest run
    <out>/<set>/index.html              every run of the set
    <out>/<set>/latest -> <date>        symbolic link to the newest run
    <out>/<set>/<date>/index.html       the run: pages, statuses, parameters, data fingerprint
    <out>/<set>/<date>/<page>.html      one page per notebook (an error page when it failed)
    <out>/<set>/<date>/run.json         what ran, with what, and how it went (read by --if-changed)
    <out>/<set>/<date>/notebooks/       executed notebooks of failed pages (all pages with keep_notebooks)

A run is written into a hidden staging folder and moved into place when complete, so readers never see a
half-written run; a second run on the same day replaces that day's folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import __version__, paths
from analysis.core.errors import AnalysisError, ParameterError
from analysis.core.versions import library_versions, version_changes
from analysis.fetch.vintage import changes_text, run_stores, stores_behind, vintage_text
from analysis.pipeline.fingerprint import data_fingerprint
from analysis.pipeline.storage import current_umask, write_text_atomic
from analysis.reporting import pages
from analysis.reporting.config import ReportSet
from analysis.reporting.parameters import notebook_parameters, parameter_problems
from analysis.reporting.worker import PageJob, PageOutcome, prepare_runner, run_page

LOCK_NAME = ".report.lock"
EXIT_OK, EXIT_PAGE_FAILED, EXIT_LOCKED = 0, 1, 3


class ReportLocked(AnalysisError):
    """Another report run holds the output folder's lock."""


@dataclass(frozen=True)
class RunOptions:
    """Where to read and write, and how to run (the command line's options)."""

    out_dir: Path = paths.REPORTS_DIR
    notebooks_dir: Path = paths.NOTEBOOKS_DIR
    raw_dir: Path = paths.RAW_DIR
    processed_dir: Path = paths.PROCESSED_DIR
    jobs: int | None = None
    timeout_seconds: int = 600
    if_changed: bool = False
    lock_wait_seconds: float = 0
    keep_notebooks: bool = False
    keep_runs: int = 0
    kernel_name: str = "python3"


@dataclass
class SetResult:
    """What happened to one set: built (maybe with failed pages) or skipped as unchanged."""

    name: str
    status: str  # built / skipped
    run_dir: Path | None
    failed_pages: list[str] = field(default_factory=list)
    message: str = ""


@dataclass
class RunSummary:
    """The outcome of a report run and its exit status (0 all built or skipped, 1 a page failed)."""

    sets: list[SetResult]
    seconds: float

    @property
    def exit_status(self) -> int:
        """Return 1 when any page failed, else 0."""
        return EXIT_PAGE_FAILED if any(s.failed_pages for s in self.sets) else EXIT_OK


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def print_progress(message: str) -> None:
    """Print one progress line to stderr (what cron and systemd keep in their logs)."""
    print(f"report: {message}", file=sys.stderr, flush=True)


def notebook_path(notebooks_dir: Path, page_name: str) -> Path:
    """Return where a page's notebook lives."""
    return Path(notebooks_dir) / f"{page_name}.ipynb"


def check_sets(report_sets: Iterable[ReportSet], notebooks_dir: Path) -> None:
    """Check every page's parameters against its notebook before anything runs; one error lists all problems."""
    from analysis.core.selection import parse_period

    problems, declared_cache = [], {}
    for report_set in report_sets:
        for page in report_set.pages:
            path = notebook_path(notebooks_dir, page.name)
            if not path.is_file():
                continue  # reported as a missing page by the run, so the other pages still build
            if path not in declared_cache:
                declared_cache[path] = notebook_parameters(path)
            given = report_set.page_parameters(page)
            problems += [
                f"set {report_set.name!r}: {p}" for p in parameter_problems(given, declared_cache[path], path.name)
            ]
            try:
                parse_period(given.get("start"), given.get("end"))
            except ParameterError as error:
                problems.append(f"set {report_set.name!r}, page {page.name!r}: {error}")
    if len(problems) == 1:
        raise ParameterError(problems[0])
    if problems:
        raise ParameterError("bad report parameters:\n  - " + "\n  - ".join(dict.fromkeys(problems)))


def prepare_processed_data(options: RunOptions, progress: Callable[[str], None]) -> str:
    """Build data/processed when it is stale (or missing) and return its data fingerprint."""
    from analysis.pipeline.build import build, is_stale
    from analysis.pipeline.load import read_manifest

    if is_stale(options.raw_dir, options.processed_dir):
        progress(f"data in {options.processed_dir} is missing or stale: building it from {options.raw_dir}")
        manifest = build(options.raw_dir, options.processed_dir)
        unaccounted = manifest["totals"]["unaccounted"]
        if unaccounted:
            progress(f"warning: the build left {unaccounted} raw rows unaccounted (see its manifest)")
    else:
        manifest = read_manifest(options.processed_dir)
    progress(f"data fingerprint {manifest['data_fingerprint']} ({options.processed_dir})")
    return str(manifest["data_fingerprint"])


def resolve_data(report_sets: list[ReportSet], options: RunOptions, progress) -> dict[str, tuple[str, str | None]]:
    """Return {set name: (data fingerprint, data path to inject or None)}, building data/processed if needed."""
    resolved, processed_fingerprint = {}, None
    for report_set in report_sets:
        source = report_set.parameters.get("data")
        if source:  # the set names its own data: a built folder or raw files, used as they are
            path = Path(source) if Path(source).is_absolute() else paths.PROJECT_DIR / source
            resolved[report_set.name] = (data_fingerprint(path), None)
            continue
        if processed_fingerprint is None:
            processed_fingerprint = prepare_processed_data(options, progress)
        resolved[report_set.name] = (processed_fingerprint, str(Path(options.processed_dir).resolve()))
    return resolved


def check_countries(report_sets: list[ReportSet], data: dict[str, tuple[str, str | None]]) -> None:
    """Refuse, before any page runs, a set whose countries its built data do not know (a typo: 'Irak')."""
    from analysis.core.selection import known_countries
    from analysis.core.spec import COUNTRY_TIMEZONES

    for report_set in report_sets:
        data_path = data[report_set.name][1]
        countries = report_set.parameters.get("countries")
        if data_path is None or not countries:
            continue  # a set with its own data: its pages check the names against those data
        import pandas as pd

        present = pd.read_parquet(Path(data_path) / "events.parquet", columns=["country"])["country"].dropna()
        try:
            known_countries(countries, set(present) | set(COUNTRY_TIMEZONES))
        except ParameterError as error:
            raise ParameterError(f"set {report_set.name!r}: {error}") from None


def data_stores(report_set: ReportSet, options: RunOptions) -> list[dict]:
    """Return the fetched store snapshots behind a set's data (its own `data`, else the processed folder)."""
    source = report_set.parameters.get("data")
    if not source:
        return stores_behind(Path(options.processed_dir))
    return stores_behind(Path(source) if Path(source).is_absolute() else paths.PROJECT_DIR / source)


def vintage_facts(stores: list[dict], previous: dict | None) -> dict[str, Any]:
    """Return what a run records and its index shows of fetched data: snapshots read, their vintage, changes since the previous run."""
    return {
        "data_stores": run_stores(stores),
        "data_vintage": vintage_text(stores),
        "data_changes": changes_text(stores, previous.get("data_stores") if previous else None),
    }


def page_run_parameters(report_set: ReportSet, page, data_path: str | None, declared: dict) -> dict[str, Any]:
    """Return the parameters a page is executed with: the set's and page's, plus the built data folder."""
    parameters = report_set.page_parameters(page)
    if data_path is not None and "data" in declared:
        parameters["data"] = data_path
    return parameters


def file_digest(path: Path) -> str:
    """Return a notebook's SHA-256, or 'missing'."""
    from analysis.pipeline.storage import file_sha256

    return file_sha256(path) if Path(path).is_file() else "missing"


def run_key(fingerprint: str, jobs: list[PageJob]) -> str:
    """Fingerprint what a run depends on: data, package version, pages, their parameters and notebook contents.

    The data path itself is left out: the same data moved elsewhere gives the same pages.
    """
    described = {
        "data_fingerprint": fingerprint,
        "package_version": __version__,
        "versions": jobs[0].versions if jobs else {},  # other library versions may give other pages
        "pages": [
            [job.page_name, {k: v for k, v in job.parameters.items() if k != "data"}, file_digest(job.notebook)]
            for job in jobs
        ],
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True, default=str).encode()).hexdigest()[:16]


def latest_run(set_dir: Path) -> dict | None:
    """Return the newest published run of a set, or None."""
    runs = pages.published_runs(set_dir)
    return runs[0][1] if runs else None


def unchanged_since(previous: dict | None, key: str) -> bool:
    """Tell whether the previous run had the same key and every page built (a failed run is always redone)."""
    return bool(previous and previous.get("run_key") == key and all(p["status"] == "ok" for p in previous["pages"]))


def _remove_tree(path: Path) -> None:
    """Delete a folder, or a symbolic link to one."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def make_readable(folder: Path) -> None:
    """Give a staged run the permissions of files made normally (temporary files are private, 0600)."""
    mask = current_umask()
    os.chmod(folder, 0o777 & ~mask)
    for path in Path(folder).rglob("*"):
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~mask)


def remove_leftovers(set_dir: Path) -> None:
    """Delete staging folders an interrupted run left behind (safe: the caller holds the lock)."""
    for folder in list(Path(set_dir).glob(".staging-*")) + list(Path(set_dir).glob(".replaced-*")):
        _remove_tree(folder)


def unique_run_name(set_dir: Path, day: str) -> str:
    """Name a run by its day; a second run the same day gets its own folder (day-2, day-3, ...), never replacing one.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); (folder / "2024-01-05").mkdir()
    >>> unique_run_name(folder, "2024-01-05"), unique_run_name(folder, "2024-01-06")
    ('2024-01-05-2', '2024-01-06')
    """
    name, number = day, 1
    while (Path(set_dir) / name).exists():
        number += 1
        name = f"{day}-{number}"
    return name


def publish(staging: Path, set_dir: Path, run_name: str) -> Path:
    """Move a finished staging folder to <set>/<run_name>, replacing an earlier run of the same name."""
    final = set_dir / run_name
    replaced = None
    if final.exists():
        replaced = set_dir / f".replaced-{run_name}-{os.getpid()}"
        _remove_tree(replaced)
        os.replace(final, replaced)
    os.replace(staging, final)
    if replaced is not None:
        _remove_tree(replaced)
    return final


def update_latest(set_dir: Path, run_name: str) -> None:
    """Point <set>/latest at a run (atomic symlink swap; a redirect page where symlinks are not allowed)."""
    link, temporary = set_dir / "latest", set_dir / f".latest-{os.getpid()}"
    try:
        temporary.unlink(missing_ok=True)
        os.symlink(run_name, temporary, target_is_directory=True)
        if link.exists() and not link.is_symlink():
            _remove_tree(link)
        os.replace(temporary, link)
    except (OSError, NotImplementedError):
        temporary.unlink(missing_ok=True)
        target = pages.escape(f"{run_name}/index.html")
        write_text_atomic(
            set_dir / "latest.html",
            "<!DOCTYPE html><meta charset='utf-8'>"
            f"<meta http-equiv='refresh' content='0; url={target}'><a href='{target}'>latest run</a>\n",
        )


def prune_runs(set_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` runs of a set (keep=0 keeps every run); return what was deleted."""
    if keep <= 0:
        return []
    old = [d for d, _ in pages.published_runs(set_dir)[keep:]]
    for folder in old:
        _remove_tree(folder)
    return old


def write_indexes(out_dir: Path, set_dir: Path) -> None:
    """Rewrite the list of a set's runs and the list of all sets."""
    generator = f"militia-response-analysis {__version__}"
    write_text_atomic(
        set_dir / "index.html",
        pages.document(f"{set_dir.name}: all runs", pages.history_body(set_dir), generator=generator),
    )
    write_text_atomic(out_dir / "index.html", pages.document("Reports", pages.sets_body(out_dir), generator=generator))


def order_longest_first(jobs: list[PageJob], previous_seconds: dict[tuple[str, str], float]) -> list[PageJob]:
    """Start the pages that took longest last time first (unknown ones first of all): shorter wall time."""
    return sorted(jobs, key=lambda job: -previous_seconds.get((job.set_name, job.page_name), float("inf")))


def _failed_outcome(job: PageJob, error: BaseException) -> PageOutcome:
    """Write an error page when running a page failed outside the notebook (a bug in the runner)."""
    from analysis.reporting.worker import write_page

    message = f"the report runner failed on this page: {type(error).__name__}: {error}"
    made_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    html_name = write_page(job, pages.error_html(job.page_title, message), made_at)
    return PageOutcome(
        job.set_name, job.page_name, job.page_title, "failed", 0.0, html_name, error=message, made_at=made_at
    )


def execute_jobs(
    jobs: list[PageJob], workers: int, progress: Callable[[str], None]
) -> dict[tuple[str, str], PageOutcome]:
    """Run page jobs, `workers` at a time, printing when each starts and ends.

    Each page runs in a thread of this process that drives its own kernel process: the kernels do the work
    in parallel, while papermill and nbconvert are imported once for the whole run.
    """
    prepare_runner()
    outcomes: dict[tuple[str, str], PageOutcome] = {}
    total, started, lock = len(jobs), [0], threading.Lock()

    def show_start(job: PageJob) -> None:
        with lock:
            started[0] += 1
            progress(f"[{started[0]}/{total}] running {job.set_name}/{job.page_name}")

    with ThreadPoolExecutor(max_workers=min(workers, total), thread_name_prefix="report-page") as pool:
        futures = {pool.submit(run_page, job, show_start): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # a bug outside the notebook: this page fails, the others go on
                outcome = _failed_outcome(job, error)
            with lock:
                outcomes[(job.set_name, job.page_name)] = outcome
                verdict = "built" if outcome.status == "ok" else f"FAILED ({outcome.error})"
                progress(
                    f"[{len(outcomes)}/{total}] {job.set_name}/{job.page_name}: {verdict} in "
                    f"{pages.duration_text(outcome.seconds)}"
                )
    return outcomes


def run_record(
    report_set: ReportSet,
    jobs: list[PageJob],
    outcomes,
    key: str,
    fingerprint: str,
    run_name: str,
    seconds: float,
    previous: dict | None = None,
) -> dict[str, Any]:
    """Describe a finished run (written as run.json and shown by the indexes), with what changed since `previous`."""
    versions = jobs[0].versions if jobs else library_versions()
    page_records = []
    for job in jobs:
        outcome = outcomes[(job.set_name, job.page_name)]
        page_records.append(
            {
                "name": job.page_name,
                "title": job.page_title,
                "status": outcome.status,
                "seconds": round(outcome.seconds, 2),
                "html": outcome.html,
                "error": outcome.error,
                "notebook": outcome.notebook,
                "parameters": job.parameters,
                "messages": outcome.messages,
                "made_at": outcome.made_at,
                "highlights": outcome.highlights,
            }
        )
    return {
        "set": report_set.name,
        "set_title": report_set.title,
        "description": report_set.description,
        "parameters": dict(report_set.parameters),
        "run_date": run_name,
        "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 2),
        "data_fingerprint": fingerprint,
        "package_version": __version__,
        "versions": versions,
        "previous_run": previous["run_date"] if previous else None,
        # None: no earlier run that recorded its versions, so nothing to compare
        "versions_changed": version_changes(previous["versions"], versions)
        if (previous or {}).get("versions")
        else None,
        "run_key": key,
        "pages": page_records,
    }


def plan_jobs(
    report_set: ReportSet,
    options: RunOptions,
    fingerprint: str,
    data_path: str | None,
    staging: Path,
    kernel_dir: Path,
    data_vintage: str = "",
) -> list[PageJob]:
    """Make one PageJob per page of a set."""
    navigation = tuple((page.name, page.title) for page in report_set.pages)
    versions = library_versions()
    jobs = []
    for page in report_set.pages:
        notebook = notebook_path(options.notebooks_dir, page.name).resolve()
        declared = notebook_parameters(notebook) if notebook.is_file() else {}
        jobs.append(
            PageJob(
                set_name=report_set.name,
                set_title=report_set.title,
                page_name=page.name,
                page_title=page.title,
                notebook=notebook,
                parameters=page_run_parameters(report_set, page, data_path, declared),
                data_fingerprint=fingerprint,
                package_version=__version__,
                staging_dir=staging,
                kernel_dir=kernel_dir / report_set.name,
                navigation=navigation,
                kernel_name=options.kernel_name,
                timeout_seconds=options.timeout_seconds,
                keep_notebook=options.keep_notebooks,
                data_vintage=data_vintage,
                versions=versions,
            )
        )
    return jobs


def acquire_lock(options: RunOptions):
    """Take the output folder's lock, or raise ReportLocked when another run holds it."""
    import filelock

    Path(options.out_dir).mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(Path(options.out_dir) / LOCK_NAME))
    try:
        lock.acquire(timeout=options.lock_wait_seconds)
    except filelock.Timeout:
        raise ReportLocked(
            f"another report run holds {lock.lock_file}; not starting a second one (use --wait SECONDS to wait for it)"
        ) from None
    return lock


def run_reports(
    report_sets: list[ReportSet], options: RunOptions = RunOptions(), progress: Callable[[str], None] = print_progress
) -> RunSummary:
    """Run report sets end to end: check, lock, build if stale, execute pages in parallel, publish."""
    started = time.perf_counter()
    check_sets(report_sets, options.notebooks_dir)
    lock = acquire_lock(options)
    kernel_dir = Path(tempfile.mkdtemp(prefix="analysis-kernels-"))
    stagings: list[Path] = []  # removed at the end: published ones have moved, the others are half-made
    try:
        data = resolve_data(report_sets, options, progress)
        check_countries(report_sets, data)
        day = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
        results, plans, previous_seconds = [], [], {}
        for report_set in report_sets:
            fingerprint, data_path = data[report_set.name]
            set_dir = Path(options.out_dir) / report_set.name
            set_dir.mkdir(parents=True, exist_ok=True)
            remove_leftovers(set_dir)
            run_name = unique_run_name(set_dir, day)
            staging = Path(tempfile.mkdtemp(prefix=f".staging-{run_name}-", dir=set_dir))
            stagings.append(staging)
            (kernel_dir / report_set.name).mkdir()
            vintage = vintage_text(data_stores(report_set, options))
            jobs = plan_jobs(report_set, options, fingerprint, data_path, staging, kernel_dir, vintage)
            key, previous = run_key(fingerprint, jobs), latest_run(set_dir)
            if options.if_changed and unchanged_since(previous, key):
                shutil.rmtree(staging)
                message = (
                    f"set {report_set.name} unchanged since its run of {previous['run_date']} (same data "
                    f"fingerprint {fingerprint}, parameters and notebooks): skipped"
                )
                progress(message)
                results.append(SetResult(report_set.name, "skipped", set_dir / previous["run_date"], message=message))
                continue
            for page in (previous or {}).get("pages", []):
                previous_seconds[(report_set.name, page["name"])] = page.get("seconds") or 0.0
            progress(f"set {report_set.name}: {len(jobs)} pages -> {set_dir / run_name}")
            plans.append((report_set, jobs, key, fingerprint, staging, set_dir, run_name))
        all_jobs = order_longest_first([job for plan in plans for job in plan[1]], previous_seconds)
        workers = options.jobs or default_jobs()
        outcomes = execute_jobs(all_jobs, workers, progress) if all_jobs else {}
        for report_set, jobs, key, fingerprint, staging, set_dir, run_name in plans:
            results.append(
                finish_set(
                    report_set,
                    jobs,
                    outcomes,
                    key,
                    fingerprint,
                    staging,
                    set_dir,
                    run_name,
                    time.perf_counter() - started,
                    options,
                    progress,
                )
            )
    finally:
        shutil.rmtree(kernel_dir, ignore_errors=True)
        for staging in stagings:
            shutil.rmtree(staging, ignore_errors=True)
        lock.release()
    return RunSummary(results, time.perf_counter() - started)


def finish_set(
    report_set: ReportSet,
    jobs: list[PageJob],
    outcomes,
    key: str,
    fingerprint: str,
    staging: Path,
    set_dir: Path,
    run_name: str,
    seconds: float,
    options: RunOptions,
    progress,
) -> SetResult:
    """Write a set's index and run.json, publish the run, point latest at it and refresh the indexes."""
    from analysis.pipeline.storage import write_json, write_text_atomic

    notebooks_dir = staging / "notebooks"
    if notebooks_dir.is_dir() and not any(notebooks_dir.iterdir()):
        notebooks_dir.rmdir()
    record = run_record(report_set, jobs, outcomes, key, fingerprint, run_name, seconds, latest_run(set_dir))
    # latest_run is still the previous run here: this one is published below
    record.update(vintage_facts(data_stores(report_set, options), latest_run(set_dir)))
    write_json(staging / "run.json", record)
    navigation = pages.navigation_html(report_set.title, [(p.name, p.title) for p in report_set.pages], None)
    write_text_atomic(
        staging / "index.html",
        pages.document(
            report_set.title,
            pages.index_body(record),
            navigation=navigation,
            generator=f"militia-response-analysis {__version__}",
        ),
    )
    make_readable(staging)
    run_dir = publish(staging, set_dir, run_name)
    update_latest(set_dir, run_name)
    for folder in prune_runs(set_dir, options.keep_runs):
        progress(f"removed old run {folder}")
    write_indexes(Path(options.out_dir), set_dir)
    failed = [p["name"] for p in record["pages"] if p["status"] != "ok"]
    built = len(record["pages"]) - len(failed)
    message = f"set {report_set.name}: {built} of {len(record['pages'])} pages built -> {run_dir / 'index.html'}"
    if failed:
        message += f" (failed: {', '.join(failed)})"
    return SetResult(report_set.name, "built", run_dir, failed, message)
