"""spaCy components for the opening of a text: a date heading it, a lead of places.

`casualty_heading_dates` (before the parser) makes a date heading a text ('01/18/2011: On
Tuesday, ...') a sentence of its own; read as part of the first sentence it becomes its
subject or its root, and the verb after the lead a modifier of the attackers.

`casualty_lead_subjects` (after the parser) gives back the subject a long lead of places
took from its verb.

In 'On Monday, in Kadugli, South Kordofan, Sudan, a suicide bomber detonated his vest' the
parser reads the bomber as one more item of the place list (an apposition of 'Sudan') and
leaves 'detonated' with no subject; in '..., Sudan, two militants shot and killed a guard'
it reads 'shot' as a modifier of the militants, who then count as killed. Every casualty
rule that asks who died or who killed goes wrong. Where a sentence's verb has no subject
and the words right before it follow a country name that closes a lead of places, those
words are its subject: the component attaches them to the verb again. So they are where
the parse took a place of the lead for the verb's subject ('in Tarmiyah, Salah ad Din, Iraq,
a bomber detonated' read with 'Din' as the subject and the bomber hung on 'Iraq').
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.training import Example
from spacy.util import ensure_path

from casualties.dates import find_date_mentions
from casualties.places import country_name_keys, name_key

PIPE_NAME = "casualty_lead_subjects"
HEADING_PIPE_NAME = "casualty_heading_dates"
# The most tokens a heading may take before its colon: '01/25/2011 (Default Date):' (the
# default of the heading pipe's `max_heading_tokens` setting).
HEADING_TOKENS = 6
COUNTRIES_FILE = "countries.json"
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
_VERB_GROUP_DEPS = frozenset({"aux", "auxpass", "neg"})


class HeadingDates:
    """'01/18/2011: On Tuesday, in Tikrit, ...': the date and its colon end a sentence."""

    def __init__(self, max_heading_tokens: int) -> None:
        self.max_heading_tokens = max_heading_tokens

    def __call__(self, doc: Doc) -> Doc:
        colon = next((token.i for token in doc[: self.max_heading_tokens] if token.text == ":"), None)
        if colon is None or colon + 1 >= len(doc):
            return doc
        if any(mention.start == 0 and mention.end <= doc[colon].idx for mention in find_date_mentions(doc[:colon].text)):
            doc[colon + 1].is_sent_start = True
        return doc


class LeadSubjects:
    """Its data, the country names that close a lead of places, comes from `initialize` (by
    default every country of the gazetteer with its aliases) or, in a saved pipeline, from the
    pipe's own folder. It is empty until then."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._countries: frozenset[str] | None = None
        self._longest_country = 0

    @property
    def countries(self) -> frozenset[str]:
        if self._countries is None:
            raise ValueError(f"the {self.name} pipe has no country names: initialize the pipeline or load a saved one")
        return self._countries

    def _use_countries(self, names: Iterable[str]) -> None:
        self._countries = frozenset(names)
        # Twice this many characters hold any country's name, however its accents or case are written.
        self._longest_country = max(map(len, self._countries), default=0)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        countries: Iterable[str] | None = None,
    ) -> None:
        """Read the country names `countries` (None: the gazetteer's countries and aliases)."""
        names = country_name_keys() if countries is None else (name_key(name) for name in countries)
        self._use_countries(names)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = ensure_path(path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / COUNTRIES_FILE).write_text(json.dumps(sorted(self.countries)), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LeadSubjects:
        self._use_countries(json.loads((ensure_path(path) / COUNTRIES_FILE).read_text(encoding="utf-8")))
        return self

    def __call__(self, doc: Doc) -> Doc:
        for sentence in doc.sents:
            self._repair(sentence)
        return doc

    def _repair(self, sentence: Span) -> None:
        root = sentence.root
        verb = root if root.pos_ in ("VERB", "AUX") else self._verb_read_as_modifier(sentence)
        if verb is None:
            return
        subjects = [child for child in verb.children if child.dep_ in _SUBJECT_DEPS]
        group_start = min([verb.i] + [child.i for child in verb.lefts if child.dep_ in _VERB_GROUP_DEPS])
        if group_start == sentence.start:
            return
        end = group_start - 1 if sentence.doc[group_start - 1].text == "," else group_start
        start = self._after_country(sentence, end)
        if start is None or start >= end:
            return
        # 'in Tarmiyah, Salah ad Din, Iraq, a bomber detonated': the parse may take a place of
        # the lead for the subject and hang the words after the country on it.
        place_subject = len(subjects) == 1 and subjects[0].i < start
        if subjects and not place_subject:
            return
        words = sentence.doc[start:end]
        if verb is root:
            lead = {token.i for child in verb.lefts if child.dep_ == "prep" or child in subjects for token in child.subtree}
            if not all(token.i in lead for token in words):
                return  # the words before the verb are not the lead's
        elif not start <= verb.head.i < end:
            return  # the verb modifies some other word than those before it
        heads = [token for token in words if not start <= token.head.i < end and not token.is_punct]
        if not heads:
            return
        subject = heads[0]
        if place_subject:
            place = subjects[0]
            place.head = verb
            place.dep_ = "npadvmod"
        if verb is not root:
            # The lead the parse made the sentence's root hangs from the verb instead.
            verb.head = verb
            verb.dep_ = "ROOT"
            root.head = verb
            root.dep_ = "prep" if root.pos_ == "ADP" else "npadvmod"
        subject.head = verb
        subject.dep_ = "nsubjpass" if any(child.dep_ == "auxpass" for child in verb.children) else "nsubj"
        for token in heads[1:]:
            # 'the mayor of the town, John Doe,': a name set off after the subject is its apposition.
            token.head = subject
            token.dep_ = "appos"

    @staticmethod
    def _verb_read_as_modifier(sentence: Span) -> Token | None:
        """'..., Philippines, two gunmen shot and killed a guard' parsed as a place list with
        'shot' modifying the gunmen: a finite verb with an object, which no reduced relative
        clause has ('two gunmen killed in the clash')."""
        for token in sentence:
            if token.dep_ == "acl" and token.tag_ in ("VBD", "VBZ", "VBP"):
                verbs = [token, *(child for child in token.children if child.dep_ == "conj")]
                if any(child.dep_ == "dobj" for verb in verbs for child in verb.children):
                    return token
        return None

    def _after_country(self, sentence: Span, end: int) -> int | None:
        """The first word after the last country name closing an item of the list before `end`
        ('..., Pakistan, two guards' -> 'two')."""
        words = list(sentence.doc[sentence.start : end])
        commas = [position for position, word in enumerate(words) if word.text == ","]
        for number in range(len(commas) - 1, -1, -1):
            comma = commas[number]
            item_start = commas[number - 1] + 1 if number else 0
            # The country closes the item: 'in the Swat valley of Pakistan', 'Kabul, Afghanistan'.
            # Read from the item's end, words no country's name is as long as are not tried.
            item = ""
            for first in range(comma - 1, item_start - 1, -1):
                item = words[first].text + item if first == comma - 1 else words[first].text_with_ws + item
                if len(item) > 2 * self._longest_country:
                    break
                if name_key(item) in self.countries:
                    return sentence.start + comma + 1
        return None


@Language.factory(HEADING_PIPE_NAME, default_config={"max_heading_tokens": HEADING_TOKENS})
def make_heading_dates(nlp: Language, name: str, max_heading_tokens: int) -> HeadingDates:
    return HeadingDates(max_heading_tokens)


@Language.factory(PIPE_NAME, requires=["token.dep", "token.head"])
def make_lead_subjects(nlp: Language, name: str) -> LeadSubjects:
    return LeadSubjects(name)
