"""Evaluation against incident gold files (the dev sets' gold.jsonl format), on a small
made-up world: seven incidents, ten articles (two of them one identical text), six events,
stored through the project's table contract. Each metric's expected count is worked out
by hand in the test that asserts it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from casualties import db
from casualties.evaluate_incidents import IncidentEvaluation, evaluate_incidents, is_incident_gold
from contract_rows import insert_rows
from pipelines.cli import main as cli

SPRINGFIELD = (39.80, -89.64)
LAKESIDE = (10.0, 20.0)
OAKFORD = (48.0, 37.0)

ARTICLES = {
    "a1": "Gunmen fired on a wedding party in Springfield; three people were killed.",
    "a2": "Springfield wedding attack: three dead and five hurt, police said.",
    "a3": "The mayor of Springfield opened a new bridge on Monday.",  # no casualty word
    "b1": "A bomb in the Lakeside market kills four.",
    "b2": "Four killed at the Lakeside market.",
    "c1": "A storm passed over Hillview and no one was hurt.",
    "d1": "Shelling reported near Oakford.",  # no casualty word; e1 is the same text
    "e1": "Shelling reported near Oakford.",
    "f1": "A parade with forty bands filled Maple Town on Sunday.",  # no casualty word
    "g1": "Nine wounded in a blast at Cedar Bay port.",
}

INCIDENTS = [
    {"incident_id": "inc-a", "doc_ids": ["a1", "a2", "a3"], "killed": 3, "injured": 2, "date": "2024-03-02", "coordinates": SPRINGFIELD},
    {"incident_id": "inc-b", "doc_ids": ["b1", "b2"], "killed": 4, "killed_low": 3, "killed_high": 6,
     "date": "2024-03-05", "date_end": "2024-03-07", "coordinates": LAKESIDE},
    {"incident_id": "inc-c", "doc_ids": ["c1"], "killed": 0, "injured": 0},
    {"incident_id": "inc-d", "doc_ids": ["d1"], "killed": 1, "date": "2024-04-01", "coordinates": OAKFORD},
    {"incident_id": "inc-e", "doc_ids": ["e1"], "killed": 0},
    {"incident_id": "inc-f", "doc_ids": ["f1"], "killed": 0, "injured": 0},
    {"incident_id": "inc-g", "doc_ids": ["g1"], "killed": 0, "injured": 9},
]

# event_id: (JSONL ids of its documents, killed best, injured best, start date, coordinates)
EVENTS: dict[str, tuple[list[str], int | None, int | None, str | None, tuple[float, float] | None]] = {
    "e1": (["a3", "c1"], 7, None, None, None),
    "e2": (["a1", "a2"], 3, 5, "2024-03-02", (39.85, -89.60)),  # 6 km from the gold point
    "e3": (["b2"], 5, None, "2024-03-06", (10.5, 20.0)),  # 56 km away
    "e4": (["b1"], 4, None, "2024-03-05", LAKESIDE),
    "e5": (["d1"], 1, None, None, None),
    "e6": (["a1", "a2"], None, None, None, None),
}

# (JSONL id of the document, event, type, group, value, sentence, coordinates)
MENTIONS = [
    ("a2", "e2", "killed", None, 3, "Springfield wedding attack: three dead and five hurt, police said.", None),
    ("a2", "e2", "injured", None, 5, "Springfield wedding attack: three dead and five hurt, police said.", None),
    ("a1", "e2", "killed", "children", 1, "Gunmen fired on a wedding party in Springfield; three people were killed.", None),
    ("d1", "e5", "killed", None, 1, "Shelling reported near Oakford.", (48.05, 37.02)),
]


def gold_line(incident: dict[str, Any]) -> dict[str, Any]:
    latitude, longitude = incident.get("coordinates") or (None, None)
    return {
        "incident_id": incident["incident_id"],
        "doc_ids": incident["doc_ids"],
        "killed": incident.get("killed"),
        "injured": incident.get("injured"),
        "killed_low": incident.get("killed_low"),
        "killed_high": incident.get("killed_high"),
        "date": incident.get("date"),
        "date_end": incident.get("date_end"),
        "latitude": latitude,
        "longitude": longitude,
        "extra": {},
    }


def write_world(folder: Path, events: dict[str, Any] = EVENTS, mentions: list[Any] = MENTIONS) -> tuple[Path, Path]:
    """articles.jsonl and gold.jsonl in folder, and the database a run on them could have left."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = list(ARTICLES)
    (folder / "articles.jsonl").write_text("".join(json.dumps({"id": i, "text": ARTICLES[i]}) + "\n" for i in ids), encoding="utf-8")
    gold = folder / "gold.jsonl"
    gold.write_text("".join(json.dumps(gold_line(incident)) + "\n" for incident in INCIDENTS), encoding="utf-8")
    # One stored document per distinct text, named after its first id; every line that
    # carried the text is in source_uris, as the raw stage keeps them.
    doc_of: dict[str, str] = {}
    documents: dict[str, dict[str, Any]] = {}
    for line, jsonl_id in enumerate(ids, start=1):
        first = next(i for i in ids if ARTICLES[i] == ARTICLES[jsonl_id])
        doc_of[jsonl_id] = f"doc-{first}"
        document = documents.setdefault(
            doc_of[jsonl_id],
            {"doc_id": doc_of[jsonl_id], "source_uri": f"articles.jsonl#{line}", "source_uris": [], "external_id": first,
             "format": "jsonl", "encoding": "utf-8", "bytes": 1, "raw_text": ARTICLES[jsonl_id], "ingested_at": datetime(2024, 5, 1)},
        )
        document["source_uris"].append(f"articles.jsonl#{line}")
    event_rows, figures, event_documents = [], [], []
    for event_id, (members, killed, injured, start, coordinates) in events.items():
        latitude, longitude = coordinates or (None, None)
        start_date = date.fromisoformat(start) if start else None
        event_rows.append({"event_id": event_id, "latitude": latitude, "longitude": longitude, "date_start": start_date,
                           "date_end": start_date, "n_documents": len(members), "n_sources": 1})
        for casualty_type, best in (("killed", killed), ("injured", injured)):
            if best is not None:
                figures.append({"event_id": event_id, "casualty_type": casualty_type, "victim_group_key": "total",
                                "low": best, "best": best, "high": best, "n_mentions": 1, "policy": "max_non_party"})
        event_documents += [{"event_id": event_id, "doc_id": doc_id} for doc_id in dict.fromkeys(doc_of[m] for m in members)]
    if "e2" in events:  # A group's figure is not the total: a children figure far off the gold stays out of scoring.
        figures.append({"event_id": "e2", "casualty_type": "killed", "victim_group": "children", "victim_group_key": "children",
                        "low": 40, "best": 40, "high": 40, "n_mentions": 1, "policy": "max_non_party"})
    mention_rows = [
        {"mention_id": f"m{n}", "doc_id": doc_of[jsonl_id], "story_id": f"{doc_of[jsonl_id]}-0", "segment_id": f"{doc_of[jsonl_id]}-0-body-0",
         "segment": "body", "casualty_type": casualty_type, "victim_group": group, "value": value, "qualifier": "exact",
         "value_text": str(value), "sentence": sentence, "char_start": 0, "char_end": len(sentence), "value_start": 0, "value_end": 1,
         "latitude": (coordinates or (None, None))[0], "longitude": (coordinates or (None, None))[1],
         "is_claim": False, "is_historical": False, "event_id": event_id}
        for n, (jsonl_id, event_id, casualty_type, group, value, sentence, coordinates) in enumerate(mentions)
    ]
    rows = {
        "documents": list(documents.values()),
        "events": event_rows,
        "event_figures": figures,
        "event_documents": event_documents,
        "casualty_mentions": mention_rows,
    }
    database = folder / "world.duckdb"
    conn = db.connect(database)
    db.ensure_tables(conn)
    with db.transaction(conn):
        for name, table_rows in rows.items():
            if table_rows:
                insert_rows(conn, name, pl.DataFrame(table_rows, infer_schema_length=None))
    conn.close()
    return gold, database


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_world(tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def result(world: tuple[Path, Path]) -> IncidentEvaluation:
    return evaluate_incidents(*world)


def counts(result: IncidentEvaluation, metric: str) -> tuple[int, int]:
    score = result.score(metric)
    return score.hits, score.total


def test_killed_exact_takes_the_main_event_s_total_and_zero_without_an_event(result: IncidentEvaluation) -> None:
    # a: e2 (3) right; b: tie e3/e4 -> e3 (5) wrong; c: e1 (7) wrong; d: e5 (1) right;
    # e: the text of d, so e5 (1) wrong; f, g: no event, 0 right. e2's children figure (40) is ignored.
    assert counts(result, "killed_exact") == (4, 7)
    assert counts(result, "killed_exact_when_killed") == (2, 3)  # a, b, d
    assert result.score("killed_exact").share == pytest.approx(4 / 7)


def test_a_tie_for_main_event_goes_to_the_smallest_event_id(tmp_path: Path) -> None:
    # inc-b's documents lie one in e3 (5 killed), one in e4 (4, right): e3 is the main event.
    # Renamed so that the right event sorts first, inc-b's figure becomes right.
    events = dict(EVENTS)
    events["e0"] = events.pop("e4")
    renamed = evaluate_incidents(*write_world(tmp_path, events))
    assert counts(renamed, "killed_exact") == (5, 7)
    assert [miss.incident_id for miss in renamed.misses if miss.metric == "killed_exact"] == ["inc-c", "inc-e"]


def test_killed_in_range_accepts_the_gold_range_and_informative_leaves_quiet_incidents_out(result: IncidentEvaluation) -> None:
    # b's 5 lies in 3..6; the rest as killed_exact.
    assert counts(result, "killed_in_range") == (5, 7)
    # d, e, f state no casualty word: a, b, g right, c wrong.
    assert counts(result, "killed_in_range_informative") == (3, 4)


def test_injured_exact_skips_unknown_gold(result: IncidentEvaluation) -> None:
    # Known for a (e2 says 5, gold 2), c (0, no figure), f (0, no event), g (9, no event).
    assert counts(result, "injured_exact") == (2, 4)
    assert counts(result, "injured_exact_when_injured") == (0, 2)


def test_incidents_found_counts_incidents_with_casualties_and_a_casualty_word(result: IncidentEvaluation) -> None:
    # a, b, g have casualties and words (d's text has no casualty word); g has no event.
    assert counts(result, "incidents_found") == (2, 3)


def test_pairs_leave_out_identical_texts_and_count_a_pair_in_two_events_once(result: IncidentEvaluation) -> None:
    # System-same: (a1, a2) in e2 and e6, once; (a3, c1) in e1, wrongly merged. The ids d1
    # and e1 are one stored text in e5: no pair. Gold-same: a's three pairs and (b1, b2).
    assert counts(result, "pair_precision") == (1, 2)
    assert counts(result, "pair_recall") == (1, 4)
    wrong = [miss for miss in result.misses if miss.metric == "pair_precision"]
    assert [(miss.incident_id, miss.document_id) for miss in wrong] == [("inc-a", "a3")]
    assert "e1" in wrong[0].produced and "inc-c" in wrong[0].gold


def test_pair_recall_is_undefined_without_incidents_of_several_documents(tmp_path: Path, world: tuple[Path, Path]) -> None:
    gold, database = world
    singles = tmp_path / "gold.jsonl"
    singles.write_text("".join(line for line in gold.read_text().splitlines(True) if len(json.loads(line)["doc_ids"]) == 1))
    scored = evaluate_incidents(singles, database, input_folder=gold.parent)
    assert counts(scored, "pair_recall") == (0, 0) and scored.score("pair_recall").share is None
    # a3, no longer in the gold, makes no pair with c1: only the gold's documents pair up.
    assert counts(scored, "pair_precision") == (0, 0)


def test_place_uses_the_event_s_coordinates_else_its_mentions(result: IncidentEvaluation) -> None:
    # a: e2 6 km away; b: e3 56 km away; d: e5 has none, its mention lies 6 km away.
    assert counts(result, "place_within_25km") == (2, 3)
    (miss,) = [miss for miss in result.misses if miss.metric == "place_within_25km"]
    assert miss.incident_id == "inc-b" and "56 km" in miss.produced


def test_date_exact_accepts_any_start_within_the_gold_days(result: IncidentEvaluation) -> None:
    # a: 2024-03-02 right; b: 2024-03-06 within 03-05..03-07; d: e5 has no date.
    assert counts(result, "date_exact") == (2, 3)
    (miss,) = [miss for miss in result.misses if miss.metric == "date_exact"]
    assert (miss.incident_id, miss.gold, miss.produced) == ("inc-d", "2024-04-01", "no date")


def test_quiet_false_positive_rate_counts_quiet_documents_with_any_figure(result: IncidentEvaluation) -> None:
    # Quiet single-document incidents: d, e (one stored text, with a killed figure) and f (none).
    assert counts(result, "quiet_false_positive_rate") == (2, 3)
    listed = [miss for miss in result.misses if miss.metric == "quiet_false_positive_rate"]
    assert [(miss.incident_id, miss.produced) for miss in listed] == [("inc-d", "killed 1"), ("inc-e", "killed 1")]


def test_every_id_of_a_repeated_text_is_found_through_its_jsonl_line(result: IncidentEvaluation) -> None:
    # The stored document of d1's text has external id d1 only; e1 is found by its line.
    assert (result.documents, result.documents_stored) == (10, 9)
    assert any(miss.incident_id == "inc-e" and miss.document_id == "e1" for miss in result.misses if miss.metric == "killed_exact")


def test_a_database_without_events_scores_zero_where_figures_are_wanted(tmp_path: Path) -> None:
    # As a run stopped before reconciliation leaves it: documents and mentions, no events.
    unreconciled = [(jsonl_id, None, *rest) for jsonl_id, _, *rest in MENTIONS]
    empty = evaluate_incidents(*write_world(tmp_path, events={}, mentions=unreconciled))
    assert counts(empty, "incidents_found") == (0, 3)
    assert counts(empty, "killed_exact") == (4, 7)  # c, e, f, g: gold 0, and nothing is 0
    assert counts(empty, "killed_exact_when_killed") == (0, 3)
    assert counts(empty, "pair_precision") == (0, 0) and counts(empty, "pair_recall") == (0, 4)
    assert counts(empty, "place_within_25km") == (0, 0) and counts(empty, "date_exact") == (0, 0)


def test_the_gold_format_is_told_by_its_shape(tmp_path: Path, world: tuple[Path, Path]) -> None:
    assert is_incident_gold(world[0])
    seeds = {"documents": {"a.txt": {"mentions": []}}, "events": []}
    pretty, one_line = tmp_path / "pretty.json", tmp_path / "one_line.json"
    pretty.write_text(json.dumps(seeds, indent=2))
    one_line.write_text(json.dumps(seeds))
    assert not is_incident_gold(pretty) and not is_incident_gold(one_line)


def test_cli_prints_every_metric_with_its_denominator(world: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    gold, database = world
    assert cli(["evaluate", "--gold", str(gold), "--db", str(database), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["killed_in_range"] == pytest.approx(5 / 7)
    assert printed["denominators"]["killed_in_range_informative"] == 4
    assert printed["hits"]["pair_recall"] == 1 and printed["pair_recall"] == 0.25
    assert "misses" not in printed


def test_cli_errors_list_each_metric_s_misses_with_their_sentences(world: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    gold, database = world
    assert cli(["evaluate", "--gold", str(gold), "--db", str(database), "--errors", "1"]) == 0
    text = capsys.readouterr().out
    assert "injured_exact_when_injured: 1 of 2 misses" in text
    # a's injured figure comes from a2's mention; the first listed miss of each metric only.
    assert "inc-a a2: gold 2, produced 5" in text and "three dead and five hurt" in text
    assert "inc-g g1: gold 9" not in text


def test_cli_errors_out_writes_the_misses_as_json(world: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold, database = world
    out = tmp_path / "misses.json"
    assert cli(["evaluate", "--gold", str(gold), "--db", str(database), "--json", "--errors", "5", "--errors-out", str(out)]) == 0
    misses = json.loads(out.read_text())
    assert misses["injured_exact_when_injured"] == [
        {"incident_id": "inc-a", "document_id": "a2", "gold": "2", "produced": "5",
         "sentence": "Springfield wedding attack: three dead and five hurt, police said."},
        # Nothing extracted from g1: its opening stands in for the sentence.
        {"incident_id": "inc-g", "document_id": "g1", "gold": "9", "produced": "0", "sentence": ARTICLES["g1"]},
    ]
    assert misses["incidents_found"] == [
        {"incident_id": "inc-g", "document_id": "g1", "gold": "killed 0, injured 9", "produced": "no event", "sentence": ARTICLES["g1"]}
    ]
    assert misses["killed_exact_when_killed"][0]["incident_id"] == "inc-b"
    assert "misses" not in json.loads(capsys.readouterr().out)


def test_cli_refuses_errors_for_the_seeds_gold(tmp_path: Path, world: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    seeds = tmp_path / "gold.json"
    seeds.write_text(json.dumps({"documents": {}, "events": []}, indent=2))
    assert cli(["evaluate", "--gold", str(seeds), "--db", str(world[1]), "--errors", "3"]) == 2
    assert "--errors" in capsys.readouterr().err
