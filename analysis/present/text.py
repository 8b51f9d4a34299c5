"""Words for readers: dates, counts, lists, shares and parameters written as a person writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis import paths

DATE_PARAMETERS = ("start", "end")
PARAMETER_NAMES = {"countries": "countries", "start": "from", "end": "to", "data": "data"}


def day_text(value) -> str:
    """Write a date as '17 Oct 2023' ('' when missing).

    >>> day_text("2023-10-17"), day_text(None)
    ('17 Oct 2023', '')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return ""
    day = pd.Timestamp(value)
    return f"{day.day} {day:%b %Y}"


def list_text(items) -> str:
    """Join names as a sentence does: 'Iraq', 'Iraq and Syria', 'Iraq, Syria and Jordan'.

    >>> list_text(["Iraq", "Syria", "Jordan"]), list_text(["Iraq"]), list_text([])
    ('Iraq, Syria and Jordan', 'Iraq', '')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def count_text(number: int, singular: str, plural: str | None = None) -> str:
    """Write a count with its noun: '1 attack', '3 attacks', '1,204 attacks'.

    >>> count_text(1, "attack"), count_text(1204, "attack"), count_text(2, "strike wave", "strike waves")
    ('1 attack', '1,204 attacks', '2 strike waves')
    """
    return f"{number:,} {singular if number == 1 else (plural or singular + 's')}"


def share_text(part: int, whole: int) -> str:
    """Write a part of a whole with its percentage: '39 of 299 (13%)'.

    >>> share_text(39, 299), share_text(0, 0)
    ('39 of 299 (13%)', '0 of 0')
    """
    return f"{part:,} of {whole:,}" + (f" ({part / whole:.0%})" if whole else "")


def interval_text(value: float, low: float, high: float, *, percent: bool = False, digits: int = 0) -> str:
    """Write an estimate with its interval: '8 days (95% interval 5 to 12)', '13% (10% to 17%)'.

    >>> interval_text(0.1304, 0.0969, 0.1733, percent=True)
    '13% (95% interval 10% to 17%)'
    """

    def one(number: float) -> str:
        return f"{number:.{digits}%}" if percent else f"{number:,.{digits}f}"

    if any(pd.isna(v) for v in (low, high)):
        return one(value)
    return f"{one(value)} (95% interval {one(low)} to {one(high)})"


def data_text(value) -> str:
    """Name a data source without the machine's paths: 'data/processed', a project-relative path, or a file name.

    >>> data_text(""), data_text(str(paths.PROJECT_DIR / "data" / "raw" / "incidents.csv")), data_text("/tmp/x/acled.csv")
    ('data/processed', 'data/raw/incidents.csv', 'acled.csv')
    """
    if value in (None, ""):
        return "data/processed"
    path = Path(str(value))
    try:
        return str(path.resolve().relative_to(paths.PROJECT_DIR))
    except ValueError:
        return path.name or str(value)


def parameter_text(name: str, value) -> str:
    """Write one parameter's value as a person writes it (dates in words, lists joined, paths without folders).

    >>> parameter_text("countries", ["Iraq", "Syria", "Jordan"]), parameter_text("start", "2023-10-17")
    ('Iraq, Syria and Jordan', '17 Oct 2023')
    >>> parameter_text("same", ""), parameter_text("horizon_days", 14), parameter_text("exclude_claimants", [])
    ('(none)', '14', '(none)')
    """
    if name == "data":
        return data_text(value)
    if name in DATE_PARAMETERS and isinstance(value, (str, dt.date)) and value:
        try:
            return day_text(value)
        except ValueError:
            return str(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {parameter_text(k, v) if not isinstance(v, list) else ' to '.join(day_text(x) for x in v)}"
                         for k, v in value.items()) or "(none)"  # fmt: skip
    if isinstance(value, (list, tuple)):
        if name.endswith("dates"):
            value = [day_text(v) for v in value]
        return list_text(value) if value else "(none)"
    if value in ("", None):
        return "(none)"
    return str(value)


def selection_title(parameters: Mapping[str, object]) -> str:
    """Describe a selection in words: '17 Oct 2023 to 4 Feb 2024, Iraq, Syria and Jordan'.

    >>> selection_title({"start": "2023-10-17", "end": "2024-02-04", "countries": ["Iraq", "Syria", "Jordan"]})
    '17 Oct 2023 to 4 Feb 2024, Iraq, Syria and Jordan'
    """
    start, end = parameters.get("start"), parameters.get("end")
    when = " to ".join(day_text(d) for d in (start, end) if d) if (start or end) else "all dates"
    if start and not end:
        when = f"from {day_text(start)}"
    elif end and not start:
        when = f"up to {day_text(end)}"
    countries = parameters.get("countries") or []
    where = list_text(countries) if countries else "all countries"
    return f"{when}, {where}"
