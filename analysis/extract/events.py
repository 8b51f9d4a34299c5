"""Assemble a document's event mentions into candidate events: dates on the local calendar, one place each,
mentions of the same event merged, responses linked to the attacks they answer.

Dates, in order of preference (each recorded in date_basis): the mention's own date; another date of its sentence;
for a recap ('as reported on 27 October, strikes were conducted ...'), the report date with week precision (with
month precision for 'as reported in June 2021'); an anaphoric date ('later that night', 'shortly after') from the
previous dated event; 'since my prior report' or a headline: the week of publication; in a news text, a concrete
mention at a named place takes the date of an event in the three sentences before it. A mention with none of
these, or with no country, is not an event. A strike wave is one event per country; attacks on several bases
are one event per base.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from analysis.extract.dates import LocalDate, When, find_whens, to_local
from analysis.extract.document import LOCAL, Document
from analysis.extract.mentions import (
    NO_CASUALTIES_SIDE,
    PREVIOUSLY,
    SINCE_REPORT,
    Mention,
    casualty_claims,
    claimed_by,
    destroyed,
    hedges,
    sentence_mentions,
    side_hit,
)
from analysis.extract.places import Gazetteer, Place, find_places
from analysis.extract.sentences import Sentence, split_sentences

RESPONSE_WINDOW_DAYS = 14
_ABOUT_FIGURES = re.compile(r"\b(?:toll|figures?|casualt\w*|deaths?|dead|killed|wounded|injur\w*)\b", re.IGNORECASE)
DISCOURSE_SENTENCES = 3
SHORT_TEXT_SENTENCES = 60  # about a news story: one event of a kind is what an undated, unplaced mention means


@dataclass
class Event:
    """A candidate event: where and when, what, and the mentions (sentences) it rests on."""

    kind: str
    date: LocalDate
    date_strength: int  # 3 own date, 2 same sentence / anaphoric / recap, 1 inherited from nearby sentences
    place: Place | None
    mentions: list[Mention] = field(default_factory=list)
    casualties: dict[tuple[str, str], tuple[str, str | None, Sentence]] = field(default_factory=dict)
    munitions: str | None = None
    intercepted: str | None = None
    claimed_by: str | None = None
    hedges: list[str] = field(default_factory=list)
    destroyed: list[str] = field(default_factory=list)
    responds_to: list[int] = field(default_factory=list)
    recap_of: dt.date | None = None  # the report date, for an event known only from a recap


@dataclass(frozen=True)
class Item:
    """One dated, placed reading of a mention (a mention with three dates gives three items)."""

    mention: Mention
    when: When
    strength: int
    place: Place | None
    rule_note: str = ""

    @property
    def is_sequel(self) -> bool:
        """Tell whether the item is dated as coming after or before another event (so it is not that event)."""
        return self.rule_note.startswith("sequel")

    @property
    def is_recap(self) -> bool:
        """Tell whether the item is dated only by the date of an earlier report."""
        return self.rule_note.startswith("recap")


def document_events(document: Document, gazetteer: Gazetteer) -> list[Event]:
    """Return the candidate events of a document, in the order the text first mentions them."""
    sentences = split_sentences(document.text)
    default_claimant = "The White House" if document.source.startswith("The White House") else None
    title_paragraph = _title_paragraph(sentences)
    mentions: list[Mention] = []
    for sentence in sentences:
        found = sentence_mentions(sentence, document.published, gazetteer, default_claimant)
        for mention in found:
            mention.is_title = sentence.paragraph == title_paragraph
        mentions.extend(found)
        if mentions:
            _attach_casualties(sentence, found, mentions, gazetteer, default_claimant)
    for mention in mentions:
        if not mention.places and not mention.is_referential:
            mention.places = _neighbouring_country(mention.sentence, sentences, gazetteer)
    items = _dated_items(mentions, sentences, document)
    events = _merge(items, document, is_short=len(sentences) <= SHORT_TEXT_SENTENCES)
    events = [e for e in events if e.place is not None]
    _adopt_orphan_casualties(mentions, events, short=len(sentences) <= SHORT_TEXT_SENTENCES)
    _link_responses(events)
    return events


def _adopt_orphan_casualties(mentions: list[Mention], events: list[Event], short: bool) -> None:
    """Give the figures of a mention that did not become an event ('a coordinated counterattack' with no date
    or place) to the event of its kind a few sentences away, or to the one event of its kind in a short text."""
    kept = {id(m) for e in events for m in e.mentions}
    for mention in mentions:
        if id(mention) in kept or not mention.casualties:
            continue
        of_kind = [e for e in events if e.kind == mention.kind]
        near = [e for e in of_kind if _is_near(e, mention)]
        owner = near[0] if near else (of_kind[0] if short and len(of_kind) == 1 else None)
        if owner is not None:
            for key, claim in mention.casualties.items():
                owner.casualties.setdefault(key, claim)


def _neighbouring_country(sentence: Sentence, sentences: list[Sentence], gazetteer: Gazetteer) -> list[Place]:
    """Return the country of a mention that names no place, when the next (else the previous) sentence of its
    paragraph names places in one country only ('The March 23 attack followed ... attacks ... in Syria')."""
    for index in (sentence.index + 1, sentence.index - 1):
        if 0 <= index < len(sentences) and sentences[index].paragraph == sentence.paragraph:
            countries = {p.country for p in find_places(sentences[index].text, gazetteer, fuzzy=False)}
            if len(countries) == 1:
                country = countries.pop()
                note = f"{country} (from the neighbouring sentence)"
                return [Place(0, 0, note, country, "country", country, None, False, "neighbouring sentence")]
            if countries:
                return []
    return []


def _title_paragraph(sentences: list[Sentence]) -> int | None:
    """Return the paragraph number of a headline: a first paragraph of one sentence without a final period."""
    first = sentences[0] if sentences else None
    is_headline = first is not None and first.paragraph == 0 and not first.text.endswith((".", "”", '"'))
    return 0 if is_headline and len([s for s in sentences if s.paragraph == 0]) == 1 else None


def _attach_casualties(sentence: Sentence, found: list[Mention], mentions: list[Mention], gazetteer, claimant) -> None:
    """Give each casualty figure of a sentence to the event it belongs to.

    Militia, civilian and unknown dead go to a strike, US and coalition losses to an attack: first among the
    sentence's own mentions, then the latest earlier ones of this or the two paragraphs before; a mention at a
    place the sentence names comes first.
    """
    kind_hint = found[0].kind if found else mentions[-1].kind
    claims = casualty_claims(sentence.text, claimant, kind_hint)
    sentence_hedges = hedges(sentence.text)
    recent = [m for m in mentions if m not in found and sentence.paragraph - m.sentence.paragraph <= 2]
    own = [m for m in found if not m.is_referential]
    # 'the attack', 'the strikes' without a date of their own point back to an event already mentioned
    earlier = list(reversed(recent))
    pool = own + [m for m in earlier if not m.is_referential] + [m for m in found + earlier if m.is_referential]
    if not pool:
        return
    if not own:
        pool[0].claimed_by = pool[0].claimed_by or claimed_by(sentence.text)
        pool[0].destroyed.extend(destroyed(sentence.text))
    hedged = None
    named = {p.name for p in find_places(sentence.text, gazetteer, fuzzy=False)} if claims else set()
    for key, (count, who) in claims.items():
        wanted = "attack" if key[0] in ("us", "coalition", "partner", NO_CASUALTIES_SIDE) else "response"
        by_kind = [m for m in pool if m.kind == wanted]
        at_place = [m for m in by_kind if {p.name for p in m.places} & named]
        owner = (at_place or by_kind or pool)[0]
        if key[0] == NO_CASUALTIES_SIDE:
            key = (side_hit(owner.kind, f"{owner.sentence.text} {sentence.text}"), key[1])
        owner.casualties.setdefault(key, (count, who, sentence))
        hedged = hedged or owner
    hedged = hedged or (own or pool)[0]
    if claims or _ABOUT_FIGURES.search(sentence.text):
        sentence_hedges = [h if h.startswith("denial: ") else f"figures: {h}" for h in sentence_hedges]
    hedged.hedges.extend(h for h in sentence_hedges if h not in hedged.hedges)


def _dated_items(mentions: list[Mention], sentences: list[Sentence], document: Document) -> list[Item]:
    """Give every mention its dates (see the module docstring) and split it into one item per date and place."""
    items: list[Item] = []
    last_dated: list[Item] = []
    for mention in mentions:
        dated = _date_mention(mention, last_dated, document)
        for when, strength, note in dated:
            for place in _places_for(mention, when, dated):
                item = Item(mention, when, strength, place, note)
                items.append(item)
                if strength >= 2 and when.precision == "day":
                    last_dated.append(item)
    return items


def _date_mention(mention: Mention, last_dated: list[Item], document: Document) -> list[tuple[When, int, str]]:
    """Return the (time expression, strength, note) readings that date a mention; empty when none does."""
    text = mention.sentence.text
    whens = find_whens(text, document.published)
    if mention.whens:
        return [(w, 3, "") for w in mention.whens]
    others = [w for w in whens if not w.is_report and not w.is_bound and w.anaphor is None]
    if others:
        nearest = min(others, key=lambda w: abs(w.start - mention.trigger_start))
        return [(nearest, 2, "")]
    reports = [w for w in whens if w.is_report]
    if reports:
        return [
            (
                replace(r, precision="month" if r.precision == "month" else "week", rule="relative"),
                2,
                "recap: the text gives only the date of the report",
            )
            for r in reports
        ]
    anaphors = [w for w in whens if w.anaphor]
    if anaphors and last_dated:
        anchor = last_dated[-1].when
        precision = "week" if anaphors[0].anaphor == "week" else anchor.precision
        anaphor = anaphors[0]
        when = replace(
            anchor,
            words=anaphor.words,
            dated_by=anchor.dated_by or anchor.words,
            precision=precision,
            rule="relative",
            start=anaphor.start,
            end=anaphor.end,
            clock=anaphor.clock,
            zone=anaphor.zone or anchor.zone,
        )
        note = f"dated by the event before it ({anchor.dated_by or anchor.words!r})"
        if re.search(r"later|after|before|prior|shortly|hours|minutes", anaphor.words, re.IGNORECASE):
            note = "sequel: " + note  # 'later that night', 'shortly after': another event than the one before
        return [(when, 2, note)]
    if PREVIOUSLY.search(text):
        return []
    if (SINCE_REPORT.search(text) or mention.is_title) and mention.is_concrete:
        since = SINCE_REPORT.search(text)
        words = since[0] if since else "headline"
        when = When(0, 0, words, document.published, precision="week", rule="relative")
        why = "no day of its own" if since else "no date; the headline reports it as news"
        return [(when, 2, f"the text gives {why}")]
    recent = [i for i in last_dated if 0 < mention.sentence.index - i.mention.sentence.index <= DISCOURSE_SENTENCES]
    has_specific_place = any(p.rank >= 1 for p in mention.places)
    # only news texts: an official letter dates what it reports, so an undated event there is a recap or a total
    if recent and mention.is_concrete and has_specific_place and document.writer_zone == LOCAL:
        anchor = recent[-1].when
        return [(anchor, 1, "no date in its sentence: taken from the event mentioned just before")]
    return []


def _places_for(mention: Mention, when: When, dated) -> list[Place | None]:
    """Return the places a mention's item happens at: one per base for attacks, one per country for strikes."""
    places = mention.places
    if len(dated) > 1 and places and mention.whens:
        # a list of dates after one place ('Balad Air Base on April 4, April 18 and May 3'): each date takes the
        # place written nearest before it
        before = [p for p in places if p.start <= when.start]
        places = [before[-1]] if before else places[:1]
    if not places:
        return [None]
    by_country: dict[str, list[Place]] = {}
    for place in places:
        by_country.setdefault(place.country, []).append(place)
    chosen: list[Place] = []
    for group in by_country.values():
        best = max(p.rank for p in group)
        specific = [p for p in group if p.rank == best]
        if mention.kind == "attack" and best >= 2:
            chosen.extend(_unique_names(specific))
        else:
            chosen.append(specific[0])
    return chosen


def _unique_names(places: list[Place]) -> list[Place]:
    """Drop repeated places (the same base named twice)."""
    seen, unique = set(), []
    for place in places:
        if place.name not in seen:
            seen.add(place.name)
            unique.append(place)
    return unique


def _contains(outer: Place, inner: Place) -> bool:
    """Tell whether a wider place contains a narrower one (a country its places, a province its admin1)."""
    if outer.country != inner.country:
        return False
    if outer.kind == "country":
        return True
    if outer.kind == "province" and outer.is_known and inner.rank > outer.rank:
        return outer.admin1 is not None and outer.admin1 == inner.admin1
    return False


def places_agree(first: Place | None, second: Place | None, kind: str) -> bool:
    """Tell whether two mentions' places can be the same event's."""
    if first is None or second is None:
        return True
    if first.name == second.name:
        return True
    return _contains(first, second) or _contains(second, first)


def _window(date: LocalDate) -> tuple[dt.date, dt.date]:
    """Return the earliest and latest true date a coded date allows."""
    if date.precision == "week":
        return date.date - dt.timedelta(days=3), date.date + dt.timedelta(days=3)
    if date.precision == "month":
        start = date.date.replace(day=1)
        following = (start + dt.timedelta(days=32)).replace(day=1)
        return start, following - dt.timedelta(days=1)
    return date.date, date.date


def dates_agree(first: LocalDate, first_strength: int, second: LocalDate, second_strength: int) -> bool:
    """Tell whether two dates can be the same event's: equal days, overlapping windows, or one a day off a weak one."""
    if first.precision == "day" and second.precision == "day":
        slack = 1 if min(first_strength, second_strength) <= 1 else 0
        if (first.may_be_next_day and second.date - first.date == dt.timedelta(days=1)) or (
            second.may_be_next_day and first.date - second.date == dt.timedelta(days=1)
        ):
            return True  # 'yesterday' in Washington and 'last night' converted to the local day
        return abs((first.date - second.date).days) <= slack
    (a_low, a_high), (b_low, b_high) = _window(first), _window(second)
    return a_low <= b_high and b_low <= a_high


def _better_date(event: Event, date: LocalDate, strength: int) -> bool:
    """Tell whether a new reading dates an event better: a stronger source, then a finer precision."""
    order = {"day": 0, "week": 1, "month": 2, "year": 3}
    new = (strength, -order[date.precision], not date.may_be_next_day)
    return new > (event.date_strength, -order[event.date.precision], not event.date.may_be_next_day)


def _merge(items: list[Item], document: Document, is_short: bool = False) -> list[Event]:
    """Merge items that describe the same event (same kind, dates and places that agree).

    A mention without a place joins an event only a few sentences away, or, in a short text (a news story),
    the one event of its kind ('Friday's strikes killed at least one fighter').
    """
    events: list[Event] = []
    for item in items:
        country = item.place.country if item.place else None
        date = to_local(item.when, country, document.writer_zone, document.published)
        if item.rule_note:
            date = replace(date, basis=f"{date.basis}; {item.rule_note}")
        same = [
            e
            for e in events
            if e.kind == item.mention.kind
            and places_agree(e.place, item.place, e.kind)
            and dates_agree(e.date, e.date_strength, date, item.strength)
            and (e.recap_of == item.when.day if item.is_recap or e.recap_of else True)
            and not _weapons_differ(e, item.mention)
            and (_is_near(e, item.mention) if e.place is None or item.place is None else True)
        ]
        if not same and item.place is None and is_short:
            of_kind = [e for e in events if e.kind == item.mention.kind]
            if len(of_kind) == 1 and dates_agree(of_kind[0].date, of_kind[0].date_strength, date, item.strength):
                same = of_kind
        if (
            item.place is not None
            and item.place.rank <= 1
            and len([e for e in same if e.place and e.place.rank > item.place.rank]) > 1
        ):
            continue  # 'attacks at two sites in Deir ez-Zor' when both sites have their own events
        if item.is_sequel:
            same = [e for e in same if item.mention in e.mentions]
        if same:
            _absorb(same[0], item, date)
        elif not item.mention.is_referential:
            events.append(_new_event(item, date))
    return _without_summaries(events)


def _without_summaries(events: list[Event]) -> list[Event]:
    """Drop an attack 'at two installations in northeast Syria' when the text gives those attacks one by one."""
    specific = [e for e in events if e.kind == "attack" and e.place is not None and e.place.rank >= 2]
    return [
        e
        for e in events
        if not (
            e.kind == "attack"
            and all(m.covers_several_sites for m in e.mentions)
            and (e.place is None or e.place.rank <= 1)
            and len(specific) >= 2
        )
    ]


def _is_near(event: Event, mention: Mention) -> bool:
    """Tell whether a mention is within a few sentences of an event's (needed when either names no place)."""
    return any(abs(m.sentence.index - mention.sentence.index) <= DISCOURSE_SENTENCES for m in event.mentions)


def _weapon_kind(mention: Mention) -> str | None:
    """Return 'rocket' or 'drone' when a mention names one of them."""
    words = " ".join(mention.weapon_words).casefold()
    is_drone = any(w in words for w in ("drone", "uav", "uas"))
    is_rocket = "rocket" in words
    return "drone" if is_drone and not is_rocket else ("rocket" if is_rocket and not is_drone else None)


def _weapons_differ(event: Event, mention: Mention) -> bool:
    """Tell whether an attack event and a new mention name different weapons (a drone and a rocket attack)."""
    if event.kind != "attack":
        return False
    new = _weapon_kind(mention)
    old = {_weapon_kind(m) for m in event.mentions} - {None}
    return new is not None and bool(old) and new not in old


def _new_event(item: Item, date: LocalDate) -> Event:
    """Start an event from one item."""
    event = Event(item.mention.kind, date, item.strength, item.place)
    event.recap_of = item.when.day if item.is_recap else None
    _absorb(event, item, date, first=True)
    return event


def _absorb(event: Event, item: Item, date: LocalDate, first: bool = False) -> None:
    """Add an item's reading to an event: better date, more specific place, details it lacked."""
    mention = item.mention
    if not first:
        better = _better_date(event, date, item.strength)
        if better:
            event.date, event.date_strength = date, item.strength
        rank = event.place.rank if event.place is not None else -1
        if item.place is not None and (item.place.rank > rank or (better and item.place.rank == rank)):
            event.place = item.place
            if event.date.local_time is None and date.local_time is not None:
                event.date = date
    if mention not in event.mentions:
        event.mentions.append(mention)
    for key, claim in mention.casualties.items():
        event.casualties.setdefault(key, claim)
    event.munitions = event.munitions or mention.munitions
    event.intercepted = event.intercepted or mention.intercepted
    event.claimed_by = event.claimed_by or mention.claimed_by
    event.hedges.extend(h for h in mention.hedges if h not in event.hedges)
    event.destroyed.extend(d for d in mention.destroyed if d not in event.destroyed)


def _link_responses(events: list[Event]) -> None:
    """Link each response the text ties to attacks ('responded to', 'in response to', 'after') to the attacks it
    describes in the fortnight before it."""
    for event in events:
        if event.kind != "response" or not any(m.has_response_words for m in event.mentions):
            continue
        low, high = _window(event.date)
        for index, other in enumerate(events):
            other_low, other_high = _window(other.date)
            if (
                other.kind == "attack"
                and other_high <= high
                and other_low >= low - dt.timedelta(days=RESPONSE_WINDOW_DAYS)
            ):
                event.responds_to.append(index)


def trigger_summary(event: Event) -> str:
    """Return the words that made the event (for notes)."""
    words = list(dict.fromkeys(m.trigger.casefold() for m in event.mentions))
    return ", ".join(words[:4])
