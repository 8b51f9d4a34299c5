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
max_rows = 200  # longest table shown in full

# %%
from analysis.analyses.quality import (
    accounting_table,
    field_completeness,
    longest_gaps,
    precision_counts,
    quarantine_reasons,
    source_coverage,
    unknown_name_counts,
)
from analysis.notebook.page import open_report, show_table, show_text
from analysis.present.quality import accounting_note, count_note, coverage_caveats, coverage_figure

parameters = {"data": data, "start": start, "end": end, "countries": countries, "max_rows": max_rows}
everything, data, manifest = open_report("Data quality", parameters)
events = data.events

# %% [markdown]
# ## Row accounting
#
# Every row of every raw file ends in exactly one place: an event, a merge into another event (the same
# incident reported twice), or the quarantine table with the reason it could not be cleaned. This section
# covers the whole build (all dates and countries), not only the selection.

# %%
accounting = accounting_table(data.accounting)
show_text(accounting_note(accounting))
show_table(accounting, caption="Raw rows per file and where they went")

# %% [markdown]
# ## Quarantine
#
# Rows that could not be cleaned (an ambiguous date, a casualty count that cannot be read, an unknown
# country...). They are kept out of every figure until the raw file is corrected. Values are shown exactly as
# written, as text.

# %%
show_text(count_note(len(data.quarantine), "quarantined values", "No row was quarantined."))
if len(data.quarantine):
    show_table(quarantine_reasons(data.quarantine), caption="Quarantined values by file, column and reason")
    show_table(data.quarantine, caption="Every quarantined value", max_rows=max_rows)

# %% [markdown]
# ## Names the reference tables do not know
#
# Places, actors and weapons are matched against the editable tables in `data/raw/reference/`. A name that is
# not there is kept as written (never dropped) and listed here: add it as an alias to fix it.

# %%
unknown = unknown_name_counts(data.unknown_names)
show_text(
    count_note(len(unknown), "distinct unknown names", "Every place, actor and weapon name is in the reference tables.")
)
if len(unknown):
    show_table(unknown, caption="Unknown names", max_rows=max_rows)

# %% [markdown]
# ## Coverage of the selection
#
# Which sources and countries the selected events come from, how exactly they are dated and placed, and how
# often the optional fields are filled in. Long stretches without events may be quiet periods or holes in
# the coverage; the heat map shows months with no events in its palest colour.

# %%
for note in coverage_caveats(everything.events, start, end):
    show_text(note)
if events.empty:
    show_text("No events in the selected period and countries.")
else:
    show_table(source_coverage(events), caption="Events per source and country")
    coverage_figure(events, start, end).show()
    show_table(longest_gaps(events), caption="Longest stretches without any event")
    show_table(precision_counts(events), caption="How exactly events are dated and placed")
    show_table(field_completeness(events), caption="Optional fields: how many events have them")
