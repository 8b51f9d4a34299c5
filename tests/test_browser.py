"""Render report pages in headless Chromium, offline, and check that the charts drew and no note's markup ran.

Skips with a reason where no Chromium is installed (`apt-get install -y chromium`; .ci/run installs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import run_report, write_config

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]
BROWSER = next(
    (path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))), None
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # any request for another host fails: the page must not need one
    "--virtual-time-budget=20000",
]  # let scripts run (plotly draws after load)


def chromium(url: str, profile: Path, *action: str) -> subprocess.CompletedProcess:
    """Run headless Chromium with a fresh profile on a URL."""
    return subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *action, url], capture_output=True, text=True, timeout=180
    )


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (apt-get install -y chromium; CI installs it)")
def test_browser__charts_draw_offline_and_note_markup_does_not_run(tmp_path, tiny_raw):
    config = write_config(
        tmp_path / "reports.yml",
        ["overview", "data_quality"],
        {"data": str(tiny_raw), "countries": ["Syria"], "start": "2022-01-01", "end": "2022-12-31"},
    )
    result = run_report("--config", config, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    run_dir = (tmp_path / "out" / "test" / "latest").resolve()
    for page in ("overview", "data_quality"):
        url = (run_dir / f"{page}.html").as_uri()
        dom = chromium(url, tmp_path / f"profile-{page}", "--dump-dom").stdout
        figures = len(re.findall(r'class="plotly-graph-div', dom))
        drawn = len(re.findall(r'class="plotly-graph-div js-plotly-plot"', dom))
        assert figures >= 1 and drawn == figures, f"{page}: {drawn} of {figures} charts drew"
        assert dom.count('class="main-svg"') >= 2 * figures  # each drawn chart has its SVG layers
        assert "data-pwned" not in re.search(r"<body[^>]*>", dom).group(0), f"{page}: markup from a note ran"
        shot = tmp_path / f"{page}.png"
        chromium(url, tmp_path / f"profile-shot-{page}", "--window-size=1200,1800", f"--screenshot={shot}")
        blank = tmp_path / "blank.png"
        chromium("about:blank", tmp_path / "profile-blank", "--window-size=1200,1800", f"--screenshot={blank}")
        assert shot.stat().st_size > 5 * blank.stat().st_size, f"{page}: the screenshot looks blank"
