"""Benchmark: how well the ACLED role rules agree with the hand-labelled sample (tests/data/README.md).

    .venv/bin/python benchmarks/role_accuracy.py                # both labelled files (the fixture needs ../shared)
    .venv/bin/python benchmarks/role_accuracy.py --quiet        # figures only, no disagreements

Prints, for each labelled file, precision and recall per role (attack, response, other) and every event whose
role differs from its label, with the rule that decided it (role_basis) and the labeller's reason. Targets:
precision and recall >= 0.95 for attack and response; exit status 1 when a target is missed.

* tests/data/role_sample_generated.csv: synthetic rows in ACLED's export layout with their labels (always run);
* tests/data/role_labels_acled_fixture.csv: labels for rows of ../shared/fixtures/acled/acled_syria_battles_
  2019_2020.csv (run when that folder sits beside the project).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DATA = PROJECT / "tests" / "data"
GENERATED = DATA / "role_sample_generated.csv"
FIXTURE_LABELS = DATA / "role_labels_acled_fixture.csv"
FIXTURE = PROJECT.parent / "shared" / "fixtures" / "acled" / "acled_syria_battles_2019_2020.csv"
TARGET = 0.95
TARGET_ROLES = ("attack", "response")


def labels_of(path: Path) -> pd.DataFrame:
    """Read a labels file (event_id_cnty, label, reason, ...) as event_id (acled:<id>), label, reason."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {"event_id": "acled:" + table["event_id_cnty"], "label": table["label"], "reason": table["reason"]}
    )


def events_of(path: Path) -> pd.DataFrame:
    """Load an ACLED export with the package's rules (each row its own event: nothing merged)."""
    import analysis as an

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the generated file's label and reason columns are not ACLED's
        return an.load_events([path], merge_duplicates=False).events


def report(name: str, events: pd.DataFrame, labels: pd.DataFrame, *, quiet: bool) -> bool:
    """Print one labelled file's figures and disagreements; return whether the targets are met."""
    from analysis.analyses.quality import role_agreement, role_disagreements

    agreement = role_agreement(events, labels)
    print(f"\n{name}: {len(labels):,} labelled events")
    print(f"  {'role':<9} {'labelled':>8} {'given':>6} {'agreed':>6} {'precision':>9} {'recall':>7}")
    for row in agreement.itertuples():
        print(
            f"  {row.role:<9} {row.labelled:>8} {row.given:>6} {row.agreed:>6} {_share(row.precision):>9} "
            f"{_share(row.recall):>7}"
        )
    disagreements = role_disagreements(events, labels)
    print(f"  disagreements: {len(disagreements)}")
    if not quiet:
        for row in disagreements.itertuples():
            print(f"    {row.event_id}: labelled {row.label}, given {row.role}\n      role_basis: {row.role_basis}")
            print(f"      label reason: {row.reason}")
    scored = agreement.set_index("role").loc[list(TARGET_ROLES), ["precision", "recall"]]
    return bool((scored.fillna(1.0) >= TARGET).all().all())


def _share(value: float) -> str:
    """Format a share to three decimals, or n/a."""
    return "n/a" if pd.isna(value) else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    """Score both labelled files; exit 1 when attack or response precision or recall is below the target."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(PROJECT))
    met = report(GENERATED.name, events_of(GENERATED), labels_of(GENERATED), quiet=args.quiet)
    if FIXTURE.exists():
        met &= report(FIXTURE_LABELS.name, events_of(FIXTURE), labels_of(FIXTURE_LABELS), quiet=args.quiet)
    else:
        print(f"\n{FIXTURE_LABELS.name}: skipped, {FIXTURE} is not there")
    print(
        f"\ntargets (precision and recall >= {TARGET} for {' and '.join(TARGET_ROLES)}): {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
