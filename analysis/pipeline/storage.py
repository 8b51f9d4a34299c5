"""Atomic writing and hashing of files, so a crash never leaves a half-written output set."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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

    Each file is moved with os.replace (atomic on one file system). If the block raises, the scratch folder
    is removed and target keeps its previous files untouched.
    """
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".staging-", dir=target))
    try:
        yield scratch
        staged = sorted(scratch.iterdir(), key=lambda p: (p.name == "manifest.json", p.name))
        for path in staged:
            os.replace(path, target / path.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_json(path: Path, payload: dict) -> None:
    """Write JSON with sorted keys and a trailing newline, atomically."""
    write_text_atomic(path, json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write text to a temporary file beside path, then rename it over path."""
    with replaced_atomically(path) as temporary, open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)


@contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside path to write; on success rename it over path, else delete it.

    Readers see the old file or the whole new one, never a part (os.replace is atomic on one file system).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
