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
