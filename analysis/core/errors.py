"""Errors that name the file, row, column and value a user has to fix."""

from __future__ import annotations

import math
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


def check_whole_number(name: str, value, *, minimum: int = 0, unit: str = "days") -> int:
    """Return a whole number of `unit` (3, 3.0, numpy integers) of at least `minimum`, or raise ParameterError.

    >>> check_whole_number("window", 4.0, minimum=1, unit="periods")
    4
    >>> check_whole_number("window", 0, minimum=1, unit="periods")
    Traceback (most recent call last):
    ...
    analysis.core.errors.ParameterError: window must be 1 or more, got 0
    """
    is_number = isinstance(value, (numbers.Integral, float)) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value) or float(value) != int(value):
        raise ParameterError(f"{name} must be a whole number of {unit}, got {value!r}")
    if value < minimum:
        bound = "must not be negative" if minimum == 0 else f"must be {minimum} or more"
        raise ParameterError(f"{name} {bound}, got {value!r}")
    return int(value)


def check_days(name: str, value) -> int:
    """Return a whole, non-negative number of days, or raise ParameterError naming the parameter."""
    return check_whole_number(name, value, minimum=0, unit="days")


def check_names(name: str, value) -> list[str]:
    """Return None, one name or an iterable of names as a list of names, or raise ParameterError naming the parameter.

    >>> check_names("by", "side"), check_names("by", ["side", "outcome"]), check_names("by", None)
    (['side'], ['side', 'outcome'], [])
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        names = list(value)
    except TypeError:
        raise ParameterError(f"{name}={value!r} must be a name or a list of names") from None
    if not all(isinstance(item, str) for item in names):
        raise ParameterError(f"{name}={value!r} must be a name or a list of names")
    return names
