"""DuckDB access: create the contract's tables and write a stage's tables atomically."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from casualties.tables import ALL_TABLES, CASUALTY_MENTIONS, EXTRACTED_MENTIONS, MENTION_EVENTS, Table


def utc_now() -> datetime:
    """Now as the tables stamp their rows: naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


# DuckDB would otherwise take up to 80% of the machine's memory for its cache and
# operators. Its cache keeps the blocks a run reads and writes, so under a cap larger than
# the database a process grows with the corpus (20,000 articles make a 100 MB database).
# Beyond the cap DuckDB evicts cached blocks (the OS still caches the file) and spills
# operators to `<database>.tmp`. A whole run at 20,000 articles peaked at 614 MB under
# 2GB, 600 MB under 128MB and 577 MB under 64MB, which it also passed: the checks read
# tables in slices, so no join holds a whole table.
DEFAULT_MEMORY_LIMIT = "128MB"


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection whose memory cap is CASUALTIES_DUCKDB_MEMORY (default DEFAULT_MEMORY_LIMIT)."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    memory_limit = os.environ.get("CASUALTIES_DUCKDB_MEMORY", DEFAULT_MEMORY_LIMIT)
    return duckdb.connect(str(path), read_only=read_only, config={"memory_limit": memory_limit})


# An analyst's connection: read-only, and DuckDB's own guards set before any SQL of theirs
# runs, locked so that no statement can lift them. read_only alone does not stop
# `COPY ... TO` (it writes a file, not the database), nor does it stop EXPLAIN ANALYZE,
# which runs the statement it explains; with external access off nothing reads or writes
# a file but the database, and no extension is installed or loaded.
QUERY_GUARDS = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


def connect_for_query(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection on which no statement can write anything anywhere."""
    memory_limit = os.environ.get("CASUALTIES_DUCKDB_MEMORY", DEFAULT_MEMORY_LIMIT)
    return duckdb.connect(str(path), read_only=True, config={"memory_limit": memory_limit, **QUERY_GUARDS})


# The comments on the tables and views of the current schema (column_name NULL) and on their columns.
CATALOG_COMMENTS = """
SELECT table_name, NULL AS column_name, comment FROM duckdb_tables() WHERE schema_name = current_schema()
UNION ALL
SELECT view_name, NULL, comment FROM duckdb_views() WHERE schema_name = current_schema() AND NOT internal
UNION ALL
SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = current_schema()
"""


def ensure_tables(conn: duckdb.DuckDBPyConnection, tables: tuple[Table, ...] = ALL_TABLES) -> None:
    """Create missing tables and views (a view again when it lacks a column) and bring their
    comments up to the contract's, so the catalog documents itself. Comments already right
    are left alone: every COMMENT is a write."""
    if CASUALTY_MENTIONS in tables:
        split_mentions_table(conn)
    add_missing_columns(conn, tables)
    catalog = {(table_name, column_name): comment for table_name, column_name, comment in conn.execute(CATALOG_COMMENTS).fetchall()}
    for table in tables:
        created = any((table.name, name) not in catalog for name in (None, *table.column_names))
        if created:
            conn.execute(table.create_sql())
        for column_name, comment in table.comments().items():
            if created or catalog.get((table.name, column_name)) != comment:
                conn.execute(table.comment_sql(column_name))


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All writes inside commit together or not at all: a failed stage leaves every table as it was."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# Staging copies of a stage's tables during a rebuild live in this schema, out of the
# analysts' sight (main holds the contract's tables alone); a rebuild that failed or was
# killed leaves them behind, and the next one drops them first.
STAGING_SCHEMA = "staging"


@contextmanager
def writing(conn: duckdb.DuckDBPyConnection, tables: Sequence[Table], rebuild: bool) -> Iterator[dict[str, str]]:
    """The names a stage writes `tables` under, mapped from their own: either way readers
    see the tables change all at once, or not at all if the stage fails.

    Not rebuilding, the stage writes the tables themselves in one transaction. Rebuilding,
    it writes empty staging copies in STAGING_SCHEMA, and each insert commits by itself:
    DuckDB holds a transaction's new rows in memory until it commits (100,000 mentions
    took 130 MB), so one transaction over a whole corpus would grow with the corpus. On
    success the copies' rows replace the tables' in one transaction (DuckDB moves no table
    between schemas; one INSERT ... SELECT writes whole row groups to the file, 11 MB and
    a quarter of a second for 100,000 rows of 350 bytes); on failure they are dropped.
    """
    if not rebuild:
        with transaction(conn):
            yield {table.name: table.name for table in tables}
        return
    staging = {table.name: f"{STAGING_SCHEMA}.{table.name}" for table in tables}
    drop_staging = [f"DROP TABLE IF EXISTS {name}" for name in staging.values()]
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {STAGING_SCHEMA}")
    for table, statement in zip(tables, drop_staging):
        conn.execute(statement)
        conn.execute(table.create_sql(staging[table.name]))
    try:
        yield staging
    except BaseException:
        for statement in drop_staging:
            conn.execute(statement)
        raise
    with transaction(conn):
        for table in tables:
            conn.execute(f"DROP TABLE {table.name}")
        ensure_tables(conn, tuple(tables))
        for table, statement in zip(tables, drop_staging):
            conn.execute(f"INSERT INTO {table.name} SELECT * FROM {staging[table.name]}")
            conn.execute(statement)
    # The replaced tables' blocks are free only once checkpointed: without it the next
    # stage of the run writes past them, and the file keeps the hole (a quarter of it at
    # 20,000 articles).
    conn.execute("CHECKPOINT")


def conform(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Order and cast a frame's columns to the table's contract; missing nullable columns become null."""
    schema = table.polars_schema()
    missing_required = [
        column.name for column in table.columns if not column.nullable and column.name not in frame.columns
    ]
    if missing_required:
        raise ValueError(f"{table.name}: frame lacks required columns {missing_required}")
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )


# The name a frame being inserted goes by in `insert_frame`'s SELECT.
INCOMING = "_incoming"


def insert_frame(
    conn: duckdb.DuckDBPyConnection, table: Table, frame: pl.DataFrame, into: str | None = None, select: str = f"SELECT * FROM {INCOMING}"
) -> int:
    """Insert the frame, conformed to the table's contract, into the table (or `into`, its
    staging copy), through `select`, which reads it as INCOMING."""
    conformed = conform(frame, table)
    if conformed.height:
        conn.register(INCOMING, conformed.to_arrow())
        try:
            # By name: a table an earlier version created has its newer columns last.
            conn.execute(f"INSERT INTO {into or table.name} BY NAME {select}")
        finally:
            conn.unregister(INCOMING)
    return conformed.height


def scalar(conn: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None) -> object:
    # fetchall, not fetchone: DuckDB 2.0 keeps a half-read result open and refuses further work.
    return conn.execute(sql, parameters or []).fetchall()[0][0]


def row_count(conn: duckdb.DuckDBPyConnection, table_name: str) -> int:
    return int(scalar(conn, f"SELECT count(*) FROM {table_name}"))


def add_missing_columns(conn: duckdb.DuckDBPyConnection, tables: tuple[Table, ...] = ALL_TABLES) -> None:
    """Add the contract's columns that tables created by an earlier version lack.

    `ensure_tables` calls it first: its column comments need every column. New contract
    columns are nullable; they come last, and `insert_frame` inserts by name."""
    existing: dict[str, set[str]] = {}
    for table_name, column_name in conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
    ).fetchall():
        existing.setdefault(table_name, set()).add(column_name)
    for table in tables:
        if table.name not in existing or table.view_sql:
            continue  # ensure_tables creates it whole
        for column in table.columns:
            if column.name not in existing[table.name]:
                conn.execute(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {column.sql_type}")


def split_mentions_table(conn: duckdb.DuckDBPyConnection) -> None:
    """Move a database of an earlier version to the contract's view: it kept each mention's
    event in casualty_mentions.event_id, a table the extracted stage wrote and the reconciled
    stage updated. Its rows go to extracted_mentions, its links to mention_events."""
    found = conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = current_schema() AND table_name = ?", [CASUALTY_MENTIONS.name]
    ).fetchall()
    if found == [(0,)]:
        return
    with transaction(conn):
        for table in (EXTRACTED_MENTIONS, MENTION_EVENTS):
            conn.execute(table.create_sql())
        conn.execute(f"INSERT INTO {EXTRACTED_MENTIONS.name} BY NAME SELECT * EXCLUDE (event_id) FROM {CASUALTY_MENTIONS.name}")
        conn.execute(f"INSERT INTO {MENTION_EVENTS.name} SELECT mention_id, event_id FROM {CASUALTY_MENTIONS.name} WHERE event_id IS NOT NULL")
        conn.execute(f"DROP TABLE {CASUALTY_MENTIONS.name}")
