"""Who did what to whom in ACLED and UCDP GED rows: actor sides, role, weapon and site, each with its basis.

Neither dataset says who attacked whom (ACLED's codebook: actor1 and actor2 "do not imply directionality";
UCDP's side_a is simply the government). The rules below decide, in order, and ``role_basis`` names the rule
that did:

1. Sides come from the actor names: ``reference/actors.csv`` first (exact names), then
   ``reference/actor_patterns.csv`` (exact, prefix or contains; the longest pattern wins). A party is the
   main actor plus its associated actors, so "Global Coalition Against Daesh" with "Military Forces of the
   United States" as associate is a US party.
2. A pro-Iran militia on one side and US / coalition forces on the other make an attack or a response:
   a. sub-event "Disrupted weapons use": an attack that was intercepted or foiled (intercepted = yes);
   b. notes (GED: the source headline) that say who fired at whom, earliest statement first
      ("pro-Iran militias fired several mortars at the US base" -> attack; "US warplanes struck" -> response);
   c. in remote-violence events (air/drone strikes, shelling, IEDs) ACLED lists the one who fired as actor1;
   d. otherwise actor1 (GED: side_a) is taken as the initiator, and the basis says this is weak.
3. An unidentified armed group firing rockets, mortars, missiles or drones at US / coalition forces is a
   presumed militia attack (initiator side unknown, or militia when the notes name one).
4. Everything else is role "other" (kept, never dropped), with initiator = actor1 and target = actor2 in the
   source's order and a basis that says which side was missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

_US = r"(?:U\.?S\.?|US-led|American|United States|[Cc]oalition|CENTCOM)"
_TARGET_NOUN = (
    r"(?:forces|troops|soldiers|military|army|personnel|bases?|outposts?|garrison|convoys?|patrols?|positions?|"
    r"embassy|installations?|facilit(?:y|ies)|airbase|air base|airport|contractors|vehicles?|headquarters|"
    r"compound|camp|service ?members|servicemen|presence|logistics)"
)
_STRIKER = (
    r"(?:forces|troops|military|army|warplanes?|aircraft|jets|fighter jets|drones?|helicopters?|gunships?|artillery)"
)
_STRIKE_VERB = r"(?:struck|targeted|bombed|hit|attacked|shelled|carried out|conducted|launched|responded|raided|killed|fired on|retaliated)"
_FILLER = r"(?:\s+(?:\w+ly|also|have|had|then|later|in turn|on \w+day))*"
ATTACK_STATEMENTS = [
    re.compile(
        rf"\b(?:fired|launched|lobbed|shot)\b[^.;]{{0,80}}?\b(?:at|on|towards?|against|into)\s+(?:the\s+|a\s+|an\s+)?"
        rf"(?:[\w'-]+\s+){{0,3}}?{_US}[\s-]+(?:[\w-]+\s+){{0,2}}?{_TARGET_NOUN}\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:attack(?:ed|s)?|target(?:ed|ing)|struck|hit|shelled|bombed|rocketed)\s+(?:on\s+|against\s+)?"
        rf"(?:the\s+|a\s+|an\s+)?(?:[\w'-]+\s+){{0,3}}?{_US}[\s-]+(?:[\w-]+\s+){{0,2}}?{_TARGET_NOUN}\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:rockets?|mortars?|drones?|missiles?|projectiles?|shells|rounds)\b[^.;]{{0,60}}?\b"
        rf"(?:landed|fell|hit|struck|exploded|impacted)\b[^.;]{{0,40}}?{_US}[\s-]+(?:[\w-]+\s+){{0,2}}?{_TARGET_NOUN}\b",
        re.IGNORECASE,
    ),
]
INTERCEPT_STATEMENTS = [
    re.compile(
        r"\b(?:shot down|intercepted|downed|thwarted|foiled)\b[^.;]{0,60}?\b(?:drones?|rockets?|missiles?|UAVs?|projectiles?|attack)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:drones?|rockets?|missiles?|UAVs?|projectiles?)\b[^.;]{0,40}?\b(?:was|were)\s+(?:shot down|intercepted|downed)",
        re.IGNORECASE,
    ),
]
RESPONSE_STATEMENTS = [
    re.compile(rf"{_US}[\s-]+(?:[\w-]+\s+){{0,2}}?{_STRIKER}{_FILLER}\s+{_STRIKE_VERB}\b", re.IGNORECASE),
    re.compile(rf"\b(?:air ?strikes?|strikes?|bombing|raids?)\s+(?:by|from)\s+(?:the\s+)?{_US}", re.IGNORECASE),
    re.compile(rf"{_US}[\s-]+(?:led\s+)?(?:air ?strikes?|drone strikes?|strikes?|raids?|bombing)\b", re.IGNORECASE),
]
MILITIA_MENTION = re.compile(
    r"pro-Iran|Iran-(?:backed|aligned|affiliated|supported)|Iranian-(?:backed|aligned)|Islamic Resistance in Iraq|"
    r"Kata'?[ei]?b Hez?b|Kata'?ib Hizb|Hezbollah|Hizb[ou]llah|Hizballah|Nujaba|Sayyid al[ -]?Shuhada|Asa'?ib Ahl|"
    r"Popular Mobili[sz]ation|\bPMF\b",
    re.IGNORECASE,
)
WEAPON_WORDS = {
    "rocket": re.compile(r"\brockets?\b|katyusha|\bgrad\b", re.IGNORECASE),
    "mortar": re.compile(r"\bmortars?\b", re.IGNORECASE),
    "drone": re.compile(r"\bdrones?\b|\buavs?\b|unmanned aerial|one-way attack", re.IGNORECASE),
    "missile": re.compile(r"\bmissiles?\b", re.IGNORECASE),
    "ied": re.compile(r"\bieds?\b|roadside bomb|explosive device|landmine|car bomb", re.IGNORECASE),
    "small_arms": re.compile(r"gunfire|small arms|machine ?guns?|sniper|gunmen|shootout", re.IGNORECASE),
}
RESPONSE_WEAPON_WORDS = {
    "ground_raid": re.compile(r"\braid(?:ed|s)?\b|special forces|commandos|helicopter assault", re.IGNORECASE),
    "artillery": re.compile(r"\bartillery\b|himars", re.IGNORECASE),
}
# Where an attack's notes turn to the US reply: weapons named after it are not the attack's.
US_REPLY = re.compile(
    r"\b(?:US|U\.S\.|coalition|American)\b[^.]{0,30}\b(?:responded|retaliated|returned fire)", re.IGNORECASE
)
# Attacks are matched to a base when the event lies this close to one (the gazetteer's bases, precision 1).
SITE_RADIUS_KM = 10.0


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
    """What the actors and sub-event decide for one combination; notes may still refine it."""

    role: str
    basis: str
    initiator: str | None
    initiator_side: str
    target: str | None
    target_side: str
    intercepted: str | None = None
    read_notes: str | None = None  # "direction" or "militia": the rule that still needs the row's notes


def decide(first: Party, second: Party, sub_event, event_type, *, first_label: str = "actor1") -> Decision:
    """Decide role, initiator and target for one pair of parties and an event type (rules 2-4 above)."""
    militia_first = (
        first.militia is not None and second.western is not None and first.western is None and second.militia is None
    )
    militia_second = (
        second.militia is not None and first.western is not None and second.western is None and first.militia is None
    )
    if militia_first or militia_second:
        militia, western = (first, second) if militia_first else (second, first)
        attack = Decision("attack", "", militia.militia, "militia", western.western, western.western_side)
        response = Decision("response", "", western.western, western.western_side, militia.militia, "militia")
        first_acts = attack if militia_first else response
        if sub_event == DISRUPTED:
            return _with(attack, f"sub-event '{DISRUPTED}': a militia attack intercepted or foiled", intercepted="yes")
        if sub_event in REMOTE_SUB_EVENTS or event_type == REMOTE_EVENT_TYPE:
            basis = f"actor order: in remote violence ({sub_event or event_type}) {first_label} is the one who fired"
        else:
            basis = f"actor order only: {first_label} taken as the initiator (the source's order does not imply direction; weak)"
        return _with(first_acts, basis, read_notes="direction")
    return _other(first, second, sub_event)


def _with(decision: Decision, basis: str, **changes) -> Decision:
    """Return a copy of decision with a basis and other fields replaced."""
    values = {**decision.__dict__, "basis": basis, **changes}
    return Decision(**values)


def _is_unidentified(party: Party) -> bool:
    """Tell whether a party is a listed unidentified armed group (not a name the tables lack)."""
    return (
        party.side == "unknown"
        and party.is_listed
        and party.name is not None
        and party.militia is None
        and party.western is None
    )


def _other(first: Party, second: Party, sub_event) -> Decision:
    """Rules 3 and 4: a presumed militia attack by an unidentified group, or role other with its reason."""
    for shooter, victim, shooter_first in ((first, second, True), (second, first, False)):
        fires = sub_event in UNATTRIBUTED_FIRE or (sub_event == "Air/drone strike" and shooter_first)
        if (
            fires
            and _is_unidentified(shooter)
            and victim.western is not None
            and victim.militia is None
            and first.militia is None
            and second.militia is None
        ):
            return Decision(
                "attack",
                f"unattributed: an unidentified group's '{sub_event}' against US/coalition forces (presumed militia attack)",
                shooter.name,
                "unknown",
                victim.western,
                victim.western_side,
                intercepted="yes" if sub_event == DISRUPTED else None,
                read_notes="militia",
            )
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
    return Decision("other", basis, first.name, first.side, second.name, second.side if second.name else "unknown")


def read_direction(notes) -> tuple[str, str, bool] | None:
    """Find the earliest statement in notes of who fired at whom: (role, quoted words, is_intercepted) or None.

    >>> read_direction("On 7 September 2020, pro-Iran militias fired several mortars at the US base. US forces responded.")[:2]
    ('attack', 'fired several mortars at the US base')
    >>> read_direction("US warplanes struck positions of Kataib Hezbollah near Al Qaim.")[:2]
    ('response', 'US warplanes struck')
    """
    found = read_directions(pd.Series([clean_text(notes)], dtype="string")).iloc[0]
    return None if pd.isna(found["role"]) else (found["role"], found["words"], bool(found["is_intercepted"]))


def read_directions(notes: pd.Series) -> pd.DataFrame:
    """Read who fired at whom from a column of notes: role (attack / response / NA), quoted words, is_intercepted.

    An interception ("shot down a drone") makes an attack whatever comes first; otherwise the earliest
    statement wins. Each pattern is one pass of pyarrow's regular-expression engine over the column.
    """
    import pyarrow.compute as pc

    from analysis.core.arrays import pa_array

    text = pa_array(notes.astype("string"))
    count = len(notes)
    earliest = np.full(count, np.iinfo(np.int64).max)
    role = np.full(count, None, dtype=object)
    words = np.full(count, None, dtype=object)
    intercepted = np.zeros(count, dtype=bool)
    for label, patterns in (
        ("intercepted", INTERCEPT_STATEMENTS),
        ("attack", ATTACK_STATEMENTS),
        ("response", RESPONSE_STATEMENTS),
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
            quoted = pc.struct_field(pc.extract_regex(text.take(rows), f"(?i)(?P<quoted>{pattern.pattern})"), [0])
            words[rows] = [w[:120] for w in quoted.to_pylist()]
        if label == "intercepted":
            earliest[intercepted] = -1  # nothing outranks an interception
    return pd.DataFrame({"role": role, "words": words, "is_intercepted": intercepted}, index=notes.index)


def _first_match(text, pattern: re.Pattern) -> np.ndarray:
    """Return where pattern first matches in each text (-1: nowhere or blank), case-insensitively."""
    import pyarrow.compute as pc

    found = pc.find_substring_regex(text, pattern.pattern, ignore_case=True)
    return pc.fill_null(found, -1).to_numpy().astype(np.int64)


def infer_roles(
    frame: pd.DataFrame,
    reference,
    *,
    first_label: str = "actor1",
    codes: dict[str, np.ndarray] | None = None,
    notes=None,
) -> pd.DataFrame:
    """Return role, role_basis, initiator(_side), target(_side) and intercepted for each row.

    ``attrs["unlisted"]`` lists (party 0 or 1, row position, name) for each actor name no table knows, at the
    first row of each distinct party it appears in.

    frame holds actor1, assoc_actor_1, actor2, assoc_actor_2, country, event_type, sub_event_type and notes
    (any may be NA). Actor pairs and event types are decided once per distinct combination; only rows that
    pit a militia against US / coalition forces have their notes read. ``codes`` may give, per column, the
    integer codes a reader already reduced it to (same row order), which saves factorising it again.
    ``notes`` may stand in for frame["notes"]: see notes_at.
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
    decisions = np.empty(len(first), dtype=object)
    sub_events, event_types = frame["sub_event_type"], frame["event_type"]
    for k, row in enumerate(first):
        decisions[k] = decide(
            parties[0][1][parties[0][0][row]],
            parties[1][1][parties[1][0][row]],
            clean_text(sub_events.iat[row]),
            clean_text(event_types.iat[row]),
            first_label=first_label,
        )
    fields = ("role", "basis", "initiator", "initiator_side", "target", "target_side", "intercepted")
    values = {field: [getattr(d, field) for d in decisions] for field in fields}
    slots = dict.fromkeys(fields, combination)
    for field, (rows, changed) in _notes_changes(
        frame["notes"] if notes is None else notes, decisions, combination
    ).items():
        if len(rows):  # changed rows point past the decisions, at their own values
            slots[field] = slots[field].copy()  # a field of its own, copied only when the notes change it
            slots[field][rows] = len(values[field]) + np.arange(len(rows))
            values[field] = values[field] + list(changed)
    columns = {field: pd.array(values[field] or [None], dtype="string").take(slots[field]) for field in fields}
    # copy=False: the columns were just made; a dict of arrays is otherwise copied, a million rows each
    out = pd.DataFrame(columns, index=frame.index, copy=False).rename(columns={"basis": "role_basis"})
    out.attrs["unlisted"] = [
        (party, int(first_rows[k]), name)
        for party, (summaries, first_rows) in enumerate(party_firsts)
        for k in np.argsort(first_rows, kind="stable")
        for name in summaries[k].unlisted
    ]
    return out


def notes_at(notes, rows: np.ndarray) -> pd.Series:
    """Return the notes of the rows at these positions; ``notes`` is a Series or a function fetching them.

    Only a few rows' notes are ever read (militia-versus-US rows, attacks, responses), so a reader that builds
    its whole notes column on another thread lends the rules a function instead of waiting for the column.
    """
    return notes(rows) if callable(notes) else notes.iloc[rows]


def _notes_changes(notes, decisions: np.ndarray, combination: np.ndarray) -> dict[str, tuple[np.ndarray, list]]:
    """Read the notes of the rows whose decision waits on them; return {field: (row positions, new values)}.

    Worked out per column, not per row: thousands of militia-versus-US rows may wait on their notes.
    """
    fields = ("role", "basis", "initiator", "initiator_side", "target", "target_side", "intercepted")
    changes: dict[str, list[tuple[np.ndarray, list]]] = {f: [] for f in fields}

    def per_row(values: list, rows: np.ndarray) -> np.ndarray:
        """Spread one value per decision to the given rows."""
        return np.array(values + [None], dtype=object)[combination[rows]]

    rows = np.flatnonzero(np.array([d.read_notes == "direction" for d in decisions] + [False])[combination])
    found = read_directions(notes_at(notes, rows)) if len(rows) else None
    if found is not None and found["role"].notna().any():
        has_role = found["role"].notna().to_numpy()
        rows, found = rows[has_role], found[has_role]
        role = found["role"].to_numpy(dtype=object)
        # the notes may say the other party acted: then initiator and target change places
        same = role == per_row([d.role for d in decisions], rows)
        own = {
            f: per_row([getattr(d, f) for d in decisions], rows)
            for f in ("initiator", "initiator_side", "target", "target_side")
        }
        changes["role"].append((rows, list(role)))
        changes["basis"].append((rows, [f'notes: "{words}"' for words in found["words"]]))
        for field, other in (
            ("initiator", "target"),
            ("initiator_side", "target_side"),
            ("target", "initiator"),
            ("target_side", "initiator_side"),
        ):
            changes[field].append((rows, list(np.where(same, own[field], own[other]))))
        intercepted = rows[found["is_intercepted"].to_numpy(dtype=bool)]
        changes["intercepted"].append((intercepted, ["yes"] * len(intercepted)))
    rows = np.flatnonzero(np.array([d.read_notes == "militia" for d in decisions] + [False])[combination])
    mentions = [
        MILITIA_MENTION.search(text or "") for text in notes_at(notes, rows).to_numpy(dtype=object, na_value=None)
    ]
    named = np.array([match is not None for match in mentions], dtype=bool)
    if named.any():
        bases = per_row([d.basis for d in decisions], rows[named])
        changes["initiator_side"].append((rows[named], ["militia"] * int(named.sum())))
        changes["basis"].append(
            (
                rows[named],
                [
                    f'{basis}; notes name a militia: "{match.group(0)}"'
                    for basis, match in zip(bases, (m for m in mentions if m is not None))
                ],
            )
        )
    return {
        field: (
            np.concatenate([r for r, _ in parts]).astype(np.int64) if parts else np.array([], dtype=np.int64),
            [v for _, values in parts for v in values],
        )
        for field, parts in changes.items()
    }


# ---------------------------------------------------------------- weapons and sites


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
    location_site: pd.Series, latitude: pd.Series, longitude: pd.Series, role: pd.Series, places: pd.DataFrame
) -> pd.Series:
    """Return the base an event happened at: the location's own base, or for attacks the base within SITE_RADIUS_KM."""
    from analysis.cleaning.merging import distance_km

    sites = location_site.astype("string").copy()
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
