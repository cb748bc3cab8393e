"""spaCy component that gives back the subject a long lead of places took from its verb.

In 'On Monday, in Kadugli, South Kordofan, Sudan, a suicide bomber detonated his vest' the
parser reads the bomber as one more item of the place list (an apposition of 'Sudan') and
leaves 'detonated' with no subject, or with the date before the lead as its subject. Every
casualty rule that asks who died or who killed then finds no one. Where a sentence's verb
has no subject and the words right before it follow a country name that closes a lead of
places, those words are its subject: the component attaches them to the verb again.
"""

from __future__ import annotations

from collections.abc import Set

from spacy.language import Language
from spacy.tokens import Doc, Span

from casualties.places import country_name_keys, name_key

PIPE_NAME = "casualty_lead_subjects"
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
_VERB_GROUP_DEPS = frozenset({"aux", "auxpass", "neg"})


class LeadSubjects:
    def __init__(self, countries: Set[str]) -> None:
        self.countries = countries

    def __call__(self, doc: Doc) -> Doc:
        for sentence in doc.sents:
            self._repair(sentence)
        return doc

    def _repair(self, sentence: Span) -> None:
        verb = sentence.root
        if verb.pos_ not in ("VERB", "AUX"):
            return
        subjects = [child for child in verb.children if child.dep_ in _SUBJECT_DEPS]
        if any(subject.tag_ != "CD" for subject in subjects):
            return  # a subject of its own; a number there is the date heading the text ('01/18/2011: On ...')
        group_start = min([verb.i] + [child.i for child in verb.lefts if child.dep_ in _VERB_GROUP_DEPS])
        end = group_start - 1 if sentence.doc[group_start - 1].text == "," else group_start
        start = self._after_country(sentence, end)
        if start is None or start >= end:
            return
        words = sentence.doc[start:end]
        lead = {token.i for child in verb.lefts if child.dep_ == "prep" for token in child.subtree}
        if not all(token.i in lead for token in words):
            return  # the words before the verb are not the lead's
        heads = [token for token in words if not start <= token.head.i < end and not token.is_punct]
        if not heads:
            return
        subject = heads[0]
        for token in subjects:
            token.dep_ = "npadvmod"
        subject.head = verb
        subject.dep_ = "nsubjpass" if any(child.dep_ == "auxpass" for child in verb.children) else "nsubj"
        for token in heads[1:]:
            # 'the mayor of the town, John Doe,': a name set off after the subject is its apposition.
            token.head = subject
            token.dep_ = "appos"

    def _after_country(self, sentence: Span, end: int) -> int | None:
        """The first word after the last country name closing an item of the list before `end`
        ('..., Pakistan, two guards' -> 'two')."""
        doc = sentence.doc
        commas = [token.i for token in doc[sentence.start : end] if token.text == ","]
        for comma in reversed(commas):
            item_start = max([sentence.start] + [other + 1 for other in commas if other < comma])
            item = doc[item_start:comma]
            # The country closes the item: 'in the Swat valley of Pakistan', 'Kabul, Afghanistan'.
            for first in range(item.start, item.end):
                if name_key(doc[first : item.end].text) in self.countries:
                    return comma + 1
        return None


@Language.factory(PIPE_NAME, requires=["token.dep", "token.head"])
def make_lead_subjects(nlp: Language, name: str) -> LeadSubjects:
    return LeadSubjects(country_name_keys())
