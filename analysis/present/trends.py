"""Count and trend figures: bars per period (grouped, never overlaid), shares, fitted models."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.analyses.counts import COUNT_COLUMNS, group_columns, infer_frequency
from analysis.analyses.trends import TrendResult, total_series
from analysis.core.calendar import PERIOD_WORDS
from analysis.core.errors import ParameterError
from analysis.present.style import (
    COUNT_COLOURS,
    OTHER_GROUP,
    ROLE_COLOURS,
    finish,
    group_colours,
    period_bars,
    top_groups,
)

THIN_BARS_FROM = 60  # periods from which bars get no gap (else a six-year weekly chart is blank)


def _readable_bars(figure, periods: int, most: float, freq: str):
    """Bars span their period and stay visible however many there are; counts show whole numbers only."""
    figure.update_traces(marker_line_width=0, selector={"type": "bar"})  # the template's white outline hides thin bars
    figure.update_layout(bargap=0 if periods >= THIN_BARS_FROM else 0.15, bargroupgap=0)
    period_bars(figure, freq)
    figure.update_yaxes(rangemode="tozero", dtick=1 if most <= 8 else None, tickformat=",d")
    return figure


def _hover(word: str, what: str) -> str:
    """Hover text of a count bar: the period and the count in words."""
    return f"{word} of %{{x|%d %b %Y}}: %{{y:,}} {what}<extra></extra>"


def counts_figure(
    counts: pd.DataFrame,
    columns: Sequence[str] = ("attacks", "responses"),
    rolling: TrendResult | None = None,
    title: str = "",
):
    """Bars of counts per period (summed over groups): side by side when few, stacked when many, never overlaid."""
    import plotly.graph_objects as go

    freq = infer_frequency(counts)
    word = PERIOD_WORDS[freq]
    figure = go.Figure()
    most, periods = 0, 0
    for column in columns:
        series = total_series(counts, column)
        most, periods = max(most, series[column].max() if len(series) else 0), max(periods, len(series))
        label = column.replace("_", " ")
        figure.add_bar(x=series["period_start"], y=series[column], name=label,
                       marker_color=COUNT_COLOURS.get(column), hovertemplate=_hover(word, label))  # fmt: skip
    if rolling is not None and rolling.ok and not group_columns(counts):
        for measure, part in rolling.table.groupby("measure", sort=False):
            if measure in columns:
                figure.add_scatter(
                    x=part["period_start"],
                    y=part["rolling_mean"],
                    mode="lines",
                    name=f"{measure.replace('_', ' ')}, rolling mean",
                    line={"color": COUNT_COLOURS.get(measure), "width": 2, "dash": "dot"},
                )
    stacked = periods >= THIN_BARS_FROM
    figure.update_layout(barmode="stack" if stacked else "group")
    if stacked:
        most = sum(total_series(counts, c)[c].max() for c in columns) if periods else 0
    finish(figure, title=title, x_title=f"{word} (bars span the {word})", y_title="events per " + word)
    return _readable_bars(figure, periods, most, freq)


def grouped_counts_figure(counts: pd.DataFrame, column: str = "attacks", title: str = ""):
    """Stacked bars of one count per period, one colour per group (the largest groups; the rest as 'other')."""
    import plotly.graph_objects as go

    groups = group_columns(counts)
    if column not in counts.columns:
        raise ParameterError(
            f"column={column!r} is not in the counts; choose one of {[c for c in COUNT_COLUMNS if c in counts]}"
        )
    freq = infer_frequency(counts)
    word = PERIOD_WORDS[freq]
    figure = go.Figure()
    if not groups:
        figure.add_bar(x=counts["period_start"], y=counts[column], name=column.replace("_", " "),
                       marker_color=COUNT_COLOURS.get(column), hovertemplate=_hover(word, column.replace("_", " ")))  # fmt: skip
    else:
        names = counts[groups].astype("string").fillna("unknown").agg(" / ".join, axis=1)
        labels = top_groups(names, counts[column].fillna(0))
        summed = (
            counts.assign(_group=labels).groupby(["_group", "period_start"], sort=False)[column].sum().reset_index()
        )
        order = summed.groupby("_group")[column].sum().sort_values(ascending=False).index.tolist()
        order = [g for g in order if g != OTHER_GROUP] + ([OTHER_GROUP] if OTHER_GROUP in order else [])
        colours = group_colours(order)
        for name in order:
            part = summed[summed["_group"] == name]
            figure.add_bar(x=part["period_start"], y=part[column], name=str(name), marker_color=colours[name],
                           hovertemplate=f"{name}: " + _hover(word, column.replace("_", " ")))  # fmt: skip
    figure.update_layout(barmode="stack")
    finish(
        figure, title=title, x_title=f"{word} (bars span the {word})", y_title=column.replace("_", " ") + " per " + word
    )
    stacked = counts.groupby("period_start")[column].sum(min_count=1)
    most = float(stacked.max()) if len(stacked) and stacked.notna().any() else 0
    return _readable_bars(figure, len(stacked), most, freq)


def share_figure(share: pd.DataFrame, x: str, title: str = ""):
    """Bar chart of response shares with their 95% intervals; the bar's width of colour says how many attacks."""
    import plotly.graph_objects as go

    labels = share[x].astype(str) if x != "period_start" else share[x]
    decided = share["attacks"] - share.get("still_open", 0)
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=share["response_share"],
            marker_color=ROLE_COLOURS["response"],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": share["share_high"] - share["response_share"],
                "arrayminus": share["response_share"] - share["share_low"],
                "color": "#444444",
                "thickness": 1.2,
            },
            text=[f"{a} of {d}" for a, d in zip(share["answered_attacks"], decided)],
            textposition="outside",
            customdata=share[["attacks", "answered_attacks"]].to_numpy(),
            hovertemplate="%{y:.0%} answered: %{customdata[1]} of %{customdata[0]} attacks<extra></extra>",
        )
    )
    if x == "period_start" and len(share) > 1:
        spacing = share["period_start"].sort_values().diff().dt.days.median()
        period_bars(figure, "W" if spacing <= 7 else "M" if spacing <= 31 else "Q" if spacing <= 92 else "Y")
    figure.update_layout(yaxis_tickformat=".0%", yaxis_range=[0, 1.1])
    return finish(figure, title=title, y_title="share of attacks answered (95% interval)")


def interrupted_time_series_figure(result: TrendResult, title: str = ""):
    """Observed counts with the fitted path and the path without the breaks, and a line at each break."""
    import plotly.graph_objects as go

    series = result.series
    figure = go.Figure()
    figure.add_bar(x=series["period_start"], y=series["observed"], name="observed", marker_color="lightgray")
    figure.add_scatter(x=series["period_start"], y=series["fitted"], mode="lines", name="model")
    figure.add_scatter(
        x=series["period_start"],
        y=series["without_breaks"],
        mode="lines",
        name="model without the breaks",
        line_dash="dash",
    )
    for term in result.table["term"]:
        if term.startswith("level_"):
            figure.add_vline(
                x=pd.Timestamp(term.removeprefix("level_")).timestamp() * 1000, line_dash="dot", line_color="gray"
            )
    figure.update_layout(title=title, yaxis_title="count")
    return figure


def decomposition_figure(result: TrendResult, title: str = ""):
    """Four stacked panels: observed, trend, seasonal and remainder."""
    from plotly.subplots import make_subplots

    parts = ["observed", "trend", "seasonal", "remainder"]
    figure = make_subplots(rows=4, cols=1, shared_xaxes=True, subplot_titles=parts, vertical_spacing=0.05)
    for row, part in enumerate(parts, start=1):
        figure.add_scatter(
            x=result.series["period_start"], y=result.series[part], mode="lines", name=part, row=row, col=1
        )
    figure.update_layout(title=title, showlegend=False, height=700)
    return figure


WHAT_IS_COUNTED = [
    "From an event table (the incident log, or ACLED / UCDP GED event exports), an attack is an event coded as a "
    "militia attack on US or coalition forces, a response a US or coalition strike on militias, an intercepted "
    "attack one coded intercepted = yes.",
    "Weeks run Saturday to Friday and are labelled by their Saturday, as in ACLED's weekly files; a week or month "
    "with nothing in the data counts as zero, although it may be a gap in the sources rather than a quiet spell.",
    "ACLED weekly aggregates hold, per week and province, events per sub-event type with no actors: they cannot say "
    "who fired at whom, so their series measure remote violence or battles by anyone in those places, never attacks "
    "on US forces or US responses.",
]
WHAT_MODELS_SHOW = [
    "They describe the counts, not the war: a jump can come from more attacks or from more reporting of them.",
    "A jump at a break date is not its cause: anything else that changed around that date is mixed in, and break "
    "dates chosen after looking at the chart make the jumps look surer than they are.",
    '"Granger-causes" means "helps predict": strikes and attacks can rise together because both answer the same '
    "events, and weekly counts hide reactions within a week.",
    "With a few dozen attacks the intervals are wide, and the models refuse, with a sentence, when the data are too "
    "thin for them.",
]
