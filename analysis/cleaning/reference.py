"""Hand-kept lookup tables (places, actors, weapons) and the name resolution that uses them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.cleaning.reference_csv import numeric_cells, read_reference_csv
from analysis.core.errors import InputError
from analysis.core.spec import SIDES, WEAPONS
from analysis.core.text import clean_text, name_key

PLACE_COLUMNS = ["name", "aliases", "kind", "country", "admin1", "latitude", "longitude", "geo_precision"]
ACTOR_COLUMNS = ["alias", "name", "side"]
WEAPON_COLUMNS = ["alias", "weapon"]
ACTOR_PATTERN_COLUMNS = ["pattern", "match", "side", "name", "country"]
ACTOR_PATTERN_MATCHES = ("exact", "prefix", "contains")
ACTOR_PATTERNS_FILE = "actor_patterns.csv"


@dataclass(frozen=True)
class Reference:
    """Lookup tables keyed by name_key: places, actors and weapons."""

    places: pd.DataFrame  # index: key; columns: PLACE_COLUMNS
    actors: pd.DataFrame  # index: key; columns: name, side
    weapons: pd.DataFrame  # index: key; columns: weapon
    files: tuple[Path, ...] = ()
    corrections: pd.DataFrame | None = None  # declarative fixes of raw cells (analysis.cleaning.corrections)
    directory: Path | None = None
    actor_patterns: pd.DataFrame | None = None  # ACLED / UCDP actor names -> side (analysis.cleaning.roles)
    place_rule_km: float | None = None  # the role rules' "near a US site" distance (None: roles.PLACE_RULE_KM)


def _keyed(frame: pd.DataFrame, key_source: pd.Series, path: Path) -> pd.DataFrame:
    """Index frame by name_key of key_source, refusing one key that points at two different entries."""
    keyed = frame.assign(key=key_source.map(name_key)).dropna(subset=["key"])
    clashes = keyed.drop(columns=[c for c in ("alias", "aliases") if c in keyed]).drop_duplicates()
    clashes = clashes[clashes.duplicated("key", keep=False)]
    if len(clashes):
        key = clashes["key"].iloc[0]
        raise InputError(path, f"the name key {key!r} maps to different entries: {clashes.to_dict('records')}")
    return keyed.drop_duplicates("key").set_index("key")


def load_places(path: Path) -> pd.DataFrame:
    """Read the gazetteer, one row per name or alias, with numeric coordinates."""
    frame = read_reference_csv(path, PLACE_COLUMNS)
    frame = frame.assign(
        latitude=numeric_cells(frame, "latitude", path, low=-90, high=90),
        longitude=numeric_cells(frame, "longitude", path, low=-180, high=180),
        geo_precision=numeric_cells(frame, "geo_precision", path, low=1, high=3, whole=True),
    )
    spellings = frame.assign(alias=frame["name"] + ";" + frame["aliases"]).assign(
        alias=lambda f: f["alias"].str.split(";")
    )
    spellings = spellings.explode("alias")
    return _keyed(spellings, spellings["alias"], path)[PLACE_COLUMNS]


def load_actors(path: Path) -> pd.DataFrame:
    """Read actor aliases, refusing sides outside the vocabulary."""
    frame = read_reference_csv(path, ACTOR_COLUMNS)
    bad = frame[~frame["side"].isin(SIDES)]
    if len(bad):
        row = bad.index[0] + 2
        raise InputError(path, f"row {row}, column 'side', value {bad['side'].iloc[0]!r}: side must be one of {SIDES}")
    names = pd.DataFrame({"alias": frame["name"], "name": frame["name"], "side": frame["side"]})
    both = pd.concat([frame[ACTOR_COLUMNS], names], ignore_index=True)
    return _keyed(both, both["alias"], path)[["name", "side"]]


def load_weapons(path: Path) -> pd.DataFrame:
    """Read weapon aliases, refusing weapons outside the controlled vocabulary."""
    frame = read_reference_csv(path, WEAPON_COLUMNS)
    bad = frame[~frame["weapon"].isin(WEAPONS)]
    if len(bad):
        row = bad.index[0] + 2
        raise InputError(
            path, f"row {row}, column 'weapon', value {bad['weapon'].iloc[0]!r}: weapon must be one of {WEAPONS}"
        )
    vocabulary = pd.DataFrame({"alias": list(WEAPONS), "weapon": list(WEAPONS)})
    both = pd.concat([frame[WEAPON_COLUMNS], vocabulary], ignore_index=True)
    return _keyed(both, both["alias"], path)[["weapon"]]


def load_actor_patterns(path: Path) -> pd.DataFrame:
    """Read the ACLED / UCDP actor-name patterns: one row per pattern, keyed by name_key, longest first.

    ``match`` is exact (the whole name), prefix (the name starts with it: ACLED adds periods and units, as in
    'Military Forces of the United States (2021-) Marine Corps') or contains; ``country`` limits a row to
    events in one country (blank: anywhere); ``name`` is the canonical name (blank: keep the source's).
    """
    frame = read_reference_csv(path, ACTOR_PATTERN_COLUMNS)
    for column, allowed in (("side", SIDES), ("match", ACTOR_PATTERN_MATCHES)):
        bad = frame[~frame[column].isin(allowed)]
        if len(bad):
            row = bad.index[0] + 2
            raise InputError(
                path, f"row {row}, column '{column}', value {bad[column].iloc[0]!r}: must be one of {allowed}"
            )
    keys = frame["pattern"].map(name_key)
    if keys.isna().any():
        raise InputError(path, f"row {keys.index[keys.isna()][0] + 2}, column 'pattern' is blank")
    table = frame.assign(
        key=keys,
        name=frame["name"].map(clean_text),
        country=frame["country"].map(clean_text),
        row=frame.index + 2,
        key_length=keys.str.len(),
    )
    return table.sort_values(["key_length", "row"], ascending=[False, True]).reset_index(drop=True)


def actor_patterns_path(directory: Path) -> Path:
    """Return the reference folder's actor_patterns.csv, or the project's own when the folder has none."""
    own = Path(directory) / ACTOR_PATTERNS_FILE
    return own if own.exists() else paths.REFERENCE_DIR / ACTOR_PATTERNS_FILE


def load_reference(directory: Path | None = None) -> Reference:
    """Read places.csv, actors.csv and weapons.csv from a reference folder (default: data/raw/reference).

    actor_patterns.csv (ACLED / UCDP actor names) is read from the same folder when present, else the project's.
    """
    directory = Path(directory or paths.REFERENCE_DIR)
    files = (directory / "places.csv", directory / "actors.csv", directory / "weapons.csv")
    from analysis.cleaning.corrections import load_corrections

    return Reference(
        load_places(files[0]),
        load_actors(files[1]),
        load_weapons(files[2]),
        files,
        corrections=load_corrections(directory),
        directory=directory,
        actor_patterns=load_actor_patterns(actor_patterns_path(directory)),
    )


def resolve(values: pd.Series, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Look values up by name_key; return the matched table rows (NA where unknown) and an is_unknown flag."""
    keys = values.map(name_key, na_action="ignore")
    matched = table.reindex(keys.astype(object)).set_axis(values.index)
    is_unknown = keys.notna() & matched.isna().all(axis=1)
    return matched, is_unknown


def tidy_names(values: pd.Series) -> pd.Series:
    """Return names with Unicode variants and stray whitespace cleaned (how unknown names are kept)."""
    return values.map(clean_text, na_action="ignore").astype("string")
