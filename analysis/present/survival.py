"""Survival figures: the Kaplan-Meier curve of attacks answered and the response rates per period."""

from __future__ import annotations

import numpy as np
import pandas as pd


def kaplan_meier_figure(curve: pd.DataFrame, *, title: str = "Share of attacks answered, by days since the attack"):
    """Draw each group's Kaplan-Meier share answered as a step line over its shaded confidence band."""
    import plotly.colors
    import plotly.graph_objects as go

    palette = plotly.colors.qualitative.Plotly
    figure = go.Figure()
    for number, (name, group) in enumerate(curve.groupby("group", sort=True)):
        color = palette[number % len(palette)]
        red, green, blue = plotly.colors.hex_to_rgb(color)
        figure.add_trace(
            go.Scatter(
                x=group["time_days"],
                y=group["share_answered_upper"],
                mode="lines",
                line={"shape": "hv", "width": 0},
                showlegend=False,
                hoverinfo="skip",
                legendgroup=name,
            )
        )
        figure.add_trace(
            go.Scatter(
                x=group["time_days"],
                y=group["share_answered_lower"],
                mode="lines",
                line={"shape": "hv", "width": 0},
                fill="tonexty",
                fillcolor=f"rgba({red},{green},{blue},0.18)",
                showlegend=False,
                hoverinfo="skip",
                legendgroup=name,
            )
        )
        figure.add_trace(
            go.Scatter(
                x=group["time_days"],
                y=group["share_answered"],
                mode="lines",
                name=name,
                legendgroup=name,
                line={"shape": "hv", "color": color},
                customdata=np.stack(
                    [group["at_risk"], group["share_answered_lower"], group["share_answered_upper"]], axis=1
                ),
                hovertemplate="day %{x}: %{y:.0%} answered (%{customdata[1]:.0%} to %{customdata[2]:.0%}), "
                "%{customdata[0]} attacks still followed<extra>" + name + "</extra>",
            )
        )
    figure.update_layout(
        title=title,
        xaxis_title="days since the attack",
        yaxis_title="share answered",
        yaxis={"range": [0, 1], "tickformat": ".0%"},
        height=400,
    )
    return figure


def response_rates_figure(rates: pd.DataFrame, *, title: str = "Share of attacks answered within the horizon"):
    """Draw the share of attacks answered per period as bars with Wilson intervals (periods without a share: no bar)."""
    import plotly.graph_objects as go

    shown = rates.astype({"share_answered": "float64", "share_lower": "float64", "share_upper": "float64"})
    figure = go.Figure(
        go.Bar(
            x=shown["period"],
            y=shown["share_answered"],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": shown["share_upper"] - shown["share_answered"],
                "arrayminus": shown["share_answered"] - shown["share_lower"],
            },
            customdata=np.stack(
                [shown["answered"], shown["answered"] + shown["unanswered"], shown["still_open"]], axis=1
            ),
            hovertemplate="%{x}: %{customdata[0]} of %{customdata[1]} answered, %{customdata[2]} still open<extra></extra>",
        )
    )
    figure.update_layout(
        title=title,
        xaxis_title="period of the attack",
        yaxis_title="share answered",
        yaxis={"range": [0, 1], "tickformat": ".0%"},
        height=360,
    )
    return figure
