"""Real combinations at realistic sizes: the shipped log beside generated ACLED exports, and beside the real
ACLED fixture with log rows written to match some of its events. Every raw row is accounted for, every merge is
recorded with its rule."""

import importlib.util
import shutil

import pandas as pd
import pytest

import analysis as an
from tests.conftest import PROJECT_DIR, needs_shared, write_csv


def _generator():
    """Import benchmarks/generate_acled.py (the generator the benchmarks use)."""
    spec = importlib.util.spec_from_file_location("generate_acled", PROJECT_DIR / "benchmarks" / "generate_acled.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _raw_with_log(tmp_path):
    """A raw folder holding the shipped log and reference tables."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(PROJECT_DIR / "data" / "raw" / "incidents.csv", raw)
    shutil.copytree(PROJECT_DIR / "data" / "raw" / "reference", raw / "reference")
    return raw


def _check_accounting(manifest, out):
    """Every raw row is an event, a merge or a quarantine row, and merges.csv lists every merge."""
    totals = manifest["totals"]
    assert totals["unaccounted"] == 0
    assert totals["raw_rows"] == totals["events"] + totals["merged"] + totals["quarantined"]
    merges = pd.read_csv(out / "merges.csv", dtype=str, keep_default_na=False)
    assert len(merges) == totals["merged"]
    assert (merges["reason"].str.len() > 0).all() and (merges["kept_event_id"] != "").all()
    return merges


@pytest.mark.parametrize("rows", [20_000, 60_000])
def test_build__shipped_log_beside_a_generated_acled_export(tmp_path, rows):
    raw = _raw_with_log(tmp_path)
    _generator().write_acled(raw / f"acled_{rows}.csv", rows, seed=rows)
    manifest = an.build(raw, tmp_path / "out")
    merges = _check_accounting(manifest, tmp_path / "out")
    accounting = {entry["format"]: entry for entry in manifest["accounting"]}
    assert (
        accounting["incident log"]["events"] == accounting["incident log"]["raw_rows"]
    )  # the log is never merged away
    assert accounting["ACLED events"]["merged"] == len(merges)
    assert (
        merges["merged_event_id"].str.startswith("acled:").all()
        and merges["kept_event_id"].str.startswith("log:").all()
    )


def test_build__two_overlapping_acled_exports_beside_the_log(tmp_path):
    raw = _raw_with_log(tmp_path)
    generator = _generator()
    whole = generator.generate_acled(30_000, seed=7)
    whole.iloc[:20_000].to_csv(raw / "acled_part1.csv", index=False)
    whole.iloc[15_000:].to_csv(raw / "acled_part2.csv", index=False)
    manifest = an.build(raw, tmp_path / "out")
    merges = _check_accounting(manifest, tmp_path / "out")
    repeated = merges[merges["kept_event_id"] == merges["merged_event_id"]]
    assert len(repeated) == 5_000  # the overlap, each record once
    events = pd.read_parquet(tmp_path / "out" / "events.parquet")
    assert events["event_id"].is_unique


@pytest.mark.shared
def test_build__real_acled_fixture_beside_log_rows_written_to_match_it(tmp_path):
    fixture = needs_shared("fixtures", "acled", "acled_syria_battles_2019_2020.csv")
    raw = _raw_with_log(tmp_path)
    shutil.copy(fixture, raw / "acled_fixture.csv")
    real = pd.read_csv(fixture, dtype=str, keep_default_na=False).set_index("event_id_cnty")
    # log rows written for three real records (date, place by coordinates; no ACLED text copied): one attack
    # that the roles read as an attack on US forces, and two other battles that no rule should merge
    header = ["id", "date", "country", "location", "latitude", "longitude", "kind", "target_kind", "source"]
    attack = real.loc["SYR81711"]
    day = pd.Timestamp(attack["event_date"]).strftime("%Y-%m-%d")
    rows = [[f"{day}-m", day, "Syria", "MSS Conoco", "", "", "attack", "base", "Test, 2020-01-01, written to match"]]
    for number, record in enumerate(["SYR85392", "SYR85437"], start=1):
        other = real.loc[record]
        other_day = pd.Timestamp(other["event_date"]).strftime("%Y-%m-%d")
        rows.append([f"{other_day}-{'no'[number - 1]}", other_day, "Syria", "Deir ez-Zor", other["latitude"],
                     other["longitude"], "other", "", "Test, 2020-01-01, written to match"])  # fmt: skip
    write_csv(raw / "matching_log.csv", [header, *rows])
    manifest = an.build(raw, tmp_path / "out")
    merges = _check_accounting(manifest, tmp_path / "out")
    assert merges.set_index("merged_event_id").loc["acled:SYR81711", "kept_event_id"] == f"log:{day}-m"
    assert not merges["merged_event_id"].isin(["acled:SYR85392", "acled:SYR85437"]).any()  # role other: never merged
