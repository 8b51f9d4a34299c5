"""Data-quality tables: row accounting, quarantine, unknown names, field completeness and coverage."""
from __future__ import annotations

import pandas as pd

ACCOUNTING_COUNTS = ("raw_rows", "events", "merged", "quarantined")
INCIDENT_LOG_SOURCE = "incident_log"
SHIPPED_LOG_FILE = "data/raw/incidents.csv"
# What data/raw/README.md ("What the log does not cover") says of the shipped log's sources: keep in step.
SHIPPED_LOG_COVERAGE = (
    "The shipped log (data/raw/incidents.csv) is coded from White House texts that date every US strike they "
    "announce but only a few of the militia attacks: between October 2023 and November 2024 the same texts speak "
    "of more than 180 attacks on US forces in the region, and the log has fewer than ten of them. Its counts, "
    "trends, casualty totals and response rates describe the events those texts chose to describe, not the "
    "conflict; for volume, use ACLED or UCDP GED files (data/raw/README.md, 'What the log does not cover')."
)
UNCOVERED_DAYS = 31  # a selection reaching further than this past the data's first or last event gets a warning
# column -> what a reader should understand by "filled" (shown next to the share)
COMPLETENESS_FIELDS = {
    "event_time_utc": "time of day known",
    "initiator": "who carried it out",
    "target": "who or what was hit",
    "weapon": "weapon named (not 'unknown')",
    "munitions": "number of rockets / drones / bombs",
    "intercepted": "whether it was intercepted",
    "site": "a named US / coalition base",
    "claimed_by": "a claim of responsibility",
    "source_url": "a link to a source",
}


def accounting_table(accounting: pd.DataFrame) -> pd.DataFrame:
    """Return the build's row accounting per file, with unaccounted rows and a total row.

    Every raw row must end as an event, a merge into another event or a quarantine row: unaccounted is 0.

    >>> table = accounting_table(pd.DataFrame({"source_file": ["a.csv"], "format": ["incident log"],
    ...     "raw_rows": [5], "events": [3], "merged": [1], "quarantined": [1]}))
    >>> table[["source_file", "raw_rows", "unaccounted"]].to_dict("records")
    [{'source_file': 'a.csv', 'raw_rows': 5, 'unaccounted': 0}, {'source_file': 'Total', 'raw_rows': 5, 'unaccounted': 0}]
    """
    table = accounting[["source_file", "format", *ACCOUNTING_COUNTS]].copy()
    for column in ACCOUNTING_COUNTS:
        table[column] = table[column].fillna(0).astype(int)
    table["unaccounted"] = table["raw_rows"] - table["events"] - table["merged"] - table["quarantined"]
    total = {"source_file": "Total", "format": "", **{c: int(table[c].sum()) for c in [*ACCOUNTING_COUNTS, "unaccounted"]}}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def quarantine_reasons(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Count quarantined rows per file, column and reason (most frequent first)."""
    if quarantine.empty:
        return pd.DataFrame(columns=["source_file", "column", "reason", "rows", "example_rows"])
    grouped = quarantine.groupby(["source_file", "column", "reason"], dropna=False, sort=False)["source_row"]
    table = grouped.agg(rows="size", example_rows=lambda rows: ", ".join(map(str, sorted(rows.dropna())[:5])))
    return table.reset_index().sort_values("rows", ascending=False, kind="stable").reset_index(drop=True)


def unknown_name_counts(unknown_names: pd.DataFrame) -> pd.DataFrame:
    """Count each name the reference tables do not know, per column (add it to data/raw/reference/ to fix)."""
    if unknown_names.empty:
        return pd.DataFrame(columns=["column", "value", "rows", "example_rows"])
    grouped = unknown_names.groupby(["column", "value"], dropna=False, sort=False)["source_row"]
    table = grouped.agg(rows="size", example_rows=lambda rows: ", ".join(map(str, sorted(rows.dropna())[:5])))
    return table.reset_index().sort_values(["rows", "column", "value"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


def _is_filled(values: pd.Series, column: str) -> pd.Series:
    """Tell which cells hold information ('unknown' weapons and blank text count as empty)."""
    filled = values.notna()
    if values.dtype == object or str(values.dtype) in ("string", "str"):
        text = values.astype("string").str.strip()
        filled &= text.ne("").fillna(False)
        if column == "weapon":
            filled &= text.ne("unknown").fillna(False)
    return filled


def field_completeness(events: pd.DataFrame) -> pd.DataFrame:
    """Return, for each optional field, how many events have it filled and the share in percent."""
    rows = []
    for column, meaning in COMPLETENESS_FIELDS.items():
        if column not in events:
            continue
        filled = int(_is_filled(events[column], column).sum())
        share = round(100 * filled / len(events), 1) if len(events) else 0.0
        rows.append({"field": column, "meaning": meaning, "events_with_it": filled, "percent": share})
    return pd.DataFrame(rows, columns=["field", "meaning", "events_with_it", "percent"])


DATE_PRECISION_ORDER = ("day", "week", "month", "not given")
PLACE_PRECISION_LABELS = {1: "1: the place itself", 2: "2: near it / a town", 3: "3: a province or wider"}


def _in_order(counts: pd.Series, order) -> pd.Series:
    """Put value counts in a fixed reading order (finest first), any other value after them."""
    known = [value for value in order if value in counts.index]
    return counts.reindex(known + [value for value in counts.index if value not in known])


def precision_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Count events by how exactly they are dated (day / week / month) and placed (geo_precision 1-3), finest first.

    >>> precision_counts(pd.DataFrame({"date_precision": ["month", "day", "day"], "geo_precision": [3, 1, 2]}))["value"].tolist()
    ['day', 'month', '1: the place itself', '2: near it / a town', '3: a province or wider']
    """
    dated = _in_order(events["date_precision"].astype("string").fillna("not given").value_counts(), DATE_PRECISION_ORDER)
    placed = _in_order(events["geo_precision"].astype("Int64").map(PLACE_PRECISION_LABELS).astype("string")
                       .fillna("not placed").value_counts(), [*PLACE_PRECISION_LABELS.values(), "not placed"])
    return pd.concat([
        pd.DataFrame({"measure": "date precision", "value": dated.index, "events": dated.to_numpy()}),
        pd.DataFrame({"measure": "place precision", "value": placed.index, "events": placed.to_numpy()}),
    ], ignore_index=True).astype({"events": int})


def source_coverage(events: pd.DataFrame) -> pd.DataFrame:
    """Return per source and country: number of events and the first and last event dates."""
    if events.empty:
        return pd.DataFrame(columns=["source", "country", "events", "first_event", "last_event"])
    frame = events.assign(source=events["source"].astype("string").fillna("unknown"),
                          country=events["country"].astype("string").fillna("unknown"))
    table = frame.groupby(["source", "country"], sort=True)["event_date"].agg(events="size", first_event="min", last_event="max")
    table["first_event"] = table["first_event"].dt.strftime("%Y-%m-%d")
    table["last_event"] = table["last_event"].dt.strftime("%Y-%m-%d")
    return table.reset_index()


def longest_gaps(events: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """Return the n longest stretches without any event (a gap may be quiet, or a hole in the coverage).

    >>> longest_gaps(pd.DataFrame({"event_date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-02-01"])}), n=1)
      after_event before_event  days_without_events
    0  2024-01-03   2024-02-01                   28
    """
    dates = pd.Series(events["event_date"].dropna().sort_values().unique())
    if len(dates) < 2:
        return pd.DataFrame(columns=["after_event", "before_event", "days_without_events"])
    gaps = pd.DataFrame({"after_event": dates[:-1].to_numpy(), "before_event": dates[1:].to_numpy()})
    gaps["days_without_events"] = (gaps["before_event"] - gaps["after_event"]).dt.days - 1
    gaps = gaps.sort_values("days_without_events", ascending=False, kind="stable").head(n)
    for column in ("after_event", "before_event"):
        gaps[column] = gaps[column].dt.strftime("%Y-%m-%d")
    return gaps.reset_index(drop=True)


def coverage_figure(events: pd.DataFrame, start=None, end=None, *, title: str = "Events per month and country"):
    """Draw a month x country heat map of event counts: blank rows and columns show holes in the coverage."""
    import plotly.graph_objects as go

    from analysis.analyses.counts import event_counts

    counts = event_counts(events, freq="M", by="country", start=start, end=end)
    table = counts.pivot_table(index="country", columns="period_start", values="events", aggfunc="sum", fill_value=0)
    figure = go.Figure(go.Heatmap(
        z=table.to_numpy(), x=list(table.columns), y=[str(c) for c in table.index], colorscale="Blues",
        hovertemplate="%{y}, %{x|%B %Y}: %{z} events<extra></extra>", colorbar={"title": "events"},
    ))
    figure.update_layout(title=title, height=160 + 45 * max(len(table.index), 1),
                         margin={"l": 10, "r": 10, "t": 50, "b": 10}, xaxis={"tickformat": "%b %Y"})
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
    return f"{total['unaccounted']} of {total['raw_rows']} raw rows are unaccounted for ({counts}): the build has a bug."


def count_note(rows: int, what: str, none_text: str) -> str:
    """Say how many rows a data-quality table has, or none_text when there are none.

    >>> count_note(0, "quarantined rows", "No row was quarantined."), count_note(2, "quarantined rows", "")
    ('No row was quarantined.', '2 quarantined rows.')
    """
    return none_text if rows == 0 else f"{rows} {what}."


def _is_incident_log(events: pd.DataFrame) -> pd.Series:
    """Flag the events that come from an incident log."""
    return events["source"].astype("string").eq(INCIDENT_LOG_SOURCE).fillna(False) if "source" in events else \
        pd.Series(False, index=events.index)


def coverage_caveats(events: pd.DataFrame, start=None, end=None) -> list[str]:
    """Say in sentences what the data cannot show: an incident log is not a complete count of attacks, and a
    selection reaching past the data's first or last event counts days the data does not cover as quiet.

    Pass the whole data's events (before filter_data), so "the data starts" means the data, not the selection.

    >>> events = pd.DataFrame({"event_date": pd.to_datetime(["2020-01-01", "2024-11-26"]), "source": ["acled"] * 2})
    >>> coverage_caveats(events, "2019-01-01", "2024-11-30")[0][:60]
    'The selection starts on 2019-01-01, but the first event in t'
    """
    from analysis.core.selection import parse_period

    notes = []
    from_log = _is_incident_log(events)
    if from_log.any():
        notes.append(
            "The incident log is not a complete count of attacks or strikes: it holds the events its sources "
            "describe one by one, and attacks that the sources mention only as a total (\"more than a dozen attacks "
            "last week\") have no row."
        )
        if "source_file" in events and events.loc[from_log, "source_file"].astype("string").eq(SHIPPED_LOG_FILE).any():
            notes.append(SHIPPED_LOG_COVERAGE)
    dates = events["event_date"].dropna()
    if len(dates):
        from analysis.analyses.overview import end_date_text

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
    shipped = "source_file" in events and events.loc[from_log, "source_file"].astype("string").eq(SHIPPED_LOG_FILE).any()
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

