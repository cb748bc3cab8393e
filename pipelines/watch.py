"""`casualties watch`: a long-lived worker that takes new files through the pipeline as they arrive.

Dagster's run launchers start a process per run, and every run started by the sensor or
the UI pays again for importing Dagster and Great Expectations and for loading the model:
some 7 s whatever it carries, which was 44% of a full build of 2,000 articles when it
carried one new article. The worker pays for them once. It keeps the model, its gazetteer
and GX loaded, polls the input folder, and when the listing has changed and then held still
for one poll (so a file still being copied is not read half-written), it runs the
`process_new_articles` job in its own process, in the Dagster instance at DAGSTER_HOME:
the UI lists its runs, materializations and check results as it lists any other's.
Between runs it holds no lock on the database, so analysts can query it.

It replaces the sensor rather than joining it: stop `new_articles_sensor` in the UI, or two
processes would take the same files, and DuckDB admits one writer at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dagster import DagsterInstance, ExecuteInProcessResult, JobDefinition

from casualties.ingest import folder_listing
from pipelines.definitions import build_definitions
from pipelines.schedules import process_new_articles


@dataclass(frozen=True)
class WatchedRun:
    """One run the worker started, as it reports it."""

    run_id: str
    success: bool
    seconds: float
    input_files: int
    checks_passed: int
    checks_failed: int
    result: ExecuteInProcessResult

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
    gazetteer, and GX with every suite (each used once, as both set up on first use)."""
    from data_quality.validation import warm_up_validation
    from pipelines.resources import loaded_extractor

    loaded_extractor().load().warm_up()
    warm_up_validation()


def run_job(job: JobDefinition, instance: DagsterInstance, input_files: int, run_config: dict[str, object]) -> WatchedRun:
    started = time.perf_counter()
    result = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config=run_config,
        tags={"casualties/started_by": "casualties watch", "input_files": str(input_files)},
    )
    evaluations = result.get_asset_check_evaluations()
    failed = sum(not evaluation.passed for evaluation in evaluations)
    return WatchedRun(
        run_id=result.run_id,
        success=result.success,
        seconds=round(time.perf_counter() - started, 3),
        input_files=input_files,
        checks_passed=len(evaluations) - failed,
        checks_failed=failed,
        result=result,
    )


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
) -> None:
    """Run the job once on what is there (a catch-up after a restart: the stages take only
    what they have not seen), then again whenever the folder changes, until `stop` is set.
    A run in progress always finishes."""
    job = build_definitions(input_folder, database).resolve_job_def(process_new_articles.name)
    acted_on: str | None = None
    previous: dict[str, object] | None = None
    while True:
        listing = folder_listing(input_folder)
        if run_is_due(listing, previous, acted_on):
            on_run(run_job(job, instance, int(listing["files"]), run_config or {}))
            acted_on = str(listing["digest"])
        previous = listing
        if stop.wait(poll_seconds):
            return
