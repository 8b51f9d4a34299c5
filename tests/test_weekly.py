"""Unit tests for load_weekly_counts: ACLED's aggregated weekly files as a tidy counts table."""

import pandas as pd
import pytest

import analysis as an
from analysis.core.errors import InputError
from analysis.sources.weekly import WEEKLY_COLUMNS
from tests.conftest import write_csv
from tests.factories import weekly_row, write_weekly


def test_load_weekly_counts__tidy_table_with_fixed_columns(tmp_path):
    path = write_weekly(tmp_path, [weekly_row(WEEK="2024-01-13"), weekly_row(ADMIN1="Al Hasakeh", EVENTS="0")])
    counts = an.load_weekly_counts(path)
    assert {c: str(t) for c, t in counts.dtypes.items()} == WEEKLY_COLUMNS
    assert counts["week_start"].tolist() == [pd.Timestamp("2024-01-06"), pd.Timestamp("2024-01-13")]
    assert counts["admin1"].tolist() == ["Al Hasakeh", "Deir ez Zor"]  # sorted by week, then place
    assert counts["events"].tolist() == [0, 4] and counts["source_row"].tolist() == [3, 2]
    assert counts[["population_exposure", "centroid_latitude", "id"]].iloc[1].tolist() == [120000, 35.05, "76003"]


def test_load_weekly_counts__older_file_without_optional_columns(tmp_path):
    header = ["WEEK", "COUNTRY", "ADMIN1", "EVENT_TYPE", "SUB_EVENT_TYPE", "EVENTS", "FATALITIES"]
    counts = an.load_weekly_counts(write_weekly(tmp_path, [weekly_row(WEEK="6 January 2024")], header=header))
    assert counts["disorder_type"].isna().all() and counts["population_exposure"].isna().all()
    assert counts["week_start"].tolist() == [pd.Timestamp("2024-01-06")]


def test_load_weekly_counts__xlsx_with_date_cells(tmp_path):
    path = tmp_path / "weekly.xlsx"
    pd.DataFrame([weekly_row() | {"WEEK": pd.Timestamp("2024-01-06"), "EVENTS": 4, "FATALITIES": 1}]).to_excel(
        path, index=False
    )
    counts = an.load_weekly_counts(path)
    assert counts[["week_start", "events"]].values.tolist() == [[pd.Timestamp("2024-01-06"), 4]]


@pytest.mark.parametrize(
    "cells, expected",
    [
        (
            {"WEEK": "2024-01-08"},
            "row 3, column 'week', value '2024-01-08': week 2024-01-08 is a Monday; ACLED weeks start on a Saturday",
        ),
        ({"EVENTS": "-2"}, "row 3, column 'events', value '-2'"),
        ({"EVENTS": ""}, "events is blank (required)"),
        ({"CENTROID_LATITUDE": "north"}, "centroid_latitude is not a number"),
    ],
)
def test_load_weekly_counts__bad_cell_names_file_row_column_and_value(tmp_path, cells, expected):
    path = write_weekly(tmp_path, [weekly_row(), weekly_row(**{"ADMIN1": "Homs", **cells})])
    with pytest.raises(InputError) as error:
        an.load_weekly_counts(path)
    assert "weekly.csv: has 1 unreadable rows" in str(error.value) and expected in str(error.value)


def test_load_weekly_counts__same_key_twice_is_refused(tmp_path):
    path = write_weekly(tmp_path, [weekly_row(), weekly_row(EVENTS="9")])
    with pytest.raises(InputError, match="row 3, .*same week, country, admin1, event and disorder type as row 2"):
        an.load_weekly_counts(path)


def test_load_weekly_counts__event_table_is_not_a_weekly_file(tmp_path):
    path = write_csv(tmp_path / "log.csv", [["id", "date"], ["a", "2024-01-06"]])
    with pytest.raises(InputError, match="is not an ACLED weekly aggregate: it lacks week, country"):
        an.load_weekly_counts(path)


def test_load_events__weekly_file_points_to_load_weekly_counts(raw_dir):
    path = write_weekly(raw_dir, [weekly_row()])
    with pytest.raises(InputError, match="is an ACLED weekly aggregate .*an.load_weekly_counts"):
        an.load_events([path], reference_dir=raw_dir / "reference")
