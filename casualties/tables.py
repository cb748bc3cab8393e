"""The contract with analysts: every table's columns, types, keys and descriptions.

This one definition feeds the DuckDB DDL and `COMMENT ON` statements, the Great
Expectations schema expectations, the Polars schemas used when writing, and the column
schema shown in the Dagster UI. Table and column names here are fixed by the issues;
add columns freely, rename none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    description: str
    nullable: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    stage: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    allowed_values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A view's SELECT over other tables of the contract; None for a table.
    view_sql: str | None = None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def create_sql(self, name: str | None = None) -> str:
        """The table's CREATE statement, under another name when given (a staging copy)."""
        if self.view_sql is not None:
            return f"CREATE OR REPLACE VIEW {self.name} AS {self.view_sql}"
        lines = [
            f"{column.name} {column.sql_type}{'' if column.nullable else ' NOT NULL'}"
            for column in self.columns
        ]
        lines.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        body = ",\n  ".join(lines)
        return f"CREATE TABLE IF NOT EXISTS {name or self.name} (\n  {body}\n)"

    def comments(self) -> dict[str | None, str]:
        """The table's description (under None) and each column's, as the catalog keeps them."""
        return {None: self.description, **{column.name: column.description for column in self.columns}}

    def comment_sql(self, column_name: str | None) -> str:
        target = f"{'VIEW' if self.view_sql else 'TABLE'} {self.name}" if column_name is None else f"COLUMN {self.name}.{column_name}"
        return f"COMMENT ON {target} IS {sql_string(self.comments()[column_name])}"

    def polars_schema(self) -> dict[str, pl.DataType]:
        return {column.name: polars_type(column.sql_type) for column in self.columns}


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_SCALAR_TYPES: dict[str, pl.DataType] = {
    "VARCHAR": pl.String(),
    "INTEGER": pl.Int32(),
    "BIGINT": pl.Int64(),
    "DOUBLE": pl.Float64(),
    "BOOLEAN": pl.Boolean(),
    "DATE": pl.Date(),
    "TIMESTAMP": pl.Datetime("us"),
}


def polars_type(sql_type: str) -> pl.DataType:
    if sql_type.endswith("[]"):
        return pl.List(polars_type(sql_type[:-2]))
    if sql_type.startswith("STRUCT("):
        fields = [part.strip().split(" ", 1) for part in sql_type[7:-1].split(",")]
        return pl.Struct({name: polars_type(kind) for name, kind in fields})
    return _SCALAR_TYPES[sql_type]


CASUALTY_TYPES = ("killed", "injured", "hospitalized", "missing", "detained", "arrested", "displaced")
VICTIM_GROUPS = (
    "children",
    "civilians",
    "women",
    "protesters",
    "security_forces",
    "military",
    "journalists",
    "aid_workers",
    "medics",
    "perpetrators",  # gunmen, bombers, suspects: in the totals GVA and GTD keep, and marked so analysts can leave them out
)
QUALIFIERS = ("exact", "at_least", "more_than", "up_to", "about")
SEGMENT_KINDS = ("headline", "body", "caption", "embedded_post")
LOCATION_PRECISIONS = ("city", "region", "country")
DATE_PRECISIONS = ("day", "week", "month", "period")
DATE_BASES = ("text", "posting", "publication")
FIGURE_POLICIES = ("max_non_party", "conservative")

DOCUMENTS = Table(
    name="documents",
    stage="raw",
    description="One row per distinct document content read from the input folder (stage raw).",
    primary_key=("doc_id",),
    columns=(
        Column("doc_id", "VARCHAR", "Stable id: first 16 hex digits of the SHA-256 of the decoded text and its publication day (if stated).", False),
        Column("source_uri", "VARCHAR", "Path relative to the input folder where the content was first seen; 'path#line' for a JSONL line.", False),
        Column("source_uris", "VARCHAR[]", "Every name under which this same content was found, sorted.", False),
        Column("external_id", "VARCHAR", "The JSONL 'id' field, else null."),
        Column("format", "VARCHAR", "Input format: txt, html or jsonl.", False),
        Column("title", "VARCHAR", "Title from JSONL metadata or the HTML <title>, else null."),
        Column("url", "VARCHAR", "URL from JSONL metadata or an HTML canonical link, else null."),
        Column("publisher", "VARCHAR", "Publisher from JSONL metadata or HTML meta tags, else null."),
        Column("published_at", "TIMESTAMP", "Publication time from JSONL/HTML metadata, else null (the cleaner may find one in the text)."),
        Column("encoding", "VARCHAR", "Encoding the bytes were decoded with: utf-8, utf-8-sig, utf-16, utf-32 (read by their byte order mark) or cp1252.", False),
        Column("bytes", "BIGINT", "Size in bytes of the file, or of the JSONL line.", False),
        Column("raw_text", "VARCHAR", "The decoded text; for HTML the visible text with one block per line. Offsets elsewhere point into it.", False),
        Column("ingested_at", "TIMESTAMP", "When this content was first stored.", False),
        Column(
            "warnings",
            "VARCHAR[]",
            "What was wrong with the item without stopping it being stored, in words: bytes that are not UTF-8 "
            "replaced by U+FFFD (with the first one's offset), a published_at that is not a time (left empty). "
            "Empty when nothing was; null for documents stored before this column.",
        ),
    ),
    allowed_values={"format": ("txt", "html", "jsonl")},
)

REJECTED_DOCUMENTS = Table(
    name="rejected_documents",
    stage="raw",
    description="Input items that could not be stored as documents, with the reason (stage raw).",
    primary_key=("rejection_id",),
    columns=(
        Column("rejection_id", "VARCHAR", "Stable id: hash of source_uri and the rejected bytes (of the reason, for an item skipped unread).", False),
        Column("source_uri", "VARCHAR", "Path relative to the input folder; 'path#line' for a JSONL line.", False),
        Column("reason", "VARCHAR", "Why it was rejected, in words a person understands; 'skipped: ...' for an item the listing passed over unread (hidden, not a regular file, a link not followed, a name that is not UTF-8, an unreadable folder).", False),
        Column("bytes", "BIGINT", "Size in bytes of the rejected item; 0 for an item skipped unread.", False),
        Column("detected_at", "TIMESTAMP", "When it was first rejected.", False),
    ),
)

STORIES = Table(
    name="stories",
    stage="cleaned",
    description="One row per news story: a document split into its stories, chrome removed (stage cleaned).",
    primary_key=("story_id",),
    columns=(
        Column("story_id", "VARCHAR", "Stable id: '<doc_id>-<seq>'.", False),
        Column("doc_id", "VARCHAR", "The document this story comes from.", False),
        Column("seq", "INTEGER", "Position of the story in its document, from 0.", False),
        Column("title", "VARCHAR", "Headline: metadata title, or the first headline-like line of the page."),
        Column("publisher", "VARCHAR", "Publisher: metadata, or the agency named in the dateline (AP, Reuters)."),
        Column("dateline", "VARCHAR", "Dateline place as written, e.g. 'KYIV, Ukraine'."),
        Column("published_at", "TIMESTAMP", "When the story was published, as stated by metadata or its own text; null if neither says."),
        Column("date_source", "VARCHAR", "Where published_at came from: metadata, page_timestamp, text, caption, embedded_post or null."),
        Column("text", "VARCHAR", "The clean body: paragraphs joined by blank lines, quotes and dashes normalised one-for-one.", False),
        Column("raw_start", "INTEGER", "Offset in documents.raw_text where the story begins.", False),
        Column("raw_end", "INTEGER", "Offset in documents.raw_text where the story ends.", False),
        Column("offset_map", "STRUCT(text_start INTEGER, raw_start INTEGER, length INTEGER)[]", "Pieces mapping text offsets back to raw_text: text[text_start:+length] == normalised raw_text[raw_start:+length].", False),
        Column("removed_lines", "VARCHAR[]", "Page chrome removed from the story (one entry per distinct line).", False),
        Column("n_captions", "INTEGER", "Distinct photo captions found (stored in story_segments).", False),
        Column("n_duplicate_captions", "INTEGER", "Repeated caption copies collapsed away.", False),
        Column("n_embedded_posts", "INTEGER", "Embedded social-media posts found (stored in story_segments).", False),
        Column("n_words", "INTEGER", "Words in the clean body.", False),
        Column("cleaned_at", "TIMESTAMP", "When the cleaned stage wrote the story (null for stories written before this column): the checks of a run validate the rows it wrote."),
    ),
)

STORY_SEGMENTS = Table(
    name="story_segments",
    stage="cleaned",
    description="Every segment of a story, marked by kind: headline, body, caption, embedded_post (stage cleaned). The body segment's text equals stories.text.",
    primary_key=("segment_id",),
    columns=(
        Column("segment_id", "VARCHAR", "Stable id: '<story_id>-<kind>-<seq>'.", False),
        Column("story_id", "VARCHAR", "The story this segment belongs to.", False),
        Column("doc_id", "VARCHAR", "The document this segment comes from.", False),
        Column("kind", "VARCHAR", "headline, body, caption or embedded_post.", False),
        Column("seq", "INTEGER", "Position among the story's segments of this kind, from 0.", False),
        Column("text", "VARCHAR", "Normalised segment text.", False),
        Column("raw_start", "INTEGER", "Offset in documents.raw_text of the first occurrence.", False),
        Column("raw_end", "INTEGER", "End offset in documents.raw_text of the first occurrence.", False),
        Column("occurrences", "INTEGER", "How many times this exact segment appears in the story (repeated captions).", False),
        Column("author", "VARCHAR", "Author of an embedded post ('Name (@handle)') or credit of a caption."),
        Column("posted_at", "DATE", "Date stated by an embedded post or a caption."),
    ),
    allowed_values={"kind": SEGMENT_KINDS},
)

# The columns extraction writes; casualty_mentions adds the event_id reconciliation gives.
MENTION_COLUMNS = (
    Column("mention_id", "VARCHAR", "Stable id: hash of segment, figure span, type and group.", False),
    Column("doc_id", "VARCHAR", "Document the figure comes from.", False),
    Column("story_id", "VARCHAR", "Story the figure comes from.", False),
    Column("segment_id", "VARCHAR", "Segment the figure comes from; char offsets point into its text (the story text for the body).", False),
    Column("segment", "VARCHAR", "Kind of segment: body, caption, embedded_post or headline.", False),
    Column("casualty_type", "VARCHAR", "killed, injured, hospitalized, missing, detained, arrested or displaced.", False),
    Column("victim_group", "VARCHAR", "Null for the total, else children, civilians, protesters, security_forces, military, perpetrators, ..."),
    Column("value", "BIGINT", "The stated number (null only for a vague amount such as 'dozens')."),
    Column("qualifier", "VARCHAR", "exact, at_least, more_than, up_to or about.", False),
    Column("value_low", "BIGINT", "Lowest count the statement allows ('more than 30' -> 31)."),
    Column("value_high", "BIGINT", "Highest count the statement allows ('up to 85' -> 85); null when unbounded."),
    Column("value_text", "VARCHAR", "The words of the figure as written ('at least 14 people').", False),
    Column("sentence", "VARCHAR", "The sentence stating the figure.", False),
    Column("char_start", "INTEGER", "Start of the sentence in the segment text (the story text for the body).", False),
    Column("char_end", "INTEGER", "End of the sentence in the segment text.", False),
    Column("value_start", "INTEGER", "Start of the figure's words in the segment text.", False),
    Column("value_end", "INTEGER", "End of the figure's words in the segment text.", False),
    Column("location", "VARCHAR", "Resolved place name (gazetteer spelling)."),
    Column("geonameid", "BIGINT", "GeoNames id of the place."),
    Column("country_code", "VARCHAR", "ISO 3166-1 alpha-2 country code."),
    Column("admin1", "VARCHAR", "First-level administrative region code of the place (GeoNames)."),
    Column("latitude", "DOUBLE", "Latitude of the place."),
    Column("longitude", "DOUBLE", "Longitude of the place."),
    Column("location_precision", "VARCHAR", "city, region or country."),
    Column("event_date", "DATE", "Date of the incident, resolved against the story's date; null when undated."),
    Column("event_date_precision", "VARCHAR", "day, week, month or period."),
    Column("event_date_end", "DATE", "Last day when the figure covers a period (e.g. weeks of protests); else equals event_date."),
    Column(
        "event_date_basis",
        "VARCHAR",
        "What the date rests on: text (the story names the day or period), posting (the date of the caption or "
        "post stating the figure) or publication (the story names no day: the week up to its publication).",
    ),
    Column("attack_kind", "VARCHAR", "Kind of attack when stated: missile strike, drone attack, shelling, shooting, crackdown, ..."),
    Column("weapon", "VARCHAR", "Weapon when stated: ballistic missile, drones, artillery, ..."),
    Column("attributed_to", "VARCHAR", "Who gave the figure, when the text says so."),
    Column("is_claim", "BOOLEAN", "True for a figure claimed by a party to the fighting about its enemy's losses.", False),
    Column("claimant", "VARCHAR", "The party making the claim (set when is_claim)."),
    Column("is_historical", "BOOLEAN", "True when the figure belongs to an earlier event cited for comparison.", False),
    Column("counts_named_victims", "BOOLEAN", "True when the figure counts victims the sentence names one by one ('a man was killed', 'killed her and three others') rather than stating a toll: it sets an event's figure only where no report states one."),
    Column("counts_all_shot", "BOOLEAN", "True for a count of people shot ('four people were shot') that may hold some who died: an event whose wounded only such counts give has as wounded those shot less its dead (none when as many died as were shot)."),
    Column("is_aggregate", "BOOLEAN", "True for a running total over a whole conflict or the year so far ('killed since the war began', 'shot this year'): never an event's figure."),
    Column("reported_at", "TIMESTAMP", "When the story reporting the figure was published (stories.published_at)."),
    Column("publisher", "VARCHAR", "Publisher of the story reporting the figure."),
)
MENTION_VALUES = {
    "casualty_type": CASUALTY_TYPES,
    "victim_group": VICTIM_GROUPS,
    "qualifier": QUALIFIERS,
    "segment": SEGMENT_KINDS,
    "location_precision": LOCATION_PRECISIONS,
    "event_date_precision": DATE_PRECISIONS,
    "event_date_basis": DATE_BASES,
}

EXTRACTED_MENTIONS = Table(
    name="extracted_mentions",
    stage="extracted",
    description="One row per casualty figure stated in a story, with its words, place, date, source and qualifier (stage extracted). "
    "Analysts read it as casualty_mentions, which adds the event each figure joined.",
    primary_key=("mention_id",),
    columns=MENTION_COLUMNS,
    allowed_values=MENTION_VALUES,
)

INPUT_FILES = Table(
    name="input_files",
    stage="raw",
    description="Every input file read, with the size and change time it had then: a run reads only new or changed files (stage raw).",
    primary_key=("source_path",),
    columns=(
        Column("source_path", "VARCHAR", "Absolute path of the file below the resolved input folder, however the folder was named.", False),
        Column("bytes", "BIGINT", "Size in bytes when it was read.", False),
        Column("changed_ns", "BIGINT", "Status change time (ctime) when it was read, in nanoseconds since the epoch: any write, rename or permission change moves it.", False),
        Column("read_at", "TIMESTAMP", "When it was last read.", False),
    ),
)

EXTRACTION_LOG = Table(
    name="extraction_log",
    stage="extracted",
    description="Which story text was extracted with which rules: lets a run extract only new or changed stories (stage extracted).",
    primary_key=("story_id",),
    columns=(
        Column("story_id", "VARCHAR", "The story extracted.", False),
        Column("text_hash", "VARCHAR", "MD5 of the story text when it was extracted.", False),
        Column("rules_version", "VARCHAR", "Version of the extraction's code, data files and model used (a hash).", False),
        Column("n_mentions", "INTEGER", "Mentions found in the story and its segments.", False),
        Column("extracted_at", "TIMESTAMP", "When it was extracted.", False),
        Column("error", "VARCHAR", "Why extraction failed on this story, which then has no mentions until its text or the rules change; null when it succeeded."),
    ),
)

STORY_NAMES = Table(
    name="story_names",
    stage="extracted",
    description="The names each story uses: capitalised words other than sentence openers, weekdays, months, titles, common words "
    "and the names of countries, regions and large cities, lower-cased, person-like pairs of them ('tyrell quarles') "
    "and the streets and counties it names with their kind ('harrison-street', 'rankin-county') (casualties.names). Reconciliation ties two stories published within two weeks that share two names found in at most "
    "three documents, one of them a pair: a victim or suspect, with a street or venue (stage extracted).",
    primary_key=("story_id", "name"),
    columns=(
        Column("story_id", "VARCHAR", "The story.", False),
        Column("name", "VARCHAR", "A name the story uses, lower-cased ('gillespie', 'ann gillespie').", False),
    ),
)

EVENTS = Table(
    name="events",
    stage="reconciled",
    description="One row per real-world event, however many stories reported it (stage reconciled).",
    primary_key=("event_id",),
    columns=(
        Column("event_id", "VARCHAR", "Stable id: hash of the event's place, start date and kind.", False),
        Column("location", "VARCHAR", "Place name (gazetteer spelling); null for a country-wide event."),
        Column("geonameid", "BIGINT", "GeoNames id of the place."),
        Column("country_code", "VARCHAR", "ISO 3166-1 alpha-2 country code."),
        Column("admin1", "VARCHAR", "First-level administrative region code."),
        Column("latitude", "DOUBLE", "Latitude of the place."),
        Column("longitude", "DOUBLE", "Longitude of the place."),
        Column("date_start", "DATE", "First day of the event."),
        Column("date_end", "DATE", "Last day of the event (equals date_start for a one-day event)."),
        Column("date_precision", "VARCHAR", "day, week, month or period."),
        Column(
            "date_basis",
            "VARCHAR",
            "What the dates rest on: text (a report names the day or period), posting (a caption's or post's date) "
            "or publication (no report names a day: date_start and date_end are then the day of the first report, "
            "the most likely day, and date_precision 'week' says the incident may lie up to six days before it).",
        ),
        Column("kind", "VARCHAR", "Kind of attack or incident."),
        Column("n_documents", "INTEGER", "Documents reporting the event.", False),
        Column("n_sources", "INTEGER", "Distinct publishers reporting the event.", False),
        Column("first_reported_at", "TIMESTAMP", "Earliest publication time among its reports."),
        Column("last_reported_at", "TIMESTAMP", "Latest publication time among its reports."),
        Column(
            "merged_on",
            "VARCHAR",
            "Why its documents were merged, clue by clue: the place, day and kind they share, the figures that tie "
            "their stories, the toll a later report of the place restates, the rare names their stories share (and the "
            "toll both state, where that ties them), why a report without a day of its own joined it, or the town "
            "named in the headline of an article stating no figure; null for a single document.",
        ),
        Column(
            "grouping_block",
            "VARCHAR",
            "The place that bounds this event's grouping: its region `r:<country>:<admin1>`, else its site "
            "(`c:<country>`, `g:<geonameid>`, `l:<country>` for cities without a GeoNames id, `s:<story_id>`), or `shared-sites` for "
            "the places whose mentions disagree on their region. No event's mentions lie in two blocks, so "
            "reconciliation redoes only the blocks whose mentions changed; null for events reconciled before blocks.",
        ),
    ),
    allowed_values={"date_precision": DATE_PRECISIONS, "date_basis": DATE_BASES},
)

EVENT_FIGURES = Table(
    name="event_figures",
    stage="reconciled",
    description="Low / best / high figure per event, casualty type and victim group; claims never enter (stage reconciled).",
    primary_key=("event_id", "casualty_type", "victim_group_key"),
    columns=(
        Column("event_id", "VARCHAR", "The event.", False),
        Column("casualty_type", "VARCHAR", "killed, injured, hospitalized, missing, detained, ...", False),
        Column("victim_group", "VARCHAR", "Null for the total, else the victim group."),
        Column("victim_group_key", "VARCHAR", "victim_group, or 'total' for the total: part of the key because keys cannot be null.", False),
        Column("low", "BIGINT", "Lowest figure reported."),
        Column("best", "BIGINT", "Best estimate under the policy."),
        Column("high", "BIGINT", "Highest figure reported."),
        Column("n_mentions", "INTEGER", "Mentions behind the figure.", False),
        Column("policy", "VARCHAR", "Policy that chose best: max_non_party (highest non-party figure) or conservative (= low).", False),
    ),
)

EVENT_DOCUMENTS = Table(
    name="event_documents",
    stage="reconciled",
    description="Which documents report which event (stage reconciled).",
    primary_key=("event_id", "doc_id"),
    columns=(
        Column("event_id", "VARCHAR", "The event.", False),
        Column("doc_id", "VARCHAR", "A document reporting it.", False),
    ),
)

EVENT_CLAIMS = Table(
    name="event_claims",
    stage="reconciled",
    description="Figures claimed by a party to the fighting about its enemy's losses: kept, attributed, never counted (stage reconciled).",
    primary_key=("mention_id",),
    columns=(
        Column("event_id", "VARCHAR", "The event the claim is about.", False),
        Column("claimant", "VARCHAR", "Who claims it.", False),
        Column("casualty_type", "VARCHAR", "Claimed casualty type.", False),
        Column("victim_group", "VARCHAR", "Claimed victim group."),
        Column("value_low", "BIGINT", "Lowest count the claim allows."),
        Column("value_high", "BIGINT", "Highest count the claim allows."),
        Column("mention_id", "VARCHAR", "The mention stating the claim.", False),
    ),
)

EVENT_CONFLICTS = Table(
    name="event_conflicts",
    stage="reconciled",
    description="Contradictions a person should look at: a group above its total, a source lowering its own figure, figures far apart (stage reconciled).",
    primary_key=("event_id", "casualty_type", "victim_group_key", "kind"),
    columns=(
        Column("event_id", "VARCHAR", "The event.", False),
        Column("casualty_type", "VARCHAR", "Casualty type concerned.", False),
        Column("victim_group", "VARCHAR", "Victim group concerned; null for the total."),
        Column("victim_group_key", "VARCHAR", "victim_group, or 'total'.", False),
        Column("kind", "VARCHAR", "group_exceeds_total, groups_exceed_total, source_lowered, ratio_exceeded, fits_several_events (a report "
            "that fits several events, left in one of its own).", False),
        Column("details", "VARCHAR", "What disagrees, in words, with the figures.", False),
    ),
)

FIGURE_HISTORY = Table(
    name="figure_history",
    stage="reconciled",
    description="How each event's toll evolved, report by report (stage reconciled).",
    primary_key=("mention_id",),
    columns=(
        Column("event_id", "VARCHAR", "The event.", False),
        Column("casualty_type", "VARCHAR", "Casualty type.", False),
        Column("victim_group", "VARCHAR", "Victim group; null for the total."),
        Column("reported_at", "TIMESTAMP", "When the report was published (null when undated)."),
        Column("value", "BIGINT", "The figure reported."),
        Column("doc_id", "VARCHAR", "The document.", False),
        Column("mention_id", "VARCHAR", "The mention.", False),
        Column("publisher", "VARCHAR", "Who published the report."),
    ),
)

RECONCILED_BLOCKS = Table(
    name="reconciled_blocks",
    stage="reconciled",
    description="Each grouping block's input mentions and settings when it was last reconciled: a run redoes only the blocks whose mentions or settings changed (stage reconciled).",
    primary_key=("block",),
    allowed_values={"policy": FIGURE_POLICIES},
    columns=(
        Column("block", "VARCHAR", "The grouping block, as in events.grouping_block.", False),
        Column("mention_count", "BIGINT", "Mentions in the block.", False),
        Column("input_hash", "VARCHAR", "bit_xor of DuckDB's hash() of every input column reconciliation reads, over the block's mentions; "
            "then, when its stories are tied by names, ':' and the bit_xor of the ties' hashes.", False),
        Column("policy", "VARCHAR", "Figure policy used: max_non_party or conservative.", False),
        Column("ratio_threshold", "DOUBLE", "Ratio above which figures were listed as conflicts.", False),
        Column("reconciled_at", "TIMESTAMP", "When the block was reconciled.", False),
    ),
)

MENTION_EVENTS = Table(
    name="mention_events",
    stage="reconciled",
    description="The event each casualty figure joined: every extracted mention but running totals (stage reconciled).",
    primary_key=("mention_id",),
    columns=(
        Column("mention_id", "VARCHAR", "The mention (extracted_mentions).", False),
        Column("event_id", "VARCHAR", "The event it joined.", False),
    ),
)

# What analysts query: the extracted stage's mentions with the reconciled stage's links, as
# one relation whose rows each stage owns its part of.
CASUALTY_MENTIONS = Table(
    name="casualty_mentions",
    stage="view",
    description="A view: every row of extracted_mentions, with the event_id mention_events gives it.",
    primary_key=("mention_id",),
    columns=(
        *MENTION_COLUMNS,
        Column("event_id", "VARCHAR", "The reconciled event this figure joined; null until reconciliation, and for a running total."),
    ),
    allowed_values=MENTION_VALUES,
    view_sql=(
        f"SELECT {', '.join('m.' + column.name for column in MENTION_COLUMNS)}, e.event_id "
        "FROM extracted_mentions AS m LEFT JOIN mention_events AS e USING (mention_id)"
    ),
)

QUALITY_RESULTS = Table(
    name="quality_results",
    stage="quality",
    description="Every outcome of every run's checks, appended, whichever stage: each Great Expectations expectation, and each SQL check (data_quality.suites).",
    primary_key=("run_id", "asset", "expectation"),
    columns=(
        Column("run_id", "VARCHAR", "Dagster run id.", False),
        Column("stage", "VARCHAR", "raw, cleaned, extracted or reconciled.", False),
        Column("asset", "VARCHAR", "Table checked.", False),
        Column("expectation", "VARCHAR", "GX expectation with its arguments, e.g. expect_column_values_to_not_be_null(column=doc_id), or the SQL check's name, e.g. has_segment.", False),
        Column("success", "BOOLEAN", "Whether it held.", False),
        Column("unexpected_count", "BIGINT", "Rows that broke it (null when the table could not be read)."),
        Column("details", "VARCHAR", "As JSON: the asset check it belongs to, whether it blocks, a sample of failing rows with their keys, and GX's result (with the query, for a SQL check).", False),
        Column("checked_at", "TIMESTAMP", "When it was checked.", False),
    ),
)

ALL_TABLES: tuple[Table, ...] = (
    DOCUMENTS,
    REJECTED_DOCUMENTS,
    INPUT_FILES,
    STORIES,
    STORY_SEGMENTS,
    EXTRACTED_MENTIONS,
    EXTRACTION_LOG,
    STORY_NAMES,
    EVENTS,
    EVENT_FIGURES,
    EVENT_DOCUMENTS,
    EVENT_CLAIMS,
    EVENT_CONFLICTS,
    FIGURE_HISTORY,
    MENTION_EVENTS,
    RECONCILED_BLOCKS,
    CASUALTY_MENTIONS,  # a view of two tables above: after them
    QUALITY_RESULTS,
)

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in ALL_TABLES}
