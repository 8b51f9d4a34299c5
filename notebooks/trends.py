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
freq = "W"  # "W": weeks from Saturday (as ACLED); "M": calendar months
weekly_counts = ""  # an ACLED weekly aggregates file to count instead of `data` ("" -> use `data`)
include_convoys = True  # count attacks on supply convoys among the attacks (event tables; the notes say which)
weekly_campaign_view = True  # weekly file: only provinces hosting a US / coalition site (False: every province)
break_dates = []  # dates at which the count model lets the attack rate jump; [] -> period starts of episodes.csv
rolling_window = 4  # periods in the rolling mean
granger_lags = 2  # periods of lag in the Granger tests
horizon_days = 14  # an attack is answered when a strike pairs with it within this many days (the package's rule)

# %%
import analysis as an
from analysis.analyses.counts import counts_from_weekly, counts_summary
from analysis.analyses.coverage import official_coverage
from analysis.analyses.response_times import AnswerRule
from analysis.cleaning.episodes import break_dates_within, load_episodes
from analysis.notebook.page import (
    manifest_for,
    setup_notebook,
    show_about,
    show_context,
    show_findings,
    show_header,
    show_result,
    show_table,
    show_text,
)
from analysis.present.counts import SHARE_LABELS, counts_notes, summary_labels
from analysis.present.findings import answered_finding, busiest_period_finding, findings, rate_change_finding
from analysis.present.quality import response_share_caveat
from analysis.present.tables import readable_table
from analysis.present.trends import (
    WHAT_IS_COUNTED,
    WHAT_MODELS_SHOW,
    counts_figure,
    decomposition_figure,
    grouped_counts_figure,
    interrupted_time_series_figure,
    share_figure,
)

setup_notebook()

parameters = {
    "data": data,
    "start": start,
    "end": end,
    "countries": countries,
    "freq": freq,
    "weekly_counts": weekly_counts,
    "include_convoys": include_convoys,
    "weekly_campaign_view": weekly_campaign_view,
    "break_dates": break_dates,
    "rolling_window": rolling_window,
    "granger_lags": granger_lags,
    "horizon_days": horizon_days,
}
if weekly_counts:
    weekly, events, manifest = an.load_weekly_counts(weekly_counts), None, None

    def count(by=None):
        """Count the weekly file as this page's parameters say."""
        return counts_from_weekly(weekly, freq, by, start, end, countries, campaign_view=weekly_campaign_view)

    counts, by_country, by_type = count(), count("country"), count("sub_event_type")
    # a weekly file has no actors: its headline series is remote violence by anyone, never "attacks"
    measure = counts.attrs["headline"]
    measure_words = "remote violence event"
    title = "Trends: remote violence in ACLED weekly counts"
else:
    manifest = manifest_for(data)
    everything = an.load_data(data)
    data = an.filter_data(everything, start, end, countries)
    events = data.events
    selection = {"start": start, "end": end, "countries": countries, "include_convoys": include_convoys}
    counts = an.event_counts(events, freq=freq, **selection)
    by_country = an.event_counts(events, freq=freq, by="country", **selection)
    measure, measure_words, title = "attacks", "attack", "Trends: attacks and responses over time"
measure_label = measure.replace("_", " ")
show_header(title, parameters, manifest)
breaks = break_dates or break_dates_within(load_episodes(), start, end)
coverage = None if events is None else official_coverage(everything)
its = (
    an.interrupted_time_series(counts, column=measure, break_dates=breaks, coverage=coverage)
    if breaks
    else an.TrendResult(
        "interrupted time series (negative binomial)",
        refusal=f"No period of the episode calendar (data/raw/reference/episodes.csv) begins between {start} and "
        f"{end}, so there is no break date to test; pass break_dates to choose one.",
    )
)
show_findings(
    findings(
        rate_change_finding(its, "breaks", freq, measure_words),
        busiest_period_finding(events, freq, "over-time") if events is not None else None,
        answered_finding(events, "answered", horizon_days=horizon_days) if events is not None else None,
    )
)
if events is not None:
    show_context(everything, data, parameters, notes=[*counts_notes(counts), response_share_caveat(events)])
else:
    show_about(counts_notes(counts))
show_about(WHAT_IS_COUNTED, title="What is counted")
show_table(readable_table(counts_summary(by_country)), caption="Totals by country", labels=summary_labels(by_country))

# %% [markdown]
# ## Over time <a id="over-time"></a>
#
# Bars: counts per period, each spanning its week (Saturday to Friday) or month, side by side or stacked, never
# overlaid. Lines: the mean of the last few periods (`rolling_window`), which lags turning points by about half
# the window. From an ACLED weekly file the series are events by type, by any actor, never attacks.

# %%
if events is None:
    rolling = an.rolling_means(counts, columns=[measure], window=rolling_window)
    if not rolling.ok:
        show_text(rolling.refusal)
    headline_title = f"{measure_label.capitalize()} over time, by any actor"
    counts_figure(counts, columns=[measure], rolling=rolling, title=headline_title).show()
    grouped_counts_figure(by_country, column=measure, title=f"{measure_label.capitalize()} by country").show()
    # sub-event types partition all events, so stacking them is honest (remote violence sub-types alone would not be)
    grouped_counts_figure(by_type, column="events", title="All events by ACLED sub-event type").show()
else:
    rolling = an.rolling_means(counts, columns=["attacks", "responses"], window=rolling_window)
    if not rolling.ok:
        show_text(rolling.refusal)
    both_title = "Attacks and responses over time"
    counts_figure(counts, columns=["attacks", "responses"], rolling=rolling, title=both_title).show()
    grouped_counts_figure(by_country, column="attacks", title="Attacks by country").show()
    # intercepted attacks are a part of the attacks: stacked with the rest, never on top of all of them
    split = counts.assign(attacks_not_intercepted=counts["attacks"] - counts["intercepted_attacks"])
    counts_figure(
        split, columns=["intercepted_attacks", "attacks_not_intercepted"], title="Attacks, intercepted or not"
    ).show()

# %% [markdown]
# ## Which attacks drew a response <a id="answered"></a>

# %%
if events is None:
    show_text(
        "An ACLED weekly file has no actors and no links between events, so it cannot say which attacks "
        "were answered. Run this notebook on an event table to see response shares."
    )
else:
    show_text(f"The rule, the same on every page: {AnswerRule(horizon_days).describe()}.")
    by_quarter = an.response_share(events, freq="Q", horizon_days=horizon_days)
    if len(by_quarter):
        share_figure(by_quarter, x="period_start", title="Share of attacks answered, by quarter").show()
        show_table(readable_table(by_quarter), caption="Share of attacks answered, by quarter", labels=SHARE_LABELS)
    else:
        show_text("No attacks in this selection, so there is no response share to show.")
    for dimension, words in (("weapon", "weapon"), ("group", "militia group")):
        share = an.response_share(events, by=dimension, horizon_days=horizon_days)
        if len(share):
            share_figure(share, x=dimension, title=f"Share answered, by {words}").show()
            show_table(readable_table(share), caption=f"Share of attacks answered, by {words}", labels=SHARE_LABELS)

# %% [markdown]
# ## Did the rate change at the break dates? <a id="breaks"></a>
#
# A **negative binomial count model** (an interrupted time series): the attack rate follows a trend, and may
# jump at each break date (by default the first day of each period of the episode calendar,
# `data/raw/reference/episodes.csv`, inside the window: for 2023-24, 17 October 2023, when the surge began, and
# 5 February 2024, after the US strikes that answered Tower 22). The
# table gives **rate ratios**: 1 means no change, 2 twice the rate, 0.5 half, each with a 95% interval. The model
# refuses when the data hold too small a share of the attacks officials counted around a break.

# %%
show_result(its, caption=f"Interrupted time series of {measure_label}: rate ratios")
if its.ok:
    its_title = f"{measure_label.capitalize()}: observed, model, and model without the breaks"
    interrupted_time_series_figure(its, title=its_title).show()

# %% [markdown]
# ## A yearly pattern? <a id="seasonal"></a>
#
#
# Seasonal-trend decomposition (STL) splits the counts into a slow trend, a pattern that repeats every year,
# and what is left. It needs at least two full years, and enough non-empty periods that a pattern is not just
# noise; otherwise it says so.

# %%
stl = an.seasonal_decomposition(counts, column=measure)
show_result(stl, caption=f"Seasonal-trend decomposition of {measure_label}")
if stl.ok:
    decomposition_figure(stl, title=f"{measure_label.capitalize()}: trend, yearly pattern and remainder").show()

# %% [markdown]
# ## Do strikes predict attacks, or attacks predict strikes? <a id="granger"></a>
#
#
# Granger tests ask whether the last few periods of one series improve a prediction of the other beyond what
# its own past gives. Read the assumptions under the table before reading the result.

# %%
if events is None:
    show_text(
        "An ACLED weekly file cannot tell US strikes from other air strikes, nor militia fire from other shelling, "
        "so a Granger test on it would test other actors' fire. Run this notebook on an event table for this test."
    )
else:
    granger = an.granger_causality(counts, first="responses", second="attacks", lags=granger_lags)
    show_result(granger, caption="Granger tests, both directions")

# %%
show_about(WHAT_MODELS_SHOW, title="What these models can and cannot show")
