"""Offline maps: country borders from the shipped Natural Earth extract, events drawn on top with plotly.

plotly's geo maps fetch their base map from a CDN and draw nothing offline, so borders are drawn here as
plain scatter traces on longitude / latitude axes (an equirectangular view, with the latitude axis stretched
by 1 / cos(latitude) so that shapes keep their proportions around the middle of the map).
"""

from __future__ import annotations

import functools
import html
import json
import math
from collections.abc import Iterable

import pandas as pd

from analysis import paths
from analysis.core.errors import ParameterError
from analysis.present.style import ROLE_STYLES

BOUNDARIES_PATH = paths.PACKAGE_DIR / "assets" / "boundaries.geojson"
DEFAULT_COUNTRIES = ("Iraq", "Syria", "Jordan")
AREA_PRECISION = 3  # ACLED's geo_precision: 3 = a province or wider area (drawn hollow: not an exact place)
LAND_COLOUR, SELECTED_COLOUR, SEA_COLOUR, BORDER_COLOUR = "#f1efe9", "#e2dccd", "#dce9f2", "#8c8577"


@functools.lru_cache(maxsize=1)
def load_boundaries() -> dict:
    """Return the shipped country borders (GeoJSON FeatureCollection; see analysis/assets/README.md)."""
    return json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))


def boundary_names() -> list[str]:
    """List the countries whose borders are shipped."""
    return [feature["properties"]["name"] for feature in load_boundaries()["features"]]


def country_feature(name: str) -> dict:
    """Return one country's GeoJSON feature, or raise a ParameterError naming the shipped countries."""
    for feature in load_boundaries()["features"]:
        if feature["properties"]["name"] == name:
            return feature
    raise ParameterError(f"no shipped border for country {name!r}; the maps have {boundary_names()}")


def outline(feature: dict) -> tuple[list[float | None], list[float | None]]:
    """Return a feature's rings as longitude and latitude lists, rings separated by None (one plotly trace).

    >>> outline({"geometry": {"coordinates": [[[[0, 0], [1, 0], [0, 1], [0, 0]]]]}})
    ([0, 1, 0, 0, None], [0, 0, 1, 0, None])
    """
    longitudes: list[float | None] = []
    latitudes: list[float | None] = []
    for polygon in feature["geometry"]["coordinates"]:
        for ring in polygon:
            longitudes += [point[0] for point in ring] + [None]
            latitudes += [point[1] for point in ring] + [None]
    return longitudes, latitudes


def map_extent(countries: Iterable[str], margin_degrees: float = 0.8) -> tuple[float, float, float, float]:
    """Return (west, east, south, north) in degrees: the countries' bounding box plus a margin."""
    longitudes, latitudes = [], []
    for name in countries:
        xs, ys = outline(country_feature(name))
        longitudes += [x for x in xs if x is not None]
        latitudes += [y for y in ys if y is not None]
    if not longitudes:
        raise ParameterError("map_extent needs at least one country")
    return (
        min(longitudes) - margin_degrees,
        max(longitudes) + margin_degrees,
        min(latitudes) - margin_degrees,
        max(latitudes) + margin_degrees,
    )


def place_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Count events per place and role (events without coordinates are left out: see missing_coordinates).

    Columns: latitude, longitude, place (site, else location), role, events, first_date, last_date,
    geo_precision (the coarsest of the place's events: 1 the place itself, 2 near it, 3 a province or wider).
    """
    located = events[events["latitude"].notna() & events["longitude"].notna()]
    place = located["site"].fillna(located["location"]).fillna("unnamed place").astype(str)
    frame = pd.DataFrame(
        {
            "latitude": located["latitude"].astype(float).round(3),
            "longitude": located["longitude"].astype(float).round(3),
            "place": place,
            "role": located["role"].fillna("other").astype(str),
            "event_date": located["event_date"],
            "geo_precision": located["geo_precision"].astype("Int64").fillna(AREA_PRECISION),
        }
    )
    counts = (
        frame.groupby(["latitude", "longitude", "place", "role"], sort=True)
        .agg(
            events=("event_date", "size"),
            first_date=("event_date", "min"),
            last_date=("event_date", "max"),
            geo_precision=("geo_precision", "max"),
        )
        .reset_index()
    )
    return counts.sort_values(["events", "place"], ascending=[False, True], kind="stable").reset_index(drop=True)


def missing_coordinates(events: pd.DataFrame) -> int:
    """Count events that cannot be placed on a map (no latitude or longitude)."""
    return int((events["latitude"].isna() | events["longitude"].isna()).sum())


def marker_size(event_counts: pd.Series) -> pd.Series:
    """Scale marker diameters (pixels) with the square root of the number of events, so areas compare."""
    return (7 + 5 * event_counts.astype(float) ** 0.5).clip(upper=48)


def _hover_text(row) -> str:
    """Describe one place for the hover label; names are escaped, so a name holding markup shows as text."""
    span = row.first_date.strftime("%Y-%m-%d")
    if row.last_date != row.first_date:
        span += f" to {row.last_date.strftime('%Y-%m-%d')}"
    noun = "event" if row.events == 1 else "events"
    where = "<br>placed only to an area (province or country)" if row.geo_precision >= AREA_PRECISION else ""
    return f"<b>{html.escape(row.place)}</b><br>{row.events} {row.role} {noun}<br>{span}{where}"


def border_traces(highlight: Iterable[str] = ()) -> list:
    """Return filled outlines of every shipped country, the highlighted ones darker."""
    import plotly.graph_objects as go

    highlight = set(highlight)
    traces = []
    for feature in load_boundaries()["features"]:
        name = feature["properties"]["name"]
        longitudes, latitudes = outline(feature)
        traces.append(
            go.Scatter(
                x=longitudes,
                y=latitudes,
                mode="lines",
                fill="toself",
                hoverinfo="skip",
                showlegend=False,
                fillcolor=SELECTED_COLOUR if name in highlight else LAND_COLOUR,
                line={"color": BORDER_COLOUR, "width": 1.2 if name in highlight else 0.6},
                name=name,
            )
        )
    return traces


def label_trace(extent: tuple[float, float, float, float]):
    """Return the country names inside the map's extent, as a text trace (drawn under the event markers)."""
    import plotly.graph_objects as go

    west, east, south, north = extent
    labels = [
        f["properties"]
        for f in load_boundaries()["features"]
        if west < f["properties"]["label_longitude"] < east and south < f["properties"]["label_latitude"] < north
    ]
    return go.Scatter(
        x=[p["label_longitude"] for p in labels],
        y=[p["label_latitude"] for p in labels],
        text=[p["name"].upper() for p in labels],
        mode="text",
        hoverinfo="skip",
        showlegend=False,
        textfont={"size": 12, "color": "#8a8374"},
    )


def event_map(
    events: pd.DataFrame, countries: Iterable[str] | None = None, *, title: str = "Where attacks and strikes happened"
):
    """Draw events per place and role on the shipped country borders (works offline, no base-map download).

    countries sets the view (default: the countries in events, else Iraq, Syria and Jordan). Marker area grows
    with the number of events at a place; hollow markers are events placed only to a province or country.
    """
    import plotly.graph_objects as go

    countries = list(countries or sorted(events["country"].dropna().unique()) or DEFAULT_COUNTRIES)
    extent = map_extent(countries)
    figure = go.Figure(border_traces(highlight=countries))
    counts = place_counts(events)
    figure.add_trace(label_trace(extent))  # under the markers, so a marker at a country's centre stays visible
    for role, (colour, symbol, label) in ROLE_STYLES.items():
        rows = counts[counts["role"] == role]
        if rows.empty:
            continue
        # plotly's legend draws a trace's first marker: put exact places first, so it shows a full one
        rows = rows.sort_values("geo_precision", kind="stable")
        figure.add_trace(
            go.Scatter(
                x=rows["longitude"],
                y=rows["latitude"],
                mode="markers",
                name=f"{label} ({int(rows['events'].sum())})",
                marker={
                    "size": marker_size(rows["events"]),
                    "color": colour,
                    "opacity": 0.75,
                    "symbol": [f"{symbol}-open" if p >= AREA_PRECISION else symbol for p in rows["geo_precision"]],
                    "line": {"color": colour, "width": 2},
                },
                hovertext=[_hover_text(row) for row in rows.itertuples()],
                hoverinfo="text",
            )
        )
    west, east, south, north = extent
    middle_latitude = math.radians((south + north) / 2)
    figure.update_layout(
        title=title,
        height=560,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor=SEA_COLOUR,
        paper_bgcolor="white",
        legend={"orientation": "h", "y": -0.02, "x": 0},
        hovermode="closest",
    )
    figure.update_xaxes(range=[west, east], visible=False, fixedrange=False)
    figure.update_yaxes(range=[south, north], visible=False, scaleanchor="x", scaleratio=1 / math.cos(middle_latitude))
    return figure
