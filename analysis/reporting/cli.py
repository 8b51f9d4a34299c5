"""`python -m analysis report`: the command line of the report runner."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from analysis import paths
from analysis.core.errors import ParameterError

EPILOG = """\
exit status: 0 every page built (or every set skipped as unchanged); 1 at least one page failed (its error
page and the other pages are still written); 2 bad parameters, configuration or data (nothing ran);
3 another report run holds the lock (nothing ran).

examples:
  python -m analysis report                          # the default set of reports.yml
  python -m analysis report --set syria-2022 --if-changed
  python -m analysis report --all-sets --if-changed  # what a scheduler runs
  python -m analysis report --start 2023-10-17 --end 2024-02-02 --countries Iraq Syria --name surge-peak
"""


def _number_at_least(kind: type, minimum: int, what: str):
    """Return an argparse type that parses a number of `kind` (int or float) no smaller than `minimum`."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} must be at least {minimum}")
        return value

    return parse


_positive = _number_at_least(int, 1, "a whole number")
_not_negative = _number_at_least(float, 0, "a number")


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Describe the `report` subcommand's options."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.description = (
        "Execute the report notebooks of a report set (reports.yml) with papermill, in parallel, and write "
        "offline HTML pages with code hidden to <out>/<set>/<date>/, with an index and a 'latest' link. "
        "Builds data/processed first when it is missing or stale."
    )
    chosen = parser.add_argument_group("which report")
    chosen.add_argument(
        "--set",
        dest="sets",
        action="append",
        metavar="NAME",
        help="a report set from the configuration (repeat for several; default: its default_set)",
    )
    chosen.add_argument("--all-sets", action="store_true", help="every set in the configuration")
    chosen.add_argument("--start", help="custom report: first day, YYYY-MM-DD")
    chosen.add_argument("--end", help="custom report: last day, YYYY-MM-DD")
    chosen.add_argument(
        "--countries",
        nargs="+",
        metavar="COUNTRY",
        help="custom report: countries (space- or comma-separated), e.g. Iraq Syria",
    )
    chosen.add_argument(
        "--name",
        default=None,
        help="custom report: the set (folder) name (default: from the selection, e.g. custom-2023-10-17-to-2024-02-02-iraq)",
    )
    chosen.add_argument("--pages", help="only these pages of the set, comma-separated (default: all its pages)")
    chosen.add_argument("--list", action="store_true", help="list the report sets and their pages, then exit")
    where = parser.add_argument_group("where")
    where.add_argument("--out", type=Path, default=paths.REPORTS_DIR, help="output folder (default: %(default)s)")
    where.add_argument("--config", type=Path, default=paths.REPORTS_CONFIG, help="report sets (default: %(default)s)")
    where.add_argument(
        "--notebooks", type=Path, default=paths.NOTEBOOKS_DIR, help="notebook folder (default: %(default)s)"
    )
    where.add_argument("--raw", type=Path, default=paths.RAW_DIR, help="raw data folder (default: %(default)s)")
    where.add_argument(
        "--processed",
        type=Path,
        default=paths.PROCESSED_DIR,
        help="built data folder, rebuilt when stale (default: %(default)s)",
    )
    how = parser.add_argument_group("how")
    how.add_argument(
        "--if-changed",
        action="store_true",
        help="skip a set whose data fingerprint, parameters and notebooks are those of its last successful run",
    )
    how.add_argument("--jobs", type=_positive, default=None, help="notebooks run at once (default: number of cores)")
    how.add_argument("--timeout", type=_positive, default=600, help="seconds one cell may run (default: %(default)s)")
    how.add_argument(
        "--wait",
        type=_not_negative,
        default=0.0,
        help="seconds to wait for another run's lock (default: 0, exit 3 at once)",
    )
    how.add_argument(
        "--keep-notebooks",
        action="store_true",
        help="keep every executed notebook (default: only those of failed pages)",
    )
    how.add_argument(
        "--keep-runs",
        type=int,
        default=0,
        metavar="N",
        help="keep only the newest N runs of each set (default: 0, keep all)",
    )


def _countries(values: list[str] | None) -> list[str] | None:
    """Split country arguments given with spaces or commas, spelling the package's countries as it does ('iraq')."""
    from analysis.core.spec import COUNTRY_TIMEZONES

    if not values:
        return None
    spelled = {name.casefold(): name for name in COUNTRY_TIMEZONES}
    parts = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return [spelled.get(part.casefold(), part) for part in parts]


def custom_set_name(parameters: dict) -> str:
    """Name a custom report's folder after its selection, so runs of different selections never mix.

    >>> custom_set_name({"start": "2023-10-17", "countries": ["Iraq", "Syria"]})
    'custom-from-2023-10-17-iraq-syria'
    """
    start, end = parameters.get("start"), parameters.get("end")
    period = f"{start}-to-{end}" if start and end else f"from-{start}" if start else f"to-{end}" if end else ""
    parts = [period, *(c.casefold() for c in parameters.get("countries") or [])]
    return "-".join(["custom", *(re.sub(r"[^0-9a-z]+", "-", p.casefold()).strip("-") for p in parts if p)])


def chosen_sets(args: argparse.Namespace, config) -> list:
    """Turn the command line into the report sets to run."""
    from analysis.reporting.config import custom_set, select_pages

    custom = {
        k: v for k, v in (("start", args.start), ("end", args.end), ("countries", _countries(args.countries))) if v
    }
    if custom and (args.sets or args.all_sets):
        raise ParameterError("give either --set / --all-sets or --start / --end / --countries, not both")
    if args.keep_runs < 0:
        raise ParameterError(f"--keep-runs {args.keep_runs} must be 0 (keep all) or more")
    if custom:
        sets = [custom_set(custom, config.default_pages, args.name or custom_set_name(custom))]
    elif args.all_sets:
        sets = list(config.sets.values())
    else:
        sets = [config.get(name) for name in dict.fromkeys(args.sets or [config.default_set])]
    names = [n.strip() for n in args.pages.split(",") if n.strip()] if args.pages else None
    return [select_pages(s, names) for s in sets]


def describe_sets(config) -> str:
    """List the configured sets for --list."""
    lines = []
    for name, report_set in config.sets.items():
        default = " (default)" if name == config.default_set else ""
        parameters = ", ".join(f"{k}={v!r}" for k, v in report_set.parameters.items())
        lines.append(
            f"{name}{default}: {report_set.title}\n    parameters: {parameters or 'notebook defaults'}"
            f"\n    pages: {', '.join(p.name for p in report_set.pages)}"
        )
    return "\n".join(lines)


def run_from_cli(args: argparse.Namespace) -> int:
    """Run the report command and return its exit status."""
    from analysis.reporting.config import load_report_config
    from analysis.reporting.runner import EXIT_LOCKED, ReportLocked, RunOptions, run_reports
    from analysis.reporting.worker import skip_slow_optional_imports

    skip_slow_optional_imports()  # this process is ours: see analysis.reporting.worker
    config = load_report_config(args.config)
    if args.list:
        print(describe_sets(config))
        return 0
    options = RunOptions(
        out_dir=args.out,
        notebooks_dir=args.notebooks,
        raw_dir=args.raw,
        processed_dir=args.processed,
        jobs=args.jobs,
        timeout_seconds=args.timeout,
        if_changed=args.if_changed,
        lock_wait_seconds=args.wait,
        keep_notebooks=args.keep_notebooks,
        keep_runs=args.keep_runs,
    )
    try:
        summary = run_reports(chosen_sets(args, config), options)
    except ReportLocked as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_LOCKED
    for result in summary.sets:
        print(result.message)
    return summary.exit_status
