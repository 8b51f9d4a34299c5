"""Survival estimates on time_to_response: Kaplan-Meier curves, median time to response, shares answered
within N days, response rates by period, and log-rank comparisons between groups (statsmodels).

An attack is a subject; being answered is the event; an attack not answered by the horizon or by the end of
the data is censored. Every function takes the table an.time_to_response returns. Where a number cannot be
estimated (too few attacks, fewer than half answered, ...) the row says why in a `note` sentence instead of
showing a bare NaN.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.core import calendar
from analysis.core.errors import ParameterError, check_days

ALL_ATTACKS = "all attacks"
SHARE_DAYS = (1, 3, 7, 14)
BANDS = ("pointwise", "simultaneous")
MIN_ATTACKS_TO_COMPARE = 5
# How boolean groups read in tables and legends.
BOOLEAN_LABELS = {
    "has_us_casualties": {True: "US personnel killed or wounded", False: "no US killed or wounded reported"},
}
# Headers in words for the tables below (show_table(..., labels=TABLE_LABELS)).
TABLE_LABELS = {
    "median_days": "median days",
    "median_lower": "interval from",
    "median_upper": "interval to",
    "within_days": "within (days)",
    "followed_or_answered": "followed that long or answered",
    "share_answered": "share answered",
    "share_lower": "interval from",
    "share_upper": "interval to",
    "still_open": "still open",
}
# How a grouping column reads in sentences ("compare time to response by US casualties").
GROUP_WORDS = {"has_us_casualties": "US casualties"}


def group_words(by: str | None) -> str:
    """Name a grouping column in words for sentences (a column without its own words reads as itself).

    >>> group_words("has_us_casualties"), group_words("country")
    ('US casualties', 'country')
    """
    return GROUP_WORDS.get(by, str(by).replace("_", " "))


# ---------------------------------------------------------------- groups


def _check_ttr(ttr: pd.DataFrame) -> pd.DataFrame:
    """Refuse anything that is not a time_to_response table."""
    needed = {"attack_id", "duration_days", "is_answered", "follow_up_days"}
    if not isinstance(ttr, pd.DataFrame) or not needed <= set(ttr.columns):
        raise ParameterError("expected the table an.time_to_response returns (duration_days, is_answered, ...)")
    return ttr


def _check_alpha(alpha: float) -> float:
    """Return a significance level strictly between 0 and 1."""
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise ParameterError(f"alpha must be between 0 and 1 (0.05 gives 95% intervals), got {alpha!r}")
    return float(alpha)


def group_labels(ttr: pd.DataFrame, by: str | None) -> pd.Series:
    """Return each attack's group as text (NA when it has none); by=None puts every attack in one group."""
    _check_ttr(ttr)
    if by is None:
        return pd.Series(ALL_ATTACKS, index=ttr.index, dtype="string")
    if by not in ttr:
        hints = {
            "has_us_casualties": " (pass the EventData, or casualties=data.casualties, to an.time_to_response)",
            "period": " (pass periods={name: (start, end)} to an.time_to_response)",
        }
        raise ParameterError(f"cannot group by {by!r}: the table has no such column{hints.get(by, '')}")
    values = ttr[by]
    if by in BOOLEAN_LABELS:
        return values.map(BOOLEAN_LABELS[by], na_action="ignore").astype("string")
    return values.astype("string")


def group_order(ttr: pd.DataFrame, by: str | None) -> list[str]:
    """Return the groups in reading order: a categorical's own order (periods: by date), else sorted."""
    labels = group_labels(ttr, by)
    if by is not None and isinstance(ttr[by].dtype, pd.CategoricalDtype):
        return [str(c) for c in ttr[by].cat.categories]
    if by in BOOLEAN_LABELS:
        return [BOOLEAN_LABELS[by][flag] for flag in (True, False) if BOOLEAN_LABELS[by][flag] in set(labels.dropna())]
    return sorted(labels.dropna().unique())


def _groups(ttr: pd.DataFrame, by: str | None) -> tuple[list[tuple[str, pd.DataFrame]], int]:
    """Split the table by group (in reading order, groups without attacks skipped); count attacks in no group."""
    labels = group_labels(ttr, by)
    groups = [(name, ttr[labels.eq(name).fillna(False)]) for name in group_order(ttr, by)]
    return [(name, part) for name, part in groups if len(part)], int(labels.isna().sum())


def _left_out_sentence(count: int, by: str | None) -> str:
    """Say how many attacks were left out for having no group."""
    if not count:
        return ""
    return f"{count} {'attack has' if count == 1 else 'attacks have'} no {group_words(by)} (e.g. outside every period) and {'is' if count == 1 else 'are'} left out."


def _survival_function(group: pd.DataFrame):
    """Fit the Kaplan-Meier estimator of 'not yet answered' for one group."""
    from statsmodels.duration.survfunc import SurvfuncRight

    return SurvfuncRight(group["duration_days"].to_numpy(dtype=float), group["is_answered"].to_numpy(dtype=float))


# ---------------------------------------------------------------- Kaplan-Meier curves


def _pointwise_band(survival: np.ndarray, standard_error: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Return log-log (cloglog) pointwise limits for S(t), the transform statsmodels uses for quantile CIs."""
    from scipy.stats import norm

    z = norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = z * standard_error / (survival * np.log(survival))
        lower, upper = survival ** np.exp(-spread), survival ** np.exp(spread)
    return _degenerate_limits(survival, lower, upper)


def _degenerate_limits(survival, lower, upper) -> tuple[np.ndarray, np.ndarray]:
    """Where S(t) is 0 or 1 the transforms are undefined; Greenwood's variance is 0 there, so the limits are S."""
    at_edge = (survival <= 0) | (survival >= 1) | ~np.isfinite(lower) | ~np.isfinite(upper)
    return np.where(at_edge, survival, np.minimum(lower, upper)), np.where(at_edge, survival, np.maximum(lower, upper))


def kaplan_meier(
    ttr: pd.DataFrame, by: str | None = None, *, alpha: float = 0.05, band: str = "pointwise"
) -> pd.DataFrame:
    """Return Kaplan-Meier curves of the share of attacks answered by each day, with a confidence band.

    One row per group and day on which an attack was answered, plus a first row at day 0 and a last row at
    the longest follow-up, so each curve spans its follow-up. band="pointwise" gives log-log intervals at each
    day (level 1 - alpha); "simultaneous" gives a 95% Hall-Wellner band covering the whole curve at once.
    """
    alpha = _check_alpha(alpha)
    if band not in BANDS:
        raise ParameterError(f"unknown band {band!r}; use 'pointwise' or 'simultaneous'")
    if band == "simultaneous" and alpha != 0.05:
        raise ParameterError("the simultaneous (Hall-Wellner) band is available at alpha=0.05 only")
    groups, _ = _groups(ttr, by)
    parts = []
    for name, group in groups:
        fit = _survival_function(group)
        survival = np.asarray(fit.surv_prob, dtype=float)
        if band == "pointwise":
            lower, upper = _pointwise_band(survival, np.asarray(fit.surv_prob_se, dtype=float), alpha)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                lower, upper = fit.simultaneous_cb(alpha=0.05)
            lower, upper = _degenerate_limits(survival, np.asarray(lower), np.asarray(upper))
        steps = pd.DataFrame(
            {
                "time_days": np.asarray(fit.surv_times, dtype=float),
                "at_risk": np.asarray(fit.n_risk, dtype=float),
                "answered": np.asarray(fit.n_events, dtype=float),
                "share_unanswered": survival,
                "lower": lower,
                "upper": upper,
            }
        )
        # Every curve starts at day 0 with nothing answered; a same-day answer then shows as a jump at day 0.
        start = pd.DataFrame(
            {
                "time_days": [0.0],
                "at_risk": [float(len(group))],
                "answered": [0.0],
                "share_unanswered": [1.0],
                "lower": [1.0],
                "upper": [1.0],
            }
        )
        steps = pd.concat([start, steps], ignore_index=True)
        last_day = float(group["duration_days"].max())
        if steps["time_days"].iloc[-1] < last_day:
            tail = steps.iloc[[-1]].assign(
                time_days=last_day, answered=0.0, at_risk=float((group["duration_days"] >= last_day).sum())
            )
            steps = pd.concat([steps, tail], ignore_index=True)
        parts.append(steps.assign(group=name))
    columns = [
        "group",
        "time_days",
        "at_risk",
        "answered",
        "share_answered",
        "share_answered_lower",
        "share_answered_upper",
        "share_unanswered",
    ]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns}).astype({"group": "string"})
    curve = pd.concat(parts, ignore_index=True)
    curve = curve.assign(
        share_answered=1 - curve["share_unanswered"],
        share_answered_lower=1 - curve["upper"],
        share_answered_upper=1 - curve["lower"],
    )
    return curve[columns].astype({"group": "string", "time_days": "int64", "at_risk": "int64", "answered": "int64"})


# ---------------------------------------------------------------- median and shares


def median_time_to_response(ttr: pd.DataFrame, by: str | None = None, *, alpha: float = 0.05) -> pd.DataFrame:
    """Return the Kaplan-Meier median days to response per group, with its (1 - alpha) interval and a note.

    The median is the first day on which fewer than half of the attacks remain unanswered (statsmodels'
    rule); its interval inverts log-log tests, so its limits are days on which attacks were answered.
    """
    alpha = _check_alpha(alpha)
    groups, left_out = _groups(ttr, by)
    rows = []
    for name, group in groups:
        fit = _survival_function(group)
        answered = int(group["is_answered"].sum())
        row = {
            "group": name,
            "attacks": len(group),
            "answered": answered,
            "median_days": pd.NA,
            "median_lower": pd.NA,
            "median_upper": pd.NA,
            "note": "",
        }
        median = fit.quantile(0.5) if answered else np.nan
        if np.isnan(median):
            row["note"] = (
                f"Median not reached: fewer than half of the {len(group)} attacks were answered within "
                "their follow-up, so the median is longer than the data can show."
            )
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                lower, upper = fit.quantile_ci(0.5, alpha=alpha)
            row["median_days"] = median
            row["median_lower"] = lower if np.isfinite(lower) else pd.NA
            row["median_upper"] = upper if np.isfinite(upper) else pd.NA
            if not np.isfinite(upper) or not np.isfinite(lower):
                row["note"] = (
                    "The interval's upper limit is not reached: too few attacks to bound the median from above."
                    if np.isfinite(lower)
                    else "Too few attacks to put an interval around the median."
                )
        rows.append(row)
    return _with_left_out(
        pd.DataFrame(
            rows, columns=["group", "attacks", "answered", "median_days", "median_lower", "median_upper", "note"]
        ),
        left_out,
        by,
    ).astype(
        {
            "attacks": "Int64",
            "answered": "Int64",
            "median_days": "Float64",
            "median_lower": "Float64",
            "median_upper": "Float64",
            "note": "string",
        }
    )


def _with_left_out(table: pd.DataFrame, left_out: int, by: str | None) -> pd.DataFrame:
    """Add a row for attacks without a group, or one saying there are no attacks, so nothing is dropped silently."""
    extra = []
    if left_out:
        extra.append({"group": f"(no {by})", "attacks": left_out, "note": _left_out_sentence(left_out, by)})
    elif table.empty:
        extra.append({"group": "(none)", "attacks": 0, "note": "There are no attacks in this selection."})
    if not extra:
        return table
    return (
        pd.concat([table, pd.DataFrame(extra, columns=table.columns)], ignore_index=True)
        if len(table)
        else pd.DataFrame(extra, columns=table.columns)
    )


def _step_value(times: np.ndarray, values: np.ndarray, day: float, start: float) -> float:
    """Read a right-continuous step function at day (start before the first step)."""
    position = np.searchsorted(times, day, side="right") - 1
    return float(values[position]) if position >= 0 else start


def share_answered_within(
    ttr: pd.DataFrame, days: Iterable[int] = SHARE_DAYS, by: str | None = None, *, alpha: float = 0.05
) -> pd.DataFrame:
    """Return the Kaplan-Meier share of attacks answered within each number of days, with pointwise intervals.

    Censoring is accounted for, so attacks near the end of the data count for the days they were followed.
    """
    alpha = _check_alpha(alpha)
    days = [check_days("days", d) for d in ([days] if isinstance(days, (int, np.integer)) else list(days))]
    horizon = int(ttr["horizon_days"].max()) if "horizon_days" in ttr and len(ttr) else None
    too_long = [d for d in days if horizon is not None and d > horizon]
    if too_long:
        raise ParameterError(
            f"cannot estimate the share answered within {too_long[0]} days: follow-up stops at the "
            f"{horizon}-day horizon; raise horizon_days in an.time_to_response"
        )
    groups, left_out = _groups(ttr, by)
    rows = []
    for name, group in groups:
        fit = _survival_function(group)
        survival = np.asarray(fit.surv_prob, dtype=float)
        lower, upper = _pointwise_band(survival, np.asarray(fit.surv_prob_se, dtype=float), alpha)
        times = np.asarray(fit.surv_times, dtype=float)
        followed_longest = int(group["duration_days"].max())
        for day in days:
            followed = int(((group["duration_days"] >= day) | group["is_answered"]).sum())
            row = {
                "group": name,
                "within_days": day,
                "attacks": len(group),
                "followed_or_answered": followed,
                "share_answered": pd.NA,
                "share_lower": pd.NA,
                "share_upper": pd.NA,
                "note": "",
            }
            if day > followed_longest:
                row["note"] = f"No attack in this group was followed for {day} days, so the share cannot be estimated."
            else:
                row["share_answered"] = 1 - _step_value(times, survival, day, 1.0)
                row["share_lower"] = 1 - _step_value(times, upper, day, 1.0)
                row["share_upper"] = 1 - _step_value(times, lower, day, 1.0)
            rows.append(row)
    columns = [
        "group",
        "within_days",
        "attacks",
        "followed_or_answered",
        "share_answered",
        "share_lower",
        "share_upper",
        "note",
    ]
    table = _with_left_out(pd.DataFrame(rows, columns=columns), left_out, by)
    return table.astype(
        {
            "within_days": "Int64",
            "attacks": "Int64",
            "followed_or_answered": "Int64",
            "share_answered": "Float64",
            "share_lower": "Float64",
            "share_upper": "Float64",
            "note": "string",
        }
    )


# ---------------------------------------------------------------- response rates by period


def response_rates(
    ttr: pd.DataFrame, *, freq: str | None = "Q", by: str | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """Return, per calendar period (freq "W", "M", "Q", "Y": analysis.core.calendar) or per group (by=column), how many attacks were answered.

    share_answered = answered / (answered + unanswered): attacks still open when the data ends are counted
    separately (still_open) and left out of the share, since their outcome is unknown. Wilson intervals.
    """
    from statsmodels.stats.proportion import proportion_confint

    alpha = _check_alpha(alpha)
    _check_ttr(ttr)
    if by is not None:
        labels = group_labels(ttr, by)
        order = group_order(ttr, by)
    else:
        freq = calendar.check_freq(freq)
        starts = calendar.period_start(pd.to_datetime(ttr["attack_date"]), freq)
        labels = calendar.period_label(starts, freq)
        order = (
            calendar.period_label(calendar.period_grid(starts.min(), starts.max(), freq), freq).tolist()
            if len(starts)
            else []
        )
    rows = []
    for name in order:
        group = ttr[labels.eq(name).fillna(False)]
        answered = int(group["is_answered"].sum())
        unanswered = int(group["censored_by"].eq("horizon").sum())
        decided = answered + unanswered
        row = {
            "period": name,
            "attacks": len(group),
            "answered": answered,
            "unanswered": unanswered,
            "still_open": len(group) - decided,
            "share_answered": pd.NA,
            "share_lower": pd.NA,
            "share_upper": pd.NA,
            "note": "",
        }
        if not len(group):
            row["note"] = "No attacks in this period."
        elif not decided:
            row["note"] = "Every attack in this period was still open when the data ends."
        else:
            low, high = proportion_confint(answered, decided, alpha=alpha, method="wilson")
            row.update(share_answered=answered / decided, share_lower=low, share_upper=high)
        rows.append(row)
    columns = [
        "period",
        "attacks",
        "answered",
        "unanswered",
        "still_open",
        "share_answered",
        "share_lower",
        "share_upper",
        "note",
    ]
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        table = pd.DataFrame(
            [
                {
                    "period": "none",
                    "attacks": 0,
                    "answered": 0,
                    "unanswered": 0,
                    "still_open": 0,
                    "note": "There are no attacks in this selection.",
                }
            ],
            columns=columns,
        )
    return table.astype(
        {
            "period": "string",
            "share_answered": "Float64",
            "share_lower": "Float64",
            "share_upper": "Float64",
            "note": "string",
        }
    )


# ---------------------------------------------------------------- log-rank comparison


@dataclass
class LogRankTest:
    """The outcome of comparing time to response between groups; `sentence` always says what it found."""

    by: str
    groups: pd.DataFrame
    sentence: str
    chi_square: float | None = None
    degrees_of_freedom: int | None = None
    p_value: float | None = None
    left_out: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.sentence


def compare_response_times(
    ttr: pd.DataFrame, by: str, *, min_attacks: int = MIN_ATTACKS_TO_COMPARE, alpha: float = 0.05
) -> LogRankTest:
    """Test whether time to response differs between the groups of a column (log-rank, statsmodels survdiff).

    Groups with fewer than min_attacks attacks are left out (named in the sentence); with fewer than two groups
    left, or no answered attack, the result is a sentence saying why no test was run.
    """
    from statsmodels.duration.survfunc import survdiff

    alpha = _check_alpha(alpha)
    if by is None:
        raise ParameterError(
            "compare_response_times needs by=<column>, e.g. 'country', 'has_us_casualties' or 'period'"
        )
    min_attacks = max(check_days("min_attacks", min_attacks), 1)
    words = group_words(by)
    groups, left_out = _groups(ttr, by)
    summary = median_time_to_response(ttr, by)
    kept = [(name, g) for name, g in groups if len(g) >= min_attacks]
    small = [f"{name} ({len(g)})" for name, g in groups if len(g) < min_attacks]
    dropped = f" Left out for having fewer than {min_attacks} attacks: {', '.join(small)}." if small else ""
    dropped += f" {_left_out_sentence(left_out, by)}" if left_out else ""
    result = LogRankTest(by=by, groups=summary, sentence="", left_out=[s.rsplit(" (", 1)[0] for s in small])
    if len(kept) < 2:
        qualify = "none qualifies" if not kept else "only 1 qualifies"
        result.sentence = (
            f"Too few attacks to compare time to response by {words}: a log-rank test needs at least two "
            f"groups with {min_attacks} or more attacks, and {qualify}.{dropped}"
        )
        return result
    combined = pd.concat([g.assign(_group=name) for name, g in kept], ignore_index=True)
    if not combined["is_answered"].any():
        result.sentence = f"No attack in these groups was answered within its follow-up, so there is nothing to compare by {words}.{dropped}"
        return result
    try:
        chi_square, p_value = survdiff(
            combined["duration_days"].to_numpy(dtype=float),
            combined["is_answered"].to_numpy(dtype=float),
            combined["_group"].to_numpy(),
        )
    except np.linalg.LinAlgError:
        result.sentence = f"The log-rank test cannot be computed by {words}: the groups' answers carry no variation to compare.{dropped}"
        return result
    result.chi_square, result.degrees_of_freedom, result.p_value = float(chi_square), len(kept) - 1, float(p_value)
    verdict = (
        "differs between these groups by more than chance alone would readily explain"
        if p_value < alpha
        else "does not differ clearly between these groups"
    )
    degrees = f"{len(kept) - 1} degree{'s' if len(kept) > 2 else ''} of freedom"
    shown_p = "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"
    result.sentence = (
        f"Time to response {verdict} (log-rank test by {words} across {', '.join(n for n, _ in kept)}: "
        f"chi-square {chi_square:.2f} on {degrees}, {shown_p}; threshold {alpha:g}).{dropped}"
    )
    return result
