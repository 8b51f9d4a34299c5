"""Find places in a sentence through the gazetteer (data/raw/reference/places.csv).

Names are matched by their name key (case, accents, hyphens and spaces folded), longest first; a capitalised
phrase that misses by a letter or two ('Ain al-Assad Airbase') is matched with rapidfuzz at a high threshold.
Places the gazetteer lacks are kept as written when the text marks them as places: a direction and a country
('northern Iraq', 'northeast Jordan') or a name followed by its country ('Karbala, Iraq').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis.core.text import name_key

COUNTRIES = ("Iraq", "Syria", "Jordan")
RANK = {"base": 3, "town": 2, "province": 1, "country": 0}
FUZZY_THRESHOLD = 90
# Organisation names that contain a country but are not places.
_NOT_PLACES = re.compile(
    r"Islamic State of Iraq and (?:Syria|the Levant)|Islamic State in Iraq|al-Qa.ida in Iraq|"
    r"Islamic Resistance in Iraq|Government of (?:Iraq|Syria|Jordan)|Republic of Iran|"
    r"(?<![-–\w])(?:Iraq|Syria|Jordan)(?:i|n|ian)?\s+border\b",
    re.IGNORECASE,
)
_DIRECTIONAL = re.compile(
    r"\b(?P<words>(?:north|south)(?:-?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?|central)\s+(?P<country>Iraq|Syria|Jordan)\b",
    re.IGNORECASE,
)
_NAMED_IN_COUNTRY = re.compile(
    r"\b(?:in|at|near)\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?),\s+(?P<country>Iraq|Syria|Jordan)\b"
)
_BORDER = re.compile(r"\b(?:Iraq|Iraqi|Syria|Syrian)[-–](?:Syria|Syrian|Iraq|Iraqi) border\b")
_WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")


@dataclass(frozen=True)
class Place:
    """A place found in a sentence: canonical name (or as written), its kind, country and admin1."""

    start: int
    end: int
    words: str
    name: str
    kind: str  # base, town, province, country
    country: str
    admin1: str | None = None
    is_known: bool = True  # False: kept as written, not in the gazetteer
    how: str = "gazetteer"  # gazetteer, fuzzy, as written

    @property
    def rank(self) -> int:
        """How specific the place is: base 3, town 2, province 1, country 0."""
        return RANK.get(self.kind, 1)


class Gazetteer:
    """The places table keyed by name key, with a fuzzy fallback over the same keys."""

    def __init__(self, places: pd.DataFrame) -> None:
        self.table = places
        self.keys = list(places.index)
        self.longest = max((len(k) for k in self.keys), default=0)

    def exact(self, words: str) -> pd.Series | None:
        """Return the gazetteer row for a name or alias, matched by name key."""
        key = name_key(words)
        if key is None or key not in self.table.index:
            return None
        if len(key) <= 3 and words != words.upper():  # 'IZ', 'K1', 'T22' only as written in capitals
            return None
        return self.table.loc[key]

    def fuzzy(self, words: str) -> tuple[pd.Series, float] | None:
        """Return the closest gazetteer row for a near miss, with its score, or None."""
        from rapidfuzz import fuzz, process

        key = name_key(words)
        if key is None or len(key) < 7:
            return None
        found = process.extractOne(key, self.keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        if not found or abs(len(found[0]) - len(key)) > 3:  # a near miss is a letter or two, not a longer name
            return None
        return self.table.loc[found[0]], found[1]


_GAZETTEERS: dict[int, tuple[pd.DataFrame, Gazetteer]] = {}


def gazetteer_for(places: pd.DataFrame) -> Gazetteer:
    """Return the Gazetteer of a places table (built once per table)."""
    cached = _GAZETTEERS.get(id(places))
    if cached is None or cached[0] is not places:
        cached = (places, Gazetteer(places))
        _GAZETTEERS.clear()
        _GAZETTEERS[id(places)] = cached
    return cached[1]


_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]{2,}(?:\s*\([^)]*\))?\s*[–—-]\s")


def _masked(text: str) -> str:
    """Blank out a dateline ('ERBIL (Kurdistan 24) –') and organisation names that contain a country name."""
    text = _DATELINE.sub(lambda m: " " * len(m[0]), text)
    return _NOT_PLACES.sub(lambda m: " " * len(m[0]), text)


def _from_row(row: pd.Series, start: int, end: int, words: str, how: str) -> Place:
    """Build a Place from a gazetteer row."""
    admin1 = row["admin1"] if isinstance(row["admin1"], str) and row["admin1"] else None
    return Place(start, end, words, row["name"], row["kind"], row["country"], admin1, True, how)


def find_places(text: str, gazetteer: Gazetteer, *, fuzzy: bool = True) -> list[Place]:
    """Return the places named in a sentence, longest match first, without overlaps, in text order."""
    text = _masked(text)
    found: list[Place] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(place: Place) -> None:
        found.append(place)
        taken.append((place.start, place.end))

    for place in _border_places(text, gazetteer):
        add(place)
    for match in _DIRECTIONAL.finditer(text):
        row = gazetteer.exact(match[0])
        if row is not None and free(match.start(), match.end()):
            add(_from_row(row, match.start(), match.end(), match[0], "gazetteer"))
        elif match["words"] and free(match.start(), match.end()):
            country = match["country"].title()
            add(Place(match.start(), match.end(), match[0], match[0], "province", country, None, False, "as written"))
    for match in _NAMED_IN_COUNTRY.finditer(text):  # 'in Karbala, Iraq': the name, with its country
        start, end = match.start("name"), match.end()
        if not free(start, end) or name_key(match["name"]) in ("us", "the"):
            continue
        row = gazetteer.exact(match["name"])
        if row is not None:
            place = _from_row(row, start, match.end("name"), match["name"], "gazetteer")
        else:
            country = match["country"]
            place = Place(
                start, match.end("name"), match["name"], match["name"], "town", country, None, False, "as written"
            )
        found.append(place)
        taken.append((start, end))
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    for size in range(7, 0, -1):
        for first in range(len(words) - size + 1):
            start, end = words[first][0], words[first + size - 1][1]
            phrase = text[start:end].rstrip(".,’'")
            end = start + len(phrase)
            if not free(start, end):
                continue
            row = gazetteer.exact(phrase)
            if row is None and phrase.startswith(("the ", "The ")):
                continue
            if row is not None:
                add(_from_row(row, start, end, phrase, "gazetteer"))
            elif phrase in COUNTRIES:
                add(Place(start, end, phrase, phrase, "country", phrase, None, False, "as written"))
    if fuzzy:
        for place in _fuzzy_places(text, words, gazetteer, free):
            add(place)
    return sorted(found, key=lambda p: p.start)


def _border_places(text: str, gazetteer: Gazetteer) -> list[Place]:
    """Turn 'near the Iraq-Syria border' into the border area on the side of each country the phrase names."""
    match = _BORDER.search(text)
    if not match:
        return []
    sides = []
    window = text[max(0, match.start() - 120) : match.end()]
    for country, adjective in (("Syria", "Syrian"), ("Iraq", "Iraqi")):
        if re.search(rf"\b{adjective} side\b|\b{country}\b(?![-–])", window.replace(match[0], "")):
            sides.append(country)
    places = []
    for country in sides or ["Syria", "Iraq"]:
        name = f"Iraq-Syria border, {'Syrian' if country == 'Syria' else 'Iraqi'} side"
        row = gazetteer.exact(name)
        if row is not None:
            places.append(_from_row(row, match.start(), match.end(), match[0], "gazetteer"))
        else:
            places.append(
                Place(match.start(), match.end(), match[0], name, "province", country, None, False, "as written")
            )
    return places


def _fuzzy_places(text: str, words, gazetteer: Gazetteer, free) -> list[Place]:
    """Match capitalised two- to four-word phrases that the exact pass missed, at a high threshold."""
    found = []
    for size in (4, 3, 2):
        for first in range(len(words) - size + 1):
            start, end = words[first][0], words[first + size - 1][1]
            phrase = text[start:end].rstrip(".,")
            if not phrase[:1].isupper() or not free(start, start + len(phrase)):
                continue
            if sum(w[:1].isupper() for w in phrase.split()) < 2 or re.search(
                r"\b(?:in|near|of|the|and|at|on|by|to)\b", phrase
            ):
                continue
            hit = gazetteer.fuzzy(phrase)
            if hit is not None:
                place = _from_row(hit[0], start, start + len(phrase), phrase, f"fuzzy ({hit[1]:.0f})")
                found.append(place)
                free_spans = (place.start, place.end)
                free = _also_taken(free, free_spans)
    return found


def _also_taken(free, span):
    """Return a free() test that also refuses the given span."""
    return lambda start, end: free(start, end) and (end <= span[0] or start >= span[1])
