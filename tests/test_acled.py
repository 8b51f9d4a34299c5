"""Unit tests for the ACLED reader and the role inference it relies on, on tiny inline exports."""

import csv
import warnings
from pathlib import Path

import pandas as pd
import pytest

import analysis as an
from analysis.cleaning.reference import load_reference
from analysis.cleaning.roles import ActorLookup, read_direction
from analysis.core.errors import InputError
from tests.factories import COLUMNS_2023, acled_row, write_acled


@pytest.fixture
def load_acled(raw_dir):
    """Write ACLED rows and read them back with load_events."""

    def load(rows: list[dict], **options):
        return an.load_events([write_acled(raw_dir, rows)], reference_dir=raw_dir / "reference", **options)

    return load


def only_event(data) -> pd.Series:
    """Return the single event of a one-row load."""
    assert len(data.events) == 1, data.quarantine.to_dict("records")
    return data.events.iloc[0]


# ---------------------------------------------------------------- the canonical event


def test_load_events__acled_row_becomes_canonical_event(load_acled):
    data = load_acled([acled_row(fatalities="2")])
    event = only_event(data)
    assert event["event_id"] == "acled:SYR1" and event["source"] == "acled"
    assert event["event_date"] == pd.Timestamp("2023-10-19") and event["date_precision"] == "day"
    assert event["date_earliest"] == event["date_latest"] == pd.Timestamp("2023-10-19")
    assert (event["country"], event["admin1"], event["location"]) == ("Syria", "Deir ez Zor", "Conoco Gas Field")
    assert (event["latitude"], event["longitude"], event["geo_precision"]) == (35.392, 40.309, 1)
    assert event["site"] == "MSS Conoco"  # 0.2 km from the gazetteer's base
    assert (event["role"], event["initiator_side"], event["target_side"]) == ("attack", "militia", "us")
    assert event["initiator"] == "Islamic Resistance in Iraq"  # the named group, not ACLED's generic label
    assert event["role_basis"] == 'notes: "fired 3 rockets at the US base"'
    assert event["weapon"] == "rocket"
    assert event["sources"] == "ACLED (CENTCOM)" and event["source_records"] == "acled:SYR1"
    assert data.casualties.to_dict("records") == [
        {
            "event_id": "acled:SYR1",
            "side": "unknown",
            "outcome": "killed",
            "low": 2,
            "best": 2,
            "high": None,
            "claimant": "ACLED",
            "claim_text": "fatalities: 2",
        }
    ]
    assert data.accounting[["raw_rows", "events", "merged", "quarantined"]].iloc[0].tolist() == [1, 1, 0, 0]


def test_load_events__acled_zero_fatalities_is_a_claim_of_zero_and_blank_is_none(load_acled):
    data = load_acled([acled_row(fatalities="0"), acled_row(event_id_cnty="SYR2", fatalities="")])
    assert data.casualties[["event_id", "best"]].values.tolist() == [["acled:SYR1", 0]]


def test_load_events__acled_pre_2023_upper_case_layout_reads_the_same(raw_dir):
    new = an.load_events([write_acled(raw_dir, [acled_row()], "new.csv")], reference_dir=raw_dir / "reference")
    old_columns = [
        "DATA_ID",
        "ISO",
        "EVENT_ID_CNTY",
        "EVENT_ID_NO_CNTY",
        "EVENT_DATE",
        "YEAR",
        "TIME_PRECISION",
        "EVENT_TYPE",
        "SUB_EVENT_TYPE",
        "ACTOR1",
        "ASSOC_ACTOR_1",
        "INTER1",
        "ACTOR2",
        "ASSOC_ACTOR_2",
        "INTER2",
        "INTERACTION",
        "REGION",
        "COUNTRY",
        "ADMIN1",
        "ADMIN2",
        "ADMIN3",
        "LOCATION",
        "LATITUDE",
        "LONGITUDE",
        "GEO_PRECISION",
        "SOURCE",
        "SOURCE_SCALE",
        "NOTES",
        "FATALITIES",
        "TIMESTAMP",
        "ISO3",
    ]
    row = {k.upper(): v for k, v in acled_row(event_id_cnty="SYR2").items()} | {
        "DATA_ID": "9000001",
        "EVENT_ID_NO_CNTY": "2",
        "ISO3": "SYR",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the old layout's own columns are known, not 'extra'
        old = an.load_events([write_acled(raw_dir, [row], "old.csv", old_columns)], reference_dir=raw_dir / "reference")
    compared = ["event_date", "role", "role_basis", "initiator", "target_side", "weapon", "site", "latitude"]
    assert old.events[compared].to_dict("records") == new.events[compared].to_dict("records")
    assert old.accounting["format"].tolist() == ["ACLED events"]


def test_load_events__acled_both_date_formats_in_one_file(load_acled):
    data = load_acled([acled_row(event_date="16 May 2025", year="2025"), acled_row(event_id_cnty="SYR2")])
    assert sorted(data.events["event_date"].dt.strftime("%Y-%m-%d")) == ["2023-10-19", "2025-05-16"]


def test_load_events__acled_numeric_dates_follow_the_column_order(load_acled):
    # "16/05/2023" can only be day-first, so "03/04/2023" in the same column is 3 April, not 4 March
    data = load_acled([acled_row(event_date="16/05/2023"), acled_row(event_id_cnty="SYR2", event_date="03/04/2023")])
    assert data.events.set_index("event_id")["event_date"].to_dict() == {
        "acled:SYR2": pd.Timestamp("2023-04-03"),
        "acled:SYR1": pd.Timestamp("2023-05-16"),
    }


@pytest.mark.parametrize("code, precision, half_window_days", [("1", "day", 0), ("2", "week", 3), ("3", "month", 15)])
def test_load_events__acled_time_precision_sets_date_bounds(load_acled, code, precision, half_window_days):
    event = only_event(load_acled([acled_row(time_precision=code)]))
    assert event["date_precision"] == precision
    assert event["date_latest"] - event["event_date"] == pd.Timedelta(days=half_window_days)
    assert event["event_date"] - event["date_earliest"] == pd.Timedelta(days=half_window_days)


@pytest.mark.parametrize("inter1", ["3", "3.0", "Political militia", "political militia"])
def test_load_events__acled_inter_codes_as_numbers_or_text(load_acled, inter1):
    assert len(load_acled([acled_row(inter1=inter1, inter2="External/Other forces")]).events) == 1


def test_load_events__acled_extra_columns_are_warned_and_the_file_is_read(load_acled):
    with pytest.warns(UserWarning, match="my_tag"):
        data = load_acled([acled_row(my_tag="checked")])
    assert len(data.events) == 1


@pytest.mark.parametrize(
    "cells, column, reason",
    [
        ({"event_date": "31 February 2023"}, "event_date", "impossible date"),
        ({"event_date": "sometime"}, "event_date", "unrecognised date"),
        ({"time_precision": "4"}, "time_precision", "out of range"),
        ({"inter1": "Warlords"}, "inter1", "unknown ACLED actor type 'Warlords'"),
        ({"latitude": "35,39"}, "latitude", "not a number"),
        ({"longitude": "400"}, "longitude", "outside"),
        ({"geo_precision": "5"}, "geo_precision", "out of range"),
        ({"fatalities": "-1"}, "fatalities", "out of range"),
        ({"fatalities": "2.5"}, "fatalities", "not a whole number"),
        ({"year": "2019"}, "year", "does not match event_date"),
        ({"actor1": ""}, "actor1", "blank"),
        ({"event_id_cnty": ""}, "event_id_cnty", "blank"),
    ],
)
def test_load_events__acled_bad_cell_is_quarantined_with_its_reason(load_acled, cells, column, reason):
    data = load_acled([acled_row(event_id_cnty="SYR0"), acled_row(**{"event_id_cnty": "SYR9", **cells})])
    assert data.events["event_id"].tolist() == ["acled:SYR0"]
    problem = data.quarantine.iloc[0]
    assert (problem["source_row"], problem["column"]) == (3, column)
    assert reason in problem["reason"]
    assert data.accounting[["raw_rows", "events", "quarantined"]].iloc[0].tolist() == [2, 1, 1]


def test_load_events__acled_duplicate_id_names_the_first_row(load_acled):
    data = load_acled([acled_row(), acled_row(notes="the same id again")])
    assert data.quarantine["reason"].tolist() == ["duplicate event_id_cnty 'SYR1': already on row 2"]


def test_load_events__acled_xlsx_reads_like_csv(raw_dir):
    path = raw_dir / "acled.xlsx"
    row = acled_row() | {
        "event_date": pd.Timestamp("2023-10-19"),
        "latitude": 35.392,
        "longitude": 40.309,
        "fatalities": 2,
        "time_precision": 1,
        "inter1": 3,
        "inter2": 8,
        "geo_precision": 1,
        "year": 2023,
    }
    pd.DataFrame([row]).to_excel(path, index=False)
    event = only_event(an.load_events([path], reference_dir=raw_dir / "reference"))
    assert (event["event_date"], event["role"], event["latitude"]) == (pd.Timestamp("2023-10-19"), "attack", 35.392)


# ---------------------------------------------------------------- role, sides, weapon

US = "Military Forces of the United States (2021-)"


@pytest.mark.parametrize(
    "cells, role, basis_start",
    [
        (
            {"notes": "On 3 February 2024, US warplanes struck positions of Kataib Hezbollah near Al Qaim."},
            "response",
            'notes: "US warplanes struck',
        ),  # the notes overrule the actor order
        ({"notes": "Clashes were reported."}, "attack", "actor order: in remote violence"),
        (
            {"event_type": "Battles", "sub_event_type": "Armed clash", "notes": "Clashes were reported."},
            "attack",
            "actor order only: actor1 taken as the initiator",
        ),
        (
            {
                "actor1": US,
                "assoc_actor_1": "",
                "actor2": "Militia (Pro-Iran)",
                "assoc_actor_2": "Kataib Hezbollah",
                "sub_event_type": "Air/drone strike",
                "notes": "Strikes were reported near Al Qaim.",
            },
            "response",
            "actor order: in remote violence (Air/drone strike) actor1 is the one who fired",
        ),
    ],
)
def test_infer_roles__militia_against_us_forces(load_acled, cells, role, basis_start):
    event = only_event(load_acled([acled_row(**cells)]))
    assert event["role"] == role
    assert event["role_basis"].startswith(basis_start)
    sides = (event["initiator_side"], event["target_side"])
    assert sides == (("militia", "us") if role == "attack" else ("us", "militia"))


def test_infer_roles__response_names_the_militia_as_target(load_acled):
    event = only_event(
        load_acled(
            [
                acled_row(
                    actor1=US,
                    assoc_actor_1="",
                    actor2="Militia (Pro-Iran)",
                    assoc_actor_2="Kataib Hezbollah",
                    sub_event_type="Air/drone strike",
                    notes="US warplanes struck a Kataib Hezbollah depot, killing 4.",
                )
            ]
        )
    )
    assert (event["initiator"], event["target"]) == (US, "Kata'ib Hizballah")  # actors.csv gives the canonical name
    assert event["weapon"] == "airstrike"


def test_infer_roles__disrupted_weapons_use_is_an_intercepted_attack(load_acled):
    event = only_event(
        load_acled(
            [
                acled_row(
                    event_type="Strategic developments",
                    sub_event_type="Disrupted weapons use",
                    actor1=US,
                    assoc_actor_1="",
                    actor2="Militia (Pro-Iran)",
                    assoc_actor_2="",
                    notes="A drone was launched towards the base.",
                )
            ]
        )
    )
    assert (event["role"], event["initiator_side"], event["intercepted"]) == ("attack", "militia", "yes")
    assert event["role_basis"].startswith("sub-event 'Disrupted weapons use'")
    assert event["weapon"] == "drone"


def test_infer_roles__coalition_with_us_associate_is_a_us_target(load_acled):
    event = only_event(load_acled([acled_row(actor2="Global Coalition Against Daesh", assoc_actor_2=US)]))
    assert (event["target"], event["target_side"]) == (US, "us")


def test_infer_roles__unidentified_group_firing_at_us_forces_is_a_presumed_militia_attack(load_acled):
    plain, named = load_acled(
        [
            acled_row(
                actor1="Unidentified Armed Group (Syria)", assoc_actor_1="", notes="Explosions were heard at night."
            ),
            acled_row(
                event_id_cnty="SYR2",
                actor1="Unidentified Armed Group (Syria)",
                assoc_actor_1="",
                notes="Iran-backed militants fired rockets at the base.",
            ),
        ]
    ).events.itertuples()
    assert (plain.role, plain.initiator_side) == ("attack", "unknown")
    assert plain.role_basis.startswith("unattributed:")
    assert (named.role, named.initiator_side) == ("attack", "militia")
    assert 'notes name a militia: "Iran-backed"' in named.role_basis


@pytest.mark.parametrize(
    "cells, basis",
    [
        ({"actor1": "Islamic State (Syria)", "assoc_actor_1": ""}, "actors: no pro-Iran militia"),
        (
            {"actor1": "Military Forces of Israel (2022-)", "assoc_actor_1": "", "actor2": "Militia (Pro-Iran)"},
            "actors: no US or coalition forces",
        ),
        (
            {"actor1": "Military Forces of Syria (2000-)", "assoc_actor_1": "", "actor2": "Opposition Rebels (Syria)"},
            "actors: neither a pro-Iran militia nor US/coalition forces",
        ),
    ],
)
def test_infer_roles__rows_without_both_sides_stay_as_other(load_acled, cells, basis):
    event = only_event(load_acled([acled_row(**cells)]))
    assert (event["role"], event["role_basis"]) == ("other", basis)
    assert event["initiator"] == cells["actor1"]  # the source's order, no direction implied


def test_infer_roles__unlisted_actor_is_named_in_basis_and_unknown_names_once(load_acled):
    rows = [acled_row(event_id_cnty=f"SYR{i}", actor1="Ahrar al Sharqiyah", assoc_actor_1="") for i in range(3)]
    data = load_acled(rows)
    assert set(data.events["role_basis"]) == {
        "actors: no pro-Iran militia (not in the actor tables: Ahrar al Sharqiyah)"
    }
    assert data.unknown_names[["source_row", "column", "value"]].values.tolist() == [
        [2, "actor1", "Ahrar al Sharqiyah"]
    ]
    assert set(data.events["initiator_side"]) == {"unknown"}


@pytest.mark.parametrize(
    "name, country, side",
    [
        ("Military Forces of the United States (2021-) Marine Corps", "Iraq", "us"),  # prefix pattern
        ("Military Forces of Iraq (2020-2022) Popular Mobilization Forces", "Iraq", "militia"),  # longest wins
        ("Military Forces of Iraq (2022-)", "Iraq", "partner"),
        ("Kataib Hezbollah (Iraq)", "Iraq", "militia"),  # contains pattern
        ("Kata'ib Hizballah", "Iraq", "militia"),  # actors.csv alias (apostrophes folded)
        ("Militia (Pro-Government)", "Syria", "regime"),  # a pattern limited to one country
        ("Militia (Pro-Government)", "Iraq", "unknown"),
        ("Civilians (Syria)", "Syria", "civilian"),
    ],
)
def test_actor_lookup__patterns_and_aliases(raw_dir, name, country, side):
    lookup = ActorLookup(load_reference(raw_dir / "reference"))
    assert lookup(name, country)[1] == side


@pytest.mark.parametrize(
    "notes, expected",
    [
        ("pro-Iran militias fired several mortars at the US base. US forces responded by firing.", "attack"),
        ("US forces responded by shelling militia positions after rockets hit a US base.", "response"),
        ("US forces shot down a drone launched towards the US base at Al Tanf.", "attack"),  # interception first
        ("A drone attack targeted a US convoy near Al Shaddadi.", "attack"),
        ("Airstrikes by the US-led coalition hit a depot.", "response"),
        ("Clashes took place in the area.", None),
    ],
)
def test_read_direction__earliest_statement_wins(notes, expected):
    found = read_direction(notes)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    "notes, weapon",
    [
        ("Militants fired rockets and drones at the US base.", "multiple"),
        ("Militants fired 3 mortar rounds at the US base. US forces responded with artillery.", "mortar"),
        ("A roadside bomb hit a US convoy.", "ied"),
    ],
)
def test_infer_weapons__attack_notes_name_the_weapon(load_acled, notes, weapon):
    assert only_event(load_acled([acled_row(notes=notes)]))["weapon"] == weapon


def test_infer_weapons__other_rows_take_the_sub_event_weapon(load_acled):
    event = only_event(
        load_acled(
            [
                acled_row(
                    actor1="Military Forces of Israel (2022-)",
                    assoc_actor_1="",
                    actor2="Militia (Pro-Iran)",
                    sub_event_type="Air/drone strike",
                )
            ]
        )
    )
    assert (event["role"], event["weapon"]) == ("other", "airstrike")


def test_load_events__acled_location_in_gazetteer_gives_site_and_canonical_name(load_acled):
    event = only_event(
        load_acled(
            [
                acled_row(
                    location="Al Asad",
                    latitude="33.8",
                    longitude="42.45",
                    country="Iraq",
                    actor2="Global Coalition Against Daesh",
                )
            ]
        )
    )
    assert (event["location"], event["site"]) == ("Al-Asad Air Base", "Al-Asad Air Base")


# ---------------------------------------------------------------- bad files


def test_load_events__truncated_acled_file_quarantines_the_cut_row(raw_dir):
    path = write_acled(raw_dir, [acled_row(), acled_row(event_id_cnty="SYR2")])
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("Explosions/Remote")], encoding="utf-8")  # cut inside the last row
    data = an.load_events([path], reference_dir=raw_dir / "reference")
    assert data.events["event_id"].tolist() == ["acled:SYR1"]
    problem = data.quarantine.iloc[0]
    assert (problem["source_row"], problem["column"]) == (3, "(whole row)")
    assert "truncated" in problem["reason"]
    assert data.accounting[["raw_rows", "events", "quarantined"]].iloc[0].tolist() == [2, 1, 1]


def test_load_events__row_with_extra_cells_keeps_later_rows_at_their_numbers(raw_dir):
    path = write_acled(raw_dir, [acled_row(), acled_row(event_id_cnty="SYR2"), acled_row(event_id_cnty="SYR3")])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",unquoted,extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = an.load_events([path], reference_dir=raw_dir / "reference")
    assert data.events.set_index("event_id")["source_row"].to_dict() == {"acled:SYR1": 2, "acled:SYR3": 4}
    assert data.quarantine[["source_row", "column"]].values.tolist() == [[3, "(whole row)"]]
    assert "unquoted delimiter" in data.quarantine["reason"].iloc[0]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_load_events__acled_with_another_delimiter_is_read(raw_dir, delimiter):
    path = raw_dir / "acled.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(COLUMNS_2023)
        writer.writerow([acled_row()[c] for c in COLUMNS_2023])
    assert only_event(an.load_events([path], reference_dir=raw_dir / "reference"))["role"] == "attack"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_load_events__acled_with_byte_order_mark_is_read(raw_dir, encoding):
    path = raw_dir / "acled.csv"
    rows = [COLUMNS_2023, [acled_row(location="Ḥasakah")[c] for c in COLUMNS_2023]]
    path.write_text("\n".join(",".join(f'"{cell}"' for cell in row) for row in rows) + "\n", encoding=encoding)
    assert only_event(an.load_events([path], reference_dir=raw_dir / "reference"))["location"] == "Ḥasakah"


def test_load_events__latin1_acled_is_read_with_a_warning(raw_dir):
    path = raw_dir / "acled.csv"
    rows = [COLUMNS_2023, [acled_row(location="Dayr az Zawr (Château)")[c] for c in COLUMNS_2023]]
    path.write_text("\n".join(",".join(f'"{cell}"' for cell in row) for row in rows) + "\n", encoding="latin-1")
    with pytest.warns(UserWarning, match="not UTF-8.*Windows-1252"):
        data = an.load_events([path], reference_dir=raw_dir / "reference")
    assert only_event(data)["location"] == "Dayr az Zawr (Château)"


def test_load_events__column_renamed_by_a_spreadsheet_is_named_in_the_error(raw_dir):
    columns = ["eventdate" if c == "event_date" else c for c in COLUMNS_2023]
    path = write_acled(
        raw_dir, [{("eventdate" if k == "event_date" else k): v for k, v in acled_row().items()}], columns=columns
    )
    with pytest.raises(InputError) as error:
        an.load_events([path], reference_dir=raw_dir / "reference")
    message = str(error.value)
    assert (
        "acled.csv" in message and "looks most like ACLED events but lacks event_date (renamed 'eventdate'?)" in message
    )
    assert "UCDP GED: id," in message and "incident log: id, date" in message


def test_load_events__column_written_twice_is_refused(raw_dir):
    columns = COLUMNS_2023 + ["Event Date"]
    path = write_acled(raw_dir, [acled_row() | {"Event Date": "2023-10-19"}], columns=columns)
    with pytest.raises(InputError, match="same column twice: 'event_date' and 'Event Date'"):
        an.load_events([path], reference_dir=raw_dir / "reference")


def test_load_events__empty_file_is_refused(raw_dir):
    path = raw_dir / "acled.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="is empty"):
        an.load_events([path], reference_dir=raw_dir / "reference")


def test_generate_acled__generated_rows_load_with_every_row_accounted(raw_dir):
    from benchmarks.generate_acled import write_acled as generate

    path = generate(raw_dir / "generated.csv", 400, seed=3, date_style="mixed", inter_style="text")
    data = an.load_events([path], reference_dir=raw_dir / "reference")
    totals = data.accounting[["raw_rows", "events", "merged", "quarantined"]].iloc[0].tolist()
    assert totals == [400, 400, 0, 0]
    assert {"attack", "response", "other"} <= set(data.events["role"])


def test_load_events__acled_events_come_sorted_by_date_then_id(load_acled):
    rows = [
        acled_row(event_id_cnty=i, event_date=d, year=d[:4])
        for i, d in (("SYR9", "2023-10-20"), ("SYR2", "2023-10-19"), ("SYR10", "2023-10-19"), ("SYR1", "2023-10-21"))
    ]
    data = load_acled(rows)
    assert data.events["event_id"].tolist() == ["acled:SYR10", "acled:SYR2", "acled:SYR9", "acled:SYR1"]
    assert data.events["source_row"].tolist() == [4, 3, 2, 5]


# ---------------------------------------------------------------- the second thread (docs/sources.md, Speed)


class InlineExecutor:
    """An executor that runs each job at once on the caller's thread: read_acled's sequential path."""

    def submit(self, function, *args, **kwargs):
        from concurrent.futures import Future

        future = Future()
        try:
            future.set_result(function(*args, **kwargs))
        except Exception as error:
            future.set_exception(error)
        return future


def test_read_acled__second_thread_gives_the_tables_of_the_sequential_path(raw_dir, monkeypatch):
    import contextlib

    import analysis.sources.acled as acled
    from benchmarks.generate_acled import write_acled as generate

    path = generate(raw_dir / "generated.csv", 300, seed=5, date_style="mixed", inter_style="text")
    bad = path.read_text(encoding="utf-8").splitlines()
    bad[7] = bad[7].replace(",1,", ",9,", 1)  # a bad cell, so the quarantine is compared too
    path.write_text("\n".join(bad + bad[3:5]) + "\n", encoding="utf-8")  # and two repeated ids
    threaded = an.load_events([path], reference_dir=raw_dir / "reference")
    monkeypatch.setattr(acled, "background_thread", lambda name: contextlib.nullcontext(InlineExecutor()))
    sequential = an.load_events([path], reference_dir=raw_dir / "reference")
    assert len(threaded.quarantine) >= 2 and threaded.events["role"].nunique() == 3
    for name in ("events", "casualties", "quarantine", "unknown_names", "accounting"):
        pd.testing.assert_frame_equal(getattr(threaded, name), getattr(sequential, name))


def test_read_acled__error_raised_on_the_second_thread_reaches_the_caller(load_acled, monkeypatch):
    import analysis.sources.acled as acled

    def failing_cast(raw, column, **bounds):
        raise InputError(Path("acled.csv"), f"row 2, column {column}: the cast failed")

    monkeypatch.setattr(acled, "decimal_numbers", failing_cast)
    with pytest.raises(InputError, match=r"acled\.csv.*row 2, column latitude: the cast failed"):
        load_acled([acled_row()])


def test_background_thread__job_error_reaches_the_caller_unchanged():
    from analysis.sources.checks import background_thread

    def failing():
        raise InputError(Path("x.csv"), "row 7, column latitude: bad")

    with pytest.raises(InputError, match=r"x\.csv.*row 7, column latitude: bad"):
        with background_thread("test") as worker:
            worker.submit(failing).result()


def test_background_thread__queued_jobs_are_dropped_when_the_caller_fails():
    import threading

    from analysis.sources.checks import background_thread

    started, ran = threading.Event(), []

    def busy():
        started.set()
        threading.Event().wait(0.2)

    with pytest.raises(RuntimeError, match="the caller failed"):
        with background_thread("test") as worker:
            worker.submit(busy)
            worker.submit(ran.append, "queued")
            started.wait(5)
            raise RuntimeError("the caller failed")
    assert ran == []  # the job queued behind the running one never ran
