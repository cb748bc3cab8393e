"""The report: one self-contained HTML page beside the database, for people who would rather look."""

from pathlib import Path

from dagster import AssetExecutionContext, AutomationCondition, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from casualties.report import write_report
from casualties.stages import RECONCILED_TABLES


def report_path(database: str) -> Path:
    return Path(database).with_name("report.html")


@asset(
    name="report",
    group_name="report",
    deps=list(RECONCILED_TABLES),
    kinds={"html"},
    automation_condition=AutomationCondition.eager(),
    description="Self-contained HTML page (works offline) beside the database: sortable events, figure histories, sources and sentences, claims, conflicts, a place chart.",
)
def report(context: AssetExecutionContext, duckdb: DuckDBResource) -> MaterializeResult:
    target = report_path(duckdb.database)
    with duckdb.get_connection() as conn:
        written = write_report(conn, target)
    context.log.info(f"report written to {written}")
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(written)),
            "url": MetadataValue.url(written.as_uri()),
            "bytes": written.stat().st_size,
        }
    )
