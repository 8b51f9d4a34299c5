"""Reader for UCDP GED event files (the 49-column layout), with or without their header row.

Each row becomes one event ``ged:<id>``; its role comes from side_a / side_b (analysis.cleaning.roles, with the source
headline as notes). Conventions (see docs/sources.md):
* date_prec 1 -> day, 2 and 3 -> week, 4 -> month, 5 -> year; date_earliest / date_latest are date_start /
  date_end as UCDP gives them, and event_date is date_start.
* where_prec 1, 2, 3 keep their meaning in the canonical geo_precision (the place, near it / within 25 km,
  a district); 4 and 5 (province, or a part of the country) become 3; 6 and 7 (only the country, or
  international waters) leave geo_precision empty, so the coordinates are not used to match duplicates.
* deaths_a, deaths_b, deaths_civilians and deaths_unknown become killed rows for the sides of side_a,
  side_b, civilians and unknown (claimant "UCDP GED"); best is UCDP's figure. UCDP gives low and high only
  for the event, so each side's range is what the event's range allows: low = max(0, side best - (best -
  low)), high = side best + (high - best). A side named twice (both parties "unknown") is summed first.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.cleaning.cells import CellError, parse_date, parse_unique_arrays
from analysis.cleaning.reference import Reference
from analysis.cleaning.roles import (
    ActorLookup,
    infer_roles,
    infer_sites,
    infer_target_kinds,
    infer_weapons,
    site_places_of,
)
from analysis.core.tables import CASUALTY_COLUMNS, EVENT_COLUMNS, EventData, conform
from analysis.core.text import clean_text
from analysis.sources.checks import (
    Problems,
    blank_reasons,
    decimal_numbers,
    duplicate_reasons,
    first_unknown_names,
    free_text_column,
    resolve_unique,
    text_column,
    warn_extra_columns,
    whole_numbers,
)
from analysis.sources.format import SourceFormat

COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
REQUIRED = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)

ID_PREFIX = "ged:"
CLAIMANT = "UCDP GED"
DATE_PRECISIONS = {1: "day", 2: "week", 3: "week", 4: "month", 5: "year"}
GEO_PRECISIONS = {1: 1, 2: 2, 3: 3, 4: 3, 5: 3, 6: None, 7: None}
VIOLENCE_TYPES = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}
_MIDNIGHT = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]00:00(?::00(?:\.0+)?)?$")
_INTEGER = re.compile(r"^\d+(?:\.0+)?$")


def looks_like_headerless_row(cells: list[str]) -> bool:
    """Tell whether a first row is GED data rather than a header: an integer id and a 'POINT (...)' cell.

    >>> looks_like_headerless_row(["244657", "SYR-2017-1-411-2", "POINT (40.14 35.33)"])
    True
    >>> looks_like_headerless_row(["id", "relid", "geom_wkt"])
    False
    """
    return (
        bool(cells)
        and bool(_INTEGER.match(str(cells[0]).strip()))
        and any(str(cell).strip().upper().startswith("POINT") for cell in cells)
    )


def ged_date(value):
    """Parse a GED date: '2019-01-03', '2019-01-03 00:00:00.000' or an Excel date cell."""
    text = clean_text(value)
    if isinstance(value, str) and text and (match := _MIDNIGHT.match(text)):
        return parse_date(match[1])
    return parse_date(value)


def ged_id(value) -> str:
    """Normalise a GED id ('244657', 244657.0) to its digits."""
    text = clean_text(value)
    if text is None:
        raise CellError("id is blank (required)")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if not _INTEGER.match(text):
        raise CellError(f"GED id {text!r} is not a whole number")
    return text.split(".")[0]


def read_ged(raw: pd.DataFrame, path: Path, reference: Reference) -> EventData:
    """Clean a UCDP GED table into canonical events, per-side casualty rows, quarantine and unknown names."""
    warn_extra_columns(raw, COLUMNS, path, "UCDP GED")
    source_file = str(path)
    rows = pd.Series(raw.index + (2 if "original_columns" in raw.attrs else 1), index=raw.index, dtype="Int64")
    problems = Problems(source_file, rows)

    ids, reasons = parse_unique_arrays(raw["id"], ged_id, skip_blank=False)
    ids = pd.Series(ids, index=raw.index, dtype="string")
    problems.add("id", raw["id"], reasons)
    problems.add("id", ids, duplicate_reasons(ids, rows, "id"))
    start, reasons = parse_unique_arrays(raw["date_start"], ged_date, skip_blank=False, dtype="datetime64[ns]")
    problems.add("date_start", raw["date_start"], reasons)
    end, reasons = parse_unique_arrays(raw["date_end"], ged_date, skip_blank=False, dtype="datetime64[ns]")
    problems.add("date_end", raw["date_end"], reasons)
    problems.add("date_end", raw["date_end"], np.where(end < start, "date_end is before date_start", None))
    date_prec, reasons = whole_numbers(raw, "date_prec", low=1, high=5)
    problems.add("date_prec", raw["date_prec"], reasons)
    where_prec, reasons = whole_numbers(raw, "where_prec", low=1, high=7)
    problems.add("where_prec", raw["where_prec"], reasons)
    violence, reasons = whole_numbers(raw, "type_of_violence", low=1, high=3)
    problems.add("type_of_violence", raw["type_of_violence"], reasons)
    latitude, reasons = decimal_numbers(raw, "latitude", low=-90, high=90)
    problems.add("latitude", raw["latitude"], reasons)
    longitude, reasons = decimal_numbers(raw, "longitude", low=-180, high=180)
    problems.add("longitude", raw["longitude"], reasons)
    deaths = {}
    for column in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "low", "high"):
        deaths[column], reasons = whole_numbers(raw, column, low=0, required=True)
        problems.add(column, raw[column], reasons)
    parts = deaths["deaths_a"] + deaths["deaths_b"] + deaths["deaths_civilians"] + deaths["deaths_unknown"]
    problems.add(
        "best",
        raw["best"],
        np.where(
            (parts != deaths["best"]).fillna(False).to_numpy(),
            "best is not the sum of deaths_a, deaths_b, deaths_civilians and deaths_unknown",
            None,
        ),
    )
    disordered = ((deaths["low"] > deaths["best"]) | (deaths["best"] > deaths["high"])).fillna(False).to_numpy()
    problems.add("best", raw["best"], np.where(disordered, "low <= best <= high does not hold", None))
    text = {
        c: text_column(raw, c) for c in ("side_a", "side_b", "country", "adm_1", "where_coordinates", "source_office")
    }
    for column in ("side_a", "side_b", "country"):
        problems.add(column, text[column], blank_reasons(text[column], column))

    keep = ~problems.is_bad
    clean = raw.index[keep]
    headline = free_text_column(raw, "source_headline")[keep]
    violence_text = violence[keep].map(VIOLENCE_TYPES).astype("string")
    places = resolve_unique(text["where_coordinates"][keep], reference.places, ("name", "kind"))
    place_names = places["name"]
    base_names = place_names.where(places["kind"].eq("base").fillna(False))
    latitude, longitude = latitude[keep], longitude[keep]
    roles = infer_roles(
        pd.DataFrame(
            {
                "actor1": text["side_a"][keep],
                "assoc_actor_1": pd.NA,
                "actor2": text["side_b"][keep],
                "assoc_actor_2": pd.NA,
                "country": text["country"][keep],
                "event_type": violence_text,
                "sub_event_type": pd.NA,
                "notes": headline,
            },
            index=clean,
        ),
        reference,
        first_label="side_a",
        places=site_places_of(reference, latitude, longitude, base_names),
    )
    event_ids = (ID_PREFIX + ids[keep]).astype("string")
    precision = date_prec[keep].map(DATE_PRECISIONS).astype("string")
    event_date = pd.Series(start[keep], index=clean, dtype="datetime64[ns]")
    site = infer_sites(base_names, latitude, longitude, roles["role"], reference.places, roles["site"])
    events = pd.DataFrame(
        {
            "event_id": event_ids,
            "source": "ged",
            "event_date": event_date,
            "date_earliest": event_date,
            "date_latest": pd.Series(end[keep], index=clean, dtype="datetime64[ns]"),
            "date_precision": precision,
            "country": text["country"][keep],
            "admin1": text["adm_1"][keep],
            "location": place_names.fillna(text["where_coordinates"][keep]),
            "site": site,
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": where_prec[keep].map(GEO_PRECISIONS).astype("Int64"),
            "role": roles["role"].astype("string"),
            "role_basis": roles["role_basis"].astype("string"),
            "initiator": roles["initiator"].astype("string"),
            "initiator_side": roles["initiator_side"].astype("string"),
            "target": roles["target"].astype("string"),
            "target_side": roles["target_side"].astype("string"),
            "target_kind": infer_target_kinds(roles["role"], site, headline, roles["target_kind"]),
            "weapon": infer_weapons(
                roles["role"], pd.Series(pd.NA, index=clean, dtype="string"), headline, roles["initiator_side"]
            ),
            "intercepted": roles["intercepted"].astype("string"),
            "sources": ("UCDP GED (" + text["source_office"][keep] + ")").fillna("UCDP GED"),
            "notes": headline,
            "source_file": source_file,
            "source_row": rows[keep],
            "source_records": event_ids,
        },
        index=clean,
    )
    casualties = _casualties(event_ids, {k: v[keep] for k, v in deaths.items()}, text, keep, reference)
    unknown = first_unknown_names(source_file, rows[keep], roles.attrs["unlisted"], ("side_a", "side_b"))
    return EventData(
        events=conform(events, EVENT_COLUMNS).reset_index(drop=True),
        casualties=casualties,
        quarantine=problems.table(),
        unknown_names=unknown,
    )


def _casualties(event_ids, deaths, text, keep, reference) -> pd.DataFrame:
    """Turn GED's death counts into killed rows per side, with each side's range bounded by the event's."""
    lookup = ActorLookup(reference)
    side_of = {
        column: _sides_by_unique(text[column][keep], text["country"][keep], lookup) for column in ("side_a", "side_b")
    }
    parts = [
        pd.DataFrame({"event_id": event_ids, "side": side, "best": deaths[column]})
        for column, side in (
            ("deaths_a", side_of["side_a"]),
            ("deaths_b", side_of["side_b"]),
            ("deaths_civilians", "civilian"),
            ("deaths_unknown", "unknown"),
        )
    ]
    by_side = pd.concat(parts).groupby(["event_id", "side"], sort=False, as_index=False)["best"].sum()
    event = pd.DataFrame(
        {
            "event_id": event_ids,
            "below": deaths["best"] - deaths["low"],
            "above": deaths["high"] - deaths["best"],
            "event_best": deaths["best"],
            "event_low": deaths["low"],
            "event_high": deaths["high"],
        }
    )
    table = by_side.merge(event, on="event_id", how="left")
    table = table.assign(
        outcome="killed",
        claimant=CLAIMANT,
        low=(table["best"] - table["below"]).clip(lower=0),
        high=table["best"] + table["above"],
        claim_text="UCDP GED best "
        + table["event_best"].astype("string")
        + " (low "
        + table["event_low"].astype("string")
        + ", high "
        + table["event_high"].astype("string")
        + ") for the event",
    )
    return conform(table, CASUALTY_COLUMNS).sort_values(["event_id", "side"], kind="stable").reset_index(drop=True)


def _sides_by_unique(names: pd.Series, countries: pd.Series, lookup: ActorLookup) -> pd.Series:
    """Map actor names to sides once per distinct (name, country)."""
    from analysis.cleaning.roles import unique_rows

    inverse, first = unique_rows(names, countries)
    sides = np.array([lookup(names.iat[r], countries.iat[r])[1] for r in first] or ["unknown"], dtype=object)
    return pd.Series(sides[inverse], index=names.index, dtype="string")


FORMAT = SourceFormat(name="UCDP GED", required=REQUIRED, read=read_ged, id_column="id")
HEADERLESS_FORMAT = SourceFormat(
    name="UCDP GED (no header row)",
    required=REQUIRED,
    read=read_ged,
    header=False,
    id_column="id",
    columns=COLUMNS,
    looks_like=looks_like_headerless_row,
)
