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
latest_rows = 10  # how many of the most recent events to list

# %%
from analysis.analyses.overview import latest_events, role_counts_by_country
from analysis.notebook.page import (
    open_report,
    show_context,
    show_findings,
    show_html,
    show_table,
    show_text,
)
from analysis.present.findings import (
    answered_finding,
    busiest_period_finding,
    findings,
    most_attacked_site_finding,
    scope_finding,
    us_casualties_finding,
)
from analysis.present.maps import event_map, missing_coordinates, us_sites
from analysis.present.overview import LATEST_EVENT_LABELS, activity_figures
from analysis.present.small_multiples import country_small_multiples

parameters = {"data": data, "start": start, "end": end, "countries": countries, "latest_rows": latest_rows}
everything, data, manifest = open_report("Overview", parameters)
events = data.events
show_findings(
    findings(
        scope_finding(events, "by-country"),
        most_attacked_site_finding(data, "where"),
        busiest_period_finding(events, "W", "when"),
        answered_finding(events, "by-country"),
        us_casualties_finding(data),
    )
)
show_context(everything, data, parameters)
show_html(country_small_multiples(events, start, end))

# %% [markdown]
# ## Attacks and strikes by country <a id="by-country"></a>


# %%
if events.empty:
    show_text("No events in the selected period and countries, so there is nothing to count.")
else:
    show_table(role_counts_by_country(events), caption="Events by country and kind")

# %% [markdown]
# Attacks are Iran-aligned militia (or unidentified) fire on US and coalition forces; strikes are US or
# coalition fire on those militias (role `response` in the data).

# %% [markdown]
# ## Where <a id="where"></a>

# %%
if events.empty:
    show_text("No events to map.")
else:
    event_map(events, countries, sites=us_sites()).show()
    unplaced = missing_coordinates(events)
    if unplaced:
        show_text(f"{unplaced:,} events have no coordinates and are not on the map.")

# %% [markdown]
# Each marker is a place, its area growing with the number of events there; hollow markers are events that the
# sources place only to a province or a country (drawn at its centre). Every US / coalition site in the
# gazetteer is named, with the attacks on it in brackets. Borders: Natural Earth (1:110m, public domain),
# shipped with the package, so the map draws offline.

# %% [markdown]
# ## When <a id="when"></a>

# %%
if events.empty:
    show_text("No events to draw over time.")
else:
    for figure in activity_figures(events, start, end):
        figure.show()

# %% [markdown]
# Bars are stacked, never overlaid, and each spans its week (Saturday to Friday, as ACLED's weeks) or month.
# When the selection holds few enough events, a second chart draws each one: hollow markers are events dated
# only to a week or a month.

# %% [markdown]
# ## Most recent events <a id="latest"></a>

# %%
if events.empty:
    show_text("No events in the selection.")
else:
    latest = latest_events(events, latest_rows)
    caption = "The most recent event" if len(latest) == 1 else f"The {len(latest)} most recent events"
    show_table(latest, caption=caption, labels=LATEST_EVENT_LABELS)
