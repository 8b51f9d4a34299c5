"""The overview page's headline figures in words, the event timeline and the monthly bars."""

from __future__ import annotations

import html

import pandas as pd

from analysis.analyses.counts import event_counts
from analysis.analyses.overview import role_of
from analysis.present.style import ROLE_STYLES
from analysis.present.trends import counts_figure

DAY = "day"


# Headers of the latest-events table in words (show_table(..., labels=LATEST_EVENT_LABELS)).
LATEST_EVENT_LABELS = {"event_date": "date", "location": "place", "role": "kind", "initiator": "carried out by"}


def date_text(date: pd.Timestamp, precision: str | None = DAY) -> str:
    """Write a date as exactly as it is known: a day, a week (recorded day, three days either side) or a month.

    >>> date_text(pd.Timestamp("2024-01-28")), date_text(pd.Timestamp("2020-01-01"), "month")
    ('2024-01-28', 'January 2020')
    >>> date_text(pd.Timestamp("2024-02-05"), "week")
    'week of 2024-02-05 (give or take 3 days)'
    """
    if precision == "month":
        return date.strftime("%B %Y")
    if precision == "week":
        return f"week of {date:%Y-%m-%d} (give or take 3 days)"
    return date.strftime("%Y-%m-%d")


def end_date_text(events: pd.DataFrame, first: bool) -> str:
    """Write the first or last event date with its precision ('none' without dates)."""
    dated = events[events["event_date"].notna()]
    if dated.empty:
        return "none"
    row = dated.sort_values("event_date", kind="stable").iloc[0 if first else -1]
    precision = row["date_precision"] if "date_precision" in dated and pd.notna(row["date_precision"]) else DAY
    return date_text(row["event_date"], precision)


def headline_figures(events: pd.DataFrame) -> dict[str, object]:
    """Return the overview's headline figures as {label: value}, in display order.

    >>> events = pd.DataFrame({"role": ["attack", "attack", "response"], "country": ["Iraq", "Syria", "Syria"],
    ...     "site": ["Al-Asad Air Base", None, None], "event_date": pd.to_datetime(["2024-01-02", "2024-01-05", "2024-01-09"])})
    >>> headline_figures(events)["attacks on US / coalition forces"], headline_figures(events)["last event"]
    (2, '2024-01-09')
    """
    role = role_of(events)
    return {
        "attacks on US / coalition forces": int(role.eq("attack").sum()),
        "US / coalition strikes": int(role.eq("response").sum()),
        "other events": int(role.eq("other").sum()),
        "bases attacked": int(events.loc[role.eq("attack"), "site"].dropna().nunique()),
        "countries" if events["country"].dropna().nunique() != 1 else "country": int(
            events["country"].dropna().nunique()
        ),
        "first event": end_date_text(events, first=True),
        "last event": end_date_text(events, first=False),
    }


def _event_hover(row) -> str:
    """Describe one event for a hover label, every value escaped."""
    exact = (
        ""
        if row.date_precision in (DAY, None) or pd.isna(row.date_precision)
        else f" (known to the {row.date_precision})"
    )
    parts = [f"<b>{row.event_date:%Y-%m-%d}</b>{html.escape(exact)}", html.escape(f"{row.location}, {row.country}")]
    who = " on ".join(str(v) for v in (row.initiator, row.target) if isinstance(v, str))
    if who:
        parts.append(html.escape(who))
    if isinstance(row.weapon, str):
        parts.append(html.escape(row.weapon))
    source = getattr(row, "sources", None)
    if isinstance(source, str) and source:
        first = source.split(" | ")[0]
        parts.append("source: " + html.escape(first if len(first) <= 90 else first[:87] + "..."))
    return "<br>".join(parts)


def timeline_figure(events: pd.DataFrame, *, title: str = "Every event, by date and country"):
    """Draw one marker per event: date across, country down, attacks above strikes; coarse dates hollow."""
    import plotly.graph_objects as go

    countries = sorted(events["country"].dropna().unique())
    row_of = {country: i for i, country in enumerate(countries)}
    offsets = {"attack": 0.18, "response": -0.18, "other": 0.0}
    figure = go.Figure()
    role = role_of(events)
    for name, (colour, symbol, label) in ROLE_STYLES.items():
        rows = events[role.eq(name) & events["country"].notna()]
        if rows.empty:
            continue
        coarse = rows["date_precision"].astype("string").fillna(DAY).ne(DAY)
        # plotly's legend draws a trace's first marker: put exactly dated events first, so it shows a full one
        rows, coarse = rows.loc[coarse.sort_values(kind="stable").index], coarse.sort_values(kind="stable")
        figure.add_trace(
            go.Scatter(
                x=rows["event_date"],
                y=rows["country"].map(row_of).astype(float) + offsets[name],
                mode="markers",
                name=f"{label} ({len(rows)})",
                marker={
                    "color": colour,
                    "size": 10,
                    "opacity": 0.8,
                    "line": {"color": colour, "width": 1.5},
                    "symbol": [f"{symbol}-open" if c else symbol for c in coarse],
                },
                hovertext=[_event_hover(r) for r in rows.itertuples()],
                hoverinfo="text",
            )
        )
    figure.update_layout(
        title=title,
        height=160 + 70 * max(len(countries), 1),
        hovermode="closest",
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    figure.update_yaxes(
        tickvals=list(row_of.values()),
        ticktext=list(row_of),
        range=[-0.6, len(countries) - 0.4],
        showgrid=False,
        zeroline=False,
    )
    return figure


MAX_EVENT_MARKERS = 2_000  # above this, single events are not drawn: a million markers make a page no browser opens
WEEKS_UP_TO_DAYS = 730  # a selection up to two years long is counted by week, a longer one by month


def activity_freq(start, end, events: pd.DataFrame) -> str:
    """Count by week for a selection of up to two years, else by month."""
    first = pd.Timestamp(start) if start else events["event_date"].min()
    last = pd.Timestamp(end) if end else events["event_date"].max()
    return "W" if (last - first).days <= WEEKS_UP_TO_DAYS else "M"


def activity_figures(events: pd.DataFrame, start=None, end=None) -> list:
    """Attacks and strikes per week or month (bars spanning their period), and each event when there are few.

    The bars count first, so a million events draw as a few hundred bars; single-event markers are added only
    for selections of at most MAX_EVENT_MARKERS events.
    """
    freq = activity_freq(start, end, events)
    counts = event_counts(events, freq=freq, start=start, end=end)
    word = "week" if freq == "W" else "month"
    figures = [counts_figure(counts, title=f"Attacks and US / coalition strikes per {word}")]
    if len(events) <= MAX_EVENT_MARKERS:
        figures.append(timeline_figure(events))
    return figures
