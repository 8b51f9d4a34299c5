"""Pulls from ACLED and UCDP GED against a real HTTP server on 127.0.0.1 (tests/fake_api.py), rows generated.

Retries never sleep: the clients get a RetryPolicy whose sleep records the waits it was asked for.
"""

import datetime as dt
import io
import json

import pytest

import analysis as an
from analysis.cli import main
from analysis.fetch.acled import AcledClient, AcledQuery, fetch_acled, update_acled
from analysis.fetch.credentials import Credentials, Secrets
from analysis.fetch.ged import GedClient, GedQuery, fetch_ged
from analysis.fetch.http import FetchError, RetryPolicy
from analysis.fetch.store import read_snapshot
from analysis.fetch.vintage import changes_text, run_stores, stores_behind, vintage_text
from analysis.pipeline.build import format_summary
from analysis.pipeline.stores import change_chain, read_change_log
from tests.factories import acled_api_rows, ged_api_rows
from tests.fake_api import PASSWORD, UCDP_TOKEN, USERNAME, FakeApi, FakeApiState

READ, DELETED, TOKEN = "/api/acled/read", "/api/deleted/read", "/oauth/token"
MONDAY = dt.datetime(2025, 1, 6, 3, 0, tzinfo=dt.UTC)
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)
IRAQ_SYRIA_JORDAN = ("Iraq", "Syria", "Jordan")


@pytest.fixture
def api(monkeypatch):
    """The fake APIs on a free port of 127.0.0.1, serving 12 generated ACLED rows and GED 24.1 (12 rows)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    state = FakeApiState()
    state.set_acled(acled_api_rows(12))
    state.ged["24.1"] = ged_api_rows(12)
    with FakeApi(state) as server:
        yield server


@pytest.fixture
def waits() -> list[float]:
    """The waits the clients asked for (instead of sleeping)."""
    return []


@pytest.fixture
def lines() -> list[str]:
    """The progress lines the clients printed."""
    return []


@pytest.fixture
def acled(api, waits, lines):
    """Make an ACLED client for the fake API (the right credentials unless told otherwise)."""

    def make(password: str = PASSWORD) -> AcledClient:
        policy = RetryPolicy(attempts=3, backoff_seconds=2.0, sleep=waits.append)
        return AcledClient(api.url, Credentials(USERNAME, password), policy=policy, progress=lines.append)

    return make


def pull(store, client, page_size=5, now=MONDAY):
    """Make a full pull of the three countries from 2019."""
    return fetch_acled(store, AcledQuery(IRAQ_SYRIA_JORDAN, "2019-01-01", page_size=page_size), client, now=now)


def store_files(store) -> dict[str, bytes]:
    """Return every file of a store with its bytes (the lock file aside)."""
    return {
        str(p.relative_to(store)): p.read_bytes()
        for p in sorted(store.rglob("*"))
        if p.is_file() and p.name != ".fetch.lock"
    }


def test_fetch_acled__pages_until_a_short_page_and_writes_the_store(api, acled, lines, tmp_path):
    store = tmp_path / "acled"
    result = pull(store, acled())
    reads = api.requests_to(READ)
    assert [r["query"]["page"] for r in reads] == ["1", "2", "3"]
    assert [r["query"].get("with_total") for r in reads] == ["true", None, None]
    assert {r["query"]["limit"] for r in reads} == {"5"}
    assert reads[0]["query"]["country"] == "Iraq:OR:Syria:OR:Jordan"
    assert reads[0]["query"]["event_date"] == "2019-01-01|2025-01-06"
    assert reads[0]["query"]["event_date_where"] == "BETWEEN"
    assert lines == ["acled: page 1: 5 of 12 rows", "acled: page 2: 10 of 12 rows", "acled: page 3: 12 of 12 rows"]
    snapshot = read_snapshot(result.snapshot)
    assert (
        len(snapshot) == 12 and snapshot["timestamp"].iloc[0] == "1700000000" and snapshot["fatalities"].iloc[0] == "0"
    )
    manifest = json.loads((store / "store.json").read_text())
    assert manifest["snapshot"] == "snapshots/acled-20250106T030000Z.csv"
    assert (manifest["rows"], manifest["watermark"], manifest["pulled_at"]) == (
        12,
        1700000011,
        "2025-01-06T03:00:00+00:00",
    )
    assert manifest["query"] == {
        "countries": list(IRAQ_SYRIA_JORDAN),
        "start": "2019-01-01",
        "end": None,
        "page_size": 5,
    }
    assert manifest["package_version"] == an.__version__ and manifest["sha256"] == an.pipeline.storage.file_sha256(
        result.snapshot
    )
    provenance = json.loads(result.snapshot.with_name(result.snapshot.name + ".provenance.json").read_text())
    assert (provenance["sha256"], provenance["rows"], provenance["date_accessed"]) == (
        manifest["sha256"],
        12,
        "2025-01-06",
    )
    assert provenance["origin"]["producer"] == "Armed Conflict Location & Event Data (ACLED)"
    assert "not to be redistributed" in provenance["origin"]["license"]
    (entry,) = read_change_log(store)
    assert (entry["kind"], entry["added"], entry["revised"], entry["deleted"]) == ("initial", 12, 0, 0)
    assert result.describe().splitlines()[1].startswith("changes: 12 added, 0 revised, 0 deleted")


def test_fetch_acled__a_full_last_page_is_followed_by_an_empty_one(api, acled, tmp_path):
    pull(tmp_path / "acled", acled(), page_size=6)
    assert [r["query"]["page"] for r in api.requests_to(READ)] == ["1", "2", "3"]


def test_fetch_acled__signs_in_once_with_the_password_grant_and_sends_a_bearer_token(api, acled, tmp_path):
    pull(tmp_path / "acled", acled())
    (token_request,) = api.requests_to(TOKEN)
    assert token_request["form"] == {
        "username": USERNAME,
        "password": PASSWORD,
        "grant_type": "password",
        "client_id": "acled",
    }
    assert all(r["authorization"].startswith("Bearer access-") for r in api.requests_to(READ))
    assert not any(PASSWORD in json.dumps(r["query"]) for r in api.state.requests)


def test_fetch_acled__waits_as_long_as_retry_after_says_on_503(api, acled, waits, lines, tmp_path):
    api.state.fail(READ, 503, headers={"Retry-After": "7"})
    result = pull(tmp_path / "acled", acled())
    assert waits == [7.0]
    assert lines[0].endswith("answered 503 Service Unavailable: retrying in 7 s (attempt 2 of 3)")
    assert result.rows == 12


def test_fetch_acled__backs_off_on_429_without_retry_after(api, acled, waits, tmp_path):
    api.state.fail(READ, 429, times=2)
    assert pull(tmp_path / "acled", acled()).rows == 12
    assert waits == [2.0, 4.0]


def test_fetch_acled__gives_up_after_the_last_attempt_and_writes_nothing(api, acled, waits, tmp_path):
    api.state.fail(READ, 502, times=3)
    with pytest.raises(FetchError, match=r"answered 502 Bad Gateway, 3 times in a row: giving up.*Nothing was written"):
        pull(tmp_path / "acled", acled())
    assert waits == [2.0, 4.0]
    assert store_files(tmp_path / "acled") == {}


def test_fetch_acled__refuses_a_retry_after_longer_than_the_limit(api, acled, tmp_path):
    api.state.fail(READ, 429, headers={"Retry-After": "86400"})
    with pytest.raises(FetchError, match="asks to wait 86400 s: giving up; run the same command after that"):
        pull(tmp_path / "acled", acled())


def test_fetch_acled__signs_in_again_when_the_token_expires_mid_pull(api, acled, lines, tmp_path):
    api.state.expire_tokens_after = 1  # the token serves page 1, then is refused
    result = pull(tmp_path / "acled", acled())
    assert result.rows == 12
    grants = [r["form"]["grant_type"] for r in api.requests_to(TOKEN)]
    assert grants == ["password", "refresh_token"]
    assert [r["query"]["page"] for r in api.requests_to(READ)] == ["1", "2", "2", "3"]
    assert "acled: the access token was refused (expired?): signing in again" in lines


def test_fetch_acled__uses_the_password_again_when_the_refresh_token_is_refused(api, acled, tmp_path):
    api.state.expire_tokens_after, api.state.refuse_refresh = 2, True
    assert pull(tmp_path / "acled", acled()).rows == 12
    assert [r["form"]["grant_type"] for r in api.requests_to(TOKEN)] == ["password", "refresh_token", "password"]


def test_fetch_acled__bad_credentials_are_one_line_without_the_password(api, acled, tmp_path):
    with pytest.raises(FetchError) as error:
        pull(tmp_path / "acled", acled(password="wrong password"))
    message = str(error.value)
    assert message.startswith("ACLED refused the username or password (ACLED answered 400: invalid_grant")
    assert "check ACLED_USERNAME and ACLED_PASSWORD" in message and "\n" not in message
    assert USERNAME not in message and "wrong password" not in message  # the server echoed the username
    assert api.requests_to(READ) == []


def test_fetch_acled__an_account_without_api_access_says_so(api, acled, tmp_path):
    api.state.access = "no-access"
    with pytest.raises(FetchError, match=r"^the ACLED account has no API access \(ACLED answered 403: Access denied"):
        pull(tmp_path / "acled", acled())


def test_fetch_acled__terms_not_accepted_says_so(api, acled, tmp_path):
    api.state.access = "terms"
    with pytest.raises(FetchError, match=r"^the ACLED account has not accepted ACLED's terms of use"):
        pull(tmp_path / "acled", acled())


def test_update_acled__replaces_revised_rows_adds_new_ones_and_drops_deleted_ones(api, acled, lines, tmp_path):
    store = tmp_path / "acled"
    pull(store, acled())
    changed = api.state.change_acled(added=3, revised=2, deleted=1)
    lines.clear()
    result = update_acled(store, acled(), now=NEXT_MONDAY)
    assert (result.kind, result.changes.counts()) == ("update", {"added": 3, "revised": 2, "deleted": 1})
    assert result.changes.added == changed["added"] and result.changes.revised == changed["revised"]
    assert result.changes.deleted == changed["deleted"] == ["JOR3"]
    update_reads = api.requests_to(READ)[3:]
    assert update_reads[0]["query"]["timestamp"] == "1700000011" and update_reads[0]["query"]["timestamp_where"] == ">="
    (deleted_read,) = api.requests_to(DELETED)
    assert deleted_read["query"]["deleted_timestamp"] == str(int((MONDAY - dt.timedelta(days=1)).timestamp()))
    snapshot = read_snapshot(result.snapshot).set_index("event_id_cnty")
    assert len(snapshot) == 14 and "JOR3" not in snapshot.index
    assert snapshot.loc["IRQ1", "fatalities"] == "2" and snapshot.loc["IRQ4", "fatalities"] == "0"
    manifest = json.loads((store / "store.json").read_text())
    assert manifest["watermark"] == 1_800_000_002 and manifest["last_change"] == {
        "kind": "update",
        "added": 3,
        "revised": 2,
        "deleted": 1,
    }
    entries = read_change_log(store)
    assert [e["kind"] for e in entries] == ["initial", "update"]
    assert (entries[1]["added_ids"], entries[1]["revised_ids"], entries[1]["deleted_ids"]) == (
        ["IRQ13", "SYR14", "JOR15"],
        ["IRQ1", "SYR2"],
        ["JOR3"],
    )
    assert lines[-1] == "acled deletions: page 1: 1 of 1 rows"


def test_update_acled__each_of_two_updates_counts_its_own_changes(api, acled, tmp_path):
    store = tmp_path / "acled"
    pull(store, acled())
    api.state.change_acled(added=3, revised=2, deleted=1)
    update_acled(store, acled(), now=NEXT_MONDAY)
    second = api.state.change_acled(added=5, revised=4, deleted=2)
    result = update_acled(store, acled(), now=NEXT_MONDAY + dt.timedelta(days=7))
    assert (result.changes.added, result.changes.revised, result.changes.deleted) == (
        second["added"],
        second["revised"],
        second["deleted"],
    )
    assert result.rows == 14 + 5 - 2
    assert result.changes.counts() == {"added": 5, "revised": 4, "deleted": 2}


def test_update_acled__with_nothing_new_counts_nothing(api, acled, tmp_path):
    store = tmp_path / "acled"
    pull(store, acled())
    result = update_acled(store, acled(), now=NEXT_MONDAY)
    assert result.changes.counts() == {"added": 0, "revised": 0, "deleted": 0}
    assert result.fetched == 1  # the row at the watermark comes again, unchanged
    assert read_snapshot(result.snapshot).equals(
        read_snapshot(tmp_path / "acled" / "snapshots/acled-20250106T030000Z.csv")
    )


def test_update_acled__interrupted_leaves_the_store_intact_and_runs_again(api, acled, tmp_path):
    store = tmp_path / "acled"
    pull(store, acled())
    before = store_files(store)
    api.state.change_acled(added=3, revised=2, deleted=1)
    api.state.dead_after = api.state.data_requests + 1  # the server answers one page of the update, then dies
    with pytest.raises(FetchError) as error:
        update_acled(store, acled(), page_size=2, now=NEXT_MONDAY)
    assert "could not reach 127.0.0.1" in str(error.value)
    assert "The store " + str(store) + " is unchanged (still the pull of 2025-01-06T03:00:00+00:00)" in str(error.value)
    assert store_files(store) == before
    api.state.dead_after = None  # the server is back: the same command again
    result = update_acled(store, acled(), page_size=2, now=NEXT_MONDAY)
    assert result.changes.counts() == {"added": 3, "revised": 2, "deleted": 1}
    assert [e["kind"] for e in read_change_log(store)] == ["initial", "update"]


def test_update_acled__a_crash_before_the_commit_keeps_the_previous_snapshot(api, acled, monkeypatch, tmp_path):
    import analysis.fetch.store as store_module

    store = tmp_path / "acled"
    pull(store, acled())
    manifest_before = (store / "store.json").read_bytes()
    api.state.change_acled(added=3, revised=2, deleted=1)
    real_write_json = store_module.write_json

    def crash_on_store_json(path, payload):
        if path.name == "store.json":
            raise RuntimeError("killed")  # after the snapshot and the change log line, before the commit
        real_write_json(path, payload)

    monkeypatch.setattr(store_module, "write_json", crash_on_store_json)
    with pytest.raises(RuntimeError, match="killed"):
        update_acled(store, acled(), now=NEXT_MONDAY)
    assert (store / "store.json").read_bytes() == manifest_before
    assert len(read_change_log(store)) == 2  # the orphan line is in the log ...
    assert [e["kind"] for e in change_chain(read_change_log(store), "snapshots/acled-20250106T030000Z.csv")] == [
        "initial"
    ]
    monkeypatch.setattr(store_module, "write_json", real_write_json)
    result = update_acled(store, acled(), now=NEXT_MONDAY + dt.timedelta(hours=1))
    assert result.changes.counts() == {"added": 3, "revised": 2, "deleted": 1}
    chain = change_chain(read_change_log(store), json.loads((store / "store.json").read_text())["snapshot"])
    assert [e["kind"] for e in chain] == ["initial", "update"]  # ... and never counted
    assert sorted(p.name for p in (store / "snapshots").iterdir()) == [
        "acled-20250106T030000Z.csv",
        "acled-20250106T030000Z.csv.provenance.json",
        "acled-20250113T040000Z.csv",
        "acled-20250113T040000Z.csv.provenance.json",
    ]  # the orphan snapshot of the crashed pull is gone


def test_update_acled__without_a_store_says_how_to_make_one(acled, tmp_path):
    with pytest.raises(FetchError, match=r"no ACLED store in .*: make one first with `python -m analysis fetch acled"):
        update_acled(tmp_path / "acled", acled())


def test_fetch_acled__keeps_the_newest_three_snapshots(api, acled, tmp_path):
    store = tmp_path / "acled"
    for week in range(4):
        pull(store, acled(), now=MONDAY + dt.timedelta(days=7 * week))
    manifest = json.loads((store / "store.json").read_text())
    assert manifest["snapshots"] == [
        "snapshots/acled-20250113T030000Z.csv",
        "snapshots/acled-20250120T030000Z.csv",
        "snapshots/acled-20250127T030000Z.csv",
    ]
    assert len(list((store / "snapshots").glob("*.csv"))) == 3
    assert [e["kind"] for e in read_change_log(store)] == ["initial", "full", "full", "full"]


def test_store__holds_no_credential_or_token(api, acled, tmp_path):
    store = tmp_path / "acled"
    pull(store, acled())
    api.state.change_acled(revised=1)
    update_acled(store, acled(), now=NEXT_MONDAY)
    text = b"".join(store_files(store).values()).decode()
    assert USERNAME not in text and PASSWORD not in text and "access-" not in text and "refresh-" not in text


def test_build__reads_only_the_current_snapshot_and_says_so(api, acled, raw_dir, tmp_path):
    pull(raw_dir / "acled", acled())
    api.state.change_acled(added=3, revised=2, deleted=1)
    update_acled(raw_dir / "acled", acled(), now=NEXT_MONDAY)
    manifest = an.build(raw_dir, tmp_path / "out")
    assert [a["source_file"] for a in manifest["accounting"]] == ["acled/snapshots/acled-20250113T030000Z.csv"]
    assert manifest["totals"]["raw_rows"] == 14
    (record,) = manifest["stores"]
    assert (record["store"], record["snapshot"], record["rows"], record["older_snapshots"]) == (
        "acled",
        "acled/snapshots/acled-20250113T030000Z.csv",
        14,
        1,
    )
    assert [(c["kind"], c["added"], c["revised"], c["deleted"]) for c in record["changes"]] == [
        ("initial", 12, 0, 0),
        ("update", 3, 2, 1),
    ]
    summary = format_summary(manifest, tmp_path / "out")
    assert "Fetched stores (only each store's current snapshot is read):" in summary
    assert (
        "  acled: ACLED pulled 2025-01-13 03:00 UTC, 14 rows -> acled/snapshots/acled-20250113T030000Z.csv; "
        "1 older snapshot kept, not read"
    ) in summary
    assert len(an.load_processed(tmp_path / "out").events) == 14
    assert an.load_events(raw_dir / "acled", reference_dir=raw_dir / "reference").events["event_id"].size == 14


def test_vintage__states_the_pull_and_the_changes_since_the_previous_run(api, acled, raw_dir, tmp_path):
    pull(raw_dir / "acled", acled())
    an.build(raw_dir, tmp_path / "out")
    first_run = run_stores(stores_behind(tmp_path / "out"))
    api.state.change_acled(added=3, revised=2, deleted=1)
    update_acled(raw_dir / "acled", acled(), now=NEXT_MONDAY)
    an.build(raw_dir, tmp_path / "out")
    stores = stores_behind(tmp_path / "out")
    assert vintage_text(stores) == "data vintage: ACLED pulled 2025-01-13"
    assert changes_text(stores, first_run) == "since the previous run: 3 new, 2 revised, 1 deleted (ACLED)"
    assert changes_text(stores, run_stores(stores)) == ""
    assert changes_text(stores, []) == "since the previous run: ACLED read for the first time (14 events)"
    assert changes_text(stores, None) == ""


def test_main_fetch_acled__pulls_then_updates_from_the_command_line(api, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ACLED_API_URL", api.url)
    monkeypatch.setenv("ACLED_USERNAME", USERNAME)
    monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
    store = tmp_path / "acled"
    code = main(
        ["fetch", "acled", "--countries", "Iraq,Syria", "Jordan", "--start", "2019-01-01", "--store", str(store)]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "fetch: acled: page 1: 12 of 12 rows" in err
    assert "changes: 12 added, 0 revised, 0 deleted" in out
    api.state.change_acled(added=3, revised=2, deleted=1)
    assert main(["fetch", "acled", "--update", "--store", str(store)]) == 0
    out, err = capsys.readouterr()
    assert "changes: 3 added, 2 revised, 1 deleted" in out
    assert PASSWORD not in out + err and USERNAME not in out + err


def test_main_fetch_acled__bad_password_is_one_line_and_exit_2(api, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ACLED_API_URL", api.url)
    monkeypatch.setenv("ACLED_USERNAME", USERNAME)
    monkeypatch.setenv("ACLED_PASSWORD", "not the password")
    code = main(["fetch", "acled", "--countries", "Iraq", "--start", "2019-01-01", "--store", str(tmp_path / "a")])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 2  # the "fetch: ACLED from ..." line, then the error
    assert err.splitlines()[1].startswith("error: ACLED refused the username or password")
    assert "not the password" not in err and USERNAME not in err


def test_main_fetch_acled__update_without_a_store_is_exit_2_before_asking_for_credentials(
    monkeypatch, capsys, tmp_path
):
    monkeypatch.delenv("ACLED_USERNAME", raising=False)
    assert main(["fetch", "acled", "--update", "--store", str(tmp_path / "none")]) == 2
    assert "error: no ACLED store in" in capsys.readouterr().err


def test_main_fetch_acled__missing_credentials_name_the_variables(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("ACLED_USERNAME", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())  # no terminal: no prompt
    assert main(["fetch", "acled", "--countries", "Iraq", "--start", "2019-01-01", "--store", str(tmp_path / "a")]) == 2
    assert "error: ACLED credentials missing: set ACLED_USERNAME and ACLED_PASSWORD" in capsys.readouterr().err


@pytest.fixture
def ged(api, waits, lines):
    """Make a UCDP client for the fake API."""

    def make(token: str = UCDP_TOKEN) -> GedClient:
        policy = RetryPolicy(attempts=3, sleep=waits.append)
        return GedClient(api.url, Secrets((token,)), policy=policy, progress=lines.append)

    return make


def test_fetch_ged__follows_next_page_url_with_the_token_header(api, ged, lines, tmp_path):
    result = fetch_ged(tmp_path / "ged", "24.1", GedQuery(page_size=5), ged(), now=MONDAY)
    requests = api.requests_to("/api/gedevents/24.1")
    assert [r["query"]["page"] for r in requests] == ["0", "1", "2"]
    assert requests[0]["query"] == {"pagesize": "5", "page": "0", "Country": "645,652,663"}
    assert {r["ucdp_token"] for r in requests} == {UCDP_TOKEN}
    assert lines == [
        "ged 24.1: page 1: 5 of 12 rows",
        "ged 24.1: page 2: 10 of 12 rows",
        "ged 24.1: page 3: 12 of 12 rows",
    ]
    assert result.snapshot == tmp_path / "ged" / "24.1" / "ged-24.1-20250106T030000Z.csv"
    snapshot = read_snapshot(result.snapshot)
    assert len(snapshot) == 12 and snapshot["active_year"].iloc[0] == "true" and snapshot["country_id"].iloc[0] == "645"


def test_fetch_ged__moving_to_a_new_version_logs_added_changed_and_dropped_ids(api, ged, raw_dir, tmp_path):
    store = raw_dir / "ged"
    fetch_ged(store, "24.1", GedQuery(), ged(), now=MONDAY)
    newer = ged_api_rows(12)[2:] + ged_api_rows(2, first_id=400001)  # drops 300001-2, adds 400001-2
    newer[0] = {**newer[0], "best": "30", "high": "31"}  # 300003 changed
    api.state.ged["25.1"] = newer
    result = fetch_ged(store, "25.1", GedQuery(), ged(), now=NEXT_MONDAY)
    assert result.kind == "version"
    assert (result.changes.added, result.changes.revised, result.changes.deleted) == (
        ["400001", "400002"],
        ["300003"],
        ["300001", "300002"],
    )
    manifest = json.loads((store / "store.json").read_text())
    assert (manifest["version"], manifest["snapshot"]) == ("25.1", "25.1/ged-25.1-20250113T030000Z.csv")
    (entry,) = [e for e in read_change_log(store) if e["kind"] == "version"]
    assert (entry["previous_version"], entry["version"]) == ("24.1", "25.1")
    built = an.build(raw_dir, tmp_path / "out")
    assert [a["source_file"] for a in built["accounting"]] == ["ged/25.1/ged-25.1-20250113T030000Z.csv"]
    assert vintage_text(built["stores"]) == "data vintage: UCDP GED 25.1 pulled 2025-01-13"
    previous = [
        {"store": "ged", "source": "UCDP GED", "version": "24.1", "snapshot": "ged/24.1/ged-24.1-20250106T030000Z.csv"}
    ]
    assert (
        changes_text(built["stores"], previous)
        == "since the previous run: 2 new, 1 revised, 2 deleted (UCDP GED 24.1 -> 25.1)"
    )


def test_fetch_ged__a_next_page_on_another_host_is_refused(api, ged, tmp_path):
    api.state.next_page_host = "collector.example.net"
    with pytest.raises(FetchError, match=r"NextPageUrl points at another host \(collector.example.net\): not sending"):
        fetch_ged(tmp_path / "ged", "24.1", GedQuery(page_size=5), ged())
    assert not (tmp_path / "ged" / "store.json").exists()


def test_fetch_ged__a_refused_token_is_one_line_without_the_token(api, ged, tmp_path):
    with pytest.raises(FetchError) as error:
        fetch_ged(tmp_path / "ged", "24.1", GedQuery(), ged(token="not-the-token"))
    assert str(error.value).startswith("UCDP refused the token in UCDP_TOKEN (401")
    assert "not-the-token" not in str(error.value)


def test_fetch_ged__an_unknown_version_says_so(api, ged, tmp_path):
    with pytest.raises(FetchError, match=r"UCDP has no GED version 99.1 at 127.0.0.1:\d+/api/gedevents/99.1 \(404"):
        fetch_ged(tmp_path / "ged", "99.1", GedQuery(), ged())


def test_main_fetch_ged__reuses_the_store_query_for_a_new_version(api, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("UCDP_API_URL", api.url)
    monkeypatch.setenv("UCDP_TOKEN", UCDP_TOKEN)
    store = tmp_path / "ged"
    assert main(["fetch", "ged", "--version", "24.1", "--countries", "Iraq", "--store", str(store)]) == 0
    api.state.ged["25.1"] = ged_api_rows(15)
    assert main(["fetch", "ged", "--version", "25.1", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "changes: 1 added, 0 revised, 0 deleted" in out  # Iraq only: 4 of 12 rows, then 5 of 15
    assert api.requests_to("/api/gedevents/25.1")[0]["query"]["Country"] == "645"
