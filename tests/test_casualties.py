"""Casualty tallies on hand-made claims whose every total is known, and the US deaths on the shipped log."""

import warnings

import pandas as pd
import pytest

import analysis as an
from analysis.analyses.casualties import claim_coverage, cumulative_tally
from analysis.analyses.claims import range_text, select_claims
from analysis.analyses.counts import period_start as count_period_start
from analysis.present.casualties import casualty_figure, format_tally
from tests.factories import CONTESTED, EVENTS, make_data

NA = None


def row(table: pd.DataFrame, **keys) -> pd.Series:
    """Return the one row of a table matching the given key values."""
    match = table
    for column, value in keys.items():
        match = match[match[column] == value]
    assert len(match) == 1, f"expected one row for {keys}, got {len(match)}"
    return match.iloc[0]


def figures(series: pd.Series, prefix: str = "") -> list:
    """Return low, best, high of a row as a list (NA as None)."""
    return [None if pd.isna(series[f"{prefix}{m}"]) else int(series[f"{prefix}{m}"]) for m in ("low", "best", "high")]


# ---------------------------------------------------------------- views and the NA rule


def test_casualty_tally__conservative_takes_lowest_claim_per_incident():
    tally = an.casualty_tally(make_data(CONTESTED))
    militia = row(tally, side="militia", outcome="killed")
    assert figures(militia) == [1 + 2, 1 + 2, 1 + 3]  # militia official's 1 and CENTCOM's 2-3
    assert (militia["events"], militia["disputed"], militia["open_ended"]) == (2, 1, 0)


def test_casualty_tally__maximal_takes_highest_claim_and_stays_open_ended():
    tally = an.casualty_tally(make_data(CONTESTED), claimant="maximal")
    militia = row(tally, side="militia", outcome="killed")
    assert figures(militia) == [17 + 2, 17 + 2, None]  # "at least 17" has no upper bound, so neither has the sum
    assert militia["open_ended"] == 1
    assert figures(row(tally, side="us", outcome="wounded")) == [41, 41, None]


def test_casualty_tally__missing_high_is_not_zero():
    data = make_data([("e1", "us", "wounded", 5, 5, NA, "A"), ("e4", "us", "wounded", 2, 2, 2, "A")])
    tally = an.casualty_tally(data)
    assert figures(row(tally, side="us", outcome="wounded")) == [7, 7, None]  # never 2 (NA read as 0)


def test_casualty_tally__no_claim_adds_nothing_and_an_explicit_zero_counts():
    data = make_data([("e1", "us", "killed", 3, 3, 3, "A"), ("e4", "us", "killed", 0, 0, 0, "A")])
    killed = row(an.casualty_tally(data), side="us", outcome="killed")
    assert figures(killed) == [3, 3, 3]
    assert killed["events"] == 2  # e4's "0" is a claim; e2 and e3 have none and are not counted


def test_casualty_tally__missing_best_counts_its_low():
    data = make_data([("e1", "us", "wounded", 4, NA, 9, "A")])
    assert figures(row(an.casualty_tally(data), side="us")) == [4, 4, 9]


def test_select_claims__ties_go_to_the_narrower_claim_then_the_alphabetically_first_claimant():
    data = make_data(
        [
            ("e1", "us", "wounded", 2, 2, 3, "B"),
            ("e1", "us", "wounded", 2, 2, 2, "C"),
            ("e2", "militia", "killed", 4, 4, 4, "Z"),
            ("e2", "militia", "killed", 4, 4, 4, "Y"),
        ]
    )
    conservative = select_claims(data.casualties, "conservative").set_index("event_id")
    maximal = select_claims(data.casualties, "maximal").set_index("event_id")
    assert conservative.loc["e1", "claimant"] == "C" and maximal.loc["e1", "claimant"] == "B"
    assert conservative.loc["e2", "claimant"] == "Y" == maximal.loc["e2", "claimant"]
    assert bool(conservative.loc["e1", "is_disputed"]) and not bool(conservative.loc["e2", "is_disputed"])
    assert conservative["claims"].tolist() == [2, 2]


def test_select_claims__maximal_prefers_open_ended_on_equal_best():
    data = make_data([("e1", "us", "wounded", 30, 30, 30, "A"), ("e1", "us", "wounded", 30, 30, NA, "B")])
    assert select_claims(data.casualties, "maximal")["claimant"].tolist() == ["B"]
    assert select_claims(data.casualties, "conservative")["claimant"].tolist() == ["A"]


def test_casualty_tally__excluded_claimants_leave_every_view():
    data = make_data(CONTESTED)
    tally = an.casualty_tally(data, exclude_claimants=["MILITIA OFFICIAL"])  # matched without regard to case
    assert figures(row(tally, side="militia", outcome="killed")) == [17 + 2, 17 + 2, None]
    assert row(tally, side="militia", outcome="killed")["disputed"] == 0


def test_casualty_tally__misspelt_exclusion_warns():
    with pytest.warns(UserWarning, match="no claim in this data is by"):
        an.casualty_tally(make_data(CONTESTED), exclude_claimants=["milita oficial"])


def test_casualty_tally__each_claimant_side_by_side_blank_where_silent():
    tally = an.casualty_tally(make_data(CONTESTED), claimant="each")
    assert tally.columns.names[0] == "claimant"
    militia = tally[(tally["side"] == "militia") & (tally["outcome"] == "killed")].iloc[0]
    assert militia[("local sources", "low")] == 17 and pd.isna(militia[("local sources", "high")])
    assert militia[("CENTCOM", "best")] == 2 and militia[("CENTCOM", "high")] == 3
    assert pd.isna(militia[("White House", "best")])  # the White House made no claim about militia dead
    us_killed = tally[(tally["side"] == "us") & (tally["outcome"] == "killed")].iloc[0]
    assert us_killed[("White House", "events")] == 1 and us_killed[("White House", "best")] == 3


def test_casualty_tally__named_claimant_only():
    tally = an.casualty_tally(make_data(CONTESTED), by=["side"], claimant="local sources")
    assert tally["side"].tolist() == ["militia"] and figures(tally.iloc[0]) == [17, 17, None]


def test_casualty_tally__groups_by_country_actor_and_role():
    data = make_data(CONTESTED)
    by_actor = an.casualty_tally(data, by=["actor", "outcome"])
    assert figures(row(by_actor, initiator="United States Armed Forces", outcome="killed")) == [3, 3, 4]
    by_country = an.casualty_tally(data, by=["country"])
    assert figures(row(by_country, country="Jordan")) == [3 + 31, 3 + 31, None]
    assert set(an.casualty_tally(data, by="role")["role"]) == {"attack", "response"}
    assert an.casualty_tally(data, by=["event_date"])["events"].tolist() == [1, 1, 1]
    assert an.casualty_tally(data, by=["event_id", "side"])["event_id"].tolist() == ["e1", "e2", "e3"]


def test_casualty_tally__unknown_side_is_never_folded_into_a_side():
    data = make_data(
        [("e2", "unknown", "killed", 12, 12, 12, "ACLED"), ("e2", "militia", "killed", 1, 1, 1, "militia official")]
    )
    tally = an.casualty_tally(data)
    assert figures(row(tally, side="unknown")) == [12, 12, 12]
    assert figures(row(tally, side="militia")) == [1, 1, 1]


def test_casualty_tally__warns_when_a_total_across_sides_may_count_people_twice():
    data = make_data(
        [("e2", "unknown", "killed", 12, 12, 12, "ACLED"), ("e2", "militia", "killed", 1, 1, 1, "militia official")]
    )
    with pytest.warns(UserWarning, match="count the same people twice"):
        an.casualty_tally(data, by=["outcome"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        an.casualty_tally(data, by=["side", "outcome"])  # kept apart by side: nothing to warn about


# ---------------------------------------------------------------- periods


def test_casualty_tally__month_zero_filled_and_open_ended_high_kept():
    tally = an.casualty_tally(make_data(CONTESTED), by=["outcome"], freq="M", claimant="maximal")
    assert tally["month"].drop_duplicates().dt.strftime("%Y-%m").tolist() == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
    ]
    march = row(tally, outcome="killed", month=pd.Timestamp("2024-03-01"))
    assert figures(march) == [0, 0, 0] and march["events"] == 0  # no claim dated March: zero, not missing
    assert figures(row(tally, outcome="wounded", month=pd.Timestamp("2024-01-01"))) == [41, 41, None]


def test_casualty_tally__period_in_by_equals_freq():
    data = make_data(CONTESTED)
    pd.testing.assert_frame_equal(
        an.casualty_tally(data, by=["side", "month"]), an.casualty_tally(data, by=["side"], freq="M")
    )


def test_casualty_tally__weeks_are_those_of_event_counts():
    tally = an.casualty_tally(make_data(CONTESTED), by=[], freq="W")
    dates = pd.Series(pd.to_datetime([d for d, *_ in EVENTS.values()]))
    assert set(count_period_start(dates, "W")) <= set(tally["week"])
    assert set(tally["week"].dt.day_name()) == {"Saturday"}
    assert tally["events"].sum() == 3


def test_casualty_tally__both_outcomes_listed_over_time_even_without_claims():
    tally = an.casualty_tally(make_data([("e1", "us", "killed", 3, 3, 3, "A")]), by=["outcome"], freq="Y")
    assert sorted(tally["outcome"]) == ["killed", "wounded"]
    assert figures(row(tally, outcome="wounded")) == [0, 0, 0]


def test_cumulative_tally__running_high_turns_open_ended_for_good():
    data = make_data(
        [
            ("e1", "us", "wounded", 2, 2, 2, "A"),
            ("e2", "us", "wounded", 5, 5, NA, "A"),
            ("e4", "us", "wounded", 1, 1, 1, "A"),
        ]
    )
    running = cumulative_tally(an.casualty_tally(data, by=["outcome"], freq="M"), "month", ["outcome"])
    wounded = running[running["outcome"] == "wounded"]
    assert wounded["best"].tolist() == [2, 7, 7, 8]
    assert wounded["high"].tolist()[0] == 2 and wounded["high"].isna().tolist() == [False, True, True, True]


# ---------------------------------------------------------------- views side by side and notebook helpers


def test_casualty_views__conservative_and_maximal_side_by_side():
    views = an.casualty_views(make_data(CONTESTED))
    militia = row(views, side="militia", outcome="killed")
    assert figures(militia, "conservative_") == [3, 3, 4]
    assert figures(militia, "maximal_") == [19, 19, None]
    assert (militia["events"], militia["disputed"]) == (2, 1)


def test_us_casualties__only_us_side_both_views_cumulative():
    data = make_data(CONTESTED + [("e4", "us", "killed", 1, 1, 1, "White House")])
    per_month = an.us_casualties(data, freq="M")
    assert set(per_month["outcome"]) == {"killed", "wounded"}
    assert per_month["conservative_best"].sum() == 3 + 31 + 1  # the militia dead are not US personnel
    running = an.us_casualties(data, freq="M", cumulative=True)
    last_killed = running[running["outcome"] == "killed"].iloc[-1]
    assert figures(last_killed, "conservative_") == [4, 4, 4]


def test_deadliest_incidents__ranked_with_competing_claims():
    data = make_data(CONTESTED + [("e4", "civilian", "killed", 0, 0, 0, "A")])
    table = an.deadliest_incidents(data, n=5)
    assert table["event_id"].tolist() == ["e2", "e1", "e3"]  # 17 (maximal), 3, 3 (conservative 2); e4's 0 left out
    first = table.iloc[0]
    assert figures(first, "conservative_") == [1, 1, 1] and figures(first, "maximal_") == [17, 17, None]
    assert "1 [militia official]" in first["claims"] and "17 [local sources]" in first["claims"]
    assert bool(first["is_disputed"]) and first["sides"] == "militia"
    assert len(an.deadliest_incidents(data, n=1)) == 1


def test_deadliest_incidents__excluded_claimant_and_sides_filter():
    data = make_data(CONTESTED)
    table = an.deadliest_incidents(data, exclude_claimants=["local sources"])
    assert "local sources" not in " ".join(table["claims"])
    assert an.deadliest_incidents(data, sides=["us"])["event_id"].tolist() == ["e1"]
    assert an.deadliest_incidents(data, outcome="wounded")["claims"].iloc[0].count("[") == 2


def test_claim_coverage__counts_what_the_tallies_rest_on():
    coverage = claim_coverage(make_data(CONTESTED), exclude_claimants=["CENTCOM"])
    assert coverage == {
        "events": 4,
        "events_with_claims": 2,
        "claims": 5,
        "excluded_claims": 1,
        "claimants": 4,
        "incident_cells": 3,
        "disputed_cells": 2,
        "open_ended_claims": 3,
        "unknown_side_claims": 0,
        "us_claims": 3,
    }


def test_format_tally__ranges_as_words():
    views = format_tally(an.casualty_views(make_data(CONTESTED)))
    militia = row(views, side="militia", outcome="killed")
    assert (militia["conservative"], militia["maximal"]) == ("3 (3 to 4)", "at least 19")
    assert list(views.columns) == ["side", "outcome", "incidents", "disputed incidents", "conservative", "maximal"]
    each = format_tally(an.casualty_tally(make_data(CONTESTED), claimant="each"))
    assert row(each, side="militia", outcome="killed")["White House"] == ""


@pytest.mark.parametrize(
    "low, best, high, text",
    [
        (3, 3, 3, "3"),
        (2, 2, 3, "2 (2 to 3)"),
        (17, 17, None, "at least 17"),
        (5, 8, None, "8 (at least 5)"),
        (5, 7, 12, "7 (5 to 12)"),
        (0, 0, 0, "0"),
        (None, None, None, "not reported"),
    ],
)
def test_range_text__cases(low, best, high, text):
    assert range_text(low, best, high) == text


def test_casualty_figure__bars_at_the_conservative_figure_whiskers_to_the_maximal_and_open_ends_marked():
    views = an.casualty_views(make_data(CONTESTED), by=["side", "outcome"], freq="M")
    figure = casualty_figure(views, series="side", facet="outcome")
    bars = {trace.name for trace in figure.data if trace.type == "bar"}
    assert {"militia", "US"} <= bars  # sides as written, one colour each, the pages' colours
    militia = next(t for t in figure.data if t.type == "bar" and t.name == "militia" and max(t.y) > 0)
    assert militia.marker.color == "#c0392b" and "scatter" not in {t.type for t in figure.data if t.name == "militia"}
    february = list(militia.y).index(max(militia.y))
    assert militia.y[february] + militia.error_y.array[february] == 17 + 2  # whisker: "at least 17" and CENTCOM's 2-3
    marker = next(t for t in figure.data if t.name == "militia: open-ended (at least)")
    assert list(marker.y) == [19]  # the whisker stops at the open-ended figure, marked by one triangle
    assert figure.data[0].xperiod == "M1"  # each bar spans its month


def test_casualty_figure__a_running_total_is_drawn_as_steps():
    running = an.us_casualties(make_data(CONTESTED), freq="M", cumulative=True)
    figure = casualty_figure(running, series="outcome")
    assert {t.line.shape for t in figure.data} == {"hv"} and all(t.type == "scatter" for t in figure.data)


# ---------------------------------------------------------------- bad parameters


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"by": ["colour"]}, "cannot group by 'colour'"),
        ({"freq": "D"}, "is not a period"),
        ({"by": ["month"], "freq": "W"}, "give one period"),
        ({"claimant": "nobody"}, "made no claim"),
        ({"claimant": 3}, "must be a name or a list of names"),
        ({"by": ["side", "side"]}, "twice"),
        ({"claimant": "each", "by": ["claimant"]}, "already puts claimants in columns"),
    ],
)
def test_casualty_tally__bad_parameters_raise_one_sentence(kwargs, message):
    with pytest.raises(an.ParameterError, match=message):
        an.casualty_tally(make_data(CONTESTED), **kwargs)


def test_casualty_tally__refuses_casualties_without_their_event():
    data = make_data(CONTESTED)
    data.events = data.events[data.events["event_id"] != "e2"]
    with pytest.raises(an.AnalysisError, match="not in data.events"):
        an.casualty_tally(data)
    with pytest.raises(an.ParameterError, match="must be an EventData"):
        an.casualty_tally(data.casualties)


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"n": 2.5}, {"outcome": "dead"}, {"sides": ["rebels"]}])
def test_deadliest_incidents__bad_parameters(kwargs):
    with pytest.raises(an.ParameterError):
        an.deadliest_incidents(make_data(CONTESTED), **kwargs)


def test_casualty_tally__empty_selection_gives_empty_tables():
    data = make_data([])
    assert an.casualty_tally(data).empty and an.deadliest_incidents(data).empty
    us = an.us_casualties(data)
    assert set(us["outcome"]) == {"killed", "wounded"} and us["conservative_best"].sum() == 0


def test_casualty_tally__follows_filter_data():
    data = an.filter_data(make_data(CONTESTED), start="2024-02-01", countries=["Syria"])
    assert an.casualty_tally(data)["side"].tolist() == ["militia"]


# ---------------------------------------------------------------- the shipped incident log


@pytest.fixture(scope="module")
def shipped(shipped_data):
    """The shipped log, built into a temporary folder (tests/conftest.py)."""
    return shipped_data


def test_casualty_tally__shipped_log_us_killed_match_the_sources(shipped):
    # Checked against each row's citations:
    # - 2019-12-27 K-1: a US civilian contractor killed (US officials, reported 27-28 Dec 2019);
    # - 2020-03-11 Camp Taji: two US service members killed (US Department of Defense), a British one on the
    #   coalition side;
    # - 2023-03-23 Hasakah: War Powers letter of 2023-03-25, "killed one American contractor";
    # - 2024-01-28 Tower 22: President's statement of 2024-01-28, "three U.S. service members were killed".
    # Not a death in an attack: the contractor who died of a cardiac episode during a false alarm at al-Asad on
    # 18 Oct 2023 (in the notes of 2023-10-18-a, data/raw/coding_notes/2023-01-to-11.md).
    expected = {"log:2019-12-27-a": 1, "log:2020-03-11-a": 2, "log:2023-03-23-a": 1, "log:2024-01-28-a": 3}
    for view in ("conservative", "maximal"):
        per_event = an.casualty_tally(shipped, by=["event_id", "side", "outcome"], claimant=view)
        killed = per_event[(per_event["side"] == "us") & (per_event["outcome"] == "killed") & (per_event["best"] > 0)]
        assert dict(zip(killed["event_id"], killed["best"])) == expected
        assert (killed["low"] == killed["high"]).all()  # exact figures, no range
    total = row(an.casualty_tally(shipped), side="us", outcome="killed")
    assert figures(total) == [7, 7, 7]
    assert (
        an.us_casualties(shipped, freq="Y", cumulative=True).query("outcome == 'killed'")["maximal_best"].iloc[-1] == 7
    )
