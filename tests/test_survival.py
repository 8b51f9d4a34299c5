"""Survival estimates on time to response, checked against Kaplan-Meier figures worked out by hand."""

import math

import pandas as pd
import pytest

import analysis as an
from analysis.analyses.response_times import label_periods
from analysis.core.errors import ParameterError
from analysis.present.survival import kaplan_meier_figure, response_rates_figure


def make_ttr(durations, answered, groups=None, horizon_days=30, by="country") -> pd.DataFrame:
    """A minimal time_to_response table: days followed (or to the answer) and whether the attack was answered."""
    follow_up = [horizon_days if a else d for d, a in zip(durations, answered)]
    table = pd.DataFrame(
        {
            "attack_id": [f"a{i}" for i in range(len(durations))],
            "attack_date": pd.date_range("2024-01-01", periods=len(durations), freq="7D"),
            "duration_days": durations,
            "is_answered": answered,
            "follow_up_days": follow_up,
            "censored_by": pd.array(
                [
                    None if a else ("horizon" if d >= horizon_days else "end of data")
                    for d, a in zip(durations, answered)
                ],
                dtype="string",
            ),
            "horizon_days": horizon_days,
        }
    )
    if groups is not None:
        table[by] = pd.array(groups, dtype="string") if not isinstance(groups[0], bool) else groups
    return table


# Five attacks: answered on days 1, 2 and 5; censored at 2 and 10. By hand (Kaplan-Meier):
# day 1: 5 at risk, 1 answered -> S = 0.8; day 2: 4 at risk, 1 answered -> S = 0.6 (one censored after);
# day 5: 2 at risk, 1 answered -> S = 0.3; the curve then stays at 0.3 until day 10.
HAND = make_ttr([1, 2, 2, 5, 10], [True, True, False, True, False])


def test_kaplan_meier__steps_match_the_hand_computation():
    curve = an.kaplan_meier(HAND)
    assert curve["time_days"].tolist() == [0, 1, 2, 5, 10]
    assert curve["share_answered"].round(6).tolist() == [0.0, 0.2, 0.4, 0.7, 0.7]
    assert curve["at_risk"].tolist() == [5, 5, 4, 2, 1]
    assert curve["answered"].tolist() == [0, 1, 1, 1, 0]
    assert (curve["group"] == "all attacks").all()


def test_kaplan_meier__pointwise_band_is_the_log_log_interval():
    # day 1: S = 0.8, Greenwood variance 0.8^2 * 1/(5*4) = 0.032; log-log limits S^exp(-+1.96 se/(S log S))
    se = math.sqrt(0.032)
    spread = 1.959964 * se / (0.8 * math.log(0.8))
    low, high = sorted([0.8 ** math.exp(spread), 0.8 ** math.exp(-spread)])
    day_one = an.kaplan_meier(HAND).iloc[1]
    assert day_one["share_answered_lower"] == pytest.approx(1 - high, abs=1e-5)
    assert day_one["share_answered_upper"] == pytest.approx(1 - low, abs=1e-5)
    assert (round(day_one["share_answered_lower"], 3), round(day_one["share_answered_upper"], 3)) == (0.031, 0.796)


def test_kaplan_meier__bands_contain_the_estimate_and_simultaneous_is_wider():
    ttr = make_ttr([0, 0, 1, 3, 3, 4, 8, 9, 12, 30, 30, 30], [True] * 9 + [False] * 3)
    pointwise = an.kaplan_meier(ttr)
    simultaneous = an.kaplan_meier(ttr, band="simultaneous")
    for curve in (pointwise, simultaneous):
        assert (curve["share_answered_lower"] <= curve["share_answered"] + 1e-12).all()
        assert (curve["share_answered"] <= curve["share_answered_upper"] + 1e-12).all()
        assert curve.notna().all().all()
    inner = slice(2, -1)
    assert (
        (simultaneous["share_answered_upper"] - simultaneous["share_answered_lower"]).iloc[inner]
        >= (pointwise["share_answered_upper"] - pointwise["share_answered_lower"]).iloc[inner] - 1e-9
    ).all()


def test_kaplan_meier__group_with_no_answer_is_a_flat_curve_not_nan():
    curve = an.kaplan_meier(make_ttr([30, 30, 4], [False, False, False]))
    assert curve[["time_days", "share_answered", "share_answered_lower", "share_answered_upper"]].values.tolist() == [
        [0, 0.0, 0.0, 0.0],
        [30, 0.0, 0.0, 0.0],
    ]


def test_kaplan_meier__by_group_in_reading_order():
    ttr = make_ttr([1, 2, 3, 4], [True, True, True, False], groups=["Syria", "Iraq", "Syria", "Iraq"])
    assert an.kaplan_meier(ttr, by="country")["group"].unique().tolist() == ["Iraq", "Syria"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"band": "wide"}, "unknown band 'wide'"),
        ({"band": "simultaneous", "alpha": 0.1}, "alpha=0.05 only"),
        ({"alpha": 1.5}, "alpha must be between 0 and 1"),
        ({"by": "province"}, "cannot group by 'province'"),
        ({"by": "has_us_casualties"}, "pass the EventData"),
    ],
)
def test_kaplan_meier__bad_parameters_raise(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        an.kaplan_meier(HAND, **kwargs)


def test_kaplan_meier__refuses_a_table_that_is_not_time_to_response():
    with pytest.raises(ParameterError, match="an.time_to_response"):
        an.kaplan_meier(pd.DataFrame({"lag_days": [1]}))


def test_median_time_to_response__first_day_below_one_half_with_interval():
    median = an.median_time_to_response(HAND).iloc[0]
    assert (median["attacks"], median["answered"], median["median_days"]) == (5, 3, 5.0)
    assert median["median_lower"] == 1.0 and pd.isna(median["median_upper"])
    assert "upper limit is not reached" in median["note"]


def test_median_time_to_response__not_reached_gives_a_sentence():
    row = an.median_time_to_response(make_ttr([1, 30, 30, 30], [True, False, False, False])).iloc[0]
    assert pd.isna(row["median_days"]) and row["note"].startswith(
        "Median not reached: fewer than half of the 4 attacks"
    )


def test_median_time_to_response__empty_table_says_so():
    table = an.median_time_to_response(make_ttr([], []))
    assert table["note"].tolist() == ["There are no attacks in this selection."]


def test_median_time_to_response__attacks_in_no_group_are_counted_in_a_row():
    ttr = make_ttr([1, 2, 3], [True, True, True])
    ttr["period"] = label_periods(
        ttr["attack_date"], {"first week": ("2024-01-01", "2024-01-07"), "second week": ("2024-01-08", "2024-01-14")}
    )
    table = an.median_time_to_response(ttr, by="period")
    assert table["group"].tolist() == ["first week", "second week", "(no period)"]
    assert table["attacks"].tolist() == [1, 1, 1]
    assert table["note"].iloc[-1] == "1 attack has no period (e.g. outside every period) and is left out."


def test_share_answered_within__reads_the_curve_at_each_day():
    table = an.share_answered_within(HAND, days=(0, 1, 3, 7))
    assert table["share_answered"].round(6).tolist() == [0.0, 0.2, 0.4, 0.7]
    # outcome known at day d: followed at least d days, or answered (by then or later); the one censored at 2 drops out
    assert table["followed_or_answered"].tolist() == [5, 5, 4, 4]
    assert (table["share_lower"] <= table["share_answered"]).all() and (
        table["share_answered"] <= table["share_upper"]
    ).all()


def test_share_answered_within__beyond_the_longest_follow_up_gives_a_sentence():
    table = an.share_answered_within(make_ttr([1, 2], [True, False], horizon_days=30), days=[1, 14])
    assert pd.isna(table["share_answered"].iloc[1])
    assert (
        table["note"].iloc[1] == "No attack in this group was followed for 14 days, so the share cannot be estimated."
    )


def test_share_answered_within__days_past_the_horizon_raise():
    with pytest.raises(ParameterError, match="within 45 days: follow-up stops at the 30-day horizon"):
        an.share_answered_within(HAND, days=[7, 45])
    with pytest.raises(ParameterError, match="must not be negative"):
        an.share_answered_within(HAND, days=[-1])


def test_compare_response_times__clearly_different_groups():
    fast = ([0, 0, 1, 1, 2, 2, 3], [True] * 7)
    slow = ([30, 30, 30, 30, 25, 30, 30], [False, False, False, False, True, False, False])
    ttr = make_ttr(fast[0] + slow[0], fast[1] + slow[1], groups=["Syria"] * 7 + ["Iraq"] * 7)
    result = an.compare_response_times(ttr, by="country")
    assert result.degrees_of_freedom == 1 and result.p_value < 0.001 and result.chi_square > 10
    assert result.sentence.startswith("Time to response differs between these groups")
    assert "p < 0.001" in str(result)
    assert result.groups["group"].tolist() == ["Iraq", "Syria"]


def test_compare_response_times__matches_statsmodels_survdiff():
    from statsmodels.duration.survfunc import survdiff

    durations, answered = (
        [1, 3, 4, 6, 9, 2, 5, 8, 11, 30],
        [True, True, False, True, True, True, True, False, True, False],
    )
    groups = ["Iraq"] * 5 + ["Syria"] * 5
    result = an.compare_response_times(make_ttr(durations, answered, groups=groups), by="country")
    chi_square, p_value = survdiff(durations, [float(a) for a in answered], groups)
    assert result.chi_square == pytest.approx(chi_square) and result.p_value == pytest.approx(p_value)
    assert "does not differ clearly" in result.sentence


def test_compare_response_times__too_few_attacks_gives_a_sentence():
    ttr = make_ttr([1, 2, 3, 4, 5, 6], [True] * 6, groups=["Iraq"] * 5 + ["Jordan"])
    result = an.compare_response_times(ttr, by="country")
    assert result.p_value is None and result.chi_square is None
    assert result.sentence == (
        "Too few attacks to compare time to response by country: a log-rank test needs at least "
        "two groups with 5 or more attacks, and only 1 qualifies. Left out for having fewer than "
        "5 attacks: Jordan (1)."
    )
    assert result.left_out == ["Jordan"]


def test_compare_response_times__nothing_answered_gives_a_sentence():
    ttr = make_ttr([30] * 4, [False] * 4, groups=[True, True, False, False], by="has_us_casualties")
    result = an.compare_response_times(ttr, by="has_us_casualties", min_attacks=2)
    assert result.p_value is None and "No attack in these groups was answered" in result.sentence
    assert result.groups["group"].tolist() == ["US personnel killed or wounded", "no US killed or wounded reported"]


def test_compare_response_times__needs_a_column():
    with pytest.raises(ParameterError, match="needs by="):
        an.compare_response_times(HAND, by=None)


def test_response_rates__counts_open_attacks_apart():
    ttr = make_ttr([1, 30, 3, 30], [True, False, False, False])  # the third: censored at day 3 (end of data)
    ttr["attack_date"] = pd.to_datetime(["2024-01-05", "2024-02-01", "2024-07-01", "2024-07-02"])
    rates = an.response_rates(ttr, freq="Q")
    assert rates["period"].tolist() == ["2024 Q1", "2024 Q2", "2024 Q3"]
    assert rates[["attacks", "answered", "unanswered", "still_open"]].values.tolist() == [
        [2, 1, 1, 0],
        [0, 0, 0, 0],
        [2, 0, 1, 1],
    ]
    assert rates["share_answered"].tolist()[0] == 0.5 and pd.isna(rates["share_answered"].iloc[1])
    assert rates["note"].iloc[1] == "No attacks in this period."
    # Wilson interval for 1 of 2
    assert (round(rates["share_lower"].iloc[0], 4), round(rates["share_upper"].iloc[0], 4)) == (0.0945, 0.9055)


def test_response_rates__by_group_and_bad_freq():
    ttr = make_ttr([1, 2, 30], [True, True, False], groups=[True, False, False], by="has_us_casualties")
    rates = an.response_rates(ttr, by="has_us_casualties")
    assert rates["period"].tolist() == ["US personnel killed or wounded", "no US killed or wounded reported"]
    assert rates["answered"].tolist() == [1, 1]
    with pytest.raises(ParameterError, match="freq='fortnight' is not a period"):
        an.response_rates(HAND, freq="fortnight")


def test_response_rates__all_open_and_empty_give_sentences():
    open_only = make_ttr([2], [False])
    assert an.response_rates(open_only)["note"].tolist() == [
        "Every attack in this period was still open when the data ends."
    ]
    assert an.response_rates(make_ttr([], []))["note"].tolist() == ["There are no attacks in this selection."]


def test_figures__one_band_and_line_per_group_and_a_bar_per_period():
    ttr = make_ttr([1, 2, 3, 4], [True, True, True, False], groups=["Syria", "Iraq", "Syria", "Iraq"])
    figure = kaplan_meier_figure(an.kaplan_meier(ttr, by="country"))
    assert [t.name for t in figure.data if t.showlegend is not False] == ["Iraq", "Syria"]
    assert sum(1 for t in figure.data if t.fill == "tonexty") == 2
    bars = response_rates_figure(an.response_rates(ttr, freq="M"))
    assert list(bars.data[0].x) == ["Jan 2024"] and list(bars.data[0].y) == [1.0]  # the 4th attack is still open
    assert list(bars.data[0].customdata[0]) == [3, 3, 1]


def test_response_rates__weeks_start_on_saturday_as_everywhere_else():
    ttr = make_ttr([1, 2], [True, True])
    ttr["attack_date"] = pd.to_datetime(["2024-01-05", "2024-01-06"])  # a Friday and the Saturday after it
    rates = an.response_rates(ttr, freq="W")
    assert rates["period"].tolist() == ["week of 30 Dec 2023", "week of 6 Jan 2024"]
