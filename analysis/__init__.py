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
    "EventData": "model",
    "load_events": "load",
    "load_processed": "load",
    "load_data": "load",
    "read_manifest": "load",
    "is_stale": "builder",
    "build": "builder",
    "AnalysisError": "errors",
    "InputError": "errors",
    "ParameterError": "errors",
    "load_reference": "reference",
    "validate": "schema",
    "filter_events": "select",
    "filter_data": "select",
    "load_weekly_counts": "sources.weekly",
    "find_duplicates": "dedupe",
    "merge_duplicates": "dedupe",
    "pair_attacks_responses": "lags",
    "time_to_response": "lags",
    "follow_up_end": "lags",
    "label_periods": "lags",
    "attacks_with_us_casualties": "lags",
    "pairing_summary": "lags",
    "lag_summary": "lags",
    "summarise_time_to_response": "lags",
    "late_explicit_answers": "lags",
    "pairs_table": "lags",
    "time_to_response_table": "lags",
    "pairs_timeline_figure": "lags",
    "lag_histogram_figure": "lags",
    "kaplan_meier": "survival",
    "median_time_to_response": "survival",
    "share_answered_within": "survival",
    "response_rates": "survival",
    "compare_response_times": "survival",
    "LogRankTest": "survival",
    "kaplan_meier_figure": "survival",
    "response_rates_figure": "survival",
    "event_counts": "counts",
    "counts_from_weekly": "counts",
    "response_share": "counts",
    "answered_attacks": "counts",
    "counts_summary": "counts",
    "headline_counts": "counts",
    "counts_notes": "counts",
    "summary_labels": "counts",
    "TrendResult": "trends",
    "rolling_means": "trends",
    "seasonal_decomposition": "trends",
    "interrupted_time_series": "trends",
    "granger_causality": "trends",
    "counts_figure": "trends",
    "share_figure": "trends",
    "grouped_counts_figure": "trends",
    "interrupted_time_series_figure": "trends",
    "decomposition_figure": "trends",
    "readable_table": "trends",
    "casualty_tally": "casualties",
    "casualty_views": "casualties",
    "select_claims": "casualties",
    "cumulative_tally": "casualties",
    "us_casualties": "casualties",
    "deadliest_incidents": "casualties",
    "claim_coverage": "casualties",
    "format_tally": "casualties",
    "claim_coverage_text": "casualties",
    "casualty_figure": "casualties",
    "range_text": "casualties",
    "event_map": "maps",
    "load_boundaries": "maps",
    "headline_figures": "overview",
    "role_counts_by_country": "overview",
    "latest_events": "overview",
    "timeline_figure": "overview",
    "monthly_figure": "overview",
    "accounting_table": "quality",
    "quarantine_reasons": "quality",
    "unknown_name_counts": "quality",
    "field_completeness": "quality",
    "precision_counts": "quality",
    "source_coverage": "quality",
    "longest_gaps": "quality",
    "coverage_figure": "quality",
    "coverage_caveats": "quality",
    "response_share_caveat": "quality",
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
