"""What a whole story says before any of its sentences is read for figures: the country it
is about, its dateline, the divisions and towns it names, the place its lead opens with,
the day its lead states, and for unrest that goes on for weeks the day it began."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from casualties.dates import SCOPE_KINDS, DateMention, find_date_mentions, resolve_date
from casualties.extract.attacks import AttackReader
from casualties.extract.incidents import HISTORICAL_AFTER_DAYS
from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.places import Gazetteer, Place, RegionCode, name_key

if TYPE_CHECKING:
    from casualties.extract import SegmentInput

# Where a story states the day it reports on: its first paragraphs.
LEAD_PARAGRAPHS = 3
# How far (in characters) before a lead's date a verb saying it is not the incident's day
# may stand: 'police said Monday', 'was arrested on Sunday'.
LATER_ACT_REACH = 24
# How far before a date 'the protests began' may stand.
ONGOING_START_REACH = 80
_WORDS = re.compile(r"[a-z]+")
# A date that modifies the incident's noun: 'the June 2 shooting', 'the boy's Nov. 2 murder'.
_DETERMINER_BEFORE = re.compile(r"(?:\b[Tt]he|['’]s)\s+$")
# The noun may follow a modifier or two: 'the June 28 fatal shooting'.
_WORDS_AFTER = re.compile(r",?((?:\s+[a-z-]+\b){1,3})")
# A weekday whose incident the story names by it: "Friday's triple murder".
_POSSESSIVE_WORDS_AFTER = re.compile(r"['’]s((?:\s+[a-z-]+\b){1,3})")
# A clause that says when the incident took place: 'The shooting happened ... on May 30',
# 'The shooting happened around 12 a.m. Tuesday', and with the pronoun news uses once the
# lead has told what happened, 'It happened on Nov. 21' (a follow-up's charges or trial
# come first). The date follows within a few words: one further on ('took place during the
# shutdown called to mourn the militants killed on 08/09') dates something else.
_HAPPENED = re.compile(
    r"\b(?:[Tt]he\s+(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z]+)|(?P<pronoun>[Ii]t)(?:\s+all)?)\s+(?:happened|occurred|took place)\b"
    r"(?:[^.]|\b[ap]\.m\.){0,60}$"
)

# Words just before a lead's date that make it the day a court heard a follow-up's case
# ('appeared in court Monday', 'in District Court on Tuesday', 'at a bond hearing Friday',
# 'was found guilty, Wednesday', 'testified Thursday'): news of the case, never the day of its
# incident. A court with neither a preposition nor a kind of court before it is a place ('on a
# basketball court Sunday', 'on Maple Court Sunday').
_COURT_DAY_BEFORE = re.compile(
    r"(?:\b(?i:in|into|to|before|bond|juvenile)\s+court"
    r"|\b(?:District|Superior|Circuit|County|Municipal|Supreme|Criminal|Magistrate|Magistrates|Family|Juvenile|Federal|Crown)\s+Court"
    r"|\b(?i:hearing|trial|guilty|testified|arraignment|sentencing|verdict))"
    r",?\s+(?:on\s+)?$"
)
# How far before a date its court words may stand.
COURT_DAY_REACH = 40


@dataclass
class Paragraph:
    segment: SegmentInput
    start: int  # offset of the paragraph in the segment text
    text: str  # kept because `Doc.text` joins the tokens again on every call
    doc: Doc
    parsed: bool = False


@dataclass
class StoryFacts:
    """What the whole story says before any sentence is read: its country, for unrest
    that goes on for weeks the day it began, and the day its lead states in full."""

    main_country: str | None
    ongoing_start: dt.date | None
    dateline: Place | None
    stated_date: dt.date | None = None
    # The day the story says its incident happened ('The shooting happened ... Tuesday', 'charged
    # in the June 2 shooting'), however long ago: a later day a figure's sentence names (a
    # death's, the arrests') is not the incident's.
    incident_day: dt.date | None = None
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
    # Town names the story gives a person ('Andrey Orlov ... Orlov was injured').
    surnames: frozenset[str] = frozenset()
    # The country the story's nation words or governments name most ('three Ukrainian
    # soldiers', 'Kiev reports').
    nation_country: str | None = None
    # The story names where things happened (a dateline, a town not only someone's home or
    # hospital): a home town ('John Doe, 34, of Smalltown') then places nothing.
    names_scenes: bool = False


class StoryFactsReader:
    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.role = lexicon.role
        self.attacks = AttackReader(lexicon)
        # Words before a town's name that make no person of it ('Ukrainian Avdiivka', 'DPR Donetsk').
        self.not_given_names = frozenset(lexicon.nations) | frozenset(lexicon.named_parties) | frozenset(lexicon.party_bodies)

    def read(
        self, paragraphs: list[Paragraph], indexes: list[LexiconIndex], story_date: dt.date | None, dateline: str | None
    ) -> StoryFacts:
        dateline_place = self.gazetteer.resolve_dateline(dateline)
        counts: Counter[str] = Counter()
        region_counts: Counter[RegionCode] = Counter()
        cities: set[Place] = set()
        aside_towns: set[Place] = set()
        if dateline_place is not None:
            counts[dateline_place.country_code] += 1
            if dateline_place.admin1:
                region_counts[dateline_place.country_code, dateline_place.admin1] += 1
        country_hint = dateline_place.country_code if dateline_place else None
        body_texts = [paragraph.text for paragraph in paragraphs if paragraph.segment.kind == "body"]
        mentions_of = {text: self.gazetteer.find_mentions(text, country_hint, tuple(region_counts)) for text in body_texts}
        # The divisions the headline and body name settle which of its towns' namesakes it
        # means: 'the shootings in Bristol' of a story about a Tennessee highway are Bristol,
        # Tennessee's; 'a bar in Odessa' under 'shooting at Texas bar' is Odessa, Texas.
        # Read again where they add to the dateline's, and only paragraphs naming a town: the
        # hints choose among a town's namesakes (most stories name no other division).
        headline_mentions = [
            self.gazetteer.find_mentions(paragraph.text, country_hint, tuple(region_counts))
            for paragraph in paragraphs
            if paragraph.segment.kind == "headline"
        ]
        named_regions = tuple(
            dict.fromkeys(
                (mention.place.country_code, mention.place.admin1)
                for mentions in [*headline_mentions, *mentions_of.values()]
                for mention in mentions
                if mention.place.precision == "region" and mention.place.admin1 and not mention.names_a_side
            )
        )
        region_hints = tuple(region_counts) + tuple(code for code in named_regions if code not in region_counts)
        if len(region_hints) > len(region_counts):
            mentions_of = {
                text: self.gazetteer.find_mentions(text, country_hint, region_hints)
                if any(mention.place.precision == "city" for mention in mentions)
                else mentions
                for text, mentions in mentions_of.items()
            }
        ongoing_start: dt.date | None = None
        locative = self.role("locative_prep")
        lead_place: Place | None = None
        region_places: set[Place] = set()
        nation_counts: Counter[str] = Counter()
        body_paragraphs = 0
        body = [paragraph for paragraph in paragraphs if paragraph.segment.kind == "body"]
        surnames = frozenset(
            name for paragraph in body for name in self.gazetteer.surnames(paragraph.text, self.not_given_names)
        )
        for paragraph, index in zip(paragraphs, indexes):
            if paragraph.segment.kind != "body":
                continue
            body_paragraphs += 1
            text = paragraph.text
            party_starts = {paragraph.doc[start].idx for start, _, _ in index.parties}
            nation_counts.update(nation.country_code for _, _, nation in index.nations)
            for mention in mentions_of[text]:
                if name_key(mention.text) in surnames:
                    continue
                if mention.place.precision == "region":
                    region_places.add(mention.place)
                if mention.names_a_side and mention.place.precision == "city":
                    # 'Kiev reports': a capital speaking for its government names its country as a nation word does.
                    nation_counts[mention.place.country_code] += 1
                if mention.start in party_starts or (mention.names_a_side and mention.place.precision != "country"):
                    continue  # 'Ukraine says' is no place, but still the story's country
                if mention.place.admin1:
                    region_counts[mention.place.country_code, mention.place.admin1] += 1
                if mention.place.precision == "city":
                    (aside_towns if mention.is_aside else cities).add(mention.place)
                # Every mention counts; one in 'in X' / 'on X' counts twice.
                before = text[max(0, mention.start - 24) : mention.start].lower().split()
                is_locative = bool(before) and (before[-1] in locative or (len(before) > 1 and before[-2] in locative))
                counts[mention.place.country_code] += 2 if is_locative else 1
                if (
                    is_locative
                    and lead_place is None
                    and body_paragraphs == 1
                    and mention.place.precision != "country"
                    and not mention.is_aside
                ):
                    lead_place = mention.place
            if ongoing_start is None:
                ongoing_start = self._ongoing_start(paragraph.text, story_date)
        main_country = counts.most_common(1)[0][0] if counts else None
        names_scenes = dateline_place is not None or bool(cities)
        text = [paragraph for paragraph in paragraphs if paragraph.segment.kind in ("body", "headline")]
        told_days = self._dated_incident_days(text, story_date)
        stated_date = told_days[0] if told_days else self._stated_date(text, story_date)
        # A story that names two incidents by their days ('charged in the May 3 killing and the
        # May 10 home invasion') does not say which one its figures are of.
        incident_day = told_days[0] if len(set(told_days)) == 1 else None
        regions = tuple(region for region, _ in region_counts.most_common())
        return StoryFacts(
            main_country,
            ongoing_start,
            dateline_place,
            stated_date,
            incident_day,
            regions,
            frozenset(cities) if names_scenes else frozenset(aside_towns),
            lead_place,
            frozenset(region_places),
            surnames,
            nation_counts.most_common(1)[0][0] if nation_counts else None,
            names_scenes,
        )

    def _stated_date(self, paragraphs: list[Paragraph], story_date: dt.date | None) -> dt.date | None:
        """The first day the story's first paragraphs name ('01/05/2011: ...', 'were shot early
        Sunday'), not after the story's publication nor long before it: the day of the incident
        a story reports on where its figures' sentences name none. A day something was said,
        done after the incident, heard in court or published ('police said Monday', 'was arrested
        Sunday', 'appeared in court Monday', 'Published Monday, March 24') is not that day; nor
        is a day a victim died ('who died on Thursday') when the lead goes on to give an earlier
        one. A day the story gives the incident itself ('charged in the June 2 shooting') comes
        first, however long ago (the caller asks _dated_incident_days first). Without a story
        date only a full date (day, month and year) places the day."""
        later = self.role("speech_verb") | self.role("later_act_verb") | self.role("later_act_phrase")
        death = self.role("death_verb")
        death_day: dt.date | None = None
        for paragraph in paragraphs[:LEAD_PARAGRAPHS]:
            for mention in find_date_mentions(paragraph.text):
                resolved = resolve_date(mention, story_date) if mention.kind not in SCOPE_KINDS else None
                if resolved is None or resolved.precision != "day":
                    continue
                if story_date is not None and not (
                    story_date - dt.timedelta(days=HISTORICAL_AFTER_DAYS) <= resolved.start <= story_date
                ):
                    continue
                last_words = _WORDS.findall(paragraph.text[max(0, mention.start - LATER_ACT_REACH) : mention.start].lower())[-2:]
                before = {*last_words, " ".join(last_words)}  # and the two as one phrase: 'under way'
                if before & later or _COURT_DAY_BEFORE.search(paragraph.text[max(0, mention.start - COURT_DAY_REACH) : mention.start]):
                    continue
                if death_day is None and before & death:
                    # 'a teen who died on Thursday ... was struck on July 12': a victim died
                    # after the day the lead goes on to give the incident.
                    death_day = resolved.start
                    continue
                if death_day is None or resolved.start < death_day:
                    return resolved.start
        return death_day

    def _dated_incident_days(self, paragraphs: list[Paragraph], story_date: dt.date | None) -> list[dt.date]:
        """'was charged Monday in the June 2 shooting', 'the shooting happened ... on June 2': a
        follow-up names its incident by the day it happened, whenever that was and wherever in
        the story; that day, not the arrest's or the court's, is the incident's. The days in
        the order the story names them."""
        nouns = frozenset(self.lexicon.attacks) | self.role("dated_incident_noun")
        days = []
        for paragraph in paragraphs:
            for mention in find_date_mentions(paragraph.text):
                if not dates_the_incident(paragraph.text, mention, nouns) or self._dates_an_answered_incident(paragraph, mention):
                    continue
                resolved = resolve_date(mention, story_date)
                if resolved is not None and resolved.precision == "day" and (story_date is None or resolved.start <= story_date):
                    days.append(resolved.start)
        return days

    def _dates_an_answered_incident(self, paragraph: Paragraph, mention: DateMention) -> bool:
        """'in retaliation for Tuesday's bombing', 'to avenge the June 2 killing': the day of an
        earlier incident the reported one answered, not the reported one's."""
        date = paragraph.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return date is not None and self.attacks.is_answered(paragraph.doc[:], date.start)

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


def dates_the_incident(text: str, mention: DateMention, nouns: frozenset[str]) -> bool:
    """A date in a clause saying when the incident took place ('The shooting happened ... on
    Friday', 'It happened on Nov. 21'), a weekday the incident is named by ("Friday's
    shooting"), or a full date that modifies the incident's noun ('the June 2 shooting')."""
    happened = _HAPPENED.search(text[: mention.start])
    if happened is not None and (happened.group("pronoun") is not None or happened.group("noun") in nouns):
        return True
    if mention.kind == "weekday":
        possessive = _POSSESSIVE_WORDS_AFTER.match(text, mention.end)
        return possessive is not None and bool(set(possessive.group(1).split()) & nouns)
    if mention.kind not in ("month_day", "day_month", "numeric", "holiday"):
        return False
    following = _WORDS_AFTER.match(text, mention.end)
    return (
        following is not None
        and bool(set(following.group(1).split()) & nouns)
        and _DETERMINER_BEFORE.search(text[: mention.start]) is not None
    )
