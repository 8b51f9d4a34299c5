"""A small stand-in for the ACLED and UCDP APIs on 127.0.0.1: the tests' server, and one to try `fetch` by hand.

It speaks the requests `analysis.fetch` makes (OAuth password and refresh grants, bearer tokens, ACLED's read and
deleted endpoints with their filters and pages, UCDP's gedevents with NextPageUrl) and serves generated rows
(tests/factories.py), never ACLED's or UCDP's. Tests script failures on it: a status with headers for the next
requests to a path, tokens that expire after some requests, a server that stops answering mid-pull.

By hand (rows change on a POST to /_admin/change):

    python -m tests.fake_api --port 8765 --acled-rows 12 --username analyst@example.org --password pw
    curl -X POST 'http://127.0.0.1:8765/_admin/change?added=3&revised=2&deleted=1'
"""

from __future__ import annotations

import argparse
import itertools
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.factories import acled_api_rows, ged_api_rows

USERNAME, PASSWORD, UCDP_TOKEN = "analyst@example.org", "correct horse battery", "ucdp-token-0123"


@dataclass
class FakeApiState:
    """What the fake APIs serve and how they misbehave; tests change it between requests."""

    users: dict[str, str] = field(default_factory=lambda: {USERNAME: PASSWORD})
    access: str = "ok"  # ok / no-access / terms
    acled: dict[str, dict] = field(default_factory=dict)  # event_id_cnty -> row
    deletions: list[dict] = field(default_factory=list)
    ged: dict[str, list[dict]] = field(default_factory=dict)  # version -> rows
    ucdp_token: str = UCDP_TOKEN
    next_page_host: str | None = None  # serve NextPageUrl on this host instead of ours
    access_tokens: set[str] = field(default_factory=set)
    refresh_tokens: set[str] = field(default_factory=set)
    expire_tokens_after: int | None = None  # data requests served before every access token is refused (401)
    refuse_refresh: bool = False
    dead_after: int | None = None  # data pages served before the server stops answering (drops connections)
    failures: dict[str, deque] = field(default_factory=dict)  # path -> [(status, headers)] for the next requests
    requests: list[dict] = field(default_factory=list)
    data_requests: int = 0
    clock: itertools.count = field(default_factory=lambda: itertools.count(1_800_000_000))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, path: str, status: int, times: int = 1, headers: dict | None = None) -> None:
        """Answer the next `times` requests to path with status (and headers) instead of serving them."""
        self.failures.setdefault(path, deque()).extend([(status, headers or {})] * times)

    def set_acled(self, rows: list[dict]) -> None:
        """Serve these ACLED rows."""
        self.acled = {row["event_id_cnty"]: dict(row) for row in rows}

    def change_acled(self, added: int = 0, revised: int = 0, deleted: int = 0) -> dict[str, list[str]]:
        """Revise the first rows, delete the next ones and add new ones, as ACLED does between pulls.

        Every change is stamped later than any row served so far (time moves forward), as ACLED's `timestamp` is.
        """
        latest = max((int(row["timestamp"]) for row in self.acled.values()), default=0)
        now = max(next(self.clock), latest + 1)
        ids = list(self.acled)
        revised_ids, deleted_ids = ids[:revised], ids[revised : revised + deleted]
        for event_id in revised_ids:
            self.acled[event_id] = {**self.acled[event_id], "fatalities": 2, "timestamp": now}
        for event_id in deleted_ids:
            del self.acled[event_id]
            self.deletions.append({"event_id_cnty": event_id, "deleted_timestamp": now})
        numbers = [int("".join(c for c in i if c.isdigit())) for i in ids] or [0]
        new = acled_api_rows(added, first_day="2024-06-01", timestamp=now, first_number=max(numbers) + 1)
        self.acled.update({row["event_id_cnty"]: row for row in new})
        return {"added": [r["event_id_cnty"] for r in new], "revised": revised_ids, "deleted": deleted_ids}


def _json(handler: BaseHTTPRequestHandler, status: int, body: dict, headers: dict | None = None) -> None:
    """Send a JSON answer."""
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)


def _first(query: dict, name: str, default=None):
    """Return a query parameter's first value."""
    return query.get(name, [default])[0]


def _page(rows: list[dict], query: dict, *, limit_name: str, page_name: str, first_page: int):
    """Cut one page out of rows."""
    size = int(_first(query, limit_name, 5000))
    page = int(_first(query, page_name, first_page)) - first_page
    return rows[page * size : (page + 1) * size], size, page + first_page


class Handler(BaseHTTPRequestHandler):
    """Serve the fake APIs from the server's FakeApiState."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: the tests read state.requests instead
        pass

    @property
    def state(self) -> FakeApiState:
        return self.server.state

    def _record(self, method: str, form: dict | None = None) -> tuple[str, dict]:
        """Log the request (form fields named, never their values) and return its path and query."""
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.state.requests.append(
            {
                "method": method,
                "path": parts.path,
                "query": {k: v[0] for k, v in query.items()},
                "authorization": self.headers.get("Authorization"),
                "ucdp_token": self.headers.get("x-ucdp-access-token"),
                "form": form or {},
            }
        )
        return parts.path, query

    def _scripted(self, path: str) -> bool:
        """Answer with a scripted failure when one is queued for this path."""
        queue = self.state.failures.get(path)
        if not queue:
            return False
        status, headers = queue.popleft()
        _json(self, status, {"message": f"scripted {status}"}, headers)
        return True

    def _dead(self) -> bool:
        """Drop the connection without an answer once the server has 'died'."""
        if self.state.dead_after is not None and self.state.data_requests >= self.state.dead_after:
            self.close_connection = True
            return True
        return False

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        with self.state.lock:
            path, query = self._record("POST", form)
            if self._dead() or self._scripted(path):
                return
            if path == "/oauth/token":
                return self._token(form)
            if path == "/_admin/change":
                counts = {k: int(_first(query, k, 0)) for k in ("added", "revised", "deleted")}
                return _json(self, 200, self.state.change_acled(**counts))
            return _json(self, 404, {"message": f"no {path}"})

    def _token(self, form: dict) -> None:
        """The OAuth token endpoint: password and refresh grants."""
        state = self.state
        if form.get("client_id") != "acled":
            return _json(self, 400, {"error": "invalid_client"})
        if form.get("grant_type") == "password":
            if state.users.get(form.get("username")) != form.get("password"):
                # real servers may echo what they were sent: the client must redact it
                return _json(
                    self,
                    400,
                    {"error": "invalid_grant", "error_description": f"bad credentials for {form.get('username')}"},
                )
        elif form.get("grant_type") == "refresh_token":
            if state.refuse_refresh or form.get("refresh_token") not in state.refresh_tokens:
                return _json(self, 400, {"error": "invalid_grant", "error_description": "refresh token expired"})
        else:
            return _json(self, 400, {"error": "unsupported_grant_type"})
        access, refresh = f"access-{secrets.token_hex(8)}", f"refresh-{secrets.token_hex(8)}"
        state.access_tokens.add(access)
        state.refresh_tokens.add(refresh)
        _json(
            self, 200, {"access_token": access, "refresh_token": refresh, "expires_in": 86400, "token_type": "Bearer"}
        )

    def do_GET(self):
        with self.state.lock:
            path, query = self._record("GET")
            if self._dead() or self._scripted(path):
                return
            if path.startswith("/api/gedevents/"):
                return self._ged(path.rsplit("/", 1)[1], query)
            if path in ("/api/acled/read", "/api/deleted/read"):
                return self._acled(path, query)
            return _json(self, 404, {"message": f"no {path}"})

    def _authorised(self) -> bool:
        """Check the bearer token (and the account's access); answer 401 / 403 when it fails."""
        state = self.state
        if state.expire_tokens_after is not None and state.data_requests >= state.expire_tokens_after:
            state.access_tokens.clear()
            state.expire_tokens_after = None
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        if token not in state.access_tokens:
            _json(self, 401, {"message": "Unauthorized: the access token is invalid or expired"})
            return False
        if state.access == "terms":
            _json(self, 403, {"message": "You must accept the Terms of Use before using the API"})
            return False
        if state.access == "no-access":
            _json(self, 403, {"message": "Access denied: this account is not allowed to use the API"})
            return False
        return True

    def _acled(self, path: str, query: dict) -> None:
        """ACLED's read and deleted endpoints, with their filters and pages."""
        if not self._authorised():
            return
        state = self.state
        if path == "/api/acled/read":
            rows = list(state.acled.values())
            if _first(query, "country"):
                countries = set(_first(query, "country").split(":OR:"))
                rows = [r for r in rows if r["country"] in countries]
            if _first(query, "event_date"):
                start, end = _first(query, "event_date").split("|")
                rows = [r for r in rows if start <= r["event_date"] <= end]
            if _first(query, "timestamp"):
                rows = [r for r in rows if int(r["timestamp"]) >= int(_first(query, "timestamp"))]
        else:
            since = int(_first(query, "deleted_timestamp", 0))
            rows = [r for r in state.deletions if int(r["deleted_timestamp"]) >= since]
        page_rows, _, _ = _page(rows, query, limit_name="limit", page_name="page", first_page=1)
        state.data_requests += 1
        body = {"status": 200, "success": True, "count": len(page_rows), "data": page_rows}
        if _first(query, "with_total") == "true":
            body["total_count"] = len(rows)
        _json(self, 200, body)

    def _ged(self, version: str, query: dict) -> None:
        """UCDP's gedevents endpoint: token header, Country / StartDate / EndDate, pages, NextPageUrl."""
        state = self.state
        if self.headers.get("x-ucdp-access-token") != state.ucdp_token:
            return _json(self, 401, {"message": "a valid x-ucdp-access-token is required"})
        if version not in state.ged:
            return _json(self, 404, {"message": f"no GED version {version}"})
        rows = state.ged[version]
        if _first(query, "Country"):
            codes = {int(c) for c in _first(query, "Country").split(",")}
            rows = [r for r in rows if int(r["country_id"]) in codes]
        if _first(query, "StartDate"):
            rows = [r for r in rows if r["date_start"][:10] >= _first(query, "StartDate")]
        if _first(query, "EndDate"):
            rows = [r for r in rows if r["date_start"][:10] <= _first(query, "EndDate")]
        page_rows, size, page = _page(rows, query, limit_name="pagesize", page_name="page", first_page=0)
        pages = max(-(-len(rows) // size), 1)
        following = ""
        if page + 1 < pages:
            host = state.next_page_host or f"127.0.0.1:{self.server.server_port}"
            rest = {k: v[0] for k, v in query.items() if k != "page"}
            following = f"http://{host}/api/gedevents/{version}?{urlencode({**rest, 'page': page + 1})}"
        state.data_requests += 1
        _json(
            self,
            200,
            {
                "TotalCount": len(rows),
                "TotalPages": pages,
                "PreviousPageUrl": "",
                "NextPageUrl": following,
                "Result": page_rows,
            },
        )


class FakeApi:
    """The fake APIs, served from a thread of this process on 127.0.0.1 (port 0: any free port)."""

    def __init__(self, state: FakeApiState | None = None, port: int = 0):
        self.state = state or FakeApiState()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.server.state = self.state
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        """The base URL (what ACLED_API_URL / UCDP_API_URL would hold)."""
        return f"http://127.0.0.1:{self.server.server_port}"

    def requests_to(self, path: str) -> list[dict]:
        """Return the logged requests to one path."""
        return [r for r in self.state.requests if r["path"] == path]

    def __enter__(self) -> FakeApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def main(argv: list[str] | None = None) -> None:
    """Serve the fake APIs until interrupted (for trying `python -m analysis fetch` by hand)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--acled-rows", type=int, default=12)
    parser.add_argument("--ged-version", default="25.1")
    parser.add_argument("--ged-rows", type=int, default=12)
    parser.add_argument("--username", default=USERNAME)
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--ucdp-token", default=UCDP_TOKEN)
    args = parser.parse_args(argv)
    state = FakeApiState(users={args.username: args.password}, ucdp_token=args.ucdp_token)
    state.set_acled(acled_api_rows(args.acled_rows))
    state.ged[args.ged_version] = ged_api_rows(args.ged_rows)
    with FakeApi(state, args.port) as api:
        print(f"fake ACLED and UCDP APIs on {api.url} (POST {api.url}/_admin/change?added=N&revised=N&deleted=N)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
