"""The report's charts, drawn here as inline SVG: no script, no network, readable as a file.

Each renderer takes the report's rows and returns finished markup, every text from the
database escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

from casualties.report.queries import Row
from casualties.report.words import country, dates, figure_label, number, on_map, place, timestamp

# Beyond this many points a history chart's publisher labels overprint each other;
# the tooltips still name every publisher.
HISTORY_LABEL_LIMIT = 30
SERIES_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#8c564b")


def _nice_step(span: float, max_ticks: int) -> float:
    """The smallest 1, 2 or 5 times a power of ten that cuts `span` into at most `max_ticks` steps."""
    raw = span / max_ticks if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(multiple * magnitude for multiple in (1, 2, 5, 10) if multiple * magnitude >= raw)


def _svg_open(width: float, height: float, css_class: str, label: str) -> str:
    return (
        f'<svg class="chart {css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(label)}">'
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
        grouped.setdefault(figure_label(row["casualty_type"], row["victim_group"]), []).append(row)
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


def history_chart(history: list[Row]) -> Markup:
    series, not_plotted = _history_series(history)
    dated = [row for line in series for row in line.dated]
    undated = [row for line in series for row in line.undated]
    width, left, right, top = 720.0, 56.0, 16.0, 18.0
    if not dated and not undated:
        return Markup(
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
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{number(tick)}</text>')

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
                f"{escape(moment.strftime(time_format))}</text>"
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
            tooltip = f"{line.label}: {row['value']:,} — {row['publisher'] or 'unknown publisher'}, {timestamp(row['reported_at'])}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{line.colour}"><title>{escape(tooltip)}</title></circle>'
            )
            if label_points:
                parts.append(_side_label("point-label", x, y - 7, 5.0, width, escape(row["publisher"] or "?")))

    for line, (legend_x, legend_row) in zip(series, legend):
        legend_y = legend_top + 16.0 * legend_row
        parts.append(f'<rect x="{legend_x:.0f}" y="{legend_y:.0f}" width="12" height="12" fill="{line.colour}"/>')
        parts.append(f'<text class="legend" x="{legend_x + 16:.0f}" y="{legend_y + 10:.0f}">{escape(line.label)}</text>')
    if not_plotted:
        parts.append(
            f'<text class="legend" x="{left}" y="{legend_bottom + 10:.0f}">'
            f"{not_plotted} vague report{'s' if not_plotted != 1 else ''} (e.g. 'dozens') not plotted</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


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


def place_chart(events: list[Row]) -> Markup:
    placed = [event for event in events if on_map(event)]
    if not placed:
        return Markup('<p class="hint">No event has coordinates.</p>')
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
        tooltip = f"{place(event)}, {dates(event)}: {number(event['killed_best'])} killed (best)"
        parts.append(
            f'<a href="#{escape("event-" + event["event_id"])}"><circle class="event-dot" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}">'
            f"<title>{escape(tooltip)}</title></circle></a>"
        )
        # One label per spot: several events at one town would print its name on top of itself.
        spot = (round(x), round(y))
        if spot not in labelled:
            labelled.add(spot)
            parts.append(_side_label("place-label", x, y + 4, radius + 3, width, escape(place(event))))
    parts.append("</svg>")
    return Markup("".join(parts))


def _multiples(low: float, high: float, step: float) -> list[float]:
    first = math.ceil(low / step)
    last = math.floor(high / step)
    return [index * step for index in range(first, last + 1)]


def country_bar_chart(rows: list[Row]) -> Markup:
    if not rows:
        return Markup('<p class="hint">No event has a figure of people killed.</p>')
    width, label_width, bar_height, gap = 720.0, 170.0, 20.0, 6.0
    height = len(rows) * (bar_height + gap) + gap
    largest = max(row["killed_best"] for row in rows) or 1
    bar_room = width - label_width - 90
    parts = [_svg_open(width, height, "country-chart", "People killed by country")]
    for index, row in enumerate(rows):
        y = gap + index * (bar_height + gap)
        bar = max(1.0, bar_room * row["killed_best"] / largest)
        events_word = "event" if row["n_events"] == 1 else "events"
        tooltip = f"{number(row['killed_best'])} killed in {row['n_events']} {events_word}"
        parts.append(
            f'<text class="bar-label" x="{label_width - 8}" y="{y + 14:.0f}" text-anchor="end">'
            f"{escape(country(row['country_code']))}</text>"
        )
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y:.0f}" width="{bar:.1f}" height="{bar_height}">'
            f"<title>{escape(tooltip)}</title></rect>"
        )
        parts.append(
            f'<text class="bar-value" x="{label_width + bar + 6:.1f}" y="{y + 14:.0f}">{number(row["killed_best"])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
