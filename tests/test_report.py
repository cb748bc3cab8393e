"""The analyst report rendered from a small, hand-built reconciled database.

Three events: a missile strike on Kharkiv whose toll rises report by report (three
publishers, one undated report, a claim by a party to the fighting), a strike on Odesa
with a conflict between figures and a scraped sentence carrying a script tag, and a
country-wide crackdown in Iran with no coordinates and a total derived from groups.
"""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import polars as pl
import pytest

from casualties.db import ensure_tables, insert_frame
from casualties.report import SENTENCES_PER_FIGURE, render_report, write_report
from contract_rows import insert_rows
from casualties.tables import (
    CASUALTY_MENTIONS,
    DOCUMENTS,
    EVENT_CLAIMS,
    EVENT_CONFLICTS,
    EVENT_DOCUMENTS,
    EVENT_FIGURES,
    EVENTS,
    FIGURE_HISTORY,
    STORIES,
)

GENERATED_AT = datetime(2026, 2, 1, 12, 0, tzinfo=timezone.utc)
SCRIPT_SENTENCE = "Officials said 20 people were killed <script>alert(1)</script> in the strike."
KHARKIV, ODESA, IRAN = "kharkiv0000000001", "odesa00000000002", "iran000000000003"


# ---------------------------------------------------------------------------------------
# A minimal DOM, so assertions look at the element they mean rather than the whole page


VOID_ELEMENTS = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def descendants(self) -> list[Element]:
        found: list[Element] = []
        for child in self.children:
            if isinstance(child, Element):
                found += [child, *child.descendants()]
        return found

    def find_all(self, tag: str, css_class: str | None = None) -> list[Element]:
        return [
            element
            for element in self.descendants()
            if element.tag == tag and (css_class is None or css_class in element.attrs.get("class", "").split())
        ]

    def by_id(self, element_id: str) -> Element:
        return next(element for element in self.descendants() if element.attrs.get("id") == element_id)


class TreeBuilder(HTMLParser):
    """Builds the tree and fails on any end tag that does not close the open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Element:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def cell_texts(row: Element) -> list[str]:
    return [" ".join(cell.text().split()) for cell in row.find_all("td")]


# ---------------------------------------------------------------------------------------
# The database


def mention(
    mention_id: str,
    doc_id: str,
    sentence: str,
    value_text: str,
    casualty_type: str,
    value: int | None,
    publisher: str | None,
    reported_at: datetime | None,
    *,
    victim_group: str | None = None,
    value_low: int | None = None,
    value_high: int | None = None,
    qualifier: str = "exact",
    segment: str = "body",
    attributed_to: str | None = None,
    is_claim: bool = False,
    claimant: str | None = None,
    event_id: str,
) -> dict:
    # Sentences sit somewhere inside their story: offsets are relative to the story, not the sentence.
    char_start = 120
    value_start = char_start + sentence.index(value_text)
    return {
        "mention_id": mention_id,
        "doc_id": doc_id,
        "story_id": f"{doc_id}-0",
        "segment_id": f"{doc_id}-0-{segment}-0",
        "segment": segment,
        "casualty_type": casualty_type,
        "victim_group": victim_group,
        "value": value,
        "qualifier": qualifier,
        "value_low": value if value_low is None else value_low,
        "value_high": value if value_high is None else value_high,
        "value_text": value_text,
        "sentence": sentence,
        "char_start": char_start,
        "char_end": char_start + len(sentence),
        "value_start": value_start,
        "value_end": value_start + len(value_text),
        "attributed_to": attributed_to,
        "is_claim": is_claim,
        "claimant": claimant,
        "is_historical": False,
        "reported_at": reported_at,
        "publisher": publisher,
        "event_id": event_id,
    }


DOCUMENTS_ROWS = [
    # doc_id, source_uri, publisher, published_at, title
    ("d-reuters", "reuters/kharkiv.html", "Reuters", datetime(2024, 5, 25, 14, 0), "Russian strike on Kharkiv kills six"),
    ("d-ap", "ap/kharkiv.txt", "AP", datetime(2024, 5, 25, 20, 0), "Kharkiv toll rises to 11"),
    ("d-kyiv", "feed.jsonl#3", "Kyiv Independent", datetime(2024, 5, 26, 9, 0), "Kharkiv hypermarket strike: 16 killed"),
    ("d-undated", "scraped/kharkiv-note.txt", "Smith & Sons News", None, None),
    ("d-odesa", "scraped/odesa.html", "Odesa Daily", datetime(2024, 3, 15, 18, 0), "Strike on Odesa"),
    ("d-iran", "rights/iran.txt", "Rights Monitor", datetime(2026, 1, 21, 10, 0), "Crackdown in Iran"),
]

MENTIONS = [
    mention("m-k1", "d-reuters", "A Russian missile strike on Kharkiv killed at least 6 people, the governor said.",
            "at least 6 people", "killed", 6, "Reuters", datetime(2024, 5, 25, 14, 0), qualifier="at_least",
            value_high=None, attributed_to="the governor", event_id=KHARKIV),
    mention("m-k2", "d-ap", "The death toll in Kharkiv rose to 11, with 43 injured.", "11", "killed", 11, "AP",
            datetime(2024, 5, 25, 20, 0), event_id=KHARKIV),
    mention("m-k3", "d-ap", "The death toll in Kharkiv rose to 11, with 43 injured.", "43 injured", "injured", 43, "AP",
            datetime(2024, 5, 25, 20, 0), event_id=KHARKIV),
    mention("m-k4", "d-kyiv", "Rescuers recovered more bodies: 16 people are now confirmed dead in Kharkiv.", "16 people",
            "killed", 16, "Kyiv Independent", datetime(2024, 5, 26, 9, 0), event_id=KHARKIV),
    mention("m-k5", "d-undated", "Twelve people died in the Kharkiv strike.", "Twelve people", "killed", 12,
            "Smith & Sons News", None, segment="caption", event_id=KHARKIV),
    mention("m-k6", "d-kyiv", "Russia's Defence Ministry said its strike killed 200 Ukrainian soldiers.",
            "200 Ukrainian soldiers", "killed", 200, "Kyiv Independent", datetime(2024, 5, 26, 9, 0),
            victim_group="military", is_claim=True, claimant="Russian Defence Ministry", event_id=KHARKIV),
    mention("m-o1", "d-odesa", SCRIPT_SENTENCE, "20 people", "killed", 20, "Odesa Daily", datetime(2024, 3, 15, 18, 0),
            event_id=ODESA),
    mention("m-o2", "d-odesa", "Among the dead were 21 civilians, the mayor said.", "21 civilians", "killed", 21,
            "Odesa Daily", datetime(2024, 3, 15, 18, 0), victim_group="civilians", event_id=ODESA),
    mention("m-i1", "d-iran", "At least 496 protesters were killed during the crackdown.", "At least 496 protesters",
            "killed", 496, "Rights Monitor", datetime(2026, 1, 21, 10, 0), victim_group="protesters",
            qualifier="at_least", value_high=None, event_id=IRAN),
    mention("m-i2", "d-iran", "Authorities said 48 members of the security forces were killed.", "48 members",
            "killed", 48, "Rights Monitor", datetime(2026, 1, 21, 10, 0), victim_group="security_forces", event_id=IRAN),
]

EVENT_ROWS = [
    {"event_id": KHARKIV, "location": "Kharkiv", "geonameid": 706483, "country_code": "UA", "latitude": 49.98,
     "longitude": 36.25, "date_start": date(2024, 5, 25), "date_end": date(2024, 5, 25), "date_precision": "day",
     "kind": "missile strike", "n_documents": 4, "n_sources": 4, "first_reported_at": datetime(2024, 5, 25, 14, 0),
     "last_reported_at": datetime(2024, 5, 26, 9, 0)},
    {"event_id": ODESA, "location": "Odesa", "geonameid": 698740, "country_code": "UA", "latitude": 46.48,
     "longitude": 30.73, "date_start": date(2024, 3, 15), "date_end": date(2024, 3, 15), "date_precision": "day",
     "kind": "missile strike", "n_documents": 1, "n_sources": 1, "first_reported_at": datetime(2024, 3, 15, 18, 0),
     "last_reported_at": datetime(2024, 3, 15, 18, 0)},
    {"event_id": IRAN, "location": None, "country_code": "IR", "latitude": None, "longitude": None,
     "date_start": date(2026, 1, 8), "date_end": date(2026, 1, 20), "date_precision": "period", "kind": "crackdown",
     "n_documents": 1, "n_sources": 1, "first_reported_at": datetime(2026, 1, 21, 10, 0),
     "last_reported_at": datetime(2026, 1, 21, 10, 0)},
]

FIGURE_ROWS = [
    # event, type, group, low, best, high, n_mentions
    (KHARKIV, "killed", None, 6, 16, 16, 4),
    (KHARKIV, "injured", None, 43, 43, 43, 1),
    (ODESA, "killed", None, 20, 20, 20, 1),
    (ODESA, "killed", "civilians", 21, 21, 21, 1),
    (IRAN, "killed", None, 544, 544, 544, 2),
    (IRAN, "killed", "protesters", 496, 496, 496, 1),
    (IRAN, "killed", "security_forces", 48, 48, 48, 1),
]


def build_database(conn: duckdb.DuckDBPyConnection, mentions: list[dict] = MENTIONS) -> None:
    ensure_tables(conn)
    ingested_at = datetime(2026, 1, 30)
    insert_frame(conn, DOCUMENTS, pl.DataFrame(
        [
            {"doc_id": doc_id, "source_uri": uri, "source_uris": [uri], "format": "jsonl" if "#" in uri else uri.rsplit(".", 1)[-1],
             "publisher": publisher, "published_at": published_at, "title": title, "encoding": "utf-8",
             "bytes": 1000, "raw_text": "…", "ingested_at": ingested_at,
             "url": f"https://news.example/{doc_id}" if published_at else "javascript:alert(2)"}
            for doc_id, uri, publisher, published_at, title in DOCUMENTS_ROWS
        ]
    ))
    insert_frame(conn, STORIES, pl.DataFrame(
        [
            {"story_id": f"{doc_id}-0", "doc_id": doc_id, "seq": 0, "title": title, "publisher": publisher,
             "published_at": published_at, "text": "…", "raw_start": 0, "raw_end": 1,
             "offset_map": [{"text_start": 0, "raw_start": 0, "length": 1}], "removed_lines": [],
             "n_captions": 0, "n_duplicate_captions": 0, "n_embedded_posts": 0, "n_words": 1}
            for doc_id, _, publisher, published_at, title in DOCUMENTS_ROWS
        ]
    ))
    frame = pl.DataFrame(mentions, infer_schema_length=None)
    insert_rows(conn, CASUALTY_MENTIONS.name, frame)
    insert_frame(conn, EVENTS, pl.DataFrame(EVENT_ROWS, infer_schema_length=None))
    insert_frame(conn, EVENT_FIGURES, pl.DataFrame(
        [
            {"event_id": event_id, "casualty_type": kind, "victim_group": group, "victim_group_key": group or "total",
             "low": low, "best": best, "high": high, "n_mentions": n, "policy": "max_non_party"}
            for event_id, kind, group, low, best, high, n in FIGURE_ROWS
        ],
        infer_schema_length=None,
    ))
    insert_frame(conn, EVENT_DOCUMENTS, frame.select("event_id", "doc_id").unique())
    insert_frame(conn, FIGURE_HISTORY, frame.filter(~pl.col("is_claim")))
    insert_frame(conn, EVENT_CLAIMS, frame.filter(pl.col("is_claim")))
    insert_frame(conn, EVENT_CONFLICTS, pl.DataFrame(
        [{"event_id": ODESA, "casualty_type": "killed", "victim_group": "civilians", "victim_group_key": "civilians",
          "kind": "group_exceeds_total", "details": "killed civilians 21 exceeds the total killed 20"}]
    ))


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "report.duckdb"))
    build_database(connection)
    yield connection
    connection.close()


@pytest.fixture
def page(conn: duckdb.DuckDBPyConnection) -> str:
    return render_report(conn, generated_at=GENERATED_AT)


@pytest.fixture
def dom(page: str) -> Element:
    return parse(page)


# ---------------------------------------------------------------------------------------
# Tests


def test_header_counts_every_table_and_the_generation_time(dom: Element):
    header = dom.find_all("header")[0]
    stats = {
        stat.find_all("span", "stat-label")[0].text(): stat.find_all("span", "stat-value")[0].text()
        for stat in header.find_all("div", "stat")
    }
    assert stats == {"events": "3", "documents": "6", "mentions": "10", "claims": "1", "conflicts": "1"}
    assert "2026-02-01 12:00:00" in header.text()


def test_events_table_lists_every_place_with_its_figures_by_killed_best(dom: Element):
    table = dom.find_all("table", "events")[0]
    rows = {cell_texts(row)[0]: cell_texts(row) for row in table.find_all("tbody")[0].find_all("tr")}
    assert list(rows) == ["Iran (country-wide)", "Odesa", "Kharkiv"]
    assert rows["Kharkiv"] == [
        "Kharkiv", "Ukraine", "2024-05-25", "missile strike", "6", "16", "16", "43", "43", "43", "4", "4",
    ]
    assert rows["Iran (country-wide)"][1:7] == ["Iran", "2026-01-08 – 2026-01-20 (period)", "crackdown", "544", "544", "544"]
    assert rows["Odesa"][7:10] == ["—", "—", "—"]
    links = [anchor.attrs["href"] for anchor in table.find_all("a")]
    assert links == [f"#event-{IRAN}", f"#event-{ODESA}", f"#event-{KHARKIV}"]
    for link in links:
        assert dom.by_id(link[1:]).tag == "article"
    assert len(table.find_all("button")) == 12, "every column header sorts"


def test_event_sections_follow_killed_best_then_date(dom: Element):
    sections = [article.attrs["id"] for article in dom.find_all("article", "event")]
    assert sections == [f"event-{IRAN}", f"event-{ODESA}", f"event-{KHARKIV}"]


def test_only_the_deadliest_events_are_shown_when_there_are_many(conn: duckdb.DuckDBPyConnection):
    page = render_report(conn, generated_at=GENERATED_AT, max_events=2)
    dom = parse(page)
    assert [article.attrs["id"] for article in dom.find_all("article", "event")] == [f"event-{IRAN}", f"event-{ODESA}"]
    table = dom.find_all("table", "events")[0]
    assert [cell_texts(row)[0] for row in table.find_all("tbody")[0].find_all("tr")] == ["Iran (country-wide)", "Odesa"]
    assert "The 2 deadliest of 3 events" in dom.text()
    assert f"event-{KHARKIV}" not in page and "Kharkiv" not in page


def test_figures_show_low_best_high_and_policy(dom: Element):
    figures = dom.by_id(f"event-{KHARKIV}").find_all("table", "figures")[0]
    assert [cell_texts(row) for row in figures.find_all("tbody")[0].find_all("tr")] == [
        ["killed", "total", "6", "16", "16", "4", "max_non_party"],
        ["injured", "total", "43", "43", "43", "1", "max_non_party"],
    ]


def test_sentences_highlight_the_figure_words_with_their_provenance(dom: Element):
    kharkiv = dom.by_id(f"event-{KHARKIV}")
    marks = [mark.text() for mark in kharkiv.find_all("mark", "figure")]
    assert marks == ["at least 6 people", "11", "16 people", "Twelve people", "43 injured"]
    sources = " ".join(paragraph.text() for paragraph in kharkiv.find_all("p", "source"))
    assert "Reuters · 2024-05-25 14:00 · body segment · according to the governor · reuters/kharkiv.html" in sources
    assert "Smith & Sons News · undated · caption segment · scraped/kharkiv-note.txt" in sources


def test_claim_is_marked_claimed_and_not_counted(dom: Element):
    kharkiv = dom.by_id(f"event-{KHARKIV}")
    claims = kharkiv.find_all("div", "claims")[0]
    text = " ".join(claims.text().split())
    assert "claimed, not counted" in text
    assert "Russian Defence Ministry claims 200 killed (military)" in text
    assert [mark.text() for mark in claims.find_all("mark", "claim")] == ["200 Ukrainian soldiers"]
    figures = kharkiv.find_all("table", "figures")[0].text()
    assert "200" not in figures and "military" not in figures


def test_conflict_is_highlighted_with_its_kind_and_details(dom: Element):
    odesa = dom.by_id(f"event-{ODESA}")
    conflicts = odesa.find_all("div", "conflicts")[0].text()
    assert "group_exceeds_total" in conflicts
    assert "killed civilians 21 exceeds the total killed 20" in conflicts
    flagged = [cell_texts(row)[:2] for row in odesa.find_all("tr") if row.attrs.get("class") == "conflicted"]
    assert flagged == [["killed", "civilians"]]


def test_derived_total_says_no_sentence_states_it(dom: Element):
    iran = " ".join(dom.by_id(f"event-{IRAN}").text().split())
    assert "derived from the victim-group figures" in iran
    assert "Not on the map (no coordinates): Iran (country-wide)" in " ".join(dom.by_id("places").text().split())


def test_one_history_chart_per_event_with_publishers_and_undated_reports_apart(dom: Element):
    for event_id in (KHARKIV, ODESA, IRAN):
        assert len(dom.by_id(f"event-{event_id}").find_all("svg", "history-chart")) == 1
    chart = dom.by_id(f"event-{KHARKIV}").find_all("svg", "history-chart")[0]
    labels = [text.text() for text in chart.find_all("text", "point-label")]
    assert labels == ["Reuters", "AP", "Kyiv Independent", "Smith & Sons News", "AP"]
    assert "undated" in [text.text() for text in chart.find_all("text", "tick")]
    assert len(chart.find_all("path", "step")) == 2, "one line per casualty type"


def test_place_chart_and_country_bars(dom: Element):
    places = dom.by_id("places")
    place_chart = places.find_all("svg", "place-chart")[0]
    assert [text.text() for text in place_chart.find_all("text", "place-label")] == ["Odesa", "Kharkiv"]
    radii = {
        circle.find_all("title")[0].text().split(",")[0]: float(circle.attrs["r"])
        for circle in place_chart.find_all("circle", "event-dot")
    }
    assert radii["Odesa"] > radii["Kharkiv"], "circle area follows killed best"
    assert place_chart.find_all("line", "graticule")
    bars = places.find_all("svg", "country-chart")[0]
    assert [text.text() for text in bars.find_all("text", "bar-label")] == ["Iran", "Ukraine"]
    assert [text.text() for text in bars.find_all("text", "bar-value")] == ["544", "36"]


def test_every_svg_is_well_formed_xml(page: str):
    charts = re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL)
    assert len(charts) == 5
    for chart in charts:
        ElementTree.fromstring(chart)


def test_page_loads_nothing_from_the_network(dom: Element, page: str):
    for element in dom.descendants():
        if element.tag in {"script", "link", "img", "iframe", "source", "video", "audio", "object", "embed"}:
            for attribute in ("src", "href", "data"):
                assert not element.attrs.get(attribute, "").lower().startswith(("http://", "https://", "//"))
    assert [element.attrs for element in dom.find_all("script")] == [{}], "one inline script"
    assert not dom.find_all("link") and not dom.find_all("img")
    assert "@import" not in page and "url(" not in page


def test_every_text_from_the_database_is_escaped(page: str, dom: Element):
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Smith &amp; Sons News" in page
    assert "javascript:" not in " ".join(anchor.attrs.get("href", "") for anchor in dom.find_all("a"))
    sentence = next(quote for quote in dom.by_id(f"event-{ODESA}").find_all("blockquote") if "alert" in quote.text())
    assert sentence.text() == SCRIPT_SENTENCE


def test_sentences_per_figure_are_capped_with_a_count_of_the_rest(tmp_path: Path):
    extra = [
        mention(f"m-x{index:02d}", "d-ap", f"Report {index}: 11 people were killed.", "11 people", "killed", 11, "AP",
                datetime(2024, 5, 25, 21, index), event_id=KHARKIV)
        for index in range(SENTENCES_PER_FIGURE)
    ]
    connection = duckdb.connect(str(tmp_path / "many.duckdb"))
    build_database(connection, MENTIONS + extra)
    kharkiv = parse(render_report(connection, generated_at=GENERATED_AT)).by_id(f"event-{KHARKIV}")
    killed = kharkiv.find_all("details")[0]
    assert len(killed.find_all("li")) == SENTENCES_PER_FIGURE
    assert f"{SENTENCES_PER_FIGURE + 4} sentences" in killed.find_all("summary")[0].text()
    assert "… and 4 more sentences not listed." in killed.text()
    connection.close()


def test_same_database_gives_the_same_page(conn: duckdb.DuckDBPyConnection, page: str):
    assert render_report(conn, generated_at=GENERATED_AT) == page


def test_write_report_writes_the_page(conn: duckdb.DuckDBPyConnection, tmp_path: Path):
    path = write_report(conn, tmp_path / "out" / "report.html")
    assert path.exists()
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("with_tables", [True, False], ids=["empty tables", "no tables"])
def test_empty_database_says_there_are_no_events(tmp_path: Path, with_tables: bool):
    connection = duckdb.connect(str(tmp_path / "empty.duckdb"))
    if with_tables:
        ensure_tables(connection)
    page = render_report(connection)
    connection.close()
    dom = parse(page)
    assert "There are no events in this database yet." in page
    assert {value.text() for value in dom.find_all("span", "stat-value")} == {"0"}
    assert not dom.find_all("svg")


def test_templates_ship_with_the_installed_package():
    project = Path(__file__).resolve().parents[1]
    package_data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    templates = project / "casualties" / "report" / "templates"
    shipped = {path for pattern in package_data["casualties.report"] for path in templates.parent.glob(pattern)}
    assert sorted(templates.iterdir()) and set(templates.iterdir()) <= shipped
