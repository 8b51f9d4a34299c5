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
exclude_claimants = []  # claimants whose figures you do not find credible, e.g. ["local sources"]
top_incidents = 10  # rows in the tables of deadliest incidents
freq = "M"  # period of the charts: "W" (weeks from Saturday), "M", "Q" or "Y"

# %%
import analysis as an
from analysis.analyses.casualties import claim_coverage, period_name
from analysis.notebook.page import open_report, show_headline, show_table, show_text
from analysis.present.casualties import INCIDENT_LABELS, casualty_figure, claim_coverage_text, format_tally
from analysis.present.quality import coverage_caveats

parameters = {
    "data": data,
    "start": start,
    "end": end,
    "countries": countries,
    "exclude_claimants": exclude_claimants,
    "top_incidents": top_incidents,
    "freq": freq,
}
everything, data, manifest = open_report("Casualties: who was killed and wounded, and who says so", parameters)

# %% [markdown]
# Casualty figures in this conflict are contested. The same strike can be "one fighter killed" according to a
# militia official and "at least 17 dead" according to local sources. This page keeps every figure with the
# person or body that gave it (the *claimant*), shows ranges instead of single numbers, and never averages
# competing claims away. Every number below comes from a function in the `analysis` package, so code that
# imports the package gets the same figures.
#
# ## How to read these figures
#
# * **A claim is a figure with its claimant.** "1 [militia official]" and "at least 17 [local sources]" about
#   the same strike are two claims. Both are kept.
# * **An incident** here is one event, one side (US, militia, civilians, ...) and one outcome (killed or
#   wounded). Totals add incidents, one claim each, so no incident is counted twice.
# * **Conservative view:** for each incident, the lowest credible claim. **Maximal view:** the highest.
#   When two claims give the same figure, the narrower one counts for the conservative view and the
#   open-ended one for the maximal view. The truth may lie outside both: they show how far the sources differ.
# * **Credible** means every claimant except those you list in the `exclude_claimants` parameter (by default
#   nobody is excluded; this page does not judge sources for you).
# * **Ranges.** "2 (2 to 3)" reads: best figure 2, somewhere between 2 and 3. "At least 17" means no source
#   gives an upper bound. A total is only as bounded as its parts: if any incident in a total is open-ended,
#   the total is "at least" too. A missing upper bound is never read as zero.
# * **No claim is not zero.** An event for which nobody reported casualties adds nothing to a total; an
#   explicit "no casualties" adds 0.
# * **Side "unknown"** holds figures that no source attributes to a side, such as ACLED's fatality counts.
#   They are never folded into a side.
# * **US personnel** are side "US": US service members and, where the sources count them with the US side,
#   US contractors.
#
# Totals cover only the events in the data, which is not every event of the conflict:

# %%
for note in coverage_caveats(everything.events, start, end):
    show_text(note)

# %%
coverage = claim_coverage(data, exclude_claimants=exclude_claimants)
show_headline(
    {
        "events with casualty claims": coverage["events_with_claims"],
        "claims": coverage["claims"],
        "claimants": coverage["claimants"],
        "disputed incidents": coverage["disputed_cells"],
    }
)
show_text(claim_coverage_text(coverage))

# %% [markdown]
# ## Totals by side and outcome
#
# *incidents*: how many incidents carry a credible claim; *disputed incidents*: how many of those have
# claimants who disagree.

# %%
if coverage["claims"]:
    totals = an.casualty_views(data, by=["side", "outcome"], exclude_claimants=exclude_claimants)
    show_table(format_tally(totals), caption="Killed and wounded by side: conservative and maximal views")
else:
    show_text("No casualty claims in this selection, so there are no totals to show.")

# %% [markdown]
# ## Each claimant's figures, side by side
#
# Each claimant's own total over the incidents it spoke about, one row per claimant, side and outcome, so that
# competing figures for the same side and outcome sit next to each other. A claimant missing from a side and
# outcome made no claim there (which is not a claim of zero). Claimants cover different incidents, so their
# totals are not directly comparable: compare them incident by incident in the tables further down.

# %%
if coverage["claims"]:
    by_claimant = an.casualty_tally(data, by=["side", "outcome", "claimant"], exclude_claimants=exclude_claimants)
    show_table(format_tally(by_claimant).drop(columns=["disputed incidents"]), caption="Totals by claimant")
else:
    show_text("No casualty claims in this selection.")

# %% [markdown]
# ## Over time
#
# Solid line: conservative view; dashed line: maximal view; shaded band: from the lowest to the highest
# credible figure. A triangle marks a period whose highest figure is open-ended ("at least"), where the band
# stops at that figure because no source gives an upper bound.

# %%
if coverage["claims"]:
    over_time = an.casualty_views(data, by=["side", "outcome"], freq=freq, exclude_claimants=exclude_claimants)
    casualty_figure(over_time, series="side", facet="outcome", title="Killed and wounded by side").show()
else:
    show_text("No casualty claims in this selection, so there is no chart.")

# %% [markdown]
# ## Deadliest incidents and their competing claims
#
# Incidents ranked by the maximal view of people killed (all sides added up), with every credible claim.

# %%
deadliest = an.deadliest_incidents(data, n=top_incidents, outcome="killed", exclude_claimants=exclude_claimants)
if len(deadliest):
    show_table(
        format_tally(deadliest),
        labels=INCIDENT_LABELS,
        caption="The deadliest incident" if len(deadliest) == 1 else f"The {len(deadliest)} deadliest incidents",
    )
else:
    show_text("No incident in this selection has a claim of anyone killed.")

# %% [markdown]
# ## US personnel killed and wounded

# %%
if coverage["us_claims"]:
    us_per_period = an.us_casualties(data, freq=freq, exclude_claimants=exclude_claimants)
    casualty_figure(
        us_per_period, series="outcome", title=f"US personnel killed and wounded per {period_name(freq)}"
    ).show()
    us_running = an.us_casualties(data, freq=freq, exclude_claimants=exclude_claimants, cumulative=True)
    casualty_figure(us_running, series="outcome", title="US personnel killed and wounded, running total").show()
else:
    show_text("No claims of US personnel killed or wounded in this selection.")

# %%
for outcome in ("killed", "wounded"):
    us_incidents = an.deadliest_incidents(
        data, n=top_incidents, outcome=outcome, sides=["us"], exclude_claimants=exclude_claimants
    )
    if len(us_incidents):
        show_table(format_tally(us_incidents), caption=f"Incidents with US personnel {outcome}", labels=INCIDENT_LABELS)
    else:
        show_text(f"No incident in this selection has a claim of US personnel {outcome}.")
