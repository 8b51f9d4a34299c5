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
max_rows = 50  # longest table shown on the page (each table's CSV holds up to 10,000 rows)

# %%
from analysis.analyses.coverage import official_coverage
from analysis.analyses.quality import (
    accounting_table,
    field_completeness,
    longest_gaps,
    precision_counts,
    quarantine_reasons,
    source_coverage,
    unknown_name_counts,
)
from analysis.notebook.page import open_report, show_context, show_findings, show_table, show_text
from analysis.present.coverage import describe
from analysis.present.findings import Finding, findings
from analysis.present.quality import OFFICIAL_LABELS, accounting_note, count_note, coverage_figure, readable_coverage

parameters = {"data": data, "start": start, "end": end, "countries": countries, "max_rows": max_rows}
everything, data, manifest = open_report("Data quality", parameters)
events = data.events
accounting = accounting_table(data.accounting)
unknown = unknown_name_counts(data.unknown_names)
official = official_coverage(everything)
attack_counts = official[official["measure"] == "attacks_on_us_forces"]
latest_attacks = attack_counts.iloc[-1] if len(attack_counts) else None
show_findings(
    findings(
        Finding(accounting_note(accounting), "accounting"),
        Finding(count_note(len(data.quarantine), "values were quarantined", "No value was quarantined."), "quarantine"),
        Finding(
            count_note(
                len(unknown),
                "distinct names are not in the reference tables",
                "Every place, actor and weapon name is in the reference tables.",
            ),
            "unknown-names",
        ),
        Finding(
            f"{len(official)} official tallies (of attacks, strikes and US casualties) are set against the data; "
            f"the latest count of attacks is {describe(latest_attacks)}.",
            "official",
        )
        if latest_attacks is not None
        else None,
    )
)
show_context(everything, data, parameters)

# %% [markdown]
# ## Row accounting <a id="accounting"></a>
#
#
# Every row of every raw file ends in exactly one place: an event, a merge into another event (the same
# incident reported twice), or the quarantine table with the reason it could not be cleaned. This section
# covers the whole build (all dates and countries), not only the selection.

# %%
show_table(accounting, caption="Raw rows per file and where they went")

# %% [markdown]
# ## Quarantine <a id="quarantine"></a>
#
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
# ## Names the reference tables do not know <a id="unknown-names"></a>
#
#
# Places, actors and weapons are matched against the editable tables in `data/raw/reference/`. A name that is
# not there is kept as written (never dropped) and listed here: add it as an alias to fix it.

# %%
show_text(
    count_note(len(unknown), "distinct unknown names", "Every place, actor and weapon name is in the reference tables.")
)
if len(unknown):
    show_table(unknown, caption="Unknown names", max_rows=max_rows)

# %% [markdown]
# ## Against the official tallies <a id="official"></a>

# %%
show_table(
    readable_coverage(official), caption="Official tallies and what the data hold of them", labels=OFFICIAL_LABELS
)

# %% [markdown]
# US officials stated these cumulative figures (`data/raw/reference/official_counts.csv`, each cited); the data's
# count is taken over the same window and countries: attacks, strikes, or the lowest credible US casualty claims.
# Wounded totals were revised upward as brain injuries were diagnosed, so the data's per-attack claims run lower.

# %% [markdown]
# ## Coverage of the selection <a id="coverage"></a>
#
#
# Which sources and countries the selected events come from, how exactly they are dated and placed, and how
# often the optional fields are filled in. Long stretches without events may be quiet periods or holes in
# the coverage; the heat map shows months with no events in its palest colour.

# %%
if events.empty:
    show_text("No events in the selected period and countries.")
else:
    show_table(source_coverage(events), caption="Events per source and country")
    coverage_figure(events, start, end).show()
    show_table(longest_gaps(events), caption="Longest stretches without any event")
    show_table(precision_counts(events), caption="How exactly events are dated and placed")
    show_table(field_completeness(events), caption="Optional fields: how many events have them")
