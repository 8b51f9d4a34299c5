"""Errors that name the file, row, column and value a user has to fix."""

from __future__ import annotations

import errno
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


class OutputError(AnalysisError):
    """An output folder that cannot be written (permission, read-only file system, full disk)."""

    def __init__(self, path, message: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


# What a person can do about the operating-system errors a build or a report meets on real machines.
_ADVICE = {
    errno.EACCES: "permission denied: give your user access to it (e.g. `chmod u+rw`) or use another folder",
    errno.EPERM: "operation not permitted: give your user access to it or use another folder",
    errno.EROFS: "the file system is read-only: choose a writable folder (e.g. `--out /tmp/processed`)",
    errno.ENOSPC: "no space left on the device: free some space or choose a folder on another disk",
    errno.EDQUOT: "your disk quota is used up: free some space or choose a folder on another disk",
    errno.ENOENT: "no such file or folder: check the path",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
    errno.EISDIR: "is a folder where a file was expected: check the path",
    errno.EEXIST: "a file is in the way where a folder should be: choose another folder",
    errno.EMFILE: "too many open files: raise the limit (`ulimit -n`) or close other programs",
}


def describe_os_error(error: OSError) -> str:
    """Say in one line what an operating-system error means and what to do about it (no file name).

    >>> describe_os_error(OSError(errno.ENOSPC, "No space left on device"))
    'no space left on the device: free some space or choose a folder on another disk'
    """
    return _ADVICE.get(error.errno) or f"{error.strerror or error}".rstrip(".")


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
