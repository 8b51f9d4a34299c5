"""Official tallies: dated cumulative counts that US officials stated (attacks, wounded, killed, strikes).

`data/raw/reference/official_counts.csv` holds one row per figure as an official stated it: who said it and when,
the window it counts (from window_start to window_end, inclusive), the countries it covers, what it counts
(`measure`), the number and how it was qualified ("about 170", "at least 160"), with a citation. It is read and
checked like every raw table: a bad cell is an error naming the file, row, column and value.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.cleaning.cells import MAX_PLAUSIBLE_COUNT, CellError, parse_date
from analysis.cleaning.reference_csv import read_reference_csv
from analysis.core.errors import InputError, describe_cell
from analysis.core.spec import COUNTRY_TIMEZONES

OFFICIAL_COUNTS_FILE = "official_counts.csv"
COLUMNS = (
    "statement_date", "issuer", "window_start", "window_end", "countries", "measure", "count", "qualifier",
    "source", "source_url", "notes",
)  # fmt: skip
REQUIRED = ("statement_date", "issuer", "window_start", "window_end", "countries", "measure", "count", "qualifier",
            "source")  # fmt: skip
# measure -> what it counts in the event tables (role of events, or a casualty side and outcome)
MEASURES = {
    "attacks_on_us_forces": "attacks on US / coalition forces",
    "us_strikes": "US strikes",
    "us_wounded": "US personnel wounded",
    "us_killed": "US personnel killed",
}
QUALIFIERS = {"exact": "", "about": "about ", "at_least": "at least ", "more_than": "more than "}


def _checked_dates(frame: pd.DataFrame, path: Path) -> dict[str, pd.Series]:
    """Parse the three date columns, raising for the first cell that is not a date."""
    parsed = {}
    for column in ("statement_date", "window_start", "window_end"):
        values = []
        for position, value in enumerate(frame[column]):
            try:
                values.append(pd.Timestamp(parse_date(value)))
            except CellError as error:
                raise InputError(path, f"{describe_cell('', position + 2, column, value)[2:]}: {error}") from None
        parsed[column] = pd.Series(values, index=frame.index, dtype="datetime64[ns]")
    return parsed


def _check_choices(frame: pd.DataFrame, path: Path) -> None:
    """Raise for a measure, qualifier, country, count or citation a reader could not use."""
    checks = [
        ("measure", lambda v: v in MEASURES, f"must be one of {', '.join(MEASURES)}"),
        ("qualifier", lambda v: v in QUALIFIERS, f"must be one of {', '.join(QUALIFIERS)}"),
        ("countries", lambda v: bool(v) and all(c.strip() in COUNTRY_TIMEZONES for c in v.split(";")),
         "must list Iraq, Syria and / or Jordan, separated by ';'"),
        ("count", lambda v: v.isascii() and v.isdigit() and int(v) <= MAX_PLAUSIBLE_COUNT,
         f"must be a whole number up to {MAX_PLAUSIBLE_COUNT:,}"),
        ("source", lambda v: bool(v.strip()), "is blank: every official figure is cited"),
        ("issuer", lambda v: bool(v.strip()), "is blank: say who stated the figure"),
    ]  # fmt: skip
    for column, is_good, expected in checks:
        for position, value in enumerate(frame[column]):
            if not is_good(value):
                raise InputError(path, f"{describe_cell('', position + 2, column, value)[2:]} {expected}")


def load_official_counts(path: Path | None = None) -> pd.DataFrame:
    """Read and check the official tallies (default: data/raw/reference/official_counts.csv)."""
    path = Path(path or paths.REFERENCE_DIR / OFFICIAL_COUNTS_FILE)
    frame = read_reference_csv(path, REQUIRED, what="the official tallies table")
    frame = frame.reindex(columns=list(COLUMNS), fill_value="")
    _check_choices(frame, path)
    dates = _checked_dates(frame, path)
    backwards = dates["window_end"] < dates["window_start"]
    if backwards.any():
        row = int(backwards.idxmax()) + 2
        raise InputError(path, f"row {row}: window_end {frame['window_end'].iloc[row - 2]!r} is before window_start")
    return frame.assign(
        **dates,
        count=frame["count"].astype("int64"),
        countries=frame["countries"].map(lambda v: tuple(sorted(c.strip() for c in v.split(";")))),
        source_row=frame.index + 2,
    )
