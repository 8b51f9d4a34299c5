"""Unit tests for the column helpers the big-file readers share (analysis.sources.checks) and for reading only
the columns a format uses, on tiny inline tables."""

import numpy as np
import pandas as pd
import pytest

import analysis as an
from analysis.cleaning.roles import unique_rows
from analysis.core.text import clean_text
from analysis.sources.checks import (
    clean_strings,
    coded_column,
    decoded_text,
    duplicate_reasons,
    id_order,
    single_chunk,
    sorted_positions,
    typed_frame,
)
from analysis.sources.files import read_table
from tests.conftest import write_csv
from tests.factories import acled_row, write_acled


def raw_text(**columns) -> pd.DataFrame:
    """Return a raw table of text columns, as read_table gives them."""
    return pd.DataFrame({name: pd.Series(values, dtype="str") for name, values in columns.items()})


def test_coded_column__cleans_each_value_once_and_merges_spellings():
    raw = raw_text(actor1=["Militia  (Pro-Iran)", " Militia (Pro-Iran)", "  ", None, "Ｋataib Hezbollah"])
    coded = coded_column(raw, "actor1")
    assert coded.tolist()[:2] == ["Militia (Pro-Iran)", "Militia (Pro-Iran)"]
    assert coded.isna().tolist() == [False, False, True, True, False]
    assert list(coded.cat.categories) == ["Militia (Pro-Iran)", "Kataib Hezbollah"]  # one category per cleaned name
    picked = coded_column(raw, "actor1", rows=np.array([4, 2, 0]))
    assert picked.index.tolist() == [0, 1, 2] and picked.iloc[0] == "Kataib Hezbollah" and pd.isna(picked.iloc[1])


def test_coded_column__absent_column_is_all_blank():
    assert coded_column(raw_text(actor1=["a"]), "assoc_actor_1", rows=np.array([0, 0])).isna().all()


def test_decoded_text__gives_the_cleaned_text_back():
    raw = raw_text(country=[" Syria", "Iraq", None, "Syria "])
    decoded = decoded_text(coded_column(raw, "country"))
    assert decoded.dtype == "string" and decoded.tolist() == ["Syria", "Iraq", pd.NA, "Syria"]


def test_duplicate_reasons__sorted_order_finds_the_repeats_hashing_finds():
    rng = np.random.default_rng(3)
    ids = pd.Series(rng.choice(["SYR1", "SYR2", "IRQ3", "IRQ10", None], 200), dtype="string")
    rows = pd.Series(np.arange(200) + 2, dtype="Int64")
    by_hashing = duplicate_reasons(ids, rows, "event_id_cnty")
    by_order = duplicate_reasons(ids, rows, "event_id_cnty", order=id_order(ids))
    assert by_order.tolist() == by_hashing.tolist()
    first_use = int(np.flatnonzero(ids.eq("SYR1").fillna(False))[0])
    assert by_order[first_use] is None and by_order.tolist().count(None) == 4 + ids.isna().sum()  # 4 distinct ids


def test_sorted_positions__orders_kept_rows_by_date_then_id():
    ids = pd.Series(["SYR9", "SYR2", "SYR10", "SYR1", "SYR5"], dtype="string")
    dates = pd.array(pd.to_datetime(["2023-10-20", "2023-10-19", "2023-10-19", "2023-10-21", "2023-10-19"]))
    is_kept = np.array([True, True, True, True, False])
    assert sorted_positions(is_kept, dates, id_order(ids)).tolist() == [2, 1, 0, 3]


@pytest.mark.parametrize(
    "days", [["1900-01-01", "2100-12-31", "1950-06-01"], ["2023-10-19", "2023-10-18", "2023-10-19"]]
)
def test_sorted_positions__wide_or_narrow_date_ranges_sort_alike(days):
    # dates centuries apart do not fit the 16-bit day numbers of the fast sort: the general sort takes over
    ids = pd.Series(["b", "a", "c"], dtype="string")
    dates = pd.array(pd.to_datetime(days))
    expected = sorted(range(3), key=lambda i: (dates[i], ids[i]))
    assert sorted_positions(np.ones(3, dtype=bool), dates, id_order(ids)).tolist() == expected


def test_unique_rows__many_wide_columns_number_combinations_in_order_of_appearance():
    rng = np.random.default_rng(0)
    columns = [rng.integers(0, 2**20, 300) for _ in range(5)]  # 2**100 possible combinations: renumbered on the way
    columns[0][299], columns[1][299], columns[2][299], columns[3][299], columns[4][299] = (c[7] for c in columns)
    inverse, first = unique_rows(*columns)
    assert inverse[299] == inverse[7] and first[inverse[7]] == 7
    assert inverse[:299].tolist() == list(range(299)) and len(first) == 299


def test_typed_frame__fills_constant_columns_with_their_dtypes():
    columns = {
        "source": "string",
        "responds_to": "string",
        "munitions": "Int64",
        "latitude": "Float64",
        "event_time_utc": "datetime64[ns, UTC]",
        "role": "string",
    }
    frame = typed_frame(
        columns, {"source": "acled", "role": pd.Series(["attack", "other"], dtype="string")}, pd.RangeIndex(2)
    )
    assert frame.dtypes.astype(str).to_dict() == columns
    assert frame["source"].tolist() == ["acled", "acled"] and frame["responds_to"].isna().all()
    assert frame["munitions"].isna().all() and frame["latitude"].isna().all() and frame["event_time_utc"].isna().all()


def test_single_chunk__joins_a_column_read_in_blocks():
    import pyarrow as pa

    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["a"], ["b", None]], type=pa.large_string())))
    joined = single_chunk(chunked)
    assert joined.array._pa_array.num_chunks == 1 and joined.tolist() == ["a", "b", pd.NA]


def test_read_table__header_only_names_the_columns_without_reading_rows(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["Event ID", "Notes"], ["1", "x"]])
    header = read_table(path, header_only=True)
    assert list(header.columns) == ["event_id", "notes"] and header.empty
    assert header.attrs["original_columns"] == ["Event ID", "Notes"]


def test_read_table__left_out_columns_are_not_read(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["id", "Tags", "notes"], ["1", "a", "x"], ["2", "b", "y"]])
    table = read_table(path, leave_out={"tags"})
    assert list(table.columns) == ["id", "notes"] and table["notes"].tolist() == ["x", "y"]


def test_read_table__left_out_columns_still_have_their_cells_counted(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["id", "tags", "notes"], ["1", "a", "x"], ["2", "b"], ["3", "c", "z"]])
    table = read_table(path, leave_out={"tags"})  # a short row sends the file down the exact (all-column) path
    assert table["id"].tolist() == ["1", "3"]
    assert [row["source_row"] for row in table.attrs["malformed_rows"]] == [3]


def test_load_events__acled_columns_it_never_uses_are_not_read_but_still_counted(raw_dir):
    path = write_acled(raw_dir, [acled_row(), acled_row(event_id_cnty="SYR2")])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",one cell too many"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = an.load_events([path], reference_dir=raw_dir / "reference")
    assert data.events["event_id"].tolist() == ["acled:SYR1"]
    assert data.quarantine[["source_row", "column"]].values.tolist() == [[3, "(whole row)"]]


def test_load_events__correction_to_an_acled_column_the_reader_never_uses_is_still_checked(raw_dir):
    # admin2 is left out of the read unless a correction names it: then it is read, and the correction checked
    path = write_acled(raw_dir, [acled_row()])
    (raw_dir / "reference" / "corrections.csv").write_text(
        "source_file,record_id,column,expected,corrected,reason\n"
        f"{path.name},SYR1,admin2,Wrong district,Deir ez Zor,checked against the map\n"
    )
    with pytest.raises(an.InputError, match="holds 'Deir ez Zor'"):
        an.load_events([path], reference_dir=raw_dir / "reference")


@pytest.mark.parametrize("text", ["a\u2028b", "a\x85b", "a\x0bb", "a\x1cb", " a\u1680\u2029 b ", "a\u3000\u00a0b"])
def test_clean_strings__folds_every_whitespace_clean_text_folds(text):
    assert clean_strings(pd.Series([text], dtype="string")).tolist() == [clean_text(text)] == ["a b"]


def test_read_table__cells_with_line_breaks_across_block_ends_are_read_whole(tmp_path, monkeypatch):
    """The fast read splits at any line end; where a block ends inside a multi-line cell it reads again."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    import analysis.sources.files as sources

    notes = [f"first line of note {i}\nsecond line, with a comma" if i % 3 else f"note {i}" for i in range(400)]
    path = write_csv(tmp_path / "t.csv", [["id", "notes"]] + [[str(i), note] for i, note in enumerate(notes)])
    monkeypatch.setattr(sources, "CSV_BLOCK_BYTES", 1024)  # many blocks, so some end inside a cell
    with pytest.raises(pa.ArrowInvalid, match="out of sync"):  # what the fast read meets in this file
        pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(block_size=1024),
            parse_options=pa_csv.ParseOptions(newlines_in_values=False),
        )
    table = read_table(path)
    assert table["notes"].tolist() == notes and table.attrs["malformed_rows"] == []


def test_load_events__acled_notes_with_line_breaks_in_a_big_file(raw_dir, monkeypatch):
    import analysis.sources.files as sources

    monkeypatch.setattr(sources, "CSV_BLOCK_BYTES", 2048)
    rows = [
        acled_row(event_id_cnty=f"SYR{i}", notes=f"Rockets hit the base.\nNo casualties were reported ({i}).")
        for i in range(60)
    ]
    data = an.load_events([write_acled(raw_dir, rows)], reference_dir=raw_dir / "reference")
    assert len(data.events) == 60 and data.quarantine.empty
    assert data.events["notes"].str.contains("\n", regex=False).all()
