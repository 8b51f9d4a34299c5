"""Data quality for readers: coverage heat map and the sentences that say what the data cannot show."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.counts import event_counts
from analysis.analyses.quality import INCIDENT_LOG_SOURCE
from analysis.core.selection import parse_period
from analysis.present.overview import end_date_text

SHIPPED_LOG_FILE = "data/raw/incidents.csv"


# What data/raw/README.md ("What the log does not cover") says of the shipped log's sources: keep in step.
SHIPPED_LOG_COVERAGE = (
    "The shipped log (data/raw/incidents.csv) is coded by hand from news reports and official statements, one row "
    "per attack or strike that a source describes on its own. It holds most of the attacks of the 2023-24 surge "
    "(the line on official counts says how many), but only a floor of the rocket, drone and convoy attacks of "
    "2019-2022, which no official tally counts: counts before October 2023 are a floor, not a total "
    "(data/raw/README.md, 'How much of the record it holds')."
)


UNCOVERED_DAYS = 31  # a selection reaching further than this past the data's first or last event gets a warning


def coverage_figure(events: pd.DataFrame, start=None, end=None, *, title: str = "Events per month and country"):
    """Draw a month x country heat map of event counts: blank rows and columns show holes in the coverage."""
    import plotly.graph_objects as go

    counts = event_counts(events, freq="M", by="country", start=start, end=end)
    table = counts.pivot_table(index="country", columns="period_start", values="events", aggfunc="sum", fill_value=0)
    figure = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=list(table.columns),
            y=[str(c) for c in table.index],
            colorscale="Blues",
            hovertemplate="%{y}, %{x|%B %Y}: %{z} events<extra></extra>",
            colorbar={"title": "events"},
        )
    )
    figure.update_layout(
        title=title,
        height=160 + 45 * max(len(table.index), 1),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        xaxis={"tickformat": "%b %Y"},
    )
    return figure


def accounting_note(table: pd.DataFrame) -> str:
    """Say in one sentence whether every raw row is accounted for (table: from accounting_table).

    >>> accounting_note(pd.DataFrame([{"source_file": "Total", "raw_rows": 5, "events": 3, "merged": 1, "quarantined": 1, "unaccounted": 0}]))
    'All 5 raw rows are accounted for: 3 became events, 1 merged into other events, 1 quarantined.'
    """
    total = table.iloc[-1]
    counts = f"{total['events']} became events, {total['merged']} merged into other events, {total['quarantined']} quarantined"
    if total["unaccounted"] == 0:
        return f"All {total['raw_rows']} raw rows are accounted for: {counts}."
    return (
        f"{total['unaccounted']} of {total['raw_rows']} raw rows are unaccounted for ({counts}): the build has a bug."
    )


def count_note(rows: int, what: str, none_text: str) -> str:
    """Say how many rows a data-quality table has, or none_text when there are none.

    >>> count_note(0, "quarantined rows", "No row was quarantined."), count_note(2, "quarantined rows", "")
    ('No row was quarantined.', '2 quarantined rows.')
    """
    return none_text if rows == 0 else f"{rows} {what}."


def _is_incident_log(events: pd.DataFrame) -> pd.Series:
    """Flag the events that come from an incident log."""
    return (
        events["source"].astype("string").eq(INCIDENT_LOG_SOURCE).fillna(False)
        if "source" in events
        else pd.Series(False, index=events.index)
    )


def coverage_caveats(events: pd.DataFrame, start=None, end=None) -> list[str]:
    """Say in sentences what the data cannot show: an incident log is not a complete count of attacks, and a
    selection reaching past the data's first or last event counts days the data does not cover as quiet.

    Pass the whole data's events (before filter_data), so "the data starts" means the data, not the selection.

    >>> events = pd.DataFrame({"event_date": pd.to_datetime(["2020-01-01", "2024-11-26"]), "source": ["acled"] * 2})
    >>> coverage_caveats(events, "2019-01-01", "2024-11-30")[0][:60]
    'The selection starts on 2019-01-01, but the first event in t'
    """
    notes = []
    from_log = _is_incident_log(events)
    if from_log.any():
        notes.append(
            "The incident log is not a complete count of attacks or strikes: it holds the events its sources "
            'describe one by one, and attacks that the sources mention only as a total ("more than a dozen attacks '
            'last week") have no row.'
        )
        if "source_file" in events and events.loc[from_log, "source_file"].astype("string").eq(SHIPPED_LOG_FILE).any():
            notes.append(SHIPPED_LOG_COVERAGE)
    dates = events["event_date"].dropna()
    if len(dates):
        first, last = dates.min().normalize(), dates.max().normalize()
        start, end = parse_period(start, end)
        if start is not None and (first - start).days > UNCOVERED_DAYS:
            notes.append(
                f"The selection starts on {start:%Y-%m-%d}, but the first event in the data is dated "
                f"{end_date_text(events, first=True)}: "
                "the time before it is not covered by the data, which is not the same as quiet (charts and counts "
                "show it as zero)."
            )
        if end is not None and (end - last).days > UNCOVERED_DAYS:
            notes.append(
                f"The selection ends on {end:%Y-%m-%d}, but the last event in the data is dated "
                f"{end_date_text(events, first=False)}: the "
                f"{(end - last).days} days after it may be a gap in the data rather than a quiet spell."
            )
    return notes


def response_share_caveat(events: pd.DataFrame) -> str:
    """Warn, for incident-log data, that shares of attacks answered are likely too high ("" for other data).

    A log's attacks are those its sources describe; texts that announce US strikes name the attacks a strike
    answered far more often than the others, so answered attacks are over-represented.

    >>> response_share_caveat(pd.DataFrame({"source": ["acled"]}))
    ''
    """
    from_log = _is_incident_log(events)
    if not from_log.any():
        return ""
    shipped = (
        "source_file" in events and events.loc[from_log, "source_file"].astype("string").eq(SHIPPED_LOG_FILE).any()
    )
    if shipped:
        return (
            "Read every share of attacks answered here as likely too high: most of the shipped log's attacks are "
            "dated by the same official texts that announce the US strikes, and those texts describe the attacks a "
            "strike answered far more often than the rest. Attacks that drew a strike are over-represented, so the "
            "share answered here is likely far higher than the share of all attacks that drew one."
        )
    return (
        "An incident log holds only the attacks its sources describe. If those sources are mostly announcements "
        "of US strikes, which describe the attacks a strike answered far more often than the rest, attacks that "
        "drew a strike are over-represented and every share of attacks answered here is too high."
    )


OFFICIAL_LABELS = {"statement_date": "stated", "official_count": "official figure", "data_count": "in the data",
                   "share": "share in the data"}  # fmt: skip


def readable_coverage(coverage: pd.DataFrame) -> pd.DataFrame:
    """The official-coverage table for reading: dates as days, the qualifier with the figure, shares in percent."""
    from analysis.cleaning.official_counts import MEASURES, QUALIFIERS
    from analysis.present.coverage import share_text

    shown = pd.DataFrame({
        "statement_date": coverage["statement_date"].dt.strftime("%Y-%m-%d"),
        "issuer": coverage["issuer"],
        "measure": coverage["measure"].map(MEASURES).fillna(coverage["measure"]),
        "window": coverage["window_start"].dt.strftime("%Y-%m-%d") + " to " + coverage["window_end"].dt.strftime("%Y-%m-%d"),
        "countries": coverage["countries"],
        "official_count": [f"{QUALIFIERS[q]}{c}" for q, c in zip(coverage["qualifier"], coverage["official_count"])],
        "data_count": coverage["data_count"],
        "share": [share_text(v, q) for v, q in zip(coverage["share"], coverage["qualifier"])],
        "source": coverage["source"],
    })  # fmt: skip
    return shown.reset_index(drop=True)
