"""Unit tests of the report runner's parts: configuration, parameter checks, publishing, pages, maps, summaries."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis.analyses import overview, quality
from analysis.core.errors import ParameterError
from analysis.notebook.page import header_html, headline_html, html_table, setup_notebook
from analysis.present import maps
from analysis.present import overview as overview_text
from analysis.present import quality as quality_text
from analysis.reporting import config as report_config
from analysis.reporting import pages, runner
from analysis.reporting.cli import chosen_sets
from analysis.reporting.parameters import (
    declared_parameters,
    matches_type,
    parameter_problems,
    parameters_cell_source,
)
from analysis.reporting.worker import PageJob, PageOutcome, needs_plotlyjs, strip_for_page
from tests.conftest import PROJECT_DIR
from tests.factories import COMMON, notebook_json, write_notebook

# --- parameters ---------------------------------------------------------------------------------------------


def test_declared_parameters__literals_annotations_and_comments():
    source = COMMON + "window_days: int = 14  # days\nimport math\nratio = 0.5\n"
    assert declared_parameters(source) == {
        "data": "",
        "start": "2019-01-01",
        "end": "2024-12-31",
        "countries": ["Iraq", "Syria", "Jordan"],
        "window_days": 14,
        "ratio": 0.5,
    }


def test_declared_parameters__non_literal_default_refused():
    with pytest.raises(ParameterError, match="'start'.*literal"):
        declared_parameters("import datetime\nstart = datetime.date.today()")


def test_parameters_cell_source__needs_exactly_one_tagged_cell():
    nb = notebook_json()
    nb["cells"][1]["metadata"]["tags"] = ["parameters"]
    with pytest.raises(ParameterError, match="exactly one cell tagged 'parameters', it has 2"):
        parameters_cell_source(nb, Path("x.ipynb"))


@pytest.mark.parametrize(
    "value, default, expected",
    [
        ("2022-01-01", "2019-01-01", True),
        (["Syria"], ["Iraq"], True),
        ("Syria", ["Iraq"], False),
        ([1], ["Iraq"], False),
        (3, 14, True),
        (3.5, 14, False),
        (3, 0.5, True),
        (True, 14, False),
        (False, True, True),
        (1, True, False),
        ({"a": ["2020-01-01"]}, {}, True),
        ("x", None, True),
        ([], [], True),
    ],
)
def test_matches_type__declared_default_types(value, default, expected):
    assert matches_type(value, default) is expected


def test_parameter_problems__unknown_name_and_wrong_type_in_sentences():
    problems = parameter_problems(
        {"start": 2022, "windw": 3, "countries": ["Iraq"]}, declared_parameters(COMMON), "lags.ipynb"
    )
    assert problems == [
        "lags.ipynb does not declare 'windw' in its parameters cell (it declares data, start, end, countries)",
        "lags.ipynb: start must be a str like its default '2019-01-01', not 2022",
    ]


# --- configuration ------------------------------------------------------------------------------------------


def test_parse_config__dates_stay_text_and_sets_inherit_pages(tmp_path):
    path = tmp_path / "reports.yml"
    path.write_text(
        "pages: [overview, {name: lags, parameters: {window_days: 7}}]\n"
        "sets:\n  s1:\n    parameters: {start: 2022-01-01, countries: [Syria]}\n"
        "  s2:\n    title: Two\n    pages: [overview]\n"
    )
    loaded = report_config.load_report_config(path)
    assert loaded.default_set == "s1"
    s1 = loaded.get("s1")
    assert s1.parameters == {"start": "2022-01-01", "countries": ["Syria"]}
    assert [p.name for p in s1.pages] == ["overview", "lags"]
    assert s1.page_parameters(s1.pages[1]) == {"start": "2022-01-01", "countries": ["Syria"], "window_days": 7}
    assert [p.title for p in loaded.get("s2").pages] == ["Overview"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("pages: [overview]\nsets: {a: {paramters: {}}}\n", "unknown key"),
        ("pages: [overview]\nsets: {'../up': {}}\n", "folder name"),
        ("pages: []\nsets: {a: {}}\n", "non-empty list"),
        ("pages: [overview, overview]\nsets: {a: {}}\n", "listed twice"),
        ("pages: [overview]\nsets: {a: {}}\ndefault_set: b\n", "default_set 'b'"),
        ("pages: [overview]\nsets: {a: {}}\n: [\n", "not valid YAML"),
    ],
)
def test_load_report_config__refuses_mistakes_with_a_message(tmp_path, text, message):
    path = tmp_path / "reports.yml"
    path.write_text(text)
    with pytest.raises(ParameterError, match=message):
        report_config.load_report_config(path)


def test_load_report_config__project_file_has_the_named_sets():
    loaded = report_config.load_report_config(PROJECT_DIR / "reports.yml")
    assert {"all-theatres", "syria-2022", "surge-2023-24"} <= set(loaded.sets)
    assert loaded.get("syria-2022").parameters["countries"] == ["Syria"]
    assert [p.name for p in loaded.default_pages] == [
        "overview",
        "bases",
        "data_quality",
        "lags",
        "casualties",
        "trends",
    ]


def test_check_sets__project_sets_fit_the_project_notebooks():
    loaded = report_config.load_report_config(PROJECT_DIR / "reports.yml")
    for report_set in loaded.sets.values():
        for page in report_set.pages:
            assert runner.notebook_path(PROJECT_DIR / "notebooks", page.name).is_file(), (
                f"{page.name} is listed but missing"
            )
    runner.check_sets(list(loaded.sets.values()), PROJECT_DIR / "notebooks")  # raises on any misfit


def test_check_sets__one_error_lists_every_problem(tmp_path):
    write_notebook(tmp_path / "a.ipynb")
    bad = report_config.ReportSet("s", "S", {"start": "2022-13-45", "colour": "red"}, (report_config.Page("a", "A"),))
    with pytest.raises(ParameterError) as error:
        runner.check_sets([bad], tmp_path)
    message = str(error.value)
    assert "does not declare 'colour'" in message and "start='2022-13-45' is not a date" in message


def test_chosen_sets__custom_parameters_and_pages():
    loaded = report_config.load_report_config(PROJECT_DIR / "reports.yml")
    args = type(
        "Args",
        (),
        dict(
            start="2023-10-17",
            end=None,
            countries=["Iraq,Syria"],
            sets=None,
            all_sets=False,
            name="peak",
            pages="overview,data_quality",
            keep_runs=0,
        ),
    )()
    (custom,) = chosen_sets(args, loaded)
    assert custom.name == "peak" and custom.parameters == {"start": "2023-10-17", "countries": ["Iraq", "Syria"]}
    assert [p.name for p in custom.pages] == ["overview", "data_quality"]
    args.sets = ["syria-2022"]
    with pytest.raises(ParameterError, match="not both"):
        chosen_sets(args, loaded)


# --- runs on disk -------------------------------------------------------------------------------------------


def job_for(tmp_path: Path, notebook: Path, **parameters) -> PageJob:
    """Return a PageJob for tests of run keys."""
    return PageJob("s", "S", notebook.stem, "T", notebook, parameters, "f", "0", tmp_path, tmp_path, ())


def test_run_key__changes_with_data_parameters_and_notebook_but_not_data_path(tmp_path):
    notebook = write_notebook(tmp_path / "a.ipynb")
    base = runner.run_key("f1", [job_for(tmp_path, notebook, start="2020-01-01", data="/x")])
    assert runner.run_key("f1", [job_for(tmp_path, notebook, start="2020-01-01", data="/elsewhere")]) == base
    assert runner.run_key("f2", [job_for(tmp_path, notebook, start="2020-01-01", data="/x")]) != base
    assert runner.run_key("f1", [job_for(tmp_path, notebook, start="2021-01-01", data="/x")]) != base
    write_notebook(notebook, body="print(end)")
    assert runner.run_key("f1", [job_for(tmp_path, notebook, start="2020-01-01", data="/x")]) != base


def test_run_key__changes_with_library_versions(tmp_path):
    notebook = write_notebook(tmp_path / "a.ipynb")
    job = job_for(tmp_path, notebook)
    newer = dataclasses.replace(job, versions={"pandas": "3.0.0"})
    assert runner.run_key("f1", [dataclasses.replace(job, versions={"pandas": "2.3.1"})]) != runner.run_key(
        "f1", [newer]
    )


def test_run_record__names_the_versions_that_changed_since_the_previous_run(tmp_path):
    notebook = write_notebook(tmp_path / "a.ipynb")
    job = dataclasses.replace(job_for(tmp_path, notebook), versions={"pandas": "3.0.0", "numpy": "2.3.0"})
    outcomes = {("s", "a"): PageOutcome("s", "a", "T", "ok", 1.0, "a.html")}
    report_set = report_config.ReportSet("s", "S", {}, ())
    previous = {"run_date": "2024-01-01", "versions": {"pandas": "2.3.1", "numpy": "2.3.0"}}
    record = runner.run_record(report_set, [job], outcomes, "k", "f", "2024-02-01", 1.0, previous)
    assert record["versions"] == {"pandas": "3.0.0", "numpy": "2.3.0"}
    assert record["previous_run"] == "2024-01-01" and record["versions_changed"] == {"pandas": ("2.3.1", "3.0.0")}
    first = runner.run_record(report_set, [job], outcomes, "k", "f", "2024-02-01", 1.0, None)
    assert first["previous_run"] is None and first["versions_changed"] is None


def test_unchanged_since__same_key_and_all_pages_built_only():
    ok = {"run_key": "k", "pages": [{"status": "ok"}]}
    assert runner.unchanged_since(ok, "k")
    assert not runner.unchanged_since(ok, "other")
    assert not runner.unchanged_since({"run_key": "k", "pages": [{"status": "failed"}]}, "k")
    assert not runner.unchanged_since(None, "k")


def staged_run(set_dir: Path, run_name: str, marker: str) -> Path:
    """Make a staging folder holding a minimal run.json."""
    staging = set_dir / f".staging-{marker}"
    staging.mkdir(parents=True)
    (staging / "run.json").write_text(json.dumps({"run_date": run_name, "marker": marker, "pages": []}))
    return staging


def test_publish__replaces_a_same_day_run_and_latest_follows(tmp_path):
    runner.publish(staged_run(tmp_path, "2024-01-01", "first"), tmp_path, "2024-01-01")
    runner.update_latest(tmp_path, "2024-01-01")
    runner.publish(staged_run(tmp_path, "2024-01-01", "again"), tmp_path, "2024-01-01")
    runner.publish(staged_run(tmp_path, "2024-01-02", "next"), tmp_path, "2024-01-02")
    runner.update_latest(tmp_path, "2024-01-02")
    assert json.loads((tmp_path / "2024-01-01" / "run.json").read_text())["marker"] == "again"
    assert os.readlink(tmp_path / "latest") == "2024-01-02"
    assert json.loads((tmp_path / "latest" / "run.json").read_text())["marker"] == "next"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-01-01", "2024-01-02", "latest"]


def test_prune_runs__keeps_the_newest(tmp_path):
    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        runner.publish(staged_run(tmp_path, day, day), tmp_path, day)
    removed = runner.prune_runs(tmp_path, keep=2)
    assert [p.name for p in removed] == ["2024-01-01"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-01-02", "2024-01-03"]
    assert runner.prune_runs(tmp_path, keep=0) == []


def test_acquire_lock__second_run_is_refused(tmp_path):
    options = runner.RunOptions(out_dir=tmp_path)
    held = runner.acquire_lock(options)
    try:
        with pytest.raises(runner.ReportLocked, match="another report run holds"):
            runner.acquire_lock(options)
    finally:
        held.release()
    runner.acquire_lock(options).release()


# --- HTML ---------------------------------------------------------------------------------------------------


def test_document__self_contained_and_escaped():
    html_text = pages.document("<t>", "<p>body</p>", navigation=pages.navigation_html("Set <s>", [("a", "A & B")], "a"))
    assert "&lt;t&gt;" in html_text and "Set &lt;s&gt;" in html_text and "A &amp; B" in html_text
    assert "aria-current='page'" in html_text
    assert "src=" not in html_text and "<link" not in html_text


def test_error_html__message_and_traceback_are_text():
    box = pages.error_html(
        "Lags",
        "ValueError: <img src=x onerror=alert(1)>",
        cell_source="raise ValueError('<b>')",
        traceback="Traceback\n<script>",
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in box and "<img" not in box and "&lt;script&gt;" in box


def test_index_body__lists_pages_with_status_and_facts():
    run = {
        "set": "s",
        "set_title": "S",
        "parameters": {"countries": ["Syria"]},
        "data_fingerprint": "abc",
        "package_version": "0.1.0",
        "made_at": "2024-01-01T00:00:00+00:00",
        "seconds": 3.0,
        "run_date": "2024-01-01",
        "pages": [
            {"title": "Overview", "html": "overview.html", "status": "ok", "seconds": 1.0, "error": None},
            {"title": "Lags", "html": "lags.html", "status": "failed", "seconds": 1.0, "error": "ValueError: x"},
        ],
    }
    body = pages.index_body(run)
    assert "1 of 2 pages failed" in body and "href='lags.html'" in body and "ValueError: x" in body
    assert "abc" in body and "<th>countries</th><td>Syria</td>" in body  # as a person writes it, not a Python repr
    assert "Computed with" not in body and "previous run" not in body  # a run made before versions were recorded
    run.update(
        versions={"pandas": "3.0.0", "numpy": "2.3.0"},
        previous_run="2023-12-01",
        versions_changed={"pandas": ["2.3.1", "3.0.0"]},
    )
    body = pages.index_body(run)
    assert "<code class='library-versions'>pandas 3.0.0, numpy 2.3.0</code>" in body
    assert (
        "<span class='versions-changed'>changed since the previous run (2023-12-01): pandas 2.3.1 -&gt; 3.0.0</span>"
        in body
    )


def test_page_facts_html__states_the_library_versions():
    facts = {
        "set_title": "S",
        "page_title": "P",
        "parameters": {},
        "data_fingerprint": "abc",
        "package_version": "0.1.0",
        "versions": {"python": "3.11.7", "pandas": "2.3.1"},
        "made_at": "2024-01-01T00:00:00+00:00",
        "notebook": "notebooks/p.ipynb",
    }
    assert "<code class='library-versions'>python 3.11.7, pandas 2.3.1</code>" in pages.page_facts_html(facts)


def test_strip_for_page__removes_stderr_tagged_cells_and_error_outputs():
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "x",
                outputs=[
                    nbformat.v4.new_output("stream", name="stderr", text="warn\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="out\n"),
                ],
            ),
            nbformat.v4.new_code_cell("y", metadata={"tags": ["remove-cell"]}),
            nbformat.v4.new_code_cell(
                "z", outputs=[nbformat.v4.new_output("error", ename="E", evalue="v", traceback=[])]
            ),
        ]
    )
    assert strip_for_page(nb, drop_errors=True) == ["warn\n"]
    assert [c.source for c in nb.cells] == ["x", "z"]
    assert [o.get("name") for o in nb.cells[0].outputs] == ["stdout"] and nb.cells[1].outputs == []


def test_strip_for_page__drops_plotly_json_the_page_never_shows():
    import nbformat

    figure = nbformat.v4.new_output(
        "display_data",
        data={
            "application/vnd.plotly.v1+json": {"data": [{"type": "bar", "y": [1, 2]}]},
            "text/html": "<div>Plotly.newPlot(...)</div>",
            "text/plain": "Figure",
        },
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("fig.show()", outputs=[figure])])
    assert strip_for_page(nb) == []
    assert set(nb.cells[0].outputs[0].data) == {"text/html", "text/plain"}


def test_needs_plotlyjs__only_figures_without_the_library():
    assert needs_plotlyjs("<script>Plotly.newPlot('id', [])</script>")
    assert not needs_plotlyjs("<p>no figure</p>")
    assert not needs_plotlyjs("<script>/**\n* plotly.js v4.1.1\n*/</script><script>Plotly.newPlot('id', [])</script>")


# --- display helpers ----------------------------------------------------------------------------------------


def test_setup_notebook__figure_html_has_no_external_script():
    import plotly.graph_objects as go
    import plotly.io as pio

    setup_notebook()
    bundle = pio.renderers._build_mime_bundle(go.Figure(go.Bar(x=[1], y=[2])).to_dict(), pio.renderers.default)
    assert "application/vnd.plotly.v1+json" in bundle  # what JupyterLab draws
    assert "Plotly.newPlot(" in bundle["text/html"]  # what nbconvert keeps in the HTML page
    assert "src=" not in bundle["text/html"] and "cdn" not in bundle["text/html"].lower()


def test_html_table__note_markup_is_text():
    table = html_table(pd.DataFrame({"notes": ["<img src=x onerror=alert(1)>"]}))
    assert "&lt;img src=x onerror=alert(1)&gt;" in table and "<img" not in table


def test_header_html__parameters_fingerprint_version_escaped():
    header = header_html("T<", {"countries": ["<Syria>"]}, {"data_fingerprint": "f00d"})
    assert "T&lt;" in header and "&lt;Syria&gt;" in header and "f00d" in header and "0.1.0" in header


def test_headline_html__values_escaped():
    assert "&lt;b&gt;" in headline_html({"<b>": 1})


# --- maps ---------------------------------------------------------------------------------------------------


def events_frame(**columns) -> pd.DataFrame:
    """Return a small event table with the columns maps and summaries read."""
    base = {
        "event_id": ["a", "b", "c"],
        "event_date": pd.to_datetime(["2024-01-02", "2024-01-05", "2024-01-09"]),
        "country": ["Iraq", "Iraq", "Syria"],
        "location": ["Al Asad", "Al Asad", "<b>Conoco</b>"],
        "site": ["Al-Asad Air Base", "Al-Asad Air Base", None],
        "role": ["attack", "attack", "response"],
        "latitude": pd.array([33.786, 33.786, None], dtype="Float64"),
        "longitude": pd.array([42.441, 42.441, None], dtype="Float64"),
        "geo_precision": pd.array([1, 1, 3], dtype="Int64"),
        "date_precision": ["day", "day", "month"],
        "initiator": ["KH", None, "US"],
        "target": ["US", "US", "KH"],
        "weapon": ["rocket", "unknown", None],
        "notes": ["<script>x</script>", None, "n"],
        "source": ["log", "log", "log"],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_boundaries__shipped_for_every_theatre_with_label_points():
    assert {"Iraq", "Syria", "Jordan"} <= set(maps.boundary_names())
    west, east, south, north = maps.map_extent(["Iraq", "Syria", "Jordan"])
    assert 34 < west < 36 and 48 < east < 50 and 28 < south < 30 and 37 < north < 39


def test_map_extent__unknown_country_named():
    with pytest.raises(ParameterError, match="no shipped border for country 'Yemen'"):
        maps.map_extent(["Yemen"])


def test_place_counts__one_row_per_place_and_role_skipping_unplaced():
    counts = maps.place_counts(events_frame())
    assert counts[["place", "role", "events"]].to_dict("records") == [
        {"place": "Al-Asad Air Base", "role": "attack", "events": 2}
    ]
    assert maps.missing_coordinates(events_frame()) == 1


def test_event_map__offline_traces_and_escaped_hover():
    frame = events_frame(site=["<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>", None])
    figure = maps.event_map(frame, ["Iraq", "Syria"])
    assert figure.layout.geo.to_plotly_json() == {}  # no plotly geo subplot, whose base map needs a CDN
    markers = [t for t in figure.data if t.mode == "markers"]
    assert len(markers) == 1 and "&lt;img src=x" in markers[0].hovertext[0]
    assert {t.name for t in figure.data if t.fill == "toself"} >= {"Iraq", "Syria", "Jordan"}


# --- overview and quality summaries -------------------------------------------------------------------------


def test_headline_figures__counts_and_dates():
    figures = overview_text.headline_figures(events_frame())
    assert figures["attacks on US / coalition forces"] == 2 and figures["US / coalition strikes"] == 1
    assert figures["bases attacked"] == 1 and figures["first event"] == "2024-01-02"


def test_latest_events__newest_first_notes_kept_verbatim():
    latest = overview.latest_events(events_frame(), n=2)
    assert latest["event_date"].tolist() == ["2024-01-09", "2024-01-05"]
    assert overview.latest_events(events_frame(), n=3)["notes"].iloc[2] == "<script>x</script>"


def test_timeline_figure__one_marker_per_event_coarse_dates_hollow():
    figure = overview_text.timeline_figure(events_frame())
    sizes = {t.name: len(t.x) for t in figure.data}
    assert sizes == {"Attacks on US / coalition forces (2)": 2, "US / coalition strikes (1)": 1}
    strikes = next(t for t in figure.data if t.name.startswith("US"))
    assert list(strikes.marker.symbol) == ["diamond-open"]


def test_quarantine_reasons__counts_per_reason():
    quarantine = pd.DataFrame(
        {
            "source_file": ["a", "a", "a"],
            "source_row": [3, 9, 4],
            "column": ["date"] * 3,
            "value": ["x", "y", "z"],
            "reason": ["ambiguous", "ambiguous", "empty"],
        }
    )
    table = quality.quarantine_reasons(quarantine)
    assert table[["reason", "rows", "example_rows"]].to_dict("records") == [
        {"reason": "ambiguous", "rows": 2, "example_rows": "3, 9"},
        {"reason": "empty", "rows": 1, "example_rows": "4"},
    ]


def test_unknown_name_counts__most_frequent_first():
    unknown = pd.DataFrame(
        {
            "source_file": ["a"] * 3,
            "source_row": [1, 2, 3],
            "column": ["actor", "actor", "location"],
            "value": ["KSS", "KSS", "Qayyara"],
        }
    )
    assert quality.unknown_name_counts(unknown)[["value", "rows"]].to_dict("records") == [
        {"value": "KSS", "rows": 2},
        {"value": "Qayyara", "rows": 1},
    ]


def test_field_completeness__unknown_weapon_counts_as_missing():
    table = quality.field_completeness(events_frame()).set_index("field")
    assert table.loc["weapon", "events_with_it"] == 1 and table.loc["initiator", "percent"] == 66.7


def test_accounting_note__flags_unaccounted_rows():
    table = quality.accounting_table(
        pd.DataFrame(
            {"source_file": ["a"], "format": ["log"], "raw_rows": [5], "events": [3], "merged": [0], "quarantined": [1]}
        )
    )
    assert quality_text.accounting_note(table).startswith("1 of 5 raw rows are unaccounted for")


def test_remove_leftovers__only_hidden_staging_folders(tmp_path):
    for name in (".staging-2024-01-01-x", ".replaced-2024-01-01-1", "2024-01-01"):
        (tmp_path / name).mkdir()
    runner.remove_leftovers(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["2024-01-01"]


def test_index_body__leads_with_each_pages_key_findings_and_the_set_summary():
    findings = '<section class="key-findings"><h2>Key findings</h2><ul><li>3 attacks <a href="overview.html#where">details</a></li></ul></section>'
    summary = '<section class="set-summary"><h2>Attacks per month</h2><svg></svg></section>'
    run = {
        "set": "s", "set_title": "S", "parameters": {}, "data_fingerprint": "abc", "package_version": "0.1.0",
        "made_at": "2024-01-01T00:00:00+00:00", "seconds": 3.0, "run_date": "2024-01-01",
        "pages": [{"title": "Overview", "html": "overview.html", "status": "ok", "seconds": 1.0, "error": None,
                   "highlights": findings + summary}],
    }  # fmt: skip
    body = pages.index_body(run)
    assert body.index("Key findings of this set") < body.index("<table class='pages'>")
    assert '<li>3 attacks <a href="overview.html#where">details</a></li>' in body and "set-summary" in body


def test_page_highlights__keep_findings_and_point_their_links_into_the_page():
    from analysis.reporting.worker import page_highlights

    body = '<p>x</p><section class="key-findings"><ul><li>a <a href="#lags">details</a></li></ul></section><p>y</p>'
    assert page_highlights(body, "lags.html") == (
        '<section class="key-findings"><ul><li>a <a href="lags.html#lags">details</a></li></ul></section>'
    )
