"""Reader for ACLED event exports: the 2023+ 31-column layout and the older upper-case layout.

Recognised by its columns (case is ignored, so EVENT_ID_CNTY and event_id_cnty are the same column). Each
row becomes one event ``acled:<event_id_cnty>`` with its role inferred from the actors (analysis.roles).

Conventions (see docs/sources.md):
* time_precision 1 / 2 / 3 -> date_precision day / week / month; the true date is taken to lie within 0 / 3 /
  15 days of event_date (ACLED's week- and month-precision dates are "around" dates, not calendar periods).
* geo_precision is kept as ACLED codes it (1 the place, 2 near it, 3 a wider region).
* fatalities -> one casualty row: side "unknown" (ACLED does not split by side), outcome killed, claimant
  "ACLED", low = best = fatalities, high empty. ACLED codes the lowest credible figure its sources report, so
  the number is a conservative floor, not a range: "at least N".
* inter1 / inter2 may be numbers (1..8) or their names ("State forces"); anything else is quarantined.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..model import CASUALTY_COLUMNS, EVENT_COLUMNS, EventData
from ..parsing import CellError, map_unique_strings, numeric_date_order, parse_date, parse_unique_arrays
from ..reference import Reference
from ..roles import infer_roles, infer_sites, infer_weapons
from ..text import clean_text
from .checks import (
    Problems, blank_reasons, coded_column, decimal_numbers, decoded_text, derived_text_columns, distinct_values, duplicate_reasons,
    first_unknown_names, free_text_column, id_order, place_lookup, release_columns, sorted_positions, text_column, typed_frame,
    warn_extra_columns, whole_number, whole_numbers,
)

REQUIRED = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "location", "latitude", "longitude", "fatalities",
)
COLUMNS_2023 = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
COLUMNS_PRE_2023 = ("data_id", "event_id_no_cnty", "iso3")  # the old layout's columns beyond the shared ones
# Layout columns read_acled never uses: a CSV export is read without them (a tenth of a million-row file's reading).
UNREAD = ("disorder_type", "interaction", "civilian_targeting", "iso", "region", "admin2", "admin3", "source_scale", "tags",
          "timestamp", *COLUMNS_PRE_2023)
ID_PREFIX = "acled:"
CLAIMANT = "ACLED"
TIME_PRECISIONS = {1: "day", 2: "week", 3: "month"}
HALF_WINDOW_DAYS = {"day": 0, "week": 3, "month": 15}
DATE_BASIS = {"week": "ACLED time_precision 2: only the week is known",
              "month": "ACLED time_precision 3: only the month is known"}
INTER_NAMES = {
    "state forces": 1, "rebel group": 2, "rebel groups": 2, "political militia": 3, "political militias": 3,
    "identity militia": 4, "identity militias": 4, "rioters": 5, "protesters": 6, "civilians": 7,
    "external/other forces": 8, "external forces": 8, "other forces": 8,
}


def layout(columns) -> str:
    """Name the ACLED layout a header follows: '2023+' or 'pre-2023'."""
    return "pre-2023" if set(COLUMNS_PRE_2023) & set(columns) else "2023+"


def inter_code(value) -> int:
    """Read an ACLED actor-type code given as a number (0-8) or as its name ('Political militia')."""
    text = clean_text(value)
    if text is None:
        return 0
    if text.casefold() in INTER_NAMES:
        return INTER_NAMES[text.casefold()]
    try:
        return whole_number(value, what="actor type", low=0, high=8)
    except CellError:
        raise CellError(
            f"unknown ACLED actor type {text!r}: expected 0-8 or a name such as 'State forces' or 'Political militia'"
        ) from None


def time_precision(value) -> str:
    """Map ACLED's time_precision code to day / week / month."""
    code = whole_number(value, what="time_precision", low=1, high=3)
    return TIME_PRECISIONS[code]


def read_acled(raw: pd.DataFrame, path: Path, reference: Reference) -> EventData:
    """Clean an ACLED export into canonical events, casualty rows, quarantine and unknown actor names.

    The raw table is consumed: its columns are released once read, so the events of a million-row export
    reuse their memory instead of holding the file twice (load_file needs only its row count afterwards).
    """
    warn_extra_columns(raw, set(COLUMNS_2023) | set(COLUMNS_PRE_2023), path, "ACLED")
    source_file = str(path)
    rows = pd.Series(raw.index + 2, index=raw.index, dtype="Int64")  # spreadsheet row numbers (header = 1)
    problems = Problems(source_file, rows)

    ids = text_column(raw, "event_id_cnty", mostly_distinct=True)
    problems.add("event_id_cnty", ids, blank_reasons(ids, "event_id_cnty"))
    by_id = id_order(ids)  # sorts the events below, and finds repeated ids as neighbours
    problems.add("event_id_cnty", ids, duplicate_reasons(ids, rows, "event_id_cnty", order=by_id))
    day_first = numeric_date_order(pd.unique(raw["event_date"].dropna()))
    dates, reasons = parse_unique_arrays(raw["event_date"], lambda v: parse_date(v, day_first=day_first),
                                         skip_blank=False, dtype="datetime64[ns]")
    problems.add("event_date", raw["event_date"], reasons)
    precision, reasons = parse_unique_arrays(raw["time_precision"], time_precision, skip_blank=False, dtype="string")
    problems.add("time_precision", raw["time_precision"], reasons)
    if "year" in raw:
        years, reasons = whole_numbers(raw, "year", low=1900, high=2100)
        problems.add("year", raw["year"], reasons)
        date_years = pd.Series(dates, index=raw.index, copy=False).dt.year
        mismatch = (years.notna() & date_years.notna() & (years != date_years)).fillna(False).to_numpy()
        problems.add("year", raw["year"], np.where(mismatch, "year does not match event_date (columns shifted?)", None))
    for column in ("inter1", "inter2"):
        if column in raw:
            _, reasons = parse_unique_arrays(raw[column], inter_code)
            problems.add(column, raw[column], reasons)
    latitude, reasons = decimal_numbers(raw, "latitude", low=-90, high=90)
    problems.add("latitude", raw["latitude"], reasons)
    longitude, reasons = decimal_numbers(raw, "longitude", low=-180, high=180)
    problems.add("longitude", raw["longitude"], reasons)
    geo_precision, reasons = whole_numbers(raw, "geo_precision", low=1, high=3)
    problems.add("geo_precision", raw.get("geo_precision"), reasons)
    fatalities, reasons = whole_numbers(raw, "fatalities", low=0)
    problems.add("fatalities", raw["fatalities"], reasons)
    required_names = {column: coded_column(raw, column) for column in ("actor1", "country")}  # coded once, used twice
    for column, names in required_names.items():
        problems.add(column, raw[column], np.where(names.isna().to_numpy(), f"{column} is blank (required)", None))

    # The clean rows in (event_date, event id) order: every column below is built in that order from its
    # distinct values, so the events come out sorted without reordering a finished million-row table.
    chosen = sorted_positions(~problems.is_bad, dates, by_id)
    # Columns only grouped by or looked up once per distinct value stay codes (categorical), never a million strings.
    coded = {column: required_names[column].iloc[chosen].reset_index(drop=True) if column in required_names
             else coded_column(raw, column, rows=chosen)
             for column in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "event_type", "sub_event_type")}
    text = {"country": decoded_text(coded["country"]), "admin1": text_column(raw, "admin1", rows=chosen)}
    text["sources"] = text_column(raw, "source", rows=chosen, function=lambda s: f"ACLED ({s})" if s else "ACLED")
    place = place_lookup(reference.places)
    text |= derived_text_columns(raw, "location", {"location": lambda name: place(name)[0],
                                                   "location_site": lambda name: place(name)[1]}, rows=chosen)
    release_columns(raw, keep=("notes",))
    notes = free_text_column(raw, "notes", rows=chosen)
    release_columns(raw)
    roles = infer_roles(pd.DataFrame({**coded, "notes": notes}), reference)
    pick = {name: pd.Series(values, copy=False).iloc[chosen].reset_index(drop=True) for name, values in (
        ("ids", ids), ("dates", dates), ("precision", precision), ("latitude", latitude), ("longitude", longitude),
        ("geo_precision", geo_precision), ("fatalities", fatalities), ("rows", rows))}
    events = _events(pick, text, coded["sub_event_type"], roles, notes, source_file, reference)
    casualties = _casualties(events["event_id"], pick["fatalities"])
    unknown = first_unknown_names(source_file, pick["rows"], roles.attrs["unlisted"], ("actor1", "actor2"))
    return EventData(events=events, casualties=casualties, quarantine=problems.table(), unknown_names=unknown)


def _events(pick: dict[str, pd.Series], text: dict[str, pd.Series], sub_event_type: pd.Series, roles: pd.DataFrame,
            notes: pd.Series, source_file: str, reference) -> pd.DataFrame:
    """Assemble the canonical events of the clean rows (all inputs aligned, in output order)."""
    index = pick["ids"].index
    event_date = pick["dates"].astype("datetime64[ns]")
    precision = pick["precision"].astype("string")
    codes, kinds = distinct_values(precision)  # each precision's window and wording is worked out once
    half_window_days = np.array([HALF_WINDOW_DAYS.get(kind, 0) for kind in kinds] + [0], dtype="int64")[codes]
    date_basis = pd.Series(pd.array([DATE_BASIS.get(kind) for kind in kinds] + [None], dtype="string").take(codes), index=index)
    # the bounds in plain int64 nanoseconds: clean rows have a date, and within 1900-2100 nothing can overflow
    day_nanoseconds, half_window_nanoseconds = event_date.to_numpy().view("int64"), half_window_days * 86_400_000_000_000
    event_ids = (ID_PREFIX + pick["ids"]).astype("string")
    site = infer_sites(text["location_site"], pick["latitude"], pick["longitude"], roles["role"], reference.places)
    weapon = infer_weapons(roles["role"], sub_event_type, notes, roles["initiator_side"])
    return typed_frame(EVENT_COLUMNS, {
        "event_id": event_ids,
        "source": "acled",
        "event_date": event_date,
        "date_earliest": pd.Series((day_nanoseconds - half_window_nanoseconds).view("datetime64[ns]"), index=index, copy=False),
        "date_latest": pd.Series((day_nanoseconds + half_window_nanoseconds).view("datetime64[ns]"), index=index, copy=False),
        "date_precision": precision,
        "country": text["country"],
        "admin1": text["admin1"],
        "location": text["location"],
        "site": site,
        "latitude": pick["latitude"],
        "longitude": pick["longitude"],
        "geo_precision": pick["geo_precision"],
        "role": roles["role"],
        "role_basis": roles["role_basis"],
        "initiator": roles["initiator"],
        "initiator_side": roles["initiator_side"],
        "target": roles["target"],
        "target_side": roles["target_side"],
        "weapon": weapon,
        "intercepted": roles["intercepted"],
        "sources": text["sources"],
        "date_basis": date_basis,
        "notes": notes,
        "source_file": source_file,
        "source_row": pick["rows"],
        "source_records": event_ids,
    }, index)


def _casualties(event_ids: pd.Series, fatalities: pd.Series) -> pd.DataFrame:
    """One row per event with a fatality count: side unknown, killed, low = best = the count, high open."""
    has_count = fatalities.notna().to_numpy()
    if not has_count.all():  # (usually every row has a figure: then nothing is copied)
        event_ids, fatalities = event_ids[has_count].reset_index(drop=True), fatalities[has_count].reset_index(drop=True)
    index = pd.RangeIndex(len(fatalities))
    counts = fatalities
    return typed_frame(CASUALTY_COLUMNS, {
        "event_id": event_ids,
        "side": "unknown",
        "outcome": "killed",
        "low": counts,
        "best": counts,
        "claimant": CLAIMANT,
        "claim_text": map_unique_strings(counts, lambda n: None if n is None else f"fatalities: {n}"),
    }, index)


from . import SourceFormat  # noqa: E402  (the registry imports this module lazily)

FORMAT = SourceFormat(name="ACLED events", required=REQUIRED, read=read_acled, id_column="event_id_cnty", unread=UNREAD)
