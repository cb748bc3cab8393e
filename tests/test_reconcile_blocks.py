"""Reconciliation block by block: the same events as reconciling every mention at once,
and only the blocks whose mentions or settings changed are redone."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from bench.scale_corpus import generate
from casualties import stages
from casualties.stages import reconciled
from casualties.db import connect, ensure_tables, insert_frame
from casualties.names import MAX_DAY_NAME_DOCUMENTS, MAX_NAME_DOCUMENTS
from casualties.reconcile import INPUT_COLUMNS, _prepare, reconcile
from casualties.stages import MENTION_BLOCKS_SQL, NAME_TIES_SQL, QUIET_PLACE_TIES_SQL, RECONCILED_TABLES, SHARED_SITES_BLOCK, reconcile_events
from casualties.tables import CASUALTY_MENTIONS, EXTRACTED_MENTIONS, STORIES, STORY_NAMES
from pipelines.cli import main
from test_reconcile import DNIPRO, DNIPROPETROVSK_REGION, KYIV, TOWN, frame, mention

SCALE_ARTICLES = 300


@pytest.fixture(scope="module", params=["seeds", "scale"])
def built_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built by `casualties run` on the seed articles or on a generated corpus."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "seeds":
        seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
        if not (seeds / "gold.json").exists():
            pytest.skip(f"seed articles not found at {seeds} (../shared is absent)")
        articles = folder / "input"
        articles.mkdir()
        for article in seeds.glob("*.txt"):
            shutil.copy(article, articles / article.name)
    else:
        articles = generate(SCALE_ARTICLES, folder)
    database = folder / "casualties.duckdb"
    assert main(["run", "--input", str(articles), "--db", str(database)]) == 0
    return database


@pytest.fixture
def conn(built_database: Path, tmp_path: Path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(built_database, copy)
    with connect(copy) as connection:
        yield connection


def reconciled_rows(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """The reconciled tables (events without grouping_block, which reconcile() leaves empty), mention_events among them."""
    return {
        name: conn.sql(f"SELECT * {'EXCLUDE (grouping_block)' if name == 'events' else ''} FROM {name} ORDER BY ALL").fetchall()
        for name in RECONCILED_TABLES
    }


def reconciled_at_once(conn: duckdb.DuckDBPyConnection, policy: str = "max_non_party") -> dict[str, list[tuple]]:
    """What reconcile() gives on every mention at once, as reconciled_rows reads it."""
    result = reconcile(
        conn.sql(f"SELECT {', '.join(INPUT_COLUMNS)} FROM extracted_mentions").pl(),
        policy=policy,
        name_ties=conn.sql(NAME_TIES_SQL).pl(),
        quiet_place_ties=conn.sql(QUIET_PLACE_TIES_SQL).pl(),
    )
    reference = duckdb.connect()
    frames = {**result.tables(), "events": result.events.drop("grouping_block")}
    for name, rows in frames.items():
        reference.register(name, rows.to_arrow())
    return {name: reference.sql(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in frames}


def mention_blocks(conn: duckdb.DuckDBPyConnection, where: str = "true") -> set[str]:
    return {block for (block,) in conn.sql(
        f"SELECT DISTINCT b.block FROM ({MENTION_BLOCKS_SQL}) AS b JOIN casualty_mentions USING (mention_id) WHERE {where}"
    ).fetchall()}


def orphans(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    found = {
        name: conn.sql(f"SELECT count(*) FROM {name} WHERE event_id NOT IN (SELECT event_id FROM events)").fetchall()[0][0]
        for name in RECONCILED_TABLES
        if name != "events"
    }
    found["events without mentions"] = conn.sql(
        "SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM casualty_mentions WHERE event_id IS NOT NULL)"
    ).fetchall()[0][0]
    found["mentions without events"] = conn.sql(
        "SELECT count(*) FROM casualty_mentions WHERE event_id IS NULL OR event_id NOT IN (SELECT event_id FROM events)"
    ).fetchall()[0][0]
    found["blocks without mentions"] = len(
        {block for (block,) in conn.sql("SELECT block FROM reconciled_blocks").fetchall()} - mention_blocks(conn)
    )
    return found


def test_block_by_block_equals_reconciling_every_mention_at_once(conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch):
    # Small reads, so that many groups of blocks are reconciled apart.
    monkeypatch.setattr(reconciled, "MENTIONS_PER_READ", 50)
    counts = reconcile_events(conn, full_refresh=True)
    assert counts["blocks_reconciled"] == len(mention_blocks(conn)) > 1
    assert counts["mentions_reconciled"] == conn.sql("SELECT count(*) FROM casualty_mentions").fetchall()[0][0]
    assert reconciled_rows(conn) == reconciled_at_once(conn)
    assert conn.sql("SELECT count(*) FROM events WHERE grouping_block IS NULL").fetchall() == [(0,)]


def test_nothing_changed_reconciles_nothing(conn: duckdb.DuckDBPyConnection):
    before = reconciled_rows(conn)
    counts = reconcile_events(conn)
    assert (counts["blocks_reconciled"], counts["mentions_reconciled"], counts["blocks_removed"]) == (0, 0, 0)
    assert counts["blocks_unchanged"] == len(mention_blocks(conn))
    assert reconciled_rows(conn) == before


def test_removing_and_adding_back_a_document_redoes_only_its_blocks(conn: duckdb.DuckDBPyConnection):
    # The document with the fewest blocks, so that others are left alone.
    doc_id = conn.sql(
        f"""SELECT m.doc_id FROM ({MENTION_BLOCKS_SQL}) AS b JOIN casualty_mentions AS m USING (mention_id)
            GROUP BY m.doc_id ORDER BY count(DISTINCT b.block), m.doc_id LIMIT 1"""
    ).fetchall()[0][0]
    built = reconciled_rows(conn)
    its_blocks = mention_blocks(conn, f"doc_id = '{doc_id}'")
    blocks_left = mention_blocks(conn, f"doc_id <> '{doc_id}'")
    # The document goes with its stories: an article left without figures would still be
    # a report of the event its headline places (QUIET_PLACE_TIES_SQL).
    conn.execute(f"CREATE TEMP TABLE removed AS SELECT * FROM extracted_mentions WHERE doc_id = '{doc_id}'")
    conn.execute(f"CREATE TEMP TABLE removed_stories AS SELECT * FROM stories WHERE doc_id = '{doc_id}'")
    conn.execute(f"DELETE FROM extracted_mentions WHERE doc_id = '{doc_id}'")
    conn.execute(f"DELETE FROM stories WHERE doc_id = '{doc_id}'")

    removed = reconcile_events(conn)
    assert removed["blocks_reconciled"] == len(its_blocks & blocks_left)
    assert removed["blocks_removed"] == len(its_blocks - blocks_left)
    assert removed["blocks_unchanged"] == len(blocks_left - its_blocks) > 0
    assert reconciled_rows(conn) == reconciled_at_once(conn)
    assert conn.sql(f"SELECT count(*) FROM event_documents WHERE doc_id = '{doc_id}'").fetchall() == [(0,)]
    assert set(orphans(conn).values()) == {0}

    conn.execute("INSERT INTO stories SELECT * FROM removed_stories")
    conn.execute("INSERT INTO extracted_mentions SELECT * FROM removed")
    added = reconcile_events(conn)
    assert added["blocks_reconciled"] == len(its_blocks)
    assert added["blocks_unchanged"] == len(blocks_left - its_blocks) > 0
    assert reconciled_rows(conn) == built


def test_changing_a_mention_updates_its_event(conn: duckdb.DuckDBPyConnection):
    mention_id, block = conn.sql(
        f"SELECT mention_id, block FROM ({MENTION_BLOCKS_SQL}) WHERE mention_id IN (SELECT mention_id FROM casualty_mentions WHERE value IS NOT NULL AND NOT is_claim) ORDER BY ALL LIMIT 1"
    ).fetchall()[0]
    conn.execute("UPDATE extracted_mentions SET value = value + 1000, value_low = NULL, value_high = NULL WHERE mention_id = ?", [mention_id])
    counts = reconcile_events(conn)
    assert counts["blocks_reconciled"] == 1
    assert conn.sql("SELECT count(*) FROM figure_history WHERE mention_id = ? AND value >= 1000", params=[mention_id]).fetchall() == [(1,)]
    assert reconciled_rows(conn) == reconciled_at_once(conn)
    assert conn.sql("SELECT block FROM reconciled_blocks WHERE reconciled_at = (SELECT max(reconciled_at) FROM reconciled_blocks)").fetchall() == [(block,)]


def test_another_policy_redoes_every_block(conn: duckdb.DuckDBPyConnection):
    counts = reconcile_events(conn, policy="conservative")
    assert counts["blocks_unchanged"] == 0
    assert counts["blocks_reconciled"] == len(mention_blocks(conn))
    assert conn.sql("SELECT DISTINCT policy FROM event_figures").fetchall() == [("conservative",)]
    assert conn.sql("SELECT DISTINCT policy FROM reconciled_blocks").fetchall() == [("conservative",)]
    assert reconciled_rows(conn) == reconciled_at_once(conn, policy="conservative")


def test_a_failure_midway_leaves_every_table_as_it_was(conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch):
    def snapshot() -> dict[str, list[tuple]]:
        return {**reconciled_rows(conn), "reconciled_blocks": conn.sql("SELECT * FROM reconciled_blocks ORDER BY ALL").fetchall()}

    before = snapshot()
    written = []
    real_insert = reconciled.insert_frame

    def insert_then_fail(connection, table, rows, into=None):
        # Fail on the second group of blocks, after the first one's rows are written.
        if table.name == "events" and written:
            raise RuntimeError("disk full")
        written.append(table.name)
        return real_insert(connection, table, rows, into)

    monkeypatch.setattr(reconciled, "MENTIONS_PER_READ", 1)
    monkeypatch.setattr(reconciled, "insert_frame", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        reconcile_events(conn, full_refresh=True)
    assert written
    assert snapshot() == before


EDGE_PLACES = [
    {"location": "Kyiv", "geonameid": 703448, "country_code": "UA", "admin1": "12", "location_precision": "city"},
    {"location": "Kyiv", "geonameid": 703448, "country_code": "UA", "admin1": None, "location_precision": "city"},
    {"location": "Oblast", "geonameid": None, "country_code": "UA", "admin1": None, "location_precision": "region"},
    {"location": "Oblast", "geonameid": None, "country_code": "UA", "admin1": "04", "location_precision": "region"},
    {"location": "İSTANBUL Çarşı", "geonameid": None, "country_code": "TR", "admin1": "34", "location_precision": "city"},
    {"location": "Évry", "geonameid": None, "country_code": None, "admin1": None, "location_precision": "city"},
    {"location": "Somewhere", "geonameid": None, "country_code": None, "admin1": None, "location_precision": "country"},
    {"location": None, "geonameid": None, "country_code": "IR", "admin1": None, "location_precision": "country"},
    {"location": None, "geonameid": None, "country_code": None, "admin1": None, "location_precision": None},
    {"location": None, "geonameid": 5, "country_code": "UA", "admin1": "07", "location_precision": None},
]


def mentions_database(tmp_path: Path, rows: list[dict]) -> duckdb.DuckDBPyConnection:
    conn = connect(tmp_path / "mentions.duckdb")
    ensure_tables(conn)
    insert_frame(conn, EXTRACTED_MENTIONS, frame(rows))
    return conn


def test_sql_sites_and_regions_are_reconciles_own(tmp_path: Path):
    rows = [mention(f"doc{number}", "killed", number, place=place, on=date(2025, 4, 4), kind="drone attack")
            for number, place in enumerate(EDGE_PLACES)]
    with mentions_database(tmp_path, rows) as conn:
        in_sql = conn.sql(f"SELECT mention_id, site AS sql_site, region_key FROM ({MENTION_BLOCKS_SQL})").pl()
        in_polars = _prepare(conn.sql("SELECT * FROM casualty_mentions").pl()).select("mention_id", "site", "region_key")
    both = in_polars.join(in_sql, on="mention_id", validate="1:1")
    assert both.height == len(EDGE_PLACES)
    assert both.filter(pl.col("region_key").ne_missing(pl.col("region_key_right"))).is_empty()
    named_cities = pl.col("site").str.starts_with("l:")
    # A country-level day mention: reconcile's site is the country within its story, SQL's the country.
    country_days = pl.col("site").str.starts_with("c:")
    assert both.filter(country_days).select("site", "sql_site").rows() == [("c:IR:doc7-0", "c:IR")]
    # An area of no one division on a day: reconcile's site is the area within its story, SQL's
    # that of every unlisted place of the country.
    area_days = pl.col("site").str.starts_with("a:")
    assert both.filter(area_days).select("site", "sql_site").rows() == [("a:UA:oblast:doc2-0", "l:UA")]
    assert both.filter(~named_cities & ~country_days & ~area_days & (pl.col("site") != pl.col("sql_site"))).is_empty()
    # A city without a GeoNames id: SQL's site holds every such city of the country.
    assert sorted(both.filter(named_cities).select("site", "sql_site").rows()) == [
        ("l::somewhere", "l:"), ("l::évry", "l:"), ("l:TR:i̇stanbul çarşı", "l:TR")
    ]


def test_a_city_named_with_and_without_its_region_merges_their_blocks(tmp_path: Path):
    on = {"on": date(2025, 4, 24), "kind": "missile strike"}
    rows = [
        mention("doc-a", "killed", 12, place=KYIV, **on),
        mention("doc-b", "killed", 12, place={**KYIV, "admin1": None}, **on),  # the same toll ties the two reports
        mention("doc-c", "killed", 2, place={**DNIPRO, "admin1": "12"}, **on),
        mention("doc-d", "killed", 4, place=DNIPROPETROVSK_REGION, **on),
    ]
    with mentions_database(tmp_path, rows) as conn:
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        blocks = conn.sql("SELECT block FROM reconciled_blocks ORDER BY block").fetchall()
        kyiv_events = conn.sql("SELECT count(*) FROM events WHERE geonameid = 703448").fetchall()
    assert blocks == [("r:UA:04",), (SHARED_SITES_BLOCK,)]
    assert kyiv_events == [(1,)]


def insert_named_stories(conn: duckdb.DuckDBPyConnection, names: dict[str, list[str]]) -> None:
    """One story per document, published on one day, with the names given."""
    stories = pl.DataFrame(
        [{"story_id": f"{doc}-0", "doc_id": doc, "seq": 0, "text": "", "raw_start": 0, "raw_end": 0, "offset_map": [],
          "removed_lines": [], "n_captions": 0, "n_duplicate_captions": 0, "n_embedded_posts": 0, "n_words": 0,
          "published_at": datetime(2025, 4, 26), "date_source": "metadata"} for doc in names]
    )
    insert_frame(conn, STORIES, stories)
    insert_frame(conn, STORY_NAMES, pl.DataFrame(
        [{"story_id": f"{doc}-0", "name": name} for doc, doc_names in names.items() for name in doc_names]
    ))


def test_stories_sharing_rare_names_join_their_blocks_and_events(tmp_path: Path):
    # A first report in Kyiv and a follow-up placed in the Dnipropetrovsk region, a day later
    # and with another toll, that names the same victim; a third story in Dnipro shares only
    # one of those names.
    rows = [
        mention("doc-a", "killed", 3, place=KYIV, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-b", "killed", 4, place=DNIPROPETROVSK_REGION, on=date(2025, 4, 25), kind="shooting"),
        mention("doc-c", "killed", 1, place=DNIPRO, on=date(2025, 4, 20), kind="shooting"),
    ]
    # 'zarichna' and 'kalyna' alone, two rare words but no person-like pair, reported four
    # days apart, tie nothing.
    names = {"doc-a": ["halyna", "halyna ostapchuk", "kalyna", "ostapchuk", "zarichna"], "doc-b": ["halyna", "halyna ostapchuk", "ostapchuk"],
             "doc-c": ["kalyna", "zarichna"]}
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        assert conn.sql(NAME_TIES_SQL).fetchall() == [("doc-a-0", "doc-b-0", "halyna, halyna ostapchuk, ostapchuk", None, "doc-a", "doc-b", 1)]
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        assert conn.sql("SELECT block FROM reconciled_blocks").fetchall() == [("r:UA:04",)]
        merged = conn.sql("SELECT n_documents, merged_on FROM events WHERE n_documents > 1").fetchall()
        assert merged == [(2, "same place (g:703448), shooting, day 2025-04-24; stories doc-a-0 and doc-b-0 share names: halyna, halyna ostapchuk, ostapchuk; "
                              "same place (r:UA:04), shooting, day 2025-04-25; stories doc-a-0 and doc-b-0 share names: halyna, halyna ostapchuk, "
                              "ostapchuk")]
        # Once the names are in many documents they tie nothing, and the blocks come apart.
        insert_frame(conn, STORY_NAMES, pl.DataFrame({"story_id": ["doc-c-0"] * 3, "name": ["halyna", "halyna ostapchuk", "ostapchuk"]}))
        for copy in range(MAX_DAY_NAME_DOCUMENTS):
            conn.execute(f"INSERT INTO stories SELECT * REPLACE ('doc-copy{copy}-0' AS story_id, 'doc-copy{copy}' AS doc_id) FROM stories WHERE story_id = 'doc-c-0'")
            insert_frame(conn, STORY_NAMES, pl.DataFrame({"story_id": [f"doc-copy{copy}-0"] * 3, "name": ["halyna", "halyna ostapchuk", "ostapchuk"]}))
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        assert conn.sql("SELECT count(*) FROM events WHERE n_documents > 1").fetchall() == [(0,)]


def test_a_name_two_stories_share_ties_them_when_both_report_the_day(tmp_path: Path):
    # A first report placed in Kyiv and another placed in Dnipro (a misread place) of the
    # same day share one rare name, the street of the shooting; a third story in Dnipro
    # names the street too, of a shooting four days earlier.
    rows = [
        mention("doc-a", "killed", 3, place=KYIV, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-b", "killed", 2, place=DNIPRO, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-c", "killed", 1, place=DNIPRO, on=date(2025, 4, 20), kind="shooting"),
    ]
    names = {"doc-a": ["zarichna"], "doc-b": ["zarichna"], "doc-c": ["zarichna"]}
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        assert conn.sql(NAME_TIES_SQL).fetchall() == [("doc-a-0", "doc-b-0", "zarichna", date(2025, 4, 24), "doc-a", "doc-b", 1)]
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        merged = conn.sql("SELECT n_documents, merged_on FROM events WHERE n_documents > 1").fetchall()
        assert merged == [(2, "same place (g:703448), shooting, day 2025-04-24; stories doc-a-0 and doc-b-0 report day 2025-04-24 "
                              "and share names: zarichna; same place (g:709930), shooting, day 2025-04-24; stories doc-a-0 and doc-b-0 "
                              "report day 2025-04-24 and share names: zarichna")]


def test_a_street_both_stories_name_ties_them_on_their_day_and_counts_once(tmp_path: Path):
    # Two reports of one day name the shooting's street, whose name alone is a surname and a
    # street of many cities in many other articles: the street ties them, though the city's
    # reports of other months name it too. Two reports of two
    # days a week apart share a street, written as a street and as a bare word, and a surname:
    # the street counts once, and two words with no person tie no stories of two days.
    rows = [
        mention("doc-a", "killed", 1, place=KYIV, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-b", "killed", 1, place=DNIPRO, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-c", "killed", 1, place=DNIPRO, on=date(2025, 4, 10), kind="shooting"),
        mention("doc-d", "killed", 1, place=DNIPRO, on=date(2025, 4, 17), kind="shooting"),
    ]
    names = {
        "doc-a": ["harmon", "harmon-street"],
        "doc-b": ["harmon", "harmon-street"],
        "doc-c": ["belcourt", "belcourt-avenue", "lindqvist"],
        "doc-d": ["belcourt", "belcourt-avenue", "lindqvist"],
    }
    names |= {f"doc-city-{number}": ["harmon"] for number in range(MAX_DAY_NAME_DOCUMENTS)}
    names |= {f"doc-winter-{number}": ["harmon-street"] for number in range(3)}
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2025-01-10' WHERE doc_id LIKE 'doc-winter-%'")
        assert conn.sql(NAME_TIES_SQL).fetchall() == [
            ("doc-a-0", "doc-b-0", "harmon-street", date(2025, 4, 24), "doc-a", "doc-b", 1)
        ]


def test_a_county_both_stories_name_ties_them_only_on_their_day(tmp_path: Path):
    # Two reports of one day out of town, placed only in the region and counting the wounded
    # differently, name its county: one incident. Two reports of days a week apart name another county and its one town: a
    # county and a town are places of many incidents, no names of one.
    rows = [
        mention("doc-a", "injured", 1, place=DNIPROPETROVSK_REGION, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-b", "injured", 2, place=DNIPROPETROVSK_REGION, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-c", "killed", 1, place=DNIPRO, on=date(2025, 4, 10), kind="shooting"),
        mention("doc-d", "killed", 1, place=DNIPRO, on=date(2025, 4, 17), kind="shooting"),
    ]
    names = {
        "doc-a": ["tolliver", "tolliver-county"],
        "doc-b": ["tolliver", "tolliver-county"],
        "doc-c": ["brannock", "brannock-county", "ferrisburg", "wexley"],
        "doc-d": ["brannock", "brannock-county", "ferrisburg", "wexley"],
    }
    # The county's reports of other months name it too.
    names |= {f"doc-winter-{number}": ["tolliver-county"] for number in range(MAX_DAY_NAME_DOCUMENTS - 2)}
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2025-01-10' WHERE doc_id LIKE 'doc-winter-%'")
        assert conn.sql(NAME_TIES_SQL).fetchall() == [
            ("doc-a-0", "doc-b-0", "tolliver-county", date(2025, 4, 24), "doc-a", "doc-b", 1)
        ]
        reconcile_events(conn)
        merged = conn.sql("SELECT n_documents, merged_on FROM events WHERE n_documents > 1").fetchall()
        assert [n_documents for n_documents, _ in merged] == [2]
        assert "report day 2025-04-24 and share names: tolliver-county" in merged[0][1]


@pytest.mark.parametrize(
    ("names_b", "ties"),
    [
        # Another Oksana, of another family: two people, nothing shared.
        (["oksana", "oksana bondar", "bondar"], []),
        # Another Melnyk: likewise.
        (["melnyk", "ivan melnyk", "ivan"], []),
        # The same name written surname first may be the same person.
        (["oksana", "melnyk oksana", "melnyk"], [("doc-a-0", "doc-b-0", "melnyk, oksana", date(2025, 4, 24), "doc-a", "doc-b", 2)]),
    ],
)
def test_a_first_or_last_name_of_two_full_names_ties_no_stories(tmp_path: Path, names_b: list[str], ties: list[tuple]):
    # Two shootings of one day in two cities, each story naming its victim.
    rows = [
        mention("doc-a", "killed", 1, place=KYIV, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-b", "killed", 2, place=DNIPRO, on=date(2025, 4, 24), kind="shooting"),
    ]
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, {"doc-a": ["oksana", "oksana melnyk", "melnyk"], "doc-b": names_b})
        assert conn.sql(NAME_TIES_SQL).fetchall() == ties


@pytest.mark.parametrize(
    ("names_b", "ties"),
    [
        # The suspect's given name written short: one man.
        (["dan", "dan kowalik", "kowalik"], [("doc-a-0", "doc-b-0", "kowalik", date(2025, 4, 24), "doc-a", "doc-b", 1)]),
        # Another given name of two letters, or one that only begins alike: another man.
        (["da", "da kowalik", "kowalik"], []),
        (["danny", "danny kowalik", "kowalik"], []),
    ],
)
def test_a_given_name_written_short_names_the_same_person(tmp_path: Path, names_b: list[str], ties: list[tuple]):
    rows = [
        mention("doc-a", "killed", 1, place=KYIV, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-b", "killed", 1, place=DNIPRO, on=date(2025, 4, 24), kind="shooting"),
    ]
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, {"doc-a": ["daniel", "daniel kowalik", "kowalik"], "doc-b": names_b})
        assert conn.sql(NAME_TIES_SQL).fetchall() == ties


def test_two_names_of_a_city_tie_a_story_naming_no_day_to_the_days_report(tmp_path: Path):
    # A neighbourhood and a venue, each named in five stories of the city, tie the two stories
    # of one incident: one names the day, the other only falls in the week up to its
    # publication. The city's other stories name both on other days.
    rows = [
        mention("doc-a", "killed", 1, place=KYIV, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-b", "killed", 1, place=DNIPRO, on=date(2025, 4, 20), until=date(2025, 4, 26), precision="week",
                basis="publication", kind="shooting"),
        *(mention(doc, "killed", 1, place=KYIV, on=day, kind="shooting")
          for doc, day in (("doc-c", date(2025, 3, 1)), ("doc-d", date(2025, 3, 10)))),
        # Another story naming no day, published six days after doc-b: the two weeks overlap,
        # and say nothing of one day.
        mention("doc-e", "killed", 1, place=DNIPRO, on=date(2025, 4, 26), until=date(2025, 5, 2), precision="week",
                basis="publication", kind="shooting"),
    ]
    names = {doc: ["lavra", "podil"] for doc in ("doc-a", "doc-b", "doc-c", "doc-d", "doc-e")}
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        assert conn.sql(NAME_TIES_SQL).fetchall() == [("doc-a-0", "doc-b-0", "lavra, podil", date(2025, 4, 24), "doc-a", "doc-b", 2)]
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        merged = conn.sql("SELECT list(doc_id ORDER BY doc_id) FROM event_documents GROUP BY event_id HAVING count(*) > 1").fetchall()
        assert merged == [(["doc-a", "doc-b"],)]


def test_a_report_months_later_ties_to_the_first_by_two_independent_names(tmp_path: Path):
    # A trial report three months after the shooting names the victim and the street; another
    # names only the victim's pair and surname, one person; a third only the police
    # spokesman's pair and the street, as he speaks for every shooting of the city.
    rows = [
        mention("doc-a", "killed", 1, place=KYIV, on=date(2025, 4, 24), kind="shooting"),
        mention("doc-b", "killed", 1, place=KYIV, on=date(2025, 7, 20), kind="shooting"),
        mention("doc-c", "killed", 1, place=KYIV, on=date(2025, 7, 28), kind="shooting"),
        mention("doc-d", "killed", 1, place=KYIV, on=date(2025, 7, 24), kind="shooting"),
    ]
    names = {
        "doc-a": ["delmont", "tyrell", "tyrell quarles", "quarles"],
        "doc-b": ["delmont", "tyrell quarles"],
        "doc-c": ["tyrell quarles", "quarles"],
        "doc-d": ["delmont", "stepan horbach"],
    }
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2025-07-29' WHERE doc_id <> 'doc-a'")
        assert conn.sql(NAME_TIES_SQL).fetchall() == [("doc-a-0", "doc-b-0", "delmont, tyrell quarles", None, "doc-a", "doc-b", 2)]


def test_a_story_stating_no_figure_ties_by_two_names_to_a_report_of_the_weeks_before_it(tmp_path: Path):
    # Three weeks after the shooting doc-b reports, doc-a (a suspect sought) names the victim's
    # first name and the street, doc-c only the street.
    rows = [mention("doc-b", "killed", 1, place=KYIV, on=date(2025, 4, 24), kind="shooting")]
    names = {"doc-a": ["kalyna", "zarichna"], "doc-b": ["kalyna", "zarichna"], "doc-c": ["zarichna"]}
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2025-05-15' WHERE doc_id IN ('doc-a', 'doc-c')")
        assert conn.sql(NAME_TIES_SQL).fetchall() == [("doc-a-0", "doc-b-0", "kalyna, zarichna", date(2025, 4, 24), "doc-a", "doc-b", 2)]
        reconcile_events(conn)
        assert conn.sql("SELECT doc_id FROM event_documents ORDER BY doc_id").fetchall() == [("doc-a",), ("doc-b",)]


def test_three_rare_words_tie_two_stories_of_two_weeks_and_four_tie_them_at_any_distance(tmp_path: Path):
    # No person-like pair: the victim's first name, the street and the hospital, in a report
    # and its follow-up ten days later; a trial report five months on names the same three,
    # and another names the ward too.
    rows = [mention(doc, "killed", 1, place=KYIV, on=day, kind="shooting")
            for doc, day in (("doc-a", date(2025, 4, 24)), ("doc-b", date(2025, 5, 4)), ("doc-c", date(2025, 9, 20)))]
    three = ["mykola", "zarichna", "okhmatdyt"]
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, {"doc-a": three, "doc-b": three, "doc-c": three})
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2025-05-06' WHERE doc_id = 'doc-b'")
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2025-09-22' WHERE doc_id = 'doc-c'")
        assert conn.sql(f"SELECT story_id, story_id_other, shared_names FROM ({NAME_TIES_SQL})").fetchall() == [
            ("doc-a-0", "doc-b-0", "mykola, okhmatdyt, zarichna")]
        insert_frame(conn, STORY_NAMES, pl.DataFrame({"story_id": ["doc-a-0", "doc-c-0"], "name": ["kalynivka", "kalynivka"]}))
        assert conn.sql(f"SELECT story_id, story_id_other, shared_names FROM ({NAME_TIES_SQL}) ORDER BY ALL").fetchall() == [
            ("doc-a-0", "doc-b-0", "mykola, okhmatdyt, zarichna"), ("doc-a-0", "doc-c-0", "kalynivka, mykola, okhmatdyt, zarichna")]


def test_one_person_or_two_rare_words_tie_two_stories_at_any_distance_when_both_state_one_toll(tmp_path: Path):
    # The first report and the sentencing report two years later name the shooter and both
    # count one killed and nine wounded; a third names him too, with another toll.
    def toll(doc: str, on: date, killed: int, injured: int) -> list[dict]:
        return [mention(doc, "killed", killed, place=KYIV, on=on, kind="shooting"),
                mention(doc, "injured", injured, place=KYIV, on=on, kind="shooting")]

    rows = [*toll("doc-a", date(2025, 4, 24), 1, 9), *toll("doc-b", date(2027, 3, 20), 1, 9), *toll("doc-c", date(2027, 5, 2), 1, 2)]
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, {doc: ["trung vo"] for doc in ("doc-a", "doc-b", "doc-c")})
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2027-03-24' WHERE doc_id = 'doc-b'")
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2027-05-02' WHERE doc_id = 'doc-c'")
        assert conn.sql(f"SELECT story_id, story_id_other, shared_names FROM ({NAME_TIES_SQL})").fetchall() == [
            ("doc-a-0", "doc-b-0", "trung vo and the toll, killed 1 and injured 9")]
        # Two rare words (the suspect's surname, the street) with the same toll tie them too; one does not.
        conn.execute("DELETE FROM story_names")
        insert_frame(conn, STORY_NAMES, pl.DataFrame({"story_id": ["doc-a-0", "doc-a-0", "doc-b-0", "doc-b-0", "doc-c-0"],
                                                      "name": ["vo", "zarichna", "vo", "zarichna", "vo"]}))
        assert conn.sql(f"SELECT story_id, story_id_other, shared_names FROM ({NAME_TIES_SQL})").fetchall() == [
            ("doc-a-0", "doc-b-0", "vo, zarichna and the toll, killed 1 and injured 9")]
        conn.execute("DELETE FROM story_names WHERE story_id = 'doc-b-0' AND name = 'zarichna'")
        assert conn.sql(f"SELECT story_id, story_id_other FROM ({NAME_TIES_SQL})").fetchall() == []


def test_a_story_stating_no_figure_joins_by_names_the_block_and_event_of_its_tied_story(tmp_path: Path):
    rows = [mention("doc-b", "killed", 3, place=KYIV, on=date(2025, 4, 24), kind="shooting")]
    # doc-a's story states no figure (no mention); it names the victim as the first report does.
    names = {"doc-a": ["halyna", "halyna ostapchuk", "ostapchuk"], "doc-b": ["halyna", "halyna ostapchuk", "ostapchuk"]}
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        assert conn.sql("SELECT n_documents FROM events").fetchall() == [(2,)]
        assert conn.sql("SELECT doc_id FROM event_documents ORDER BY doc_id").fetchall() == [("doc-a",), ("doc-b",)]


def test_a_story_stating_no_figure_ties_by_one_rare_name_to_a_report_of_the_days_before_it(tmp_path: Path):
    # doc-a, published on the 26th, states no figure and names the street of the shooting
    # doc-b reports on the 24th; doc-c, published two weeks later, names the street too.
    rows = [mention("doc-b", "killed", 3, place=KYIV, on=date(2025, 4, 24), kind="shooting")]
    names = {"doc-a": ["zarichna"], "doc-b": ["zarichna"], "doc-c": ["zarichna"]}
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2025-05-10' WHERE doc_id = 'doc-c'")
        assert conn.sql(NAME_TIES_SQL).fetchall() == [("doc-a-0", "doc-b-0", "zarichna", date(2025, 4, 24), "doc-a", "doc-b", 1)]
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        assert conn.sql("SELECT doc_id FROM event_documents ORDER BY doc_id").fetchall() == [("doc-a",), ("doc-b",)]


def test_a_story_stating_no_figure_ties_by_one_rare_name_to_a_report_naming_no_day_published_a_day_apart(tmp_path: Path):
    # doc-b's figures name no day (the week up to its publication on the 26th); doc-a, published
    # the next day, states no figure: both name the street. doc-c, stating none either, names
    # the street four days after doc-b: their weeks overlap, but say nothing of one day.
    rows = [mention("doc-b", "injured", 1, place=KYIV, on=date(2025, 4, 20), until=date(2025, 4, 26), precision="week",
                    basis="publication", kind="shooting")]
    names = {"doc-a": ["zarichna"], "doc-b": ["zarichna"], "doc-c": ["zarichna"]}
    with mentions_database(tmp_path, rows) as conn:
        insert_named_stories(conn, names)
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2025-04-27' WHERE doc_id = 'doc-a'")
        conn.execute("UPDATE stories SET published_at = TIMESTAMP '2025-04-30' WHERE doc_id = 'doc-c'")
        assert conn.sql(NAME_TIES_SQL).fetchall() == [("doc-a-0", "doc-b-0", "zarichna", date(2025, 4, 24), "doc-a", "doc-b", 1)]
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        assert conn.sql("SELECT doc_id FROM event_documents ORDER BY doc_id").fetchall() == [("doc-a",), ("doc-b",)]


def test_the_nightly_rebuild_reconciles_every_block():
    from pipelines.schedules import rebuild_everything

    assert rebuild_everything.config["ops"]["reconciled"]["config"]["full_refresh"] is True


# When each stage wrote its rows: the only columns in which two builds of the same files may differ.
WRITE_TIMES = {
    "documents": "ingested_at",
    "rejected_documents": "detected_at",
    "input_files": "read_at",
    "stories": "cleaned_at",
    "extraction_log": "extracted_at",
    "reconciled_blocks": "reconciled_at",
}


def build_with_rules(articles: Path, database: Path, rules_version: str) -> None:
    """Every stage, in order, with extraction under the given rules version."""
    from assets.resources import loaded_extractor

    with connect(database) as conn:
        stages.load_raw(conn, articles)
        stages.build_stories(conn)
        stages.extract_mentions(conn, loaded_extractor(), rules_version)
        stages.reconcile_events(conn)


def every_table(database: Path) -> dict[str, list[tuple]]:
    from casualties.tables import ALL_TABLES, QUALITY_RESULTS

    with connect(database, read_only=True) as conn:
        return {
            table.name: conn.sql(
                f"SELECT * {f'EXCLUDE ({WRITE_TIMES[table.name]})' if table.name in WRITE_TIMES else ''} FROM {table.name} ORDER BY ALL"
            ).fetchall()
            for table in ALL_TABLES
            if table is not QUALITY_RESULTS
        }


def test_a_rebuild_after_a_rules_change_equals_a_clean_build(tmp_path: Path):
    articles = generate(30, tmp_path / "corpus")
    rebuilt, clean = tmp_path / "rebuilt.duckdb", tmp_path / "clean.duckdb"
    build_with_rules(articles, rebuilt, "oldrules")
    # The new rules re-extract every story; its mentions come back unlinked from their events.
    build_with_rules(articles, rebuilt, "newrules")
    build_with_rules(articles, clean, "newrules")
    rebuilt_tables = every_table(rebuilt)
    assert rebuilt_tables["casualty_mentions"] and rebuilt_tables["events"]
    with connect(rebuilt, read_only=True) as conn:
        assert conn.sql("SELECT count(*) FROM casualty_mentions WHERE event_id IS NULL").fetchall() == [(0,)]
    assert rebuilt_tables == every_table(clean)


def test_a_database_of_an_earlier_version_gains_new_columns_and_takes_rows_by_name(tmp_path: Path):
    """A column added to the contract mid-table comes last in a table an earlier version made."""
    import dataclasses

    older = dataclasses.replace(
        EXTRACTED_MENTIONS, columns=tuple(column for column in EXTRACTED_MENTIONS.columns if column.name != "counts_named_victims")
    )
    conn = connect(tmp_path / "older.duckdb")
    conn.execute(older.create_sql())
    ensure_tables(conn)
    columns = [name for (name,) in conn.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'extracted_mentions' ORDER BY ordinal_position").fetchall()]
    assert columns[-1] == "counts_named_victims"
    row = {**mention("doc1", "killed", 1, place=KYIV, on=date(2025, 4, 4), kind="shooting"), "counts_named_victims": True}
    insert_frame(conn, EXTRACTED_MENTIONS, frame([row]))
    # The view lists the contract's columns in the contract's order.
    assert conn.execute("SELECT value, counts_named_victims, casualty_type, event_id FROM casualty_mentions").fetchall() == [(1, True, "killed", None)]
    assert [name for (name,) in conn.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'casualty_mentions' ORDER BY ordinal_position").fetchall()] == CASUALTY_MENTIONS.column_names


def test_a_database_that_kept_events_in_its_mentions_table_moves_them_to_mention_events(tmp_path: Path):
    """Earlier versions wrote casualty_mentions as a table whose event_id reconciliation updated."""
    import dataclasses

    conn = connect(tmp_path / "older.duckdb")
    conn.execute(dataclasses.replace(CASUALTY_MENTIONS, view_sql=None).create_sql())
    rows = [mention(f"doc{number}", "killed", number, place=KYIV, on=date(2025, 4, 4), kind="shooting") for number in (1, 2)]
    insert_frame(conn, dataclasses.replace(CASUALTY_MENTIONS, view_sql=None), frame(rows).with_columns(event_id=pl.Series([None, "event-2"])))
    ensure_tables(conn)
    assert conn.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'casualty_mentions'").fetchall() == [("VIEW",)]
    assert conn.execute("SELECT value, event_id FROM casualty_mentions ORDER BY value").fetchall() == [(1, None), (2, "event-2")]
    assert conn.execute("SELECT count(*) FROM extracted_mentions").fetchall() == [(2,)]
    assert conn.execute("SELECT event_id FROM mention_events").fetchall() == [("event-2",)]


def test_a_database_extracted_before_story_names_names_every_story(tmp_path: Path):
    from casualties.stages import extract_mentions
    from casualties.tables import STORY_NAMES as NAMES

    class NoMentions:
        def extract(self, segments, batch_size, n_process, failed):
            for _ in segments:
                pass
            return iter(())

    with mentions_database(tmp_path, [mention("doc-z", "killed", 1, place=KYIV, on=date(2025, 4, 24), kind="shooting")]) as conn:
        stories = pl.DataFrame(
            [{"story_id": "doc-a-0", "doc_id": "doc-a", "seq": 0, "text": "The victim, Tyrell Quarles, died at the scene of the shooting.", "raw_start": 0, "raw_end": 0,
              "offset_map": [], "removed_lines": [], "n_captions": 0, "n_duplicate_captions": 0, "n_embedded_posts": 0, "n_words": 5,
              "published_at": datetime(2025, 4, 26), "date_source": "metadata"}]
        )
        insert_frame(conn, STORIES, stories)
        conn.execute("INSERT INTO extraction_log SELECT 'doc-a-0', md5('The victim, Tyrell Quarles, died at the scene of the shooting.'), 'v1', 0, now(), NULL")
        extract_mentions(conn, NoMentions(), "v1")
        assert conn.sql(f"SELECT name FROM {NAMES.name} ORDER BY name").fetchall() == [("quarles",), ("tyrell",), ("tyrell quarles",)]


def test_an_article_stating_no_figure_reports_the_event_of_the_town_its_own_headline_names(tmp_path: Path):
    rows = [mention("doc-first", "injured", 2, place=TOWN, on=date(2016, 3, 5), kind="shooting")]
    body = "\n\nOfficers asked anyone who saw the car to call them."
    articles = {
        # The headline names the town: the follow-up reports Saturday's shooting.
        "doc-seek": "Police seek driver after Millbrook shooting",
        # The town only in the station's name after the dash: no place of the article's own.
        "doc-footer": "Driver sought after crash on the interstate - Channel 9 Millbrook",
    }
    stories = [
        {"story_id": f"{doc}-0", "doc_id": doc, "seq": 0, "title": title, "text": title + body}
        for doc, title in articles.items()
    ] + [
        # A text that is only a headline says too little to be tied by place and days alone.
        {"story_id": "doc-line-0", "doc_id": "doc-line", "seq": 0, "title": "Millbrook shooting", "text": "Millbrook shooting"},
    ]
    with mentions_database(tmp_path, rows) as conn:
        insert_frame(conn, STORIES, pl.DataFrame([
            {**story, "raw_start": 0, "raw_end": 0, "offset_map": [], "removed_lines": [], "n_captions": 0,
             "n_duplicate_captions": 0, "n_embedded_posts": 0, "n_words": 0, "published_at": datetime(2016, 3, 6),
             "date_source": "metadata"} for story in stories
        ]))
        assert conn.sql("SELECT quiet_doc_id, named_place FROM (" + QUIET_PLACE_TIES_SQL + ")").fetchall() == [("doc-seek", "Millbrook")]
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        assert conn.sql("SELECT doc_id FROM event_documents ORDER BY doc_id").fetchall() == [("doc-first",), ("doc-seek",)]
        assert conn.sql("SELECT n_documents FROM events").fetchall() == [(2,)]


def test_an_article_stating_no_figure_weeks_later_reports_the_one_event_of_a_small_town_its_headline_names(tmp_path: Path):
    # 'Teen charged in Millbrook shooting', two weeks after Saturday's: a town whose name few
    # articles write has few incidents, and the one reported there in the weeks before is the
    # one the charge is of. A city's name is in many articles: weeks later its headline ties nothing.
    rows = [mention("doc-first", "injured", 2, place=TOWN, on=date(2016, 3, 5), kind="shooting")]
    title = "Teen charged in Millbrook shooting"
    story = {"story_id": "doc-charged-0", "doc_id": "doc-charged", "seq": 0, "title": title,
             "text": title + "\n\nA teen was charged on Friday.", "raw_start": 0, "raw_end": 0, "offset_map": [],
             "removed_lines": [], "n_captions": 0, "n_duplicate_captions": 0, "n_embedded_posts": 0, "n_words": 0,
             "published_at": datetime(2016, 3, 19), "date_source": "metadata"}

    def documents_of_the_event(town_documents: int) -> list[tuple[str]]:
        with mentions_database(tmp_path / str(town_documents), rows) as conn:
            insert_frame(conn, STORIES, pl.DataFrame([story]))
            insert_named_stories(conn, {f"doc-{number}": ["millbrook"] for number in range(town_documents)})
            reconcile_events(conn)
            assert reconciled_rows(conn) == reconciled_at_once(conn)
            return conn.sql("SELECT doc_id FROM event_documents ORDER BY doc_id").fetchall()

    assert documents_of_the_event(2) == [("doc-charged",), ("doc-first",)]
    assert documents_of_the_event(MAX_NAME_DOCUMENTS + 1) == [("doc-first",)]


NO_PLACE = {"location": None, "geonameid": None, "country_code": None, "admin1": None, "location_precision": None}
OTHER_TOWN = {"location": "Harlow", "geonameid": 4999003, "country_code": "US", "admin1": "IN", "location_precision": "city"}


def insert_articles(conn: duckdb.DuckDBPyConnection, names: dict[str, list[str]]) -> None:
    """One article per document, a headline over a body, published on one day, with the names given."""
    headline = "Four people shot overnight"
    insert_frame(conn, STORIES, pl.DataFrame([
        {"story_id": f"{doc}-0", "doc_id": doc, "seq": 0, "title": headline,
         "text": f"{headline}\n\nPolice said four people were shot early Saturday.", "raw_start": 0, "raw_end": 0,
         "offset_map": [], "removed_lines": [], "n_captions": 0, "n_duplicate_captions": 0, "n_embedded_posts": 0,
         "n_words": 0, "published_at": datetime(2016, 3, 6), "date_source": "metadata"} for doc in names
    ]))
    insert_frame(conn, STORY_NAMES, pl.DataFrame(
        [{"story_id": f"{doc}-0", "name": name} for doc, doc_names in names.items() for name in doc_names]
    ))


def test_a_report_naming_no_town_joins_the_report_of_its_toll_of_several_on_its_day(tmp_path: Path):
    # A newsroom writing for its own city names none ('Millbrook-Harlow police', which the
    # gazetteer does not read as a town); another newsroom's report of Saturday places the four
    # shot in Millbrook. A report of one killed that day, naming no town either, ties to nothing,
    # nor does a report of four shot that names nothing the others name.
    saturday = {"on": date(2016, 3, 5), "kind": "shooting"}
    rows = [
        mention("doc-town", "injured", 4, place=TOWN, **saturday),
        mention("doc-nowhere", "injured", 4, place=NO_PLACE, **saturday),
        mention("doc-single", "killed", 1, place=NO_PLACE, **saturday),
        mention("doc-stranger", "injured", 4, place=NO_PLACE, **saturday),
    ]
    names = {"doc-town": ["millbrook", "elm"], "doc-nowhere": ["millbrook"], "doc-single": ["millbrook"], "doc-stranger": ["oak"]}
    # The city's name is in many other articles: it ties no two stories by itself.
    names |= {f"doc-city-{number}": ["millbrook"] for number in range(MAX_DAY_NAME_DOCUMENTS)}
    with mentions_database(tmp_path, rows) as conn:
        insert_articles(conn, names)
        assert conn.sql(NAME_TIES_SQL).fetchall() == [
            ("doc-nowhere-0", "doc-town-0", "no town named, and the toll, killed 0 and injured 4", date(2016, 3, 5),
             "doc-nowhere", "doc-town", 0)
        ]
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        assert conn.sql("SELECT list(doc_id ORDER BY doc_id) FROM event_documents GROUP BY event_id ORDER BY ALL").fetchall() == [
            (["doc-nowhere", "doc-town"],), (["doc-single"],), (["doc-stranger"],)
        ]


def test_a_report_naming_no_town_ties_by_a_toll_of_five_on_its_day_with_no_name_in_common(tmp_path: Path):
    # 'One dead, four hurt at a party overnight', a wire naming no town and no one the town's
    # newsroom names: one killed and four wounded on Saturday are the town's report of that toll.
    # Four shot, named by neither, tie to nothing: a toll that size needs a name in common.
    saturday = {"on": date(2016, 3, 5), "kind": "shooting"}
    rows = [
        mention("doc-town", "killed", 1, place=TOWN, **saturday),
        mention("doc-town", "injured", 4, place=TOWN, **saturday),
        mention("doc-wire", "killed", 1, place=NO_PLACE, **saturday),
        mention("doc-wire", "injured", 4, place=NO_PLACE, **saturday),
        mention("doc-other-town", "injured", 4, place=OTHER_TOWN, **saturday),
        mention("doc-stranger", "injured", 4, place=NO_PLACE, **saturday),
    ]
    names = {"doc-town": ["elm"], "doc-wire": [], "doc-other-town": ["oak"], "doc-stranger": ["maple"]}
    with mentions_database(tmp_path, rows) as conn:
        insert_articles(conn, names)
        assert conn.sql(NAME_TIES_SQL).fetchall() == [
            ("doc-town-0", "doc-wire-0", "no town named, and the toll, killed 1 and injured 4", date(2016, 3, 5),
             "doc-town", "doc-wire", 0)
        ]
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        assert conn.sql("SELECT list(doc_id ORDER BY doc_id) FROM event_documents GROUP BY event_id ORDER BY ALL").fetchall() == [
            (["doc-other-town"],), (["doc-stranger"],), (["doc-town", "doc-wire"],)
        ]


def test_a_report_naming_no_town_ties_to_no_report_of_its_toll_when_they_name_two_towns(tmp_path: Path):
    # Four shot in Millbrook and four shot in Harlow on one Saturday: the report naming no town
    # may be of either.
    saturday = {"on": date(2016, 3, 5), "kind": "shooting"}
    rows = [mention("doc-town", "injured", 4, place=TOWN, **saturday), mention("doc-nowhere", "injured", 4, place=NO_PLACE, **saturday)]
    names = {doc: ["county"] for doc in ("doc-town", "doc-other-town", "doc-nowhere")}
    names |= {f"doc-city-{number}": ["county"] for number in range(MAX_DAY_NAME_DOCUMENTS)}
    unplaced_ties = f"SELECT story_id, story_id_other FROM ({NAME_TIES_SQL}) WHERE shared_names LIKE 'no town%'"
    with mentions_database(tmp_path, rows) as conn:
        insert_articles(conn, names)
        assert conn.sql(unplaced_ties).fetchall() == [("doc-nowhere-0", "doc-town-0")]
        insert_frame(conn, EXTRACTED_MENTIONS, frame([mention("doc-other-town", "injured", 4, place=OTHER_TOWN, **saturday)]))
        assert conn.sql(unplaced_ties).fetchall() == []


def test_an_undated_report_naming_no_town_joins_the_report_of_its_toll_of_the_days_before_it(tmp_path: Path):
    # Published on Sunday, a report of four shot names neither town nor day: it is news of the
    # days up to its publication, among them Saturday, when another report places the four in Millbrook.
    rows = [
        mention("doc-town", "injured", 4, place=TOWN, on=date(2016, 3, 5), kind="shooting"),
        mention("doc-undated", "injured", 4, place=NO_PLACE, on=None, kind="shooting", precision=None, basis=None),
    ]
    names = {"doc-town": ["millbrook"], "doc-undated": ["millbrook"]}
    names |= {f"doc-city-{number}": ["millbrook"] for number in range(MAX_DAY_NAME_DOCUMENTS)}
    with mentions_database(tmp_path, rows) as conn:
        insert_articles(conn, names)
        assert conn.sql(NAME_TIES_SQL).fetchall() == [
            ("doc-town-0", "doc-undated-0", "no town named, and the toll, killed 0 and injured 4", date(2016, 3, 5),
             "doc-town", "doc-undated", 0)
        ]
        reconcile_events(conn)
        assert reconciled_rows(conn) == reconciled_at_once(conn)
        assert conn.sql("SELECT list(doc_id ORDER BY doc_id) FROM event_documents GROUP BY event_id").fetchall() == [
            (["doc-town", "doc-undated"],)
        ]
