"""Which casualty claim counts: one claim per incident cell (event x side x outcome), conservative or maximal.

Rules (in plain words: docs/casualties.md):
- Credible claims are all claims except those whose claimant the caller lists in ``exclude_claimants``.
- Conservative view: per incident cell, the credible claim with the lowest best; ties go to the lower low,
  then to a bounded claim over an open-ended one (then the lower high), then to the claimant first in
  alphabetical order. Maximal view: the highest best; ties go to an open-ended claim (else the higher
  high), then the higher low, then the claimant first in alphabetical order.
- A claim without a best figure counts its low as best (the incident log's own rule: "2-3" has best 2).

Casualty tallies (analysis.analyses.casualties) and the casualty flag of time to response
(analysis.analyses.response_times) both choose claims here, so they read claims alike.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.core.arrays import pa_array
from analysis.core.errors import ParameterError, check_names
from analysis.core.text import name_key

CELL_KEYS = ["event_id", "side", "outcome"]


VIEWS = ("conservative", "maximal")


MEASURES = ["low", "best", "high"]


def folded_claimants(claimants: pd.Series) -> pd.Series:
    """Return each claimant's matching key (name_key), computed once per distinct name."""
    return claimants.map({name: name_key(name) for name in claimants.dropna().unique()})


def claimant_keys(names, what: str) -> set[str]:
    """Return the matching keys of claimant names (case, accents and punctuation folded)."""
    names = check_names(what, names)
    keys = {name_key(n) for n in names}
    if None in keys:
        raise ParameterError(f"{what}={names!r} holds a blank claimant name")
    return keys


def _codes(values: pd.Series) -> np.ndarray:
    """Return integer codes of a column in sorted order of its values (NA last, with its own code)."""
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes).astype(np.int64)


def _cell_codes(claims: pd.DataFrame, cell: list[str]) -> np.ndarray:
    """Number the incident cells so that sorting by the number sorts by the cell's columns."""
    combined = np.zeros(len(claims), dtype=np.int64)
    for column in cell:
        codes = _codes(claims[column])
        combined, _ = pd.factorize(combined * (codes.max(initial=0) + 1) + codes, sort=True)
    return combined.astype(np.int64)


def _view_order(claims: pd.DataFrame, cells: np.ndarray, view: str) -> np.ndarray:
    """Return row positions sorted by cell, then so that each cell's first row is the claim the view chooses."""
    low = claims["low"].to_numpy("float64", na_value=np.nan)
    best = claims["best"].to_numpy("float64", na_value=np.nan)
    high = claims["high"].to_numpy("float64", na_value=np.inf)  # open-ended: above any bounded figure
    claimant = _codes(claims["claimant"])
    if view == "conservative":
        keys = (claimant, high, low, best, cells)  # np.lexsort sorts by the last key first
    else:
        keys = (claimant, -low, -high, -best, cells)
    return np.lexsort(keys)


def _is_only_claim_of_its_event(event_ids: pd.Series) -> np.ndarray:
    """Flag the rows whose event has no other claim row (one hash pass, no sort)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa_array(event_ids)
    codes = pc.dictionary_encode(array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array).indices
    codes = np.asarray(codes.to_numpy(zero_copy_only=False))
    return np.bincount(codes, minlength=codes.max(initial=-1) + 1)[codes] == 1 if len(codes) else np.zeros(0, bool)


def select_claims(
    casualties: pd.DataFrame,
    view: str = "conservative",
    *,
    exclude_claimants: Iterable[str] = (),
    claimants: Iterable[str] | None = None,
    per_claimant: bool = False,
) -> pd.DataFrame:
    """Choose one credible claim per incident cell (event x side x outcome), with how many claims it had.

    ``view`` is 'conservative' (lowest best) or 'maximal' (highest best); see the module rules for ties.
    ``claimants`` keeps only the named claimants; ``per_claimant`` chooses one claim per claimant and cell.
    Adds ``claims`` (credible claims in the cell) and ``is_disputed`` (they give different figures).

    >>> table = pd.DataFrame({"event_id": ["e", "e"], "side": "militia", "outcome": "killed",
    ...     "low": pd.array([1, 17], "Int64"), "best": pd.array([1, 17], "Int64"),
    ...     "high": pd.array([None, None], "Int64"), "claimant": ["militia official", "local sources"]})
    >>> select_claims(table, "maximal")[["claimant", "best", "claims", "is_disputed"]].values.tolist()
    [['local sources', 17, 2, True]]
    """
    if view not in VIEWS:
        raise ParameterError(f"view={view!r} is not a view; use 'conservative' or 'maximal'")
    claims = casualties.assign(best=casualties["best"].fillna(casualties["low"]))
    folded = folded_claimants(claims["claimant"])
    keep = ~folded.isin(claimant_keys(exclude_claimants, "exclude_claimants"))
    if claimants is not None:
        keep &= folded.isin(claimant_keys(claimants, "claimant"))
    claims = claims[keep.to_numpy()].reset_index(drop=True)
    alone = _is_only_claim_of_its_event(claims["event_id"])
    if alone.all():  # one claim per event, as ACLED and GED give: nothing to choose, no sort of a million ids
        return claims.assign(claims=pd.array(np.ones(len(claims), dtype="int64"), dtype="Int64"), is_disputed=False)
    if alone.any():
        single = claims[alone].assign(claims=pd.array(np.ones(int(alone.sum()), dtype="int64"), dtype="Int64"),
                                      is_disputed=False)  # fmt: skip
        several = select_claims(claims[~alone], view, per_claimant=per_claimant)
        return pd.concat([single, several], ignore_index=True)
    cells = _cell_codes(claims, CELL_KEYS + (["claimant"] if per_claimant else []))
    order = _view_order(claims, cells, view)
    is_first = np.ones(len(order), dtype=bool)
    is_first[1:] = cells[order][1:] != cells[order][:-1]
    chosen_rows = order[is_first]
    claims_per_cell = np.bincount(cells, minlength=cells.max(initial=-1) + 1)
    figures = pd.DataFrame({"cell": cells, **{m: claims[m].to_numpy("float64", na_value=-1.0) for m in MEASURES}})
    distinct_per_cell = np.bincount(figures.drop_duplicates()["cell"].to_numpy(), minlength=len(claims_per_cell))
    chosen_cells = cells[chosen_rows]
    return (
        claims.iloc[chosen_rows]
        .assign(
            claims=pd.array(claims_per_cell[chosen_cells], dtype="Int64"),
            is_disputed=distinct_per_cell[chosen_cells] > 1,
        )
        .reset_index(drop=True)
    )


def claim_label(claim_text, claimant, low=None, best=None, high=None) -> str:
    """Write one claim as text with its claimant in brackets ('at least 17 [local sources]').

    >>> claim_label("3", "CENTCOM"), claim_label("1 [militia official]", "militia official")
    ('3 [CENTCOM]', '1 [militia official]')
    """
    text = None if claim_text is None or pd.isna(claim_text) else str(claim_text)
    if text is None:
        text = range_text(low, best, high)
    if claimant is None or pd.isna(claimant) or f"[{claimant}]" in text:
        return text
    return f"{text} [{claimant}]"


def range_text(low, best, high) -> str:
    """Write a low / best / high figure for readers ('3', '2 (2 to 3)', 'at least 17', '8 (at least 5)').

    >>> range_text(3, 3, 3), range_text(2, 2, 3), range_text(17, 17, None), range_text(5, 8, None)
    ('3', '2 (2 to 3)', 'at least 17', '8 (at least 5)')
    """
    if low is None or pd.isna(low):
        return "not reported"
    low, best = int(low), int(low if best is None or pd.isna(best) else best)
    if high is None or pd.isna(high):
        return f"at least {low}" if best == low else f"{best} (at least {low})"
    high = int(high)
    return str(best) if low == best == high else f"{best} ({low} to {high})"
