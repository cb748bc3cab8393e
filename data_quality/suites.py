"""Each contract table's checks, generated from casualties.tables.

* A GX suite over the table's rows, of GX Core's own expectations: what the contract says
  (keys unique, NOT NULL columns not null, allowed values in their sets) and the bounds and
  orderings each stage guarantees (`own_expectations`). An expectation's GX severity says
  which asset check it joins: critical ones `gx_contract`, whose failure blocks the assets
  downstream; warning ones `gx_consistency`, for a person to read (dates in the future,
  figures that contradict each other).
* SQL checks, one asset check each, where GX has no expectation: GX validates one frame at a
  time and cannot join, so whether a referenced row exists, whether a span lies inside the
  text it points into, whether figures agree across rows, and whether the table's columns
  have the contract's DuckDB types are each a query returning the failing rows' keys.

GX is imported only when a suite is built (a 4-second import): the Dagster definitions name
the checks without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from casualties.event_figures import AFFILIATION_GROUPS
from casualties.tables import (
    CASUALTY_MENTIONS,
    DOCUMENTS,
    EVENT_CLAIMS,
    EVENT_CONFLICTS,
    EVENT_DOCUMENTS,
    EVENT_FIGURES,
    EVENTS,
    EXTRACTED_MENTIONS,
    FIGURE_HISTORY,
    MENTION_EVENTS,
    REJECTED_DOCUMENTS,
    STORIES,
    STORY_SEGMENTS,
    TABLES_BY_NAME,
    Table,
    sql_string,
)

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation

CONTRACT_CHECK = "gx_contract"
CONSISTENCY_CHECK = "gx_consistency"

# Timestamps in the tables are naive, and a publication time read from a page may be local
# time anywhere up to UTC+14: 'now' is shifted by that much so that a story published this
# evening in Kiribati does not count as published in the future.
LATEST_UTC_OFFSET = timedelta(hours=14)
NOW = {"$PARAMETER": "now"}
TODAY = {"$PARAMETER": "today"}


def time_parameters(utc_now: datetime) -> dict[str, datetime]:
    """Values of the NOW and TODAY parameters for a validation at `utc_now` (naive UTC)."""
    latest = utc_now + LATEST_UTC_OFFSET
    return {"now": latest, "today": datetime(latest.year, latest.month, latest.day)}


# When a row was written, as SQL over the table as `t`, for the tables that do not stamp
# their own rows: a run's GX checks read the rows written since it started.
STORY_CLEANED_AT = "(SELECT s.cleaned_at FROM stories AS s WHERE s.story_id = t.story_id)"
STORY_EXTRACTED_AT = "(SELECT l.extracted_at FROM extraction_log AS l WHERE l.story_id = t.story_id)"
EVENT_RECONCILED_AT = (
    "(SELECT b.reconciled_at FROM events AS e JOIN reconciled_blocks AS b ON b.block = e.grouping_block WHERE e.event_id = t.event_id)"
)
WRITTEN_AT = {
    DOCUMENTS.name: "t.ingested_at",
    REJECTED_DOCUMENTS.name: "t.detected_at",
    STORIES.name: "t.cleaned_at",
    STORY_SEGMENTS.name: STORY_CLEANED_AT,
    EXTRACTED_MENTIONS.name: STORY_EXTRACTED_AT,
    EVENTS.name: "(SELECT b.reconciled_at FROM reconciled_blocks AS b WHERE b.block = t.grouping_block)",
    **{table.name: EVENT_RECONCILED_AT for table in (EVENT_FIGURES, EVENT_DOCUMENTS, EVENT_CLAIMS, EVENT_CONFLICTS, FIGURE_HISTORY, MENTION_EVENTS)},
}
# Every table with checks: the contract's tables but quality_results and the stages'
# bookkeeping (input_files, extraction_log, story_names, reconciled_blocks).
CHECKED_TABLES = tuple(TABLES_BY_NAME[name] for name in WRITTEN_AT)


@cache
def expectations(table_name: str) -> tuple[Expectation, ...]:
    """The table's GX suite: the contract's expectations, then the table's own."""
    import great_expectations.expectations as gxe

    table = TABLES_BY_NAME[table_name]
    key = list(table.primary_key)
    return (
        gxe.ExpectCompoundColumnsToBeUnique(column_list=key) if len(key) > 1 else gxe.ExpectColumnValuesToBeUnique(column=key[0]),
        *(gxe.ExpectColumnValuesToNotBeNull(column=column.name) for column in table.columns if not column.nullable or column.name in key),
        *(gxe.ExpectColumnValuesToBeInSet(column=name, value_set=list(values)) for name, values in table.allowed_values.items()),
        *own_expectations(table_name),
    )


def own_expectations(table_name: str) -> list[Expectation]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    def at_least(column: str, minimum: int, severity: str = "critical") -> Expectation:
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=minimum, severity=severity)

    def not_after(column: str, limit: dict[str, str]) -> Expectation:
        """Dates and times in the future are warnings: a misdated page, not a broken stage."""
        return gxe.ExpectColumnValuesToBeBetween(column=column, max_value=limit, severity="warning")

    def not_greater(smaller: str, larger: str, severity: str = "critical", strictly: bool = False, where: Any = None) -> Expectation:
        """smaller <= larger (smaller < larger when strictly) wherever both are set."""
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=larger, column_B=smaller, or_equal=not strictly, ignore_row_if="either_value_is_missing", severity=severity, row_condition=where
        )

    def non_blank(column: str, severity: str = "critical") -> Expectation:
        return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=r"\S", severity=severity)

    def span(start: str, end: str) -> list[Expectation]:
        """0 <= start <= end; that `end` lies inside the text is a SQL check (`within_text`)."""
        return [at_least(start, 0), not_greater(start, end)]

    rules: dict[str, list[Expectation]] = {
        DOCUMENTS.name: [at_least("bytes", 1), non_blank("raw_text"), not_after("published_at", NOW)],
        REJECTED_DOCUMENTS.name: [at_least("bytes", 0), non_blank("reason", "warning")],
        STORIES.name: [
            *span("raw_start", "raw_end"),
            non_blank("text"),
            at_least("seq", 0),
            *(at_least(count, 0, "warning") for count in ("n_captions", "n_duplicate_captions", "n_embedded_posts", "n_words")),
            not_after("published_at", NOW),
        ],
        STORY_SEGMENTS.name: [
            *span("raw_start", "raw_end"),
            non_blank("text"),
            at_least("seq", 0),
            at_least("occurrences", 1),
            not_after("posted_at", TODAY),
        ],
        EXTRACTED_MENTIONS.name: [
            at_least("value", 0),
            # 'more than 30' has value 30 and value_low 31, 'fewer than 10' value 10 and
            # value_high 9: the stated number lies outside its bounds by design there.
            not_greater("value_low", "value", where=Column("qualifier") != "more_than"),
            not_greater("value", "value_high", where=Column("qualifier") != "up_to"),
            not_greater("value_low", "value_high"),
            # The figure's words inside its sentence: char_start <= value_start < value_end <= char_end.
            at_least("char_start", 0),
            not_greater("char_start", "value_start"),
            not_greater("value_start", "value_end", strictly=True),
            not_greater("value_end", "char_end"),
            gxe.ExpectColumnValuesToNotBeNull(column="claimant", row_condition=Column("is_claim") == True),  # noqa: E712 (a GX condition)
            not_greater("event_date", "event_date_end"),
            not_after("event_date", TODAY),
            not_after("reported_at", NOW),
        ],
        EVENTS.name: [
            not_greater("date_start", "date_end"),
            not_greater("first_reported_at", "last_reported_at"),
            at_least("n_documents", 1),
            *(not_after(column, TODAY) for column in ("date_start", "date_end")),
            *(not_after(column, NOW) for column in ("first_reported_at", "last_reported_at")),
        ],
        EVENT_FIGURES.name: [
            not_greater("low", "best"),
            not_greater("best", "high"),
            at_least("n_mentions", 1),
            gxe.ExpectColumnValuesToBeInSet(column="victim_group_key", value_set=["total"], row_condition=Column("victim_group").is_null()),
            gxe.ExpectColumnPairValuesToBeEqual(column_A="victim_group_key", column_B="victim_group", row_condition=Column("victim_group").is_not_null()),
        ],
        EVENT_CLAIMS.name: [not_greater("value_low", "value_high", "warning")],
        EVENT_CONFLICTS.name: [non_blank("details", "warning")],
        FIGURE_HISTORY.name: [not_after("reported_at", NOW)],
    }
    return rules.get(table_name, [])


def readable(expectation: Expectation) -> str:
    """GX's name of the expectation with its arguments, e.g. `expect_column_values_to_be_between(column=bytes, min_value=1)`."""

    def shown(value: Any) -> str:
        if isinstance(value, dict) and "$PARAMETER" in value:
            return value["$PARAMETER"]
        if isinstance(value, list):
            return "[" + ", ".join(shown(item) for item in value) + "]"
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)

    arguments = [f"{name}={shown(value)}" for name, value in expectation.configuration.kwargs.items() if name not in ("row_condition", "ignore_row_if")]
    where = f" where {expectation.row_condition!r}" if expectation.row_condition else ""
    return f"{expectation.expectation_type}({', '.join(arguments)}){where}"


@dataclass(frozen=True)
class SqlCheck:
    """An asset check of its own on `table`: `sql` selects the rows that break it, keys first."""

    name: str
    table: Table
    description: str
    sql: str
    blocking: bool = True


def keys(table: Table) -> str:
    return ", ".join(f"t.{column}" for column in table.primary_key)


def reference(
    name: str, table: Table, parent: Table, columns: tuple[str, ...], parent_columns: tuple[str, ...] | None = None, where: str = ""
) -> SqlCheck:
    """Each row's `columns` name a row of `parent` (matched column by column: a segment's
    doc_id must be its story's, not merely some document's), one where `where` holds."""
    match = " AND ".join(f"p.{other} = t.{column}" for column, other in zip(columns, parent_columns or columns, strict=True))
    return SqlCheck(
        name,
        table,
        f"Every row's {', '.join(columns)} is a row of {parent.name}{where and f' where {where}'}.",
        f"SELECT DISTINCT {', '.join(f't.{column}' for column in dict.fromkeys(table.primary_key + columns))} FROM {table.name} AS t "
        f"WHERE NOT EXISTS (SELECT 1 FROM {parent.name} AS p WHERE {match}{where and ' AND p.' + where})",
    )


def within_text(table: Table, end: str, parent: Table, parent_key: str, text: str) -> SqlCheck:
    return SqlCheck(
        "within_text",
        table,
        f"{end} lies inside the {parent.name}.{text} it points into.",
        f"SELECT {keys(table)}, t.{end}, length(p.{text}) AS text_length FROM {table.name} AS t JOIN {parent.name} AS p USING ({parent_key}) "
        f"WHERE t.{end} > length(p.{text})",
    )


def columns_match_contract(table: Table) -> SqlCheck:
    """DuckDB's types are exact where a frame's pandas dtypes are not (a nullable INTEGER
    arrives as float64): the catalog is compared with the contract, column by column."""
    contract = " UNION ALL ".join(
        f"SELECT {position} AS position, {sql_string(column.name)} AS column_name, {sql_string(column.sql_type)} AS sql_type"
        for position, column in enumerate(table.columns, 1)
    )
    return SqlCheck(
        "columns_match_contract",
        table,
        "The table's columns have the contract's names, order and DuckDB types.",
        f"""SELECT column_name, contract.position AS contract_position, found.position AS database_position,
               contract.sql_type AS contract_type, found.sql_type AS database_type
        FROM ({contract}) AS contract FULL JOIN (
            SELECT column_index AS position, column_name, data_type AS sql_type FROM duckdb_columns()
            WHERE schema_name = current_schema() AND table_name = {sql_string(table.name)}
        ) AS found USING (column_name)
        WHERE contract.position IS DISTINCT FROM found.position OR contract.sql_type IS DISTINCT FROM found.sql_type""",
    )


AFFILIATIONS = ", ".join(sql_string(group) for group in AFFILIATION_GROUPS)
# A group figure above its total, or affiliations summing above it, is fine when
# event_conflicts lists it (casualties.reconcile makes the same comparisons on best figures).
UNLISTED = "AND NOT EXISTS (SELECT 1 FROM event_conflicts AS c WHERE c.event_id = t.event_id AND c.casualty_type = t.casualty_type AND c.victim_group_key = {key} AND c.kind = {kind})"

CROSS_TABLE_CHECKS: tuple[SqlCheck, ...] = (
    reference("has_document", STORIES, DOCUMENTS, ("doc_id",)),
    within_text(STORIES, "raw_end", DOCUMENTS, "doc_id", "raw_text"),
    reference("has_story", STORY_SEGMENTS, STORIES, ("story_id", "doc_id")),
    within_text(STORY_SEGMENTS, "raw_end", DOCUMENTS, "doc_id", "raw_text"),
    reference("has_story", EXTRACTED_MENTIONS, STORIES, ("story_id", "doc_id")),
    reference("has_segment", EXTRACTED_MENTIONS, STORY_SEGMENTS, ("segment_id", "story_id", "segment"), ("segment_id", "story_id", "kind")),
    within_text(EXTRACTED_MENTIONS, "char_end", STORY_SEGMENTS, "segment_id", "text"),
    # A sentence is identified by its segment and start; the group's lowest possible count
    # is compared with the total's highest: an open total ('at least 10') cannot be exceeded.
    SqlCheck(
        "group_within_total",
        EXTRACTED_MENTIONS,
        "No sentence states more of a victim group than its total of the same casualty type.",
        """SELECT t.mention_id, t.segment_id, t.char_start, t.casualty_type, t.victim_group, t.value, total.value AS total_value
        FROM extracted_mentions AS t JOIN extracted_mentions AS total
          ON total.segment_id = t.segment_id AND total.char_start = t.char_start AND total.casualty_type = t.casualty_type
        WHERE t.victim_group IS NOT NULL AND total.victim_group IS NULL AND total.qualifier NOT IN ('at_least', 'more_than')
          AND coalesce(t.value_low, t.value) > coalesce(total.value_high, total.value)""",
        blocking=False,
    ),
    reference("has_document", EVENTS, EVENT_DOCUMENTS, ("event_id",)),
    # A headline may state only a party's count of its enemy's dead ('the army says it killed
    # 20 rebels'): the claim is kept in event_claims, out of every figure, and the event stands.
    SqlCheck(
        "has_figure_or_claim",
        EVENTS,
        "Every event has a figure in event_figures or a claim in event_claims.",
        "SELECT t.event_id FROM events AS t WHERE NOT EXISTS (SELECT 1 FROM event_figures AS f WHERE f.event_id = t.event_id) "
        "AND NOT EXISTS (SELECT 1 FROM event_claims AS c WHERE c.event_id = t.event_id)",
    ),
    reference("has_mention", EVENTS, MENTION_EVENTS, ("event_id",)),
    SqlCheck(
        "documents_counted",
        EVENTS,
        "n_documents counts the event's rows in event_documents.",
        "SELECT t.event_id, t.n_documents, count(d.doc_id) AS documents_linked FROM events AS t LEFT JOIN event_documents AS d USING (event_id) "
        "GROUP BY t.event_id, t.n_documents HAVING t.n_documents <> count(d.doc_id)",
        blocking=False,
    ),
    reference("has_event", EVENT_FIGURES, EVENTS, ("event_id",)),
    # A total stated by no mention is derived from its groups (casualties.reconcile), so
    # the mentions behind a total are any of its type; a group figure needs its own group.
    SqlCheck(
        "has_reported_mention",
        EVENT_FIGURES,
        "Every figure rests on a mention of the event that is not a claim.",
        """SELECT t.event_id, t.casualty_type, t.victim_group_key FROM event_figures AS t WHERE NOT EXISTS (
            SELECT 1 FROM casualty_mentions AS m WHERE m.event_id = t.event_id AND m.casualty_type = t.casualty_type AND NOT m.is_claim
              AND (t.victim_group IS NULL OR m.victim_group = t.victim_group))""",
    ),
    SqlCheck(
        "group_within_total",
        EVENT_FIGURES,
        "No group's best figure exceeds its total's, unless event_conflicts lists it.",
        f"""SELECT t.event_id, t.casualty_type, t.victim_group_key, t.best, total.best AS total_best
        FROM event_figures AS t JOIN event_figures AS total
          ON total.event_id = t.event_id AND total.casualty_type = t.casualty_type AND total.victim_group IS NULL
        WHERE t.victim_group IS NOT NULL AND t.best > total.best {UNLISTED.format(key='t.victim_group_key', kind="'group_exceeds_total'")}""",
        blocking=False,
    ),
    SqlCheck(
        "groups_within_total",
        EVENT_FIGURES,
        "The best figures of two or more affiliations add up to at most their total's, unless event_conflicts lists it.",
        f"""SELECT t.event_id, t.casualty_type, t.victim_group_key, t.best, sum(g.best) AS groups_best
        FROM event_figures AS t JOIN event_figures AS g
          ON g.event_id = t.event_id AND g.casualty_type = t.casualty_type AND g.victim_group IN ({AFFILIATIONS})
        WHERE t.victim_group IS NULL {UNLISTED.format(key="'total'", kind="'groups_exceed_total'")}
        GROUP BY t.event_id, t.casualty_type, t.victim_group_key, t.best HAVING count(*) > 1 AND sum(g.best) > t.best""",
        blocking=False,
    ),
    reference("has_event", EVENT_DOCUMENTS, EVENTS, ("event_id",)),
    reference("has_document", EVENT_DOCUMENTS, DOCUMENTS, ("doc_id",)),
    reference("has_event", EVENT_CLAIMS, EVENTS, ("event_id",)),
    reference("has_claim_mention", EVENT_CLAIMS, CASUALTY_MENTIONS, ("mention_id", "event_id"), where="is_claim"),
    reference("has_event", EVENT_CONFLICTS, EVENTS, ("event_id",)),
    reference("has_event", FIGURE_HISTORY, EVENTS, ("event_id",)),
    reference("has_mention", FIGURE_HISTORY, CASUALTY_MENTIONS, ("mention_id", "event_id", "doc_id")),
    reference("has_event", MENTION_EVENTS, EVENTS, ("event_id",)),
    reference("has_mention", MENTION_EVENTS, EXTRACTED_MENTIONS, ("mention_id",)),
)


def sql_checks(table_name: str) -> tuple[SqlCheck, ...]:
    """The table's SQL checks: its columns against the contract, then its cross-table checks."""
    table = TABLES_BY_NAME[table_name]
    return (columns_match_contract(table), *(check for check in CROSS_TABLE_CHECKS if check.table is table))
