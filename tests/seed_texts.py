"""Segment the seed articles the way the cleaner would, without the cleaner.

The seeds live outside the project (/work/shared/seeds) and are read at run time only.
Each file is split into paragraphs; paragraphs ending in an AP photo credit are captions
(exact repeats dropped); seed 000 holds a second story starting at its DUBAI dateline.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from casualties.extract import SegmentInput

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # ../shared/seeds from the project root
SEED_FILES = (
    "000_d1a000b0bdd69ded.txt",
    "001_c217f37dcce5fc64.txt",
    "002_0de2d07b42770e26.txt",
    "003_b1c98fba87abfd1e.txt",
    "004_4026054a69ae208c.txt",
)
SECOND_STORY_START = "DUBAI, United Arab Emirates (AP)"
# Publication dates as the cleaner establishes them: one per story.
STORY_DATES: dict[str, list[dt.date | None]] = {
    "000_d1a000b0bdd69ded.txt": [dt.date(2025, 4, 5), dt.date(2026, 1, 12)],
    "001_c217f37dcce5fc64.txt": [None],
    "002_0de2d07b42770e26.txt": [dt.date(2025, 4, 25)],
    "003_b1c98fba87abfd1e.txt": [dt.date(2025, 4, 24)],
    "004_4026054a69ae208c.txt": [dt.date(2025, 4, 24)],
}
_CAPTION_END = re.compile(r"\((?:AP Photo/[^)]*|[^()]*via AP)\)\s*$")
_DATELINE = re.compile(r"^(?P<dateline>[A-Z][A-Za-z .'/-]*(?:, [A-Z][A-Za-z .]+)?) \((?:AP|Reuters)\)")


def seeds_available() -> bool:
    return all((SEEDS_DIR / name).is_file() for name in SEED_FILES) and (SEEDS_DIR / "gold.json").is_file()


def load_gold() -> dict[str, Any]:
    return json.loads((SEEDS_DIR / "gold.json").read_text(encoding="utf-8"))


def seed_text(file_name: str) -> str:
    return (SEEDS_DIR / file_name).read_text(encoding="utf-8")


def seed_segments(file_name: str) -> list[SegmentInput]:
    """The file's stories as SegmentInputs: each story's body first, then its captions."""
    doc_id = file_name.split("_", 1)[1].removesuffix(".txt")
    paragraphs = [line.strip() for line in seed_text(file_name).splitlines() if line.strip()]
    stories: list[list[str]] = [[]]
    for paragraph in paragraphs:
        if paragraph.startswith(SECOND_STORY_START):
            stories.append([])
        stories[-1].append(paragraph)
    segments: list[SegmentInput] = []
    for seq, (story_paragraphs, story_date) in enumerate(zip(stories, STORY_DATES[file_name], strict=True)):
        story_id = f"{doc_id}-{seq}"
        body = [paragraph for paragraph in story_paragraphs if not _CAPTION_END.search(paragraph)]
        captions = list(dict.fromkeys(p for p in story_paragraphs if _CAPTION_END.search(p)))
        dateline = next((match.group("dateline") for p in body if (match := _DATELINE.match(p))), None)
        segments.append(
            SegmentInput(
                segment_id=f"{story_id}-body-0",
                story_id=story_id,
                doc_id=doc_id,
                kind="body",
                text="\n\n".join(body),
                story_date=story_date,
                dateline=dateline,
                segment_date=None,
            )
        )
        for caption_seq, caption in enumerate(captions):
            segments.append(
                SegmentInput(
                    segment_id=f"{story_id}-caption-{caption_seq}",
                    story_id=story_id,
                    doc_id=doc_id,
                    kind="caption",
                    text=caption,
                    story_date=story_date,
                    dateline=dateline,
                    segment_date=None,
                )
            )
    return segments


def all_seed_segments() -> list[SegmentInput]:
    return [segment for file_name in SEED_FILES for segment in seed_segments(file_name)]


def file_of(segment_doc_id: str) -> str:
    return next(name for name in SEED_FILES if segment_doc_id in name)
