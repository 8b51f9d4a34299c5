"""The named calendar of episodes: periods that divide the record for comparisons and trend breaks, and episodes
(named crises) that reports mark on their charts.

`data/raw/reference/episodes.csv`: name, kind (period or episode), start, end (inclusive), description, source.
Periods do not overlap: each date belongs to at most one. Report sets, the lags page's periods and the trend
models' break dates all read this one file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.cleaning.cells import CellError, parse_date
from analysis.core.errors import InputError, describe_cell

EPISODES_FILE = "episodes.csv"
COLUMNS = ("name", "kind", "start", "end", "description", "source")
KINDS = ("period", "episode")


def load_episodes(path: Path | None = None) -> pd.DataFrame:
    """Read and check the episode calendar (default: data/raw/reference/episodes.csv)."""
    path = Path(path or paths.REFERENCE_DIR / EPISODES_FILE)
    if not path.exists():
        raise InputError(path, f"is missing; expected columns: {', '.join(COLUMNS)}")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(path, f"lacks columns {missing}; expected: {', '.join(COLUMNS)}")
    for position, row in enumerate(frame.itertuples(index=False), start=2):
        if not row.name.strip():
            raise InputError(path, f"row {position}, column 'name' is blank")
        if row.kind not in KINDS:
            raise InputError(path, f"{describe_cell('', position, 'kind', row.kind)[2:]} must be period or episode")
    dates = {}
    for column in ("start", "end"):
        values = []
        for position, value in enumerate(frame[column], start=2):
            try:
                values.append(pd.Timestamp(parse_date(value)))
            except CellError as error:
                raise InputError(path, f"{describe_cell('', position, column, value)[2:]}: {error}") from None
        dates[column] = pd.Series(values, index=frame.index, dtype="datetime64[ns]")
    table = frame.assign(**dates)
    backwards = table[table["end"] < table["start"]]
    if len(backwards):
        raise InputError(path, f"row {backwards.index[0] + 2}: end is before start")
    periods = table[table["kind"] == "period"].sort_values("start")
    overlap = periods["start"].iloc[1:].to_numpy() <= periods["end"].iloc[:-1].to_numpy()
    if overlap.any():
        raise InputError(path, f"periods {periods['name'].iloc[overlap.argmax()]!r} and "
                               f"{periods['name'].iloc[overlap.argmax() + 1]!r} overlap: each date is in one period")  # fmt: skip
    return table


def periods_within(episodes: pd.DataFrame, start=None, end=None) -> dict[str, tuple[str, str]]:
    """Return the periods that overlap [start, end], clipped to it, as {name: (first day, last day)}."""
    chosen = {}
    low = pd.Timestamp(start) if start else None
    high = pd.Timestamp(end) if end else None
    for row in episodes[episodes["kind"] == "period"].sort_values("start").itertuples(index=False):
        first = max(row.start, low) if low is not None else row.start
        last = min(row.end, high) if high is not None else row.end
        if first <= last:
            chosen[row.name] = (f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}")
    return chosen


def break_dates_within(episodes: pd.DataFrame, start=None, end=None) -> list[str]:
    """Return the first days of the periods that begin inside (start, end]: the trend models' break dates.

    The first period's start is not a break: the record begins there, nothing comes before it to compare.
    """
    starts = episodes.loc[episodes["kind"] == "period", "start"].sort_values().iloc[1:]
    if start:
        starts = starts[starts > pd.Timestamp(start)]
    if end:
        starts = starts[starts <= pd.Timestamp(end)]
    return [f"{day:%Y-%m-%d}" for day in starts]
