"""Execute the trends notebook with papermill on the shipped log (built into a tmp folder) and on a synthetic
ACLED weekly sample, with non-default parameters; check that what it shows matches the package's functions."""

import html
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

import analysis as an
from analysis.analyses.counts import counts_from_weekly
from tests.conftest import PROJECT_DIR
from tests.factories import WEEKLY_HEADER

pytestmark = pytest.mark.notebooks

NOTEBOOK = PROJECT_DIR / "notebooks" / "trends.ipynb"
SAMPLE = PROJECT_DIR / "tests" / "data" / "acled_weekly_sample.csv"

# ---------------------------------------------------------------- the synthetic ACLED weekly sample

SAMPLE_ADMIN1 = [  # country, admin1, id, centroid latitude, longitude, activity scale
    ("Iraq", "Al Anbar", 1001, 32.89, 42.01, 1.0),
    ("Iraq", "Erbil", 1002, 36.35, 44.18, 0.6),
    ("Iraq", "Baghdad", 1003, 33.32, 44.40, 0.8),
    ("Syria", "Deir ez Zor", 2001, 35.13, 40.43, 1.2),
    ("Syria", "Al Hasakeh", 2002, 36.58, 40.75, 0.7),
    ("Jordan", "Mafraq", 3001, 32.45, 37.59, 0.15),
]
SAMPLE_SUB_EVENTS = [  # disorder type, event type, sub-event type, weekly rate, rate multiplier in the surge
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack", 0.5, 5.0),
    ("Political violence", "Explosions/Remote violence", "Air/drone strike", 0.25, 3.0),
    ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED", 0.3, 1.0),
    ("Strategic developments", "Strategic developments", "Disrupted weapons use", 0.1, 6.0),
    ("Political violence", "Battles", "Armed clash", 0.4, 1.0),
    ("Demonstrations", "Protests", "Peaceful protest", 0.5, 1.5),
]
SURGE_WEEKS = ("2023-10-14", "2024-01-27")  # Saturdays of the first and last week of the synthetic surge


def acled_weekly_sample(seed: int = 2024) -> pd.DataFrame:
    """Make a synthetic table in ACLED's weekly-aggregate layout (never real ACLED data): 2022-01 to 2024-06."""
    rng = np.random.default_rng(seed)
    weeks = pd.date_range("2022-01-01", "2024-06-29", freq="7D")
    surge = (weeks >= SURGE_WEEKS[0]) & (weeks <= SURGE_WEEKS[1])
    rows = []
    for country, admin1, admin1_id, latitude, longitude, scale in SAMPLE_ADMIN1:
        for disorder, event_type, sub_event, rate, multiplier in SAMPLE_SUB_EVENTS:
            events = rng.poisson(rate * scale * np.where(surge, multiplier, 1.0))
            for week, count in zip(weeks, events):
                if count:
                    rows.append(
                        [
                            week.strftime("%Y-%m-%d"),
                            "Middle East",
                            country,
                            admin1,
                            event_type,
                            sub_event,
                            int(count),
                            int(rng.poisson(0.3 * count)) if disorder == "Political violence" else 0,
                            int(rng.integers(1_000, 60_000)),
                            disorder,
                            admin1_id,
                            latitude,
                            longitude,
                        ]
                    )
    table = pd.DataFrame(rows, columns=WEEKLY_HEADER)
    return table.sort_values(["WEEK", "COUNTRY", "ADMIN1", "SUB_EVENT_TYPE"], kind="stable")


def test_acled_weekly_sample__is_what_its_generator_makes():
    """Regenerate with: acled_weekly_sample().to_csv(SAMPLE, index=False, lineterminator="\\n")."""
    expected = acled_weekly_sample().to_csv(index=False, lineterminator="\n")
    assert SAMPLE.read_text(encoding="utf-8") == expected


# ---------------------------------------------------------------- running the notebook


def run_notebook(parameters: dict, tmp_path_factory):
    """Execute the notebook with papermill in a tmp folder and return the executed notebook."""
    import papermill

    output = tmp_path_factory.mktemp("run") / "trends.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(tmp_path_factory.mktemp("cwd")),
        progress_bar=False,
    )
    return nbformat.read(output, as_version=4)


def html_outputs(notebook) -> list[str]:
    """Return every text/html output of the executed notebook, in order."""
    return [
        output["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]


def page_text(notebook) -> str:
    """Return the notebook's HTML outputs as one unescaped string."""
    return html.unescape("\n".join(html_outputs(notebook)))


def table_with_caption(notebook, caption: str) -> list[list[str]]:
    """Read the body rows of the table shown with the given caption."""
    for shown in html_outputs(notebook):
        if "data-table" in shown and f"<strong>{html.escape(caption)}</strong>" in shown:
            body = shown.split("<tbody>")[1]
            return [
                [html.unescape(c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
            ]
    raise AssertionError(f"no table captioned {caption!r}")


def errors(notebook) -> list:
    """Return the error outputs of the executed notebook."""
    return [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def figures(notebook) -> int:
    """Count the plotly figures drawn in the executed notebook's HTML."""
    return sum(shown.count("Plotly.newPlot") for shown in html_outputs(notebook))


def shows_result(notebook, result, caption: str) -> bool:
    """Tell whether the page shows the result's refusal sentence, or its table (same rows) under the caption."""
    if not result.ok:
        return result.refusal in page_text(notebook)
    shown = table_with_caption(notebook, caption)
    return [row[0] for row in shown] == [
        str(v)[:10] if isinstance(v, pd.Timestamp) else str(v) for v in result.table.iloc[:, 0]
    ]


LOG_PARAMETERS = {
    "start": "2021-01-01",
    "end": "2024-12-31",
    "countries": ["Iraq", "Syria", "Jordan"],
    "freq": "M",
    "break_dates": ["2023-10-17"],
    "rolling_window": 3,
    "granger_lags": 1,
    "horizon_days": 10,
}


@pytest.fixture(scope="module")
def log_run(tmp_path_factory, shipped_processed_dir):
    """Run the notebook on the shipped log built into a tmp folder; return (notebook, selection)."""
    built = shipped_processed_dir
    notebook = run_notebook({"data": str(built), **LOG_PARAMETERS}, tmp_path_factory)
    selection = an.filter_data(
        an.load_processed(built), LOG_PARAMETERS["start"], LOG_PARAMETERS["end"], LOG_PARAMETERS["countries"]
    )
    return notebook, selection


def test_notebook_trends__runs_on_the_shipped_log(log_run):
    notebook, _ = log_run
    assert errors(notebook) == []
    header = html_outputs(notebook)[0]
    assert "Trends" in header and "<th>freq</th><td>M</td>" in header and "17 Oct 2023" in header
    assert figures(notebook) >= 6


def test_notebook_trends__findings_first_from_the_package(log_run):
    notebook, selection = log_run
    from analysis.present.findings import answered_finding

    findings = next(h for h in html_outputs(notebook) if "key-findings" in h)
    assert html_outputs(notebook).index(findings) == 1  # right after the header
    assert html.escape(answered_finding(selection.events, horizon_days=10).text) in findings
    assert "Trend model: at 17 Oct 2023 the monthly attack rate changed by a factor of" in html.unescape(findings)


def test_notebook_trends__response_shares_use_the_one_rule(log_run):
    notebook, selection = log_run
    expected = an.response_share(selection.events, by="group", horizon_days=10)
    shown = table_with_caption(notebook, "Share of attacks answered, by militia group")
    assert [(row[0], int(row[1]), int(row[2])) for row in shown] == list(
        zip(expected["group"], expected["attacks"], expected["answered_attacks"])
    )
    assert table_with_caption(notebook, "Share of attacks answered, by weapon")
    assert table_with_caption(notebook, "Share of attacks answered, by quarter")
    assert "answered within 10 days: a US / coalition strike within 10 days" in page_text(notebook)


def test_notebook_trends__models_show_tables_or_say_why_not(log_run):
    notebook, selection = log_run
    counts = an.event_counts(selection.events, freq="M", start=LOG_PARAMETERS["start"], end=LOG_PARAMETERS["end"])
    assert shows_result(
        notebook,
        an.interrupted_time_series(counts, break_dates=["2023-10-17"]),
        "Interrupted time series of attacks: rate ratios",
    )
    assert shows_result(notebook, an.seasonal_decomposition(counts), "Seasonal-trend decomposition of attacks")
    assert shows_result(notebook, an.granger_causality(counts, lags=1), "Granger tests, both directions")
    assert "What these models can and cannot show" in "\n".join(c.source for c in notebook.cells)
    assert "convoy attacks (target_kind = convoy" in page_text(notebook)  # the page says what it counted


WEEKLY_PARAMETERS = {
    "start": "2022-01-01",
    "end": "2024-06-30",
    "countries": ["Iraq", "Syria"],
    "freq": "W",
    "rolling_window": 8,
    "granger_lags": 3,
}


@pytest.fixture(scope="module")
def weekly_run(tmp_path_factory):
    """Run the notebook on the synthetic ACLED weekly sample."""
    return run_notebook({"weekly_counts": str(SAMPLE), **WEEKLY_PARAMETERS}, tmp_path_factory)


def test_notebook_trends__runs_on_an_acled_weekly_file(weekly_run):
    assert errors(weekly_run) == []
    text = page_text(weekly_run)
    assert "by any actor" in text  # the series are named for what they are on the page
    assert "the militia-campaign view" in text  # only provinces that host a US / coalition site, by default
    assert "cannot say which attacks were answered" in text
    assert "Share of attacks answered, by militia group" not in text
    assert "Interrupted time series of attacks" not in text  # a weekly file has no attacks, only events by type
    assert figures(weekly_run) >= 4


def test_notebook_trends__weekly_models_find_the_synthetic_surge(weekly_run):
    counts = counts_from_weekly(
        an.load_weekly_counts(SAMPLE),
        "W",
        start=WEEKLY_PARAMETERS["start"],
        end=WEEKLY_PARAMETERS["end"],
        countries=WEEKLY_PARAMETERS["countries"],
        campaign_view=True,
    )
    headline = "remote_violence_events"
    assert counts.attrs["headline"] == headline
    # the episode calendar's break dates
    its = an.interrupted_time_series(counts, column=headline, break_dates=["2023-10-17", "2024-02-05"])
    assert its.ok, its.refusal
    caption = "Interrupted time series of remote violence events: rate ratios"
    rows = {row[0]: row for row in table_with_caption(weekly_run, caption)}
    assert float(rows["level_2023-10-17"][3]) > 1.5 and float(rows["level_2024-02-05"][4]) < 1.0
    stl = an.seasonal_decomposition(counts, column=headline)
    assert stl.ok and shows_result(weekly_run, stl, "Seasonal-trend decomposition of remote violence events")
    # no Granger test: strikes and shelling by any actor are not US responses and militia attacks
    assert "a Granger test on it would test other actors' fire" in page_text(weekly_run)
    assert "Granger tests, both directions" not in page_text(weekly_run)


def test_notebook_trends__has_one_parameters_cell_with_the_common_names():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    namespace: dict = {}
    exec(tagged[0].source, namespace)
    assert {k: type(namespace[k]) for k in ("data", "start", "end", "countries")} == {
        "data": str,
        "start": str,
        "end": str,
        "countries": list,
    }
    assert namespace["break_dates"] == [] and namespace["freq"] == "W"  # []: the episode calendar's period starts
    assert namespace["horizon_days"] == 14
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
