"""Read casualty numbers: digits ('10,600'), number words ('twenty-three', 'a dozen'), vague
amounts ('dozens') and the qualifier in front of them ('more than', 'up to').

Bounds derived from a qualifier (the `value_low` / `value_high` columns):
- exact N: low N, high N
- at_least N: low N, no upper bound
- more_than N: low N + 1, no upper bound
- up_to N: no stated lower bound (null, not 0: nobody reported zero), high N ('fewer than N': N - 1)
- about N: no bounds (null): the statement only says 'roughly N'
- a vague amount ('dozens'): value null, qualifier about, the amount's range (24-99)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casualties.extract.lexicon import Lexicon, QualifierPhrase, VagueAmount, load_lexicon

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
# More than the people alive: a number this large is an identifier, a phone number or money,
# never a count of people (and past 2**63 it would not fit the tables' BIGINT).
MAX_COUNT = 10_000_000_000


@dataclass(frozen=True)
class Quantity:
    value: int | None
    qualifier: str
    low: int | None
    high: int | None


def normalise_number_words(text: str) -> list[str]:
    return text.lower().replace("-", " ").replace("–", " ").split()


def parse_number(text: str, lexicon: Lexicon | None = None) -> int | VagueAmount | None:
    """'twenty-three' -> 23, '10,600' -> 10600, '1.4 million' -> 1400000, 'dozens' -> 24..99."""
    lexicon = lexicon or load_lexicon()
    words = normalise_number_words(text)
    if not words:
        return None
    vague = lexicon.vague_amounts.get(" ".join(words))
    if vague is not None:
        return vague
    total = 0
    current: float = 0
    seen_number = False
    for position, word in enumerate(words):
        if word in ("a", "an") and position == 0:
            current = 1
        elif word == "and" and seen_number:
            continue
        elif _DIGITS.match(word):
            current += int(word.replace(",", ""))
            seen_number = True
        elif _DECIMAL.match(word):
            current += float(word)
            seen_number = True
        elif word in lexicon.multipliers:
            current = max(current, 1) * lexicon.unit_values[word]
            seen_number = True
        elif word in lexicon.unit_values:
            current += lexicon.unit_values[word]
            seen_number = True
        elif word in lexicon.scale_values:
            scale = lexicon.scale_values[word]
            if scale == 100:
                current = max(current, 1) * scale
            else:
                total += int(round(max(current, 1) * scale))
                current = 0
            seen_number = True
        else:
            return None
    if not seen_number or total + current > MAX_COUNT:
        return None
    return int(round(total + current))


def make_quantity(number: int | VagueAmount, qualifier: QualifierPhrase | None) -> Quantity:
    if isinstance(number, VagueAmount):
        return Quantity(None, "about", number.low, number.high)
    kind = qualifier.qualifier if qualifier else "exact"
    if kind == "at_least":
        return Quantity(number, kind, number, None)
    if kind == "more_than":
        return Quantity(number, kind, number + 1, None)
    if kind == "up_to":
        return Quantity(number, kind, None, number + (qualifier.high_offset if qualifier else 0))
    if kind == "about":
        return Quantity(number, kind, None, None)
    return Quantity(number, "exact", number, number)
