"""Documentation stays in step with the code: the columns section of docs/data_model.md is the table spec."""

import importlib.util

from analysis.core.spec import TABLES
from tests.conftest import PROJECT_DIR


def _doc_script():
    """Import scripts/update_data_model_doc.py as a module."""
    spec = importlib.util.spec_from_file_location(
        "update_data_model_doc", PROJECT_DIR / "scripts" / "update_data_model_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_model_doc__columns_section_is_generated_from_the_current_spec():
    script = _doc_script()
    text = script.DOC.read_text(encoding="utf-8")
    assert script.updated(text) == text, "docs/data_model.md is stale: run python scripts/update_data_model_doc.py"


def test_data_model_doc__names_every_column_of_every_table():
    text = (PROJECT_DIR / "docs" / "data_model.md").read_text(encoding="utf-8")
    for spec in TABLES.values():
        assert f"### `{spec.name}`" in text
        for field in spec.fields:
            assert f"| `{field.name}` |" in text, (spec.name, field.name)


def test_updated__replaces_only_the_generated_section():
    script = _doc_script()
    stale = f"intro\n{script.START}\nold columns\n{script.END}\noutro\n"
    new = script.updated(stale)
    assert new.startswith(f"intro\n{script.START}\n### `events`") and new.endswith(f"{script.END}\noutro\n")
    assert "old columns" not in new
