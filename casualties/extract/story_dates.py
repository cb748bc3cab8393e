"""The dates a story's sentences name for its incidents ('late Thursday', 'since March'),
which of them are not the incident's day ('police said Monday', 'was arrested Tuesday'),
and the date each incident gets, with what it rests on (casualty_mentions.event_date_basis)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from casualties.dates import SCOPE_KINDS, DateMention, ResolvedDate, find_date_mentions, resolve_date
from casualties.extract.incidents import long_before
from casualties.extract.lexicon import Lexicon
from casualties.extract.tree import governing_verb, nearest
from casualties.extract.words import span_text

if TYPE_CHECKING:
    from casualties.extract import SegmentInput
    from casualties.extract.incidents import Incident, StoryState

# Figures whose date the text does not give are placed in the week up to the story date.
UNDATED_WINDOW_DAYS = 6
# The vaguer spans a sentence dates its news by ('this week', 'last month').
NEWS_SPANS = ("week", "month")
# What a figure's event date rests on (casualty_mentions.event_date_basis).
TEXT_BASIS = "text"  # the story names the day or period
POSTING_BASIS = "posting"  # the date of the caption or post stating the figure
PUBLICATION_BASIS = "publication"  # nothing named: the week up to the story's publication
_WORDS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class DateCandidate:
    token_i: int
    date: ResolvedDate


@dataclass(frozen=True)
class EventDate:
    date: ResolvedDate
    basis: str  # TEXT_BASIS, POSTING_BASIS or PUBLICATION_BASIS


class DateReader:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.role = lexicon.role

    def candidates(self, sentence: Span, state: StoryState) -> list[DateCandidate]:
        doc = sentence.doc
        candidates: list[DateCandidate] = []
        for mention in find_date_mentions(span_text(sentence)):
            reference = state.reference_date or state.story_date
            resolved = resolve_date(mention, reference)
            if resolved is None or (reference and resolved.start > reference):
                continue
            if mention.kind in SCOPE_KINDS and not (reference and long_before(resolved, reference)):
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
        text = span_text(sentence)
        before = text[: mention.start].rstrip().lower()
        if not (mention.text.lower().startswith("since") or before.endswith("since")):
            return None
        if re.match(r",?\s*when\b", text[mention.end :].lower()):
            return None  # 'the deadliest since March 15, 2024, when a strike killed 21': that day's own event
        following = span.doc[span.end] if span.end < len(span.doc) else None
        if following is not None and (following.pos_ in ("NOUN", "PROPN") or following.lower_ in self.lexicon.attacks):
            return None
        preceding = _WORDS.findall(before.removesuffix("since"))[-4:]
        return "scope" if set(preceding) & self.role("superlative") else "start"

    def attached_to_state(self, token: Token) -> bool:
        """'18 remained in hospital on Sunday': when a state held, not when the incident was."""
        verb = governing_verb(token)
        return verb is not None and verb.lower_ in self.role("state_verb")

    def attached_to_later_act(self, token: Token, trigger: Token | None) -> bool:
        """'a man was arrested Tuesday in the shooting that wounded three': when an act that
        follows the incident (an arrest, a charge, a trial) was done, unless that act is what
        the figure counts ('200 protesters were arrested on Saturday'; without a trigger, any
        such act)."""
        verb = governing_verb(token)
        return verb is not None and verb != trigger and verb.lower_ in self.role("later_act_verb")

    def figure_date(self, dates: list[DateCandidate], trigger: Token) -> tuple[DateCandidate | None, bool]:
        """The date of a figure's incident among its sentence's dates: the nearest to its trigger
        that no later act governs, and whether it is an aftermath's day (a victim's death, the
        arrests a figure counts), which may follow the incident's. 'died Monday after being
        shot on Dec. 12': a death's day gives way to an earlier day the sentence names."""
        incident_dates = [date for date in dates if not self.attached_to_later_act(trigger.doc[date.token_i], trigger)]
        date = nearest(incident_dates, trigger, lambda candidate: candidate.token_i)
        if date is None:
            return None, False
        if self.attached_to_later_act(trigger.doc[date.token_i], None):
            # 'detectives on Monday arrested two men in the shooting': the arrests' own day.
            return date, True
        if not self.attached_to_death(trigger.doc[date.token_i]):
            return date, False
        earlier = [
            candidate
            for candidate in incident_dates
            if candidate.date.end < date.date.start and not self.attached_to_death(trigger.doc[candidate.token_i])
        ]
        if earlier:
            return nearest(earlier, trigger, lambda candidate: candidate.token_i), False
        return date, True

    def attached_to_death(self, token: Token) -> bool:
        """'was pronounced dead Saturday', 'a sailor who died Saturday': when a victim died."""
        verb = governing_verb(token)
        return verb is not None and verb.lower_ in self.role("death_verb")

    def attached_to_speech(self, token: Token) -> bool:
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

    def follows_speech_verb(self, token: Token) -> bool:
        doc = token.doc
        before = [doc[position].lower_ for position in range(max(0, token.i - 2), token.i)]
        return any(word in self.role("speech_verb") for word in before)

    def event_date(self, incident: Incident, segment: SegmentInput, state: StoryState) -> EventDate | None:
        story_date = state.story_date
        if incident.ongoing and story_date is not None:
            stated_period = incident.date if incident.date and incident.date.precision == "period" else None
            start = state.facts.ongoing_start or (stated_period.start if stated_period else None)
            if start is not None and start < story_date:
                return EventDate(ResolvedDate(start, story_date, "period"), TEXT_BASIS)
        if incident.date is not None:
            told = state.facts.incident_day
            if incident.aftermath_day and told is not None and told < incident.date.start:
                # 'The shooting happened Friday night ... he was pronounced dead Saturday',
                # 'arrested two men on Monday in the Sept. 13 shooting': a victim died, or
                # the arrests were made, after the day the story gives the incident.
                return EventDate(ResolvedDate(told, told, "day"), TEXT_BASIS)
            if told is not None and incident.date.precision in NEWS_SPANS and told <= incident.date.end:
                # 'charged in the Aug. 31 shooting ... testified this week': a week or month a
                # figure's sentence names, holding the day the story gives its incident or
                # after it, is when a follow-up's news happened; the incident's day is told.
                return EventDate(ResolvedDate(told, told, "day"), TEXT_BASIS)
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
