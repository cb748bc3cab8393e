"""The scale corpus (bench.scale_corpus): deterministic, complete, with an exact gold file,
and as well extracted by the real pipeline as the demo corpus it is made from."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.scale_corpus import CHROME_VARIANTS, generate
from casualties.clean import is_chrome
from casualties.evaluate import evaluate
from pipelines.cli import main

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
# Two rounds of the seven template groups: the demo's own mix of documents, twice.
N = 42


def files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def jsonl_line(articles: Path, key: str) -> dict[str, Any]:
    path, _, number = key.partition("#")
    return json.loads((articles / path).read_text(encoding="utf-8").splitlines()[int(number) - 1])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale")
    generate(N, root)
    return root


@pytest.fixture(scope="module")
def gold(corpus: Path) -> dict[str, Any]:
    return json.loads((corpus / "gold.json").read_text(encoding="utf-8"))


def test_same_n_and_seed_write_the_same_bytes(corpus: Path, tmp_path: Path):
    generate(N, tmp_path)
    assert files(tmp_path) == files(corpus)


def test_another_seed_moves_the_events_elsewhere(gold: dict[str, Any], tmp_path: Path):
    generate(N, tmp_path, seed=1)
    other = json.loads((tmp_path / "gold.json").read_text(encoding="utf-8"))
    assert [event["location"] for event in other["events"]] != [event["location"] for event in gold["events"]]


def test_n_articles_are_written_and_every_gold_document_exists(corpus: Path, gold: dict[str, Any]):
    articles = corpus / "articles"
    assert len(gold["documents"]) == N
    for key in gold["documents"]:
        if "#" in key:
            assert jsonl_line(articles, key)["text"]
        else:
            assert (articles / key).stat().st_size > 0
    on_disk = sum(
        len(path.read_text(encoding="utf-8").splitlines()) if path.suffix == ".jsonl" else 1
        for path in articles.rglob("*")
        if path.is_file()
    )
    assert on_disk == N + len(gold["duplicates"]) + len(gold["rejected"])


def test_gold_ids_are_unique_and_every_reference_resolves(gold: dict[str, Any]):
    ids = [event["id"] for event in gold["events"]]
    assert len(ids) == len(set(ids)) == gold["event_count"]
    for entry in gold["documents"].values():
        for item in entry.get("mentions", []) + entry.get("claims", []):
            assert item["event"] in ids
    reporting = {key for event in gold["events"] for key in event["documents"]}
    assert reporting == set(gold["documents"])


def test_duplicates_are_byte_copies_and_rejected_items_are_there(corpus: Path, gold: dict[str, Any]):
    articles = corpus / "articles"
    assert gold["duplicates"]
    for copy, original in gold["duplicates"].items():
        assert (articles / copy).read_bytes() == (articles / original).read_bytes()
    demo_reasons = sorted(json.loads((DEMO / "gold.json").read_text(encoding="utf-8"))["rejected"].values())
    assert sorted(gold["rejected"].values()) == demo_reasons
    for key in gold["rejected"]:
        assert (articles / key.partition("#")[0]).exists()


def test_each_round_moves_its_events_back_by_whole_weeks(gold: dict[str, Any]):
    demo_dates = {event["id"]: event["date"] for event in json.loads((DEMO / "gold.json").read_text(encoding="utf-8"))["events"]}
    for event in gold["events"]:
        round_number = int(event["id"][1:6])
        expected = date.fromisoformat(demo_dates[event["template"]]) - timedelta(weeks=round_number)
        assert date.fromisoformat(event["date"]) == expected


def test_every_chrome_wording_is_removed_by_the_cleaner():
    for variants in CHROME_VARIANTS.values():
        for variant in variants:
            line = f"{variant} Heat wave pushes Black Sea water temperatures to a record" if variant.endswith("|") else variant
            assert is_chrome(line), line


def test_fewer_articles_than_the_smallest_group_are_refused(tmp_path: Path):
    with pytest.raises(ValueError):
        generate(1, tmp_path)


def test_the_pipeline_does_as_well_on_the_scale_corpus_as_on_the_demo(corpus: Path, tmp_path: Path):
    """Mention recall and precision on the copies at least those on the demo, measured now."""
    assert main(["run", "--input", str(DEMO / "articles"), "--db", str(tmp_path / "demo.duckdb")]) == 0
    assert main(["run", "--input", str(corpus / "articles"), "--db", str(tmp_path / "scale.duckdb")]) == 0
    demo = evaluate(DEMO / "gold.json", tmp_path / "demo.duckdb").mentions
    scale = evaluate(corpus / "gold.json", tmp_path / "scale.duckdb").mentions
    assert scale.missing_documents == []
    assert scale.recall >= demo.recall, scale.missed
    assert scale.precision >= demo.precision, scale.false_positives
