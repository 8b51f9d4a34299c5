"""The pyarrow array behind a pandas text column: what the vectorised string work of every layer starts from."""

from __future__ import annotations

import pandas as pd


def pa_array(values: pd.Series):
    """Return the pyarrow (chunked) array behind a string Series, without copying it."""
    import pyarrow as pa

    array = values.astype("string").array
    data = getattr(array, "_pa_array", None)
    if data is None:
        return pa.array(values.astype(object).where(values.notna(), None), type=pa.string())
    return data
