"""`python -m analysis build`: raw folder -> validated processed tables, written atomically, with a manifest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analysis import __version__, paths
from analysis.cleaning.reference import load_reference
from analysis.core.errors import InputError
from analysis.core.tables import EventData
from analysis.core.versions import library_versions
from analysis.pipeline.fingerprint import fingerprint, input_hashes
from analysis.pipeline.load import PROCESSED_TABLES, load_events, raw_files, read_manifest, reference_dir_for
from analysis.pipeline.progress import BuildProgress, silent_progress
from analysis.pipeline.storage import (
    file_sha256,
    read_people_csv,
    relative_to_raw,
    staged_directory,
    write_json,
    write_people_csv,
)
from analysis.pipeline.stores import describe_store, store_records


def is_stale(raw_dir: Path | None = None, out_dir: Path | None = None) -> bool:
    """Tell whether the processed folder is missing or was built from other inputs or another version."""
    raw_dir, out_dir = Path(raw_dir or paths.RAW_DIR), Path(out_dir or paths.PROCESSED_DIR)
    try:
        manifest = read_manifest(out_dir)
    except Exception:  # missing or unreadable manifest: the build must run
        return True
    current = input_hashes(raw_dir, reference_dir_for(raw_dir))
    return manifest.get("data_fingerprint") != fingerprint(current)


def did_you_mean_lines(unknown_names: pd.DataFrame, limit: int = 10) -> list[str]:
    """Say, for the first unknown names that have one, which known name they probably mean."""
    if "suggestion" not in unknown_names:
        return []
    hinted = unknown_names[unknown_names["suggestion"].notna()].drop_duplicates(["column", "value"]).head(limit)
    return [
        f"{row.source_file}, row {row.source_row}, column '{row.column}': {row.value!r} is unknown; did you mean "
        f"{row.suggestion!r}? (add it as an alias in data/raw/reference/)"
        for row in hinted.itertuples()
    ]


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


def build(raw_dir: Path | None = None, out_dir: Path | None = None, *, progress: BuildProgress | None = None) -> dict:
    """Read every event table in raw_dir, validate, write the processed tables and return the manifest.

    ``progress`` (analysis.pipeline.progress.BuildProgress) shows large files being read; silent by default.
    """
    raw_dir, out_dir = Path(raw_dir or paths.RAW_DIR), Path(out_dir or paths.PROCESSED_DIR)
    if not raw_dir.is_dir():
        raise InputError(raw_dir, "is not a folder: give the raw folder with --raw (it holds the event tables)")
    progress = progress or silent_progress()
    reference_dir = reference_dir_for(raw_dir)
    load_reference(reference_dir)  # fail early, naming the reference file, before reading any input
    try:
        files = raw_files(raw_dir)
        data = load_events(files, reference_dir=reference_dir, progress=progress)
        progress.step("writing the processed tables")
        manifest = _write_outputs(data, raw_dir, reference_dir, out_dir, files)
    finally:
        progress.close()
    return manifest


def _write_outputs(data: EventData, raw_dir: Path, reference_dir: Path, out_dir: Path, files: list[Path]) -> dict:
    """Write the processed tables and manifest.json atomically; return the manifest."""
    hashes = input_hashes(raw_dir, reference_dir, files)
    stores = store_records(raw_dir)  # the fetched snapshots read, with their pull dates (what reports cite)
    with staged_directory(out_dir) as staging:
        outputs = {}
        for name, (file_name, _) in PROCESSED_TABLES.items():
            _write_table(getattr(data, name), staging / file_name)
            outputs[file_name] = {"sha256": file_sha256(staging / file_name), "rows": len(getattr(data, name))}
        manifest = {
            "package_version": __version__,
            "versions": library_versions(),  # Python, this package and the libraries that computed the tables
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "raw_dir": str(raw_dir),
            "reference_dir": str(reference_dir),
            "inputs": hashes,
            "data_fingerprint": fingerprint(hashes),
            "outputs": outputs,
            "accounting": data.accounting.assign(
                source_file=data.accounting["source_file"].map(lambda p: relative_to_raw(Path(p), raw_dir))
            ).to_dict("records"),
            "totals": accounting_totals(data),
            "stores": stores,
            "unknown_names": len(data.unknown_names),
            "did_you_mean": did_you_mean_lines(data.unknown_names),
            "corrections_applied": len(data.corrections),
        }
        write_json(staging / "manifest.json", manifest)
    return manifest


def format_summary(manifest: dict, out_dir: Path) -> str:
    """Describe a build for people: row accounting per file, totals, and where the outputs are."""
    lines = []
    if Path(manifest.get("reference_dir", "")) != Path(manifest["raw_dir"]) / "reference":
        lines.append(f"Reference tables: {manifest['reference_dir']} ({manifest['raw_dir']} has no reference/ folder)")
    lines.append("Row accounting (raw rows -> events / merged / quarantined):")
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
        lines.extend(f"    {hint}" for hint in manifest.get("did_you_mean", []))
    if manifest.get("stores"):
        lines.append("Fetched stores (only each store's current snapshot is read):")
        lines.extend(f"  {describe_store(record)}" for record in manifest["stores"])
    if manifest["outputs"].get("merges.csv", {}).get("rows"):
        from analysis.cleaning.merging import (
            describe_merges,  # the same incident found in several sources (analysis.cleaning.merging)
        )

        lines.append("Merged records (the same incident in two sources; merged -> kept):")
        lines.extend(describe_merges(read_people_csv(Path(out_dir) / "merges.csv").fillna("")))
    lines.append(f"Wrote {', '.join(manifest['outputs'])} and manifest.json to {out_dir}")
    lines.append(f"Data fingerprint: {manifest['data_fingerprint']}")
    return "\n".join(lines)
