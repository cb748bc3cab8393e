"""`casualties query` writes nothing anywhere, whatever the SQL hides (issue: hostile input)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main


@pytest.fixture()
def database(tmp_path: Path) -> Path:
    path = tmp_path / "analysts.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE events (event_id VARCHAR, killed INTEGER)")
        conn.execute("INSERT INTO events VALUES ('e1', 3), ('e2', 0)")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_effects(target: Path, outside: Path) -> list[str]:
    """Statements that would write, read outside the database, or change settings."""
    writes = [
        f"COPY (SELECT 'owned' AS x) TO '{target}' (FORMAT csv)",
        f"COPY events TO '{outside}' (FORMAT csv)",
        f"EXPORT DATABASE '{outside.parent / 'exported'}'",
        f"ATTACH '{outside.parent / 'other.duckdb'}' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "PRAGMA enable_profiling",
        "CALL checkpoint()",
        "DELETE FROM events",
        "CREATE TABLE t AS SELECT 1",
        f"SELECT * FROM read_csv('{outside}')",
        f"SELECT * FROM read_text('{target}')",
        "SELECT 1; DROP TABLE events",
        f"SELECT 1; COPY events TO '{target}'",
    ]
    explained = [f"EXPLAIN ANALYZE {statement}" for statement in writes if ";" not in statement]
    return writes + explained


def test_no_statement_changes_the_database_or_writes_a_file(database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n", encoding="utf-8")
    before, outside_before = digest(database), digest(outside)
    for statement in side_effects(database, outside):
        status = main(["query", "--db", str(database), statement])
        message = capsys.readouterr().err
        assert status != 0, statement
        assert message.startswith("casualties query:"), (statement, message)
        assert digest(database) == before, statement
        assert digest(outside) == outside_before, statement
        assert sorted(path.name for path in tmp_path.iterdir()) == ["analysts.duckdb", "outside.csv"], statement


def test_reading_queries_still_work(database: Path, capsys: pytest.CaptureFixture[str]):
    for statement in (
        "SELECT count(*) AS n FROM events",
        "FROM events SELECT sum(killed) AS killed",
        "WITH k AS (SELECT killed FROM events) SELECT max(killed) FROM k",
        "DESCRIBE events",
        "SHOW TABLES",
        "SUMMARIZE events",
        "EXPLAIN SELECT * FROM events",
        "EXPLAIN ANALYZE SELECT * FROM events",
        "PRAGMA table_info('events')",
    ):
        assert main(["query", "--db", str(database), statement]) == 0, (statement, capsys.readouterr().err)
    assert main(["query", "--db", str(database), "--format", "csv", "SELECT event_id FROM events ORDER BY 1"]) == 0
    assert capsys.readouterr().out.endswith("event_id\ne1\ne2\n")


def test_the_connection_itself_refuses_what_the_statement_check_would_let_through(database: Path, tmp_path: Path):
    """Defence in depth: run every statement straight on the guarded connection."""
    from casualties.db import connect_for_query

    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n", encoding="utf-8")
    before = digest(database)
    for statement in side_effects(database, outside):
        with connect_for_query(database) as conn:
            try:
                conn.execute(statement).fetchall()
            except duckdb.Error:
                pass
        assert digest(database) == before, statement
        assert digest(outside) != "" and outside.read_text(encoding="utf-8") == "a\n1\n", statement
        assert sorted(path.name for path in tmp_path.iterdir()) == ["analysts.duckdb", "outside.csv"], statement
        with connect_for_query(database) as conn:
            assert conn.execute("SELECT current_setting('enable_external_access')").fetchone() == (False,)


def test_lists_go_to_csv_as_json_text(database: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["query", "--db", str(database), "--format", "csv", "SELECT ['a', 'b'] AS names, {'k': 1} AS detail"]) == 0
    assert capsys.readouterr().out == 'names,detail\n"[""a"",""b""]","{""k"":1}"\n'
