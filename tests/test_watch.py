"""`casualties watch`: a long-lived worker running the pipeline whenever the input folder changes."""

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, RunsFilter

from casualties.db import connect
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


def test_watch_runs_on_new_files_records_its_runs_and_stops_on_sigterm(tmp_path: Path):
    articles = tmp_path / "articles"
    articles.mkdir()
    first, second, third = sorted(DEMO_ARTICLES.glob("*.txt"))[:3]
    for article in (first, second):
        shutil.copy(article, articles / article.name)
    database = tmp_path / "db.duckdb"
    dagster_home = tmp_path / "dagster_home"
    dagster_home.mkdir()
    worker = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "watch", "--input", str(articles), "--db", str(database), "--poll", "0.2", "--json"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DAGSTER_HOME": str(dagster_home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
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
        assert added["checks_passed"] == catch_up["checks_passed"] > 0
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
