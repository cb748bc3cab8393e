"""Reconciliation on synthetic mentions modelled on the five seed articles.

The frames below restate, as extracted rows, what the seeds report (see
../shared/seeds/gold.json): Kryvyi Rih 2025-04-04 from two documents, one undated and
carrying the Russian claim; Kharkiv 2025-04-03 in the same story; Kyiv 2025-04-24 from
three documents, one spelling it 'Kiev' (already resolved to the same GeoNames id) and
quoting embedded posts; the historical Kyiv attack of 2024-07-08; and the Iran protests
as a country-level period.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from casualties import db
from casualties.evaluate import evaluate
from casualties.reconcile import Reconciliation, reconcile
from casualties.tables import CASUALTY_MENTIONS, DOCUMENTS, EXTRACTED_MENTIONS, TABLES_BY_NAME

GOLD = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "gold.json"

KYIV = {"location": "Kyiv", "geonameid": 703448, "country_code": "UA", "admin1": "12", "location_precision": "city",
        "latitude": 50.45466, "longitude": 30.5238}
KHARKIV = {"location": "Kharkiv", "geonameid": 706483, "country_code": "UA", "admin1": "07", "location_precision": "city",
           "latitude": 49.98177, "longitude": 36.25475}
KRYVYI_RIH = {"location": "Kryvyy Rih", "geonameid": 703845, "country_code": "UA", "admin1": "04",
              "location_precision": "city", "latitude": 47.90572, "longitude": 33.39404}
DNIPROPETROVSK_REGION = {"location": "Dnipropetrovsk Oblast", "geonameid": None, "country_code": "UA", "admin1": "04",
                         "location_precision": "region"}
DNIPRO = {"location": "Dnipro", "geonameid": 709930, "country_code": "UA", "admin1": "04", "location_precision": "city"}
IRAN = {"location": None, "geonameid": None, "country_code": "IR", "admin1": None, "location_precision": "country"}

# The seed files these synthetic documents stand for, by doc_id.
SEED_FILES = {
    "doc-ap": "000_d1a000b0bdd69ded.txt",
    "doc-undated": "001_c217f37dcce5fc64.txt",
    "doc-portal": "002_0de2d07b42770e26.txt",
    "doc-blog": "003_b1c98fba87abfd1e.txt",
    "doc-reuters": "004_4026054a69ae208c.txt",
}

_BOUNDS = {
    "exact": lambda v: (v, v),
    "at_least": lambda v: (v, None),
    "more_than": lambda v: (v + 1, None),
    "up_to": lambda v: (0, v),
    "about": lambda v: (v, v),
}


def mention(
    doc_id: str,
    casualty_type: str,
    value: int | None,
    qualifier: str = "exact",
    *,
    place: dict[str, Any],
    on: date | None,
    kind: str | None,
    story: int = 0,
    segment: str = "body",
    group: str | None = None,
    vague: tuple[int, int] | None = None,
    until: date | None = None,
    precision: str | None = "day",
    basis: str | None = "text",
    publisher: str | None = None,
    reported_at: datetime | None = None,
    claimant: str | None = None,
    historical: bool = False,
    aggregate: bool = False,
) -> dict[str, Any]:
    """One casualty_mentions row; value_low/high follow the qualifier unless `vague` gives them."""
    low, high = vague if vague else _BOUNDS[qualifier](value)
    story_id = f"{doc_id}-{story}"
    return {
        "doc_id": doc_id,
        "story_id": story_id,
        "segment_id": f"{story_id}-{segment}-0",
        "segment": segment,
        "casualty_type": casualty_type,
        "victim_group": group,
        "value": value,
        "qualifier": qualifier,
        "value_low": low,
        "value_high": high,
        "value_text": f"{qualifier} {value}",
        "sentence": f"{casualty_type} {group or 'people'} {value}",
        "char_start": 0,
        "char_end": 10,
        "value_start": 0,
        "value_end": 2,
        **place,
        "event_date": on,
        "event_date_end": until or on,
        "event_date_precision": precision if on else None,
        "event_date_basis": basis if on else None,
        "attack_kind": kind,
        "is_claim": claimant is not None,
        "claimant": claimant,
        "is_historical": historical,
        "is_aggregate": aggregate,
        "reported_at": reported_at,
        "publisher": publisher,
    }


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows as a casualty_mentions frame; mention ids from content so extra rows never renumber old ones."""
    schema = CASUALTY_MENTIONS.polars_schema()
    numbered = [
        {"mention_id": f"{row['doc_id']}-{row['segment']}-{row['casualty_type']}-{row['victim_group']}-{row['value']}-{row['qualifier']}-{row['event_date']}", **row}
        for row in rows
    ]
    columns = dict.fromkeys(name for row in numbered for name in row)  # a row may set a column the others leave out
    built = pl.DataFrame(numbered, schema={name: schema[name] for name in columns})
    assert built["mention_id"].n_unique() == built.height
    return built


def seed_rows() -> list[dict[str, Any]]:
    ap = {"publisher": "AP", "reported_at": datetime(2025, 4, 5, 3, 12)}
    kryvyi_rih = {"place": KRYVYI_RIH, "on": date(2025, 4, 4), "kind": "ballistic missile strike", **ap}
    kharkiv = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "drone attack", **ap}
    iran = {"place": IRAN, "on": date(2025, 12, 28), "until": date(2026, 1, 12), "precision": "period",
            "kind": "crackdown on protests", "story": 1, "publisher": "AP", "reported_at": datetime(2026, 1, 12, 18)}
    undated = {"place": KRYVYI_RIH, "on": None, "kind": "missile strike"}
    portal = {"place": KYIV, "on": date(2025, 4, 24), "kind": "missile and drone attack", "publisher": "Mint",
              "reported_at": datetime(2025, 4, 25, 9)}
    # The blog spells it 'Kiev'; the place resolver already mapped that to Kyiv's id.
    blog = {"place": KYIV, "on": date(2025, 4, 24), "kind": "missile strike", "reported_at": datetime(2025, 4, 24, 12)}
    reuters = {"place": KYIV, "on": date(2025, 4, 24), "kind": "missile and drone attack", "publisher": "Reuters",
               "reported_at": datetime(2025, 4, 24, 20)}
    return [
        mention("doc-ap", "killed", 14, "at_least", segment="headline", **kryvyi_rih),
        mention("doc-ap", "killed", 14, "at_least", **kryvyi_rih),
        mention("doc-ap", "killed", 6, group="children", **kryvyi_rih),
        mention("doc-ap", "injured", 50, "at_least", **kryvyi_rih),
        mention("doc-ap", "killed", 12, "more_than", segment="caption", **{**kryvyi_rih, "kind": "missile attack"}),
        mention("doc-ap", "killed", 5, group="civilians", **kharkiv),
        mention("doc-ap", "injured", 32, **kharkiv),
        mention("doc-ap", "killed", 544, "at_least", **iran),
        mention("doc-ap", "killed", 496, group="protesters", **iran),
        mention("doc-ap", "killed", 48, group="security_forces", **iran),
        mention("doc-ap", "detained", 10600, "more_than", **iran),
        mention("doc-undated", "killed", 16, "at_least", **undated),
        mention("doc-undated", "killed", 6, group="children", **undated),
        mention("doc-undated", "injured", 50, "at_least", **undated),
        mention("doc-undated", "hospitalized", 30, "more_than", **undated),
        mention("doc-undated", "killed", 85, "up_to", group="military", claimant="Russian defense ministry", **undated),
        mention("doc-portal", "killed", 12, "at_least", **portal),
        mention("doc-portal", "injured", 90, **portal),
        mention("doc-portal", "killed", 12, **portal),
        mention("doc-portal", "injured", None, "about", vague=(24, 99), **portal),
        mention("doc-blog", "killed", 9, "at_least", **blog),
        mention("doc-blog", "injured", 70, "more_than", **blog),
        mention("doc-blog", "killed", 9, **blog),
        mention("doc-blog", "injured", 63, **blog),
        mention("doc-blog", "killed", 8, "at_least", segment="embedded_post", **blog),
        mention("doc-blog", "hospitalized", 21, segment="embedded_post", **blog),
        mention("doc-blog", "missing", 2, group="children", **blog),
        mention("doc-blog", "hospitalized", 3, group="children", segment="embedded_post", **blog),
        mention("doc-blog", "killed", 34, historical=True, **{**blog, "on": date(2024, 7, 8), "kind": "attack"}),
        mention("doc-blog", "injured", 121, historical=True, **{**blog, "on": date(2024, 7, 8), "kind": "attack"}),
        mention("doc-reuters", "killed", 12, "at_least", **reuters),
        mention("doc-reuters", "injured", 90, **reuters),
        mention("doc-reuters", "killed", 12, **reuters),
    ]


@pytest.fixture(scope="module")
def seeds() -> Reconciliation:
    return reconcile(frame(seed_rows()))


def event_id_at(result: Reconciliation, *, country: str, on: date, geonameid: int | None = None) -> str:
    found = result.events.filter(
        (pl.col("country_code") == country)
        & (pl.col("date_start") <= on)
        & (pl.col("date_end") >= on)
        & (pl.col("geonameid").eq_missing(geonameid))
    )
    assert found.height == 1, found
    return found["event_id"][0]


def figures_of(result: Reconciliation, event_id: str) -> dict[str, tuple[int, int, int]]:
    rows = result.event_figures.filter(pl.col("event_id") == event_id)
    return {
        row["casualty_type"] + ("" if row["victim_group"] is None else "." + row["victim_group"]): (row["low"], row["best"], row["high"])
        for row in rows.iter_rows(named=True)
    }


def test_seed_mentions_form_the_five_gold_events_with_gold_figures(seeds: Reconciliation) -> None:
    assert seeds.events.height == 5
    kryvyi_rih = event_id_at(seeds, country="UA", on=date(2025, 4, 4), geonameid=703845)
    kharkiv = event_id_at(seeds, country="UA", on=date(2025, 4, 3), geonameid=706483)
    kyiv = event_id_at(seeds, country="UA", on=date(2025, 4, 24), geonameid=703448)
    kyiv_2024 = event_id_at(seeds, country="UA", on=date(2024, 7, 8), geonameid=703448)
    iran = event_id_at(seeds, country="IR", on=date(2026, 1, 1))

    # The caption's 'more than a dozen' does not lower the body's 14.
    assert figures_of(seeds, kryvyi_rih) == {
        "killed": (14, 16, 16),
        "killed.children": (6, 6, 6),
        "injured": (50, 50, 50),
        "hospitalized": (30, 30, 30),
    }
    # Only 'five civilians' is stated: the total killed is derived from it.
    assert figures_of(seeds, kharkiv) == {"killed.civilians": (5, 5, 5), "killed": (5, 5, 5), "injured": (32, 32, 32)}
    # Preliminary 9 / 63 are superseded; 'dozens' (24) yields to the precise figures.
    assert figures_of(seeds, kyiv) == {
        "killed": (9, 12, 12),
        "injured": (63, 90, 90),
        "hospitalized": (21, 21, 21),
        "hospitalized.children": (3, 3, 3),
        "missing.children": (2, 2, 2),
        "missing": (2, 2, 2),
    }
    assert figures_of(seeds, kyiv_2024) == {"killed": (34, 34, 34), "injured": (121, 121, 121)}
    assert figures_of(seeds, iran) == {
        "killed": (544, 544, 544),
        "killed.protesters": (496, 496, 496),
        "killed.security_forces": (48, 48, 48),
        "detained": (10600, 10600, 10600),
    }


def test_seed_events_carry_place_dates_kind_and_sources(seeds: Reconciliation) -> None:
    events = {row["geonameid"] or row["country_code"]: row for row in seeds.events.iter_rows(named=True) if row["date_start"] != date(2024, 7, 8)}
    kyiv = events[703448]
    assert (kyiv["location"], kyiv["country_code"], kyiv["admin1"]) == ("Kyiv", "UA", "12")
    assert (kyiv["date_start"], kyiv["date_end"], kyiv["date_precision"]) == (date(2025, 4, 24), date(2025, 4, 24), "day")
    assert kyiv["kind"] == "missile and drone attack"  # two documents say so, one says 'missile strike'
    assert (kyiv["n_documents"], kyiv["n_sources"]) == (3, 2)  # the blog has no publisher
    assert (kyiv["first_reported_at"], kyiv["last_reported_at"]) == (datetime(2025, 4, 24, 12), datetime(2025, 4, 25, 9))
    kryvyi_rih = events[703845]
    assert (kryvyi_rih["n_documents"], kryvyi_rih["n_sources"], kryvyi_rih["date_start"]) == (2, 1, date(2025, 4, 4))
    iran = events["IR"]
    assert iran["location"] is None
    assert (iran["date_start"], iran["date_end"], iran["date_precision"]) == (date(2025, 12, 28), date(2026, 1, 12), "period")
    assert seeds.event_documents.group_by("event_id").len()["len"].sum() == 8


def test_claim_is_kept_attributed_and_never_counted(seeds: Reconciliation) -> None:
    kryvyi_rih = event_id_at(seeds, country="UA", on=date(2025, 4, 4), geonameid=703845)
    claims = seeds.event_claims.to_dicts()
    assert len(claims) == 1
    assert claims[0] | {"mention_id": None} == {
        "event_id": kryvyi_rih,
        "claimant": "Russian defense ministry",
        "casualty_type": "killed",
        "victim_group": "military",
        "value_low": 0,
        "value_high": 85,
        "mention_id": None,
    }
    figures = seeds.event_figures
    assert figures.filter(pl.col("victim_group") == "military").is_empty()
    assert figures.filter(pl.any_horizontal(pl.col("low", "best", "high") == 85)).is_empty()
    assert claims[0]["mention_id"] not in seeds.figure_history["mention_id"].to_list()


def test_history_holds_every_report_and_counts_agree(seeds: Reconciliation) -> None:
    rows = frame(seed_rows())
    assert seeds.figure_history.height == rows.filter(~pl.col("is_claim")).height
    assert seeds.mention_events.height == rows.height
    stated = seeds.event_figures.join(
        seeds.figure_history.with_columns(pl.col("victim_group").fill_null("total").alias("victim_group_key"))
        .group_by("event_id", "casualty_type", "victim_group_key")
        .len(),
        on=["event_id", "casualty_type", "victim_group_key"],
    )
    assert (stated["n_mentions"] == stated["len"]).all()
    kyiv = event_id_at(seeds, country="UA", on=date(2025, 4, 24), geonameid=703448)
    killed_in_kyiv = seeds.figure_history.filter((pl.col("event_id") == kyiv) & (pl.col("casualty_type") == "killed"))
    assert sorted(killed_in_kyiv["value"].to_list()) == [8, 9, 9, 12, 12, 12, 12]
    assert set(killed_in_kyiv["publisher"].to_list()) == {None, "Mint", "Reuters"}


def test_seeds_raise_no_conflict(seeds: Reconciliation) -> None:
    # 496 protesters + 48 security forces = 544 killed: the groups fit their total.
    assert seeds.event_conflicts.is_empty()


def test_ids_are_stable_across_runs_and_row_order(seeds: Reconciliation) -> None:
    rows = frame(seed_rows())
    shuffled = rows.sample(fraction=1.0, shuffle=True, seed=7).select(reversed(rows.columns))
    for again in (reconcile(rows), reconcile(shuffled)):
        for name, table in seeds.tables().items():
            assert again.tables()[name].equals(table), name
        assert again.mention_events.equals(seeds.mention_events)


def test_adding_a_mention_changes_only_the_event_it_joins(seeds: Reconciliation) -> None:
    # A next-day report of the overnight Kyiv attack with a higher toll.
    later = mention("doc-later", "killed", 13, "at_least", place=KYIV, on=date(2025, 4, 25), kind="drone attack",
                    publisher="Kyiv Independent", reported_at=datetime(2025, 4, 25, 18))
    grown = reconcile(frame([*seed_rows(), later]))
    kyiv = event_id_at(seeds, country="UA", on=date(2025, 4, 24), geonameid=703448)

    assert grown.events["event_id"].to_list() == seeds.events["event_id"].to_list()
    assert grown.mention_events.filter(pl.col("mention_id").str.starts_with("doc-later"))["event_id"].to_list() == [kyiv]
    for name in ("events", "event_figures", "event_documents", "event_claims", "figure_history"):
        before = seeds.tables()[name].filter(pl.col("event_id") != kyiv)
        after = grown.tables()[name].filter(pl.col("event_id") != kyiv)
        assert after.equals(before), name
    assert figures_of(grown, kyiv)["killed"] == (9, 13, 13)
    assert grown.events.filter(pl.col("event_id") == kyiv)["date_end"][0] == date(2025, 4, 25)


def test_same_place_on_other_dates_or_other_places_stay_apart(seeds: Reconciliation) -> None:
    kyiv_events = seeds.events.filter(pl.col("geonameid") == 703448)
    assert sorted(kyiv_events["date_start"].to_list()) == [date(2024, 7, 8), date(2025, 4, 24)]
    story = seeds.mention_events.join(frame(seed_rows()).select("mention_id", "story_id", "geonameid"), on="mention_id")
    one_story = story.filter(pl.col("story_id") == "doc-ap-0")
    assert one_story.group_by("geonameid").agg(pl.col("event_id").n_unique())["event_id"].to_list() == [1, 1]
    assert one_story["event_id"].n_unique() == 2  # Kryvyi Rih and Kharkiv


def kyiv_report(doc_id: str, on: date | None, kind: str | None = "drone attack", value: int = 3, **extra: Any) -> dict[str, Any]:
    return mention(doc_id, "killed", value, place=KYIV, on=on, kind=kind, **extra)


def n_events(rows: list[dict[str, Any]]) -> int:
    return reconcile(frame(rows)).events.height


def test_overnight_attack_dated_on_two_days_is_one_event() -> None:
    assert n_events([kyiv_report("a", date(2025, 5, 1)), kyiv_report("b", date(2025, 5, 2))]) == 1
    assert n_events([kyiv_report("a", date(2025, 5, 1)), kyiv_report("b", date(2025, 5, 3))]) == 2


def test_raids_on_three_nights_running_are_three_events() -> None:
    nights = [kyiv_report(f"night-{day}", date(2025, 5, day)) for day in (1, 2, 3)]
    assert n_events(nights) == 3


def test_kind_of_attack_separates_incidents_and_unstated_kind_adopts_the_only_one() -> None:
    missile = kyiv_report("a", date(2025, 5, 1), kind="missile strike")
    shooting = kyiv_report("b", date(2025, 5, 1), kind="mass shooting", value=4)
    # Its later, higher toll ties the unstated report to the missile strike's.
    missile = {**missile, "reported_at": datetime(2025, 5, 1, 8)}
    unstated = kyiv_report("c", date(2025, 5, 1), kind=None, value=5, reported_at=datetime(2025, 5, 1, 20))
    assert n_events([missile, shooting]) == 2
    alone = reconcile(frame([missile, unstated]))
    assert alone.events.height == 1
    assert figures_of(alone, alone.events["event_id"][0])["killed"] == (3, 5, 5)
    # With two kinds that day the unstated report cannot be placed in either.
    assert n_events([missile, shooting, unstated]) == 3


def test_undated_mention_joins_the_only_matching_event_else_stands_alone(seeds: Reconciliation) -> None:
    kryvyi_rih = event_id_at(seeds, country="UA", on=date(2025, 4, 4), geonameid=703845)
    undated_events = seeds.mention_events.filter(pl.col("mention_id").str.starts_with("doc-undated"))
    assert undated_events["event_id"].unique().to_list() == [kryvyi_rih]

    earlier = mention("doc-march", "killed", 2, place=KRYVYI_RIH, on=date(2025, 3, 1), kind="drone attack")
    ambiguous = reconcile(frame([*seed_rows(), earlier]))
    undated = ambiguous.mention_events.filter(pl.col("mention_id").str.starts_with("doc-undated"))
    assert undated["event_id"].n_unique() == 1
    own = ambiguous.events.filter(pl.col("event_id") == undated["event_id"][0]).row(0, named=True)
    assert own["event_id"] != kryvyi_rih
    assert (own["date_start"], own["date_end"], own["location"]) == (None, None, "Kryvyy Rih")
    assert figures_of(ambiguous, own["event_id"])["killed"] == (16, 16, 16)
    assert ambiguous.event_claims["event_id"].to_list() == [own["event_id"]]


def test_region_mention_joins_its_city_event_when_unambiguous(seeds: Reconciliation) -> None:
    region = mention("doc-region", "injured", 55, "at_least", place=DNIPROPETROVSK_REGION, on=date(2025, 4, 4),
                     kind="missile strike")
    joined = reconcile(frame([*seed_rows(), region]))
    kryvyi_rih = event_id_at(seeds, country="UA", on=date(2025, 4, 4), geonameid=703845)
    assert joined.events.height == 5
    assert joined.mention_events.filter(pl.col("mention_id").str.starts_with("doc-region"))["event_id"].to_list() == [kryvyi_rih]
    city = joined.events.filter(pl.col("event_id") == kryvyi_rih).row(0, named=True)
    assert city["location"] == "Kryvyy Rih"  # the city is more precise than its region
    assert figures_of(joined, kryvyi_rih)["injured"] == (50, 55, 55)

    # A second city struck in the region that day: the regional figure belongs to neither.
    dnipro = mention("doc-dnipro", "killed", 1, place=DNIPRO, on=date(2025, 4, 4), kind="drone attack")
    apart = reconcile(frame([*seed_rows(), region, dnipro]))
    assert apart.events.height == 7
    region_event = apart.mention_events.filter(pl.col("mention_id").str.starts_with("doc-region"))["event_id"][0]
    assert apart.events.filter(pl.col("event_id") == region_event)["location"].to_list() == ["Dnipropetrovsk Oblast"]


SMALLTOWN = {"location": "Springfield", "geonameid": 4250542, "country_code": "US", "admin1": "IL",
             "location_precision": "city"}
ILLINOIS = {"location": "Illinois", "geonameid": None, "country_code": "US", "admin1": "IL", "location_precision": "region"}


def test_a_story_placed_only_in_a_state_joins_its_town_event_by_the_same_toll_only() -> None:
    # A state has many shootings a day: a story that names only the state joins the one town
    # event of its day when it states that event's toll, not by the state alone.
    town = [
        mention("town-report", "killed", 2, place=SMALLTOWN, on=date(2025, 5, 3), kind="shooting"),
        mention("town-report", "injured", 1, place=SMALLTOWN, on=date(2025, 5, 3), kind="shooting"),
    ]
    other_toll = mention("state-report", "killed", 3, place=ILLINOIS, on=date(2025, 5, 3), kind="shooting")
    apart = reconcile(frame([*town, other_toll]))
    assert apart.events.height == 2
    same_toll = [
        mention("state-report", "killed", 2, place=ILLINOIS, on=date(2025, 5, 3), kind="shooting"),
        mention("state-report", "injured", 1, place=ILLINOIS, on=date(2025, 5, 3), kind="shooting"),
    ]
    joined = reconcile(frame([*town, *same_toll]))
    assert joined.events.height == 1
    assert "places it only in region r:US:IL" in joined.events["merged_on"][0]


def test_country_level_mentions_group_by_overlapping_period() -> None:
    def protests(doc_id: str, start: date, end: date, value: int) -> dict[str, Any]:
        return mention(doc_id, "killed", value, "at_least", place=IRAN, on=start, until=end, precision="period",
                       kind="crackdown on protests")

    named_country = {**protests("early", date(2025, 12, 28), date(2026, 1, 10), 500), "location": "Iran"}
    result = reconcile(frame([
        named_country,
        protests("later", date(2025, 12, 28), date(2026, 1, 12), 544),
        protests("next-year", date(2026, 6, 1), date(2026, 6, 20), 20),
    ]))
    assert sorted(result.events["date_start"].to_list()) == [date(2025, 12, 28), date(2026, 6, 1)]
    first = event_id_at(result, country="IR", on=date(2026, 1, 1))
    assert figures_of(result, first)["killed"] == (500, 544, 544)
    iran = result.events.filter(pl.col("event_id") == first).row(0, named=True)
    assert (iran["date_end"], iran["location"], iran["country_code"]) == (date(2026, 1, 12), None, "IR")


def test_past_tolls_placed_only_in_a_country_stay_with_their_story() -> None:
    # Two stories each recalling a past year's shooting ('last year, two men were killed'):
    # a year and a country are no ground to call them one incident.
    def recalled(doc_id: str, value: int) -> dict[str, Any]:
        return mention(doc_id, "killed", value, place=IRAN, on=date(2024, 1, 1), until=date(2024, 12, 31),
                       precision="period", kind="shooting", historical=True)

    assert n_events([recalled("first", 2), recalled("second", 4)]) == 2


def test_historical_mentions_never_join_the_reported_event() -> None:
    current = kyiv_report("news", date(2025, 4, 24))
    misdated_history = kyiv_report("news", date(2025, 4, 24), kind="attack", value=34, historical=True)
    assert n_events([current, misdated_history]) == 2


def test_a_running_total_is_kept_but_never_an_event_figure() -> None:
    report = kyiv_report("news", date(2025, 4, 24), value=4)
    war_total = kyiv_report("news", date(2025, 4, 24), value=12_000, aggregate=True)
    result = reconcile(frame([report, war_total]))
    assert result.events.height == 1
    assert result.event_figures.select("casualty_type", "best").rows() == [("killed", 4)]
    assert 12_000 not in result.figure_history["value"].to_list()
    # A story stating only a running total reports no incident: no event without a figure.
    alone = reconcile(frame([kyiv_report("digest", date(2025, 4, 24), value=9_000, aggregate=True)]))
    assert alone.events.is_empty() and alone.mention_events.is_empty()


def test_conflicts_are_reported_with_their_figures() -> None:
    odesa = {"location": "Odesa", "geonameid": 698740, "country_code": "UA", "admin1": "17", "location_precision": "city"}
    on = {"place": odesa, "on": date(2025, 6, 1), "kind": "drone attack"}
    first_report = {"publisher": "AP", "reported_at": datetime(2025, 6, 1, 8)}
    second_report = {"publisher": "AP", "reported_at": datetime(2025, 6, 1, 20)}
    result = reconcile(frame([
        mention("ap-1", "killed", 10, **on, **first_report),
        mention("ap-2", "killed", 8, **on, **second_report),
        mention("ap-2", "killed", 12, group="children", **on, **second_report),
        mention("ap-2", "killed", 7, group="civilians", **on, **second_report),
        mention("ap-2", "killed", 6, group="military", **on, **second_report),
        # A post quoted by AP's later story is not AP lowering its own count.
        mention("ap-2", "killed", 3, segment="embedded_post", **on, **second_report),
        mention("local", "injured", 5, **on, reported_at=datetime(2025, 6, 1, 9)),
        mention("other", "injured", 40, **on, reported_at=datetime(2025, 6, 1, 21)),
    ]))
    conflicts = {(row["casualty_type"], row["victim_group_key"], row["kind"]): row["details"] for row in result.event_conflicts.iter_rows(named=True)}
    assert conflicts == {
        ("killed", "children", "group_exceeds_total"): "killed children 12 exceeds the total killed 10",
        ("killed", "total", "groups_exceed_total"): "killed civilians 7 + military 6 = 13 exceeds the total killed 10",
        ("killed", "total", "source_lowered"): "AP reported 10 killed, then 8 at 2025-06-01 20:00",
        ("injured", "total", "ratio_exceeded"): "injured reports range from 5 to 40, more than 3 times apart",
    }
    assert reconcile(frame([mention("local", "injured", 5, **on), mention("other", "injured", 40, **on)]),
                     ratio_threshold=10).event_conflicts.is_empty()


def test_conservative_policy_takes_the_low_as_best() -> None:
    rows = frame(seed_rows())
    conservative = reconcile(rows, policy="conservative").event_figures
    assert (conservative["best"] == conservative["low"]).all()
    assert conservative["policy"].unique().to_list() == ["conservative"]
    generous = reconcile(rows).event_figures
    assert conservative.drop("best", "policy").equals(generous.drop("best", "policy"))
    assert (generous["best"] >= generous["low"]).all() and (generous["best"] <= generous["high"]).all()
    with pytest.raises(ValueError, match="policy"):
        reconcile(rows, policy="average")


def test_scales_to_twenty_thousand_documents() -> None:
    # Five mentions per document, documents spread over 300 cities and two years.
    document = pl.int_range(0, 100_000) // 5
    rows = pl.select(
        pl.format("m{}", pl.int_range(0, 100_000)).alias("mention_id"),
        pl.format("d{}", document).alias("doc_id"),
        pl.format("d{}-0", document).alias("story_id"),
        pl.lit("body").alias("segment"),
        pl.when(pl.int_range(0, 100_000) % 2 == 0).then(pl.lit("killed")).otherwise(pl.lit("injured")).alias("casualty_type"),
        (pl.int_range(0, 100_000) % 37 + 1).alias("value"),
        (800_000 + document % 300).alias("geonameid"),
        pl.format("{}", document % 25).alias("admin1"),
        pl.lit("UA").alias("country_code"),
        pl.lit("city").alias("location_precision"),
        (pl.lit(date(2024, 1, 1)) + pl.duration(days=document * 13 % 730)).alias("event_date"),
        pl.lit("drone attack").alias("attack_kind"),
    )
    # Its time is measured by `make bench`, not here.
    result = reconcile(rows)
    assert result.mention_events.height == 100_000
    assert result.events.height > 1_000


def test_seed_events_score_exact_under_evaluate(tmp_path: Path, seeds: Reconciliation) -> None:
    if not GOLD.exists():
        pytest.skip(reason=f"seed gold file not found at {GOLD}")
    mentions = frame(seed_rows()).drop("event_id", strict=False)  # events link them by mention_events
    documents = pl.DataFrame(
        {
            "doc_id": list(SEED_FILES),
            "source_uri": list(SEED_FILES.values()),
            "source_uris": [[name] for name in SEED_FILES.values()],
            "format": ["txt"] * len(SEED_FILES),
            "encoding": ["utf-8"] * len(SEED_FILES),
            "bytes": [1] * len(SEED_FILES),
            "raw_text": [""] * len(SEED_FILES),
            "ingested_at": [datetime(2025, 5, 1)] * len(SEED_FILES),
        }
    )
    path = tmp_path / "seeds.duckdb"
    conn = db.connect(path)
    db.ensure_tables(conn)
    with db.transaction(conn):
        for name, table in {DOCUMENTS.name: documents, EXTRACTED_MENTIONS.name: mentions, **seeds.tables()}.items():
            db.insert_frame(conn, TABLES_BY_NAME[name], table)
    conn.close()

    events = evaluate(GOLD, path).events
    assert events is not None
    assert (events.exact_events, events.gold_events) == (5, 5)
    assert events.figures_right == events.figures
    assert (events.claims_found, events.claims) == (1, 1)
    assert events.event_count == 5 and not events.extra_events


TOWN = {"location": "Millbrook", "geonameid": 4999001, "country_code": "US", "admin1": "OH", "location_precision": "city"}


def shooting_report(doc_id: str, casualty_type: str, value: int, *, on: date, published: date, **extra: Any) -> dict[str, Any]:
    return mention(doc_id, casualty_type, value, place=TOWN, on=on, kind="shooting",
                   reported_at=datetime.combine(published, datetime.min.time()), **extra)


def test_a_follow_up_joins_its_first_report_and_says_why() -> None:
    saturday, monday = date(2016, 3, 5), date(2016, 3, 7)
    first = shooting_report("first", "killed", 1, on=saturday, published=saturday, publisher="Gazette")
    # Monday's story names the victims and says the wounded man died: a later, higher toll.
    named = shooting_report("named", "killed", 2, on=saturday, published=monday, publisher="Herald")
    # The arrest story states no day: its figure falls in the week up to its publication.
    arrest = shooting_report("arrest", "killed", 2, on=date(2016, 3, 4), published=date(2016, 3, 10),
                             until=date(2016, 3, 10), precision="week", basis="publication", publisher="Courier")
    result = reconcile(frame([first, named, arrest]))
    assert result.events.height == 1
    event = result.events.row(0, named=True)
    assert (event["date_start"], event["date_end"], event["date_precision"], event["n_documents"]) == (saturday, saturday, "day", 3)
    assert event["date_basis"] == "text"
    assert figures_of(result, event["event_id"])["killed"] == (1, 2, 2)
    assert "killed rises between reports, 1 then 2" in event["merged_on"]
    assert "story arrest-0 names no day" in event["merged_on"]


def test_reports_naming_no_day_date_their_event_to_the_first_report() -> None:
    tuesday, wednesday = date(2016, 3, 8), date(2016, 3, 9)
    # Neither story names a day: each figure carries the week up to its story's publication.
    first = shooting_report("first", "injured", 2, on=tuesday - timedelta(days=6), published=tuesday,
                            until=tuesday, precision="week", basis="publication")
    later = shooting_report("later", "injured", 3, on=wednesday - timedelta(days=6), published=wednesday,
                            until=wednesday, precision="week", basis="publication")
    event = reconcile(frame([first, later])).events.row(0, named=True)
    # The most likely day is the first report's; 'week' says it may lie up to six days before.
    assert (event["date_start"], event["date_end"], event["date_precision"], event["date_basis"]) == (
        tuesday, tuesday, "week", "publication"
    )
    # A week the text itself names ('this week') is a stated period and keeps its span.
    stated = shooting_report("stated", "injured", 2, on=date(2016, 3, 7), published=tuesday,
                             until=tuesday, precision="week")
    event = reconcile(frame([stated])).events.row(0, named=True)
    assert (event["date_start"], event["date_end"], event["date_basis"]) == (date(2016, 3, 7), tuesday, "text")


def test_reports_naming_no_day_and_fitting_no_event_meet_only_on_their_publication_day() -> None:
    def undated(doc_id: str, value: int, published: date) -> dict[str, Any]:
        return shooting_report(doc_id, "killed", value, on=published - timedelta(days=6), published=published,
                               until=published, precision="week", basis="publication")

    monday, thursday = date(2016, 3, 7), date(2016, 3, 10)
    # Their weeks overlap, but stories published days apart report different shootings.
    apart = reconcile(frame([undated("monday", 1, monday), undated("thursday", 1, thursday)])).events
    assert sorted(apart["date_start"].to_list()) == [monday, thursday]
    # Two stories of one day tied by their toll are one shooting.
    together = reconcile(frame([undated("morning", 2, monday), undated("evening", 2, monday)])).events
    assert (together.height, together["n_documents"].to_list()) == (1, [2])


def test_two_shootings_in_one_city_on_one_night_stay_apart() -> None:
    night, next_day = date(2016, 3, 5), date(2016, 3, 6)
    corner = shooting_report("corner", "killed", 1, on=night, published=next_day, publisher="Tribune")
    party = shooting_report("party", "injured", 3, on=night, published=next_day, publisher="Sun")
    result = reconcile(frame([corner, party]))
    assert result.events.height == 2
    assert result.events["merged_on"].to_list() == [None, None]
    # A story dated only to that week fits both: it is left apart and listed for a person to look at.
    week_story = shooting_report("roundup", "killed", 4, on=date(2016, 3, 1), published=date(2016, 3, 7),
                                 until=date(2016, 3, 7), precision="week", basis="publication")
    with_week = reconcile(frame([corner, party, week_story]))
    assert with_week.events.height == 3
    conflict = with_week.event_conflicts.filter(pl.col("kind") == "fits_several_events").row(0, named=True)
    assert conflict["details"].startswith("story roundup-0 fits events ")


def test_a_group_count_in_one_report_and_the_same_total_in_another_tie_them() -> None:
    night, next_day = date(2016, 3, 5), date(2016, 3, 6)
    # 'Five teens were hospitalized' beside one boy's wound, and 'five were hospitalized'.
    teens = [shooting_report("teens", "hospitalized", 5, on=night, published=next_day, publisher="Tribune", group="children"),
             shooting_report("teens", "injured", 1, on=night, published=next_day, publisher="Tribune")]
    five = shooting_report("five", "hospitalized", 5, on=night, published=next_day, publisher="Sun")
    result = reconcile(frame([*teens, five]))
    assert (result.events.height, result.events["n_documents"].to_list()) == (1, [2])
    assert "stories five-0 and teens-0: both report hospitalized 5" in result.events["merged_on"].item()
    # A larger total later is no rise of a group's count: the group is part of some total.
    later = shooting_report("later", "hospitalized", 9, on=night, published=date(2016, 3, 7), publisher="Sun")
    assert n_events([*teens, later]) == 2
    # A region's reports of two soldiers each are as many incidents.
    soldiers = {"place": DNIPROPETROVSK_REGION, "on": night, "kind": "shelling", "group": "military"}
    assert n_events([mention("one", "killed", 2, publisher="Agency", **soldiers),
                     mention("other", "killed", 2, publisher="Daily", **soldiers)]) == 2
    # One teen killed is the one person another report may count among those shot: no tie.
    teen = shooting_report("teen", "killed", 1, on=night, published=next_day, publisher="Tribune", group="children")
    assert n_events([teen, shooting_report("man", "killed", 1, on=night, published=next_day, publisher="Sun")]) == 2


def test_summaries_of_two_attacks_in_one_city_on_one_day_stay_apart() -> None:
    # Database-style summaries: no publication time, each states its own day and toll.
    summary = {"place": TOWN, "on": date(2011, 5, 20), "kind": "attack", "publisher": "Incident Register"}
    market = mention("summary-market", "killed", 3, **summary)
    checkpoint = mention("summary-checkpoint", "killed", 5, **summary)
    assert n_events([market, checkpoint]) == 2
    # A register codes each part of a coordinated attack as its own incident, even where
    # both summaries restate one toll; a news report of that toll is tied to it.
    restated = mention("summary-restated", "killed", 5, **summary)
    assert n_events([checkpoint, restated]) == 2
    news = mention("news", "killed", 5, **{**summary, "publisher": "Daily", "reported_at": datetime(2011, 5, 21)})
    assert n_events([checkpoint, news]) == 1


def test_a_register_summarising_two_days_keeps_two_incidents() -> None:
    # One publisher, two summaries dated on consecutive days with other tolls: no update of one report.
    register = {"place": TOWN, "kind": "attack", "publisher": "Incident Register"}
    first = mention("register-16", "killed", 4, on=date(2011, 4, 16), reported_at=datetime(2011, 4, 16), **register)
    second = mention("register-17", "killed", 1, on=date(2011, 4, 17), reported_at=datetime(2011, 4, 17), **register)
    assert n_events([first, second]) == 2
    # The same toll on the next day is the register's next incident, not an update of the first.
    same_toll = mention("register-17b", "killed", 4, on=date(2011, 4, 17), reported_at=datetime(2011, 4, 17), **register)
    assert n_events([first, same_toll]) == 2
    # Another publisher's report of that toll, dated to the night of the 16th to the 17th, is one incident with it.
    news = mention("news", "killed", 4, on=date(2011, 4, 17), reported_at=datetime(2011, 4, 18), place=TOWN, kind="attack",
                   publisher="Daily")
    assert n_events([first, news]) == 1


def test_an_agencys_digests_of_two_weeks_keep_two_periods() -> None:
    def digest(doc_id: str, start: date, end: date, value: int, publisher: str) -> dict[str, Any]:
        return mention(doc_id, "killed", value, place=DNIPROPETROVSK_REGION, on=start, until=end, precision="week",
                       kind="shelling", publisher=publisher, reported_at=datetime.combine(end, datetime.min.time()))

    # Each Friday the agency counts the dead of the week before; the second digest's week overlaps the first's.
    first = digest("digest-1", date(2016, 3, 14), date(2016, 3, 18), 6, "Agency")
    second = digest("digest-2", date(2016, 3, 14), date(2016, 3, 20), 9, "Agency")
    result = reconcile(frame([first, second]))
    assert sorted(result.events["date_end"].to_list()) == [date(2016, 3, 18), date(2016, 3, 20)]
    assert result.events["n_documents"].to_list() == [1, 1]
    # Another publisher's report of the first week still chains with the first digest's period.
    paper = digest("paper", date(2016, 3, 14), date(2016, 3, 18), 6, "Daily")
    assert n_events([first, paper]) == 1


def test_victims_named_one_by_one_set_a_figure_only_where_no_report_states_a_toll():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "drone attack"}
    stated = mention("a", "killed", 4, **on)
    named = {**mention("a", "killed", 1, **on), "sentence": "a woman was killed", "counts_named_victims": True}
    named_injured = {**mention("a", "injured", 2, **on), "counts_named_victims": True}
    result = reconcile(frame([named, named_injured, stated]))
    (event_id,) = result.events["event_id"].to_list()
    # The toll of four stands alone (the named woman is one of them, not a lower count);
    # no report states the wounded, so the two named ones are the figure.
    assert figures_of(result, event_id) == {"killed": (4, 4, 4), "injured": (2, 2, 2)}


def test_attackers_killed_add_to_a_stated_toll_and_keep_their_own_figure():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "shooting"}
    victims = mention("a", "killed", 3, **on)
    gunman = {**mention("a", "killed", 1, group="perpetrators", **on), "counts_named_victims": True}
    result = reconcile(frame([gunman, victims]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"killed": (4, 4, 4), "killed.perpetrators": (1, 1, 1)}


def test_a_total_below_one_of_its_groups_takes_that_groups_figure():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "shooting"}
    # 'a woman was shot' beside 'two officers were wounded': the event's wounded are at least the two officers.
    woman = {**mention("a", "injured", 1, **on), "counts_named_victims": True}
    officers = mention("a", "injured", 2, group="security_forces", **on)
    result = reconcile(frame([woman, officers]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"injured": (2, 2, 2), "injured.security_forces": (2, 2, 2)}
    # The conflict stays on record, as reported.
    assert result.event_conflicts["kind"].to_list() == ["group_exceeds_total"]
    # 'two children were shot' counts the dead among them too: it raises no total of wounded.
    shot = {**mention("a", "injured", 2, group="children", **on), "counts_all_shot": True}
    result = reconcile(frame([woman, shot]))
    assert figures_of(result, result.events["event_id"].item())["injured"] == (1, 1, 1)


def test_more_than_n_is_recorded_as_the_number_stated():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "air strike"}
    # 'more than 40 soldiers were killed, at least 12 wounded': the report commits to 40.
    result = reconcile(frame([mention("a", "killed", 40, "more_than", **on), mention("a", "injured", 12, "at_least", **on)]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"killed": (40, 40, 40), "injured": (12, 12, 12)}
    # A precise toll above it stated beside it is still the highest point figure.
    later = reconcile(frame([mention("a", "killed", 40, "more_than", **on), mention("a", "killed", 43, **on)]))
    assert figures_of(later, later.events["event_id"].item()) == {"killed": (40, 43, 43)}


def test_one_person_named_twice_is_no_attacker_added_to_himself():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "shooting"}
    died = {**mention("a", "killed", 1, **on), "counts_named_victims": True}
    by_own_hand = {**mention("a", "killed", 1, group="perpetrators", **on), "counts_named_victims": True}
    result = reconcile(frame([died, by_own_hand]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id)["killed"] == (1, 1, 1)


def test_one_victim_named_alone_takes_a_count_of_several_attackers_killed():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "armed assault"}
    # 'an officer was killed ... troops returned fire, killing 20 militants'
    officer = {**mention("a", "killed", 1, **on), "counts_named_victims": True}
    militants = mention("a", "killed", 20, group="perpetrators", **on)
    result = reconcile(frame([officer, militants]))
    assert figures_of(result, result.events["event_id"].item())["killed"] == (21, 21, 21)
    # 'one suspect is dead ... John Doe died of a gunshot wound': one attacker counted may be the one named.
    suspect = mention("a", "killed", 1, group="perpetrators", **on)
    result = reconcile(frame([officer, suspect]))
    assert figures_of(result, result.events["event_id"].item())["killed"] == (1, 1, 1)

def test_a_register_reporting_one_death_twice_in_a_city_keeps_two_incidents() -> None:
    register = {"place": TOWN, "kind": "attack", "publisher": "Incident Register"}
    market = mention("register-market", "killed", 1, on=date(2011, 6, 4), reported_at=datetime(2011, 6, 4), **register)
    bridge = mention("register-bridge", "killed", 1, on=date(2011, 6, 5), reported_at=datetime(2011, 6, 5), **register)
    assert n_events([market, bridge]) == 2
    # Another publisher's report of the one death ties it to the register's.
    paper = shooting_report("paper", "killed", 1, on=date(2011, 6, 4), published=date(2011, 6, 5), publisher="Daily")
    assert n_events([market, {**paper, "attack_kind": "attack"}]) == 1


def week_headline(doc_id: str, value: int, place: dict[str, Any], published: date, **extra: Any) -> dict[str, Any]:
    """A headline that names no day: its figure falls in the week up to its publication."""
    return mention(doc_id, "killed", value, place=place, on=published - timedelta(days=6), until=published,
                   precision="week", kind=None, reported_at=datetime.combine(published, datetime.min.time()), **extra) | {"event_date_basis": "publication"}


def test_headlines_naming_no_day_stay_apart_unless_their_figures_tie_them() -> None:
    tuesday, thursday = date(2016, 2, 9), date(2016, 2, 11)
    apart = reconcile(frame([week_headline("village", 3, KHARKIV, tuesday, publisher="Wire"),
                             week_headline("soldier", 1, KHARKIV, thursday, publisher="Post")]))
    assert apart.events.height == 2
    assert apart.events["merged_on"].to_list() == [None, None]
    # Each is a report of its publication day: two days apart they are two incidents,
    # whatever their tolls; on one day a toll both state ties them.
    rising = reconcile(frame([week_headline("first", 2, KHARKIV, tuesday, publisher="Wire"),
                              week_headline("later", 4, KHARKIV, thursday, publisher="Post")]))
    assert rising.events.height == 2
    tied = reconcile(frame([week_headline("first", 4, KHARKIV, tuesday, publisher="Wire"),
                            week_headline("later", 4, KHARKIV, tuesday, publisher="Post")]))
    assert tied.events.height == 1
    assert tied.events["merged_on"][0] is not None


def test_country_level_stories_naming_no_day_stay_in_their_story() -> None:
    ukraine = {"location": "Ukraine", "geonameid": None, "country_code": "UA", "admin1": None,
               "location_precision": "country"}
    tuesday = date(2016, 2, 9)
    result = reconcile(frame([week_headline("front", 2, ukraine, tuesday, publisher="Wire"),
                              week_headline("border", 2, ukraine, tuesday, publisher="Post")]))
    assert result.events.height == 2


def test_stories_placed_only_in_a_wide_area_on_one_day_stay_apart() -> None:
    donbas = {"location": "Donbas", "geonameid": None, "country_code": "UA", "admin1": None,
              "location_precision": "region"}
    monday = date(2016, 2, 8)
    result = reconcile(frame([mention("front", "killed", 2, place=donbas, on=monday, kind="shelling", publisher="Wire"),
                              mention("border", "killed", 2, place=donbas, on=monday, kind="shelling", publisher="Post")]))
    assert result.events.height == 2
    assert set(result.events["location"].to_list()) == {"Donbas"}


def test_the_wounded_of_an_event_counted_only_as_people_shot_are_those_shot_less_its_dead():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "shooting"}
    shot = {**mention("a", "injured", 5, **on), "counts_all_shot": True}
    died = mention("a", "killed", 2, **on)
    result = reconcile(frame([shot, died]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"injured": (3, 3, 3), "killed": (2, 2, 2)}
    # More dead than wounded among those shot: the lowest is lowered with the rest.
    result = reconcile(frame([shot, mention("a", "killed", 4, **on)]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"injured": (1, 1, 1), "killed": (4, 4, 4)}
    # A wounded person named beside the count is one of those shot, not another count.
    named = {**mention("a", "injured", 1, **on), "counts_named_victims": True, "counts_all_shot": False}
    result = reconcile(frame([named, {**shot, "counts_named_victims": False}, died]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id)["injured"] == (1, 3, 3)
    # A stated count of the wounded stands as stated.
    wounded = mention("a", "injured", 4, **on)
    result = reconcile(frame([shot, died, wounded]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id)["injured"] == (4, 4, 4)


def test_a_victim_reported_shot_whom_a_report_of_the_event_says_died_is_no_wounded():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "shooting"}
    # 'Police found that John Doe had been shot' and, further on, 'he died at the
    # hospital': one victim, who died.
    shot = {**mention("a", "injured", 1, **on), "counts_named_victims": True, "counts_all_shot": True}
    died = {**mention("a", "killed", 1, **on), "counts_named_victims": True}
    result = reconcile(frame([shot, died]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"injured": (0, 0, 0), "killed": (1, 1, 1)}
    # 'The baby was shot' beside 'the other victim suffered gunshot wounds': a count of the
    # wounded as large as the count of people shot says the one wounded survived.
    survivor = {**mention("b", "injured", 1, **on), "counts_named_victims": True, "counts_all_shot": False}
    result = reconcile(frame([shot, died, survivor]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"injured": (1, 1, 1), "killed": (1, 1, 1)}


def test_a_group_of_people_shot_holds_the_dead_of_its_group():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "shooting"}
    # 'The toddler was shot' and 'the boy died at the hospital' (both children): no wounded child,
    # and no wounded in the total the group gives.
    toddler_shot = {**mention("a", "injured", 1, group="children", **on), "counts_named_victims": True, "counts_all_shot": True}
    toddler_died = {**mention("a", "killed", 1, group="children", **on), "counts_named_victims": True}
    result = reconcile(frame([toddler_shot, toddler_died]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {
        "injured.children": (0, 0, 0), "injured": (0, 0, 0), "killed.children": (1, 1, 1), "killed": (1, 1, 1)
    }
    # 'Three children were shot', 'a girl died' and 'a man was shot': two wounded children, so
    # at least two wounded.
    three_shot = {**mention("a", "injured", 3, group="children", **on), "counts_all_shot": True}
    man_shot = {**mention("a", "injured", 1, **on), "counts_named_victims": True, "counts_all_shot": True}
    result = reconcile(frame([three_shot, toddler_died, man_shot]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id)["injured.children"] == (2, 2, 2)
    assert figures_of(result, event_id)["injured"] == (2, 2, 2)
    # 'A young person was shot' and 'a teenager died': the event's dead, made of its groups,
    # are among those it reports shot.
    young_person_shot = {**mention("a", "injured", 1, **on), "counts_named_victims": True, "counts_all_shot": True}
    result = reconcile(frame([young_person_shot, toddler_died]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"injured": (0, 0, 0), "killed.children": (1, 1, 1), "killed": (1, 1, 1)}
    # The dead of another group are not among those shot: 'two officers were shot' and 'the
    # gunman was killed' leave two wounded officers.
    officers = {**mention("a", "injured", 2, group="security_forces", **on), "counts_all_shot": True}
    gunman = {**mention("a", "killed", 1, group="perpetrators", **on), "counts_named_victims": True}
    result = reconcile(frame([officers, gunman]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id)["injured.security_forces"] == (2, 2, 2)


def test_a_count_of_wounded_made_before_some_of_them_died_leaves_the_figure_to_the_survivors():
    on = {"place": KHARKIV, "on": date(2025, 4, 3), "kind": "shooting"}
    # Headline 'Three dead, one wounded in shooting at a house'; body 'the gunman opened fire,
    # wounding four men' (three of whom died later): the four counted the dead too.
    headline = [mention("a", "killed", 3, segment="headline", **on), mention("a", "injured", 1, segment="headline", **on)]
    wounding = mention("a", "injured", 4, **on)
    result = reconcile(frame([*headline, wounding]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"injured": (1, 1, 1), "killed": (3, 3, 3)}
    # No report states the one survivor as a toll: the four wounded stand.
    result = reconcile(frame([headline[0], wounding]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id)["injured"] == (4, 4, 4)
    # 'A man was killed and two were wounded' beside 'one of the wounded': the sentence
    # counts its dead apart, so its wounded stand.
    killed_and_wounded = [mention("a", "killed", 1, **on), mention("a", "injured", 2, **on)]
    one_of_them = mention("a", "injured", 1, segment="headline", **on)
    result = reconcile(frame([*killed_and_wounded, one_of_them]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"injured": (1, 2, 2), "killed": (1, 1, 1)}
    # 'Four were wounded, three critically' beside 'one man died': the three are a part of
    # the four, in their sentence, no later news of the survivors.
    part = mention("a", "injured", 3, **on)
    result = reconcile(frame([mention("a", "killed", 1, segment="headline", **on), wounding, part]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id)["injured"] == (3, 4, 4)
    # A lower count in an earlier report is a first tally ('one dead, five wounded' on
    # Monday; 'three dead' and 'also wounded eight' on Tuesday): the wounded rose too.
    monday, tuesday = date(2016, 3, 7), date(2016, 3, 8)
    first = [shooting_report("first", casualty_type, value, on=monday, published=monday, publisher="Gazette")
             for casualty_type, value in (("killed", 1), ("injured", 5))]
    later = [shooting_report("later", "killed", 3, on=monday, published=tuesday, publisher="Herald", segment="headline"),
             shooting_report("later", "injured", 8, on=monday, published=tuesday, publisher="Herald")]
    result = reconcile(frame([*first, *later]))
    (event_id,) = result.events["event_id"].to_list()
    assert figures_of(result, event_id) == {"injured": (5, 8, 8), "killed": (1, 3, 3)}

NEIGHBOURHOOD = {"location": "Eastwood", "geonameid": 4999002, "country_code": "US", "admin1": "MI", "location_precision": "city"}


def name_ties(*pairs: tuple[str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(pairs, schema=["story_id", "story_id_other", "shared_names"], orient="row")


def test_a_follow_up_naming_the_victim_joins_the_first_report_across_place_and_day() -> None:
    saturday, funeral = date(2016, 3, 5), date(2016, 3, 9)
    first = shooting_report("first", "killed", 1, on=saturday, published=saturday, publisher="Gazette")
    # The follow-up places the shooting in a neighbourhood the gazetteer puts elsewhere, is
    # dated by its own news and states another figure: nothing but the victim's name ties it.
    follow_up = mention("follow-up", "injured", 2, place=NEIGHBOURHOOD, on=funeral, kind="shooting", publisher="Herald",
                        reported_at=datetime(2016, 3, 9))
    assert reconcile(frame([first, follow_up])).events.height == 2
    result = reconcile(frame([first, follow_up]), name_ties=name_ties(("first-0", "follow-up-0", "delmont, quarles")))
    assert result.events.height == 1
    event = result.events.row(0, named=True)
    assert (event["date_start"], event["n_documents"]) == (saturday, 2)
    assert "stories first-0 and follow-up-0 share names: delmont, quarles" in event["merged_on"]
    assert figures_of(result, event["event_id"]).keys() == {"killed", "injured"}


def test_a_name_tie_joins_one_of_two_shootings_in_a_city_and_leaves_the_other_apart() -> None:
    night, next_day = date(2016, 3, 5), date(2016, 3, 6)
    corner = shooting_report("corner", "killed", 1, on=night, published=next_day, publisher="Tribune")
    party = shooting_report("party", "injured", 3, on=night, published=next_day, publisher="Sun")
    vigil = shooting_report("vigil", "killed", 2, on=date(2016, 3, 8), published=date(2016, 3, 8), publisher="Herald")
    result = reconcile(frame([corner, party, vigil]), name_ties=name_ties(("corner-0", "vigil-0", "brantley, oakes")))
    documents = result.event_documents.group_by("event_id").agg(pl.col("doc_id").sort())["doc_id"].to_list()
    assert sorted(documents) == [["corner", "vigil"], ["party"]]


def test_a_follow_up_dated_only_to_its_month_leaves_the_event_its_day() -> None:
    saturday = date(2016, 3, 5)
    first = shooting_report("first", "killed", 1, on=saturday, published=saturday, publisher="Gazette")
    # The trial report recalls 'the March shooting': a month, whose first day is no start.
    trial = shooting_report("trial", "killed", 1, on=date(2016, 3, 1), published=date(2016, 9, 12), until=date(2016, 3, 31),
                            precision="month", publisher="Herald")
    result = reconcile(frame([first, trial]), name_ties=name_ties(("first-0", "trial-0", "delmont, tyrell quarles")))
    event = result.events.row(0, named=True)
    assert (event["date_start"], event["date_end"], event["date_precision"], event["n_documents"]) == (saturday, saturday, "day", 2)


def test_a_trial_report_recalling_the_shooting_only_as_past_joins_the_first_report_by_names() -> None:
    saturday = date(2016, 3, 5)
    first = shooting_report("first", "killed", 1, on=saturday, published=saturday, publisher="Gazette")
    # A year later every figure of the trial report is of the past shooting.
    trial = shooting_report("trial", "killed", 1, on=saturday, published=date(2017, 3, 20), publisher="Herald", historical=True)
    assert reconcile(frame([first, trial])).events.height == 2
    result = reconcile(frame([first, trial]), name_ties=name_ties(("first-0", "trial-0", "delmont, tyrell quarles")))
    event = result.events.row(0, named=True)
    assert (result.events.height, event["n_documents"], event["date_start"]) == (1, 2, saturday)
    assert figures_of(result, event["event_id"])["killed"] == (1, 1, 1)


def test_reports_tied_across_days_are_dated_by_the_day_most_of_them_name() -> None:
    saturday = date(2016, 3, 5)
    first = shooting_report("first", "killed", 1, on=saturday, published=saturday, publisher="Gazette")
    second = shooting_report("second", "killed", 1, on=saturday, published=date(2016, 3, 6), publisher="Sun")
    # The follow-up names the victim and reads another shooting's day, a week before, as its own.
    misread = shooting_report("misread", "killed", 1, on=date(2016, 2, 27), published=date(2016, 3, 8), publisher="Herald")
    result = reconcile(frame([first, second, misread]), name_ties=name_ties(("first-0", "misread-0", "tyrell quarles")))
    event = result.events.row(0, named=True)
    assert (result.events.height, event["n_documents"], event["date_start"], event["date_end"]) == (1, 3, saturday, saturday)


def test_a_report_stating_no_figure_joins_the_event_of_the_story_it_shares_names_with() -> None:
    saturday, night = date(2016, 3, 5), date(2016, 3, 6)
    first = shooting_report("first", "killed", 1, on=saturday, published=saturday, publisher="Gazette")
    party = shooting_report("party", "injured", 3, on=night, published=night, publisher="Sun")
    # The arrest story states no figure: it has no mention, only names.
    ties = pl.DataFrame(
        [("arrest-0", "first-0", "delmont, tyrell quarles", None, "arrest", "first", 2)],
        schema={"story_id": pl.String, "story_id_other": pl.String, "shared_names": pl.String, "shared_day": pl.Date,
                "doc_id": pl.String, "doc_id_other": pl.String, "independent_names": pl.Int64},
        orient="row",
    )
    result = reconcile(frame([first, party]), name_ties=ties)
    documents = result.event_documents.group_by("event_id").agg(pl.col("doc_id").sort())["doc_id"].to_list()
    assert sorted(documents) == [["arrest", "first"], ["party"]]
    event = result.events.filter(pl.col("n_documents") == 2).row(0, named=True)
    assert "story arrest-0 states no figure and shares names with story first-0: delmont, tyrell quarles" in event["merged_on"]
    # Sharing names with the stories of two events, it joins neither.
    both = pl.concat([ties, ties.with_columns(pl.lit("party-0").alias("story_id_other"), pl.lit("party").alias("doc_id_other"))])
    documents = reconcile(frame([first, party]), name_ties=both).event_documents["doc_id"].to_list()
    assert "arrest" not in documents
    # A car's make and model, also in the party report, stand for one thing beside the victim
    # and the detective shared with the first report: it reports the first.
    car = ties.with_columns(pl.lit("party-0").alias("story_id_other"), pl.lit("party").alias("doc_id_other"),
                            pl.lit("chevrolet malibu, malibu").alias("shared_names"), pl.lit(1, pl.Int64).alias("independent_names"))
    result = reconcile(frame([first, party]), name_ties=pl.concat([ties, car]))
    documents = result.event_documents.group_by("event_id").agg(pl.col("doc_id").sort())["doc_id"].to_list()
    assert sorted(documents) == [["arrest", "first"], ["party"]]


def day_ties(*pairs: tuple[str, str, str, date]) -> pl.DataFrame:
    return pl.DataFrame(pairs, schema=["story_id", "story_id_other", "shared_names", "shared_day"], orient="row")


def test_a_name_shared_on_a_day_both_report_ties_the_stories_only_when_their_events_are_on_it() -> None:
    night, next_day = date(2016, 3, 5), date(2016, 3, 6)
    first = shooting_report("first", "killed", 1, on=night, published=next_day, publisher="Tribune")
    # Placed in a neighbourhood the gazetteer puts elsewhere, dated the next morning.
    neighbour = mention("neighbour", "injured", 3, place=NEIGHBOURHOOD, on=next_day, kind="shooting", publisher="Sun",
                        reported_at=datetime(2016, 3, 6))
    result = reconcile(frame([first, neighbour]), name_ties=day_ties(("first-0", "neighbour-0", "kessler", night)))
    event = result.events.row(0, named=True)
    assert (result.events.height, event["n_documents"], event["date_start"]) == (1, 2, night)
    assert "stories first-0 and neighbour-0 report day 2016-03-05 and share names: kessler" in event["merged_on"]
    # The day both report is a sidebar's in one of them: its own shooting is a week later.
    sidebar = mention("neighbour", "killed", 1, place=NEIGHBOURHOOD, on=night, kind="shooting", publisher="Sun",
                      reported_at=datetime(2016, 3, 13), segment="caption")
    later = [mention("neighbour", casualty_type, 3, place=NEIGHBOURHOOD, on=date(2016, 3, 12), kind="shooting", publisher="Sun",
                     reported_at=datetime(2016, 3, 13)) for casualty_type in ("injured", "hospitalized")]
    result = reconcile(frame([first, sidebar, *later]), name_ties=day_ties(("first-0", "neighbour-0", "kessler", night)))
    documents = result.event_documents.group_by("event_id").agg(pl.col("doc_id").sort())["doc_id"].to_list()
    assert sorted(documents) == [["first"], ["neighbour"], ["neighbour"]]


def test_a_story_tied_by_names_only_does_not_raise_the_first_reports_figures() -> None:
    saturday, funeral = date(2016, 3, 5), date(2016, 3, 9)
    first = shooting_report("first", "killed", 1, on=saturday, published=saturday, publisher="Gazette")
    # The follow-up's sidebar counts three killed elsewhere, and it says the victim 'had been
    # shot' (injured 1) of the girl the first report says died.
    sidebar = mention("follow-up", "killed", 3, place=NEIGHBOURHOOD, on=funeral, kind="shooting", publisher="Herald",
                      reported_at=datetime(2016, 3, 9))
    shot = mention("follow-up", "injured", 1, place=NEIGHBOURHOOD, on=funeral, kind="shooting", publisher="Herald",
                   reported_at=datetime(2016, 3, 9)) | {"counts_all_shot": True}
    result = reconcile(frame([first, sidebar, shot]), name_ties=name_ties(("first-0", "follow-up-0", "daija, daija mccall, mccall")))
    assert result.events.height == 1
    assert figures_of(result, result.events.row(0, named=True)["event_id"]) == {"killed": (1, 1, 1)}


def test_a_story_tied_by_names_the_next_day_raises_the_toll_of_its_days() -> None:
    """'Shooting leaves one dead' on Thursday; Friday's story, placed in the town's suburb,
    says three died: the toll rose. Months later, a higher count recalls a string of
    shootings, and it leaves the figure alone."""
    thursday, friday = date(2016, 7, 14), date(2016, 7, 15)
    first = shooting_report("first", "killed", 1, on=thursday, published=thursday, publisher="Gazette")
    risen = mention("next-day", "killed", 3, place=NEIGHBOURHOOD, on=friday, kind="shooting", publisher="Herald",
                    reported_at=datetime(2016, 7, 15))
    result = reconcile(frame([first, risen]), name_ties=name_ties(("first-0", "next-day-0", "pecan, pecan avenue")))
    assert result.events.height == 1
    assert figures_of(result, result.events.row(0, named=True)["event_id"]) == {"killed": (1, 3, 3)}
    # Sunday's 'a fourth victim has died', dated by the death, beside another Sunday report of Thursday's toll.
    sunday = date(2016, 7, 17)
    recap = shooting_report("recap", "killed", 3, on=thursday, published=sunday, publisher="Courier")
    fourth = mention("fourth", "killed", 4, "at_least", place=NEIGHBOURHOOD, on=sunday, kind="shooting", publisher="Herald",
                     reported_at=datetime(2016, 7, 17))
    result = reconcile(frame([first, recap, fourth]), name_ties=name_ties(("recap-0", "fourth-0", "pecan, pecan avenue")))
    assert result.events.height == 1
    assert figures_of(result, result.events.row(0, named=True)["event_id"])["killed"][1] == 4
    string = mention("months-later", "killed", 3, place=NEIGHBOURHOOD, on=thursday, kind="shooting", publisher="Herald",
                     reported_at=datetime(2016, 11, 2))
    result = reconcile(frame([first, string]), name_ties=name_ties(("first-0", "months-later-0", "pecan, pecan avenue")))
    assert result.events.height == 1
    assert figures_of(result, result.events.row(0, named=True)["event_id"]) == {"killed": (1, 1, 1)}


def test_a_wounded_victim_of_a_story_tied_by_names_is_no_killed_victim_shot() -> None:
    """'Boy shot and killed, brother wounded': a count of wounded, unlike a count of people
    shot, says they survived, so a tied part stating only the death does not take it."""
    saturday = date(2016, 3, 5)
    first = shooting_report("first", "killed", 1, on=saturday, published=saturday, publisher="Gazette")
    wounded = mention("follow-up", "injured", 1, place=NEIGHBOURHOOD, on=saturday, kind="shooting", publisher="Herald",
                      reported_at=datetime(2016, 3, 6))
    result = reconcile(frame([first, wounded]), name_ties=name_ties(("first-0", "follow-up-0", "daija, daija mccall, mccall")))
    assert result.events.height == 1
    assert figures_of(result, result.events.row(0, named=True)["event_id"]) == {"killed": (1, 1, 1), "injured": (1, 1, 1)}


def quiet_place_ties(*rows: tuple[str, str, date, dict[str, Any]]) -> pl.DataFrame:
    """(quiet document, headline, publication day, the day mention whose town it names)."""
    return pl.DataFrame(
        [(f"{doc}-0", doc, heading, published, frame([named])["mention_id"].item(), TOWN["location"])
         for doc, heading, published, named in rows],
        schema={"quiet_story_id": pl.String, "quiet_doc_id": pl.String, "heading": pl.String, "published_day": pl.Date,
                "mention_id": pl.String, "named_place": pl.String},
        orient="row",
    )


def test_an_article_stating_no_figure_joins_the_one_event_its_headline_places_in_the_days_before() -> None:
    saturday, sunday = date(2016, 3, 5), date(2016, 3, 6)
    first = shooting_report("first", "injured", 2, on=saturday, published=saturday, publisher="Gazette")
    # 'Police seek driver after Millbrook shooting', Sunday: no figure, no name, only the town.
    result = reconcile(frame([first]), quiet_place_ties=quiet_place_ties(
        ("seek", "police seek driver after millbrook shooting", sunday, first)))
    event = result.events.row(0, named=True)
    assert (result.events.height, event["n_documents"], event["date_start"]) == (1, 2, saturday)
    assert sorted(result.event_documents["doc_id"]) == ["first", "seek"]
    assert "story seek-0 states no figure and its headline names Millbrook: the one event at g:4999001" in event["merged_on"]
    assert figures_of(result, event["event_id"])["injured"] == (2, 2, 2)
    # A headline of another kind of attack does not report the shooting.
    stabbing = reconcile(frame([first]), quiet_place_ties=quiet_place_ties(
        ("knife", "teen stabbed outside millbrook school", sunday, first)))
    assert stabbing.event_documents["doc_id"].to_list() == ["first"]


def test_an_article_stating_no_figure_joins_no_event_of_a_town_with_several_or_of_weeks_before() -> None:
    saturday, sunday = date(2016, 3, 5), date(2016, 3, 6)
    corner = shooting_report("corner", "killed", 1, on=saturday, published=saturday, publisher="Tribune")
    party = shooting_report("party", "injured", 3, on=saturday, published=saturday, publisher="Sun")
    two_shootings = reconcile(frame([corner, party]), quiet_place_ties=quiet_place_ties(
        ("vigil", "millbrook neighbours hold vigil after shooting", sunday, corner),
        ("vigil", "millbrook neighbours hold vigil after shooting", sunday, party)))
    assert two_shootings.events.height == 2
    assert "vigil" not in two_shootings.event_documents["doc_id"].to_list()
    # Ten days later the article is no news of Saturday's shooting.
    late = reconcile(frame([corner]), quiet_place_ties=quiet_place_ties(
        ("mother", "millbrook mother speaks out", date(2016, 3, 15), corner)))
    assert late.event_documents["doc_id"].to_list() == ["corner"]
    # A shooting in the town two weeks before crowds the one of the day before: the headline tells neither apart.
    earlier = shooting_report("earlier", "killed", 1, on=date(2016, 2, 20), published=date(2016, 2, 20), publisher="Sun")
    crowded = reconcile(frame([earlier, corner]), quiet_place_ties=quiet_place_ties(
        ("arrest", "arrest in millbrook shooting", sunday, corner),
        ("arrest", "arrest in millbrook shooting", sunday, earlier)))
    assert "arrest" not in crowded.event_documents["doc_id"].to_list()


def test_a_follow_up_dated_by_its_own_news_joins_the_report_of_the_same_toll_days_before() -> None:
    saturday, monday = date(2016, 3, 5), date(2016, 3, 7)

    def toll(doc_id: str, on: date, publisher: str, killed: int = 1, injured: int = 3) -> list[dict[str, Any]]:
        return [shooting_report(doc_id, "killed", killed, on=on, published=on, publisher=publisher),
                shooting_report(doc_id, "injured", injured, on=on, published=on, publisher=publisher)]

    # Monday's story on the suspect sought is dated by its own news and restates Saturday's toll.
    first, sought = toll("first", saturday, "Gazette"), toll("sought", monday, "Herald")
    result = reconcile(frame([*first, *sought]))
    event = result.events.row(0, named=True)
    assert (result.events.height, event["n_documents"], event["date_start"], event["date_end"]) == (1, 2, saturday, saturday)
    assert "days 2016-03-05 and 2016-03-07 at g:4999001 report the same toll from other publishers, killed 1 and injured 3" in event["merged_on"]
    assert figures_of(result, event["event_id"]) == {"killed": (1, 1, 1), "injured": (3, 3, 3)}
    # One publisher's reports of two days, another toll, or a toll of one person: two incidents.
    assert n_events([*first, *toll("again", monday, "Gazette")]) == 2
    assert n_events([*first, *toll("other", monday, "Herald", injured=2)]) == 2
    assert n_events([*toll("one", saturday, "Gazette", injured=0), *toll("another", monday, "Herald", injured=0)]) == 2
    # Three weeks later the same toll is another incident of the town.
    assert n_events([*first, *toll("later", date(2016, 3, 26), "Herald")]) == 2
    # A newsroom that reported the incident follows it up two days later, restating its toll
    # of four beside another outlet's first report: one incident. A toll of two (one killed,
    # one wounded) the city's newsrooms report of its other incidents as well: two.
    covered = [*first, *toll("covered", saturday, "Herald")]
    assert n_events([*covered, *toll("mourned", monday, "Herald")]) == 1
    pair = [*toll("first", saturday, "Gazette", injured=1), *toll("covered", saturday, "Herald", injured=1)]
    assert n_events([*pair, *toll("mourned", monday, "Herald", injured=1)]) == 2
    # Reports placed only in a region tie by no toll: the region's incidents of two weeks are many.
    in_region = [{**row, **DNIPROPETROVSK_REGION} for row in [*first, *sought]]
    assert n_events(in_region) == 2
    # Three reports of one incident over a week tie to each other: one event.
    wednesday = date(2016, 3, 9)
    assert n_events([*first, *sought, *toll("trial", wednesday, "Courier")]) == 1
    # The same toll at the town week after week, each from another outlet: a chain of ties,
    # each of them a week, is a run of incidents, not one.
    weekly = [toll(f"week{week}", saturday + timedelta(days=7 * week), f"Outlet {week}") for week in range(4)]
    assert n_events([row for rows in weekly for row in rows]) == 4


def test_a_story_ties_by_its_newest_event_when_it_recalls_an_older_one_as_often() -> None:
    # The story reports Tuesday's shooting and recalls another of three weeks before in as
    # many sentences: the names it shares with Tuesday's first report tie it there.
    tuesday, earlier = date(2016, 3, 1), date(2016, 2, 8)
    first = shooting_report("first", "killed", 1, on=tuesday, published=tuesday, publisher="Gazette")
    elsewhere = {**TOWN, "location": "Oakdale", "geonameid": 4999000}
    recalled = mention("story", "injured", 1, place=elsewhere, on=earlier, kind="shooting", publisher="Herald",
                       reported_at=datetime(2016, 3, 2))
    # The story places Tuesday's shooting in a neighbourhood the gazetteer puts elsewhere.
    reported = mention("story", "killed", 1, place=NEIGHBOURHOOD, on=tuesday, kind="shooting", publisher="Herald",
                       reported_at=datetime(2016, 3, 2))
    result = reconcile(frame([first, recalled, reported]), name_ties=name_ties(("first-0", "story-0", "delmont, quarles")))
    documents = result.event_documents.group_by("event_id").agg(pl.col("doc_id").sort())["doc_id"].to_list()
    assert sorted(documents) == [["first", "story"], ["story"]]
    tied = result.events.filter(pl.col("n_documents") == 2).row(0, named=True)
    assert tied["date_start"] == tuesday


def test_a_follow_up_dating_its_incident_only_by_the_month_joins_the_one_event_of_that_toll() -> None:
    # 'The man convicted on Thursday shot two men dead at a card game in November': the
    # verdict story dates the killing only to its month, and the town's one event of that
    # month stating two killed is the one it reports.
    card_game, verdict = date(2015, 11, 9), date(2016, 4, 14)
    first = [shooting_report("first", "killed", 2, on=card_game, published=card_game, publisher="Gazette"),
             shooting_report("first", "injured", 2, on=card_game, published=card_game, publisher="Gazette")]

    def recalled(doc_id: str, killed: int, historical: bool = False) -> list[dict[str, Any]]:
        in_november = shooting_report(doc_id, "killed", killed, on=date(2015, 11, 1), until=date(2015, 11, 30),
                                      precision="month", published=verdict, publisher="Herald", historical=historical)
        return [in_november]

    result = reconcile(frame([*first, *recalled("verdict", 2)]))
    event = result.events.row(0, named=True)
    assert (result.events.height, event["n_documents"], event["date_start"], event["date_end"]) == (1, 2, card_game, card_game)
    assert "only to the month 2015-11-01 to 2015-11-30 at g:4999001: the one event there that month stating it, on 2015-11-09" in event["merged_on"]
    assert figures_of(result, event["event_id"]) == {"killed": (2, 2, 2), "injured": (2, 2, 2)}
    # The story's headline of the verdict day restates the toll it recalls by month: it reports it.
    headline = shooting_report("verdict", "killed", 2, on=verdict, published=verdict, publisher="Herald", segment="headline")
    assert n_events([*first, *recalled("verdict", 2, historical=True), headline]) == 2
    joined = reconcile(frame([*first, *recalled("verdict", 2, historical=True), headline]))
    assert joined.event_documents.filter(pl.col("doc_id") == "first")["event_id"].item() in (
        joined.event_documents.filter(pl.col("doc_id") == "verdict")["event_id"].to_list()
    )
    # A new shooting's story recalling another of the month with another toll reports its own.
    new_shooting = shooting_report("verdict", "killed", 1, on=verdict, published=verdict, publisher="Herald", segment="headline")
    assert n_events([*first, *recalled("verdict", 2, historical=True), new_shooting]) == 3
    # Another toll, or two events of that toll in the month, and the month stays its own event.
    assert n_events([*first, *recalled("verdict", 3)]) == 2
    second = [shooting_report("second", "killed", 2, on=date(2015, 11, 20), published=date(2015, 11, 20), publisher="Courier"),
              shooting_report("second", "injured", 1, on=date(2015, 11, 20), published=date(2015, 11, 20), publisher="Courier")]
    assert n_events([*first, *second, *recalled("verdict", 2)]) == 3
