"""Documentation stays in step with the code: every canonical column is described."""
import re

import pytest

from analysis.core import tables as model
from tests.conftest import PROJECT_DIR

DATA_MODEL = (PROJECT_DIR / "docs" / "data_model.md").read_text()


@pytest.mark.parametrize("table, columns", [
    ("events", model.EVENT_COLUMNS), ("casualties", model.CASUALTY_COLUMNS),
    ("quarantine", model.QUARANTINE_COLUMNS), ("merges", model.MERGE_COLUMNS),
    ("accounting", model.ACCOUNTING_COLUMNS), ("corrections", model.CORRECTION_COLUMNS),
])
def test_data_model_doc__names_every_column(table, columns):
    documented = set(re.findall(r"`([a-z_0-9]+)`", DATA_MODEL))
    assert set(columns) - documented == set(), f"docs/data_model.md does not describe these {table} columns"
