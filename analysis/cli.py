"""Command line: `python -m analysis build`, `report` and `lab` (each with --help); the same as `militia-analysis`."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from analysis import paths
from analysis.core.errors import AnalysisError


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


def _report(args: argparse.Namespace) -> int:
    """Run the report notebooks (see analysis.reporting.cli)."""
    from analysis.reporting.cli import run_from_cli

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
    main_parser = argparse.ArgumentParser(
        prog=program_name(),
        description="Clean event tables of militia attacks and US responses, and report on them.",
        epilog=f"`{program_name()} COMMAND --help` describes a command. `python -m analysis` and the console script "
        f"`{CONSOLE_SCRIPT}` (installed with the package) run the same commands.",
    )
    commands = main_parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser(
        "build",
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
            help="run the report notebooks into HTML",
            description="Execute the report notebooks and write HTML reports.",
        )
        add_report_arguments(report_parser)
        report_parser.set_defaults(handler=_report)
    lab_parser = commands.add_parser(
        "lab",
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
    """Entry point: run a command, printing errors in data as one message instead of a traceback."""
    args = parser().parse_args(argv)
    warnings.showwarning = _show_warning
    try:
        return args.handler(args)
    except AnalysisError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # schema failures and other data errors still get one readable line
        if type(error).__name__ in ("SchemaErrors", "SchemaError"):
            print(f"error: the cleaned tables fail validation:\n{error}", file=sys.stderr)
            return 2
        raise
