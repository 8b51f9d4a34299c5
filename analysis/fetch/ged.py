"""The UCDP GED API: events of one GED version, page by page, into a store that records each version it held.

``GET {base}/api/gedevents/{version}?pagesize=N&page=0`` (N at most 1000) with the filters ``Country`` (Gleditsch-Ward
codes, comma-separated), ``StartDate`` and ``EndDate``, and the token in the ``x-ucdp-access-token`` header. Each
answer holds ``Result`` (the rows), ``TotalCount``, ``TotalPages`` and ``NextPageUrl``, which is followed until it
is empty. A next-page address on another host is refused, so the token is only ever sent to the host it is for.

UCDP publishes yearly stable versions (``25.1``) and monthly candidate ones (``25.0.7``). The store keeps each
version's snapshots under ``<store>/<version>/``; pulling another version compares it with the one the store held
and logs which ids were added, changed ("revised") and dropped ("deleted").
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from analysis import __version__
from analysis.core.errors import ParameterError
from analysis.fetch.acled import check_date
from analysis.fetch.credentials import Secrets
from analysis.fetch.http import DEFAULT_POLICY, FetchError, RetryPolicy, print_progress, send, server_message, where
from analysis.fetch.store import (
    Pull,
    commit_pull,
    compare_snapshots,
    locked,
    previous_state,
    remove_leftovers,
    rows_frame,
    snapshot_name,
    sorted_snapshot,
    unchanged_note,
)

DEFAULT_URL = "https://ucdpapi.pcr.uu.se"
URL_VARIABLE = "UCDP_API_URL"
TOKEN_HEADER = "x-ucdp-access-token"
MAX_PAGE_SIZE = 1000
ID_COLUMN = "id"
SOURCE = "UCDP GED"
DEFAULT_COUNTRIES = ("Iraq", "Syria", "Jordan")
# Gleditsch-Ward country codes (what UCDP's Country filter takes) of the region this package studies.
GLEDITSCH_WARD = {
    "Iran": 630,
    "Turkey": 640,
    "Iraq": 645,
    "Egypt": 651,
    "Syria": 652,
    "Lebanon": 660,
    "Jordan": 663,
    "Israel": 666,
    "Saudi Arabia": 670,
    "Yemen": 678,
    "Kuwait": 690,
    "Bahrain": 692,
    "Qatar": 694,
    "United Arab Emirates": 696,
    "Oman": 698,
}
ORIGIN = {
    "producer": "Uppsala Conflict Data Program (UCDP)",
    "title": "UCDP Georeferenced Event Dataset (GED), as served by the UCDP API",
    "url_main": "https://ucdp.uu.se",
    "citation_full": (
        "Sundberg, R. & Melander, E. (2013). Introducing the UCDP Georeferenced Event Dataset. Journal of Peace "
        "Research 50(4), 523-532. Data: UCDP GED, the version named in this file's query."
    ),
    "license": "CC BY 4.0 (UCDP datasets); cite UCDP and the GED version in anything made from them.",
}
_VERSION = re.compile(r"^\d+\.\d+(?:\.\d+)?$")


def country_code(name: str) -> int:
    """Return the Gleditsch-Ward code of a country name (any case) or of a code given as a number.

    >>> country_code("Iraq"), country_code("syria"), country_code("663")
    (645, 652, 663)
    """
    text = str(name).strip()
    if text.isdigit():
        return int(text)
    codes = {country.lower(): code for country, code in GLEDITSCH_WARD.items()}
    if text.lower() not in codes:
        known = ", ".join(f"{country} {code}" for country, code in GLEDITSCH_WARD.items())
        raise ParameterError(f"no Gleditsch-Ward code known for {name!r}: give the number instead (known: {known})")
    return codes[text.lower()]


def check_version(version: str) -> str:
    """Return a GED version such as '25.1' or '25.0.7', or raise ParameterError.

    >>> check_version("25.1")
    '25.1'
    """
    if not _VERSION.match(str(version)):
        raise ParameterError(f"--version {version!r} is not a GED version such as 25.1 (yearly) or 25.0.7 (monthly)")
    return str(version)


@dataclass(frozen=True)
class GedQuery:
    """Which GED events a store holds: these countries, events starting from start to end (blank: all)."""

    countries: tuple[str, ...] = DEFAULT_COUNTRIES
    start: str | None = None
    end: str | None = None
    page_size: int = MAX_PAGE_SIZE

    def __post_init__(self):
        if not self.countries:
            raise ParameterError("--countries needs at least one country name or Gleditsch-Ward code")
        for country in self.countries:
            country_code(country)
        check_date("--start", self.start)
        check_date("--end", self.end)
        if not 1 <= int(self.page_size) <= MAX_PAGE_SIZE:
            raise ParameterError(
                f"--page-size must be 1 to {MAX_PAGE_SIZE} (UCDP's largest page), got {self.page_size}"
            )

    def filters(self) -> dict[str, str]:
        """Return the API's filters: Country (codes), StartDate, EndDate."""
        filters = {"Country": ",".join(str(country_code(c)) for c in self.countries)}
        if self.start:
            filters["StartDate"] = self.start
        if self.end:
            filters["EndDate"] = self.end
        return filters

    def to_dict(self) -> dict:
        """Return the query as the store's manifest records it (with the codes sent)."""
        return {
            **asdict(self),
            "countries": list(self.countries),
            "country_codes": [country_code(c) for c in self.countries],
        }

    @classmethod
    def from_dict(cls, recorded: dict, page_size: int | None = None) -> GedQuery:
        """Rebuild the query a store's manifest records."""
        return cls(
            tuple(recorded["countries"]),
            recorded.get("start"),
            recorded.get("end"),
            int(page_size or recorded.get("page_size") or MAX_PAGE_SIZE),
        )


class GedClient:
    """Requests to the UCDP API with the access token header and the retries of analysis.fetch.http."""

    def __init__(
        self,
        base_url: str,
        token: Secrets,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        progress: Callable[[str], None] = print_progress,
        session=None,
    ):
        import requests

        self.base_url = base_url.rstrip("/")
        self._token = token
        self.policy = policy
        self.progress = progress
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", f"militia-response-analysis/{__version__}")

    def __repr__(self) -> str:
        return f"GedClient({self.base_url!r})"

    def next_page(self, url: str | None, current: str) -> str | None:
        """Return the next page's address, or None; refuse one on another host (the token goes only to ours)."""
        if not url:
            return None
        absolute = urljoin(current, url)
        ours, theirs = urlsplit(self.base_url), urlsplit(absolute)
        if (theirs.hostname, theirs.port) != (ours.hostname, ours.port):
            raise FetchError(
                f"UCDP's NextPageUrl points at another host ({theirs.netloc}): not sending the token there"
            )
        return theirs._replace(scheme=ours.scheme).geturl()

    def get(self, url: str, params: dict | None, version: str) -> dict:
        """GET one page as JSON, or stop with one line saying why UCDP refused."""
        (token,) = self._token.values
        response = send(
            self.session,
            "GET",
            url,
            policy=self.policy,
            progress=self.progress,
            params=params,
            headers={TOKEN_HEADER: token},
        )
        message = self._token.redact(server_message(response))
        if response.status_code in (401, 403):
            raise FetchError(
                f"UCDP refused the token in UCDP_TOKEN ({response.status_code}: {message}): check it, or ask UCDP "
                "for one (see docs/fetch.md)"
            )
        if response.status_code == 404:
            raise FetchError(f"UCDP has no GED version {version} at {where(url)} (404: {message})")
        if response.status_code != 200:
            raise FetchError(f"UCDP answered {response.status_code} to {where(url)}: {message or response.reason}")
        try:
            body = response.json()
        except ValueError:
            raise FetchError(f"UCDP's answer to {where(url)} is not JSON: {message[:120]!r}") from None
        if not isinstance(body, dict):
            raise FetchError(f"UCDP's answer to {where(url)} is not a JSON object: {message[:120]!r}")
        return body

    def pages(self, version: str, query: GedQuery) -> Iterator[list[dict]]:
        """Yield the rows of each page, following NextPageUrl; print one progress line per page."""
        url = f"{self.base_url}/api/gedevents/{version}"
        params: dict | None = {"pagesize": query.page_size, "page": 0, **query.filters()}
        visited, so_far = set(), 0
        for page in itertools.count(1):
            body = self.get(url, params, version)
            rows = body.get("Result") or []
            so_far += len(rows)
            total = body.get("TotalCount")
            of_total = f" of {total}" if total is not None else ""
            self.progress(f"ged {version}: page {page}: {so_far}{of_total} rows")
            yield rows
            following = self.next_page(body.get("NextPageUrl"), url)
            if following is None:
                return
            if following in visited:
                raise FetchError(f"UCDP's NextPageUrl repeats {where(following)}: stopping rather than looping")
            visited.add(following)
            url, params = following, None  # the next address carries its own query string


def fetch_ged(
    store_dir: Path, version: str, query: GedQuery, client: GedClient, *, now: dt.datetime | None = None
) -> Pull:
    """Pull one GED version into a new snapshot, compared with what the store held (the same or another version)."""
    store_dir, now, version = Path(store_dir), now or dt.datetime.now(dt.UTC), check_version(version)
    with locked(store_dir):
        previous, old = previous_state(store_dir)
        if previous is not None and previous.get("source") != SOURCE:
            raise FetchError(
                f"{store_dir} is a {previous.get('source')} store, not a UCDP GED one: pass another --store"
            )
        remove_leftovers(store_dir, previous)
        try:
            pages = client.pages(version, query)
            fetched = rows_frame(itertools.chain.from_iterable(pages), ID_COLUMN, f"UCDP GED {version}")
        except FetchError as error:
            raise FetchError(f"{error}. {unchanged_note(store_dir, previous)}") from None
        if fetched.empty:
            raise FetchError(
                f"UCDP served no GED {version} rows for {query.filters()}. {unchanged_note(store_dir, previous)}"
            )
        snapshot = sorted_snapshot(fetched, "date_start", ID_COLUMN)
        if previous is None:
            kind = "initial"
        else:
            kind = "version" if previous.get("version") != version else "full"
        return commit_pull(
            store_dir,
            snapshot,
            name=snapshot_name(version, f"ged-{version}", now, store_dir),
            kind=kind,
            changes=compare_snapshots(old, snapshot, ID_COLUMN),
            fetched=len(fetched),
            pulled_at=now,
            previous=previous,
            fields={
                "source": SOURCE,
                "version": version,
                "query": query.to_dict(),
                "api_url": client.base_url,
                "watermark": None,
            },
            origin={**ORIGIN, "url_download": f"{client.base_url}/api/gedevents/{version}"},
        )
