"""Shared fixtures: tiny reference tables and incident logs written to a temporary raw folder."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property-based tests: 10,000 examples each in CI (CI=true), a few hundred on a developer's run. A test that
# sets its own max_examples keeps it (see tests/test_bad_inputs.py for one whose examples each build a log).
settings.register_profile("ci", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_DIR.parent / "shared"

PLACES = [
    ["name", "aliases", "kind", "country", "admin1", "latitude", "longitude", "geo_precision"],
    ["MSS Conoco", "Conoco;Mission Support Site Conoco", "base", "Syria", "Deir ez-Zor", "35.39", "40.31", "1"],
    ["Deir ez-Zor", "Deir Ezzor;Dayr az Zawr", "province", "Syria", "Deir ez-Zor", "35.33", "40.14", "3"],
    ["Al-Asad Air Base", "Ain al-Asad;Al Asad", "base", "Iraq", "Anbar", "33.79", "42.44", "1"],
    ["Tower 22", "", "base", "Jordan", "Mafraq", "33.32", "38.69", "1"],
    ["Paris", "", "town", "France", "", "48.85", "2.35", "2"],
]
ACTORS = [
    ["alias", "name", "side"],
    ["KH", "Kata'ib Hizballah", "militia"],
    ["Kataib Hezbollah", "Kata'ib Hizballah", "militia"],
    ["US forces", "United States Armed Forces", "us"],
]
WEAPONS = [
    ["alias", "weapon"],
    ["rockets", "rocket"],
    ["one-way attack drone", "drone"],
    ["precision strikes", "airstrike"],
]
LOG_HEADER = [
    "id",
    "date",
    "local_time",
    "country",
    "location",
    "kind",
    "actor",
    "target",
    "weapon",
    "us_wounded",
    "militia_killed",
    "responds_to",
    "source",
]


# Test tiers (`pytest -m unit` runs in seconds): every test is one of unit, integration or notebook.
# Notebook tests execute notebooks or render pages; integration tests build the shipped data or read ../shared.
NOTEBOOK_FILES = {
    "test_report_run.py",
    "test_browser.py",
    "test_notebook_casualties.py",
    "test_notebook_lags.py",
    "test_notebook_trends.py",
    "test_readme_commands.py",
}
INTEGRATION_FILES = {
    "test_build.py",
    "test_shipped_data.py",
    "test_notebooks_sync.py",
    "test_shared_acled.py",
    "test_environment.py",
    "test_docs.py",
    "test_bad_inputs.py",
    "test_scale.py",
    "test_fetch.py",
    "test_role_accuracy.py",
    "test_extract_gold.py",
    "test_architecture.py",
}


def pytest_collection_modifyitems(items):
    """Give every test its tier marker, from its file or its own notebooks / browser / shared marker."""
    for item in items:
        own = {mark.name for mark in item.iter_markers()}
        if own & {"unit", "integration", "notebook"}:
            continue
        name = Path(str(item.fspath)).name
        if name in NOTEBOOK_FILES or own & {"notebooks", "browser"}:
            item.add_marker(pytest.mark.notebook)
        elif (
            name in INTEGRATION_FILES
            or "shared" in own
            or {"shipped_processed_dir", "shipped_data"} & set(getattr(item, "fixturenames", ()))
        ):
            item.add_marker(pytest.mark.integration)
        else:
            item.add_marker(pytest.mark.unit)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """Write rows (header first) as a UTF-8 CSV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A raw folder holding only the tiny reference tables."""
    raw = tmp_path / "raw"
    write_csv(raw / "reference" / "places.csv", PLACES)
    write_csv(raw / "reference" / "actors.csv", ACTORS)
    write_csv(raw / "reference" / "weapons.csv", WEAPONS)
    return raw


def log_row(**cells: str) -> dict[str, str]:
    """Return a valid attack row, with any cell overridden."""
    row = {
        "id": "2022-08-24-a",
        "date": "2022-08-24",
        "local_time": "",
        "country": "Syria",
        "location": "Conoco",
        "kind": "attack",
        "actor": "KH",
        "target": "US forces",
        "weapon": "rockets",
        "us_wounded": "",
        "militia_killed": "",
        "responds_to": "",
        "source": "CENTCOM, 2022-08-24, release",
    }
    row.update(cells)
    return row


@pytest.fixture
def write_log(raw_dir: Path):
    """Write a list of row dicts as raw/log.csv and return its path."""

    def write(rows: list[dict[str, str]], name: str = "log.csv") -> Path:
        header = list(dict.fromkeys(LOG_HEADER + [k for row in rows for k in row]))
        return write_csv(raw_dir / name, [header] + [[row.get(c, "") for c in header] for row in rows])

    return write


@pytest.fixture
def load_log(raw_dir: Path, write_log):
    """Write rows as a log and read it back with load_events."""
    import analysis as an

    def load(rows: list[dict[str, str]]):
        return an.load_events([write_log(rows)], reference_dir=raw_dir / "reference")

    return load


def needs_shared(*parts: str) -> Path:
    """Return a path under ../shared, skipping the test with a reason when it is absent (a user's clone)."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test needs ../shared beside the project (CI has it)")
    return path


@pytest.fixture(scope="session")
def shipped_processed_dir(tmp_path_factory) -> Path:
    """The shipped data/raw built once per test session into a temporary folder (data/processed is untouched)."""
    import analysis as an

    out = tmp_path_factory.mktemp("shipped_processed")
    an.build(PROJECT_DIR / "data" / "raw", out)
    return out


@pytest.fixture(scope="session")
def shipped_data(shipped_processed_dir):
    """The shipped log's processed tables, as a notebook's load_data would read them."""
    import analysis as an

    return an.load_processed(shipped_processed_dir)


@pytest.fixture
def tiny_raw(raw_dir, write_log):
    """A raw folder with two events whose notes hold markup (shown as text, never run)."""
    write_log(
        [
            log_row(notes="<script>document.body.setAttribute('data-pwned', 'script')</script>"),
            log_row(
                id="2022-08-25-a",
                date="2022-08-25",
                kind="response",
                responds_to="2022-08-24-a",
                notes="<img src=x onerror=\"document.body.setAttribute('data-pwned', 'img')\">",
            ),
        ]
    )
    return raw_dir
