"""Scheduled rebuilds: every night, everything from raw, for when rules or the model changed."""

from dagster import AssetSelection, DefaultScheduleStatus, RunConfig, ScheduleDefinition, define_asset_job

from assets.config import StageConfig
from assets.reconciled import ReconciliationConfig

INCREMENTAL_STAGES = ("raw", "cleaned", "extracted")

process_new_articles = define_asset_job(
    name="process_new_articles",
    selection=AssetSelection.all(),
    description="Ingest the input folder and take only new documents through cleaning and extraction.",
)

rebuild_everything = define_asset_job(
    name="rebuild_everything",
    selection=AssetSelection.all(),
    description="Re-read every input file and rebuild every stage from it, with all quality checks.",
    config=RunConfig(
        ops={**{stage: StageConfig(full_refresh=True) for stage in INCREMENTAL_STAGES}, "reconciled": ReconciliationConfig(full_refresh=True)}
    ),
)

nightly_rebuild = ScheduleDefinition(
    name="nightly_rebuild",
    job=rebuild_everything,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Rebuild every table from raw at 03:00 UTC.",
)
