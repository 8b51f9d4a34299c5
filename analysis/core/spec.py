"""The canonical tables, declared once: every column's dtype, nullability, allowed values and meaning.

Everything else is generated from these declarations: the dtypes `conform` casts to (analysis.core.tables),
the pandera schemas the build validates with (analysis.pipeline.validation), and the columns section of
docs/data_model.md (`python scripts/update_data_model_doc.py`; tests/test_docs.py fails when it is stale).
The model for this is PUDL's `metadata/fields.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("attack", "response", "other")
SIDES = ("militia", "us", "coalition", "partner", "regime", "iran", "civilian", "other", "unknown")
OUTCOMES = ("killed", "wounded")
DATE_PRECISIONS = ("day", "week", "month", "year")
INTERCEPTED_VALUES = ("yes", "no", "partial")
TARGET_KINDS = ("base", "convoy", "diplomatic", "other")
WEAPONS = (
    "rocket",
    "drone",
    "missile",
    "mortar",
    "artillery",
    "ied",
    "small_arms",
    "airstrike",
    "ground_raid",
    "multiple",
    "unknown",
)
COUNTRY_TIMEZONES = {"Iraq": "Asia/Baghdad", "Syria": "Asia/Damascus", "Jordan": "Asia/Amman"}


@dataclass(frozen=True)
class Field:
    """One column of a canonical table."""

    name: str
    dtype: str  # pandas dtype
    description: str
    nullable: bool = True
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: what one row is, its fields in order, and which columns must be in order row-wise."""

    name: str
    row: str  # "one row per ..."
    fields: tuple[Field, ...]
    ordered: tuple[tuple[str, ...], ...] = ()  # each tuple: values must not decrease from left to right (NA skipped)

    @property
    def dtypes(self) -> dict[str, str]:
        """Return {column: pandas dtype} in the table's column order."""
        return {f.name: f.dtype for f in self.fields}

    def field(self, name: str) -> Field:
        """Return the field called name."""
        return next(f for f in self.fields if f.name == name)


def _text(name: str, description: str, **options) -> Field:
    """Declare a text column."""
    return Field(name, "string", description, **options)


def _count(name: str, description: str, **options) -> Field:
    """Declare a whole-number column that cannot be negative."""
    return Field(name, "Int64", description, minimum=0, **options)


EVENTS = TableSpec(
    name="events",
    row="one row per event",
    fields=(
        _text(
            "event_id",
            "unique, prefixed by its source: `log:2022-08-24-a`, `acled:SYR105295`, `ged:123456`",
            nullable=False,
            unique=True,
        ),
        _text("source", "the kind of source: `incident_log`, `acled`, `ged`", nullable=False),
        Field("event_date", "datetime64[ns]", "the local calendar date the source gives", nullable=False),
        Field(
            "date_earliest",
            "datetime64[ns]",
            "the earliest date the event can have, from `date_precision` "
            "(day: the date; week: three days before; month: the 1st; year: 1 January; GED: date_start)",
            nullable=False,
        ),
        Field(
            "date_latest",
            "datetime64[ns]",
            "the latest date the event can have (week: three days after; month: "
            "its last day; year: 31 December; GED: date_end)",
            nullable=False,
        ),
        _text("date_precision", "how closely the source dates the event", nullable=False, allowed=DATE_PRECISIONS),
        Field(
            "event_time_utc",
            "datetime64[ns, UTC]",
            "UTC time when a local clock time is known (converted with the country's zone), else empty",
        ),
        _text("country", "Iraq, Syria, Jordan, ... as the source names it"),
        _text("admin1", "province / governorate"),
        _text("location", "the place; the canonical gazetteer name when the gazetteer knows it"),
        _text(
            "site",
            'the US / coalition site at or near the place ("MSS Conoco", "Al-Asad Air Base", '
            '"Tower 22"), from the gazetteer',
        ),
        Field("latitude", "Float64", "latitude in degrees", minimum=-90, maximum=90),
        Field("longitude", "Float64", "longitude in degrees", minimum=-180, maximum=180),
        _count("geo_precision", "1 = the place itself, 2 = near it / a town, 3 = a province or wider"),
        _text(
            "role",
            "`attack` (militia on US / coalition), `response` (US / coalition on militia), `other`",
            nullable=False,
            allowed=ROLES,
        ),
        _text("role_basis", "the rule that decided the role, in words (for the log: its `kind` column)"),
        _text("initiator", "who acted"),
        _text("initiator_side", "the initiator's side", nullable=False, allowed=SIDES),
        _text("target", "who or what was hit"),
        _text("target_side", "the target's side", nullable=False, allowed=SIDES),
        _text(
            "target_kind",
            "for attacks: what was hit, `base`, `convoy`, `diplomatic` or `other`; empty when unknown or not an attack",
            allowed=TARGET_KINDS,
        ),
        _text("weapon", "controlled vocabulary", nullable=False, allowed=WEAPONS),
        _count("munitions", "number of rockets / drones / bombs when reported"),
        _text("intercepted", "`yes`, `no`, `partial`, or empty (not reported)", allowed=INTERCEPTED_VALUES),
        _text(
            "responds_to",
            "for a response: the event_id(s) of the attack(s) a source says it answered, `; `-separated; `none` when "
            "its sources frame it as answering no particular attack (pre-emptive, a targeted killing): never paired",
        ),
        _text("claimed_by", "the group that claimed the attack, as the claim names it"),
        _text("sources", "citations (` | `-separated): outlet or issuer, date, title"),
        _text("source_url", "URLs of the citations, in the same order"),
        _text("date_basis", "how the date was established when no source states it outright"),
        _text("notes", "free text (shown in reports as text, never as markup)"),
        Field(
            "source_updated",
            "datetime64[ns, UTC]",
            "when the source last revised the record (ACLED's timestamp), when the source says",
        ),
        _text("source_file", "the raw file the record came from (relative to the project)"),
        _count("source_row", "the record's row in that file as a spreadsheet shows it (the header is row 1)"),
        _text(
            "source_records",
            "every source record the event stands for, `; `-separated: its own id plus the "
            "records of other sources merged into it as the same incident (see `merges`)",
        ),
    ),
    ordered=(("date_earliest", "event_date", "date_latest"),),
)

CASUALTIES = TableSpec(
    name="casualties",
    row="one row per event x side x outcome x claimant",
    fields=(
        _text("event_id", "the event", nullable=False),
        _text(
            "side",
            "whose dead or wounded (ACLED's unattributed fatalities are `unknown`)",
            nullable=False,
            allowed=SIDES,
        ),
        _text("outcome", "`killed` or `wounded`", nullable=False, allowed=OUTCOMES),
        _count("low", "the lowest figure the claim allows", nullable=False),
        _count("best", "the claim's own figure (for a range, its lower end)"),
        _count("high", 'the highest figure the claim allows; empty = open-ended ("at least 17": 17 / 17 / empty)'),
        _text("claimant", "who makes the claim", nullable=False),
        _text("claim_text", "the cell as written"),
    ),
    ordered=(("low", "best", "high"),),
)

QUARANTINE = TableSpec(
    name="quarantine",
    row="one row per problem found in a raw row (that row is not an event)",
    fields=(
        _text("source_file", "the raw file"),
        _count("source_row", "the row as a spreadsheet shows it (the header is row 1)"),
        _text("column", "the column holding the problem, or `(whole row)`"),
        _text("value", "the value as written"),
        _text("reason", "what is wrong, in words"),
    ),
)

UNKNOWN_NAMES = TableSpec(
    name="unknown_names",
    row="one row per name the reference tables do not know (kept as written, never dropped)",
    fields=(
        _text("source_file", "the raw file"),
        _count("source_row", "the row as a spreadsheet shows it"),
        _text("column", "the column holding the name"),
        _text("value", "the name as written"),
        _text("suggestion", 'the closest known name, when one is close ("did you mean")'),
    ),
)

MERGES = TableSpec(
    name="merges",
    row="one row per record merged into another event (the same incident in two sources)",
    fields=(
        _text("kept_event_id", "the event that stands for the incident"),
        _text("merged_event_id", "the record merged into it"),
        _text("source_file", "the merged record's file"),
        _count("source_row", "the merged record's row"),
        _text("reason", "the rule that matched, with the distance and dates"),
    ),
)

ACCOUNTING = TableSpec(
    name="accounting",
    row="one row per input file; `raw_rows` = `events` + `merged` + `quarantined`",
    fields=(
        _text("source_file", "the raw file"),
        _text("format", "the format it was read as"),
        _count("raw_rows", "records in the file, counted independently of the parse"),
        _count("events", "records that became events"),
        _count("merged", "records merged into an event of another source"),
        _count("quarantined", "records quarantined"),
    ),
)

CORRECTIONS = TableSpec(
    name="corrections",
    row="one row per declarative fix applied from `reference/corrections.csv`",
    fields=(
        _text("source_file", "the raw file fixed"),
        _text("record_id", "the record's own id in that file"),
        _text("column", "the column fixed"),
        _text("expected", "the value the raw file holds"),
        _text("corrected", "the value used instead"),
        _text("reason", "why"),
    ),
)

TABLES = {spec.name: spec for spec in (EVENTS, CASUALTIES, QUARANTINE, UNKNOWN_NAMES, MERGES, ACCOUNTING, CORRECTIONS)}


def markdown_columns(spec: TableSpec) -> str:
    """Write a table's columns as a Markdown table (the generated part of docs/data_model.md)."""
    lines = [
        f"### `{spec.name}`: {spec.row}",
        "",
        "| column | type | required | allowed values | meaning |",
        "|---|---|---|---|---|",
    ]
    for f in spec.fields:
        allowed = (
            ", ".join(f.allowed)
            if f.allowed
            else (
                f"{f.minimum:g} to {f.maximum:g}"
                if f.minimum is not None and f.maximum is not None
                else (f">= {f.minimum:g}" if f.minimum is not None else "")
            )
        )
        required = "yes" + (", unique" if f.unique else "") if not f.nullable else ""
        description = f.description.replace("|", "\\|")
        lines.append(f"| `{f.name}` | {f.dtype} | {required} | {allowed} | {description} |")
    for columns in spec.ordered:
        lines.append("")
        lines.append("Row rule: " + " <= ".join(f"`{c}`" for c in columns) + " wherever the values are given.")
    return "\n".join(lines)


def markdown_all_columns() -> str:
    """Write every canonical table's columns (what docs/data_model.md holds between its markers)."""
    return "\n\n".join(markdown_columns(spec) for spec in TABLES.values())
