"""Small pure steps shared by every reader: date bounds, local time to UTC, region checks, problem tables."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd

from analysis.core.spec import COUNTRY_TIMEZONES
from analysis.core.tables import QUARANTINE_COLUMNS, conform

# A box around Iraq, Syria and Jordan; coordinates outside it are a coding error in this project's scope.
REGION_LATITUDE = (29.0, 37.5)
REGION_LONGITUDE = (34.5, 49.0)
_HALF_WEEK = pd.Timedelta(days=3)


def date_bounds(event_date: pd.Series, precision: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return the earliest and latest true date an event can have, given its recorded date and precision.

    day: the date itself; week: three days either side; month: the calendar month; year: the calendar year.
    """
    dates = pd.to_datetime(event_date)
    month_start = dates.dt.to_period("M").dt.start_time.astype(dates.dtype)
    month_end = dates.dt.to_period("M").dt.end_time.dt.normalize().astype(dates.dtype)
    year_start = dates.dt.to_period("Y").dt.start_time.astype(dates.dtype)
    year_end = dates.dt.to_period("Y").dt.end_time.dt.normalize().astype(dates.dtype)
    earliest = dates.where(precision.eq("day") | precision.isna())
    latest = earliest.copy()
    for name, low, high in (
        ("week", dates - _HALF_WEEK, dates + _HALF_WEEK),
        ("month", month_start, month_end),
        ("year", year_start, year_end),
    ):
        is_this = precision.eq(name).fillna(False)
        earliest = earliest.mask(is_this, low)
        latest = latest.mask(is_this, high)
    return earliest, latest


def local_to_utc(day: dt.date | None, time: dt.time | None, country: str | None) -> pd.Timestamp | None:
    """Combine a local date and clock time in a country's zone into a UTC timestamp (None when unknown)."""
    if day is None or time is None or country not in COUNTRY_TIMEZONES:
        return None
    local = dt.datetime.combine(day, time, tzinfo=ZoneInfo(COUNTRY_TIMEZONES[country]))
    return pd.Timestamp(local).tz_convert("UTC")


def is_in_region(latitude: pd.Series, longitude: pd.Series) -> pd.Series:
    """Flag coordinates inside the Iraq-Syria-Jordan box (missing coordinates count as inside)."""
    inside = latitude.between(*REGION_LATITUDE) & longitude.between(*REGION_LONGITUDE)
    return (inside | latitude.isna() | longitude.isna()).fillna(True).astype(bool)


def problem_rows(source_file: str, rows: pd.Series, column: str, values: pd.Series, reasons: pd.Series) -> pd.DataFrame:
    """Build quarantine rows for every non-null reason, naming file, row, column and value."""
    has_reason = reasons.notna()
    return conform(
        pd.DataFrame(
            {
                "source_file": source_file,
                "source_row": rows[has_reason],
                "column": column,
                "value": values[has_reason].map(lambda v: None if v is None or v is pd.NA else str(v)),
                "reason": reasons[has_reason],
            }
        ),
        QUARANTINE_COLUMNS,
    )
