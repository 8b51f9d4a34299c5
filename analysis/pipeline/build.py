"""`python -m analysis build`: raw folder -> validated processed tables, written atomically, with a manifest."""

from __future__ import annotations

import datetime as dt
import platform
from pathlib import Path

import pandas as pd

from analysis import __version__, paths
from analysis.cleaning.reference import load_reference
from analysis.core.errors import InputError
from analysis.core.tables import EventData
from analysis.pipeline.fingerprint import fingerprint, input_hashes, relative_to_raw
from analysis.pipeline.load import PROCESSED_TABLES, load_events, raw_files, read_manifest
from analysis.pipeline.storage import file_sha256, read_people_csv, staged_directory, write_json, write_people_csv


def is_stale(raw_dir: Path | None = None, out_dir: Path | None = None) -> bool:
    """Tell whether the processed folder is missing or was built from other inputs or another version."""
    raw_dir, out_dir = Path(raw_dir or paths.RAW_DIR), Path(out_dir or paths.PROCESSED_DIR)
    try:
        manifest = read_manifest(out_dir)
    except Exception:  # missing or unreadable manifest: the build must run
        return True
    current = input_hashes(raw_dir, raw_dir / "reference")
    return manifest.get("data_fingerprint") != fingerprint(current)


def accounting_totals(data: EventData) -> dict[str, int]:
    """Sum the row accounting and check that every raw row landed somewhere."""
    totals = {k: int(data.accounting[k].sum()) for k in ("raw_rows", "events", "merged", "quarantined")}
    totals["unaccounted"] = totals["raw_rows"] - totals["events"] - totals["merged"] - totals["quarantined"]
    return totals


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write one table as parquet (true values) or as a CSV for people (formulas neutralised), deterministically."""
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False, engine="pyarrow", compression="zstd")
    else:
        write_people_csv(frame, path)


def build(raw_dir: Path | None = None, out_dir: Path | None = None) -> dict:
    """Read every event table in raw_dir, validate, write the processed tables and return the manifest."""
    raw_dir, out_dir = Path(raw_dir or paths.RAW_DIR), Path(out_dir or paths.PROCESSED_DIR)
    if not raw_dir.is_dir():
        raise InputError(raw_dir, "is not a folder: give the raw folder with --raw (it holds the event tables)")
    reference_dir = raw_dir / "reference"
    load_reference(reference_dir)  # fail early, naming the reference file, before reading any input
    data = load_events(raw_files(raw_dir), reference_dir=reference_dir)
    hashes = input_hashes(raw_dir, reference_dir)
    with staged_directory(out_dir) as staging:
        outputs = {}
        for name, (file_name, _) in PROCESSED_TABLES.items():
            _write_table(getattr(data, name), staging / file_name)
            outputs[file_name] = {"sha256": file_sha256(staging / file_name), "rows": len(getattr(data, name))}
        manifest = {
            "package_version": __version__,
            "python": platform.python_version(),
            "pandas": pd.__version__,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "raw_dir": str(raw_dir),
            "inputs": hashes,
            "data_fingerprint": fingerprint(hashes),
            "outputs": outputs,
            "accounting": data.accounting.assign(
                source_file=data.accounting["source_file"].map(lambda p: relative_to_raw(Path(p), raw_dir))
            ).to_dict("records"),
            "totals": accounting_totals(data),
            "unknown_names": len(data.unknown_names),
            "corrections_applied": len(data.corrections),
        }
        write_json(staging / "manifest.json", manifest)
    return manifest


def format_summary(manifest: dict, out_dir: Path) -> str:
    """Describe a build for people: row accounting per file, totals, and where the outputs are."""
    lines = ["Row accounting (raw rows -> events / merged / quarantined):"]
    for entry in manifest["accounting"]:
        lines.append(
            f"  {entry['source_file']} [{entry['format']}]: {entry['raw_rows']} rows -> {entry['events']} events, "
            f"{entry['merged']} merged, {entry['quarantined']} quarantined"
        )
    totals = manifest["totals"]
    lines.append(
        f"  total: {totals['raw_rows']} rows -> {totals['events']} events, {totals['merged']} merged, "
        f"{totals['quarantined']} quarantined, {totals['unaccounted']} unaccounted"
    )
    if manifest.get("corrections_applied"):
        lines.append(f"  {manifest['corrections_applied']} corrections applied from reference/corrections.csv")
    if manifest["unknown_names"]:
        lines.append(f"  {manifest['unknown_names']} names not in the reference tables: see unknown_names.csv")
    if manifest["outputs"].get("merges.csv", {}).get("rows"):
        from analysis.cleaning.merging import (
            describe_merges,  # the same incident found in several sources (analysis.cleaning.merging)
        )

        lines.append("Merged records (the same incident in two sources; merged -> kept):")
        lines.extend(describe_merges(read_people_csv(Path(out_dir) / "merges.csv").fillna("")))
    lines.append(f"Wrote {', '.join(manifest['outputs'])} and manifest.json to {out_dir}")
    lines.append(f"Data fingerprint: {manifest['data_fingerprint']}")
    return "\n".join(lines)
