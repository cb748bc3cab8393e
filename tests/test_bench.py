"""The benchmark's own bookkeeping: which articles are the new ones, and a run's times read back
from the instance's event records."""

from __future__ import annotations

import json
from pathlib import Path

from dagster import AssetCheckResult, DagsterInstance, asset, asset_check, materialize

from bench.run import BENCH_TAG, newest_rounds, recorded_run


def test_the_new_articles_are_whole_newest_rounds_holding_the_share(tmp_path: Path) -> None:
    documents = {f"r{round_number:05d}/article-{index}.txt": {} for round_number in range(10) for index in range(4)}
    documents |= {"r00009/feed.jsonl#1": {}, "r00009/feed.jsonl#2": {}, "bad/broken.html": {}}
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"documents": documents}), encoding="utf-8")

    # 43 documents, bad/ included: 10% is 5 of them, and the newest round holds 6.
    assert newest_rounds(gold, 0.10) == (["r00009"], 6)
    # 20% is 9: the newest round (6) and the one before it (4).
    assert newest_rounds(gold, 0.20) == (["r00009", "r00008"], 10)


def test_a_run_is_read_back_from_its_event_records(tmp_path: Path) -> None:
    @asset
    def numbers() -> list[int]:
        return [1, 2, 3]

    @asset_check(asset=numbers)
    def three_numbers(numbers: list[int]) -> AssetCheckResult:
        return AssetCheckResult(passed=len(numbers) == 3)

    with DagsterInstance.local_temp(tempdir=str(tmp_path)) as instance:
        result = materialize([numbers, three_numbers], instance=instance, tags={BENCH_TAG: "tiny"})
    assert result.success

    run = recorded_run(tmp_path, "tiny")

    assert run["run_id"] == result.run_id
    assert set(run["step_seconds"]) == {"numbers", "numbers_three_numbers"}
    assert all(seconds >= 0 for seconds in run["step_seconds"].values())
    assert run["run_seconds"] >= max(run["step_seconds"].values())
    assert run["checks"] == {"passed": 1, "failed": []}
    assert run["events_stored"] > 4
