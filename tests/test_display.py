"""Display helpers as a report reader sees them: no "<NA>", "nan" or "NaT" in a table, headers in words."""

import re

import numpy as np
import pandas as pd

from analysis.notebook.page import html_table
from analysis.present.tables import readable_cells


def cell_texts(table_html: str) -> list[str]:
    """Return the text of every body cell of an HTML table."""
    return re.findall(r"<td>(.*?)</td>", table_html.split("<tbody>")[1], re.S)


def test_html_table__never_prints_missing_value_markers():
    frame = pd.DataFrame(
        {
            "days": pd.array([3, None], dtype="Int64"),
            "share": pd.array([0.5, None], dtype="Float64"),
            "place": pd.array(["Tower 22", None], dtype="string"),
            "text": pd.Series(["a", None], dtype="str"),
            "answered": pd.array([True, None], dtype="boolean"),
            "date": pd.to_datetime(["2024-01-28", None]),
            "ratio": [1.5, np.nan],
            "anything": [pd.NA, "x"],
        }
    )
    shown = html_table(frame)
    for marker in ("&lt;NA&gt;", "<NA>", "nan", "NaN", "NaT", "None"):
        assert marker not in shown, marker
    assert cell_texts(shown) == [
        "3",
        "0.5",
        "Tower 22",
        "a",
        "yes",
        "2024-01-28",
        "1.5",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "x",
    ]


def test_html_table__headers_in_words():
    shown = html_table(pd.DataFrame({"median_lag_days": [1.0], "link": ["explicit"]}))
    assert "<th>median lag days</th>" in shown and "median_lag_days" not in shown


def test_readable_cells__flags_read_yes_no_and_values_are_kept():
    frame = pd.DataFrame({"is_disputed": [True, False], "lag_days": pd.array([0, 85], dtype="Int64")})
    shown = readable_cells(frame)
    assert shown["is_disputed"].tolist() == ["yes", "no"]
    assert shown["lag_days"].tolist() == [0, 85]  # nothing missing: the column is left as it is
    assert list(shown.columns) == ["is_disputed", "lag_days"]  # names stay (html_table turns them into words)


def test_readable_cells__float_formatting_survives_a_missing_value():
    shown = html_table(pd.DataFrame({"share": pd.array([1 / 3, None], dtype="Float64")}))
    assert cell_texts(shown) == ["0.333", ""]  # not 0.3333333333333333: still formatted as a float
