"""Atomic writing and hashing of files, so a crash never leaves a half-written output set, and the CSV files
people open in a spreadsheet, written so that no cell runs as a formula.

A build writes into a staging folder beside its outputs (``.staging-*``, locked while the build runs) and moves
the files in at the end, manifest last. Whatever fails on the way (a full disk, a read-only file system, a
permission) leaves the previous outputs as they were and is raised as an OutputError saying what to do; a
staging folder left by a build that was killed is removed by the next one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from analysis.core.errors import OutputError, describe_os_error
from analysis.core.text import neutralise_formulas, restore_formula_cells

STAGING_PREFIX = ".staging-"
_STAGING_LOCK = ".lock"  # held by the build that owns the staging folder, for as long as it runs
_PREVIOUS = ".previous"  # the outputs a move replaces, kept until every move has succeeded
LEFTOVER_AFTER_SECONDS = 60  # a staging folder with no lock file yet is a leftover once this old


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """Yield a scratch folder beside target; on success move its files into target, manifest last.

    Each file is moved with os.replace (atomic on one file system); should a move fail, the files already moved
    are put back. If the block raises, the scratch folder is removed and target keeps its previous files
    untouched. Operating-system errors (no space, read-only, permission) become an OutputError naming target.
    """
    import filelock

    target = Path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        remove_leftover_staging(target)
        scratch = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
    except OSError as error:
        raise _output_error(target, error) from None
    lock = filelock.FileLock(str(scratch / _STAGING_LOCK))
    try:
        lock.acquire()
        yield scratch
        _publish(scratch, target)
    except OSError as error:
        raise _output_error(target, error) from None
    finally:
        lock.release()
        shutil.rmtree(scratch, ignore_errors=True)


def _output_error(target: Path, error: OSError) -> OutputError:
    """Describe a failed write of the outputs (the previous ones are unchanged by then)."""
    return OutputError(
        target, f"cannot write the outputs: {describe_os_error(error)}. The previous outputs there are unchanged."
    )


def _publish(scratch: Path, target: Path) -> None:
    """Move every file of scratch into target, manifest last; on any failure put the replaced files back."""
    names = sorted(
        (p.name for p in scratch.iterdir() if not p.name.startswith(".")), key=lambda n: (n == "manifest.json", n)
    )
    previous = scratch / _PREVIOUS
    previous.mkdir()
    moved: list[str] = []
    try:
        for name in names:
            if (target / name).exists():
                _keep(target / name, previous / name)
            os.replace(scratch / name, target / name)
            moved.append(name)
    except OSError:
        for name in reversed(moved):
            if (previous / name).exists():
                os.replace(previous / name, target / name)
            else:
                (target / name).unlink(missing_ok=True)
        raise


def _keep(path: Path, copy: Path) -> None:
    """Keep a second name for a file about to be replaced (a hard link; a copy where links are not allowed)."""
    try:
        os.link(path, copy)
    except OSError:
        shutil.copy2(path, copy)


def remove_leftover_staging(target: Path) -> list[Path]:
    """Remove the staging folders in target that no running build holds; return what was removed.

    A build holds the lock file in its staging folder until it ends; the operating system lets go of it when a
    build is killed, so a folder whose lock can be taken is a leftover (as is one that never got a lock file,
    once LEFTOVER_AFTER_SECONDS old).
    """
    import filelock

    removed = []
    for folder in sorted(Path(target).glob(f"{STAGING_PREFIX}*")):
        if not folder.is_dir():
            continue
        lock_path = folder / _STAGING_LOCK
        if lock_path.exists():
            lock = filelock.FileLock(str(lock_path))
            try:
                lock.acquire(timeout=0)
            except filelock.Timeout:
                continue  # a build is writing there now
            lock.release()
        elif time.time() - folder.stat().st_mtime < LEFTOVER_AFTER_SECONDS:
            continue  # just made by a build that has not locked it yet
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def current_umask() -> int:
    """Return the process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json(path: Path, payload: dict) -> None:
    """Write JSON with sorted keys and a trailing newline, atomically."""
    write_text_atomic(path, json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write text to a temporary file beside path, then rename it over path."""
    with replaced_atomically(path) as temporary, open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)


@contextmanager
def replaced_atomically(path: Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside path to write; on success rename it over path, else delete it.

    Readers see the old file or the whole new one, never a part (os.replace is atomic on one file system). The
    file gets the permissions of a file the user makes (a temporary file is private, 0600).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def relative_to_raw(path: Path, root: Path) -> str:
    """Name a file relative to the raw folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- CSV files for people (OWASP "CSV injection")


def write_people_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as the CSV people open in a spreadsheet: text cells neutralised, numbers as they are.

    Every CSV the package writes for people (quarantine, unknown names, merges, accounting, corrections applied,
    exports) goes through here; the parquet tables keep the true values.
    """
    neutralise_formulas(frame).to_csv(path, index=False, lineterminator="\n")


def read_people_csv(path: Path) -> pd.DataFrame:
    """Read a CSV written by write_people_csv as text cells (blank cells NA), with the true values back."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return frame.assign(**{column: restore_formula_cells(frame[column]) for column in frame.columns})
