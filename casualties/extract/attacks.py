"""The attacks a sentence names ('a missile and drone attack', 'the shooting'), with the
weapons that modify them: what kind of attack a figure's incident was."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex


# How many words before an attack noun the words naming it an incident answered may stand:
# 'in retaliation for last Tuesday's deadly bombing'.
ANSWERED_REACH = 7


@dataclass(frozen=True)
class AttackMention:
    head_i: int
    attack_kind: str
    weapon: str | None
    weapon_families: frozenset[str]
    since: bool  # 'the deadliest since last year's July 8 attack'
    answered: bool  # 'in retaliation for Monday's bombing': an earlier incident the one reported answered


class AttackReader:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.role = lexicon.role
        # The verbs the lexicon knows that mark another clause where no tagger has read the
        # words: auxiliaries and verbs of speech ('revenge for them was behind a drone attack').
        self.untagged_clause_verbs: frozenset[str] = frozenset().union(
            *(lexicon.role(role) for role in ("copula", "modal", "perfect_aux", "speech_verb"))
        )
        # The words that open a noun phrase: an -ed form after one is a participle naming the
        # attack ('the reported bombing', 'Monday's alleged strike').
        self.noun_phrase_openers: frozenset[str] = frozenset({"'s"}).union(
            *(lexicon.role(role) for role in ("definite", "indefinite_determiner", "own_possessive"))
        )
        # The words of an attack's name: an -ed form before one modifies it ('alleged drone attack').
        self.attack_name_words: frozenset[str] = frozenset(lexicon.attacks) | frozenset(lexicon.weapons)

    def mentions(self, sentence: Span, index: LexiconIndex, parsed: bool) -> list[AttackMention]:
        doc = sentence.doc
        mentions: list[AttackMention] = []
        for head_i, attack in index.attacks.items():
            if not sentence.start <= head_i < sentence.end:
                continue
            head = doc[head_i]
            if parsed and head.pos_ not in ("NOUN", "PROPN"):
                continue
            if not parsed and head_i > 0 and doc[head_i - 1].lower_ in self.role("modal") | {"to"}:
                continue
            families: list[str] = []
            weapons: list[str] = []
            for start, end, weapon in index.weapons:
                if sentence.start <= start and end <= head_i and head_i - end <= 3 and self._joined(doc, end, head_i):
                    if weapon.family not in families:
                        families.append(weapon.family)
                        weapons.append(weapon.weapon)
            if families:
                kind = f"{' and '.join(families)} {attack.attack_kind}"
                weapon_text: str | None = " and ".join(weapons)
            else:
                kind, weapon_text = attack.attack_kind, attack.weapon
            if parsed:
                since = head.dep_ == "pobj" and head.head.lower_ in self.role("historical_prep")
            else:
                before = doc[max(sentence.start, head_i - 6) : head_i]
                since = any(token.lower_ in self.role("historical_prep") for token in before)
            mentions.append(AttackMention(head_i, kind, weapon_text, frozenset(families), since, self.is_answered(sentence, head_i)))
        return mentions

    def is_answered(self, sentence: Span, head_i: int) -> bool:
        """'in retaliation for Monday's bombing', 'revenge for the killing of two rebels', 'to
        avenge the shooting': the attack is the one an incident answered, named by the words
        just before it with nothing but its modifiers between ('a retaliation shooting' names
        the reported one): no punctuation ('in retaliation for the fight, gunmen opened fire')
        and no verb of another clause (in a paragraph no tagger read, none of the auxiliaries
        and verbs of speech the lexicon knows: 'revenge for them was behind a drone attack',
        though 'revenge for the reported May 2 attack' names the answered one).
        `head_i` may be the attack's noun, a casualty word or the date naming an attack ('to
        avenge the June 2 killing': that day is the answered incident's, not the reported one's)."""
        doc = sentence.doc
        before = doc[max(sentence.start, head_i - ANSWERED_REACH) : head_i]
        for position in range(len(before) - 1, -1, -1):
            token = before[position]
            if token.lower_ in self.role("avenge_verb"):
                return True
            if token.is_punct or token.pos_ in ("VERB", "AUX") or (not token.pos and self._opens_untagged_clause(before, position)):
                return False
            if token.lower_ == "for" and position > 0 and before[position - 1].lower_ in self.role("motive_noun"):
                return True
        return False

    def _opens_untagged_clause(self, words: Span, position: int) -> bool:
        """A finite verb the lexicon knows: a copula, modal or verb of speech ('was', 'May',
        'said'), but not a capitalised one before a number ('May 2' is a month). An -ed form
        is a verb ('reported Tuesday's attack', 'claimed responsibility') unless it follows a
        determiner or stands before the attack's name, as a participle in it ('the reported
        bombing', 'an alleged drone attack')."""
        word = words[position]
        if word.lower_ not in self.untagged_clause_verbs:
            return False
        if word.is_title and position + 1 < len(words) and words[position + 1].like_num:
            return False
        if not word.lower_.endswith("ed"):
            return True
        if position > 0 and words[position - 1].lower_ in self.noun_phrase_openers:
            return False
        following = words[position + 1] if position + 1 < len(words) else None
        return following is not None and following.lower_ not in self.attack_name_words

    def _joined(self, doc: Doc, start: int, end: int) -> bool:
        """Only modifiers, 'and' and hyphens between a weapon word and the attack noun."""
        return all(
            token.lower_ in ("and", "-", ",", "/")
            or token.lower_ in self.lexicon.weapons
            or (not token.is_stop and token.is_alpha and token.pos_ in ("ADJ", "NOUN", ""))
            for token in doc[start:end]
        )
