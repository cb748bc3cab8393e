"""The executor of UI, sensor and schedule runs is configuration (CASUALTIES_EXECUTOR), not code."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.executors import executor_from_environment

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_runs_stay_in_one_process_by_default():
    assert executor_from_environment({}).name == "in_process"


def test_multiprocess_is_chosen_with_its_concurrency():
    executor = executor_from_environment({"CASUALTIES_EXECUTOR": "multiprocess", "CASUALTIES_MAX_CONCURRENT": "3"})
    assert executor.name == "multiprocess"


def test_any_importable_executor_can_be_named():
    assert executor_from_environment({"CASUALTIES_EXECUTOR": "dagster:multiprocess_executor"}).name == "multiprocess"


@pytest.mark.parametrize(
    "environment, message",
    [
        ({"CASUALTIES_EXECUTOR": "threads"}, "must be in_process, multiprocess or <module>:<attribute>"),
        ({"CASUALTIES_EXECUTOR": "dagster:Definitions"}, "does not name a Dagster executor"),
        ({"CASUALTIES_EXECUTOR": "multiprocess", "CASUALTIES_MAX_CONCURRENT": "0"}, "at least 1"),
    ],
)
def test_a_wrong_setting_is_named(environment: dict[str, str], message: str):
    with pytest.raises(ValueError, match=message):
        executor_from_environment(environment)


def test_the_code_location_reads_the_setting_when_it_loads():
    script = "from pipelines.definitions import defs; print(defs.get_job_def('process_new_articles').executor_def.name)"
    environment = {**os.environ, "CASUALTIES_EXECUTOR": "multiprocess"}
    completed = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, check=True)
    assert completed.stdout.strip().splitlines()[-1] == "multiprocess"
