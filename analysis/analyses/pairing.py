"""Attack-to-response lags: which US strike answers which militia attack, and how long each attack waits.

    import analysis as an
    pairs = an.pair_attacks_responses(data.events, window_days=14)   # one row per (attack, response) pair
    ttr = an.time_to_response(data, horizon_days=30, pairs=pairs)     # one row per attack, with censoring

A pair is *explicit* when the response's `responds_to` names the attack (a source says so) and *inferred*
otherwise, by a named strategy (STRATEGIES). Lags are counted in calendar days between the events' recorded
dates (`lag_days`), in hours when both clock times are known (`lag_hours`), and bounded by the events' date
precision (`lag_days_min` / `lag_days_max`). Pairing sorts once and searches, so it never compares every
response with every attack (benchmarks/bench_pairing.py).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.core.errors import ParameterError, check_days
from analysis.core.spec import COUNTRY_TIMEZONES
from analysis.core.tables import answer_no_attack, events_of, split_ids

# name -> what it does, in the words the pairs table and the reports use
STRATEGIES = {
    "nearest_preceding": "the nearest preceding attack",
    "all_in_window": "every preceding attack",
    "explicit_only": "no inference (only links a source states)",
}
SAME_AREA = ("country", "theatre")
# Country -> theatre for same="theatre". US posts in north-east Jordan (Tower 22) support the al-Tanf garrison
# across the border in Syria, so Jordan and Syria form one theatre; pass theatres= to use other groupings.
DEFAULT_THEATRES = {"Iraq": "Iraq", "Syria": "Syria and Jordan", "Jordan": "Syria and Jordan"}
# all_in_window can produce a very large table on dense data; past this many pairs it refuses, naming the count.
MAX_PAIRS = 50_000_000

PAIR_COLUMNS = {
    "attack_id": "string",
    "response_id": "string",
    "link": "string",
    "link_basis": "string",
    "lag_days": "Int64",
    "lag_days_min": "Int64",
    "lag_days_max": "Int64",
    "lag_hours": "Float64",
    "attack_date": "datetime64[ns]",
    "response_date": "datetime64[ns]",
    "attack_date_precision": "string",
    "response_date_precision": "string",
    "attack_country": "string",
    "response_country": "string",
    "attack_site": "string",
    "attack_location": "string",
    "response_site": "string",
    "response_location": "string",
    "attacks_in_window": "Int64",
    "is_attack_in_data": "boolean",
}
_SECONDS_PER_DAY = 86_400
_GROUP_STRIDE = 10**11  # seconds; larger than any span of dates, so group code * stride + seconds sorts by group


# ---------------------------------------------------------------- parameters and inputs


def events_table(events_or_data) -> pd.DataFrame:
    """Return the events frame of an EventData, or the frame itself, checked for the columns pairing needs."""
    events = events_of(events_or_data)
    if not isinstance(events, pd.DataFrame):
        raise ParameterError(f"expected an events table or EventData, got {type(events_or_data).__name__}")
    missing = [c for c in ("event_id", "event_date", "role") if c not in events]
    if missing:
        raise ParameterError(f"the events table lacks the columns {missing}; pass data.events from an.load_data")
    return events


def check_strategy(strategy: str) -> str:
    """Return a known inference strategy, or raise ParameterError listing them."""
    if strategy not in STRATEGIES:
        raise ParameterError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    return strategy


def check_same(same: str | None) -> str | None:
    """Return None, 'country' or 'theatre', or raise ParameterError."""
    if same in (None, ""):
        return None
    if same not in SAME_AREA:
        raise ParameterError(f"unknown same={same!r}; use None, 'country' or 'theatre'")
    return same


def area_of(events: pd.DataFrame, same: str | None, theatres: Mapping[str, str] | None = None) -> pd.Series:
    """Return the area each event is matched within (its country or theatre; one area for all when same is None).

    >>> frame = pd.DataFrame({"country": ["Iraq", "Jordan", "Syria"]})
    >>> area_of(frame, "theatre").tolist()
    ['Iraq', 'Syria and Jordan', 'Syria and Jordan']
    """
    if same is None:
        return pd.Series("all", index=events.index, dtype="string")
    if "country" not in events:
        raise ParameterError(f"same={same!r} needs a country column in the events table")
    country = events["country"].astype("string")
    if same == "country":
        return country
    mapping = dict(DEFAULT_THEATRES if theatres is None else theatres)
    return country.map(lambda c: mapping.get(c, c), na_action="ignore").astype("string")


def describe_link_basis(strategy: str, window_days: int, same: str | None) -> str:
    """Say in words how an inferred pair was made (shown in the pairs table).

    >>> describe_link_basis("nearest_preceding", 14, "country")
    'the nearest preceding attack within 14 days, same country'
    """
    area = f", same {same}" if same else ""
    return f"{STRATEGIES[strategy]} within {window_days} days{area}"


EXPLICIT_BASIS = "a source names the attack (responds_to)"


# ---------------------------------------------------------------- ordering in time


def _date_column(events: pd.DataFrame, column: str) -> pd.Series:
    """Return a date column as day-resolution timestamps, falling back to event_date where absent or blank."""
    dates = pd.to_datetime(events["event_date"]).dt.normalize()
    if column not in events:
        return dates
    return pd.to_datetime(events[column]).dt.normalize().fillna(dates)


def local_seconds_of_day(events: pd.DataFrame) -> pd.Series:
    """Return the local clock time of each event in seconds after midnight (NaN when no time is known).

    event_date is a local date, so the UTC time is turned back into the country's local clock first.
    """
    seconds = pd.Series(np.nan, index=events.index, dtype="float64")
    if "event_time_utc" not in events:
        return seconds
    times = pd.to_datetime(events["event_time_utc"], utc=True)
    known = times.notna()
    if not known.any():
        return seconds
    country = (
        events["country"].astype("string")
        if "country" in events
        else pd.Series(pd.NA, index=events.index, dtype="string")
    )
    zones = country.map(COUNTRY_TIMEZONES, na_action="ignore").fillna("UTC")
    for zone in zones[known].unique():
        rows = known & zones.eq(zone)
        local = times[rows].dt.tz_convert(zone).dt.tz_localize(None)
        seconds[rows] = (local - local.dt.normalize()).dt.total_seconds()
    return seconds


def order_seconds(events: pd.DataFrame, *, unknown_time: str) -> np.ndarray:
    """Return a sortable position in time (seconds) for each event: its local date plus its clock time.

    An event without a clock time is placed at the end of its day: a response (unknown_time="end") at the last
    second, an attack ("late") one second before. So an untimed attack is taken to precede an untimed response
    of the same day (responses follow attacks), but never a response whose clock time is known: that its
    order is unknown must not make a strike at 04:30 answer an attack reported later that day.
    """
    day_seconds = _date_column(events, "event_date").to_numpy("datetime64[s]").astype(np.int64)
    fill = {"late": _SECONDS_PER_DAY - 2, "end": _SECONDS_PER_DAY - 1}[unknown_time]
    clock = local_seconds_of_day(events).fillna(fill).to_numpy().astype(np.int64)
    return day_seconds + np.clip(clock, 0, _SECONDS_PER_DAY - 1)


# ---------------------------------------------------------------- links


def explicit_links(responses: pd.DataFrame) -> pd.DataFrame:
    """Return (response_id, attack_id) for every attack a response's responds_to names, with the response's row label."""
    if "responds_to" not in responses:
        return pd.DataFrame(
            {
                "response_row": pd.Series(dtype="int64"),
                "response_id": pd.Series(dtype="string"),
                "attack_id": pd.Series(dtype="string"),
            }
        )
    named = responses.loc[responses["responds_to"].notna(), ["event_id", "responds_to"]]
    unique_lists = pd.unique(named["responds_to"].to_numpy())
    ids_of = dict(zip(unique_lists, map(split_ids, unique_lists)))  # split each distinct list once
    links = (
        pd.DataFrame(
            {
                "response_row": named.index.to_numpy(),
                "response_id": named["event_id"].to_numpy(),
                "attack_id": named["responds_to"].map(ids_of).to_numpy(),
            }
        )
        .explode("attack_id")
        .dropna(subset=["attack_id"])
        .drop_duplicates(["response_row", "attack_id"])
    )
    return links.astype({"response_row": "int64", "response_id": "string", "attack_id": "string"}).reset_index(
        drop=True
    )


def _window_ranges(attack_keys: np.ndarray, low_keys: np.ndarray, high_keys: np.ndarray, strategy: str):
    """For each response, the [start, stop) slice of sorted attack keys it pairs with, and the window size."""
    starts = np.searchsorted(attack_keys, low_keys, side="left")
    stops = np.searchsorted(attack_keys, high_keys, side="right")
    in_window = np.maximum(stops - starts, 0)
    if strategy == "nearest_preceding":
        has_any = in_window > 0
        latest = attack_keys[np.clip(stops - 1, 0, max(len(attack_keys) - 1, 0))] if len(attack_keys) else stops
        tied_start = np.searchsorted(attack_keys, latest, side="left") if len(attack_keys) else stops
        starts = np.where(has_any, np.maximum(tied_start, starts), stops)
    return starts, np.maximum(stops - starts, 0), in_window


def _expand_ranges(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Turn per-response slices into (response position, attack position) arrays without a Python loop."""
    total = int(counts.sum())
    response_positions = np.repeat(np.arange(len(counts)), counts)
    first_of_run = np.repeat(np.cumsum(counts) - counts, counts)
    attack_positions = np.repeat(starts, counts) + (np.arange(total) - first_of_run)
    return response_positions, attack_positions


def inferred_links(
    events: pd.DataFrame,
    attack_rows: np.ndarray,
    response_rows: np.ndarray,
    window_days: int,
    strategy: str,
    area: pd.Series,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair responses with preceding attacks in their area and window: sort once, binary-search, expand.

    Takes and returns row positions in `events`: (response rows, attack rows, attacks in each response's window).
    """
    empty = np.array([], dtype=np.int64)
    if strategy == "explicit_only" or not len(attack_rows) or not len(response_rows):
        return empty, empty, empty
    codes, _ = pd.factorize(area.astype(object))
    attacks, responses = events.iloc[attack_rows], events.iloc[response_rows]
    attack_code, response_code = codes[attack_rows], codes[response_rows]
    attack_seconds = order_seconds(attacks, unknown_time="late")
    response_seconds = order_seconds(responses, unknown_time="end")
    response_day = _date_column(responses, "event_date").to_numpy("datetime64[s]").astype(np.int64)
    origin = min(attack_seconds.min(), (response_day - window_days * _SECONDS_PER_DAY).min())
    if max(attack_seconds.max(), response_seconds.max()) - origin >= _GROUP_STRIDE:
        raise ParameterError("the events span more than 3,000 years; check their dates")

    # An event without an area (e.g. no country under same='country') is matched with nothing. Ties in time
    # keep the table's row order, so the result does not depend on anything but the table.
    attack_ok = np.flatnonzero(attack_code >= 0)
    attack_ok = attack_ok[np.lexsort((attack_rows[attack_ok], attack_seconds[attack_ok], attack_code[attack_ok]))]
    attack_keys = attack_code[attack_ok] * _GROUP_STRIDE + (attack_seconds[attack_ok] - origin)
    response_ok = np.flatnonzero(response_code >= 0)
    base = response_code[response_ok] * _GROUP_STRIDE - origin
    low_keys = base + response_day[response_ok] - window_days * _SECONDS_PER_DAY
    high_keys = base + response_seconds[response_ok]
    starts, counts, in_window = _window_ranges(attack_keys, low_keys, high_keys, strategy)
    if counts.sum() > MAX_PAIRS:
        raise ParameterError(
            f"strategy {strategy!r} with window_days={window_days} would make {int(counts.sum()):,} pairs; "
            "narrow the window, restrict pairs to the same country, or use 'nearest_preceding'"
        )
    response_positions, attack_positions = _expand_ranges(starts, counts)
    return (
        response_rows[response_ok[response_positions]],
        attack_rows[attack_ok[attack_positions]],
        in_window[response_positions],
    )


# ---------------------------------------------------------------- the pairs table


def _day_difference(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Whole calendar days from earlier to later (nullable integers)."""
    return ((later - earlier) / pd.Timedelta(days=1)).round().astype("Int64")


def _take(values: pd.Series, rows: np.ndarray) -> pd.Series:
    """Pick rows by position; position -1 gives a missing value."""
    return pd.Series(values.array.take(rows, allow_fill=True))


def _optional(events: pd.DataFrame, column: str) -> pd.Series:
    """Return a text column, or an all-missing one when the table lacks it."""
    if column in events:
        return events[column].astype("string")
    return pd.Series(pd.NA, index=events.index, dtype="string")


def _clock_times(events: pd.DataFrame) -> pd.Series:
    """Return event_time_utc as naive UTC timestamps (all missing when the table has none)."""
    if "event_time_utc" not in events:
        return pd.Series(pd.NaT, index=events.index, dtype="datetime64[ns]")
    return pd.to_datetime(events["event_time_utc"], utc=True).dt.tz_localize(None)


def _describe_pairs(
    events: pd.DataFrame,
    attack_rows: np.ndarray,
    response_rows: np.ndarray,
    attack_ids: pd.Series,
    link: np.ndarray,
    link_basis: np.ndarray,
    in_window: pd.Series,
) -> pd.DataFrame:
    """Build the pairs table from row positions: ids, dates, places, and lags with their precision bounds."""
    date, earliest, latest = (_date_column(events, c) for c in ("event_date", "date_earliest", "date_latest"))
    # Order rows first (response date, then the table's own order, which load_events sorts by date and id;
    # unknown attacks first), so every column is gathered once, already in place.
    day_numbers = np.append(date.to_numpy("datetime64[ns]").astype(np.int64), np.iinfo(np.int64).min)
    order = np.lexsort((attack_rows, day_numbers[attack_rows], response_rows, day_numbers[response_rows]))
    attack_rows, response_rows, attack_ids = attack_rows[order], response_rows[order], attack_ids.iloc[order]
    link, link_basis, in_window = link[order], link_basis[order], in_window[order]
    times = _clock_times(events)
    a_date, r_date = _take(date, attack_rows), _take(date, response_rows)
    a_time, r_time = _take(times, attack_rows), _take(times, response_rows)
    site, location = _optional(events, "site"), _optional(events, "location")
    table = pd.DataFrame(
        {
            "attack_id": attack_ids.astype("string").to_numpy(),
            "response_id": _take(events["event_id"].astype("string"), response_rows),
            "link": pd.array(link, dtype="string"),
            "link_basis": pd.array(link_basis, dtype="string"),
            "lag_days": _day_difference(r_date, a_date),
            # A response cannot come before the attack it answers, so the lower bound stops at zero.
            "lag_days_min": _day_difference(_take(earliest, response_rows), _take(latest, attack_rows)).clip(lower=0),
            "lag_days_max": _day_difference(_take(latest, response_rows), _take(earliest, attack_rows)),
            "lag_hours": ((r_time - a_time) / pd.Timedelta(hours=1)).astype("Float64"),
            "attack_date": a_date,
            "response_date": r_date,
            "attack_date_precision": _take(_optional(events, "date_precision"), attack_rows),
            "response_date_precision": _take(_optional(events, "date_precision"), response_rows),
            "attack_country": _take(_optional(events, "country"), attack_rows),
            "response_country": _take(_optional(events, "country"), response_rows),
            "attack_site": _take(site, attack_rows),
            "attack_location": _take(location, attack_rows),
            "response_site": _take(site, response_rows),
            "response_location": _take(location, response_rows),
            "attacks_in_window": pd.array(in_window, dtype="Int64"),
            "is_attack_in_data": pd.array(attack_rows >= 0, dtype="boolean"),
        }
    )
    return table.astype(PAIR_COLUMNS)


def pair_attacks_responses(
    events,
    window_days: int = 14,
    *,
    strategy: str = "nearest_preceding",
    same: str | None = None,
    theatres: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return one row per (attack, response) pair, with the lag in days (and hours) and its precision bounds.

    A response whose `responds_to` names attacks is paired with exactly those ("explicit", whatever the lag).
    Any other response is paired by `strategy` ("inferred"): "nearest_preceding" takes the latest attack on or
    before it within window_days (all of them when several share that moment and no clock time separates
    them), "all_in_window" takes every such attack, "explicit_only" infers nothing. `same="country"` or
    `"theatre"` (see DEFAULT_THEATRES, or pass theatres={country: theatre}) keeps inferred pairs within one area.
    An explicit link to an attack absent from the table (e.g. outside a date filter) is kept with
    is_attack_in_data False and no lag.

    >>> events = pd.DataFrame({
    ...     "event_id": ["a1", "a2", "r1"], "role": ["attack", "attack", "response"],
    ...     "event_date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-08"]),
    ...     "responds_to": [None, None, None]})
    >>> pair_attacks_responses(events, window_days=14)[["attack_id", "response_id", "link", "lag_days"]]
      attack_id response_id      link  lag_days
    0        a2          r1  inferred         5
    """
    events = events_table(events).reset_index(drop=True)
    window_days = check_days("window_days", window_days)
    strategy = check_strategy(strategy)
    same = check_same(same)
    is_dated = events["event_date"].notna().to_numpy()
    role = events["role"].astype("string")
    attack_rows = np.flatnonzero(role.eq("attack").fillna(False).to_numpy() & is_dated)
    response_rows = np.flatnonzero(role.eq("response").fillna(False).to_numpy())

    explicit = explicit_links(events.iloc[response_rows])
    event_ids = pd.Index(events["event_id"].astype("string"))
    if not event_ids.is_unique:
        repeated = event_ids[event_ids.duplicated()].unique()[:3].tolist()
        raise ParameterError(f"event_id must be unique in the events table; repeated: {repeated}")
    explicit_attack_rows = event_ids.get_indexer(explicit["attack_id"])
    is_linked = np.zeros(len(events), dtype=bool)
    is_linked[explicit["response_row"].to_numpy()] = True
    if "responds_to" in events:  # a strike its sources say answers no particular attack is never paired
        is_linked |= answer_no_attack(events["responds_to"]).to_numpy()
    unlinked_rows = response_rows[~is_linked[response_rows] & is_dated[response_rows]]
    inferred_responses, inferred_attacks, in_window = inferred_links(
        events, attack_rows, unlinked_rows, window_days, strategy, area_of(events, same, theatres)
    )

    basis = describe_link_basis(strategy, window_days, same)
    return _describe_pairs(
        events,
        attack_rows=np.concatenate([explicit_attack_rows, inferred_attacks]).astype(np.int64),
        response_rows=np.concatenate([explicit["response_row"].to_numpy(), inferred_responses]).astype(np.int64),
        attack_ids=pd.concat(
            [explicit["attack_id"], _take(events["event_id"].astype("string"), inferred_attacks)], ignore_index=True
        ),
        link=np.array(["explicit"] * len(explicit) + ["inferred"] * len(inferred_attacks), dtype=object),
        link_basis=np.array([EXPLICIT_BASIS] * len(explicit) + [basis] * len(inferred_attacks), dtype=object),
        in_window=pd.array([pd.NA] * len(explicit) + in_window.tolist(), dtype="Int64"),
    )


# ---------------------------------------------------------------- time to response


# ---------------------------------------------------------------- summaries in words and tables
