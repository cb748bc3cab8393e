"""Properties of the raw stage over arbitrary input: whatever the files hold, the load ends,
every item is stored, rejected or skipped, and no row outside what the load adds changes."""

import json
import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casualties.stages import build_stories, load_raw

RAW_TABLES = ("documents", "rejected_documents", "input_files")
SEED_ARTICLE = b"KYIV, Ukraine (AP) - Three people were killed overnight in a missile strike, officials said."

# Every character, unpaired surrogates included: json.dumps escapes them, json.loads gives them back.
any_text = st.text(st.characters(exclude_categories=()), max_size=40)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text)
json_value = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3), max_leaves=6)
record = st.fixed_dictionaries(
    {},
    optional={"text": st.one_of(any_text, json_value), "id": json_value, "title": json_value, "publisher": json_value, "published_at": json_value},
)
jsonl_line = st.one_of(
    st.builds(json.dumps, st.one_of(record, json_value), ensure_ascii=st.booleans()),
    any_text.filter(lambda text: "\n" not in text),
)


def utf8_lines(lines: list[str], separator: str) -> bytes:
    return separator.join(lines).encode("utf-8", "surrogatepass")


jsonl_payload = st.builds(utf8_lines, st.lists(jsonl_line, max_size=6), st.sampled_from(["\n", "\r\n"]))
name = st.builds(
    lambda folder, stem, suffix: f"{folder}{stem}{suffix}",
    st.sampled_from(["", "sub/", ".hidden/"]),
    st.text("ab1-_.", min_size=1, max_size=6).filter(lambda stem: stem not in (".", "..")),
    st.sampled_from([".txt", ".html", ".jsonl", ".pdf"]),
)
folder_files = st.dictionaries(name, st.one_of(st.binary(max_size=300), jsonl_payload), min_size=1, max_size=5)


def table_rows(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return conn.sql(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def other_tables(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    names = [row[0] for row in conn.sql("SELECT table_name FROM duckdb_tables()").fetchall()]
    return {table: table_rows(conn, table) for table in names if table not in RAW_TABLES}


def accounted_for(relative: str, payload: bytes, stored: set[str], rejected: dict[str, str]) -> bool:
    """Whether the file, or the hidden folder holding it, is stored, rejected or skipped and,
    for a UTF-8 JSONL file read line by line, whether each of its lines is."""
    folder = relative.split("/")[0]
    if relative in rejected or (folder.startswith(".") and rejected.get(folder, "").startswith("skipped:")):
        return True
    if not relative.endswith(".jsonl"):
        return relative in stored
    try:
        lines = payload.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return any(uri.startswith(relative + "#") for uri in (*stored, *rejected))
    numbered = (f"{relative}#{number}" for number, line in enumerate(lines, start=1) if line.removesuffix("\r").strip())
    return all(uri in stored or uri in rejected for uri in numbered)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=folder_files)
def test_any_files_load_and_every_item_is_stored_rejected_or_skipped(files: dict[str, bytes]):
    with tempfile.TemporaryDirectory() as temporary, duckdb.connect() as conn:
        seed, folder = Path(temporary) / "seed", Path(temporary) / "articles"
        seed.mkdir()
        (seed / "seed.txt").write_bytes(SEED_ARTICLE)
        load_raw(conn, seed)
        build_stories(conn)
        before = {table: table_rows(conn, table) for table in RAW_TABLES}
        others_before = other_tables(conn)
        for relative, payload in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(payload)

        load_raw(conn, folder)

        stored = {uri for (uris,) in conn.sql("SELECT source_uris FROM documents").fetchall() for uri in uris}
        rejected = dict(conn.sql("SELECT source_uri, reason FROM rejected_documents").fetchall())
        assert all(accounted_for(relative, payload, stored, rejected) for relative, payload in files.items())
        assert not [reason for reason in rejected.values() if reason.startswith("unexpected error")]
        assert other_tables(conn) == others_before
        for table in ("rejected_documents", "input_files"):
            assert set(before[table]) <= set(table_rows(conn, table))
        documents_after = {row[0]: row for row in table_rows(conn, "documents")}
        for seed_row in before["documents"]:
            after = documents_after[seed_row[0]]
            # Only source_uris (column 2) may change: the same text under a new name adds the name.
            assert (after[:2], after[3:]) == (seed_row[:2], seed_row[3:])
            assert set(seed_row[2]) <= set(after[2])

        build_stories(conn)
        assert conn.sql("SELECT count(*) FROM stories WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchall() == [(0,)]
