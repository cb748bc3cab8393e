"""`casualties watch`: a long-lived worker that runs the pipeline warm.

Dagster's default run launcher starts a process per run, and every run started by the
sensor, the schedule or the UI pays again for importing Dagster and Great Expectations and
for loading the model: some 8 s whatever it carries, 40% of a full build of 2,000 articles
when it carries one new article. The worker pays for them once and keeps the model, its
gazetteer and GX loaded. It does two things, in the Dagster instance at DAGSTER_HOME, so
the UI lists its runs, materializations and check results as it lists any other's:

- it executes the runs `pipelines.launcher.WorkerRunLauncher` queues for it: those the UI,
  the sensor and the schedule start, when the instance is configured with that launcher;
- unless told not to (`--runs-only`), it polls the input folder itself, and when the
  listing has changed and then held still for one poll (so a file still being copied is
  not read half-written), runs `process_new_articles`. This needs no daemon, and replaces
  the sensor rather than joining it: two would take the same files, and DuckDB admits one
  writer at a time.

Between runs it holds no lock on the database, so analysts can query it.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, JobDefinition
from dagster._core.execution.api import execute_run
from dagster._core.execution.execution_result import ExecutionResult
from dagster._utils.hosted_user_process import recon_job_from_origin

from casualties.ingest import folder_listing
from pipelines.definitions import build_definitions
from pipelines.launcher import announce_worker, take_queued_runs, worker_folder
from pipelines.schedules import process_new_articles


@dataclass(frozen=True)
class WatchedRun:
    """One run the worker executed, as it reports it."""

    run_id: str
    success: bool
    seconds: float
    input_files: int | None
    checks_passed: int
    checks_failed: int
    result: ExecutionResult

    @classmethod
    def of(cls, result: ExecutionResult, started: float, input_files: int | None) -> WatchedRun:
        evaluations = result.get_asset_check_evaluations()
        failed = sum(not evaluation.passed for evaluation in evaluations)
        return cls(
            run_id=result.run_id,
            success=result.success,
            seconds=round(time.perf_counter() - started, 3),
            input_files=input_files,
            checks_passed=len(evaluations) - failed,
            checks_failed=failed,
            result=result,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "success": self.success,
            "seconds": self.seconds,
            "input_files": self.input_files,
            "checks_passed": self.checks_passed,
            "checks_failed": self.checks_failed,
        }


def warm_up() -> None:
    """Load what every run needs before the first one: the model with its lexicon and
    gazetteer, and GX with every suite (each used once, as both set up on first use).

    What is loaded then lives as long as the worker, and Python's full garbage collections
    would walk all of it again and again (0.37 s, every few runs of one article): it is
    frozen out of them.
    """
    from data_quality.validation import warm_up_validation
    from pipelines.resources import loaded_extractor

    loaded_extractor().load().warm_up()
    warm_up_validation()
    gc.collect()
    gc.freeze()


def stop_on_signals(stop: threading.Event, signal_numbers: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> None:
    """Set `stop` whenever one of the signals arrives; call from the main thread.

    Not from a signal handler: Python runs handlers in the main thread, which may hold
    `stop`'s own lock at that moment (inside `stop.wait()`), and `stop.set()` would wait
    for it forever. The handlers do nothing; the interpreter writes each signal's number
    to a wake-up socket, and a thread reading it sets `stop`.
    """
    receiving, sending = socket.socketpair()
    sending.setblocking(False)
    signal.set_wakeup_fd(sending.fileno())
    for signal_number in signal_numbers:
        signal.signal(signal_number, lambda *_: None)

    def set_at_signals() -> None:
        # Both sockets stay open for as long as the process lives: the interpreter writes
        # to `sending` at every signal.
        with receiving, sending:
            while True:
                if receiving.recv(1)[0] in signal_numbers:
                    stop.set()

    threading.Thread(target=set_at_signals, name="stop-on-signals", daemon=True).start()


def run_job(job: JobDefinition, instance: DagsterInstance, input_files: int, run_config: dict[str, object]) -> WatchedRun:
    started = time.perf_counter()
    result = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config=run_config,
        tags={"casualties/started_by": "casualties watch", "input_files": str(input_files)},
    )
    return WatchedRun.of(result, started, input_files)


def execute_queued_run(instance: DagsterInstance, run_id: str) -> WatchedRun | None:
    """A run the UI, the sensor or the schedule started, queued by WorkerRunLauncher,
    executed here as `dagster api execute_run` would in a process of its own; None when
    it is gone or no longer waiting (canceled meanwhile)."""
    run = instance.get_run_by_id(run_id)
    if run is None or run.status != DagsterRunStatus.STARTING or run.job_code_origin is None:
        return None
    started = time.perf_counter()
    instance.report_engine_event(f"Executing in the casualties watch worker (pid {os.getpid()}).", run)
    result = execute_run(recon_job_from_origin(run.job_code_origin), run, instance)
    input_files = run.tags.get("input_files")
    return WatchedRun.of(result, started, int(input_files) if input_files and input_files.isdigit() else None)


def run_is_due(listing: dict[str, object], previous: dict[str, object] | None, acted_on: str | None) -> bool:
    """At the start; then when the listing differs from the one last run on and has not
    changed since the previous poll."""
    return acted_on is None or (listing["digest"] != acted_on and listing == previous)


def watch(
    input_folder: Path,
    database: Path,
    instance: DagsterInstance,
    on_run: Callable[[WatchedRun], None],
    stop: threading.Event,
    poll_seconds: float,
    run_config: dict[str, object] | None = None,
    watch_folder: bool = True,
) -> None:
    """Until `stop` is set: execute the runs WorkerRunLauncher queued for this instance, and
    unless `watch_folder` is off, run the job once on what is in the folder (a catch-up
    after a restart: the stages take only what they have not seen) and again whenever the
    folder changes. A run in progress always finishes."""
    job = build_definitions(input_folder, database).resolve_job_def(process_new_articles.name)
    # An ephemeral instance has no UI to start runs: nothing can be queued for it.
    folder = None if instance.is_ephemeral else worker_folder(instance)
    acted_on: str | None = None
    previous: dict[str, object] | None = None
    while True:
        if folder is not None:
            announce_worker(folder, poll_seconds)
            for run_id in take_queued_runs(folder):
                queued = execute_queued_run(instance, run_id)
                if queued is not None:
                    on_run(queued)
        if watch_folder:
            listing = folder_listing(input_folder)
            if run_is_due(listing, previous, acted_on):
                on_run(run_job(job, instance, int(listing["files"]), run_config or {}))
                acted_on = str(listing["digest"])
            previous = listing
        if stop.wait(poll_seconds):
            return
