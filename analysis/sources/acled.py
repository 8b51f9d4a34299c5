"""Reader for ACLED event exports: the 2023+ 31-column layout and the older upper-case layout.

Recognised by its columns (case is ignored, so EVENT_ID_CNTY and event_id_cnty are the same column). Each
row becomes one event ``acled:<event_id_cnty>`` with its role inferred from the actors (analysis.cleaning.roles).

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

from analysis.cleaning.cells import (
    CellError,
    DistinctParse,
    distinct_values,
    map_unique_strings,
    numeric_date_order,
    parse_date,
    parse_distinct,
)
from analysis.cleaning.reference import Reference
from analysis.cleaning.roles import SitePlaces, infer_roles, infer_sites, infer_target_kinds, infer_weapons
from analysis.core.tables import CASUALTY_COLUMNS, EVENT_COLUMNS, EventData
from analysis.core.text import clean_text
from analysis.sources.checks import (
    Problems,
    background_thread,
    blank_reasons,
    coded_column,
    decimal_numbers,
    decoded_text,
    derived_text_columns,
    duplicate_reasons,
    first_unknown_names,
    free_text,
    id_order,
    parse_whole_numbers,
    place_lookup,
    release_columns,
    single_chunk,
    sorted_positions,
    text_column,
    typed_frame,
    warn_extra_columns,
    whole_number,
)
from analysis.sources.format import SourceFormat

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "location",
    "latitude",
    "longitude",
    "fatalities",
)
COLUMNS_2023 = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

COLUMNS_PRE_2023 = ("data_id", "event_id_no_cnty", "iso3")  # the old layout's columns beyond the shared ones
# Layout columns read_acled never uses: a CSV export is read without them (a tenth of a million-row file's reading).
UNREAD = (
    "disorder_type",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "admin2",
    "admin3",
    "source_scale",
    "tags",
    *COLUMNS_PRE_2023,
)
# Raw columns only needed once the clean rows are known: the second thread finds their distinct values meanwhile.
LATER_COLUMNS = (
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "event_type",
    "sub_event_type",
    "admin1",
    "source",
    "location",
)
# Names only grouped by or looked up once per distinct value: kept as codes (categorical).
CODED = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "event_type", "sub_event_type")
ID_PREFIX = "acled:"
CLAIMANT = "ACLED"
TIME_PRECISIONS = {1: "day", 2: "week", 3: "month"}
HALF_WINDOW_DAYS = {"day": 0, "week": 3, "month": 15}
DATE_BASIS = {
    "week": "ACLED time_precision 2: only the week is known",
    "month": "ACLED time_precision 3: only the month is known",
}
INTER_NAMES = {
    "state forces": 1,
    "rebel group": 2,
    "rebel groups": 2,
    "political militia": 3,
    "political militias": 3,
    "identity militia": 4,
    "identity militias": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external/other forces": 8,
    "external forces": 8,
    "other forces": 8,
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
    pyarrow's hash passes, sorts and takes release the GIL, so they run on a second thread, queued in the order
    this one needs them, while this one parses each distinct value and decides the roles (docs/sources.md, Speed).
    """
    warn_extra_columns(raw, set(COLUMNS_2023) | set(COLUMNS_PRE_2023), path, "ACLED")
    source_file = str(path)
    rows = pd.Series(raw.index + 2, index=raw.index, dtype="Int64")  # spreadsheet row numbers (header = 1)
    problems = Problems(source_file, rows)
    with background_thread("acled-columns") as worker:
        jobs = _start_column_jobs(worker, raw)
        cells = _checked_cells(raw, problems)
        for column in ("latitude", "longitude"):
            cells[column], reasons = jobs[column].result()
            problems.add(column, raw[column], reasons)
        ids, by_id = jobs["ids"].result()
        problems.add("event_id_cnty", ids, blank_reasons(ids, "event_id_cnty"))
        problems.add("event_id_cnty", ids, duplicate_reasons(ids, rows, "event_id_cnty", order=by_id))

        # The clean rows in (event_date, event id) order: every column below is built in that order from its
        # distinct values, so the events come out sorted without reordering a finished million-row table.
        chosen = sorted_positions(~problems.is_bad, cells["dates"], by_id)
        raw_notes = jobs["notes"].result()
        notes_job = worker.submit(_notes_at, raw_notes, chosen)  # the longest take: started first
        ids_job = worker.submit(lambda: ids.iloc[chosen].reset_index(drop=True))
        coded = _coded_columns(raw, cells["required_names"], chosen, jobs)
        text_job = worker.submit(_text_columns, raw[[]], coded["country"], chosen, reference, jobs)
        cells["timestamp"] = jobs["timestamp"].result()
        pick_job = worker.submit(_picked, cells, rows, chosen)
        release_columns(raw)  # what the jobs still read, they hold: the rest is freed for the columns built next

        def lent_notes(positions: np.ndarray) -> pd.Series:
            """The rules read a few rows' notes: taken from the raw notes, not from the column being built."""
            return _notes_at(raw_notes, chosen[positions])

        def lent_places(positions: np.ndarray) -> pd.DataFrame:
            """Rules 5-7 look at a few rows' places: taken from the picked cells once they are ready."""
            picked, located = pick_job.result(), text_job.result()
            return pd.DataFrame(
                {
                    "latitude": picked["latitude"].iloc[positions].to_numpy(dtype="float64", na_value=np.nan),
                    "longitude": picked["longitude"].iloc[positions].to_numpy(dtype="float64", na_value=np.nan),
                    "location_site": located["location_site"].iloc[positions].to_numpy(dtype=object, na_value=None),
                }
            )

        places = SitePlaces.from_reference(reference, lent_places)
        roles = infer_roles(pd.DataFrame(coded, copy=False), reference, notes=lent_notes, places=places)
        weapon = infer_weapons(roles["role"], coded["sub_event_type"], lent_notes, roles["initiator_side"])
        pick, text, notes = {**pick_job.result(), "ids": ids_job.result()}, text_job.result(), notes_job.result()
    events = _events(pick, text, roles, weapon, notes, source_file, reference)
    casualties = _casualties(events["event_id"], pick["fatalities"])
    unknown = first_unknown_names(source_file, pick["rows"], roles.attrs["unlisted"], ("actor1", "actor2"))
    return EventData(events=events, casualties=casualties, quarantine=problems.table(), unknown_names=unknown)


def _start_column_jobs(worker, raw: pd.DataFrame) -> dict:
    """Queue on the worker the column work that needs no parsed cell: ids sorted, coordinates cast, notes joined
    into one chunk, and the distinct values of the columns used once the clean rows are known (by column name).

    Each job gets the one-column frame it reads (no copy), so the raw table may drop its columns meanwhile.
    """

    def own(column: str) -> pd.DataFrame:
        return raw[[column]] if column in raw else raw[[]]

    jobs = {"ids": worker.submit(_ids_in_order, own("event_id_cnty"))}
    jobs |= {
        column: worker.submit(decimal_numbers, own(column), column, low=-limit, high=limit)
        for column, limit in (("latitude", 90), ("longitude", 180))
    }
    jobs["notes"] = worker.submit(_raw_notes, own("notes"))
    jobs["timestamp"] = worker.submit(_revision_times, own("timestamp"))
    return jobs | {column: worker.submit(distinct_values, raw[column]) for column in LATER_COLUMNS if column in raw}


def _ids_in_order(raw: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """Return the cleaned event ids and their positions in id order (which sorts the events and finds repeats)."""
    ids = text_column(raw, "event_id_cnty", mostly_distinct=True)
    return ids, id_order(ids)


def _picked(cells: dict, rows: pd.Series, chosen: np.ndarray) -> dict[str, pd.Series]:
    """Return the checked cells and row numbers of the clean rows, in output order, on a fresh 0..n-1 index."""
    pick = {
        name: pd.Series(cells[name].spread(chosen), copy=False) for name in ("precision", "geo_precision", "fatalities")
    }
    pick |= {name: cells[name].iloc[chosen].reset_index(drop=True) for name in ("latitude", "longitude", "timestamp")}
    return pick | {
        "dates": pd.Series(np.asarray(cells["dates"])[chosen], copy=False),
        "rows": pd.Series(rows.to_numpy()[chosen], dtype="Int64"),
    }


def _revision_times(raw: pd.DataFrame) -> pd.Series:
    """Return ACLED's timestamp (seconds since 1970, the record's last revision) as UTC times; NA when absent or unreadable.

    It only orders revisions of one record (a file's own rows are never dropped for it), so a bad cell is not a problem.
    """
    if "timestamp" not in raw:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")
    seconds = pd.to_numeric(raw["timestamp"], errors="coerce")
    seconds = seconds.where(seconds.between(0, 4_102_444_800))  # 1970 to 2100: anything else is not a time
    return pd.to_datetime(seconds, unit="s", utc=True).astype("datetime64[ns, UTC]")


def _raw_notes(raw: pd.DataFrame) -> pd.Series:
    """Return the notes as read, in one pyarrow chunk (each take from a column in blocks would join them again)."""
    if "notes" not in raw:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    return single_chunk(raw["notes"])


def _notes_at(raw_notes: pd.Series, rows: np.ndarray) -> pd.Series:
    """Return the notes of the rows at these positions, blank cells as NA, on a fresh 0..n-1 index."""
    return free_text(raw_notes.iloc[rows], pd.RangeIndex(len(rows)))


def _checked_cells(raw: pd.DataFrame, problems: Problems) -> dict:
    """Check every cell the events need except ids and coordinates, recording bad ones in problems.

    Returns the parsed columns: dates (every row), precision, geo_precision and fatalities (parsed once per
    distinct value), and the required names (actor1, country) as codes.
    """
    dates_distinct = distinct_values(raw["event_date"])
    day_first = numeric_date_order([v for v in dates_distinct[1] if not pd.isna(v)])
    dates = parse_distinct(
        raw["event_date"],
        lambda v: parse_date(v, day_first=day_first),
        skip_blank=False,
        dtype="datetime64[ns]",
        distinct=dates_distinct,
    )
    problems.add_parsed("event_date", raw["event_date"], dates)
    precision = parse_distinct(raw["time_precision"], time_precision, skip_blank=False, dtype="string")
    problems.add_parsed("time_precision", raw["time_precision"], precision)
    if "year" in raw:
        years = parse_whole_numbers(raw["year"], "year", low=1900, high=2100)
        problems.add_parsed("year", raw["year"], years)
        problems.add(
            "year",
            raw["year"],
            np.where(_year_mismatch(years, dates), "year does not match event_date (columns shifted?)", None),
        )
    for column in ("inter1", "inter2"):
        if column in raw:
            problems.add_parsed(column, raw[column], parse_distinct(raw[column], inter_code))
    cells = {"dates": dates.spread(), "precision": precision}
    for column, low, high in (("geo_precision", 1, 3), ("fatalities", 0, None)):
        values = raw[column] if column in raw else pd.Series(pd.NA, index=raw.index, dtype="string")
        cells[column] = parse_whole_numbers(values, column, low=low, high=high)
        problems.add_parsed(column, raw.get(column), cells[column])
    cells["required_names"] = {column: coded_column(raw, column) for column in ("actor1", "country")}
    for column, names in cells["required_names"].items():
        problems.add(column, raw[column], np.where(names.isna().to_numpy(), f"{column} is blank (required)", None))
    return cells


def _year_mismatch(years: DistinctParse, dates: DistinctParse) -> np.ndarray:
    """Flag rows whose year and event_date both parsed but disagree, comparing plain numbers per distinct value."""
    year_numbers = years.values.to_numpy(dtype="float64", na_value=np.nan)[years.slots]
    date_years = pd.DatetimeIndex(dates.values).year.to_numpy(dtype="float64", na_value=np.nan)[dates.slots]
    return (year_numbers != date_years) & ~np.isnan(year_numbers) & ~np.isnan(date_years)


def _coded_columns(raw: pd.DataFrame, required_names: dict, chosen: np.ndarray, jobs: dict) -> dict[str, pd.Series]:
    """Return the names only grouped by or looked up once per distinct value, as codes (categorical), never a million strings.

    ``jobs`` holds the distinct values of the raw columns (futures by column name; an absent column has none).
    """
    return {
        column: required_names[column].iloc[chosen].reset_index(drop=True)
        if column in required_names
        else coded_column(raw, column, rows=chosen, distinct=_distinct(jobs, column))
        for column in CODED
    }


def _text_columns(
    raw: pd.DataFrame, country: pd.Series, chosen: np.ndarray, reference: Reference, jobs: dict
) -> dict[str, pd.Series]:
    """Return the text columns the events show: country, admin1, sources, location and the base it names.

    ``country`` is the coded column (categorical); ``jobs`` as in _coded_columns.
    """
    place = place_lookup(reference.places)
    text = {
        "country": decoded_text(country),
        "admin1": text_column(raw, "admin1", rows=chosen, distinct=_distinct(jobs, "admin1")),
    }
    text["sources"] = text_column(
        raw,
        "source",
        rows=chosen,
        function=lambda s: f"ACLED ({s})" if s else "ACLED",
        distinct=_distinct(jobs, "source"),
    )
    return text | derived_text_columns(
        raw,
        "location",
        {"location": lambda name: place(name)[0], "location_site": lambda name: place(name)[1]},
        rows=chosen,
        distinct=_distinct(jobs, "location"),
    )


def _distinct(jobs: dict, column: str):
    """Return the distinct values a job found for a raw column (None when the file has no such column)."""
    return jobs[column].result() if column in jobs else None


def _events(
    pick: dict[str, pd.Series],
    text: dict[str, pd.Series],
    roles: pd.DataFrame,
    weapon: pd.Series,
    notes: pd.Series,
    source_file: str,
    reference,
) -> pd.DataFrame:
    """Assemble the canonical events of the clean rows (all inputs aligned, in output order)."""
    index = pick["ids"].index
    event_date = pick["dates"].astype("datetime64[ns]")
    precision = pick["precision"].astype("string")
    codes, kinds = distinct_values(precision)  # each precision's window and wording is worked out once
    half_window_days = np.array([HALF_WINDOW_DAYS.get(kind, 0) for kind in kinds] + [0], dtype="int64")[codes]
    date_basis = pd.Series(
        pd.array([DATE_BASIS.get(kind) for kind in kinds] + [None], dtype="string").take(codes), index=index
    )
    # the bounds in plain int64 nanoseconds: clean rows have a date, and within 1900-2100 nothing can overflow
    day_nanoseconds, half_window_nanoseconds = (
        event_date.to_numpy().view("int64"),
        half_window_days * 86_400_000_000_000,
    )
    event_ids = (ID_PREFIX + pick["ids"]).astype("string")
    site = infer_sites(
        text["location_site"], pick["latitude"], pick["longitude"], roles["role"], reference.places, roles["site"]
    )
    target_kind = infer_target_kinds(roles["role"], site, notes, roles["target_kind"])
    return typed_frame(
        EVENT_COLUMNS,
        {
            "event_id": event_ids,
            "source": "acled",
            "event_date": event_date,
            "date_earliest": pd.Series(
                (day_nanoseconds - half_window_nanoseconds).view("datetime64[ns]"), index=index, copy=False
            ),
            "date_latest": pd.Series(
                (day_nanoseconds + half_window_nanoseconds).view("datetime64[ns]"), index=index, copy=False
            ),
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
            "target_kind": target_kind,
            "weapon": weapon,
            "intercepted": roles["intercepted"],
            "sources": text["sources"],
            "date_basis": date_basis,
            "notes": notes,
            "source_updated": pick["timestamp"],
            "source_file": source_file,
            "source_row": pick["rows"],
            "source_records": event_ids,
        },
        index,
    )


def _casualties(event_ids: pd.Series, fatalities: pd.Series) -> pd.DataFrame:
    """One row per event with a fatality count: side unknown, killed, low = best = the count, high open."""
    has_count = fatalities.notna().to_numpy()
    if not has_count.all():  # (usually every row has a figure: then nothing is copied)
        event_ids, fatalities = (
            event_ids[has_count].reset_index(drop=True),
            fatalities[has_count].reset_index(drop=True),
        )
    index = pd.RangeIndex(len(fatalities))
    counts = fatalities
    return typed_frame(
        CASUALTY_COLUMNS,
        {
            "event_id": event_ids,
            "side": "unknown",
            "outcome": "killed",
            "low": counts,
            "best": counts,
            "claimant": CLAIMANT,
            "claim_text": map_unique_strings(counts, lambda n: None if n is None else f"fatalities: {n}"),
        },
        index,
    )


FORMAT = SourceFormat(name="ACLED events", required=REQUIRED, read=read_acled, id_column="event_id_cnty", unread=UNREAD)
