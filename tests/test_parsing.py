"""Unit tests for the cell parsers: dates, local times, counts and casualty claims."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cleaning.cells import (
    CellError,
    CountRange,
    parse_claims,
    parse_count,
    parse_date,
    parse_local_time,
    parse_unique,
    plausible_date_window,
)

AUG_24 = dt.date(2022, 8, 24)


@pytest.mark.parametrize(
    "text",
    [
        "2022-08-24",
        "2022/08/24",
        "24 August 2022",
        "24 Aug 2022",
        "24th August 2022",
        "Aug 24, 2022",
        "August 24 2022",
        "Aug. 24, 2022",
        "Sept 24, 2022".replace("Sept", "Aug"),
        "Wednesday, 24 August 2022",
        "24/08/2022",
        "08/24/2022",
        "24.08.2022",
        "  24  August   2022 ",
        "2022-08-24 00:00:00",
    ],
)
def test_parse_date__accepted_forms(text):
    assert parse_date(text) == AUG_24


def test_parse_date__equal_day_and_month_is_unambiguous():
    assert parse_date("05/05/2022") == dt.date(2022, 5, 5)


def test_parse_date__excel_datetime_passes_through():
    assert parse_date(pd.Timestamp("2022-08-24 00:00")) == AUG_24


@pytest.mark.parametrize(
    "text, words",
    [
        ("03/04/2022", "ambiguous"),
        ("31 February 2022", "impossible"),
        ("2022-13-01", "impossible"),
        ("31/31/2022", "impossible"),
        ("24 Agosto 2022", "unrecognised month"),
        ("last Tuesday", "unrecognised date"),
        ("", "blank"),
    ],
)
def test_parse_date__refused_with_reason(text, words):
    with pytest.raises(CellError, match=words):
        parse_date(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("19:20", dt.time(19, 20)),
        ("7:20 p.m.", dt.time(19, 20)),
        ("7 am", dt.time(7, 0)),
        ("12:05 am", dt.time(0, 5)),
        ("12:30 PM", dt.time(12, 30)),
        ("0930".replace("0930", "09.30"), dt.time(9, 30)),
    ],
)
def test_parse_local_time__forms(text, expected):
    assert parse_local_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13:00 pm", "noon-ish", "19:61"])
def test_parse_local_time__refused(text):
    with pytest.raises(CellError):
        parse_local_time(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3", CountRange(3, 3, 3)),
        ("at least 17", CountRange(17, 17, None)),
        ("At least seventeen", CountRange(17, 17, None)),
        ("17+", CountRange(17, 17, None)),
        ("more than 17", CountRange(18, 18, None)),
        ("2-3", CountRange(2, 2, 3)),
        ("2 to 3", CountRange(2, 2, 3)),
        ("two or three", CountRange(2, 2, 3)),
        ("one", CountRange(1, 1, 1)),
        ("a dozen", CountRange(12, 12, 12)),
        ("dozens", CountRange(12, 12, None)),
        ("none", CountRange(0, 0, 0)),
        ("0", CountRange(0, 0, 0)),
        (4.0, CountRange(4, 4, 4)),
    ],
)
def test_parse_count__forms(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "unknown", "Unknown", "?", None, float("nan")])
def test_parse_count__blank_or_unknown_is_na_not_zero(text):
    assert parse_count(text) is None


@pytest.mark.parametrize(
    "text, words",
    [
        ("3-2", "low > high"),
        ("-3", "negative"),
        ("a few", "unrecognised count 'a few'"),
        ("3 or 4 or 5", "unrecognised"),
        (2.5, "whole numbers"),
        (-1, "negative"),
    ],
)
def test_parse_count__refused_with_cell_quoted(text, words):
    with pytest.raises(CellError, match=words):
        parse_count(text)


def test_parse_claims__competing_claims_kept_with_claimants():
    claims = parse_claims("1 [militia official]; at least 17 [local sources]", "DoD")
    assert [(c.claimant, c.count) for c in claims] == [
        ("militia official", CountRange(1, 1, 1)),
        ("local sources", CountRange(17, 17, None)),
    ]


def test_parse_claims__default_claimant_and_unknown_claims_dropped():
    claims = parse_claims("2; unknown [SOHR]", "CENTCOM")
    assert [(c.claimant, c.count.best) for c in claims] == [("CENTCOM", 2)]


def test_parse_claims__empty_brackets_refused():
    with pytest.raises(CellError, match="empty claimant"):
        parse_claims("2 []", "CENTCOM")


def test_parse_unique__aligns_values_and_reasons():
    values, reasons = parse_unique(pd.Series(["2022-08-24", "03/04/2022", None, "2022-08-24"]), parse_date)
    assert list(values) == [AUG_24, None, None, AUG_24]
    assert reasons.notna().tolist() == [False, True, False, False]


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.from_regex(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", fullmatch=True),
        st.from_regex(r"\d{1,2} [A-Za-z]{3,9},? \d{4}", fullmatch=True),
    )
)
def test_parse_date__any_string_parses_or_gives_reason(text):
    try:
        result = parse_date(text)
    except CellError as error:
        assert str(error)
    else:
        assert isinstance(result, dt.date)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.from_regex(r"(at least |more than )?\d{1,4}(\+| ?- ?\d{1,4})?", fullmatch=True),
        st.from_regex(r"[a-z ]{0,20}( or | to )[a-z]{0,8}", fullmatch=True),
    )
)
def test_parse_count__any_string_parses_or_gives_reason(text):
    try:
        result = parse_count(text)
    except CellError as error:
        assert str(error)
    else:
        assert result is None or (
            0 <= result.low <= result.best and (result.high is None or result.best <= result.high)
        )


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_parse_count__ranges_keep_their_order(low, high):
    text = f"{low}-{high}"
    if low > high:
        with pytest.raises(CellError, match="low > high"):
            parse_count(text)
    else:
        assert parse_count(text) == CountRange(low, low, high)


@settings(max_examples=200, deadline=None)
@given(st.dates(*plausible_date_window()))
def test_parse_date__iso_and_written_forms_round_trip(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d %B %Y")) == day
    assert parse_date(day.strftime("%b %d, %Y")) == day
