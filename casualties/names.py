"""Names a story shares with few others: the victims, suspects, streets and venues that tie
reports of one incident together wherever each report places and dates it.

A follow-up naming the victim of last week's shooting may be placed in a neighbourhood
where the first report named the city, or dated by its own news; the victim's name is the
same in both. A story's names are its capitalised words, lower-cased, less those that
say nothing of one incident: a word opening a sentence, weekdays, months, titles and
the words of headline-like lines (Title Case). Which names are rare is a property of the
whole corpus, decided where the corpus is (casualties.stages.NAME_TIES_SQL): a name in
many documents (a city, a newspaper, a governor) ties nothing.
"""

from __future__ import annotations

import re

# A name is rare in at most this many documents: an incident's own reports, not a city's.
MAX_NAME_DOCUMENTS = 3
# Reports of one incident are published within this many days of each other.
NAME_TIE_DAYS = 14
# One shared name may be a coincidence (a street, a common surname); two tie two stories.
MIN_SHARED_NAMES = 2

_WORD = re.compile(r"[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)*")
# A capitalised word preceded by one of these (after spaces) opens a sentence or a quote.
_OPENERS = frozenset(".!?:;\"“”‘'—–-([")
# Capitalised for grammar, not as a name of one incident.
_NOT_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    mr mrs ms dr jr sr st mt ft
    police officer officers sheriff deputy deputies chief mayor detective sergeant lieutenant captain
    sgt lt capt gov sen rep president governor judge attorney district county city state street avenue road
    department office news press associated copyright all rights reserved
    """.split()
)
# A line is headline-like when at least this share of its words is capitalised.
_TITLE_CASE_SHARE = 0.6


def story_names(text: str) -> list[str]:
    """The story's distinct name keys (lower-cased capitalised words), sorted.

    Place names are kept: a town or street many incidents share is in many documents, and
    one only this incident's reports name ties them as well as a victim's name. Nor could a
    gazetteer tell them apart from surnames (Taylor, Bell and Morgan are towns)."""
    names: set[str] = set()
    for line in text.splitlines():
        words = line.split()
        if not words or sum(word[:1].isupper() for word in words) >= _TITLE_CASE_SHARE * len(words):
            continue
        for match in _WORD.finditer(line):
            if _opens_sentence(line, match.start()) or _inside_word(line, match.start()):
                continue
            key = match.group(0).lower()
            if len(key) > 2 and key not in _NOT_NAMES:
                names.add(key)
    return sorted(names)


def _opens_sentence(line: str, start: int) -> bool:
    before = line[:start].rstrip()
    return not before or before[-1] in _OPENERS


def _inside_word(line: str, start: int) -> bool:
    return start > 0 and (line[start - 1].isalnum() or line[start - 1] in "'’")
