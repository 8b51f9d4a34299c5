"""Command line: `python -m analysis build`, `report`, `fetch`, `extract` and `lab` (each with --help); the same as
`militia-analysis`.

One error boundary (``main``) turns every failure into one `error:` line on stderr, never a traceback: an
AnalysisError (bad input naming file, row, column and value; bad parameters; an output folder that cannot be
written) and an operating-system fault (permission denied, read-only file system, no space left) exit with
status 2 and say what to do; anything else is a bug, reported in one line with exit status 70 (EX_SOFTWARE).
`--debug` (before or after the command) shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from analysis import paths
from analysis.core.errors import AnalysisError, describe_os_error

EXIT_INPUT_ERROR = 2  # bad input, parameters or environment: the message says what to fix
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug; --debug shows the traceback to report


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Print warnings as one plain line (no source-code echo)."""
    print(f"warning: {message}", file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    """Run the build and print its row accounting."""
    from analysis.pipeline.build import build, format_summary
    from analysis.pipeline.progress import BuildProgress

    manifest = build(args.raw, args.out, progress=BuildProgress(sys.stderr))
    print(format_summary(manifest, args.out))
    return 0 if manifest["totals"]["unaccounted"] == 0 else 1


def _extract(args: argparse.Namespace) -> int:
    """Write candidate incident-log rows for the events the given texts describe."""
    from analysis.extract.candidates import extract_files, write_candidates

    frame = extract_files(args.files, published=args.published, log=not args.no_matches)
    if args.out is None:
        sys.stdout.write(frame.to_csv(index=False))
    else:
        write_candidates(frame, args.out)
    duplicates = int((frame["matches"] != "").sum()) if len(frame) else 0
    where = args.out or "standard output"
    print(
        f"{len(frame)} candidate events from {len(args.files)} file(s) written to {where}; "
        f"{duplicates} probably already in the log (see 'matches'). Review each row against its evidence.",
        file=sys.stderr,
    )
    return 0


def _iso_date(text: str):
    """Read a --published date (YYYY-MM-DD)."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written as YYYY-MM-DD") from None


def _report(args: argparse.Namespace) -> int:
    """Run the report notebooks (see analysis.reporting.cli)."""
    from analysis.reporting.cli import run_from_cli

    return run_from_cli(args)


def _fetch(args: argparse.Namespace) -> int:
    """Pull from an API into a store (see analysis.fetch.cli)."""
    from analysis.fetch.cli import run_from_cli

    return run_from_cli(args)


def _lab(args: argparse.Namespace) -> int:
    """Start JupyterLab on the notebooks (see analysis.notebook.lab)."""
    from analysis.notebook.lab import start_lab

    return start_lab(args.notebooks, args.jupyter_args)


CONSOLE_SCRIPT = "militia-analysis"  # [project.scripts] in pyproject.toml


def program_name() -> str:
    """Name the command the way it was typed: the console script, or `python -m analysis`."""
    return CONSOLE_SCRIPT if Path(sys.argv[0]).name == CONSOLE_SCRIPT else "python -m analysis"


def parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback of an error instead of one line",
    )
    main_parser = argparse.ArgumentParser(
        prog=program_name(),
        description="Clean event tables of militia attacks and US responses, and report on them.",
        epilog=f"`{program_name()} COMMAND --help` describes a command. `python -m analysis` and the console script "
        f"`{CONSOLE_SCRIPT}` (installed with the package) run the same commands.",
        parents=[debug],
    )
    commands = main_parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser(
        "build",
        parents=[debug],
        help="clean data/raw into data/processed",
        description="Read every event table in the raw folder (and each fetched store's current snapshot), clean "
        "and validate it, and write events.parquet, "
        "casualties.parquet, quarantine.csv, unknown_names.csv, merges.csv, accounting.csv, corrections_applied.csv and manifest.json.",
    )
    build_parser.add_argument("--raw", type=Path, default=paths.RAW_DIR, help="raw folder (default: %(default)s)")
    build_parser.add_argument(
        "--out", type=Path, default=paths.PROCESSED_DIR, help="output folder (default: %(default)s)"
    )
    build_parser.set_defaults(handler=_build)
    from analysis.fetch.cli import add_fetch_arguments

    fetch_parser = commands.add_parser(
        "fetch", parents=[debug], help="pull ACLED or UCDP GED from their APIs into data/raw"
    )
    add_fetch_arguments(fetch_parser, parents=(debug,))
    fetch_parser.set_defaults(handler=_fetch)
    extract_parser = commands.add_parser(
        "extract",
        parents=[debug],
        help="propose incident-log rows from news articles or official statements",
        description="Read texts (plain text, Markdown or HTML) and write one candidate incident-log row per event "
        "they describe, with the evidence for each field, a confidence and the ids of log events it probably "
        "duplicates. Relative dates are resolved against the publication date: --published, else the file's "
        "date metadata or date line; a file with none is refused.",
    )
    extract_parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="text, Markdown or HTML files")
    extract_parser.add_argument(
        "--published",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="publication date of the texts (YYYY-MM-DD)",
    )
    extract_parser.add_argument(
        "--out", type=Path, default=None, metavar="CSV", help="candidates CSV (default: standard output)"
    )
    extract_parser.add_argument(
        "--no-matches", action="store_true", help="do not look for duplicates in data/raw/incidents.csv"
    )
    extract_parser.set_defaults(handler=_extract)
    from analysis.reporting.cli import add_report_arguments

    report_parser = commands.add_parser(
        "report",
        parents=[debug],
        help="run the report notebooks into HTML",
        description="Execute the report notebooks and write HTML reports.",
    )
    add_report_arguments(report_parser)
    report_parser.set_defaults(handler=_report)
    lab_parser = commands.add_parser(
        "lab",
        parents=[debug],
        help="open the notebooks in JupyterLab",
        description="Start JupyterLab (from this environment) on the report notebooks, each listed once (the jupytext "
        ".py pairs are hidden; saving a notebook updates its pair). As root, adds --allow-root and says so. Needs the "
        "lab extra: `bash scripts/lab.sh` installs it and runs this command.",
        epilog=f"example: {program_name()} lab -- --port 8890 --no-browser",
    )
    lab_parser.add_argument(
        "--notebooks", type=Path, default=paths.NOTEBOOKS_DIR, help="notebook folder (default: %(default)s)"
    )
    lab_parser.add_argument(
        "jupyter_args", nargs="*", metavar="JUPYTER_OPTION", help="more options for JupyterLab, after --"
    )
    lab_parser.set_defaults(handler=_lab)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: run a command, printing any failure as one `error:` line instead of a traceback."""
    args = parser().parse_args(argv)
    warnings.showwarning = _show_warning
    if getattr(args, "debug", False):
        return args.handler(args)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("error: interrupted; outputs that were being written are left as they were before", file=sys.stderr)
        return 130
    except Exception as error:  # the one boundary: every failure becomes one line (see the module docstring)
        message, status = error_line(error)
        print(message, file=sys.stderr)
        return status


def error_line(error: Exception) -> tuple[str, int]:
    """Return the one `error:` line a failure is shown as, and the exit status that goes with it.

    >>> error_line(PermissionError(13, "Permission denied", "data/raw/log.csv"))
    ('error: data/raw/log.csv: permission denied: give your user access to it (e.g. `chmod u+rw`) or use another folder', 2)
    """
    if isinstance(error, AnalysisError):
        return f"error: {error}", EXIT_INPUT_ERROR
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"error: {where}{describe_os_error(error)}", EXIT_INPUT_ERROR
    if type(error).__name__ in ("SchemaErrors", "SchemaError"):  # pandera: the cleaned tables break a rule
        return f"error: the cleaned tables fail validation:\n{error}", EXIT_INPUT_ERROR
    if isinstance(error, MemoryError):
        return "error: out of memory: close other programs or read fewer / smaller files at once", EXIT_INPUT_ERROR
    return (
        f"error: unexpected {type(error).__name__}: {error} (a bug in the package: run the command again with "
        "--debug and report the traceback)",
        EXIT_INTERNAL_ERROR,
    )
