"""Assisted coding: turn a news article or an official statement into candidate incident-log rows for review.

Rules over the text, offline: sentences, dates resolved against the publication date, places through the
gazetteer, event kind from who did what to whom, counts and casualties with their claimants. May import
pipeline, sources, cleaning and core; the rules are written out in docs/extract.md.
"""
