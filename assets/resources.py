"""Resources: where the articles are read from and where the database lives.

Both come from environment variables so the UI can be pointed elsewhere without code:
CASUALTIES_INPUT (default: the bundled demo corpus) and CASUALTIES_DB (default:
data/casualties.duckdb in the project).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from dagster import ConfigurableResource, InitResourceContext
from dagster_duckdb import DuckDBResource
from pydantic import Field, PrivateAttr

from casualties.db import add_missing_columns, connect
from casualties.stages import MIN_STORIES_PER_PROCESS

if TYPE_CHECKING:
    from casualties.extract import Extractor

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = PROJECT_ROOT / "data" / "demo" / "articles"
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "casualties.duckdb"
MAX_DEFAULT_PROCESSES = 4


class DuckDB(DuckDBResource):
    """DuckDBResource keeping the database open while a run's process executes its steps.

    Each `get_connection` is a cursor on it: steps neither reopen the file nor write a
    checkpoint when they close it (some 20 ms a step), and a connection is closed even when
    its step fails (dagster-duckdb closes it only on success, so a failed step would leave
    the file open, and every later connection to it with other settings would be refused).
    Outside a run, `get_connection` opens the file itself.
    """

    _open_database: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._open_database = self.opened_database()

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._open_database is not None:
            self._open_database.close()
            self._open_database = None

    def opened_database(self) -> duckdb.DuckDBPyConnection:
        conn = connect(self.database)
        # A database written by an earlier version gets the columns added since.
        add_missing_columns(conn)
        return conn

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        conn = self.opened_database() if self._open_database is None else self._open_database.cursor()
        try:
            yield conn
        finally:
            conn.close()


class InputFolder(ConfigurableResource):
    """A folder of .txt, .html/.htm and .jsonl articles, read recursively."""

    path: str = Field(description="Folder to read articles from.")
    follow_links_outside: bool = Field(
        default=False,
        description="Read files that symbolic links in the folder point to outside it; off, such links are recorded as skipped.",
    )

    def root(self) -> Path:
        return Path(self.path).expanduser().resolve()


class SpacyExtractor(ConfigurableResource):
    """The spaCy extraction pipeline, loaded at most once per run process, on first use."""

    batch_size: int = Field(default=64, description="Texts per nlp.pipe batch.")
    n_process: int = Field(
        default=1,
        description="Worker processes, each running the whole extractor on its share of the stories; "
        f"used for runs of at least {MIN_STORIES_PER_PROCESS} stories per process.",
    )

    def extractor(self) -> Extractor:
        return loaded_extractor()


@cache
def loaded_extractor() -> Extractor:
    from casualties.extract import Extractor

    return Extractor()


def default_processes() -> int:
    """Every core, up to four: each worker holds its own copy of the model (about 300 MB)."""
    return min(os.cpu_count() or 1, MAX_DEFAULT_PROCESSES)


def build_resources(input_folder: str | Path | None = None, database: str | Path | None = None) -> dict[str, object]:
    """The resources every entry point uses: arguments first, then the environment, then defaults."""
    input_path = input_folder or os.environ.get("CASUALTIES_INPUT") or DEFAULT_INPUT
    database_path = database or os.environ.get("CASUALTIES_DB") or DEFAULT_DATABASE
    Path(database_path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    return {
        "input_folder": InputFolder(path=str(Path(input_path).expanduser().resolve())),
        "duckdb": DuckDB(database=str(Path(database_path).expanduser().resolve())),
        "spacy_extractor": SpacyExtractor(n_process=int(os.environ.get("CASUALTIES_PROCESSES", default_processes()))),
    }
