"""Presentation: figures (the only layer that imports plotly, with `notebook`), maps, tables and sentences for
readers, and the shared style (colours per role and side).
"""
