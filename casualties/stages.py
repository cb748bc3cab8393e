"""Each stage as one plain function on a DuckDB connection: read upstream, transform, write.

Every stage writes its tables in one transaction, so a failed run leaves the database as it
was. Rows stream through in batches; no stage holds a whole table in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

import duckdb
import polars as pl

from casualties.clean import DocumentMeta, story_rows
from casualties.db import ensure_tables, insert_frame, row_count, scalar, transaction
from casualties.ingest import Document, Rejection, scan
from casualties.tables import DOCUMENTS, REJECTED_DOCUMENTS, STORIES, STORY_SEGMENTS

BATCH_SIZE = 500
Progress = Callable[[int, int], None]


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class RawLoad:
    documents_added: int
    names_added: int
    rejections_added: int
    items_read: int


def load_raw(conn: duckdb.DuckDBPyConnection, input_folder: Path, batch_size: int = BATCH_SIZE) -> RawLoad:
    """Add new documents and rejections from the input folder; re-reading the same input changes nothing."""
    ensure_tables(conn)
    ingested_at = utc_now()
    documents_before = row_count(conn, "documents")
    rejections_before = row_count(conn, "rejected_documents")
    names_before = scalar(conn, "SELECT coalesce(sum(len(source_uris)), 0) FROM documents")
    items_read = 0
    with transaction(conn):
        for batch in batched(scan(input_folder), batch_size):
            items_read += len(batch)
            documents = [item for item in batch if isinstance(item, Document)]
            rejections = [item for item in batch if isinstance(item, Rejection)]
            if documents:
                merge_documents(conn, documents, ingested_at)
            if rejections:
                merge_rejections(conn, rejections, ingested_at)
    names_after = scalar(conn, "SELECT coalesce(sum(len(source_uris)), 0) FROM documents")
    documents_added = row_count(conn, "documents") - documents_before
    return RawLoad(
        documents_added=documents_added,
        names_added=names_after - names_before - documents_added,
        rejections_added=row_count(conn, "rejected_documents") - rejections_before,
        items_read=items_read,
    )


def merge_documents(conn: duckdb.DuckDBPyConnection, documents: list[Document], ingested_at: datetime) -> None:
    incoming = pl.DataFrame(
        [{**vars(document), "source_uris": [document.source_uri], "ingested_at": ingested_at} for document in documents],
        schema=DOCUMENTS.polars_schema(),
    )
    conn.register("incoming_documents", incoming.to_arrow())
    try:
        # The first name in sorted path order is the document's name; every name is recorded in source_uris.
        select_list = ", ".join(
            "all_names.names" if name == "source_uris" else f"first_seen.{name}" for name in DOCUMENTS.column_names
        )
        conn.execute(
            f"""
            INSERT INTO documents
            SELECT {select_list}
            FROM (SELECT DISTINCT ON (doc_id) * FROM incoming_documents ORDER BY doc_id, source_uri) AS first_seen
            JOIN (
                SELECT doc_id, list_sort(list_distinct(list(source_uri))) AS names
                FROM incoming_documents GROUP BY doc_id
            ) AS all_names ON all_names.doc_id = first_seen.doc_id
            WHERE first_seen.doc_id NOT IN (SELECT doc_id FROM documents)
            """
        )
        conn.execute(
            """
            UPDATE documents
            SET source_uris = list_sort(list_distinct(list_concat(documents.source_uris, seen.names)))
            FROM (SELECT doc_id, list(source_uri) AS names FROM incoming_documents GROUP BY doc_id) AS seen
            WHERE documents.doc_id = seen.doc_id AND NOT list_has_all(documents.source_uris, seen.names)
            """
        )
    finally:
        conn.unregister("incoming_documents")


def merge_rejections(conn: duckdb.DuckDBPyConnection, rejections: list[Rejection], detected_at: datetime) -> None:
    incoming = pl.DataFrame([{**vars(rejection), "detected_at": detected_at} for rejection in rejections], schema=REJECTED_DOCUMENTS.polars_schema())
    conn.register("incoming_rejections", incoming.to_arrow())
    try:
        conn.execute(
            """
            INSERT INTO rejected_documents
            SELECT DISTINCT ON (rejection_id) * FROM incoming_rejections
            WHERE rejection_id NOT IN (SELECT rejection_id FROM rejected_documents)
            """
        )
    finally:
        conn.unregister("incoming_rejections")


def stream_rows(conn: duckdb.DuckDBPyConnection, sql: str, batch_size: int = BATCH_SIZE) -> Iterator[dict]:
    """Rows of a query, fetched batch by batch on a cursor of their own."""
    reader = conn.cursor().sql(sql).to_arrow_reader(batch_size)
    for record_batch in reader:
        yield from record_batch.to_pylist()


def build_stories(conn: duckdb.DuckDBPyConnection, progress: Progress | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Rebuild stories and story_segments from every stored document."""
    ensure_tables(conn)
    total = row_count(conn, "documents")
    documents = stream_rows(conn, "SELECT doc_id, raw_text, title, publisher, published_at FROM documents ORDER BY doc_id", batch_size)
    counts = {"stories": 0, "story_segments": 0}
    with transaction(conn):
        conn.execute("DELETE FROM story_segments")
        conn.execute("DELETE FROM stories")
        done = 0
        for batch in batched(documents, batch_size):
            stories, segments = [], []
            for document in batch:
                for story, story_segments in story_rows(DocumentMeta(**document)):
                    stories.append(story)
                    segments.extend(story_segments)
            counts["stories"] += insert_frame(conn, STORIES, pl.DataFrame(stories, schema=STORIES.polars_schema()))
            counts["story_segments"] += insert_frame(conn, STORY_SEGMENTS, pl.DataFrame(segments, schema=STORY_SEGMENTS.polars_schema()))
            done += len(batch)
            if progress:
                progress(done, total)
    return counts


def table_counts(conn: duckdb.DuckDBPyConnection, names: Iterable[str]) -> dict[str, int]:
    return {name: row_count(conn, name) for name in names}
