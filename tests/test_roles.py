"""Unit tests for the role rules (analysis.cleaning.roles) on real-looking ACLED and GED rows, one per failure kind
the hand-labelled check found (issue 14): unattributed fire at a US site, partner operations, direction from the
notes, convoy attacks; and their near misses."""

import pandas as pd
import pytest

import analysis as an
from analysis.cleaning.roles import read_direction
from analysis.core.errors import ParameterError
from tests.factories import acled_row, ged_row, write_acled, write_ged

US = "Military Forces of the United States (2021-)"
UNIDENTIFIED = "Unidentified Armed Group (Iraq)"
AT_AL_ASAD = {"country": "Iraq", "admin1": "Al Anbar", "location": "Ain al Asad Airbase"}
ROCKETS = {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack"}
DRONE = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}
IED = {"event_type": "Explosions/Remote violence", "sub_event_type": "Remote explosive/landmine/IED"}
BATTLE = {"event_type": "Battles", "sub_event_type": "Armed clash"}


@pytest.fixture
def load_acled(raw_dir):
    """Write ACLED rows and read them back, one event per row."""

    def load(rows: list[dict], **options) -> pd.DataFrame:
        path = write_acled(raw_dir, [acled_row(event_id_cnty=f"IRQ{i}", **row) for i, row in enumerate(rows)])
        data = an.load_events([path], reference_dir=raw_dir / "reference", merge_duplicates=False, **options)
        assert data.quarantine.empty, data.quarantine.to_dict("records")
        return data.events.set_index("event_id").loc[[f"acled:IRQ{i}" for i in range(len(rows))]]

    return load


def unattributed(**cells) -> dict:
    """An unidentified group's fire with no target coded (actor2 blank), at Ain al-Asad unless overridden."""
    return {
        "actor1": UNIDENTIFIED,
        "assoc_actor_1": "",
        "actor2": "",
        "assoc_actor_2": "",
        **ROCKETS,
        **AT_AL_ASAD,
        "latitude": "33.800",
        "longitude": "42.441",
        "notes": "On 3 March 2021, rockets landed inside the air base in western Anbar. No casualties were reported.",
        **cells,
    }


# ---------------------------------------------------------------- 1. unattributed fire at a US site (rules 5-6)


def test_infer_roles__unattributed_rockets_at_a_us_site_are_a_presumed_militia_attack(load_acled):
    event = load_acled([unattributed()]).iloc[0]
    assert (event["role"], event["initiator"], event["initiator_side"]) == ("attack", UNIDENTIFIED, "unknown")
    assert event["role_basis"] == "near Al-Asad Air Base (1.1 km), initiator unidentified: presumed militia attack"
    assert (event["site"], event["target"], event["target_side"], event["target_kind"]) == (
        "Al-Asad Air Base",
        "Al-Asad Air Base",
        "us",
        "base",
    )


def test_infer_roles__drone_on_a_partner_force_at_a_us_site_is_a_presumed_attack_naming_the_claim(load_acled):
    row = unattributed(
        **DRONE,
        actor1="Unidentified Armed Group (Syria)",
        actor2="Syrian Free Army",  # the partner force on the base, which ACLED codes as the target
        country="Syria",
        admin1="Deir ez Zor",
        location="Koniko Gas Field",
        latitude="35.3800",
        longitude="40.3100",
        notes="A drone hit a barracks of the partner force inside the Conoco base; the Islamic Resistance in Iraq "
        "claimed it.",
    )
    event = load_acled([row]).iloc[0]
    assert (event["role"], event["initiator_side"], event["site"]) == ("attack", "militia", "MSS Conoco")
    assert event["role_basis"] == (
        "near MSS Conoco (1.1 km), initiator unidentified: presumed militia attack; notes name a militia: "
        '"Islamic Resistance in Iraq"'
    )


def test_infer_roles__a_militia_drone_with_no_target_coded_at_a_site_is_an_attack(load_acled):
    event = load_acled([unattributed(**DRONE, actor1="Islamic Resistance in Iraq")]).iloc[0]
    assert (event["role"], event["initiator"], event["initiator_side"]) == (
        "attack",
        "Islamic Resistance in Iraq",
        "militia",
    )
    assert event["role_basis"] == "near Al-Asad Air Base (1.1 km), a pro-Iran militia's fire: presumed attack"


@pytest.mark.parametrize(
    "cells, basis",
    [
        (  # 25 km away: too far for the place rule (5 km)
            {"location": "Haditha", "latitude": "34.000", "longitude": "42.441"},
            "actors: neither a pro-Iran militia nor US/coalition forces",
        ),
        (  # roadside bombs near the bases are mostly the Islamic State's: IEDs never count by place
            {**IED, "actor2": "Military Forces of Iraq (2020-2022)"},
            "actors: neither a pro-Iran militia nor US/coalition forces",
        ),
        (  # fire between two identified non-US parties is theirs
            {"actor1": "Military Forces of Turkey (2016-)"},
            "actors: neither a pro-Iran militia nor US/coalition forces",
        ),
        (
            {"notes": "Rockets hit the Iraqi air force housing outside the base; US contractors had left in 2020."},
            'near Al-Asad Air Base (1.1 km), but the notes say US/coalition forces were not there: "US contractors '
            'had left"',
        ),
    ],
)
def test_infer_roles__near_misses_of_the_place_rule_stay_other(load_acled, cells, basis):
    event = load_acled([unattributed(**cells)]).iloc[0]
    assert (event["role"], event["role_basis"]) == ("other", basis)
    assert pd.isna(event["target_kind"])


def test_infer_roles__a_site_across_a_border_is_not_near(load_acled):
    # Tower 22 is in Jordan, 1.1 km from this point in Syria
    row = unattributed(
        actor1="Unidentified Armed Group (Syria)",
        country="Syria",
        location="Rukban",
        latitude="33.32",
        longitude="38.70",
    )
    assert load_acled([row]).iloc[0]["role"] == "other"


def test_load_events__place_rule_km_sets_the_distance_and_refuses_a_negative_one(load_acled):
    assert load_acled([unattributed()], place_rule_km=1.0).iloc[0]["role"] == "other"  # 1.1 km away
    assert load_acled([unattributed()], place_rule_km=2.0).iloc[0]["role"] == "attack"
    with pytest.raises(ParameterError, match="place_rule_km"):
        load_acled([unattributed()], place_rule_km=-1)


def test_infer_roles__notes_naming_a_site_as_the_target_make_an_attack_far_from_it(load_acled):
    row = unattributed(
        actor2="Civilians (Iraq)",
        location="Al Baghdadi",
        latitude="33.9200",
        longitude="42.5400",  # 17 km from the base
        notes="Two rockets aimed at Ain al-Asad fell short onto a house in the town, wounding a child.",
    )
    event = load_acled([row]).iloc[0]
    assert (event["role"], event["site"], event["target_kind"]) == ("attack", "Al-Asad Air Base", "base")
    assert event["role_basis"] == (
        'notes: "aimed at Ain al-Asad" (Al-Asad Air Base), initiator unidentified: presumed militia attack'
    )


# ---------------------------------------------------------------- 2. partner operations are not responses (rule 8)

JORDAN = "Military Forces of Jordan (1999-)"
SMUGGLERS = {"actor2": "Unidentified Armed Group (Syria)", "assoc_actor_2": "Hezbollah"}
ON_THE_BORDER = {"country": "Jordan", "admin1": "Mafraq", "location": "Eastern Military Zone"}


@pytest.mark.parametrize(
    "cells",
    [
        {**BATTLE, "notes": "Border guards clashed with armed smugglers carrying drugs; the army said 5 were killed."},
        {**DRONE, "notes": "Jordanian jets bombed a farm said to belong to a smuggler tied to Hezbollah."},
    ],
)
def test_infer_roles__jordanian_operations_against_smugglers_are_other(load_acled, cells):
    event = load_acled([{"actor1": JORDAN, "assoc_actor_1": "", **SMUGGLERS, **ON_THE_BORDER, **cells}]).iloc[0]
    assert event["role"] == "other"
    assert event["role_basis"] == (
        f"actors: a partner force ({JORDAN}) and a pro-Iran militia, no US/coalition forces: partner operations are "
        "not US/coalition responses"
    )


def test_infer_roles__partner_operation_with_a_us_strike_in_the_notes_is_a_response(load_acled):
    row = {
        "actor1": "Military Forces of Iraq (2020-2022)",
        "assoc_actor_1": "",
        "actor2": "Kataib Hezbollah",
        "assoc_actor_2": "",
        **BATTLE,
        **AT_AL_ASAD,
        "notes": "Iraqi troops raided a Kataib Hezbollah depot near Al Qaim while US aircraft struck its launchers.",
    }
    event = load_acled([row]).iloc[0]
    assert (event["role"], event["initiator_side"], event["target_side"]) == ("response", "us", "militia")
    assert event["role_basis"] == (
        'notes: "US aircraft struck": US/coalition action against the militia, alongside the partner force '
        "(Military Forces of Iraq (2020-2022))"
    )


# ---------------------------------------------------------------- 3. direction from the notes (rule 2b)

MILITIA = {"actor1": "Militia (Pro-Iran)", "assoc_actor_1": "", "actor2": US, "assoc_actor_2": ""}
FIRST_US = {"actor1": US, "assoc_actor_1": "", "actor2": "Militia (Pro-Iran)", "assoc_actor_2": ""}


@pytest.mark.parametrize(
    "cells, role, basis",
    [
        (  # the motive names the earlier US strikes: the statement after it decides
            {
                **FIRST_US,
                **ROCKETS,
                "notes": "In retaliation for US air strikes a week earlier, two rockets were fired at the K1 base.",
            },
            "attack",
            'notes: "fired at the K1 base"',
        ),
        (  # the militia listed first, the notes in the passive voice
            {**MILITIA, **DRONE, "notes": "Militia depots near Al Qaim were hit by US air raids; 4 fighters died."},
            "response",
            'notes: "hit by US air raids"',
        ),
        (  # the notes open with the militias' earlier attack
            {
                **MILITIA,
                **DRONE,
                "notes": "After militias targeted US forces at Erbil with drones, US aircraft struck two facilities.",
            },
            "response",
            'notes: "US aircraft struck"',
        ),
        (  # a battle, US forces listed first: actor order would say response
            {**FIRST_US, **BATTLE, "notes": "A US patrol near the Tanf garrison came under fire from militiamen."},
            "attack",
            'notes: "US patrol near the Tanf garrison came under fire"',
        ),
        (  # pre-emptive fire on a launch team is a response
            {
                **FIRST_US,
                **ROCKETS,
                "actor2": "Unidentified Armed Group (Syria)",
                "notes": "US forces fired artillery at rocket launch sites being readied to attack the base.",
            },
            "response",
            'notes: "US forces fired": US/coalition fire on a launch team the notes tie to the militias',
        ),
    ],
)
def test_infer_roles__notes_outrank_the_actor_order(load_acled, cells, role, basis):
    event = load_acled([cells]).iloc[0]
    assert (event["role"], event["role_basis"]) == (role, basis)


@pytest.mark.parametrize(
    "notes, expected",
    [
        ("After US strikes on Kataib Hezbollah, militias shelled the Green Village base.", "attack"),
        ("US jets struck a depot of fighters who had fired rockets at Ain al-Asad.", "response"),
        ("A Nujaba commander was killed when his car was hit by an American drone.", "response"),
        ("The Islamic Resistance in Iraq sent a drone towards Harir base; air defences downed it.", "attack"),
        ("Clashes were reported in the area.", None),
    ],
)
def test_read_direction__skips_context_and_reads_the_passive(notes, expected):
    found = read_direction(notes)
    assert (found[0] if found else None) == expected


def test_infer_roles__the_iranian_states_own_missiles_are_not_a_militia_attack(load_acled):
    irgc = "Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps"
    missiles, strike = load_acled(
        [
            {
                "actor1": irgc,
                "assoc_actor_1": "",
                "actor2": US,
                "assoc_actor_2": "",
                **ROCKETS,
                "notes": "Iran fired ballistic missiles at the US base; dozens of US troops had brain injuries.",
            },
            {
                "actor1": US,
                "assoc_actor_1": "",
                "actor2": irgc,
                "assoc_actor_2": "",
                **DRONE,
                "notes": "US F-15s struck a weapons store used by the IRGC near Al Mayadin.",
            },
        ]
    ).itertuples()
    assert (missiles.role, missiles.role_basis) == (
        "other",
        "notes: \"fired ballistic missiles at the US base\": the Iranian state's own fire (IRGC / army), not a militia's",
    )
    assert (strike.role, strike.target_side) == ("response", "iran")


@pytest.mark.parametrize(
    "notes, role",
    [
        (
            "Aircraft struck Kataib Hezbollah depots; the Pentagon said the strikes answered the Taji attack.",
            "response",
        ),
        ("Aircraft struck Kataib Hezbollah depots; the group accused the United States.", "other"),
    ],
)
def test_infer_roles__an_unidentified_strike_on_a_militia_is_a_response_only_when_the_us_claims_it(
    load_acled, notes, role
):
    row = {
        "actor1": "Unidentified Military Forces",
        "assoc_actor_1": "",
        "actor2": "Kataib Hezbollah",
        "assoc_actor_2": "",
        **DRONE,
        "notes": notes,
    }
    assert load_acled([row]).iloc[0]["role"] == role


# ---------------------------------------------------------------- 4. convoys (rule 7) and target_kind


def test_infer_roles__ied_on_a_coalition_supply_convoy_is_a_convoy_attack(load_acled):
    convoy = unattributed(
        **IED,
        actor2="Civilians (Iraq)",
        admin1="Al Qadissiya",
        location="Diwaniya",
        latitude="31.9929",
        longitude="44.9254",
        notes="A roadside bomb hit a convoy of Iraqi trucks carrying supplies for the US-led coalition; no one was hurt.",
    )
    ordinary = {**convoy, "notes": "A roadside bomb hit a fuel convoy for the local power station; a driver was hurt."}
    events = load_acled([convoy, ordinary])
    first = events.iloc[0]
    assert (first["role"], first["target_kind"], first["target"]) == ("attack", "convoy", "US/coalition supply convoy")
    assert first["role_basis"] == (
        'notes: "convoy of Iraqi trucks carrying supplies for the US-led coalition": a convoy carrying US/coalition '
        "supplies, initiator unidentified: presumed militia attack"
    )
    assert events.iloc[1]["role"] == "other"
    counts = an.event_counts(events.reset_index(), include_convoys=False)
    assert (counts["attacks"].sum(), counts.attrs["basis"].endswith("left out: 1")) == (0, True)


@pytest.mark.parametrize(
    "notes, kind",
    [
        ("Militias fired three rockets at the US embassy in Baghdad; the air defences engaged.", "diplomatic"),
        ("Militias fired rockets at the US base at the Conoco gas field.", "base"),
        ("Militias fired on a US patrol in the desert.", "other"),
        ("Militias detonated a bomb against a US logistics convoy in the desert.", "convoy"),
    ],
)
def test_infer_target_kinds__from_the_site_and_the_notes(load_acled, notes, kind):
    far_from_bases = {"location": "Desert", "latitude": "34.5", "longitude": "39.5"}
    cells = {"notes": notes} | ({} if kind == "base" else far_from_bases)
    event = load_acled([cells]).iloc[0]
    assert (event["role"], event["target_kind"]) == ("attack", kind)


def test_read_ged__attack_from_the_headline_gets_a_target_kind(raw_dir):
    row = ged_row(source_headline="Kataib Hezbollah fires rockets at the US embassy in Baghdad")
    data = an.load_events([write_ged(raw_dir, [row])], reference_dir=raw_dir / "reference")
    event = data.events.iloc[0]
    assert (event["role"], event["role_basis"], event["target_kind"]) == (
        "attack",
        'notes: "fires rockets at the US embassy"',
        "diplomatic",
    )
