"""Stage cleaned: each new document split into its stories and their segments."""

from __future__ import annotations

from contextlib import closing

import duckdb
import polars as pl

from casualties.clean import DocumentMeta, story_rows
from casualties.db import ensure_tables, insert_frame, row_count, scalar, utc_now, writing
from casualties.iterables import batched
from casualties.stages.slices import BATCH_SIZE, Progress, key_slices, stream_by_key
from casualties.tables import STORIES, STORY_SEGMENTS


def build_stories(
    conn: duckdb.DuckDBPyConnection, full_refresh: bool = False, progress: Progress | None = None, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Clean the documents that have no stories yet (every document when full_refresh)."""
    ensure_tables(conn)
    pending = "SELECT doc_id FROM documents"
    if not full_refresh:
        pending += " WHERE doc_id NOT IN (SELECT doc_id FROM stories)"
    total = int(scalar(conn, f"SELECT count(*) FROM ({pending})"))
    counts = {"documents_cleaned": 0, "stories": 0, "story_segments": 0}
    documents = stream_by_key(
        conn,
        key_slices(conn, f"{pending} ORDER BY doc_id"),
        "SELECT doc_id, raw_text, title, publisher, published_at FROM documents WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id",
        batch_size,
    )
    rebuild = full_refresh or row_count(conn, STORIES.name) == 0
    cleaned_at = utc_now()
    with writing(conn, (STORIES, STORY_SEGMENTS), rebuild) as into, closing(documents):
        for batch in batched(documents, batch_size):
            stories, segments = [], []
            for document in batch:
                for story, story_segments in story_rows(DocumentMeta(**document)):
                    stories.append({**story, "cleaned_at": cleaned_at})
                    segments.extend(story_segments)
            counts["stories"] += insert_frame(conn, STORIES, pl.DataFrame(stories, schema=STORIES.polars_schema()), into[STORIES.name])
            counts["story_segments"] += insert_frame(
                conn, STORY_SEGMENTS, pl.DataFrame(segments, schema=STORY_SEGMENTS.polars_schema()), into[STORY_SEGMENTS.name]
            )
            counts["documents_cleaned"] += len(batch)
            if progress:
                progress(counts["documents_cleaned"], total)
    return counts
