"""Read a text file (plain text, Markdown or HTML) into plain text with its publication date and writer's zone.

The publication date comes from the caller, else from metadata (YAML front matter, HTML meta tags), else from a
date line near the top of the text. Without one the file is refused: relative dates cannot be resolved.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from analysis.cleaning.cells import CellError, parse_date
from analysis.core.errors import InputError

EASTERN = "eastern"  # texts written in Washington: "last night" and clock times are US Eastern
LOCAL = "local"  # texts written in the region (or quoting it): times are local

_FRONT_MATTER = re.compile(r"\A\s*---\s*\n(?P<body>.*?)\n---\s*\n", re.DOTALL)
_META_LINE = re.compile(r"^(?P<key>[A-Za-z_]+):\s*(?P<value>.*)$", re.MULTILINE)
_DATE_KEYS = ("published", "published_time", "date", "datepublished", "article:published_time", "pubdate")
_MARKDOWN_LINK = re.compile(r"\[(?P<label>[^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|^#{1,6}\s+|^>\s?|\\(?=[#*_\[\]()]))", re.MULTILINE)
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_DATE_LINE = re.compile(
    r"^\s*(?:(?:published|posted|updated|date|dated)\s*(?:on)?\s*:?\s*)?(?:[A-Z][a-z]+day,?\s+)?"
    r"(?P<date>\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})\b",
    re.IGNORECASE,
)
# A wire dateline opens the story: "BAGHDAD, March 14, 2024 (Reuters) - Rockets struck ..."; the text runs on.
_WIRE_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'-]{1,40}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?,\s*"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})"
    r"\s*(?:\([^)]{1,60}\))?\s*[-\u2013\u2014]"
)
_EASTERN_SOURCES = re.compile(
    r"whitehouse\.(?:archives\.)?gov|defense\.gov|war\.gov|state\.gov|centcom\.mil|^\s*WASHINGTON\b", re.I | re.M
)


@dataclass(frozen=True)
class Document:
    """A text ready for extraction: plain text, its publication date, the writer's zone and a citation."""

    text: str
    published: dt.date
    writer_zone: str  # EASTERN or LOCAL
    source: str  # citation for the log's source column
    source_url: str | None = None
    published_basis: str = ""


class _TextFromHTML(HTMLParser):
    """Collect visible text and meta tags from HTML, one block element per line."""

    BLOCKS: ClassVar[set[str]] = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "title",
        "article",
        "section",
    }
    SKIP: ClassVar[set[str]] = {"script", "style", "noscript", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").casefold()
            if key and values.get("content"):
                self.meta[key] = values["content"]
        elif tag == "time" and values.get("datetime"):
            self.meta.setdefault("time", values["datetime"])
        elif tag == "link" and values.get("rel") == "canonical" and values.get("href"):
            self.meta.setdefault("canonical", values["href"])
        if tag == "title":
            self._in_title = True
        if tag in self.SKIP and tag != "head":
            self._skipping += 1
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and tag != "head" and self._skipping:
            self._skipping -= 1
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self.parts.append(data)


def text_form(raw: str, path: Path | None) -> str:
    """Return 'html', 'markdown' or 'plain': from the file name, else from the text (tags, front matter, links)."""
    suffix = path.suffix.casefold() if path is not None else ""
    if suffix in (".html", ".htm") or looks_like_html(raw):
        return "html"
    if suffix in (".md", ".markdown") or _FRONT_MATTER.match(raw) or (not suffix and _MARKDOWN_LINK.search(raw)):
        return "markdown"
    return "plain"


def looks_like_html(text: str) -> bool:
    """Tell whether a text is an HTML page (a doctype or html / body / p tags)."""
    head = text[:2000].casefold()
    return "<!doctype html" in head or "<html" in head or bool(re.search(r"<(body|p|div|article)\b", head))


def html_to_text(text: str) -> tuple[str, dict[str, str]]:
    """Return the visible text of an HTML page (title first) and its meta tags."""
    parser = _TextFromHTML()
    parser.feed(text)
    body = re.sub(r"[ \t]+", " ", "".join(parser.parts))
    body = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", body).strip()
    title = " ".join(parser.title.split())
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    return body, parser.meta


def markdown_to_text(text: str) -> tuple[str, dict[str, str]]:
    """Return Markdown as plain text (links as their label, emphasis marks dropped) and its front matter."""
    meta: dict[str, str] = {}
    if match := _FRONT_MATTER.match(text):
        for line in _META_LINE.finditer(match["body"]):
            meta[line["key"].casefold()] = line["value"].strip().strip("'\"")
        text = text[match.end() :]
    text = _MARKDOWN_LINK.sub(lambda m: m["label"], text)
    text = _MARKDOWN_MARKS.sub("", text)
    return html.unescape(text).replace("\u00a0", " "), meta


def _meta_date(meta: dict[str, str]) -> tuple[dt.date, str] | None:
    """Return the first publication date found in metadata, with the key it came from."""
    for key in (*_DATE_KEYS, "time"):
        value = meta.get(key, "")
        if match := _ISO_PREFIX.match(value.strip()):
            return dt.date.fromisoformat(match[1]), f"metadata '{key}'"
    return None


def _blank_datelines(text: str) -> str:
    """Blank a wire dateline ('BAGHDAD, March 14, 2024 (Reuters) -') in place: it says where and when the story was
    filed, not where and when anything happened. Spaces keep every evidence offset pointing into the file.

    >>> _blank_datelines("ERBIL, Iraq, 5 Jan 2024 (X) - Drones hit the base.").strip()
    'Drones hit the base.'
    """
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines[:12]):
        if match := _WIRE_DATELINE.match(line):
            lines[number] = " " * len(match[0]) + line[len(match[0]) :]
    return "".join(lines)


def _date_line(text: str) -> tuple[dt.date, str] | None:
    """Return a date written on a line of its own, as 'Published: ...' or in a wire dateline, near the top."""
    for line in text.splitlines()[:12]:
        match = _DATE_LINE.match(line)
        if not (match and len(line.strip()) <= len(match[0]) + 40):
            match = _WIRE_DATELINE.match(line)  # the story runs on after a wire dateline, however long
        if match:
            try:
                return parse_date(match["date"].replace(".", "")), f"date line {match[0].strip()!r}"
            except CellError:
                continue
    return None


def writer_zone(text: str, meta: dict[str, str]) -> str:
    """Return EASTERN for texts issued in Washington (US government sites, a WASHINGTON dateline), else LOCAL."""
    where = " ".join([meta.get("source_url", ""), meta.get("og:url", ""), meta.get("canonical", ""), text[:300]])
    return EASTERN if _EASTERN_SOURCES.search(where) else LOCAL


def read_document(path: Path, published: dt.date | None = None, zone: str | None = None) -> Document:
    """Read a text file for extraction, refusing one whose publication date cannot be found."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, f"cannot be read as UTF-8 text ({error})") from None
    return parse_document(raw, path=path, published=published, zone=zone)


def parse_document(raw: str, *, path: Path | None = None, published: dt.date | None = None, zone=None) -> Document:
    """Turn raw file text into a Document (see read_document)."""
    form = text_form(raw, path)
    if form == "html":
        text, meta = html_to_text(raw)
    elif form == "markdown":
        text, meta = markdown_to_text(raw)
    else:
        text, meta = raw, {}  # plain text as it is, so evidence offsets point into the file itself
    basis = "given"
    if published is None:
        found = _meta_date(meta) or _date_line(text)
        if found is None:
            raise InputError(
                path or Path("<text>"),
                "has no publication date (no date metadata and no date line near the top); relative dates "
                "('on Wednesday', 'last night') cannot be resolved without it: pass --published YYYY-MM-DD",
            )
        published, basis = found
    text = _blank_datelines(text)
    title = meta.get("title") or next((line.strip() for line in text.splitlines() if line.strip()), "")
    url = meta.get("source_url") or meta.get("og:url") or meta.get("canonical") or None
    issuer = _issuer(url, path)
    source = f"{issuer}, {published.isoformat()}, {title[:150]}".strip(", ")
    return Document(
        text=text,
        published=published,
        writer_zone=zone or writer_zone(text, meta),
        source=source,
        source_url=url,
        published_basis=basis,
    )


def _issuer(url: str | None, path: Path | None) -> str:
    """Name the issuer of a text from its URL (The White House, ...) or else its file name."""
    if url and re.search(r"whitehouse\.(?:archives\.)?gov", url):
        return "The White House"
    if url and (match := re.search(r"https?://(?:www\.)?([^/]+)", url)):
        return match[1]
    return path.name if path is not None else "text"
