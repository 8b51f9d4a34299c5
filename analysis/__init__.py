"""Analysis of Iran-aligned militia attacks on US / coalition forces and the US strikes that answer them.

    import analysis as an
    data = an.load_events(["data/raw/incidents.csv"])    # or an.load_processed()
    data.events, data.casualties, data.quarantine

Names are imported on first use, so `import analysis` stays fast and heavy libraries (plotly, statsmodels,
papermill) load only when a function that needs them runs.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    # data: load, select, build
    "EventData": "core.tables",
    "load_events": "pipeline.load",
    "load_processed": "pipeline.load",
    "load_data": "pipeline.load",
    "load_weekly_counts": "sources.weekly",
    "build": "pipeline.build",
    "export": "pipeline.export",
    "filter_events": "core.selection",
    "filter_data": "core.selection",
    "find_duplicates": "cleaning.merging",
    # errors
    "AnalysisError": "core.errors",
    "InputError": "core.errors",
    "ParameterError": "core.errors",
    # attacks and responses
    "pair_attacks_responses": "analyses.pairing",
    "answered_attacks": "analyses.response_times",
    "response_share": "analyses.response_times",
    "time_to_response": "analyses.response_times",
    "kaplan_meier": "analyses.survival",
    "median_time_to_response": "analyses.survival",
    "share_answered_within": "analyses.survival",
    "response_rates": "analyses.survival",
    "compare_response_times": "analyses.survival",
    # casualties
    "casualty_tally": "analyses.casualties",
    "casualty_views": "analyses.casualties",
    "deadliest_incidents": "analyses.casualties",
    "us_casualties": "analyses.casualties",
    # counts and trends
    "event_counts": "analyses.counts",
    "TrendResult": "analyses.trends",
    "rolling_means": "analyses.trends",
    "interrupted_time_series": "analyses.trends",
    "granger_causality": "analyses.trends",
    "seasonal_decomposition": "analyses.trends",
    # assisted coding
    "extract_events": "extract.candidates",
    # reports
    "run_reports": "reporting.runner",
}
# The layers, reachable as attributes (an.present.casualties.casualty_figure, an.analyses.quality, ...).
LAYERS = ("core", "cleaning", "sources", "pipeline", "analyses", "fetch", "extract", "present", "notebook", "reporting")

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import a public name's module, or a layer, on first access."""
    if name in LAYERS:
        return importlib.import_module(f".{name}", __name__)
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    """List public names for tab completion."""
    return sorted(list(globals()) + __all__)
