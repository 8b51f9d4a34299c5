"""Data-quality tables: row accounting, quarantine, unknown names, field completeness and coverage."""

from __future__ import annotations

import pandas as pd

ACCOUNTING_COUNTS = ("raw_rows", "events", "merged", "quarantined")
INCIDENT_LOG_SOURCE = "incident_log"
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
    total = {
        "source_file": "Total",
        "format": "",
        **{c: int(table[c].sum()) for c in [*ACCOUNTING_COUNTS, "unaccounted"]},
    }
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
        return pd.DataFrame(columns=["column", "value", "did_you_mean", "rows", "example_rows"])
    named = unknown_names.assign(did_you_mean=unknown_names.get("suggestion", pd.NA)).fillna({"did_you_mean": ""})
    grouped = named.groupby(["column", "value", "did_you_mean"], dropna=False, sort=False)["source_row"]
    table = grouped.agg(rows="size", example_rows=lambda rows: ", ".join(map(str, sorted(rows.dropna())[:5])))
    return (
        table.reset_index()
        .sort_values(["rows", "column", "value"], ascending=[False, True, True], kind="stable")
        .reset_index(drop=True)
    )


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
    dated = _in_order(
        events["date_precision"].astype("string").fillna("not given").value_counts(), DATE_PRECISION_ORDER
    )
    placed = _in_order(
        events["geo_precision"]
        .astype("Int64")
        .map(PLACE_PRECISION_LABELS)
        .astype("string")
        .fillna("not placed")
        .value_counts(),
        [*PLACE_PRECISION_LABELS.values(), "not placed"],
    )
    return pd.concat(
        [
            pd.DataFrame({"measure": "date precision", "value": dated.index, "events": dated.to_numpy()}),
            pd.DataFrame({"measure": "place precision", "value": placed.index, "events": placed.to_numpy()}),
        ],
        ignore_index=True,
    ).astype({"events": int})


def source_coverage(events: pd.DataFrame) -> pd.DataFrame:
    """Return per source and country: number of events and the first and last event dates."""
    if events.empty:
        return pd.DataFrame(columns=["source", "country", "events", "first_event", "last_event"])
    frame = events.assign(
        source=events["source"].astype("string").fillna("unknown"),
        country=events["country"].astype("string").fillna("unknown"),
    )
    table = frame.groupby(["source", "country"], sort=True)["event_date"].agg(
        events="size", first_event="min", last_event="max"
    )
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


ROLE_ORDER = ("attack", "response", "other")


def _labelled_roles(events: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Join hand labels (event_id, label, optional reason) to the events' role and role_basis, refusing ids not found."""
    from analysis.core.errors import AnalysisError

    joined = labels.merge(events[["event_id", "role", "role_basis"]], on="event_id", how="left")
    missing = joined.loc[joined["role"].isna(), "event_id"]
    if len(missing):
        raise AnalysisError(
            f"{len(missing)} labelled events are not in the events ({', '.join(map(str, missing[:5]))}); label the "
            "events' own ids (acled:<event_id_cnty>)"
        )
    return joined


def role_agreement(events: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Compare the roles the rules gave with hand labels: per role, labelled, given, agreed, precision and recall.

    ``labels`` holds event_id and label (attack / response / other). Precision is agreed / given (NA when the
    rules gave the role to no labelled event), recall agreed / labelled (NA when no event carries the label).

    >>> events = pd.DataFrame({"event_id": ["a", "b", "c"], "role": ["attack", "attack", "other"], "role_basis": ""})
    >>> labels = pd.DataFrame({"event_id": ["a", "b", "c"], "label": ["attack", "other", "other"]})
    >>> role_agreement(events, labels)[["role", "labelled", "given", "agreed", "precision", "recall"]].values.tolist()
    [['attack', 1, 2, 1, 0.5, 1.0], ['response', 0, 0, 0, nan, nan], ['other', 2, 1, 1, 1.0, 0.5]]
    """
    joined = _labelled_roles(events, labels)
    rows = []
    for role in ROLE_ORDER:
        labelled = int(joined["label"].eq(role).sum())
        given = int(joined["role"].eq(role).sum())
        agreed = int((joined["label"].eq(role) & joined["role"].eq(role)).sum())
        rows.append(
            {
                "role": role,
                "labelled": labelled,
                "given": given,
                "agreed": agreed,
                "precision": agreed / given if given else float("nan"),
                "recall": agreed / labelled if labelled else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def role_disagreements(events: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Return the labelled events whose role differs from the label: event_id, label, role, role_basis (, reason)."""
    joined = _labelled_roles(events, labels)
    columns = ["event_id", "label", "role", "role_basis"] + (["reason"] if "reason" in joined else [])
    return joined.loc[joined["label"].ne(joined["role"]), columns].reset_index(drop=True)
