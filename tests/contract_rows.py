"""Rows written as the stages write them, for tests that build a database by hand."""

from __future__ import annotations

import duckdb
import polars as pl

from casualties.db import insert_frame
from casualties.tables import CASUALTY_MENTIONS, EXTRACTED_MENTIONS, MENTION_EVENTS, TABLES_BY_NAME


def insert_rows(conn: duckdb.DuckDBPyConnection, table_name: str, frame: pl.DataFrame) -> None:
    """Insert the frame into the table; rows of the casualty_mentions view go to the tables
    behind it: extracted_mentions, and mention_events for those with an event_id."""
    if table_name != CASUALTY_MENTIONS.name:
        insert_frame(conn, TABLES_BY_NAME[table_name], frame)
        return
    insert_frame(conn, EXTRACTED_MENTIONS, frame)
    if "event_id" in frame.columns:
        insert_frame(conn, MENTION_EVENTS, frame.filter(pl.col("event_id").is_not_null()))
