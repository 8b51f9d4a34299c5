"""ACLED's API: sign in, read events page by page, read deletions; a full pull and an update into a store.

How ACLED's API works now: ``POST {base}/oauth/token`` with the form fields ``username``, ``password``,
``grant_type=password`` and ``client_id=acled`` returns an access token (valid about a day) and a refresh token;
every request then carries ``Authorization: Bearer <token>``. When a request is refused with 401 (the token
expired mid-pull), the client renews the token (refresh grant, else the password grant again) and repeats the
request once. Events come from ``GET {base}/api/acled/read`` with ``limit`` rows a page (at most 5000) and
``page`` = 1, 2, ... until a page holds fewer than ``limit`` rows; the first page asks ``with_total=true`` for
the row count the progress lines show. Deleted events come from ``GET {base}/api/deleted/read``
(``event_id_cnty``, ``deleted_timestamp``).

An update asks for the rows whose ``timestamp`` (ACLED's time of last change) is at or after the store's
watermark (the largest ``timestamp`` it holds, as acledR's ``acled_update`` does; "at or after", so a row changed
in the same second as the watermark is not missed) and for the deletions since the last pull (a day earlier, for
differences between clocks: a deletion seen twice removes nothing twice), then replaces revised rows by
``event_id_cnty``. A row served again with a ``timestamp`` after its deletion was restored, and stays.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from analysis import __version__
from analysis.core.errors import ParameterError
from analysis.fetch.credentials import Credentials, Secrets
from analysis.fetch.http import DEFAULT_POLICY, FetchError, RetryPolicy, print_progress, send, server_message, where
from analysis.fetch.store import (
    Pull,
    apply_update,
    commit_pull,
    compare_snapshots,
    locked,
    previous_state,
    remove_leftovers,
    rows_frame,
    snapshot_name,
    sorted_snapshot,
    unchanged_note,
    watermark,
)

DEFAULT_URL = "https://acleddata.com"
URL_VARIABLE = "ACLED_API_URL"
TOKEN_PATH = "/oauth/token"
READ_PATH = "/api/acled/read"
DELETED_PATH = "/api/deleted/read"
CLIENT_ID = "acled"
MAX_PAGE_SIZE = 5000
ID_COLUMN = "event_id_cnty"
SOURCE = "ACLED"
DELETION_MARGIN = dt.timedelta(days=1)
ORIGIN = {
    "producer": "Armed Conflict Location & Event Data (ACLED)",
    "title": "ACLED events, as served by the ACLED API",
    "url_main": "https://acleddata.com",
    "citation_full": (
        "Raleigh, C., Kishi, R. & Linke, A. (2023). Political instability patterns are obscured by conflict "
        "dataset scope conditions, sources, and coding choices. Humanities and Social Sciences Communications "
        "10, 74. Data: Armed Conflict Location & Event Data (ACLED), acleddata.com."
    ),
    "license": (
        "ACLED Terms of Use and Attribution Policy: for the account holder's use; the data are not to be "
        "redistributed (this store is git-ignored); cite ACLED in anything made from them."
    ),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_date(name: str, value: str | None) -> str | None:
    """Return a YYYY-MM-DD date unchanged, or raise ParameterError naming the option.

    >>> check_date("--start", "2019-01-01")
    '2019-01-01'
    """
    if value is None:
        return None
    try:
        if not _DATE.match(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise ParameterError(f"{name} {value!r} is not a date written YYYY-MM-DD") from None
    return value


@dataclass(frozen=True)
class AcledQuery:
    """What a store holds: these countries, events dated from start to end (blank end: up to each pull's day)."""

    countries: tuple[str, ...]
    start: str
    end: str | None = None
    page_size: int = MAX_PAGE_SIZE

    def __post_init__(self):
        if not self.countries or not all(str(c).strip() for c in self.countries):
            raise ParameterError("--countries needs at least one country name, as ACLED spells it (e.g. Iraq)")
        check_date("--start", self.start)
        check_date("--end", self.end)
        if self.end and self.end < self.start:
            raise ParameterError(f"--end {self.end} is before --start {self.start}")
        if not 1 <= int(self.page_size) <= MAX_PAGE_SIZE:
            raise ParameterError(
                f"--page-size must be 1 to {MAX_PAGE_SIZE} (ACLED's largest page), got {self.page_size}"
            )

    def filters(self, today: dt.date) -> dict[str, str]:
        """Return the API's filters: countries joined by ':OR:', event_date BETWEEN start and end (or today)."""
        return {
            "country": ":OR:".join(self.countries),
            "event_date": f"{self.start}|{self.end or today.isoformat()}",
            "event_date_where": "BETWEEN",
        }

    def to_dict(self) -> dict:
        """Return the query as the store's manifest records it."""
        return {**asdict(self), "countries": list(self.countries)}

    @classmethod
    def from_dict(cls, recorded: dict, page_size: int | None = None) -> AcledQuery:
        """Rebuild the query a store's manifest records (optionally with another page size)."""
        return cls(
            tuple(recorded["countries"]),
            recorded["start"],
            recorded.get("end"),
            int(page_size or recorded.get("page_size") or MAX_PAGE_SIZE),
        )


def refusal(status: int, message: str) -> str:
    """Explain in one line why ACLED refused an account: bad credentials, terms not accepted, or no API access.

    >>> refusal(403, "You must accept the terms of use")[:56]
    "the ACLED account has not accepted ACLED's terms of use "
    """
    said = f"(ACLED answered {status}: {message})" if message else f"(ACLED answered {status})"
    lowered = message.lower()
    if "terms" in lowered:
        return (
            f"the ACLED account has not accepted ACLED's terms of use {said}: sign in at acleddata.com, accept "
            "them, then run the same command again"
        )
    if status in (400, 401) or "invalid_grant" in lowered or "credentials" in lowered or "password" in lowered:
        return f"ACLED refused the username or password {said}: check ACLED_USERNAME and ACLED_PASSWORD"
    return (
        f"the ACLED account has no API access {said}: ACLED grants API access per account (see docs/fetch.md); "
        "ask ACLED to enable it"
    )


class AcledClient:
    """Requests to ACLED's API with a bearer token, renewed on 401, and the retries of analysis.fetch.http."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        progress: Callable[[str], None] = print_progress,
        session=None,
    ):
        import requests

        self.base_url = base_url.rstrip("/")
        self._credentials = credentials
        self._access_token: str | None = None
        self._refresh_token: str | None = None
        self._last_refusal: tuple[int, str] = (0, "")
        self.policy = policy
        self.progress = progress
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", f"militia-response-analysis/{__version__}")

    def __repr__(self) -> str:
        return f"AcledClient({self.base_url!r})"

    def _redacted(self, text: str) -> str:
        """Blank out the credentials and tokens from a server's text before it is shown."""
        tokens = tuple(t for t in (self._access_token, self._refresh_token) if t)
        return Secrets((*self._credentials.secrets.values, *tokens)).redact(text)

    def _token(self, form: dict) -> bool:
        """Ask the token endpoint for a token; keep it and return True, or return False with the refusal kept."""
        response = send(
            self.session, "POST", self.base_url + TOKEN_PATH, policy=self.policy, progress=self.progress, data=form
        )
        if response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                body = {}
            if body.get("access_token"):
                self._access_token = body["access_token"]
                self._refresh_token = body.get("refresh_token") or self._refresh_token
                return True
        self._last_refusal = (response.status_code, self._redacted(server_message(response)))
        return False

    def sign_in(self) -> None:
        """Get a token with the password grant, or stop with one line saying why ACLED refused."""
        form = {
            "username": self._credentials.username,
            "password": self._credentials.password,
            "grant_type": "password",
            "client_id": CLIENT_ID,
        }
        if not self._token(form):
            raise FetchError(refusal(*self._last_refusal))

    def renew(self) -> None:
        """Get a new token after a 401: the refresh grant when there is a refresh token, else sign in again."""
        if self._refresh_token and self._token(
            {"grant_type": "refresh_token", "refresh_token": self._refresh_token, "client_id": CLIENT_ID}
        ):
            return
        self.sign_in()

    def get(self, path: str, params: dict) -> dict:
        """GET a path of the API as JSON, signing in first and renewing the token once on 401."""
        if self._access_token is None:
            self.sign_in()
        url = self.base_url + path
        for attempt in (1, 2):
            response = send(
                self.session,
                "GET",
                url,
                policy=self.policy,
                progress=self.progress,
                params=params,
                headers={"Authorization": f"Bearer {self._access_token}"},
            )
            if response.status_code == 401 and attempt == 1:
                self.progress("acled: the access token was refused (expired?): signing in again")
                self.renew()
                continue
            break
        message = self._redacted(server_message(response))
        if response.status_code == 401:
            raise FetchError(f"ACLED refused a fresh access token for {where(url)} (401: {message})")
        if response.status_code == 403:
            raise FetchError(refusal(403, message))
        if response.status_code != 200:
            raise FetchError(f"ACLED answered {response.status_code} to {where(url)}: {message or response.reason}")
        try:
            body = response.json()
        except ValueError:
            raise FetchError(f"ACLED's answer to {where(url)} is not JSON: {message[:120]!r}") from None
        if not isinstance(body, dict):
            raise FetchError(f"ACLED's answer to {where(url)} is not a JSON object: {message[:120]!r}")
        if body.get("success") is False or body.get("status") in (401, 403):
            raise FetchError(refusal(int(body.get("status") or 403), message))
        return body

    def pages(self, path: str, filters: dict, page_size: int, label: str) -> Iterator[list[dict]]:
        """Yield the rows of each page, page 1, 2, ... until a short page; print one progress line per page."""
        total, so_far = None, 0
        for page in itertools.count(1):
            params = {"_format": "json", **filters, "limit": page_size, "page": page}
            if page == 1:
                params["with_total"] = "true"
            body = self.get(path, params)
            rows = body.get("data") or []
            if not isinstance(rows, list):
                raise FetchError(f"ACLED's page {page} of {path} holds no list of rows under 'data'")
            if page == 1:
                total = body.get("total_count", body.get("total"))
            so_far += len(rows)
            of_total = f" of {total}" if total not in (None, "") else ""
            self.progress(f"{label}: page {page}: {so_far}{of_total} rows")
            yield rows
            if len(rows) < page_size:
                return


def effective_deletions(deletions: Iterable[dict], fetched_timestamps: dict[str, str]) -> list[str]:
    """Return the deleted ids, except those served again with a `timestamp` after their deletion (restored).

    >>> effective_deletions([{"event_id_cnty": "A", "deleted_timestamp": "100"}, {"event_id_cnty": "B", "deleted_timestamp": "100"}], {"B": "200"})
    ['A']
    """
    deleted = []
    for row in deletions:
        event_id = str(row.get(ID_COLUMN) or "").strip()
        if not event_id:
            continue
        served_again = fetched_timestamps.get(event_id)
        if served_again and _number(served_again) > _number(row.get("deleted_timestamp")):
            continue
        deleted.append(event_id)
    return list(dict.fromkeys(deleted))


def _number(value) -> float:
    """Read a Unix time as a number (unreadable -> -inf, so it never wins a comparison)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("-inf")


def _check_source(manifest: dict | None, store_dir: Path) -> None:
    """Refuse to write ACLED rows into a store of another source."""
    if manifest is not None and manifest.get("source") != SOURCE:
        raise FetchError(f"{store_dir} is a {manifest.get('source')} store, not an ACLED one: pass another --store")


def _fields(query: AcledQuery, client: AcledClient, frame) -> dict:
    """Return the ACLED-specific fields of a store manifest."""
    return {
        "source": SOURCE,
        "version": None,
        "query": query.to_dict(),
        "api_url": client.base_url,
        "watermark": watermark(frame),
    }


def fetch_acled(store_dir: Path, query: AcledQuery, client: AcledClient, *, now: dt.datetime | None = None) -> Pull:
    """Pull every row the query selects into a new snapshot of the store (compared with the one it replaces)."""
    store_dir, now = Path(store_dir), now or dt.datetime.now(dt.UTC)
    with locked(store_dir):
        previous, old = previous_state(store_dir)
        _check_source(previous, store_dir)
        remove_leftovers(store_dir, previous)
        try:
            pages = client.pages(READ_PATH, query.filters(now.date()), query.page_size, "acled")
            fetched = rows_frame(itertools.chain.from_iterable(pages), ID_COLUMN, f"ACLED {READ_PATH}")
        except FetchError as error:
            raise FetchError(f"{error}. {unchanged_note(store_dir, previous)}") from None
        if fetched.empty:
            raise FetchError(
                f"ACLED served no rows for {query.filters(now.date())}: check the country names and dates. "
                f"{unchanged_note(store_dir, previous)}"
            )
        snapshot = sorted_snapshot(fetched, "event_date", ID_COLUMN)
        return commit_pull(
            store_dir,
            snapshot,
            name=snapshot_name("snapshots", "acled", now, store_dir),
            kind="initial" if previous is None else "full",
            changes=compare_snapshots(old, snapshot, ID_COLUMN),
            fetched=len(fetched),
            pulled_at=now,
            previous=previous,
            fields=_fields(query, client, snapshot),
            origin={**ORIGIN, "url_download": client.base_url + READ_PATH},
        )


def update_acled(
    store_dir: Path, client: AcledClient, *, page_size: int | None = None, now: dt.datetime | None = None
) -> Pull:
    """Bring a store up to date: rows changed since its watermark replace theirs by id, deleted rows go."""
    store_dir, now = Path(store_dir), now or dt.datetime.now(dt.UTC)
    with locked(store_dir):
        previous, old = previous_state(store_dir)
        if previous is None:
            raise FetchError(
                f"no ACLED store in {store_dir}: make one first with "
                "`python -m analysis fetch acled --countries ... --start YYYY-MM-DD`"
            )
        _check_source(previous, store_dir)
        if previous.get("watermark") is None:
            raise FetchError(f"{store_dir}'s snapshot has no ACLED timestamp to update from: run a full pull")
        remove_leftovers(store_dir, previous)
        query = AcledQuery.from_dict(previous["query"], page_size)
        since = dt.datetime.fromisoformat(previous["pulled_at"]) - DELETION_MARGIN
        try:
            changed = {**query.filters(now.date()), "timestamp": previous["watermark"], "timestamp_where": ">="}
            pages = client.pages(READ_PATH, changed, query.page_size, "acled")
            fetched = rows_frame(itertools.chain.from_iterable(pages), ID_COLUMN, f"ACLED {READ_PATH}")
            deletions = client.pages(
                DELETED_PATH,
                {"deleted_timestamp": int(since.timestamp()), "deleted_timestamp_where": ">="},
                query.page_size,
                "acled deletions",
            )
            timestamps = dict(zip(fetched[ID_COLUMN], fetched["timestamp"])) if "timestamp" in fetched else {}
            deleted = effective_deletions(itertools.chain.from_iterable(deletions), timestamps)
        except FetchError as error:
            raise FetchError(f"{error}. {unchanged_note(store_dir, previous)}") from None
        merged, changes = apply_update(old, fetched, deleted, ID_COLUMN)
        snapshot = sorted_snapshot(merged, "event_date", ID_COLUMN)
        return commit_pull(
            store_dir,
            snapshot,
            name=snapshot_name("snapshots", "acled", now, store_dir),
            kind="update",
            changes=changes,
            fetched=len(fetched),
            pulled_at=now,
            previous=previous,
            fields=_fields(query, client, snapshot),
            origin={**ORIGIN, "url_download": client.base_url + READ_PATH},
        )
