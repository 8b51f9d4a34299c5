"""Who did what to whom in ACLED and UCDP GED rows: actor sides, role, weapon, site and target kind, each with its basis.

Neither dataset says who attacked whom (ACLED's codebook: actor1 and actor2 "do not imply directionality";
UCDP's side_a is simply the government). The rules below decide, in order, and ``role_basis`` names the rule
that did (docs/sources.md has the same rules with examples):

1. Sides come from the actor names: ``reference/actors.csv`` first (exact names), then
   ``reference/actor_patterns.csv`` (exact, prefix or contains; the longest pattern wins). A party is the
   main actor plus its associated actors, so "Global Coalition Against Daesh" with "Military Forces of the
   United States" as associate is a US party. A party is a pro-Iran militia, US / coalition forces, the
   Iranian state (IRGC, army), a partner force (Iraqi, Kurdish, SDF, Jordanian, Syrian Free Army / Maghawir),
   an unidentified group ("Unidentified Armed Group", "Unidentified Military Forces"), absent, or anything else.
2. A pro-Iran militia on one side and US / coalition forces on the other make an attack or a response:
   a. sub-event "Disrupted weapons use": an attack that was intercepted or foiled (intercepted = yes);
   b. the notes (GED: the source headline) say who fired at whom: "fired rockets at the US base", "targeted
      Ain al-Asad air base", "a US patrol came under fire from", "US aircraft struck", "hit by a US drone".
      Clauses that give the other side's earlier action as context are skipped ("in retaliation for ...",
      "in response to ...", "after militias targeted ...", "who had fired ..."); an interception outranks
      every statement, otherwise the earliest one decides. The basis quotes the deciding words;
   c. in remote-violence events (air/drone strikes, shelling, IEDs) ACLED lists the one who fired as actor1;
   d. otherwise actor1 (GED: side_a) is taken as the initiator, and the basis says this is weak.
3. The Iranian state (IRGC, army) against US / coalition forces: the same reading of direction, but only a
   US / coalition strike on the IRGC counts (a response: the IRGC runs the militias in Syria); the Iranian
   state's own missiles are not a militia attack (other).
4. An unidentified group against US / coalition forces: when the notes say who fired (2b), the group's fire
   on US forces is a presumed militia attack, and US fire on the group a response only when the notes tie it
   to militias or launch sites (pre-emptive fire on a launch team), else other. Without such a statement,
   its shelling, IEDs, foiled fire or drone strikes (as actor1) are a presumed militia attack; a battle stays
   other. The initiator side becomes militia when the notes name one.
5. Place: rockets, missiles, shelling, drones or foiled fire (not IEDs: roadside bombs near the Syrian bases
   are mostly the Islamic State's) by an unidentified group or a pro-Iran militia, with no target coded or
   an unidentified, civilian or partner target, at a US / coalition site (the location names one) or within
   ``PLACE_RULE_KM`` km of one in the same country (gazetteer ``kind=base``), are a presumed militia attack on
   that site; not when the notes say no US / coalition forces were there or that they had left.
6. The same rows away from any site: notes that say the fire was aimed at a site the gazetteer knows
   ("rockets fired at Erbil airport fell short") make a presumed attack on that site.
7. Convoys: an IED by an unidentified group or a militia on a convoy the notes say carried US / coalition
   supplies is a presumed militia attack with target_kind convoy.
8. A partner force against a pro-Iran militia is other (Jordan's fight against smugglers tied to Hezbollah,
   Iraqi raids on Kata'ib Hizballah), unless the notes say US / coalition forces struck: then a response.
9. An unidentified force striking a pro-Iran militia is other unless the notes say the US claimed the strike
   ("the Pentagon said the strikes were retaliation"): then a response.
10. Everything else is role "other" (kept, never dropped), with initiator = actor1 and target = actor2 in the
    source's order and a basis that says what was missing.

Rules 1-4 and 8-10 are decided once per distinct combination of parties and event type; the notes are read
only for the rows a rule needs them for, and distances only once per distinct place of the rows rules 5-7
apply to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.core.text import clean_text, name_key

WESTERN_SIDES = ("us", "coalition")
GENERIC_MILITIA = re.compile(r"^Militia \(", re.IGNORECASE)
DISRUPTED = "Disrupted weapons use"
REMOTE_EVENT_TYPE = "Explosions/Remote violence"
REMOTE_SUB_EVENTS = frozenset(
    {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
        "Chemical weapon",
    }
)
# Sub-events that, aimed at US / coalition forces by an unidentified group, are read as a militia attack.
UNATTRIBUTED_FIRE = frozenset({"Shelling/artillery/missile attack", "Remote explosive/landmine/IED", DISRUPTED})
# Sub-events the place rule (rule 5) reads as fire at a site; and the IEDs the convoy rule (rule 7) reads.
SITE_FIRE = frozenset({"Shelling/artillery/missile attack", "Air/drone strike", DISRUPTED})
ROADSIDE_BOMBS = frozenset({"Remote explosive/landmine/IED"})
# The coded targets (party kinds, see Party.kind) under which fire at a site (rules 5-6) or a convoy (rule 7)
# may still be aimed at US / coalition forces: none, an unidentified one, civilians, a partner force on the
# base; a convoy's private guards too.
FIRE_RULE_TARGETS = frozenset({"absent", "unidentified", "civilian", "partner"})
SITE_RULE_TARGETS = FIRE_RULE_TARGETS | {"other", "unlisted"}
# Rule 5's distance: an event within this many km of a US / coalition site (same country) is "near" it.
PLACE_RULE_KM = 5.0
# Attacks decided otherwise are matched to the base within this distance (the site column; gazetteer bases).
SITE_RADIUS_KM = 10.0
SUB_EVENT_WEAPONS = {
    "Air/drone strike": "airstrike",
    "Shelling/artillery/missile attack": "artillery",
    "Remote explosive/landmine/IED": "ied",
    "Suicide bomb": "ied",
    "Armed clash": "small_arms",
}
# The same sub-events when a militia fired (its air strikes are drones; its shelling is usually rockets or
# mortars, which only the notes tell apart).
ATTACK_SUB_EVENT_WEAPONS = {
    "Air/drone strike": "drone",
    "Remote explosive/landmine/IED": "ied",
    "Suicide bomb": "ied",
    "Armed clash": "small_arms",
}

# ---------------------------------------------------------------- phrases in the notes (RE2 syntax: pyarrow)

_US = r"(?:U\.?S\.?|US-led|American|United States|[Cc]oalition|CENTCOM)"
_TARGET_NOUN = (
    r"(?:forces|troops|soldiers?|military|army|personnel|bases?|outposts?|garrison|convoys?|patrols?|positions?|"
    r"embassy|installations?|facilit(?:y|ies)|airbase|air base|airport|contractors?|vehicles?|headquarters|"
    r"compound|camp|service ?members?|servicemen|presence|logistics|observation post|post|helicopters?|"
    r"aircraft|warplanes?|jets|drones?|MQ-9s?)"
)
# A site named without saying whose ("the K1 base", "Ain al Asad air base", "Erbil airport").
_SITE_NOUN = (
    r"(?:bases?|air ?base|airbase|airfield|airstrip|airport|garrison|outposts?|embassy|consulate|landing zone|"
    r"Tower 22)"
)
_TARGET = (
    rf"(?:the\s+|a\s+|an\s+)?(?:[\w'-]+\s+){{0,3}}?"
    rf"(?:{_US}[\s-]+(?:[\w-]+\s+){{0,2}}?{_TARGET_NOUN}|{_SITE_NOUN})\b"
)
_STRIKER = (
    r"(?:forces|troops|military|army|warplanes?|aircraft|jets|fighter jets|bombers?|drones?|helicopters?|"
    r"gunships?|artillery|special forces|commandos|planes|(?:[ABF]|AC|MQ)-?\d+\w*)"
)
_STRIKE_VERB = (
    r"(?:struck|targeted|bombed|hit|attacked|shelled|carried out|conducted|launched|responded|raided|killed|"
    r"fired|retaliated|destroyed|engaged|opened fire|eliminated)"
)
_FILLER = r"(?:\s+(?:\w+ly|also|have|had|then|later|in turn|on \w+day))*"
_AT_PLACE = r"(?:\s+(?:at|in|near|from|based at|stationed at)\s+(?:the\s+)?[\w'-]+(?:\s+[\w'-]+){0,2})?"
# Context: the other side's earlier action, given as the motive or the time of this one ("in retaliation
# for US strikes, rockets were fired at K1"): blanked out before the statements are looked for.
CONTEXT = (
    r"\b(?:in (?:retaliation|response|revenge|reprisal|reaction) (?:for|to)|as (?:part of )?(?:the |a )?"
    r"(?:retaliation|response|reprisal) (?:for|to)|(?:hours|days|a day|a week|weeks|shortly|soon|the day|"
    r"two days|minutes) after|after|following|(?:who|which|that) had(?: just)?|who (?:were|was) (?:launching|"
    r"firing|preparing))\b[^,.;]*"
)
ATTACK_STATEMENTS = [
    re.compile(
        rf"\b(?:fire[sd]?|launch(?:es|ed)|lob(?:s|bed)|shoots|shot|sen[dt]s?|flew|flies|aim(?:s|ed))\b[^.;]{{0,80}}?\b"
        rf"(?:at|on|towards?|against|into)\s+"
        rf"{_TARGET}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:attack(?:ed|s|ing)?|target(?:ed|ing|s)?|struck|hits?|shell(?:s|ed)|bombed|rocketed|ambushed|stormed)\s+"
        rf"(?:on\s+|against\s+)?{_TARGET}",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:rockets?|mortars?|drones?|missiles?|projectiles?|shells|rounds|katyushas?)\b[^.;]{0,60}?\b"
        rf"(?:landed|fell|hit|struck|exploded|impacted|crashed)\b[^.;]{{0,40}}?{_TARGET}",
        re.IGNORECASE,
    ),
    re.compile(rf"\bfire\s+(?:on|at|towards?|upon)\s+{_TARGET}", re.IGNORECASE),
    re.compile(
        rf"{_US}[\s-]+(?:[\w-]+\s+){{0,2}}?{_TARGET_NOUN}\b[^.;]{{0,40}}?\b(?:came|comes|come|was|were|had been|"
        r"has been|have been)\s+under\s+(?:\w+\s+){0,2}?(?:fire|attack)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"{_US}[\s-]+(?:[\w-]+\s+){{0,2}}?(?:soldiers?|troops|service ?members?|servicemen|personnel|"
        r"contractors?|patrols?|convoys?|forces|bases?|outposts?|embassy)\s+(?:was|were|had been|has been|"
        r"have been)\s+(?:\w+ly\s+)?(?:killed|wounded|injured|hit|struck|attacked|targeted|shelled|ambushed)",
        re.IGNORECASE,
    ),
]
INTERCEPT_STATEMENTS = [
    re.compile(
        r"\b(?:shot down|intercepted|downed|thwarted|foiled)\b[^.;]{0,60}?\b(?:drones?|rockets?|missiles?|UAVs?|"
        r"projectiles?|attack)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:drones?|rockets?|missiles?|UAVs?|projectiles?)\b[^.;]{0,40}?\b(?:was|were)\s+(?:shot down|"
        r"intercepted|downed)",
        re.IGNORECASE,
    ),
]
ACTIVE_RESPONSE_STATEMENTS = [
    re.compile(
        rf"{_US}[\s-]+(?:(?:[\w-]+\s+){{0,2}}?{_STRIKER}{_AT_PLACE}{_FILLER}\s+|(?:led\s+)?(?:coalition\s+)?)"
        rf"{_STRIKE_VERB}\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?:air ?strikes?|strikes?|bombing|raids?)\s+(?:by|from)\s+(?:the\s+)?{_US}", re.IGNORECASE),
    re.compile(
        rf"{_US}[\s-]+(?:led\s+)?(?:air ?strikes?|air ?raids?|drone strikes?|precision strikes?|retaliatory "
        r"strikes?|strikes?|raids?|bombing|missiles?)\b",
        re.IGNORECASE,
    ),
]
# The passive voice: "hit by a US drone", "destroyed in US bombing".
PASSIVE_RESPONSE_STATEMENTS = [
    re.compile(
        r"\b(?:hit|struck|targeted|destroyed|bombed|flattened|killed|levelled|leveled|damaged|shelled)\s+(?:by|in)"
        rf"\s+(?:an?\s+|the\s+)?(?:(?:wave|series|round|string|barrage) of\s+)?{_US}(?:[\s-]+[\w-]+){{0,2}}",
        re.IGNORECASE,
    ),
]
RESPONSE_STATEMENTS = ACTIVE_RESPONSE_STATEMENTS + PASSIVE_RESPONSE_STATEMENTS
# The US owning a strike that the source gives to an unidentified force (rule 9); an accusation is not a claim.
US_CLAIMS = [
    re.compile(
        r"\b(?:Pentagon|CENTCOM|Central Command|Department of Defen[cs]e|U\.?S\.? (?:military|officials?|"
        r"government|defen[cs]e (?:secretary|department|officials?))|Washington)\b[^.;]{0,40}?\b(?:said|says|"
        r"confirmed|claimed|announced|acknowledged|stated)\b[^.;]{0,80}?\b(?:strikes?|struck|raids?|operation|"
        r"retaliation|responsibility)",
        re.IGNORECASE,
    )
]
MILITIA_MENTION = re.compile(
    r"pro-Iran|Iran-(?:backed|aligned|affiliated|supported)|Iranian-(?:backed|aligned)|Islamic Resistance in Iraq|"
    r"Kata'?[ei]?b Hez?b|Kata'?ib Hizb|Hezbollah|Hizb[ou]llah|Hizballah|Nujaba|Sayyid al[ -]?Shuhada|Asa'?ib Ahl|"
    r"Popular Mobili[sz]ation|\bPMF\b|Awliya al[ -]?Dam|Ashab al[ -]?Kahf|Qasim al[ -]?Jabb?arin|"
    r"Usbat al[ -]?Tha'?irin|militias in Iraq",
    re.IGNORECASE,
)
# Rule 4: what ties an unidentified group that US forces fired on to the militias' attacks.
LAUNCH_TIES = [
    MILITIA_MENTION,
    re.compile(
        r"\blaunch(?:ing)?\s+(?:sites?|positions?|points?|teams?|pads?|vehicles?|areas?|rails?)|\blaunchers?\b|"
        r"(?:preparing|about|getting ready) to (?:launch|fire|attack)",
        re.IGNORECASE,
    ),
]
# Rule 6: fire aimed at a site the gazetteer names: "fired two rockets at Erbil airport", "targeted Ain al Asad
# air base", "fell short of Ain al-Asad" (the site's spellings follow these words).
SITE_AIM = (
    r"(?:\b(?:fire[sd]?|launch(?:es|ed)|lob(?:s|bed)|aim(?:s|ed)|direct(?:s|ed))\b[^.;]{0,60}?\b(?:at|towards?|"
    r"against|on|into)|\b(?:target(?:s|ed|ing)|shell(?:s|ed)|struck|hits?|attack(?:s|ed))|\bfell short of|"
    r"\b(?:landed|fell|crashed) (?:near|inside|in|on))"
)
# Rule 5's veto: the notes say no US / coalition forces were at the place, or that they had left it.
US_ABSENT = [
    re.compile(
        r"\bno (?:US|U\.S\.|American|foreign|coalition|international) (?:troops|forces|soldiers|personnel|staff)"
        r"\s+(?:are|were|is|was)\s+(?:\w+\s+)?(?:stationed|present|based|deployed)\b|\bno (?:US|U\.S\.|American|"
        r"foreign|coalition|international) (?:military )?presence\b|(?:^|[.;:]\s*|\b(?:the|all)\s+)(?:US|U\.S\.|American|coalition|foreign) (?:troops|forces|"
        r"soldiers|personnel|contractors|staff)\s+(?:had|have|were)\s+(?:already\s+|all\s+)?(?:left|withdrawn|"
        r"departed|pulled out|gone)",
        re.IGNORECASE,
    )
]
_CARGO_FOR = (
    r"(?:for|to|of)\s+(?:the\s+)?(?:US-led\s+|international\s+|global\s+)?(?:coalition|U\.?S\.?\s+(?:forces|"
    r"military|army|troops|bases?)|American\s+(?:forces|troops|bases?))"
)
# Rule 7: a convoy the notes say carried US / coalition supplies.
COALITION_CONVOYS = [
    re.compile(rf"\b(?:convoys?|trucks?|lorr(?:y|ies)|tankers?)\b[^.;]{{0,100}}?{_CARGO_FOR}", re.IGNORECASE),
    re.compile(
        r"\b(?:coalition|U\.?S\.?|American)\s+(?:and\s+[\w-]+\s+)?(?:supply|supplies|logistics?|logistical|"
        r"military)\s+(?:convoys?|trucks?|vehicles?)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:convoys?|trucks?)\b[^.;]{0,40}?\b(?:carrying|transporting|moving|with|delivering)\s+(?:\w+\s+){0,2}?"
        r"(?:coalition|U\.?S\.?|American)\s+(?:equipment|supplies|cargo|materiel|logistics)",
        re.IGNORECASE,
    ),
]
# What an attack hit (target_kind): a convoy or supply trucks, or a diplomatic site.
CONVOY_WORDS = re.compile(
    r"\bconvoys?\b|\bsupply (?:trucks?|vehicles?)\b|\blogistics? (?:trucks?|vehicles?)\b|contractors?'? trucks?",
    re.IGNORECASE,
)
DIPLOMATIC_WORDS = re.compile(r"\bembass(?:y|ies)\b|\bconsulate\b|\bdiplomatic\b", re.IGNORECASE)
WEAPON_WORDS = {
    "rocket": re.compile(r"\brockets?\b|katyusha|\bgrad\b", re.IGNORECASE),
    "mortar": re.compile(r"\bmortars?\b", re.IGNORECASE),
    "drone": re.compile(r"\bdrones?\b|\buavs?\b|unmanned aerial|one-way attack", re.IGNORECASE),
    "missile": re.compile(r"\bmissiles?\b", re.IGNORECASE),
    "ied": re.compile(r"\bieds?\b|roadside bomb|explosive device|landmine|car bomb", re.IGNORECASE),
    "small_arms": re.compile(r"gunfire|small arms|machine ?guns?|sniper|gunmen|shootout", re.IGNORECASE),
}
# Rule 5 for rows without a sub-event (UCDP GED): the weapons the notes name say which rule applies.
FIRE_WORDS = re.compile(
    r"\brockets?\b|katyusha|\bmortars?\b|\bdrones?\b|\buavs?\b|\bmissiles?\b|\bshell(?:s|ing|ed)\b|projectiles?",
    re.IGNORECASE,
)
RESPONSE_WEAPON_WORDS = {
    "ground_raid": re.compile(r"\braid(?:ed|s)?\b|special forces|commandos|helicopter assault", re.IGNORECASE),
    "artillery": re.compile(r"\bartillery\b|himars", re.IGNORECASE),
}
# Where an attack's notes turn to the US reply: weapons named after it are not the attack's.
US_REPLY = re.compile(
    r"\b(?:US|U\.S\.|coalition|American)\b[^.]{0,30}\b(?:responded|retaliated|returned fire)", re.IGNORECASE
)


@dataclass(frozen=True)
class Party:
    """One side of an event: its main actor and what its associated actors add."""

    name: str | None
    side: str
    is_listed: bool
    militia: str | None  # a member with side militia
    western: str | None  # a member with side us (preferred) or coalition
    western_side: str | None
    unlisted: tuple[str, ...]  # member names no table knows
    partner: str | None = None  # a member with side partner (the main actor preferred)
    iran: str | None = None  # a member with side iran

    @property
    def kind(self) -> str:
        """Name what the party is for the rules: militia, western, mixed, iran, partner, unidentified, absent, ..."""
        if self.militia and self.western:
            return "mixed"
        if self.militia:
            return "militia"
        if self.western:
            return "western"
        if self.iran:
            return "iran"
        if self.partner:
            return "partner"
        if self.name is None:
            return "absent"
        if self.side == "unknown":
            return "unidentified" if self.is_listed else "unlisted"
        return self.side  # civilian, regime, other


# ---------------------------------------------------------------- actor names -> sides


class ActorLookup:
    """Resolve actor names to (canonical or written name, side, is_listed), caching each name and country."""

    def __init__(self, reference):
        self.actors = reference.actors
        patterns = reference.actor_patterns
        if patterns is None:
            from analysis.cleaning.reference import actor_patterns_path, load_actor_patterns

            patterns = load_actor_patterns(actor_patterns_path(reference.directory or "."))
        self.exact = {}
        for row in patterns[patterns["match"] == "exact"].itertuples():
            self.exact.setdefault(row.key, []).append(row)
        self.partial = list(patterns[patterns["match"] != "exact"].itertuples())  # longest key first
        self.cache: dict = {}

    def __call__(self, name, country) -> tuple[str | None, str, bool]:
        """Return (name to show, side, is_listed) for one actor name in one country."""
        cache_key = (name, country)
        if cache_key not in self.cache:
            self.cache[cache_key] = self._resolve(clean_text(name), clean_text(country))
        return self.cache[cache_key]

    def _resolve(self, text: str | None, country: str | None) -> tuple[str | None, str, bool]:
        """Look a cleaned name up: actors.csv, then exact patterns, then the longest prefix / contains pattern."""
        if text is None:
            return (None, "unknown", True)
        key = name_key(text)
        if key in self.actors.index:
            row = self.actors.loc[key]
            return (str(row["name"]), str(row["side"]), True)
        for row in self.exact.get(key, []):
            if _country_fits(row.country, country):
                return (clean_text(row.name) or text, row.side, True)
        for row in self.partial:
            fits = key.startswith(row.key) if row.match == "prefix" else row.key in key
            if fits and _country_fits(row.country, country):
                return (clean_text(row.name) or text, row.side, True)
        return (text, "unknown", False)


def _country_fits(pattern_country, country) -> bool:
    """Tell whether a pattern limited to a country applies to an event in country."""
    limited_to = clean_text(pattern_country)
    return limited_to is None or (country is not None and name_key(limited_to) == name_key(country))


def split_associates(value) -> list[str]:
    """Split ACLED's ';'-separated associated actors."""
    text = clean_text(value)
    return [part.strip() for part in text.split(";") if part.strip()] if text else []


def summarise_party(actor, associates, country, lookup: ActorLookup) -> Party:
    """Combine a main actor and its associates into one party."""
    name, side, is_listed = lookup(actor, country)
    members = [(name, side, is_listed)] + [lookup(a, country) for a in split_associates(associates)]
    militias = [m[0] for m in members if m[1] == "militia"]
    # ACLED's generic label ("Militia (Pro-Iran)") yields to a named group among the associates
    militia = next((m for m in militias if not GENERIC_MILITIA.match(m)), militias[0] if militias else None)
    us = next((m[0] for m in members if m[1] == "us"), None)
    coalition = next((m[0] for m in members if m[1] == "coalition"), None)
    return Party(
        name=name,
        side=side,
        is_listed=is_listed,
        militia=militia,
        western=us or coalition,
        western_side="us" if us else ("coalition" if coalition else None),
        unlisted=tuple(m[0] for m in members if not m[2]),
        partner=next((m[0] for m in members if m[1] == "partner"), None),
        iran=next((m[0] for m in members if m[1] == "iran"), None),
    )


# ---------------------------------------------------------------- grouping rows by their distinct values


def unique_rows(*columns) -> tuple[np.ndarray, np.ndarray]:
    """Return (inverse, first) for the distinct combinations of several aligned columns.

    ``first[k]`` is the position of the first row holding combination k; ``inverse[i]`` is row i's combination.
    A column may be a Series, a categorical Series or an integer array of codes it was already reduced to
    (neither of the last two is factorised again).
    """
    combined, combined_count = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy().astype(np.int64) + 1  # blank (-1) -> 0
        elif isinstance(column, np.ndarray) and column.dtype.kind in "iu":
            codes = column.astype(np.int64) + 1
        else:
            codes = pd.factorize(column, use_na_sentinel=True)[0].astype(np.int64) + 1  # blank -> 0
        base = int(codes.max()) + 1 if len(codes) else 1
        if combined_count * base >= 2**62:  # renumber the combinations so far before the key could overflow
            combined = pd.factorize(combined)[0].astype(np.int64)
            combined_count = int(combined.max()) + 1 if len(combined) else 1
        combined, combined_count = combined * base + codes, combined_count * base
    combined = pd.factorize(combined)[0].astype(np.int64)  # one hash pass: numbered in order of first appearance
    count = combined.max() + 1 if len(combined) else 0
    first = np.empty(count, dtype=np.int64)
    first[combined[::-1]] = np.arange(len(combined) - 1, -1, -1)  # the last write wins: the first row
    return combined, first


# ---------------------------------------------------------------- the role decision


@dataclass(frozen=True)
class Decision:
    """What the actors and sub-event decide for one combination; notes or place may still refine it.

    ``read_notes`` names the notes reading the rule still needs ("direction": who fired at whom; "us_action":
    a US / coalition strike or claim), and ``if_found`` the decisions it leads to, by what it found ("attack",
    "response", "untied_response", "us_action"); their basis is a template with ``{words}`` for the quoted
    phrase. ``site_rule`` marks rows rules 5-7 look at ("fire", "ied", or "either" when only the notes can
    tell); ``names_militia`` lets the notes name the militia behind an unidentified attacker.
    """

    role: str
    basis: str
    initiator: str | None
    initiator_side: str
    target: str | None
    target_side: str
    intercepted: str | None = None
    read_notes: str | None = None
    if_found: tuple = ()
    site_rule: str | None = None
    names_militia: bool = False
    site: str | None = None
    target_kind: str | None = None

    def found(self, finding: str) -> Decision | None:
        """Return the decision a notes finding leads to, or None."""
        return dict(self.if_found).get(finding)


def decide(first: Party, second: Party, sub_event, event_type, *, first_label: str = "actor1") -> Decision:
    """Decide role, initiator and target for one pair of parties and an event type (rules 2-4 and 7-10 above)."""
    kinds = (first.kind, second.kind)
    remote = sub_event in REMOTE_SUB_EVENTS or event_type == REMOTE_EVENT_TYPE
    order = (
        f"actor order: in remote violence ({sub_event or event_type}) {first_label} is the one who fired"
        if remote
        else f"actor order only: {first_label} taken as the initiator (the source's order does not imply direction; weak)"
    )
    if set(kinds) == {"militia", "western"}:
        militia, western = (first, second) if kinds[0] == "militia" else (second, first)
        attack = Decision("attack", "", militia.militia, "militia", western.western, western.western_side)
        response = Decision("response", "", western.western, western.western_side, militia.militia, "militia")
        if sub_event == DISRUPTED:
            return replace(
                attack, basis=f"sub-event '{DISRUPTED}': a militia attack intercepted or foiled", intercepted="yes"
            )
        fallback = attack if kinds[0] == "militia" else response
        found = (
            ("attack", replace(attack, basis='notes: "{words}"')),
            ("response", replace(response, basis='notes: "{words}"')),
        )
        return replace(fallback, basis=order, read_notes="direction", if_found=found)
    if set(kinds) == {"iran", "western"}:
        return _iran_and_western(first, second, order)
    if set(kinds) == {"unidentified", "western"}:
        return _unidentified_and_western(first, second, sub_event)
    if kinds[0] in ("unidentified", "militia") and kinds[1] in SITE_RULE_TARGETS:
        fallback = _partner_and_militia(first, second) if kinds == ("militia", "partner") else _other(first, second)
        site_rule = _site_rule(sub_event, event_type, kinds[1])
        return replace(fallback, site_rule=site_rule) if site_rule else fallback
    if set(kinds) == {"partner", "militia"}:
        return _partner_and_militia(first, second)
    if kinds[0] == "unidentified" and kinds[1] == "militia" and (remote or sub_event is None):
        return _unclaimed_strike(first, second)
    return _other(first, second)


def _site_rule(sub_event, event_type, target_kind: str) -> str | None:
    """Say which of rules 5-7 may apply: 'fire', 'ied', 'either' (no sub-event: the notes tell), or None.

    Fire at a site (rules 5-6) counts only with no target coded or an unidentified, civilian or partner one;
    a convoy the notes tie to the coalition (rule 7) whatever its guards are coded as.
    """
    fire_fits = target_kind in FIRE_RULE_TARGETS
    if sub_event in SITE_FIRE:
        return "fire" if fire_fits else None
    if sub_event in ROADSIDE_BOMBS:
        return "ied"
    if sub_event is None and event_type != REMOTE_EVENT_TYPE:
        return "either" if fire_fits else "ied"  # UCDP GED has no sub-events
    return None


def _iran_and_western(first: Party, second: Party, order: str) -> Decision:
    """Rule 3: a US / coalition strike on the IRGC is a response; the Iranian state's own fire is other."""
    iran, western = (first, second) if first.kind == "iran" else (second, first)
    state_fire = Decision("other", "", iran.iran, "iran", western.western, western.western_side)
    strike = Decision("response", "", western.western, western.western_side, iran.iran, "iran")
    state_words = ": the Iranian state's own fire (IRGC / army), not a militia's"
    strike_words = ": a US/coalition strike on the IRGC, which runs the Iran-aligned militias"
    fallback = state_fire if first.kind == "iran" else strike
    found = (
        ("attack", replace(state_fire, basis='notes: "{words}"' + state_words)),
        ("response", replace(strike, basis='notes: "{words}"' + strike_words)),
    )
    basis = order + (state_words if fallback is state_fire else strike_words)
    return replace(fallback, basis=basis, read_notes="direction", if_found=found)


def _unidentified_and_western(first: Party, second: Party, sub_event) -> Decision:
    """Rule 4: an unidentified group and US / coalition forces: the notes, else its remote fire is an attack."""
    shooter, victim = (first, second) if first.kind == "unidentified" else (second, first)
    attack = Decision(
        "attack",
        "",
        shooter.name,
        "unknown",
        victim.western,
        victim.western_side,
        intercepted="yes" if sub_event == DISRUPTED else None,
        names_militia=True,
    )
    response = Decision("response", "", victim.western, victim.western_side, shooter.name, "unknown")
    other = Decision("other", "", victim.western, victim.western_side, shooter.name, "unknown")
    found = (
        (
            "attack",
            replace(
                attack,
                basis='notes: "{words}": an unidentified attacker on US/coalition forces (presumed militia attack)',
            ),
        ),
        (
            "response",
            replace(
                response, basis='notes: "{words}": US/coalition fire on a launch team the notes tie to the militias'
            ),
        ),
        (
            "untied_response",
            replace(
                other,
                basis='notes: "{words}": US/coalition fire on an unidentified group the notes do not tie to a militia',
            ),
        ),
    )
    fires = sub_event in UNATTRIBUTED_FIRE or (sub_event == "Air/drone strike" and first is shooter)
    if fires:
        basis = (
            f"unattributed: an unidentified group's '{sub_event}' against US/coalition forces (presumed militia attack)"
        )
        return replace(attack, basis=basis, read_notes="direction", if_found=found)
    basis = "actors: an unidentified group and US/coalition forces, and no statement that it attacked them"
    fallback = Decision("other", basis, first.name, first.side, second.name, _target_side(second))
    return replace(fallback, read_notes="direction", if_found=found)


def _partner_and_militia(first: Party, second: Party) -> Decision:
    """Rule 8: a partner force against a pro-Iran militia is other unless the notes say US forces struck."""
    partner, militia = (first, second) if first.kind == "partner" else (second, first)
    basis = (
        f"actors: a partner force ({partner.partner}) and a pro-Iran militia, no US/coalition forces: partner "
        "operations are not US/coalition responses"
    )
    response = Decision(
        "response",
        f'notes: "{{words}}": US/coalition action against the militia, alongside the partner force ({partner.partner})',
        "US/coalition forces (named in the notes)",
        "us",
        militia.militia,
        "militia",
    )
    fallback = Decision("other", basis, first.name, first.side, second.name, _target_side(second))
    return replace(fallback, read_notes="us_action", if_found=(("us_action", response),))


def _unclaimed_strike(first: Party, second: Party) -> Decision:
    """Rule 9: an unidentified force striking a pro-Iran militia is other unless the notes say the US claimed it."""
    basis = "actors: an unidentified force struck a pro-Iran militia and nobody claimed it for the US/coalition"
    claimed = Decision(
        "response", 'notes: "{words}": the strike was a US one', first.name, "us", second.militia, "militia"
    )
    fallback = Decision("other", basis, first.name, "unknown", second.militia, "militia")
    return replace(fallback, read_notes="us_action", if_found=(("us_action", claimed),))


def _target_side(party: Party) -> str:
    """Return the side to show for a target party (an absent party is 'unknown')."""
    return party.side if party.name else "unknown"


def _other(first: Party, second: Party) -> Decision:
    """Rule 10: role other, with what was missing."""
    has_militia = first.militia is not None or second.militia is not None
    has_western = first.western is not None or second.western is not None
    if has_militia and has_western:
        basis = "actors: a pro-Iran militia and US/coalition forces on the same side"
    elif has_militia:
        basis = "actors: no US or coalition forces"
    elif has_western:
        basis = "actors: no pro-Iran militia"
    else:
        basis = "actors: neither a pro-Iran militia nor US/coalition forces"
    unlisted = first.unlisted + second.unlisted
    if unlisted:
        basis += f" (not in the actor tables: {'; '.join(unlisted)})"
    return Decision("other", basis, first.name, first.side, second.name, _target_side(second))


# ---------------------------------------------------------------- reading the notes


def read_direction(notes) -> tuple[str, str, bool] | None:
    """Find the earliest statement in notes of who fired at whom: (role, quoted words, is_intercepted) or None.

    >>> read_direction("On 7 September 2020, pro-Iran militias fired several mortars at the US base. US forces responded.")[:2]
    ('attack', 'fired several mortars at the US base')
    >>> read_direction("US warplanes struck positions of Kataib Hezbollah near Al Qaim.")[:2]
    ('response', 'US warplanes struck')
    >>> read_direction("In retaliation for US strikes, two rockets were fired at the K1 base.")[:2]
    ('attack', 'fired at the K1 base')
    """
    found = read_directions(pd.Series([clean_text(notes)], dtype="string")).iloc[0]
    return None if pd.isna(found["role"]) else (found["role"], found["words"], bool(found["is_intercepted"]))


def read_directions(notes: pd.Series) -> pd.DataFrame:
    """Read who fired at whom from a column of notes: role (attack / response / NA), quoted words, is_intercepted.

    Context clauses (CONTEXT: "in retaliation for ...", "after ...") are blanked out first. An interception
    ("shot down a drone") makes an attack whatever comes first; otherwise the earliest statement wins (at the
    same place, the passive "hit by a US drone" before an attack on one). Each pattern is one pass of pyarrow's
    regular-expression engine over the column.
    """
    text = _without_context(notes)
    count = len(notes)
    earliest = np.full(count, np.iinfo(np.int64).max)
    role = np.full(count, None, dtype=object)
    words = np.full(count, None, dtype=object)
    intercepted = np.zeros(count, dtype=bool)
    # equal positions go to the group looked at first: "hit by an American drone" is the passive response,
    # not an attack on a US drone
    for label, patterns in (
        ("intercepted", INTERCEPT_STATEMENTS),
        ("response", PASSIVE_RESPONSE_STATEMENTS),
        ("attack", ATTACK_STATEMENTS),
        ("response", ACTIVE_RESPONSE_STATEMENTS),
    ):
        for pattern in patterns:
            where = _first_match(text, pattern)
            better = (where >= 0) & (where < earliest) & ~(intercepted if label != "intercepted" else False)
            if not better.any():
                continue
            rows = np.flatnonzero(better)
            earliest[rows] = where[rows]
            role[rows] = "attack" if label == "intercepted" else label
            intercepted[rows] = label == "intercepted"
            words[rows] = _quoted(text.take(rows), pattern)
        if label == "intercepted":
            earliest[intercepted] = -1  # nothing outranks an interception
    return pd.DataFrame({"role": role, "words": words, "is_intercepted": intercepted}, index=notes.index)


def first_statement(notes: pd.Series, patterns: list[re.Pattern], *, skip_context: bool = True) -> np.ndarray:
    """Return, per note, the words of the earliest match of any pattern (None where none matches)."""
    from analysis.core.arrays import pa_array

    text = _without_context(notes) if skip_context else pa_array(notes.astype("string"))
    earliest = np.full(len(notes), np.iinfo(np.int64).max)
    words = np.full(len(notes), None, dtype=object)
    for pattern in patterns:
        where = _first_match(text, pattern)
        better = (where >= 0) & (where < earliest)
        if better.any():
            rows = np.flatnonzero(better)
            earliest[rows] = where[rows]
            words[rows] = _quoted(text.take(rows), pattern)
    return words


def _without_context(notes: pd.Series):
    """Return the notes as a pyarrow array with their context clauses (CONTEXT) blanked out."""
    import pyarrow.compute as pc

    from analysis.core.arrays import pa_array

    return pc.replace_substring_regex(pa_array(notes.astype("string")), f"(?i){CONTEXT}", " ")


def _quoted(text, pattern: re.Pattern) -> list[str | None]:
    """Return the words pattern matches in each text (cut at 120 characters)."""
    import pyarrow.compute as pc

    quoted = pc.struct_field(pc.extract_regex(text, f"(?i)(?P<quoted>{pattern.pattern})"), [0]).to_pylist()
    return [None if w is None else w.strip(" ,;:.")[:120] for w in quoted]


def _first_match(text, pattern: re.Pattern) -> np.ndarray:
    """Return where pattern first matches in each text (-1: nowhere or blank), case-insensitively."""
    import pyarrow.compute as pc

    found = pc.find_substring_regex(text, pattern.pattern, ignore_case=True)
    return pc.fill_null(found, -1).to_numpy().astype(np.int64)


def notes_at(notes, rows: np.ndarray) -> pd.Series:
    """Return the notes of the rows at these positions; ``notes`` is a Series or a function fetching them.

    Only a few rows' notes are ever read (militia-versus-US rows, attacks, responses), so a reader that builds
    its whole notes column on another thread lends the rules a function instead of waiting for the column.
    """
    return notes(rows) if callable(notes) else notes.iloc[rows]


# ---------------------------------------------------------------- places: rules 5-7


@dataclass(frozen=True)
class SitePlaces:
    """The gazetteer's US / coalition sites and a way to fetch where given rows are (rules 5-7).

    ``bases`` holds the sites rule 5 measures distances to: those placed better than to their province
    (geo_precision 1 or 2); every site counts when the location names it, and in rule 6's statements.

    ``at(rows)`` returns a frame of latitude, longitude and location_site (the base the location names, else
    NA) for the rows at these positions; a reader may fetch them lazily, for the few rows the rules look at.
    """

    bases: pd.DataFrame  # one row per site: name, country (name_key), latitude, longitude
    at: Callable[[np.ndarray], pd.DataFrame]
    radius_km: float = PLACE_RULE_KM
    spellings: pd.DataFrame | None = None  # every spelling of a site, indexed by name_key: name, country
    aim_pattern: re.Pattern | None = None  # rule 6: fire aimed at one of those spellings

    @classmethod
    def from_reference(cls, reference, at, radius_km: float | None = None) -> SitePlaces:
        """Build the sites from a Reference's gazetteer (kind=base with coordinates)."""
        places = reference.places
        bases = places[places["kind"] == "base"]
        # a site placed only to its province (geo_precision 3, e.g. MSS Euphrates) counts by name, not by distance
        precise = bases["geo_precision"].fillna(3).lt(3).to_numpy(dtype=bool)
        located = bases[bases["latitude"].notna() & bases["longitude"].notna() & precise].drop_duplicates("name")
        table = pd.DataFrame(
            {
                "name": located["name"].astype(str).to_numpy(),
                "country": [name_key(c) for c in located["country"]],
                "latitude": located["latitude"].to_numpy(dtype=float),
                "longitude": located["longitude"].to_numpy(dtype=float),
            }
        )
        spellings = _site_spellings(bases.drop_duplicates("name"))
        radius = getattr(reference, "place_rule_km", None) if radius_km is None else radius_km
        return cls(table, at, PLACE_RULE_KM if radius is None else float(radius), spellings, _aim_pattern(spellings))


def site_places_of(reference, latitude: pd.Series, longitude: pd.Series, location_site: pd.Series) -> SitePlaces:
    """Return SitePlaces for columns already at hand (aligned with the rows the rules decide)."""

    def at(rows: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "latitude": latitude.iloc[rows].to_numpy(dtype="float64", na_value=np.nan),
                "longitude": longitude.iloc[rows].to_numpy(dtype="float64", na_value=np.nan),
                "location_site": location_site.iloc[rows].to_numpy(dtype=object, na_value=None),
            }
        )

    return SitePlaces.from_reference(reference, at)


def _nearest_sites(places: SitePlaces, where: pd.DataFrame, countries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (site name or None, km) of the site each row is at or near (rule 5), once per distinct place.

    A location that names a site is at it (0 km); otherwise the nearest site in the row's country (``countries``:
    name_keys) within ``places.radius_km``.
    """
    from analysis.cleaning.merging import distance_km

    count = len(where)
    site = np.full(count, None, dtype=object)
    km = np.full(count, np.nan)
    named = pd.notna(where["location_site"]).to_numpy()
    site[named], km[named] = where["location_site"].to_numpy(dtype=object)[named], 0.0
    bases = places.bases
    keys = pd.DataFrame({"latitude": where["latitude"], "longitude": where["longitude"], "country": countries})
    todo = ~named & keys["latitude"].notna().to_numpy() & keys["longitude"].notna().to_numpy()
    if bases.empty or not todo.any():
        return site, km
    rows = np.flatnonzero(todo)
    todo_keys = keys.iloc[rows]
    inverse, first = unique_rows(todo_keys["latitude"], todo_keys["longitude"], todo_keys["country"])
    distinct = todo_keys.iloc[first]
    distances = distance_km(
        distinct["latitude"].to_numpy(dtype=float)[:, None],
        distinct["longitude"].to_numpy(dtype=float)[:, None],
        bases["latitude"].to_numpy()[None, :],
        bases["longitude"].to_numpy()[None, :],
    )
    same_country = (
        distinct["country"].to_numpy(dtype=object)[:, None] == bases["country"].to_numpy(dtype=object)[None, :]
    )
    distances = np.where(same_country, distances, np.inf)
    nearest = distances.argmin(axis=1)
    nearest_km = distances[np.arange(len(distinct)), nearest]
    chosen = (nearest_km <= places.radius_km)[inverse]
    site[rows[chosen]] = bases["name"].to_numpy(dtype=object)[nearest[inverse][chosen]]
    km[rows[chosen]] = nearest_km[inverse][chosen]
    return site, km


def _site_spellings(bases: pd.DataFrame) -> pd.DataFrame:
    """Return every spelling of each site (its name and aliases), indexed by name_key: spelling, name, country."""
    rows = [
        (name_key(spelling), spelling.strip(), str(row["name"]), name_key(row["country"]))
        for _, row in bases.iterrows()
        for spelling in [str(row["name"]), *str(row["aliases"] or "").split(";")]
        if name_key(spelling)
    ]
    table = pd.DataFrame(rows, columns=["key", "spelling", "name", "country"])
    return table.drop_duplicates("key").set_index("key")


def _aim_pattern(spellings: pd.DataFrame) -> re.Pattern | None:
    """Compile rule 6's statement: fire aimed at a site, any of its spellings (longest first, loose separators)."""
    if spellings.empty:
        return None
    ordered = sorted(set(spellings["spelling"]), key=len, reverse=True)
    parts = [r"[\s'’.-]*".join(re.escape(t) for t in re.split(r"[\s'’.-]+", s) if t) for s in ordered]
    site = r"(?P<site>" + "|".join(p for p in parts if p) + r")\b"
    return re.compile(rf"{SITE_AIM}\s+(?:the\s+)?{site}", re.IGNORECASE)


def _sites_aimed_at(notes: pd.Series, countries, places: SitePlaces) -> list[tuple[str | None, str | None]]:
    """Return, per note, (quoted words, site) where it says fire was aimed at a site of its row's country (rule 6).

    A statement such as "rockets fired at Erbil airport", "targeted Ain al Asad air base" or "aimed at
    Ain al-Asad fell short"; context clauses (CONTEXT) are skipped first. (None, None) where there is none.
    """
    found: list[tuple[str | None, str | None]] = [(None, None)] * len(notes)
    pattern, table = places.aim_pattern, places.spellings
    if pattern is None or not len(notes):
        return found
    # pyarrow's engine picks the notes with such a statement (most have none); Python reads which site it names
    stripped = _without_context(notes)
    import pyarrow.compute as pc

    has = pc.fill_null(pc.match_substring_regex(stripped, pattern.pattern, ignore_case=True), False).to_numpy(
        zero_copy_only=False
    )
    picked = np.flatnonzero(has)
    for i, text in zip(picked, stripped.take(picked).to_pylist()):
        for match in pattern.finditer(text):
            key = name_key(match.group("site"))
            if key in table.index and table.at[key, "country"] == countries[i]:
                found[i] = (match.group(0)[:120], table.at[key, "name"])
                break
    return found


def _site_decisions(
    rows: np.ndarray, slots: np.ndarray, made: _Decisions, notes: pd.Series, countries: np.ndarray, places: SitePlaces
) -> np.ndarray:
    """Apply rules 5-7 to candidate rows (``slots``: their decisions in ``made``): per row, the position of the
    decision a rule made, or -1 where none applies.

    ``countries`` holds each row's country as a name_key; the rows' places are fetched (places.at) only for
    the rows rules 5-6 look at.
    """
    chosen = [made.table[i] for i in slots]
    rule = np.array([d.site_rule for d in chosen], dtype=object)
    either = rule == "either"
    if either.any():  # no sub-event: the weapons the notes name tell fire from roadside bombs
        text = notes[either]
        fire = text.str.contains(FIRE_WORDS.pattern, case=False, regex=True, na=False).to_numpy()
        ied = text.str.contains(WEAPON_WORDS["ied"].pattern, case=False, regex=True, na=False).to_numpy()
        rule[either] = np.where(fire, "fire", np.where(ied, "ied", None))
    out = np.full(len(rows), -1, dtype=np.int64)
    is_fire = rule == "fire"
    site, km = np.full(len(rows), None, dtype=object), np.full(len(rows), np.nan)
    if is_fire.any():
        site[is_fire], km[is_fire] = _nearest_sites(places, places.at(rows[is_fire]), countries[is_fire])
    near = is_fire & (site != None)  # noqa: E711 (element-wise)
    if near.any():
        vetoed = first_statement(notes[near], US_ABSENT, skip_context=False)
        for i, veto in zip(np.flatnonzero(near), vetoed):
            where_words = f"at {site[i]} (the location names it)" if km[i] == 0 else f"near {site[i]} ({km[i]:.1f} km)"
            if veto is not None:
                basis = f'{where_words}, but the notes say US/coalition forces were not there: "{veto}"'
                out[i] = made.slot(
                    (id(chosen[i]), "veto", basis), lambda c=chosen[i], b=basis: replace(c, basis=b, site_rule=None)
                )
            else:
                basis = f"{where_words}, {_who(chosen[i])}"
                out[i] = made.slot(
                    (id(chosen[i]), "site", basis),
                    lambda c=chosen[i], b=basis, s=site[i]: _site_attack(c, b, s, "base"),
                )
    far = is_fire & ~near
    if far.any():
        for i, (words, named) in zip(np.flatnonzero(far), _sites_aimed_at(notes[far], countries[far], places)):
            if named is not None:
                basis = f'notes: "{words}" ({named}), {_who(chosen[i])}'
                out[i] = made.slot(
                    (id(chosen[i]), "site", basis), lambda c=chosen[i], b=basis, s=named: _site_attack(c, b, s, "base")
                )
    convoy = rule == "ied"
    if convoy.any():
        statements = first_statement(notes[convoy], COALITION_CONVOYS, skip_context=False)
        for i, words in zip(np.flatnonzero(convoy), statements):
            if words is not None:
                basis = f'notes: "{words}": a convoy carrying US/coalition supplies, {_who(chosen[i])}'
                out[i] = made.slot(
                    (id(chosen[i]), "convoy", basis),
                    lambda c=chosen[i], b=basis: _site_attack(
                        c, b, None, "convoy", target="US/coalition supply convoy"
                    ),
                )
    return out


def _who(decision: Decision) -> str:
    """Say who fired in a rule 5-7 basis: an unidentified group (presumed militia) or the militia."""
    if decision.found("site").initiator_side == "militia":
        return "a pro-Iran militia's fire: presumed attack"
    return "initiator unidentified: presumed militia attack"


def _site_attack(decision: Decision, basis: str, site, target_kind: str, target: str | None = None) -> Decision:
    """Return the presumed attack a rule 5-7 found, from the attack the row's decision prepared."""
    attack = decision.found("site")
    return replace(attack, basis=basis, target=target or site, site=site, target_kind=target_kind)


def infer_roles(
    frame: pd.DataFrame,
    reference,
    *,
    first_label: str = "actor1",
    codes: dict[str, np.ndarray] | None = None,
    notes=None,
    places: SitePlaces | None = None,
) -> pd.DataFrame:
    """Return role, role_basis, initiator(_side), target(_side), intercepted, site and target_kind for each row.

    ``site`` and ``target_kind`` are filled only where rules 5-7 decided (the site or convoy they found);
    ``attrs["unlisted"]`` lists (party 0 or 1, row position, name) for each actor name no table knows, at the
    first row of each distinct party it appears in.

    frame holds actor1, assoc_actor_1, actor2, assoc_actor_2, country, event_type, sub_event_type and notes
    (any may be NA). Actor pairs and event types are decided once per distinct combination; notes are read
    only for the rows a rule needs them for. ``codes`` may give, per column, the integer codes a reader already
    reduced it to (same row order), which saves factorising it again. ``notes`` may stand in for
    frame["notes"]: see notes_at. ``places`` (SitePlaces) enables rules 5-7; without it they are skipped.
    """
    lookup = ActorLookup(reference)
    codes = codes or {}
    parties, party_firsts = [], []
    for actor, associates in (("actor1", "assoc_actor_1"), ("actor2", "assoc_actor_2")):
        inverse, first = unique_rows(*(codes.get(c, frame[c]) for c in (actor, associates, "country")))
        summaries = np.empty(len(first), dtype=object)
        names, associated, countries = frame[actor], frame[associates], frame["country"]
        for k, row in enumerate(first):
            summaries[k] = summarise_party(names.iat[row], associated.iat[row], countries.iat[row], lookup)
        parties.append((inverse, summaries))
        party_firsts.append((summaries, first))
    combination, first = unique_rows(
        parties[0][0], parties[1][0], *(codes.get(c, frame[c]) for c in ("sub_event_type", "event_type"))
    )
    decisions = []
    sub_events, event_types = frame["sub_event_type"], frame["event_type"]
    for row in first:
        decision = decide(
            parties[0][1][parties[0][0][row]],
            parties[1][1][parties[1][0][row]],
            clean_text(sub_events.iat[row]),
            clean_text(event_types.iat[row]),
            first_label=first_label,
        )
        if decision.site_rule:
            decision = replace(
                decision, if_found=decision.if_found + (("site", _site_template(decision, parties, row)),)
            )
        decisions.append(decision)
    chosen = _rows_decided(frame, frame["notes"] if notes is None else notes, decisions, combination, places)
    fields = ("role", "basis", "initiator", "initiator_side", "target", "target_side", "intercepted")
    index, table = chosen
    columns = {
        field: pd.array([getattr(d, field) for d in table] or [None], dtype="string").take(index) for field in fields
    }
    for field in ("site", "target_kind"):  # set by rules 5-7 on a few rows only: not a million-row take each
        columns[field] = _sparse_strings(len(index), index, [getattr(d, field) for d in table])
    # copy=False: the columns were just made; a dict of arrays is otherwise copied, a million rows each
    out = pd.DataFrame(columns, index=frame.index, copy=False).rename(columns={"basis": "role_basis"})
    out.attrs["unlisted"] = [
        (party, int(first_rows[k]), name)
        for party, (summaries, first_rows) in enumerate(party_firsts)
        for k in np.argsort(first_rows, kind="stable")
        for name in summaries[k].unlisted
    ]
    return out


def _sparse_strings(count: int, index: np.ndarray, values: list[str | None]) -> pd.api.extensions.ExtensionArray:
    """Return values[index[i]] for i in range(count) as a string array, built fast when nearly all are missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    has = np.array([value is not None for value in values] + [False], dtype=bool)[index]
    picked = [values[i] for i in index[has]]
    empty = pa.nulls(count, pa.large_string())
    if not picked:
        return pd.arrays.ArrowStringArray(empty)
    return pd.arrays.ArrowStringArray(pc.replace_with_mask(empty, pa.array(has), pa.array(picked, pa.large_string())))


def _site_template(decision: Decision, parties, row: int) -> Decision:
    """Prepare the attack rules 5-7 make of a combination: its shooter (actor1) on a US / coalition site."""
    shooter = parties[0][1][parties[0][0][row]]
    militia = shooter.kind == "militia"
    return Decision(
        "attack",
        "",
        shooter.militia if militia else shooter.name,
        "militia" if militia else "unknown",
        None,
        "us",
        intercepted=decision.intercepted,
        names_militia=not militia,
    )


class _Decisions:
    """The decisions rows point at: the per-combination ones, then those refined from a row's place or notes.

    A refined decision is made once per distinct ingredient (its base decision, what was found, the quoted
    words), however many rows share it: ten thousand militia-versus-US rows quote a few hundred phrases.
    """

    def __init__(self, decisions: list[Decision]):
        self.table = list(decisions)
        self.made: dict = {}

    def slot(self, key: tuple, make: Callable[[], Decision]) -> int:
        """Return the position of the decision made by ``make`` for ``key`` (made on first use)."""
        if key not in self.made:
            self.made[key] = len(self.table)
            self.table.append(make())
        return self.made[key]


def _rows_decided(frame, notes, decisions: list[Decision], combination: np.ndarray, places) -> tuple[np.ndarray, list]:
    """Refine the per-combination decisions row by row where a rule needs the place or the notes.

    Returns (index, table): row i's decision is table[index[i]]; rows no rule refined share their
    combination's decision.
    """
    index = combination.copy()
    made = _Decisions(decisions)
    settled = np.zeros(len(index), dtype=bool)

    def settle(rows, slots) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        index[rows] = np.asarray(slots, dtype=np.int64)
        settled[rows] = True

    def waiting(condition) -> np.ndarray:
        wanted = np.array([condition(d) for d in decisions] + [False], dtype=bool)
        return np.flatnonzero(wanted[combination] & ~settled)

    rows = waiting(lambda d: d.site_rule is not None) if places is not None else np.array([], dtype=np.int64)
    if len(rows):
        countries = _per_distinct(frame["country"].iloc[rows], name_key)
        found = _site_decisions(rows, index[rows], made, _reindexed(notes_at(notes, rows)), countries, places)
        has = found >= 0
        settle(rows[has], found[has])
    rows = waiting(lambda d: d.read_notes == "direction")
    if len(rows):
        found = read_directions(_reindexed(notes_at(notes, rows)))
        role = found["role"].to_numpy(dtype=object)
        need_tie = np.array(
            [r == "response" and made.table[i].found("untied_response") is not None for r, i in zip(role, index[rows])]
        )
        tied = np.zeros(len(rows), dtype=bool)
        if need_tie.any():
            tied[need_tie] = first_statement(_reindexed(notes_at(notes, rows[need_tie])), LAUNCH_TIES) != None  # noqa: E711
        where, slots = [], []
        for k, (r, words, is_intercepted) in enumerate(
            zip(role, found["words"].to_numpy(dtype=object), found["is_intercepted"].to_numpy())
        ):
            base = made.table[index[rows[k]]]
            chosen = base.found("untied_response" if need_tie[k] and not tied[k] else r) if r else None
            if chosen is not None:
                intercepted = "yes" if is_intercepted and chosen.role == "attack" else chosen.intercepted
                slots.append(
                    made.slot(
                        (id(chosen), words, intercepted),
                        lambda c=chosen, w=words, i=intercepted: replace(
                            c, basis=c.basis.format(words=w), intercepted=i
                        ),
                    )
                )
                where.append(rows[k])
        settle(where, slots)
    rows = waiting(lambda d: d.read_notes == "us_action")
    if len(rows):
        statements = first_statement(_reindexed(notes_at(notes, rows)), RESPONSE_STATEMENTS + US_CLAIMS)
        has = statements != None  # noqa: E711
        slots = []
        for row, words in zip(rows[has], statements[has]):
            chosen = made.table[index[row]].found("us_action")
            slots.append(
                made.slot((id(chosen), words), lambda c=chosen, w=words: replace(c, basis=c.basis.format(words=w)))
            )
        settle(rows[has], slots)
    # an unidentified attacker: the notes may name the militia behind it
    wanted = np.array(
        [d.names_militia and d.role == "attack" and d.initiator_side == "unknown" for d in made.table], dtype=bool
    )
    rows = np.flatnonzero(wanted[index])
    if len(rows):
        mentions = first_statement(_reindexed(notes_at(notes, rows)), [MILITIA_MENTION], skip_context=False)
        has = mentions != None  # noqa: E711
        for row, words in zip(rows[has], mentions[has]):
            base = made.table[index[row]]
            index[row] = made.slot(
                (id(base), "militia", words),
                lambda b=base, w=words: replace(
                    b, initiator_side="militia", basis=f'{b.basis}; notes name a militia: "{w}"'
                ),
            )
    return index, made.table


def _per_distinct(values: pd.Series, function) -> np.ndarray:
    """Apply function to each distinct value once (a coded column is not factorised again); NA stays None."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([function(value) for value in uniques] + [None], dtype=object)
    return mapped[np.where(codes < 0, len(uniques), codes)]


def _reindexed(notes: pd.Series) -> pd.Series:
    """Return notes on a fresh 0..n-1 index (positions, whatever index the source gave them)."""
    return notes.reset_index(drop=True)


# ---------------------------------------------------------------- weapons, sites and target kinds


def infer_weapons(role: pd.Series, sub_event: pd.Series, notes, initiator_side: pd.Series) -> pd.Series:
    """Return the weapon vocabulary for each row: notes keywords for attacks and responses, else the sub-event.

    Attacks: the weapons the notes name before any account of a US reply (two or more: multiple), else the
    sub-event as a militia uses it (air/drone strike -> drone). Responses: a raid or artillery when the notes
    say so, else the sub-event (air/drone strike -> airstrike). Other rows: the sub-event's weapon. ``notes``:
    a Series or a function fetching the notes of given rows (notes_at).
    """
    codes, kinds = pd.factorize(sub_event, use_na_sentinel=True)
    kinds = np.array([clean_text(kind) for kind in kinds] + [None], dtype=object)
    slots = np.where(codes < 0, len(kinds) - 1, codes)
    choices = [SUB_EVENT_WEAPONS.get(kind or "", "unknown") for kind in kinds]
    for wanted, chooser in (("attack", _attack_weapons), ("response", _response_weapons)):
        rows = np.flatnonzero(role.eq(wanted).to_numpy(dtype=bool, na_value=False))
        if len(rows):
            chosen = chooser(notes_at(notes, rows), kinds[slots[rows]])
            slots[rows] = len(choices) + np.arange(len(rows))
            choices = choices + chosen
    return pd.Series(pd.array(choices, dtype="string").take(slots), index=role.index)


def _attack_weapons(notes: pd.Series, sub_events: np.ndarray) -> list[str]:
    """Weapons of attacks from their notes, else from their sub-event as a militia uses it."""
    from analysis.core.arrays import pa_array

    text = pa_array(notes.astype("string"))
    reply = _first_match(text, US_REPLY)
    reply = np.where(reply < 0, np.iinfo(np.int64).max, reply)
    named = {
        weapon: (lambda where: (where >= 0) & (where < reply))(_first_match(text, pattern))
        for weapon, pattern in WEAPON_WORDS.items()
    }
    found = np.column_stack(list(named.values()))
    weapons = list(named)
    # counted and located for all rows at once: a numpy call per row would cost more than the regexes
    counts, firsts = found.sum(axis=1).tolist(), found.argmax(axis=1).tolist()
    return [
        "multiple" if count > 1 else weapons[first] if count else ATTACK_SUB_EVENT_WEAPONS.get(kind or "", "unknown")
        for count, first, kind in zip(counts, firsts, sub_events)
    ]


def _response_weapons(notes: pd.Series, sub_events: np.ndarray) -> list[str]:
    """Weapons of responses: a raid or artillery when the notes say so, else the sub-event's weapon."""
    from analysis.core.arrays import pa_array

    text = pa_array(notes.astype("string"))
    named = {weapon: _first_match(text, pattern) >= 0 for weapon, pattern in RESPONSE_WEAPON_WORDS.items()}
    found = np.column_stack(list(named.values()))
    weapons = list(named)
    has_any, firsts = found.any(axis=1).tolist(), found.argmax(axis=1).tolist()
    return [
        weapons[first] if named_one else SUB_EVENT_WEAPONS.get(kind or "", "unknown")
        for named_one, first, kind in zip(has_any, firsts, sub_events)
    ]


def infer_sites(
    location_site: pd.Series,
    latitude: pd.Series,
    longitude: pd.Series,
    role: pd.Series,
    places: pd.DataFrame,
    rule_site: pd.Series | None = None,
) -> pd.Series:
    """Return the base an event happened at: the location's own base, the site a rule found (``rule_site``, from
    infer_roles), or for attacks the base within SITE_RADIUS_KM."""
    from analysis.cleaning.merging import distance_km

    sites = location_site.astype("string").copy()
    if rule_site is not None:
        sites = sites.fillna(rule_site.astype("string"))
    bases = places[(places["kind"] == "base") & places["latitude"].notna()].drop_duplicates("name")
    is_attack = (role.eq("attack").fillna(False) & sites.isna() & latitude.notna() & longitude.notna()).to_numpy(
        dtype=bool
    )
    if bases.empty or not is_attack.any():
        return sites
    positions = np.flatnonzero(is_attack)
    distances = distance_km(
        latitude.iloc[positions].to_numpy(dtype=float)[:, None],
        longitude.iloc[positions].to_numpy(dtype=float)[:, None],
        bases["latitude"].to_numpy(dtype=float)[None, :],
        bases["longitude"].to_numpy(dtype=float)[None, :],
    )
    nearest = distances.argmin(axis=1)
    is_near = distances[np.arange(len(positions)), nearest] <= SITE_RADIUS_KM
    if is_near.any():
        sites.iloc[positions[is_near]] = pd.array(
            bases["name"].to_numpy(dtype=object)[nearest[is_near]], dtype="string"
        )
    return sites


def infer_target_kinds(role: pd.Series, site: pd.Series, notes, rule_kind: pd.Series | None = None) -> pd.Series:
    """Return target_kind for attacks (base, convoy, diplomatic, other; empty for other roles).

    In order: the kind a rule found (``rule_kind``: convoy), a convoy or supply trucks in the notes, a
    diplomatic site (a site named embassy, consulate or diplomatic, or notes naming one), any other site
    (base), else other. ``notes``: a Series or a function fetching the notes of given rows (notes_at).
    """
    kinds = pd.Series(pd.NA, index=role.index, dtype="string")
    rows = np.flatnonzero(role.eq("attack").to_numpy(dtype=bool, na_value=False))
    if not len(rows):
        return kinds
    text = _reindexed(notes_at(notes, rows))
    found = (
        rule_kind.iloc[rows].to_numpy(dtype=object, na_value=None)
        if rule_kind is not None
        else np.full(len(rows), None, dtype=object)
    )
    at_site = site.iloc[rows].to_numpy(dtype=object, na_value=None)
    is_convoy = first_statement(text, [CONVOY_WORDS], skip_context=False) != None  # noqa: E711
    names_mission = first_statement(text, [DIPLOMATIC_WORDS], skip_context=False) != None  # noqa: E711
    site_is_mission = np.array([bool(s and DIPLOMATIC_WORDS.search(s)) for s in at_site], dtype=bool)
    chosen = np.where(
        found != None,  # noqa: E711
        found,
        np.where(
            is_convoy,
            "convoy",
            np.where(site_is_mission | names_mission, "diplomatic", np.where(at_site != None, "base", "other")),  # noqa: E711
        ),
    )
    kinds.iloc[rows] = pd.array(chosen.astype(object), dtype="string")
    return kinds
