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
    "EventData": "core.tables",
    "load_events": "pipeline.load",
    "load_processed": "pipeline.load",
    "load_data": "pipeline.load",
    "read_manifest": "pipeline.load",
    "is_stale": "pipeline.build",
    "build": "pipeline.build",
    "AnalysisError": "core.errors",
    "InputError": "core.errors",
    "ParameterError": "core.errors",
    "load_reference": "cleaning.reference",
    "validate": "pipeline.validation",
    "filter_events": "core.selection",
    "filter_data": "core.selection",
    "load_weekly_counts": "sources.weekly",
    "find_duplicates": "cleaning.merging",
    "merge_duplicates": "cleaning.merging",
    "pair_attacks_responses": "analyses.pairing",
    "time_to_response": "analyses.pairing",
    "follow_up_end": "analyses.pairing",
    "label_periods": "analyses.pairing",
    "attacks_with_us_casualties": "analyses.pairing",
    "pairing_summary": "analyses.pairing",
    "lag_summary": "analyses.pairing",
    "summarise_time_to_response": "analyses.pairing",
    "late_explicit_answers": "analyses.pairing",
    "pairs_table": "analyses.pairing",
    "time_to_response_table": "analyses.pairing",
    "pairs_timeline_figure": "analyses.pairing",
    "lag_histogram_figure": "analyses.pairing",
    "kaplan_meier": "analyses.survival",
    "median_time_to_response": "analyses.survival",
    "share_answered_within": "analyses.survival",
    "response_rates": "analyses.survival",
    "compare_response_times": "analyses.survival",
    "LogRankTest": "analyses.survival",
    "kaplan_meier_figure": "analyses.survival",
    "response_rates_figure": "analyses.survival",
    "event_counts": "analyses.counts",
    "counts_from_weekly": "analyses.counts",
    "response_share": "analyses.counts",
    "answered_attacks": "analyses.counts",
    "counts_summary": "analyses.counts",
    "headline_counts": "analyses.counts",
    "counts_notes": "analyses.counts",
    "summary_labels": "analyses.counts",
    "TrendResult": "analyses.trends",
    "rolling_means": "analyses.trends",
    "seasonal_decomposition": "analyses.trends",
    "interrupted_time_series": "analyses.trends",
    "granger_causality": "analyses.trends",
    "counts_figure": "analyses.trends",
    "share_figure": "analyses.trends",
    "grouped_counts_figure": "analyses.trends",
    "interrupted_time_series_figure": "analyses.trends",
    "decomposition_figure": "analyses.trends",
    "readable_table": "analyses.trends",
    "casualty_tally": "analyses.casualties",
    "casualty_views": "analyses.casualties",
    "select_claims": "analyses.casualties",
    "cumulative_tally": "analyses.casualties",
    "us_casualties": "analyses.casualties",
    "deadliest_incidents": "analyses.casualties",
    "claim_coverage": "analyses.casualties",
    "format_tally": "analyses.casualties",
    "claim_coverage_text": "analyses.casualties",
    "casualty_figure": "analyses.casualties",
    "range_text": "analyses.casualties",
    "event_map": "present.maps",
    "load_boundaries": "present.maps",
    "headline_figures": "analyses.overview",
    "role_counts_by_country": "analyses.overview",
    "latest_events": "analyses.overview",
    "timeline_figure": "analyses.overview",
    "monthly_figure": "analyses.overview",
    "accounting_table": "analyses.quality",
    "quarantine_reasons": "analyses.quality",
    "unknown_name_counts": "analyses.quality",
    "field_completeness": "analyses.quality",
    "precision_counts": "analyses.quality",
    "source_coverage": "analyses.quality",
    "longest_gaps": "analyses.quality",
    "coverage_figure": "analyses.quality",
    "coverage_caveats": "analyses.quality",
    "response_share_caveat": "analyses.quality",
    "load_report_config": "reporting.config",
    "run_reports": "reporting.runner",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import a public name's module on first access."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    """List public names for tab completion."""
    return sorted(list(globals()) + __all__)
