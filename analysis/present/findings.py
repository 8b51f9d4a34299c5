"""Key findings: the three to five computed sentences each page opens with, each pointing at the section showing it.

Every number comes from the analysis functions the page itself shows, so a finding and its section cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.analyses.casualties import casualty_tally, deadliest_incidents
from analysis.analyses.claims import range_text
from analysis.analyses.response_times import ANSWER_RULE, response_share, time_to_response
from analysis.analyses.sites import NO_SITE, site_summary
from analysis.analyses.survival import median_time_to_response
from analysis.core.arrays import is_in
from analysis.core.calendar import PERIOD_WORDS, period_label, period_start
from analysis.core.tables import events_of
from analysis.present.text import count_text, day_text, interval_text, list_text


@dataclass(frozen=True)
class Finding:
    """One key finding: a sentence with its numbers, and the id of the section that shows it."""

    text: str
    section: str = ""


def _role_count(events: pd.DataFrame, role: str) -> int:
    """Count the events of one role."""
    return int(events["role"].eq(role).sum())


def scope_finding(events: pd.DataFrame, section: str = "") -> Finding:
    """Say how many attacks and strikes the selection holds and over what dates."""
    if events.empty:
        return Finding("The selection holds no events.", section)
    first, last = events["event_date"].min(), events["event_date"].max()
    return Finding(
        f"{count_text(_role_count(events, 'attack'), 'attack')} on US / coalition forces and "
        f"{count_text(_role_count(events, 'response'), 'US / coalition strike')} from {day_text(first)} to "
        f"{day_text(last)}.",
        section,
    )


def busiest_period_finding(events: pd.DataFrame, freq: str = "W", section: str = "") -> Finding | None:
    """Name the week (or month) with the most attacks."""
    attacks = events[events["role"].eq("attack")]
    if attacks.empty:
        return None
    counts = period_start(attacks["event_date"], freq).value_counts()
    top = counts.sort_index().idxmax()
    label = period_label(pd.Series([top]), freq).iloc[0]
    return Finding(
        f"The busiest {PERIOD_WORDS[freq]} was the {label}: {count_text(int(counts[top]), 'attack')}.", section
    )


def most_attacked_site_finding(data, section: str = "") -> Finding | None:
    """Name the site attacked most, with its share of the attacks on named sites."""
    sites = site_summary(data, include_convoys=True)
    named = sites[sites["site"] != NO_SITE]
    if named.empty:
        return None
    top = named.iloc[0]
    others = named.iloc[1:3]["site"].tolist()
    total = int(named["attacks"].sum())
    return Finding(
        f"{top['site']} was attacked most often: {int(top['attacks'])} of the {total:,} attacks on named sites "
        f"({top['attacks'] / total:.0%})" + (f", ahead of {list_text(others)}." if others else "."),
        section,
    )


def answered_finding(events: pd.DataFrame, section: str = "", **rule) -> Finding | None:
    """Say what share of attacks was answered under the one rule, with its interval."""
    share = response_share(events, **rule)
    if share.empty or pd.isna(share["response_share"].iloc[0]):
        return None
    row = share.iloc[0]
    decided = int(row["answered_attacks"] + row["unanswered_attacks"])
    horizon = rule.get("horizon_days", ANSWER_RULE.horizon_days)
    by_source = int(row["answered_by_source"])
    return Finding(
        f"{int(row['answered_attacks']):,} of {decided:,} attacks ({row['response_share']:.0%}, 95% interval "
        f"{row['share_low']:.0%} to {row['share_high']:.0%}) were answered by a US / coalition strike within "
        f"{horizon} days: {by_source:,} by a strike a source ties to the attack, "
        f"{int(row['answered_attacks']) - by_source:,} by the next strike, paired by inference.",
        section,
    )


def median_wait_finding(events, section: str = "", **rule) -> Finding | None:
    """Say how soon a strike came when one answered an attack within the horizon (one pair per attack)."""
    ttr = time_to_response(events, **rule)
    answered = ttr[ttr["is_answered"]]
    if answered.empty:
        return None
    horizon = int(ttr["horizon_days"].iloc[0])
    days = answered["days_to_response"].astype(float)
    same_day = int(days.eq(0).sum())
    median = median_time_to_response(ttr).iloc[0]
    overall = ""
    if pd.notna(median.get("median_days")):
        overall = (" Half of all attacks were answered within "
                   + interval_text(median["median_days"], median.get("median_lower"), median.get("median_upper")) + " days.")  # fmt: skip
    return Finding(
        f"When a strike answered an attack within {horizon} days, it came after a median of {days.median():.0f} days "
        f"(range {days.min():.0f} to {days.max():.0f}); {same_day} of the {len(answered)} were answered the same day."
        + overall,
        section,
    )


def us_casualties_finding(data, section: str = "") -> Finding | None:
    """Give US killed and wounded in militia attacks, each as the range of the credible claims, and apart those
    of other events (Iran's own missile attack on Al-Asad in January 2020 is not a militia attack)."""
    data = _us_claims_only(data)
    by = ["side", "outcome", "role"]
    tally, maximal = (casualty_tally(data, by=by, claimant=claimant) for claimant in ("conservative", "maximal"))
    us = tally[tally["side"] == "us"].set_index(["role", "outcome"])
    high = maximal[maximal["side"] == "us"].set_index(["role", "outcome"])
    if us.empty:
        return Finding("No US casualties are reported in this selection.", section)
    parts = []
    for outcome in ("killed", "wounded"):
        if ("attack", outcome) in us.index:
            row = us.loc[("attack", outcome)]
            high_best = high.at[("attack", outcome), "best"] if ("attack", outcome) in high.index else row["best"]
            spread = f" (up to {int(high_best)} in the highest claims)" if high_best != row["best"] else ""
            parts.append(f"{range_text(row['low'], row['best'], row['high'])} {outcome}{spread}")
    text = "US personnel in militia attacks: " + (" and ".join(parts) or "none reported")
    text += ", in the lowest credible claim per incident."
    others = us[us.index.get_level_values("role") != "attack"]
    others = others[others["best"].fillna(0) > 0]
    if len(others):
        listed = " and ".join(
            f"{range_text(row['low'], row['best'], row['high'])} {outcome}" for (_, outcome), row in others.iterrows()
        )
        text += f" Events that are not militia attacks add {listed}{_largest_other_event(data)}."
    return Finding(text, section)


def _us_claims_only(data):
    """Keep the US casualty claims and their events: the same US figures, without tallying a million rows."""
    from dataclasses import replace

    us = data.casualties[data.casualties["side"].eq("us").fillna(False)]
    return replace(data, events=data.events[is_in(data.events["event_id"], us["event_id"])], casualties=us)


def _largest_other_event(data) -> str:
    """Name the non-attack event with the most US casualties: ', most at Al-Asad Air Base on 8 Jan 2020'."""
    events = events_of(data)
    per_event = casualty_tally(data, by=["event_id", "side"], claimant="conservative")
    per_event = per_event[per_event["side"].eq("us")].merge(events[["event_id", "role", "location", "event_date"]])
    per_event = per_event[per_event["role"].ne("attack")].sort_values("best", ascending=False, kind="stable")
    if per_event.empty:
        return ""
    top = per_event.iloc[0]
    return f", most of them at {top['location']} on {day_text(top['event_date'])}"


def deadliest_finding(data, section: str = "") -> Finding | None:
    """Name the deadliest incident and its claims."""
    top = deadliest_incidents(data, n=1)
    if top.empty:
        return None
    row = top.iloc[0]
    what = {"attack": "the attack", "response": "the US / coalition strikes"}.get(row["role"], "the event")
    return Finding(
        f"The deadliest incident: {what} at {row['location']} on {day_text(row['event_date'])} "
        f"({range_text(row['conservative_low'], row['conservative_best'], row['conservative_high'])} killed in the "
        f"lowest claim, {range_text(row['maximal_low'], row['maximal_best'], row['maximal_high'])} in the highest).",
        section,
    )


def ratio_text(value: float) -> str:
    """Write a rate ratio for readers: two significant digits, never in scientific notation.

    >>> ratio_text(183.4), ratio_text(0.0162), ratio_text(1.84)
    ('180', '0.016', '1.8')
    """
    digits = f"{value:.2g}"
    return f"{float(digits):,.0f}" if value >= 10 else f"{float(digits):f}".rstrip("0").rstrip(".")


def rate_change_finding(result, section: str = "", freq: str = "W", measure: str = "attack") -> Finding | None:
    """Turn an interrupted time series into a sentence: the rate ratio at each break with its interval."""
    rate = {"W": "weekly", "M": "monthly", "Q": "quarterly", "Y": "yearly"}[freq]
    if not result.ok:
        return None  # its section says why no model was fitted: a refusal is not a finding
    levels = result.table[result.table["term"].str.startswith("level_")]
    parts = [
        f"at {day_text(term.removeprefix('level_'))} the {rate} {measure} rate changed by a factor of "
        f"{ratio_text(row.rate_ratio)} (95% interval {ratio_text(row.rate_ratio_low)} to {ratio_text(row.rate_ratio_high)})"
        for term, row in zip(levels["term"], levels.itertuples())
    ]
    return Finding("Trend model: " + "; ".join(parts) + "." if parts else result.method, section) if parts else None


def findings(*candidates: Finding | None, limit: int = 5) -> list[Finding]:
    """Keep the findings that could be computed, at most `limit`."""
    return [f for f in candidates if f is not None][:limit]
