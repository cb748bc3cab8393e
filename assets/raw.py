"""Stage raw: documents and rejected_documents from the input folder."""

from dagster import AssetExecutionContext, MaterializeResult, multi_asset
from dagster_duckdb import DuckDBResource

from assets.config import StageConfig
from assets.metadata import table_metadata, table_spec
from assets.resources import InputFolder
from casualties.stages import load_raw
from casualties.tables import DOCUMENTS, REJECTED_DOCUMENTS
from data_quality.checks import table_checks

SKIPPED_ITEMS_LOGGED = 20


# rejected_documents is materialized only by runs that changed it: nothing downstream reads
# it, and a run of new articles that rejected none then neither writes an unchanged table's
# materialization nor checks it again.
@multi_asset(specs=[table_spec(DOCUMENTS), table_spec(REJECTED_DOCUMENTS).replace_attributes(skippable=True)], name="raw")
def raw(context: AssetExecutionContext, config: StageConfig, duckdb: DuckDBResource, input_folder: InputFolder):
    """Read the new and changed articles in the input folder; unreadable items become rejections with a reason."""
    root = input_folder.root()
    with duckdb.get_connection() as conn:
        load = load_raw(conn, root, full_refresh=config.full_refresh, follow_links_outside=input_folder.follow_links_outside)
        context.log.info(
            f"read {load.files_read} files ({load.files_unchanged} unchanged ones skipped) from {root}: "
            f"{load.items_read} items, {load.documents_added} new documents, {load.rejections_added} new rejections"
        )
        if load.skipped:
            shown = "; ".join(load.skipped[:SKIPPED_ITEMS_LOGGED]) + ("; ..." if len(load.skipped) > SKIPPED_ITEMS_LOGGED else "")
            context.log.warning(f"{len(load.skipped)} items in {root} not read (see rejected_documents): {shown}")
        yield MaterializeResult(
            asset_key=DOCUMENTS.name,
            metadata={
                **table_metadata(conn, DOCUMENTS, "SELECT doc_id, source_uri, format, encoding, bytes, left(raw_text, 80) AS raw_text FROM documents ORDER BY source_uri LIMIT 10"),
                "input_folder": root.as_posix(),
                "files_read": load.files_read,
                "files_unchanged": load.files_unchanged,
                "items_read": load.items_read,
                "documents_added": load.documents_added,
                "names_added": load.names_added,
            },
        )
        if load.rejections_changed:
            yield MaterializeResult(
                asset_key=REJECTED_DOCUMENTS.name,
                metadata={
                    **table_metadata(conn, REJECTED_DOCUMENTS, "SELECT source_uri, reason, bytes, detected_at FROM rejected_documents ORDER BY source_uri LIMIT 10"),
                    "rejections_added": load.rejections_added,
                },
            )


# Stories are cleaned from the documents alone: a failed contract of the rejections must not stop them.
raw_checks = [table_checks("gx_documents", [DOCUMENTS.name]), table_checks("gx_rejected_documents", [REJECTED_DOCUMENTS.name])]
