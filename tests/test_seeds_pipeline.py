"""Acceptance on the five real seed articles, through the CLI exactly as a user runs it."""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from casualties.db import connect
from casualties.evaluate import evaluate
from pipelines.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
UKRAINIAN_CITIES = {"Kryvyy Rih": 703845, "Kharkiv": 706483, "Kyiv": 703448}
# Tables an incremental run must leave exactly as a full build would (timestamps aside).
RESULT_TABLES = {
    "documents": "doc_id, source_uri, source_uris, raw_text",
    "stories": "* EXCLUDE (cleaned_at)",
    "story_segments": "*",
    "extracted_mentions": "*",
    "casualty_mentions": "*",
    "events": "*",
    "event_figures": "*",
    "event_documents": "*",
    "event_claims": "*",
    "event_conflicts": "*",
    "figure_history": "*",
    "mention_events": "*",
}


@pytest.fixture(scope="module")
def seeds_database(tmp_path_factory) -> Path:
    if not (SEEDS / "gold.json").exists():
        pytest.skip(f"seed articles not found at {SEEDS} (../shared is absent)")
    folder = tmp_path_factory.mktemp("seeds")
    (folder / "input").mkdir()
    for article in SEEDS.glob("*.txt"):
        shutil.copy(article, folder / "input" / article.name)
    database = folder / "casualties.duckdb"
    assert main(["run", "--input", str(folder / "input"), "--db", str(database)]) == 0
    return database


def test_mentions_meet_the_bar(seeds_database: Path):
    scores = evaluate(SEEDS / "gold.json", seeds_database).to_dict()["mentions"]
    assert scores["recall"] >= 0.95 and scores["precision"] >= 0.95
    assert scores["claims_found"] == scores["claims"] == 1
    assert scores["claims_leaked"] == 0 and scores["non_casualty_leaked"] == 0


def test_events_are_exactly_the_gold_five(seeds_database: Path):
    events = evaluate(SEEDS / "gold.json", seeds_database).to_dict()["events"]
    assert events["exact_events"] == events["gold_events"] == 5
    assert events["figures_right"] == events["figures"] == 13
    assert events["extra_events"] == []
    assert events["claims_found"] == 1


def test_historical_kyiv_figures_keep_their_own_date(seeds_database: Path):
    with connect(seeds_database) as conn:
        rows = conn.sql("SELECT DISTINCT value, event_date, location FROM casualty_mentions WHERE is_historical ORDER BY value").fetchall()
    assert rows == [(34, date(2024, 7, 8), "Kyiv"), (121, date(2024, 7, 8), "Kyiv")]


def test_ukrainian_cities_resolve_to_their_geonameids(seeds_database: Path):
    with connect(seeds_database) as conn:
        found = dict(conn.sql("SELECT DISTINCT location, geonameid FROM casualty_mentions WHERE country_code = 'UA' AND location_precision = 'city'").fetchall())
    assert found == UKRAINIAN_CITIES


def test_claim_is_kept_attributed_and_never_counted(seeds_database: Path):
    with connect(seeds_database) as conn:
        claims = conn.sql("SELECT claimant, casualty_type, victim_group, value_high FROM event_claims").fetchall()
        figures = conn.sql("SELECT count(*) FROM event_figures WHERE 85 IN (low, best, high)").fetchall()
    assert len(claims) == 1 and claims[0][1:] == ("killed", "military", 85)
    assert "defense ministry" in claims[0][0].lower()
    assert figures == [(0,)]


def test_query_reads_and_refuses_writes(seeds_database: Path, tmp_path: Path, capsys):
    assert main(["query", "--db", str(seeds_database), "SELECT count(*) AS n FROM events"]) == 0
    assert " 5 " in capsys.readouterr().out
    out = tmp_path / "events.json"
    assert main(["query", "--db", str(seeds_database), "--format", "json", "--out", str(out), "SELECT event_id FROM events"]) == 0
    assert len(json.loads(out.read_text())) == 5
    assert main(["query", "--db", str(seeds_database), "DELETE FROM events"]) == 2
    assert "refused: a DELETE statement" in capsys.readouterr().err
    with connect(seeds_database) as conn:
        assert conn.sql("SELECT count(*) FROM events").fetchall() == [(5,)]


def snapshot(database: Path) -> dict[str, list[tuple]]:
    with connect(database) as conn:
        return {table: conn.sql(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall() for table, columns in RESULT_TABLES.items()}


def test_adding_one_document_equals_building_from_scratch(seeds_database: Path, tmp_path: Path):
    articles = sorted(SEEDS.glob("*.txt"))
    (tmp_path / "input").mkdir()
    for article in articles[:-1]:
        shutil.copy(article, tmp_path / "input" / article.name)
    incremental = tmp_path / "incremental.duckdb"
    assert main(["run", "--input", str(tmp_path / "input"), "--db", str(incremental)]) == 0
    shutil.copy(articles[-1], tmp_path / "input" / articles[-1].name)
    assert main(["run", "--input", str(tmp_path / "input"), "--db", str(incremental)]) == 0
    with connect(incremental) as conn:
        assert conn.sql("SELECT count(*) FROM extraction_log").fetchall() == [(6,)]
    assert snapshot(incremental) == snapshot(seeds_database)


def test_every_example_query_in_the_docs_runs(seeds_database: Path):
    page = (Path(__file__).resolve().parents[1] / "docs" / "queries.md").read_text(encoding="utf-8")
    queries = [block.split("```", 1)[0] for block in page.split("```sql")[1:]]
    assert len(queries) >= 12
    with connect(seeds_database) as conn:
        for query in queries:
            conn.sql(query.strip().rstrip(";")).fetchall()
    assert main(["query", "--db", str(seeds_database), queries[0]]) == 0
