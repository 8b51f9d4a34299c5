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
break_dates = ["2023-10-17", "2024-02-02"]  # dates at which the count model lets the attack rate jump
rolling_window = 4  # periods in the rolling mean
granger_lags = 2  # periods of lag in the Granger tests
answer_window_days = 14  # an attack counts as answered when a response names it, or follows within this
# many days; -1 counts only responses that name the attack

# %%
import analysis as an
from analysis.analyses.counts import counts_summary
from analysis.notebook.page import (
    manifest_for,
    setup_notebook,
    show_header,
    show_headline,
    show_result,
    show_table,
    show_text,
)
from analysis.present.counts import SHARE_LABELS, counts_notes, headline_counts, summary_labels
from analysis.present.quality import coverage_caveats, response_share_caveat
from analysis.present.tables import readable_table
from analysis.present.trends import (
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
    "break_dates": break_dates,
    "rolling_window": rolling_window,
    "granger_lags": granger_lags,
    "answer_window_days": answer_window_days,
}
if weekly_counts:
    source, events, manifest = an.load_weekly_counts(weekly_counts), None, None
else:
    manifest = manifest_for(data)
    everything = an.load_data(data)
    data = an.filter_data(everything, start, end, countries)
    source = events = data.events
show_header("Trends: attacks and responses over time", parameters, manifest)
counts = an.event_counts(source, freq=freq, start=start, end=end, countries=countries)
by_country = an.event_counts(source, freq=freq, by="country", start=start, end=end, countries=countries)
window_days = None if answer_window_days < 0 else answer_window_days

# %% [markdown]
# How many militia attacks on US and coalition forces, and how many US and coalition strikes in response, week
# by week or month by month; which share of attacks drew a response; whether the attack rate changed at given
# dates; and whether one series helps predict the other. Every number below comes from a function in the
# `analysis` package (`an.event_counts`, `an.response_share`, `an.interrupted_time_series`, ...), so code that
# imports the package gets the same figures.
#
# **Weeks** run Saturday to Friday and are labelled by their Saturday, as in ACLED's weekly files, so counts
# from the incident log and from ACLED line up week for week. **Months** are calendar months. A week or month
# with nothing in the data counts as zero, although it may be a gap in the sources rather than a quiet spell.
#
# ## What is counted
#
# From an event table (the incident log, or ACLED / UCDP GED event exports read by `an.load_events`), an
# **attack** is an event coded as a militia attack on US or coalition forces, a **response** a US or coalition
# strike on militias, an **intercepted attack** an attack coded `intercepted = yes`. The incident log records
# what its sources report, not every attack that happened: where the sources speak of "more than a dozen
# attacks last week" without naming them, the log has no rows for them.
#
# From an **ACLED weekly aggregates** file the picture is coarser. Those files hold, per week and province,
# the number of events of each sub-event type, **with no actors**: they cannot say who fired at whom. Here
# "attacks" are all *Shelling/artillery/missile attack*, *Remote explosive/landmine/IED* and *Disrupted
# weapons use* events, and "responses" all *Air/drone strike* events, **by anyone** (Turkish, Israeli,
# Syrian, Russian and Islamic State activity included), and "intercepted attacks" the *Disrupted weapons
# use* events. Use them as a measure of the general level of remote violence in the selected places, not as
# a count of militia attacks and US responses; response shares need actors and links, so they are left out.

# %%
for note in counts_notes(counts) + ([] if events is None else coverage_caveats(everything.events, start, end)):
    show_text(note)
show_headline(headline_counts(counts))
show_table(readable_table(counts_summary(by_country)), caption="Totals by country", labels=summary_labels(by_country))

# %% [markdown]
# ## Attacks and responses over time
#
# Bars: counts per period. Lines: the mean of the last few periods (`rolling_window`), which smooths single
# busy weeks and lags turning points by about half the window.

# %%
rolling = an.rolling_means(counts, columns=["attacks", "responses"], window=rolling_window)
if not rolling.ok:
    show_text(rolling.refusal)
counts_figure(counts, columns=["attacks", "responses"], rolling=rolling, title="Attacks and responses over time").show()
grouped_counts_figure(by_country, column="attacks", title="Attacks by country").show()
counts_figure(counts, columns=["attacks", "intercepted_attacks"], title="Attacks and intercepted attacks").show()

# %% [markdown]
# ## Which attacks drew a response
#
# An attack counts as **answered** when a response names it (a source says the strike answered it) or, unless
# `answer_window_days` is -1, when any response follows within that many days. The first is a floor (sources
# rarely tie a strike to one attack), the second generous (a strike a week later may answer something else).
# Bars show the share with its 95% interval; a share from a handful of attacks has a wide interval.
#
# The lags page counts differently: there an attack is answered only when its response comes within a horizon
# (30 days by default), so an attack a source ties to a strike two months later is answered here but not
# there, and its shares can be lower.

# %%
if events is None:
    show_text(
        "An ACLED weekly file has no actors and no links between events, so it cannot say which attacks "
        "were answered. Run this notebook on an event table to see response shares."
    )
else:
    by_month = an.response_share(events, freq="M", window_days=window_days)
    if len(by_month):
        if response_share_caveat(events):
            show_text(response_share_caveat(events))
        show_text(f"How answered is decided: {by_month.attrs['basis']}.")
        share_figure(by_month, x="period_start", title="Share of attacks answered, by month").show()
        show_table(readable_table(by_month), caption="Share of attacks answered, by month", labels=SHARE_LABELS)
    else:
        show_text("No attacks in this selection, so there is no response share to show.")

# %%
for dimension, words in (("weapon", "weapon"), ("group", "militia group")):
    if events is None:
        break
    share = an.response_share(events, by=dimension, window_days=window_days)
    if len(share):
        share_figure(share, x=dimension, title=f"Share of attacks answered, by {words}").show()
        show_table(readable_table(share), caption=f"Share of attacks answered, by {words}", labels=SHARE_LABELS)
    else:
        show_text(f"No attacks in this selection, so there is no share by {words}.")

# %% [markdown]
# ## Did the attack rate change at the break dates?
#
# A **negative binomial count model** (an interrupted time series): the attack rate follows a trend, and may
# jump at each break date (`break_dates`; by default 17 October 2023, when the 2023-24 wave of attacks began,
# and 2 February 2024, the US strikes after the Tower 22 attack). The table gives **rate ratios**: 1 means no
# change, 2 twice the rate, 0.5 half, each with a 95% interval; an interval that contains 1 is compatible with
# no change at all. The dashed line continues the path from before the first break.

# %%
its = an.interrupted_time_series(counts, column="attacks", break_dates=break_dates)
show_result(its, caption="Interrupted time series of attacks: rate ratios")
if its.ok:
    interrupted_time_series_figure(its, title="Attacks: observed, model, and model without the breaks").show()

# %% [markdown]
# ## A yearly pattern?
#
# Seasonal-trend decomposition (STL) splits the counts into a slow trend, a pattern that repeats every year,
# and what is left. It needs at least two full years, and enough non-empty periods that a pattern is not just
# noise; otherwise it says so.

# %%
stl = an.seasonal_decomposition(counts, column="attacks")
show_result(stl, caption="Seasonal-trend decomposition of attacks")
if stl.ok:
    decomposition_figure(stl, title="Attacks: trend, yearly pattern and remainder").show()

# %% [markdown]
# ## Do strikes predict attacks, or attacks predict strikes?
#
# Granger tests ask whether the last few periods of one series improve a prediction of the other beyond what
# its own past gives. Read the assumptions under the table before reading the result.

# %%
granger = an.granger_causality(counts, first="responses", second="attacks", lags=granger_lags)
show_result(granger, caption="Granger tests, both directions")

# %% [markdown]
# ## What these models can and cannot show
#
# * **They describe the counts, not the war.** The counts are what the sources reported and the log coded.
#   A jump can come from more attacks or from more reporting of them; a quiet stretch can be a lull or a gap
#   in the sources.
# * **A jump at a break date is not its cause.** The count model says whether the attack rate was different
#   after a date than the earlier path predicts. Anything else that changed around that date is mixed in, and
#   break dates chosen after looking at the chart make the jumps look surer than they are.
# * **"Granger-causes" means "helps predict".** Strikes and attacks can rise together because both answer
#   the same events (the war in Gaza), and weekly counts hide reactions within the same week. A result in
#   either direction is a pattern worth explaining, not proof of tit-for-tat.
# * **Few events, wide intervals.** With a few dozen attacks the intervals are wide, and the models refuse
#   (with a sentence saying why) when the data are too thin for them.
# * **ACLED weekly counts** measure remote violence by anyone in the selected places, not militia attacks and
#   US responses.
