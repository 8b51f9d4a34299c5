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
    assert sorted(answers.index) == ["log:2024-02-03-a", "log:2024-02-03-b"]


def test_shipped_build__accounts_for_every_row(tmp_path):
    manifest = an.build(out_dir=tmp_path / "processed")
    totals = manifest["totals"]
    assert totals["unaccounted"] == 0 and totals["quarantined"] == 0
    assert totals["events"] == totals["raw_rows"] > 0


def test_shipped_log__holds_the_campaign_record(shipped):
    events = shipped.events
    assert len(events) >= 300
    surge = events[events["event_date"].between("2023-10-17", "2024-02-04") & events["role"].eq("attack")]
    assert (surge["date_precision"] == "day").sum() >= 120


def test_shipped_log__every_attack_says_what_it_hit(shipped):
    attacks = shipped.events[shipped.events["role"] == "attack"]
    assert attacks["target_kind"].notna().all(), attacks.loc[attacks["target_kind"].isna(), "event_id"].tolist()


def test_shipped_log__every_row_has_a_url(raw_log):
    assert (raw_log["source_url"].str.strip() != "").all()


def test_shipped_log__dates_are_local_for_strikes_announced_in_eastern_time(shipped):
    events = shipped.events.set_index("event_id")
    # CENTCOM: 8:45 p.m. EST on 25 Dec 2023 = 04:45 on 26 Dec in Iraq; 12:15 a.m. Wednesday 24 Jan 2024 Iraq time
    assert events.loc["log:2023-12-26-a", "event_time_utc"] == pd.Timestamp("2023-12-26 01:45", tz="UTC")
    assert events.loc["log:2024-01-24-a", "event_time_utc"] == pd.Timestamp("2024-01-23 21:15", tz="UTC")
    assert "log:2020-01-03-a" in events.index and events.loc["log:2020-01-03-a", "date_precision"] == "day"


def test_official_counts__load_and_the_surge_is_mostly_covered(shipped):
    from analysis.analyses.coverage import official_coverage

    coverage = official_coverage(shipped).set_index(["statement_date", "measure"])
    final = coverage.loc[(pd.Timestamp("2024-02-13"), "attacks_on_us_forces")]
    assert (final["official_count"], final["window_start"]) == (170, pd.Timestamp("2023-10-17"))
    assert final["data_count"] >= 0.75 * 170
    killed = coverage.loc[(pd.Timestamp("2026-03-02"), "us_killed")]
    assert killed["data_count"] == killed["official_count"] == 3  # Tower 22, the window's only deaths
