"""Coverage for readers: how many of the officially counted attacks a selection holds, in one sentence."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.coverage import coverage_of_selection
from analysis.cleaning.official_counts import MEASURES, QUALIFIERS
from analysis.present.text import day_text

# A share above this is not "complete" but a different count: officials' tallies are floors, so allow a margin.
MORE_THAN_COUNTED = 1.25


def coverage_sentence(
    data,
    start=None,
    end=None,
    countries=None,
    *,
    measure: str = "attacks_on_us_forces",
    official: pd.DataFrame | None = None,
) -> str:
    """Say how many of the officially counted events of the selection's widest official window the data holds.

    >>> coverage_sentence(None, "2030-01-01", "2030-12-31", official=pd.DataFrame(columns=["measure"]))
    'No official count of attacks on US / coalition forces covers this selection, so its completeness cannot be checked against one.'
    """
    what = MEASURES[measure]
    chosen = (coverage_of_selection(data, start, end, countries, measure=measure, official=official)
              if data is not None else [])  # fmt: skip
    if len(chosen) == 0:
        return f"No official count of {what} covers this selection, so its completeness cannot be checked against one."
    figure = chosen.iloc[0]
    countries = figure["countries"].replace("; ", ", ")
    window = f"{day_text(figure['window_start'])} to {day_text(figure['window_end'])}"
    held, official = int(figure["data_count"]), int(figure["official_count"])
    if figure["share"] > MORE_THAN_COUNTED:
        # more events than officials counted: other definitions or one attack in several records, not completeness
        return (
            f"This selection holds {held:,} {what} from {window}, where {figure['issuer']} counted "
            f"{QUALIFIERS[figure['qualifier']]}{official:,} in {countries} ({figure['share']:.1f} times as many): its "
            "sources count events the officials did not (other definitions, or one attack in several records), so "
            "read its totals with care."
        )
    return (
        f"This selection holds {held:,} of the {QUALIFIERS[figure['qualifier']]}{official:,} {what} that "
        f"{figure['issuer']} counted in {countries} from {window} ({share_text(figure['share'], figure['qualifier'])})."
    )


def share_text(share: float, qualifier: str) -> str:
    """Write the data's share of an official figure with what its qualifier allows.

    >>> share_text(0.83, "more_than"), share_text(0.83, "about"), share_text(1.2, "exact"), share_text(None, "exact")
    ('at most 83%', 'about 83%', '120%, more than counted', '')
    """
    if share is None or pd.isna(share):
        return ""
    # 'more than 180' makes 149 at most 83% of them; 'about 180' about 83%
    words = {"more_than": "at most ", "at_least": "at most ", "about": "about "}.get(qualifier, "")
    return f"{words}{share:.0%}" + (", more than counted" if share > 1 else "")


def describe(figure) -> str:
    """Write an official figure with its qualifier and window: 'more than 180 from 1 Oct 2023 to 30 Nov 2024'."""
    return (f"{QUALIFIERS[figure['qualifier']]}{int(figure['official_count'])} from {day_text(figure['window_start'])} "
            f"to {day_text(figure['window_end'])}")  # fmt: skip
