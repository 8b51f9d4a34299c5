"""Coverage for readers: how many of the officially counted attacks a selection holds, in one sentence."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.coverage import coverage_of_selection
from analysis.cleaning.official_counts import MEASURES, QUALIFIERS


def _day(value: pd.Timestamp) -> str:
    """Write a date as readers do ('17 Oct 2023')."""
    return f"{value.day} {value:%b %Y}"


def coverage_sentence(
    data,
    start=None,
    end=None,
    countries=None,
    *,
    measure: str = "attacks_on_us_forces",
    official: pd.DataFrame | None = None,
) -> str:
    """Say how many of the officially counted events of the selection's widest official window the data holds.

    >>> coverage_sentence(None, "2030-01-01", "2030-12-31", official=pd.DataFrame(columns=["measure"]))
    'No official count of attacks on US / coalition forces covers this selection, so its completeness cannot be checked against one.'
    """
    what = MEASURES[measure]
    chosen = (coverage_of_selection(data, start, end, countries, measure=measure, official=official)
              if data is not None else [])  # fmt: skip
    if len(chosen) == 0:
        return f"No official count of {what} covers this selection, so its completeness cannot be checked against one."
    figure = chosen.iloc[0]
    countries = figure["countries"].replace("; ", ", ")
    return (
        f"This selection holds {int(figure['data_count'])} of the {QUALIFIERS[figure['qualifier']]}"
        f"{int(figure['official_count'])} {what} that {figure['issuer']} counted in {countries} from "
        f"{_day(figure['window_start'])} to {_day(figure['window_end'])} ({figure['share']:.0%})."
    )


def describe(figure) -> str:
    """Write an official figure with its qualifier and window: 'more than 180 from 1 Oct 2023 to 30 Nov 2024'."""
    return (f"{QUALIFIERS[figure['qualifier']]}{int(figure['official_count'])} from {_day(figure['window_start'])} "
            f"to {_day(figure['window_end'])}")  # fmt: skip
