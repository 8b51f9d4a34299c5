"""Each report notebook is stored twice (notebooks/<name>.ipynb without outputs, and its py:percent pair):
both must say the same, and the .ipynb must carry no outputs."""

import json

import jupytext
import pytest

from tests.conftest import PROJECT_DIR

NOTEBOOKS = sorted((PROJECT_DIR / "notebooks").glob("*.ipynb"))


def _cells(notebook) -> list[tuple[str, str, tuple[str, ...]]]:
    """Return (type, source, tags) per cell, the part of a notebook both files hold."""
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", ()))) for c in notebook.cells]


def test_notebooks__every_ipynb_has_a_py_pair_and_the_reverse():
    pairs = {p.stem for p in NOTEBOOKS}
    scripts = {p.stem for p in (PROJECT_DIR / "notebooks").glob("*.py")}
    assert pairs and pairs == scripts


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook__ipynb_and_py_pair_hold_the_same_cells(path):
    stored = jupytext.read(path)
    paired = jupytext.read(path.with_suffix(".py"))
    assert _cells(stored) == _cells(paired), f"{path.name} and its .py differ: run jupytext --sync notebooks/*.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook__stored_without_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert not [c for c in cells if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
