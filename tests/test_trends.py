"""Unit tests for analysis.analyses.trends on synthetic series with known structure (seeded, a few seconds in all)."""

import numpy as np
import pandas as pd
import pytest

from analysis.analyses.trends import (
    TrendResult,
    granger_causality,
    interrupted_time_series,
    its_design,
    rolling_means,
    seasonal_decomposition,
    share_after,
    total_series,
)
from analysis.core.errors import ParameterError
from analysis.present.tables import readable_table, trend_result_html
from analysis.present.trends import (
    counts_figure,
    decomposition_figure,
    grouped_counts_figure,
    interrupted_time_series_figure,
    share_figure,
)
from tests.factories import weekly


def negative_binomial(rng, mean, dispersion=0.5):
    """Draw negative binomial counts with the given means and NB2 dispersion alpha."""
    mean = np.asarray(mean, float)
    return rng.negative_binomial(1 / dispersion, 1 / (1 + dispersion * mean))


WEEKS = 156
BREAK_WEEK = 100
BREAK_DATE = pd.Timestamp("2021-01-02") + pd.Timedelta(weeks=BREAK_WEEK)  # a Saturday: the break week is all after


# ---------------------------------------------------------------- interrupted time series


def test_interrupted_time_series__recovers_a_level_shift_within_its_interval():
    rng = np.random.default_rng(20231017)
    attacks = negative_binomial(rng, np.where(np.arange(WEEKS) >= BREAK_WEEK, 6.0, 2.0))
    result = interrupted_time_series(weekly(attacks), break_dates=[BREAK_DATE])
    assert result.ok, result.refusal
    shift = result.table.set_index("term").loc[f"level_{BREAK_DATE:%Y-%m-%d}"]
    assert shift["rate_ratio_low"] <= 3.0 <= shift["rate_ratio_high"]
    assert shift["rate_ratio_low"] > 1.0  # the shift is detected, not merely compatible
    assert shift["rate_ratio"] == pytest.approx(3.0, rel=0.3)


def test_interrupted_time_series__intervals_cover_the_true_shift_most_of_the_time():
    rng = np.random.default_rng(7)
    covered = 0
    for _ in range(40):
        attacks = negative_binomial(rng, np.where(np.arange(WEEKS) >= BREAK_WEEK, 6.0, 2.0))
        shift = interrupted_time_series(weekly(attacks), break_dates=[BREAK_DATE]).table.iloc[1]
        covered += shift["rate_ratio_low"] <= 3.0 <= shift["rate_ratio_high"]
    assert covered >= 32  # 95% intervals; Newey-West errors cover about 90% here


def test_interrupted_time_series__no_shift_gives_an_interval_around_one():
    rng = np.random.default_rng(3)
    result = interrupted_time_series(weekly(negative_binomial(rng, np.full(WEEKS, 2.0))), break_dates=[BREAK_DATE])
    shift = result.table.iloc[1]
    assert shift["rate_ratio_low"] < 1.0 < shift["rate_ratio_high"]


def test_interrupted_time_series__recovers_a_trend_change():
    rng = np.random.default_rng(5)
    years_after = np.clip(np.arange(WEEKS) - BREAK_WEEK, 0, None) / 52
    covered = detected = 0
    for _ in range(20):
        attacks = negative_binomial(rng, 3.0 * np.exp(np.log(4.0) * years_after), dispersion=0.2)
        result = interrupted_time_series(weekly(attacks), break_dates=[BREAK_DATE], slope_changes=True)
        change = result.table.set_index("term").loc[f"trend_{BREAK_DATE:%Y-%m-%d}"]
        covered += change["rate_ratio_low"] <= 4.0 <= change["rate_ratio_high"]
        detected += change["rate_ratio_low"] > 1.0
    assert covered >= 15 and detected >= 18  # the rate quadruples per year after the break


def test_interrupted_time_series__table_and_series_are_tidy_and_explained():
    rng = np.random.default_rng(1)
    result = interrupted_time_series(
        weekly(negative_binomial(rng, np.full(WEEKS, 3.0))), break_dates=["2022-06-01", "2022-09-01"]
    )
    assert list(result.table.columns) == [
        "term",
        "meaning",
        "rate_ratio",
        "rate_ratio_low",
        "rate_ratio_high",
        "p_value",
    ]
    assert result.table["term"].tolist() == ["trend", "level_2022-06-01", "level_2022-09-01"]
    assert list(result.series.columns) == ["period_start", "observed", "fitted", "without_breaks"]
    assert len(result.series) == WEEKS
    assert any("cannot" in note for note in result.notes)


def test_interrupted_time_series__sums_groups_before_modelling():
    rng = np.random.default_rng(2)
    attacks = negative_binomial(rng, np.where(np.arange(WEEKS) >= BREAK_WEEK, 6.0, 2.0))
    half = attacks // 2
    by_country = pd.concat([weekly(half, country="Iraq"), weekly(attacks - half, country="Syria")])
    by_country.attrs["freq"] = "W"
    together = interrupted_time_series(weekly(attacks), break_dates=[BREAK_DATE]).table
    apart = interrupted_time_series(by_country, break_dates=[BREAK_DATE]).table
    pd.testing.assert_frame_equal(together, apart)


def test_share_after__straddling_period_counts_by_its_days():
    starts = pd.Series(pd.to_datetime(["2024-01-20", "2024-01-27", "2024-02-03"]))
    assert share_after(starts, "W", pd.Timestamp("2024-02-02")).tolist() == [0.0, pytest.approx(1 / 7), 1.0]


def test_its_design__trend_in_years_and_steps():
    series = pd.DataFrame({"period_start": pd.date_range("2024-01-01", periods=24, freq="MS")})
    design = its_design(series, "M", [pd.Timestamp("2025-01-01")], slope_changes=True)
    assert design["trend"].iloc[12] == 1.0
    assert design["level_2025-01-01"].tolist() == [0.0] * 12 + [1.0] * 12
    assert design["trend_2025-01-01"].iloc[-1] == pytest.approx(11 / 12)


def test_interrupted_time_series__refuses_a_break_outside_the_series():
    result = interrupted_time_series(weekly(np.full(60, 2)), break_dates=["2030-01-01"])
    assert not result.ok and "2030-01-01" in result.refusal and result.table.empty


def test_interrupted_time_series__refuses_a_segment_without_events():
    attacks = np.r_[np.full(60, 2), np.zeros(20, int)]
    result = interrupted_time_series(weekly(attacks), break_dates=[pd.Timestamp("2021-01-02") + pd.Timedelta(weeks=60)])
    assert not result.ok and "There are no attacks from" in result.refusal


def test_interrupted_time_series__refuses_too_few_events():
    attacks = np.zeros(80, int)
    attacks[[5, 50]] = 1
    result = interrupted_time_series(weekly(attacks), break_dates=[pd.Timestamp("2021-01-02") + pd.Timedelta(weeks=40)])
    assert not result.ok and "Only 1 attack lies from the start to 2021-10-09; at least 5" in result.refusal


def test_interrupted_time_series__refuses_a_short_segment():
    result = interrupted_time_series(
        weekly(np.full(60, 2)), break_dates=[pd.Timestamp("2021-01-02") + pd.Timedelta(weeks=58)]
    )
    assert not result.ok and "Only 2 weeks" in result.refusal


def test_interrupted_time_series__refuses_a_column_the_source_cannot_give():
    counts = weekly(np.full(60, 2)).assign(partly_intercepted_attacks=pd.array([pd.NA] * 60, dtype="Int64"))
    result = interrupted_time_series(counts, column="partly_intercepted_attacks", break_dates=["2021-06-01"])
    assert not result.ok and "no values" in result.refusal


def test_interrupted_time_series__bad_parameters_raise_parameter_error():
    counts = weekly(np.full(60, 2))
    for kwargs, words in (
        (dict(break_dates=["17 Octobre"]), "not a date"),
        (dict(confidence=1.5), "confidence"),
        (dict(column="killed"), "not in the counts"),
        (dict(break_dates=[]), "at least one"),
        (dict(break_dates=["2021-06-01"], hac_lags=-1), "hac_lags"),
    ):
        with pytest.raises(ParameterError, match=words):
            interrupted_time_series(counts, **kwargs)


# ---------------------------------------------------------------- Granger causality


def test_granger_causality__independent_series_rarely_show_a_link():
    rng = np.random.default_rng(2024)
    replications = 100
    significant = np.zeros(2)
    for _ in range(replications):
        result = granger_causality(weekly(rng.poisson(1.5, 120), rng.poisson(1.0, 120)), lags=2, significance=0.05)
        significant += result.table["is_significant"].to_numpy()
    assert (significant / replications <= 0.12).all(), significant  # about 5% expected in each direction


def test_granger_causality__detects_responses_that_follow_attacks():
    rng = np.random.default_rng(11)
    detected = 0
    for _ in range(20):
        attacks = rng.poisson(1.5, 120)
        responses = rng.poisson(0.3 + 0.6 * np.r_[0, attacks[:-1]])
        table = granger_causality(weekly(attacks, responses)).table.set_index("cause")
        detected += table.loc["attacks", "is_significant"]
    assert detected >= 18


def test_granger_causality__one_row_per_direction_with_assumptions():
    rng = np.random.default_rng(4)
    result = granger_causality(weekly(rng.poisson(2, 80), rng.poisson(2, 80)), lags=3)
    assert result.table[["cause", "effect"]].values.tolist() == [["responses", "attacks"], ["attacks", "responses"]]
    assert (result.table["lags"] == 3).all() and result.table["p_value"].between(0, 1).all()
    assert any(note.startswith("Assumptions:") for note in result.notes)


def test_granger_causality__warns_of_drift_and_differences_on_request():
    rng = np.random.default_rng(9)
    drifting = rng.poisson(np.linspace(0.5, 8, 120))
    result = granger_causality(weekly(drifting, rng.poisson(1.0, 120)))
    assert any("drift" in note and "difference=True" in note for note in result.notes)
    differenced = granger_causality(weekly(drifting, rng.poisson(1.0, 120)), difference=True)
    assert differenced.ok and "changes" in differenced.notes[0]


def test_granger_causality__refuses_a_short_series():
    result = granger_causality(weekly(np.full(20, 1), np.full(20, 1)))
    assert not result.ok and "needs at least" in result.refusal


def test_granger_causality__refuses_a_sparse_series():
    attacks = np.zeros(100, int)
    attacks[[3, 30, 60]] = 1
    result = granger_causality(weekly(attacks, np.tile([0, 1, 2], 34)[:100]))
    assert not result.ok and "Only 3 weeks have any attacks" in result.refusal


def test_granger_causality__refuses_a_constant_series():
    rng = np.random.default_rng(1)
    result = granger_causality(weekly(rng.poisson(2, 80), np.full(80, 1)))
    assert not result.ok and "does not vary" in result.refusal


def test_granger_causality__bad_parameters_raise_parameter_error():
    counts = weekly(np.full(80, 1))
    for kwargs in (dict(lags=0), dict(significance=5), dict(first="attacks", second="attacks")):
        with pytest.raises(ParameterError):
            granger_causality(counts, **kwargs)


# ---------------------------------------------------------------- STL and rolling means


def test_seasonal_decomposition__recovers_a_yearly_pattern():
    rng = np.random.default_rng(12)
    pattern = 5 * np.sin(2 * np.pi * np.arange(156) / 52)
    result = seasonal_decomposition(weekly(rng.poisson(10 + pattern)))
    assert result.ok, result.refusal
    assert np.corrcoef(result.series["seasonal"], pattern)[0, 1] > 0.6
    parts = result.series["trend"] + result.series["seasonal"] + result.series["remainder"]
    np.testing.assert_allclose(parts, result.series["observed"])
    without_pattern = seasonal_decomposition(weekly(rng.poisson(10, 156)))
    assert abs(np.corrcoef(without_pattern.series["seasonal"], pattern)[0, 1]) < 0.3

    def seasonal_strength(stl):
        return stl.table.set_index("component").loc["seasonal", "strength"]

    assert seasonal_strength(result) > seasonal_strength(without_pattern) + 0.2
    assert result.table["highest_at"].iloc[1].month in (3, 4, 5)  # the sine peaks a quarter into each year


def test_seasonal_decomposition__refuses_less_than_two_years():
    result = seasonal_decomposition(weekly(np.full(100, 3)))
    assert not result.ok and "104 weeks" in result.refusal and "100 weeks" in result.refusal


def test_seasonal_decomposition__refuses_a_mostly_empty_series():
    attacks = np.zeros(156, int)
    attacks[::10] = 2
    result = seasonal_decomposition(weekly(attacks))
    assert not result.ok and "Only 10% of weeks" in result.refusal


def test_rolling_means__trailing_mean_per_group_and_measure():
    counts = pd.concat([weekly([1, 2, 3, 6], country="Iraq"), weekly([0, 0, 4, 4], country="Syria")])
    counts.attrs["freq"] = "W"
    table = rolling_means(counts, columns=["attacks"], window=2).table
    iraq = table[table["country"] == "Iraq"]["rolling_mean"].tolist()
    assert pd.isna(iraq[0]) and iraq[1:] == [1.5, 2.5, 4.5]
    assert table[table["country"] == "Syria"]["rolling_mean"].tolist()[1:] == [0.0, 2.0, 4.0]
    assert list(table.columns) == ["period_start", "country", "measure", "count", "rolling_mean"]


def test_rolling_means__refuses_a_series_shorter_than_the_window():
    result = rolling_means(weekly([1, 2]), window=4)
    assert not result.ok and "at least 4 weeks" in result.refusal


def test_rolling_means__bad_window_raises_parameter_error():
    with pytest.raises(ParameterError, match="window"):
        rolling_means(weekly([1, 2]), window=0)


# ---------------------------------------------------------------- results and display


def test_total_series__sums_groups_per_period():
    counts = pd.concat([weekly([1, 2], country="Iraq"), weekly([3, 0], country="Syria")])
    assert total_series(counts, "attacks")["attacks"].tolist() == [4, 2]


def test_trend_result__refusal_renders_as_escaped_text():
    result = TrendResult("test", refusal="too few <script>alert(1)</script> events")
    rendered = trend_result_html(result)
    assert "&lt;script&gt;" in rendered and "<script>" not in rendered
    assert "refused" in repr(result)


def test_trend_result__table_renders_escaped_with_notes():
    result = TrendResult("test", pd.DataFrame({"term": ["<b>x</b>"], "rate_ratio": [1.23456]}), notes=["a & b"])
    rendered = trend_result_html(result)
    assert "&lt;b&gt;x&lt;/b&gt;" in rendered and "1.23" in rendered and "a &amp; b" in rendered


def test_readable_table__rounds_floats_and_blanks_missing_values():
    table = readable_table(
        pd.DataFrame(
            {"n": [3, 4], "p": [0.04567, 1.0], "ratio": [np.nan, 2.0], "partly": pd.array([pd.NA, 1], dtype="Int64")}
        )
    )
    assert table.to_dict("records") == [
        {"n": 3, "p": "0.0457", "ratio": "", "partly": ""},
        {"n": 4, "p": "1", "ratio": "2", "partly": 1},
    ]


def test_figures__draw_counts_shares_and_models():
    rng = np.random.default_rng(6)
    counts = weekly(negative_binomial(rng, np.where(np.arange(WEEKS) >= BREAK_WEEK, 6.0, 2.0)), rng.poisson(1, WEEKS))
    rolling = rolling_means(counts)
    assert len(counts_figure(counts, rolling=rolling).data) == 4  # two bars, two lines
    its = interrupted_time_series(counts, break_dates=[BREAK_DATE])
    assert [trace.name for trace in interrupted_time_series_figure(its).data] == [
        "observed",
        "model",
        "model without the breaks",
    ]
    stl = seasonal_decomposition(counts)
    assert len(decomposition_figure(stl).data) == 4
    share = pd.DataFrame(
        {
            "weapon": ["drone", "rocket"],
            "attacks": [4, 2],
            "answered_attacks": [2, 2],
            "response_share": [0.5, 1.0],
            "share_low": [0.15, 0.34],
            "share_high": [0.85, 1.0],
        }
    )
    assert list(share_figure(share, x="weapon").data[0].y) == [0.5, 1.0]
    grouped = pd.concat([weekly([1, 2], country="Iraq"), weekly([3, 0], country="Syria")])
    assert [trace.name for trace in grouped_counts_figure(grouped).data] == ["Iraq", "Syria"]


def test_interrupted_time_series__falls_back_to_poisson_when_counts_are_not_overdispersed():
    rng = np.random.default_rng(8)
    attacks = rng.binomial(
        np.where(np.arange(WEEKS) >= BREAK_WEEK, 12, 4), 0.5
    )  # means 2 then 6, variance below the mean
    result = interrupted_time_series(weekly(attacks), break_dates=[BREAK_DATE])
    assert result.ok, result.refusal
    assert result.notes[0].startswith("Poisson regression") and "no overdispersion" in result.notes[1]
    shift = result.table.iloc[1]
    assert shift["rate_ratio_low"] <= 3.0 <= shift["rate_ratio_high"]
