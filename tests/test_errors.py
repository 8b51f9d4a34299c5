"""The one whole-number check behind every count-like parameter (days, periods, incidents)."""

import math

import numpy as np
import pytest

import analysis as an
from analysis.analyses.trends import granger_causality, rolling_means
from analysis.core.errors import ParameterError, check_days, check_whole_number
from tests.factories import CONTESTED, make_data, weekly


@pytest.mark.parametrize("value, expected", [(3, 3), (3.0, 3), (np.int64(3), 3), (0, 0)])
def test_check_whole_number__accepts_whole_values_of_any_numeric_type(value, expected):
    result = check_whole_number("window", value, minimum=0, unit="periods")
    assert result == expected and type(result) is int


@pytest.mark.parametrize(
    "value, message",
    [
        (2.5, "window must be a whole number of periods, got 2.5"),
        ("4", "window must be a whole number of periods, got '4'"),
        (True, "window must be a whole number of periods, got True"),
        (math.nan, "window must be a whole number of periods, got nan"),
        (math.inf, "window must be a whole number of periods, got inf"),
        (None, "window must be a whole number of periods, got None"),
        (0, "window must be 1 or more, got 0"),
    ],
)
def test_check_whole_number__names_parameter_unit_and_value(value, message):
    with pytest.raises(ParameterError) as raised:
        check_whole_number("window", value, minimum=1, unit="periods")
    assert str(raised.value) == message


def test_check_days__keeps_its_messages():
    with pytest.raises(ParameterError, match="^window_days must not be negative, got -1$"):
        check_days("window_days", -1)
    with pytest.raises(ParameterError, match="^window_days must be a whole number of days, got 1.5$"):
        check_days("window_days", 1.5)


def test_trend_and_casualty_parameters__share_the_check():
    """numpy integers (what a loop over np.arange gives) are accepted everywhere, fractions refused everywhere."""
    counts = weekly(np.arange(30) % 4)
    assert rolling_means(counts, window=np.int64(4)).ok
    with pytest.raises(ParameterError, match="^window must be a whole number of periods, got 2.5$"):
        rolling_means(counts, window=2.5)
    with pytest.raises(ParameterError, match="^lags must be 1 or more, got 0$"):
        granger_causality(counts, lags=0)
    with pytest.raises(ParameterError, match="^n must be a whole number of incidents, got 2.5$"):
        an.deadliest_incidents(make_data(CONTESTED), n=2.5)
    assert len(an.deadliest_incidents(make_data(CONTESTED), n=np.int64(1))) == 1
