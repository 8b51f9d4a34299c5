"""The US / coalition sites: attacks per site, their weapons, interceptions, US casualties and time to response.

A site is the canonical base name the gazetteer gives an event (`site`); attacks without a site (a province, a
road, an unnamed position) are counted apart as "no named site". Frames in, frames out.
"""

from __future__ import annotations

import pandas as pd

from analysis.analyses.claims import select_claims
from analysis.analyses.response_times import ANSWER_RULE, time_to_response
from analysis.core.arrays import is_in
from analysis.core.calendar import check_freq, period_start
from analysis.core.tables import events_of

NO_SITE = "no named site"
SITE_COLUMNS = [
    "site", "country", "attacks", "first_attack", "last_attack", "main_weapon", "main_weapon_share",
    "intercepted_attacks", "attacks_with_interception_known", "us_killed", "us_wounded", "answered_attacks",
    "attacks_followed", "answered_share",
]  # fmt: skip


def _attacks(events: pd.DataFrame, include_convoys: bool) -> pd.DataFrame:
    """Return the attacks, convoys left out unless asked for, each with its site (or NO_SITE)."""
    attacks = events[events["role"].eq("attack").fillna(False)]
    if not include_convoys and "target_kind" in attacks:
        attacks = attacks[~attacks["target_kind"].eq("convoy").fillna(False)]
    return attacks.assign(site=attacks["site"].astype("string").fillna(NO_SITE))


def _us_casualties_per_event(casualties: pd.DataFrame, event_ids: pd.Series, outcome: str) -> pd.Series:
    """Return the conservative US figure per event for one outcome (events with no claim are absent)."""
    rows = casualties[is_in(casualties["event_id"], event_ids)]
    rows = rows[rows["side"].eq("us") & rows["outcome"].eq(outcome)]
    chosen = select_claims(rows, "conservative")
    return chosen.groupby("event_id")["best"].sum()


def site_summary(data, *, include_convoys: bool = False, horizon_days: int = ANSWER_RULE.horizon_days) -> pd.DataFrame:
    """One row per site attacked: attacks, dates, main weapon, interceptions, US casualties, answered share.

    US casualties are the conservative claims summed over the site's attacks; answered follows the one rule
    (analysis.analyses.response_times.ANSWER_RULE); attacks the data stopped following are left out of the share.
    Sorted by attacks, most first; the attacks with no named site last.
    """
    events = events_of(data)
    attacks = _attacks(events, include_convoys)
    if attacks.empty:
        return pd.DataFrame(columns=SITE_COLUMNS)
    casualties = getattr(data, "casualties", None)
    killed = wounded = pd.Series(dtype="Int64")
    if casualties is not None:
        killed = _us_casualties_per_event(casualties, attacks["event_id"], "killed")
        wounded = _us_casualties_per_event(casualties, attacks["event_id"], "wounded")
    ttr = time_to_response(events, horizon_days).set_index("attack_id")
    followed = attacks["event_id"].map(ttr["censored_by"].ne("end of data").fillna(True)).fillna(False)
    work = attacks.assign(
        us_killed=attacks["event_id"].map(killed).fillna(0).astype("int64"),
        us_wounded=attacks["event_id"].map(wounded).fillna(0).astype("int64"),
        is_answered=attacks["event_id"].map(ttr["is_answered"]).fillna(False).astype(bool),
        is_followed=followed.astype(bool),
        is_intercepted=attacks["intercepted"].isin(["yes", "partial"]).fillna(False),
        has_interception=attacks["intercepted"].notna(),
    )
    grouped = work.groupby("site", sort=False)
    table = grouped.agg(
        country=("country", lambda c: ", ".join(sorted(c.dropna().unique()))),
        attacks=("event_id", "size"),
        first_attack=("event_date", "min"),
        last_attack=("event_date", "max"),
        intercepted_attacks=("is_intercepted", "sum"),
        attacks_with_interception_known=("has_interception", "sum"),
        us_killed=("us_killed", "sum"),
        us_wounded=("us_wounded", "sum"),
        answered_attacks=("is_answered", "sum"),
        attacks_followed=("is_followed", "sum"),
    )
    weapons = work.groupby(["site", "weapon"], sort=False).size().rename("n").reset_index()
    weapons = weapons.sort_values(["site", "n", "weapon"], ascending=[True, False, True]).drop_duplicates("site")
    table = table.join(weapons.set_index("site")["weapon"].rename("main_weapon"))
    table["main_weapon_share"] = weapons.set_index("site")["n"] / table["attacks"]
    table["answered_share"] = (table["answered_attacks"] / table["attacks_followed"]).where(
        table["attacks_followed"] > 0
    )
    table = table.reset_index()
    table["_last"] = table["site"].eq(NO_SITE)
    table = table.sort_values(["_last", "attacks", "site"], ascending=[True, False, True], kind="stable")
    return table[SITE_COLUMNS].reset_index(drop=True)


def site_counts(data, freq: str = "M", *, include_convoys: bool = False) -> pd.DataFrame:
    """Attacks per site and period (long: site, period_start, attacks), only periods with attacks."""
    attacks = _attacks(events_of(data), include_convoys)
    starts = period_start(attacks["event_date"], check_freq(freq))
    counts = attacks.assign(period_start=starts).groupby(["site", "period_start"]).size().rename("attacks")
    return counts.reset_index()
