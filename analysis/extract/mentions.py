"""Find event mentions in sentences: who did what to whom, when, where, with what and with what losses.

A mention starts at a trigger word: attack words ('attack', 'rockets landed', 'fired rockets', 'drone was
intercepted') or strike words ('strikes', 'struck', 'airstrikes', 'counterstrike', 'responded to'). The kind comes
from the nearest actor named before the trigger in its clause: militias or Iran-backed groups make an attack, US
or coalition forces a response; an attack by Iran's own forces is 'other'; attacks by others (Israel, ISIS, the
Houthis) are left out. Totals and generic mentions ('a series of attacks', 'numerous attacks', 'future attacks')
and hypothetical ones ('could strike', 'will respond') are not events.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from analysis.cleaning.cells import CellError, parse_count
from analysis.extract.dates import When, find_whens
from analysis.extract.places import Gazetteer, Place, find_places
from analysis.extract.sentences import Sentence

_ATTACK_TRIGGERS = re.compile(
    r"\b(?:(?:rocket|drone|UAV|UAS|mortar|missile|IED|one-way|indirect[- ]fire)\s+)?attack(?:s|ed)?\b(?![- ]drone)|"
    r"\brockets?\b(?=[^.;]{0,50}?\b(?:landed|fell|were fired|was fired|were launched|was launched|hit|impacted|struck|targeted)\b)|"
    r"\b(?:killed|wounded|injured)\b(?=[^.;]{0,60}?\bby (?:an? |the )?(?:[\w-]+ ){0,2}(?:drones?|rockets?|UAVs?|missiles?)\b)|"
    r"\b(?:killed|wounded|injured)\b(?=[^.;]{0,40}?\bat (?:an? |the )?(?:U\.S\. |US |coalition |American )?(?:military )?(?:base|based|facility|installation|air ?base|compound|embassy)\b)|"
    r"\b(?:drones?|UAVs?|rockets?)\s+(?:launched|fired)\s+by\b|"
    r"\b(?:killed|wounded|killing|wounding)\b(?=\s+(?:\w+\s+){1,2}(?:U\.S\.|US|American|coalition)\s+"
    r"(?:soldiers|troops|service ?members|servicemembers|personnel|Marines|contractors?)\b)|"
    r"\b(?:fired|firing|launched)\b(?=[^.;]{0,40}?\brockets?\b)|"
    r"\b(?:UAV|drone|UAS)\b(?=[^.;]{0,40}?\b(?:was|were)\s+(?:intercepted|shot down|downed)\b)|"
    r"\btargeted by\b|\brounds?\s+(?:fell|falling|landed|landing|hit)\b",
    re.IGNORECASE,
)
_STRIKE_TRIGGERS = re.compile(
    r"\b(?:air[- ]?strikes?|counter-?strikes?|counter-?attacks?|strikes?|struck|responded to)\b", re.IGNORECASE
)
_US_AGENT = re.compile(
    r"\b(?:U\.\s?S\.|US|United States|American|America|coalition|Coalition|CENTCOM|Central Command|Pentagon|"
    r"we|We|our|I directed|my direction|the President|Apache|AC-130)\b"
)
_MILITIA_AGENT = re.compile(
    r"\b(?:militias?|militants?|militant groups?|Iran-backed|Iranian-backed|Iran-supported|Iran-aligned|"
    r"Iran-affiliated|Kata.?ib|Hezbollah|Hizballah|Nujaba|Islamic Resistance|proxy|proxies|malign actors|"
    r"insurgents?)\b",
    re.IGNORECASE,
)
_IRAN_STATE = re.compile(
    r"\b(?:Iranian|Iran['’]s)\s+(?:state\s+)?(?:ballistic\s+)?missile\b|\bballistic[- ]missile\b", re.I
)
_OUT_OF_SCOPE = re.compile(
    r"\b(?:Israel|Israeli|Houthis?|ISIS|ISIL|Daesh|al-Shabaab|Hamas|Taliban|Russian?|Turkish|Turkey|al-Qa.ida)\b"
    r"(?:['’]s)?\s*(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
_ON_OUR_FORCES = re.compile(
    r"\s+(?:on|against|at)\s+(?:an?\s+|the\s+)?(?:U\.S\.|US|American|coalition|Coalition|our)\s+"
    r"(?:military\s+)?(?:base|bases|forces|troops|facility|facilities|personnel|service)",
)
_OUT_OF_SCOPE_AFTER = re.compile(
    r"\s+(?:by|from)\s+(?:the\s+)?(?:Israel|Israeli|Houthis?|ISIS|ISIL|Daesh|al-Shabaab|Hamas|Taliban|Russia)", re.I
)
_INFINITIVE = re.compile(
    r"\b(?:use|uses|in order|able|capable|plan\w*|intend\w*|seek\w*|tr(?:y|ies|ied)|continu\w*|want\w*|threat\w*|"
    r"aim\w*|ready|prepared|decision|decided|decide|chose|choose|options?|authori[sz]\w*)\b[^.;]{0,30}\bto\s+$",
    re.IGNORECASE,
)
_INCLUDES_AFTER = re.compile(r"^[^.;]{0,30}?\b(?:have |has )?(?:included|include|includes|including)\b", re.IGNORECASE)
_REFERENTIAL = re.compile(
    r"\b(?:the|this|that|these|those|its|their|such)\s+"
    r"(?:(?!(?:was|were|is|are|has|have|had|to|out|said|says|did)\b)[\w.'’-]+(?<!ed)(?<!ing)\s+){0,3}$",
    re.IGNORECASE,
)
_SEVERAL_SITES = re.compile(
    r"\b(?:two|three|four|several|multiple|both)\s+(?:[\w.'’-]+\s+){0,3}?(?:installations|bases|sites|locations|facilities|positions)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"\(?(?:photo(?: credit)?|credit|image|file photo)\s*:", re.IGNORECASE)
_OTHER_ACTORS = re.compile(
    r"\b(?:Israel|Israeli|Israelis|Houthis?|ISIS|ISIL|Daesh|al-Shabaab|Hamas|Taliban|Russia|Russian|Ukraine|"
    r"Turkey|Turkish|North Korea\w*)\b"
)
_SOLEIMANI = re.compile(r"Soleimani", re.IGNORECASE)
_GENERIC = re.compile(
    r"\b(?:future|further|more|any|such|these|those|other|prior|previous|continued|continuing|ongoing|numerous|"
    r"repeated|escalatory|escalating|series of|number of|dozens of|hundreds of|scores of|more than [\w-]+|"
    r"at least [\w-]+|over [\w-]+|wave of|string of|spate of|uptick in|threats? of|retaliatory|recent|several|"
    r"many|multiple|all|additional|every|each|the type of|kinds? of|lethal|deadly|past|possible|continuation of|"
    r"resumption of|campaign of|pattern of|barrage of|frequency of|number of)\b"
    r"(?:,?\s+(?!(?:in|a|an|the|at|on|against|by|with|from|to|for|during)\b)[\w'’-]+){0,3}\s*$",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:will|would|could|might|may|should|can|if|whether|contemplat\w*|consider\w*|plan\w*|prepar\w*|"
    r"options?|deter\w*|prevent\w*|threat\w*|stop|avoid|ready to|intended to|designed to|capable|capabilit\w*)\b"
    r"[^.;,]{0,30}$",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:no|not|never|neither|nor|without|denied|deny|denies)\b[^.;,]{0,20}$", re.IGNORECASE)
PREVIOUSLY = re.compile(r"\b(?:previously|as I have reported|in the past|historically|over the years)\b", re.I)
SINCE_REPORT = re.compile(r"\bsince (?:my|the|our) (?:prior|last|previous) report\b", re.IGNORECASE)
RESPONSE_WORDS = re.compile(
    r"\b(?:respon\w+|retaliat\w+|counter-?strikes?|counter-?attacks?|in return for|those responsible|"
    r"came after|after\b|following)\b",
    re.IGNORECASE,
)

COUNT_WORDS = (
    r"(?:at least|more than|over|nearly|about|approximately|some|up to|no fewer than)?\s*"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|a dozen|dozens of|several|a couple of)"
    r"(?:\s+(?:or|to|-)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten))?"
)
_PEOPLE = (
    r"(?P<noun>service[- ]?members?|soldiers?|troops|servicemen|service personnel|personnel|Americans?|"
    r"contractors?|militants?|fighters?|militiamen|militia members|members|civilians?|people|persons|others|more|"
    r"Marines|sailors|airmen|citizens?)"
)
_MODIFIERS = r"(?P<mods>(?:[\w.'’-]+\s+){0,4}?)"
_PASSIVE = re.compile(
    rf"\b(?P<count>{COUNT_WORDS})\s+{_MODIFIERS}{_PEOPLE}\b(?P<between>[^.;]{{0,60}}?)"
    r"\b(?:were|was|had been|have been|are|is|got)\s+(?:\w+ly\s+)?(?P<verb>killed|wounded|injured|hurt|died|dead)\b",
    re.IGNORECASE,
)
_ACTIVE = re.compile(
    rf"\b(?P<verb>kill(?:ed|ing|s)|wound(?:ed|ing|s)|injur(?:ed|ing|es))\s+(?P<count>{COUNT_WORDS})\s+{_MODIFIERS}{_PEOPLE}\b",
    re.IGNORECASE,
)
_NO_CASUALTIES = re.compile(
    r"\bno (?:casualties|injuries|deaths|one was (?:hurt|injured|killed))\b|\bwithout (?:casualties|injuries)\b|"
    r"\bno (?:U\.S\.|US|American|coalition) (?:casualties|injuries)\b",
    re.IGNORECASE,
)
_HEDGES = re.compile(
    r"\b(?:could not be (?:independently )?(?:confirmed|verified)|unconfirmed|not (?:immediately )?(?:clear|confirmed)|"
    r"unclear|reportedly|allegedly|initial (?:reports|assessments)|refer you to|won['’]t confirm|not going to confirm|"
    r"I can['’]t confirm|cannot confirm)\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"(?P<who>[A-Z][\w'’ -]{2,60}?)\s+(?:has |have |had )?(?:denied|denies|deny)\b(?:[^.;]|\.(?=\S))*", re.UNICODE
)
_CLAIM = re.compile(
    r"(?P<who>(?:[A-Z][\w'’.-]*|an?|the|and|of|affiliated|Iranian-backed|Iran-backed|militia|group|groups)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|an?|the|and|of|affiliated|Iranian-backed|Iran-backed|militia|umbrella|group|groups|"
    r"under|militants|Iranian-backed|,)){0,14})\s*,?\s+(?:has |have |had )?claimed (?:credit|responsibility)",
)
_WEAPON_COUNT = re.compile(
    rf"\b(?P<count>{COUNT_WORDS})\s+(?:(?:[\w'’-]+)\s+){{0,3}}?(?P<noun>rockets?|drones?|UAVs?|UAS|missiles?|mortars?|mortar rounds|rounds)\b",
    re.IGNORECASE,
)
_WEAPON_NOUN = re.compile(r"\b(?:rockets?|drones?|UAVs?|UAS|mortars?|missiles?|IEDs?)\b", re.IGNORECASE)
_INTERCEPTED = re.compile(r"\b(?:intercepted|shot down|downed|destroyed in flight)\b", re.IGNORECASE)
_MISSED = re.compile(r"\b(?:fell short|missed|landed outside|fell outside)\b", re.IGNORECASE)
_US_WORDS = re.compile(r"\b(?:U\.\s?S\.|US|United States|American|Americans|our)\b")
_COALITION_WORDS = re.compile(r"\b(?:coalition|Coalition|Filipino|non-American|British|French|Italian)\b")


@dataclass
class Mention:
    """One event as a sentence (or a list item in it) describes it."""

    kind: str
    sentence: Sentence
    trigger: str
    trigger_start: int  # offset in the sentence
    whens: list[When] = field(default_factory=list)
    when_source: str = "own"  # own, sentence, report, anaphoric, discourse, title, since_report
    places: list[Place] = field(default_factory=list)
    weapon_words: list[str] = field(default_factory=list)
    munitions: str | None = None
    intercepted: str | None = None
    casualties: dict[tuple[str, str], tuple[str, str | None, Sentence]] = field(default_factory=dict)
    claimed_by: str | None = None
    hedges: list[str] = field(default_factory=list)
    has_response_words: bool = False
    is_title: bool = False
    is_concrete: bool = True
    destroyed: list[str] = field(default_factory=list)  # 'destroying three vehicles': for the notes
    is_referential: bool = False  # 'the strike', 'that attack' without a date of its own: adds to an event, starts none
    covers_several_sites: bool = False  # 'rockets at two U.S. military installations in northeast Syria'


def kind_of(sentence: str, start: int, end: int, trigger: str) -> str | None:
    """Decide attack, response or other from the nearest actor before the trigger (None: out of scope)."""
    clause = re.split(r"[.;:!?]", sentence[:start])[-1]
    window = sentence[max(0, start - 80) : end + 40]
    if _SOLEIMANI.search(window):
        return "other"
    if _OUT_OF_SCOPE.search(clause[-60:]) or _OUT_OF_SCOPE_AFTER.match(sentence[end : end + 40]):
        return None
    others = [m.end() for m in _OTHER_ACTORS.finditer(clause)]
    ours = [m.end() for m in _US_AGENT.finditer(clause)] + [m.end() for m in _MILITIA_AGENT.finditer(clause)]
    if others and (not ours or others[-1] > max(ours)):
        return None  # 'Russia launched missiles into Ukraine ... in its overnight aerial attack'

    if _IRAN_STATE.search(sentence[max(0, start - 60) : end + 10]):
        return "other"
    us = [m.end() for m in _US_AGENT.finditer(clause)]
    militia = [m.end() for m in _MILITIA_AGENT.finditer(clause)]
    is_strike_word = bool(_STRIKE_TRIGGERS.fullmatch(trigger)) and not trigger.casefold().startswith("respond")
    if trigger.casefold().startswith("respond"):
        return "response"
    if is_strike_word:
        # the weapon is the subject: 'a drone struck', 'two rockets struck'
        weapon_before = r"\b(?:drones?|missiles?|rockets?|mortars?|projectiles?|shells?)\s+$"
        if re.search(weapon_before, sentence[max(0, start - 14) : start], re.IGNORECASE):
            return "attack"
        if _ON_OUR_FORCES.match(sentence[end : end + 60]):
            return "attack"  # a strike on a coalition base
        militia_starts = [m.start() for m in _MILITIA_AGENT.finditer(clause)]
        reported = militia and re.search(r"\b(?:said|says|told|according to|claimed)\b", clause[militia[-1] :])
        if militia and not reported and (not us or militia[-1] > us[-1]) and _subject_is(clause, militia_starts[-1]):
            return "attack"
        return "response"
    if (
        us
        and (not militia or us[-1] > militia[-1])
        and re.search(
            r"\b(?:U\.S\.|US|American|coalition)\s+(?:forces\s+)?(?:counter-?)?attack",
            sentence[max(0, start - 30) : end],
            re.I,
        )
    ):
        return "response"
    return "attack"


def _subject_is(clause: str, militia_start: int) -> bool:
    """Tell whether the militia term before a strike word is its doer (not its target: 'strikes on militias')."""
    before = clause[max(0, militia_start - 60) : militia_start]
    return not re.search(
        r"\b(?:on|against|at|targeting|hit|hitting|struck|of|after|killing|killed)\s+(?:[\w'’-]+\s+){0,4}[\w'’-]*$",
        before,
    )


def is_generic(sentence: str, start: int, trigger: str, kind: str) -> bool:
    """Tell whether a trigger names a total, a kind of event or a hypothetical one rather than an event."""
    before = sentence[max(0, start - 60) : start]
    if _INFINITIVE.search(before):
        return True
    if _HYPOTHETICAL.search(before):
        return True
    if _NEGATED.search(before[-25:]) and not re.search(r"\bnot (?:immediately|yet)\b", before[-25:]):
        return True
    if _INCLUDES_AFTER.match(sentence[start + len(trigger) :]):
        return False  # 'recent rocket attacks have included ones on Balad Air Base on April 4, ...'
    is_attack_noun = bool(re.search(r"attack", trigger, re.IGNORECASE))
    return kind == "attack" and is_attack_noun and bool(_GENERIC.search(before)) and not _is_small_count(before)


def _is_small_count(before: str) -> bool:
    """Tell whether a plural attack noun is counted as one to three ('two attacks on August 15')."""
    return bool(re.search(r"\b(?:two|three|2|3|twin)\s+(?:[\w-]+\s+)?$", before, re.IGNORECASE))


def find_triggers(text: str) -> list[tuple[int, int, str]]:
    """Return the trigger words of a sentence in order, without overlaps."""
    spans: list[tuple[int, int, str]] = []
    for pattern in (_ATTACK_TRIGGERS, _STRIKE_TRIGGERS):
        for match in pattern.finditer(text):
            if all(match.end() <= s or match.start() >= e for s, e, _ in spans):
                spans.append((match.start(), match.end(), match[0]))
    return sorted(spans)


def casualty_claims(
    text: str, default_claimant: str | None, kind: str | None
) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Read counts of killed and wounded in a sentence, each with its side and claimant."""
    claimant = attribution(text) or default_claimant
    found: dict[tuple[str, str], tuple[str, str | None]] = {}
    last_side = None
    matches = sorted([*_PASSIVE.finditer(text), *_ACTIVE.finditer(text)], key=lambda m: m.start())
    for match in matches:
        count = _count_text(match["count"])
        if count is None:
            continue
        side = _side(match["noun"], match["mods"] or "", text, kind, last_side)
        last_side = side
        outcome = "killed" if match["verb"].casefold().startswith(("kill", "died", "dead")) else "wounded"
        key = (side, outcome)
        if key in found:
            found[key] = (_add_counts(found[key][0], count), claimant)
        else:
            found[key] = (count, claimant)
    if _NO_CASUALTIES.search(text) and not found:
        found[(NO_CASUALTIES_SIDE, "killed")] = ("0", claimant)
        found[(NO_CASUALTIES_SIDE, "wounded")] = ("0", claimant)
    return found


NO_CASUALTIES_SIDE = "target"  # 'no casualties were reported': the side that was hit, settled by the event


def side_hit(kind: str, text: str) -> str:
    """Return the side an event hit: militia for a strike, coalition or US for an attack (as the text says)."""
    if kind == "response":
        return "militia"
    return "coalition" if _COALITION_WORDS.search(text) and not _US_WORDS.search(text) else "us"


def _count_text(words: str) -> str | None:
    """Return a count as the log's cell grammar reads it ('two or three', 'at least 4'), or None."""
    text = " ".join(words.casefold().split()).replace("dozens of", "dozens").replace("a couple of", "two")
    text = re.sub(r"^(?:about|approximately|nearly|some|up to)\s+", "", text)
    text = re.sub(r"^(?:an?)$", "one", text)
    text = text.replace("no fewer than", "at least")
    try:
        return text if parse_count(text) is not None else None
    except CellError:
        return None


def _add_counts(first: str, second: str) -> str:
    """Add two exact counts ('one' service member and 'four' contractors wounded: 5); else keep both as a range."""
    a, b = parse_count(first), parse_count(second)
    if a.high == a.best and b.high == b.best:
        return str(a.best + b.best)
    if b.high is None or a.high is None:
        return f"at least {a.low + b.low}"
    return f"{a.low + b.low}-{a.high + b.high}"


def _side(noun: str, mods: str, text: str, kind: str | None, last_side: str | None) -> str:
    """Return the side of the people counted, from the noun, its modifiers and the event's kind."""
    noun, mods = noun.casefold(), mods.casefold()
    if noun in ("others", "more"):
        return last_side or ("militia" if kind == "response" else "us")
    if noun in ("militants", "militant", "fighters", "fighter", "militiamen", "militia members"):
        return "militia"
    if noun == "members":
        return "militia" if "militia" in mods or kind == "response" else "us"
    if noun.startswith("civilian"):
        return "civilian"
    if noun in ("people", "persons"):
        return "unknown"
    if re.search(r"filipino|non-american|british|coalition|french|italian|iraqi|kurdish", mods):
        return "coalition" if not re.search(r"iraqi|kurdish", mods) else "partner"
    return "us"


_SAYING = re.compile(r"\b(?:said|says|told|stated|reported|announced|added|confirmed)\b|\baccording to\b")
_CLAIMANT_HEADS = re.compile(
    r"\b(?:officials?|Command|CENTCOM|spokes(?:man|woman|person)|sources?|Ministry|Pentagon|Department|coalition|"
    r"Coalition|military|Observatory|agency|police|Kirby|Austin|Kurilla|Brennan|reporters?|media|monitor|Deir Ezzor 24)\b"
)


def attribution(text: str) -> str | None:
    """Return who a sentence attributes its figures to ('US Central Command said' -> 'US Central Command')."""
    for match in _SAYING.finditer(text):
        if match[0] == "according to":
            phrase = re.split(r"[,.;]", text[match.end() :])[0]
            head = _CLAIMANT_HEADS.search(phrase)
            if head:
                return _tidy_claimant(phrase[: head.end()])
            continue
        before = re.split(r"[,;:“”\"()—–]|\band\b(?=[^,]*\bsaid\b)", text[: match.start()])[-1]
        words = before.split()[-9:]
        phrase = " ".join(words)
        head = _CLAIMANT_HEADS.search(phrase)
        if head:
            return _tidy_claimant(phrase[: head.end()])
    return None


def _tidy_claimant(phrase: str) -> str | None:
    """Drop leading articles and connectives from a claimant; write U.S. as US."""
    phrase = re.sub(r"^(?:.*\b(?:while|as|but|and)\s+)?", "", phrase.strip())
    phrase = re.sub(r"^(?:the|The|an?|An?|one|One)\s+", "", phrase)
    phrase = re.sub(r"\bU\.S\.", "US", phrase).strip()
    return phrase or None


def munitions_and_interception(text: str) -> tuple[str | None, list[str], str | None]:
    """Return the count of rockets / drones fired, the weapon words, and whether they were intercepted."""
    munitions = None
    words = [m[0] for m in _WEAPON_NOUN.finditer(text)]
    for match in _WEAPON_COUNT.finditer(text):
        if re.search(
            r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b", match[0]
        ):
            continue
        count = _count_text(match["count"])
        if count is not None:
            munitions = munitions or count
            words.append(match["noun"])
    intercepted = "yes" if _INTERCEPTED.search(text) else ("no" if _MISSED.search(text) else None)
    return munitions, words, intercepted


def claimed_by(text: str) -> str | None:
    """Return the group a sentence says claimed an attack ('... claimed credit for the attack')."""
    if match := _CLAIM.search(text):
        who = re.sub(r"^(?:The|the|An?|an?)\s+", "", match["who"].strip(" ,"))
        return who or None
    return None


_DESTROYED = re.compile(
    rf"\b(?:destroy(?:ing|ed|s)|damag(?:ing|ed))\s+(?P<what>(?:{COUNT_WORDS})\s+[\w\s-]{{0,40}}?)(?=[,.;]|\s+(?:used|in|at|that|which|belonging)\b|$)",
    re.IGNORECASE,
)


def destroyed(text: str) -> list[str]:
    """Return what a sentence says was destroyed ('three vehicles and equipment'), for the notes."""
    return [" ".join(m["what"].split()) for m in _DESTROYED.finditer(text)]


def hedges(text: str) -> list[str]:
    """Return the hedging and denial phrases of a sentence ('could not be confirmed', 'denied any involvement')."""
    found = [m[0] for m in _HEDGES.finditer(text)]
    found += ["denial: " + m[0].strip() for m in _DENIAL.finditer(text)]
    return found


def sentence_mentions(
    sentence: Sentence, published: dt.date, gazetteer: Gazetteer, default_claimant: str | None
) -> list[Mention]:
    """Return the event mentions of one sentence, each with its own dates, places and details."""
    text = sentence.text
    triggers = find_triggers(text)
    if not triggers or _CAPTION.search(text):
        return []
    whens = find_whens(text, published)
    places = find_places(text, gazetteer)
    mentions: list[Mention] = []
    segments = _segments(text)
    previous: Mention | None = None
    for seg_start, seg_end in segments:
        seg_triggers = [t for t in triggers if seg_start <= t[0] < seg_end]
        seg_whens = [w for w in whens if seg_start <= w.start < seg_end]
        seg_places = [p for p in places if seg_start <= p.start < seg_end]
        if not seg_triggers and previous is not None and seg_places and [w for w in seg_whens if _is_event_date(w)]:
            mentions.append(_continued(previous, sentence, seg_whens, seg_places))  # list item: '...; Al-Asad on May 4'
            continue
        for position, (start, end, words) in enumerate(seg_triggers):
            kind = kind_of(text, start, end, words)
            if kind is None:
                continue
            if is_generic(text, start, words, kind):
                if kind == "attack" and (instance := _instance_after(text, end, whens, places, sentence)):
                    mentions.append(instance)
                continue
            low = seg_triggers[position - 1][1] if position else seg_start
            high = seg_triggers[position + 1][0] if position + 1 < len(seg_triggers) else seg_end
            mention = Mention(kind, sentence, words, start)
            mention.whens = _own_whens(seg_whens, seg_triggers, start, end)
            reach = seg_end if words.casefold().startswith("respond") else high  # where the attacks came from
            mention.places = _own_places(seg_places, start, end, low, reach, text, has_previous=position > 0) or (
                seg_places if len(seg_triggers) == 1 else []
            )
            window = text[low:high]
            mention.munitions, mention.weapon_words, mention.intercepted = munitions_and_interception(window)
            mention.weapon_words.append(words)
            mention.claimed_by = claimed_by(text)
            mention.destroyed = destroyed(text) if kind == "response" else []
            mention.has_response_words = bool(RESPONSE_WORDS.search(text))
            mention.is_concrete = not words.casefold().endswith("attacks") or bool(mention.whens)
            mention.is_referential = not mention.whens and bool(_REFERENTIAL.search(text[max(0, start - 40) : start]))
            mention.covers_several_sites = bool(_SEVERAL_SITES.search(window))
            mentions.append(mention)
            previous = mention
    return mentions


_INCLUDING = re.compile(r"\bincluding(?:,? of course,?)?\s+(?:the (?:one|attack) )?(?:at|on|in)\s+", re.IGNORECASE)


def _instance_after(text: str, end: int, whens: list[When], places: list[Place], sentence: Sentence) -> Mention | None:
    """Return the one attack a total names ('attacks ... including at al-Asad Air Base over the weekend'), if dated."""
    match = _INCLUDING.search(text, end, end + 150)
    if not match:
        return None
    stop = re.search(r"[—–;)]|$", text[match.end() :])
    low, high = match.start(), match.end() + stop.start()
    own_places = [p for p in places if low <= p.start < high]
    own_whens = [w for w in whens if low <= w.start < high and _is_event_date(w)]
    if not own_places or not own_whens:
        return None
    mention = Mention("attack", sentence, "including", match.start())
    mention.whens, mention.places = own_whens, own_places
    return mention


def _segments(text: str) -> list[tuple[int, int]]:
    """Cut a sentence at semicolons (list items keep their own places and dates)."""
    bounds = [0] + [m.end() for m in re.finditer(r";", text)] + [len(text)]
    return list(zip(bounds[:-1], bounds[1:]))


def _is_event_date(when: When) -> bool:
    """Tell whether a time expression can date an event (not a report date or the edge of a period)."""
    return not when.is_report and not when.is_bound and when.anaphor is None


OWN_DATE_REACH = 90  # characters: a date further from every trigger dates the sentence, not one event


def _own_whens(whens: list[When], triggers, start: int, end: int) -> list[When]:
    """Give a trigger the event dates of its segment that are nearer to it than to any other trigger."""
    own = []
    for when in whens:
        if not _is_event_date(when) or _distance(start, end, when.start, when.end) > OWN_DATE_REACH:
            continue
        nearest = min(triggers, key=lambda t: _distance(t[0], t[1], when.start, when.end))
        if nearest[0] == start:
            own.append(when)
    return own


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters between two spans (0 when they touch)."""
    return max(0, b_start - a_end, a_start - b_end)


_CLAUSE_BREAK = re.compile(
    r"[;—–]|\bin (?:response|retaliation)\b|\bto (?:fight|protect|defend|deter|degrade)\b|"
    r"\bbecause\b|\bin order\b|\b(?:was|were) followed\b|\bfollowed by\b"
)


def _own_places(
    places: list[Place], start: int, end: int, low: int, high: int, text: str = "", has_previous: bool = False
) -> list[Place]:
    """Give a trigger the places after it (up to the next trigger or clause), else those before it."""
    if text and (stop := _CLAUSE_BREAK.search(text, end, high)):
        high = stop.start()
    after = [p for p in places if end <= p.start < high]
    if after:
        return after
    if text and has_previous:
        breaks = [m.end() for m in re.finditer(r"[,;—–]", text[low:start])]
        low = low + breaks[-1] if breaks else start
    return [p for p in places if low <= p.start < start]


def _continued(previous: Mention, sentence: Sentence, whens: list[When], places: list[Place]) -> Mention:
    """Make the next item of a list ('...; and Al-Asad Air Base on May 4 and May 24, 2021') a mention of its own."""
    mention = Mention(previous.kind, sentence, previous.trigger, previous.trigger_start)
    mention.whens = [w for w in whens if _is_event_date(w)]
    mention.places = places
    mention.weapon_words = list(previous.weapon_words)
    mention.has_response_words = previous.has_response_words
    return mention
