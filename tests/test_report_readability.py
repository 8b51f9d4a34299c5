"""What a first reader of the HTML reports stumbled on, one test per fix: coverage caveats, tables in words,
legends that match the markers, sentences that read, and figures that agree across pages."""

import re

import nbformat
import pandas as pd
import pytest

import analysis as an
from analysis.analyses.response_times import late_explicit_answers
from analysis.analyses.survival import group_words
from analysis.present import overview
from analysis.present.casualties import claim_coverage_text, format_tally
from analysis.present.lags import pairing_summary, pairs_table, summarise_time_to_response, time_to_response_table
from analysis.present.maps import event_map
from analysis.present.quality import coverage_caveats, response_share_caveat
from analysis.present.trends import counts_figure
from tests.conftest import PROJECT_DIR
from tests.factories import attack, make_events, response


def log_events(**columns) -> pd.DataFrame:
    """Return a tiny incident-log event table (two attacks, one strike) with the columns the caveats read."""
    base = {
        "event_id": ["a", "b", "r"],
        "role": ["attack", "attack", "response"],
        "source": ["incident_log"] * 3,
        "source_file": ["my_log.csv"] * 3,
        "event_date": pd.to_datetime(["2022-03-01", "2022-06-01", "2022-06-02"]),
        "date_precision": ["month", "day", "day"],
    }
    base.update(columns)
    return pd.DataFrame(base)


# ---------------------------------------------------------------- coverage caveats


def test_coverage_caveats__an_incident_log_is_not_a_complete_count():
    notes = coverage_caveats(log_events(), "2022-03-01", "2022-06-30")
    assert len(notes) == 1 and notes[0].startswith("The incident log is not a complete count of attacks")


def test_coverage_caveats__the_shipped_log_says_what_its_sources_leave_out():
    notes = coverage_caveats(log_events(source_file=["data/raw/incidents.csv"] * 3))
    assert any("a floor, not a total" in note and "2019-2022" in note for note in notes)


def test_coverage_caveats__selection_reaching_past_the_data_is_not_called_quiet():
    notes = coverage_caveats(log_events(source=["acled"] * 3), "2019-01-01", "2022-12-31")
    assert notes[0].startswith(
        "The selection starts on 2019-01-01, but the first event in the data is dated March 2022"
    )
    assert "not the same as quiet" in notes[0]
    assert notes[1].startswith("The selection ends on 2022-12-31, but the last event in the data is dated 2022-06-02")
    assert coverage_caveats(log_events(source=["acled"] * 3), "2022-02-15", "2022-06-30") == []  # within a month


def test_response_share_caveat__only_for_incident_logs():
    assert response_share_caveat(log_events(source=["acled"] * 3)) == ""
    assert "too high" in response_share_caveat(log_events())
    shipped = response_share_caveat(log_events(source_file=["data/raw/incidents.csv"] * 3))
    assert "announce the US strikes" in shipped and "over-represented" in shipped


# ---------------------------------------------------------------- dates, legends and labels


def test_headline_figures__first_event_as_exactly_as_it_is_known():
    figures = overview.headline_figures(log_events(country=["Iraq"] * 3, site=[None] * 3))
    assert figures["first event"] == "March 2022" and figures["last event"] == "2022-06-02"


def test_timeline_figure__legend_shows_a_full_marker_when_the_first_event_is_coarsely_dated():
    events = log_events(
        country=["Iraq"] * 3, location=["Baghdad"] * 3, initiator=[None] * 3, target=[None] * 3, weapon=[None] * 3
    )
    attacks = next(t for t in overview.timeline_figure(events).data if t.name.startswith("Attacks"))
    assert list(attacks.marker.symbol) == ["circle", "circle-open"]  # plotly draws the legend from the first


def test_event_map__legend_shows_a_full_marker_and_labels_sit_under_the_markers():
    events = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "event_date": pd.to_datetime(["2024-01-02", "2024-01-05"]),
            "country": ["Syria"] * 2,
            "location": ["Deir ez-Zor", "Conoco"],
            "site": [None, "MSS Conoco"],
            "role": ["attack", "attack"],
            "latitude": pd.array([35.0, 35.4], dtype="Float64"),
            "longitude": pd.array([38.5, 40.4], dtype="Float64"),
            "geo_precision": pd.array([3, 1], dtype="Int64"),
        }
    )
    figure = event_map(events, ["Syria"])
    markers = [t for t in figure.data if t.mode == "markers"]
    assert list(markers[0].marker.symbol) == ["circle", "circle-open"]
    positions = {t.mode: number for number, t in enumerate(figure.data) if t.mode in ("text", "markers")}
    assert positions["text"] < positions["markers"]  # a marker at a country's centre is not hidden by its name


def test_group_words__sentences_say_us_casualties_not_the_column_name():
    assert group_words("has_us_casualties") == "US casualties" and group_words("period") == "period"


# ---------------------------------------------------------------- lag tables a reader can take in


def test_pairs_table__words_and_the_lag_range_in_one_column():
    events = make_events(
        attack("a", "2024-01-20", date_precision="week", site="Al-Asad Air Base", location="Ain al-Asad"),
        response("r", "2024-01-23", responds_to="a", location="Al-Qaim"),
    )
    table = pairs_table(an.pair_attacks_responses(events))
    assert list(table.columns) == [
        "attack",
        "attack date",
        "attack site",
        "attack place",
        "attack country",
        "response",
        "response date",
        "response place",
        "response country",
        "link",
        "days",
    ]  # no hours: none known; "site" is the base, "place" the location, on both sides alike
    assert table.iloc[0].tolist() == [
        "a",
        "2024-01-20",
        "Al-Asad Air Base",
        "Ain al-Asad",
        "Syria",
        "r",
        "2024-01-23",
        "Al-Qaim",
        "Syria",
        "explicit",
        "3 (0 to 6)",
    ]


def test_time_to_response_table__outcome_in_words():
    events = make_events(
        attack("a", "2024-01-01"),
        response("r", "2024-01-04", responds_to="a"),
        attack("b", "2024-02-01"),
        attack("c", "2024-03-20"),
        response("s", "2024-03-22"),
    )
    ttr = an.time_to_response(events, horizon_days=30, window_days=1)
    table = time_to_response_table(ttr)
    assert table["outcome"].tolist() == ["answered", "no response within 30 days", "still open when the data ends"]
    assert table["days to response"].tolist() == ["3", "", ""]
    assert "horizon_days" not in table and "is_answered" not in table


def test_summarise_time_to_response__names_attacks_a_source_ties_to_a_late_strike():
    events = make_events(
        attack("a", "2024-01-01"),
        attack("b", "2024-01-10"),
        response("r", "2024-03-01", responds_to="a;b"),
        response("s", "2024-06-01"),
    )
    pairs = an.pair_attacks_responses(events, window_days=1)
    ttr = an.time_to_response(events, horizon_days=30, pairs=pairs)
    assert late_explicit_answers(ttr, pairs)["days_to_response"].tolist() == [60, 51]
    text = summarise_time_to_response(ttr, pairs)
    assert (
        "Of the attacks not answered within 30 days, 2 are tied by a source to a strike that came later "
        "(51 to 60 days after the attack)"
    ) in text
    assert "tied by a source" not in summarise_time_to_response(ttr)  # without pairs: as before


def test_pairing_summary__plural_reads():
    events = make_events(
        attack("a", "2024-01-01"),
        attack("b", "2024-01-02"),
        response("r", "2024-01-03", responds_to="a"),
        response("s", "2024-01-04", responds_to="b"),
    )
    text = pairing_summary(events, an.pair_attacks_responses(events))
    assert text.startswith("Of 2 responses, 2 are tied by a source to the attacks they answer;")


# ---------------------------------------------------------------- casualties in words


def test_format_tally__sides_as_readers_write_them():
    from tests.factories import CONTESTED, make_data

    shown = format_tally(an.casualty_views(make_data(CONTESTED)))
    assert set(shown["side"]) == {"US", "militia"}
    deadliest = an.deadliest_incidents(make_data(CONTESTED), n=3, outcome="wounded")
    assert deadliest["claims"].iloc[0].startswith("us: ") and deadliest["sides"].iloc[0] == "us"  # the data's own codes
    shown = format_tally(deadliest)
    assert shown["claims"].iloc[0].startswith("US: ") and shown["sides"].iloc[0] == "US"


def test_claim_coverage_text__counts_agree_in_number():
    text = claim_coverage_text(
        {
            "events": 11,
            "events_with_claims": 4,
            "claims": 12,
            "claimants": 5,
            "excluded_claims": 0,
            "disputed_cells": 2,
            "incident_cells": 10,
            "open_ended_claims": 1,
        }
    )
    assert "1 claim gives no upper bound" in text and "1 claims" not in text
    assert "left out" not in text  # nothing excluded: no "(0 further claims left out)"


# ---------------------------------------------------------------- charts that draw


def test_counts_figure__many_weeks_still_show_their_bars():
    counts = an.event_counts(
        make_events(attack("a", "2019-01-05"), response("r", "2024-06-01")),
        freq="W",
        start="2019-01-01",
        end="2024-12-31",
    )
    figure = counts_figure(counts)
    bars = [t for t in figure.data if t.type == "bar"]
    assert all(t.marker.line.width == 0 for t in bars)  # the template's white outline would hide 3-pixel bars
    assert figure.layout.bargap == 0 and figure.layout.yaxis.dtick == 1  # whole events on the count axis
    assert [t.marker.color for t in bars] == ["#c0392b", "#1f5fa8"]  # the overview's attack and strike colours


# ---------------------------------------------------------------- the pages as a whole

NOTEBOOKS = ("overview", "data_quality", "lags", "casualties", "trends")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook__one_title_the_header_s(name):
    notebook = nbformat.read(PROJECT_DIR / "notebooks" / f"{name}.ipynb", as_version=4)
    titles = [c.source for c in notebook.cells if c.cell_type == "markdown" and re.match(r"#\s", c.source)]
    assert titles == [], f"{name}: a markdown title repeats the one show_header prints"


@pytest.fixture(scope="module")
def shipped_built(shipped_processed_dir):
    """The shipped log, built into a tmp folder (tests/conftest.py)."""
    return shipped_processed_dir


@pytest.mark.notebooks
@pytest.mark.parametrize("name", ["overview", "data_quality"])
def test_notebook__shipped_log_page_reads_cleanly(name, shipped_built, tmp_path):
    import papermill

    output = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(
        str(PROJECT_DIR / "notebooks" / f"{name}.ipynb"),
        str(output),
        parameters={"data": str(shipped_built)},
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    shown = "\n".join(
        out["data"]["text/html"]
        for cell in nbformat.read(output, as_version=4).cells
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    )
    for marker in ("&lt;NA&gt;", ">nan<", ">NaT<", ">None<"):
        assert marker not in shown, marker
    assert shown.count("<h1>") == 1
    assert "not a complete count of attacks" in shown and "a floor, not a total" in shown
    assert "first event in the data is dated 2019-05-19" in shown  # the 2019 default start is not called quiet


def test_coverage_caveats__shipped_log_sentence_agrees_with_the_data_readme():
    from analysis.present.quality import SHIPPED_LOG_COVERAGE

    readme = " ".join((PROJECT_DIR / "data" / "raw" / "README.md").read_text().split())
    for claim in ("How much of the record it holds", "a floor, not a total"):
        assert claim in readme and claim in SHIPPED_LOG_COVERAGE, claim
