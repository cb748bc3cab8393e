"""Stage cleaned: split a page into stories and mark each block as body, headline, caption,
embedded post or chrome.

Normalisation maps characters one for one (curly quotes to straight, hyphen and en-dash
variants to '-', odd spaces to ' '; the em dash stays, because the parser reads news
datelines and asides by it), so every clean character sits at a known raw offset: a story's text is its
body paragraphs joined by blank lines, and `offset_map` records where each paragraph came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources

from casualties.dates import DATABLE_YEARS, full_dates

PARAGRAPH_SEPARATOR = "\n\n"

ONE_FOR_ONE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2015": "\u2014", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u200b": " ", "\t": " ",
        "\ufeff": " ",
    }
)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
MONTH_DAY_YEAR = re.compile(_MONTH + r"\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d{2})\b")
DAY_MONTH_YEAR = re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r"\.?,?\s+(?P<year>(?:19|20)\d{2})\b")
PAGE_TIMESTAMP = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{2}:\d{2})")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)

# 'KYIV, Ukraine (AP) - ', 'KYIV/WASHINGTON (Reuters) - ', 'ODESSA, June 10 (Wire) - ',
# 'DNIPRO, Ukraine - ': a story starts here.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{2,}(?:/[A-Z][A-Z.'\- ]+)*(?:, [A-Z][A-Za-z.'\- ]+)?)"
    r"(?:,\s+" + _MONTH + r"\.?\s+\d{1,2})?"
    r"(?:\s+\((?P<agency>[A-Za-z][A-Za-z ]{0,20})\))?\s*[-\u2014]+\s+"
)
# 'Washington/Kyiv: ' opens a story's first paragraph but never starts a second story.
PLACE_PREFIX = re.compile(r"^(?P<place>[A-Z][A-Za-z]+(?:/[A-Z][A-Za-z]+)+):\s+")
CAPTION_CREDIT = re.compile(
    r"\((?P<credit>[^()]*?(?:Photo|photo|PHOTO|via AP|via Reuters|via AFP|Getty|EPA|UGC|Pool|[Cc]ourtesy|[A-Za-z]+/[A-Z])[^()]*)\)\s*\.?\s*$"
)
POST_SIGNATURE = re.compile(r"^[-\u2014]+\s*(?P<author>.+?\(@\w+\))\s+(?P<date>.+?\d{4})\s*$")
SOCIAL_LINK = re.compile(r"pic\.twitter\.com/\w+|https?://t\.co/\w+")
TERMINAL = re.compile(r"""[.!?]["')\]]*$|["']$""")


@dataclass(frozen=True)
class Block:
    """One non-empty line of the raw text, normalised."""

    raw_start: int
    raw_end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Segment:
    kind: str
    text: str
    raw_start: int
    raw_end: int
    occurrences: int = 1
    author: str | None = None
    posted_at: date | None = None


@dataclass
class Story:
    doc_id: str
    seq: int
    body: list[Block] = field(default_factory=list)
    headlines: dict[str, Segment] = field(default_factory=dict)
    captions: dict[str, Segment] = field(default_factory=dict)
    posts: list[Segment] = field(default_factory=list)
    removed_lines: list[str] = field(default_factory=list)
    # Lines before any body (headlines, short lines): the body of a text that has no other.
    lead_lines: list[Block] = field(default_factory=list)
    dateline: str | None = None
    agency: str | None = None
    page_date: datetime | None = None
    raw_start: int | None = None
    raw_end: int = 0

    @property
    def story_id(self) -> str:
        return f"{self.doc_id}-{self.seq}"

    def touch(self, block: Block) -> None:
        if self.raw_start is None:
            self.raw_start = block.raw_start
        self.raw_end = max(self.raw_end, block.raw_end)

    @property
    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(block.text for block in self.body)

    def offset_map(self) -> list[dict[str, int]]:
        pieces, position = [], 0
        for block in self.body:
            pieces.append({"text_start": position, "raw_start": block.raw_start, "length": len(block.text)})
            position += len(block.text) + len(PARAGRAPH_SEPARATOR)
        return pieces


@dataclass(frozen=True)
class DocumentMeta:
    doc_id: str
    raw_text: str
    title: str | None = None
    publisher: str | None = None
    published_at: datetime | None = None


@cache
def chrome_rules() -> tuple[re.Pattern[str], ...]:
    lines = resources.files("casualties").joinpath("data/chrome.jsonl").read_text(encoding="utf-8").splitlines()
    return tuple(re.compile(json.loads(line)["pattern"], re.IGNORECASE) for line in lines if line.strip())


def normalise(text: str) -> str:
    return text.translate(ONE_FOR_ONE)


def blocks_of(raw_text: str) -> list[Block]:
    blocks = []
    for line in re.finditer(r"[^\n]+", raw_text):
        # Stripped once normalised: a zero-width space or byte-order mark is blank only then, and
        # normalising one character for one keeps the offsets of the raw line.
        normalised = normalise(line.group())
        text = normalised.strip()
        if text:
            start = line.start() + normalised.index(text)
            blocks.append(Block(start, start + len(text), text))
    return blocks


def is_chrome(text: str) -> bool:
    return any(rule.search(text) for rule in chrome_rules())


def explicit_dates(text: str) -> Iterator[date]:
    """Full dates written out in the text, in order of appearance."""
    return full_dates(text)


def page_timestamp(text: str) -> datetime | None:
    match = PAGE_TIMESTAMP.match(text)
    if match:
        stamped = datetime.fromisoformat(f"{match['date']} {match['time']}")
        return stamped if stamped.year in DATABLE_YEARS else None
    opens_with_date = (MONTH_DAY_YEAR.match(text) or DAY_MONTH_YEAR.match(text)) and len(text.split()) <= 12 and not TERMINAL.search(text)
    if opens_with_date or re.match(r"^(last updated|updated|published|posted)\b", text, re.IGNORECASE):
        first = next(explicit_dates(text), None)
        return datetime.combine(first, datetime.min.time()) if first else None
    return None


def caption_credit(text: str) -> str | None:
    match = CAPTION_CREDIT.search(text)
    return match["credit"].strip() if match and len(text.split()) >= 5 else None


def starts_body(block: Block) -> bool:
    """The first real paragraph: a dateline, or a sentence of some length."""
    if DATELINE.match(block.text) or PLACE_PREFIX.match(block.text):
        return True
    return block.words >= 8 and bool(TERMINAL.search(block.text))


def take_unsigned_post(story: Story) -> None:
    """A quoted post whose signature line is missing still is a post, not body text."""
    if story.body and SOCIAL_LINK.search(story.body[-1].text):
        source = story.body.pop()
        story.posts.append(Segment("embedded_post", source.text, source.raw_start, source.raw_end))


def split_stories(meta: DocumentMeta) -> list[Story]:
    stories = [Story(meta.doc_id, 0)]
    blocks = blocks_of(meta.raw_text)
    for block in blocks:
        story = stories[-1]
        text = block.text
        signature = POST_SIGNATURE.match(text)
        if signature and story.body:
            story.touch(block)
            source = story.body.pop()
            posted = next(explicit_dates(signature["date"]), None)
            story.posts.append(
                Segment("embedded_post", source.text, source.raw_start, block.raw_end, author=signature["author"], posted_at=posted)
            )
            continue
        take_unsigned_post(story)
        dateline = DATELINE.match(text)
        if dateline and story.body:
            story = Story(meta.doc_id, len(stories))
            stories.append(story)
        story.touch(block)
        timestamp = page_timestamp(text)
        if timestamp is not None:
            story.page_date = story.page_date or timestamp
            story.removed_lines.append(text)
            continue
        if is_chrome(text):
            story.removed_lines.append(text)
            continue
        credit = caption_credit(text)
        if credit is not None:
            add_segment(story.captions, Segment("caption", text, block.raw_start, block.raw_end, author=credit, posted_at=next(explicit_dates(text), None)))
            continue
        if not story.body and not starts_body(block):
            story.lead_lines.append(block)
            if block.words <= 3:
                story.removed_lines.append(text)
            else:
                add_segment(story.headlines, Segment("headline", text, block.raw_start, block.raw_end))
            continue
        if story.body and block.words <= 3 and not TERMINAL.search(text):
            story.removed_lines.append(text)
            continue
        if not story.body:
            opening = dateline or PLACE_PREFIX.match(text)
            if opening:
                story.dateline = opening["place"].strip()
                story.agency = dateline["agency"] if dateline else None
        story.body.append(block)
    take_unsigned_post(stories[-1])
    for story in stories:
        if not story.body and story.lead_lines:
            # A headline alone, a one-line alert, a coder's note: every text with words is a story.
            story.body = story.lead_lines
            story.headlines = {}
            story.removed_lines = [line for line in story.removed_lines if line not in {block.text for block in story.lead_lines}]
    kept = [story for story in stories if story.body]
    if not kept and blocks:
        # Nothing but what reads as page chrome: the text is still a story, as written, so
        # no document with words is dropped (or cleaned again at every run).
        whole = Story(meta.doc_id, 0, body=blocks)
        whole.touch(blocks[0])
        whole.touch(blocks[-1])
        return [whole]
    return kept


def add_segment(segments: dict[str, Segment], segment: Segment) -> None:
    """Repeated copies (a caption shown four times) collapse into one segment with a count."""
    key = " ".join(segment.text.split())
    if key in segments:
        segments[key].occurrences += 1
    else:
        segments[key] = segment


def story_date(story: Story, meta: DocumentMeta) -> tuple[datetime | None, str | None]:
    """The story's own publication date, from the most direct evidence available.

    Photos and posts predate the story that embeds them; when only they carry a date, a
    weekday named in the lead paragraph ('activists said Monday') moves the date forward to it.
    """
    if meta.published_at is not None and (story.seq == 0 or story.dateline is not None):
        # A story that opens with its dateline ('CHARLOTTE, N.C. - ...') below a page's
        # headline is the article the page published, not an older story it links.
        return meta.published_at, "metadata"
    if story.page_date is not None:
        return story.page_date, "page_timestamp"
    lead = PARAGRAPH_SEPARATOR.join(block.text for block in story.body[:2])
    stated = next(explicit_dates(lead), None)
    if stated is not None:
        return datetime.combine(stated, datetime.min.time()), "text"
    for kind, segments in (("caption", list(story.captions.values())), ("embedded_post", story.posts)):
        dated = [segment.posted_at for segment in segments if segment.posted_at is not None]
        if dated:
            latest = max(dated)
            weekday = WEEKDAY.search(story.body[0].text)
            if weekday:
                latest += timedelta(days=(WEEKDAYS.index(weekday.group().lower()) - latest.weekday()) % 7)
            return datetime.combine(latest, datetime.min.time()), kind
    return None, None


def story_rows(meta: DocumentMeta) -> Iterator[tuple[dict, list[dict]]]:
    """One (stories row, story_segments rows) pair per story of the document."""
    for story in split_stories(meta):
        published_at, date_source = story_date(story, meta)
        headlines = list(story.headlines.values())
        captions = list(story.captions.values())
        text = story.text
        body = Segment("body", text, story.body[0].raw_start, story.body[-1].raw_end)
        segments = []
        for kind, members in (("headline", headlines), ("body", [body]), ("caption", captions), ("embedded_post", story.posts)):
            for seq, segment in enumerate(members):
                segments.append(
                    {
                        "segment_id": f"{story.story_id}-{kind}-{seq}",
                        "story_id": story.story_id,
                        "doc_id": meta.doc_id,
                        "kind": kind,
                        "seq": seq,
                        "text": segment.text,
                        "raw_start": segment.raw_start,
                        "raw_end": segment.raw_end,
                        "occurrences": segment.occurrences,
                        "author": segment.author,
                        "posted_at": segment.posted_at,
                    }
                )
        row = {
            "story_id": story.story_id,
            "doc_id": meta.doc_id,
            "seq": story.seq,
            "title": (meta.title if story.seq == 0 else None) or (headlines[0].text if headlines else None),
            "publisher": meta.publisher or story.agency,
            "dateline": story.dateline,
            "published_at": published_at,
            "date_source": date_source,
            "text": text,
            "raw_start": story.raw_start,
            "raw_end": story.raw_end,
            "offset_map": story.offset_map(),
            "removed_lines": list(dict.fromkeys(story.removed_lines)),
            "n_captions": len(captions),
            "n_duplicate_captions": sum(caption.occurrences - 1 for caption in captions),
            "n_embedded_posts": len(story.posts),
            "n_words": len(text.split()),
        }
        yield row, segments
