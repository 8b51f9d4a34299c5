"""Presentation: figures (the only layer that imports plotly, with `notebook`), maps, tables and sentences for
readers, and the shared style (colours per role and side).
"""

from analysis._layers import submodule_getattr

__getattr__ = submodule_getattr(__name__)
