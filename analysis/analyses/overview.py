"""What the overview page counts: events by country and role, and the latest events (frames, no drawing)."""

from __future__ import annotations

import pandas as pd

ROLE_ORDER = ("attack", "response", "other")
ROLE_LABELS = {"attack": "attacks", "response": "responses", "other": "other events"}


def role_of(events: pd.DataFrame) -> pd.Series:
    """Return each event's role as text, blank roles read as 'other'."""
    return events["role"].astype("string").fillna("other")


def role_counts_by_country(events: pd.DataFrame) -> pd.DataFrame:
    """Count events per country and role (attacks, responses = US / coalition strikes), with totals.

    >>> role_counts_by_country(pd.DataFrame({"country": ["Iraq", "Iraq", "Syria"], "role": ["attack", "response", "attack"]}))
      country  attacks  responses  other events  total
    0    Iraq        1          1             0      2
    1   Syria        1          0             0      1
    2   Total        2          1             0      3
    """
    frame = pd.DataFrame({"country": events["country"].astype("string").fillna("unknown"), "role": role_of(events)})
    table = pd.crosstab(frame["country"], frame["role"]).reindex(columns=list(ROLE_ORDER), fill_value=0)
    table = table.rename(columns=ROLE_LABELS)
    table["total"] = table.sum(axis=1)
    table.loc["Total"] = table.sum()
    table.columns.name = None
    return table.rename_axis("country").reset_index().astype({c: int for c in table.columns})


def latest_events(events: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Return the n most recent events with who, what, where and the coder's notes (show them escaped)."""
    columns = ["event_date", "country", "location", "role", "initiator", "target", "weapon", "notes"]
    latest = events.sort_values(["event_date", "event_id"], ascending=False, kind="stable").head(n)
    table = latest[columns].copy()
    table["event_date"] = table["event_date"].dt.strftime("%Y-%m-%d")
    return table.reset_index(drop=True)
