"""`python -m analysis fetch acled|ged`: the command line of the API clients (the logic is in acled, ged, store)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis import paths
from analysis.core.errors import ParameterError

EPILOG = """\
credentials (never written anywhere): ACLED_USERNAME and ACLED_PASSWORD (or keyring, or a prompt at a
terminal); UCDP_TOKEN. API addresses: ACLED_API_URL (default https://acleddata.com) and UCDP_API_URL
(default https://ucdpapi.pcr.uu.se).

exit status: 0 the store holds the new pull; 2 bad options, credentials refused, no API access or the server
kept failing (the store is unchanged; one line says why); 130 interrupted (the store is unchanged).

examples:
  python -m analysis fetch acled --countries Iraq Syria Jordan --start 2019-01-01
  python -m analysis fetch acled --update          # weekly, from cron: see docs/fetch.md
  python -m analysis fetch ged --version 25.1 --countries Iraq Syria Jordan
"""


def _page_size(text: str) -> int:
    """Parse --page-size (a whole number; the source checks its own limit)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def add_fetch_arguments(parser: argparse.ArgumentParser, parents: tuple[argparse.ArgumentParser, ...] = ()) -> None:
    """Describe the `fetch` subcommand and its two sources (each also taking the options of `parents`)."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.description = (
        "Pull ACLED or UCDP GED events from their APIs into a versioned store under data/raw/, which "
        "`python -m analysis build` reads (each store's current snapshot). Every pull is a new snapshot, "
        "written atomically, with a manifest, a provenance file and a line in the store's change log."
    )
    sources = parser.add_subparsers(dest="source", required=True, metavar="{acled,ged}")
    acled = sources.add_parser(
        "acled",
        parents=list(parents),
        help="ACLED events (OAuth: ACLED_USERNAME / ACLED_PASSWORD)",
        description="A full pull (--countries and --start) or an update of the store (--update).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    acled.add_argument("--countries", nargs="+", metavar="COUNTRY", help="as ACLED spells them, e.g. Iraq Syria Jordan")
    acled.add_argument("--start", help="first event date, YYYY-MM-DD")
    acled.add_argument("--end", help="last event date, YYYY-MM-DD (default: up to the day of each pull)")
    acled.add_argument(
        "--update",
        action="store_true",
        help="pull only what changed since the store's last pull (rows with a newer timestamp, deletions)",
    )
    acled.add_argument(
        "--store", type=Path, default=paths.RAW_DIR / "acled", help="the store folder (default: %(default)s)"
    )
    acled.add_argument("--page-size", type=_page_size, help="rows per request, at most 5000 (default: 5000)")
    ged = sources.add_parser(
        "ged",
        parents=list(parents),
        help="UCDP GED events of one version (UCDP_TOKEN)",
        description="Pull one GED version; moving the store to another version logs the ids added, changed, dropped.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ged.add_argument("--version", required=True, help="GED version, e.g. 25.1 (yearly) or 25.0.7 (monthly candidate)")
    ged.add_argument(
        "--countries",
        nargs="+",
        metavar="COUNTRY",
        help="names or Gleditsch-Ward codes (default: the store's, else Iraq Syria Jordan)",
    )
    ged.add_argument("--start", help="first event date, YYYY-MM-DD (default: the store's, else all)")
    ged.add_argument("--end", help="last event date, YYYY-MM-DD")
    ged.add_argument(
        "--store", type=Path, default=paths.RAW_DIR / "ged", help="the store folder (default: %(default)s)"
    )
    ged.add_argument("--page-size", type=_page_size, help="rows per request, at most 1000 (default: 1000)")


def split_countries(values: list[str] | None) -> tuple[str, ...]:
    """Accept countries space- or comma-separated ('Iraq,Syria' or Iraq Syria; 'Saudi Arabia' quoted).

    >>> split_countries(["Iraq,Syria", "Jordan"])
    ('Iraq', 'Syria', 'Jordan')
    """
    return tuple(part.strip() for value in values or [] for part in value.split(",") if part.strip())


def _acled(args: argparse.Namespace):
    """Run a full ACLED pull or an update."""
    from analysis.fetch import acled
    from analysis.fetch.credentials import acled_credentials
    from analysis.fetch.http import FetchError
    from analysis.pipeline.stores import is_store

    if args.update:
        if args.countries or args.start or args.end:
            raise ParameterError(
                "--update repeats the store's own query: leave out --countries, --start and --end "
                "(or make a full pull without --update)"
            )
        if not is_store(args.store):
            raise FetchError(
                f"no ACLED store in {args.store}: make one first with "
                "`python -m analysis fetch acled --countries ... --start YYYY-MM-DD`"
            )
    elif not args.countries or not args.start:
        raise ParameterError("a full ACLED pull needs --countries and --start (or --update, to update the store)")
    query = None
    if not args.update:
        query = acled.AcledQuery(
            split_countries(args.countries), args.start, args.end, args.page_size or acled.MAX_PAGE_SIZE
        )
    client = acled.AcledClient(os.environ.get(acled.URL_VARIABLE) or acled.DEFAULT_URL, acled_credentials())
    print(f"fetch: ACLED from {client.base_url} into {args.store}", file=sys.stderr, flush=True)
    if args.update:
        return acled.update_acled(args.store, client, page_size=args.page_size)
    return acled.fetch_acled(args.store, query, client)


def _ged(args: argparse.Namespace):
    """Run a GED pull of one version (the store's query unless countries or dates are given)."""
    from analysis.fetch import ged
    from analysis.fetch.credentials import ucdp_token
    from analysis.pipeline.stores import is_store, read_store

    recorded = read_store(args.store)["query"] if is_store(args.store) else None
    if args.countries or args.start or args.end or recorded is None:
        query = ged.GedQuery(
            split_countries(args.countries) or ged.DEFAULT_COUNTRIES,
            args.start,
            args.end,
            args.page_size or ged.MAX_PAGE_SIZE,
        )
    else:
        query = ged.GedQuery.from_dict(recorded, args.page_size)
    version = ged.check_version(args.version)
    client = ged.GedClient(os.environ.get(ged.URL_VARIABLE) or ged.DEFAULT_URL, ucdp_token())
    print(f"fetch: UCDP GED {version} from {client.base_url} into {args.store}", file=sys.stderr, flush=True)
    return ged.fetch_ged(args.store, version, query, client)


def run_from_cli(args: argparse.Namespace) -> int:
    """Run `fetch acled` or `fetch ged` and print what the pull did."""
    try:
        pull = _acled(args) if args.source == "acled" else _ged(args)
    except KeyboardInterrupt:
        print(f"fetch: interrupted: the store {args.store} is unchanged; run the same command again", file=sys.stderr)
        return 130
    print(pull.describe())
    return 0
