"""The real ACLED export in ../shared/fixtures/acled: every row accounted for, militia-vs-US rows get a role."""

import csv
import re

import pytest

import analysis as an
from tests.conftest import needs_shared

pytestmark = pytest.mark.shared

# Written independently of analysis.cleaning.roles and its pattern table, so the test checks the inference, not itself.
PRO_IRAN_MILITIA = re.compile(
    r"Militia \(Pro-Iran\)|Kataib Hezbollah|Hezbollah Al Nujaba|Sayyid al Shuhada|Islamic Resistance in Iraq|"
    r"Fatemiyoun|Zainabiyoun|Popular Mobilization Forces|^Hezbollah$",
    re.IGNORECASE,
)
US_OR_COALITION = re.compile(r"Military Forces of the United States|Global Coalition Against Daesh", re.IGNORECASE)


def party_names(row: dict, number: int) -> list[str]:
    """Return the main and associated actors of one side of an ACLED row."""
    associates = row[f"assoc_actor_{number}"].split(";")
    return [name.strip() for name in [row[f"actor{number}"], *associates] if name.strip()]


def opposes_militia_and_us(row: dict) -> bool:
    """Tell whether one side of a row names a pro-Iran militia and the other US or coalition forces."""
    first, second = party_names(row, 1), party_names(row, 2)

    def has(names, pattern):
        return any(pattern.search(name) for name in names)

    return (has(first, PRO_IRAN_MILITIA) and has(second, US_OR_COALITION)) or (
        has(second, PRO_IRAN_MILITIA) and has(first, US_OR_COALITION)
    )


@pytest.fixture(scope="module")
def export():
    """The shared ACLED export: its path and its rows as the csv module reads them."""
    path = needs_shared("fixtures", "acled", "acled_syria_battles_2019_2020.csv")
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return path, list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def loaded(export):
    """The export read with load_events (the project's reference tables)."""
    return an.load_events([export[0]])


def test_shared_acled__every_row_is_accounted_for(export, loaded):
    _, rows = export
    accounting = loaded.accounting.iloc[0]
    assert accounting["format"] == "ACLED events"
    assert accounting["raw_rows"] == len(rows) > 5000
    assert accounting["raw_rows"] == accounting["events"] + accounting["merged"] + accounting["quarantined"]
    assert len(loaded.events) + loaded.quarantine["source_row"].nunique() == len(rows)
    assert set(loaded.events["event_id"]) | {f"acled:{r['event_id_cnty']}" for r in rows} == {
        f"acled:{r['event_id_cnty']}" for r in rows
    }
    assert len(loaded.casualties) == sum(1 for r in rows if r["fatalities"].strip())


def test_shared_acled__militia_against_us_rows_get_attack_or_response_with_basis(export, loaded):
    _, rows = export
    expected = {f"acled:{r['event_id_cnty']}" for r in rows if opposes_militia_and_us(r)}
    assert expected, "the export should hold at least one militia-vs-US row"
    found = loaded.events.set_index("event_id").loc[sorted(expected)]
    assert set(found["role"]) <= {"attack", "response"}
    assert found["role_basis"].str.len().min() > 10
    assert set(found["initiator_side"]) | set(found["target_side"]) <= {"militia", "us", "coalition"}


def test_shared_acled__mortars_on_the_conoco_base_are_an_attack_read_from_the_notes(loaded):
    event = loaded.events.set_index("event_id").loc["acled:SYR81711"]
    assert (event["role"], event["initiator_side"], event["target_side"]) == ("attack", "militia", "us")
    assert event["role_basis"] == 'notes: "fired several mortars at the US base"'
    assert event["weapon"] == "mortar"


def test_shared_acled__rows_without_both_sides_are_kept_as_other(export, loaded):
    _, rows = export
    others = loaded.events[loaded.events["role"] == "other"]
    assert len(others) == len(rows) - (loaded.events["role"] != "other").sum()
    by_actors = others["role_basis"].str.startswith("actors:")
    assert by_actors.sum() == len(others) - 8
    # the rest: coalition raids on unidentified gunmen, which the notes do not tie to a militia (rule 4)
    assert others.loc[~by_actors, "role_basis"].str.endswith("the notes do not tie to a militia").all()
