"""Validate frames read from DuckDB with GX Core 1.x, and record every outcome in quality_results.

GX runs on pandas frames in an ephemeral context: its SQL datasource fails every
expectation on DuckDB, and the `dagster-ge` integration only supports GX < 1.0.
Tables are read in slices of KEYS_PER_READ values of their first key column, and validated
in chunks of whole slices of about CHUNK_BYTES, so memory does not grow with the table:
neither GX's frames nor DuckDB's joins for the derived columns ever hold the whole table.
"""

from __future__ import annotations

import dataclasses
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import groupby
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from casualties.db import ensure_tables, insert_frame, transaction
from casualties.memory import release_freed_memory
from casualties.stages import key_slices, utc_now
from casualties.tables import QUALITY_RESULTS
from data_quality.suites import SUITES, Suite, SuiteExpectation, time_parameters

if TYPE_CHECKING:
    from great_expectations.core.batch_definition import BatchDefinition
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation import Expectation

SAMPLE_SIZE = 10
# Arrow bytes per frame handed to GX; pandas and GX's metrics take many times that (GX
# holds some 300 MB for 18,000 mentions). By bytes, not rows: 4 MB is some 2,000 documents
# of raw text, or 9,000 mentions. Each chunk costs GX a fixed half second or so.
CHUNK_BYTES = 4 * 1024 * 1024
KEYS_PER_READ = 2_048

ConnectionSource = duckdb.DuckDBPyConnection | Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]

CONDITION_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
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


def gx_expectation(expectation: SuiteExpectation, position: int) -> Expectation:
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column

    options: dict[str, Any] = {"meta": {"position": position}}
    if expectation.where:
        compare = CONDITION_OPERATORS[expectation.where.operator]
        options["row_condition"] = compare(Column(expectation.where.column), expectation.where.value)
    return getattr(gx.expectations, expectation.gx_class)(**expectation.arguments, **options)


def validate_frame(suite: Suite, frame: pl.DataFrame, checked_at: datetime | None = None) -> list[ExpectationOutcome]:
    """Run every expectation of the suite on the frame; `checked_at` (naive UTC) is 'now' for date checks.

    GX gives a verdict alone in half the time it takes to count and sample failing rows,
    and almost every expectation holds: all are validated for their verdicts first, and
    only the failing ones again for their evidence.
    """
    if frame.is_empty() and all(is_row_expectation(expectation.gx_class) for expectation in suite.expectations):
        # No rows, no failing row: GX would say so too, in some 50 ms.
        return [to_outcome(suite, expectation, {"success": True, "result": passing_counts(expectation, frame)}) for expectation in suite.expectations]
    return validate_frame_with_gx(suite, frame, checked_at)


def validate_frame_with_gx(suite: Suite, frame: pl.DataFrame, checked_at: datetime | None = None) -> list[ExpectationOutcome]:
    batch = frame_batch_definition().get_batch(batch_parameters={"dataframe": frame.to_pandas()})
    parameters = time_parameters(checked_at or utc_now())
    results: dict[int, dict[str, Any]] = {}
    failing: list[int] = []
    verdicts = batch.validate(whole_gx_suite(suite), result_format={"result_format": "BOOLEAN_ONLY"}, expectation_parameters=parameters)
    for verdict in verdicts.results:
        position = verdict.expectation_config.meta["position"]
        if verdict.success:
            results[position] = {**verdict.to_json_dict(), "result": passing_counts(suite.expectations[position], frame)}
        else:
            failing.append(position)

    def sample_columns_at(position: int) -> tuple[str, ...]:
        return suite.sample_columns(suite.expectations[position])

    # GX takes the columns that identify failing rows per validation, not per
    # expectation: expectations are validated in groups sharing those columns.
    for sample_columns, group in groupby(sorted(failing, key=sample_columns_at), key=sample_columns_at):
        result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}
        if sample_columns:
            result_format["unexpected_index_column_names"] = list(sample_columns)
        validation = batch.validate(gx_suite(suite, group), result_format=result_format, expectation_parameters=parameters)
        for result in validation.results:
            results[result.expectation_config.meta["position"]] = result.to_json_dict()
    return [to_outcome(suite, expectation, results[position]) for position, expectation in enumerate(suite.expectations)]


def whole_gx_suite(suite: Suite) -> ExpectationSuite:
    """Every expectation of the suite, built once per process: a table is validated in
    chunks, and GX sets an expectation up on its first validation."""
    key = suite_key(suite)
    if key not in _whole_gx_suites:
        _whole_gx_suites[key] = gx_suite(suite, range(len(suite.expectations)))
    return _whole_gx_suites[key]


SuiteKey = tuple[str, tuple[str, ...]]
_whole_gx_suites: dict[SuiteKey, ExpectationSuite] = {}


def suite_key(suite: Suite) -> SuiteKey:
    return (suite.name, tuple(expectation.readable for expectation in suite.expectations))


def gx_suite(suite: Suite, positions: Iterable[int]) -> ExpectationSuite:
    import great_expectations as gx

    gx_suite = gx.ExpectationSuite(name=suite.name)
    for position in positions:
        gx_suite.add_expectation(gx_expectation(suite.expectations[position], position))
    return gx_suite


def passing_counts(expectation: SuiteExpectation, frame: pl.DataFrame) -> dict[str, int]:
    """What GX's summary of a passing expectation would count: no failing rows among the
    rows it read (those meeting its condition), for the expectations that go row by row."""
    if not is_row_expectation(expectation.gx_class):
        return {}
    rows = frame
    if expectation.where:
        rows = frame.filter(CONDITION_OPERATORS[expectation.where.operator](pl.col(expectation.where.column), expectation.where.value))
    return {"element_count": rows.height, "unexpected_count": 0}


@cache
def is_row_expectation(gx_class: str) -> bool:
    import great_expectations as gx
    from great_expectations.expectations.expectation import ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation

    return issubclass(getattr(gx.expectations, gx_class), (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation))


def to_outcome(suite: Suite, expectation: SuiteExpectation, result: dict[str, Any]) -> ExpectationOutcome:
    details = result.get("result") or {}
    return ExpectationOutcome(
        suite=suite.name,
        asset=suite.table.name,
        stage=suite.table.stage,
        expectation=expectation.readable,
        check_name=expectation.check_name,
        blocking=expectation.blocking,
        success=bool(result["success"]),
        unexpected_count=details.get("unexpected_count"),
        element_count=details.get("element_count"),
        failing_sample=[] if result["success"] else failing_sample(result),
        result=result,
    )


def failing_sample(result: dict[str, Any]) -> list[Any]:
    """The most telling evidence GX gave: failing rows with their keys, values, mismatches or errors."""
    details = result.get("result") or {}
    for evidence in (
        details.get("partial_unexpected_index_list"),
        details.get("partial_unexpected_list"),
        (details.get("details") or {}).get("mismatched"),
    ):
        if evidence:
            return list(evidence[:SAMPLE_SIZE])
    exceptions = result.get("exception_info") or {}
    # Per-metric errors come keyed by metric id, one error alone as a flat record.
    records = exceptions.values() if "raised_exception" not in exceptions else [exceptions]
    messages = [record["exception_message"] for record in records if isinstance(record, dict) and record.get("exception_message")]
    return messages or [details.get("observed_value")]


def unreadable_frame_outcomes(suite: Suite, error: duckdb.Error) -> list[ExpectationOutcome]:
    """A frame that cannot be read (a table or column missing) fails every expectation on it."""
    message = f"{suite.name} could not be read: {error}"
    return [
        to_outcome(suite, expectation, {"success": False, "result": {}, "exception_info": {"raised_exception": True, "exception_message": message}})
        for expectation in suite.expectations
    ]


def validate_suite(
    conn: duckdb.DuckDBPyConnection,
    suite: Suite,
    checked_at: datetime,
    written_since: datetime | None = None,
    shared_frames: dict[str, pl.DataFrame] | None = None,
) -> list[ExpectationOutcome]:
    """Every expectation of the suite over its frame, validated chunk by chunk: the whole
    table, or the slices of the keys written since `written_since` when the suite knows
    when its rows were written."""
    try:
        chunks = []
        for frame in frame_chunks(conn, suite, written_since, shared_frames):
            chunks.append(validate_frame(suite, frame, checked_at))
            del frame
            release_freed_memory()
    except duckdb.Error as error:
        return unreadable_frame_outcomes(suite, error)
    return [merge_chunk_outcomes(parts) for parts in zip(*chunks, strict=True)]


def frame_chunks(
    conn: duckdb.DuckDBPyConnection,
    suite: Suite,
    written_since: datetime | None = None,
    shared_frames: dict[str, pl.DataFrame] | None = None,
) -> Iterator[pl.DataFrame]:
    """The suite's frame, slice by slice, in chunks of whole slices of about CHUNK_BYTES;
    one empty frame when there is nothing to read. A frame several suites share is read
    once into `shared_frames` (by its SQL) and taken from there."""
    if suite.shared_by_table is not None:
        shared_frames = {} if shared_frames is None else shared_frames
        if suite.frame_sql not in shared_frames:
            shared_frames[suite.frame_sql] = read_frame(conn, suite)
        yield shared_frames[suite.frame_sql].filter(pl.col("table_name") == suite.shared_by_table).drop("table_name")
        return
    if suite.slice_key is None:
        yield read_frame(conn, suite)
        return
    gathered: list[pl.DataFrame] = []
    size = 0
    empty = True
    keys_sql = f"SELECT DISTINCT t.{suite.slice_key} FROM {suite.table.name} AS t"
    parameters: dict[str, object] = {}
    if written_since is not None and suite.written_at:
        keys_sql += f" WHERE {suite.written_at} >= $since"
        parameters["since"] = written_since
    for keys in key_slices(conn, f"{keys_sql} ORDER BY 1", parameters or None, KEYS_PER_READ):
        empty = False
        gathered.append(read_frame(conn, suite, {"keys": [key for key in keys if key is not None], "with_null": None in keys}))
        size += gathered[-1].estimated_size()
        if size >= CHUNK_BYTES:
            yield pl.concat(gathered)
            gathered, size = [], 0
    if gathered:
        yield pl.concat(gathered)
    if empty:
        yield read_frame(conn, suite, {"keys": [], "with_null": False})


def read_frame(conn: duckdb.DuckDBPyConnection, suite: Suite, parameters: dict[str, object] | None = None) -> pl.DataFrame:
    """The suite's frame_sql, with the relations it reads registered while it runs."""
    for name, relation in suite.relations.items():
        conn.register(name, relation)
    try:
        return conn.sql(suite.frame_sql, params=parameters).pl()
    finally:
        for name in suite.relations:
            conn.unregister(name)


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
    """Validate the tables' suites and append one quality_results row per expectation.

    A table in `written_since` is validated only in the rows written since its time (with
    every row sharing a key with them), where the table records when its rows were written.

    `connection` is an open connection, or a function opening one (such as
    `DuckDBResource.get_connection`): then it is opened once to read, while the chunks
    are validated, and once to write.
    """
    checked_at = utc_now()
    since = written_since or {}
    shared_frames: dict[str, pl.DataFrame] = {}
    with opened(connection) as conn:
        outcomes = [
            outcome
            for name in table_names
            for suite in SUITES[name]
            for outcome in validate_suite(conn, suite, checked_at, since.get(name), shared_frames)
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
                    "suite": outcome.suite,
                    "check": outcome.check_name,
                    "blocking": outcome.blocking,
                    "element_count": outcome.element_count,
                    "failing_sample": outcome.failing_sample,
                    "gx_result": outcome.result,
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
