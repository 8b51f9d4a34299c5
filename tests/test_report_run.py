"""End-to-end tests of `python -m analysis report`: executes notebooks with papermill (slow: a few seconds each)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from analysis.reporting.config import load_report_config
from tests.conftest import PROJECT_DIR
from tests.factories import run_report, write_config, write_notebook

pytestmark = pytest.mark.notebooks

# anything a page could fetch from elsewhere: <script src=...>, <link href=...>, @import, url(http...)
EXTERNAL = re.compile(
    r"<script[^>]*\bsrc\s*=|<link[^>]*\bhref\s*=\s*['\"]?(https?:)?//|@import|url\(\s*['\"]?(https?:)?//", re.I
)


@pytest.fixture(scope="module")
def shipped_report(tmp_path_factory):
    """Run the default report set on the shipped data (data/raw), building it into a temporary folder."""
    folder = tmp_path_factory.mktemp("shipped")
    result = run_report("--out", folder / "reports", "--processed", folder / "processed")
    return folder, result


def test_report__default_set_on_shipped_data_every_page_offline_with_figures_and_parameters(shipped_report):
    folder, result = shipped_report
    assert result.returncode == 0, result.stderr
    config = load_report_config(PROJECT_DIR / "reports.yml")
    report_set = config.get(config.default_set)
    run_dir = folder / "reports" / report_set.name / "latest"
    manifest = json.loads((folder / "processed" / "manifest.json").read_text())
    assert "missing or stale: building it" in result.stderr  # the processed folder did not exist: it was built
    index = (run_dir / "index.html").read_text()
    for page in report_set.pages:
        page_html = (run_dir / f"{page.name}.html").read_text()
        assert f"href='{page.name}.html'" in index
        assert page_html.count("Plotly.newPlot(") >= 1, f"{page.name} shows no figure"
        assert page_html.count("* plotly.js v") == 1, f"{page.name} must carry plotly.js exactly once"
        assert "this page failed" not in page_html
        computed_with = f"pandas {manifest['versions']['pandas']}, numpy {manifest['versions']['numpy']}"
        for value in (
            "1 Jan 2019",
            "31 Dec 2024",
            "Jordan",
            manifest["data_fingerprint"],
            manifest["package_version"],
            computed_with,
        ):
            assert value in page_html, f"{page.name} does not show {value}"
        assert not EXTERNAL.search(page_html), f"{page.name} loads {EXTERNAL.search(page_html).group(0)!r}"
    assert not EXTERNAL.search(index)
    run = json.loads((run_dir / "run.json").read_text())
    assert [p["status"] for p in run["pages"]] == ["ok"] * len(report_set.pages)
    assert os.path.islink(run_dir) and (folder / "reports" / "index.html").is_file()


def test_report__if_changed_skips_an_unchanged_set(shipped_report):
    folder, first = shipped_report
    assert first.returncode == 0, first.stderr
    config = load_report_config(PROJECT_DIR / "reports.yml")
    run_json = folder / "reports" / config.default_set / "latest" / "run.json"
    before = run_json.read_text()
    again = run_report("--out", folder / "reports", "--processed", folder / "processed", "--if-changed")
    assert again.returncode == 0, again.stderr
    assert "unchanged since its run" in again.stderr and "skipped" in again.stderr
    assert run_json.read_text() == before


def test_report__overlapping_run_exits_3_without_running(tmp_path):
    import filelock

    with filelock.FileLock(str(tmp_path / ".report.lock")):
        result = run_report("--out", tmp_path, "--pages", "overview")
    assert result.returncode == 3
    assert "another report run holds" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".report.lock"]


def test_report__failing_notebook_becomes_an_error_page_others_still_built(tmp_path, tiny_raw):
    notebooks = tmp_path / "notebooks"
    # the kernel starts with the slow optional module marked unavailable (None), whether installed or not
    write_notebook(
        notebooks / "fine.ipynb",
        body="import sys\nprint('this page is fine', sys.modules.get('rfc3987_syntax', 'absent'))",
    )
    write_notebook(notebooks / "boom.ipynb", body="raise ValueError('bad <img src=x onerror=alert(1)>')")
    config = write_config(tmp_path / "reports.yml", ["fine", "boom", "ghost"], {"start": "2022-01-01"})
    result = run_report(
        "--config",
        config,
        "--notebooks",
        notebooks,
        "--out",
        tmp_path / "out",
        "--raw",
        tiny_raw,
        "--processed",
        tmp_path / "processed",
    )
    assert result.returncode == 1, result.stderr
    assert "test/boom: FAILED (ValueError" in result.stderr
    assert "1 of 3 pages built" in result.stdout and "failed: boom, ghost" in result.stdout
    run_dir = tmp_path / "out" / "test" / "latest"
    boom = (run_dir / "boom.html").read_text()
    assert "Boom: this page failed" in boom and "ValueError: bad &lt;img src=x onerror=alert(1)&gt;" in boom
    assert "raise ValueError(" in boom and "Traceback" in boom and "<img src=x" not in boom
    assert (
        "1 Jan 2022" in boom
        and json.loads((tmp_path / "processed" / "manifest.json").read_text())["data_fingerprint"] in boom
    )
    assert (run_dir / "notebooks" / "boom.ipynb").is_file()  # kept to debug; pages that built keep none
    assert not (run_dir / "notebooks" / "fine.ipynb").exists()
    assert "this page is fine None" in (run_dir / "fine.html").read_text()
    assert "does not exist" in (run_dir / "ghost.html").read_text()
    index = (run_dir / "index.html").read_text()
    assert "2 of 3 pages failed" in index
    statuses = {p["name"]: p["status"] for p in json.loads((run_dir / "run.json").read_text())["pages"]}
    assert statuses == {"fine": "ok", "boom": "failed", "ghost": "missing"}


def test_report__bad_parameters_stop_before_anything_runs(tmp_path):
    config = write_config(
        tmp_path / "reports.yml", ["overview"], {"start": "2022-01-01", "colour": "red", "countries": "Syria"}
    )
    result = run_report("--config", config, "--out", tmp_path / "out", "--processed", tmp_path / "processed")
    assert result.returncode == 2
    assert "does not declare 'colour'" in result.stderr and "countries must be a list of str" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "processed").exists()


def test_report__notes_as_text_figures_from_raw_data_and_an_empty_selection_in_one_run(tmp_path, tiny_raw):
    both = {"data": str(tiny_raw), "countries": ["Syria"]}
    (tmp_path / "reports.yml").write_text(
        json.dumps(
            {
                "pages": ["overview", "data_quality"],
                "sets": {
                    "test": {"title": "Test set", "parameters": {**both, "start": "2022-01-01", "end": "2022-12-31"}},
                    "empty": {
                        "title": "Nothing in range",
                        "parameters": {**both, "start": "2019-01-01", "end": "2019-12-31"},
                    },
                },
            }
        )
    )
    result = run_report("--config", tmp_path / "reports.yml", "--all-sets", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    overview = (tmp_path / "out" / "test" / "latest" / "overview.html").read_text()
    assert "&lt;script&gt;document.body.setAttribute(" in overview and "&lt;img src=x onerror=" in overview
    assert "<script>document.body" not in overview and "<img src=x" not in overview
    assert "attacks on US / coalition forces" in overview and "MSS Conoco" in overview
    assert overview.count("Plotly.newPlot(") == 3  # map, timeline, months
    quality = (tmp_path / "out" / "test" / "latest" / "data_quality.html").read_text()
    assert "All 2 raw rows are accounted for" in quality
    footer = re.findall(r"<code class='data-fingerprint'>([0-9a-f]+)</code>", quality)
    header = re.findall(r"Data fingerprint <code>([0-9a-f]+)</code>", quality)
    assert footer and footer == header  # raw files: the notebook's header and the page's foot cite the same one
    for page in ("overview", "data_quality"):
        empty = (tmp_path / "out" / "empty" / "latest" / f"{page}.html").read_text()
        assert "No events in the selected period" in empty and "Plotly.newPlot(" not in empty
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"test", "empty", "index.html"}


def test_report__a_cell_over_the_timeout_fails_its_page_and_stops_its_kernel(tmp_path, tiny_raw):
    notebooks = tmp_path / "notebooks"
    pid_file = tmp_path / "kernel.pid"
    write_notebook(
        notebooks / "slow.ipynb",
        body=f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(120)",
    )
    config = write_config(tmp_path / "reports.yml", ["slow"], {"data": str(tiny_raw)})
    result = run_report("--config", config, "--notebooks", notebooks, "--out", tmp_path / "out", "--timeout", "2")
    assert result.returncode == 1
    page = (tmp_path / "out" / "test" / "latest" / "slow.html").read_text()
    assert "CellTimeoutError" in page and "--timeout 2 seconds per cell" in page
    pid = int(pid_file.read_text())  # the kernel that ran the cell: it may not survive the run
    assert (
        not Path(f"/proc/{pid}").exists() or Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    )


def test_report__a_second_custom_run_the_same_day_keeps_its_own_folder(tmp_path, tiny_raw):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks / "fine.ipynb")
    config = write_config(tmp_path / "reports.yml", ["fine"], {"data": str(tiny_raw)})
    for _ in range(2):
        result = run_report("--config", config, "--notebooks", notebooks, "--out", tmp_path / "out",
                            "--start", "2022-01-01", "--end", "2022-12-31", "--countries", "Syria")  # fmt: skip
        assert result.returncode == 0, result.stderr
    set_dir = tmp_path / "out" / "custom-2022-01-01-to-2022-12-31-syria"  # named after its selection
    runs = sorted(p.name for p in set_dir.iterdir() if p.is_dir() and not p.is_symlink())
    assert len(runs) == 2 and runs[1] == runs[0] + "-2"
    assert (set_dir / "latest").resolve().name == runs[1]
    index = (set_dir / runs[1] / "index.html").read_text()
    assert "Custom report: 1 Jan 2022 to 31 Dec 2022, Syria" in index and "start=" not in index
