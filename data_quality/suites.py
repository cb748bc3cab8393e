"""One Great Expectations suite per contract table, derived from casualties.tables.

Each table is validated as two frames read from DuckDB:

* its columns: one row per column, the contract's position and type next to the ones
  DuckDB's catalog holds. Comparing DuckDB's type names with the contract's SQL types is
  exact, where pandas dtypes are not (a nullable INTEGER column arrives in pandas as
  float64, a DATE as datetime64).
* its rows: the contract's columns plus derived ones (lengths of the texts that offsets
  point into, whether a referenced row exists, ...), because GX validates one frame at a
  time and cannot join.

Every expectation belongs to one of the table's two asset checks. `gx_contract` holds what
the next stage relies on (schema, keys, not-null, allowed values, offsets, references and
the invariants the stages guarantee); its failure blocks downstream assets.
`gx_consistency` holds plausibility warnings: dates in the future, figures that contradict
each other, which a person should read but which are not a reason to stop the pipeline.

This module does not import GX (a 4-second import): expectations are named by their GX
class and built by data_quality.validation when a frame is validated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from casualties.reconcile import AFFILIATION_GROUPS
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

CONTRACT_CHECK = "gx_contract"
CONSISTENCY_CHECK = "gx_consistency"

# Timestamps in the tables are naive, and a publication time read from a page may be local
# time anywhere up to UTC+14: 'now' is shifted by that much so that a story published this
# evening in Kiribati does not count as published in the future.
LATEST_UTC_OFFSET = timedelta(hours=14)
NOW = {"$PARAMETER": "now"}
TODAY = {"$PARAMETER": "today"}

NON_BLANK = r"\S"
NOT_IN_CONTRACT = "(not in the contract)"
NOT_IN_DATABASE = "(not in the database)"

# Arguments written without their name in an expectation's readable form, in this order.
POSITIONAL_ARGUMENTS = ("column", "column_A", "column_B", "column_list", "value_set", "regex")


def time_parameters(utc_now: datetime) -> dict[str, datetime]:
    """Values of the NOW and TODAY parameters for a validation at `utc_now` (naive UTC)."""
    latest = utc_now + LATEST_UTC_OFFSET
    return {"now": latest, "today": datetime(latest.year, latest.month, latest.day)}


@dataclass(frozen=True)
class RowCondition:
    """Restricts an expectation to the rows where `column <operator> value`."""

    column: str
    operator: str
    value: Any

    def __str__(self) -> str:
        return f"{self.column} {self.operator} {self.value!r}"


@dataclass(frozen=True)
class SuiteExpectation:
    """One GX expectation, named by its class in gx.expectations, with the check it belongs to."""

    gx_class: str
    arguments: Mapping[str, Any]
    blocking: bool
    where: RowCondition | None = None
    # Shown next to each failing value, so a failure names its row (the primary key
    # is always added).
    context_columns: tuple[str, ...] = ()

    @property
    def check_name(self) -> str:
        return CONTRACT_CHECK if self.blocking else CONSISTENCY_CHECK

    @property
    def readable(self) -> str:
        """E.g. `expect_column_values_to_be_between(bytes, min_value=1)`; unique within a table.

        `ignore_row_if` is left out: every pair comparison here skips rows where either
        value is null.
        """
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", self.gx_class).lower()
        positional = [_readable_value(self.arguments[key]) for key in POSITIONAL_ARGUMENTS if key in self.arguments]
        named = [
            f"{key}={_readable_value(value)}"
            for key, value in self.arguments.items()
            if key not in POSITIONAL_ARGUMENTS and key != "ignore_row_if"
        ]
        where = f" where {self.where}" if self.where else ""
        return f"{name}({', '.join(positional + named)}){where}"


def _readable_value(value: Any) -> str:
    if isinstance(value, Mapping) and "$PARAMETER" in value:
        return value["$PARAMETER"]
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return str(value)


@dataclass(frozen=True)
class Suite:
    """Expectations on one frame: `frame_sql` reads it from DuckDB.

    `key_columns` identify a row of the frame in samples of failing values. When
    `slice_key` is set, `frame_sql` reads the slice of the table whose `slice_key` is in
    the list $keys (or null, when $with_null): rows sharing a key value are always in one
    slice, so a key's uniqueness holds in the table when it holds in every slice.
    `written_at` is SQL over the table as `t` for when a row was written: a run's checks
    read only the slices of the keys it wrote. When `shared_by_table` is set, `frame_sql`
    reads the frames of several tables at once, and the suite's frame is the rows whose
    table_name is `shared_by_table`. `relations` are frames `frame_sql` reads by name.
    """

    name: str
    table: Table
    frame_sql: str
    expectations: tuple[SuiteExpectation, ...]
    key_columns: tuple[str, ...] = ()
    slice_key: str | None = None
    written_at: str | None = None
    shared_by_table: str | None = None
    relations: Mapping[str, pl.DataFrame] = field(default_factory=dict, compare=False)

    @property
    def uses_parameters(self) -> bool:
        """Whether an expectation compares with a parameter (now, today), so that the same
        frame may pass at one time and fail at another."""
        return any(
            isinstance(value, Mapping) and "$PARAMETER" in value for expectation in self.expectations for value in expectation.arguments.values()
        )

    def sample_columns(self, expectation: SuiteExpectation) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.key_columns + expectation.context_columns))


@dataclass(frozen=True)
class Derived:
    """A column computed for validation only; `sql` may refer to the table as `t`."""

    name: str
    sql: str


@dataclass(frozen=True)
class Reference:
    """Rows of the table point at a row of `parent`, matched column by column.

    Composite references also check that the copies agree: a segment's doc_id must be its
    story's doc_id, not merely some document's.
    """

    name: str
    columns: tuple[str, ...]
    parent: Table
    parent_columns: tuple[str, ...] | None = None
    parent_filter: str | None = None

    def derived(self) -> Derived:
        pairs = zip(self.columns, self.parent_columns or self.columns, strict=True)
        conditions = [f"p.{parent_column} = t.{column}" for column, parent_column in pairs]
        if self.parent_filter:
            conditions.append(self.parent_filter)
        return Derived(self.name, f"EXISTS (SELECT 1 FROM {self.parent.name} AS p WHERE {' AND '.join(conditions)})")


@dataclass(frozen=True)
class TableRules:
    """What a table needs beyond its contract: derived columns, its own expectations, and
    when a row was written (SQL over `t`; none: every run validates the whole table)."""

    references: tuple[Reference, ...] = ()
    derived: tuple[Derived, ...] = ()
    expectations: tuple[SuiteExpectation, ...] = ()
    written_at: str | None = None


# Builders for the expectations the tables share; `blocking` says which check they join.


def expect(gx_class: str, blocking: bool, where: RowCondition | None = None, context: Sequence[str] = (), **arguments: Any) -> SuiteExpectation:
    return SuiteExpectation(gx_class, arguments, blocking, where, tuple(context))


def at_least(column: str, minimum: int, blocking: bool) -> SuiteExpectation:
    return expect("ExpectColumnValuesToBeBetween", blocking, column=column, min_value=minimum)


def not_after(column: str, limit: Mapping[str, str]) -> SuiteExpectation:
    """Dates and times in the future are warnings: a misdated page, not a broken stage."""
    return expect("ExpectColumnValuesToBeBetween", False, column=column, max_value=limit)


def not_greater(smaller: str, larger: str, blocking: bool, strictly: bool = False, where: RowCondition | None = None) -> SuiteExpectation:
    """smaller <= larger (smaller < larger when strictly) wherever both are set."""
    return expect(
        "ExpectColumnPairValuesAToBeGreaterThanB",
        blocking,
        where,
        column_A=larger,
        column_B=smaller,
        or_equal=not strictly,
        ignore_row_if="either_value_is_missing",
    )


def non_blank(column: str, blocking: bool) -> SuiteExpectation:
    return expect("ExpectColumnValuesToMatchRegex", blocking, column=column, regex=NON_BLANK)


def is_true(column: str, blocking: bool, context: Sequence[str] = ()) -> SuiteExpectation:
    return expect("ExpectColumnValuesToBeInSet", blocking, context=context, column=column, value_set=[True])


def is_false(column: str, blocking: bool, context: Sequence[str] = ()) -> SuiteExpectation:
    return expect("ExpectColumnValuesToBeInSet", blocking, context=context, column=column, value_set=[False])


def length_of(column: str, table: Table, key: str) -> str:
    """SQL: length of `table.column` in the row whose `key` equals this row's `key`."""
    # max(): a duplicated key (reported by that table's own check) must not make this
    # frame unreadable with 'more than one row returned by a subquery'.
    return f"(SELECT max(length(p.{column})) FROM {table.name} AS p WHERE p.{key} = t.{key})"


def in_order(*columns: str, strictly_before: str | None = None) -> tuple[SuiteExpectation, ...]:
    """0 <= first <= second <= ... (offsets, all blocking); `strictly_before` < the next column."""
    return (
        at_least(columns[0], 0, True),
        *(
            not_greater(smaller, larger, True, strictly=smaller == strictly_before)
            for smaller, larger in zip(columns, columns[1:])
        ),
    )


# What the contract alone says about a table.


def columns_suite(table: Table) -> Suite:
    """The table's columns as the catalog has them, one row per column, next to the contract's.

    Three expectations cover every column: a column missing, renamed, added or retyped fails
    the type comparison, one out of place (`insert_frame` inserts by position) the position
    comparison, and one whose NOT NULL or primary key constraint is missing or extra the
    constraint comparison; each failing row names its column.

    DuckDB enforces those constraints on every write, so the rows are not checked for nulls
    or duplicate keys one by one: checking that the constraints are in place covers every
    row at once, and fails as soon as a table loses them (say, rebuilt by another writer),
    not when the first bad row arrives.

    The frame is read for every contract table at once (COLUMNS_FRAMES_SQL): reading the
    catalog costs the same for one table as for all.
    """
    expectations = (
        expect("ExpectColumnPairValuesToBeEqual", True, column_A="contract_type", column_B="database_type"),
        expect("ExpectColumnPairValuesToBeEqual", True, column_A="contract_position", column_B="database_position"),
        expect("ExpectColumnPairValuesToBeEqual", True, column_A="contract_constraints", column_B="database_constraints"),
    )
    return Suite(
        f"{table.name}.columns",
        table,
        COLUMNS_FRAMES_SQL,
        expectations,
        ("column_name",),
        shared_by_table=table.name,
        relations={"contract_columns": CONTRACT_COLUMNS},
    )


def contract_columns(tables: Sequence[Table]) -> pl.DataFrame:
    """Every column of the tables as the contract has it: table, position, name, type, constraints."""
    return pl.DataFrame(
        [
            {
                "table_name": table.name,
                "position": position,
                "column_name": column.name,
                "sql_type": column.sql_type,
                "constraints": contract_constraints(table, column.name),
            }
            for table in tables
            for position, column in enumerate(table.columns, 1)
        ],
        schema={"table_name": pl.String, "position": pl.Int64, "column_name": pl.String, "sql_type": pl.String, "constraints": pl.String},
    )


def columns_frames_sql(tables: Sequence[Table]) -> str:
    """The columns frames of the tables, each row with its table_name: the contract's
    columns (the relation contract_columns) next to the catalog's, matched by name."""
    table_names = ", ".join(sql_string(table.name) for table in tables)
    return f"""
        SELECT table_name, column_name,
            coalesce(contract.position, -1) AS contract_position,
            coalesce(found.position, -1) AS database_position,
            coalesce(contract.sql_type, '{NOT_IN_CONTRACT}') AS contract_type,
            coalesce(found.sql_type, '{NOT_IN_DATABASE}') AS database_type,
            coalesce(contract.constraints, '{NOT_IN_CONTRACT}') AS contract_constraints,
            coalesce(found.constraints, '{NOT_IN_DATABASE}') AS database_constraints
        FROM contract_columns AS contract
        FULL OUTER JOIN (
            SELECT c.table_name, c.column_index AS position, c.column_name, c.data_type AS sql_type,
                concat_ws(', ', CASE WHEN NOT c.is_nullable THEN 'NOT NULL' END, 'PRIMARY KEY ' || k.position) AS constraints
            FROM duckdb_columns() AS c
            LEFT JOIN (
                SELECT table_name, unnest(constraint_column_names) AS column_name, generate_subscripts(constraint_column_names, 1) AS position
                FROM duckdb_constraints()
                WHERE constraint_type = 'PRIMARY KEY' AND schema_name = current_schema()
            ) AS k USING (table_name, column_name)
            WHERE c.schema_name = current_schema() AND c.table_name IN ({table_names})
        ) AS found USING (table_name, column_name)
        ORDER BY table_name, contract.position, found.position
    """


def contract_constraints(table: Table, column_name: str) -> str:
    """As the columns suite reads them from the catalog: 'NOT NULL, PRIMARY KEY 1', 'NOT NULL' or ''.
    DuckDB makes the primary key's columns NOT NULL."""
    in_key = column_name in table.primary_key
    parts = ["NOT NULL"] if in_key or not table.column(column_name).nullable else []
    if in_key:
        parts.append(f"PRIMARY KEY {table.primary_key.index(column_name) + 1}")
    return ", ".join(parts)


def contract_row_expectations(table: Table) -> list[SuiteExpectation]:
    return [
        expect("ExpectColumnValuesToBeInSet", True, column=name, value_set=list(values))
        for name, values in table.allowed_values.items()
    ]


def frame_column(table: Table, name: str) -> str:
    # GX and pandas handle lists and structs poorly; as JSON text they can still be
    # checked for nulls.
    sql_type = table.column(name).sql_type
    nested = sql_type.endswith("[]") or sql_type.startswith("STRUCT(")
    return f"to_json(t.{name}) AS {name}" if nested else f"t.{name}"


def slice_sql(table: Table, select_list: list[str]) -> str:
    """`select_list` over one slice of the table's rows, by the first primary-key column.

    The slice is filtered before any derived column's subquery joins it to other rows, so
    DuckDB builds its join tables from the slice, not from the whole table."""
    key = table.primary_key[0]
    return (
        f"SELECT {', '.join(select_list)} FROM "
        f"(SELECT * FROM {table.name} WHERE {key} IN (SELECT unnest($keys)) OR ($with_null AND {key} IS NULL)) AS t"
    )


def rows_suite(table: Table, rules: TableRules) -> Suite:
    derived = [reference.derived() for reference in rules.references] + list(rules.derived)
    select_list = [frame_column(table, name) for name in table.column_names]
    select_list += [f"{column.sql} AS {column.name}" for column in derived]
    frame_sql = slice_sql(table, select_list)
    expectations = contract_row_expectations(table)
    expectations += [
        is_true(reference.name, True, context=reference.columns) for reference in rules.references
    ]
    expectations += rules.expectations
    return Suite(f"{table.name}.rows", table, frame_sql, tuple(expectations), table.primary_key, table.primary_key[0], rules.written_at)


# What each table needs beyond its contract.

HAS_DOCUMENT = Reference("has_document", ("doc_id",), DOCUMENTS)
HAS_EVENT = Reference("has_event", ("event_id",), EVENTS)

DOCUMENT_LENGTH = Derived("document_length", length_of("raw_text", DOCUMENTS, "doc_id"))

# A sentence is identified by its segment and start offset. The group's lowest possible
# count is compared with the total's highest; an open-ended total ('at least 10 killed,
# including 12 children') cannot be exceeded.
MENTION_GROUP_EXCEEDS_TOTAL = Derived(
    "group_exceeds_total",
    """t.victim_group IS NOT NULL AND EXISTS (
        SELECT 1 FROM extracted_mentions AS total
        WHERE total.segment_id = t.segment_id AND total.char_start = t.char_start
          AND total.casualty_type = t.casualty_type AND total.victim_group IS NULL
          AND total.qualifier NOT IN ('at_least', 'more_than')
          AND coalesce(t.value_low, t.value) > coalesce(total.value_high, total.value))""",
)

# A total stated by no mention is derived from its groups (see casualties.reconcile), so
# the mentions behind a total are any of its type; a group figure needs its own group.
FIGURE_HAS_NON_CLAIM_MENTION = Derived(
    "has_non_claim_mention",
    """EXISTS (
        SELECT 1 FROM casualty_mentions AS m
        WHERE m.event_id = t.event_id AND m.casualty_type = t.casualty_type AND NOT m.is_claim
          AND (t.victim_group IS NULL OR m.victim_group = t.victim_group))""",
)

# The same comparisons casualties.reconcile makes, on best figures; a contradiction is
# fine when event_conflicts lists it.
FIGURE_GROUP_ABOVE_TOTAL_UNLISTED = Derived(
    "group_exceeds_total_unlisted",
    """t.victim_group IS NOT NULL
      AND t.best > (SELECT max(total.best) FROM event_figures AS total
                    WHERE total.event_id = t.event_id AND total.casualty_type = t.casualty_type
                      AND total.victim_group IS NULL)
      AND NOT EXISTS (SELECT 1 FROM event_conflicts AS c
                      WHERE c.event_id = t.event_id AND c.casualty_type = t.casualty_type
                        AND c.victim_group_key = t.victim_group_key AND c.kind = 'group_exceeds_total')""",
)
AFFILIATION_LIST = ", ".join(f"'{group}'" for group in AFFILIATION_GROUPS)
FIGURE_GROUPS_ABOVE_TOTAL_UNLISTED = Derived(
    "groups_exceed_total_unlisted",
    f"""t.victim_group IS NULL
      AND (SELECT count(*) > 1 AND sum(g.best) > t.best FROM event_figures AS g
           WHERE g.event_id = t.event_id AND g.casualty_type = t.casualty_type
             AND g.victim_group IN ({AFFILIATION_LIST}))
      AND NOT EXISTS (SELECT 1 FROM event_conflicts AS c
                      WHERE c.event_id = t.event_id AND c.casualty_type = t.casualty_type
                        AND c.victim_group_key = 'total' AND c.kind = 'groups_exceed_total')""",
)

# When a row was written, for the tables that do not stamp their own rows: a story when
# it was cleaned, a mention when its story was extracted, an event's rows when its
# grouping block was reconciled.
STORY_CLEANED_AT = "(SELECT s.cleaned_at FROM stories AS s WHERE s.story_id = t.story_id)"
STORY_EXTRACTED_AT = "(SELECT l.extracted_at FROM extraction_log AS l WHERE l.story_id = t.story_id)"
BLOCK_RECONCILED_AT = "(SELECT b.reconciled_at FROM reconciled_blocks AS b WHERE b.block = t.grouping_block)"
EVENT_RECONCILED_AT = (
    "(SELECT b.reconciled_at FROM events AS e JOIN reconciled_blocks AS b ON b.block = e.grouping_block WHERE e.event_id = t.event_id)"
)

TABLE_RULES: dict[str, TableRules] = {
    DOCUMENTS.name: TableRules(
        written_at="t.ingested_at",
        expectations=(
            at_least("bytes", 1, True),
            non_blank("raw_text", True),
            not_after("published_at", NOW),
        ),
    ),
    REJECTED_DOCUMENTS.name: TableRules(
        written_at="t.detected_at",
        expectations=(
            at_least("bytes", 0, True),
            non_blank("reason", False),
        ),
    ),
    STORIES.name: TableRules(
        written_at="t.cleaned_at",
        references=(HAS_DOCUMENT,),
        derived=(DOCUMENT_LENGTH,),
        expectations=(
            *in_order("raw_start", "raw_end", "document_length"),
            non_blank("text", True),
            at_least("seq", 0, True),
            *(at_least(count, 0, False) for count in ("n_captions", "n_duplicate_captions", "n_embedded_posts", "n_words")),
            not_after("published_at", NOW),
        ),
    ),
    STORY_SEGMENTS.name: TableRules(
        written_at=STORY_CLEANED_AT,
        references=(Reference("has_story", ("story_id", "doc_id"), STORIES),),
        derived=(DOCUMENT_LENGTH,),
        expectations=(
            *in_order("raw_start", "raw_end", "document_length"),
            non_blank("text", True),
            at_least("seq", 0, True),
            at_least("occurrences", 1, True),
            not_after("posted_at", TODAY),
        ),
    ),
    EXTRACTED_MENTIONS.name: TableRules(
        written_at=STORY_EXTRACTED_AT,
        references=(
            Reference("has_story", ("story_id", "doc_id"), STORIES),
            Reference("has_segment", ("segment_id", "story_id", "segment"), STORY_SEGMENTS, ("segment_id", "story_id", "kind")),
        ),
        derived=(
            Derived("segment_length", length_of("text", STORY_SEGMENTS, "segment_id")),
            MENTION_GROUP_EXCEEDS_TOTAL,
        ),
        expectations=(
            at_least("value", 0, True),
            # 'more than 30' has value 30 and value_low 31, 'fewer than 10' value 10 and
            # value_high 9: the stated number lies outside its bounds by design there.
            not_greater("value_low", "value", True, where=RowCondition("qualifier", "!=", "more_than")),
            not_greater("value", "value_high", True, where=RowCondition("qualifier", "!=", "up_to")),
            not_greater("value_low", "value_high", True),
            *in_order("char_start", "value_start", "value_end", "char_end", "segment_length", strictly_before="value_start"),
            expect("ExpectColumnValuesToNotBeNull", True, RowCondition("is_claim", "==", True), column="claimant"),
            not_greater("event_date", "event_date_end", True),
            is_false(MENTION_GROUP_EXCEEDS_TOTAL.name, False, context=("segment_id", "char_start", "casualty_type", "victim_group", "value")),
            not_after("event_date", TODAY),
            not_after("reported_at", NOW),
        ),
    ),
    EVENTS.name: TableRules(
        written_at=BLOCK_RECONCILED_AT,
        references=(
            Reference("has_document", ("event_id",), EVENT_DOCUMENTS),
            Reference("has_figure", ("event_id",), EVENT_FIGURES),
            Reference("has_mention", ("event_id",), MENTION_EVENTS),
        ),
        derived=(Derived("documents_linked", "(SELECT count(*) FROM event_documents AS d WHERE d.event_id = t.event_id)"),),
        expectations=(
            not_greater("date_start", "date_end", True),
            not_greater("first_reported_at", "last_reported_at", True),
            at_least("n_documents", 1, True),
            expect("ExpectColumnPairValuesToBeEqual", False, column_A="n_documents", column_B="documents_linked"),
            not_after("date_start", TODAY),
            not_after("date_end", TODAY),
            not_after("first_reported_at", NOW),
            not_after("last_reported_at", NOW),
        ),
    ),
    EVENT_FIGURES.name: TableRules(
        written_at=EVENT_RECONCILED_AT,
        references=(HAS_EVENT,),
        derived=(
            Derived("total_or_group", "coalesce(t.victim_group, 'total')"),
            FIGURE_HAS_NON_CLAIM_MENTION,
            FIGURE_GROUP_ABOVE_TOTAL_UNLISTED,
            FIGURE_GROUPS_ABOVE_TOTAL_UNLISTED,
        ),
        expectations=(
            not_greater("low", "best", True),
            not_greater("best", "high", True),
            at_least("n_mentions", 1, True),
            expect("ExpectColumnPairValuesToBeEqual", True, column_A="victim_group_key", column_B="total_or_group"),
            is_true(FIGURE_HAS_NON_CLAIM_MENTION.name, True, context=("casualty_type", "victim_group")),
            is_false(FIGURE_GROUP_ABOVE_TOTAL_UNLISTED.name, False, context=("victim_group", "best")),
            is_false(FIGURE_GROUPS_ABOVE_TOTAL_UNLISTED.name, False, context=("best",)),
        ),
    ),
    EVENT_DOCUMENTS.name: TableRules(references=(HAS_EVENT, HAS_DOCUMENT), written_at=EVENT_RECONCILED_AT),
    EVENT_CLAIMS.name: TableRules(
        written_at=EVENT_RECONCILED_AT,
        references=(
            HAS_EVENT,
            Reference("has_claim_mention", ("mention_id", "event_id"), CASUALTY_MENTIONS, parent_filter="p.is_claim"),
        ),
        expectations=(not_greater("value_low", "value_high", False),),
    ),
    EVENT_CONFLICTS.name: TableRules(
        written_at=EVENT_RECONCILED_AT,
        references=(HAS_EVENT,),
        expectations=(non_blank("details", False),),
    ),
    FIGURE_HISTORY.name: TableRules(
        written_at=EVENT_RECONCILED_AT,
        references=(
            HAS_EVENT,
            Reference("has_mention", ("mention_id", "event_id", "doc_id"), CASUALTY_MENTIONS),
        ),
        expectations=(not_after("reported_at", NOW),),
    ),
    MENTION_EVENTS.name: TableRules(
        written_at=EVENT_RECONCILED_AT,
        references=(HAS_EVENT, Reference("has_mention", ("mention_id",), EXTRACTED_MENTIONS)),
    ),
}


def build_suites(table: Table, rules: TableRules) -> tuple[Suite, ...]:
    suites = (columns_suite(table), rows_suite(table, rules))
    # quality_results is keyed by (run, asset, expectation): two expectations of one
    # table must not read alike.
    readable = [expectation.readable for suite in suites for expectation in suite.expectations]
    duplicates = sorted({text for text in readable if readable.count(text) > 1})
    if duplicates:
        raise ValueError(f"{table.name}: expectations read alike: {duplicates}")
    return suites


CONTRACT_COLUMNS = contract_columns([TABLES_BY_NAME[name] for name in TABLE_RULES])
COLUMNS_FRAMES_SQL = columns_frames_sql([TABLES_BY_NAME[name] for name in TABLE_RULES])

SUITES: dict[str, tuple[Suite, ...]] = {
    name: build_suites(TABLES_BY_NAME[name], rules) for name, rules in TABLE_RULES.items()
}
