"""Execute the casualties notebook with papermill on a small built data set and non-default parameters."""

import base64
import html
import re

import nbformat
import numpy as np
import pytest

import analysis as an
from analysis.present.casualties import format_tally
from tests.conftest import PROJECT_DIR, log_row

pytestmark = pytest.mark.notebooks

NOTEBOOK = PROJECT_DIR / "notebooks" / "casualties.ipynb"
EXCLUDED = "Local Sources"  # written with other capitals than in the log: matched without regard to case


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build a small raw folder with contested claims into a processed folder; return its path."""
    from tests.conftest import ACTORS, PLACES, WEAPONS, write_csv

    raw = tmp_path_factory.mktemp("raw")
    write_csv(raw / "reference" / "places.csv", PLACES)
    write_csv(raw / "reference" / "actors.csv", ACTORS)
    write_csv(raw / "reference" / "weapons.csv", WEAPONS)
    rows = [
        log_row(id="2022-08-24-a", us_wounded="1 [Kurdistan 24]; 3 [Armed Forces Connect]"),
        log_row(
            id="2022-08-25-a",
            date="2022-08-25",
            kind="response",
            actor="US forces",
            target="KH",
            weapon="precision strikes",
            location="Deir Ezzor",
            responds_to="2022-08-24-a",
            militia_killed="1 [militia official]; at least 17 [local sources]",
            militia_wounded="4 [militia official]",
        ),
        log_row(id="2022-09-10-a", date="2022-09-10", us_killed="2 [CENTCOM]", us_wounded="at least 5 [CENTCOM]"),
        log_row(
            id="2022-10-01-a",
            date="2022-10-01",
            kind="response",
            actor="US forces",
            target="KH",
            location="Deir Ezzor",
            militia_killed="two or three [CENTCOM]",
        ),
        # Outside the selection (Jordan; 2024): must not reach any figure on the page.
        log_row(
            id="2024-01-28-a", date="2024-01-28", country="Jordan", location="Tower 22", us_killed="3 [White House]"
        ),
    ]
    header = list(dict.fromkeys(k for r in rows for k in r))
    write_csv(raw / "log.csv", [header] + [[r.get(c, "") for c in header] for r in rows])
    out = tmp_path_factory.mktemp("processed")
    an.build(raw, out)
    return out


@pytest.fixture(scope="module")
def executed(built, tmp_path_factory):
    """Run the notebook on the built folder and return (output notebook, the same selection loaded here)."""
    import papermill

    parameters = {
        "data": str(built),
        "start": "2022-01-01",
        "end": "2022-12-31",
        "countries": ["Syria"],
        "exclude_claimants": [EXCLUDED],
        "top_incidents": 2,
        "freq": "W",
    }
    output = tmp_path_factory.mktemp("run") / "casualties.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(tmp_path_factory.mktemp("cwd")),
        progress_bar=False,
    )
    selection = an.filter_data(an.load_processed(built), "2022-01-01", "2022-12-31", ["Syria"])
    return nbformat.read(output, as_version=4), selection


def html_outputs(notebook) -> list[str]:
    """Return every text/html output of the executed notebook, in order."""
    return [
        output["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]


def tables(notebook) -> list[str]:
    """Return the HTML tables shown with show_table."""
    return [h for h in html_outputs(notebook) if "data-table" in h]


def cells_text(table_html: str) -> list[list[str]]:
    """Read an HTML table's body rows as lists of cell texts."""
    body = table_html.split("<tbody>")[1]
    return [
        [html.unescape(c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_notebook_casualties__runs_and_shows_its_parameters(executed):
    notebook, _ = executed
    header = html_outputs(notebook)[0]
    assert "Casualties" in header and "<th>freq</th><td>W</td>" in header and "Local Sources" in header
    assert not any(o.get("output_type") == "error" for c in notebook.cells for o in c.get("outputs", []))


def test_notebook_casualties__totals_table_comes_from_casualty_views(executed):
    notebook, selection = executed
    expected = format_tally(an.casualty_views(selection, by=["side", "outcome"], exclude_claimants=[EXCLUDED]))
    shown = cells_text(tables(notebook)[0])
    assert shown == [[str(v) for v in record] for record in expected.itertuples(index=False)]
    militia_killed = next(r for r in shown if r[:2] == ["militia", "killed"])
    assert militia_killed[-2:] == ["3 (3 to 4)", "3 (3 to 4)"]  # 1 + "two or three"; the 17 is excluded
    us_killed = next(r for r in shown if r[:2] == ["US", "killed"])  # sides as readers write them
    assert us_killed[-1] == "2"  # Tower 22 (Jordan, 2024) is outside the selection


def test_notebook_casualties__excluded_claimant_is_gone_and_deadliest_limited(executed):
    notebook, selection = executed
    deadliest = next(t for t in tables(notebook) if "deadliest incidents" in t)
    rows = cells_text(deadliest)
    expected = an.deadliest_incidents(selection, n=2, exclude_claimants=[EXCLUDED])
    assert [r[0] for r in rows] == expected["event_id"].tolist() == ["log:2022-09-10-a", "log:2022-10-01-a"]
    assert rows[1][-1] == "militia: two or three [CENTCOM]"
    assert "local sources" not in " ".join(" ".join(t) for t in tables(notebook)).casefold()


def plotly_figures(notebook) -> list[dict]:
    """Return the plotly figure JSON of every chart the notebook drew."""
    return [
        output["data"]["application/vnd.plotly.v1+json"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in output.get("data", {})
    ]


def numbers(array) -> list[float]:
    """Read a plotly JSON array, plain or base64-packed ({'bdata', 'dtype'}), as a list of floats."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).astype(float).tolist()
    return [float(v) for v in array]


def test_notebook_casualties__weekly_charts_match_the_functions(executed):
    notebook, selection = executed
    by_side, us_per_week, us_running = plotly_figures(notebook)  # exactly three charts
    views = an.casualty_views(selection, by=["side", "outcome"], freq="W", exclude_claimants=[EXCLUDED])
    militia_killed = views[(views["side"] == "militia") & (views["outcome"] == "killed")]
    trace = next(t for t in by_side["data"] if t.get("name") == "militia" and t["type"] == "bar" and t["yaxis"] == "y")
    assert numbers(trace["y"]) == militia_killed["conservative_best"].astype(float).tolist()
    whisker_top = [y + e for y, e in zip(numbers(trace["y"]), numbers(trace["error_y"]["array"]))]
    maximal = militia_killed["maximal_high"].astype("Float64").fillna(militia_killed["maximal_best"].astype("Float64"))
    assert whisker_top == maximal.astype(float).tolist()
    assert len(trace["x"]) == views["week"].nunique() >= 6  # weekly and zero-filled, 2022-08-20 .. 2022-09-30
    running = next(t for t in us_running["data"] if t.get("name") == "killed: conservative")
    assert numbers(running["y"])[-1] == 2  # CENTCOM's 2 US killed on 10 September; Tower 22 is outside the selection
    assert {t.get("name") for t in us_per_week["data"]} >= {"killed", "wounded"}


def test_notebook_casualties__us_incident_tables(executed):
    notebook, _ = executed
    us_tables = [t for t in tables(notebook) if "US personnel" in t]
    assert len(us_tables) == 2
    assert "2 [CENTCOM]" in us_tables[0]
    assert "1 [Kurdistan 24]" in us_tables[1] and "3 [Armed Forces Connect]" in us_tables[1]
