"""Core: the canonical table spec, the EventData container, the period calendar, text keys, selections and errors.

Imports nothing of the package but `analysis.paths` (and the version, `core.versions`); every other layer builds on it.
"""

from analysis._layers import submodule_getattr

__getattr__ = submodule_getattr(__name__)
