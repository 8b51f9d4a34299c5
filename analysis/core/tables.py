"""The canonical tables every reader produces and every analysis reads (see DESIGN.md)."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

ROLES = ("attack", "response", "other")
SIDES = ("militia", "us", "coalition", "partner", "regime", "iran", "civilian", "other", "unknown")
OUTCOMES = ("killed", "wounded")
DATE_PRECISIONS = ("day", "week", "month", "year")
INTERCEPTED_VALUES = ("yes", "no", "partial")
WEAPONS = (
    "rocket", "drone", "missile", "mortar", "artillery", "ied", "small_arms", "airstrike", "ground_raid",
    "multiple", "unknown",
)
COUNTRY_TIMEZONES = {"Iraq": "Asia/Baghdad", "Syria": "Asia/Damascus", "Jordan": "Asia/Amman"}

# Column -> pandas dtype. Order is the order of the written tables.
EVENT_COLUMNS = {
    "event_id": "string",
    "source": "string",
    "event_date": "datetime64[ns]",
    "date_earliest": "datetime64[ns]",
    "date_latest": "datetime64[ns]",
    "date_precision": "string",
    "event_time_utc": "datetime64[ns, UTC]",
    "country": "string",
    "admin1": "string",
    "location": "string",
    "site": "string",
    "latitude": "Float64",
    "longitude": "Float64",
    "geo_precision": "Int64",
    "role": "string",
    "role_basis": "string",
    "initiator": "string",
    "initiator_side": "string",
    "target": "string",
    "target_side": "string",
    "weapon": "string",
    "munitions": "Int64",
    "intercepted": "string",
    "responds_to": "string",
    "claimed_by": "string",
    "sources": "string",
    "source_url": "string",
    "date_basis": "string",
    "notes": "string",
    "source_file": "string",
    "source_row": "Int64",
    # every source record this event stands for ('; '-separated event ids): itself, plus the records of
    # other sources merged into it as the same incident (analysis.cleaning.merging)
    "source_records": "string",
}
CASUALTY_COLUMNS = {
    "event_id": "string",
    "side": "string",
    "outcome": "string",
    "low": "Int64",
    "best": "Int64",
    "high": "Int64",
    "claimant": "string",
    "claim_text": "string",
}
QUARANTINE_COLUMNS = {
    "source_file": "string",
    "source_row": "Int64",
    "column": "string",
    "value": "string",
    "reason": "string",
}
UNKNOWN_NAME_COLUMNS = {
    "source_file": "string",
    "source_row": "Int64",
    "column": "string",
    "value": "string",
}
MERGE_COLUMNS = {
    "kept_event_id": "string",
    "merged_event_id": "string",
    "source_file": "string",
    "source_row": "Int64",
    "reason": "string",
}
CORRECTION_COLUMNS = {
    "source_file": "string",
    "record_id": "string",
    "column": "string",
    "expected": "string",
    "corrected": "string",
    "reason": "string",
}
ACCOUNTING_COLUMNS = {
    "source_file": "string",
    "format": "string",
    "raw_rows": "Int64",
    "events": "Int64",
    "merged": "Int64",
    "quarantined": "Int64",
}


def empty_table(columns: dict[str, str]) -> pd.DataFrame:
    """Return an empty frame with the given columns and dtypes."""
    return conform(pd.DataFrame(columns=list(columns)), columns)


def conform(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Return frame with exactly the given columns (missing ones as NA), in order, with their dtypes."""
    out = frame.reindex(columns=list(columns))
    return out.assign(**{name: _as_dtype(out[name], dtype) for name, dtype in columns.items()})


def _as_dtype(values: pd.Series, dtype: str) -> pd.Series:
    """Cast one column, parsing text first where the target is numeric or a timestamp."""
    if str(values.dtype) == dtype:
        return values
    if dtype in ("Int64", "Float64"):
        return pd.to_numeric(values.astype(object), errors="raise").astype(dtype)
    if dtype.startswith("datetime64"):
        parsed = pd.to_datetime(values, utc="UTC" in dtype)
        return parsed.astype(dtype)
    return values.astype(dtype)


def split_ids(value) -> list[str]:
    """Split a ';'-separated id list (responds_to) into ids."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


@dataclass
class EventData:
    """The canonical tables read from one or more inputs, with the build's bookkeeping."""

    events: pd.DataFrame = field(default_factory=lambda: empty_table(EVENT_COLUMNS))
    casualties: pd.DataFrame = field(default_factory=lambda: empty_table(CASUALTY_COLUMNS))
    quarantine: pd.DataFrame = field(default_factory=lambda: empty_table(QUARANTINE_COLUMNS))
    unknown_names: pd.DataFrame = field(default_factory=lambda: empty_table(UNKNOWN_NAME_COLUMNS))
    merges: pd.DataFrame = field(default_factory=lambda: empty_table(MERGE_COLUMNS))
    accounting: pd.DataFrame = field(default_factory=lambda: empty_table(ACCOUNTING_COLUMNS))
    corrections: pd.DataFrame = field(default_factory=lambda: empty_table(CORRECTION_COLUMNS))

    @classmethod
    def concat(cls, parts: list["EventData"]) -> "EventData":
        """Stack several EventData (one per input file) table by table."""
        if not parts:
            return cls()
        return cls(**{
            f.name: pd.concat([getattr(p, f.name) for p in parts], ignore_index=True)
            for f in fields(cls)
        })

    def __repr__(self) -> str:
        counts = ", ".join(f"{f.name}={len(getattr(self, f.name))}" for f in fields(self))
        return f"EventData({counts})"


def events_of(table) -> pd.DataFrame:
    """Return the events table of an EventData, or the table itself (what analyses accept as `events`)."""
    return table.events if isinstance(table, EventData) else table
