"""How much of what officials counted the data holds: events in the data against official tallies, per window.

For each official figure (analysis.cleaning.official_counts) the data's own count is taken over the same window
and countries: attacks (role attack) for attacks_on_us_forces, responses for us_strikes, and the US casualty
claims (conservative view) for us_wounded / us_killed. ``share`` is data / official: what part of the officially
counted events the data holds, the number a reader needs before trusting a count, a rate or a trend.
"""

from __future__ import annotations

import pandas as pd

from analysis.analyses.claims import select_claims
from analysis.cleaning.official_counts import load_official_counts
from analysis.core.selection import parse_period
from analysis.core.tables import events_of

ROLE_OF_MEASURE = {"attacks_on_us_forces": "attack", "us_strikes": "response"}
CASUALTY_OF_MEASURE = {"us_wounded": "wounded", "us_killed": "killed"}
COVERAGE_COLUMNS = [
    "statement_date", "issuer", "measure", "window_start", "window_end", "countries", "official_count", "qualifier",
    "data_count", "share", "source", "source_url",
]  # fmt: skip


def _in_window(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, countries) -> pd.Series:
    """Flag events dated within [start, end] in the given countries."""
    dates = events["event_date"]
    return dates.between(start, end) & events["country"].isin(list(countries)).fillna(False)


def _data_count(data, measure: str, inside: pd.Series) -> int:
    """Count what the data holds of one measure among the events flagged inside."""
    events = events_of(data)
    if measure in ROLE_OF_MEASURE:
        return int((inside & events["role"].eq(ROLE_OF_MEASURE[measure]).fillna(False)).sum())
    casualties = getattr(data, "casualties", None)
    if casualties is None:
        return 0
    ids = events.loc[inside, "event_id"]
    claims = casualties[casualties["event_id"].isin(ids) & casualties["side"].eq("us")
                        & casualties["outcome"].eq(CASUALTY_OF_MEASURE[measure])]  # fmt: skip
    return int(select_claims(claims, "conservative")["best"].fillna(0).sum())


def official_coverage(data, official: pd.DataFrame | None = None, *, measures=None) -> pd.DataFrame:
    """Set the data's count beside every official figure, over the official window and countries.

    data is an EventData (needed for casualty measures) or an events table; official defaults to the shipped
    official_counts.csv. One row per official figure, newest statement last.
    """
    official = load_official_counts() if official is None else official
    if measures is not None:
        official = official[official["measure"].isin(list(measures))]
    events = events_of(data)
    rows = []
    for figure in official.itertuples(index=False):
        inside = _in_window(events, figure.window_start, figure.window_end, figure.countries)
        count = _data_count(data, figure.measure, inside)
        rows.append({
            "statement_date": figure.statement_date, "issuer": figure.issuer, "measure": figure.measure,
            "window_start": figure.window_start, "window_end": figure.window_end,
            "countries": "; ".join(figure.countries), "official_count": figure.count, "qualifier": figure.qualifier,
            "data_count": count, "share": count / figure.count if figure.count else float("nan"),
            "source": figure.source, "source_url": figure.source_url,
        })  # fmt: skip
    table = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    return table.sort_values(["statement_date", "measure"], kind="stable").reset_index(drop=True)


def coverage_of_selection(data, start=None, end=None, *, measure: str = "attacks_on_us_forces",
                          official: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the official figures whose window lies inside the selection [start, end], the widest window first.

    A page states the first row: the largest official count it can be set against. Empty when no official
    window fits (then the page says that no official count covers it).
    """
    start, end = parse_period(start, end)
    table = official_coverage(data, official, measures=[measure])
    fits = pd.Series(True, index=table.index)
    if start is not None:
        fits &= table["window_start"] >= start
    if end is not None:
        fits &= table["window_end"] <= end
    chosen = table[fits]
    chosen = chosen.assign(_days=(chosen["window_end"] - chosen["window_start"]).dt.days)
    return chosen.sort_values(["_days", "statement_date"], ascending=False, kind="stable").drop(columns="_days")


def low_coverage_breaks(coverage: pd.DataFrame, break_dates, min_share: float) -> list[tuple[pd.Timestamp, pd.Series]]:
    """Return (break date, official figure) for each break date that falls in a window the data covers too thinly.

    The figure is the latest attack count whose window holds the break; a break with no official window is
    not judged here.
    """
    attacks = coverage[coverage["measure"].eq("attacks_on_us_forces")]
    found = []
    for when in pd.to_datetime(list(break_dates)):
        holding = attacks[(attacks["window_start"] <= when) & (attacks["window_end"] >= when)]
        if len(holding):
            latest = holding.sort_values("statement_date").iloc[-1]
            if latest["share"] < min_share:
                found.append((when, latest))
    return found
