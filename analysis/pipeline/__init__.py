"""Pipeline: load_events (raw files -> validated EventData), the validation generated from the spec, the build
with its manifest and fingerprints, and atomic storage. Imports the layers below.
"""

from analysis._layers import submodule_getattr

__getattr__ = submodule_getattr(__name__)
