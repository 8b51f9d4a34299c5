"""A report run states the vintage of the fetched data it read, and the next run what changed (executes notebooks)."""

import datetime as dt
import json

import pytest

from analysis.fetch.acled import AcledClient, AcledQuery, fetch_acled, update_acled
from analysis.fetch.credentials import Credentials
from tests.factories import acled_api_rows, run_report, write_config, write_notebook
from tests.fake_api import PASSWORD, USERNAME, FakeApi, FakeApiState

pytestmark = pytest.mark.notebooks
MONDAY = dt.datetime(2025, 1, 6, 3, 0, tzinfo=dt.UTC)


def test_report__pages_state_the_pull_and_the_index_the_changes_since_the_previous_run(tmp_path, tiny_raw, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    state = FakeApiState()
    state.set_acled(acled_api_rows(12))
    config = write_config(tmp_path / "reports.yml", ["fine"], {"start": "2019-01-01"})
    write_notebook(tmp_path / "notebooks" / "fine.ipynb", body="print('fine')")
    report = ["--config", config, "--notebooks", tmp_path / "notebooks", "--out", tmp_path / "out"]
    report += ["--raw", tiny_raw, "--processed", tmp_path / "processed"]
    with FakeApi(state) as api:
        client = AcledClient(api.url, Credentials(USERNAME, PASSWORD), progress=lambda line: None)
        fetch_acled(tiny_raw / "acled", AcledQuery(("Iraq", "Syria", "Jordan"), "2019-01-01"), client, now=MONDAY)
        first = run_report(*report)
        first_index = (tmp_path / "out" / "test" / "latest" / "index.html").read_text()
        state.change_acled(added=3, revised=2, deleted=1)
        update_acled(tiny_raw / "acled", client, now=MONDAY + dt.timedelta(days=7))
        second = run_report(*report)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "data vintage: ACLED pulled 2025-01-06" in first_index and "data-changes" not in first_index
    run_dir = tmp_path / "out" / "test" / "latest"
    page, index = (run_dir / "fine.html").read_text(), (run_dir / "index.html").read_text()
    assert "<span class='data-vintage'>data vintage: ACLED pulled 2025-01-13</span>" in page
    assert "data vintage: ACLED pulled 2025-01-13" in index
    assert "<span class='data-changes'>since the previous run: 3 new, 2 revised, 1 deleted (ACLED)</span>" in index
    run = json.loads((run_dir / "run.json").read_text())
    assert [(s["store"], s["snapshot"], s["rows"]) for s in run["data_stores"]] == [
        ("acled", "acled/snapshots/acled-20250113T030000Z.csv", 14)
    ]
