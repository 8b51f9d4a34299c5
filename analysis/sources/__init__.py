"""Sources: one module per input format (incident log, ACLED, UCDP GED, ACLED weekly), the file reading, and the
registry that picks a file's format from its columns. Imports `analysis.cleaning` and `analysis.core`.
"""

from analysis._layers import submodule_getattr

__getattr__ = submodule_getattr(__name__)
