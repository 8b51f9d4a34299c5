"""Unit tests for the processed-table contract (analysis.pipeline.validation): unique event ids and casualty -> event links."""

import pandas as pd
import pyarrow as pa
import pytest

import analysis as an
from analysis.core.tables import CASUALTY_COLUMNS, EVENT_COLUMNS, conform
from analysis.pipeline.validation import event_id_links, validate


def events(ids, **cells) -> pd.DataFrame:
    """Return valid canonical events with the given ids (other cells overridden)."""
    day = pd.Timestamp("2023-10-19")
    return conform(
        pd.DataFrame(
            {
                "event_id": ids,
                "source": "acled",
                "event_date": day,
                "date_earliest": day,
                "date_latest": day,
                "date_precision": "day",
                "role": "other",
                "initiator_side": "unknown",
                "target_side": "unknown",
                "weapon": "unknown",
                **cells,
            }
        ),
        EVENT_COLUMNS,
    )


def casualties(ids) -> pd.DataFrame:
    """Return valid casualty rows pointing at the given event ids."""
    return conform(
        pd.DataFrame(
            {"event_id": ids, "side": "unknown", "outcome": "killed", "low": 1, "best": 1, "claimant": "ACLED"}
        ),
        CASUALTY_COLUMNS,
    )


def text(values) -> pd.Series:
    """Return a 'string' Series."""
    return pd.Series(values, dtype="string")


def test_validate__linked_tables_pass():
    data = an.EventData(events=events(["acled:1", "acled:2"]), casualties=casualties(["acled:2", "acled:2"]))
    assert validate(data) is data


def test_validate__casualty_row_without_event_raises():
    data = an.EventData(events=events(["acled:1"]), casualties=casualties(["acled:1", "acled:9"]))
    with pytest.raises(ValueError, match=r"casualty rows point to events that do not exist: \['acled:9'\]"):
        validate(data)


def test_validate__repeated_event_id_is_named_by_pandera():
    from pandera.errors import SchemaErrors

    data = an.EventData(events=events(["acled:1", "acled:2", "acled:1"]), casualties=casualties(["acled:2"]))
    with pytest.raises(SchemaErrors, match="(?s)event_id.*duplicate"):
        validate(data)


def test_validate__repeated_id_and_other_failures_are_reported_together():
    from pandera.errors import SchemaErrors

    data = an.EventData(events=events(["acled:1", "acled:1"], role=["attack", "ambush"]), casualties=casualties([]))
    with pytest.raises(SchemaErrors) as raised:
        validate(data)
    assert "duplicate" in str(raised.value) and "ambush" in str(raised.value)


def test_event_id_links__finds_repeats_and_orphans_in_one_pass():
    links = event_id_links(text(["a", "b", "c"]), text(["c", "x", "a", "x", None]))
    assert links.is_unique and links.orphans == ["<NA>", "x"]
    assert not event_id_links(text(["a", "b", "a"]), text(["a"])).is_unique


def test_event_id_links__reads_columns_held_in_several_chunks():
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["a", "b"], ["c"]], type=pa.large_string())))
    links = event_id_links(chunked, pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["c"], ["d", "a"]]))))
    assert links.is_unique and links.orphans == ["d"]


def test_event_id_links__blank_event_id_leaves_the_check_to_the_schema():
    assert event_id_links(text(["a", None]), text(["a"])) is None
    assert event_id_links(text([]), text([])).orphans == []


def test_event_id_links__one_casualty_row_per_event_hashes_only_the_events():
    links = event_id_links(text(["a", "b", "c"]), text(["a", "b", "c"]))
    assert links.is_unique and links.orphans == []
    repeated = event_id_links(text(["a", "b", "a"]), text(["a", "b", "a"]))
    assert not repeated.is_unique and repeated.orphans == []


def test_validate__casualty_schema_failure_is_reported_after_the_concurrent_id_pass():
    from pandera.errors import SchemaErrors

    bad = casualties(["acled:1"]).assign(low=pd.array([-1], dtype="Int64"))
    data = an.EventData(events=events(["acled:1"]), casualties=bad)
    with pytest.raises(SchemaErrors) as raised:
        validate(data)
    assert "casualties" in str(raised.value) and "low" in str(raised.value)


def test_schema_for__every_declared_rule_is_checked():
    import pandera.errors

    from analysis.core.spec import EVENTS
    from analysis.core.tables import EVENT_COLUMNS, conform
    from analysis.pipeline.validation import schema_for

    good = conform(
        pd.DataFrame(
            {
                "event_id": ["log:a"],
                "source": ["incident_log"],
                "event_date": pd.to_datetime(["2024-01-02"]),
                "date_earliest": pd.to_datetime(["2024-01-01"]),
                "date_latest": pd.to_datetime(["2024-01-03"]),
                "date_precision": ["week"],
                "role": ["attack"],
                "initiator_side": ["militia"],
                "target_side": ["us"],
                "target_kind": ["base"],
                "weapon": ["drone"],
            }
        ),
        EVENT_COLUMNS,
    )
    schema = schema_for(EVENTS)
    schema.validate(good)
    for column, value in [
        ("target_kind", "barracks"),
        ("role", "raid"),
        ("latitude", 95.0),
        ("munitions", -1),
        ("date_latest", pd.Timestamp("2023-12-31")),
    ]:
        bad = good.copy()
        bad[column] = pd.Series([value], dtype=EVENT_COLUMNS[column]) if column != "date_latest" else [value]
        with pytest.raises((pandera.errors.SchemaError, pandera.errors.SchemaErrors)):
            schema.validate(bad, lazy=True)
