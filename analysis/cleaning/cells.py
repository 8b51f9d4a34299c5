"""Parsers for the messy cells of hand-kept logs: dates, local times and casualty counts.

Each scalar parser returns a value or raises ``CellError`` with a reason a person can act on; nothing here
guesses. ``parse_unique`` applies a scalar parser once per distinct value, which keeps large files fast.

Two plausibility rules hold for every reader (the incident log, ACLED, UCDP GED, ACLED weekly files and
official_counts.csv), so a typing slip is never accepted as data and never crashes a build:

* a date must lie within ``plausible_date_window()``: from ``EARLIEST_PLAUSIBLE_DATE`` (1989-01-01, the first
  day UCDP GED covers; no source this package reads is older) to today + ``DAYS_AHEAD_ALLOWED`` (1: a date in
  Iraq can already be tomorrow where the analyst is). A date outside it is refused (a quarantine row in an event
  table, an error naming the cell in the others), never a warning;
* a count (killed, wounded, munitions, fatalities, deaths) must be at most ``MAX_PLAUSIBLE_COUNT`` (1,000,000).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.text import clean_text


class CellError(ValueError):
    """A cell whose text cannot be read; the message is the quarantine reason."""


# ---------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]+)\.?"
_ISO = re.compile(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?:[ T]00:00(?::00)?)?$")
# '24 August 2022', '24th of Aug. 2022', and what spreadsheets write for ACLED's dates: '9-May-20', '09-May-2020'
_DAY_MONTH_NAME = re.compile(
    rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?|-){_MONTH}(?:,?\s+|-)(?P<year>\d{{4}}|\d{{2}})$"
)
_MONTH_NAME_DAY = re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$")
_NUMERIC = re.compile(r"^(?P<first>\d{1,2})[/.-](?P<second>\d{1,2})[/.-](?P<year>\d{4})$")
_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+", re.IGNORECASE)


EARLIEST_PLAUSIBLE_DATE = dt.date(1989, 1, 1)
DAYS_AHEAD_ALLOWED = 1


def plausible_date_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Return the first and last dates any cell may hold (see the module docstring).

    >>> plausible_date_window(dt.date(2025, 3, 1))
    (datetime.date(1989, 1, 1), datetime.date(2025, 3, 2))
    """
    today = today or dt.date.today()
    return EARLIEST_PLAUSIBLE_DATE, today + dt.timedelta(days=DAYS_AHEAD_ALLOWED)


def check_plausible_date(day: dt.date, text: str) -> dt.date:
    """Return day, or raise CellError when it lies outside plausible_date_window()."""
    earliest, latest = plausible_date_window()
    if not earliest <= day <= latest:
        raise CellError(
            f"implausible date {text!r}: {day.isoformat()} is outside {earliest.isoformat()} .. {latest.isoformat()}"
            " (the earliest date any source covers to tomorrow); check the year"
        )
    return day


def _full_year(digits: str, text: str) -> int:
    """Read a year of four digits, or of two (the one century that puts it inside the plausible window).

    >>> _full_year("20", "9-May-20"), _full_year("97", "9-May-97")
    (2020, 1997)
    """
    if len(digits) == 4:
        return int(digits)
    earliest, latest = plausible_date_window()
    for year in (2000 + int(digits), 1900 + int(digits)):
        if earliest.year <= year <= latest.year:
            return year
    raise CellError(
        f"implausible date {text!r}: the two-digit year {digits!r} is neither 19{digits} nor 20{digits} within "
        f"{earliest.year}-{latest.year}; write the year in full"
    )


def _checked_date(year: int, month: int, day: int, text: str) -> dt.date:
    """Build a date or explain why the calendar has no such day."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"impossible date {text!r}: there is no day {day} in month {month} of {year}") from None


def _month_number(name: str, text: str) -> int:
    """Return the month number for an English month name or abbreviation."""
    try:
        return _MONTHS[name.casefold()]
    except KeyError:
        raise CellError(f"unrecognised month {name!r} in date {text!r}") from None


def parse_date(value, *, day_first: bool | None = None) -> dt.date:
    """Parse one date cell; raise CellError for blank, ambiguous, impossible, implausible or unknown forms.

    ``day_first`` settles numeric dates such as 5/9/2020 when the column's other dates prove the order
    (numeric_date_order); without it only a part above 12 or two equal parts do.

    >>> parse_date("24 August 2022"), parse_date("Aug 24, 2022"), parse_date("24/08/2022")
    (datetime.date(2022, 8, 24), datetime.date(2022, 8, 24), datetime.date(2022, 8, 24))
    >>> parse_date("9-May-20"), parse_date("09-May-2020"), parse_date("5/9/2020", day_first=False)
    (datetime.date(2020, 5, 9), datetime.date(2020, 5, 9), datetime.date(2020, 5, 9))
    """
    if not isinstance(value, str) and pd.isna(value):
        raise CellError("date is blank")
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return check_plausible_date(value.date(), str(value))
    if isinstance(value, dt.date):
        return check_plausible_date(value, str(value))
    text = clean_text(value)
    if text is None:
        raise CellError("date is blank")
    return check_plausible_date(_parse_date_text(text, day_first), text)


def _parse_date_text(text: str, day_first: bool | None) -> dt.date:
    """Read a date written as text (see parse_date), without the plausibility check."""
    body = _WEEKDAY_PREFIX.sub("", text)
    if match := _ISO.match(body):
        return _checked_date(int(match["year"]), int(match["month"]), int(match["day"]), text)
    if match := _DAY_MONTH_NAME.match(body) or _MONTH_NAME_DAY.match(body):
        year = _full_year(match["year"], text)
        return _checked_date(year, _month_number(match["month"], text), int(match["day"]), text)
    if match := _NUMERIC.match(body):
        first, second, year = int(match["first"]), int(match["second"]), int(match["year"])
        if day_first is not None and first <= 12 and second <= 12:
            # the column's other dates settle the order (see numeric_date_order)
            day, month = (first, second) if day_first else (second, first)
            return _checked_date(year, month, day, text)
        return _parse_numeric_date(first, second, year, text)
    raise CellError(f"unrecognised date {text!r}: write it as 2022-08-24, '24 August 2022' or 'Aug 24, 2022'")


def numeric_date_order(values) -> bool | None:
    """Tell from a column's numeric dates whether it writes day first (True), month first (False) or cannot tell.

    One date with a first part above 12 ('16/05/2025') proves day-first for the whole column, one with a
    second part above 12 proves month-first; a column with both (or neither) settles nothing.

    >>> numeric_date_order(["16/05/2025", "03/04/2025"]), numeric_date_order(["05/16/2025"]), numeric_date_order(["03/04/2025"])
    (True, False, None)
    """
    day_first = month_first = False
    for value in values:
        text = clean_text(value) if isinstance(value, str) else None
        if text and (match := _NUMERIC.match(_WEEKDAY_PREFIX.sub("", text))):
            day_first |= int(match["first"]) > 12
            month_first |= int(match["second"]) > 12
    return day_first if day_first != month_first else None


def _parse_numeric_date(first: int, second: int, year: int, text: str) -> dt.date:
    """Read d/m/y or m/d/y only when a part above 12 or two equal parts make the order certain."""
    if first > 12 and second > 12:
        raise CellError(f"impossible date {text!r}: neither {first} nor {second} is a month")
    if first == second or second > 12:
        return _checked_date(year, first, second, text)  # month/day order
    if first > 12:
        return _checked_date(year, second, first, text)  # day/month order
    raise CellError(
        f"ambiguous date {text!r}: it could be day {first} of month {second} or day {second} of month "
        f"{first}; write it as {year}-MM-DD"
    )


# ---------------------------------------------------------------- times

_TIME_24H = re.compile(r"^(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?$")
_TIME_12H = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>a\.?m\.?|p\.?m\.?)$", re.IGNORECASE)


def parse_local_time(value) -> dt.time:
    """Parse a local clock time ('19:20', '7:20 p.m.'); raise CellError when it is not one."""
    if isinstance(value, dt.time):
        return value
    text = clean_text(value)
    if text is None:
        raise CellError("time is blank")
    if match := _TIME_24H.match(text):
        hour, minute = int(match["hour"]), int(match["minute"])
        second = int(match["second"] or 0)
    elif match := _TIME_12H.match(text):
        hour, minute, second = int(match["hour"]), int(match["minute"] or 0), 0
        if not 1 <= hour <= 12:
            raise CellError(f"impossible time {text!r}: a 12-hour clock has no hour {hour}")
        is_afternoon = match["half"].lower().startswith("p")
        hour = hour % 12 + (12 if is_afternoon else 0)
    else:
        raise CellError(f"unrecognised time {text!r}: write it as 24-hour HH:MM, e.g. 19:20")
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(f"impossible time {text!r}")
    return dt.time(hour, minute, second)


# ---------------------------------------------------------------- counts


@dataclass(frozen=True)
class CountRange:
    """A count read from text: low and best are known; high is None when open-ended."""

    low: int
    best: int
    high: int | None


_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "a dozen": 12,
    "dozen": 12,
    "a couple": 2,
    "a couple of": 2,
    "single": 1,
    "a single": 1,
}
_UNKNOWN_WORDS = {"unknown", "unreported", "not reported", "n/a", "na", "?", "-", "—", "unclear"}
_NONE_WORDS = {"none", "no", "nil", "no casualties", "no injuries", "no deaths"}
# Vague quantities follow ACLED's coding conventions where it has one ("dozens" is 12, "hundreds" 100),
# read as a lower bound with no upper bound.
_OPEN_ENDED_WORDS = {"dozens": 12, "dozens of": 12, "hundreds": 100, "several": 2, "multiple": 2}
_NUMBER = r"(\d+|[a-z]+(?:[ -][a-z]+)*?)"
_AT_LEAST = re.compile(rf"^(?:at least|a minimum of|minimum|min\.?|no fewer than|not less than)\s+{_NUMBER}$")
_MORE_THAN = re.compile(rf"^(?:more than|over|upwards of)\s+{_NUMBER}$")
_PLUS = re.compile(r"^(\d+)\s*\+$")
_RANGE = re.compile(rf"^{_NUMBER}\s*(?:-|–|—|to|or)\s*{_NUMBER}$")
_SIGNED = re.compile(r"^-\s*\d+$")


MAX_PLAUSIBLE_COUNT = 1_000_000


def check_plausible_count(number: int, text) -> int:
    """Return number, or raise CellError when it is beyond any count of one event (MAX_PLAUSIBLE_COUNT).

    >>> check_plausible_count(1_000_001, "1000001")
    Traceback (most recent call last):
    ...
    analysis.cleaning.cells.CellError: implausible count '1000001': more than 1,000,000 in one event; check the cell
    """
    if number > MAX_PLAUSIBLE_COUNT:
        raise CellError(
            f"implausible count {str(text)!r}: more than {MAX_PLAUSIBLE_COUNT:,} in one event; check the cell"
        )
    return number


def _number(token: str, text: str) -> int:
    """Read one digit string or number word."""
    token = token.strip().replace(",", "")
    if token.isdigit():
        try:
            number = int(token)
        except ValueError:  # digits int() does not read (superscripts and the like)
            raise CellError(f"unrecognised count {text!r}: {token!r} is not a number") from None
        return check_plausible_count(number, text)
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    raise CellError(f"unrecognised count {text!r}: {token!r} is not a number")


def parse_count(value) -> CountRange | None:
    """Read a count cell into a CountRange; None means not reported (NA, never zero).

    >>> parse_count("at least 17"), parse_count("two or three")
    (CountRange(low=17, best=17, high=None), CountRange(low=2, best=2, high=3))
    >>> parse_count("unknown") is None
    True
    """
    if isinstance(value, bool):
        raise CellError(f"unrecognised count {value!r}")
    if isinstance(value, (int, float)) and not pd.isna(value):
        return _exact_count(value)
    text = clean_text(value)
    if text is None:
        return None
    lowered = text.casefold().rstrip(".")
    if lowered in _UNKNOWN_WORDS:
        return None
    if lowered in _NONE_WORDS:
        return CountRange(0, 0, 0)
    if _SIGNED.match(lowered):
        raise CellError(f"negative count {text!r}: counts cannot be below zero")
    if lowered in _OPEN_ENDED_WORDS:
        return CountRange(_OPEN_ENDED_WORDS[lowered], _OPEN_ENDED_WORDS[lowered], None)
    if lowered.replace(",", "").isdigit() or lowered in _NUMBER_WORDS:
        number = _number(lowered, text)
        return CountRange(number, number, number)
    if match := _AT_LEAST.match(lowered) or _PLUS.match(lowered):
        number = _number(match[1], text)
        return CountRange(number, number, None)
    if match := _MORE_THAN.match(lowered):
        number = _number(match[1], text) + 1
        return CountRange(number, number, None)
    if match := _RANGE.match(lowered):
        low, high = _number(match[1], text), _number(match[2], text)
        if low > high:
            raise CellError(f"low > high in count {text!r}: {low} is more than {high}")
        return CountRange(low, low, high)
    raise CellError(
        f"unrecognised count {text!r}: use a number, 'at least N', 'N+', 'N-M', a number word, 'dozens' or 'unknown'"
    )


def _exact_count(number: float) -> CountRange:
    """Turn a numeric cell (from XLSX) into an exact count, refusing fractions, negatives and the implausible."""
    if isinstance(number, float) and not math.isfinite(number):
        raise CellError(f"unrecognised count {number!r}: counts are whole numbers")
    if number < 0:
        raise CellError(f"negative count {number!r}: counts cannot be below zero")
    if number != int(number):
        raise CellError(f"unrecognised count {number!r}: counts are whole numbers")
    count = check_plausible_count(int(number), number)
    return CountRange(count, count, count)


@dataclass(frozen=True)
class Claim:
    """One claimant's count for one cell."""

    count: CountRange
    claimant: str
    text: str


_CLAIMANT = re.compile(r"^(?P<count>.*?)\s*\[(?P<claimant>[^\]]*)\]\s*$", re.DOTALL)


def parse_claims(value, default_claimant: str) -> list[Claim]:
    """Split a casualty cell into claims ('1 [militia official]; at least 17 [local sources]').

    >>> [(c.count.best, c.claimant) for c in parse_claims("1 [militia]; at least 17 [locals]", "DoD")]
    [(1, 'militia'), (17, 'locals')]
    """
    text = clean_text(value)
    if text is None:
        return []
    claims = []
    for part in filter(None, (clean_text(piece) for piece in text.split(";"))):
        match = _CLAIMANT.match(part)
        count_text, claimant = (match["count"], clean_text(match["claimant"])) if match else (part, None)
        if match and not claimant:
            raise CellError(f"empty claimant in {part!r}: write the claimant inside the brackets")
        count = parse_count(count_text)
        if count is not None:
            claims.append(Claim(count, claimant or default_claimant, part))
    return claims


# ---------------------------------------------------------------- vectorised application


def parse_unique(values: pd.Series, parser: Callable, *, skip_blank: bool = True) -> tuple[pd.Series, pd.Series]:
    """Apply a scalar parser once per distinct value; return (parsed values, reasons) aligned to the input.

    Blank cells give (None, None) when ``skip_blank``; a CellError gives (None, its message).
    """
    parsed, reasons = parse_unique_arrays(values, parser, skip_blank=skip_blank)
    return pd.Series(parsed, index=values.index, dtype=object), pd.Series(reasons, index=values.index, dtype=object)


def parse_unique_arrays(
    values: pd.Series, parser: Callable, *, skip_blank: bool = True, dtype=object
) -> tuple[np.ndarray, np.ndarray]:
    """Like parse_unique, returning arrays: parsed values typed by ``dtype`` ('Int64', 'datetime64[ns]', 'string'
    or object) and reasons (object). Parsed values are built once per distinct value and spread by index,
    so no per-row Python object is made on typed paths.
    """
    parsed = parse_distinct(values, parser, skip_blank=skip_blank, dtype=dtype)
    return parsed.spread(), parsed.row_reasons()


@dataclass(frozen=True)
class DistinctParse:
    """A column parsed once per distinct value: each row's slot, and per slot its parsed value and its reason.

    The last slot stands for blank cells; a reason is None where the value was read.
    """

    slots: np.ndarray
    values: object  # one per slot: a typed pandas array, or an object ndarray
    reasons: np.ndarray

    def spread(self, rows: np.ndarray | None = None):
        """Return every row's parsed value, or only those of the rows at these positions (in that order)."""
        return self.values.take(self.slots if rows is None else self.slots[rows])

    def row_reasons(self) -> np.ndarray:
        """Return every row's reason (None where the cell was read)."""
        return self.reasons[self.slots]

    def has_reasons(self) -> bool:
        """Tell whether any distinct value was refused (usually none: then no per-row reasons need making)."""
        return any(reason is not None for reason in self.reasons)


def parse_distinct(
    values: pd.Series,
    parser: Callable,
    *,
    skip_blank: bool = True,
    dtype=object,
    distinct: tuple[np.ndarray, object] | None = None,
) -> DistinctParse:
    """Apply a scalar parser once per distinct value of a column (see parse_unique_arrays for the arguments).

    ``distinct`` is what distinct_values(values) returns, for a caller that has already worked it out.
    """
    slots, uniques = distinct if distinct is not None else distinct_values(values)
    parsed: list = []
    reasons = np.empty(len(uniques) + 1, dtype=object)
    for position, value in enumerate(list(uniques) + [None]):  # the last slot answers blank cells
        result = None
        if not (skip_blank and clean_text(value) is None):
            try:
                result = parser(value)
            except CellError as error:
                reasons[position] = str(error)
        parsed.append(result)
    if dtype is object:
        parsed_array = np.empty(len(parsed), dtype=object)
        for position, result in enumerate(parsed):  # one by one: lists and tuples stay whole cells
            parsed_array[position] = result
        return DistinctParse(slots, parsed_array, reasons)
    return DistinctParse(slots, pd.array(parsed, dtype=dtype), reasons)


def distinct_values(values: pd.Series) -> tuple[np.ndarray, object]:
    """Return (codes, distinct values) where blank cells get the code len(distinct) (one past the end)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes), uniques


def map_unique_strings(values: pd.Series, function: Callable) -> pd.Series:
    """Return function(value) (text or None) for every cell as a 'string' Series, computed per distinct value.

    >>> map_unique_strings(pd.Series([" a", "b", " a", None]), lambda v: v and v.strip()).tolist()
    ['a', 'b', 'a', <NA>]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = pd.array([function(value) for value in uniques] + [function(None)], dtype="string")
    return pd.Series(results.take(np.where(codes < 0, len(uniques), codes)), index=values.index)
