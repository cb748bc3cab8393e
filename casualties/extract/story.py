"""Reading a story for its figures: where and when each figure's incident happened, by what
means, who gave the figure, and whether it is a belligerent's claim, a historical comparison
or a running total.

A story is walked paragraph by paragraph, sentence by sentence, tracking the current
incident (incidents.py). Parsed sentences (those that passed the prefilter) link each figure
to the attack, place and date nearest to its trigger in the dependency tree; every other
sentence only updates the context with the attacks, places, dates and parties its words
name. What the whole story says (its country, dateline, stated day) is read first
(story_facts.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, Token

from casualties.extract.attacks import AttackMention, AttackReader
from casualties.extract.attribution import Attribution
from casualties.extract.incidents import Incident, StoryState, join_incident
from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.extract.records import Figure, doc_figures
from casualties.extract.running_totals import RunningTotals
from casualties.extract.story_dates import DateReader
from casualties.extract.story_facts import Paragraph, StoryFactsReader
from casualties.extract.story_places import PRECISION_RANK, PlaceReader, narrowest
from casualties.extract.tree import nearest, tree_distance
from casualties.extract.words import span_text, words_in
from casualties.places import Gazetteer

if TYPE_CHECKING:
    from casualties.extract import SegmentInput

# An attack word this close to the trigger in the tree describes the same attack
# ('killing 12 ... in a missile and drone attack'); further away it is another one.
SAME_ATTACK_TREE_DISTANCE = 4
# In a sentence that is not parsed, a place or date names an attack's incident only this
# close to the attack word (in tokens).
CONTEXT_REACH_BEFORE = 4
CONTEXT_REACH_AFTER = 5
_SENTENCIZER = Sentencizer()


@dataclass
class PendingRow:
    row: dict[str, Any]
    incident: Incident
    segment: SegmentInput


def _less_attackers_found_dead(figure: Figure, attackers: int) -> Figure:
    """A count of the dead found, less the attackers among them: the victims' toll."""
    if not figure.dead_found or attackers == 0 or attackers >= (figure.value_low or 0):
        return figure
    return dataclasses.replace(
        figure,
        value=None if figure.value is None else figure.value - attackers,
        value_low=None if figure.value_low is None else figure.value_low - attackers,
        value_high=None if figure.value_high is None else figure.value_high - attackers,
    )


def _as_toll_beside_the_attacker(row: dict[str, Any]) -> None:
    """Dead victims named one by one beside an attacker who turned the gun on himself after
    others: a toll, which reconciliation adds the attacker to."""
    if row["casualty_type"] == "killed" and row["victim_group"] != "perpetrators":
        row["counts_named_victims"] = False


class StoryReader:
    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.lexicon = lexicon
        self.attribution = Attribution(lexicon)
        self.attacks = AttackReader(lexicon)
        self.story_facts = StoryFactsReader(lexicon, gazetteer, self.attacks)
        self.places = PlaceReader(lexicon, gazetteer)
        self.dates = DateReader(lexicon)
        self.running_totals = RunningTotals(lexicon)

    # -- entry point -----------------------------------------------------------------

    def read(self, paragraphs: list[Paragraph]) -> Iterator[dict[str, Any]]:
        if not paragraphs:
            return
        first = paragraphs[0].segment
        indexes = [LexiconIndex(paragraph.doc, self.lexicon) for paragraph in paragraphs]
        facts = self.story_facts.read(paragraphs, indexes, first.story_date, first.dateline)
        # Without a publication date, the day the lead states is what relative dates count from.
        state = StoryState(facts=facts, story_date=first.story_date or facts.stated_date)
        pending: list[PendingRow] = []
        figures_of = [doc_figures(paragraph.doc) if paragraph.parsed else [] for paragraph in paragraphs]
        story_figures = [figure for figures in figures_of for figure in figures]
        # 'Killing three people ... a third victim died in an ambulance': a toll the story
        # states as high or higher already counts the dead up to an ordinal victim.
        stated_dead = max(
            (
                figure.value or 0
                for figure in story_figures
                if figure.casualty_type == "killed" and figure.victim_group is None and not figure.ordinal_toll
            ),
            default=0,
        )
        # 'Three people were found dead ... the father had shot himself': those found count
        # the attacker, whom reconciliation adds to a toll of victims.
        attackers_by_own_hand = max((figure.value or 0 for figure in story_figures if figure.by_own_hand), default=0)
        # 'Emma died ... he targeted her and her mother before killing himself': the victims a
        # story names beside an attacker who turned the gun on himself after them are a toll
        # that takes him in (reconciliation adds the attackers to a toll, not to victims named
        # one by one, who may be he). Only his incident's: another the story goes on to tell
        # ('In a separate case ...') names its victims as they are.
        incidents_of_attackers_turned_from_others: list[Incident] = []
        previous_segment: str | None = None
        told_one_by_one: dict[str, int] = {}
        for paragraph, index, paragraph_figures in zip(paragraphs, indexes, figures_of):
            if paragraph.segment.segment_id != previous_segment:
                previous_segment = paragraph.segment.segment_id
                # Relative dates in a caption or post ('this morning') count from its own date.
                segment = paragraph.segment
                state.reference_date = (
                    segment.segment_date if segment.kind != "body" and segment.segment_date else state.story_date
                )
                if paragraph.segment.kind != "body":
                    # Captions and posts describe the story's main incident, not the last one
                    # read; what they add stays theirs, the body's incidents are settled.
                    state.current = dataclasses.replace(state.primary) if state.primary else None
                    state.historical = []
            state.speakers.paragraph_source = None
            if not paragraph.parsed:
                if not (index.attacks or index.bodies or index.parties):
                    continue  # an unparsed paragraph adds to the context only the attacks and parties it names
                _SENTENCIZER(paragraph.doc)
            figures = [
                _less_attackers_found_dead(figure, attackers_by_own_hand)
                for figure in paragraph_figures
                if not (figure.ordinal_toll and (figure.value or 0) <= stated_dead)
            ]
            if paragraph.segment.kind == "body":
                figures, told_one_by_one = self._added_to_earlier_victims(figures, told_one_by_one, paragraph.doc)
                figures = self._deaths_of_the_wounded(figures, paragraph.doc, index)
            for sentence in paragraph.doc.sents:
                sentence_figures = [figure for figure in figures if sentence.start <= figure.number_i < sentence.end]
                self.attribution.note_parties(sentence, index, state.speakers)
                if paragraph.parsed:
                    self.attribution.note_speaker(sentence, index, state.speakers)
                if sentence_figures:
                    rows = self._read_figures(paragraph, sentence, sentence_figures, index, state)
                    incidents_of_attackers_turned_from_others += [
                        item.incident for figure, item in zip(sentence_figures, rows) if figure.turned_from_others
                    ]
                    pending.extend(rows)
                else:
                    self._update_context(sentence, index, state)
        for item in pending:
            # His incident as each segment holds it: a caption's or headline's is a copy of the body's.
            if any(item.incident.is_compatible_with(incident) for incident in incidents_of_attackers_turned_from_others):
                _as_toll_beside_the_attacker(item.row)
            self._finish_row(item, state)
            yield item.row

    def _added_to_earlier_victims(
        self, figures: list[Figure], told_one_by_one: dict[str, int], doc: Doc
    ) -> tuple[list[Figure], dict[str, int]]:
        """'Officer Jane Roe was shot and killed ... A woman was also killed', 'the man was
        shot ... a toddler was also shot': one victim the story says it adds ('also') to the
        one it just told of the same casualty is another person, a toll of the two (at
        least), not another count of one. After a toll of several the added victim may be one
        of them ('two were killed; a child was also killed'), so only victims told one by one
        add up. `told_one_by_one` holds, per casualty type, the victims told one by one just
        before (0 after a toll of several); returns the figures and those counts after them."""
        read = list(figures)
        told = dict(told_one_by_one)
        for position in sorted(range(len(read)), key=lambda position: read[position].number_i):
            figure = read[position]
            kind = figure.casualty_type
            if kind not in ("killed", "injured") or figure.victim_group == "perpetrators" or figure.value is None:
                continue
            one_more = figure.value == 1 and doc[figure.anchor_i].pos_ != "PRON"
            if one_more and told.get(kind) and self._told_as_added(doc[figure.trigger_i]):
                toll = told[kind] + 1
                figure = read[position] = dataclasses.replace(
                    figure, victim_group=None, value=toll, qualifier="at_least", value_low=toll, value_high=None, named_victims=False
                )
                told[kind] = toll
            else:
                told[kind] = 1 if figure.value == 1 else 0
        return read, told

    def _deaths_of_the_wounded(self, figures: list[Figure], doc: Doc, index: LexiconIndex) -> list[Figure]:
        """'Six people were wounded; two of the wounded later died', 'wounding the mayor and
        his guard. The mayor died of his wounds': a death of people a count of wounded before
        it counted moves them from that count to the dead. The count of wounded loses them
        (and goes where it loses all), and the death adds to the dead told before it ('one
        officer was killed and another wounded ... the wounded officer died of his wounds':
        two dead, none wounded)."""
        read = list(figures)
        for position in sorted(range(len(read)), key=lambda position: read[position].number_i):
            death = read[position]
            if death.casualty_type != "killed" or death.victim_group == "perpetrators" or not death.value:
                continue
            if doc[death.trigger_i].lower_ not in self.lexicon.role("death_verb"):
                continue
            wounded_at = self._wounded_count_of(read, death, doc, index)
            if wounded_at is None:
                continue
            wounded = read[wounded_at]
            # The dead told before are others than the wounded where the same sentence told
            # both or the wounded are told as more ('four additional soldiers were wounded');
            # a death told in a sentence of its own may be the one the story goes on to tell
            # ('A soldier was killed. He was wounded by a bomb and died the next day').
            told_as_others = any(
                word.lower_ in self.lexicon.role("one_more") or word.lower_ in self.lexicon.role("other_people")
                for word in doc[wounded.value_start : wounded.value_end]
            )
            wounded_sentence = doc[wounded.number_i].sent
            dead_before = max(
                (
                    figure.value or 0
                    for figure in read
                    if figure.casualty_type == "killed" and figure.victim_group != "perpetrators" and figure.number_i < wounded.number_i
                    and (told_as_others or doc[figure.number_i].sent == wounded_sentence)
                ),
                default=0,
            )
            if dead_before:
                toll = dead_before + death.value
                read[position] = dataclasses.replace(
                    death, victim_group=None, value=toll, qualifier="at_least", value_low=toll, value_high=None, named_victims=False
                )
            survivors = (wounded.value or 0) - death.value
            read[wounded_at] = dataclasses.replace(
                wounded,
                value=survivors,
                value_low=None if wounded.value_low is None else max(wounded.value_low - death.value, 0),
                value_high=None if wounded.value_high is None else survivors,
            )
        return [figure for figure in read if not (figure.casualty_type == "injured" and figure.value is not None and figure.value <= 0)]

    def _wounded_count_of(self, figures: list[Figure], death: Figure, doc: Doc, index: LexiconIndex) -> int | None:
        """The position of the count of wounded, before the death, that counted its dead: the
        latest where the dead are some 'of the wounded' ('one of the injured died'), or
        where they died of their wounds ('died of his injuries', 'succumbed to her wounds')
        and are a person the count named ('wounding John Doe and his son ... Doe died of his
        wounds') or, for a pronoun, the count told just before ('a guard was wounded; he
        died from his wounds')."""
        trigger, victim = doc[death.trigger_i], doc[death.anchor_i]

        def is_wound_word(token: Token) -> bool:
            entry = index.triggers.get(token.i)
            return entry is not None and entry.casualty_type == "injured"

        of_the_wounded = any(
            child.dep_ == "prep" and child.lower_ == "of" and any(
                noun.dep_ == "pobj" and any(child.dep_ == "det" and child.lower_ in self.lexicon.role("definite") for child in noun.children)
                and (is_wound_word(noun) or any(is_wound_word(word) for word in noun.children) or noun.lower_ in self.lexicon.role("captives_noun"))
                for noun in child.children
            )
            for child in victim.children
        )
        of_wounds = any(
            child.dep_ == "prep" and any(noun.dep_ == "pobj" and is_wound_word(noun) for noun in child.children) for child in trigger.children
        )
        before = [
            position
            for position, figure in enumerate(figures)
            if figure.casualty_type in ("killed", "injured") and figure.value_end <= death.value_start and figure.value
        ]
        wounded_before = [position for position in before if figures[position].casualty_type == "injured" and (figures[position].value or 0) >= (death.value or 0)]
        if of_the_wounded:
            return wounded_before[-1] if wounded_before else None
        if not of_wounds:
            return None
        if victim.lower_ in self.lexicon.role("single_person_pronoun"):
            latest = max(before, key=lambda position: figures[position].number_i, default=None)
            return latest if latest is not None and figures[latest].casualty_type == "injured" else None
        if victim.pos_ not in ("NOUN", "PROPN"):
            return None

        def names_the_victim(wounded: Figure) -> bool:
            # A name may stand beside the count ('Both victims, John Doe and Bo Rask, were
            # wounded'); a noun names him within the count's words ('the boy').
            words = doc[wounded.value_start].sent if victim.pos_ == "PROPN" else doc[wounded.value_start : wounded.value_end]
            return any(word.lower_ == victim.lower_ for word in words)

        named = [position for position in wounded_before if names_the_victim(figures[position])]
        return named[-1] if named else None

    def _told_as_added(self, trigger: Token) -> bool:
        """'was also killed', 'has also died', 'also was dead', 'also suffered a gunshot
        wound': an additive adverb on the casualty word or, for a predicate adjective or a
        wound suffered, on its verb."""
        on_its_verb = trigger.dep_ in ("acomp", "attr") or (trigger.dep_ == "dobj" and trigger.head.lower_ in self.lexicon.role("suffer_verb"))
        heads = [trigger, trigger.head] if on_its_verb else [trigger]
        return any(
            child.dep_ == "advmod" and child.lower_ in self.lexicon.role("additive_adverb") for head in heads for child in head.children
        )

    # -- context from sentences without figures ---------------------------------------

    def _update_context(self, sentence: Span, index: LexiconIndex, state: StoryState) -> None:
        """An attack named with its place or time ('a drone attack late Thursday on Kharkiv',
        'the Kyiv attack') sharpens or replaces the current incident; the place or time must
        stand next to the attack word, since the rest of an unparsed sentence may be about
        anything ('pressure on Moscow')."""
        attacks = self.attacks.mentions(sentence, index, parsed=False)
        if not attacks:
            return
        doc = sentence.doc
        candidate = Incident()
        attack = max(attacks, key=lambda mention: len(mention.weapon_families))
        candidate.attack_kind, candidate.weapon, candidate.weapon_families = (
            attack.attack_kind,
            attack.weapon,
            attack.weapon_families,
        )
        near = [(mention.head_i - CONTEXT_REACH_BEFORE, mention.head_i + CONTEXT_REACH_AFTER) for mention in attacks]
        places = [
            place
            for place in self.places.candidates(sentence, index, state)
            if any(low <= place.token_i <= high for low, high in near)
            and self.places.is_locative_by_position(doc[place.token_i], index)
        ]
        if places:
            candidate.place = max(places, key=lambda place: PRECISION_RANK[place.place.precision]).place
        dates = [
            date
            for date in self.dates.candidates(sentence, state)
            if any(low <= date.token_i <= high for low, high in near)
            and not self.dates.follows_speech_verb(doc[date.token_i])
        ]
        if dates:
            candidate.date = dates[0].date
        since = any(mention.since for mention in attacks)
        answered = any(mention.answered for mention in attacks)
        if candidate.place is None and candidate.date is None and not since and not answered:
            # An attack without place or time ('every drone attack proves...') names no incident.
            if state.current is not None and state.current.is_compatible_with(candidate):
                state.current.absorb(candidate)
            return
        join_incident(candidate, state, since=since, answered=answered)

    # -- figures ---------------------------------------------------------------------

    def _read_figures(
        self, paragraph: Paragraph, sentence: Span, figures: list[Figure], index: LexiconIndex, state: StoryState
    ) -> list[PendingRow]:
        doc = sentence.doc
        attacks = self.attacks.mentions(sentence, index, parsed=True)
        places = narrowest(
            [
                place
                for place in self.places.candidates(sentence, index, state)
                if self.places.is_locative_by_parse(doc[place.token_i], index)
            ]
        )
        dates = [
            date
            for date in self.dates.candidates(sentence, state)
            if not self.dates.attached_to_speech(doc[date.token_i]) and not self.dates.attached_to_state(doc[date.token_i])
        ]
        rows: list[PendingRow] = []
        incidents_by_attack: dict[int | None, Incident] = {}
        for figure in figures:
            trigger = doc[figure.trigger_i]
            attack = nearest(attacks, trigger, lambda mention: mention.head_i)
            candidate = Incident()
            if attack is not None:
                candidate.attack_kind, candidate.weapon, candidate.weapon_families = (
                    attack.attack_kind,
                    attack.weapon,
                    attack.weapon_families,
                )
                if not attack.weapon_families:
                    armed = [
                        mention
                        for mention in attacks
                        if mention.weapon_families
                        and tree_distance(doc[mention.head_i], trigger) <= SAME_ATTACK_TREE_DISTANCE
                    ]
                    if armed:
                        candidate.weapon, candidate.weapon_families = armed[0].weapon, armed[0].weapon_families
                        candidate.attack_kind = armed[0].attack_kind
            place = nearest(places, trigger, lambda candidate_place: candidate_place.token_i)
            candidate.place = place.place if place else None
            date, candidate.aftermath_day = self.dates.figure_date(dates, trigger)
            candidate.date = date.date if date else None
            candidate.ongoing = self._is_ongoing(sentence, trigger)
            since = attack is not None and attack.since
            key = attack.head_i if attack is not None else None
            answered = self._counts_answered(sentence, attack, trigger)
            candidate.historical = answered  # so it shares no incident with the reported one's figures
            incident = incidents_by_attack.get(key)
            if incident is None or not incident.is_compatible_with(candidate):
                incident = join_incident(candidate, state, since=since, answered=answered)
                incidents_by_attack[key] = incident
            if state.primary is None and not incident.historical and paragraph.segment.kind == "body":
                state.primary = incident
            rows.append(PendingRow(self._row(paragraph, sentence, figure, index, state), incident, paragraph.segment))
        return rows

    def _counts_answered(self, sentence: Span, attack: AttackMention | None, trigger: Token) -> bool:
        """The figure counts the victims of an incident the reported one answered: its casualty
        word is that incident's name ('in revenge for the killing of three rebels') or hangs
        under it ('in retaliation for Friday's air strike which killed two fighters'; not
        'bombed a bus, killing four people, to avenge the shooting of a commander')."""
        if self.attacks.is_answered(sentence, trigger.i):
            return True
        return attack is not None and attack.answered and sentence.doc[attack.head_i].is_ancestor(trigger)

    def _is_ongoing(self, sentence: Span, trigger: Token) -> bool:
        """A cumulative toll of unrest ('the death toll in the nationwide demonstrations')."""
        return any(
            token.pos_ == "NOUN" and tree_distance(token, trigger) <= 4
            for token in words_in(sentence, self.lexicon.ongoing_nouns)
        )

    def _row(
        self, paragraph: Paragraph, sentence: Span, figure: Figure, index: LexiconIndex, state: StoryState
    ) -> dict[str, Any]:
        segment = paragraph.segment
        doc = sentence.doc
        offset = paragraph.start
        sentence_start = offset + sentence.start_char
        sentence_end = offset + sentence.start_char + len(span_text(sentence).rstrip())
        value_start = offset + doc[figure.value_start].idx
        value_end = offset + doc[figure.value_end - 1].idx + len(doc[figure.value_end - 1].text)
        source = self.attribution.source_of(sentence, figure, index, state.speakers)
        party = source.party if source else None
        is_claim = party is not None and self.attribution.about_enemy(sentence, figure, index, party)
        return {
            "mention_id": mention_id(
                segment.segment_id, value_start, value_end, figure.casualty_type, figure.victim_group
            ),
            "doc_id": segment.doc_id,
            "story_id": segment.story_id,
            "segment_id": segment.segment_id,
            "segment": segment.kind,
            "casualty_type": figure.casualty_type,
            "victim_group": figure.victim_group,
            "value": figure.value,
            "qualifier": figure.qualifier,
            "value_low": figure.value_low,
            "value_high": figure.value_high,
            "value_text": segment.text[value_start:value_end],
            "sentence": segment.text[sentence_start:sentence_end],
            "char_start": sentence_start,
            "char_end": sentence_end,
            "value_start": value_start,
            "value_end": value_end,
            "attributed_to": source.name if source else None,
            "is_claim": is_claim,
            "counts_named_victims": figure.named_victims,
            "counts_all_shot": figure.all_shot,
            "claimant": party.name if is_claim and party is not None else None,
            "is_aggregate": self.running_totals.is_running_total(doc[figure.trigger_i]),
        }

    def _finish_row(self, item: PendingRow, state: StoryState) -> None:
        incident, row = item.incident, item.row
        place = self.places.place_of(incident, state)
        row.update(
            location=place.name if place else None,
            geonameid=place.geonameid if place else None,
            country_code=place.country_code if place else None,
            admin1=place.admin1 if place else None,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            location_precision=place.precision if place else None,
            attack_kind=incident.attack_kind,
            weapon=incident.weapon,
            is_historical=incident.historical,
        )
        dated = self.dates.event_date(incident, item.segment, state)
        row.update(
            event_date=dated.date.start if dated else None,
            event_date_end=dated.date.end if dated else None,
            event_date_precision=dated.date.precision if dated else None,
            event_date_basis=dated.basis if dated else None,
        )


def mention_id(segment_id: str, value_start: int, value_end: int, casualty_type: str, victim_group: str | None) -> str:
    key = f"{segment_id}|{value_start}|{value_end}|{casualty_type}|{victim_group or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
