"""The library versions that build manifests and report pages state."""

import platform

import numpy as np
import pandas as pd

import analysis as an
from analysis.core.versions import library_versions, version_changes


def test_library_versions__python_the_package_and_each_computing_library_in_order():
    versions = library_versions()
    assert list(versions) == [
        "python",
        "militia-response-analysis",
        "pandas",
        "numpy",
        "pyarrow",
        "pandera",
        "statsmodels",
        "plotly",
    ]
    assert versions["python"] == platform.python_version() and versions["militia-response-analysis"] == an.__version__
    assert versions["pandas"] == pd.__version__ and versions["numpy"] == np.__version__


def test_version_changes__added_removed_and_changed_names():
    before = {"pandas": "2.2.3", "plotly": "6.0.0", "numpy": "2.1.0"}
    now = {"pandas": "2.3.1", "numpy": "2.1.0", "pyarrow": "21.0.0"}
    assert version_changes(before, now) == {
        "pandas": ("2.2.3", "2.3.1"),
        "pyarrow": ("not installed", "21.0.0"),
        "plotly": ("6.0.0", "not installed"),
    }
    assert version_changes(now, now) == {}
