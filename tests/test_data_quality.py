"""The checks on real DuckDB files: good rows pass, each kind of bad row fails its own GX
expectation or SQL check, which names it.

One small but complete database: a document about a missile strike on Kharkiv, its story,
headline and body segments, three mentions (12 killed, 3 of them children, and a Russian
claim of 40 soldiers killed), the event they form, its figures, claim and history.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from dagster import AssetCheckSeverity, AssetKey, asset, materialize
from dagster_duckdb import DuckDBResource

from casualties.db import connect, ensure_tables, insert_frame
from casualties.tables import TABLES_BY_NAME
from data_quality.checks import table_checks
from data_quality import validation
from data_quality.suites import CHECKED_TABLES, expectations, sql_checks
from data_quality.validation import ExpectationOutcome, run_suites

HEADLINE = "Missile strike on Kharkiv"
BODY = (
    "KHARKIV, Ukraine — A missile strike killed 12 people, including 3 children, on Monday, officials said. "
    "Russia's defence ministry said it killed 40 soldiers."
)
RAW_TEXT = f"{HEADLINE}\n{BODY}\nPhoto: rescuers at the site."
BODY_START = RAW_TEXT.index(BODY)
FIRST_SENTENCE = BODY[: BODY.index("Russia's")].rstrip()
SECOND_SENTENCE = BODY[BODY.index("Russia's") :]
PUBLISHED = datetime(2024, 4, 29, 10, 0)
STRIKE_DAY = date(2024, 4, 29)
ALL_TABLES = [table.name for table in CHECKED_TABLES]


def mention(mention_id: str, value_text: str, sentence: str, victim_group: str | None, **overrides: Any) -> dict[str, Any]:
    value = int(value_text.split()[0])
    char_start = BODY.index(sentence)
    value_start = BODY.index(value_text, char_start)
    return {
        "mention_id": mention_id,
        "doc_id": "d1",
        "story_id": "d1-0",
        "segment_id": "d1-0-body-0",
        "segment": "body",
        "casualty_type": "killed",
        "victim_group": victim_group,
        "value": value,
        "qualifier": "exact",
        "value_low": value,
        "value_high": value,
        "value_text": value_text,
        "sentence": sentence,
        "char_start": char_start,
        "char_end": char_start + len(sentence),
        "value_start": value_start,
        "value_end": value_start + len(value_text),
        "location": "Kharkiv",
        "country_code": "UA",
        "location_precision": "city",
        "event_date": STRIKE_DAY,
        "event_date_precision": "day",
        "event_date_end": STRIKE_DAY,
        "is_claim": False,
        "is_historical": False,
        "reported_at": PUBLISHED,
        "publisher": "AP",
        **overrides,
    }


def figure(victim_group: str | None, value: int) -> dict[str, Any]:
    return {
        "event_id": "e1",
        "casualty_type": "killed",
        "victim_group": victim_group,
        "victim_group_key": victim_group or "total",
        "low": value,
        "best": value,
        "high": value,
        "n_mentions": 1,
        "policy": "max_non_party",
    }


def segment(kind: str, text: str) -> dict[str, Any]:
    raw_start = RAW_TEXT.index(text)
    return {
        "segment_id": f"d1-0-{kind}-0",
        "story_id": "d1-0",
        "doc_id": "d1",
        "kind": kind,
        "seq": 0,
        "text": text,
        "raw_start": raw_start,
        "raw_end": raw_start + len(text),
        "occurrences": 1,
    }


GOOD_ROWS: dict[str, list[dict[str, Any]]] = {
    "documents": [
        {
            "doc_id": "d1",
            "source_uri": "kharkiv.txt",
            "source_uris": ["kharkiv.txt"],
            "format": "txt",
            "publisher": "AP",
            "published_at": PUBLISHED,
            "encoding": "utf-8",
            "bytes": len(RAW_TEXT.encode()),
            "raw_text": RAW_TEXT,
            "ingested_at": datetime(2024, 5, 1),
        }
    ],
    "rejected_documents": [
        {"rejection_id": "r1", "source_uri": "empty.txt", "reason": "empty file (0 bytes)", "bytes": 0, "detected_at": datetime(2024, 5, 1)}
    ],
    "stories": [
        {
            "story_id": "d1-0",
            "doc_id": "d1",
            "seq": 0,
            "title": HEADLINE,
            "publisher": "AP",
            "dateline": "KHARKIV, Ukraine",
            "published_at": PUBLISHED,
            "date_source": "metadata",
            "text": BODY,
            "raw_start": BODY_START,
            "raw_end": BODY_START + len(BODY),
            "offset_map": [{"text_start": 0, "raw_start": BODY_START, "length": len(BODY)}],
            "removed_lines": ["Photo: rescuers at the site."],
            "n_captions": 0,
            "n_duplicate_captions": 0,
            "n_embedded_posts": 0,
            "n_words": len(BODY.split()),
        }
    ],
    "story_segments": [segment("headline", HEADLINE), segment("body", BODY)],
    "extracted_mentions": [
        mention("m-total", "12 people", FIRST_SENTENCE, None),
        mention("m-children", "3 children", FIRST_SENTENCE, "children"),
        mention("m-claim", "40 soldiers", SECOND_SENTENCE, "military", is_claim=True, claimant="Russia", attributed_to="Russia"),
    ],
    "events": [
        {
            "event_id": "e1",
            "location": "Kharkiv",
            "country_code": "UA",
            "date_start": STRIKE_DAY,
            "date_end": STRIKE_DAY,
            "date_precision": "day",
            "kind": "missile strike",
            "n_documents": 1,
            "n_sources": 1,
            "first_reported_at": PUBLISHED,
            "last_reported_at": PUBLISHED,
        }
    ],
    "event_figures": [figure(None, 12), figure("children", 3)],
    "event_documents": [{"event_id": "e1", "doc_id": "d1"}],
    "mention_events": [{"mention_id": mention_id, "event_id": "e1"} for mention_id in ("m-total", "m-children", "m-claim")],
    "event_claims": [
        {"event_id": "e1", "claimant": "Russia", "casualty_type": "killed", "victim_group": "military", "value_low": 40, "value_high": 40, "mention_id": "m-claim"}
    ],
    "figure_history": [
        {"event_id": "e1", "casualty_type": "killed", "victim_group": group, "reported_at": PUBLISHED, "value": value, "doc_id": "d1", "mention_id": mention_id, "publisher": "AP"}
        for mention_id, group, value in (("m-total", None, 12), ("m-children", "children", 3))
    ],
}


def write_good_rows(database: Path) -> None:
    with connect(database) as conn:
        ensure_tables(conn)
        for name, rows in GOOD_ROWS.items():
            table = TABLES_BY_NAME[name]
            insert_frame(conn, table, pl.DataFrame(rows, schema=table.polars_schema()))


@pytest.fixture
def good_database(tmp_path: Path) -> Path:
    database = tmp_path / "good.duckdb"
    write_good_rows(database)
    return database


def validate(database: Path, table_names: list[str], run_id: str = "test-run") -> list[ExpectationOutcome]:
    with connect(database) as conn:
        return run_suites(conn, table_names, run_id)


def failures(outcomes: list[ExpectationOutcome]) -> dict[str, int | None]:
    return {outcome.expectation: outcome.unexpected_count for outcome in outcomes if not outcome.success}


def test_every_expectation_holds_on_good_rows(good_database: Path):
    outcomes = validate(good_database, ALL_TABLES)
    assert failures(outcomes) == {}
    assert len(outcomes) == sum(len(expectations(name)) + len(sql_checks(name)) for name in ALL_TABLES)
    # The rows really were read: the unconditional GX expectations of each table saw every row inserted.
    rows_checked = {
        name: {outcome.element_count for outcome in outcomes if outcome.asset == name and outcome.check_name.startswith("gx_") and " where " not in outcome.expectation}
        for name in ALL_TABLES
    }
    assert rows_checked == {name: {len(GOOD_ROWS.get(name, []))} for name in ALL_TABLES}


def test_empty_tables_pass(tmp_path: Path):
    database = tmp_path / "empty.duckdb"
    with connect(database) as conn:
        ensure_tables(conn)
    outcomes = validate(database, ALL_TABLES)
    assert outcomes and all(outcome.success for outcome in outcomes)


def test_a_run_that_wrote_nothing_reads_no_rows(good_database: Path):
    with connect(good_database) as conn:
        outcomes = run_suites(conn, ["documents"], "again", written_since={"documents": datetime(2100, 1, 1)})
    assert outcomes and all(outcome.success for outcome in outcomes)
    assert {outcome.element_count for outcome in outcomes if outcome.check_name.startswith("gx_")} == {0}


def without_constraints(table: str) -> list[str]:
    """Rebuild a table without its key and NOT NULL constraints, as a foreign writer might."""
    return [f"CREATE TABLE loose AS FROM {table}", f"DROP TABLE {table}", f"ALTER TABLE loose RENAME TO {table}"]


DOC_ID_UNIQUE = "expect_column_values_to_be_unique(column=doc_id)"
BYTES_AT_LEAST_1 = "expect_column_values_to_be_between(column=bytes, min_value=1)"


BAD_ROWS = {
    # Keys, as a table rebuilt without its constraints by another writer would break them.
    "duplicate key": ("documents", [*without_constraints("documents"), "INSERT INTO documents FROM documents"], {DOC_ID_UNIQUE: 2}),
    "null key": (
        "documents",
        [*without_constraints("documents"), "UPDATE documents SET doc_id = NULL"],
        {"expect_column_values_to_not_be_null(column=doc_id)": 1},
    ),
    "duplicate compound key": (
        "event_documents",
        [*without_constraints("event_documents"), "INSERT INTO event_documents FROM event_documents"],
        {"expect_compound_columns_to_be_unique(column_list=[event_id, doc_id])": 2},
    ),
    "empty document": ("documents", ["UPDATE documents SET bytes = 0"], {BYTES_AT_LEAST_1: 1}),
    "future publication": (
        "documents",
        ["UPDATE documents SET published_at = TIMESTAMP '2100-01-01 00:00:00'"],
        {"expect_column_values_to_be_between(column=published_at, max_value=now)": 1},
    ),
    "story beyond its raw text": ("stories", ["UPDATE stories SET raw_end = raw_end + 1000"], {"within_text": 1}),
    "segment before its raw text": (
        "story_segments",
        ["UPDATE story_segments SET raw_start = -1 WHERE kind = 'headline'"],
        {"expect_column_values_to_be_between(column=raw_start, min_value=0)": 1},
    ),
    "mention beyond its segment": ("extracted_mentions", ["UPDATE extracted_mentions SET char_end = 1000 WHERE mention_id = 'm-claim'"], {"within_text": 1}),
    "value below its lowest bound": (
        "extracted_mentions",
        ["UPDATE extracted_mentions SET value_low = value + 1, value_high = value + 1 WHERE mention_id = 'm-total'"],
        {"expect_column_pair_values_a_to_be_greater_than_b(column_A=value, column_B=value_low, or_equal=True) where qualifier != more_than": 1},
    ),
    "more children killed than people killed in one sentence": (
        "extracted_mentions",
        ["UPDATE extracted_mentions SET value = 30, value_low = 30, value_high = 30 WHERE mention_id = 'm-children'"],
        {"group_within_total": 1},
    ),
    "claim without claimant": (
        "extracted_mentions",
        ["UPDATE extracted_mentions SET claimant = NULL WHERE is_claim"],
        {"expect_column_values_to_not_be_null(column=claimant) where is_claim == True": 1},
    ),
    "mention of a missing story": ("extracted_mentions", ["DELETE FROM stories"], {"has_story": 3}),
    "event whose mentions are gone": ("events", ["DELETE FROM mention_events"], {"has_mention": 1}),
    "link to a missing mention": ("mention_events", ["INSERT INTO mention_events VALUES ('m-gone', 'e1')"], {"has_mention": 1}),
    "event with neither figure nor claim": (
        "events",
        ["DELETE FROM event_figures", "DELETE FROM event_claims"],
        {"has_figure_or_claim": 1},
    ),
    "figure low above best": (
        "event_figures",
        ["UPDATE event_figures SET low = best + 1 WHERE victim_group IS NULL"],
        {"expect_column_pair_values_a_to_be_greater_than_b(column_A=best, column_B=low, or_equal=True)": 1},
    ),
    "total keyed as a group": (
        "event_figures",
        ["UPDATE event_figures SET victim_group_key = 'civilians' WHERE victim_group IS NULL"],
        {"expect_column_values_to_be_in_set(column=victim_group_key, value_set=[total]) where victim_group IS NULL": 1},
    ),
    "figure made of a claim": (
        "event_figures",
        ["INSERT INTO event_figures VALUES ('e1', 'killed', 'military', 'military', 40, 40, 40, 1, 'max_non_party')"],
        # 40 soldiers also exceed the 12 people killed, a contradiction event_conflicts does not list.
        {"has_reported_mention": 1, "group_within_total": 1},
    ),
    "group above its total, not listed as a conflict": (
        "event_figures",
        ["UPDATE event_figures SET low = 20, best = 20, high = 20 WHERE victim_group = 'children'"],
        {"group_within_total": 1},
    ),
    "column of the wrong type": ("rejected_documents", ["ALTER TABLE rejected_documents ALTER bytes TYPE INTEGER"], {"columns_match_contract": 1}),
}


@pytest.mark.parametrize("table, statements, expected", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_bad_rows_fail_exactly_their_expectation(good_database: Path, table: str, statements: list[str], expected: dict[str, int]):
    with connect(good_database) as conn:
        for statement in statements:
            conn.execute(statement)
    assert failures(validate(good_database, [table])) == expected


def test_tables_are_validated_in_slices_of_whole_keys(good_database: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(validation, "KEYS_PER_READ", 1)
    monkeypatch.setattr(validation, "CHUNK_BYTES", 1)
    frame_heights: dict[str, list[int]] = {}
    validate_frame = validation.validate_frame

    def recording_validate_frame(table, frame, checked_at=None):
        frame_heights.setdefault(table.name, []).append(frame.height)
        return validate_frame(table, frame, checked_at)

    monkeypatch.setattr(validation, "validate_frame", recording_validate_frame)
    with connect(good_database) as conn:
        for statement in [
            *without_constraints("documents"),
            "INSERT INTO documents FROM documents",
            "INSERT INTO documents SELECT * REPLACE ('d3' AS doc_id, 0 AS bytes) FROM documents LIMIT 1",
        ]:
            conn.execute(statement)
    outcomes = validate(good_database, ["documents"])
    assert failures(outcomes) == {DOC_ID_UNIQUE: 2, BYTES_AT_LEAST_1: 1}
    bytes_check = next(outcome for outcome in outcomes if outcome.expectation == BYTES_AT_LEAST_1)
    assert bytes_check.element_count == 3
    assert bytes_check.failing_sample == [{"doc_id": "d3", "bytes": 0}]
    # One key per read: the two rows of the duplicated key come in one slice, where GX finds them.
    assert frame_heights == {"documents": [2, 1]}


def test_listed_conflict_turns_a_group_above_its_total_into_no_warning(good_database: Path):
    with connect(good_database) as conn:
        conn.execute("UPDATE event_figures SET low = 20, best = 20, high = 20 WHERE victim_group = 'children'")
        conn.execute("INSERT INTO event_conflicts VALUES ('e1', 'killed', 'children', 'children', 'group_exceeds_total', 'killed children 20 exceeds the total killed 12')")
    assert failures(validate(good_database, ["event_figures", "event_conflicts"])) == {}


def test_an_event_stating_only_a_claim_passes(good_database: Path):
    """'The army says it killed 20 rebels': the claim is no figure, and the event is still one."""
    with connect(good_database) as conn:
        conn.execute("DELETE FROM event_figures")
        conn.execute("DELETE FROM figure_history")
    assert failures(validate(good_database, ["events"])) == {}


def test_blocking_and_warning_expectations_are_told_apart(good_database: Path):
    with connect(good_database) as conn:
        conn.execute("UPDATE documents SET bytes = 0, published_at = TIMESTAMP '2100-01-01 00:00:00'")
    failed = {outcome.expectation: outcome for outcome in validate(good_database, ["documents"]) if not outcome.success}
    bytes_check = failed[BYTES_AT_LEAST_1]
    date_check = failed["expect_column_values_to_be_between(column=published_at, max_value=now)"]
    assert (bytes_check.check_name, bytes_check.blocking) == ("gx_contract", True)
    assert (date_check.check_name, date_check.blocking) == ("gx_consistency", False)
    assert bytes_check.failing_sample == [{"doc_id": "d1", "bytes": 0}]
    assert date_check.element_count == 1 and date_check.result["success"] is False


def test_a_missing_column_fails_the_contract_instead_of_crashing(good_database: Path):
    with connect(good_database) as conn:
        conn.execute("ALTER TABLE rejected_documents DROP COLUMN reason")
    outcomes = validate(good_database, ["rejected_documents"])
    gx_outcomes = [outcome for outcome in outcomes if outcome.check_name.startswith("gx_")]
    # Missing, and the columns after it moved up one place; every GX expectation fails, with the reason.
    assert failures(outcomes) == {"columns_match_contract": 3} | {outcome.expectation: None for outcome in gx_outcomes}
    columns = next(outcome for outcome in outcomes if outcome.expectation == "columns_match_contract")
    assert [row["column_name"] for row in columns.failing_sample] == ["bytes", "detected_at", "reason"]
    assert {"column_name": "reason", "contract_position": 3, "database_position": None, "contract_type": "VARCHAR", "database_type": None} in columns.failing_sample
    assert gx_outcomes and "could not be read" in gx_outcomes[0].failing_sample[0]


def test_a_dangling_reference_fails_its_sql_check_with_the_keys_of_its_rows(good_database: Path):
    with connect(good_database) as conn:
        conn.execute("INSERT INTO mention_events VALUES ('m-gone', 'e1')")
        conn.execute("DELETE FROM story_segments WHERE kind = 'body'")
    failed = {outcome.expectation: outcome for outcome in validate(good_database, ["mention_events", "extracted_mentions"]) if not outcome.success}
    assert (failed["has_mention"].asset, failed["has_mention"].check_name, failed["has_mention"].blocking) == ("mention_events", "has_mention", True)
    assert failed["has_mention"].failing_sample == [{"mention_id": "m-gone"}]
    # Every mention lies in the body: each names its key and the segment it points at.
    assert failed["has_segment"].failing_sample == [
        {"mention_id": mention_id, "segment_id": "d1-0-body-0", "story_id": "d1-0", "segment": "body"} for mention_id in ("m-children", "m-claim", "m-total")
    ]
    assert set(failed) == {"has_mention", "has_segment"}


def test_quality_results_hold_one_row_per_expectation_and_run(good_database: Path):
    first = validate(good_database, ["documents", "stories"], run_id="run-1")
    validate(good_database, ["documents", "stories"], run_id="run-2")
    # A retried step validates the same run again: its rows are replaced, not doubled.
    validate(good_database, ["documents", "stories"], run_id="run-1")
    with connect(good_database, read_only=True) as conn:
        per_run = dict(conn.sql("SELECT run_id, count(*) FROM quality_results GROUP BY run_id").fetchall())
        stored = conn.sql(
            "SELECT asset, stage, expectation, success, unexpected_count, details FROM quality_results WHERE run_id = 'run-1'"
        ).pl()
    assert per_run == {"run-1": len(first), "run-2": len(first)}
    assert stored.height == stored.select("asset", "expectation").n_unique() == len(first)
    assert set(stored["stage"]) == {"raw", "cleaned"} and stored["success"].all()
    bytes_check = stored.filter((pl.col("asset") == "documents") & (pl.col("expectation") == BYTES_AT_LEAST_1))
    assert bytes_check["unexpected_count"].to_list() == [0]
    assert '"check": "gx_contract"' in bytes_check["details"][0]
    sql_check = stored.filter((pl.col("asset") == "stories") & (pl.col("expectation") == "has_document"))
    assert sql_check["unexpected_count"].to_list() == [0] and '"check": "has_document"' in sql_check["details"][0]


def test_a_failed_write_records_nothing_and_leaves_the_database_usable(good_database: Path, monkeypatch: pytest.MonkeyPatch):
    import data_quality.validation as validation

    def full_disk(*arguments: Any) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(validation, "insert_frame", full_disk)
    # Kept, as Dagster keeps a failed step's error: its traceback holds the frames that opened the connection.
    with pytest.raises(OSError, match="disk full") as failure:
        run_suites(DuckDBResource(database=str(good_database)).get_connection, ["event_documents"], "run-1")
    with connect(good_database, read_only=True) as conn:
        assert conn.sql("SELECT count(*) FROM quality_results").fetchall() == [(0,)]
    assert failure.traceback


def test_failing_blocking_check_fails_in_dagster_and_stops_downstream(tmp_path: Path):
    database = tmp_path / "dagster.duckdb"
    write_good_rows(database)

    @asset(name="documents")
    def empty_document(duckdb: DuckDBResource) -> None:
        with duckdb.get_connection() as conn:
            # Stamped as the raw stage stamps what it writes: the run's checks take these rows.
            conn.execute("UPDATE documents SET bytes = 0, published_at = TIMESTAMP '2100-01-01 00:00:00', ingested_at = current_timestamp AT TIME ZONE 'UTC'")

    @asset(deps=["documents"])
    def downstream() -> None:
        raise AssertionError("must not run after a failed blocking check")

    result = materialize(
        [empty_document, downstream, table_checks("gx_documents", ["documents"])],
        resources={"duckdb": DuckDBResource(database=str(database))},
        raise_on_error=False,
    )
    evaluations = {evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()}
    contract, consistency = evaluations["gx_contract"], evaluations["gx_consistency"]
    assert contract.asset_key == AssetKey("documents")
    assert not contract.passed and contract.severity == AssetCheckSeverity.ERROR
    assert contract.metadata["expectations_failed"].value == 1
    assert contract.metadata["scope"].value.startswith("rows written by this run")
    assert contract.metadata["expectations_evaluated"].value == sum(1 for expectation in expectations("documents") if expectation.severity.value == "critical")
    assert contract.metadata["unexpected_counts"].value[BYTES_AT_LEAST_1] == 1
    assert BYTES_AT_LEAST_1 in contract.metadata["failing_expectations"].value
    assert evaluations["columns_match_contract"].passed and evaluations["columns_match_contract"].metadata["scope"].value == "whole table"
    assert not consistency.passed and consistency.severity == AssetCheckSeverity.WARN
    assert consistency.metadata["expectations_failed"].value == 1
    assert not result.success
    started = {event.step_key for event in result.all_events if event.is_step_start}
    assert "documents" in started and "downstream" not in started
    with connect(database, read_only=True) as conn:
        recorded = conn.execute("SELECT count(*), count(*) FILTER (NOT success) FROM quality_results WHERE run_id = ?", [result.run_id]).fetchall()[0]
    assert recorded == (len(expectations("documents")) + len(sql_checks("documents")), 2)


def test_a_runs_checks_take_the_rows_it_wrote_with_every_row_sharing_their_keys(good_database: Path):
    run_started = datetime(2030, 1, 1)
    with connect(good_database) as conn:
        for statement in [
            *without_constraints("documents"),
            # Bad, but written before the run: its own run's checks reported it.
            "INSERT INTO documents SELECT * REPLACE ('old-bad' AS doc_id, 0 AS bytes) FROM documents WHERE doc_id = 'd1'",
            # Written by the run: a bad row, and a second copy of the old row d1.
            "INSERT INTO documents SELECT * REPLACE ('new-bad' AS doc_id, 0 AS bytes, TIMESTAMP '2030-01-01 00:00:01' AS ingested_at) FROM documents WHERE doc_id = 'd1'",
            "INSERT INTO documents SELECT * REPLACE (TIMESTAMP '2030-01-01 00:00:01' AS ingested_at) FROM documents WHERE doc_id = 'd1'",
        ]:
            conn.execute(statement)
        this_run = run_suites(conn, ["documents"], "this-run", written_since={"documents": run_started})
        whole_table = run_suites(conn, ["documents"], "re-check")
    assert failures(this_run) == {DOC_ID_UNIQUE: 2, BYTES_AT_LEAST_1: 1}
    assert failures(whole_table) == {DOC_ID_UNIQUE: 2, BYTES_AT_LEAST_1: 2}
    checked = {outcome.expectation: outcome.element_count for outcome in this_run}
    assert checked[BYTES_AT_LEAST_1] == 3  # new-bad, and both rows of d1: not old-bad, not the other good rows


def test_each_validation_has_its_own_now(good_database: Path):
    with connect(good_database) as conn:
        conn.execute("UPDATE extracted_mentions SET claimant = NULL WHERE is_claim")
        conn.execute("UPDATE documents SET published_at = TIMESTAMP '2030-06-01 00:00:00'")
        frames = [(TABLES_BY_NAME[name], frame) for name in ("documents", "extracted_mentions") for frame in validation.frame_chunks(conn, TABLES_BY_NAME[name])]
    before, after = datetime(2030, 1, 1), datetime(2031, 1, 1)

    def outcomes(checked_at: datetime) -> list[ExpectationOutcome]:
        return [outcome for table, frame in frames for outcome in validation.validate_frame(table, frame, checked_at)]

    # Validated at `before`, then at `after`, then at `before` again: the last keeps its own now.
    by_time = {checked_at: outcomes(checked_at) for checked_at in (before, after, before)}
    future = "expect_column_values_to_be_between(column=published_at, max_value=now)"
    assert failures(by_time[before]) == {future: 1, "expect_column_values_to_not_be_null(column=claimant) where is_claim == True": 1}
    assert future not in failures(by_time[after])
