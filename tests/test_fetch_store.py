"""Unit tests for the store (what a pull writes, what the build reads), credentials and the report's vintage lines."""

import datetime as dt
import json

import pandas as pd
import pytest

from analysis.core.errors import InputError, ParameterError
from analysis.fetch.acled import AcledQuery, refusal
from analysis.fetch.credentials import Credentials, Secrets, acled_credentials, ucdp_token
from analysis.fetch.ged import GedQuery, country_code
from analysis.fetch.http import FetchError
from analysis.fetch.store import (
    Changes,
    apply_update,
    commit_pull,
    compare_snapshots,
    remove_leftovers,
    rows_frame,
)
from analysis.fetch.vintage import changes_text, vintage_text
from analysis.pipeline.load import raw_files
from analysis.pipeline.stores import change_chain, read_change_log, store_records
from analysis.reporting.pages import index_body, page_facts_html
from analysis.reporting.runner import vintage_facts
from tests.factories import acled_api_rows, write_acled

MONDAY = dt.datetime(2025, 1, 6, 3, 0, tzinfo=dt.UTC)


def table(**columns) -> pd.DataFrame:
    """A snapshot-like table of text cells."""
    return pd.DataFrame(columns, dtype=object)


def commit(store, frame, *, now=MONDAY, previous=None, changes=None, kind="initial"):
    """Commit a frame as a pull of the fake source 'ACLED' and return the store manifest."""
    name = f"snapshots/acled-{now:%Y%m%dT%H%M%SZ}.csv"
    return commit_pull(
        store,
        frame,
        name=name,
        kind=kind,
        changes=changes or Changes(added=frame["event_id_cnty"].tolist()),
        fetched=len(frame),
        pulled_at=now,
        previous=previous,
        fields={"source": "ACLED", "version": None, "query": {"countries": ["Iraq"]}, "watermark": 1},
        origin={"producer": "test"},
    ).manifest


def acled_frame(count: int) -> pd.DataFrame:
    """Generated ACLED rows as the store holds them (text cells)."""
    return rows_frame(acled_api_rows(count), "event_id_cnty", "test")


def test_compare_snapshots__added_revised_deleted_by_id():
    old = table(id=["a", "b", "c"], x=["1", "2", "3"])
    new = table(id=["b", "c", "d"], x=["2", "9", "4"])
    changes = compare_snapshots(old, new, "id")
    assert (changes.added, changes.revised, changes.deleted) == (["d"], ["c"], ["a"])


def test_compare_snapshots__a_column_only_one_side_has_does_not_make_a_revision():
    old = table(id=["a"], x=["1"])
    new = table(id=["a"], x=["1"], added_by_the_api=["anything"])
    assert compare_snapshots(old, new, "id").counts() == {"added": 0, "revised": 0, "deleted": 0}


def test_apply_update__replaces_by_id_keeps_the_rest_and_drops_deleted():
    old = table(id=["a", "b", "c"], x=["1", "2", "3"])
    fetched = table(id=["b", "d"], x=["20", "4"], y=["new", "new"])
    merged, changes = apply_update(old, fetched, ["c", "zzz"], "id")
    assert merged.to_dict("records") == [
        {"id": "a", "x": "1", "y": ""},
        {"id": "b", "x": "20", "y": "new"},
        {"id": "d", "x": "4", "y": "new"},
    ]
    assert (changes.added, changes.revised, changes.deleted) == (["d"], ["b"], ["c"])  # zzz was never held


def test_rows_frame__a_row_without_an_id_is_refused_naming_row_and_column():
    with pytest.raises(FetchError, match=r"ACLED /api/acled/read: row 2, column 'event_id_cnty', value ''"):
        rows_frame([{"event_id_cnty": "A"}, {"event_id_cnty": " "}], "event_id_cnty", "ACLED /api/acled/read")


def test_rows_frame__a_row_served_twice_is_kept_once_as_last_served():
    frame = rows_frame([{"id": 1, "x": "old"}, {"id": 2, "x": None}, {"id": 1, "x": "new"}], "id", "t")
    assert frame.to_dict("records") == [{"id": "2", "x": ""}, {"id": "1", "x": "new"}]


def test_raw_files__reads_top_level_tables_and_only_each_stores_current_snapshot(tmp_path):
    raw = tmp_path / "raw"
    log = write_acled(raw, [], name="export.csv")
    store = raw / "acled"
    first = commit(store, acled_frame(3))
    second = commit(store, acled_frame(4), now=MONDAY + dt.timedelta(days=7), previous=first, kind="full")
    (raw / "coding_notes").mkdir()
    (raw / "coding_notes" / "notes.csv").write_text("x\n1\n")
    assert raw_files(raw) == [log, store / second["snapshot"]]
    assert raw_files(store) == [store / second["snapshot"]]
    assert (store / first["snapshot"]).is_file()  # kept, not read


def test_raw_files__a_store_manifest_naming_a_missing_snapshot_names_the_file(tmp_path):
    store = tmp_path / "raw" / "acled"
    manifest = commit(store, acled_frame(2))
    (store / manifest["snapshot"]).unlink()
    with pytest.raises(
        InputError, match=r"acled/store.json: names snapshot 'snapshots/acled-20250106T030000Z.csv', which"
    ):
        raw_files(tmp_path / "raw")


def test_raw_files__an_unreadable_store_manifest_names_the_file(tmp_path):
    store = tmp_path / "raw" / "acled"
    store.mkdir(parents=True)
    (store / "store.json").write_text("{not json")
    with pytest.raises(InputError, match=r"store.json: is not a readable store manifest"):
        raw_files(tmp_path / "raw")


def test_read_change_log__skips_a_line_cut_short_and_the_chain_skips_orphans(tmp_path):
    store = tmp_path / "acled"
    store.mkdir()
    lines = [
        {"snapshot": "s1", "previous": None, "added": 5},
        {"snapshot": "orphan", "previous": "s1", "added": 1},
        {"snapshot": "s2", "previous": "s1", "added": 2},
    ]
    (store / "changes.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines) + '{"snapshot": "s3", "prev'
    )
    entries = read_change_log(store)
    assert [e["snapshot"] for e in entries] == ["s1", "orphan", "s2"]
    assert [e["snapshot"] for e in change_chain(entries, "s2")] == ["s1", "s2"]


def test_commit_pull__appends_after_a_line_cut_short(tmp_path):
    store = tmp_path / "acled"
    store.mkdir()
    (store / "changes.jsonl").write_text('{"snapshot": "cut')
    commit(store, acled_frame(1))
    assert (store / "changes.jsonl").read_text().splitlines()[0] == '{"snapshot": "cut'
    assert [e["kind"] for e in read_change_log(store)] == ["initial"]


def test_remove_leftovers__deletes_uncommitted_snapshots_and_temporary_files_only(tmp_path):
    store = tmp_path / "acled"
    manifest = commit(store, acled_frame(2))
    orphan = store / "snapshots" / "acled-20250113T030000Z.csv"
    orphan.write_text("x")
    orphan.with_name(orphan.name + ".provenance.json").write_text("{}")
    temporary = store / "snapshots" / ".acled-20250113T030000Z.csv.k2j3h4ab"
    temporary.write_text("x")
    mine = store / "snapshots" / "my-notes.csv"
    mine.write_text("x")
    removed = remove_leftovers(store, manifest)
    assert sorted(p.name for p in removed) == sorted([orphan.name, orphan.name + ".provenance.json", temporary.name])
    assert (store / manifest["snapshot"]).is_file() and mine.is_file() and (store / "store.json").is_file()


def test_store_records__names_snapshots_relative_to_the_raw_folder(tmp_path):
    raw = tmp_path / "raw"
    first = commit(raw / "acled", acled_frame(3))
    commit(raw / "acled", acled_frame(4), now=MONDAY + dt.timedelta(days=7), previous=first, kind="full")
    (record,) = store_records(raw)
    assert record["snapshot"] == "acled/snapshots/acled-20250113T030000Z.csv"
    assert [(c["snapshot"], c["previous"]) for c in record["changes"]] == [
        ("acled/snapshots/acled-20250106T030000Z.csv", None),
        ("acled/snapshots/acled-20250113T030000Z.csv", "acled/snapshots/acled-20250106T030000Z.csv"),
    ]


def test_credentials__repr_hides_both_values():
    credentials = Credentials("analyst@example.org", "hunter2")
    assert repr(credentials) == "Credentials(username=***, password=***)"
    assert "hunter2" not in repr(Secrets(("hunter2",))) and "hunter2" not in str([credentials])


def test_acled_credentials__from_the_environment():
    credentials = acled_credentials(
        {"ACLED_USERNAME": " analyst@example.org ", "ACLED_PASSWORD": "pw"}, interactive=False
    )
    assert (credentials.username, credentials.password) == ("analyst@example.org", "pw")


def test_acled_credentials__prompts_at_a_terminal_for_what_is_missing():
    asked = []
    credentials = acled_credentials(
        {},
        interactive=True,
        ask=lambda q: asked.append(q) or "me@example.org",
        ask_secret=lambda q: asked.append(q) or "pw",
    )
    assert (credentials.username, credentials.password) == ("me@example.org", "pw")
    assert asked == ["ACLED username (the account's e-mail): ", "ACLED password: "]


def test_acled_credentials__missing_password_without_a_terminal_names_the_variable(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "keyring", None)  # keyring not installed
    with pytest.raises(FetchError, match=r"^ACLED password missing: set ACLED_PASSWORD"):
        acled_credentials({"ACLED_USERNAME": "me@example.org"}, interactive=False)


def test_ucdp_token__missing_names_the_variable():
    with pytest.raises(FetchError, match=r"^UCDP token missing: set UCDP_TOKEN"):
        ucdp_token({})


def test_refusal__tells_credentials_terms_and_access_apart():
    assert refusal(400, "invalid_grant").startswith("ACLED refused the username or password")
    assert refusal(403, "Please accept the Terms of Use").startswith("the ACLED account has not accepted")
    assert refusal(403, "Forbidden").startswith("the ACLED account has no API access")


def test_acled_query__checks_dates_and_page_size():
    with pytest.raises(ParameterError, match=r"--start '2019-13-01' is not a date written YYYY-MM-DD"):
        AcledQuery(("Iraq",), "2019-13-01")
    with pytest.raises(ParameterError, match=r"--page-size must be 1 to 5000 \(ACLED's largest page\), got 6000"):
        AcledQuery(("Iraq",), "2019-01-01", page_size=6000)
    with pytest.raises(ParameterError, match=r"--end 2018-01-01 is before --start 2019-01-01"):
        AcledQuery(("Iraq",), "2019-01-01", "2018-01-01")
    assert AcledQuery(("Iraq",), "2019-01-01").filters(dt.date(2025, 1, 6))["event_date"] == "2019-01-01|2025-01-06"


def test_country_code__unknown_name_lists_the_known_ones():
    with pytest.raises(ParameterError, match=r"no Gleditsch-Ward code known for 'Atlantis': give the number instead"):
        country_code("Atlantis")
    assert GedQuery(("Iraq", "652", "jordan")).filters() == {"Country": "645,652,663"}


STORES = [
    {
        "store": "acled",
        "source": "ACLED",
        "version": None,
        "snapshot": "acled/c.csv",
        "pulled_at": "2025-01-20T03:00:00+00:00",
        "rows": 20,
        "changes": [
            {"snapshot": "acled/a.csv", "added": 10, "revised": 0, "deleted": 0},
            {"snapshot": "acled/b.csv", "added": 4, "revised": 1, "deleted": 0},
            {"snapshot": "acled/c.csv", "added": 6, "revised": 2, "deleted": 1},
        ],
    },
    {
        "store": "ged",
        "source": "UCDP GED",
        "version": "25.1",
        "snapshot": "ged/25.1/x.csv",
        "pulled_at": "2025-01-02T10:00:00+00:00",
        "rows": 7,
        "changes": [{"snapshot": "ged/25.1/x.csv", "added": 7, "revised": 0, "deleted": 0}],
    },
]


def test_vintage_text__names_each_store_and_its_pull_day():
    assert vintage_text(STORES) == "data vintage: ACLED pulled 2025-01-20; UCDP GED 25.1 pulled 2025-01-02"
    assert vintage_text([]) == ""


def test_changes_text__adds_up_the_pulls_since_the_previous_run_per_store():
    previous = [
        {"store": "acled", "snapshot": "acled/a.csv", "version": None},
        {"store": "ged", "snapshot": "ged/25.1/x.csv", "version": "25.1"},
    ]
    assert (
        changes_text(STORES, previous) == "since the previous run: 10 new, 3 revised, 1 deleted (ACLED, over 2 pulls)"
    )


def test_changes_text__a_snapshot_outside_the_change_log_is_said_so():
    previous = [{"store": "acled", "snapshot": "acled/gone.csv", "version": None}]
    assert changes_text(STORES[:1], previous) == (
        "since the previous run: ACLED: a new pull whose changes since the previous run's are not in the change log"
    )


def test_vintage_facts__what_a_run_records_and_compares_next_time():
    facts = vintage_facts(STORES[:1], {"data_stores": [{"store": "acled", "snapshot": "acled/b.csv"}]})
    assert facts["data_vintage"] == "data vintage: ACLED pulled 2025-01-20"
    assert facts["data_changes"] == "since the previous run: 6 new, 2 revised, 1 deleted (ACLED)"
    assert facts["data_stores"] == [
        {
            "store": "acled",
            "source": "ACLED",
            "version": None,
            "snapshot": "acled/c.csv",
            "pulled_at": "2025-01-20T03:00:00+00:00",
            "rows": 20,
        }
    ]
    assert vintage_facts([], None) == {"data_stores": [], "data_vintage": "", "data_changes": ""}


RUN = {
    "set": "s",
    "set_title": "Set",
    "parameters": {},
    "pages": [],
    "data_fingerprint": "f",
    "package_version": "0",
    "made_at": "2025-01-20T04:00:00+00:00",
}


def test_index_body__states_the_vintage_and_the_changes_since_the_previous_run():
    body = index_body(
        {
            **RUN,
            "data_vintage": "data vintage: ACLED pulled 2025-01-20",
            "data_changes": "since the previous run: <1> new",
        }
    )
    assert (
        "<th>Data vintage</th><td><span class='data-vintage'>data vintage: ACLED pulled 2025-01-20</span></td>" in body
    )
    assert "<span class='data-changes'>since the previous run: &lt;1&gt; new</span>" in body
    assert "Data vintage" not in index_body(RUN)


def test_page_facts_html__states_the_vintage_when_fetched_data_were_read():
    facts = {**RUN, "set_title": "Set", "page_title": "P", "notebook": "n.ipynb"}
    assert "data vintage: ACLED pulled 2025-01-20" in page_facts_html(
        {**facts, "data_vintage": "data vintage: ACLED pulled 2025-01-20"}
    )
    assert "Data vintage" not in page_facts_html({**facts, "data_vintage": ""})
