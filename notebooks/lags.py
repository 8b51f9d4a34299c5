# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
data = ""  # "" -> data/processed; or a raw file / folder, or a built folder
start = "2019-01-01"  # first day, YYYY-MM-DD
end = "2024-12-31"  # last day, YYYY-MM-DD
countries = ["Iraq", "Syria", "Jordan"]
horizon_days = 14  # an attack is answered when a strike pairs with it within this many days (the package's rule)
strategy = "nearest_preceding"  # "nearest_preceding", "all_in_window" or "explicit_only"
same = ""  # inferred pairs anywhere (""), or only within the same "country" / "theatre"
periods = {}  # periods to compare, {name: [first day, last day]}; {} -> the periods of reference/episodes.csv
rate_freq = "Q"  # period of the response-rate table: "M", "Q" or "Y"

# %%
import analysis as an
from analysis.analyses.response_times import AnswerRule, follow_up_end, lag_summary
from analysis.analyses.survival import TABLE_LABELS
from analysis.cleaning.episodes import load_episodes, periods_within
from analysis.notebook.page import (
    open_report,
    show_context,
    show_findings,
    show_table,
    show_text,
)
from analysis.present.findings import Finding, answered_finding, findings, median_wait_finding
from analysis.present.lags import (
    lag_histogram_figure,
    pairing_summary,
    pairs_table,
    pairs_timeline_figure,
    summarise_time_to_response,
    time_to_response_table,
)
from analysis.present.quality import response_share_caveat
from analysis.present.survival import kaplan_meier_figure, response_rates_figure

parameters = {
    "data": data,
    "start": start,
    "end": end,
    "countries": countries,
    "horizon_days": horizon_days,
    "strategy": strategy,
    "same": same,
    "periods": periods,
    "rate_freq": rate_freq,
}
everything, data, manifest = open_report("Time to response: attacks and the strikes that answer them", parameters)
rule = AnswerRule(horizon_days, strategy, same or None)
periods = periods or periods_within(load_episodes(), start, end)
pairs = an.pair_attacks_responses(data.events, horizon_days, strategy=strategy, same=same or None)
ttr = an.time_to_response(
    data, horizon_days, pairs=pairs, data_end=follow_up_end(everything.events, end), periods=periods
)
late = pairs[pairs["link"].eq("explicit") & pairs["lag_days"].gt(horizon_days)]
show_findings(
    findings(
        answered_finding(
            data.events, "time-to-response", horizon_days=horizon_days, strategy=strategy, same=same or None
        ),
        median_wait_finding(data.events, "lags", horizon_days=horizon_days, strategy=strategy, same=same or None),
        Finding(
            f"{late['attack_id'].nunique()} more attacks are tied by a source to a strike that came later than "
            f"{horizon_days} days ({int(late['lag_days'].min())} to {int(late['lag_days'].max())} days after).",
            "pairs",
        )
        if len(late)
        else None,
        Finding(pairing_summary(data.events, pairs), "pairs"),
    )
)
show_context(everything, data, parameters, notes=[response_share_caveat(data.events)])
show_text(f"The rule used on this page and across the package: {rule.describe()}.")

# %% [markdown]
# ## How attacks and responses are paired <a id="pairs"></a>


# %%
if len(pairs):
    show_table(pairs_table(pairs), caption=f"{len(pairs):,} attack-response pairs", max_rows=20)
else:
    show_text("No response in this selection could be paired with an attack, so there is no pairs table.")
if len(data.events) and len(data.events) <= 2_000:
    pairs_timeline_figure(data.events, pairs).show()

# %% [markdown]
# **Explicit** pairs: a source says which attack a strike answered (`responds_to`); the strike is paired with
# exactly that attack, however long the wait. **Inferred** pairs: for strikes announced without naming one attack,
# the `strategy` rule pairs the strike with the latest attack before it within the horizon (*nearest_preceding*),
# with every attack in the window (*all_in_window*), or infers nothing (*explicit_only*). Lags are calendar days
# between the local dates (0 = same day); when an event is dated only to a week or a month, the range the dates
# allow follows in brackets: "3 (0 to 6)".

# %% [markdown]
# ## How long between attack and response <a id="lags"></a>

# %%
summary = lag_summary(pairs)
if summary["attacks"].iloc[0]:
    show_table(summary, caption="Days from each attack to its first response (one pair per attack)")
    lag_histogram_figure(pairs).show()
else:
    show_text("No pair in this selection has a lag, so there is no lag distribution to show.")

# %% [markdown]
# Each attack counts once, with its first response: a strike wave written as one row per country, or a strike
# answering a month of rocket fire, does not weigh as several pairs (`all_pairs` says how many there were).

# %% [markdown]
# ## Time to response, attack by attack <a id="time-to-response"></a>

# %%
show_text(summarise_time_to_response(ttr, pairs))
if len(ttr):
    show_table(time_to_response_table(ttr), caption="Each attack, its first response and its follow-up")
    kaplan_meier_figure(an.kaplan_meier(ttr)).show()
    show_table(an.median_time_to_response(ttr), caption="Median days to response (95% interval)", labels=TABLE_LABELS)
    share_days = [d for d in (1, 3, 7, 14, 30) if d <= horizon_days]
    show_table(
        an.share_answered_within(ttr, share_days).round(3),
        caption="Share answered within N days (95% interval)",
        labels=TABLE_LABELS,
    )
else:
    show_text("There are no attacks in this selection, so there is no time to response to estimate.")

# %% [markdown]
# Each attack is followed for the horizon. An attack close to the end of the data could not be followed that long:
# if no response came in the days the data covers, it is *censored* (outcome unknown), not unanswered. The
# Kaplan-Meier curve uses each attack for exactly the days it was followed; its band is a 95% interval.

# %% [markdown]
# ## Do some attacks get answered faster? <a id="compare"></a>

# %%
comparisons = {"country": "country", "has_us_casualties": "US casualties", "period": "period"}
for column, label in comparisons.items():
    if not len(ttr):
        show_text(f"There are no attacks in this selection, so there is nothing to compare by {label}.")
        continue
    kaplan_meier_figure(an.kaplan_meier(ttr, by=column), title=f"Share answered, by {label}").show()
    show_table(
        an.median_time_to_response(ttr, by=column), caption=f"Median days to response by {label}", labels=TABLE_LABELS
    )
    show_text(str(an.compare_response_times(ttr, by=column)))

# %% [markdown]
# Periods come from the episode calendar (`data/raw/reference/episodes.csv`) unless the `periods` parameter sets
# others. The log-rank test asks whether the groups' curves differ by more than chance; groups with fewer than
# five attacks are left out, and with small groups "no clear difference" is not evidence of none.

# %% [markdown]
# ## Response rates over time <a id="rates"></a>

# %%
rates = an.response_rates(ttr, freq=rate_freq)
show_table(rates.round(3), caption=f"Attacks answered within {horizon_days} days, by period", labels=TABLE_LABELS)
if rates["share_answered"].notna().any():
    response_rates_figure(rates).show()
else:
    show_text("No period has an attack whose outcome is known, so there is no chart.")
