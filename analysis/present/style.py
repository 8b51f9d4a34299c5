"""Colours, symbols and labels that every figure and page shares, so a role or a side looks the same everywhere.

One colour per role and per side, fixed across every page and report set; legends of at most MAX_LEGEND
entries (the rest grouped as "other"); bars that span their period; axis titles with units.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.calendar import check_freq

ROLE_COLOURS = {"attack": "#c0392b", "response": "#1f5fa8", "other": "#7f7f7f"}
ROLE_LABELS = {
    "attack": "Attacks on US / coalition forces",
    "response": "US / coalition strikes",
    "other": "Other events",
}
# role -> (colour, marker symbol, legend label): what maps and timelines draw
ROLE_STYLES = {
    "attack": (ROLE_COLOURS["attack"], "circle", ROLE_LABELS["attack"]),
    "response": (ROLE_COLOURS["response"], "diamond", ROLE_LABELS["response"]),
    "other": (ROLE_COLOURS["other"], "square", ROLE_LABELS["other"]),
}
SIDE_COLOURS = {
    "us": "#1f5fa8",
    "coalition": "#6a9fd8",
    "partner": "#2a9d8f",
    "militia": "#c0392b",
    "regime": "#8c564b",
    "iran": "#6b3fa0",
    "civilian": "#e9a03b",
    "other": "#7f7f7f",
    "unknown": "#b0b0b0",
}
SIDE_LABELS = {"us": "US", "iran": "Iran"}  # the others read as they are coded
# count columns of an.event_counts -> colour (attacks and responses in their roles' colours)
COUNT_COLOURS = {
    "attacks": ROLE_COLOURS["attack"],
    "responses": ROLE_COLOURS["response"],
    "intercepted_attacks": "#e67e22",
    "partly_intercepted_attacks": "#f0b27a",
    "attacks_not_intercepted": ROLE_COLOURS["attack"],
    "events": "#7f7f7f",
    "coarse_dated_events": "#b0b0b0",
}
# countries in the same colour on every page (neither the attacks' red nor the responses' blue)
COUNTRY_COLOURS = {"Iraq": "#2a9d8f", "Syria": "#8e6c8a", "Jordan": "#e9a03b", "Lebanon": "#6b8e23", "Iran": "#8c564b"}
# groups (countries, sites, weapons, ...) in colours that are neither the attacks' red nor the responses' blue
GROUP_COLOURS = ("#2a9d8f", "#8e6c8a", "#e9a03b", "#6b8e23", "#8c564b", "#17becf", "#bcbd22")
OTHER_GROUP = "other"
OTHER_COLOUR = "#b0b0b0"
MAX_LEGEND = 8
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
_MILLISECONDS_PER_WEEK = 7 * 24 * 3600 * 1000


def side_text(side) -> str:
    """Write a coded side as readers write it ('us' -> 'US')."""
    return SIDE_LABELS.get(side, side) if isinstance(side, str) else side


def group_colours(names) -> dict[str, str]:
    """Give each group name its colour, in order; countries keep theirs everywhere; 'other' is always grey."""
    colours, number = {}, 0
    for name in names:
        if name == OTHER_GROUP:
            colours[name] = OTHER_COLOUR
        elif name in COUNTRY_COLOURS:
            colours[name] = COUNTRY_COLOURS[name]
        else:
            colours[name] = GROUP_COLOURS[number % len(GROUP_COLOURS)]
            number += 1
    return colours


def top_groups(values: pd.Series, weights: pd.Series | None = None, limit: int = MAX_LEGEND - 1) -> pd.Series:
    """Keep the `limit` largest groups by weight (count by default); label the rest 'other'.

    >>> top_groups(pd.Series(list("aaabbc")), limit=2).tolist()
    ['a', 'a', 'a', 'b', 'b', 'other']
    """
    weights = pd.Series(1, index=values.index) if weights is None else weights
    totals = weights.groupby(values.astype("string").fillna("unknown"), sort=False).sum()
    keep = set(totals.sort_values(ascending=False, kind="stable").index[:limit])
    labels = values.astype("string").fillna("unknown")
    return labels.where(labels.isin(keep), OTHER_GROUP).astype(object)


def period_bars(figure, freq: str) -> None:
    """Make bars dated by their period's first day span the whole period (a week from Saturday, a month, ...)."""
    code = check_freq(freq)
    period = {"W": _MILLISECONDS_PER_WEEK, "M": "M1", "Q": "M3", "Y": "M12"}[code]
    options = {"xperiod": period, "xperiodalignment": "middle"}
    if code == "W":
        options["xperiod0"] = "2000-01-01"  # a Saturday: weeks run Saturday to Friday, as in ACLED
    figure.update_traces(selector={"type": "bar"}, **options)


def finish(figure, *, title: str = "", x_title: str | None = None, y_title: str | None = None, height: int = 420):
    """Lay a figure out as every page does: title, axis titles with units, legend below, whole-number counts."""
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
        font={"family": FONT, "size": 13},
        template="plotly_white",
        height=height,
        legend={"orientation": "h", "y": -0.18, "x": 0, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        hoverlabel={"font_size": 13},
    )
    if x_title is not None:
        figure.update_xaxes(title_text=x_title)
    if y_title is not None:
        figure.update_yaxes(title_text=y_title)
    return figure
