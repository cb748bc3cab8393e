"""What every asset shows in the UI: its table's contract, row counts and a preview."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
from dagster import AssetSpec, AutomationCondition, MetadataValue, TableColumn, TableSchema

from casualties.db import row_count
from casualties.markdown import markdown_table
from casualties.tables import Table

PREVIEW_ROWS = 10


def column_schema(table: Table) -> TableSchema:
    return TableSchema(
        columns=[
            TableColumn(name=column.name, type=column.sql_type, description=column.description)
            for column in table.columns
        ]
    )


def table_spec(table: Table, deps: Sequence[str] = ()) -> AssetSpec:
    return AssetSpec(
        key=table.name,
        description=table.description,
        group_name=table.stage,
        deps=list(deps),
        kinds={"duckdb", "polars"},
        automation_condition=AutomationCondition.eager() if deps else None,
        metadata={
            "dagster/column_schema": column_schema(table),
            "dagster/table_name": f"main.{table.name}",
            "primary_key": ", ".join(table.primary_key),
        },
    )


def table_metadata(conn: duckdb.DuckDBPyConnection, table: Table, preview_sql: str | None = None) -> dict[str, object]:
    preview = conn.sql(preview_sql or f"SELECT * FROM {table.name} LIMIT {PREVIEW_ROWS}").pl()
    return {
        "dagster/row_count": row_count(conn, table.name),
        "preview": MetadataValue.md(markdown_table(preview)),
    }
