"""A run launcher that hands runs to a `casualties watch` worker, so that the runs the UI,
the sensor and the schedule start run warm, in a process that already holds the model and
Great Expectations (about 2 s for one new article at 2,000, where a process of its own
takes 10 s).

Configured in the instance's dagster.yaml (`pipelines/dagster.yaml`, which `make ui` and
`make watch` install in `.dagster_home/` when it has none):

    run_launcher:
      module: pipelines.launcher
      class: WorkerRunLauncher

Both sides meet in a folder of the instance (`casualties_worker/`). A worker announces
itself there at every poll, and takes the run ids queued there. While one has announced
itself lately, the launcher queues each run there; otherwise it launches the run in a
process of its own, as Dagster's default launcher does.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from dagster import DagsterInstance
from dagster._core.launcher import LaunchRunContext
from dagster._core.launcher.default_run_launcher import DefaultRunLauncher

WORKER_FOLDER = "casualties_worker"
HEARTBEAT = "worker.json"
QUEUE = "queue"
# A worker counts as alive this long after its last announcement, or three polls if longer.
ALIVE_SECONDS = 10.0


def worker_folder(instance: DagsterInstance) -> Path:
    return Path(instance.root_directory) / WORKER_FOLDER


def write_atomically(path: Path, text: str) -> None:
    """Readers see the whole file or none: written beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def announce_worker(folder: Path, poll_seconds: float) -> None:
    write_atomically(folder / HEARTBEAT, json.dumps({"pid": os.getpid(), "poll_seconds": poll_seconds}))


def worker_alive(folder: Path) -> bool:
    heartbeat = folder / HEARTBEAT
    try:
        announced = json.loads(heartbeat.read_text(encoding="utf-8"))
        age = time.time() - heartbeat.stat().st_mtime
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    if age > max(ALIVE_SECONDS, 3 * float(announced["poll_seconds"])):
        return False
    try:
        os.kill(int(announced["pid"]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, under another user
    return True


def queue_run(folder: Path, run_id: str) -> None:
    write_atomically(folder / QUEUE / run_id, run_id)


def take_queued_runs(folder: Path) -> list[str]:
    """The queued run ids, oldest first, each taken off the queue (once, by one worker)."""
    queue = folder / QUEUE
    if not queue.is_dir():
        return []
    taken = []
    for entry in sorted(queue.iterdir(), key=lambda path: path.stat().st_mtime_ns):
        if entry.name.startswith("."):
            continue
        try:
            entry.unlink()
        except FileNotFoundError:
            continue  # taken by another worker, or withdrawn
        taken.append(entry.name)
    return taken


def withdraw_queued_run(folder: Path, run_id: str) -> bool:
    try:
        (folder / QUEUE / run_id).unlink()
    except FileNotFoundError:
        return False
    return True


class WorkerRunLauncher(DefaultRunLauncher):
    """Queues runs for a live `casualties watch` worker; launches them as the default
    launcher does when none is alive."""

    def launch_run(self, context: LaunchRunContext) -> None:
        folder = worker_folder(self._instance)
        if not worker_alive(folder):
            super().launch_run(context)
            return
        queue_run(folder, context.dagster_run.run_id)
        self._instance.report_engine_event(
            "Queued for the casualties watch worker, which holds the model and Great Expectations loaded.",
            context.dagster_run,
            cls=self.__class__,
        )

    def terminate(self, run_id: str) -> bool:
        """A run still queued is withdrawn and canceled; one the worker is executing runs on."""
        run = self._instance.get_run_by_id(run_id)
        if run is not None and not run.is_finished and withdraw_queued_run(worker_folder(self._instance), run_id):
            self._instance.report_run_canceled(run, message="Withdrawn from the casualties watch worker's queue.")
            return True
        return super().terminate(run_id)
