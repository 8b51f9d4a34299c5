"""Count and trend figures: bars per period (grouped, never overlaid), shares, fitted models."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.analyses.counts import COUNT_COLUMNS, group_columns, infer_frequency
from analysis.analyses.trends import TrendResult, total_series
from analysis.core.calendar import PERIOD_WORDS
from analysis.core.errors import ParameterError

# The overview's colours (analysis.present.style.ROLE_STYLES): attacks red, responses blue; intercepted attacks orange.
COUNT_COLOURS = {
    "attacks": "#c0392b",
    "responses": "#1f5fa8",
    "intercepted_attacks": "#e67e22",
    "partly_intercepted_attacks": "#f0b27a",
    "events": "#7f7f7f",
    "coarse_dated_events": "#b0b0b0",
}


# Groups (countries, ...) in colours that are neither the attacks' red nor the responses' blue.
GROUP_COLOURS = ("#2a9d8f", "#8e6c8a", "#e9a03b", "#6b8e23", "#8c564b", "#7f7f7f", "#17becf", "#bcbd22")


THIN_BARS_FROM = 60  # periods from which bars get no gap and no outline (else a six-year weekly chart is blank)


def _readable_bars(figure, periods: int, most: float):
    """Make bars visible however many periods there are, and count axes show whole numbers only."""
    many = periods >= THIN_BARS_FROM
    figure.update_traces(marker_line_width=0, selector={"type": "bar"})  # the template's white outline hides thin bars
    figure.update_layout(bargap=0 if many else 0.15, bargroupgap=0)
    figure.update_yaxes(rangemode="tozero", dtick=1 if most <= 8 else None, tickformat=",d")
    return figure


def counts_figure(
    counts: pd.DataFrame,
    columns: Sequence[str] = ("attacks", "responses"),
    rolling: TrendResult | None = None,
    title: str = "",
):
    """Bar chart of counts per period (summed over groups), with rolling-mean lines when given."""
    import plotly.graph_objects as go

    figure = go.Figure()
    most, periods = 0, 0
    for column in columns:
        series = total_series(counts, column)
        most, periods = max(most, series[column].max() if len(series) else 0), max(periods, len(series))
        figure.add_bar(
            x=series["period_start"],
            y=series[column],
            name=column.replace("_", " "),
            marker_color=COUNT_COLOURS.get(column),
        )
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
    figure.update_layout(
        barmode="overlay" if periods >= THIN_BARS_FROM else "group",
        title=title,
        xaxis_title=PERIOD_WORDS[infer_frequency(counts)] + " starting",
        yaxis_title="count",
        legend={"orientation": "h", "y": -0.2},
    )
    if periods >= THIN_BARS_FROM:
        figure.update_traces(opacity=0.75, selector={"type": "bar"})  # overlaid: both series show in a shared period
    return _readable_bars(figure, periods, most)


def grouped_counts_figure(counts: pd.DataFrame, column: str = "attacks", title: str = ""):
    """Stacked bars of one count per period, one colour per group (e.g. per country)."""
    import plotly.graph_objects as go

    groups = group_columns(counts)
    if column not in counts.columns:
        raise ParameterError(
            f"column={column!r} is not in the counts; choose one of {[c for c in COUNT_COLUMNS if c in counts]}"
        )
    figure = go.Figure()
    if not groups:
        figure.add_bar(
            x=counts["period_start"],
            y=counts[column],
            name=column.replace("_", " "),
            marker_color=COUNT_COLOURS.get(column),
        )
    for number, (key, part) in enumerate(counts.groupby(groups, sort=True) if groups else ()):
        name = " / ".join(map(str, key if isinstance(key, tuple) else (key,)))
        figure.add_bar(
            x=part["period_start"], y=part[column], name=name, marker_color=GROUP_COLOURS[number % len(GROUP_COLOURS)]
        )
    figure.update_layout(
        barmode="stack",
        title=title,
        xaxis_title=PERIOD_WORDS[infer_frequency(counts)] + " starting",
        yaxis_title=column.replace("_", " "),
        legend={"orientation": "h", "y": -0.2},
    )
    stacked = counts.groupby("period_start")[column].sum(min_count=1)
    return _readable_bars(figure, len(stacked), float(stacked.max()) if len(stacked) and stacked.notna().any() else 0)


def share_figure(share: pd.DataFrame, x: str, title: str = ""):
    """Bar chart of response shares with their intervals as error bars."""
    import plotly.graph_objects as go

    figure = go.Figure(
        go.Bar(
            x=share[x].astype(str) if x != "period_start" else share[x],
            y=share["response_share"],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": share["share_high"] - share["response_share"],
                "arrayminus": share["response_share"] - share["share_low"],
            },
            customdata=share[["attacks", "answered_attacks"]].to_numpy(),
            hovertemplate="%{y:.0%} of %{customdata[0]} attacks answered (%{customdata[1]})<extra></extra>",
        )
    )
    figure.update_layout(
        title=title, yaxis_title="share of attacks answered", yaxis_tickformat=".0%", yaxis_range=[0, 1.05]
    )
    return figure


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
