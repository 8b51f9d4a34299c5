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

import html
from typing import Mapping

import numpy as np
import pandas as pd

from analysis.core.errors import ParameterError, check_days
from analysis.core.spec import COUNTRY_TIMEZONES
from analysis.core.tables import events_of, split_ids
from analysis.core.selection import parse_period

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
    country = events["country"].astype("string") if "country" in events else pd.Series(pd.NA, index=events.index, dtype="string")
    zones = country.map(COUNTRY_TIMEZONES, na_action="ignore").fillna("UTC")
    for zone in zones[known].unique():
        rows = known & zones.eq(zone)
        local = times[rows].dt.tz_convert(zone).dt.tz_localize(None)
        seconds[rows] = (local - local.dt.normalize()).dt.total_seconds()
    return seconds


def order_seconds(events: pd.DataFrame, *, unknown_time: str) -> np.ndarray:
    """Return a sortable position in time (seconds) for each event: its local date plus its clock time.

    Without a clock time an attack counts from the start of its day and a response from the end, so a
    same-day attack is taken to precede a same-day response unless both times say otherwise.
    """
    day_seconds = _date_column(events, "event_date").to_numpy("datetime64[s]").astype(np.int64)
    fill = 0 if unknown_time == "start" else _SECONDS_PER_DAY - 1
    clock = local_seconds_of_day(events).fillna(fill).to_numpy().astype(np.int64)
    return day_seconds + np.clip(clock, 0, _SECONDS_PER_DAY - 1)


# ---------------------------------------------------------------- links

def explicit_links(responses: pd.DataFrame) -> pd.DataFrame:
    """Return (response_id, attack_id) for every attack a response's responds_to names, with the response's row label."""
    if "responds_to" not in responses:
        return pd.DataFrame({"response_row": pd.Series(dtype="int64"), "response_id": pd.Series(dtype="string"),
                             "attack_id": pd.Series(dtype="string")})
    named = responses.loc[responses["responds_to"].notna(), ["event_id", "responds_to"]]
    unique_lists = pd.unique(named["responds_to"].to_numpy())
    ids_of = dict(zip(unique_lists, map(split_ids, unique_lists)))  # split each distinct list once
    links = pd.DataFrame({
        "response_row": named.index.to_numpy(),
        "response_id": named["event_id"].to_numpy(),
        "attack_id": named["responds_to"].map(ids_of).to_numpy(),
    }).explode("attack_id").dropna(subset=["attack_id"]).drop_duplicates(["response_row", "attack_id"])
    return links.astype({"response_row": "int64", "response_id": "string", "attack_id": "string"}).reset_index(drop=True)


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


def inferred_links(events: pd.DataFrame, attack_rows: np.ndarray, response_rows: np.ndarray, window_days: int,
                   strategy: str, area: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair responses with preceding attacks in their area and window: sort once, binary-search, expand.

    Takes and returns row positions in `events`: (response rows, attack rows, attacks in each response's window).
    """
    empty = np.array([], dtype=np.int64)
    if strategy == "explicit_only" or not len(attack_rows) or not len(response_rows):
        return empty, empty, empty
    codes, _ = pd.factorize(area.astype(object))
    attacks, responses = events.iloc[attack_rows], events.iloc[response_rows]
    attack_code, response_code = codes[attack_rows], codes[response_rows]
    attack_seconds = order_seconds(attacks, unknown_time="start")
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
            "narrow the window, restrict pairs to the same country, or use 'nearest_preceding'")
    response_positions, attack_positions = _expand_ranges(starts, counts)
    return (response_rows[response_ok[response_positions]], attack_rows[attack_ok[attack_positions]],
            in_window[response_positions])


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


def _describe_pairs(events: pd.DataFrame, attack_rows: np.ndarray, response_rows: np.ndarray, attack_ids: pd.Series,
                    link: np.ndarray, link_basis: np.ndarray, in_window: pd.Series) -> pd.DataFrame:
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
    site = _optional(events, "site").fillna(_optional(events, "location"))
    table = pd.DataFrame({
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
        "response_location": _take(_optional(events, "location"), response_rows),
        "attacks_in_window": pd.array(in_window, dtype="Int64"),
        "is_attack_in_data": pd.array(attack_rows >= 0, dtype="boolean"),
    })
    return table.astype(PAIR_COLUMNS)


def pair_attacks_responses(events, window_days: int = 14, *, strategy: str = "nearest_preceding",
                           same: str | None = None, theatres: Mapping[str, str] | None = None) -> pd.DataFrame:
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
    unlinked_rows = response_rows[~is_linked[response_rows] & is_dated[response_rows]]
    inferred_responses, inferred_attacks, in_window = inferred_links(
        events, attack_rows, unlinked_rows, window_days, strategy, area_of(events, same, theatres))

    basis = describe_link_basis(strategy, window_days, same)
    return _describe_pairs(
        events,
        attack_rows=np.concatenate([explicit_attack_rows, inferred_attacks]).astype(np.int64),
        response_rows=np.concatenate([explicit["response_row"].to_numpy(), inferred_responses]).astype(np.int64),
        attack_ids=pd.concat([explicit["attack_id"], _take(events["event_id"].astype("string"), inferred_attacks)],
                             ignore_index=True),
        link=np.array(["explicit"] * len(explicit) + ["inferred"] * len(inferred_attacks), dtype=object),
        link_basis=np.array([EXPLICIT_BASIS] * len(explicit) + [basis] * len(inferred_attacks), dtype=object),
        in_window=pd.array([pd.NA] * len(explicit) + in_window.tolist(), dtype="Int64"),
    )


# ---------------------------------------------------------------- time to response

def attacks_with_us_casualties(casualties: pd.DataFrame, view: str = "maximal") -> set[str]:
    """Return the ids of events with at least one US person (side 'us') killed or wounded, per the casualty view.

    view "maximal" counts an event when any credible claim reports one; "conservative" only when the lowest
    claim does (the casualty module's select_claims chooses the claim, so both analyses read claims alike).
    """
    from analysis.analyses.casualties import select_claims

    us = casualties[casualties["side"].eq("us").fillna(False) & casualties["outcome"].isin(["killed", "wounded"])]
    chosen = select_claims(us, view)
    return set(chosen.loc[chosen["best"].fillna(0).astype("int64") >= 1, "event_id"])


def label_periods(dates: pd.Series, periods: Mapping[str, object]) -> pd.Series:
    """Name the period each date falls in; periods is {name: (start, end)}, inclusive; NA outside all of them.

    The result is categorical, its categories in date order, so tables and charts list periods in time order.

    >>> label_periods(pd.Series(pd.to_datetime(["2023-01-05", "2024-02-01", "2025-06-01"])),
    ...               {"2024": ("2024-01-01", "2024-12-31"), "2023": ("2023-01-01", "2023-12-31")}).tolist()
    ['2023', '2024', nan]
    """
    if not isinstance(periods, Mapping) or not periods:
        raise ParameterError("periods must be a non-empty mapping {name: (start, end)}")
    bounds = {}
    for name, period in periods.items():
        if isinstance(period, str) or len(period) != 2:
            raise ParameterError(f"period {name!r} must be a pair (start, end), got {period!r}")
        try:
            start, end = parse_period(*period)
        except ParameterError as error:
            raise ParameterError(f"period {name!r}: {error}") from None
        if start is None or end is None:
            raise ParameterError(f"period {name!r} needs both a start and an end date")
        bounds[str(name)] = (start, end)
    ordered = sorted(bounds.items(), key=lambda item: item[1][0])
    for (first, (_, first_end)), (second, (second_start, _)) in zip(ordered, ordered[1:]):
        if second_start <= first_end:
            raise ParameterError(f"periods {first!r} and {second!r} overlap; each date must fall in one period")
    labels = pd.Series(pd.NA, index=dates.index, dtype="string")
    days = pd.to_datetime(dates).dt.normalize()
    for name, (start, end) in bounds.items():
        labels = labels.mask(days.between(start, end), name)
    return labels.astype(pd.CategoricalDtype([name for name, _ in ordered], ordered=True))


TIME_TO_RESPONSE_COLUMNS = {
    "attack_id": "string",
    "attack_date": "datetime64[ns]",
    "date_precision": "string",
    "country": "string",
    "site": "string",
    "initiator": "string",
    "weapon": "string",
    "response_id": "string",
    "link": "string",
    "days_to_response": "Int64",
    "days_to_response_min": "Int64",
    "days_to_response_max": "Int64",
    "is_answered": "bool",
    "follow_up_days": "int64",
    "duration_days": "int64",
    "censored_by": "string",
}


def time_to_response(events, horizon_days: int = 30, *, pairs: pd.DataFrame | None = None,
                     strategy: str = "nearest_preceding", window_days: int | None = None, same: str | None = None,
                     theatres: Mapping[str, str] | None = None, casualties: pd.DataFrame | None = None,
                     data_end=None, periods: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Return one row per attack: days until the first response that answers it, or where its follow-up ends.

    An attack is answered when a pair (explicit or inferred; `pairs`, else pair_attacks_responses with
    strategy / window_days (default: horizon_days) / same) has lag_days within its follow-up. Follow-up lasts
    horizon_days, or less when the data ends first (data_end, default the last event date): an attack two days
    before the end is censored at 2 days ("end of data"), not counted as unanswered. duration_days and
    is_answered are what survival estimates need. Pass EventData (or casualties=) to get has_us_casualties;
    periods={name: (start, end)} adds a period column.

    >>> events = pd.DataFrame({
    ...     "event_id": ["a1", "r1", "a2"], "role": ["attack", "response", "attack"],
    ...     "event_date": pd.to_datetime(["2024-01-01", "2024-01-04", "2024-01-20"]),
    ...     "responds_to": [None, "a1", None]})
    >>> time_to_response(events, horizon_days=30)[["attack_id", "days_to_response", "duration_days", "censored_by"]]
      attack_id  days_to_response  duration_days  censored_by
    0        a1                 3              3         <NA>
    1        a2              <NA>              0  end of data
    """
    if casualties is None:
        casualties = getattr(events, "casualties", None)
    events = events_table(events)
    horizon_days = check_days("horizon_days", horizon_days)
    if pairs is None:
        window = horizon_days if window_days is None else window_days
        pairs = pair_attacks_responses(events, window, strategy=strategy, same=same, theatres=theatres)
    elif not {"attack_id", "response_id", "lag_days"} <= set(pairs.columns):
        raise ParameterError("pairs must come from pair_attacks_responses (columns attack_id, response_id, lag_days)")
    end = _data_end(events, data_end)

    attacks = events[events["role"].eq("attack").fillna(False) & events["event_date"].notna()]
    attack_dates = pd.to_datetime(attacks["event_date"]).dt.normalize()
    follow_up = _day_difference(pd.Series(end, index=attacks.index), attack_dates).clip(0, horizon_days)
    table = pd.DataFrame({
        "attack_id": attacks["event_id"],
        "attack_date": attack_dates,
        **{c: attacks[c] if c in attacks else pd.NA for c in ("date_precision", "country", "site", "initiator", "weapon")},
        "follow_up_days": follow_up.fillna(0).astype("int64"),
    })
    first = _first_responses(pairs)
    table = table.merge(first, on="attack_id", how="left")
    is_answered = (table["days_to_response"].notna() & (table["days_to_response"] <= table["follow_up_days"])).fillna(False)
    for column in ("response_id", "link", "days_to_response", "days_to_response_min", "days_to_response_max"):
        table[column] = table[column].where(is_answered)  # a response after the follow-up ended does not count
    table["is_answered"] = is_answered.astype(bool)
    table["duration_days"] = table["days_to_response"].fillna(table["follow_up_days"]).astype("int64")
    table["censored_by"] = pd.Series(
        np.where(table["follow_up_days"] >= horizon_days, "horizon", "end of data"), index=table.index,
        dtype="string").where(~is_answered)
    table = table.reindex(columns=list(TIME_TO_RESPONSE_COLUMNS)).astype(TIME_TO_RESPONSE_COLUMNS)
    table["horizon_days"] = horizon_days
    if casualties is not None:
        table["has_us_casualties"] = table["attack_id"].isin(attacks_with_us_casualties(casualties))
    if periods is not None:
        table["period"] = label_periods(table["attack_date"], periods)
    return table.sort_values(["attack_date", "attack_id"], kind="stable").reset_index(drop=True)


def follow_up_end(events, end=None) -> pd.Timestamp:
    """Return the last day attacks can be followed: the period's end, or the last event date if the data stops first.

    Pass the unfiltered events with the report's end date: quiet days between the last event and `end` are
    observed days (nothing happened), while days after the data stops are not.

    >>> events = pd.DataFrame({"event_id": ["a"], "role": ["attack"], "event_date": pd.to_datetime(["2024-03-01"])})
    >>> str(follow_up_end(events, "2024-12-31").date()), str(follow_up_end(events, "2024-02-01").date())
    ('2024-03-01', '2024-02-01')
    """
    events = events_table(events)
    last = pd.to_datetime(events["event_date"]).max()
    last = pd.Timestamp(last).normalize() if pd.notna(last) else None
    _, end = parse_period(None, end)
    candidates = [day for day in (last, end) if day is not None]
    return min(candidates) if candidates else pd.Timestamp("1970-01-01")


def _data_end(events: pd.DataFrame, data_end) -> pd.Timestamp:
    """Return the last day the data covers: data_end when given, else the last event date."""
    if data_end not in (None, ""):
        return parse_period(None, data_end)[1]
    return follow_up_end(events)


def _first_responses(pairs: pd.DataFrame) -> pd.DataFrame:
    """Return, per attack, the pair with the shortest lag (hours break same-day ties, then response id)."""
    usable = pairs[pairs["lag_days"].notna()]
    if "is_attack_in_data" in usable:
        usable = usable[usable["is_attack_in_data"].fillna(False)]
    hours = usable["lag_hours"] if "lag_hours" in usable else pd.Series(np.nan, index=usable.index)
    ranked = usable.assign(_hours=hours.astype("Float64")).sort_values(
        ["attack_id", "lag_days", "_hours", "response_id"], kind="stable", na_position="last")
    first = ranked.drop_duplicates("attack_id")
    bound = {c: first[c] if c in first else first["lag_days"] for c in ("lag_days_min", "lag_days_max")}
    return pd.DataFrame({
        "attack_id": first["attack_id"].astype("string"),
        "response_id": first["response_id"].astype("string"),
        "link": first["link"].astype("string") if "link" in first else pd.NA,
        "days_to_response": first["lag_days"].astype("Int64"),
        "days_to_response_min": bound["lag_days_min"].astype("Int64"),
        "days_to_response_max": bound["lag_days_max"].astype("Int64"),
    })


# ---------------------------------------------------------------- summaries in words and tables

def _count(number: int, singular: str, plural: str) -> str:
    """Write a count with the right form of its noun or verb phrase.

    >>> _count(1, "attack is", "attacks are"), _count(3, "attack is", "attacks are")
    ('1 attack is', '3 attacks are')
    """
    return f"{number} {singular if number == 1 else plural}"


def pairing_summary(events, pairs: pd.DataFrame) -> str:
    """Say how the responses were paired: named by a source, inferred, or left without an attack."""
    events = events_table(events)
    responses = events.loc[events["role"].eq("response").fillna(False), "event_id"]
    if responses.empty:
        return "There are no responses in this selection, so no attack can be paired with one."
    explicit = set(pairs.loc[pairs["link"].eq("explicit"), "response_id"])
    inferred = set(pairs.loc[pairs["link"].eq("inferred"), "response_id"])
    missing = pairs.loc[~pairs["is_attack_in_data"].astype(bool), "attack_id"].nunique()
    alone = len(responses) - len(explicit | inferred)
    basis = pairs.loc[pairs["link"].eq("inferred"), "link_basis"]
    text = (f"Of {_count(len(responses), 'response', 'responses')}, "
            f"{_count(len(explicit), 'is tied by a source to the attack it answers', 'are tied by a source to the attacks they answer')}; "
            f"{_count(len(inferred), 'more was', 'more were')} paired by inference "
            f"({basis.iloc[0] if len(basis) else 'no inferred pair'}); {_count(alone, 'has', 'have')} no attack to "
            "pair with.")
    if missing:
        text += (f" {_count(missing, 'attack that a source links to a response is', 'attacks that a source links to a response are')}"
                 " not in this selection (outside the dates or countries chosen), so those links have no lag.")
    return text


def lag_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Summarise lags per link type: pairs, median and range of lag_days, and how many have exact hours."""
    usable = pairs[pairs["lag_days"].notna()]
    rows = []
    for link, group in [("all", usable)] + [(k, g) for k, g in usable.groupby("link", sort=True)]:
        lags = group["lag_days"].astype("float64")
        rows.append({
            "link": link, "pairs": len(group),
            "median_lag_days": lags.median() if len(group) else pd.NA,
            "shortest_lag_days": group["lag_days"].min() if len(group) else pd.NA,
            "longest_lag_days": group["lag_days"].max() if len(group) else pd.NA,
            "same_day_pairs": int(group["lag_days"].eq(0).sum()),
            "pairs_with_hours": int(group["lag_hours"].notna().sum()),
            "pairs_with_imprecise_dates": int((group["lag_days_max"] > group["lag_days_min"]).sum()),
        })
    return pd.DataFrame(rows).astype({"median_lag_days": "Float64", "shortest_lag_days": "Int64", "longest_lag_days": "Int64"})


def late_explicit_answers(ttr: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Return the attacks not answered within their follow-up that a source nonetheless ties to a later response.

    Columns: attack_id, days_to_response (the shortest such lag). These attacks count as unanswered within
    the horizon, though a source says a strike answered them (e.g. the June 2021 strikes, weeks after the
    attacks they name).
    """
    explicit = pairs[pairs["link"].eq("explicit").fillna(False) & pairs["lag_days"].notna()]
    unanswered = ttr.loc[~ttr["is_answered"].astype(bool), "attack_id"]
    late = explicit[explicit["attack_id"].isin(unanswered)]
    return (late.groupby("attack_id", sort=True)["lag_days"].min().astype("Int64")
            .rename("days_to_response").reset_index())


def summarise_time_to_response(ttr: pd.DataFrame, pairs: pd.DataFrame | None = None) -> str:
    """Say in one paragraph how many attacks were answered, unanswered, or still open when the data ends.

    With pairs (from pair_attacks_responses) it also says how many "unanswered" attacks a source ties to a
    response that came after the horizon.
    """
    if ttr.empty:
        return "There are no attacks in this selection, so there is no time to response to measure."
    horizon = int(ttr["horizon_days"].iloc[0]) if "horizon_days" in ttr else int(ttr["follow_up_days"].max())
    answered = int(ttr["is_answered"].sum())
    explicit = int((ttr["is_answered"] & ttr["link"].eq("explicit").fillna(False)).sum())
    unanswered = int(ttr["censored_by"].eq("horizon").sum())
    open_at_end = int(ttr["censored_by"].eq("end of data").sum())
    text = (f"Of {_count(len(ttr), 'attack', 'attacks')}, {_count(answered, 'was', 'were')} answered within {horizon} "
            f"days ({explicit} of them by a response that a source links to them) and {_count(unanswered, 'went', 'went')} "
            f"{horizon} days without a response.")
    if open_at_end:
        text += (f" {_count(open_at_end, 'more came', 'more came')} less than {horizon} days before the data ends and "
                 f"had no response yet: {'it is' if open_at_end == 1 else 'they are'} censored (outcome unknown), not unanswered.")
    late = late_explicit_answers(ttr, pairs) if pairs is not None and len(ttr) else None
    if late is not None and len(late):
        text += (f" Of the attacks not answered within {horizon} days, {_count(len(late), 'is', 'are')} tied by a source "
                 f"to a strike that came later ({int(late['days_to_response'].min())} to "
                 f"{int(late['days_to_response'].max())} days after the attack); raise horizon_days to count "
                 f"{'it' if len(late) == 1 else 'them'} as answered.")
    return text


def _days_text(days, low, high) -> str:
    """Write a lag in days with the range its dates allow ('3 (0 to 6)'), blank when there is none.

    >>> _days_text(5, 5, 5), _days_text(3, 0, 6), _days_text(pd.NA, pd.NA, pd.NA)
    ('5', '3 (0 to 6)', '')
    """
    if pd.isna(days):
        return ""
    if pd.isna(low) or pd.isna(high) or low == high:
        return str(int(days))
    return f"{int(days)} ({int(low)} to {int(high)})"


def pairs_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Return the pairs for readers: who, where, when, the link and the lag (with the range imprecise dates allow).

    Headers are words; "days" reads "3 (0 to 6)" when a date is known only to a week or a month; "hours" is
    there only when some pair has both clock times.
    """
    table = pd.DataFrame({
        "attack": pairs["attack_id"], "attack date": pairs["attack_date"].dt.strftime("%Y-%m-%d"),
        "attack place": pairs["attack_site"], "attack country": pairs["attack_country"],
        "response": pairs["response_id"], "response date": pairs["response_date"].dt.strftime("%Y-%m-%d"),
        "response country": pairs["response_country"], "link": pairs["link"],
        "days": [_days_text(*v) for v in pairs[["lag_days", "lag_days_min", "lag_days_max"]].itertuples(index=False)],
    })
    if pairs["lag_hours"].notna().any():
        table["hours"] = pairs["lag_hours"].round(1)
    return table.reset_index(drop=True)


def _outcome_text(row, horizon: int) -> str:
    """Say how an attack's follow-up ended."""
    if row.is_answered:
        return "answered"
    return f"no response within {horizon} days" if row.censored_by == "horizon" else "still open when the data ends"


def time_to_response_table(ttr: pd.DataFrame) -> pd.DataFrame:
    """Return time_to_response for readers: each attack, its first response, the days to it and the outcome."""
    horizon = int(ttr["horizon_days"].iloc[0]) if "horizon_days" in ttr and len(ttr) else 0
    precision = ttr["date_precision"].astype("string").fillna("day")
    table = pd.DataFrame({
        "attack": ttr["attack_id"],
        "date": ttr["attack_date"].dt.strftime("%Y-%m-%d") + precision.map(lambda p: "" if p == "day" else f" ({p})"),
        "country": ttr["country"], "place": ttr["site"],
        "first response": ttr["response_id"], "link": ttr["link"],
        "days to response": [_days_text(*v) for v in
                             ttr[["days_to_response", "days_to_response_min", "days_to_response_max"]].itertuples(index=False)],
        "outcome": [_outcome_text(row, horizon) for row in ttr.itertuples(index=False)],
    })
    if "has_us_casualties" in ttr:
        table["US killed or wounded"] = ttr["has_us_casualties"].astype(bool)
    if "period" in ttr:
        table["period"] = ttr["period"].astype("string")
    return table.reset_index(drop=True)


# ---------------------------------------------------------------- figures (plotly imported on use)

def pairs_timeline_figure(events, pairs: pd.DataFrame, *, title: str = "Attacks, responses and the pairs between them"):
    """Draw attacks and responses on two lanes over time, with a line for each pair (solid: explicit)."""
    import plotly.graph_objects as go

    from analysis.present.maps import ROLE_STYLES

    events = events_table(events)
    lanes = {"attack": "Attacks", "response": "Responses"}
    figure = go.Figure()
    shown = events[events["role"].isin(list(lanes))]
    for link, dash in (("explicit", "solid"), ("inferred", "dot")):
        chosen = pairs[pairs["link"].eq(link) & pairs["is_attack_in_data"]]
        x, y = [], []
        for attack_date, response_date in zip(chosen["attack_date"], chosen["response_date"]):
            x += [attack_date, response_date, None]
            y += [lanes["attack"], lanes["response"], None]
        figure.add_trace(go.Scatter(x=x, y=y, mode="lines", name=f"{link} pair", hoverinfo="skip",
                                    line={"dash": dash, "width": 1, "color": "#7f7f7f" if link == "inferred" else "#444"}))
    for role, group in shown.groupby("role", sort=True):  # the overview's colours and symbols
        colour, symbol, label = ROLE_STYLES[role]
        place = group["site"].fillna(group["location"]) if "site" in group else group["event_id"]
        country = group["country"] if "country" in group else pd.Series("", index=group.index)
        hover = (group["event_id"].astype(str) + "<br>" + group["event_date"].dt.strftime("%Y-%m-%d") + "<br>"
                 + place.fillna("").astype(str).map(html.escape) + ", " + country.fillna("").astype(str).map(html.escape))
        figure.add_trace(go.Scatter(
            x=group["event_date"], y=[lanes[role]] * len(group), mode="markers", name=f"{label} ({len(group)})",
            marker={"symbol": symbol, "size": 9, "color": colour, "opacity": 0.8},
            text=hover, hovertemplate="%{text}<extra></extra>"))
    figure.update_layout(title=title, yaxis={"categoryorder": "array", "categoryarray": ["Responses", "Attacks"]},
                         xaxis_title="date", height=380, legend={"orientation": "h", "y": -0.25})
    return figure


def lag_histogram_figure(pairs: pd.DataFrame, *, title: str = "Days from attack to response"):
    """Draw the distribution of lag_days, stacked by link type (explicit / inferred)."""
    import plotly.express as px

    usable = pairs[pairs["lag_days"].notna()].assign(lag_days=lambda f: f["lag_days"].astype("int64"))
    figure = px.histogram(usable, x="lag_days", color="link", barmode="stack", title=title,
                          category_orders={"link": ["explicit", "inferred"]},
                          color_discrete_map={"explicit": "#444444", "inferred": "#b0b0b0"},  # as the timeline's lines
                          labels={"lag_days": "days from attack to response", "link": "link"})
    figure.update_traces(xbins={"size": 1})
    figure.update_layout(yaxis_title="pairs", height=360)
    return figure
