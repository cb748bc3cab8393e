"""`casualties watch`: a long-lived worker running the pipeline whenever the input folder changes."""

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.definitions.reconstruct import ReconstructableRepository

from casualties.db import connect
from pipelines.launcher import WorkerRunLauncher, announce_worker, take_queued_runs, worker_alive, worker_folder
from pipelines.watch import run_is_due

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEMO_ARTICLES = PROJECT_ROOT / "data" / "demo" / "articles" / "agency"


def listing(digest: str) -> dict[str, object]:
    return {"digest": digest, "files": 1, "newest_mtime_ns": 0}


def test_a_run_is_due_at_start_and_once_a_changed_folder_holds_still():
    assert run_is_due(listing("a"), None, None)
    assert not run_is_due(listing("a"), listing("a"), "a")
    # A file is still being copied: the listing changed since the previous poll.
    assert not run_is_due(listing("b"), listing("a"), "a")
    assert run_is_due(listing("b"), listing("b"), "a")


def lines_of(stream) -> queue.Queue:
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    return lines


def next_run(lines: queue.Queue, timeout: float) -> dict[str, object]:
    while True:
        line = lines.get(timeout=timeout)
        if line.startswith("{"):
            return json.loads(line)


def document_count(database: Path) -> int:
    with connect(database, read_only=True) as conn:
        return conn.execute("SELECT count(*) FROM documents").fetchall()[0][0]


def start_worker(tmp_path: Path, articles: int, *options: str) -> subprocess.Popen:
    """`casualties watch` on the first `articles` demo articles, a database and a Dagster
    home (tmp_path's articles/, db.duckdb, dagster_home/), in a session of its own."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for article in sorted(DEMO_ARTICLES.glob("*.txt"))[:articles]:
        shutil.copy(article, folder / article.name)
    (tmp_path / "dagster_home").mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "watch", *options, "--input", str(folder), "--db", str(tmp_path / "db.duckdb"), "--poll", "0.2", "--json"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )


def test_watch_runs_on_new_files_records_its_runs_and_stops_on_sigterm(tmp_path: Path):
    worker = start_worker(tmp_path, 2)
    articles, database, dagster_home = tmp_path / "articles", tmp_path / "db.duckdb", tmp_path / "dagster_home"
    third = sorted(DEMO_ARTICLES.glob("*.txt"))[2]
    try:
        lines = lines_of(worker.stdout)
        catch_up = next_run(lines, timeout=180)
        assert (catch_up["success"], catch_up["input_files"], catch_up["checks_failed"]) == (True, 2, 0)
        # Between runs the worker holds no lock: another process reads the database.
        assert document_count(database) == 2
        with pytest.raises(queue.Empty):
            next_run(lines, timeout=1.5)  # nothing changed, nothing ran
        shutil.copy(third, articles / third.name)
        added = next_run(lines, timeout=120)
        assert (added["success"], added["input_files"], added["checks_failed"]) == (True, 3, 0)
        # The first build checked every table; the added article, rejected by nothing,
        # left rejected_documents and its two checks alone.
        assert added["checks_passed"] == catch_up["checks_passed"] - 2 > 0
        assert document_count(database) == 3
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    with DagsterInstance.from_config(str(dagster_home)) as instance:
        records = instance.get_run_records(RunsFilter(tags={"casualties/started_by": "casualties watch"}))
        assert sorted(record.dagster_run.run_id for record in records) == sorted([catch_up["run_id"], added["run_id"]])
        assert {record.dagster_run.job_name for record in records} == {"process_new_articles"}
        materialized = instance.get_latest_materialization_event(AssetKey("documents"))
        assert materialized is not None and materialized.run_id == added["run_id"]


def test_runs_launched_while_a_worker_is_alive_are_executed_by_it(tmp_path: Path):
    database, dagster_home = tmp_path / "db.duckdb", tmp_path / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(PROJECT_ROOT / "pipelines" / "dagster.yaml", dagster_home / "dagster.yaml")
    worker = start_worker(tmp_path, 2, "--runs-only")
    try:
        lines = lines_of(worker.stdout)
        with DagsterInstance.from_config(str(dagster_home)) as instance:
            assert isinstance(instance.run_launcher, WorkerRunLauncher)
            folder = worker_folder(instance)
            waited = 0.0
            while not worker_alive(folder) and waited < 180:
                assert worker.poll() is None, "the worker ended"
                time.sleep(0.5)
                waited += 0.5
            assert worker_alive(folder)
            # What the UI and the daemon do for a run: create it, then launch it through the instance's launcher.
            job = ReconstructableRepository.for_module("pipelines.definitions", "defs", str(PROJECT_ROOT)).get_reconstructable_job("process_new_articles")
            run = instance.create_run_for_job(job_def=job.get_definition(), job_code_origin=job.get_python_origin(), tags={"input_files": "2"})
            instance.launch_run(run.run_id, workspace=None)
            executed = next_run(lines, timeout=120)
            assert (executed["run_id"], executed["success"], executed["input_files"], executed["checks_failed"]) == (run.run_id, True, 2, 0)
            assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.SUCCESS
            messages = [entry.dagster_event.message or "" for entry in instance.all_logs(run.run_id) if entry.dagster_event]
            assert any("Queued for the casualties watch worker" in message for message in messages)
            assert any("Executing in the casualties watch worker" in message for message in messages)
        assert document_count(database) == 2
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
        assert not worker_alive(folder)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)


def test_a_queued_run_is_withdrawn_and_canceled_when_terminated(tmp_path: Path):
    dagster_home = tmp_path / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(PROJECT_ROOT / "pipelines" / "dagster.yaml", dagster_home / "dagster.yaml")
    with DagsterInstance.from_config(str(dagster_home)) as instance:
        folder = worker_folder(instance)
        assert not worker_alive(folder)
        announce_worker(folder, poll_seconds=1.0)  # this process stands in for a worker that never takes the run
        assert worker_alive(folder)
        job = ReconstructableRepository.for_module("pipelines.definitions", "defs", str(PROJECT_ROOT)).get_reconstructable_job("process_new_articles")
        run = instance.create_run_for_job(job_def=job.get_definition(), job_code_origin=job.get_python_origin())
        instance.launch_run(run.run_id, workspace=None)
        assert (folder / "queue" / run.run_id).exists()
        assert instance.run_launcher.terminate(run.run_id)
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.CANCELED
        assert take_queued_runs(folder) == []


def test_runs_only_without_an_instance_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from pipelines.cli import main

    assert main(["watch", "--runs-only", "--input", str(DEMO_ARTICLES), "--db", str(tmp_path / "db.duckdb")]) == 2
    assert "DAGSTER_HOME" in capsys.readouterr().err


def test_a_signal_stops_the_worker_even_while_it_holds_the_stop_events_lock():
    # The race that left a worker hung after SIGTERM: the signal arriving while the main
    # thread is inside stop.wait(), which holds the event's lock, as this script does.
    script = textwrap.dedent(
        """
        import os, signal, threading
        from pipelines.watch import stop_on_signals

        stop = threading.Event()
        stop_on_signals(stop)
        with stop._cond:
            os.kill(os.getpid(), signal.SIGTERM)
        print("stopped" if stop.wait(10) else "not stopped")
        """
    )
    completed = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert (completed.returncode, completed.stdout.strip()) == (0, "stopped"), completed.stderr[-2000:]
