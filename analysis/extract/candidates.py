"""Candidate incident-log rows from texts: the log's columns plus evidence, confidence and matches.

`extract_events(text, published=...)` returns the rows of one text; `extract_files(paths)` those of several files,
with ids unique across them. A person reviews each row against its evidence before it joins the log; the rows are
already in the log's format (data/raw/README.md), so the incident-log reader takes them as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.cleaning.reference import Reference, load_reference
from analysis.core.errors import InputError
from analysis.core.text import name_key
from analysis.extract.document import Document, parse_document, read_document
from analysis.extract.events import Event, document_events, trigger_summary
from analysis.extract.places import gazetteer_for
from analysis.extract.sentences import Sentence

CASUALTY_SIDES = ("us", "coalition", "partner", "militia", "civilian", "unknown")
LOG_COLUMNS = [
    "id", "date", "date_precision", "local_time", "country", "location", "kind", "actor", "target", "target_kind",
    "weapon", "munitions", "intercepted",
    *[f"{side}_{outcome}" for side in CASUALTY_SIDES for outcome in ("killed", "wounded")],
    "responds_to", "claimed_by", "source", "source_url", "date_basis", "notes",
]  # fmt: skip
REVIEW_COLUMNS = ["evidence", "confidence", "matches"]
CANDIDATE_COLUMNS = LOG_COLUMNS + REVIEW_COLUMNS
MATCH_WINDOW_DAYS = 1


def extract_events(
    text: str,
    *,
    published: dt.date | str,
    source: str | None = None,
    source_url: str | None = None,
    writer_zone: str | None = None,
    reference: Reference | None = None,
    log: pd.DataFrame | bool | None = True,
) -> pd.DataFrame:
    """Return candidate incident-log rows for the events a text describes (one row per event).

    ``published`` is the text's publication date (relative dates are resolved against it); ``writer_zone`` is
    "eastern" for texts written in Washington and "local" otherwise (default: guessed from the text).
    ``log``: the events of an incident log to find duplicates in (``True``: the shipped log, ``None``/``False``:
    none), e.g. ``an.load_events([...]).events``.

    >>> rows = extract_events("On Wednesday, rockets landed inside Mission Support Site Conoco in Syria.",
    ...                       published="2022-08-25", log=None)
    >>> rows[["date", "location", "kind", "weapon"]].values.tolist()
    [['2022-08-24', 'MSS Conoco', 'attack', 'rocket']]
    """
    published = dt.date.fromisoformat(published) if isinstance(published, str) else published
    document = parse_document(text, published=published, zone=writer_zone)
    if source or source_url:
        document = Document(
            document.text,
            document.published,
            document.writer_zone,
            source or document.source,
            source_url or document.source_url,
            document.published_basis,
        )
    return candidates_for([document], reference=reference, log=log)


def extract_files(
    files: list[Path],
    *,
    published: dt.date | None = None,
    reference: Reference | None = None,
    log: pd.DataFrame | bool | None = True,
) -> pd.DataFrame:
    """Read text files (plain text, Markdown or HTML) and return the candidate rows of all of them."""
    documents = [read_document(Path(f), published=published) for f in files]
    return candidates_for(documents, reference=reference, log=log)


def candidates_for(documents: list[Document], *, reference: Reference | None = None, log=True) -> pd.DataFrame:
    """Return the candidate rows of documents already read, with ids unique across them."""
    reference = reference or load_reference()
    gazetteer = gazetteer_for(reference.places)
    log_events = shipped_log_events() if log is True else (log if isinstance(log, pd.DataFrame) else None)
    rows: list[dict] = []
    used_ids: set[str] = set()
    for document in documents:
        events = document_events(document, gazetteer)
        ids = [_new_id(e.date.date, used_ids) for e in events]
        for event, event_id in zip(events, ids):
            rows.append(_row(event, event_id, ids, document, reference, log_events))
    cells = [{column: str(row.get(column, "")) for column in CANDIDATE_COLUMNS} for row in rows]
    return pd.DataFrame(cells, columns=CANDIDATE_COLUMNS, dtype=object)


def _new_id(date: dt.date, used: set[str]) -> str:
    """Return the log-style id 'YYYY-MM-DD-x' not yet used (x = a, b, ... z, aa, ab, ...)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for number in range(1000):
        suffix = letters[number] if number < 26 else letters[number // 26 - 1] + letters[number % 26]
        candidate = f"{date.isoformat()}-{suffix}"
        if candidate not in used:
            used.add(candidate)
            return candidate
    raise InputError(Path("<candidates>"), f"more than 1000 candidate events on {date}")


def _row(event: Event, event_id: str, ids: list[str], document: Document, reference: Reference, log_events) -> dict:
    """Write one event as a candidate row in the log's cell grammar."""
    place = event.place
    text = " ".join(m.sentence.text for m in event.mentions)
    actor, target = _actor_and_target(event, text, reference)
    row = {
        "id": event_id,
        "date": event.date.date.isoformat(),
        "date_precision": event.date.precision,
        "local_time": event.date.local_time.strftime("%H:%M") if event.date.local_time else "",
        "country": place.country,
        "location": place.name,
        "kind": event.kind,
        "actor": actor,
        "target": target,
        "target_kind": _target_kind(event),
        "weapon": _weapon(event, reference),
        "munitions": event.munitions or "",
        "intercepted": event.intercepted or "",
        "responds_to": ";".join(ids[i] for i in event.responds_to if i < len(ids)),
        "claimed_by": event.claimed_by or "",
        "source": document.source,
        "source_url": document.source_url or "",
        "date_basis": event.date.basis,
        "notes": _notes(event),
        "evidence": _evidence(event),
        "confidence": f"{confidence(event):.2f}",
        "matches": ";".join(probable_duplicates(event, log_events)) if log_events is not None else "",
    }
    for (side, outcome), (count, claimant, _) in event.casualties.items():
        if side in CASUALTY_SIDES:
            row[f"{side}_{outcome}"] = f"{count} [{claimant}]" if claimant else count
    return row


def _actor_and_target(event: Event, text: str, reference: Reference) -> tuple[str, str]:
    """Name who acted and who was hit: actor names from actors.csv found in the text, else the role's sides."""
    found = _actors_in(text, reference)
    militia = next((name for name, side in found if side in ("militia", "iran")), "")
    if event.kind == "attack":
        is_coalition = any(side == "coalition" for _, side in found) and not any(side == "us" for _, side in found)
        return militia, "Coalition forces" if is_coalition else "US forces"
    if event.kind == "response":
        us = next((name for name, side in found if side == "us" and "diplomatic" not in name), "")
        if not us and re.search(r"\b(?:U\.S\.|US|United States|American)\b", text):
            us = "US forces"
        return us or next((name for name, side in found if side == "coalition"), ""), militia
    return "", ""


def _actors_in(text: str, reference: Reference) -> list[tuple[str, str]]:
    """Return (canonical name, side) of every actors.csv alias in a text, longest phrases first."""
    words = [m for m in re.finditer(r"[\w'’.-]+", text)]
    found, taken = [], []
    for size in range(6, 0, -1):
        for first in range(len(words) - size + 1):
            start, end = words[first].start(), words[first + size - 1].end()
            key = name_key(text[start:end].rstrip("."))
            if key in reference.actors.index and all(end <= s or start >= e for s, e in taken):
                found.append((start, reference.actors.loc[key, "name"], reference.actors.loc[key, "side"]))
                taken.append((start, end))
    return [(name, side) for _, name, side in sorted(found)]


def _target_kind(event: Event) -> str:
    """Return base / diplomatic for attacks on a named site, else blank."""
    if event.kind != "attack" or event.place is None:
        return ""
    if name_key(event.place.name) in ("usembassybaghdad", "baghdaddiplomaticsupportcenter"):
        return "diplomatic"
    return "base" if event.place.kind == "base" else ""


def _weapon(event: Event, reference: Reference) -> str:
    """Resolve the event's weapon words through weapons.csv (several different weapons: 'multiple')."""
    weapons = []
    for mention in event.mentions:
        for words in mention.weapon_words:
            for candidate in (words, words.rstrip("s"), words.split()[0] if " " in words else words):
                key = name_key(candidate)
                if key in reference.weapons.index:
                    weapons.append(reference.weapons.loc[key, "weapon"])
                    break
    if event.kind == "attack":
        weapons = [w for w in weapons if w != "airstrike"]
    else:
        weapons = [w for w in weapons if w in ("airstrike", "artillery", "ground_raid", "missile")]
    distinct = list(dict.fromkeys(weapons))
    return distinct[0] if len(distinct) == 1 else ("multiple" if distinct else "")


def _notes(event: Event) -> str:
    """Say what the extractor read: the words that made the event, hedges, places kept as written."""
    parts = [f"candidate from: {trigger_summary(event)}"]
    if event.destroyed:
        parts.append("destroyed: " + "; ".join(event.destroyed))
    figures = [h.removeprefix("figures: ") for h in event.hedges if h.startswith("figures: ")]
    doubts = [h for h in event.hedges if not h.startswith(("denial: ", "figures: "))]
    denials = [h.removeprefix("denial: ") for h in event.hedges if h.startswith("denial: ")]
    if doubts:
        parts.append("not confirmed in the text: " + "; ".join(dict.fromkeys(doubts)))
    if figures:
        parts.append("casualty figures not confirmed in the text: " + "; ".join(dict.fromkeys(figures)))
    if denials:
        parts.append("denied: " + "; ".join(dict.fromkeys(denials)))
    if event.place is not None and not event.place.is_known:
        parts.append(f"place kept as written ({event.place.words!r}; not in places.csv)")
    elif event.place is not None and event.place.how.startswith("fuzzy"):
        parts.append(f"place matched {event.place.how}: {event.place.words!r}")
    return "; ".join(parts)


def _evidence(event: Event) -> str:
    """List each sentence the row rests on once: [start:end] (fields) "sentence"."""
    fields: dict[Sentence, list[str]] = {}
    for index, mention in enumerate(event.mentions):
        names = ["kind"] if index else ["kind", "date", "location"]
        fields.setdefault(mention.sentence, []).extend(names)
    for (side, outcome), (_, _, sentence) in event.casualties.items():
        fields.setdefault(sentence, []).append(f"{side}_{outcome}")
    parts = []
    for sentence in sorted(fields, key=lambda s: s.start):
        names = ", ".join(dict.fromkeys(fields[sentence]))
        parts.append(f'[{sentence.start}:{sentence.end}] ({names}) "{sentence.text}"')
    return " | ".join(parts)


def confidence(event: Event) -> float:
    """Score how far a reviewer can trust the row (0-1): lower for inherited dates, coarse places, hedges."""
    score = 0.9
    score -= {3: 0.0, 2: 0.1, 1: 0.25}.get(event.date_strength, 0.3)
    score -= {"day": 0.0, "week": 0.15, "month": 0.2}.get(event.date.precision, 0.3)
    if event.place is not None:
        score -= {3: 0.0, 2: 0.05, 1: 0.1, 0: 0.15}[event.place.rank]
        score -= 0.05 if not event.place.is_known else 0.0
    score -= 0.3 if any(not h.startswith(("denial: ", "figures: ")) for h in event.hedges) else 0.0
    score -= 0.1 if any(h.startswith("figures: ") for h in event.hedges) else 0.0
    return round(min(0.99, max(0.05, score)), 2)


def shipped_log_events() -> pd.DataFrame | None:
    """Return the events of the shipped incident log (None when the project has none)."""
    path = paths.RAW_DIR / "incidents.csv"
    if not path.exists():
        return None
    import warnings

    from analysis.pipeline.load import load_events

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_events([path]).events


def probable_duplicates(event: Event, log_events: pd.DataFrame) -> list[str]:
    """Return ids of log events that probably are this event: same kind, date within a day, same place or site."""
    if log_events is None or not len(log_events) or event.place is None:
        return []
    day = pd.Timestamp(event.date.date)
    near = log_events[
        (log_events["role"] == event.kind)
        & ((log_events["event_date"] - day).abs() <= pd.Timedelta(days=MATCH_WINDOW_DAYS))
        & (log_events["country"] == event.place.country)
    ]
    place = event.place
    if place.rank >= 2:
        same = (near["site"] == place.name) | (near["location"] == place.name)
    elif place.kind == "province" and place.admin1:
        same = near["admin1"] == place.admin1
    else:
        same = pd.Series(True, index=near.index)
    near = near[same.fillna(False)]
    nearest_first = (near["event_date"] - day).abs().sort_values(kind="stable").index
    return [str(i).removeprefix("log:") for i in near.loc[nearest_first, "event_id"]]


def write_candidates(frame: pd.DataFrame, path: Path) -> None:
    """Write candidate rows as a UTF-8 CSV, atomically."""
    from analysis.pipeline.storage import write_text_atomic

    write_text_atomic(Path(path), frame.to_csv(index=False))
