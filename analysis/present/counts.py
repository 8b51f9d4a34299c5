"""Count series for readers: headers and headline figures in words, and notes on what the counts rest on."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.counts import infer_frequency
from analysis.core.calendar import PERIOD_WORDS

# Headers in words for response_share tables (show_table(..., labels=SHARE_LABELS)).
SHARE_LABELS = {
    "period_start": "from",
    "answered_attacks": "answered",
    "answered_by_source": "of which tied by a source",
    "response_share": "share answered",
    "share_low": "interval from",
    "share_high": "interval to",
}


def summary_labels(counts: pd.DataFrame) -> dict[str, str]:
    """Return headers in words for counts_summary(counts): 'periods' become weeks or months.

    >>> summary_labels(pd.DataFrame({"period_start": pd.to_datetime(["2024-01-01", "2024-02-01"])}))["periods"]
    'months'
    """
    word = PERIOD_WORDS[infer_frequency(counts)]
    return {
        "periods": f"{word}s",
        "periods_with_attacks": f"{word}s with attacks",
        "coarse_dated_events": "coarsely dated events",
    }


def headline_counts(counts: pd.DataFrame) -> dict[str, object]:
    """Return the headline figures of a counts table ({label: value}) for show_headline."""
    measures = ["attacks", "responses", "intercepted_attacks"]
    per_period = counts.groupby("period_start")[measures].sum(min_count=1)
    word = PERIOD_WORDS[infer_frequency(counts)]
    figures = {m.replace("_", " "): int(per_period[m].sum()) for m in measures}
    figures[f"{word}s with any attack"] = f"{int(per_period['attacks'].gt(0).sum())} of {len(per_period)}"
    return figures


def counts_notes(counts: pd.DataFrame) -> list[str]:
    """Describe in sentences where a counts table comes from and what to keep in mind when reading it."""
    word = PERIOD_WORDS[infer_frequency(counts)]
    notes = [f"Source of these counts: {counts.attrs.get('basis', 'not recorded')}."]
    coarse = int(counts["coarse_dated_events"].sum())
    if coarse:
        notes.append(
            f"{coarse} events are dated only to a span that reaches outside their {word} (week or month "
            "precision, or an ACLED week that runs into the next month); they are counted at their recorded date."
        )
    return notes
