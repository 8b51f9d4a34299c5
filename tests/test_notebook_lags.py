"""Execute notebooks/lags.ipynb with papermill on small built data sets and check what it shows."""

import html
import re

import pytest

import analysis as an
from tests.conftest import PROJECT_DIR, log_row

pytestmark = pytest.mark.notebooks
NOTEBOOK = PROJECT_DIR / "notebooks" / "lags.ipynb"


def run_notebook(tmp_path, **parameters):
    """Execute the lag notebook into tmp_path and return its cells' outputs as (texts, plotly figures, errors)."""
    import nbformat
    import papermill

    output = tmp_path / "lags.out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(output), parameters=parameters, kernel_name="python3", cwd=str(tmp_path), progress_bar=False
    )
    notebook = nbformat.read(output, as_version=4)
    texts, figures, errors = [], [], []
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                errors.append(out["ename"])
            data = out.get("data", {})
            if "application/vnd.plotly.v1+json" in data:
                figures.append(data["application/vnd.plotly.v1+json"])
            elif "text/html" in data:
                plain = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", data["text/html"])))
                texts.append(plain.strip())
    return texts, figures, errors


def csv_download(tmp_path, caption: str):
    """Read the CSV a page embeds under the table with this caption (the reader's download)."""
    import base64
    import io

    import nbformat
    import pandas as pd

    notebook = nbformat.read(tmp_path / "lags.out.ipynb", as_version=4)
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            shown = out.get("data", {}).get("text/html", "")
            if f"<strong>{html.escape(caption)}</strong>" in shown and "base64," in shown:
                payload = re.search(r"base64,([A-Za-z0-9+/=]+)", shown).group(1)
                return pd.read_csv(io.BytesIO(base64.b64decode(payload)), dtype=str, keep_default_na=False)
    raise AssertionError(f"no download under {caption!r}")


@pytest.fixture
def small_built(raw_dir, write_log, tmp_path):
    """A built folder from a log whose every lag and censoring flag is known."""
    write_log(
        [
            log_row(id="2024-01-01-a", date="2024-01-01", us_wounded="2"),
            log_row(
                id="2024-01-03-a",
                date="2024-01-03",
                kind="response",
                actor="US forces",
                target="KH",
                weapon="precision strikes",
                responds_to="2024-01-01-a",
            ),
            log_row(id="2024-01-05-a", date="2024-01-05", country="Iraq", location="Al Asad"),
            log_row(id="2024-01-06-a", date="2024-01-06"),
            log_row(
                id="2024-01-08-a",
                date="2024-01-08",
                country="Iraq",
                location="Al Asad",
                kind="response",
                actor="US forces",
                target="KH",
                weapon="precision strikes",
            ),
            log_row(id="2024-01-20-a", date="2024-01-20"),
            log_row(id="2024-01-25-a", date="2024-01-25", country="Jordan", location="Tower 22"),
        ]
    )
    out = tmp_path / "built"
    an.build(raw_dir, out)
    return out


def test_lags_notebook__non_default_parameters_on_a_small_log(small_built, tmp_path):
    texts, figures, errors = run_notebook(
        tmp_path,
        data=str(small_built),
        start="2024-01-01",
        end="2024-01-31",
        countries=["Iraq", "Syria", "Jordan"],
        horizon_days=10,
        strategy="all_in_window",
        same="country",
        rate_freq="M",
        periods={"early January": ["2024-01-01", "2024-01-10"], "late January": ["2024-01-11", "2024-01-31"]},
    )
    assert errors == []
    page = "\n".join(texts)
    assert (
        "Of 2 responses, 1 is tied by a source to the attack it answers; 1 more was paired by inference "
        "(every preceding attack within 10 days, same country); 0 have no attack to pair with."
    ) in page
    pairs_table = next(t for t in texts if t.startswith("2 attack-response pairs"))
    assert (
        "log:2024-01-01-a 2024-01-01 MSS Conoco MSS Conoco Syria log:2024-01-03-a 2024-01-03 MSS Conoco Syria "
        "explicit 2 log:" in pairs_table
    )
    assert pairs_table.endswith(
        "log:2024-01-05-a 2024-01-05 Al-Asad Air Base Al-Asad Air Base Iraq log:2024-01-08-a 2024-01-08 "
        "Al-Asad Air Base Iraq inferred 3 Download this table as CSV"
    )
    assert "log:2024-01-06-a" not in pairs_table  # a Syrian attack: same="country" keeps it from the Iraqi strike
    assert (
        "Of 5 attacks, 2 were answered within 10 days (1 of them by a response that a source links to them) and 1 "
        "went 10 days without a response. 2 more came less than 10 days before the data ends"
    ) in page
    # every comparison has too few attacks per group: a sentence, not a crash or a NaN table
    assert "Too few attacks to compare time to response by country" in page
    assert "Too few attacks to compare time to response by US casualties" in page
    assert "Too few attacks to compare time to response by period" in page
    titles = [figure["layout"]["title"]["text"] for figure in figures]
    assert titles[:3] == [
        "Attacks, responses and the pairs between them",
        "Days from attack to its first response",
        "Share of attacks answered, by days since the attack",
    ]
    assert "Share answered, by US casualties" in titles
    rates = next(t for t in texts if t.startswith("Attacks answered within 10 days, by period"))
    assert "Jan 2024 5 2 1 2 0.667" in rates  # 2 answered, 1 unanswered, 2 still open: 2/3 answered
    assert "Share answered within N days" in page and " 14 " not in next(
        t for t in texts if t.startswith("Share answered within N days")
    )  # 14 days exceeds the 10-day horizon
    timeline = figures[0]
    pair_lines = [trace for trace in timeline["data"] if trace.get("mode") == "lines"]
    assert sum(len(trace["x"]) for trace in pair_lines) == 6  # two pairs, each two ends and a gap


def test_lags_notebook__selection_without_attacks_explains_instead_of_failing(small_built, tmp_path):
    texts, _, errors = run_notebook(
        tmp_path, data=str(small_built), start="2024-01-03", end="2024-01-03", countries=["Syria"]
    )
    assert errors == []
    page = "\n".join(texts)
    assert "1 attack that a source links to a response is not in this selection" in page
    assert "There are no attacks in this selection, so there is no time to response to measure." in page
    assert "There are no attacks in this selection, so there is nothing to compare by country." in page
    assert "No pair in this selection has a lag, so there is no lag distribution to show." in page


def test_lags_notebook__defaults_on_the_shipped_log(tmp_path, shipped_processed_dir):
    texts, figures, errors = run_notebook(tmp_path, data=str(shipped_processed_dir))
    assert errors == []
    pairs_table = next(t for t in texts if re.match(r"\d+ attack-response pairs", t))
    assert pairs_table.startswith("50 attack-response pairs") and "30 more rows not shown" in pairs_table
    pairs_csv = csv_download(tmp_path, "50 attack-response pairs")
    tower = pairs_csv[pairs_csv["attack"] == "log:2024-01-28-a"]
    assert tower[["response", "response date", "link", "days"]].values.tolist() == [
        ["log:2024-02-03-a", "2024-02-03", "explicit", "6"],
        ["log:2024-02-03-b", "2024-02-03", "explicit", "6"],
    ]
    assert "<NA>" not in "\n".join(texts) and "has_us_casualties" not in "\n".join(texts)
    assert "not a complete count of attacks" in "\n".join(texts)  # the log's coverage, before any figure
    # pre-emptive strikes and a commander's killing answer no particular attack: never paired by inference
    assert "5 are framed by their sources as answering no particular attack" in "\n".join(texts)
    # the June 2021 strikes name attacks up to 75 days old: said in words, not hidden in "unanswered"
    assert "tied by a source to a strike that came later (19 to 75 days after the attack)" in "\n".join(texts)
    header = texts[0]
    assert "strategy nearest_preceding" in header and "horizon days 14" in header
    assert any(figure["layout"]["title"]["text"] == "Share answered, by period" for figure in figures)
