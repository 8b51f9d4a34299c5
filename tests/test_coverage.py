"""Unit tests for the official tallies (analysis.cleaning.official_counts) and coverage against them."""

import pandas as pd
import pytest

import analysis as an
from analysis.analyses.coverage import coverage_of_selection, low_coverage_breaks, official_coverage
from analysis.cleaning.official_counts import COLUMNS, load_official_counts
from analysis.core.errors import InputError
from analysis.present.coverage import coverage_sentence
from tests.factories import attack, make_events, response

GOOD = {
    "statement_date": "2023-11-21", "issuer": "Deputy Pentagon Press Secretary", "window_start": "2023-10-17",
    "window_end": "2023-11-21", "countries": "Iraq;Syria", "measure": "attacks_on_us_forces", "count": "4",
    "qualifier": "about", "source": "DoD, 2023-11-21, Briefing", "source_url": "https://example.org", "notes": "",
}  # fmt: skip


def write_counts(path, *rows):
    """Write official-count rows (GOOD with overrides) as a CSV."""
    pd.DataFrame([{**GOOD, **row} for row in rows], columns=list(COLUMNS)).to_csv(path, index=False)
    return path


def test_load_official_counts__reads_dates_counts_and_countries(tmp_path):
    table = load_official_counts(write_counts(tmp_path / "official_counts.csv", {}))
    row = table.iloc[0]
    assert (row["count"], row["countries"], row["window_start"]) == (4, ("Iraq", "Syria"), pd.Timestamp("2023-10-17"))


@pytest.mark.parametrize(
    "cells, message",
    [
        ({"measure": "rockets"}, "row 2, column 'measure', value 'rockets' must be one of"),
        ({"qualifier": "roughly"}, "column 'qualifier', value 'roughly'"),
        ({"countries": "Iraq;Lebanon"}, "column 'countries', value 'Iraq;Lebanon'"),
        ({"count": "seventy"}, "column 'count', value 'seventy' must be a whole number"),
        ({"window_end": "21/13/2023"}, "column 'window_end', value '21/13/2023'"),
        ({"window_end": "2023-10-01"}, "window_end '2023-10-01' is before window_start"),
        ({"source": " "}, "column 'source'"),
    ],
)
def test_load_official_counts__bad_cells_name_file_row_column_and_value(tmp_path, cells, message):
    path = write_counts(tmp_path / "official_counts.csv", cells)
    with pytest.raises(InputError, match=message) as error:
        load_official_counts(path)
    assert str(path) in str(error.value)


def small_data():
    """Five attacks in the official window (one in Jordan, outside it), one after it, and a strike."""
    events = make_events(
        attack("a1", "2023-10-18", country="Iraq"), attack("a2", "2023-10-20", country="Syria"),
        attack("a3", "2023-11-01", country="Iraq"), attack("a4", "2023-11-02", country="Jordan"),
        attack("a5", "2023-12-01", country="Iraq"), response("r1", "2023-11-03", country="Iraq"),
    )  # fmt: skip
    return events


def test_official_coverage__counts_the_data_over_the_official_window_and_countries(tmp_path):
    official = load_official_counts(write_counts(tmp_path / "c.csv", {}))
    table = official_coverage(small_data(), official)
    assert table[["official_count", "data_count", "share"]].values.tolist() == [[4, 3, 0.75]]


def test_coverage_sentence__states_data_against_official_count(tmp_path):
    official = load_official_counts(write_counts(tmp_path / "c.csv", {}))
    sentence = coverage_sentence(small_data(), "2023-10-01", "2023-12-31", official=official)
    assert sentence == (
        "This selection holds 3 of the about 4 attacks on US / coalition forces that Deputy Pentagon Press "
        "Secretary counted in Iraq, Syria from 17 Oct 2023 to 21 Nov 2023 (about 75%)."
    )
    assert coverage_of_selection(small_data(), "2023-11-01", "2023-12-31", official=official).empty


def test_coverage_sentence__far_more_events_than_officials_counted_is_not_called_complete(tmp_path):
    official = load_official_counts(write_counts(tmp_path / "c.csv", {"count": "2", "qualifier": "more_than"}))
    sentence = coverage_sentence(small_data(), "2023-10-01", "2023-12-31", official=official)
    assert sentence == (
        "This selection holds 3 attacks on US / coalition forces from 17 Oct 2023 to 21 Nov 2023, where Deputy "
        "Pentagon Press Secretary counted more than 2 in Iraq, Syria (1.5 times as many): its sources count events "
        "the officials did not (other definitions, or one attack in several records), so read its totals with care."
    )
    assert "%" not in sentence


def test_interrupted_time_series__refuses_a_break_in_a_thinly_covered_window(tmp_path):
    official = load_official_counts(write_counts(tmp_path / "c.csv", {"count": "40"}))
    coverage = official_coverage(small_data(), official)
    assert [str(when.date()) for when, _ in low_coverage_breaks(coverage, ["2023-10-20", "2024-06-01"], 0.5)] == [
        "2023-10-20"
    ]
    counts = pd.DataFrame({"period_start": pd.date_range("2023-01-07", periods=60, freq="7D"), "period_days": 7,
                           "attacks": 2, "responses": 0})  # fmt: skip
    result = an.interrupted_time_series(counts, break_dates=["2023-10-20"], coverage=coverage)
    assert not result.ok and "The data hold 3 of the about 40 attacks officials counted" in result.refusal
