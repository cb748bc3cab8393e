"""The extraction rules' word lists, read from a folder of pattern files (by default the
package's `patterns/*.jsonl`) once per process and folder.

Everything is matched on lower-cased tokens. Casualty words, qualifiers, victim-group phrases,
attack, weapon and party words are marked by a spaCy PhraseMatcher (they may span several
tokens: 'security forces', 'at least', 'Russia's'); single-word victim groups, non-casualty
nouns, number words and the role lists ('speech_verb', 'copula', ...) are looked up per token.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PATTERNS_DIR = Path(__file__).parent / "patterns"
MEASURE_CATEGORIES = frozenset({"time", "money", "measures"})
# The pattern files a Lexicon is read from (the folder's place names belong to the gazetteer).
LEXICON_FILES = (
    "triggers.jsonl",
    "victim_groups.jsonl",
    "non_casualty_nouns.jsonl",
    "number_words.jsonl",
    "qualifiers.jsonl",
    "attacks.jsonl",
    "parties.jsonl",
    "attribution.jsonl",
    "linking.jsonl",
)


def read_jsonl(folder: Path, name: str) -> list[dict[str, Any]]:
    with (folder / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass(frozen=True)
class Trigger:
    casualty_type: str
    transitive: bool = False  # 'killed 5 people': the subject is the killer, not a victim
    overrides_head: bool = False  # 'fatally wounded' is killed
    requires_prep: frozenset[str] = frozenset()  # 'taken to hospital', not 'the hospital was hit'
    # A casualty word only with one of these agents, the lexicon index drops it otherwise:
    # 'struck by gunfire', 'hit by a stray bullet'; never 'hit by shelling', 'struck by a car'.
    requires_agent: frozenset[str] = frozenset()
    requires_negation: bool = False  # 'cannot be found'
    # Active use only with one of these subjects ('the hospital admitted 45'); passive use
    # ('45 were admitted') always counts.
    requires_subject: frozenset[str] = frozenset()
    # Not a toll after these verbs: 'rescuers recovered two bodies' counts a search's
    # progress, part of a toll stated elsewhere.
    partial_after: frozenset[str] = frozenset()
    noun_only: bool = False  # 'took 14 lives', never 'who lives two doors away'
    # 'shot' wounds unless its clause states a death: 'shot dead', 'shot to death', 'shot and killed'.
    outcome_in_complement: bool = False
    verb_only: bool = False  # 'two men were shot', never 'a shot was fired'
    # 'blew himself up', 'the suicide bomber detonated his vest': the attacker's own death,
    # never a count of others ('detonated two bombs').
    kills_only_self: bool = False
    # 'cut off the hand of a thief', 'chopped off his ear': the owner of the body part named
    # as the object is wounded; never a count ('cut 40 jobs').
    maims_body_part: bool = False
    capitals_only: bool = False  # 'One KIA, four WIA', never the car maker in 'a 2012 Kia'
    # 'militants beat up the driver', 'assaulted a journalist': one victim only where a word
    # for a person names him; these verbs also take places and things ('assaulted a checkpoint').
    victim_named_as_person: bool = False
    # 'Ukraine loses two soldiers': a side's count of its dead fighters; other people lost
    # ('a mother who lost her son', 'the school lost three students') are mostly a bereavement
    # told in passing, of any death.
    counts_fighters_only: bool = False
    # 'succumbed to his injuries' is a death; 'succumbed to pressure' is none: what it
    # succumbs to, when the clause says, must be a wound.
    succumbs_to_wounds: bool = False

    @property
    def names_victim_apart(self) -> bool:
        """Its victim is found by a rule of its own, never among its numbers or arguments."""
        return self.kills_only_self or self.maims_body_part


@dataclass(frozen=True)
class NonCasualtyNoun:
    category: str
    casualty_when_trigger_argument: bool = False  # 'killed 5 troops' counts, '600,000 troops' never
    victim_group: str | None = None


@dataclass(frozen=True)
class VagueAmount:
    low: int
    high: int


@dataclass(frozen=True)
class QualifierPhrase:
    qualifier: str
    high_offset: int = 0  # 'fewer than 10' allows at most 9


@dataclass(frozen=True)
class AttackWord:
    attack_kind: str
    weapon: str | None


@dataclass(frozen=True)
class WeaponWord:
    weapon: str
    family: str


@dataclass(frozen=True)
class Nation:
    country_code: str
    adjective: str


@dataclass(frozen=True)
class NamedParty:
    name: str
    country_code: str


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[str, Trigger]
    group_words: dict[str, str | None]  # None: a generic word for people, counted in the total
    group_phrases: dict[str, str]
    non_casualty: dict[str, NonCasualtyNoun]
    unit_values: dict[str, int]
    ordinal_values: dict[str, int]  # 'third' -> 3
    victim_multiples: dict[str, int]  # 'triple' -> 3, as in 'a triple homicide'
    scale_values: dict[str, int]
    multipliers: frozenset[str]
    vague_amounts: dict[str, VagueAmount]
    qualifiers: dict[str, QualifierPhrase]
    attacks: dict[str, AttackWord]
    weapons: dict[str, WeaponWord]
    attack_verbs: frozenset[str]
    ongoing_nouns: frozenset[str]
    ongoing_start_words: frozenset[str]
    nations: dict[str, Nation]
    party_bodies: dict[str, str]
    named_parties: dict[str, NamedParty]
    words_by_role: dict[str, frozenset[str]]  # linking, attribution and context word lists by role

    def role(self, name: str) -> frozenset[str]:
        return self.words_by_role.get(name, frozenset())

    def measures_something_else(self, word: str) -> bool:
        """A number before this word counts time, money or size ('72 hours', '30-day'), never people."""
        noun = self.non_casualty.get(word)
        return noun is not None and noun.category in MEASURE_CATEGORIES

    def phrases(self) -> dict[str, list[str]]:
        """The forms the PhraseMatcher marks, per label (lower case, one or more words)."""
        return {
            "TRIGGER": list(self.triggers),
            "GROUP": list(self.group_phrases),
            "QUALIFIER": list(self.qualifiers),
            "VAGUE": list(self.vague_amounts),
            "ATTACK": list(self.attacks),
            "WEAPON": list(self.weapons),
            "NATION": list(self.nations),
            "BODY": list(self.party_bodies),
            "PARTY": list(self.named_parties),
        }


def _lower_forms(forms: list[str]) -> list[str]:
    return [form.lower() for form in forms]


@functools.cache
def load_lexicon(folder: Path = PATTERNS_DIR) -> Lexicon:
    """The lexicon written in the LEXICON_FILES of `folder`."""
    triggers: dict[str, Trigger] = {}
    for row in read_jsonl(folder, "triggers.jsonl"):
        trigger = Trigger(
            casualty_type=row["casualty_type"],
            transitive=bool(row.get("transitive")),
            overrides_head=bool(row.get("overrides_head")),
            requires_prep=frozenset(row.get("requires_prep", ())),
            requires_agent=frozenset(_lower_forms(row.get("requires_agent", []))),
            requires_negation=bool(row.get("requires_negation")),
            requires_subject=frozenset(_lower_forms(row.get("requires_subject", []))),
            partial_after=frozenset(_lower_forms(row.get("partial_after", []))),
            noun_only=bool(row.get("noun_only")),
            outcome_in_complement=bool(row.get("outcome_in_complement")),
            verb_only=bool(row.get("verb_only")),
            kills_only_self=bool(row.get("kills_only_self")),
            maims_body_part=bool(row.get("maims_body_part")),
            capitals_only=bool(row.get("capitals_only")),
            victim_named_as_person=bool(row.get("victim_named_as_person")),
            counts_fighters_only=bool(row.get("counts_fighters_only")),
            succumbs_to_wounds=bool(row.get("succumbs_to_wounds")),
        )
        triggers.update((form, trigger) for form in _lower_forms(row["forms"]))

    group_words: dict[str, str | None] = {}
    group_phrases: dict[str, str] = {}
    for row in read_jsonl(folder, "victim_groups.jsonl"):
        group_words.update((form, row["victim_group"]) for form in _lower_forms(row.get("forms", [])))
        group_phrases.update((phrase, row["victim_group"]) for phrase in _lower_forms(row.get("phrases", [])))

    non_casualty: dict[str, NonCasualtyNoun] = {}
    for row in read_jsonl(folder, "non_casualty_nouns.jsonl"):
        noun = NonCasualtyNoun(
            category=row["category"],
            casualty_when_trigger_argument=bool(row.get("casualty_when_trigger_argument")),
            victim_group=row.get("victim_group"),
        )
        non_casualty.update((form, noun) for form in _lower_forms(row["forms"]))

    unit_values: dict[str, int] = {}
    ordinal_values: dict[str, int] = {}
    victim_multiples: dict[str, int] = {}
    scale_values: dict[str, int] = {}
    multipliers: set[str] = set()
    vague_amounts: dict[str, VagueAmount] = {}
    for row in read_jsonl(folder, "number_words.jsonl"):
        if "phrase" in row:
            vague_amounts[row["phrase"]] = VagueAmount(row["low"], row["high"])
        elif "scale" in row:
            scale_values[row["word"]] = row["scale"]
        elif "ordinal" in row:
            ordinal_values[row["ordinal"]] = row["value"]
        elif "multiple" in row:
            victim_multiples[row["multiple"]] = row["value"]
        else:
            unit_values[row["word"]] = row["value"]
            if row.get("multiplier"):
                multipliers.add(row["word"])

    qualifiers: dict[str, QualifierPhrase] = {}
    for row in read_jsonl(folder, "qualifiers.jsonl"):
        phrase = QualifierPhrase(row["qualifier"], row.get("high_offset", 0))
        qualifiers.update((form, phrase) for form in _lower_forms(row["phrases"]))

    attacks: dict[str, AttackWord] = {}
    weapons: dict[str, WeaponWord] = {}
    roles: dict[str, set[str]] = {}
    for row in read_jsonl(folder, "attacks.jsonl"):
        forms = _lower_forms(row["forms"])
        if row["role"] == "attack":
            attacks.update((form, AttackWord(row["attack_kind"], row.get("weapon"))) for form in forms)
        elif row["role"] == "weapon":
            weapons.update((form, WeaponWord(row["weapon"], row["family"])) for form in forms)
        else:
            roles.setdefault(row["role"], set()).update(forms)

    nations: dict[str, Nation] = {}
    party_bodies: dict[str, str] = {}
    named_parties: dict[str, NamedParty] = {}
    for row in read_jsonl(folder, "parties.jsonl"):
        forms = _lower_forms(row["forms"])
        if row["role"] == "nation":
            nations.update((form, Nation(row["country_code"], row["adjective"])) for form in forms)
        elif row["role"] == "body":
            party_bodies.update((form, row["name"]) for form in forms)
        else:
            named_parties.update((form, NamedParty(row["name"], row["country_code"])) for form in forms)

    for name in ("attribution.jsonl", "linking.jsonl"):
        for row in read_jsonl(folder, name):
            roles.setdefault(row["role"], set()).update(_lower_forms(row["forms"]))

    return Lexicon(
        triggers=triggers,
        group_words=group_words,
        group_phrases=group_phrases,
        non_casualty=non_casualty,
        unit_values=unit_values,
        ordinal_values=ordinal_values,
        victim_multiples=victim_multiples,
        scale_values=scale_values,
        multipliers=frozenset(multipliers),
        vague_amounts=vague_amounts,
        qualifiers=qualifiers,
        attacks=attacks,
        weapons=weapons,
        attack_verbs=frozenset(roles.pop("attack_verb", set())),
        ongoing_nouns=frozenset(roles.pop("ongoing", set())),
        ongoing_start_words=frozenset(roles.pop("ongoing_start", set())),
        nations=nations,
        party_bodies=party_bodies,
        named_parties=named_parties,
        words_by_role={role: frozenset(words) for role, words in roles.items()},
    )
