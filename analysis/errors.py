"""Errors that name the file, row, column and value a user has to fix."""
from __future__ import annotations

import numbers


class AnalysisError(Exception):
    """Base class for errors the command line prints as one readable message."""


class InputError(AnalysisError):
    """A raw input file that cannot be read as any known event table."""

    def __init__(self, path, message: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


class ParameterError(AnalysisError, ValueError):
    """A bad argument to an analysis function or report (negative window, unknown strategy, ...)."""


def describe_cell(path, row, column, value) -> str:
    """Format the place of a bad value the way every message in the package does."""
    return f"{path}, row {row}, column '{column}', value {value!r}"


def check_days(name: str, value) -> int:
    """Return a whole, non-negative number of days, or raise ParameterError naming the parameter."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, float)) or value != value:
        raise ParameterError(f"{name} must be a whole number of days, got {value!r}")
    if value < 0:
        raise ParameterError(f"{name} must not be negative, got {value!r}")
    if float(value) != int(value):
        raise ParameterError(f"{name} must be a whole number of days, got {value!r}")
    return int(value)
