"""Unit tests for 'did you mean' suggestions on names the reference tables do not know."""

import pandas as pd

from analysis.cleaning.suggestions import closest_name
from tests.conftest import log_row


def test_load_events__unknown_names_carry_the_closest_known_name(load_log):
    data = load_log([log_row(location="Conocco", actor="Kataib Hezbolah", weapon="rokets"),
                     log_row(id="2022-08-24-b", location="Paris Hilton Hotel")])  # fmt: skip
    suggestions = dict(zip(data.unknown_names["value"], data.unknown_names["suggestion"]))
    assert suggestions["Conocco"] == "MSS Conoco"
    assert suggestions["Kataib Hezbolah"] == "Kata'ib Hizballah"
    assert suggestions["rokets"] == "rocket"
    assert pd.isna(suggestions["Paris Hilton Hotel"])  # nothing close: no guess
    assert data.events["location"].tolist() == ["Conocco", "Paris Hilton Hotel"]  # kept as written, never replaced


def test_closest_name__refuses_a_weak_match():
    places = pd.DataFrame({"name": ["Tower 22", "MSS Conoco"]}, index=["tower22", "mssconoco"])
    assert closest_name("Towr 22", places, "name") == "Tower 22"
    assert closest_name("Baghdad", places, "name") is None
