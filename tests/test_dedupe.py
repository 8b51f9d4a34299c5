"""Unit tests for cross-source duplicates: the same incident in the incident log, ACLED and UCDP GED."""

import pandas as pd
import pytest

import analysis as an
from analysis.cleaning.merging import distance_km
from analysis.pipeline.build import format_summary
from tests.conftest import log_row
from tests.factories import acled_row, ged_row, write_acled, write_ged

SAME_DAY = {"event_date": "2022-08-24", "year": "2022"}


@pytest.fixture
def load_both(raw_dir, write_log):
    """Write one incident log and one ACLED file, then load them together."""

    def load(log_rows, acled_rows, **options):
        paths = [write_log(log_rows), write_acled(raw_dir, acled_rows)]
        return an.load_events(paths, reference_dir=raw_dir / "reference", **options)

    return load


def test_load_events__same_attack_in_log_and_acled_becomes_one_event(load_both):
    data = load_both([log_row(us_wounded="1")], [acled_row(fatalities="0", **SAME_DAY)])
    assert data.events["event_id"].tolist() == ["log:2022-08-24-a"]
    event = data.events.iloc[0]
    assert event["source_records"] == "log:2022-08-24-a; acled:SYR1"
    assert event["sources"] == "CENTCOM, 2022-08-24, release | ACLED (CENTCOM)"
    merge = data.merges.iloc[0]
    assert (merge["kept_event_id"], merge["merged_event_id"], merge["source_row"]) == (
        "log:2022-08-24-a",
        "acled:SYR1",
        2,
    )
    assert merge["reason"] == "same day (2022-08-24); same site (MSS Conoco); both attack"
    claims = data.casualties.set_index("claimant")
    assert set(data.casualties["event_id"]) == {"log:2022-08-24-a"}  # ACLED's claim moved to the kept event
    assert claims.loc["ACLED", ["side", "best"]].tolist() == ["unknown", 0]
    accounting = data.accounting.set_index("format")[["raw_rows", "events", "merged", "quarantined"]]
    assert accounting.loc["ACLED events"].tolist() == [1, 0, 1, 0]
    assert accounting.loc["incident log"].tolist() == [1, 1, 0, 0]


def test_load_events__merge_duplicates_false_keeps_them_apart(load_both):
    data = load_both([log_row()], [acled_row(**SAME_DAY)], merge_duplicates=False)
    assert sorted(data.events["event_id"]) == ["acled:SYR1", "log:2022-08-24-a"]
    assert data.merges.empty and data.accounting["merged"].sum() == 0
    pairs = an.find_duplicates(data.events)
    assert pairs[["kept_event_id", "merged_event_id"]].values.tolist() == [["log:2022-08-24-a", "acled:SYR1"]]


@pytest.mark.parametrize(
    "acled_cells, log_cells",
    [
        ({"event_date": "2022-08-25", "year": "2022"}, {}),  # the next day
        ({"notes": "US warplanes struck militia positions.", **SAME_DAY}, {}),  # a response, not an attack
        ({"location": "Tower 22", "latitude": "33.32", "longitude": "38.69", "country": "Jordan", **SAME_DAY}, {}),
        (
            {"location": "Deir ez-Zor", "latitude": "35.33", "longitude": "40.14", "geo_precision": "1", **SAME_DAY},
            {},
        ),  # 17 km
        ({"actor1": "Islamic State (Syria)", "assoc_actor_1": "", **SAME_DAY}, {"kind": "other"}),  # role other
    ],
)
def test_load_events__records_that_differ_are_not_merged(load_both, acled_cells, log_cells):
    data = load_both([log_row(**log_cells)], [acled_row(**acled_cells)])
    assert len(data.events) == 2 and data.merges.empty


def test_load_events__distance_limit_follows_geo_precision(load_both):
    far = {"location": "Deir ez-Zor", "latitude": "35.33", "longitude": "40.14", **SAME_DAY}  # 17 km from Conoco
    assert load_both([log_row()], [acled_row(geo_precision="1", **far)]).merges.empty
    merged = load_both([log_row()], [acled_row(geo_precision="2", **far)]).merges
    assert merged["reason"].tolist() == [
        "same day (2022-08-24); 16.8 km apart (within 25 km for geo precision 1 and 2); both attack"
    ]


def test_load_events__week_dated_record_merges_when_its_range_covers_the_day(load_both):
    data = load_both([log_row()], [acled_row(event_date="2022-08-26", year="2022", time_precision="2")])
    assert data.merges["reason"].tolist() == [
        "dates overlap (2022-08-24 and 2022-08-26 (week)); same site (MSS Conoco); both attack"
    ]


def test_load_events__each_event_takes_one_record_per_source_the_closest(load_both):
    data = load_both(
        [log_row()],
        [
            acled_row(event_id_cnty="SYR2", latitude="35.40", longitude="40.36", location="Khasham", **SAME_DAY),
            acled_row(event_id_cnty="SYR1", **SAME_DAY),
        ],
    )
    assert data.merges["merged_event_id"].tolist() == ["acled:SYR1"]  # both are at the site: the nearer wins
    assert sorted(data.events["event_id"]) == ["acled:SYR2", "log:2022-08-24-a"]


def test_load_events__kept_event_gains_the_merged_record_coordinates(load_both):
    data = load_both(
        [log_row(location="Khasham")], [acled_row(location="Khasham", latitude="35.45", longitude="40.20", **SAME_DAY)]
    )
    event = data.events.iloc[0]
    assert data.merges["reason"].tolist() == ["same day (2022-08-24); same place name (Khasham); both attack"]
    assert (event["latitude"], event["longitude"], event["geo_precision"]) == (35.45, 40.20, 1)


def test_load_events__three_sources_make_one_event(raw_dir, write_log):
    ged = ged_row(
        id="7",
        side_b="Kata'ib Hizballah",
        source_headline="Militants fired rockets at the US base at Conoco",
        date_start="2022-08-24",
        date_end="2022-08-24",
        latitude="35.40",
        longitude="40.33",
        where_prec="2",
        country="Syria",
        where_coordinates="Khasham village",
        deaths_b="0",
        best="0",
        low="0",
        high="0",
    )
    paths = [write_log([log_row()]), write_acled(raw_dir, [acled_row(**SAME_DAY)]), write_ged(raw_dir, [ged])]
    data = an.load_events(paths, reference_dir=raw_dir / "reference")
    assert data.events["source_records"].tolist() == ["log:2022-08-24-a; acled:SYR1; ged:7"]
    assert data.merges["kept_event_id"].tolist() == ["log:2022-08-24-a", "log:2022-08-24-a"]
    totals = data.accounting[["raw_rows", "events", "merged", "quarantined"]].sum().tolist()
    assert totals == [3, 1, 2, 0]


def test_load_events__response_pointing_at_merged_attack_still_resolves(load_both):
    rows = [
        log_row(),
        log_row(id="r", date="2022-08-25", kind="response", responds_to="2022-08-24-a", actor="US forces", target="KH"),
    ]
    data = load_both(rows, [acled_row(**SAME_DAY)])
    assert data.events.set_index("event_id").loc["log:r", "responds_to"] == "log:2022-08-24-a"


def test_find_duplicates__tolerance_days_widens_the_dates(load_both):
    data = load_both([log_row()], [acled_row(event_date="2022-08-25", year="2022")], merge_duplicates=False)
    assert an.find_duplicates(data.events).empty
    assert len(an.find_duplicates(data.events, tolerance_days=1)) == 1


@pytest.mark.parametrize("bad", [-1, 0.5])
def test_find_duplicates__bad_tolerance_is_a_parameter_error(bad):
    with pytest.raises(an.ParameterError, match="tolerance_days"):
        an.find_duplicates(an.EventData().events, tolerance_days=bad)


def test_build__prints_what_was_merged_and_why(raw_dir, write_log, tmp_path):
    write_log([log_row()])
    write_acled(raw_dir, [acled_row(**SAME_DAY)])
    out = tmp_path / "processed"
    manifest = an.build(raw_dir, out)
    assert manifest["totals"] == {"raw_rows": 2, "events": 1, "merged": 1, "quarantined": 0, "unaccounted": 0}
    summary = format_summary(manifest, out)
    assert "acled:SYR1 -> log:2022-08-24-a: same day (2022-08-24); same site (MSS Conoco); both attack" in summary
    assert an.load_processed(out).merges["merged_event_id"].tolist() == ["acled:SYR1"]


def test_distance_km__broadcasts():
    distances = distance_km(35.39, 40.31, pd.Series([35.39, 33.79]), pd.Series([40.31, 42.44]))
    assert distances[0] == 0 and 250 < distances[1] < 270


def test_load_events__several_log_rows_merge_with_acled_records_without_error(load_both):
    # the crash of issue 12: more than one kept event (KeyError: np.int64(0) in a .loc frame assignment)
    log_rows = [
        log_row(id="2022-08-24-a", us_wounded="1"),
        log_row(id="2022-08-26-a", date="2022-08-26", date_precision="week", location="Al-Asad Air Base",
                country="Iraq"),
        log_row(id="2022-09-01-a", date="2022-09-01", date_precision="month", location="Tower 22", country="Jordan"),
        log_row(id="2022-10-05-a", date="2022-10-05"),
    ]  # fmt: skip
    acled_rows = [
        acled_row(event_id_cnty="SYR1", **SAME_DAY),
        acled_row(event_id_cnty="IRQ2", event_date="2022-08-28", year="2022", country="Iraq", admin1="Anbar",
                  location="Ain al-Asad", latitude="33.79", longitude="42.44"),
        acled_row(event_id_cnty="JOR3", event_date="2022-09-17", year="2022", country="Jordan", admin1="Mafraq",
                  location="Tower 22", latitude="33.32", longitude="38.69"),
        acled_row(event_id_cnty="SYR4", event_date="2022-11-05", year="2022"),  # no log row: stays an event
    ]  # fmt: skip
    data = load_both(log_rows, acled_rows)
    assert sorted(data.merges["merged_event_id"]) == ["acled:IRQ2", "acled:JOR3", "acled:SYR1"]
    assert sorted(data.events["event_id"]) == [
        "acled:SYR4", "log:2022-08-24-a", "log:2022-08-26-a", "log:2022-09-01-a", "log:2022-10-05-a",
    ]  # fmt: skip
    reasons = data.merges.set_index("merged_event_id")["reason"]
    assert (
        reasons["acled:IRQ2"]
        == "dates overlap (2022-08-26 (week) and 2022-08-28); same site (Al-Asad Air Base); both attack"
    )
    assert reasons["acled:JOR3"].startswith("dates overlap (2022-09-01 (month) and 2022-09-17)")
    totals = data.accounting[["raw_rows", "events", "merged", "quarantined"]].sum()
    assert totals["raw_rows"] == totals["events"] + totals["merged"] + totals["quarantined"] == 8
    assert totals["merged"] == len(data.merges) == 3


def test_load_events__overlapping_acled_exports_keep_the_latest_revision(raw_dir):
    first = write_acled(
        raw_dir,
        [
            acled_row(event_id_cnty="SYR1", fatalities="0", timestamp="1700000000"),
            acled_row(event_id_cnty="SYR2", timestamp="1700000000"),
        ],
        name="acled_a.csv",
    )
    second = write_acled(raw_dir, [acled_row(event_id_cnty="SYR1", fatalities="2", timestamp="1710000000"),
                                   acled_row(event_id_cnty="SYR3", timestamp="1710000000")], name="acled_b.csv")  # fmt: skip
    data = an.load_events([first, second], reference_dir=raw_dir / "reference")
    assert sorted(data.events["event_id"]) == ["acled:SYR1", "acled:SYR2", "acled:SYR3"]
    revised = data.events.set_index("event_id").loc["acled:SYR1"]
    assert revised["source_file"].endswith("acled_b.csv")
    assert data.casualties.loc[data.casualties["event_id"] == "acled:SYR1", "best"].tolist() == [2]  # one claim
    merge = data.merges.iloc[0]
    assert merge["source_file"].endswith("acled_a.csv") and "kept that copy (revised 2024-03-09" in merge["reason"]
    accounting = data.accounting.set_index(data.accounting["source_file"].str[-11:])
    assert accounting.loc["acled_a.csv", ["raw_rows", "events", "merged"]].tolist() == [2, 1, 1]
    assert accounting.loc["acled_b.csv", ["raw_rows", "events", "merged"]].tolist() == [2, 2, 0]


def test_load_events__same_id_in_two_incident_logs_is_still_an_error(raw_dir, write_log):
    paths = [write_log([log_row()], name="a.csv"), write_log([log_row()], name="b.csv")]
    with pytest.raises(an.AnalysisError, match="appears in more than one input"):
        an.load_events(paths, reference_dir=raw_dir / "reference")


def test_load_events__log_beside_ged_merges_the_same_strike(raw_dir, write_log):
    log = write_log([log_row(id="2019-12-29-a", date="2019-12-29", kind="response", location="Al-Asad Air Base",
                             country="Iraq", actor="US forces", target="KH", weapon="precision strikes")])  # fmt: skip
    ged = write_ged(raw_dir, [ged_row(date_start="2019-12-29 00:00:00.000", date_end="2019-12-29 00:00:00.000",
                                      latitude="33.80", longitude="42.43")])  # fmt: skip
    data = an.load_events([log, ged], reference_dir=raw_dir / "reference")
    assert data.events["event_id"].tolist() == ["log:2019-12-29-a"]
    assert data.merges["merged_event_id"].str.startswith("ged:").tolist() == [True]


def test_load_events__merges_into_events_with_and_without_munitions(load_both):
    # pandas 3.1 fails (KeyError) to set a frame slice whose Int64 column holds <NA>: the merge sets column by column
    notes = "Militias fired rockets at the US base at Conoco."
    data = load_both(
        [log_row(munitions="2"), log_row(id="2022-08-25-a", date="2022-08-25")],
        [
            acled_row(notes=notes, **SAME_DAY),
            acled_row(event_id_cnty="SYR2", event_date="2022-08-25", year="2022", notes=notes),
        ],
    )
    assert data.events["event_id"].tolist() == ["log:2022-08-24-a", "log:2022-08-25-a"]
    assert data.events["munitions"].tolist() == [2, pd.NA]
    assert data.merges["merged_event_id"].tolist() == ["acled:SYR1", "acled:SYR2"]
