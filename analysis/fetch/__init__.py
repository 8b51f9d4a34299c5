"""Fetch: API clients for ACLED and UCDP GED and the versioned local store they write under data/raw/.

Imports the pipeline and the layers below it (the store layout the build reads is `pipeline.stores`); a sibling
of `analyses`, which it never imports. `python -m analysis fetch --help` is its command line; docs/fetch.md
describes accounts, environment variables, the store and its change log.
"""

from analysis._layers import submodule_getattr

__getattr__ = submodule_getattr(__name__)
