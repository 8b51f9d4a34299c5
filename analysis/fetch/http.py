"""HTTP for the API clients: one request with retries and backoff, Retry-After honoured, errors as one line.

Retried: 429 (too many requests), 500, 502, 503 and 504, and a connection that fails or times out. The wait is
the server's Retry-After (seconds or an HTTP date) when it sends one, else `backoff_seconds` doubled at each
attempt. A Retry-After longer than `max_wait_seconds` is not slept through: the pull stops and says when to
run again. Tests pass a `sleep` that records the waits instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from analysis.core.errors import AnalysisError

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
TIMEOUT_SECONDS = (15, 300)  # connect, read: a 5000-row ACLED page can take a minute to arrive


class FetchError(AnalysisError):
    """A pull that cannot go on: bad credentials, no API access, a server that keeps failing. One line."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a request that failed in a way that may pass."""

    attempts: int = 6
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 900.0
    sleep: Callable[[float], None] = time.sleep


DEFAULT_POLICY = RetryPolicy()


def print_progress(message: str) -> None:
    """Print one progress line to stderr (what cron keeps in its mail or log)."""
    print(f"fetch: {message}", file=sys.stderr, flush=True)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Read a Retry-After header: a number of seconds or an HTTP date (None when absent or unreadable).

    >>> retry_after_seconds("7"), retry_after_seconds(None), retry_after_seconds("soon")
    (7.0, None, None)
    >>> retry_after_seconds("Mon, 06 Jan 2025 03:00:30 GMT", dt.datetime(2025, 1, 6, 3, 0, tzinfo=dt.UTC))
    30.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = now or dt.datetime.now(dt.UTC)
    return max((when - now).total_seconds(), 0.0)


def where(url: str) -> str:
    """Name a request's target without its query string (host and path), for messages.

    >>> where("https://acleddata.com/api/acled/read?page=2")
    'acleddata.com/api/acled/read'
    """
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def server_message(response) -> str:
    """Return what a server said about an error, short: its JSON message fields, else the start of its text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    parts = []
    if isinstance(body, dict):
        for key in ("error", "error_description", "message", "messages"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value
            if value:
                parts.append(str(value))
    text = "; ".join(parts) if parts else (response.text or "").strip()
    return " ".join(text.split())[:300]


def send(session, method: str, url: str, *, policy: RetryPolicy, progress=print_progress, **kwargs):
    """Make one request, retrying what may pass (see the module docstring); return the final response.

    Any other status is returned as it is, for the caller to judge.
    """
    import requests

    for attempt in range(1, policy.attempts + 1):
        try:
            response = session.request(method, url, timeout=TIMEOUT_SECONDS, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as error:
            problem, wait = f"could not reach {where(url)} ({type(error).__name__})", None
        else:
            if response.status_code not in RETRIED_STATUSES:
                return response
            problem = f"{where(url)} answered {response.status_code} {response.reason or ''}".rstrip()
            wait = retry_after_seconds(response.headers.get("Retry-After"))
        if attempt == policy.attempts:
            raise FetchError(f"{problem}, {policy.attempts} times in a row: giving up; run the same command later")
        wait = policy.backoff_seconds * 2 ** (attempt - 1) if wait is None else wait
        if wait > policy.max_wait_seconds:
            raise FetchError(f"{problem} and asks to wait {wait:.0f} s: giving up; run the same command after that")
        progress(f"{problem}: retrying in {wait:g} s (attempt {attempt + 1} of {policy.attempts})")
        policy.sleep(wait)
    raise AssertionError("unreachable")  # the loop returns or raises
