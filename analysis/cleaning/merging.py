"""Find the same real incident in several sources (incident log, ACLED, UCDP GED) and merge it into one event.

Two records are the same incident when all of these hold:
* they come from different sources (each source already keeps one record per incident);
* both are attacks or both are responses (role "other" is never merged: too many same-day events);
* their dates can be the same day: the ranges [date_earliest, date_latest] overlap (``tolerance_days`` widens
  them); records dated more loosely than two months are never merged;
* they are in the same country (when both say) and at the same place: the same site (two different sites
  never match), or coordinates within a distance set by the looser geo precision (1: 10 km, 2: 25 km,
  3: 50 km), or the same place name when coordinates are missing.

Sources are taken in order of trust (incident log, then ACLED, then GED, then any other): each record of a
later source joins at most one earlier event, and each event takes at most one record per source, the
closest in date, then in distance. The kept event is the most trusted record; it lists every record in
``source_records``, gains coordinates, site and other blanks from the merged ones, and carries all their
casualty claims (claimants differ, so nothing is summed away). ``merges`` says what was merged and why.

Blocking by day keeps this linear in the number of records: only records that share a day are compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.arrays import is_in
from analysis.core.errors import check_days
from analysis.core.tables import MERGE_COLUMNS, EventData, answers_no_attack, conform, split_ids
from analysis.core.text import name_key

SOURCE_PRIORITY = ("incident_log", "acled", "ged")
MERGE_ROLES = ("attack", "response")
RADIUS_KM = {1: 10.0, 2: 25.0, 3: 50.0}
MAX_SPAN_DAYS = 62
EARTH_RADIUS_KM = 6371.0088
# Blanks in the kept event filled from the records merged into it.
FILLED_COLUMNS = (
    "admin1",
    "location",
    "site",
    "latitude",
    "longitude",
    "geo_precision",
    "event_time_utc",
    "munitions",
    "intercepted",
    "claimed_by",
    "initiator",
    "target",
    "source_url",
)
_MATCH_COLUMNS = (
    "event_id",
    "source",
    "role",
    "event_date",
    "date_earliest",
    "date_latest",
    "date_precision",
    "country",
    "site",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
)


def distance_km(latitude_1, longitude_1, latitude_2, longitude_2) -> np.ndarray:
    """Return great-circle distances in km (haversine), element-wise and broadcasting.

    >>> round(float(distance_km(35.39, 40.31, 35.39, 40.41)), 1)
    9.1
    """
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (latitude_1, longitude_1, latitude_2, longitude_2)
    )
    half_chord = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(half_chord, 0, 1)))


def _source_order(sources) -> list[str]:
    """Order sources by trust: the known ones first, then the rest alphabetically."""
    present = set(sources)
    known = [s for s in SOURCE_PRIORITY if s in present]
    return known + sorted(present - set(known))


def _radius(precision: pd.Series, radius_km: dict[int, float]) -> np.ndarray:
    """Return the match radius for each geo precision (NaN when unknown: coordinates are then not compared)."""
    return precision.map(lambda p: radius_km.get(int(p), np.nan) if pd.notna(p) else np.nan).to_numpy(dtype=float)


def _days(frame: pd.DataFrame, tolerance_days: int) -> pd.DataFrame:
    """Expand each record into the days its date range covers (widened by the tolerance)."""
    start = frame["date_earliest"] - pd.Timedelta(days=tolerance_days)
    span = ((frame["date_latest"] - frame["date_earliest"]).dt.days + 1 + 2 * tolerance_days).to_numpy(dtype=int)
    position = np.repeat(np.arange(len(frame)), span)
    offsets = np.arange(len(position)) - np.repeat(np.cumsum(span) - span, span)
    return pd.DataFrame(
        {
            "position": position,
            "day": start.to_numpy()[position] + offsets.astype("timedelta64[D]"),
            "role": frame["role"].to_numpy()[position],
        }
    )


def _candidate_pairs(
    heads: pd.DataFrame, new: pd.DataFrame, tolerance_days: int, radius_km: dict[int, float]
) -> pd.DataFrame:
    """Return every (head, new record) pair that could be the same incident, with distance, date gap and reason."""
    joined = _days(heads, tolerance_days).merge(_days(new, 0), on=["day", "role"], suffixes=("_head", "_new"))
    joined = joined.drop_duplicates(["position_head", "position_new"])
    if joined.empty:
        return pd.DataFrame(columns=["head", "new", "gap_days", "distance_km", "is_same_site", "reason"])
    head = heads.iloc[joined["position_head"].to_numpy()].reset_index(drop=True)
    other = new.iloc[joined["position_new"].to_numpy()].reset_index(drop=True)
    same_country = (head["country"].isna() | other["country"].isna() | (head["country"] == other["country"])).fillna(
        True
    )
    both_sites = head["site"].notna() & other["site"].notna()
    head_site_key = head["site"].map(name_key, na_action="ignore")
    is_same_site = (both_sites & (head_site_key == other["site"].map(name_key, na_action="ignore"))).fillna(False)
    distance = distance_km(
        head["latitude"].to_numpy(float, na_value=np.nan),
        head["longitude"].to_numpy(float, na_value=np.nan),
        other["latitude"].to_numpy(float, na_value=np.nan),
        other["longitude"].to_numpy(float, na_value=np.nan),
    )
    limit = np.fmax(_radius(head["geo_precision"], radius_km), _radius(other["geo_precision"], radius_km))
    limit = np.where(
        np.isnan(_radius(head["geo_precision"], radius_km)) | np.isnan(_radius(other["geo_precision"], radius_km)),
        np.nan,
        limit,
    )
    is_near = distance <= limit  # NaN (no coordinates or unknown precision) compares False
    is_same_name = (
        head["location"].map(name_key, na_action="ignore") == other["location"].map(name_key, na_action="ignore")
    ).fillna(False)
    matches = (same_country & ~(both_sites & ~is_same_site) & (is_same_site | is_near | is_same_name)).to_numpy(
        dtype=bool
    )
    gap = (head["event_date"] - other["event_date"]).abs().dt.days.to_numpy()
    reasons = [
        _reason(h, o, d, lim, site, near)
        for h, o, d, lim, site, near, ok in zip(
            head.itertuples(), other.itertuples(), distance, limit, is_same_site, is_near, matches
        )
        if ok
    ]
    return pd.DataFrame(
        {
            "head": head["event_id"].to_numpy()[matches],
            "new": other["event_id"].to_numpy()[matches],
            "gap_days": gap[matches],
            "distance_km": distance[matches],
            "is_same_site": is_same_site.to_numpy()[matches],
            "reason": reasons,
        }
    )


def _reason(head, other, distance: float, limit: float, is_same_site: bool, is_near: bool) -> str:
    """Say in words why two records are taken for the same incident."""

    def when(record) -> str:
        day = f"{record.event_date:%Y-%m-%d}"
        return day if record.date_precision == "day" else f"{day} ({record.date_precision})"

    same_day = head.date_precision == other.date_precision == "day" and head.event_date == other.event_date
    date_part = f"same day ({when(head)})" if same_day else f"dates overlap ({when(head)} and {when(other)})"
    if is_same_site:
        place_part = f"same site ({head.site})"
    elif is_near:
        place_part = f"{distance:.1f} km apart (within {limit:.0f} km for geo precision {head.geo_precision} and {other.geo_precision})"
    else:
        place_part = f"same place name ({head.location})"
    return f"{date_part}; {place_part}; both {head.role}"


def _one_to_one(pairs: pd.DataFrame) -> pd.DataFrame:
    """Keep, greedily from the closest pair, at most one partner per head and per new record."""
    ordered = pairs.assign(distance_order=pairs["distance_km"].fillna(np.inf)).sort_values(
        ["gap_days", "is_same_site", "distance_order", "head", "new"],
        ascending=[True, False, True, True, True],
        kind="stable",
    )
    used_heads: set = set()
    used_new: set = set()
    keep = []
    for position, head, new in zip(range(len(ordered)), ordered["head"], ordered["new"]):
        if head not in used_heads and new not in used_new:
            used_heads.add(head)
            used_new.add(new)
            keep.append(position)
    return ordered.iloc[keep].drop(columns="distance_order")


def find_duplicates(
    events: pd.DataFrame, *, tolerance_days: int = 0, radius_km: dict[int, float] | None = None
) -> pd.DataFrame:
    """Return the records that duplicate an event of a more trusted source: kept_event_id, merged_event_id, reason.

    Also usable on its own, e.g. after ``load_events(..., merge_duplicates=False)``, to review the matches.
    """
    tolerance_days = check_days("tolerance_days", tolerance_days)
    radius_km = {**RADIUS_KM, **(radius_km or {})}
    span_days = (events["date_latest"] - events["date_earliest"]).dt.days
    candidates = events[events["role"].isin(MERGE_ROLES) & (span_days <= MAX_SPAN_DAYS)][list(_MATCH_COLUMNS)]
    order = _source_order(candidates["source"].dropna())
    chosen = []
    if len(order) > 1:
        heads = candidates[candidates["source"] == order[0]].reset_index(drop=True)
        for source in order[1:]:
            new = candidates[candidates["source"] == source].reset_index(drop=True)
            pairs = _one_to_one(_candidate_pairs(heads, new, tolerance_days, radius_km))
            chosen.append(pairs)
            heads = pd.concat(
                [_filled_heads(heads, new, pairs), new[~is_in(new["event_id"], pairs["new"])]], ignore_index=True
            )
    pairs = (
        pd.concat(chosen, ignore_index=True)
        if chosen
        else pd.DataFrame(columns=["head", "new", "reason", "distance_km"])
    )
    return pd.DataFrame(
        {
            "kept_event_id": pairs["head"].astype("string"),
            "merged_event_id": pairs["new"].astype("string"),
            "reason": pairs["reason"].astype("string"),
            "distance_km": pairs["distance_km"].astype("Float64"),
        }
    ).reset_index(drop=True)


def _filled_heads(heads: pd.DataFrame, new: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Fill blank places of heads from the records just merged into them, so later sources can match on them."""
    if pairs.empty:
        return heads
    donors = new.set_index("event_id").loc[pairs["new"].to_numpy()].set_axis(pairs["head"].to_numpy())
    filled = heads.set_index("event_id")
    for column in ("site", "location", "latitude", "longitude", "geo_precision", "country"):
        filled[column] = filled[column].fillna(donors[column].reindex(filled.index))
    return filled.reset_index()


def merge_duplicates(
    data: EventData, *, tolerance_days: int = 0, radius_km: dict[int, float] | None = None
) -> EventData:
    """Merge the records find_duplicates pairs into their kept events; list each merge in data.merges.

    Row accounting: a merged record counts as ``merged`` for its own file, not as an event.
    """
    pairs = find_duplicates(data.events, tolerance_days=tolerance_days, radius_km=radius_km)
    if pairs.empty:
        return data
    events = data.events.set_index("event_id", drop=False)
    kept_of = dict(zip(pairs["merged_event_id"], pairs["kept_event_id"]))
    merged = events.loc[pairs["merged_event_id"].to_numpy()]
    kept_ids = pairs["kept_event_id"].to_numpy()
    donors = merged.set_axis(pd.Index(kept_ids, name="kept")).groupby(level=0, sort=False).first()
    kept = events.loc[donors.index].copy()
    for column in FILLED_COLUMNS:
        kept[column] = kept[column].fillna(donors[column])
    for column in ("weapon", "initiator_side", "target_side"):
        kept[column] = kept[column].mask(kept[column].eq("unknown") & donors[column].notna(), donors[column])
    listing = merged.assign(kept=kept_ids).groupby("kept", sort=False)
    kept["source_records"] = (
        kept["source_records"].fillna(kept["event_id"])
        + "; "
        + listing["source_records"].agg(lambda ids: "; ".join(ids.dropna()))
    )
    kept["sources"] = (
        kept["sources"]
        .fillna("")
        .str.cat(listing["sources"].agg(lambda s: " | ".join(s.dropna())), sep=" | ")
        .str.strip(" |")
    )
    # Swap the updated rows in whole: a .loc assignment of a frame with extension dtypes (Int64, string) aligns
    # by position inside pandas and fails on an id index (KeyError: np.int64(0)).
    order = events.index.drop(pairs["merged_event_id"].to_numpy())
    events = pd.concat([events.drop(index=kept.index), kept[events.columns]]).loc[order].reset_index(drop=True)
    events["responds_to"] = (
        events["responds_to"]
        .map(
            lambda value: (
                value
                if answers_no_attack(value)
                else "; ".join(dict.fromkeys(kept_of.get(i, i) for i in split_ids(value))) or None
            ),
            na_action="ignore",
        )
        .astype("string")
    )
    casualties = data.casualties.assign(
        event_id=data.casualties["event_id"].map(lambda i: kept_of.get(i, i)).astype("string")
    )
    merges = conform(
        pd.DataFrame(
            {
                "kept_event_id": pairs["kept_event_id"],
                "merged_event_id": pairs["merged_event_id"],
                "source_file": merged["source_file"].to_numpy(),
                "source_row": merged["source_row"].to_numpy(),
                "reason": pairs["reason"],
            }
        ),
        MERGE_COLUMNS,
    )
    return EventData(
        **{
            **data.__dict__,
            "events": events,
            "casualties": casualties,
            "merges": pd.concat([data.merges, merges], ignore_index=True),
        }
    )


# Sources whose record ids are the source's own, so the same id in two files is the same record (a revision).
RECORD_ID_SOURCES = ("acled", "ged")


def drop_superseded_records(parts: list[EventData]) -> list[EventData]:
    """Keep one copy of a record found in several files of one source (overlapping exports, a re-download).

    The kept copy is the latest revision (``source_updated``, ACLED's timestamp); without one, the copy in the
    file read last. Each dropped copy leaves its file's events (with its casualty rows) for its ``merges``, with
    the reason, and its accounting line counts it as merged. Only sources with their own record ids are handled
    (RECORD_ID_SOURCES); the same id in two incident logs stays an error.
    """
    if len(parts) < 2:
        return parts
    frames = [
        pd.DataFrame({"event_id": part.events["event_id"], "updated": part.events["source_updated"], "part": number,
                      "source": part.events["source"]})
        for number, part in enumerate(parts)
    ]  # fmt: skip
    records = pd.concat(frames, ignore_index=True)
    records = records[records["source"].isin(RECORD_ID_SOURCES) & records["event_id"].duplicated(keep=False)]
    if records.empty:
        return parts
    ordered = records.assign(_known=records["updated"].notna()).sort_values(
        ["event_id", "_known", "updated", "part"], kind="stable"
    )
    is_latest = ~ordered.duplicated("event_id", keep="last")
    winner, losers = ordered[is_latest].set_index("event_id"), ordered[~is_latest]
    return [
        _without_superseded(part, losers[losers["part"] == number], winner, parts) for number, part in enumerate(parts)
    ]


def _without_superseded(part: EventData, dropped: pd.DataFrame, winner: pd.DataFrame, parts) -> EventData:
    """Move one file's superseded records out of its events (and their casualties) into its merges."""
    if dropped.empty:
        return part
    ids = set(dropped["event_id"])
    is_dropped = is_in(part.events["event_id"], ids)
    gone = part.events[is_dropped]
    kept_file = winner.loc[gone["event_id"], "part"].map(lambda n: parts[n].accounting["source_file"].iloc[0])
    kept_updated = winner.loc[gone["event_id"], "updated"]
    reasons = [
        f"the same record in {kept} too: kept that copy ("
        + (f"revised {when:%Y-%m-%d %H:%M} UTC" if pd.notna(when) else "the file read later")
        + ")"
        for kept, when in zip(kept_file, kept_updated)
    ]
    merges = conform(pd.DataFrame({
        "kept_event_id": gone["event_id"].to_numpy(), "merged_event_id": gone["event_id"].to_numpy(),
        "source_file": gone["source_file"].to_numpy(), "source_row": gone["source_row"].to_numpy(), "reason": reasons,
    }), MERGE_COLUMNS)  # fmt: skip
    accounting = part.accounting.assign(
        events=part.accounting["events"] - len(gone), merged=part.accounting["merged"] + len(gone)
    )
    return EventData(**{
        **part.__dict__, "events": part.events[~is_dropped], "accounting": accounting,
        "casualties": part.casualties[~is_in(part.casualties["event_id"], ids)],
        "merges": pd.concat([part.merges, merges], ignore_index=True),
    })  # fmt: skip


def describe_merges(merges: pd.DataFrame, limit: int = 20) -> list[str]:
    """Describe merges for the build output, one line each (the first `limit`, then a count of the rest).

    >>> describe_merges(pd.DataFrame({"kept_event_id": ["log:a"], "merged_event_id": ["acled:X1"],
    ...                               "reason": ["same day (2020-09-07); same site (MSS Conoco); both attack"]}))
    ['  acled:X1 -> log:a: same day (2020-09-07); same site (MSS Conoco); both attack']
    """
    lines = [f"  {row.merged_event_id} -> {row.kept_event_id}: {row.reason}" for row in merges.head(limit).itertuples()]
    if len(merges) > limit:
        lines.append(f"  ... and {len(merges) - limit} more (see merges.csv)")
    return lines
