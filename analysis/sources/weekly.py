"""Reader for ACLED's aggregated weekly files (counts per week, admin1 and event type), for trend analysis.

These files hold counts, not events, so ``load_events`` refuses them with a pointer here; read them with
``an.load_weekly_counts(path)``. They have no actors: a count is the events of a type (an air / drone strike, a
shelling) by anyone in a province, never attacks on US forces or US responses;
``analysis.analyses.counts.counts_from_weekly`` names its series accordingly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analysis.cleaning.cells import parse_date, parse_unique_arrays
from analysis.core.errors import InputError
from analysis.sources.checks import Problems, decimal_numbers, text_column, warn_extra_columns, whole_numbers
from analysis.sources.files import display_path, malformed_row_quarantine, read_table
from analysis.sources.format import SourceFormat

REQUIRED = ("week", "country", "admin1", "event_type", "sub_event_type", "events", "fatalities")
OPTIONAL = ("region", "disorder_type", "population_exposure", "id", "centroid_latitude", "centroid_longitude")
KEY_COLUMNS = ("week_start", "region", "country", "admin1", "event_type", "sub_event_type", "disorder_type")
WEEKLY_COLUMNS = {
    "week_start": "datetime64[ns]",
    "region": "string",
    "country": "string",
    "admin1": "string",
    "event_type": "string",
    "sub_event_type": "string",
    "disorder_type": "string",
    "events": "Int64",
    "fatalities": "Int64",
    "population_exposure": "Int64",
    "centroid_latitude": "Float64",
    "centroid_longitude": "Float64",
    "id": "string",
    "source_file": "string",
    "source_row": "Int64",
}
SATURDAY = 5  # Monday is 0: ACLED weeks run Saturday to Friday
MAX_LISTED_PROBLEMS = 5


def week_start(value) -> dt.date:
    """Parse a WEEK cell; ACLED dates a week by its first day, a Saturday."""
    from analysis.cleaning.cells import CellError

    day = parse_date(value)
    if day.weekday() != SATURDAY:
        raise CellError(f"week {day.isoformat()} is a {day:%A}; ACLED weeks start on a Saturday")
    return day


def load_weekly_counts(path: str | Path) -> pd.DataFrame:
    """Read an ACLED aggregated weekly file (CSV or XLSX) into a tidy counts table, one row per input row.

    One row per week x region x country x admin1 x event_type x sub_event_type x disorder_type, with columns:

    * ``week_start`` (datetime64): the Saturday ACLED's WEEK column gives (weeks run Saturday to Friday);
    * ``region``, ``country``, ``admin1``, ``event_type``, ``sub_event_type``, ``disorder_type`` (string;
      empty when an older file lacks the column);
    * ``events``, ``fatalities``, ``population_exposure`` (Int64; population_exposure empty when not given);
    * ``centroid_latitude``, ``centroid_longitude`` (Float64): the admin1 centroid ACLED reports;
    * ``id`` (string): ACLED's ID of the admin1 unit; ``source_file``, ``source_row`` (spreadsheet row).

    Sorted by week_start, country, admin1, event_type, sub_event_type. Nothing is dropped or summed: a cell
    that cannot be read (a WEEK that is not a Saturday, a negative count, ...) or two rows with the same key
    raise an InputError naming file, rows, columns and values.

    Example (an analyst's own file)::

        counts = an.load_weekly_counts("data/external/acled_weekly_middle_east.xlsx")
        counts.groupby("week_start")["events"].sum()
    """

    path = Path(path)
    if not path.exists():
        raise InputError(path, "does not exist")
    raw = read_table(path)
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise InputError(
            path,
            f"is not an ACLED weekly aggregate: it lacks {', '.join(missing)}; expected columns "
            f"{', '.join(c.upper() for c in REQUIRED + OPTIONAL)}",
        )
    return weekly_counts(raw, Path(display_path(path)))


def weekly_counts(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Clean a raw weekly table (snake_case headers) into the tidy counts table, or raise naming every problem."""
    warn_extra_columns(raw, REQUIRED + OPTIONAL, path, "ACLED weekly aggregate")
    rows = pd.Series(raw.index + 2, index=raw.index, dtype="Int64")
    problems = Problems(str(path), rows)
    weeks, reasons = parse_unique_arrays(raw["week"], week_start, skip_blank=False, dtype="datetime64[ns]")
    problems.add("week", raw["week"], reasons)
    counts = {}
    for column in ("events", "fatalities", "population_exposure"):
        counts[column], reasons = whole_numbers(raw, column, low=0, required=column != "population_exposure")
        problems.add(column, raw.get(column), reasons)
    centroids = {}
    for column, bound in (("centroid_latitude", 90), ("centroid_longitude", 180)):
        centroids[column], reasons = decimal_numbers(raw, column, low=-bound, high=bound)
        problems.add(column, raw.get(column), reasons)
    text = {
        c: text_column(raw, c)
        for c in ("region", "country", "admin1", "event_type", "sub_event_type", "disorder_type", "id")
    }
    table = pd.DataFrame(
        {
            "week_start": pd.Series(weeks, index=raw.index, dtype="datetime64[ns]"),
            **{c: text[c] for c in ("region", "country", "admin1", "event_type", "sub_event_type", "disorder_type")},
            **counts,
            **centroids,
            "id": text["id"],
            "source_file": str(path),
            "source_row": rows,
        }
    ).astype(WEEKLY_COLUMNS)
    repeated = table.duplicated(list(KEY_COLUMNS), keep=False).to_numpy() & ~problems.is_bad
    if repeated.any():
        first = table[repeated].groupby(list(KEY_COLUMNS), dropna=False)["source_row"].transform("min")
        problems.add(
            "week",
            raw["week"],
            pd.Series(
                [f"same week, country, admin1, event and disorder type as row {r}" for r in first], index=first.index
            )
            .reindex(raw.index)
            .where(pd.Series(repeated, index=raw.index) & (rows != first.reindex(raw.index))),
        )
    # rows that did not split into cells are not in raw at all: listed from read_table's own record
    quarantine = pd.concat([malformed_row_quarantine(raw, str(path)), problems.table()], ignore_index=True)
    if len(quarantine):
        listed = "; ".join(
            f"row {r.source_row}, column '{r.column}', value {r.value!r}: {r.reason}"
            for r in quarantine.head(MAX_LISTED_PROBLEMS).itertuples()
        )
        more = f" (and {len(quarantine) - MAX_LISTED_PROBLEMS} more)" if len(quarantine) > MAX_LISTED_PROBLEMS else ""
        raise InputError(path, f"has {quarantine['source_row'].nunique()} unreadable rows: {listed}{more}")
    return table.sort_values(
        ["week_start", "country", "admin1", "event_type", "sub_event_type"], kind="stable"
    ).reset_index(drop=True)


def refuse_in_event_tables(raw: pd.DataFrame, path: Path, reference) -> None:
    """Explain that a weekly aggregate is not an event table (load_events reaches here only by mistake)."""
    raise InputError(
        path,
        "is an ACLED weekly aggregate (counts per week and admin1, not events): read it with "
        "an.load_weekly_counts(path), and keep it out of the folders given to load_events / build "
        "(e.g. name it with a leading '_')",
    )


FORMAT = SourceFormat(name="ACLED weekly aggregate", required=REQUIRED, read=refuse_in_event_tables)
