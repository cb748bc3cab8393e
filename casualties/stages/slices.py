"""Reading a table slice by slice, and reporting progress: what the stages share.

No stage holds a whole table in Python, nor has DuckDB sort one: keys are read a slice at a
time on a cursor of their own, and the rows of each slice after them.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator

import duckdb

BATCH_SIZE = 500
KEYS_PER_QUERY = 2_000
Progress = Callable[[int, int], None]


def stream_by_key(
    conn: duckdb.DuckDBPyConnection, slices: Iterable[list], rows_sql: str, batch_size: int = BATCH_SIZE
) -> Generator[dict, None, None]:
    """Rows in key order, read on a cursor of its own; close() the generator when done early.

    `slices` are the keys in order, a list at a time (`key_slices`); `rows_sql` selects, in
    order, the rows of the keys in its one parameter, a list. It runs once per slice, so no
    sort ever holds more than that slice of the table: sorting the whole corpus at once
    would take memory in proportion to it.
    """
    with conn.cursor() as rows_cursor:
        for keys in slices:
            for record_batch in rows_cursor.sql(rows_sql, params=[keys]).to_arrow_reader(batch_size):
                yield from record_batch.to_pylist()


def key_slices(
    conn: duckdb.DuckDBPyConnection, keys_sql: str, parameters: dict[str, object] | None = None, size: int = KEYS_PER_QUERY
) -> Iterator[list]:
    """The first column of `keys_sql`, `size` values at a time, read on a cursor of its own
    so that the connection stays free for the queries each slice drives."""
    with conn.cursor() as keys_cursor:
        for key_batch in keys_cursor.sql(keys_sql, params=parameters).to_arrow_reader(size):
            yield key_batch.column(0).to_pylist()


def counted(items: Iterable, total: int, progress: Progress | None, every: int = 200) -> Iterator:
    """Pass items through, reporting how many went by."""
    done = 0
    for item in items:
        yield item
        done += 1
        if progress and (done % every == 0 or done == total):
            progress(done, total)
