"""The records the figure finder works with: a number span of a sentence, and a casualty
figure as stored on a Doc (`doc._.casualty_figures`, plain dicts so that they travel between
processes as msgpack)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from spacy.tokens import Doc

from casualties.extract.lexicon import QualifierPhrase, VagueAmount

FIGURES_ATTR = "casualty_figures"

if not Doc.has_extension(FIGURES_ATTR):
    Doc.set_extension(FIGURES_ATTR, default=None)


@dataclass(frozen=True)
class Figure:
    casualty_type: str
    victim_group: str | None
    value: int | None
    qualifier: str
    value_low: int | None
    value_high: int | None
    value_start: int  # token span of the figure's words, qualifier included
    value_end: int
    number_i: int  # root token of the number
    anchor_i: int  # the counted noun, or the number itself when it stands alone ('the 32 wounded')
    trigger_i: int  # the word that makes it a casualty ('killed', 'dead', 'toll')
    named_victims: bool = False  # counts victims named one by one ('a man', 'her and three others'), no stated toll
    all_shot: bool = False  # counts everyone shot ('four people were shot'), the dead among them included
    ordinal_toll: bool = False  # the dead up to an ordinal victim ('a fourth victim died': at least four)
    dead_found: bool = False  # counts the dead as they were found ('three were found dead'), whoever killed whom
    by_own_hand: bool = False  # an attacker who turned the gun on himself ('before killing himself')
    turned_from_others: bool = False  # ... after others ('shot her baby and then himself')

    def as_record(self) -> dict[str, Any]:
        """Its fields as the plain dict stored on the Doc. Its values are plain, so they are
        not copied: `dataclasses.asdict` deep-copies each one, at 17 times the cost."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def doc_figures(doc: Doc) -> list[Figure]:
    return [Figure(**data) for data in doc._.get(FIGURES_ATTR) or ()]


@dataclass(frozen=True)
class NumberSpan:
    start: int  # first token of the qualifier, or of the number
    number_start: int
    end: int
    amount: int | VagueAmount
    qualifier: QualifierPhrase | None
    increment: bool = False  # 'three more', 'another 14': added to a count, or a count of others
