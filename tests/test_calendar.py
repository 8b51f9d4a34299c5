"""Unit tests for the one period vocabulary (analysis.core.calendar)."""

import pandas as pd
import pytest

from analysis.core import calendar
from analysis.core.errors import ParameterError


@pytest.mark.parametrize(
    "spelling, code",
    [
        ("W", "W"),
        ("w", "W"),
        ("week", "W"),
        ("Weekly", "W"),
        ("M", "M"),
        ("month", "M"),
        ("Q", "Q"),
        ("quarterly", "Q"),
        ("Y", "Y"),
        ("annual", "Y"),
    ],
)
def test_check_freq__accepts_letters_and_words(spelling, code):
    assert calendar.check_freq(spelling) == code


@pytest.mark.parametrize("bad", ["MS", "W-SUN", "D", "fortnight", "", None, 7])
def test_check_freq__refuses_pandas_codes_and_others(bad):
    with pytest.raises(ParameterError, match="is not a period"):
        calendar.check_freq(bad)


def test_check_freq__refuses_a_period_the_caller_does_not_offer():
    with pytest.raises(ParameterError, match="use 'W' .*, 'M' .*$"):
        calendar.check_freq("Y", allowed=("W", "M"))


def test_period_start__weeks_start_on_saturday_not_monday_or_sunday():
    days = pd.Series(pd.date_range("2024-01-05", "2024-01-13"))  # Fri 5 .. Sat 13 Jan
    starts = calendar.period_start(days, "W")
    assert starts.dt.day_name().unique().tolist() == ["Saturday"]
    assert starts.dt.day.tolist() == [30, 6, 6, 6, 6, 6, 6, 6, 13]


def test_period_grid__is_gapless_and_covers_both_ends():
    grid = calendar.period_grid(pd.Timestamp("2023-11-15"), pd.Timestamp("2024-02-01"), "M")
    assert grid.dt.strftime("%Y-%m-%d").tolist() == ["2023-11-01", "2023-12-01", "2024-01-01", "2024-02-01"]


def test_covered_days__counts_only_days_inside_the_selection():
    starts = pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01"]))
    days = calendar.covered_days(starts, "M", start=pd.Timestamp("2024-01-20"), end=pd.Timestamp("2024-02-10"))
    assert days.tolist() == [12, 10]


@pytest.mark.parametrize(
    "freq, label", [("W", "week of 6 Jan 2024"), ("M", "Jan 2024"), ("Q", "2024 Q1"), ("Y", "2024")]
)
def test_period_label__reads_as_people_write_periods(freq, label):
    assert calendar.period_label(pd.Series(pd.to_datetime(["2024-01-06"])), freq).tolist() == [label]
