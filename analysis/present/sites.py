"""The sites page for readers: findings per site, attacks per site over time, and weapons per site."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.sites import NO_SITE
from analysis.present.findings import Finding
from analysis.present.style import OTHER_GROUP, finish, group_colours, top_groups
from analysis.present.text import count_text

SITE_LABELS = {
    "first_attack": "first attack",
    "last_attack": "last attack",
    "main_weapon": "main weapon",
    "main_weapon_share": "main weapon share",
    "intercepted_attacks": "intercepted",
    "attacks_with_interception_known": "interception reported",
    "us_killed": "US killed",
    "us_wounded": "US wounded",
    "answered_attacks": "answered within 14 days",
    "attacks_followed": "followed 14 days",
    "answered_share": "share answered",
}


def site_findings(summary: pd.DataFrame, section: str = "") -> list[Finding]:
    """Findings from the sites table: where US personnel were hurt, and where attacks were intercepted."""
    named = summary[summary["site"] != NO_SITE]
    if named.empty:
        return []
    out = []
    hurt = named[(named["us_killed"] + named["us_wounded"]) > 0].sort_values(
        ["us_killed", "us_wounded"], ascending=False
    )
    if len(hurt):
        top = hurt.iloc[0]
        out.append(Finding(
            f"US casualties were heaviest at {top['site']}: {int(top['us_killed'])} killed and {int(top['us_wounded'])} "
            f"wounded in the lowest credible claims, in {count_text(int(top['attacks']), 'attack')}.", section))  # fmt: skip
    # Sources report an outcome mostly when an attack is stopped, so a share of 'outcomes reported' is near 100%
    # everywhere: name the site with the most interceptions, as a count.
    intercepted = named[named["intercepted_attacks"] > 0].sort_values(
        ["intercepted_attacks", "attacks"], ascending=False, kind="stable"
    )
    if len(intercepted):
        best = intercepted.iloc[0]
        out.append(Finding(
            f"Most interceptions were reported at {best['site']}: {int(best['intercepted_attacks'])} of its "
            f"{count_text(int(best['attacks']), 'attack')} were stopped in whole or in part. Sources seldom say when an "
            "attack was not stopped, so this is a count, not a rate.", section))  # fmt: skip
    answered = named[named["attacks_followed"] >= 5].sort_values("answered_share", ascending=False)
    if len(answered):
        top = answered.iloc[0]
        out.append(Finding(
            f"Attacks on {top['site']} drew a strike within 14 days most often: {int(top['answered_attacks'])} of "
            f"{int(top['attacks_followed'])} ({top['answered_share']:.0%}).", section))  # fmt: skip
    return out


def sites_over_time_figure(counts: pd.DataFrame, top: int = 12):
    """A heat map of attacks per site and month: the most attacked sites in rows, the rest as 'other sites'."""
    import plotly.graph_objects as go

    totals = counts.groupby("site")["attacks"].sum().sort_values(ascending=False)
    keep = [s for s in totals.index if s != NO_SITE][:top]
    labelled = counts.assign(site=counts["site"].where(counts["site"].isin(keep), "other sites"))
    table = labelled.pivot_table(index="site", columns="period_start", values="attacks", aggfunc="sum", fill_value=0)
    months = pd.period_range(table.columns.min(), table.columns.max(), freq="M").start_time
    table = table.reindex(columns=months, fill_value=0)
    rows = [s for s in keep if s in table.index] + (["other sites"] if "other sites" in table.index else [])
    table = table.loc[rows[::-1]]
    figure = go.Figure(go.Heatmap(
        z=table.to_numpy(), x=list(table.columns), y=list(table.index), colorscale="Reds", xperiod="M1",
        xperiodalignment="middle", hovertemplate="%{y}, %{x|%b %Y}: %{z} attacks<extra></extra>",
        colorbar={"title": "attacks"},
    ))  # fmt: skip
    return finish(
        figure, title="Attacks per site and month", x_title="month", y_title=None, height=140 + 28 * len(rows)
    )


def weapons_by_site_figure(events: pd.DataFrame, top: int = 12, *, include_convoys: bool = False):
    """Stacked bars: the weapons used against each of the most attacked sites."""
    import plotly.graph_objects as go

    attacks = events[events["role"].eq("attack")]
    if not include_convoys and "target_kind" in attacks:
        attacks = attacks[~attacks["target_kind"].eq("convoy").fillna(False)]
    attacks = attacks[attacks["site"].notna()]
    order = attacks["site"].value_counts().index[:top].tolist()
    attacks = attacks[attacks["site"].isin(order)]
    weapons = top_groups(attacks["weapon"])
    table = pd.crosstab(attacks["site"], weapons).reindex(order)
    columns = [c for c in table.sum().sort_values(ascending=False).index if c != OTHER_GROUP]
    columns += [OTHER_GROUP] if OTHER_GROUP in table.columns else []
    colours = group_colours(columns)
    figure = go.Figure([
        go.Bar(y=table.index[::-1], x=table[c][::-1], name=str(c), orientation="h", marker_color=colours[c],
               hovertemplate=f"%{{y}}: %{{x}} attacks with {c}<extra></extra>")
        for c in columns
    ])  # fmt: skip
    figure.update_layout(barmode="stack")
    return finish(figure, title="Weapons used against each site", x_title="attacks", height=160 + 26 * len(order))


def readable_sites(summary: pd.DataFrame) -> pd.DataFrame:
    """The sites table for reading: dates as days, shares as percentages."""
    shown = summary.copy()
    for column in ("first_attack", "last_attack"):
        shown[column] = pd.to_datetime(shown[column]).dt.strftime("%Y-%m-%d")
    for column in ("main_weapon_share", "answered_share"):
        shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else f"{v:.0%}")
    return shown
