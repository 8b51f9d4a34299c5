"""Time to response: one row per attack, the days until the first response that answers it, with censoring.

The one rule for "answered" that every page and function uses (ANSWER_RULE): an attack is answered within
14 days when a US / coalition strike is paired with it within 14 days of it: a strike a source ties to the attack
(responds_to), or the first strike after it for which it is the nearest preceding attack. Attacks the data
stops following before 14 days are "still open", not unanswered. A second, named definition is shown beside
it where it matters: "tied by a source", an explicit link at any lag.

    ttr = an.time_to_response(data, horizon_days=30, pairs=pairs)     # one row per attack

An attack is followed for horizon_days, or until the data ends; answered when a pair (explicit or inferred, see
analysis.analyses.pairing) has its lag within that follow-up. Survival estimates (analysis.analyses.survival)
read this table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.analyses.claims import select_claims
from analysis.analyses.counts import event_groups
from analysis.analyses.pairing import _day_difference, events_table, pair_attacks_responses
from analysis.core.arrays import is_in
from analysis.core.calendar import check_freq, period_start
from analysis.core.errors import ParameterError, check_days, check_names
from analysis.core.selection import parse_period


def attacks_with_us_casualties(casualties: pd.DataFrame, view: str = "maximal") -> set[str]:
    """Return the ids of events with at least one US person (side 'us') killed or wounded, per the casualty view.

    view "maximal" counts an event when any credible claim reports one; "conservative" only when the lowest
    claim does (the casualty module's select_claims chooses the claim, so both analyses read claims alike).
    """
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


@dataclass(frozen=True)
class AnswerRule:
    """The pairing and horizon that decide whether an attack was answered."""

    horizon_days: int = 14
    strategy: str = "nearest_preceding"
    same: str | None = None

    def describe(self) -> str:
        """Say the rule in words, as pages print it."""
        return (
            f"answered within {self.horizon_days} days: a US / coalition strike within {self.horizon_days} days that a "
            "source ties to the attack, or the first strike after it for which it is the nearest preceding attack"
            + (f" in the same {self.same}" if self.same else "")
        )


ANSWER_RULE = AnswerRule()

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


def time_to_response(
    events,
    horizon_days: int = ANSWER_RULE.horizon_days,
    *,
    pairs: pd.DataFrame | None = None,
    strategy: str = ANSWER_RULE.strategy,
    window_days: int | None = None,
    same: str | None = None,
    theatres: Mapping[str, str] | None = None,
    casualties: pd.DataFrame | None = None,
    data_end=None,
    periods: Mapping[str, object] | None = None,
) -> pd.DataFrame:
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
    table = pd.DataFrame(
        {
            "attack_id": attacks["event_id"],
            "attack_date": attack_dates,
            **{c: attacks.get(c, pd.NA) for c in ("date_precision", "country", "site", "initiator", "weapon")},
            "follow_up_days": follow_up.fillna(0).astype("int64"),
        }
    )
    first = _first_responses(pairs)
    table = table.merge(first, on="attack_id", how="left")
    is_answered = (table["days_to_response"].notna() & (table["days_to_response"] <= table["follow_up_days"])).fillna(
        False
    )
    for column in ("response_id", "link", "days_to_response", "days_to_response_min", "days_to_response_max"):
        table[column] = table[column].where(is_answered)  # a response after the follow-up ended does not count
    table["is_answered"] = is_answered.astype(bool)
    table["duration_days"] = table["days_to_response"].fillna(table["follow_up_days"]).astype("int64")
    table["censored_by"] = pd.Series(
        np.where(table["follow_up_days"] >= horizon_days, "horizon", "end of data"), index=table.index, dtype="string"
    ).where(~is_answered)
    table = table.reindex(columns=list(TIME_TO_RESPONSE_COLUMNS)).astype(TIME_TO_RESPONSE_COLUMNS)
    table["horizon_days"] = horizon_days
    if casualties is not None:
        table["has_us_casualties"] = is_in(table["attack_id"], attacks_with_us_casualties(casualties))
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
    """Return, per attack, the pair with the shortest lag as time_to_response columns (see first_pairs)."""
    first = first_pairs(pairs)
    bound = {c: first[c] if c in first else first["lag_days"] for c in ("lag_days_min", "lag_days_max")}
    return pd.DataFrame(
        {
            "attack_id": first["attack_id"].astype("string"),
            "response_id": first["response_id"].astype("string"),
            "link": first["link"].astype("string") if "link" in first else pd.NA,
            "days_to_response": first["lag_days"].astype("Int64"),
            "days_to_response_min": bound["lag_days_min"].astype("Int64"),
            "days_to_response_max": bound["lag_days_max"].astype("Int64"),
        }
    )


def first_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Keep one pair per attack: its first response (shortest lag; hours, then response id, break ties).

    Lag statistics count each attack once: a strike wave split into one row per country, or a strike answering
    ten attacks, no longer weighs as several pairs.
    """
    usable = pairs[pairs["lag_days"].notna()]
    if "is_attack_in_data" in usable:
        usable = usable[usable["is_attack_in_data"].fillna(False).astype(bool)]
    hours = usable["lag_hours"] if "lag_hours" in usable else pd.Series(np.nan, index=usable.index)
    ranked = usable.assign(_hours=hours.astype("Float64")).sort_values(
        ["attack_id", "lag_days", "_hours", "response_id"], kind="stable", na_position="last"
    )
    return ranked.drop_duplicates("attack_id").drop(columns="_hours").reset_index(drop=True)


def lag_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Summarise lags with one pair per attack (its first response; first_pairs), per link type and in all.

    Columns: link, attacks, median_lag_days, shortest / longest, same-day, with hours, with imprecise dates, and
    all_pairs (every pair, to show how many a strike answering several attacks would have added).
    """
    every = pairs[pairs["lag_days"].notna()]
    usable = first_pairs(pairs)
    rows = []
    for link, group in [("all", usable)] + [(k, g) for k, g in usable.groupby("link", sort=True)]:
        lags = group["lag_days"].astype("float64")
        rows.append(
            {
                "link": link,
                "attacks": len(group),
                "all_pairs": len(every) if link == "all" else int(every["link"].eq(link).sum()),
                "median_lag_days": lags.median() if len(group) else pd.NA,
                "shortest_lag_days": group["lag_days"].min() if len(group) else pd.NA,
                "longest_lag_days": group["lag_days"].max() if len(group) else pd.NA,
                "answered_same_day": int(group["lag_days"].eq(0).sum()),
                "with_hours": int(group["lag_hours"].notna().sum()),
                "with_imprecise_dates": int((group["lag_days_max"] > group["lag_days_min"]).sum()),
            }
        )
    return pd.DataFrame(rows).astype(
        {"median_lag_days": "Float64", "shortest_lag_days": "Int64", "longest_lag_days": "Int64"}
    )


def late_explicit_answers(ttr: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Return the attacks not answered within their follow-up that a source nonetheless ties to a later response.

    Columns: attack_id, days_to_response (the shortest such lag). These attacks count as unanswered within
    the horizon, though a source says a strike answered them (e.g. the June 2021 strikes, weeks after the
    attacks they name).
    """
    explicit = pairs[pairs["link"].eq("explicit").fillna(False) & pairs["lag_days"].notna()]
    unanswered = ttr.loc[~ttr["is_answered"].astype(bool), "attack_id"]
    late = explicit[is_in(explicit["attack_id"], unanswered)]
    return (
        late.groupby("attack_id", sort=True)["lag_days"].min().astype("Int64").rename("days_to_response").reset_index()
    )


def answered_attacks(events, horizon_days: int = ANSWER_RULE.horizon_days, **rule) -> pd.Series:
    """Flag each attack (by its events-table index) answered under the one rule (see the module docstring).

    ``rule`` passes strategy / same / window_days / data_end on to time_to_response.
    """
    events = events_table(events)
    attacks = events[events["role"].eq("attack").fillna(False)]
    ttr = time_to_response(events, horizon_days, **rule).set_index("attack_id")
    flags = attacks["event_id"].map(ttr["is_answered"]).fillna(False).astype(bool)
    return flags.rename("is_answered")


def response_share(
    events,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    horizon_days: int = ANSWER_RULE.horizon_days,
    confidence: float = 0.95,
    **rule,
) -> pd.DataFrame:
    """Share of attacks answered under the one rule, with a Wilson interval, per group and / or per period.

    The share is answered / (answered + unanswered): attacks the data stopped following before the horizon are
    counted in ``still_open`` and left out, as in response_rates. Only groups / periods with an attack have a
    row. Columns: [period_start], <by...>, attacks, answered_attacks, answered_by_source (answered by a strike a
    source ties to the attack, not by inference), unanswered_attacks, still_open, response_share, share_low,
    share_high.
    """
    from statsmodels.stats.proportion import proportion_confint

    if not 0 < confidence < 1:
        raise ParameterError(f"confidence={confidence!r} must be between 0 and 1, e.g. 0.95")
    events = events_table(events)
    by = check_names("by", by)
    ttr = time_to_response(events, horizon_days, **rule)
    attacks = events.set_index("event_id").loc[ttr["attack_id"]]
    keys = event_groups(attacks.reset_index(), by).set_axis(ttr.index)
    if freq is not None:
        keys.insert(0, "period_start", period_start(ttr["attack_date"], check_freq(freq)))
    keys = keys.assign(
        attacks=1,
        answered_attacks=ttr["is_answered"].astype(int),
        answered_by_source=(ttr["is_answered"] & ttr["link"].eq("explicit").fillna(False)).astype(int),
        unanswered_attacks=ttr["censored_by"].eq("horizon").fillna(False).astype(int),
        still_open=ttr["censored_by"].eq("end of data").fillna(False).astype(int),
    )
    measures = ["attacks", "answered_attacks", "answered_by_source", "unanswered_attacks", "still_open"]
    key_columns = [c for c in keys.columns if c not in measures]
    if key_columns:
        share = keys.groupby(key_columns, sort=True)[measures].sum().reset_index()
    else:
        share = keys[measures].sum().to_frame().T
    share = share[share["attacks"] > 0].astype({m: "Int64" for m in measures})
    answered = share["answered_attacks"].to_numpy(int)
    decided = answered + share["unanswered_attacks"].to_numpy(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        low, high = (proportion_confint(answered, decided, alpha=1 - confidence, method="wilson")
                     if len(share) else ([], []))  # fmt: skip
        value = np.where(decided > 0, answered / np.maximum(decided, 1), np.nan)
    share = share.assign(response_share=value, share_low=np.where(decided > 0, low, np.nan),
                         share_high=np.where(decided > 0, high, np.nan))  # fmt: skip
    share.attrs["basis"] = (
        f"{AnswerRule(horizon_days, rule.get('strategy', ANSWER_RULE.strategy), rule.get('same')).describe()}; "
        f"attacks still open when the data ends are left out; intervals are {confidence:.0%} Wilson score intervals"
    )
    return share.reset_index(drop=True)
