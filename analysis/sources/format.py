"""What a reader declares about its input format: the columns that identify it and the function that reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.cleaning.reference import Reference
from analysis.core.tables import EventData


@dataclass(frozen=True)
class SourceFormat:
    """One kind of input file: how to recognise it and how to read it."""

    name: str
    required: tuple[str, ...]
    read: Callable[[pd.DataFrame, Path, Reference], EventData]
    header: bool = True
    id_column: str | None = None  # the record's own id, which corrections.csv refers to
    columns: tuple[str, ...] = ()  # for a format without a header row: every column, in order
    looks_like: Callable[[list[str]], bool] | None = None  # for a format without a header row: does a first row fit?
    unread: tuple[str, ...] = ()  # layout columns the reader never looks at: a text file is read without them

    def missing(self, columns) -> list[str]:
        """Return the required columns absent from columns."""
        present = set(columns)
        return [c for c in self.required if c not in present]
