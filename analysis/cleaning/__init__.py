"""Cleaning: cell parsers, reference tables (gazetteer, actors, weapons), roles, corrections, duplicate merging.

Small pure functions on cells and frames; imports only `analysis.core`.
"""

from analysis._layers import submodule_getattr

__getattr__ = submodule_getattr(__name__)
