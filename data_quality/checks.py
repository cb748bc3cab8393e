"""Each table's checks as Dagster asset checks: its GX suite as `gx_contract` (blocking) and
`gx_consistency`, and each of its SQL checks (data_quality.suites) as a check of its own.

One `@multi_asset_check` step validates a group of tables and yields every check of each:
a table's two GX checks read the same frames, so they are read and validated once. A failed
blocking check fails the step, which stops every asset downstream of any table in it, so
tables share a step only when the same assets are downstream of them (the stories and their
segments, the reconciled tables); a table with other dependants gets a step of its own.
"""

# No `from __future__ import annotations`: Dagster reads the context annotation as a type.
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone

from dagster import (
    AssetCheckExecutionContext,
    AssetKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetChecksDefinition,
    MetadataValue,
    multi_asset_check,
)
from dagster_duckdb import DuckDBResource

from casualties.markdown import markdown_cell
from data_quality.suites import CONSISTENCY_CHECK, CONTRACT_CHECK, sql_checks
from data_quality.validation import ExpectationOutcome, run_suites

SAMPLE_CELL_CHARS = 300
GX_CHECKS = {
    CONTRACT_CHECK: "Blocking: the GX expectations of severity critical: keys unique, not-null, allowed values, bounds, offsets and stage invariants.",
    CONSISTENCY_CHECK: "Warnings: the GX expectations of severity warning: future dates and figures that contradict each other.",
}


def table_checks(step_name: str, table_names: Sequence[str]) -> AssetChecksDefinition:
    """Every check of the tables, validated in one step."""
    specs = [
        spec
        for table_name in table_names
        for spec in (
            *(AssetCheckSpec(name=name, asset=table_name, blocking=name == CONTRACT_CHECK, description=purpose) for name, purpose in GX_CHECKS.items()),
            *(
                AssetCheckSpec(name=check.name, asset=table_name, blocking=check.blocking, description=f"SQL: {check.description}")
                for check in sql_checks(table_name)
            ),
        )
    ]

    @multi_asset_check(specs=specs, name=step_name)
    def run_checks(context: AssetCheckExecutionContext, duckdb: DuckDBResource) -> Iterator[AssetCheckResult]:
        since = written_since(context, list(table_names))
        outcomes = run_suites(duckdb.get_connection, list(table_names), context.run.run_id, since)
        for spec in specs:
            table_name = spec.asset_key.to_user_string()
            in_frames = spec.name in GX_CHECKS and table_name in since
            scope = f"rows written by this run (since {since[table_name]:%Y-%m-%d %H:%M:%S} UTC)" if in_frames else "whole table"
            yield check_result(spec, [outcome for outcome in outcomes if outcome.asset == table_name and outcome.check_name == spec.name], scope)

    return run_checks


def written_since(context: AssetCheckExecutionContext, table_names: Sequence[str]) -> dict[str, datetime]:
    """For each table this run wrote, the run's start (naive UTC, as the tables stamp rows):
    its checks then validate the rows the run wrote. A table left out is validated whole:
    its check runs without its asset (a re-check launched on its own)."""
    record = context.instance.get_run_record_by_id(context.run.run_id)
    if record is None or record.start_time is None:
        return {}
    started = datetime.fromtimestamp(record.start_time, timezone.utc).replace(tzinfo=None)
    names = {AssetKey(name): name for name in table_names}
    return {
        names[asset.asset_entry.asset_key]: started
        for asset in context.instance.get_asset_records(list(names))
        if asset.asset_entry.last_materialization is not None and asset.asset_entry.last_materialization.run_id == context.run.run_id
    }


def check_result(spec: AssetCheckSpec, outcomes: list[ExpectationOutcome], scope: str) -> AssetCheckResult:
    failed = [outcome for outcome in outcomes if not outcome.success]
    return AssetCheckResult(
        asset_key=spec.asset_key,
        check_name=spec.name,
        passed=not failed,
        severity=AssetCheckSeverity.ERROR if spec.blocking else AssetCheckSeverity.WARN,
        description=f"{len(failed)} of {len(outcomes)} expectations failed",
        metadata={
            "scope": scope,
            "expectations_evaluated": len(outcomes),
            "expectations_failed": len(failed),
            "unexpected_counts": MetadataValue.json({outcome.expectation: outcome.unexpected_count for outcome in outcomes}),
            "failing_expectations": MetadataValue.md(failures_markdown(failed)),
        },
    )


def failures_markdown(failed: list[ExpectationOutcome]) -> str:
    if not failed:
        return "All expectations held."

    def cell(value: object) -> str:
        return markdown_cell(value, SAMPLE_CELL_CHARS)

    rows = [
        f"| {cell(outcome.expectation)} | {cell(outcome.unexpected_count)} | {cell(outcome.element_count)} | {cell(outcome.failing_sample)} |"
        for outcome in failed
    ]
    return "\n".join(["| expectation | unexpected | rows | sample of failing values |", "|---|---|---|---|", *rows])
