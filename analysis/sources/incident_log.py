"""Reader for the project's hand-coded incident log (format: data/raw/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.cleaning.cells import parse_claims, parse_count, parse_date, parse_local_time, parse_unique
from analysis.cleaning.reference import Reference, resolve, tidy_names
from analysis.cleaning.rows import date_bounds, is_in_region, local_to_utc, problem_rows
from analysis.core.errors import InputError
from analysis.core.spec import COUNTRY_TIMEZONES, DATE_PRECISIONS, ROLES, SIDES, TARGET_KINDS
from analysis.core.tables import (
    CASUALTY_COLUMNS,
    EVENT_COLUMNS,
    NO_ATTACK,
    QUARANTINE_COLUMNS,
    UNKNOWN_NAME_COLUMNS,
    EventData,
    answers_no_attack,
    conform,
    split_ids,
)
from analysis.core.text import name_key
from analysis.sources.checks import text_column, warn_extra_columns
from analysis.sources.format import SourceFormat

REQUIRED = ("id", "date", "country", "location", "kind", "source")
OPTIONAL = (
    "date_precision",
    "local_time",
    "actor",
    "target",
    "target_kind",
    "weapon",
    "munitions",
    "intercepted",
    "responds_to",
    "claimed_by",
    "source_url",
    "date_basis",
    "notes",
    "latitude",
    "longitude",
    "admin1",
)

CASUALTY_COLUMN = re.compile(r"^(?P<side>[a-z]+)_(?P<outcome>killed|wounded)$")
ID_PREFIX = "log:"
# A blank actor or target takes the side its role implies (an attack is by definition militia on US forces).
IMPLIED_SIDES = {"attack": ("militia", "us"), "response": ("us", "militia"), "other": ("unknown", "unknown")}
INTERCEPTED_WORDS = {
    "yes": "yes",
    "y": "yes",
    "true": "yes",
    "1": "yes",
    "intercepted": "yes",
    "no": "no",
    "n": "no",
    "false": "no",
    "0": "no",
    "partial": "partial",
    "partly": "partial",
    "partially": "partial",
    "some": "partial",
}


def casualty_columns(columns) -> dict[str, tuple[str, str]]:
    """Map each '<side>_<outcome>' column to (side, outcome), refusing unknown sides."""
    found = {}
    for column in columns:
        if match := CASUALTY_COLUMN.match(column):
            found[column] = (match["side"], match["outcome"])
    return found


def check_columns(raw: pd.DataFrame, path: Path) -> None:
    """Raise for casualty columns with an unknown side; warn about columns the reader ignores."""
    bad_sides = {c: s for c, (s, _) in casualty_columns(raw.columns).items() if s not in SIDES}
    if bad_sides:
        raise InputError(path, f"casualty columns {sorted(bad_sides)} name unknown sides; sides are {', '.join(SIDES)}")
    warn_extra_columns(raw, set(REQUIRED) | set(OPTIONAL) | set(casualty_columns(raw.columns)), path, "incident log")


def _choice(values: pd.Series, allowed: dict[str, str], what: str) -> tuple[pd.Series, pd.Series]:
    """Map free-text choices through a synonym table; reasons for anything else."""
    keys = values.str.casefold()
    chosen = keys.map(allowed, na_action="ignore").astype("string")
    reasons = pd.Series(
        [f"unknown {what} {v!r}; expected one of {', '.join(sorted(set(allowed.values())))}" for v in values],
        index=values.index,
        dtype="string",
    ).where(values.notna() & chosen.isna())
    return chosen, reasons


def _first_citation_issuer(sources: pd.Series) -> pd.Series:
    """Return the issuer of each row's first citation (the default claimant of its casualty cells)."""
    return sources.str.split("|").str[0].str.split(",").str[0].str.strip()


def _parse_claims_cell(value):
    """Parse a casualty cell, leaving claims without brackets unattributed for now."""
    return parse_claims(value, default_claimant=None)


def read_incident_log(raw: pd.DataFrame, path: Path, reference: Reference) -> EventData:
    """Clean a raw incident log into canonical events, casualty claims, quarantine and unknown names."""
    check_columns(raw, path)
    source_file = str(path)
    rows = pd.Series(raw.index + 2, index=raw.index, dtype="Int64")  # spreadsheet row numbers (header = 1)
    problems: list[pd.DataFrame] = []

    def note(column: str, values: pd.Series, reasons: pd.Series) -> None:
        if reasons.notna().any():  # usually none: then no empty table is built
            problems.append(problem_rows(source_file, rows, column, values, reasons))

    text = {c: text_column(raw, c) for c in (*REQUIRED, *OPTIONAL)}
    for column in REQUIRED:
        note(column, text[column], text[column].isna().map({True: f"{column} is blank (required)", False: None}))

    ids = text["id"]
    first_row = rows.groupby(ids).transform("min")
    duplicate = ids.notna() & ids.duplicated(keep="first")
    note(
        "id",
        ids,
        pd.Series(
            [f"duplicate id {i!r}: already used on row {r}" for i, r in zip(ids, first_row)], index=raw.index
        ).where(duplicate),
    )

    dates, reasons = parse_unique(raw["date"], parse_date)
    note("date", raw["date"], reasons)
    precision = text["date_precision"].str.casefold().fillna("day")
    note(
        "date_precision",
        text["date_precision"],
        pd.Series(f"unknown date_precision; expected one of {', '.join(DATE_PRECISIONS)}", index=raw.index).where(
            ~precision.isin(DATE_PRECISIONS)
        ),
    )
    times, reasons = parse_unique(raw["local_time"] if "local_time" in raw else text["local_time"], parse_local_time)
    note("local_time", text["local_time"], reasons)

    country_names = {name_key(c): c for c in COUNTRY_TIMEZONES}
    countries = text["country"].map(name_key, na_action="ignore").map(country_names).astype("string")
    note(
        "country",
        text["country"],
        pd.Series("country outside this log's scope; expected Iraq, Syria or Jordan", index=raw.index).where(
            text["country"].notna() & countries.isna()
        ),
    )
    roles, reasons = _choice(text["kind"], {r: r for r in ROLES}, "kind")
    note("kind", text["kind"], reasons)
    target_kind, reasons = _choice(text["target_kind"], {k: k for k in TARGET_KINDS}, "target_kind")
    note("target_kind", text["target_kind"], reasons)
    intercepted, reasons = _choice(text["intercepted"], INTERCEPTED_WORDS, "intercepted value")
    note("intercepted", text["intercepted"], reasons)
    munitions, reasons = parse_unique(raw["munitions"] if "munitions" in raw else text["munitions"], parse_count)
    note("munitions", text["munitions"], reasons)

    places, unknown_place = resolve(text["location"], reference.places)
    place_country = places["country"].astype("string")
    note(
        "location",
        text["location"],
        pd.Series(
            [f"places.csv puts this place in {p}, but the row says {c}" for p, c in zip(place_country, countries)],
            index=raw.index,
        ).where(place_country.notna() & countries.notna() & (place_country != countries)),
    )
    latitude, longitude = _coordinates(raw, text, places, note)

    actors, unknown_actor = resolve(text["actor"], reference.actors)
    targets, unknown_target = resolve(text["target"], reference.actors)
    weapons, unknown_weapon = resolve(text["weapon"], reference.weapons)

    claims = {}
    for column, (side, outcome) in casualty_columns(raw.columns).items():
        parsed, reasons = parse_unique(raw[column], _parse_claims_cell)
        note(column, text_column(raw, column), reasons)
        claims[column] = (side, outcome, parsed)

    event_ids = (ID_PREFIX + ids).astype("string")
    note("responds_to", text["responds_to"], _responds_to_reasons(text["responds_to"], ids, dates, roles))

    quarantine = pd.concat(problems, ignore_index=True) if problems else conform(pd.DataFrame(), QUARANTINE_COLUMNS)
    quarantine = _cascade_quarantine(quarantine, text["responds_to"], ids, rows, source_file)
    is_clean = ~rows.isin(quarantine["source_row"].dropna())

    event_date = pd.to_datetime(dates.where(is_clean), errors="coerce")
    earliest, latest = date_bounds(event_date, precision)
    events = pd.DataFrame(
        {
            "event_id": event_ids,
            "source": "incident_log",
            "event_date": event_date,
            "date_earliest": earliest,
            "date_latest": latest,
            "date_precision": precision,
            "event_time_utc": pd.to_datetime(
                [local_to_utc(d, t, c) if ok else None for d, t, c, ok in zip(dates, times, countries, is_clean)],
                utc=True,
            ),
            "country": countries,
            "admin1": text["admin1"].fillna(places["admin1"].astype("string")),
            "location": places["name"].astype("string").fillna(tidy_names(text["location"])),
            "site": places["name"].astype("string").where(places["kind"].eq("base")),
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": places["geo_precision"],
            "role": roles,
            "role_basis": "incident log: kind column",
            "initiator": actors["name"].astype("string").fillna(tidy_names(text["actor"])),
            "initiator_side": _sides(actors["side"], text["actor"], roles, position=0),
            "target": targets["name"].astype("string").fillna(tidy_names(text["target"])),
            "target_side": _sides(targets["side"], text["target"], roles, position=1),
            "target_kind": target_kind,
            "weapon": weapons["weapon"].astype("string").fillna("unknown"),
            "munitions": munitions.map(lambda c: c.best if c is not None else None),
            "intercepted": intercepted,
            "responds_to": text["responds_to"].map(
                lambda v: NO_ATTACK if answers_no_attack(v) else "; ".join(ID_PREFIX + i for i in split_ids(v)) or None,
                na_action="ignore",
            ),
            "claimed_by": text["claimed_by"],
            "sources": text["source"],
            "source_url": text["source_url"],
            "date_basis": text["date_basis"],
            "notes": text["notes"],
            "source_file": source_file,
            "source_row": rows,
        }
    )[is_clean]

    default_claimant = _first_citation_issuer(text["source"])
    casualties = _casualty_table(claims, event_ids, default_claimant, is_clean)
    unknown = _unknown_names(
        source_file,
        rows,
        text,
        {
            "location": unknown_place,
            "actor": unknown_actor,
            "target": unknown_target,
            "weapon": unknown_weapon,
        },
    )
    return EventData(
        events=conform(events, EVENT_COLUMNS).reset_index(drop=True),
        casualties=casualties,
        quarantine=quarantine.sort_values(["source_row", "column"], kind="stable").reset_index(drop=True),
        unknown_names=unknown,
    )


def _sides(known_side: pd.Series, written: pd.Series, roles: pd.Series, position: int) -> pd.Series:
    """Side from the actor table; 'unknown' for a name it lacks; the role's implied side when blank."""
    implied = roles.map(lambda role: IMPLIED_SIDES.get(role, ("unknown", "unknown"))[position], na_action="ignore")
    fallback = pd.Series("unknown", index=written.index, dtype="string").where(written.notna(), implied)
    return known_side.astype("string").fillna(fallback)


def _coordinates(raw, text, places, note) -> tuple[pd.Series, pd.Series]:
    """Take coordinates from the row when given, else from the gazetteer; flag any outside the region."""
    latitude = (
        pd.to_numeric(text["latitude"], errors="coerce").astype("Float64").fillna(places["latitude"].astype("Float64"))
    )
    longitude = (
        pd.to_numeric(text["longitude"], errors="coerce")
        .astype("Float64")
        .fillna(places["longitude"].astype("Float64"))
    )
    for column in ("latitude", "longitude"):
        given = text[column]
        not_number = given.notna() & pd.to_numeric(given, errors="coerce").isna()
        note(column, given, pd.Series(f"{column} is not a number", index=raw.index).where(not_number))
    outside = ~is_in_region(latitude, longitude)
    where = pd.Series([f"({a}, {b})" for a, b in zip(latitude, longitude)], index=raw.index)
    note(
        "location",
        where,
        pd.Series(
            [f"coordinates of {loc!r} are outside the region (Iraq, Syria, Jordan)" for loc in text["location"]],
            index=raw.index,
        ).where(outside),
    )
    return latitude, longitude


def _responds_to_reasons(responds_to: pd.Series, ids: pd.Series, dates: pd.Series, roles: pd.Series) -> pd.Series:
    """Explain each responds_to that names a missing id, a later event or a non-attack."""
    date_of = dict(zip(ids, dates))
    role_of = dict(zip(ids, roles))
    reasons = []
    for value, own_date in zip(responds_to, dates):
        reason = None
        for target in split_ids(value):
            if target not in date_of:
                reason = f"responds_to {target!r} is not an id in this file"
            elif pd.isna(role_of[target]) or role_of[target] != "attack":  # NA: that row's kind is not readable
                kind = "row without a readable kind" if pd.isna(role_of[target]) else f"{role_of[target]!r} row"
                reason = f"responds_to {target!r} points to a {kind}, not an attack"
            elif own_date is not None and date_of[target] is not None and date_of[target] > own_date:
                reason = f"responds_to {target!r} points to a later event ({date_of[target]} is after {own_date})"
            if reason:
                break
        reasons.append(reason)
    return pd.Series(reasons, index=responds_to.index, dtype=object)


def _cascade_quarantine(quarantine, responds_to, ids, rows, source_file) -> pd.DataFrame:
    """Quarantine responses whose attack was quarantined, so no kept event points at a missing one."""
    row_of = dict(zip(ids, rows))
    while True:
        bad_rows = set(quarantine["source_row"].dropna())
        added = []
        for value, own_row in zip(responds_to, rows):
            if own_row in bad_rows:
                continue
            for target in split_ids(value):
                if row_of.get(target) in bad_rows:
                    added.append(
                        {
                            "source_file": source_file,
                            "source_row": own_row,
                            "column": "responds_to",
                            "value": value,
                            "reason": f"responds_to {target!r} points to row {row_of[target]}, which is quarantined",
                        }
                    )
                    break
        if not added:
            return quarantine
        quarantine = pd.concat([quarantine, conform(pd.DataFrame(added), QUARANTINE_COLUMNS)], ignore_index=True)


def _casualty_table(claims, event_ids, default_claimant, is_clean) -> pd.DataFrame:
    """Turn parsed casualty cells into one row per event x side x outcome x claimant."""
    records = []
    for side, outcome, parsed in claims.values():
        for event_id, cell, claimant, ok in zip(event_ids, parsed, default_claimant, is_clean):
            for claim in (cell or []) if ok else []:
                records.append(
                    {
                        "event_id": event_id,
                        "side": side,
                        "outcome": outcome,
                        "low": claim.count.low,
                        "best": claim.count.best,
                        "high": claim.count.high,
                        "claimant": claim.claimant or claimant,
                        "claim_text": claim.text,
                    }
                )
    table = conform(pd.DataFrame(records), CASUALTY_COLUMNS)
    return table.sort_values(["event_id", "side", "outcome", "claimant"], kind="stable").reset_index(drop=True)


def _unknown_names(source_file, rows, text, flags) -> pd.DataFrame:
    """List every name the reference tables do not know, where it was found."""
    parts = [
        pd.DataFrame(
            {"source_file": source_file, "source_row": rows[flag], "column": column, "value": text[column][flag]}
        )
        for column, flag in flags.items()
        if flag.any()
    ]
    return conform(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), UNKNOWN_NAME_COLUMNS)


FORMAT = SourceFormat(name="incident log", required=REQUIRED, read=read_incident_log, id_column="id")
