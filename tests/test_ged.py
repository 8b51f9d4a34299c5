"""Unit tests for the UCDP GED reader: header and header-less files, dates, places, roles and per-side deaths."""

import pandas as pd
import pytest

import analysis as an
from analysis.core.errors import InputError
from analysis.sources.ged import COLUMNS
from tests.factories import ged_row, write_ged


@pytest.fixture
def load_ged(raw_dir):
    """Write GED rows and read them back with load_events."""

    def load(rows: list[dict], **options):
        return an.load_events([write_ged(raw_dir, rows, **options)], reference_dir=raw_dir / "reference")

    return load


def test_load_events__ged_row_becomes_canonical_event(load_ged):
    data = load_ged([ged_row()])
    event = data.events.iloc[0]
    assert (event["event_id"], event["source"]) == ("ged:300001", "ged")
    assert (event["event_date"], event["date_precision"]) == (pd.Timestamp("2019-12-29"), "day")
    assert (event["country"], event["admin1"], event["location"]) == ("Iraq", "Anbar province", "Al Qaim town")
    assert (event["latitude"], event["longitude"], event["geo_precision"]) == (34.379, 41.089, 1)
    assert (event["role"], event["initiator_side"], event["target_side"]) == ("response", "us", "militia")
    assert event["role_basis"] == 'notes: "US strikes"'  # the source headline
    assert (event["initiator"], event["target"]) == ("Government of United States of America", "Kata'ib Hizballah")
    assert event["sources"] == "UCDP GED (Reuters;AFP)"
    assert data.accounting[["format", "raw_rows", "events", "quarantined"]].iloc[0].tolist() == ["UCDP GED", 1, 1, 0]


def test_load_events__ged_without_headline_falls_back_on_side_order(load_ged):
    event = load_ged([ged_row(source_headline="")]).events.iloc[0]
    assert event["role"] == "response"
    assert event["role_basis"].startswith("actor order only: side_a taken as the initiator")


@pytest.mark.parametrize(
    "date_prec, precision", [("1", "day"), ("2", "week"), ("3", "week"), ("4", "month"), ("5", "year")]
)
def test_load_events__ged_date_prec_and_bounds(load_ged, date_prec, precision):
    event = load_ged([ged_row(date_prec=date_prec, date_start="2019-12-01", date_end="2019-12-20")]).events.iloc[0]
    assert event["date_precision"] == precision
    assert (event["event_date"], event["date_earliest"], event["date_latest"]) == (
        pd.Timestamp("2019-12-01"),
        pd.Timestamp("2019-12-01"),
        pd.Timestamp("2019-12-20"),
    )


@pytest.mark.parametrize(
    "where_prec, geo_precision", [("1", 1), ("2", 2), ("3", 3), ("4", 3), ("5", 3), ("6", None), ("7", None)]
)
def test_load_events__ged_where_prec_maps_to_geo_precision(load_ged, where_prec, geo_precision):
    value = load_ged([ged_row(where_prec=where_prec)]).events["geo_precision"].iloc[0]
    assert (None if pd.isna(value) else value) == geo_precision


def test_load_events__ged_deaths_become_rows_per_side_with_bounded_ranges(load_ged):
    data = load_ged(
        [ged_row(deaths_a="1", deaths_b="5", deaths_civilians="2", deaths_unknown="0", best="8", low="6", high="11")]
    )
    rows = data.casualties.set_index("side")[["low", "best", "high", "claimant"]]
    assert rows.loc["us"].tolist() == [0, 1, 4, "UCDP GED"]  # low: 1 - (8 - 6) floored at 0; high: 1 + (11 - 8)
    assert rows.loc["militia"].tolist() == [3, 5, 8, "UCDP GED"]
    assert rows.loc["civilian"].tolist() == [0, 2, 5, "UCDP GED"]
    assert rows.loc["unknown"].tolist() == [0, 0, 3, "UCDP GED"]
    assert rows["best"].sum() == 8
    assert set(data.casualties["outcome"]) == {"killed"}


def test_load_events__ged_side_named_twice_is_summed(load_ged):
    data = load_ged(
        [ged_row(side_b="Unknown insurgents", deaths_b="3", deaths_unknown="2", best="5", low="5", high="5")]
    )
    unknown = data.casualties[data.casualties["side"] == "unknown"]
    assert unknown[["low", "best", "high"]].values.tolist() == [[5, 5, 5]]


def test_load_events__ged_one_sided_violence_is_other(load_ged):
    event = load_ged([ged_row(type_of_violence="3", side_a="IS", side_b="Civilians", source_headline="")]).events.iloc[
        0
    ]
    assert (event["role"], event["initiator_side"], event["target_side"]) == ("other", "other", "civilian")
    assert event["role_basis"] == "actors: neither a pro-Iran militia nor US/coalition forces"


@pytest.mark.parametrize(
    "cells, column, reason",
    [
        ({"best": "26"}, "best", "not the sum of deaths_a"),
        ({"low": "30"}, "best", "low <= best <= high"),
        ({"date_end": "2019-12-28"}, "date_end", "before date_start"),
        ({"date_start": "2019-13-01"}, "date_start", "impossible date"),
        ({"where_prec": "9"}, "where_prec", "out of range"),
        ({"deaths_b": ""}, "deaths_b", "blank (required)"),
        ({"id": "abc"}, "id", "not a whole number"),
    ],
)
def test_load_events__ged_bad_cell_is_quarantined_with_its_reason(load_ged, cells, column, reason):
    data = load_ged([ged_row(id="1"), ged_row(**{"id": "2", **cells})])
    assert data.events["event_id"].tolist() == ["ged:1"]
    assert data.quarantine["source_row"].unique().tolist() == [3]
    assert any(column == c and reason in r for c, r in zip(data.quarantine["column"], data.quarantine["reason"]))
    assert data.accounting[["raw_rows", "events", "quarantined"]].iloc[0].tolist() == [2, 1, 1]


def test_load_events__ged_without_header_row_is_read_by_position(load_ged):
    data = load_ged([ged_row(id="1"), ged_row(id="2", best="x")], header=False)
    assert data.accounting["format"].tolist() == ["UCDP GED (no header row)"]
    assert data.events["event_id"].tolist() == ["ged:1"]
    assert data.events["source_row"].tolist() == [1]  # no header: the first line is row 1
    assert data.quarantine["source_row"].unique().tolist() == [2]


def test_load_events__ged_without_header_and_wrong_column_count_names_the_layout(raw_dir):
    path = write_ged(raw_dir, [ged_row()], header=False, columns=COLUMNS[:-1])
    with pytest.raises(InputError) as error:
        an.load_events([path], reference_dir=raw_dir / "reference")
    message = str(error.value)
    assert "ged.csv" in message and "looks like UCDP GED (no header row)" in message
    assert "has 48 columns where that layout has 49: id, relid, year" in message


def test_load_events__ged_with_header_missing_a_column_says_which(raw_dir):
    columns = [c for c in COLUMNS if c != "deaths_civilians"]
    with pytest.raises(InputError, match="looks most like UCDP GED but lacks deaths_civilians"):
        an.load_events([write_ged(raw_dir, [ged_row()], columns=columns)], reference_dir=raw_dir / "reference")


def test_load_events__ged_xlsx_with_and_without_header(raw_dir):
    frame = pd.DataFrame([ged_row()]).assign(
        id=300001,
        best=25,
        low=25,
        high=27,
        deaths_a=0,
        deaths_b=25,
        deaths_civilians=0,
        deaths_unknown=0,
        date_start=pd.Timestamp("2019-12-29"),
        date_end=pd.Timestamp("2019-12-29"),
        latitude=34.379,
        longitude=41.089,
        gwnob=645,
    )  # a column blank in every row would vanish from the sheet
    frame.to_excel(raw_dir / "with_header.xlsx", index=False)
    frame.assign(id=300002).to_excel(raw_dir / "without_header.xlsx", index=False, header=False)
    data = an.load_events(
        [raw_dir / "with_header.xlsx", raw_dir / "without_header.xlsx"], reference_dir=raw_dir / "reference"
    )
    assert sorted(data.events["event_id"]) == ["ged:300001", "ged:300002"]
    assert set(data.events["event_date"]) == {pd.Timestamp("2019-12-29")}
    assert data.accounting["format"].tolist() == ["UCDP GED", "UCDP GED (no header row)"]
