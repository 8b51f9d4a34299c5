"""The bad-input corpus: every bad file, cell and environment fault ends in a named error or a quarantine row.

Each case states its exact outcome: a named error with the file (and row, column and value where there is one),
or quarantine rows with their reasons; for event tables, every row the test wrote is accounted for (raw rows =
events + merged + quarantined, where the test counts the rows it wrote, apart from the reader). The tables below
are the corpus; the property-based tests at the end throw generated cells and whole small logs at the readers.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import functools
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis as an
from analysis import cli
from analysis.cleaning.cells import (
    MAX_PLAUSIBLE_COUNT,
    CellError,
    parse_claims,
    parse_count,
    parse_date,
    parse_local_time,
    plausible_date_window,
)
from analysis.cleaning.reference import load_reference
from analysis.core.errors import AnalysisError, InputError, OutputError, ParameterError
from analysis.pipeline import build as build_module
from analysis.pipeline import storage
from analysis.pipeline.storage import file_sha256
from analysis.reporting.config import load_report_config
from analysis.sources import files
from analysis.sources.checks import whole_number
from analysis.sources.registry import load_file
from tests.conftest import ACTORS, LOG_HEADER, PLACES, WEAPONS, log_row, write_csv
from tests.factories import acled_row, ged_row, weekly_row, write_acled, write_ged, write_weekly

TODAY = dt.date.today()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
DAY_AFTER_TOMORROW = (TODAY + dt.timedelta(days=2)).isoformat()
HUGE = "9" * 30


# ---------------------------------------------------------------- helpers


def write_rows(raw_dir: Path, kind: str, rows: list[dict], name: str | None = None) -> Path:
    """Write rows of one event format (log, acled, ged) into raw_dir."""
    if kind == "log":
        header = list(dict.fromkeys(LOG_HEADER + [k for row in rows for k in row]))
        return write_csv(raw_dir / (name or "log.csv"), [header] + [[row.get(c, "") for c in header] for row in rows])
    if kind == "acled":
        return write_acled(raw_dir, rows, name=name or "acled.csv")
    return write_ged(raw_dir, rows, name=name or "ged.csv")


GOOD = {"log": log_row, "acled": acled_row, "ged": ged_row}
# A second row of each format that differs from the good one only in its id (and GED's relid).
SECOND = {
    "log": {"id": "b", "date": "2022-08-25"},
    "acled": {"event_id_cnty": "SYR2"},
    "ged": {"id": "300002", "relid": "IRQ-2019-1-524-11"},
}


def load(paths, raw_dir: Path):
    """Load files with the test reference tables."""
    return an.load_events(paths, reference_dir=raw_dir / "reference")


def accounting(data) -> dict:
    """Return the one file's accounting line as plain integers."""
    row = data.accounting.iloc[0]
    return {k: int(row[k]) for k in ("raw_rows", "events", "merged", "quarantined")}


def assert_every_row_accounted(data, written_rows: int) -> None:
    """Check the reader counted the rows the test wrote, and that each became an event, a merge or a quarantine."""
    counts = accounting(data)
    assert counts["raw_rows"] == written_rows, counts
    assert counts["raw_rows"] == counts["events"] + counts["merged"] + counts["quarantined"], counts
    assert data.quarantine["source_row"].nunique() == counts["quarantined"]


def quarantine_rows(data) -> list[tuple]:
    """Return (row, column, value) of every quarantine row."""
    return [(int(r.source_row), r.column, None if pd.isna(r.value) else r.value) for r in data.quarantine.itertuples()]


# ---------------------------------------------------------------- cells that must be quarantined


@dataclass(frozen=True)
class CellCase:
    """One bad cell in the second row of a two-row file: the quarantine row it must give."""

    case: str
    kind: str  # log, acled or ged
    cells: dict
    column: str
    value: str | None
    reason: str  # a regular expression the reason must match in full


CELL_CASES = [
    # incident log
    CellCase("log date before 1677 (pandas' limit)", "log", {"date": "1600-01-01"}, "date", "1600-01-01",
             r"implausible date '1600-01-01': 1600-01-01 is outside 1989-01-01 \.\. .*; check the year"),
    CellCase("log date 1850", "log", {"date": "1850-01-01"}, "date", "1850-01-01", r"implausible date '1850-01-01'.*"),
    CellCase("log date the day before the window", "log", {"date": "1988-12-31"}, "date", "1988-12-31",
             r"implausible date '1988-12-31'.*"),
    CellCase("log date after tomorrow", "log", {"date": DAY_AFTER_TOMORROW}, "date", DAY_AFTER_TOMORROW,
             rf"implausible date '{DAY_AFTER_TOMORROW}'.*"),
    CellCase("log date 9999-12-31", "log", {"date": "9999-12-31"}, "date", "9999-12-31", r"implausible date.*"),
    CellCase("log date 31 February", "log", {"date": "31/02/2022"}, "date", "31/02/2022",
             r"impossible date '31/02/2022': there is no day 31 in month 2 of 2022"),
    CellCase("log date ambiguous day and month", "log", {"date": "03/04/2022"}, "date", "03/04/2022",
             r"ambiguous date '03/04/2022'.*write it as 2022-MM-DD"),
    CellCase("log date two-digit year outside the window", "log", {"date": "9-May-50"}, "date", "9-May-50",
             r"implausible date '9-May-50': the two-digit year '50' is neither 1950 nor 2050 within 1989-.*"),
    CellCase("log date blank", "log", {"date": ""}, "date", None, r"date is blank \(required\)"),
    CellCase("log casualty count of 30 digits", "log", {"us_wounded": HUGE}, "us_wounded", HUGE,
             rf"implausible count '{HUGE}': more than 1,000,000 in one event; check the cell"),
    CellCase("log casualty count one above the limit", "log", {"us_wounded": "1000001"}, "us_wounded", "1000001",
             r"implausible count '1000001'.*"),
    CellCase("log casualty range to a huge number", "log", {"militia_killed": f"2-{HUGE}"}, "militia_killed",
             f"2-{HUGE}", r"implausible count '2-9+'.*"),
    CellCase("log munitions huge", "log", {"munitions": "99999999999"}, "munitions", "99999999999",
             r"implausible count '99999999999'.*"),
    CellCase("log negative count", "log", {"us_wounded": "-3"}, "us_wounded", "-3",
             r"negative count '-3': counts cannot be below zero"),
    CellCase("log formula in a count", "log", {"us_wounded": "=1+1"}, "us_wounded", "=1+1",
             r"unrecognised count '=1\+1'.*"),
    CellCase("log range low above high", "log", {"militia_killed": "5-2"}, "militia_killed", "5-2",
             r"low > high in count '5-2': 5 is more than 2"),
    CellCase("log local time 25:00", "log", {"local_time": "25:00"}, "local_time", "25:00",
             r"impossible time '25:00'"),
    CellCase("log country out of scope", "log", {"country": "France"}, "country", "France",
             r"country outside this log's scope; expected Iraq, Syria or Jordan"),
    CellCase("log unknown kind", "log", {"kind": "strike"}, "kind", "strike",
             r"unknown kind 'strike'; expected one of attack, other, response"),
    CellCase("log latitude not a number", "log", {"latitude": "north-ish"}, "latitude", "north-ish",
             r"latitude is not a number"),
    CellCase("log coordinates outside the region", "log", {"latitude": "48.85", "longitude": "2.35"}, "location",
             "(48.85, 2.35)", r"coordinates of 'Conoco' are outside the region \(Iraq, Syria, Jordan\)"),
    CellCase("log duplicate id", "log", {"id": "2022-08-24-a"}, "id", "2022-08-24-a",
             r"duplicate id '2022-08-24-a': already used on row 2"),
    CellCase("log responds_to an unknown id", "log", {"kind": "response", "responds_to": "nope"}, "responds_to",
             "nope", r"responds_to 'nope' is not an id in this file"),
    CellCase("log responds_to a row whose kind is blank", "log", {"kind": "", "responds_to": "b"}, "responds_to", "b",
             r"responds_to 'b' points to a row without a readable kind, not an attack"),
    # ACLED
    CellCase("ACLED date before 1677", "acled", {"event_date": "1600-01-01"}, "event_date", "1600-01-01",
             r"implausible date '1600-01-01'.*"),
    CellCase("ACLED date 0001-01-01", "acled", {"event_date": "0001-01-01"}, "event_date", "0001-01-01",
             r"implausible date '0001-01-01'.*"),
    CellCase("ACLED fatalities 1e400 (infinite)", "acled", {"fatalities": "1e400"}, "fatalities", "1e400",
             r"fatalities '1e400' is not a whole number"),
    CellCase("ACLED fatalities nan", "acled", {"fatalities": "nan"}, "fatalities", "nan",
             r"fatalities 'nan' is not a whole number"),
    CellCase("ACLED fatalities of 20 digits", "acled", {"fatalities": "9" * 20}, "fatalities", "9" * 20,
             r"implausible count '9{20}': more than 1,000,000 in one event; check the cell"),
    CellCase("ACLED time_precision inf", "acled", {"time_precision": "inf"}, "time_precision", "inf",
             r"time_precision 'inf' is not a whole number"),
    CellCase("ACLED latitude 91", "acled", {"latitude": "91"}, "latitude", "91", r"latitude is outside -90\.\.90"),
    CellCase("ACLED duplicate event id", "acled", {"event_id_cnty": "SYR1"}, "event_id_cnty", "SYR1",
             r"duplicate event_id_cnty 'SYR1': already on row 2"),
    CellCase("ACLED actor type -inf", "acled", {"inter1": "-inf"}, "inter1", "-inf", r"unknown ACLED actor type.*"),
    CellCase("ACLED 5/9/2020 with no row to settle the order", "acled", {"event_date": "5/9/2020", "year": "2020"},
             "event_date", "5/9/2020", r"ambiguous date '5/9/2020'.*"),
    # UCDP GED
    CellCase("GED date_start 0001-01-01", "ged", {"date_start": "0001-01-01"}, "date_start", "0001-01-01",
             r"implausible date '0001-01-01'.*"),
    CellCase("GED deaths_a inf", "ged", {"deaths_a": "inf"}, "deaths_a", "inf", r"deaths_a 'inf' is not a whole number"),
    CellCase("GED best 1e30", "ged", {"best": "1e30", "high": "1e30"}, "best", "1e30",
             r"implausible count '1e30'.*"),
    CellCase("GED id not a number", "ged", {"id": "abc"}, "id", "abc", r"GED id 'abc' is not a whole number"),
    CellCase("GED where_prec nan", "ged", {"where_prec": "nan"}, "where_prec", "nan",
             r"where_prec 'nan' is not a whole number"),
    CellCase("GED date_end before date_start", "ged", {"date_end": "2019-12-28"}, "date_end", "2019-12-28",
             r"date_end is before date_start"),
]  # fmt: skip


@pytest.mark.parametrize("case", CELL_CASES, ids=[c.case for c in CELL_CASES])
def test_load_events__bad_cell_is_one_quarantine_row_with_its_reason(case, raw_dir):
    path = write_rows(raw_dir, case.kind, [GOOD[case.kind](), GOOD[case.kind](**{**SECOND[case.kind], **case.cells})])
    data = load([path], raw_dir)
    mine = data.quarantine[data.quarantine["column"] == case.column]
    assert [(int(r.source_row), r.value if not pd.isna(r.value) else None) for r in mine.itertuples()] == [
        (3, case.value)
    ]
    assert re.fullmatch(case.reason, mine["reason"].iloc[0]), mine["reason"].iloc[0]
    assert data.quarantine["source_file"].eq(str(path)).all()
    assert_every_row_accounted(data, 2)


# ---------------------------------------------------------------- cells that must be read (not refused)


@dataclass(frozen=True)
class ReadCase:
    """A cell that looks odd but is right: the value it must give in the events table."""

    case: str
    kind: str
    cells: dict
    column: str
    expected: object
    extra_rows: tuple = ()  # further rows (the other rows of the file that settle a date order)


READ_CASES = [
    ReadCase("ACLED date 9-May-20 (spreadsheet)", "acled", {"event_date": "9-May-20", "year": "2020"}, "event_date",
             pd.Timestamp("2020-05-09")),
    ReadCase("ACLED date 09-May-2020", "acled", {"event_date": "09-May-2020", "year": "2020"}, "event_date",
             pd.Timestamp("2020-05-09")),
    ReadCase("ACLED date 5/9/2020, other rows prove day first", "acled", {"event_date": "5/9/2020", "year": "2020"},
             "event_date", pd.Timestamp("2020-09-05"),
             ({"event_id_cnty": "SYR3", "event_date": "16/05/2020", "year": "2020"},)),
    ReadCase("ACLED date 5/9/2020, other rows prove month first", "acled", {"event_date": "5/9/2020", "year": "2020"},
             "event_date", pd.Timestamp("2020-05-09"),
             ({"event_id_cnty": "SYR3", "event_date": "05/16/2020", "year": "2020"},)),
    ReadCase("log date 9-May-20", "log", {"date": "9-May-20"}, "event_date", pd.Timestamp("2020-05-09")),
    ReadCase("log date tomorrow (the window's last day)", "log", {"date": TOMORROW}, "event_date",
             pd.Timestamp(TOMORROW)),
    ReadCase("log date 1989-01-01 (the window's first day)", "log", {"date": "1989-01-01"}, "event_date",
             pd.Timestamp("1989-01-01")),
    ReadCase("log count of exactly 1,000,000", "log", {"munitions": "1000000"}, "munitions", 1_000_000),
    ReadCase("log notes of 200 KiB (over the csv module's limit)", "log", {"notes": "x" * 204_800}, "notes",
             "x" * 204_800),
    ReadCase("log notes that start like a formula keep their true value", "log",
             {"notes": '=HYPERLINK("http://example.org","click")'}, "notes",
             '=HYPERLINK("http://example.org","click")'),
    ReadCase("ACLED notes of 2 MiB (over pyarrow's block)", "acled", {"notes": "y" * (2 << 20)}, "notes",
             "y" * (2 << 20)),
]  # fmt: skip


@pytest.mark.parametrize("case", READ_CASES, ids=[c.case for c in READ_CASES])
def test_load_events__odd_but_right_cell_is_read(case, raw_dir):
    make = GOOD[case.kind]
    rows = [make(), make(**{**SECOND[case.kind], **case.cells}), *(make(**extra) for extra in case.extra_rows)]
    data = load([write_rows(raw_dir, case.kind, rows)], raw_dir)
    second = data.events.set_index("source_row").loc[3]
    assert second[case.column] == case.expected
    assert data.quarantine.empty
    assert_every_row_accounted(data, len(rows))


# ---------------------------------------------------------------- damaged files


def log_text(rows: list[dict], line_end: str = "\n") -> str:
    """Return rows as the text of a log CSV (the csv module's quoting: a cell is quoted when it holds a comma, a
    quote or a character of line_end, so pass "\r\n", as spreadsheets write, for cells holding a bare CR)."""
    header = list(dict.fromkeys(LOG_HEADER + [k for row in rows for k in row]))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_end).writerows([header] + [[row.get(c, "") for c in header] for row in rows])
    return buffer.getvalue()


def three_rows(**notes) -> list[dict]:
    """Three good log rows a, b, c (b and c may get notes)."""
    return [
        log_row(id="a"),
        log_row(id="b", date="2022-08-25", notes=notes.get("b", "")),
        log_row(id="c", date="2022-08-26", notes=notes.get("c", "")),
    ]


def unclosed_quote_mid_file(raw_dir: Path) -> Path:
    """An unmatched quote in b's notes: the csv rules read c into b (the issue's silent loss)."""
    rows = [*three_rows(b="XQX"), log_row(id="d", date="2022-08-27", kind="response", responds_to="c")]
    path = raw_dir / "log.csv"
    path.write_text(log_text(rows).replace("XQX", '"an unmatched quote'), encoding="utf-8")
    return path


def unclosed_quote_at_the_end(raw_dir: Path) -> Path:
    """An unmatched quote in the notes of the second of four rows, and no quote after it in the file."""
    rows = [log_row(id=i, date=f"2022-08-2{n}", source="CENTCOM") for n, i in enumerate("abcd", start=4)]
    path = raw_dir / "log.csv"
    path.write_text(log_text([{**r, "notes": "XQX" if r["id"] == "b" else ""} for r in rows]).replace("XQX", '"open'))
    return path


def mixed_encodings(raw_dir: Path) -> Path:
    """A UTF-8 log with one line in Windows-1252 bytes."""
    path = raw_dir / "log.csv"
    text = log_text(three_rows(b="the Regime’s drones", c="XCAFEX"))
    path.write_bytes(text.encode("utf-8").replace(b"XCAFEX", "café in Dayr az Zawr".encode("cp1252")))
    return path


def with_bytes(name: str, content: bytes):
    """Return a builder writing these bytes under this name."""

    def build(raw_dir: Path) -> Path:
        path = raw_dir / name
        path.write_bytes(content)
        return path

    return build


def xlsx_bytes(rows: list[dict], sheets: int = 1) -> bytes:
    """Return an XLSX workbook holding rows (and empty extra sheets)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame(rows).to_excel(writer, index=False, sheet_name="Data")
        for n in range(1, sheets):
            pd.DataFrame({"note": ["see Data"]}).to_excel(writer, index=False, sheet_name=f"Notes{n}")
    return buffer.getvalue()


def edited_text(transform, rows=None, name: str = "log.csv", encoding: str = "utf-8"):
    """Return a builder writing log rows as text after a transformation of that text."""

    def build(raw_dir: Path) -> Path:
        path = raw_dir / name
        path.write_bytes(transform(log_text(rows or three_rows())).encode(encoding))
        return path

    return build


def ged_headerless_unclosed_quote(raw_dir: Path) -> Path:
    """A GED file without its header, whose second row's headline opens a quote it never closes."""
    rows = [ged_row(id=str(300001 + i), relid=f"IRQ-2019-1-524-{i}", source_headline="XQX" if i == 1 else "h")
            for i in range(3)]  # fmt: skip
    path = write_ged(raw_dir, rows, header=False)
    path.write_text(path.read_text().replace("XQX", '"unclosed'))
    return path


def acled_unclosed_quote(raw_dir: Path) -> Path:
    """An ACLED export whose second row's notes open a quote that the quote of the third row's notes closes."""
    notes = {1: "note 1", 2: "note 2", 3: "note 3, quoted for its comma", 4: "note 4"}
    path = write_acled(raw_dir, [acled_row(event_id_cnty=f"SYR{i}", notes=notes[i]) for i in range(1, 5)])
    path.write_text(path.read_text().replace("note 2", '"note 2'))
    return path


def acled_old_date_cell(raw_dir: Path) -> Path:
    """An ACLED workbook whose second row holds a date cell of 1900 (a spreadsheet's zero date)."""
    rows = [acled_row(), acled_row(event_id_cnty="SYR2")]
    frame = pd.DataFrame(rows).assign(event_date=[pd.Timestamp("2023-10-19"), pd.Timestamp("1900-01-01")])
    path = raw_dir / "acled.xlsx"
    frame.to_excel(path, index=False)
    return path


@dataclass(frozen=True)
class FileCase:
    """A damaged or unusual file and what it must give: an error, or rows accounted with these quarantine rows."""

    case: str
    build: object  # raw_dir -> path
    error: str | None = None  # a regular expression the InputError message must match (searched)
    rows: int | None = None  # rows the test wrote
    quarantined: list = field(default_factory=list)  # (row, column, reason regex)
    events: list | None = None  # expected source rows of the events, in order of source_row
    warning: str | None = None  # a regular expression one warning must match
    check: object = None  # data -> None, further assertions


FILE_CASES = [
    FileCase("unclosed quote swallows the next row (mid-file)", unclosed_quote_mid_file, rows=4,
             quarantined=[(3, "(whole row)", r"likely unclosed quote: the quoted cell opened on line 3 runs on to "
                                             r"line 4, over line 4 that looks like a row of its own; line 3 is left "
                                             r"out and line 4 read as the next row: close the quote on line 3")],
             events=[2, 4, 5],
             check=lambda data: data.events.set_index("source_row").loc[5, "responds_to"] == "log:c"),
    FileCase("unclosed quote at the end of the file", unclosed_quote_at_the_end, rows=4,
             quarantined=[(3, "(whole row)", r"likely unclosed quote: the quoted cell opened on line 3 runs on to "
                                             r"line 5, over line 4, 5 that look like rows of their own.*")],
             events=[2, 4, 5]),
    FileCase("mixed encodings: one line in Windows-1252", mixed_encodings, rows=3, events=[2, 3, 4],
             warning=r"is not UTF-8 text in line 4; read it as Windows-1252",
             check=lambda data: data.events["notes"].tolist()[1:] == ["the Regime’s drones", "café in Dayr az Zawr"]),
    FileCase("whole file in Windows-1252", edited_text(lambda t: t, three_rows(b="Château"), encoding="cp1252"),
             rows=3, events=[2, 3, 4], warning=r"not UTF-8 text in line 3 \(every line with non-ASCII text\)",
             check=lambda data: data.events["notes"].iloc[1] == "Château"),
    FileCase("a byte Windows-1252 leaves unused (0x81) reads as Latin-1",
             with_bytes("log.csv", log_text(three_rows(b="XBX")).encode().replace(b"XBX", b"caf\x81")), rows=3,
             events=[2, 3, 4], warning=r"line 3", check=lambda data: data.events["notes"].iloc[1] == "caf\x81"),
    FileCase("UTF-16 with a byte-order mark", edited_text(lambda t: t, three_rows(b="Ḥasakah"), encoding="utf-16"),
             rows=3, events=[2, 3, 4], check=lambda data: data.events["notes"].iloc[1] == "Ḥasakah"),
    FileCase("lines ended by CR alone", edited_text(lambda t: t.replace("\n", "\r")), rows=3, events=[2, 3, 4]),
    FileCase("lines ended by CR alone, in Windows-1252",
             edited_text(lambda t: t.replace("\n", "\r"), three_rows(b="Château"), encoding="cp1252"), rows=3,
             events=[2, 3, 4], warning=r"not UTF-8 text in line 3", check=lambda data: data.events["notes"].iloc[1] == "Château"),
    FileCase("XLSX workbook saved with a .csv name", with_bytes("log.csv", xlsx_bytes(three_rows())), rows=3,
             events=[2, 3, 4]),
    FileCase("CSV text saved with an .xlsx name", edited_text(lambda t: t, name="log.xlsx"), rows=3, events=[2, 3, 4]),
    FileCase("workbook with three sheets reads the first and says so",
             with_bytes("log.xlsx", xlsx_bytes(three_rows(), sheets=3)), rows=3, events=[2, 3, 4],
             warning=r"has 3 sheets; only the first, 'Data', is read \(the others: 'Notes1', 'Notes2'\)"),
    FileCase("Excel 97-2003 (.xls) bytes", with_bytes("log.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
             error=r"log\.xlsx: is an Excel 97-2003 workbook \(\.xls\) or a password-protected one"),
    FileCase("damaged workbook (ZIP cut short)", with_bytes("log.xlsx", xlsx_bytes(three_rows())[:300]),
             error=r"log\.xlsx: is a ZIP file but not a readable Excel workbook"),
    FileCase("binary file (PNG) with a .csv name", with_bytes("log.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
             error=r"log\.csv: holds binary data, not a table \(it starts with b'\\x89PNG"),
    FileCase("empty file", with_bytes("log.csv", b""), error=r"log\.csv: is empty"),
    FileCase("blank first line", edited_text(lambda t: "\n" + t),
             error=r"log\.csv: starts with a blank line; the header row must be the first line"),
    FileCase("header only", edited_text(lambda t: t.split("\n")[0] + "\n"), rows=0, events=[]),
    FileCase("blank lines between rows keep spreadsheet row numbers", edited_text(lambda t: t.replace("\nb,", "\n\n\nb,")),
             rows=3, events=[2, 5, 6]),
    FileCase("truncated file: the last row cut short",
             edited_text(lambda t: t[: t.rindex("CENTCOM")]), rows=3, events=[2, 3],
             quarantined=[(4, "(whole row)", r"row has \d+ cells, the header has 14: the file may be truncated.*")]),
    FileCase("unquoted delimiter: a row with an extra cell",
             edited_text(lambda t: t.replace("\nb,", "\nb,extra,", 1)), rows=3, events=[2, 4],
             quarantined=[(3, "(whole row)", r"row has 15 cells, the header has 14: a cell may hold an unquoted "
                                             r"delimiter \(ends on line 3\)")]),
    FileCase("long notes and an extra cell (the exact path reads the long cell)",
             edited_text(lambda t: t.replace("\nc,", "\nc,extra,", 1), three_rows(b="z" * 140_000)), rows=3,
             events=[2, 3], quarantined=[(4, "(whole row)", r"row has 15 cells.*")],
             check=lambda data: len(data.events["notes"].iloc[1]) == 140_000),
    FileCase("ACLED unclosed quote closed by a later row's quote", acled_unclosed_quote, rows=4,
             quarantined=[(3, "(whole row)", r"likely unclosed quote: the quoted cell opened on line 3 runs on to "
                                             r"line 4, over line 4 that looks like a row of its own.*")],
             events=[2, 4, 5]),
    FileCase("ACLED workbook with a 1900 date cell", acled_old_date_cell, rows=2, events=[2],
             quarantined=[(3, "event_date", r"implausible date '1900-01-01 00:00:00': 1900-01-01 is outside.*")]),
    FileCase("GED without header, unclosed quote", ged_headerless_unclosed_quote, rows=3,
             quarantined=[(2, "(whole row)", r"likely unclosed quote: the quoted cell opened on line 2 .*")],
             events=[1, 3]),
]  # fmt: skip


@pytest.mark.parametrize("case", FILE_CASES, ids=[c.case for c in FILE_CASES])
def test_load_events__damaged_file_gives_its_named_outcome(case, raw_dir, recwarn):
    path = case.build(raw_dir)
    if case.error:
        with pytest.raises(InputError) as raised:
            load([path], raw_dir)
        assert re.search(case.error, str(raised.value)), str(raised.value)
        assert str(raised.value).startswith(str(path))
        return
    data = load([path], raw_dir)
    assert [(row, column) for row, column, _ in quarantine_rows(data)] == [(r, c) for r, c, _ in case.quarantined]
    for (_, _, reason), written in zip(case.quarantined, data.quarantine["reason"]):
        assert re.fullmatch(reason, written), written
    assert sorted(data.events["source_row"].tolist()) == case.events
    assert_every_row_accounted(data, case.rows)
    if case.warning:
        assert any(re.search(case.warning, str(w.message)) for w in recwarn), [str(w.message) for w in recwarn]
    if case.check:
        assert case.check(data) is not False


# ---------------------------------------------------------------- ACLED weekly files (all or nothing: an error)

WEEKLY_CASES = [
    ("week in 1850", {"WEEK": "1850-01-05"}, r"row 3, column 'week', value '1850-01-05': implausible date"),
    ("week not a Saturday", {"WEEK": "2024-01-07"}, r"row 3, column 'week', value '2024-01-07': week 2024-01-07 is a "
                                                    r"Sunday; ACLED weeks start on a Saturday"),
    ("events 1e400", {"EVENTS": "1e400"}, r"row 3, column 'events', value '1e400': events '1e400' is not a whole"),
    ("events beyond any count", {"EVENTS": HUGE}, rf"row 3, column 'events', value '{HUGE}': implausible count"),
    ("fatalities negative", {"FATALITIES": "-1"}, r"row 3, column 'fatalities', value '-1': fatalities '-1' is out "
                                                  r"of range: it must be at least 0"),
    ("centroid latitude 95", {"CENTROID_LATITUDE": "95"}, r"row 3, column 'centroid_latitude', value '95'"),
]  # fmt: skip


@pytest.mark.parametrize("case, cells, message", WEEKLY_CASES, ids=[c[0] for c in WEEKLY_CASES])
def test_load_weekly_counts__bad_cell_is_an_error_naming_row_column_value(case, cells, message, tmp_path):
    path = write_weekly(tmp_path, [weekly_row(), weekly_row(**{"ADMIN1": "Homs", **cells})])
    with pytest.raises(InputError) as raised:
        an.load_weekly_counts(path)
    assert str(raised.value).startswith(f"{path}: has 1 unreadable rows: ")
    assert re.search(message, str(raised.value)), str(raised.value)


def test_load_weekly_counts__unclosed_quote_is_named_with_its_lines(tmp_path):
    rows = [weekly_row(ADMIN1=name) for name in ("A", "XQX", "C")]
    path = write_weekly(tmp_path, rows)
    path.write_text(path.read_text().replace("XQX", '"Homs'))
    with pytest.raises(InputError, match=r"row 3, column '\(whole row\)'.*likely unclosed quote: the quoted cell "
                                         r"opened on line 3 runs on to line 4"):  # fmt: skip
        an.load_weekly_counts(path)


def test_load_weekly_counts__workbook_with_a_csv_name_is_read(tmp_path):
    path = tmp_path / "weekly.csv"
    path.write_bytes(xlsx_bytes([weekly_row(), weekly_row(ADMIN1="Homs")]))
    assert an.load_weekly_counts(path)["admin1"].tolist() == ["Deir ez Zor", "Homs"]


# ---------------------------------------------------------------- reference tables


def with_cell(table: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    """Return a copy of a table (header first) with one cell changed (row 2 is the first data row)."""
    copy = [list(r) for r in table]
    copy[row - 1][copy[0].index(column)] = value
    return copy


REFERENCE_CASES = [
    ("places latitude north-ish", "places.csv", with_cell(PLACES, 2, "latitude", "north-ish"),
     r"places\.csv: row 2, column 'latitude', value 'north-ish': must be a number between -90 and 90"),
    ("places longitude 200", "places.csv", with_cell(PLACES, 3, "longitude", "200"),
     r"places\.csv: row 3, column 'longitude', value '200': must be a number between -180 and 180"),
    ("places geo_precision 1.5", "places.csv", with_cell(PLACES, 4, "geo_precision", "1.5"),
     r"places\.csv: row 4, column 'geo_precision', value '1\.5': must be a whole number between 1 and 3"),
    ("places row with an extra cell", "places.csv", [*PLACES, ["X", "", "town", "Iraq", "", "33", "44", "2", "extra"]],
     r"places\.csv: is not a well-formed CSV table: row 7 has 9 cells where the header has 8; quote a cell that "
     r"holds a comma, or remove the extra cell"),
    ("places without a column", "places.csv", [r[:-1] for r in PLACES],
     r"places\.csv: reference table lacks columns \['geo_precision'\]"),
    ("places empty", "places.csv", [], r"places\.csv: is empty; expected a header row with: name, aliases"),
    ("actors side ally", "actors.csv", with_cell(ACTORS, 3, "side", "ally"),
     r"actors\.csv: row 3, column 'side', value 'ally': side must be one of"),
    ("weapons weapon laser", "weapons.csv", with_cell(WEAPONS, 2, "weapon", "laser"),
     r"weapons\.csv: row 2, column 'weapon', value 'laser': weapon must be one of"),
    ("actor patterns match fuzzy", "actor_patterns.csv",
     [["pattern", "match", "side", "name", "country"], ["Militia (Pro-Iran)", "fuzzy", "militia", "", ""]],
     r"actor_patterns\.csv: row 2, column 'match', value 'fuzzy': must be one of"),
    ("corrections without a reason", "corrections.csv",
     [["source_file", "record_id", "column", "expected", "corrected", "reason"], ["log.csv", "a", "date", "x", "y", ""]],
     r"corrections\.csv: row 2, column 'reason' is blank: every correction says why"),
]  # fmt: skip


@pytest.mark.parametrize("case, name, table, message", REFERENCE_CASES, ids=[c[0] for c in REFERENCE_CASES])
def test_load_reference__bad_cell_or_file_is_an_error_naming_it(case, name, table, message, raw_dir, write_log):
    path = raw_dir / "reference" / name
    if table:
        write_csv(path, table)
    else:
        path.write_text("")
    log = write_log([log_row()])
    with pytest.raises(InputError) as raised:
        load([log], raw_dir)
    assert re.search(message, str(raised.value)), str(raised.value)
    assert str(raised.value).startswith(str(path))


@pytest.mark.parametrize(
    "content, message",
    [
        (b"name,aliases\nCaf\xe9,\n", r"is not UTF-8 text \(byte b'\\xe9' at offset 16\): save it as 'CSV UTF-8'"),
        (None, r"reference table is missing; expected columns: name, aliases, kind"),
    ],
    ids=["places not UTF-8", "places missing"],
)
def test_load_reference__unreadable_places_file_is_named(content, message, raw_dir):
    path = raw_dir / "reference" / "places.csv"
    path.unlink()
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=f"^{re.escape(str(path))}: {message}"):
        load_reference(raw_dir / "reference")


# ---------------------------------------------------------------- official_counts.csv

OFFICIAL_HEADER = ["statement_date", "issuer", "window_start", "window_end", "countries", "measure", "count",
                   "qualifier", "source", "source_url", "notes"]  # fmt: skip
OFFICIAL_ROW = ["2023-10-24", "Pentagon", "2023-10-17", "2023-10-24", "Iraq;Syria", "attacks_on_us_forces", "13",
                "at_least", "Rudaw, 2023-10-24", "", ""]  # fmt: skip
OFFICIAL_CASES = [
    ("count not a number", "count", "lots", r"row 3, column 'count', value 'lots' must be a whole number up to 1,000,000"),
    ("count beyond any count", "count", "99999999999", r"row 3, column 'count', value '99999999999' must be a whole"),
    ("statement in 1850", "statement_date", "1850-01-01", r"row 3, column 'statement_date', value '1850-01-01': "
                                                          r"implausible date '1850-01-01'"),
    ("window_end before window_start", "window_end", "2023-10-01", r"row 3: window_end '2023-10-01' is before "
                                                                   r"window_start"),
    ("unknown measure", "measure", "vibes", r"row 3, column 'measure', value 'vibes' must be one of"),
    ("country outside scope", "countries", "Iraq;Yemen", r"row 3, column 'countries', value 'Iraq;Yemen' must list"),
    ("blank source", "source", " ", r"row 3, column 'source', value ' ' is blank: every official figure is cited"),
]  # fmt: skip


@pytest.mark.parametrize("case, column, value, message", OFFICIAL_CASES, ids=[c[0] for c in OFFICIAL_CASES])
def test_load_official_counts__bad_cell_is_an_error_naming_row_column_value(case, column, value, message, tmp_path):
    from analysis.cleaning.official_counts import load_official_counts

    bad = list(OFFICIAL_ROW)
    bad[OFFICIAL_HEADER.index(column)] = value
    path = write_csv(tmp_path / "official_counts.csv", [OFFICIAL_HEADER, OFFICIAL_ROW, bad])
    with pytest.raises(InputError) as raised:
        load_official_counts(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert re.search(message, str(raised.value)), str(raised.value)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"statement_date,issuer\n2023-10-24,Caf\xe9\n", r"is not UTF-8 text"),
        (b"statement_date,issuer\n2023-10-24,P\n", r"the official tallies table lacks columns \['window_start'"),
        (None, r"the official tallies table is missing"),
    ],
    ids=["official counts not UTF-8", "official counts lacks columns", "official counts missing"],
)
def test_load_official_counts__unreadable_file_is_named(content, message, tmp_path):
    from analysis.cleaning.official_counts import load_official_counts

    path = tmp_path / "official_counts.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=f"^{re.escape(str(path))}: {message}"):
        load_official_counts(path)


# ---------------------------------------------------------------- reports.yml

REPORTS_YML_CASES = [
    ("key written twice", "pages: [overview]\nsets:\n  a: {title: A}\n  a: {title: B}\n",
     r"is not valid YAML: the key 'a' is written twice \(line 4, column 3\)"),
    ("not UTF-8", "pages: [overview]\nsets:\n  a: {title: 'Caf\xe9'}\n", r"is not UTF-8 text \(byte offset 41\)"),
    ("default_set a list", "default_set: [a]\npages: [overview]\nsets:\n  a: {}\n",
     r": default_set must be the name of one set, not \['a'\]"),
    ("title a mapping", "pages: [overview]\nsets:\n  a: {title: {x: 1}}\n", r": set 'a', title must be text"),
    ("tab indentation", "pages: [overview]\nsets:\n\ta: {}\n",
     r"is not valid YAML: found character '\\t' that cannot start any token \(line 3, column 1\)"),
    ("unclosed bracket", "pages: [overview\nsets: {", r"is not valid YAML: .* \(line \d+, column \d+\)"),
    ("python tag", "pages: [overview]\nsets: !!python/object:os.system {}\n",
     r"is not valid YAML: could not determine a constructor for the tag"),
    ("pages a string", "pages: overview\nsets:\n  a: {}\n", r"pages must be a non-empty list of notebook names"),
    ("unknown key", "pages: [overview]\nsets:\n  a: {titel: A}\n", r"set 'a' has unknown key\(s\) \['titel'\]"),
    ("empty file", "", r"pages must be a non-empty list of notebook names, not None"),
]  # fmt: skip


@pytest.mark.parametrize("case, text, message", REPORTS_YML_CASES, ids=[c[0] for c in REPORTS_YML_CASES])
def test_load_report_config__bad_file_is_a_parameter_error_naming_it(case, text, message, tmp_path):
    path = tmp_path / "reports.yml"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ParameterError) as raised:
        load_report_config(path)
    assert str(raised.value).startswith(str(path))
    assert re.search(message, str(raised.value)), str(raised.value)
    assert "\n" not in str(raised.value)


# ---------------------------------------------------------------- the command line and the environment


def run_main(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run the command line in this process (so faults can be simulated); return (status, stdout, stderr)."""
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def built(raw_dir, write_log, tmp_path):
    """A raw folder with one log and its outputs built once: (raw, out, hashes of the outputs)."""
    write_log([log_row(), log_row(id="b", date="2022-08-25")])
    out = tmp_path / "processed"
    an.build(raw_dir, out)
    return raw_dir, out, {p.name: file_sha256(p) for p in out.iterdir()}


def outputs(out: Path) -> dict[str, str]:
    """Hash every file in an output folder (hidden folders included by name)."""
    return {p.name: file_sha256(p) if p.is_file() else "folder" for p in out.iterdir()}


def test_cli_build__unreadable_raw_file_is_one_error_line(built, monkeypatch, capsys):
    raw, out, before = built
    real_open = open

    def refusing_open(path, *args, **kwargs):
        if Path(path).name == "log.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files, "open", refusing_open, raising=False)
    status, _, err = run_main(["build", "--raw", raw, "--out", out], capsys)
    assert (status, err) == (
        2,
        f"error: {raw / 'log.csv'}: cannot be read: permission denied: give your user access to it "
        "(e.g. `chmod u+rw`) or use another folder\n",
    )
    assert outputs(out) == before


def test_cli_build__unlistable_raw_folder_is_one_error_line(built, monkeypatch, capsys):
    raw, out, before = built
    real_iterdir = Path.iterdir

    def refusing_iterdir(self):
        if self == raw:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refusing_iterdir)
    status, _, err = run_main(["build", "--raw", raw, "--out", out], capsys)
    assert (status, err) == (
        2,
        f"error: {raw}: permission denied: give your user access to it (e.g. `chmod u+rw`) or use another folder\n",
    )
    monkeypatch.undo()
    assert outputs(out) == before


def test_cli_build__read_only_output_folder_is_one_error_line(built, monkeypatch, capsys):
    raw, out, before = built

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", kwargs.get("dir"))

    monkeypatch.setattr(storage.tempfile, "mkdtemp", read_only)
    status, _, err = run_main(["build", "--raw", raw, "--out", out], capsys)
    assert (status, err) == (
        2,
        f"error: {out}: cannot write the outputs: the file system is read-only: choose a writable folder "
        "(e.g. `--out /tmp/processed`). The previous outputs there are unchanged.\n",
    )
    assert outputs(out) == before


def test_cli_build__full_disk_while_writing_keeps_previous_outputs(built, monkeypatch, capsys):
    raw, out, before = built
    (raw / "log.csv").write_text((raw / "log.csv").read_text().replace("2022-08-25", "2022-08-26"))
    original, calls = build_module._write_table, []

    def filling_disk(frame, path):
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        original(frame, path)

    monkeypatch.setattr(build_module, "_write_table", filling_disk)
    status, _, err = run_main(["build", "--raw", raw, "--out", out], capsys)
    assert (status, err) == (
        2,
        f"error: {out}: cannot write the outputs: no space left on the device: free some space or choose a folder "
        "on another disk. The previous outputs there are unchanged.\n",
    )
    assert outputs(out) == before


def test_build__failure_while_moving_outputs_in_puts_the_previous_ones_back(built, monkeypatch):
    raw, out, before = built
    (raw / "log.csv").write_text((raw / "log.csv").read_text().replace("2022-08-25", "2022-08-26"))
    real_replace, calls = os.replace, []

    def failing_third_move(source, target):
        calls.append(Path(target).name)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real_replace(source, target)

    monkeypatch.setattr(storage.os, "replace", failing_third_move)
    with pytest.raises(OutputError, match="no space left on the device"):
        an.build(raw, out)
    assert outputs(out) == before


def test_build__leftover_staging_of_a_killed_build_is_removed_and_a_running_one_kept(built):
    import filelock

    raw, out, before = built
    killed = out / ".staging-killed"
    killed.mkdir()
    (killed / ".lock").write_text("")
    (killed / "events.parquet").write_text("half written")
    running = out / ".staging-running"
    running.mkdir()
    held = filelock.FileLock(str(running / ".lock"))
    held.acquire()
    try:
        an.build(raw, out)
        assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".staging-running"]
    finally:
        held.release()
    assert set(outputs(out)) == set(before) | {".staging-running"}


def test_build__old_staging_folder_without_a_lock_is_removed(built):
    raw, out, _ = built
    old = out / ".staging-from-an-older-version"
    old.mkdir()
    os.utime(old, (0, 0))
    an.build(raw, out)
    assert not old.exists()


def test_cli_build__missing_raw_folder_is_one_error_line(tmp_path, capsys):
    status, _, err = run_main(["build", "--raw", tmp_path / "nowhere", "--out", tmp_path / "out"], capsys)
    assert (status, err) == (
        2,
        f"error: {tmp_path / 'nowhere'}: is not a folder: give the raw folder with --raw (it holds the event tables)\n",
    )
    assert not (tmp_path / "out").exists()


def test_cli_build__files_it_does_not_read_are_named_and_notes_are_not(raw_dir, write_log, tmp_path, capsys):
    write_log([log_row()])
    (raw_dir / "acled_export.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (raw_dir / "pull.json").write_text("[]")
    (raw_dir / "README.md").write_text("# notes")
    (raw_dir / "_kept_aside.xls").write_bytes(b"")
    status, _, err = run_main(["build", "--raw", raw_dir, "--out", tmp_path / "out"], capsys)
    assert status == 0, err
    named = [line for line in err.splitlines() if "not read:" in line]
    assert named == [
        f"warning: {raw_dir / name}: not read: {suffix} is not an event table format (.csv, .tsv, .txt, .xlsx, "
        ".xlsm); save it as CSV or XLSX to include it, or start its name with '_' to keep it there unread"
        for name, suffix in (("acled_export.xls", ".xls"), ("pull.json", ".json"))
    ]


def test_cli_build__output_path_that_is_a_file_is_one_error_line(raw_dir, write_log, tmp_path, capsys):
    write_log([log_row()])
    (tmp_path / "out").write_text("not a folder")
    status, _, err = run_main(["build", "--raw", raw_dir, "--out", tmp_path / "out"], capsys)
    assert (status, err) == (
        2,
        f"error: {tmp_path / 'out'}: cannot write the outputs: a file is in the way where a folder should be: "
        "choose another folder. The previous outputs there are unchanged.\n",
    )


def test_cli_build__missing_reference_table_is_one_error_line(raw_dir, write_log, tmp_path, capsys):
    write_log([log_row()])
    (raw_dir / "reference" / "weapons.csv").unlink()
    status, _, err = run_main(["build", "--raw", raw_dir, "--out", tmp_path / "out"], capsys)
    assert (status, err) == (
        2,
        f"error: {raw_dir / 'reference' / 'weapons.csv'}: reference table is missing; expected columns: alias, weapon\n",
    )


def test_cli_build__bad_reference_cell_is_one_error_line(raw_dir, write_log, tmp_path, capsys):
    write_csv(raw_dir / "reference" / "places.csv", with_cell(PLACES, 2, "latitude", "north-ish"))
    write_log([log_row()])
    status, _, err = run_main(["build", "--raw", raw_dir, "--out", tmp_path / "out"], capsys)
    assert (status, err) == (
        2,
        f"error: {raw_dir / 'reference' / 'places.csv'}: row 2, column 'latitude', value 'north-ish': must be a "
        "number between -90 and 90\n",
    )


def test_cli_build__unexpected_failure_is_one_line_and_debug_shows_it(
    raw_dir, write_log, tmp_path, monkeypatch, capsys
):
    write_log([log_row()])

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(build_module, "load_events", broken)
    status, _, err = run_main(["build", "--raw", raw_dir, "--out", tmp_path / "out"], capsys)
    assert (status, err) == (
        70,
        "error: unexpected KeyError: 'a bug' (a bug in the package: run the command again with --debug and "
        "report the traceback)\n",
    )
    with pytest.raises(KeyError, match="a bug"):
        cli.main(["build", "--debug", "--raw", str(raw_dir), "--out", str(tmp_path / "out")])
    with pytest.raises(KeyError, match="a bug"):
        cli.main(["--debug", "build", "--raw", str(raw_dir), "--out", str(tmp_path / "out")])


def test_cli_report__unreadable_reports_yml_is_one_error_line(tmp_path, monkeypatch, capsys):
    config = tmp_path / "reports.yml"
    config.write_text("pages: [overview]\nsets:\n  a: {}\n")
    original = Path.read_text

    def refusing(self, *args, **kwargs):
        if self == config:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refusing)
    status, _, err = run_main(["report", "--config", config, "--list"], capsys)
    assert (status, err) == (
        2,
        f"error: {config} cannot be read: permission denied: give your user access to it (e.g. `chmod u+rw`) or "
        "use another folder\n",
    )


# ---------------------------------------------------------------- formulas in the CSV files for people


def test_build__csv_outputs_neutralise_formulas_and_load_processed_gives_them_back(raw_dir, write_log, tmp_path):
    write_log(
        [
            log_row(location='=HYPERLINK("http://evil.example","click")'),
            log_row(id="b", date="2022-08-25", actor="+cmd|' /C calc'!A0", us_wounded="@SUM(1)"),
            log_row(id="c", date="2022-08-26", target="-2+3", notes="\tTabbed"),
        ]
    )
    out = tmp_path / "processed"
    an.build(raw_dir, out)
    unknown = list(csv.DictReader(io.StringIO((out / "unknown_names.csv").read_text(encoding="utf-8"))))
    quarantine = list(csv.DictReader(io.StringIO((out / "quarantine.csv").read_text(encoding="utf-8"))))
    assert [row["value"] for row in unknown] == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'+cmd|' /C calc'!A0",
        "'-2+3",
    ]
    assert [(row["source_row"], row["value"]) for row in quarantine] == [("3", "'@SUM(1)")]
    data = an.load_processed(out)
    assert data.unknown_names["value"].tolist() == [
        '=HYPERLINK("http://evil.example","click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
    ]
    assert data.quarantine["value"].tolist() == ["@SUM(1)"]
    assert data.events.set_index("event_id").loc["log:2022-08-24-a", "location"].startswith("=HYPERLINK")


# ---------------------------------------------------------------- properties: the cell parsers

# Text a spreadsheet or a person could put in a cell: digits, letters, punctuation, spaces, non-ASCII.
CELL_TEXT = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[0-9]{1,40}([.,/ -][0-9]{1,40}){0,3}", fullmatch=True),
    st.from_regex(r"(at least |more than |~)?[0-9]{1,25}(\+| ?- ?[0-9]{1,25})?( \[[a-z ]{0,8}\])?", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}[-/ ](Jan|May|Sept|Dec|[A-Za-z]{3})[-/ ][0-9]{2,4}", fullmatch=True),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "1e30", "-0", "0.0", "NaT", "None", "²", "١٢", "=1+1", "\x00"]),
)


@given(CELL_TEXT)
def test_parse_date__any_text_is_a_plausible_date_or_a_cell_error(text):
    try:
        day = parse_date(text)
    except CellError:
        return
    earliest, latest = plausible_date_window()
    assert earliest <= day <= latest


@given(CELL_TEXT)
def test_parse_count__any_text_is_a_plausible_count_or_a_cell_error(text):
    try:
        count = parse_count(text)
    except CellError:
        return
    if count is not None:
        assert 0 <= count.low <= count.best <= MAX_PLAUSIBLE_COUNT + 1
        assert count.high is None or count.best <= count.high <= MAX_PLAUSIBLE_COUNT


@given(st.one_of(CELL_TEXT, st.integers(-(10**30), 10**30), st.floats(allow_nan=True, allow_infinity=True)))
def test_parse_claims_and_whole_number__any_cell_is_read_or_refused_with_a_reason(value):
    for parse in (lambda v: parse_claims(v, "DoD"), lambda v: whole_number(v, what="fatalities")):
        try:
            parse(value)
        except CellError as error:
            assert str(error)


@given(CELL_TEXT)
def test_parse_local_time__any_text_is_a_clock_time_or_a_cell_error(text):
    try:
        time = parse_local_time(text)
    except CellError:
        return
    assert isinstance(time, dt.time)


# ---------------------------------------------------------------- properties: whole small logs

NASTY_CELLS = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(['"', '""', '"open', "a,b", "line\nbreak", "=1+1", "-", "@x", "\t", "\r", "1e400", HUGE,
                     "1600-01-01", "9-May-20", "5/9/2020", "Château", "’", "\x00"]),
)  # fmt: skip
LOG_COLUMNS = ["id", "date", "local_time", "country", "location", "kind", "actor", "us_wounded", "militia_killed",
               "munitions", "responds_to", "source", "notes"]  # fmt: skip


@st.composite
def small_logs(draw):
    """A log of 1 to 6 rows: each a good row with some cells replaced by generated ones."""
    rows = []
    for n in range(draw(st.integers(1, 6))):
        row = log_row(id=f"r{n}", date=f"2022-08-{10 + n}")
        for column in draw(st.lists(st.sampled_from(LOG_COLUMNS), max_size=4, unique=True)):
            row[column] = draw(NASTY_CELLS)
        rows.append(row)
    return rows


@functools.cache
def tiny_reference(directory: Path):
    """The test reference tables, written and read once (each example below reads only its log)."""
    for name, table in (("places.csv", PLACES), ("actors.csv", ACTORS), ("weapons.csv", WEAPONS)):
        write_csv(directory / name, table)
    return load_reference(directory)


# Each example writes and reads a whole file with the reader and accounting the build uses (load_file: about
# 0.1 s), so this property gets its own count: 10,000 examples would take a quarter of an hour of
# `CI=true bash scripts/test.sh` on two cores for no new kind of input. 400 in CI and 60 on a developer's run
# still put every nasty cell in every column many times over.
LOG_EXAMPLES = 400 if os.environ.get("CI") == "true" else 60


@settings(max_examples=LOG_EXAMPLES, deadline=None)
@given(small_logs(), st.sampled_from(["csv", "damaged"]))
def test_load_file__any_small_log_is_read_with_every_row_accounted(tmp_path_factory, rows, style):
    reference = tiny_reference(tmp_path_factory.getbasetemp() / "property-reference")
    path = tmp_path_factory.mktemp("log") / "log.csv"
    text = log_text(rows, line_end="\r\n")
    if style == "damaged":  # an unmatched quote opening the second line's last cell, as a slip of the keyboard
        lines = text.split("\n")
        lines[1] = lines[1][: lines[1].rfind(",") + 1] + '"' + lines[1][lines[1].rfind(",") + 1 :]
        text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    try:
        data = load_file(path, reference)
    except AnalysisError:
        return  # a named error (a header the damage changed, ...) is an allowed outcome
    counts = accounting(data)
    assert counts["raw_rows"] == counts["events"] + counts["merged"] + counts["quarantined"]
    assert data.quarantine["source_row"].nunique() == counts["quarantined"]
    if style == "csv":
        assert counts["raw_rows"] == len(rows)  # written by the csv module: every row is one record


def test_corpus__holds_at_least_sixty_cases():
    cases = (
        len(CELL_CASES)
        + len(READ_CASES)
        + len(FILE_CASES)
        + len(WEEKLY_CASES)
        + len(REFERENCE_CASES)
        + len(OFFICIAL_CASES)
        + len(REPORTS_YML_CASES)
    )
    assert cases >= 60, cases
