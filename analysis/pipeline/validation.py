"""Pandera schemas for the processed tables: the contract every analysis relies on."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core.spec import CASUALTIES, EVENTS, TableSpec
from analysis.core.tables import EventData


def schema_for(spec: TableSpec, *, check_unique: bool = True):
    """Generate the pandera schema of a canonical table from its declaration (analysis.core.spec).

    Every declared column is checked for its dtype, nullability, allowed values and range; the table's row
    rules (``spec.ordered``) become checks that skip missing values. ``check_unique=False`` leaves the
    uniqueness of unique columns out, for a caller that checks it another way (validate does).
    pandera is imported here so `import analysis` stays fast.
    """
    import pandera.pandas as pa

    columns = {}
    for field in spec.fields:
        checks = []
        if field.allowed:
            checks.append(pa.Check.isin(list(field.allowed)))
        if field.minimum is not None and field.maximum is not None:
            checks.append(pa.Check.in_range(field.minimum, field.maximum))
        elif field.minimum is not None:
            checks.append(pa.Check.ge(field.minimum))
        columns[field.name] = pa.Column(
            field.dtype, checks=checks, nullable=field.nullable, unique=field.unique and check_unique
        )
    return pa.DataFrameSchema(
        columns, checks=[_ordered_check(pa, names) for names in spec.ordered], strict=False, name=spec.name
    )


def _ordered_check(pa, names: tuple[str, ...]):
    """Return a pandera check that each column of names is at most the next one, wherever both are given."""

    def in_order(frame: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=frame.index)
        for left, right in zip(names, names[1:]):
            ok &= (frame[left] <= frame[right]).fillna(True).astype(bool)
        return ok

    return pa.Check(in_order, error=" <= ".join(names) + " must hold wherever the values are given")


def _schemas(check_unique_ids: bool = True):
    """Return the events and casualties schemas."""
    return schema_for(EVENTS, check_unique=check_unique_ids), schema_for(CASUALTIES)


def validate(data: EventData) -> EventData:
    """Check the canonical tables against their schemas and each other; raise SchemaErrors if they break.

    Event ids must be unique and every casualty row must point to an event. Both are answered by one hash
    pass over the ids (event_id_links), which pyarrow runs without holding the GIL: it goes on a second
    thread while pandera checks the events and then the casualties. Should the events fail any check, they
    are validated again with pandera's own uniqueness check, so the report is the one pandera always gave
    (repeated ids named); failures are reported in the order they always were: events, casualties, links.
    """
    from concurrent.futures import ThreadPoolExecutor

    events_schema, casualties_schema = _schemas(check_unique_ids=False)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="event-id-links") as worker:
        links = worker.submit(event_id_links, data.events["event_id"], data.casualties["event_id"])
        events_pass = _passes(events_schema, data.events)
        casualties_pass = _passes(casualties_schema, data.casualties)
        links = links.result()
    if not events_pass or links is None or not links.is_unique:
        _schemas()[0].validate(data.events, lazy=True)  # raises, naming every failure
    if not casualties_pass:
        casualties_schema.validate(data.casualties, lazy=True)  # raises, naming every failure
    if links.orphans:
        raise ValueError(f"casualty rows point to events that do not exist: {links.orphans[:5]}")
    return data


def _passes(schema, frame: pd.DataFrame) -> bool:
    """Tell whether a frame passes a pandera schema."""
    from pandera.errors import SchemaError, SchemaErrors

    try:
        schema.validate(frame, lazy=True)
    except (SchemaError, SchemaErrors):
        return False
    return True


@dataclass(frozen=True)
class EventIdLinks:
    """What one pass over the ids found: whether event ids are unique, and the casualty ids no event has (sorted)."""

    is_unique: bool
    orphans: list[str]


def event_id_links(event_ids: pd.Series, casualty_ids: pd.Series) -> EventIdLinks | None:
    """Tell whether event ids are unique and which casualty ids have no event, in one vectorised hash pass.

    The ids of both tables are dictionary-encoded together, events first: codes are handed out in order of
    first appearance, so the events hold distinct ids exactly when their largest code is their count - 1, and
    a casualty id names no event exactly when its code lies beyond that. None when an event id is blank.
    When the casualty ids equal the event ids row for row (one casualty row per event, as ACLED gives), no
    casualty id can lack an event: only the event ids are hashed, half the work.

    >>> links = event_id_links(pd.Series(["a", "b"], dtype="string"), pd.Series(["b", "c", "c"], dtype="string"))
    >>> links.is_unique, links.orphans
    (True, ['c'])
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from analysis.core.arrays import pa_array

    if event_ids.isna().any():
        return None
    events, casualties = (pa_array(ids).cast(pa.large_string()) for ids in (event_ids, casualty_ids))
    if events.equals(casualties):
        distinct_events = len(pc.unique(events.combine_chunks()))
        return EventIdLinks(is_unique=distinct_events == len(event_ids), orphans=[])
    chunks = [*events.chunks, *casualties.chunks]
    codes = pc.dictionary_encode(pa.chunked_array(chunks, type=pa.large_string()).combine_chunks()).indices
    event_count = len(event_ids)
    distinct_events = int(pc.max(codes.slice(0, event_count)).as_py()) + 1 if event_count else 0
    casualty_codes = codes.slice(event_count)  # a blank casualty id has no code: it names no event either
    has_no_event = pc.fill_null(pc.greater_equal(casualty_codes, distinct_events), True).to_numpy(zero_copy_only=False)
    orphans = casualty_ids[np.asarray(has_no_event, dtype=bool)]
    return EventIdLinks(is_unique=distinct_events == event_count, orphans=sorted(map(str, orphans.unique())))


def check_unique_event_ids(events: pd.DataFrame) -> None:
    """Raise when two input files produce the same event_id, naming both files."""
    duplicated = events[events["event_id"].duplicated(keep=False)]
    if len(duplicated):
        first = duplicated.iloc[0]
        where = duplicated[duplicated["event_id"] == first["event_id"]]
        places = "; ".join(f"{f} row {r}" for f, r in zip(where["source_file"], where["source_row"]))
        from analysis.core.errors import AnalysisError

        raise AnalysisError(f"event_id {first['event_id']!r} appears in more than one input: {places}")
