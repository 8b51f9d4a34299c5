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
data = ""  # "" -> data/processed; or a raw file or folder, or a built folder
start = "2019-01-01"  # first day, YYYY-MM-DD
end = "2024-12-31"  # last day, YYYY-MM-DD
countries = ["Iraq", "Syria", "Jordan"]
include_convoys = False  # count attacks on supply convoys among a site's attacks (they rarely have a site)
top_sites = 12  # how many of the most attacked sites get their own row in the chart over time

# %%
from analysis.analyses.sites import site_counts, site_summary
from analysis.notebook.page import (
    open_report,
    show_context,
    show_findings,
    show_table,
    show_text,
)
from analysis.present.findings import findings, most_attacked_site_finding
from analysis.present.maps import event_map, site_numbers, us_sites
from analysis.present.sites import (
    SITE_LABELS,
    readable_sites,
    site_findings,
    sites_over_time_figure,
    weapons_by_site_figure,
)

parameters = {
    "data": data,
    "start": start,
    "end": end,
    "countries": countries,
    "include_convoys": include_convoys,
    "top_sites": top_sites,
}
everything, data, manifest = open_report("US and coalition sites", parameters)
events = data.events
summary = site_summary(data, include_convoys=include_convoys)
show_findings(findings(most_attacked_site_finding(data, "map"), *site_findings(summary, "sites-table")))
show_context(everything, data, parameters)

# %% [markdown]
# ## The sites on the map <a id="map"></a>


# %%
attacks = events[events["role"].eq("attack")]
if attacks.empty:
    show_text("No attacks in the selection, so no site to show.")
else:
    sites = us_sites()
    sites = sites[sites["country"].isin(countries)] if countries else sites
    numbers = site_numbers(sites, attacks["site"].value_counts())
    event_map(attacks, countries, sites=sites, numbered_sites=True, title="Attacks and the sites they hit").show()
    show_table(numbers, caption="Sites on the map, by number", labels={"map_number": "no."}, max_rows=100)

# %% [markdown]
# Every US / coalition site in the gazetteer (`data/raw/reference/places.csv`, kind `base`) carries its number on
# the map; the table gives its name and the attacks on it in the selection. Red circles are attacks, sized by
# their number at a place; hollow ones are placed only to a province.

# %% [markdown]
# ## Site by site <a id="sites-table"></a>

# %%
if summary.empty:
    show_text("No attacks in the selection.")
else:
    show_table(readable_sites(summary), caption="Attacks per site, with weapons, interceptions, US casualties and answers",
               labels=SITE_LABELS, max_rows=60)  # fmt: skip
    if not include_convoys:
        show_text("Attacks on supply convoys are left out (include_convoys = False).")

# %% [markdown]
# *US killed / wounded* add up the lowest credible claim per attack. *Answered within 14 days* follows the
# package's one rule: a US / coalition strike within 14 days that a source ties to the attack, or the first strike
# after it for which it is the nearest preceding attack; attacks the data stopped following are left out.

# %% [markdown]
# ## Attacks per site over time <a id="over-time"></a>

# %%
counts = site_counts(data, "M", include_convoys=include_convoys)
if counts.empty:
    show_text("No attacks in the selection.")
else:
    sites_over_time_figure(counts, top_sites).show()
    weapons_by_site_figure(events, top_sites, include_convoys=include_convoys).show()
