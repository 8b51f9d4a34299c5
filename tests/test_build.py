"""Tests of `python -m analysis build`: outputs, row accounting, atomic writes, determinism, CLI errors."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis as an
from analysis.core.errors import OutputError
from analysis.pipeline import build as build_module
from analysis.pipeline.storage import file_sha256
from tests.conftest import PROJECT_DIR, log_row


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run `python -m analysis ...` and capture its output."""
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=PROJECT_DIR)


@pytest.fixture
def small_raw(raw_dir, write_log):
    """A raw folder with one clean row, one response and one quarantined row."""
    write_log(
        [
            log_row(us_wounded="1"),
            log_row(id="r", date="2022-08-25", kind="response", responds_to="2022-08-24-a", militia_killed="2-3"),
            log_row(id="bad", date="03/04/2022"),
        ]
    )
    return raw_dir


def test_build__writes_tables_and_manifest_with_accounting(small_raw, tmp_path):
    out = tmp_path / "processed"
    manifest = an.build(small_raw, out)
    assert manifest["totals"] == {"raw_rows": 3, "events": 2, "merged": 0, "quarantined": 1, "unaccounted": 0}
    assert {p.name for p in out.iterdir()} == {
        "events.parquet",
        "casualties.parquet",
        "quarantine.csv",
        "unknown_names.csv",
        "merges.csv",
        "accounting.csv",
        "corrections_applied.csv",
        "manifest.json",
    }
    assert set(manifest["inputs"]) == {
        "log.csv",
        "reference/places.csv",
        "reference/actors.csv",
        "reference/weapons.csv",
    }
    data = an.load_processed(out)
    assert data.events["event_id"].tolist() == ["log:2022-08-24-a", "log:r"]
    assert data.quarantine["source_row"].tolist() == [4]
    assert data.casualties["high"].tolist() == [1, 3]


def test_build__twice_gives_identical_tables(small_raw, tmp_path):
    first, second = an.build(small_raw, tmp_path / "a"), an.build(small_raw, tmp_path / "b")
    assert first["outputs"] == second["outputs"]
    assert first["data_fingerprint"] == second["data_fingerprint"]


def test_build__crash_mid_write_leaves_previous_outputs(small_raw, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    an.build(small_raw, out)
    before = {p.name: file_sha256(p) for p in out.iterdir()}
    original = build_module._write_table
    calls = []

    def failing_write(frame, path):
        calls.append(path.name)
        if len(calls) == 3:
            raise OSError("disk full (simulated)")
        original(frame, path)

    monkeypatch.setattr(build_module, "_write_table", failing_write)
    (small_raw / "log.csv").write_text(
        (small_raw / "log.csv").read_text().replace("2022-08-24-a,2022-08-24", "2022-08-24-a,2022-08-23", 1)
    )
    with pytest.raises(OutputError, match="disk full \\(simulated\\). The previous outputs there are unchanged"):
        an.build(small_raw, out)
    assert {p.name: file_sha256(p) for p in out.iterdir()} == before


def test_load_processed__refuses_tampered_outputs(small_raw, tmp_path):
    out = tmp_path / "processed"
    an.build(small_raw, out)
    (out / "quarantine.csv").write_text("source_file,source_row,column,value,reason\n")
    with pytest.raises(an.AnalysisError, match="does not match"):
        an.load_processed(out)


def test_is_stale__tracks_inputs(small_raw, tmp_path):
    out = tmp_path / "processed"
    assert build_module.is_stale(small_raw, out)
    an.build(small_raw, out)
    assert not build_module.is_stale(small_raw, out)
    (small_raw / "reference" / "weapons.csv").write_text("alias,weapon\nrockets,rocket\nmortars,mortar\n")
    assert build_module.is_stale(small_raw, out)


def test_build__raw_files_are_never_modified(small_raw, tmp_path):
    before = {p: file_sha256(p) for p in small_raw.rglob("*.csv")}
    an.build(small_raw, tmp_path / "out")
    assert {p: file_sha256(p) for p in small_raw.rglob("*.csv")} == before


def test_cli_build__prints_accounting_and_output_folder(small_raw, tmp_path):
    result = run_cli("build", "--raw", str(small_raw), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "3 rows -> 2 events, 0 merged, 1 quarantined, 0 unaccounted" in result.stdout
    assert str(tmp_path / "out") in result.stdout


def test_cli_build__bad_file_is_one_line_not_a_traceback(raw_dir, tmp_path):
    (raw_dir / "mystery.csv").write_text("foo,bar\n1,2\n")
    result = run_cli("build", "--raw", str(raw_dir), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "mystery.csv" in result.stderr and "Expected the columns of one of" in result.stderr


def test_cli__help_lists_commands():
    result = run_cli("build", "--help")
    assert result.returncode == 0 and "--raw" in result.stdout and "--out" in result.stdout


def test_import_analysis__loads_no_heavy_library():
    code = "import sys, analysis; heavy = [m for m in ('plotly', 'statsmodels', 'papermill', 'pandera', 'nbformat', 'pandas') if m in sys.modules]; print(heavy)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_DIR)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_manifest__is_json_with_version_and_hashes(small_raw, tmp_path):
    an.build(small_raw, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["package_version"] == an.__version__
    assert (
        manifest["versions"]["pandas"] == pd.__version__
        and manifest["versions"]["militia-response-analysis"] == an.__version__
    )
    assert all(len(h) == 64 for h in manifest["inputs"].values())
    assert pd.read_csv(tmp_path / "out" / "accounting.csv")["raw_rows"].tolist() == [3]


def write_corrections(raw_dir, *rows):
    """Write reference/corrections.csv with the given fix rows."""
    lines = ["source_file,record_id,column,expected,corrected,reason", *rows]
    (raw_dir / "reference" / "corrections.csv").write_text("\n".join(lines) + "\n")


def test_corrections__fix_a_raw_cell_without_touching_the_file(small_raw, tmp_path):
    before = (small_raw / "log.csv").read_text()
    write_corrections(small_raw, "log.csv,bad,date,03/04/2022,2022-04-03,source gives 3 April (checked)")
    manifest = an.build(small_raw, tmp_path / "out")
    assert manifest["totals"]["quarantined"] == 0 and manifest["corrections_applied"] == 1
    assert (small_raw / "log.csv").read_text() == before
    data = an.load_processed(tmp_path / "out")
    assert data.corrections["record_id"].tolist() == ["bad"]
    assert "log:bad" in set(data.events["event_id"])


def test_corrections__stale_expected_value_is_refused(small_raw, tmp_path):
    write_corrections(small_raw, "log.csv,bad,date,2022-01-01,2022-04-03,typo")
    with pytest.raises(an.InputError, match="expected '2022-01-01'.*holds '03/04/2022'"):
        an.build(small_raw, tmp_path / "out")


def test_corrections__reason_is_required(small_raw, tmp_path):
    write_corrections(small_raw, "log.csv,bad,date,03/04/2022,2022-04-03,")
    with pytest.raises(an.InputError, match="every correction says why"):
        an.build(small_raw, tmp_path / "out")


def test_build__folder_without_event_tables_is_an_error_not_the_project_data(raw_dir, tmp_path):
    with pytest.raises(an.AnalysisError, match="no event tables found"):
        an.build(raw_dir, tmp_path / "out")


def test_load_events__empty_list_is_an_error(raw_dir):
    with pytest.raises(an.AnalysisError, match="no event tables found"):
        an.load_events([], reference_dir=raw_dir / "reference")


def test_data_fingerprint__raw_folder_matches_its_build_however_the_path_is_spelled(tmp_path, monkeypatch):
    from analysis.pipeline.fingerprint import data_fingerprint

    manifest = an.build(out_dir=tmp_path / "out")
    raw = PROJECT_DIR / "data" / "raw"
    monkeypatch.chdir(PROJECT_DIR)
    assert data_fingerprint(raw) == data_fingerprint(Path("data/raw")) == manifest["data_fingerprint"]


def test_build__raw_folder_without_reference_uses_the_shipped_tables_and_says_so(tmp_path):
    import shutil

    from analysis.pipeline.build import format_summary

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(PROJECT_DIR / "data" / "raw" / "incidents.csv", raw)
    manifest = an.build(raw, tmp_path / "out")
    assert manifest["totals"]["quarantined"] == 0 and manifest["unknown_names"] == 0
    assert format_summary(manifest, tmp_path / "out").splitlines()[0] == (
        f"Reference tables: {PROJECT_DIR / 'data' / 'raw' / 'reference'} ({raw} has no reference/ folder)"
    )
    # the same inputs give the same fingerprint wherever the reference tables are read from
    shutil.copytree(PROJECT_DIR / "data" / "raw" / "reference", raw / "reference")
    assert an.build(raw, tmp_path / "out2")["data_fingerprint"] == manifest["data_fingerprint"]
