"""Unit tests for an.export: tables a spreadsheet can open, zones handled, formulas neutralised, columns described."""

import pandas as pd
import pytest

import analysis as an
from tests.conftest import log_row


def test_export__xlsx_holds_every_table_and_their_columns(load_log, tmp_path):
    data = load_log([log_row(local_time="19:20", notes='=HYPERLINK("http://x")')])
    pairs = an.pair_attacks_responses(data)
    path = an.export(data, tmp_path / "tables.xlsx", tables={"pairs": pairs})
    sheets = pd.read_excel(path, sheet_name=None)
    assert set(sheets) >= {"events", "casualties", "quarantine", "merges", "accounting", "pairs", "columns"}
    events = sheets["events"]
    assert str(events.loc[0, "event_time_utc"]) == "2022-08-24 16:20:00"  # 19:20 in Syria (UTC+3), no zone
    assert events.loc[0, "notes"].startswith("'=HYPERLINK")  # shown as text, never run
    columns = sheets["columns"].set_index(["table", "column"])
    assert "written as UTC without a time zone" in columns.loc[("events", "event_time_utc"), "meaning"]
    assert columns.loc[("events", "role"), "meaning"].startswith("`attack`")  # from the table spec


def test_export__folder_of_csv_files(load_log, tmp_path):
    data = load_log([log_row()])
    folder = an.export(data, tmp_path / "tables")
    assert {p.name for p in folder.iterdir()} >= {"events.csv", "casualties.csv", "columns.csv"}
    assert pd.read_csv(folder / "events.csv")["event_id"].tolist() == ["log:2022-08-24-a"]


def test_export__data_events_to_excel_no_longer_fails_on_time_zones(load_log, tmp_path):
    data = load_log([log_row(local_time="19:20")])
    with pytest.raises(ValueError, match="timezones"):  # what pandas says: why export exists
        data.events.to_excel(tmp_path / "direct.xlsx")
    assert an.export(None, tmp_path / "events.xlsx", tables={"events": data.events}).exists()


def test_export__refuses_an_unknown_kind_of_path(load_log, tmp_path):
    with pytest.raises(an.ParameterError, match="use a .xlsx file or a folder"):
        an.export(load_log([log_row()]), tmp_path / "tables.json")


def test_export__files_are_readable_like_any_file_the_user_makes(load_log, tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        data = load_log([log_row()])
        workbook = an.export(data, tmp_path / "tables.xlsx")
        folder = an.export(data, tmp_path / "tables")
    finally:
        os.umask(mask)
    assert workbook.stat().st_mode & 0o777 == 0o644  # not 0600, as a temporary file is made
    assert (folder / "events.csv").stat().st_mode & 0o777 == 0o644
