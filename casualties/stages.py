"""Each stage as one plain function on a DuckDB connection: read upstream, transform, write.

A stage's tables change all at once or not at all (`casualties.db.writing`), so a failed
run leaves the database as it was: an update in one transaction, a rebuild (a full refresh,
or the first build) in staging tables swapped in at the end. Rows stream through in
batches; no stage holds a whole table in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import closing
from typing import TYPE_CHECKING
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from casualties.clean import DocumentMeta, story_rows
from casualties.db import INCOMING, ensure_tables, insert_frame, row_count, scalar, transaction, writing
from casualties.ingest import Document, FolderListing, Rejection, list_folder, scan
from casualties.iterables import batched
from casualties.names import (
    MAX_DAY_NAME_DOCUMENTS,
    MAX_NAME_DOCUMENTS,
    MIN_DAY_NAMES,
    MIN_INDEPENDENT_NAMES,
    MIN_SHARED_NAMES,
    NAME_TIE_DAYS,
    story_names,
)
from casualties.tables import (
    DOCUMENTS,
    EVENTS,
    EXTRACTED_MENTIONS,
    EXTRACTION_LOG,
    INPUT_FILES,
    RECONCILED_BLOCKS,
    REJECTED_DOCUMENTS,
    STORIES,
    STORY_NAMES,
    STORY_SEGMENTS,
    TABLES_BY_NAME,
)

if TYPE_CHECKING:
    from casualties.extract import Extractor

BATCH_SIZE = 500
KEYS_PER_QUERY = 2_000
# A worker process costs a model load (about 2 s, the time to extract some 100 stories),
# so fewer stories than this per worker are extracted in this process.
MIN_STORIES_PER_PROCESS = 100
Progress = Callable[[int, int], None]


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


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


def stream_by_key(
    conn: duckdb.DuckDBPyConnection, slices: Iterable[list], rows_sql: str, batch_size: int = BATCH_SIZE
) -> Generator[dict, None, None]:
    """Rows in key order, read on a cursor of its own; close() the generator when done early.

    `slices` are the keys in order, a list at a time (`key_slices`); `rows_sql` selects, in
    order, the rows of the keys in its one parameter, a list. It runs once per slice, so no
    sort ever holds more than that slice of the table: sorting the whole corpus at once
    would take memory in proportion to it.
    """
    with conn.cursor() as rows_cursor:
        for keys in slices:
            for record_batch in rows_cursor.sql(rows_sql, params=[keys]).to_arrow_reader(batch_size):
                yield from record_batch.to_pylist()


def key_slices(
    conn: duckdb.DuckDBPyConnection, keys_sql: str, parameters: dict[str, object] | None = None, size: int = KEYS_PER_QUERY
) -> Iterator[list]:
    """The first column of `keys_sql`, `size` values at a time, read on a cursor of its own
    so that the connection stays free for the queries each slice drives."""
    with conn.cursor() as keys_cursor:
        for key_batch in keys_cursor.sql(keys_sql, params=parameters).to_arrow_reader(size):
            yield key_batch.column(0).to_pylist()


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


# Body first: the extractor carries a story's context (its place, the last named source)
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
        for batch in batched(found, batch_size):
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


def counted(items: Iterable, total: int, progress: Progress | None, every: int = 200) -> Iterator:
    """Pass items through, reporting how many went by."""
    done = 0
    for item in items:
        yield item
        done += 1
        if progress and (done % every == 0 or done == total):
            progress(done, total)


RECONCILED_TABLES = ("events", "event_figures", "event_documents", "event_claims", "event_conflicts", "figure_history", "mention_events")
# Whole blocks are read and reconciled together up to this many mentions (more only when
# one block alone is bigger): memory follows this, not the corpus.
MENTIONS_PER_READ = 20_000
SHARED_SITES_BLOCK = "shared-sites"

# Pairs of stories of two documents that share names found in at most MAX_NAME_DOCUMENTS
# documents (casualties.names), with the names and, where it is the day that ties them, the
# day. Names alone tie two stories when one of them is a person-like pair of words ("tyrell
# quarles"): at least MIN_SHARED_NAMES names when published within NAME_TIE_DAYS days of each
# other, at least MIN_INDEPENDENT_NAMES independent names (a single word of a shared pair is
# not one) at any distance. Any rare name, or MIN_DAY_NAMES names found in at most
# MAX_DAY_NAME_DOCUMENTS documents, tie two stories that report an incident on one day or the
# next (the day, or the week up to its publication that a story naming no day has, of a
# current mention of each): a street, a venue or a victim named in both, whatever town,
# neighbourhood or county each places it in.
# Reconciliation merges their events wherever each is placed and dated. A rare name is in few
# stories by construction, so joining on it compares no other pairs.
PUBLISHED_DATE_SOURCES = ('metadata', 'page_timestamp')
NAME_TIES_SQL = f"""
    WITH named AS (
        SELECT n.story_id, n.name, s.doc_id, s.published_at, s.date_source,
            count(DISTINCT s.doc_id) OVER (PARTITION BY n.name) AS name_documents
        FROM story_names AS n JOIN stories AS s USING (story_id)
    ), shared AS (
        SELECT a.story_id, b.story_id AS story_id_other,
            coalesce(list(a.name ORDER BY a.name) FILTER (WHERE a.name_documents <= {MAX_NAME_DOCUMENTS}), []) AS names,
            list(a.name ORDER BY a.name) AS day_names,
            any_value(abs(date_diff('day', a.published_at, b.published_at))) AS days_apart
        FROM named AS a JOIN named AS b ON a.name = b.name AND a.story_id < b.story_id
        WHERE a.name_documents <= {MAX_DAY_NAME_DOCUMENTS} AND a.doc_id <> b.doc_id
            -- The day a publisher gives: a register's summaries carry only the incident's day
            -- in their text, and its entries are separate incidents whatever names they share.
            AND a.date_source IN {PUBLISHED_DATE_SOURCES} AND b.date_source IN {PUBLISHED_DATE_SOURCES}
        GROUP BY a.story_id, b.story_id
    ), counted AS (
        SELECT *, list_filter(names, lambda name: contains(name, ' ')) AS pairs FROM shared
    ), weighed AS (
        SELECT story_id, story_id_other, names, day_names, len(pairs) >= 1 AND (
            (len(names) >= {MIN_SHARED_NAMES} AND days_apart <= {NAME_TIE_DAYS})
            OR len(pairs) + len(list_filter(names, lambda name: NOT contains(name, ' ')
                AND NOT list_contains(flatten(list_transform(pairs, lambda pair: string_split(pair, ' '))), name)))
                >= {MIN_INDEPENDENT_NAMES}
        ) AS names_tie
        FROM counted
    ), stated_days AS (
        SELECT DISTINCT story_id, event_date AS first_day, coalesce(event_date_end, event_date) AS last_day FROM extracted_mentions
        WHERE event_date IS NOT NULL AND event_date_precision IN ('day', 'week')
            AND NOT coalesce(is_historical, false) AND NOT coalesce(is_aggregate, false)
    ), day_ties AS (
        SELECT c.story_id, c.story_id_other, min(greatest(a.first_day, b.first_day)) AS shared_day
        FROM weighed AS c JOIN stated_days AS a ON a.story_id = c.story_id JOIN stated_days AS b ON b.story_id = c.story_id_other
        WHERE (len(c.names) >= 1 OR len(c.day_names) >= {MIN_DAY_NAMES}) AND a.first_day <= b.last_day + INTERVAL 1 DAY AND b.first_day <= a.last_day + INTERVAL 1 DAY
        GROUP BY c.story_id, c.story_id_other
    )
    SELECT w.story_id, w.story_id_other, array_to_string(CASE WHEN w.names_tie THEN w.names ELSE w.day_names END, ', ') AS shared_names,
        CASE WHEN NOT w.names_tie THEN d.shared_day END AS shared_day
    FROM weighed AS w LEFT JOIN day_ties AS d USING (story_id, story_id_other)
    WHERE w.names_tie OR d.shared_day IS NOT NULL
"""

# Each mention's site, region and grouping block. Reconciliation compares mentions only at
# one site, and ties a site's events to their region (region-level and undated mentions
# of the region join them), so a mention's block is its region when it has one, else its
# site: no event ever takes mentions from two blocks. `site` and `region_key` are
# casualties.reconcile._prepare's, restated in SQL so that blocks are counted and
# fingerprinted inside DuckDB (tests/test_reconcile_blocks.py checks that the two agree),
# but for two coarsenings: every city named without a GeoNames id stands for all such
# cities of its country, since reconcile compares their names lower-cased and DuckDB's
# lower() and Polars' differ on some letters ('İ'); and a country's site holds its
# country-level mentions of every story, which reconcile splits by story for single days.
# A site whose mentions disagree on their region (a city named with its admin1 in one
# report and without in another) would tie two blocks together: every block any such
# site touches goes into the one block SHARED_SITES_BLOCK (rare: a single block is
# simpler than chasing chains of tied blocks). Stories tied by their names (NAME_TIES_SQL)
# tie every block either touches: such blocks, chained through ties, become one block
# named after the first of them. The chains are followed over blocks, not mentions, and
# each tie is between two of a rare name's few stories.
MENTION_BLOCKS_SQL = f"""
    WITH RECURSIVE levelled AS (
        SELECT mention_id, story_id, geonameid, country_code, admin1, location,
            CASE
                WHEN location_precision = 'country' AND country_code IS NOT NULL THEN 'country'
                WHEN location_precision = 'region' AND country_code IS NOT NULL AND admin1 IS NOT NULL THEN 'region'
                WHEN geonameid IS NOT NULL OR location IS NOT NULL THEN 'city'
                ELSE 'none'
            END AS level
        FROM extracted_mentions
    ), placed AS (
        SELECT mention_id, story_id,
            CASE
                WHEN level = 'country' THEN 'c:' || country_code
                WHEN level = 'region' THEN 'r:' || country_code || ':' || admin1
                WHEN geonameid IS NOT NULL THEN 'g:' || geonameid
                WHEN level = 'city' THEN 'l:' || coalesce(country_code, '')
                ELSE 's:' || story_id
            END AS site,
            CASE WHEN level IN ('city', 'region') AND country_code IS NOT NULL AND admin1 IS NOT NULL
                THEN 'r:' || country_code || ':' || admin1
            END AS region_key
        FROM levelled
    ), own AS (
        SELECT mention_id, story_id, site, region_key, coalesce(region_key, site) AS own_block FROM placed
    ), straddled AS (
        SELECT DISTINCT unnest(list(DISTINCT own_block)) AS own_block
        FROM own GROUP BY site HAVING count(DISTINCT own_block) > 1
    ), sited AS (
        SELECT mention_id, story_id, site, region_key,
            CASE WHEN own_block IN (SELECT own_block FROM straddled) THEN '{SHARED_SITES_BLOCK}' ELSE own_block END AS site_block
        FROM own
    ), story_blocks AS (
        SELECT DISTINCT story_id, site_block FROM sited
    ), name_links AS (
        SELECT a.site_block AS block, b.site_block AS other
        FROM ({NAME_TIES_SQL}) AS t
        JOIN story_blocks AS a ON a.story_id = t.story_id JOIN story_blocks AS b ON b.story_id = t.story_id_other
        WHERE a.site_block <> b.site_block
    ), linked AS (
        SELECT block, other FROM name_links UNION SELECT other, block FROM name_links
    ), reached(block, other) AS (
        SELECT DISTINCT block, block FROM linked
        UNION
        SELECT r.block, l.other FROM reached AS r JOIN linked AS l ON l.block = r.other
    ), chained AS (
        SELECT block, min(other) AS chain_block FROM reached GROUP BY block
    )
    SELECT s.mention_id, s.site, s.region_key, coalesce(c.chain_block, s.site_block) AS block
    FROM sited AS s LEFT JOIN chained AS c ON c.block = s.site_block
"""


def reconcile_events(
    conn: duckdb.DuckDBPyConnection, policy: str = "max_non_party", ratio_threshold: float = 3.0, full_refresh: bool = False
) -> dict[str, int]:
    """Reconcile the grouping blocks whose mentions changed, and link their mentions to their
    events in mention_events.

    A block whose fingerprint is unchanged is still redone when any of its mentions but a
    running total has no event (a database moved from the earlier single mentions table
    with some left unlinked).

    Every block is reconciled when the policy or ratio threshold differ from those recorded
    in reconciled_blocks, or when full_refresh. Since grouping never crosses a block (see
    MENTION_BLOCKS_SQL), the events of the blocks left alone are exactly those reconciling
    every mention would give. A failure leaves every table as it was (casualties.db.writing).
    """
    from casualties.reconcile import INPUT_COLUMNS

    ensure_tables(conn)
    conn.execute(f"CREATE OR REPLACE TEMP TABLE mention_blocks AS SELECT mention_id, block FROM ({MENTION_BLOCKS_SQL})")
    # A tie is in the block of its stories (MENTION_BLOCKS_SQL puts both in one), and a
    # changed tie, however its names became rare or common, redoes the block.
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE block_name_ties AS
        SELECT DISTINCT b.block, t.story_id, t.story_id_other, t.shared_names, t.shared_day
        FROM ({NAME_TIES_SQL}) AS t JOIN extracted_mentions AS m USING (story_id) JOIN mention_blocks AS b USING (mention_id)
        """
    )
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE block_inputs AS
        WITH ties AS (
            SELECT block, CAST(bit_xor(hash(story_id, story_id_other, shared_names, shared_day)) AS VARCHAR) AS ties_hash
            FROM block_name_ties GROUP BY block
        )
        SELECT b.block, count(*) AS mention_count,
               CAST(bit_xor(hash({', '.join(f'm.{name}' for name in INPUT_COLUMNS)})) AS VARCHAR)
                   || coalesce(':' || any_value(ties.ties_hash), '') AS input_hash,
               count(*) FILTER (WHERE linked.event_id IS NULL AND NOT coalesce(m.is_aggregate, false)) AS unlinked_count
        FROM extracted_mentions AS m JOIN mention_blocks AS b USING (mention_id) LEFT JOIN ties USING (block)
        LEFT JOIN mention_events AS linked USING (mention_id)
        GROUP BY b.block
        """
    )
    rebuild = full_refresh or settings_changed(conn, policy, ratio_threshold)
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE affected_blocks AS "
        + (
            "SELECT block FROM block_inputs"
            if rebuild
            else """
            SELECT coalesce(i.block, r.block) AS block
            FROM block_inputs AS i FULL JOIN reconciled_blocks AS r ON i.block = r.block
            WHERE i.block IS NULL OR r.block IS NULL OR i.mention_count <> r.mention_count OR i.input_hash <> r.input_hash
               OR i.unlinked_count > 0
            """
        )
    )
    try:
        counts = {
            "blocks_removed": 0 if rebuild else int(scalar(conn, "SELECT count(*) FROM affected_blocks WHERE block NOT IN (SELECT block FROM block_inputs)")),
            "blocks_unchanged": int(scalar(conn, "SELECT count(*) FROM block_inputs WHERE block NOT IN (SELECT block FROM affected_blocks)")),
            "blocks_reconciled": 0,
            "mentions_reconciled": 0,
        }
        # A rebuild writes fresh tables; an update replaces the affected blocks' rows in place.
        written = [TABLES_BY_NAME[name] for name in (*RECONCILED_TABLES, RECONCILED_BLOCKS.name)]
        with writing(conn, written, rebuild) as into:
            if not rebuild:
                delete_reconciled_blocks(conn)
            for blocks in block_groups(conn):
                counts["mentions_reconciled"] += reconcile_blocks(conn, blocks, policy, ratio_threshold, into)
                counts["blocks_reconciled"] += len(blocks)
            conn.execute(
                f"""
                INSERT INTO {into[RECONCILED_BLOCKS.name]}
                SELECT block, mention_count, input_hash, ?, ?, ? FROM block_inputs WHERE block IN (SELECT block FROM affected_blocks)
                """,
                [policy, ratio_threshold, utc_now()],
            )
    finally:
        for name in ("mention_blocks", "block_name_ties", "block_inputs", "affected_blocks"):
            conn.execute(f"DROP TABLE IF EXISTS {name}")
    return {**table_counts(conn, RECONCILED_TABLES), **counts}


def settings_changed(conn: duckdb.DuckDBPyConnection, policy: str, ratio_threshold: float) -> bool:
    """Whether the recorded blocks were reconciled otherwise, or events predate blocks."""
    recorded = conn.execute("SELECT DISTINCT policy, ratio_threshold FROM reconciled_blocks").fetchall()
    return recorded != [(policy, ratio_threshold)] or int(scalar(conn, "SELECT count(*) FROM events WHERE grouping_block IS NULL")) > 0


def delete_reconciled_blocks(conn: duckdb.DuckDBPyConnection) -> None:
    """Delete the affected blocks' events, with every row that hangs off them, and their records."""
    affected_events = "SELECT event_id FROM events WHERE grouping_block IN (SELECT block FROM affected_blocks)"
    for name in RECONCILED_TABLES:
        if name != EVENTS.name:
            conn.execute(f"DELETE FROM {name} WHERE event_id IN ({affected_events})")
    conn.execute("DELETE FROM events WHERE grouping_block IN (SELECT block FROM affected_blocks)")
    conn.execute("DELETE FROM reconciled_blocks WHERE block IN (SELECT block FROM affected_blocks)")


def block_groups(conn: duckdb.DuckDBPyConnection) -> Iterator[list[str]]:
    """The affected blocks that still have mentions, in groups of about MENTIONS_PER_READ mentions."""
    group: list[str] = []
    size = 0
    for block, mention_count in conn.execute(
        "SELECT block, mention_count FROM block_inputs WHERE block IN (SELECT block FROM affected_blocks) ORDER BY block"
    ).fetchall():
        if group and size + mention_count > MENTIONS_PER_READ:
            yield group
            group, size = [], 0
        group.append(block)
        size += mention_count
    if group:
        yield group


def reconcile_blocks(
    conn: duckdb.DuckDBPyConnection, blocks: list[str], policy: str, ratio_threshold: float, into: Mapping[str, str]
) -> int:
    """Reconcile the blocks' mentions and insert their event rows and links `into` the
    tables' names for this write."""
    from casualties.reconcile import INPUT_COLUMNS, reconcile

    mentions = conn.sql(
        f"""
        SELECT b.block, {', '.join(f'm.{name}' for name in INPUT_COLUMNS)}
        FROM extracted_mentions AS m JOIN mention_blocks AS b USING (mention_id)
        WHERE b.block IN (SELECT unnest($blocks))
        """,
        params={"blocks": blocks},
    ).pl()
    name_ties = conn.sql(
        "SELECT DISTINCT story_id, story_id_other, shared_names, shared_day FROM block_name_ties WHERE block IN (SELECT unnest($blocks))",
        params={"blocks": blocks},
    ).pl()
    result = reconcile(mentions, policy=policy, ratio_threshold=ratio_threshold, name_ties=name_ties)
    event_blocks = (
        result.mention_events.join(mentions.select("mention_id", "block"), on="mention_id")
        .select("event_id", pl.col("block").alias("grouping_block"))
        .unique()
    )
    # An event whose mentions lay in two blocks would appear twice here and break the events key.
    frames = {**result.tables(), EVENTS.name: result.events.drop("grouping_block").join(event_blocks, on="event_id")}
    for name in RECONCILED_TABLES:
        insert_frame(conn, TABLES_BY_NAME[name], frames[name], into[name])
    return mentions.height


def table_counts(conn: duckdb.DuckDBPyConnection, names: Iterable[str]) -> dict[str, int]:
    return {name: row_count(conn, name) for name in names}
