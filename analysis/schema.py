"""Pandera schemas for the processed tables: the contract every analysis relies on."""
from __future__ import annotations

import pandas as pd

from .model import (
    DATE_PRECISIONS, INTERCEPTED_VALUES, OUTCOMES, ROLES, SIDES, WEAPONS, EventData,
)


def _schemas():
    """Build the schemas (pandera is imported here so `import analysis` stays fast)."""
    import pandera.pandas as pa

    def text(allowed=None, nullable=True, **kw):
        checks = [pa.Check.isin(list(allowed))] if allowed else []
        return pa.Column("string", checks=checks, nullable=nullable, **kw)

    events = pa.DataFrameSchema(
        {
            "event_id": text(nullable=False, unique=True),
            "source": text(nullable=False),
            "event_date": pa.Column("datetime64[ns]", nullable=False),
            "date_earliest": pa.Column("datetime64[ns]", nullable=False),
            "date_latest": pa.Column("datetime64[ns]", nullable=False),
            "date_precision": text(DATE_PRECISIONS, nullable=False),
            "event_time_utc": pa.Column("datetime64[ns, UTC]", nullable=True),
            "latitude": pa.Column("Float64", pa.Check.in_range(-90, 90), nullable=True),
            "longitude": pa.Column("Float64", pa.Check.in_range(-180, 180), nullable=True),
            "role": text(ROLES, nullable=False),
            "initiator_side": text(SIDES, nullable=False),
            "target_side": text(SIDES, nullable=False),
            "weapon": text(WEAPONS, nullable=False),
            "munitions": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "intercepted": text(INTERCEPTED_VALUES),
        },
        checks=[
            pa.Check(lambda f: (f["date_earliest"] <= f["event_date"]) & (f["event_date"] <= f["date_latest"]),
                     error="event_date must lie between date_earliest and date_latest"),
        ],
        strict=False,
        name="events",
    )
    casualties = pa.DataFrameSchema(
        {
            "event_id": text(nullable=False),
            "side": text(SIDES, nullable=False),
            "outcome": text(OUTCOMES, nullable=False),
            "low": pa.Column("Int64", pa.Check.ge(0), nullable=False),
            "best": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "high": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "claimant": text(nullable=False),
        },
        checks=[
            pa.Check(lambda f: (f["low"] <= f["best"]).fillna(True), error="low must not exceed best"),
            pa.Check(lambda f: (f["best"] <= f["high"]).fillna(True), error="best must not exceed high"),
        ],
        strict=False,
        name="casualties",
    )
    return events, casualties


def validate(data: EventData) -> EventData:
    """Check the canonical tables against their schemas and each other; raise SchemaErrors if they break."""
    events_schema, casualties_schema = _schemas()
    events_schema.validate(data.events, lazy=True)
    casualties_schema.validate(data.casualties, lazy=True)
    orphans = set(data.casualties["event_id"]) - set(data.events["event_id"])
    if orphans:
        raise ValueError(f"casualty rows point to events that do not exist: {sorted(orphans)[:5]}")
    return data


def check_unique_event_ids(events: pd.DataFrame) -> None:
    """Raise when two input files produce the same event_id, naming both files."""
    duplicated = events[events["event_id"].duplicated(keep=False)]
    if len(duplicated):
        first = duplicated.iloc[0]
        where = duplicated[duplicated["event_id"] == first["event_id"]]
        places = "; ".join(f"{f} row {r}" for f, r in zip(where["source_file"], where["source_row"]))
        from .errors import AnalysisError

        raise AnalysisError(f"event_id {first['event_id']!r} appears in more than one input: {places}")
