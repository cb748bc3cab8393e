"""Stage raw: new documents and rejections from the input folder, and the files read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from casualties.db import ensure_tables, row_count, scalar, utc_now, writing
from casualties.ingest import Document, FolderListing, Rejection, list_folder, scan
from casualties.iterables import batched
from casualties.stages.slices import BATCH_SIZE
from casualties.tables import DOCUMENTS, INPUT_FILES, REJECTED_DOCUMENTS


@dataclass(frozen=True)
class RawLoad:
    documents_added: int
    names_added: int
    rejections_added: int
    items_read: int
    files_read: int
    files_unchanged: int
    first_build: bool
    # 'source_uri: reason' of each item the listing passed over, whether or not already recorded.
    skipped: tuple[str, ...] = ()

    @property
    def rejections_changed(self) -> bool:
        """Whether rejected_documents changed: rejections are only ever added, or written
        all at once by the first build."""
        return self.first_build or self.rejections_added > 0


def load_raw(
    conn: duckdb.DuckDBPyConnection,
    input_folder: Path,
    batch_size: int = BATCH_SIZE,
    full_refresh: bool = False,
    follow_links_outside: bool = False,
) -> RawLoad:
    """Add new documents and rejections from the input folder; re-reading the same input changes nothing.

    Files whose size and change time are those recorded in input_files when they were last
    read are not read again, unless full_refresh. Items the listing passes over are recorded
    as rejections whose reason starts with "skipped:". Links to files outside the folder are
    read only when follow_links_outside.
    """
    ensure_tables(conn)
    ingested_at = utc_now()
    documents_before = row_count(conn, "documents")
    rejections_before = row_count(conn, "rejected_documents")
    names_before = scalar(conn, "SELECT coalesce(sum(len(source_uris)), 0) FROM documents")
    folder = list_folder(input_folder, follow_links_outside)
    listing = file_listing(folder)
    changed = listing if full_refresh else conn.sql(
        """
        SELECT l.* FROM listing AS l LEFT JOIN input_files AS f USING (source_path)
        WHERE f.source_path IS NULL OR f.bytes <> l.bytes OR f.changed_ns <> l.changed_ns
        ORDER BY l.source_path
        """
    ).pl()
    items_read = 0
    raw_tables = (DOCUMENTS, REJECTED_DOCUMENTS, INPUT_FILES)
    first_build = all(row_count(conn, table.name) == 0 for table in raw_tables)
    with writing(conn, raw_tables, rebuild=first_build) as into:
        paths = (Path(path) for path in changed["source_path"])
        for batch in batched(scan(input_folder, paths), batch_size):
            items_read += len(batch)
            documents = [item for item in batch if isinstance(item, Document)]
            rejections = [item for item in batch if isinstance(item, Rejection)]
            if documents:
                merge_documents(conn, documents, ingested_at, into[DOCUMENTS.name])
            if rejections:
                merge_rejections(conn, rejections, ingested_at, into[REJECTED_DOCUMENTS.name])
        if folder.skipped:
            merge_rejections(conn, folder.skipped, ingested_at, into[REJECTED_DOCUMENTS.name])
        conn.execute(f"INSERT OR REPLACE INTO {into[INPUT_FILES.name]} SELECT source_path, bytes, changed_ns, ? FROM changed", [ingested_at])
    names_after = scalar(conn, "SELECT coalesce(sum(len(source_uris)), 0) FROM documents")
    documents_added = row_count(conn, "documents") - documents_before
    return RawLoad(
        documents_added=documents_added,
        names_added=names_after - names_before - documents_added,
        rejections_added=row_count(conn, "rejected_documents") - rejections_before,
        items_read=items_read,
        files_read=changed.height,
        files_unchanged=listing.height - changed.height,
        first_build=first_build,
        skipped=tuple(f"{item.source_uri}: {item.reason}" for item in folder.skipped),
    )


def file_listing(folder: FolderListing) -> pl.DataFrame:
    """Every input file with its size and change time, as input_files records them: keyed by
    its path below the resolved folder, so a relative and an absolute name of it agree."""
    rows = [{"source_path": str(path), "bytes": status.st_size, "changed_ns": status.st_ctime_ns} for path, status in folder.files]
    return pl.DataFrame(rows, schema={"source_path": pl.String, "bytes": pl.Int64, "changed_ns": pl.Int64})


def merge_documents(conn: duckdb.DuckDBPyConnection, documents: list[Document], ingested_at: datetime, into: str = DOCUMENTS.name) -> None:
    incoming = pl.DataFrame(
        [
            {**vars(document), "warnings": list(document.warnings), "source_uris": [document.source_uri], "ingested_at": ingested_at}
            for document in documents
        ],
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
            INSERT INTO {into}
            SELECT {select_list}
            FROM (SELECT DISTINCT ON (doc_id) * FROM incoming_documents ORDER BY doc_id, source_uri) AS first_seen
            JOIN (
                SELECT doc_id, list_sort(list_distinct(list(source_uri))) AS names
                FROM incoming_documents GROUP BY doc_id
            ) AS all_names ON all_names.doc_id = first_seen.doc_id
            WHERE first_seen.doc_id NOT IN (SELECT doc_id FROM {into})
            """
        )
        conn.execute(
            f"""
            UPDATE {into} AS stored
            SET source_uris = list_sort(list_distinct(list_concat(stored.source_uris, seen.names)))
            FROM (SELECT doc_id, list(source_uri) AS names FROM incoming_documents GROUP BY doc_id) AS seen
            WHERE stored.doc_id = seen.doc_id AND NOT list_has_all(stored.source_uris, seen.names)
            """
        )
    finally:
        conn.unregister("incoming_documents")


def merge_rejections(conn: duckdb.DuckDBPyConnection, rejections: list[Rejection], detected_at: datetime, into: str = REJECTED_DOCUMENTS.name) -> None:
    incoming = pl.DataFrame([{**vars(rejection), "detected_at": detected_at} for rejection in rejections], schema=REJECTED_DOCUMENTS.polars_schema())
    conn.register("incoming_rejections", incoming.to_arrow())
    try:
        conn.execute(
            f"""
            INSERT INTO {into}
            SELECT DISTINCT ON (rejection_id) * FROM incoming_rejections
            WHERE rejection_id NOT IN (SELECT rejection_id FROM {into})
            """
        )
    finally:
        conn.unregister("incoming_rejections")
