"""Incidents as a story tells them: each figure refers to one, and the sentences of a story
sharpen, join or start them. Incidents are mutable and shared by the figures that refer to
them, so a vague incident ('a central Ukrainian city') is sharpened by a later sentence
('the strike on Kryvyi Rih') before any row leaves the story."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casualties.dates import ResolvedDate
from casualties.extract.attribution import Speakers
from casualties.places import Place

if TYPE_CHECKING:
    from casualties.extract.story_facts import StoryFacts

# An incident dated this long before the story is an earlier event cited for comparison.
HISTORICAL_AFTER_DAYS = 30


@dataclass
class Incident:
    place: Place | None = None
    date: ResolvedDate | None = None
    attack_kind: str | None = None
    weapon: str | None = None
    weapon_families: frozenset[str] = frozenset()
    historical: bool = False
    ongoing: bool = False
    # The date is an aftermath's: the day a victim died ('pronounced dead Saturday') or the
    # arrests were made, which may be after the day of the incident.
    aftermath_day: bool = False

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
            self.date, self.aftermath_day = other.date, other.aftermath_day
        if len(other.weapon_families) > len(self.weapon_families):
            self.attack_kind, self.weapon, self.weapon_families = other.attack_kind, other.weapon, other.weapon_families
        elif other.attack_kind and self.attack_kind is None:
            self.attack_kind = other.attack_kind
        self.ongoing = self.ongoing or other.ongoing


@dataclass
class StoryState:
    """What reading a story has gathered so far: the incident it is on, the first one it
    reported, the earlier ones it cited, and who has spoken."""

    facts: StoryFacts
    story_date: dt.date | None
    reference_date: dt.date | None = None  # what relative dates count from: the story's or a post's date
    current: Incident | None = None
    primary: Incident | None = None
    historical: list[Incident] = field(default_factory=list)
    speakers: Speakers = field(default_factory=Speakers)


def join_incident(candidate: Incident, state: StoryState, since: bool, answered: bool) -> Incident:
    """Joins a sentence's incident to the one the story is about, or starts a new one. An
    incident the reported one answered ('in retaliation for Tuesday's bombing') is an earlier
    one cited, however recent."""
    story_date = state.story_date
    if candidate.date and story_date and (since or candidate.date.precision != "week"):
        candidate.historical = long_before(candidate.date, story_date)
    if (since and candidate.date is None) or answered:
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


def long_before(date: ResolvedDate, story_date: dt.date) -> bool:
    """A day, month or year over well before the story: a past incident's ('in 2009, a
    gunman killed 13'), not the one reported."""
    return (story_date - date.end).days > HISTORICAL_AFTER_DAYS


def _span_days(date: ResolvedDate) -> int:
    return (date.end - date.start).days
