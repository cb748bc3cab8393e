"""A sensor that starts a run when files appear in (or change in) the input folder.

Its cursor is a fingerprint of the folder listing (relative path, size, modification time).
Dagster stores it, so after a restart the sensor compares against the last listing it acted
on: nothing is missed. Nothing is processed twice either: documents are keyed by content
hash, and the stages after raw take only what they have not seen.
"""

from __future__ import annotations

import json

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SensorResult, SkipReason, sensor

from assets.resources import InputFolder
from casualties.ingest import folder_listing
from pipelines.schedules import process_new_articles


@sensor(
    job=process_new_articles,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Runs the pipeline when files are added to or changed in the input folder.",
)
def new_articles_sensor(context: SensorEvaluationContext, input_folder: InputFolder) -> SensorResult | SkipReason:
    if not input_folder.root().is_dir():
        return SkipReason(f"input folder {input_folder.root()} does not exist")
    listing = folder_listing(input_folder.root())
    previous = json.loads(context.cursor) if context.cursor else {"digest": None, "files": 0}
    if listing["digest"] == previous["digest"]:
        return SkipReason(f"no new or changed files among {listing['files']}")
    added = listing["files"] - previous["files"]
    return SensorResult(
        run_requests=[RunRequest(run_key=listing["digest"], tags={"input_files": str(listing["files"]), "files_added": str(added)})],
        cursor=json.dumps(listing),
    )
