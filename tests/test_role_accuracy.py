"""The role rules against the hand-labelled sample (tests/data/README.md): precision and recall >= 0.95 for attack
and response. The synthetic rows always run; the labels of the real ACLED export need ../shared."""

import warnings

import pandas as pd
import pytest

import analysis as an
from analysis.analyses.quality import role_agreement, role_disagreements
from tests.conftest import needs_shared
from tests.factories import ROLE_LABELS_DIR, role_labels

TARGET = 0.95


def events_of(path) -> pd.DataFrame:
    """Load an ACLED export with the shipped reference tables, each row its own event."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the generated file's label and reason columns are not ACLED's
        return an.load_events([path], merge_duplicates=False).events


@pytest.fixture(scope="module")
def generated():
    """The synthetic rows with their labels: (events, labels)."""
    return events_of(ROLE_LABELS_DIR / "role_sample_generated.csv"), role_labels("role_sample_generated.csv")


@pytest.fixture(scope="module")
def fixture_sample():
    """The labelled rows of the shared ACLED export: (events, labels)."""
    path = needs_shared("fixtures", "acled", "acled_syria_battles_2019_2020.csv")
    return events_of(path), role_labels("role_labels_acled_fixture.csv")


@pytest.mark.parametrize("sample", ["generated", "fixture_sample"])
def test_role_agreement__attacks_and_responses_meet_the_targets(sample, request):
    events, labels = request.getfixturevalue(sample)
    scores = role_agreement(events, labels).set_index("role")
    for role in ("attack", "response"):
        precision, recall = scores.loc[role, ["precision", "recall"]]
        assert pd.isna(precision) or precision >= TARGET, (role, precision, role_disagreements(events, labels))
        assert pd.isna(recall) or recall >= TARGET, (role, recall, role_disagreements(events, labels))


def test_role_agreement__generated_sample_figures(generated):
    scores = role_agreement(*generated).set_index("role")
    assert scores.loc["attack", ["labelled", "given", "agreed"]].tolist() == [96, 97, 96]
    assert scores.loc["response", ["labelled", "given", "agreed"]].tolist() == [33, 33, 33]


def test_role_agreement__fixture_sample_figures(fixture_sample):
    scores = role_agreement(*fixture_sample).set_index("role")
    assert scores.loc["attack", ["labelled", "given", "agreed"]].tolist() == [3, 3, 3]
    assert scores.loc["response", ["labelled", "given", "agreed"]].tolist() == [0, 0, 0]
    assert scores.loc["other", "agreed"] == 1163


def test_role_disagreements__name_the_rule_that_decided(generated):
    disagreements = role_disagreements(*generated)
    assert disagreements["event_id"].tolist() == ["acled:GEN0132"]  # a drone on the Iraqi premier's residence
    assert disagreements["role_basis"].iloc[0].startswith("near Union III (0.8 km), initiator unidentified")
