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
MAX_MAP_PLACES = 1_500  # above this many distinct places, events are counted per 0.1-degree cell
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
    latitude, longitude = located["latitude"].astype(float), located["longitude"].astype(float)
    digits = 3
    if len(pd.unique(latitude.round(3) * 1000 + longitude.round(3))) > MAX_MAP_PLACES:
        digits = 1  # thousands of places: count per cell of 0.1 degree (about 10 km), so the map stays light
        cell = latitude.round(1).astype(str) + "," + longitude.round(1).astype(str)
        top = place.groupby(cell).agg(lambda names: names.value_counts().index[0])
        many = place.groupby(cell).nunique()
        place = cell.map(top) + cell.map(many).map(lambda n: "" if n == 1 else f" and {n - 1} places nearby")
    frame = pd.DataFrame(
        {
            "latitude": latitude.round(digits),
            "longitude": longitude.round(digits),
            "place": place,
            "role": located["role"].fillna("other").astype(str),
            "event_date": located["event_date"],
            "geo_precision": located["geo_precision"].astype("Int64").fillna(AREA_PRECISION),
            "weapon": located["weapon"].astype("string").fillna("unknown") if "weapon" in located else "unknown",
        }
    )
    keys = ["latitude", "longitude", "place", "role"]
    counts = (
        frame.groupby(keys, sort=True)
        .agg(
            events=("event_date", "size"),
            first_date=("event_date", "min"),
            last_date=("event_date", "max"),
            geo_precision=("geo_precision", "max"),
        )
        .reset_index()
    )
    weapons = frame.groupby([*keys, "weapon"], sort=False).size().rename("n").reset_index()
    weapons = weapons.sort_values([*keys, "n", "weapon"], ascending=[True] * 4 + [False, True], kind="stable")
    weapons["text"] = weapons["weapon"].astype(str) + " " + weapons["n"].astype(str)
    top = weapons.groupby(keys, sort=False)["text"].agg(lambda texts: ", ".join(texts.iloc[:3]))
    counts = counts.merge(top.rename("top_weapons").reset_index(), on=keys, how="left")
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
    weapons = f"<br>weapons: {html.escape(row.top_weapons)}" if isinstance(row.top_weapons, str) else ""
    return f"<b>{html.escape(row.place)}</b><br>{row.events:,} {row.role} {noun}<br>{span}{weapons}{where}"


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


LABEL_SPACING_DEGREES = 0.45  # sites closer than this to a more attacked, labelled site get no name of their own


def site_label_trace(
    sites: pd.DataFrame, extent: tuple[float, float, float, float], attacks: pd.Series | None = None, *,
    numbered: bool = False,
):  # fmt: skip
    """Return the US / coalition sites inside the map as markers with their names, so a screenshot names the bases.

    attacks (site -> count) adds the count to each name and orders the labelling: a site is named unless a more
    attacked site within LABEL_SPACING_DEGREES already is (its name stays in the hover). With numbered, every site
    gets its number in the sites table instead (see site_numbers), so none is left unnamed.
    """
    import plotly.graph_objects as go

    west, east, south, north = extent
    inside = sites[sites["longitude"].between(west, east) & sites["latitude"].between(south, north)]
    counts = attacks if attacks is not None else pd.Series(dtype="int64")
    inside = inside.assign(attacks=inside["name"].map(counts).fillna(0).astype(int))
    inside = inside.sort_values(["attacks", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    names = [f"{n} ({a})" if a else n for n, a in zip(inside["name"], inside["attacks"])]
    if numbered:
        labels = [str(number) for number in range(1, len(inside) + 1)]
    else:
        labels, placed = [], []
        for row, name in zip(inside.itertuples(), names):
            crowded = any(abs(row.latitude - lat) < LABEL_SPACING_DEGREES and abs(row.longitude - lon) < LABEL_SPACING_DEGREES
                          for lat, lon in placed)  # fmt: skip
            labels.append("" if crowded or not row.attacks else name)
            if not crowded and row.attacks:
                placed.append((row.latitude, row.longitude))
    return go.Scatter(
        x=inside["longitude"], y=inside["latitude"], text=labels, mode="markers+text", textposition="top right",
        marker={"symbol": "star-square-open", "size": 7, "color": "#222222", "line": {"width": 1}},
        textfont={"size": 10, "color": "#222222"}, name="US / coalition sites (attacks)", hoverinfo="text",
        hovertext=[html.escape(n) for n in names],
    )  # fmt: skip


def site_numbers(sites: pd.DataFrame, attacks: pd.Series) -> pd.DataFrame:
    """Number the sites as a numbered map does (most attacked first): map_number, site, attacks."""
    table = sites.assign(attacks=sites["name"].map(attacks).fillna(0).astype(int))
    table = table.sort_values(["attacks", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return pd.DataFrame({"map_number": range(1, len(table) + 1), "site": table["name"], "country": table["country"],
                         "attacks": table["attacks"]})  # fmt: skip


def event_map(
    events: pd.DataFrame,
    countries: Iterable[str] | None = None,
    *,
    title: str = "Where attacks and strikes happened",
    sites: pd.DataFrame | None = None,
    numbered_sites: bool = False,
):
    """Draw events per place and role on the shipped country borders (works offline, no base-map download).

    countries sets the view (default: the countries in events, else Iraq, Syria and Jordan). Marker area grows
    with the number of events at a place; hollow markers are events placed only to a province or country. Events
    are counted per place and role before drawing, so a million events make a map of their places. With sites
    (the gazetteer's bases, see us_sites) every US / coalition site is named on the map with its attacks.
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
    if sites is not None and len(sites):
        attacked = events.loc[events["role"].eq("attack").fillna(False), "site"].value_counts()
        figure.add_trace(site_label_trace(sites, extent, attacked, numbered=numbered_sites))
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


def us_sites(reference_dir=None) -> pd.DataFrame:
    """Return the gazetteer's US / coalition sites (kind base) with coordinates: name, latitude, longitude."""
    from analysis.cleaning.reference import load_reference

    places = load_reference(reference_dir).places
    bases = places[places["kind"].eq("base") & places["latitude"].notna()]
    return bases[["name", "country", "latitude", "longitude"]].drop_duplicates("name").reset_index(drop=True)
