"""Pipeline: load_events (raw files -> validated EventData), the validation generated from the spec, the build
with its manifest and fingerprints, and atomic storage. Imports the layers below.
"""
