"""Run each table's checks on DuckDB and record every outcome in quality_results: its GX
suite on frames of its rows, validated with GX Core 1.x, and its SQL checks as queries.

GX runs on pandas frames in an ephemeral context: its SQL datasource fails every
expectation on DuckDB, and the `dagster-ge` integration only supports GX < 1.0.
Tables are read in slices of KEYS_PER_READ values of their first key column, and validated
in chunks of whole slices of about CHUNK_BYTES, so memory does not grow with the table;
rows sharing a key value are always in one chunk, so a key unique in every chunk is unique.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from casualties.db import ensure_tables, insert_frame, transaction, utc_now
from casualties.memory import release_freed_memory
from casualties.stages.slices import key_slices
from casualties.tables import QUALITY_RESULTS, TABLES_BY_NAME, Table
from data_quality.suites import CONSISTENCY_CHECK, CONTRACT_CHECK, WRITTEN_AT, SqlCheck, expectations, readable, sql_checks, time_parameters

if TYPE_CHECKING:
    from great_expectations.core.batch_definition import BatchDefinition
    from great_expectations.core.expectation_suite import ExpectationSuite

SAMPLE_SIZE = 10
# Arrow bytes per frame handed to GX; pandas and GX's metrics take many times that (GX
# holds some 300 MB for 18,000 mentions). By bytes, not rows: 4 MB is some 2,000 documents
# of raw text, or 9,000 mentions. Each chunk costs GX a fixed half second or so.
CHUNK_BYTES = 4 * 1024 * 1024
KEYS_PER_READ = 2_048

ConnectionSource = duckdb.DuckDBPyConnection | Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


@dataclass(frozen=True)
class ExpectationOutcome:
    """One GX expectation's or SQL check's verdict on a table; `check_name` is its asset check."""

    asset: str
    stage: str
    expectation: str
    check_name: str
    blocking: bool
    success: bool
    unexpected_count: int | None
    element_count: int | None
    failing_sample: list[Any]
    result: dict[str, Any]


@cache
def frame_batch_definition() -> BatchDefinition:
    """The whole-dataframe batch definition of an ephemeral context, built once per process (slow)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    # Progress bars would fill the Dagster logs with one line per metric.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("duckdb_frames").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


@cache
def gx_suite(table_name: str) -> ExpectationSuite:
    """The table's suite, built once per process: GX sets an expectation up on its first validation."""
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=table_name)
    # An ephemeral suite gives its expectations no ids: results find theirs by position.
    for position, expectation in enumerate(expectations(table_name)):
        suite.add_expectation(expectation.copy(update={"meta": {"position": position}}))
    return suite


def validate_frame(table: Table, frame: pl.DataFrame, checked_at: datetime | None = None) -> list[ExpectationOutcome]:
    """Every expectation of the table's suite on the frame, in suite order; `checked_at`
    (naive UTC) is 'now' for date checks. Failing rows are named by their primary key."""
    batch = frame_batch_definition().get_batch(batch_parameters={"dataframe": frame.to_pandas()})
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE, "unexpected_index_column_names": list(table.primary_key)}
    parameters = time_parameters(checked_at or utc_now())
    validation = batch.validate(gx_suite(table.name), result_format=result_format, expectation_parameters=parameters)
    results = {result.expectation_config.meta["position"]: result.to_json_dict() for result in validation.results}
    return [
        outcome(table, readable(expectation), expectation.severity.value == "critical", results[position])
        for position, expectation in enumerate(expectations(table.name))
    ]


def outcome(table: Table, expectation: str, blocking: bool, result: dict[str, Any], check_name: str | None = None) -> ExpectationOutcome:
    details = result.get("result") or {}
    return ExpectationOutcome(
        asset=table.name,
        stage=table.stage,
        expectation=expectation,
        check_name=check_name or (CONTRACT_CHECK if blocking else CONSISTENCY_CHECK),
        blocking=blocking,
        success=bool(result["success"]),
        unexpected_count=details.get("unexpected_count"),
        element_count=details.get("element_count"),
        failing_sample=[] if result["success"] else failing_sample(result),
        result=result,
    )


def failing_sample(result: dict[str, Any]) -> list[Any]:
    """The most telling evidence GX gave: failing rows with their keys, values, mismatches or errors."""
    details = result.get("result") or {}
    for evidence in (details.get("partial_unexpected_index_list"), details.get("partial_unexpected_list"), (details.get("details") or {}).get("mismatched")):
        if evidence:
            return list(evidence[:SAMPLE_SIZE])
    exceptions = result.get("exception_info") or {}
    # Per-metric errors come keyed by metric id, one error alone as a flat record.
    records = exceptions.values() if "raised_exception" not in exceptions else [exceptions]
    messages = [record["exception_message"] for record in records if isinstance(record, dict) and record.get("exception_message")]
    return messages or [details.get("observed_value")]


def failed_to_read(table: Table, error: duckdb.Error) -> dict[str, Any]:
    message = f"{table.name} could not be read: {error}"
    return {"success": False, "result": {}, "exception_info": {"raised_exception": True, "exception_message": message}}


def validate_table(conn: duckdb.DuckDBPyConnection, table: Table, checked_at: datetime, written_since: datetime | None = None) -> list[ExpectationOutcome]:
    """The table's GX suite over its rows, chunk by chunk: the whole table, or the slices
    of the keys written since `written_since`. A frame that cannot be read (a table or
    column missing) fails every expectation."""
    try:
        chunks = []
        for frame in frame_chunks(conn, table, written_since):
            chunks.append(validate_frame(table, frame, checked_at))
            del frame
            release_freed_memory()
    except duckdb.Error as error:
        return [outcome(table, readable(expectation), expectation.severity.value == "critical", failed_to_read(table, error)) for expectation in expectations(table.name)]
    return [merge_chunk_outcomes(parts) for parts in zip(*chunks, strict=True)]


def frame_chunks(conn: duckdb.DuckDBPyConnection, table: Table, written_since: datetime | None = None) -> Iterator[pl.DataFrame]:
    """The table's rows, slice by slice, in chunks of whole slices of about CHUNK_BYTES;
    one empty frame when there is nothing to read."""
    gathered: list[pl.DataFrame] = []
    size, empty = 0, True
    key = table.primary_key[0]
    keys_sql = f"SELECT DISTINCT t.{key} FROM {table.name} AS t"
    parameters: dict[str, object] = {}
    if written_since is not None:
        keys_sql += f" WHERE {WRITTEN_AT[table.name]} >= $since"
        parameters["since"] = written_since
    for keys in key_slices(conn, f"{keys_sql} ORDER BY 1", parameters or None, KEYS_PER_READ):
        empty = False
        gathered.append(read_slice(conn, table, keys))
        size += gathered[-1].estimated_size()
        if size >= CHUNK_BYTES:
            yield pl.concat(gathered)
            gathered, size = [], 0
    if gathered or empty:
        yield pl.concat(gathered) if gathered else read_slice(conn, table, [])


def read_slice(conn: duckdb.DuckDBPyConnection, table: Table, keys: list[Any]) -> pl.DataFrame:
    """The contract's columns of the rows whose first key column is in `keys` (None: null)."""
    # GX and pandas handle lists and structs poorly; as JSON text they can still be checked for nulls.
    select_list = ", ".join(
        f"to_json({column.name}) AS {column.name}" if column.sql_type.endswith("[]") or column.sql_type.startswith("STRUCT(") else column.name
        for column in table.columns
    )
    key = table.primary_key[0]
    return conn.sql(
        f"SELECT {select_list} FROM {table.name} WHERE {key} IN (SELECT unnest($keys)) OR ($with_null AND {key} IS NULL)",
        params={"keys": [value for value in keys if value is not None], "with_null": None in keys},
    ).pl()


def merge_chunk_outcomes(parts: Sequence[ExpectationOutcome]) -> ExpectationOutcome:
    """One expectation's outcomes on consecutive chunks as one; GX's own result is the first failing chunk's."""
    failed = [part for part in parts if not part.success]

    def total(counts: list[int | None]) -> int | None:
        return None if any(count is None for count in counts) else sum(count for count in counts if count is not None)

    return dataclasses.replace(
        failed[0] if failed else parts[0],
        success=not failed,
        unexpected_count=total([part.unexpected_count for part in parts]),
        element_count=total([part.element_count for part in parts]),
        failing_sample=[value for part in failed for value in part.failing_sample][:SAMPLE_SIZE],
    )


def run_sql_check(conn: duckdb.DuckDBPyConnection, check: SqlCheck) -> ExpectationOutcome:
    """The check's failing rows: their count, and a sample with their keys."""
    try:
        failing = conn.sql(f"SELECT count(*) FROM ({check.sql})").fetchall()[0][0]
        sample = conn.sql(f"SELECT * FROM ({check.sql}) ORDER BY ALL LIMIT {SAMPLE_SIZE}").pl().to_dicts()
        result = {"success": failing == 0, "result": {"unexpected_count": failing, "partial_unexpected_index_list": sample}, "sql": check.sql}
    except duckdb.Error as error:
        result = {**failed_to_read(check.table, error), "sql": check.sql}
    return outcome(check.table, check.name, check.blocking, result, check_name=check.name)


@contextmanager
def opened(connection: ConnectionSource) -> Iterator[duckdb.DuckDBPyConnection]:
    if isinstance(connection, duckdb.DuckDBPyConnection):
        yield connection
        return
    with connection() as conn:
        try:
            yield conn
        except BaseException:
            # DuckDBResource.get_connection closes only on success: a connection left open
            # by a failed write would keep every later connection of this process out.
            conn.close()
            raise


def run_suites(
    connection: ConnectionSource, table_names: Sequence[str], run_id: str, written_since: Mapping[str, datetime] | None = None
) -> list[ExpectationOutcome]:
    """Run the tables' GX suites and SQL checks and append one quality_results row per outcome.

    A table in `written_since` is validated by GX only in the rows written since its time
    (with every row sharing a key with them); SQL checks read whole tables.

    `connection` is an open connection, or a function opening one (such as
    `DuckDBResource.get_connection`): then it is opened once to read, while the chunks
    are validated, and once to write.
    """
    checked_at = utc_now()
    since = written_since or {}
    with opened(connection) as conn:
        outcomes = [
            *(outcome for name in table_names for outcome in validate_table(conn, TABLES_BY_NAME[name], checked_at, since.get(name))),
            *(run_sql_check(conn, check) for name in table_names for check in sql_checks(name)),
        ]
    with opened(connection) as conn:
        record_outcomes(conn, outcomes, run_id, checked_at)
    return outcomes


def record_outcomes(conn: duckdb.DuckDBPyConnection, outcomes: Sequence[ExpectationOutcome], run_id: str, checked_at: datetime) -> None:
    """Append the outcomes in one transaction; a retried step of the same run replaces its own rows."""
    rows = [
        {
            "run_id": run_id,
            "stage": outcome.stage,
            "asset": outcome.asset,
            "expectation": outcome.expectation,
            "success": outcome.success,
            "unexpected_count": outcome.unexpected_count,
            "details": json.dumps(
                {
                    "check": outcome.check_name,
                    "blocking": outcome.blocking,
                    "element_count": outcome.element_count,
                    "failing_sample": outcome.failing_sample,
                    "result": outcome.result,
                },
                default=str,
            ),
            "checked_at": checked_at,
        }
        for outcome in outcomes
    ]
    assets = sorted({outcome.asset for outcome in outcomes})
    ensure_tables(conn, (QUALITY_RESULTS,))
    with transaction(conn):
        conn.execute("DELETE FROM quality_results WHERE run_id = ? AND list_contains(?, asset)", [run_id, assets])
        insert_frame(conn, QUALITY_RESULTS, pl.DataFrame(rows, schema=QUALITY_RESULTS.polars_schema()))
