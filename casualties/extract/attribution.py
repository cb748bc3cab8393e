"""Who gave a figure, and whether it is a belligerent's claim about the other side.

A story names belligerents ('the Russian defense ministry') and speakers ('officials said');
`Speakers` remembers them as the story is read, so that a later 'the ministry' or 'It said'
finds who is meant, and `Attribution` gives each figure its source and tells a party's
figure of the other side's losses (a claim) from its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from casualties.extract.records import Figure
from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.extract.words import doc_text, span_text, words_in

_OPENING_QUOTES = ('"', "“", "'", "‘")
_ASIDE_OPENERS = (",", "—", "–", '"', "”", "'", "’")


@dataclass(frozen=True)
class Party:
    name: str
    country_code: str
    body: str | None  # 'defense ministry': lets a later 'the ministry' find it


@dataclass(frozen=True)
class Source:
    """Who gave a figure, and the belligerent they speak for, if any."""

    name: str
    party: Party | None


@dataclass
class Speakers:
    """The belligerents a story has named so far and the sources that spoke last."""

    parties: list[Party] = field(default_factory=list)
    last_source: Source | None = None  # for a later 'It said'
    paragraph_source: Source | None = None  # for a quotation running on in its paragraph


class Attribution:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.role = lexicon.role

    def note_parties(self, sentence: Span, index: LexiconIndex, speakers: Speakers) -> None:
        for start, end, body in index.bodies:
            if not sentence.start <= start < sentence.end:
                continue
            nation = next((nation for _, nation_end, nation in index.nations if nation_end in (start, start - 1)), None)
            if nation is not None:
                speakers.parties.append(Party(f"{nation.adjective} {body}", nation.country_code, body))
        for start, _, party in index.parties:
            if sentence.start <= start < sentence.end:
                speakers.parties.append(Party(party.name, party.country_code, None))

    def note_speaker(self, sentence: Span, index: LexiconIndex, speakers: Speakers) -> None:
        """Remembers who spoke, for a later 'It said' or a quotation running on."""
        for token in words_in(sentence, self.role("speech_verb")):
            if token.pos_ in ("VERB", "AUX"):
                subject = self._speaker_of(token)
                if subject is not None and subject.lower_ not in self.role("pronoun"):
                    speakers.last_source = self._source(subject, index, speakers)
                    speakers.paragraph_source = speakers.last_source

    def source_of(self, sentence: Span, figure: Figure, index: LexiconIndex, speakers: Speakers) -> Source | None:
        subject = self._source_token(sentence, figure)
        if subject is not None and (
            subject.like_num or any(token.i in (figure.number_i, figure.anchor_i) for token in subject.subtree)
        ):
            subject = None  # a misparse made the victims ('a dozen people ..., officials said') or a number the speaker
        if subject is None:
            return speakers.paragraph_source if _inside_quotation(sentence) else None
        if subject.lower_ in self.role("pronoun"):
            return speakers.last_source
        return self._source(subject, index, speakers)

    def _source(self, subject: Token, index: LexiconIndex, speakers: Speakers) -> Source:
        party = self._party_of(subject, index, speakers)
        return Source(party.name if party else self._noun_phrase(subject), party)

    def _source_token(self, sentence: Span, figure: Figure) -> Token | None:
        """The source's head noun: subject of the reporting verb above the figure, the object of
        'according to', or the subject of a reporting verb that introduces the figure's clause."""
        doc = sentence.doc
        speech = self.role("speech_verb")
        trigger = doc[figure.trigger_i]
        for token in [trigger, *trigger.ancestors]:
            for child in token.children:
                if child.lower_ in self.role("according"):
                    objects = (grandchild for to in child.children for grandchild in to.children)
                    source = next((token for token in objects if token.dep_ == "pobj"), None)
                    if source is not None and source.lower_ not in self.role("not_a_source"):
                        return source
            if token.lower_ in speech and token.pos_ in ("VERB", "AUX"):
                subject = self._speaker_of(token)
                if subject is not None:
                    return subject
            if token.lower_ in self.role("claim_noun") and token.pos_ == "NOUN":
                owner = next((child for child in token.children if child.dep_ == "poss"), None)
                if owner is not None and owner.lower_ not in self.role("pronoun"):
                    return owner  # "the Defense Ministry's assertion that up to 120 soldiers had been killed"
        first = min(figure.value_start, figure.trigger_i)
        for token in reversed(doc[sentence.start : first]):
            if token.lower_ in speech and token.pos_ in ("VERB", "AUX"):
                between = doc[token.i + 1 : first]
                if not any(other.tag_ in ("VBD", "VBZ", "VBP") for other in between):
                    return self._speaker_of(token)  # 'activists said Monday the death toll rose to 544'
                return None
        last = max(figure.value_end, figure.trigger_i + 1)
        for token in doc[last : sentence.end]:
            if token.lower_ in speech and token.pos_ in ("VERB", "AUX"):
                subject = self._speaker_of(token)
                if (
                    subject is not None
                    and subject.tag_ not in ("WP", "WDT")
                    and subject.left_edge.i > 0
                    and doc[subject.left_edge.i - 1].text in _ASIDE_OPENERS
                ):
                    return subject  # '..., Ukrainian officials said'
                return None
        return None

    def _speaker_of(self, verb: Token) -> Token | None:
        """Who says: the active subject ('officials said'), the agent ('announced by the
        ministry'), or the noun a reduced clause hangs from ('the emergency service announced')."""
        subjects = [
            child
            for child in verb.children
            if child.dep_ == "nsubj" and not (child.is_upper and len(child) > 1 and child.left_edge.i == 0)
        ]  # never the dateline ('MAIDUGURI, Nigeria (MNA) — ...' misparsed as a subject)
        # Of two subjects (a misparse), the one that counts nobody: in 'At least 160 people were
        # injured, 38 of them police officers, the group said' the group speaks.
        subjects.sort(key=lambda subject: any(token.like_num for token in subject.subtree))
        if subjects:
            return subjects[0]
        for child in verb.children:
            if child.dep_ == "agent":
                return next((grandchild for grandchild in child.children if grandchild.dep_ == "pobj"), None)
        head = verb.head
        if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN") and head.lower_ not in self.role("not_a_source"):
            return head
        return None

    def _noun_phrase(self, head: Token) -> str:
        """The words naming a source: a name as written ('Human Rights Activists News Agency',
        'Tymur Tkachenko'), else the noun phrase without relative clauses or leading article."""
        name = next((child for child in head.children if child.dep_ == "appos" and child.pos_ == "PROPN"), None)
        if head.pos_ == "NOUN" and name is not None:
            head = name  # 'the city's military administration chief, Tymur Tkachenko'
        if head.pos_ == "PROPN":
            start = head.i
            while start > 0 and head.doc[start - 1].pos_ == "PROPN" and head.doc[start - 1].dep_ == "compound":
                start -= 1
            return head.doc[start : head.i + 1].text
        excluded: set[int] = set()
        for child in head.children:
            if child.dep_ in ("relcl", "acl", "advcl", "punct"):
                excluded.update(token.i for token in child.subtree)
        tokens = [token for token in head.subtree if token.i not in excluded]
        while tokens and (tokens[0].is_punct or tokens[0].lower_ in ("the", "a", "an")):
            tokens.pop(0)
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        if not tokens:
            return head.text
        return head.doc[tokens[0].i : tokens[-1].i + 1].text

    def _party_of(self, subject: Token, index: LexiconIndex, speakers: Speakers) -> Party | None:
        """The belligerent a source speaks for ('the Russian defense ministry'), resolving
        'the ministry' to the last one the story named."""
        tokens = {token.i for token in subject.subtree}
        for start, _, party in index.parties:
            if start in tokens:
                return Party(party.name, party.country_code, None)
        for start, _, body in index.bodies:
            if start in tokens:
                nation = next((nation for nation_start, _, nation in index.nations if nation_start in tokens), None)
                if nation is not None:
                    return Party(f"{nation.adjective} {body}", nation.country_code, body)
                return self._last_party_with_head(body.split()[-1], speakers) or self._party_of_sentence(
                    subject, index, body
                )
        if subject.lower_ in {body.split()[-1] for body in self.lexicon.party_bodies.values()}:
            return self._last_party_with_head(subject.lower_, speakers)  # 'the ministry'
        return None

    @staticmethod
    def _party_of_sentence(subject: Token, index: LexiconIndex, body: str) -> Party | None:
        """'Russian state television repeated the Defense Ministry's assertion': a body named
        without its country belongs to the one nation its sentence names, if only one."""
        sentence = subject.sent
        nations = {
            nation.country_code: nation
            for start, _, nation in index.nations
            if sentence.start <= start < sentence.end
        }
        if len(nations) != 1:
            return None
        nation = next(iter(nations.values()))
        return Party(f"{nation.adjective} {body}", nation.country_code, body)

    @staticmethod
    def _last_party_with_head(head_word: str, speakers: Speakers) -> Party | None:
        for party in reversed(speakers.parties):
            if party.body and party.body.split()[-1] == head_word:
                return party
        return None

    def about_enemy(self, sentence: Span, figure: Figure, index: LexiconIndex, party: Party) -> bool:
        """A belligerent's figure is a claim when it counts the other side's people: victims of
        another nationality ('85 Ukrainian ... personnel'), or fighters the party says it killed
        ('its strikes killed 30 militants', soldiers or attackers). Its own dead ('3 soldiers
        died') are no claim."""
        doc = sentence.doc
        anchor = doc[figure.anchor_i]
        nations = {
            nation.country_code
            for token in anchor.subtree
            if token.i < anchor.i or token.head == anchor
            for nation in [index.nation_at(token)]
            if nation is not None
        }
        if nations:
            return party.country_code not in nations
        if figure.victim_group not in ("military", "perpetrators"):
            return False
        trigger = doc[figure.trigger_i]
        agent = next((child for child in trigger.children if child.dep_ == "nsubj"), None)
        if agent is not None and (
            agent.lower_ in self.role("pronoun") or any(child.dep_ == "poss" for child in agent.children)
        ):
            return True  # 'it killed', 'its strikes killed'
        return any(token.lower_ in self.role("claim_verb") for token in sentence)


def _inside_quotation(sentence: Span) -> bool:
    """The sentence continues a quotation opened earlier in the paragraph (or opens one)."""
    before = doc_text(sentence.doc)[: sentence.start_char]
    if span_text(sentence).lstrip().startswith(_OPENING_QUOTES):
        return True
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")
