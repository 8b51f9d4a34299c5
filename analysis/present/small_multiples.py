"""Small multiples as inline SVG: per country, attacks and strikes per month as tiny bar charts.

Plain SVG, no script: a set's index page shows them without loading plotly, and they print as they look.
"""

from __future__ import annotations

import html

import pandas as pd

from analysis.analyses.counts import event_counts
from analysis.present.style import ROLE_COLOURS
from analysis.present.text import day_text

WIDTH, HEIGHT = 360, 46


def bars_svg(values: pd.Series, colour: str, top: float, label: str) -> str:
    """Draw one series as bars on a fixed scale (top), with a text title for screen readers."""
    count = max(len(values), 1)
    step = WIDTH / count
    bars = []
    for number, value in enumerate(values.fillna(0).astype(float)):
        if value <= 0:
            continue
        height = max(1.0, HEIGHT * value / top) if top else 0
        bars.append(
            f"<rect x='{number * step:.1f}' y='{HEIGHT - height:.1f}' width='{max(step - 0.4, 0.6):.1f}' "
            f"height='{height:.1f}' fill='{colour}'/>"
        )
    return (
        f"<svg role='img' width='{WIDTH}' height='{HEIGHT}' viewBox='0 0 {WIDTH} {HEIGHT}' "
        f"style='max-width:100%;height:auto;background:#faf9f6'><title>{html.escape(label)}</title>{''.join(bars)}</svg>"
    )


def country_small_multiples(events: pd.DataFrame, start=None, end=None) -> str:
    """Render, per country, monthly attacks and strikes on one shared scale, with totals: an HTML table."""
    if events.empty:
        return "<p>No events in the selection.</p>"
    counts = event_counts(events, freq="M", by="country", start=start, end=end)
    top = float(counts[["attacks", "responses"]].max().max()) or 1.0
    first, last = counts["period_start"].min(), counts["period_start"].max()
    rows = []
    for country, part in counts.groupby("country", sort=True):
        part = part.sort_values("period_start")
        cells = []
        for column, role, word in (("attacks", "attack", "attacks"), ("responses", "response", "strikes")):
            label = f"{country}: {word} per month, {int(part[column].sum())} in all"
            cells.append(f"<td>{bars_svg(part[column], ROLE_COLOURS[role], top, label)}</td>"
                         f"<td class='number'>{int(part[column].sum()):,}</td>")  # fmt: skip
        rows.append(f"<tr><th>{html.escape(str(country))}</th>{''.join(cells)}</tr>")
    return (
        "<section class='set-summary'><h2>Attacks and strikes per month, by country</h2>"
        f"<p class='small-print'>{day_text(first)} to {day_text(last)}; one bar per month, the same scale in every "
        f"panel (tallest bar: {int(top)} events).</p>"
        "<div class='table-scroll'><table class='small-multiples'><thead><tr><th>country</th><th>attacks</th><th></th>"
        f"<th>US / coalition strikes</th><th></th></tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )
