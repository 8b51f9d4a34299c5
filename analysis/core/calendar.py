"""The period calendar every function that takes a period shares: one `freq` vocabulary, checked in one place.

    "W"  weeks from Saturday to Friday, labelled by their Saturday (as ACLED's weekly files)
    "M"  calendar months
    "Q"  calendar quarters
    "Y"  calendar years

The words week / month / quarter / year (and weekly, monthly, quarterly, yearly) are accepted for the letters,
in any case. pandas' own codes are refused on purpose: for pandas "W" means weeks ending on Sunday, which
would silently put a series a day off ACLED's weeks.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.errors import ParameterError

# freq -> pandas period code. "W-FRI" periods end on Friday, so each starts on a Saturday.
PANDAS_PERIODS = {"W": "W-FRI", "M": "M", "Q": "Q", "Y": "Y"}
PERIOD_WORDS = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}
PERIODS_PER_YEAR = {"W": 52, "M": 12, "Q": 4, "Y": 1}
_SPELLINGS = {
    **{code.casefold(): code for code in PANDAS_PERIODS},
    **{word: code for code, word in PERIOD_WORDS.items()},
    "weekly": "W",
    "monthly": "M",
    "quarterly": "Q",
    "yearly": "Y",
    "annual": "Y",
}


def check_freq(freq, allowed: tuple[str, ...] = tuple(PANDAS_PERIODS)) -> str:
    """Return the period letter a freq names ("W", "M", "Q", "Y"), or raise ParameterError listing the choices.

    >>> check_freq("month"), check_freq("w")
    ('M', 'W')
    >>> check_freq("MS")
    Traceback (most recent call last):
    ...
    analysis.core.errors.ParameterError: freq='MS' is not a period; use 'W' (weeks starting Saturday), 'M' (calendar months), 'Q' (calendar quarters), 'Y' (calendar years)
    """
    code = _SPELLINGS.get(str(freq).strip().casefold()) if isinstance(freq, str) else None
    if code is None or code not in allowed:
        choices = {
            "W": "'W' (weeks starting Saturday)",
            "M": "'M' (calendar months)",
            "Q": "'Q' (calendar quarters)",
            "Y": "'Y' (calendar years)",
        }
        raise ParameterError(f"freq={freq!r} is not a period; use {', '.join(choices[c] for c in allowed)}")
    return code


def period_word(freq) -> str:
    """Name a period in words ('W' -> 'week')."""
    return PERIOD_WORDS[check_freq(freq)]


def period_start(dates: pd.Series, freq) -> pd.Series:
    """Return the first day of the period holding each date (a Saturday for weeks).

    >>> period_start(pd.Series(pd.to_datetime(["2023-10-17", "2023-10-21"])), "W").dt.strftime("%a %Y-%m-%d").tolist()
    ['Sat 2023-10-14', 'Sat 2023-10-21']
    """
    return dates.dt.to_period(PANDAS_PERIODS[check_freq(freq)]).dt.start_time.astype("datetime64[ns]")


def period_last_day(starts: pd.Series, freq) -> pd.Series:
    """Return the last calendar day of each period, given its first day."""
    return starts.dt.to_period(PANDAS_PERIODS[check_freq(freq)]).dt.end_time.dt.normalize().astype("datetime64[ns]")


def period_grid(first: pd.Timestamp, last: pd.Timestamp, freq) -> pd.Series:
    """Return the start of every period from the one holding first to the one holding last (column period_start)."""
    code = PANDAS_PERIODS[check_freq(freq)]
    periods = pd.period_range(pd.Timestamp(first).to_period(code), pd.Timestamp(last).to_period(code))
    return pd.Series(pd.DatetimeIndex(periods.start_time.astype("datetime64[ns]")), name="period_start")


def covered_days(starts: pd.Series, freq, start=None, end=None) -> pd.Series:
    """Count the days of each period that lie inside [start, end] (a whole period when unbounded)."""
    first = starts if start is None else starts.clip(lower=start)
    last = period_last_day(starts, freq)
    last = last if end is None else last.clip(upper=end)
    return ((last - first).dt.days + 1).clip(lower=0).astype("Int64")


def period_label(starts: pd.Series, freq) -> pd.Series:
    """Write each period as people do: '2024', '2024 Q1', 'Jan 2024', 'week of 6 Jan 2024'.

    >>> period_label(pd.Series(pd.to_datetime(["2024-01-06"])), "W").tolist(), period_label(pd.Series(pd.to_datetime(["2024-04-01"])), "Q").tolist()
    (['week of 6 Jan 2024'], ['2024 Q2'])
    """
    code = check_freq(freq)
    dates = pd.to_datetime(starts)
    if code == "Y":
        text = dates.dt.strftime("%Y")
    elif code == "Q":
        text = dates.dt.year.astype("string") + " Q" + dates.dt.quarter.astype("string")
    elif code == "M":
        text = dates.dt.strftime("%b %Y")
    else:
        text = "week of " + dates.dt.day.astype("string") + dates.dt.strftime(" %b %Y")
    return text.astype("string")
