"""Assisted coding: texts in, candidate incident-log rows out (analysis.extract)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import warnings

import pandas as pd
import pytest

import analysis as an
from analysis.cleaning.reference import load_reference
from analysis.cli import main
from analysis.core.errors import InputError
from analysis.extract.candidates import CANDIDATE_COLUMNS, LOG_COLUMNS, extract_events, write_candidates
from analysis.extract.dates import When, find_whens, to_local
from analysis.extract.document import EASTERN, LOCAL, parse_document, read_document
from analysis.extract.places import find_places, gazetteer_for
from analysis.extract.sentences import split_sentences
from tests.conftest import PROJECT_DIR, write_csv

THURSDAY = dt.date(2022, 8, 25)
WH_FRONT_MATTER = "---\ndate: '{date}'\nsource_url: https://www.whitehouse.gov/briefing-room/x/\n---\n"


def rows(text: str, published=THURSDAY, **options) -> pd.DataFrame:
    """Extract candidates from a text without looking for duplicates in the shipped log."""
    return extract_events(text, published=published, log=None, **options)


def one(text: str, published=THURSDAY, **options) -> pd.Series:
    """Extract exactly one candidate from a text."""
    found = rows(text, published, **options)
    assert len(found) == 1, found[["date", "kind", "location"]].to_string()
    return found.iloc[0]


@pytest.fixture(scope="module")
def gazetteer():
    return gazetteer_for(load_reference().places)


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("on Wednesday", dt.date(2022, 8, 24)),
        ("on Thursday", dt.date(2022, 8, 25)),  # the publication day itself
        ("Tuesday", dt.date(2022, 8, 23)),
        ("last Thursday", dt.date(2022, 8, 18)),  # 'last' excludes the publication day
        ("this past Sunday", dt.date(2022, 8, 21)),
        ("yesterday", dt.date(2022, 8, 24)),
        ("three days ago", dt.date(2022, 8, 22)),
        ("August 15", dt.date(2022, 8, 15)),
        ("Dec. 25", dt.date(2021, 12, 25)),  # no year: the latest one on or before publication
        ("February 15, 2021", dt.date(2021, 2, 15)),
        ("15 February", dt.date(2022, 2, 15)),
    ],
)
def test_find_whens__resolves_against_the_publication_date(words, expected):
    found = find_whens(f"Rockets hit the base {words}.", THURSDAY)
    assert [w.day for w in found] == [expected]


def test_find_whens__weekend_is_its_saturday_with_week_precision():
    (when,) = find_whens("There was an attack over the weekend.", dt.date(2024, 1, 24))
    assert (when.day, when.precision) == (dt.date(2024, 1, 20), "week")


def test_find_whens__month_and_year_has_month_precision():
    (when,) = find_whens("As reported in June 2021, strikes were conducted.", dt.date(2021, 12, 7))
    assert (when.day, when.precision, when.is_report) == (dt.date(2021, 6, 1), "month", True)


def test_find_whens__report_dates_and_period_edges_are_not_event_dates():
    found = find_whens(
        "As I reported on October 27, 2023, and November 10, 2023, attacks since October 17, 2023 continued.",
        dt.date(2023, 11, 14),
    )
    assert [(w.day.isoformat(), w.is_report, w.is_bound) for w in found] == [
        ("2023-10-27", True, False),
        ("2023-11-10", True, False),
        ("2023-10-17", False, True),
    ]


def test_find_whens__future_weekday_is_ignored():
    assert find_whens("He will meet them on Tuesday.", THURSDAY) == []


def test_to_local__eastern_clock_time_in_iraq_is_the_next_morning():
    (when,) = find_whens("The strikes began at 8:45 p.m. (EST) on Dec. 25.", dt.date(2023, 12, 27))
    local = to_local(when, "Iraq", EASTERN, dt.date(2023, 12, 27))
    assert (local.date, local.local_time, local.rule) == (
        dt.date(2023, 12, 26),
        dt.time(4, 45),
        "eastern_time_converted",
    )
    assert "20:45 US Eastern on 25 Dec 2023 is 04:45 on 26 Dec 2023 local (UTC+3)" in local.basis


def test_to_local__syria_was_utc_plus_two_in_winters_before_november_2022():
    when = When(0, 0, "8:45 p.m. EST", dt.date(2021, 12, 25), clock=dt.time(20, 45), zone="eastern")
    before = to_local(when, "Syria", EASTERN, dt.date(2021, 12, 27))
    after = to_local(
        when.__class__(0, 0, "x", dt.date(2023, 12, 25), clock=dt.time(20, 45)), "Syria", EASTERN, THURSDAY
    )
    assert (before.date, before.local_time) == (dt.date(2021, 12, 26), dt.time(3, 45))
    assert (after.date, after.local_time) == (dt.date(2023, 12, 26), dt.time(4, 45))


def test_to_local__washington_night_is_the_next_local_day():
    (when,) = find_whens("On the night of November 21, 2023, US forces conducted strikes.", dt.date(2023, 11, 22))
    local = to_local(when, "Iraq", EASTERN, dt.date(2023, 11, 22))
    assert (local.date, local.rule) == (dt.date(2023, 11, 22), "eastern_time_converted")


def test_to_local__local_writer_keeps_the_night_on_its_day():
    (when,) = find_whens("Militants fired rockets Wednesday night.", THURSDAY)
    assert to_local(when, "Syria", LOCAL, THURSDAY).date == dt.date(2022, 8, 24)


def test_extract_events__last_night_in_a_washington_text_is_the_publication_day():
    text = (
        WH_FRONT_MATTER.format(date="2024-01-28")
        + "Last night, three U.S. service members were killed during a drone attack on our forces stationed in northeast Jordan."
    )
    row = one(text, published=dt.date(2024, 1, 28))
    assert (row["date"], row["location"], row["country"], row["us_killed"]) == (
        "2024-01-28",
        "northeast Jordan",
        "Jordan",
        "three [The White House]",
    )
    assert "already 28 Jan 2024 in the region" in row["date_basis"]


def test_extract_events__early_friday_middle_eastern_time_is_local():
    row = one(
        "The U.S. air strikes, which took place early on Friday Middle Eastern time, hit militia sites in eastern Syria.",
        published=dt.date(2021, 2, 26),
        writer_zone=EASTERN,
    )
    assert (row["date"], row["kind"], row["location"]) == ("2021-02-26", "response", "Eastern Syria")


def test_extract_events__earlier_in_the_day_takes_the_date_of_the_event_before():
    found = rows(
        "On Wednesday night, a drone was intercepted near Ain al-Asad. "
        "Earlier in the day, rockets were launched towards Mission Support Site Conoco."
    )
    assert found[["date", "location", "weapon"]].values.tolist() == [
        ["2022-08-24", "Al-Asad Air Base", "drone"],
        ["2022-08-24", "MSS Conoco", "rocket"],
    ]
    assert found["date_basis"].iloc[1] == (
        "'Earlier in the day' (text published Thu 25 Aug 2022): 24 Aug 2022; "
        "dated by the event before it ('On Wednesday night')"
    )


def test_extract_events__unsettled_date_gets_week_precision_and_says_why():
    text = (
        WH_FRONT_MATTER.format(date="2024-02-04")
        + "In response to attacks since my prior report, United States forces have conducted discrete strikes "
        "against facilities in Syria."
    )
    row = one(text, published=dt.date(2024, 2, 4))
    assert (row["date"], row["date_precision"]) == ("2024-02-04", "week")
    assert row["date_basis"] == (
        "'since my prior report' (text published Sun 04 Feb 2024): known only to the week; coded to 04 Feb 2024 "
        "with week precision; the text gives no day of its own"
    )


def test_extract_events__recap_is_coded_to_the_week_of_its_report():
    found = rows(
        "As I reported on October 27, 2023, and November 10, 2023, United States forces conducted targeted "
        "strikes against facilities in eastern Syria.",
        published=dt.date(2023, 11, 14),
    )
    assert found[["date", "date_precision", "location"]].values.tolist() == [
        ["2023-10-27", "week", "Eastern Syria"],
        ["2023-11-10", "week", "Eastern Syria"],
    ]


# ---------------------------------------------------------------- places


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Rockets landed in Mission Support Site Conoco.", "MSS Conoco"),
        ("Rockets landed at MSS Conoco.", "MSS Conoco"),
        ("Rockets landed near the Conoco gas field.", "MSS Conoco"),
        ("A drone was downed near Ain al-Asad.", "Al-Asad Air Base"),
        ("A drone was downed near al-Asad.", "Al-Asad Air Base"),
        ("A drone was downed near Al Asad.", "Al-Asad Air Base"),
        ("Strikes hit Deir ez-Zor.", "Deir ez-Zor Governorate"),
        ("Strikes hit Deir Ezzor.", "Deir ez-Zor Governorate"),
        ("Strikes hit Deir el-Zour.", "Deir ez-Zor Governorate"),
        ("A drone was downed near Ain al-Assadd Airbase.", "Al-Asad Air Base"),  # a near miss, by rapidfuzz
    ],
)
def test_find_places__spellings_resolve_to_the_gazetteer_name(gazetteer, text, name):
    assert [p.name for p in find_places(text, gazetteer)] == [name]


def test_find_places__unknown_places_are_kept_as_written(gazetteer):
    found = find_places("An attack in northern Iraq and another in Karbala, Iraq.", gazetteer)
    assert [(p.name, p.country, p.is_known) for p in found] == [
        ("northern Iraq", "Iraq", False),
        ("Karbala", "Iraq", False),
    ]


def test_find_places__organisation_names_and_datelines_are_not_places(gazetteer):
    text = "ERBIL (Kurdistan 24) – the Islamic State of Iraq and Syria struck near the Syria border."
    assert find_places(text, gazetteer) == []


# ---------------------------------------------------------------- kinds, links


def test_extract_events__militia_fire_is_an_attack_and_a_us_strike_a_response():
    found = rows(
        "On Wednesday, Iran-backed militants fired rockets at Mission Support Site Green Village. "
        "On Thursday, U.S. forces struck militia facilities in Deir ez-Zor."
    )
    assert found[["kind", "location", "target"]].values.tolist() == [
        ["attack", "MSS Green Village", "US forces"],
        ["response", "Deir ez-Zor Governorate", ""],
    ]


def test_extract_events__responded_to_attacks_at_two_sites_gives_attacks_and_a_linked_response():
    found = rows(
        "US forces on Wednesday responded to rocket attacks by Iran-backed groups at two sites in Deir ez-Zor, "
        "Syria, destroying three vehicles. The attacks began at approximately 7:20 p.m. local time when several "
        "rockets landed inside the perimeter of Mission Support Site Conoco. Shortly after, additional rockets "
        "landed in the vicinity of Mission Support Site Green Village."
    )
    assert found[["id", "kind", "location", "local_time", "munitions", "responds_to"]].values.tolist() == [
        ["2022-08-24-a", "response", "Deir ez-Zor Governorate", "", "", "2022-08-24-b;2022-08-24-c"],
        ["2022-08-24-b", "attack", "MSS Conoco", "19:20", "several", ""],
        ["2022-08-24-c", "attack", "MSS Green Village", "", "", ""],
    ]
    assert "destroyed: three vehicles" in found["notes"].iloc[0]


def test_extract_events__totals_and_hypotheticals_are_not_events():
    text = (
        "Since October 17, 2023, these militia groups have conducted numerous attacks in Iraq and Syria. "
        "The United States will strike again in Syria if attacks continue on Tuesday."
    )
    assert rows(text).empty


def test_extract_events__an_iranian_missile_attack_is_other():
    row = one("On Wednesday, an Iranian ballistic missile attack hit the Ain al-Asad airbase.")
    assert (row["kind"], row["location"]) == ("other", "Al-Asad Air Base")


# ---------------------------------------------------------------- counts and casualties


def test_extract_events__casualties_in_words_with_the_claimant_the_text_gives():
    row = one(
        "On Wednesday U.S. forces struck militants in Deir ez-Zor. “Initial assessments indicate that two or three "
        "suspected Iran-backed militants were killed,” US Central Command said in a press release."
    )
    assert row["militia_killed"] == "two or three [US Central Command]"


def test_extract_events__at_least_and_digits_and_a_soldier_briefly_injured():
    found = rows(
        "At least four militants were killed on Thursday when U.S. forces struck targets in Syria, officials said. "
        "On Wednesday, eight rockets landed inside Mission Support Site Conoco. In Conoco, one US soldier was "
        "briefly injured."
    )
    response, attack = found.iloc[0], found.iloc[1]
    assert response["militia_killed"] == "at least four [officials]"
    assert (attack["munitions"], attack["us_wounded"]) == ("eight", "one")


def test_extract_events__casualty_figures_of_one_attack_are_added_up():
    row = one(
        "On February 15, 2021, an attack in Erbil, Iraq, wounded one United States service member, wounded four "
        "United States contractors, and killed one Filipino contractor.",
        published=dt.date(2021, 2, 27),
    )
    assert (row["us_wounded"], row["coalition_killed"]) == ("5", "one")


def test_extract_events__white_house_figures_are_claimed_by_the_white_house():
    text = (
        WH_FRONT_MATTER.format(date="2023-12-25")
        + "Early this morning in northern Iraq, U.S. military personnel were targeted by a one-way attack drone. "
        "The attack wounded three U.S. service-members, one critically. Kataib Hezbollah claimed credit for the attack."
    )
    row = one(text, published=dt.date(2023, 12, 25))
    assert (row["date"], row["location"], row["us_wounded"], row["claimed_by"], row["munitions"]) == (
        "2023-12-25",
        "northern Iraq",
        "three [The White House]",
        "Kataib Hezbollah",
        "one",
    )


# ---------------------------------------------------------------- negation and hedging


def test_extract_events__no_casualties_reported_is_zero_not_blank():
    row = one(
        "On Wednesday, rockets landed inside the Green Village, which hosts coalition advisers. No casualties were reported."
    )
    assert (row["coalition_killed"], row["coalition_wounded"]) == ("0", "0")


def test_extract_events__an_unconfirmed_toll_is_noted_and_lowers_confidence():
    found = rows(
        "On Friday, U.S. strikes hit militia sites in eastern Syria. Local sources said at least 17 people had been "
        "killed in the strikes. That toll could not be confirmed.",
        published=dt.date(2021, 2, 26),
    )
    row = found.iloc[0]
    assert row["unknown_killed"] == "at least 17 [Local sources]"
    assert "casualty figures not confirmed in the text: could not be confirmed" in row["notes"]
    assert row["confidence"] == "0.70"  # 0.8 for a day-dated strike in a province, less 0.1 for the doubtful toll


def test_extract_events__a_denial_is_noted_and_not_a_claim():
    row = one(
        "On Wednesday, rockets hit Erbil Air Base. Kataib Hezbollah has denied any involvement in the attack.",
        published=dt.date(2021, 2, 18),
    )
    assert row["claimed_by"] == ""
    assert "Kataib Hezbollah has denied any involvement in the attack" in row["notes"]


def test_extract_events__a_negated_attack_is_not_an_event():
    assert rows("On Sunday there was no attack on Mission Support Site Conoco.").empty


# ---------------------------------------------------------------- documents


def test_parse_document__markdown_front_matter_gives_date_and_washington_zone():
    document = parse_document(WH_FRONT_MATTER.format(date="2023-11-10") + "See [the letter](https://x.y/z) **now**.")
    assert (document.published, document.writer_zone, document.text.strip()) == (
        dt.date(2023, 11, 10),
        EASTERN,
        "See the letter now.",
    )
    assert document.source.startswith("The White House, 2023-11-10")


def test_parse_document__html_meta_date_and_visible_text_only():
    page = (
        '<html><head><title>Rockets hit base</title><meta property="article:published_time" '
        'content="2022-01-05T18:00:00Z"><script>var x = "Tuesday";</script></head>'
        "<body><p>On Wednesday rockets landed at Green Village.</p></body></html>"
    )
    document = parse_document(page)
    assert document.published == dt.date(2022, 1, 5)
    assert document.text == "Rockets hit base\n\nOn Wednesday rockets landed at Green Village."


def test_parse_document__date_line_near_the_top():
    document = parse_document("Rockets hit base\nPublished: January 5, 2022\n\nOn Wednesday rockets landed.")
    assert (document.published, document.writer_zone) == (dt.date(2022, 1, 5), LOCAL)


def test_parse_document__wire_dateline_dates_the_text_and_is_not_read_as_an_event():
    story = (
        "Made-up story\n\nBAGHDAD, March 14, 2024 (Made-Up Wire) - Two rockets struck Ain al-Asad air base on Tuesday."
    )
    document = parse_document(story)
    assert document.published == dt.date(2024, 3, 14)
    assert "BAGHDAD" not in document.text and len(document.text) == len(story)  # blanked in place: offsets hold
    candidates = rows(document.text, published=document.published)
    assert candidates[["date", "location", "kind"]].values.tolist() == [["2024-03-12", "Al-Asad Air Base", "attack"]]


def test_read_document__refuses_a_text_without_a_publication_date(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("On Wednesday rockets landed at Conoco.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"article.txt: has no publication date .* pass --published YYYY-MM-DD"):
        read_document(path)


def test_split_sentences__keeps_abbreviations_and_offsets():
    text = "U.S. forces struck at 8 p.m. on Dec. 25. Two died.\n\n- First item\n- Second item"
    found = split_sentences(text)
    assert [(s.text, s.start, s.paragraph) for s in found] == [
        ("U.S. forces struck at 8 p.m. on Dec. 25.", 0, 0),
        ("Two died.", 41, 0),
        ("- First item", 52, 1),
        ("- Second item", 65, 2),
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


# ---------------------------------------------------------------- output: columns, evidence, the log reader


def test_extract_events__columns_are_the_log_columns_plus_review_columns():
    found = rows("On Wednesday, rockets landed inside Mission Support Site Conoco.")
    assert list(found.columns) == CANDIDATE_COLUMNS
    assert found.columns[-3:].tolist() == ["evidence", "confidence", "matches"]


def test_extract_events__evidence_quotes_each_sentence_with_its_offsets():
    text = "Rockets were fired. On Wednesday, rockets landed inside Mission Support Site Conoco."
    row = one(text)
    assert (
        row["evidence"]
        == '[20:84] (kind, date, location) "On Wednesday, rockets landed inside Mission Support Site Conoco."'
    )
    assert text[20:84] == "On Wednesday, rockets landed inside Mission Support Site Conoco."


@pytest.mark.parametrize("keep_review_columns", [True, False])
def test_write_candidates__accepted_rows_pass_the_incident_log_reader_unchanged(tmp_path, keep_review_columns):
    text = (
        "US forces on Wednesday responded to rocket attacks by Iran-backed groups at two sites in Deir ez-Zor, "
        "Syria. “Two or three suspected militants were killed,” US Central Command said. The attacks began at "
        "7:20 p.m. local time when several rockets landed inside Mission Support Site Conoco. In Conoco, one US "
        "soldier was briefly injured. Shortly after, additional rockets landed in the vicinity of Mission Support "
        "Site Green Village. A drone was intercepted over northern Iraq on Tuesday."
    )
    found = rows(text, source="Kurdistan 24, 2022-08-25, US forces again respond")
    path = tmp_path / "candidates.csv"
    write_candidates(found if keep_review_columns else found[LOG_COLUMNS], path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the review columns are reported as ignored
        data = an.load_events([path])
    assert len(found) == 4
    assert len(data.quarantine) == 0
    assert sorted(data.events["event_id"]) == sorted("log:" + found["id"])
    assert data.casualties[["side", "outcome", "low", "high", "claimant"]].values.tolist() == [
        ["militia", "killed", 2, 3, "US Central Command"],
        ["us", "wounded", 1, 1, "Kurdistan 24"],
    ]


def test_extract_events__matches_name_the_log_events_it_probably_duplicates(tmp_path):
    log = write_csv(
        tmp_path / "log.csv",
        [
            ["id", "date", "country", "location", "kind", "source"],
            ["2022-08-24-a", "2022-08-24", "Syria", "Mission Support Site Conoco", "attack", "CENTCOM"],
            ["2022-08-25-a", "2022-08-25", "Syria", "Conoco", "attack", "CENTCOM"],
            ["2022-08-24-b", "2022-08-24", "Syria", "MSS Green Village", "attack", "CENTCOM"],
            ["2022-08-24-c", "2022-08-24", "Syria", "Conoco", "response", "CENTCOM"],
            ["2022-08-27-a", "2022-08-27", "Syria", "Conoco", "attack", "CENTCOM"],
        ],
    )
    events = an.load_events([log]).events
    row = extract_events(
        "On Wednesday, rockets landed inside Mission Support Site Conoco.", published=THURSDAY, log=events
    ).iloc[0]
    assert row["matches"] == "2022-08-24-a;2022-08-25-a"


# ---------------------------------------------------------------- command line


def test_cli_extract__writes_candidates_from_a_file(tmp_path, capsys):
    source = tmp_path / "article.md"
    source.write_text(
        "# Rockets\n\nDate: 2022-08-25\n\nOn Wednesday, rockets landed inside MSS Conoco.\n", encoding="utf-8"
    )
    out = tmp_path / "candidates.csv"
    status = main(["extract", str(source), "--out", str(out), "--no-matches"])
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert status == 0
    assert frame[["id", "location", "kind"]].values.tolist() == [["2022-08-24-a", "MSS Conoco", "attack"]]
    assert "1 candidate events from 1 file(s)" in capsys.readouterr().err


def test_cli_extract__refuses_a_file_without_a_date_with_exit_status_2(tmp_path):
    source = tmp_path / "article.txt"
    source.write_text("On Wednesday, rockets landed inside MSS Conoco.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "extract", str(source)], capture_output=True, text=True, cwd=PROJECT_DIR
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {source}: has no publication date")
    assert "Traceback" not in result.stderr


def test_cli_extract__published_overrides_and_is_checked(tmp_path, capsys):
    source = tmp_path / "article.txt"
    source.write_text("On Wednesday, rockets landed inside MSS Conoco.\n", encoding="utf-8")
    assert main(["extract", str(source), "--published", "2022-01-06", "--no-matches"]) == 0
    assert "2022-01-05-a,2022-01-05,day" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main(["extract", str(source), "--published", "06/01/2022"])
    assert refused.value.code == 2
    assert "'06/01/2022' is not a date written as YYYY-MM-DD" in capsys.readouterr().err


# ---------------------------------------------------------------- evaluation


def test_place_key__gold_and_candidate_spellings_of_one_place_agree():
    from analysis.extract.evaluation import place_key

    reference = load_reference()
    assert place_key("Bashur Air Base", reference) == place_key("Harir Air Base", reference) == "harirairbase"
    assert place_key("northeast Jordan", reference) == "northeastjordan"  # not in the gazetteer: as written


def test_casualty_claims_key__compares_counts_and_claimants_not_spelling():
    from analysis.extract.evaluation import casualty_claims_key

    assert casualty_claims_key("two or three [US Central Command]") == casualty_claims_key("2-3 [US central command]")
    assert casualty_claims_key("at least 1 [militia official]") != casualty_claims_key("1 [militia official]")
    assert casualty_claims_key("") == frozenset()


def test_align__exact_matches_first_then_near_ones_then_the_rest_alone():
    from analysis.extract.evaluation import align

    gold = pd.DataFrame(
        {
            "date": ["2022-08-24", "2022-08-23", "2022-08-20"],
            "kind": ["attack", "response", "attack"],
            "place": ["Mission Support Site Conoco", "Eastern Syria", "Erbil"],
            "country": ["Syria", "Syria", "Iraq"],
        }
    )
    candidates = pd.DataFrame(
        {
            "date": ["2022-08-22", "2022-08-24", "2022-08-01"],
            "kind": ["response", "attack", "attack"],
            "location": ["Eastern Syria", "MSS Conoco", "Al-Asad Air Base"],
            "country": ["Syria", "Syria", "Iraq"],
        }
    )
    assert align(gold, candidates, load_reference()) == [
        (0, 1, "exact"),
        (1, 0, "near"),
        (2, None, "missed"),
        (None, 2, "extra"),
    ]


def test_read_document__plain_text_offsets_point_into_the_file(tmp_path):
    path = tmp_path / "article.txt"
    raw = "Rockets *hit* [Conoco](x)\n\nOn Wednesday, rockets landed inside Mission Support Site Conoco.\n"
    path.write_text(raw, encoding="utf-8")
    document = read_document(path, published=THURSDAY)
    (sentence,) = [s for s in split_sentences(document.text) if "Wednesday" in s.text]
    assert document.text == raw
    assert raw[sentence.start : sentence.end] == sentence.text
