"""Stage reconciled: one row per real-world event, with low / best / high figures and provenance."""

from dagster import AssetExecutionContext, MaterializeResult, multi_asset
from dagster_duckdb import DuckDBResource
from pydantic import Field

from assets.config import StageConfig
from assets.metadata import table_metadata, table_spec
from casualties.stages import RECONCILED_TABLES, reconcile_events
from casualties.tables import EXTRACTED_MENTIONS, TABLES_BY_NAME
from data_quality.checks import table_checks

TOP_EVENTS = """
    SELECT e.location, e.country_code, e.date_start, e.kind, f.casualty_type, f.victim_group, f.low, f.best, f.high, e.n_documents
    FROM event_figures AS f JOIN events AS e USING (event_id)
    WHERE f.casualty_type = 'killed' AND f.victim_group IS NULL
    ORDER BY f.best DESC NULLS LAST LIMIT 10
"""


class ReconciliationConfig(StageConfig):
    policy: str = Field(default="max_non_party", description="How 'best' is chosen: max_non_party (highest figure from a non-party source) or conservative (= low, ACLED-style).")
    ratio_threshold: float = Field(default=3.0, description="Figures further apart than this ratio are listed in event_conflicts.")


@multi_asset(specs=[table_spec(TABLES_BY_NAME[name], deps=[EXTRACTED_MENTIONS.name]) for name in RECONCILED_TABLES], name="reconciled")
def reconciled(context: AssetExecutionContext, config: ReconciliationConfig, duckdb: DuckDBResource):
    """Group mentions into events and compute each event's figures, claims, conflicts and history."""
    with duckdb.get_connection() as conn:
        counts = reconcile_events(conn, policy=config.policy, ratio_threshold=config.ratio_threshold, full_refresh=config.full_refresh)
        blocks = {name: counts[name] for name in ("blocks_reconciled", "mentions_reconciled", "blocks_unchanged", "blocks_removed")}
        context.log.info(
            f"reconciled {counts['blocks_reconciled']} blocks ({counts['mentions_reconciled']} mentions), "
            f"{counts['blocks_unchanged']} unchanged ones skipped, {counts['blocks_removed']} emptied ones removed: "
            f"{counts['events']} events with {counts['event_figures']} figures"
        )
        for name in RECONCILED_TABLES:
            yield MaterializeResult(
                asset_key=name,
                metadata={
                    **table_metadata(conn, TABLES_BY_NAME[name], TOP_EVENTS if name == "events" else None),
                    "policy": config.policy,
                    **blocks,
                },
            )


reconciled_checks = [table_checks("gx_reconciled", RECONCILED_TABLES)]
