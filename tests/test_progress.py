"""Build progress: live lines for large files on a terminal, plain lines elsewhere, nothing for small files."""

from __future__ import annotations

import io
import itertools

import analysis as an
from analysis.pipeline.progress import CLEAR_LINE, BuildProgress
from tests.conftest import log_row


def fake_clock(*times: float):
    """Return a clock that gives these times in turn, then keeps giving the last one."""
    values = itertools.chain(times, itertools.repeat(times[-1]))
    return lambda: next(values)


def test_build_progress__plain_lines_for_a_large_file_and_the_steps_after_it(tmp_path):
    big = tmp_path / "acled.csv"
    big.write_text("x" * 100)
    stream = io.StringIO()
    progress = BuildProgress(stream, live=False, large_bytes=50, clock=fake_clock(0.0, 2.0, 2.0, 2.5))
    progress.file_started(big)
    progress.file_done(big, 1_000_000)
    progress.step("validating the tables")
    progress.close()
    assert stream.getvalue().splitlines() == [
        "build: acled.csv (0 MB): reading and cleaning...",
        "build: acled.csv: 1,000,000 rows in 2.0 s (500,000 rows/s)",
        "build: validating the tables...",
        "build: validating the tables: done in 0.5 s",
    ]


def test_build_progress__small_files_and_their_steps_say_nothing(tmp_path):
    small = tmp_path / "log.csv"
    small.write_text("x" * 10)
    stream = io.StringIO()
    progress = BuildProgress(stream, live=False, large_bytes=50)
    progress.file_started(small)
    progress.file_done(small, 3)
    progress.step("validating the tables")
    progress.close()
    assert stream.getvalue() == ""


def test_build_progress__live_line_is_redrawn_then_replaced_by_its_result(tmp_path):
    big = tmp_path / "acled.csv"
    big.write_text("x" * 100)
    stream = io.StringIO()
    # the ticker would redraw after an hour: only the first drawing and the result are written
    progress = BuildProgress(stream, live=True, large_bytes=50, clock=fake_clock(0.0, 0.0, 4.0), tick_seconds=3600)
    progress.file_started(big)
    progress.file_done(big, 1_000)
    progress.close()
    assert stream.getvalue() == (
        f"{CLEAR_LINE}build: acled.csv (0 MB): reading and cleaning... 0.0 s"
        f"{CLEAR_LINE}build: acled.csv: 1,000 rows in 4.0 s (250 rows/s)\n"
    )
    assert progress._ticker is None


def test_load_events__reports_each_large_file_with_its_raw_rows(raw_dir, write_log):
    path = write_log([log_row(), log_row(id="2022-08-25-a", date="2022-08-25")])
    stream = io.StringIO()
    an.load_events(
        [path], reference_dir=raw_dir / "reference", progress=BuildProgress(stream, live=False, large_bytes=0)
    )
    lines = stream.getvalue().splitlines()
    assert lines[0] == "build: log.csv (0 MB): reading and cleaning..."
    assert lines[1].startswith("build: log.csv: 2 rows in ")
    assert lines[2] == "build: merging records of the same incident..."
    assert lines[3].startswith("build: merging records of the same incident: done in ")
    assert lines[4:] == ["build: validating the tables..."]  # build() closes the last step; load_events leaves it
