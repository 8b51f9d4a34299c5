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
from analysis.notebook.page import open_report, show_headline, show_table, show_text
from analysis.present.maps import event_map, missing_coordinates
from analysis.present.overview import LATEST_EVENT_LABELS, headline_figures, monthly_figure, timeline_figure
from analysis.present.quality import coverage_caveats

parameters = {"data": data, "start": start, "end": end, "countries": countries, "latest_rows": latest_rows}
everything, data, manifest = open_report("Overview", parameters)
events = data.events

# %% [markdown]
# Attacks by Iran-aligned militias on US and coalition forces (**attacks**) and the US or coalition strikes on
# those militias (**strikes**, coded as role `response`) in the selected period and countries. Every figure on
# this page is computed by the `analysis` package from the event table, so code that imports the package gets
# the same numbers.

# %%
if events.empty:
    show_text("No events in the selected period and countries, so there is nothing to summarise.")
else:
    show_headline(headline_figures(events))
    show_table(role_counts_by_country(events), caption="Events by country and kind")

# %% [markdown]
# ## What these numbers count
#
# The figures count the events in the data, which is not the same as the events that happened.

# %%
for note in coverage_caveats(everything.events, start, end):
    show_text(note)

# %% [markdown]
# ## Where
#
# Marker area grows with the number of events at a place. Hollow markers are events that the sources place
# only to a province or a country: they are drawn at its centre, not where they happened. Borders come from
# Natural Earth (1:110m, public domain), shipped with the package, so the map draws offline.

# %%
if events.empty:
    show_text("No events to map.")
else:
    event_map(events, countries).show()
    unplaced = missing_coordinates(events)
    if unplaced:
        show_text(f"{unplaced} events have no coordinates and are not on the map.")

# %% [markdown]
# ## When
#
# One marker per event; hollow markers are events dated only to a week or a month (drawn at the date the
# log records). Below it, attacks and strikes per calendar month; a month without bars had none.

# %%
if events.empty:
    show_text("No events to draw on a timeline.")
else:
    timeline_figure(events).show()
    monthly_figure(events, start, end).show()

# %% [markdown]
# ## Most recent events
#
# The coder's notes are shown as plain text, exactly as written in the raw file.

# %%
if events.empty:
    show_text("No events in the selection.")
else:
    latest = latest_events(events, latest_rows)
    show_table(
        latest,
        caption="The most recent event" if len(latest) == 1 else f"The {len(latest)} most recent events",
        labels=LATEST_EVENT_LABELS,
    )
