"""End to end through the Dagster UI and a real browser (Debian's Chromium driven by Playwright).

`dagster dev` serves the project with four seed articles. The test looks at the asset graph,
materializes everything through the GraphQL API and checks that every GX asset check passed.
Then it drops the fifth article into the input folder, checks that the sensor's run takes it in,
and reads the seeds' five events off the HTML report.

Runtime: about 70 s, half of it waiting for the sensor's 30 s interval. Screenshots go to
artifacts/e2e/ when the CI variable is set, else to the test's tmp_path; their paths are printed.
Without Chromium or Playwright the test fails in CI and is skipped elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import pytest
from dagster import DagsterRunStatus
from dagster_graphql import DagsterGraphQLClient

from casualties.db import connect
from data_quality.suites import CONSISTENCY_CHECK, CONTRACT_CHECK, sql_checks

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FIRST_SEEDS = ("000_", "001_", "002_", "003_")
LATE_SEED = "004_"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

LOCATION_NAME = "pipelines.definitions"
REPOSITORY_NAME = "__repository__"
JOB_NAME = "process_new_articles"
SENSOR_NAME = "new_articles_sensor"
SENSOR_SELECTOR = {"repositoryLocationName": LOCATION_NAME, "repositoryName": REPOSITORY_NAME, "sensorName": SENSOR_NAME}

ASSET_GROUPS = ("raw", "cleaned", "extracted", "reconciled", "report")
ASSETS_SHOWN_IN_GRAPH = ("documents", "stories", "extracted_mentions", "events", "report")
CHECKED_TABLES = (
    "documents",
    "rejected_documents",
    "stories",
    "story_segments",
    "extracted_mentions",
    "events",
    "event_figures",
    "event_documents",
    "event_claims",
    "event_conflicts",
    "figure_history",
    "mention_events",
)
# A run that rejects nothing leaves rejected_documents alone: it neither materializes nor checks it.
UNCHANGED_BY_A_GOOD_ARTICLE = ("rejected_documents",)
# The seeds' gold events, by the place the report names (Kyiv twice: 2025-04-24 and 2024-07-08).
EXPECTED_REPORT_PLACES = Counter({"Kryvyy Rih": 1, "Kharkiv": 1, "Kyiv": 2, "Iran": 1})

SERVER_START_TIMEOUT_SECONDS = 90
RUN_TIMEOUT_SECONDS = 300
SENSOR_RUN_TIMEOUT_SECONDS = 180
HTTP_TIMEOUT_SECONDS = 30
BROWSER_TIMEOUT_MILLISECONDS = 30_000
SHUTDOWN_GRACE_SECONDS = 3

RUNNING_STATUSES = ["QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING"]
FINISHED_STATUSES = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}

SENSOR_QUERY = """
query SensorState($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    __typename
    ... on Sensor { sensorState { id status } }
  }
}
"""
STOP_SENSOR_MUTATION = """
mutation StopSensor($id: String!) {
  stopSensor(id: $id) {
    __typename
    ... on StopSensorMutationResult { instigationState { status } }
  }
}
"""
START_SENSOR_MUTATION = """
mutation StartSensor($selector: SensorSelector!) {
  startSensor(sensorSelector: $selector) {
    __typename
    ... on Sensor { sensorState { status } }
  }
}
"""
RUNS_QUERY = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    __typename
    ... on Runs { results { runId status } }
  }
}
"""
RUN_EVENTS_QUERY = """
query RunEvents($runId: ID!, $cursor: String) {
  runOrError(runId: $runId) {
    __typename
    ... on Run {
      eventConnection(afterCursor: $cursor) {
        cursor
        hasMore
        events {
          __typename
          ... on AssetCheckEvaluationEvent { evaluation { checkName success assetKey { path } } }
        }
      }
    }
  }
}
"""
HIDE_COMMUNITY_DIALOG_MUTATION = "mutation { setNuxSeen }"

Result = TypeVar("Result")


def wait_for(description: str, probe: Callable[[], Result | None], timeout_seconds: float, interval_seconds: float = 1.0) -> Result:
    """Call probe until it returns something other than None; fail after the timeout."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        result = probe()
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_seconds:.0f} s waiting for {description}")
        time.sleep(interval_seconds)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@dataclass(frozen=True)
class DagsterUI:
    """A running `dagster dev` and the folders it reads and writes."""

    process: subprocess.Popen[bytes]
    port: int
    input_folder: Path
    database: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def report(self) -> Path:
        return self.database.with_name("report.html")

    def log_tail(self, characters: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-characters:]

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            payload = json.load(response)
        assert "errors" not in payload, payload["errors"]
        return payload["data"]

    def client(self) -> DagsterGraphQLClient:
        return DagsterGraphQLClient("127.0.0.1", port_number=self.port, timeout=HTTP_TIMEOUT_SECONDS)


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (../shared is absent)")
    return SEEDS


@pytest.fixture
def chromium() -> Iterator[Browser]:
    """A headless Chromium with a fresh temporary profile (Playwright creates one per launch)."""
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def screenshots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = PROJECT_ROOT / "artifacts" / "e2e" if os.environ.get("CI") else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    with capsys.disabled():
        print(f"\ne2e screenshots go to {folder.resolve()}")
    return folder.resolve()


@pytest.fixture
def dagster_ui(seeds: Path, tmp_path: Path) -> Iterator[DagsterUI]:
    """`dagster dev` on a free port with a throwaway instance, killed with its whole process group.

    The input folder does not exist yet: the sensor, running by default, skips its first tick
    instead of starting a run of its own that would race the one the test launches.
    """
    dagster_home = tmp_path / "dagster_home"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    input_folder = tmp_path / "input"
    database = tmp_path / "db" / "casualties.duckdb"
    port = free_port()
    log = tmp_path / "dagster.log"
    environment = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "CASUALTIES_INPUT": str(input_folder),
        "CASUALTIES_DB": str(database),
    }
    dagster = Path(sys.executable).with_name("dagster")
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    ui = DagsterUI(process, port, input_folder, database, log)
    try:
        wait_for("the Dagster UI to load the code location", lambda: sensor_state(ui), SERVER_START_TIMEOUT_SECONDS)
        yield ui
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL the whole group: `dagster dev` started from a script ignores SIGTERM,
    and even a clean stop leaves a child process behind."""
    for stop_signal in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, stop_signal)
        except ProcessLookupError:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=SHUTDOWN_GRACE_SECONDS)


def sensor_state(ui: DagsterUI) -> dict[str, str] | None:
    """The sensor's state once the code location is loaded; None while the server is not ready."""
    if ui.process.poll() is not None:
        raise AssertionError(f"dagster dev exited with {ui.process.returncode}:\n{ui.log_tail()}")
    try:
        found = ui.graphql(SENSOR_QUERY, {"selector": SENSOR_SELECTOR})["sensorOrError"]
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
    return found["sensorState"] if found["__typename"] == "Sensor" else None


def stop_sensor(ui: DagsterUI) -> None:
    state = sensor_state(ui)
    assert state is not None
    stopped = ui.graphql(STOP_SENSOR_MUTATION, {"id": state["id"]})["stopSensor"]
    assert stopped["__typename"] == "StopSensorMutationResult", stopped
    assert stopped["instigationState"]["status"] == "STOPPED"


def start_sensor(ui: DagsterUI) -> None:
    started = ui.graphql(START_SENSOR_MUTATION, {"selector": SENSOR_SELECTOR})["startSensor"]
    assert started["__typename"] == "Sensor", started
    assert started["sensorState"]["status"] == "RUNNING"


def run_ids(ui: DagsterUI, run_filter: dict[str, Any]) -> list[str]:
    runs = ui.graphql(RUNS_QUERY, {"filter": run_filter})["runsOrError"]
    assert runs["__typename"] == "Runs", runs
    return [run["runId"] for run in runs["results"]]


def wait_until_no_run_is_in_progress(ui: DagsterUI) -> None:
    """DuckDB admits one writer process: nothing may be running when the database is opened."""
    wait_for(
        "every run to finish",
        lambda: True if not run_ids(ui, {"statuses": RUNNING_STATUSES}) else None,
        RUN_TIMEOUT_SECONDS,
    )


def wait_for_success(ui: DagsterUI, run_id: str, timeout_seconds: float) -> None:
    client = ui.client()

    def finished_status() -> DagsterRunStatus | None:
        status = client.get_run_status(run_id)
        return status if status in FINISHED_STATUSES else None

    status = wait_for(f"run {run_id} to finish", finished_status, timeout_seconds, interval_seconds=2.0)
    assert status == DagsterRunStatus.SUCCESS, f"run {run_id} ended {status.value}:\n{ui.log_tail()}"


def asset_check_results(ui: DagsterUI, run_id: str) -> dict[tuple[str, str], bool]:
    """(table, check name) -> passed, for every asset check evaluated in the run."""
    results: dict[tuple[str, str], bool] = {}
    cursor = None
    while True:
        run = ui.graphql(RUN_EVENTS_QUERY, {"runId": run_id, "cursor": cursor})["runOrError"]
        assert run["__typename"] == "Run", run
        connection = run["eventConnection"]
        for event in connection["events"]:
            if event["__typename"] == "AssetCheckEvaluationEvent":
                evaluation = event["evaluation"]
                results["/".join(evaluation["assetKey"]["path"]), evaluation["checkName"]] = evaluation["success"]
        if not connection["hasMore"]:
            return results
        cursor = connection["cursor"]


def assert_every_check_passed(ui: DagsterUI, run_id: str, tables: Sequence[str] = CHECKED_TABLES) -> None:
    results = asset_check_results(ui, run_id)
    expected = {(table, check) for table in tables for check in (CONTRACT_CHECK, CONSISTENCY_CHECK, *(sql.name for sql in sql_checks(table)))}
    assert set(results) == expected
    assert [check for check, passed in results.items() if not passed] == []
    with connect(ui.database, read_only=True) as conn:
        recorded = conn.execute(
            "SELECT list(DISTINCT asset ORDER BY asset), bool_and(success) FROM quality_results WHERE run_id = ?", [run_id]
        ).fetchall()
    assert recorded == [(sorted(tables), True)]


def count_rows(database: Path, table: str) -> int:
    with connect(database, read_only=True) as conn:
        return conn.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def save_screenshot(page: Page, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page.screenshot(path=str(path))
    with capsys.disabled():
        print(f"e2e screenshot: {path}")


def test_ui_shows_the_graph_runs_the_pipeline_and_the_sensor_takes_in_a_new_article(
    seeds: Path, chromium: Browser, screenshots: Path, dagster_ui: DagsterUI, capsys: pytest.CaptureFixture[str]
):
    # Quiet the sensor first, so the only run on the first four articles is the one launched here.
    stop_sensor(dagster_ui)
    dagster_ui.input_folder.mkdir()
    for article in sorted(seeds.glob("*.txt")):
        if article.name.startswith(FIRST_SEEDS):
            shutil.copy(article, dagster_ui.input_folder / article.name)

    # The asset graph, every group expanded (Alt+E), shows the stages and the report.
    dagster_ui.graphql(HIDE_COMMUNITY_DIALOG_MUTATION)
    page = chromium.new_page(viewport={"width": 1600, "height": 1000})
    page.set_default_timeout(BROWSER_TIMEOUT_MILLISECONDS)
    page.goto(f"{dagster_ui.url}/asset-groups")
    page.get_by_text("reconciled", exact=True).first.wait_for()
    page.keyboard.press("Alt+e")
    for asset in ASSETS_SHOWN_IN_GRAPH:
        page.get_by_text(asset, exact=True).first.wait_for()
    graph_text = page.inner_text("body")
    assert [group for group in ASSET_GROUPS if group not in graph_text] == []
    save_screenshot(page, screenshots / "graph.png", capsys)

    # Materialize everything through the GraphQL API; every GX check runs and passes.
    wait_until_no_run_is_in_progress(dagster_ui)
    run_id = dagster_ui.client().submit_job_execution(
        JOB_NAME, repository_location_name=LOCATION_NAME, repository_name=REPOSITORY_NAME
    )
    wait_for_success(dagster_ui, run_id, RUN_TIMEOUT_SECONDS)
    wait_until_no_run_is_in_progress(dagster_ui)
    assert_every_check_passed(dagster_ui, run_id)
    assert count_rows(dagster_ui.database, "documents") == len(FIRST_SEEDS)
    assert count_rows(dagster_ui.database, "events") > 0

    # A fifth article lands in the input folder: the sensor's run takes it in.
    sensor_tag = {"tags": [{"key": "dagster/sensor_name", "value": SENSOR_NAME}]}
    runs_before = set(run_ids(dagster_ui, sensor_tag))
    late_article = next(article for article in seeds.glob("*.txt") if article.name.startswith(LATE_SEED))
    shutil.copy(late_article, dagster_ui.input_folder / late_article.name)
    start_sensor(dagster_ui)
    sensor_run_id = wait_for(
        "the sensor to start a run",
        lambda: next((found for found in run_ids(dagster_ui, sensor_tag) if found not in runs_before), None),
        SENSOR_RUN_TIMEOUT_SECONDS,
        interval_seconds=2.0,
    )
    wait_for_success(dagster_ui, sensor_run_id, SENSOR_RUN_TIMEOUT_SECONDS)
    wait_until_no_run_is_in_progress(dagster_ui)
    assert_every_check_passed(dagster_ui, sensor_run_id, [table for table in CHECKED_TABLES if table not in UNCHANGED_BY_A_GOOD_ARTICLE])
    assert count_rows(dagster_ui.database, "documents") == len(FIRST_SEEDS) + 1

    # The report beside the database lists the seeds' five events.
    page.goto(dagster_ui.report.as_uri())
    places = page.locator("table.events tbody tr td:first-child").all_inner_texts()
    assert len(places) == 5, places
    place_names = Counter(place.split(" (")[0].replace("Kryvyi", "Kryvyy") for place in places)
    assert place_names == EXPECTED_REPORT_PLACES, places
    save_screenshot(page, screenshots / "report.png", capsys)
