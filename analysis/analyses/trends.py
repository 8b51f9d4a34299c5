"""Trend helpers on a counts table (event_counts or counts_from_weekly), built on statsmodels.

Each helper returns a ``TrendResult``: a tidy ``table``, plain-words ``notes`` (method, assumptions,
diagnostics) and, when the series is too short or too sparse for the method, no table but a ``refusal``
sentence saying why. Nothing here raises on thin data; bad arguments raise ParameterError.

* ``rolling_means``: trailing means per group.
* ``seasonal_decomposition``: STL (trend + seasonal + remainder), given two full years of data.
* ``interrupted_time_series``: negative binomial regression of counts on a trend and level shifts (and,
  optionally, trend changes) at break dates; incidence-rate ratios with intervals.
* ``granger_causality``: whether past responses help predict attacks, and the reverse.

Series with several groups (e.g. by country) are summed per period before STL, the count model and the
Granger tests: those model the whole selection.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.analyses.counts import group_columns, headline_column, infer_frequency, measure_columns
from analysis.analyses.coverage import low_coverage_breaks
from analysis.cleaning.official_counts import QUALIFIERS
from analysis.core.calendar import PERIOD_WORDS, PERIODS_PER_YEAR, period_last_day
from analysis.core.errors import ParameterError, check_whole_number

DEFAULT_BREAK_DATES = ("2023-10-17", "2024-02-02")
MIN_NONZERO_SHARE_FOR_STL = 0.25
MIN_EVENTS_FOR_COUNT_MODEL = 10
MIN_PERIODS_FOR_GRANGER = 30
MIN_DISPERSION = 1e-3  # below this the NB2 fit sits on its boundary: Poisson is the fit
MAX_POISSON_DISPERSION = 1.5  # Pearson chi-square / df above which Poisson would understate the spread
MIN_NONZERO_PERIODS_FOR_GRANGER = 8
# below this share of the officially counted attacks around a break, the break-point estimate is refused
MIN_COVERAGE_FOR_BREAKS = 0.5


@dataclass
class TrendResult:
    """What a trend helper found: a tidy table and notes, or a sentence saying why it refused."""

    method: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    refusal: str | None = None
    series: pd.DataFrame | None = None  # per-period values for charts (fitted lines, components)

    @property
    def ok(self) -> bool:
        """Tell whether the method ran (False: see refusal)."""
        return self.refusal is None

    def __repr__(self) -> str:
        state = f"refused: {self.refusal}" if not self.ok else f"{len(self.table)} rows"
        return f"TrendResult({self.method!r}, {state})"


class _Refusal(Exception):
    """Raised inside a helper when the data cannot support the method; becomes TrendResult.refusal."""


def _refusing(method: str):
    """Turn a _Refusal raised by the wrapped helper into a TrendResult carrying the sentence."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs) -> TrendResult:
            try:
                return function(*args, **kwargs)
            except _Refusal as refusal:
                return TrendResult(method, refusal=str(refusal))

        return run

    return decorate


def total_series(counts: pd.DataFrame, column: str) -> pd.DataFrame:
    """Sum one count column over groups: one row per period with period_start, period_days and the count."""
    if column not in counts.columns:
        raise ParameterError(f"column={column!r} is not in the counts; choose one of {measure_columns(counts)}")
    if counts[column].isna().all():
        raise _Refusal(
            f"the counts carry no values for {column} ({counts.attrs.get('basis', 'source')}), so it cannot be modelled."
        )
    series = counts.groupby("period_start", sort=True).agg(
        period_days=("period_days", "max"), **{column: (column, "sum")}
    )
    return series.reset_index().astype({column: "int64", "period_days": "int64"})


def _periods_text(count: int, freq: str) -> str:
    """Write a number of periods in words, e.g. '40 weeks'."""
    return f"{count} {PERIOD_WORDS[freq]}{'' if count == 1 else 's'}"


@_refusing("rolling means")
def rolling_means(counts: pd.DataFrame, columns: Sequence[str] | None = None, window: int = 4) -> TrendResult:
    """Trailing mean of each count over the last `window` periods, per group (tidy: one row per measure).

    columns default to attacks and responses (event tables) or the headline series (ACLED weekly files:
    remote violence events). Columns: period_start, <groups...>, measure, count, rolling_mean (NA for the first
    window-1 periods).
    """
    window = check_whole_number("window", window, minimum=1, unit="periods")
    if columns is None:
        columns = ["attacks", "responses"] if {"attacks", "responses"} <= set(counts) else [headline_column(counts)]
    columns = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in columns if c not in counts.columns]
    if missing:
        raise ParameterError(f"columns {missing} are not in the counts; choose from {measure_columns(counts)}")
    freq = infer_frequency(counts)
    periods = counts["period_start"].nunique()
    if periods < window:
        raise _Refusal(
            f"A {window}-{PERIOD_WORDS[freq]} rolling mean needs at least {_periods_text(window, freq)}; the series has {_periods_text(periods, freq)}."
        )
    groups = group_columns(counts)
    long = counts.melt(id_vars=["period_start", *groups], value_vars=columns, var_name="measure", value_name="count")
    long = long.sort_values([*groups, "measure", "period_start"], kind="stable").reset_index(drop=True)
    rolled = long.groupby([*groups, "measure"], sort=False)["count"].transform(
        lambda values: values.astype("Float64").rolling(window, min_periods=window).mean()
    )
    table = long.assign(rolling_mean=rolled.astype("Float64")).sort_values(
        ["period_start", *groups, "measure"], kind="stable"
    )
    notes = [
        f"Each value is the mean of the {_periods_text(window, freq)} up to and including that {PERIOD_WORDS[freq]} (a trailing mean, so it lags turning points by about half the window)."
    ]
    return TrendResult("rolling means", table.reset_index(drop=True), notes)


@_refusing("seasonal-trend decomposition (STL)")
def seasonal_decomposition(
    counts: pd.DataFrame, column: str | None = None, period: int | None = None, robust: bool = True
) -> TrendResult:
    """Split a count series into trend, seasonal and remainder parts with STL (needs two full seasonal cycles).

    column defaults to the counts' headline series (attacks; remote violence events for ACLED weekly files);
    period defaults to a year (52 weeks or 12 months). Refuses when the series is shorter than two cycles
    or when fewer than a quarter of its periods have any event (a seasonal pattern would be noise).
    table: one row per component (trend, seasonal) with its strength (0 to 1), lowest and highest values and
    when it peaks; series: period_start, observed, trend, seasonal, remainder.
    """
    from statsmodels.tsa.seasonal import STL

    column = column or headline_column(counts)
    freq = infer_frequency(counts)
    period = PERIODS_PER_YEAR[freq] if period is None else period
    period = check_whole_number("period", period, minimum=2, unit="periods")
    series = total_series(counts, column)
    periods = len(series)
    if periods < 2 * period:
        raise _Refusal(
            f"STL needs at least two full seasonal cycles ({_periods_text(2 * period, freq)}) to tell a yearly "
            f"pattern from a trend; the series has {_periods_text(periods, freq)}."
        )
    nonzero_share = float((series[column] > 0).mean())
    if nonzero_share < MIN_NONZERO_SHARE_FOR_STL:
        raise _Refusal(
            f"Only {nonzero_share:.0%} of {PERIOD_WORDS[freq]}s have any {column}; with so many empty "
            f"{PERIOD_WORDS[freq]}s a seasonal pattern cannot be told from noise (STL needs at least "
            f"{MIN_NONZERO_SHARE_FOR_STL:.0%}). Monthly counts may be dense enough."
        )
    fit = STL(series[column].astype(float).to_numpy(), period=period, robust=robust).fit()
    parts = pd.DataFrame(
        {
            "period_start": series["period_start"],
            "observed": series[column].astype(float),
            "trend": fit.trend,
            "seasonal": fit.seasonal,
            "remainder": fit.resid,
        }
    )
    table = pd.DataFrame(
        {
            "component": ["trend", "seasonal"],
            "strength": [_strength(fit.trend, fit.resid), _strength(fit.seasonal, fit.resid)],
            "lowest": [fit.trend.min(), fit.seasonal.min()],
            "highest": [fit.trend.max(), fit.seasonal.max()],
            "highest_at": [
                parts["period_start"][int(np.argmax(fit.trend))],
                parts["period_start"][int(np.argmax(fit.seasonal))],
            ],
        }
    )
    words = PERIOD_WORDS[freq]
    notes = [
        f"STL (Cleveland et al., 1990) of {column} per {words} with a {period}-{words} season"
        f"{', fitted robustly so single extreme ' + words + 's do not bend the trend' if robust else ''}. "
        f"The chart shows the per-{words} parts.",
        "Strength is on a 0 to 1 scale (Wang, Smith and Hyndman, 2006): near 0 means that part explains little "
        f"beyond the remainder. lowest / highest are in {column} per {words} (the seasonal part is a deviation "
        "from the trend, so it goes below zero).",
        "The parts add up to the counts; a seasonal part estimated from few years repeats whatever happened in "
        "those years and is not evidence of a yearly rhythm on its own.",
    ]
    return TrendResult("seasonal-trend decomposition (STL)", table, notes, series=parts)


def _strength(component: np.ndarray, remainder: np.ndarray) -> float:
    """Return max(0, 1 - var(remainder) / var(component + remainder))."""
    total = np.var(component + remainder)
    return 0.0 if total == 0 else max(0.0, 1 - np.var(remainder) / total)


def _break_dates(break_dates: Iterable) -> list[pd.Timestamp]:
    """Parse break dates, sorted and unique, refusing anything that is not a date."""
    if isinstance(break_dates, (str, pd.Timestamp)):
        break_dates = [break_dates]
    parsed = []
    for value in break_dates:
        try:
            parsed.append(pd.Timestamp(value).normalize())
        except (ValueError, TypeError):
            raise ParameterError(f"break date {value!r} is not a date; write it as YYYY-MM-DD") from None
    if not parsed:
        raise ParameterError("give at least one break date, e.g. ['2023-10-17', '2024-02-02']")
    return sorted(set(parsed))


def share_after(starts: pd.Series, freq: str, when: pd.Timestamp) -> np.ndarray:
    """Return the share of each period's calendar days that fall on or after a date (0 before, 1 after)."""
    last_days = period_last_day(starts, freq)
    length = (last_days - starts).dt.days + 1
    return (((last_days - when).dt.days + 1) / length).clip(0, 1).to_numpy(float)


def its_design(series: pd.DataFrame, freq: str, breaks: list[pd.Timestamp], slope_changes: bool) -> pd.DataFrame:
    """Build the regressors: constant, trend in years, a step per break and, optionally, a trend change per break.

    A period that straddles a break counts partly: its step is the share of its days on or after the break
    (the week holding 2024-02-02, a Friday, is 1/7 after it), so no choice of side hides a burst.
    """
    starts = series["period_start"]
    per_year = PERIODS_PER_YEAR[freq]
    years = np.arange(len(series)) / per_year
    design = {"const": np.ones(len(series)), "trend": years}
    for when in breaks:
        after = share_after(starts, freq, when)
        label = when.strftime("%Y-%m-%d")
        design[f"level_{label}"] = after
        if slope_changes:
            break_year = (np.argmax(after > 0) + 1 - after[np.argmax(after > 0)]) / per_year
            design[f"trend_{label}"] = np.clip(years - break_year, 0, None)
    return pd.DataFrame(design, index=series.index)


MIN_EVENTS_PER_SEGMENT = 5  # events a segment before a break needs to set a rate the next one is compared with


def _check_segments(series: pd.DataFrame, column: str, freq: str, breaks: list[pd.Timestamp], min_periods: int) -> None:
    """Refuse break dates outside the series, or segments too short or without any event.

    For these checks a straddling period belongs to the side holding most of its days.
    """
    first, last = series["period_start"].iloc[0], period_last_day(series["period_start"], freq).iloc[-1]
    for when in breaks:
        if not first < when <= last:
            raise _Refusal(
                f"The break date {when:%Y-%m-%d} is not inside the series ({first:%Y-%m-%d} to {last:%Y-%m-%d}) "
                "with data on both sides: choose break dates within the selected period, or widen the period."
            )
    segment = sum((share_after(series["period_start"], freq, when) >= 0.5).astype(int) for when in breaks)
    if len(set(segment)) < len(breaks) + 1:
        raise _Refusal(
            f"Two break dates fall in the same {PERIOD_WORDS[freq]}; give break dates in different {PERIOD_WORDS[freq]}s."
        )
    edges = ["the start"] + [f"{when:%Y-%m-%d}" for when in breaks] + ["the end"]
    for number, (_, part) in enumerate(series.groupby(segment, sort=True)):
        span = f"from {edges[number]} to {edges[number + 1]}"
        nearest = " or ".join(e for e in edges[number : number + 2] if e not in ("the start", "the end"))
        if len(part) < min_periods:
            raise _Refusal(
                f"Only {_periods_text(len(part), freq)} lie {span}; the model needs at least {min_periods} in each "
                f"segment to estimate its level. Move or drop the break at {nearest}."
            )
        total = part[column].sum()
        if total == 0:
            raise _Refusal(
                f"There are no {column} {span}, so the change in rate at that break is not estimable (the rate "
                f"ratio would be zero or infinite). Drop or move the break at {nearest}, or widen the period."
            )
        if total < MIN_EVENTS_PER_SEGMENT and number < len(breaks):
            # a baseline of one or two events cannot set a level: the ratio to the next segment would mean nothing
            # (after the last break few events are a finding, a lull, and the interval says how sure it is)
            what = column.replace("_", " ")
            lie = f"{what.removesuffix('s')} lies" if total == 1 else f"{what} lie"
            raise _Refusal(
                f"Only {int(total)} {lie} {span}; at least {MIN_EVENTS_PER_SEGMENT} are needed to set a rate "
                f"to compare with. Drop or move the break at {nearest}, or widen the period."
            )


def _is_usable(fit) -> bool:
    """Tell whether a statsmodels fit converged to finite estimates and standard errors."""
    return (
        bool(fit.mle_retvals.get("converged"))
        and bool(np.all(np.isfinite(fit.params)))
        and bool(np.all(np.isfinite(fit.bse)))
    )


def _fit_count_model(y: np.ndarray, design: pd.DataFrame, exposure: np.ndarray, hac_lags: int):
    """Fit NB2 (Newton, then BFGS); when the counts show no overdispersion, fit Poisson, the NB2 limit.

    Returns (fit, overdispersion alpha) or (None, None). With equidispersed counts the NB2 likelihood peaks at
    alpha = 0, on the edge of its range, where the optimisers fail; Poisson is then the maximum-likelihood fit.
    It is used only when its Pearson dispersion is near 1 (no overdispersion left to model).
    """
    from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson  # not statsmodels.api: 0.1 s less

    covariance = {"cov_type": "HAC", "cov_kwds": {"maxlags": hac_lags}} if hac_lags else {}
    model = NegativeBinomial(y, design, exposure=exposure, loglike_method="nb2")
    for method, iterations in (("newton", 100), ("bfgs", 2000)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence is checked from the fit itself
            try:
                fit = model.fit(method=method, maxiter=iterations, disp=0, **covariance)
            except (np.linalg.LinAlgError, ValueError):
                continue
        if _is_usable(fit) and fit.params["alpha"] > MIN_DISPERSION:
            return fit, float(fit.params["alpha"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = Poisson(y, design, exposure=exposure).fit(method="newton", maxiter=100, disp=0, **covariance)
        except (np.linalg.LinAlgError, ValueError):
            return None, None
    if not _is_usable(fit):
        return None, None
    fitted = fit.predict(design, exposure=exposure)
    pearson_dispersion = float(np.sum((y - fitted) ** 2 / fitted) / (len(y) - design.shape[1]))
    return (fit, 0.0) if pearson_dispersion <= MAX_POISSON_DISPERSION else (None, None)


def _check_coverage(coverage: pd.DataFrame, breaks: list[pd.Timestamp], min_coverage: float) -> None:
    """Refuse a break-point estimate at a break whose official window the data covers too thinly."""
    thin = low_coverage_breaks(coverage, breaks, min_coverage)
    if thin:
        when, figure = thin[0]
        raise _Refusal(
            f"The data hold {int(figure['data_count'])} of the {QUALIFIERS[figure['qualifier']]}{int(figure['official_count'])} attacks officials "
            f"counted from {figure['window_start']:%Y-%m-%d} to {figure['window_end']:%Y-%m-%d} "
            f"({figure['share']:.0%}, below the {min_coverage:.0%} this estimate needs), the window holding the break "
            f"on {when:%Y-%m-%d}: a change in recorded attacks there would measure the recording, not the attacks."
        )


@_refusing("interrupted time series (negative binomial)")
def interrupted_time_series(
    counts: pd.DataFrame,
    column: str | None = None,
    break_dates: Iterable = DEFAULT_BREAK_DATES,
    *,
    slope_changes: bool = False,
    confidence: float = 0.95,
    hac_lags: int | None = None,
    min_periods_per_segment: int = 4,
    coverage: pd.DataFrame | None = None,
    min_coverage: float = MIN_COVERAGE_FOR_BREAKS,
) -> TrendResult:
    """Model counts per period as negative binomial with a trend and a level shift at each break date.

    column defaults to the counts' headline series (attacks; remote violence events for ACLED weekly files).

    With ``coverage`` (analysis.analyses.coverage.official_coverage of the same data) the model refuses when a
    break date falls in an official window of which the data holds less than ``min_coverage``: a change in the
    rate of recorded events there says more about the recording than about the attacks.

    log(expected count) = constant + trend x years + a step at each break (+ a trend change at each break when
    slope_changes), with the days observed in each period as exposure. Reports incidence-rate ratios: the
    trend per year, and at each break the jump in the rate relative to what the earlier segment's path
    predicts there. Standard errors are Newey-West (HAC) over hac_lags periods (default: Newey and West's rule
    of thumb; 0: model-based errors) to allow for correlation between neighbouring periods.
    Columns: term, meaning, rate_ratio, rate_ratio_low, rate_ratio_high, p_value.
    ``series`` holds per period: observed, fitted, and without_breaks (the first segment's path continued).
    """
    from statsmodels.stats.diagnostic import acorr_ljungbox

    if not 0 < confidence < 1:
        raise ParameterError(f"confidence={confidence!r} must be between 0 and 1, e.g. 0.95")
    column = column or headline_column(counts)
    breaks = _break_dates(break_dates)
    if coverage is not None:
        _check_coverage(coverage, breaks, min_coverage)
    freq = infer_frequency(counts)
    words = PERIOD_WORDS[freq]
    series = total_series(counts, column)
    _check_segments(series, column, freq, breaks, min_periods_per_segment)
    design = its_design(series, freq, breaks, slope_changes)
    parameters = design.shape[1] + 1  # + the dispersion
    events = int(series[column].sum())
    if events < MIN_EVENTS_FOR_COUNT_MODEL:
        raise _Refusal(
            f"Only {events} {column} in the series; the count model needs at least {MIN_EVENTS_FOR_COUNT_MODEL} to say anything about changes in their rate."
        )
    if len(series) < max(12, 3 * parameters):
        raise _Refusal(
            f"The series has {_periods_text(len(series), freq)}; a model with {parameters} parameters needs at least {max(12, 3 * parameters)}."
        )
    if hac_lags is None:  # Newey and West's rule of thumb
        hac_lags = max(1, math.floor(4 * (len(series) / 100) ** (2 / 9)))
    else:  # 0: model-based standard errors
        hac_lags = check_whole_number("hac_lags", hac_lags, minimum=0, unit="periods")
    y = series[column].to_numpy(float)
    exposure = series["period_days"].to_numpy(float)
    fit, dispersion = _fit_count_model(y, design, exposure, hac_lags)
    if fit is None:
        raise _Refusal(
            "The negative binomial model did not converge on these counts (often a sign of too few events or of a break date at the edge of a burst); try fewer break dates or monthly counts."
        )
    family = "Negative binomial" if dispersion else "Poisson"
    bounds = fit.conf_int(alpha=1 - confidence)
    terms = [t for t in design.columns if t != "const"]
    table = pd.DataFrame(
        {
            "term": terms,
            "meaning": [_term_meaning(t, column, words, breaks, slope_changes) for t in terms],
            "rate_ratio": np.exp(fit.params[terms]).to_numpy(),
            "rate_ratio_low": np.exp(bounds.loc[terms, 0]).to_numpy(),
            "rate_ratio_high": np.exp(bounds.loc[terms, 1]).to_numpy(),
            "p_value": fit.pvalues[terms].to_numpy(),
        }
    )
    without_breaks = design.assign(**{t: 0.0 for t in terms if t != "trend"})
    series_table = pd.DataFrame(
        {
            "period_start": series["period_start"],
            "observed": y,
            "fitted": fit.predict(design, exposure=exposure),
            "without_breaks": fit.predict(without_breaks, exposure=exposure),
        }
    )
    pearson = (y - series_table["fitted"]) / np.sqrt(series_table["fitted"] * (1 + dispersion * series_table["fitted"]))
    lag = max(1, min(10, len(series) // 5))
    ljung_box_p = float(acorr_ljungbox(pearson, lags=[lag])["lb_pvalue"].iloc[0])
    notes = [
        f"{family} regression of {column} per {words} ({_periods_text(len(series), freq)}, "
        f"{events} {column}) on a trend{' and trend changes' if slope_changes else ''} and a step at "
        f"{', '.join(f'{b:%Y-%m-%d}' for b in breaks)}; a {words} that straddles a break counts by the share of its days after it; "
        f"the days observed in each {words} are the exposure. Intervals are {confidence:.0%}, "
        + (
            f"with Newey-West standard errors that allow for correlation over {hac_lags} {words}s (in simulations "
            "without such correlation they cover the true value a little less often than stated, about 90% of the "
            "time for 95% intervals)."
            if hac_lags
            else f"with model-based standard errors (no allowance for correlation between neighbouring {words}s)."
        ),
        "A rate ratio of 2 means twice the expected rate, 0.5 half; an interval that contains 1 is compatible with no "
        + (
            f"change. Overdispersion alpha = {dispersion:.2f}: 0 would mean events arrive independently "
            f"(Poisson); the larger it is, the more the {column} bunch together in some {words}s."
            if dispersion
            else "change. The counts vary no more than independent events would (no overdispersion), so the negative "
            "binomial model reduces to its limit, Poisson regression, which is what was fitted."
        ),
        (
            f"The model's residuals are still correlated from {words} to {words} (Ljung-Box p = {ljung_box_p:.3f} at "
            f"{lag} lags): the intervals are probably too narrow."
            if ljung_box_p < 0.05
            else f"No strong correlation left in the residuals (Ljung-Box p = {ljung_box_p:.2f} at {lag} lags)."
        ),
        "What it can show: whether the rate changed at the given dates, and by how much, beyond the trend. "
        "What it cannot: why. Anything else that changed at the same time (the war in Gaza, a new reporting "
        "source, a coding change) is mixed into the step, and break dates chosen after looking at the chart "
        "make the steps look more certain than they are.",
    ]
    return TrendResult("interrupted time series (negative binomial)", table, notes, series=series_table)


def _term_meaning(term: str, column: str, words: str, breaks: list[pd.Timestamp], slope_changes: bool) -> str:
    """Describe one model term in plain words."""
    if term == "trend":
        span = f"before {breaks[0]:%Y-%m-%d}" if slope_changes else "over the whole series"
        return f"change in the expected {column} per {words} over one year of trend, {span}"
    kind, label = term.split("_", 1)
    if kind == "level":
        return f"jump in the expected {column} per {words} at {label}, relative to the path before it"
    return f"change in the yearly trend after {label}, on top of the trend before it"


def _stationarity_p_value(values: np.ndarray) -> float:
    """Return the augmented Dickey-Fuller p-value (small: no unit root, i.e. stationary)."""
    from statsmodels.tsa.stattools import adfuller

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(adfuller(values, autolag="AIC")[1])


@_refusing("Granger causality")
def granger_causality(
    counts: pd.DataFrame,
    first: str = "responses",
    second: str = "attacks",
    lags: int = 2,
    significance: float = 0.05,
    difference: bool = False,
) -> TrendResult:
    """Test, in both directions, whether past values of one count series help predict the other.

    An F test (statsmodels grangercausalitytests, ssr_ftest) of the lagged cause in a linear regression of
    the effect on its own `lags` past values plus the cause's. One row per direction: cause, effect, lags,
    f_statistic, df_numerator, df_denominator, p_value, is_significant, reading. difference=True tests the
    period-to-period changes instead (for series that drift).
    """
    from statsmodels.tsa.stattools import grangercausalitytests

    lags = check_whole_number("lags", lags, minimum=1, unit="periods")
    if not 0 < significance < 1:
        raise ParameterError(f"significance={significance!r} must be between 0 and 1, e.g. 0.05")
    if first == second:
        raise ParameterError(f"first and second are both {first!r}; give two different count columns")
    freq = infer_frequency(counts)
    words = PERIOD_WORDS[freq]
    series = {column: total_series(counts, column)[column].to_numpy(float) for column in (first, second)}
    periods = len(series[first]) - difference
    needed = MIN_PERIODS_FOR_GRANGER + 3 * lags
    if periods < needed:
        raise _Refusal(
            f"The Granger test with {lags} lags needs at least {_periods_text(needed, freq)}; the series has {_periods_text(periods, freq)}."
        )
    values = {}
    for column, counted in series.items():
        nonzero = int((counted > 0).sum())
        if nonzero < MIN_NONZERO_PERIODS_FOR_GRANGER:
            raise _Refusal(
                f"Only {_periods_text(nonzero, freq)} have any {column}; the Granger test needs at least {MIN_NONZERO_PERIODS_FOR_GRANGER} to say anything."
            )
        values[column] = np.diff(counted) if difference else counted
        if np.ptp(values[column]) == 0:
            raise _Refusal(f"The {column} series does not vary, so it can neither predict nor be predicted.")
    rows = []
    for cause, effect in ((first, second), (second, first)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                result = grangercausalitytests(np.column_stack([values[effect], values[cause]]), [lags])
            except (np.linalg.LinAlgError, ValueError) as error:
                raise _Refusal(
                    f"The Granger regression could not be fitted ({error}); the series may be too sparse."
                ) from None
        f_statistic, p_value, df_denominator, df_numerator = result[lags][0]["ssr_ftest"]
        is_significant = bool(p_value < significance)
        rows.append(
            {
                "cause": cause,
                "effect": effect,
                "lags": lags,
                "f_statistic": float(f_statistic),
                "df_numerator": int(df_numerator),
                "df_denominator": int(df_denominator),
                "p_value": float(p_value),
                "is_significant": is_significant,
                "reading": (
                    f"past {cause} help predict {effect} at the {significance:.0%} level"
                    if is_significant
                    else f"no evidence at the {significance:.0%} level that past {cause} help predict {effect}"
                ),
            }
        )
    stationarity = {c: _stationarity_p_value(v) for c, v in values.items()}
    drifting = [c for c, p in stationarity.items() if p >= 0.05]
    notes = [
        f"Each row asks whether the last {lags} {words}s of the cause improve a linear prediction of the effect made "
        f"from the effect's own last {lags} {words}s (F test; {periods} {words}s"
        f"{', period-to-period changes' if difference else ''}). 'Granger-causes' means 'helps predict', not 'causes'.",
        "Assumptions: both series are stationary (no drift or lasting shift in level); the relation is linear and "
        "the same over the whole period; nothing else drives both (a common cause such as the war in Gaza, or a "
        f"news source that reports attacks and strikes together, produces the same result); reactions within the "
        f"same {words} are not seen, only those one or more {words}s later.",
        (
            "Augmented Dickey-Fuller tests suggest " + " and ".join(drifting) + " drift or shift in level "
            f"(p >= 0.05): {'try difference=True or a period without the shift' if not difference else 'even after differencing; read the tests with care'}."
            if drifting
            else "Augmented Dickey-Fuller tests do not suggest drift in either series (p < 0.05)."
        ),
        f"Two tests are run (one per direction) at the {significance:.0%} level each, so a false alarm in at least "
        f"one of them happens up to about {1 - (1 - significance) ** 2:.0%} of the time when neither series "
        "predicts the other.",
    ]
    return TrendResult("Granger causality", pd.DataFrame(rows), notes)
