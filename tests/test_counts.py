"""Unit tests for analysis.analyses.counts: regular, zero-filled series from event tables and ACLED weekly counts."""

import pandas as pd
import pytest

import analysis as an
from analysis.analyses.counts import (
    COUNT_COLUMNS,
    counts_from_weekly,
    counts_summary,
    event_counts,
    infer_frequency,
    militia_group,
    period_start,
    site_provinces,
)
from analysis.analyses.response_times import answered_attacks, response_share
from analysis.cleaning.rows import date_bounds
from analysis.core.errors import AnalysisError, ParameterError
from analysis.core.tables import EVENT_COLUMNS, conform
from analysis.present.counts import counts_notes, headline_counts


def make_events(*rows: dict) -> pd.DataFrame:
    """Build a canonical events table from a few cells per row (date bounds follow the date precision)."""
    defaults = {
        "role": "attack",
        "country": "Iraq",
        "date_precision": "day",
        "initiator": "Kata'ib Hizballah",
        "initiator_side": "militia",
        "target": "United States Armed Forces",
        "target_side": "us",
        "weapon": "rocket",
    }
    frame = pd.DataFrame([{**defaults, "event_id": f"log:{i}", **row} for i, row in enumerate(rows)])
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    events = conform(frame, EVENT_COLUMNS)
    events["date_earliest"], events["date_latest"] = date_bounds(events["event_date"], events["date_precision"])
    return events


def response(date: str, responds_to: str | None = None, **cells) -> dict:
    """A US strike on a militia, optionally naming the attack(s) it answered."""
    return {
        "event_date": date,
        "role": "response",
        "initiator": "United States Armed Forces",
        "initiator_side": "us",
        "target": "Kata'ib Hizballah",
        "target_side": "militia",
        "weapon": "airstrike",
        "responds_to": responds_to,
        **cells,
    }


WEEKLY_COLUMNS = {
    "week_start": "datetime64[ns]",
    "region": "string",
    "country": "string",
    "admin1": "string",
    "event_type": "string",
    "sub_event_type": "string",
    "disorder_type": "string",
    "events": "Int64",
    "fatalities": "Int64",
    "population_exposure": "Int64",
    "centroid_latitude": "Float64",
    "centroid_longitude": "Float64",
    "id": "string",
    "source_file": "string",
    "source_row": "Int64",
}


def make_weekly(*rows: tuple) -> pd.DataFrame:
    """Build a table shaped like load_weekly_counts' output from (week_start, country, admin1, sub_event_type, events)."""
    event_types = {
        "Air/drone strike": "Explosions/Remote violence",
        "Shelling/artillery/missile attack": "Explosions/Remote violence",
        "Disrupted weapons use": "Strategic developments",
        "Armed clash": "Battles",
        "Peaceful protest": "Protests",
    }
    frame = pd.DataFrame(
        [
            {
                "week_start": pd.Timestamp(week),
                "region": "Middle East",
                "country": country,
                "admin1": admin1,
                "event_type": event_types[sub_event],
                "sub_event_type": sub_event,
                "disorder_type": "Political violence",
                "events": events,
                "fatalities": 0,
                "population_exposure": 1000,
                "centroid_latitude": 33.0,
                "centroid_longitude": 42.0,
                "id": "1001",
                "source_file": "weekly.csv",
                "source_row": number + 2,
            }
            for number, (week, country, admin1, sub_event, events) in enumerate(rows)
        ],
        columns=list(WEEKLY_COLUMNS),
    )
    return frame.astype(WEEKLY_COLUMNS)


# ---------------------------------------------------------------- periods


def test_period_start__weeks_start_on_saturday():
    dates = pd.Series(pd.to_datetime(["2023-10-13", "2023-10-14", "2023-10-17", "2023-10-20", "2023-10-21"]))
    starts = period_start(dates, "W")
    assert starts.dt.strftime("%Y-%m-%d").tolist() == [
        "2023-10-07",
        "2023-10-14",
        "2023-10-14",
        "2023-10-14",
        "2023-10-21",
    ]
    assert (starts.dt.day_of_week == 5).all()


def test_period_start__months_are_calendar_months():
    starts = period_start(pd.Series(pd.to_datetime(["2024-02-29", "2024-03-01"])), "M")
    assert starts.dt.strftime("%Y-%m-%d").tolist() == ["2024-02-01", "2024-03-01"]


def test_event_counts__bad_frequency_raises_parameter_error():
    with pytest.raises(ParameterError, match="freq='D'"):
        event_counts(make_events({"event_date": "2024-01-01"}), freq="D")


# ---------------------------------------------------------------- event_counts


def test_event_counts__zero_fills_weeks_without_events():
    events = make_events({"event_date": "2024-01-06"}, {"event_date": "2024-01-30"})
    counts = event_counts(events, freq="W")
    assert counts["period_start"].dt.strftime("%m-%d").tolist() == ["01-06", "01-13", "01-20", "01-27"]
    assert counts["attacks"].tolist() == [1, 0, 0, 1]
    assert str(counts["attacks"].dtype) == "Int64"


def test_event_counts__counts_roles_and_interceptions():
    events = make_events(
        {"event_date": "2024-01-06", "intercepted": "yes"},
        {"event_date": "2024-01-07", "intercepted": "partial"},
        {"event_date": "2024-01-08", "intercepted": "no"},
        {"event_date": "2024-01-08"},
        response("2024-01-09"),
        {"event_date": "2024-01-10", "role": "other", "intercepted": "yes"},
    )
    row = event_counts(events).iloc[0]
    assert (row["events"], row["attacks"], row["responses"]) == (6, 4, 1)
    assert (row["intercepted_attacks"], row["partly_intercepted_attacks"]) == (1, 1)


def test_event_counts__totals_equal_the_event_table():
    events = make_events(
        *[{"event_date": f"2023-{m:02d}-{d:02d}"} for m in (1, 4, 9) for d in (3, 17, 28)],
        response("2023-05-05"),
        response("2023-05-06"),
    )
    for freq in ("W", "M"):
        counts = event_counts(events, freq=freq, by="country")
        assert counts["attacks"].sum() == 9 and counts["responses"].sum() == 2 and counts["events"].sum() == 11


def test_event_counts__by_group_puts_responses_with_the_group_struck():
    events = make_events(
        {"event_date": "2024-01-06", "initiator": "Harakat al-Nujaba"},
        response("2024-01-07", target="Harakat al-Nujaba"),
        {"event_date": "2024-01-08"},
    )
    counts = event_counts(events, by="group").set_index("group")
    assert counts.loc["Harakat al-Nujaba", ["attacks", "responses"]].tolist() == [1, 1]
    assert counts.loc["Kata'ib Hizballah", ["attacks", "responses"]].tolist() == [1, 0]


def test_militia_group__falls_back_to_role_when_no_side_is_militia():
    events = make_events(
        {"event_date": "2024-01-06", "initiator": "Unknown group", "initiator_side": "unknown"},
        response("2024-01-07", target="IRGC", target_side="iran"),
    )
    assert militia_group(events).tolist() == ["Unknown group", "IRGC"]


def test_event_counts__blank_group_value_is_unknown_not_dropped():
    events = make_events({"event_date": "2024-01-06", "weapon": None}, {"event_date": "2024-01-06"})
    counts = event_counts(events, by="weapon")
    assert dict(zip(counts["weapon"], counts["attacks"])) == {"rocket": 1, "unknown": 1}


def test_event_counts__zero_fills_every_group_in_every_period():
    events = make_events(
        {"event_date": "2024-01-06", "country": "Iraq"}, {"event_date": "2024-01-20", "country": "Syria"}
    )
    counts = event_counts(events, by="country")
    assert len(counts) == 3 * 2
    assert counts.groupby("country")["attacks"].sum().to_dict() == {"Iraq": 1, "Syria": 1}


def test_event_counts__start_and_end_bound_the_series_and_count_covered_days():
    events = make_events({"event_date": "2024-01-02"}, {"event_date": "2024-01-10"}, {"event_date": "2024-02-20"})
    counts = event_counts(events, freq="W", start="2024-01-01", end="2024-01-31")
    assert counts["period_start"].iloc[0] == pd.Timestamp("2023-12-30")
    assert counts["period_start"].iloc[-1] == pd.Timestamp("2024-01-27")
    assert counts["period_days"].tolist() == [5, 7, 7, 7, 5]  # Mon 1 to Fri 5 Jan; Sat 27 to Wed 31 Jan
    assert counts["attacks"].sum() == 2  # 20 February is outside the selection


def test_event_counts__monthly_period_days_are_calendar_days():
    counts = event_counts(make_events({"event_date": "2024-02-10"}, {"event_date": "2024-03-10"}), freq="M")
    assert counts["period_days"].tolist() == [29, 31]


def test_event_counts__flags_events_dated_only_to_a_wider_span():
    events = make_events({"event_date": "2024-01-10", "date_precision": "month"}, {"event_date": "2024-01-10"})
    assert event_counts(events, freq="W")["coarse_dated_events"].sum() == 1
    assert event_counts(events, freq="M")["coarse_dated_events"].sum() == 0


def test_event_counts__no_events_lays_out_zeros_between_start_and_end():
    counts = event_counts(
        make_events({"event_date": "2020-01-01"}).iloc[:0], freq="M", start="2024-01-01", end="2024-03-31"
    )
    assert counts["attacks"].tolist() == [0, 0, 0]


def test_event_counts__no_events_and_no_bounds_raises():
    with pytest.raises(AnalysisError, match="nothing to count"):
        event_counts(make_events({"event_date": "2020-01-01"}).iloc[:0])


def test_event_counts__unknown_by_names_the_choices():
    with pytest.raises(ParameterError, match="'group'"):
        event_counts(make_events({"event_date": "2024-01-06"}), by="actor_name")


def test_event_counts__countries_keep_only_those_countries():
    events = make_events(
        {"event_date": "2024-01-06", "country": "Iraq"}, {"event_date": "2024-01-06", "country": "Syria"}
    )
    assert event_counts(events, countries=["Syria"])["attacks"].sum() == 1


def test_event_counts__reads_a_log_through_load_events(load_log):
    from tests.conftest import log_row

    data = load_log(
        [
            log_row(),
            log_row(
                id="2022-08-30-a",
                date="2022-08-30",
                kind="response",
                actor="US forces",
                target="KH",
                weapon="precision strikes",
                responds_to="2022-08-24-a",
            ),
        ]
    )
    counts = event_counts(data.events, freq="W", by="group")
    assert counts["period_start"].dt.strftime("%Y-%m-%d").tolist() == ["2022-08-20", "2022-08-27"]
    assert counts[["attacks", "responses"]].sum().tolist() == [1, 1]
    assert set(counts["group"]) == {"Kata'ib Hizballah"}


# ---------------------------------------------------------------- counts_from_weekly


def test_counts_from_weekly__names_each_series_for_the_events_it_counts():
    weekly = make_weekly(
        ("2024-01-06", "Iraq", "Anbar", "Shelling/artillery/missile attack", 3),
        ("2024-01-06", "Iraq", "Anbar", "Disrupted weapons use", 2),
        ("2024-01-06", "Iraq", "Anbar", "Air/drone strike", 1),
        ("2024-01-06", "Iraq", "Anbar", "Armed clash", 5),
        ("2024-01-06", "Iraq", "Anbar", "Peaceful protest", 4),
    )
    counts = counts_from_weekly(weekly)
    row = counts.iloc[0]
    assert row[["events", "remote_violence_events", "battles"]].tolist() == [15, 4, 5]
    assert row[["shelling_missile_attacks", "air_drone_strikes", "disrupted_weapons_use"]].tolist() == [3, 1, 2]
    assert counts.attrs["headline"] == "remote_violence_events"
    assert counts.attrs["series"]["air_drone_strikes"] == "air or drone strikes, by any actor"


def test_counts_from_weekly__never_calls_a_series_attacks_or_responses():
    weekly = make_weekly(("2024-01-06", "Iraq", "Anbar", "Air/drone strike", 1))
    for counts in (counts_from_weekly(weekly), counts_from_weekly(weekly, campaign_view=True), event_counts(weekly)):
        assert not {"attacks", "responses", "intercepted_attacks"} & set(counts.columns)
        basis = counts.attrs["basis"]
        assert "by any actor" in basis and "attacks on US forces" not in basis and "responses" not in basis


def test_counts_from_weekly__campaign_view_keeps_the_provinces_with_us_sites():
    weekly = make_weekly(
        ("2024-01-06", "Iraq", "Al Anbar", "Air/drone strike", 2),  # ACLED's spelling of the gazetteer's Anbar
        ("2024-01-06", "Iraq", "Duhok", "Air/drone strike", 7),  # Turkish strikes on the PKK: no US site
        ("2024-01-06", "Syria", "Deir ez Zor", "Shelling/artillery/missile attack", 3),
        ("2024-01-06", "Syria", "Idleb", "Shelling/artillery/missile attack", 9),
    )
    everywhere, campaign = counts_from_weekly(weekly), counts_from_weekly(weekly, campaign_view=True)
    assert (everywhere["remote_violence_events"].tolist(), campaign["remote_violence_events"].tolist()) == ([21], [5])
    assert "Anbar (Iraq)" in campaign.attrs["provinces"] and "Deir ez-Zor (Syria)" in campaign.attrs["provinces"]
    assert "militia-campaign view" in campaign.attrs["basis"]
    assert everywhere.attrs["provinces"] is None


def test_site_provinces__every_spelling_of_each_province_with_a_base(raw_dir):
    provinces = site_provinces(raw_dir / "reference")
    assert sorted(set(provinces["admin1"])) == ["Anbar", "Deir ez-Zor", "Mafraq"]
    assert {"deirezzor", "anbar", "mafraq"} <= set(provinces["key"])


def test_counts_from_weekly__weeks_line_up_with_event_counts():
    weekly = make_weekly(
        ("2023-10-14", "Iraq", "Anbar", "Shelling/artillery/missile attack", 2),
        ("2023-10-28", "Iraq", "Anbar", "Shelling/artillery/missile attack", 1),
    )
    events = make_events({"event_date": "2023-10-17"}, {"event_date": "2023-10-20"}, {"event_date": "2023-11-03"})
    from_weekly, from_events = counts_from_weekly(weekly), event_counts(events)
    pd.testing.assert_series_equal(from_weekly["period_start"], from_events["period_start"])
    assert from_weekly["shelling_missile_attacks"].tolist() == from_events["attacks"].tolist() == [2, 0, 1]


def test_event_counts__passes_a_weekly_table_on():
    weekly = make_weekly(("2024-01-06", "Iraq", "Anbar", "Air/drone strike", 2))
    assert event_counts(weekly, by="admin1")["air_drone_strikes"].tolist() == [2]
    with pytest.raises(ParameterError, match="weekly file has no targets"):
        event_counts(weekly, include_convoys=False)


def test_counts_from_weekly__zero_fills_missing_weeks_per_province():
    weekly = make_weekly(
        ("2024-01-06", "Iraq", "Anbar", "Air/drone strike", 1),
        ("2024-01-27", "Syria", "Deir ez Zor", "Air/drone strike", 2),
    )
    counts = counts_from_weekly(weekly, by=["country", "admin1"])
    assert len(counts) == 4 * 2  # two provinces seen, never the impossible Anbar-in-Syria
    assert set(zip(counts["country"], counts["admin1"])) == {("Iraq", "Anbar"), ("Syria", "Deir ez Zor")}


def test_counts_from_weekly__refuses_actor_and_weapon_groupings():
    weekly = make_weekly(("2024-01-06", "Iraq", "Anbar", "Air/drone strike", 1))
    for by in ("group", "weapon", "initiator"):
        with pytest.raises(ParameterError, match="no actors"):
            counts_from_weekly(weekly, by=by)


def test_counts_from_weekly__names_the_row_of_a_week_not_starting_on_saturday():
    weekly = make_weekly(
        ("2024-01-06", "Iraq", "Anbar", "Air/drone strike", 1), ("2024-01-08", "Iraq", "Anbar", "Air/drone strike", 1)
    )
    with pytest.raises(AnalysisError, match=r"weekly.csv, row 3, column 'week_start'.*not a Saturday"):
        counts_from_weekly(weekly)


def test_counts_from_weekly__missing_columns_raise_parameter_error():
    with pytest.raises(ParameterError, match="sub_event_type"):
        counts_from_weekly(
            make_weekly(("2024-01-06", "Iraq", "Anbar", "Air/drone strike", 1)).drop(columns="sub_event_type")
        )


def test_counts_from_weekly__monthly_counts_a_week_in_the_month_of_its_saturday():
    weekly = make_weekly(
        ("2024-01-27", "Iraq", "Anbar", "Air/drone strike", 2),  # Sat 27 Jan to Fri 2 Feb
        ("2024-02-03", "Iraq", "Anbar", "Air/drone strike", 1),
    )
    counts = counts_from_weekly(weekly, freq="M")
    assert counts["air_drone_strikes"].tolist() == [2, 1]
    assert counts["coarse_dated_events"].tolist() == [2, 0]
    assert counts["period_days"].tolist() == [7, 7]


def test_counts_from_weekly__start_and_end_keep_overlapping_weeks_whole():
    weekly = make_weekly(*[(f"2024-01-{d:02d}", "Iraq", "Anbar", "Air/drone strike", 1) for d in (6, 13, 20, 27)])
    counts = counts_from_weekly(weekly, start="2024-01-10", end="2024-01-21")
    assert counts["period_start"].dt.day.tolist() == [6, 13, 20]
    assert counts["period_days"].tolist() == [7, 7, 7]


def test_counts_from_weekly__filters_countries_and_refuses_unknown_ones():
    weekly = make_weekly(
        ("2024-01-06", "Iraq", "Anbar", "Air/drone strike", 1),
        ("2024-01-06", "Syria", "Deir ez Zor", "Air/drone strike", 5),
    )
    assert counts_from_weekly(weekly, countries=["Syria"])["air_drone_strikes"].tolist() == [5]
    with pytest.raises(ParameterError, match="Lebanon"):
        counts_from_weekly(weekly, countries=["Lebanon"])


# ---------------------------------------------------------------- answered attacks and response shares


def test_answered_attacks__one_rule_a_linked_or_nearest_strike_within_the_horizon():
    events = make_events(
        {"event_date": "2024-01-01"}, {"event_date": "2024-01-10"}, {"event_date": "2024-01-20"},
        response("2024-01-12"), response("2024-03-01", responds_to="log:2"), {"event_date": "2024-03-20"},
    )  # fmt: skip
    # 0: the 12 Jan strike is nearer to attack 1; 1: answered after 2 days; 2: its named strike came 41 days later;
    # 3 (20 Mar): no strike follows
    assert answered_attacks(events).tolist() == [False, True, False, False]
    assert answered_attacks(events, horizon_days=45).tolist() == [False, True, True, False]


def test_answered_attacks__agrees_with_time_to_response():
    events = make_events({"event_date": "2024-01-01"}, {"event_date": "2024-01-05"}, response("2024-01-06"))
    ttr = an.time_to_response(events)
    assert answered_attacks(events).tolist() == ttr["is_answered"].tolist() == [False, True]


def test_answered_attacks__bad_horizon_raises_parameter_error():
    with pytest.raises(ParameterError, match="horizon_days"):
        answered_attacks(make_events({"event_date": "2024-01-01"}), horizon_days=-2)


def test_response_share__wilson_interval_around_the_share():
    events = make_events(
        *[{"event_date": "2024-01-0" + str(d)} for d in range(1, 5)],
        response("2024-01-09", responds_to="log:0; log:1"),
        {"event_date": "2024-02-20"},  # the data ends that day: followed for 0 days, still open
    )  # fmt: skip
    share = response_share(events)
    assert share[["attacks", "answered_attacks", "unanswered_attacks", "still_open"]].iloc[0].tolist() == [5, 2, 2, 1]
    assert share["response_share"].iloc[0] == 0.5
    assert share["share_low"].iloc[0] == pytest.approx(0.150, abs=0.001)  # Wilson 95% for 2 of 4
    assert share["share_high"].iloc[0] == pytest.approx(0.850, abs=0.001)


def test_response_share__by_group_and_month_only_where_there_were_attacks():
    events = make_events(
        {"event_date": "2024-01-06", "weapon": "drone"},
        {"event_date": "2024-03-06"},
        response("2024-01-08", responds_to="log:0"),
        response("2024-04-30"),
    )
    share = response_share(events, by="weapon", freq="M")
    assert share["period_start"].dt.month.tolist() == [1, 3]
    assert share["response_share"].tolist() == [1.0, 0.0]


def test_response_share__bad_confidence_raises_parameter_error():
    with pytest.raises(ParameterError, match="confidence"):
        response_share(make_events({"event_date": "2024-01-06"}), confidence=95)


# ---------------------------------------------------------------- summaries


def test_counts_summary__totals_per_group_of_weekly_series():
    weekly = make_weekly(
        ("2024-01-06", "Iraq", "Anbar", "Air/drone strike", 2),
        ("2024-01-13", "Syria", "Deir ez Zor", "Shelling/artillery/missile attack", 3),
    )
    summary = counts_summary(counts_from_weekly(weekly, by="country")).set_index("country")
    assert summary.loc["Iraq", ["periods", "air_drone_strikes", "shelling_missile_attacks"]].tolist() == [2, 2, 0]
    assert summary.loc["Syria", "periods_with_remote_violence_events"] == 1


def test_counts_summary__keeps_a_count_unknown_in_a_period_unknown():
    counts = event_counts(make_events({"event_date": "2024-01-06"}, {"event_date": "2024-01-13"}))
    counts.loc[0, "partly_intercepted_attacks"] = pd.NA
    summary = counts_summary(counts)
    assert summary[["attacks", "periods_with_attacks"]].iloc[0].tolist() == [2, 2]
    assert pd.isna(summary["partly_intercepted_attacks"].iloc[0])


def test_headline_counts__labels_and_totals():
    events = make_events(
        {"event_date": "2024-01-06", "intercepted": "yes"}, {"event_date": "2024-01-20"}, response("2024-01-21")
    )
    figures = headline_counts(event_counts(events, by="country"))
    assert figures == {"attacks": 2, "responses": 1, "intercepted attacks": 1, "weeks with any attack": "2 of 3"}


def test_counts_notes__mentions_coarse_dated_events():
    events = make_events({"event_date": "2024-01-10", "date_precision": "month"})
    notes = counts_notes(event_counts(events, freq="W"))
    assert any("1 events are dated only to a span" in note for note in notes)


def test_infer_frequency__from_spacing_when_attrs_are_lost():
    weekly = event_counts(make_events({"event_date": "2024-01-06"}, {"event_date": "2024-01-30"}))
    monthly = event_counts(make_events({"event_date": "2024-01-06"}, {"event_date": "2024-03-30"}), freq="M")
    assert (infer_frequency(weekly), infer_frequency(monthly)) == ("W", "M")
    weekly.attrs.clear()
    monthly.attrs.clear()
    assert (infer_frequency(weekly), infer_frequency(monthly)) == ("W", "M")


def test_event_counts__include_convoys_false_leaves_convoy_attacks_out_and_says_so():
    events = make_events(
        {"event_date": "2024-01-06", "target_kind": "convoy"},
        {"event_date": "2024-01-07", "target_kind": "base"},
        response("2024-01-08"),
    )
    with_convoys, without = event_counts(events), event_counts(events, include_convoys=False)
    assert (with_convoys["attacks"].sum(), without["attacks"].sum()) == (2, 1)
    assert (with_convoys["events"].sum(), without["events"].sum(), without["responses"].sum()) == (3, 2, 1)
    assert "convoy attacks (target_kind = convoy, 1) included" in with_convoys.attrs["basis"]
    assert without.attrs["basis"].endswith("convoy attacks (target_kind = convoy) left out: 1")
    assert (with_convoys.attrs["include_convoys"], without.attrs["include_convoys"]) == (True, False)


def test_public_names__exported_lazily():
    assert an.event_counts is event_counts and counts_from_weekly is counts_from_weekly
    assert set(COUNT_COLUMNS) <= set(event_counts(make_events({"event_date": "2024-01-06"})).columns)


def test_event_counts__accepts_event_data():
    events = make_events({"event_date": "2024-01-06"}, response("2024-01-07", responds_to="log:0"))
    data = an.EventData(events=events)
    pd.testing.assert_frame_equal(event_counts(data), event_counts(events))
    assert response_share(data)["answered_attacks"].tolist() == [1]
