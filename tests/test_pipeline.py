"""End to end through Dagster: the definitions the UI loads, and `casualties run` on messy input."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casualties.db import connect
from pipelines.cli import main

PROJECT_ROOT = Path(__file__).resolve().parents[1]
STAGE_TABLES = ["documents", "rejected_documents", "stories", "story_segments"]
WHEN_STORED = {"documents": "ingested_at", "rejected_documents": "detected_at"}


def snapshot(database: Path) -> dict[str, list[tuple]]:
    """Every stage table's rows, without the ingestion time (a re-run must not change anything else)."""
    with connect(database) as conn:
        return {
            table: conn.sql(f"SELECT * {f'EXCLUDE ({WHEN_STORED[table]})' if table in WHEN_STORED else ''} FROM {table} ORDER BY ALL").fetchall()
            for table in STAGE_TABLES
        }


@pytest.fixture
def mixed_input(seed_input: Path) -> Path:
    (seed_input / "empty.txt").write_bytes(b"")
    (seed_input / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (seed_input / "windows.txt").write_bytes(
        "KHERSON, Ukraine \u2014 Russian shelling killed two people in Kherson on Sunday, the regional governor said. \u201cIt was a quiet street,\u201d a neighbour said.".encode("cp1252")
    )
    (seed_input / "feed.jsonl").write_text(
        '{"id": "f-1", "text": "Police in Nairobi detained 12 protesters on Tuesday, rights groups said.", "publisher": "Feed"}\n'
        '{"id": "f-2", "text": "cut off\n',
        encoding="utf-8",
    )
    return seed_input


def test_definitions_hold_every_stage_its_checks_and_the_schedule():
    from pipelines.definitions import defs

    repository = defs.get_repository_def()
    keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    assert set(STAGE_TABLES) <= keys
    checks = {(key.asset_key.to_user_string(), key.name) for key in repository.asset_graph.asset_check_keys}
    for table in STAGE_TABLES:
        assert {(table, "gx_contract"), (table, "gx_consistency")} <= checks
    assert defs.get_schedule_def("nightly_rebuild").cron_schedule == "0 3 * * *"


def test_dagster_validates_the_workspace():
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DAGSTER_HOME": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_run_stores_good_input_rejects_bad_and_is_idempotent(mixed_input: Path, tmp_path: Path, capsys):
    database = tmp_path / "out" / "casualties.duckdb"
    assert main(["run", "--input", str(mixed_input), "--db", str(database)]) == 0
    printed = capsys.readouterr().out
    assert "documents" in printed and "Checks:" in printed and "0 failed" in printed
    with connect(database) as conn:
        rejected = dict(conn.sql("SELECT source_uri, reason FROM rejected_documents").fetchall())
        stored = {uri for (uri,) in conn.sql("SELECT source_uri FROM documents").fetchall()}
        encodings = dict(conn.sql("SELECT source_uri, encoding FROM documents").fetchall())
        results = conn.sql("SELECT count(*), count(DISTINCT run_id), bool_and(success) FROM quality_results").fetchall()[0]
    assert set(rejected) == {"empty.txt", "scan.txt", "feed.jsonl#2"}
    assert rejected["empty.txt"] == "empty file (0 bytes)"
    assert "NUL bytes" in rejected["scan.txt"] and "malformed JSON" in rejected["feed.jsonl#2"]
    assert stored == {path.name for path in mixed_input.glob("0*.txt")} | {"windows.txt", "feed.jsonl#1"}
    assert encodings["windows.txt"] == "cp1252"
    assert results[0] > 0 and results[1] == 1 and results[2] is True
    before = snapshot(database)
    assert main(["run", "--input", str(mixed_input), "--db", str(database)]) == 0
    assert snapshot(database) == before


def test_cli_run_names_a_missing_input_folder(tmp_path: Path, capsys):
    assert main(["run", "--input", str(tmp_path / "missing"), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "missing does not exist" in capsys.readouterr().err


def test_failed_stage_leaves_tables_as_they_were(mixed_input: Path, tmp_path: Path, monkeypatch):
    from casualties.stages import cleaned as stages

    database = tmp_path / "casualties.duckdb"
    assert main(["run", "--input", str(mixed_input), "--db", str(database)]) == 0
    before = snapshot(database)
    (mixed_input / "late.txt").write_text("Ten people were killed in a strike on Dnipro on Monday, officials said.", encoding="utf-8")

    def broken_story_rows(meta):
        raise RuntimeError("cleaner broke")

    monkeypatch.setattr(stages, "story_rows", broken_story_rows)
    assert main(["run", "--input", str(mixed_input), "--db", str(database)]) == 1
    after = snapshot(database)
    assert after["stories"] == before["stories"] and after["story_segments"] == before["story_segments"]


class BrokenExtractor:
    def extract(self, segments, batch_size=64, n_process=1, failed=None):
        for number, _ in enumerate(segments):
            if number == 3:
                raise RuntimeError("extractor broke on segment 3")
            yield from ()


def test_extraction_failing_mid_stream_leaves_tables_and_a_usable_database(mixed_input: Path, tmp_path: Path, monkeypatch, capsys):
    import assets.resources as resources

    database = tmp_path / "casualties.duckdb"
    monkeypatch.setattr(resources, "loaded_extractor", lambda: BrokenExtractor())
    assert main(["run", "--input", str(mixed_input), "--db", str(database)]) == 1
    assert "extractor broke on segment 3" in capsys.readouterr().err
    with connect(database) as conn:
        assert conn.sql("SELECT count(*) FROM casualty_mentions").fetchall() == [(0,)]
        assert conn.sql("SELECT count(*) FROM stories").fetchall()[0][0] > 0


def test_a_story_longer_than_spacy_takes_is_extracted(tmp_path: Path, capsys):
    """A 2.1 MB paragraph whose clauses end in ';' (under ingest's 5 MB limit) once stopped extraction for good."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "short.txt").write_text("Shelling killed two people in Kherson on Sunday, the regional governor said.", encoding="utf-8")
    filler = "officials said the shelling went on for hours near the river; " * 17_000
    opening = "Russian shelling hit the city of Kharkiv overnight, regional officials said on Tuesday.\n"
    (folder / "long.txt").write_text(opening + filler + "at least 12 people were killed in Kharkiv on Monday, the governor said; " + filler, encoding="utf-8")
    database = tmp_path / "casualties.duckdb"
    assert main(["run", "--input", str(folder), "--db", str(database)]) == 0
    assert "0 failed" in capsys.readouterr().out
    with connect(database) as conn:
        rows = conn.sql(
            """
            SELECT d.source_uri, m.value, length(s.text), substr(s.text, m.value_start + 1, m.value_end - m.value_start) = m.value_text, m.event_id
            FROM casualty_mentions AS m JOIN stories AS s USING (story_id) JOIN documents AS d ON d.doc_id = m.doc_id
            ORDER BY d.source_uri
            """
        ).fetchall()
    assert [(uri, value) for uri, value, *_ in rows] == [("long.txt", 12), ("short.txt", 2)]
    assert rows[0][2] > 2_000_000 and all(offsets_right and event_id for *_, offsets_right, event_id in rows)


class FailingOnFirstStory:
    """The real extractor, but the first story it is given fails."""

    def __init__(self, extractor) -> None:
        self.extractor = extractor

    def extract(self, segments, batch_size=64, n_process=1, failed=None):
        segments = list(segments)
        first = segments[0].story_id
        failed(first, "RuntimeError: hostile story")
        yield from self.extractor.extract([item for item in segments if item.story_id != first], batch_size=batch_size, failed=failed)


def test_a_story_that_fails_extraction_is_logged_with_its_reason_and_the_others_are_extracted(mixed_input: Path, tmp_path: Path):
    from assets.resources import loaded_extractor
    from casualties.stages import extract_mentions

    database = tmp_path / "casualties.duckdb"
    assert main(["run", "--input", str(mixed_input), "--db", str(database)]) == 0
    mentions = "SELECT * EXCLUDE (event_id) FROM casualty_mentions ORDER BY mention_id"
    with connect(database) as conn:
        first = conn.sql("SELECT min(story_id) FROM stories").fetchall()[0][0]
        others = conn.sql(mentions.replace("ORDER BY", f"WHERE story_id <> '{first}' ORDER BY")).fetchall()
        counts = extract_mentions(conn, FailingOnFirstStory(loaded_extractor()), "hostile", full_refresh=True)
        assert counts["stories_failed"] == 1 and counts["mentions_written"] == len(others)
        assert conn.sql(mentions).fetchall() == others
        assert conn.sql("SELECT story_id, n_mentions, error FROM extraction_log WHERE error IS NOT NULL").fetchall() == [
            (first, 0, "RuntimeError: hostile story")
        ]
        # Logged, it is not pending: the next run under the same rules leaves it alone.
        assert extract_mentions(conn, loaded_extractor(), "hostile")["stories_extracted"] == 0


HOLD_FOR_WRITING = "import duckdb, sys; conn = duckdb.connect(sys.argv[1]); print('open', flush=True); sys.stdin.read()"


def test_a_database_held_by_another_process_is_one_clear_line_and_the_details_go_to_the_log(tmp_path: Path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Shelling killed two people in Kherson on Sunday, the regional governor said.", encoding="utf-8")
    database = tmp_path / "casualties.duckdb"
    cli = [sys.executable, "-m", "pipelines.cli"]
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "DAGSTER_HOME": ""}
    with subprocess.Popen([sys.executable, "-c", HOLD_FOR_WRITING, str(database)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout.readline() == "open\n"
            run = subprocess.run([*cli, "run", "--input", str(folder), "--db", str(database)], capture_output=True, text=True, timeout=300, env=environment)
            query = subprocess.run([*cli, "query", "SELECT 1", "--db", str(database)], capture_output=True, text=True, timeout=300, env=environment)
        finally:
            holder.stdin.close()
    for command in (run, query):
        assert command.returncode == 1
        assert command.stdout == ""
        [line] = command.stderr.splitlines()
        assert f"database {database} is in use by another process (PID {holder.pid}" in line and "try again" in line
    assert run.stderr.startswith("casualties run: ") and query.stderr.startswith("casualties query: ")
    assert "Could not set lock" in (tmp_path / "casualties.duckdb.log").read_text(encoding="utf-8")


def record_file(conn, path: str, into: str | None = None) -> None:
    from datetime import datetime

    import polars as pl

    from casualties.db import insert_frame
    from casualties.tables import INPUT_FILES

    insert_frame(conn, INPUT_FILES, pl.DataFrame([{"source_path": path, "bytes": 1, "changed_ns": 1, "read_at": datetime(2026, 1, 1)}]), into)


def test_a_rebuild_commits_row_by_row_in_staging_and_swaps_in_at_the_end(tmp_path: Path):
    from casualties.db import STAGING_SCHEMA, ensure_tables, writing
    from casualties.tables import INPUT_FILES

    with connect(tmp_path / "rebuild.duckdb") as conn:
        ensure_tables(conn)
        record_file(conn, "old")
        with writing(conn, (INPUT_FILES,), rebuild=True) as into:
            record_file(conn, "new", into["input_files"])
            # A second connection sees the staged row committed (so DuckDB need not hold it
            # in memory) while the table itself still holds the old one.
            with conn.cursor() as reader:
                assert reader.sql(f"SELECT source_path FROM {STAGING_SCHEMA}.input_files").fetchall() == [("new",)]
                assert reader.sql("SELECT source_path FROM input_files").fetchall() == [("old",)]
        assert conn.sql("SELECT source_path FROM input_files").fetchall() == [("new",)]
        assert conn.sql("SELECT comment FROM duckdb_tables() WHERE table_name = 'input_files'").fetchall() == [(INPUT_FILES.description,)]
        assert conn.sql(f"SELECT count(*) FROM duckdb_tables() WHERE schema_name = '{STAGING_SCHEMA}'").fetchall() == [(0,)]
        with pytest.raises(Exception, match="Constraint"):
            record_file(conn, "new")  # the primary key came along with the swap


def test_a_failed_rebuild_leaves_the_table_and_no_staging_copy(tmp_path: Path):
    from casualties.db import STAGING_SCHEMA, ensure_tables, writing
    from casualties.tables import INPUT_FILES

    with connect(tmp_path / "rebuild.duckdb") as conn:
        ensure_tables(conn)
        record_file(conn, "old")
        with pytest.raises(RuntimeError, match="reader broke"):
            with writing(conn, (INPUT_FILES,), rebuild=True) as into:
                record_file(conn, "new", into["input_files"])
                raise RuntimeError("reader broke")
        assert conn.sql("SELECT source_path FROM input_files").fetchall() == [("old",)]
        assert conn.sql(f"SELECT count(*) FROM duckdb_tables() WHERE schema_name = '{STAGING_SCHEMA}'").fetchall() == [(0,)]


KILLED_MIDWAY = """
import os, signal, sys
from casualties.db import connect, writing
from casualties.tables import INPUT_FILES
from test_pipeline import record_file

with connect(sys.argv[1]) as conn:
    with writing(conn, (INPUT_FILES,), rebuild=True) as into:
        record_file(conn, "new", into["input_files"])
        os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_rebuild_killed_midway_leaves_no_staging_table_in_the_analysts_schema(tmp_path: Path):
    from casualties.db import ensure_tables
    from casualties.tables import ALL_TABLES

    database = tmp_path / "killed.duckdb"
    with connect(database) as conn:
        ensure_tables(conn)
        record_file(conn, "old")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MIDWAY, str(database)],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr
    with connect(database, read_only=True) as conn:
        shown = {name for (name,) in conn.sql("SHOW TABLES").fetchall()}
        in_main = {name for (name,) in conn.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        assert shown == in_main == {table.name for table in ALL_TABLES}
        assert conn.sql("SELECT source_path FROM input_files").fetchall() == [("old",)]
        # The killed build's rows were staged, and committed there.
        assert conn.sql("SELECT source_path FROM staging.input_files").fetchall() == [("new",)]


def test_a_full_refresh_failing_mid_stream_leaves_the_mentions_as_they_were(mixed_input: Path, tmp_path: Path):
    from casualties.stages import extract_mentions

    database = tmp_path / "casualties.duckdb"
    assert main(["run", "--input", str(mixed_input), "--db", str(database)]) == 0
    with connect(database) as conn:
        before = conn.sql("SELECT * FROM casualty_mentions ORDER BY mention_id").fetchall()
        assert before
        with pytest.raises(RuntimeError, match="segment 3"):
            extract_mentions(conn, BrokenExtractor(), "anyrules", full_refresh=True)
        assert conn.sql("SELECT * FROM casualty_mentions ORDER BY mention_id").fetchall() == before


def test_a_runs_steps_share_one_open_database_which_is_closed_after_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from dagster import asset, materialize

    import assets.resources as resources

    opened: list[str] = []
    opening = resources.connect
    monkeypatch.setattr(resources, "connect", lambda path: opened.append(str(path)) or opening(path))

    @asset
    def first(duckdb: resources.DuckDB) -> None:
        with duckdb.get_connection() as conn:
            conn.execute("CREATE TABLE numbers AS SELECT 1 AS n")

    @asset(deps=[first])
    def second(duckdb: resources.DuckDB) -> None:
        with duckdb.get_connection() as conn:
            conn.execute("INSERT INTO numbers VALUES (2)")

    database = tmp_path / "shared.duckdb"
    assert materialize([first, second], resources={"duckdb": resources.DuckDB(database=str(database))}).success
    assert opened == [str(database)]
    # Closed: this process may open it again with other settings.
    with connect(database, read_only=True) as conn:
        assert conn.execute("SELECT list(n ORDER BY n) FROM numbers").fetchall() == [([1, 2],)]


def test_extraction_streamed_a_story_per_slice_writes_the_same_mentions(mixed_input: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from assets.resources import loaded_extractor
    from casualties.stages import extracted as stages

    database = tmp_path / "casualties.duckdb"
    assert main(["run", "--input", str(mixed_input), "--db", str(database)]) == 0
    mentions = "SELECT * EXCLUDE (event_id) FROM casualty_mentions ORDER BY mention_id"
    with connect(database) as conn:
        whole = conn.sql(mentions).fetchall()
        stories = conn.sql("SELECT count(*) FROM stories").fetchall()[0][0]
        monkeypatch.setattr(stages, "KEYS_PER_QUERY", 1)
        counts = stages.extract_mentions(conn, loaded_extractor(), "sliced", full_refresh=True)
        assert counts == {"stories_extracted": stories, "mentions_written": len(whole), "stories_failed": 0}
        assert stories > 1 and conn.sql(mentions).fetchall() == whole


def test_rejected_documents_is_materialized_and_checked_only_by_runs_that_changed_it(tmp_path: Path):
    from dagster import AssetKey, DagsterInstance, materialize

    from assets.raw import raw, raw_checks
    from assets.resources import build_resources

    folder = tmp_path / "articles"
    folder.mkdir()
    demo_articles = sorted((PROJECT_ROOT / "data" / "demo" / "articles" / "agency").glob("*.txt"))
    shutil.copy(demo_articles[0], folder / demo_articles[0].name)
    resources = build_resources(folder, tmp_path / "db.duckdb")
    instance = DagsterInstance.ephemeral()

    def run_raw() -> tuple[set[str], set[str]]:
        result = materialize([raw, *raw_checks], resources=resources, instance=instance)
        assert result.success
        materialized = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
        checked = {evaluation.asset_key.to_user_string() for evaluation in result.get_asset_check_evaluations()}
        return materialized, checked

    # The first build writes the table, empty or not.
    assert run_raw() == ({"documents", "rejected_documents"}, {"documents", "rejected_documents"})
    shutil.copy(demo_articles[1], folder / demo_articles[1].name)
    assert run_raw() == ({"documents"}, {"documents"})
    (folder / "empty.txt").write_bytes(b"")
    assert run_raw() == ({"documents", "rejected_documents"}, {"documents", "rejected_documents"})
    latest = instance.get_latest_materialization_event(AssetKey("rejected_documents"))
    assert latest is not None and latest.asset_materialization.metadata["rejections_added"].value == 1


def test_every_document_is_cleaned_once_even_one_of_nothing_but_page_chrome(tmp_path: Path):
    from casualties.db import connect
    from casualties.stages import build_stories, load_raw

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "chrome.txt").write_text("Advertisement\n\nSkip to Content\n", encoding="utf-8")
    (folder / "alert.txt").write_text("Two guards killed at depot gate", encoding="utf-8")
    with connect(tmp_path / "db.duckdb") as conn:
        load_raw(conn, folder)
        assert build_stories(conn)["documents_cleaned"] == 2
        assert build_stories(conn)["documents_cleaned"] == 0
        assert conn.execute("SELECT count(DISTINCT doc_id) FROM stories").fetchone() == (2,)


def test_a_row_breaking_the_contract_stops_the_run_before_it_reaches_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """The policy: bad input is rejected and a failing story logged, while a row the
    extractor writes against the contract is a defect, so its blocking check stops the run
    and no event is built from it (docs/pipeline.md, Stages)."""
    from casualties.stages import extracted as stages

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Gunmen killed four guards at the depot gate in Lorvale on Monday.", encoding="utf-8")
    database = tmp_path / "db.duckdb"
    insert = stages.insert_mentions

    def with_one_broken_row(conn, mentions, into):
        broken = [{**mentions[0], "value_end": mentions[0]["char_end"] + 5}, *mentions[1:]]
        return insert(conn, broken, into)

    monkeypatch.setattr(stages, "insert_mentions", with_one_broken_row)
    assert main(["run", "--input", str(folder), "--db", str(database)]) == 1
    assert "FAILED extracted_mentions:gx_contract" in capsys.readouterr().out
    with connect(database, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM casualty_mentions WHERE value_end > char_end").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (0,)
