"""Stage cleaned: stories and their segments (headline, body, caption, embedded_post)."""

from dagster import AssetExecutionContext, MaterializeResult, multi_asset
from dagster_duckdb import DuckDBResource

from assets.config import StageConfig
from assets.metadata import table_metadata, table_spec
from casualties.stages import build_stories
from casualties.tables import DOCUMENTS, STORIES, STORY_SEGMENTS
from data_quality.checks import table_checks


@multi_asset(specs=[table_spec(STORIES, deps=[DOCUMENTS.name]), table_spec(STORY_SEGMENTS, deps=[DOCUMENTS.name])], name="cleaned")
def cleaned(context: AssetExecutionContext, config: StageConfig, duckdb: DuckDBResource):
    """Split new documents into stories; strip chrome; keep captions and embedded posts as marked segments."""

    def log_progress(done: int, total: int) -> None:
        context.log.info(f"cleaned {done} of {total} documents")

    with duckdb.get_connection() as conn:
        counts = build_stories(conn, full_refresh=config.full_refresh, progress=log_progress)
        yield MaterializeResult(
            asset_key=STORIES.name,
            metadata={
                **table_metadata(conn, STORIES, "SELECT story_id, title, publisher, dateline, published_at, date_source, n_captions, n_duplicate_captions, n_embedded_posts, n_words, left(text, 80) AS text FROM stories ORDER BY story_id LIMIT 10"),
                "documents_cleaned": counts["documents_cleaned"],
                "stories_written": counts["stories"],
                "full_refresh": config.full_refresh,
            },
        )
        yield MaterializeResult(
            asset_key=STORY_SEGMENTS.name,
            metadata={
                **table_metadata(conn, STORY_SEGMENTS, "SELECT segment_id, kind, occurrences, author, posted_at, left(text, 80) AS text FROM story_segments WHERE kind <> 'body' ORDER BY segment_id LIMIT 10"),
                "segments_written": counts["story_segments"],
            },
        )


cleaned_checks = [table_checks("gx_cleaned", [STORIES.name, STORY_SEGMENTS.name])]
