"""The package's public surface and layers: a deliberate `analysis.__all__`, layers reachable, no cycles."""

import ast
import subprocess
import sys

import analysis as an
from tests.conftest import PROJECT_DIR

PUBLIC = {
    "EventData",
    "load_events",
    "load_processed",
    "load_data",
    "load_weekly_counts",
    "build",
    "export",
    "filter_events",
    "filter_data",
    "find_duplicates",
    "AnalysisError",
    "InputError",
    "ParameterError",
    "pair_attacks_responses",
    "answered_attacks",
    "response_share",
    "time_to_response",
    "kaplan_meier",
    "median_time_to_response",
    "share_answered_within",
    "response_rates",
    "compare_response_times",
    "casualty_tally",
    "casualty_views",
    "deadliest_incidents",
    "us_casualties",
    "event_counts",
    "TrendResult",
    "rolling_means",
    "interrupted_time_series",
    "granger_causality",
    "seasonal_decomposition",
    "run_reports",
    "extract_events",
}


def test_all__is_the_deliberate_public_surface():
    assert set(an.__all__) == PUBLIC, "analysis.__all__ changed: update PUBLIC here and the README on purpose"
    for name in an.__all__:
        assert getattr(an, name) is not None


def test_layers__reachable_as_attributes():
    from analysis.present.casualties import casualty_figure

    assert an.present.casualties.casualty_figure is casualty_figure
    assert an.analyses.quality.accounting_table is not None


def test_import_analysis__loads_no_heavy_library():
    code = (
        "import sys, analysis; heavy = [m for m in ('pandas', 'plotly', 'statsmodels', 'pandera', 'papermill') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_DIR, check=True)
    assert out.stdout.strip() == "[]"


def _imports(path):
    """Return the analysis modules a file imports (imports inside functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("analysis"))
    return found


def test_plotly__only_imported_by_the_presentation_and_notebook_layers():
    for path in (PROJECT_DIR / "analysis").rglob("*.py"):
        layer = path.relative_to(PROJECT_DIR / "analysis").parts[0]
        text = path.read_text(encoding="utf-8")
        if layer not in ("present", "notebook", "reporting"):
            assert "import plotly" not in text and "from plotly" not in text, path


def test_layers__no_module_imports_a_layer_above_its_own_or_a_sibling():
    # analyses, fetch and extract are siblings: the same rank, and neither imports the other
    rank = {
        "core": 0,
        "cleaning": 1,
        "sources": 2,
        "pipeline": 3,
        "analyses": 4,
        "fetch": 4,
        "extract": 4,
        "present": 5,
    }
    rank |= {"notebook": 6, "reporting": 7}
    for path in (PROJECT_DIR / "analysis").rglob("*.py"):
        layer = path.relative_to(PROJECT_DIR / "analysis").parts[0]
        if layer not in rank:
            continue
        for module in _imports(path):
            parts = module.split(".")
            if len(parts) > 1 and parts[1] in rank and parts[1] != layer:
                assert rank[parts[1]] < rank[layer], f"{path} imports {module}"


def test_layers__every_layer_is_reachable_and_listed():
    folders = {p.name for p in (PROJECT_DIR / "analysis").iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(an.LAYERS)
