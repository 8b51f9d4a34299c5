"""The versions of the libraries that compute the tables and pages: what build manifests and report pages state.

Versions are read from the installed packages' metadata, so nothing heavy (plotly, statsmodels) is imported
to name them.
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from importlib import metadata

from analysis import __version__

PACKAGE_NAME = "militia-response-analysis"
# the libraries whose versions can change a figure, a count or a model on a page
COMPUTING_LIBRARIES = ("pandas", "numpy", "pyarrow", "pandera", "statsmodels", "plotly")
NOT_INSTALLED = "not installed"


def installed_version(distribution: str) -> str:
    """Return an installed distribution's version, or 'not installed'.

    >>> installed_version("no-such-distribution-here")
    'not installed'
    """
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return NOT_INSTALLED


def library_versions() -> dict[str, str]:
    """Return {name: version} for Python, this package and the libraries that compute its results."""
    return {
        "python": platform.python_version(),
        PACKAGE_NAME: __version__,
        **{name: installed_version(name) for name in COMPUTING_LIBRARIES},
    }


def version_changes(previous: Mapping[str, str] | None, current: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Return {name: (before, now)} for every version that differs (a name missing on one side counts as a change).

    >>> version_changes({"pandas": "2.2.3", "numpy": "2.1.0"}, {"pandas": "2.3.1", "numpy": "2.1.0"})
    {'pandas': ('2.2.3', '2.3.1')}
    """
    previous = previous or {}
    names = dict.fromkeys([*current, *previous])
    return {
        name: (previous.get(name, NOT_INSTALLED), current.get(name, NOT_INSTALLED))
        for name in names
        if previous.get(name) != current.get(name)
    }
