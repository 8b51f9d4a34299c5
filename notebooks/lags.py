# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
data = ""  # "" -> data/processed; or a raw file / folder, or a built folder
start = "2019-01-01"  # first day, YYYY-MM-DD
end = "2024-12-31"  # last day, YYYY-MM-DD
countries = ["Iraq", "Syria", "Jordan"]
window_days = 14  # how far back a response may reach to an attack when no source names one
horizon_days = 30  # how long each attack is followed before it counts as unanswered
strategy = "nearest_preceding"  # "nearest_preceding", "all_in_window" or "explicit_only"
same = ""  # inferred pairs anywhere (""), or only within the same "country" / "theatre"
periods = {  # periods to compare: name -> [first day, last day]
    "up to 16 Oct 2023": ["2019-01-01", "2023-10-16"],
    "17 Oct 2023 to Tower 22": ["2023-10-17", "2024-01-28"],
    "after Tower 22": ["2024-01-29", "2024-12-31"],
}
rate_freq = "Q"  # period of the response-rate table: "M", "Q" or "Y"

# %%
import analysis as an
from analysis.analyses.response_times import follow_up_end, lag_summary
from analysis.analyses.survival import TABLE_LABELS
from analysis.notebook.page import open_report, show_table, show_text
from analysis.present.lags import (
    lag_histogram_figure,
    pairing_summary,
    pairs_table,
    pairs_timeline_figure,
    summarise_time_to_response,
    time_to_response_table,
)
from analysis.present.quality import coverage_caveats, response_share_caveat
from analysis.present.survival import kaplan_meier_figure, response_rates_figure

parameters = {
    "data": data,
    "start": start,
    "end": end,
    "countries": countries,
    "window_days": window_days,
    "horizon_days": horizon_days,
    "strategy": strategy,
    "same": same,
    "periods": periods,
    "rate_freq": rate_freq,
}
everything, data, manifest = open_report(
    "Time to response: attacks, the strikes that answer them, and the lag between", parameters
)

# %% [markdown]
# When Iran-aligned militias hit US or coalition forces, does a US strike follow, and how soon? This page
# pairs each US strike (a *response*) with the attack it answers, measures the time between them, and asks
# how long an attack typically waits for an answer, which attacks go unanswered, and whether that has changed.
# Every number below comes from a function in the `analysis` package, so code that imports the package gets
# the same figures.
#
# ## What the data can and cannot say

# %%
for note in coverage_caveats(everything.events, start, end) + [response_share_caveat(data.events)]:
    if note:
        show_text(note)

# %% [markdown]
# ## How attacks and responses are paired
#
# * **Explicit pairs.** When a source says which attack a strike answered (the `responds_to` column of the
#   log), the strike is paired with exactly that attack, however long the wait was.
# * **Inferred pairs.** Most strikes are announced without naming one attack. For those, the page infers a
#   pair with the rule chosen in the `strategy` parameter: *nearest_preceding* pairs a strike with the latest
#   attack before it within `window_days` (all of them when several happened on the same day and no clock time
#   separates them); *all_in_window* pairs it with every attack in that window; *explicit_only* infers nothing.
#   With `same` set to "country" or "theatre", an inferred pair stays within one country or theatre (Iraq;
#   Syria together with the Jordanian posts that support al-Tanf).
# * **Lag.** *days* counts calendar days between the two recorded local dates (0 = same day); *hours* appear
#   only when both events have a clock time. When a source dates an event only to a week or a month, the
#   shortest and longest lag the dates allow follow in brackets: "3 (0 to 6)".
#
# In the tables, *link* says how a pair was made: **explicit** (a source ties the strike to that attack) or
# **inferred** (this page's rule, from dates and places alone).

# %%
pairs = an.pair_attacks_responses(data.events, window_days, strategy=strategy, same=same or None)
show_text(pairing_summary(data.events, pairs))
if len(pairs):
    show_table(pairs_table(pairs), caption=f"{len(pairs)} attack-response pairs")
else:
    show_text("No response in this selection could be paired with an attack, so there is no pairs table.")

# %% [markdown]
# ## Timeline
#
# Red circles: attacks; blue diamonds: responses (the overview's colours). A solid line joins a response to an
# attack a source names (explicit pair); a dotted line is an inferred pair.

# %%
if len(data.events):
    pairs_timeline_figure(data.events, pairs).show()
else:
    show_text("There are no events in this selection, so there is no timeline.")

# %% [markdown]
# ## How long between attack and response
#
# The distribution of lags over all pairs. A response that answers several attacks (e.g. strikes answering a
# month of rocket fire) counts once per attack.

# %%
lags = lag_summary(pairs)
if lags["pairs"].iloc[0]:
    show_table(
        lags, caption="Lag in days by kind of link (explicit: a source ties the pair; inferred: this page's rule)"
    )
    lag_histogram_figure(pairs).show()
else:
    show_text("No pair in this selection has a lag, so there is no lag distribution to show.")

# %% [markdown]
# ## Time to response, attack by attack
#
# Each attack is followed for `horizon_days`. It is *answered* when a response pairs with it within that time.
# An attack close to the end of the data could not be followed for the whole horizon: if no response came in
# the days the data covers, it is *censored*: its outcome is unknown, not "unanswered". The Kaplan-Meier
# method below uses each attack for exactly the days it was followed.

# %%
data_end = follow_up_end(everything.events, end)
ttr = an.time_to_response(data, horizon_days, pairs=pairs, data_end=data_end, periods=periods)
show_text(summarise_time_to_response(ttr, pairs))
if len(ttr):
    show_table(time_to_response_table(ttr), caption="Each attack, its first response and its follow-up")

# %% [markdown]
# ## Share of attacks answered, day by day
#
# The curve rises each day on which attacks were answered; the shaded band is a 95% confidence interval for
# each day. The table gives the median wait (the day by which half of the attacks were answered) and the share
# answered within 1, 3, 7 and 14 days.

# %%
if len(ttr):
    kaplan_meier_figure(an.kaplan_meier(ttr)).show()
    show_table(an.median_time_to_response(ttr), caption="Median days to response (95% interval)", labels=TABLE_LABELS)
    share_days = [d for d in (1, 3, 7, 14) if d <= horizon_days]
    show_table(
        an.share_answered_within(ttr, share_days).round(3),
        caption="Share answered within N days (95% interval)",
        labels=TABLE_LABELS,
    )
else:
    show_text("There are no attacks in this selection, so there is no time to response to estimate.")

# %% [markdown]
# ## Do some attacks get answered faster?
#
# The same curves by country, by whether the attack killed or wounded US personnel (any claim of at least one
# US service member or contractor killed or wounded), and by the periods set in the parameters. The log-rank
# test asks whether the groups' curves differ by more than chance would explain; groups with fewer than five
# attacks are left out of the test.

# %%
comparisons = {"country": "country", "has_us_casualties": "US casualties", "period": "period"}
for column, label in comparisons.items():
    if not len(ttr):
        show_text(f"There are no attacks in this selection, so there is nothing to compare by {label}.")
        continue
    kaplan_meier_figure(an.kaplan_meier(ttr, by=column), title=f"Share of attacks answered, by {label}").show()
    show_table(
        an.median_time_to_response(ttr, by=column), caption=f"Median days to response by {label}", labels=TABLE_LABELS
    )
    show_text(str(an.compare_response_times(ttr, by=column)))

# %% [markdown]
# ## Response rates over time
#
# Of the attacks in each period, how many were answered within the horizon. Attacks still open when the data
# ends are counted apart and left out of the share. Bars show the share with a 95% (Wilson) interval. Shares
# are rounded to three decimals in the tables.
#
# These shares count an answer only within the horizon. The trends page counts every response a source ties
# to an attack, however late, plus any response within its own window, so its shares can be higher. Like every
# share on this page, they are likely too high for the reason given at the top.

# %%
rates = an.response_rates(ttr, freq=rate_freq)
show_table(rates.round(3), caption="Attacks answered within the horizon, by period", labels=TABLE_LABELS)
if rates["share_answered"].notna().any():
    response_rates_figure(rates).show()
else:
    show_text("No period has an attack whose outcome is known, so there is no chart.")
show_table(
    an.response_rates(ttr, by="period").round(3),
    caption="Attacks answered within the horizon, by the periods set in the parameters",
    labels=TABLE_LABELS,
)

# %% [markdown]
# ## Caveats
#
# * **Explicit and inferred pairs are different kinds of evidence.** An explicit pair is a source's statement;
#   an inferred pair is this page's guess from dates and places. *nearest_preceding* leaves earlier attacks in
#   a burst looking unanswered; *all_in_window* credits one strike to every attack before it. Re-run with the
#   other strategy to see how much the conclusions depend on the rule.
# * **Censoring.** An attack followed for less than the horizon with no response is not counted as unanswered;
#   the Kaplan-Meier estimates use the days it was followed. The follow-up ends at the earlier of the `end`
#   parameter and the last event in the data.
# * **Date precision.** Lags are between recorded dates. When an event is dated only to a week or a month, the
#   lag could be anywhere in the range shown in brackets; the estimates use the recorded dates.
#   Official statements give Washington dates, so a strike "on the night of" a day may fall on the next local
#   day; lags of 0 or 1 day are uncertain by about a day.
# * **What the data does not cover.** Only the attacks and strikes in the data are counted. Many attacks are
#   never reported one by one, and some strikes are never announced; a response to an attack outside the
#   selected dates or countries has no lag here. A strike can also answer attacks on other forces or a
#   campaign as a whole rather than one attack.
# * **Small numbers.** With few attacks per group, intervals are wide and the log-rank test has little power:
#   a "no clear difference" is not evidence that there is none.
