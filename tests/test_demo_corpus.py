"""Acceptance: the whole pipeline on the bundled demo corpus (data/demo), scored with
`casualties.evaluate` against data/demo/gold.json.

The pipeline runs once for the module (through the CLI, as a user would run it); every test
reads the same database. data/demo/README.md lists what each article exercises.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from casualties.evaluate import Evaluation, EventScores, MentionScores, evaluate
from pipelines.cli import main

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEMO = PROJECT_ROOT / "data" / "demo"
GOLD = DEMO / "gold.json"

MIN_RECALL = 0.95
MIN_PRECISION = 0.95
MIN_QUALIFIER_ACCURACY = 0.95


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DAGSTER_HOME", raising=False)  # an ephemeral Dagster instance, never a developer's
        assert main(["run", "--input", str(DEMO / "articles"), "--db", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evaluation(database: Path) -> Evaluation:
    return evaluate(GOLD, database)


@pytest.fixture(scope="module")
def mentions(evaluation: Evaluation) -> MentionScores:
    return evaluation.mentions


@pytest.fixture(scope="module")
def events(evaluation: Evaluation) -> EventScores:
    assert evaluation.events is not None, "the pipeline stored no events"
    return evaluation.events


def rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql).fetchall()


# -- documents ---------------------------------------------------------------------------


def test_every_gold_document_is_stored(mentions: MentionScores) -> None:
    assert mentions.missing_documents == []


def test_bad_items_are_rejected(database: Path, gold: dict[str, Any]) -> None:
    rejected = {uri for (uri,) in rows(database, "SELECT source_uri FROM rejected_documents")}
    assert set(gold["rejected"]) <= rejected
    stored = {uri for (uri,) in rows(database, "SELECT source_uri FROM documents")}
    assert not stored & set(gold["rejected"])
    assert "portal/odesa-region-update.txt" in stored  # cp1252 is decoded, not rejected


def test_duplicate_is_stored_once_with_both_names(database: Path, gold: dict[str, Any]) -> None:
    for copy, original in gold["duplicates"].items():
        found = rows(
            database,
            f"SELECT list_append(source_uris, source_uri) FROM documents "
            f"WHERE list_has_any(list_append(source_uris, source_uri), ['{copy}', '{original}'])",
        )
        assert len(found) == 1, f"{copy} and {original} should be one document"
        assert {copy, original} <= set(found[0][0])


# -- mentions ----------------------------------------------------------------------------


def test_mention_recall(mentions: MentionScores) -> None:
    assert mentions.recall is not None and mentions.recall >= MIN_RECALL, mentions.missed


def test_mention_precision(mentions: MentionScores) -> None:
    assert mentions.precision is not None and mentions.precision >= MIN_PRECISION, mentions.false_positives


def test_qualifiers(mentions: MentionScores) -> None:
    assert mentions.qualifier_accuracy is not None and mentions.qualifier_accuracy >= MIN_QUALIFIER_ACCURACY


def test_claims_are_found_and_never_leak(mentions: MentionScores) -> None:
    assert mentions.claims > 0
    assert mentions.claims_found == mentions.claims
    assert mentions.claims_leaked == 0, mentions.leaked_claims


def test_no_listed_non_casualty_number_is_extracted(mentions: MentionScores) -> None:
    assert mentions.non_casualty_numbers > 0
    assert mentions.non_casualty_leaked == 0, mentions.leaked_numbers


# -- events ------------------------------------------------------------------------------


def test_every_gold_event_is_exact(events: EventScores) -> None:
    wrong = {
        check.gold_id: (
            [figure for figure in check.figure_checks if not figure.right],
            check.missing_documents,
            check.extra_documents,
        )
        for check in events.events
        if not check.exact
    }
    assert events.matched_events == events.gold_events
    assert events.exact_events == events.gold_events, wrong
    assert events.figures_right == events.figures


def test_no_extra_events(events: EventScores, gold: dict[str, Any]) -> None:
    assert events.event_count == gold["event_count"], events.extra_events
    assert events.extra_events == []


def test_claims_reach_their_events(events: EventScores, database: Path) -> None:
    # 'more than 200' is stored with its bounds (low 201) and scored by the number as stated.
    assert events.claims_found == events.claims == 2
    stored = set(
        rows(
            database,
            "SELECT e.location, e.date_start, c.claimant, c.casualty_type, c.victim_group, c.value_low, c.value_high "
            "FROM event_claims AS c JOIN events AS e USING (event_id)",
        )
    )
    assert ("El Fasher", dt.date(2025, 6, 9), "Rapid Support Forces", "killed", "military", 201, None) in stored
    assert ("Zaporizhzhya", dt.date(2025, 6, 12), "Russian defense ministry", "killed", "military", None, 120) in stored
