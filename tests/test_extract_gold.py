"""The extractor against the hand-coded gold set (tests/data/extract_gold_*): the targets of issue 18.

Reads the source texts from ../shared/sources; skipped with a reason on a clone without that folder.
Reproduce the figures with `python benchmarks/extract_accuracy.py --show-misses`.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.extract.evaluation import evaluate
from tests.conftest import PROJECT_DIR, needs_shared

GOLD_DOCUMENTS = PROJECT_DIR / "tests" / "data" / "extract_gold_documents.csv"
GOLD_EVENTS = PROJECT_DIR / "tests" / "data" / "extract_gold_events.csv"


@pytest.fixture(scope="module")
def result():
    sources = needs_shared("sources")
    return evaluate(GOLD_DOCUMENTS, GOLD_EVENTS, sources)


def test_gold_set__covers_the_seed_articles_and_at_least_fifteen_white_house_texts():
    documents = pd.read_csv(GOLD_DOCUMENTS, dtype=str)
    events = pd.read_csv(GOLD_EVENTS, dtype=str)
    assert documents["doc"].str.startswith("seeds/").sum() == 5
    assert documents["doc"].str.startswith("whitehouse/").sum() >= 15
    counted = events.groupby("doc").size().reindex(documents["doc"], fill_value=0)
    assert counted.tolist() == documents["n_events"].astype(int).tolist()


def test_evaluate__event_recall_and_precision_reach_the_targets(result):
    assert result.n_gold == 104
    assert result.recall >= 0.85, f"recall {result.recall:.3f}"
    assert result.precision >= 0.80, f"precision {result.precision:.3f}"


@pytest.mark.parametrize(("field", "target"), [("date", 0.90), ("place", 0.90), ("kind", 0.90)])
def test_evaluate__field_accuracy_reaches_the_targets(result, field, target):
    assert result.field_accuracy(field) >= target, f"{field} {result.field_accuracy(field):.3f}"


def test_evaluate__every_gold_event_is_listed_once(result):
    gold = result.pairs[result.pairs["match"] != "extra"]
    assert len(gold) == 104
    assert set(gold["match"]) <= {"exact", "near", "missed"}
