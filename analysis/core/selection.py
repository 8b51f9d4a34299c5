"""Selections every analysis and notebook shares: a date range and a set of countries."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.core.arrays import is_in
from analysis.core.errors import ParameterError
from analysis.core.spec import COUNTRY_TIMEZONES


def parse_period(start=None, end=None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Parse optional start / end dates, refusing an end before the start."""
    bounds = []
    for name, value in (("start", start), ("end", end)):
        try:
            bounds.append(None if value in (None, "") else pd.Timestamp(value).normalize())
        except (ValueError, TypeError) as error:
            reason = str(error).split(":")[0] if "out of range" in str(error) else "write it as YYYY-MM-DD"
            raise ParameterError(f"{name}={value!r} is not a date ({reason})") from None
    if bounds[0] is not None and bounds[1] is not None and bounds[1] < bounds[0]:
        raise ParameterError(f"end {end!r} is before start {start!r}")
    return bounds[0], bounds[1]


def known_countries(countries: str | Iterable[str], known: Iterable[str]) -> list[str]:
    """Return the countries as the data spell them (in any case), refusing a name none of them has.

    >>> known_countries(["iraq", "Syria"], ["Iraq", "Syria", "Jordan"])
    ['Iraq', 'Syria']
    """
    import difflib

    by_key = {name.casefold(): name for name in known}
    countries = [countries] if isinstance(countries, str) else list(countries)
    unknown = [c for c in countries if str(c).strip().casefold() not in by_key]
    if unknown:
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(str(name).strip().casefold(), list(by_key), n=1, cutoff=0.6)
            hints.append(f"{name!r}" + (f" (did you mean {by_key[close[0]]!r}?)" if close else ""))
        raise ParameterError(f"unknown countries: {', '.join(hints)}; the data know {sorted(by_key.values())}")
    return [by_key[str(c).strip().casefold()] for c in countries]


def filter_events(events: pd.DataFrame, start=None, end=None, countries: Iterable[str] | None = None) -> pd.DataFrame:
    """Keep events dated within [start, end] (inclusive) and in the given countries (None: all)."""
    start, end = parse_period(start, end)
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["event_date"] >= start
    if end is not None:
        keep &= events["event_date"] <= end
    if countries:
        present = set(events["country"].dropna())
        countries = known_countries(countries, present | set(COUNTRY_TIMEZONES))
        if not present & set(countries):
            raise ParameterError(f"no events in countries {sorted(countries)}; the data has {sorted(present)}")
        keep &= events["country"].isin(countries)
    return events[keep]


def filter_data(data, start=None, end=None, countries=None):
    """Return a copy of EventData restricted to the selected events (casualties follow their events)."""
    from dataclasses import replace

    events = filter_events(data.events, start, end, countries)
    return replace(
        data, events=events, casualties=data.casualties[is_in(data.casualties["event_id"], events["event_id"])]
    )
