"""Story context: where and when each figure's incident happened, by what means, who gave
the figure, and whether it is a belligerent's claim or a historical comparison.

A story is walked paragraph by paragraph, sentence by sentence, tracking the current
incident. Parsed sentences (those that passed the prefilter) link each figure to the attack,
place and date nearest to its trigger in the dependency tree; every other sentence only
updates the context with the attacks, places, dates and parties its words name. Incidents
are mutable and shared by the figures that refer to them, so a vague incident ('a central
Ukrainian city') is sharpened by a later sentence ('the strike on Kryvyi Rih') before any
row leaves the story.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, Token

from casualties.dates import SCOPE_KINDS, DateMention, ResolvedDate, find_date_mentions, resolve_date
from casualties.extract.attribution import Attribution, Speakers
from casualties.extract.figures import Figure, doc_figures
from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.places import COMPASS_DIRECTIONS, Gazetteer, Place, RegionCode

if TYPE_CHECKING:
    from casualties.extract import SegmentInput

# An incident dated this long before the story is an earlier event cited for comparison.
HISTORICAL_AFTER_DAYS = 30
# Where a story states the day it reports on: its first paragraphs.
LEAD_PARAGRAPHS = 3
# How far (in characters) before a lead's date a verb saying it is not the incident's day
# may stand: 'police said Monday', 'was arrested on Sunday'.
LATER_ACT_REACH = 24
# Figures whose date the text does not give are placed in the week up to the story date.
UNDATED_WINDOW_DAYS = 6
# What a figure's event date rests on (casualty_mentions.event_date_basis).
TEXT_BASIS = "text"  # the story names the day or period
POSTING_BASIS = "posting"  # the date of the caption or post stating the figure
PUBLICATION_BASIS = "publication"  # nothing named: the week up to the story's publication
MAX_TREE_DISTANCE = 99
# An attack word this close to the trigger in the tree describes the same attack
# ('killing 12 ... in a missile and drone attack'); further away it is another one.
SAME_ATTACK_TREE_DISTANCE = 4
# 'since' or 'this year' this close to the trigger in the tree bounds its count ('killed
# since the war began'); further away it belongs to another clause.
RUNNING_TOTAL_TREE_DISTANCE = 2
# How far before a date 'the protests began' may stand.
ONGOING_START_REACH = 80
# In a sentence that is not parsed, a place or date names an attack's incident only this
# close to the attack word (in tokens).
CONTEXT_REACH_BEFORE = 4
CONTEXT_REACH_AFTER = 5
_WORDS = re.compile(r"[a-z]+")
_SENTENCIZER = Sentencizer()
_PRECISION_RANK = {"country": 0, "region": 1, "city": 2}
Candidate = TypeVar("Candidate")


@dataclass
class Incident:
    place: Place | None = None
    date: ResolvedDate | None = None
    attack_kind: str | None = None
    weapon: str | None = None
    weapon_families: frozenset[str] = frozenset()
    historical: bool = False
    ongoing: bool = False

    @property
    def is_empty(self) -> bool:
        return self.place is None and self.date is None and self.attack_kind is None and not self.ongoing

    def is_compatible_with(self, other: Incident) -> bool:
        if self.historical != other.historical:
            return False
        if self.place and other.place and not self.place.is_compatible_with(other.place):
            return False
        if self.date and other.date and (self.date.end < other.date.start or other.date.end < self.date.start):
            return False
        return not (
            self.weapon_families and other.weapon_families and not self.weapon_families & other.weapon_families
        )

    def absorb(self, other: Incident) -> None:
        """Keeps the more precise of each attribute ('Kryvyi Rih' over 'Ukraine', 'Friday' over 'this week')."""
        if other.place and (self.place is None or self.place.contains(other.place)):
            self.place = other.place
        if other.date and (self.date is None or _span_days(other.date) < _span_days(self.date)):
            self.date = other.date
        if len(other.weapon_families) > len(self.weapon_families):
            self.attack_kind, self.weapon, self.weapon_families = other.attack_kind, other.weapon, other.weapon_families
        elif other.attack_kind and self.attack_kind is None:
            self.attack_kind = other.attack_kind
        self.ongoing = self.ongoing or other.ongoing


@dataclass(frozen=True)
class AttackMention:
    head_i: int
    attack_kind: str
    weapon: str | None
    weapon_families: frozenset[str]
    since: bool  # 'the deadliest since last year's July 8 attack'


@dataclass(frozen=True)
class PlaceCandidate:
    token_i: int
    place: Place


@dataclass(frozen=True)
class DateCandidate:
    token_i: int
    date: ResolvedDate


@dataclass(frozen=True)
class EventDate:
    date: ResolvedDate
    basis: str  # TEXT_BASIS, POSTING_BASIS or PUBLICATION_BASIS


@dataclass
class Paragraph:
    segment: SegmentInput
    start: int  # offset of the paragraph in the segment text
    text: str  # kept because `Doc.text` joins the tokens again on every call
    doc: Doc
    parsed: bool = False


@dataclass
class PendingRow:
    row: dict[str, Any]
    incident: Incident
    segment: SegmentInput


@dataclass
class StoryFacts:
    """What the whole story says before any sentence is read: its country, for unrest
    that goes on for weeks the day it began, and the day its lead states in full."""

    main_country: str | None
    ongoing_start: dt.date | None
    dateline: Place | None
    stated_date: dt.date | None = None
    # The divisions the story names, most named first: they settle names shared by several
    # places ('Springfield' in a story about Illinois).
    regions: tuple[RegionCode, ...] = ()
    # The cities the story's body names: where a figure with no place of its own happened
    # when there is only one.
    cities: frozenset[Place] = frozenset()
    # The first town or region the lead names after a preposition of place ('On Tuesday, in
    # Chuvek, Dagestan, ...'): where the story's incident happened when it names several.
    lead_place: Place | None = None
    # The divisions the story names, by a place name or by a party named after one ('a DPR
    # militiaman'): where its figures happened when it names no town.
    region_places: frozenset[Place] = frozenset()


class StoryReader:
    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.role = lexicon.role
        self.attribution = Attribution(lexicon)

    # -- entry point -----------------------------------------------------------------

    def read(self, paragraphs: list[Paragraph]) -> Iterator[dict[str, Any]]:
        if not paragraphs:
            return
        first = paragraphs[0].segment
        indexes = [LexiconIndex(paragraph.doc, self.lexicon) for paragraph in paragraphs]
        facts = self._story_facts(paragraphs, indexes, first.story_date, first.dateline)
        # Without a publication date, the day the lead states is what relative dates count from.
        state = _StoryState(facts=facts, story_date=first.story_date or facts.stated_date)
        pending: list[PendingRow] = []
        previous_segment: str | None = None
        for paragraph, index in zip(paragraphs, indexes):
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
                _SENTENCIZER(paragraph.doc)
            figures = doc_figures(paragraph.doc) if paragraph.parsed else []
            for sentence in paragraph.doc.sents:
                sentence_figures = [figure for figure in figures if sentence.start <= figure.number_i < sentence.end]
                self.attribution.note_parties(sentence, index, state.speakers)
                if paragraph.parsed:
                    self.attribution.note_speaker(sentence, index, state.speakers)
                if sentence_figures:
                    pending.extend(self._read_figures(paragraph, sentence, sentence_figures, index, state))
                else:
                    self._update_context(sentence, index, state)
        for item in pending:
            self._finish_row(item, state)
            yield item.row

    # -- story-wide facts -------------------------------------------------------------

    def _story_facts(
        self, paragraphs: list[Paragraph], indexes: list[LexiconIndex], story_date: dt.date | None, dateline: str | None
    ) -> StoryFacts:
        dateline_place = self.gazetteer.resolve_dateline(dateline)
        counts: Counter[str] = Counter()
        region_counts: Counter[RegionCode] = Counter()
        cities: set[Place] = set()
        if dateline_place is not None:
            counts[dateline_place.country_code] += 1
            if dateline_place.admin1:
                region_counts[dateline_place.country_code, dateline_place.admin1] += 1
        dateline_regions = tuple(region_counts)
        ongoing_start: dt.date | None = None
        locative = self.role("locative_prep")
        lead_place: Place | None = None
        region_places: set[Place] = set()
        body_paragraphs = 0
        for paragraph, index in zip(paragraphs, indexes):
            if paragraph.segment.kind != "body":
                continue
            body_paragraphs += 1
            text = paragraph.text
            party_starts = {paragraph.doc[start].idx for start, _, _ in index.parties}
            mentions = self.gazetteer.find_mentions(
                text, dateline_place.country_code if dateline_place else None, dateline_regions
            )
            for mention in mentions:
                if mention.place.precision == "region":
                    region_places.add(mention.place)
                if mention.start in party_starts or mention.names_a_side:
                    continue
                if mention.place.admin1:
                    region_counts[mention.place.country_code, mention.place.admin1] += 1
                if mention.place.precision == "city":
                    cities.add(mention.place)
                # Every mention counts; one in 'in X' / 'on X' counts twice.
                before = text[max(0, mention.start - 24) : mention.start].lower().split()
                is_locative = bool(before) and (before[-1] in locative or (len(before) > 1 and before[-2] in locative))
                counts[mention.place.country_code] += 2 if is_locative else 1
                if is_locative and lead_place is None and body_paragraphs == 1 and mention.place.precision != "country":
                    lead_place = mention.place
            if ongoing_start is None:
                ongoing_start = self._ongoing_start(paragraph.text, story_date)
        main_country = counts.most_common(1)[0][0] if counts else None
        stated_date = self._stated_date(paragraphs, story_date)
        regions = tuple(region for region, _ in region_counts.most_common())
        return StoryFacts(
            main_country,
            ongoing_start,
            dateline_place,
            stated_date,
            regions,
            frozenset(cities),
            lead_place,
            frozenset(region_places),
        )

    def _stated_date(self, paragraphs: list[Paragraph], story_date: dt.date | None) -> dt.date | None:
        """The first day the story's first paragraphs name ('01/05/2011: ...', 'were shot early
        Sunday'), not after the story's publication nor long before it: the day of the incident
        a story reports on where its figures' sentences name none. A day something was said,
        done after the incident or published ('police said Monday', 'was arrested Sunday',
        'Published Monday, March 24') is not that day. Without a story date only a full date
        (day, month and year) places the day."""
        lead = [paragraph for paragraph in paragraphs if paragraph.segment.kind in ("body", "headline")][:LEAD_PARAGRAPHS]
        later = self.role("speech_verb") | self.role("later_act_verb")
        for paragraph in lead:
            for mention in find_date_mentions(paragraph.text):
                resolved = resolve_date(mention, story_date) if mention.kind not in SCOPE_KINDS else None
                if resolved is None or resolved.precision != "day":
                    continue
                if story_date is not None and not (
                    story_date - dt.timedelta(days=HISTORICAL_AFTER_DAYS) <= resolved.start <= story_date
                ):
                    continue
                before = _WORDS.findall(paragraph.text[max(0, mention.start - LATER_ACT_REACH) : mention.start].lower())
                if not set(before[-2:]) & later:
                    return resolved.start
        return None

    def _ongoing_start(self, text: str, story_date: dt.date | None) -> dt.date | None:
        """'The demonstrations began Dec. 28': the first day of unrest that lasts for weeks."""
        words = set(_WORDS.findall(text.lower()))
        if not words & self.lexicon.ongoing_nouns or not words & self.lexicon.ongoing_start_words:
            return None
        for mention in find_date_mentions(text):
            before = set(_WORDS.findall(text[max(0, mention.start - ONGOING_START_REACH) : mention.start].lower()))
            if before & self.lexicon.ongoing_nouns and before & self.lexicon.ongoing_start_words:
                resolved = resolve_date(mention, story_date)
                if resolved is not None and resolved.precision == "day":
                    return resolved.start
        return None

    # -- context from sentences without figures ---------------------------------------

    def _update_context(self, sentence: Span, index: LexiconIndex, state: _StoryState) -> None:
        """An attack named with its place or time ('a drone attack late Thursday on Kharkiv',
        'the Kyiv attack') sharpens or replaces the current incident; the place or time must
        stand next to the attack word, since the rest of an unparsed sentence may be about
        anything ('pressure on Moscow')."""
        attacks = self._attack_mentions(sentence, index, parsed=False)
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
            for place in self._place_candidates(sentence, index, state)
            if any(low <= place.token_i <= high for low, high in near)
            and self._is_locative_by_position(doc[place.token_i], index)
        ]
        if places:
            candidate.place = max(places, key=lambda place: _PRECISION_RANK[place.place.precision]).place
        dates = [
            date
            for date in self._date_candidates(sentence, state)
            if any(low <= date.token_i <= high for low, high in near)
            and not self._follows_speech_verb(doc[date.token_i])
        ]
        if dates:
            candidate.date = dates[0].date
        since = any(mention.since for mention in attacks)
        if candidate.place is None and candidate.date is None and not since:
            # An attack without place or time ('every drone attack proves...') names no incident.
            if state.current is not None and state.current.is_compatible_with(candidate):
                state.current.absorb(candidate)
            return
        self._merge(candidate, state, since=since)

    # -- figures ---------------------------------------------------------------------

    def _read_figures(
        self, paragraph: Paragraph, sentence: Span, figures: list[Figure], index: LexiconIndex, state: _StoryState
    ) -> list[PendingRow]:
        doc = sentence.doc
        attacks = self._attack_mentions(sentence, index, parsed=True)
        places = _narrowest(
            [
                place
                for place in self._place_candidates(sentence, index, state)
                if self._is_locative_by_parse(doc[place.token_i], index)
            ]
        )
        dates = [
            date
            for date in self._date_candidates(sentence, state)
            if not self._attached_to_speech(doc[date.token_i]) and not self._attached_to_state(doc[date.token_i])
        ]
        rows: list[PendingRow] = []
        incidents_by_attack: dict[int | None, Incident] = {}
        for figure in figures:
            trigger = doc[figure.trigger_i]
            attack = _nearest(attacks, trigger, lambda mention: mention.head_i)
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
                        and _tree_distance(doc[mention.head_i], trigger) <= SAME_ATTACK_TREE_DISTANCE
                    ]
                    if armed:
                        candidate.weapon, candidate.weapon_families = armed[0].weapon, armed[0].weapon_families
                        candidate.attack_kind = armed[0].attack_kind
            place = _nearest(places, trigger, lambda candidate_place: candidate_place.token_i)
            candidate.place = place.place if place else None
            incident_dates = [date for date in dates if not self._attached_to_later_act(doc[date.token_i], trigger)]
            date = _nearest(incident_dates, trigger, lambda candidate_date: candidate_date.token_i)
            candidate.date = date.date if date else None
            candidate.ongoing = self._is_ongoing(sentence, trigger)
            since = attack is not None and attack.since
            key = attack.head_i if attack is not None else None
            incident = incidents_by_attack.get(key)
            if incident is None or not incident.is_compatible_with(candidate):
                incident = self._merge(candidate, state, since=since)
                incidents_by_attack[key] = incident
            if state.primary is None and not incident.historical and paragraph.segment.kind == "body":
                state.primary = incident
            rows.append(PendingRow(self._row(paragraph, sentence, figure, index, state), incident, paragraph.segment))
        return rows

    def _merge(self, candidate: Incident, state: _StoryState, since: bool) -> Incident:
        """Joins a sentence's incident to the one the story is about, or starts a new one."""
        story_date = state.story_date
        if candidate.date and story_date and (since or candidate.date.precision != "week"):
            candidate.historical = _long_before(candidate.date, story_date)
        if since and candidate.date is None:
            candidate.historical = True
        if candidate.historical:
            for earlier in state.historical:
                if earlier.is_compatible_with(candidate):
                    earlier.absorb(candidate)
                    return earlier
            state.historical.append(candidate)
            return candidate
        if state.current is not None and (candidate.is_empty or state.current.is_compatible_with(candidate)):
            state.current.absorb(candidate)
            return state.current
        state.current = candidate
        return candidate

    def _is_ongoing(self, sentence: Span, trigger: Token) -> bool:
        """A cumulative toll of unrest ('the death toll in the nationwide demonstrations')."""
        return any(
            token.lower_ in self.lexicon.ongoing_nouns and token.pos_ == "NOUN" and _tree_distance(token, trigger) <= 4
            for token in sentence
        )

    def _row(
        self, paragraph: Paragraph, sentence: Span, figure: Figure, index: LexiconIndex, state: _StoryState
    ) -> dict[str, Any]:
        segment = paragraph.segment
        doc = sentence.doc
        offset = paragraph.start
        sentence_start = offset + sentence.start_char
        sentence_end = offset + sentence.start_char + len(sentence.text.rstrip())
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
            "is_aggregate": self._is_running_total(doc[figure.trigger_i]),
        }

    def _is_running_total(self, trigger: Token) -> bool:
        """A total over a whole conflict or the year so far, not one incident's toll: '13,000
        killed since the conflict began', 'more than 6,000 people shot this year'. 'The
        deadliest attack since the war began' only compares, and stays the attack's."""
        sentence = trigger.sent
        # 'wounded or killed ... this year': the period bounds the casualty words it is conjoined with.
        conjoined = {trigger, *(child for child in trigger.children if child.dep_ == "conj")}
        if trigger.dep_ == "conj":
            conjoined.add(trigger.head)
        periods = self.role("running_total_period")
        for token in sentence:
            # Only 'since' and a period word can bound a total: the tree distance is the dearer test.
            if (token.lower_ != "since" and token.lower_ not in periods) or _tree_distance(token, trigger) > RUNNING_TOTAL_TREE_DISTANCE:
                continue
            # 'since' heads its object ('since the start of the war') or marks a clause ('since the war began').
            bounded = token.head.subtree if token.dep_ == "mark" else token.subtree
            if token.lower_ == "since":
                bounds_total = any(self._bounds_running_total(word) for word in bounded)
            else:  # 'this year', not 'earlier this year'
                modifiers = {child.lower_ for child in token.children}
                bounds_total = (
                    token.head in conjoined
                    and token.lower_ in periods
                    and bool(modifiers & self.role("running_total_determiner"))
                    and not modifiers & self.role("point_in_period")
                )
            before = sentence.doc[sentence.start : token.i]
            if bounds_total and not any(word.lower_ in self.role("superlative") for word in before):
                return True
        return False

    def _bounds_running_total(self, word: Token) -> bool:
        """'the war', 'last year', but not the year of an age ('a 15-year-old')."""
        doc = word.doc
        in_hyphenated = any(0 <= position < len(doc) and doc[position].text == "-" for position in (word.i - 1, word.i + 1))
        return word.lower_ in self.role("running_total_since") and word.pos_ == "NOUN" and not in_hyphenated

    def _finish_row(self, item: PendingRow, state: _StoryState) -> None:
        incident, row = item.incident, item.row
        place = incident.place or self._default_place(incident, state)
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
        dated = self._event_date(incident, item.segment, state)
        row.update(
            event_date=dated.date.start if dated else None,
            event_date_end=dated.date.end if dated else None,
            event_date_precision=dated.date.precision if dated else None,
            event_date_basis=dated.basis if dated else None,
        )

    def _default_place(self, incident: Incident, state: _StoryState) -> Place | None:
        """Where an incident whose sentences name no place happened: the dateline's city when
        it lies in the story's country (a story filed from the city it reports on), else the
        one city the story names in its country (a web page with no dateline about a
        shooting in one town), else the place its lead opens with ('in Chuvek, Dagestan'),
        else the one division it names (by a party too: 'a DPR militiaman'), else the
        story's country."""
        facts = state.facts
        regions = [region for region in facts.region_places if facts.main_country in (None, region.country_code)]
        main_country = facts.main_country or (regions[0].country_code if len(regions) == 1 else None)
        if not incident.historical:
            dateline = facts.dateline
            if dateline is not None and dateline.precision == "city" and dateline.country_code == main_country:
                return dateline
            cities = [city for city in facts.cities if city.country_code == main_country]
            if len(cities) == 1:
                return cities[0]
            if facts.lead_place is not None and facts.lead_place.country_code == main_country:
                return facts.lead_place
            if len(regions) == 1:
                return regions[0]
        return self.gazetteer.country(main_country)

    def _event_date(self, incident: Incident, segment: SegmentInput, state: _StoryState) -> EventDate | None:
        story_date = state.story_date
        if incident.ongoing and story_date is not None:
            stated_period = incident.date if incident.date and incident.date.precision == "period" else None
            start = state.facts.ongoing_start or (stated_period.start if stated_period else None)
            if start is not None and start < story_date:
                return EventDate(ResolvedDate(start, story_date, "period"), TEXT_BASIS)
        if incident.date is not None:
            return EventDate(incident.date, TEXT_BASIS)
        if segment.segment_date is not None and segment.kind != "body":
            return EventDate(ResolvedDate(segment.segment_date, segment.segment_date, "day"), POSTING_BASIS)
        if incident.historical:
            return None
        if state.facts.stated_date is not None:
            return EventDate(ResolvedDate(state.facts.stated_date, state.facts.stated_date, "day"), TEXT_BASIS)
        if story_date is None:
            return None
        window = ResolvedDate(story_date - dt.timedelta(days=UNDATED_WINDOW_DAYS), story_date, "week")
        return EventDate(window, PUBLICATION_BASIS)

    # -- attacks, places, dates --------------------------------------------------------

    def _attack_mentions(self, sentence: Span, index: LexiconIndex, parsed: bool) -> list[AttackMention]:
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
            mentions.append(AttackMention(head_i, kind, weapon_text, frozenset(families), since))
        return mentions

    def _joined(self, doc: Doc, start: int, end: int) -> bool:
        """Only modifiers, 'and' and hyphens between a weapon word and the attack noun."""
        return all(
            token.lower_ in ("and", "-", ",", "/")
            or token.lower_ in self.lexicon.weapons
            or (not token.is_stop and token.is_alpha and token.pos_ in ("ADJ", "NOUN", ""))
            for token in doc[start:end]
        )

    def _place_candidates(self, sentence: Span, index: LexiconIndex, state: _StoryState) -> list[PlaceCandidate]:
        doc = sentence.doc
        hint = self._context_country(state)
        candidates: list[PlaceCandidate] = []
        party_tokens = {position for start, end, _ in index.parties for position in range(start, end)}
        for mention in self.gazetteer.find_mentions(sentence.text, hint, state.facts.regions):
            if mention.names_a_side:
                continue
            span = doc.char_span(
                sentence.start_char + mention.start, sentence.start_char + mention.end, alignment_mode="expand"
            )
            if span is not None and span.start not in party_tokens:  # 'Hamas' is no spelling of Hamm
                head_i = span.root.i if doc.has_annotation("DEP") else span.end - 1
                candidates.append(PlaceCandidate(head_i, mention.place))
        named = {candidate.token_i for candidate in candidates}
        # 'Ukrainian soldier killed in rebel east': without a named place, the nation its
        # words name is the country the story is about.
        nation_codes = [nation.country_code for start, _, nation in index.nations if sentence.start <= start < sentence.end]
        country_of_parts = hint or (nation_codes[0] if nation_codes else None)
        for token in sentence:
            area = self._part_of_country(token, country_of_parts)
            if area is not None:
                candidates.append(PlaceCandidate(token.i, area))  # 'killed in the rebel east'
                continue
            if token.lower_ not in self.role("place_noun"):
                continue
            if any(
                (child.dep_ == "prep" and child.lower_ == "of" and any(pobj.i in named for pobj in child.children))
                or (child.dep_ == "appos" and child.i in named)
                for child in token.children
            ):
                continue  # 'the central Ukrainian city of Dnipro': the city is named, not just its country
            nations = [index.nation_at(doc[position]) for position in range(max(sentence.start, token.i - 2), token.i)]
            nation = next((nation for nation in nations if nation is not None), None)
            if token.lower_ in self.role("capital_noun"):
                # 'the Ukrainian capital', 'in the capital city': the capital of the story's country.
                capital = self.gazetteer.capital(nation.country_code if nation else hint)
                if capital is not None and (nation is not None or (token.i > 0 and doc[token.i - 1].lower_ == "the")):
                    head = token.head if token.dep_ == "compound" else token
                    candidates.append(PlaceCandidate(head.i, capital))
            elif nation is not None:
                country = self.gazetteer.country(nation.country_code)
                if country is not None:
                    candidates.append(PlaceCandidate(token.i, country))  # 'a central Ukrainian city'
        return candidates

    def _part_of_country(self, token: Token, country_code: str | None) -> Place | None:
        """'in the east', 'in Ukraine's rebel east': a direction standing alone as a noun (not
        'east Ukraine' or 'East Orange', which the gazetteer reads) names that part of the
        story's country."""
        if country_code is None or not token.is_lower or token.lower_ not in COMPASS_DIRECTIONS:
            return None
        following = token.nbor(1) if token.i + 1 < len(token.doc) else None
        if following is not None and (following.is_title or following.is_upper):
            return None
        return self.gazetteer.part_of_country(country_code, token.lower_)

    def _context_country(self, state: _StoryState) -> str | None:
        if state.current is not None and state.current.place is not None:
            return state.current.place.country_code
        return state.facts.main_country or (state.facts.dateline.country_code if state.facts.dateline else None)

    def _is_locative_by_parse(self, token: Token, index: LexiconIndex) -> bool:
        for _ in range(3):
            head = token.head
            if token.dep_ == "pobj" and head.lower_ in self.role("locative_prep"):
                return True
            if token.dep_ in ("compound", "nmod", "poss", "amod") and (
                head.i in index.attacks
                or head.lower_ in self.role("place_noun")
                or (head.dep_ == "pobj" and head.head.lower_ in self.role("locative_prep"))
            ):
                return True  # 'the Kyiv attack', 'Kyiv city', 'at Donetsk airport'
            if token.dep_ == "dobj" and head.lower_ in self.lexicon.attack_verbs:
                return True  # 'pounded Kyiv'
            if head.i in index.triggers or head.i in index.attacks:
                return True  # a place hanging straight off the trigger or the attack
            if token.dep_ in ("appos", "conj", "npadvmod", "poss") and head != token:
                token = head  # 'Kharkiv, Ukraine's second-largest city', 'at Maiduguri's market'
                continue
            return False
        return False

    def _is_locative_by_position(self, token: Token, index: LexiconIndex) -> bool:
        doc = token.doc
        locative = self.role("locative_prep")
        before = [doc[position].lower_ for position in range(max(0, token.i - 2), token.i)]
        if before and before[-1] in locative:
            return True
        if len(before) == 2 and before[0] in locative and doc[token.i - 1].is_lower:
            return True  # 'in eastern Ukraine', 'on the Kyiv region'
        return token.i + 1 < len(doc) and (token.i + 1) in index.attacks  # 'the Kyiv attack'

    def _date_candidates(self, sentence: Span, state: _StoryState) -> list[DateCandidate]:
        doc = sentence.doc
        candidates: list[DateCandidate] = []
        for mention in find_date_mentions(sentence.text):
            reference = state.reference_date or state.story_date
            resolved = resolve_date(mention, reference)
            if resolved is None or (reference and resolved.start > reference):
                continue
            if mention.kind in SCOPE_KINDS and not (reference and _long_before(resolved, reference)):
                continue  # 'this year' scopes a total or a superlative; 'in 2009', 'last year' date a past one
            span = doc.char_span(
                sentence.start_char + mention.start, sentence.start_char + mention.end, alignment_mode="expand"
            )
            if span is None:
                continue
            since = self._since_role(sentence, mention, span)
            if since == "scope":
                continue  # 'the deadliest day since March'
            if since == "start" and state.story_date:
                resolved = ResolvedDate(resolved.start, state.story_date, "period")  # 'killed since March'

            root = span.root if doc.has_annotation("DEP") else span[0]
            candidates.append(DateCandidate(root.i, resolved))
        return candidates

    def _since_role(self, sentence: Span, mention: DateMention, span: Span) -> str | None:
        """What 'since' does to a date: 'killed since March' counts from it ('start'); 'the
        deadliest day since March' only compares with it ('scope'); in 'since last year's July 8
        attack' it belongs to that attack (None, like a date without 'since')."""
        before = sentence.text[: mention.start].rstrip().lower()
        if not (mention.text.lower().startswith("since") or before.endswith("since")):
            return None
        if re.match(r",?\s*when\b", sentence.text[mention.end :].lower()):
            return None  # 'the deadliest since March 15, 2024, when a strike killed 21': that day's own event
        following = span.doc[span.end] if span.end < len(span.doc) else None
        if following is not None and (following.pos_ in ("NOUN", "PROPN") or following.lower_ in self.lexicon.attacks):
            return None
        preceding = _WORDS.findall(before.removesuffix("since"))[-4:]
        return "scope" if set(preceding) & self.role("superlative") else "start"

    def _attached_to_state(self, token: Token) -> bool:
        """'18 remained in hospital on Sunday': when a state held, not when the incident was."""
        verb = _governing_verb(token)
        return verb is not None and verb.lower_ in self.role("state_verb")

    def _attached_to_later_act(self, token: Token, trigger: Token) -> bool:
        """'a man was arrested Tuesday in the shooting that wounded three': when an act that
        follows the incident (an arrest, a charge, a trial) was done, unless that act is what
        the figure counts ('200 protesters were arrested on Saturday')."""
        verb = _governing_verb(token)
        return verb is not None and verb != trigger and verb.lower_ in self.role("later_act_verb")

    def _attached_to_speech(self, token: Token) -> bool:
        """'activists said Monday': the day something was said, not when it happened."""
        speech = self.role("speech_verb")
        current = token
        for _ in range(6):
            if current.head == current:
                return current.lower_ in speech
            current = current.head
            if current.pos_ in ("VERB", "AUX"):
                return current.lower_ in speech
        return False

    def _follows_speech_verb(self, token: Token) -> bool:
        doc = token.doc
        before = [doc[position].lower_ for position in range(max(0, token.i - 2), token.i)]
        return any(word in self.role("speech_verb") for word in before)


@dataclass
class _StoryState:
    facts: StoryFacts
    story_date: dt.date | None
    reference_date: dt.date | None = None  # what relative dates count from: the story's or a post's date
    current: Incident | None = None
    primary: Incident | None = None
    historical: list[Incident] = field(default_factory=list)
    speakers: Speakers = field(default_factory=Speakers)



def mention_id(segment_id: str, value_start: int, value_end: int, casualty_type: str, victim_group: str | None) -> str:
    key = f"{segment_id}|{value_start}|{value_end}|{casualty_type}|{victim_group or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _span_days(date: ResolvedDate) -> int:
    return (date.end - date.start).days


def _governing_verb(token: Token) -> Token | None:
    """The first verb above a token in the tree, within six steps."""
    current = token
    for _ in range(6):
        if current.head == current:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None


def _path_to_root(token: Token) -> list[Token]:
    path = [token]
    while path[-1].head != path[-1]:
        path.append(path[-1].head)
    return path


def _tree_distance(first: Token, second: Token) -> int:
    depth_of = {token.i: depth for depth, token in enumerate(_path_to_root(first))}
    for depth, token in enumerate(_path_to_root(second)):
        if token.i in depth_of:
            return depth_of[token.i] + depth
    return MAX_TREE_DISTANCE


def _narrowest(candidates: list[PlaceCandidate]) -> list[PlaceCandidate]:
    """Without the places that hold another candidate: in 'in Nalchik, Kabardino-Balkariya,
    Russia' the town is where it happened, the region and country only say where it lies."""
    return [
        candidate
        for candidate in candidates
        if not any(other.place != candidate.place and candidate.place.contains(other.place) for other in candidates)
    ]


def _nearest(candidates: list[Candidate], trigger: Token, position: Callable[[Candidate], int]) -> Candidate | None:
    """The candidate closest to the trigger in the dependency tree; the nearer word breaks ties."""
    if not candidates:
        return None
    doc = trigger.doc
    return min(
        candidates,
        key=lambda candidate: (
            _tree_distance(doc[position(candidate)], trigger),
            abs(position(candidate) - trigger.i),
        ),
    )


def _long_before(date: ResolvedDate, story_date: dt.date) -> bool:
    """A day, month or year over well before the story: a past incident's ('in 2009, a
    gunman killed 13'), not the one reported."""
    return (story_date - date.end).days > HISTORICAL_AFTER_DAYS
