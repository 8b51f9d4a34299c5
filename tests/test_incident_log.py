"""Unit tests for the incident-log reader: every cleaning rule on a tiny inline log."""

import pandas as pd
import pytest

import analysis as an
from analysis.core.errors import InputError
from tests.conftest import log_row, write_csv


def quarantine_reasons(data) -> list[str]:
    """Return the quarantine reasons as one list."""
    return data.quarantine["reason"].tolist()


def test_load_events__clean_row_becomes_canonical_event(load_log):
    data = load_log([log_row(local_time="19:20", us_wounded="1 [CENTCOM]")])
    event = data.events.iloc[0]
    assert event["event_id"] == "log:2022-08-24-a"
    assert event["site"] == "MSS Conoco" and event["location"] == "MSS Conoco"
    assert (event["latitude"], event["longitude"]) == (35.39, 40.31)
    assert (event["initiator"], event["initiator_side"]) == ("Kata'ib Hizballah", "militia")
    assert (event["target"], event["target_side"]) == ("United States Armed Forces", "us")
    assert event["weapon"] == "rocket" and event["role"] == "attack"
    assert data.quarantine.empty


@pytest.mark.parametrize(
    "country, local, utc",
    [
        ("Syria", "19:20", "2022-08-24 16:20"),  # Damascus: UTC+3 since October 2022, UTC+3 (summer) before
        ("Iraq", "02:00", "2022-08-23 23:00"),  # Baghdad: UTC+3, crossing midnight back to the previous day
        ("Jordan", "12:00", "2022-08-24 09:00"),
    ],
)
def test_load_events__local_time_converted_with_country_zone(load_log, country, local, utc):
    location = {"Syria": "Conoco", "Iraq": "Al Asad", "Jordan": "Tower 22"}[country]
    data = load_log([log_row(country=country, location=location, local_time=local)])
    assert data.events["event_time_utc"].iloc[0] == pd.Timestamp(utc, tz="UTC")


def test_load_events__winter_time_in_damascus_before_2022(load_log):
    # Syria kept UTC+2 in winter until it moved to permanent UTC+3 in October 2022.
    data = load_log([log_row(date="2021-01-15", local_time="12:00")])
    assert data.events["event_time_utc"].iloc[0] == pd.Timestamp("2021-01-15 10:00", tz="UTC")


@pytest.mark.parametrize("spelling", ["Deir ez-Zor", "Deir Ezzor", "Dayr az Zawr", "DEIR  EZ-ZOR ", "Deir ez\u2011Zor"])
def test_load_events__place_aliases_resolve(load_log, spelling):
    data = load_log([log_row(location=spelling)])
    assert data.events["location"].iloc[0] == "Deir ez-Zor"
    assert pd.isna(data.events["site"].iloc[0])  # a province is not a base


@pytest.mark.parametrize(
    "spelling", ["Kataib Hezbollah", "Kata'ib Hizballah", "KH", "kata\u2019ib hizballah", "Kataïb Hizballah"]
)
def test_load_events__actor_aliases_resolve(load_log, spelling):
    data = load_log([log_row(actor=spelling)])
    assert data.events["initiator"].iloc[0] == "Kata'ib Hizballah"


def test_load_events__unknown_names_kept_and_reported(load_log):
    data = load_log([log_row(actor="  Ashab  al-Kahf ", weapon="slingshot", location="Conoco")])
    event = data.events.iloc[0]
    assert event["initiator"] == "Ashab al-Kahf" and event["initiator_side"] == "unknown"
    assert event["weapon"] == "unknown"
    assert sorted(data.unknown_names["value"]) == ["Ashab al-Kahf", "slingshot"]
    assert data.quarantine.empty


def test_load_events__blank_actor_takes_side_implied_by_kind(load_log):
    data = load_log([log_row(actor="", target="", kind="response")])
    assert data.events[["initiator_side", "target_side"]].iloc[0].tolist() == ["us", "militia"]


def test_load_events__casualty_claims_long_and_tidy(load_log):
    data = load_log([log_row(us_wounded="1", militia_killed="1 [militia official]; at least 17 [local sources]")])
    table = data.casualties.set_index(["side", "claimant"])
    assert table.loc[("us", "CENTCOM"), "best"] == 1  # no brackets: the row's first source is the claimant
    assert table.loc[("militia", "local sources"), ["low", "best"]].tolist() == [17, 17]
    assert pd.isna(table.loc[("militia", "local sources"), "high"])
    assert len(data.casualties) == 3


def test_load_events__unknown_casualties_are_no_rows_not_zero(load_log):
    data = load_log([log_row(us_wounded="unknown", militia_killed="")])
    assert data.casualties.empty


@pytest.mark.parametrize(
    "cells, column, words",
    [
        ({"date": "03/04/2022"}, "date", "ambiguous date"),
        ({"date": "30 February 2022"}, "date", "impossible date"),
        ({"us_wounded": "a handful"}, "us_wounded", "'a handful'"),
        ({"militia_killed": "5-3"}, "militia_killed", "low > high"),
        ({"us_wounded": "-2"}, "us_wounded", "negative count"),
        ({"local_time": "25:99"}, "local_time", "impossible time"),
        ({"kind": "skirmish"}, "kind", "unknown kind 'skirmish'"),
        ({"country": "Lebanon"}, "country", "outside this log's scope"),
        ({"location": "Paris", "country": "Syria"}, "location", "outside the region"),
        ({"source": ""}, "source", "source is blank"),
        ({"intercepted": "maybe"}, "intercepted", "unknown intercepted value"),
    ],
)
def test_load_events__bad_cell_quarantines_row_naming_file_row_column_value(load_log, cells, column, words):
    data = load_log([log_row(id="ok-1"), log_row(id="bad-1", **cells)])
    assert data.events["event_id"].tolist() == ["log:ok-1"]
    problems = data.quarantine[data.quarantine["column"] == column]
    problem = problems[problems["reason"].str.contains(words, regex=False)].iloc[0]
    assert problem["source_file"].endswith("log.csv") and problem["source_row"] == 3
    assert (problem["value"] if pd.notna(problem["value"]) else "") == cells[column] or column == "location"


def test_load_events__duplicate_id_names_first_row(load_log):
    data = load_log([log_row(), log_row()])
    assert len(data.events) == 1
    assert quarantine_reasons(data) == ["duplicate id '2022-08-24-a': already used on row 2"]


@pytest.mark.parametrize(
    "responds_to, date, words",
    [
        ("nope", "2022-08-25", "'nope' is not an id in this file"),
        ("2022-08-24-a", "2022-08-20", "points to a later event"),
    ],
)
def test_load_events__bad_responds_to_is_quarantined(load_log, responds_to, date, words):
    rows = [log_row(), log_row(id="r", date=date, kind="response", responds_to=responds_to)]
    data = load_log(rows)
    assert words in " ".join(quarantine_reasons(data))
    assert data.events["event_id"].tolist() == ["log:2022-08-24-a"]


def test_load_events__response_to_quarantined_attack_is_quarantined_too(load_log):
    rows = [log_row(date="03/04/2022"), log_row(id="r", date="2022-08-25", kind="response", responds_to="2022-08-24-a")]
    data = load_log(rows)
    assert data.events.empty
    assert "which is quarantined" in quarantine_reasons(data)[-1]


def test_load_events__responds_to_becomes_event_ids(load_log):
    rows = [
        log_row(),
        log_row(id="b"),
        log_row(id="r", date="2022-08-25", kind="response", responds_to="2022-08-24-a; b"),
    ]
    data = load_log(rows)
    assert data.events.set_index("event_id").loc["log:r", "responds_to"] == "log:2022-08-24-a; log:b"


def test_load_events__date_precision_sets_bounds(load_log):
    data = load_log([log_row(date="2022-08-15", date_precision="month")])
    event = data.events.iloc[0]
    assert (event["date_earliest"], event["date_latest"]) == (pd.Timestamp("2022-08-01"), pd.Timestamp("2022-08-31"))


def test_load_events__headers_match_without_case_or_spacing(raw_dir):
    path = write_csv(
        raw_dir / "log.csv",
        [
            ["ID", "Date", "Local Time", "COUNTRY", "Location", "Kind", "Source"],
            ["x", "Aug 24, 2022", "7:20 pm", "Syria", "Conoco", "attack", "CENTCOM"],
        ],
    )
    data = an.load_events([path], reference_dir=raw_dir / "reference")
    assert data.events["event_time_utc"].iloc[0] == pd.Timestamp("2022-08-24 16:20", tz="UTC")


def test_load_events__xlsx_log_reads_like_csv(raw_dir):
    path = raw_dir / "log.xlsx"
    pd.DataFrame([log_row(us_wounded=2)]).assign(date=pd.Timestamp("2022-08-24")).to_excel(path, index=False)
    data = an.load_events([path], reference_dir=raw_dir / "reference")
    assert data.events["event_date"].iloc[0] == pd.Timestamp("2022-08-24")
    assert data.casualties["best"].tolist() == [2]


def test_load_events__missing_required_column_is_one_clear_error(raw_dir):
    path = write_csv(
        raw_dir / "log.csv",
        [["id", "date", "country", "location", "source"], ["x", "2022-08-24", "Syria", "Conoco", "s"]],
    )
    with pytest.raises(InputError) as error:
        an.load_events([path], reference_dir=raw_dir / "reference")
    message = str(error.value)
    assert "log.csv" in message and "lacks kind" in message and "incident log: id, date" in message


def test_load_events__semicolon_file_gets_a_delimiter_hint(raw_dir):
    path = raw_dir / "log.csv"
    path.write_text("id;date;country\nx;2022-08-24;Syria\n", encoding="utf-8")
    with pytest.raises(InputError, match="separated by ';'"):
        an.load_events([path], reference_dir=raw_dir / "reference")


def test_load_events__unknown_file_type_is_refused(raw_dir):
    path = raw_dir / "log.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="unknown file type '.json'"):
        an.load_events([path], reference_dir=raw_dir / "reference")


def test_load_events__unknown_casualty_side_column_is_refused(write_log, raw_dir):
    path = write_log([log_row(aliens_killed="3")])
    with pytest.raises(InputError, match="aliens_killed"):
        an.load_events([path], reference_dir=raw_dir / "reference")


def test_load_events__same_id_in_two_files_names_both(write_log, raw_dir):
    first, second = write_log([log_row()], "a.csv"), write_log([log_row()], "b.csv")
    with pytest.raises(an.AnalysisError, match="a.csv row 2; .*b.csv row 2"):
        an.load_events([first, second], reference_dir=raw_dir / "reference")


def test_read_incident_log__warns_about_columns_it_does_not_define(raw_dir):
    rows = [
        ["id", "date", "country", "location", "kind", "source", "my_extra_column"],
        ["2024-01-28-a", "2024-01-28", "Jordan", "Tower 22", "attack", "CENTCOM", "x"],
    ]
    path = write_csv(raw_dir / "incidents.csv", rows)
    with pytest.warns(
        UserWarning,
        match="incidents.csv: ignoring columns that the incident log layout does not define: my_extra_column",
    ):
        data = an.load_events([path], reference_dir=raw_dir / "reference")
    assert data.events["event_id"].tolist() == ["log:2024-01-28-a"]
