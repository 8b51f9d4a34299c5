"""Score the extractor on a hand-coded gold set: event precision and recall, and per-field accuracy.

An event is found exactly when a candidate of the same document has the same local date, kind and place (places
compared by their canonical gazetteer name). For per-field accuracy, each gold event is also aligned with a
candidate that agrees on the country and on two of date, kind and place; the date, place, kind and casualty
fields (each count with its claimant) are then compared over every aligned pair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.cleaning.cells import CellError, parse_claims
from analysis.cleaning.reference import Reference, load_reference
from analysis.core.text import name_key
from analysis.extract.candidates import candidates_for
from analysis.extract.document import read_document

GOLD_SIDES = ("us", "coalition", "militia", "civilian", "unknown")
CASUALTY_FIELDS = [f"{side}_{outcome}" for side in GOLD_SIDES for outcome in ("killed", "wounded")]


@dataclass(frozen=True)
class Evaluation:
    """Figures of one run over the gold set, and the aligned table they come from."""

    n_gold: int
    n_candidates: int
    n_exact: int
    n_aligned: int
    field_correct: dict[str, int]
    pairs: pd.DataFrame  # one row per gold event and per unaligned candidate

    @property
    def precision(self) -> float:
        """Share of candidates that are gold events (same date, kind and place)."""
        return self.n_exact / self.n_candidates if self.n_candidates else 0.0

    @property
    def recall(self) -> float:
        """Share of gold events found with the same date, kind and place."""
        return self.n_exact / self.n_gold if self.n_gold else 0.0

    def field_accuracy(self, name: str) -> float:
        """Share of aligned events whose field is right."""
        return self.field_correct[name] / self.n_aligned if self.n_aligned else 0.0


def place_key(name: str, reference: Reference) -> str | None:
    """Return the key of a place's canonical gazetteer name (the name itself when the gazetteer lacks it)."""
    key = name_key(name)
    if key in reference.places.index:
        return name_key(reference.places.loc[key, "name"])
    return key


def casualty_claims_key(cell: str) -> frozenset:
    """Return a casualty cell's claims as a comparable set of (low, best, high, claimant key)."""
    try:
        claims = parse_claims(cell, default_claimant="")
    except CellError:
        return frozenset({("unreadable", cell)})
    return frozenset((c.count.low, c.count.best, c.count.high, name_key(c.claimant) or "") for c in claims)


def _casualties_agree(gold: pd.Series, candidate: pd.Series) -> bool:
    """Tell whether every casualty cell of a gold event and its candidate holds the same claims."""
    return all(
        casualty_claims_key(gold.get(f, "")) == casualty_claims_key(candidate.get(f, "")) for f in CASUALTY_FIELDS
    )


def evaluate(gold_documents: Path, gold_events: Path, sources: Path, reference: Reference | None = None) -> Evaluation:
    """Run the extractor on every gold document and compare its candidates with the gold events."""
    reference = reference or load_reference()
    documents = pd.read_csv(gold_documents, dtype=str, keep_default_na=False)
    gold = pd.read_csv(gold_events, dtype=str, keep_default_na=False)
    records, n_candidates, exact, aligned = [], 0, 0, 0
    correct = {"date": 0, "place": 0, "kind": 0, "casualties": 0}
    for doc, published in zip(documents["doc"], documents["published"]):
        document = read_document(sources / doc, published=dt.date.fromisoformat(published))
        candidates = candidates_for([document], reference=reference, log=None)
        n_candidates += len(candidates)
        expected = gold[gold["doc"] == doc]
        pairs = align(expected, candidates, reference)
        for gold_index, candidate_index, how in pairs:
            g = expected.loc[gold_index] if gold_index is not None else None
            c = candidates.loc[candidate_index] if candidate_index is not None else None
            record = {"doc": doc, "event_no": g["event_no"] if g is not None else "", "match": how}
            record |= {f"gold_{k}": g[k] if g is not None else "" for k in ("date", "date_precision", "kind", "place")}
            record |= {
                f"found_{k}": c[k] if c is not None else "" for k in ("date", "date_precision", "kind", "location")
            }
            if g is not None and c is not None:
                exact += how == "exact"
                aligned += 1
                checks = {
                    "date": g["date"] == c["date"],
                    "place": place_key(g["place"], reference) == place_key(c["location"], reference),
                    "kind": g["kind"] == c["kind"],
                    "casualties": _casualties_agree(g, c),
                }
                for name, ok in checks.items():
                    correct[name] += ok
                record |= {f"{k}_ok": v for k, v in checks.items()}
            records.append(record)
    return Evaluation(len(gold), n_candidates, exact, aligned, correct, pd.DataFrame(records))


def align(gold: pd.DataFrame, candidates: pd.DataFrame, reference: Reference) -> list[tuple]:
    """Pair gold events with candidates one to one: exact matches first, then near ones; list the rest alone."""
    free_gold, free_candidates = list(gold.index), list(candidates.index)
    pairs = []

    def agreement(g, c) -> tuple[int, bool]:
        same = [
            gold.loc[g, "date"] == candidates.loc[c, "date"],
            gold.loc[g, "kind"] == candidates.loc[c, "kind"],
            place_key(gold.loc[g, "place"], reference) == place_key(candidates.loc[c, "location"], reference),
        ]
        return sum(same), gold.loc[g, "country"] == candidates.loc[c, "country"]

    for needed, how in ((3, "exact"), (2, "near")):
        for g in list(free_gold):
            for c in free_candidates:
                score, same_country = agreement(g, c)
                if score >= needed and same_country:
                    pairs.append((g, c, how))
                    free_gold.remove(g)
                    free_candidates.remove(c)
                    break
    pairs += [(g, None, "missed") for g in free_gold]
    pairs += [(None, c, "extra") for c in free_candidates]
    return pairs
