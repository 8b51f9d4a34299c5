"""Builders the tests share: raw rows of each format, small canonical tables, notebooks and report configs.

Tests import these from here (never from another test file), so each test file can be read and run alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.analyses.counts import COUNT_COLUMNS
from analysis.cleaning.rows import date_bounds
from analysis.core.tables import CASUALTY_COLUMNS, EVENT_COLUMNS, EventData, conform
from analysis.sources.ged import COLUMNS

# ACLED's 2023 export layout comes from the benchmarks' generator, so the tests do not take it from the reader
from benchmarks.generate_acled import COLUMNS_2023
from tests.conftest import PROJECT_DIR, write_csv

NA = None
ROCKETS_AT_CONOCO = (
    "On 19 October 2023, the Islamic Resistance in Iraq fired 3 rockets at the US base at the "
    "Conoco gas field. No casualties were reported."
)
COMMON = 'data = ""\nstart = "2019-01-01"\nend = "2024-12-31"\ncountries = ["Iraq", "Syria", "Jordan"]\n'


def acled_row(**cells) -> dict[str, str]:
    """Return a 2023-layout ACLED row (militia rockets at the US base at Conoco), with cells overridden."""
    row = {
        "event_id_cnty": "SYR1",
        "event_date": "2023-10-19",
        "year": "2023",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "Militia (Pro-Iran)",
        "assoc_actor_1": "Islamic Resistance in Iraq",
        "inter1": "3",
        "actor2": "Military Forces of the United States (2021-)",
        "assoc_actor_2": "",
        "inter2": "8",
        "interaction": "38",
        "civilian_targeting": "",
        "iso": "760",
        "region": "Middle East",
        "country": "Syria",
        "admin1": "Deir ez Zor",
        "admin2": "Deir ez Zor",
        "admin3": "Khasham",
        "location": "Conoco Gas Field",
        "latitude": "35.392",
        "longitude": "40.309",
        "geo_precision": "1",
        "source": "CENTCOM",
        "source_scale": "International",
        "notes": ROCKETS_AT_CONOCO,
        "fatalities": "0",
        "tags": "",
        "timestamp": "1700000000",
    }
    row.update(cells)
    return row


def write_acled(directory: Path, rows: list[dict], name: str = "acled.csv", columns=None) -> Path:
    """Write rows as an ACLED CSV export (columns default to the 2023 layout plus any extra keys)."""
    columns = columns or list(dict.fromkeys(COLUMNS_2023 + [k for row in rows for k in row]))
    return write_csv(directory / name, [columns] + [[row.get(c, "") for c in columns] for row in rows])


def ged_row(**cells) -> dict[str, str]:
    """Return a GED row (a US strike on Kata'ib Hizballah near Al-Qaim), with cells overridden."""
    row = {
        "id": "300001",
        "relid": "IRQ-2019-1-524-10",
        "year": "2019",
        "active_year": "1",
        "code_status": "Clear",
        "type_of_violence": "1",
        "conflict_dset_id": "259",
        "conflict_new_id": "259",
        "conflict_name": "Iraq: Government",
        "dyad_dset_id": "524",
        "dyad_new_id": "524",
        "dyad_name": "Government of United States of America - Kata'ib Hizballah",
        "side_a_dset_id": "2",
        "side_a_new_id": "2",
        "side_a": "Government of United States of America",
        "side_b_dset_id": "9999",
        "side_b_new_id": "9999",
        "side_b": "Kata'ib Hizballah",
        "number_of_sources": "3",
        "source_article": "Reuters,2019-12-29,US strikes Iraqi militia",
        "source_office": "Reuters;AFP",
        "source_date": "2019-12-29",
        "source_headline": "US strikes Kataib Hezbollah sites in Iraq and Syria",
        "source_original": "US military",
        "where_prec": "1",
        "where_coordinates": "Al Qaim town",
        "where_description": "near Al Qaim",
        "adm_1": "Anbar province",
        "adm_2": "Al Qaim district",
        "latitude": "34.379",
        "longitude": "41.089",
        "geom_wkt": "POINT (41.089 34.379)",
        "priogrid_gid": "175000",
        "country": "Iraq",
        "country_id": "645",
        "region": "Middle East",
        "event_clarity": "1",
        "date_prec": "1",
        "date_start": "2019-12-29 00:00:00.000",
        "date_end": "2019-12-29 00:00:00.000",
        "deaths_a": "0",
        "deaths_b": "25",
        "deaths_civilians": "0",
        "deaths_unknown": "0",
        "best": "25",
        "high": "27",
        "low": "25",
        "gwnoa": "2",
        "gwnob": "",
    }
    row.update(cells)
    return row


def write_ged(directory: Path, rows: list[dict], name: str = "ged.csv", header: bool = True, columns=COLUMNS) -> Path:
    """Write rows as a GED CSV, with or without its header row."""
    body = [[row.get(c, "") for c in columns] for row in rows]
    return write_csv(directory / name, ([list(columns)] if header else []) + body)


WEEKLY_HEADER = [
    "WEEK",
    "REGION",
    "COUNTRY",
    "ADMIN1",
    "EVENT_TYPE",
    "SUB_EVENT_TYPE",
    "EVENTS",
    "FATALITIES",
    "POPULATION_EXPOSURE",
    "DISORDER_TYPE",
    "ID",
    "CENTROID_LATITUDE",
    "CENTROID_LONGITUDE",
]


def weekly_row(**cells) -> dict[str, str]:
    """Return one weekly aggregate row (shelling in Deir ez-Zor, the week of Saturday 2024-01-06)."""
    row = {
        "WEEK": "2024-01-06",
        "REGION": "Middle East",
        "COUNTRY": "Syria",
        "ADMIN1": "Deir ez Zor",
        "EVENT_TYPE": "Explosions/Remote violence",
        "SUB_EVENT_TYPE": "Shelling/artillery/missile attack",
        "EVENTS": "4",
        "FATALITIES": "1",
        "POPULATION_EXPOSURE": "120000",
        "DISORDER_TYPE": "Political violence",
        "ID": "76003",
        "CENTROID_LATITUDE": "35.05",
        "CENTROID_LONGITUDE": "40.45",
    }
    row.update(cells)
    return row


def write_weekly(directory, rows, header=WEEKLY_HEADER, name="weekly.csv"):
    """Write weekly rows as a CSV."""
    return write_csv(directory / name, [header] + [[row.get(c, "") for c in header] for row in rows])


# event_id -> (date, country, role, initiator)
EVENTS = {
    "e1": ("2024-01-28", "Jordan", "attack", "Kata'ib Hizballah"),
    "e2": ("2024-02-02", "Syria", "response", "United States Armed Forces"),
    "e3": ("2024-02-03", "Iraq", "response", "United States Armed Forces"),
    "e4": ("2024-04-10", "Iraq", "attack", "Kata'ib Hizballah"),
}


def make_data(claims: list[tuple], events: dict = EVENTS) -> EventData:
    """Build EventData from (event_id, side, outcome, low, best, high, claimant) tuples."""
    event_rows = pd.DataFrame(
        [
            {
                "event_id": event_id,
                "source": "test",
                "event_date": date,
                "date_earliest": date,
                "date_latest": date,
                "date_precision": "day",
                "country": country,
                "role": role,
                "initiator": initiator,
            }
            for event_id, (date, country, role, initiator) in events.items()
        ]
    )
    claim_rows = pd.DataFrame(claims, columns=["event_id", "side", "outcome", "low", "best", "high", "claimant"])
    return EventData(events=conform(event_rows, EVENT_COLUMNS), casualties=conform(claim_rows, CASUALTY_COLUMNS))


# The strike of 2 February: one militia official says 1 killed, local sources at least 17 (two claims, one incident).
CONTESTED = [
    ("e1", "us", "killed", 3, 3, 3, "White House"),
    ("e1", "us", "wounded", 31, 31, NA, "White House"),
    ("e1", "us", "wounded", 41, 41, NA, "later White House article"),
    ("e2", "militia", "killed", 1, 1, 1, "militia official"),
    ("e2", "militia", "killed", 17, 17, NA, "local sources"),
    ("e3", "militia", "killed", 2, 2, 3, "CENTCOM"),
]


def weekly(attacks, responses=None, first: str = "2021-01-02", **columns) -> pd.DataFrame:
    """Build a weekly counts table (the shape event_counts returns) from arrays of attacks and responses."""
    attacks = np.asarray(attacks)
    responses = np.zeros(len(attacks), int) if responses is None else np.asarray(responses)
    frame = pd.DataFrame(
        {
            "period_start": pd.date_range(first, periods=len(attacks), freq="7D"),
            **columns,
            "period_days": 7,
            "events": attacks + responses,
            "attacks": attacks,
            "responses": responses,
            "intercepted_attacks": 0,
            "partly_intercepted_attacks": 0,
            "coarse_dated_events": 0,
        }
    )
    frame = frame.astype({c: "Int64" for c in ["period_days", *COUNT_COLUMNS]})
    frame.attrs["freq"] = "W"
    return frame


def make_events(*rows: dict) -> pd.DataFrame:
    """Build a canonical-looking events table: each row needs event_id, role and date; the rest has defaults."""
    frame = pd.DataFrame(
        [
            {
                "country": "Syria",
                "date_precision": "day",
                "responds_to": None,
                "time_utc": None,
                "site": None,
                "location": None,
            }
            | row
            for row in rows
        ]
    )
    dates = pd.to_datetime(frame["date"])
    earliest, latest = date_bounds(dates, frame["date_precision"])
    return pd.DataFrame(
        {
            "event_id": frame["event_id"].astype("string"),
            "event_date": dates,
            "date_earliest": earliest,
            "date_latest": latest,
            "date_precision": frame["date_precision"].astype("string"),
            "event_time_utc": pd.to_datetime(frame["time_utc"], utc=True),
            "country": frame["country"].astype("string"),
            "site": frame["site"].astype("string"),
            "location": frame["location"].astype("string"),
            "role": frame["role"].astype("string"),
            "responds_to": frame["responds_to"].astype("string"),
        }
    )


def attack(event_id, date, **extra):
    """One attack row."""
    return {"event_id": event_id, "role": "attack", "date": date, **extra}


def response(event_id, date, **extra):
    """One response row."""
    return {"event_id": event_id, "role": "response", "date": date, **extra}


def notebook_json(parameters_source: str = COMMON, body: str = "print(start)", extra_tags=()) -> dict:
    """Return a minimal notebook with a parameters cell and one more cell."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [
            {
                "cell_type": "code",
                "id": "p",
                "metadata": {"tags": ["parameters", *extra_tags]},
                "source": parameters_source,
                "outputs": [],
                "execution_count": None,
            },
            {"cell_type": "code", "id": "b", "metadata": {}, "source": body, "outputs": [], "execution_count": None},
        ],
    }


def write_notebook(path: Path, **kwargs) -> Path:
    """Write a minimal notebook file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook_json(**kwargs)), encoding="utf-8")
    return path


def run_report(*args: str) -> subprocess.CompletedProcess:
    """Run `python -m analysis report ...` in the project folder and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", "report", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=600,
    )


def write_config(path: Path, pages: list[str], parameters: dict) -> Path:
    """Write a reports.yml with one set, 'test'."""
    path.write_text(json.dumps({"pages": pages, "sets": {"test": {"title": "Test set", "parameters": parameters}}}))
    return path


# Places for generated API rows, one per country (the fake ACLED and UCDP servers of tests/fake_api.py serve them).
API_PLACES = {
    "Iraq": {
        "iso3": "IRQ",
        "iso": "368",
        "gw": "645",
        "admin1": "Al Anbar",
        "location": "Ain al Asad Airbase",
        "latitude": "33.800",
        "longitude": "42.441",
    },
    "Syria": {
        "iso3": "SYR",
        "iso": "760",
        "gw": "652",
        "admin1": "Deir ez Zor",
        "location": "Conoco Gas Field",
        "latitude": "35.392",
        "longitude": "40.309",
    },
    "Jordan": {
        "iso3": "JOR",
        "iso": "400",
        "gw": "663",
        "admin1": "Mafraq",
        "location": "Tower 22",
        "latitude": "33.317",
        "longitude": "38.694",
    },
}


def acled_api_rows(
    count: int,
    *,
    first_day: str = "2023-10-17",
    countries=("Iraq", "Syria", "Jordan"),
    timestamp: int = 1_700_000_000,
    first_number: int = 1,
) -> list[dict]:
    """Generate ACLED rows as the API serves them (JSON: timestamp and fatalities as numbers), countries in turn."""
    import datetime as dt

    rows = []
    for i in range(count):
        country = countries[i % len(countries)]
        place = API_PLACES[country]
        day = dt.date.fromisoformat(first_day) + dt.timedelta(days=i // len(countries))
        event_id = f"{place['iso3']}{first_number + i}"
        row = acled_row(
            event_id_cnty=event_id,
            event_date=day.isoformat(),
            year=str(day.year),
            country=country,
            iso=place["iso"],
            admin1=place["admin1"],
            admin2="",
            admin3="",
            location=place["location"],
            latitude=place["latitude"],
            longitude=place["longitude"],
            notes=f"On {day:%d %B %Y}, militias fired rockets at the US base at {place['location']} (generated {event_id}).",
        )
        rows.append({**row, "timestamp": timestamp + i, "fatalities": 0})
    return rows


def ged_api_rows(
    count: int, *, first_day: str = "2019-12-29", countries=("Iraq", "Syria", "Jordan"), first_id: int = 300001
) -> list[dict]:
    """Generate UCDP GED rows as the API serves them (JSON: ids and deaths as numbers), countries in turn."""
    import datetime as dt

    rows = []
    for i in range(count):
        country = countries[i % len(countries)]
        place = API_PLACES[country]
        day = dt.date.fromisoformat(first_day) + dt.timedelta(days=i // len(countries))
        row = ged_row(
            relid=f"{place['iso3']}-{day.year}-1-524-{i}",
            year=str(day.year),
            country=country,
            country_id=place["gw"],
            latitude=place["latitude"],
            longitude=place["longitude"],
            geom_wkt=f"POINT ({place['longitude']} {place['latitude']})",
            date_start=f"{day.isoformat()}T00:00:00",
            date_end=f"{day.isoformat()}T00:00:00",
        )
        numbers = {key: int(row[key]) for key in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")}
        rows.append({**row, **numbers, "id": first_id + i, "country_id": int(place["gw"]), "active_year": True})
    return rows


ROLE_LABELS_DIR = PROJECT_DIR / "tests" / "data"


def role_labels(name: str) -> pd.DataFrame:
    """Read a hand-labelled roles file of tests/data (event_id_cnty, label, reason) as event_id, label, reason."""
    table = pd.read_csv(ROLE_LABELS_DIR / name, dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {"event_id": "acled:" + table["event_id_cnty"], "label": table["label"], "reason": table["reason"]}
    )
