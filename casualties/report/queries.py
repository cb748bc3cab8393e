"""What the report shows, read from the reconciled tables.

Every query orders its rows completely, so the same database always gives the same page.
Queries run once per kind of row for the whole report, not once per event; rows are then
grouped by event in the order DuckDB returned them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from casualties.tables import CASUALTY_TYPES

Row = dict[str, Any]

SENTENCES_PER_FIGURE = 20
# A day of world news makes thousands of events; a page with every one in detail would weigh
# a hundred megabytes. The report shows the deadliest; SQL reaches the rest.
REPORT_EVENTS = 500

REQUIRED_TABLES = (
    "documents",
    "stories",
    "casualty_mentions",
    "events",
    "event_figures",
    "event_documents",
    "event_claims",
    "event_conflicts",
    "figure_history",
)

# The header's counts: label -> table.
COUNTED_TABLES = (
    ("events", "events"),
    ("documents", "documents"),
    ("mentions", "casualty_mentions"),
    ("claims", "event_claims"),
    ("conflicts", "event_conflicts"),
)


@dataclass(frozen=True)
class ReportData:
    counts: dict[str, int]
    # The deadliest events, at most `max_events` of them; none before anything is reconciled.
    events: list[Row]
    killed_by_country: list[Row]
    # Each kind of row of SECTION_QUERIES, grouped by event id.
    sections: dict[str, dict[str, list[Row]]]

    def section(self, event_id: str) -> dict[str, list[Row]]:
        """The rows of one event's section, by kind."""
        return {kind: rows.get(event_id, []) for kind, rows in self.sections.items()}


def read_report(conn: duckdb.DuckDBPyConnection, max_events: int = REPORT_EVENTS) -> ReportData:
    present = _present_tables(conn)
    counts = {label: _count(conn, table, present) for label, table in COUNTED_TABLES}
    # Before the pipeline has reconciled anything some tables may not exist yet: that is no events.
    if not present.issuperset(REQUIRED_TABLES):
        return ReportData(counts, [], [], {})
    events = _events(conn, max_events)
    if not events:
        return ReportData(counts, [], [], {})
    with _report_events(conn, events):
        sections = {kind: _by_event(_rows(conn, sql, parameters)) for kind, (sql, parameters) in SECTION_QUERIES.items()}
    return ReportData(counts, events, _killed_by_country(conn), sections)


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[object] = ()) -> list[Row]:
    # fetchall, never fetchone: DuckDB 2.0 refuses further work while a result is half read.
    result = conn.execute(sql, list(parameters))
    names = [column[0] for column in result.description]
    return [dict(zip(names, values)) for values in result.fetchall()]


def _present_tables(conn: duckdb.DuckDBPyConnection) -> set[str]:
    rows = _rows(
        conn,
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = current_schema()",
    )
    return {row["table_name"] for row in rows}


def _count(conn: duckdb.DuckDBPyConnection, table: str, present: set[str]) -> int:
    if table not in present:
        return 0
    return int(_rows(conn, f"SELECT count(*) AS n FROM {table}")[0]["n"])


def _events(conn: duckdb.DuckDBPyConnection, max_events: int) -> list[Row]:
    return _rows(
        conn,
        """
        WITH totals AS (
            SELECT event_id, casualty_type, low, best, high
            FROM event_figures WHERE victim_group_key = 'total'
        )
        SELECT e.event_id, e.location, e.country_code, e.latitude, e.longitude,
               e.date_start, e.date_end, e.date_precision, e.kind, e.n_documents, e.n_sources,
               e.first_reported_at, e.last_reported_at,
               killed.low AS killed_low, killed.best AS killed_best, killed.high AS killed_high,
               injured.low AS injured_low, injured.best AS injured_best, injured.high AS injured_high
        FROM events AS e
        LEFT JOIN totals AS killed ON killed.event_id = e.event_id AND killed.casualty_type = 'killed'
        LEFT JOIN totals AS injured ON injured.event_id = e.event_id AND injured.casualty_type = 'injured'
        ORDER BY killed.best DESC NULLS LAST, e.date_start NULLS LAST, e.event_id
        LIMIT ?
        """,
        [max_events],
    )


def _killed_by_country(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    return _rows(
        conn,
        """
        SELECT e.country_code, sum(f.best) AS killed_best, count(*) AS n_events
        FROM events AS e
        JOIN event_figures AS f
          ON f.event_id = e.event_id AND f.casualty_type = 'killed' AND f.victim_group_key = 'total'
        WHERE f.best IS NOT NULL
        GROUP BY e.country_code
        ORDER BY killed_best DESC, e.country_code NULLS LAST
        """,
    )


# The rows each event's section is drawn from, by kind, for the events in the temporary
# table report_events: (SQL, parameters), each ordered by event first.
_MENTION_DETAILS = """
    m.sentence, m.value_text, m.qualifier, m.segment, m.attributed_to,
    m.value_start - m.char_start AS highlight_start, m.value_end - m.char_start AS highlight_end,
    m.reported_at, m.publisher, d.source_uri
"""

SECTION_QUERIES: dict[str, tuple[str, list[object]]] = {
    "figures": (
        """
        SELECT f.event_id, f.casualty_type, f.victim_group, f.victim_group_key,
               f.low, f.best, f.high, f.n_mentions, f.policy,
               EXISTS (
                   SELECT 1 FROM event_conflicts AS c
                   WHERE c.event_id = f.event_id AND c.casualty_type = f.casualty_type
                     AND c.victim_group_key = f.victim_group_key
               ) AS in_conflict
        FROM event_figures AS f
        WHERE f.event_id IN (SELECT event_id FROM report_events)
        ORDER BY f.event_id, list_position(?, f.casualty_type) NULLS LAST, f.casualty_type,
                 f.victim_group NULLS FIRST
        """,
        [list(CASUALTY_TYPES)],
    ),
    "history": (
        """
        SELECT event_id, casualty_type, victim_group, reported_at, value, publisher
        FROM figure_history
        WHERE event_id IN (SELECT event_id FROM report_events)
        ORDER BY event_id, list_position(?, casualty_type) NULLS LAST, casualty_type,
                 victim_group NULLS FIRST, reported_at NULLS LAST, mention_id
        """,
        [list(CASUALTY_TYPES)],
    ),
    # The sentences behind each figure, the first SENTENCES_PER_FIGURE by report time, with the total.
    "sentences": (
        f"""
        SELECT h.event_id, h.casualty_type, coalesce(h.victim_group, 'total') AS victim_group_key,
               h.value, {_MENTION_DETAILS},
               count(*) OVER figure AS n_sentences,
               row_number() OVER (figure ORDER BY h.reported_at NULLS LAST, h.mention_id) AS position
        FROM figure_history AS h
        JOIN casualty_mentions AS m ON m.mention_id = h.mention_id
        LEFT JOIN documents AS d ON d.doc_id = m.doc_id
        WHERE h.event_id IN (SELECT event_id FROM report_events)
        WINDOW figure AS (PARTITION BY h.event_id, h.casualty_type, coalesce(h.victim_group, 'total'))
        QUALIFY position <= ?
        ORDER BY h.event_id, h.casualty_type, victim_group_key, position
        """,
        [SENTENCES_PER_FIGURE],
    ),
    "claims": (
        f"""
        SELECT c.event_id, c.claimant, c.casualty_type, c.victim_group, c.value_low, c.value_high,
               {_MENTION_DETAILS},
               count(*) OVER claims AS n_claims,
               row_number() OVER (claims ORDER BY m.reported_at NULLS LAST, c.mention_id) AS position
        FROM event_claims AS c
        LEFT JOIN casualty_mentions AS m ON m.mention_id = c.mention_id
        LEFT JOIN documents AS d ON d.doc_id = m.doc_id
        WHERE c.event_id IN (SELECT event_id FROM report_events)
        WINDOW claims AS (PARTITION BY c.event_id)
        QUALIFY position <= ?
        ORDER BY c.event_id, position
        """,
        [SENTENCES_PER_FIGURE],
    ),
    "conflicts": (
        """
        SELECT event_id, casualty_type, victim_group, kind, details
        FROM event_conflicts
        WHERE event_id IN (SELECT event_id FROM report_events)
        ORDER BY event_id, casualty_type, victim_group_key, kind
        """,
        [],
    ),
    # One row per story of the event's documents that states one of its figures or claims.
    "sources": (
        """
        WITH event_mentions AS (
            SELECT event_id, mention_id FROM figure_history
            UNION
            SELECT event_id, mention_id FROM event_claims
        ),
        event_stories AS (
            SELECT em.event_id, m.doc_id, m.story_id, count(*) AS n_mentions
            FROM event_mentions AS em JOIN casualty_mentions AS m ON m.mention_id = em.mention_id
            GROUP BY ALL
        )
        SELECT ed.event_id, d.doc_id, d.source_uri, d.url,
               coalesce(s.publisher, d.publisher) AS publisher,
               coalesce(s.title, d.title) AS title,
               coalesce(s.published_at, d.published_at) AS published_at,
               coalesce(es.n_mentions, 0) AS n_mentions
        FROM event_documents AS ed
        JOIN documents AS d ON d.doc_id = ed.doc_id
        LEFT JOIN event_stories AS es ON es.event_id = ed.event_id AND es.doc_id = ed.doc_id
        LEFT JOIN stories AS s ON s.story_id = es.story_id
        WHERE ed.event_id IN (SELECT event_id FROM report_events)
        ORDER BY ed.event_id, published_at NULLS LAST, d.source_uri, es.story_id
        """,
        [],
    ),
}


def _by_event(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["event_id"], []).append(row)
    return grouped


@contextmanager
def _report_events(conn: duckdb.DuckDBPyConnection, events: list[Row]) -> Iterator[None]:
    """The events' ids as the table report_events, which the section queries read."""
    ids = pl.DataFrame({"event_id": [event["event_id"] for event in events]}, schema={"event_id": pl.String})
    conn.register("report_events", ids.to_arrow())
    try:
        yield
    finally:
        conn.unregister("report_events")
