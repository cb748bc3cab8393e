"""The real dev sets (../shared/dev) run through every stage and blocking check.

Accuracy on them is measured by `make eval`, not here; this test holds the line the
figures depend on: real text the project has never been tuned on must not stop a run
(a contract violation on one event once stopped whole sets)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.cli import run_pipeline

DEV = Path(__file__).resolve().parents[2] / "shared" / "dev"
SETS = ("gva", "ucdp", "gtd")


@pytest.mark.parametrize("name", SETS)
def test_a_dev_set_runs_through_every_blocking_check(name: str, tmp_path: Path) -> None:
    folder = DEV / name
    if not (folder / "articles.jsonl").is_file():
        pytest.skip(f"dev set {name} not found at {folder} (../shared is absent)")
    database = tmp_path / "casualties.duckdb"
    assert run_pipeline(folder, database) == 0
    with duckdb.connect(str(database), read_only=True) as connection:
        (events,) = connection.execute("SELECT count(*) FROM events").fetchone()
        failed_blocking = connection.execute(
            "SELECT count(*) FROM quality_results WHERE NOT success AND json_extract(details, '$.blocking')::BOOLEAN"
        ).fetchone()[0]
    assert events > 100
    assert failed_blocking == 0
