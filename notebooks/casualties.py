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
from analysis.core.spec import SIDES
from analysis.notebook.page import (
    open_report,
    show_about,
    show_context,
    show_findings,
    show_table,
    show_text,
)
from analysis.present.casualties import (
    HOW_TO_READ,
    INCIDENT_LABELS,
    casualty_figure,
    claim_coverage_text,
    format_tally,
)
from analysis.present.findings import Finding, deadliest_finding, findings, us_casualties_finding
from analysis.present.text import count_text

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
coverage = claim_coverage(data, exclude_claimants=exclude_claimants)
show_findings(
    findings(
        us_casualties_finding(data, "us"),
        deadliest_finding(data, "deadliest"),
        Finding(
            f"The claimants disagree on {coverage['disputed_cells']} of the {coverage['incident_cells']} incidents "
            f"that carry a casualty claim; {count_text(coverage['open_ended_claims'], 'claim gives', 'claims give')} no "
            "upper bound.",
            "by-claimant",
        )
        if coverage["claims"]
        else None,
    )
)
show_context(everything, data, parameters)
show_about(HOW_TO_READ, title="How to read these figures")
show_text(claim_coverage_text(coverage))

# %% [markdown]
# ## Totals by side and outcome <a id="totals"></a>

# %%
if coverage["claims"]:
    totals = an.casualty_views(data, by=["side", "outcome"], exclude_claimants=exclude_claimants)
    show_table(format_tally(totals), caption="Killed and wounded by side: conservative and maximal views")
else:
    show_text("No casualty claims in this selection, so there are no totals to show.")

# %% [markdown]
# *incidents*: how many incidents carry a credible claim; *disputed incidents*: how many of those have
# claimants who disagree.

# %% [markdown]
# ## Each claimant's figures <a id="by-claimant"></a>
#
# Each claimant's own total over the incidents it spoke about, one row per claimant, side and outcome, so that
# competing figures for the same side and outcome sit next to each other. A claimant missing from a side and
# outcome made no claim there (which is not a claim of zero). Claimants cover different incidents, so their
# totals are not directly comparable: compare them incident by incident in the tables further down.

# %%
if coverage["claims"]:
    by_claimant = an.casualty_tally(data, by=["side", "outcome", "claimant"], exclude_claimants=exclude_claimants)
    # the sides in the package's order (militia, US, coalition, ...), each claimant's largest figure first
    side_order = {side: number for number, side in enumerate(SIDES)}
    by_claimant = by_claimant.sort_values(
        ["side", "outcome", "best"],
        key=lambda c: c.map(side_order) if c.name == "side" else c,
        ascending=[True, True, False],
    )
    show_table(
        format_tally(by_claimant).drop(columns=["disputed incidents"]), caption="Totals by claimant", max_rows=40
    )
else:
    show_text("No casualty claims in this selection.")

# %% [markdown]
# ## Over time <a id="over-time"></a>
#
# Bars: the conservative figure per period; whiskers reach the highest credible figure; a triangle marks a period
# whose highest figure is open-ended ("at least"), where no source gives an upper bound.

# %%
if coverage["claims"]:
    over_time = an.casualty_views(data, by=["side", "outcome"], freq=freq, exclude_claimants=exclude_claimants)
    casualty_figure(over_time, series="side", facet="outcome", title="Killed and wounded by side").show()
else:
    show_text("No casualty claims in this selection, so there is no chart.")

# %% [markdown]
# ## Deadliest incidents and their competing claims <a id="deadliest"></a>

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
# ## US personnel killed and wounded <a id="us"></a>

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
        caption = f"The {count_text(len(us_incidents), 'incident')} with the most US personnel {outcome}"
        show_table(format_tally(us_incidents), caption=caption, labels=INCIDENT_LABELS)
    else:
        show_text(f"No incident in this selection has a claim of US personnel {outcome}.")
