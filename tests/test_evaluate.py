"""Evaluation against the seeds' gold file: a perfect database scores perfectly, and each
kind of damage moves exactly the numbers it should.

The perfect answer is built from gold.json itself when the test runs, so no seed text is
copied here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from casualties import db
from casualties.evaluate import Evaluation, evaluate, format_evaluation
from casualties.tables import TABLES_BY_NAME
from contract_rows import insert_rows

GOLD = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "gold.json"

# Gazetteer spelling and GeoNames id a resolver stores for each gold location.
GAZETTEER = {"Kryvyi Rih": ("Kryvyy Rih", 703845), "Kharkiv": ("Kharkiv", 706483), "Kyiv": ("Kyiv", 703448)}

Tables = dict[str, pl.DataFrame]


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    if not GOLD.exists():
        pytest.skip(reason=f"seed gold file not found at {GOLD}")
    return json.loads(GOLD.read_text(encoding="utf-8"))


def doc_id(gold: dict[str, Any], key: str) -> str:
    return f"doc{sorted(gold['documents']).index(key)}"


def first(value: int | list[int]) -> int:
    return value[0] if isinstance(value, list) else value


def mention_row(gold: dict[str, Any], key: str, n: int, item: dict[str, Any], *, claim: bool) -> dict[str, Any]:
    vague = isinstance(item["value"], list)
    return {
        "mention_id": f"{doc_id(gold, key)}-{'claim' if claim else 'mention'}-{n}",
        "doc_id": doc_id(gold, key),
        "story_id": f"{doc_id(gold, key)}-0",
        "segment_id": f"{doc_id(gold, key)}-0-body-0",
        "segment": "body",
        "casualty_type": item["type"],
        "victim_group": item.get("group"),
        "value": None if vague else item["value"],
        "qualifier": item["qualifier"],
        "value_low": first(item["value"]),
        "value_high": item["value"][1] if vague else item["value"],
        "value_text": str(item["value"]),
        "sentence": item.get("text", ""),
        "char_start": n * 100,
        "char_end": n * 100 + 50,
        "value_start": n * 100,
        "value_end": n * 100 + 5,
        "is_claim": claim,
        "claimant": item.get("claimant"),
        "is_historical": False,
        "event_id": item["event"],
    }


def perfect_answer(gold: dict[str, Any]) -> Tables:
    """What a flawless pipeline would store for the gold file: every table it scores."""
    keys = sorted(gold["documents"])
    documents = pl.DataFrame(
        {
            "doc_id": [doc_id(gold, key) for key in keys],
            "source_uri": keys,
            "source_uris": [[key] for key in keys],
            "format": ["txt"] * len(keys),
            "encoding": ["utf-8"] * len(keys),
            "bytes": [1] * len(keys),
            "raw_text": [""] * len(keys),
            "ingested_at": [datetime(2025, 5, 1)] * len(keys),
        }
    )
    mentions = [
        mention_row(gold, key, n, item, claim=claim)
        for key, expected in gold["documents"].items()
        for claim, items in ((False, expected.get("mentions", [])), (True, expected.get("claims", [])))
        for n, item in enumerate(items)
    ]
    events, figures, event_documents, claims = [], [], [], []
    for event in gold["events"]:
        when = event["date"]
        start, end = (when["from"], when["to"]) if isinstance(when, dict) else (when, when)
        location, geonameid = GAZETTEER.get(event["location"], (None, None))
        events.append(
            {
                "event_id": event["id"],
                "location": location,
                "geonameid": geonameid,
                "country_code": event["country"],
                "date_start": date.fromisoformat(start),
                "date_end": date.fromisoformat(end),
                "n_documents": len(event["documents"]),
                "n_sources": 1,
            }
        )
        for name, figure in {**event["figures"], **event.get("optional_figures", {})}.items():
            casualty_type, _, group = name.partition(".")
            figures.append(
                {
                    "event_id": event["id"],
                    "casualty_type": casualty_type,
                    "victim_group": group or None,
                    "victim_group_key": group or "total",
                    **{bound: first(figure[bound]) for bound in ("low", "best", "high")},
                    "n_mentions": 1,
                    "policy": "max_non_party",
                }
            )
        event_documents += [{"event_id": event["id"], "doc_id": doc_id(gold, key)} for key in event["documents"]]
    for key, expected in gold["documents"].items():
        for n, claim in enumerate(expected.get("claims", [])):
            claims.append(
                {
                    "event_id": claim["event"],
                    "claimant": claim["claimant"],
                    "casualty_type": claim["type"],
                    "victim_group": claim.get("group"),
                    "value_low": 0 if claim["qualifier"] == "up_to" else claim["value"],
                    "value_high": claim["value"],
                    "mention_id": f"{doc_id(gold, key)}-claim-{n}",
                }
            )
    frames = {
        "documents": documents,
        "casualty_mentions": pl.DataFrame(mentions, infer_schema_length=None),
        "events": pl.DataFrame(events),
        "event_figures": pl.DataFrame(figures),
        "event_documents": pl.DataFrame(event_documents),
        "event_claims": pl.DataFrame(claims),
    }
    return {name: db.conform(frame, TABLES_BY_NAME[name]) for name, frame in frames.items()}


def scored(tmp_path: Path, tables: Tables) -> Evaluation:
    path = tmp_path / "scored.duckdb"
    conn = db.connect(path)
    db.ensure_tables(conn)
    with db.transaction(conn):
        for name, frame in tables.items():
            insert_rows(conn, name, frame)
    conn.close()
    return evaluate(GOLD, path)


def changed(tables: Tables, name: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> Tables:
    return {**tables, name: db.conform(change(tables[name]), TABLES_BY_NAME[name])}


def required_mentions(gold: dict[str, Any]) -> int:
    return sum(not m.get("optional") for d in gold["documents"].values() for m in d.get("mentions", []))


@pytest.fixture()
def perfect(gold: dict[str, Any]) -> Tables:
    return perfect_answer(gold)


def test_perfect_answer_scores_perfectly(tmp_path: Path, gold: dict[str, Any], perfect: Tables) -> None:
    result = scored(tmp_path, perfect)
    m = result.mentions
    assert (m.found_mentions, m.gold_mentions) == (required_mentions(gold), required_mentions(gold))
    assert (m.recall, m.precision, m.qualifier_accuracy) == (1.0, 1.0, 1.0)
    assert (m.claims_found, m.claims, m.claims_leaked) == (1, 1, 0)
    assert m.non_casualty_leaked == 0 and m.non_casualty_numbers > 0
    assert not (m.missed or m.false_positives or m.leaked_claims or m.missing_documents)
    e = result.events
    assert e is not None
    assert (e.exact_events, e.gold_events) == (5, 5)
    assert e.figures_right == e.figures == sum(len(event["figures"]) for event in gold["events"])
    assert (e.claims_found, e.claims) == (1, 1)
    assert (e.event_count, e.gold_event_count, e.extra_events) == (5, 5, [])
    # 'Kryvyi Rih' in the gold file is found under the gazetteer's 'Kryvyy Rih'.
    assert {check.gold_id: check.event_id for check in e.events}["kryvyi-rih-2025-04-04"] == "kryvyi-rih-2025-04-04"


def test_a_dropped_mention_lowers_recall_only(tmp_path: Path, gold: dict[str, Any], perfect: Tables) -> None:
    kharkiv_wounded = (pl.col("event_id") == "kharkiv-2025-04-03") & (pl.col("casualty_type") == "injured")
    result = scored(tmp_path, changed(perfect, "casualty_mentions", lambda f: f.filter(~kharkiv_wounded)))
    m = result.mentions
    assert (m.found_mentions, m.gold_mentions) == (required_mentions(gold) - 1, required_mentions(gold))
    assert [(x.casualty_type, x.value) for x in m.missed] == [("injured", 32)]
    assert m.precision == 1.0
    assert result.events is not None and result.events.exact_events == 5


def test_a_false_positive_lowers_precision_and_is_listed(tmp_path: Path, gold: dict[str, Any], perfect: Tables) -> None:
    key = "000_d1a000b0bdd69ded.txt"
    phrase = gold["documents"][key]["not_casualties"][0]
    number = int(phrase.split()[0])
    sentence = f"Officials said the attackers used {phrase} overnight."
    intruder = (
        perfect["casualty_mentions"].head(1).with_columns(
            pl.lit("doc0-intruder").alias("mention_id"),
            pl.lit("killed").alias("casualty_type"),
            pl.lit(None, dtype=pl.String).alias("victim_group"),
            pl.lit(number, dtype=pl.Int64).alias("value"),
            pl.lit(sentence).alias("sentence"),
        )
    )
    result = scored(tmp_path, changed(perfect, "casualty_mentions", lambda f: pl.concat([f, intruder])))
    m = result.mentions
    assert m.recall == 1.0
    assert (m.correct, m.extracted) == (m.extracted - 1, m.extracted)
    assert [(x.document, x.value, x.sentence) for x in m.false_positives] == [(key, number, sentence)]
    assert [(x.phrase, x.value) for x in m.leaked_numbers] == [(phrase, number)]
    assert m.non_casualty_leaked == 1
    assert "False positives" in format_evaluation(result) and sentence in format_evaluation(result)


def test_a_claim_stored_as_a_fact_is_a_leak(tmp_path: Path, perfect: Tables) -> None:
    as_fact = changed(perfect, "casualty_mentions", lambda f: f.with_columns(pl.lit(False).alias("is_claim")))
    m = scored(tmp_path, as_fact).mentions
    assert (m.claims_found, m.claims_leaked) == (0, 1)
    assert [x.leaked_into for x in m.leaked_claims] == ["casualty_mentions"]
    assert m.precision is not None and m.precision < 1.0  # 85 military dead is in no gold mention


def test_a_claim_counted_into_a_figure_is_a_leak_and_a_wrong_figure(tmp_path: Path, perfect: Tables) -> None:
    killed_in_kryvyi_rih = (
        (pl.col("event_id") == "kryvyi-rih-2025-04-04") & (pl.col("casualty_type") == "killed") & (pl.col("victim_group_key") == "total")
    )
    inflated = changed(
        perfect, "event_figures", lambda f: f.with_columns(pl.when(killed_in_kryvyi_rih).then(85).otherwise(pl.col("high")).alias("high"))
    )
    result = scored(tmp_path, inflated)
    assert [x.leaked_into for x in result.mentions.leaked_claims] == ["event_figures"]
    e = result.events
    assert e is not None
    assert (e.exact_events, e.figures_right, e.figures) == (4, 12, 13)
    wrong = [(c.gold_id, f.figure, f.found) for c in e.events for f in c.figure_checks if not f.right]
    assert wrong == [("kryvyi-rih-2025-04-04", "killed", {"low": 14, "best": 16, "high": 85})]
    assert "14/16/85" in format_evaluation(result)


def test_merged_events_and_extra_events_are_counted(tmp_path: Path, perfect: Tables) -> None:
    # The historical Kyiv attack folded into the current one, and a spurious Kharkiv event.
    merged = changed(perfect, "event_documents", lambda f: f.filter(pl.col("event_id") != "kyiv-2024-07-08"))
    merged = changed(merged, "event_figures", lambda f: f.filter(pl.col("event_id") != "kyiv-2024-07-08"))
    merged = changed(merged, "events", lambda f: f.filter(pl.col("event_id") != "kyiv-2024-07-08"))
    spurious = {"event_id": "kharkiv-2025-04-24", "location": "Kharkiv", "geonameid": 706483, "country_code": "UA",
                "date_start": date(2025, 4, 24), "date_end": date(2025, 4, 24), "n_documents": 1, "n_sources": 1}
    merged = changed(merged, "events", lambda f: pl.concat([f, db.conform(pl.DataFrame([spurious]), TABLES_BY_NAME["events"])]))
    merged = changed(merged, "event_documents", lambda f: pl.concat([f, pl.DataFrame({"event_id": ["kharkiv-2025-04-24"], "doc_id": ["doc3"]})]))
    merged = changed(
        merged,
        "event_figures",
        lambda f: pl.concat([f, f.head(1).with_columns(pl.lit("kharkiv-2025-04-24").alias("event_id"))]),
    )
    e = scored(tmp_path, merged).events
    assert e is not None
    assert (e.exact_events, e.matched_events, e.gold_events) == (4, 4, 5)
    assert (e.figures_right, e.figures) == (11, 13)
    assert [(x.event_id, x.documents) for x in e.extra_events] == [("kharkiv-2025-04-24", ["003_b1c98fba87abfd1e.txt"])]
    assert (e.event_count, e.gold_event_count) == (5, 5)
    unmatched = next(c for c in e.events if c.gold_id == "kyiv-2024-07-08")
    assert unmatched.event_id is None and unmatched.missing_documents == ["003_b1c98fba87abfd1e.txt"]


def test_an_event_reported_by_a_wrong_document_is_not_exact(tmp_path: Path, perfect: Tables) -> None:
    extra_document = pl.DataFrame({"event_id": ["kharkiv-2025-04-03"], "doc_id": ["doc4"]})
    e = scored(tmp_path, changed(perfect, "event_documents", lambda f: pl.concat([f, extra_document]))).events
    assert e is not None and e.exact_events == 4
    check = next(c for c in e.events if c.gold_id == "kharkiv-2025-04-03")
    assert (check.exact, check.figures_right, check.extra_documents) == (False, 2, ["004_4026054a69ae208c.txt"])


def test_documents_are_found_under_any_of_their_names(tmp_path: Path, perfect: Tables) -> None:
    renamed = changed(
        perfect,
        "documents",
        lambda f: f.with_columns(
            pl.format("mirror/{}", "source_uri").alias("source_uri"),
            pl.concat_list(pl.format("mirror/{}", "source_uri"), "source_uri").alias("source_uris"),
        ),
    )
    result = scored(tmp_path, renamed)
    assert result.mentions.recall == 1.0 and not result.mentions.missing_documents
    assert result.events is not None and result.events.exact_events == 5


def test_without_events_only_mentions_are_scored(tmp_path: Path, perfect: Tables) -> None:
    empty = {name: frame.clear() if name.startswith("event") else frame for name, frame in perfect.items()}
    result = scored(tmp_path, empty)
    assert result.events is None
    assert result.mentions.recall == 1.0
    assert "no events yet" in format_evaluation(result)


def test_result_serialises_to_json(tmp_path: Path, perfect: Tables) -> None:
    result = scored(tmp_path, perfect)
    as_json = json.loads(json.dumps(result.to_dict()))
    assert as_json["mentions"]["recall"] == 1.0
    assert as_json["events"]["exact_events"] == 5
    report = format_evaluation(result)
    for line in ("recall", "events exact", "figures right", "claims in event_claims", "5 (gold 5)"):
        assert line in report
