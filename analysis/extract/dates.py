"""Find when an event happened: absolute dates, weekdays and relative words, resolved to the local calendar.

Rules (docs/extract.md): a bare weekday is the latest such day on or before the publication date ('last' and
'this past' exclude the publication day itself); 'yesterday', 'today', 'last night', 'N days ago' count from the
publication date; a weekend is coded to its Saturday with week precision; a month and year ('in June 2021') to
the 1st with month precision; a date without a year takes the latest year that puts it on or before publication.
A text written in Washington gives times in US Eastern time: a stated clock time is converted to the place's
zone, and an evening or night ('on the night of 25 December', 'last night') falls on the next local day, since
Iraq, Syria and Jordan are seven or eight hours ahead. dateparser is not used: its bare-weekday handling is wrong
(its issues #508, #1196, #1249).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from analysis.cleaning.cells import CellError, parse_count
from analysis.core.spec import COUNTRY_TIMEZONES

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!:)(?:,?\s+{_YEAR}\b)?")
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?")
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b")
_ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_HOLIDAYS = re.compile(
    r"\b(?P<name>Christmas Day|Christmas Eve|New Year's Day|New Year’s Day|New Year's Eve|New Year’s Eve)\b"
)
_HOLIDAY_DATES = {
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
}
_WEEKDAY = re.compile(
    r"\b(?P<mod>this past|last|past|early on|early|late on|late|on|by|since)?\s*"
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?"
    r"(?:\s+(?P<part>night|evening|morning|afternoon))?",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?P<words>(?:early |late )?this (?:morning|afternoon|evening)|earlier today|today|tonight|"
    r"yesterday(?: (?:morning|afternoon|evening))?|last night|overnight|"
    r"(?:over|during|on|this|last|over the course of) the weekend|this weekend|last weekend|"
    r"(?P<count>\w+(?:-\w+)?) days? (?:ago|since|before)|last week|earlier this week|this week)\b",
    re.IGNORECASE,
)
_ANAPHORIC = re.compile(
    r"\b(?P<words>earlier in the day|later in the day|later (?:in )?(?:that|the) (?:day|night|evening)|"
    r"later that night|that night|the same day|shortly after(?:wards?)?(?=\s*,)|shortly afterwards?|minutes later|"
    r"hours later|(?P<loose>before the attack|after the attack|prior to the attack))\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"\b(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>a\.m\.|p\.m\.|am\b|pm\b)\s*"
    r"(?P<zone>\(?(?:EST|EDT|ET|Eastern(?: Standard| Daylight)?(?: [Tt]ime)?)\)?|local time)?",
)
_LOCAL_ZONE = re.compile(r"\b(?:local time|Middle East(?:ern)? time|Iraq time|Syria time|Baghdad time)\b", re.I)
_EASTERN_ZONE = re.compile(r"\((?:EST|EDT|ET)\)|\b(?:EST|EDT)\b|\bEastern (?:Standard |Daylight )?[Tt]ime\b")
_NIGHT_OF = re.compile(r"\b(?:on\s+)?the\s+night\s+of\s+$", re.IGNORECASE)
_REPORTED = re.compile(r"\breported\s+(?:on|in)\s+$|\bI\s+reported\s+(?:on|in)\s+$", re.IGNORECASE)
_LIST_GLUE = re.compile(r"^[\s,]*(?:and\s+)?(?:on\s+)?$")
_BOUND = re.compile(
    r"\b(?:since|until|till|between|from|through|starting|beginning|before|after|prior to|ahead of)\s+(?:the\s+)?"
    r"(?:early |late |mid-?)?$",
    re.I,
)
EASTERN_ZONE = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class When:
    """A time expression in a sentence, before it is put on the local calendar."""

    start: int
    end: int
    words: str
    day: dt.date | None  # the date as written (in the writer's zone unless zone says otherwise)
    precision: str = "day"
    rule: str = "stated"  # stated, weekday, relative, month_only, anaphoric
    zone: str | None = None  # "eastern" or "local" when the text says so; None: the writer's zone
    part: str | None = None  # night, evening, afternoon, morning
    clock: dt.time | None = None
    is_report: bool = False  # the date a report was made ('as reported on ...'), not the event's
    is_bound: bool = False  # the edge of a period ('since October 17'), not an event's date
    anaphor: str | None = None  # 'day' (same day as the previous event) or 'week' (near it)
    dated_by: str | None = None  # for an anaphoric date: the words that dated the event it refers to


def _month(name: str) -> int:
    """Return a month number from its English name or abbreviation."""
    return _MONTH_NAMES[name.casefold().rstrip(".")]


def _year_before(month: int, day: int, published: dt.date) -> dt.date | None:
    """Return the latest date with this month and day on or before publication (None if no such day)."""
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate <= published:
            return candidate
    return None


def _weekday_date(weekday: str, published: dt.date, *, strictly_before: bool) -> dt.date:
    """Return the latest given weekday on or before publication (strictly before for 'last' / 'this past')."""
    back = (published.weekday() - WEEKDAYS.index(weekday.casefold())) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - dt.timedelta(days=back)


def _spans_free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Tell whether start..end overlaps none of the spans already taken."""
    return all(end <= s or start >= e for s, e in spans)


def find_whens(text: str, published: dt.date) -> list[When]:
    """Find every time expression in a sentence, resolved against the publication date (writer's calendar)."""
    found: list[When] = []
    taken: list[tuple[int, int]] = []

    def add(when: When) -> None:
        if when.day is not None and _spans_free(taken, when.start, when.end):
            before = text[: when.start]
            night = bool(_NIGHT_OF.search(before))
            found.append(
                replace(
                    when,
                    part="night" if night else when.part,
                    is_bound=bool(_BOUND.search(before[-30:])),
                )
            )
            taken.append((when.start, when.end))

    for match in _ISO_DATE.finditer(text):
        try:
            day = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
        add(When(match.start(), match.end(), match[0], day))
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for match in pattern.finditer(text):
            month, day_number = _month(match["month"]), int(match["day"])
            if match["year"]:
                try:
                    day = dt.date(int(match["year"]), month, day_number)
                except ValueError:
                    continue
            else:
                day = _year_before(month, day_number, published)
            add(When(match.start(), match.end(), match[0], day))
    for match in _MONTH_YEAR.finditer(text):
        day = dt.date(int(match["year"]), _month(match["month"]), 1)
        add(When(match.start(), match.end(), match[0], day, precision="month", rule="month_only"))
    for match in _HOLIDAYS.finditer(text):
        month, day_number = _HOLIDAY_DATES[match["name"].casefold().replace("’", "'")]
        add(When(match.start(), match.end(), match[0], _year_before(month, day_number, published)))
    for match in _WEEKDAY.finditer(text):
        modifier = (match["mod"] or "").casefold()
        if modifier in ("by", "since") or _future_before(text[: match.start()]):
            continue
        day = _weekday_date(match["weekday"], published, strictly_before=modifier in ("last", "this past", "past"))
        zone = "local" if _LOCAL_ZONE.match(text[match.end() :].lstrip(" ,")) else None
        part = (match["part"] or "").casefold() or ("morning" if modifier.startswith("early") else None)
        add(When(match.start(), match.end(), match[0].strip(), day, rule="weekday", zone=zone, part=part))
    for match in _RELATIVE.finditer(text):
        add(_relative(match, published))
    for match in _ANAPHORIC.finditer(text):
        anaphor = "week" if match["loose"] else "day"
        add(When(match.start(), match.end(), match[0], published, rule="anaphoric", anaphor=anaphor))
    found = _mark_reports(text, sorted(found, key=lambda w: w.start))
    return _attach_clocks(text, found, published)


def _future_before(before: str) -> bool:
    """Tell whether the words just before a weekday put it in the future ('will meet on', 'next')."""
    return bool(re.search(r"\b(?:will|next|coming|until)\b[^.,;]{0,25}$", before[-40:], re.IGNORECASE))


def _relative(match: re.Match, published: dt.date) -> When:
    """Resolve 'today', 'yesterday', 'last night', 'over the weekend', 'N days ago' against publication."""
    words = match["words"].casefold()
    day, precision, part = published, "day", None
    if "weekend" in words:
        day = _weekday_date("saturday", published, strictly_before=False)
        if words.startswith("last") and published.weekday() >= 5:
            day -= dt.timedelta(days=7)
        precision = "week"
    elif "week" in words:
        day, precision = published - dt.timedelta(days=7 if words == "last week" else 2), "week"
    elif match["count"] and "day" in words:
        try:
            count = parse_count(match["count"].replace("-", " "))
        except CellError:
            count = None
        if count is None or count.high is None or count.best > 60:
            return When(match.start(), match.end(), match[0], None)
        day = published - dt.timedelta(days=count.best)
    elif words.startswith("yesterday") or words == "last night":
        day = published - dt.timedelta(days=1)
        part = "night" if words == "last night" else (words.split()[1] if " " in words else None)
    elif words == "overnight":
        day, part = published - dt.timedelta(days=1), "night"
    elif words == "tonight" or words.endswith("evening"):
        part = "tonight"  # said the same evening: the event may fall either side of local midnight
    elif "afternoon" in words:
        part = "afternoon"
    elif "morning" in words:
        part = "morning"
    return When(match.start(), match.end(), match[0], day, precision=precision, rule="relative", part=part)


def _mark_reports(text: str, whens: list[When]) -> list[When]:
    """Mark the dates of 'as reported on X, Y and Z' as report dates (a recap), not event dates."""
    marked = []
    in_report_list = False
    previous_end = 0
    for when in whens:
        gap = text[previous_end : when.start]
        if _REPORTED.search(text[: when.start]):
            in_report_list = True
        elif not (in_report_list and _LIST_GLUE.match(gap)):
            in_report_list = False
        marked.append(replace(when, is_report=True) if in_report_list else when)
        previous_end = when.end
    return marked


def _attach_clocks(text: str, whens: list[When], published: dt.date) -> list[When]:
    """Give the nearest date in the sentence each clock time ('8:45 p.m. (EST) on Dec. 25'), or add one."""
    result = list(whens)
    for match in _CLOCK.finditer(text):
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            continue
        clock = dt.time(hour % 12 + (12 if match["half"].startswith("p") else 0), minute)
        zone_words = match["zone"] or text[match.end() : match.end() + 30]
        zone = "eastern" if _EASTERN_ZONE.search(zone_words) else "local" if _LOCAL_ZONE.search(zone_words) else None
        dated = [w for w in result if not w.is_report and not w.is_bound and w.precision == "day"]
        if dated:
            nearest = min(dated, key=lambda w: min(abs(w.start - match.end()), abs(match.start() - w.end)))
            result[result.index(nearest)] = replace(nearest, clock=clock, zone=zone or nearest.zone)
        else:
            result.append(
                When(
                    match.start(),
                    match.end(),
                    match[0],
                    published,
                    rule="anaphoric",
                    clock=clock,
                    zone=zone,
                    anaphor="day",
                )
            )
    return sorted(result, key=lambda w: w.start)


@dataclass(frozen=True)
class LocalDate:
    """An event's date on the local calendar of its country, with how it was established."""

    date: dt.date
    precision: str
    local_time: dt.time | None
    rule: str
    basis: str
    may_be_next_day: bool = False  # a Washington date with no time: the local date may be the day after


def to_local(when: When, country: str | None, writer_zone: str, published: dt.date) -> LocalDate:
    """Put a time expression on the local calendar of the country where the event happened."""
    zone = when.zone or writer_zone
    place_zone = ZoneInfo(COUNTRY_TIMEZONES.get(country or "", "Asia/Baghdad"))
    written = f"{when.words!r}"
    if when.rule in ("weekday", "relative", "anaphoric"):
        written += f" (text published {published:%a %d %b %Y})"
    if when.clock is not None and zone == "eastern":
        stated = dt.datetime.combine(when.day, when.clock, tzinfo=EASTERN_ZONE)
        local = stated.astimezone(place_zone)
        offset = local.utcoffset().total_seconds() / 3600
        basis = (
            f"{written}: {stated:%H:%M} US Eastern on {stated:%d %b %Y} is {local:%H:%M} on {local:%d %b %Y} "
            f"local (UTC+{offset:g})"
        )
        return LocalDate(local.date(), "day", local.time(), "eastern_time_converted", basis)
    if zone == "eastern" and when.part in ("night", "evening") and when.precision == "day":
        local_day = when.day + dt.timedelta(days=1)
        basis = (
            f"{written}: the {when.part} of {when.day:%d %b %Y} in Washington (US Eastern) is already "
            f"{local_day:%d %b %Y} in the region (seven or eight hours ahead)"
        )
        return LocalDate(local_day, "day", None, "eastern_time_converted", basis)
    basis = f"{written}: {when.day:%d %b %Y}"
    if when.precision == "week":
        basis = f"{written}: known only to the week; coded to {when.day:%d %b %Y} with week precision"
    elif when.precision == "month":
        basis = f"{written}: known only to the month; coded to the 1st"
    elif zone == "eastern" and when.rule == "stated" and when.clock is None:
        basis += " (a Washington date with no time: the local date may be a day later)"
    elif zone == "eastern" and when.part in ("afternoon", "tonight"):
        basis += " (an afternoon or evening in Washington is night in the region: the local date may be a day later)"
    clock = when.clock if zone == "local" else None
    may_be_next_day = zone == "eastern" and when.precision == "day" and when.part not in ("morning",)
    return LocalDate(when.day, when.precision, clock, when.rule, basis, may_be_next_day)
