"""The places a story's sentences name: candidates for where a figure's incident happened,
whether a name stands where a place of an event stands ('in Kharkiv', 'the Kyiv attack'),
and where an incident happened when its sentences name no place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.extract.words import span_text, words_in
from casualties.places import COMPASS_DIRECTIONS, Gazetteer, Place, name_key

if TYPE_CHECKING:
    from casualties.extract.incidents import Incident, StoryState

PRECISION_RANK = {"country": 0, "region": 1, "city": 2}


@dataclass(frozen=True)
class PlaceCandidate:
    token_i: int
    place: Place


class PlaceReader:
    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.role = lexicon.role
        # The words that name a part of a country or a place by a noun ('the east', 'the war
        # zone', 'the city'): the others are passed over by their form alone.
        self._area_words = COMPASS_DIRECTIONS | self.role("zone_noun") | self.role("place_noun")

    def candidates(self, sentence: Span, index: LexiconIndex, state: StoryState) -> list[PlaceCandidate]:
        doc = sentence.doc
        hint = self.context_country(state)
        candidates: list[PlaceCandidate] = []
        party_tokens = {position for start, end, _ in index.parties for position in range(start, end)}
        for mention in self.gazetteer.find_mentions(span_text(sentence), hint, state.facts.regions):
            if mention.names_a_side or name_key(mention.text) in state.facts.surnames:
                continue
            if (
                mention.is_aside
                and state.facts.names_scenes
                and mention.place != state.facts.dateline
                and mention.place not in state.facts.cities
            ):
                continue  # 'TAMPA - John Doe, 34, of Smalltown, died': killed in Tampa
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
        for token in words_in(sentence, self._area_words):
            area = self._part_of_country(token, country_of_parts) or self._war_zone(token, country_of_parts, state)
            if area is not None:
                candidates.append(PlaceCandidate(token.i, area))  # 'killed in the rebel east', 'in the war zone'
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
                # 'an eastern Ukrainian town': the part of the country the lexicon lists, else
                # the country ('a central Ukrainian city').
                directions = [
                    word.lower_.removesuffix("ern")
                    for word in doc[max(sentence.start, token.i - 3) : token.i]
                    if word.lower_.removesuffix("ern") in COMPASS_DIRECTIONS
                ]
                area = self.gazetteer.part_of_country(nation.country_code, directions[0]) if directions else None
                country = area or self.gazetteer.country(nation.country_code)
                if country is not None:
                    candidates.append(PlaceCandidate(token.i, country))
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

    def _war_zone(self, token: Token, country_code: str | None, state: StoryState) -> Place | None:
        """'killed in the war zone', 'in the combat zone': the area the story's country was at
        war in then, if the lexicon lists one; a story naming no country speaks of the one war
        the lexicon lists for that day."""
        if token.lower_ not in self.role("zone_noun") or token.i == 0:
            return None
        if token.nbor(-1).lower_ not in self.role("war_zone_modifier"):
            return None
        if country_code is None:
            return self.gazetteer.sole_war_zone(state.story_date)
        return self.gazetteer.war_zone(country_code, state.story_date)

    def context_country(self, state: StoryState) -> str | None:
        if state.current is not None and state.current.place is not None:
            return state.current.place.country_code
        return state.facts.main_country or (state.facts.dateline.country_code if state.facts.dateline else None)

    def is_locative_by_parse(self, token: Token, index: LexiconIndex) -> bool:
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

    def is_locative_by_position(self, token: Token, index: LexiconIndex) -> bool:
        doc = token.doc
        locative = self.role("locative_prep")
        before = [doc[position].lower_ for position in range(max(0, token.i - 2), token.i)]
        if before and before[-1] in locative:
            return True
        if len(before) == 2 and before[0] in locative and doc[token.i - 1].is_lower:
            return True  # 'in eastern Ukraine', 'on the Kyiv region'
        return token.i + 1 < len(doc) and (token.i + 1) in index.attacks  # 'the Kyiv attack'

    def default_place(self, incident: Incident, state: StoryState) -> Place | None:
        """Where an incident whose sentences name no place happened: the dateline's city when
        it lies in the story's country (a story filed from the city it reports on), else the
        one city the story names in its country (a web page with no dateline about a
        shooting in one town), else the place its lead opens with ('in Chuvek, Dagestan'),
        else the one division it names (by a party too: 'a DPR militiaman'), or the one
        that lies in every other it names ('a Donbass soldier ... DPR says'), else the
        area the story's country was at war in that year, else the story's country."""
        facts = state.facts
        regions = [region for region in facts.region_places if facts.main_country in (None, region.country_code)]
        innermost = [region for region in regions if all(other.contains(region) for other in regions)]
        main_country = facts.main_country or (innermost[0].country_code if len(innermost) == 1 else None)
        if not incident.historical:
            dateline = facts.dateline
            if dateline is not None and dateline.precision == "city" and dateline.country_code == main_country:
                return dateline
            cities = [city for city in facts.cities if city.country_code == main_country]
            if len(cities) == 1:
                return cities[0]
            if facts.lead_place is not None and facts.lead_place.country_code == main_country:
                return facts.lead_place
            if len(innermost) == 1:
                return innermost[0]
            war_zone = self.gazetteer.war_zone(main_country or facts.nation_country, _incident_day(incident, state))
            if war_zone is not None:
                return war_zone
        return self.gazetteer.country(main_country)

    def place_of(self, incident: Incident, state: StoryState) -> Place | None:
        """The incident's own place, else the story's (default_place); a country at war in
        one area only ('killed in Ukraine' in 2016) stands for that area, and a division
        holding the one town the story names there ('a Tennessee shooting' in a story about
        Memphis) stands for that town."""
        place = incident.place
        if place is None:
            return self.default_place(incident, state)
        if place.precision == "country" and not incident.historical:
            return self.gazetteer.war_zone(place.country_code, _incident_day(incident, state)) or place
        if place.precision == "region" and place.admin1 and not incident.historical:
            towns = [city for city in state.facts.cities if place.contains(city)]
            if len(towns) == 1:
                return towns[0]
        return place


def _incident_day(incident: Incident, state: StoryState) -> dt.date | None:
    return incident.date.start if incident.date else state.story_date


def narrowest(candidates: list[PlaceCandidate]) -> list[PlaceCandidate]:
    """Without the places that hold another candidate: in 'in Nalchik, Kabardino-Balkariya,
    Russia' the town is where it happened, the region and country only say where it lies."""
    return [
        candidate
        for candidate in candidates
        if not any(other.place != candidate.place and candidate.place.contains(other.place) for other in candidates)
    ]
