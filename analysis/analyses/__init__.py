"""Analyses: pairing, response times, survival, claims, casualties, counts, trends, quality, overview.

Frames in, frames out: no plotly, no HTML, no sentences (those are `analysis.present`).
"""

from analysis._layers import submodule_getattr

__getattr__ = submodule_getattr(__name__)
