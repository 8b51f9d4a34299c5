"""Progress of a long build on stderr: a live line per large file on a terminal, plain lines in logs and cron.

Small files say nothing (the build's summary covers them). A file of LARGE_FILE_BYTES or more gets, on a
terminal, a line that counts the seconds while it is read and cleaned and ends as "<file>: <rows> rows in
<s> s (<rows/s> rows/s)"; elsewhere (a pipe, a log file, cron) one line when it starts and one when it ends.
The steps after the files (merging, validation, writing) are shown the same way once a large file was read.
"""

from __future__ import annotations

import io
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

LARGE_FILE_BYTES = 64 * 2**20  # about 200,000 ACLED rows: from here a file takes a second or more
TICK_SECONDS = 0.2
CLEAR_LINE = "\r\x1b[K"


def rate_text(rows: int, seconds: float) -> str:
    """Say how many rows were read, how fast.

    >>> rate_text(1_000_000, 2.0), rate_text(5, 0.0)
    ('1,000,000 rows in 2.0 s (500,000 rows/s)', '5 rows in 0.0 s')
    """
    text = f"{rows:,} rows in {seconds:.1f} s"
    return f"{text} ({rows / seconds:,.0f} rows/s)" if seconds > 0 else text


def size_text(size_bytes: int) -> str:
    """Write a file size in MB.

    >>> size_text(314_572_800)
    '300 MB'
    """
    return f"{size_bytes / 2**20:,.0f} MB"


class BuildProgress:
    """Report a build's progress on a stream (default stderr): live on a terminal, line by line elsewhere."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        live: bool | None = None,
        large_bytes: int = LARGE_FILE_BYTES,
        clock: Callable[[], float] = time.perf_counter,
        tick_seconds: float = TICK_SECONDS,
    ) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.large_bytes = large_bytes
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.any_large = False
        self._status = ""
        self._started = 0.0
        self._lock = threading.Lock()
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()

    def file_started(self, path: Path) -> None:
        """Note that a file is being read; large files are shown from now on."""
        size = Path(path).stat().st_size if Path(path).is_file() else 0
        self._started = self.clock()
        if size < self.large_bytes:
            self._status = ""
            return
        self.any_large = True
        self._show(f"{Path(path).name} ({size_text(size)}): reading and cleaning")

    def file_done(self, path: Path, rows: int) -> None:
        """Say how many rows a large file gave, how fast."""
        if self._status:
            self._finish(f"{Path(path).name}: {rate_text(rows, self.clock() - self._started)}")

    def step(self, text: str) -> None:
        """Show a build step after the files (merging, validating, writing), once a large file was read."""
        if self._status:
            self._finish(f"{self._status}: done in {self.clock() - self._started:.1f} s")
        if self.any_large:
            self._started = self.clock()
            self._show(text)

    def close(self) -> None:
        """End the current step's line and stop redrawing."""
        if self._status:
            self._finish(f"{self._status}: done in {self.clock() - self._started:.1f} s")
        if self._ticker is not None:
            self._stop.set()
            self._ticker.join()
            self._ticker = None

    def _show(self, status: str) -> None:
        """Start showing a status: a line now in a log, a line that counts seconds on a terminal."""
        self._status = status
        if not self.live:
            with self._lock:
                self.stream.write(f"build: {status}...\n")
                self.stream.flush()
            return
        self._render()
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="build-progress", daemon=True)
            self._ticker.start()

    def _render(self) -> None:
        """Redraw the live line with the seconds spent on the current status."""
        with self._lock:  # checked under the lock: a status that just finished is not drawn again
            if self._status:
                self.stream.write(f"{CLEAR_LINE}build: {self._status}... {self.clock() - self._started:.1f} s")
                self.stream.flush()

    def _tick(self) -> None:
        """Redraw the live line until closed."""
        while not self._stop.wait(self.tick_seconds):
            self._render()

    def _finish(self, line: str) -> None:
        """Replace the current status with its final line."""
        with self._lock:
            self._status = ""
            self.stream.write(f"{CLEAR_LINE if self.live else ''}build: {line}\n")
            self.stream.flush()


def silent_progress() -> BuildProgress:
    """Return a progress reporter that shows nothing (what library calls get by default)."""
    return BuildProgress(io.StringIO(), live=False, large_bytes=sys.maxsize)
