"""Command line: `python -m analysis build` and `python -m analysis report` (each with --help).

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

    manifest = build(args.raw, args.out)
    print(format_summary(manifest, args.out))
    return 0 if manifest["totals"]["unaccounted"] == 0 else 1


def _report(args: argparse.Namespace) -> int:
    """Run the report notebooks (see analysis.reporting.cli)."""
    from analysis.reporting.cli import run_from_cli

    return run_from_cli(args)


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
        prog="python -m analysis",
        description="Clean event tables of militia attacks and US responses, and report on them.",
        parents=[debug],
    )
    commands = main_parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser(
        "build",
        parents=[debug],
        help="clean data/raw into data/processed",
        description="Read every event table in the raw folder, clean and validate it, and write events.parquet, "
        "casualties.parquet, quarantine.csv, unknown_names.csv, merges.csv, accounting.csv and manifest.json.",
    )
    build_parser.add_argument("--raw", type=Path, default=paths.RAW_DIR, help="raw folder (default: %(default)s)")
    build_parser.add_argument(
        "--out", type=Path, default=paths.PROCESSED_DIR, help="output folder (default: %(default)s)"
    )
    build_parser.set_defaults(handler=_build)
    try:
        from analysis.reporting.cli import add_report_arguments
    except ImportError:  # the report runner is optional until its module exists
        add_report_arguments = None
    if add_report_arguments:
        report_parser = commands.add_parser(
            "report",
            parents=[debug],
            help="run the report notebooks into HTML",
            description="Execute the report notebooks and write HTML reports.",
        )
        add_report_arguments(report_parser)
        report_parser.set_defaults(handler=_report)
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
