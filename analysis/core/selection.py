"""Selections every analysis and notebook shares: a date range and a set of countries."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.core.arrays import is_in
from analysis.core.errors import ParameterError


def parse_period(start=None, end=None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Parse optional start / end dates, refusing an end before the start."""
    bounds = []
    for name, value in (("start", start), ("end", end)):
        try:
            bounds.append(None if value in (None, "") else pd.Timestamp(value).normalize())
        except (ValueError, TypeError):
            raise ParameterError(f"{name}={value!r} is not a date; write it as YYYY-MM-DD") from None
    if bounds[0] is not None and bounds[1] is not None and bounds[1] < bounds[0]:
        raise ParameterError(f"end {end!r} is before start {start!r}")
    return bounds[0], bounds[1]


def filter_events(events: pd.DataFrame, start=None, end=None, countries: Iterable[str] | None = None) -> pd.DataFrame:
    """Keep events dated within [start, end] (inclusive) and in the given countries (None: all)."""
    start, end = parse_period(start, end)
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["event_date"] >= start
    if end is not None:
        keep &= events["event_date"] <= end
    if countries:
        countries = [countries] if isinstance(countries, str) else list(countries)
        unknown = sorted(set(countries) - set(events["country"].dropna()))
        if len(unknown) == len(countries):
            raise ParameterError(
                f"no events in countries {unknown}; the data has {sorted(events['country'].dropna().unique())}"
            )
        keep &= events["country"].isin(countries)
    return events[keep]


def filter_data(data, start=None, end=None, countries=None):
    """Return a copy of EventData restricted to the selected events (casualties follow their events)."""
    from dataclasses import replace

    events = filter_events(data.events, start, end, countries)
    return replace(
        data, events=events, casualties=data.casualties[is_in(data.casualties["event_id"], events["event_id"])]
    )
