"""Casualty tallies that keep their ranges and their claimants (the rules in plain words: docs/casualties.md).

The casualties table holds one row per event x side x outcome x claimant. An *incident cell* is one
event x side x outcome: what several claimants may disagree about. Every tally here first chooses one claim
per incident cell (the conservative or the maximal one), then sums low / best / high over the cells of each
group, so no incident is counted twice and no claim is averaged away.

Rules:
- Credible claims are all claims except those whose claimant the caller lists in ``exclude_claimants``.
- Conservative view: per incident cell, the credible claim with the lowest best; ties go to the lower low,
  then to a bounded claim over an open-ended one (then the lower high), then to the claimant first in
  alphabetical order. Maximal view: the highest best; ties go to an open-ended claim (else the higher
  high), then the higher low, then the claimant first in alphabetical order.
- A claim without a best figure counts its low as best (the incident log's own rule: "2-3" has best 2).
- Sums: low and best add up. high adds up only when every part has a high: a missing high means "no upper
  bound given", never zero, so one open-ended part makes the total's high NA (open-ended).
- An event with no claim for a side and outcome adds nothing: it is not a claim of zero. A claim of 0 is 0.
- Sides are kept as coded: ACLED's unattributed fatalities stay side "unknown", never folded into a side.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from analysis.analyses.claims import MEASURES, VIEWS, claim_label, claimant_keys, folded_claimants, select_claims
from analysis.core import calendar
from analysis.core.arrays import is_in
from analysis.core.errors import AnalysisError, ParameterError, check_names, check_whole_number
from analysis.core.spec import OUTCOMES, SIDES
from analysis.core.text import name_key

CLAIM_LEVEL_KEYS = ("event_id", "side", "outcome", "claimant")
# An alias a user may write in `by`, and the events column it means.
EVENT_KEY_ALIASES = {"actor": "initiator"}
# The period a tally can be grouped by: its word names the tally's period column (weeks from Saturday).
PERIODS = tuple(calendar.PERIOD_WORDS.values())
TALLY_COUNTS = ["events", "disputed", "open_ended"]


# ---------------------------------------------------------------- parameters


def period_name(freq) -> str:
    """Name the period a freq stands for ('M', 'month' -> 'month'); the one vocabulary of analysis.core.calendar.

    >>> period_name("M"), period_name("week")
    ('month', 'week')
    """
    return calendar.period_word(freq)


def _split_keys(by, freq, events: pd.DataFrame) -> tuple[list[str], str | None]:
    """Check the grouping keys; return (keys with aliases resolved, the period name or None)."""
    keys, period = [], period_name(freq) if freq is not None else None
    for key in check_names("by", by):
        if not isinstance(key, str):
            raise ParameterError(f"by={by!r}: each key must be a column name, got {key!r}")
        if key.casefold() in PERIODS:
            if period is not None and period != key.casefold():
                raise ParameterError(f"by asks for {key!r} but freq={freq!r} asks for {period!r}; give one period")
            period = key.casefold()
            continue
        column = EVENT_KEY_ALIASES.get(key, key)
        if column not in CLAIM_LEVEL_KEYS and column not in events.columns:
            raise ParameterError(
                f"cannot group by {key!r}: use side, outcome, claimant, actor, country, role, site, target, "
                "week, month, quarter, year or another column of data.events"
            )
        if column in keys:
            raise ParameterError(f"by={by!r} names {key!r} twice")
        keys.append(column)
    return keys, period


def _check_data(data, exclude_claimants=()) -> None:
    """Refuse what is not EventData or has casualty rows without their event; warn of unmatched exclusions."""
    if not (hasattr(data, "events") and hasattr(data, "casualties")):
        raise ParameterError(
            f"data must be an EventData (from an.load_data / an.load_events), got {type(data).__name__}"
        )
    has_event = is_in(data.casualties["event_id"], data.events["event_id"])
    orphans = sorted(set(data.casualties["event_id"][~has_event]))
    if orphans:
        raise AnalysisError(
            f"casualty rows point to {len(orphans)} events that are not in data.events (e.g. {orphans[:3]}); "
            "select events with an.filter_data so their casualties follow them"
        )
    _warn_unmatched_exclusions(data, exclude_claimants)


def _warn_unmatched_exclusions(data, exclude_claimants) -> None:
    """Warn when a claimant to exclude made no claim in the data (most often a misspelt name)."""
    known = {name_key(c) for c in data.casualties["claimant"].dropna().unique()}
    unmatched = [n for n in check_names("exclude_claimants", exclude_claimants) if name_key(n) not in known]
    if unmatched:
        warnings.warn(
            f"exclude_claimants: no claim in this data is by {unmatched}; nothing was excluded for "
            "them (check the spelling against data.casualties['claimant'])",
            stacklevel=3,
        )


# ---------------------------------------------------------------- one claim per incident cell


# ---------------------------------------------------------------- sums with the open-ended rule


def sum_ranges(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum low / best / high per group: high is NA when any part is open-ended (a missing high is not zero).

    >>> parts = pd.DataFrame({"g": ["a", "a", "b"], "low": [1, 17, 2], "best": [1, 17, 2],
    ...                       "high": pd.array([1, None, 3], "Int64")})
    >>> sum_ranges(parts, ["g"])[["g", "low", "high", "open_ended"]].values.tolist()
    [['a', 18, <NA>, 1], ['b', 2, 3, 0]]
    """
    work = frame.assign(open_ended=frame["high"].isna().astype("int64"), high=frame["high"].astype("Float64").fillna(0))
    sums = {
        "low": ("low", "sum"),
        "best": ("best", "sum"),
        "high": ("high", "sum"),
        "open_ended": ("open_ended", "sum"),
    }
    if "event_id" in work:
        sums["events"] = ("event_id", "nunique")
    if "is_disputed" in work:
        sums["disputed"] = ("is_disputed", "sum")
    if keys:
        out = work.groupby(keys, dropna=False, sort=True).agg(**sums).reset_index()
    else:
        out = pd.DataFrame({name: [work[column].agg(how)] for name, (column, how) in sums.items()})
    out["high"] = out["high"].where(out["open_ended"] == 0)
    for column in ("low", "best", "high", "open_ended", *(c for c in ("events", "disputed") if c in out)):
        out[column] = out[column].astype("Float64").round().astype("Int64")
    return out


def _claims_with_events(
    data, view: str, keys: list[str], period: str | None, exclude_claimants, claimants=None
) -> pd.DataFrame:
    """Choose the claims of a view and attach the event columns the grouping needs."""
    per_claimant = "claimant" in keys
    chosen = select_claims(
        data.casualties, view, exclude_claimants=exclude_claimants, claimants=claimants, per_claimant=per_claimant
    )
    event_columns = [k for k in keys if k not in CLAIM_LEVEL_KEYS]
    events = data.events[list(dict.fromkeys(["event_id", "event_date", *event_columns]))]
    chosen = chosen.drop(columns=[c for c in event_columns if c in chosen]).merge(events, on="event_id", how="left")
    if period is not None:
        chosen[period] = period_start(chosen["event_date"], period)
    return chosen


def period_start(dates: pd.Series, period: str) -> pd.Series:
    """Return the first day of each date's week (a Saturday), month, quarter or year."""
    return calendar.period_start(dates, period)


def _all_periods(events: pd.DataFrame, period: str) -> pd.DatetimeIndex:
    """List every period from the first to the last event of the selection (empty without events)."""
    dates = events["event_date"].dropna()
    if dates.empty:
        return pd.DatetimeIndex([], name=period)
    return pd.DatetimeIndex(calendar.period_grid(dates.min(), dates.max(), period), name=period)


def _complete_periods(tally: pd.DataFrame, keys: list[str], period: str, events: pd.DataFrame) -> pd.DataFrame:
    """Add zero rows for periods without claims, for every combination of the other keys seen (and both outcomes)."""
    periods = _all_periods(events, period)
    if keys:
        combos = tally[keys].drop_duplicates()
        if "outcome" in keys:
            others = [k for k in keys if k != "outcome"]
            base = combos[others].drop_duplicates() if others else pd.DataFrame(index=[0])
            combos = base.merge(
                pd.DataFrame({"outcome": pd.array(OUTCOMES, dtype=tally["outcome"].dtype)}), how="cross"
            )[keys]
    else:
        combos = pd.DataFrame(index=[0])
    grid = combos.merge(pd.DataFrame({period: periods}), how="cross")
    full = grid.merge(tally, on=[*keys, period], how="left", indicator="_found")
    without_claims = full["_found"] == "left_only"  # only these rows become zero: an open-ended high stays NA
    for column in MEASURES + [c for c in TALLY_COUNTS if c in full]:
        full[column] = full[column].mask(without_claims, 0)
    return full.drop(columns="_found")


def _warn_side_overlap(chosen: pd.DataFrame) -> None:
    """Warn when totals across sides add an unattributed figure to another source's attributed ones.

    ACLED's fatalities (side 'unknown') count everyone killed in the event; when another claimant attributes
    deaths of the same event to sides, adding both may count the same people twice.
    """
    is_unknown = (chosen["side"] == "unknown").to_numpy()
    events_with_unknown = chosen["event_id"][is_unknown]
    if not len(events_with_unknown):
        return
    candidates = chosen[is_in(chosen["event_id"], events_with_unknown)]  # few events: group only those
    summary = (
        candidates.assign(is_unknown=candidates["side"] == "unknown")
        .groupby(["event_id", "outcome"])
        .agg(unknown=("is_unknown", "max"), only_unknown=("is_unknown", "min"), claimants=("claimant", "nunique"))
    )
    overlapping = summary[summary["unknown"] & ~summary["only_unknown"] & (summary["claimants"] > 1)]
    if len(overlapping):
        events = sorted(overlapping.index.get_level_values("event_id").unique())
        warnings.warn(
            f"{len(events)} events (e.g. {events[:3]}) carry an unattributed figure (side 'unknown') and another "
            "claimant's figures by side; a total across sides adds them and may count the same people twice. "
            "Put 'side' in by to keep them apart.",
            stacklevel=4,
        )


def _tally(data, keys: list[str], period: str | None, view: str, exclude_claimants, claimants=None) -> pd.DataFrame:
    """Tally one view: choose claims, sum them per group, zero-fill periods."""
    chosen = _claims_with_events(data, view, keys, period, exclude_claimants, claimants)
    if "side" not in keys:
        _warn_side_overlap(chosen)
    group = keys + ([period] if period else [])
    tally = sum_ranges(chosen, group)
    if period is not None:
        tally = _complete_periods(tally, keys, period, data.events)
        tally = tally.sort_values(group, kind="stable")
    order = group + ["events", "disputed", "open_ended", *MEASURES]
    return tally[order].reset_index(drop=True)


def casualty_tally(
    data,
    by: Iterable[str] | str | None = ("side", "outcome"),
    freq: str | None = None,
    claimant: str | Iterable[str] = "conservative",
    *,
    exclude_claimants: Iterable[str] = (),
) -> pd.DataFrame:
    """Sum low / best / high casualties per group, one claim per incident, keeping ranges open where they are.

    by: any mix of side, outcome, claimant, country, actor (the event's initiator), target, role, site, any
        other events column, and one period (week, month, quarter, year).
    freq: a period ('W', 'M', 'Q', 'Y' or the words); the same as putting the period in ``by``. A tally
        with a period lists every period from the first to the last event of the data, zero where no claim.
    claimant: 'conservative' (lowest credible claim per incident), 'maximal' (highest), 'each' (every
        claimant's own tally side by side: columns (claimant, events/low/best/high); blank where the claimant
        said nothing), or one claimant name or a list of names (only their claims; conservative among them).
    exclude_claimants: claimants you do not find credible (names matched without regard to case, accents or
        punctuation); their claims are left out of every view.

    Columns: the keys, events (distinct events summed), disputed (incidents whose credible claims differ),
    open_ended (incidents with no upper bound), low, best, high (NA when any incident is open-ended).
    """
    _check_data(data, exclude_claimants)
    keys, period = _split_keys(by, freq, data.events)
    if isinstance(claimant, str) and claimant in VIEWS:
        return _tally(data, keys, period, claimant, exclude_claimants)
    if isinstance(claimant, str) and claimant == "each":
        return _each_claimant(data, keys, period, exclude_claimants)
    names = check_names("claimant", claimant)
    if not names or not all(isinstance(n, str) for n in names):
        raise ParameterError(f"claimant={claimant!r}: use 'conservative', 'maximal', 'each' or claimant names")
    known = {name_key(c) for c in data.casualties["claimant"].dropna().unique()}
    missing = [n for n in names if name_key(n) not in known]
    if missing:
        raise ParameterError(
            f"claimant {missing} made no claim in this data; claimants are "
            f"{sorted(data.casualties['claimant'].dropna().unique())}"
        )
    return _tally(data, keys, period, "conservative", exclude_claimants, claimants=names)


def _each_claimant(data, keys: list[str], period: str | None, exclude_claimants) -> pd.DataFrame:
    """Tally every claimant on its own and put the claimants side by side as column groups."""
    if "claimant" in keys:
        raise ParameterError("claimant='each' already puts claimants in columns; leave 'claimant' out of by")
    long = _tally(data, keys + ["claimant"], period, "conservative", exclude_claimants)
    silent = long["events"] == 0  # a period's zero row for a claimant who said nothing: no claim, not zero
    long[["events", *MEASURES]] = long[["events", *MEASURES]].mask(silent)
    group = keys + ([period] if period else [])
    coverage = long.groupby("claimant")["events"].sum()
    order = sorted(coverage.index, key=lambda name: (-coverage[name], name))  # widest coverage first
    measures = ["events", *MEASURES]
    index = group or ["_all"]
    wide = long.assign(_all=0).set_index(index + ["claimant"])[measures].unstack("claimant")
    wide = wide.swaplevel(axis=1).reindex(columns=pd.MultiIndex.from_product([order, measures]))
    wide.columns.names = ["claimant", None]
    return wide.reset_index(drop=not group)


def casualty_views(
    data,
    by: Iterable[str] | str | None = ("side", "outcome"),
    freq: str | None = None,
    *,
    exclude_claimants: Iterable[str] = (),
) -> pd.DataFrame:
    """Put the conservative and the maximal tally side by side.

    Columns: the keys, events, disputed, then for each view <view>_open_ended, <view>_low, <view>_best,
    <view>_high. The spread between conservative_low and maximal_high is the range of credible claims.
    """
    _check_data(data, exclude_claimants)
    keys, period = _split_keys(by, freq, data.events)
    return _views(data, keys, period, exclude_claimants)


def _views(data, keys: list[str], period: str | None, exclude_claimants) -> pd.DataFrame:
    """Tally both views and join them on the keys."""
    group = keys + ([period] if period else [])
    tallies = [
        _tally(data, keys, period, view, exclude_claimants).rename(
            columns={m: f"{view}_{m}" for m in ["open_ended", *MEASURES]}
        )
        for view in VIEWS
    ]
    views = tallies[0].merge(tallies[1], on=group + ["events", "disputed"], how="outer", validate="one_to_one")
    return views.sort_values(group, kind="stable").reset_index(drop=True) if group else views


def cumulative_tally(tally: pd.DataFrame, period: str, keys: Iterable[str] = ()) -> pd.DataFrame:
    """Running totals over periods per group; a running high turns NA from the first open-ended part on."""
    keys = check_names("keys", keys)
    if period not in tally:
        raise ParameterError(f"the tally has no {period!r} column to accumulate over")
    ordered = tally.sort_values([*keys, period], kind="stable").reset_index(drop=True)
    group = [ordered[k] for k in keys] or [pd.Series(0, index=ordered.index)]
    measures = [c for c in ordered.columns if c.endswith(("low", "best", "high", "open_ended")) or c in TALLY_COUNTS]
    for column in measures:
        values = ordered[column]
        running = values.fillna(0).groupby(group, dropna=False).cumsum()
        if column.endswith("high"):
            ever_open = values.isna().astype("int64").groupby(group, dropna=False).cummax().astype(bool)
            running = running.where(~ever_open)
        ordered[column] = running.astype("Int64")
    ordered.attrs["cumulative"] = True  # figures draw running totals as steps
    return ordered


# ---------------------------------------------------------------- helpers the casualties notebook uses


def us_casualties(
    data, freq: str = "M", *, exclude_claimants: Iterable[str] = (), cumulative: bool = False
) -> pd.DataFrame:
    """US personnel (side 'us', contractors included) killed and wounded per period, both views, zero-filled."""
    _check_data(data, exclude_claimants)
    period = period_name(freq)
    us_only = replace(data, casualties=data.casualties[data.casualties["side"] == "us"])
    views = _views(us_only, ["outcome"], period, exclude_claimants)
    return cumulative_tally(views, period, ["outcome"]) if cumulative else views


def deadliest_incidents(
    data,
    n: int = 10,
    outcome: str = "killed",
    *,
    sides: Iterable[str] | None = None,
    exclude_claimants: Iterable[str] = (),
) -> pd.DataFrame:
    """List the n incidents with the most killed (or wounded), sides added up, with every competing claim.

    Per side the view's claim is chosen, then the sides are added (so a total may join two claimants).
    ``sides`` keeps only those sides (e.g. ['us']). Rank: maximal best, then conservative best, then date.
    Incidents whose maximal best is 0 are left out.
    """
    _check_data(data, exclude_claimants)
    if outcome not in OUTCOMES:
        raise ParameterError(f"outcome={outcome!r} is not an outcome; use 'killed' or 'wounded'")
    n = check_whole_number("n", n, minimum=1, unit="incidents")
    casualties = data.casualties[data.casualties["outcome"] == outcome]
    if sides is not None:
        wanted = [side.casefold() for side in check_names("sides", sides)]  # 'US' and 'us' are one side
        unknown = sorted(set(wanted) - set(SIDES))
        if unknown:
            raise ParameterError(f"sides {unknown} are not sides; sides are {', '.join(SIDES)}")
        casualties = casualties[casualties["side"].isin(wanted)]
    # an event whose every claim is 0 cannot rank: leave it out before choosing claims (most ACLED rows)
    figure = (
        casualties["high"]
        .astype("Float64")
        .fillna(casualties["best"].astype("Float64"))
        .fillna(casualties["low"].astype("Float64"))
    )
    casualties = casualties[is_in(casualties["event_id"], casualties.loc[(figure > 0).fillna(False), "event_id"])]
    per_view = [
        sum_ranges(select_claims(casualties, view, exclude_claimants=exclude_claimants), ["event_id"]).rename(
            columns={m: f"{view}_{m}" for m in MEASURES}
        )
        for view in VIEWS
    ]
    totals = per_view[0][["event_id", "disputed", *(f"conservative_{m}" for m in MEASURES)]].merge(
        per_view[1][["event_id", *(f"maximal_{m}" for m in MEASURES)]], on="event_id", validate="one_to_one"
    )
    totals = totals[totals["maximal_best"] > 0]
    events = data.events[["event_id", "event_date", "country", "location", "role", "initiator", "target"]]
    ranked = (
        totals.merge(events, on="event_id", how="left")
        .sort_values(
            ["maximal_best", "conservative_best", "event_date", "event_id"],
            ascending=[False, False, True, True],
            kind="stable",
        )
        .head(n)
    )
    ranked = ranked.assign(is_disputed=ranked["disputed"] > 0).merge(
        _claims_text(casualties, ranked["event_id"], exclude_claimants), on="event_id", how="left"
    )
    columns = [
        "event_id",
        "event_date",
        "country",
        "location",
        "role",
        "initiator",
        "target",
        "sides",
        "is_disputed",
        *(f"{v}_{m}" for v in VIEWS for m in MEASURES),
        "claims",
    ]
    return ranked[columns].reset_index(drop=True)


def _claims_text(casualties: pd.DataFrame, event_ids: pd.Series, exclude_claimants) -> pd.DataFrame:
    """Describe each event's credible claims by side: 'militia: 1 [militia official]; at least 17 [locals]'."""
    excluded = claimant_keys(exclude_claimants, "exclude_claimants")
    rows = casualties[is_in(casualties["event_id"], event_ids)]
    rows = rows[~folded_claimants(rows["claimant"]).isin(excluded)]
    rows = rows.assign(
        label=[
            claim_label(text, claimant, low, best, high)
            for text, claimant, low, best, high in zip(
                rows["claim_text"] if "claim_text" in rows else [None] * len(rows),
                rows["claimant"],
                rows["low"],
                rows["best"],
                rows["high"],
            )
        ]
    )
    described = []
    ordered = rows.sort_values(["event_id", "side", "best", "claimant"], kind="stable")
    for event_id, claims in ordered.groupby("event_id", sort=False):
        by_side = [f"{side}: " + "; ".join(labels) for side, labels in claims.groupby("side", sort=True)["label"]]
        described.append(
            {"event_id": event_id, "sides": ", ".join(sorted(claims["side"].unique())), "claims": " | ".join(by_side)}
        )
    return pd.DataFrame(described, columns=["event_id", "sides", "claims"])


def claim_coverage(data, *, exclude_claimants: Iterable[str] = ()) -> dict[str, int]:
    """Count what the tallies rest on: events, credible and excluded claims, claimants, disputes, open ends."""
    _check_data(data, exclude_claimants)
    casualties = data.casualties
    excluded = folded_claimants(casualties["claimant"]).isin(claimant_keys(exclude_claimants, "exclude_claimants"))
    credible = casualties[~excluded]
    cells = select_claims(credible, "conservative")
    return {
        "events": int(data.events["event_id"].nunique()),
        "events_with_claims": int(credible["event_id"].nunique()),
        "claims": int(len(credible)),
        "excluded_claims": int(excluded.sum()),
        "claimants": int(credible["claimant"].nunique()),
        "incident_cells": int(len(cells)),
        "disputed_cells": int(cells["is_disputed"].sum()),
        "open_ended_claims": int(credible["high"].isna().sum()),
        "unknown_side_claims": int((credible["side"] == "unknown").sum()),
        "us_claims": int((credible["side"] == "us").sum()),
    }
