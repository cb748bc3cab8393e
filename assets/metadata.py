"""What every asset shows in the UI: its table's contract, row counts and a preview."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl
from dagster import AssetSpec, AutomationCondition, MetadataValue, TableColumn, TableSchema

from casualties.db import row_count
from casualties.tables import Table

PREVIEW_ROWS = 10
PREVIEW_CELL_CHARS = 60


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


def markdown_cell(value: object, limit: int = PREVIEW_CELL_CHARS) -> str:
    """One value as a Markdown table cell: on one line, pipes escaped, cut to `limit` characters."""
    text = "" if value is None else str(value).replace("\n", " ").replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown_table(frame: pl.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(markdown_cell(value) for value in row) + " |" for row in frame.iter_rows()]
    return "\n".join([header, rule, *rows])


def table_metadata(conn: duckdb.DuckDBPyConnection, table: Table, preview_sql: str | None = None) -> dict[str, object]:
    preview = conn.sql(preview_sql or f"SELECT * FROM {table.name} LIMIT {PREVIEW_ROWS}").pl()
    return {
        "dagster/row_count": row_count(conn, table.name),
        "preview": MetadataValue.md(markdown_table(preview)),
    }
