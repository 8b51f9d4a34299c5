"""The container every reader fills and every analysis reads: EventData, and casting frames to the spec."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

from analysis.core.spec import ACCOUNTING, CASUALTIES, CORRECTIONS, EVENTS, MERGES, QUARANTINE, UNKNOWN_NAMES

# Column -> pandas dtype of each canonical table, in the written order (declared in analysis.core.spec).
EVENT_COLUMNS = EVENTS.dtypes
CASUALTY_COLUMNS = CASUALTIES.dtypes
QUARANTINE_COLUMNS = QUARANTINE.dtypes
UNKNOWN_NAME_COLUMNS = UNKNOWN_NAMES.dtypes
MERGE_COLUMNS = MERGES.dtypes
CORRECTION_COLUMNS = CORRECTIONS.dtypes
ACCOUNTING_COLUMNS = ACCOUNTING.dtypes


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


# responds_to of a strike its sources frame as answering no particular attack (pre-emptive, a targeted killing):
# it is never paired with an attack by inference.
NO_ATTACK = "none"


def answers_no_attack(value) -> bool:
    """Tell whether a responds_to cell says the strike answers no particular attack ('none')."""
    return isinstance(value, str) and value.strip().casefold() == NO_ATTACK


def answer_no_attack(responds_to: pd.Series) -> pd.Series:
    """Tell, for a responds_to column, which cells say the strike answers no particular attack (booleans)."""
    return responds_to.astype("string").str.strip().str.casefold().eq(NO_ATTACK).fillna(False).astype(bool)


def split_ids(value) -> list[str]:
    """Split a ';'-separated id list (responds_to) into ids ('none' names no id)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or answers_no_attack(value):
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
    def concat(cls, parts: list[EventData]) -> EventData:
        """Stack several EventData (one per input file) table by table."""
        if not parts:
            return cls()
        return cls(**{f.name: pd.concat([getattr(p, f.name) for p in parts], ignore_index=True) for f in fields(cls)})

    def __repr__(self) -> str:
        counts = ", ".join(f"{f.name}={len(getattr(self, f.name))}" for f in fields(self))
        return f"EventData({counts})"


def events_of(table) -> pd.DataFrame:
    """Return the events table of an EventData, or the table itself (what analyses accept as `events`)."""
    return table.events if isinstance(table, EventData) else table
