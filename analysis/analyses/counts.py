"""Regular, zero-filled count series (weekly or monthly): attacks, responses and intercepted attacks from event
tables; events by type from ACLED's weekly aggregates.

Two inputs, one table layout (period_start, groups, period_days, counts), so every trend helper and chart reads
either:

* ``event_counts(events, freq, by)`` counts the canonical event table (incident log, ACLED, UCDP GED): events,
  attacks, responses, intercepted attacks (COUNT_COLUMNS); ``include_convoys=False`` leaves attacks on supply
  convoys out;
* ``counts_from_weekly(weekly, freq, by)`` counts ACLED's aggregated weekly files (``load_weekly_counts``),
  which carry no actors: their series are named for what they are, events by type (WEEKLY_SERIES: remote
  violence events, battles, air / drone strikes, shelling, ...), never attacks on US forces or responses;
  ``campaign_view=True`` keeps only the provinces that host a US / coalition site.

Each table says what it counted in ``counts.attrs["basis"]``; ``attrs["headline"]`` names its main series
(attacks, or remote violence events), which the trend models use by default.

Weeks run Saturday to Friday and are labelled by their Saturday, as in ACLED's weekly files (pandas
period "W-FRI"), so the two sources line up week for week. Months are calendar months.

One row per period x group; a period with nothing in it is a row of zeros, never a missing row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.core.calendar import PERIOD_WORDS, check_freq, covered_days, period_grid, period_last_day, period_start
from analysis.core.errors import AnalysisError, ParameterError, check_names, describe_cell
from analysis.core.selection import filter_events, parse_period
from analysis.core.tables import events_of
from analysis.core.text import name_key

GROUP = "group"
COUNT_COLUMNS = (
    "events",
    "attacks",
    "responses",
    "intercepted_attacks",
    "partly_intercepted_attacks",
    "coarse_dated_events",
)
# The series of an ACLED weekly file: column -> (weekly column, values it counts, what the series is).
WEEKLY_SERIES = {
    "remote_violence_events": (
        "event_type",
        ("Explosions/Remote violence",),
        "remote violence events (air / drone strikes, shelling, missiles, IEDs), by any actor",
    ),
    "battles": ("event_type", ("Battles",), "battles (armed clashes), by any actor"),
    "air_drone_strikes": ("sub_event_type", ("Air/drone strike",), "air or drone strikes, by any actor"),
    "shelling_missile_attacks": (
        "sub_event_type",
        ("Shelling/artillery/missile attack",),
        "shelling, artillery, rocket and missile fire, by any actor",
    ),
    "remote_explosive_events": (
        "sub_event_type",
        ("Remote explosive/landmine/IED",),
        "remote explosives, landmines and IEDs, by any actor",
    ),
    "disrupted_weapons_use": (
        "sub_event_type",
        ("Disrupted weapons use",),
        "disrupted weapons use (intercepted or foiled attacks), by any actor",
    ),
}
WEEKLY_COUNT_COLUMNS = ("events", *WEEKLY_SERIES, "coarse_dated_events")
WEEKLY_HEADLINE = "remote_violence_events"
# Every count column either table can have (group_columns takes the rest for groups).
MEASURE_COLUMNS = tuple(dict.fromkeys(COUNT_COLUMNS + WEEKLY_COUNT_COLUMNS))
WEEKLY_REQUIRED_COLUMNS = ("week_start", "country", "sub_event_type", "events")
WEEKLY_GROUP_COLUMNS = ("region", "country", "admin1", "event_type", "sub_event_type", "disorder_type")


def infer_frequency(counts: pd.DataFrame) -> str:
    """Return the period letter of a counts table ("W", "M", ...), from its attrs or the spacing of its periods."""
    if counts.attrs.get("freq") in PERIOD_WORDS:
        return counts.attrs["freq"]
    starts = pd.Series(counts["period_start"].drop_duplicates().sort_values())
    if len(starts) > 1 and starts.diff().dropna().dt.days.eq(7).all():
        return "W"
    if starts.dt.is_year_start.all() and (len(starts) == 1 or starts.diff().dropna().dt.days.ge(365).all()):
        return "Y"
    if starts.dt.is_quarter_start.all() and len(starts) > 1 and starts.diff().dropna().dt.days.ge(89).all():
        return "Q"
    if starts.dt.is_month_start.all():
        return "M"
    raise ParameterError("cannot tell the period of these counts (weeks, months, ...); make them with an.event_counts")


def group_columns(counts: pd.DataFrame) -> list[str]:
    """Return the grouping columns of a counts table (everything but the period and the counts)."""
    return [c for c in counts.columns if c not in ("period_start", "period_days", *MEASURE_COLUMNS)]


def measure_columns(counts: pd.DataFrame) -> list[str]:
    """Return the count columns a counts table has (attacks, responses, ... or the weekly series)."""
    return [c for c in MEASURE_COLUMNS if c in counts.columns]


def headline_column(counts: pd.DataFrame) -> str:
    """Return the main series of a counts table: attacks (event tables) or remote violence events (weekly files)."""
    return counts.attrs.get("headline") or ("attacks" if "attacks" in counts.columns else WEEKLY_HEADLINE)


def militia_group(events: pd.DataFrame) -> pd.Series:
    """Name the militia group in each event: the side coded 'militia', else attack initiator / response target.

    The group is what analysts compare across attacks and responses: who attacked, or who was struck.
    """
    by_side = events["initiator"].where(events["initiator_side"].eq("militia").fillna(False))
    by_side = by_side.fillna(events["target"].where(events["target_side"].eq("militia").fillna(False)))
    by_role = events["initiator"].where(events["role"].eq("attack").fillna(False))
    by_role = by_role.fillna(events["target"].where(events["role"].eq("response").fillna(False)))
    return by_side.fillna(by_role).astype("string").rename(GROUP)


def event_groups(events: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Return the grouping columns for each event; a blank value becomes 'unknown' (kept, never dropped)."""
    columns = {}
    for name in by:
        if name == GROUP:
            values = militia_group(events)
        elif name in events.columns and name not in ("event_date", "event_id"):
            values = events[name]
        else:
            choices = sorted(c for c in events.columns if c not in ("event_date", "event_id"))
            raise ParameterError(
                f"by={name!r} is not a column of the events; use 'group' (the militia group: who attacked, or "
                f"who was struck) or one of {choices}"
            )
        columns[name] = values.astype("string").fillna("unknown")
    return pd.DataFrame(columns, index=events.index)


def _tally(rows: pd.DataFrame, by: list[str], measures: list[str], grid: pd.DataFrame) -> pd.DataFrame:
    """Sum measures per period x group and zero-fill every period of the grid for every group seen."""
    sums = rows.groupby(["period_start", *by], sort=False, dropna=False)[measures].sum()
    if by:
        combos = rows[by].drop_duplicates().sort_values(by, kind="stable")
        full = grid.merge(combos, how="cross")
    else:
        full = grid
    filled = full.merge(sums.reset_index(), on=["period_start", *by], how="left")
    filled[measures] = filled[measures].fillna(0)
    return filled.astype({m: "Int64" for m in measures}).sort_values(["period_start", *by], kind="stable")


def _bounded_grid(
    dates: pd.Series, freq: str, start, end
) -> tuple[pd.DataFrame, pd.Timestamp | None, pd.Timestamp | None]:
    """Return the period grid spanning [start, end], or the data's first to last period when unbounded."""
    start, end = parse_period(start, end)
    if dates.empty and (start is None or end is None):
        raise AnalysisError("there is nothing to count: no events, and no start and end to lay out empty periods")
    first = start if start is not None else dates.min()
    last = end if end is not None else dates.max()
    return period_grid(first, last, freq).to_frame(), start, end


def event_counts(
    events: pd.DataFrame,
    freq: str = "W",
    by: str | Sequence[str] | None = None,
    start=None,
    end=None,
    countries: Iterable[str] | None = None,
    *,
    include_convoys: bool = True,
) -> pd.DataFrame:
    """Count events, attacks, responses and intercepted attacks per week or month, zero-filled, per group.

    events is an event table (data.events) or, equally, an ACLED weekly table from load_weekly_counts, which
    is passed on to counts_from_weekly (read its caveats: no actors, so its series are events by type, not
    attacks). countries (None: all) keeps only events in those countries. include_convoys=False leaves out
    attacks on supply convoys (target_kind = convoy: roadside bombs on Iraqi contractors' trucks carrying
    coalition supplies, which dominate 2020-2021 and which many analysts count apart); ``attrs["basis"]`` says
    which was done and how many convoy attacks were counted or left out.

    by: None, an event column (country, weapon, initiator, target, site, ...) or 'group' (the militia group:
    the initiator of an attack, the target of a response), or a list of them. start / end (inclusive) bound
    the series; events outside them are not counted, and the edge periods' ``period_days`` say how many of
    their days were inside. ``coarse_dated_events`` counts the events whose date is known only to a span
    (week or month precision) that reaches outside their period: they are counted at their recorded date.

    Columns: period_start, <by...>, period_days, events, attacks, responses, intercepted_attacks (intercepted
    = yes), partly_intercepted_attacks (partial), coarse_dated_events.
    """
    events = events_of(events)
    if "week_start" in events.columns and "event_date" not in events.columns:
        if not include_convoys:
            raise ParameterError(
                "include_convoys=False needs event tables: an ACLED weekly file has no targets, so convoy attacks "
                "cannot be told apart in it"
            )
        return counts_from_weekly(events, freq, by, start, end, countries)
    freq = check_freq(freq)
    by = check_names("by", by)
    if countries:
        events = filter_events(events, countries=countries)
    is_convoy = _is_convoy_attack(events)
    if not include_convoys:
        events = events[~is_convoy]
    undated = events.loc[events["event_date"].isna(), "event_id"]
    if len(undated):
        raise AnalysisError(
            f"{len(undated)} events have no event_date ({', '.join(map(str, undated[:5]))}); they cannot be placed in a {PERIOD_WORDS[freq]}"
        )
    groups = event_groups(events, by)
    grid, start, end = _bounded_grid(events["event_date"], freq, start, end)
    inside = pd.Series(True, index=events.index)
    if start is not None:
        inside &= events["event_date"] >= start
    if end is not None:
        inside &= events["event_date"] <= end
    events, groups = events[inside], groups[inside]
    role = events["role"].astype("string")
    is_attack = role.eq("attack").fillna(False)
    intercepted = (
        events["intercepted"].astype("string")
        if "intercepted" in events
        else pd.Series(pd.NA, index=events.index, dtype="string")
    )
    starts = period_start(events["event_date"], freq)
    rows = pd.concat(
        [
            groups,
            pd.DataFrame(
                {
                    "period_start": starts,
                    "events": 1,
                    "attacks": is_attack.astype(int),
                    "responses": role.eq("response").fillna(False).astype(int),
                    "intercepted_attacks": (is_attack & intercepted.eq("yes").fillna(False)).astype(int),
                    "partly_intercepted_attacks": (is_attack & intercepted.eq("partial").fillna(False)).astype(int),
                    "coarse_dated_events": _is_coarse_dated(events, starts, freq).astype(int),
                },
                index=events.index,
            ),
        ],
        axis=1,
    )
    counts = _tally(rows, by, list(COUNT_COLUMNS), grid)
    counts.insert(len(by) + 1, "period_days", covered_days(counts["period_start"], freq, start, end))
    counts = counts.reset_index(drop=True)
    convoys = int(is_convoy.sum())
    convoy_words = (
        f"convoy attacks (target_kind = convoy, {convoys}) included; pass include_convoys=False to leave them out"
        if include_convoys
        else f"convoy attacks (target_kind = convoy) left out: {convoys}"
    )
    counts.attrs.update(
        freq=freq,
        by=by,
        headline="attacks",
        include_convoys=include_convoys,
        basis=(
            "event table: attacks and responses are the events' roles; intercepted attacks are attacks coded "
            f"intercepted = yes; {convoy_words}"
        ),
    )
    return counts


def _is_convoy_attack(events: pd.DataFrame) -> pd.Series:
    """Flag attacks on supply convoys (target_kind = convoy); a table without target_kind has none."""
    if "target_kind" not in events.columns:
        return pd.Series(False, index=events.index)
    return (events["role"].astype("string").eq("attack") & events["target_kind"].astype("string").eq("convoy")).fillna(
        False
    )


def _is_coarse_dated(events: pd.DataFrame, starts: pd.Series, freq: str) -> pd.Series:
    """Flag events whose possible dates (date_earliest..date_latest) reach outside their counted period."""
    if "date_earliest" not in events or "date_latest" not in events:
        return pd.Series(False, index=events.index)
    earliest = events["date_earliest"].fillna(events["event_date"])
    latest = events["date_latest"].fillna(events["event_date"])
    return (earliest < starts) | (latest > period_last_day(starts, freq))


def _check_weekly(weekly: pd.DataFrame) -> None:
    """Refuse a weekly table that lacks the columns or Saturday week starts the counts rely on."""
    missing = [c for c in WEEKLY_REQUIRED_COLUMNS if c not in weekly.columns]
    if missing:
        raise ParameterError(f"the weekly table lacks columns {missing}; pass what an.load_weekly_counts(path) returns")
    problems = [
        (
            "week_start",
            weekly["week_start"].isna() | weekly["week_start"].dt.day_of_week.ne(5),
            "is not a Saturday; ACLED weekly files label each week by the Saturday it starts",
        ),
        ("events", weekly["events"].isna() | weekly["events"].lt(0).fillna(False), "is not a count of events"),
    ]
    for column, is_bad, reason in problems:
        if is_bad.any():
            row = weekly[is_bad].iloc[0]
            where = describe_cell(
                row.get("source_file", "weekly table"), row.get("source_row", is_bad.idxmax()), column, row[column]
            )
            raise AnalysisError(f"{where} {reason} ({int(is_bad.sum())} such rows)")


def _matches(values: pd.Series, names: Iterable[str]) -> pd.Series:
    """Flag values equal to any of names, ignoring case, spacing and punctuation."""
    keys = {name_key(n) for n in names}
    return values.map(name_key, na_action="ignore").isin(keys).fillna(False).astype(bool)


def counts_from_weekly(
    weekly: pd.DataFrame,
    freq: str = "W",
    by: str | Sequence[str] | None = None,
    start=None,
    end=None,
    countries: Iterable[str] | None = None,
    *,
    campaign_view: bool = False,
    reference_dir=None,
) -> pd.DataFrame:
    """Count ACLED weekly aggregates (load_weekly_counts) per week or month: events by type, never attacks.

    A weekly file holds, per week and province, the number of events of each type, with no actors: it cannot
    tell a militia's rockets from Turkish, Israeli, Syrian, Russian or Islamic State fire, nor a US strike from
    anyone else's. So its series are named for what they are (WEEKLY_SERIES): ``events`` (all types),
    ``remote_violence_events`` (the headline series), ``battles``, ``air_drone_strikes``,
    ``shelling_missile_attacks``, ``remote_explosive_events`` and ``disrupted_weapons_use``, each by any actor.
    ``attrs["series"]`` describes each column and ``attrs["basis"]`` the whole table.

    campaign_view=True keeps only the provinces (admin1) that host a US / coalition site in the gazetteer
    (``kind=base``, read from reference_dir, default data/raw/reference): the militia-campaign view, which
    leaves out e.g. Turkish strikes in Duhok and regime shelling in Idlib; ``attrs["provinces"]`` lists them.

    by may name region, country, admin1, event_type, sub_event_type or disorder_type. start / end keep the
    weeks that overlap [start, end], each counted whole (a week cannot be split), so ``period_days`` is 7 per
    week. For freq="M" a week counts in the month of its Saturday and ``coarse_dated_events`` holds the events
    of weeks that run into the next month.
    """
    freq = check_freq(freq)
    by = check_names("by", by)
    _check_weekly(weekly)
    for name in by:
        if name not in WEEKLY_GROUP_COLUMNS or name not in weekly.columns:
            raise ParameterError(
                f"by={name!r} cannot be counted from an ACLED weekly file, which has no actors, weapons or links; "
                f"use one of {[c for c in WEEKLY_GROUP_COLUMNS if c in weekly.columns]} (sub_event_type is the "
                f"nearest to a weapon), or count an event table with an.event_counts"
            )
    if countries:
        countries = [countries] if isinstance(countries, str) else list(countries)
        known = set(weekly["country"].dropna())
        if not known & set(countries):
            raise ParameterError(f"no weeks in countries {sorted(countries)}; the weekly table has {sorted(known)}")
        weekly = weekly[weekly["country"].isin(countries)]
    provinces = None
    if campaign_view:
        weekly, provinces = _in_site_provinces(weekly, reference_dir)
    if weekly.empty and (start is None or end is None):
        raise AnalysisError("the weekly table has no rows to count, and no start and end to lay out empty weeks")
    start, end = parse_period(start, end)
    week_starts = weekly["week_start"].astype("datetime64[ns]")
    week_grid, _, _ = _bounded_grid(
        week_starts,
        "W",
        None if start is None else period_start(pd.Series([start]), "W")[0],
        end,
    )
    inside = week_starts.isin(week_grid["period_start"])
    weekly, week_starts = weekly[inside], week_starts[inside]
    events = weekly["events"].astype("Int64")
    starts = week_starts if freq == "W" else period_start(week_starts, freq)
    # a week counts in the period of its Saturday; one that runs into the next period is coarsely placed
    runs_into_next_period = period_start(week_starts + pd.Timedelta(days=6), freq).ne(starts)
    series = {
        name: events.where(_matches(weekly[column].astype("string"), values), 0)
        for name, (column, values, _) in WEEKLY_SERIES.items()
    }
    rows = pd.concat(
        [
            pd.DataFrame({name: weekly[name].astype("string").fillna("unknown") for name in by}, index=weekly.index),
            pd.DataFrame(
                {
                    "period_start": starts,
                    "events": events,
                    **series,
                    "coarse_dated_events": events.where(runs_into_next_period, 0) if freq != "W" else events * 0,
                },
                index=weekly.index,
            ),
        ],
        axis=1,
    )
    measures = list(WEEKLY_COUNT_COLUMNS)
    if freq == "W":
        grid = week_grid
        days = pd.Series(7, index=grid.index)
    else:
        periods = period_start(week_grid["period_start"], freq)
        days = (periods.value_counts() * 7).rename("period_days")
        grid = period_grid(periods.min(), periods.max(), freq).to_frame()
        days = grid["period_start"].map(days).fillna(0)
    grid = grid.assign(period_days=days.astype("Int64").to_numpy())
    counts = _tally(rows, by, measures, grid)
    counts = counts[["period_start", *by, "period_days", *measures]].reset_index(drop=True)
    where = (
        f"only the provinces that host a US / coalition site ({', '.join(provinces)}): the militia-campaign view"
        if campaign_view
        else "every province in the file"
    )
    counts.attrs.update(
        freq=freq,
        by=by,
        headline=WEEKLY_HEADLINE,
        series={name: words for name, (_, _, words) in WEEKLY_SERIES.items()},
        provinces=provinces,
        basis=(
            "ACLED weekly aggregates: events by type, by any actor (the file has no actors, so these are not "
            "counts of militia fire on US forces or of US strikes); "
            + "; ".join(f"{name} = {words}" for name, (_, _, words) in WEEKLY_SERIES.items())
            + f"; {where}"
        ),
    )
    return counts


def site_provinces(reference_dir=None) -> pd.DataFrame:
    """Return the provinces that host a US / coalition site: country, admin1 (as the gazetteer names it) and key.

    ``key`` is every name_key spelling of the province the gazetteer knows (its province, town or alias
    entries), so that ACLED's "Al Anbar" or "Deir ez Zor" match the gazetteer's "Anbar" and "Deir ez-Zor".
    """
    from analysis.cleaning.reference import load_reference

    places = load_reference(reference_dir).places
    bases = places[places["kind"] == "base"].drop_duplicates("name")
    rows = []
    for (country, admin1), _ in bases.groupby(["country", "admin1"], sort=True):
        spellings = {admin1}
        entry = places.reindex([name_key(admin1)])
        if entry["name"].notna().all():  # the gazetteer knows the province (or its capital): all its spellings
            row = entry.iloc[0]
            spellings |= {row["name"], *str(row["aliases"] or "").split(";")}
        rows += [(country, admin1, name_key(s)) for s in spellings if name_key(s)]
    return pd.DataFrame(rows, columns=["country", "admin1", "key"]).drop_duplicates()


def _in_site_provinces(weekly: pd.DataFrame, reference_dir) -> tuple[pd.DataFrame, list[str]]:
    """Keep the weekly rows in provinces that host a US / coalition site; return them and the provinces' names."""
    provinces = site_provinces(reference_dir)
    wanted = set(zip(provinces["country"].map(name_key), provinces["key"]))
    keys = zip(weekly["country"].map(name_key, na_action="ignore"), weekly["admin1"].map(name_key, na_action="ignore"))
    keep = pd.Series([key in wanted for key in keys], index=weekly.index, dtype=bool)
    names = sorted({f"{a} ({c})" for c, a in zip(provinces["country"], provinces["admin1"])})
    return weekly[keep], names


def counts_summary(counts: pd.DataFrame) -> pd.DataFrame:
    """Total each count over the periods of a counts table: one row per group (one row without groups).

    Adds ``periods`` (how many weeks or months) and ``periods_with_<headline>`` (``periods_with_attacks`` for
    event tables, ``periods_with_remote_violence_events`` for ACLED weekly files). A count that is NA in a
    period (one the source cannot give) keeps the total NA rather than 0.
    """
    groups = group_columns(counts)
    measures = measure_columns(counts)
    with_headline = f"periods_with_{headline_column(counts)}"
    keyed = counts.assign(periods=1, _all="all", **{with_headline: counts[headline_column(counts)].gt(0).astype(int)})
    keys = groups or ["_all"]
    totals = keyed.groupby(keys, sort=True).agg(
        periods=("periods", "sum"),
        **{with_headline: (with_headline, "sum")},
        **{m: (m, lambda values: values.sum(min_count=1) if values.notna().all() else pd.NA) for m in measures},
    )
    totals = totals.reset_index().drop(columns=["_all"], errors="ignore")
    return totals.astype({c: "Int64" for c in ["periods", with_headline, *measures]})
