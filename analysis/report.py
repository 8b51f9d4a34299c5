"""`python -m analysis report`: entry points the command line imports (the runner is analysis.reporting)."""
from __future__ import annotations

from .reporting.cli import add_report_arguments, run_from_cli

__all__ = ["add_report_arguments", "run_from_cli"]
