"""The `casualties` command: run the pipeline, query the database, evaluate against a gold file."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import polars as pl
    from dagster import DagsterInstance, ExecuteInProcessResult
    from dagster_shared.error import SerializableErrorInfo

# Statement kinds an analyst's query may hold (DESCRIBE, SHOW, SUMMARIZE and FROM-first
# queries parse as SELECT). What they may do is bounded by the connection, not by this list.
READ_ONLY_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA"}
OUTPUT_FORMATS = ("table", "csv", "json", "parquet")
ERRORS_OUT_DEFAULT = 20
# EXPLAIN's own words before the statement it explains (which EXPLAIN ANALYZE runs).
EXPLAINED = re.compile(r"\s*EXPLAIN\s+(?:ANALY[SZ]E\s+|\([^)]*\)\s*)?", re.IGNORECASE)
# DuckDB's refusal to open a file another process holds.
LOCKED = re.compile(r'Could not set lock on file "(?P<file>[^"]+)": Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)')


def user_message(error_message: str) -> str:
    """The one line a user needs: what went wrong, with which file, and what to do."""
    locked = LOCKED.search(error_message)
    if locked:
        return (
            f"database {locked['file']} is in use by another process (PID {locked['pid']}, {locked['program']}); "
            "wait until it has finished, or stop it, and try again"
        )
    return error_message.strip().splitlines()[0] if error_message.strip() else "failed without a message"


def run_log_path(database: Path) -> Path:
    """Where `casualties run` writes its last run's full event log, stack traces included."""
    return database.with_name(database.name + ".log")


def run_pipeline(input_folder: Path, database: Path, verbose: bool = False) -> int:
    """Materialize every asset and check through the Dagster definitions the UI uses."""
    from dagster import materialize

    from pipelines.definitions import ASSET_CHECKS, ASSETS
    from pipelines.resources import build_resources

    if not input_folder.is_dir():
        print(f"casualties run: input folder {input_folder} does not exist or is not a folder", file=sys.stderr)
        return 2
    instance = run_instance()
    # Without --verbose the terminal shows no Dagster log lines (a failure's are dozens of
    # lines of stack trace): the whole log goes to the log file, and the warnings and each
    # failure's cause are printed below, a line each.
    result = materialize(
        [*ASSETS, *ASSET_CHECKS],
        resources=build_resources(input_folder, database),
        instance=instance,
        raise_on_error=False,
        run_config=console_log_config(verbose, quiet_level="CRITICAL"),
    )
    log_file = run_log_path(database)
    warnings = write_run_log(instance, result.run_id, log_file)
    if not verbose:
        for warning in warnings:
            print(f"Warning: {warning}", file=sys.stderr)
    causes = setup_failures(result)
    for cause in causes:
        print(f"casualties run: {cause} (details: {log_file})", file=sys.stderr)
    if causes:
        return 1
    print_tables(database)
    status = print_outcome(result)
    if status:
        print(f"Details: {log_file}", file=sys.stderr)
    return status


def setup_failures(result: ExecuteInProcessResult) -> list[str]:
    """Why the run failed before any step ran (its resources, the database, could not be set up), a line each."""
    if result.success or any(event.is_step_start for event in result.all_events):
        return []
    errors = [event.event_specific_data.error for event in result.all_events if event.is_failure and getattr(event.event_specific_data, "error", None)]
    return list(dict.fromkeys(user_message(root_cause(error).message) for error in errors)) or ["the run failed before any step ran"]


def write_run_log(instance: DagsterInstance, run_id: str, log_file: Path) -> list[str]:
    """Write the run's event log, with every error's stack trace, to `log_file`; return the
    messages of its warnings."""
    import logging

    warnings: list[str] = []
    with log_file.open("w", encoding="utf-8") as out:
        for entry in instance.all_logs(run_id):
            when = datetime.fromtimestamp(entry.timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
            out.write(f"{when} {logging.getLevelName(entry.level)} {entry.step_key or '-'} {entry.message}\n")
            error = entry.error_info or getattr(entry.dagster_event and entry.dagster_event.event_specific_data, "error", None)
            if error is not None:
                out.write(error.to_string() + "\n")
            if entry.level == logging.WARNING and entry.dagster_event is None:
                warnings.append(entry.user_message)
    return warnings


def run_instance() -> DagsterInstance:
    """The instance at DAGSTER_HOME, where the UI sees the runs; a throwaway one without it."""
    from dagster import DagsterInstance

    dagster_home = os.environ.get("DAGSTER_HOME")
    if not dagster_home:
        return DagsterInstance.ephemeral()
    Path(dagster_home).mkdir(parents=True, exist_ok=True)
    return DagsterInstance.get()


def console_log_config(verbose: bool, quiet_level: str = "WARNING") -> dict[str, Any]:
    return {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else quiet_level}}}}


def print_tables(database: Path) -> None:
    from assets.report import report_path
    from casualties.db import connect, row_count
    from casualties.tables import ALL_TABLES

    # Read-write like the run itself: DuckDB refuses a second configuration of an open file in one process.
    with connect(database) as conn:
        existing = {name for (name,) in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        print(f"Database {database.resolve()}")
        for table in ALL_TABLES:
            if table.name in existing:
                print(f"  {table.name:<20} {row_count(conn, table.name):>8} rows")
    report = report_path(str(database.resolve()))
    if report.exists():
        print(f"Report {report}")


def print_outcome(result: ExecuteInProcessResult) -> int:
    """The checks' verdicts and the failed steps' errors; the exit status of the run."""
    evaluations = result.get_asset_check_evaluations()
    failed = [evaluation for evaluation in evaluations if not evaluation.passed]
    print(f"Checks: {len(evaluations) - len(failed)} passed, {len(failed)} failed")
    for evaluation in failed:
        print(f"  FAILED {evaluation.asset_key.to_user_string()}:{evaluation.check_name} ({evaluation.severity.value})")
    if result.success:
        return 0
    for event in result.all_events:
        if event.is_step_failure:
            print(f"Step {event.step_key} failed: {user_message(root_cause(event.step_failure_data.error).message)}", file=sys.stderr)
    return 1


def root_cause(error: SerializableErrorInfo) -> SerializableErrorInfo:
    while error.cause is not None:
        error = error.cause
    return error


def run_watch(input_folder: Path, database: Path, poll_seconds: float, as_json: bool, runs_only: bool) -> int:
    """Serve until SIGINT or SIGTERM, which let the run in progress finish."""
    import json
    import threading

    if not input_folder.is_dir():
        print(f"casualties watch: input folder {input_folder} does not exist or is not a folder", file=sys.stderr)
        return 2
    if runs_only and not os.environ.get("DAGSTER_HOME"):
        print("casualties watch: --runs-only executes the runs queued in the Dagster instance at DAGSTER_HOME, which is not set", file=sys.stderr)
        return 2
    # Runs queued from the UI are rebuilt from the code location's definitions, whose
    # resources read these: the worker's runs and theirs use the same folder and database.
    os.environ["CASUALTIES_INPUT"] = str(input_folder.resolve())
    os.environ["CASUALTIES_DB"] = str(database.resolve())
    from pipelines.watch import WatchedRun, stop_on_signals, warm_up, watch

    stop = threading.Event()
    stop_on_signals(stop)
    warm_up()
    instance = run_instance()
    watching = "the runs queued for it" if runs_only else f"{input_folder.resolve()} and the runs queued for it"
    print(f"Watching {watching} every {poll_seconds:g} s, writing {database.resolve()}; Ctrl-C stops", flush=True)
    failures = 0

    def report(run: WatchedRun) -> None:
        nonlocal failures
        failures += not run.success
        if as_json:
            print(json.dumps(run.to_dict()), flush=True)
            return
        verdict = "succeeded" if run.success else "FAILED"
        print(f"Run {run.run_id} {verdict} in {run.seconds:.2f} s", flush=True)
        if not run.success or run.checks_failed:
            print_outcome(run.result)

    watch(input_folder, database, instance, report, stop, poll_seconds, console_log_config(False), watch_folder=not runs_only)
    return 1 if failures else 0


def refuse_writes(sql: str) -> str | None:
    """A first, friendly refusal by statement kind, parsed by DuckDB itself. The guard that
    holds is the connection (`casualties.db.connect_for_query`): whatever a statement hides
    (EXPLAIN ANALYZE runs its statement), it can neither write nor reach outside the database."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        return f"cannot parse the query: {error}"
    if not statements:
        return "the query holds no statement"
    for statement in statements:
        kind = statement.type.name
        explained = EXPLAINED.match(statement.query)
        if kind == "EXPLAIN" and explained:
            refusal = refuse_writes(statement.query[explained.end():])
            if refusal:
                return refusal
        elif kind not in READ_ONLY_STATEMENTS:
            return f"refused: a {kind} statement would change the database or reach outside it; 'casualties query' only reads (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA)"
    return None


def run_query(database: Path, sql: str, output_format: str, out: Path | None) -> int:
    import polars as pl

    from casualties.db import connect_for_query

    refusal = refuse_writes(sql)
    if refusal:
        print(f"casualties query: {refusal}", file=sys.stderr)
        return 2
    if not database.exists():
        print(f"casualties query: database {database} does not exist; run 'casualties run' first", file=sys.stderr)
        return 2
    if output_format == "parquet" and out is None:
        print("casualties query: --format parquet needs --out FILE", file=sys.stderr)
        return 2
    with connect_for_query(database) as conn:
        try:
            frame = conn.sql(sql).pl()
        except Exception as error:  # DuckDB raises many error classes; the message is what a user needs
            print(f"casualties query: {error}", file=sys.stderr)
            return 1
    if output_format == "table":
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=200, tbl_hide_dataframe_shape=True):
            text = str(frame)
        out.write_text(text + "\n", encoding="utf-8") if out else print(text)
    elif output_format == "csv":
        flat = flat_for_csv(frame)
        flat.write_csv(out) if out else print(flat.write_csv(), end="")
    elif output_format == "json":
        frame.write_json(out) if out else print(frame.write_json())
    else:
        frame.write_parquet(out)
    if out:
        print(f"{frame.height} rows written to {out}", file=sys.stderr)
    return 0


def flat_for_csv(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV holds no lists or structs (documents.source_uris, say): they go as JSON text."""
    import polars as pl

    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.with_columns(
        pl.struct(pl.col(name).alias("value")).struct.json_encode().str.json_path_match("$.value").alias(name) for name in nested
    )


def run_evaluation(gold: Path, database: Path, as_json: bool, errors: int | None, errors_out: Path | None) -> int:
    """Score against the seeds' gold.json or an incident gold file (gold.jsonl), told apart by shape."""
    import json

    from casualties.evaluate import evaluate, format_evaluation
    from casualties.evaluate_incidents import evaluate_incidents, format_incident_evaluation, is_incident_gold

    for path, what in ((gold, "gold file"), (database, "database")):
        if not path.exists():
            print(f"casualties evaluate: {what} {path} does not exist", file=sys.stderr)
            return 2
    if not is_incident_gold(gold):
        if errors is not None or errors_out is not None:
            print("casualties evaluate: --errors and --errors-out apply to incident gold files; the seeds' report lists every miss", file=sys.stderr)
            return 2
        evaluation = evaluate(gold, database)
        print(json.dumps(evaluation.to_dict(), indent=2, default=str) if as_json else format_evaluation(evaluation))
        return 0
    # --errors-out alone writes the first ERRORS_OUT_DEFAULT misses of each metric.
    limit = errors if errors is not None else (ERRORS_OUT_DEFAULT if errors_out else 0)
    incidents = evaluate_incidents(gold, database)
    if as_json:
        printed_misses = {"misses": incidents.misses_by_metric(limit)} if limit and not errors_out else {}
        print(json.dumps({**incidents.to_dict(), **printed_misses}, indent=2, ensure_ascii=False))
    else:
        print(format_incident_evaluation(incidents, 0 if errors_out else limit))
    if errors_out:
        errors_out.write_text(json.dumps(incidents.misses_by_metric(limit), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"Misses written to {errors_out}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    from pipelines.resources import DEFAULT_DATABASE, DEFAULT_INPUT

    root = argparse.ArgumentParser(prog="casualties", description="Casualty figures from news text, with provenance.")
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="materialize every asset for the articles in a folder")
    run.add_argument("--input", type=Path, default=Path(os.environ.get("CASUALTIES_INPUT", DEFAULT_INPUT)), help="folder of .txt/.html/.jsonl articles")
    run.add_argument("--db", type=Path, default=Path(os.environ.get("CASUALTIES_DB", DEFAULT_DATABASE)), help="DuckDB database file to write")
    run.add_argument("--verbose", action="store_true", help="print Dagster's event log while running")
    query = commands.add_parser("query", help="run a read-only SQL query and print the result")
    query.add_argument("sql")
    query.add_argument("--db", type=Path, default=Path(os.environ.get("CASUALTIES_DB", DEFAULT_DATABASE)))
    query.add_argument("--format", choices=OUTPUT_FORMATS, default="table")
    query.add_argument("--out", type=Path, default=None, help="write the result to this file")
    watch = commands.add_parser("watch", help="keep the model loaded and run the pipeline whenever files are added to the input folder")
    watch.add_argument("--input", type=Path, default=Path(os.environ.get("CASUALTIES_INPUT", DEFAULT_INPUT)), help="folder of .txt/.html/.jsonl articles")
    watch.add_argument("--db", type=Path, default=Path(os.environ.get("CASUALTIES_DB", DEFAULT_DATABASE)), help="DuckDB database file to write")
    watch.add_argument("--poll", type=float, default=1.0, help="seconds between looks at the input folder")
    watch.add_argument("--json", action="store_true", help="print each run as a line of JSON")
    watch.add_argument("--runs-only", action="store_true", help="only execute the runs the UI, the sensor and the schedule queue for it (pipelines.launcher)")
    evaluate = commands.add_parser("evaluate", help="score a database against a gold file")
    evaluate.add_argument("--gold", type=Path, required=True)
    evaluate.add_argument("--db", type=Path, default=Path(os.environ.get("CASUALTIES_DB", DEFAULT_DATABASE)))
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.add_argument("--errors", type=int, default=None, metavar="N", help="incident gold: list up to N misses of each metric with the sentence behind them")
    evaluate.add_argument("--errors-out", type=Path, default=None, metavar="FILE", help=f"incident gold: write the misses (--errors N, else {ERRORS_OUT_DEFAULT}) as JSON to FILE")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        return run_command(arguments)
    except duckdb.Error as error:
        # The database could not be opened or read (another process holds it): one line, no traceback.
        print(f"casualties {arguments.command}: {user_message(str(error))}", file=sys.stderr)
        return 1


def run_command(arguments: argparse.Namespace) -> int:
    if arguments.command == "run":
        return run_pipeline(arguments.input, arguments.db, arguments.verbose)
    if arguments.command == "watch":
        return run_watch(arguments.input, arguments.db, arguments.poll, arguments.json, arguments.runs_only)
    if arguments.command == "query":
        return run_query(arguments.db, arguments.sql, arguments.format, arguments.out)
    return run_evaluation(arguments.gold, arguments.db, arguments.json, arguments.errors, arguments.errors_out)


if __name__ == "__main__":
    sys.exit(main())
