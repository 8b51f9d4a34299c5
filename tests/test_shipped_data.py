"""Data checks on the shipped incident log (data/raw/incidents.csv) and its reference tables."""

import pandas as pd
import pytest

import analysis as an
from analysis.core.tables import split_ids
from tests.conftest import PROJECT_DIR

LOG = PROJECT_DIR / "data" / "raw" / "incidents.csv"


@pytest.fixture(scope="module")
def shipped():
    """The shipped log read through load_events, as every command reads it."""
    return an.load_events([LOG])


@pytest.fixture(scope="module")
def raw_log():
    """The shipped log as raw text cells."""
    return pd.read_csv(LOG, dtype=str, keep_default_na=False)


def test_shipped_log__no_row_quarantined(shipped, raw_log):
    assert shipped.quarantine.empty, shipped.quarantine.to_string()
    assert len(shipped.events) == len(raw_log)


def test_shipped_log__every_name_is_in_the_reference_tables(shipped):
    assert shipped.unknown_names.empty, shipped.unknown_names.to_string()


def test_shipped_log__ids_unique(raw_log):
    assert raw_log["id"].is_unique


def test_shipped_log__ids_start_with_their_date(raw_log):
    assert (raw_log["id"].str[:10] == raw_log["date"]).all()


def test_shipped_log__every_responds_to_resolves_to_an_earlier_attack(shipped):
    events = shipped.events.set_index("event_id")
    links = [(r, a) for r, value in events["responds_to"].dropna().items() for a in split_ids(value)]
    assert links, "the log should hold explicit links"
    for response_id, attack_id in links:
        assert events.loc[attack_id, "role"] == "attack", (response_id, attack_id)
        assert events.loc[attack_id, "event_date"] <= events.loc[response_id, "event_date"], (response_id, attack_id)
        assert events.loc[response_id, "role"] == "response"


def test_shipped_log__every_event_has_coordinates(shipped):
    missing = shipped.events[shipped.events["latitude"].isna() | shipped.events["longitude"].isna()]
    assert missing.empty, missing[["event_id", "location"]].to_string()


def test_shipped_log__every_site_has_coordinates():
    places = pd.read_csv(PROJECT_DIR / "data" / "raw" / "reference" / "places.csv")
    assert places[["latitude", "longitude"]].notna().all().all()


def test_shipped_log__every_row_is_cited(raw_log):
    assert (raw_log["source"].str.strip() != "").all()
    sources = raw_log["source"].str.split(" | ", regex=False).str.len()
    urls = raw_log["source_url"].map(lambda v: len(v.split(" | ")) if v else 0)
    assert (urls <= sources).all()
    assert raw_log["source"].str.match(r"^[^,|]+, \d{4}-\d{2}-\d{2}, ").all()


def test_shipped_log__covers_the_known_anchor_events(shipped):
    events = shipped.events.set_index("event_id")
    tower_22 = events.loc["log:2024-01-28-a"]
    assert (tower_22["site"], tower_22["country"], tower_22["role"]) == ("Tower 22", "Jordan", "attack")
    killed = shipped.casualties.query("event_id == 'log:2024-01-28-a' and side == 'us' and outcome == 'killed'")
    assert killed["best"].tolist() == [3]
    answers = events[events["responds_to"].fillna("").str.contains("log:2024-01-28-a")]
    assert sorted(answers.index) == ["log:2024-02-02-a", "log:2024-02-02-b"]


def test_shipped_build__accounts_for_every_row(tmp_path):
    manifest = an.build(out_dir=tmp_path / "processed")
    totals = manifest["totals"]
    assert totals["unaccounted"] == 0 and totals["quarantined"] == 0
    assert totals["events"] == totals["raw_rows"] > 0
