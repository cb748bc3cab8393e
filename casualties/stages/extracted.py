"""Stage extracted: the casualty figures of each new or changed story, and the names it uses."""

from __future__ import annotations

from contextlib import closing
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from casualties.db import INCOMING, ensure_tables, insert_frame, row_count, scalar, utc_now, writing
from casualties.iterables import batched
from casualties.names import story_names
from casualties.stages.slices import BATCH_SIZE, KEYS_PER_QUERY, Progress, counted, stream_by_key
from casualties.tables import EXTRACTED_MENTIONS, EXTRACTION_LOG, STORY_NAMES

if TYPE_CHECKING:
    from casualties.extract import Extractor

# A worker process costs a model load (about 2 s, the time to extract some 100 stories),
# so fewer stories than this per worker are extracted in this process.
MIN_STORIES_PER_PROCESS = 100
# Mentions are inserted this many at a time, not an nlp batch (64) at a time: each insert
# joins its rows to the stories and, in a rebuild, commits by itself, which costs the same
# for 64 rows as for 1,000 (a 400-article bench corpus's 2,043 mentions: 32 inserts took
# 0.46 s of processor time and 1.9 s of wall time on a loaded machine, 2 inserts 0.05 s and 0.2 s).
MENTIONS_PER_INSERT = 1_000


# from the body to the captions and posts that follow it.
PENDING_SEGMENTS = """
    SELECT g.segment_id, g.story_id, g.doc_id, g.kind, g.text, g.posted_at AS segment_date,
           CAST(s.published_at AS DATE) AS story_date, s.dateline
    FROM story_segments AS g JOIN stories AS s USING (story_id)
    WHERE g.story_id IN (SELECT unnest(?))
    ORDER BY g.story_id, CASE g.kind WHEN 'body' THEN 0 WHEN 'headline' THEN 1 WHEN 'caption' THEN 2 ELSE 3 END, g.seq
"""


def pending_stories_sql(rules_version: str, full_refresh: bool) -> str:
    """Stories to extract, with their text's hash: new ones, changed ones, and all of them
    when the rules changed."""
    if not rules_version.isalnum():
        raise ValueError(f"rules_version must be alphanumeric, got {rules_version!r}")
    if full_refresh:
        return "SELECT story_id, md5(text) AS text_hash FROM stories"
    return f"""
        SELECT s.story_id, md5(s.text) AS text_hash FROM stories AS s LEFT JOIN extraction_log AS log USING (story_id)
        WHERE log.story_id IS NULL OR log.text_hash <> md5(s.text) OR log.rules_version <> '{rules_version}'
    """


def extract_mentions(
    conn: duckdb.DuckDBPyConnection,
    extractor: "Extractor",
    rules_version: str,
    full_refresh: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    n_process: int = 1,
) -> dict[str, int]:
    """Extract the stories that are new or changed (every story when full_refresh).

    A story the extractor fails on is logged in extraction_log with the reason, and without
    mentions; the others are extracted all the same.
    """
    from casualties.extract import SegmentInput

    ensure_tables(conn)
    # Hashing every story's text is most of what finding the pending ones costs: it is done once.
    conn.execute(f"CREATE OR REPLACE TEMP TABLE pending_stories AS {pending_stories_sql(rules_version, full_refresh)}")
    # The segments stream on a cursor of its own, which cannot see this connection's
    # temporary tables: it takes the pending stories' ids from here, held as one Arrow
    # column (some 40 bytes a story) and made Python strings a slice at a time.
    pending_ids = conn.sql("SELECT story_id FROM pending_stories ORDER BY story_id").pl().get_column("story_id")
    counts = {"stories_extracted": pending_ids.len(), "mentions_written": 0, "stories_failed": 0}
    failures: list[dict[str, str]] = []
    total = int(scalar(conn, "SELECT count(*) FROM story_segments WHERE story_id IN (SELECT story_id FROM pending_stories)"))
    id_slices = (pending_ids.slice(start, KEYS_PER_QUERY).to_list() for start in range(0, pending_ids.len(), KEYS_PER_QUERY))
    rows = stream_by_key(conn, id_slices, PENDING_SEGMENTS, batch_size)
    segments = (SegmentInput(**row) for row in rows)
    # extraction_log empty: nothing was ever extracted, so this is the first build.
    rebuild = full_refresh or row_count(conn, EXTRACTION_LOG.name) == 0
    # closing(): a failure mid-stream must still close the cursor, or the file stays open.
    with writing(conn, (EXTRACTED_MENTIONS, EXTRACTION_LOG, STORY_NAMES), rebuild) as into, closing(rows):
        mentions_table, log_table = into[EXTRACTED_MENTIONS.name], into[EXTRACTION_LOG.name]
        if not rebuild:
            for table in (mentions_table, log_table, into[STORY_NAMES.name]):
                conn.execute(
                    f"DELETE FROM {table} WHERE story_id IN (SELECT story_id FROM pending_stories) OR story_id NOT IN (SELECT story_id FROM stories)"
                )
        processes = max(1, min(n_process, counts["stories_extracted"] // MIN_STORIES_PER_PROCESS))
        found = extractor.extract(
            counted(segments, total, progress),
            batch_size=batch_size,
            n_process=processes,
            failed=lambda story_id, reason: failures.append({"story_id": story_id, "error": reason}),
        )
        for batch in batched(found, MENTIONS_PER_INSERT):
            counts["mentions_written"] += insert_mentions(conn, batch, mentions_table)
        # A database extracted before story_names existed has none: every story is named once
        # (the names are a regular expression's, cheap beside extraction).
        named_ids = pending_ids
        if not rebuild and row_count(conn, STORY_NAMES.name) == 0:
            named_ids = conn.sql("SELECT story_id FROM stories ORDER BY story_id").pl().get_column("story_id")
        for start in range(0, named_ids.len(), KEYS_PER_QUERY):
            insert_story_names(conn, named_ids.slice(start, KEYS_PER_QUERY).to_list(), into[STORY_NAMES.name])
        failed_stories = pl.DataFrame(failures, schema={"story_id": pl.String, "error": pl.String})
        counts["stories_failed"] = failed_stories.height
        conn.register("failed_stories", failed_stories.to_arrow())
        try:
            conn.execute(
                f"""
                INSERT INTO {log_table}
                SELECT p.story_id, p.text_hash, ?, count(m.mention_id), ?, any_value(f.error)
                FROM pending_stories AS p LEFT JOIN {mentions_table} AS m USING (story_id) LEFT JOIN failed_stories AS f USING (story_id)
                GROUP BY p.story_id, p.text_hash
                """,
                [rules_version, utc_now()],
            )
        finally:
            conn.unregister("failed_stories")
    conn.execute("DROP TABLE pending_stories")
    return counts


def insert_mentions(conn: duckdb.DuckDBPyConnection, mentions: list[dict], into: str) -> int:
    """Insert extracted mentions with their story's publication time and publisher."""
    from_story = {"reported_at": "s.published_at", "publisher": "s.publisher"}
    select_list = ", ".join(f"{from_story.get(name, 'm.' + name)} AS {name}" for name in EXTRACTED_MENTIONS.column_names)
    select = f"SELECT {select_list} FROM {INCOMING} AS m LEFT JOIN stories AS s USING (story_id)"
    return insert_frame(conn, EXTRACTED_MENTIONS, pl.DataFrame(mentions, schema=EXTRACTED_MENTIONS.polars_schema()), into, select)


def insert_story_names(conn: duckdb.DuckDBPyConnection, story_ids: list[str], into: str) -> int:
    """Insert the names each of the stories uses (casualties.names.story_names)."""
    texts = conn.execute("SELECT story_id, text FROM stories WHERE story_id IN (SELECT unnest(?))", [story_ids]).fetchall()
    names = [{"story_id": story_id, "name": name} for story_id, text in texts for name in story_names(text)]
    return insert_frame(conn, STORY_NAMES, pl.DataFrame(names, schema=STORY_NAMES.polars_schema()), into)
