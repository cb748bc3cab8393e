"""Acceptance on the five real seed pages: ingest and clean them as a user would."""

import re
from datetime import datetime
from pathlib import Path

import pytest

from casualties.clean import normalise
from casualties.db import connect
from casualties.stages import build_stories, load_raw

CAPTION_END = re.compile(r"\((?:AP Photo|UGC via AP|Ukrainian Emergency Service via AP)[^()]*\)\s*$")


@pytest.fixture
def seeded(seed_input: Path, tmp_path: Path):
    conn = connect(tmp_path / "seeds.duckdb")
    load_raw(conn, seed_input)
    build_stories(conn)
    yield conn
    conn.close()


def stories_of(conn, file_name: str) -> list[dict]:
    return conn.sql(
        f"SELECT s.* FROM stories s JOIN documents d USING (doc_id) WHERE d.source_uri = '{file_name}' ORDER BY seq"
    ).pl().to_dicts()


def test_five_documents_six_stories(seeded):
    assert seeded.sql("SELECT count(*) FROM documents").fetchall() == [(5,)]
    per_document = dict(seeded.sql("SELECT d.source_uri, count(*) FROM stories JOIN documents d USING (doc_id) GROUP BY 1").fetchall())
    assert per_document == {
        "000_d1a000b0bdd69ded.txt": 2,
        "001_c217f37dcce5fc64.txt": 1,
        "002_0de2d07b42770e26.txt": 1,
        "003_b1c98fba87abfd1e.txt": 1,
        "004_4026054a69ae208c.txt": 1,
    }


def test_each_story_has_its_own_date(seeded):
    ukraine, iran = stories_of(seeded, "000_d1a000b0bdd69ded.txt")
    assert ukraine["published_at"] == datetime(2025, 4, 5, 3, 12)
    assert (iran["published_at"].year, iran["published_at"].month) == (2026, 1)
    assert iran["published_at"] == datetime(2026, 1, 12)
    assert iran["dateline"] == "DUBAI, United Arab Emirates"
    assert "Kryvyi Rih" in ukraine["text"] and "Kryvyi Rih" not in iran["text"]
    assert "544" in iran["text"] and "544" not in ukraine["text"]
    assert stories_of(seeded, "001_c217f37dcce5fc64.txt")[0]["published_at"] is None
    assert stories_of(seeded, "004_4026054a69ae208c.txt")[0]["published_at"] == datetime(2025, 4, 24)
    assert stories_of(seeded, "003_b1c98fba87abfd1e.txt")[0]["published_at"] == datetime(2025, 4, 24)


def test_every_caption_of_000_appears_exactly_once(seeded, seeds_dir: Path):
    raw = (seeds_dir / "000_d1a000b0bdd69ded.txt").read_text(encoding="utf-8")
    caption_lines = [normalise(line.strip()) for line in raw.splitlines() if CAPTION_END.search(line.strip())]
    captions = set(caption_lines)
    assert len(captions) == 14
    doc_id = seeded.sql("SELECT doc_id FROM documents WHERE source_uri = '000_d1a000b0bdd69ded.txt'").fetchall()[0][0]
    segments = seeded.sql(f"SELECT kind, text FROM story_segments WHERE doc_id = '{doc_id}'").fetchall()
    for caption in captions:
        holders = [kind for kind, text in segments for _ in range(text.count(caption))]
        assert holders == ["caption"], caption
    assert seeded.sql(f"SELECT sum(occurrences) FROM story_segments WHERE doc_id = '{doc_id}' AND kind = 'caption'").fetchall() == [(len(caption_lines),)]


def test_chrome_is_gone(seeded):
    (story,) = stories_of(seeded, "002_0de2d07b42770e26.txt")
    assert "Also Read" not in story["text"]
    assert sum(line.startswith("Also Read |") for line in story["removed_lines"]) == 2
    ukraine, iran = stories_of(seeded, "000_d1a000b0bdd69ded.txt")
    for phrase in ("Skip to Content", "More Images", "Recommended Articles", "Follow AP's coverage"):
        assert phrase not in ukraine["text"] and phrase not in iran["text"]


def test_embedded_posts_are_marked_with_their_dates(seeded):
    posts = seeded.sql(
        "SELECT d.source_uri, g.author, g.posted_at FROM story_segments g JOIN documents d USING (doc_id) WHERE kind = 'embedded_post' ORDER BY 1, g.raw_start"
    ).fetchall()
    authors = [(uri, author) for uri, author, _ in posts]
    assert ("002_0de2d07b42770e26.txt", "Reuters (@Reuters)") in authors
    assert ("003_b1c98fba87abfd1e.txt", "Marta Havryshko (@HavryshkoMarta)") in authors
    assert all(posted is not None for uri, author, posted in posts if author)
