"""The GX suites as Dagster asset checks: `gx_contract` (blocking) and `gx_consistency` per table.

One `@multi_asset_check` step validates a group of tables and yields both checks of each:
a table's two checks read the same frames, so they are read and validated once. A failed
contract fails the step, which stops every asset downstream of any table in it, so tables
share a step only when the same assets are downstream of them (the stories and their
segments, the six reconciled tables); a table with other dependants gets a step of its own.
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
from data_quality.suites import CONSISTENCY_CHECK, CONTRACT_CHECK, SUITES
from data_quality.validation import ExpectationOutcome, run_suites

SAMPLE_CELL_CHARS = 300
CHECK_PURPOSES = {
    CONTRACT_CHECK: "Blocking: schema, keys, not-null, allowed values, offsets, references and stage invariants.",
    CONSISTENCY_CHECK: "Warnings: future dates and figures that contradict each other.",
}


def check_description(table_name: str, check_name: str) -> str:
    expectations = [
        expectation.readable
        for suite in SUITES[table_name]
        for expectation in suite.expectations
        if expectation.check_name == check_name
    ]
    listed = "\n".join(f"- `{text}`" for text in expectations) or "- (none)"
    return f"{CHECK_PURPOSES[check_name]}\n\n{listed}"


def table_checks(step_name: str, table_names: Sequence[str]) -> AssetChecksDefinition:
    """The contract and consistency checks of the tables, validated in one step."""
    specs_by_table = {
        table_name: [
            AssetCheckSpec(
                name=check_name,
                asset=table_name,
                blocking=check_name == CONTRACT_CHECK,
                description=check_description(table_name, check_name),
            )
            for check_name in (CONTRACT_CHECK, CONSISTENCY_CHECK)
        ]
        for table_name in table_names
    }

    @multi_asset_check(specs=[spec for specs in specs_by_table.values() for spec in specs], name=step_name)
    def gx_checks(context: AssetCheckExecutionContext, duckdb: DuckDBResource) -> Iterator[AssetCheckResult]:
        since = written_since(context, list(specs_by_table))
        outcomes = run_suites(duckdb.get_connection, list(specs_by_table), context.run.run_id, since)
        for table_name, specs in specs_by_table.items():
            scope = "whole table" if table_name not in since else f"rows written by this run (since {since[table_name]:%Y-%m-%d %H:%M:%S} UTC)"
            for spec in specs:
                yield check_result(
                    table_name, spec, [outcome for outcome in outcomes if outcome.asset == table_name and outcome.check_name == spec.name], scope
                )

    return gx_checks


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


def check_result(table_name: str, spec: AssetCheckSpec, outcomes: list[ExpectationOutcome], scope: str) -> AssetCheckResult:
    failed = [outcome for outcome in outcomes if not outcome.success]
    return AssetCheckResult(
        asset_key=table_name,
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
