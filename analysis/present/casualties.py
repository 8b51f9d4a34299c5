"""Casualty tallies for readers: ranges as text ('at least 17'), sides as written ('US'), and the figure."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.casualties import PERIODS
from analysis.analyses.claims import MEASURES, VIEWS, range_text
from analysis.core.errors import ParameterError
from analysis.present.style import OTHER_COLOUR, SIDE_COLOURS, finish, group_colours, period_bars, side_text

READER_NAMES = {"events": "incidents", "disputed": "disputed incidents", "is_disputed": "disputed"}


# Sides as readers write them; the others (militia, coalition, partner, ...) read as they are coded.


# Headers in words for the incident tables (show_table(..., labels=INCIDENT_LABELS)).
INCIDENT_LABELS = {
    "event_id": "event",
    "event_date": "date",
    "location": "place",
    "role": "kind",
    "initiator": "carried out by",
}


def _sides_in_words(table: pd.DataFrame) -> pd.DataFrame:
    """Write the side codes of deadliest_incidents' 'sides' and 'claims' columns as readers write them."""
    if "claims" not in table or "sides" not in table:
        return table

    def claims_text(text):
        if not isinstance(text, str):
            return text
        return " | ".join(
            side_text(part.split(": ", 1)[0]) + ": " + part.split(": ", 1)[1] if ": " in part else part
            for part in text.split(" | ")
        )

    return table.assign(
        sides=table["sides"].map(lambda v: ", ".join(side_text(s) for s in v.split(", ")) if isinstance(v, str) else v),
        claims=table["claims"].map(claims_text),
    )


def format_tally(table: pd.DataFrame) -> pd.DataFrame:
    """Write a tally for readers: each low / best / high triple becomes one text column ('at least 17').

    Counts get readers' names (events -> incidents, disputed -> disputed incidents), sides read as written
    ('us' -> 'US').

    Works on casualty_tally (column 'figure'), casualty_views, us_casualties and deadliest_incidents
    (columns 'conservative' and 'maximal') and claimant='each' (one column per claimant, blank where the
    claimant made no claim).
    """
    table = _sides_in_words(table)
    if isinstance(table.columns, pd.MultiIndex):
        keys = [c for c in table.columns if c[1] == ""]
        out = pd.DataFrame({key[0]: table[key].map(side_text) if key[0] == "side" else table[key] for key in keys})
        for claimant in dict.fromkeys(c[0] for c in table.columns if c[1] != ""):
            out[claimant] = [
                range_text(*f) if not pd.isna(f[0]) else "" for f in table[claimant][MEASURES].itertuples(index=False)
            ]
        return out
    prefixes = [p for p in (*VIEWS, "") if all(f"{p}_{m}".lstrip("_") in table for m in MEASURES)]
    triples = {p: [f"{p}_{m}".lstrip("_") for m in MEASURES] for p in prefixes}
    dropped = {c for columns in triples.values() for c in columns} | {c for c in table if c.endswith("open_ended")}
    texts = {
        columns[0]: (prefix or "figure", [range_text(*f) for f in table[columns].itertuples(index=False)])
        for prefix, columns in triples.items()
    }
    out = {}
    for column in table.columns:  # each text column takes the place of its triple's low column
        if column in texts:
            out[texts[column][0]] = texts[column][1]
        elif column == "side":
            out[column] = table[column].map(side_text).to_numpy()
        elif column not in dropped:
            out[READER_NAMES.get(column, column)] = table[column].to_numpy()
    return pd.DataFrame(out, index=table.index)


def claim_coverage_text(coverage: dict[str, int]) -> str:
    """Say in words what claim_coverage counted (events with claims, claimants, disputes, open-ended claims).

    >>> claim_coverage_text({"events": 52, "events_with_claims": 16, "claims": 32, "claimants": 13,
    ...     "excluded_claims": 0, "disputed_cells": 4, "incident_cells": 28, "open_ended_claims": 1}).split(". ")[1]
    'The claimants disagree on 4 of the 28 incidents that carry a claim (one event, one side, killed or wounded); 1 claim gives no upper bound.'
    """

    def count(number: int, one: str, many: str) -> str:
        return f"{number} {one if number == 1 else many}"

    excluded = coverage["excluded_claims"]
    return (
        f"This selection holds {count(coverage['events'], 'event', 'events')}; "
        f"{coverage['events_with_claims']} of them carry casualty claims: {count(coverage['claims'], 'claim', 'claims')} "
        f"by {count(coverage['claimants'], 'claimant', 'claimants')}"
        + (f" ({count(excluded, 'further claim', 'further claims')} left out as not credible)" if excluded else "")
        + f". The claimants disagree on {coverage['disputed_cells']} of the "
        f"{count(coverage['incident_cells'], 'incident', 'incidents')} that carry a claim (one event, one side, "
        f"killed or wounded); {count(coverage['open_ended_claims'], 'claim gives', 'claims give')} no upper bound."
    )


def casualty_figure(views: pd.DataFrame, series: str = "side", facet: str | None = None, *, title: str = ""):
    """Draw casualty_views over time: one bar per period and series at the conservative figure, a whisker up to the
    maximal one, and a triangle where the maximal claim is open-ended ("at least": no source gives an upper bound).

    Bars, not lines: figures per period are not a continuous series, and joined points would draw a steady rise
    between a quiet month and a deadly one. A running total (cumulative_tally) is drawn as steps. One colour per
    side (the pages' fixed colours) or per ``series`` value; one panel per ``facet`` value (e.g. outcome).
    """
    from plotly.subplots import make_subplots

    periods = [p for p in PERIODS if p in views]
    if len(periods) != 1:
        raise ParameterError(
            "casualty_figure needs a table with one period column; make it with casualty_views(by=[...], freq='M')"
        )
    period = periods[0]
    for column in (series, *([facet] if facet else [])):
        if column not in views:
            raise ParameterError(f"the table has no {column!r} column; make it with casualty_views(by=[...], freq=...)")
    running = bool(views.attrs.get("cumulative"))
    panels = sorted(views[facet].dropna().unique()) if facet else [None]
    figure = make_subplots(rows=len(panels), cols=1, shared_xaxes=True, vertical_spacing=0.1,
                           subplot_titles=[str(p) for p in panels] if facet else None)  # fmt: skip
    names = sorted(views[series].dropna().unique())
    colours = (
        {name: SIDE_COLOURS.get(name, OTHER_COLOUR) for name in names} if series == "side" else group_colours(names)
    )
    for row, panel in enumerate(panels, start=1):
        rows_in_panel = views if facet is None else views[views[facet] == panel]
        for name, rows in rows_in_panel.sort_values(period).groupby(series, sort=True):
            label = side_text(name) if series == "side" else str(name)
            traces = _step_traces if running else _bar_traces
            for trace in traces(rows, period, label, colours[name], show_legend=row == 1):
                figure.add_trace(trace, row=row, col=1)
        highest = rows_in_panel[["conservative_high", "maximal_best", "maximal_high"]].astype("Float64").max().max()
        small = pd.isna(highest) or highest <= 8  # whole people: no 2.5 tick on a small axis
        figure.update_yaxes(title_text="people", rangemode="tozero", dtick=1 if small else None, row=row, col=1)
    figure.update_layout(barmode="group", bargap=0.15)
    if not running:
        period_bars(figure, period)
    return finish(figure, title=title, height=300 * len(panels) + 120)


def _hover(rows: pd.DataFrame, name: str) -> list[str]:
    """Describe each period's figure in both views."""
    return [
        f"{name}: conservative {range_text(*c)}; maximal {range_text(*m)}"
        for c, m in zip(
            rows[[f"conservative_{m}" for m in MEASURES]].itertuples(index=False),
            rows[[f"maximal_{m}" for m in MEASURES]].itertuples(index=False),
        )
    ]


def _bar_traces(rows: pd.DataFrame, period: str, name: str, colour: str, show_legend: bool) -> list:
    """One series per period: a bar at the conservative best, a whisker to the maximal figure, open ends marked."""
    import plotly.graph_objects as go

    best = rows["conservative_best"].astype(float)
    upper = rows["maximal_high"].astype("Float64").fillna(rows["maximal_best"].astype("Float64")).astype(float)
    open_ended = rows["maximal_high"].isna().to_numpy() & rows["maximal_best"].notna().to_numpy()
    traces = [
        go.Bar(x=rows[period], y=best, name=name, marker_color=colour, legendgroup=name, showlegend=show_legend,
               error_y={"type": "data", "symmetric": False, "array": (upper - best).clip(lower=0),
                        "arrayminus": (best - rows["conservative_low"].astype(float)).clip(lower=0),
                        "color": "#444444", "thickness": 1.2, "width": 3},
               text=_hover(rows, name), hovertemplate="%{text}<extra></extra>")
    ]  # fmt: skip
    if open_ended.any():
        traces.append(go.Scatter(x=rows[period][open_ended], y=upper[open_ended], mode="markers", legendgroup=name,
                                 marker={"symbol": "triangle-up", "size": 9, "color": colour},
                                 name=f"{name}: open-ended (at least)", showlegend=show_legend, hoverinfo="skip"))  # fmt: skip
    return traces


def _step_traces(rows: pd.DataFrame, period: str, name: str, colour: str, show_legend: bool) -> list:
    """A running total as steps: conservative (solid) and maximal (dashed)."""
    import plotly.graph_objects as go

    hover = _hover(rows, name)
    return [
        go.Scatter(x=rows[period], y=rows["conservative_best"].astype(float), mode="lines", line_shape="hv",
                   line={"color": colour}, name=f"{name}: conservative", legendgroup=name, showlegend=show_legend,
                   text=hover, hovertemplate="%{text}<extra></extra>"),
        go.Scatter(x=rows[period], y=rows["maximal_best"].astype(float), mode="lines", line_shape="hv",
                   line={"color": colour, "dash": "dash"}, name=f"{name}: maximal", legendgroup=name,
                   showlegend=show_legend, hoverinfo="skip"),
    ]  # fmt: skip


HOW_TO_READ = [
    'A claim is a figure with its claimant: "1 [militia official]" and "at least 17 [local sources]" about the same '
    "strike are two claims, and both are kept.",
    "An incident is one event, one side (US, militia, civilians, ...) and one outcome (killed or wounded). Totals add "
    "incidents, one claim each, so no incident is counted twice.",
    "Conservative view: for each incident, the lowest credible claim; maximal view: the highest. The truth may lie "
    "outside both: they show how far the sources differ. Credible means every claimant except those listed in the "
    "exclude_claimants parameter; by default nobody is excluded.",
    'Ranges: "2 (2 to 3)" reads best figure 2, between 2 and 3; "at least 17" means no source gives an upper '
    "bound, and a total with any open-ended part is open-ended too. No claim is not zero: an event nobody reported on "
    'adds nothing; an explicit "no casualties" adds 0.',
    'Side "unknown" holds figures no source attributes to a side, such as ACLED\'s fatality counts; they are never '
    'folded into a side. US personnel are side "US": service members and the contractors of US forces.',
]
