"""Score a database against a gold file of incidents (the dev sets' gold.jsonl).

One gold incident a line: `incident_id`, `doc_ids` (ids of articles.jsonl lines), `killed`,
`injured`, `killed_low` / `killed_high`, `date` / `date_end`, `latitude` / `longitude`.
Documents are found by their JSONL id: documents.external_id holds the id of the line
where a content was first seen, and source_uris names every line ('articles.jsonl#7') that
carried the same text, so the ids of repeated texts are read back from the JSONL files
beside the gold file.

An incident's main event is the event holding most of its documents (ties: the smallest
event_id); its figures are the event_figures rows of type killed / injured with no victim
group (event_figures never holds claims). Every metric is a share with its denominator:

    incidents_found              incidents with killed or injured > 0 and a casualty word in a
                                 document: at least one document in an event
    killed_exact                 incidents with gold killed: main event's best killed == gold
                                 (0 when there is no main event or no killed figure)
    killed_exact_when_killed     the same, over gold killed > 0
    killed_in_range              killed_exact, but a gold low..high range accepts any figure in it
    killed_in_range_informative  killed_in_range over incidents with a casualty word in a document
    injured_exact                as killed_exact, for injured
    injured_exact_when_injured   the same, over gold injured > 0
    pair_precision, pair_recall  document pairs in one event / in one incident; pairs of identical
                                 text are left out
    place_within_25km            incidents with gold coordinates and a main event: the event's
                                 coordinates, else its mentions' nearest, within 25 km
    date_exact                   incidents with a gold date and a main event: start date in
                                 gold date..date_end
    quiet_false_positive_rate    single-document incidents whose document has no casualty word:
                                 share with any casualty figure extracted
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from casualties.db import connect

# The dev sets' README defines "a casualty word" by this regex (case-insensitive); a
# document none of it matches states no casualty figure.
CASUALTY_WORD = re.compile(
    r"kill|dead|die|death|wound|injur|fatalit|bod(y|ies)|casualt|shot|hospital|missing|slain|slay|\blos[et]\b|\bloses\b"
    r"|\blosing\b|\blosses\b|perish|massacr|murder|execut|behead|decapitat|assassinat|liquidat|eliminat|annihilat|lynch"
    r"|fallen|\btoll\b|victim|\bhurt|\bharm|unharmed|maim|mutilat|amputat|gunned|shoot|\bKIA\b|\bWIA\b|\bMIA\b"
    r"|\bbeat(en|ing|s)?\b|assault|stab|tortur|rape|whipp|lash|chopp|cut off|bleed|blood|trauma|critical|surviv|rescu"
    r"|evacuat|medic|treat|hostage|kidnap|abduct|captiv|prisoner|captur|arrest|detain|\bburn(ed|t)\b|\blives\b|\blife\b"
    r"|\bfates?\b",
    re.IGNORECASE,
)

METRICS = (
    "incidents_found",
    "killed_exact",
    "killed_exact_when_killed",
    "killed_in_range",
    "killed_in_range_informative",
    "injured_exact",
    "injured_exact_when_injured",
    "pair_precision",
    "pair_recall",
    "place_within_25km",
    "date_exact",
    "quiet_false_positive_rate",
)
PLACE_TOLERANCE_KM = 25.0
EARTH_RADIUS_KM = 12_742 / 2
# Where nothing was extracted from a document, a miss shows its opening.
OPENING_CHARS = 200
_LINE_URI = re.compile(r"^(?P<path>.+)#(?P<line>\d+)$")


def is_incident_gold(gold_path: Path) -> bool:
    """True for a gold file of incidents, one JSON object a line; False for the seeds'
    gold.json, one JSON object with a 'documents' map."""
    with Path(gold_path).open(encoding="utf-8") as lines:
        first = next((line for line in lines if line.strip()), "")
    try:
        record = json.loads(first)
    except json.JSONDecodeError:
        return False  # the first line of a pretty-printed gold.json is not a whole object
    return isinstance(record, dict) and "incident_id" in record and "doc_ids" in record


# ---------------------------------------------------------------- result types


@dataclass(frozen=True)
class Score:
    metric: str
    hits: int
    total: int

    @property
    def share(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class Miss:
    """One case a metric counts against the system: for error analysis."""

    metric: str
    incident_id: str
    document_id: str
    gold: str
    produced: str
    sentence: str


@dataclass(frozen=True)
class IncidentEvaluation:
    gold_path: str
    db_path: str
    incidents: int
    documents: int
    documents_stored: int
    events: int
    scores: list[Score]
    misses: list[Miss]

    def score(self, metric: str) -> Score:
        return next(score for score in self.scores if score.metric == metric)

    def metrics(self) -> dict[str, Any]:
        """The README's metric names with their shares, denominators and hits under their own keys."""
        return {
            **{score.metric: score.share for score in self.scores},
            "denominators": {score.metric: score.total for score in self.scores},
            "hits": {score.metric: score.hits for score in self.scores},
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold_path": self.gold_path,
            "db_path": self.db_path,
            "incidents": self.incidents,
            "documents": self.documents,
            "documents_stored": self.documents_stored,
            "events": self.events,
            **self.metrics(),
        }

    def misses_by_metric(self, limit: int) -> dict[str, list[dict[str, str]]]:
        grouped: dict[str, list[dict[str, str]]] = {metric: [] for metric in METRICS}
        for miss in self.misses:
            if len(grouped[miss.metric]) < limit:
                grouped[miss.metric].append({key: value for key, value in asdict(miss).items() if key != "metric"})
        return grouped


# ---------------------------------------------------------------- what the database holds


@dataclass(frozen=True)
class Mention:
    doc_id: str
    event_id: str | None
    casualty_type: str
    victim_group: str | None
    value: int | None
    is_claim: bool
    sentence: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Event:
    event_id: str
    location: str | None
    latitude: float | None
    longitude: float | None
    date_start: date | None


@dataclass
class Stored:
    doc_of_id: dict[str, str]  # JSONL id -> doc_id
    texts: dict[str, str]  # doc_id -> its text
    jsonl_texts: dict[str, str]  # JSONL id -> text, for every line of the JSONL files read, stored or not
    events_of_doc: dict[str, set[str]]
    events: dict[str, Event]
    figures: dict[tuple[str, str], int | None]  # (event_id, casualty_type) -> best of the total
    mentions_of_doc: dict[str, list[Mention]]


def _rows(conn: Any, sql: str) -> list[dict[str, Any]]:
    cursor = conn.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _jsonl_ids(path: Path) -> dict[int, tuple[str, str]]:
    """Line number (from 1, as the raw stage counts) -> (id, text) of each JSONL line with both."""
    found: dict[int, tuple[str, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("id") is not None and isinstance(record.get("text"), str):
            found[number] = (str(record["id"]), record["text"])
    return found


def _read(db_path: Path, input_folder: Path) -> Stored:
    with connect(db_path, read_only=True) as conn:
        tables = {name for (name,) in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}

        def rows(table: str, sql: str) -> list[dict[str, Any]]:
            # A run that failed early may not have created every table: it then holds nothing.
            return _rows(conn, sql) if table in tables else []

        documents = rows("documents", "SELECT doc_id, external_id, source_uris, raw_text FROM documents")
        event_documents = rows("event_documents", "SELECT event_id, doc_id FROM event_documents")
        events = rows("events", "SELECT event_id, location, latitude, longitude, date_start FROM events")
        figures = rows(
            "event_figures",
            "SELECT event_id, casualty_type, best FROM event_figures "
            "WHERE victim_group IS NULL AND casualty_type IN ('killed', 'injured')",
        )
        mentions = rows(
            "casualty_mentions",
            "SELECT doc_id, event_id, casualty_type, victim_group, value, is_claim, sentence, latitude, longitude "
            "FROM casualty_mentions ORDER BY doc_id, segment_id, char_start, mention_id",
        )
    doc_of_id: dict[str, str] = {}
    jsonl_files: dict[str, dict[int, tuple[str, str]]] = {}
    for row in documents:
        if row["external_id"] is not None:
            doc_of_id[row["external_id"]] = row["doc_id"]
        for uri in row["source_uris"]:
            line_uri = _LINE_URI.match(uri)
            if not line_uri:
                continue
            path = line_uri["path"]
            if path not in jsonl_files:
                jsonl = input_folder / path
                jsonl_files[path] = _jsonl_ids(jsonl) if jsonl.is_file() else {}
            id_and_text = jsonl_files[path].get(int(line_uri["line"]))
            if id_and_text:
                doc_of_id[id_and_text[0]] = row["doc_id"]
    events_of_doc: dict[str, set[str]] = defaultdict(set)
    for row in event_documents:
        events_of_doc[row["doc_id"]].add(row["event_id"])
    mentions_of_doc: dict[str, list[Mention]] = defaultdict(list)
    for row in mentions:
        mentions_of_doc[row["doc_id"]].append(Mention(**row))
    return Stored(
        doc_of_id=doc_of_id,
        texts={row["doc_id"]: row["raw_text"] for row in documents},
        jsonl_texts={jsonl_id: text for lines in jsonl_files.values() for jsonl_id, text in lines.values()},
        events_of_doc=events_of_doc,
        events={row["event_id"]: Event(**row) for row in events},
        figures={(row["event_id"], row["casualty_type"]): row["best"] for row in figures},
        mentions_of_doc=mentions_of_doc,
    )


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Incident:
    """A gold incident with what the system made of it."""

    gold: dict[str, Any]
    doc_ids: list[str]  # the stored documents of its ids, distinct, in the order of its ids
    main_event: str | None
    informative: bool  # some document has a casualty word

    @property
    def incident_id(self) -> str:
        return str(self.gold["incident_id"])


def _main_event(doc_ids: list[str], stored: Stored) -> str | None:
    held = Counter(event_id for doc_id in doc_ids for event_id in stored.events_of_doc.get(doc_id, ()))
    if not held:
        return None
    return min(held, key=lambda event_id: (-held[event_id], event_id))


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = ((math.radians(x), math.radians(y)) for x, y in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


class _Scorer:
    def __init__(self, stored: Stored) -> None:
        self.stored = stored
        self.hits: Counter[str] = Counter()
        self.totals: Counter[str] = Counter()
        self.misses: list[Miss] = []

    def count(self, metric: str, hit: bool, miss: Iterator[Miss] | None = None) -> None:
        """One case of the metric; a case that is not a hit (for the false-positive rate: a
        hit) is listed through `miss`, built only then."""
        self.totals[metric] += 1
        self.hits[metric] += hit
        counted_against = hit if metric == "quiet_false_positive_rate" else not hit
        if counted_against and miss is not None:
            self.misses.extend(miss)

    def miss(self, metric: str, incident: Incident, gold: Any, produced: Any, casualty_type: str | None = None) -> Iterator[Miss]:
        document, sentence = self.evidence(incident, casualty_type)
        yield Miss(metric, incident.incident_id, document, str(gold), str(produced), sentence)

    def evidence(self, incident: Incident, casualty_type: str | None) -> tuple[str, str]:
        """The JSONL id and sentence behind what the system produced for the incident: a
        mention of the casualty type in the main event, else any of the incident's mentions,
        else the opening of its first document."""
        ids = [str(doc_id) for doc_id in incident.gold["doc_ids"]]
        stored_ids = [doc_id for doc_id in ids if doc_id in self.stored.doc_of_id]
        mentions = [
            (doc_id, mention)
            for doc_id in stored_ids
            for mention in self.stored.mentions_of_doc.get(self.stored.doc_of_id[doc_id], [])
        ]

        def preference(item: tuple[str, Mention]) -> tuple[bool, ...]:
            mention = item[1]
            return (
                mention.event_id != incident.main_event,
                casualty_type is not None and mention.casualty_type != casualty_type,
                mention.victim_group is not None,
                mention.is_claim,
            )

        if mentions:
            doc_id, mention = min(mentions, key=preference)
            return doc_id, mention.sentence
        if stored_ids:
            return stored_ids[0], self.opening(self.stored.doc_of_id[stored_ids[0]])
        return ids[0] if ids else "", "(document not in the database)"

    def opening(self, doc_id: str) -> str:
        return self.stored.texts[doc_id][:OPENING_CHARS]

    def figure(self, incident: Incident, casualty_type: str) -> int | None:
        """The main event's best figure of the type; 0 when there is none (no report of
        deaths is a report of none); None for a figure without a number."""
        if incident.main_event is None:
            return 0
        return self.stored.figures.get((incident.main_event, casualty_type), 0)

    def score_figures(self, incident: Incident) -> None:
        gold = incident.gold
        for casualty_type in ("killed", "injured"):
            expected = gold.get(casualty_type)
            if expected is None:
                continue
            produced = self.figure(incident, casualty_type)
            exact = produced == expected

            def miss(metric: str, wanted: Any = expected) -> Iterator[Miss]:
                return self.miss(metric, incident, wanted, "vague" if produced is None else produced, casualty_type)

            self.count(f"{casualty_type}_exact", exact, miss(f"{casualty_type}_exact"))
            if expected > 0:
                self.count(f"{casualty_type}_exact_when_{casualty_type}", exact, miss(f"{casualty_type}_exact_when_{casualty_type}"))
            if casualty_type == "injured":
                continue
            low, high = gold.get("killed_low"), gold.get("killed_high")
            ranged = low is not None and high is not None
            in_range = (produced is not None and low <= produced <= high) if ranged else exact
            wanted = f"{low}..{high}" if ranged and low != high else expected
            self.count("killed_in_range", in_range, miss("killed_in_range", wanted))
            if incident.informative:
                self.count("killed_in_range_informative", in_range, miss("killed_in_range_informative", wanted))

    def score_found(self, incident: Incident) -> None:
        gold = incident.gold
        if (gold.get("killed") or 0) > 0 or (gold.get("injured") or 0) > 0:
            if incident.informative:
                found = any(self.stored.events_of_doc.get(doc_id) for doc_id in incident.doc_ids)
                figures = ", ".join(
                    f"{casualty_type} {'unknown' if gold.get(casualty_type) is None else gold[casualty_type]}"
                    for casualty_type in ("killed", "injured")
                )
                self.count("incidents_found", found, self.miss("incidents_found", incident, figures, "no event"))

    def score_place(self, incident: Incident) -> None:
        gold = incident.gold
        if gold.get("latitude") is None or gold.get("longitude") is None or incident.main_event is None:
            return
        point = (gold["latitude"], gold["longitude"])
        event = self.stored.events[incident.main_event]
        if event.latitude is not None and event.longitude is not None:
            distance: float | None = _haversine_km(point, (event.latitude, event.longitude))
        else:
            distances = [
                _haversine_km(point, (mention.latitude, mention.longitude))
                for doc_id in incident.doc_ids
                for mention in self.stored.mentions_of_doc.get(doc_id, [])
                if mention.event_id == incident.main_event and mention.latitude is not None and mention.longitude is not None
            ]
            distance = min(distances, default=None)
        hit = distance is not None and distance <= PLACE_TOLERANCE_KM
        wanted = f"{gold.get('location')} ({point[0]:.4f}, {point[1]:.4f})"
        produced = f"{event.location} ({'no coordinates' if distance is None else f'{distance:.0f} km away'})"
        self.count("place_within_25km", hit, self.miss("place_within_25km", incident, wanted, produced))

    def score_date(self, incident: Incident) -> None:
        gold = incident.gold
        if gold.get("date") is None or incident.main_event is None:
            return
        first = date.fromisoformat(gold["date"])
        last = date.fromisoformat(gold["date_end"]) if gold.get("date_end") else first
        start = self.stored.events[incident.main_event].date_start
        hit = start is not None and first <= start <= last
        wanted = first.isoformat() if last == first else f"{first}..{last}"
        self.count("date_exact", hit, self.miss("date_exact", incident, wanted, start or "no date"))

    def score_quiet(self, incident: Incident) -> None:
        if len(incident.gold["doc_ids"]) != 1 or incident.informative:
            return
        extracted = [mention for doc_id in incident.doc_ids for mention in self.stored.mentions_of_doc.get(doc_id, [])]
        produced = ", ".join(f"{m.casualty_type} {m.value if m.value is not None else 'vague'}" for m in extracted)
        self.count("quiet_false_positive_rate", bool(extracted), self.miss("quiet_false_positive_rate", incident, "no figure", produced))

    def score_pairs(self, incidents: list[Incident]) -> None:
        """Pairs of stored documents (by JSONL id); ids of one stored document have identical
        text and make no pair."""
        incident_of: dict[str, str] = {}
        doc_of: dict[str, str] = {}
        for incident in incidents:
            for jsonl_id in incident.gold["doc_ids"]:
                if str(jsonl_id) in self.stored.doc_of_id:
                    incident_of[str(jsonl_id)] = incident.incident_id
                    doc_of[str(jsonl_id)] = self.stored.doc_of_id[str(jsonl_id)]
        ids_of_event: dict[str, list[str]] = defaultdict(list)
        for jsonl_id, doc_id in doc_of.items():
            for event_id in self.stored.events_of_doc.get(doc_id, ()):
                ids_of_event[event_id].append(jsonl_id)
        system_same = both = 0
        for event_id in sorted(ids_of_event):
            members = ids_of_event[event_id]
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    shared = self.stored.events_of_doc[doc_of[a]] & self.stored.events_of_doc[doc_of[b]]
                    # A pair sharing several events is counted at the first of them only.
                    if doc_of[a] == doc_of[b] or min(shared) != event_id:
                        continue
                    system_same += 1
                    same_incident = incident_of[a] == incident_of[b]
                    both += same_incident
                    if not same_incident:
                        self.misses.append(
                            Miss(
                                "pair_precision", incident_of[a], a, f"{a} in {incident_of[a]}, {b} in {incident_of[b]}",
                                f"both in event {event_id}", self.opening(doc_of[a]),
                            )
                        )
        self.hits["pair_precision"], self.totals["pair_precision"] = both, system_same
        gold_same = 0
        for incident in incidents:
            members = [str(jsonl_id) for jsonl_id in incident.gold["doc_ids"] if str(jsonl_id) in doc_of]
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if doc_of[a] == doc_of[b]:
                        continue
                    gold_same += 1
                    if not self.stored.events_of_doc.get(doc_of[a], set()) & self.stored.events_of_doc.get(doc_of[b], set()):
                        self.misses.append(
                            Miss(
                                "pair_recall", incident.incident_id, a, f"{a} and {b} in {incident.incident_id}",
                                f"events {sorted(self.stored.events_of_doc.get(doc_of[a], ())) or 'none'} and "
                                f"{sorted(self.stored.events_of_doc.get(doc_of[b], ())) or 'none'}",
                                self.opening(doc_of[a]),
                            )
                        )
        self.hits["pair_recall"], self.totals["pair_recall"] = both, gold_same


def _incidents(gold_path: Path) -> Iterator[dict[str, Any]]:
    with Path(gold_path).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _stored_doc_ids(jsonl_ids: Iterable[Any], stored: Stored) -> list[str]:
    return list(dict.fromkeys(stored.doc_of_id[str(i)] for i in jsonl_ids if str(i) in stored.doc_of_id))


def _text(jsonl_id: str, stored: Stored) -> str:
    """The document's text: as stored, else as its JSONL line has it (a rejected line); '' when unknown."""
    doc_id = stored.doc_of_id.get(jsonl_id)
    return stored.texts[doc_id] if doc_id is not None else stored.jsonl_texts.get(jsonl_id, "")


def evaluate_incidents(gold_path: Path, db_path: Path, input_folder: Path | None = None) -> IncidentEvaluation:
    """Score the database (opened read-only) against an incident gold file. The JSONL files
    the documents were read from are looked up in input_folder, by default the gold file's."""
    gold_path, db_path = Path(gold_path), Path(db_path)
    stored = _read(db_path, input_folder or gold_path.parent)
    scorer = _Scorer(stored)
    incidents: list[Incident] = []
    for gold in _incidents(gold_path):
        jsonl_ids = [str(i) for i in gold["doc_ids"]]
        doc_ids = _stored_doc_ids(jsonl_ids, stored)
        informative = any(CASUALTY_WORD.search(_text(jsonl_id, stored)) for jsonl_id in jsonl_ids)
        incident = Incident(gold, doc_ids, _main_event(doc_ids, stored), informative)
        incidents.append(incident)
        scorer.score_found(incident)
        scorer.score_figures(incident)
        scorer.score_place(incident)
        scorer.score_date(incident)
        scorer.score_quiet(incident)
    scorer.score_pairs(incidents)
    return IncidentEvaluation(
        gold_path=str(gold_path),
        db_path=str(db_path),
        incidents=len(incidents),
        documents=sum(len(incident.gold["doc_ids"]) for incident in incidents),
        documents_stored=len({doc_id for incident in incidents for doc_id in incident.doc_ids}),
        events=len(stored.events),
        scores=[Score(metric, scorer.hits[metric], scorer.totals[metric]) for metric in METRICS],
        misses=sorted(scorer.misses, key=lambda miss: METRICS.index(miss.metric)),
    )


# ---------------------------------------------------------------- report


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_share(score: Score) -> str:
    return "-" if score.share is None else f"{score.share:.3f}"


def format_incident_evaluation(evaluation: IncidentEvaluation, errors: int = 0) -> str:
    """The metrics with their denominators, then up to `errors` misses of each metric."""
    out = [
        f"Evaluation of {evaluation.db_path} against {evaluation.gold_path}",
        f"{evaluation.incidents} incidents, {evaluation.documents} documents "
        f"({evaluation.documents_stored} distinct stored), {evaluation.events} events in the database",
        "",
    ]
    width = max(map(len, METRICS))
    out.append(f"  {'metric':<{width}}  {'score':>6}  {'hits':>6} / denominator")
    for score in evaluation.scores:
        out.append(f"  {score.metric:<{width}}  {format_share(score):>6}  {score.hits:>6} / {score.total}")
    if errors > 0:
        for metric, misses in evaluation.misses_by_metric(errors).items():
            if not misses:
                continue
            out += ["", f"{metric}: {len(misses)} of {sum(m.metric == metric for m in evaluation.misses)} misses"]
            for miss in misses:
                out.append(f"  {miss['incident_id']} {miss['document_id']}: gold {miss['gold']}, produced {miss['produced']}")
                out.append(f"      {_shorten(miss['sentence'], 200)}")
    return "\n".join(out)
