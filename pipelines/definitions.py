"""The one set of Dagster definitions that the UI, the schedule, the sensor and the CLI all run."""

import os
from pathlib import Path

from dagster import Definitions

from assets.cleaned import cleaned, cleaned_checks
from assets.extracted import extracted, extracted_checks
from assets.raw import raw, raw_checks
from assets.reconciled import reconciled, reconciled_checks
from assets.report import report
from assets.resources import build_resources
from casualties.memory import use_system_allocator_for_arrow
from pipelines.executors import executor_from_environment
from pipelines.schedules import nightly_rebuild, process_new_articles, rebuild_everything
from pipelines.sensors import new_articles_sensor

# Every run of this code location goes through tables batch by batch and gives the freed
# memory back in between (casualties.memory).
use_system_allocator_for_arrow()

ASSETS = [raw, cleaned, extracted, reconciled, report]
ASSET_CHECKS = [*raw_checks, *cleaned_checks, *extracted_checks, *reconciled_checks]


def build_definitions(input_folder: str | Path | None = None, database: str | Path | None = None) -> Definitions:
    """The definitions on an input folder and a database (by default from the environment)."""
    return Definitions(
        assets=ASSETS,
        asset_checks=ASSET_CHECKS,
        jobs=[process_new_articles, rebuild_everything],
        schedules=[nightly_rebuild],
        sensors=[new_articles_sensor],
        resources=build_resources(input_folder, database),
        executor=executor_from_environment(os.environ),
    )


defs = build_definitions()
