"""Credentials for the APIs, read from the environment (or keyring, or a prompt) and kept in memory only.

Nothing here writes a credential anywhere: not to disk, not to a log, not into an error message or a repr.
Messages the servers send back are passed through `Secrets.redact` before anyone sees them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from analysis.fetch.http import FetchError

KEYRING_SERVICE = "acled"  # `keyring set acled <username>` stores the password where this module looks for it


@dataclass(frozen=True)
class Secrets:
    """Values that must never be shown: their repr hides them, and redact() blanks them out of any text."""

    values: tuple[str, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        return f"Secrets({len(self.values)} hidden)"

    def redact(self, text: str) -> str:
        """Replace every secret in text by '***'.

        >>> Secrets(("hunter2",)).redact("bad password hunter2")
        'bad password ***'
        """
        for value in sorted(self.values, key=len, reverse=True):
            if value:
                text = text.replace(value, "***")
        return text


@dataclass(frozen=True)
class Credentials:
    """An ACLED username (the account's e-mail) and password; both hidden from repr."""

    username: str = field(repr=False)
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return "Credentials(username=***, password=***)"

    @property
    def secrets(self) -> Secrets:
        """Return both values as Secrets, to redact server messages that might echo them."""
        return Secrets((self.username, self.password))


def _keyring_password(username: str) -> str | None:
    """Return the password keyring holds for the ACLED username, or None (keyring absent or empty)."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, username)
    except Exception:  # no usable keyring back end on this machine: fall through to a prompt or an error
        return None


def acled_credentials(
    environ: Mapping[str, str] = os.environ,
    *,
    interactive: bool | None = None,
    ask: Callable[[str], str] = input,
    ask_secret: Callable[[str], str] | None = None,
) -> Credentials:
    """Return ACLED credentials from ACLED_USERNAME / ACLED_PASSWORD, keyring, or a prompt at a terminal.

    The password comes from ACLED_PASSWORD, else from keyring (service 'acled', the username as key) when
    keyring is installed, else from a prompt when stdin is a terminal. A scheduled run (no terminal) with a
    credential missing stops with one line saying which variable to set.
    """
    import getpass

    interactive = sys.stdin.isatty() if interactive is None else interactive
    ask_secret = ask_secret or getpass.getpass
    username = environ.get("ACLED_USERNAME", "").strip()
    if not username and interactive:
        username = ask("ACLED username (the account's e-mail): ").strip()
    if not username:
        raise FetchError(
            "ACLED credentials missing: set ACLED_USERNAME and ACLED_PASSWORD (the e-mail and password of an "
            "ACLED account with API access; see docs/fetch.md)"
        )
    password = environ.get("ACLED_PASSWORD") or _keyring_password(username)
    if not password and interactive:
        password = ask_secret("ACLED password: ")
    if not password:
        raise FetchError(
            "ACLED password missing: set ACLED_PASSWORD (or store it with `keyring set acled <username>`; "
            "see docs/fetch.md)"
        )
    return Credentials(username, password)


def ucdp_token(environ: Mapping[str, str] = os.environ) -> Secrets:
    """Return the UCDP API token from UCDP_TOKEN, wrapped so it is never shown."""
    token = environ.get("UCDP_TOKEN", "").strip()
    if not token:
        raise FetchError("UCDP token missing: set UCDP_TOKEN (UCDP gives API tokens on request; see docs/fetch.md)")
    return Secrets((token,))
