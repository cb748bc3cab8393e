"""The report's page, from its rows and the templates beside this module."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import duckdb
from jinja2 import Environment, PackageLoader, StrictUndefined

from casualties.report import charts, words
from casualties.report.queries import REPORT_EVENTS, read_report

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
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
# The events table's number columns, in the order of EVENT_COLUMNS.
NUMBER_COLUMNS = (
    "killed_low", "killed_best", "killed_high", "injured_low", "injured_best", "injured_high", "n_documents", "n_sources",
)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("casualties.report", "templates"),
        # Every value from the database is text, never markup: a scraped '<script>' must print as such.
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A missing value prints as nothing, not as 'None'.
        finalize=lambda value: "" if value is None else value,
    )
    env.filters.update(
        number=words.number, timestamp=words.timestamp, country=words.country, place=words.place, dates=words.dates
    )
    env.tests.update(on_map=words.on_map, web_address=words.is_web_address)
    env.globals.update(
        figure_label=words.figure_label,
        highlight=words.highlight,
        history_chart=charts.history_chart,
        place_chart=charts.place_chart,
        country_bar_chart=charts.country_bar_chart,
    )
    return env


def render_report(
    conn: duckdb.DuckDBPyConnection, generated_at: datetime | None = None, max_events: int = REPORT_EVENTS
) -> str:
    """The whole report as one HTML page; `generated_at` defaults to now (UTC)."""
    data = read_report(conn, max_events)
    return environment().get_template("report.html.j2").render(
        generated_at=generated_at or datetime.now(timezone.utc),
        counts=data.counts,
        events=data.events,
        killed_by_country=data.killed_by_country,
        section=data.section,
        event_columns=EVENT_COLUMNS,
        number_columns=NUMBER_COLUMNS,
    )


def write_report(conn: duckdb.DuckDBPyConnection, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(conn), encoding="utf-8")
    return path
