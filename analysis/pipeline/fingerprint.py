"""Fingerprints of input data: what a build manifest records and what every report page cites."""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis import __version__, paths
from analysis.core.errors import ParameterError
from analysis.pipeline.load import read_manifest, table_files
from analysis.pipeline.storage import file_sha256, relative_to_raw


def input_hashes(raw_dir: Path, reference_dir: Path, files: list[Path] | None = None) -> dict[str, str]:
    """Return {name: sha256} for every input read (default: raw_dir's tables) and every reference table.

    Tables are named relative to raw_dir, reference tables as reference/<file>, wherever they are read from, so
    the same inputs give the same fingerprint in any clone.
    """
    files = list(table_files(raw_dir)) if files is None else list(files)
    hashes = {relative_to_raw(p, raw_dir): file_sha256(p) for p in files}
    return hashes | {f"reference/{p.name}": file_sha256(p) for p in sorted(Path(reference_dir).glob("*.csv"))}


def fingerprint(hashes: dict[str, str]) -> str:
    """Return a short fingerprint of the inputs and the package version (what reports cite)."""
    digest = hashlib.sha256(__version__.encode())
    for name in sorted(hashes):
        digest.update(f"{name}={hashes[name]}\n".encode())
    return digest.hexdigest()[:16]


def _files_fingerprint(source: Path) -> str:
    """Fingerprint raw files named by a `data` parameter the way the build does (same files, same fingerprint)."""
    if source.is_dir():
        return fingerprint(input_hashes(source, paths.REFERENCE_DIR))
    return fingerprint(input_hashes(source.parent, paths.REFERENCE_DIR, files=[source]))


def data_fingerprint(source: Path) -> str:
    """Return the fingerprint of a built folder (from its manifest) or of raw input files."""
    if not source.exists():
        raise ParameterError(f"data {str(source)!r} does not exist")
    if source.is_dir() and (source / "manifest.json").is_file():
        return str(read_manifest(source)["data_fingerprint"])
    return _files_fingerprint(source)
